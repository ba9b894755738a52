/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * test-sweep-window.c: sweeps and lotteries from the main window, driven offscreen through its
 * actions (win.run-sweep, win.run-lottery, win.cancel-experiment, win.sweep …) as the dialogs
 * and gradlab --sweep drive them:
 * - the plot model fills point by point while the experiment runs, the experiment bar tells
 *   what runs, the weights view names the pruned copy it shows, and the commands that would
 *   wait are switched off until the end;
 * - the window's sweep CSV is byte for byte `gradlab-cli sweep`'s with the same settings, and
 *   its lottery rounds are `gradlab-cli lottery`'s lines;
 * - Cancel stops within a step and keeps the points made before it;
 * - a run with a sweep saves and reopens with its points;
 * - the dialogs start from the run's defaults and refuse a wrong choice without closing;
 * - the plot model keeps one experiment's results and replaces them when the next starts;
 * - the sparsity and lottery plots say their numbers to screen readers.
 */
#define G_LOG_DOMAIN "test-sweep-window"

#include "config.h"

#include <math.h>
#include <string.h>

#include <gtk/gtk.h>

#include "lab-error.h"
#include "lab-experiment-bar.h"
#include "lab-experiment-dialog.h"
#include "lab-lottery-plot.h"
#include "lab-sparsity-plot.h"
#include "lab-sweep.h"
#include "lab-test-ui.h"
#include "lab-test-utils.h"
#include "lab-weights-view.h"
#include "lab-window-experiment.h"
#include "lab-window-export.h"
#include "lab-window-runfile.h"
#include "lab-window.h"

#define TIMEOUT_MS 60000

typedef LabTestWindowCondition Condition;

static void
iterate_until (LabWindow  *win,
               Condition   cond,
               gpointer    data,
               const char *what)
{
  lab_test_window_until (win, cond, data, TIMEOUT_MS, what);
}

static gboolean
ready (LabWindow *win,
       gpointer   data)
{
  LabSnapshot *snap = lab_test_window_latest (win);

  return snap != NULL && snap->n_train > 0;
}

static gboolean
ended (LabWindow *win,
       gpointer   data)
{
  return !lab_window_experiment_running (win);
}

static gboolean
finished (LabWindow *win,
          gpointer   data)
{
  LabSnapshot *snap = lab_test_window_latest (win);

  return snap != NULL && snap->status.state == LAB_SESSION_FINISHED;
}

static gboolean
acked (LabWindow *win,
       gpointer   serial)
{
  LabSnapshot *snap = lab_test_window_latest (win);

  return snap != NULL && snap->status.acked >= *(guint64 *) serial;
}

static gboolean
has_points (LabWindow *win,
            gpointer   data)
{
  return lab_plot_model_get_sweep (lab_window_get_plot_model (win))->len >=
         GPOINTER_TO_UINT (data);
}

/* ------------------------------------------------------------------------------------------ */

typedef struct
{
  LabWindow    *win;
  LabPlotModel *model;
  char         *dir;
} Fixture;

/* The spiral preset, 2 epochs, one BLAS thread: what test-session-experiment.c gives the CLI.
 * "slow" makes each pruned copy take a noticeable time (a wide net on more points), so the
 * points of a sweep reach the window in separate snapshots and a Cancel lands between them. */
static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  LabConfig cfg;

  lab_config_init_defaults (&cfg);
  g_assert_true (lab_config_load_preset (&cfg, "spiral", &error));
  cfg.train.epochs = 2;
  cfg.train.threads = 1;
  if (g_strcmp0 (data, "slow") == 0)
    {
      g_assert_true (lab_config_set (&cfg, "model.hidden", "384,384", &error));
      g_assert_true (lab_config_set (&cfg, "data.n_train", "3000", &error));
      cfg.train.epochs = 1;
    }
  g_assert_no_error (error);
  f->dir = lab_test_mkdtemp ();
  f->win = g_object_ref (lab_window_new (NULL, &cfg));
  lab_config_clear (&cfg);
  f->model = g_object_ref (lab_window_get_plot_model (f->win));
  gtk_window_present (GTK_WINDOW (f->win));
  lab_window_set_page (f->win, "pruning");
  iterate_until (f->win, ready, NULL, "the run's data");
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  gtk_window_destroy (GTK_WINDOW (f->win));
  g_assert_finalize_object (f->win);
  g_assert_finalize_object (f->model);
  lab_test_rmdir (f->dir);
  g_free (f->dir);
}

