/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-rowlog.c: the full metrics log of a run. Rows are packed records in one growing buffer:
 * LabStepStats' step-level part followed by n_layers LabLayerStats. Appending
 * is a memcpy (amortised O(1)); thinning at the cap is one pass that keeps every other record.
 */
#define G_LOG_DOMAIN "lab-engine"
#include "config.h"

#include <math.h>
#include <string.h>

#include "lab-metrics.h"
#include "lab-rowlog-private.h"

/* A record is the part of LabStepStats before its layers (every step-level field of
 * lab-record's table lies there), then the run's n_layers LabLayerStats. */
#define HEAD_BYTES G_STRUCT_OFFSET (LabStepStats, layer)

struct _LabRowLog
{
  guint    n_layers;
  gsize    rec_size;     /* HEAD_BYTES + n_layers · sizeof (LabLayerStats) */
  gsize    max_rows;     /* requested cap */
  gsize    cap;          /* effective cap: max_rows and LAB_ROW_LOG_MAX_BYTES */
  guint8  *data;         /* (len, rec_size) */
  gsize    len;
  gsize    alloc;        /* records allocated */
  guint64  seen;
  guint    stride;
};

static void
set_depth (LabRowLog *log,
           guint      n_layers)
{
  log->n_layers = n_layers;
  log->rec_size = HEAD_BYTES + (gsize) n_layers * sizeof (LabLayerStats);
  log->cap = MAX (2, MIN (log->max_rows, LAB_ROW_LOG_MAX_BYTES / log->rec_size));
}

LabRowLog *
lab_row_log_new_capped (guint n_layers,
                        gsize max_rows)
{
  LabRowLog *log;

  g_return_val_if_fail (n_layers <= LAB_MAX_ROW_LAYERS, NULL);
  g_return_val_if_fail (max_rows >= 2, NULL);

  log = g_new0 (LabRowLog, 1);
  log->max_rows = max_rows;
  log->stride = 1;
  set_depth (log, n_layers);
  return log;
}

LabRowLog *
lab_row_log_new (guint n_layers)
{
  return lab_row_log_new_capped (n_layers, LAB_ROW_LOG_MAX_ROWS);
}

void
lab_row_log_free (LabRowLog *log)
{
  if (log == NULL)
    return;
  g_free (log->data);
  g_free (log);
}

LabRowLog *
lab_row_log_copy (const LabRowLog *log)
{
  LabRowLog *copy;

  g_return_val_if_fail (log != NULL, NULL);

  copy = g_memdup2 (log, sizeof *log);
  copy->alloc = log->len;
  copy->data = log->len ? g_memdup2 (log->data, log->len * log->rec_size) : NULL;
  return copy;
}

void
lab_row_log_clear (LabRowLog *log,
                   guint      n_layers)
{
  g_return_if_fail (log != NULL);
  g_return_if_fail (n_layers <= LAB_MAX_ROW_LAYERS);

  g_clear_pointer (&log->data, g_free);
  log->len = log->alloc = 0;
  log->seen = 0;
  log->stride = 1;
  set_depth (log, n_layers);
}

void
_lab_row_log_push (LabRowLog          *log,
                   const LabStepStats *st)
{
  guint8 *rec;

  if (log->len == log->alloc)
    {
      log->alloc = MAX (log->alloc * 2, 1024);
      log->data = g_realloc_n (log->data, log->alloc, log->rec_size);
    }
  rec = log->data + log->len * log->rec_size;
  memcpy (rec, st, HEAD_BYTES);
  memcpy (rec + HEAD_BYTES, st->layer, log->n_layers * sizeof (LabLayerStats));
  log->len++;
}

void
_lab_row_log_set_state (LabRowLog *log,
                        guint      stride,
                        guint64    seen)
{
  g_return_if_fail (stride >= 1 && (stride & (stride - 1)) == 0);

  log->stride = stride;
  log->seen = seen;
}

