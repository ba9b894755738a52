/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-sparsity-plot.c: plot 7, pruning (see lab-sparsity-plot.h). Per-layer sparsity comes from
 * the last row (or, before any row, from the heavy snapshot's masks); sweep points are grouped
 * by criterion and sorted by sparsity when the model changes. With a sweep the widget shows two
 * panels: bars on the left (or top) and accuracy-versus-sparsity curves on the right (bottom).
 */
#define G_LOG_DOMAIN "lab-sparsity-plot"

#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "lab-plot-util.h"
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

  /* owned */
  gboolean      dirty;

  /* gathered data */
  guint         n_layers;
  double        sparsity[LAB_MAX_LAYERS];
  double        total;
  GArray       *sweep_points;   /* LabPlotPoint (x = sparsity %, y = accuracy %), by curve */
  Curve         curves[MAX_CURVES];
  guint         n_curves;
  GArray       *scratch;
  guint         drawn_curves;
};

G_DEFINE_FINAL_TYPE (LabSparsityPlot, lab_sparsity_plot, LAB_TYPE_PLOT)

/* A categorical palette for criteria: magnitude, gradient, saliency, random … */
static const GdkRGBA curve_colors[MAX_CURVES] = {
  { 0.16f, 0.48f, 0.89f, 1.f },
  { 0.90f, 0.45f, 0.05f, 1.f },
  { 0.15f, 0.64f, 0.41f, 1.f },
  { 0.55f, 0.35f, 0.85f, 1.f },
  { 0.85f, 0.20f, 0.25f, 1.f },
  { 0.10f, 0.65f, 0.70f, 1.f },
  { 0.75f, 0.60f, 0.10f, 1.f },
  { 0.55f, 0.55f, 0.55f, 1.f },
};

/* --- data ---------------------------------------------------------------------------------- */

static int
compare_x (const void *a,
           const void *b)
{
  const LabPlotPoint *pa = a, *pb = b;

  return (pa->x > pb->x) - (pa->x < pb->x);
}

static void
gather (LabSparsityPlot *self)
{
  LabPlotModel *model = lab_plot_get_model (LAB_PLOT (self));
  const LabStepStats *row = model != NULL ? lab_plot_model_get_last_row (model) : NULL;
  LabSnapshot *heavy = model != NULL ? lab_plot_model_get_heavy (model) : NULL;
  GPtrArray *sweep = model != NULL ? lab_plot_model_get_sweep (model) : NULL;

  self->dirty = FALSE;
  self->n_layers = 0;
  self->total = NAN;
  self->n_curves = 0;
  g_array_set_size (self->sweep_points, 0);

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

      /* the engine counted each layer's sparsity when it made the snapshot */
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

  /* sweep: one curve per criterion, in order of first appearance, points sorted by sparsity */
  for (guint i = 0; sweep != NULL && i < sweep->len; i++)
    {
      const LabSweepPoint *p = g_ptr_array_index (sweep, i);
      guint c;

      for (c = 0; c < self->n_curves; c++)
        if (strncmp (self->curves[c].name, p->criterion, sizeof self->curves[c].name - 1) == 0)
          break;
      if (c == self->n_curves && self->n_curves < MAX_CURVES)
        {
          g_strlcpy (self->curves[c].name, p->criterion, sizeof self->curves[c].name);
          self->n_curves++;
        }
    }
  for (guint c = 0; c < self->n_curves; c++)
    {
      self->curves[c].first = self->sweep_points->len;
      for (guint i = 0; i < sweep->len; i++)
        {
          const LabSweepPoint *p = g_ptr_array_index (sweep, i);

          if (strncmp (self->curves[c].name, p->criterion,
                       sizeof self->curves[c].name - 1) == 0)
            {
              LabPlotPoint pt = { 100.0 * p->sparsity, 100.0 * p->accuracy,
                                  100.0 * p->accuracy, 100.0 * p->accuracy };
              g_array_append_val (self->sweep_points, pt);
            }
        }
      self->curves[c].n = self->sweep_points->len - self->curves[c].first;
      qsort (&g_array_index (self->sweep_points, LabPlotPoint, self->curves[c].first),
             self->curves[c].n, sizeof (LabPlotPoint), compare_x);
    }
}

