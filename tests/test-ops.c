/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * test-ops.c: the cblas_sgemm kernels against their naive `_ref` twins (llm.c's idea) on many
 * shapes, from degenerate (B, K or N = 1) to odd (7×13×5) and MNIST-sized (64×784×256). The
 * tolerance is scale-aware: each output may differ from the double-accumulated reference by
 * 1e-5 of Σ|terms| it sums, which is what float32 summation in any order can cost. Also
 * checks that backward adds into dW and db, may skip dX, and lab_sum_squares.
 */
#define G_LOG_DOMAIN "lab-test"
#include "config.h"

#include <math.h>
#include <string.h>

#include "lab-ops.h"
#include "lab-rng.h"
#include "lab-test-utils.h"

#define RTOL 1e-5

typedef struct
{
  gsize B, K, N;
} Shape;

static const Shape shapes[] = {
  { 1, 1, 1 },
  { 1, 5, 3 },
  { 4, 1, 6 },
  { 3, 8, 1 },
  { 7, 13, 5 },
  { 13, 7, 11 },
  { 32, 33, 31 },
  { 64, 784, 256 },
};

static float *
random_buffer (LabRng *rng,
               gsize   n)
{
  float *v = g_new (float, MAX (n, 1));
  for (gsize i = 0; i < n; i++)
    v[i] = 2.0f * lab_rng_uniform (rng) - 1.0f;
  return v;
}

static void
test_ops_forward (void)
{
  LabRng rng;

  lab_rng_init (&rng, 1);
  for (guint s = 0; s < G_N_ELEMENTS (shapes); s++)
    {
      gsize B = shapes[s].B, K = shapes[s].K, N = shapes[s].N;
      g_autofree float *x = random_buffer (&rng, B * K);
      g_autofree float *w = random_buffer (&rng, N * K);
      g_autofree float *b = random_buffer (&rng, N);
      g_autofree float *z = g_new (float, B * N);
      g_autofree float *zr = g_new (float, B * N);

      /* garbage in z must not leak into the result */
      for (gsize i = 0; i < B * N; i++)
        z[i] = zr[i] = 1e6f;
      lab_linear_forward (z, x, w, b, B, K, N);
      lab_linear_forward_ref (zr, x, w, b, B, K, N);

      for (gsize r = 0; r < B; r++)
        for (gsize o = 0; o < N; o++)
          {
            double scale = fabs (b[o]), exact = b[o];
            for (gsize i = 0; i < K; i++)
              {
                scale += fabs ((double) x[r * K + i] * w[o * K + i]);
                exact += (double) x[r * K + i] * w[o * K + i];
              }
            g_assert_cmpfloat (fabs (z[r * N + o] - zr[r * N + o]), <=, RTOL * scale + 1e-30);
            /* and the reference itself is right */
            g_assert_cmpfloat (fabs (zr[r * N + o] - exact), <=, 1e-7 * scale + 1e-30);
          }
    }
}

/* A tiny case by hand: x = [1 2], W = [[1 0] [0 1] [1 1]], b = [0.5 -1 0] → z = [1.5 1 3]. */
static void
test_ops_forward_hand (void)
{
  const float x[] = { 1, 2 }, w[] = { 1, 0, 0, 1, 1, 1 }, b[] = { 0.5f, -1, 0 };
  float z[3];

  lab_linear_forward (z, x, w, b, 1, 2, 3);
  g_assert_cmpfloat (z[0], ==, 1.5f);
  g_assert_cmpfloat (z[1], ==, 1.0f);
  g_assert_cmpfloat (z[2], ==, 3.0f);
}

static void
check_backward (gboolean with_dx)
{
  LabRng rng;

  lab_rng_init (&rng, with_dx ? 2 : 3);
  for (guint s = 0; s < G_N_ELEMENTS (shapes); s++)
    {
      gsize B = shapes[s].B, K = shapes[s].K, N = shapes[s].N;
      g_autofree float *x = random_buffer (&rng, B * K);
      g_autofree float *w = random_buffer (&rng, N * K);
      g_autofree float *dz = random_buffer (&rng, B * N);
      /* dW and db start non-zero: backward must add to them */
      g_autofree float *dw0 = random_buffer (&rng, N * K);
      g_autofree float *db0 = random_buffer (&rng, N);
      g_autofree float *dw = g_memdup2 (dw0, N * K * sizeof (float));
      g_autofree float *db = g_memdup2 (db0, N * sizeof (float));
      g_autofree float *dwr = g_memdup2 (dw0, N * K * sizeof (float));
      g_autofree float *dbr = g_memdup2 (db0, N * sizeof (float));
      g_autofree float *dx = with_dx ? g_new (float, B * K) : NULL;
      g_autofree float *dxr = with_dx ? g_new (float, B * K) : NULL;

      if (with_dx)
        for (gsize i = 0; i < B * K; i++)
          dx[i] = dxr[i] = 1e6f;   /* dX is overwritten, not added to */

      lab_linear_backward (dx, dw, db, dz, x, w, B, K, N, TRUE);
      lab_linear_backward_ref (dxr, dwr, dbr, dz, x, w, B, K, N);

      for (gsize o = 0; o < N; o++)
        {
          double scale = fabs (db0[o]), exact = db0[o];
          for (gsize r = 0; r < B; r++)
            {
              scale += fabs (dz[r * N + o]);
              exact += dz[r * N + o];
            }
          g_assert_cmpfloat (fabs (db[o] - dbr[o]), <=, RTOL * scale);
          g_assert_cmpfloat (fabs (dbr[o] - exact), <=, 2e-7 * scale);

          for (gsize i = 0; i < K; i++)
            {
              double sc = fabs (dw0[o * K + i]), ex = dw0[o * K + i];
              for (gsize r = 0; r < B; r++)
                {
                  sc += fabs ((double) dz[r * N + o] * x[r * K + i]);
                  ex += (double) dz[r * N + o] * x[r * K + i];
                }
              g_assert_cmpfloat (fabs (dw[o * K + i] - dwr[o * K + i]), <=, RTOL * sc);
              g_assert_cmpfloat (fabs (dwr[o * K + i] - ex), <=, 2e-7 * sc);
            }
        }

      if (with_dx)
        for (gsize r = 0; r < B; r++)
          for (gsize i = 0; i < K; i++)
            {
              double sc = 0, ex = 0;
              for (gsize o = 0; o < N; o++)
                {
                  sc += fabs ((double) dz[r * N + o] * w[o * K + i]);
                  ex += (double) dz[r * N + o] * w[o * K + i];
                }
              g_assert_cmpfloat (fabs (dx[r * K + i] - dxr[r * K + i]), <=, RTOL * sc + 1e-30);
              g_assert_cmpfloat (fabs (dxr[r * K + i] - ex), <=, 1e-7 * sc + 1e-30);
            }
    }
}

static void
test_ops_backward (void)
{
  check_backward (TRUE);
}

static void
test_ops_backward_no_dx (void)
{
  check_backward (FALSE);
}

/* Two backward calls on the same data add up to twice one call. */
static void
test_ops_backward_accumulates (void)
{
  const gsize B = 5, K = 4, N = 3;
  LabRng rng;
  g_autofree float *x = NULL, *w = NULL, *dz = NULL;
  float dw1[12] = { 0 }, db1[3] = { 0 }, dw2[12] = { 0 }, db2[3] = { 0 };
  float dx1[20], dx2[20];

  lab_rng_init (&rng, 4);
  x = random_buffer (&rng, B * K);
  w = random_buffer (&rng, N * K);
  dz = random_buffer (&rng, B * N);

  lab_linear_backward (dx1, dw1, db1, dz, x, w, B, K, N, TRUE);
  lab_linear_backward (dx2, dw2, db2, dz, x, w, B, K, N, TRUE);
  lab_linear_backward (dx2, dw2, db2, dz, x, w, B, K, N, TRUE);
  for (gsize i = 0; i < N * K; i++)
    lab_assert_close (dw2[i], 2.0 * dw1[i], 1e-6, 1e-7);
  for (gsize i = 0; i < N; i++)
    lab_assert_close (db2[i], 2.0 * db1[i], 1e-6, 1e-7);
  /* dX is not accumulated */
  for (gsize i = 0; i < B * K; i++)
    g_assert_cmpfloat (dx2[i], ==, dx1[i]);
}

/* Σx² and Σ|x| (float lanes folded into double) against double sums, across the vector body,
 * the 1024-entry fold and the scalar tail */
static void
test_ops_sum_sq_abs (void)
{
  const gsize ns[] = { 0, 1, 7, 8, 9, 1023, 1024, 1025, 10007 };
  LabRng rng;

  lab_rng_init (&rng, 6);
  for (guint k = 0; k < G_N_ELEMENTS (ns); k++)
    {
      gsize n = ns[k];
      g_autofree float *v = random_buffer (&rng, n);
      double sq = -1, ab = -1, want_sq = 0, want_ab = 0;

      for (gsize i = 0; i < n; i++)
        {
          want_sq += (double) v[i] * v[i];
          want_ab += fabs ((double) v[i]);
        }
      lab_sum_sq_abs (v, n, &sq, &ab);
      lab_assert_close (sq, want_sq, 1e-6, 0);
      lab_assert_close (ab, want_ab, 1e-6, 0);
      lab_sum_sq_abs (v, n, NULL, &ab);   /* either output may be NULL */
      lab_sum_sq_abs (v, n, &sq, NULL);
    }
  {
    const float v[] = { 1, -2, 3, -4, 5, -6, 7, -8, 9 };   /* hand-computed: 285 and 45 */
    double sq, ab;
    lab_sum_sq_abs (v, 9, &sq, &ab);
    g_assert_cmpfloat (sq, ==, 285.0);
    g_assert_cmpfloat (ab, ==, 45.0);
  }
}

static void
test_ops_sum_squares (void)
{
  const gsize ns[] = { 0, 1, 2, 3, 4, 5, 4095, 4096, 4097, 10007 };
  LabRng rng;

  lab_rng_init (&rng, 5);
  g_assert_cmpfloat (lab_sum_squares (NULL, 0), ==, 0.0);
  for (guint k = 0; k < G_N_ELEMENTS (ns); k++)
    {
      gsize n = ns[k];
      g_autofree float *v = random_buffer (&rng, n);
      double exact = 0;

      for (gsize i = 0; i < n; i++)
        exact += (double) v[i] * v[i];
      if (n == 0)
        g_assert_cmpfloat (lab_sum_squares (v, 0), ==, 0.0);
      else
        lab_assert_close (lab_sum_squares (v, n), exact, 1e-12, 0.0);
    }

  /* hand-computed: 1 + 4 + 9 + 16 + 25 = 55 */
  {
    const float v[] = { 1, -2, 3, -4, 5 };
    g_assert_cmpfloat (lab_sum_squares (v, 5), ==, 55.0);
  }

  /* a million equal values: a float accumulator drifts by ~1e-5 here; the header promises a
   * sum in double */
  {
    gsize n = 1000000;
    g_autofree float *v = g_new (float, n);
    for (gsize i = 0; i < n; i++)
      v[i] = 0.1f;
    lab_assert_close (lab_sum_squares (v, n), (double) n * ((double) 0.1f * 0.1f), 1e-9, 0.0);
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/engine/ops/forward", test_ops_forward);
  g_test_add_func ("/engine/ops/forward-hand", test_ops_forward_hand);
  g_test_add_func ("/engine/ops/backward", test_ops_backward);
  g_test_add_func ("/engine/ops/backward-no-dx", test_ops_backward_no_dx);
  g_test_add_func ("/engine/ops/backward-accumulates", test_ops_backward_accumulates);
  g_test_add_func ("/engine/ops/sum-squares", test_ops_sum_squares);
  g_test_add_func ("/engine/ops/sum-sq-abs", test_ops_sum_sq_abs);

  return g_test_run ();
}
