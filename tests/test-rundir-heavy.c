/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * test-rundir-heavy.c: a run directory's heavy snapshots and its writer (docs/run-directory.md).
 * Heavy snapshots of a real pruned network round trip bit for bit; heavy.ini's refusals; a
 * truncated or corrupt .npy, a mask that is not 0/1, a manifest that lies about shapes are
 * refused with the file named; the writer never writes into a folder that is not a run
 * directory, replaces one only when asked, keeps the newest snapshots and refuses a network of
 * another shape.
 */
#define G_LOG_DOMAIN "lab-test"
#include "config.h"

#include <string.h>
#include <glib/gstdio.h>

#include "lab-error.h"
#include "lab-npy.h"
#include "lab-run-heavy.h"
#include "lab-run-writer.h"
#include "lab-test-utils.h"

/* ------------------------------------------------------------------------------------------ */
/* heavy snapshots */

/* A heavy snapshot of a real pruned network after some steps. */
static LabHeavy *
pruned_heavy (LabTrainer **out)
{
  static const char * const sets[] = { "model.hidden=8,8", "data.n_train=200", NULL };
  LabTrainer *tr = lab_test_new_trainer ("spiral", sets);
  LabPruneSpec spec = lab_trainer_get_config (tr)->prune.spec;
  LabPruneReport report;
  LabStepStats st;

  for (guint i = 0; i < 20; i++)
    g_assert_true (lab_trainer_step (tr, &st, NULL));
  spec.target = 0.5;
  g_assert_true (lab_trainer_prune_now (tr, &spec, &report, NULL));
  g_assert_true (lab_trainer_step (tr, &st, NULL));
  *out = tr;
  return lab_heavy_new_from_mlp (lab_trainer_get_mlp (tr), lab_trainer_get_dataset (tr), 32,
                                 lab_trainer_get_step (tr));
}

static void
assert_heavy_equal (const LabHeavy *a,
                    const LabHeavy *b)
{
  g_assert_cmpuint (a->step, ==, b->step);
  g_assert_cmpuint (a->n_layers, ==, b->n_layers);
  for (guint l = 0; l < a->n_layers; l++)
    {
      const LabHeavyLayer *x = &a->layers[l], *y = &b->layers[l];
      gsize n = x->rows * x->cols;

      g_assert_cmpstr (x->name, ==, y->name);
      g_assert_cmpuint (x->rows, ==, y->rows);
      g_assert_cmpuint (x->cols, ==, y->cols);
      g_assert_cmpint (x->act, ==, y->act);
      g_assert_cmpmem (x->weight, n * sizeof (float), y->weight, n * sizeof (float));
      g_assert_cmpmem (x->bias, x->rows * sizeof (float), y->bias, y->rows * sizeof (float));
      g_assert_nonnull (y->mask);
      g_assert_cmpmem (x->mask, n * sizeof (float), y->mask, n * sizeof (float));
      g_assert_cmpfloat (x->sparsity, ==, y->sparsity);
      g_assert_cmpmem (&x->act_hist, sizeof x->act_hist, &y->act_hist, sizeof y->act_hist);
      g_assert_cmpmem (&x->grad_hist, sizeof x->grad_hist, &y->grad_hist, sizeof y->grad_hist);
    }
}

/* Writer → reader: weights, masks, biases and histograms bit for bit. */
static void
test_heavy_round_trip (void)
{
  g_autoptr(LabTrainer) tr = NULL;
  g_autofree char *dir = lab_test_mkdtemp ();
  g_autofree char *run = g_build_filename (dir, "run", NULL);
  g_autoptr(GError) error = NULL;
  LabHeavy *heavy = pruned_heavy (&tr);
  g_autoptr(LabRunManifest) m = lab_run_manifest_new_from_heavy (heavy, 3, 1, 10);
  g_autoptr(LabRunWriter) writer = lab_run_writer_new (run, m, 0, &error);
  g_autofree char *folder = g_strdup_printf ("%s/heavy/%06" G_GUINT64_FORMAT, run, heavy->step);
  LabHeavy *back;

  g_assert_no_error (error);
  g_assert_cmpfloat (heavy->layers[0].sparsity, >, 0.3);
  g_assert_true (lab_run_writer_heavy (writer, heavy, &error));
  g_assert_no_error (error);
  back = lab_run_heavy_load (m, folder, &error);
  g_assert_no_error (error);
  assert_heavy_equal (heavy, back);
  g_assert_cmpint (back->layers[0].kind, ==, LAB_LAYER_LINEAR);
  g_assert_true (back->layers[0].act_known);
  /* writing the same step again is a no-op */
  g_assert_true (lab_run_writer_heavy (writer, heavy, &error));
  lab_heavy_free (back);
  lab_heavy_free (heavy);
  lab_test_rmdir (dir);
}

