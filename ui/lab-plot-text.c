/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-plot-text.c: the text of a plot (see lab-plot-text.h). Labels go through the plot's
 * layout cache and gtk_snapshot_append_layout(); a title that is ellipsized and a message that
 * is wrapped get layouts of their own, since their width is part of the layout.
 */
#define G_LOG_DOMAIN "lab-plot-text"

#include "config.h"

#include <math.h>

#include "lab-plot.h"
#include "lab-plot-text.h"

#define MIN_TEXT_PX 11.0   /* no label smaller than this, ever */
#define PAD         LAB_PLOT_PAD

PangoLayout *
lab_plot_layout_new (GtkWidget          *widget,
                     const LabPlotStyle *s,
                     const char         *text,
                     double              rel,
                     gboolean            bold)
{
  PangoContext *pctx = gtk_widget_get_pango_context (widget);
  const PangoFontDescription *base = pango_context_get_font_description (pctx);
  PangoFontDescription *desc;
  PangoLayout *layout;
  double px = 13.0;

  if (base != NULL && pango_font_description_get_size (base) > 0)
    {
      px = (double) pango_font_description_get_size (base) / PANGO_SCALE;
      if (!pango_font_description_get_size_is_absolute (base))
        px *= 96.0 / 72.0;
    }
  px = MAX (px * rel, MIN_TEXT_PX) * s->font_scale;

  desc = base != NULL ? pango_font_description_copy (base) : pango_font_description_new ();
  pango_font_description_set_absolute_size (desc, px * PANGO_SCALE);
  if (bold)
    pango_font_description_set_weight (desc, PANGO_WEIGHT_BOLD);

  layout = gtk_widget_create_pango_layout (widget, NULL);
  pango_layout_set_font_description (layout, desc);
  if (text != NULL)
    pango_layout_set_text (layout, text, -1);
  pango_font_description_free (desc);

  return layout;
}

void
lab_plot_append_layout (GtkSnapshot   *snapshot,
                        PangoLayout   *layout,
                        const GdkRGBA *color,
                        double         x,
                        double         y)
{
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (round (x), round (y)));
  gtk_snapshot_append_layout (snapshot, layout, color);
  gtk_snapshot_restore (snapshot);
}

void
lab_plot_text_size (GtkWidget          *plot,
                    const LabPlotStyle *s,
                    const char         *text,
                    double              rel,
                    gboolean            bold,
                    double             *w,
                    double             *h)
{
  PangoLayout *layout = lab_plot_get_layout (LAB_PLOT (plot), s, text, rel, bold);
  int lw, lh;

  pango_layout_get_pixel_size (layout, &lw, &lh);
  if (w != NULL)
    *w = lw;
  if (h != NULL)
    *h = lh;
}

double
lab_plot_line_height (GtkWidget          *plot,
                      const LabPlotStyle *s,
                      double              rel)
{
  double h;

  lab_plot_text_size (plot, s, "Ag", rel, FALSE, NULL, &h);
  return h;
}

double
lab_plot_text_width (GtkWidget          *plot,
                     const LabPlotStyle *s,
                     const char         *text,
                     double              rel,
                     gboolean            bold)
{
  double w;

  lab_plot_text_size (plot, s, text, rel, bold, &w, NULL);
  return w;
}

void
lab_plot_draw_text (GtkSnapshot        *snapshot,
                    GtkWidget          *plot,
                    const LabPlotStyle *s,
                    const char         *text,
                    double              rel,
                    gboolean            bold,
                    const GdkRGBA      *color,
                    double              x,
                    double              y,
                    double              xalign,
                    double              yalign,
                    double             *w,
                    double             *h)
{
  PangoLayout *layout = lab_plot_get_layout (LAB_PLOT (plot), s, text, rel, bold);
  int lw, lh;

  pango_layout_get_pixel_size (layout, &lw, &lh);
  lab_plot_append_layout (snapshot, layout, color != NULL ? color : &s->fg,
                          x - xalign * lw, y - yalign * lh);
  lab_plot_add_label (LAB_PLOT (plot), layout, x - xalign * lw, y - yalign * lh);
  if (w != NULL)
    *w = lw;
  if (h != NULL)
    *h = lh;
}

void
lab_plot_thin_labels (const double *left,
                      const double *right,
                      guint         n,
                      double        gap,
                      gboolean     *keep)
{
  guint last = 0;   /* the last label kept */

  for (guint i = 0; i < n; i++)
    {
      keep[i] = i == 0 || left[i] >= right[last] + gap;
      if (keep[i])
        last = i;
    }
  if (n < 2 || keep[n - 1])
    return;
  /* the last one matters (the output layer): it replaces whatever it would touch */
  keep[n - 1] = TRUE;
  for (guint i = n - 1; i-- > 1;)
    {
      if (keep[i] && right[i] + gap > left[n - 1])
        keep[i] = FALSE;
      else if (keep[i])
        break;
    }
  keep[0] = right[0] + gap <= left[n - 1];
}

