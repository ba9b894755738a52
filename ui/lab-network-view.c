/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-network-view.c: the Network page's view (see lab-network-view.h). update gives the y axis
 * (the colour scale) the extent of |δ| or |∂L/∂w|; draw builds the model (lab-net-graph.h) when
 * the heavy snapshot, the size, a setting, the scale or the fade changed, and rasterises its
 * picture once into an image node (lab-net-paint.h) that later frames only composite; labels
 * and legend are lab-net-overlay.c's; overlays (fading connections, the pulse, the hover, the
 * enlarged thumbnail) are drawn every frame on top. Exports draw the picture as vectors.
 *
 * Animations run on a tick callback that stops when nothing moves: a fade after a pruning
 * (LAB_NETWORK_FADE_MS) and, when asked, the backward pulse, restarted by each new snapshot
 * while training delivers them.
 */
#define G_LOG_DOMAIN "lab-network-view"

#include "config.h"

#include <glib/gi18n.h>

#include <math.h>

#include "lab-colormap.h"
#include "lab-net-hover.h"
#include "lab-net-labels.h"
#include "lab-net-overlay.h"
#include "lab-net-paint.h"
#include "lab-network-view.h"
#include "lab-number-format.h"
#include "lab-palette.h"
#include "lab-plot-paint.h"
#include "lab-plot-text.h"

G_DEFINE_ENUM_TYPE (LabNetColor, lab_net_color,
  G_DEFINE_ENUM_VALUE (LAB_NET_COLOR_WEIGHT, "weight"),
  G_DEFINE_ENUM_VALUE (LAB_NET_COLOR_DELTA, "delta"),
  G_DEFINE_ENUM_VALUE (LAB_NET_COLOR_GRAD, "grad"))

G_DEFINE_ENUM_TYPE (LabNetRank, lab_net_rank,
  G_DEFINE_ENUM_VALUE (LAB_NET_RANK_DELTA, "delta"),
  G_DEFINE_ENUM_VALUE (LAB_NET_RANK_WEIGHT, "weight"),
  G_DEFINE_ENUM_VALUE (LAB_NET_RANK_ACTIVATION, "activation"))

struct _LabNetworkView
{
  LabPlot        parent_instance;

  /* the model and what it was built from */
  LabNetGraph   *graph;
  LabSnapshot   *built_from;     /* heavy snapshot (ref) */
  LabSnapshot   *built_before;   /* the fade's "before" it was built with (ref) or NULL */
  LabNetOptions  built_opts;
  guint          built_serial;
  GskRenderNode *picture;        /* the graph rasterised, or NULL (vector drawing) */
  GskRenderNode *fade_picture;   /* its fading connections at full opacity, or NULL */
  int            picture_scale;
  gint64         next_build;     /* throttle: no rebuild for new data alone before this time */
  guint          throttle_id;    /* the redraw when the throttle ends */

  /* gathered by update */
  LabExtent      extent;         /* of |δ| or |∂L/∂w|, for the y axis */

  /* animation */
  LabSnapshot   *last_heavy;     /* the heavy snapshot seen last (ref), to notice prunings */
  LabSnapshot   *fade_from;      /* the heavy snapshot before a pruning that is fading (ref) */
  gint64         fade_start;
  gint64         pulse_start;    /* 0: no pulse */
  guint          tick_id;

  /* the enlarged thumbnail, by column and unit (indices change with every build) */
  int            enlarged_column;
  gsize          enlarged_unit;

  guint          serial;         /* bumped by settings and CSS changes */

  /* properties */
  LabNetColor    color;
  LabNetRank     rank;
  gboolean       show_pruned;
  gboolean       thumbnails;
  gboolean       animate;
};

G_DEFINE_FINAL_TYPE (LabNetworkView, lab_network_view, LAB_TYPE_PLOT)

