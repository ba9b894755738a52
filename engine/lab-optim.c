/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-optim.c: optimiser steps, learning-rate schedules and gradient clipping, with the update
 * rules of torch.optim so a run here and in the PyTorch peer agree step by step:
 *   SGD:       g ← ∇ + λθ;  θ ← θ − η g                       (torch.optim.SGD)
 *   momentum:  b ← μ b + g;  θ ← θ − η b                       (dampening 0)
 *   Nesterov:  b ← μ b + g;  θ ← θ − η (g + μ b)
 *   Adam:      m ← β₁m + (1−β₁)g;  v ← β₂v + (1−β₂)g²;
 *              θ ← θ − η/(1−β₁ᵗ) · m / (√v/√(1−β₂ᵗ) + ε)   (Kingma & Ba 2015, torch.optim.Adam)
 * https://pytorch.org/docs/stable/generated/torch.optim.SGD.html
 */
#define G_LOG_DOMAIN "lab-engine"
#include "config.h"

#include <math.h>
#include <string.h>

#include "lab-enum-private.h"
#include "lab-ops.h"
#include "lab-optim.h"
#include "lab-vec-private.h"

const LabEnumNick lab_optim_kind_nicks[] = {
  { LAB_OPTIM_SGD, "sgd" },
  { LAB_OPTIM_MOMENTUM, "momentum" },
  { LAB_OPTIM_NESTEROV, "nesterov" },
  { LAB_OPTIM_ADAM, "adam" },
  { 0, NULL },
};
const LabEnumNick lab_schedule_kind_nicks[] = {
  { LAB_SCHEDULE_CONSTANT, "constant" },
  { LAB_SCHEDULE_STEP, "step" },
  { LAB_SCHEDULE_COSINE, "cosine" },
  { 0, NULL },
};
const LabEnumNick lab_clip_mode_nicks[] = {
  { LAB_CLIP_NONE, "none" },
  { LAB_CLIP_NORM, "norm" },
  { LAB_CLIP_VALUE, "value" },
  { 0, NULL },
};

LAB_DEFINE_ENUM_STRINGS (LabOptimKind, lab_optim_kind, lab_optim_kind_nicks)
LAB_DEFINE_ENUM_STRINGS (LabScheduleKind, lab_schedule_kind, lab_schedule_kind_nicks)
LAB_DEFINE_ENUM_STRINGS (LabClipMode, lab_clip_mode, lab_clip_mode_nicks)

LabOptim *
lab_optim_new (const LabOptimSpec *spec,
               gsize               n)
{
  LabOptim *opt = g_new0 (LabOptim, 1);

  opt->spec = *spec;
  opt->n = n;
  if (spec->kind != LAB_OPTIM_SGD)
    opt->m = g_aligned_alloc0 (n, sizeof (float), 64);
  if (spec->kind == LAB_OPTIM_ADAM)
    opt->v = g_aligned_alloc0 (n, sizeof (float), 64);
  return opt;
}

void
lab_optim_free (LabOptim *opt)
{
  if (opt == NULL)
    return;
  g_aligned_free (opt->m);
  g_aligned_free (opt->v);
  g_free (opt);
}

void
lab_optim_reset (LabOptim *opt)
{
  if (opt->m)
    memset (opt->m, 0, opt->n * sizeof (float));
  if (opt->v)
    memset (opt->v, 0, opt->n * sizeof (float));
  opt->t = 0;
}

/* The constants of one update, in float as the loops use them. */
typedef struct
{
  LabOptimKind kind;
  float        lr;        /* Adam: lr / (1 − β₁ᵗ), the bias-corrected step */
  float        wd;
  float        mu;
  float        b1, b2;
  float        one_b1;    /* 1 − β in double, as torch does: 1.0f − 0.999f is 0.00099998713, */
  float        one_b2;    /* 1.3e-5 off */
  float        bc2_sqrt;  /* √(1 − β₂ᵗ) */
  float        eps;
} Coefs;

/* The update rule of one parameter in scalars: returns Δ (θ ← θ − Δ) and updates its state.
 * The reference (lab_optim_step_ref) and the tails of the vector loops below. */
