/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * test-session-experiment.c: sweeps and lotteries run in a session's engine thread (what the
 * window's Sweep… and Lottery… do). Their points and rounds arrive in snapshots one by one, with
 * progress and the pruned copy's heavy parts; the CSV they make is byte for byte gradlab-cli's;
 * Cancel stops within a step and keeps the points finished before it; the live run is left as
 * it was; freeing the session in the middle of an experiment returns promptly.
 */
#define G_LOG_DOMAIN "lab-test"
#include "config.h"

#include <math.h>
#include <string.h>

#include "lab-config.h"
#include "lab-session.h"
#include "lab-sweep.h"
#include "lab-test-utils.h"

typedef struct
{
  LabSession          *session;
  GMainContext        *context;
  GArray              *points;        /* LabSweepRow, as they came */
  GArray              *rounds;        /* LabLotteryRound */
  guint                points_while_running;  /* points that came while it still ran */
  guint                n_snapshots;
  guint                n_captioned;   /* heavy parts of a pruned copy */
  LabRunStatus         status;
  double               max_fraction;
  gboolean             fraction_fell;
} Collector;

static void
collect (LabSession *session,
         gpointer    data)
{
  Collector *c = data;
  g_autoptr(LabSnapshot) snap = lab_session_take (session);

  if (snap == NULL)
    return;
  c->n_snapshots++;
  if (snap->status.experiment.running)
    c->points_while_running += snap->sweep_points->len;
  g_array_append_vals (c->points, snap->sweep_points->data, snap->sweep_points->len);
  g_array_append_vals (c->rounds, snap->lottery_rounds->data, snap->lottery_rounds->len);
  if (snap->heavy && snap->heavy->caption[0])
    c->n_captioned++;
  if (snap->status.experiment.running)
    {
      double f = snap->status.experiment.progress.fraction;
      c->fraction_fell |= f + 1e-12 < c->max_fraction;
      c->max_fraction = MAX (c->max_fraction, f);
    }
  c->status = snap->status;
}

static gboolean
on_timeout (gpointer data)
{
  g_error ("timed out waiting for the experiment");
  return G_SOURCE_REMOVE;
}

typedef gboolean (*Until) (Collector *c);

static void
run_until (Collector *c,
           Until      until)
{
  GSource *guard = g_timeout_source_new_seconds (120);

  g_source_set_callback (guard, on_timeout, NULL, NULL);
  g_source_attach (guard, c->context);
  while (!until (c))
    g_main_context_iteration (c->context, TRUE);
  g_source_destroy (guard);
  g_source_unref (guard);
}

static gboolean
until_done (Collector *c)
{
  return c->status.experiment.kind != LAB_EXPERIMENT_NONE && !c->status.experiment.running;
}

static gboolean
until_first_point (Collector *c)
{
  return c->points->len >= 1;
}

static gboolean
until_step_7 (Collector *c)
{
  return c->status.step >= 7 && c->status.state != LAB_SESSION_RUNNING;
}

static gboolean
until_running (Collector *c)
{
  return c->status.experiment.running;
}

/* The spiral preset, 2 epochs, one BLAS thread: what the CLI is given below. */
static void
collector_init (Collector *c)
{
  g_autoptr(GError) error = NULL;
  LabConfig cfg;

  memset (c, 0, sizeof *c);
  c->context = g_main_context_new ();
  g_main_context_push_thread_default (c->context);
  c->points = g_array_new (FALSE, FALSE, sizeof (LabSweepRow));
  c->rounds = g_array_new (FALSE, FALSE, sizeof (LabLotteryRound));
  lab_config_init_defaults (&cfg);
  lab_config_load_preset (&cfg, "spiral", &error);
  g_assert_no_error (error);
  cfg.train.epochs = 2;
  cfg.train.threads = 1;
  c->session = lab_session_new (&cfg);
  lab_config_clear (&cfg);
  lab_session_set_consumer (c->session, c->context, collect, c);
}

