/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-flow-plot.c: plot 2, gradient flow across depth (see lab-flow-plot.h). Values come from
 * the model's last row (exact), whiskers from the history's last ~50 steps; both are gathered
 * when the model changes, the snapshot only scales and draws.
 */
#define G_LOG_DOMAIN "lab-flow-plot"

#include "config.h"

#include <math.h>

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

  /* gathered data */
  guint         n_layers;
  guint64       step;
  double        value[LAB_MAX_LAYERS];
  double        lo[LAB_MAX_LAYERS];     /* min over the last WHISKER_STEPS steps */
  double        hi[LAB_MAX_LAYERS];
  LabExtent     extent;                 /* of the bars and whiskers */
  double        ratio;
  char          ratio_text[96];
  char          ratio_short[64];

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
            self->lo[l] = MIN (self->lo[l], p.min);
          if (isfinite (p.max) && p.max > 0)
            self->hi[l] = MAX (self->hi[l], p.max);
        }
    }
}

static void
format_ratio (LabFlowPlot *self)
{
  double first = self->value[0], last = self->value[self->n_layers - 1];
  char buf[64];

  self->ratio = first / last;
  if (isfinite (self->ratio))
    lab_number_format_sci (self->ratio, buf, sizeof buf);
  else
    g_strlcpy (buf, "—", sizeof buf);
  g_snprintf (self->ratio_text, sizeof self->ratio_text, "first/last layer ratio: %s", buf);
  g_snprintf (self->ratio_short, sizeof self->ratio_short, "first/last: %s", buf);
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

  self->n_layers = MIN (row->n_layers, LAB_MAX_LAYERS);
  self->step = row->step;
  for (guint l = 0; l < self->n_layers; l++)
    {
      double v = self->delta ? row->layer[l].delta_norm : row->layer[l].grad_norm;

      self->value[l] = v;
      self->lo[l] = isfinite (v) && v > 0 ? v : G_MAXDOUBLE;
      self->hi[l] = isfinite (v) && v > 0 ? v : -G_MAXDOUBLE;
    }
  gather_whiskers (self, lab_plot_model_get_history (model),
                   lab_grad_norms_metric (self->delta), row->step);
  if (self->n_layers >= 2)
    format_ratio (self);

  for (guint l = 0; l < self->n_layers; l++)
    if (self->lo[l] <= self->hi[l])
      {
        lab_extent_add (&self->extent, self->lo[l]);
        lab_extent_add (&self->extent, self->hi[l]);
      }
  *y = self->extent;
}

/* --- drawing ------------------------------------------------------------------------------- */

