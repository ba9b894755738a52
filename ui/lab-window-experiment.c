/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-window-experiment.c: sweeps and lotteries in the main window (see
 * lab-window-experiment.h). An experiment is one session command: the window knows it runs from
 * the command's serial (the engine acknowledges a command once it has finished, so an
 * experiment runs while the latest snapshot's `acked` is below it) and shows its progress from
 * each snapshot's status; its points and rounds reach the plots through the plot model.
 */
#define G_LOG_DOMAIN "lab-window"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "lab-error.h"
#include "lab-experiment-bar.h"
#include "lab-experiment-dialog.h"
#include "lab-experiment-params.h"
#include "lab-sweep.h"
#include "lab-window-experiment.h"
#include "lab-window-private.h"

/* Commands that would wait for an experiment's end: off while it runs, so the window never
 * looks as if it ignored a click. */
static const char * const waiting_actions[] = {
  "win.play-pause", "win.play", "win.pause", "win.step", "win.reset", "win.prune-now",
  "win.sweep", "win.lottery", "win.run-sweep", "win.run-lottery", "win.save-run",
};

gboolean
lab_window_experiment_running (LabWindow *self)
{
  LabSnapshot *latest;

  g_return_val_if_fail (LAB_IS_WINDOW (self), FALSE);

  latest = lab_plot_model_get_latest (self->model);
  return self->experiment_serial > 0 &&
         (latest == NULL || latest->status.acked < self->experiment_serial);
}

static void
set_waiting_actions (LabWindow *self,
                     gboolean   enabled)
{
  for (guint i = 0; i < G_N_ELEMENTS (waiting_actions); i++)
    gtk_widget_action_set_enabled (GTK_WIDGET (self), waiting_actions[i], enabled);
}

/* The run a new experiment would copy, or NULL with the reason. */
static LabSnapshot *
ready_run (LabWindow  *self,
           GError    **error)
{
  LabSnapshot *latest = lab_plot_model_get_latest (self->model);

  if (lab_window_experiment_running (self))
    g_set_error (error, LAB_ENGINE_ERROR, LAB_ENGINE_ERROR_INVALID,
                 _("An experiment is running: wait for it or cancel it first"));
  else if (latest != NULL && latest->status.state == LAB_SESSION_FAILED)
    g_set_error (error, LAB_ENGINE_ERROR, LAB_ENGINE_ERROR_INVALID,
                 _("This run has stopped on an error: reset it or load other settings first"));
  else if (latest == NULL || latest->n_train == 0)
    g_set_error (error, LAB_ENGINE_ERROR, LAB_ENGINE_ERROR_INVALID,
                 _("The run's data is not loaded yet: try again in a moment"));
  else
    return latest;
  return NULL;
}

/* The choices the run gives an experiment by default (a floating a{sv}). */
static GVariant *
defaults (LabWindow         *self,
          LabExperimentKind  kind,
          LabSnapshot       *run)
{
  const LabRunStatus *st = &run->status;
  LabPruneSpec prune;

  if (kind == LAB_EXPERIMENT_LOTTERY)
    return lab_lottery_params_defaults (&run->config);
  lab_settings_panel_get_prune_spec (self->settings_panel, &prune);
  return lab_sweep_params_defaults (&run->config, &prune,
                                    st->state == LAB_SESSION_FINISHED ||
                                    (st->total_steps > 0 && st->step >= st->total_steps));
}

gboolean
_lab_window_start_experiment (LabWindow          *self,
                              LabExperimentKind   kind,
                              GVariant           *params,
                              GError            **error)
{
  g_autoptr(GVariant) all = NULL;
  LabSnapshot *run;
  guint64 serial;

  g_return_val_if_fail (kind == LAB_EXPERIMENT_SWEEP || kind == LAB_EXPERIMENT_LOTTERY, FALSE);

  if ((run = ready_run (self, error)) == NULL)
    return FALSE;
  all = g_variant_ref_sink (lab_experiment_params_merge (defaults (self, kind, run), params));
  if (kind == LAB_EXPERIMENT_SWEEP)
    {
      LabSweepChoice choice;
      LabPruneSpec prune;

      lab_settings_panel_get_prune_spec (self->settings_panel, &prune);
      if (!lab_sweep_params_to_choice (all, &prune, &choice, error))
        return FALSE;
      serial = lab_session_run_sweep (self->session, &choice.spec);
      lab_sweep_choice_clear (&choice);
    }
  else
    {
      LabLotterySpec spec;

      if (!lab_lottery_params_to_spec (all, &run->config, run->status.total_steps, &spec, error))
        return FALSE;
      serial = lab_session_run_lottery (self->session, &spec);
    }
  /* the engine pauses the live run for the experiment */
  _lab_window_sent_pause (self, serial);
  self->experiment_serial = serial;
  set_waiting_actions (self, FALSE);
  return TRUE;
}

