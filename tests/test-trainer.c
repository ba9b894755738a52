/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * test-trainer.c: the training loop end to end: determinism, learning on real data, divergence,
 * live settings, weights on disk and metrics files.
 */
#define G_LOG_DOMAIN "lab-test"
#include "config.h"

#include <math.h>
#include <string.h>

#include "lab-config.h"
#include "lab-error.h"
#include "lab-metrics.h"
#include "lab-record.h"
#include "lab-ops.h"
#include "lab-test-utils.h"
#include "lab-trainer.h"

static void
test_determinism (void)
{
  const char *sets[] = { "data.n_train=300", "model.hidden=12,12", "train.batch=16", NULL };
  g_autoptr(LabTrainer) a = lab_test_new_trainer ("spiral", sets);
  g_autoptr(LabTrainer) b = lab_test_new_trainer ("spiral", sets);
  const char *sets2[] = { "data.n_train=300", "model.hidden=12,12", "train.batch=16",
                          "train.seed=2", NULL };
  g_autoptr(LabTrainer) c = lab_test_new_trainer ("spiral", sets2);
  gboolean differs = FALSE;

  for (int i = 0; i < 60; i++)
    {
      LabStepStats sa, sb, sc;
      g_assert_true (lab_trainer_step (a, &sa, NULL));
      g_assert_true (lab_trainer_step (b, &sb, NULL));
      g_assert_true (lab_trainer_step (c, &sc, NULL));
      sa.time = sb.time = sc.time = 0;
      sa.step_time = sb.step_time = sc.step_time = 0;
      g_assert_cmpmem (&sa, sizeof sa, &sb, sizeof sb);
      differs |= sa.loss != sc.loss;
    }
  g_assert_cmpmem (lab_trainer_get_mlp (a)->params, lab_trainer_get_mlp (a)->n_params * 4,
                   lab_trainer_get_mlp (b)->params, lab_trainer_get_mlp (b)->n_params * 4);
  g_assert_true (differs);
}

static void
test_epochs_and_steps (void)
{
  const char *sets[] = { "data.n_train=100", "train.batch=32", "train.epochs=3", NULL };
  g_autoptr(LabTrainer) tr = lab_test_new_trainer ("spiral", sets);
  LabStepStats st;
  guint64 n = 0;

  /* 100 samples in batches of 32: 4 steps per epoch, the last one partial */
  g_assert_cmpuint (lab_trainer_steps_per_epoch (tr), ==, 4);
  g_assert_cmpuint (lab_trainer_total_steps (tr), ==, 12);
  while (!lab_trainer_finished (tr))
    {
      g_assert_true (lab_trainer_step (tr, &st, NULL));
      n++;
      g_assert_cmpuint (st.step, ==, n);
      g_assert_cmpuint (st.epoch, ==, (n - 1) / 4 + 1);
    }
  g_assert_cmpuint (n, ==, 12);
  g_assert_cmpuint (lab_trainer_samples_seen (tr), ==, 300);
}

static void
test_spiral_learns (void)
{
  g_autoptr(LabTrainer) tr = lab_test_new_trainer ("spiral", NULL);
  LabStepStats st;
  LabEval ev;

  while (!lab_trainer_finished (tr))
    g_assert_true (lab_trainer_step (tr, &st, NULL));
  ev = lab_trainer_evaluate (tr, FALSE);
  g_test_message ("spiral: %" G_GUINT64_FORMAT " steps, train accuracy %.4f, test %.4f",
                  st.step, ev.accuracy, lab_trainer_evaluate (tr, TRUE).accuracy);
  g_assert_cmpfloat (ev.accuracy, >=, 0.95);
}

