/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-runfile.c: the LabRun and the writer of .gradlab run files (format in lab-runfile.h;
 * the reader is lab-runfile-read.c). The writer streams each section (header, payload, CRC) to
 * a LabFileReplace or to memory through one small sink, so a large network is never copied
 * whole.
 */
#define G_LOG_DOMAIN "lab-engine"
#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "lab-file-replace.h"
#include "lab-error.h"
#include "lab-record.h"
#include "lab-runfile.h"
#include "lab-runfile-private.h"

/* ------------------------------------------------------------------------------------------ */
/* CRC-32 (IEEE 802.3, reflected, polynomial 0xEDB88320), as zlib's crc32() */

static guint32 crc_table[256];

void
_lab_run_crc_init (void)
{
  static gsize done = 0;

  if (g_once_init_enter (&done))
    {
      for (guint32 i = 0; i < 256; i++)
        {
          guint32 c = i;
          for (int k = 0; k < 8; k++)
            c = c & 1 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
          crc_table[i] = c;
        }
      g_once_init_leave (&done, 1);
    }
}

guint32
_lab_run_crc_update (guint32       crc,
                     const guint8 *p,
                     gsize         n)
{
  crc = ~crc;
  for (gsize i = 0; i < n; i++)
    crc = crc_table[(crc ^ p[i]) & 0xff] ^ (crc >> 8);
  return ~crc;
}

/* ------------------------------------------------------------------------------------------ */
/* writing */

typedef struct
{
  FILE       *fp;     /* one of these two */
  GByteArray *mem;
  guint32     crc;    /* of the current section's payload */
  gboolean    failed;
} Sink;

static void
sink_raw (Sink       *sink,
          const void *data,
          gsize       n)
{
  if (sink->failed || n == 0)
    return;
  if (sink->mem != NULL)
    g_byte_array_append (sink->mem, data, (guint) n);
  else if (fwrite (data, 1, n, sink->fp) != n)
    sink->failed = TRUE;
}

/* Payload bytes: written and added to the section's CRC. */
static void
sink_put (Sink       *sink,
          const void *data,
          gsize       n)
{
  sink->crc = _lab_run_crc_update (sink->crc, data, n);
  sink_raw (sink, data, n);
}

static void
put_u32 (Sink    *sink,
         guint32  v)
{
  guint32 le = GUINT32_TO_LE (v);
  sink_put (sink, &le, 4);
}

static void
put_u64 (Sink    *sink,
         guint64  v)
{
  guint64 le = GUINT64_TO_LE (v);
  sink_put (sink, &le, 8);
}

static void
put_f64 (Sink   *sink,
         double  v)
{
  guint64 bits;
  memcpy (&bits, &v, 8);
  put_u64 (sink, bits);
}

static void
put_f32 (Sink  *sink,
         float  v)
{
  guint32 bits;
  memcpy (&bits, &v, 4);
  put_u32 (sink, bits);
}

/* A float array in chunks, so a large one is never copied whole. */
static void
put_f32s (Sink        *sink,
          const float *v,
          gsize        n)
{
  guint32 buf[4096];

  for (gsize start = 0; start < n; start += G_N_ELEMENTS (buf))
    {
      gsize m = MIN (G_N_ELEMENTS (buf), n - start);
      for (gsize i = 0; i < m; i++)
        {
          guint32 bits;
          memcpy (&bits, &v[start + i], 4);
          buf[i] = GUINT32_TO_LE (bits);
        }
      sink_put (sink, buf, m * 4);
    }
}

static void
section_begin (Sink       *sink,
               const char *tag,
               guint32     flags,
               guint64     length)
{
  guint32 f = GUINT32_TO_LE (flags);
  guint64 l = GUINT64_TO_LE (length);

  sink_raw (sink, tag, 4);
  sink_raw (sink, &f, 4);
  sink_raw (sink, &l, 8);
  sink->crc = 0;
}

static void
section_end (Sink *sink)
{
  guint32 le = GUINT32_TO_LE (sink->crc);
  sink_raw (sink, &le, 4);
}

gsize
_lab_run_row_bytes (guint n_layers)
{
  return ROW_HEAD_BYTES + (gsize) n_layers * ROW_LAYER_BYTES;
}

void
_lab_run_check_record_tables (void)
{
  guint n, n_layer;
  const LabRecordField *f = lab_record_step_fields (&n);
  gsize head = 8;   /* the reserved f64 */

  for (guint i = 0; i < n; i++)
    head += f[i].type == LAB_RECORD_U32 ? 4 : 8;
  lab_record_layer_fields (&n_layer);
  g_assert (head == ROW_HEAD_BYTES && n_layer * 4 == ROW_LAYER_BYTES);
}

