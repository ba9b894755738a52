/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * test-cli-prune.c: gradlab-cli's pruning commands end to end: the sweep's CSV (header, one row
 * per criterion and sparsity, equal accuracy at sparsity 0), the lottery's round lines and
 * summary, and exit status 2 with one line for bad arguments; and the engine's experiment API
 * (lab-experiment.h) run in this process writes byte for byte what the CLI writes.
 */
#define G_LOG_DOMAIN "lab-test"
#include "config.h"

#include <string.h>

#include "lab-error.h"
#include "lab-experiment.h"
#include "lab-sweep.h"
#include "lab-test-utils.h"

/* Exactly one line on stderr, starting "gradlab-cli: ". */
static void
assert_one_line_error (const LabCliResult *r,
                       const char         *must_contain)
{
  g_assert_true (g_str_has_prefix (r->err, "gradlab-cli: "));
  g_assert_nonnull (strchr (r->err, '\n'));
  g_assert_cmpstr (strchr (r->err, '\n') + 1, ==, "");
  if (must_contain && strstr (r->err, must_contain) == NULL)
    g_error ("stderr '%s' lacks '%s'", r->err, must_contain);
}

/* Test accuracy of a sweep's one row (random pruning to 80 %) after FINETUNE epochs, with a
 * cosine schedule that has run down to lr_min = 0 by the end of training. */
static double
cosine_sweep_accuracy (const char *finetune)
{
  g_autofree char *dir = lab_test_mkdtemp ();
  g_autofree char *csv = g_build_filename (dir, "sweep.csv", NULL);
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL, f = NULL;
  LabCliResult r = lab_test_run_cli (NULL, "sweep", "--preset", "spiral", "--epochs", "2", "--set",
                         "data.n_train=300", "--set", "data.n_test=200", "--set",
                         "train.schedule=cosine", "--set", "train.lr_min=0",
                         "--criteria", "random", "--sparsities", "0.8",
                         "--finetune-epochs", finetune, "--out", csv, "--quiet", NULL);

  g_assert_cmpint (r.status, ==, 0);
  g_assert_true (g_file_get_contents (csv, &text, NULL, NULL));
  lines = g_strsplit (text, "\n", -1);
  g_assert_nonnull (lines[1]);
  f = g_strsplit (lines[1], ",", -1);
  g_assert_cmpuint (g_strv_length (f), >=, 5);
  lab_test_cli_result_clear (&r);
  return g_ascii_strtod (f[4], NULL);
}

/* Fine-tuning restarts the lr schedule: at the cosine floor (lr 0) it would change nothing. */
static void
test_sweep_finetune_cosine (void)
{
  double pruned = cosine_sweep_accuracy ("0");
  double tuned = cosine_sweep_accuracy ("2");

  g_test_message ("random 80 %%: %.4f pruned, %.4f after 2 fine-tune epochs", pruned, tuned);
  g_assert_cmpfloat (tuned, >, pruned);
}

