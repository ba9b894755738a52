/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-loss-plot.c: plot 3, loss and accuracy over steps (see lab-loss-plot.h). The series are
 * copied out of the model's history and evaluations when the model changes; the snapshot only
 * maps and draws them.
 */
#define G_LOG_DOMAIN "lab-loss-plot"

#include "config.h"

#include <math.h>

#include "lab-loss-plot.h"
#include "lab-plot-util.h"

struct _LabLossPlot
{
  LabPlot       parent_instance;

  /* owned */
  gboolean      dirty;
  GArray       *train_loss;   /* LabPlotPoint */
  GArray       *train_acc;    /* LabPlotPoint, % */
  GArray       *test_loss;    /* LabPlotPoint */
  GArray       *test_acc;     /* LabPlotPoint, % */
  GArray       *scratch;
  double        loss_min;     /* finite range of both losses (positive-only for log: pos_min) */
  double        loss_max;
  double        loss_pos_min;
  double        x_min;
  double        x_max;
  gboolean      have_acc;

  /* properties */
  gboolean      log_scale;

  /* borrowed (weak): a plot whose data the axes also cover (compare mode) */
  LabLossPlot  *scale_partner;

  /* the last drawn frame */
  gboolean      drawn;
  LabPlotArea   area;
  LabPlotAxis   xa;
  LabPlotAxis   ya;
};

G_DEFINE_FINAL_TYPE (LabLossPlot, lab_loss_plot, LAB_TYPE_PLOT)

