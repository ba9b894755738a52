/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-plot-paint.h: the shapes plots fill with render nodes rather than Cairo: rectangles
 * (bars, grid lines, ticks, swatches), rounded boxes (legends, markers) and the subtle card
 * behind a whole plot. Each is one colour node, which GTK draws without rasterising a path.
 */
#pragma once

#include <gtk/gtk.h>

#include "lab-plot-area.h"
#include "lab-plot-style.h"

G_BEGIN_DECLS

/* A filled rectangle; nothing when @w or @h is not positive. */
void lab_plot_fill_rect         (GtkSnapshot        *snapshot,
                                 const GdkRGBA      *color,
                                 double              x,
                                 double              y,
                                 double              w,
                                 double              h);
/* A filled rectangle with corners of radius @r (a circle when 2·r is its side). */
void lab_plot_fill_rounded_rect (GtkSnapshot        *snapshot,
                                 const GdkRGBA      *color,
                                 double              x,
                                 double              y,
                                 double              w,
                                 double              h,
                                 double              r);
/* The card behind the whole plot. */
void lab_plot_draw_background   (GtkSnapshot        *snapshot,
                                 const LabPlotStyle *s,
                                 const LabPlotArea  *area);

G_END_DECLS