enum
{
  PROP_0,
  PROP_COLOR,
  PROP_RANK,
  PROP_SHOW_PRUNED,
  PROP_THUMBNAILS,
  PROP_ANIMATE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static LabSnapshot *
current_heavy (LabNetworkView *self)
{
  LabPlotModel *model = lab_plot_get_model (LAB_PLOT (self));
  LabSnapshot *snap = model != NULL ? lab_plot_model_get_heavy (model) : NULL;

  return snap != NULL && snap->heavy != NULL && snap->heavy->n_layers > 0 ? snap : NULL;
}

/* --- animation -------------------------------------------------------------------------------- */

static double
fade_progress (LabNetworkView *self,
               gint64          now)
{
  if (self->fade_from == NULL)
    return 1;
  return CLAMP ((double) (now - self->fade_start) / (LAB_NETWORK_FADE_MS * 1000.0), 0, 1);
}

/* Ends animations that are over; TRUE while one runs. */
static gboolean
settle (LabNetworkView *self,
        gint64          now)
{
  if (self->fade_from != NULL && fade_progress (self, now) >= 1)
    g_clear_pointer (&self->fade_from, lab_snapshot_unref);   /* the graph rebuilds without */
  if (self->pulse_start != 0 && now - self->pulse_start >= LAB_NETWORK_PULSE_MS * 1000)
    self->pulse_start = 0;
  return self->fade_from != NULL || self->pulse_start != 0;
}

static gboolean
on_tick (GtkWidget     *widget,
         GdkFrameClock *clock,
         gpointer       user_data)
{
  LabNetworkView *self = LAB_NETWORK_VIEW (widget);

  gtk_widget_queue_draw (widget);
  if (settle (self, g_get_monotonic_time ()))
    return G_SOURCE_CONTINUE;
  self->tick_id = 0;
  return G_SOURCE_REMOVE;
}

static void
ensure_ticking (LabNetworkView *self)
{
  if (self->tick_id == 0)
    self->tick_id = gtk_widget_add_tick_callback (GTK_WIDGET (self), on_tick, NULL, NULL);
}

/* A new heavy snapshot: a fade if it pruned, a pulse if asked. */
static void
heavy_arrived (LabNetworkView *self,
               LabSnapshot    *snap)
{
  gint64 now = g_get_monotonic_time ();

  if (snap == self->last_heavy)
    return;
  if (self->last_heavy != NULL && snap != NULL && self->last_heavy->run_id == snap->run_id &&
      lab_net_graph_pruned_between (self->last_heavy->heavy, snap->heavy))
    {
      g_clear_pointer (&self->fade_from, lab_snapshot_unref);
      self->fade_from = lab_snapshot_ref (self->last_heavy);
      self->fade_start = now;
      ensure_ticking (self);
    }
  g_clear_pointer (&self->last_heavy, lab_snapshot_unref);
  self->last_heavy = snap != NULL ? lab_snapshot_ref (snap) : NULL;
  if (snap != NULL && self->animate && self->pulse_start == 0)
    {
      self->pulse_start = now;
      ensure_ticking (self);
    }
}

/* --- the model -------------------------------------------------------------------------------- */

static void
clear_graph (LabNetworkView *self)
{
  g_clear_pointer (&self->graph, lab_net_graph_free);
  g_clear_pointer (&self->built_from, lab_snapshot_unref);
  g_clear_pointer (&self->built_before, lab_snapshot_unref);
  g_clear_pointer (&self->picture, gsk_render_node_unref);
  g_clear_pointer (&self->fade_picture, gsk_render_node_unref);
}

/* Where the net goes in a frame of @width × @height, and at what sizes. */
static void
frame_options (LabNetworkView     *self,
               const LabPlotStyle *s,
               double              title_y,
               double              width,
               double              height,
               LabNetOptions      *o)
{
  double line_h;

  lab_plot_text_size (GTK_WIDGET (self), s, "Ag", 1.0, FALSE, NULL, &line_h);
  *o = (LabNetOptions) {
    .color = self->color,
    .rank = self->rank,
    .show_pruned = self->show_pruned,
    .thumbnails = self->thumbnails,
    .x = line_h * 0.6,
    .y = title_y + line_h * 1.5,
    .width = width - line_h * 1.2,
    .height = height - title_y - line_h * 1.5 - lab_net_overlay_legend_height (line_h),
    .line_h = line_h,
    .unit_scale = s->presenter ? 1.5 : 1.0,
    .scale_lo = NAN,
    .scale_hi = NAN,
  };
}

/* The shared colour scale, as log10, from the y axis. */
static void
axis_scale (LabNetworkView *self,
            LabNetOptions  *o)
{
  LabScale scale;

  if (self->color == LAB_NET_COLOR_WEIGHT || lab_extent_is_empty (&self->extent, TRUE))
    return;
  if (lab_axis_get_scale (lab_plot_get_y_axis (LAB_PLOT (self)), &scale))
    {
      o->scale_lo = log10 (scale.lo);
      o->scale_hi = log10 (scale.hi);
    }
}

static void
throttle_done (gpointer data)
{
  LabNetworkView *self = data;

  self->throttle_id = 0;
  lab_plot_invalidate (LAB_PLOT (self));
}

/* TRUE while new data alone waits (see ensure_graph), with the redraw at its end scheduled. */
static gboolean
throttled (LabNetworkView *self,
           gint64          now)
{
  if (self->graph == NULL || now >= self->next_build || self->fade_from != self->built_before)
    return FALSE;
  if (self->throttle_id == 0)
    self->throttle_id = g_timeout_add_once ((self->next_build - now) / 1000 + 1, throttle_done,
                                            self);
  return TRUE;
}

/* Builds the graph for @o if the heavy snapshot, the fade or the options changed. Only new data
 * of a big net waits while @throttle (see draw): the previous picture stays up meanwhile. */
static void
ensure_graph (LabNetworkView      *self,
              const LabNetOptions *o,
              gboolean             throttle)
{
  LabSnapshot *snap = current_heavy (self);
  gint64 now = g_get_monotonic_time ();

  settle (self, now);
  if (self->graph != NULL && self->fade_from == self->built_before &&
      self->serial == self->built_serial && lab_net_options_equal (o, &self->built_opts))
    {
      if (snap == self->built_from || (throttle && snap != NULL && throttled (self, now)))
        return;
    }
  clear_graph (self);
  if (snap == NULL)
    return;
  self->graph = lab_net_graph_new (snap->heavy, &snap->config,
                                   self->fade_from ? self->fade_from->heavy : NULL, o);
  self->built_from = lab_snapshot_ref (snap);
  self->built_before = self->fade_from ? lab_snapshot_ref (self->fade_from) : NULL;
  self->built_opts = *o;
  self->built_serial = self->serial;
}

/* The pictures of the graph (and of its fading connections) at device resolution. */
static void
ensure_pictures (LabNetworkView     *self,
                 const LabPlotStyle *s,
                 double              width,
                 double              height)
{
  int scale = gtk_widget_get_scale_factor (GTK_WIDGET (self));
  GdkRGBA pruned;

  if (self->picture != NULL && self->picture_scale == scale)
    return;
  g_clear_pointer (&self->picture, gsk_render_node_unref);
  g_clear_pointer (&self->fade_picture, gsk_render_node_unref);
  lab_palette_pruned_color (GTK_WIDGET (self), &pruned);
  self->picture = lab_net_paint_picture (self->graph, self->built_from->heavy, s, &pruned, width,
                                         height, scale, FALSE);
  if (self->graph->n_fading > 0)
    self->fade_picture = lab_net_paint_picture (self->graph, self->built_from->heavy, s, &pruned,
                                                width, height, scale, TRUE);
  self->picture_scale = scale;
}

/* --- LabPlot vfuncs --------------------------------------------------------------------------- */

static void
lab_network_view_update (LabPlot   *plot,
                         LabExtent *x,
                         LabExtent *y)
{
  LabNetworkView *self = LAB_NETWORK_VIEW (plot);
  LabSnapshot *snap = current_heavy (self);
  double lo, hi;

  lab_extent_init (&self->extent);
  if (snap != NULL && self->color != LAB_NET_COLOR_WEIGHT &&
      lab_net_graph_value_range (snap->heavy, self->color, &lo, &hi))
    {
      lab_extent_add (&self->extent, pow (10, lo));
      lab_extent_add (&self->extent, pow (10, hi));
    }
  *y = self->extent;
}

static void
lab_network_view_get_title (LabPlot     *plot,
                            const char **title,
                            const char **subtitle)
{
  static const char *const subtitles[] = {
    N_("neurons and connections, input → output; colour: sign of w"),
    N_("neurons coloured by the back-propagated |δ| (log scale)"),
    N_("connections coloured by |∂L/∂w| (log scale)"),
  };

  *title = _("Network");
  *subtitle = _(subtitles[LAB_NETWORK_VIEW (plot)->color]);
}

static gboolean
lab_network_view_get_empty_message (LabPlot *plot,
                                    char    *buf,
                                    gsize    len)
{
  LabSnapshot *snap = current_heavy (LAB_NETWORK_VIEW (plot));
  const LabHeavy *hv;

  if (snap == NULL)
    {
      lab_plot_empty_message (plot, C_("no data yet", "network"), buf, len);
      return TRUE;
    }
  hv = snap->heavy;
  for (guint l = 1; l < hv->n_layers; l++)
    if (hv->layers[l].cols != hv->layers[l - 1].rows)
      {
        g_strlcpy (buf, _("This network's layers do not form a chain, which this view draws"), len);
        return TRUE;
      }
  return FALSE;
}

static void
lab_network_view_draw (LabPlot      *plot,
                       GtkSnapshot  *snapshot,
                       LabPlotFrame *f)
{
  LabNetworkView *self = LAB_NETWORK_VIEW (plot);
  gint64 now = g_get_monotonic_time ();
  LabNetOptions o;
  GdkRGBA pruned;
  double hx, hy;

  frame_options (self, &f->style, f->area.title_y, f->area.width, f->area.height, &o);
  axis_scale (self, &o);
  ensure_graph (self, &o, !f->style.vector);
  if (self->graph == NULL || self->graph->n_columns == 0)
    return;
  lab_palette_pruned_color (GTK_WIDGET (self), &pruned);

  if (f->style.vector)
    {
      cairo_t *cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (
                                                 0, 0, (float) f->area.width,
                                                 (float) f->area.height));
      lab_net_paint_graph (cr, self->graph, self->built_from->heavy, &f->style, &pruned);
      cairo_destroy (cr);
    }
  else
    {
      gboolean rebuilt = self->picture == NULL;

      ensure_pictures (self, &f->style, f->area.width, f->area.height);
      if (rebuilt)
        {
          /* a big net costs milliseconds to rebuild: while only its data changes, rebuild no
           * more often than keeps the main thread ~80 % free (as the weight heatmaps do) */
          gint64 cost = g_get_monotonic_time () - now;
          self->next_build = cost > 3000 ? now + 4 * cost : 0;
        }
      gtk_snapshot_append_node (snapshot, self->picture);
    }
  if (self->fade_picture != NULL && self->fade_from != NULL)
    {
      gtk_snapshot_push_opacity (snapshot, 1 - fade_progress (self, now));
      gtk_snapshot_append_node (snapshot, self->fade_picture);
      gtk_snapshot_pop (snapshot);
    }
  else if (f->style.vector && self->fade_from != NULL && self->graph->n_fading > 0)
    {
      cairo_t *cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (
                                                 0, 0, (float) f->area.width,
                                                 (float) f->area.height));
      lab_net_paint_fading (cr, self->graph, 1 - fade_progress (self, now));
      cairo_destroy (cr);
    }

  lab_net_labels_draw (plot, snapshot, &f->style, self->graph, self->built_from->heavy);
  if (self->pulse_start != 0)
    lab_net_overlay_draw_pulse (plot, snapshot, &f->style, self->graph,
                               lab_plot_model_get_last_row (lab_plot_get_model (plot)),
                               (double) (now - self->pulse_start) /
                               (LAB_NETWORK_PULSE_MS * 1000.0));
  if (lab_plot_get_hover (plot, &hx, &hy))
    lab_net_overlay_draw_hover (plot, snapshot, &f->style, self->graph, hx, hy);
  lab_net_overlay_draw_legend (plot, snapshot, &f->style, self->graph, self->built_from->heavy,
                               f->area.height);
  if (lab_network_view_get_enlarged (self) >= 0)
    lab_net_overlay_draw_enlarged (plot, snapshot, &f->style, self->graph,
                                  lab_network_view_get_enlarged (self),
                                  self->built_from->heavy, &pruned);
}