static void
collector_clear (Collector *c)
{
  lab_session_free (c->session);
  g_array_unref (c->points);
  g_array_unref (c->rounds);
  g_main_context_pop_thread_default (c->context);
  g_main_context_unref (c->context);
}

static const LabPruneCriterion criteria[] = { LAB_PRUNE_MAGNITUDE, LAB_PRUNE_RANDOM };
static const double sparsities[] = { 0, 0.5, 0.8 };

static LabSweepSpec
sweep_spec (guint finetune)
{
  LabSweepSpec spec = { 0 };
  g_autoptr(GError) error = NULL;
  LabConfig cfg;

  /* as gradlab-cli sweep makes it: the preset's [prune] spec, no threshold, the scope asked */
  lab_config_init_defaults (&cfg);
  lab_config_load_preset (&cfg, "spiral", &error);
  g_assert_no_error (error);
  spec.train = TRUE;
  spec.prune = cfg.prune.spec;
  spec.prune.threshold_mode = LAB_PRUNE_THRESHOLD_NONE;
  spec.prune.scope = LAB_PRUNE_SCOPE_GLOBAL;
  spec.criteria = criteria;
  spec.n_criteria = G_N_ELEMENTS (criteria);
  spec.sparsities = sparsities;
  spec.n_sparsities = G_N_ELEMENTS (sparsities);
  spec.finetune_epochs = finetune;
  lab_config_clear (&cfg);
  return spec;
}

