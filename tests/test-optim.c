/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * test-optim.c: the optimisers against numbers worked out by hand with torch.optim's rules
 * (SGD, weight decay, momentum, Nesterov, Adam), pruned entries and their state staying at
 * exactly zero, the per-range ‖Δθ‖² the trainer reports, the learning-rate schedules at known
 * steps, and gradient clipping by norm and by value. test-torch-ref.c checks the same rules
 * against PyTorch itself on a real net.
 */
#define G_LOG_DOMAIN "lab-test"
#include "config.h"

#include <math.h>
#include <string.h>

#include "lab-ops.h"
#include "lab-optim.h"
#include "lab-rng.h"
#include "lab-test-utils.h"

static const LabOptimSpec sgd_spec = { .kind = LAB_OPTIM_SGD };
static const LabOptimSpec momentum_spec = { .kind = LAB_OPTIM_MOMENTUM, .momentum = 0.9 };
static const LabOptimSpec nesterov_spec = { .kind = LAB_OPTIM_NESTEROV, .momentum = 0.9 };
static const LabOptimSpec adam_spec = {
  .kind = LAB_OPTIM_ADAM, .beta1 = 0.9, .beta2 = 0.999, .eps = 1e-8,
};

/* one step over the whole buffer, no ranges */
static void
step (LabOptim    *opt,
      float       *p,
      const float *g,
      double       lr)
{
  lab_optim_step (opt, p, g, NULL, lr, NULL, NULL, 0, NULL, NULL);
}

/* ------------------------------------------------------------------------------------------ */
/* update rules */

static void
test_optim_sgd (void)
{
  g_autoptr(LabOptim) opt = lab_optim_new (&sgd_spec, 1);
  float p = 1.0f, g = 0.5f;

  g_assert_null (opt->m);
  g_assert_null (opt->v);
  step (opt, &p, &g, 0.1);          /* 1 − 0.1·0.5 */
  lab_assert_close (p, 0.95, 1e-6, 0);
  step (opt, &p, &g, 0.1);          /* no memory: the same step again */
  lab_assert_close (p, 0.90, 1e-6, 0);
  g = 0.0f;
  step (opt, &p, &g, 0.1);
  lab_assert_close (p, 0.90, 1e-6, 0);
}

static void
test_optim_weight_decay (void)
{
  LabOptimSpec spec = sgd_spec;
  g_autoptr(LabOptim) opt = NULL;
  float p = 1.0f, g = 0.5f;

  spec.weight_decay = 0.1;
  opt = lab_optim_new (&spec, 1);
  step (opt, &p, &g, 0.1);          /* g' = 0.5 + 0.1·1 = 0.6 → 1 − 0.06 */
  lab_assert_close (p, 0.94, 1e-6, 0);
  g = 0.0f;
  step (opt, &p, &g, 0.1);          /* decay alone: 0.94 − 0.1·0.094 */
  lab_assert_close (p, 0.94 - 0.1 * 0.094, 1e-6, 0);

  /* with momentum, decay enters the buffer (torch adds it to the gradient first) */
  {
    LabOptimSpec ms = momentum_spec;
    g_autoptr(LabOptim) mo = NULL;
    float q = 2.0f, h = 0.0f;

    ms.weight_decay = 0.5;
    mo = lab_optim_new (&ms, 1);
    step (mo, &q, &h, 0.1);         /* b = 1, q = 2 − 0.1 */
    lab_assert_close (mo->m[0], 1.0, 1e-6, 0);
    lab_assert_close (q, 1.9, 1e-6, 0);
  }
}

static void
test_optim_momentum (void)
{
  g_autoptr(LabOptim) opt = lab_optim_new (&momentum_spec, 1);
  float p = 1.0f, g = 0.5f;

  step (opt, &p, &g, 0.1);          /* b = 0.5, θ = 1 − 0.05 */
  lab_assert_close (opt->m[0], 0.5, 1e-6, 0);
  lab_assert_close (p, 0.95, 1e-6, 0);
  step (opt, &p, &g, 0.1);          /* b = 0.9·0.5 + 0.5 = 0.95, θ = 0.95 − 0.095 */
  lab_assert_close (opt->m[0], 0.95, 1e-6, 0);
  lab_assert_close (p, 0.855, 1e-6, 0);
}

