/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * test-locale.c: the files are the same in every locale. gradlab and gradlab-cli run in the
 * user's locale, numbers on screen included (a German desktop shows 0,5), so every writer and
 * reader of a file must format and parse numbers itself, with '.' (g_ascii_formatd,
 * g_ascii_strtod). One seeded run writes every kind of file: settings .ini, metrics CSV and JSON
 * Lines (as gradlab-cli and as the window's export write them), weights and masks as .npy, a
 * .gradlab run file, a sweep CSV, the lottery's lines, and a run directory (run.ini,
 * rows.jsonl, heavy/NNNNNN/heavy.ini and its .npy, status).
 * - written under de_DE.UTF-8 and es_ES.UTF-8 (decimal comma) they are byte for byte the files
 *   written under "C", the settings and presets being read under the same locale;
 * - the files written under "C", read back under those locales, give exactly what they give
 *   under "C".
 * The locales come from Debian's locales-all (scripts/install-deps); a system without them
 * skips these tests rather than pass them vacuously.
 */
#define G_LOG_DOMAIN "lab-test"
#include "config.h"

#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "lab-config.h"
#include "lab-experiment.h"
#include "lab-metrics.h"
#include "lab-npy.h"
#include "lab-record.h"
#include "lab-rowlog.h"
#include "lab-run-heavy.h"
#include "lab-run-manifest.h"
#include "lab-run-rows.h"
#include "lab-run-writer.h"
#include "lab-runfile.h"
#include "lab-snapshot.h"
#include "lab-sweep.h"
#include "lab-test-utils.h"

#define N_STEPS 6

/* Fractional values in every section, so that a decimal comma would show anywhere. */
static const char * const run_settings[] = {
  "model.hidden=8,6", "model.init_scale=0.75", "model.bias_init=0.125",
  "train.lr=0.0125", "train.beta2=0.995", "train.weight_decay=0.0005",
  "train.batch=16", "train.steps=6", "train.seed=11",
  "data.n_train=200", "data.n_test=64", "data.noise=0.15",
  "clip.mode=norm", "clip.value=1.5",
  "prune.schedule=oneshot", "prune.at_step=3", "prune.target=0.375",
  NULL
};

/* Sets the locale of the whole process; FALSE, with the test skipped, when the system has no
 * such locale. Checks that it really writes numbers with @point, or the test would prove
 * nothing. */
static gboolean
use_locale (const char *locale,
            const char *point)
{
  char buf[32];

  if (setlocale (LC_ALL, locale) == NULL)
    {
      g_autofree char *why = g_strdup_printf ("locale %s is not installed (locales-all)",
                                              locale);
      setlocale (LC_ALL, "C");
      g_test_skip (why);
      return FALSE;
    }
  g_assert_cmpstr (localeconv ()->decimal_point, ==, point);
  g_snprintf (buf, sizeof buf, "%g", 0.5);
  g_assert_cmpstr (buf, ==, g_str_equal (point, ",") ? "0,5" : "0.5");
  return TRUE;
}

/* ------------------------------------------------------------------------------------------ */
/* writing */

static void
write_text (const char *dir,
            const char *name,
            const char *text)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, text, -1, &error);
  g_assert_no_error (error);
}

static void
write_metrics (const char   *path,
               const GArray *rows)
{
  g_autoptr(GError) error = NULL;
  const LabStepStats *first = &g_array_index (rows, LabStepStats, 0);
  LabMetricsWriter *w = lab_metrics_writer_new (path, first->n_layers, &error);

  g_assert_no_error (error);
  for (guint i = 0; i < rows->len; i++)
    {
      const LabStepStats *st = &g_array_index (rows, LabStepStats, i);
      g_assert_true (lab_metrics_writer_append (w, st, st->test_loss, st->test_accuracy,
                                                &error));
    }
  g_assert_true (lab_metrics_writer_close (w, &error));
  g_assert_no_error (error);
}

