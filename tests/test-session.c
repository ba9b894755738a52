/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * test-session.c: the engine thread's contract. A nested main loop collects snapshots while the
 * test sends commands: rows arrive in order with none missing or repeated, pause pauses, step N
 * takes N steps, reset restarts deterministically, slow or absent consumers neither lose rows
 * nor slow or bloat the worker, and quit joins promptly from any state.
 */
#define G_LOG_DOMAIN "lab-test"
#include "config.h"

#include <math.h>
#include <string.h>

#include "lab-config.h"
#include "lab-history.h"
#include "lab-session.h"
#include "lab-test-utils.h"

typedef struct
{
  LabSession     *session;
  GMainContext   *context;
  GArray         *rows;        /* LabStepStats of the current run */
  guint           run_id;
  guint           n_runs;
  guint64         acked;
  LabSessionState state;
  char           *error;
  guint           n_snapshots;
  guint           max_rows_in_one;
  guint64         dropped;
  guint           sleep_ms;    /* slow consumer */
  gboolean        saw_heavy;
  gboolean        saw_grid;
  guint           failed_binned;      /* activation values in the heavy part of a FAILED */
  guint           failed_nonfinite;   /* snapshot: binned, and inf or NaN */
} Collector;

static void
collector_take (LabSession *session,
                gpointer    user_data)
{
  Collector *c = user_data;
  g_autoptr(LabSnapshot) snap = lab_session_take (session);

  if (snap == NULL)
    return;
  if (c->sleep_ms)
    g_usleep (c->sleep_ms * 1000);
  c->n_snapshots++;
  if (snap->run_id != c->run_id)
    {
      c->run_id = snap->run_id;
      c->n_runs++;
      g_array_set_size (c->rows, 0);
    }
  lab_test_append_rows (c->rows, snap->rows);
  c->max_rows_in_one = MAX (c->max_rows_in_one, lab_row_log_len (snap->rows));
  c->dropped += snap->rows_dropped;
  c->acked = snap->status.acked;
  c->state = snap->status.state;
  g_free (c->error);
  c->error = g_strdup (lab_snapshot_error (snap));
  if (snap->heavy)
    {
      c->saw_heavy = TRUE;
      c->saw_grid |= snap->heavy->grid_n > 0;
      if (snap->status.state == LAB_SESSION_FAILED)
        {
          c->failed_binned = c->failed_nonfinite = 0;
          for (guint l = 0; l < snap->heavy->n_layers; l++)
            {
              c->failed_nonfinite += snap->heavy->layers[l].act_hist.nonfinite;
              for (guint b = 0; b < LAB_HIST_BINS; b++)
                c->failed_binned += snap->heavy->layers[l].act_hist.count[b];
            }
        }
    }
}

static gboolean
on_timeout (gpointer data)
{
  g_error ("timed out waiting for the session");
  return G_SOURCE_REMOVE;
}

typedef gboolean (*Until) (Collector *c, gpointer data);

/* Iterates the test's own context until @until holds; a 60 s guard fails the test. */
static void
run_until (Collector *c,
           Until      until,
           gpointer   data)
{
  GSource *guard = g_timeout_source_new_seconds (60);

  g_source_set_callback (guard, on_timeout, NULL, NULL);
  g_source_attach (guard, c->context);
  while (!until (c, data))
    g_main_context_iteration (c->context, TRUE);
  g_source_destroy (guard);
  g_source_unref (guard);
}

static gboolean
until_acked (Collector *c,
             gpointer   data)
{
  return c->acked >= *(guint64 *) data;
}

static gboolean
until_rows (Collector *c,
            gpointer   data)
{
  return c->rows->len >= GPOINTER_TO_UINT (data);
}

static gboolean
until_state (Collector *c,
             gpointer   data)
{
  return c->state == (LabSessionState) GPOINTER_TO_INT (data);
}

static void
wait_acked (Collector *c,
            guint64    serial)
{
  run_until (c, until_acked, &serial);
}

static void
small_config (LabConfig *cfg)
{
  g_autoptr(GError) error = NULL;

  lab_config_init_defaults (cfg);
  lab_config_load_preset (cfg, "spiral", &error);
  g_assert_no_error (error);
  lab_config_set_assignment (cfg, "data.n_train=300", &error);
  lab_config_set_assignment (cfg, "model.hidden=16,16", &error);
  lab_config_set_assignment (cfg, "train.batch=16", &error);
  g_assert_no_error (error);
}

