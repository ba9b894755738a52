/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-trainer-prune.c: the trainer's pruning: the [prune] schedule run before each step
 * (one-shot, iterative, gradual), prune-now on the live model, gradient scores for the gradient
 * and saliency criteria, lottery-ticket rewinding, compaction, and in-memory copies of the
 * training state so several prunings can start from one point. The masks themselves and how
 * scores become masks are lab-prune.c's.
 *
 * When the schedule prunes, counted in steps already taken (tr->step) at the start of a step:
 * - oneshot: at prune.at_step (0 = before the first step, on the initial or loaded weights);
 * - iterative: round r (1 … rounds) after r · retrain_epochs epochs, to 1 − (1 − rate)^r; the
 *   run should therefore last (rounds + 1) · retrain_epochs epochs so the last round retrains;
 * - gradual: at begin_step, begin_step + frequency, … and always at end_step, to the
 *   Zhu & Gupta target of that step.
 * After a one-shot or iterative pruning the survivors are rewound if prune.rewind says so
 * (the lottery ticket), and the network is compacted if prune.compact is set.
 */
#define G_LOG_DOMAIN "lab-engine"
#include "config.h"

#include <glib/gi18n-lib.h>
#include <inttypes.h>
#include <math.h>
#include <string.h>

#include "lab-error.h"
#include "lab-loss.h"
#include "lab-trainer-private.h"

struct _LabTrainerState
{
  LabMlp        *mlp;
  guint32       *order;          /* (n_train) */
  LabRng         order_rng;
  gsize          pos;
  guint          epoch;
  guint64        step;
  gsize          seen;
  guint64        sched_origin;
  guint64        sched_steps;
  float         *init_params;    /* (mlp->n_params) */
  float         *rewind_params;  /* (mlp->n_params) or NULL */
  guint          prune_round;
  guint64        next_prune;
  LabPruneReport last_prune;
};

static float *
copy_params (const float *p,
             gsize        n)
{
  return p ? g_memdup2 (p, n * sizeof (float)) : NULL;
}

/* ------------------------------------------------------------------------------------------ */
/* the schedule                                                                               */

static void
schedule_next (LabTrainer *tr)
{
  const LabPruneConfig *p = &tr->cfg.prune;
  guint64 spe = lab_trainer_steps_per_epoch (tr);

  tr->next_prune = G_MAXUINT64;
  if (!p->enabled)
    return;
  switch (p->schedule)
    {
    case LAB_PRUNE_SCHEDULE_ONESHOT:
      if (tr->prune_round == 0)
        tr->next_prune = p->at_step;
      break;
    case LAB_PRUNE_SCHEDULE_ITERATIVE:
      if (tr->prune_round < p->rounds)
        tr->next_prune = (guint64) p->retrain_epochs * spe * (tr->prune_round + 1);
      break;
    case LAB_PRUNE_SCHEDULE_GRADUAL:
      if (tr->prune_round == 0)
        tr->next_prune = p->begin_step;
      else if (tr->step < p->end_step)
        tr->next_prune = MIN (tr->step + p->frequency, p->end_step);
      break;
    case LAB_PRUNE_SCHEDULE_NONE:
    default:
      break;
    }
}

void
_lab_trainer_prune_init (LabTrainer *tr)
{
  g_free (tr->init_params);
  tr->init_params = copy_params (tr->mlp->params, tr->mlp->n_params);
  g_clear_pointer (&tr->rewind_params, g_free);
  tr->prune_round = 0;
  memset (&tr->last_prune, 0, sizeof tr->last_prune);
  schedule_next (tr);
}

void
_lab_trainer_prune_free (LabTrainer *tr)
{
  g_clear_pointer (&tr->init_params, g_free);
  g_clear_pointer (&tr->rewind_params, g_free);
}

