/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-rng.h: the project's only random number generator, a seeded xorshift64* (as llm.c's
 * random_u32), so a run is reproducible from its seed on every platform. Never rand().
 */
#pragma once

#include "lab-types.h"

G_BEGIN_DECLS

struct _LabRng
{
  guint64 state;
};

void    lab_rng_init    (LabRng  *rng,
                         guint64  seed);
guint32 lab_rng_u32     (LabRng  *rng);
/* Uniform in [0, 1). */
float   lab_rng_uniform (LabRng  *rng);
/* Standard normal N(0, 1) (Box–Muller). */
float   lab_rng_normal  (LabRng  *rng);
/* Uniform integer in [0, n), without modulo bias. */
guint32 lab_rng_below   (LabRng  *rng,
                         guint32  n);
/* Fisher–Yates shuffle of idx[0..n). */
void    lab_rng_shuffle (LabRng  *rng,
                         guint32 *idx,
                         gsize    n);

G_END_DECLS