/* ------------------------------------------------------------------------------------------ */
/* Following an experiment                                                                    */

/* The lottery plot takes room from the loss plot below it once there is a lottery to show:
 * most of it, as the live run is paused meanwhile. */
static void
show_lottery_plot (LabWindow   *self,
                   LabSnapshot *snap)
{
  const LabExperimentResults *r = lab_plot_model_get_results (self->model);
  const LabExperimentStatus *ex = &snap->status.experiment;
  gboolean show = r->lottery->len > 0 || !isnan (r->lottery_dense_accuracy) ||
                  (ex->running && ex->kind == LAB_EXPERIMENT_LOTTERY);

  if (show == gtk_widget_get_visible (self->lottery_plot))
    return;
  gtk_widget_set_visible (self->lottery_plot, show);
  if (show)
    gtk_paned_set_position (GTK_PANED (self->prune_lower_paned),
                            MAX (gtk_widget_get_height (self->prune_lower_paned) * 3 / 5, 160));
}

/* gradlab --sweep/--lottery: the first snapshot of a loaded run starts it. */
static void
start_pending (LabWindow   *self,
               LabSnapshot *snap)
{
  g_autoptr(GVariant) params = NULL;
  g_autoptr(GError) error = NULL;
  LabExperimentKind kind = self->pending_kind;

  if (kind == LAB_EXPERIMENT_NONE ||
      (snap->n_train == 0 && snap->status.state != LAB_SESSION_FAILED))
    return;
  params = g_steal_pointer (&self->pending_params);
  self->pending_kind = LAB_EXPERIMENT_NONE;
  if (!_lab_window_start_experiment (self, kind, params, &error))
    {
      g_autofree char *message = NULL;

      /* Translators: %s is the reason, a sentence */
      message = g_strdup_printf (kind == LAB_EXPERIMENT_SWEEP
                                 ? _("The sweep asked for on the command line could not start. %s")
                                 : _("The lottery asked for on the command line could not start. "
                                     "%s"),
                                 error->message);
      lab_window_show_error (self, message);
    }
}

void
_lab_window_experiment_update (LabWindow   *self,
                               LabSnapshot *snap)
{
  const LabExperimentStatus *ex = &snap->status.experiment;
  const char *error = ex->failed ? lab_snapshot_error (snap) : NULL;

  lab_experiment_bar_update (LAB_EXPERIMENT_BAR (self->experiment_bar), ex, error);
  show_lottery_plot (self, snap);
  if (self->experiment_serial > 0 && snap->status.acked >= self->experiment_serial)
    {
      self->experiment_serial = 0;
      set_waiting_actions (self, TRUE);
    }
  start_pending (self, snap);
}

void
lab_window_start_experiment_when_ready (LabWindow         *self,
                                        LabExperimentKind  kind,
                                        GVariant          *params)
{
  g_return_if_fail (LAB_IS_WINDOW (self));
  g_return_if_fail (kind == LAB_EXPERIMENT_SWEEP || kind == LAB_EXPERIMENT_LOTTERY);

  g_clear_pointer (&self->pending_params, g_variant_unref);
  self->pending_params = params != NULL ? g_variant_ref_sink (params) : NULL;
  self->pending_kind = kind;
  if (lab_plot_model_get_latest (self->model) != NULL)
    start_pending (self, lab_plot_model_get_latest (self->model));
}

/* ------------------------------------------------------------------------------------------ */
/* Actions                                                                                    */

static void
open_dialog (LabWindow         *self,
             LabExperimentKind  kind)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) params = NULL;
  LabSnapshot *run = ready_run (self, &error);
  LabExperimentDialog *dialog;

  if (run == NULL)
    {
      lab_window_show_error (self, error->message);
      return;
    }
  params = g_variant_ref_sink (defaults (self, kind, run));
  dialog = lab_experiment_dialog_new (self, kind, params, run->status.step,
                                      run->status.total_steps);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
sweep_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *param)
{
  open_dialog (LAB_WINDOW (widget), LAB_EXPERIMENT_SWEEP);
}

static void
lottery_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *param)
{
  open_dialog (LAB_WINDOW (widget), LAB_EXPERIMENT_LOTTERY);
}

