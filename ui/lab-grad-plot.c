/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-grad-plot.c: plot 1, gradient norms over time (see lab-grad-plot.h). The series are read
 * from the model's history into one cached array when the model changes (smoothing applied
 * there, in log space, since the values span decades); snapshot only maps and draws them.
 */
#define G_LOG_DOMAIN "lab-grad-plot"

#include "config.h"

#include <glib/gi18n.h>
#include <inttypes.h>
#include <math.h>
#include <string.h>

#include "lab-grad-norms.h"
#include "lab-grad-plot.h"
#include "lab-number-format.h"
#include "lab-palette.h"
#include "lab-plot-axes.h"
#include "lab-plot-legend.h"

#define PICK_RADIUS 32.0

struct _LabGradPlot
{
  LabPlot       parent_instance;

  /* owned: what is drawn, for the layers the selection shows */
  GArray       *points;     /* LabPlotPoint, n_shown × n, layer-major; y smoothed */
  GArray       *raw;        /* double, same layout: the unsmoothed mean */
  GArray       *steps;      /* guint64 pairs (first, last) per index */
  GArray       *shown;      /* guint: the network's layers cached, input to output */
  guint         n_layers;   /* of the network */
  guint         n;
  LabExtent     extent;     /* of everything cached: line and envelope */
  char          subtitle[160];

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
  GArray       *built_ema;              /* double per shown layer: log10-space smoothing
                                         * after the last point */

