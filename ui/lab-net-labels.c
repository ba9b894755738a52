/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-net-labels.c: the texts of the network view's columns and layers (see lab-net-labels.h).
 * A row of texts is laid out as one: the longest form in which every text fits its slot, else
 * the shortest forms, thinned (lab_plot_thin_labels()).
 */
#define G_LOG_DOMAIN "lab-net-labels"

#include "config.h"

#include <glib/gi18n.h>

#include <math.h>
#include <string.h>

#include "lab-net-labels.h"
#include "lab-number-format.h"
#include "lab-palette.h"
#include "lab-plot-paint.h"
#include "lab-plot-text.h"

#define SMALL     0.85
#define MAX_FORMS 3

/* One text of a row, in up to MAX_FORMS forms, longest first ("" after the last). */
typedef struct
{
  double x;      /* its centre */
  double y;      /* its top */
  char   forms[MAX_FORMS][LAB_NET_NOTE_MAX];
} Item;

/* The form of @level, or the item's shortest when it has fewer. */
static const char *
form_at (const Item *item,
         guint       level)
{
  level = MIN (level, MAX_FORMS - 1);
  while (level > 0 && item->forms[level][0] == '\0')
    level--;
  return item->forms[level];
}

/* The first level at which every item fits @slot, or MAX_FORMS when even the shortest forms
 * do not. */
static guint
fitting_level (LabPlot            *plot,
               const LabPlotStyle *s,
               const Item         *items,
               guint               n,
               double              rel,
               gboolean            bold,
               double              slot)
{
  for (guint level = 0; level < MAX_FORMS; level++)
    {
      gboolean fits = TRUE;

      for (guint i = 0; i < n && fits; i++)
        fits = lab_plot_text_width (GTK_WIDGET (plot), s, form_at (&items[i], level), rel,
                                    bold) <= slot;
      if (fits)
        return level;
    }
  return MAX_FORMS;
}

/* A row of @n items, left to right, in the forms of @level, kept inside the plot and thinned so
 * that none touches another. */
static void
draw_row (LabPlot            *plot,
          GtkSnapshot        *snapshot,
          const LabPlotStyle *s,
          const Item         *items,
          guint               n,
          guint               level,
          double              rel,
          gboolean            bold,
          const GdkRGBA      *color)
{
  g_autofree double *left = g_new (double, MAX (n, 1));
  g_autofree double *right = g_new (double, MAX (n, 1));
  g_autofree gboolean *keep = g_new (gboolean, MAX (n, 1));
  double width = gtk_widget_get_width (GTK_WIDGET (plot));

  for (guint i = 0; i < n; i++)
    {
      double w = lab_plot_text_width (GTK_WIDGET (plot), s, form_at (&items[i], level), rel, bold);

      left[i] = CLAMP (items[i].x - w / 2, 0, MAX (0, width - w));
      right[i] = left[i] + w;
    }
  lab_plot_thin_labels (left, right, n, 4 * s->font_scale, keep);
  for (guint i = 0; i < n; i++)
    {
      const char *text = form_at (&items[i], level);
      double w = right[i] - left[i];

      if (!keep[i] || text[0] == '\0')
        continue;
      /* centred on its x where it fits the plot (placed as always), else at its kept place */
      if (left[i] == items[i].x - w / 2)
        lab_plot_draw_text (snapshot, GTK_WIDGET (plot), s, text, rel, bold, color,
                            round (items[i].x), round (items[i].y), 0.5, 0, NULL, NULL);
      else
        lab_plot_draw_text (snapshot, GTK_WIDGET (plot), s, text, rel, bold, color,
                            round (left[i]), round (items[i].y), 0, 0, NULL, NULL);
    }
}

/* A row in the longest forms that fit @slot each, else in its shortest, thinned. */
static void
draw_fitted_row (LabPlot            *plot,
                 GtkSnapshot        *snapshot,
                 const LabPlotStyle *s,
                 const Item         *items,
                 guint               n,
                 double              slot,
                 double              rel,
                 gboolean            bold,
                 const GdkRGBA      *color)
{
  guint level = fitting_level (plot, s, items, n, rel, bold, slot);

  draw_row (plot, snapshot, s, items, n, level, rel, bold, color);
}

/* --- columns ---------------------------------------------------------------------------------- */

