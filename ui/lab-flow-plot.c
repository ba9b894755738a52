/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-flow-plot.c: plot 2, gradient flow across depth (see lab-flow-plot.h). Values come from
 * the model's last row (exact), whiskers from the history's last ~50 steps; both are gathered
 * for every layer when the model changes. Which layers share a bar depends on the width, so the
 * bars are laid out when drawn; that is one pass over the layers shown.
 */
#define G_LOG_DOMAIN "lab-flow-plot"

#include "config.h"

#include <glib/gi18n.h>
#include <inttypes.h>
#include <math.h>

#include "lab-flow-bars.h"
#include "lab-flow-plot.h"
#include "lab-grad-norms.h"
#include "lab-number-format.h"
#include "lab-palette.h"
#include "lab-plot-axes.h"
#include "lab-plot-bars.h"
#include "lab-plot-paint.h"
#include "lab-plot-text.h"

#define WHISKER_STEPS 50

struct _LabFlowPlot
{
  LabPlot       parent_instance;

  /* gathered data, per layer of the network */
  guint         n_layers;
  guint64       step;
  GArray       *value;                  /* double */
  GArray       *lo;                     /* double: min over the last WHISKER_STEPS steps */
  GArray       *hi;
  LabExtent     extent;                 /* of the bars and whiskers shown */
  double        ratio;
  char          ratio_text[96];
  char          ratio_short[64];
  char          subtitle[192];

  /* the last frame's bars */
  GArray       *bars;                   /* LabFlowBar */
  LabPlotBars   layout;

  /* properties */
  gboolean      delta;
};

G_DEFINE_FINAL_TYPE (LabFlowPlot, lab_flow_plot, LAB_TYPE_PLOT)

