/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-experiment.h: the pruning experiments, run on a LabTrainer from one thread (the CLI's, or
 * a session's engine thread).
 *
 * The sweep trains a network once (or takes it as it is), then for each criterion and target
 * sparsity prunes a copy of it, optionally fine-tunes the copy with the learning-rate schedule
 * run again over those epochs, and evaluates it on the test split: accuracy versus sparsity.
 *
 * The lottery is iterative magnitude pruning with rewinding (Frankle & Carbin 2019): train,
 * prune a fraction of what remains, rewind the survivors to their initial (or step-K) values,
 * retrain on the same data order, repeat; with a control, each ticket's mask is also trained
 * from fresh random weights. Every case starts from an in-memory copy of the trainer's state
 * (lab_trainer_save_state()), so cases differ only in what they are meant to compare, and the
 * same settings, seed and thread count give the same numbers.
 *
 * Both report as they go: each finished point or round, and progress (phase, fraction done)
 * after every training step. Both consult a cancel flag before every training step: a
 * cancelled experiment stops within one step with LAB_ENGINE_ERROR_CANCELLED, and the points
 * or rounds finished before it stay in the caller's array.
 */
#pragma once

#include "lab-sweep.h"
#include "lab-trainer.h"

G_BEGIN_DECLS

typedef enum
{
  LAB_EXPERIMENT_TRAINING,     /* the dense network */
  LAB_EXPERIMENT_PRUNING,
  LAB_EXPERIMENT_FINE_TUNING,  /* sweep: a pruned copy */
  LAB_EXPERIMENT_RETRAINING,   /* lottery: the rewound ticket */
  LAB_EXPERIMENT_CONTROL,      /* lottery: the same mask on fresh random weights */
  LAB_EXPERIMENT_EVALUATING,
} LabExperimentPhase;

typedef struct
{
  LabExperimentPhase phase;
  guint              point;     /* sweep: 1-based point (criterion-major), lottery: round; 0 while
                                 * the dense network trains */
  guint              n_points;  /* sweep: criteria × sparsities, lottery: rounds */
  LabPruneCriterion  criterion; /* of the point being made */
  double             sparsity;  /* its target (lottery: the round's) */
  guint              epoch;     /* 1-based epoch of this phase's training, 0 if it trains none */
  guint              n_epochs;
  double             fraction;  /* of the whole experiment done, 0 … 1 (by training steps) */
} LabExperimentProgress;

typedef struct
{
  guint  round;                 /* 1-based */
  double sparsity;              /* of the ticket, over all weights */
  double test_accuracy;
  double test_loss;
  double control_accuracy;      /* NaN without a control */
  double control_loss;
} LabLotteryRound;

/* What an experiment tells as it goes; every member may be NULL. The point and round callbacks
 * run while the trainer still holds that case's network (read it, do not step it). */
typedef struct
{
  const gint *cancel;           /* non-zero (read with g_atomic_int_get) stops the experiment */
  void      (*progress) (const LabExperimentProgress *progress,
                         gpointer                     user_data);
  void      (*dense)    (LabTrainer                  *tr,
                         const LabEval               *dense,
                         gpointer                     user_data);
  void      (*point)    (LabTrainer                  *tr,
                         const LabSweepRow           *point,
                         gpointer                     user_data);
  void      (*round)    (LabTrainer                  *tr,
                         const LabLotteryRound       *round,
                         gpointer                     user_data);
  gpointer    user_data;
} LabExperimentHooks;

typedef struct
{
  gboolean                 train;          /* train to the configured end first; else prune the
                                            * network as it is (loaded weights, a live model) */
  LabPruneSpec             prune;          /* scope, structure …; criterion and target per point */
  const LabPruneCriterion *criteria;       /* (n_criteria) */
  guint                    n_criteria;
  const double            *sparsities;     /* (n_sparsities) targets in [0, 1) */
  guint                    n_sparsities;
  guint                    finetune_epochs;
} LabSweepSpec;

typedef struct
{
  guint         rounds;
  double        rate;                      /* fraction of the remaining weights pruned a round */
  LabRewind     rewind;                    /* LAB_REWIND_INIT or LAB_REWIND_STEP */
  guint64       rewind_step;               /* ≤ the run's total steps */
  LabPruneScope scope;                     /* magnitude pruning of single weights, this scope */
  gboolean      control;                   /* also train each mask on fresh weights, seeded by
                                            * train.seed + 0x1000193 · round */
} LabLotterySpec;

/* A comma-separated list of criteria ("magnitude,random"; spaces around names are ignored)
 * as a GArray of LabPruneCriterion, or NULL with an error naming the unknown one. */
GArray  *lab_experiment_parse_criteria   (const char               *list,
                                          GError                  **error);
/* A comma-separated list of target sparsities in [0, 1) ("0,0.5,0.9") as a GArray of double,
 * or NULL with an error naming the one that is not. */
GArray  *lab_experiment_parse_sparsities (const char               *list,
                                          GError                  **error);

/* The settings an experiment's trainer is built from: the [prune] schedule off, since the
 * experiment does its own pruning. */
void     lab_experiment_prepare_config (LabConfig                *cfg);

/* Runs a sweep on @tr. Each finished point is appended to @points (GArray of LabSweepRow) and
 * told to hooks->point; @dense receives the unpruned network's evaluation. FALSE on divergence,
 * cancellation or a pruning that fails (its message names the criterion and sparsity). */
gboolean lab_sweep_run                 (LabTrainer               *tr,
                                        const LabSweepSpec       *spec,
                                        const LabExperimentHooks *hooks,
                                        LabEval                  *dense,
                                        GArray                   *points,
                                        GError                  **error);

/* Runs the lottery on @tr, which must be at its first step. Each finished round is appended to
 * @rounds (GArray of LabLotteryRound) and told to hooks->round. */
gboolean lab_lottery_run               (LabTrainer               *tr,
                                        const LabLotterySpec     *spec,
                                        const LabExperimentHooks *hooks,
                                        LabEval                  *dense,
                                        GArray                   *rounds,
                                        GError                  **error);

/* "round=R sparsity=S test_accuracy=A[ control_accuracy=C]", as gradlab-cli lottery prints it
 * (no newline). */
char    *lab_lottery_format_round      (const LabLotteryRound    *round,
                                        gboolean                  control);
/* The lottery's one-line JSON summary: status, rewind, dense test accuracy and every round. */
char    *lab_lottery_format_summary    (const LabLotterySpec     *spec,
                                        const LabEval            *dense,
                                        const LabLotteryRound    *rounds,
                                        guint                     n_rounds);

G_END_DECLS