static void
test_fashion_one_epoch (void)
{
  const char *sets[] = { "model.hidden=128", "model.activation=relu", "model.init=he-normal",
                         "train.optimizer=sgd", "train.lr=0.1", "train.batch=64",
                         "train.epochs=1", "train.threads=1", NULL };
  g_autoptr(LabTrainer) tr = NULL;
  LabStepStats st;
  LabEval ev;

  if (!lab_test_have_fashion_mnist ())
    {
      g_test_skip ("Fashion-MNIST is not installed (Debian package dataset-fashion-mnist)");
      return;
    }
  tr = lab_test_new_trainer ("fashion-mlp", sets);
  while (!lab_trainer_finished (tr))
    g_assert_true (lab_trainer_step (tr, &st, NULL));
  ev = lab_trainer_evaluate (tr, TRUE);
  g_test_message ("fashion-mnist 784-128-10, 1 epoch: test accuracy %.4f", ev.accuracy);
  g_assert_cmpuint (ev.n, ==, 10000);
  g_assert_cmpfloat (ev.accuracy, >=, 0.80);
}

/* train.threads = 0 picks one OpenBLAS thread for a tiny net and every core (less those
 * reserved) once a step's GEMMs are large (6 · parameters · batch ≥ 8 MFLOP); an explicit count
 * is kept; a batch change re-decides. */
static void
test_auto_threads (void)
{
  const char *tiny[] = { "train.threads=0", "train.batch=64", NULL };
  const char *big[] = { "train.threads=0", "model.hidden=1024,1024", "train.batch=64", NULL };
  const char *fixed[] = { "train.threads=1", "model.hidden=1024,1024", "train.batch=64", NULL };
  guint cores = g_get_num_processors ();

  {
    g_autoptr(LabTrainer) tr = lab_test_new_trainer ("spiral", tiny);
    g_assert_nonnull (tr);
    g_assert_cmpuint (lab_blas_threads (), ==, 1);
  }
  {
    g_autoptr(LabTrainer) tr = lab_test_new_trainer ("spiral", big);
    g_assert_cmpuint (lab_blas_threads (), ==, cores);
    /* 6 · ~1.05 M parameters · 1 = 6.3 MFLOP: below the line */
    g_assert_true (lab_trainer_set_batch (tr, 1, NULL));
    g_assert_cmpuint (lab_blas_threads (), ==, 1);
    g_assert_true (lab_trainer_set_batch (tr, 64, NULL));
    g_assert_cmpuint (lab_blas_threads (), ==, cores);
  }
  {
    g_autoptr(LabTrainer) tr = lab_test_new_trainer ("spiral", fixed);
    g_assert_nonnull (tr);
    g_assert_cmpuint (lab_blas_threads (), ==, 1);
  }
  /* the window keeps a core for its UI thread; never fewer than one thread */
  lab_blas_reserve_cores (1);
  {
    g_autoptr(LabTrainer) tr = lab_test_new_trainer ("spiral", big);
    g_assert_nonnull (tr);
    g_assert_cmpuint (lab_blas_threads (), ==, MAX (cores - 1, 1));
  }
  lab_blas_reserve_cores (cores + 3);
  g_assert_cmpuint (lab_blas_auto_threads (), ==, 1);
  lab_blas_reserve_cores (0);
  g_assert_cmpuint (lab_blas_auto_threads (), ==, cores);
}

static void
test_divergence (void)
{
  const char *sets[] = { "train.lr=100", "train.optimizer=sgd", "model.init=normal",
                         "model.init_scale=50",
                         "model.activation=relu", "model.hidden=64,64,64,64", NULL };
  g_autoptr(LabTrainer) tr = lab_test_new_trainer ("spiral", sets);
  g_autoptr(GError) error = NULL;
  LabStepStats st;
  gboolean ok = TRUE;
  int i;

  for (i = 0; i < 200 && ok; i++)
    ok = lab_trainer_step (tr, &st, &error);
  g_assert_false (ok);
  g_assert_error (error, LAB_ENGINE_ERROR, LAB_ENGINE_ERROR_DIVERGED);
  g_assert_nonnull (strstr (error->message, "diverged at step"));
}

