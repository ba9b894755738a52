/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-test-ui.c: helpers the UI tests share (see lab-test-ui.h).
 */
#include "config.h"

#include "lab-test-ui.h"
#include "lab-window-watch.h"

typedef struct
{
  LabWindow              *win;
  LabTestWindowCondition  cond;
  gpointer                data;
} WindowCondition;

static gboolean
window_condition (gpointer data)
{
  WindowCondition *wc = data;

  return wc->cond (wc->win, wc->data);
}

void
lab_test_window_until (LabWindow              *win,
                       LabTestWindowCondition  cond,
                       gpointer                data,
                       guint                   timeout_ms,
                       const char             *what)
{
  WindowCondition wc = { win, cond, data };

  lab_test_iterate_until (window_condition, &wc, timeout_ms, what);
}

LabSnapshot *
lab_test_window_latest (LabWindow *win)
{
  return lab_plot_model_get_latest (lab_window_get_plot_model (win));
}

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

GtkWidget *
lab_test_child (LabWindow  *win,
                const char *id)
{
  GtkWidget *w = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (win), LAB_TYPE_WINDOW,
                                                            id));

  g_assert_nonnull (w);
  return w;
}

const char *
lab_test_label_text (LabWindow  *win,
                     const char *id)
{
  return gtk_label_get_text (GTK_LABEL (lab_test_child (win, id)));
}

LabHistory *
lab_test_history (LabWindow *win)
{
  return lab_plot_model_get_history (lab_window_get_plot_model (win));
}

LabWindow *
lab_test_watch_window (const char *dir)
{
  LabWindow *win = g_object_ref (lab_window_new (NULL, NULL));

  gtk_window_present (GTK_WINDOW (win));
  lab_window_watch (win, dir);
  g_assert_nonnull (lab_window_get_watch (win));
  return win;
}

void
lab_test_close_window (LabWindow *win)
{
  LabPlotModel *model = g_object_ref (lab_window_get_plot_model (win));

  gtk_window_destroy (GTK_WINDOW (win));
  g_assert_finalize_object (win);
  g_assert_finalize_object (model);
  lab_test_iterate_for (50);
  while (g_main_context_pending (NULL))
    g_main_context_iteration (NULL, FALSE);
}

gboolean
lab_test_watch_ended (gpointer win)
{
  LabSnapshot *snap = lab_plot_model_get_latest (lab_window_get_plot_model (win));

  return snap != NULL && snap->status.watch == LAB_WATCH_ENDED;
}

gboolean
lab_test_init_ui (int    *argc,
                  char ***argv)
{
  g_test_init (argc, argv, NULL);
  if (gtk_init_check ())
    return TRUE;
  g_test_message ("no display (run under xvfb-run): the tests that need one are left out");
  return FALSE;
}

