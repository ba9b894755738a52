/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-compare-window.c: compare mode (see lab-compare-window.h). The window owns a LabLockstep
 * (engine/lab-lockstep.c, which owns the two sessions and keeps them at equal steps) and one
 * LabPlotModel per side. Each delivery carries the snapshots of both sides up to the same step;
 * the window applies them to the two models in one go, so the two columns never show different
 * steps. The plots of a row share their axes (lab_plot_share_axes()): same scales on both
 * sides. The widgets and the two plot models are in lab-compare-window.ui.
 *
 * Two watched run directories (`gradlab --watch A B`) have no lock-step: each side's LabWatch
 * feeds its own model as its writer goes, each side shows its own step and state, and the
 * scales are shared all the same; the training controls are hidden.
 */
#define G_LOG_DOMAIN "lab-compare-window"

#include "config.h"

#include <glib/gi18n.h>
#include <inttypes.h>
#include <math.h>
#include <string.h>

#include "lab-compare-window.h"
#include "lab-flow-plot.h"
#include "lab-grad-plot.h"
#include "lab-loss-plot.h"
#include "lab-network-view.h"
#include "lab-transport-keys.h"
#include "lab-watch-describe.h"

/* steps per lock-step round: small enough for smooth curves, large enough to keep both
 * engines busy between two main-loop round trips */
#define CHUNK 10

struct _LabCompareWindow
{
  GtkApplicationWindow  parent_instance;

  /* template widgets, [side] */
  GtkWidget            *play_button;
  GtkWidget            *title[2];
  GtkWidget            *difference[2];
  GtkWidget            *grad_plot[2];
  GtkWidget            *flow_plot[2];
  GtkWidget            *loss_plot[2];
  GtkWidget            *status[2];
  GtkWidget            *step_label;
  GtkWidget            *plots_grid;
  GtkWidget            *network_row;      /* the two networks instead of plots_grid */
  GtkWidget            *network_button;
  GtkWidget            *network_view[2];
  GtkWidget            *net_delta_button;

  /* template objects: what each side's plots draw */
  LabPlotModel         *model[2];

  /* owned: the lock-step of two trainings, or two watched runs */
  LabLockstep          *lockstep;
  LabWatch             *watch[2];
  guint                 deliveries;
  gboolean              presenter;
};

G_DEFINE_FINAL_TYPE (LabCompareWindow, lab_compare_window, GTK_TYPE_APPLICATION_WINDOW)

/* ------------------------------------------------------------------------------------------ */
/* Describing the difference                                                                  */

/* "section.key" → value, from the full .ini text of @cfg. */
static GHashTable *
config_values (const LabConfig *cfg,
               GPtrArray       *order)
{
  g_autofree char *text = lab_config_to_data (cfg, NULL);
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  GHashTable *values = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autofree char *section = NULL;

  for (guint i = 0; lines[i] != NULL; i++)
    {
      char *l = g_strstrip (lines[i]);
      char *eq;

      if (*l == '[')
        {
          g_free (section);
          section = g_strndup (l + 1, strcspn (l + 1, "]"));
        }
      else if (*l != '#' && (eq = strchr (l, '=')) != NULL && section != NULL)
        {
          g_autofree char *key = g_strstrip (g_strndup (l, eq - l));
          char *name = g_strdup_printf ("%s.%s", section, key);

          if (order != NULL)
            g_ptr_array_add (order, g_strdup (name));
          g_hash_table_insert (values, name, g_strstrip (g_strdup (eq + 1)));
        }
    }
  return values;
}

char *
lab_compare_describe_difference (const LabConfig *a,
                                 const LabConfig *b,
                                 gboolean         b_side)
{
  g_autoptr(GPtrArray) order = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GHashTable) va = config_values (a, order);
  g_autoptr(GHashTable) vb = config_values (b, NULL);
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < order->len; i++)
    {
      const char *name = g_ptr_array_index (order, i);
      const char *x = g_hash_table_lookup (va, name);
      const char *y = g_hash_table_lookup (vb, name);

      if (g_str_equal (name, "train.threads") || g_strcmp0 (x, y) == 0)
        continue;
      if (out->len > 0)
        g_string_append (out, ", ");
      g_string_append_printf (out, "%s = %s", strchr (name, '.') + 1,
                              (b_side ? y : x) ? (b_side ? y : x) : "");
    }
  return g_string_free (out, FALSE);
}

