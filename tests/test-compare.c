/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * test-compare.c: compare mode's lock-step controller (engine/lab-lockstep.c) driving two real
 * sessions. At every delivery both sides have reached the same step and no row of either side
 * is missing; pause, single steps, reset and the end of a configured run keep them together;
 * a side whose run diverges stops without stalling the other; freeing joins both threads
 * within a timeout guard.
 */
#define G_LOG_DOMAIN "test-compare"

#include "config.h"

#include "lab-lockstep.h"
#include "lab-test-utils.h"

#define TIMEOUT_MS 30000

typedef struct
{
  LabLockstep *ls;
  guint        deliveries;
  guint64      next_row[2];  /* the step the next row of each side must have */
  guint        run_id[2];
  guint64      last[2];      /* step of the latest snapshot of each side */
  gboolean     failed[2];
  guint64      stop_at;      /* pause once the lockstep reaches this step (0 = never) */
} Fixture;

static void
on_deliver (LabLockstep *ls,
            GPtrArray   *snaps0,
            GPtrArray   *snaps1,
            gpointer     user_data)
{
  Fixture *f = user_data;
  GPtrArray *snaps[2] = { snaps0, snaps1 };

  f->deliveries++;
  for (guint s = 0; s < 2; s++)
    for (guint i = 0; i < snaps[s]->len; i++)
      {
        LabSnapshot *snap = g_ptr_array_index (snaps[s], i);

        if (snap->run_id != f->run_id[s])
          {
            /* a new run (reset) starts over at step 1 */
            f->run_id[s] = snap->run_id;
            f->next_row[s] = 1;
          }
        for (guint r = 0; r < lab_row_log_len (snap->rows); r++)
          {
            const LabStepStats *row = lab_test_row (snap->rows, r);
            g_assert_cmpuint (row->step, ==, f->next_row[s]);
            f->next_row[s]++;
          }
        f->last[s] = snap->status.step;
        f->failed[s] = snap->status.state == LAB_SESSION_FAILED;
      }

  /* lock-step: both sides at the delivered step (a failed side stays where it failed) */
  for (guint s = 0; s < 2; s++)
    if (!f->failed[s])
      {
        g_assert_cmpuint (f->last[s], ==, lab_lockstep_get_step (ls));
        g_assert_cmpuint (f->next_row[s], ==, f->last[s] + 1);
      }
  if (!f->failed[0] && !f->failed[1])
    g_assert_cmpuint (f->last[0], ==, f->last[1]);

  if (f->stop_at > 0 && lab_lockstep_get_step (ls) >= f->stop_at)
    lab_lockstep_pause (ls);
}