/* The .gradlab file of the run as the window saves it: settings, weights, mask, rows. */
static void
write_run_file (const char     *path,
                LabTrainer     *tr,
                const LabHeavy *heavy,
                LabRowLog      *log,
                const LabEval  *eval)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = lab_config_to_data (lab_trainer_get_config (tr), NULL);
  LabRun run = { 0 };

  run.config = *lab_trainer_get_config (tr);
  run.config_text = text;
  run.n_layers = heavy->n_layers;
  memcpy (run.sizes, heavy->sizes, sizeof run.sizes);
  run.n_params = heavy->n_params;
  run.params = heavy->params;
  run.mask = heavy->mask;
  run.step = heavy->step;
  run.epoch = lab_trainer_get_epoch (tr);
  run.eval_step = heavy->step;
  run.test_loss = eval->loss;
  run.test_accuracy = eval->accuracy;
  run.rows = log;
  g_assert_true (lab_run_save (&run, path, &error));
  g_assert_no_error (error);
}

static void
write_sweep_and_lottery (const char *dir)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *csv = g_build_filename (dir, "sweep.csv", NULL);
  LabSweepRow rows[3] = {
    { "magnitude", "layer", 0.5, 1, 0.8125, 0.4375, 0.4999 },
    { "saliency", "global", 0.875, 0, 0.625, 1.0625, 0.8751 },
    { "random", "layer", 0.1, 2, 0.33333333, 2.5e-3, 0.1001 },
  };
  LabLotteryRound rounds[2] = {
    { .round = 1, .sparsity = 0.2, .test_accuracy = 0.8125, .control_accuracy = 0.75 },
    { .round = 2, .sparsity = 0.36, .test_accuracy = 0.796875, .control_accuracy = 0.6875 },
  };
  LabLotterySpec spec = { .rounds = 2, .rate = 0.2, .rewind = LAB_REWIND_INIT, .control = TRUE };
  LabEval dense = { .loss = 0.53125, .accuracy = 0.84375, .n = 64 };
  GString *lines = g_string_new (NULL);

  g_assert_true (lab_sweep_write_csv (csv, rows, G_N_ELEMENTS (rows), &error));
  g_assert_no_error (error);

  for (guint i = 0; i < G_N_ELEMENTS (rounds); i++)
    {
      g_autofree char *line = lab_lottery_format_round (&rounds[i], TRUE);
      g_string_append_printf (lines, "%s\n", line);
    }
  {
    g_autofree char *summary = lab_lottery_format_summary (&spec, &dense, rounds,
                                                           G_N_ELEMENTS (rounds));
    g_string_append_printf (lines, "%s\n", summary);
  }
  write_text (dir, "lottery.txt", lines->str);
  g_string_free (lines, TRUE);
}

/* A run directory as gradlab-cli --run-dir writes it; the manifest's start time and writer id
 * are fixed (they name the moment and the writer, not the numbers). */
static void
write_run_dir (const char     *dir,
               const LabHeavy *heavy,
               const GArray   *rows)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LabRunManifest) m = lab_run_manifest_new_from_heavy (heavy, 3, 1, 6);
  g_autoptr(LabRunWriter) writer = NULL;

  g_free (m->started);
  m->started = g_strdup ("2025-01-01T00:00:00Z");
  g_free (m->writer_id);
  m->writer_id = g_strdup ("locale-test");
  writer = lab_run_writer_new (dir, m, 0, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < rows->len; i++)
    g_assert_true (lab_run_writer_append (writer, &g_array_index (rows, LabStepStats, i),
                                          &error));
  g_assert_true (lab_run_writer_heavy (writer, heavy, &error));
  g_assert_true (lab_run_writer_finish (writer, NULL, &error));
  g_assert_no_error (error);
}

/* Every kind of file from one seeded run of the spiral preset, trained and pruned in the
 * current locale, into @dir. */