/* ------------------------------------------------------------------------------------------ */
/* Snapshots                                                                                  */

/* A watched side: its state and step, then its losses. */
static char *
watch_status (LabCompareWindow *self,
              guint             side,
              const char       *losses)
{
  LabSnapshot *snap = lab_plot_model_get_latest (self->model[side]);
  g_autofree char *state = NULL;

  if (snap == NULL)
    return g_strdup_printf (_("Waiting for the writer · %s"), losses);
  state = lab_watch_describe_state (&snap->status, g_get_monotonic_time ());
  return g_strdup_printf (_("%s · step %" PRIu64 " · %s"), state, snap->status.step,
                          losses);
}

static void
update_status (LabCompareWindow *self)
{
  g_autofree char *step = NULL;

  for (guint s = 0; s < 2; s++)
    {
      const LabStepStats *row = lab_plot_model_get_last_row (self->model[s]);
      LabSnapshot *snap = lab_plot_model_get_latest (self->model[s]);
      g_autofree char *text = NULL;

      if (snap != NULL && snap->status.state == LAB_SESSION_FAILED && self->watch[s] == NULL)
        text = g_strdup_printf (_("Stopped at step %" PRIu64 ": %s"), snap->status.step,
                                snap->status.error[0] ? snap->status.error : _("unknown error"));
      else if (row != NULL && row->step > 0)
        text = g_strdup_printf (_("Loss %.4f · accuracy %.1f %%"), row->loss,
                                100.0 * row->accuracy);
      else
        text = g_strdup (_("Loss – · accuracy –"));
      if (self->watch[s] != NULL)
        {
          g_autofree char *losses = g_steal_pointer (&text);
          text = watch_status (self, s, losses);
        }
      gtk_label_set_text (GTK_LABEL (self->status[s]), text);
      gtk_widget_set_tooltip_text (self->status[s], text);
    }
  if (self->lockstep == NULL)
    step = g_strdup (_("Two watched runs, each at its own step"));
  else
    step = g_strdup_printf (_("Step %" PRIu64 " on both sides%s"),
                            lab_lockstep_get_step (self->lockstep),
                            lab_lockstep_is_playing (self->lockstep) ? "" : _(" · paused"));
  gtk_label_set_text (GTK_LABEL (self->step_label), step);
}

static void
on_deliver (LabLockstep *lockstep,
            GPtrArray   *snaps0,
            GPtrArray   *snaps1,
            gpointer     user_data)
{
  LabCompareWindow *self = user_data;
  GPtrArray *snaps[2] = { snaps0, snaps1 };

  for (guint s = 0; s < 2; s++)
    for (guint i = 0; i < snaps[s]->len; i++)
      lab_plot_model_apply (self->model[s], g_ptr_array_index (snaps[s], i));
  self->deliveries++;
  update_status (self);
}

/* ------------------------------------------------------------------------------------------ */
/* Actions                                                                                    */

static void
update_play_button (LabCompareWindow *self)
{
  gboolean playing;

  if (self->lockstep == NULL)
    return;   /* watched runs: no training controls */
  playing = lab_lockstep_is_playing (self->lockstep);

  gtk_button_set_icon_name (GTK_BUTTON (self->play_button),
                            playing ? "media-playback-pause-symbolic"
                                    : "media-playback-start-symbolic");
  gtk_widget_set_tooltip_text (self->play_button,
                               playing ? _("Pause both (Space)")
                                       : _("Train both in lock-step (Space)"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->play_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  playing ? _("Pause both") : _("Train both"), -1);
}

static void
play_pause_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *param)
{
  LabCompareWindow *self = LAB_COMPARE_WINDOW (widget);

  if (lab_lockstep_is_playing (self->lockstep))
    lab_compare_window_pause (self);
  else
    lab_compare_window_play (self);
}

