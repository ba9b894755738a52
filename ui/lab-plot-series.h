/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-plot-series.h: lines, envelopes and markers of a plot's data, drawn on a canvas: one
 * Cairo node over the data area, clipped to it, begun after the axes and ended before the
 * legend. The Cairo renderer replays each Cairo node through an image of its own size
 * (cleared, drawn, composited), so one node per plot rather than one per series saves two full
 * passes over the data area per series. (A texture node would be worse in GTK 4.8: it is
 * converted pixel by pixel every frame.)
 *
 * A series is first mapped to pixels, and reduced to one column per pixel when it has more
 * points than the data area has columns (lab-plot-columns.h); on screen its envelope and solid
 * line are then rasterised into coverage masks (lab-coverage.h), in vector export they are
 * Cairo paths.
 */
#pragma once

#include <gtk/gtk.h>

#include "lab-plot-area.h"
#include "lab-plot-style.h"
#include "lab-scale.h"

G_BEGIN_DECLS

/* One data point: a line value @y and an envelope @lo … @hi (set both to @y if none).
 * Points must be sorted by @x. NaN values (and ≤ 0 on a log scale) are skipped, breaking the
 * line. */
typedef struct
{
  double x;
  double lo;
  double y;
  double hi;
} LabPlotPoint;

typedef enum
{
  LAB_PLOT_SERIES_LINE     = 1 << 0,
  LAB_PLOT_SERIES_ENVELOPE = 1 << 1,   /* translucent band lo … hi */
  LAB_PLOT_SERIES_MARKERS  = 1 << 2,   /* a dot at each point (when not reduced) */
  LAB_PLOT_SERIES_DASHED   = 1 << 3,
} LabPlotSeriesFlags;

typedef struct _LabPlotCanvas LabPlotCanvas;

/* A canvas, with the scratch memory its series are mapped into, kept from frame to frame. */
LabPlotCanvas *lab_plot_canvas_new         (void);
void           lab_plot_canvas_free        (LabPlotCanvas      *canvas);
/* Starts the canvas' Cairo node over area->data in @snapshot. */
void           lab_plot_canvas_begin       (LabPlotCanvas      *canvas,
                                            GtkSnapshot        *snapshot,
                                            const LabPlotStyle *s,
                                            const LabPlotArea  *area);
void           lab_plot_canvas_end         (LabPlotCanvas      *canvas);
/* Draws a series on the begun canvas. When there are more points than pixel columns, they are
 * first reduced to one column per pixel (min of lo, max of hi, mean of y), so the envelope of
 * every spike stays visible. */
void           lab_plot_canvas_draw_series (LabPlotCanvas      *canvas,
                                            const LabScale     *xs,
                                            const LabScale     *ys,
                                            const LabPlotPoint *points,
                                            guint               n_points,
                                            const GdkRGBA      *color,
                                            LabPlotSeriesFlags  flags);

G_END_DECLS