static char *
lab_network_view_get_hover_text (LabPlot            *plot,
                                 const LabPlotFrame *f,
                                 LabPlotTooltip     *tip)
{
  LabNetworkView *self = LAB_NETWORK_VIEW (plot);

  if (self->graph == NULL || self->built_from == NULL)
    return NULL;
  return lab_net_hover_text (self->graph, self->built_from->heavy, tip);
}

static void
lab_network_view_describe (LabPlot *plot,
                           GString *out)
{
  const LabNetGraph *graph = lab_network_view_get_graph (LAB_NETWORK_VIEW (plot));

  if (graph != NULL)
    lab_net_graph_describe (graph, out);
}

/* --- input ------------------------------------------------------------------------------------ */

/* A click on a thumbnail enlarges it; any click closes an enlarged one. */
static void
on_click_released (GtkGestureClick *gesture,
                   int              n_press,
                   double           x,
                   double           y,
                   LabNetworkView  *self)
{
  int i;

  if (lab_network_view_get_enlarged (self) >= 0)
    {
      lab_network_view_set_enlarged (self, -1);
      return;
    }
  if (self->graph == NULL || (i = lab_net_graph_neuron_at (self->graph, x, y)) < 0)
    return;
  if (g_array_index (self->graph->neurons, LabNetNeuron, i).thumb != LAB_NET_THUMB_NONE)
    lab_network_view_set_enlarged (self, i);
}

