/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-plot-area.h: LabPlotArea, where the parts of a plot go: the title line on top, tick labels
 * and axis titles on the left and at the bottom (and on the right for a second y axis), and the
 * data rectangle inside; and the mapping of data values to widget coordinates inside it.
 */
#pragma once

#include <gtk/gtk.h>

#include "lab-plot-style.h"
#include "lab-scale.h"

G_BEGIN_DECLS

typedef enum
{
  LAB_PLOT_AREA_RIGHT_AXIS = 1 << 0,  /* leave room for a second y axis on the right */
  LAB_PLOT_AREA_NO_X_AXIS  = 1 << 1,  /* no x tick labels/title (category bars draw their own) */
} LabPlotAreaFlags;

/* Where things go, in widget coordinates. */
typedef struct
{
  double          width;     /* the whole widget */
  double          height;
  graphene_rect_t data;      /* the data rectangle inside the frame */
  double          title_y;   /* baseline area of the title (top of the title line) */
  double          x_title_y; /* bottom of the x-axis title: below the ticks under data */
  double          legend_x;  /* a TITLE_LINE legend's row (lab_plot_area_reserve_title_legend), */
  double          legend_y;  /* on the title line or just under it; legend_y < 0 = none */
} LabPlotArea;

/* Lays out the margins for a plot (a LabPlot: its text is measured) of @width × @height. */
void     lab_plot_area_init     (LabPlotArea        *area,
                                 GtkWidget          *plot,
                                 const LabPlotStyle *s,
                                 int                 width,
                                 int                 height,
                                 LabPlotAreaFlags    flags);
/* Data → widget coordinates (NAN when unmappable). */
double   lab_plot_area_x        (const LabPlotArea  *area,
                                 const LabScale     *xs,
                                 double              v);
double   lab_plot_area_y        (const LabPlotArea  *area,
                                 const LabScale     *ys,
                                 double              v);
gboolean lab_plot_area_contains (const LabPlotArea  *area,
                                 double              x,
                                 double              y);

G_END_DECLS
