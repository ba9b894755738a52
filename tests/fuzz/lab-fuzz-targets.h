/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-fuzz-targets.h: what one fuzz input does to each parser. Shared, as static functions, by
 * the libFuzzer programs (fuzz-*.c, built with -Dfuzz=true and clang) and by
 * test-fuzz-regressions.c (every build), so a crash the fuzzer found is replayed through exactly
 * the same calls. A header rather than a library because tests/meson.build builds each test from
 * one source file.
 *
 * Each function feeds the bytes to the engine's in-memory entry point and checks the contract:
 * either a result and no error, or NULL/FALSE and a GError in LAB_ENGINE_ERROR with a message
 * that names the input. A result is read in full (so ASan sees any short buffer) and must hold
 * only finite numbers and in-range labels. A broken contract is g_error(), an abort: a crash to
 * libFuzzer, a failure to the GLib test.
 */
#pragma once

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "lab-config.h"
#include "lab-dataset.h"
#include "lab-error.h"
#include "lab-npy.h"
#include "lab-record.h"
#include "lab-run-heavy.h"
#include "lab-run-rows.h"
#include "lab-runfile.h"

#define LAB_FUZZ_NAME "fuzz-input"

static inline void
lab_fuzz_check_error (const char   *what,
                      gboolean      ok,
                      const GError *error)
{
  if (ok && error != NULL)
    g_error ("%s: succeeded but set an error: %s", what, error->message);
  if (!ok && error == NULL)
    g_error ("%s: failed without an error", what);
  if (!ok && error->domain != LAB_ENGINE_ERROR)
    g_error ("%s: error outside LAB_ENGINE_ERROR: %s", what, error->message);
  if (!ok && strstr (error->message, LAB_FUZZ_NAME) == NULL)
    g_error ("%s: message does not name the input: %s", what, error->message);
}

/* IDX: a gzip magic means a .gz file. Tried as images (3 dims) and as labels (1 dim). */
static inline void
lab_fuzz_idx (const guint8 *data,
              gsize         len)
{
  gboolean gzip = len >= 2 && data[0] == 0x1f && data[1] == 0x8b;

  for (guint ndim = 1; ndim <= 3; ndim += 2)
    {
      g_autoptr(GError) error = NULL;
      g_autofree guint8 *pixels = NULL;
      guint32 dims[3] = { 0, 0, 0 };

      pixels = lab_idx_parse (LAB_FUZZ_NAME, data, len, gzip, ndim, dims, &error);
      lab_fuzz_check_error ("lab_idx_parse", pixels != NULL, error);
      if (pixels != NULL)
        {
          gsize n = 1;
          guint sum = 0;

          for (guint d = 0; d < ndim; d++)
            {
              if (dims[d] == 0)
                g_error ("lab_idx_parse: accepted a zero dimension");
              n *= dims[d];
            }
          for (gsize i = 0; i < n; i++)   /* reads every byte: ASan checks the length */
            sum += pixels[i];
          (void) sum;
        }
    }
}

static inline void
lab_fuzz_check_split (const LabDataset *ds,
                      const LabSplit   *s)
{
  if (s->dim != ds->dim || s->x_f32 == NULL || s->y == NULL)
    g_error ("lab_dataset_parse_csv: inconsistent split");
  for (gsize i = 0; i < s->n; i++)
    {
      if (s->y[i] >= ds->n_classes)
        g_error ("lab_dataset_parse_csv: label %u ≥ %u classes", s->y[i], ds->n_classes);
      for (gsize j = 0; j < s->dim; j++)
        if (!isfinite (s->x_f32[i * s->dim + j]))
          g_error ("lab_dataset_parse_csv: accepted a non-finite feature");
    }
}