static void
test_optim_nesterov (void)
{
  g_autoptr(LabOptim) opt = lab_optim_new (&nesterov_spec, 1);
  float p = 1.0f, g = 0.5f;

  step (opt, &p, &g, 0.1);          /* b = 0.5, θ = 1 − 0.1·(0.5 + 0.9·0.5) = 0.905 */
  lab_assert_close (opt->m[0], 0.5, 1e-6, 0);
  lab_assert_close (p, 0.905, 1e-6, 0);
  step (opt, &p, &g, 0.1);          /* b = 0.95, θ = 0.905 − 0.1·(0.5 + 0.855) = 0.7695 */
  lab_assert_close (opt->m[0], 0.95, 1e-6, 0);
  lab_assert_close (p, 0.7695, 1e-6, 0);
}

static void
test_optim_adam_first_step (void)
{
  /* m̂ = g, v̂ = g²: the first step is lr · g / (|g| + ε) ≈ lr · sign(g) at any scale */
  const float g[] = { 0.5f, -0.5f, 1e-3f, -100.0f, 3.0f, 0.0f };
  float p[] = { 1.0f, 1.0f, -2.0f, 0.0f, 0.25f, 0.7f };
  const gsize n = G_N_ELEMENTS (g);
  float p0[G_N_ELEMENTS (p)];
  g_autoptr(LabOptim) opt = lab_optim_new (&adam_spec, n);

  memcpy (p0, p, sizeof p);
  step (opt, p, g, 0.01);
  for (gsize i = 0; i < n; i++)
    {
      double sign = g[i] > 0 ? 1 : g[i] < 0 ? -1 : 0;
      lab_assert_close (p0[i] - p[i], 0.01 * sign, 1e-4, 1e-9);
    }
  g_assert_cmpfloat (p[5], ==, 0.7f);
  g_assert_cmpuint (opt->t, ==, 1);
}

static void
test_optim_adam_two_steps (void)
{
  const double lr = 0.01, b1 = 0.9, b2 = 0.999, eps = 1e-8, wd = 0.01;
  const double g1[] = { 0.5, -0.2, 1e-4 }, g2[] = { -0.2, -0.3, 2.0 };
  LabOptimSpec spec = adam_spec;
  g_autoptr(LabOptim) opt = NULL;
  float p[] = { 1.0f, -0.5f, 0.1f }, g[3];
  double th[3] = { 1.0, -0.5, 0.1 }, m[3] = { 0 }, v[3] = { 0 };

  spec.weight_decay = wd;
  opt = lab_optim_new (&spec, 3);
  for (int t = 1; t <= 2; t++)
    {
      const double *gt = t == 1 ? g1 : g2;
      for (int i = 0; i < 3; i++)
        {
          /* torch.optim.Adam, written out in double */
          double gi = gt[i] + wd * th[i];
          m[i] = b1 * m[i] + (1 - b1) * gi;
          v[i] = b2 * v[i] + (1 - b2) * gi * gi;
          double mhat_step = lr / (1 - pow (b1, t));
          double denom = sqrt (v[i]) / sqrt (1 - pow (b2, t)) + eps;
          th[i] -= mhat_step * m[i] / denom;
          g[i] = (float) gt[i];
        }
      step (opt, p, g, lr);
      for (int i = 0; i < 3; i++)
        {
          lab_assert_close (p[i], th[i], 1e-6, 1e-8);
          lab_assert_close (opt->m[i], m[i], 1e-5, 1e-10);
          lab_assert_close (opt->v[i], v[i], 1e-5, 1e-12);
        }
    }
  /* concrete value for parameter 0: step 1 moves by ≈ lr, step 2 by lr·m̂/√v̂ */
  g_assert_cmpfloat (p[0], <, 1.0f);
  g_assert_cmpuint (opt->t, ==, 2);

  lab_optim_reset (opt);
  g_assert_cmpuint (opt->t, ==, 0);
  for (int i = 0; i < 3; i++)
    {
      g_assert_cmpfloat (opt->m[i], ==, 0.0f);
      g_assert_cmpfloat (opt->v[i], ==, 0.0f);
    }
}

/* ------------------------------------------------------------------------------------------ */
/* masks */