enum
{
  PROP_0,
  PROP_DELTA,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

#define VALUE(self, l) g_array_index ((self)->value, double, (l))
#define LO(self, l)    g_array_index ((self)->lo, double, (l))
#define HI(self, l)    g_array_index ((self)->hi, double, (l))

/* --- data ---------------------------------------------------------------------------------- */

/* Widens the whiskers to the min–max over the points (or buckets) covering the last
 * WHISKER_STEPS steps up to @step. */
static void
gather_whiskers (LabFlowPlot      *self,
                 LabHistory       *h,
                 LabHistoryMetric  metric,
                 guint64           step)
{
  guint len = h != NULL && lab_history_n_layers (h) == self->n_layers ? lab_history_len (h) : 0;

  for (guint i = len; i-- > 0;)
    {
      LabHistoryPoint p0 = lab_history_get (h, i, metric, 0);

      if (p0.step_last + WHISKER_STEPS <= step)
        break;
      for (guint l = 0; l < self->n_layers; l++)
        {
          LabHistoryPoint p = l == 0 ? p0 : lab_history_get (h, i, metric, l);

          if (isfinite (p.min) && p.min > 0)
            LO (self, l) = MIN (LO (self, l), p.min);
          if (isfinite (p.max) && p.max > 0)
            HI (self, l) = MAX (HI (self, l), p.max);
        }
    }
}

static void
format_ratio (LabFlowPlot *self)
{
  double first = VALUE (self, 0), last = VALUE (self, self->n_layers - 1);
  char buf[64];

  self->ratio = first / last;
  if (isfinite (self->ratio))
    lab_number_format_sci (self->ratio, buf, sizeof buf);
  else
    g_strlcpy (buf, "—", sizeof buf);
  g_snprintf (self->ratio_text, sizeof self->ratio_text, _("first/last layer ratio: %s"), buf);
  g_snprintf (self->ratio_short, sizeof self->ratio_short, _("first/last: %s"), buf);
}

/* Whether the selection describes this network (else every layer is shown). */
static LabLayerSelection *
selection (LabFlowPlot *self)
{
  LabLayerSelection *sel = lab_plot_get_layer_selection (LAB_PLOT (self));

  return sel != NULL && lab_layer_selection_get_n_layers (sel) == self->n_layers ? sel : NULL;
}

static guint
n_shown (LabFlowPlot *self)
{
  LabLayerSelection *sel = selection (self);

  return sel != NULL ? lab_layer_selection_get_n_visible (sel) : self->n_layers;
}

static gboolean
is_shown (LabFlowPlot *self,
          guint        l)
{
  LabLayerSelection *sel = selection (self);

  return sel == NULL || lab_layer_selection_is_visible (sel, l);
}

/* The subtitle says which layers are shown when some are not. */
static void
update_subtitle (LabFlowPlot *self)
{
  LabLayerSelection *sel = selection (self);
  const char *what = self->delta ? _("‖δₗ‖₂ at the last step") : _("‖∂L/∂Wₗ‖₂ at the last step");
  char shown[96];

  if (sel == NULL || !lab_layer_selection_is_partial (sel))
    {
      g_strlcpy (self->subtitle, what, sizeof self->subtitle);
      return;
    }
  lab_layer_selection_describe (sel, shown, sizeof shown);
  g_snprintf (self->subtitle, sizeof self->subtitle, "%s · %s", what, shown);
}

static void
lab_flow_plot_update (LabPlot   *plot,
                      LabExtent *x,
                      LabExtent *y)
{
  LabFlowPlot *self = LAB_FLOW_PLOT (plot);
  LabPlotModel *model = lab_plot_get_model (plot);
  const LabStepStats *row = model != NULL ? lab_plot_model_get_last_row (model) : NULL;

  self->n_layers = 0;
  self->ratio = NAN;
  self->ratio_text[0] = '\0';
  lab_extent_init (&self->extent);

  if (row == NULL || row->step == 0 || row->n_layers == 0)
    return;

  self->n_layers = row->n_layers;
  self->step = row->step;
  g_array_set_size (self->value, self->n_layers);
  g_array_set_size (self->lo, self->n_layers);
  g_array_set_size (self->hi, self->n_layers);
  for (guint l = 0; l < self->n_layers; l++)
    {
      double v = self->delta ? row->layer[l].delta_norm : row->layer[l].grad_norm;

      VALUE (self, l) = v;
      LO (self, l) = isfinite (v) && v > 0 ? v : G_MAXDOUBLE;
      HI (self, l) = isfinite (v) && v > 0 ? v : -G_MAXDOUBLE;
    }
  gather_whiskers (self, lab_plot_model_get_history (model),
                   lab_grad_norms_metric (self->delta), row->step);
  if (self->n_layers >= 2)
    format_ratio (self);
  update_subtitle (self);

  /* the axis spans what is shown: bars of several layers lie within their layers' range */
  for (guint l = 0; l < self->n_layers; l++)
    if (is_shown (self, l) && LO (self, l) <= HI (self, l))
      {
        lab_extent_add (&self->extent, LO (self, l));
        lab_extent_add (&self->extent, HI (self, l));
      }
  *y = self->extent;
}

/* --- bars: lab-flow-bars.c ----------------------------------------------------------------- */

/* The bars across @width: one per shown layer where LAB_PLOT_BARS_MIN_WIDTH allows. */
static void
layout_bars (LabFlowPlot        *self,
             const LabPlotStyle *s,
             double              width)
{
  lab_flow_bars_layout_shown (self->bars, selection (self), self->n_layers,
                              MAX (3, lab_plot_bars_max (s, width)), LAB_FLOW_BARS_GEOMETRIC,
                              &VALUE (self, 0), &LO (self, 0), &HI (self, 0));
}

/* --- drawing ------------------------------------------------------------------------------- */

static void
lab_flow_plot_get_title (LabPlot     *plot,
                         const char **title,
                         const char **subtitle)
{
  *title = _("Gradient flow across depth");
  *subtitle = LAB_FLOW_PLOT (plot)->subtitle;
}

static gboolean
lab_flow_plot_get_empty_message (LabPlot *plot,
                                 char    *buf,
                                 gsize    len)
{
  LabFlowPlot *self = LAB_FLOW_PLOT (plot);

  return lab_grad_norms_empty_message (plot, self->n_layers > 0, &self->extent, buf, len);
}

static void
lab_flow_plot_draw_empty (LabPlot      *plot,
                          GtkSnapshot  *snapshot,
                          LabPlotFrame *f)
{
  LabScale ys;

  lab_scale_init (&ys, 1e-6, 1, TRUE);
  lab_plot_draw_axes (snapshot, GTK_WIDGET (plot), &f->style, &f->area, NULL, NULL, &ys,
                      lab_grad_norms_axis_title (LAB_FLOW_PLOT (plot)->delta), NULL, NULL);
}

/* Bar @i with its min–max whisker. */
static void
draw_bar (LabFlowPlot        *self,
          GtkSnapshot        *snapshot,
          const LabPlotFrame *f,
          guint               i)
{
  const LabFlowBar *bar = &g_array_index (self->bars, LabFlowBar, i);
  const graphene_rect_t *d = &f->area.data;
  const LabPlotBars *bars = &self->layout;
  double cx = lab_plot_bars_center (bars, i);
  double base_y = d->origin.y + d->size.height;
  double top = lab_plot_area_y (&f->area, &f->y, bar->value);
  LabLayerSelection *sel = selection (self);
  GdkRGBA color;

  /* a bar of several layers in the colour of its middle one */
  lab_palette_layer_color_in (sel, (bar->first + bar->last) / 2, self->n_layers, &color);
  if (!isnan (top))
    {
      top = MAX (top, d->origin.y);
      lab_plot_fill_rect (snapshot, &color, cx - bars->bar_w / 2, top, bars->bar_w, base_y - top);
    }

  if (bar->lo <= bar->hi)
    {
      double y0 = MAX (d->origin.y, lab_plot_area_y (&f->area, &f->y, bar->hi));
      double y1 = MIN (base_y, lab_plot_area_y (&f->area, &f->y, bar->lo));
      double cap = MAX (4.0, bars->bar_w * 0.35);
      double lw = MAX (1.5, f->style.line_width);

      lab_plot_fill_rect (snapshot, &f->style.fg, cx - lw / 2, y0, lw, MAX (1.0, y1 - y0));
      lab_plot_fill_rect (snapshot, &f->style.fg, cx - cap / 2, y0 - lw / 2, cap, lw);
      lab_plot_fill_rect (snapshot, &f->style.fg, cx - cap / 2, y1 - lw / 2, cap, lw);
    }
}

/* Under the bars what they are, and when a bar stands for several layers, what it shows (in
 * fewer words when that is too wide). */
static void
draw_axis_title (LabFlowPlot        *self,
                 GtkSnapshot        *snapshot,
                 const LabPlotFrame *f)
{
  const char *const titles[] = {
    _("layer (input → output); a bar of several: their geometric mean"),
    _("layer (input → output); bars: geometric mean"),
  };
  const graphene_rect_t *d = &f->area.data;

  if (self->bars->len < n_shown (self))
    for (guint i = 0; i < G_N_ELEMENTS (titles); i++)
      {
        double w;

        lab_plot_text_size (GTK_WIDGET (self), &f->style, titles[i], LAB_PLOT_BARS_LABEL_REL,
                            FALSE, &w, NULL);
        if (w <= f->area.width - 16)
          {
            double x = CLAMP (d->origin.x + d->size.width / 2 - w / 2, 8, f->area.width - 8 - w);

            lab_plot_draw_text (snapshot, GTK_WIDGET (self), &f->style, titles[i],
                                LAB_PLOT_BARS_LABEL_REL, FALSE, &f->style.muted, x,
                                f->area.height - 6, 0, 1, NULL, NULL);
            return;
          }
      }
  lab_plot_bars_draw_title (snapshot, GTK_WIDGET (self), &f->style, &self->layout,
                            f->area.height - 6);
}

/* The ratio, large, top left inside the data area; on a narrow plot just "first/last: …". */
static void
draw_ratio (LabFlowPlot        *self,
            GtkSnapshot        *snapshot,
            const LabPlotFrame *f)
{
  GtkWidget *widget = GTK_WIDGET (self);
  const LabPlotStyle *s = &f->style;
  const graphene_rect_t *d = &f->area.data;
  GdkRGBA box = lab_palette_alpha (&s->tooltip_bg, 0.85);
  const char *text = self->ratio_text;
  double rel = 1.25, tw, th;

  lab_plot_text_size (widget, s, text, rel, TRUE, &tw, &th);
  if (tw + 18 > d->size.width)
    {
      text = self->ratio_short;
      rel = 1.0;
      lab_plot_text_size (widget, s, text, rel, TRUE, &tw, &th);
    }
  lab_plot_fill_rect (snapshot, &box, d->origin.x + 6, d->origin.y + 4, tw + 12, th + 4);
  lab_plot_draw_text (snapshot, widget, s, text, rel, TRUE, &s->fg,
                      d->origin.x + 12, d->origin.y + 6, 0, 0, NULL, NULL);
}

static void
lab_flow_plot_draw (LabPlot      *plot,
                    GtkSnapshot  *snapshot,
                    LabPlotFrame *f)
{
  LabFlowPlot *self = LAB_FLOW_PLOT (plot);

  lab_axis_get_scale (lab_plot_get_y_axis (plot), &f->y);
  /* headroom for the ratio text above the tallest bar */
  f->y.hi *= 10;
  lab_plot_draw_axes (snapshot, GTK_WIDGET (plot), &f->style, &f->area, NULL, NULL, &f->y,
                      lab_grad_norms_axis_title (self->delta), NULL, NULL);

  layout_bars (self, &f->style, f->area.data.size.width);
  lab_plot_bars_init (&self->layout, GTK_WIDGET (plot), &f->style, &f->area.data,
                      self->bars->len);
  for (guint i = 0; i < self->bars->len; i++)
    draw_bar (self, snapshot, f, i);
  lab_flow_bars_draw_labels (snapshot, GTK_WIDGET (plot), &f->style, &self->layout, self->bars,
                             selection (self));
  draw_axis_title (self, snapshot, f);
  if (self->ratio_text[0] != '\0')
    draw_ratio (self, snapshot, f);
}

static char *
lab_flow_plot_get_hover_text (LabPlot            *plot,
                              const LabPlotFrame *f,
                              LabPlotTooltip     *tip)
{
  LabFlowPlot *self = LAB_FLOW_PLOT (plot);
  const graphene_rect_t *d = &f->area.data;
  char name[LAB_LAYER_NAME_MAX + 32], v[64], lo[64], hi[64];
  g_autofree char *escaped = NULL;
  const LabFlowBar *bar;
  double cy;
  int i;

  if (!lab_plot_area_contains (&f->area, tip->x, tip->y) ||
      (i = lab_plot_bars_at (&self->layout, tip->x)) < 0 || (guint) i >= self->bars->len)
    return NULL;

  bar = &g_array_index (self->bars, LabFlowBar, i);
  cy = lab_plot_area_y (&f->area, &f->y, bar->value);
  tip->x = lab_plot_bars_center (&self->layout, i);
  tip->y = isnan (cy) ? d->origin.y + d->size.height : MAX (cy, d->origin.y);
  tip->markup = TRUE;
  tip->dot = TRUE;
  lab_palette_layer_color_in (selection (self), (bar->first + bar->last) / 2, self->n_layers,
                              &tip->dot_color);
  lab_number_format_sci (bar->value, v, sizeof v);
  lab_number_format_sci (bar->lo, lo, sizeof lo);
  lab_number_format_sci (bar->hi, hi, sizeof hi);
  if (bar->n == 1)
    {
      lab_grad_norms_layer_name (selection (self), bar->first, self->n_layers, name,
                                 sizeof name);
      escaped = g_markup_escape_text (name, -1);
      return g_strdup_printf (_("<b>%s</b>\nstep %" PRIu64 ": %s\nlast %u steps: %s … %s"),
                              escaped, self->step, v, WHISKER_STEPS, lo, hi);
    }
  lab_flow_bars_name (bar, selection (self), name, sizeof name);
  escaped = g_markup_escape_text (name, -1);
  return g_strdup_printf (_("<b>%s</b>: %u layers shown, L%u to L%u\nstep %" PRIu64
                            ": geometric mean %s\nall of them, last %u steps: %s … %s"),
                          escaped, bar->n, bar->first + 1, bar->last + 1, self->step, v,
                          WHISKER_STEPS, lo, hi);
}

/* What the bars say: the first and last layer's norm and their ratio, as the example
 * reads ("first layer 1.2×10⁻⁸, last layer 0.71, ratio 1.7×10⁻⁸"). */
static void
lab_flow_plot_describe (LabPlot *plot,
                        GString *out)
{
  LabFlowPlot *self = LAB_FLOW_PLOT (plot);
  double first_v = VALUE (self, 0), last_v = VALUE (self, self->n_layers - 1);
  char first[64], last[64], ratio[64];

  lab_number_format_spoken (first_v, first, sizeof first);
  lab_number_format_spoken (last_v, last, sizeof last);
  /* an overflowed layer makes the ratio 0 or ∞: say that there is none */
  lab_number_format_spoken (isfinite (first_v) && isfinite (last_v) ? self->ratio : NAN,
                            ratio, sizeof ratio);
  if (self->n_layers < 2 && self->delta)
    g_string_append_printf (out, _("Back-propagated error norm of the only layer at step %"
                              PRIu64 ": %s."), self->step, first);
  else if (self->n_layers < 2)
    g_string_append_printf (out, _("Weight-gradient norm of the only layer at step %"
                              PRIu64 ": %s."), self->step, first);
  else if (self->delta)
    g_string_append_printf (out, _("Back-propagated error norm at step %" PRIu64
                              ": first layer %s, last layer %s, ratio %s."),
                            self->step, first, last, ratio);
  else
    g_string_append_printf (out, _("Weight-gradient norm at step %" PRIu64
                              ": first layer %s, last layer %s, ratio %s."),
                            self->step, first, last, ratio);
}

/* --- GObject ------------------------------------------------------------------------------- */

static void
lab_flow_plot_finalize (GObject *object)
{
  LabFlowPlot *self = LAB_FLOW_PLOT (object);

  g_clear_pointer (&self->value, g_array_unref);
  g_clear_pointer (&self->lo, g_array_unref);
  g_clear_pointer (&self->hi, g_array_unref);
  g_clear_pointer (&self->bars, g_array_unref);

  G_OBJECT_CLASS (lab_flow_plot_parent_class)->finalize (object);
}

static void
lab_flow_plot_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  LabFlowPlot *self = LAB_FLOW_PLOT (object);

