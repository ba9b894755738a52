/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-trainer.h: steps and epochs over a dataset. Owns the model, optimiser, data, batch
 * buffers and the shuffled order; computes the per-step statistics of DESIGN.md's Snapshot;
 * evaluates; stops on NaN/Inf with a reason; runs the pruning schedule. Single-threaded:
 * a LabSession (or the CLI) drives it from one thread.
 */
#pragma once

#include "lab-config.h"
#include "lab-dataset.h"
#include "lab-mlp.h"
#include "lab-optim.h"
#include "lab-prune.h"

G_BEGIN_DECLS

struct _LabStepStats
{
  guint64       step;            /* 1-based number of this step */
  guint         epoch;           /* 1-based epoch the step belongs to */
  guint         n_layers;
  guint         samples;         /* samples in this step's batch */
  double        time;            /* seconds since the run started */
  double        step_time;       /* seconds this step took (training only) */
  double        lr;
  double        loss;            /* batch loss */
  double        accuracy;        /* batch accuracy */
  double        grad_norm;       /* global ‖∂L/∂θ‖ before clipping (key global_grad_norm) */
  double        sparsity;        /* total weight sparsity (key total_sparsity) */
  double        test_loss;       /* test-set evaluation right after this step, else NaN */
  double        test_accuracy;
  /* last: lab-rowlog stores what comes before it as is; lab-record lists every field */
  LabLayerStats layer[LAB_MAX_ROW_LAYERS];
};

typedef struct
{
  double loss;
  double accuracy;
  gsize  n;
} LabEval;

/* Takes ownership of @data (or loads it from the config when NULL). */
LabTrainer      *lab_trainer_new              (const LabConfig   *cfg,
                                               LabDataset        *data,
                                               GError           **error);
void             lab_trainer_free             (LabTrainer        *tr);

/* One optimisation step on the next batch. FALSE with LAB_ENGINE_ERROR_DIVERGED when the loss
 * or the gradients are not finite (the parameters are left as before the step). */
gboolean         lab_trainer_step             (LabTrainer        *tr,
                                               LabStepStats      *stats,
                                               GError           **error);
/* Loss and accuracy on the whole test (or train) split, in batches, without touching the
 * training state. */
LabEval          lab_trainer_evaluate         (LabTrainer        *tr,
                                               gboolean           test);

/* TRUE when the configured epochs/steps are done. */
gboolean         lab_trainer_finished         (LabTrainer        *tr);
guint64          lab_trainer_get_step         (LabTrainer        *tr);
guint            lab_trainer_get_epoch        (LabTrainer        *tr);
guint64          lab_trainer_steps_per_epoch  (LabTrainer        *tr);
guint64          lab_trainer_total_steps      (LabTrainer        *tr);
gsize            lab_trainer_samples_seen     (LabTrainer        *tr);

LabMlp          *lab_trainer_get_mlp          (LabTrainer        *tr);
LabDataset      *lab_trainer_get_dataset      (LabTrainer        *tr);
const LabConfig *lab_trainer_get_config       (LabTrainer        *tr);
/* Takes the dataset out of a trainer that is about to be freed, so a rebuild with the same
 * [data] settings does not load it again. The trainer must not step afterwards. */
LabDataset      *lab_trainer_take_dataset     (LabTrainer        *tr);

/* Settings that change live, between steps. */
void             lab_trainer_set_lr           (LabTrainer        *tr,
                                               double             lr);
void             lab_trainer_set_clip         (LabTrainer        *tr,
                                               LabClipMode        mode,
                                               double             value);
gboolean         lab_trainer_set_batch        (LabTrainer        *tr,
                                               guint              batch,
                                               GError           **error);
/* Rows of the last batch a step ran forward, also a step that failed (the workspace still
 * holds its activations: a diverged run's show what overflowed). */
gsize            lab_trainer_last_rows        (LabTrainer        *tr);
/* Runs the lr schedule again from the current step over @n_steps (a fine-tune after pruning):
 * past the configured run a cosine schedule would otherwise sit at lr_min. */
void             lab_trainer_restart_schedule (LabTrainer        *tr,
                                               guint64            n_steps);

/* Weights (and masks if pruned) as DIR/W1.npy, b1.npy, mask1.npy …; loading checks shapes. */
gboolean         lab_trainer_save_weights     (LabTrainer        *tr,
                                               const char        *dir,
                                               GError           **error);
gboolean         lab_trainer_load_weights     (LabTrainer        *tr,
                                               const char        *dir,
                                               GError           **error);

/* Replaces the parameters (and mask, NULL = dense) by @params of @n_params floats laid out as
 * the model's flat buffer (lab-mlp.h), as a run file holds them, and moves the run to just after
 * @step: step and epoch counters, learning-rate schedule and the data order of that epoch (the
 * shuffles are replayed from the seed), so a reopened run continues where it was saved. The
 * optimiser state restarts (it is not saved). Checks the count, finiteness and mask values;
 * on failure the model is untouched. */
gboolean         lab_trainer_load_params      (LabTrainer        *tr,
                                               const float       *params,
                                               const float       *mask,
                                               gsize              n_params,
                                               guint64            step,
                                               GError           **error);

/* Mean |∂L/∂θ| over @n_batches batches of the training set (a fixed, seeded selection), without
 * changing parameters, optimiser or data order: the input of the gradient and saliency criteria.
 * @grad_abs has n_params floats. */
void             lab_trainer_score_gradients  (LabTrainer        *tr,
                                               guint              n_batches,
                                               float             *grad_abs);
/* Prunes the live model now (scores computed as the criterion needs). */
gboolean         lab_trainer_prune_now        (LabTrainer        *tr,
                                               const LabPruneSpec *spec,
                                               LabPruneReport    *report,
                                               GError           **error);
/* Lottery ticket: survivors back to their values at init (or at prune.rewind_step); the optimiser
 * state is cleared. FALSE if the requested point was never recorded. */
gboolean         lab_trainer_rewind           (LabTrainer        *tr,
                                               LabRewind          rewind,
                                               GError           **error);
/* Replaces the network by its compacted form (pruned neurons removed); the optimiser restarts. */
gboolean         lab_trainer_compact          (LabTrainer        *tr,
                                               GError           **error);
/* What the last pruning (scheduled or prune-now) removed; n_layers = 0 if none yet. */
const LabPruneReport *lab_trainer_last_prune  (LabTrainer        *tr);

/* An in-memory copy of the training state: parameters, mask, data order, step and epoch, and
 * the pruning schedule's state. The sweep prunes copies of one trained network from it and the
 * lottery retrains every ticket on the same data order. Restoring clears the optimiser state
 * (as a rewind does); live settings (lr, clip, batch) are kept. */
typedef struct _LabTrainerState LabTrainerState;

LabTrainerState *lab_trainer_save_state       (LabTrainer        *tr);
void             lab_trainer_restore_state    (LabTrainer        *tr,
                                               const LabTrainerState *state);
void             lab_trainer_state_free       (LabTrainerState   *state);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LabTrainerState, lab_trainer_state_free)

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LabTrainer, lab_trainer_free)

G_END_DECLS