static void
put_row (Sink               *sink,
         const LabStepStats *st,
         guint               n_layers)
{
  guint n, n_layer;
  const LabRecordField *f = lab_record_step_fields (&n);
  const LabRecordLayerField *lf = lab_record_layer_fields (&n_layer);

  for (guint i = 0; i < n; i++)
    switch (f[i].type)
      {
      case LAB_RECORD_U64: put_u64 (sink, G_STRUCT_MEMBER (guint64, st, f[i].offset)); break;
      case LAB_RECORD_U32: put_u32 (sink, G_STRUCT_MEMBER (guint32, st, f[i].offset)); break;
      case LAB_RECORD_F64:
      default: put_f64 (sink, G_STRUCT_MEMBER (double, st, f[i].offset)); break;
      }
  put_f64 (sink, 0.0);
  for (guint l = 0; l < n_layers; l++)
    for (guint k = 0; k < n_layer; k++)
      put_f32 (sink, lab_record_layer_get (&st->layer[l], &lf[k]));
}

static void
put_rows (Sink            *sink,
          const LabRowLog *rows,
          guint            n_layers)
{
  gsize n_rows = rows ? lab_row_log_len (rows) : 0;

  section_begin (sink, "ROWS", 0, 24 + (guint64) n_rows * _lab_run_row_bytes (n_layers));
  put_u32 (sink, n_layers);
  put_u32 (sink, rows ? lab_row_log_get_stride (rows) : 1);
  put_u64 (sink, n_rows);
  put_u64 (sink, rows ? lab_row_log_seen (rows) : 0);
  for (gsize i = 0; i < n_rows; i++)
    {
      LabStepStats st;

      lab_row_log_get (rows, i, &st);
      put_row (sink, &st, n_layers);
    }
  section_end (sink);
}

G_STATIC_ASSERT (sizeof ((LabSweepRow *) NULL)->criterion == SWEEP_NAME_BYTES);
G_STATIC_ASSERT (sizeof ((LabSweepRow *) NULL)->scope == SWEEP_SCOPE_BYTES);

/* A NUL-padded text field of @n bytes. */
static void
put_name (Sink       *sink,
          const char *name,
          gsize       n)
{
  char buf[SWEEP_NAME_BYTES] = { 0 };

  g_assert (n <= sizeof buf);
  g_strlcpy (buf, name, n);
  sink_put (sink, buf, n);
}

static gboolean
has_sweep (const LabExperimentResults *r)
{
  return r->sweep != NULL && (r->sweep->len > 0 || !isnan (r->sweep_dense_accuracy));
}

static gboolean
has_lottery (const LabExperimentResults *r)
{
  return r->lottery != NULL && (r->lottery->len > 0 || !isnan (r->lottery_dense_accuracy));
}

static void
put_results_head (Sink       *sink,
                  const char *tag,
                  double      dense_accuracy,
                  double      dense_loss,
                  guint       n,
                  gsize       record)
{
  section_begin (sink, tag, FLAG_OPTIONAL, RESULTS_HEAD_BYTES + (guint64) n * record);
  put_f64 (sink, dense_accuracy);
  put_f64 (sink, dense_loss);
  put_u32 (sink, n);
  put_u32 (sink, 0);
}

static void
put_sweep (Sink                       *sink,
           const LabExperimentResults *r)
{
  put_results_head (sink, "SWEP", r->sweep_dense_accuracy, r->sweep_dense_loss, r->sweep->len,
                    SWEEP_ROW_BYTES);
  for (guint i = 0; i < r->sweep->len; i++)
    {
      const LabSweepRow *p = &g_array_index (r->sweep, LabSweepRow, i);

      put_name (sink, p->criterion, SWEEP_NAME_BYTES);
      put_name (sink, p->scope, SWEEP_SCOPE_BYTES);
      put_f64 (sink, p->sparsity);
      put_u32 (sink, p->finetune_epochs);
      put_u32 (sink, 0);
      put_f64 (sink, p->test_accuracy);
      put_f64 (sink, p->test_loss);
      put_f64 (sink, p->achieved_sparsity);
    }
  section_end (sink);
}

static void
put_lottery (Sink                       *sink,
             const LabExperimentResults *r)
{
  put_results_head (sink, "LOTT", r->lottery_dense_accuracy, r->lottery_dense_loss,
                    r->lottery->len, LOTTERY_ROUND_BYTES);
  for (guint i = 0; i < r->lottery->len; i++)
    {
      const LabLotteryRound *p = &g_array_index (r->lottery, LabLotteryRound, i);

      put_u32 (sink, p->round);
      put_u32 (sink, 0);
      put_f64 (sink, p->sparsity);
      put_f64 (sink, p->test_accuracy);
      put_f64 (sink, p->test_loss);
      put_f64 (sink, p->control_accuracy);
      put_f64 (sink, p->control_loss);
    }
  section_end (sink);
}

