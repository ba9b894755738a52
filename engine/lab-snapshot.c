/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-snapshot.c: refcounted snapshots (g_atomic_rc_box) that cross from the engine thread to
 * a consumer, frozen once taken from the mailbox, and the heavy parts they carry: built here
 * from a network so that the session only decides when.
 */
#define G_LOG_DOMAIN "lab-engine"
#include "config.h"

#include <string.h>

#include "lab-run-manifest.h"
#include "lab-snapshot.h"

LabHeavy *
lab_heavy_new (guint    n_layers,
               gsize    n_params,
               gboolean masked)
{
  LabHeavy *heavy = g_new0 (LabHeavy, 1);

  heavy->n_layers = n_layers;
  heavy->layers = g_new0 (LabHeavyLayer, MAX (n_layers, 1));
  heavy->n_params = n_params;
  heavy->params = g_new0 (float, MAX (n_params, 1));
  heavy->mask = masked ? g_new0 (float, MAX (n_params, 1)) : NULL;
  heavy->probe_index = -1;
  return heavy;
}

void
lab_heavy_free (LabHeavy *heavy)
{
  if (heavy == NULL)
    return;
  g_free (heavy->layers);
  g_free (heavy->params);
  g_free (heavy->mask);
  g_free (heavy->grid_class);
  g_free (heavy->grid_conf);
  g_free (heavy->grads);
  g_free (heavy->delta_block);
  g_free (heavy->maps_block);
  g_free (heavy->probe_block);
  g_free (heavy->probe_input);
  g_free (heavy);
}

LabHeavyLayer *
lab_heavy_set_layer (LabHeavy   *heavy,
                     guint       l,
                     const char *name,
                     gsize       rows,
                     gsize       cols,
                     gsize       w_off,
                     gssize      b_off)
{
  LabHeavyLayer *layer;

  g_return_val_if_fail (l < heavy->n_layers, NULL);
  g_return_val_if_fail (w_off + rows * cols <= heavy->n_params, NULL);
  g_return_val_if_fail (b_off < 0 || (gsize) b_off + rows <= heavy->n_params, NULL);

  layer = &heavy->layers[l];
  if (g_strlcpy (layer->name, name, sizeof layer->name) >= sizeof layer->name)
    {
      /* a watched model's long module name: never end in half a character */
      const char *cut = layer->name + sizeof layer->name - 1;
      char *last = g_utf8_find_prev_char (layer->name, cut);

      if (last != NULL && last + g_utf8_skip[*(const guchar *) last] > cut)
        *last = '\0';
    }
  layer->rows = rows;
  layer->cols = cols;
  layer->weight = heavy->params + w_off;
  layer->mask = heavy->mask ? heavy->mask + w_off : NULL;
  layer->bias = b_off >= 0 ? heavy->params + b_off : NULL;
  layer->act = LAB_ACT_LINEAR;
  return layer;
}

const LabHeavyLayer *
lab_heavy_layer (const LabHeavy *heavy,
                 guint           l)
{
  g_return_val_if_fail (heavy != NULL && l < heavy->n_layers, NULL);

  return &heavy->layers[l];
}

LabView
lab_heavy_weight (const LabHeavy *heavy,
                  guint           l)
{
  const LabHeavyLayer *layer = lab_heavy_layer (heavy, l);

  return (LabView) { layer->weight, layer->rows, layer->cols };
}

LabView
lab_heavy_mask (const LabHeavy *heavy,
                guint           l)
{
  const LabHeavyLayer *layer = lab_heavy_layer (heavy, l);

  return (LabView) { layer->mask, layer->rows, layer->cols };
}

LabHeavy *
lab_heavy_new_chain (guint        n_layers,
                     const gsize *sizes,
                     gboolean     masked)
{
  LabHeavy *heavy;
  gsize n_params = 0, off = 0;

  g_return_val_if_fail (n_layers >= 1 && n_layers <= LAB_MAX_LAYERS, NULL);

  for (guint l = 0; l < n_layers; l++)
    n_params += sizes[l + 1] * (sizes[l] + 1);
  heavy = lab_heavy_new (n_layers, n_params, masked);
  memcpy (heavy->sizes, sizes, (n_layers + 1) * sizeof (gsize));
  for (guint l = 0; l < n_layers; l++)
    {
      char name[16];
      gsize rows = sizes[l + 1], cols = sizes[l];

      g_snprintf (name, sizeof name, "W%u", l + 1);
      lab_heavy_set_layer (heavy, l, name, rows, cols, off, (gssize) (off + rows * cols));
      off += rows * (cols + 1);
    }
  for (gsize i = 0; masked && i < n_params; i++)
    heavy->mask[i] = 1.0f;
  return heavy;
}

double
lab_mask_sparsity (const float *mask,
                   gsize        n)
{
  gsize pruned = 0;

  if (mask == NULL || n == 0)
    return 0;
  for (gsize i = 0; i < n; i++)
    pruned += mask[i] == 0.0f;
  return (double) pruned / n;
}