static void
lab_flow_plot_get_title (LabPlot     *plot,
                         const char **title,
                         const char **subtitle)
{
  *title = "Gradient flow across depth";
  *subtitle = LAB_FLOW_PLOT (plot)->delta ? "‖δₗ‖₂ at the last step" : "‖∂L/∂Wₗ‖₂ at the last step";
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

/* Bar @l with its min–max whisker over the last steps. */
static void
draw_bar (LabFlowPlot        *self,
          GtkSnapshot        *snapshot,
          const LabPlotFrame *f,
          const LabPlotBars  *bars,
          guint               l)
{
  const graphene_rect_t *d = &f->area.data;
  double cx = lab_plot_bars_center (bars, l);
  double base_y = d->origin.y + d->size.height;
  double top = lab_plot_area_y (&f->area, &f->y, self->value[l]);
  GdkRGBA color;

  lab_palette_layer_color (l, self->n_layers, &color);
  if (!isnan (top))
    {
      top = MAX (top, d->origin.y);
      lab_plot_fill_rect (snapshot, &color, cx - bars->bar_w / 2, top, bars->bar_w, base_y - top);
    }

  if (self->lo[l] <= self->hi[l])
    {
      double y0 = MAX (d->origin.y, lab_plot_area_y (&f->area, &f->y, self->hi[l]));
      double y1 = MIN (base_y, lab_plot_area_y (&f->area, &f->y, self->lo[l]));
      double cap = MAX (4.0, bars->bar_w * 0.35);
      double lw = MAX (1.5, f->style.line_width);

      lab_plot_fill_rect (snapshot, &f->style.fg, cx - lw / 2, y0, lw, MAX (1.0, y1 - y0));
      lab_plot_fill_rect (snapshot, &f->style.fg, cx - cap / 2, y0 - lw / 2, cap, lw);
      lab_plot_fill_rect (snapshot, &f->style.fg, cx - cap / 2, y1 - lw / 2, cap, lw);
    }
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
  LabPlotBars bars;

  lab_axis_get_scale (lab_plot_get_y_axis (plot), &f->y);
  /* headroom for the ratio text above the tallest bar */
  f->y.hi *= 10;
  lab_plot_draw_axes (snapshot, GTK_WIDGET (plot), &f->style, &f->area, NULL, NULL, &f->y,
                      lab_grad_norms_axis_title (self->delta), NULL, NULL);

  lab_plot_bars_init (&bars, GTK_WIDGET (plot), &f->style, &f->area.data, self->n_layers);
  for (guint l = 0; l < self->n_layers; l++)
    {
      draw_bar (self, snapshot, f, &bars, l);
      if (lab_plot_bars_is_labelled (&bars, l))
        lab_plot_bars_draw_label (snapshot, GTK_WIDGET (plot), &f->style, &bars, l);
    }
  lab_plot_bars_draw_title (snapshot, GTK_WIDGET (plot), &f->style, &bars, f->area.height - 6);
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
  char name[32], v[64], lo[64], hi[64];
  LabPlotBars bars;
  double cy;
  int l;

  lab_plot_bars_init (&bars, GTK_WIDGET (plot), &f->style, d, self->n_layers);
  if (!lab_plot_area_contains (&f->area, tip->x, tip->y) ||
      (l = lab_plot_bars_at (&bars, tip->x)) < 0)
    return NULL;

  cy = lab_plot_area_y (&f->area, &f->y, self->value[l]);
  tip->x = lab_plot_bars_center (&bars, l);
  tip->y = isnan (cy) ? d->origin.y + d->size.height : MAX (cy, d->origin.y);
  tip->markup = TRUE;
  tip->dot = TRUE;
  lab_palette_layer_color (l, self->n_layers, &tip->dot_color);
  lab_number_format_sci (self->value[l], v, sizeof v);
  lab_number_format_sci (self->lo[l], lo, sizeof lo);
  lab_number_format_sci (self->hi[l], hi, sizeof hi);
  lab_grad_norms_layer_name (l, self->n_layers, name, sizeof name);
  return g_strdup_printf ("<b>%s</b>\nstep %" G_GUINT64_FORMAT ": %s\nlast %u steps: %s … %s",
                          name, self->step, v, WHISKER_STEPS, lo, hi);
}

/* What the bars say: the first and last layer's norm and their ratio, as the example
 * reads ("first layer 1.2×10⁻⁸, last layer 0.71, ratio 1.7×10⁻⁸"). */
static void
lab_flow_plot_describe (LabPlot *plot,
                        GString *out)
{
  LabFlowPlot *self = LAB_FLOW_PLOT (plot);
  char first[64], last[64], ratio[64];

  lab_number_format_spoken (self->value[0], first, sizeof first);
  lab_number_format_spoken (self->value[self->n_layers - 1], last, sizeof last);
  /* an overflowed layer makes the ratio 0 or ∞: say that there is none */
  lab_number_format_spoken (isfinite (self->value[0]) &&
                            isfinite (self->value[self->n_layers - 1]) ? self->ratio : NAN,
                            ratio, sizeof ratio);
  if (self->n_layers < 2 && self->delta)
    g_string_append_printf (out, "Back-propagated error norm of the only layer at step %"
                            G_GUINT64_FORMAT ": %s.", self->step, first);
  else if (self->n_layers < 2)
    g_string_append_printf (out, "Weight-gradient norm of the only layer at step %"
                            G_GUINT64_FORMAT ": %s.", self->step, first);
  else if (self->delta)
    g_string_append_printf (out, "Back-propagated error norm at step %" G_GUINT64_FORMAT
                            ": first layer %s, last layer %s, ratio %s.",
                            self->step, first, last, ratio);
  else
    g_string_append_printf (out, "Weight-gradient norm at step %" G_GUINT64_FORMAT
                            ": first layer %s, last layer %s, ratio %s.",
                            self->step, first, last, ratio);
}

/* --- GObject ------------------------------------------------------------------------------- */

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
  return layer < self->n_layers ? self->value[layer] : NAN;
}
