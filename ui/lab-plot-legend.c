/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-plot-legend.c: legend layout and drawing (see lab-plot-legend.h). Every item takes the
 * width of the widest name, so a legend is a grid: as many rows as fit, then more columns.
 */
#define G_LOG_DOMAIN "lab-plot-legend"

#include "config.h"

#include <math.h>

#include "lab-palette.h"
#include "lab-plot-legend.h"
#include "lab-plot-paint.h"
#include "lab-plot-text.h"

#define PAD       LAB_PLOT_PAD
#define TICK_REL  LAB_PLOT_TICK_REL

static void
draw_swatch (GtkSnapshot             *snapshot,
             const LabPlotStyle      *s,
             const LabPlotLegendItem *item,
             double                   x,
             double                   y,
             double                   w,
             double                   h)
{
  double cy = y + h / 2;
  double lw = MAX (2.0, s->line_width);

  switch (item->swatch)
    {
    case LAB_PLOT_SWATCH_BOX:
      lab_plot_fill_rect (snapshot, &item->color, x + 2, y + h * 0.2, w - 4, h * 0.6);
      break;
    case LAB_PLOT_SWATCH_DASH:
      for (double dx = 0; dx < w; dx += w / 3)
        lab_plot_fill_rect (snapshot, &item->color, x + dx, cy - lw / 2, w / 5, lw);
      break;
    case LAB_PLOT_SWATCH_MARKER:
      {
        double r = lw * 1.6;

        lab_plot_fill_rect (snapshot, &item->color, x, cy - lw / 2, w, lw);
        lab_plot_fill_rounded_rect (snapshot, &item->color, x + w / 2 - r, cy - r, 2 * r, 2 * r,
                                    r);
      }
      break;
    case LAB_PLOT_SWATCH_SHADES:
    case LAB_PLOT_SWATCH_LAYERS:
      {
        const guint steps = 8;

        for (guint i = 0; i < steps; i++)
          {
            double t = (i + 0.5) / steps;
            GdkRGBA c;

            if (item->swatch == LAB_PLOT_SWATCH_SHADES)
              lab_palette_shade (&item->color, t, &c);
            else
              lab_palette_layer_color (i, steps, &c);
            lab_plot_fill_rect (snapshot, &c, x + w * i / steps, y + h * 0.2, w / steps + 0.5,
                                h * 0.6);
          }
      }
      break;
    case LAB_PLOT_SWATCH_LINE:
    default:
      lab_plot_fill_rect (snapshot, &item->color, x, cy - lw / 2, w, lw);
      break;
    }
}

static void
legend_item_size (GtkWidget               *plot,
                  const LabPlotStyle      *s,
                  const LabPlotLegendItem *items,
                  guint                    n_items,
                  double                  *item_w,
                  double                  *item_h,
                  double                  *sw_w)
{
  *item_w = 0;
  *item_h = 0;
  for (guint i = 0; i < n_items; i++)
    {
      double w, h;

      lab_plot_text_size (plot, s, items[i].name, TICK_REL, FALSE, &w, &h);
      *item_w = MAX (*item_w, w);
      *item_h = MAX (*item_h, h);
    }
  *sw_w = *item_h * 1.4;
  *item_w += *sw_w + PAD * 0.5 + PAD;
}

static void
legend_grid (double  avail_h,
             double  item_h,
             guint   n_items,
             guint  *n_cols,
             guint  *n_rows)
{
  guint rows = (guint) MAX (1.0, floor ((avail_h - PAD) / item_h));

  rows = MIN (rows, n_items);
  *n_cols = (n_items + rows - 1) / rows;
  *n_rows = (n_items + *n_cols - 1) / *n_cols;
}

gboolean
lab_plot_area_reserve_legend (LabPlotArea             *area,
                              GtkWidget               *plot,
                              const LabPlotStyle      *s,
                              const LabPlotLegendItem *items,
                              guint                    n_items)
{
  double item_w, item_h, sw_w, box_w;
  guint n_cols, n_rows;

  if (n_items == 0)
    return FALSE;
  legend_item_size (plot, s, items, n_items, &item_w, &item_h, &sw_w);
  legend_grid (area->data.size.height, item_h, n_items, &n_cols, &n_rows);
  box_w = n_cols * item_w + PAD * 0.5 + PAD;
  if (area->data.size.width - box_w < 0.6 * area->width)
    return FALSE;
  area->data.size.width -= (float) box_w;
  return TRUE;
}