enum
{
  PROP_0,
  PROP_LOG_SCALE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Loss in blue, accuracy in green; train solid, test dashed with markers. Mid-lightness so
 * both read on light and dark themes. */
static const GdkRGBA loss_color = { 0.16f, 0.48f, 0.89f, 1.f };
static const GdkRGBA acc_color = { 0.15f, 0.64f, 0.41f, 1.f };
static const GdkRGBA test_loss_color = { 0.45f, 0.30f, 0.85f, 1.f };
static const GdkRGBA test_acc_color = { 0.90f, 0.45f, 0.05f, 1.f };

/* --- data ---------------------------------------------------------------------------------- */

static void
note_loss (LabLossPlot *self,
           double       v)
{
  if (!isfinite (v))
    return;
  self->loss_min = MIN (self->loss_min, v);
  self->loss_max = MAX (self->loss_max, v);
  if (v > 0)
    self->loss_pos_min = MIN (self->loss_pos_min, v);
}

static void
gather (LabLossPlot *self)
{
  LabPlotModel *model = lab_plot_get_model (LAB_PLOT (self));
  LabHistory *h = model != NULL ? lab_plot_model_get_history (model) : NULL;
  GArray *evals = model != NULL ? lab_plot_model_get_evals (model) : NULL;
  guint n = h != NULL ? lab_history_len (h) : 0;

  self->dirty = FALSE;
  self->loss_min = self->loss_pos_min = G_MAXDOUBLE;
  self->loss_max = -G_MAXDOUBLE;
  self->x_min = G_MAXDOUBLE;
  self->x_max = -G_MAXDOUBLE;
  self->have_acc = FALSE;

  g_array_set_size (self->train_loss, n);
  g_array_set_size (self->train_acc, n);
  for (guint i = 0; i < n; i++)
    {
      LabHistoryPoint l = lab_history_get (h, i, LAB_HISTORY_LOSS, 0);
      LabHistoryPoint a = lab_history_get (h, i, LAB_HISTORY_ACCURACY, 0);
      double x = 0.5 * ((double) l.step_first + (double) l.step_last);

      g_array_index (self->train_loss, LabPlotPoint, i) = (LabPlotPoint) { x, l.min, l.mean, l.max };
      g_array_index (self->train_acc, LabPlotPoint, i) =
        (LabPlotPoint) { x, 100.0 * a.min, 100.0 * a.mean, 100.0 * a.max };
      note_loss (self, l.min);
      note_loss (self, l.max);
      note_loss (self, l.mean);
      if (isfinite (a.mean))
        self->have_acc = TRUE;
      self->x_min = MIN (self->x_min, (double) l.step_first);
      self->x_max = MAX (self->x_max, (double) l.step_last);
    }

  g_array_set_size (self->test_loss, 0);
  g_array_set_size (self->test_acc, 0);
  for (guint i = 0; evals != NULL && i < evals->len; i++)
    {
      const LabEvalPoint *e = &g_array_index (evals, LabEvalPoint, i);
      LabPlotPoint pl = { (double) e->step, e->loss, e->loss, e->loss };
      LabPlotPoint pa = { (double) e->step, 100.0 * e->accuracy, 100.0 * e->accuracy,
                          100.0 * e->accuracy };

      g_array_append_val (self->test_loss, pl);
      g_array_append_val (self->test_acc, pa);
      note_loss (self, e->loss);
      if (isfinite (e->accuracy))
        self->have_acc = TRUE;
      self->x_min = MIN (self->x_min, (double) e->step);
      self->x_max = MAX (self->x_max, (double) e->step);
    }
}

static void
invalidate (LabLossPlot *self)
{
  self->dirty = TRUE;
  gtk_widget_queue_draw (GTK_WIDGET (self));
  if (self->scale_partner != NULL)
    gtk_widget_queue_draw (GTK_WIDGET (self->scale_partner));
}

/* Widens the ranges to the partner's data, so both plots share their scales. */
static void
partner_range (LabLossPlot *self,
               double      *x_lo,
               double      *x_hi,
               double      *lo,
               double      *pos_lo,
               double      *hi)
{
  LabLossPlot *p = self->scale_partner;

  if (p == NULL)
    return;
  if (p->dirty)
    gather (p);
  if (p->loss_max < p->loss_min)
    return;
  *x_lo = MIN (*x_lo, p->x_min);
  *x_hi = MAX (*x_hi, p->x_max);
  *lo = MIN (*lo, p->loss_min);
  *pos_lo = MIN (*pos_lo, p->loss_pos_min);
  *hi = MAX (*hi, p->loss_max);
}

static void
lab_loss_plot_model_changed (LabPlot  *plot,
                             gboolean  replaced)
{
  invalidate (LAB_LOSS_PLOT (plot));
}

/* --- drawing ------------------------------------------------------------------------------- */

static void
lab_loss_plot_snapshot (GtkWidget   *widget,
                        GtkSnapshot *snapshot)
{
  LabLossPlot *self = LAB_LOSS_PLOT (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  static const char title[] = "Loss and accuracy";
  LabPlotLegendItem items[4];
  guint n_items = 0;
  LabPlotStyle s;
  LabPlotLayer *layer;
  LabPlotAxis acc_axis;
  const char *y_title;
  gboolean empty;
  double x_lo, x_hi, lo, pos_lo, hi;

  if (width <= 0 || height <= 0)
    return;
  if (self->dirty)
    gather (self);

  lab_plot_style_init (widget, &s);
  empty = self->loss_max < self->loss_min || (self->log_scale && self->loss_pos_min > self->loss_max);
  lab_plot_area_init (&self->area, widget, &s, width, height,
                      (self->have_acc || empty) ? LAB_PLOT_AREA_RIGHT_AXIS : 0);
  lab_plot_damage_all (snapshot, widget);   /* new data moves the x axis: everything changes */
  lab_plot_draw_background (snapshot, &s, &self->area);
  lab_plot_draw_title (snapshot, widget, &s, &self->area, title, NULL);
  y_title = self->log_scale ? "loss (log scale)" : "loss";
  lab_plot_axis_init (&acc_axis, 0, 100, FALSE);

  if (empty)
    {
      LabPlotAxis xa, ya;
      char message[96];

      lab_plot_axis_init (&xa, 0, 100, FALSE);
      lab_plot_axis_init (&ya, self->log_scale ? 0.01 : 0, self->log_scale ? 10 : 2.5,
                          self->log_scale);
      lab_plot_draw_axes (snapshot, widget, &s, &self->area, &xa, "step", &ya, y_title,
                          &acc_axis, "accuracy (%)");
      lab_plot_empty_message (LAB_PLOT (self), "losses", message, sizeof message);
      lab_plot_draw_message (snapshot, widget, &s, &self->area, message);
      self->drawn = FALSE;
      return;
    }

  x_lo = self->x_min;
  x_hi = self->x_max;
  lo = self->loss_min;
  pos_lo = self->loss_pos_min;
  hi = self->loss_max;
  partner_range (self, &x_lo, &x_hi, &lo, &pos_lo, &hi);
  if (x_hi <= x_lo)
    {
      /* one step so far: centred, not on the frame's edge */
      x_lo -= 1;
      x_hi += 1;
    }
  lab_plot_axis_init (&self->xa, x_lo, x_hi, FALSE);
  if (self->log_scale)
    lab_plot_axis_init (&self->ya, pos_lo, hi, TRUE);
  else
    lab_plot_axis_init (&self->ya, MIN (0.0, lo), hi, FALSE);
  lab_plot_axis_nice (&self->ya);

  /* the legend goes above the data, not over its top right where the accuracy ends up */
  items[n_items++] = (LabPlotLegendItem) { "train loss", loss_color, LAB_PLOT_SWATCH_LINE };
  if (self->test_loss->len > 0)
    items[n_items++] = (LabPlotLegendItem) { "test loss", test_loss_color,
                                             LAB_PLOT_SWATCH_MARKER };
  if (self->have_acc)
    {
      items[n_items++] = (LabPlotLegendItem) { "train acc.", acc_color, LAB_PLOT_SWATCH_LINE };
      if (self->test_acc->len > 0)
        items[n_items++] = (LabPlotLegendItem) { "test acc.", test_acc_color,
                                                 LAB_PLOT_SWATCH_MARKER };
    }
  lab_plot_area_reserve_title_legend (&self->area, widget, &s, title, items, n_items);

  lab_plot_draw_axes (snapshot, widget, &s, &self->area, &self->xa, "step", &self->ya, y_title,
                      self->have_acc ? &acc_axis : NULL,
                      self->have_acc ? "accuracy (%)" : NULL);

  /* accuracy first, so the loss (the main curve) stays on top */
  layer = lab_plot_layer_begin (snapshot, &s, &self->area);
  if (self->have_acc)
    {
      lab_plot_draw_series (layer, &self->xa, &acc_axis,
                            (const LabPlotPoint *) (void *) self->train_acc->data,
                            self->train_acc->len, &acc_color,
                            LAB_PLOT_SERIES_LINE | LAB_PLOT_SERIES_ENVELOPE, self->scratch);
      lab_plot_draw_series (layer, &self->xa, &acc_axis,
                            (const LabPlotPoint *) (void *) self->test_acc->data,
                            self->test_acc->len, &test_acc_color,
                            LAB_PLOT_SERIES_DASHED | LAB_PLOT_SERIES_MARKERS, self->scratch);
    }
  lab_plot_draw_series (layer, &self->xa, &self->ya,
                        (const LabPlotPoint *) (void *) self->train_loss->data,
                        self->train_loss->len, &loss_color,
                        LAB_PLOT_SERIES_LINE | LAB_PLOT_SERIES_ENVELOPE, self->scratch);
  lab_plot_draw_series (layer, &self->xa, &self->ya,
                        (const LabPlotPoint *) (void *) self->test_loss->data,
                        self->test_loss->len, &test_loss_color,
                        LAB_PLOT_SERIES_DASHED | LAB_PLOT_SERIES_MARKERS, self->scratch);
  lab_plot_layer_end (layer);

  lab_plot_draw_legend (snapshot, widget, &s, &self->area, items, n_items,
                        LAB_PLOT_LEGEND_TITLE_LINE);
  self->drawn = TRUE;
}

static void
lab_loss_plot_measure (GtkWidget      *widget,
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
      *natural = 300;
    }
}

/* --- GObject ------------------------------------------------------------------------------- */


static void
lab_loss_plot_dispose (GObject *object)
{
  /* before the partner is dropped, so it redraws without this plot's data */
  lab_plot_set_model (LAB_PLOT (object), NULL);
  g_clear_weak_pointer (&LAB_LOSS_PLOT (object)->scale_partner);

  G_OBJECT_CLASS (lab_loss_plot_parent_class)->dispose (object);
}

static void
lab_loss_plot_finalize (GObject *object)
{
  LabLossPlot *self = LAB_LOSS_PLOT (object);

  g_clear_pointer (&self->train_loss, g_array_unref);
  g_clear_pointer (&self->train_acc, g_array_unref);
  g_clear_pointer (&self->test_loss, g_array_unref);
  g_clear_pointer (&self->test_acc, g_array_unref);
  g_clear_pointer (&self->scratch, g_array_unref);

  G_OBJECT_CLASS (lab_loss_plot_parent_class)->finalize (object);
}

static void
lab_loss_plot_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  LabLossPlot *self = LAB_LOSS_PLOT (object);

