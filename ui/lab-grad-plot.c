/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-grad-plot.c: plot 1, gradient norms over time (see lab-grad-plot.h). The series are read
 * from the model's history into one cached array when the model changes (smoothing applied
 * there, in log space, since the values span decades); snapshot only maps and draws them.
 */
#define G_LOG_DOMAIN "lab-grad-plot"

#include "config.h"

#include <math.h>
#include <string.h>

#include "lab-grad-plot.h"
#include "lab-plot-util.h"

#define PICK_RADIUS 32.0

struct _LabGradPlot
{
  LabPlot       parent_instance;

  /* owned */
  GArray       *points;     /* LabPlotPoint, n_layers × n, layer-major; y smoothed */
  GArray       *raw;        /* double, same layout: the unsmoothed mean */
  GArray       *steps;      /* guint64 pairs (first, last) per index */
  GArray       *scratch;
  guint         n_layers;
  guint         n;
  double        y_min;      /* finite positive range of everything cached */
  double        y_max;
  gboolean      dirty;

  /* what the cache was built from. Rows are appended to the history between compactions,
   * so a rebuild usually only extends the cache: recomputing the smoothing (a log10 and a
   * pow per point per layer) over the whole run at every snapshot was ~6 % of a Gradients
   * page frame. */
  gboolean      stale;                  /* a setting changed: rebuild everything */
  guint         built_run;              /* the model's run id */
  LabHistory   *built_history;          /* (unowned) compared only */
  guint64       built_first;            /* step range and layer-0 mean of the last point */
  guint64       built_last;
  float         built_mean;
  double        built_ema[LAB_MAX_LAYERS];   /* log10-space smoothing after the last point */

  /* properties */
  gboolean      delta;
  double        smoothing;

  /* borrowed (weak): a plot whose data the axes also cover (compare mode) */
  LabGradPlot  *scale_partner;

  /* the last drawn frame, for hover and pick */
  gboolean      drawn;
  LabPlotArea   area;
  LabPlotAxis   xa;
  LabPlotAxis   ya;
};

G_DEFINE_FINAL_TYPE (LabGradPlot, lab_grad_plot, LAB_TYPE_PLOT)