static void
test_optim_mask (void)
{
  const LabOptimSpec *specs[] = { &sgd_spec, &momentum_spec, &nesterov_spec, &adam_spec };
  const gsize n = 12, masked[] = { 0, 3, 4, 11 };

  for (guint k = 0; k < G_N_ELEMENTS (specs); k++)
    {
      LabOptimSpec spec = *specs[k];
      g_autoptr(LabOptim) opt = NULL;
      float p[12], g[12], mask[12], p0[12];
      gsize off[] = { 2, 8 }, len[] = { 4, 3 };
      double dsq[2];
      LabRng rng;

      spec.weight_decay = 0.01;   /* decay must not revive a pruned weight either */
      opt = lab_optim_new (&spec, n);
      lab_rng_init (&rng, 30 + k);
      for (gsize i = 0; i < n; i++)
        {
          p[i] = p0[i] = lab_rng_normal (&rng);
          mask[i] = 1.0f;
        }
      for (guint j = 0; j < G_N_ELEMENTS (masked); j++)
        mask[masked[j]] = 0.0f;

      for (guint s = 0; s < 100; s++)
        {
          for (gsize i = 0; i < n; i++)
            g[i] = lab_rng_normal (&rng) + 0.5f;   /* masked entries get gradients too */
          lab_optim_step (opt, p, g, mask, 0.01, off, len, 2, dsq, NULL);
          for (guint j = 0; j < G_N_ELEMENTS (masked); j++)
            {
              gsize i = masked[j];
              g_assert_cmpfloat (p[i], ==, 0.0f);
              if (opt->m != NULL)
                g_assert_cmpfloat (opt->m[i], ==, 0.0f);
              if (opt->v != NULL)
                g_assert_cmpfloat (opt->v[i], ==, 0.0f);
            }
        }
      for (gsize i = 0; i < n; i++)
        if (mask[i] != 0.0f)
          {
            g_assert_cmpfloat (p[i], !=, p0[i]);
            g_assert_true (isfinite (p[i]));
            if (opt->m != NULL)
              g_assert_cmpfloat (opt->m[i], !=, 0.0f);
          }
    }
}

/* ------------------------------------------------------------------------------------------ */
/* ‖Δθ‖² per range */

static void
test_optim_delta_sq (void)
{
  const LabOptimSpec *specs[] = { &sgd_spec, &momentum_spec, &nesterov_spec, &adam_spec };
  const gsize n = 12;
  /* ranges [2, 5) and [7, 10); the gaps 0–1, 5–6 and 10–11 (biases, say) are updated too */
  const gsize off[] = { 2, 7 }, len[] = { 3, 3 };

  for (guint k = 0; k < G_N_ELEMENTS (specs); k++)
    {
      g_autoptr(LabOptim) opt = lab_optim_new (specs[k], n);
      g_autoptr(LabOptim) twin = lab_optim_new (specs[k], n);
      float p[12], g[12], before[12], q[12];
      double dsq[2];
      LabRng rng;

      lab_rng_init (&rng, 40 + k);
      for (gsize i = 0; i < n; i++)
        {
          /* from θ = 0, θ − Δ is exact in float, so Σ θ² is exactly Σ Δ² */
          p[i] = q[i] = 0.0f;
          g[i] = lab_rng_normal (&rng);
        }

      for (guint s = 0; s < 3; s++)
        {
          memcpy (before, p, sizeof p);
          dsq[0] = dsq[1] = -1;
          lab_optim_step (opt, p, g, NULL, 0.1, off, len, 2, dsq, NULL);
          for (guint r = 0; r < 2; r++)
            {
              double want = 0;
              for (gsize i = off[r]; i < off[r] + len[r]; i++)
                want += ((double) p[i] - before[i]) * ((double) p[i] - before[i]);
              /* Σ upd² is accumulated in float per 4096-entry chunk (it feeds a displayed
               * update/weight ratio), so it agrees with the double sum to float precision */
              lab_assert_close (dsq[r], want, 1e-5, 1e-12);
              g_assert_cmpfloat (dsq[r], >, 0.0);
            }
          /* every entry, in a range or in a gap, was updated */
          for (gsize i = 0; i < n; i++)
            g_assert_cmpfloat (p[i], !=, before[i]);

          /* the same step without ranges or delta_sq (may be NULL) gives the same θ */
          lab_optim_step (twin, q, g, NULL, 0.1, off, len, 2, NULL, NULL);
          g_assert_cmpmem (p, sizeof p, q, sizeof q);
        }
    }
}

/* The vectorised loops against the update rules written out in scalar double, on a buffer long
 * enough to cross the 4096-entry fold and with odd range edges, so every path (vector body,
 * scalar tail, gaps, mask pass) runs; weight decay on; several steps so the state matters. */