/* "Hidden 3" then "H3"; "Input" "In"; "Output" "Out". */
static void
column_forms (const LabNetGraph  *g,
              const LabNetColumn *col,
              Item               *item)
{
  guint c = col->column;

  g_strlcpy (item->forms[0], col->label, sizeof item->forms[0]);
  if (c == 0)
    /* Translators: the short forms of the columns' names “Input”, “Output”, “Hidden 2” */
    g_strlcpy (item->forms[1], C_("column", "In"), sizeof item->forms[1]);
  else if (c + 1 == g->n_columns)
    g_strlcpy (item->forms[1], C_("column", "Out"), sizeof item->forms[1]);
  else
    g_snprintf (item->forms[1], sizeof item->forms[1], C_("column", "H%u"), c);
}

/* "top 22 of 300 by |δ|", then "22 of 300" (or "300"), then "22/300". */
static void
note_forms (const LabNetColumn *col,
            Item               *item)
{
  g_strlcpy (item->forms[0], col->note, sizeof item->forms[0]);
  if (col->n_more > 0)
    {
      g_snprintf (item->forms[1], sizeof item->forms[1], _("%u of %zu"), col->n_shown,
                  col->units);
      g_snprintf (item->forms[2], sizeof item->forms[2], "%u/%zu", col->n_shown, col->units);
    }
  else
    g_snprintf (item->forms[1], sizeof item->forms[1], "%zu", col->units);
}

/* A column's "+N more" marker, on a patch of background (the bundles of these units fan out
 * under it): "+32 more", or "+32" in a narrow column, or none in a narrower one. */
static void
draw_more (LabPlot            *plot,
           GtkSnapshot        *snapshot,
           const LabPlotStyle *s,
           const LabNetColumn *col,
           double              col_w)
{
  GdkRGBA box = lab_palette_alpha (&s->background, 0.85);
  char count[32], more[48];
  double w, h;

  lab_number_format_count (col->n_more, count, sizeof count);
  /* Translators: units not drawn, as “+32 more” */
  g_snprintf (more, sizeof more, _("+%s more"), count);
  if (lab_plot_text_width (GTK_WIDGET (plot), s, more, SMALL, FALSE) + 6 > col_w * 0.95)
    g_snprintf (more, sizeof more, "+%s", count);
  lab_plot_text_size (GTK_WIDGET (plot), s, more, SMALL, FALSE, &w, &h);
  if (w + 6 > col_w * 0.95)
    return;
  lab_plot_fill_rounded_rect (snapshot, &box, col->x - w / 2 - 3, col->more_y - h / 2, w + 6, h,
                              3);
  lab_plot_draw_text (snapshot, GTK_WIDGET (plot), s, more, SMALL, FALSE, &s->muted,
                      round (col->x), round (col->more_y - h / 2), 0.5, 0, NULL, NULL);
}

static void
draw_columns (LabPlot            *plot,
              GtkSnapshot        *snapshot,
              const LabPlotStyle *s,
              const LabNetGraph  *g,
              double              col_w)
{
  g_autofree Item *names = g_new0 (Item, g->n_columns);
  g_autofree Item *notes = g_new0 (Item, g->n_columns);

  for (guint c = 0; c < g->n_columns; c++)
    {
      const LabNetColumn *col = &g->columns[c];

      names[c].x = notes[c].x = col->x;
      names[c].y = g->opts.y;
      notes[c].y = g->opts.y + g->opts.line_h * 1.05;
      column_forms (g, col, &names[c]);
      note_forms (col, &notes[c]);
      if (col->n_more > 0)
        draw_more (plot, snapshot, s, col, col_w);
    }
  draw_fitted_row (plot, snapshot, s, names, g->n_columns, col_w * 0.98, 1.0, TRUE, &s->fg);
  draw_fitted_row (plot, snapshot, s, notes, g->n_columns, col_w * 0.98, SMALL, FALSE,
                   &s->muted);
}

/* --- layers ----------------------------------------------------------------------------------- */

/* Each layer's note under the gap between its columns: its first line ("W2 · 90 % pruned"),
 * then "W2 · 90 %", then "W2"; the second line (how its connections are drawn) where it fits.
 * When even the names do not fit one line, they alternate between two. */