void
lab_compare_window_play (LabCompareWindow *self)
{
  g_return_if_fail (LAB_IS_COMPARE_WINDOW (self));
  g_return_if_fail (self->lockstep != NULL);

  lab_lockstep_play (self->lockstep);
  update_play_button (self);
  update_status (self);
}

void
lab_compare_window_pause (LabCompareWindow *self)
{
  g_return_if_fail (LAB_IS_COMPARE_WINDOW (self));
  g_return_if_fail (self->lockstep != NULL);

  lab_lockstep_pause (self->lockstep);
  update_play_button (self);
  update_status (self);
}

static void
step_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  LabCompareWindow *self = LAB_COMPARE_WINDOW (widget);

  lab_lockstep_pause (self->lockstep);
  lab_lockstep_step (self->lockstep, 1);
  update_play_button (self);
}

static void
reset_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *param)
{
  lab_lockstep_reset (LAB_COMPARE_WINDOW (widget)->lockstep);
}

void
lab_compare_window_set_presenter (LabCompareWindow *self,
                                  gboolean          presenter)
{
  g_return_if_fail (LAB_IS_COMPARE_WINDOW (self));

  presenter = !!presenter;
  if (presenter == self->presenter)
    return;
  self->presenter = presenter;
  if (presenter)
    {
      gtk_widget_add_css_class (GTK_WIDGET (self), "presenter");
      gtk_window_fullscreen (GTK_WINDOW (self));
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self), "presenter");
      gtk_window_unfullscreen (GTK_WINDOW (self));
    }
}

gboolean
lab_compare_window_get_presenter (LabCompareWindow *self)
{
  g_return_val_if_fail (LAB_IS_COMPARE_WINDOW (self), FALSE);
  return self->presenter;
}

static void
presenter_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *param)
{
  LabCompareWindow *self = LAB_COMPARE_WINDOW (widget);

  lab_compare_window_set_presenter (self, !self->presenter);
}

/* ------------------------------------------------------------------------------------------ */
/* Layout                                                                                     */

/* Each row of plots shares its scales across the two sides: the right plot draws on the left
 * one's axes, which span the data of both. */
static void
pair_scales (LabCompareWindow *self)
{
  lab_plot_share_axes (LAB_PLOT (self->grad_plot[1]), LAB_PLOT (self->grad_plot[0]));
  lab_plot_share_axes (LAB_PLOT (self->flow_plot[1]), LAB_PLOT (self->flow_plot[0]));
  lab_plot_share_axes (LAB_PLOT (self->loss_plot[1]), LAB_PLOT (self->loss_plot[0]));
  lab_plot_share_axes (LAB_PLOT (self->network_view[1]), LAB_PLOT (self->network_view[0]));
}

/* --- the two networks ----------------------------------------------------------------------- */

void
lab_compare_window_show_network (LabCompareWindow *self,
                                 gboolean          network)
{
  g_return_if_fail (LAB_IS_COMPARE_WINDOW (self));

  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (self->network_button), network);
}

gboolean
lab_compare_window_get_network (LabCompareWindow *self)
{
  g_return_val_if_fail (LAB_IS_COMPARE_WINDOW (self), FALSE);
  return gtk_widget_get_visible (self->network_row);
}

static void
on_network_toggled (LabCompareWindow *self)
{
  gboolean network = gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (self->network_button));

  gtk_widget_set_visible (self->plots_grid, !network);
  gtk_widget_set_visible (self->network_row, network);
}

static void
on_net_color_toggled (LabCompareWindow *self)
{
  gboolean delta = gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (self->net_delta_button));

  for (guint s = 0; s < 2; s++)
    lab_network_view_set_color (LAB_NETWORK_VIEW (self->network_view[s]),
                                delta ? LAB_NET_COLOR_DELTA : LAB_NET_COLOR_WEIGHT);
}

/* ------------------------------------------------------------------------------------------ */
/* GObject                                                                                    */

static void
stop (LabCompareWindow *self)
{
  for (guint s = 0; s < 2; s++)
    if (self->watch[s] != NULL)
      {
        lab_watch_set_consumer (self->watch[s], NULL, NULL, NULL);
        g_clear_pointer (&self->watch[s], lab_watch_free);
      }
  if (self->lockstep == NULL)
    return;
  lab_lockstep_set_consumer (self->lockstep, NULL, NULL, NULL);
  g_clear_pointer (&self->lockstep, lab_lockstep_free);
}

