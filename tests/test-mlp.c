/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * test-mlp.c: the network itself, without gradients (test-gradcheck.c has those). Covers the
 * flat-buffer layout and its PyTorch-shaped (out, in) views, the distribution every init draws
 * against the formula in lab-mlp.h, shape validation and its error messages, which layers get
 * residual skips, each activation and its derivative against hand-computed numbers, the
 * forward pass against a naive double-precision reference, the activation statistics on a
 * hand-made batch, deep copies, and the pruning mask helpers.
 */
#define G_LOG_DOMAIN "lab-test"
#include "config.h"

#include <math.h>
#include <string.h>

#include "lab-error.h"
#include "lab-loss.h"
#include "lab-mlp.h"
#include "lab-ops.h"
#include "lab-rng.h"
#include "lab-test-utils.h"

static LabMlpShape
make_shape (gsize          n_in,
            gsize          n_out,
            guint          n_hidden,
            const gsize   *hidden,
            LabActivation  act)
{
  LabMlpShape s = { 0 };

  s.n_in = n_in;
  s.n_out = n_out;
  s.n_hidden = n_hidden;
  for (guint l = 0; l < n_hidden; l++)
    {
      s.hidden[l] = hidden[l];
      s.act[l] = act;
    }
  s.init = LAB_INIT_HE_NORMAL;
  s.init_scale = 1.0;
  s.bias_init = 0.0;
  s.max_batch = 8;
  return s;
}

/* ------------------------------------------------------------------------------------------ */
/* layout */

static void
test_mlp_layout (void)
{
  const gsize hidden[] = { 128, 64 };
  LabMlpShape s = make_shape (784, 10, 2, hidden, LAB_ACT_RELU);
  g_autoptr(GError) error = NULL;
  g_autoptr(LabMlp) mlp = lab_mlp_new (&s, &error);
  gsize off = 0;

  g_assert_no_error (error);
  g_assert_nonnull (mlp);
  g_assert_cmpuint (mlp->n_layers, ==, 3);
  g_assert_cmpuint (mlp->sizes[0], ==, 784);
  g_assert_cmpuint (mlp->sizes[1], ==, 128);
  g_assert_cmpuint (mlp->sizes[2], ==, 64);
  g_assert_cmpuint (mlp->sizes[3], ==, 10);
  g_assert_cmpuint (mlp->n_params, ==, 784 * 128 + 128 + 128 * 64 + 64 + 64 * 10 + 10);
  g_assert_cmpuint (mlp->n_weights, ==, 784 * 128 + 128 * 64 + 64 * 10);
  g_assert_cmpint (mlp->act[0], ==, LAB_ACT_RELU);
  g_assert_cmpint (mlp->act[1], ==, LAB_ACT_RELU);
  g_assert_cmpint (mlp->act[2], ==, LAB_ACT_LINEAR);

  /* W_0 b_0 W_1 b_1 W_2 b_2, packed back to back; views are (out, in) as nn.Linear */
  for (guint l = 0; l < mlp->n_layers; l++)
    {
      LabView w = lab_mlp_weight (mlp, l), b = lab_mlp_bias (mlp, l);
      LabView gw = lab_mlp_weight_grad (mlp, l), gb = lab_mlp_bias_grad (mlp, l);

      g_assert_cmpuint (mlp->w_off[l], ==, off);
      off += mlp->sizes[l + 1] * mlp->sizes[l];
      g_assert_cmpuint (mlp->b_off[l], ==, off);
      off += mlp->sizes[l + 1];

      g_assert_true (w.data == mlp->params + mlp->w_off[l]);
      g_assert_cmpuint (w.rows, ==, mlp->sizes[l + 1]);
      g_assert_cmpuint (w.cols, ==, mlp->sizes[l]);
      g_assert_true (b.data == mlp->params + mlp->b_off[l]);
      g_assert_cmpuint (b.rows, ==, mlp->sizes[l + 1]);
      g_assert_cmpuint (b.cols, ==, 1);
      g_assert_true (gw.data == mlp->grads + mlp->w_off[l]);
      g_assert_cmpuint (gw.rows, ==, w.rows);
      g_assert_cmpuint (gw.cols, ==, w.cols);
      g_assert_true (gb.data == mlp->grads + mlp->b_off[l]);
      g_assert_cmpuint (gb.rows, ==, b.rows);
    }
  g_assert_cmpuint (off, ==, mlp->n_params);

  /* 64-byte aligned buffers, zeroed, dense */
  g_assert_cmpuint ((guintptr) mlp->params % 64, ==, 0);
  g_assert_cmpuint ((guintptr) mlp->grads % 64, ==, 0);
  g_assert_null (mlp->mask);
  for (gsize i = 0; i < mlp->n_params; i++)
    g_assert_cmpfloat (mlp->grads[i], ==, 0.0f);
  /* the output layer's activations are its logits */
  g_assert_true (mlp->a[2] == mlp->z[2]);
  g_assert_true (mlp->a[0] != mlp->z[0]);
}

