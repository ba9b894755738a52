/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-loss-plot.c: plot 3, loss and accuracy over steps (see lab-loss-plot.h). The series are
 * copied out of the model's history and evaluations when the model changes; the snapshot only
 * maps and draws them.
 */
#define G_LOG_DOMAIN "lab-loss-plot"

#include "config.h"

#include <glib/gi18n.h>

#include <inttypes.h>
#include <math.h>

#include "lab-loss-plot.h"
#include "lab-number-format.h"
#include "lab-plot-axes.h"
#include "lab-plot-legend.h"

struct _LabLossPlot
{
  LabPlot       parent_instance;

  /* gathered data */
  GArray       *train_loss;   /* LabPlotPoint */
  GArray       *train_acc;    /* LabPlotPoint, % */
  GArray       *test_loss;    /* LabPlotPoint */
  GArray       *test_acc;     /* LabPlotPoint, % */
  LabExtent     loss;         /* of both losses */
  gboolean      have_acc;
};

G_DEFINE_FINAL_TYPE (LabLossPlot, lab_loss_plot, LAB_TYPE_PLOT)

enum
{
  PROP_0,
  PROP_LOG_SCALE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char title[] = N_("Loss and accuracy");

/* Loss in blue, accuracy in green; train solid, test dashed with markers. Mid-lightness so
 * both read on light and dark themes. */
static const GdkRGBA loss_color = { 0.16f, 0.48f, 0.89f, 1.f };
static const GdkRGBA acc_color = { 0.15f, 0.64f, 0.41f, 1.f };
static const GdkRGBA test_loss_color = { 0.45f, 0.30f, 0.85f, 1.f };
static const GdkRGBA test_acc_color = { 0.90f, 0.45f, 0.05f, 1.f };

/* --- data ---------------------------------------------------------------------------------- */

/* The training rows: loss and accuracy with their envelopes. */
static void
gather_history (LabLossPlot *self,
                LabHistory  *h,
                LabExtent   *x)
{
  guint n = h != NULL ? lab_history_len (h) : 0;

  g_array_set_size (self->train_loss, n);
  g_array_set_size (self->train_acc, n);
  for (guint i = 0; i < n; i++)
    {
      LabHistoryPoint l = lab_history_get (h, i, LAB_HISTORY_LOSS, 0);
      LabHistoryPoint a = lab_history_get (h, i, LAB_HISTORY_ACCURACY, 0);
      double mid = 0.5 * ((double) l.step_first + (double) l.step_last);

      g_array_index (self->train_loss, LabPlotPoint, i) =
        (LabPlotPoint) { mid, l.min, l.mean, l.max };
      g_array_index (self->train_acc, LabPlotPoint, i) =
        (LabPlotPoint) { mid, 100.0 * a.min, 100.0 * a.mean, 100.0 * a.max };
      lab_extent_add (&self->loss, l.min);
      lab_extent_add (&self->loss, l.max);
      lab_extent_add (&self->loss, l.mean);
      if (isfinite (a.mean))
        self->have_acc = TRUE;
      lab_extent_add (x, (double) l.step_first);
      lab_extent_add (x, (double) l.step_last);
    }
}

/* The test evaluations, one marker each. */
static void
gather_evals (LabLossPlot *self,
              GArray      *evals,
              LabExtent   *x)
{
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
      lab_extent_add (&self->loss, e->loss);
      if (isfinite (e->accuracy))
        self->have_acc = TRUE;
      lab_extent_add (x, (double) e->step);
    }
}

static void
lab_loss_plot_update (LabPlot   *plot,
                      LabExtent *x,
                      LabExtent *y)
{
  LabLossPlot *self = LAB_LOSS_PLOT (plot);
  LabPlotModel *model = lab_plot_get_model (plot);

  lab_extent_init (&self->loss);
  self->have_acc = FALSE;
  gather_history (self, model != NULL ? lab_plot_model_get_history (model) : NULL, x);
  gather_evals (self, model != NULL ? lab_plot_model_get_evals (model) : NULL, x);
  *y = self->loss;
}

