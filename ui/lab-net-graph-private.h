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

/* What one pass over a layer's weights gathers, per row (the unit it feeds) and per column
 * (its input), over the kept weights: everything the columns (hollow units, weight norms) and
 * the bundles (counts, sums) need, so no other pass reads the matrix. */
typedef struct
{
  gsize   *row_kept, *col_kept;          /* kept weights */
  gsize   *row_before, *col_before;      /* kept before a pruning being faded (else NULL) */
  double  *row_w, *col_w;                /* Σ w */
  double  *row_sq, *col_sq;              /* Σ w² */
  double  *row_g, *col_g;                /* Σ |∂L/∂w| (when known, else NULL) */
  gsize    kept, before;
  double   w, g, w_max;
} LabNetLayerStats;

/* Layer @l of @before when it has the shape of @heavy's (a pruning to fade), else NULL. */
const LabHeavyLayer *_lab_net_before_layer (const LabHeavy *heavy,
                                            const LabHeavy *before,
                                            guint           l);
/* The stats of @now, with @before (same shape, may be NULL) counted beside. */
void   _lab_net_layer_stats_init  (LabNetLayerStats    *st,
                                   const LabHeavyLayer *now,
                                   const LabHeavyLayer *before);
void   _lab_net_layer_stats_clear (LabNetLayerStats    *st);

/* Adds the connections of every layer and the skips to @graph, whose columns and neurons are
 * laid out; @stats has one entry per layer. */
void   _lab_net_graph_add_edges (LabNetGraph            *graph,
                                 const LabHeavy         *heavy,
                                 const LabHeavy         *before,
                                 const LabNetLayerStats *stats);
/* Position of @value on the graph's log colour scale, 0 … 1 (0 for 0, NAN for NAN). */
double _lab_net_graph_scale_t   (const LabNetGraph *graph,
                                 double             value);

G_END_DECLS