/* heavy.ini alone: what lab_run_heavy_parse_ini accepts and refuses. */
static void
test_heavy_ini (void)
{
  g_autoptr(LabRunManifest) m = lab_test_run_manifest ();
  static const struct { const char *text; const char *msg; } bad[] = {
    { "[layer0]\n", "heavy.ini: no [heavy] group" },
    { "[heavy]\n", "heavy.ini: [heavy] step: missing" },
    { "[heavy]\nstep=1\n[layer2]\n", "heavy.ini: [layer2]: the run has 2 layers (run.ini)" },
    { "[heavy]\nstep=1\n[layer0]\nact_counts=1\n", "[layer0] act_lo: missing" },
    { "[heavy]\nstep=1\n[layer0]\nact_lo=0\nact_hi=1\nact_counts=1;2\n",
      "[layer0] act_counts = '1;2': must be a list of 48 numbers separated by ';' (it has 2)" },
    { "[heavy]\nstep=1\n[layer1]\ngrad_lo=1\ngrad_hi=1\ngrad_counts=0;0;0;0;0;0;0;0;0;0;0;0;0;"
      "0;0;0;0;0;0;0;0;0;0;0;0;0;0;0;0;0;0;0;0;0;0;0;0;0;0;0;0;0;0;0;0;0;0;0\n",
      "[layer1] grad_hi: the range [grad_lo, grad_hi) must have grad_lo < grad_hi" },
    { "[heavy]\nstep=1\n[layer0]\nact_lo=nan\nact_hi=1\nact_counts=1\n",
      "[layer0] act_lo = 'nan': must be a finite number" },
  };
  LabHeavy *heavy = lab_run_heavy_new (m, FALSE);
  g_autofree char *text = NULL;
  LabHeavy *back = lab_run_heavy_new (m, FALSE);

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      LabHeavy *h = lab_run_heavy_new (m, FALSE);

      g_assert_false (lab_run_heavy_parse_ini (h, bad[i].text, strlen (bad[i].text),
                                               "heavy.ini", &error));
      g_test_message ("%s", error->message);
      g_assert_nonnull (strstr (error->message, bad[i].msg));
      lab_heavy_free (h);
    }

  /* a layer without histograms keeps empty ones; written text reads back */
  heavy->step = 42;
  lab_histogram_fill (&heavy->layers[1].act_hist, (const float[]) { 0.1f, 0.2f, 7.0f }, 3,
                      0.0f, 1.0f / 3.0f, FALSE);
  heavy->layers[1].act_hist.nonfinite = 5;
  text = lab_run_heavy_ini_to_data (heavy, NULL);
  g_assert_null (strstr (text, "[layer0]\nact_lo"));
  g_assert_true (lab_run_heavy_parse_ini (back, text, strlen (text), "heavy.ini", NULL));
  g_assert_cmpuint (back->step, ==, 42);
  g_assert_cmpmem (&back->layers[1].act_hist, sizeof (LabHistogram),
                   &heavy->layers[1].act_hist, sizeof (LabHistogram));
  g_assert_cmpfloat (back->layers[0].act_hist.hi, ==, 0);
  lab_heavy_free (heavy);
  lab_heavy_free (back);
}

/* Writes a good snapshot of @m at @step into RUN/heavy/NNNNNN by hand; returns its path. */
static char *
write_snapshot (const char           *run,
                const LabRunManifest *m,
                guint64               step)
{
  g_autoptr(GError) error = NULL;
  LabHeavy *heavy = lab_run_heavy_new (m, FALSE);
  char *path = g_strdup_printf ("%s/heavy/%06" G_GUINT64_FORMAT, run, step);

  heavy->step = step;
  for (gsize i = 0; i < heavy->n_params; i++)
    heavy->params[i] = (float) step;
  g_assert_cmpint (g_mkdir_with_parents (path, 0777), ==, 0);
  g_assert_true (lab_run_heavy_save (heavy, path, &error));
  g_assert_no_error (error);
  lab_heavy_free (heavy);
  return path;
}

