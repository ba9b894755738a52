/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-optim.h: optimisers over the flat parameter buffer, with PyTorch's update rules so runs
 * compare one to one (torch.optim.SGD with momentum/nesterov/weight_decay, torch.optim.Adam),
 * learning-rate schedules and gradient clipping. Masked (pruned) entries stay exactly zero,
 * and so does their optimiser state.
 */
#pragma once

#include "lab-types.h"

G_BEGIN_DECLS

typedef enum
{
  LAB_OPTIM_SGD,
  LAB_OPTIM_MOMENTUM,
  LAB_OPTIM_NESTEROV,
  LAB_OPTIM_ADAM,
} LabOptimKind;

typedef enum
{
  LAB_SCHEDULE_CONSTANT,
  LAB_SCHEDULE_STEP,      /* lr · gamma^floor(epoch / step_epochs) */
  LAB_SCHEDULE_COSINE,    /* lr_min + (lr - lr_min)(1 + cos(π t / T)) / 2 over the run */
} LabScheduleKind;

typedef enum
{
  LAB_CLIP_NONE,
  LAB_CLIP_NORM,          /* scale all gradients so the global L2 norm is at most value */
  LAB_CLIP_VALUE,         /* clamp every gradient to [-value, value] */
} LabClipMode;

typedef struct
{
  LabOptimKind kind;
  double       momentum;      /* SGD momentum μ (momentum, nesterov) */
  double       beta1;         /* Adam */
  double       beta2;
  double       eps;
  double       weight_decay;  /* L2 added to the gradient, as torch's weight_decay */
} LabOptimSpec;

struct _LabOptim
{
  LabOptimSpec spec;
  gsize        n;
  float       *m;       /* (n) momentum buffer / Adam first moment */
  float       *v;       /* (n) Adam second moment */
  guint64      t;       /* steps taken (Adam bias correction) */
};

LabOptim *lab_optim_new   (const LabOptimSpec *spec,
                           gsize               n);
void      lab_optim_free  (LabOptim           *opt);
void      lab_optim_reset (LabOptim           *opt);

/* One update of params[0..n) from grads. Where mask[i] == 0 the parameter and its state are
 * set to 0 and left there. For the ranges [off[k], off[k] + len[k]), k < n_ranges (sorted,
 * disjoint; the gaps are updated too), @delta_sq[k] receives ‖Δθ‖² and @weight_sq[k] ‖θ‖² after
 * the update, computed in the same pass (either may be NULL). */
void      lab_optim_step  (LabOptim           *opt,
                           float              *params,
                           const float        *grads,
                           const float        *mask,
                           double              lr,
                           const gsize        *off,
                           const gsize        *len,
                           guint               n_ranges,
                           double             *delta_sq,
                           double             *weight_sq);

/* The same update as lab_optim_step() as one plain scalar loop: the readable reference the
 * tests hold the vectorised one to (parameters and state bit for bit; the sums to rounding). */
void      lab_optim_step_ref (LabOptim        *opt,
                              float           *params,
                              const float     *grads,
                              const float     *mask,
                              double           lr,
                              const gsize     *off,
                              const gsize     *len,
                              guint            n_ranges,
                              double          *delta_sq,
                              double          *weight_sq);

/* Learning rate at a step. @total_steps is the run's length (cosine), @steps_per_epoch for
 * step schedules counted in epochs. */
double    lab_schedule_lr (LabScheduleKind     kind,
                           double              lr,
                           double              gamma,
                           guint               step_epochs,
                           double              lr_min,
                           guint64             step,
                           guint64             steps_per_epoch,
                           guint64             total_steps);

/* Scales grads so that their global norm @norm becomes at most @max_norm (torch's coefficient
 * max_norm / (norm + 1e-6)); for callers that already know the norm. */
void      lab_clip_scale  (float              *grads,
                           gsize               n,
                           double              max_norm,
                           double              norm);

/* Clips grads in place. Returns the global L2 norm before clipping. */
double    lab_clip        (LabClipMode         mode,
                           double              value,
                           float              *grads,
                           gsize               n);

const char *lab_optim_kind_to_string      (LabOptimKind     kind);
gboolean    lab_optim_kind_from_string    (const char      *str,
                                           LabOptimKind    *out);
const char *lab_schedule_kind_to_string   (LabScheduleKind  kind);
gboolean    lab_schedule_kind_from_string (const char      *str,
                                           LabScheduleKind *out);
const char *lab_clip_mode_to_string       (LabClipMode      mode);
gboolean    lab_clip_mode_from_string     (const char      *str,
                                           LabClipMode     *out);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LabOptim, lab_optim_free)

G_END_DECLS