static void
write_run (Sink         *sink,
           const LabRun *run)
{
  g_autofree char *generated = NULL;
  const char *text = run->config_text;
  guint n_sections = (run->mask ? 6 : 5) + has_sweep (&run->results) +
                     has_lottery (&run->results);
  guint32 version = GUINT32_TO_LE (LAB_RUN_FILE_VERSION), ns = GUINT32_TO_LE (n_sections);

  _lab_run_crc_init ();
  _lab_run_check_record_tables ();
  if (text == NULL)
    text = generated = lab_config_to_data (&run->config, NULL);

  sink_raw (sink, LAB_RUN_MAGIC, 8);
  sink_raw (sink, &version, 4);
  sink_raw (sink, &ns, 4);

  section_begin (sink, "CONF", 0, strlen (text));
  sink_put (sink, text, strlen (text));
  section_end (sink);

  section_begin (sink, "LAYT", 0, 8 + 8 * ((guint64) run->n_layers + 1));
  put_u32 (sink, run->n_layers);
  put_u32 (sink, 0);
  for (guint l = 0; l <= run->n_layers; l++)
    put_u64 (sink, run->sizes[l]);
  section_end (sink);

  section_begin (sink, "STAT", 0, 40);
  put_u64 (sink, run->step);
  put_u32 (sink, run->epoch);
  put_u32 (sink, 0);
  put_u64 (sink, run->eval_step);
  put_f64 (sink, run->test_loss);
  put_f64 (sink, run->test_accuracy);
  section_end (sink);

  section_begin (sink, "PARM", 0, (guint64) run->n_params * 4);
  put_f32s (sink, run->params, run->n_params);
  section_end (sink);

  if (run->mask != NULL)
    {
      section_begin (sink, "MASK", 0, (guint64) run->n_params * 4);
      put_f32s (sink, run->mask, run->n_params);
      section_end (sink);
    }

  put_rows (sink, run->rows, run->rows ? lab_row_log_n_layers (run->rows) : run->n_layers);
  if (has_sweep (&run->results))
    put_sweep (sink, &run->results);
  if (has_lottery (&run->results))
    put_lottery (sink, &run->results);
}

static gboolean
check_savable (const LabRun *run,
               GError      **error)
{
  if (run->n_layers < 1 || run->n_layers > LAB_MAX_LAYERS || run->params == NULL ||
      run->n_params == 0 || run->n_params != lab_run_count_params (run->n_layers, run->sizes))
    {
      g_set_error (error, LAB_ENGINE_ERROR, LAB_ENGINE_ERROR_INVALID,
                   _("the run has no weights of a consistent shape to save"));
      return FALSE;
    }
  if (run->rows != NULL && lab_row_log_n_layers (run->rows) != run->n_layers)
    {
      g_set_error (error, LAB_ENGINE_ERROR, LAB_ENGINE_ERROR_INVALID,
                   _("the metrics rows have %u layers but the weights %u"),
                   lab_row_log_n_layers (run->rows), run->n_layers);
      return FALSE;
    }
  return TRUE;
}

GBytes *
lab_run_to_bytes (const LabRun *run)
{
  Sink sink = { 0 };

  g_return_val_if_fail (run != NULL, NULL);
  g_return_val_if_fail (check_savable (run, NULL), NULL);

  sink.mem = g_byte_array_new ();
  write_run (&sink, run);
  return g_byte_array_free_to_bytes (sink.mem);
}

gboolean
lab_run_save (const LabRun *run,
              const char   *path,
              GError      **error)
{
  LabFileReplace *file;
  Sink sink = { 0 };

  g_return_val_if_fail (run != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  if (!check_savable (run, error))
    {
      g_prefix_error (error, "%s: ", path);
      return FALSE;
    }
  if ((file = lab_file_replace_new (path, error)) == NULL)
    return FALSE;
  sink.fp = lab_file_replace_stream (file);
  write_run (&sink, run);
  if (sink.failed || ferror (sink.fp))
    {
      int saved = errno;
      lab_file_replace_abort (file);
      g_set_error (error, LAB_ENGINE_ERROR, LAB_ENGINE_ERROR_IO, _("%s: could not write: %s"),
                   path, g_strerror (saved));
      return FALSE;
    }
  return lab_file_replace_commit (file, error);
}

/* ------------------------------------------------------------------------------------------ */
/* the run */

LabRun *
lab_run_new (void)
{
  LabRun *run = g_new0 (LabRun, 1);

  lab_config_init_defaults (&run->config);
  run->test_loss = run->test_accuracy = NAN;
  lab_experiment_results_init (&run->results);
  return run;
}

void
lab_run_free (LabRun *run)
{
  if (run == NULL)
    return;
  lab_config_clear (&run->config);
  g_free (run->config_text);
  g_free (run->params);
  g_free (run->mask);
  lab_row_log_free (run->rows);
  lab_experiment_results_clear (&run->results);
  g_free (run);
}

gsize
lab_run_count_params (guint        n_layers,
                      const gsize *sizes)
{
  guint64 n = 0;

  if (n_layers < 1 || n_layers > LAB_MAX_LAYERS)
    return 0;
  for (guint l = 0; l < n_layers; l++)
    {
      guint64 in = sizes[l], out = sizes[l + 1];
      /* every size is bounded by the caller (≤ LAB_MAX_INPUT): no overflow here */
      if (in > LAB_MAX_INPUT || out > LAB_MAX_INPUT)
        return 0;
      n += out * in + out;
      if (n > LAB_MAX_PARAMS)
        return 0;
    }
  return (gsize) n;
}
