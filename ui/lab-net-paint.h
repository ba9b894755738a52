/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-net-paint.h: the network view's pictures with cairo, from its model (lab-net-graph.h):
 * the connections (lines of like colour and width stroked as one path, so thousands cost a few
 * strokes), the units with their fills or thumbnails, the input image, skip arcs; the
 * connections fading after a pruning; one unit's thumbnail at any size. Text is the view's.
 */
#pragma once

#include <gtk/gtk.h>

#include "lab-net-graph.h"
#include "lab-plot-style.h"

G_BEGIN_DECLS

/* The picture of @graph (of @heavy) but its fading connections: what changes only when the
 * graph does. @pruned is the pruned colour. */
void     lab_net_paint_graph  (cairo_t            *cr,
                               const LabNetGraph  *graph,
                               const LabHeavy     *heavy,
                               const LabPlotStyle *s,
                               const GdkRGBA      *pruned);
/* The connections being faded out, at @opacity (1 → 0 over the fade). */
void     lab_net_paint_fading (cairo_t            *cr,
                               const LabNetGraph  *graph,
                               double              opacity);
/* The picture of @graph (lab_net_paint_graph()), or with @fading of its fading connections at
 * full opacity, rasterised at @scale device pixels per unit over @width × @height, as an image
 * node: frames composite it without drawing it again. */
GskRenderNode *lab_net_paint_picture (const LabNetGraph  *graph,
                                      const LabHeavy     *heavy,
                                      const LabPlotStyle *s,
                                      const GdkRGBA      *pruned,
                                      double              width,
                                      double              height,
                                      int                 scale,
                                      gboolean            fading);
/* Neuron @nn's thumbnail (what it computes) filling the square at (@x, @y) of side @side.
 * FALSE when it has none. */
gboolean lab_net_paint_thumb  (cairo_t            *cr,
                               const LabNetGraph  *graph,
                               const LabNetNeuron *nn,
                               const LabHeavy     *heavy,
                               const GdkRGBA      *pruned,
                               double              x,
                               double              y,
                               double              side);

G_END_DECLS
