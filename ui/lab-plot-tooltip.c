/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-plot-tooltip.c: the hover box of a plot (see lab-plot-tooltip.h). Drawn with Cairo in
 * one node over the widget (box, border, dot), then the text as a layout on top.
 */
#define G_LOG_DOMAIN "lab-plot-tooltip"

#include "config.h"

#include "lab-palette.h"
#include "lab-plot-text.h"
#include "lab-plot-tooltip.h"

#define PAD LAB_PLOT_PAD

static void
rounded_path (cairo_t *cr,
              double   x,
              double   y,
              double   w,
              double   h,
              double   r)
{
  cairo_new_sub_path (cr);
  cairo_arc (cr, x + w - r, y + r, r, -G_PI / 2, 0);
  cairo_arc (cr, x + w - r, y + h - r, r, 0, G_PI / 2);
  cairo_arc (cr, x + r, y + h - r, r, G_PI / 2, G_PI);
  cairo_arc (cr, x + r, y + r, r, G_PI, 3 * G_PI / 2);
  cairo_close_path (cr);
}

/* The box of @bw × @bh beside (x, y): above right, else left, else below; inside the widget. */
static void
place_box (const LabPlotArea *area,
           double             x,
           double             y,
           double             off,
           double             bw,
           double             bh,
           double            *bx,
           double            *by)
{
  *bx = x + off;
  *by = y - off - bh;
  if (*bx + bw > area->width - 2)
    *bx = x - off - bw;
  if (*bx < 2)
    *bx = 2;
  if (*by < 2)
    *by = y + off;
  if (*by + bh > area->height - 2)
    *by = MAX (2, area->height - 2 - bh);
}

void
lab_plot_draw_tooltip (GtkSnapshot          *snapshot,
                       GtkWidget            *plot,
                       const LabPlotStyle   *s,
                       const LabPlotArea    *area,
                       const LabPlotTooltip *tip,
                       const char           *text)
{
  PangoLayout *layout = lab_plot_layout_new (plot, s, NULL, LAB_PLOT_TICK_REL, FALSE);
  double bw, bh, bx, by;
  GdkRGBA border = lab_palette_alpha (&s->fg, 0.3);
  cairo_t *cr;
  int lw, lh;

  if (tip->markup)
    pango_layout_set_markup (layout, text, -1);
  else
    pango_layout_set_text (layout, text, -1);
  pango_layout_get_pixel_size (layout, &lw, &lh);

  bw = lw + PAD * 2;
  bh = lh + PAD * 1.5;
  place_box (area, tip->x, tip->y, 12 * s->font_scale, bw, bh, &bx, &by);

  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, (float) area->width,
                                                                 (float) area->height));
  if (tip->dot)
    {
      double r = 4.0 * s->font_scale;

      cairo_arc (cr, tip->x, tip->y, r + 1.5, 0, 2 * G_PI);
      gdk_cairo_set_source_rgba (cr, &s->tooltip_bg);
      cairo_fill (cr);
      cairo_arc (cr, tip->x, tip->y, r, 0, 2 * G_PI);
      gdk_cairo_set_source_rgba (cr, &tip->dot_color);
      cairo_fill (cr);
    }
  rounded_path (cr, bx + 0.5, by + 0.5, bw, bh, 5);
  gdk_cairo_set_source_rgba (cr, &s->tooltip_bg);
  cairo_fill_preserve (cr);
  gdk_cairo_set_source_rgba (cr, &border);
  cairo_set_line_width (cr, 1);
  cairo_stroke (cr);
  cairo_destroy (cr);

  lab_plot_append_layout (snapshot, layout, &s->fg, bx + PAD, by + PAD * 0.75);
  g_object_unref (layout);
}