static void
assert_heavy_refused (const LabRunManifest *m,
                      const char           *path,
                      const char           *msg)
{
  g_autoptr(GError) error = NULL;
  LabHeavy *heavy = lab_run_heavy_load (m, path, &error);

  g_assert_null (heavy);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, msg));
}

/* Truncated or corrupt arrays, shapes that are not the manifest's, masks that are not 0/1. */
static void
test_heavy_bad (void)
{
  g_autoptr(LabRunManifest) m = lab_test_run_manifest ();
  g_autofree char *dir = lab_test_mkdtemp ();
  g_autofree char *snap = write_snapshot (dir, m, 10);
  g_autofree char *w0 = g_build_filename (snap, "W0.npy", NULL);
  g_autofree char *b0 = g_build_filename (snap, "B0.npy", NULL);
  g_autofree char *b1 = g_build_filename (snap, "B1.npy", NULL);
  g_autofree char *m1 = g_build_filename (snap, "M1.npy", NULL);
  g_autofree char *bytes = NULL;
  gsize len;
  float wrong[12] = { 0 }, mask[8] = { 1, 0, 1, 0.5f, 1, 1, 1, 1 };

  g_assert_true (g_file_get_contents (w0, &bytes, &len, NULL));
  g_assert_true (g_file_set_contents (w0, bytes, (gssize) len - 5, NULL));
  assert_heavy_refused (m, snap, "W0.npy: truncated");
  g_assert_true (g_file_set_contents (w0, "garbage", -1, NULL));
  assert_heavy_refused (m, snap, "W0.npy: not a .npy file");
  g_assert_true (lab_npy_save (w0, wrong, 3, 4, NULL));
  assert_heavy_refused (m, snap,
                        "W0.npy: weights of shape 3×4, but run.ini says [layer0] is 4×3");
  g_assert_true (lab_npy_save (w0, wrong, 4, 3, NULL));
  g_assert_true (lab_npy_save (b0, wrong, 3, 0, NULL));
  assert_heavy_refused (m, snap, "B0.npy: bias of shape 3, but run.ini says [layer0] is a vector "
                        "of 4");
  g_unlink (b0);
  assert_heavy_refused (m, snap, "B0.npy: could not open");
  g_assert_true (lab_npy_save (b0, wrong, 4, 0, NULL));
  g_assert_true (lab_npy_save (b1, wrong, 2, 0, NULL));
  assert_heavy_refused (m, snap, "B1.npy: a bias, but run.ini says [layer1] has none");
  g_unlink (b1);
  g_assert_true (lab_npy_save (m1, mask, 2, 4, NULL));
  assert_heavy_refused (m, snap, "M1.npy: value 0.5 at 3: a mask holds only 0 (pruned) and 1");
  mask[3] = 0;
  g_assert_true (lab_npy_save (m1, mask, 2, 4, NULL));
  {
    LabHeavy *heavy = lab_run_heavy_load (m, snap, NULL);

    g_assert_nonnull (heavy);
    g_assert_null (heavy->layers[0].mask);          /* no M0.npy: dense */
    g_assert_nonnull (heavy->layers[1].mask);
    g_assert_cmpfloat (heavy->layers[1].sparsity, ==, 0.25);   /* 1 and 3 of 8 are 0 … */
    lab_heavy_free (heavy);
  }
  lab_test_rmdir (dir);
}

/* ------------------------------------------------------------------------------------------ */
/* the writer */

