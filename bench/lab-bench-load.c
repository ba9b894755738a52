/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-bench-load.c: how long a preset's data takes to load, as the engine thread loads it when
 * a run starts (Fashion-MNIST: four gzipped IDX files, 60000 + 10000 images kept as uint8).
 *   lab-bench-load --preset fashion-mlp --repeats 5
 * Prints load_seconds_median=… load_seconds_min=… n_train=… n_test=… bytes=…
 */
#define G_LOG_DOMAIN "lab-bench"
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "lab-blas-core.h"
#include "lab-config.h"
#include "lab-dataset.h"

static int
cmp_double (const void *a,
            const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) ctx = g_option_context_new ("- time a preset's data loading");
  g_autoptr(GError) error = NULL;
  g_autofree char *preset = g_strdup ("fashion-mlp");
  int repeats = 5;
  GOptionEntry entries[] = {
    { "preset", 0, 0, G_OPTION_ARG_STRING, &preset, "Preset whose data to load", "NAME" },
    { "repeats", 0, 0, G_OPTION_ARG_INT, &repeats, "Loads to time (median reported)", "N" },
    { NULL },
  };
  g_autofree double *secs = NULL;
  LabConfig cfg;
  gsize n_train = 0, n_test = 0, bytes = 0;

  lab_blas_core_init (argv);
  g_option_context_add_main_entries (ctx, entries, NULL);
  if (!g_option_context_parse (ctx, &argc, &argv, &error) || repeats < 1)
    {
      g_printerr ("lab-bench-load: %s\n", error ? error->message : "--repeats must be ≥ 1");
      return 2;
    }
  lab_config_init_defaults (&cfg);
  if (!lab_config_load_preset (&cfg, preset, &error))
    {
      g_printerr ("lab-bench-load: %s\n", error->message);
      return 1;
    }
  secs = g_new (double, repeats);
  for (int r = 0; r < repeats; r++)
    {
      gint64 t0 = g_get_monotonic_time ();
      g_autoptr(LabDataset) ds = lab_config_load_dataset (&cfg, &error);

      if (ds == NULL)
        {
          g_printerr ("lab-bench-load: %s\n", error->message);
          lab_config_clear (&cfg);
          return 1;
        }
      secs[r] = (double) (g_get_monotonic_time () - t0) / G_USEC_PER_SEC;
      n_train = ds->train.n;
      n_test = ds->test.n;
      bytes = (ds->train.n + ds->test.n) * ds->train.dim *
              (ds->train.x_u8 != NULL ? sizeof (guint8) : sizeof (float));
    }
  qsort (secs, repeats, sizeof (double), cmp_double);
  printf ("load_seconds_median=%.3f load_seconds_min=%.3f n_train=%zu n_test=%zu bytes=%zu\n",
          secs[repeats / 2], secs[0], n_train, n_test, bytes);
  lab_config_clear (&cfg);
  return 0;
}
