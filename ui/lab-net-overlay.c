/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-net-overlay.c: the network view's per-frame layer over its picture (see
 * lab-net-overlay.h). Text goes through the plot's layout cache, so a frame costs no shaping
 * unless a number changed. The columns' and layers' texts are lab-net-labels.c's.
 */
#define G_LOG_DOMAIN "lab-net-overlay"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "lab-colormap.h"
#include "lab-net-overlay.h"
#include "lab-net-paint.h"
#include "lab-number-format.h"
#include "lab-palette.h"
#include "lab-plot-paint.h"
#include "lab-plot-text.h"

#define SMALL 0.85

static void
text (LabPlot            *plot,
      GtkSnapshot        *snapshot,
      const LabPlotStyle *s,
      const char         *str,
      double              rel,
      gboolean            bold,
      const GdkRGBA      *color,
      double              x,
      double              y,
      double              xalign)
{
  lab_plot_draw_text (snapshot, GTK_WIDGET (plot), s, str, rel, bold, color, round (x), round (y),
                      xalign, 0, NULL, NULL);
}

double
lab_net_overlay_legend_height (double line_h)
{
  return line_h * 2.6;
}

/* --- legend ----------------------------------------------------------------------------------- */

/* The colour bar of the log scale at (@x, @y), its ends labelled; returns its right end. */
static double
draw_colour_bar (LabPlot            *plot,
                 GtkSnapshot        *snapshot,
                 const LabPlotStyle *s,
                 const LabNetGraph  *g,
                 double              x,
                 double              y,
                 double              line_h)
{
  const guint steps = 48;
  double w = line_h * 9, h = line_h * 0.6;
  char lo[32], hi[32];

  lab_number_format_decade (pow (10, g->scale_lo), lo, sizeof lo);
  lab_number_format_decade (pow (10, g->scale_hi), hi, sizeof hi);
  text (plot, snapshot, s, lo, SMALL, FALSE, &s->muted, x, y, 0);
  x += lab_plot_text_width (GTK_WIDGET (plot), s, lo, SMALL, FALSE) + 4;
  for (guint i = 0; i < steps; i++)
    {
      float rgb[3];
      GdkRGBA c;

      lab_colormap_sequential ((i + 0.5) / steps, rgb);
      c = (GdkRGBA) { rgb[0], rgb[1], rgb[2], 1 };
      lab_plot_fill_rect (snapshot, &c, x + w * i / steps, y + line_h * 0.2, w / steps + 0.5, h);
    }
  x += w + 4;
  text (plot, snapshot, s, hi, SMALL, FALSE, &s->muted, x, y, 0);
  return x + lab_plot_text_width (GTK_WIDGET (plot), s, hi, SMALL, FALSE) + line_h;
}

/* What the units' fill means, for the data the net has. */
static void
fill_words (const LabNetGraph *g,
            const LabHeavy    *hv,
            GString           *out)
{
  if (g->opts.color == LAB_NET_COLOR_DELTA)
    return;
  if (hv->map_n > 0 && g->opts.thumbnails)
    g_string_append (out,
                     _(" · squares: each unit's output over the input plane (blue < 0 < red)"));
  else if (g->columns[0].image)
    {
      if (g->opts.thumbnails)
        g_string_append (out, _(" · first layer: incoming weights as an image (slate: pruned)"));
      if (hv->probe_index >= 0)
        g_string_append_printf (out, _(" · circles: output on test image #%zd (blue < 0 < red)"),
                                hv->probe_index);
    }
}

