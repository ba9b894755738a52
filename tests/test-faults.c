/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * test-faults.c: a full disk or a kill in the middle of a write never damages the file that was
 * there before, and a failed write is reported with the path and the system's reason. A full
 * disk is simulated with a file-size limit (RLIMIT_FSIZE, in a child process): writes past it
 * fail with EFBIG, as they would with ENOSPC. Covered writers: the config (.ini), the metrics
 * file (CSV and JSON Lines), the CLI's --metrics, and a set of weights (all layers or none);
 * single .npy files are covered the same way in test-npy.c (/engine/file-replace/fsize-limit).
 */
#define G_LOG_DOMAIN "lab-test"
#include "config.h"

#include <errno.h>
#include <math.h>
#include <signal.h>
#include <string.h>
#include <sys/resource.h>

#include "lab-file-replace.h"
#include "lab-config.h"
#include "lab-error.h"
#include "lab-metrics.h"
#include "lab-test-utils.h"
#include "lab-trainer.h"

#define OLD_TEXT "the old file, which must survive\n"

static guint
count_entries (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  guint n = 0;

  g_assert_nonnull (d);
  while (g_dir_read_name (d) != NULL)
    n++;
  return n;
}

static void
assert_contents (const char *path,
                 const char *expect)
{
  g_autofree char *contents = NULL;
  gsize len;

  g_assert_true (g_file_get_contents (path, &contents, &len, NULL));
  g_assert_cmpstr (contents, ==, expect);
}

/* The error a full disk must produce: I/O, names the file, says why. */
static void
assert_efbig (const GError *error,
              const char   *path)
{
  g_assert_nonnull (error);
  g_test_message ("%s", error->message);
  g_assert_error (error, LAB_ENGINE_ERROR, LAB_ENGINE_ERROR_IO);
  g_assert_true (g_str_has_prefix (error->message, path));
  g_assert_nonnull (strstr (error->message, "could not write"));
  g_assert_nonnull (strstr (error->message, g_strerror (EFBIG)));
}

static void
set_fsize_limit (rlim_t bytes)
{
  struct rlimit rl;

  g_assert_cmpint (getrlimit (RLIMIT_FSIZE, &rl), ==, 0);
  rl.rlim_cur = bytes;
  g_assert_cmpint (setrlimit (RLIMIT_FSIZE, &rl), ==, 0);
}

static void
test_config_full_disk (void)
{
  if (g_test_subprocess ())
    {
      g_autofree char *dir = lab_test_mkdtemp ();
      g_autofree char *path = lab_test_write_file (dir, "run.ini", OLD_TEXT, strlen (OLD_TEXT));
      g_autoptr(GError) error = NULL;
      LabConfig cfg;

      lab_config_init_defaults (&cfg);
      set_fsize_limit (256);   /* the full text is about 1.5 KB */
      g_assert_false (lab_config_save_file (&cfg, path, &error));
      assert_efbig (error, path);
      assert_contents (path, OLD_TEXT);
      g_assert_cmpuint (count_entries (dir), ==, 1);   /* no temporary file left */

      /* room again: the same save succeeds and loads back */
      set_fsize_limit (RLIM_INFINITY);
      g_assert_true (lab_config_save_file (&cfg, path, NULL));
      g_assert_true (lab_config_load_file (&cfg, path, NULL));
      g_assert_cmpuint (count_entries (dir), ==, 1);

      lab_config_clear (&cfg);
      lab_test_rmdir (dir);
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
}

static void
fill_stats (LabStepStats *st,
            guint64       step)
{
  memset (st, 0, sizeof *st);
  st->step = step;
  st->epoch = 1;
  st->n_layers = 3;
  st->loss = 1.0 / (double) step;
  st->accuracy = 0.5;
  st->lr = 0.1;
  for (guint l = 0; l < 3; l++)
    st->layer[l].grad_norm = 0.25f * (float) l;
}

/* Appends until the writer fails (at append or close); the failure must name the file. */
static void
metrics_full_disk (const char *name)
{
  g_autofree char *dir = lab_test_mkdtemp ();
  g_autofree char *path = lab_test_write_file (dir, name, OLD_TEXT, strlen (OLD_TEXT));
  g_autoptr(GError) error = NULL;
  LabMetricsWriter *w;
  gboolean ok = TRUE;
  LabStepStats st;

  set_fsize_limit (16384);
  w = lab_metrics_writer_new (path, 3, &error);
  g_assert_no_error (error);
  for (guint64 s = 1; ok && s <= 2000; s++)   /* ≫ 16 KiB */
    {
      fill_stats (&st, s);
      ok = lab_metrics_writer_append (w, &st, NAN, NAN, &error);
    }
  if (ok)
    {
      g_test_message ("%s: every append succeeded, the close must fail", name);
      g_assert_false (lab_metrics_writer_close (w, &error));
    }
  else
    lab_metrics_writer_abort (w);
  assert_efbig (error, path);
  assert_contents (path, OLD_TEXT);
  g_assert_cmpuint (count_entries (dir), ==, 1);

  /* small enough: replaces the old file */
  w = lab_metrics_writer_new (path, 3, NULL);
  fill_stats (&st, 1);
  g_assert_true (lab_metrics_writer_append (w, &st, 0.5, 0.75, NULL));
  g_assert_true (lab_metrics_writer_close (w, NULL));
  g_assert_cmpuint (count_entries (dir), ==, 1);
  lab_test_rmdir (dir);
}

static void
test_metrics_full_disk (void)
{
  if (g_test_subprocess ())
    {
      metrics_full_disk ("m.csv");
      metrics_full_disk ("m.jsonl");
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
}

/* Killed mid-write (SIGKILL: no handler, no cleanup): the old file is untouched. Only a
 * temporary "NAME.XXXXXX" next to it can remain, never a half-written NAME. */
static void
test_kill_mid_write (void)
{
  static const char *dir_env = "GRADLAB_TEST_FAULT_DIR";

  if (g_test_subprocess ())
    {
      const char *dir = g_getenv (dir_env);
      g_autofree char *mpath = g_build_filename (dir, "m.csv", NULL);
      g_autofree char *cpath = g_build_filename (dir, "run.ini", NULL);
      LabMetricsWriter *w = lab_metrics_writer_new (mpath, 3, NULL);
      LabFileReplace *f = lab_file_replace_new (cpath, NULL);
      LabStepStats st;

      g_assert_nonnull (w);
      g_assert_nonnull (f);
      for (guint64 s = 1; s <= 5000; s++)
        {
          fill_stats (&st, s);
          g_assert_true (lab_metrics_writer_append (w, &st, NAN, NAN, NULL));
        }
      fputs ("[train]\nlr = 0.", lab_file_replace_stream (f));
      fflush (lab_file_replace_stream (f));
      raise (SIGKILL);
      g_assert_not_reached ();
    }
  else
    {
      g_autofree char *dir = lab_test_mkdtemp ();
      g_autofree char *mpath = lab_test_write_file (dir, "m.csv", OLD_TEXT, strlen (OLD_TEXT));
      g_autofree char *cpath = lab_test_write_file (dir, "run.ini", OLD_TEXT,
                                                    strlen (OLD_TEXT));
      g_setenv (dir_env, dir, TRUE);   /* the child inherits the environment */
      g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
      g_unsetenv (dir_env);
      g_test_trap_assert_failed ();
      assert_contents (mpath, OLD_TEXT);
      assert_contents (cpath, OLD_TEXT);
      lab_test_rmdir (dir);
    }
}

/* gradlab-cli under `ulimit -f 8` (8 KiB): exit status 1, one line naming the file and the
 * reason, the old metrics file intact. */
static void
test_cli_full_disk (void)
{
  const char *cli = g_getenv ("GRADLAB_CLI");
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autofree char *script = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  int status;

  if (cli == NULL)
    {
      g_test_skip ("GRADLAB_CLI is not set");
      return;
    }
  dir = lab_test_mkdtemp ();
  path = lab_test_write_file (dir, "m.csv", OLD_TEXT, strlen (OLD_TEXT));
  script = g_strdup_printf ("ulimit -f 8; exec \"$0\" train --preset spiral --steps 300 --quiet "
                            "--metrics \"$1\"");
  {
    const char *argv[] = { "/bin/sh", "-c", script, cli, path, NULL };
    g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                                 &out, &err, &status, &error));
  }
  g_test_message ("stderr: %s", err);
  g_assert_true (WIFEXITED (status));
  g_assert_cmpint (WEXITSTATUS (status), ==, 1);
  g_assert_true (g_str_has_prefix (err, "gradlab-cli: "));
  g_assert_cmpstr (strchr (err, '\n') + 1, ==, "");
  g_assert_nonnull (strstr (err, path));
  g_assert_nonnull (strstr (err, g_strerror (EFBIG)));
  assert_contents (path, OLD_TEXT);
  g_assert_cmpuint (count_entries (dir), ==, 1);
  lab_test_rmdir (dir);
}