static void
draw_layers (LabPlot            *plot,
             GtkSnapshot        *snapshot,
             const LabPlotStyle *s,
             const LabNetGraph  *g,
             const LabHeavy     *hv,
             double              col_w)
{
  guint n = g->n_columns - 1, level;
  double y = g->opts.y + g->opts.height - g->opts.line_h * 1.75, small_h;
  g_autofree Item *items = g_new0 (Item, MAX (n, 1));
  g_autofree Item *second = g_new0 (Item, MAX (n, 1));

  small_h = lab_plot_line_height (GTK_WIDGET (plot), s, SMALL);
  for (guint l = 0; l < n; l++)
    {
      const LabHeavyLayer *layer = &hv->layers[l];
      g_auto(GStrv) lines = g_strsplit (g->layer_note[l], "\n", 2);

      items[l].x = second[l].x = (g->columns[l].x + g->columns[l + 1].x) / 2;
      items[l].y = y;
      second[l].y = y + small_h;
      g_strlcpy (items[l].forms[0], lines[0] != NULL ? lines[0] : "", sizeof items[l].forms[0]);
      g_snprintf (items[l].forms[1], sizeof items[l].forms[1], "%s · %.0f %%", layer->name,
                  100 * layer->sparsity);
      g_strlcpy (items[l].forms[2], layer->name, sizeof items[l].forms[2]);
      if (lines[0] != NULL && lines[1] != NULL)
        g_strlcpy (second[l].forms[0], lines[1], sizeof second[l].forms[0]);
    }

  level = fitting_level (plot, s, items, n, SMALL, FALSE, col_w * 0.98);
  if (level < MAX_FORMS)
    {
      draw_row (plot, snapshot, s, items, n, level, SMALL, FALSE, &s->muted);
      /* the second lines where they fit their gap */
      for (guint l = 0; l < n; l++)
        if (second[l].forms[0][0] != '\0' &&
            lab_plot_text_width (GTK_WIDGET (plot), s, second[l].forms[0], SMALL, FALSE) <=
            col_w * 0.98)
          lab_plot_draw_text (snapshot, GTK_WIDGET (plot), s, second[l].forms[0], SMALL, FALSE,
                              &s->muted, round (second[l].x), round (second[l].y), 0.5, 0, NULL,
                              NULL);
      return;
    }
  /* every other note one line down: each has two gaps' width */
  for (guint first = 0; first < 2; first++)
    {
      guint k = 0;
      g_autofree Item *row = g_new0 (Item, MAX (n, 1));

      for (guint l = first; l < n; l += 2)
        {
          row[k] = items[l];
          row[k++].y += first * small_h;
        }
      draw_fitted_row (plot, snapshot, s, row, k, 2 * col_w * 0.98, SMALL, FALSE, &s->muted);
    }
}

/* "+ skip" over each residual arc, as many as fit side by side. */
static void
draw_skips (LabPlot            *plot,
            GtkSnapshot        *snapshot,
            const LabPlotStyle *s,
            const LabNetGraph  *g)
{
  guint n = g->skips->len;
  g_autofree Item *items = g_new0 (Item, MAX (n, 1));
  double small_h;

  small_h = lab_plot_line_height (GTK_WIDGET (plot), s, SMALL);
  for (guint i = 0; i < n; i++)
    {
      const LabNetSkip *k = &g_array_index (g->skips, LabNetSkip, i);

      items[i].x = (k->x0 + k->x1) / 2;
      items[i].y = k->y - small_h * 0.85;
      /* Translators: marks a residual (skip) connection */
      g_strlcpy (items[i].forms[0], _("+ skip"), sizeof items[i].forms[0]);
    }
  draw_row (plot, snapshot, s, items, n, 0, SMALL, FALSE, &s->accent);
}

void
lab_net_labels_draw (LabPlot            *plot,
                     GtkSnapshot        *snapshot,
                     const LabPlotStyle *s,
                     const LabNetGraph  *graph,
                     const LabHeavy     *heavy)
{
  double col_w;

  g_return_if_fail (graph != NULL);

  if (graph->n_columns == 0)
    return;
  col_w = graph->opts.width / graph->n_columns;
  draw_columns (plot, snapshot, s, graph, col_w);
  draw_layers (plot, snapshot, s, graph, heavy, col_w);
  draw_skips (plot, snapshot, s, graph);
}