char *
lab_plot_cut_text (GtkWidget          *widget,
                   const LabPlotStyle *s,
                   const char         *text,
                   double              rel,
                   gboolean            bold,
                   double              max_w)
{
  g_autoptr(PangoLayout) layout = lab_plot_layout_new (widget, s, text, rel, bold);
  glong n = g_utf8_strlen (text, -1), lo = 0, hi = n;
  char *best = g_strdup ("…");
  int w;

  pango_layout_get_pixel_size (layout, &w, NULL);
  if (w <= max_w)
    {
      g_free (best);
      return g_strdup (text);
    }
  /* the most characters kept that fit: a third from the start, the rest from the end, since
   * layer names differ at their end */
  while (lo < hi)
    {
      glong keep = (lo + hi + 1) / 2, head = keep / 3;
      g_autofree char *start = g_utf8_substring (text, 0, head);
      g_autofree char *cut = g_strdup_printf ("%s…%s", start,
                                              g_utf8_offset_to_pointer (text, n - (keep - head)));

      pango_layout_set_text (layout, cut, -1);
      pango_layout_get_pixel_size (layout, &w, NULL);
      if (w <= max_w)
        {
          g_free (best);
          best = g_steal_pointer (&cut);
          lo = keep;
        }
      else
        hi = keep - 1;
    }
  return best;
}

void
lab_plot_draw_title (GtkSnapshot        *snapshot,
                     GtkWidget          *plot,
                     const LabPlotStyle *s,
                     const LabPlotArea  *area,
                     const char         *title,
                     const char         *subtitle)
{
  double avail = area->width - PAD * 3;
  int w = 0, h = 0;

  if (title != NULL)
    {
      /* ellipsized to the widget width; a narrow plot keeps its title readable and unclipped */
      PangoLayout *layout = lab_plot_layout_new (plot, s, title, LAB_PLOT_TITLE_REL, TRUE);

      pango_layout_set_width (layout, (int) MAX (1.0, avail) * PANGO_SCALE);
      pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
      pango_layout_get_pixel_size (layout, &w, &h);
      lab_plot_append_layout (snapshot, layout, &s->fg, PAD * 1.5, area->title_y);
      lab_plot_add_label (LAB_PLOT (plot), layout, PAD * 1.5, area->title_y);
      g_object_unref (layout);
    }
  if (subtitle != NULL)
    {
      double sw, sh;

      lab_plot_text_size (plot, s, subtitle, LAB_PLOT_AXIS_REL, FALSE, &sw, &sh);
      if (w + PAD + sw <= avail)
        lab_plot_draw_text (snapshot, plot, s, subtitle, LAB_PLOT_AXIS_REL, FALSE, &s->muted,
                            PAD * 1.5 + w + PAD, area->title_y + (h - sh) * 0.7, 0, 0,
                            NULL, NULL);
    }
}

void
lab_plot_draw_message (GtkSnapshot        *snapshot,
                       GtkWidget          *plot,
                       const LabPlotStyle *s,
                       const LabPlotArea  *area,
                       const char         *message)
{
  const graphene_rect_t *d = &area->data;
  double avail = MAX (1.0, d->size.width - 2 * PAD);
  double w, h;
  PangoLayout *layout;
  int lw, lh;

  lab_plot_text_size (plot, s, message, 1.1, FALSE, &w, &h);
  if (w <= avail)
    {
      lab_plot_draw_text (snapshot, plot, s, message, 1.1, FALSE, &s->muted,
                          d->origin.x + d->size.width / 2, d->origin.y + d->size.height / 2,
                          0.5, 0.5, NULL, NULL);
      return;
    }
  /* a narrow plot: wrapped to the data area, centred line by line */
  layout = lab_plot_layout_new (plot, s, message, 1.1, FALSE);
  pango_layout_set_width (layout, (int) avail * PANGO_SCALE);
  pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
  pango_layout_set_alignment (layout, PANGO_ALIGN_CENTER);
  pango_layout_get_pixel_size (layout, &lw, &lh);
  lab_plot_append_layout (snapshot, layout, &s->muted, d->origin.x + PAD,
                          d->origin.y + (d->size.height - lh) / 2);
  lab_plot_add_label (LAB_PLOT (plot), layout, d->origin.x + PAD,
                      d->origin.y + (d->size.height - lh) / 2);
  g_object_unref (layout);
}
