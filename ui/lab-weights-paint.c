/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-weights-paint.c: drawing the weights view's built panels and its legend (see
 * lab-weights-paint.h).
 */
#define G_LOG_DOMAIN "lab-weights-paint"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "lab-colormap.h"
#include "lab-number-format.h"
#include "lab-palette.h"
#include "lab-plot-paint.h"
#include "lab-plot-text.h"
#include "lab-weights-paint.h"

#define SMALL LAB_WEIGHTS_PAINT_SMALL

static void
draw_text (GtkSnapshot        *snapshot,
           GtkWidget          *widget,
           const LabPlotStyle *s,
           const char         *text,
           double              rel,
           double              x,
           double              y,
           double              xalign,      /* 0 left, 0.5 centre, 1 right of x */
           double              yalign,
           const GdkRGBA      *color)
{
  lab_plot_draw_text (snapshot, widget, s, text, rel, FALSE, color,
                      round (x), round (y), xalign, yalign, NULL, NULL);
}

/* The text of a panel, how->dy below where the layout put it (scrolling), when it shows whole
 * in the view: a panel scrolled half out shows its heatmap, no text over the title or legend. */
static void
draw_panel_text (LabPlot               *plot,
                 GtkSnapshot           *snapshot,
                 const LabPlotStyle    *s,
                 const LabWeightsPaint *how,
                 const char            *text,
                 double                 rel,
                 double                 x,
                 double                 y,
                 double                 xalign,
                 double                 yalign,
                 const GdkRGBA         *color)
{
  const graphene_rect_t *g = how->view;
  double h;

  lab_plot_text_size (GTK_WIDGET (plot), s, text, rel, FALSE, NULL, &h);
  y += how->dy - yalign * h;
  if (g != NULL && (y < g->origin.y - 0.5 || y + h > g->origin.y + g->size.height + 0.5))
    return;
  draw_text (snapshot, GTK_WIDGET (plot), s, text, rel, x, y, xalign, 0, color);
}

/* The numbers under a horizontal colour bar: −r, 0 and r where they fit apart, else −r and r,
 * else "±r". */
static void
draw_bar_numbers (LabPlot               *plot,
                  GtkSnapshot           *snapshot,
                  const LabPlotStyle    *s,
                  const LabWeightsPanel *p,
                  const LabWeightsPaint *how)
{
  GtkWidget *widget = GTK_WIDGET (plot);
  double x = p->bar.origin.x, w = p->bar.size.width, y = p->bar.origin.y + p->bar.size.height + 1;
  double lo_w, hi_w, zero_w, gap = 4 * s->font_scale;
  char lo[64], hi[64], both[80];

  lab_number_format_sci (p->lo, lo, sizeof lo);
  lab_number_format_sci (p->hi, hi, sizeof hi);
  lab_plot_text_size (widget, s, lo, SMALL, FALSE, &lo_w, NULL);
  lab_plot_text_size (widget, s, hi, SMALL, FALSE, &hi_w, NULL);
  lab_plot_text_size (widget, s, "0", SMALL, FALSE, &zero_w, NULL);
  if (lo_w + gap + hi_w > w)
    {
      g_snprintf (both, sizeof both, "±%s", hi);
      draw_panel_text (plot, snapshot, s, how, both, SMALL, x, y, 0, 0, &s->muted);
      return;
    }
  draw_panel_text (plot, snapshot, s, how, lo, SMALL, x, y, 0, 0, &s->muted);
  if (x + lo_w + gap <= x + w / 2 - zero_w / 2 && x + w / 2 + zero_w / 2 + gap <= x + w - hi_w)
    draw_panel_text (plot, snapshot, s, how, "0", SMALL, x + w / 2, y, 0.5, 0, &s->muted);
  draw_panel_text (plot, snapshot, s, how, hi, SMALL, x + w, y, 1, 0, &s->muted);
}

