/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * test-experiment.c: the experiment API (lab-experiment.h) as a window would drive it: progress
 * rises monotonically through every phase to 1; cancelling stops before the next training step
 * (not one step more) with LAB_ENGINE_ERROR_CANCELLED, and the points or rounds finished before
 * are kept, equal to those of a run that was not cancelled. (test-cli-prune holds the numbers
 * to gradlab-cli's, byte for byte.)
 */
#define G_LOG_DOMAIN "lab-test"
#include "config.h"

#include <math.h>
#include <string.h>

#include "lab-error.h"
#include "lab-experiment.h"
#include "lab-test-utils.h"

#define N_PHASES (LAB_EXPERIMENT_EVALUATING + 1)

typedef struct
{
  LabTrainer         *tr;
  gint                cancel;
  /* cancel after this many steps of this phase of this point (point 0: never) */
  guint               cancel_point;
  LabExperimentPhase  cancel_phase;
  guint               cancel_after;
  guint               steps;
  guint64             step_at_cancel;
  guint64             last_step;
  double              last_fraction;
  gboolean            saw[N_PHASES];
  guint               points_told;
} Watch;

static void
on_progress (const LabExperimentProgress *p,
             gpointer                     data)
{
  Watch *w = data;
  guint64 step = lab_trainer_get_step (w->tr);

  g_assert_cmpfloat (p->fraction, >=, w->last_fraction);
  g_assert_cmpfloat (p->fraction, <=, 1.0);
  g_assert_cmpuint (p->epoch, <=, p->n_epochs);
  g_assert_cmpuint (p->point, <=, p->n_points);
  w->last_fraction = p->fraction;
  w->saw[p->phase] = TRUE;
  g_assert_false (g_atomic_int_get (&w->cancel));   /* no report after the flag: it stopped */

  if (p->point == w->cancel_point && p->phase == w->cancel_phase && step != w->last_step &&
      ++w->steps == w->cancel_after)
    {
      w->step_at_cancel = step;
      g_atomic_int_set (&w->cancel, 1);
    }
  w->last_step = step;
}

static void
on_point (LabTrainer        *tr,
          const LabSweepRow *row,
          gpointer           data)
{
  Watch *w = data;
  w->points_told++;
}

static void
on_round (LabTrainer            *tr,
          const LabLotteryRound *round,
          gpointer               data)
{
  Watch *w = data;
  w->points_told++;
}

/* Field by field (padding bytes are not compared); numbers bit for bit. */
static void
assert_points_equal (const GArray *a,
                     const GArray *b,
                     guint         n)
{
  for (guint i = 0; i < n; i++)
    {
      const LabSweepRow *x = &g_array_index (a, LabSweepRow, i);
      const LabSweepRow *y = &g_array_index (b, LabSweepRow, i);

      g_assert_cmpstr (x->criterion, ==, y->criterion);
      g_assert_cmpstr (x->scope, ==, y->scope);
      g_assert_cmpuint (x->finetune_epochs, ==, y->finetune_epochs);
      g_assert_true (memcmp (&x->sparsity, &y->sparsity, sizeof (double)) == 0);
      g_assert_true (memcmp (&x->test_accuracy, &y->test_accuracy, sizeof (double)) == 0);
      g_assert_true (memcmp (&x->test_loss, &y->test_loss, sizeof (double)) == 0);
      g_assert_true (memcmp (&x->achieved_sparsity, &y->achieved_sparsity, sizeof (double)) == 0);
    }
}

static void
assert_rounds_equal (const GArray *a,
                     const GArray *b,
                     guint         n)
{
  for (guint i = 0; i < n; i++)
    {
      const LabLotteryRound *x = &g_array_index (a, LabLotteryRound, i);
      const LabLotteryRound *y = &g_array_index (b, LabLotteryRound, i);

      g_assert_cmpuint (x->round, ==, y->round);
      g_assert_true (memcmp (&x->sparsity, &y->sparsity, 5 * sizeof (double)) == 0);
    }
}

/* The spiral preset on 300 + 200 points, one epoch: a small run for the experiments. */
static const char * const sets[] = { "train.epochs=1", "data.n_train=300", "data.n_test=200",
                                     NULL };

static LabTrainer *
new_trainer (void)
{
  return lab_test_new_trainer ("spiral", sets);
}

static const LabPruneCriterion crits[] = { LAB_PRUNE_MAGNITUDE, LAB_PRUNE_RANDOM };
static const double sps[] = { 0.5, 0.8 };

/* A sweep of 2 × 2 points with a 1-epoch fine-tune; @w NULL: no hooks. */
static gboolean
sweep (Watch   *w,
       GArray  *points,
       GError **error)
{
  g_autoptr(LabTrainer) tr = new_trainer ();
  LabExperimentHooks hooks = { NULL, on_progress, NULL, on_point, NULL, w };
  LabSweepSpec spec = {
    .train = TRUE, .prune = lab_trainer_get_config (tr)->prune.spec,
    .criteria = crits, .n_criteria = 2, .sparsities = sps, .n_sparsities = 2,
    .finetune_epochs = 1,
  };
  LabEval dense;
  gboolean ok;

  spec.prune.threshold_mode = LAB_PRUNE_THRESHOLD_NONE;
  if (w != NULL)
    {
      w->tr = tr;
      hooks.cancel = &w->cancel;
    }
  ok = lab_sweep_run (tr, &spec, w ? &hooks : NULL, &dense, points, error);
  if (w != NULL && w->step_at_cancel > 0)
    g_assert_cmpuint (lab_trainer_get_step (tr), ==, w->step_at_cancel);
  return ok;
}

static void
test_sweep_progress_and_cancel (void)
{
  g_autoptr(GArray) ref = g_array_new (FALSE, FALSE, sizeof (LabSweepRow));
  g_autoptr(GArray) got = g_array_new (FALSE, FALSE, sizeof (LabSweepRow));
  g_autoptr(GError) error = NULL;
  Watch full = { 0 }, cut = { 0 };

  /* uncancelled, watched and not: the same points; progress reaches 1 through every phase */
  g_assert_true (sweep (NULL, ref, &error));
  g_assert_true (sweep (&full, got, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (got->len, ==, 4);
  g_assert_cmpuint (full.points_told, ==, 4);
  assert_points_equal (ref, got, 4);
  g_assert_cmpfloat (full.last_fraction, ==, 1.0);
  for (guint p = 0; p < N_PHASES; p++)
    g_assert_true (full.saw[p] == (p != LAB_EXPERIMENT_RETRAINING && p != LAB_EXPERIMENT_CONTROL));

  /* cancelled after 3 fine-tuning steps of point 3: points 1 and 2 kept, no step more */
  g_array_set_size (got, 0);
  cut = (Watch) { .cancel_point = 3, .cancel_phase = LAB_EXPERIMENT_FINE_TUNING,
                  .cancel_after = 3 };
  g_assert_false (sweep (&cut, got, &error));
  g_assert_error (error, LAB_ENGINE_ERROR, LAB_ENGINE_ERROR_CANCELLED);
  g_assert_true (g_str_has_prefix (error->message, "cancelled at step "));
  g_assert_cmpuint (cut.step_at_cancel, >, 0);
  g_assert_cmpuint (got->len, ==, 2);
  g_assert_cmpuint (cut.points_told, ==, 2);
  assert_points_equal (ref, got, 2);
  g_assert_cmpfloat (cut.last_fraction, <, 1.0);
}

static void
test_lottery_cancel (void)
{
  g_autoptr(GArray) ref = g_array_new (FALSE, FALSE, sizeof (LabLotteryRound));
  g_autoptr(GArray) got = g_array_new (FALSE, FALSE, sizeof (LabLotteryRound));
  g_autoptr(GError) error = NULL;
  LabLotterySpec spec = { .rounds = 3, .rate = 0.4, .rewind = LAB_REWIND_INIT,
                          .scope = LAB_PRUNE_SCOPE_GLOBAL, .control = TRUE };
  Watch w = { .cancel_point = 2, .cancel_phase = LAB_EXPERIMENT_CONTROL, .cancel_after = 2 };
  LabExperimentHooks hooks = { &w.cancel, on_progress, NULL, NULL, on_round, &w };
  LabEval dense;

  {
    g_autoptr(LabTrainer) tr = new_trainer ();
    g_assert_true (lab_lottery_run (tr, &spec, NULL, &dense, ref, &error));
    g_assert_cmpuint (ref->len, ==, 3);
    g_assert_true (isfinite (g_array_index (ref, LabLotteryRound, 2).control_accuracy));
  }
  {
    g_autoptr(LabTrainer) tr = new_trainer ();
    w.tr = tr;
    g_assert_false (lab_lottery_run (tr, &spec, &hooks, &dense, got, &error));
    g_assert_error (error, LAB_ENGINE_ERROR, LAB_ENGINE_ERROR_CANCELLED);
    g_assert_cmpuint (lab_trainer_get_step (tr), ==, w.step_at_cancel);
  }
  g_assert_cmpuint (got->len, ==, 1);
  g_assert_cmpuint (w.points_told, ==, 1);
  g_assert_true (w.saw[LAB_EXPERIMENT_RETRAINING]);
  assert_rounds_equal (ref, got, 1);
}

/* A flag already set: nothing trains. */
static void
test_cancel_before_start (void)
{
  g_autoptr(LabTrainer) tr = new_trainer ();
  g_autoptr(GArray) points = g_array_new (FALSE, FALSE, sizeof (LabSweepRow));
  g_autoptr(GError) error = NULL;
  gint cancel = 1;
  LabExperimentHooks hooks = { .cancel = &cancel };
  LabSweepSpec spec = { .train = TRUE, .criteria = crits, .n_criteria = 1, .sparsities = sps,
                        .n_sparsities = 1 };
  LabEval dense;

  g_assert_false (lab_sweep_run (tr, &spec, &hooks, &dense, points, &error));
  g_assert_error (error, LAB_ENGINE_ERROR, LAB_ENGINE_ERROR_CANCELLED);
  g_assert_cmpstr (error->message, ==, "cancelled at step 0");
  g_assert_cmpuint (lab_trainer_get_step (tr), ==, 0);
  g_assert_cmpuint (points->len, ==, 0);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/engine/experiment/sweep-progress-and-cancel", test_sweep_progress_and_cancel);
  g_test_add_func ("/engine/experiment/lottery-cancel", test_lottery_cancel);
  g_test_add_func ("/engine/experiment/cancel-before-start", test_cancel_before_start);
  return g_test_run ();
}
