/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-plot-series.c: a plot's canvas and the series drawn on it (see lab-plot-series.h).
 */
#define G_LOG_DOMAIN "lab-plot-series"

#include "config.h"

#include <math.h>

#include "lab-coverage.h"
#include "lab-palette.h"
#include "lab-plot-columns.h"
#include "lab-plot-series.h"

struct _LabPlotCanvas
{
  LabPlotStyle  style;
  LabPlotArea   area;
  cairo_t      *cr;       /* a Cairo node's, in widget coordinates, clipped to area.data */
  GArray       *columns;  /* LabPlotColumn: the series being drawn, reused between frames */
};

LabPlotCanvas *
lab_plot_canvas_new (void)
{
  LabPlotCanvas *canvas = g_new0 (LabPlotCanvas, 1);

  canvas->columns = g_array_new (FALSE, FALSE, sizeof (LabPlotColumn));
  return canvas;
}

void
lab_plot_canvas_free (LabPlotCanvas *canvas)
{
  if (canvas == NULL)
    return;
  g_clear_pointer (&canvas->cr, cairo_destroy);
  g_array_unref (canvas->columns);
  g_free (canvas);
}

void
lab_plot_canvas_begin (LabPlotCanvas      *canvas,
                       GtkSnapshot        *snapshot,
                       const LabPlotStyle *s,
                       const LabPlotArea  *area)
{
  const graphene_rect_t *d = &area->data;

  g_return_if_fail (canvas != NULL && canvas->cr == NULL);

  canvas->style = *s;
  canvas->area = *area;
  canvas->cr = gtk_snapshot_append_cairo (snapshot, d);
  cairo_rectangle (canvas->cr, d->origin.x, d->origin.y, d->size.width, d->size.height);
  cairo_clip (canvas->cr);
  cairo_set_line_join (canvas->cr, CAIRO_LINE_JOIN_ROUND);
  cairo_set_line_cap (canvas->cr, CAIRO_LINE_CAP_ROUND);
}

void
lab_plot_canvas_end (LabPlotCanvas *canvas)
{
  g_return_if_fail (canvas != NULL && canvas->cr != NULL);

  g_clear_pointer (&canvas->cr, cairo_destroy);
}

static void
series_path_line (cairo_t             *cr,
                  const LabPlotColumn *cols,
                  guint                n)
{
  gboolean pen = FALSE;

  for (guint i = 0; i < n; i++)
    {
      if (cols[i].n == 0)
        {
          pen = FALSE;
          continue;
        }
      if (pen)
        cairo_line_to (cr, cols[i].x, cols[i].sum / cols[i].n);
      else
        cairo_move_to (cr, cols[i].x, cols[i].sum / cols[i].n);
      pen = TRUE;
    }
}

static void
series_path_band (cairo_t             *cr,
                  const LabPlotColumn *cols,
                  guint                n)
{
  guint i = 0, start, end;

  while (lab_plot_columns_next_run (cols, n, &i, &start, &end))
    {
      if (end - start == 1)
        {
          /* a lone column: a thin vertical bar */
          cairo_rectangle (cr, cols[start].x - 0.75, cols[start].hi, 1.5,
                           MAX (0.5, cols[start].lo - cols[start].hi));
          continue;
        }
      cairo_move_to (cr, cols[start].x, cols[start].hi);
      for (guint j = start + 1; j < end; j++)
        cairo_line_to (cr, cols[j].x, cols[j].hi);
      for (guint j = end; j-- > start;)
        cairo_line_to (cr, cols[j].x, cols[j].lo);
      cairo_close_path (cr);
    }
}

/* A point with no neighbour in its series (a run of one step, or one step between gaps) has no
 * segment to draw: give it a dot a few line widths across, or the plot looks empty. */
static void
draw_isolated_points (cairo_t             *cr,
                      const LabPlotColumn *cols,
                      guint                n,
                      double               r,
                      const GdkRGBA       *color)
{
  gboolean any = FALSE;

  for (guint i = 0; i < n; i++)
    if (cols[i].n > 0 && (i == 0 || cols[i - 1].n == 0) && (i + 1 == n || cols[i + 1].n == 0))
      {
        cairo_new_sub_path (cr);
        cairo_arc (cr, cols[i].x, cols[i].sum / cols[i].n, r, 0, 2 * G_PI);
        any = TRUE;
      }
  if (any)
    {
      gdk_cairo_set_source_rgba (cr, color);
      cairo_fill (cr);
    }
}

