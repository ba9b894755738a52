/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-plot-tooltip.h: the hover box of a plot: a few lines of text (plain or Pango markup) in a
 * rounded box beside the point they describe, kept inside the widget, with an optional dot in
 * the series' colour marking the point. LabPlot draws it from a subclass's get_hover_text.
 */
#pragma once

#include <gtk/gtk.h>

#include "lab-plot-area.h"
#include "lab-plot-style.h"

G_BEGIN_DECLS

/* Where a tooltip points and how its text reads. */
typedef struct
{
  double   x;          /* the point described, widget coordinates (the pointer by default) */
  double   y;
  gboolean markup;     /* the text is Pango markup */
  gboolean dot;        /* mark the point with a dot of dot_color */
  GdkRGBA  dot_color;
} LabPlotTooltip;

void lab_plot_draw_tooltip (GtkSnapshot          *snapshot,
                            GtkWidget            *plot,
                            const LabPlotStyle   *s,
                            const LabPlotArea    *area,
                            const LabPlotTooltip *tip,
                            const char           *text);

G_END_DECLS