/* The colour bar under a heatmap (−r … 0 … r), or beside the pixel view (0 … max, upright). */
static void
draw_bar (LabPlot               *plot,
          GtkSnapshot           *snapshot,
          const LabPlotStyle    *s,
          const LabWeightsPanel *p,
          const LabWeightsPaint *how)
{
  GtkWidget *widget = GTK_WIDGET (plot);
  gboolean vertical = how->mode == LAB_WEIGHTS_MODE_PIXELS;
  const guint steps = 64;
  double by = p->bar.origin.y + how->dy;
  char buf[64];

  for (guint i = 0; i < steps; i++)
    {
      float rgb[3];
      double t = (i + 0.5) / steps;
      GdkRGBA c;

      if (vertical)
        lab_colormap_sequential (t, rgb);
      else
        lab_colormap_diverging (2 * t - 1, 1, rgb);
      c = (GdkRGBA) { rgb[0], rgb[1], rgb[2], 1 };
      if (vertical)
        lab_plot_fill_rect (snapshot, &c, p->bar.origin.x,
                            by + p->bar.size.height * (1 - (i + 1.0) / steps),
                            p->bar.size.width, p->bar.size.height / steps + 0.5);
      else
        lab_plot_fill_rect (snapshot, &c, p->bar.origin.x + p->bar.size.width * i / steps,
                            by, p->bar.size.width / steps + 0.5, p->bar.size.height);
    }

  if (!vertical)
    {
      draw_bar_numbers (plot, snapshot, s, p, how);
      return;
    }
  for (guint k = 0; k <= 4; k++)
    {
      double v = p->lo + (p->hi - p->lo) * k / 4;
      double y = by + p->bar.size.height * (1 - k / 4.0);

      if (how->pixels == LAB_WEIGHTS_PIXELS_KEPT)
        g_snprintf (buf, sizeof buf, "%.0f", v);
      else
        lab_number_format_sci (v, buf, sizeof buf);
      draw_text (snapshot, widget, s, buf, SMALL, p->bar.origin.x + p->bar.size.width + 4, y, 0,
                 0.5, &s->muted);
    }
}

/* The first of @texts (long, then short) that fits @avail, else the short one cut to fit. */
static void
draw_fitting (LabPlot            *plot,
              GtkSnapshot        *snapshot,
              const LabPlotStyle *s,
              const char * const  texts[2],
              double              rel,
              const GdkRGBA      *color,
              double              x,
              double              y,
              double              avail)
{
  double w;

  lab_plot_text_size (GTK_WIDGET (plot), s, texts[0], rel, FALSE, &w, NULL);
  draw_text (snapshot, GTK_WIDGET (plot), s,
             w <= avail ? texts[0]
                        : lab_plot_fit_text (plot, s, texts[1], rel, FALSE, avail),
             rel, x, y, 0, 0, color);
}