/* CSV: the first byte picks the header flag and the label column, the rest is the text. */
static inline void
lab_fuzz_csv (const guint8 *data,
              gsize         len)
{
  static const int columns[] = { -1, 0, 1, -2, 2, 3, -3, 100 };
  g_autoptr(GError) error = NULL;
  g_autoptr(LabDataset) ds = NULL;
  gboolean header;
  int label_column;

  if (len == 0)
    return;
  header = data[0] & 1;
  label_column = columns[(data[0] >> 1) & 7];
  ds = lab_dataset_parse_csv (LAB_FUZZ_NAME, (const char *) data + 1, len - 1, header,
                              label_column, 0.25, 7, &error);
  lab_fuzz_check_error ("lab_dataset_parse_csv", ds != NULL, error);
  if (ds != NULL)
    {
      if (ds->dim == 0 || ds->dim > LAB_MAX_INPUT || ds->train.n == 0 ||
          ds->n_classes < 2 || ds->n_classes > LAB_MAX_CLASSES)
        g_error ("lab_dataset_parse_csv: implausible dataset");
      lab_fuzz_check_split (ds, &ds->train);
      lab_fuzz_check_split (ds, &ds->test);
    }
}

/* Config: whatever loads must save and load back to the same text. */
static inline void
lab_fuzz_config (const guint8 *data,
                 gsize         len)
{
  g_autoptr(GError) error = NULL;
  LabConfig cfg;
  gboolean ok;

  lab_config_init_defaults (&cfg);
  ok = lab_config_load_data (&cfg, (const char *) data, len, LAB_FUZZ_NAME, &error);
  lab_fuzz_check_error ("lab_config_load_data", ok, error);
  if (ok)
    {
      g_autofree char *text = NULL;
      g_autofree char *again = NULL;
      LabConfig back;
      gsize text_len;

      if (!lab_config_validate (&cfg, &error))
        g_error ("lab_config_load_data: loaded a config that does not validate: %s",
                 error->message);
      text = lab_config_to_data (&cfg, &text_len);
      lab_config_init_defaults (&back);
      if (!lab_config_load_data (&back, text, text_len, LAB_FUZZ_NAME, &error))
        g_error ("lab_config_to_data: saved text does not load back: %s\n%s",
                 error->message, text);
      again = lab_config_to_data (&back, NULL);
      if (strcmp (text, again) != 0)
        g_error ("lab_config_to_data: not a fixed point:\n%s\n---\n%s", text, again);
      lab_config_clear (&back);
    }
  lab_config_clear (&cfg);
}

static inline void
lab_fuzz_npy (const guint8 *data,
              gsize         len)
{
  g_autoptr(GError) error = NULL;
  g_autofree float *values = NULL;
  gsize rows = 0, cols = 0;

  values = lab_npy_parse (LAB_FUZZ_NAME, data, len, &rows, &cols, &error);
  lab_fuzz_check_error ("lab_npy_parse", values != NULL, error);
  if (values != NULL)
    {
      gsize n = rows * MAX (cols, 1);

      if (rows == 0)
        g_error ("lab_npy_parse: accepted an empty array");
      for (gsize i = 0; i < n; i++)
        if (!isfinite (values[i]))
          g_error ("lab_npy_parse: accepted a non-finite value at %" G_GSIZE_FORMAT, i);
    }
}

/* CRC-32 as .gradlab files use it (zlib's). */
static inline guint32
lab_fuzz_crc32 (const guint8 *p,
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

static inline void
lab_fuzz_runfile_one (const guint8 *data,
                      gsize         len)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LabRun) run = NULL;

  run = lab_run_parse (LAB_FUZZ_NAME, data, len, &error);
  lab_fuzz_check_error ("lab_run_parse", run != NULL, error);
  if (run != NULL)
    {
      g_autoptr(GBytes) bytes = NULL;
      g_autoptr(LabRun) again = NULL;
      gsize n_rows = lab_row_log_len (run->rows);

      if (run->n_params != lab_run_count_params (run->n_layers, run->sizes))
        g_error ("lab_run_parse: parameter count does not match the layout");
      for (gsize i = 0; i < run->n_params; i++)
        if (!isfinite (run->params[i]) ||
            (run->mask != NULL && run->mask[i] != 0.0f && run->mask[i] != 1.0f))
          g_error ("lab_run_parse: accepted a bad weight or mask value at %" G_GSIZE_FORMAT, i);
      for (gsize i = 0; i < n_rows; i++)
        {
          LabStepStats st;
          lab_row_log_get (run->rows, i, &st);
          if (st.step > run->step)
            g_error ("lab_run_parse: accepted a row after the saved step");
        }
      /* whatever loads saves and loads back */
      bytes = lab_run_to_bytes (run);
      again = lab_run_parse (LAB_FUZZ_NAME, g_bytes_get_data (bytes, NULL),
                             g_bytes_get_size (bytes), &error);
      if (again == NULL)
        g_error ("lab_run_to_bytes: saved bytes do not load back: %s", error->message);
      if (again->n_params != run->n_params ||
          memcmp (again->params, run->params, run->n_params * sizeof (float)) != 0 ||
          lab_row_log_len (again->rows) != n_rows ||
          g_strcmp0 (again->config_text, run->config_text) != 0)
        g_error ("lab_run_to_bytes: not a round trip");
    }
}

