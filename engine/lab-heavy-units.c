/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-heavy-units.c: the per-neuron parts of a heavy snapshot (see lab-heavy-units.h). Each
 * part is one block in the heavy snapshot with a view per layer, as the weights are.
 */
#define G_LOG_DOMAIN "lab-engine"
#include "config.h"

#include <math.h>
#include <string.h>

#include "lab-heavy-units.h"

struct _LabUnitMaps
{
  guint  n_layers;
  gsize  sizes[LAB_MAX_LAYERS + 1];   /* of the network the maps were captured from */
  gsize  n_units;                     /* Σ sizes[1 …] */
  guint  grid_n;                      /* of the decision grid; the maps are grid_n / 2 */
  float *data;                        /* (n_units, map_n, map_n), layer after layer */
};

/* TRUE when @heavy's layers are the chain @sizes[0] → … → @sizes[@n_layers]. */
static gboolean
same_layers (const LabHeavy *heavy,
             guint           n_layers,
             const gsize    *sizes)
{
  if (heavy->n_layers != n_layers)
    return FALSE;
  for (guint l = 0; l < n_layers; l++)
    if (heavy->layers[l].rows != sizes[l + 1] || heavy->layers[l].cols != sizes[l])
      return FALSE;
  return TRUE;
}

/* Σ rows of @heavy's layers. */
static gsize
heavy_units (const LabHeavy *heavy)
{
  gsize n = 0;

  for (guint l = 0; l < heavy->n_layers; l++)
    n += heavy->layers[l].rows;
  return n;
}

gboolean
lab_heavy_set_unit_delta (LabHeavy     *heavy,
                          const LabMlp *mlp,
                          guint64       step)
{
  gsize off = 0;

  g_return_val_if_fail (heavy != NULL && mlp != NULL, FALSE);

  if (!mlp->unit_delta_filled || !same_layers (heavy, mlp->n_layers, mlp->sizes))
    return FALSE;
  g_free (heavy->delta_block);
  heavy->delta_block = g_new (float, heavy_units (heavy));
  for (guint l = 0; l < heavy->n_layers; l++)
    {
      LabHeavyLayer *layer = &heavy->layers[l];
      const float *sq = mlp->unit_delta + mlp->unit_off[l];

      layer->unit_delta = heavy->delta_block + off;
      for (gsize j = 0; j < layer->rows; j++)
        layer->unit_delta[j] = sqrtf (sq[j]);
      off += layer->rows;
    }
  heavy->delta_step = step;
  return TRUE;
}

void
lab_heavy_set_weight_grads (LabHeavy     *heavy,
                            const LabMlp *mlp)
{
  g_return_if_fail (heavy != NULL && mlp != NULL);
  g_return_if_fail (heavy->n_params == mlp->n_params);

  g_free (heavy->grads);
  heavy->grads = g_memdup2 (mlp->grads, mlp->n_params * sizeof (float));
  for (guint l = 0; l < heavy->n_layers; l++)
    heavy->layers[l].weight_grad = heavy->grads + (heavy->layers[l].weight - heavy->params);
}

gboolean
lab_heavy_set_probe (LabHeavy       *heavy,
                     LabMlp         *mlp,
                     const LabSplit *split,
                     gsize           index)
{
  guint32 idx = (guint32) index, label;
  gsize off = 0;

  g_return_val_if_fail (heavy != NULL && mlp != NULL && split != NULL, FALSE);

  if (index >= split->n || split->dim != mlp->sizes[0] ||
      !same_layers (heavy, mlp->n_layers, mlp->sizes))
    return FALSE;
  g_free (heavy->probe_input);
  heavy->probe_input = g_new (float, split->dim);
  lab_split_gather (split, &idx, 1, heavy->probe_input, &label);
  lab_mlp_forward (mlp, heavy->probe_input, 1);

  g_free (heavy->probe_block);
  heavy->probe_block = g_new (float, heavy_units (heavy));
  for (guint l = 0; l < heavy->n_layers; l++)
    {
      LabHeavyLayer *layer = &heavy->layers[l];

      layer->probe_act = heavy->probe_block + off;
      memcpy (layer->probe_act, mlp->a[l], layer->rows * sizeof (float));
      off += layer->rows;
    }
  heavy->probe_index = (gssize) index;
  heavy->probe_label = label;
  return TRUE;
}

