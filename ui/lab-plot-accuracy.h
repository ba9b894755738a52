/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-plot-accuracy.h: test accuracy against sparsity, as the pruning experiments show it (the
 * sweep's curves in lab-sparsity-plot.c, the lottery's ticket and control in
 * lab-lottery-plot.c): both axes in %, one line with markers per curve, the unpruned network's
 * accuracy as a dashed reference line, a legend; and the same read out in words for screen
 * readers.
 */
#pragma once

#include <gtk/gtk.h>

#include "lab-plot-area.h"
#include "lab-plot-series.h"
#include "lab-plot-style.h"
#include "lab-scale.h"

G_BEGIN_DECLS

typedef struct
{
  const char         *name;
  const LabPlotPoint *points;    /* (n_points) x = sparsity in %, y = test accuracy in %, by x */
  guint               n_points;
  GdkRGBA             color;
} LabAccuracyCurve;

/* The panel in @area (laid out, its title drawn): axes (x 0–100 % of weights pruned, y around
 * the curves and @dense), the curves, @dense (in %; NaN: none) as a dashed line, the legend
 * (beside the data when @area is wide enough: its data rectangle then narrows). The scales it
 * drew on go to @xs and @ys (either may be NULL). */
void lab_plot_draw_accuracy     (GtkSnapshot            *snapshot,
                                 GtkWidget              *plot,
                                 const LabPlotStyle     *s,
                                 LabPlotCanvas          *canvas,
                                 LabPlotArea            *area,
                                 const LabAccuracyCurve *curves,
                                 guint                   n_curves,
                                 double                  dense,
                                 LabScale               *xs,
                                 LabScale               *ys);
/* Appends each curve's accuracy at its highest sparsity and the dense accuracy, e.g.
 * "magnitude keeps 88.0 % at 90 % sparsity, random 79.0 %; dense 87.5 %". */
void lab_plot_describe_accuracy (GString                *out,
                                 const LabAccuracyCurve *curves,
                                 guint                   n_curves,
                                 double                  dense);

G_END_DECLS