/* Histograms of layer l's activations (the last @batch rows of the workspace) and of its
 * weight gradients. Sigmoid and tanh keep their fixed range, so the plot's axis stays put. */
static void
layer_histograms (LabHeavyLayer *layer,
                  const LabMlp  *mlp,
                  guint          l,
                  gsize          batch)
{
  gsize n = batch * mlp->sizes[l + 1];
  const float *a = mlp->a[l];
  float lo, hi;

  if (mlp->act[l] == LAB_ACT_SIGMOID && !mlp->skip[l])
    lo = 0, hi = 1;
  else if (mlp->act[l] == LAB_ACT_TANH && !mlp->skip[l])
    lo = -1, hi = 1;
  else
    lab_histogram_range (a, n, &lo, &hi);
  /* [lo, hi): the largest value must land in the last bin, not past it */
  lab_histogram_fill (&layer->act_hist, a, n, lo, hi * 1.0001f + 1e-6f, FALSE);
  lab_histogram_fill (&layer->grad_hist, mlp->grads + mlp->w_off[l],
                      mlp->sizes[l] * mlp->sizes[l + 1], -10.0f, 1.0f, TRUE);
}

LabHeavy *
lab_heavy_new_from_mlp (const LabMlp     *mlp,
                        const LabDataset *data,
                        gsize             last_batch,
                        guint64           step)
{
  LabHeavy *heavy = lab_heavy_new_chain (mlp->n_layers, mlp->sizes, mlp->mask != NULL);

  /* the same layout as the network's, so its blocks copy whole */
  g_assert (heavy->n_params == mlp->n_params);
  g_assert (heavy->layers[0].bias == heavy->params + mlp->b_off[0]);
  heavy->step = step;
  memcpy (heavy->params, mlp->params, mlp->n_params * sizeof (float));
  if (mlp->mask)
    memcpy (heavy->mask, mlp->mask, mlp->n_params * sizeof (float));
  heavy->img_w = data->img_w;
  heavy->img_h = data->img_h;

  /* never more rows than the workspace has (it is rebuilt smaller by compaction) */
  last_batch = MIN (last_batch, mlp->ws_batch);
  for (guint l = 0; l < mlp->n_layers; l++)
    {
      LabHeavyLayer *layer = &heavy->layers[l];

      layer->act = mlp->act[l];
      layer->act_known = TRUE;
      layer->skip = mlp->skip[l];
      layer->sparsity = lab_mask_sparsity (layer->mask, layer->rows * layer->cols);
      if (last_batch > 0)
        layer_histograms (layer, mlp, l, last_batch);
    }
  return heavy;
}

void
lab_heavy_set_grid (LabHeavy     *heavy,
                    guint         n,
                    float         lo,
                    float         hi,
                    const guint8 *grid_class,
                    const float  *grid_conf)
{
  gsize cells = (gsize) n * n;

  g_free (heavy->grid_class);
  g_free (heavy->grid_conf);
  heavy->grid_n = n;
  heavy->grid_lo = lo;
  heavy->grid_hi = hi;
  heavy->grid_class = g_memdup2 (grid_class, cells);
  heavy->grid_conf = g_memdup2 (grid_conf, cells * sizeof (float));
}

void
lab_run_status_set_error (LabRunStatus *status,
                          int           code,
                          const char   *message,
                          guint64       serial)
{
  gsize len = strlen (message);

  if (len >= sizeof status->error)
    {
      const char *end = g_utf8_find_prev_char (message, message + sizeof status->error - 1);
      len = end ? (gsize) (end - message) : 0;
    }
  memcpy (status->error, message, len);
  status->error[len] = '\0';
  status->error_code = code;
  status->error_serial = serial;
}

LabSnapshot *
lab_snapshot_new (void)
{
  LabSnapshot *snap = g_atomic_rc_box_new0 (LabSnapshot);

  snap->rows = lab_row_log_new (0);
  snap->sweep_points = g_array_new (FALSE, FALSE, sizeof (LabSweepRow));
  snap->lottery_rounds = g_array_new (FALSE, FALSE, sizeof (LabLotteryRound));
  lab_config_init_defaults (&snap->config);
  return snap;
}

LabSnapshot *
lab_snapshot_ref (LabSnapshot *snap)
{
  return g_atomic_rc_box_acquire (snap);
}

static void
snapshot_clear (gpointer data)
{
  LabSnapshot *snap = data;

  lab_row_log_free (snap->rows);
  g_array_unref (snap->sweep_points);
  g_array_unref (snap->lottery_rounds);
  lab_heavy_free (snap->heavy);
  lab_config_clear (&snap->config);
  g_free (snap->data_name);
  g_free (snap->points);
  g_free (snap->point_labels);
  lab_run_manifest_free (snap->manifest);
}

void
lab_snapshot_unref (LabSnapshot *snap)
{
  g_atomic_rc_box_release_full (snap, snapshot_clear);
}

const char *
lab_snapshot_error (const LabSnapshot *snap)
{
  return snap->status.error[0] != '\0' ? snap->status.error : NULL;
}