/* --- unit maps ------------------------------------------------------------------------------ */

LabUnitMaps *
lab_unit_maps_new (void)
{
  return g_new0 (LabUnitMaps, 1);
}

void
lab_unit_maps_free (LabUnitMaps *maps)
{
  if (maps == NULL)
    return;
  g_free (maps->data);
  g_free (maps);
}

/* Adds a quarter of each output of inputs @start … to its unit's map cell (LabMlpBatchFunc). */
static void
capture_batch (const LabMlp *mlp,
               gsize         start,
               gsize         batch,
               gpointer      user_data)
{
  LabUnitMaps *maps = user_data;
  guint grid_n = maps->grid_n, map_n = grid_n / 2;
  gsize cells = (gsize) map_n * map_n;
  float *unit_maps = maps->data;

  for (guint l = 0; l < mlp->n_layers; l++)
    {
      gsize N = mlp->sizes[l + 1];

      for (gsize i = 0; i < batch; i++)
        {
          gsize k = start + i, cell = (k / grid_n / 2) * map_n + (k % grid_n) / 2;
          const float *a = mlp->a[l] + i * N;

          for (gsize j = 0; j < N; j++)
            unit_maps[j * cells + cell] += 0.25f * a[j];
        }
      unit_maps += N * cells;
    }
}

void
lab_unit_maps_predict (LabUnitMaps *maps,
                       LabMlp      *mlp,
                       const float *xy,
                       guint        grid_n,
                       guint8      *classes,
                       float       *confidence)
{
  gsize cells = (gsize) (grid_n / 2) * (grid_n / 2);
  gsize n_units = lab_mlp_n_units (mlp);

  g_return_if_fail (maps != NULL && mlp != NULL && grid_n >= 2 && grid_n % 2 == 0);
  g_return_if_fail (mlp->sizes[0] == 2);

  if (maps->data == NULL || maps->n_units != n_units || maps->grid_n != grid_n)
    {
      g_free (maps->data);
      maps->data = g_new (float, n_units * cells);
    }
  maps->n_layers = mlp->n_layers;
  memcpy (maps->sizes, mlp->sizes, sizeof maps->sizes);
  maps->n_units = n_units;
  maps->grid_n = grid_n;
  memset (maps->data, 0, n_units * cells * sizeof (float));
  lab_mlp_predict_each (mlp, xy, (gsize) grid_n * grid_n, classes, confidence, capture_batch,
                        maps);
}

gboolean
lab_heavy_set_unit_maps (LabHeavy          *heavy,
                         const LabUnitMaps *maps,
                         float              lo,
                         float              hi)
{
  guint map_n;
  gsize cells, off = 0;

  g_return_val_if_fail (heavy != NULL && maps != NULL, FALSE);

  if (maps->data == NULL || !same_layers (heavy, maps->n_layers, maps->sizes))
    return FALSE;
  map_n = maps->grid_n / 2;
  cells = (gsize) map_n * map_n;
  g_free (heavy->maps_block);
  heavy->maps_block = g_memdup2 (maps->data, maps->n_units * cells * sizeof (float));
  for (guint l = 0; l < heavy->n_layers; l++)
    {
      heavy->layers[l].unit_maps = heavy->maps_block + off;
      off += heavy->layers[l].rows * cells;
    }
  heavy->map_n = map_n;
  heavy->map_lo = lo;
  heavy->map_hi = hi;
  return TRUE;
}