static void
test_optim_long_vs_scalar (void)
{
  LabOptimSpec specs[] = { sgd_spec, momentum_spec, nesterov_spec, adam_spec };
  const gsize n = 10013, off[] = { 3, 4101, 9000 }, len[] = { 4097, 4101, 1011 };

  for (guint k = 0; k < G_N_ELEMENTS (specs); k++)
    for (guint masked = 0; masked < 2; masked++)
      {
        LabOptimSpec spec = specs[k];
        g_autoptr(LabOptim) opt = NULL;
        g_autofree float *p = g_new (float, n), *g = g_new (float, n), *mask = g_new (float, n);
        g_autofree double *q = g_new (double, n), *m = g_new0 (double, n),
                          *v = g_new0 (double, n);
        const double lr = 0.05;
        LabRng rng;

        spec.weight_decay = 0.01;
        opt = lab_optim_new (&spec, n);
        lab_rng_init (&rng, 70 + k);
        for (gsize i = 0; i < n; i++)
          {
            mask[i] = masked && lab_rng_uniform (&rng) < 0.3 ? 0.0f : 1.0f;
            p[i] = (float) lab_rng_normal (&rng) * mask[i];
            q[i] = p[i];
          }
        for (guint t = 1; t <= 3; t++)
          {
            double dsq[3], wsq[3];

            for (gsize i = 0; i < n; i++)
              g[i] = (float) lab_rng_normal (&rng) * mask[i];
            lab_optim_step (opt, p, g, masked ? mask : NULL, lr, off, len, 3, dsq, wsq);
            for (gsize i = 0; i < n; i++)
              {
                double gi = g[i] + spec.weight_decay * q[i], upd;
                switch (spec.kind)
                  {
                  case LAB_OPTIM_SGD:
                    upd = lr * gi;
                    break;
                  case LAB_OPTIM_MOMENTUM:
                    m[i] = spec.momentum * m[i] + gi;
                    upd = lr * m[i];
                    break;
                  case LAB_OPTIM_NESTEROV:
                    m[i] = spec.momentum * m[i] + gi;
                    upd = lr * (gi + spec.momentum * m[i]);
                    break;
                  case LAB_OPTIM_ADAM:
                  default:
                    m[i] = spec.beta1 * m[i] + (1 - spec.beta1) * gi;
                    v[i] = spec.beta2 * v[i] + (1 - spec.beta2) * gi * gi;
                    upd = lr / (1 - pow (spec.beta1, t)) * m[i] /
                          (sqrt (v[i]) / sqrt (1 - pow (spec.beta2, t)) + spec.eps);
                    break;
                  }
                q[i] = (q[i] - upd) * mask[i];
              }
            for (gsize i = 0; i < n; i++)
              {
                lab_assert_close (p[i], q[i], 1e-5, 1e-6);
                if (mask[i] == 0.0f)
                  g_assert_cmpfloat (p[i], ==, 0.0f);
              }
            for (guint r = 0; r < 3; r++)
              {
                double want = 0;
                for (gsize i = off[r]; i < off[r] + len[r]; i++)
                  want += q[i] * q[i];
                lab_assert_close (wsq[r], want, 1e-5, 0);
              }
          }
      }
}

/* ------------------------------------------------------------------------------------------ */
/* schedules */

static void
test_optim_schedule (void)
{
  const double lr = 0.1, lr_min = 0.001;

  for (guint64 s = 0; s < 1000; s += 37)
    g_assert_cmpfloat (lab_schedule_lr (LAB_SCHEDULE_CONSTANT, lr, 0.1, 2, lr_min, s, 10, 100),
                       ==, lr);

  /* step: ×0.1 every 2 epochs of 10 steps → changes at steps 20 and 40 */
  {
    const struct { guint64 step; double lr; } at[] = {
      { 0, 0.1 }, { 9, 0.1 }, { 10, 0.1 }, { 19, 0.1 }, { 20, 0.01 }, { 39, 0.01 },
      { 40, 0.001 }, { 59, 0.001 }, { 60, 0.0001 },
    };
    for (guint i = 0; i < G_N_ELEMENTS (at); i++)
      lab_assert_close (lab_schedule_lr (LAB_SCHEDULE_STEP, lr, 0.1, 2, lr_min, at[i].step, 10,
                                         1000),
                        at[i].lr, 1e-12, 0);
    /* step_epochs 1 decays every epoch */
    lab_assert_close (lab_schedule_lr (LAB_SCHEDULE_STEP, lr, 0.5, 1, 0, 30, 10, 0), 0.0125,
                      1e-12, 0);
  }

  /* cosine: lr at the start, the midpoint halfway, lr_min at the end and after */
  {
    double prev = G_MAXDOUBLE;

    lab_assert_close (lab_schedule_lr (LAB_SCHEDULE_COSINE, lr, 0, 0, lr_min, 0, 10, 100),
                      lr, 1e-12, 0);
    lab_assert_close (lab_schedule_lr (LAB_SCHEDULE_COSINE, lr, 0, 0, lr_min, 50, 10, 100),
                      (lr + lr_min) / 2, 1e-12, 0);
    lab_assert_close (lab_schedule_lr (LAB_SCHEDULE_COSINE, lr, 0, 0, lr_min, 25, 10, 100),
                      lr_min + (lr - lr_min) * (1 + cos (G_PI / 4)) / 2, 1e-12, 0);
    lab_assert_close (lab_schedule_lr (LAB_SCHEDULE_COSINE, lr, 0, 0, lr_min, 100, 10, 100),
                      lr_min, 1e-12, 0);
    lab_assert_close (lab_schedule_lr (LAB_SCHEDULE_COSINE, lr, 0, 0, lr_min, 250, 10, 100),
                      lr_min, 1e-12, 0);
    for (guint64 s = 0; s <= 100; s++)
      {
        double v = lab_schedule_lr (LAB_SCHEDULE_COSINE, lr, 0, 0, lr_min, s, 10, 100);
        g_assert_cmpfloat (v, <=, prev);
        g_assert_cmpfloat (v, >=, lr_min - 1e-15);
        prev = v;
      }
  }
}

