/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-experiment.c: the sweep and the lottery (lab-experiment.h). Both are sequences of the
 * trainer's own operations (save and restore state, prune now, step, evaluate); a Run carries
 * the caller's hooks and counts the training steps for progress and cancellation.
 */
#define G_LOG_DOMAIN "lab-engine"
#include "config.h"

#include <glib/gi18n-lib.h>
#include <inttypes.h>
#include <math.h>
#include <string.h>

#include "lab-error.h"
#include "lab-experiment.h"
#include "lab-mlp.h"
#include "lab-rng.h"

typedef struct
{
  LabTrainer               *tr;
  const LabExperimentHooks *hooks;
  LabExperimentProgress     prog;
  guint64                   total;      /* training steps of the whole experiment */
  guint64                   done;
  guint                     finished;   /* points or rounds */
} Run;

static const LabExperimentHooks no_hooks = { 0 };

static void
run_init (Run                      *run,
          LabTrainer               *tr,
          const LabExperimentHooks *hooks,
          guint                     n_points,
          guint64                   total)
{
  *run = (Run) { .tr = tr, .hooks = hooks ? hooks : &no_hooks, .total = total };
  run->prog.n_points = n_points;
}

static void
report (Run *run)
{
  if (run->hooks->progress == NULL)
    return;
  if (run->total > 0)
    run->prog.fraction = MIN (1.0, (double) run->done / (double) run->total);
  else
    run->prog.fraction = run->prog.n_points ? (double) run->finished / run->prog.n_points : 1.0;
  run->hooks->progress (&run->prog, run->hooks->user_data);
}

static void
set_phase (Run                *run,
           LabExperimentPhase  phase)
{
  run->prog.phase = phase;
  run->prog.epoch = run->prog.n_epochs = 0;
  report (run);
}

/* Steps until the configured end of the run. */
static guint64
steps_left (LabTrainer *tr)
{
  guint64 total = lab_trainer_total_steps (tr), step = lab_trainer_get_step (tr);

  return total > step ? total - step : 0;
}

/* @n_steps training steps in @phase, the cancel flag read before each. */
static gboolean
run_train (Run                 *run,
           LabExperimentPhase   phase,
           guint64              n_steps,
           GError             **error)
{
  const gint *cancel = run->hooks->cancel;
  guint64 spe = lab_trainer_steps_per_epoch (run->tr);
  LabStepStats st;

  run->prog.phase = phase;
  run->prog.n_epochs = (guint) ((n_steps + spe - 1) / spe);
  run->prog.epoch = n_steps > 0 ? 1 : 0;
  report (run);
  for (guint64 i = 0; i < n_steps; i++)
    {
      if (cancel != NULL && g_atomic_int_get (cancel))
        {
          g_set_error (error, LAB_ENGINE_ERROR, LAB_ENGINE_ERROR_CANCELLED,
                       _("cancelled at step %" PRIu64), lab_trainer_get_step (run->tr));
          return FALSE;
        }
      if (!lab_trainer_step (run->tr, &st, error))
        return FALSE;
      run->done++;
      run->prog.epoch = (guint) (i / spe) + 1;
      report (run);
    }
  return TRUE;
}

static LabEval
run_evaluate (Run *run)
{
  set_phase (run, LAB_EXPERIMENT_EVALUATING);
  return lab_trainer_evaluate (run->tr, TRUE);
}

/* The trained, unpruned network on the test split, told to the hooks. */
static void
run_dense (Run     *run,
           LabEval *dense)
{
  *dense = run_evaluate (run);
  if (run->hooks->dense)
    run->hooks->dense (run->tr, dense, run->hooks->user_data);
}

GArray *
lab_experiment_parse_criteria (const char *list,
                               GError    **error)
{
  g_auto(GStrv) names = g_strsplit (list, ",", -1);
  g_autoptr(GArray) crits = g_array_new (FALSE, FALSE, sizeof (LabPruneCriterion));

  for (guint i = 0; names[i]; i++)
    {
      LabPruneCriterion c;

      if (!lab_prune_criterion_from_string (g_strstrip (names[i]), &c))
        {
          g_set_error (error, LAB_ENGINE_ERROR, LAB_ENGINE_ERROR_INVALID, "unknown criterion "
                       "'%s': use magnitude, gradient, saliency or random", names[i]);
          return NULL;
        }
      g_array_append_val (crits, c);
    }
  if (crits->len == 0)
    {
      g_set_error (error, LAB_ENGINE_ERROR, LAB_ENGINE_ERROR_INVALID,
                   "no criterion given: use magnitude, gradient, saliency or random");
      return NULL;
    }
  return g_steal_pointer (&crits);
}

