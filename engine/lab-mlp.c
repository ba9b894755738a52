/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-mlp.c: the network's layout, initialisation, forward and backward passes.
 *
 * Forward, layer l:   z_l = a_{l-1}·W_lᵀ + b_l,  a_l = f_l(z_l) (+ a_{l-1} with a skip)
 * Backward, layer l:  δ_l = ∂L/∂z_l = ∂L/∂a_l ⊙ f_l'(z_l)
 *                     G_W += δ_lᵀ·a_{l-1},  G_b += Σ_B δ_l,  ∂L/∂a_{l-1} = δ_l·W_l (+ ∂L/∂a_l)
 * The output layer is linear: δ_L = ∂L/∂logits comes from the loss.
 */
#define G_LOG_DOMAIN "lab-engine"
#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "lab-enum-private.h"
#include "lab-error.h"
#include "lab-loss.h"
#include "lab-mlp.h"
#include "lab-ops.h"
#include "lab-vec-private.h"

const LabEnumNick lab_activation_nicks[] = {
  { LAB_ACT_SIGMOID, "sigmoid" },
  { LAB_ACT_TANH, "tanh" },
  { LAB_ACT_RELU, "relu" },
  { LAB_ACT_LEAKY_RELU, "leaky-relu" },
  { LAB_ACT_ELU, "elu" },
  { LAB_ACT_LINEAR, "linear" },
  { 0, NULL },
};

const LabEnumNick lab_init_nicks[] = {
  { LAB_INIT_UNIFORM, "uniform" },
  { LAB_INIT_NORMAL, "normal" },
  { LAB_INIT_XAVIER_UNIFORM, "xavier-uniform" },
  { LAB_INIT_XAVIER_NORMAL, "xavier-normal" },
  { LAB_INIT_HE_UNIFORM, "he-uniform" },
  { LAB_INIT_HE_NORMAL, "he-normal" },
  { LAB_INIT_LECUN, "lecun" },
  { 0, NULL },
};

LAB_DEFINE_ENUM_STRINGS (LabActivation, lab_activation, lab_activation_nicks)
LAB_DEFINE_ENUM_STRINGS (LabInit, lab_init, lab_init_nicks)

#define LEAKY_SLOPE 0.01f

/* ------------------------------------------------------------------------------------------ */
/* activations */

/* The loops below take restrict copies of their pointers and use selects rather than branches:
 * a ReLU's sign is a coin flip per element, and a branch there mispredicts half the time
 * (measured: the scalar branchy loop cost as much as a small sgemm). */
void
lab_activation_forward (LabActivation  act,
                        const float   *z_,
                        float         *a_,
                        gsize          n)
{
  if (act == LAB_ACT_LINEAR)
    {
      if (a_ != z_)
        memcpy (a_, z_, n * sizeof (float));
      return;
    }

  {
    const float *restrict z = z_;
    float *restrict a = a_;

    g_assert (a_ != z_);
    switch (act)
      {
      case LAB_ACT_SIGMOID:
        for (gsize i = 0; i < n; i++)
          a[i] = 1.0f / (1.0f + expf (-z[i]));
        break;
      case LAB_ACT_TANH:
        for (gsize i = 0; i < n; i++)
          a[i] = tanhf (z[i]);
        break;
      case LAB_ACT_RELU:
        for (gsize i = 0; i < n; i++)
          {
            float x = z[i];
            a[i] = x > 0.0f ? x : 0.0f;
          }
        break;
      case LAB_ACT_LEAKY_RELU:
        for (gsize i = 0; i < n; i++)
          {
            float x = z[i], lo = LEAKY_SLOPE * x;
            a[i] = x > 0.0f ? x : lo;
          }
        break;
      case LAB_ACT_ELU:
      default:
        for (gsize i = 0; i < n; i++)
          a[i] = z[i] > 0.0f ? z[i] : expm1f (z[i]);
        break;
      }
  }
}