static inline float
update_one (const Coefs *c,
            float        p,
            float        g,
            float       *m,
            float       *v)
{
  float gi = g + c->wd * p;

  switch (c->kind)
    {
    case LAB_OPTIM_SGD:
      return c->lr * gi;
    case LAB_OPTIM_MOMENTUM:
      *m = c->mu * *m + gi;
      return c->lr * *m;
    case LAB_OPTIM_NESTEROV:
      *m = c->mu * *m + gi;
      return c->lr * (gi + c->mu * *m);
    case LAB_OPTIM_ADAM:
    default:
      *m = c->b1 * *m + c->one_b1 * gi;
      *v = c->b2 * *v + c->one_b2 * gi * gi;
      return c->lr * *m / (sqrtf (*v) / c->bc2_sqrt + c->eps);
    }
}

/* One loop per optimiser, eight parameters per iteration (two LabVec) with a lane each of Δθ²
 * and θ² (each lane its own float sum, so no floating-point reassociation). The lanes are
 * folded into double every 4096 parameters to keep precision. VBODY computes the LabVec upd
 * from P (θ) and G (∇) at i and may load and store the optimiser's state there; the tail is
 * update_one(), the same rule in scalars. */
#define LANE_VEC(VBODY, d_, w_)                                                 \
  G_STMT_START {                                                                \
    LabVec P = lab_vec_load (p + i), G = lab_vec_load (g + i), upd;             \
    VBODY;                                                                      \
    P -= upd;                                                                   \
    lab_vec_store (p + i, P);                                                   \
    d_ += upd * upd;                                                            \
    w_ += P * P;                                                                \
  } G_STMT_END

#define LANE_LOOP(VBODY)                                                        \
  G_STMT_START {                                                                \
    LabVec d0 = { 0 }, w0 = { 0 }, d1 = { 0 }, w1 = { 0 };                      \
    gsize i_ = start;                                                           \
    while (i_ + 2 * LAB_VEC_LANES <= end)                                       \
      {                                                                         \
        gsize stop_ = MIN (end, i_ + 4096);                                     \
        for (; i_ + 2 * LAB_VEC_LANES <= stop_; i_ += 2 * LAB_VEC_LANES)        \
          {                                                                     \
            {                                                                   \
              const gsize i = i_;                                               \
              LANE_VEC (VBODY, d0, w0);                                         \
            }                                                                   \
            {                                                                   \
              const gsize i = i_ + LAB_VEC_LANES;                               \
              LANE_VEC (VBODY, d1, w1);                                         \
            }                                                                   \
          }                                                                     \
        lab_vec_fold (dsq, d0);                                                 \
        lab_vec_fold (dsq, d1);                                                 \
        lab_vec_fold (wsq, w0);                                                 \
        lab_vec_fold (wsq, w1);                                                 \
        d0 = w0 = d1 = w1 = (LabVec) { 0 };                                     \
      }                                                                         \
    for (; i_ < end; i_++)                                                      \
      {                                                                         \
        float upd = update_one (c, p[i_], g[i_], m ? &m[i_] : NULL,             \
                                v ? &v[i_] : NULL);                             \
        p[i_] -= upd;                                                           \
        *dsq += (double) upd * upd;                                             \
        *wsq += (double) p[i_] * p[i_];                                         \
      }                                                                         \
  } G_STMT_END

static void
sgd_range (const Coefs *c, float *restrict p, const float *restrict g, float *restrict m,
           float *restrict v, gsize start, gsize end, double *dsq, double *wsq)
{
  const float lr = c->lr, wd = c->wd;

  LANE_LOOP (upd = lr * (G + wd * P));
}

static void
momentum_range (const Coefs *c, float *restrict p, const float *restrict g, float *restrict m,
                float *restrict v, gsize start, gsize end, double *dsq, double *wsq)
{
  const float lr = c->lr, wd = c->wd, mu = c->mu;

  LANE_LOOP (LabVec M = mu * lab_vec_load (m + i) + (G + wd * P);
             lab_vec_store (m + i, M);
             upd = lr * M);
}

static void
nesterov_range (const Coefs *c, float *restrict p, const float *restrict g, float *restrict m,
                float *restrict v, gsize start, gsize end, double *dsq, double *wsq)
{
  const float lr = c->lr, wd = c->wd, mu = c->mu;

  LANE_LOOP (LabVec Gi = G + wd * P;
             LabVec M = mu * lab_vec_load (m + i) + Gi;
             lab_vec_store (m + i, M);
             upd = lr * (Gi + mu * M));
}

