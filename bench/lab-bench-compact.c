/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-bench-compact.c: what neuron pruning with compaction buys. Times training steps of
 * LeNet-300-100 on Fashion-MNIST dense, then with 50 % of the hidden neurons pruned by a mask,
 * then after compaction removed them from the matrices, and prints ms per step (median of
 * blocks, on the thread's CPU clock so other tenants of the machine do not count).
 *
 *   lab-bench-compact [--fraction 0.5] [--steps 300]
 */
#include "config.h"

#include <stdio.h>
#include <time.h>

#include "lab-blas-core.h"
#include "lab-config.h"
#include "lab-ops.h"
#include "lab-trainer.h"

static double
thread_cpu (void)
{
  struct timespec ts;
  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static gint
cmp_double (gconstpointer a,
            gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return (x > y) - (x < y);
}

/* Median ms per step over 5 blocks of @steps / 5 steps. */
static double
time_steps (LabTrainer *tr,
            int         steps)
{
  double blocks[5];
  LabStepStats st;
  g_autoptr(GError) error = NULL;

  for (int b = 0; b < 5; b++)
    {
      double t0 = thread_cpu ();
      for (int i = 0; i < steps / 5; i++)
        if (!lab_trainer_step (tr, &st, &error))
          g_error ("%s", error->message);
      blocks[b] = (thread_cpu () - t0) * 1e3 / (steps / 5);
    }
  qsort (blocks, 5, sizeof (double), (int (*) (const void *, const void *)) cmp_double);
  return blocks[2];
}

int
main (int    argc,
      char **argv)
{
  double fraction = 0.5;
  int steps = 300;
  GOptionEntry entries[] = {
    { "fraction", 0, 0, G_OPTION_ARG_DOUBLE, &fraction, "Fraction of hidden neurons", "F" },
    { "steps", 0, 0, G_OPTION_ARG_INT, &steps, "Steps per measurement", "N" },
    { NULL },
  };
  g_autoptr(GOptionContext) ctx = g_option_context_new ("- neuron compaction speed-up");
  g_autoptr(GError) error = NULL;
  g_autoptr(LabTrainer) tr = NULL;
  LabPruneSpec spec = { .criterion = LAB_PRUNE_MAGNITUDE, .scope = LAB_PRUNE_SCOPE_LAYER,
                        .structure = LAB_PRUNE_NEURON };
  LabConfig cfg;
  LabMlp *mlp;
  double dense, masked, compact;

  lab_blas_core_init (argv);
  g_option_context_add_main_entries (ctx, entries, NULL);
  if (!g_option_context_parse (ctx, &argc, &argv, &error))
    g_error ("%s", error->message);
  lab_config_init_defaults (&cfg);
  if (!lab_config_load_preset (&cfg, "fashion-mlp", &error) ||
      !lab_config_set (&cfg, "model.hidden", "300,100", &error) ||
      !lab_config_set (&cfg, "train.threads", "1", &error))
    g_error ("%s", error->message);
  if ((tr = lab_trainer_new (&cfg, NULL, &error)) == NULL)
    g_error ("%s", error->message);

  time_steps (tr, steps);   /* warm-up */
  dense = time_steps (tr, steps);
  spec.target = fraction;
  if (!lab_trainer_prune_now (tr, &spec, NULL, &error))
    g_error ("%s", error->message);
  masked = time_steps (tr, steps);
  if (!lab_trainer_compact (tr, &error))
    g_error ("%s", error->message);
  mlp = lab_trainer_get_mlp (tr);
  compact = time_steps (tr, steps);
  printf ("network=784-300-100-10 pruned_neurons=%.0f%% compacted=%zu-%zu-%zu-%zu "
          "ms_per_step_dense=%.3f ms_per_step_masked=%.3f ms_per_step_compacted=%.3f "
          "speedup_vs_masked=%.2f blas_core=%s blas_threads=%u\n", fraction * 100,
          mlp->sizes[0], mlp->sizes[1], mlp->sizes[2], mlp->sizes[3], dense, masked, compact,
          masked / compact, lab_blas_core_name (), lab_blas_threads ());
  lab_config_clear (&cfg);
  return 0;
}