static void
test_clipping_bounds_update (void)
{
  const char *sets[] = { "clip.mode=norm", "clip.value=0.01", "train.optimizer=sgd",
                         "train.lr=1", NULL };
  g_autoptr(LabTrainer) tr = lab_test_new_trainer ("spiral", sets);
  LabMlp *mlp = lab_trainer_get_mlp (tr);
  g_autofree float *before = g_memdup2 (mlp->params, mlp->n_params * sizeof (float));
  LabStepStats st;
  double d2 = 0;

  g_assert_true (lab_trainer_step (tr, &st, NULL));
  g_assert_cmpfloat (st.grad_norm, >, 0.01);
  for (gsize i = 0; i < mlp->n_params; i++)
    d2 += (double) (mlp->params[i] - before[i]) * (mlp->params[i] - before[i]);
  /* plain SGD with lr 1 moves θ by exactly the clipped gradient, norm 0.01 */
  lab_assert_close (sqrt (d2), 0.01, 1e-3, 0);
}

static void
test_live_settings (void)
{
  g_autoptr(LabTrainer) tr = lab_test_new_trainer ("spiral", NULL);
  g_autoptr(GError) error = NULL;
  LabStepStats st;

  lab_trainer_set_lr (tr, 0.0123);
  g_assert_true (lab_trainer_step (tr, &st, NULL));
  lab_assert_close (st.lr, 0.0123, 1e-12, 0);
  g_assert_true (lab_trainer_set_batch (tr, 2000, &error));
  g_assert_no_error (error);
  g_assert_true (lab_trainer_step (tr, &st, NULL));
  g_assert_false (lab_trainer_set_batch (tr, 0, &error));
  g_assert_error (error, LAB_ENGINE_ERROR, LAB_ENGINE_ERROR_INVALID);
}

/* Past the configured run a cosine schedule sits at lr_min; a fine-tune restarts it over its
 * own span. Expected rates by hand: lr_min + (lr − lr_min)·(1 + cos(π·k/n))/2. */
static void
test_restart_schedule (void)
{
  const char *sets[] = { "train.schedule=cosine", "train.lr=0.1", "train.lr_min=0.01",
                         "train.steps=20", NULL };
  g_autoptr(LabTrainer) tr = lab_test_new_trainer ("spiral", sets);
  g_autoptr(LabTrainerState) mid = NULL;
  LabStepStats st;
  double again[2];

  for (int i = 0; i < 20; i++)
    g_assert_true (lab_trainer_step (tr, &st, NULL));
  g_assert_true (lab_trainer_finished (tr));
  g_assert_true (lab_trainer_step (tr, &st, NULL));
  lab_assert_close (st.lr, 0.01, 1e-12, 0);          /* the floor, without a restart */

  lab_trainer_restart_schedule (tr, 10);
  g_assert_true (lab_trainer_step (tr, &st, NULL));   /* k = 0 */
  lab_assert_close (st.lr, 0.1, 1e-12, 0);
  for (int k = 1; k < 3; k++)
    g_assert_true (lab_trainer_step (tr, &st, NULL));
  mid = lab_trainer_save_state (tr);                  /* the span travels with the state */
  g_assert_true (lab_trainer_step (tr, &st, NULL));   /* k = 3 */
  again[0] = st.lr;
  g_assert_true (lab_trainer_step (tr, &st, NULL));   /* k = 4 */
  again[1] = st.lr;
  g_assert_true (lab_trainer_step (tr, &st, NULL));   /* k = 5: half-way */
  lab_assert_close (st.lr, 0.055, 1e-12, 0);
  for (int k = 6; k < 10; k++)
    g_assert_true (lab_trainer_step (tr, &st, NULL));
  lab_assert_close (st.lr, 0.01 + 0.09 * 0.5 * (1.0 + cos (G_PI * 0.9)), 1e-12, 0);
  g_assert_true (lab_trainer_step (tr, &st, NULL));   /* past the span: the floor again */
  lab_assert_close (st.lr, 0.01, 1e-12, 0);

  lab_trainer_restore_state (tr, mid);
  g_assert_true (lab_trainer_step (tr, &st, NULL));
  lab_assert_close (st.lr, again[0], 1e-15, 0);
  g_assert_true (lab_trainer_step (tr, &st, NULL));
  lab_assert_close (st.lr, again[1], 1e-15, 0);
  lab_assert_close (again[0], 0.01 + 0.09 * 0.5 * (1.0 + cos (G_PI * 0.3)), 1e-12, 0);
}