/* Run files: as given, and once more with every section's CRC made right, so the fuzzer's
 * mutations reach the checks behind the checksums. */
static inline void
lab_fuzz_runfile (const guint8 *data,
                  gsize         len)
{
  g_autofree guint8 *fixed = NULL;
  gsize pos = 16;

  lab_fuzz_runfile_one (data, len);
  if (len < 16)
    return;
  fixed = g_memdup2 (data, len);
  while (len - pos >= 16)
    {
      guint64 l;
      guint32 crc;

      memcpy (&l, fixed + pos + 8, 8);
      l = GUINT64_FROM_LE (l);
      pos += 16;
      if (l > len - pos || len - pos - l < 4)
        break;
      crc = GUINT32_TO_LE (lab_fuzz_crc32 (fixed + pos, (gsize) l));
      memcpy (fixed + pos + l, &crc, 4);
      pos += (gsize) l + 4;
    }
  if (memcmp (fixed, data, len) != 0)
    lab_fuzz_runfile_one (fixed, len);
}

/* ------------------------------------------------------------------------------------------ */
/* run directories (docs/run-directory.md) */

static inline void
lab_fuzz_check_manifest (const LabRunManifest *m)
{
  if (m->format != 1 || m->n_layers < 1 || m->n_layers > LAB_MAX_ROW_LAYERS ||
      m->world_size < 1 || m->rank >= m->world_size || m->log_every < 1)
    g_error ("lab_run_manifest_parse: accepted an invalid [run]");
  if (lab_run_manifest_n_params (m) > LAB_MAX_PARAMS)
    g_error ("lab_run_manifest_parse: accepted too many parameters");
  for (guint l = 0; l < m->n_layers; l++)
    {
      const LabRunLayer *layer = &m->layers[l];
      gsize k = 1;

      for (guint i = 0; i < layer->n_kernel; i++)
        k *= layer->kernel[i];
      if (layer->rows < 1 || layer->cols < 1 || layer->rows > LAB_RUN_MAX_DIM ||
          layer->cols > LAB_RUN_MAX_DIM || *layer->name == '\0' ||
          (layer->kind == LAB_LAYER_CONV) != (layer->n_kernel > 0) || layer->cols % k != 0)
        g_error ("lab_run_manifest_parse: accepted an invalid [layer%u]", l);
    }
}

/* run.ini: whatever parses is valid and writes text that parses to the same text. */
static inline void
lab_fuzz_manifest (const guint8 *data,
                   gsize         len)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LabRunManifest) m = NULL;

  m = lab_run_manifest_parse ((const char *) data, len, LAB_FUZZ_NAME, &error);
  lab_fuzz_check_error ("lab_run_manifest_parse", m != NULL, error);
  if (m != NULL)
    {
      g_autoptr(LabRunManifest) back = NULL;
      g_autoptr(LabRunManifest) copy = lab_run_manifest_copy (m);
      g_autofree char *text = NULL;
      g_autofree char *again = NULL;
      gsize text_len;

      lab_fuzz_check_manifest (m);
      text = lab_run_manifest_to_data (m, &text_len);
      back = lab_run_manifest_parse (text, text_len, LAB_FUZZ_NAME, &error);
      if (back == NULL)
        g_error ("lab_run_manifest_to_data: written text does not parse: %s\n%s",
                 error->message, text);
      again = lab_run_manifest_to_data (back, NULL);
      if (strcmp (text, again) != 0 || !lab_run_manifest_same_layers (m, back) ||
          !lab_run_manifest_same_layers (m, copy))
        g_error ("lab_run_manifest_to_data: not a round trip:\n%s\n---\n%s", text, again);
    }
}

