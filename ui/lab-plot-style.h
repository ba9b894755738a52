/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-plot-style.h: how a plot looks this frame, so that all plots look the same and stay
 * readable on a projector: colours from the widget's CSS, the font and line scale, the
 * "presenter" class (high contrast, large type) and the "export" class (vector output) on an
 * ancestor, and the spacing and text sizes every plot is laid out with.
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

typedef struct
{
  GdkRGBA  fg;          /* text, frame: the widget's CSS `color` */
  GdkRGBA  muted;       /* tick labels, secondary text */
  GdkRGBA  grid;        /* grid lines */
  GdkRGBA  background;  /* the card behind the plot (theme view background) */
  GdkRGBA  accent;      /* a highlight (theme accent colour) */
  GdkRGBA  tooltip_bg;  /* hover box */
  gboolean dark;        /* fg is light, i.e. a dark theme */
  gboolean presenter;   /* an ancestor has the CSS class "presenter" */
  double   font_scale;  /* 1.0, or 1.6 in presenter mode */
  double   line_width;  /* data lines in px: 1.5, or 3.0 in presenter mode */
  int      scale;       /* device pixels per logical pixel: the widget's scale factor */
  gboolean vector;      /* an ancestor has the CSS class "export": drawing for SVG/PDF/PNG
                         * export at any scale, so nothing is pre-rasterised */
} LabPlotStyle;

/* The spacing unit of every plot layout, in logical pixels. */
#define LAB_PLOT_PAD        8.0
/* Text sizes relative to the body font (lab-plot-text.h): titles, tick labels, axis titles. */
#define LAB_PLOT_TITLE_REL  1.05
#define LAB_PLOT_TICK_REL   0.9
#define LAB_PLOT_AXIS_REL   0.9

/* Fills @s from @widget's style context; checks @widget and its ancestors for "presenter"
 * and "export". */
void lab_plot_style_init (GtkWidget    *widget,
                          LabPlotStyle *s);

G_END_DECLS
