/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-plot.c: LabPlot, the abstract base of every plot widget (see lab-plot.h). Seven plots
 * each carried the same model property, hover controller, size request, axis sharing and the
 * same frame around their drawing; they live here once, and a subclass says only what is its
 * own through class fields and vfuncs.
 */
#define G_LOG_DOMAIN "lab-plot"

#include "config.h"

#include <glib/gi18n.h>

#include <math.h>

#include "lab-layout-cache.h"
#include "lab-plot.h"
#include "lab-plot-paint.h"
#include "lab-plot-text.h"

enum
{
  X,
  Y,
  N_AXES
};

typedef struct
{
  /* owned */
  LabPlotModel   *model;
  gulong          changed_id;
  LabAxis        *axis[N_AXES];      /* NULL: no shared axis in that direction */
  gulong          axis_changed_id[N_AXES];
  LabExtent       extent[N_AXES];    /* what the last update gave the axes */
  LabLayoutCache *layouts;
  LabPlotFrame    frame;             /* the last frame; its canvas is owned */
  GArray         *labels;            /* graphene_rect_t: the text boxes of the last frame */

  /* state */
  gboolean        dirty;             /* invalidated since the last update */
  gboolean        updating;          /* inside update: the plot's own axes moving need no redraw */
  gboolean        drawn;             /* the last frame drew data, not the empty message */
  gboolean        recording;         /* inside a frame, before the tooltip: labels are noted */
  guint           damage_serial;     /* alternates the colour of the damage node */

  /* the pointer, from the motion controller */
  gboolean        hover;
  double          hover_x;
  double          hover_y;

  /* accessibility: what was last said, and the calm-rate timer */
  char           *a11y_label;
  char           *a11y_description;
  guint           a11y_timeout;
  gint64          a11y_last;         /* monotonic µs of the last refresh */
} LabPlotPrivate;

G_DEFINE_ABSTRACT_TYPE_WITH_PRIVATE (LabPlot, lab_plot, GTK_TYPE_WIDGET)

enum
{
  PROP_0,
  PROP_MODEL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* --- model and pointer ----------------------------------------------------------------------- */

static void
on_model_changed (LabPlot      *self,
                  LabPlotModel *model)
{
  LAB_PLOT_GET_CLASS (self)->model_changed (self, FALSE);
}

static void
lab_plot_real_model_changed (LabPlot  *self,
                             gboolean  replaced)
{
  lab_plot_invalidate (self);
}

/* --- accessibility --------------------------------------------------------------------------- */

static gboolean
a11y_timeout (gpointer data)
{
  LabPlot *self = data;
  LabPlotPrivate *priv = lab_plot_get_instance_private (self);

  priv->a11y_timeout = 0;
  lab_plot_refresh_accessible (self);
  return G_SOURCE_REMOVE;
}

/* The data changed: say so within LAB_PLOT_A11Y_PERIOD of the last time, or soon if it was
 * long ago (the first data of a run is said at once). */
static void
a11y_schedule (LabPlot *self)
{
  LabPlotPrivate *priv = lab_plot_get_instance_private (self);
  gint64 since = (g_get_monotonic_time () - priv->a11y_last) / 1000;
  guint delay;

  if (priv->a11y_timeout != 0)
    return;
  delay = since >= LAB_PLOT_A11Y_PERIOD ? 50 : (guint) (LAB_PLOT_A11Y_PERIOD - since);
  priv->a11y_timeout = g_timeout_add (delay, a11y_timeout, self);
}

static gboolean
set_if_changed (char       **stored,
                const char  *text)
{
  if (g_strcmp0 (*stored, text) == 0)
    return FALSE;
  g_free (*stored);
  *stored = g_strdup (text);
  return TRUE;
}

const char *
lab_plot_refresh_accessible (LabPlot *self)
{
  LabPlotPrivate *priv;
  LabPlotClass *klass;
  const char *title = NULL, *subtitle = NULL;
  g_autoptr(GString) description = g_string_new (NULL);
  char empty[256];

  g_return_val_if_fail (LAB_IS_PLOT (self), NULL);

  priv = lab_plot_get_instance_private (self);
  klass = LAB_PLOT_GET_CLASS (self);
  g_clear_handle_id (&priv->a11y_timeout, g_source_remove);
  priv->a11y_last = g_get_monotonic_time ();

  lab_plot_update (self);
  if (klass->get_title)
    klass->get_title (self, &title, &subtitle);
  if (klass->get_empty_message && klass->get_empty_message (self, empty, sizeof empty))
    g_string_append (description, empty);
  else if (klass->describe)
    klass->describe (self, description);
  else if (subtitle)
    g_string_append (description, subtitle);

  if (set_if_changed (&priv->a11y_label, title ? title : ""))
    gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                    priv->a11y_label, -1);
  if (set_if_changed (&priv->a11y_description, description->str))
    gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                    priv->a11y_description, -1);
  return priv->a11y_description;
}

