/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-plot-text.h: the text of a plot: labels measured and drawn through the plot's layout
 * cache (lab_plot_get_layout()), the title line, and the centred message of an empty plot. Sizes
 * are relative to the widget's font (1.0 = body, LAB_PLOT_TICK_REL = ticks) times the style's
 * font scale, and never below 11 px.
 */
#pragma once

#include <gtk/gtk.h>

#include "lab-plot-area.h"
#include "lab-plot-style.h"

G_BEGIN_DECLS

/* A new layout in the widget's font scaled by @rel × s->font_scale, for text that is
 * ellipsized or wrapped (not cached). */
PangoLayout *lab_plot_layout_new     (GtkWidget          *widget,
                                      const LabPlotStyle *s,
                                      const char         *text,
                                      double              rel,
                                      gboolean            bold);
/* Draws @layout with its top left at (@x, @y), rounded to whole pixels. */
void         lab_plot_append_layout  (GtkSnapshot        *snapshot,
                                      PangoLayout        *layout,
                                      const GdkRGBA      *color,
                                      double              x,
                                      double              y);
/* Logical size of @text in @plot (a LabPlot) without drawing it. */
void         lab_plot_text_size      (GtkWidget          *plot,
                                      const LabPlotStyle *s,
                                      const char         *text,
                                      double              rel,
                                      gboolean            bold,
                                      double             *w,
                                      double             *h);
/* The height of a line of text of @rel in @plot. */
double       lab_plot_line_height    (GtkWidget          *plot,
                                      const LabPlotStyle *s,
                                      double              rel);
/* The logical width of @text in @plot: lab_plot_text_size()'s @w. */
double       lab_plot_text_width     (GtkWidget          *plot,
                                      const LabPlotStyle *s,
                                      const char         *text,
                                      double              rel,
                                      gboolean            bold);
/* Draws @text with its box anchored at (@x, @y): @xalign/@yalign 0 = left/top, 0.5 = centre,
 * 1 = right/bottom. Returns the text's logical size in @w/@h if non-NULL. */
void         lab_plot_draw_text      (GtkSnapshot        *snapshot,
                                      GtkWidget          *plot,
                                      const LabPlotStyle *s,
                                      const char         *text,
                                      double              rel,
                                      gboolean            bold,
                                      const GdkRGBA      *color,
                                      double              x,
                                      double              y,
                                      double              xalign,
                                      double              yalign,
                                      double             *w,
                                      double             *h);
/* Which of @n labels in a row to draw so that none touches another: label i spans
 * [left[i], right[i]], left to right; the first is kept, then each that starts @gap past the
 * last kept one; the last is kept too, in place of the one before it if they touch. */
void         lab_plot_thin_labels    (const double       *left,
                                      const double       *right,
                                      guint               n,
                                      double              gap,
                                      gboolean           *keep);
/* @text cut in the middle with "…" to be at most @max_w wide in @widget's font
 * ("encoder.…mlp.fc2"): a new string. Shapes it a few times: plots call lab_plot_fit_text(),
 * which remembers. */
char        *lab_plot_cut_text       (GtkWidget          *widget,
                                      const LabPlotStyle *s,
                                      const char         *text,
                                      double              rel,
                                      gboolean            bold,
                                      double              max_w);
/* Title at the top left (bold), ellipsized to the width; @subtitle (may be NULL) follows it in
 * the muted colour when it fits. */
void         lab_plot_draw_title     (GtkSnapshot        *snapshot,
                                      GtkWidget          *plot,
                                      const LabPlotStyle *s,
                                      const LabPlotArea  *area,
                                      const char         *title,
                                      const char         *subtitle);
/* A muted message ("No data yet: press Play") centred on the data area, wrapped when it is
 * wider. */
void         lab_plot_draw_message   (GtkSnapshot        *snapshot,
                                      GtkWidget          *plot,
                                      const LabPlotStyle *s,
                                      const LabPlotArea  *area,
                                      const char         *message);

G_END_DECLS
