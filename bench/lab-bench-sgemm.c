/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-bench-sgemm.c: the OpenBLAS ceiling for a training step of an MLP. Times exactly the
 * three sgemm calls per layer that lab_mlp_forward/backward make (Z = X·Wᵀ, G_W += dZᵀ·X,
 * dX = dZ·W) on the layer shapes given, with the same betas (Z seeded with the bias, so beta 1;
 * G_W overwritten, so beta 0, for which OpenBLAS zeroes G_W in a pass of its own), and prints
 * GFLOP/s and the samples/s a step made only of these GEMMs would reach, with the OpenBLAS
 * kernels that ran (chosen as gradlab-cli chooses them, lab_blas_core_init()).
 *
 *   lab-bench-sgemm --sizes 784,256,128,10 --batch 64 --threads 2
 */
#include "config.h"

#include <cblas.h>
#include <stdio.h>
#include <stdlib.h>

#include <glib.h>

#include "lab-blas-core.h"
#include "lab-ops.h"

int
main (int    argc,
      char **argv)
{
  g_autofree char *sizes_s = g_strdup ("784,256,128,10");
  int batch = 64, threads = 2;
  double seconds = 2.0;
  GOptionEntry entries[] = {
    { "sizes", 0, 0, G_OPTION_ARG_STRING, &sizes_s, "Layer sizes", "N,N,…" },
    { "batch", 0, 0, G_OPTION_ARG_INT, &batch, "Batch size", "B" },
    { "threads", 0, 0, G_OPTION_ARG_INT, &threads, "OpenBLAS threads", "T" },
    { "seconds", 0, 0, G_OPTION_ARG_DOUBLE, &seconds, "Time to run", "S" },
    { NULL },
  };
  g_autoptr(GOptionContext) ctx = g_option_context_new ("- sgemm ceiling of an MLP step");
  g_auto(GStrv) parts = NULL;
  gsize sizes[64], n_sizes = 0, max_w = 0;
  float *w[64], *x, *z, *dz, *dw[64];
  double flop_per_step = 0, params = 0;
  gint64 t0, t;
  guint64 steps = 0;

  lab_blas_core_init (argv);
  g_option_context_add_main_entries (ctx, entries, NULL);
  if (!g_option_context_parse (ctx, &argc, &argv, NULL))
    return 2;
  parts = g_strsplit (sizes_s, ",", -1);
  for (guint i = 0; parts[i] && n_sizes < 64; i++)
    sizes[n_sizes++] = (gsize) g_ascii_strtoull (parts[i], NULL, 10);
  lab_blas_set_threads ((guint) MAX (threads, 0));

  for (gsize l = 0; l < n_sizes; l++)
    max_w = MAX (max_w, sizes[l]);
  x = g_new0 (float, (gsize) batch * max_w);
  z = g_new0 (float, (gsize) batch * max_w);
  dz = g_new0 (float, (gsize) batch * max_w);
  for (gsize l = 0; l + 1 < n_sizes; l++)
    {
      gsize n = sizes[l] * sizes[l + 1];
      w[l] = g_new (float, n);
      dw[l] = g_new0 (float, n);
      for (gsize i = 0; i < n; i++)
        w[l][i] = 0.01f * (float) ((i * 2654435761u) % 1000) / 1000.0f;
      params += (double) n + sizes[l + 1];
      /* forward 2BKN, dW 2BKN, dX 2BKN (not for the first layer) */
      flop_per_step += (l == 0 ? 4.0 : 6.0) * batch * sizes[l] * sizes[l + 1];
    }
  for (gsize i = 0; i < (gsize) batch * max_w; i++)
    x[i] = dz[i] = 0.5f;

  t0 = g_get_monotonic_time ();
  do
    {
      for (gsize l = 0; l + 1 < n_sizes; l++)
        {
          int K = (int) sizes[l], N = (int) sizes[l + 1];
          cblas_sgemm (CblasRowMajor, CblasNoTrans, CblasTrans, batch, N, K,
                       1.0f, x, K, w[l], K, 1.0f, z, N);
        }
      for (gsize l = n_sizes - 1; l-- > 0;)
        {
          int K = (int) sizes[l], N = (int) sizes[l + 1];
          cblas_sgemm (CblasRowMajor, CblasTrans, CblasNoTrans, N, K, batch,
                       1.0f, dz, N, x, K, 0.0f, dw[l], K);
          if (l > 0)
            cblas_sgemm (CblasRowMajor, CblasNoTrans, CblasNoTrans, batch, K, N,
                         1.0f, dz, N, w[l], K, 0.0f, z, K);
        }
      steps++;
      t = g_get_monotonic_time ();
    }
  while (t - t0 < seconds * G_USEC_PER_SEC);

  {
    double s = (double) (t - t0) / G_USEC_PER_SEC;
    printf ("sgemm_gflops=%.2f sgemm_samples_per_sec=%.0f params=%.0f batch=%d threads=%u "
            "blas_core=%s\n", flop_per_step * steps / s / 1e9, (double) steps * batch / s, params,
            batch, lab_blas_threads (), lab_blas_core_name ());
  }
  return 0;
}
