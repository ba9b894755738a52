/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-plot-paint.c: rectangles, rounded boxes and the card behind a plot (see lab-plot-paint.h).
 */
#define G_LOG_DOMAIN "lab-plot-paint"

#include "config.h"

#include "lab-palette.h"
#include "lab-plot-paint.h"

void
lab_plot_fill_rect (GtkSnapshot   *snapshot,
                    const GdkRGBA *color,
                    double         x,
                    double         y,
                    double         w,
                    double         h)
{
  if (w <= 0 || h <= 0)
    return;
  gtk_snapshot_append_color (snapshot, color,
                             &GRAPHENE_RECT_INIT ((float) x, (float) y, (float) w, (float) h));
}

void
lab_plot_fill_rounded_rect (GtkSnapshot   *snapshot,
                            const GdkRGBA *color,
                            double         x,
                            double         y,
                            double         w,
                            double         h,
                            double         r)
{
  GskRoundedRect rr;

  gsk_rounded_rect_init_from_rect (&rr, &GRAPHENE_RECT_INIT ((float) x, (float) y, (float) w,
                                                             (float) h),
                                   (float) r);
  gtk_snapshot_push_rounded_clip (snapshot, &rr);
  gtk_snapshot_append_color (snapshot, color, &rr.bounds);
  gtk_snapshot_pop (snapshot);
}

void
lab_plot_draw_background (GtkSnapshot        *snapshot,
                          const LabPlotStyle *s,
                          const LabPlotArea  *area)
{
  GdkRGBA card = lab_palette_alpha (&s->fg, 0.035);

  lab_plot_fill_rounded_rect (snapshot, &card, 0, 0, area->width, area->height, 8);
}