static void
collector_init (Collector       *c,
                const LabConfig *cfg)
{
  memset (c, 0, sizeof *c);
  c->context = g_main_context_new ();
  g_main_context_push_thread_default (c->context);
  c->rows = g_array_new (FALSE, FALSE, sizeof (LabStepStats));
  c->session = lab_session_new (cfg);
  lab_session_set_consumer (c->session, c->context, collector_take, c);
}

static void
collector_clear (Collector *c)
{
  lab_session_free (c->session);
  g_main_context_pop_thread_default (c->context);
  g_main_context_unref (c->context);
  g_array_unref (c->rows);
  g_free (c->error);
}

static void
assert_rows_contiguous (Collector *c)
{
  const LabStepStats *r = (const LabStepStats *) c->rows->data;
  for (guint i = 0; i < c->rows->len; i++)
    g_assert_cmpuint (r[i].step, ==, i + 1);
}

/* ------------------------------------------------------------------------------------------ */

static void
test_protocol (void)
{
  Collector c;
  LabConfig cfg;
  guint n_before;
  guint64 serial;

  small_config (&cfg);
  cfg.train.epochs = 50000;   /* a fast machine trains 200 epochs before the pause lands */
  collector_init (&c, &cfg);

  lab_session_play (c.session);
  run_until (&c, until_rows, GUINT_TO_POINTER (500));
  serial = lab_session_pause (c.session);
  wait_acked (&c, serial);
  g_assert_cmpint (c.state, ==, LAB_SESSION_PAUSED);
  assert_rows_contiguous (&c);
  g_assert_true (c.saw_heavy);
  g_assert_true (c.saw_grid);

  /* paused means paused: nothing arrives while we wait */
  n_before = c.rows->len;
  {
    gint64 end = g_get_monotonic_time () + 200 * 1000;
    while (g_get_monotonic_time () < end)
      g_main_context_iteration (c.context, FALSE);
  }
  g_assert_cmpuint (c.rows->len, ==, n_before);

  /* step N takes exactly N steps */
  serial = lab_session_step (c.session, 37);
  wait_acked (&c, serial);
  run_until (&c, until_rows, GUINT_TO_POINTER (n_before + 37));
  {
    gint64 end = g_get_monotonic_time () + 100 * 1000;
    while (g_get_monotonic_time () < end)
      g_main_context_iteration (c.context, FALSE);
  }
  g_assert_cmpuint (c.rows->len, ==, n_before + 37);
  assert_rows_contiguous (&c);
  g_assert_cmpint (c.state, ==, LAB_SESSION_PAUSED);

  lab_config_clear (&cfg);
  collector_clear (&c);
}

static void
test_reset_is_a_fresh_run (void)
{
  Collector a, b;
  LabConfig cfg, cfg7;
  guint first_run;
  guint64 serial;

  small_config (&cfg);
  small_config (&cfg7);
  cfg7.train.seed = 7;
  cfg7.prune.spec.seed = 7;

  /* run A: seed 1 for a while, then reset to seed 7 */
  collector_init (&a, &cfg);
  serial = lab_session_step (a.session, 50);
  wait_acked (&a, serial);
  run_until (&a, until_rows, GUINT_TO_POINTER (50));
  first_run = a.run_id;
  serial = lab_session_reset (a.session, 7);
  wait_acked (&a, serial);
  g_assert_cmpuint (a.run_id, !=, first_run);
  g_assert_cmpuint (a.rows->len, ==, 0);
  lab_session_step (a.session, 40);
  run_until (&a, until_rows, GUINT_TO_POINTER (40));

  /* run B: a fresh session with seed 7 */
  collector_clear (&a);
  a.rows = NULL;
  collector_init (&b, &cfg7);
  lab_session_step (b.session, 40);
  run_until (&b, until_rows, GUINT_TO_POINTER (40));
  collector_clear (&b);

  lab_config_clear (&cfg);
  lab_config_clear (&cfg7);
}

/* A fast consumer is not woken once per step: while rows stream, announcements are paced
 * (8 ms, plus one per heavy refresh), yet every row arrives and the last one promptly. The bound
 * scales with the elapsed time, so a slow machine (or a sanitizer) cannot make it fail. */
