/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-ops.c: dense-layer kernels. The fast versions call cblas_sgemm with transpose flags
 * instead of copying; the _ref versions are plain loops, kept as the reference the tests
 * compare against.
 */
#define G_LOG_DOMAIN "lab-engine"
#include "config.h"

#include <cblas.h>
#include <string.h>

#include "lab-ops.h"

static guint blas_threads = 0;

void
lab_linear_forward (float       *z,
                    const float *x,
                    const float *w,
                    const float *b,
                    gsize        B,
                    gsize        K,
                    gsize        N)
{
  /* Seed Z with the bias rows so sgemm's beta = 1 adds X·Wᵀ in the same pass. */
  for (gsize r = 0; r < B; r++)
    memcpy (z + r * N, b, N * sizeof (float));
  cblas_sgemm (CblasRowMajor, CblasNoTrans, CblasTrans,
               (int) B, (int) N, (int) K,
               1.0f, x, (int) K, w, (int) K,
               1.0f, z, (int) N);
}

void
lab_linear_forward_ref (float       *z,
                        const float *x,
                        const float *w,
                        const float *b,
                        gsize        B,
                        gsize        K,
                        gsize        N)
{
  for (gsize r = 0; r < B; r++)
    for (gsize o = 0; o < N; o++)
      {
        double s = b[o];
        for (gsize i = 0; i < K; i++)
          s += (double) x[r * K + i] * w[o * K + i];
        z[r * N + o] = (float) s;
      }
}

void
lab_linear_backward (float       *dx,
                     float       *dw,
                     float       *db,
                     const float *dz,
                     const float *x,
                     const float *w,
                     gsize        B,
                     gsize        K,
                     gsize        N)
{
  /* G_W += dZᵀ·X */
  cblas_sgemm (CblasRowMajor, CblasTrans, CblasNoTrans,
               (int) N, (int) K, (int) B,
               1.0f, dz, (int) N, x, (int) K,
               1.0f, dw, (int) K);
  /* G_b += Σ_B dZ */
  for (gsize r = 0; r < B; r++)
    {
      const float *row = dz + r * N;
      for (gsize o = 0; o < N; o++)
        db[o] += row[o];
    }
  /* dX = dZ·W */
  if (dx != NULL)
    cblas_sgemm (CblasRowMajor, CblasNoTrans, CblasNoTrans,
                 (int) B, (int) K, (int) N,
                 1.0f, dz, (int) N, w, (int) K,
                 0.0f, dx, (int) K);
}

void
lab_linear_backward_ref (float       *dx,
                         float       *dw,
                         float       *db,
                         const float *dz,
                         const float *x,
                         const float *w,
                         gsize        B,
                         gsize        K,
                         gsize        N)
{
  for (gsize o = 0; o < N; o++)
    {
      double sb = 0;
      for (gsize r = 0; r < B; r++)
        sb += dz[r * N + o];
      db[o] += (float) sb;
      for (gsize i = 0; i < K; i++)
        {
          double s = 0;
          for (gsize r = 0; r < B; r++)
            s += (double) dz[r * N + o] * x[r * K + i];
          dw[o * K + i] += (float) s;
        }
    }
  if (dx != NULL)
    for (gsize r = 0; r < B; r++)
      for (gsize i = 0; i < K; i++)
        {
          double s = 0;
          for (gsize o = 0; o < N; o++)
            s += (double) dz[r * N + o] * w[o * K + i];
          dx[r * K + i] = (float) s;
        }
}

double
lab_sum_squares (const float *v,
                 gsize        n)
{
  /* Four double accumulators: the products of floats are exact in double, and a float
   * accumulator over 1024 terms lost up to ~1e-5 relative (1e6 × 0.1² gave 10000.14). */
  double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  gsize i = 0;
  for (; i + 4 <= n; i += 4)
    {
      s0 += (double) v[i] * v[i];
      s1 += (double) v[i + 1] * v[i + 1];
      s2 += (double) v[i + 2] * v[i + 2];
      s3 += (double) v[i + 3] * v[i + 3];
    }
  for (; i < n; i++)
    s0 += (double) v[i] * v[i];
  return (s0 + s1) + (s2 + s3);
}

void
lab_blas_set_threads (guint n)
{
  if (n == 0)
    n = g_get_num_processors ();
  openblas_set_num_threads ((int) n);
  blas_threads = n;
}

guint
lab_blas_threads (void)
{
  return blas_threads ? blas_threads : (guint) openblas_get_num_threads ();
}
