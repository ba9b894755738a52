/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-sparsity-plot.c: plot 7, pruning (see lab-sparsity-plot.h). Per-layer sparsity comes from
 * the last row (or, before any row, from the heavy snapshot's layers); sweep points are grouped
 * by criterion and sorted by sparsity when the model changes. With a sweep the widget shows two
 * panels, each with its own title and axes: bars on the left (or top) and
 * accuracy-versus-sparsity curves on the right (bottom).
 */
#define G_LOG_DOMAIN "lab-sparsity-plot"

#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "lab-palette.h"
#include "lab-plot-axes.h"
#include "lab-plot-bars.h"
#include "lab-plot-legend.h"
#include "lab-plot-paint.h"
#include "lab-plot-text.h"
#include "lab-sparsity-plot.h"

#define MAX_CURVES 8

typedef struct
{
  char   name[32];
  guint  first;     /* index into sweep_points */
  guint  n;
} Curve;

struct _LabSparsityPlot
{
  LabPlot       parent_instance;

  /* gathered data */
  guint         n_layers;
  double        sparsity[LAB_MAX_LAYERS];
  double        total;
  GArray       *sweep_points;   /* LabPlotPoint (x = sparsity %, y = accuracy %), by curve */
  Curve         curves[MAX_CURVES];
  guint         n_curves;

  /* the last frame */
  guint         drawn_curves;
};

G_DEFINE_FINAL_TYPE (LabSparsityPlot, lab_sparsity_plot, LAB_TYPE_PLOT)

/* --- data ---------------------------------------------------------------------------------- */

/* Each layer's sparsity: from the last row, or before any row from the heavy snapshot (the
 * engine counted each layer's when it made it). */
static void
gather_layers (LabSparsityPlot    *self,
               const LabStepStats *row,
               LabSnapshot        *heavy)
{
  self->n_layers = 0;
  self->total = NAN;
  if (row != NULL && row->step > 0 && row->n_layers > 0)
    {
      self->n_layers = MIN (row->n_layers, LAB_MAX_LAYERS);
      for (guint l = 0; l < self->n_layers; l++)
        self->sparsity[l] = row->layer[l].sparsity;
      self->total = row->sparsity;
    }
  else if (heavy != NULL && heavy->heavy != NULL && heavy->heavy->n_layers > 0)
    {
      const LabHeavy *hv = heavy->heavy;
      double pruned_all = 0, n_all = 0;

      self->n_layers = MIN (hv->n_layers, LAB_MAX_LAYERS);
      for (guint l = 0; l < self->n_layers; l++)
        {
          const LabHeavyLayer *layer = lab_heavy_layer (hv, l);
          double n = (double) layer->rows * layer->cols;

          self->sparsity[l] = layer->sparsity;
          pruned_all += layer->sparsity * n;
          n_all += n;
        }
      self->total = n_all > 0 ? pruned_all / n_all : 0.0;
    }
}

static int
compare_x (const void *a,
           const void *b)
{
  const LabPlotPoint *pa = a, *pb = b;

  return (pa->x > pb->x) - (pa->x < pb->x);
}

static gboolean
is_criterion (const Curve         *c,
              const LabSweepPoint *p)
{
  return strncmp (c->name, p->criterion, sizeof c->name - 1) == 0;
}

/* The sweep: one curve per criterion, in order of first appearance, points sorted by
 * sparsity. */
static void
gather_sweep (LabSparsityPlot *self,
              GPtrArray       *sweep)
{
  self->n_curves = 0;
  g_array_set_size (self->sweep_points, 0);
  for (guint i = 0; sweep != NULL && i < sweep->len; i++)
    {
      const LabSweepPoint *p = g_ptr_array_index (sweep, i);
      guint c = 0;

      while (c < self->n_curves && !is_criterion (&self->curves[c], p))
        c++;
      if (c == self->n_curves && self->n_curves < MAX_CURVES)
        {
          g_strlcpy (self->curves[c].name, p->criterion, sizeof self->curves[c].name);
          self->n_curves++;
        }
    }
  for (guint c = 0; c < self->n_curves; c++)
    {
      Curve *curve = &self->curves[c];

      curve->first = self->sweep_points->len;
      for (guint i = 0; i < sweep->len; i++)
        {
          const LabSweepPoint *p = g_ptr_array_index (sweep, i);
          LabPlotPoint pt = { 100.0 * p->sparsity, 100.0 * p->accuracy, 100.0 * p->accuracy,
                              100.0 * p->accuracy };

          if (is_criterion (curve, p))
            g_array_append_val (self->sweep_points, pt);
        }
      curve->n = self->sweep_points->len - curve->first;
      qsort (&g_array_index (self->sweep_points, LabPlotPoint, curve->first), curve->n,
             sizeof (LabPlotPoint), compare_x);
    }
}

static void
lab_sparsity_plot_update (LabPlot   *plot,
                          LabExtent *x,
                          LabExtent *y)
{
  LabSparsityPlot *self = LAB_SPARSITY_PLOT (plot);
  LabPlotModel *model = lab_plot_get_model (plot);

  gather_layers (self, model != NULL ? lab_plot_model_get_last_row (model) : NULL,
                 model != NULL ? lab_plot_model_get_heavy (model) : NULL);
  gather_sweep (self, model != NULL ? lab_plot_model_get_sweep (model) : NULL);
}

/* --- drawing ------------------------------------------------------------------------------- */

/* Bar @l over its full 100 % track (so an empty layer still shows its slot), with its label
 * and, when there is room, its value above it. */
static void
draw_bar (LabSparsityPlot    *self,
          GtkSnapshot        *snapshot,
          const LabPlotStyle *s,
          const LabPlotArea  *area,
          const LabScale     *ys,
          const LabPlotBars  *bars,
          guint               l)
{
  const graphene_rect_t *d = &area->data;
  double cx = lab_plot_bars_center (bars, l);
  double v = CLAMP (self->sparsity[l], 0.0, 1.0);
  double top = lab_plot_area_y (area, ys, 100.0 * v);
  GdkRGBA color, track = lab_palette_alpha (&s->fg, 0.06);
  char val[16];

  lab_palette_layer_color (l, self->n_layers, &color);
  lab_plot_fill_rect (snapshot, &track, cx - bars->bar_w / 2, d->origin.y, bars->bar_w,
                      d->size.height);
  if (isfinite (top))
    lab_plot_fill_rect (snapshot, &color, cx - bars->bar_w / 2, top, bars->bar_w,
                        d->origin.y + d->size.height - top);
  if (!lab_plot_bars_is_labelled (bars, l))
    return;
  lab_plot_bars_draw_label (snapshot, GTK_WIDGET (self), s, bars, l);
  if (bars->slot > bars->label_w * 1.6 && isfinite (top))
    {
      g_snprintf (val, sizeof val, "%.0f %%", 100.0 * v);
      lab_plot_draw_text (snapshot, GTK_WIDGET (self), s, val, LAB_PLOT_BARS_LABEL_REL, FALSE,
                          &s->fg, cx, MAX (top - 2, d->origin.y + 16 * s->font_scale), 0.5, 1,
                          NULL, NULL);
    }
}

/* The bars panel, @width × @height at the snapshot's origin. */
static void
draw_bars (LabSparsityPlot    *self,
           GtkSnapshot        *snapshot,
           const LabPlotStyle *s,
           int                 width,
           int                 height)
{
  GtkWidget *widget = GTK_WIDGET (self);
  LabPlotArea area;
  LabPlotBars bars;
  LabScale ys;
  char subtitle[64] = "";

  lab_plot_area_init (&area, widget, s, width, height, 0);
  if (isfinite (self->total))
    g_snprintf (subtitle, sizeof subtitle, "total %.1f %%", 100.0 * self->total);
  lab_plot_draw_title (snapshot, widget, s, &area, "Sparsity per layer",
                       subtitle[0] ? subtitle : NULL);
  lab_scale_init (&ys, 0, 100, FALSE);
  lab_plot_draw_axes (snapshot, widget, s, &area, NULL, NULL, &ys, "pruned weights (%)",
                      NULL, NULL);

  if (self->n_layers == 0)
    {
      char empty[96];

      lab_plot_empty_message (LAB_PLOT (self), "weights", empty, sizeof empty);
      lab_plot_draw_message (snapshot, widget, s, &area, empty);
      return;
    }

  lab_plot_bars_init (&bars, widget, s, &area.data, self->n_layers);
  for (guint l = 0; l < self->n_layers; l++)
    draw_bar (self, snapshot, s, &area, &ys, &bars, l);
  lab_plot_bars_draw_title (snapshot, widget, s, &bars, height - 6);
}

/* The accuracy-versus-sparsity panel, @width × @height at the snapshot's origin. */
static void
draw_sweep (LabSparsityPlot    *self,
            GtkSnapshot        *snapshot,
            const LabPlotStyle *s,
            LabPlotCanvas      *canvas,
            int                 width,
            int                 height)
{
  GtkWidget *widget = GTK_WIDGET (self);
  LabPlotLegendItem items[MAX_CURVES];
  LabExtent acc;
  LabPlotArea area;
  LabScale xs, ys;
  double y_min = 0, y_max = 100;

  lab_plot_area_init (&area, widget, s, width, height, 0);
  lab_plot_draw_title (snapshot, widget, s, &area, "Accuracy vs sparsity", NULL);

  lab_extent_init (&acc);
  for (guint i = 0; i < self->sweep_points->len; i++)
    lab_extent_add (&acc, g_array_index (self->sweep_points, LabPlotPoint, i).y);
  if (!lab_extent_is_empty (&acc, FALSE))
    {
      y_min = acc.lo;
      y_max = acc.hi;
    }

  lab_scale_init (&xs, 0, 100, FALSE);
  /* a little room so markers at the extremes are not cut by the frame */
  lab_scale_init (&ys, y_min - 0.05 * (y_max - y_min), y_max + 0.05 * (y_max - y_min), FALSE);
  lab_scale_nice (&ys);
  ys.lo = MAX (ys.lo, 0.0);
  ys.hi = MIN (ys.hi, 100.0);
  if (ys.hi <= ys.lo)
    lab_scale_init (&ys, 0, 100, FALSE);
  lab_plot_draw_axes (snapshot, widget, s, &area, &xs, "sparsity (% of weights pruned)", &ys,
                      "test accuracy (%)", NULL, NULL);

  lab_plot_canvas_begin (canvas, snapshot, s, &area);
  for (guint c = 0; c < self->n_curves; c++)
    {
      items[c] = (LabPlotLegendItem) { self->curves[c].name, { 0 }, LAB_PLOT_SWATCH_MARKER };
      lab_palette_criterion_color (c, &items[c].color);
      lab_plot_canvas_draw_series (canvas, &xs, &ys,
                                   &g_array_index (self->sweep_points, LabPlotPoint,
                                                   self->curves[c].first),
                                   self->curves[c].n, &items[c].color,
                                   LAB_PLOT_SERIES_LINE | LAB_PLOT_SERIES_MARKERS);
    }
  lab_plot_canvas_end (canvas);
  lab_plot_draw_legend (snapshot, widget, s, &area, items, self->n_curves,
                        LAB_PLOT_LEGEND_BOTTOM_LEFT);
}

static void
lab_sparsity_plot_draw (LabPlot      *plot,
                        GtkSnapshot  *snapshot,
                        LabPlotFrame *f)
{
  LabSparsityPlot *self = LAB_SPARSITY_PLOT (plot);
  int width = (int) f->area.width, height = (int) f->area.height;
  gboolean side_by_side = width >= 480 && (width >= 1.3 * height || width >= 560);
  int w1 = side_by_side ? (int) (width * 0.4) : width;      /* bars take 40 %, */
  int h1 = side_by_side ? height : (int) (height * 0.45);   /* or 45 % on top */

  /* no sweep, or too small for two panels: the bars are the live part */
  self->drawn_curves = 0;
  if (self->n_curves == 0 || (width < 480 && height < 320))
    {
      draw_bars (self, snapshot, &f->style, width, height);
      return;
    }

  self->drawn_curves = self->n_curves;
  draw_bars (self, snapshot, &f->style, w1, h1);
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT ((float) (side_by_side ? w1 : 0),
                                                          (float) (side_by_side ? 0 : h1)));
  draw_sweep (self, snapshot, &f->style, f->canvas, side_by_side ? width - w1 : width,
              side_by_side ? height : height - h1);
  gtk_snapshot_restore (snapshot);
}