static void
test_sweep (void)
{
  g_autofree char *dir = lab_test_mkdtemp ();
  g_autofree char *csv = g_build_filename (dir, "sweep.csv", NULL);
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  LabCliResult r = lab_test_run_cli (NULL, "sweep", "--preset", "spiral", "--epochs", "2", "--set",
                         "data.n_train=300", "--set", "data.n_test=200",
                         "--criteria", "magnitude,gradient,saliency,random",
                         "--sparsities", "0,0.5,0.8", "--scope", "global",
                         "--finetune-epochs", "1", "--out", csv, "--quiet", NULL);
  double acc0 = -1;
  guint rows = 0;

  g_assert_cmpint (r.status, ==, 0);
  g_assert_true (g_file_get_contents (csv, &text, NULL, NULL));
  lines = g_strsplit (text, "\n", -1);
  g_assert_true (g_str_has_prefix (lines[0], "criterion,scope,sparsity,finetune_epochs,"
                                             "test_accuracy,test_loss"));
  for (guint i = 1; lines[i] && *lines[i]; i++)
    {
      g_auto(GStrv) f = g_strsplit (lines[i], ",", -1);
      const char *crit[] = { "magnitude", "gradient", "saliency", "random" };
      const char *sp[] = { "0", "0.5", "0.8" };
      double target;

      g_assert_cmpuint (g_strv_length (f), >=, 6);
      g_assert_cmpstr (f[0], ==, crit[(i - 1) / 3]);
      g_assert_cmpstr (f[1], ==, "global");
      g_assert_cmpstr (f[2], ==, sp[(i - 1) % 3]);
      g_assert_cmpstr (f[3], ==, "1");
      target = g_ascii_strtod (f[2], NULL);
      /* the achieved sparsity, to one weight */
      lab_assert_close (g_ascii_strtod (f[6], NULL), target, 0, 0.002);
      if (target == 0)
        {
          /* the same copy fine-tuned on the same data order: identical */
          if (acc0 < 0)
            acc0 = g_ascii_strtod (f[4], NULL);
          g_assert_cmpfloat (g_ascii_strtod (f[4], NULL), ==, acc0);
        }
      rows++;
    }
  g_assert_cmpuint (rows, ==, 12);
  g_assert_cmpfloat (acc0, >, 0.5);

  /* the window reads the same file back through the engine's sweep parser */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(GArray) parsed = lab_sweep_load_csv (csv, &error);
    g_autofree char *bad = NULL;

    g_assert_no_error (error);
    g_assert_cmpuint (parsed->len, ==, 12);
    g_assert_cmpstr (g_array_index (parsed, LabSweepRow, 11).criterion, ==, "random");
    lab_assert_close (g_array_index (parsed, LabSweepRow, 4).sparsity, 0.5, 0, 0);
    g_assert_cmpfloat (g_array_index (parsed, LabSweepRow, 0).test_accuracy, ==, acc0);

    bad = lab_test_write_file (dir, "bad.csv",
                               "criterion,scope,sparsity,finetune_epochs,test_accuracy,test_loss\n"
                               "magnitude,global,0.5,1,1.7,0.3\n", 96);
    g_assert_null (lab_sweep_load_csv (bad, &error));
    g_assert_error (error, LAB_ENGINE_ERROR, LAB_ENGINE_ERROR_FORMAT);
    g_assert_nonnull (strstr (error->message, "line 2"));
  }
  lab_test_cli_result_clear (&r);
  lab_test_rmdir (dir);
}