static void
adam_range (const Coefs *c, float *restrict p, const float *restrict g, float *restrict m,
            float *restrict v, gsize start, gsize end, double *dsq, double *wsq)
{
  const float step = c->lr, wd = c->wd, b1 = c->b1, b2 = c->b2, one_b1 = c->one_b1;
  const float one_b2 = c->one_b2, bc2_sqrt = c->bc2_sqrt, eps = c->eps;

  LANE_LOOP (LabVec Gi = G + wd * P;
             LabVec M = b1 * lab_vec_load (m + i) + one_b1 * Gi;
             LabVec V = b2 * lab_vec_load (v + i) + one_b2 * Gi * Gi;
             lab_vec_store (m + i, M);
             lab_vec_store (v + i, V);
             upd = step * M / (lab_vec_sqrt (V) / bc2_sqrt + eps));
}

/* masks θ and the state at i..i+3; returns θ² */
static inline LabVec
mask_vec (float       *restrict p,
          float       *restrict m,
          float       *restrict v,
          const float *restrict mask,
          gsize        i)
{
  LabVec K = lab_vec_load (mask + i), P = lab_vec_load (p + i) * K;

  lab_vec_store (p + i, P);
  if (m)
    lab_vec_store (m + i, lab_vec_load (m + i) * K);
  if (v)
    lab_vec_store (v + i, lab_vec_load (v + i) * K);
  return P * P;
}

/* Masks θ and the state of one parameter; returns θ² after. */
static inline double
mask_one (float       *p,
          float       *m,
          float       *v,
          const float *mask,
          gsize        i)
{
  p[i] *= mask[i];
  if (m)
    m[i] *= mask[i];
  if (v)
    v[i] *= mask[i];
  return (double) p[i] * p[i];
}

/* Σ θ² of [start, end) after masking it: pruned entries and their state end at exactly 0
 * whatever their gradient was. */
static double
mask_range (LabOptim    *opt,
            float       *p,
            const float *mask,
            gsize        start,
            gsize        end)
{
  float *m = opt->m, *v = opt->v;
  double wm = 0;
  LabVec w0 = { 0 }, w1 = { 0 };
  gsize i = start;

  while (i + 2 * LAB_VEC_LANES <= end)
    {
      gsize stop = MIN (end, i + 4096);
      for (; i + 2 * LAB_VEC_LANES <= stop; i += 2 * LAB_VEC_LANES)
        {
          w0 += mask_vec (p, m, v, mask, i);
          w1 += mask_vec (p, m, v, mask, i + LAB_VEC_LANES);
        }
      lab_vec_fold (&wm, w0);
      lab_vec_fold (&wm, w1);
      w0 = w1 = (LabVec) { 0 };
    }
  for (; i < end; i++)
    wm += mask_one (p, m, v, mask, i);
  return wm;
}

/* Updates [start, end); adds Σ Δθ² to *dsq and Σ θ² (after the update and the mask) to *wsq. */
static void
step_range (LabOptim    *opt,
            const Coefs *c,
            float       *p,
            const float *g,
            const float *mask,
            gsize        start,
            gsize        end,
            double      *dsq,
            double      *wsq)
{
  float *m = opt->m, *v = opt->v;

  switch (c->kind)
    {
    case LAB_OPTIM_SGD:
      sgd_range (c, p, g, m, v, start, end, dsq, wsq);
      break;
    case LAB_OPTIM_MOMENTUM:
      momentum_range (c, p, g, m, v, start, end, dsq, wsq);
      break;
    case LAB_OPTIM_NESTEROV:
      nesterov_range (c, p, g, m, v, start, end, dsq, wsq);
      break;
    case LAB_OPTIM_ADAM:
    default:
      adam_range (c, p, g, m, v, start, end, dsq, wsq);
      break;
    }
  if (mask != NULL)
    *wsq = mask_range (opt, p, mask, start, end);   /* the sum above counted pruned entries */
}

/* Counts the step and returns its constants (Adam's bias corrections use the new count). */
static Coefs
step_coefs (LabOptim *opt,
            double    lr)
{
  const LabOptimSpec *s = &opt->spec;
  Coefs c = {
    .kind = s->kind, .lr = (float) lr, .wd = (float) s->weight_decay, .mu = (float) s->momentum,
    .b1 = (float) s->beta1, .b2 = (float) s->beta2,
    .one_b1 = (float) (1.0 - s->beta1), .one_b2 = (float) (1.0 - s->beta2),
    .bc2_sqrt = 1.0f, .eps = (float) s->eps,
  };

  opt->t++;
  if (s->kind == LAB_OPTIM_ADAM)
    {
      float bc1 = (float) (1.0 - pow (s->beta1, (double) opt->t));
      c.lr = (float) lr / bc1;
      c.bc2_sqrt = (float) sqrt (1.0 - pow (s->beta2, (double) opt->t));
    }
  return c;
}

