/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * test-runfile.c: the full metrics log (lab-rowlog) and .gradlab run files (lab-runfile).
 * - the log keeps every row exactly, thins by two at its cap, writes CSV/JSON Lines;
 * - save → load gives back the same settings text, weights, mask, rows and evaluation, and the
 *   experiment results (sweep points, lottery rounds), which older readers skip;
 * - every kind of damage (truncation at every offset, bad magic or version, lengths beyond the
 *   file, bad counts, NaN weights, bad masks, rows out of order …) is a GError naming the file;
 * - a run saved after N steps and reopened in a new LabSession has the same weights and, with
 *   plain SGD (no optimiser state to lose), continues with the very rows an uninterrupted run
 *   produces.
 */
#define G_LOG_DOMAIN "lab-test"
#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gstdio.h>

#include "lab-config.h"
#include "lab-error.h"
#include "lab-metrics.h"
#include "lab-rng.h"
#include "lab-rowlog.h"
#include "lab-runfile.h"
#include "lab-session.h"
#include "lab-test-utils.h"

#define NAME "damaged.gradlab"

/* ------------------------------------------------------------------------------------------ */
/* helpers */

static LabStepStats
fake_row (guint64 step,
          guint   n_layers)
{
  LabStepStats st = { 0 };

  st.step = step;
  st.epoch = 1 + (guint) (step / 7);
  st.n_layers = n_layers;
  st.samples = 32;
  st.time = 0.001 * step;
  st.step_time = 1e-4;
  st.lr = 0.1 / (1 + step);
  st.loss = 1.0 / (1.0 + step) + 1e-9 * step;
  st.accuracy = 1.0 - st.loss;
  st.grad_norm = 0.5 + step;
  st.sparsity = 0.25;
  st.test_loss = step % 3 == 0 ? st.loss * 1.1 : NAN;
  st.test_accuracy = step % 3 == 0 ? 0.9 : NAN;
  for (guint l = 0; l < n_layers; l++)
    {
      st.layer[l].grad_norm = (float) (1e-6 * pow (10, l) * step);
      st.layer[l].grad_mean_abs = 1.0f / (float) (l + step);
      st.layer[l].delta_norm = 3.0f * (float) l;
      st.layer[l].weight_norm = 2.5f;
      st.layer[l].update_ratio = 1e-3f;
      st.layer[l].sparsity = 0.1f * (float) l;
      st.layer[l].act_mean = 0.5f;
      st.layer[l].act_std = 0.25f;
      st.layer[l].act_saturated = 0.125f;
      st.layer[l].act_dead = 0.0625f;
    }
  return st;
}

/* Bitwise equality of two rows over the layers they have. */
static void
assert_rows_equal (const LabStepStats *a,
                   const LabStepStats *b,
                   gboolean            with_times_and_tests)
{
  g_assert_cmpuint (a->step, ==, b->step);
  g_assert_cmpuint (a->epoch, ==, b->epoch);
  g_assert_cmpuint (a->n_layers, ==, b->n_layers);
  g_assert_cmpuint (a->samples, ==, b->samples);
  g_assert_true (memcmp (&a->lr, &b->lr, sizeof (double)) == 0);
  g_assert_true (memcmp (&a->loss, &b->loss, sizeof (double)) == 0);
  g_assert_true (memcmp (&a->accuracy, &b->accuracy, sizeof (double)) == 0);
  g_assert_true (memcmp (&a->grad_norm, &b->grad_norm, sizeof (double)) == 0);
  g_assert_true (memcmp (&a->sparsity, &b->sparsity, sizeof (double)) == 0);
  if (with_times_and_tests)
    {
      g_assert_true (memcmp (&a->time, &b->time, sizeof (double)) == 0);
      g_assert_true (memcmp (&a->step_time, &b->step_time, sizeof (double)) == 0);
      g_assert_true (memcmp (&a->test_loss, &b->test_loss, sizeof (double)) == 0);
      g_assert_true (memcmp (&a->test_accuracy, &b->test_accuracy, sizeof (double)) == 0);
    }
  g_assert_true (memcmp (a->layer, b->layer, a->n_layers * sizeof (LabLayerStats)) == 0);
}

static void
assert_damaged (const guint8 *bytes,
                gsize         len,
                const char   *must_contain)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LabRun) run = lab_run_parse (NAME, bytes, len, &error);

  g_assert_null (run);
  g_assert_error (error, LAB_ENGINE_ERROR, LAB_ENGINE_ERROR_FORMAT);
  g_assert_true (g_str_has_prefix (error->message, NAME ": "));
  if (must_contain != NULL && strstr (error->message, must_contain) == NULL)
    g_error ("“%s” lacks “%s”", error->message, must_contain);
}

/* The spiral preset with a small net (2-8-8-3, 123 parameters). */
static void
small_config (LabConfig *cfg)
{
  g_autoptr(GError) error = NULL;

  lab_config_init_defaults (cfg);
  g_assert_true (lab_config_load_preset (cfg, "spiral", &error));
  g_assert_true (lab_config_set (cfg, "model.hidden", "8,8", &error));
  g_assert_no_error (error);
}