static void
hover_changed (LabPlot *self)
{
  /* only a plot with a tooltip shows anything of the pointer */
  if (LAB_PLOT_GET_CLASS (self)->get_hover_text != NULL)
    gtk_widget_queue_draw (GTK_WIDGET (self));
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

/* --- axes ------------------------------------------------------------------------------------ */

static void
on_axis_changed (LabPlot *self,
                 LabAxis *axis)
{
  LabPlotPrivate *priv = lab_plot_get_instance_private (self);

  /* the plot's own update moved it: this frame is being drawn with it already */
  if (!priv->updating)
    gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
set_axis (LabPlot *self,
          guint    dim,
          LabAxis *axis)
{
  LabPlotPrivate *priv = lab_plot_get_instance_private (self);

  if (priv->axis[dim] == axis)
    return;
  if (priv->axis[dim] != NULL)
    {
      g_clear_signal_handler (&priv->axis_changed_id[dim], priv->axis[dim]);
      lab_axis_set_extent (priv->axis[dim], self, NULL);
      g_clear_object (&priv->axis[dim]);
    }
  if (axis != NULL)
    {
      priv->axis[dim] = g_object_ref (axis);
      priv->axis_changed_id[dim] = g_signal_connect_swapped (axis, "changed",
                                                             G_CALLBACK (on_axis_changed), self);
      priv->updating = TRUE;   /* its new scale is drawn by the queued frame below */
      lab_axis_set_extent (axis, self, &priv->extent[dim]);
      priv->updating = FALSE;
    }
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* --- the frame ------------------------------------------------------------------------------- */

/* An invisible node over the whole plot that differs from the last frame's (see damage_all in
 * lab-plot.h): fully transparent, so it draws nothing; its colour alternates. */
static void
damage_all (LabPlot     *self,
            GtkSnapshot *snapshot)
{
  LabPlotPrivate *priv = lab_plot_get_instance_private (self);
  GdkRGBA invisible;

  priv->damage_serial++;
  invisible = (GdkRGBA) { (float) (priv->damage_serial % 2), 0.f, 0.f, 0.f };
  gtk_snapshot_append_color (snapshot, &invisible,
                             &GRAPHENE_RECT_INIT (0, 0, (float) priv->frame.area.width,
                                                  (float) priv->frame.area.height));
}

static void
draw_title (LabPlot      *self,
            GtkSnapshot  *snapshot,
            LabPlotFrame *f)
{
  LabPlotClass *klass = LAB_PLOT_GET_CLASS (self);
  const char *title = NULL, *subtitle = NULL;

  if (klass->get_title == NULL)
    return;
  klass->get_title (self, &title, &subtitle);
  lab_plot_draw_title (snapshot, GTK_WIDGET (self), &f->style, &f->area, title, subtitle);
}

/* TRUE when the plot drew its empty state: its message over what draw_empty shows. */
static gboolean
draw_if_empty (LabPlot      *self,
               GtkSnapshot  *snapshot,
               LabPlotFrame *f)
{
  LabPlotClass *klass = LAB_PLOT_GET_CLASS (self);
  char message[160];

  if (klass->get_empty_message == NULL ||
      !klass->get_empty_message (self, message, sizeof message))
    return FALSE;
  if (klass->draw_empty != NULL)
    klass->draw_empty (self, snapshot, f);
  lab_plot_draw_message (snapshot, GTK_WIDGET (self), &f->style, &f->area, message);
  return TRUE;
}

static void
draw_hover (LabPlot      *self,
            GtkSnapshot  *snapshot,
            LabPlotFrame *f)
{
  LabPlotPrivate *priv = lab_plot_get_instance_private (self);
  LabPlotClass *klass = LAB_PLOT_GET_CLASS (self);
  LabPlotTooltip tip = { priv->hover_x, priv->hover_y, FALSE, FALSE, { 0, 0, 0, 0 } };
  g_autofree char *text = NULL;

  if (!priv->hover || klass->get_hover_text == NULL)
    return;
  text = klass->get_hover_text (self, f, &tip);
  if (text != NULL)
    lab_plot_draw_tooltip (snapshot, GTK_WIDGET (self), &f->style, &f->area, &tip, text);
}

static void
lab_plot_snapshot (GtkWidget   *widget,
                   GtkSnapshot *snapshot)
{
  LabPlot *self = LAB_PLOT (widget);
  LabPlotPrivate *priv = lab_plot_get_instance_private (self);
  LabPlotClass *klass = LAB_PLOT_GET_CLASS (self);
  LabPlotFrame *f = &priv->frame;
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);

  priv->drawn = FALSE;
  g_array_set_size (priv->labels, 0);
  if (width <= 0 || height <= 0)
    return;
  lab_plot_update (self);
  priv->recording = TRUE;

  lab_plot_style_init (widget, &f->style);
  lab_plot_area_init (&f->area, widget, &f->style, width, height, klass->area_flags);
  lab_scale_init (&f->x, 0, 1, FALSE);
  lab_scale_init (&f->y, 0, 1, FALSE);
  if (klass->damage_all)
    damage_all (self, snapshot);
  lab_plot_draw_background (snapshot, &f->style, &f->area);
  draw_title (self, snapshot, f);
  if (draw_if_empty (self, snapshot, f))
    {
      priv->recording = FALSE;
      return;
    }

  klass->draw (self, snapshot, f);
  priv->drawn = TRUE;
  priv->recording = FALSE;
  draw_hover (self, snapshot, f);
}

static void
lab_plot_measure (GtkWidget      *widget,
                  GtkOrientation  orientation,
                  int             for_size,
                  int            *minimum,
                  int            *natural,
                  int            *minimum_baseline,
                  int            *natural_baseline)
{
  LabPlotClass *klass = LAB_PLOT_GET_CLASS (widget);
  gboolean h = orientation == GTK_ORIENTATION_HORIZONTAL;

  *minimum = h ? klass->min_width : klass->min_height;
  *natural = h ? klass->natural_width : klass->natural_height;
}

/* colours and fonts come from CSS: any style change is a redraw */
static void
lab_plot_css_changed (GtkWidget         *widget,
                      GtkCssStyleChange *change)
{
  GTK_WIDGET_CLASS (lab_plot_parent_class)->css_changed (widget, change);
  gtk_widget_queue_draw (widget);
}

/* --- GObject --------------------------------------------------------------------------------- */

static void
lab_plot_dispose (GObject *object)
{
  LabPlot *self = LAB_PLOT (object);
  LabPlotPrivate *priv = lab_plot_get_instance_private (self);

  /* Not through lab_plot_set_model(): the subclass has already disposed its part, so it is not
   * told; a widget going away needs no redraw. Its data leaves the axes, so a plot sharing them
   * redraws without it. */
  if (priv->model != NULL)
    {
      g_clear_signal_handler (&priv->changed_id, priv->model);
      g_clear_object (&priv->model);
    }
  for (guint dim = 0; dim < N_AXES; dim++)
    if (priv->axis[dim] != NULL)
      {
        g_clear_signal_handler (&priv->axis_changed_id[dim], priv->axis[dim]);
        lab_axis_set_extent (priv->axis[dim], self, NULL);
        g_clear_object (&priv->axis[dim]);
      }
  g_clear_handle_id (&priv->a11y_timeout, g_source_remove);

  G_OBJECT_CLASS (lab_plot_parent_class)->dispose (object);
}

static void
lab_plot_finalize (GObject *object)
{
  LabPlotPrivate *priv = lab_plot_get_instance_private (LAB_PLOT (object));

  g_clear_pointer (&priv->layouts, lab_layout_cache_free);
  g_clear_pointer (&priv->frame.canvas, lab_plot_canvas_free);
  g_clear_pointer (&priv->labels, g_array_unref);
  g_free (priv->a11y_label);
  g_free (priv->a11y_description);

  G_OBJECT_CLASS (lab_plot_parent_class)->finalize (object);
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
  object_class->finalize = lab_plot_finalize;
  object_class->get_property = lab_plot_get_property;
  object_class->set_property = lab_plot_set_property;

  widget_class->snapshot = lab_plot_snapshot;
  widget_class->measure = lab_plot_measure;
  widget_class->css_changed = lab_plot_css_changed;
  /* subclasses inherit both: one "plot" node for style.css, an image to assistive tools */
  gtk_widget_class_set_css_name (widget_class, "plot");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);

  klass->min_width = 240;
  klass->natural_width = 520;
  klass->min_height = 160;
  klass->natural_height = 320;
  klass->model_changed = lab_plot_real_model_changed;

  properties[PROP_MODEL] =
    g_param_spec_object ("model", NULL, NULL, LAB_TYPE_PLOT_MODEL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
lab_plot_init (LabPlot *self)
{
  LabPlotPrivate *priv = lab_plot_get_instance_private (self);
  GtkEventController *motion = gtk_event_controller_motion_new ();

  priv->layouts = lab_layout_cache_new ();
  priv->frame.canvas = lab_plot_canvas_new ();
  priv->labels = g_array_new (FALSE, FALSE, sizeof (graphene_rect_t));
  priv->dirty = TRUE;
  for (guint dim = 0; dim < N_AXES; dim++)
    lab_extent_init (&priv->extent[dim]);

  g_signal_connect (motion, "enter", G_CALLBACK (on_motion), self);
  g_signal_connect (motion, "motion", G_CALLBACK (on_motion), self);
  g_signal_connect (motion, "leave", G_CALLBACK (on_leave), self);
  gtk_widget_add_controller (GTK_WIDGET (self), motion);
}

/* --- API ------------------------------------------------------------------------------------- */

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
  LAB_PLOT_GET_CLASS (self)->model_changed (self, TRUE);
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

LabLayerSelection *
lab_plot_get_layer_selection (LabPlot *self)
{
  LabPlotModel *model = lab_plot_get_model (self);

  return model != NULL ? lab_plot_model_get_layer_selection (model) : NULL;
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

  /* Translators: %s is what the plot shows (“gradients”, “losses”, “weights”), translated in the
   * context “no data yet”: choose words that fit the sentence */
  model = lab_plot_get_model (self);
  latest = model != NULL ? lab_plot_model_get_latest (model) : NULL;
  if (latest == NULL)
    g_snprintf (buf, len, _("No %s yet"), what);
  else if (latest->status.state == LAB_SESSION_FAILED)
    g_snprintf (buf, len, _("No %s: the run stopped (the message above says why)"), what);
  else if (latest->status.state == LAB_SESSION_RUNNING)
    g_snprintf (buf, len, _("No %s yet"), what);
  else
    g_snprintf (buf, len, _("No %s yet: press Play or Step"), what);
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

/* Whether another plot draws on one of this plot's axes. */
static gboolean
shares_an_axis (LabPlot *self)
{
  LabPlotPrivate *priv = lab_plot_get_instance_private (self);

  for (guint dim = 0; dim < N_AXES; dim++)
    if (priv->axis[dim] != NULL && lab_axis_get_n_contributors (priv->axis[dim]) > 1)
      return TRUE;
  return FALSE;
}

void
lab_plot_invalidate (LabPlot *self)
{
  LabPlotPrivate *priv;

  g_return_if_fail (LAB_IS_PLOT (self));

  priv = lab_plot_get_instance_private (self);
  priv->dirty = TRUE;
  gtk_widget_queue_draw (GTK_WIDGET (self));
  a11y_schedule (self);
  /* A plot that shares an axis gives it its new data now rather than when it is drawn: every
   * plot on the axis then draws the coming frame on the same scale, and none needs a second
   * frame because a partner drawn after it moved the scale. */
  if (shares_an_axis (self))
    lab_plot_update (self);
}

void
lab_plot_update (LabPlot *self)
{
  LabPlotPrivate *priv;
  LabPlotClass *klass;

  g_return_if_fail (LAB_IS_PLOT (self));

  priv = lab_plot_get_instance_private (self);
  klass = LAB_PLOT_GET_CLASS (self);
  if (!priv->dirty)
    return;
  priv->dirty = FALSE;
  priv->drawn = FALSE;   /* the last frame shows the old data */
  if (klass->update == NULL)
    return;

  for (guint dim = 0; dim < N_AXES; dim++)
    lab_extent_init (&priv->extent[dim]);
  klass->update (self, &priv->extent[X], &priv->extent[Y]);
  priv->updating = TRUE;
  for (guint dim = 0; dim < N_AXES; dim++)
    if (priv->axis[dim] != NULL)
      lab_axis_set_extent (priv->axis[dim], self, &priv->extent[dim]);
  priv->updating = FALSE;
}

const LabPlotFrame *
lab_plot_get_frame (LabPlot *self)
{
  LabPlotPrivate *priv;

  g_return_val_if_fail (LAB_IS_PLOT (self), NULL);

  priv = lab_plot_get_instance_private (self);
  return priv->drawn && !priv->dirty ? &priv->frame : NULL;
}

LabAxis *
lab_plot_get_x_axis (LabPlot *self)
{
  LabPlotPrivate *priv;

  g_return_val_if_fail (LAB_IS_PLOT (self), NULL);

  priv = lab_plot_get_instance_private (self);
  return priv->axis[X];
}

void
lab_plot_set_x_axis (LabPlot *self,
                     LabAxis *axis)
{
  g_return_if_fail (LAB_IS_PLOT (self));
  g_return_if_fail (LAB_IS_AXIS (axis));

  set_axis (self, X, axis);
}

LabAxis *
lab_plot_get_y_axis (LabPlot *self)
{
  LabPlotPrivate *priv;

  g_return_val_if_fail (LAB_IS_PLOT (self), NULL);

  priv = lab_plot_get_instance_private (self);
  return priv->axis[Y];
}

void
lab_plot_set_y_axis (LabPlot *self,
                     LabAxis *axis)
{
  g_return_if_fail (LAB_IS_PLOT (self));
  g_return_if_fail (LAB_IS_AXIS (axis));

  set_axis (self, Y, axis);
}

void
lab_plot_share_axes (LabPlot *self,
                     LabPlot *other)
{
  LabPlotPrivate *theirs;

  g_return_if_fail (LAB_IS_PLOT (self));
  g_return_if_fail (LAB_IS_PLOT (other));

  theirs = lab_plot_get_instance_private (other);
  for (guint dim = 0; dim < N_AXES; dim++)
    if (theirs->axis[dim] != NULL)
      set_axis (self, dim, theirs->axis[dim]);
}

const graphene_rect_t *
lab_plot_get_label_rects (LabPlot *self,
                          guint   *n_rects)
{
  LabPlotPrivate *priv;

  g_return_val_if_fail (LAB_IS_PLOT (self), NULL);

  priv = lab_plot_get_instance_private (self);
  if (n_rects != NULL)
    *n_rects = priv->labels->len;
  return (const graphene_rect_t *) (const void *) priv->labels->data;
}

void
lab_plot_add_label (LabPlot     *self,
                    PangoLayout *layout,
                    double       x,
                    double       y)
{
  LabPlotPrivate *priv = lab_plot_get_instance_private (self);
  PangoRectangle ink;

  if (!priv->recording)
    return;
  /* where lab_plot_append_layout() puts it: on whole pixels */
  pango_layout_get_pixel_extents (layout, &ink, NULL);
  lab_plot_add_label_rect (self, &GRAPHENE_RECT_INIT ((float) (round (x) + ink.x),
                                                      (float) (round (y) + ink.y),
                                                      ink.width, ink.height));
}

void
lab_plot_add_label_rect (LabPlot               *self,
                         const graphene_rect_t *rect)
{
  LabPlotPrivate *priv = lab_plot_get_instance_private (self);

  if (priv->recording)
    g_array_append_val (priv->labels, *rect);
}

PangoLayout *
lab_plot_get_layout (LabPlot            *self,
                     const LabPlotStyle *s,
                     const char         *text,
                     double              rel,
                     gboolean            bold)
{
  LabPlotPrivate *priv = lab_plot_get_instance_private (self);

  return lab_layout_cache_get (priv->layouts, GTK_WIDGET (self), s, text, rel, bold);
}

const char *
lab_plot_fit_text (LabPlot            *self,
                   const LabPlotStyle *s,
                   const char         *text,
                   double              rel,
                   gboolean            bold,
                   double              max_w)
{
  LabPlotPrivate *priv = lab_plot_get_instance_private (self);

  return lab_layout_cache_fit (priv->layouts, GTK_WIDGET (self), s, text, rel, bold, max_w);
}