/* The fields a row carries, checked and compared (the layers past n_layers are not set). */
static inline void
lab_fuzz_check_row (const LabStepStats *st,
                    guint               n_layers)
{
  guint n;
  const LabRecordLayerField *lf = lab_record_layer_fields (&n);

  if (st->n_layers != n_layers)
    g_error ("lab_run_rows_feed: a row of %u layers, not %u", st->n_layers, n_layers);
  for (guint l = 0; l < n_layers; l++)
    for (guint i = 0; i < n; i++)
      if (isinf (lab_record_layer_get (&st->layer[l], &lf[i])))
        g_error ("lab_run_rows_feed: an infinite value was not made NaN");
  if (isinf (st->loss) || isinf (st->time) || isinf (st->test_loss))
    g_error ("lab_run_rows_feed: an infinite value was not made NaN");
}

static inline gboolean
lab_fuzz_same_row (const LabStepStats *a,
                   const LabStepStats *b)
{
  g_autoptr(GString) x = g_string_new (NULL);
  g_autoptr(GString) y = g_string_new (NULL);

  lab_record_json_row (x, a);
  lab_record_json_row (y, b);
  return a->step == b->step && strcmp (x->str, y->str) == 0;
}

/* A row written again reads back to the same text from the second writing on (a float's
 * %.7g text need not be the nearest float's, but the text of that float is). */
static inline void
lab_fuzz_row_round_trip (LabRunRows         *parser,
                         const LabStepStats *st)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GString) again = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  LabStepStats back;

  lab_record_json_row (text, st);
  if (!lab_run_rows_parse_line (parser, text->str, text->len - 1, 1, &back, &error))
    g_error ("lab_record_json_row: a row read back fails: %s\n%s", error->message, text->str);
  g_string_truncate (text, 0);
  lab_record_json_row (text, &back);
  if (!lab_run_rows_parse_line (parser, text->str, text->len - 1, 1, &back, &error))
    g_error ("lab_record_json_row: a row read back fails: %s\n%s", error->message, text->str);
  lab_record_json_row (again, &back);
  if (strcmp (text->str, again->str) != 0)
    g_error ("rows: not a round trip:\n%s%s", text->str, again->str);
}

/* Row @i of @rows, in one of four buffers used in turn. */
static inline const LabStepStats *
lab_fuzz_row (const LabRowLog *rows,
              gsize            i)
{
  static LabStepStats pool[4];
  static guint next;
  LabStepStats *row = &pool[next++ % G_N_ELEMENTS (pool)];

  lab_row_log_get (rows, i, row);
  return row;
}

/* rows.jsonl: the first byte picks the layer count (1–4); the rest is the file, fed whole and
 * fed as it would grow, cut at a point the second byte picks: the same rows either way, each
 * valid, steps increasing, and each reads back from its own JSON text. */
static inline void
lab_fuzz_rows (const guint8 *data,
               gsize         len)
{
  g_autoptr(LabRowLog) whole = lab_row_log_new (0);
  g_autoptr(LabRowLog) grown = lab_row_log_new (0);
  g_autoptr(LabRunRows) a = NULL;
  g_autoptr(LabRunRows) b = NULL;
  const char *text, *problem;
  gsize n, cut, used;
  guint n_layers;

  if (len < 2)
    return;
  n_layers = 1 + data[0] % 4;
  text = (const char *) data + 2;
  n = len - 2;
  cut = n * data[1] / 255;
  a = lab_run_rows_new (LAB_FUZZ_NAME, n_layers);
  b = lab_run_rows_new (LAB_FUZZ_NAME, n_layers);
  if (lab_run_rows_feed (a, text, n, G_MAXUINT, whole) > n)
    g_error ("lab_run_rows_feed: consumed more than it was given");
  used = lab_run_rows_feed (b, text, cut, G_MAXUINT, grown);
  used += lab_run_rows_feed (b, text + used, n - used, G_MAXUINT, grown);
  if (used > n || lab_row_log_len (whole) != lab_row_log_len (grown) ||
      lab_run_rows_skipped (a, NULL) != lab_run_rows_skipped (b, NULL))
    g_error ("lab_run_rows_feed: %zu rows fed whole, %zu fed in two parts",
             lab_row_log_len (whole), lab_row_log_len (grown));
  if (lab_run_rows_skipped (a, &problem) > 0 && strstr (problem, LAB_FUZZ_NAME) == NULL)
    g_error ("lab_run_rows_feed: message does not name the input: %s", problem);
  for (guint i = 0; i < lab_row_log_len (whole); i++)
    {
      const LabStepStats *st = lab_fuzz_row (whole, i);

      lab_fuzz_check_row (st, n_layers);
      if (!lab_fuzz_same_row (st, lab_fuzz_row (grown, i)))
        g_error ("lab_run_rows_feed: row %u differs fed whole and in two parts", i);
      if (i > 0 && st->step <= lab_fuzz_row (whole, i - 1)->step)
        g_error ("lab_run_rows_feed: steps do not increase");
      lab_fuzz_row_round_trip (a, st);
    }
}