/* Keeps records 0, 2, 4 …: the rows whose (0-based) arrival index is a multiple of 2·stride. */
static void
thin (LabRowLog *log)
{
  gsize kept = 0;

  for (gsize i = 0; i < log->len; i += 2, kept++)
    if (kept != i)
      memcpy (log->data + kept * log->rec_size, log->data + i * log->rec_size, log->rec_size);
  log->len = kept;
  log->stride *= 2;
}

void
lab_row_log_append (LabRowLog          *log,
                    const LabStepStats *st)
{
  guint64 index;

  g_return_if_fail (log != NULL && st != NULL);
  if (log->n_layers == 0 && log->len == 0)
    {
      g_return_if_fail (st->n_layers >= 1 && st->n_layers <= LAB_MAX_ROW_LAYERS);
      set_depth (log, st->n_layers);
    }
  g_return_if_fail (st->n_layers == log->n_layers);

  index = log->seen++;
  if (index % log->stride != 0)
    return;
  if (log->len >= log->cap)
    {
      thin (log);
      if (index % log->stride != 0)
        return;
    }
  _lab_row_log_push (log, st);
}

guint
lab_row_log_n_layers (const LabRowLog *log)
{
  g_return_val_if_fail (log != NULL, 0);
  return log->n_layers;
}

gsize
lab_row_log_len (const LabRowLog *log)
{
  g_return_val_if_fail (log != NULL, 0);
  return log->len;
}

guint64
lab_row_log_seen (const LabRowLog *log)
{
  g_return_val_if_fail (log != NULL, 0);
  return log->seen;
}

guint
lab_row_log_get_stride (const LabRowLog *log)
{
  g_return_val_if_fail (log != NULL, 1);
  return log->stride;
}

gsize
lab_row_log_bytes (const LabRowLog *log)
{
  g_return_val_if_fail (log != NULL, 0);
  return log->alloc * log->rec_size;
}

void
lab_row_log_get (const LabRowLog *log,
                 gsize            i,
                 LabStepStats    *out)
{
  const guint8 *rec;

  g_return_if_fail (log != NULL && out != NULL);
  g_return_if_fail (i < log->len);

  rec = log->data + i * log->rec_size;
  memcpy (out, rec, HEAD_BYTES);
  memcpy (out->layer, rec + HEAD_BYTES, log->n_layers * sizeof (LabLayerStats));
}

void
lab_row_log_set (LabRowLog          *log,
                 gsize               i,
                 const LabStepStats *st)
{
  guint8 *rec;

  g_return_if_fail (log != NULL && st != NULL);
  g_return_if_fail (i < log->len && st->n_layers == log->n_layers);

  rec = log->data + i * log->rec_size;
  memcpy (rec, st, HEAD_BYTES);
  memcpy (rec + HEAD_BYTES, st->layer, log->n_layers * sizeof (LabLayerStats));
}

void
lab_row_log_drop_front (LabRowLog *log,
                        gsize      n)
{
  g_return_if_fail (log != NULL);

  n = MIN (n, log->len);
  memmove (log->data, log->data + n * log->rec_size, (log->len - n) * log->rec_size);
  log->len -= n;
}

void
lab_row_log_append_log (LabRowLog       *log,
                        const LabRowLog *src)
{
  LabStepStats *st;

  g_return_if_fail (log != NULL && src != NULL);

  if (src->len == 0)
    return;
  /* one row at a time keeps the cap and the thinning exact; rows are small */
  st = g_new (LabStepStats, 1);
  for (gsize i = 0; i < src->len; i++)
    {
      lab_row_log_get (src, i, st);
      lab_row_log_append (log, st);
    }
  g_free (st);
}

gboolean
lab_row_log_write (const LabRowLog *log,
                   const char      *path,
                   GError         **error)
{
  LabMetricsWriter *w;
  LabStepStats st;

  g_return_val_if_fail (log != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  if ((w = lab_metrics_writer_new (path, log->n_layers, error)) == NULL)
    return FALSE;
  for (gsize i = 0; i < log->len; i++)
    {
      lab_row_log_get (log, i, &st);
      if (!lab_metrics_writer_append (w, &st, st.test_loss, st.test_accuracy, error))
        {
          lab_metrics_writer_abort (w);
          return FALSE;
        }
    }
  return lab_metrics_writer_close (w, error);
}
