/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-window-files.c: files in and out of the main window. Open takes settings (.ini), a saved
 * run (.gradlab, read in the background by lab-window-runfile.c), a lesson, the results of
 * `gradlab-cli sweep`, data (a CSV file or an IDX folder), or a run directory to watch
 * (lab-window-watch.c); the engine says which a path is
 * (lab_file_kind_guess), so nothing here reads a file to decide. The sidebar's settings save to
 * an .ini or copy to the clipboard; the engine saves weights as .npy files. The window shows one
 * file chooser at a time (_lab_window_choose_file), for these and for its other files.
 */
#define G_LOG_DOMAIN "lab-window"

#include "config.h"

#include <glib/gi18n.h>

#include "lab-file-chooser.h"
#include "lab-file-kind.h"
#include "lab-sweep.h"
#include "lab-window-classroom.h"
#include "lab-window-private.h"
#include "lab-window-runfile.h"
#include "lab-window-watch.h"

/* ------------------------------------------------------------------------------------------ */
/* The file chooser                                                                           */

static void
on_chooser_response (GtkNativeDialog *dialog,
                     int              response,
                     LabWindow       *self)
{
  LabWindowFileFunc done = self->chooser_done;
  g_autofree char *path = lab_file_chooser_finish (&self->chooser, response);

  self->chooser_done = NULL;
  if (path != NULL)
    done (self, path);
}