static void
test_wakeups_paced (void)
{
  Collector c;
  LabConfig cfg;
  const guint n = 20000;
  gint64 t0, elapsed;
  guint bound;

  small_config (&cfg);
  cfg.train.epochs = 5000;   /* 19 steps an epoch: the run must not finish first */
  collector_init (&c, &cfg);
  t0 = g_get_monotonic_time ();
  lab_session_step (c.session, n);
  run_until (&c, until_rows, GUINT_TO_POINTER (n));
  elapsed = g_get_monotonic_time () - t0;
  assert_rows_contiguous (&c);
  g_assert_cmpuint (c.rows->len, ==, n);
  bound = 10 + (guint) (elapsed / 8000) + (guint) (elapsed / 33000);
  g_test_message ("%u snapshots for %u steps in %.3f s (bound %u)", c.n_snapshots, n,
                  elapsed / 1e6, bound);
  g_assert_cmpuint (c.n_snapshots, <=, bound);
  g_assert_cmpuint (c.n_snapshots, <, n / 4);
  collector_clear (&c);
  lab_config_clear (&cfg);
}

/* Training on past the configured run (play after "finished") evaluates the test split as
 * during the run: at epoch ends and, on small 2-D data, every 250 ms. It once evaluated at every
 * step once the run had finished: on Fashion-MNIST a 10k-image forward pass per step. */
static void
test_eval_past_the_end (void)
{
  Collector c;
  LabConfig cfg;
  const LabStepStats *r;
  guint spe, at_end = 0, past = 0, bound;
  gint64 t0, elapsed;

  small_config (&cfg);
  cfg.train.steps = 20;
  spe = (300 + 16 - 1) / 16;   /* n_train 300, batch 16 */
  collector_init (&c, &cfg);
  lab_session_step (c.session, 20);
  run_until (&c, until_rows, GUINT_TO_POINTER (20));
  t0 = g_get_monotonic_time ();
  lab_session_step (c.session, 60);
  run_until (&c, until_rows, GUINT_TO_POINTER (80));
  elapsed = g_get_monotonic_time () - t0;
  assert_rows_contiguous (&c);

  r = (const LabStepStats *) c.rows->data;
  at_end = isfinite (r[19].test_loss);
  for (guint i = 20; i < 80; i++)
    past += isfinite (r[i].test_loss);
  bound = 60 / spe + 1 + (guint) (elapsed / 250000);
  g_test_message ("%u evaluations in 60 steps past the end (%.3f s; bound %u)", past,
                  elapsed / 1e6, bound);
  g_assert_true (at_end);   /* the last step of the configured run is evaluated */
  g_assert_cmpuint (past, <=, bound);
  g_assert_cmpuint (past, <, 30);
  collector_clear (&c);
  lab_config_clear (&cfg);
}

/* Runs the test's context for @ms milliseconds. */
static void
iterate_for (Collector *c,
             guint      ms)
{
  gint64 end = g_get_monotonic_time () + ms * 1000;

  while (g_get_monotonic_time () < end)
    if (!g_main_context_iteration (c->context, FALSE))
      g_usleep (1000);
}

/* A step-rate cap holds (an upper bound: a slow machine only takes fewer steps), and a new,
 * lower cap counts from when it is set: steps run at full speed once bought a wait of
 * steps / new rate (thousands of steps at 100/s: a window that froze for minutes). */
static void
test_max_rate (void)
{
  Collector c;
  LabConfig cfg;
  gint64 t0, elapsed;
  guint before;

  small_config (&cfg);
  cfg.train.epochs = 50000;
  collector_init (&c, &cfg);
  lab_session_set_max_rate (c.session, 200);
  t0 = g_get_monotonic_time ();
  lab_session_play (c.session);
  run_until (&c, until_rows, GUINT_TO_POINTER (60));
  elapsed = g_get_monotonic_time () - t0;
  g_test_message ("60 steps at ≤ 200/s took %.3f s", elapsed / 1e6);
  g_assert_cmpint (elapsed, >=, (60 - 2) * G_USEC_PER_SEC / 200);

  /* full speed for a while, then slow: the next steps come at once, not after a long wait */
  lab_session_set_max_rate (c.session, 0);
  run_until (&c, until_rows, GUINT_TO_POINTER (c.rows->len + 3000));
  lab_session_set_max_rate (c.session, 100);
  iterate_for (&c, 300);   /* rows taken at full speed before the change arrive first */
  before = c.rows->len;
  iterate_for (&c, 1000);
  g_test_message ("%u steps in 1 s at ≤ 100/s, after %u at full speed", c.rows->len - before,
                  before);
  g_assert_cmpuint (c.rows->len - before, >=, 10);    /* not stalled */
  g_assert_cmpuint (c.rows->len - before, <=, 130);   /* capped */
  lab_session_pause (c.session);
  collector_clear (&c);
  lab_config_clear (&cfg);
}

