/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-enum-private.h: enum <-> string tables. Every setting in an .ini, the CLI and the window
 * is spelled the same way because they all go through these.
 */
#pragma once

#include <glib.h>

typedef struct
{
  int         value;
  const char *nick;
} LabEnumNick;

static inline const char *
_lab_enum_to_string (const LabEnumNick *table,
                     int                value)
{
  for (const LabEnumNick *e = table; e->nick != NULL; e++)
    if (e->value == value)
      return e->nick;
  return "unknown";
}

static inline gboolean
_lab_enum_from_string (const LabEnumNick *table,
                       const char        *str,
                       int               *out)
{
  if (str == NULL)
    return FALSE;
  for (const LabEnumNick *e = table; e->nick != NULL; e++)
    if (g_ascii_strcasecmp (e->nick, str) == 0)
      {
        *out = e->value;
        return TRUE;
      }
  return FALSE;
}

/* "a|b|c" for messages that list what is allowed; free with g_free(). */
static inline char *
_lab_enum_choices (const LabEnumNick *table)
{
  GString *s = g_string_new (NULL);
  for (const LabEnumNick *e = table; e->nick != NULL; e++)
    {
      if (s->len)
        g_string_append_c (s, '|');
      g_string_append (s, e->nick);
    }
  return g_string_free (s, FALSE);
}

/* Defines NAME_to_string / NAME_from_string for an enum TYPE over TABLE. */
#define LAB_DEFINE_ENUM_STRINGS(TYPE, name, TABLE)                      \
  const char *name##_to_string (TYPE v)                                 \
  {                                                                     \
    return _lab_enum_to_string (TABLE, (int) v);                        \
  }                                                                     \
  gboolean name##_from_string (const char *s, TYPE *out)                \
  {                                                                     \
    int v;                                                              \
    if (!_lab_enum_from_string (TABLE, s, &v))                          \
      return FALSE;                                                     \
    *out = (TYPE) v;                                                    \
    return TRUE;                                                        \
  }

/* The tables, defined beside their enums. */
extern const LabEnumNick lab_activation_nicks[];
extern const LabEnumNick lab_init_nicks[];
extern const LabEnumNick lab_loss_nicks[];
extern const LabEnumNick lab_optim_kind_nicks[];
extern const LabEnumNick lab_schedule_kind_nicks[];
extern const LabEnumNick lab_clip_mode_nicks[];
extern const LabEnumNick lab_data_source_nicks[];
extern const LabEnumNick lab_prune_criterion_nicks[];
extern const LabEnumNick lab_prune_scope_nicks[];
extern const LabEnumNick lab_prune_structure_nicks[];
extern const LabEnumNick lab_prune_threshold_mode_nicks[];
extern const LabEnumNick lab_prune_schedule_nicks[];
extern const LabEnumNick lab_prune_output_nicks[];