/* --- GObject ---------------------------------------------------------------------------------- */

static void
lab_network_view_model_changed (LabPlot  *plot,
                                gboolean  replaced)
{
  LabNetworkView *self = LAB_NETWORK_VIEW (plot);

  if (replaced)
    {
      /* another run's data: nothing to fade from */
      g_clear_pointer (&self->last_heavy, lab_snapshot_unref);
      g_clear_pointer (&self->fade_from, lab_snapshot_unref);
      self->enlarged_column = -1;
    }
  heavy_arrived (self, current_heavy (self));
  /* Rows alone change nothing drawn here, and new weights of a big net wait for the throttle:
   * no frame at all is asked for then (the pulse asks for its own). */
  if (!replaced && current_heavy (self) != NULL &&
      (current_heavy (self) == self->built_from || throttled (self, g_get_monotonic_time ())))
    return;
  lab_plot_invalidate (plot);
}

static void
lab_network_view_css_changed (GtkWidget         *widget,
                              GtkCssStyleChange *change)
{
  LabNetworkView *self = LAB_NETWORK_VIEW (widget);

  GTK_WIDGET_CLASS (lab_network_view_parent_class)->css_changed (widget, change);
  self->serial++;   /* colours and fonts: a new picture */
}

static void
lab_network_view_dispose (GObject *object)
{
  LabNetworkView *self = LAB_NETWORK_VIEW (object);

  if (self->tick_id != 0)
    {
      gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->tick_id);
      self->tick_id = 0;
    }
  g_clear_handle_id (&self->throttle_id, g_source_remove);
  clear_graph (self);
  g_clear_pointer (&self->last_heavy, lab_snapshot_unref);
  g_clear_pointer (&self->fade_from, lab_snapshot_unref);
  G_OBJECT_CLASS (lab_network_view_parent_class)->dispose (object);
}

