/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-ops.c: dense-layer kernels. The fast versions call cblas_sgemm with transpose flags
 * instead of copying; the _ref versions are plain loops, kept as the reference the tests
 * compare against.
 */
#define G_LOG_DOMAIN "lab-engine"
#include "config.h"

#include <cblas.h>
#include <math.h>
#include <pthread.h>
#include <string.h>

#include "lab-ops.h"
#include "lab-vec-private.h"

static guint blas_threads = 0;
static guint reserved_cores = 0;   /* under blas_lock */

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
                     gsize        N,
                     gboolean     accumulate)
{
  /* G_W += dZᵀ·X (or = when not accumulating: sgemm's beta 0 saves a memset pass) */
  cblas_sgemm (CblasRowMajor, CblasTrans, CblasNoTrans,
               (int) N, (int) K, (int) B,
               1.0f, dz, (int) N, x, (int) K,
               accumulate ? 1.0f : 0.0f, dw, (int) K);
  /* G_b += Σ_B dZ */
  if (!accumulate)
    memset (db, 0, N * sizeof (float));
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

/* Reductions keep LAB_VEC_LANES independent accumulators, so they run as vector code without
 * reassociating floating point: each lane is its own sum, folded in lane order. */

void
lab_sum_sq_abs (const float *v,
                gsize        n,
                double      *sum_sq,
                double      *sum_abs)
{
  /* float lanes folded into double every 1024 values: these are statistics for display, good
   * to ~1e-6 relative */
  double sq = 0, ab = 0;
  gsize i = 0;

  while (i + 2 * LAB_VEC_LANES <= n)
    {
      gsize stop = MIN (n, i + 1024);
      LabVec s0 = { 0 }, a0 = { 0 }, s1 = { 0 }, a1 = { 0 };
      for (; i + 2 * LAB_VEC_LANES <= stop; i += 2 * LAB_VEC_LANES)
        {
          LabVec x0 = lab_vec_load (v + i), x1 = lab_vec_load (v + i + LAB_VEC_LANES);
          s0 += x0 * x0;
          s1 += x1 * x1;
          a0 += lab_vec_abs (x0);
          a1 += lab_vec_abs (x1);
        }
      lab_vec_fold (&sq, s0);
      lab_vec_fold (&sq, s1);
      lab_vec_fold (&ab, a0);
      lab_vec_fold (&ab, a1);
    }
  for (; i < n; i++)
    {
      sq += (double) v[i] * v[i];
      ab += fabs ((double) v[i]);
    }
  if (sum_sq)
    *sum_sq = sq;
  if (sum_abs)
    *sum_abs = ab;
}

double
lab_sum_squares (const float *v,
                 gsize        n)
{
  /* double lanes: the products of floats are exact in double */
  typedef double LabVecD __attribute__ ((vector_size (2 * sizeof (double))));
  LabVecD s0 = { 0 }, s1 = { 0 }, s2 = { 0 }, s3 = { 0 };
  double sq[8];
  gsize i = 0;

  for (; i + 2 * LAB_VEC_LANES <= n; i += 2 * LAB_VEC_LANES)
    {
      LabVec lo = lab_vec_load (v + i), hi = lab_vec_load (v + i + LAB_VEC_LANES);
      LabVecD x0 = __builtin_convertvector (__builtin_shufflevector (lo, lo, 0, 1), LabVecD);
      LabVecD x1 = __builtin_convertvector (__builtin_shufflevector (lo, lo, 2, 3), LabVecD);
      LabVecD x2 = __builtin_convertvector (__builtin_shufflevector (hi, hi, 0, 1), LabVecD);
      LabVecD x3 = __builtin_convertvector (__builtin_shufflevector (hi, hi, 2, 3), LabVecD);
      s0 += x0 * x0;
      s1 += x1 * x1;
      s2 += x2 * x2;
      s3 += x3 * x3;
    }
  sq[0] = s0[0], sq[1] = s0[1], sq[2] = s1[0], sq[3] = s1[1];
  sq[4] = s2[0], sq[5] = s2[1], sq[6] = s3[0], sq[7] = s3[1];
  for (; i < n; i++)
    sq[0] += (double) v[i] * v[i];
  return ((sq[0] + sq[1]) + (sq[2] + sq[3])) + ((sq[4] + sq[5]) + (sq[6] + sq[7]));
}

/* OpenBLAS's thread count is process-wide and two sessions (compare mode) may set it from their
 * own threads: serialise the calls (a pthread mutex, which ThreadSanitizer can see). */
static pthread_mutex_t blas_lock = PTHREAD_MUTEX_INITIALIZER;

void
lab_blas_set_threads (guint n)
{
  if (n == 0)
    n = g_get_num_processors ();
  pthread_mutex_lock (&blas_lock);
  if (n != blas_threads)
    openblas_set_num_threads ((int) n);
  blas_threads = n;
  pthread_mutex_unlock (&blas_lock);
}

void
lab_blas_reserve_cores (guint n)
{
  pthread_mutex_lock (&blas_lock);
  reserved_cores = n;
  pthread_mutex_unlock (&blas_lock);
}

guint
lab_blas_auto_threads (void)
{
  guint cores = g_get_num_processors (), reserved;

  pthread_mutex_lock (&blas_lock);
  reserved = reserved_cores;
  pthread_mutex_unlock (&blas_lock);
  return cores > reserved ? cores - reserved : 1;
}

guint
lab_blas_threads (void)
{
  guint n;

  pthread_mutex_lock (&blas_lock);
  n = blas_threads ? blas_threads : (guint) openblas_get_num_threads ();
  pthread_mutex_unlock (&blas_lock);
  return n;
}
