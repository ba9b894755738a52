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

G_BEGIN_DECLS

struct _LabStepStats
{
  guint64       step;            /* 1-based number of this step */
  guint         epoch;           /* 1-based epoch the step belongs to */
  guint         n_layers;
  double        time;            /* seconds since the run started */
  double        lr;
  double        loss;            /* batch loss */
  double        accuracy;        /* batch accuracy */
  double        grad_norm;       /* global ‖∂L/∂θ‖ before clipping */
  double        sparsity;        /* total weight sparsity */
  LabLayerStats layer[LAB_MAX_LAYERS];
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

/* Settings that change live, between steps. */
void             lab_trainer_set_lr           (LabTrainer        *tr,
                                               double             lr);
void             lab_trainer_set_clip         (LabTrainer        *tr,
                                               LabClipMode        mode,
                                               double             value);
gboolean         lab_trainer_set_batch        (LabTrainer        *tr,
                                               guint              batch,
                                               GError           **error);

/* Weights (and masks if pruned) as DIR/W1.npy, b1.npy, mask1.npy …; loading checks shapes. */
gboolean         lab_trainer_save_weights     (LabTrainer        *tr,
                                               const char        *dir,
                                               GError           **error);
gboolean         lab_trainer_load_weights     (LabTrainer        *tr,
                                               const char        *dir,
                                               GError           **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LabTrainer, lab_trainer_free)

G_END_DECLS
