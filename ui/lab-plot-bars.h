/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-plot-bars.h: the layout of one bar per network layer across a plot's data area, input on
 * the left (gradient flow, sparsity): the slot and bar widths, which bars get an "L1 … Ln"
 * label under them when there are too many to label all, and the "layer (input → output)"
 * title below.
 */
#pragma once

#include <gtk/gtk.h>

#include "lab-plot-style.h"

G_BEGIN_DECLS

typedef struct
{
  graphene_rect_t data;         /* the data area the bars stand in */
  guint           n;            /* bars */
  double          slot;         /* width of each bar's slot */
  double          bar_w;        /* width of a bar */
  double          label_w;      /* width of the widest label, "L33" */
  guint           label_every;  /* every label_every-th bar is labelled (and the last) */
} LabPlotBars;

#define LAB_PLOT_BARS_LABEL_REL 0.9
/* The least width of a bar, times the style's font scale: narrower ones are slivers. */
#define LAB_PLOT_BARS_MIN_WIDTH 6.0

void     lab_plot_bars_init        (LabPlotBars           *bars,
                                    GtkWidget             *plot,
                                    const LabPlotStyle    *s,
                                    const graphene_rect_t *data,
                                    guint                  n);
/* How many bars of at least LAB_PLOT_BARS_MIN_WIDTH fit across @width. */
guint    lab_plot_bars_max         (const LabPlotStyle    *s,
                                    double                 width);
/* The x of the middle of bar @l. */
double   lab_plot_bars_center      (const LabPlotBars     *bars,
                                    guint                  l);
/* The bar under widget x @x, or -1. */
int      lab_plot_bars_at          (const LabPlotBars     *bars,
                                    double                 x);
/* Whether bar @l gets a label: every label_every-th, and always the last (never crowding it). */
gboolean lab_plot_bars_is_labelled (const LabPlotBars     *bars,
                                    guint                  l);
/* "L@l+1" under bar @l. */
void     lab_plot_bars_draw_label  (GtkSnapshot           *snapshot,
                                    GtkWidget             *plot,
                                    const LabPlotStyle    *s,
                                    const LabPlotBars     *bars,
                                    guint                  l);
/* @n labels under the bars, label i centred under bars first[i] … last[i] (one bar: equal), as
 * many as fit without touching (lab_plot_thin_labels()): the first and the last always. */
void     lab_plot_bars_draw_spans  (GtkSnapshot           *snapshot,
                                    GtkWidget             *plot,
                                    const LabPlotStyle    *s,
                                    const LabPlotBars     *bars,
                                    const char * const    *labels,
                                    const guint           *first,
                                    const guint           *last,
                                    guint                  n);
/* "layer (input → output)" centred under the bars, its bottom at @bottom: the direction of the
 * backward pass matters for reading the picture. */
void     lab_plot_bars_draw_title  (GtkSnapshot           *snapshot,
                                    GtkWidget             *plot,
                                    const LabPlotStyle    *s,
                                    const LabPlotBars     *bars,
                                    double                 bottom);

G_END_DECLS