void
_lab_window_choose_file (LabWindow            *self,
                         const char           *title,
                         GtkFileChooserAction  action,
                         const char           *current_name,
                         const char * const   *filters,
                         LabWindowFileFunc     done)
{
  const char *accept = action == GTK_FILE_CHOOSER_ACTION_OPEN ? _("_Open") : _("_Save");

  lab_file_chooser_clear (&self->chooser);
  self->chooser = lab_file_chooser_new (GTK_WINDOW (self), title, action, accept, current_name,
                                        filters);
  self->chooser_done = done;
  g_signal_connect (self->chooser, "response", G_CALLBACK (on_chooser_response), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

void
_lab_window_files_dispose (LabWindow *self)
{
  /* the chooser holds a reference to its parent, this window */
  lab_file_chooser_clear (&self->chooser);
}

/* ------------------------------------------------------------------------------------------ */
/* Open                                                                                       */

/* Shows a sweep's accuracy-versus-sparsity curves on the pruning page (one per criterion, and
 * fine-tuning length when they differ: the sparsity plot names them). */
static gboolean
open_sweep (LabWindow   *self,
            const char  *path,
            GError     **error)
{
  g_autoptr(GArray) rows = lab_sweep_load_csv (path, error);

  if (rows == NULL)
    return FALSE;
  lab_plot_model_add_sweep_rows (self->model, (const LabSweepRow *) rows->data, rows->len);
  lab_window_set_page (self, "pruning");
  return TRUE;
}

static gboolean
open_settings (LabWindow   *self,
               const char  *path,
               GError     **error)
{
  LabConfig cfg;
  gboolean ok;

  lab_config_init_defaults (&cfg);
  ok = lab_config_load_file (&cfg, path, error);
  if (ok)
    lab_window_apply_config (self, &cfg);
  lab_config_clear (&cfg);
  return ok;
}

/* The sidebar's settings with other data: the loader's errors come as the new run's. */
static void
open_data (LabWindow     *self,
           LabDataSource  source,
           char          *data_path)   /* (transfer full) */
{
  LabConfig cfg;

  lab_settings_panel_get_config (self->settings_panel, &cfg);
  g_free (cfg.data.path);
  cfg.data.source = source;
  cfg.data.path = data_path;
  lab_window_apply_config (self, &cfg);
  lab_config_clear (&cfg);
}

static void
on_run_opened (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  LabWindow *self = LAB_WINDOW (source);
  g_autoptr(GError) error = NULL;

  if (!lab_window_open_run_finish (self, result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    lab_window_show_error (self, error->message);
}

gboolean
lab_window_open_file (LabWindow  *self,
                      GFile      *file,
                      GError    **error)
{
  g_autofree char *path = NULL;

  g_return_val_if_fail (LAB_IS_WINDOW (self), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  path = g_file_get_path (file);
  if (path == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                   _("Cannot open “%s”: only local files are supported"), g_file_peek_path (file));
      return FALSE;
    }

  switch (lab_file_kind_guess (path))
    {
    case LAB_FILE_RUN:
      lab_window_open_run_async (self, file, on_run_opened, NULL);
      return TRUE;
    case LAB_FILE_LESSON:
      return lab_window_open_lesson_file (self, path, error);
    case LAB_FILE_SETTINGS:
      return open_settings (self, path, error);
    case LAB_FILE_SWEEP:
      return open_sweep (self, path, error);
    case LAB_FILE_CSV_DATA:
      open_data (self, LAB_DATA_CSV, g_strdup (path));
      return TRUE;
    case LAB_FILE_RUN_DIR:
      lab_window_watch (self, path);
      return TRUE;
    case LAB_FILE_IDX_FOLDER:
      open_data (self, LAB_DATA_IDX, g_strdup (path));
      return TRUE;
    case LAB_FILE_IDX_MEMBER:
      open_data (self, LAB_DATA_IDX, g_path_get_dirname (path));
      return TRUE;
    case LAB_FILE_UNKNOWN:
    default:
      {
        g_autofree char *base = g_path_get_basename (path);
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                     _("Cannot open “%s”: expected settings (.ini), a saved run (.gradlab), a CSV "
                       "file (.csv), an IDX data folder, or a run directory to watch"), base);
        return FALSE;
      }
    }
}

static void
on_open_path (LabWindow  *self,
              const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;

  if (!lab_window_open_file (self, file, &error))
    lab_window_show_error (self, error->message);
}

static void
open_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  static const char * const filters[] = {
    N_("Settings and data"), "*.ini;*.gradlab;*.csv;*idx*",
    N_("Settings (.ini)"), "*.ini",
    N_("Saved runs (.gradlab)"), "*.gradlab",
    N_("CSV data (.csv)"), "*.csv",
    N_("IDX data (MNIST layout)"), "*idx*",
    NULL,
  };

  _lab_window_choose_file (LAB_WINDOW (widget), _("Open Data or Settings"),
                           GTK_FILE_CHOOSER_ACTION_OPEN, NULL, filters, on_open_path);
}

/* ------------------------------------------------------------------------------------------ */
/* Settings and weights                                                                       */

static void
on_save_config_path (LabWindow  *self,
                     const char *path)
{
  g_autoptr(GError) error = NULL;
  LabConfig cfg;

  lab_settings_panel_get_config (self->settings_panel, &cfg);
  if (!lab_config_save_file (&cfg, path, &error))
    lab_window_show_error (self, error->message);
  lab_config_clear (&cfg);
}

static void
save_config_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *param)
{
  static const char * const filters[] = { N_("Settings (.ini)"), "*.ini", NULL };

  _lab_window_choose_file (LAB_WINDOW (widget), _("Save Settings"), GTK_FILE_CHOOSER_ACTION_SAVE,
                           "gradlab.ini", filters, on_save_config_path);
}

static void
on_save_weights_path (LabWindow  *self,
                      const char *path)
{
  /* A failure comes back as the error of a later snapshot. */
  self->last_serial = lab_session_save_weights (self->session, path);
}

static void
save_weights_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *param)
{
  _lab_window_choose_file (LAB_WINDOW (widget), _("Save Weights as NumPy Files to a Folder"),
                           GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER, NULL, NULL, on_save_weights_path);
}

static void
copy_config_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *param)
{
  LabWindow *self = LAB_WINDOW (widget);
  g_autofree char *text = NULL;
  LabConfig cfg;

  lab_settings_panel_get_config (self->settings_panel, &cfg);
  text = lab_config_to_data (&cfg, NULL);
  lab_config_clear (&cfg);
  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), text);
}

void
_lab_window_files_class_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.open", NULL, open_action);
  gtk_widget_class_install_action (widget_class, "win.save-config", NULL, save_config_action);
  gtk_widget_class_install_action (widget_class, "win.save-weights", NULL, save_weights_action);
  gtk_widget_class_install_action (widget_class, "win.copy-config", NULL, copy_config_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_o, GDK_CONTROL_MASK, "win.open", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK,
                                       "win.save-config", NULL);
}