void
lab_optim_step (LabOptim    *opt,
                float       *params,
                const float *grads,
                const float *mask,
                double       lr,
                const gsize *off,
                const gsize *len,
                guint        n_ranges,
                double      *delta_sq,
                double      *weight_sq)
{
  const Coefs c = step_coefs (opt, lr);
  gsize pos = 0;
  double dsq, wsq;

  /* ranges are sorted and disjoint; the gaps between them (biases) are updated too */
  for (guint k = 0; k < n_ranges; k++)
    {
      g_assert (off[k] >= pos && off[k] + len[k] <= opt->n);
      dsq = wsq = 0;
      step_range (opt, &c, params, grads, mask, pos, off[k], &dsq, &wsq);
      dsq = wsq = 0;
      step_range (opt, &c, params, grads, mask, off[k], off[k] + len[k], &dsq, &wsq);
      if (delta_sq != NULL)
        delta_sq[k] = dsq;
      if (weight_sq != NULL)
        weight_sq[k] = wsq;
      pos = off[k] + len[k];
    }
  dsq = wsq = 0;
  step_range (opt, &c, params, grads, mask, pos, opt->n, &dsq, &wsq);
}

void
lab_optim_step_ref (LabOptim    *opt,
                    float       *params,
                    const float *grads,
                    const float *mask,
                    double       lr,
                    const gsize *off,
                    const gsize *len,
                    guint        n_ranges,
                    double      *delta_sq,
                    double      *weight_sq)
{
  const Coefs c = step_coefs (opt, lr);

  for (guint k = 0; k < n_ranges; k++)
    {
      if (delta_sq != NULL)
        delta_sq[k] = 0;
      if (weight_sq != NULL)
        weight_sq[k] = 0;
    }
  for (gsize i = 0; i < opt->n; i++)
    {
      float upd = update_one (&c, params[i], grads[i], opt->m ? &opt->m[i] : NULL,
                              opt->v ? &opt->v[i] : NULL);
      double w;

      params[i] -= upd;
      w = mask ? mask_one (params, opt->m, opt->v, mask, i) : (double) params[i] * params[i];
      for (guint k = 0; k < n_ranges; k++)
        if (i >= off[k] && i < off[k] + len[k])
          {
            if (delta_sq != NULL)
              delta_sq[k] += (double) upd * upd;
            if (weight_sq != NULL)
              weight_sq[k] += w;
          }
    }
}

double
lab_schedule_lr (LabScheduleKind kind,
                 double          lr,
                 double          gamma,
                 guint           step_epochs,
                 double          lr_min,
                 guint64         step,
                 guint64         steps_per_epoch,
                 guint64         total_steps)
{
  switch (kind)
    {
    case LAB_SCHEDULE_STEP:
      {
        guint64 epoch = steps_per_epoch ? step / steps_per_epoch : 0;
        return lr * pow (gamma, (double) (epoch / MAX (step_epochs, 1u)));
      }
    case LAB_SCHEDULE_COSINE:
      {
        double t = total_steps ? MIN (1.0, (double) step / (double) total_steps) : 0.0;
        return lr_min + (lr - lr_min) * 0.5 * (1.0 + cos (G_PI * t));
      }
    case LAB_SCHEDULE_CONSTANT:
    default:
      return lr;
    }
}

void
lab_clip_scale (float  *grads,
                gsize   n,
                double  max_norm,
                double  norm)
{
  /* torch.nn.utils.clip_grad_norm_: coefficient max_norm / (norm + 1e-6) */
  float coef = (float) (max_norm / (norm + 1e-6));

  if (coef >= 1.0f)
    return;
  for (gsize i = 0; i < n; i++)
    grads[i] *= coef;
}

double
lab_clip (LabClipMode  mode,
          double       value,
          float       *grads,
          gsize        n)
{
  double norm = sqrt (lab_sum_squares (grads, n));

  if (mode == LAB_CLIP_NORM && norm > value)
    lab_clip_scale (grads, n, value, norm);
  else if (mode == LAB_CLIP_VALUE)
    {
      float v = (float) value;
      for (gsize i = 0; i < n; i++)
        grads[i] = CLAMP (grads[i], -v, v);
    }
  return norm;
}
