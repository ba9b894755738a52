/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-enum-strings.c: an engine enum's spellings as a GtkStringList (see lab-enum-strings.h).
 */
#define G_LOG_DOMAIN "lab-enum-strings"

#include "config.h"

#include "lab-enum-strings.h"

GtkStringList *
lab_enum_strings_new (LabEnumName  name,
                      const char  *first)
{
  GtkStringList *list = gtk_string_list_new (NULL);

  if (first != NULL)
    gtk_string_list_append (list, first);
  /* 64: more than any enum of the engine has, a bound should one never say "unknown" */
  for (guint i = 0; i < 64; i++)
    {
      const char *s = name (i);

      if (g_strcmp0 (s, "unknown") == 0)
        break;
      gtk_string_list_append (list, s);
    }
  return list;
}
