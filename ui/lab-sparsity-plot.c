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

#include <glib/gi18n.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "lab-flow-bars.h"
#include "lab-palette.h"
#include "lab-plot-accuracy.h"
#include "lab-plot-axes.h"
#include "lab-plot-bars.h"
#include "lab-plot-legend.h"
#include "lab-plot-paint.h"
#include "lab-plot-text.h"
#include "lab-sparsity-plot.h"

#define MAX_CURVES 8

typedef struct
{
  char   name[64];  /* the criterion, with the fine-tuning when a sweep mixes several */
  guint  first;     /* index into sweep_points */
  guint  n;
} Curve;

struct _LabSparsityPlot
{
  LabPlot       parent_instance;

  /* gathered data */
  guint         n_layers;
  double        sparsity[LAB_MAX_ROW_LAYERS];
  double        total;
  GArray       *sweep_points;   /* LabPlotPoint (x = sparsity %, y = accuracy %), by curve */
  Curve         curves[MAX_CURVES];
  guint         n_curves;
  double        dense;          /* the unpruned network's accuracy in %, NaN: not known */

  /* the last frame */
  GArray       *bars;           /* LabFlowBar: the shown layers, several to a bar beyond a fit */
  LabPlotBars   layout;
  guint         drawn_curves;
};

G_DEFINE_FINAL_TYPE (LabSparsityPlot, lab_sparsity_plot, LAB_TYPE_PLOT)

/* --- data ---------------------------------------------------------------------------------- */

/* Each layer's sparsity: from the last row, or before any row from the heavy snapshot (the
 * engine counted each layer's when it made it); from the heavy snapshot too when it is a
 * sweep's or lottery's pruned copy, so the bars show what the heatmaps show. */