void
lab_activation_backward (LabActivation  act,
                         const float   *z_,
                         const float   *a_,
                         const float   *da_,
                         float         *dz_,
                         gsize          n)
{
  const float *restrict z = z_;
  const float *restrict da = da_;
  float *restrict dz = dz_;

  if (act == LAB_ACT_LINEAR)
    {
      if (dz_ != da_)
        memcpy (dz_, da_, n * sizeof (float));
      return;
    }

  g_assert (dz_ != da_ && dz_ != z_);
  switch (act)
    {
    case LAB_ACT_SIGMOID:
      /* σ' = σ(1 - σ); recomputed from z because a may include a skip term */
      for (gsize i = 0; i < n; i++)
        {
          float s = 1.0f / (1.0f + expf (-z[i]));
          dz[i] = da[i] * s * (1.0f - s);
        }
      break;
    case LAB_ACT_TANH:
      for (gsize i = 0; i < n; i++)
        {
          float t = tanhf (z[i]);
          dz[i] = da[i] * (1.0f - t * t);
        }
      break;
    case LAB_ACT_RELU:
      for (gsize i = 0; i < n; i++)
        {
          float d = da[i];   /* an unconditional load lets the select vectorise */
          dz[i] = z[i] > 0.0f ? d : 0.0f;
        }
      break;
    case LAB_ACT_LEAKY_RELU:
      for (gsize i = 0; i < n; i++)
        {
          float d = da[i], lo = LEAKY_SLOPE * d;
          dz[i] = z[i] > 0.0f ? d : lo;
        }
      break;
    case LAB_ACT_ELU:
    default:
      for (gsize i = 0; i < n; i++)
        dz[i] = da[i] * (z[i] > 0.0f ? 1.0f : expf (z[i]));
      break;
    }
  (void) a_;
}

/* ------------------------------------------------------------------------------------------ */
/* layout */

gboolean
lab_mlp_shape_validate (const LabMlpShape *shape,
                        GError           **error)
{
  if (shape->n_in < 1 || shape->n_in > LAB_MAX_INPUT)
    {
      g_set_error (error, LAB_ENGINE_ERROR, LAB_ENGINE_ERROR_INVALID,
                   _("the network has %zu inputs; it must have 1 to %d"),
                   shape->n_in, LAB_MAX_INPUT);
      return FALSE;
    }
  if (shape->n_out < 1 || shape->n_out > LAB_MAX_CLASSES)
    {
      g_set_error (error, LAB_ENGINE_ERROR, LAB_ENGINE_ERROR_INVALID,
                   _("the network has %zu outputs; it must have 1 to %d"), shape->n_out,
                   LAB_MAX_CLASSES);
      return FALSE;
    }
  if (shape->n_hidden > LAB_MAX_HIDDEN)
    {
      g_set_error (error, LAB_ENGINE_ERROR, LAB_ENGINE_ERROR_INVALID,
                   _("%u hidden layers requested; the limit is %d"),
                   shape->n_hidden, LAB_MAX_HIDDEN);
      return FALSE;
    }
  for (guint l = 0; l < shape->n_hidden; l++)
    if (shape->hidden[l] < 1 || shape->hidden[l] > LAB_MAX_WIDTH)
      {
        g_set_error (error, LAB_ENGINE_ERROR, LAB_ENGINE_ERROR_INVALID,
                     _("hidden layer %u has %zu units; the limit is 1 to %d units per layer"),
                     l + 1, shape->hidden[l], LAB_MAX_WIDTH);
        return FALSE;
      }
  if (shape->max_batch < 1 || shape->max_batch > LAB_MAX_BATCH)
    {
      g_set_error (error, LAB_ENGINE_ERROR, LAB_ENGINE_ERROR_INVALID,
                   _("batch size %zu is out of range 1 to %d"), shape->max_batch, LAB_MAX_BATCH);
      return FALSE;
    }
  /* Sizes before allocation: every factor above is bounded, so these sums cannot overflow
   * (65536 × 4096 × 33 layers < 2^44). */
  {
    gsize prev = shape->n_in, n_params = 0, widths = 0, max_width = shape->n_out, workspace;

    for (guint l = 0; l <= shape->n_hidden; l++)
      {
        gsize w = l < shape->n_hidden ? shape->hidden[l] : shape->n_out;

        n_params += prev * w + w;
        widths += w;
        max_width = MAX (max_width, w);
        prev = w;
      }
    if (n_params > LAB_MAX_PARAMS)
      {
        g_set_error (error, LAB_ENGINE_ERROR, LAB_ENGINE_ERROR_INVALID,
                     _("the network would have %zu parameters; the limit is %d (200 million)"),
                     n_params, LAB_MAX_PARAMS);
        return FALSE;
      }
    /* inputs, z and a per layer, dz, and the two da buffers (see mlp_alloc()) */
    workspace = shape->max_batch * (shape->n_in + 2 * widths + 3 * max_width);
    if (workspace > LAB_MAX_WORKSPACE)
      {
        g_set_error (error, LAB_ENGINE_ERROR, LAB_ENGINE_ERROR_INVALID,
                     _("a batch of %zu through layers this wide needs %zu MiB of activations; "
                       "the limit is %d MiB: use a smaller batch or narrower layers"),
                     shape->max_batch, workspace * sizeof (float) >> 20,
                     (int) ((gsize) LAB_MAX_WORKSPACE * sizeof (float) >> 20));
        return FALSE;
      }
  }
  if (!(shape->init_scale > 0 && shape->init_scale <= 100) || !isfinite (shape->bias_init))
    {
      g_set_error (error, LAB_ENGINE_ERROR, LAB_ENGINE_ERROR_INVALID,
                   _("init scale %g must be in (0, 100] and the bias finite"), shape->init_scale);
      return FALSE;
    }
  return TRUE;
}

