/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * test-watch-vs-cli.c: the two writers of run directories held against each other, each read
 * back by the engine's own reader. gradlab-cli trains a 784-100-50-10 ReLU net (the
 * fashion-mlp preset with other widths) on the first 640 Fashion-MNIST images in file order,
 * writing run directory A; PyTorch trains the same network from the same weights on the same
 * batches (tests/python/train_like_gradlab.py, logging every step with gradlab_watch), writing
 * run directory B. Both are read with LabRunReader, and every layer's grad_norm, delta_norm and
 * weight_norm must agree to 1e-4 relative at each of the first STEPS steps; the worst
 * differences are printed.
 *
 * The shared weights come from `gradlab-cli train --steps 1 --save-weights W`: `--steps 0`
 * means "by epochs" and no run may have zero epochs, so W is a throwaway run's weights after
 * one step; both trainings start from them (--load-weights, and the script's --weights).
 * Skipped without /usr/bin/python3's torch or without Fashion-MNIST.
 */
#define G_LOG_DOMAIN "lab-test"
#include "config.h"

#include <math.h>
#include <sys/wait.h>

#include "lab-run-reader.h"
#include "lab-test-utils.h"

#define STEPS   12
#define SAMPLES "640"
#define HIDDEN  "model.hidden=100,50"

/* Every row of the finished run directory @dir. */
static LabRowLog *
read_run (const char *dir)
{
  g_autoptr(LabRunReader) reader = lab_run_reader_new (dir);
  LabRowLog *rows = lab_row_log_new (0);
  LabRunPoll poll;

  do
    {
      lab_run_reader_poll (reader, G_MAXUINT, rows, &poll);
      lab_heavy_free (poll.heavy);
    }
  while (lab_run_reader_state (reader)->more);
  g_assert_cmpint (lab_run_reader_state (reader)->watch, ==, LAB_WATCH_ENDED);
  g_assert_cmpint (lab_run_reader_state (reader)->state, ==, LAB_SESSION_FINISHED);
  g_assert_cmpuint (lab_run_reader_state (reader)->rows_skipped, ==, 0);
  g_assert_cmpuint (lab_run_reader_manifest (reader)->n_layers, ==, 3);
  return rows;
}

/* The CLI's run must succeed; its output says why not. */
static void
assert_cli_ok (LabCliResult *r)
{
  if (r->status != 0)
    g_error ("gradlab-cli failed:\n%s%s", r->out, r->err);
  lab_test_cli_result_clear (r);
}

static double
rel (double a,
     double b)
{
  return fabs (a - b) / MAX (MAX (fabs (a), fabs (b)), 1e-30);
}

/* The two trainings from the same weights: gradlab-cli into @a, PyTorch into @b. */
static void
train_both (const char *tmp,
            const char *a,
            const char *b)
{
  g_autofree char *w = g_build_filename (tmp, "w", NULL);
  g_autofree char *script = g_build_filename (g_test_get_dir (G_TEST_DIST), "python",
                                              "train_like_gradlab.py", NULL);
  g_autofree char *out = NULL, *err = NULL;
  g_auto(GStrv) envp = lab_test_python_environ ();
  g_autoptr(GError) error = NULL;
  const char *argv[] = { LAB_TEST_PYTHON, script, "--weights", w, "--samples", SAMPLES,
                         "--steps", G_STRINGIFY (STEPS), b, NULL };
  LabCliResult r;
  int status = 0;

  r = lab_test_run_cli (NULL, "train", "--preset", "fashion-mlp", "--set", HIDDEN, "--steps",
                        "1", "--save-weights", w, "--quiet", NULL);
  assert_cli_ok (&r);
  r = lab_test_run_cli (NULL, "train", "--preset", "fashion-mlp", "--set", HIDDEN,
                        "--load-weights", w, "--threads", "1", "--set", "data.shuffle=false",
                        "--set", "data.train_limit=" SAMPLES, "--steps", G_STRINGIFY (STEPS),
                        "--run-dir", a, "--log-every", "1", "--heavy-every", "0", "--quiet",
                        NULL);
  assert_cli_ok (&r);
  g_spawn_sync (NULL, (char **) argv, envp, G_SPAWN_DEFAULT, NULL, NULL, &out, &err, &status,
                &error);
  g_assert_no_error (error);
  if (!WIFEXITED (status) || WEXITSTATUS (status) != 0)
    g_error ("train_like_gradlab.py failed:\n%s%s", out, err);
}

static void
test_agree (void)
{
  g_autofree char *tmp = NULL;
  g_autofree char *a = NULL, *b = NULL;
  g_autoptr(LabRowLog) ours = NULL;
  g_autoptr(LabRowLog) theirs = NULL;
  LabStepStats *x = g_new0 (LabStepStats, 1);
  LabStepStats *y = g_new0 (LabStepStats, 1);
  static const char * const names[] = { "grad_norm", "delta_norm", "weight_norm" };
  double worst[3] = { 0 };

  if (g_getenv ("GRADLAB_CLI") == NULL || !lab_test_have_fashion_mnist ())
    {
      g_test_skip ("needs GRADLAB_CLI and Fashion-MNIST");
      return;
    }
  if (!lab_test_have_torch ())
    {
      g_test_skip (LAB_TEST_PYTHON " cannot import torch");
      return;
    }
  tmp = lab_test_mkdtemp ();
  a = g_build_filename (tmp, "a", NULL);
  b = g_build_filename (tmp, "b", NULL);
  train_both (tmp, a, b);

  ours = read_run (a);
  theirs = read_run (b);
  g_assert_cmpuint (lab_row_log_len (ours), ==, STEPS);
  g_assert_cmpuint (lab_row_log_len (theirs), ==, STEPS);
  for (guint s = 0; s < STEPS; s++)
    {
      lab_row_log_get (ours, s, x);
      lab_row_log_get (theirs, s, y);
      g_assert_cmpuint (x->step, ==, s + 1);
      g_assert_cmpuint (y->step, ==, s + 1);
      for (guint l = 0; l < 3; l++)
        {
          const double xs[3] = { x->layer[l].grad_norm, x->layer[l].delta_norm,
                                 x->layer[l].weight_norm };
          const double ys[3] = { y->layer[l].grad_norm, y->layer[l].delta_norm,
                                 y->layer[l].weight_norm };

          for (guint k = 0; k < 3; k++)
            {
              double e = rel (xs[k], ys[k]);

              if (!(e <= 1e-4))
                g_error ("step %u, layer %u: %s %.9g (gradlab-cli) and %.9g (PyTorch) differ "
                         "by %.2g relative", s + 1, l, names[k], xs[k], ys[k], e);
              worst[k] = MAX (worst[k], e);
            }
        }
    }
  g_test_message ("%u steps agree; worst relative differences: grad_norm %.1e, delta_norm "
                  "%.1e, weight_norm %.1e", STEPS, worst[0], worst[1], worst[2]);
  g_free (x);
  g_free (y);
  lab_test_rmdir (tmp);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/watch-vs-cli/agree", test_agree);
  return g_test_run ();
}
