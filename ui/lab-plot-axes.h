/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-plot-axes.h: drawing the axes of a plot's data area: the frame, grid lines, tick marks
 * and labels on the left and bottom (and on the right for a second y scale), and the axis
 * titles, the y ones turned on their side. The numbers come from LabScale (lab-scale.h); which
 * range an axis spans is LabAxis' job (lab-axis.h).
 */
#pragma once

#include <gtk/gtk.h>

#include "lab-plot-area.h"
#include "lab-plot-style.h"
#include "lab-scale.h"

G_BEGIN_DECLS

/* Frame, grid, tick labels and axis titles of @plot (a LabPlot). @xs may be NULL (no x axis:
 * category bars label their own), @y2 may be NULL (no right axis); so may any title. */
void lab_plot_draw_axes (GtkSnapshot        *snapshot,
                         GtkWidget          *plot,
                         const LabPlotStyle *s,
                         const LabPlotArea  *area,
                         const LabScale     *xs,
                         const char         *x_title,
                         const LabScale     *ys,
                         const char         *y_title,
                         const LabScale     *y2,
                         const char         *y2_title);

G_END_DECLS
