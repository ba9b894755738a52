/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-histogram.h: the fixed-size histograms a heavy snapshot carries per layer (activations,
 * and log10 |∂L/∂W| of the gradients), counted on an evenly strided sample so that a 784×300
 * layer costs the same as a small one.
 */
#pragma once

#include "lab-types.h"

G_BEGIN_DECLS

#define LAB_HIST_BINS    48
#define LAB_HIST_SAMPLES 4096   /* at most this many values are counted (the shape is what shows) */

/* A histogram over [lo, hi) in LAB_HIST_BINS bins. */
typedef struct
{
  float lo;
  float hi;
  guint count[LAB_HIST_BINS];
  guint nonfinite;   /* sampled values that were inf or NaN (an overflowing layer), not binned */
} LabHistogram;

/* Counts v[0..n) (at most LAB_HIST_SAMPLES of them, evenly strided) into bins over [lo, hi);
 * values outside go to the end bins. With @log_abs, counts log10 |v| and skips exact zeros
 * (pruned weights have no logarithm). */
void lab_histogram_fill       (LabHistogram *h,
                               const float  *v,
                               gsize         n,
                               float         lo,
                               float         hi,
                               gboolean      log_abs);
/* The finite range [lo, hi] of v[0..n), widened to hi = lo + 1 when it is a single value or
 * nothing is finite. Inf and NaN are left for lab_histogram_fill() to count apart. */
void lab_histogram_range      (const float  *v,
                               gsize         n,
                               float        *lo,
                               float        *hi);

G_END_DECLS