static gboolean
lab_compare_window_close_request (GtkWindow *window)
{
  stop (LAB_COMPARE_WINDOW (window));
  return GTK_WINDOW_CLASS (lab_compare_window_parent_class)->close_request (window);
}

static void
lab_compare_window_dispose (GObject *object)
{
  stop (LAB_COMPARE_WINDOW (object));
  gtk_widget_dispose_template (GTK_WIDGET (object), LAB_TYPE_COMPARE_WINDOW);

  G_OBJECT_CLASS (lab_compare_window_parent_class)->dispose (object);
}

/* ids "field_0", "field_1" → field[0], field[1] (arrays of pointers) */
#define BIND_SIDES(field) \
  for (guint s = 0; s < 2; s++) \
    { \
      g_autofree char *name = g_strdup_printf (#field "_%u", s); \
      gtk_widget_class_bind_template_child_full (widget_class, name, FALSE, \
                                                 G_STRUCT_OFFSET (LabCompareWindow, field) + \
                                                 s * sizeof (gpointer)); \
    }

static void
lab_compare_window_class_init (LabCompareWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = lab_compare_window_dispose;
  window_class->close_request = lab_compare_window_close_request;

  g_type_ensure (LAB_TYPE_PLOT_MODEL);
  g_type_ensure (LAB_TYPE_GRAD_PLOT);
  g_type_ensure (LAB_TYPE_FLOW_PLOT);
  g_type_ensure (LAB_TYPE_LOSS_PLOT);
  g_type_ensure (LAB_TYPE_NETWORK_VIEW);
  gtk_widget_class_set_template_from_resource (
    widget_class, "/io/github/gradlab/GradientLab/ui/lab-compare-window.ui");
  gtk_widget_class_bind_template_child (widget_class, LabCompareWindow, play_button);
  gtk_widget_class_bind_template_child (widget_class, LabCompareWindow, step_label);
  gtk_widget_class_bind_template_child (widget_class, LabCompareWindow, plots_grid);
  gtk_widget_class_bind_template_child (widget_class, LabCompareWindow, network_row);
  gtk_widget_class_bind_template_child (widget_class, LabCompareWindow, network_button);
  gtk_widget_class_bind_template_child (widget_class, LabCompareWindow, net_delta_button);
  gtk_widget_class_bind_template_callback (widget_class, on_network_toggled);
  gtk_widget_class_bind_template_callback (widget_class, on_net_color_toggled);
  BIND_SIDES (network_view);
  BIND_SIDES (title);
  BIND_SIDES (difference);
  BIND_SIDES (grad_plot);
  BIND_SIDES (flow_plot);
  BIND_SIDES (loss_plot);
  BIND_SIDES (status);
  BIND_SIDES (model);

  gtk_widget_class_install_action (widget_class, "win.play-pause", NULL, play_pause_action);
  gtk_widget_class_install_action (widget_class, "win.step", NULL, step_action);
  gtk_widget_class_install_action (widget_class, "win.reset", NULL, reset_action);
  gtk_widget_class_install_action (widget_class, "win.presenter", NULL, presenter_action);
  lab_transport_keys_class_init (widget_class);   /* Ctrl+R, F11 */
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_w, GDK_CONTROL_MASK,
                                       "window.close", NULL);
}

static void
lab_compare_window_init (LabCompareWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  pair_scales (self);
  lab_transport_keys_attach (GTK_WIDGET (self));   /* Space, ".", Right */
}

/* The run's name and the settings in which it differs from the other side. */
static void
set_heading (LabCompareWindow *self,
             guint             side,
             const char       *name,
             const char       *difference)
{
  gtk_label_set_text (GTK_LABEL (self->title[side]), name);
  gtk_label_set_text (GTK_LABEL (self->difference[side]),
                      *difference ? difference : _("the same settings"));
}