/* The line as a Cairo stroke, solid or dashed. */
static void
stroke_line (cairo_t             *cr,
             const LabPlotStyle  *s,
             const LabPlotColumn *cols,
             guint                n,
             const GdkRGBA       *color,
             gboolean             dashed)
{
  series_path_line (cr, cols, n);
  gdk_cairo_set_source_rgba (cr, color);
  cairo_set_line_width (cr, s->line_width);
  if (dashed)
    {
      double dash[] = { 6 * s->line_width / 1.5, 4 * s->line_width / 1.5 };
      cairo_set_dash (cr, dash, 2, 0);
    }
  cairo_stroke (cr);
  cairo_set_dash (cr, NULL, 0, 0);
}

/* A ring in the background colour around a dot at each point (evaluations: a few points). */
static void
draw_markers (cairo_t             *cr,
              const LabPlotStyle  *s,
              const LabPlotColumn *cols,
              guint                n,
              const GdkRGBA       *color)
{
  double r = s->line_width * 1.8;

  for (guint i = 0; i < n; i++)
    if (cols[i].n > 0)
      {
        cairo_new_sub_path (cr);
        cairo_arc (cr, cols[i].x, cols[i].sum, r, 0, 2 * G_PI);
      }
  gdk_cairo_set_source_rgba (cr, color);
  cairo_fill_preserve (cr);
  gdk_cairo_set_source_rgba (cr, &s->background);
  cairo_set_line_width (cr, 1.0);
  cairo_stroke (cr);
}

void
lab_plot_canvas_draw_series (LabPlotCanvas      *canvas,
                             const LabScale     *xs,
                             const LabScale     *ys,
                             const LabPlotPoint *points,
                             guint               n_points,
                             const GdkRGBA      *color,
                             LabPlotSeriesFlags  flags)
{
  const LabPlotStyle *s;
  const graphene_rect_t *d;
  const LabPlotColumn *cols;
  gboolean reduced;
  guint n_cols;
  cairo_t *cr;

  g_return_if_fail (canvas != NULL && canvas->cr != NULL);

  if (n_points == 0)
    return;

  s = &canvas->style;
  d = &canvas->area.data;
  cr = canvas->cr;
  reduced = lab_plot_columns_map (canvas->columns, d, xs, ys, points, n_points);
  cols = (const LabPlotColumn *) (const void *) canvas->columns->data;
  n_cols = canvas->columns->len;

  cairo_save (cr);   /* line width, dash: nothing leaks into the canvas' next series */

  if (flags & (LAB_PLOT_SERIES_LINE | LAB_PLOT_SERIES_DASHED))
    draw_isolated_points (cr, cols, n_cols, s->line_width * 1.6, color);

  if (!s->vector)
    {
      gboolean solid = (flags & LAB_PLOT_SERIES_LINE) && !(flags & LAB_PLOT_SERIES_DASHED);

      if (solid || (flags & LAB_PLOT_SERIES_ENVELOPE))
        lab_coverage_paint_series (cr, s, d, cols, n_cols, color,
                                   flags & LAB_PLOT_SERIES_ENVELOPE, solid);
      if (solid)
        flags &= ~LAB_PLOT_SERIES_LINE;
    }
  else if (flags & LAB_PLOT_SERIES_ENVELOPE)
    {
      GdkRGBA band = lab_palette_alpha (color, 0.25);

      gdk_cairo_set_source_rgba (cr, &band);
      series_path_band (cr, cols, n_cols);
      cairo_fill (cr);
    }

  if (flags & (LAB_PLOT_SERIES_LINE | LAB_PLOT_SERIES_DASHED))
    stroke_line (cr, s, cols, n_cols, color, flags & LAB_PLOT_SERIES_DASHED);
  if ((flags & LAB_PLOT_SERIES_MARKERS) && !reduced)
    draw_markers (cr, s, cols, n_cols, color);

  cairo_restore (cr);
}