enum
{
  PROP_0,
  PROP_DELTA,
  PROP_SMOOTHING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* --- data ---------------------------------------------------------------------------------- */

/* The first point to compute: the cached count if the history only grew since (same run,
 * same history, and its point there is the one last built, so no compaction shifted it),
 * else 0. */
static guint
first_new_point (LabGradPlot      *self,
                 LabHistory       *h,
                 LabHistoryMetric  metric)
{
  LabHistoryPoint hp;

  if (self->stale || h == NULL || self->n == 0 || h != self->built_history ||
      lab_history_n_layers (h) != self->n_layers || lab_history_len (h) < self->n ||
      lab_plot_model_get_run_id (lab_plot_get_model (LAB_PLOT (self))) != self->built_run)
    return 0;
  hp = lab_history_get (h, self->n - 1, metric, 0);
  if (hp.step_first != self->built_first || hp.step_last != self->built_last ||
      hp.mean != self->built_mean)
    return 0;
  return self->n;
}

/* Moves layer-major rows of @old_n elements to rows of @n (≥ old_n), from the last layer
 * down so nothing is overwritten before it moves; the array is already n_layers × n long. */
static void
spread_layers (GArray *array,
               guint   n_layers,
               guint   old_n,
               guint   n)
{
  gsize size = g_array_get_element_size (array);

  for (guint l = n_layers; l-- > 1;)
    memmove (array->data + (gsize) l * n * size, array->data + (gsize) l * old_n * size,
             (gsize) old_n * size);
}

static void
rebuild (LabGradPlot *self)
{
  LabPlotModel *model = lab_plot_get_model (LAB_PLOT (self));
  LabHistory *h = model != NULL ? lab_plot_model_get_history (model) : NULL;
  LabHistoryMetric metric = self->delta ? LAB_HISTORY_DELTA_NORM : LAB_HISTORY_GRAD_NORM;
  double alpha = CLAMP (self->smoothing, 0.0, 0.99);
  guint start = first_new_point (self, h, metric);
  guint old_n = self->n;

  self->dirty = FALSE;
  self->stale = FALSE;
  self->n_layers = h != NULL ? lab_history_n_layers (h) : 0;
  self->n = h != NULL ? lab_history_len (h) : 0;
  if (start == 0)
    {
      self->y_min = G_MAXDOUBLE;
      self->y_max = -G_MAXDOUBLE;
    }

  g_array_set_size (self->points, (gsize) self->n_layers * self->n);
  g_array_set_size (self->raw, (gsize) self->n_layers * self->n);
  g_array_set_size (self->steps, (gsize) self->n * 2);
  if (start > 0)
    {
      spread_layers (self->points, self->n_layers, old_n, self->n);
      spread_layers (self->raw, self->n_layers, old_n, self->n);
    }

  for (guint i = start; i < self->n && self->n_layers > 0; i++)
    {
      LabHistoryPoint hp = lab_history_get (h, i, metric, 0);

      g_array_index (self->steps, guint64, 2 * i) = hp.step_first;
      g_array_index (self->steps, guint64, 2 * i + 1) = hp.step_last;
    }

  for (guint l = 0; l < self->n_layers; l++)
    {
      LabPlotPoint *pts = &g_array_index (self->points, LabPlotPoint, (gsize) l * self->n);
      double *raw = &g_array_index (self->raw, double, (gsize) l * self->n);
      double ema = start > 0 ? self->built_ema[l] : NAN;

      for (guint i = start; i < self->n; i++)
        {
          LabHistoryPoint hp = lab_history_get (h, i, metric, l);
          double y = hp.mean;

          raw[i] = y;
          pts[i].x = 0.5 * ((double) hp.step_first + (double) hp.step_last);
          pts[i].lo = hp.min;
          pts[i].hi = hp.max;

          if (isfinite (y) && y > 0)
            {
              double ly = log10 (y);

              ema = isnan (ema) ? ly : alpha * ema + (1.0 - alpha) * ly;
              pts[i].y = pow (10.0, ema);
            }
          else
            pts[i].y = NAN;

          /* the range covers what is drawn: line and envelope */
          if (isfinite (pts[i].y) && pts[i].y > 0)
            {
              self->y_min = MIN (self->y_min, pts[i].y);
              self->y_max = MAX (self->y_max, pts[i].y);
            }
          if (isfinite (pts[i].lo) && pts[i].lo > 0)
            self->y_min = MIN (self->y_min, pts[i].lo);
          if (isfinite (pts[i].hi) && pts[i].hi > 0)
            self->y_max = MAX (self->y_max, pts[i].hi);
        }
      if (l < LAB_MAX_LAYERS)
        self->built_ema[l] = ema;
    }

  self->built_history = h;
  self->built_run = model != NULL ? lab_plot_model_get_run_id (model) : 0;
  if (self->n > 0 && self->n_layers > 0)
    {
      LabHistoryPoint hp = lab_history_get (h, self->n - 1, metric, 0);

      self->built_first = hp.step_first;
      self->built_last = hp.step_last;
      self->built_mean = hp.mean;
    }
}

static void
invalidate (LabGradPlot *self)
{
  self->dirty = TRUE;
  self->stale = TRUE;   /* new model, metric or smoothing: the cache says nothing */
  gtk_widget_queue_draw (GTK_WIDGET (self));
  if (self->scale_partner != NULL)
    gtk_widget_queue_draw (GTK_WIDGET (self->scale_partner));
}

/* Widens the ranges to the partner's data, so both plots share their scales. */
static void
partner_range (LabGradPlot *self,
               double      *x_lo,
               double      *x_hi,
               double      *y_lo,
               double      *y_hi)
{
  LabGradPlot *p = self->scale_partner;

  if (p == NULL)
    return;
  if (p->dirty)
    rebuild (p);
  if (p->n == 0 || p->n_layers == 0 || p->y_max < p->y_min)
    return;
  *x_lo = MIN (*x_lo, (double) g_array_index (p->steps, guint64, 0));
  *x_hi = MAX (*x_hi, (double) g_array_index (p->steps, guint64, 2 * p->n - 1));
  *y_lo = MIN (*y_lo, p->y_min);
  *y_hi = MAX (*y_hi, p->y_max);
}

static void
lab_grad_plot_model_changed (LabPlot  *plot,
                             gboolean  replaced)
{
  LabGradPlot *self = LAB_GRAD_PLOT (plot);

  if (replaced)
    {
      invalidate (self);
      return;
    }
  /* new rows: rebuild() extends the cache when it can */
  self->dirty = TRUE;
  gtk_widget_queue_draw (GTK_WIDGET (self));
  if (self->scale_partner != NULL)
    gtk_widget_queue_draw (GTK_WIDGET (self->scale_partner));
}

/* --- drawing ------------------------------------------------------------------------------- */

static const char *
metric_label (LabGradPlot *self)
{
  return self->delta ? "‖δ‖" : "‖∂L/∂W‖";
}

static void
layer_name (guint  l,
            guint  n,
            char  *buf,
            gsize  len)
{
  if (l == 0)
    g_snprintf (buf, len, "L%u (input)", l + 1);
  else if (l + 1 == n)
    g_snprintf (buf, len, "L%u (output)", l + 1);
  else
    g_snprintf (buf, len, "L%u", l + 1);
}

static gboolean
pick (LabGradPlot *self,
      double       x,
      double       y,
      guint       *out_layer,
      guint       *out_index,
      double      *out_px,
      double      *out_py)
{
  double best = PICK_RADIUS * PICK_RADIUS;
  gboolean found = FALSE;

  if (!self->drawn || self->n == 0)
    return FALSE;

  for (guint l = 0; l < self->n_layers; l++)
    {
      const LabPlotPoint *pts = &g_array_index (self->points, LabPlotPoint, (gsize) l * self->n);

      for (guint i = 0; i < self->n; i++)
        {
          double px = lab_plot_area_x (&self->area, &self->xa, pts[i].x);
          double py, d;

          if (fabs (px - x) > PICK_RADIUS)
            continue;
          py = lab_plot_area_y (&self->area, &self->ya, pts[i].y);
          if (isnan (py))
            continue;
          d = (px - x) * (px - x) + (py - y) * (py - y);
          if (d < best)
            {
              best = d;
              found = TRUE;
              *out_layer = l;
              *out_index = i;
              *out_px = px;
              *out_py = py;
            }
        }
    }

  return found;
}

static void
draw_hover (LabGradPlot        *self,
            GtkSnapshot        *snapshot,
            const LabPlotStyle *s)
{
  GtkWidget *widget = GTK_WIDGET (self);
  guint layer, i;
  double px, py, raw;
  guint64 first, last;
  char name[32], val[64], lo[64], hi[64];
  GString *text;
  GdkRGBA color;
  double hover_x, hover_y;

  if (!lab_plot_get_hover (LAB_PLOT (self), &hover_x, &hover_y) ||
      !pick (self, hover_x, hover_y, &layer, &i, &px, &py))
    return;

  first = g_array_index (self->steps, guint64, 2 * i);
  last = g_array_index (self->steps, guint64, 2 * i + 1);
  raw = g_array_index (self->raw, double, (gsize) layer * self->n + i);
  layer_name (layer, self->n_layers, name, sizeof name);
  lab_plot_format_sci (raw, val, sizeof val);

  text = g_string_new (NULL);
  g_string_append_printf (text, "<b>%s</b>\n", name);
  if (first == last)
    g_string_append_printf (text, "step %" G_GUINT64_FORMAT "\n", last);
  else
    g_string_append_printf (text, "steps %" G_GUINT64_FORMAT "–%" G_GUINT64_FORMAT " (mean)\n",
                            first, last);
  g_string_append_printf (text, "%s = %s", metric_label (self), val);
  if (first != last)
    {
      const LabPlotPoint *p = &g_array_index (self->points, LabPlotPoint,
                                              (gsize) layer * self->n + i);

      lab_plot_format_sci (p->lo, lo, sizeof lo);
      lab_plot_format_sci (p->hi, hi, sizeof hi);
      g_string_append_printf (text, "\nmin %s, max %s", lo, hi);
    }
  if (self->smoothing > 0)
    {
      const LabPlotPoint *p = &g_array_index (self->points, LabPlotPoint,
                                              (gsize) layer * self->n + i);

      lab_plot_format_sci (p->y, lo, sizeof lo);
      g_string_append_printf (text, "\nsmoothed %s", lo);
    }

  lab_plot_layer_color (layer, self->n_layers, &color);
  lab_plot_draw_tooltip (snapshot, widget, s, &self->area, px, py, text->str, TRUE, &color);
  g_string_free (text, TRUE);
}

static void
lab_grad_plot_snapshot (GtkWidget   *widget,
                        GtkSnapshot *snapshot)
{
  LabGradPlot *self = LAB_GRAD_PLOT (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  LabPlotLegendItem items[LAB_MAX_LAYERS];
  char names[LAB_MAX_LAYERS][32];
  LabPlotStyle s;
  LabPlotLayer *layer;
  char y_title[64];
  double x_lo = 0, x_hi = 1, y_lo, y_hi;
  gboolean reserved;

  if (width <= 0 || height <= 0)
    return;
  if (self->dirty)
    rebuild (self);

  lab_plot_style_init (widget, &s);
  lab_plot_area_init (&self->area, widget, &s, width, height, 0);
  lab_plot_damage_all (snapshot, widget);   /* new data moves the x axis: everything changes */
  lab_plot_draw_background (snapshot, &s, &self->area);
  lab_plot_draw_title (snapshot, widget, &s, &self->area,
                       self->delta ? "Back-propagated error per layer"
                                   : "Weight-gradient norm per layer",
                       self->delta ? "‖δₗ‖₂ over time" : "‖∂L/∂Wₗ‖₂ over time");
  g_snprintf (y_title, sizeof y_title, "%s (log scale)", metric_label (self));

  if (self->n == 0 || self->n_layers == 0 || self->y_max < self->y_min)
    {
      char empty[96];
      LabPlotAxis xa, ya;

      lab_plot_axis_init (&xa, 0, 100, FALSE);
      lab_plot_axis_init (&ya, 1e-6, 1, TRUE);
      lab_plot_draw_axes (snapshot, widget, &s, &self->area, &xa, "step", &ya, y_title,
                          NULL, NULL);
      lab_plot_empty_message (LAB_PLOT (self), "gradients", empty, sizeof empty);
      lab_plot_draw_message (snapshot, widget, &s, &self->area,
                             self->n == 0 ? empty : "No finite, non-zero gradients yet");
      self->drawn = FALSE;
      return;
    }

  for (guint l = 0; l < self->n_layers && l < LAB_MAX_LAYERS; l++)
    {
      layer_name (l, self->n_layers, names[l], sizeof names[l]);
      items[l].name = names[l];
      items[l].swatch = LAB_PLOT_SWATCH_LINE;
      lab_plot_layer_color (l, self->n_layers, &items[l].color);
    }
  reserved = lab_plot_area_reserve_legend (&self->area, widget, &s, items,
                                           MIN (self->n_layers, LAB_MAX_LAYERS));

  x_lo = g_array_index (self->steps, guint64, 0);
  x_hi = g_array_index (self->steps, guint64, 2 * self->n - 1);
  y_lo = self->y_min;
  y_hi = self->y_max;
  partner_range (self, &x_lo, &x_hi, &y_lo, &y_hi);
  if (x_hi <= x_lo)
    {
      /* one step so far: centred, not on the frame's edge */
      x_lo -= 1;
      x_hi += 1;
    }
  lab_plot_axis_init (&self->xa, x_lo, x_hi, FALSE);
  lab_plot_axis_init (&self->ya, y_lo, y_hi, TRUE);
  lab_plot_axis_nice (&self->ya);

  lab_plot_draw_axes (snapshot, widget, &s, &self->area, &self->xa, "step", &self->ya, y_title,
                      NULL, NULL);

  layer = lab_plot_layer_begin (snapshot, &s, &self->area);
  for (guint l = 0; l < self->n_layers; l++)
    {
      const LabPlotPoint *pts = &g_array_index (self->points, LabPlotPoint, (gsize) l * self->n);
      /* The envelope is the min–max of a decimated bucket or of the points sharing a pixel
       * column (empty where both are one step); with smoothing it is the raw spread. */
      LabPlotSeriesFlags flags = LAB_PLOT_SERIES_LINE | LAB_PLOT_SERIES_ENVELOPE;
      GdkRGBA color;

      lab_plot_layer_color (l, self->n_layers, &color);
      lab_plot_draw_series (layer, &self->xa, &self->ya, pts, self->n, &color, flags,
                            self->scratch);
    }
  lab_plot_layer_end (layer);

  lab_plot_draw_legend (snapshot, widget, &s, &self->area, items,
                        MIN (self->n_layers, LAB_MAX_LAYERS),
                        reserved ? LAB_PLOT_LEGEND_OUTSIDE_RIGHT : LAB_PLOT_LEGEND_BOTTOM_RIGHT);
  self->drawn = TRUE;

  draw_hover (self, snapshot, &s);
}

static void
lab_grad_plot_measure (GtkWidget      *widget,
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
      *natural = 520;
    }
  else
    {
      *minimum = 160;
      *natural = 320;
    }
}

/* --- GObject ------------------------------------------------------------------------------- */


static void
lab_grad_plot_dispose (GObject *object)
{
  LabGradPlot *self = LAB_GRAD_PLOT (object);

  /* before the partner is dropped, so it redraws without this plot's data */
  lab_plot_set_model (LAB_PLOT (self), NULL);
  g_clear_weak_pointer (&self->scale_partner);

  G_OBJECT_CLASS (lab_grad_plot_parent_class)->dispose (object);
}

static void
lab_grad_plot_finalize (GObject *object)
{
  LabGradPlot *self = LAB_GRAD_PLOT (object);

  g_clear_pointer (&self->points, g_array_unref);
  g_clear_pointer (&self->raw, g_array_unref);
  g_clear_pointer (&self->steps, g_array_unref);
  g_clear_pointer (&self->scratch, g_array_unref);

  G_OBJECT_CLASS (lab_grad_plot_parent_class)->finalize (object);
}

static void
lab_grad_plot_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  LabGradPlot *self = LAB_GRAD_PLOT (object);

