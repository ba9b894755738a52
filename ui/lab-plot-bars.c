/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-plot-bars.c: one bar per network layer across a data area (see lab-plot-bars.h).
 */
#define G_LOG_DOMAIN "lab-plot-bars"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "lab-plot-bars.h"
#include "lab-plot-text.h"

void
lab_plot_bars_init (LabPlotBars           *bars,
                    GtkWidget             *plot,
                    const LabPlotStyle    *s,
                    const graphene_rect_t *data,
                    guint                  n)
{
  bars->data = *data;
  bars->n = n;
  bars->slot = data->size.width / MAX (1, n);
  bars->bar_w = MAX (2.0, MIN (bars->slot * 0.6, 80.0 * s->font_scale));
  /* labels thinned out when they would collide */
  lab_plot_text_size (plot, s, "L33", LAB_PLOT_BARS_LABEL_REL, FALSE, &bars->label_w, NULL);
  bars->label_every = 1;
  while (bars->slot * bars->label_every < bars->label_w * 1.3)
    bars->label_every++;
}

guint
lab_plot_bars_max (const LabPlotStyle *s,
                   double              width)
{
  /* a bar takes 60 % of its slot */
  return (guint) MAX (1.0, floor (width / (LAB_PLOT_BARS_MIN_WIDTH * s->font_scale / 0.6)));
}

double
lab_plot_bars_center (const LabPlotBars *bars,
                      guint              l)
{
  return bars->data.origin.x + bars->slot * (l + 0.5);
}

int
lab_plot_bars_at (const LabPlotBars *bars,
                  double             x)
{
  int l = (int) floor ((x - bars->data.origin.x) / bars->slot);

  return l >= 0 && l < (int) bars->n ? l : -1;
}

gboolean
lab_plot_bars_is_labelled (const LabPlotBars *bars,
                           guint              l)
{
  return (l % bars->label_every == 0 && bars->n - 1 - l >= bars->label_every) ||
         l + 1 == bars->n;
}

void
lab_plot_bars_draw_label (GtkSnapshot        *snapshot,
                          GtkWidget          *plot,
                          const LabPlotStyle *s,
                          const LabPlotBars  *bars,
                          guint               l)
{
  char label[16];

  g_snprintf (label, sizeof label, "L%u", l + 1);
  lab_plot_draw_text (snapshot, plot, s, label, LAB_PLOT_BARS_LABEL_REL, FALSE, &s->muted,
                      lab_plot_bars_center (bars, l),
                      bars->data.origin.y + bars->data.size.height + 4, 0.5, 0, NULL, NULL);
}

void
lab_plot_bars_draw_spans (GtkSnapshot        *snapshot,
                          GtkWidget          *plot,
                          const LabPlotStyle *s,
                          const LabPlotBars  *bars,
                          const char * const *labels,
                          const guint        *first,
                          const guint        *last,
                          guint               n)
{
  g_autofree double *left = g_new (double, MAX (n, 1));
  g_autofree double *right = g_new (double, MAX (n, 1));
  g_autofree gboolean *keep = g_new (gboolean, MAX (n, 1));
  double x0 = bars->data.origin.x, x1 = x0 + bars->data.size.width;

  for (guint i = 0; i < n; i++)
    {
      double w, c = (lab_plot_bars_center (bars, first[i]) + lab_plot_bars_center (bars, last[i]))
                    / 2;

      lab_plot_text_size (plot, s, labels[i], LAB_PLOT_BARS_LABEL_REL, FALSE, &w, NULL);
      /* under the data, not under the y axis' labels beside it */
      left[i] = CLAMP (c - w / 2, x0, MAX (x0, x1 - w));
      right[i] = left[i] + w;
    }
  lab_plot_thin_labels (left, right, n, 0.3 * bars->label_w, keep);
  for (guint i = 0; i < n; i++)
    if (keep[i])
      lab_plot_draw_text (snapshot, plot, s, labels[i], LAB_PLOT_BARS_LABEL_REL, FALSE,
                          &s->muted, left[i], bars->data.origin.y + bars->data.size.height + 4,
                          0, 0, NULL, NULL);
}

void
lab_plot_bars_draw_title (GtkSnapshot        *snapshot,
                          GtkWidget          *plot,
                          const LabPlotStyle *s,
                          const LabPlotBars  *bars,
                          double              bottom)
{
  lab_plot_draw_text (snapshot, plot, s, _("layer (input → output)"), LAB_PLOT_BARS_LABEL_REL,
                      FALSE, &s->muted, bars->data.origin.x + bars->data.size.width / 2, bottom,
                      0.5, 1, NULL, NULL);
}
