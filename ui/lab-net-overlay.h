/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-net-overlay.h: what the network view draws over its picture every frame besides the
 * columns' and layers' texts (lab-net-labels.h): the legend with its colour bar, the hover
 * highlight and its text, the backward pulse and the enlarged thumbnail. (The hover's words
 * are lab-net-hover.c's.)
 */
#pragma once

#include <gtk/gtk.h>

#include "lab-net-graph.h"
#include "lab-plot.h"

G_BEGIN_DECLS

/* The height the legend takes at the bottom for text lines of @line_h. */
double  lab_net_overlay_legend_height (double              line_h);
/* What the colours mean, the colour bar of a log scale, and the graph's summary, above
 * @height. */
void    lab_net_overlay_draw_legend   (LabPlot            *plot,
                                       GtkSnapshot        *snapshot,
                                       const LabPlotStyle *s,
                                       const LabNetGraph  *graph,
                                       const LabHeavy     *heavy,
                                       double              height);
/* The backward pulse at @progress (0 … 1) from the output to the input, each layer as bright
 * as its ‖δ_l‖ in @row (the last step's row; nothing without one). */
void    lab_net_overlay_draw_pulse    (LabPlot            *plot,
                                       GtkSnapshot        *snapshot,
                                       const LabPlotStyle *s,
                                       const LabNetGraph  *graph,
                                       const LabStepStats *row,
                                       double              progress);
/* The unit or connection under (@x, @y) outlined. */
void    lab_net_overlay_draw_hover    (LabPlot            *plot,
                                       GtkSnapshot        *snapshot,
                                       const LabPlotStyle *s,
                                       const LabNetGraph  *graph,
                                       double              x,
                                       double              y);
/* Neuron @index's thumbnail, large, on a card over the net. */
void    lab_net_overlay_draw_enlarged (LabPlot            *plot,
                                       GtkSnapshot        *snapshot,
                                       const LabPlotStyle *s,
                                       const LabNetGraph  *graph,
                                       int                 index,
                                       const LabHeavy     *heavy,
                                       const GdkRGBA      *pruned);

G_END_DECLS