GArray *
lab_experiment_parse_sparsities (const char *list,
                                 GError    **error)
{
  g_auto(GStrv) names = g_strsplit (list, ",", -1);
  g_autoptr(GArray) sps = g_array_new (FALSE, FALSE, sizeof (double));

  for (guint i = 0; names[i]; i++)
    {
      char *end = NULL;
      const char *s = g_strstrip (names[i]);
      double v = g_ascii_strtod (s, &end);

      if (*s == '\0' || end == NULL || *end != '\0' || !(v >= 0.0 && v < 1.0))
        {
          g_set_error (error, LAB_ENGINE_ERROR, LAB_ENGINE_ERROR_INVALID,
                       "'%s' is not a sparsity in [0, 1)", s);
          return NULL;
        }
      g_array_append_val (sps, v);
    }
  if (sps->len == 0)
    {
      g_set_error (error, LAB_ENGINE_ERROR, LAB_ENGINE_ERROR_INVALID,
                   "no sparsity given: list targets in [0, 1), e.g. 0,0.5,0.9");
      return NULL;
    }
  return g_steal_pointer (&sps);
}

void
lab_experiment_prepare_config (LabConfig *cfg)
{
  cfg->prune.enabled = FALSE;
  cfg->prune.schedule = LAB_PRUNE_SCHEDULE_NONE;
}

/* ------------------------------------------------------------------------------------------ */
/* sweep */

/* One point: the trained state pruned by @spec, fine-tuned, evaluated. */
static gboolean
sweep_point (Run                   *run,
             const LabSweepSpec    *sweep,
             const LabTrainerState *trained,
             const LabPruneSpec    *spec,
             LabSweepRow           *row,
             GError               **error)
{
  LabTrainer *tr = run->tr;
  LabEval ev;

  set_phase (run, LAB_EXPERIMENT_PRUNING);
  lab_trainer_restore_state (tr, trained);
  if (!lab_trainer_prune_now (tr, spec, NULL, error))
    {
      g_prefix_error (error, _("%s at sparsity %g: "),
                      lab_prune_criterion_to_string (spec->criterion),
                      spec->target);
      return FALSE;
    }
  if (sweep->finetune_epochs > 0)
    {
      guint64 n = (guint64) sweep->finetune_epochs * lab_trainer_steps_per_epoch (tr);

      lab_trainer_restart_schedule (tr, n);
      if (!run_train (run, LAB_EXPERIMENT_FINE_TUNING, n, error))
        return FALSE;
    }
  ev = run_evaluate (run);
  *row = (LabSweepRow) {
    .sparsity = spec->target,
    .finetune_epochs = sweep->finetune_epochs,
    .test_accuracy = ev.accuracy,
    .test_loss = ev.loss,
    .achieved_sparsity = lab_mlp_total_sparsity (lab_trainer_get_mlp (tr)),
  };
  g_strlcpy (row->criterion, lab_prune_criterion_to_string (spec->criterion),
             sizeof row->criterion);
  g_strlcpy (row->scope, lab_prune_scope_to_string (spec->scope), sizeof row->scope);
  return TRUE;
}

gboolean
lab_sweep_run (LabTrainer               *tr,
               const LabSweepSpec       *spec,
               const LabExperimentHooks *hooks,
               LabEval                  *dense,
               GArray                   *points,
               GError                  **error)
{
  g_autoptr(LabTrainerState) trained = NULL;
  guint n_points = spec->n_criteria * spec->n_sparsities;
  guint64 ft_steps = (guint64) spec->finetune_epochs * lab_trainer_steps_per_epoch (tr);
  Run run;

  g_return_val_if_fail (tr != NULL && spec != NULL && dense != NULL && points != NULL, FALSE);

  run_init (&run, tr, hooks, n_points, (spec->train ? steps_left (tr) : 0) + n_points * ft_steps);
  if (spec->train && !run_train (&run, LAB_EXPERIMENT_TRAINING, steps_left (tr), error))
    return FALSE;
  run_dense (&run, dense);
  trained = lab_trainer_save_state (tr);

  for (guint c = 0; c < spec->n_criteria; c++)
    for (guint s = 0; s < spec->n_sparsities; s++)
      {
        LabPruneSpec prune = spec->prune;
        LabSweepRow row;

        prune.criterion = spec->criteria[c];
        prune.target = spec->sparsities[s];
        run.prog.point = run.finished + 1;
        run.prog.criterion = prune.criterion;
        run.prog.sparsity = prune.target;
        if (!sweep_point (&run, spec, trained, &prune, &row, error))
          return FALSE;
        g_array_append_val (points, row);
        run.finished++;
        if (run.hooks->point)
          run.hooks->point (tr, &row, run.hooks->user_data);
      }
  return TRUE;
}