/* The same, comparing the numbers: keep both row arrays alive. */
static GArray *
rows_of_run (const LabConfig *cfg,
             gint64           reset_seed,
             guint            n)
{
  Collector c;
  GArray *rows;

  collector_init (&c, cfg);
  if (reset_seed >= 0)
    {
      guint64 serial;
      lab_session_step (c.session, 25);
      run_until (&c, until_rows, GUINT_TO_POINTER (25));
      serial = lab_session_reset (c.session, reset_seed);
      wait_acked (&c, serial);
    }
  lab_session_step (c.session, n);
  run_until (&c, until_rows, GUINT_TO_POINTER (n));
  rows = g_array_ref (c.rows);
  collector_clear (&c);
  return rows;
}

static void
test_reset_same_numbers (void)
{
  LabConfig cfg, cfg7;
  g_autoptr(GArray) after_reset = NULL, fresh = NULL;

  small_config (&cfg);
  small_config (&cfg7);
  cfg7.train.seed = 7;
  cfg7.prune.spec.seed = 7;
  after_reset = rows_of_run (&cfg, 7, 60);
  fresh = rows_of_run (&cfg7, -1, 60);
  g_assert_cmpuint (after_reset->len, ==, 60);
  g_assert_cmpuint (fresh->len, ==, 60);
  for (guint i = 0; i < 60; i++)
    {
      const LabStepStats *x = &g_array_index (after_reset, LabStepStats, i);
      const LabStepStats *y = &g_array_index (fresh, LabStepStats, i);
      g_assert_cmpfloat (x->loss, ==, y->loss);
      g_assert_cmpfloat (x->layer[0].grad_norm, ==, y->layer[0].grad_norm);
    }
  lab_config_clear (&cfg);
  lab_config_clear (&cfg7);
}

static void
test_slow_consumer_loses_nothing (void)
{
  Collector c;
  LabConfig cfg;

  small_config (&cfg);
  cfg.train.steps = 3000;
  collector_init (&c, &cfg);
  c.sleep_ms = 25;
  lab_session_play (c.session);
  run_until (&c, until_state, GINT_TO_POINTER (LAB_SESSION_FINISHED));
  run_until (&c, until_rows, GUINT_TO_POINTER (3000));
  g_assert_cmpuint (c.rows->len, ==, 3000);
  assert_rows_contiguous (&c);
  g_assert_cmpuint (c.dropped, ==, 0);
  /* the worker did not wait for the consumer: it batched many steps per snapshot */
  g_assert_cmpuint (c.max_rows_in_one, >=, 20);
  g_test_message ("slow consumer: %u snapshots for 3000 steps, at most %u rows in one",
                  c.n_snapshots, c.max_rows_in_one);
  lab_config_clear (&cfg);
  collector_clear (&c);
}

static void
test_absent_consumer_is_bounded (void)
{
  LabConfig cfg;
  LabSession *session;
  g_autoptr(LabSnapshot) snap = NULL;
  guint64 total = 40000;

  small_config (&cfg);
  cfg.train.steps = total;
  lab_config_set_assignment (&cfg, "model.hidden=4", NULL);
  session = lab_session_new (&cfg);
  lab_session_play (session);
  /* nobody takes; wait for the end by polling the slot's state without consuming rows */
  for (;;)
    {
      g_usleep (20 * 1000);
      snap = lab_session_take (session);
      if (snap && snap->status.state == LAB_SESSION_FINISHED)
        break;
      if (snap)
        {
          /* put nothing back: counting rows of this take too */
          total -= lab_row_log_len (snap->rows) + snap->rows_dropped;
          g_clear_pointer (&snap, lab_snapshot_unref);
        }
    }
  g_assert_cmpuint (lab_row_log_len (snap->rows), <=, 16384);
  g_assert_cmpuint (lab_row_log_len (snap->rows) + snap->rows_dropped, ==, total);
  lab_session_free (session);
  lab_config_clear (&cfg);
}

typedef struct
{
  LabSession *session;
  guint64     seed;
} Hammer;

