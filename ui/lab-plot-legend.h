/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-plot-legend.h: legends: a box of swatches and names inside the data area (wrapped into
 * columns when there are many), beside it on the right, or one row on the title line. Where a
 * legend takes room from the data area, the reserve functions make that room before the axes
 * are drawn.
 */
#pragma once

#include <gtk/gtk.h>

#include "lab-plot-area.h"
#include "lab-plot-style.h"

G_BEGIN_DECLS

typedef enum
{
  LAB_PLOT_LEGEND_TOP_RIGHT,   /* inside the data area */
  LAB_PLOT_LEGEND_TOP_LEFT,
  LAB_PLOT_LEGEND_BOTTOM_RIGHT,
  LAB_PLOT_LEGEND_BOTTOM_LEFT,
  LAB_PLOT_LEGEND_TITLE_LINE,  /* one row at the top: lab_plot_area_reserve_title_legend() */
  LAB_PLOT_LEGEND_OUTSIDE_RIGHT, /* right of the data area: call lab_plot_area_reserve_legend() */
} LabPlotLegendPos;

typedef enum
{
  LAB_PLOT_SWATCH_BOX,
  LAB_PLOT_SWATCH_LINE,
  LAB_PLOT_SWATCH_MARKER,      /* line with a dot */
  LAB_PLOT_SWATCH_DASH,
  LAB_PLOT_SWATCH_SHADES,      /* the colour from dark to light: a group of layers shaded by
                                * depth (lab_palette_shade()) */
  LAB_PLOT_SWATCH_LAYERS,      /* the layer palette from input to output (colour unused): lines
                                * coloured by depth, too many to list */
} LabPlotSwatch;

typedef struct
{
  const char    *name;
  GdkRGBA        color;
  LabPlotSwatch  swatch;
} LabPlotLegendItem;

/* Shrinks area->data from the right to make room for an OUTSIDE_RIGHT legend of these items,
 * if the data area stays at least 60 % of the width; returns FALSE (area unchanged) otherwise,
 * then draw the legend inside (e.g. TOP_RIGHT). */
gboolean lab_plot_area_reserve_legend       (LabPlotArea             *area,
                                             GtkWidget               *plot,
                                             const LabPlotStyle      *s,
                                             const LabPlotLegendItem *items,
                                             guint                    n_items);
/* Finds a TITLE_LINE legend its row: right-aligned on the title line beside @title if it fits,
 * else a row of its own under the title (area->data moves down by a line). FALSE when even that
 * is too narrow: the legend then draws inside, top right. Call before drawing the axes. */
gboolean lab_plot_area_reserve_title_legend (LabPlotArea             *area,
                                             GtkWidget               *plot,
                                             const LabPlotStyle      *s,
                                             const char              *title,
                                             const LabPlotLegendItem *items,
                                             guint                    n_items);
/* The legend of @plot (a LabPlot) at @pos. */
void     lab_plot_draw_legend               (GtkSnapshot             *snapshot,
                                             GtkWidget               *plot,
                                             const LabPlotStyle      *s,
                                             const LabPlotArea       *area,
                                             const LabPlotLegendItem *items,
                                             guint                    n_items,
                                             LabPlotLegendPos         pos);

G_END_DECLS