void
lab_weights_paint_legend (LabPlot               *plot,
                          GtkSnapshot           *snapshot,
                          const LabPlotStyle    *s,
                          const LabPlotArea     *area,
                          const LabWeightsPaint *how)
{
  /* each a full and a short form, gettext'd at every draw (a hash lookup each) */
  const char *const pixels[][2] = {
    { _("no kept weight left from this input pixel"),
      _("no kept weight left from this input pixel") },
    { _("colour = number of kept W1 weights reading the pixel (viridis, 0 … all rows)"),
      _("colour = kept W1 weights per pixel (viridis)") },
    { _("colour = Σ |w| of the kept W1 weights reading the pixel (viridis, 0 … max)"),
      _("colour = Σ |w| of kept W1 weights per pixel (viridis)") },
  };
  const char *const heatmaps[][2] = {
    { _("pruned   ·   blue < 0 < red, per-layer range ±99th percentile of |cell| "
        "(beyond: clipped)"),
      _("pruned · blue < 0 < red · range ±99th pct. of |cell|") },
    { _("pruned   ·   blue < 0 < red, per-layer range ±max |cell|"),
      _("pruned · blue < 0 < red · range ±max |cell|") },
    { _("a cell = mean of the kept weights of its block, blended toward the pruned colour by "
        "the block's pruned fraction"),
      _("a cell = mean of its block's kept weights, greyed by its pruned share") },
    { _("a cell = kept weight of largest |w| in its block, blended toward the pruned colour by "
        "the block's pruned fraction"),
      _("a cell = its block's largest kept |w|, greyed by its pruned share") },
  };
  double line_h = lab_plot_line_height (GTK_WIDGET (plot), s, 1.0);
  double y = area->height - line_h * 2.4;
  double x = line_h * 0.8, avail = area->width - x - line_h - 8;
  const char * const *text, * const *detail;
  GdkRGBA pr;

  lab_palette_pruned_color (GTK_WIDGET (plot), &pr);
  lab_plot_fill_rect (snapshot, &pr, x, y + line_h * 0.15, line_h * 0.7, line_h * 0.7);
  if (how->mode == LAB_WEIGHTS_MODE_PIXELS)
    {
      text = pixels[0];
      detail = pixels[how->pixels == LAB_WEIGHTS_PIXELS_KEPT ? 1 : 2];
    }
  else
    {
      text = heatmaps[how->robust ? 0 : 1];
      detail = heatmaps[how->reduce == LAB_WEIGHTS_REDUCE_MEAN ? 2 : 3];
    }
  draw_fitting (plot, snapshot, s, text, 1.0, &s->fg, x + line_h, y, avail);
  draw_fitting (plot, snapshot, s, detail, SMALL, &s->muted, x + line_h, y + line_h * 1.1, avail);
}

/* Panel @p's title, the longest that fits its width: with its shape and pruned share, with its
 * shape, or its name alone, cut in the middle if need be (the pixel view's has room). */
static const char *
panel_title (LabPlot               *plot,
             const LabPlotStyle    *s,
             const LabWeightsPanel *p)
{
  double w, avail = p->rect.size.width;

  lab_plot_text_size (GTK_WIDGET (plot), s, p->title, 1.0, FALSE, &w, NULL);
  if (w <= avail || p->title_short == NULL)
    return p->title;
  lab_plot_text_size (GTK_WIDGET (plot), s, p->title_short, 1.0, FALSE, &w, NULL);
  if (w <= avail)
    return p->title_short;
  return lab_plot_fit_text (plot, s, p->name, 1.0, FALSE, avail);
}

void
lab_weights_paint_panel (LabPlot               *plot,
                         GtkSnapshot           *snapshot,
                         const LabPlotStyle    *s,
                         const LabWeightsPanel *p,
                         const LabWeightsPaint *how)
{
  double small_h = lab_plot_line_height (GTK_WIDGET (plot), s, SMALL);

  draw_panel_text (plot, snapshot, s, how, panel_title (plot, s, p), 1.0, p->rect.origin.x,
                   p->rect.origin.y - 2, 0, 1, &s->fg);
  if (p->image != NULL)
    {
      gtk_snapshot_save (snapshot);
      gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (0, (float) how->dy));
      gtk_snapshot_append_node (snapshot, p->image);
      gtk_snapshot_restore (snapshot);
    }
  if (!p->all_pruned)
    draw_bar (plot, snapshot, s, p, how);
  if (p->note != NULL)
    {
      double w;
      const char *note = p->note;

      /* the short note on a narrow panel, none on a narrower one */
      lab_plot_text_size (GTK_WIDGET (plot), s, note, SMALL, FALSE, &w, NULL);
      if (w > p->rect.size.width && how->mode == LAB_WEIGHTS_MODE_HEATMAPS)
        {
          note = p->note_short;
          lab_plot_text_size (GTK_WIDGET (plot), s, note, SMALL, FALSE, &w, NULL);
        }
      if (w <= p->rect.size.width || how->mode == LAB_WEIGHTS_MODE_PIXELS)
        draw_panel_text (plot, snapshot, s, how, note, SMALL, p->bar.origin.x,
                         p->all_pruned ? p->bar.origin.y
                                       : p->bar.origin.y + p->bar.size.height + 1 + small_h,
                         0, 0, &s->muted);
    }
}