/* ------------------------------------------------------------------------------------------ */
/* lottery */

/* The mask of the network pruned this round on the network at the rewind point. */
static void
put_mask (LabTrainer  *tr,
          const float *mask)
{
  LabMlp *mlp = lab_trainer_get_mlp (tr);

  memcpy (lab_mlp_ensure_mask (mlp), mask, mlp->n_params * sizeof (float));
  lab_mlp_apply_mask (mlp);
}

/* The control: the ticket's mask and data order on fresh weights from another seed. The
 * trainer ends as the ticket left it. */
static gboolean
lottery_control (Run                   *run,
                 const LabTrainerState *ticket,
                 const float           *mask,
                 LabLotteryRound       *round,
                 GError               **error)
{
  LabTrainer *tr = run->tr;
  g_autoptr(LabTrainerState) trained = lab_trainer_save_state (tr);
  LabRng rng;
  LabEval ev;

  lab_trainer_restore_state (tr, ticket);
  lab_rng_init (&rng, lab_trainer_get_config (tr)->train.seed + 0x1000193ull * round->round);
  lab_mlp_init_params (lab_trainer_get_mlp (tr), &rng);
  put_mask (tr, mask);
  if (!run_train (run, LAB_EXPERIMENT_CONTROL, steps_left (tr), error))
    return FALSE;
  ev = run_evaluate (run);
  round->control_accuracy = ev.accuracy;
  round->control_loss = ev.loss;
  lab_trainer_restore_state (tr, trained);
  return TRUE;
}

/* One round: prune, rewind the survivors (and the data order), retrain, evaluate. */
static gboolean
lottery_round (Run                   *run,
               const LabLotterySpec  *spec,
               LabPruneSpec          *prune,
               const LabTrainerState *rewind_point,
               LabLotteryRound       *round,
               GError               **error)
{
  LabTrainer *tr = run->tr;
  g_autoptr(LabTrainerState) ticket = NULL;
  g_autofree float *mask = NULL;
  LabMlp *mlp;
  LabEval ev;

  set_phase (run, LAB_EXPERIMENT_PRUNING);
  if (!lab_trainer_prune_now (tr, prune, NULL, error))
    {
      g_prefix_error (error, _("round %u: "), round->round);
      return FALSE;
    }
  mlp = lab_trainer_get_mlp (tr);
  mask = g_memdup2 (mlp->mask, mlp->n_params * sizeof (float));

  lab_trainer_restore_state (tr, rewind_point);
  put_mask (tr, mask);
  round->sparsity = lab_mlp_total_sparsity (lab_trainer_get_mlp (tr));
  if (spec->control)
    ticket = lab_trainer_save_state (tr);
  if (!run_train (run, LAB_EXPERIMENT_RETRAINING, steps_left (tr), error))
    return FALSE;
  ev = run_evaluate (run);
  round->test_accuracy = ev.accuracy;
  round->test_loss = ev.loss;
  return !spec->control || lottery_control (run, ticket, mask, round, error);
}