static void
write_all (const char *dir)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LabTrainer) tr = lab_test_new_trainer ("spiral", run_settings);
  g_autoptr(GArray) rows = g_array_new (FALSE, FALSE, sizeof (LabStepStats));
  g_autoptr(LabRowLog) log = NULL;
  g_autofree char *path = NULL;
  LabHeavy *heavy;
  LabEval eval;

  for (guint i = 1; i <= N_STEPS; i++)
    {
      LabStepStats st;

      g_assert_true (lab_trainer_step (tr, &st, &error));
      g_assert_no_error (error);
      /* clock readings differ from run to run; give them fractional values of our own */
      st.time = 0.015625 * i;
      st.step_time = 0.0078125;
      g_array_append_val (rows, st);
    }
  eval = lab_trainer_evaluate (tr, TRUE);
  g_array_index (rows, LabStepStats, N_STEPS - 1).test_loss = eval.loss;
  g_array_index (rows, LabStepStats, N_STEPS - 1).test_accuracy = eval.accuracy;
  heavy = lab_heavy_new_from_mlp (lab_trainer_get_mlp (tr), lab_trainer_get_dataset (tr),
                                  lab_trainer_last_rows (tr), lab_trainer_get_step (tr));
  g_assert_nonnull (heavy->mask);   /* pruned at step 3: the masks are written too */
  log = lab_row_log_new (g_array_index (rows, LabStepStats, 0).n_layers);
  for (guint i = 0; i < rows->len; i++)
    lab_row_log_append (log, &g_array_index (rows, LabStepStats, i));

  path = g_build_filename (dir, "settings.ini", NULL);
  g_assert_true (lab_config_save_file (lab_trainer_get_config (tr), path, &error));
  g_clear_pointer (&path, g_free);
  path = g_build_filename (dir, "cli.csv", NULL);
  write_metrics (path, rows);
  g_clear_pointer (&path, g_free);
  path = g_build_filename (dir, "cli.jsonl", NULL);
  write_metrics (path, rows);
  g_clear_pointer (&path, g_free);
  path = g_build_filename (dir, "window.csv", NULL);
  g_assert_true (lab_row_log_write (log, path, &error));
  g_clear_pointer (&path, g_free);
  path = g_build_filename (dir, "window.jsonl", NULL);
  g_assert_true (lab_row_log_write (log, path, &error));
  g_clear_pointer (&path, g_free);
  path = g_build_filename (dir, "weights", NULL);
  g_assert_true (lab_trainer_save_weights (tr, path, &error));
  g_clear_pointer (&path, g_free);
  path = g_build_filename (dir, "run.gradlab", NULL);
  write_run_file (path, tr, heavy, log, &eval);
  g_clear_pointer (&path, g_free);
  g_assert_no_error (error);
  write_sweep_and_lottery (dir);
  path = g_build_filename (dir, "rundir", NULL);
  write_run_dir (path, heavy, rows);
  lab_heavy_free (heavy);
}

/* ------------------------------------------------------------------------------------------ */
/* comparing trees */

/* The same files with the same bytes under @a and @b; returns how many. */
static guint
assert_same_tree (const char *a,
                  const char *b)
{
  g_autoptr(GPtrArray) fa = lab_test_list_files (a);
  g_autoptr(GPtrArray) fb = lab_test_list_files (b);

  g_assert_cmpuint (fa->len, ==, fb->len);
  for (guint i = 0; i < fa->len; i++)
    {
      g_autofree char *pa = g_build_filename (a, g_ptr_array_index (fa, i), NULL);
      g_autofree char *pb = g_build_filename (b, g_ptr_array_index (fb, i), NULL);
      g_autofree char *ca = NULL, *cb = NULL;
      gsize la, lb;

      g_assert_cmpstr (g_ptr_array_index (fa, i), ==, g_ptr_array_index (fb, i));
      g_assert_true (g_file_get_contents (pa, &ca, &la, NULL));
      g_assert_true (g_file_get_contents (pb, &cb, &lb, NULL));
      if (la != lb || memcmp (ca, cb, la) != 0)
        g_error ("%s differs between the locales:\n%.*s\n---\n%.*s",
                 (const char *) g_ptr_array_index (fa, i), (int) MIN (la, 2000), ca,
                 (int) MIN (lb, 2000), cb);
    }
  return fa->len;
}

/* ------------------------------------------------------------------------------------------ */
/* reading: everything read, as text with every number written exactly (g_ascii_dtostr) */