static void
run_action (LabWindow  *win,
            const char *action,
            const char *params)
{
  /* a widget class action does not sink a floating parameter: ours to free */
  g_autoptr(GVariant) v = g_variant_ref_sink (g_variant_new_parsed (params));

  g_assert_true (gtk_widget_activate_action_variant (GTK_WIDGET (win), action, v));
}

/* ------------------------------------------------------------------------------------------ */
/* points one by one */

typedef struct
{
  LabWindow *win;
  guint      changes;           /* of the plot model while the sweep ran */
  guint      last_len;
  guint      max_step;          /* the most points one change added */
  guint      partial;           /* changes that showed some points but not all, while running */
  gboolean   shrank;
  gboolean   captioned;         /* the weights view named a pruned copy */
  gboolean   told_point;        /* the bar said which point and what it did */
  gboolean   told_time;
  gboolean   play_off;          /* the play button was insensitive while it ran */
} Watch;

static void
on_model_changed (LabPlotModel *model,
                  Watch        *w)
{
  guint len = lab_plot_model_get_sweep (model)->len;
  LabPlot *view = LAB_PLOT (lab_test_child (w->win, "weights_view"));
  LabExperimentBar *bar = LAB_EXPERIMENT_BAR (lab_test_child (w->win, "experiment_bar"));
  const char *title = NULL, *subtitle = NULL;

  if (!lab_window_experiment_running (w->win))
    return;
  w->changes++;
  w->shrank |= len < w->last_len;
  w->max_step = MAX (w->max_step, len - MIN (len, w->last_len));
  w->partial += len > 0 && len < 6;
  w->last_len = len;
  LAB_PLOT_GET_CLASS (view)->get_title (view, &title, &subtitle);
  w->captioned |= strstr (subtitle, "now showing magnitude, ") != NULL ||
                  strstr (subtitle, "now showing random, ") != NULL;
  w->told_point |= strstr (lab_experiment_bar_get_text (bar), "Sweep: point ") != NULL &&
                   strstr (lab_experiment_bar_get_text (bar), "fine-tuning ") != NULL;
  w->told_time |= strstr (lab_experiment_bar_get_times (bar), " elapsed · ") != NULL;
  w->play_off |= !gtk_widget_get_sensitive (lab_test_child (w->win, "play_button"));
}

/* The sweep's points reach the plot model one by one as the engine finishes them; meanwhile
 * the bar tells what runs and the play button is off; afterwards it is on again and the bar
 * says the sweep finished. */
static void
test_points_one_by_one (Fixture       *f,
                        gconstpointer  data)
{
  Watch w = { f->win };
  LabExperimentBar *bar = LAB_EXPERIMENT_BAR (lab_test_child (f->win, "experiment_bar"));
  gulong id = g_signal_connect (f->model, "changed", G_CALLBACK (on_model_changed), &w);
  g_autofree char *description = NULL;
  guint64 serial;

  run_action (f->win, "win.run-sweep",
              "{'criteria': <'magnitude,random'>, 'sparsities': <'0,0.5,0.8'>, "
              "'scope': <'global'>, 'finetune-epochs': <uint32 2>, 'train': <false>}");
  g_assert_true (lab_window_experiment_running (f->win));
  g_assert_false (gtk_widget_get_sensitive (lab_test_child (f->win, "play_button")));
  /* switched off, a step asked for now is not queued for after the sweep */
  gtk_widget_activate_action (GTK_WIDGET (f->win), "win.step", NULL);
  iterate_until (f->win, ended, NULL, "the sweep");
  g_signal_handler_disconnect (f->model, id);
  /* a command after all the others: once it is acknowledged, a queued step would have run */
  serial = lab_session_evaluate (lab_window_get_session (f->win));
  iterate_until (f->win, acked, &serial, "the evaluation");
  g_assert_cmpuint (lab_test_window_latest (f->win)->status.step, ==, 0);

  g_test_message ("%u changes, at most %u points in one, %u partial", w.changes, w.max_step,
                  w.partial);
  g_assert_cmpuint (lab_plot_model_get_sweep (f->model)->len, ==, 6);
  g_assert_false (w.shrank);
  /* each point is shown as it comes: the model was seen with some but not all of them */
  g_assert_cmpuint (w.partial, >=, 2);
  g_assert_true (w.captioned);
  g_assert_true (w.told_point);
  g_assert_true (w.told_time);
  g_assert_true (w.play_off);
  g_assert_true (gtk_widget_get_sensitive (lab_test_child (f->win, "play_button")));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (bar)));
  g_assert_true (g_str_has_prefix (lab_experiment_bar_get_text (bar), "Sweep finished: 6 points"));
  g_assert_cmpfloat (lab_experiment_bar_get_fraction (bar), ==, 1.0);

  /* the sparsity plot draws and tells both curves and the dense line */
  description = g_strdup (lab_plot_refresh_accessible (
    LAB_PLOT (lab_window_find_plot (f->win, LAB_TYPE_SPARSITY_PLOT))));
  g_test_message ("%s", description);
  g_assert_nonnull (strstr (description, "Accuracy versus sparsity: magnitude keeps "));
  g_assert_nonnull (strstr (description, "% at 80 % sparsity, random "));
  g_assert_nonnull (strstr (description, "; dense "));
}

