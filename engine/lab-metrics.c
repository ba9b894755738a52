/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-metrics.c: CSV / JSON Lines metrics files. Columns: step, epoch, time, lr, loss,
 * accuracy, grad_norm (global, before clipping), sparsity, test_loss, test_accuracy, then for each
 * layer l = 1…L every per-layer metric as `<name>_<l>`.
 */
#define G_LOG_DOMAIN "lab-engine"
#include "config.h"

#include <errno.h>
#include <math.h>

#include "lab-file-replace.h"
#include "lab-error.h"
#include "lab-metrics.h"

struct _LabMetricsWriter
{
  LabFileReplace *file;
  FILE           *fp;
  char           *path;
  gboolean        jsonl;
  guint           n_layers;
};

static const char * const layer_names[] = {
  "grad_norm", "grad_mean_abs", "delta_norm", "weight_norm", "update_ratio", "sparsity",
  "act_mean", "act_std", "act_saturated", "act_dead",
};

const char * const *
lab_metrics_layer_names (guint *n)
{
  *n = G_N_ELEMENTS (layer_names);
  return layer_names;
}

float
lab_layer_stats_get (const LabLayerStats *ls,
                     guint                i)
{
  switch (i)
    {
    case 0: return ls->grad_norm;
    case 1: return ls->grad_mean_abs;
    case 2: return ls->delta_norm;
    case 3: return ls->weight_norm;
    case 4: return ls->update_ratio;
    case 5: return ls->sparsity;
    case 6: return ls->act_mean;
    case 7: return ls->act_std;
    case 8: return ls->act_saturated;
    case 9: return ls->act_dead;
    default: g_return_val_if_reached (NAN);
    }
}

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
                   "%s: metrics files must end in .csv or .jsonl", path);
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

  if (!w->jsonl)
    {
      fputs ("step,epoch,time,lr,loss,accuracy,grad_norm,sparsity,test_loss,test_accuracy", w->fp);
      for (guint l = 1; l <= n_layers; l++)
        for (guint i = 0; i < G_N_ELEMENTS (layer_names); i++)
          fprintf (w->fp, ",%s_%u", layer_names[i], l);
      fputc ('\n', w->fp);
    }
  return w;
}

static void
put_num (FILE       *fp,
         double      v,
         const char *missing)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  if (!isfinite (v))
    fputs (missing, fp);
  else
    fputs (g_ascii_formatd (buf, sizeof buf, "%.7g", v), fp);
}

gboolean
lab_metrics_writer_append (LabMetricsWriter   *w,
                           const LabStepStats *st,
                           double              test_loss,
                           double              test_accuracy,
                           GError            **error)
{
  FILE *fp = w->fp;
  const char *miss = w->jsonl ? "null" : "";

  if (w->jsonl)
    {
      fprintf (fp, "{\"step\":%" G_GUINT64_FORMAT ",\"epoch\":%u,\"time\":", st->step, st->epoch);
      put_num (fp, st->time, miss);
      fputs (",\"lr\":", fp);
      put_num (fp, st->lr, miss);
      fputs (",\"loss\":", fp);
      put_num (fp, st->loss, miss);
      fputs (",\"accuracy\":", fp);
      put_num (fp, st->accuracy, miss);
      fputs (",\"grad_norm\":", fp);
      put_num (fp, st->grad_norm, miss);
      fputs (",\"sparsity\":", fp);
      put_num (fp, st->sparsity, miss);
      fputs (",\"test_loss\":", fp);
      put_num (fp, test_loss, miss);
      fputs (",\"test_accuracy\":", fp);
      put_num (fp, test_accuracy, miss);
      for (guint i = 0; i < G_N_ELEMENTS (layer_names); i++)
        {
          fprintf (fp, ",\"%s\":[", layer_names[i]);
          for (guint l = 0; l < st->n_layers; l++)
            {
              if (l)
                fputc (',', fp);
              put_num (fp, lab_layer_stats_get (&st->layer[l], i), miss);
            }
          fputc (']', fp);
        }
      fputs ("}\n", fp);
    }
  else
    {
      fprintf (fp, "%" G_GUINT64_FORMAT ",%u,", st->step, st->epoch);
      put_num (fp, st->time, miss);
      fputc (',', fp);
      put_num (fp, st->lr, miss);
      fputc (',', fp);
      put_num (fp, st->loss, miss);
      fputc (',', fp);
      put_num (fp, st->accuracy, miss);
      fputc (',', fp);
      put_num (fp, st->grad_norm, miss);
      fputc (',', fp);
      put_num (fp, st->sparsity, miss);
      fputc (',', fp);
      put_num (fp, test_loss, miss);
      fputc (',', fp);
      put_num (fp, test_accuracy, miss);
      for (guint l = 0; l < w->n_layers; l++)
        for (guint i = 0; i < G_N_ELEMENTS (layer_names); i++)
          {
            fputc (',', fp);
            if (l < st->n_layers)
              put_num (fp, lab_layer_stats_get (&st->layer[l], i), miss);
          }
      fputc ('\n', fp);
    }

  if (ferror (fp))
    {
      g_set_error (error, LAB_ENGINE_ERROR, LAB_ENGINE_ERROR_IO, "%s: could not write: %s",
                   w->path, g_strerror (errno));
      return FALSE;
    }
  return TRUE;
}

gboolean
lab_metrics_writer_close (LabMetricsWriter *w,
                          GError          **error)
{
  gboolean ok = lab_file_replace_commit (w->file, error);

  g_free (w->path);
  g_free (w);
  return ok;
}

void
lab_metrics_writer_abort (LabMetricsWriter *w)
{
  if (w == NULL)
    return;
  lab_file_replace_abort (w->file);
  g_free (w->path);
  g_free (w);
}
