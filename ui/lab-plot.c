/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-plot.c: LabPlot, the abstract base of every plot widget (see lab-plot.h). Seven plots each
 * carried the same model property, signal handler and hover controller; they live here once, and
 * a subclass gets told through model_changed and hover_changed.
 */
#define G_LOG_DOMAIN "lab-plot"

#include "config.h"

#include "lab-plot.h"

typedef struct
{
  /* owned */
  LabPlotModel *model;
  gulong        changed_id;

  /* the pointer, from the motion controller */
  gboolean      hover;
  double        hover_x;
  double        hover_y;
} LabPlotPrivate;

G_DEFINE_ABSTRACT_TYPE_WITH_PRIVATE (LabPlot, lab_plot, GTK_TYPE_WIDGET)

enum
{
  PROP_0,
  PROP_MODEL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
model_changed (LabPlot  *self,
               gboolean  replaced)
{
  LabPlotClass *klass = LAB_PLOT_GET_CLASS (self);

  if (klass->model_changed != NULL)
    klass->model_changed (self, replaced);
}

static void
on_model_changed (LabPlot      *self,
                  LabPlotModel *model)
{
  model_changed (self, FALSE);
}

static void
hover_changed (LabPlot *self)
{
  LabPlotClass *klass = LAB_PLOT_GET_CLASS (self);

  if (klass->hover_changed != NULL)
    klass->hover_changed (self);
}

/* "enter" and "motion" both mean the pointer is here now */
static void
on_motion (GtkEventControllerMotion *motion,
           double                    x,
           double                    y,
           LabPlot                  *self)
{
  LabPlotPrivate *priv = lab_plot_get_instance_private (self);

  priv->hover = TRUE;
  priv->hover_x = x;
  priv->hover_y = y;
  hover_changed (self);
}

static void
on_leave (GtkEventControllerMotion *motion,
          LabPlot                  *self)
{
  LabPlotPrivate *priv = lab_plot_get_instance_private (self);

  priv->hover = FALSE;
  hover_changed (self);
}

static void
lab_plot_real_hover_changed (LabPlot *self)
{
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* colours and fonts come from CSS: any style change is a redraw */
static void
lab_plot_css_changed (GtkWidget         *widget,
                      GtkCssStyleChange *change)
{
  GTK_WIDGET_CLASS (lab_plot_parent_class)->css_changed (widget, change);
  gtk_widget_queue_draw (widget);
}

static void
lab_plot_dispose (GObject *object)
{
  LabPlot *self = LAB_PLOT (object);
  LabPlotPrivate *priv = lab_plot_get_instance_private (self);

  /* Not through lab_plot_set_model(): the subclass has already disposed its part, so it is not
   * told; a widget going away needs no redraw. */
  if (priv->model != NULL)
    {
      g_clear_signal_handler (&priv->changed_id, priv->model);
      g_clear_object (&priv->model);
    }

  G_OBJECT_CLASS (lab_plot_parent_class)->dispose (object);
}

static void
lab_plot_get_property (GObject    *object,
                       guint       prop_id,
                       GValue     *value,
                       GParamSpec *pspec)
{
  LabPlot *self = LAB_PLOT (object);

  switch (prop_id)
    {
    case PROP_MODEL:
      g_value_set_object (value, lab_plot_get_model (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lab_plot_set_property (GObject      *object,
                       guint         prop_id,
                       const GValue *value,
                       GParamSpec   *pspec)
{
  LabPlot *self = LAB_PLOT (object);

  switch (prop_id)
    {
    case PROP_MODEL:
      lab_plot_set_model (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lab_plot_class_init (LabPlotClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = lab_plot_dispose;
  object_class->get_property = lab_plot_get_property;
  object_class->set_property = lab_plot_set_property;

  widget_class->css_changed = lab_plot_css_changed;
  /* subclasses inherit both: one "plot" node for style.css, an image to assistive tools */
  gtk_widget_class_set_css_name (widget_class, "plot");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);

  klass->hover_changed = lab_plot_real_hover_changed;

  properties[PROP_MODEL] =
    g_param_spec_object ("model", NULL, NULL, LAB_TYPE_PLOT_MODEL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
lab_plot_init (LabPlot *self)
{
  GtkEventController *motion = gtk_event_controller_motion_new ();

  g_signal_connect (motion, "enter", G_CALLBACK (on_motion), self);
  g_signal_connect (motion, "motion", G_CALLBACK (on_motion), self);
  g_signal_connect (motion, "leave", G_CALLBACK (on_leave), self);
  gtk_widget_add_controller (GTK_WIDGET (self), motion);
}

/**
 * lab_plot_set_model:
 * @self: a plot
 * @model: (nullable): the model to draw, referenced
 *
 * Replaces the model and tells the subclass (model_changed), also when @model is NULL.
 */
void
lab_plot_set_model (LabPlot      *self,
                    LabPlotModel *model)
{
  LabPlotPrivate *priv;

  g_return_if_fail (LAB_IS_PLOT (self));
  g_return_if_fail (model == NULL || LAB_IS_PLOT_MODEL (model));

  priv = lab_plot_get_instance_private (self);
  if (priv->model == model)
    return;
  if (priv->model != NULL)
    {
      g_clear_signal_handler (&priv->changed_id, priv->model);
      g_clear_object (&priv->model);
    }
  if (model != NULL)
    {
      priv->model = g_object_ref (model);
      priv->changed_id = g_signal_connect_swapped (model, "changed",
                                                   G_CALLBACK (on_model_changed), self);
    }
  model_changed (self, TRUE);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MODEL]);
}

LabPlotModel *
lab_plot_get_model (LabPlot *self)
{
  LabPlotPrivate *priv;

  g_return_val_if_fail (LAB_IS_PLOT (self), NULL);

  priv = lab_plot_get_instance_private (self);
  return priv->model;
}

void
lab_plot_empty_message (LabPlot    *self,
                        const char *what,
                        char       *buf,
                        gsize       len)
{
  LabPlotModel *model;
  LabSnapshot *latest;

  g_return_if_fail (LAB_IS_PLOT (self));

  model = lab_plot_get_model (self);
  latest = model != NULL ? lab_plot_model_get_latest (model) : NULL;
  if (latest == NULL)
    g_snprintf (buf, len, "No %s yet", what);
  else if (latest->status.state == LAB_SESSION_FAILED)
    g_snprintf (buf, len, "No %s: the run stopped (the message above says why)", what);
  else if (latest->status.state == LAB_SESSION_RUNNING)
    g_snprintf (buf, len, "No %s yet", what);
  else
    g_snprintf (buf, len, "No %s yet: press Play or Step", what);
}

gboolean
lab_plot_get_hover (LabPlot *self,
                    double  *x,
                    double  *y)
{
  LabPlotPrivate *priv;

  g_return_val_if_fail (LAB_IS_PLOT (self), FALSE);

  priv = lab_plot_get_instance_private (self);
  if (!priv->hover)
    return FALSE;
  if (x != NULL)
    *x = priv->hover_x;
  if (y != NULL)
    *y = priv->hover_y;
  return TRUE;
}
