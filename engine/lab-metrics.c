/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-metrics.c: CSV / JSON Lines metrics files, one row per step as lab-record formats it
 * (the columns and keys are lab-record's tables).
 */
#define G_LOG_DOMAIN "lab-engine"
#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <math.h>

#include "lab-file-replace.h"
#include "lab-error.h"
#include "lab-metrics.h"
#include "lab-record.h"

struct _LabMetricsWriter
{
  LabFileReplace *file;
  FILE           *fp;
  char           *path;
  gboolean        jsonl;
  guint           n_layers;
  GString        *line;     /* reused for every row */
};

LabMetricsWriter *
lab_metrics_writer_new (const char *path,
                        guint       n_layers,
                        GError    **error)
{
  LabMetricsWriter *w;
  LabFileReplace *file;

  if (!g_str_has_suffix (path, ".csv") && !g_str_has_suffix (path, ".jsonl") &&
      !g_str_has_suffix (path, ".json"))
    {
      g_set_error (error, LAB_ENGINE_ERROR, LAB_ENGINE_ERROR_INVALID,
                   _("%s: metrics files must end in .csv or .jsonl"), path);
      return NULL;
    }
  if ((file = lab_file_replace_new (path, error)) == NULL)
    return NULL;

  w = g_new0 (LabMetricsWriter, 1);
  w->file = file;
  w->fp = lab_file_replace_stream (file);
  w->path = g_strdup (path);
  w->jsonl = !g_str_has_suffix (path, ".csv");
  w->n_layers = n_layers;
  w->line = g_string_new (NULL);

  if (!w->jsonl)
    {
      lab_record_csv_header (w->line, n_layers);
      fputs (w->line->str, w->fp);
    }
  return w;
}

gboolean
lab_metrics_writer_append (LabMetricsWriter   *w,
                           const LabStepStats *st,
                           double              test_loss,
                           double              test_accuracy,
                           GError            **error)
{
  LabStepStats row = *st;

  row.test_loss = test_loss;
  row.test_accuracy = test_accuracy;
  g_string_truncate (w->line, 0);
  if (w->jsonl)
    lab_record_json_row (w->line, &row);
  else
    lab_record_csv_row (w->line, &row, w->n_layers);
  fwrite (w->line->str, 1, w->line->len, w->fp);

  if (ferror (w->fp))
    {
      g_set_error (error, LAB_ENGINE_ERROR, LAB_ENGINE_ERROR_IO, _("%s: could not write: %s"),
                   w->path, g_strerror (errno));
      return FALSE;
    }
  return TRUE;
}

static void
writer_free (LabMetricsWriter *w)
{
  g_string_free (w->line, TRUE);
  g_free (w->path);
  g_free (w);
}

gboolean
lab_metrics_writer_close (LabMetricsWriter *w,
                          GError          **error)
{
  gboolean ok = lab_file_replace_commit (w->file, error);

  writer_free (w);
  return ok;
}

void
lab_metrics_writer_abort (LabMetricsWriter *w)
{
  if (w == NULL)
    return;
  lab_file_replace_abort (w->file);
  writer_free (w);
}