static void
test_weights_roundtrip (void)
{
  g_autofree char *dir = lab_test_mkdtemp ();
  g_autofree char *wdir = g_build_filename (dir, "w", NULL);
  const char *sets[] = { "model.hidden=8,6", NULL };
  g_autoptr(LabTrainer) a = lab_test_new_trainer ("spiral", sets);
  g_autoptr(GError) error = NULL;
  LabStepStats st;

  for (int i = 0; i < 20; i++)
    g_assert_true (lab_trainer_step (a, &st, NULL));
  g_assert_true (lab_trainer_save_weights (a, wdir, &error));
  g_assert_no_error (error);

  {
    const char *sets2[] = { "model.hidden=8,6", "train.seed=99", NULL };
    g_autoptr(LabTrainer) b = lab_test_new_trainer ("spiral", sets2);
    LabMlp *ma = lab_trainer_get_mlp (a), *mb = lab_trainer_get_mlp (b);

    g_assert_true (lab_trainer_load_weights (b, wdir, &error));
    g_assert_no_error (error);
    g_assert_cmpmem (ma->params, ma->n_params * 4, mb->params, mb->n_params * 4);
  }
  {
    const char *sets3[] = { "model.hidden=8,7", NULL };
    g_autoptr(LabTrainer) c = lab_test_new_trainer ("spiral", sets3);
    g_assert_false (lab_trainer_load_weights (c, wdir, &error));
    g_assert_error (error, LAB_ENGINE_ERROR, LAB_ENGINE_ERROR_MISMATCH);
    g_assert_nonnull (strstr (error->message, "W2.npy"));
  }
  lab_test_rmdir (dir);
}

