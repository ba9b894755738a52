/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-window-export.c: export and run files for the main window (see lab-window-export.h).
 *
 * It uses only the window's public API (session, plot model, error banner, actions), so
 * lab-window.c stays about the window. Saving a run needs the window to hold the weights of
 * the engine's last step: the save action pauses, waits on the plot model's ::changed until the
 * engine has come to rest (a pause publishes fresh weights), saves, and resumes if it was
 * running. File choosers are GtkFileChooserNative (GTK 4.8), one at a time per window.
 */
#define G_LOG_DOMAIN "lab-window"

#include "config.h"

#include <math.h>
#include <string.h>

#include "lab-error.h"
#include "lab-export.h"
#include "lab-runfile.h"
#include "lab-window-export.h"

#define SAVE_TIMEOUT_MS 15000

/* ------------------------------------------------------------------------------------------ */
/* Plots                                                                                      */

static gboolean
is_plot (GtkWidget *w)
{
  GParamSpec *p = g_object_class_find_property (G_OBJECT_GET_CLASS (w), "model");

  return p != NULL && p->value_type == LAB_TYPE_PLOT_MODEL;
}

/* Plots in the window, in widget-tree order. */
static void
collect_plots (GtkWidget *w,
               GPtrArray *out)
{
  if (is_plot (w))
    g_ptr_array_add (out, w);
  for (GtkWidget *c = gtk_widget_get_first_child (w); c != NULL;
       c = gtk_widget_get_next_sibling (c))
    collect_plots (c, out);
}

/* One plot per type (the loss plot is on both pages). */
static GPtrArray *
list_plots (LabWindow *self)
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

  plots = list_plots (self);
  for (guint i = 0; i < plots->len; i++)
    if (G_OBJECT_TYPE (plots->pdata[i]) == plot_type)
      return plots->pdata[i];
  return NULL;
}

/* A file name from a title: "Loss and accuracy" → "loss-and-accuracy". */
static char *
slug (const char *title)
{
  GString *s = g_string_new (NULL);

  for (const char *p = title; *p; p++)
    {
      if (g_ascii_isalnum (*p))
        g_string_append_c (s, g_ascii_tolower (*p));
      else if (s->len > 0 && s->str[s->len - 1] != '-')
        g_string_append_c (s, '-');
    }
  while (s->len > 0 && s->str[s->len - 1] == '-')
    g_string_truncate (s, s->len - 1);
  return g_string_free (s, FALSE);
}

/* ------------------------------------------------------------------------------------------ */
/* File choosers: one per owner (window or dialog), dropped when answered or when it dies     */

#define CHOOSER_KEY "lab-export-chooser"

static void
chooser_free (gpointer data)
{
  gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (data));
  g_object_unref (data);
}

#define SAVE_REQUEST_KEY "lab-save-request"

/* The chooser refs its parent: the parent's ::destroy breaks that cycle (and drops a save
 * waiting for the engine). */
static void
on_owner_destroy (GtkWidget *owner)
{
  g_object_set_data (G_OBJECT (owner), CHOOSER_KEY, NULL);
  g_object_set_data (G_OBJECT (owner), SAVE_REQUEST_KEY, NULL);
}

typedef void (*ChooserDone) (GtkWidget *owner,
                             const char *path);

static void
on_chooser_response (GtkNativeDialog *dialog,
                     int              response,
                     GtkWidget       *owner)
{
  ChooserDone done = g_object_get_data (G_OBJECT (dialog), "done");
  g_autofree char *path = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      if (file != NULL)
        path = g_file_get_path (file);
    }
  /* keep the dialog alive through the callback */
  g_object_ref (dialog);
  g_object_set_data (G_OBJECT (owner), CHOOSER_KEY, NULL);
  if (path != NULL)
    done (owner, path);
  g_object_unref (dialog);
}

