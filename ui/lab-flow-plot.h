/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-flow-plot.h: gradient flow across depth. At the last step, one bar per layer from
 * input (left) to output (right) on a log scale, with a min–max whisker over the last ~50 steps,
 * and the first/last layer ratio printed large: vanishing gradients at a glance. The bars and
 * whiskers go on its y axis (lab_plot_get_y_axis()): share it to compare two runs.
 */
#pragma once

#include <gtk/gtk.h>

#include "lab-plot.h"

G_BEGIN_DECLS

#define LAB_TYPE_FLOW_PLOT (lab_flow_plot_get_type ())
G_DECLARE_FINAL_TYPE (LabFlowPlot, lab_flow_plot, LAB, FLOW_PLOT, LabPlot)

GtkWidget    *lab_flow_plot_new       (void);
/* FALSE: ‖∂L/∂W_l‖; TRUE: back-propagated ‖δ_l‖. */
void          lab_flow_plot_set_delta (LabFlowPlot  *self,
                                       gboolean      delta);
gboolean      lab_flow_plot_get_delta (LabFlowPlot  *self);
/* value(first layer) / value(last layer) at the last step, as printed; NAN without data. */
double        lab_flow_plot_get_ratio (LabFlowPlot  *self);
/* The printed ratio text, e.g. "first/last layer ratio: 3.2×10⁻⁵" (NULL without data). */
const char   *lab_flow_plot_get_ratio_text (LabFlowPlot *self);
/* The value of layer @layer's bar (NAN if none). */
double        lab_flow_plot_get_value (LabFlowPlot  *self,
                                       guint         layer);

G_END_DECLS