gboolean
lab_lottery_run (LabTrainer               *tr,
                 const LabLotterySpec     *spec,
                 const LabExperimentHooks *hooks,
                 LabEval                  *dense,
                 GArray                   *rounds,
                 GError                  **error)
{
  g_autoptr(LabTrainerState) rewind_point = NULL;
  guint64 total = lab_trainer_total_steps (tr);
  guint64 rewind_step = spec->rewind == LAB_REWIND_STEP ? spec->rewind_step : 0;
  guint64 retrain = total - rewind_step;
  LabPruneSpec prune = lab_trainer_get_config (tr)->prune.spec;
  Run run;

  g_return_val_if_fail (tr != NULL && spec != NULL && dense != NULL && rounds != NULL, FALSE);
  g_return_val_if_fail (lab_trainer_get_step (tr) == 0 && rewind_step <= total, FALSE);
  g_return_val_if_fail (spec->rounds >= 1 && spec->rate > 0 && spec->rate < 1, FALSE);

  run_init (&run, tr, hooks, spec->rounds,
            total + spec->rounds * retrain * (spec->control ? 2 : 1));
  /* the rewind point is the whole state (weights, data order, step), so every ticket retrains
   * from there exactly as the dense network trained */
  if (!run_train (&run, LAB_EXPERIMENT_TRAINING, rewind_step, error))
    return FALSE;
  rewind_point = lab_trainer_save_state (tr);
  if (!run_train (&run, LAB_EXPERIMENT_TRAINING, steps_left (tr), error))
    return FALSE;
  run_dense (&run, dense);

  prune.criterion = LAB_PRUNE_MAGNITUDE;
  prune.structure = LAB_PRUNE_WEIGHT;
  prune.threshold_mode = LAB_PRUNE_THRESHOLD_NONE;
  prune.scope = spec->scope;
  for (guint r = 1; r <= spec->rounds; r++)
    {
      LabLotteryRound round = { .round = r, .control_accuracy = NAN, .control_loss = NAN };

      prune.target = lab_prune_iterative_target (spec->rate, r);
      run.prog.point = r;
      run.prog.criterion = prune.criterion;
      run.prog.sparsity = prune.target;
      if (!lottery_round (&run, spec, &prune, rewind_point, &round, error))
        return FALSE;
      g_array_append_val (rounds, round);
      run.finished++;
      if (run.hooks->round)
        run.hooks->round (tr, &round, run.hooks->user_data);
    }
  return TRUE;
}

char *
lab_lottery_format_round (const LabLotteryRound *round,
                          gboolean               control)
{
  char s[G_ASCII_DTOSTR_BUF_SIZE], a[G_ASCII_DTOSTR_BUF_SIZE], c[G_ASCII_DTOSTR_BUF_SIZE];
  GString *line = g_string_new (NULL);

  g_string_append_printf (line, "round=%u sparsity=%s test_accuracy=%s", round->round,
                          lab_sweep_format_number (s, round->sparsity),
                          lab_sweep_format_number (a, round->test_accuracy));
  if (control)
    g_string_append_printf (line, " control_accuracy=%s",
                            lab_sweep_format_number (c, round->control_accuracy));
  return g_string_free (line, FALSE);
}

/* A number for JSON: as the lines write it, null when not finite. */
static const char *
json_number (char   buf[G_ASCII_DTOSTR_BUF_SIZE],
             double v)
{
  return isfinite (v) ? lab_sweep_format_number (buf, v) : "null";
}

char *
lab_lottery_format_summary (const LabLotterySpec  *spec,
                            const LabEval         *dense,
                            const LabLotteryRound *rounds,
                            guint                  n_rounds)
{
  char a[G_ASCII_DTOSTR_BUF_SIZE], s[G_ASCII_DTOSTR_BUF_SIZE];
  g_autofree char *rewind = spec->rewind == LAB_REWIND_STEP
                            ? g_strdup_printf ("step:%" G_GUINT64_FORMAT, spec->rewind_step)
                            : g_strdup ("init");
  GString *json = g_string_new (NULL);

  /* the dense accuracy as the lines write numbers: "nan", never null, as before */
  g_string_append_printf (json, "{\"status\":\"ok\",\"rewind\":\"%s\",\"dense_test_accuracy\":%s,"
                          "\"rounds\":[", rewind, lab_sweep_format_number (a, dense->accuracy));
  for (guint i = 0; i < n_rounds; i++)
    {
      const LabLotteryRound *r = &rounds[i];

      g_string_append_printf (json, "%s{\"round\":%u,\"sparsity\":%s,\"test_accuracy\":%s",
                              i ? "," : "", r->round, lab_sweep_format_number (s, r->sparsity),
                              json_number (a, r->test_accuracy));
      if (spec->control)
        g_string_append_printf (json, ",\"control_accuracy\":%s",
                                json_number (a, r->control_accuracy));
      g_string_append_c (json, '}');
    }
  g_string_append (json, "]}");
  return g_string_free (json, FALSE);
}