static void
choose_save_path (GtkWidget          *owner,
                  const char         *title,
                  const char         *name,
                  const char * const *filters,   /* name, pattern, name, pattern …, NULL */
                  ChooserDone         done)
{
  GtkWindow *parent = GTK_WINDOW (gtk_widget_get_root (owner));
  GtkFileChooserNative *chooser;

  chooser = gtk_file_chooser_native_new (title, parent, GTK_FILE_CHOOSER_ACTION_SAVE, "_Save",
                                         "_Cancel");
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  for (guint i = 0; filters != NULL && filters[i] != NULL && filters[i + 1] != NULL; i += 2)
    {
      GtkFileFilter *filter = gtk_file_filter_new ();
      gtk_file_filter_set_name (filter, filters[i]);
      gtk_file_filter_add_pattern (filter, filters[i + 1]);
      gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
      g_object_unref (filter);
    }
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  g_object_set_data (G_OBJECT (chooser), "done", done);
  g_signal_connect (chooser, "response", G_CALLBACK (on_chooser_response), owner);
  if (g_object_get_data (G_OBJECT (owner), "lab-export-destroy-hooked") == NULL)
    {
      g_signal_connect (owner, "destroy", G_CALLBACK (on_owner_destroy), NULL);
      g_object_set_data (G_OBJECT (owner), "lab-export-destroy-hooked", GINT_TO_POINTER (1));
    }
  g_object_set_data_full (G_OBJECT (owner), CHOOSER_KEY, chooser, chooser_free);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* ------------------------------------------------------------------------------------------ */
/* The plot export dialog                                                                     */

typedef struct
{
  LabWindow *window;      /* weak: the dialog is destroyed with it */
  GArray    *types;       /* GType of each entry of plot_dropdown */
  GtkWidget *plot_dropdown;
  GtkWidget *format_dropdown;
  GtkWidget *width_spin;
  GtkWidget *height_spin;
  GtkWidget *scale_spin;
} ExportDialog;

static void
export_dialog_free (gpointer data)
{
  ExportDialog *d = data;

  g_array_unref (d->types);
  g_free (d);
}

static void
on_export_path (GtkWidget  *dialog,
                const char *path)
{
  ExportDialog *d = g_object_get_data (G_OBJECT (dialog), "export-dialog");
  guint i = gtk_drop_down_get_selected (GTK_DROP_DOWN (d->plot_dropdown));
  LabExportFormat format = gtk_drop_down_get_selected (GTK_DROP_DOWN (d->format_dropdown));
  g_autoptr(GError) error = NULL;
  g_autofree char *full = NULL;
  GType type;

  if (i >= d->types->len || format > LAB_EXPORT_PDF)
    return;
  type = g_array_index (d->types, GType, i);
  /* the chooser may have been given a name without the extension */
  if (!lab_export_format_from_path (path, NULL))
    full = g_strconcat (path, ".", lab_export_format_extension (format), NULL);
  else
    {
      lab_export_format_from_path (path, &format);
      full = g_strdup (path);
    }
  if (!lab_export_plot (type, lab_window_find_plot (d->window, type),
                        lab_window_get_plot_model (d->window), format,
                        gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (d->width_spin)),
                        gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (d->height_spin)),
                        gtk_spin_button_get_value (GTK_SPIN_BUTTON (d->scale_spin)),
                        full, &error))
    lab_window_show_error (d->window, error->message);
  else
    gtk_window_destroy (GTK_WINDOW (dialog));
}

static void
on_export_clicked (GtkButton *button,
                   GtkWidget *dialog)
{
  static const char * const filters[][3] = {
    { "PNG image (.png)", "*.png", NULL },
    { "SVG drawing (.svg)", "*.svg", NULL },
    { "PDF document (.pdf)", "*.pdf", NULL },
  };
  ExportDialog *d = g_object_get_data (G_OBJECT (dialog), "export-dialog");
  guint i = gtk_drop_down_get_selected (GTK_DROP_DOWN (d->plot_dropdown));
  guint format = gtk_drop_down_get_selected (GTK_DROP_DOWN (d->format_dropdown));
  g_autofree char *base = NULL;
  g_autofree char *name = NULL;

  if (i >= d->types->len || format > LAB_EXPORT_PDF)
    return;
  base = slug (lab_export_plot_title (g_array_index (d->types, GType, i)));
  name = g_strconcat (base, ".", lab_export_format_extension (format), NULL);
  choose_save_path (dialog, "Export Plot", name, filters[format], on_export_path);
}

static GtkWidget *
spin_new (double value,
          double lo,
          double hi,
          double step,
          guint  digits)
{
  GtkWidget *spin = gtk_spin_button_new_with_range (lo, hi, step);

  gtk_spin_button_set_digits (GTK_SPIN_BUTTON (spin), digits);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (spin), value);
  gtk_widget_set_hexpand (spin, TRUE);
  return spin;
}

static void
grid_row (GtkGrid    *grid,
          int         row,
          const char *label,
          GtkWidget  *widget)
{
  GtkWidget *l = gtk_label_new_with_mnemonic (label);

  gtk_label_set_xalign (GTK_LABEL (l), 1.0);
  gtk_label_set_mnemonic_widget (GTK_LABEL (l), widget);
  gtk_widget_add_css_class (l, "dim-label");
  gtk_grid_attach (grid, l, 0, row, 1, 1);
  gtk_grid_attach (grid, widget, 1, row, 1, 1);
}