  switch (prop_id)
    {
    case PROP_DELTA:
      g_value_set_boolean (value, self->delta);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lab_flow_plot_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  LabFlowPlot *self = LAB_FLOW_PLOT (object);

  switch (prop_id)
    {
    case PROP_DELTA:
      lab_flow_plot_set_delta (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lab_flow_plot_class_init (LabFlowPlotClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  LabPlotClass *plot_class = LAB_PLOT_CLASS (klass);

  object_class->finalize = lab_flow_plot_finalize;
  object_class->get_property = lab_flow_plot_get_property;
  object_class->set_property = lab_flow_plot_set_property;

  plot_class->natural_width = 420;
  plot_class->damage_all = TRUE;   /* every row moves the bars, whiskers and ratio */
  plot_class->update = lab_flow_plot_update;
  plot_class->get_title = lab_flow_plot_get_title;
  plot_class->get_empty_message = lab_flow_plot_get_empty_message;
  plot_class->draw_empty = lab_flow_plot_draw_empty;
  plot_class->draw = lab_flow_plot_draw;
  plot_class->get_hover_text = lab_flow_plot_get_hover_text;
  plot_class->describe = lab_flow_plot_describe;

  properties[PROP_DELTA] =
    g_param_spec_boolean ("delta", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
lab_flow_plot_init (LabFlowPlot *self)
{
  g_autoptr (LabAxis) norms = lab_axis_new (LAB_AXIS_LOG | LAB_AXIS_NICE);

  self->ratio = NAN;
  self->value = g_array_new (FALSE, TRUE, sizeof (double));
  self->lo = g_array_new (FALSE, TRUE, sizeof (double));
  self->hi = g_array_new (FALSE, TRUE, sizeof (double));
  self->bars = g_array_new (FALSE, TRUE, sizeof (LabFlowBar));
  g_strlcpy (self->subtitle, _("‖∂L/∂Wₗ‖₂ at the last step"), sizeof self->subtitle);
  lab_extent_init (&self->extent);
  lab_plot_set_y_axis (LAB_PLOT (self), norms);
  gtk_widget_add_css_class (GTK_WIDGET (self), "flow-plot");
}

GtkWidget *
lab_flow_plot_new (void)
{
  return g_object_new (LAB_TYPE_FLOW_PLOT, NULL);
}

void
lab_flow_plot_set_delta (LabFlowPlot *self,
                         gboolean     delta)
{
  g_return_if_fail (LAB_IS_FLOW_PLOT (self));

  delta = !!delta;
  if (self->delta == delta)
    return;
  self->delta = delta;
  lab_plot_invalidate (LAB_PLOT (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DELTA]);
}

gboolean
lab_flow_plot_get_delta (LabFlowPlot *self)
{
  g_return_val_if_fail (LAB_IS_FLOW_PLOT (self), FALSE);

  return self->delta;
}

double
lab_flow_plot_get_ratio (LabFlowPlot *self)
{
  g_return_val_if_fail (LAB_IS_FLOW_PLOT (self), NAN);

  lab_plot_update (LAB_PLOT (self));
  return self->ratio;
}

const char *
lab_flow_plot_get_ratio_text (LabFlowPlot *self)
{
  g_return_val_if_fail (LAB_IS_FLOW_PLOT (self), NULL);

  lab_plot_update (LAB_PLOT (self));
  return self->ratio_text[0] != '\0' ? self->ratio_text : NULL;
}

double
lab_flow_plot_get_value (LabFlowPlot *self,
                         guint        layer)
{
  g_return_val_if_fail (LAB_IS_FLOW_PLOT (self), NAN);

  lab_plot_update (LAB_PLOT (self));
  return layer < self->n_layers ? VALUE (self, layer) : NAN;
}

guint
lab_flow_plot_get_n_bars (LabFlowPlot *self)
{
  g_return_val_if_fail (LAB_IS_FLOW_PLOT (self), 0);

  return lab_plot_get_frame (LAB_PLOT (self)) != NULL ? self->bars->len : 0;
}

gboolean
lab_flow_plot_get_bar (LabFlowPlot     *self,
                       guint            i,
                       graphene_rect_t *rect,
                       guint           *first,
                       guint           *last)
{
  const LabPlotFrame *f;
  const LabFlowBar *bar;

  g_return_val_if_fail (LAB_IS_FLOW_PLOT (self), FALSE);

  f = lab_plot_get_frame (LAB_PLOT (self));
  if (f == NULL || i >= self->bars->len)
    return FALSE;
  bar = &g_array_index (self->bars, LabFlowBar, i);
  if (rect != NULL)
    {
      const graphene_rect_t *d = &f->area.data;
      double base = d->origin.y + d->size.height;
      double top = lab_plot_area_y (&f->area, &f->y, bar->value);

      top = isnan (top) ? base : CLAMP (top, d->origin.y, base);
      *rect = GRAPHENE_RECT_INIT ((float) (lab_plot_bars_center (&self->layout, i) -
                                           self->layout.bar_w / 2),
                                  (float) top, (float) self->layout.bar_w, (float) (base - top));
    }
  if (first != NULL)
    *first = bar->first;
  if (last != NULL)
    *last = bar->last;
  return TRUE;
}