static void
test_masks_roundtrip (void)
{
  g_autofree char *dir = lab_test_mkdtemp ();
  const char *sets[] = { "model.hidden=8,6", NULL };
  g_autoptr(LabTrainer) a = lab_test_new_trainer ("spiral", sets);
  g_autoptr(LabTrainer) b = lab_test_new_trainer ("spiral", sets);
  g_autoptr(GError) error = NULL;
  LabPruneSpec spec = { .criterion = LAB_PRUNE_MAGNITUDE, .scope = LAB_PRUNE_SCOPE_LAYER,
                        .structure = LAB_PRUNE_NEURON, .target = 0.5 };
  LabMlp *ma = lab_trainer_get_mlp (a), *mb;
  LabStepStats st;

  g_assert_true (lab_trainer_prune_now (a, &spec, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (lab_trainer_save_weights (a, dir, &error));
  g_assert_true (lab_trainer_load_weights (b, dir, &error));
  g_assert_no_error (error);
  mb = lab_trainer_get_mlp (b);
  g_assert_nonnull (mb->mask);
  /* weight and bias masks both survive: a pruned neuron's bias stays pruned */
  g_assert_cmpmem (ma->mask, ma->n_params * 4, mb->mask, mb->n_params * 4);
  g_assert_cmpfloat (mb->mask[mb->b_off[0]] + mb->mask[mb->b_off[0] + 1] +
                     mb->mask[mb->b_off[0] + 2] + mb->mask[mb->b_off[0] + 3] +
                     mb->mask[mb->b_off[0] + 4] + mb->mask[mb->b_off[0] + 5] +
                     mb->mask[mb->b_off[0] + 6] + mb->mask[mb->b_off[0] + 7], ==, 4.0f);
  for (int i = 0; i < 30; i++)
    g_assert_true (lab_trainer_step (b, &st, NULL));
  for (gsize i = 0; i < mb->n_params; i++)
    if (mb->mask[i] == 0.0f)
      g_assert_cmpfloat (mb->params[i], ==, 0.0f);
  lab_test_rmdir (dir);
}

static void
test_metrics_files (void)
{
  g_autofree char *dir = lab_test_mkdtemp ();
  g_autofree char *csv = g_build_filename (dir, "m.csv", NULL);
  g_autofree char *jsonl = g_build_filename (dir, "m.jsonl", NULL);
  const char *sets[] = { "model.hidden=8,6", NULL };
  g_autoptr(LabTrainer) tr = lab_test_new_trainer ("spiral", sets);
  g_autoptr(GError) error = NULL;
  LabMetricsWriter *wc = lab_metrics_writer_new (csv, 3, &error);
  LabMetricsWriter *wj = lab_metrics_writer_new (jsonl, 3, &error);
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL, header = NULL, row = NULL;
  guint n_names;

  g_assert_no_error (error);
  for (int i = 0; i < 5; i++)
    {
      LabStepStats st;
      g_assert_true (lab_trainer_step (tr, &st, NULL));
      g_assert_true (lab_metrics_writer_append (wc, &st, i == 4 ? 0.5 : NAN, NAN, &error));
      g_assert_true (lab_metrics_writer_append (wj, &st, NAN, NAN, &error));
    }
  g_assert_true (lab_metrics_writer_close (wc, &error));
  g_assert_true (lab_metrics_writer_close (wj, &error));
  g_assert_no_error (error);

  lab_record_layer_fields (&n_names);
  g_file_get_contents (csv, &text, NULL, &error);
  g_assert_no_error (error);
  lines = g_strsplit (text, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 7);   /* header, 5 rows, trailing "" */
  header = g_strsplit (lines[0], ",", -1);
  row = g_strsplit (lines[5], ",", -1);
  g_assert_cmpuint (g_strv_length (header), ==, 10 + 3 * n_names);
  g_assert_cmpuint (g_strv_length (row), ==, g_strv_length (header));
  g_assert_cmpstr (header[10], ==, "grad_norm_1");
  g_assert_cmpstr (row[0], ==, "5");
  g_assert_cmpstr (row[8], ==, "0.5");
  g_clear_pointer (&text, g_free);

  g_file_get_contents (jsonl, &text, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (text, "{\"step\":1,\"epoch\":1,"));
  g_assert_nonnull (strstr (text, "\"test_loss\":null"));
  g_assert_nonnull (strstr (text, "\"delta_norm\":["));
  lab_test_rmdir (dir);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/engine/trainer/determinism", test_determinism);
  g_test_add_func ("/engine/trainer/epochs-and-steps", test_epochs_and_steps);
  g_test_add_func ("/engine/trainer/spiral-learns", test_spiral_learns);
  g_test_add_func ("/engine/trainer/fashion-one-epoch", test_fashion_one_epoch);
  g_test_add_func ("/engine/trainer/auto-threads", test_auto_threads);
  g_test_add_func ("/engine/trainer/divergence", test_divergence);
  g_test_add_func ("/engine/trainer/clipping", test_clipping_bounds_update);
  g_test_add_func ("/engine/trainer/live-settings", test_live_settings);
  g_test_add_func ("/engine/trainer/restart-schedule", test_restart_schedule);
  g_test_add_func ("/engine/trainer/weights-roundtrip", test_weights_roundtrip);
  g_test_add_func ("/engine/trainer/masks-roundtrip", test_masks_roundtrip);
  g_test_add_func ("/engine/trainer/metrics-files", test_metrics_files);
  return g_test_run ();
}
