/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-test-ui.c: helpers the UI tests share (see lab-test-ui.h).
 */
#include "config.h"

#include "lab-test-ui.h"

GtkWidget *
lab_test_find_widget (GtkWidget *root,
                      GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (root, type))
    return root;
  for (GtkWidget *c = gtk_widget_get_first_child (root); c != NULL;
       c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = lab_test_find_widget (c, type);

      if (found != NULL)
        return found;
    }
  return NULL;
}