/* The window's sweep gives the CLI's CSV, byte for byte; its points arrive one by one. */
static void
test_sweep_equals_cli (void)
{
  Collector c;
  LabSweepSpec spec = sweep_spec (1);
  g_autofree char *dir = lab_test_mkdtemp ();
  g_autofree char *ours = g_build_filename (dir, "window.csv", NULL);
  g_autofree char *theirs = g_build_filename (dir, "cli.csv", NULL);
  g_autofree char *a = NULL, *b = NULL;
  g_autoptr(GError) error = NULL;
  LabCliResult r;
  guint64 step_before;

  collector_init (&c);
  lab_session_step (c.session, 7);   /* the live run: 7 steps, then the sweep */
  run_until (&c, until_step_7);
  lab_session_run_sweep (c.session, &spec);
  run_until (&c, until_done);
  step_before = c.status.step;

  g_assert_false (c.status.experiment.cancelled);
  g_assert_false (c.status.experiment.failed);
  g_assert_cmpint (c.status.experiment.kind, ==, LAB_EXPERIMENT_SWEEP);
  g_assert_cmpuint (c.points->len, ==, 6);
  /* point by point: points came while the sweep still ran, not all at its end (each is posted
   * as it is finished; a slow consumer may find several in one snapshot) */
  g_assert_cmpuint (c.points_while_running, >=, 1);
  g_assert_cmpuint (c.n_captioned, >=, 1);   /* the pruned copies were shown (some may coalesce) */
  g_assert_false (c.fraction_fell);
  g_assert_cmpfloat (c.max_fraction, >, 0.5);
  g_assert_true (isfinite (c.status.experiment.dense_accuracy));
  /* the live run is where it was */
  g_assert_cmpuint (step_before, ==, 7);
  g_assert_cmpint (c.status.state, ==, LAB_SESSION_PAUSED);

  g_assert_true (lab_sweep_write_csv (ours, (const LabSweepRow *) c.points->data, c.points->len,
                                      &error));
  g_assert_no_error (error);
  r = lab_test_run_cli (NULL, "sweep", "--preset", "spiral", "--epochs", "2", "--threads", "1",
                        "--criteria", "magnitude,random", "--sparsities", "0,0.5,0.8",
                        "--scope", "global", "--finetune-epochs", "1", "--quiet", "--out", theirs,
                        NULL);
  g_assert_cmpint (r.status, ==, 0);
  lab_test_cli_result_clear (&r);
  g_file_get_contents (ours, &a, NULL, &error);
  g_assert_no_error (error);
  g_file_get_contents (theirs, &b, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (a, ==, b);

  collector_clear (&c);
  lab_test_rmdir (dir);
}

/* Cancel after the first point: the experiment ends cancelled, promptly, with that point. */
static void
test_sweep_cancel (void)
{
  Collector c;
  LabSweepSpec spec = sweep_spec (3);
  gint64 t0;
  guint kept;

  collector_init (&c);
  lab_session_run_sweep (c.session, &spec);
  run_until (&c, until_first_point);
  kept = c.points->len;
  t0 = g_get_monotonic_time ();
  lab_session_cancel_experiment (c.session);
  run_until (&c, until_done);
  g_test_message ("cancel took %.1f ms", (g_get_monotonic_time () - t0) / 1000.0);
  g_assert_true (c.status.experiment.cancelled);
  g_assert_false (c.status.experiment.failed);
  /* a point that was being posted while we cancelled may still come, no more */
  g_assert_cmpuint (c.points->len, >=, kept);
  g_assert_cmpuint (c.points->len, <=, kept + 1);
  g_assert_cmpuint (c.points->len, <, 6);
  g_assert_null (c.status.error[0] ? c.status.error : NULL);
  collector_clear (&c);
}

/* A lottery's rounds arrive one by one and read as the CLI prints them. */
static void
test_lottery_equals_cli (void)
{
  Collector c;
  LabLotterySpec spec = { .rounds = 2, .rate = 0.5, .rewind = LAB_REWIND_INIT,
                          .scope = LAB_PRUNE_SCOPE_GLOBAL, .control = TRUE };
  g_autoptr(GString) ours = g_string_new (NULL);
  g_autofree char *theirs = NULL;
  LabCliResult r;

  collector_init (&c);
  lab_session_run_lottery (c.session, &spec);
  run_until (&c, until_done);
  g_assert_false (c.status.experiment.failed);
  g_assert_cmpuint (c.rounds->len, ==, 2);
  for (guint i = 0; i < c.rounds->len; i++)
    {
      g_autofree char *line = lab_lottery_format_round (&g_array_index (c.rounds,
                                                                        LabLotteryRound, i),
                                                        TRUE);
      g_string_append_printf (ours, "%s\n", line);
    }

  r = lab_test_run_cli (NULL, "lottery", "--preset", "spiral", "--epochs", "2", "--threads", "1",
                        "--rounds", "2", "--rate", "0.5", "--scope", "global",
                        "--control", "reinit", "--quiet", NULL);
  g_assert_cmpint (r.status, ==, 0);
  theirs = lab_test_lines_starting (r.out, "round=");
  lab_test_cli_result_clear (&r);
  g_assert_cmpstr (ours->str, ==, theirs);
  collector_clear (&c);
}

/* Closing the window mid-sweep: freeing the session cancels and joins within a step. */
static void
test_free_mid_experiment (void)
{
  Collector c;
  LabSweepSpec spec = sweep_spec (5);
  gint64 t0;

  collector_init (&c);
  lab_session_run_sweep (c.session, &spec);
  run_until (&c, until_running);
  t0 = g_get_monotonic_time ();
  lab_session_free (c.session);
  c.session = NULL;
  g_test_message ("free took %.1f ms", (g_get_monotonic_time () - t0) / 1000.0);
  /* a hang guard, not a speed target: sanitizer builds are slow */
  g_assert_cmpint (g_get_monotonic_time () - t0, <, 60 * G_USEC_PER_SEC);
  collector_clear (&c);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/session/experiment/sweep-equals-cli", test_sweep_equals_cli);
  g_test_add_func ("/session/experiment/sweep-cancel", test_sweep_cancel);
  g_test_add_func ("/session/experiment/lottery-equals-cli", test_lottery_equals_cli);
  g_test_add_func ("/session/experiment/free-mid-experiment", test_free_mid_experiment);
  return g_test_run ();
}