static void
test_sweep_load_weights (void)
{
  g_autofree char *dir = lab_test_mkdtemp ();
  g_autofree char *wdir = g_build_filename (dir, "w", NULL);
  g_autofree char *csv = g_build_filename (dir, "sweep.csv", NULL);
  g_autofree char *text = NULL;
  LabCliResult t = lab_test_run_cli (NULL, "train", "--preset", "spiral", "--steps", "100", "--save-weights", wdir,
                         "--quiet", NULL);
  LabCliResult r;

  g_assert_cmpint (t.status, ==, 0);
  r = lab_test_run_cli (NULL, "sweep", "--preset", "spiral", "--load-weights", wdir, "--criteria", "random",
               "--sparsities", "0.3", "--structure", "neuron", "--out", csv, "--quiet", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_true (g_file_get_contents (csv, &text, NULL, NULL));
  g_assert_nonnull (strstr (text, "\nrandom,layer,0.3,0,"));
  lab_test_cli_result_clear (&t);
  lab_test_cli_result_clear (&r);
  lab_test_rmdir (dir);
}

static void
test_lottery (void)
{
  LabCliResult r = lab_test_run_cli (NULL, "lottery", "--preset", "spiral", "--epochs", "2", "--set",
                         "data.n_train=300", "--set", "data.n_test=200", "--rounds", "3",
                         "--rate", "0.5", "--control", "reinit", "--quiet", NULL);
  g_auto(GStrv) lines = NULL;
  const char *sparsity[] = { "0.5", "0.75", "0.875" };

  g_assert_cmpint (r.status, ==, 0);
  lines = g_strsplit (r.out, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 5);
  for (int i = 0; i < 3; i++)
    {
      g_autofree char *prefix = g_strdup_printf ("round=%d sparsity=%s test_accuracy=", i + 1,
                                                 sparsity[i]);
      g_assert_true (g_str_has_prefix (lines[i], prefix));
      g_assert_nonnull (strstr (lines[i], " control_accuracy="));
    }
  g_assert_true (g_str_has_prefix (lines[3], "{\"status\":\"ok\""));
  g_assert_nonnull (strstr (lines[3], "\"dense_test_accuracy\":"));
  g_assert_cmpstr (lines[4], ==, "");
  lab_test_cli_result_clear (&r);

  r = lab_test_run_cli (NULL, "lottery", "--preset", "spiral", "--steps", "40", "--rounds", "2",
               "--rewind", "step:10", "--quiet", NULL);
  g_assert_cmpint (r.status, ==, 0);
  /* round(0.36 · 1184) = 426 of the 2-32-32-3 net's weights */
  g_assert_nonnull (strstr (r.out, "round=2 sparsity=0.3597"));
  lab_test_cli_result_clear (&r);
}

static void
test_bad_args (void)
{
  struct { const char *args[8]; const char *says; } cases[] = {
    { { "sweep", "--criteria", "magnitude", NULL }, "--out" },
    { { "sweep", "--criteria", "biggest", "--out", "x.csv", NULL }, "biggest" },
    { { "sweep", "--sparsities", "0,1", "--out", "x.csv", NULL }, "[0, 1)" },
    { { "sweep", "--sparsities", "-0.1", "--out", "x.csv", NULL }, "[0, 1)" },
    { { "sweep", "--scope", "everywhere", "--out", "x.csv", NULL }, "layer or global" },
    { { "sweep", "--finetune-epochs", "-1", "--out", "x.csv", NULL }, "finetune" },
    { { "lottery", "--rounds", "0", NULL }, "--rounds" },
    { { "lottery", "--rate", "1.5", NULL }, "--rate" },
    { { "lottery", "--rewind", "later", NULL }, "--rewind" },
    { { "lottery", "--control", "shuffle", NULL }, "reinit" },
    { { "lottery", "--preset", "spiral", "--steps", "10", "--rewind", "step:50", NULL },
      "step:50" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const char **a = cases[i].args;
      LabCliResult r = lab_test_run_cli (NULL, a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7]);

      g_assert_cmpint (r.status, ==, 2);
      assert_one_line_error (&r, cases[i].says);
      lab_test_cli_result_clear (&r);
    }
}

/* The trainer `gradlab-cli … --preset spiral --epochs E --threads 1 --set data.n_train=300
 * --set data.n_test=200` builds (the spiral preset has no [prune] schedule to turn off). */
static LabTrainer *
experiment_trainer (const char *epochs)
{
  g_autofree char *e = g_strdup_printf ("train.epochs=%s", epochs);
  const char *sets[] = { e, "train.threads=1", "data.n_train=300", "data.n_test=200", NULL };

  return lab_test_new_trainer ("spiral", sets);
}

static void
test_sweep_engine_api (void)
{
  g_autofree char *dir = lab_test_mkdtemp ();
  g_autofree char *cli_csv = g_build_filename (dir, "cli.csv", NULL);
  g_autofree char *api_csv = g_build_filename (dir, "api.csv", NULL);
  g_autofree char *a = NULL, *b = NULL;
  g_autoptr(LabTrainer) tr = experiment_trainer ("2");
  g_autoptr(GArray) points = g_array_new (FALSE, FALSE, sizeof (LabSweepRow));
  g_autoptr(GError) error = NULL;
  const LabPruneCriterion crits[] = { LAB_PRUNE_SALIENCY, LAB_PRUNE_RANDOM };
  const double sps[] = { 0, 0.5, 0.8 };
  LabSweepSpec spec = {
    .train = TRUE, .prune = lab_trainer_get_config (tr)->prune.spec,
    .criteria = crits, .n_criteria = 2, .sparsities = sps, .n_sparsities = 3,
    .finetune_epochs = 1,
  };
  LabEval dense;
  LabCliResult r = lab_test_run_cli (NULL, "sweep", "--preset", "spiral", "--epochs", "2", "--threads", "1",
                         "--set", "data.n_train=300", "--set", "data.n_test=200",
                         "--criteria", "saliency,random", "--sparsities", "0,0.5,0.8",
                         "--scope", "global", "--finetune-epochs", "1", "--out", cli_csv,
                         "--quiet", NULL);

  g_assert_cmpint (r.status, ==, 0);
  spec.prune.scope = LAB_PRUNE_SCOPE_GLOBAL;
  spec.prune.threshold_mode = LAB_PRUNE_THRESHOLD_NONE;
  g_assert_true (lab_sweep_run (tr, &spec, NULL, &dense, points, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (points->len, ==, 6);
  g_assert_true (lab_sweep_write_csv (api_csv, (LabSweepRow *) points->data, points->len,
                                      &error));
  g_assert_true (g_file_get_contents (cli_csv, &a, NULL, NULL));
  g_assert_true (g_file_get_contents (api_csv, &b, NULL, NULL));
  g_assert_cmpstr (a, ==, b);
  lab_test_cli_result_clear (&r);
  lab_test_rmdir (dir);
}

static void
test_lottery_engine_api (void)
{
  g_autoptr(LabTrainer) tr = experiment_trainer ("1");
  g_autoptr(GArray) rounds = g_array_new (FALSE, FALSE, sizeof (LabLotteryRound));
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) want = g_string_new (NULL);
  g_autofree char *summary = NULL;
  LabLotterySpec spec = {
    .rounds = 3, .rate = 0.3, .rewind = LAB_REWIND_STEP, .rewind_step = 5,
    .scope = LAB_PRUNE_SCOPE_LAYER, .control = TRUE,
  };
  LabEval dense;
  LabCliResult r = lab_test_run_cli (NULL, "lottery", "--preset", "spiral", "--epochs", "1", "--threads", "1",
                         "--set", "data.n_train=300", "--set", "data.n_test=200",
                         "--rounds", "3", "--rate", "0.3", "--rewind", "step:5", "--scope",
                         "layer", "--control", "reinit", "--quiet", NULL);

  g_assert_cmpint (r.status, ==, 0);
  g_assert_true (lab_lottery_run (tr, &spec, NULL, &dense, rounds, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (rounds->len, ==, 3);
  for (guint i = 0; i < rounds->len; i++)
    {
      g_autofree char *line = lab_lottery_format_round (&g_array_index (rounds, LabLotteryRound,
                                                                        i), TRUE);
      g_string_append_printf (want, "%s\n", line);
    }
  summary = lab_lottery_format_summary (&spec, &dense, (LabLotteryRound *) rounds->data, 3);
  g_string_append_printf (want, "%s\n", summary);
  g_assert_cmpstr (r.out, ==, want->str);
  lab_test_cli_result_clear (&r);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/cli/prune/sweep", test_sweep);
  g_test_add_func ("/cli/prune/sweep-finetune-cosine", test_sweep_finetune_cosine);
  g_test_add_func ("/cli/prune/sweep-load-weights", test_sweep_load_weights);
  g_test_add_func ("/cli/prune/lottery", test_lottery);
  g_test_add_func ("/cli/prune/bad-args", test_bad_args);
  g_test_add_func ("/cli/prune/sweep-engine-api", test_sweep_engine_api);
  g_test_add_func ("/cli/prune/lottery-engine-api", test_lottery_engine_api);

  return g_test_run ();
}
