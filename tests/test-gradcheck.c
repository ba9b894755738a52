/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * test-gradcheck.c: back-propagation against finite differences, for every activation × loss
 * × init on a small net, with and without residual skips, and with no hidden layer at all.
 * Each case checks (1) every parameter's ∂L/∂θ against a central difference (h = 1e-3) of the
 * same network and loss evaluated naively in double, to |a − n| ≤ 1e-3·max(|a|, |n|) + 1e-5;
 * (2) the directional derivative of the engine's own float32 forward pass and
 * lab_loss_forward (loss summed in double) along a random direction, per layer and for the
 * whole net at once (kann's kad_check_grad), to 1e-2 relative, the float32-appropriate
 * criterion; (3) delta_norm[] against δ_l = ∂L/∂z_l back-propagated by hand in double.
 * ReLU and leaky ReLU have a kink at 0: inputs are drawn so every such unit starts at least
 * 0.02 from it, and a parameter whose ±h still moves a unit across is skipped (at most 10 %).
 */
#define G_LOG_DOMAIN "lab-test"
#include "config.h"

#include <math.h>
#include <string.h>

#include "lab-loss.h"
#include "lab-mlp.h"
#include "lab-rng.h"
#include "lab-test-utils.h"

#define RTOL  1e-2
#define ATOL  1e-4
#define KINK_MARGIN 0.02f

typedef struct
{
  char        *name;
  LabMlpShape  shape;
  LabLoss      loss;
  guint64      seed;
  gsize        B;
} GradCase;

typedef struct
{
  LabMlp   *mlp;
  float    *x;              /* (B, n_in) */
  guint32  *y;              /* (B) */
  float    *dlogits;        /* (B, n_out) */
  float    *grads;          /* (n_params) analytic, copied after backward */
  float     delta_norm[LAB_MAX_LAYERS];
  guint8   *pattern;        /* signs of the kinked units at θ */
  gsize     n_pattern;
} GradFixture;

/* ------------------------------------------------------------------------------------------ */
/* helpers */

static gboolean
is_kinked (LabActivation act)
{
  return act == LAB_ACT_RELU || act == LAB_ACT_LEAKY_RELU;
}

static gsize
pattern_size (const LabMlp *mlp,
              gsize         B)
{
  gsize n = 0;
  for (guint l = 0; l + 1 < mlp->n_layers; l++)
    if (is_kinked (mlp->act[l]))
      n += B * mlp->sizes[l + 1];
  return n;
}

/* Records z > 0 for every unit with a kink, from the last forward pass. */
static void
pattern_fill (const LabMlp *mlp,
              gsize         B,
              guint8       *out)
{
  gsize k = 0;
  for (guint l = 0; l + 1 < mlp->n_layers; l++)
    if (is_kinked (mlp->act[l]))
      for (gsize i = 0; i < B * mlp->sizes[l + 1]; i++)
        out[k++] = mlp->z[l][i] > 0.0f;
}

/* The loss at the current parameters; FALSE in *same_side if a kinked unit changed side. */
static double
loss_at (GradFixture    *fix,
         const GradCase *gc,
         gboolean       *same_side)
{
  const float *logits = lab_mlp_forward (fix->mlp, fix->x, gc->B);
  double loss = lab_loss_forward (gc->loss, logits, fix->y, gc->B, gc->shape.n_out, NULL, NULL);

  if (same_side != NULL && fix->n_pattern > 0)
    {
      g_autofree guint8 *p = g_new (guint8, fix->n_pattern);
      pattern_fill (fix->mlp, gc->B, p);
      if (memcmp (p, fix->pattern, fix->n_pattern) != 0)
        *same_side = FALSE;
    }
  return loss;
}

static double
act_deriv (LabActivation act,
           double        z)
{
  switch (act)
    {
    case LAB_ACT_SIGMOID:
      {
        double s = 1.0 / (1.0 + exp (-z));
        return s * (1 - s);
      }
    case LAB_ACT_TANH:       return 1 - tanh (z) * tanh (z);
    case LAB_ACT_RELU:       return z > 0 ? 1 : 0;
    case LAB_ACT_LEAKY_RELU: return z > 0 ? 1 : 0.01;
    case LAB_ACT_ELU:        return z > 0 ? 1 : exp (z);
    case LAB_ACT_LINEAR:
    default:                 return 1;
    }
}

/* The loss in double from parameters θ (n_params) in double: the same network and loss as the
 * engine's, naively. Where @pattern is given, also reports whether every kinked unit is on the
 * same side of 0 as it records. */
static double
ref_loss (const LabMlp   *mlp,
          const double   *theta,
          const float    *x,
          const guint32  *y,
          gsize           B,
          LabLoss         loss,
          const guint8   *pattern,
          gboolean       *same_side)
{
  g_autofree double *in = g_new (double, B * mlp->sizes[0]);
  gsize k = 0, C = mlp->sizes[mlp->n_layers];
  double total = 0;

  for (gsize i = 0; i < B * mlp->sizes[0]; i++)
    in[i] = x[i];
  for (guint l = 0; l < mlp->n_layers; l++)
    {
      gsize K = mlp->sizes[l], N = mlp->sizes[l + 1];
      const double *w = theta + mlp->w_off[l], *b = theta + mlp->b_off[l];
      double *out = g_new (double, B * N);

      for (gsize r = 0; r < B; r++)
        for (gsize o = 0; o < N; o++)
          {
            double z = b[o], a;
            for (gsize i = 0; i < K; i++)
              z += in[r * K + i] * w[o * K + i];
            switch (mlp->act[l])
              {
              case LAB_ACT_SIGMOID:    a = 1.0 / (1.0 + exp (-z)); break;
              case LAB_ACT_TANH:       a = tanh (z); break;
              case LAB_ACT_RELU:       a = z > 0 ? z : 0; break;
              case LAB_ACT_LEAKY_RELU: a = z > 0 ? z : 0.01 * z; break;
              case LAB_ACT_ELU:        a = z > 0 ? z : expm1 (z); break;
              case LAB_ACT_LINEAR:
              default:                 a = z; break;
              }
            if (l + 1 < mlp->n_layers && is_kinked (mlp->act[l]))
              {
                /* same order as pattern_fill: layer, then row-major (B, N) */
                if (pattern != NULL && (z > 0) != pattern[k])
                  *same_side = FALSE;
                k++;
              }
            if (mlp->skip[l])
              a += in[r * K + o];
            out[r * N + o] = a;
          }
      g_free (in);
      in = out;
    }

  for (gsize r = 0; r < B; r++)
    {
      const double *z = in + r * C;
      if (loss == LAB_LOSS_SOFTMAX_CE)
        {
          double m = z[0], sum = 0;
          for (gsize c = 1; c < C; c++)
            m = MAX (m, z[c]);
          for (gsize c = 0; c < C; c++)
            sum += exp (z[c] - m);
          total += m + log (sum) - z[y[r]];
        }
      else
        for (gsize c = 0; c < C; c++)
          {
            double d = z[c] - (c == y[r] ? 1.0 : 0.0);
            total += d * d / (double) C;
          }
    }
  return total / (double) B;
}

/* ------------------------------------------------------------------------------------------ */
/* fixture */

static void
grad_setup (GradFixture   *fix,
            gconstpointer  data)
{
  const GradCase *gc = data;
  g_autoptr(GError) error = NULL;
  LabRng rng;
  double loss;

  fix->mlp = lab_mlp_new (&gc->shape, &error);
  g_assert_no_error (error);
  lab_rng_init (&rng, gc->seed);
  lab_mlp_init_params (fix->mlp, &rng);

  fix->x = g_new (float, gc->B * gc->shape.n_in);
  fix->y = g_new (guint32, gc->B);
  fix->dlogits = g_new (float, gc->B * gc->shape.n_out);
  for (gsize r = 0; r < gc->B; r++)
    fix->y[r] = lab_rng_below (&rng, (guint32) gc->shape.n_out);

  /* Draw inputs until every ReLU-type unit is at least KINK_MARGIN from its kink, so that a
   * ±h step rarely crosses it (the check still skips the few that do). */
  for (guint tries = 0; ; tries++)
    {
      float margin = G_MAXFLOAT;

      for (gsize i = 0; i < gc->B * gc->shape.n_in; i++)
        fix->x[i] = lab_rng_normal (&rng);
      lab_mlp_forward (fix->mlp, fix->x, gc->B);
      for (guint l = 0; l + 1 < fix->mlp->n_layers; l++)
        if (is_kinked (fix->mlp->act[l]))
          for (gsize i = 0; i < gc->B * fix->mlp->sizes[l + 1]; i++)
            margin = MIN (margin, fabsf (fix->mlp->z[l][i]));
      if (margin >= KINK_MARGIN)
        break;
      g_assert_cmpuint (tries, <, 10000);
    }

  loss = lab_loss_forward (gc->loss, lab_mlp_forward (fix->mlp, fix->x, gc->B), fix->y, gc->B,
                           gc->shape.n_out, fix->dlogits, NULL);
  g_assert_true (isfinite (loss) && loss > 0);
  fix->n_pattern = pattern_size (fix->mlp, gc->B);
  fix->pattern = g_new (guint8, MAX (fix->n_pattern, 1));
  pattern_fill (fix->mlp, gc->B, fix->pattern);

  lab_mlp_zero_grad (fix->mlp);
  lab_mlp_backward (fix->mlp, fix->x, fix->dlogits, gc->B, TRUE);
  fix->grads = g_memdup2 (fix->mlp->grads, fix->mlp->n_params * sizeof (float));
  memcpy (fix->delta_norm, fix->mlp->delta_norm, sizeof fix->delta_norm);
}

static void
grad_teardown (GradFixture   *fix,
               gconstpointer  data)
{
  (void) data;
  g_clear_pointer (&fix->mlp, lab_mlp_free);
  g_free (fix->x);
  g_free (fix->y);
  g_free (fix->dlogits);
  g_free (fix->grads);
  g_free (fix->pattern);
}

/* ------------------------------------------------------------------------------------------ */
/* checks */

/* Every parameter against a central difference of the double-precision reference loss: with
 * no float rounding in the quotient, the criterion can be ten times tighter than the
 * directional check below, which differentiates the engine's own float forward pass. */
static void
test_gradcheck_params (GradFixture   *fix,
                       gconstpointer  data)
{
  const GradCase *gc = data;
  LabMlp *mlp = fix->mlp;
  g_autofree double *theta = g_new (double, mlp->n_params);
  const double h = 1e-3;
  gsize checked = 0, skipped = 0;

  for (gsize i = 0; i < mlp->n_params; i++)
    theta[i] = mlp->params[i];

  /* the reference agrees with the engine's forward pass and loss at θ */
  {
    gboolean same_side = TRUE;
    double engine = loss_at (fix, gc, NULL);
    double ref = ref_loss (mlp, theta, fix->x, fix->y, gc->B, gc->loss, fix->pattern,
                           &same_side);
    lab_assert_close (engine, ref, 1e-5, 1e-7);
    g_assert_true (same_side);
  }

  for (guint l = 0; l < mlp->n_layers; l++)
    {
      gsize start = mlp->w_off[l], end = mlp->b_off[l] + mlp->sizes[l + 1];
      double worst = 0;

      for (gsize i = start; i < end; i++)
        {
          gboolean same_side = TRUE;
          double p = theta[i], lp, lm, num, a = fix->grads[i];

          theta[i] = p + h;
          lp = ref_loss (mlp, theta, fix->x, fix->y, gc->B, gc->loss, fix->pattern, &same_side);
          theta[i] = p - h;
          lm = ref_loss (mlp, theta, fix->x, fix->y, gc->B, gc->loss, fix->pattern, &same_side);
          theta[i] = p;

          if (!same_side)
            {
              skipped++;
              continue;
            }
          num = (lp - lm) / (2 * h);
          if (!(fabs (a - num) <= 0.1 * RTOL * MAX (fabs (a), fabs (num)) + 0.1 * ATOL))
            g_error ("%s: layer %u param %zu (%s): analytic %.7g, numerical %.7g",
                     gc->name, l, i - start, i < mlp->b_off[l] ? "W" : "b", a, num);
          worst = MAX (worst, fabs (a - num) / (MAX (fabs (a), fabs (num)) + 1e-3));
          checked++;
        }
      g_test_message ("layer %u: worst relative error %.2e", l, worst);
    }

  g_assert_cmpuint (checked + skipped, ==, mlp->n_params);
  g_assert_cmpuint (skipped * 10, <=, mlp->n_params);
  /* the analytic gradient is not trivially zero */
  {
    double sq = 0;
    for (gsize i = 0; i < mlp->n_params; i++)
      sq += (double) fix->grads[i] * fix->grads[i];
    g_assert_cmpfloat (sq, >, 1e-8);
  }
}

/* Directional derivative along a random direction u: (L(θ + hu) − L(θ − hu)) / 2h vs g·u,
 * restricted to one layer's W and b, and then over all parameters at once. */
static gboolean
check_direction (GradFixture    *fix,
                 const GradCase *gc,
                 gsize           start,
                 gsize           end,
                 LabRng         *rng,
                 const char     *what)
{
  LabMlp *mlp = fix->mlp;
  g_autofree float *saved = g_memdup2 (mlp->params, mlp->n_params * sizeof (float));
  g_autofree float *up = g_new (float, mlp->n_params);
  g_autofree float *down = g_new (float, mlp->n_params);
  g_autofree float *u = g_new (float, mlp->n_params);
  double analytic = 0, num, lp, lm, h = 1e-3;
  gboolean same_side;

  for (gsize i = start; i < end; i++)
    u[i] = lab_rng_normal (rng);

  /* shrink the step until no kinked unit changes side (at most a few times) */
  for (guint tries = 0; ; tries++)
    {
      memcpy (up, saved, mlp->n_params * sizeof (float));
      memcpy (down, saved, mlp->n_params * sizeof (float));
      for (gsize i = start; i < end; i++)
        {
          up[i] = saved[i] + (float) h * u[i];
          down[i] = saved[i] - (float) h * u[i];
        }
      same_side = TRUE;
      memcpy (mlp->params, up, mlp->n_params * sizeof (float));
      lp = loss_at (fix, gc, &same_side);
      memcpy (mlp->params, down, mlp->n_params * sizeof (float));
      lm = loss_at (fix, gc, &same_side);
      if (same_side || tries == 4)
        break;
      h *= 0.3;
    }
  memcpy (mlp->params, saved, mlp->n_params * sizeof (float));
  if (!same_side)
    {
      g_test_message ("%s: skipped, a ReLU unit sits at the kink", what);
      return FALSE;
    }

  /* the step actually taken, per coordinate, in the dot product */
  for (gsize i = start; i < end; i++)
    analytic += (double) fix->grads[i] * (((double) up[i] - (double) down[i]) / 2.0);
  num = (lp - lm) / 2.0;
  /* both are now derivatives times h: scale the absolute tolerance alike */
  if (!(fabs (analytic - num) <= RTOL * MAX (fabs (analytic), fabs (num)) + ATOL * h))
    g_error ("%s: %s: directional derivative analytic %.7g, numerical %.7g (h %g)",
             gc->name, what, analytic / h, num / h, h);
  return TRUE;
}

static void
test_gradcheck_direction (GradFixture   *fix,
                          gconstpointer  data)
{
  const GradCase *gc = data;
  LabMlp *mlp = fix->mlp;
  guint done = 0;
  LabRng rng;

  lab_rng_init (&rng, gc->seed + 1000);
  for (guint l = 0; l < mlp->n_layers; l++)
    {
      g_autofree char *what = g_strdup_printf ("layer %u", l);
      done += check_direction (fix, gc, mlp->w_off[l], mlp->b_off[l] + mlp->sizes[l + 1],
                               &rng, what);
    }
  /* the whole network must be checkable */
  g_assert_true (check_direction (fix, gc, 0, mlp->n_params, &rng, "all parameters"));
  g_assert_cmpuint (done, >=, mlp->n_layers - 1);
}

/* delta_norm[l] = ‖∂L/∂z_l‖ against δ back-propagated by hand in double. */
static void
test_gradcheck_delta_norm (GradFixture   *fix,
                           gconstpointer  data)
{
  const GradCase *gc = data;
  LabMlp *mlp = fix->mlp;
  gsize B = gc->B, L = mlp->n_layers;
  g_autofree double *da = NULL;    /* ∂L/∂a_l of the current layer */
  double sq = 0;

  /* recompute the forward pass at θ: the other checks leave the workspace elsewhere */
  lab_mlp_forward (mlp, fix->x, B);

  /* top: δ_L = dlogits */
  for (gsize i = 0; i < B * gc->shape.n_out; i++)
    sq += (double) fix->dlogits[i] * fix->dlogits[i];
  lab_assert_close (fix->delta_norm[L - 1], sqrt (sq), 1e-6, 1e-9);

  da = g_new (double, B * gc->shape.n_out);
  for (gsize i = 0; i < B * gc->shape.n_out; i++)
    da[i] = fix->dlogits[i];   /* the output layer is linear: δ = ∂L/∂a */

  for (int l = (int) L - 1; l >= 1; l--)
    {
      gsize N = mlp->sizes[l + 1], K = mlp->sizes[l];
      const float *w = mlp->params + mlp->w_off[l];
      g_autofree double *delta = g_new (double, B * N);
      double *da_below = g_new0 (double, B * K);

      for (gsize i = 0; i < B * N; i++)
        delta[i] = da[i] * act_deriv (mlp->act[l], mlp->z[l][i]);
      for (gsize r = 0; r < B; r++)
        for (gsize k = 0; k < K; k++)
          {
            double s = mlp->skip[l] ? da[r * N + k] : 0.0;   /* a_l = f(z_l) + a_{l-1} */
            for (gsize o = 0; o < N; o++)
              s += delta[r * N + o] * w[o * K + k];
            da_below[r * K + k] = s;
          }
      g_free (da);
      da = da_below;

      /* δ of layer l − 1 */
      sq = 0;
      for (gsize i = 0; i < B * K; i++)
        {
          double d = da[i] * act_deriv (mlp->act[l - 1], mlp->z[l - 1][i]);
          sq += d * d;
        }
      lab_assert_close (fix->delta_norm[l - 1], sqrt (sq), 1e-5, 1e-9);
    }
}

/* A 1-hidden-layer net, δ₀ = (dlogits·W₁) ⊙ f'(z₀) written out without loops over layers. */
static void
test_gradcheck_delta_one_hidden (void)
{
  for (int act = LAB_ACT_SIGMOID; act <= LAB_ACT_LINEAR; act++)
    {
      LabMlpShape s = { .n_in = 3, .n_out = 2, .n_hidden = 1, .hidden = { 4 }, .act = { act },
                        .init = LAB_INIT_XAVIER_NORMAL, .init_scale = 1, .max_batch = 2 };
      g_autoptr(LabMlp) mlp = lab_mlp_new (&s, NULL);
      const float x[] = { 0.5f, -1.0f, 2.0f, -0.3f, 0.8f, 1.1f };
      const guint32 y[] = { 1, 0 };
      float dl[4];
      double sq = 0;
      LabRng rng;

      lab_rng_init (&rng, 77 + act);
      lab_mlp_init_params (mlp, &rng);
      lab_loss_forward (LAB_LOSS_SOFTMAX_CE, lab_mlp_forward (mlp, x, 2), y, 2, 2, dl, NULL);
      lab_mlp_zero_grad (mlp);
      lab_mlp_backward (mlp, x, dl, 2, TRUE);

      for (gsize r = 0; r < 2; r++)
        for (gsize j = 0; j < 4; j++)
          {
            /* W₁ is (2, 4) */
            double d = ((double) dl[r * 2 + 0] * mlp->params[mlp->w_off[1] + 0 * 4 + j]
                        + (double) dl[r * 2 + 1] * mlp->params[mlp->w_off[1] + 1 * 4 + j])
                       * act_deriv (act, mlp->z[0][r * 4 + j]);
            sq += d * d;
          }
      lab_assert_close (mlp->delta_norm[0], sqrt (sq), 1e-5, 1e-9);
      lab_assert_close (mlp->delta_norm[1],
                        sqrt ((double) dl[0] * dl[0] + (double) dl[1] * dl[1]
                              + (double) dl[2] * dl[2] + (double) dl[3] * dl[3]), 1e-6, 0);
    }
}

/* ------------------------------------------------------------------------------------------ */
/* cases */

static GPtrArray *cases;

static void
add_case (const char        *name,
          const LabMlpShape *shape,
          LabLoss            loss,
          guint64            seed,
          gsize              B)
{
  GradCase *gc = g_new0 (GradCase, 1);
  g_autofree char *p1 = NULL, *p2 = NULL, *p3 = NULL;

  gc->name = g_strdup (name);
  gc->shape = *shape;
  gc->shape.max_batch = B;
  gc->loss = loss;
  gc->seed = seed;
  gc->B = B;
  g_ptr_array_add (cases, gc);

  p1 = g_strdup_printf ("%s/params", name);
  p2 = g_strdup_printf ("%s/direction", name);
  p3 = g_strdup_printf ("%s/delta-norm", name);
  g_test_add (p1, GradFixture, gc, grad_setup, test_gradcheck_params, grad_teardown);
  g_test_add (p2, GradFixture, gc, grad_setup, test_gradcheck_direction, grad_teardown);
  g_test_add (p3, GradFixture, gc, grad_setup, test_gradcheck_delta_norm, grad_teardown);
}

static void
grad_case_free (gpointer p)
{
  GradCase *gc = p;
  g_free (gc->name);
  g_free (gc);
}

static LabMlpShape
shape_of (gsize          n_in,
          gsize          n_out,
          guint          n_hidden,
          const gsize   *hidden,
          LabActivation  act,
          LabInit        init,
          gboolean       residual)
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
  s.init = init;
  s.init_scale = 1.0;
  s.bias_init = 0.05;
  s.residual = residual;
  return s;
}