static void
run_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *param)
{
  LabWindow *self = LAB_WINDOW (widget);
  LabExperimentKind kind = g_str_equal (action_name, "win.run-sweep") ? LAB_EXPERIMENT_SWEEP
                                                                      : LAB_EXPERIMENT_LOTTERY;
  g_autoptr(GError) error = NULL;

  if (!_lab_window_start_experiment (self, kind, param, &error))
    lab_window_show_error (self, error->message);
}

static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  LabWindow *self = LAB_WINDOW (widget);

  if (self->session != NULL)
    lab_session_cancel_experiment (self->session);
}

gboolean
lab_window_export_sweep (LabWindow   *self,
                         const char  *path,
                         GError     **error)
{
  GArray *rows;

  g_return_val_if_fail (LAB_IS_WINDOW (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  rows = lab_plot_model_get_sweep (self->model);
  if (rows->len == 0)
    {
      g_set_error (error, LAB_ENGINE_ERROR, LAB_ENGINE_ERROR_INVALID,
                   _("%s: nothing to export yet: no sweep has made a point"), path);
      return FALSE;
    }
  return lab_sweep_write_csv (path, (const LabSweepRow *) rows->data, rows->len, error);
}

gboolean
lab_window_export_lottery (LabWindow   *self,
                           const char  *path,
                           GError     **error)
{
  const LabExperimentResults *r;

  g_return_val_if_fail (LAB_IS_WINDOW (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  r = lab_plot_model_get_results (self->model);
  if (r->lottery->len == 0)
    {
      g_set_error (error, LAB_ENGINE_ERROR, LAB_ENGINE_ERROR_INVALID,
                   _("%s: nothing to export yet: no lottery has finished a round"), path);
      return FALSE;
    }
  return lab_experiment_results_write_lottery (r, path, error);
}

static void
on_sweep_path (LabWindow  *self,
               const char *path)
{
  g_autofree char *full = g_str_has_suffix (path, ".csv") ? g_strdup (path)
                                                          : g_strconcat (path, ".csv", NULL);
  g_autoptr(GError) error = NULL;

  if (!lab_window_export_sweep (self, full, &error))
    lab_window_show_error (self, error->message);
}

static void
on_lottery_path (LabWindow  *self,
                 const char *path)
{
  g_autoptr(GError) error = NULL;

  if (!lab_window_export_lottery (self, path, &error))
    lab_window_show_error (self, error->message);
}

static void
export_sweep_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *param)
{
  static const char * const filters[] = { N_("CSV (.csv)"), "*.csv", NULL };

  _lab_window_choose_file (LAB_WINDOW (widget), _("Export Sweep Results"),
                           GTK_FILE_CHOOSER_ACTION_SAVE, "sweep.csv", filters, on_sweep_path);
}

static void
export_lottery_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *param)
{
  static const char * const filters[] = { N_("Text (.txt)"), "*.txt", NULL };

  _lab_window_choose_file (LAB_WINDOW (widget), _("Export Lottery Rounds"),
                           GTK_FILE_CHOOSER_ACTION_SAVE, "lottery.txt", filters, on_lottery_path);
}

/* ------------------------------------------------------------------------------------------ */

void
_lab_window_experiment_dispose (LabWindow *self)
{
  g_clear_pointer (&self->pending_params, g_variant_unref);
  self->pending_kind = LAB_EXPERIMENT_NONE;
}

void
_lab_window_experiment_class_init (GtkWidgetClass *widget_class)
{
  g_type_ensure (LAB_TYPE_EXPERIMENT_BAR);
  gtk_widget_class_bind_template_child (widget_class, LabWindow, experiment_bar);
  gtk_widget_class_bind_template_child (widget_class, LabWindow, lottery_plot);
  gtk_widget_class_bind_template_child (widget_class, LabWindow, prune_lower_paned);

  gtk_widget_class_install_action (widget_class, "win.sweep", NULL, sweep_action);
  gtk_widget_class_install_action (widget_class, "win.lottery", NULL, lottery_action);
  gtk_widget_class_install_action (widget_class, "win.run-sweep", "a{sv}", run_action);
  gtk_widget_class_install_action (widget_class, "win.run-lottery", "a{sv}", run_action);
  gtk_widget_class_install_action (widget_class, "win.cancel-experiment", NULL, cancel_action);
  gtk_widget_class_install_action (widget_class, "win.export-sweep", NULL, export_sweep_action);
  gtk_widget_class_install_action (widget_class, "win.export-lottery", NULL,
                                   export_lottery_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s,
                                       GDK_CONTROL_MASK | GDK_SHIFT_MASK, "win.sweep", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_t,
                                       GDK_CONTROL_MASK | GDK_SHIFT_MASK, "win.lottery", NULL);
}
