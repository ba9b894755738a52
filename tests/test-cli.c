/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * test-cli.c: gradlab-cli end to end, as scripts use it: train, save, load and continue;
 * the JSON summary; exit codes and one-line messages for bad input.
 */
#define G_LOG_DOMAIN "lab-test"
#include "config.h"

#include <string.h>

#include "lab-test-utils.h"

/* The last non-empty line of stdout. */
static char *
last_line (const char *out)
{
  g_auto(GStrv) lines = g_strsplit (out, "\n", -1);
  for (int i = (int) g_strv_length (lines) - 1; i >= 0; i--)
    if (*lines[i])
      return g_strdup (lines[i]);
  return g_strdup ("");
}

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

static double
json_number (const char *json,
             const char *key)
{
  g_autofree char *k = g_strdup_printf ("\"%s\":", key);
  const char *p = strstr (json, k);
  g_assert_nonnull (p);
  return g_ascii_strtod (p + strlen (k), NULL);
}

static void
test_train_save_load_continue (void)
{
  g_autofree char *dir = lab_test_mkdtemp ();
  g_autofree char *wdir = g_build_filename (dir, "weights", NULL);
  g_autofree char *csv = g_build_filename (dir, "metrics.csv", NULL);
  g_autofree char *w1 = g_build_filename (wdir, "W1.npy", NULL);
  g_autofree char *summary = NULL, *summary2 = NULL, *text = NULL;
  LabCliResult r = lab_test_run_cli (NULL, "train", "--preset", "spiral", "--steps", "300", "--metrics", csv,
                         "--save-weights", wdir, "--quiet", NULL);
  LabCliResult r2;

  g_assert_cmpint (r.status, ==, 0);
  summary = last_line (r.out);
  g_assert_true (g_str_has_prefix (summary, "{\"status\":\"ok\""));
  g_assert_cmpfloat (json_number (summary, "steps"), ==, 300);
  g_assert_nonnull (strstr (summary, "\"grad_norm_first\":["));
  g_assert_nonnull (strstr (summary, "\"delta_norm_last\":["));
  g_assert_cmpfloat (json_number (summary, "samples_per_sec"), >, 0);
  g_assert_true (g_file_test (w1, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_get_contents (csv, &text, NULL, NULL));
  {
    g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
    g_assert_cmpuint (g_strv_length (lines), ==, 302);
  }

  /* continuing from the saved weights starts where the first run ended */
  r2 = lab_test_run_cli (NULL, "train", "--preset", "spiral", "--steps", "1", "--load-weights", wdir,
                "--set", "train.lr=0.000001", "--quiet", NULL);
  g_assert_cmpint (r2.status, ==, 0);
  summary2 = last_line (r2.out);
  lab_assert_close (json_number (summary2, "test_accuracy"),
                    json_number (summary, "test_accuracy"), 0, 0.02);

  lab_test_cli_result_clear (&r);
  lab_test_cli_result_clear (&r2);
  lab_test_rmdir (dir);
}

static void
test_presets_and_help (void)
{
  LabCliResult r = lab_test_run_cli (NULL, "presets", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.out, "spiral"));
  g_assert_nonnull (strstr (r.out, "vanishing-sigmoid"));
  lab_test_cli_result_clear (&r);

  r = lab_test_run_cli (NULL, "--help", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.out, "[train]"));
  g_assert_nonnull (strstr (r.out, "lr = "));
  lab_test_cli_result_clear (&r);

  r = lab_test_run_cli (NULL, "train", "--help", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.out, "--save-weights"));
  lab_test_cli_result_clear (&r);
}

static void
test_bad_input (void)
{
  g_autofree char *dir = lab_test_mkdtemp ();
  g_autofree char *bad_ini = lab_test_write_file (dir, "bad.ini", "[model]\nhidden=10x\n", 19);
  struct { const char *args[8]; const char *msg; } cases[] = {
    { { "frobnicate", NULL }, "unknown command" },
    { { "train", "--no-such-flag", NULL }, "no-such-flag" },
    { { "train", "--preset", "nope", NULL }, "nope" },
    { { "train", "--config", "/nonexistent/x.ini", NULL }, "/nonexistent/x.ini" },
    { { "train", "--config", bad_ini, NULL }, "hidden" },
    { { "train", "--set", "train.lr=-1", NULL }, "lr" },
    { { "train", "--set", "model.hidden=1000000000", NULL }, "4096" },
    { { "train", "--set", "nokey", NULL }, "nokey" },
    { { "train", "--preset", "spiral", "--load-weights", "/nonexistent", NULL }, "/nonexistent" },
    { { "train", "--set", "data.source=idx", "--set", "data.path=/nonexistent", NULL },
      "/nonexistent" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const char **a = cases[i].args;
      LabCliResult r = lab_test_run_cli (NULL, a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7]);
      g_test_message ("case %u: status %d, stderr %s", i, r.status, r.err);
      g_assert_cmpint (r.status, ==, 2);
      assert_one_line_error (&r, cases[i].msg);
      lab_test_cli_result_clear (&r);
    }
  lab_test_rmdir (dir);
}

static void
test_divergence_exit_status (void)
{
  LabCliResult r = lab_test_run_cli (NULL, "train", "--preset", "spiral", "--steps", "200", "--quiet",
                         "--set", "train.lr=100", "--set", "model.init=normal",
                         "--set", "model.init_scale=50", "--set", "model.hidden=64,64,64,64",
                         "--set", "train.optimizer=sgd", NULL);
  g_autofree char *summary = last_line (r.out);

  g_assert_cmpint (r.status, ==, 1);
  assert_one_line_error (&r, "diverged at step");
  g_assert_true (g_str_has_prefix (summary, "{\"status\":\"diverged\""));
  lab_test_cli_result_clear (&r);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/cli/train-save-load-continue", test_train_save_load_continue);
  g_test_add_func ("/cli/presets-and-help", test_presets_and_help);
  g_test_add_func ("/cli/bad-input", test_bad_input);
  g_test_add_func ("/cli/divergence-exit-status", test_divergence_exit_status);
  return g_test_run ();
}
