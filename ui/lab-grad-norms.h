/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-grad-norms.h: the two per-layer gradient norms the gradient plots show (over time, and
 * across depth): the weight-gradient norm ‖∂L/∂W_l‖, or the back-propagated error ‖δ_l‖
 * reaching the layer (@delta TRUE). What they read from the history, how they name the
 * layers and how their legend lists them, said once.
 */
#pragma once

#include "lab-history.h"
#include "lab-plot.h"
#include "lab-plot-legend.h"

G_BEGIN_DECLS

LabHistoryMetric lab_grad_norms_metric        (gboolean  delta);
/* "‖∂L/∂W‖" or "‖δ‖". */
const char      *lab_grad_norms_symbol        (gboolean  delta);
/* The y axis' title: "‖∂L/∂W‖ (log scale)". */
const char      *lab_grad_norms_axis_title    (gboolean  delta);
/* The name of layer @l of @n as @sel (may be NULL) names it: "L1 (input)", "L2", …,
 * "L4 (output)", or a watched model's "conv1 (input)", "layer1.0.conv1", "fc (output)". */
void             lab_grad_norms_layer_name    (LabLayerSelection *sel,
                                               guint     l,
                                               guint     n,
                                               char     *buf,
                                               gsize     len);
/* The legend of the @n_shown layers @shown of @n_layers: each one ("L1 (input)" … as always
 * for a few), else each group of layers with its shades (the first 11, then how many more),
 * else one entry for the colour ramp from the first layer to the last. Returns how many items
 * it put in @items (a new array); their names are kept in @names (of g_free()d strings). */
guint            lab_grad_norms_legend        (LabLayerSelection  *sel,
                                               const guint        *shown,
                                               guint               n_shown,
                                               guint               n_layers,
                                               LabPlotLegendItem **items,
                                               GPtrArray          *names);
/* An empty gradient plot's message (see LabPlotClass.get_empty_message): no rows yet
 * (@have_rows FALSE), or rows but no finite positive norm in @extent to put on a log axis. */
gboolean         lab_grad_norms_empty_message (LabPlot          *plot,
                                               gboolean          have_rows,
                                               const LabExtent  *extent,
                                               char             *buf,
                                               gsize             len);

G_END_DECLS