static void
test_mlp_layout_no_hidden (void)
{
  LabMlpShape s = make_shape (3, 2, 0, NULL, LAB_ACT_RELU);
  g_autoptr(LabMlp) mlp = lab_mlp_new (&s, NULL);
  LabView w;

  g_assert_nonnull (mlp);
  g_assert_cmpuint (mlp->n_layers, ==, 1);
  g_assert_cmpuint (mlp->n_params, ==, 3 * 2 + 2);
  g_assert_cmpint (mlp->act[0], ==, LAB_ACT_LINEAR);
  w = lab_mlp_weight (mlp, 0);
  g_assert_cmpuint (w.rows, ==, 2);
  g_assert_cmpuint (w.cols, ==, 3);
  g_assert_cmpuint (mlp->b_off[0], ==, 6);
}

/* ------------------------------------------------------------------------------------------ */
/* initialisation */

typedef struct
{
  LabInit  init;
  gboolean normal;
} InitCase;

static double
init_expected (LabInit init,
               double  scale,
               double  fan_in,
               double  fan_out)
{
  /* σ for the normal inits, the bound a for the uniform ones, as lab-mlp.h documents */
  switch (init)
    {
    case LAB_INIT_UNIFORM:        return scale / sqrt (fan_in);
    case LAB_INIT_NORMAL:         return scale / sqrt (fan_in);
    case LAB_INIT_XAVIER_UNIFORM: return sqrt (6.0 / (fan_in + fan_out));
    case LAB_INIT_XAVIER_NORMAL:  return sqrt (2.0 / (fan_in + fan_out));
    case LAB_INIT_HE_UNIFORM:     return sqrt (6.0 / fan_in);
    case LAB_INIT_HE_NORMAL:      return sqrt (2.0 / fan_in);
    case LAB_INIT_LECUN:          return sqrt (1.0 / fan_in);
    default:                      g_assert_not_reached ();
    }
}

static void
test_mlp_init (void)
{
  const InitCase cases[] = {
    { LAB_INIT_UNIFORM, FALSE },
    { LAB_INIT_NORMAL, TRUE },
    { LAB_INIT_XAVIER_UNIFORM, FALSE },
    { LAB_INIT_XAVIER_NORMAL, TRUE },
    { LAB_INIT_HE_UNIFORM, FALSE },
    { LAB_INIT_HE_NORMAL, TRUE },
    { LAB_INIT_LECUN, TRUE },
  };
  const gsize hidden[] = { 256 };

  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      LabMlpShape s = make_shape (512, 10, 1, hidden, LAB_ACT_TANH);
      g_autoptr(LabMlp) mlp = NULL;
      LabRng rng;

      s.init = cases[c].init;
      s.init_scale = 2.0;   /* only the uniform and normal inits use it */
      s.bias_init = 0.25;
      mlp = lab_mlp_new (&s, NULL);
      g_assert_nonnull (mlp);
      lab_rng_init (&rng, 100 + c);
      lab_mlp_init_params (mlp, &rng);

      for (guint l = 0; l < mlp->n_layers; l++)
        {
          LabView w = lab_mlp_weight (mlp, l), b = lab_mlp_bias (mlp, l);
          gsize n = w.rows * w.cols;
          double fan_in = (double) w.cols, fan_out = (double) w.rows;
          double e = init_expected (cases[c].init, s.init_scale, fan_in, fan_out);
          double sum = 0, sum2 = 0, maxabs = 0;

          for (gsize i = 0; i < n; i++)
            {
              sum += w.data[i];
              sum2 += (double) w.data[i] * w.data[i];
              maxabs = MAX (maxabs, fabs (w.data[i]));
            }
          double mean = sum / n, std = sqrt (sum2 / n - mean * mean);
          /* the 256×512 layer has enough samples for 5 %; the 10×256 one gets 10 % */
          double tol = n > 100000 ? 0.05 : 0.10;

          if (cases[c].normal)
            {
              g_assert_cmpfloat (fabs (std / e - 1.0), <, tol);
              g_assert_cmpfloat (fabs (mean), <, 5.0 * e / sqrt ((double) n));
              /* a Gaussian sample of this size reaches past 3σ */
              g_assert_cmpfloat (maxabs, >, 3.0 * e);
            }
          else
            {
              /* U(-a, a): bounds respected and nearly attained, std a/√3 */
              g_assert_cmpfloat (maxabs, <=, e * (1 + 1e-6));
              g_assert_cmpfloat (maxabs, >, 0.99 * e);
              g_assert_cmpfloat (fabs (std / (e / sqrt (3.0)) - 1.0), <, tol);
              g_assert_cmpfloat (fabs (mean), <, 5.0 * e / sqrt (3.0 * n));
            }
          for (gsize i = 0; i < b.rows; i++)
            g_assert_cmpfloat (b.data[i], ==, 0.25f);
        }
    }
}

static void
test_mlp_init_deterministic (void)
{
  const gsize hidden[] = { 7, 5 };
  LabMlpShape s = make_shape (4, 3, 2, hidden, LAB_ACT_TANH);
  g_autoptr(LabMlp) a = lab_mlp_new (&s, NULL);
  g_autoptr(LabMlp) b = lab_mlp_new (&s, NULL);
  LabRng ra, rb;

  lab_rng_init (&ra, 9);
  lab_rng_init (&rb, 9);
  lab_mlp_init_params (a, &ra);
  lab_mlp_init_params (b, &rb);
  g_assert_cmpmem (a->params, a->n_params * sizeof (float), b->params, b->n_params * sizeof (float));

  lab_rng_init (&rb, 10);
  lab_mlp_init_params (b, &rb);
  g_assert_true (memcmp (a->params, b->params, a->n_params * sizeof (float)) != 0);

  /* init drops any pruning mask */
  lab_mlp_ensure_mask (a);
  lab_mlp_init_params (a, &ra);
  g_assert_null (a->mask);
}

