/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-flow-plot.h: gradient flow across depth. At the last step, one bar per layer from
 * input (left) to output (right) on a log scale, with a min–max whisker over the last ~50 steps,
 * and the first/last layer ratio printed large: vanishing gradients at a glance. The bars and
 * whiskers go on its y axis (lab_plot_get_y_axis()): share it to compare two runs.
 *
 * It shows the layers of the model's selection (lab-layer-selection.h). When more are shown
 * than fit as bars LAB_PLOT_BARS_MIN_WIDTH wide, neighbouring layers share a bar (a group of a
 * watched model where the groups fit, else runs of equal length): its height is their geometric
 * mean and its whisker spans all of their values over the last ~50 steps; the first and the last
 * layer keep a bar of their own. Under the bars, as many labels as fit without touching.
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
/* The value of layer @layer (NAN if none), shown or not. */
double        lab_flow_plot_get_value (LabFlowPlot  *self,
                                       guint         layer);
/* The bars of the last frame: how many, and bar @i's rectangle (widget coordinates, from its top
 * to the axis; its height 0 when its value is not on the axis) and the first and last layer it
 * stands for. For tests and hover. */
guint         lab_flow_plot_get_n_bars (LabFlowPlot *self);
gboolean      lab_flow_plot_get_bar    (LabFlowPlot     *self,
                                        guint            i,
                                        graphene_rect_t *rect,
                                        guint           *first,
                                        guint           *last);

G_END_DECLS