static void
digest_num (GString *s,
            double   v)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  g_string_append (s, isnan (v) ? "nan" : g_ascii_dtostr (buf, sizeof buf, v));
  g_string_append_c (s, ' ');
}

static void
digest_rows (GString         *s,
             const LabRowLog *log)
{
  guint n_step, n_layer;
  const LabRecordField *step = lab_record_step_fields (&n_step);
  const LabRecordLayerField *layer = lab_record_layer_fields (&n_layer);
  LabStepStats st;

  for (gsize r = 0; r < lab_row_log_len (log); r++)
    {
      lab_row_log_get (log, r, &st);
      for (guint i = 0; i < n_step; i++)
        digest_num (s, lab_record_get (&st, &step[i]));
      for (guint l = 0; l < st.n_layers; l++)
        for (guint i = 0; i < n_layer; i++)
          digest_num (s, lab_record_layer_get (&st.layer[l], &layer[i]));
      g_string_append_c (s, '\n');
    }
}

static void
digest_floats (GString     *s,
               const float *v,
               gsize        n)
{
  for (gsize i = 0; v != NULL && i < n; i++)
    digest_num (s, v[i]);
  g_string_append_c (s, '\n');
}

/* Rows of a JSON Lines file of @n_layers layers, through the reader of run directories. */
static void
digest_jsonl (GString    *s,
              const char *path,
              guint       n_layers)
{
  g_autofree char *text = NULL;
  gsize len;
  g_autoptr(LabRunRows) reader = lab_run_rows_new (path, n_layers);
  g_autoptr(LabRowLog) log = lab_row_log_new (n_layers);

  g_assert_true (g_file_get_contents (path, &text, &len, NULL));
  g_assert_cmpuint (lab_run_rows_feed (reader, text, len, G_MAXUINT, log), ==, len);
  g_assert_cmpuint (lab_run_rows_skipped (reader, NULL), ==, 0);
  g_assert_cmpuint (lab_row_log_len (log), ==, N_STEPS);
  digest_rows (s, log);
}

static void
digest_settings_and_weights (GString    *s,
                             const char *dir)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *ini = g_build_filename (dir, "settings.ini", NULL);
  g_autofree char *weights = g_build_filename (dir, "weights", NULL);
  g_autofree char *text = NULL;
  g_autoptr(LabTrainer) tr = NULL;
  LabConfig cfg;
  LabMlp *mlp;

  lab_config_init_defaults (&cfg);
  g_assert_true (lab_config_load_file (&cfg, ini, &error));
  g_assert_no_error (error);
  g_assert_cmpfloat (cfg.train.lr, ==, 0.0125);
  g_assert_cmpfloat (cfg.prune.spec.target, ==, 0.375);
  text = lab_config_to_data (&cfg, NULL);
  g_string_append (s, text);
  tr = lab_trainer_new (&cfg, NULL, &error);
  g_assert_no_error (error);
  lab_config_clear (&cfg);
  g_assert_true (lab_trainer_load_weights (tr, weights, &error));
  g_assert_no_error (error);
  mlp = lab_trainer_get_mlp (tr);
  digest_floats (s, mlp->params, mlp->n_params);
  digest_floats (s, mlp->mask, mlp->n_params);
}

static void
digest_run_file (GString    *s,
                 const char *dir)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (dir, "run.gradlab", NULL);
  g_autoptr(LabRun) run = lab_run_load (path, &error);
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *b64 = NULL;

  g_assert_no_error (error);
  g_assert_cmpfloat (run->config.train.lr, ==, 0.0125);
  bytes = lab_run_to_bytes (run);
  b64 = g_base64_encode (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  g_string_append_printf (s, "%s\n", b64);
  digest_num (s, run->test_loss);
  digest_rows (s, run->rows);
}