/* ------------------------------------------------------------------------------------------ */
/* validation */

static void
expect_invalid (const LabMlpShape *s,
                const char        *what)
{
  g_autoptr(GError) error = NULL;
  LabMlp *mlp;

  g_assert_false (lab_mlp_shape_validate (s, &error));
  g_assert_error (error, LAB_ENGINE_ERROR, LAB_ENGINE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, what));
  g_clear_error (&error);

  mlp = lab_mlp_new (s, &error);
  g_assert_null (mlp);
  g_assert_error (error, LAB_ENGINE_ERROR, LAB_ENGINE_ERROR_INVALID);
}

static void
test_mlp_validate (void)
{
  gsize widths[LAB_MAX_HIDDEN + 1];
  LabMlpShape s;
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (widths); i++)
    widths[i] = 3;

  /* 0 and 32 hidden layers are fine; 33 is not */
  s = make_shape (4, 2, 0, NULL, LAB_ACT_RELU);
  g_assert_true (lab_mlp_shape_validate (&s, &error));
  g_assert_no_error (error);
  s = make_shape (4, 2, LAB_MAX_HIDDEN, widths, LAB_ACT_RELU);
  g_assert_true (lab_mlp_shape_validate (&s, &error));
  {
    g_autoptr(LabMlp) deep = lab_mlp_new (&s, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (deep->n_layers, ==, LAB_MAX_LAYERS);
  }
  s.n_hidden = LAB_MAX_HIDDEN + 1;
  expect_invalid (&s, "33 hidden layers");

  /* widths 1 and 4096 are fine, 0 and 4097 are not */
  s = make_shape (4, 2, 2, widths, LAB_ACT_RELU);
  s.hidden[1] = 1;
  g_assert_true (lab_mlp_shape_validate (&s, NULL));
  s.hidden[1] = LAB_MAX_WIDTH;
  g_assert_true (lab_mlp_shape_validate (&s, NULL));
  s.hidden[1] = 0;
  expect_invalid (&s, "hidden layer 2 has 0 units");
  s.hidden[1] = LAB_MAX_WIDTH + 1;
  expect_invalid (&s, "4097 units");

  /* batch */
  s = make_shape (4, 2, 1, widths, LAB_ACT_RELU);
  s.max_batch = 0;
  expect_invalid (&s, "batch size 0");
  s.max_batch = LAB_MAX_BATCH + 1;
  expect_invalid (&s, "batch size");
  s.max_batch = 1;
  g_assert_true (lab_mlp_shape_validate (&s, NULL));

  /* inputs and outputs */
  s = make_shape (0, 2, 1, widths, LAB_ACT_RELU);
  expect_invalid (&s, "0 inputs");
  s = make_shape (4, 0, 1, widths, LAB_ACT_RELU);
  expect_invalid (&s, "0 outputs");
  s = make_shape (4, LAB_MAX_CLASSES + 1, 1, widths, LAB_ACT_RELU);
  expect_invalid (&s, "outputs");

  /* init scale and bias */
  s = make_shape (4, 2, 1, widths, LAB_ACT_RELU);
  s.init_scale = 0;
  expect_invalid (&s, "init scale");
  s.init_scale = NAN;
  expect_invalid (&s, "init scale");
  s.init_scale = 1;
  s.bias_init = INFINITY;
  expect_invalid (&s, "bias");
}

static void
test_mlp_residual_flags (void)
{
  /* 5 → 6 → 6 → 4 → 4 → 4 → 4 (logits) */
  const gsize hidden[] = { 6, 6, 4, 4, 4 };
  const gboolean expected[] = { FALSE, TRUE, FALSE, TRUE, TRUE, FALSE };
  LabMlpShape s = make_shape (5, 4, 5, hidden, LAB_ACT_TANH);
  g_autoptr(LabMlp) plain = lab_mlp_new (&s, NULL);
  g_autoptr(LabMlp) res = NULL;

  for (guint l = 0; l < plain->n_layers; l++)
    g_assert_false (plain->skip[l]);

  s.residual = TRUE;
  res = lab_mlp_new (&s, NULL);
  g_assert_cmpuint (res->n_layers, ==, G_N_ELEMENTS (expected));
  for (guint l = 0; l < res->n_layers; l++)
    g_assert_cmpint (res->skip[l], ==, expected[l]);

  /* the input layer never gets a skip, even at equal widths */
  {
    const gsize h2[] = { 4, 4 };
    LabMlpShape s2 = make_shape (4, 4, 2, h2, LAB_ACT_TANH);
    g_autoptr(LabMlp) m2 = NULL;

    s2.residual = TRUE;
    m2 = lab_mlp_new (&s2, NULL);
    g_assert_false (m2->skip[0]);
    g_assert_true (m2->skip[1]);
    g_assert_false (m2->skip[2]);
  }
}

