/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-plot-area.c: the layout of a plot's margins and data rectangle (see lab-plot-area.h).
 * The margins are measured from the plot's fonts, so presenter mode's large type gets room.
 */
#define G_LOG_DOMAIN "lab-plot-area"

#include "config.h"

#include "lab-plot-area.h"
#include "lab-plot-text.h"

#define PAD LAB_PLOT_PAD

void
lab_plot_area_init (LabPlotArea        *area,
                    GtkWidget          *plot,
                    const LabPlotStyle *s,
                    int                 width,
                    int                 height,
                    LabPlotAreaFlags    flags)
{
  double title_h, tick_w, tick_h, axis_h;
  double left, right, top, bottom;

  g_return_if_fail (area != NULL);

  lab_plot_text_size (plot, s, "Title", LAB_PLOT_TITLE_REL, TRUE, NULL, &title_h);
  lab_plot_text_size (plot, s, "−0.000", LAB_PLOT_TICK_REL, FALSE, &tick_w, &tick_h);
  lab_plot_text_size (plot, s, "step", LAB_PLOT_AXIS_REL, FALSE, NULL, &axis_h);

  area->width = width;
  area->height = height;
  area->title_y = PAD * 0.75;

  top = area->title_y + title_h + PAD;
  left = PAD + axis_h + PAD * 0.5 + tick_w + PAD * 0.5;
  right = (flags & LAB_PLOT_AREA_RIGHT_AXIS) ? PAD * 0.5 + tick_w + PAD * 0.5 + axis_h + PAD
                                              : PAD * 2;
  bottom = (flags & LAB_PLOT_AREA_NO_X_AXIS) ? PAD * 2 + tick_h
                                              : PAD * 0.5 + tick_h + PAD * 0.25 + axis_h + PAD;

  area->data = GRAPHENE_RECT_INIT ((float) left, (float) top,
                                   (float) MAX (1.0, width - left - right),
                                   (float) MAX (1.0, height - top - bottom));
  area->x_title_y = height - PAD * 0.75;
  area->legend_x = 0;
  area->legend_y = -1;
}

double
lab_plot_area_x (const LabPlotArea *area,
                 const LabScale    *xs,
                 double             v)
{
  double t = lab_scale_map (xs, v);

  return area->data.origin.x + t * area->data.size.width;
}

double
lab_plot_area_y (const LabPlotArea *area,
                 const LabScale    *ys,
                 double             v)
{
  double t = lab_scale_map (ys, v);

  return area->data.origin.y + (1.0 - t) * area->data.size.height;
}

gboolean
lab_plot_area_contains (const LabPlotArea *area,
                        double             x,
                        double             y)
{
  return graphene_rect_contains_point (&area->data, &GRAPHENE_POINT_INIT ((float) x, (float) y));
}
