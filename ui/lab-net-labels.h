/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-net-labels.h: the texts of the network view's columns and layers: each column's name and
 * note above it ("Hidden 3", "top 22 of 300 by |δ|"), its "+N more" marker, each weight layer's
 * note under the gap between its columns ("W3 · 90 % pruned", how its connections are drawn),
 * and the skips' "+ skip". Ten hidden layers in a narrow view (presenter mode beside a lesson)
 * leave a column little room: a row of texts then takes the shorter forms ("H3", "22 of 300",
 * "+32", "W3"), layer notes alternate between two lines, and what still does not fit is left
 * out, the first and the last always kept. No two overprint.
 */
#pragma once

#include <gtk/gtk.h>

#include "lab-net-graph.h"
#include "lab-plot.h"

G_BEGIN_DECLS

void lab_net_labels_draw (LabPlot            *plot,
                          GtkSnapshot        *snapshot,
                          const LabPlotStyle *s,
                          const LabNetGraph  *graph,
                          const LabHeavy     *heavy);

G_END_DECLS