/* ------------------------------------------------------------------------------------------ */
/* activations */

static double
ref_act (LabActivation act,
         double        z,
         double       *deriv)
{
  switch (act)
    {
    case LAB_ACT_SIGMOID:
      {
        double s = 1.0 / (1.0 + exp (-z));
        *deriv = s * (1 - s);
        return s;
      }
    case LAB_ACT_TANH:
      *deriv = 1 - tanh (z) * tanh (z);
      return tanh (z);
    case LAB_ACT_RELU:
      *deriv = z > 0 ? 1 : 0;
      return z > 0 ? z : 0;
    case LAB_ACT_LEAKY_RELU:
      *deriv = z > 0 ? 1 : 0.01;
      return z > 0 ? z : 0.01 * z;
    case LAB_ACT_ELU:
      *deriv = z > 0 ? 1 : exp (z);
      return z > 0 ? z : expm1 (z);
    case LAB_ACT_LINEAR:
    default:
      *deriv = 1;
      return z;
    }
}

static void
test_mlp_activation_values (void)
{
  const float z[] = { -10.0f, -2.0f, -1.0f, -0.5f, -1e-3f, 0.0f, 1e-3f, 0.5f, 1.0f, 2.0f, 10.0f };
  const gsize n = G_N_ELEMENTS (z);
  float a[G_N_ELEMENTS (z)], dz[G_N_ELEMENTS (z)], da[G_N_ELEMENTS (z)];

  for (gsize i = 0; i < n; i++)
    da[i] = 0.5f + (float) i;   /* distinct upstream gradients */

  for (int act = LAB_ACT_SIGMOID; act <= LAB_ACT_LINEAR; act++)
    {
      lab_activation_forward (act, z, a, n);
      lab_activation_backward (act, z, a, da, dz, n);
      for (gsize i = 0; i < n; i++)
        {
          double d, f = ref_act (act, z[i], &d);
          lab_assert_close (a[i], f, 1e-6, 1e-7);
          /* σ(1 - σ) and 1 - tanh² cancel in float for large |z|: absolute error ~ε·|da| */
          lab_assert_close (dz[i], da[i] * d, 1e-6, 1e-7 * fabsf (da[i]));
        }
    }

  /* numbers by hand */
  {
    const float zz[] = { 0.0f, -1.0f, -2.0f, 3.0f };
    const float ones[] = { 1, 1, 1, 1 };
    float out[4], d[4];

    lab_activation_forward (LAB_ACT_SIGMOID, zz, out, 4);
    lab_activation_backward (LAB_ACT_SIGMOID, zz, out, ones, d, 4);
    g_assert_cmpfloat (out[0], ==, 0.5f);
    g_assert_cmpfloat (d[0], ==, 0.25f);
    lab_assert_close (out[1], 0.2689414213699951, 1e-6, 0);

    lab_activation_forward (LAB_ACT_TANH, zz, out, 4);
    lab_activation_backward (LAB_ACT_TANH, zz, out, ones, d, 4);
    g_assert_cmpfloat (out[0], ==, 0.0f);
    g_assert_cmpfloat (d[0], ==, 1.0f);
    lab_assert_close (out[1], -0.7615941559557649, 1e-6, 0);
    lab_assert_close (d[1], 0.41997434161402614, 1e-6, 0);

    lab_activation_forward (LAB_ACT_RELU, zz, out, 4);
    lab_activation_backward (LAB_ACT_RELU, zz, out, ones, d, 4);
    g_assert_cmpfloat (out[0], ==, 0.0f);
    g_assert_cmpfloat (out[1], ==, 0.0f);
    g_assert_cmpfloat (out[3], ==, 3.0f);
    g_assert_cmpfloat (d[0], ==, 0.0f);   /* ReLU'(0) = 0, as PyTorch */
    g_assert_cmpfloat (d[1], ==, 0.0f);
    g_assert_cmpfloat (d[3], ==, 1.0f);

    lab_activation_forward (LAB_ACT_LEAKY_RELU, zz, out, 4);
    lab_activation_backward (LAB_ACT_LEAKY_RELU, zz, out, ones, d, 4);
    lab_assert_close (out[1], -0.01, 1e-6, 0);
    lab_assert_close (out[2], -0.02, 1e-6, 0);
    g_assert_cmpfloat (out[3], ==, 3.0f);
    lab_assert_close (d[2], 0.01, 1e-6, 0);
    g_assert_cmpfloat (d[3], ==, 1.0f);

    lab_activation_forward (LAB_ACT_ELU, zz, out, 4);
    lab_activation_backward (LAB_ACT_ELU, zz, out, ones, d, 4);
    g_assert_cmpfloat (out[0], ==, 0.0f);
    lab_assert_close (out[1], exp (-1.0) - 1.0, 1e-6, 0);
    lab_assert_close (d[1], exp (-1.0), 1e-6, 0);
    g_assert_cmpfloat (out[3], ==, 3.0f);
    g_assert_cmpfloat (d[3], ==, 1.0f);

    lab_activation_forward (LAB_ACT_LINEAR, zz, out, 4);
    lab_activation_backward (LAB_ACT_LINEAR, zz, out, ones, d, 4);
    g_assert_cmpmem (out, sizeof out, zz, sizeof zz);
    g_assert_cmpmem (d, sizeof d, ones, sizeof ones);
  }

  /* large |z| stays finite */
  {
    const float big[] = { -100.0f, 100.0f };
    const float ones[] = { 1, 1 };
    float out[2], d[2];

    for (int act = LAB_ACT_SIGMOID; act <= LAB_ACT_LINEAR; act++)
      {
        lab_activation_forward (act, big, out, 2);
        lab_activation_backward (act, big, out, ones, d, 2);
        for (int i = 0; i < 2; i++)
          {
            g_assert_true (isfinite (out[i]));
            g_assert_true (isfinite (d[i]));
          }
      }
  }
}

