/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-ops.h: the dense-layer kernels on batch-major buffers (B batch, K inputs, N outputs; not I/O: complex.h, pulled in by cblas.h, defines I), with cblas_sgemm, each beside its
 * naive `_ref` twin that the tests compare against (llm.c's matmul_forward_naive).
 */
#pragma once

#include "lab-types.h"

G_BEGIN_DECLS

/* Z = X·Wᵀ + b */
void lab_linear_forward      (float       *z,   /* (B, N) */
                              const float *x,   /* (B, K) */
                              const float *w,   /* (N, K) */
                              const float *b,   /* (N) */
                              gsize        B,
                              gsize        K,
                              gsize        N);
void lab_linear_forward_ref  (float       *z,
                              const float *x,
                              const float *w,
                              const float *b,
                              gsize        B,
                              gsize        K,
                              gsize        N);

/* G_W += dZᵀ·X ; G_b += Σ_B dZ ; dX = dZ·W (dX may be NULL for the first layer).
 * With @accumulate FALSE, G_W and G_b are overwritten instead (= rather than +=). */
void lab_linear_backward     (float       *dx,  /* (B, K) or NULL */
                              float       *dw,  /* (N, K) */
                              float       *db,  /* (N) */
                              const float *dz,  /* (B, N) */
                              const float *x,   /* (B, K) */
                              const float *w,   /* (N, K) */
                              gsize        B,
                              gsize        K,
                              gsize        N,
                              gboolean     accumulate);
void lab_linear_backward_ref (float       *dx,
                              float       *dw,
                              float       *db,
                              const float *dz,
                              const float *x,
                              const float *w,
                              gsize        B,
                              gsize        K,
                              gsize        N);

/* Σ v² in double, for norms that do not lose precision on large layers. */
double lab_sum_squares       (const float *v,
                              gsize        n);
/* Σ v² and Σ |v| in one pass (either output may be NULL). */
void   lab_sum_sq_abs        (const float *v,
                              gsize        n,
                              double      *sum_sq,
                              double      *sum_abs);

/* Sets OpenBLAS's thread count (and remembers it for lab_blas_threads()). */
void   lab_blas_set_threads  (guint        n);
guint  lab_blas_threads      (void);
/* Automatic thread counts leave @n cores to the rest of the process: the window reserves one
 * for its UI thread. lab_blas_auto_threads() is the cores minus those, at least 1. */
void   lab_blas_reserve_cores (guint       n);
guint  lab_blas_auto_threads (void);

G_END_DECLS
