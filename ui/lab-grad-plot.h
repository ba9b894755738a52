/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-grad-plot.h: gradient norms over time. One line per layer on a log scale, either
 * the weight-gradient norm ‖∂L/∂W_l‖ or the back-propagated error ‖δ_l‖ ("delta"), with an
 * optional EMA ("smoothing") and the min–max envelope of decimated history. Hovering shows the
 * exact value, step and layer of the nearest point. Steps go on its x axis, norms on its y axis
 * (lab_plot_get_x_axis(), lab_plot_get_y_axis()): share both to compare two runs.
 */
#pragma once

#include <gtk/gtk.h>

#include "lab-plot.h"

G_BEGIN_DECLS

#define LAB_TYPE_GRAD_PLOT (lab_grad_plot_get_type ())
G_DECLARE_FINAL_TYPE (LabGradPlot, lab_grad_plot, LAB, GRAD_PLOT, LabPlot)

GtkWidget    *lab_grad_plot_new           (void);
/* FALSE: ‖∂L/∂W_l‖; TRUE: back-propagated ‖δ_l‖. */
void          lab_grad_plot_set_delta     (LabGradPlot  *self,
                                           gboolean      delta);
gboolean      lab_grad_plot_get_delta     (LabGradPlot  *self);
/* EMA factor in [0, 0.99]; 0 = raw. */
void          lab_grad_plot_set_smoothing (LabGradPlot  *self,
                                           double        smoothing);
double        lab_grad_plot_get_smoothing (LabGradPlot  *self);
/* The point nearest to widget coordinates (@x, @y) as of the last drawn frame (what the hover
 * tooltip shows): TRUE and its step, 0-based layer and value (raw, unsmoothed), or FALSE when
 * nothing is within reach. */
gboolean      lab_grad_plot_pick          (LabGradPlot  *self,
                                           double        x,
                                           double        y,
                                           guint64      *step,
                                           guint        *layer,
                                           double       *value);
/* Widget y of layer @layer's line at its last point in the last drawn frame (NAN if none). */
double        lab_grad_plot_get_last_y    (LabGradPlot  *self,
                                           guint         layer);

G_END_DECLS