/* A set of weight files is replaced whole or not at all: W1.npy (small) fits under the limit,
 * W2.npy does not, and W1.npy must still be the old one afterwards. */
static void
test_weights_full_disk (void)
{
  if (g_test_subprocess ())
    {
      g_autofree char *dir = lab_test_mkdtemp ();
      g_autofree char *w1 = g_build_filename (dir, "W1.npy", NULL);
      g_autofree char *old_w1 = NULL, *now_w1 = NULL;
      gsize old_len, now_len;
      g_autoptr(GError) error = NULL;
      g_autoptr(LabTrainer) tr = NULL;
      LabStepStats st;
      LabConfig cfg;

      lab_config_init_defaults (&cfg);
      g_assert_true (lab_config_load_preset (&cfg, "spiral", NULL));
      g_assert_true (lab_config_set (&cfg, "model.hidden", "4,200", NULL));
      tr = lab_trainer_new (&cfg, NULL, &error);
      g_assert_no_error (error);
      g_assert_true (lab_trainer_save_weights (tr, dir, &error));
      g_assert_true (g_file_get_contents (w1, &old_w1, &old_len, NULL));
      g_assert_true (lab_trainer_step (tr, &st, NULL));   /* new weights in every layer */

      set_fsize_limit (1024);   /* W1 (2×4) fits, W2 (200×4 = 3.2 KB) does not */
      g_assert_false (lab_trainer_save_weights (tr, dir, &error));
      g_assert_error (error, LAB_ENGINE_ERROR, LAB_ENGINE_ERROR_IO);
      g_assert_nonnull (strstr (error->message, g_strerror (EFBIG)));
      g_assert_true (g_file_get_contents (w1, &now_w1, &now_len, NULL));
      g_assert_cmpmem (old_w1, old_len, now_w1, now_len);
      g_assert_cmpuint (count_entries (dir), ==, 6);   /* W1-3, b1-3; no staging folder left */

      lab_config_clear (&cfg);
      lab_test_rmdir (dir);
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/faults/config/full-disk", test_config_full_disk);
  g_test_add_func ("/faults/metrics/full-disk", test_metrics_full_disk);
  g_test_add_func ("/faults/kill-mid-write", test_kill_mid_write);
  g_test_add_func ("/faults/weights/full-disk", test_weights_full_disk);
  g_test_add_func ("/faults/cli/full-disk", test_cli_full_disk);

  return g_test_run ();
}
