/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-flow-bars.h: which layers stand in which bar of a per-layer bar plot (gradient flow,
 * sparsity). One bar per shown layer while they fit; beyond, the first and the last layer keep
 * a bar each and the layers between share bars - a group of a watched model per bar where the
 * groups fit, else runs of equal length - each as tall as the mean of its layers' values
 * (geometric for norms spanning decades, arithmetic for fractions), its whisker over all of
 * their values.
 */
#pragma once

#include <gtk/gtk.h>

#include "lab-layer-selection.h"
#include "lab-plot-bars.h"

G_BEGIN_DECLS

typedef struct
{
  guint  first, last;   /* the network's layers it stands for (shown ones between them) */
  guint  n;             /* shown layers in it */
  guint  group;         /* the group it stands for, G_MAXUINT when it is not one */
  double value;         /* the layer's value, or the geometric mean of its layers' */
  double lo, hi;        /* whisker: every value of its layers over the last steps */
} LabFlowBar;

typedef enum
{
  LAB_FLOW_BARS_GEOMETRIC,    /* norms: a bar of several stands at their geometric mean */
  LAB_FLOW_BARS_ARITHMETIC,   /* fractions (sparsity), where 0 is a value like any other */
} LabFlowBarsMean;

/* The bars (LabFlowBar) of @n_shown layers @shown, at most @max_bars (≥ 3), into @bars, from
 * every layer's @value and whisker @lo … @hi (indexed by layer); @sel (may be NULL) gives the
 * groups. */
void lab_flow_bars_layout (GArray            *bars,
                           const guint       *shown,
                           guint              n_shown,
                           guint              max_bars,
                           LabFlowBarsMean    mean,
                           const double      *value,
                           const double      *lo,
                           const double      *hi,
                           LabLayerSelection *sel);
/* The same for the layers @sel shows of a network of @n_layers, or all of them when @sel is
 * NULL. */
void lab_flow_bars_layout_shown (GArray            *bars,
                                 LabLayerSelection *sel,
                                 guint              n_layers,
                                 guint              max_bars,
                                 LabFlowBarsMean    mean,
                                 const double      *value,
                                 const double      *lo,
                                 const double      *hi);
/* What a bar is called: "L5", "layer1.0.conv1", "layer3" (a group), "L5–L12" (a run). */
void lab_flow_bars_name   (const LabFlowBar  *bar,
                           LabLayerSelection *sel,
                           char              *buf,
                           gsize              len);
/* The names under @bars laid out by @layout: each bar's, or each group's under its bars when
 * the names are a watched model's groups, as many as fit. */
void lab_flow_bars_draw_labels (GtkSnapshot        *snapshot,
                                GtkWidget          *plot,
                                const LabPlotStyle *s,
                                const LabPlotBars  *layout,
                                GArray             *bars,
                                LabLayerSelection  *sel);

G_END_DECLS