static void
lab_network_view_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  LabNetworkView *self = LAB_NETWORK_VIEW (object);

  switch (prop_id)
    {
    case PROP_COLOR:
      g_value_set_enum (value, self->color);
      break;
    case PROP_RANK:
      g_value_set_enum (value, self->rank);
      break;
    case PROP_SHOW_PRUNED:
      g_value_set_boolean (value, self->show_pruned);
      break;
    case PROP_THUMBNAILS:
      g_value_set_boolean (value, self->thumbnails);
      break;
    case PROP_ANIMATE:
      g_value_set_boolean (value, self->animate);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lab_network_view_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  LabNetworkView *self = LAB_NETWORK_VIEW (object);

  switch (prop_id)
    {
    case PROP_COLOR:
      lab_network_view_set_color (self, g_value_get_enum (value));
      break;
    case PROP_RANK:
      lab_network_view_set_rank (self, g_value_get_enum (value));
      break;
    case PROP_SHOW_PRUNED:
      lab_network_view_set_show_pruned (self, g_value_get_boolean (value));
      break;
    case PROP_THUMBNAILS:
      lab_network_view_set_thumbnails (self, g_value_get_boolean (value));
      break;
    case PROP_ANIMATE:
      lab_network_view_set_animate (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lab_network_view_class_init (LabNetworkViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  LabPlotClass *plot_class = LAB_PLOT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = lab_network_view_dispose;
  object_class->get_property = lab_network_view_get_property;
  object_class->set_property = lab_network_view_set_property;
  widget_class->css_changed = lab_network_view_css_changed;

  plot_class->min_width = 320;
  plot_class->natural_width = 900;
  plot_class->min_height = 240;
  plot_class->natural_height = 600;
  plot_class->area_flags = LAB_PLOT_AREA_NO_X_AXIS;
  plot_class->damage_all = TRUE;   /* a new snapshot changes the picture as a whole */
  plot_class->model_changed = lab_network_view_model_changed;
  plot_class->update = lab_network_view_update;
  plot_class->get_title = lab_network_view_get_title;
  plot_class->get_empty_message = lab_network_view_get_empty_message;
  plot_class->draw = lab_network_view_draw;
  plot_class->get_hover_text = lab_network_view_get_hover_text;
  plot_class->describe = lab_network_view_describe;

  properties[PROP_COLOR] = g_param_spec_enum ("color", NULL, NULL, LAB_TYPE_NET_COLOR,
                                              LAB_NET_COLOR_WEIGHT, flags);
  properties[PROP_RANK] = g_param_spec_enum ("rank", NULL, NULL, LAB_TYPE_NET_RANK,
                                             LAB_NET_RANK_DELTA, flags);
  properties[PROP_SHOW_PRUNED] = g_param_spec_boolean ("show-pruned", NULL, NULL, FALSE, flags);
  properties[PROP_THUMBNAILS] = g_param_spec_boolean ("thumbnails", NULL, NULL, TRUE, flags);
  properties[PROP_ANIMATE] = g_param_spec_boolean ("animate", NULL, NULL, FALSE, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
lab_network_view_init (LabNetworkView *self)
{
  g_autoptr(LabAxis) scale = lab_axis_new (LAB_AXIS_LOG | LAB_AXIS_NICE);
  GtkGesture *click = gtk_gesture_click_new ();

  self->thumbnails = TRUE;
  self->enlarged_column = -1;
  lab_extent_init (&self->extent);
  lab_plot_set_y_axis (LAB_PLOT (self), scale);
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), GDK_BUTTON_PRIMARY);
  g_signal_connect (click, "released", G_CALLBACK (on_click_released), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (click));
  gtk_widget_add_css_class (GTK_WIDGET (self), "network-view");
}

GtkWidget *
lab_network_view_new (void)
{
  return g_object_new (LAB_TYPE_NETWORK_VIEW, NULL);
}

/* --- API -------------------------------------------------------------------------------------- */

/* A setting changed: the model and the scale are gathered again. */
static void
changed (LabNetworkView *self,
         guint           prop)
{
  self->serial++;
  lab_plot_invalidate (LAB_PLOT (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

/* A setter and getter of a setting that changes what is drawn. */
#define DEFINE_SETTING(name, type, field, prop, valid)                  \
  void                                                                  \
  lab_network_view_set_##name (LabNetworkView *self,                    \
                               type            value)                   \
  {                                                                     \
    g_return_if_fail (LAB_IS_NETWORK_VIEW (self));                      \
    g_return_if_fail (valid);                                           \
    if (self->field == value)                                           \
      return;                                                           \
    self->field = value;                                                \
    changed (self, prop);                                               \
  }                                                                     \
  type                                                                  \
  lab_network_view_get_##name (LabNetworkView *self)                    \
  {                                                                     \
    g_return_val_if_fail (LAB_IS_NETWORK_VIEW (self), 0);               \
    return self->field;                                                 \
  }

DEFINE_SETTING (color, LabNetColor, color, PROP_COLOR, value <= LAB_NET_COLOR_GRAD)
DEFINE_SETTING (rank, LabNetRank, rank, PROP_RANK, value <= LAB_NET_RANK_ACTIVATION)
DEFINE_SETTING (show_pruned, gboolean, show_pruned, PROP_SHOW_PRUNED, value == !!value)
DEFINE_SETTING (thumbnails, gboolean, thumbnails, PROP_THUMBNAILS, value == !!value)

void
lab_network_view_set_animate (LabNetworkView *self,
                              gboolean        animate)
{
  g_return_if_fail (LAB_IS_NETWORK_VIEW (self));

  if (self->animate == !!animate)
    return;
  self->animate = !!animate;
  if (animate && current_heavy (self) != NULL)
    {
      self->pulse_start = g_get_monotonic_time ();
      ensure_ticking (self);
    }
  else if (!animate)
    self->pulse_start = 0;
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ANIMATE]);
}

gboolean
lab_network_view_get_animate (LabNetworkView *self)
{
  g_return_val_if_fail (LAB_IS_NETWORK_VIEW (self), FALSE);
  return self->animate;
}

const LabNetGraph *
lab_network_view_get_graph (LabNetworkView *self)
{
  GtkWidget *widget;
  LabPlotStyle s;
  LabPlotArea area;
  LabNetOptions o;
  int w, h;

  g_return_val_if_fail (LAB_IS_NETWORK_VIEW (self), NULL);

  widget = GTK_WIDGET (self);
  lab_plot_update (LAB_PLOT (self));
  /* the size it is drawn at, or its natural size before it is */
  w = gtk_widget_get_width (widget) > 0 ? gtk_widget_get_width (widget) : 900;
  h = gtk_widget_get_height (widget) > 0 ? gtk_widget_get_height (widget) : 600;
  lab_plot_style_init (widget, &s);
  lab_plot_area_init (&area, widget, &s, w, h, LAB_PLOT_AREA_NO_X_AXIS);
  frame_options (self, &s, area.title_y, w, h, &o);
  axis_scale (self, &o);
  ensure_graph (self, &o, FALSE);
  return self->graph;
}

double
lab_network_view_get_fade (LabNetworkView *self)
{
  g_return_val_if_fail (LAB_IS_NETWORK_VIEW (self), 1);

  settle (self, g_get_monotonic_time ());
  return fade_progress (self, g_get_monotonic_time ());
}

gboolean
lab_network_view_is_animating (LabNetworkView *self)
{
  g_return_val_if_fail (LAB_IS_NETWORK_VIEW (self), FALSE);
  return self->tick_id != 0;
}

void
lab_network_view_set_enlarged (LabNetworkView *self,
                               int             index)
{
  g_return_if_fail (LAB_IS_NETWORK_VIEW (self));

  if (index < 0 || self->graph == NULL || (guint) index >= self->graph->neurons->len)
    self->enlarged_column = -1;
  else
    {
      const LabNetNeuron *nn = &g_array_index (self->graph->neurons, LabNetNeuron, index);

      self->enlarged_column = (int) nn->column;
      self->enlarged_unit = nn->unit;
    }
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

int
lab_network_view_get_enlarged (LabNetworkView *self)
{
  g_return_val_if_fail (LAB_IS_NETWORK_VIEW (self), -1);

  if (self->enlarged_column < 0 || self->graph == NULL)
    return -1;
  for (guint i = 0; i < self->graph->neurons->len; i++)
    {
      const LabNetNeuron *nn = &g_array_index (self->graph->neurons, LabNetNeuron, i);

      if ((int) nn->column == self->enlarged_column && nn->unit == self->enlarged_unit)
        return (int) i;
    }
  return -1;
}