static void
mlp_alloc (LabMlp *mlp)
{
  gsize max_width = 0;

  mlp->params = g_aligned_alloc0 (mlp->n_params, sizeof (float), 64);
  mlp->grads = g_aligned_alloc0 (mlp->n_params, sizeof (float), 64);
  for (guint l = 0; l < mlp->n_layers; l++)
    {
      gsize n = mlp->ws_batch * mlp->sizes[l + 1];
      mlp->z[l] = g_aligned_alloc0 (n, sizeof (float), 64);
      /* the output layer is linear: its activations are its logits */
      mlp->a[l] = l + 1 == mlp->n_layers ? mlp->z[l] : g_aligned_alloc0 (n, sizeof (float), 64);
      max_width = MAX (max_width, mlp->sizes[l + 1]);
    }
  mlp->dz = g_aligned_alloc0 (mlp->ws_batch * max_width, sizeof (float), 64);
  mlp->da = g_aligned_alloc0 (2 * mlp->ws_batch * max_width, sizeof (float), 64);
  mlp->unit_delta = g_aligned_alloc0 (lab_mlp_n_units (mlp), sizeof (float), 64);
}

LabMlp *
lab_mlp_new (const LabMlpShape *shape,
             GError           **error)
{
  LabMlp *mlp;
  gsize off = 0;

  g_return_val_if_fail (shape != NULL, NULL);

  if (!lab_mlp_shape_validate (shape, error))
    return NULL;

  mlp = g_new0 (LabMlp, 1);
  mlp->shape = *shape;
  mlp->n_layers = shape->n_hidden + 1;
  mlp->sizes[0] = shape->n_in;
  for (guint l = 0; l < shape->n_hidden; l++)
    {
      mlp->sizes[l + 1] = shape->hidden[l];
      mlp->act[l] = shape->act[l];
    }
  mlp->sizes[mlp->n_layers] = shape->n_out;
  mlp->act[mlp->n_layers - 1] = LAB_ACT_LINEAR;

  for (guint l = 0; l < mlp->n_layers; l++)
    {
      /* Skips join equal-width hidden layers only: never the input or the logits. */
      mlp->skip[l] = shape->residual && l > 0 && l + 1 < mlp->n_layers
                     && mlp->sizes[l] == mlp->sizes[l + 1];
      mlp->w_off[l] = off;
      off += mlp->sizes[l + 1] * mlp->sizes[l];
      mlp->n_weights += mlp->sizes[l + 1] * mlp->sizes[l];
      mlp->b_off[l] = off;
      off += mlp->sizes[l + 1];
    }
  mlp->n_params = off;
  for (guint l = 1; l < mlp->n_layers; l++)
    mlp->unit_off[l] = mlp->unit_off[l - 1] + mlp->sizes[l];
  mlp->ws_batch = shape->max_batch;
  mlp_alloc (mlp);

  return mlp;
}

void
lab_mlp_free (LabMlp *mlp)
{
  if (mlp == NULL)
    return;
  for (guint l = 0; l < mlp->n_layers; l++)
    {
      if (mlp->a[l] != mlp->z[l])
        g_aligned_free (mlp->a[l]);
      g_aligned_free (mlp->z[l]);
    }
  g_aligned_free (mlp->dz);
  g_aligned_free (mlp->da);
  g_aligned_free (mlp->unit_delta);
  g_aligned_free (mlp->params);
  g_aligned_free (mlp->grads);
  g_aligned_free (mlp->mask);
  g_free (mlp);
}

