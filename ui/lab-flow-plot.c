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
#include "lab-plot-util.h"

#define WHISKER_STEPS 50

struct _LabFlowPlot
{
  LabPlot       parent_instance;

  /* owned */
  gboolean      dirty;

  /* gathered data */
  guint         n_layers;
  guint64       step;
  double        value[LAB_MAX_LAYERS];
  double        lo[LAB_MAX_LAYERS];     /* min over the last WHISKER_STEPS steps */
  double        hi[LAB_MAX_LAYERS];
  double        ratio;
  char          ratio_text[96];
  char          ratio_short[64];

  /* properties */
  gboolean      delta;

  /* borrowed (weak): a plot whose data the axes also cover (compare mode) */
  LabFlowPlot  *scale_partner;

  /* the last drawn frame, for hover */
  gboolean      drawn;
  LabPlotArea   area;
  LabPlotAxis   ya;
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

static void
gather (LabFlowPlot *self)
{
  LabPlotModel *model = lab_plot_get_model (LAB_PLOT (self));
  const LabStepStats *row = model != NULL ? lab_plot_model_get_last_row (model) : NULL;
  LabHistory *h = model != NULL ? lab_plot_model_get_history (model) : NULL;
  LabHistoryMetric metric = self->delta ? LAB_HISTORY_DELTA_NORM : LAB_HISTORY_GRAD_NORM;
  guint len;

  self->dirty = FALSE;
  self->n_layers = 0;
  self->ratio = NAN;
  self->ratio_text[0] = '\0';

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

  /* whiskers: min–max over the points (or buckets) covering the last WHISKER_STEPS steps */
  len = h != NULL && lab_history_n_layers (h) == self->n_layers ? lab_history_len (h) : 0;
  for (guint i = len; i-- > 0;)
    {
      LabHistoryPoint p0 = lab_history_get (h, i, metric, 0);

      if (p0.step_last + WHISKER_STEPS <= row->step)
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

  if (self->n_layers >= 2)
    {
      double first = self->value[0], last = self->value[self->n_layers - 1];
      char buf[64];

      self->ratio = first / last;
      if (isfinite (self->ratio))
        lab_plot_format_sci (self->ratio, buf, sizeof buf);
      else
        g_strlcpy (buf, "—", sizeof buf);
      g_snprintf (self->ratio_text, sizeof self->ratio_text, "first/last layer ratio: %s", buf);
      g_snprintf (self->ratio_short, sizeof self->ratio_short, "first/last: %s", buf);
    }
}

static void
invalidate (LabFlowPlot *self)
{
  self->dirty = TRUE;
  gtk_widget_queue_draw (GTK_WIDGET (self));
  if (self->scale_partner != NULL)
    gtk_widget_queue_draw (GTK_WIDGET (self->scale_partner));
}

/* The range of the bars and whiskers of @self, widened into @lo … @hi. */
static void
bar_range (LabFlowPlot *self,
           double      *lo,
           double      *hi)
{
  for (guint l = 0; l < self->n_layers; l++)
    if (self->lo[l] <= self->hi[l])
      {
        *lo = MIN (*lo, self->lo[l]);
        *hi = MAX (*hi, self->hi[l]);
      }
}

static void
lab_flow_plot_model_changed (LabPlot  *plot,
                             gboolean  replaced)
{
  invalidate (LAB_FLOW_PLOT (plot));
}

/* --- drawing ------------------------------------------------------------------------------- */

static double
slot_width (LabFlowPlot *self)
{
  return self->area.data.size.width / MAX (1, self->n_layers);
}

static int
layer_at (LabFlowPlot *self,
          double       x,
          double       y)
{
  int l;

  if (!self->drawn || !lab_plot_area_contains (&self->area, x, y))
    return -1;
  l = (int) floor ((x - self->area.data.origin.x) / slot_width (self));
  return l >= 0 && l < (int) self->n_layers ? l : -1;
}

static void
lab_flow_plot_snapshot (GtkWidget   *widget,
                        GtkSnapshot *snapshot)
{
  LabFlowPlot *self = LAB_FLOW_PLOT (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  const graphene_rect_t *d;
  LabPlotStyle s;
  double y_min = G_MAXDOUBLE, y_max = -G_MAXDOUBLE, slot, bar_w, base_y, label_w;
  const char *y_title;
  guint label_every;
  double hover_x, hover_y;

  if (width <= 0 || height <= 0)
    return;
  if (self->dirty)
    gather (self);

  lab_plot_style_init (widget, &s);
  lab_plot_area_init (&self->area, widget, &s, width, height, 0);
  lab_plot_damage_all (snapshot, widget);   /* every row moves the bars, whiskers and ratio */
  lab_plot_draw_background (snapshot, &s, &self->area);
  y_title = self->delta ? "‖δ‖ (log scale)" : "‖∂L/∂W‖ (log scale)";
  lab_plot_draw_title (snapshot, widget, &s, &self->area, "Gradient flow across depth",
                       self->delta ? "‖δₗ‖₂ at the last step" : "‖∂L/∂Wₗ‖₂ at the last step");
  d = &self->area.data;

  bar_range (self, &y_min, &y_max);
  if (self->scale_partner != NULL && y_min <= y_max)
    {
      /* shared scale: the partner's bars too */
      if (self->scale_partner->dirty)
        gather (self->scale_partner);
      bar_range (self->scale_partner, &y_min, &y_max);
    }

  if (self->n_layers == 0 || y_max < y_min)
    {
      char empty[96];
      LabPlotAxis ya;

      lab_plot_axis_init (&ya, 1e-6, 1, TRUE);
      lab_plot_draw_axes (snapshot, widget, &s, &self->area, NULL, NULL, &ya, y_title, NULL, NULL);
      lab_plot_empty_message (LAB_PLOT (self), "gradients", empty, sizeof empty);
      lab_plot_draw_message (snapshot, widget, &s, &self->area,
                             self->n_layers == 0 ? empty : "No finite, non-zero gradients yet");
      self->drawn = FALSE;
      return;
    }

  lab_plot_axis_init (&self->ya, y_min, y_max, TRUE);
  lab_plot_axis_nice (&self->ya);
  /* headroom for the ratio text above the tallest bar */
  self->ya.hi *= 10;

  lab_plot_draw_axes (snapshot, widget, &s, &self->area, NULL, NULL, &self->ya, y_title,
                      NULL, NULL);

  slot = slot_width (self);
  bar_w = MAX (2.0, MIN (slot * 0.6, 80.0 * s.font_scale));
  base_y = d->origin.y + d->size.height;

  /* category labels: L1 … Ln under the bars, thinned out when they would collide */
  lab_plot_text_size (widget, &s, "L33", 0.9, FALSE, &label_w, NULL);
  label_every = 1;
  while (slot * label_every < label_w * 1.3)
    label_every++;

  for (guint l = 0; l < self->n_layers; l++)
    {
      double cx = d->origin.x + slot * (l + 0.5);
      double v = self->value[l];
      double top = lab_plot_area_y (&self->area, &self->ya, v);
      GdkRGBA color;

      lab_plot_layer_color (l, self->n_layers, &color);
      if (!isnan (top))
        {
          top = MAX (top, d->origin.y);
          lab_plot_fill_rect (snapshot, &color, cx - bar_w / 2, top, bar_w, base_y - top);
        }

      /* min–max whisker over the last steps */
      if (self->lo[l] <= self->hi[l])
        {
          double y0 = MAX (d->origin.y, lab_plot_area_y (&self->area, &self->ya, self->hi[l]));
          double y1 = MIN (base_y, lab_plot_area_y (&self->area, &self->ya, self->lo[l]));
          double cap = MAX (4.0, bar_w * 0.35);
          double lw = MAX (1.5, s.line_width);

          lab_plot_fill_rect (snapshot, &s.fg, cx - lw / 2, y0, lw, MAX (1.0, y1 - y0));
          lab_plot_fill_rect (snapshot, &s.fg, cx - cap / 2, y0 - lw / 2, cap, lw);
          lab_plot_fill_rect (snapshot, &s.fg, cx - cap / 2, y1 - lw / 2, cap, lw);
        }

      /* every label_every-th layer, and always the last one (never crowding it) */
      if ((l % label_every == 0 && self->n_layers - 1 - l >= label_every) ||
          l + 1 == self->n_layers)
        {
          char label[16];

          g_snprintf (label, sizeof label, "L%u", l + 1);
          lab_plot_draw_text (snapshot, widget, &s, label, 0.9, FALSE, &s.muted,
                              cx, base_y + 4, 0.5, 0, NULL, NULL);
        }
    }

  /* x axis title: the direction of the backward pass matters for reading the picture */
  lab_plot_draw_text (snapshot, widget, &s, "layer (input → output)", 0.9, FALSE, &s.muted,
                      d->origin.x + d->size.width / 2, height - 6, 0.5, 1, NULL, NULL);

  /* the ratio, large, top left inside the data area */
  if (self->ratio_text[0] != '\0')
    {
      double tw, th;
      GdkRGBA box = lab_plot_rgba_alpha (&s.tooltip_bg, 0.85);

      const char *text = self->ratio_text;
      double rel = 1.25;

      /* large when there is room; on a narrow plot just the "first/last: …" part */
      lab_plot_text_size (widget, &s, text, rel, TRUE, &tw, &th);
      if (tw + 18 > d->size.width)
        {
          text = self->ratio_short;
          rel = 1.0;
          lab_plot_text_size (widget, &s, text, rel, TRUE, &tw, &th);
        }
      lab_plot_fill_rect (snapshot, &box, d->origin.x + 6, d->origin.y + 4, tw + 12, th + 4);
      lab_plot_draw_text (snapshot, widget, &s, text, rel, TRUE, &s.fg,
                          d->origin.x + 12, d->origin.y + 6, 0, 0, NULL, NULL);
    }

  self->drawn = TRUE;

  if (lab_plot_get_hover (LAB_PLOT (self), &hover_x, &hover_y))
    {
      int l = layer_at (self, hover_x, hover_y);

      if (l >= 0)
        {
          char v[64], lo[64], hi[64], *text;
          GdkRGBA color;
          double cx = d->origin.x + slot * (l + 0.5);
          double cy = lab_plot_area_y (&self->area, &self->ya, self->value[l]);

          lab_plot_format_sci (self->value[l], v, sizeof v);
          lab_plot_format_sci (self->lo[l], lo, sizeof lo);
          lab_plot_format_sci (self->hi[l], hi, sizeof hi);
          text = g_strdup_printf ("<b>L%d%s</b>\nstep %" G_GUINT64_FORMAT ": %s\n"
                                  "last %u steps: %s … %s",
                                  l + 1,
                                  l == 0 ? " (input)"
                                         : (guint) l + 1 == self->n_layers ? " (output)" : "",
                                  self->step, v, WHISKER_STEPS, lo, hi);
          lab_plot_layer_color (l, self->n_layers, &color);
          lab_plot_draw_tooltip (snapshot, widget, &s, &self->area, cx,
                                 isnan (cy) ? base_y : MAX (cy, d->origin.y), text, TRUE, &color);
          g_free (text);
        }
    }
}

static void
lab_flow_plot_measure (GtkWidget      *widget,
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
      *natural = 420;
    }
  else
    {
      *minimum = 160;
      *natural = 320;
    }
}

/* --- GObject ------------------------------------------------------------------------------- */


static void
lab_flow_plot_dispose (GObject *object)
{
  /* before the partner is dropped, so it redraws without this plot's data */
  lab_plot_set_model (LAB_PLOT (object), NULL);
  g_clear_weak_pointer (&LAB_FLOW_PLOT (object)->scale_partner);

  G_OBJECT_CLASS (lab_flow_plot_parent_class)->dispose (object);
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
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  LabPlotClass *plot_class = LAB_PLOT_CLASS (klass);

  object_class->dispose = lab_flow_plot_dispose;
  object_class->get_property = lab_flow_plot_get_property;
  object_class->set_property = lab_flow_plot_set_property;

  widget_class->snapshot = lab_flow_plot_snapshot;
  widget_class->measure = lab_flow_plot_measure;

  plot_class->model_changed = lab_flow_plot_model_changed;

  properties[PROP_DELTA] =
    g_param_spec_boolean ("delta", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

}

static void
lab_flow_plot_init (LabFlowPlot *self)
{

  self->dirty = TRUE;
  self->ratio = NAN;


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
  invalidate (self);
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

  if (self->dirty)
    gather (self);
  return self->ratio;
}

const char *
lab_flow_plot_get_ratio_text (LabFlowPlot *self)
{
  g_return_val_if_fail (LAB_IS_FLOW_PLOT (self), NULL);

  if (self->dirty)
    gather (self);
  return self->ratio_text[0] != '\0' ? self->ratio_text : NULL;
}

double
lab_flow_plot_get_value (LabFlowPlot *self,
                         guint        layer)
{
  g_return_val_if_fail (LAB_IS_FLOW_PLOT (self), NAN);

  if (self->dirty)
    gather (self);
  return layer < self->n_layers ? self->value[layer] : NAN;
}

void
lab_flow_plot_set_scale_partner (LabFlowPlot *self,
                                 LabFlowPlot *partner)
{
  g_return_if_fail (LAB_IS_FLOW_PLOT (self));
  g_return_if_fail (partner == NULL || LAB_IS_FLOW_PLOT (partner));

  if (g_set_weak_pointer (&self->scale_partner, partner))
    gtk_widget_queue_draw (GTK_WIDGET (self));
}
