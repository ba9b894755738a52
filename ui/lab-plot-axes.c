/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-plot-axes.c: a plot's frame, grid, ticks and axis titles (see lab-plot-axes.h). Lines
 * are colour nodes one pixel wide, labels come from the plot's layout cache, so the axes of a
 * frame are a few dozen cheap nodes.
 */
#define G_LOG_DOMAIN "lab-plot-axes"

#include "config.h"

#include <math.h>

#include "lab-palette.h"
#include "lab-plot.h"
#include "lab-plot-axes.h"
#include "lab-plot-paint.h"
#include "lab-plot-text.h"

#define PAD       LAB_PLOT_PAD
#define TICK_REL  LAB_PLOT_TICK_REL
#define AXIS_REL  LAB_PLOT_AXIS_REL

static void
draw_y_ticks (GtkSnapshot        *snapshot,
              GtkWidget          *plot,
              const LabPlotStyle *s,
              const LabPlotArea  *area,
              const LabScale     *ys,
              gboolean            right,
              gboolean            grid)
{
  const graphene_rect_t *d = &area->data;
  double ticks[LAB_SCALE_MAX_TICKS];
  double tick_h;
  guint target, n;

  lab_plot_text_size (plot, s, "0", TICK_REL, FALSE, NULL, &tick_h);
  target = (guint) CLAMP (d->size.height / (tick_h * 2.2), 2, 8);
  n = lab_scale_ticks (ys, target, ticks, G_N_ELEMENTS (ticks));

  for (guint i = 0; i < n; i++)
    {
      double y = round (lab_plot_area_y (area, ys, ticks[i]));
      char label[64];

      if (y < d->origin.y - 0.5 || y > d->origin.y + d->size.height + 0.5)
        continue;
      if (grid)
        lab_plot_fill_rect (snapshot, &s->grid, d->origin.x, y - 0.5, d->size.width, 1);
      /* a short tick mark outside the frame */
      lab_plot_fill_rect (snapshot, &s->muted,
                          right ? d->origin.x + d->size.width : d->origin.x - 4, y - 0.5, 4, 1);
      lab_scale_format (ys, ticks[i], label, sizeof label);
      if (right)
        lab_plot_draw_text (snapshot, plot, s, label, TICK_REL, FALSE, &s->muted,
                            d->origin.x + d->size.width + PAD * 0.75, y, 0, 0.5, NULL, NULL);
      else
        lab_plot_draw_text (snapshot, plot, s, label, TICK_REL, FALSE, &s->muted,
                            d->origin.x - PAD * 0.75, y, 1, 0.5, NULL, NULL);
    }
}

static void
draw_rotated_title (GtkSnapshot        *snapshot,
                    GtkWidget          *plot,
                    const LabPlotStyle *s,
                    const char         *text,
                    double              cx,
                    double              cy,
                    double              angle,
                    double              max_len)
{
  PangoLayout *layout = lab_plot_layout_new (plot, s, text, AXIS_REL, FALSE);
  PangoRectangle ink, logical;

  pango_layout_set_width (layout, (int) MAX (1.0, max_len) * PANGO_SCALE);
  pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
  pango_layout_set_alignment (layout, PANGO_ALIGN_CENTER);

  /* centred on (cx, cy): the text sits at logical.x inside the max_len-wide layout, so centre
   * the text's own extent, not a box starting at 0 (which put every title at the axis's end) */
  pango_layout_get_pixel_extents (layout, &ink, &logical);
  /* turned by ±90° about (cx, cy): the ink box is as tall as the text is long */
  lab_plot_add_label_rect (LAB_PLOT (plot),
                           &GRAPHENE_RECT_INIT ((float) (round (cx) - ink.height / 2.0),
                                                (float) (round (cy) - ink.width / 2.0),
                                                ink.height, ink.width));
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (round (cx), round (cy)));
  gtk_snapshot_rotate (snapshot, (float) angle);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (-(logical.x + logical.width / 2.f),
                                                          -(logical.y + logical.height / 2.f)));
  gtk_snapshot_append_layout (snapshot, layout, &s->muted);
  gtk_snapshot_restore (snapshot);
  g_object_unref (layout);
}

/* Centred under the data, but kept inside the widget, and ellipsized when wider than it (large
 * presenter type on a narrow plot would otherwise cut both ends off). */
static void
draw_x_title (GtkSnapshot        *snapshot,
              GtkWidget          *plot,
              const LabPlotStyle *s,
              const LabPlotArea  *area,
              const char         *text)
{
  const graphene_rect_t *d = &area->data;
  double avail = MAX (1.0, area->width - 2 * PAD);
  double lw, lh, x;
  PangoLayout *layout = NULL;

  lab_plot_text_size (plot, s, text, AXIS_REL, FALSE, &lw, &lh);
  if (lw > avail)
    {
      int w, h;

      layout = lab_plot_layout_new (plot, s, text, AXIS_REL, FALSE);
      pango_layout_set_width (layout, (int) avail * PANGO_SCALE);
      pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
      pango_layout_get_pixel_size (layout, &w, &h);
      lw = w;
      lh = h;
    }
  x = CLAMP (d->origin.x + d->size.width / 2 - lw / 2, PAD, MAX (PAD, area->width - PAD - lw));
  if (layout != NULL)
    {
      lab_plot_append_layout (snapshot, layout, &s->muted, x, area->x_title_y - lh);
      lab_plot_add_label (LAB_PLOT (plot), layout, x, area->x_title_y - lh);
      g_object_unref (layout);
    }
  else
    lab_plot_draw_text (snapshot, plot, s, text, AXIS_REL, FALSE, &s->muted, x,
                        area->x_title_y, 0, 1, NULL, NULL);
}