/* --- drawing ------------------------------------------------------------------------------- */

static gboolean
is_log (LabLossPlot *self)
{
  return lab_axis_get_log (lab_plot_get_y_axis (LAB_PLOT (self)));
}

static void
lab_loss_plot_get_title (LabPlot     *plot,
                         const char **t,
                         const char **subtitle)
{
  *t = _(title);
  *subtitle = NULL;
}

static gboolean
lab_loss_plot_get_empty_message (LabPlot *plot,
                                 char    *buf,
                                 gsize    len)
{
  LabLossPlot *self = LAB_LOSS_PLOT (plot);

  if (!lab_extent_is_empty (&self->loss, is_log (self)))
    return FALSE;
  lab_plot_empty_message (plot, C_("no data yet", "losses"), buf, len);
  return TRUE;
}

static void
lab_loss_plot_draw_empty (LabPlot      *plot,
                          GtkSnapshot  *snapshot,
                          LabPlotFrame *f)
{
  gboolean log = is_log (LAB_LOSS_PLOT (plot));
  LabScale xs, ys, acc;

  lab_scale_init (&xs, 0, 100, FALSE);
  lab_scale_init (&ys, log ? 0.01 : 0, log ? 10 : 2.5, log);
  lab_scale_init (&acc, 0, 100, FALSE);
  lab_plot_draw_axes (snapshot, GTK_WIDGET (plot), &f->style, &f->area, &xs, _("step"), &ys,
                      log ? _("loss (log scale)") : _("loss"), &acc, _("accuracy (%)"));
}

/* The legend's items: it goes above the data, not over its top right where the accuracy ends
 * up. */
static guint
legend_items (LabLossPlot       *self,
              LabPlotLegendItem *items)
{
  guint n = 0;

  items[n++] = (LabPlotLegendItem) { _("train loss"), loss_color, LAB_PLOT_SWATCH_LINE };
  if (self->test_loss->len > 0)
    items[n++] = (LabPlotLegendItem) { _("test loss"), test_loss_color, LAB_PLOT_SWATCH_MARKER };
  if (self->have_acc)
    {
      items[n++] = (LabPlotLegendItem) { _("train acc."), acc_color, LAB_PLOT_SWATCH_LINE };
      if (self->test_acc->len > 0)
        items[n++] = (LabPlotLegendItem) { _("test acc."), test_acc_color, LAB_PLOT_SWATCH_MARKER };
    }
  return n;
}

/* One training series (line and envelope) and its evaluations (dashed, markers). */
static void
draw_pair (LabPlotCanvas  *canvas,
           const LabScale *xs,
           const LabScale *ys,
           GArray         *train,
           const GdkRGBA  *train_color,
           GArray         *test,
           const GdkRGBA  *test_color)
{
  lab_plot_canvas_draw_series (canvas, xs, ys, (const LabPlotPoint *) (void *) train->data,
                               train->len, train_color,
                               LAB_PLOT_SERIES_LINE | LAB_PLOT_SERIES_ENVELOPE);
  lab_plot_canvas_draw_series (canvas, xs, ys, (const LabPlotPoint *) (void *) test->data,
                               test->len, test_color,
                               LAB_PLOT_SERIES_DASHED | LAB_PLOT_SERIES_MARKERS);
}