static void
invalidate (LabSparsityPlot *self)
{
  self->dirty = TRUE;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
lab_sparsity_plot_model_changed (LabPlot  *plot,
                                 gboolean  replaced)
{
  invalidate (LAB_SPARSITY_PLOT (plot));
}

/* --- drawing ------------------------------------------------------------------------------- */

static void
draw_bars (LabSparsityPlot    *self,
           GtkSnapshot        *snapshot,
           const LabPlotStyle *s,
           int                 width,
           int                 height)
{
  GtkWidget *widget = GTK_WIDGET (self);
  LabPlotArea area;
  LabPlotAxis ya;
  const graphene_rect_t *d;
  double slot, bar_w, base_y, label_w;
  guint label_every = 1;
  char subtitle[64] = "";

  lab_plot_area_init (&area, widget, s, width, height, 0);
  if (isfinite (self->total))
    g_snprintf (subtitle, sizeof subtitle, "total %.1f %%", 100.0 * self->total);
  lab_plot_draw_title (snapshot, widget, s, &area, "Sparsity per layer",
                       subtitle[0] ? subtitle : NULL);
  lab_plot_axis_init (&ya, 0, 100, FALSE);
  lab_plot_draw_axes (snapshot, widget, s, &area, NULL, NULL, &ya, "pruned weights (%)",
                      NULL, NULL);
  d = &area.data;
  base_y = d->origin.y + d->size.height;

  if (self->n_layers == 0)
    {
      char empty[96];

      lab_plot_empty_message (LAB_PLOT (self), "weights", empty, sizeof empty);
      lab_plot_draw_message (snapshot, widget, s, &area, empty);
      return;
    }

  slot = d->size.width / self->n_layers;
  bar_w = MAX (2.0, MIN (slot * 0.6, 80.0 * s->font_scale));
  lab_plot_text_size (widget, s, "L33", 0.9, FALSE, &label_w, NULL);
  while (slot * label_every < label_w * 1.3)
    label_every++;

  for (guint l = 0; l < self->n_layers; l++)
    {
      double cx = d->origin.x + slot * (l + 0.5);
      double v = CLAMP (self->sparsity[l], 0.0, 1.0);
      double top = lab_plot_area_y (&area, &ya, 100.0 * v);
      GdkRGBA color, track = lab_plot_rgba_alpha (&s->fg, 0.06);

      lab_plot_layer_color (l, self->n_layers, &color);
      /* the full 100 % track behind each bar, so an empty layer still shows its slot */
      lab_plot_fill_rect (snapshot, &track, cx - bar_w / 2, d->origin.y, bar_w, d->size.height);
      if (isfinite (top))
        lab_plot_fill_rect (snapshot, &color, cx - bar_w / 2, top, bar_w, base_y - top);

      if ((l % label_every == 0 && self->n_layers - 1 - l >= label_every) ||
          l + 1 == self->n_layers)
        {
          char label[16];

          g_snprintf (label, sizeof label, "L%u", l + 1);
          lab_plot_draw_text (snapshot, widget, s, label, 0.9, FALSE, &s->muted,
                              cx, base_y + 4, 0.5, 0, NULL, NULL);
          /* the value above the bar when there is room for it */
          if (slot > label_w * 1.6 && isfinite (top))
            {
              char val[16];

              g_snprintf (val, sizeof val, "%.0f %%", 100.0 * v);
              lab_plot_draw_text (snapshot, widget, s, val, 0.9, FALSE, &s->fg,
                                  cx, MAX (top - 2, d->origin.y + 16 * s->font_scale), 0.5, 1,
                                  NULL, NULL);
            }
        }
    }
  lab_plot_draw_text (snapshot, widget, s, "layer (input → output)", 0.9, FALSE, &s->muted,
                      d->origin.x + d->size.width / 2, height - 6, 0.5, 1, NULL, NULL);
}

static void
draw_sweep (LabSparsityPlot    *self,
            GtkSnapshot        *snapshot,
            const LabPlotStyle *s,
            int                 width,
            int                 height)
{
  GtkWidget *widget = GTK_WIDGET (self);
  LabPlotLegendItem items[MAX_CURVES];
  LabPlotLayer *layer;
  LabPlotArea area;
  LabPlotAxis xa, ya;
  double y_min = G_MAXDOUBLE, y_max = -G_MAXDOUBLE;

  lab_plot_area_init (&area, widget, s, width, height, 0);
  lab_plot_draw_title (snapshot, widget, s, &area, "Accuracy vs sparsity", NULL);

  for (guint i = 0; i < self->sweep_points->len; i++)
    {
      double y = g_array_index (self->sweep_points, LabPlotPoint, i).y;

      if (isfinite (y))
        {
          y_min = MIN (y_min, y);
          y_max = MAX (y_max, y);
        }
    }
  if (y_max < y_min)
    {
      y_min = 0;
      y_max = 100;
    }

  lab_plot_axis_init (&xa, 0, 100, FALSE);
  /* a little room so markers at the extremes are not cut by the frame */
  lab_plot_axis_init (&ya, y_min - 0.05 * (y_max - y_min), y_max + 0.05 * (y_max - y_min), FALSE);
  lab_plot_axis_nice (&ya);
  ya.lo = MAX (ya.lo, 0.0);
  ya.hi = MIN (ya.hi, 100.0);
  if (ya.hi <= ya.lo)
    lab_plot_axis_init (&ya, 0, 100, FALSE);
  lab_plot_draw_axes (snapshot, widget, s, &area, &xa, "sparsity (% of weights pruned)", &ya,
                      "test accuracy (%)", NULL, NULL);

  layer = lab_plot_layer_begin (snapshot, s, &area);
  for (guint c = 0; c < self->n_curves; c++)
    {
      lab_plot_draw_series (layer, &xa, &ya,
                            &g_array_index (self->sweep_points, LabPlotPoint,
                                            self->curves[c].first),
                            self->curves[c].n, &curve_colors[c],
                            LAB_PLOT_SERIES_LINE | LAB_PLOT_SERIES_MARKERS, self->scratch);
      items[c] = (LabPlotLegendItem) { self->curves[c].name, curve_colors[c],
                                       LAB_PLOT_SWATCH_MARKER };
    }
  lab_plot_layer_end (layer);
  lab_plot_draw_legend (snapshot, widget, s, &area, items, self->n_curves,
                        LAB_PLOT_LEGEND_BOTTOM_LEFT);
}

static void
lab_sparsity_plot_snapshot (GtkWidget   *widget,
                            GtkSnapshot *snapshot)
{
  LabSparsityPlot *self = LAB_SPARSITY_PLOT (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  LabPlotStyle s;
  LabPlotArea whole;

  if (width <= 0 || height <= 0)
    return;
  if (self->dirty)
    gather (self);

  lab_plot_style_init (widget, &s);
  lab_plot_area_init (&whole, widget, &s, width, height, 0);
  lab_plot_draw_background (snapshot, &s, &whole);
  self->drawn_curves = 0;

  if (self->n_curves == 0)
    {
      draw_bars (self, snapshot, &s, width, height);
      return;
    }

  if (width < 480 && height < 320)
    {
      /* too small for two panels: the bars are the live part */
      draw_bars (self, snapshot, &s, width, height);
      return;
    }

  self->drawn_curves = self->n_curves;
  if (width >= 480 && (width >= 1.3 * height || width >= 560))
    {
      /* side by side: bars take 40 % */
      int w1 = (int) (width * 0.4);

      draw_bars (self, snapshot, &s, w1, height);
      gtk_snapshot_save (snapshot);
      gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT ((float) w1, 0));
      draw_sweep (self, snapshot, &s, width - w1, height);
      gtk_snapshot_restore (snapshot);
    }
  else
    {
      int h1 = (int) (height * 0.45);

      draw_bars (self, snapshot, &s, width, h1);
      gtk_snapshot_save (snapshot);
      gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (0, (float) h1));
      draw_sweep (self, snapshot, &s, width, height - h1);
      gtk_snapshot_restore (snapshot);
    }
}