static gboolean
trainer_prune (LabTrainer         *tr,
               const LabPruneSpec *spec,
               LabPruneReport     *report,
               GError            **error)
{
  LabMlp *mlp = tr->mlp;
  g_autofree float *scores = NULL;
  g_autofree float *grad_abs = NULL;
  LabPruneReport rep;

  if (!lab_prune_spec_validate (spec, error))
    return FALSE;
  if (spec->criterion == LAB_PRUNE_GRADIENT || spec->criterion == LAB_PRUNE_SALIENCY)
    {
      grad_abs = g_new (float, mlp->n_params);
      lab_trainer_score_gradients (tr, MAX (tr->cfg.prune.score_batches, 1), grad_abs);
    }
  scores = g_new (float, mlp->n_params);
  if (!lab_prune_scores (mlp, spec->criterion, grad_abs, spec->seed, scores, error)
      || !lab_prune_apply (mlp, spec, scores, &rep, error))
    return FALSE;
  tr->last_prune = rep;
  if (report != NULL)
    *report = rep;
  return TRUE;
}

gboolean
_lab_trainer_prune_schedule (LabTrainer *tr,
                             GError    **error)
{
  const LabPruneConfig *p = &tr->cfg.prune;

  /* the lottery's late-rewinding point: the weights at the start of step rewind_step + 1 */
  if (p->rewind == LAB_REWIND_STEP && tr->rewind_params == NULL && tr->step == p->rewind_step)
    tr->rewind_params = copy_params (tr->mlp->params, tr->mlp->n_params);

  /* a loop: iterative rounds with retrain_epochs = 0 all fall on the same step */
  while (tr->next_prune != G_MAXUINT64 && tr->step >= tr->next_prune)
    {
      LabPruneSpec spec = p->spec;
      gboolean rewind = FALSE;

      tr->prune_round++;
      switch (p->schedule)
        {
        case LAB_PRUNE_SCHEDULE_ITERATIVE:
          spec.target = lab_prune_iterative_target (p->rate, tr->prune_round);
          rewind = TRUE;
          break;
        case LAB_PRUNE_SCHEDULE_GRADUAL:
          spec.target = lab_prune_gradual_target (p->initial, p->spec.target, tr->step,
                                                  p->begin_step, p->end_step);
          break;
        case LAB_PRUNE_SCHEDULE_ONESHOT:
        default:
          rewind = TRUE;
          break;
        }
      if (!trainer_prune (tr, &spec, NULL, error))
        {
          g_prefix_error (error, _("[prune] %s pruning at step %" PRIu64 ": "),
                          lab_prune_schedule_to_string (p->schedule), tr->step);
          tr->next_prune = G_MAXUINT64;
          return FALSE;
        }
      if (rewind && p->rewind != LAB_REWIND_NONE && !lab_trainer_rewind (tr, p->rewind, error))
        {
          tr->next_prune = G_MAXUINT64;
          return FALSE;
        }
      if (p->compact && !lab_trainer_compact (tr, error))
        {
          tr->next_prune = G_MAXUINT64;
          return FALSE;
        }
      schedule_next (tr);
    }
  return TRUE;
}

/* ------------------------------------------------------------------------------------------ */
/* public operations                                                                          */

void
lab_trainer_score_gradients (LabTrainer *tr,
                             guint       n_batches,
                             float      *grad_abs)
{
  LabMlp *mlp = tr->mlp;
  const LabSplit *split = &tr->data->train;
  gsize B = MIN ((gsize) tr->batch, split->n), C = mlp->sizes[mlp->n_layers];
  g_autofree guint32 *idx = g_new (guint32, B);
  LabRng rng;

  g_return_if_fail (n_batches > 0 && grad_abs != NULL);

  /* its own stream with a fixed seed: the same batches every call, and the data order of
   * training (order_rng, pos) is not touched */
  lab_rng_init (&rng, tr->cfg.train.seed ^ 0x9E3779B97F4A7C15ull);
  memset (grad_abs, 0, mlp->n_params * sizeof (float));
  for (guint k = 0; k < n_batches; k++)
    {
      for (gsize i = 0; i < B; i++)
        idx[i] = lab_rng_below (&rng, (guint32) split->n);
      lab_split_gather (split, idx, B, tr->xb, tr->yb);
      lab_mlp_forward (mlp, tr->xb, B);
      lab_loss_forward (tr->cfg.model.loss, mlp->z[mlp->n_layers - 1], tr->yb, B, C,
                        tr->dlogits, NULL);
      lab_mlp_backward (mlp, tr->xb, tr->dlogits, B, FALSE);
      for (gsize i = 0; i < mlp->n_params; i++)
        grad_abs[i] += fabsf (mlp->grads[i]);
    }
  for (gsize i = 0; i < mlp->n_params; i++)
    grad_abs[i] /= (float) n_batches;
  lab_mlp_zero_grad (mlp);
}