/* ------------------------------------------------------------------------------------------ */
/* the numbers are the CLI's */

static void
test_csv_equals_cli (Fixture       *f,
                     gconstpointer  data)
{
  g_autofree char *ours = g_build_filename (f->dir, "window.csv", NULL);
  g_autofree char *theirs = g_build_filename (f->dir, "cli.csv", NULL);
  g_autofree char *a = NULL, *b = NULL;
  g_autoptr(GError) error = NULL;
  LabCliResult r;

  /* nothing to export before a sweep */
  g_assert_false (lab_window_export_sweep (f->win, ours, &error));
  g_assert_error (error, LAB_ENGINE_ERROR, LAB_ENGINE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (g_file_test (ours, G_FILE_TEST_EXISTS));

  run_action (f->win, "win.run-sweep",
              "{'criteria': <'magnitude,random'>, 'sparsities': <'0,0.5,0.8'>, "
              "'scope': <'global'>, 'finetune-epochs': <uint32 1>, 'train': <true>}");
  iterate_until (f->win, ended, NULL, "the sweep");
  g_assert_true (lab_window_export_sweep (f->win, ours, &error));
  g_assert_no_error (error);

  r = lab_test_run_cli (NULL, "sweep", "--preset", "spiral", "--epochs", "2", "--threads", "1",
                        "--criteria", "magnitude,random", "--sparsities", "0,0.5,0.8",
                        "--scope", "global", "--finetune-epochs", "1", "--quiet", "--out", theirs,
                        NULL);
  g_assert_cmpint (r.status, ==, 0);
  lab_test_cli_result_clear (&r);
  g_assert_true (g_file_get_contents (ours, &a, NULL, &error));
  g_assert_true (g_file_get_contents (theirs, &b, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (a, ==, b);
  /* the live run was left where it was */
  g_assert_cmpuint (lab_test_window_latest (f->win)->status.step, ==, 0);
}

/* A lottery's rounds fill the lottery plot, and read as gradlab-cli lottery prints them. */
static void
test_lottery (Fixture       *f,
              gconstpointer  data)
{
  g_autofree char *ours = g_build_filename (f->dir, "lottery.txt", NULL);
  g_autofree char *text = NULL, *description = NULL;
  g_autofree char *theirs = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *plot = lab_test_child (f->win, "lottery_plot");
  LabCliResult r;

  g_assert_false (gtk_widget_get_visible (plot));
  run_action (f->win, "win.run-lottery",
              "{'rounds': <uint32 2>, 'rate': <0.5>, 'scope': <'global'>, 'control': <true>}");
  iterate_until (f->win, ended, NULL, "the lottery");
  g_assert_true (gtk_widget_get_visible (plot));
  g_assert_cmpuint (lab_plot_model_get_lottery (f->model)->len, ==, 2);
  g_assert_cmpuint (lab_lottery_plot_get_n_rounds (LAB_LOTTERY_PLOT (plot)), ==, 2);
  g_assert_true (isfinite (lab_plot_model_get_results (f->model)->lottery_dense_accuracy));
  description = g_strdup (lab_plot_refresh_accessible (LAB_PLOT (plot)));
  g_test_message ("%s", description);
  g_assert_true (g_str_has_prefix (description, "Lottery ticket after round 2: ticket "));
  g_assert_nonnull (strstr (description, ", fresh weights "));
  g_assert_nonnull (strstr (description, "The ticket beats its control in "));
  g_assert_nonnull (strstr (description, " of 2 rounds."));

  g_assert_true (lab_window_export_lottery (f->win, ours, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (ours, &text, NULL, &error));
  r = lab_test_run_cli (NULL, "lottery", "--preset", "spiral", "--epochs", "2", "--threads", "1",
                        "--rounds", "2", "--rate", "0.5", "--scope", "global",
                        "--control", "reinit", "--quiet", NULL);
  g_assert_cmpint (r.status, ==, 0);
  theirs = lab_test_lines_starting (r.out, "round=");
  lab_test_cli_result_clear (&r);
  g_assert_cmpstr (text, ==, theirs);
}

/* ------------------------------------------------------------------------------------------ */
/* Cancel */

/* Cancel after the first point: the sweep ends cancelled within a step, its points so far stay
 * in the plots, the bar says so, and the window takes commands again. */
static void
test_cancel_keeps_points (Fixture       *f,
                          gconstpointer  data)
{
  LabExperimentBar *bar = LAB_EXPERIMENT_BAR (lab_test_child (f->win, "experiment_bar"));
  g_autofree char *csv = g_build_filename (f->dir, "partial.csv", NULL);
  g_autoptr(GArray) rows = NULL;
  g_autoptr(GError) error = NULL;
  const LabExperimentStatus *ex;
  guint kept;
  gint64 t0;

  run_action (f->win, "win.run-sweep",
              "{'criteria': <'magnitude,random'>, 'sparsities': <'0,0.5,0.8'>, "
              "'finetune-epochs': <uint32 4>, 'train': <false>}");
  iterate_until (f->win, has_points, GUINT_TO_POINTER (1), "the first point");
  kept = lab_plot_model_get_sweep (f->model)->len;
  t0 = g_get_monotonic_time ();
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->win), "win.cancel-experiment", NULL));
  iterate_until (f->win, ended, NULL, "the cancel");
  g_test_message ("cancel took %.1f ms", (g_get_monotonic_time () - t0) / 1000.0);

  ex = &lab_test_window_latest (f->win)->status.experiment;
  g_assert_true (ex->cancelled);
  g_assert_false (ex->failed);
  /* a point being posted while we cancelled may still come, no more */
  g_assert_cmpuint (lab_plot_model_get_sweep (f->model)->len, >=, kept);
  g_assert_cmpuint (lab_plot_model_get_sweep (f->model)->len, <=, kept + 1);
  g_assert_cmpuint (lab_plot_model_get_sweep (f->model)->len, <, 6);
  g_test_message ("%s", lab_experiment_bar_get_text (bar));
  g_assert_true (g_str_has_prefix (lab_experiment_bar_get_text (bar), "Sweep cancelled after "));
  g_assert_nonnull (strstr (lab_experiment_bar_get_text (bar), "of 6 points"));
  g_assert_true (gtk_widget_get_sensitive (lab_test_child (f->win, "play_button")));
  /* what was kept exports like any sweep */
  g_assert_true (lab_window_export_sweep (f->win, csv, &error));
  rows = lab_sweep_load_csv (csv, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, lab_plot_model_get_sweep (f->model)->len);

  /* the session takes commands again: one step is one step */
  lab_session_step (lab_window_get_session (f->win), 1);
  iterate_until (f->win, ready, NULL, "a snapshot");
}

/* ------------------------------------------------------------------------------------------ */
/* run files */

static gboolean
file_exists (LabWindow *win,
             gpointer   path)
{
  return g_file_test (path, G_FILE_TEST_EXISTS);
}

static gboolean
has_lottery (LabWindow *win,
             gpointer   data)
{
  return lab_plot_model_get_lottery (lab_window_get_plot_model (win))->len > 0;
}

/* A run with a sweep and a lottery saves (Save Run's action) and reopens (Open, in another
 * window) with both. */
static void
test_runfile (Fixture       *f,
              gconstpointer  data)
{
  g_autofree char *path = g_build_filename (f->dir, "run.gradlab", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  LabWindow *other;
  LabPlotModel *other_model;
  GArray *a, *b;

  run_action (f->win, "win.run-sweep", "{'criteria': <'magnitude'>, 'sparsities': <'0,0.9'>, "
              "'finetune-epochs': <uint32 0>}");
  /* no run file of a pruned copy: the run is not at rest until the experiment is over */
  g_assert_false (lab_window_run_at_rest (f->win));
  iterate_until (f->win, ended, NULL, "the sweep");
  run_action (f->win, "win.run-lottery", "{'rounds': <uint32 1>, 'control': <false>}");
  iterate_until (f->win, ended, NULL, "the lottery");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->win), "win.save-run-to", "s", path));
  iterate_until (f->win, file_exists, path, "the saved run");

  other = g_object_ref (lab_window_new (NULL, NULL));
  other_model = g_object_ref (lab_window_get_plot_model (other));
  g_assert_true (lab_window_open_file (other, file, &error));
  g_assert_no_error (error);
  iterate_until (other, has_lottery, NULL, "the reopened run");

  a = lab_plot_model_get_sweep (f->model);
  b = lab_plot_model_get_sweep (other_model);
  g_assert_cmpuint (a->len, ==, 2);
  g_assert_cmpuint (b->len, ==, 2);
  g_assert_true (memcmp (a->data, b->data, a->len * sizeof (LabSweepRow)) == 0);
  g_assert_cmpuint (lab_plot_model_get_lottery (other_model)->len, ==, 1);
  g_assert_cmpfloat (lab_plot_model_get_results (other_model)->sweep_dense_accuracy, ==,
                     lab_plot_model_get_results (f->model)->sweep_dense_accuracy);
  gtk_window_destroy (GTK_WINDOW (other));
  g_assert_finalize_object (other);
  g_assert_finalize_object (other_model);
}