static void
test_mlp_activation_strings (void)
{
  for (int act = LAB_ACT_SIGMOID; act <= LAB_ACT_LINEAR; act++)
    {
      LabActivation back;
      g_assert_true (lab_activation_from_string (lab_activation_to_string (act), &back));
      g_assert_cmpint (back, ==, act);
    }
  for (int init = LAB_INIT_UNIFORM; init <= LAB_INIT_LECUN; init++)
    {
      LabInit back;
      g_assert_true (lab_init_from_string (lab_init_to_string (init), &back));
      g_assert_cmpint (back, ==, init);
    }
  for (int loss = LAB_LOSS_SOFTMAX_CE; loss <= LAB_LOSS_MSE; loss++)
    {
      LabLoss back;
      g_assert_true (lab_loss_from_string (lab_loss_to_string (loss), &back));
      g_assert_cmpint (back, ==, loss);
    }
  {
    LabActivation a;
    g_assert_false (lab_activation_from_string ("swish", &a));
    g_assert_false (lab_activation_from_string (NULL, &a));
  }
}

/* ------------------------------------------------------------------------------------------ */
/* forward */

/* Naive forward in double, skips included; returns the logits (B, n_out), freed by caller. */
static double *
ref_forward (const LabMlp *mlp,
             const float  *x,
             gsize         B)
{
  double *in = g_new (double, B * mlp->sizes[0]);

  for (gsize i = 0; i < B * mlp->sizes[0]; i++)
    in[i] = x[i];
  for (guint l = 0; l < mlp->n_layers; l++)
    {
      gsize K = mlp->sizes[l], N = mlp->sizes[l + 1];
      const float *w = mlp->params + mlp->w_off[l], *b = mlp->params + mlp->b_off[l];
      double *out = g_new (double, B * N);

      for (gsize r = 0; r < B; r++)
        for (gsize o = 0; o < N; o++)
          {
            double s = b[o], d;
            for (gsize i = 0; i < K; i++)
              s += in[r * K + i] * w[o * K + i];
            out[r * N + o] = ref_act (mlp->act[l], s, &d);
            if (mlp->skip[l])
              out[r * N + o] += in[r * K + o];
          }
      g_free (in);
      in = out;
    }
  return in;
}

static void
test_mlp_forward (void)
{
  const gsize hidden[] = { 9, 9, 9, 6 };

  for (int act = LAB_ACT_SIGMOID; act <= LAB_ACT_LINEAR; act++)
    for (int residual = 0; residual < 2; residual++)
      {
        LabMlpShape s = make_shape (5, 4, 4, hidden, act);
        g_autoptr(LabMlp) mlp = NULL;
        g_autofree float *x = NULL;
        g_autofree double *ref = NULL;
        const float *logits;
        LabRng rng;
        gsize B = 6;

        s.residual = residual;
        s.bias_init = 0.1;
        s.act[3] = LAB_ACT_TANH;   /* mixed activations */
        mlp = lab_mlp_new (&s, NULL);
        lab_rng_init (&rng, 20 + act);
        lab_mlp_init_params (mlp, &rng);
        x = g_new (float, B * 5);
        for (gsize i = 0; i < B * 5; i++)
          x[i] = lab_rng_normal (&rng);

        logits = lab_mlp_forward (mlp, x, B);
        g_assert_true (logits == mlp->z[mlp->n_layers - 1]);
        ref = ref_forward (mlp, x, B);
        for (gsize i = 0; i < B * 4; i++)
          lab_assert_close (logits[i], ref[i], 1e-5, 1e-6);

        /* a smaller batch gives the same rows */
        logits = lab_mlp_forward (mlp, x, 2);
        for (gsize i = 0; i < 2 * 4; i++)
          lab_assert_close (logits[i], ref[i], 1e-5, 1e-6);
      }
}

/* ------------------------------------------------------------------------------------------ */
/* activation statistics */

/* A 1 → 4 → 1 net whose hidden pre-activations are z[r][o] = x[r] · w[o] + b[o]. */
static LabMlp *
stats_net (LabActivation act,
           const float  *w,
           const float  *b)
{
  const gsize hidden[] = { 4 };
  LabMlpShape s = make_shape (1, 1, 1, hidden, act);
  LabMlp *mlp = lab_mlp_new (&s, NULL);
  LabView wv = lab_mlp_weight (mlp, 0), bv = lab_mlp_bias (mlp, 0);

  memcpy (wv.data, w, 4 * sizeof (float));
  memcpy (bv.data, b, 4 * sizeof (float));
  return mlp;
}