static void
test_gradcheck_residual_has_skips (void)
{
  const gsize hidden[] = { 6, 6, 6 };
  LabMlpShape s = shape_of (5, 3, 3, hidden, LAB_ACT_TANH, LAB_INIT_HE_NORMAL, TRUE);
  g_autoptr(LabMlp) mlp = NULL;

  s.max_batch = 1;
  mlp = lab_mlp_new (&s, NULL);
  /* the residual cases below really exercise skips */
  g_assert_false (mlp->skip[0]);
  g_assert_true (mlp->skip[1]);
  g_assert_true (mlp->skip[2]);
  g_assert_false (mlp->skip[3]);
}

int
main (int   argc,
      char *argv[])
{
  const gsize small[] = { 7, 6 }, equal[] = { 6, 6, 6 }, mixed[] = { 5, 5, 5, 5, 5 };
  guint64 seed = 1;
  int ret;

  g_test_init (&argc, &argv, NULL);
  cases = g_ptr_array_new_with_free_func (grad_case_free);

  /* every activation × loss × init on 5-7-6-4, batch 3 */
  for (int act = LAB_ACT_SIGMOID; act <= LAB_ACT_LINEAR; act++)
    for (int loss = LAB_LOSS_SOFTMAX_CE; loss <= LAB_LOSS_MSE; loss++)
      for (int init = LAB_INIT_UNIFORM; init <= LAB_INIT_LECUN; init++)
        {
          LabMlpShape s = shape_of (5, 4, 2, small, act, init, FALSE);
          g_autofree char *name = g_strdup_printf ("/engine/gradcheck/%s/%s/%s",
                                                   lab_activation_to_string (act),
                                                   lab_loss_to_string (loss),
                                                   lab_init_to_string (init));
          add_case (name, &s, loss, seed++, 3);
        }

  /* 5-6-6-6-3, residual on and off, every activation × loss */
  for (int act = LAB_ACT_SIGMOID; act <= LAB_ACT_LINEAR; act++)
    for (int loss = LAB_LOSS_SOFTMAX_CE; loss <= LAB_LOSS_MSE; loss++)
      for (int residual = 0; residual < 2; residual++)
        {
          LabMlpShape s = shape_of (5, 3, 3, equal, act, LAB_INIT_XAVIER_NORMAL, residual);
          g_autofree char *name = g_strdup_printf ("/engine/gradcheck/%s/%s/%s",
                                                   residual ? "residual" : "plain",
                                                   lab_activation_to_string (act),
                                                   lab_loss_to_string (loss));
          add_case (name, &s, loss, seed++, 4);
        }

  /* a deep residual net mixing every activation */
  for (int loss = LAB_LOSS_SOFTMAX_CE; loss <= LAB_LOSS_MSE; loss++)
    {
      LabMlpShape s = shape_of (4, 3, 5, mixed, LAB_ACT_TANH, LAB_INIT_HE_NORMAL, TRUE);
      g_autofree char *name = g_strdup_printf ("/engine/gradcheck/mixed-residual/%s",
                                               lab_loss_to_string (loss));
      for (guint l = 0; l < 5; l++)
        s.act[l] = (LabActivation) l;   /* sigmoid, tanh, relu, leaky-relu, elu */
      add_case (name, &s, loss, seed++, 3);
    }

  /* no hidden layer: softmax / linear regression */
  for (int loss = LAB_LOSS_SOFTMAX_CE; loss <= LAB_LOSS_MSE; loss++)
    {
      LabMlpShape s = shape_of (5, 4, 0, NULL, LAB_ACT_LINEAR, LAB_INIT_LECUN, FALSE);
      g_autofree char *name = g_strdup_printf ("/engine/gradcheck/no-hidden/%s",
                                               lab_loss_to_string (loss));
      add_case (name, &s, loss, seed++, 3);
    }

  /* batch of one */
  {
    LabMlpShape s = shape_of (5, 4, 2, small, LAB_ACT_ELU, LAB_INIT_HE_UNIFORM, FALSE);
    add_case ("/engine/gradcheck/batch-1", &s, LAB_LOSS_SOFTMAX_CE, seed++, 1);
  }

  g_test_add_func ("/engine/gradcheck/residual-has-skips", test_gradcheck_residual_has_skips);
  g_test_add_func ("/engine/gradcheck/delta-one-hidden", test_gradcheck_delta_one_hidden);

  ret = g_test_run ();
  g_ptr_array_unref (cases);
  return ret;
}