static void
test_writer_dirs (void)
{
  g_autoptr(LabRunManifest) m = lab_test_run_manifest ();
  g_autofree char *dir = lab_test_mkdtemp ();
  g_autofree char *run = g_build_filename (dir, "a", "b", "run", NULL);
  g_autofree char *other = g_build_filename (dir, "other", NULL);
  g_autofree char *file = NULL;
  g_autofree char *keep = NULL;
  g_autofree char *rows = NULL;
  g_autofree char *status = NULL;
  g_autoptr(GError) error = NULL;
  LabRunWriter *writer;
  LabStepStats st = { .step = 1, .n_layers = 2 };

  /* a new folder, parents too: run.ini, empty rows, running */
  writer = lab_run_writer_new (run, m, 0, &error);
  g_assert_no_error (error);
  g_assert_true (lab_run_writer_append (writer, &st, &error));
  lab_run_writer_free (writer);

  /* a run is there: refused, unless asked to replace it */
  writer = lab_run_writer_new (run, m, 0, &error);
  g_assert_null (writer);
  g_assert_error (error, LAB_ENGINE_ERROR, LAB_ENGINE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "holds a run already (run.ini)"));
  g_clear_error (&error);
  writer = lab_run_writer_new (run, m, LAB_RUN_WRITER_REPLACE, &error);
  g_assert_no_error (error);
  rows = g_build_filename (run, "rows.jsonl", NULL);
  status = g_build_filename (run, "status", NULL);
  g_assert_true (g_file_get_contents (rows, &file, NULL, NULL));
  g_assert_cmpstr (file, ==, "");
  g_clear_pointer (&file, g_free);
  g_assert_true (g_file_get_contents (status, &file, NULL, NULL));
  g_assert_cmpstr (file, ==, "running\n");
  g_clear_pointer (&file, g_free);
  g_assert_true (lab_run_writer_finish (writer, "out of memory\nin layer 2", &error));
  lab_run_writer_free (writer);
  g_assert_true (g_file_get_contents (status, &file, NULL, NULL));
  g_assert_cmpstr (file, ==, "failed: out of memory in layer 2\n");

  /* a run directory with someone's file in it is not replaced */
  keep = lab_test_write_file (run, "notes.txt", "mine", 4);
  writer = lab_run_writer_new (run, m, LAB_RUN_WRITER_REPLACE, &error);
  g_assert_null (writer);
  g_assert_nonnull (strstr (error->message, "holds 'notes.txt', which is not part of a run "
                                            "directory: not replacing it"));
  g_clear_error (&error);
  g_assert_true (g_file_test (keep, G_FILE_TEST_EXISTS));

  /* a folder with other things in it is never written into */
  g_assert_cmpint (g_mkdir (other, 0777), ==, 0);
  g_clear_pointer (&keep, g_free);
  keep = lab_test_write_file (other, "data.csv", "1,2\n", 4);
  writer = lab_run_writer_new (other, m, LAB_RUN_WRITER_REPLACE, &error);
  g_assert_null (writer);
  g_assert_nonnull (strstr (error->message, "not empty and holds no run directory"));
  g_clear_error (&error);

  /* a path that is a file */
  writer = lab_run_writer_new (keep, m, 0, &error);
  g_assert_null (writer);
  g_assert_error (error, LAB_ENGINE_ERROR, LAB_ENGINE_ERROR_IO);
  g_assert_nonnull (strstr (error->message, keep));
  lab_test_rmdir (dir);
}

/* At most LAB_RUN_HEAVY_KEEP snapshots stay; a layer of another shape is a MISMATCH. */
static void
test_writer_heavy (void)
{
  g_autoptr(LabRunManifest) m = lab_test_run_manifest ();
  g_autofree char *dir = lab_test_mkdtemp ();
  g_autofree char *heavy_dir = g_build_filename (dir, "heavy", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(LabRunWriter) writer = lab_run_writer_new (dir, m, 0, &error);
  g_autoptr(GDir) d = NULL;
  LabHeavy *heavy = lab_run_heavy_new (m, FALSE);
  LabHeavy *other = NULL;
  const char *name;
  guint n = 0;
  gsize sizes[] = { 3, 5, 2 };

  for (guint64 step = 1; step <= 6; step++)
    {
      heavy->step = step * 100;
      g_assert_true (lab_run_writer_heavy (writer, heavy, &error));
      g_assert_no_error (error);
    }
  d = g_dir_open (heavy_dir, 0, NULL);
  while ((name = g_dir_read_name (d)) != NULL)
    {
      g_assert_true (g_str_equal (name, "000400") || g_str_equal (name, "000500") ||
                     g_str_equal (name, "000600"));
      n++;
    }
  g_assert_cmpuint (n, ==, LAB_RUN_HEAVY_KEEP);

  other = lab_heavy_new_chain (2, sizes, FALSE);
  other->step = 700;
  g_assert_false (lab_run_writer_heavy (writer, other, &error));
  g_assert_error (error, LAB_ENGINE_ERROR, LAB_ENGINE_ERROR_MISMATCH);
  lab_heavy_free (other);
  lab_heavy_free (heavy);
  lab_test_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/rundir/heavy/round-trip", test_heavy_round_trip);
  g_test_add_func ("/rundir/heavy/ini", test_heavy_ini);
  g_test_add_func ("/rundir/heavy/bad", test_heavy_bad);
  g_test_add_func ("/rundir/writer/dirs", test_writer_dirs);
  g_test_add_func ("/rundir/writer/heavy", test_writer_heavy);

  return g_test_run ();
}