static void
lab_loss_plot_draw (LabPlot      *plot,
                    GtkSnapshot  *snapshot,
                    LabPlotFrame *f)
{
  LabLossPlot *self = LAB_LOSS_PLOT (plot);
  GtkWidget *widget = GTK_WIDGET (plot);
  LabPlotLegendItem items[4];
  guint n_items = legend_items (self, items);
  LabScale acc;

  /* the class lays out a right axis for the accuracy; without accuracy there is none */
  if (!self->have_acc)
    lab_plot_area_init (&f->area, widget, &f->style, (int) f->area.width, (int) f->area.height,
                        0);
  lab_axis_get_scale (lab_plot_get_x_axis (plot), &f->x);
  lab_axis_get_scale (lab_plot_get_y_axis (plot), &f->y);
  lab_scale_init (&acc, 0, 100, FALSE);
  lab_plot_area_reserve_title_legend (&f->area, widget, &f->style, _(title), items, n_items);
  lab_plot_draw_axes (snapshot, widget, &f->style, &f->area, &f->x, _("step"), &f->y,
                      f->y.log ? _("loss (log scale)") : _("loss"),
                      self->have_acc ? &acc : NULL, self->have_acc ? _("accuracy (%)") : NULL);

  /* accuracy first, so the loss (the main curve) stays on top */
  lab_plot_canvas_begin (f->canvas, snapshot, &f->style, &f->area);
  if (self->have_acc)
    draw_pair (f->canvas, &f->x, &acc, self->train_acc, &acc_color, self->test_acc,
               &test_acc_color);
  draw_pair (f->canvas, &f->x, &f->y, self->train_loss, &loss_color, self->test_loss,
             &test_loss_color);
  lab_plot_canvas_end (f->canvas);

  lab_plot_draw_legend (snapshot, widget, &f->style, &f->area, items, n_items,
                        LAB_PLOT_LEGEND_TITLE_LINE);
}

/* The training loss's trend: its latest drawn point against the one a fifth of the curve
 * earlier (at least one point back), so it follows what the eye reads off the curve's end. */
static void
describe_trend (LabHistory *h,
                GString    *out)
{
  guint n = lab_history_len (h);
  LabHistoryPoint now, then;
  double change;

  if (n < 2)
    return;
  now = lab_history_get (h, n - 1, LAB_HISTORY_LOSS, 0);
  then = lab_history_get (h, n - 1 - MAX (1, n / 5), LAB_HISTORY_LOSS, 0);
  change = (now.mean - then.mean) / then.mean;
  if (!isfinite (change))
    return;
  if (change <= -0.05)
    g_string_append_printf (out, _(" Since step %" PRIu64 " the training loss fell by "
                              "%.0f %%."), then.step_last, -100 * change);
  else if (change >= 0.05)
    g_string_append_printf (out, _(" Since step %" PRIu64 " the training loss rose by "
                              "%.0f %%."), then.step_last, 100 * change);
  else
    g_string_append_printf (out, _(" Since step %" PRIu64 " the training loss stayed "
                              "within 5 %%."), then.step_last);
}

/* The latest training loss and accuracy, the latest test evaluation, and the trend. */
static void
lab_loss_plot_describe (LabPlot *plot,
                        GString *out)
{
  LabLossPlot *self = LAB_LOSS_PLOT (plot);
  LabHistory *h = lab_plot_model_get_history (lab_plot_get_model (plot));
  guint n = h != NULL ? lab_history_len (h) : 0;
  char loss[64];

  if (n > 0)
    {
      LabHistoryPoint l = lab_history_get (h, n - 1, LAB_HISTORY_LOSS, 0);
      LabHistoryPoint a = lab_history_get (h, n - 1, LAB_HISTORY_ACCURACY, 0);

      lab_number_format_spoken (l.mean, loss, sizeof loss);
      if (isfinite (a.mean))
        g_string_append_printf (out, _("At step %" PRIu64 " the training loss is %s "
                                  "and the training accuracy %.1f %%."), l.step_last, loss,
                                100 * a.mean);
      else
        g_string_append_printf (out, _("At step %" PRIu64 " the training loss is %s."),
                                l.step_last, loss);
    }
  if (self->test_loss->len > 0)
    {
      const LabPlotPoint *tl = &g_array_index (self->test_loss, LabPlotPoint,
                                               self->test_loss->len - 1);
      const LabPlotPoint *ta = &g_array_index (self->test_acc, LabPlotPoint,
                                               self->test_acc->len - 1);

      lab_number_format_spoken (tl->y, loss, sizeof loss);
      if (out->len > 0)
        g_string_append_c (out, ' ');
      if (isfinite (ta->y))
        g_string_append_printf (out, _("The latest test, at step %.0f, has loss %s and accuracy "
                                  "%.1f %%."), tl->x, loss, ta->y);
      else
        g_string_append_printf (out, _("The latest test, at step %.0f, has loss %s."), tl->x, loss);
    }
  if (n > 0)
    describe_trend (h, out);
}