/* ------------------------------------------------------------------------------------------ */
/* clipping */

static void
test_optim_clip (void)
{
  /* norm: (3, 4) has norm 5 */
  {
    float g[] = { 3.0f, 4.0f };
    double norm = lab_clip (LAB_CLIP_NORM, 1.0, g, 2);

    lab_assert_close (norm, 5.0, 1e-12, 0);
    lab_assert_close (sqrt (lab_sum_squares (g, 2)), 1.0, 1e-6, 0);
    lab_assert_close (g[0], 0.6, 1e-6, 0);   /* direction kept */
    lab_assert_close (g[1], 0.8, 1e-6, 0);
  }
  {
    float g[] = { 3.0f, 4.0f };
    double norm = lab_clip (LAB_CLIP_NORM, 10.0, g, 2);

    lab_assert_close (norm, 5.0, 1e-12, 0);
    g_assert_cmpfloat (g[0], ==, 3.0f);      /* below the max: untouched */
    g_assert_cmpfloat (g[1], ==, 4.0f);
  }
  /* a big random vector */
  {
    const gsize n = 1000;
    g_autofree float *g = g_new (float, n);
    LabRng rng;
    double before;

    lab_rng_init (&rng, 50);
    for (gsize i = 0; i < n; i++)
      g[i] = lab_rng_normal (&rng);
    before = sqrt (lab_sum_squares (g, n));
    lab_assert_close (lab_clip (LAB_CLIP_NORM, 2.5, g, n), before, 1e-12, 0);
    lab_assert_close (sqrt (lab_sum_squares (g, n)), 2.5, 1e-5, 0);
  }
  /* value: clamp each entry */
  {
    float g[] = { -3.0f, 0.5f, 4.0f, -0.25f, 1.0f };
    const float want[] = { -1.0f, 0.5f, 1.0f, -0.25f, 1.0f };
    double norm = lab_clip (LAB_CLIP_VALUE, 1.0, g, 5);

    lab_assert_close (norm, sqrt (9 + 0.25 + 16 + 0.0625 + 1), 1e-12, 0);
    g_assert_cmpmem (g, sizeof g, want, sizeof want);
  }
  /* none: only measures */
  {
    float g[] = { 3.0f, -4.0f };
    lab_assert_close (lab_clip (LAB_CLIP_NONE, 0.1, g, 2), 5.0, 1e-12, 0);
    g_assert_cmpfloat (g[0], ==, 3.0f);
    g_assert_cmpfloat (g[1], ==, -4.0f);
  }
}

static void
test_optim_strings (void)
{
  for (int k = LAB_OPTIM_SGD; k <= LAB_OPTIM_ADAM; k++)
    {
      LabOptimKind back;
      g_assert_true (lab_optim_kind_from_string (lab_optim_kind_to_string (k), &back));
      g_assert_cmpint (back, ==, k);
    }
  for (int k = LAB_SCHEDULE_CONSTANT; k <= LAB_SCHEDULE_COSINE; k++)
    {
      LabScheduleKind back;
      g_assert_true (lab_schedule_kind_from_string (lab_schedule_kind_to_string (k), &back));
      g_assert_cmpint (back, ==, k);
    }
  for (int k = LAB_CLIP_NONE; k <= LAB_CLIP_VALUE; k++)
    {
      LabClipMode back;
      g_assert_true (lab_clip_mode_from_string (lab_clip_mode_to_string (k), &back));
      g_assert_cmpint (back, ==, k);
    }
}