  switch (prop_id)
    {
    case PROP_DELTA:
      g_value_set_boolean (value, self->delta);
      break;
    case PROP_SMOOTHING:
      g_value_set_double (value, self->smoothing);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lab_grad_plot_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  LabGradPlot *self = LAB_GRAD_PLOT (object);

  switch (prop_id)
    {
    case PROP_DELTA:
      lab_grad_plot_set_delta (self, g_value_get_boolean (value));
      break;
    case PROP_SMOOTHING:
      lab_grad_plot_set_smoothing (self, g_value_get_double (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lab_grad_plot_class_init (LabGradPlotClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  LabPlotClass *plot_class = LAB_PLOT_CLASS (klass);

  object_class->dispose = lab_grad_plot_dispose;
  object_class->finalize = lab_grad_plot_finalize;
  object_class->get_property = lab_grad_plot_get_property;
  object_class->set_property = lab_grad_plot_set_property;

  widget_class->snapshot = lab_grad_plot_snapshot;
  widget_class->measure = lab_grad_plot_measure;

  plot_class->model_changed = lab_grad_plot_model_changed;

  properties[PROP_DELTA] =
    g_param_spec_boolean ("delta", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SMOOTHING] =
    g_param_spec_double ("smoothing", NULL, NULL, 0.0, 0.99, 0.0,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

}

static void
lab_grad_plot_init (LabGradPlot *self)
{
  self->points = g_array_new (FALSE, FALSE, sizeof (LabPlotPoint));
  self->raw = g_array_new (FALSE, FALSE, sizeof (double));
  self->steps = g_array_new (FALSE, FALSE, sizeof (guint64));
  self->scratch = lab_plot_scratch_new ();
  self->dirty = TRUE;

  gtk_widget_add_css_class (GTK_WIDGET (self), "grad-plot");
}

GtkWidget *
lab_grad_plot_new (void)
{
  return g_object_new (LAB_TYPE_GRAD_PLOT, NULL);
}

void
lab_grad_plot_set_delta (LabGradPlot *self,
                         gboolean     delta)
{
  g_return_if_fail (LAB_IS_GRAD_PLOT (self));

  delta = !!delta;
  if (self->delta == delta)
    return;
  self->delta = delta;
  invalidate (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DELTA]);
}

gboolean
lab_grad_plot_get_delta (LabGradPlot *self)
{
  g_return_val_if_fail (LAB_IS_GRAD_PLOT (self), FALSE);

  return self->delta;
}

void
lab_grad_plot_set_smoothing (LabGradPlot *self,
                             double       smoothing)
{
  g_return_if_fail (LAB_IS_GRAD_PLOT (self));

  smoothing = CLAMP (smoothing, 0.0, 0.99);
  if (self->smoothing == smoothing)
    return;
  self->smoothing = smoothing;
  invalidate (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SMOOTHING]);
}

double
lab_grad_plot_get_smoothing (LabGradPlot *self)
{
  g_return_val_if_fail (LAB_IS_GRAD_PLOT (self), 0.0);

  return self->smoothing;
}

gboolean
lab_grad_plot_pick (LabGradPlot *self,
                    double       x,
                    double       y,
                    guint64     *step,
                    guint       *layer,
                    double      *value)
{
  guint l, i;
  double px, py;

  g_return_val_if_fail (LAB_IS_GRAD_PLOT (self), FALSE);

  if (self->dirty)
    return FALSE;   /* not drawn since the data changed */
  if (!pick (self, x, y, &l, &i, &px, &py))
    return FALSE;
  if (step != NULL)
    *step = g_array_index (self->steps, guint64, 2 * i + 1);
  if (layer != NULL)
    *layer = l;
  if (value != NULL)
    *value = g_array_index (self->raw, double, (gsize) l * self->n + i);
  return TRUE;
}

double
lab_grad_plot_get_last_y (LabGradPlot *self,
                          guint        layer)
{
  const LabPlotPoint *pts;

  g_return_val_if_fail (LAB_IS_GRAD_PLOT (self), NAN);

  if (!self->drawn || self->dirty || layer >= self->n_layers || self->n == 0)
    return NAN;
  pts = &g_array_index (self->points, LabPlotPoint, (gsize) layer * self->n);
  return lab_plot_area_y (&self->area, &self->ya, pts[self->n - 1].y);
}

void
lab_grad_plot_set_scale_partner (LabGradPlot *self,
                                 LabGradPlot *partner)
{
  g_return_if_fail (LAB_IS_GRAD_PLOT (self));
  g_return_if_fail (partner == NULL || LAB_IS_GRAD_PLOT (partner));

  if (g_set_weak_pointer (&self->scale_partner, partner))
    gtk_widget_queue_draw (GTK_WIDGET (self));
}