static gpointer
hammer_thread (gpointer data)
{
  Hammer *h = data;
  LabRng rng;
  LabPruneSpec spec = { .criterion = LAB_PRUNE_MAGNITUDE, .scope = LAB_PRUNE_SCOPE_LAYER,
                        .structure = LAB_PRUNE_WEIGHT, .target = 0.5 };

  lab_rng_init (&rng, h->seed);
  for (int i = 0; i < 300; i++)
    {
      switch (lab_rng_below (&rng, 9))
        {
        case 0: lab_session_play (h->session); break;
        case 1: lab_session_pause (h->session); break;
        case 2: lab_session_step (h->session, lab_rng_below (&rng, 20)); break;
        case 3: lab_session_reset (h->session, lab_rng_below (&rng, 3)); break;
        case 4: lab_session_set_lr (h->session, 0.001 + lab_rng_uniform (&rng)); break;
        case 5: lab_session_set_batch (h->session, 1 + lab_rng_below (&rng, 64)); break;
        case 6: lab_session_set_clip (h->session, LAB_CLIP_NORM, 1.0); break;
        case 7:
          spec.target = lab_rng_uniform (&rng) * 0.9;
          lab_session_prune_now (h->session, &spec);
          break;
        default: lab_session_evaluate (h->session); break;
        }
      if (lab_rng_below (&rng, 10) == 0)
        g_usleep (lab_rng_below (&rng, 2000));
    }
  return NULL;
}

static void
test_hammer_two_threads (void)
{
  Collector c;
  LabConfig cfg;
  Hammer h1, h2;
  GThread *t1, *t2;
  guint64 serial;

  small_config (&cfg);
  collector_init (&c, &cfg);
  h1 = (Hammer) { c.session, 1 };
  h2 = (Hammer) { c.session, 2 };
  t1 = g_thread_new ("hammer-1", hammer_thread, &h1);
  t2 = g_thread_new ("hammer-2", hammer_thread, &h2);
  g_thread_join (t1);
  g_thread_join (t2);
  /* every command is applied: the last serial gets acknowledged */
  serial = lab_session_evaluate (c.session);
  wait_acked (&c, serial);
  g_assert_cmpuint (c.acked, ==, 601);
  lab_config_clear (&cfg);
  collector_clear (&c);
}

static void
test_quit_anywhere (void)
{
  LabConfig cfg;
  LabSession *s;
  gint64 t;

  small_config (&cfg);

  /* before the first step */
  s = lab_session_new (&cfg);
  lab_session_free (s);

  /* while paused */
  s = lab_session_new (&cfg);
  g_usleep (50 * 1000);
  lab_session_free (s);

  /* while training */
  s = lab_session_new (&cfg);
  lab_session_play (s);
  g_usleep (100 * 1000);
  t = g_get_monotonic_time ();
  lab_session_free (s);
  g_test_message ("quit while training joined in %.1f ms", (g_get_monotonic_time () - t) / 1e3);

  /* during a long evaluation (a big test split) */
  lab_config_set_assignment (&cfg, "data.n_test=400000", NULL);
  s = lab_session_new (&cfg);
  lab_session_evaluate (s);
  lab_session_evaluate (s);
  g_usleep (20 * 1000);
  lab_session_free (s);

  /* with commands still queued */
  s = lab_session_new (&cfg);
  for (int i = 0; i < 100; i++)
    lab_session_step (s, 1000);
  lab_session_free (s);

  lab_config_clear (&cfg);
}

