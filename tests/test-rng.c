/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * test-rng.c: the project's random number generator. A run must be reproducible from its seed,
 * so the same seed has to give the same stream and different seeds different streams; the
 * uniform, normal and integer draws must have the moments and ranges they promise, and a
 * shuffle must be a deterministic permutation. The statistical bounds are several standard
 * errors wide, and the seeds are fixed, so the tests cannot flake.
 */
#define G_LOG_DOMAIN "lab-test"
#include "config.h"

#include <math.h>
#include <string.h>

#include "lab-rng.h"
#include "lab-test-utils.h"

#define N_DRAWS 100000

static void
test_rng_same_seed (void)
{
  LabRng a, b;

  lab_rng_init (&a, 1234);
  lab_rng_init (&b, 1234);
  for (guint i = 0; i < 10000; i++)
    g_assert_cmpuint (lab_rng_u32 (&a), ==, lab_rng_u32 (&b));

  /* also through the derived draws */
  lab_rng_init (&a, 0);
  lab_rng_init (&b, 0);
  for (guint i = 0; i < 1000; i++)
    {
      g_assert_cmpfloat (lab_rng_uniform (&a), ==, lab_rng_uniform (&b));
      g_assert_cmpfloat (lab_rng_normal (&a), ==, lab_rng_normal (&b));
      g_assert_cmpuint (lab_rng_below (&a, 17), ==, lab_rng_below (&b, 17));
    }
}

static void
test_rng_different_seeds (void)
{
  /* neighbouring seeds (0, 1, 2 …) must give unrelated streams */
  for (guint64 s = 0; s < 16; s++)
    {
      LabRng a, b;
      guint same = 0;

      lab_rng_init (&a, s);
      lab_rng_init (&b, s + 1);
      g_assert_cmpuint (a.state, !=, 0);
      for (guint i = 0; i < 1000; i++)
        same += lab_rng_u32 (&a) == lab_rng_u32 (&b);
      g_assert_cmpuint (same, <=, 1);
    }
}

static void
test_rng_uniform (void)
{
  LabRng rng;
  double sum = 0, sum2 = 0;
  float lo = 1, hi = 0;

  lab_rng_init (&rng, 42);
  for (guint i = 0; i < N_DRAWS; i++)
    {
      float u = lab_rng_uniform (&rng);
      g_assert_cmpfloat (u, >=, 0.0f);
      g_assert_cmpfloat (u, <, 1.0f);
      sum += u;
      sum2 += (double) u * u;
      lo = MIN (lo, u);
      hi = MAX (hi, u);
    }
  g_assert_cmpfloat_with_epsilon (sum / N_DRAWS, 0.5, 0.01);
  /* Var U(0,1) = 1/12 */
  g_assert_cmpfloat_with_epsilon (sum2 / N_DRAWS - (sum / N_DRAWS) * (sum / N_DRAWS),
                                  1.0 / 12.0, 0.005);
  g_assert_cmpfloat (lo, <, 1e-3);
  g_assert_cmpfloat (hi, >, 1.0 - 1e-3);
}

static void
test_rng_normal (void)
{
  LabRng rng;
  double sum = 0, sum2 = 0;
  guint within_1 = 0;

  lab_rng_init (&rng, 7);
  for (guint i = 0; i < N_DRAWS; i++)
    {
      float x = lab_rng_normal (&rng);
      g_assert_true (isfinite (x));
      sum += x;
      sum2 += (double) x * x;
      within_1 += fabsf (x) < 1.0f;
    }
  double mean = sum / N_DRAWS;
  double std = sqrt (sum2 / N_DRAWS - mean * mean);
  g_assert_cmpfloat_with_epsilon (mean, 0.0, 0.02);
  g_assert_cmpfloat_with_epsilon (std, 1.0, 0.02);
  /* P(|x| < 1) = 0.6827 for a standard normal */
  g_assert_cmpfloat_with_epsilon ((double) within_1 / N_DRAWS, 0.6827, 0.01);
}

