/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-window-export.c: export from the main window (see lab-window-export.h). The plots are
 * found in the widget tree as the widgets whose "model" is a LabPlotModel, so a plot added to
 * lab-window.ui is exportable without a change here.
 */
#define G_LOG_DOMAIN "lab-window"

#include "config.h"

#include <glib/gi18n.h>
#include <inttypes.h>

#include "lab-error.h"
#include "lab-export-dialog.h"
#include "lab-plot.h"
#include "lab-window-export.h"
#include "lab-window-private.h"

/* ------------------------------------------------------------------------------------------ */
/* Plots                                                                                      */

/* Plots in the window, in widget-tree order (every exportable one is a LabPlot; the Layers
 * menus also hold a plot model, but draw nothing). */
static void
collect_plots (GtkWidget *w,
               GPtrArray *out)
{
  if (LAB_IS_PLOT (w))
    g_ptr_array_add (out, w);
  for (GtkWidget *c = gtk_widget_get_first_child (w); c != NULL;
       c = gtk_widget_get_next_sibling (c))
    collect_plots (c, out);
}

GPtrArray *
_lab_window_list_plots (LabWindow *self)
{
  g_autoptr(GPtrArray) all = g_ptr_array_new ();
  GPtrArray *out = g_ptr_array_new ();

  collect_plots (GTK_WIDGET (self), all);
  for (guint i = 0; i < all->len; i++)
    {
      gboolean seen = FALSE;
      for (guint j = 0; j < out->len && !seen; j++)
        seen = G_OBJECT_TYPE (out->pdata[j]) == G_OBJECT_TYPE (all->pdata[i]);
      if (!seen)
        g_ptr_array_add (out, all->pdata[i]);
    }
  return out;
}

GtkWidget *
lab_window_find_plot (LabWindow *self,
                      GType      plot_type)
{
  g_autoptr(GPtrArray) plots = NULL;

  g_return_val_if_fail (LAB_IS_WINDOW (self), NULL);

  plots = _lab_window_list_plots (self);
  for (guint i = 0; i < plots->len; i++)
    if (G_OBJECT_TYPE (plots->pdata[i]) == plot_type)
      return plots->pdata[i];
  return NULL;
}

GtkWindow *
lab_window_show_export_dialog (LabWindow *self,
                               GtkWidget *plot)
{
  LabExportDialog *dialog;

  g_return_val_if_fail (LAB_IS_WINDOW (self), NULL);

  dialog = lab_export_dialog_new (self, plot);
  gtk_window_present (GTK_WINDOW (dialog));
  return GTK_WINDOW (dialog);
}

static void
export_plot_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *param)
{
  LabWindow *self = LAB_WINDOW (widget);
  GType type = g_type_from_name (g_variant_get_string (param, NULL));

  lab_window_show_export_dialog (self, type ? lab_window_find_plot (self, type) : NULL);
}

/* Right-click on a plot: a one-item menu. */
static void
on_popover_closed (GtkPopover *popover)
{
  /* after the item's action ran: it needs the popover in the tree to find win.* */
  g_idle_add_once ((GSourceOnceFunc) gtk_widget_unparent, popover);
}

static void
on_plot_pressed (GtkGestureClick *gesture,
                 int              n_press,
                 double           x,
                 double           y,
                 gpointer         user_data)
{
  GtkWidget *plot = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (gesture));
  g_autoptr(GMenu) menu = g_menu_new ();
  g_autoptr(GMenuItem) item = g_menu_item_new (_("_Export Plot…"), NULL);
  GtkWidget *popover;

  g_menu_item_set_action_and_target (item, "win.export-plot", "s",
                                     g_type_name (G_OBJECT_TYPE (plot)));
  g_menu_append_item (menu, item);
  popover = gtk_popover_menu_new_from_model (G_MENU_MODEL (menu));
  gtk_widget_set_parent (popover, plot);
  gtk_popover_set_has_arrow (GTK_POPOVER (popover), FALSE);
  gtk_popover_set_pointing_to (GTK_POPOVER (popover), &(GdkRectangle) { (int) x, (int) y, 1, 1 });
  g_signal_connect (popover, "closed", G_CALLBACK (on_popover_closed), NULL);
  gtk_popover_popup (GTK_POPOVER (popover));
  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
}

void
_lab_window_export_init (LabWindow *self)
{
  g_autoptr(GPtrArray) plots = g_ptr_array_new ();

  collect_plots (GTK_WIDGET (self), plots);
  for (guint i = 0; i < plots->len; i++)
    {
      GtkGesture *click = gtk_gesture_click_new ();

      gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), GDK_BUTTON_SECONDARY);
      g_signal_connect (click, "pressed", G_CALLBACK (on_plot_pressed), NULL);
      gtk_widget_add_controller (plots->pdata[i], GTK_EVENT_CONTROLLER (click));
    }
}

/* ------------------------------------------------------------------------------------------ */
/* Metrics                                                                                    */

gboolean
lab_window_export_metrics (LabWindow   *self,
                           const char  *path,
                           char       **note,
                           GError     **error)
{
  LabRowLog *log;

  g_return_val_if_fail (LAB_IS_WINDOW (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  if (note != NULL)
    *note = NULL;
  log = lab_plot_model_get_row_log (self->model);
  if (log == NULL || lab_row_log_len (log) == 0)
    {
      g_set_error (error, LAB_ENGINE_ERROR, LAB_ENGINE_ERROR_INVALID,
                   _("%s: nothing to export yet: the run has no steps"), path);
      return FALSE;
    }
  if (!lab_row_log_write (log, path, error))
    return FALSE;
  if (note != NULL && lab_row_log_get_stride (log) > 1)
    *note = g_strdup_printf (_("Saved %zu of %" PRIu64 " steps: this run "
                               "is longer than the log keeps, so it holds every %u-th step"),
                             lab_row_log_len (log), lab_row_log_seen (log),
                             lab_row_log_get_stride (log));
  return TRUE;
}

static void
on_metrics_path (LabWindow  *self,
                 const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *note = NULL;
  g_autofree char *full = NULL;

  if (!g_str_has_suffix (path, ".csv") && !g_str_has_suffix (path, ".jsonl") &&
      !g_str_has_suffix (path, ".json"))
    path = full = g_strconcat (path, ".csv", NULL);
  if (!lab_window_export_metrics (self, path, &note, &error))
    lab_window_show_error (self, error->message);
  else if (note != NULL)
    lab_window_show_error (self, note);
}

static void
export_metrics_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *param)
{
  static const char * const filters[] = {
    N_("CSV (.csv)"), "*.csv", N_("JSON Lines (.jsonl)"), "*.jsonl", NULL,
  };

  _lab_window_choose_file (LAB_WINDOW (widget), _("Export Metrics"), GTK_FILE_CHOOSER_ACTION_SAVE,
                           "metrics.csv", filters, on_metrics_path);
}

void
_lab_window_export_class_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.export-plot", "s", export_plot_action);
  gtk_widget_class_install_action (widget_class, "win.export-metrics", NULL,
                                   export_metrics_action);
}
