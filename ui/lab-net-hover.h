/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-net-hover.h: the words of the network view's tooltip: for a unit its layer, index,
 * output, back-propagated |δ| and how many of its weights are kept; for a connection its weight,
 * gradient and ends; for a bundle what it aggregates; for an input pixel its value and kept
 * outgoing weights.
 */
#pragma once

#include <gtk/gtk.h>

#include "lab-net-graph.h"
#include "lab-plot-tooltip.h"

G_BEGIN_DECLS

/* The tooltip (Pango markup) for what is at (tip->x, tip->y), pointing @tip at it; NULL when
 * nothing is there. */
char *lab_net_hover_text (const LabNetGraph *graph,
                          const LabHeavy    *heavy,
                          LabPlotTooltip    *tip);

G_END_DECLS