gboolean
lab_trainer_prune_now (LabTrainer         *tr,
                       const LabPruneSpec *spec,
                       LabPruneReport     *report,
                       GError            **error)
{
  g_return_val_if_fail (tr != NULL && spec != NULL, FALSE);

  return trainer_prune (tr, spec, report, error);
}

gboolean
lab_trainer_rewind (LabTrainer *tr,
                    LabRewind   rewind,
                    GError    **error)
{
  const float *saved;

  g_return_val_if_fail (tr != NULL, FALSE);

  switch (rewind)
    {
    case LAB_REWIND_INIT:
      saved = tr->init_params;
      break;
    case LAB_REWIND_STEP:
      saved = tr->rewind_params;
      if (saved == NULL)
        {
          g_set_error (error, LAB_ENGINE_ERROR, LAB_ENGINE_ERROR_INVALID,
                       _("cannot rewind to step %" PRIu64 ": the weights of that step were not "
                         "recorded (the run is at step %" PRIu64 "); rewind to a step before "
                         "the first pruning, or to init"),
                       tr->cfg.prune.rewind_step, tr->step);
          return FALSE;
        }
      break;
    case LAB_REWIND_NONE:
    default:
      g_set_error (error, LAB_ENGINE_ERROR, LAB_ENGINE_ERROR_INVALID,
                   _("rewind needs a point to go back to: init or step:K"));
      return FALSE;
    }
  lab_prune_rewind (tr->mlp, saved);
  lab_optim_reset (tr->opt);
  return TRUE;
}

/* The compacted form of a saved parameter buffer, masked as the live network is. */
static float *
compact_saved (const LabMlp *mlp,
               const float  *saved,
               GError      **error)
{
  g_autoptr(LabMlp) tmp = NULL;
  g_autoptr(LabMlp) small = NULL;

  if (saved == NULL)
    return NULL;
  tmp = lab_mlp_copy (mlp);
  memcpy (tmp->params, saved, mlp->n_params * sizeof (float));
  lab_mlp_apply_mask (tmp);
  if ((small = lab_prune_compact (tmp, error)) == NULL)
    return NULL;
  return copy_params (small->params, small->n_params);
}

static gboolean
same_widths (const LabMlp *a,
             const LabMlp *b)
{
  for (guint l = 0; l <= a->n_layers; l++)
    if (a->sizes[l] != b->sizes[l])
      return FALSE;
  return TRUE;
}

gboolean
lab_trainer_compact (LabTrainer *tr,
                     GError    **error)
{
  g_autoptr(LabMlp) small = NULL;
  g_autofree float *init = NULL;
  g_autofree float *rewind = NULL;

  g_return_val_if_fail (tr != NULL, FALSE);

  if ((small = lab_prune_compact (tr->mlp, error)) == NULL)
    return FALSE;
  /* nothing to remove: keep the live network and its optimiser state */
  if (same_widths (small, tr->mlp))
    return TRUE;
  if (tr->init_params && (init = compact_saved (tr->mlp, tr->init_params, error)) == NULL)
    return FALSE;
  if (tr->rewind_params && (rewind = compact_saved (tr->mlp, tr->rewind_params, error)) == NULL)
    return FALSE;

  g_free (tr->init_params);
  tr->init_params = g_steal_pointer (&init);
  g_free (tr->rewind_params);
  tr->rewind_params = g_steal_pointer (&rewind);
  lab_mlp_free (tr->mlp);
  tr->mlp = g_steal_pointer (&small);
  {
    LabOptimSpec spec = tr->opt->spec;
    lab_optim_free (tr->opt);
    tr->opt = lab_optim_new (&spec, tr->mlp->n_params);
  }
  return TRUE;
}