static void
check_mean_std (const LabMlp        *mlp,
                const LabLayerStats *st,
                gsize                n)
{
  double sum = 0, sum2 = 0;
  for (gsize i = 0; i < n; i++)
    {
      sum += mlp->a[0][i];
      sum2 += (double) mlp->a[0][i] * mlp->a[0][i];
    }
  lab_assert_close (st->act_mean, sum / n, 1e-6, 1e-7);
  lab_assert_close (st->act_std, sqrt (sum2 / n - (sum / n) * (sum / n)), 1e-5, 1e-6);
}

static void
test_mlp_activation_stats (void)
{
  const float x[] = { 1.0f, -1.0f };

  /* sigmoid: z = ±10, ±1, ∓10, ±4.6 → |z| > logit(0.99) = 4.595 for 6 of 8 */
  {
    const float w[] = { 10.0f, 1.0f, -10.0f, 4.6f }, b[] = { 0, 0, 0, 0 };
    g_autoptr(LabMlp) mlp = stats_net (LAB_ACT_SIGMOID, w, b);
    LabLayerStats st = { 0 };

    lab_mlp_forward (mlp, x, 2);
    lab_mlp_activation_stats (mlp, 0, 2, &st);
    lab_assert_close (st.act_saturated, 6.0 / 8.0, 1e-6, 0);
    /* σ(z) + σ(-z) = 1 for each unit → mean 1/2 */
    lab_assert_close (st.act_mean, 0.5, 1e-6, 0);
    g_assert_cmpfloat (st.act_dead, ==, 0.0f);
    check_mean_std (mlp, &st, 8);
  }
  /* just inside the threshold: 4.59 is not saturated */
  {
    const float w[] = { 4.59f, 0.0f, 0.0f, 0.0f }, b[] = { 0, 0, 0, 0 };
    g_autoptr(LabMlp) mlp = stats_net (LAB_ACT_SIGMOID, w, b);
    LabLayerStats st = { 0 };

    lab_mlp_forward (mlp, x, 2);
    lab_mlp_activation_stats (mlp, 0, 2, &st);
    g_assert_cmpfloat (st.act_saturated, ==, 0.0f);
  }
  /* tanh: atanh(0.99) = 2.6467; z = ±3 saturated, ±2 not */
  {
    const float w[] = { 3.0f, 2.0f, 0.5f, 0.0f }, b[] = { 0, 0, 0, 0 };
    g_autoptr(LabMlp) mlp = stats_net (LAB_ACT_TANH, w, b);
    LabLayerStats st = { 0 };

    lab_mlp_forward (mlp, x, 2);
    lab_mlp_activation_stats (mlp, 0, 2, &st);
    lab_assert_close (st.act_saturated, 2.0 / 8.0, 1e-6, 0);
    lab_assert_close (st.act_mean, 0.0, 0, 1e-7);
    check_mean_std (mlp, &st, 8);
  }
  /* ReLU with x = 1, 2: z = [1 -1 -0.5 2], [2 -2 -0.5 4] → units 1 and 2 dead */
  {
    const float x2[] = { 1.0f, 2.0f };
    const float w[] = { 1.0f, -1.0f, 0.0f, 2.0f }, b[] = { 0, 0, -0.5f, 0 };
    g_autoptr(LabMlp) mlp = stats_net (LAB_ACT_RELU, w, b);
    LabLayerStats st = { 0 };

    lab_mlp_forward (mlp, x2, 2);
    lab_mlp_activation_stats (mlp, 0, 2, &st);
    lab_assert_close (st.act_dead, 0.5, 1e-6, 0);
    g_assert_cmpfloat (st.act_saturated, ==, 0.0f);
    lab_assert_close (st.act_mean, 9.0 / 8.0, 1e-6, 0);
    check_mean_std (mlp, &st, 8);

    /* a unit on for one sample only is alive */
    lab_mlp_forward (mlp, x, 2);   /* x = 1, -1: unit 1 on for the second sample */
    lab_mlp_activation_stats (mlp, 0, 2, &st);
    lab_assert_close (st.act_dead, 0.25, 1e-6, 0);
  }
}

/* Widths that run the vector loops, their tails, or both (37 = 4·8 + 5), against sums and a
 * dead-unit count done here, on a ReLU net whose dead units are chosen: bias −100 switches a
 * unit off for every input in [−1, 1]. */