  switch (prop_id)
    {
    case PROP_LOG_SCALE:
      g_value_set_boolean (value, self->log_scale);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lab_loss_plot_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  LabLossPlot *self = LAB_LOSS_PLOT (object);

  switch (prop_id)
    {
    case PROP_LOG_SCALE:
      lab_loss_plot_set_log_scale (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lab_loss_plot_class_init (LabLossPlotClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  LabPlotClass *plot_class = LAB_PLOT_CLASS (klass);

  object_class->dispose = lab_loss_plot_dispose;
  object_class->finalize = lab_loss_plot_finalize;
  object_class->get_property = lab_loss_plot_get_property;
  object_class->set_property = lab_loss_plot_set_property;

  widget_class->snapshot = lab_loss_plot_snapshot;
  widget_class->measure = lab_loss_plot_measure;

  plot_class->model_changed = lab_loss_plot_model_changed;
  plot_class->hover_changed = NULL;   /* nothing here follows the pointer */

  properties[PROP_LOG_SCALE] =
    g_param_spec_boolean ("log-scale", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

}

static void
lab_loss_plot_init (LabLossPlot *self)
{
  self->train_loss = g_array_new (FALSE, FALSE, sizeof (LabPlotPoint));
  self->train_acc = g_array_new (FALSE, FALSE, sizeof (LabPlotPoint));
  self->test_loss = g_array_new (FALSE, FALSE, sizeof (LabPlotPoint));
  self->test_acc = g_array_new (FALSE, FALSE, sizeof (LabPlotPoint));
  self->scratch = lab_plot_scratch_new ();
  self->dirty = TRUE;

  gtk_widget_add_css_class (GTK_WIDGET (self), "loss-plot");
}

GtkWidget *
lab_loss_plot_new (void)
{
  return g_object_new (LAB_TYPE_LOSS_PLOT, NULL);
}

void
lab_loss_plot_set_log_scale (LabLossPlot *self,
                             gboolean     log_scale)
{
  g_return_if_fail (LAB_IS_LOSS_PLOT (self));

  log_scale = !!log_scale;
  if (self->log_scale == log_scale)
    return;
  self->log_scale = log_scale;
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOG_SCALE]);
}

gboolean
lab_loss_plot_get_log_scale (LabLossPlot *self)
{
  g_return_val_if_fail (LAB_IS_LOSS_PLOT (self), FALSE);

  return self->log_scale;
}

double
lab_loss_plot_get_last_loss_y (LabLossPlot *self)
{
  g_return_val_if_fail (LAB_IS_LOSS_PLOT (self), NAN);

  if (!self->drawn || self->dirty || self->train_loss->len == 0)
    return NAN;
  return lab_plot_area_y (&self->area, &self->ya,
                          g_array_index (self->train_loss, LabPlotPoint,
                                         self->train_loss->len - 1).y);
}

void
lab_loss_plot_set_scale_partner (LabLossPlot *self,
                                 LabLossPlot *partner)
{
  g_return_if_fail (LAB_IS_LOSS_PLOT (self));
  g_return_if_fail (partner == NULL || LAB_IS_LOSS_PLOT (partner));

  if (g_set_weak_pointer (&self->scale_partner, partner))
    gtk_widget_queue_draw (GTK_WIDGET (self));
}