const LabPruneReport *
lab_trainer_last_prune (LabTrainer *tr)
{
  g_return_val_if_fail (tr != NULL, NULL);

  return &tr->last_prune;
}

/* ------------------------------------------------------------------------------------------ */
/* in-memory state                                                                            */

LabTrainerState *
lab_trainer_save_state (LabTrainer *tr)
{
  LabTrainerState *s = g_new0 (LabTrainerState, 1);
  gsize n = tr->mlp->n_params;

  s->mlp = lab_mlp_copy (tr->mlp);
  s->order = g_memdup2 (tr->order, tr->data->train.n * sizeof (guint32));
  s->order_rng = tr->order_rng;
  s->pos = tr->pos;
  s->epoch = tr->epoch;
  s->step = tr->step;
  s->seen = tr->seen;
  s->sched_origin = tr->sched_origin;
  s->sched_steps = tr->sched_steps;
  s->init_params = copy_params (tr->init_params, n);
  s->rewind_params = copy_params (tr->rewind_params, n);
  s->prune_round = tr->prune_round;
  s->next_prune = tr->next_prune;
  s->last_prune = tr->last_prune;
  return s;
}

void
lab_trainer_restore_state (LabTrainer            *tr,
                           const LabTrainerState *s)
{
  LabMlp *mlp;
  gsize n;

  g_return_if_fail (tr != NULL && s != NULL);

  if (s->mlp->ws_batch >= tr->batch)
    mlp = lab_mlp_copy (s->mlp);
  else
    {
      /* the batch grew since: a workspace for the current batch, same parameters */
      LabMlpShape shape = s->mlp->shape;

      shape.max_batch = tr->batch;
      mlp = lab_mlp_new (&shape, NULL);
      g_assert (mlp != NULL);
      memcpy (mlp->params, s->mlp->params, s->mlp->n_params * sizeof (float));
      if (s->mlp->mask != NULL)
        memcpy (lab_mlp_ensure_mask (mlp), s->mlp->mask, s->mlp->n_params * sizeof (float));
    }
  n = mlp->n_params;
  lab_mlp_free (tr->mlp);
  tr->mlp = mlp;
  if (tr->opt->n != n)
    {
      LabOptimSpec spec = tr->opt->spec;
      lab_optim_free (tr->opt);
      tr->opt = lab_optim_new (&spec, n);
    }
  else
    lab_optim_reset (tr->opt);

  memcpy (tr->order, s->order, tr->data->train.n * sizeof (guint32));
  tr->order_rng = s->order_rng;
  tr->pos = s->pos;
  tr->epoch = s->epoch;
  tr->step = s->step;
  tr->seen = s->seen;
  tr->sched_origin = s->sched_origin;
  tr->sched_steps = s->sched_steps;
  g_free (tr->init_params);
  tr->init_params = copy_params (s->init_params, n);
  g_free (tr->rewind_params);
  tr->rewind_params = copy_params (s->rewind_params, n);
  tr->prune_round = s->prune_round;
  tr->next_prune = s->next_prune;
  tr->last_prune = s->last_prune;
}

void
lab_trainer_state_free (LabTrainerState *s)
{
  if (s == NULL)
    return;
  lab_mlp_free (s->mlp);
  g_free (s->order);
  g_free (s->init_params);
  g_free (s->rewind_params);
  g_free (s);
}
