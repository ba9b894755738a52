/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-prune.h: pruning an MLP. A criterion scores each weight (|w|, |g|, |w·g|, random), a
 * target turns scores into a mask (a sparsity fraction, or a threshold), per layer or over all
 * layers at once, for single weights or whole hidden neurons. Schedules (one-shot, iterative,
 * gradual) and lottery-ticket rewinding are driven by the trainer.
 */
#pragma once

#include "lab-mlp.h"

G_BEGIN_DECLS

typedef enum
{
  LAB_PRUNE_MAGNITUDE,   /* |w| */
  LAB_PRUNE_GRADIENT,    /* |g| accumulated over score_batches batches */
  LAB_PRUNE_SALIENCY,    /* |w·g| (SNIP's connection sensitivity) */
  LAB_PRUNE_RANDOM,      /* the control */
} LabPruneCriterion;

typedef enum
{
  LAB_PRUNE_SCOPE_LAYER,   /* each layer to the same fraction */
  LAB_PRUNE_SCOPE_GLOBAL,  /* one threshold over all layers */
} LabPruneScope;

typedef enum
{
  LAB_PRUNE_WEIGHT,        /* single weights */
  LAB_PRUNE_NEURON,        /* whole hidden neurons (L2 norm of their incoming scores) */
} LabPruneStructure;

typedef enum
{
  LAB_PRUNE_THRESHOLD_NONE,      /* use the sparsity target */
  LAB_PRUNE_THRESHOLD_ABSOLUTE,  /* prune where score < τ */
  LAB_PRUNE_THRESHOLD_MEAN,      /* prune where score < τ · mean(score of the layer) */
  LAB_PRUNE_THRESHOLD_STD,       /* prune where score < τ · std(score of the layer), Han et al. */
} LabPruneThresholdMode;

typedef enum
{
  LAB_PRUNE_SCHEDULE_NONE,
  LAB_PRUNE_SCHEDULE_ONESHOT,
  LAB_PRUNE_SCHEDULE_ITERATIVE,
  LAB_PRUNE_SCHEDULE_GRADUAL,
} LabPruneSchedule;

typedef enum
{
  LAB_PRUNE_OUTPUT_SAME,   /* output layer pruned like the others */
  LAB_PRUNE_OUTPUT_HALF,   /* at half the rate (Frankle & Carbin 2019) */
  LAB_PRUNE_OUTPUT_SPARE,  /* never pruned */
} LabPruneOutput;

typedef enum
{
  LAB_REWIND_NONE,
  LAB_REWIND_INIT,         /* survivors back to their initial values */
  LAB_REWIND_STEP,         /* survivors back to their values at step rewind_step */
} LabRewind;

/* One pruning operation. */
typedef struct
{
  LabPruneCriterion     criterion;
  LabPruneScope         scope;
  LabPruneStructure     structure;
  LabPruneOutput        output;
  double                target;          /* sparsity in [0, 1) when threshold_mode is NONE */
  LabPruneThresholdMode threshold_mode;
  double                threshold;
  gboolean              prune_biases;
  guint64               seed;            /* random criterion and tie-free ordering */
} LabPruneSpec;

/* The run-level pruning settings of the [prune] section. */
typedef struct
{
  gboolean              enabled;
  LabPruneSpec          spec;
  LabPruneSchedule      schedule;
  guint64               at_step;         /* oneshot: 0 = before the first step */
  guint                 rounds;          /* iterative */
  double                rate;            /* iterative: fraction of what remains, per round */
  guint                 retrain_epochs;  /* iterative */
  guint64               begin_step;      /* gradual */
  guint64               end_step;
  guint64               frequency;
  double                initial;         /* gradual: s_i (spec.target is s_f) */
  LabRewind             rewind;
  guint64               rewind_step;
  gboolean              compact;
  guint                 score_batches;   /* batches over which |g| is accumulated */
} LabPruneConfig;

const char *lab_prune_criterion_to_string        (LabPruneCriterion     c);
gboolean    lab_prune_criterion_from_string      (const char           *s,
                                                  LabPruneCriterion    *out);
const char *lab_prune_scope_to_string            (LabPruneScope         s);
gboolean    lab_prune_scope_from_string          (const char           *s,
                                                  LabPruneScope        *out);
const char *lab_prune_structure_to_string        (LabPruneStructure     s);
gboolean    lab_prune_structure_from_string      (const char           *s,
                                                  LabPruneStructure    *out);
const char *lab_prune_threshold_mode_to_string   (LabPruneThresholdMode m);
gboolean    lab_prune_threshold_mode_from_string (const char           *s,
                                                  LabPruneThresholdMode *out);
const char *lab_prune_schedule_to_string         (LabPruneSchedule      s);
gboolean    lab_prune_schedule_from_string       (const char           *s,
                                                  LabPruneSchedule     *out);
const char *lab_prune_output_to_string           (LabPruneOutput        o);
gboolean    lab_prune_output_from_string         (const char           *s,
                                                  LabPruneOutput       *out);

G_END_DECLS

/* What one pruning operation did, per layer. */
typedef struct
{
  guint  n_layers;
  gsize  removed[LAB_MAX_LAYERS];          /* weights newly pruned by this operation */
  gsize  pruned[LAB_MAX_LAYERS];           /* weights pruned in total afterwards */
  gsize  total[LAB_MAX_LAYERS];            /* weights in the layer */
  gsize  neurons_removed[LAB_MAX_LAYERS];  /* hidden neurons newly pruned (neuron structure) */
  double sparsity;                         /* total weight sparsity afterwards */
} LabPruneReport;

/* Scores every parameter (n_params floats, biases included) by a criterion. @grad_abs is the
 * mean |∂L/∂θ| over some batches (lab_trainer_score_gradients()); it is required by the gradient
 * and saliency criteria and ignored by the others. Already-pruned entries score -∞ so a mask only
 * ever grows. */
gboolean lab_prune_scores  (const LabMlp        *mlp,
                            LabPruneCriterion    criterion,
                            const float         *grad_abs,
                            guint64              seed,
                            float               *scores,
                            GError             **error);

/* Turns scores into a mask on @mlp (creating it if needed) as @spec says and zeroes the pruned
 * parameters. Ties are broken by parameter index (lower index pruned first). Refuses to prune
 * every neuron of a layer. @report may be NULL. */
gboolean lab_prune_apply   (LabMlp              *mlp,
                            const LabPruneSpec  *spec,
                            const float         *scores,
                            LabPruneReport      *report,
                            GError             **error);

/* Checks a spec (target in [0, 1), threshold finite and ≥ 0 …). */
gboolean lab_prune_spec_validate (const LabPruneSpec *spec,
                                  GError            **error);

/* A new network without the pruned hidden neurons (rows of W_l and b_l, columns of W_{l+1}),
 * computing the same function as the masked one. Refused with residual skips. */
LabMlp  *lab_prune_compact (const LabMlp        *mlp,
                            GError             **error);

/* Lottery-ticket rewind: survivors take their @saved values, pruned entries stay 0. */
void     lab_prune_rewind  (LabMlp              *mlp,
                            const float         *saved);

/* Zhu & Gupta 2017: s_t = s_f + (s_i − s_f)(1 − (t − t0)/(t1 − t0))³ for t0 ≤ t ≤ t1. */
double   lab_prune_gradual_target (double        s_i,
                                   double        s_f,
                                   guint64       t,
                                   guint64       t0,
                                   guint64       t1);

/* Target of iterative round r (1-based) pruning @rate of what remains: 1 − (1 − rate)^r. */
double   lab_prune_iterative_target (double      rate,
                                     guint       round);