static gboolean
on_timeout (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

typedef gboolean (*Condition) (Fixture *f);

static void
iterate_until (Fixture    *f,
               Condition   cond,
               const char *what)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add (TIMEOUT_MS, on_timeout, &timed_out);

  while (!cond (f) && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (timed_out)
    g_error ("timed out waiting for %s", what);
  g_source_remove (id);
}

/* Nothing in flight: the last round is delivered and nothing more was sent. */
static gboolean
idle (Fixture *f)
{
  return !lab_lockstep_is_playing (f->ls) &&
         lab_lockstep_get_step (f->ls) == lab_lockstep_get_target (f->ls) &&
         f->deliveries > 0;
}

static gboolean
reached_stop (Fixture *f)
{
  return lab_lockstep_get_step (f->ls) >= f->stop_at && idle (f);
}

/* Idle after a reset or new configs: both sides delivered their fresh step 0. */
static gboolean
restarted (Fixture *f)
{
  return idle (f) && f->last[0] == 0 && f->last[1] == 0 && !f->failed[0] && !f->failed[1];
}

static void
spiral (LabConfig  *cfg,
        const char *activation)
{
  g_autoptr(GError) error = NULL;

  lab_config_init_defaults (cfg);
  g_assert_true (lab_config_load_preset (cfg, "spiral", &error));
  g_assert_true (lab_config_set (cfg, "model.activation", activation, &error));
  g_assert_no_error (error);
}

static void
fixture_start (Fixture         *f,
               const LabConfig *a,
               const LabConfig *b,
               guint            chunk)
{
  f->ls = lab_lockstep_new (a, b, chunk);
  lab_lockstep_set_consumer (f->ls, NULL, on_deliver, f);
  for (guint s = 0; s < 2; s++)
    lab_session_set_heavy_interval (lab_lockstep_get_session (f->ls, s), 0);
}

/* Frees with both sessions mid-run: must join both threads promptly. */
static void
fixture_free (Fixture *f)
{
  gint64 t0 = g_get_monotonic_time ();

  lab_lockstep_free (f->ls);
  f->ls = NULL;
  g_assert_cmpint (g_get_monotonic_time () - t0, <, 5 * G_USEC_PER_SEC);
}

static void
test_lockstep (void)
{
  Fixture f = { 0 };
  LabConfig a, b;

  spiral (&a, "sigmoid");
  spiral (&b, "relu");
  fixture_start (&f, &a, &b, 7);

  /* each engine gets one BLAS thread */
  g_assert_cmpuint (lab_lockstep_get_config (f.ls, 0)->train.threads, ==, 1);
  g_assert_cmpuint (lab_lockstep_get_config (f.ls, 1)->train.threads, ==, 1);
  g_assert_cmpint (lab_lockstep_get_config (f.ls, 0)->model.act[0], ==, LAB_ACT_SIGMOID);
  g_assert_cmpint (lab_lockstep_get_config (f.ls, 1)->model.act[0], ==, LAB_ACT_RELU);

  /* play until 200 steps, then pause: the round in flight completes on both sides */
  f.stop_at = 200;
  lab_lockstep_play (f.ls);
  iterate_until (&f, reached_stop, "200 lock-step steps");
  g_assert_cmpuint (lab_lockstep_get_step (f.ls), ==, 203);   /* 29 rounds of 7 */
  g_assert_cmpuint (f.last[0], ==, 203);
  g_assert_cmpuint (f.last[1], ==, 203);
  g_assert_cmpuint (f.deliveries, >=, 29);

  /* single steps, also asked for in a burst */
  f.stop_at = 0;
  lab_lockstep_step (f.ls, 1);
  lab_lockstep_step (f.ls, 1);
  lab_lockstep_step (f.ls, 3);
  f.stop_at = 208;
  iterate_until (&f, reached_stop, "single steps");
  g_assert_cmpuint (f.last[0], ==, 208);
  g_assert_cmpuint (f.last[1], ==, 208);

  /* reset: both start over at 0 and run together again */
  lab_lockstep_reset (f.ls);
  f.stop_at = 0;
  iterate_until (&f, restarted, "the reset");
  g_assert_cmpuint (lab_lockstep_get_step (f.ls), ==, 0);
  g_assert_cmpuint (f.last[0], ==, 0);
  g_assert_cmpuint (f.last[1], ==, 0);
  f.stop_at = 30;
  lab_lockstep_play (f.ls);
  iterate_until (&f, reached_stop, "30 steps after the reset");
  g_assert_cmpuint (f.last[0], ==, 35);
  g_assert_cmpuint (f.last[1], ==, 35);

  /* shut down while running */
  lab_lockstep_play (f.ls);
  f.stop_at = 0;
  g_main_context_iteration (NULL, FALSE);
  fixture_free (&f);
  lab_config_clear (&a);
  lab_config_clear (&b);
}

/* A configured end of run (train.steps) inside a round: both sides step past it together. */
static void
test_past_the_end (void)
{
  Fixture f = { 0 };
  LabConfig a, b;
  g_autoptr(GError) error = NULL;

  spiral (&a, "tanh");
  spiral (&b, "relu");
  g_assert_true (lab_config_set (&a, "train.steps", "25", &error));
  g_assert_true (lab_config_set (&b, "train.steps", "33", &error));
  fixture_start (&f, &a, &b, 10);

  f.stop_at = 60;
  lab_lockstep_play (f.ls);
  iterate_until (&f, reached_stop, "60 steps across the ends of both runs");
  g_assert_cmpuint (f.last[0], ==, 60);
  g_assert_cmpuint (f.last[1], ==, 60);

  fixture_free (&f);
  lab_config_clear (&a);
  lab_config_clear (&b);
}

/* One side diverges: it stops where it failed, the other keeps going alone. */
static void
test_one_side_fails (void)
{
  Fixture f = { 0 };
  LabConfig a, b;
  g_autoptr(GError) error = NULL;

  spiral (&a, "relu");
  spiral (&b, "linear");
  g_assert_true (lab_config_set_assignment (&b, "train.optimizer=sgd", &error));
  g_assert_true (lab_config_set_assignment (&b, "train.lr=100", &error));
  g_assert_true (lab_config_set_assignment (&b, "model.init=normal", &error));
  g_assert_true (lab_config_set_assignment (&b, "model.init_scale=10", &error));
  fixture_start (&f, &a, &b, 5);

  f.stop_at = 50;
  lab_lockstep_play (f.ls);
  iterate_until (&f, reached_stop, "50 steps with one side failed");
  g_assert_true (f.failed[1]);
  g_assert_false (f.failed[0]);
  g_assert_cmpuint (f.last[0], ==, 50);
  g_assert_cmpuint (f.last[1], <, 50);

  /* a reset brings the failed side back */
  lab_lockstep_reset (f.ls);
  f.stop_at = 0;
  iterate_until (&f, restarted, "the reset");
  g_assert_false (f.failed[1]);
  g_assert_cmpuint (f.last[1], ==, 0);

  fixture_free (&f);
  lab_config_clear (&a);
  lab_config_clear (&b);
}

/* New configs replace both runs and start from step 0 in lock-step. */
static void
test_set_configs (void)
{
  Fixture f = { 0 };
  LabConfig a, b;

  spiral (&a, "relu");
  spiral (&b, "relu");
  fixture_start (&f, &a, &b, 0);
  g_assert_cmpuint (lab_lockstep_get_chunk (f.ls), ==, LAB_LOCKSTEP_DEFAULT_CHUNK);

  f.stop_at = 20;
  lab_lockstep_play (f.ls);
  iterate_until (&f, reached_stop, "20 steps");

  lab_config_clear (&b);
  spiral (&b, "tanh");
  lab_lockstep_set_configs (f.ls, &a, &b);
  f.stop_at = 0;
  iterate_until (&f, restarted, "the new configs");
  g_assert_cmpuint (f.last[0], ==, 0);
  g_assert_cmpint (lab_lockstep_get_config (f.ls, 1)->model.act[0], ==, LAB_ACT_TANH);
  g_assert_cmpuint (lab_lockstep_get_config (f.ls, 1)->train.threads, ==, 1);

  lab_lockstep_set_chunk (f.ls, 3);
  f.stop_at = 9;
  lab_lockstep_play (f.ls);
  iterate_until (&f, reached_stop, "9 steps");
  g_assert_cmpuint (f.last[0], ==, 9);
  g_assert_cmpuint (f.last[1], ==, 9);

  fixture_free (&f);
  lab_config_clear (&a);
  lab_config_clear (&b);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/engine/compare/lockstep", test_lockstep);
  g_test_add_func ("/engine/compare/past-the-end", test_past_the_end);
  g_test_add_func ("/engine/compare/one-side-fails", test_one_side_fails);
  g_test_add_func ("/engine/compare/set-configs", test_set_configs);

  return g_test_run ();
}
