/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-window-runfile.c: run files in the main window (see lab-window-runfile.h).
 *
 * Each operation is a GTask run in a worker thread, wrapped by a public GTask whose source is
 * the window (GIO's async/finish pair). Saving copies what it writes on the main thread first
 * (references to the frozen snapshots, a copy of the metrics log), so the worker never reads
 * what the window goes on changing. Opening is cancellable: a newer run cancels the window's
 * open_cancellable, and a cancelled read returns at once and is never applied, as
 * gnome-text-editor drops the result of a worker whose owner moved on.
 */
#define G_LOG_DOMAIN "lab-window"

#include "config.h"

#include <glib/gi18n.h>

#include <math.h>
#include <string.h>

#include "lab-error.h"
#include "lab-runfile.h"
#include "lab-window-private.h"
#include "lab-window-runfile.h"

/* how long Save Run waits for the engine to pause */
#define SAVE_TIMEOUT_MS 15000

gboolean
lab_window_run_at_rest (LabWindow *self)
{
  LabSnapshot *latest, *heavy;
  const LabStepStats *row;

  g_return_val_if_fail (LAB_IS_WINDOW (self), FALSE);

  latest = lab_plot_model_get_latest (self->model);
  heavy = lab_plot_model_get_heavy (self->model);
  row = lab_plot_model_get_last_row (self->model);
  return latest != NULL && heavy != NULL && heavy->heavy != NULL &&
         latest->status.acked >= self->last_serial &&
         latest->status.state != LAB_SESSION_RUNNING &&
         heavy->heavy->step == latest->status.step &&
         heavy->heavy->caption[0] == '\0' &&   /* the run's own network, not a pruned copy */
         (row->step == 0 || row->step == latest->status.step);
}

static void
begin_busy (LabWindow  *self,
            gboolean    saving,
            const char *path)
{
  g_autofree char *base = g_path_get_basename (path);
  /* Translators: %s is a file name */
  g_autofree char *what = g_strdup_printf (saving ? _("Saving %s…") : _("Opening %s…"), base);

  _lab_window_begin_busy (self, what);
}

/* ------------------------------------------------------------------------------------------ */
/* Saving                                                                                     */

typedef struct
{
  char         *path;
  LabSnapshot  *latest;        /* (owned) state, settings and latest evaluation */
  LabSnapshot  *heavy;         /* (owned) weights and mask */
  LabRowLog    *rows;          /* (owned) a copy: the plot model goes on appending to its own */
  LabExperimentResults results;  /* (owned) a copy, likewise */
  char         *config_text;
} SaveJob;

static void
save_job_free (gpointer data)
{
  SaveJob *job = data;

  g_free (job->path);
  lab_snapshot_unref (job->latest);
  lab_snapshot_unref (job->heavy);
  lab_row_log_free (job->rows);
  lab_experiment_results_clear (&job->results);
  g_free (job->config_text);
  g_free (job);
}

static SaveJob *
save_job_new (LabWindow  *self,
              const char *path)
{
  SaveJob *job = g_new0 (SaveJob, 1);
  LabRowLog *rows = lab_plot_model_get_row_log (self->model);

  job->path = g_strdup (path);
  job->latest = lab_snapshot_ref (lab_plot_model_get_latest (self->model));
  job->heavy = lab_snapshot_ref (lab_plot_model_get_heavy (self->model));
  if (rows != NULL && lab_row_log_n_layers (rows) == job->heavy->heavy->n_layers)
    job->rows = lab_row_log_copy (rows);
  else
    job->rows = lab_row_log_new (job->heavy->heavy->n_layers);
  lab_experiment_results_copy (&job->results, lab_plot_model_get_results (self->model));
  job->config_text = lab_config_to_data (&job->latest->config, NULL);
  return job;
}

/* Worker thread: the run as the file holds it; every pointer is borrowed from the job. */
static void
write_run_thread (GTask        *task,
                  gpointer      source,
                  gpointer      data,
                  GCancellable *cancellable)
{
  SaveJob *job = data;
  const LabHeavy *hv = job->heavy->heavy;
  const LabSnapshot *latest = job->latest;
  LabRun run = { 0 };
  GError *error = NULL;

  run.config = latest->config;
  run.config_text = job->config_text;
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
  run.rows = job->rows;
  run.results = job->results;

  if (lab_run_save (&run, job->path, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
on_run_written (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  LabWindow *self = g_task_get_source_object (task);
  GApplication *app = g_task_get_task_data (task);
  GError *error = NULL;

  _lab_window_end_busy (self);
  if (app != NULL)
    g_application_release (app);
  if (g_task_propagate_boolean (G_TASK (result), &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
lab_window_save_run_async (LabWindow           *self,
                           GFile               *file,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GTask) write = NULL;
  g_autofree char *path = NULL;
  GApplication *app;

  g_return_if_fail (LAB_IS_WINDOW (self));
  g_return_if_fail (G_IS_FILE (file));

  task = g_task_new (self, NULL, callback, user_data);
  g_task_set_source_tag (task, lab_window_save_run_async);
  if ((path = g_file_get_path (file)) == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                               _("Cannot save to “%s”: only local files are supported"),
                               g_file_peek_path (file));
      return;
    }
  if (!lab_window_run_at_rest (self))
    {
      g_task_return_new_error (task, LAB_ENGINE_ERROR, LAB_ENGINE_ERROR_INVALID,
                               _("%s: the run can be saved once it is paused"), path);
      return;
    }

  /* a process whose last window closed stays until the file is whole */
  app = G_APPLICATION (gtk_window_get_application (GTK_WINDOW (self)));
  if (app != NULL)
    {
      g_application_hold (app);
      g_task_set_task_data (task, g_object_ref (app), g_object_unref);
    }
  begin_busy (self, TRUE, path);
  write = g_task_new (NULL, NULL, on_run_written, g_object_ref (task));
  g_task_set_task_data (write, save_job_new (self, path), save_job_free);
  g_task_run_in_thread (write, write_run_thread);
}

gboolean
lab_window_save_run_finish (LabWindow     *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == lab_window_save_run_async,
                        FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ------------------------------------------------------------------------------------------ */
/* Save Run: pause, wait for the weights of the last step, save, resume                       */

struct _LabSaveRequest
{
  char     *path;
  gboolean  resume;
  gulong    handler;     /* the plot model's ::changed */
  guint     timeout;
};

static void
save_request_free (LabWindow      *self,
                   LabSaveRequest *req)
{
  g_clear_signal_handler (&req->handler, self->model);
  g_clear_handle_id (&req->timeout, g_source_remove);
  g_free (req->path);
  g_free (req);
  _lab_window_end_busy (self);
}

static void
on_run_saved (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  LabWindow *self = LAB_WINDOW (source);
  g_autoptr(GError) error = NULL;

  if (!lab_window_save_run_finish (self, result, &error) && !_lab_window_is_closed (self))
    lab_window_show_error (self, error->message);
}

static void
save_request_finish (LabWindow *self,
                     gboolean   timed_out)
{
  LabSaveRequest *req = g_steal_pointer (&self->save_request);

  if (timed_out)
    lab_window_show_error (self, _("The run could not be saved: the engine did not pause"));
  else
    {
      g_autoptr(GFile) file = g_file_new_for_path (req->path);
      lab_window_save_run_async (self, file, on_run_saved, NULL);
    }
  /* the save took what it writes: training may go on */
  if (req->resume)
    gtk_widget_activate_action (GTK_WIDGET (self), "win.play", NULL);
  save_request_free (self, req);
}

static void
on_model_changed_save (LabWindow *self)
{
  if (lab_window_run_at_rest (self))
    save_request_finish (self, FALSE);
}

static void
on_save_timeout (gpointer user_data)
{
  LabWindow *self = user_data;

  self->save_request->timeout = 0;
  save_request_finish (self, TRUE);
}

/* win.save-run-to("PATH"): what the Save Run chooser's answer does. */
static void
save_run_to_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *param)
{
  LabWindow *self = LAB_WINDOW (widget);
  LabSnapshot *latest = lab_plot_model_get_latest (self->model);
  const char *path = g_variant_get_string (param, NULL);
  LabSaveRequest *req;

  if (self->save_request != NULL)
    save_request_free (self, g_steal_pointer (&self->save_request));
  req = self->save_request = g_new0 (LabSaveRequest, 1);
  req->path = g_str_has_suffix (path, ".gradlab") ? g_strdup (path)
                                                  : g_strconcat (path, ".gradlab", NULL);
  req->resume = latest != NULL && latest->status.state == LAB_SESSION_RUNNING;
  begin_busy (self, TRUE, req->path);
  if (req->resume)
    gtk_widget_activate_action (widget, "win.pause", NULL);
  if (lab_window_run_at_rest (self))
    {
      save_request_finish (self, FALSE);
      return;
    }
  req->handler = g_signal_connect_swapped (self->model, "changed",
                                           G_CALLBACK (on_model_changed_save), self);
  req->timeout = g_timeout_add_once (SAVE_TIMEOUT_MS, on_save_timeout, self);
}

static void
on_run_path (LabWindow  *self,
             const char *path)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "win.save-run-to", "s", path);
}

static void
save_run_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *param)
{
  static const char * const filters[] = { N_("Gradient Lab runs (.gradlab)"), "*.gradlab", NULL };

  _lab_window_choose_file (LAB_WINDOW (widget), _("Save Run"), GTK_FILE_CHOOSER_ACTION_SAVE,
                           "run.gradlab", filters, on_run_path);
}

/* ------------------------------------------------------------------------------------------ */
/* Opening                                                                                    */

static void
read_run_thread (GTask        *task,
                 gpointer      source,
                 gpointer      data,
                 GCancellable *cancellable)
{
  GError *error = NULL;
  LabRun *run = lab_run_load (data, &error);

  if (run != NULL)
    g_task_return_pointer (task, run, (GDestroyNotify) lab_run_free);
  else
    g_task_return_error (task, error);
}

/* The run's settings, then its weights (paused, where it was saved); the plots get its history. */
static void
apply_run (LabWindow *self,
           LabRun    *run)
{
  LabSnapshot *latest = lab_plot_model_get_latest (self->model);

  /* paused, so that the last command sent is the new config's, which starts the run that
   * takes the saved rows */
  if (self->running || (latest != NULL && latest->status.state == LAB_SESSION_RUNNING))
    gtk_widget_activate_action (GTK_WIDGET (self), "win.pause", NULL);
  lab_window_apply_config (self, &run->config);
  lab_plot_model_restore_run (self->model, self->last_serial, g_steal_pointer (&run->rows),
                              run->eval_step, run->test_loss, run->test_accuracy);
  lab_plot_model_set_results (self->model, &run->results);
  _lab_window_sent_pause (self, lab_session_load_params (self->session, run->params, run->mask,
                                                         run->n_params, run->step));
}

static void
on_run_read (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  LabWindow *self = g_task_get_source_object (task);
  g_autoptr(LabRun) run = NULL;
  GError *error = NULL;

  _lab_window_end_busy (self);
  /* cancelled (a newer run, or the window disposed) comes back as an error, never as the run */
  run = g_task_propagate_pointer (G_TASK (result), &error);
  if (run == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  if (_lab_window_is_closed (self))
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                               _("The window was closed before the run was read"));
      return;
    }
  g_clear_object (&self->open_cancellable);
  apply_run (self, run);
  g_task_return_boolean (task, TRUE);
}

void
lab_window_open_run_async (LabWindow           *self,
                           GFile               *file,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GTask) read = NULL;
  char *path;

  g_return_if_fail (LAB_IS_WINDOW (self));
  g_return_if_fail (G_IS_FILE (file));

  task = g_task_new (self, NULL, callback, user_data);
  g_task_set_source_tag (task, lab_window_open_run_async);
  if ((path = g_file_get_path (file)) == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                               _("Cannot open “%s”: only local files are supported"),
                               g_file_peek_path (file));
      return;
    }

  _lab_window_cancel_open (self);
  self->open_cancellable = g_cancellable_new ();
  begin_busy (self, FALSE, path);
  read = g_task_new (NULL, self->open_cancellable, on_run_read, g_object_ref (task));
  g_task_set_task_data (read, path, g_free);
  /* a cancelled read answers at once; the worker's late result is freed unseen */
  g_task_set_return_on_cancel (read, TRUE);
  g_task_run_in_thread (read, read_run_thread);
}

gboolean
lab_window_open_run_finish (LabWindow     *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == lab_window_open_run_async,
                        FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

void
_lab_window_cancel_open (LabWindow *self)
{
  g_cancellable_cancel (self->open_cancellable);
  g_clear_object (&self->open_cancellable);
}

/* ------------------------------------------------------------------------------------------ */

void
_lab_window_runfile_dispose (LabWindow *self)
{
  _lab_window_cancel_open (self);
  if (self->save_request != NULL)
    save_request_free (self, g_steal_pointer (&self->save_request));
}

void
_lab_window_runfile_class_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.save-run", NULL, save_run_action);
  gtk_widget_class_install_action (widget_class, "win.save-run-to", "s", save_run_to_action);
}