LabMlp *
lab_mlp_copy (const LabMlp *mlp)
{
  LabMlp *copy = g_new0 (LabMlp, 1);

  *copy = *mlp;
  copy->mask = NULL;
  mlp_alloc (copy);
  memcpy (copy->unit_delta, mlp->unit_delta, lab_mlp_n_units (mlp) * sizeof (float));
  memcpy (copy->params, mlp->params, mlp->n_params * sizeof (float));
  memcpy (copy->grads, mlp->grads, mlp->n_params * sizeof (float));
  if (mlp->mask != NULL)
    {
      copy->mask = g_aligned_alloc (mlp->n_params, sizeof (float), 64);
      memcpy (copy->mask, mlp->mask, mlp->n_params * sizeof (float));
    }
  return copy;
}

void
lab_mlp_init_params (LabMlp *mlp,
                     LabRng *rng)
{
  const LabMlpShape *s = &mlp->shape;

  for (guint l = 0; l < mlp->n_layers; l++)
    {
      double fan_in = (double) mlp->sizes[l];
      double fan_out = (double) mlp->sizes[l + 1];
      LabView w = lab_mlp_weight (mlp, l);
      LabView b = lab_mlp_bias (mlp, l);
      gboolean normal;
      double a;

      switch (s->init)
        {
        case LAB_INIT_UNIFORM:        normal = FALSE; a = s->init_scale / sqrt (fan_in); break;
        case LAB_INIT_NORMAL:         normal = TRUE;  a = s->init_scale / sqrt (fan_in); break;
        case LAB_INIT_XAVIER_UNIFORM: normal = FALSE; a = sqrt (6.0 / (fan_in + fan_out)); break;
        case LAB_INIT_XAVIER_NORMAL:  normal = TRUE;  a = sqrt (2.0 / (fan_in + fan_out)); break;
        case LAB_INIT_HE_UNIFORM:     normal = FALSE; a = sqrt (6.0 / fan_in); break;
        case LAB_INIT_HE_NORMAL:      normal = TRUE;  a = sqrt (2.0 / fan_in); break;
        case LAB_INIT_LECUN:
        default:                      normal = TRUE;  a = sqrt (1.0 / fan_in); break;
        }

      for (gsize i = 0; i < w.rows * w.cols; i++)
        w.data[i] = normal ? (float) a * lab_rng_normal (rng)
                           : (float) a * (2.0f * lab_rng_uniform (rng) - 1.0f);
      for (gsize i = 0; i < b.rows; i++)
        b.data[i] = (float) s->bias_init;
    }

  g_clear_pointer (&mlp->mask, g_aligned_free);
}

gsize
lab_mlp_n_units (const LabMlp *mlp)
{
  return mlp->unit_off[mlp->n_layers - 1] + mlp->sizes[mlp->n_layers];
}

LabView
lab_mlp_weight (const LabMlp *mlp,
                guint         layer)
{
  g_assert (layer < mlp->n_layers);
  return (LabView) { mlp->params + mlp->w_off[layer], mlp->sizes[layer + 1], mlp->sizes[layer] };
}

LabView
lab_mlp_bias (const LabMlp *mlp,
              guint         layer)
{
  g_assert (layer < mlp->n_layers);
  return (LabView) { mlp->params + mlp->b_off[layer], mlp->sizes[layer + 1], 1 };
}

LabView
lab_mlp_weight_grad (const LabMlp *mlp,
                     guint         layer)
{
  g_assert (layer < mlp->n_layers);
  return (LabView) { mlp->grads + mlp->w_off[layer], mlp->sizes[layer + 1], mlp->sizes[layer] };
}

LabView
lab_mlp_bias_grad (const LabMlp *mlp,
                   guint         layer)
{
  g_assert (layer < mlp->n_layers);
  return (LabView) { mlp->grads + mlp->b_off[layer], mlp->sizes[layer + 1], 1 };
}

/* ------------------------------------------------------------------------------------------ */
/* passes */

const float *
lab_mlp_forward (LabMlp      *mlp,
                 const float *x,
                 gsize        batch)
{
  const float *in = x;

  g_assert (batch >= 1 && batch <= mlp->ws_batch);

  for (guint l = 0; l < mlp->n_layers; l++)
    {
      gsize K = mlp->sizes[l], N = mlp->sizes[l + 1];
      gsize n = batch * N;

      lab_linear_forward (mlp->z[l], in, mlp->params + mlp->w_off[l],
                          mlp->params + mlp->b_off[l], batch, K, N);
      lab_activation_forward (mlp->act[l], mlp->z[l], mlp->a[l], n);
      if (mlp->skip[l])
        for (gsize i = 0; i < n; i++)
          mlp->a[l][i] += in[i];
      in = mlp->a[l];
    }

  return mlp->z[mlp->n_layers - 1];
}