static void
lab_sparsity_plot_measure (GtkWidget      *widget,
                           GtkOrientation  orientation,
                           int             for_size,
                           int            *minimum,
                           int            *natural,
                           int            *minimum_baseline,
                           int            *natural_baseline)
{
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = 240;
      *natural = 560;
    }
  else
    {
      *minimum = 160;
      *natural = 300;
    }
}

/* --- GObject ------------------------------------------------------------------------------- */


static void
lab_sparsity_plot_finalize (GObject *object)
{
  LabSparsityPlot *self = LAB_SPARSITY_PLOT (object);

  g_clear_pointer (&self->sweep_points, g_array_unref);
  g_clear_pointer (&self->scratch, g_array_unref);

  G_OBJECT_CLASS (lab_sparsity_plot_parent_class)->finalize (object);
}

static void
lab_sparsity_plot_class_init (LabSparsityPlotClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  LabPlotClass *plot_class = LAB_PLOT_CLASS (klass);

  object_class->finalize = lab_sparsity_plot_finalize;

  widget_class->snapshot = lab_sparsity_plot_snapshot;
  widget_class->measure = lab_sparsity_plot_measure;

  plot_class->model_changed = lab_sparsity_plot_model_changed;
  plot_class->hover_changed = NULL;   /* nothing here follows the pointer */

}

static void
lab_sparsity_plot_init (LabSparsityPlot *self)
{
  self->sweep_points = g_array_new (FALSE, FALSE, sizeof (LabPlotPoint));
  self->scratch = lab_plot_scratch_new ();
  self->dirty = TRUE;
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

  if (self->dirty)
    gather (self);
  return layer < self->n_layers ? self->sparsity[layer] : NAN;
}

guint
lab_sparsity_plot_get_n_curves (LabSparsityPlot *self)
{
  g_return_val_if_fail (LAB_IS_SPARSITY_PLOT (self), 0);

  return self->drawn_curves;
}
