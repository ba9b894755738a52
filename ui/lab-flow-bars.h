/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-flow-bars.h: which layers of the gradient flow plot (lab-flow-plot.h) stand in which
 * bar. One bar per shown layer while they fit; beyond, the first and the last layer keep a bar
 * each and the layers between share bars - a group of a watched model per bar where the groups
 * fit, else runs of equal length - each as tall as the geometric mean of its layers' values,
 * its whisker over all of their last values.
 */
#pragma once

#include "lab-layer-selection.h"

G_BEGIN_DECLS

typedef struct
{
  guint  first, last;   /* the network's layers it stands for (shown ones between them) */
  guint  n;             /* shown layers in it */
  guint  group;         /* the group it stands for, G_MAXUINT when it is not one */
  double value;         /* the layer's value, or the geometric mean of its layers' */
  double lo, hi;        /* whisker: every value of its layers over the last steps */
} LabFlowBar;

/* The bars (LabFlowBar) of @n_shown layers @shown, at most @max_bars (≥ 3), into @bars, from
 * every layer's @value and whisker @lo … @hi (indexed by layer); @sel (may be NULL) gives the
 * groups. */
void lab_flow_bars_layout (GArray            *bars,
                           const guint       *shown,
                           guint              n_shown,
                           guint              max_bars,
                           const double      *value,
                           const double      *lo,
                           const double      *hi,
                           LabLayerSelection *sel);
/* What a bar is called: "L5", "layer1.0.conv1", "layer3" (a group), "L5–L12" (a run). */
void lab_flow_bars_name   (const LabFlowBar  *bar,
                           LabLayerSelection *sel,
                           char              *buf,
                           gsize              len);

G_END_DECLS
