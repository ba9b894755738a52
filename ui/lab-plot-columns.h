/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-plot-columns.h: a series mapped to pixels. Each point becomes a column at its pixel x
 * holding the pixel y of its line and of its envelope; when the points outnumber the data
 * area's pixel columns they are reduced first, one column per pixel holding the min and max of
 * the envelope and the mean of the line. Both the Cairo paths (lab-plot-series.c) and the
 * coverage masks (lab-coverage.c) draw from these columns.
 */
#pragma once

#include <gtk/gtk.h>

#include "lab-plot-series.h"
#include "lab-scale.h"

G_BEGIN_DECLS

typedef struct
{
  double x;      /* pixel x of the column */
  double lo;     /* pixel y of min (bottom) */
  double hi;     /* pixel y of max (top) */
  double sum;    /* sum of pixel y of the line */
  guint  n;      /* points summed; 0: an empty column, which breaks the line */
  guint  pad;
} LabPlotColumn;

/* Maps @points to pixels of the data rectangle @d into @cols (a GArray of LabPlotColumn, its
 * length set to the columns made); TRUE when they were reduced to one column per pixel. */
gboolean lab_plot_columns_map      (GArray                *cols,
                                    const graphene_rect_t *d,
                                    const LabScale        *xs,
                                    const LabScale        *ys,
                                    const LabPlotPoint    *points,
                                    guint                  n_points);
/* The next run of filled columns at or after *@i: columns [*@start, *@end), with *@i moved
 * past it; FALSE when none is left. An empty column breaks the envelope, so it is drawn run by
 * run, the same way by the path and by the mask. */
gboolean lab_plot_columns_next_run (const LabPlotColumn   *cols,
                                    guint                  n,
                                    guint                 *i,
                                    guint                 *start,
                                    guint                 *end);

G_END_DECLS
