/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-history.c: bounded metrics history. Buckets are kept in step order; each holds, per
 * channel, the min, mean and max of the steps it covers. When the buffer is full, the buckets
 * older than the `recent` newest are merged pairwise, halving that part: memory stays fixed,
 * the newest steps stay exact, and spikes survive as min/max envelopes.
 */
#define G_LOG_DOMAIN "lab-engine"
#include "config.h"

#include <string.h>

#include "lab-history.h"

typedef struct
{
  guint64 step_first;
  guint64 step_last;
  guint64 count;
} Bucket;

struct _LabHistory
{
  guint   n_layers;
  guint   n_channels;   /* 2 + 3·n_layers */
  guint   recent;
  guint   budget;
  guint   len;
  Bucket *buckets;      /* (budget) */
  float  *values;       /* (budget, n_channels, 3): min, mean, max */
};

static guint
channel_index (const LabHistory *h,
               LabHistoryMetric  metric,
               guint             layer)
{
  switch (metric)
    {
    case LAB_HISTORY_LOSS: return 0;
    case LAB_HISTORY_ACCURACY: return 1;
    case LAB_HISTORY_GRAD_NORM: return 2 + layer;
    case LAB_HISTORY_DELTA_NORM: return 2 + h->n_layers + layer;
    case LAB_HISTORY_SPARSITY:
    default: return 2 + 2 * h->n_layers + layer;
    }
}

LabHistory *
lab_history_new (guint n_layers,
                 guint recent,
                 guint budget)
{
  LabHistory *h = g_new0 (LabHistory, 1);

  h->recent = MAX (recent, 1u);
  h->budget = MAX (budget, 2 * h->recent + 2);
  lab_history_clear (h, n_layers);
  return h;
}

void
lab_history_clear (LabHistory *h,
                   guint       n_layers)
{
  g_free (h->buckets);
  g_free (h->values);
  h->n_layers = MIN (n_layers, (guint) LAB_MAX_ROW_LAYERS);
  h->n_channels = 2 + 3 * h->n_layers;
  h->len = 0;
  h->buckets = g_new0 (Bucket, h->budget);
  h->values = g_new0 (float, (gsize) h->budget * h->n_channels * 3);
}

void
lab_history_free (LabHistory *h)
{
  if (h == NULL)
    return;
  g_free (h->buckets);
  g_free (h->values);
  g_free (h);
}

/* Merges buckets [0, n_old) pairwise into [0, ceil(n_old/2)) and moves the rest down. */
static void
history_compact (LabHistory *h)
{
  guint n_old = h->len - h->recent, out = 0, C3 = h->n_channels * 3;

  for (guint i = 0; i < n_old; i += 2, out++)
    {
      Bucket *a = &h->buckets[i], *dst = &h->buckets[out];
      float *va = h->values + (gsize) i * C3, *vd = h->values + (gsize) out * C3;

      if (i + 1 < n_old)
        {
          Bucket *b = &h->buckets[i + 1];
          float *vb = h->values + (gsize) (i + 1) * C3;
          guint64 n = a->count + b->count;

          for (guint c = 0; c < h->n_channels; c++)
            {
              float mn = MIN (va[3 * c], vb[3 * c]);
              float mean = (float) (((double) va[3 * c + 1] * a->count +
                                     (double) vb[3 * c + 1] * b->count) / (double) n);
              float mx = MAX (va[3 * c + 2], vb[3 * c + 2]);
              vd[3 * c] = mn;
              vd[3 * c + 1] = mean;
              vd[3 * c + 2] = mx;
            }
          *dst = (Bucket) { a->step_first, b->step_last, n };
        }
      else
        {
          memmove (vd, va, C3 * sizeof (float));
          *dst = *a;
        }
    }
  memmove (h->buckets + out, h->buckets + n_old, h->recent * sizeof (Bucket));
  memmove (h->values + (gsize) out * C3, h->values + (gsize) n_old * C3,
           (gsize) h->recent * C3 * sizeof (float));
  h->len = out + h->recent;
}

void
lab_history_append (LabHistory         *h,
                    const LabStepStats *st)
{
  float *v;

  if (h->len == h->budget)
    history_compact (h);

  h->buckets[h->len] = (Bucket) { st->step, st->step, 1 };
  v = h->values + (gsize) h->len * h->n_channels * 3;
  for (guint c = 0; c < h->n_channels; c++)
    {
      float x;
      if (c == 0)
        x = (float) st->loss;
      else if (c == 1)
        x = (float) st->accuracy;
      else if (c < 2 + h->n_layers)
        x = st->layer[c - 2].grad_norm;
      else if (c < 2 + 2 * h->n_layers)
        x = st->layer[c - 2 - h->n_layers].delta_norm;
      else
        x = st->layer[c - 2 - 2 * h->n_layers].sparsity;
      v[3 * c] = v[3 * c + 1] = v[3 * c + 2] = x;
    }
  h->len++;
}

guint
lab_history_len (const LabHistory *h)
{
  return h->len;
}

guint
lab_history_n_layers (const LabHistory *h)
{
  return h->n_layers;
}

LabHistoryPoint
lab_history_get (const LabHistory *h,
                 guint             i,
                 LabHistoryMetric  metric,
                 guint             layer)
{
  const float *v;
  guint c;

  g_return_val_if_fail (i < h->len, (LabHistoryPoint) { 0 });
  g_return_val_if_fail (metric <= LAB_HISTORY_ACCURACY || layer < h->n_layers,
                        (LabHistoryPoint) { 0 });
  c = channel_index (h, metric, layer);
  v = h->values + ((gsize) i * h->n_channels + c) * 3;
  return (LabHistoryPoint) { h->buckets[i].step_first, h->buckets[i].step_last,
                             v[0], v[1], v[2] };
}

gsize
lab_history_bytes (const LabHistory *h)
{
  return sizeof *h + h->budget * sizeof (Bucket) +
         (gsize) h->budget * h->n_channels * 3 * sizeof (float);
}