static void
digest_sweep (GString    *s,
              const char *dir)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (dir, "sweep.csv", NULL);
  g_autoptr(GArray) rows = lab_sweep_load_csv (path, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 3);
  for (guint i = 0; i < rows->len; i++)
    {
      const LabSweepRow *r = &g_array_index (rows, LabSweepRow, i);

      g_string_append_printf (s, "%s %s %u ", r->criterion, r->scope, r->finetune_epochs);
      digest_num (s, r->sparsity);
      digest_num (s, r->test_accuracy);
      digest_num (s, r->test_loss);
      digest_num (s, r->achieved_sparsity);
      g_string_append_c (s, '\n');
    }
}

static void
digest_run_dir (GString    *s,
                const char *dir)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *ini = g_build_filename (dir, "rundir", "run.ini", NULL);
  g_autofree char *rows = g_build_filename (dir, "rundir", "rows.jsonl", NULL);
  g_autofree char *snapshot = g_build_filename (dir, "rundir", "heavy", "000006", NULL);
  g_autoptr(LabRunManifest) m = lab_run_manifest_load (ini, &error);
  LabHeavy *heavy;
  g_autofree char *m_text = NULL;
  g_autofree char *h_text = NULL;

  g_assert_no_error (error);
  m_text = lab_run_manifest_to_data (m, NULL);
  g_string_append (s, m_text);
  heavy = lab_run_heavy_load (m, snapshot, &error);
  g_assert_no_error (error);
  h_text = lab_run_heavy_ini_to_data (heavy, NULL);
  g_string_append (s, h_text);
  digest_floats (s, heavy->params, heavy->n_params);
  digest_floats (s, heavy->mask, heavy->n_params);
  lab_heavy_free (heavy);
  digest_jsonl (s, rows, m->n_layers);
}

/* Everything in @dir read back in the current locale. */
static char *
read_all (const char *dir)
{
  GString *s = g_string_new (NULL);
  g_autofree char *jsonl = g_build_filename (dir, "cli.jsonl", NULL);
  g_autofree char *window = g_build_filename (dir, "window.jsonl", NULL);

  digest_settings_and_weights (s, dir);
  digest_jsonl (s, jsonl, 3);
  digest_jsonl (s, window, 3);
  digest_run_file (s, dir);
  digest_sweep (s, dir);
  digest_run_dir (s, dir);
  return g_string_free (s, FALSE);
}

/* ------------------------------------------------------------------------------------------ */
/* the tests */

static void
test_write (gconstpointer data)
{
  const char *locale = data;
  g_autofree char *in_c = lab_test_mkdtemp ();
  g_autofree char *in_locale = lab_test_mkdtemp ();
  guint n;

  g_assert_nonnull (setlocale (LC_ALL, "C"));
  write_all (in_c);
  if (!use_locale (locale, ","))
    goto out;
  write_all (in_locale);
  setlocale (LC_ALL, "C");
  n = assert_same_tree (in_c, in_locale);
  /* settings, 4 metrics files, 6 weight/bias and 6 mask .npy, run file, sweep, lottery,
   * and the run directory: run.ini, rows.jsonl, status, heavy.ini and 9 .npy */
  g_assert_cmpuint (n, ==, 1 + 4 + 6 + 6 + 1 + 1 + 1 + 4 + 9);
out:
  setlocale (LC_ALL, "C");
  lab_test_rmdir (in_c);
  lab_test_rmdir (in_locale);
}

static void
test_read (gconstpointer data)
{
  const char *locale = data;
  g_autofree char *dir = lab_test_mkdtemp ();
  g_autofree char *in_c = NULL;
  g_autofree char *in_locale = NULL;

  g_assert_nonnull (setlocale (LC_ALL, "C"));
  write_all (dir);
  in_c = read_all (dir);
  if (use_locale (locale, ","))
    {
      in_locale = read_all (dir);
      g_assert_cmpstr (in_locale, ==, in_c);
    }
  setlocale (LC_ALL, "C");
  lab_test_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_data_func ("/locale/write/de_DE", "de_DE.UTF-8", test_write);
  g_test_add_data_func ("/locale/write/es_ES", "es_ES.UTF-8", test_write);
  g_test_add_data_func ("/locale/read/de_DE", "de_DE.UTF-8", test_read);
  g_test_add_data_func ("/locale/read/es_ES", "es_ES.UTF-8", test_read);

  return g_test_run ();
}