static void
test_rng_below (void)
{
  const guint32 ns[] = { 1, 2, 3, 10, 97 };

  for (guint k = 0; k < G_N_ELEMENTS (ns); k++)
    {
      guint32 n = ns[k];
      g_autofree guint *count = g_new0 (guint, n);
      double expected = (double) N_DRAWS / n, chi2 = 0;
      LabRng rng;

      lab_rng_init (&rng, 99 + k);
      for (guint i = 0; i < N_DRAWS; i++)
        {
          guint32 v = lab_rng_below (&rng, n);
          g_assert_cmpuint (v, <, n);
          count[v]++;
        }
      for (guint32 i = 0; i < n; i++)
        chi2 += (count[i] - expected) * (count[i] - expected) / expected;
      /* χ² with n-1 degrees of freedom: mean n-1, std sqrt(2(n-1)); allow 5 std + slack */
      double dof = n - 1;
      g_assert_cmpfloat (chi2, <=, dof + 5.0 * sqrt (2.0 * dof) + 10.0);
    }

  /* a large n, where the rejection step matters: still in range */
  {
    LabRng rng;
    guint32 n = 0x80000001u;
    lab_rng_init (&rng, 3);
    for (guint i = 0; i < 10000; i++)
      g_assert_cmpuint (lab_rng_below (&rng, n), <, n);
  }
}

static void
test_rng_shuffle (void)
{
  const gsize n = 1000;
  g_autofree guint32 *a = g_new (guint32, n);
  g_autofree guint32 *b = g_new (guint32, n);
  g_autofree gboolean *seen = g_new0 (gboolean, n);
  LabRng ra, rb;
  gsize fixed = 0;

  for (gsize i = 0; i < n; i++)
    a[i] = b[i] = (guint32) i;
  lab_rng_init (&ra, 5);
  lab_rng_init (&rb, 5);
  lab_rng_shuffle (&ra, a, n);
  lab_rng_shuffle (&rb, b, n);

  g_assert_cmpmem (a, n * sizeof (guint32), b, n * sizeof (guint32));
  for (gsize i = 0; i < n; i++)
    {
      g_assert_cmpuint (a[i], <, n);
      g_assert_false (seen[a[i]]);
      seen[a[i]] = TRUE;
      fixed += a[i] == i;
    }
  /* a random permutation has ~1 fixed point; the identity would have n */
  g_assert_cmpuint (fixed, <, 10);

  /* another seed gives another order */
  for (gsize i = 0; i < n; i++)
    b[i] = (guint32) i;
  lab_rng_init (&rb, 6);
  lab_rng_shuffle (&rb, b, n);
  g_assert_true (memcmp (a, b, n * sizeof (guint32)) != 0);

  /* edge cases: empty and single element */
  {
    guint32 one = 0;
    lab_rng_shuffle (&ra, NULL, 0);
    lab_rng_shuffle (&ra, &one, 1);
    g_assert_cmpuint (one, ==, 0);
  }
}

/* Each position of a shuffled 4-array should hold each value ~1/4 of the time. */
static void
test_rng_shuffle_uniform (void)
{
  guint count[4][4] = { { 0 } };
  const guint trials = 40000;
  LabRng rng;

  lab_rng_init (&rng, 11);
  for (guint t = 0; t < trials; t++)
    {
      guint32 v[4] = { 0, 1, 2, 3 };
      lab_rng_shuffle (&rng, v, 4);
      for (guint p = 0; p < 4; p++)
        count[p][v[p]]++;
    }
  for (guint p = 0; p < 4; p++)
    for (guint k = 0; k < 4; k++)
      g_assert_cmpfloat_with_epsilon ((double) count[p][k] / trials, 0.25, 0.015);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/engine/rng/same-seed", test_rng_same_seed);
  g_test_add_func ("/engine/rng/different-seeds", test_rng_different_seeds);
  g_test_add_func ("/engine/rng/uniform", test_rng_uniform);
  g_test_add_func ("/engine/rng/normal", test_rng_normal);
  g_test_add_func ("/engine/rng/below", test_rng_below);
  g_test_add_func ("/engine/rng/shuffle", test_rng_shuffle);
  g_test_add_func ("/engine/rng/shuffle-uniform", test_rng_shuffle_uniform);

  return g_test_run ();
}
