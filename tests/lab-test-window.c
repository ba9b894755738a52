/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-test-window.c: helpers of the UI tests that drive a LabWindow (see lab-test-window.h).
 */
#define G_LOG_DOMAIN "lab-test"

#include "config.h"

#include "lab-test-window.h"

static gboolean
on_timeout (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

void
lab_test_iterate_until (LabWindow        *win,
                        LabTestCondition  cond,
                        gpointer          data,
                        guint             timeout_ms,
                        const char       *what)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add (timeout_ms, on_timeout, &timed_out);

  while (!cond (win, data) && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (timed_out)
    g_error ("timed out waiting for %s", what);
  g_source_remove (id);
}

LabSnapshot *
lab_test_window_latest (LabWindow *win)
{
  return lab_plot_model_get_latest (lab_window_get_plot_model (win));
}

GtkWidget *
lab_test_window_child (LabWindow  *win,
                       const char *name)
{
  return GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (win), LAB_TYPE_WINDOW, name));
}
