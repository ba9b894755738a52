/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-loss-plot.h: loss and accuracy over steps. Train loss (history, with its min–max
 * envelope) and test loss (evaluations, markers) on the left axis, linear or log ("log-scale");
 * train and test accuracy in % on the right axis. Steps go on its x axis, losses on its y axis
 * (lab_plot_get_x_axis(), lab_plot_get_y_axis()); "log-scale" is that y axis' "log", so two
 * plots sharing it switch together.
 */
#pragma once

#include <gtk/gtk.h>

#include "lab-plot.h"

G_BEGIN_DECLS

#define LAB_TYPE_LOSS_PLOT (lab_loss_plot_get_type ())
G_DECLARE_FINAL_TYPE (LabLossPlot, lab_loss_plot, LAB, LOSS_PLOT, LabPlot)

GtkWidget    *lab_loss_plot_new           (void);
void          lab_loss_plot_set_log_scale (LabLossPlot  *self,
                                           gboolean      log_scale);
gboolean      lab_loss_plot_get_log_scale (LabLossPlot  *self);
/* Widget y of the train loss line at its last point in the last drawn frame (NAN if none). */
double        lab_loss_plot_get_last_loss_y (LabLossPlot *self);

G_END_DECLS
