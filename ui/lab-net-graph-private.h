/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-net-graph-private.h: what the two halves of the network view's model share:
 * lab-net-graph.c (columns, units, layout, colour scale, hit tests, description) and
 * lab-net-edges.c (connections, bundles, skips, fading).
 */
#pragma once

#include "lab-net-graph.h"

G_BEGIN_DECLS

/* The grey of what carries no colour (bundles, units and lines under another colouring). */
static inline void
_lab_net_neutral (float rgb[3])
{
  rgb[0] = 0.45f;
  rgb[1] = 0.48f;
  rgb[2] = 0.53f;
}

/* Adds the connections of every layer and the skips to @graph, whose columns and neurons are
 * laid out. */
void   _lab_net_graph_add_edges (LabNetGraph    *graph,
                                 const LabHeavy *heavy,
                                 const LabHeavy *before);
/* Position of @value on the graph's log colour scale, 0 … 1 (0 for 0, NAN for NAN). */
double _lab_net_graph_scale_t   (const LabNetGraph *graph,
                                 double             value);

G_END_DECLS