gboolean
lab_plot_area_reserve_title_legend (LabPlotArea             *area,
                                    GtkWidget               *plot,
                                    const LabPlotStyle      *s,
                                    const char              *title,
                                    const LabPlotLegendItem *items,
                                    guint                    n_items)
{
  double item_w, item_h, sw_w, total, tw, th, dy;

  area->legend_y = -1;
  if (n_items == 0)
    return FALSE;
  legend_item_size (plot, s, items, n_items, &item_w, &item_h, &sw_w);
  total = n_items * item_w;
  lab_plot_text_size (plot, s, title, LAB_PLOT_TITLE_REL, TRUE, &tw, &th);
  area->legend_x = area->width - PAD - total;
  if (area->legend_x >= PAD * 1.5 + tw + PAD * 2)
    {
      area->legend_y = area->title_y;
      return TRUE;
    }
  if (total > area->width - 2 * PAD)
    return FALSE;
  /* a row under the title: it would otherwise cover the data's top right */
  dy = item_h + PAD * 0.25;
  if (area->data.size.height - dy < 0.6 * (area->data.size.height))
    return FALSE;
  area->legend_y = area->title_y + th + PAD * 0.25;
  area->data.origin.y += (float) dy;
  area->data.size.height -= (float) dy;
  return TRUE;
}

/* The items in a grid of @n_rows rows from (@x0, @y0) on. */
static void
draw_items (GtkSnapshot             *snapshot,
            GtkWidget               *plot,
            const LabPlotStyle      *s,
            const LabPlotLegendItem *items,
            guint                    n_items,
            guint                    n_rows,
            double                   x0,
            double                   y0,
            double                   item_w,
            double                   item_h,
            double                   sw_w)
{
  for (guint i = 0; i < n_items; i++)
    {
      double x = x0 + (i / n_rows) * item_w;
      double y = y0 + (i % n_rows) * item_h;

      draw_swatch (snapshot, s, &items[i], x, y, sw_w, item_h);
      lab_plot_draw_text (snapshot, plot, s, items[i].name, TICK_REL, FALSE, &s->fg,
                          x + sw_w + PAD * 0.5, y, 0, 0, NULL, NULL);
    }
}

/* The top left corner of a @box_w × @box_h legend box at @pos. */
static void
box_origin (const graphene_rect_t *d,
            LabPlotLegendPos       pos,
            double                 box_w,
            double                 box_h,
            double                *x0,
            double                *y0)
{
  switch (pos)
    {
    case LAB_PLOT_LEGEND_TOP_LEFT:
      *x0 = d->origin.x + PAD;
      *y0 = d->origin.y + PAD;
      break;
    case LAB_PLOT_LEGEND_BOTTOM_RIGHT:
      *x0 = d->origin.x + d->size.width - PAD - box_w;
      *y0 = d->origin.y + d->size.height - PAD - box_h;
      break;
    case LAB_PLOT_LEGEND_BOTTOM_LEFT:
      *x0 = d->origin.x + PAD;
      *y0 = d->origin.y + d->size.height - PAD - box_h;
      break;
    case LAB_PLOT_LEGEND_OUTSIDE_RIGHT:
      *x0 = d->origin.x + d->size.width + PAD;
      *y0 = d->origin.y;
      break;
    case LAB_PLOT_LEGEND_TOP_RIGHT:
    case LAB_PLOT_LEGEND_TITLE_LINE:
    default:
      *x0 = d->origin.x + d->size.width - PAD - box_w;
      *y0 = d->origin.y + PAD;
      break;
    }
}

void
lab_plot_draw_legend (GtkSnapshot             *snapshot,
                      GtkWidget               *plot,
                      const LabPlotStyle      *s,
                      const LabPlotArea       *area,
                      const LabPlotLegendItem *items,
                      guint                    n_items,
                      LabPlotLegendPos         pos)
{
  const graphene_rect_t *d = &area->data;
  double item_w = 0, item_h = 0, sw_w, box_w, box_h, x0, y0;
  guint n_cols, n_rows;
  GdkRGBA bg;

  if (n_items == 0)
    return;

  legend_item_size (plot, s, items, n_items, &item_w, &item_h, &sw_w);

  if (pos == LAB_PLOT_LEGEND_TITLE_LINE)
    {
      if (area->legend_y >= 0)
        {
          /* one row */
          draw_items (snapshot, plot, s, items, n_items, 1, area->legend_x, area->legend_y,
                      item_w, item_h, sw_w);
          return;
        }
      pos = LAB_PLOT_LEGEND_TOP_RIGHT;
    }

  /* as many rows as fit in 70 % of the data height (all of it outside), then more columns */
  legend_grid (d->size.height * (pos == LAB_PLOT_LEGEND_OUTSIDE_RIGHT ? 1.0 : 0.7), item_h,
               n_items, &n_cols, &n_rows);
  box_w = n_cols * item_w + PAD * 0.5;
  box_h = n_rows * item_h + PAD;

  /* a legend that would hide most of the data helps nobody: leave it out on tiny plots */
  if (pos != LAB_PLOT_LEGEND_OUTSIDE_RIGHT &&
      (box_w > 0.6 * d->size.width || box_h > 0.6 * d->size.height))
    return;

  box_origin (d, pos, box_w, box_h, &x0, &y0);
  bg = lab_palette_alpha (&s->tooltip_bg, 0.85);
  lab_plot_fill_rounded_rect (snapshot, &bg, x0, y0, box_w, box_h, 4);
  draw_items (snapshot, plot, s, items, n_items, n_rows, x0 + PAD * 0.5, y0 + PAD * 0.5,
              item_w, item_h, sw_w);
}