LabCompareWindow *
lab_compare_window_new (GtkApplication  *app,
                        const LabConfig *cfg0,
                        const char      *name0,
                        const LabConfig *cfg1,
                        const char      *name1)
{
  LabCompareWindow *self;
  g_autofree char *d0 = NULL;
  g_autofree char *d1 = NULL;
  g_autofree char *title = NULL;

  g_return_val_if_fail (cfg0 != NULL && cfg1 != NULL, NULL);

  self = g_object_new (LAB_TYPE_COMPARE_WINDOW, "application", app, NULL);
  d0 = lab_compare_describe_difference (cfg0, cfg1, FALSE);
  d1 = lab_compare_describe_difference (cfg0, cfg1, TRUE);
  set_heading (self, 0, name0 ? name0 : "A", d0);
  set_heading (self, 1, name1 ? name1 : "B", d1);
  title = g_strdup_printf (_("Compare %s with %s"), name0 ? name0 : "A", name1 ? name1 : "B");
  gtk_window_set_title (GTK_WINDOW (self), title);

  self->lockstep = lab_lockstep_new (cfg0, cfg1, CHUNK);
  lab_lockstep_set_consumer (self->lockstep, NULL, on_deliver, self);
  update_play_button (self);
  update_status (self);
  return self;
}

/* --- two watched runs ------------------------------------------------------------------------ */

static void
on_watch_snapshot (LabWatch *watch,
                   gpointer  user_data)
{
  LabCompareWindow *self = user_data;
  guint s = watch == self->watch[0] ? 0 : 1;
  g_autoptr(LabSnapshot) snap = lab_watch_take (watch);

  if (snap == NULL)
    return;
  lab_plot_model_apply (self->model[s], snap);
  if (snap->manifest != NULL)
    {
      g_autofree char *what = lab_watch_describe_manifest (snap->manifest);

      gtk_label_set_text (GTK_LABEL (self->difference[s]), what);
    }
  self->deliveries++;
  update_status (self);
}

LabCompareWindow *
lab_compare_window_new_watch (GtkApplication *app,
                              const char     *dir0,
                              const char     *dir1)
{
  const char *dirs[2] = { dir0, dir1 };
  g_autofree char *name0 = NULL;
  g_autofree char *name1 = NULL;
  g_autofree char *title = NULL;
  LabCompareWindow *self;

  g_return_val_if_fail (dir0 != NULL && dir1 != NULL, NULL);

  self = g_object_new (LAB_TYPE_COMPARE_WINDOW, "application", app, NULL);
  name0 = g_path_get_basename (dir0);
  name1 = g_path_get_basename (dir1);
  set_heading (self, 0, name0, dir0);
  set_heading (self, 1, name1, dir1);
  title = g_strdup_printf (_("Compare %s with %s"), name0, name1);
  gtk_window_set_title (GTK_WINDOW (self), title);

  /* nothing to play, step or reset: each writer trains at its own pace */
  gtk_widget_set_visible (gtk_widget_get_parent (self->play_button), FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.play-pause", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.step", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.reset", FALSE);
  for (guint s = 0; s < 2; s++)
    {
      self->watch[s] = lab_watch_new (dirs[s]);
      lab_watch_set_consumer (self->watch[s], NULL, on_watch_snapshot, self);
    }
  update_status (self);
  return self;
}

LabWatch *
lab_compare_window_get_watch (LabCompareWindow *self,
                              guint             side)
{
  g_return_val_if_fail (LAB_IS_COMPARE_WINDOW (self), NULL);
  g_return_val_if_fail (side < 2, NULL);
  return self->watch[side];
}

LabLockstep *
lab_compare_window_get_lockstep (LabCompareWindow *self)
{
  g_return_val_if_fail (LAB_IS_COMPARE_WINDOW (self), NULL);
  return self->lockstep;
}

LabPlotModel *
lab_compare_window_get_model (LabCompareWindow *self,
                              guint             side)
{
  g_return_val_if_fail (LAB_IS_COMPARE_WINDOW (self), NULL);
  g_return_val_if_fail (side < 2, NULL);
  return self->model[side];
}

guint
lab_compare_window_get_deliveries (LabCompareWindow *self)
{
  g_return_val_if_fail (LAB_IS_COMPARE_WINDOW (self), 0);
  return self->deliveries;
}