/* --- GObject ------------------------------------------------------------------------------- */

static void
lab_sparsity_plot_finalize (GObject *object)
{
  LabSparsityPlot *self = LAB_SPARSITY_PLOT (object);

  g_clear_pointer (&self->sweep_points, g_array_unref);

  G_OBJECT_CLASS (lab_sparsity_plot_parent_class)->finalize (object);
}

static void
lab_sparsity_plot_class_init (LabSparsityPlotClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  LabPlotClass *plot_class = LAB_PLOT_CLASS (klass);

  object_class->finalize = lab_sparsity_plot_finalize;

  plot_class->natural_width = 560;
  plot_class->natural_height = 300;
  plot_class->update = lab_sparsity_plot_update;
  plot_class->draw = lab_sparsity_plot_draw;
}

static void
lab_sparsity_plot_init (LabSparsityPlot *self)
{
  self->sweep_points = g_array_new (FALSE, FALSE, sizeof (LabPlotPoint));
  self->total = NAN;

  gtk_widget_add_css_class (GTK_WIDGET (self), "sparsity-plot");
}

GtkWidget *
lab_sparsity_plot_new (void)
{
  return g_object_new (LAB_TYPE_SPARSITY_PLOT, NULL);
}

double
lab_sparsity_plot_get_layer_sparsity (LabSparsityPlot *self,
                                      guint            layer)
{
  g_return_val_if_fail (LAB_IS_SPARSITY_PLOT (self), NAN);

  lab_plot_update (LAB_PLOT (self));
  return layer < self->n_layers ? self->sparsity[layer] : NAN;
}

guint
lab_sparsity_plot_get_n_curves (LabSparsityPlot *self)
{
  g_return_val_if_fail (LAB_IS_SPARSITY_PLOT (self), 0);

  return self->drawn_curves;
}
