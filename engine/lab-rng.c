/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-rng.c: xorshift64* (Vigna 2016). Small, fast, and identical everywhere.
 */
#define G_LOG_DOMAIN "lab-engine"
#include "config.h"

#include <math.h>

#include "lab-rng.h"

void
lab_rng_init (LabRng  *rng,
              guint64  seed)
{
  /* splitmix64 scramble so that seeds 0, 1, 2 … give unrelated streams; state must be != 0. */
  guint64 z = seed + 0x9E3779B97F4A7C15ull;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  z = z ^ (z >> 31);
  rng->state = z ? z : 0x2545F4914F6CDD1Dull;
}

guint32
lab_rng_u32 (LabRng *rng)
{
  guint64 x = rng->state;
  x ^= x >> 12;
  x ^= x << 25;
  x ^= x >> 27;
  rng->state = x;
  return (guint32) ((x * 0x2545F4914F6CDD1Dull) >> 32);
}

float
lab_rng_uniform (LabRng *rng)
{
  /* 24 random bits: every value exactly representable, never 1.0. */
  return (lab_rng_u32 (rng) >> 8) * (1.0f / 16777216.0f);
}

float
lab_rng_normal (LabRng *rng)
{
  float u1 = lab_rng_uniform (rng);
  float u2 = lab_rng_uniform (rng);
  if (u1 < 1e-7f)
    u1 = 1e-7f;
  return sqrtf (-2.0f * logf (u1)) * cosf (2.0f * (float) G_PI * u2);
}

guint32
lab_rng_below (LabRng  *rng,
               guint32  n)
{
  g_assert (n > 0);
  /* Lemire's rejection keeps the result unbiased. */
  guint64 m = (guint64) lab_rng_u32 (rng) * n;
  guint32 l = (guint32) m;
  if (l < n)
    {
      guint32 t = (guint32) (-n) % n;
      while (l < t)
        {
          m = (guint64) lab_rng_u32 (rng) * n;
          l = (guint32) m;
        }
    }
  return (guint32) (m >> 32);
}

void
lab_rng_shuffle (LabRng  *rng,
                 guint32 *idx,
                 gsize    n)
{
  for (gsize i = n; i > 1; i--)
    {
      guint32 j = lab_rng_below (rng, (guint32) i);
      guint32 t = idx[i - 1];
      idx[i - 1] = idx[j];
      idx[j] = t;
    }
}