void
lab_mlp_predict (LabMlp      *mlp,
                 const float *x,
                 gsize        n,
                 guint8      *classes,
                 float       *confidence)
{
  lab_mlp_predict_each (mlp, x, n, classes, confidence, NULL, NULL);
}

void
lab_mlp_predict_each (LabMlp          *mlp,
                      const float     *x,
                      gsize            n,
                      guint8          *classes,
                      float           *confidence,
                      LabMlpBatchFunc  func,
                      gpointer         user_data)
{
  gsize C = mlp->sizes[mlp->n_layers], K = mlp->sizes[0];

  g_return_if_fail (C <= 256);

  for (gsize start = 0; start < n; start += mlp->ws_batch)
    {
      gsize B = MIN (mlp->ws_batch, n - start);
      const float *logits = lab_mlp_forward (mlp, x + start * K, B);

      for (gsize i = 0; i < B; i++)
        {
          gsize best;
          confidence[start + i] = (float) lab_softmax_top (logits + i * C, C, &best);
          classes[start + i] = (guint8) best;
        }
      if (func != NULL)
        func (mlp, start, B, user_data);
    }
}

/* out[j] = Σ_b dz[b, j]², row by row so the loop runs along contiguous units. */
static void
unit_sum_squares (const float *dz_,
                  gsize        B,
                  gsize        N,
                  float       *out_)
{
  float *restrict out = out_;

  memset (out, 0, N * sizeof (float));
  for (gsize b = 0; b < B; b++)
    {
      const float *restrict row = dz_ + b * N;
      for (gsize j = 0; j < N; j++)
        out[j] += row[j] * row[j];
    }
}

void
lab_mlp_backward (LabMlp      *mlp,
                  const float *x,
                  const float *dlogits,
                  gsize        batch,
                  gboolean     accumulate)
{
  gsize max_width = 0;
  float *da_cur, *da_next;

  for (guint l = 0; l < mlp->n_layers; l++)
    max_width = MAX (max_width, mlp->sizes[l + 1]);
  da_cur = mlp->da;
  da_next = mlp->da + mlp->ws_batch * max_width;

  mlp->unit_delta_filled |= mlp->unit_delta_on;
  for (int l = (int) mlp->n_layers - 1; l >= 0; l--)
    {
      gsize K = mlp->sizes[l], N = mlp->sizes[l + 1];
      const float *in = l == 0 ? x : mlp->a[l - 1];
      const float *dz;

      if (l == (int) mlp->n_layers - 1)
        dz = dlogits;
      else
        {
          lab_activation_backward (mlp->act[l], mlp->z[l], mlp->a[l], da_cur, mlp->dz,
                                   batch * N);
          dz = mlp->dz;
        }
      mlp->delta_norm[l] = (float) sqrt (lab_sum_squares (dz, batch * N));
      if (mlp->unit_delta_on)
        unit_sum_squares (dz, batch, N, mlp->unit_delta + mlp->unit_off[l]);

      lab_linear_backward (l > 0 ? da_next : NULL,
                           mlp->grads + mlp->w_off[l], mlp->grads + mlp->b_off[l],
                           dz, in, mlp->params + mlp->w_off[l], batch, K, N, accumulate);
      if (l > 0 && mlp->skip[l])
        for (gsize i = 0; i < batch * N; i++)
          da_next[i] += da_cur[i];

      float *t = da_cur;
      da_cur = da_next;
      da_next = t;
    }
}

void
lab_mlp_zero_grad (LabMlp *mlp)
{
  memset (mlp->grads, 0, mlp->n_params * sizeof (float));
}

void
lab_mlp_set_unit_delta (LabMlp   *mlp,
                        gboolean  on)
{
  mlp->unit_delta_on = !!on;
}

/* ------------------------------------------------------------------------------------------ */
/* masks */

float *
lab_mlp_ensure_mask (LabMlp *mlp)
{
  if (mlp->mask == NULL)
    {
      mlp->mask = g_aligned_alloc (mlp->n_params, sizeof (float), 64);
      for (gsize i = 0; i < mlp->n_params; i++)
        mlp->mask[i] = 1.0f;
    }
  return mlp->mask;
}