/* A small run with a mask and @n_rows synthetic rows. */
static LabRun *
small_run (guint n_rows)
{
  LabRun *run = lab_run_new ();
  LabRng rng;

  lab_config_clear (&run->config);
  small_config (&run->config);
  run->config_text = lab_config_to_data (&run->config, NULL);
  run->n_layers = 3;
  run->sizes[0] = 2;
  run->sizes[1] = 8;
  run->sizes[2] = 8;
  run->sizes[3] = 3;
  run->n_params = lab_run_count_params (3, run->sizes);
  g_assert_cmpuint (run->n_params, ==, 123);
  run->params = g_new (float, run->n_params);
  run->mask = g_new (float, run->n_params);
  lab_rng_init (&rng, 7);
  for (gsize i = 0; i < run->n_params; i++)
    {
      run->params[i] = lab_rng_normal (&rng);
      run->mask[i] = i % 5 == 0 ? 0.0f : 1.0f;
      if (run->mask[i] == 0.0f)
        run->params[i] = 0.0f;
    }
  run->step = n_rows;
  run->epoch = 1;
  run->eval_step = n_rows;
  run->test_loss = 0.75;
  run->test_accuracy = 0.625;
  run->rows = lab_row_log_new (3);
  for (guint i = 1; i <= n_rows; i++)
    {
      LabStepStats st = fake_row (i, 3);
      lab_row_log_append (run->rows, &st);
    }
  return run;
}

/* CRC-32 as the file uses it (zlib's), to forge damage past the checksums. */
static guint32
crc32_ieee (const guint8 *p,
            gsize         n)
{
  guint32 crc = 0xFFFFFFFFu;

  for (gsize i = 0; i < n; i++)
    {
      crc ^= p[i];
      for (int k = 0; k < 8; k++)
        crc = crc & 1 ? 0xEDB88320u ^ (crc >> 1) : crc >> 1;
    }
  return ~crc;
}

/* Offset of the payload of section @tag in a file, and its length. */
static gsize
find_section (const guint8 *b,
              gsize         len,
              const char   *tag,
              gsize        *length)
{
  gsize pos = 16;

  while (pos + 16 <= len)
    {
      guint64 l;
      memcpy (&l, b + pos + 8, 8);
      l = GUINT64_FROM_LE (l);
      if (memcmp (b + pos, tag, 4) == 0)
        {
          *length = (gsize) l;
          return pos + 16;
        }
      pos += 16 + (gsize) l + 4;
    }
  g_error ("no section %s", tag);
  return 0;
}

/* Recomputes the CRC of the section holding @payload (after the payload was edited). */
static void
fix_crc (guint8 *b,
         gsize   payload,
         gsize   length)
{
  guint32 crc = GUINT32_TO_LE (crc32_ieee (b + payload, length));
  memcpy (b + payload + length, &crc, 4);
}

static void
put_u32_at (guint8  *b,
            gsize    off,
            guint32  v)
{
  v = GUINT32_TO_LE (v);
  memcpy (b + off, &v, 4);
}

static void
put_u64_at (guint8  *b,
            gsize    off,
            guint64  v)
{
  v = GUINT64_TO_LE (v);
  memcpy (b + off, &v, 8);
}

/* ------------------------------------------------------------------------------------------ */
/* the row log */

static void
test_rowlog_exact (void)
{
  g_autoptr(LabRowLog) log = lab_row_log_new (4);
  g_autoptr(LabRowLog) copy = NULL;

  for (guint64 t = 1; t <= 1000; t++)
    {
      LabStepStats st = fake_row (t, 4);
      lab_row_log_append (log, &st);
    }
  g_assert_cmpuint (lab_row_log_len (log), ==, 1000);
  g_assert_cmpuint (lab_row_log_seen (log), ==, 1000);
  g_assert_cmpuint (lab_row_log_get_stride (log), ==, 1);
  /* compact: only the run's 4 layers are stored, not LAB_MAX_LAYERS */
  g_assert_cmpuint (lab_row_log_bytes (log), <, 1024 * (100 + 4 * sizeof (LabLayerStats)) + 1);
  copy = lab_row_log_copy (log);
  for (guint64 t = 1; t <= 1000; t++)
    {
      LabStepStats want = fake_row (t, 4), got, got2;
      lab_row_log_get (log, t - 1, &got);
      lab_row_log_get (copy, t - 1, &got2);
      assert_rows_equal (&want, &got, TRUE);
      assert_rows_equal (&want, &got2, TRUE);
      for (guint l = 4; l < LAB_MAX_LAYERS; l++)
        g_assert_cmpfloat (got.layer[l].grad_norm, ==, 0);
    }
  lab_row_log_clear (log, 2);
  g_assert_cmpuint (lab_row_log_len (log), ==, 0);
  g_assert_cmpuint (lab_row_log_n_layers (log), ==, 2);
}

/* At the cap the log keeps every other row and then every 2nd, 4th … step: it always spans
 * the whole run and holds only exact rows. */
static void
test_rowlog_thinning (void)
{
  g_autoptr(LabRowLog) log = lab_row_log_new_capped (2, 100);
  guint stride;

  for (guint64 t = 1; t <= 1000; t++)
    {
      LabStepStats st = fake_row (t, 2);
      lab_row_log_append (log, &st);
      g_assert_cmpuint (lab_row_log_len (log), <=, 100);
    }
  stride = lab_row_log_get_stride (log);
  g_assert_cmpuint (stride, ==, 16);
  g_assert_cmpuint (lab_row_log_seen (log), ==, 1000);
  g_assert_cmpuint (lab_row_log_len (log), ==, (1000 + stride - 1) / stride);
  for (gsize i = 0; i < lab_row_log_len (log); i++)
    {
      LabStepStats got, want;
      lab_row_log_get (log, i, &got);
      want = fake_row (1 + i * stride, 2);
      assert_rows_equal (&want, &got, TRUE);
    }
}