  /* properties */
  gboolean      delta;
  double        smoothing;
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

/* The layers to draw: the model's selection when it describes the history's network, else
 * every layer. */
static void
wanted_layers (LabGradPlot *self,
               LabHistory  *h,
               GArray      *out)
{
  LabLayerSelection *sel = lab_plot_get_layer_selection (LAB_PLOT (self));
  guint n_layers = h != NULL ? lab_history_n_layers (h) : 0;

  g_array_set_size (out, 0);
  if (sel != NULL && lab_layer_selection_get_n_layers (sel) == n_layers)
    {
      guint n;
      const guint *visible = lab_layer_selection_get_visible (sel, &n);

      g_array_append_vals (out, visible, n);
      return;
    }
  for (guint l = 0; l < n_layers; l++)
    g_array_append_val (out, l);
}

static gboolean
same_layers (GArray *a,
             GArray *b)
{
  return a->len == b->len && memcmp (a->data, b->data, a->len * sizeof (guint)) == 0;
}

/* The first point to compute: the cached count if the history only grew since (same run,
 * same history, same layers shown, and its point there is the one last built, so no
 * compaction shifted it), else 0. */
static guint
first_new_point (LabGradPlot      *self,
                 LabHistory       *h,
                 LabHistoryMetric  metric,
                 GArray           *layers)
{
  LabHistoryPoint hp;

  if (self->stale || h == NULL || self->n == 0 || h != self->built_history ||
      lab_history_n_layers (h) != self->n_layers || lab_history_len (h) < self->n ||
      !same_layers (layers, self->shown) ||
      lab_plot_model_get_run_id (lab_plot_get_model (LAB_PLOT (self))) != self->built_run)
    return 0;
  hp = lab_history_get (h, self->n - 1, metric, 0);
  if (hp.step_first != self->built_first || hp.step_last != self->built_last ||
      hp.mean != self->built_mean)
    return 0;
  return self->n;
}

/* Moves layer-major rows of @old_n elements to rows of @n (≥ old_n), from the last layer
 * down so nothing is overwritten before it moves; the array is already n_rows × n long. */
static void
spread_layers (GArray *array,
               guint   n_rows,
               guint   old_n,
               guint   n)
{
  gsize size = g_array_get_element_size (array);

  for (guint l = n_rows; l-- > 1;)
    memmove (array->data + (gsize) l * n * size, array->data + (gsize) l * old_n * size,
             (gsize) old_n * size);
}

/* Sizes the cache for the history's n points of @layers; when it is only extended (@start > 0)
 * the cached rows move to their new places. */
static void
resize_cache (LabGradPlot *self,
              LabHistory  *h,
              GArray      *layers,
              guint        start)
{
  guint old_n = self->n;

  self->n_layers = h != NULL ? lab_history_n_layers (h) : 0;
  self->n = h != NULL ? lab_history_len (h) : 0;
  if (start == 0)
    {
      lab_extent_init (&self->extent);
      g_array_set_size (self->shown, 0);
      g_array_append_vals (self->shown, layers->data, layers->len);
      g_array_set_size (self->built_ema, layers->len);
    }

  g_array_set_size (self->points, (gsize) self->shown->len * self->n);
  g_array_set_size (self->raw, (gsize) self->shown->len * self->n);
  g_array_set_size (self->steps, (gsize) self->n * 2);
  if (start > 0)
    {
      spread_layers (self->points, self->shown->len, old_n, self->n);
      spread_layers (self->raw, self->shown->len, old_n, self->n);
    }
}

/* Points @start … n of the @i-th shown layer, smoothed from @ema on (NAN: no point yet);
 * returns the smoothing state after the last one. */
static double
cache_layer (LabGradPlot      *self,
             LabHistory       *h,
             LabHistoryMetric  metric,
             guint             i,
             guint             start,
             double            ema)
{
  LabPlotPoint *pts = &g_array_index (self->points, LabPlotPoint, (gsize) i * self->n);
  double *raw = &g_array_index (self->raw, double, (gsize) i * self->n);
  double alpha = CLAMP (self->smoothing, 0.0, 0.99);
  guint l = g_array_index (self->shown, guint, i);

  for (guint k = start; k < self->n; k++)
    {
      LabHistoryPoint hp = lab_history_get (h, k, metric, l);
      double y = hp.mean;

      raw[k] = y;
      pts[k].x = 0.5 * ((double) hp.step_first + (double) hp.step_last);
      pts[k].lo = hp.min;
      pts[k].hi = hp.max;

      if (isfinite (y) && y > 0)
        {
          double ly = log10 (y);

          ema = isnan (ema) ? ly : alpha * ema + (1.0 - alpha) * ly;
          pts[k].y = pow (10.0, ema);
        }
      else
        pts[k].y = NAN;

      /* the extent covers what is drawn: line and envelope (a log axis: positive values) */
      if (pts[k].y > 0)
        lab_extent_add (&self->extent, pts[k].y);
      if (pts[k].lo > 0)
        lab_extent_add (&self->extent, pts[k].lo);
      if (pts[k].hi > 0)
        lab_extent_add (&self->extent, pts[k].hi);
    }
  return ema;
}

/* Remembers what the cache now holds, so that the next rebuild can tell whether it may only
 * extend it. */
static void
remember_built (LabGradPlot      *self,
                LabHistory       *h,
                LabHistoryMetric  metric)
{
  LabPlotModel *model = lab_plot_get_model (LAB_PLOT (self));

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

/* The subtitle, with the layers shown when the selection hides some. */
static void
update_subtitle (LabGradPlot *self)
{
  LabLayerSelection *sel = lab_plot_get_layer_selection (LAB_PLOT (self));
  const char *what = self->delta ? _("‖δₗ‖₂ over time") : _("‖∂L/∂Wₗ‖₂ over time");
  char shown[96];

  if (sel == NULL || self->shown->len == self->n_layers)
    {
      g_strlcpy (self->subtitle, what, sizeof self->subtitle);
      return;
    }
  lab_layer_selection_describe (sel, shown, sizeof shown);
  g_snprintf (self->subtitle, sizeof self->subtitle, "%s · %s", what, shown);
}

static void
lab_grad_plot_update (LabPlot   *plot,
                      LabExtent *x,
                      LabExtent *y)
{
  LabGradPlot *self = LAB_GRAD_PLOT (plot);
  LabPlotModel *model = lab_plot_get_model (plot);
  LabHistory *h = model != NULL ? lab_plot_model_get_history (model) : NULL;
  LabHistoryMetric metric = lab_grad_norms_metric (self->delta);
  g_autoptr(GArray) layers = g_array_new (FALSE, FALSE, sizeof (guint));
  guint start;

  wanted_layers (self, h, layers);
  start = first_new_point (self, h, metric, layers);
  self->stale = FALSE;
  resize_cache (self, h, layers, start);

  for (guint i = start; i < self->n && self->n_layers > 0; i++)
    {
      LabHistoryPoint hp = lab_history_get (h, i, metric, 0);

      g_array_index (self->steps, guint64, 2 * i) = hp.step_first;
      g_array_index (self->steps, guint64, 2 * i + 1) = hp.step_last;
    }
  for (guint i = 0; i < self->shown->len; i++)
    {
      double *ema = &g_array_index (self->built_ema, double, i);

      *ema = cache_layer (self, h, metric, i, start, start > 0 ? *ema : NAN);
    }
  remember_built (self, h, metric);
  update_subtitle (self);

  if (self->n > 0 && self->n_layers > 0)
    {
      lab_extent_add (x, (double) g_array_index (self->steps, guint64, 0));
      lab_extent_add (x, (double) g_array_index (self->steps, guint64, 2 * self->n - 1));
    }
  *y = self->extent;
}

static void
lab_grad_plot_model_changed (LabPlot  *plot,
                             gboolean  replaced)
{
  /* a new model says nothing about the cache; new rows: update extends it when it can */
  if (replaced)
    LAB_GRAD_PLOT (plot)->stale = TRUE;
  lab_plot_invalidate (plot);
}

/* A setting changed: everything cached is recomputed. */
static void
invalidate (LabGradPlot *self)
{
  self->stale = TRUE;
  lab_plot_invalidate (LAB_PLOT (self));
}

/* --- drawing ------------------------------------------------------------------------------- */

static void
lab_grad_plot_get_title (LabPlot     *plot,
                         const char **title,
                         const char **subtitle)
{
  LabGradPlot *self = LAB_GRAD_PLOT (plot);

  *title = self->delta ? _("Back-propagated error per layer") : _("Weight-gradient norm per layer");
  *subtitle = self->subtitle;
}

static gboolean
lab_grad_plot_get_empty_message (LabPlot *plot,
                                 char    *buf,
                                 gsize    len)
{
  LabGradPlot *self = LAB_GRAD_PLOT (plot);

  return lab_grad_norms_empty_message (plot, self->n > 0 && self->n_layers > 0, &self->extent,
                                       buf, len);
}

static void
lab_grad_plot_draw_empty (LabPlot      *plot,
                          GtkSnapshot  *snapshot,
                          LabPlotFrame *f)
{
  LabScale xs, ys;

  lab_scale_init (&xs, 0, 100, FALSE);
  lab_scale_init (&ys, 1e-6, 1, TRUE);
  lab_plot_draw_axes (snapshot, GTK_WIDGET (plot), &f->style, &f->area, &xs, _("step"), &ys,
                      lab_grad_norms_axis_title (LAB_GRAD_PLOT (plot)->delta), NULL, NULL);
}

static void
lab_grad_plot_draw (LabPlot      *plot,
                    GtkSnapshot  *snapshot,
                    LabPlotFrame *f)
{
  LabGradPlot *self = LAB_GRAD_PLOT (plot);
  GtkWidget *widget = GTK_WIDGET (plot);
  LabLayerSelection *sel = lab_plot_get_layer_selection (plot);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autofree LabPlotLegendItem *items = NULL;
  guint n_items = lab_grad_norms_legend (sel, (const guint *) (const void *) self->shown->data,
                                         self->shown->len, self->n_layers, &items, names);
  gboolean reserved;

  reserved = lab_plot_area_reserve_legend (&f->area, widget, &f->style, items, n_items);

  lab_axis_get_scale (lab_plot_get_x_axis (plot), &f->x);
  lab_axis_get_scale (lab_plot_get_y_axis (plot), &f->y);
  lab_plot_draw_axes (snapshot, widget, &f->style, &f->area, &f->x, _("step"), &f->y,
                      lab_grad_norms_axis_title (self->delta), NULL, NULL);

  lab_plot_canvas_begin (f->canvas, snapshot, &f->style, &f->area);
  for (guint i = 0; i < self->shown->len; i++)
    {
      const LabPlotPoint *pts = &g_array_index (self->points, LabPlotPoint, (gsize) i * self->n);
      GdkRGBA color;

      /* The envelope is the min–max of a decimated bucket or of the points sharing a pixel
       * column (empty where both are one step); with smoothing it is the raw spread. */
      lab_palette_layer_color_in (sel, g_array_index (self->shown, guint, i), self->n_layers,
                                  &color);
      lab_plot_canvas_draw_series (f->canvas, &f->x, &f->y, pts, self->n, &color,
                                   LAB_PLOT_SERIES_LINE | LAB_PLOT_SERIES_ENVELOPE);
    }
  lab_plot_canvas_end (f->canvas);

  lab_plot_draw_legend (snapshot, widget, &f->style, &f->area, items, n_items,
                        reserved ? LAB_PLOT_LEGEND_OUTSIDE_RIGHT : LAB_PLOT_LEGEND_BOTTOM_RIGHT);
}

/* The point nearest to (@x, @y) in frame @f, within PICK_RADIUS: its shown layer's index. */
static gboolean
pick (LabGradPlot        *self,
      const LabPlotFrame *f,
      double              x,
      double              y,
      guint              *out_shown,
      guint              *out_index,
      double             *out_px,
      double             *out_py)
{
  double best = PICK_RADIUS * PICK_RADIUS;
  gboolean found = FALSE;

  for (guint s = 0; s < self->shown->len; s++)
    {
      const LabPlotPoint *pts = &g_array_index (self->points, LabPlotPoint, (gsize) s * self->n);

      for (guint i = 0; i < self->n; i++)
        {
          double px = lab_plot_area_x (&f->area, &f->x, pts[i].x);
          double py, d;

          if (fabs (px - x) > PICK_RADIUS)
            continue;
          py = lab_plot_area_y (&f->area, &f->y, pts[i].y);
          if (isnan (py))
            continue;
          d = (px - x) * (px - x) + (py - y) * (py - y);
          if (d < best)
            {
              best = d;
              found = TRUE;
              *out_shown = s;
              *out_index = i;
              *out_px = px;
              *out_py = py;
            }
        }
    }

  return found;
}

static char *
lab_grad_plot_get_hover_text (LabPlot            *plot,
                              const LabPlotFrame *f,
                              LabPlotTooltip     *tip)
{
  LabGradPlot *self = LAB_GRAD_PLOT (plot);
  LabLayerSelection *sel = lab_plot_get_layer_selection (plot);
  const LabPlotPoint *p;
  guint s, layer, i;
  guint64 first, last;
  char name[128], val[64], lo[64], hi[64];
  g_autofree char *escaped = NULL;
  GString *text;

  if (!pick (self, f, tip->x, tip->y, &s, &i, &tip->x, &tip->y))
    return NULL;

  layer = g_array_index (self->shown, guint, s);
  first = g_array_index (self->steps, guint64, 2 * i);
  last = g_array_index (self->steps, guint64, 2 * i + 1);
  p = &g_array_index (self->points, LabPlotPoint, (gsize) s * self->n + i);
  lab_grad_norms_layer_name (sel, layer, self->n_layers, name, sizeof name);
  escaped = g_markup_escape_text (name, -1);
  lab_number_format_sci (g_array_index (self->raw, double, (gsize) s * self->n + i), val,
                         sizeof val);

  text = g_string_new (NULL);
  g_string_append_printf (text, "<b>%s</b>\n", escaped);
  if (first == last)
    g_string_append_printf (text, _("step %" PRIu64 "\n"), last);
  else
    g_string_append_printf (text, _("steps %" PRIu64 "–%" PRIu64 " (mean)\n"),
                            first, last);
  g_string_append_printf (text, "%s = %s", lab_grad_norms_symbol (self->delta), val);
  if (first != last)
    {
      lab_number_format_sci (p->lo, lo, sizeof lo);
      lab_number_format_sci (p->hi, hi, sizeof hi);
      g_string_append_printf (text, _("\nmin %s, max %s"), lo, hi);
    }
  if (self->smoothing > 0)
    {
      lab_number_format_sci (p->y, lo, sizeof lo);
      g_string_append_printf (text, _("\nsmoothed %s"), lo);
    }

  tip->markup = TRUE;
  tip->dot = TRUE;
  lab_palette_layer_color_in (sel, layer, self->n_layers, &tip->dot_color);
  return g_string_free (text, FALSE);
}

/* The latest value of the @s-th shown layer as its curve shows it: smoothed when smoothing is
 * on, except that a value that is not finite (the curve has a gap there) is said as it is. */
static double
latest_value (LabGradPlot *self,
              guint        s)
{
  double raw = g_array_index (self->raw, double, (gsize) s * self->n + self->n - 1);

  if (self->smoothing > 0 && isfinite (raw))
    return g_array_index (self->points, LabPlotPoint, (gsize) s * self->n + self->n - 1).y;
  return raw;
}

static void
lab_grad_plot_describe (LabPlot *plot,
                        GString *out)
{
  LabGradPlot *self = LAB_GRAD_PLOT (plot);
  guint64 step = g_array_index (self->steps, guint64, 2 * self->n - 1);
  guint n_shown = self->shown->len, lo_layer = 0, n_finite = 0;
  double lo = INFINITY, hi = 0;
  char first_text[64], last_text[64];

  lab_number_format_spoken (latest_value (self, 0), first_text, sizeof first_text);
  lab_number_format_spoken (latest_value (self, n_shown - 1), last_text, sizeof last_text);
  if (self->delta)
    g_string_append_printf (out, _("Back-propagated error norm at step %" PRIu64
                              ": first layer %s, last layer %s."), step, first_text, last_text);
  else
    g_string_append_printf (out, _("Weight-gradient norm at step %" PRIu64
                              ": first layer %s, last layer %s."), step, first_text, last_text);

  for (guint s = 0; s < n_shown; s++)
    {
      double v = latest_value (self, s);

      if (!isfinite (v) || v <= 0)
        continue;
      n_finite++;
      hi = MAX (hi, v);
      if (v < lo)
        {
          lo = v;
          lo_layer = g_array_index (self->shown, guint, s);
        }
    }
  if (n_finite >= 2 && n_shown == self->n_layers)
    g_string_append_printf (out, _(" Across %u layers the norms span %.1f decades, the smallest "
                              "in layer %u."), self->n_layers, log10 (hi / lo), lo_layer + 1);
  else if (n_finite >= 2)
    g_string_append_printf (out, _(" Across the %u layers shown of %u the norms span %.1f "
                              "decades, the smallest in layer %u."), n_shown, self->n_layers,
                            log10 (hi / lo), lo_layer + 1);
  if (self->smoothing > 0)
    g_string_append_printf (out, _(" The curves are smoothed (%.2f)."), self->smoothing);
}

/* --- GObject ------------------------------------------------------------------------------- */

static void
lab_grad_plot_finalize (GObject *object)
{
  LabGradPlot *self = LAB_GRAD_PLOT (object);

  g_clear_pointer (&self->points, g_array_unref);
  g_clear_pointer (&self->raw, g_array_unref);
  g_clear_pointer (&self->steps, g_array_unref);
  g_clear_pointer (&self->shown, g_array_unref);
  g_clear_pointer (&self->built_ema, g_array_unref);

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
  LabPlotClass *plot_class = LAB_PLOT_CLASS (klass);

  object_class->finalize = lab_grad_plot_finalize;
  object_class->get_property = lab_grad_plot_get_property;
  object_class->set_property = lab_grad_plot_set_property;

  plot_class->damage_all = TRUE;   /* new data moves the x axis: everything changes */
  plot_class->model_changed = lab_grad_plot_model_changed;
  plot_class->update = lab_grad_plot_update;
  plot_class->get_title = lab_grad_plot_get_title;
  plot_class->get_empty_message = lab_grad_plot_get_empty_message;
  plot_class->draw_empty = lab_grad_plot_draw_empty;
  plot_class->draw = lab_grad_plot_draw;
  plot_class->get_hover_text = lab_grad_plot_get_hover_text;
  plot_class->describe = lab_grad_plot_describe;

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
  g_autoptr (LabAxis) steps = lab_axis_new (LAB_AXIS_LINEAR);
  g_autoptr (LabAxis) norms = lab_axis_new (LAB_AXIS_LOG | LAB_AXIS_NICE);

  self->points = g_array_new (FALSE, FALSE, sizeof (LabPlotPoint));
  self->raw = g_array_new (FALSE, FALSE, sizeof (double));
  self->steps = g_array_new (FALSE, FALSE, sizeof (guint64));
  self->shown = g_array_new (FALSE, FALSE, sizeof (guint));
  self->built_ema = g_array_new (FALSE, FALSE, sizeof (double));
  g_strlcpy (self->subtitle, _("‖∂L/∂Wₗ‖₂ over time"), sizeof self->subtitle);
  lab_extent_init (&self->extent);
  lab_plot_set_x_axis (LAB_PLOT (self), steps);
  lab_plot_set_y_axis (LAB_PLOT (self), norms);

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
  const LabPlotFrame *f;
  guint s, i;
  double px, py;

  g_return_val_if_fail (LAB_IS_GRAD_PLOT (self), FALSE);

  /* NULL: not drawn since the data changed */
  f = lab_plot_get_frame (LAB_PLOT (self));
  if (f == NULL || !pick (self, f, x, y, &s, &i, &px, &py))
    return FALSE;
  if (step != NULL)
    *step = g_array_index (self->steps, guint64, 2 * i + 1);
  if (layer != NULL)
    *layer = g_array_index (self->shown, guint, s);
  if (value != NULL)
    *value = g_array_index (self->raw, double, (gsize) s * self->n + i);
  return TRUE;
}

double
lab_grad_plot_get_last_y (LabGradPlot *self,
                          guint        layer)
{
  const LabPlotFrame *f;
  const LabPlotPoint *pts;

  g_return_val_if_fail (LAB_IS_GRAD_PLOT (self), NAN);

  f = lab_plot_get_frame (LAB_PLOT (self));
  if (f == NULL || self->n == 0)
    return NAN;
  for (guint s = 0; s < self->shown->len; s++)
    if (g_array_index (self->shown, guint, s) == layer)
      {
        pts = &g_array_index (self->points, LabPlotPoint, (gsize) s * self->n);
        return lab_plot_area_y (&f->area, &f->y, pts[self->n - 1].y);
      }
  return NAN;   /* not a layer, or one the selection hides */
}
