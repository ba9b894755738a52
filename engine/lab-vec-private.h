/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-vec-private.h: four floats as one value (GCC/Clang vector extensions), for the passes
 * over every parameter that a step makes besides sgemm: the optimiser and the statistics.
 *
 * Why not leave it to the auto-vectoriser: a loop with eight scalar lane accumulators
 * (float d[8]) compiled to shuffles, scalar adds and stack spills, ~2.5 GFLOP/s (perf annotate
 * of step_range). Written with LabVec, each lane is still its own sum in the same order, so the
 * results are the same bits as the scalar lane loops; only the instructions change. A LabVec is
 * one SSE/NEON register; loops keep two (eight lanes) to hide the latency of the adds. Wider
 * generic vectors (32 bytes) compiled worse on plain x86-64: GCC kept the accumulators on the
 * stack.
 */
#pragma once

#include <string.h>

#define LAB_VEC_LANES 4

typedef float  LabVec  __attribute__ ((vector_size (LAB_VEC_LANES * sizeof (float))));
typedef int    LabVecI __attribute__ ((vector_size (LAB_VEC_LANES * sizeof (int))));

/* memcpy: parameter slices of a layer start anywhere, so loads and stores are unaligned */
static inline LabVec
lab_vec_load (const float *x)
{
  LabVec v;
  memcpy (&v, x, sizeof v);
  return v;
}

static inline void
lab_vec_store (float  *x,
               LabVec  v)
{
  memcpy (x, &v, sizeof v);
}

static inline LabVec
lab_vec_abs (LabVec x)
{
  return (LabVec) ((LabVecI) x & 0x7fffffff);
}

static inline LabVec
lab_vec_sqrt (LabVec x)
{
  /* one sqrtps with -fno-math-errno; correctly rounded, as sqrtf */
  for (int k = 0; k < LAB_VEC_LANES; k++)
    x[k] = __builtin_sqrtf (x[k]);
  return x;
}

/* adds the lanes to a double in lane order, as the scalar lane loops did */
static inline void
lab_vec_fold (double *sum,
              LabVec  v)
{
  for (int k = 0; k < LAB_VEC_LANES; k++)
    *sum += v[k];
}