/* heavy.ini against a manifest of three layers: whatever parses writes text that parses to the
 * same snapshot. */
static inline void
lab_fuzz_heavy (const guint8 *data,
                gsize         len)
{
  static const char manifest[] =
    "[run]\nformat=1\n"
    "[layer0]\nname=a\nkind=linear\nshape=3;2\nbias=true\n"
    "[layer1]\nname=b\nkind=conv2d\nshape=2;18\nkernel=3;3\n"
    "[layer2]\nname=c\nkind=linear\nshape=1;2\n";
  g_autoptr(LabRunManifest) m = lab_run_manifest_parse (manifest, strlen (manifest), "m", NULL);
  g_autoptr(GError) error = NULL;
  LabHeavy *heavy = lab_run_heavy_new (m, FALSE);
  gboolean ok;

  ok = lab_run_heavy_parse_ini (heavy, (const char *) data, len, LAB_FUZZ_NAME, &error);
  lab_fuzz_check_error ("lab_run_heavy_parse_ini", ok, error);
  if (ok)
    {
      LabHeavy *back = lab_run_heavy_new (m, FALSE);
      g_autofree char *text = lab_run_heavy_ini_to_data (heavy, NULL);

      for (guint l = 0; l < heavy->n_layers; l++)
        {
          const LabHistogram *h[2] = { &heavy->layers[l].act_hist, &heavy->layers[l].grad_hist };

          for (guint k = 0; k < 2; k++)
            if (!isfinite (h[k]->lo) || !isfinite (h[k]->hi) || h[k]->lo > h[k]->hi)
              g_error ("lab_run_heavy_parse_ini: accepted a bad histogram range");
        }
      if (!lab_run_heavy_parse_ini (back, text, strlen (text), LAB_FUZZ_NAME, &error))
        g_error ("lab_run_heavy_ini_to_data: written text does not parse: %s\n%s",
                 error->message, text);
      for (guint l = 0; l < heavy->n_layers; l++)
        if (memcmp (&back->layers[l].act_hist, &heavy->layers[l].act_hist,
                    sizeof (LabHistogram)) != 0 ||
            memcmp (&back->layers[l].grad_hist, &heavy->layers[l].grad_hist,
                    sizeof (LabHistogram)) != 0 || back->step != heavy->step)
          g_error ("lab_run_heavy_ini_to_data: not a round trip:\n%s", text);
      lab_heavy_free (back);
    }
  lab_heavy_free (heavy);
}

/* GLib ends a fatal message with G_BREAKPOINT() (SIGTRAP) on Unix, assuming a debugger, and
 * libFuzzer does not catch SIGTRAP: it would die without saving the input. abort() instead,
 * which libFuzzer reports as a crash and keeps. */
static inline void
lab_fuzz_log_handler (const char     *log_domain,
                      GLogLevelFlags  log_level,
                      const char     *message,
                      gpointer        user_data)
{
  g_log_default_handler (log_domain, log_level, message, user_data);
  if (log_level & (G_LOG_FLAG_FATAL | G_LOG_LEVEL_ERROR))
    abort ();
}

/* Shared by the fuzz programs: criticals and warnings are bugs too. */
static inline void
lab_fuzz_init (void)
{
  g_log_set_always_fatal (G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING | G_LOG_FATAL_MASK);
  g_log_set_default_handler (lab_fuzz_log_handler, NULL);
}