void
lab_net_overlay_draw_legend (LabPlot            *plot,
                             GtkSnapshot        *snapshot,
                             const LabPlotStyle *s,
                             const LabNetGraph  *graph,
                             const LabHeavy     *heavy,
                             double              height)
{
  double line_h = graph->opts.line_h, x = graph->opts.x;
  double y = height - lab_net_overlay_legend_height (line_h) + line_h * 0.3;
  g_autoptr(GString) detail = g_string_new (graph->summary);
  const char *words, *brief;
  GdkRGBA pruned;
  float rgb[3];

  lab_palette_pruned_color (GTK_WIDGET (plot), &pruned);
  if (graph->opts.color == LAB_NET_COLOR_WEIGHT)
    {
      GdkRGBA c;

      lab_colormap_diverging (1, 1, rgb);
      c = (GdkRGBA) { rgb[0], rgb[1], rgb[2], 1 };
      lab_plot_fill_rect (snapshot, &c, x, y + line_h * 0.45, line_h * 1.2, 2.5);
      lab_colormap_diverging (-1, 1, rgb);
      c = (GdkRGBA) { rgb[0], rgb[1], rgb[2], 1 };
      lab_plot_fill_rect (snapshot, &c, x + line_h * 1.4, y + line_h * 0.45, line_h * 1.2, 2.5);
      x += line_h * 3;
      words = _("w > 0 · w < 0 · width and opacity: |w| ÷ the layer's largest · grey bands: "
                "bundles, width: share kept · hollow: all weights in or out pruned");
      brief = _("w > 0 · w < 0 · width: |w| · hollow: all in or out pruned");
    }
  else if (isnan (graph->scale_lo))
    words = brief = graph->opts.color == LAB_NET_COLOR_DELTA
                      ? _("no back-propagated |δ| per unit yet: take a step")
                      : _("no gradients yet: take a step");
  else
    {
      x = draw_colour_bar (plot, snapshot, s, graph, x, y, line_h);
      words = graph->opts.color == LAB_NET_COLOR_DELTA
                ? _("units: back-propagated |δ| (‖δⱼ‖ over the batch), one log scale for all "
                    "layers · hollow: all weights in or out pruned")
                : _("connections: |∂L/∂w| of the last step, one log scale · bundles: their mean");
      brief = graph->opts.color == LAB_NET_COLOR_DELTA ? _("back-propagated |δ| per unit")
                                                       : _("|∂L/∂w| per connection");
    }
  /* a narrow view (compare mode) says less, and cuts what is still too long (the shape of 33
   * layers: "2-16-16-…-16-3") */
  if (x + lab_plot_text_width (GTK_WIDGET (plot), s, words, 1.0, FALSE) >
      graph->opts.x + graph->opts.width)
    words = brief;
  text (plot, snapshot, s,
        lab_plot_fit_text (plot, s, words, 1.0, FALSE, graph->opts.x + graph->opts.width - x),
        1.0, FALSE, &s->fg, x, y, 0);
  fill_words (graph, heavy, detail);
  if (lab_plot_text_width (GTK_WIDGET (plot), s, detail->str, SMALL, FALSE) > graph->opts.width)
    g_string_assign (detail, graph->summary);
  text (plot, snapshot, s,
        lab_plot_fit_text (plot, s, detail->str, SMALL, FALSE, graph->opts.width), SMALL, FALSE,
        &s->muted, graph->opts.x, y + line_h * 1.1, 0);
}

/* --- animation and pointer -------------------------------------------------------------------- */

void
lab_net_overlay_draw_pulse (LabPlot            *plot,
                            GtkSnapshot        *snapshot,
                            const LabPlotStyle *s,
                            const LabNetGraph  *graph,
                            const LabStepStats *row,
                            double              progress)
{
  double lo = G_MAXDOUBLE, hi = -G_MAXDOUBLE, pos, col_w, top, bottom;
  guint n = graph->n_columns;

  if (row == NULL || row->step == 0 || row->n_layers + 1 != n)
    return;
  for (guint l = 0; l < row->n_layers; l++)
    if (row->layer[l].delta_norm > 0 && isfinite (row->layer[l].delta_norm))
      {
        lo = MIN (lo, log10 (row->layer[l].delta_norm));
        hi = MAX (hi, log10 (row->layer[l].delta_norm));
      }
  if (lo > hi)
    return;
  /* from the output column to the first hidden one */
  pos = (n - 1) - (n - 1.5) * CLAMP (progress, 0, 1);
  col_w = graph->opts.width / n;
  top = graph->opts.y + graph->opts.line_h * 2.2;
  bottom = graph->opts.y + graph->opts.height - graph->opts.line_h * 1.8;
  for (guint c = 1; c < n; c++)
    {
      double v = row->layer[c - 1].delta_norm, env = exp (-(pos - c) * (pos - c) / (2 * 0.2));
      double t = v > 0 ? (hi > lo ? (log10 (v) - lo) / (hi - lo) : 1) : 0;
      float rgb[3];
      GdkRGBA glow;

      if (env < 0.02)
        continue;
      lab_colormap_sequential (t, rgb);
      glow = (GdkRGBA) { rgb[0], rgb[1], rgb[2], (float) (env * (0.08 + 0.5 * t)) };
      lab_plot_fill_rounded_rect (snapshot, &glow, graph->columns[c].x - col_w * 0.4, top,
                                  col_w * 0.8, bottom - top, col_w * 0.1);
      if (env > 0.5)
        {
          /* the measured value over the column's note while the pulse passes */
          GdkRGBA box = lab_palette_alpha (&s->tooltip_bg, 0.95);
          double y = graph->opts.y + graph->opts.line_h * 1.05, w;
          double h = lab_plot_line_height (GTK_WIDGET (plot), s, SMALL);
          char buf[48], num[32];

          lab_number_format_sci (v, num, sizeof num);
          g_snprintf (buf, sizeof buf, "‖δ‖ %s", num);
          w = lab_plot_text_width (GTK_WIDGET (plot), s, buf, SMALL, TRUE);
          lab_plot_fill_rounded_rect (snapshot, &box, graph->columns[c].x - w / 2 - 4, y - 1,
                                      w + 8, h + 2, 3);
          text (plot, snapshot, s, buf, SMALL, TRUE, &s->fg, graph->columns[c].x, y, 0.5);
        }
    }
}