static void
test_errors_keep_session_usable (void)
{
  Collector c;
  LabConfig cfg, good;
  guint64 serial;

  lab_config_init_defaults (&cfg);
  lab_config_set_assignment (&cfg, "data.source=idx", NULL);
  lab_config_set_assignment (&cfg, "data.path=/nonexistent/mnist", NULL);
  collector_init (&c, &cfg);
  run_until (&c, until_state, GINT_TO_POINTER (LAB_SESSION_FAILED));
  g_assert_nonnull (c.error);
  g_assert_nonnull (strstr (c.error, "/nonexistent/mnist"));

  /* play on a failed session does nothing; a good config recovers */
  serial = lab_session_play (c.session);
  wait_acked (&c, serial);
  g_assert_cmpint (c.state, ==, LAB_SESSION_FAILED);
  small_config (&good);
  serial = lab_session_set_config (c.session, &good);
  wait_acked (&c, serial);
  g_assert_cmpint (c.state, ==, LAB_SESSION_PAUSED);
  g_assert_null (c.error);
  lab_session_step (c.session, 10);
  run_until (&c, until_rows, GUINT_TO_POINTER (10));

  /* divergence: FAILED with the step; reset recovers */
  lab_config_set_assignment (&good, "train.optimizer=sgd", NULL);
  lab_config_set_assignment (&good, "train.lr=100", NULL);
  lab_config_set_assignment (&good, "model.init=normal", NULL);
  lab_config_set_assignment (&good, "model.init_scale=50", NULL);
  lab_config_set_assignment (&good, "model.hidden=64,64,64,64", NULL);
  serial = lab_session_set_config (c.session, &good);
  wait_acked (&c, serial);
  lab_session_play (c.session);
  run_until (&c, until_state, GINT_TO_POINTER (LAB_SESSION_FAILED));
  g_assert_nonnull (strstr (c.error, "diverged at step"));
  /* the failed step's activations are published, overflow counted apart from the bins */
  g_test_message ("%s; activations of the failed batch: %u binned, %u inf/NaN", c.error,
                  c.failed_binned, c.failed_nonfinite);
  g_assert_cmpuint (c.failed_binned + c.failed_nonfinite, >, 0);
  if (strstr (c.error, "the loss is") != NULL)
    g_assert_cmpuint (c.failed_nonfinite, >, 0);   /* the forward pass itself overflowed */
  serial = lab_session_reset (c.session, -1);
  wait_acked (&c, serial);
  g_assert_cmpint (c.state, ==, LAB_SESSION_PAUSED);

  lab_config_clear (&cfg);
  lab_config_clear (&good);
  collector_clear (&c);
}

static void
test_history_bounded (void)
{
  g_autoptr(LabHistory) h = lab_history_new (3, 100, 1000);
  LabStepStats st = { 0 };
  gsize bytes0 = lab_history_bytes (h);
  float spike_seen = 0;

  st.n_layers = 3;
  for (guint64 s = 1; s <= 200000; s++)
    {
      st.step = s;
      st.loss = 1.0 / (double) s;
      st.layer[0].grad_norm = s == 12345 ? 1000.0f : 1.0f;
      lab_history_append (h, &st);
    }
  g_assert_cmpuint (lab_history_len (h), <=, 1000);
  g_assert_cmpuint (lab_history_bytes (h), ==, bytes0);
  /* the newest 100 are exact */
  for (guint i = lab_history_len (h) - 100; i < lab_history_len (h); i++)
    {
      LabHistoryPoint p = lab_history_get (h, i, LAB_HISTORY_LOSS, 0);
      g_assert_cmpuint (p.step_first, ==, p.step_last);
      lab_assert_close (p.mean, 1.0 / p.step_first, 1e-6, 0);
    }
  /* the spike survives as a max, steps are ordered and cover everything */
  for (guint i = 0; i < lab_history_len (h); i++)
    {
      LabHistoryPoint p = lab_history_get (h, i, LAB_HISTORY_GRAD_NORM, 0);
      spike_seen = MAX (spike_seen, p.max);
      if (i == 0)
        g_assert_cmpuint (p.step_first, ==, 1);
      else
        g_assert_cmpuint (p.step_first, ==, lab_history_get (h, i - 1, LAB_HISTORY_LOSS, 0).step_last + 1);
    }
  g_assert_cmpfloat (spike_seen, ==, 1000.0f);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/session/protocol", test_protocol);
  g_test_add_func ("/session/reset-new-run", test_reset_is_a_fresh_run);
  g_test_add_func ("/session/reset-same-numbers", test_reset_same_numbers);
  g_test_add_func ("/session/slow-consumer", test_slow_consumer_loses_nothing);
  g_test_add_func ("/session/wakeups-paced", test_wakeups_paced);
  g_test_add_func ("/session/eval-past-the-end", test_eval_past_the_end);
  g_test_add_func ("/session/max-rate", test_max_rate);
  g_test_add_func ("/session/absent-consumer-bounded", test_absent_consumer_is_bounded);
  g_test_add_func ("/session/hammer-two-threads", test_hammer_two_threads);
  g_test_add_func ("/session/quit-anywhere", test_quit_anywhere);
  g_test_add_func ("/session/errors-keep-session-usable", test_errors_keep_session_usable);
  g_test_add_func ("/session/history-bounded", test_history_bounded);
  return g_test_run ();
}