static void
test_mlp_activation_stats_wide (void)
{
  const gsize widths[] = { 3, 8, 16, 37 };

  for (guint k = 0; k < G_N_ELEMENTS (widths); k++)
    {
      const gsize N = widths[k], B = 5;
      const gsize hidden[] = { N };
      LabMlpShape s = make_shape (2, 2, 1, hidden, LAB_ACT_RELU);
      g_autoptr(LabMlp) mlp = lab_mlp_new (&s, NULL);
      LabView wv = lab_mlp_weight (mlp, 0), bv = lab_mlp_bias (mlp, 0);
      float x[2 * 5];
      LabLayerStats st = { 0 };
      LabRng rng;
      gsize dead = 0;

      lab_rng_init (&rng, 11 + k);
      for (gsize i = 0; i < G_N_ELEMENTS (x); i++)
        x[i] = 2.0f * lab_rng_uniform (&rng) - 1.0f;
      for (gsize i = 0; i < 2 * N; i++)
        wv.data[i] = 2.0f * lab_rng_uniform (&rng) - 1.0f;
      for (gsize o = 0; o < N; o++)
        bv.data[o] = o % 3 == 1 ? -100.0f : 0.1f;
      lab_mlp_forward (mlp, x, B);
      lab_mlp_activation_stats (mlp, 0, B, &st);
      for (gsize o = 0; o < N; o++)
        {
          gboolean on = FALSE;
          for (gsize r = 0; r < B; r++)
            on |= mlp->z[0][r * N + o] > 0.0f;
          dead += !on;
        }
      g_assert_cmpuint (dead, >=, N / 3);
      g_assert_cmpuint (dead, <, N);
      lab_assert_close (st.act_dead, (double) dead / N, 1e-6, 0);
      check_mean_std (mlp, &st, B * N);
    }
}

/* ------------------------------------------------------------------------------------------ */
/* copies and masks */

static void
test_mlp_copy (void)
{
  const gsize hidden[] = { 6, 5 };
  LabMlpShape s = make_shape (4, 3, 2, hidden, LAB_ACT_ELU);
  g_autoptr(LabMlp) mlp = lab_mlp_new (&s, NULL);
  g_autoptr(LabMlp) copy = NULL;
  g_autofree float *params = NULL;
  float x[4 * 2], logits[3 * 2];
  LabRng rng;

  lab_rng_init (&rng, 3);
  lab_mlp_init_params (mlp, &rng);
  for (gsize i = 0; i < mlp->n_params; i++)
    mlp->grads[i] = (float) i;
  lab_mlp_ensure_mask (mlp)[2] = 0.0f;
  for (gsize i = 0; i < G_N_ELEMENTS (x); i++)
    x[i] = lab_rng_normal (&rng);
  memcpy (logits, lab_mlp_forward (mlp, x, 2), sizeof logits);

  copy = lab_mlp_copy (mlp);
  g_assert_cmpuint (copy->n_params, ==, mlp->n_params);
  g_assert_true (copy->params != mlp->params);
  g_assert_true (copy->grads != mlp->grads);
  g_assert_true (copy->mask != mlp->mask);
  for (guint l = 0; l < mlp->n_layers; l++)
    {
      g_assert_true (copy->z[l] != mlp->z[l]);
      g_assert_true (l + 1 == mlp->n_layers || copy->a[l] != mlp->a[l]);
    }
  g_assert_true (copy->dz != mlp->dz);
  g_assert_true (copy->da != mlp->da);
  g_assert_cmpmem (copy->params, copy->n_params * sizeof (float),
                   mlp->params, mlp->n_params * sizeof (float));
  g_assert_cmpmem (copy->grads, copy->n_params * sizeof (float),
                   mlp->grads, mlp->n_params * sizeof (float));
  g_assert_cmpmem (copy->mask, copy->n_params * sizeof (float),
                   mlp->mask, mlp->n_params * sizeof (float));

  /* changing and then freeing the original leaves the copy intact */
  params = g_memdup2 (mlp->params, mlp->n_params * sizeof (float));
  for (gsize i = 0; i < mlp->n_params; i++)
    {
      mlp->params[i] = 7.0f;
      mlp->grads[i] = 7.0f;
      mlp->mask[i] = 0.0f;
    }
  g_clear_pointer (&mlp, lab_mlp_free);
  g_assert_cmpmem (copy->params, copy->n_params * sizeof (float),
                   params, copy->n_params * sizeof (float));
  g_assert_cmpfloat (copy->grads[5], ==, 5.0f);
  g_assert_cmpfloat (copy->mask[2], ==, 0.0f);
  g_assert_cmpfloat (copy->mask[3], ==, 1.0f);
  g_assert_cmpmem (lab_mlp_forward (copy, x, 2), sizeof logits, logits, sizeof logits);

  /* a dense net copies as dense */
  {
    g_autoptr(LabMlp) dense = lab_mlp_new (&s, NULL);
    g_autoptr(LabMlp) dcopy = lab_mlp_copy (dense);
    g_assert_null (dcopy->mask);
  }
}