/* --- GObject ------------------------------------------------------------------------------- */

static void
lab_loss_plot_finalize (GObject *object)
{
  LabLossPlot *self = LAB_LOSS_PLOT (object);

  g_clear_pointer (&self->train_loss, g_array_unref);
  g_clear_pointer (&self->train_acc, g_array_unref);
  g_clear_pointer (&self->test_loss, g_array_unref);
  g_clear_pointer (&self->test_acc, g_array_unref);

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
      g_value_set_boolean (value, lab_loss_plot_get_log_scale (self));
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
  LabPlotClass *plot_class = LAB_PLOT_CLASS (klass);

  object_class->finalize = lab_loss_plot_finalize;
  object_class->get_property = lab_loss_plot_get_property;
  object_class->set_property = lab_loss_plot_set_property;

  plot_class->natural_height = 300;
  plot_class->area_flags = LAB_PLOT_AREA_RIGHT_AXIS;   /* accuracy (%) */
  plot_class->damage_all = TRUE;   /* new data moves the x axis: everything changes */
  plot_class->update = lab_loss_plot_update;
  plot_class->get_title = lab_loss_plot_get_title;
  plot_class->get_empty_message = lab_loss_plot_get_empty_message;
  plot_class->draw_empty = lab_loss_plot_draw_empty;
  plot_class->draw = lab_loss_plot_draw;
  plot_class->describe = lab_loss_plot_describe;

  properties[PROP_LOG_SCALE] =
    g_param_spec_boolean ("log-scale", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
lab_loss_plot_init (LabLossPlot *self)
{
  g_autoptr (LabAxis) steps = lab_axis_new (LAB_AXIS_LINEAR);
  g_autoptr (LabAxis) losses = lab_axis_new (LAB_AXIS_NICE | LAB_AXIS_ZERO);

  self->train_loss = g_array_new (FALSE, FALSE, sizeof (LabPlotPoint));
  self->train_acc = g_array_new (FALSE, FALSE, sizeof (LabPlotPoint));
  self->test_loss = g_array_new (FALSE, FALSE, sizeof (LabPlotPoint));
  self->test_acc = g_array_new (FALSE, FALSE, sizeof (LabPlotPoint));
  lab_extent_init (&self->loss);
  lab_plot_set_x_axis (LAB_PLOT (self), steps);
  lab_plot_set_y_axis (LAB_PLOT (self), losses);

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

  if (!log_scale == !lab_loss_plot_get_log_scale (self))
    return;
  /* the axis' "changed" redraws every plot on it */
  lab_axis_set_log (lab_plot_get_y_axis (LAB_PLOT (self)), log_scale);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOG_SCALE]);
}

gboolean
lab_loss_plot_get_log_scale (LabLossPlot *self)
{
  g_return_val_if_fail (LAB_IS_LOSS_PLOT (self), FALSE);

  return is_log (self);
}

double
lab_loss_plot_get_last_loss_y (LabLossPlot *self)
{
  const LabPlotFrame *f;

  g_return_val_if_fail (LAB_IS_LOSS_PLOT (self), NAN);

  f = lab_plot_get_frame (LAB_PLOT (self));
  if (f == NULL || self->train_loss->len == 0)
    return NAN;
  return lab_plot_area_y (&f->area, &f->y,
                          g_array_index (self->train_loss, LabPlotPoint,
                                         self->train_loss->len - 1).y);
}
