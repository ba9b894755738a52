/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-boundary-plot.h: the decision boundary of a 2-D dataset: the model's predicted
 * class over the plane (lighter where it is less confident) with the training points on top,
 * each class in its colour from lab_palette_class_color().
 */
#pragma once

#include <gtk/gtk.h>

#include "lab-plot.h"

G_BEGIN_DECLS

#define LAB_TYPE_BOUNDARY_PLOT (lab_boundary_plot_get_type ())
G_DECLARE_FINAL_TYPE (LabBoundaryPlot, lab_boundary_plot, LAB, BOUNDARY_PLOT, LabPlot)

GtkWidget    *lab_boundary_plot_new         (void);
/* Draw the training points (default TRUE). */
void          lab_boundary_plot_set_show_points (LabBoundaryPlot *self,
                                                 gboolean         show);
gboolean      lab_boundary_plot_get_show_points (LabBoundaryPlot *self);

/* Widget coordinates of the plane point (x1, x2) in the last layout; FALSE if nothing is drawn. */
gboolean      lab_boundary_plot_to_widget   (LabBoundaryPlot *self,
                                             double           x1,
                                             double           x2,
                                             double          *wx,
                                             double          *wy);

G_END_DECLS