/* ------------------------------------------------------------------------------------------ */
/* dialogs */

static LabExperimentDialog *
find_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) w = g_list_model_get_item (toplevels, i);
      if (LAB_IS_EXPERIMENT_DIALOG (w))
        return LAB_EXPERIMENT_DIALOG (w);
    }
  return NULL;
}

static char *
param_string (GVariant   *params,
              const char *key)
{
  g_auto(GVariantDict) d = G_VARIANT_DICT_INIT (params);
  char *s = NULL;

  g_assert_true (g_variant_dict_lookup (&d, key, "s", &s));
  return s;
}

/* Sweep… opens with the run's defaults; a wrong sparsity is said in the dialog, which stays;
 * a right one starts the sweep and closes it. Lottery… opens with the run's [prune] section. */
static void
test_dialogs (Fixture       *f,
              gconstpointer  data)
{
  LabExperimentDialog *dialog;
  g_autoptr(GVariant) params = NULL;
  g_autofree char *criteria = NULL, *scope = NULL, *rewind = NULL;
  GtkWidget *entry;
  guint32 finetune = 0, rounds = 0;
  gboolean train = FALSE, control = FALSE;
  double rate = 0;

  g_assert_null (find_dialog ());
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->win), "win.sweep", NULL));
  dialog = find_dialog ();
  g_assert_nonnull (dialog);
  params = g_variant_ref_sink (lab_experiment_dialog_get_params (dialog));
  criteria = param_string (params, "criteria");
  scope = param_string (params, "scope");
  /* the run's criterion and the control, its scope, its retrain epochs; untrained: train */
  g_assert_cmpstr (criteria, ==, "magnitude,random");
  g_assert_cmpstr (scope, ==, "layer");
  g_assert_true (g_variant_lookup (params, "finetune-epochs", "u", &finetune));
  g_assert_cmpuint (finetune, ==, 1);
  g_assert_true (g_variant_lookup (params, "train", "b", &train));
  g_assert_true (train);

  entry = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (dialog),
                                                     LAB_TYPE_EXPERIMENT_DIALOG,
                                                     "sparsities_entry"));
  gtk_editable_set_text (GTK_EDITABLE (entry), "0, 1.5");
  g_assert_false (lab_experiment_dialog_run (dialog));
  g_assert_nonnull (strstr (lab_experiment_dialog_get_error (dialog), "'1.5' is not a sparsity"));
  g_assert_true (find_dialog () == dialog);
  g_assert_false (lab_window_experiment_running (f->win));

  gtk_editable_set_text (GTK_EDITABLE (entry), "0, 0.5");
  g_assert_true (lab_experiment_dialog_run (dialog));
  g_assert_true (lab_window_experiment_running (f->win));
  g_assert_null (find_dialog ());
  iterate_until (f->win, ended, NULL, "the sweep");
  g_assert_cmpuint (lab_plot_model_get_sweep (f->model)->len, ==, 4);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->win), "win.lottery", NULL));
  dialog = find_dialog ();
  g_assert_nonnull (dialog);
  g_clear_pointer (&params, g_variant_unref);
  params = g_variant_ref_sink (lab_experiment_dialog_get_params (dialog));
  g_assert_true (g_variant_lookup (params, "rounds", "u", &rounds));
  g_assert_true (g_variant_lookup (params, "rate", "d", &rate));
  g_assert_true (g_variant_lookup (params, "control", "b", &control));
  rewind = param_string (params, "rewind");
  g_assert_cmpuint (rounds, ==, 5);
  g_assert_cmpfloat (rate, ==, 0.2);
  g_assert_cmpstr (rewind, ==, "init");
  g_assert_true (control);
  gtk_window_destroy (GTK_WINDOW (dialog));
  g_assert_false (lab_window_experiment_running (f->win));

  /* once the run has trained to its end, a sweep prunes that network as it is */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->win), "win.play", NULL));
  iterate_until (f->win, finished, NULL, "the end of the run");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->win), "win.sweep", NULL));
  dialog = find_dialog ();
  g_clear_pointer (&params, g_variant_unref);
  params = g_variant_ref_sink (lab_experiment_dialog_get_params (dialog));
  g_assert_true (g_variant_lookup (params, "train", "b", &train));
  g_assert_false (train);
  gtk_window_destroy (GTK_WINDOW (dialog));
}

