/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-bench-rundir-common.c: a fake finished run directory and the median of timings, for the
 * run-directory benchmarks (see lab-bench-rundir-common.h).
 */
#define G_LOG_DOMAIN "lab-bench"
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <glib/gstdio.h>

#include "lab-bench-rundir-common.h"
#include "lab-run-writer.h"

static const gsize sizes[LAB_BENCH_FAKE_LAYERS + 1] = { 784, 256, 128, 64, 10 };

static int
cmp_double (const void *a,
            const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

/* A row whose numbers have all their digits, as a real run's do. */
static void
fake_row (LabStepStats *st,
          guint64       step)
{
  double t = (double) step;

  memset (st, 0, sizeof *st);
  st->step = step;
  st->epoch = (guint) (step / 938) + 1;
  st->n_layers = LAB_BENCH_FAKE_LAYERS;
  st->time = t * 0.0123457;
  st->lr = 0.1 * cos (t * 1e-5);
  st->loss = 2.3 / sqrt (t) + 0.01 * sin (t);
  st->accuracy = 1.0 - 0.9 / sqrt (t);
  st->grad_norm = 1.3 / pow (t, 0.3);
  st->sparsity = 0;
  st->test_loss = step % 938 == 0 ? st->loss * 1.1 : NAN;
  st->test_accuracy = step % 938 == 0 ? st->accuracy * 0.98 : NAN;
  for (guint l = 0; l < LAB_BENCH_FAKE_LAYERS; l++)
    {
      LabLayerStats *ls = &st->layer[l];
      float k = (float) (l + 1);

      ls->grad_norm = 0.31f * k / sqrtf ((float) t);
      ls->grad_mean_abs = 1.7e-4f * k / sqrtf ((float) t);
      ls->delta_norm = 0.217f * k * (1.0f + 0.1f * sinf ((float) t));
      ls->weight_norm = 9.87f + 1e-5f * (float) t * k;
      ls->update_ratio = 1.37e-3f / k;
      ls->act_mean = 0.3141f * k;
      ls->act_std = 0.2718f * k;
      ls->act_dead = 0.0123f * k;
    }
}

char *
lab_bench_write_fake_run (guint64  n_rows,
                          gsize   *bytes)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LabRunManifest) m = NULL;
  g_autoptr(LabRunWriter) writer = NULL;
  g_autofree char *rows = NULL;
  LabHeavy *heavy = lab_heavy_new_chain (LAB_BENCH_FAKE_LAYERS, sizes, FALSE);
  char *dir = g_dir_make_tmp ("gradlab-bench-XXXXXX", &error);
  LabStepStats st;
  GStatBuf sb;

  g_assert_no_error (error);
  m = lab_run_manifest_new_from_heavy (heavy, 10, 1, 0);
  writer = lab_run_writer_new (dir, m, 0, &error);
  g_assert_no_error (error);
  for (guint64 s = 1; s <= n_rows; s++)
    {
      fake_row (&st, s);
      if (!lab_run_writer_append (writer, &st, &error))
        g_error ("%s", error->message);
    }
  if (!lab_run_writer_finish (writer, NULL, &error))
    g_error ("%s", error->message);
  rows = g_build_filename (dir, "rows.jsonl", NULL);
  *bytes = g_stat (rows, &sb) == 0 ? (gsize) sb.st_size : 0;
  lab_heavy_free (heavy);
  return dir;
}

void
lab_bench_remove_fake_run (const char *dir)
{
  static const char * const files[] = { "run.ini", "rows.jsonl", "status" };

  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autofree char *path = g_build_filename (dir, files[i], NULL);
      g_remove (path);
    }
  g_rmdir (dir);
}

double
lab_bench_median (double *v,
                  int     n)
{
  qsort (v, (size_t) n, sizeof (double), cmp_double);
  return v[n / 2];
}