/* The vectorised update against its plain scalar twin (lab_optim_step_ref): the same rule in
 * float, so parameters and optimiser state must agree bit for bit, and the per-range sums to
 * rounding (float lanes of up to 256 terms each, folded into double, against one double sum). Gradients are not masked and pruned weights start
 * non-zero, so the mask alone must put pruned weights and their state at exactly zero. */
static void
test_optim_vector_vs_ref (void)
{
  LabOptimSpec specs[] = { sgd_spec, momentum_spec, nesterov_spec, adam_spec };
  const gsize n = 10013, off[] = { 3, 4101, 9000 }, len[] = { 4097, 4101, 1011 };

  for (guint k = 0; k < G_N_ELEMENTS (specs); k++)
    for (guint masked = 0; masked < 2; masked++)
      {
        LabOptimSpec spec = specs[k];
        g_autoptr(LabOptim) vec = NULL, ref = NULL;
        g_autofree float *p = g_new (float, n), *q = g_new (float, n), *g = g_new (float, n);
        g_autofree float *mask = g_new (float, n);
        LabRng rng;

        spec.weight_decay = 0.01;
        vec = lab_optim_new (&spec, n);
        ref = lab_optim_new (&spec, n);
        lab_rng_init (&rng, 90 + k);
        for (gsize i = 0; i < n; i++)
          {
            mask[i] = masked && lab_rng_uniform (&rng) < 0.3 ? 0.0f : 1.0f;
            p[i] = q[i] = (float) lab_rng_normal (&rng);
          }
        for (guint t = 1; t <= 4; t++)
          {
            double dsq[3], wsq[3], rdsq[3], rwsq[3];

            for (gsize i = 0; i < n; i++)
              g[i] = (float) lab_rng_normal (&rng);
            lab_optim_step (vec, p, g, masked ? mask : NULL, 0.05, off, len, 3, dsq, wsq);
            lab_optim_step_ref (ref, q, g, masked ? mask : NULL, 0.05, off, len, 3, rdsq, rwsq);
            g_assert_true (memcmp (p, q, n * sizeof (float)) == 0);
            if (vec->m)
              g_assert_true (memcmp (vec->m, ref->m, n * sizeof (float)) == 0);
            if (vec->v)
              g_assert_true (memcmp (vec->v, ref->v, n * sizeof (float)) == 0);
            for (guint r = 0; r < 3; r++)
              {
                lab_assert_close (dsq[r], rdsq[r], 1e-4, 0);
                lab_assert_close (wsq[r], rwsq[r], 1e-4, 0);
                g_assert_cmpfloat (wsq[r], >, 0);
              }
            for (gsize i = 0; masked && i < n; i++)
              if (mask[i] == 0.0f)
                {
                  g_assert_cmpfloat (p[i], ==, 0.0f);
                  g_assert_true (vec->m == NULL || vec->m[i] == 0.0f);
                  g_assert_true (vec->v == NULL || vec->v[i] == 0.0f);
                }
          }
      }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/engine/optim/sgd", test_optim_sgd);
  g_test_add_func ("/engine/optim/weight-decay", test_optim_weight_decay);
  g_test_add_func ("/engine/optim/momentum", test_optim_momentum);
  g_test_add_func ("/engine/optim/nesterov", test_optim_nesterov);
  g_test_add_func ("/engine/optim/adam-first-step", test_optim_adam_first_step);
  g_test_add_func ("/engine/optim/adam-two-steps", test_optim_adam_two_steps);
  g_test_add_func ("/engine/optim/mask", test_optim_mask);
  g_test_add_func ("/engine/optim/delta-sq", test_optim_delta_sq);
  g_test_add_func ("/engine/optim/long-vs-scalar", test_optim_long_vs_scalar);
  g_test_add_func ("/engine/optim/vector-vs-ref", test_optim_vector_vs_ref);
  g_test_add_func ("/engine/optim/schedule", test_optim_schedule);
  g_test_add_func ("/engine/optim/clip", test_optim_clip);
  g_test_add_func ("/engine/optim/strings", test_optim_strings);

  return g_test_run ();
}