/* Choices the engine would refuse never reach it: each action says why in the banner. */
static void
test_bad_choices (Fixture       *f,
                  gconstpointer  data)
{
  static const char * const cases[][2] = {
    { "win.run-sweep", "{'criteria': <'biggest'>}" },
    { "win.run-sweep", "{'sparsities': <'0,1'>}" },
    { "win.run-sweep", "{'scope': <'everywhere'>}" },
    { "win.run-sweep", "{'finetune-epochs': <'one'>}" },
    { "win.run-lottery", "{'rounds': <uint32 0>}" },
    { "win.run-lottery", "{'rate': <1.0>}" },
    { "win.run-lottery", "{'rewind': <'step:100000000'>}" },
    { "win.run-lottery", "{'rewind': <'none'>}" },
  };
  GtkWidget *label = lab_test_child (f->win, "error_label");

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      gtk_label_set_text (GTK_LABEL (label), "");
      run_action (f->win, cases[i][0], cases[i][1]);
      g_test_message ("%s %s: %s", cases[i][0], cases[i][1],
                      gtk_label_get_text (GTK_LABEL (label)));
      g_assert_false (lab_window_experiment_running (f->win));
      g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (label)), !=, "");
    }
}

static gboolean
failed (LabWindow *win,
        gpointer   data)
{
  LabSnapshot *snap = lab_test_window_latest (win);

  return snap != NULL && snap->status.state == LAB_SESSION_FAILED;
}