static void
test_mlp_mask (void)
{
  const gsize hidden[] = { 8 };
  LabMlpShape s = make_shape (4, 2, 1, hidden, LAB_ACT_RELU);
  g_autoptr(LabMlp) mlp = lab_mlp_new (&s, NULL);
  LabRng rng;
  float *mask;
  gsize pruned_w0 = 0, pruned_w1 = 0;

  lab_rng_init (&rng, 4);
  lab_mlp_init_params (mlp, &rng);
  g_assert_cmpfloat (lab_mlp_layer_sparsity (mlp, 0), ==, 0.0);
  g_assert_cmpfloat (lab_mlp_total_sparsity (mlp), ==, 0.0);

  /* apply on a dense net is a no-op */
  {
    g_autofree float *before = g_memdup2 (mlp->params, mlp->n_params * sizeof (float));
    lab_mlp_apply_mask (mlp);
    g_assert_cmpmem (before, mlp->n_params * sizeof (float),
                     mlp->params, mlp->n_params * sizeof (float));
  }

  mask = lab_mlp_ensure_mask (mlp);
  g_assert_nonnull (mask);
  g_assert_true (lab_mlp_ensure_mask (mlp) == mask);
  for (gsize i = 0; i < mlp->n_params; i++)
    g_assert_cmpfloat (mask[i], ==, 1.0f);
  g_assert_cmpfloat (lab_mlp_total_sparsity (mlp), ==, 0.0);

  /* prune 8 of W_0's 32 weights, 4 of W_1's 16, and a bias (which is not counted) */
  for (gsize i = 0; i < 32; i += 4)
    {
      mask[mlp->w_off[0] + i] = 0.0f;
      pruned_w0++;
    }
  for (gsize i = 1; i < 16; i += 4)
    {
      mask[mlp->w_off[1] + i] = 0.0f;
      pruned_w1++;
    }
  mask[mlp->b_off[0] + 3] = 0.0f;

  g_assert_cmpuint (pruned_w0, ==, 8);
  g_assert_cmpuint (pruned_w1, ==, 4);
  lab_assert_close (lab_mlp_layer_sparsity (mlp, 0), 8.0 / 32.0, 1e-12, 0);
  lab_assert_close (lab_mlp_layer_sparsity (mlp, 1), 4.0 / 16.0, 1e-12, 0);
  lab_assert_close (lab_mlp_total_sparsity (mlp), 12.0 / 48.0, 1e-12, 0);

  {
    g_autofree float *before = g_memdup2 (mlp->params, mlp->n_params * sizeof (float));
    lab_mlp_apply_mask (mlp);
    for (gsize i = 0; i < mlp->n_params; i++)
      if (mask[i] == 0.0f)
        g_assert_cmpfloat (mlp->params[i], ==, 0.0f);
      else
        g_assert_cmpfloat (mlp->params[i], ==, before[i]);
  }
}

static void
test_mlp_zero_grad (void)
{
  const gsize hidden[] = { 3 };
  LabMlpShape s = make_shape (2, 2, 1, hidden, LAB_ACT_RELU);
  g_autoptr(LabMlp) mlp = lab_mlp_new (&s, NULL);

  for (gsize i = 0; i < mlp->n_params; i++)
    mlp->grads[i] = 1.0f;
  lab_mlp_zero_grad (mlp);
  for (gsize i = 0; i < mlp->n_params; i++)
    g_assert_cmpfloat (mlp->grads[i], ==, 0.0f);
}

/* Backward adds: two passes give twice the gradient of one. */
static void
test_mlp_backward_accumulates (void)
{
  const gsize hidden[] = { 6, 6 };
  LabMlpShape s = make_shape (3, 4, 2, hidden, LAB_ACT_TANH);
  g_autoptr(LabMlp) mlp = NULL;
  g_autofree float *once = NULL;
  float x[3 * 3], dl[4 * 3];
  const guint32 y[] = { 0, 3, 1 };
  LabRng rng;

  s.residual = TRUE;
  mlp = lab_mlp_new (&s, NULL);
  lab_rng_init (&rng, 8);
  lab_mlp_init_params (mlp, &rng);
  for (gsize i = 0; i < G_N_ELEMENTS (x); i++)
    x[i] = lab_rng_normal (&rng);

  lab_loss_forward (LAB_LOSS_SOFTMAX_CE, lab_mlp_forward (mlp, x, 3), y, 3, 4, dl, NULL);
  lab_mlp_zero_grad (mlp);
  lab_mlp_backward (mlp, x, dl, 3, TRUE);
  once = g_memdup2 (mlp->grads, mlp->n_params * sizeof (float));
  lab_mlp_backward (mlp, x, dl, 3, TRUE);
  for (gsize i = 0; i < mlp->n_params; i++)
    lab_assert_close (mlp->grads[i], 2.0 * once[i], 1e-6, 1e-9);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/engine/mlp/layout", test_mlp_layout);
  g_test_add_func ("/engine/mlp/layout-no-hidden", test_mlp_layout_no_hidden);
  g_test_add_func ("/engine/mlp/init", test_mlp_init);
  g_test_add_func ("/engine/mlp/init-deterministic", test_mlp_init_deterministic);
  g_test_add_func ("/engine/mlp/validate", test_mlp_validate);
  g_test_add_func ("/engine/mlp/residual-flags", test_mlp_residual_flags);
  g_test_add_func ("/engine/mlp/activation-values", test_mlp_activation_values);
  g_test_add_func ("/engine/mlp/activation-strings", test_mlp_activation_strings);
  g_test_add_func ("/engine/mlp/forward", test_mlp_forward);
  g_test_add_func ("/engine/mlp/activation-stats", test_mlp_activation_stats);
  g_test_add_func ("/engine/mlp/activation-stats-wide", test_mlp_activation_stats_wide);
  g_test_add_func ("/engine/mlp/copy", test_mlp_copy);
  g_test_add_func ("/engine/mlp/mask", test_mlp_mask);
  g_test_add_func ("/engine/mlp/zero-grad", test_mlp_zero_grad);
  g_test_add_func ("/engine/mlp/backward-accumulates", test_mlp_backward_accumulates);

  return g_test_run ();
}