/* CSV and JSON Lines through lab-metrics: one line per row, numbers as %.7g. */
static void
test_rowlog_write (void)
{
  g_autofree char *dir = lab_test_mkdtemp ();
  g_autofree char *csv = g_build_filename (dir, "m.csv", NULL);
  g_autofree char *jsonl = g_build_filename (dir, "m.jsonl", NULL);
  g_autofree char *bad = g_build_filename (dir, "m.txt", NULL);
  g_autoptr(LabRowLog) log = lab_row_log_new (3);
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;

  for (guint64 t = 1; t <= 50; t++)
    {
      LabStepStats st = fake_row (t, 3);
      lab_row_log_append (log, &st);
    }
  g_assert_true (lab_row_log_write (log, csv, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (csv, &text, NULL, NULL));
  lines = g_strsplit (text, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 52);   /* header, 50 rows, "" */
  g_assert_true (g_str_has_prefix (lines[0], "step,epoch,time,lr,loss,"));
  g_assert_nonnull (strstr (lines[0], ",act_dead_3"));
  for (guint i = 1; i <= 50; i++)
    {
      g_auto(GStrv) f = g_strsplit (lines[i], ",", -1);
      LabStepStats st = fake_row (i, 3);
      char want[G_ASCII_DTOSTR_BUF_SIZE];

      g_assert_cmpuint (g_strv_length (f), ==, 10 + 3 * 10);
      g_assert_cmpuint (g_ascii_strtoull (f[0], NULL, 10), ==, i);
      g_assert_cmpstr (f[4], ==, g_ascii_formatd (want, sizeof want, "%.7g", st.loss));
      g_assert_cmpstr (f[10], ==, g_ascii_formatd (want, sizeof want, "%.7g",
                                                   st.layer[0].grad_norm));
      g_assert_cmpstr (f[8], ==, isnan (st.test_loss) ? ""
                                 : g_ascii_formatd (want, sizeof want, "%.7g", st.test_loss));
    }
  g_clear_pointer (&text, g_free);
  g_clear_pointer (&lines, g_strfreev);

  g_assert_true (lab_row_log_write (log, jsonl, &error));
  g_assert_true (g_file_get_contents (jsonl, &text, NULL, NULL));
  lines = g_strsplit (text, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 51);
  g_assert_true (g_str_has_prefix (lines[0], "{\"step\":1,\"epoch\":1,"));
  g_assert_nonnull (strstr (lines[1], "\"test_loss\":null"));

  g_assert_false (lab_row_log_write (log, bad, &error));
  g_assert_error (error, LAB_ENGINE_ERROR, LAB_ENGINE_ERROR_INVALID);
  lab_test_rmdir (dir);
}

/* ------------------------------------------------------------------------------------------ */
/* files */

static void
assert_runs_equal (const LabRun *a,
                   const LabRun *b)
{
  g_assert_cmpstr (a->config_text, ==, b->config_text);
  g_assert_cmpuint (a->n_layers, ==, b->n_layers);
  g_assert_true (memcmp (a->sizes, b->sizes, (a->n_layers + 1) * sizeof (gsize)) == 0);
  g_assert_cmpuint (a->n_params, ==, b->n_params);
  g_assert_true (memcmp (a->params, b->params, a->n_params * sizeof (float)) == 0);
  g_assert_true ((a->mask == NULL) == (b->mask == NULL));
  if (a->mask)
    g_assert_true (memcmp (a->mask, b->mask, a->n_params * sizeof (float)) == 0);
  g_assert_cmpuint (a->step, ==, b->step);
  g_assert_cmpuint (a->epoch, ==, b->epoch);
  g_assert_cmpuint (a->eval_step, ==, b->eval_step);
  g_assert_true (memcmp (&a->test_loss, &b->test_loss, sizeof (double)) == 0);
  g_assert_true (memcmp (&a->test_accuracy, &b->test_accuracy, sizeof (double)) == 0);
  g_assert_cmpuint (lab_row_log_len (a->rows), ==, lab_row_log_len (b->rows));
  g_assert_cmpuint (lab_row_log_seen (a->rows), ==, lab_row_log_seen (b->rows));
  g_assert_cmpuint (lab_row_log_get_stride (a->rows), ==, lab_row_log_get_stride (b->rows));
  for (gsize i = 0; i < lab_row_log_len (a->rows); i++)
    {
      LabStepStats x, y;
      lab_row_log_get (a->rows, i, &x);
      lab_row_log_get (b->rows, i, &y);
      assert_rows_equal (&x, &y, TRUE);
    }
}

static void
test_roundtrip (void)
{
  g_autofree char *dir = lab_test_mkdtemp ();
  g_autofree char *path = g_build_filename (dir, "run.gradlab", NULL);
  g_autoptr(LabRun) run = small_run (40);
  g_autoptr(LabRun) back = NULL;
  g_autoptr(LabRun) dense = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *contents = NULL;
  gsize len;

  g_assert_true (lab_run_save (run, path, &error));
  g_assert_no_error (error);
  back = lab_run_load (path, &error);
  g_assert_no_error (error);
  g_assert_nonnull (back);
  assert_runs_equal (run, back);

  /* the bytes in memory are the file's */
  bytes = lab_run_to_bytes (run);
  g_assert_true (g_file_get_contents (path, &contents, &len, NULL));
  g_assert_cmpuint (len, ==, g_bytes_get_size (bytes));
  g_assert_true (memcmp (contents, g_bytes_get_data (bytes, NULL), len) == 0);
  g_assert_true (memcmp (contents, "GRADLAB\0", 8) == 0);

  /* dense, no rows, never evaluated */
  dense = small_run (0);
  g_clear_pointer (&dense->mask, g_free);
  dense->eval_step = 0;
  dense->test_loss = dense->test_accuracy = NAN;
  g_assert_true (lab_run_save (dense, path, &error));
  g_clear_pointer (&back, lab_run_free);
  back = lab_run_load (path, &error);
  g_assert_no_error (error);
  g_assert_null (back->mask);
  g_assert_cmpuint (lab_row_log_len (back->rows), ==, 0);
  g_assert_true (isnan (back->test_loss));
  g_assert_cmpstr (back->config_text, ==, dense->config_text);

  /* a thinned log keeps its state */
  {
    g_autoptr(LabRun) thin = small_run (0);
    g_autoptr(LabRun) thin_back = NULL;
    lab_row_log_free (thin->rows);
    thin->rows = lab_row_log_new_capped (3, 10);
    for (guint t = 1; t <= 100; t++)
      {
        LabStepStats st = fake_row (t, 3);
        lab_row_log_append (thin->rows, &st);
      }
    thin->step = 100;
    g_assert_true (lab_run_save (thin, path, &error));
    thin_back = lab_run_load (path, &error);
    g_assert_no_error (error);
    assert_runs_equal (thin, thin_back);
    g_assert_cmpuint (lab_row_log_get_stride (thin_back->rows), ==, 16);
  }

  /* no file */
  g_clear_pointer (&back, lab_run_free);
  g_remove (path);
  back = lab_run_load (path, &error);
  g_assert_null (back);
  g_assert_error (error, LAB_ENGINE_ERROR, LAB_ENGINE_ERROR_IO);
  lab_test_rmdir (dir);
}

/* tests/data/run-v1.gradlab was written by the run-file code before its rows were driven by
 * lab-record's tables (commit e147839), from small_run (12): a test like this one that saved
 * instead of loading. Today's reader must read it to the bit, and today's writer must write
 * the very same bytes. */
static void
test_version_1_fixture (void)
{
  g_autofree char *path = lab_test_data_path ("run-v1.gradlab");
  g_autoptr(LabRun) want = small_run (12);
  g_autoptr(LabRun) got = NULL;
  g_autoptr(GBytes) again = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  gsize len;

  got = lab_run_load (path, &error);
  g_assert_no_error (error);
  g_assert_nonnull (got);
  g_assert_cmpuint (got->config.model.n_hidden, ==, 2);
  g_assert_cmpuint (got->config.model.hidden[1], ==, 8);
  /* the settings text is whatever that day's lab_config_to_data() wrote; it loaded above */
  g_free (want->config_text);
  want->config_text = g_strdup (got->config_text);
  assert_runs_equal (want, got);
  /* written before runs kept experiments: none */
  g_assert_cmpuint (got->results.sweep->len, ==, 0);
  g_assert_cmpuint (got->results.lottery->len, ==, 0);

  again = lab_run_to_bytes (got);
  g_assert_true (g_file_get_contents (path, &contents, &len, NULL));
  g_assert_cmpuint (g_bytes_get_size (again), ==, len);
  g_assert_true (memcmp (g_bytes_get_data (again, NULL), contents, len) == 0);
}

static void
test_truncated (void)
{
  g_autoptr(LabRun) run = small_run (6);
  g_autoptr(GBytes) bytes = lab_run_to_bytes (run);
  gsize len;
  const guint8 *b = g_bytes_get_data (bytes, &len);

  /* every prefix, including the empty file */
  for (gsize n = 0; n < len; n++)
    assert_damaged (b, n, NULL);
  /* and a byte too many */
  {
    g_autofree guint8 *more = g_malloc0 (len + 1);
    memcpy (more, b, len);
    assert_damaged (more, len + 1, "after the last section");
  }
}

/* One byte flipped anywhere: an error, or (in a flags word) a file that still reads; never a
 * crash. */
static void
test_flipped (void)
{
  g_autoptr(LabRun) run = small_run (6);
  g_autoptr(GBytes) bytes = lab_run_to_bytes (run);
  gsize len;
  const guint8 *b = g_bytes_get_data (bytes, &len);
  g_autofree guint8 *copy = g_memdup2 (b, len);
  guint accepted = 0;

  for (gsize i = 0; i < len; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(LabRun) back = NULL;

      copy[i] ^= 0x5A;
      back = lab_run_parse (NAME, copy, len, &error);
      if (back == NULL)
        {
          g_assert_error (error, LAB_ENGINE_ERROR, LAB_ENGINE_ERROR_FORMAT);
          g_assert_true (g_str_has_prefix (error->message, NAME ": "));
        }
      else
        accepted++;
      copy[i] = b[i];
    }
  /* only the flag words of the 6 sections may change without harm (bits other than 0) */
  g_assert_cmpuint (accepted, <=, 6 * 4);
}

static void
test_damaged (void)
{
  g_autoptr(LabRun) run = small_run (6);
  g_autoptr(GBytes) bytes = lab_run_to_bytes (run);
  gsize len, off, slen;
  const guint8 *orig = g_bytes_get_data (bytes, &len);
  g_autofree guint8 *b = g_malloc (len + 64);

#define RESET() memcpy (b, orig, len)

  RESET ();
  b[0] = 'X';
  assert_damaged (b, len, "not a Gradient Lab run file");

  RESET ();
  put_u32_at (b, 8, 2);
  assert_damaged (b, len, "version 2 is not supported");

  RESET ();
  put_u32_at (b, 12, 1000);
  assert_damaged (b, len, "implausible");

  RESET ();
  put_u32_at (b, 12, 9);   /* more sections than there are */
  assert_damaged (b, len, "truncated");

  /* a section length past the end of the file, and one that would overflow */
  RESET ();
  off = find_section (b, len, "PARM", &slen);
  put_u64_at (b, off - 8, slen + 1000000);
  assert_damaged (b, len, "claims");
  put_u64_at (b, off - 8, G_MAXUINT64);
  assert_damaged (b, len, "claims");
  put_u64_at (b, off - 8, G_MAXUINT64 - 3);
  assert_damaged (b, len, "claims");

  /* a payload changed: the CRC catches it */
  RESET ();
  off = find_section (b, len, "PARM", &slen);
  b[off + 5] ^= 1;
  assert_damaged (b, len, "checksum");

  /* NaN and infinite weights (CRC fixed, so the value check is what fails) */
  RESET ();
  off = find_section (b, len, "PARM", &slen);
  {
    float nan = NAN, inf = -INFINITY;
    memcpy (b + off + 4 * 7, &nan, 4);
    fix_crc (b, off, slen);
    assert_damaged (b, len, "weight 7 is NaN");
    RESET ();
    memcpy (b + off + 4 * 9, &inf, 4);
    fix_crc (b, off, slen);
    assert_damaged (b, len, "weight 9 is infinite");
  }

  /* mask values other than 0 and 1 */
  RESET ();
  off = find_section (b, len, "MASK", &slen);
  {
    float half = 0.5f;
    memcpy (b + off + 4 * 3, &half, 4);
    fix_crc (b, off, slen);
    assert_damaged (b, len, "mask value 3 is 0.5");
  }

  /* layouts that do not fit the settings or the weights */
  RESET ();
  off = find_section (b, len, "LAYT", &slen);
  put_u64_at (b, off + 8 + 8, 9);           /* hidden 1: 9 units, settings say 8 */
  fix_crc (b, off, slen);
  assert_damaged (b, len, "hidden layer 1 has 9 units");
  RESET ();
  put_u32_at (b, off, 2);                   /* 2 layers, but the section is sized for 3 */
  fix_crc (b, off, slen);
  assert_damaged (b, len, "layout section");
  RESET ();
  put_u32_at (b, off, 0xFFFFFFFF);
  fix_crc (b, off, slen);
  assert_damaged (b, len, "out of range");
  RESET ();
  put_u64_at (b, off + 8, 3);               /* 3 inputs for 2-D data */
  fix_crc (b, off, slen);
  assert_damaged (b, len, "inputs");
  RESET ();
  put_u64_at (b, off + 8, G_MAXUINT64);
  fix_crc (b, off, slen);
  assert_damaged (b, len, "out of range");

  /* rows: counts, depth, order */
  RESET ();
  off = find_section (b, len, "ROWS", &slen);
  put_u64_at (b, off + 8, 7);               /* 7 rows claimed, 6 present */
  fix_crc (b, off, slen);
  assert_damaged (b, len, "metrics section");
  RESET ();
  put_u64_at (b, off + 8, G_MAXUINT64 / 8);
  fix_crc (b, off, slen);
  assert_damaged (b, len, "metrics section");
  RESET ();
  put_u32_at (b, off, 2);
  fix_crc (b, off, slen);
  assert_damaged (b, len, "metrics rows have 2 layers");
  RESET ();
  put_u32_at (b, off + 4, 3);               /* stride 3 */
  fix_crc (b, off, slen);
  assert_damaged (b, len, "power of two");
  RESET ();
  put_u64_at (b, off + 24, 100);            /* row 1's step after row 2's */
  fix_crc (b, off, slen);
  assert_damaged (b, len, "out of order");

  /* state: an evaluation after the last step */
  RESET ();
  off = find_section (b, len, "STAT", &slen);
  put_u64_at (b, off + 16, 1000);
  fix_crc (b, off, slen);
  assert_damaged (b, len, "inconsistent");

  /* settings that do not load */
  RESET ();
  off = find_section (b, len, "CONF", &slen);
  memcpy (b + off, "[nonsense", 9);
  fix_crc (b, off, slen);
  assert_damaged (b, len, "settings are invalid");
  RESET ();
  b[off + 3] = 0;
  fix_crc (b, off, slen);
  assert_damaged (b, len, "not UTF-8 text");

  /* unknown sections: required ones are refused, optional ones skipped */
  RESET ();
  off = find_section (b, len, "ROWS", &slen);
  memcpy (b + off - 16, "RXWS", 4);
  assert_damaged (b, len, "unknown section “RXWS”");
  put_u32_at (b, off - 12, 1);               /* optional: skipped, then ROWS is missing */
  assert_damaged (b, len, "required section “ROWS” is missing");

  /* a section twice */
  RESET ();
  {
    gsize p1 = find_section (b, len, "STAT", &slen);
    gsize whole = 16 + slen + 4;
    memmove (b + (p1 - 16) + whole, b + (p1 - 16), len - (p1 - 16));
    put_u32_at (b, 12, 7);
    assert_damaged (b, len + whole, "appears twice");
  }
#undef RESET
}

/* ------------------------------------------------------------------------------------------ */
/* experiment results */

/* small_run() with a sweep of three points (one with no achieved sparsity, as an old CSV) and
 * a lottery of two rounds (the second without its control). */
static LabRun *
run_with_results (void)
{
  LabRun *run = small_run (6);
  LabExperimentResults *r = &run->results;
  LabSweepRow p[3] = {
    { "magnitude", "global", 0.0, 1, 0.875, 0.375, 0.0 },
    { "magnitude", "global", 0.8, 1, 0.8125, 0.5, 0.79 },
    { "random", "layer", 0.8, 0, 0.25, INFINITY, NAN },
  };
  LabLotteryRound l[2] = {
    { 1, 0.5, 0.75, 0.625, 0.6875, 0.75 },
    { 2, 0.75, 0.8, 0.5, NAN, NAN },
  };

  g_array_append_vals (r->sweep, p, G_N_ELEMENTS (p));
  r->sweep_dense_accuracy = 0.875;
  r->sweep_dense_loss = 0.375;
  g_array_append_vals (r->lottery, l, G_N_ELEMENTS (l));
  r->lottery_dense_accuracy = 0.9;
  return run;
}

static void
assert_doubles_same (double a,
                     double b)
{
  g_assert_true (memcmp (&a, &b, sizeof a) == 0);
}

static void
assert_results_equal (const LabExperimentResults *a,
                      const LabExperimentResults *b)
{
  g_assert_cmpuint (a->sweep->len, ==, b->sweep->len);
  g_assert_cmpuint (a->lottery->len, ==, b->lottery->len);
  for (guint i = 0; i < a->sweep->len; i++)
    {
      const LabSweepRow *x = &g_array_index (a->sweep, LabSweepRow, i);
      const LabSweepRow *y = &g_array_index (b->sweep, LabSweepRow, i);

      g_assert_cmpstr (x->criterion, ==, y->criterion);
      g_assert_cmpstr (x->scope, ==, y->scope);
      g_assert_cmpuint (x->finetune_epochs, ==, y->finetune_epochs);
      assert_doubles_same (x->sparsity, y->sparsity);
      assert_doubles_same (x->test_accuracy, y->test_accuracy);
      assert_doubles_same (x->test_loss, y->test_loss);
      assert_doubles_same (x->achieved_sparsity, y->achieved_sparsity);
    }
  for (guint i = 0; i < a->lottery->len; i++)
    {
      const LabLotteryRound *x = &g_array_index (a->lottery, LabLotteryRound, i);
      const LabLotteryRound *y = &g_array_index (b->lottery, LabLotteryRound, i);

      g_assert_cmpuint (x->round, ==, y->round);
      assert_doubles_same (x->sparsity, y->sparsity);
      assert_doubles_same (x->test_accuracy, y->test_accuracy);
      assert_doubles_same (x->test_loss, y->test_loss);
      assert_doubles_same (x->control_accuracy, y->control_accuracy);
      assert_doubles_same (x->control_loss, y->control_loss);
    }
  assert_doubles_same (a->sweep_dense_accuracy, b->sweep_dense_accuracy);
  assert_doubles_same (a->sweep_dense_loss, b->sweep_dense_loss);
  assert_doubles_same (a->lottery_dense_accuracy, b->lottery_dense_accuracy);
  assert_doubles_same (a->lottery_dense_loss, b->lottery_dense_loss);
}

/* A run with a sweep and a lottery saves and reopens with both; a reader that does not know
 * the two sections (a tag it has never heard of, marked optional) still opens the run. */
static void
test_experiment_results (void)
{
  g_autoptr(LabRun) run = run_with_results ();
  g_autoptr(GBytes) bytes = lab_run_to_bytes (run);
  g_autoptr(GError) error = NULL;
  g_autoptr(LabRun) back = NULL;
  gsize len, off, slen;
  const guint8 *b = g_bytes_get_data (bytes, &len);
  g_autofree guint8 *old = g_memdup2 (b, len);

  back = lab_run_parse (NAME, b, len, &error);
  g_assert_no_error (error);
  assert_runs_equal (run, back);
  assert_results_equal (&run->results, &back->results);
  g_assert_true (lab_experiment_results_has_control (&back->results));

  /* as an older reader sees the file: two unknown optional sections, skipped */
  off = find_section (old, len, "SWEP", &slen);
  memcpy (old + off - 16, "SWEX", 4);
  off = find_section (old, len, "LOTT", &slen);
  memcpy (old + off - 16, "LOTX", 4);
  g_clear_pointer (&back, lab_run_free);
  back = lab_run_parse (NAME, old, len, &error);
  g_assert_no_error (error);
  assert_runs_equal (run, back);
  g_assert_cmpuint (back->results.sweep->len, ==, 0);
  g_assert_cmpuint (back->results.lottery->len, ==, 0);
  g_assert_true (isnan (back->results.sweep_dense_accuracy));

  /* a run without results writes neither section: the bytes of before */
  lab_experiment_results_reset_sweep (&run->results);
  lab_experiment_results_reset_lottery (&run->results);
  g_clear_pointer (&bytes, g_bytes_unref);
  bytes = lab_run_to_bytes (run);
  {
    g_autoptr(LabRun) plain = small_run (6);
    g_autoptr(GBytes) plain_bytes = lab_run_to_bytes (plain);
    g_assert_true (g_bytes_equal (bytes, plain_bytes));
  }
}

/* Damaged results are refused whole, with what is wrong. */
static void
test_experiment_results_damaged (void)
{
  g_autoptr(LabRun) run = run_with_results ();
  g_autoptr(GBytes) bytes = lab_run_to_bytes (run);
  gsize len, off, slen;
  const guint8 *orig = g_bytes_get_data (bytes, &len);
  g_autofree guint8 *b = g_malloc (len);
  double bad = 1.5, nan = NAN;

#define RESET() memcpy (b, orig, len)
  RESET ();
  off = find_section (b, len, "SWEP", &slen);
  put_u32_at (b, off + 16, 4);               /* 4 points claimed, 3 present */
  fix_crc (b, off, slen);
  assert_damaged (b, len, "not 4 records");
  RESET ();
  memcpy (b + off + 24, "biggest", 8);       /* point 1's criterion */
  fix_crc (b, off, slen);
  assert_damaged (b, len, "sweep point 1: unknown criterion");
  RESET ();
  memset (b + off + 24 + 88, 'x', 32);       /* point 2's criterion without its NUL */
  fix_crc (b, off, slen);
  assert_damaged (b, len, "sweep point 2: unknown criterion");
  RESET ();
  memcpy (b + off + 24 + 2 * 88 + 64, &bad, 8);   /* point 3's accuracy */
  fix_crc (b, off, slen);
  assert_damaged (b, len, "sweep point 3: a number is out of range");
  RESET ();
  memcpy (b + off + 24 + 48, &nan, 8);       /* point 1's sparsity */
  fix_crc (b, off, slen);
  assert_damaged (b, len, "sweep point 1: a number is out of range");
  RESET ();
  memcpy (b + off, &bad, 8);                 /* the dense accuracy */
  fix_crc (b, off, slen);
  assert_damaged (b, len, "dense test numbers");

  RESET ();
  off = find_section (b, len, "LOTT", &slen);
  put_u32_at (b, off + 24 + 48, 3);          /* round 2 numbered 3 */
  fix_crc (b, off, slen);
  assert_damaged (b, len, "lottery round 2 is numbered 3");
  RESET ();
  memcpy (b + off + 24 + 32, &bad, 8);       /* round 1's control accuracy */
  fix_crc (b, off, slen);
  assert_damaged (b, len, "lottery round 1: a number is out of range");
  RESET ();
  put_u32_at (b, off + 16, G_MAXUINT32);
  fix_crc (b, off, slen);
  assert_damaged (b, len, "section “LOTT” holds");
#undef RESET
}

/* What lab_run_to_bytes() refuses and lab_run_save() reports. */
static void
test_save_errors (void)
{
  g_autoptr(LabRun) run = small_run (3);
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = lab_test_mkdtemp ();
  g_autofree char *bad = g_build_filename (dir, "no", "such", "dir", "x.gradlab", NULL);
  g_autofree char *ok = g_build_filename (dir, "x.gradlab", NULL);

  g_assert_false (lab_run_save (run, bad, &error));
  g_assert_error (error, LAB_ENGINE_ERROR, LAB_ENGINE_ERROR_IO);
  g_clear_error (&error);

  run->n_params--;
  g_assert_false (lab_run_save (run, ok, &error));
  g_assert_error (error, LAB_ENGINE_ERROR, LAB_ENGINE_ERROR_INVALID);
  g_assert_false (g_file_test (ok, G_FILE_TEST_EXISTS));
  lab_test_rmdir (dir);
}

/* ------------------------------------------------------------------------------------------ */
/* a run reopened in a session */

typedef struct
{
  GArray      *rows;     /* LabStepStats */
  LabSnapshot *heavy;    /* the latest with heavy parts */
  LabSnapshot *latest;
} Drive;

static void
drive_clear (Drive *d)
{
  g_clear_pointer (&d->rows, g_array_unref);
  g_clear_pointer (&d->heavy, lab_snapshot_unref);
  g_clear_pointer (&d->latest, lab_snapshot_unref);
}

/* Takes snapshots until the session acked @serial, stands at @step and its heavy parts are of
 * that step. */
static void
drive_until (LabSession *s,
             Drive      *d,
             guint64     serial,
             guint64     step)
{
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  if (d->rows == NULL)
    d->rows = g_array_new (FALSE, FALSE, sizeof (LabStepStats));
  for (;;)
    {
      LabSnapshot *snap = lab_session_take (s);

      if (snap == NULL)
        {
          g_assert_cmpint (g_get_monotonic_time (), <, deadline);
          g_usleep (500);
          continue;
        }
      g_assert_null (lab_snapshot_error (snap));
      lab_test_append_rows (d->rows, snap->rows);
      if (snap->heavy != NULL)
        {
          g_clear_pointer (&d->heavy, lab_snapshot_unref);
          d->heavy = lab_snapshot_ref (snap);
        }
      g_clear_pointer (&d->latest, lab_snapshot_unref);
      d->latest = snap;
      if (snap->status.acked >= serial && snap->status.step == step &&
          snap->status.state != LAB_SESSION_RUNNING &&
          d->heavy != NULL && d->heavy->heavy->step == step)
        return;
    }
}

static void
sgd_config (LabConfig *cfg)
{
  g_autoptr(GError) error = NULL;

  small_config (cfg);
  g_assert_true (lab_config_set (cfg, "train.optimizer", "sgd", &error));
  g_assert_true (lab_config_set (cfg, "train.momentum", "0", &error));
  g_assert_true (lab_config_set (cfg, "train.lr", "0.1", &error));
  g_assert_true (lab_config_set (cfg, "train.batch", "64", &error));   /* 24 steps per epoch */
  g_assert_no_error (error);
}

static void
test_session_continue (void)
{
  const guint64 N = 60, M = 40;   /* N crosses two epoch boundaries */
  g_autofree char *dir = lab_test_mkdtemp ();
  g_autofree char *path = g_build_filename (dir, "run.gradlab", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(LabRun) back = NULL;
  LabRun run = { 0 };
  Drive a = { 0 }, b = { 0 }, c = { 0 };
  g_autofree char *text = NULL;
  LabSession *s;
  LabConfig cfg;
  guint64 serial;

  sgd_config (&cfg);

  /* A: N + M steps in one go */
  s = lab_session_new (&cfg);
  lab_session_set_heavy_interval (s, 0);
  drive_until (s, &a, lab_session_step (s, N + M), N + M);
  lab_session_free (s);
  g_assert_cmpuint (a.rows->len, ==, N + M);

  /* B: N steps, saved */
  s = lab_session_new (&cfg);
  drive_until (s, &b, lab_session_step (s, N), N);
  lab_session_free (s);
  g_assert_cmpuint (b.rows->len, ==, N);
  text = lab_config_to_data (&b.latest->config, NULL);
  run.config_text = text;
  run.n_layers = b.heavy->heavy->n_layers;
  memcpy (run.sizes, b.heavy->heavy->sizes, sizeof run.sizes);
  run.n_params = b.heavy->heavy->n_params;
  run.params = b.heavy->heavy->params;
  run.mask = b.heavy->heavy->mask;
  run.step = N;
  run.epoch = b.latest->status.epoch;
  run.eval_step = b.latest->status.eval_step;
  run.test_loss = b.latest->status.test_loss;
  run.test_accuracy = b.latest->status.test_accuracy;
  run.rows = lab_row_log_new (run.n_layers);
  for (guint i = 0; i < b.rows->len; i++)
    lab_row_log_append (run.rows, &g_array_index (b.rows, LabStepStats, i));
  g_assert_true (lab_run_save (&run, path, &error));
  g_assert_no_error (error);
  lab_row_log_free (run.rows);

  back = lab_run_load (path, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (back->config_text, ==, text);
  g_assert_cmpuint (lab_row_log_len (back->rows), ==, N);

  /* C: a new session from the file: same weights at step N, then the same steps as A */
  s = lab_session_new (&back->config);
  lab_session_set_heavy_interval (s, 0);
  serial = lab_session_load_params (s, back->params, back->mask, back->n_params, back->step);
  drive_until (s, &c, serial, N);
  g_assert_cmpuint (c.rows->len, ==, 0);
  g_assert_cmpuint (c.heavy->heavy->n_params, ==, back->n_params);
  g_assert_true (memcmp (c.heavy->heavy->params, back->params,
                         back->n_params * sizeof (float)) == 0);
  g_assert_true (memcmp (c.heavy->heavy->params, b.heavy->heavy->params,
                         back->n_params * sizeof (float)) == 0);
  g_assert_cmpuint (c.latest->status.eval_step, ==, N);   /* evaluated on reopening */
  g_assert_cmpuint (c.latest->status.epoch, ==, g_array_index (a.rows, LabStepStats, N - 1).epoch);

  drive_until (s, &c, lab_session_step (s, M), N + M);
  g_assert_cmpuint (c.rows->len, ==, M);
  for (guint i = 0; i < M; i++)
    assert_rows_equal (&g_array_index (a.rows, LabStepStats, N + i),
                       &g_array_index (c.rows, LabStepStats, i), FALSE);
  g_assert_true (memcmp (c.heavy->heavy->params, a.heavy->heavy->params,
                         back->n_params * sizeof (float)) == 0);

  /* a file for another network is refused by the session, which goes on */
  {
    g_autofree float *wrong = g_new0 (float, back->n_params + 1);
    serial = lab_session_load_params (s, wrong, NULL, back->n_params + 1, 3);
    for (;;)
      {
        g_autoptr(LabSnapshot) snap = lab_session_take (s);
        if (snap != NULL && snap->status.acked >= serial)
          {
            g_assert_nonnull (lab_snapshot_error (snap));
            g_assert_cmpuint (snap->status.error_serial, ==, serial);
            g_assert_nonnull (strstr (lab_snapshot_error (snap), "parameters"));
            g_assert_cmpuint (snap->status.state, !=, LAB_SESSION_FAILED);
            break;
          }
        g_usleep (500);
      }
  }
  lab_session_free (s);

  drive_clear (&a);
  drive_clear (&b);
  drive_clear (&c);
  lab_config_clear (&cfg);
  lab_test_rmdir (dir);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/engine/rowlog/exact", test_rowlog_exact);
  g_test_add_func ("/engine/rowlog/thinning", test_rowlog_thinning);
  g_test_add_func ("/engine/rowlog/write", test_rowlog_write);
  g_test_add_func ("/engine/runfile/roundtrip", test_roundtrip);
  g_test_add_func ("/engine/runfile/version-1-fixture", test_version_1_fixture);
  g_test_add_func ("/engine/runfile/truncated", test_truncated);
  g_test_add_func ("/engine/runfile/flipped", test_flipped);
  g_test_add_func ("/engine/runfile/damaged", test_damaged);
  g_test_add_func ("/engine/runfile/save-errors", test_save_errors);
  g_test_add_func ("/engine/runfile/experiment-results", test_experiment_results);
  g_test_add_func ("/engine/runfile/experiment-results-damaged",
                   test_experiment_results_damaged);
  g_test_add_func ("/engine/runfile/session-continue", test_session_continue);

  return g_test_run ();
}