static gboolean
banner_says (LabWindow *win,
             gpointer   text)
{
  GtkWidget *label = lab_test_child (win, "error_label");

  return strstr (gtk_label_get_text (GTK_LABEL (label)), text) != NULL;
}

/* A run whose data did not load has nothing to copy: the action says so, and a --sweep waiting
 * for the run to be ready says so instead of starting. */
static void
test_failed_run (void)
{
  g_autoptr(GError) error = NULL;
  LabWindow *win;
  LabConfig cfg;

  lab_config_init_defaults (&cfg);
  g_assert_true (lab_config_set_assignment (&cfg, "data.source=idx", &error));
  g_assert_true (lab_config_set_assignment (&cfg, "data.path=/nonexistent/mnist", &error));
  g_assert_no_error (error);
  win = g_object_ref (lab_window_new (NULL, &cfg));
  lab_config_clear (&cfg);
  lab_window_start_experiment_when_ready (win, LAB_EXPERIMENT_SWEEP,
                                          g_variant_new_parsed ("{'criteria': <'random'>}"));
  iterate_until (win, failed, NULL, "the run to fail");
  iterate_until (win, banner_says, "The sweep asked for on the command line could not start. "
                 "This run has stopped on an error", "the banner");
  g_assert_false (lab_window_experiment_running (win));
  gtk_label_set_text (GTK_LABEL (lab_test_child (win, "error_label")), "");
  run_action (win, "win.run-lottery", "{'rounds': <uint32 2>}");
  g_assert_true (banner_says (win, "This run has stopped on an error"));
  g_assert_false (lab_window_experiment_running (win));
  gtk_window_destroy (GTK_WINDOW (win));
  g_assert_finalize_object (win);
}

/* ------------------------------------------------------------------------------------------ */
/* the plot model on its own */

static LabSnapshot *
experiment_snapshot (LabExperimentKind kind,
                     guint64           serial,
                     gboolean          running,
                     double            dense)
{
  LabSnapshot *snap = lab_snapshot_new ();

  snap->run_id = 1;
  snap->status.experiment.kind = kind;
  snap->status.experiment.serial = serial;
  snap->status.experiment.running = running;
  snap->status.experiment.dense_accuracy = dense;
  snap->status.experiment.dense_loss = NAN;
  return snap;
}