GtkWindow *
lab_window_show_export_dialog (LabWindow *self,
                               GtkWidget *plot)
{
  static const char * const formats[] = { "PNG image", "SVG drawing", "PDF document", NULL };
  g_autoptr(GPtrArray) plots = NULL;
  g_autoptr(GtkStringList) titles = gtk_string_list_new (NULL);
  ExportDialog *d;
  GtkWidget *dialog, *box, *grid, *buttons, *cancel, *export, *note;
  guint selected = 0;

  g_return_val_if_fail (LAB_IS_WINDOW (self), NULL);

  d = g_new0 (ExportDialog, 1);
  d->window = self;
  d->types = g_array_new (FALSE, FALSE, sizeof (GType));
  plots = list_plots (self);
  for (guint i = 0; i < plots->len; i++)
    {
      GType type = G_OBJECT_TYPE (plots->pdata[i]);
      g_array_append_val (d->types, type);
      gtk_string_list_append (titles, lab_export_plot_title (type));
      if (plot != NULL && G_OBJECT_TYPE (plot) == type)
        selected = i;
    }

  dialog = gtk_window_new ();
  gtk_window_set_title (GTK_WINDOW (dialog), "Export Plot");
  gtk_window_set_transient_for (GTK_WINDOW (dialog), GTK_WINDOW (self));
  gtk_window_set_modal (GTK_WINDOW (dialog), TRUE);
  gtk_window_set_destroy_with_parent (GTK_WINDOW (dialog), TRUE);
  gtk_window_set_resizable (GTK_WINDOW (dialog), FALSE);
  gtk_widget_add_css_class (dialog, "export-dialog");
  g_object_set_data_full (G_OBJECT (dialog), "export-dialog", d, export_dialog_free);

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  gtk_widget_set_margin_top (box, 18);
  gtk_widget_set_margin_bottom (box, 18);
  gtk_widget_set_margin_start (box, 18);
  gtk_widget_set_margin_end (box, 18);

  grid = gtk_grid_new ();
  gtk_grid_set_row_spacing (GTK_GRID (grid), 8);
  gtk_grid_set_column_spacing (GTK_GRID (grid), 12);
  d->plot_dropdown = gtk_drop_down_new (G_LIST_MODEL (g_steal_pointer (&titles)), NULL);
  gtk_drop_down_set_selected (GTK_DROP_DOWN (d->plot_dropdown), selected);
  d->format_dropdown = gtk_drop_down_new_from_strings (formats);
  d->width_spin = spin_new (1600, LAB_EXPORT_MIN_SIZE, LAB_EXPORT_MAX_SIZE, 10, 0);
  d->height_spin = spin_new (1000, LAB_EXPORT_MIN_SIZE, LAB_EXPORT_MAX_SIZE, 10, 0);
  d->scale_spin = spin_new (2.0, 0.5, 8.0, 0.25, 2);
  gtk_widget_set_tooltip_text (d->scale_spin,
                               "Image pixels per screen pixel: 2 draws text and lines twice as "
                               "large as on a normal screen");
  grid_row (GTK_GRID (grid), 0, "_Plot", d->plot_dropdown);
  grid_row (GTK_GRID (grid), 1, "_Format", d->format_dropdown);
  grid_row (GTK_GRID (grid), 2, "_Width (px)", d->width_spin);
  grid_row (GTK_GRID (grid), 3, "_Height (px)", d->height_spin);
  grid_row (GTK_GRID (grid), 4, "_Scale", d->scale_spin);
  gtk_box_append (GTK_BOX (box), grid);

  note = gtk_label_new ("SVG and PDF keep lines and text as vectors; their size is in px and "
                        "points (1 px = 1 pt).");
  gtk_label_set_wrap (GTK_LABEL (note), TRUE);
  gtk_label_set_max_width_chars (GTK_LABEL (note), 40);
  gtk_label_set_xalign (GTK_LABEL (note), 0);
  gtk_widget_add_css_class (note, "dim-label");
  gtk_widget_add_css_class (note, "caption");
  gtk_box_append (GTK_BOX (box), note);

  buttons = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  gtk_widget_set_halign (buttons, GTK_ALIGN_END);
  cancel = gtk_button_new_with_mnemonic ("_Cancel");
  export = gtk_button_new_with_mnemonic ("_Export…");
  gtk_widget_add_css_class (export, "suggested-action");
  g_signal_connect_swapped (cancel, "clicked", G_CALLBACK (gtk_window_destroy), dialog);
  g_signal_connect (export, "clicked", G_CALLBACK (on_export_clicked), dialog);
  gtk_box_append (GTK_BOX (buttons), cancel);
  gtk_box_append (GTK_BOX (buttons), export);
  gtk_box_append (GTK_BOX (box), buttons);

  gtk_window_set_child (GTK_WINDOW (dialog), box);
  gtk_window_set_default_widget (GTK_WINDOW (dialog), export);
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
  g_autoptr(GMenuItem) item = g_menu_item_new ("_Export Plot…", NULL);
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
  log = lab_plot_model_get_row_log (lab_window_get_plot_model (self));
  if (log == NULL || lab_row_log_len (log) == 0)
    {
      g_set_error (error, LAB_ENGINE_ERROR, LAB_ENGINE_ERROR_INVALID,
                   "%s: nothing to export yet: the run has no steps", path);
      return FALSE;
    }
  if (!lab_row_log_write (log, path, error))
    return FALSE;
  if (note != NULL && lab_row_log_get_stride (log) > 1)
    *note = g_strdup_printf ("Saved %" G_GSIZE_FORMAT " of %" G_GUINT64_FORMAT " steps: this run "
                             "is longer than the log keeps, so it holds every %u-th step",
                             lab_row_log_len (log), lab_row_log_seen (log),
                             lab_row_log_get_stride (log));
  return TRUE;
}

