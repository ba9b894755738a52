/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-weights-describe.c: the weights view in words (see lab-weights-describe.h).
 */
#define G_LOG_DOMAIN "lab-weights-describe"

#include "config.h"

#include <glib/gi18n.h>
#include <inttypes.h>

#include "lab-weights-describe.h"

/* "Weights W1 256×784, 93 % pruned; …", in layer order. */
static void
describe_heatmaps (const LabHeavy *hv,
                   GString        *out)
{
  g_string_append_printf (out, _("One heatmap per weight matrix, %u in all: "), hv->n_layers);
  for (guint l = 0; l < hv->n_layers; l++)
    {
      const LabHeavyLayer *layer = lab_heavy_layer (hv, l);

      g_string_append_printf (out, _("%s%s %zu×%zu, %.0f %% pruned"),
                              l > 0 ? "; " : "", layer->name, layer->rows, layer->cols,
                              100 * layer->sparsity);
    }
  g_string_append_c (out, '.');
}

/* The first layer's pruned share, and how many input pixels no kept weight reads any more (an
 * input belongs to pixel c mod w·h, as the view counts it). */
static void
describe_pixels (const LabHeavy *hv,
                 GString        *out)
{
  const LabHeavyLayer *layer = lab_heavy_layer (hv, 0);
  LabView mv = lab_heavy_mask (hv, 0);
  gsize n_pix = (gsize) hv->img_w * hv->img_h, n_empty = 0;
  g_autofree gboolean *read = g_new0 (gboolean, n_pix);

  for (gsize r = 0; r < mv.rows; r++)
    for (gsize c = 0; c < mv.cols; c++)
      read[c % n_pix] |= mv.data == NULL || mv.data[r * mv.cols + c] != 0.f;
  for (gsize i = 0; i < n_pix; i++)
    n_empty += !read[i];
  g_string_append_printf (out, _("First-layer weights %s %zu×%zu reading a %u×%u image, %.0f %% "
                                 "pruned: %zu of %zu input pixels have no kept weight left."),
                          layer->name, layer->rows, layer->cols, hv->img_w, hv->img_h,
                          100 * layer->sparsity, n_empty, n_pix);
}

void
lab_weights_describe (const LabHeavy *hv,
                      LabWeightsMode  mode,
                      GString        *out)
{
  g_return_if_fail (hv != NULL && hv->n_layers > 0);
  g_return_if_fail (out != NULL);

  /* a pruned copy from a sweep or a lottery round says what it is first */
  if (hv->caption[0] != '\0')
    g_string_append_printf (out, _("Showing %s. "), hv->caption);
  if (mode == LAB_WEIGHTS_MODE_PIXELS)
    describe_pixels (hv, out);
  else
    describe_heatmaps (hv, out);
}