static void
apply_point (LabPlotModel *model,
             guint64       serial,
             const char   *criterion,
             double        sparsity,
             double        accuracy)
{
  g_autoptr(LabSnapshot) snap = experiment_snapshot (LAB_EXPERIMENT_SWEEP, serial, TRUE, 0.9);
  LabSweepRow row = { .sparsity = sparsity, .test_accuracy = accuracy, .test_loss = 0.5,
                      .achieved_sparsity = sparsity };

  g_strlcpy (row.criterion, criterion, sizeof row.criterion);
  g_strlcpy (row.scope, "layer", sizeof row.scope);
  g_array_append_val (snap->sweep_points, row);
  lab_plot_model_apply (model, snap);
}

/* One point per snapshot is one point more in the model and in the plot's words; a new sweep
 * replaces the last one's points; a lottery leaves them alone. */
static void
test_model_results (void)
{
  g_autoptr(LabPlotModel) model = lab_plot_model_new ();
  GtkWidget *plot = g_object_ref_sink (lab_sparsity_plot_new ());
  g_autoptr(LabSnapshot) lottery = experiment_snapshot (LAB_EXPERIMENT_LOTTERY, 9, TRUE, 0.8);
  LabLotteryRound round = { 1, 0.5, 0.75, 0.5, NAN, NAN };
  const char *d;

  lab_plot_set_model (LAB_PLOT (plot), model);
  apply_point (model, 4, "magnitude", 0.0, 0.9);
  g_assert_cmpuint (lab_plot_model_get_sweep (model)->len, ==, 1);
  apply_point (model, 4, "magnitude", 0.5, 0.875);
  apply_point (model, 4, "random", 0.5, 0.625);
  g_assert_cmpuint (lab_plot_model_get_sweep (model)->len, ==, 3);
  d = lab_plot_refresh_accessible (LAB_PLOT (plot));
  g_test_message ("%s", d);
  g_assert_nonnull (strstr (d, "Accuracy versus sparsity: magnitude keeps 87.5 % at 50 % "
                            "sparsity, random 62.5 %; dense 90.0 %."));

  /* a lottery: its round, its dense accuracy; the sweep stays */
  g_array_append_val (lottery->lottery_rounds, round);
  lab_plot_model_apply (model, lottery);
  g_assert_cmpuint (lab_plot_model_get_sweep (model)->len, ==, 3);
  g_assert_cmpuint (lab_plot_model_get_lottery (model)->len, ==, 1);
  g_assert_cmpfloat (lab_plot_model_get_results (model)->lottery_dense_accuracy, ==, 0.8);
  g_assert_cmpfloat (lab_plot_model_get_results (model)->sweep_dense_accuracy, ==, 0.9);

  /* the next sweep starts afresh */
  apply_point (model, 12, "saliency", 0.9, 0.5);
  g_assert_cmpuint (lab_plot_model_get_sweep (model)->len, ==, 1);
  g_assert_cmpstr (g_array_index (lab_plot_model_get_sweep (model), LabSweepRow, 0).criterion,
                   ==, "saliency");
  g_assert_cmpuint (lab_plot_model_get_lottery (model)->len, ==, 1);

  lab_plot_set_model (LAB_PLOT (plot), NULL);
  g_object_unref (plot);
}

/* A snapshot of @run_id with one row at @step (the run's own layers, dense) and, when
 * @caption is not NULL, the heavy parts of a copy whose layer 1 is @copy_sparsity pruned. */
static LabSnapshot *
layers_snapshot (guint64     step,
                 const char *caption,
                 double      copy_sparsity)
{
  static const gsize sizes[] = { 2, 4, 3 };
  LabSnapshot *snap = lab_snapshot_new ();
  LabStepStats row = { .step = step, .n_layers = 2 };

  snap->run_id = 1;
  lab_row_log_append (snap->rows, &row);
  if (caption != NULL)
    {
      snap->heavy = lab_heavy_new_chain (2, sizes, TRUE);
      snap->heavy->step = step;
      g_strlcpy (snap->heavy->caption, caption, sizeof snap->heavy->caption);
      snap->heavy->layers[0].sparsity = copy_sparsity;
    }
  return snap;
}