void
lab_mlp_apply_mask (LabMlp *mlp)
{
  if (mlp->mask == NULL)
    return;
  for (gsize i = 0; i < mlp->n_params; i++)
    if (mlp->mask[i] == 0.0f)
      mlp->params[i] = 0.0f;
}

double
lab_mlp_layer_sparsity (const LabMlp *mlp,
                        guint         layer)
{
  gsize n = mlp->sizes[layer] * mlp->sizes[layer + 1], pruned = 0;
  const float *m;

  if (mlp->mask == NULL)
    return 0.0;
  m = mlp->mask + mlp->w_off[layer];
  for (gsize i = 0; i < n; i++)
    pruned += (m[i] == 0.0f);
  return (double) pruned / (double) n;
}

double
lab_mlp_total_sparsity (const LabMlp *mlp)
{
  double pruned = 0;

  if (mlp->mask == NULL)
    return 0.0;
  for (guint l = 0; l < mlp->n_layers; l++)
    pruned += lab_mlp_layer_sparsity (mlp, l) * (double) (mlp->sizes[l] * mlp->sizes[l + 1]);
  return pruned / (double) mlp->n_weights;
}

/* ------------------------------------------------------------------------------------------ */
/* statistics */

void
lab_mlp_activation_stats (const LabMlp  *mlp,
                          guint          layer,
                          gsize          batch,
                          LabLayerStats *st)
{
  gsize N = mlp->sizes[layer + 1], n = batch * N;
  const float *restrict z = mlp->z[layer], *restrict a = mlp->a[layer];
  LabActivation act = mlp->act[layer];
  double sum = 0, sum2 = 0;
  gsize saturated = 0, dead_units = 0;
  /* |z| beyond which σ or tanh is within 1 % of an asymptote: logit(0.99), atanh(0.99) */
  const float sat_sigmoid = 4.59512f, sat_tanh = 2.64665f;

  /* float lanes folded per row keep this a vectorised pass (statistics for display) */
  for (gsize r = 0; r < batch; r++)
    {
      const float *restrict ar = a + r * N;
      LabVec s1a = { 0 }, s1b = { 0 }, s2a = { 0 }, s2b = { 0 };
      gsize i = 0;
      for (; i + 2 * LAB_VEC_LANES <= N; i += 2 * LAB_VEC_LANES)
        {
          LabVec xa = lab_vec_load (ar + i), xb = lab_vec_load (ar + i + LAB_VEC_LANES);
          s1a += xa;
          s1b += xb;
          s2a += xa * xa;
          s2b += xb * xb;
        }
      for (; i < N; i++)
        {
          sum += ar[i];
          sum2 += (double) ar[i] * ar[i];
        }
      lab_vec_fold (&sum, s1a);
      lab_vec_fold (&sum, s1b);
      lab_vec_fold (&sum2, s2a);
      lab_vec_fold (&sum2, s2b);
    }
  st->act_mean = (float) (sum / (double) n);
  st->act_std = (float) sqrt (MAX (0.0, sum2 / (double) n - (sum / n) * (sum / n)));

  if (act == LAB_ACT_SIGMOID || act == LAB_ACT_TANH)
    {
      float lim = act == LAB_ACT_SIGMOID ? sat_sigmoid : sat_tanh;
      for (gsize i = 0; i < n; i++)
        saturated += fabsf (z[i]) > lim;
    }
  st->act_saturated = (float) saturated / (float) n;

  if (act == LAB_ACT_RELU || act == LAB_ACT_LEAKY_RELU || act == LAB_ACT_ELU)
    {
      /* a unit is dead for this batch if no sample switches it on; row-wise, as vectors */
      gint32 alive[LAB_MAX_WIDTH] = { 0 };
      for (gsize r = 0; r < batch; r++)
        {
          const float *restrict zr = z + r * N;
          gsize o = 0;
          for (; o + LAB_VEC_LANES <= N; o += LAB_VEC_LANES)
            {
              LabVecI on;
              memcpy (&on, alive + o, sizeof on);
              on |= lab_vec_load (zr + o) > 0.0f;
              memcpy (alive + o, &on, sizeof on);
            }
          for (; o < N; o++)
            alive[o] |= zr[o] > 0.0f;
        }
      for (gsize o = 0; o < N; o++)
        dead_units += !alive[o];
    }
  st->act_dead = (float) dead_units / (float) N;
}
