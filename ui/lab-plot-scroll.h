/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-plot-scroll.h: a part of a plot that scrolls up and down inside it, when what it shows is
 * taller than the room it has (the activation strips of 120 layers, a grid of 200 heatmaps):
 * the title, the axes and the legend stay; the wheel or the touchpad over the plot scrolls it,
 * and a thin bar just right of it (leave 8 px there) shows where it is and can be
 * dragged. The plot draws its
 * scrolled part itself, at lab_plot_scroll_y() of each content coordinate, and only what
 * shows.
 */
#pragma once

#include <gtk/gtk.h>

#include "lab-plot-style.h"

G_BEGIN_DECLS

typedef struct
{
  GtkWidget       *widget;     /* the plot (unowned: the scroll lives in it) */
  double           offset;     /* content pixels scrolled past the top of the view */
  double           content;    /* height of the scrolled content */
  graphene_rect_t  view;       /* where it shows, widget coordinates */
  double           drag_from;  /* offset when a drag of the bar began */
} LabPlotScroll;

/* Scrolling for @widget: adds its scroll and drag controllers. */
void     lab_plot_scroll_init       (LabPlotScroll         *sc,
                                     GtkWidget             *widget);
/* This frame's view and content height; the offset is kept within them. */
void     lab_plot_scroll_set        (LabPlotScroll         *sc,
                                     const graphene_rect_t *view,
                                     double                 content);
/* TRUE when the content is taller than its view (there is something to scroll). */
gboolean lab_plot_scroll_active     (const LabPlotScroll   *sc);
/* The widget y of content y @y. */
double   lab_plot_scroll_y          (const LabPlotScroll   *sc,
                                     double                 y);
/* Scrolls to @offset (kept within the content) and redraws; TRUE if it moved. */
gboolean lab_plot_scroll_to         (LabPlotScroll         *sc,
                                     double                 offset);
/* The bar just right of the view, when active. */
void     lab_plot_scroll_draw       (const LabPlotScroll   *sc,
                                     GtkSnapshot           *snapshot,
                                     const LabPlotStyle    *s);

G_END_DECLS