/* While an experiment shows a pruned copy, the sparsity bars are the copy's, as the heatmaps
 * are; the run's own rows take over again with its own heavy parts. */
static void
test_bars_follow_copy (void)
{
  g_autoptr(LabPlotModel) model = lab_plot_model_new ();
  GtkWidget *plot = g_object_ref_sink (lab_sparsity_plot_new ());
  g_autoptr(LabSnapshot) run = layers_snapshot (5, NULL, 0);
  g_autoptr(LabSnapshot) copy = layers_snapshot (5, "magnitude, 80 % (a pruned copy)", 0.8);
  g_autoptr(LabSnapshot) back = layers_snapshot (6, "", 0.25);

  lab_plot_set_model (LAB_PLOT (plot), model);
  lab_plot_model_apply (model, run);
  g_assert_cmpfloat (lab_sparsity_plot_get_layer_sparsity (LAB_SPARSITY_PLOT (plot), 0), ==, 0);
  lab_plot_model_apply (model, copy);
  g_assert_cmpfloat (lab_sparsity_plot_get_layer_sparsity (LAB_SPARSITY_PLOT (plot), 0), ==, 0.8);
  lab_plot_model_apply (model, back);
  g_assert_cmpfloat (lab_sparsity_plot_get_layer_sparsity (LAB_SPARSITY_PLOT (plot), 0), ==, 0);
  lab_plot_set_model (LAB_PLOT (plot), NULL);
  g_object_unref (plot);
}

/* What the bar says for each phase, and how long things take. */
static void
test_bar_words (void)
{
  LabExperimentStatus ex = { .kind = LAB_EXPERIMENT_SWEEP };
  g_autofree char *a = NULL, *b = NULL, *c = NULL, *t1 = NULL, *t2 = NULL;

  ex.progress = (LabExperimentProgress) { LAB_EXPERIMENT_FINE_TUNING, 3, 8, LAB_PRUNE_MAGNITUDE,
                                          0.8, 1, 1, 0.4 };
  a = lab_experiment_describe (&ex);
  g_assert_cmpstr (a, ==, "Sweep: point 3 of 8 · magnitude, 80 %, fine-tuning 1/1 epochs");
  ex.kind = LAB_EXPERIMENT_LOTTERY;
  ex.progress = (LabExperimentProgress) { LAB_EXPERIMENT_CONTROL, 2, 5, LAB_PRUNE_MAGNITUDE,
                                          0.36, 2, 3, 0.4 };
  b = lab_experiment_describe (&ex);
  g_assert_cmpstr (b, ==, "Lottery: round 2 of 5 · 36.0 % pruned, training the control "
                          "(fresh weights), epoch 2/3");
  ex.progress = (LabExperimentProgress) { LAB_EXPERIMENT_TRAINING, 0, 5, LAB_PRUNE_MAGNITUDE,
                                          0, 1, 2, 0.05 };
  c = lab_experiment_describe (&ex);
  g_assert_cmpstr (c, ==, "Lottery: training the dense network, epoch 1/2");
  t1 = lab_experiment_format_time (65.4);
  t2 = lab_experiment_format_time (3725);
  g_assert_cmpstr (t1, ==, "1:05");
  g_assert_cmpstr (t2, ==, "1:02:05");
}

int
main (int   argc,
      char *argv[])
{
  if (!lab_test_init_ui (&argc, &argv))
    return g_test_run ();

#define ADD(path, kind, fn) g_test_add (path, Fixture, kind, fixture_setup, fn, fixture_teardown)
  ADD ("/ui/sweep-window/points-one-by-one", "slow", test_points_one_by_one);
  ADD ("/ui/sweep-window/csv-equals-cli", NULL, test_csv_equals_cli);
  ADD ("/ui/sweep-window/lottery", NULL, test_lottery);
  ADD ("/ui/sweep-window/cancel-keeps-points", "slow", test_cancel_keeps_points);
  ADD ("/ui/sweep-window/runfile", NULL, test_runfile);
  ADD ("/ui/sweep-window/dialogs", NULL, test_dialogs);
  ADD ("/ui/sweep-window/bad-choices", NULL, test_bad_choices);
#undef ADD
  g_test_add_func ("/ui/sweep-window/failed-run", test_failed_run);
  g_test_add_func ("/ui/sweep-window/model-results", test_model_results);
  g_test_add_func ("/ui/sweep-window/bar-words", test_bar_words);
  g_test_add_func ("/ui/sweep-window/bars-follow-copy", test_bars_follow_copy);

  return g_test_run ();
}