void
lab_net_overlay_draw_hover (LabPlot            *plot,
                            GtkSnapshot        *snapshot,
                            const LabPlotStyle *s,
                            const LabNetGraph  *graph,
                            double              x,
                            double              y)
{
  int i = lab_net_graph_neuron_at (graph, x, y);
  cairo_t *cr;

  if (i < 0 && (i = lab_net_graph_edge_at (graph, x, y)) < 0)
    return;
  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (
                                    (float) graph->opts.x, (float) graph->opts.y,
                                    (float) graph->opts.width, (float) graph->opts.height));
  gdk_cairo_set_source_rgba (cr, &s->accent);
  if (lab_net_graph_neuron_at (graph, x, y) >= 0)
    {
      const LabNetNeuron *nn = &g_array_index (graph->neurons, LabNetNeuron, i);

      cairo_set_line_width (cr, 2.5);
      if (nn->thumb != LAB_NET_THUMB_NONE)
        cairo_rectangle (cr, nn->x - nn->r - 2, nn->y - nn->r - 2, 2 * nn->r + 4, 2 * nn->r + 4);
      else
        cairo_arc (cr, nn->x, nn->y, nn->r + 2, 0, 2 * G_PI);
    }
  else
    {
      const LabNetEdge *e = &g_array_index (graph->edges, LabNetEdge, i);

      cairo_set_line_width (cr, MAX (2.5, e->width + 1.5));
      cairo_move_to (cr, e->x0, e->y0);
      cairo_line_to (cr, e->x1, e->y1);
    }
  cairo_stroke (cr);
  cairo_destroy (cr);
}

void
lab_net_overlay_draw_enlarged (LabPlot            *plot,
                               GtkSnapshot        *snapshot,
                               const LabPlotStyle *s,
                               const LabNetGraph  *graph,
                               int                 index,
                               const LabHeavy     *heavy,
                               const GdkRGBA      *pruned)
{
  const LabNetNeuron *nn = &g_array_index (graph->neurons, LabNetNeuron, index);
  const LabNetOptions *o = &graph->opts;
  double side = floor (MIN (o->height * 0.6, o->width * 0.4)), pad = o->line_h;
  double x = o->x + (o->width - side) / 2, y = o->y + (o->height - side) / 2;
  GdkRGBA card = lab_palette_alpha (&s->tooltip_bg, 0.96);
  char name[64], caption[160];
  cairo_t *cr;

  lab_net_graph_column_name (graph, nn->column, name, sizeof name);
  g_snprintf (caption, sizeof caption, _("%s · unit %zu: %s"), name, nn->unit,
              nn->thumb == LAB_NET_THUMB_WEIGHTS ? _("its incoming weights (slate: pruned)")
              : nn->thumb == LAB_NET_THUMB_MAP ? _("its output over the input plane")
              : _("its input over the plane"));
  lab_plot_fill_rounded_rect (snapshot, &card, x - pad, y - pad * 2.4, side + 2 * pad,
                              side + pad * 4.6, 8);
  text (plot, snapshot, s, caption, 1.0, TRUE, &s->fg, x, y - pad * 1.6, 0);
  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT ((float) x, (float) y,
                                                                 (float) side, (float) side));
  lab_net_paint_thumb (cr, graph, nn, heavy, pruned, x, y, side);
  cairo_destroy (cr);
  text (plot, snapshot, s, _("blue < 0 < red · click to close"), SMALL, FALSE, &s->muted, x,
        y + side + pad * 0.4, 0);
}