static void
gather_layers (LabSparsityPlot    *self,
               const LabStepStats *row,
               LabSnapshot        *heavy)
{
  gboolean copy = heavy != NULL && heavy->heavy != NULL && heavy->heavy->caption[0] != '\0';

  self->n_layers = 0;
  self->total = NAN;
  if (!copy && row != NULL && row->step > 0 && row->n_layers > 0)
    {
      self->n_layers = MIN (row->n_layers, LAB_MAX_ROW_LAYERS);
      for (guint l = 0; l < self->n_layers; l++)
        self->sparsity[l] = row->layer[l].sparsity;
      self->total = row->sparsity;
    }
  else if (heavy != NULL && heavy->heavy != NULL && heavy->heavy->n_layers > 0)
    {
      const LabHeavy *hv = heavy->heavy;
      double pruned_all = 0, n_all = 0;

      self->n_layers = MIN (hv->n_layers, LAB_MAX_ROW_LAYERS);
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

/* The curve a sweep point belongs to: its criterion, and its fine-tuning when the sweep mixes
 * several (a CSV of sweeps run with different --finetune-epochs). */
static void
curve_name (const LabSweepRow *p,
            gboolean           several_ft,
            char              *buf,
            gsize              len)
{
  if (several_ft)
    /* Translators: the criterion (a setting's value, kept in English), the epochs of fine-tuning */
    g_snprintf (buf, len, g_dngettext (GETTEXT_PACKAGE, "%s, %u fine-tune epoch",
                                       "%s, %u fine-tune epochs", p->finetune_epochs),
                p->criterion, p->finetune_epochs);
  else
    g_strlcpy (buf, p->criterion, len);
}

/* The sweep: one curve per criterion, in order of first appearance, points sorted by
 * sparsity (the one achieved when the sweep says, else the one asked for). */
static void
gather_sweep (LabSparsityPlot *self,
              GArray          *sweep)
{
  gboolean several_ft = FALSE;
  guint n = sweep != NULL ? sweep->len : 0;
  g_autofree guint *curve_of = g_new (guint, n + 1);

  self->n_curves = 0;
  g_array_set_size (self->sweep_points, 0);
  for (guint i = 1; i < n; i++)
    several_ft |= g_array_index (sweep, LabSweepRow, i).finetune_epochs !=
                  g_array_index (sweep, LabSweepRow, 0).finetune_epochs;
  for (guint i = 0; i < n; i++)
    {
      char name[sizeof self->curves[0].name];
      guint c = 0;

      curve_name (&g_array_index (sweep, LabSweepRow, i), several_ft, name, sizeof name);
      while (c < self->n_curves && strcmp (self->curves[c].name, name) != 0)
        c++;
      if (c == self->n_curves && self->n_curves < MAX_CURVES)
        g_strlcpy (self->curves[self->n_curves++].name, name, sizeof name);
      curve_of[i] = c;
    }
  for (guint c = 0; c < self->n_curves; c++)
    {
      Curve *curve = &self->curves[c];

      curve->first = self->sweep_points->len;
      for (guint i = 0; i < n; i++)
        {
          const LabSweepRow *p = &g_array_index (sweep, LabSweepRow, i);
          double x = 100.0 * (isfinite (p->achieved_sparsity) ? p->achieved_sparsity
                                                               : p->sparsity);
          LabPlotPoint pt = { x, 100.0 * p->test_accuracy, 100.0 * p->test_accuracy,
                              100.0 * p->test_accuracy };

          if (curve_of[i] == c)
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
  self->dense = model != NULL ? 100.0 * lab_plot_model_get_results (model)->sweep_dense_accuracy
                              : NAN;
}

/* Each curve of the sweep as lab-plot-accuracy.h draws and tells it; returns how many. */
static guint
accuracy_curves (LabSparsityPlot  *self,
                 LabAccuracyCurve  curves[MAX_CURVES])
{
  for (guint c = 0; c < self->n_curves; c++)
    {
      curves[c] = (LabAccuracyCurve) {
        self->curves[c].name,
        &g_array_index (self->sweep_points, LabPlotPoint, self->curves[c].first),
        self->curves[c].n,
      };
      lab_palette_criterion_color (c, &curves[c].color);
    }
  return self->n_curves;
}

/* A sweep to show: points, or a sweep under way that knows its dense accuracy so far. */
static gboolean
has_sweep (LabSparsityPlot *self)
{
  return self->n_curves > 0 || isfinite (self->dense);
}

/* --- drawing ------------------------------------------------------------------------------- */

/* Whether the window's layer selection describes this network (else every layer is shown). */
static LabLayerSelection *
selection (LabSparsityPlot *self)
{
  LabLayerSelection *sel = lab_plot_get_layer_selection (LAB_PLOT (self));

  return sel != NULL && lab_layer_selection_get_n_layers (sel) == self->n_layers ? sel : NULL;
}

/* Bar @i over its full 100 % track (so an empty layer still shows its slot) and, when there is
 * room, its value above it; a bar of several layers shows their mean, its whisker their range. */
static void
draw_bar (LabSparsityPlot    *self,
          GtkSnapshot        *snapshot,
          const LabPlotStyle *s,
          const LabPlotArea  *area,
          const LabScale     *ys,
          guint               i)
{
  const LabFlowBar *bar = &g_array_index (self->bars, LabFlowBar, i);
  const LabPlotBars *bars = &self->layout;
  const graphene_rect_t *d = &area->data;
  double cx = lab_plot_bars_center (bars, i);
  double v = CLAMP (bar->value, 0.0, 1.0);
  double top = lab_plot_area_y (area, ys, 100.0 * v);
  double base = d->origin.y + d->size.height;
  GdkRGBA color, track = lab_palette_alpha (&s->fg, 0.06);
  char val[16];

  lab_palette_layer_color_in (selection (self), (bar->first + bar->last) / 2, self->n_layers,
                              &color);
  lab_plot_fill_rect (snapshot, &track, cx - bars->bar_w / 2, d->origin.y, bars->bar_w,
                      d->size.height);
  if (isfinite (top))
    lab_plot_fill_rect (snapshot, &color, cx - bars->bar_w / 2, top, bars->bar_w, base - top);
  if (bar->n > 1 && bar->lo < bar->hi)
    {
      double y0 = lab_plot_area_y (area, ys, 100.0 * CLAMP (bar->hi, 0.0, 1.0));
      double y1 = lab_plot_area_y (area, ys, 100.0 * CLAMP (bar->lo, 0.0, 1.0));
      double cap = MAX (4.0, bars->bar_w * 0.35), lw = MAX (1.5, s->line_width);

      lab_plot_fill_rect (snapshot, &s->fg, cx - lw / 2, y0, lw, MAX (1.0, y1 - y0));
      lab_plot_fill_rect (snapshot, &s->fg, cx - cap / 2, y0 - lw / 2, cap, lw);
      lab_plot_fill_rect (snapshot, &s->fg, cx - cap / 2, y1 - lw / 2, cap, lw);
    }
  if (bars->slot > bars->label_w * 1.6 && isfinite (top) && bar->n == 1)
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
  LabLayerSelection *sel = selection (self);
  LabPlotArea area;
  LabScale ys;
  char subtitle[160] = "", shown[96];

  lab_plot_area_init (&area, widget, s, width, height, 0);
  if (isfinite (self->total))
    g_snprintf (subtitle, sizeof subtitle, _("total %.1f %%"), 100.0 * self->total);
  if (sel != NULL && lab_layer_selection_is_partial (sel))
    {
      lab_layer_selection_describe (sel, shown, sizeof shown);
      g_strlcat (subtitle, subtitle[0] ? " · " : "", sizeof subtitle);
      g_strlcat (subtitle, shown, sizeof subtitle);
    }
  lab_plot_draw_title (snapshot, widget, s, &area, _("Sparsity per layer"),
                       subtitle[0] ? subtitle : NULL);
  lab_scale_init (&ys, 0, 100, FALSE);
  lab_plot_draw_axes (snapshot, widget, s, &area, NULL, NULL, &ys, _("pruned weights (%)"),
                      NULL, NULL);

  g_array_set_size (self->bars, 0);
  if (self->n_layers == 0)
    {
      char empty[96];

      lab_plot_empty_message (LAB_PLOT (self), C_("no data yet", "weights"), empty, sizeof empty);
      lab_plot_draw_message (snapshot, widget, s, &area, empty);
      return;
    }

  /* the sparsity is its own whisker: a bar of several spans their least to their most */
  lab_flow_bars_layout_shown (self->bars, sel, self->n_layers,
                              MAX (3, lab_plot_bars_max (s, area.data.size.width)),
                              LAB_FLOW_BARS_ARITHMETIC, self->sparsity, self->sparsity,
                              self->sparsity);
  lab_plot_bars_init (&self->layout, widget, s, &area.data, self->bars->len);
  for (guint i = 0; i < self->bars->len; i++)
    draw_bar (self, snapshot, s, &area, &ys, i);
  lab_flow_bars_draw_labels (snapshot, widget, s, &self->layout, self->bars, sel);
  lab_plot_bars_draw_title (snapshot, widget, s, &self->layout, height - 6);
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
  LabAccuracyCurve curves[MAX_CURVES];
  guint n = accuracy_curves (self, curves);
  LabPlotArea area;

  lab_plot_area_init (&area, widget, s, width, height, 0);
  lab_plot_draw_title (snapshot, widget, s, &area, _("Accuracy vs sparsity"),
                       isfinite (self->dense) ? _("the dashed line: the unpruned network") : NULL);
  lab_plot_draw_accuracy (snapshot, widget, s, canvas, &area, curves, n, self->dense, NULL,
                          NULL);
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
  if (!has_sweep (self) || (width < 480 && height < 320))
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

/* Each layer's sparsity, or for a deep network each bar's as drawn: "layers 2 to 41 mean 72 %
 * (50 % to 90 %)". */
static void
describe_layers (LabSparsityPlot *self,
                 GString         *out)
{
  char name[LAB_LAYER_NAME_MAX + 16];

  if (self->bars->len == 0 || self->n_layers <= LAB_MAX_LAYERS)
    {
      for (guint l = 0; l < self->n_layers; l++)
        g_string_append_printf (out, _("%slayer %u %.0f %%"), l ? ", " : "", l + 1,
                                100.0 * self->sparsity[l]);
      return;
    }
  for (guint i = 0; i < self->bars->len; i++)
    {
      const LabFlowBar *bar = &g_array_index (self->bars, LabFlowBar, i);

      lab_flow_bars_name (bar, selection (self), name, sizeof name);
      if (bar->n == 1)
        g_string_append_printf (out, "%s%s %.0f %%", i ? ", " : "", name, 100.0 * bar->value);
      else
        /* Translators: a bar of several layers in the sparsity plot's description: "layer1
         * mean 45 % (0 % to 90 %)"; the first %s is ", " or nothing, the second the bar's name */
        g_string_append_printf (out, _("%s%s mean %.0f %% (%.0f %% to %.0f %%)"), i ? ", " : "",
                                name, 100.0 * bar->value, 100.0 * bar->lo, 100.0 * bar->hi);
    }
}

/* "Sparsity per layer: 1: 90 %, 2: 90 %, 3: 50 %; total 89.6 %. Accuracy versus sparsity:
 * magnitude keeps 88.0 % at 90 % sparsity, random 79.0 %; dense 87.5 %." */
static void
lab_sparsity_plot_describe (LabPlot *plot,
                            GString *out)
{
  LabSparsityPlot *self = LAB_SPARSITY_PLOT (plot);
  LabAccuracyCurve curves[MAX_CURVES];
  guint n;

  if (self->n_layers > 0)
    {
      g_string_append (out, _("Sparsity per layer: "));
      describe_layers (self, out);
      if (isfinite (self->total))
        g_string_append_printf (out, _("; total %.1f %%"), 100.0 * self->total);
      g_string_append (out, ".");
    }
  if (!has_sweep (self))
    return;
  n = accuracy_curves (self, curves);
  g_string_append_printf (out, _("%sAccuracy versus sparsity: "), out->len ? " " : "");
  if (n == 0)
    g_string_append (out, _("no point yet; "));
  lab_plot_describe_accuracy (out, curves, n, self->dense);
  g_string_append (out, ".");
}

/* --- GObject ------------------------------------------------------------------------------- */

static void
lab_sparsity_plot_finalize (GObject *object)
{
  LabSparsityPlot *self = LAB_SPARSITY_PLOT (object);

  g_clear_pointer (&self->sweep_points, g_array_unref);
  g_clear_pointer (&self->bars, g_array_unref);

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
  plot_class->describe = lab_sparsity_plot_describe;
}

static void
lab_sparsity_plot_init (LabSparsityPlot *self)
{
  self->sweep_points = g_array_new (FALSE, FALSE, sizeof (LabPlotPoint));
  self->bars = g_array_new (FALSE, FALSE, sizeof (LabFlowBar));
  self->total = NAN;
  self->dense = NAN;

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

guint
lab_sparsity_plot_get_n_bars (LabSparsityPlot *self)
{
  g_return_val_if_fail (LAB_IS_SPARSITY_PLOT (self), 0);

  return self->bars->len;
}

gboolean
lab_sparsity_plot_get_bar (LabSparsityPlot *self,
                           guint            i,
                           double          *value,
                           guint           *first,
                           guint           *last)
{
  const LabFlowBar *bar;

  g_return_val_if_fail (LAB_IS_SPARSITY_PLOT (self), FALSE);

  if (i >= self->bars->len)
    return FALSE;
  bar = &g_array_index (self->bars, LabFlowBar, i);
  if (value != NULL)
    *value = bar->value;
  if (first != NULL)
    *first = bar->first;
  if (last != NULL)
    *last = bar->last;
  return TRUE;
}