static void
on_metrics_path (GtkWidget  *owner,
                 const char *path)
{
  LabWindow *self = LAB_WINDOW (owner);
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
    "CSV (.csv)", "*.csv", "JSON Lines (.jsonl)", "*.jsonl", NULL,
  };

  choose_save_path (widget, "Export Metrics", "metrics.csv", filters, on_metrics_path);
}

/* ------------------------------------------------------------------------------------------ */
/* Run files                                                                                  */

gboolean
lab_window_run_at_rest (LabWindow *self)
{
  LabPlotModel *model;
  LabSnapshot *latest, *heavy;
  const LabStepStats *row;

  g_return_val_if_fail (LAB_IS_WINDOW (self), FALSE);

  model = lab_window_get_plot_model (self);
  latest = lab_plot_model_get_latest (model);
  heavy = lab_plot_model_get_heavy (model);
  row = lab_plot_model_get_last_row (model);
  return latest != NULL && heavy != NULL && heavy->heavy != NULL &&
         latest->status.acked >= lab_window_get_last_serial (self) &&
         latest->status.state != LAB_SESSION_RUNNING &&
         heavy->heavy->step == latest->status.step &&
         (row->step == 0 || row->step == latest->status.step);
}

gboolean
lab_window_save_run (LabWindow   *self,
                     const char  *path,
                     GError     **error)
{
  LabPlotModel *model;
  LabSnapshot *latest, *snap;
  const LabHeavy *hv;
  g_autoptr(LabRowLog) empty = NULL;
  g_autofree char *text = NULL;
  LabRun run = { 0 };
  gboolean ok;

  g_return_val_if_fail (LAB_IS_WINDOW (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  if (!lab_window_run_at_rest (self))
    {
      g_set_error (error, LAB_ENGINE_ERROR, LAB_ENGINE_ERROR_INVALID,
                   "%s: the run can be saved once it is paused", path);
      return FALSE;
    }
  model = lab_window_get_plot_model (self);
  latest = lab_plot_model_get_latest (model);
  snap = lab_plot_model_get_heavy (model);
  hv = snap->heavy;

  /* borrowed pointers: the run is not freed */
  text = lab_config_to_data (&latest->config, NULL);
  run.config = latest->config;
  run.config_text = text;
  run.n_layers = hv->n_layers;
  memcpy (run.sizes, hv->sizes, sizeof run.sizes);
  run.n_params = hv->n_params;
  run.params = hv->params;
  run.mask = hv->mask;
  run.step = hv->step;
  run.epoch = MAX (latest->status.epoch, 1);
  if (latest->status.eval_step > 0 && latest->status.eval_step <= hv->step)
    {
      run.eval_step = latest->status.eval_step;
      run.test_loss = latest->status.test_loss;
      run.test_accuracy = latest->status.test_accuracy;
    }
  else
    run.test_loss = run.test_accuracy = NAN;
  run.rows = lab_plot_model_get_row_log (model);
  if (run.rows == NULL || lab_row_log_n_layers (run.rows) != hv->n_layers)
    run.rows = empty = lab_row_log_new (hv->n_layers);

  ok = lab_run_save (&run, path, error);
  return ok;
}

typedef struct
{
  LabWindow    *window;
  LabPlotModel *model;      /* owned */
  char         *path;
  gboolean   resume;
  gulong     handler;
  guint      timeout;
} SaveRequest;

static void
save_request_finish (SaveRequest *req,
                     gboolean     timed_out)
{
  LabWindow *self = req->window;
  g_autoptr(GError) error = NULL;

  g_clear_signal_handler (&req->handler, req->model);
  g_clear_handle_id (&req->timeout, g_source_remove);
  if (timed_out)
    lab_window_show_error (self, "The run could not be saved: the engine did not pause");
  else if (!lab_window_save_run (self, req->path, &error))
    lab_window_show_error (self, error->message);
  if (req->resume)
    gtk_widget_activate_action (GTK_WIDGET (self), "win.play", NULL);
  g_object_set_data (G_OBJECT (self), SAVE_REQUEST_KEY, NULL);   /* frees req */
}

static void
on_model_changed_save (LabPlotModel *model,
                       SaveRequest  *req)
{
  if (lab_window_run_at_rest (req->window))
    save_request_finish (req, FALSE);
}

static gboolean
on_save_timeout (gpointer data)
{
  SaveRequest *req = data;

  req->timeout = 0;
  save_request_finish (req, TRUE);
  return G_SOURCE_REMOVE;
}

static void
save_request_free (gpointer data)
{
  SaveRequest *req = data;

  g_clear_signal_handler (&req->handler, req->model);
  g_clear_handle_id (&req->timeout, g_source_remove);
  g_clear_object (&req->model);
  g_free (req->path);
  g_free (req);
}

static void
on_run_path (GtkWidget  *owner,
             const char *path)
{
  LabWindow *self = LAB_WINDOW (owner);
  LabSnapshot *latest = lab_plot_model_get_latest (lab_window_get_plot_model (self));
  g_autofree char *full = NULL;
  SaveRequest *req;

  if (!g_str_has_suffix (path, ".gradlab"))
    path = full = g_strconcat (path, ".gradlab", NULL);

  req = g_new0 (SaveRequest, 1);
  req->window = self;
  req->model = g_object_ref (lab_window_get_plot_model (self));
  req->path = g_strdup (path);
  req->resume = latest != NULL && latest->status.state == LAB_SESSION_RUNNING;
  g_object_set_data_full (G_OBJECT (self), SAVE_REQUEST_KEY, req, save_request_free);
  if (req->resume)
    gtk_widget_activate_action (GTK_WIDGET (self), "win.pause", NULL);
  if (lab_window_run_at_rest (self))
    {
      save_request_finish (req, FALSE);
      return;
    }
  req->handler = g_signal_connect (req->model, "changed",
                                   G_CALLBACK (on_model_changed_save), req);
  req->timeout = g_timeout_add (SAVE_TIMEOUT_MS, on_save_timeout, req);
}

static void
save_run_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *param)
{
  static const char * const filters[] = { "Gradient Lab runs (.gradlab)", "*.gradlab", NULL };

  choose_save_path (widget, "Save Run", "run.gradlab", filters, on_run_path);
}

guint64
_lab_window_open_run (LabWindow   *self,
                      const char  *path,
                      GError     **error)
{
  g_autoptr(LabRun) run = NULL;
  LabSnapshot *latest;

  g_return_val_if_fail (LAB_IS_WINDOW (self), 0);

  if ((run = lab_run_load (path, error)) == NULL)
    return 0;

  /* a reopened run starts paused, where it was saved */
  latest = lab_plot_model_get_latest (lab_window_get_plot_model (self));
  if (latest != NULL && latest->status.state == LAB_SESSION_RUNNING)
    gtk_widget_activate_action (GTK_WIDGET (self), "win.pause", NULL);
  lab_window_apply_config (self, &run->config);
  lab_plot_model_restore_run (lab_window_get_plot_model (self), g_steal_pointer (&run->rows),
                              run->eval_step, run->test_loss, run->test_accuracy);
  return lab_session_load_params (lab_window_get_session (self), run->params, run->mask,
                                  run->n_params, run->step);
}

/* ------------------------------------------------------------------------------------------ */

void
_lab_window_export_class_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.export-plot", "s", export_plot_action);
  gtk_widget_class_install_action (widget_class, "win.export-metrics", NULL,
                                   export_metrics_action);
  gtk_widget_class_install_action (widget_class, "win.save-run", NULL, save_run_action);
}