/* Ticks along the bottom, their grid lines and labels; a label that would touch the one before
 * it or leave the widget is left out (its tick stays). */
static void
draw_x_ticks (GtkSnapshot        *snapshot,
              GtkWidget          *plot,
              const LabPlotStyle *s,
              const LabPlotArea  *area,
              const LabScale     *xs)
{
  const graphene_rect_t *d = &area->data;
  double ticks[LAB_SCALE_MAX_TICKS];
  double label_w;
  guint target, n;
  double last_right = -G_MAXDOUBLE;

  lab_plot_text_size (plot, s, "00.0k", TICK_REL, FALSE, &label_w, NULL);
  target = (guint) CLAMP (d->size.width / (label_w * 2.0), 2, 10);
  n = lab_scale_ticks (xs, target, ticks, G_N_ELEMENTS (ticks));

  for (guint i = 0; i < n; i++)
    {
      double x = round (lab_plot_area_x (area, xs, ticks[i]));
      char label[64];
      double tw;

      if (x < d->origin.x - 0.5 || x > d->origin.x + d->size.width + 0.5)
        continue;
      lab_plot_fill_rect (snapshot, &s->grid, x - 0.5, d->origin.y, 1, d->size.height);
      lab_plot_fill_rect (snapshot, &s->muted, x - 0.5, d->origin.y + d->size.height, 1, 4);
      lab_scale_format (xs, ticks[i], label, sizeof label);
      lab_plot_text_size (plot, s, label, TICK_REL, FALSE, &tw, NULL);
      /* never let two labels touch, and keep the last one inside the widget */
      if (x - tw / 2 < last_right + PAD || x + tw / 2 > area->width - 2)
        continue;
      lab_plot_draw_text (snapshot, plot, s, label, TICK_REL, FALSE, &s->muted,
                          x, d->origin.y + d->size.height + PAD * 0.5, 0.5, 0, NULL, NULL);
      last_right = x + tw / 2;
    }
}

/* The frame: left and bottom axis lines stronger, the other two faint (the right one strong
 * when it carries a second scale). */
static void
draw_frame (GtkSnapshot        *snapshot,
            const LabPlotStyle *s,
            const LabPlotArea  *area,
            gboolean            right_axis)
{
  const graphene_rect_t *d = &area->data;
  GdkRGBA frame = lab_palette_alpha (&s->fg, 0.35);

  lab_plot_fill_rect (snapshot, &frame, d->origin.x - 0.5, d->origin.y, 1, d->size.height);
  lab_plot_fill_rect (snapshot, &frame, d->origin.x - 0.5, d->origin.y + d->size.height - 0.5,
                      d->size.width + 1, 1);
  lab_plot_fill_rect (snapshot, right_axis ? &frame : &s->grid,
                      d->origin.x + d->size.width - 0.5, d->origin.y, 1, d->size.height);
  lab_plot_fill_rect (snapshot, &s->grid, d->origin.x - 0.5, d->origin.y - 0.5,
                      d->size.width + 1, 1);
}

void
lab_plot_draw_axes (GtkSnapshot        *snapshot,
                    GtkWidget          *plot,
                    const LabPlotStyle *s,
                    const LabPlotArea  *area,
                    const LabScale     *xs,
                    const char         *x_title,
                    const LabScale     *ys,
                    const char         *y_title,
                    const LabScale     *y2,
                    const char         *y2_title)
{
  const graphene_rect_t *d = &area->data;
  double axis_h;

  lab_plot_text_size (plot, s, "step", AXIS_REL, FALSE, NULL, &axis_h);

  if (ys != NULL)
    draw_y_ticks (snapshot, plot, s, area, ys, FALSE, TRUE);
  if (y2 != NULL)
    draw_y_ticks (snapshot, plot, s, area, y2, TRUE, ys == NULL);
  if (xs != NULL)
    draw_x_ticks (snapshot, plot, s, area, xs);
  draw_frame (snapshot, s, area, y2 != NULL);

  if (x_title != NULL && xs != NULL)
    draw_x_title (snapshot, plot, s, area, x_title);
  if (y_title != NULL)
    draw_rotated_title (snapshot, plot, s, y_title, PAD + axis_h / 2,
                        d->origin.y + d->size.height / 2, -90, d->size.height + PAD * 2);
  if (y2_title != NULL)
    draw_rotated_title (snapshot, plot, s, y2_title, area->width - PAD - axis_h / 2,
                        d->origin.y + d->size.height / 2, 90, d->size.height + PAD * 2);
}
