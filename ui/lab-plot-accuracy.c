/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-plot-accuracy.c: the accuracy-versus-sparsity panel and its words (see
 * lab-plot-accuracy.h).
 */
#define G_LOG_DOMAIN "lab-plot"

#include "config.h"

#include <glib/gi18n.h>

#include <math.h>

#include "lab-extent.h"
#include "lab-palette.h"
#include "lab-plot-accuracy.h"
#include "lab-plot-axes.h"
#include "lab-plot-legend.h"

#define MAX_ITEMS 9   /* 8 curves and the reference line */

/* The y scale: the data and the reference with a little room, so markers at the extremes are
 * not cut by the frame, within 0 … 100 %. */
static void
accuracy_scale (const LabAccuracyCurve *curves,
                guint                   n_curves,
                double                  dense,
                LabScale               *ys)
{
  LabExtent acc;
  double lo = 0, hi = 100;

  lab_extent_init (&acc);
  for (guint c = 0; c < n_curves; c++)
    for (guint i = 0; i < curves[c].n_points; i++)
      lab_extent_add (&acc, curves[c].points[i].y);
  if (isfinite (dense))
    lab_extent_add (&acc, dense);
  if (!lab_extent_is_empty (&acc, FALSE))
    {
      lo = acc.lo;
      hi = acc.hi;
    }
  lab_scale_init (ys, lo - 0.05 * (hi - lo), hi + 0.05 * (hi - lo), FALSE);
  lab_scale_nice (ys);
  ys->lo = MAX (ys->lo, 0.0);
  ys->hi = MIN (ys->hi, 100.0);
  if (ys->hi <= ys->lo)
    lab_scale_init (ys, 0, 100, FALSE);
}

void
lab_plot_draw_accuracy (GtkSnapshot            *snapshot,
                        GtkWidget              *plot,
                        const LabPlotStyle     *s,
                        LabPlotCanvas          *canvas,
                        LabPlotArea            *area,
                        const LabAccuracyCurve *curves,
                        guint                   n_curves,
                        double                  dense,
                        LabScale               *xs_out,
                        LabScale               *ys_out)
{
  LabPlotLegendItem items[MAX_ITEMS];
  guint n_items = 0;
  gboolean outside;
  LabScale xs, ys;

  n_curves = MIN (n_curves, MAX_ITEMS - 1);
  for (guint c = 0; c < n_curves; c++)
    items[n_items++] = (LabPlotLegendItem) { curves[c].name, curves[c].color,
                                             LAB_PLOT_SWATCH_MARKER };
  if (isfinite (dense))
    items[n_items++] = (LabPlotLegendItem) { _("unpruned"), s->muted, LAB_PLOT_SWATCH_DASH };
  /* beside the data when there is room: inside, it hides points of curves that stay high */
  outside = lab_plot_area_reserve_legend (area, plot, s, items, n_items);

  lab_scale_init (&xs, 0, 100, FALSE);
  accuracy_scale (curves, n_curves, dense, &ys);
  /* xgettext:no-c-format */
  lab_plot_draw_axes (snapshot, plot, s, area, &xs, _("sparsity (% of weights pruned)"), &ys,
                      _("test accuracy (%)"), NULL, NULL);

  lab_plot_canvas_begin (canvas, snapshot, s, area);
  if (isfinite (dense))
    {
      LabPlotPoint line[2] = { { xs.lo, dense, dense, dense }, { xs.hi, dense, dense, dense } };

      lab_plot_canvas_draw_series (canvas, &xs, &ys, line, 2, &s->muted, LAB_PLOT_SERIES_LINE |
                                   LAB_PLOT_SERIES_DASHED);
    }
  for (guint c = 0; c < n_curves; c++)
    lab_plot_canvas_draw_series (canvas, &xs, &ys, curves[c].points, curves[c].n_points,
                                 &curves[c].color,
                                 LAB_PLOT_SERIES_LINE | LAB_PLOT_SERIES_MARKERS);
  lab_plot_canvas_end (canvas);
  lab_plot_draw_legend (snapshot, plot, s, area, items, n_items,
                        outside ? LAB_PLOT_LEGEND_OUTSIDE_RIGHT : LAB_PLOT_LEGEND_BOTTOM_LEFT);
  if (xs_out != NULL)
    *xs_out = xs;
  if (ys_out != NULL)
    *ys_out = ys;
}

void
lab_plot_describe_accuracy (GString                *out,
                            const LabAccuracyCurve *curves,
                            guint                   n_curves,
                            double                  dense)
{
  double last_x = NAN;
  guint told = 0;

  for (guint c = 0; c < n_curves; c++)
    {
      const LabPlotPoint *p;

      if (curves[c].n_points == 0)
        continue;
      p = &curves[c].points[curves[c].n_points - 1];   /* the highest sparsity */
      /* Translators: a curve's name, then its accuracy in percent */
      if (told)
        g_string_append_printf (out, ", %s %.1f %%", curves[c].name, p->y);
      else
        g_string_append_printf (out, _("%s keeps %.1f %%"), curves[c].name, p->y);
      /* whole percentages as they are (90 %), a lottery round's to a tenth (48.8 %) */
      if (p->x != last_x)
        g_string_append_printf (out, fabs (p->x - round (p->x)) < 0.05
                                     ? _(" at %.0f %% sparsity") : _(" at %.1f %% sparsity"),
                                p->x);
      last_x = p->x;
      told++;
    }
  if (isfinite (dense))
    g_string_append_printf (out, told ? _("; dense %.1f %%") : _("dense %.1f %%"), dense);
}
