/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-window.c: the main window. It owns the LabSession (engine thread); the LabPlotModel all
 * plots share comes with its template (lab-window.ui), where the plots are too. Snapshots come
 * from one producer at a time: the session, or while a run directory is watched a LabWatch
 * (lab-window-watch.c), whose snapshots are of the same kind; the session then waits, paused
 * and unheard. Either producer's consumer hook runs in the main context: the window takes the
 * waiting snapshot, hands it to the plot model (which starts over on a new run and queues the
 * redraws), and updates the status line, the play button and the error banner
 * (lab-window-status.c). It never waits for the engine.
 *
 * Window actions (win.*) are installed on the class with their key bindings, so they work in
 * tests without a GtkApplication; app.* actions (about, quit) live in lab-application.c. The
 * other lab-window-*.c files add theirs (see lab-window-private.h for who does what).
 */
#define G_LOG_DOMAIN "lab-window"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "lab-act-plot.h"
#include "lab-boundary-plot.h"
#include "lab-flow-plot.h"
#include "lab-grad-plot.h"
#include "lab-layer-menu.h"
#include "lab-loss-plot.h"
#include "lab-network-view.h"
#include "lab-lottery-plot.h"
#include "lab-sparsity-plot.h"
#include "lab-transport-keys.h"
#include "lab-ui-resources.h"
#include "lab-weights-view.h"
#include "lab-window-private.h"

#define DEFAULT_PRESET "spiral"

G_DEFINE_FINAL_TYPE (LabWindow, lab_window, GTK_TYPE_APPLICATION_WINDOW)

/* ------------------------------------------------------------------------------------------ */
/* Speed                                                                                      */

/* "Auto speed" on a small 2-D set: its default run (9400 steps) takes a fifth of a second at
 * full speed, over before anyone has seen it; at this rate the boundary forms over half a
 * minute. Image data trains at full speed. Entries match speed_dropdown's in lab-window.ui. */
#define AUTO_PLANE_RATE 300.0
static const double speed_rates[] = { -1, 0, 1000, 300, 100, 30, 10 };

void
_lab_window_update_speed (LabWindow *self)
{
  guint i = gtk_drop_down_get_selected (GTK_DROP_DOWN (self->speed_dropdown));
  double rate = i < G_N_ELEMENTS (speed_rates) ? speed_rates[i] : 0;

  if (rate < 0)
    rate = self->speed_plane ? AUTO_PLANE_RATE : 0;
  if (self->bench != NULL)
    rate = 0;   /* --benchmark measures full speed */
  self->max_rate = rate;
  if (self->session != NULL)
    lab_session_set_max_rate (self->session, rate);
}

static void
on_speed_changed (LabWindow *self)
{
  _lab_window_update_speed (self);
}

static void
set_speed_plane (LabWindow *self,
                 gboolean   plane)
{
  self->speed_plane = plane;
  _lab_window_update_speed (self);
}

void
_lab_window_set_plane (LabWindow *self,
                       gboolean   plane)
{
  self->plane = plane;
  gtk_widget_set_visible (self->boundary_plot, plane);
  _lab_window_network_data_changed (self);
}

/* ------------------------------------------------------------------------------------------ */
/* Snapshots                                                                                  */

static void
prune_now (LabWindow *self)
{
  LabPruneSpec spec;

  lab_settings_panel_get_prune_spec (self->settings_panel, &spec);
  self->last_serial = lab_session_prune_now (self->session, &spec);
}

static void
show_snapshot_error (LabWindow   *self,
                     LabSnapshot *snap)
{
  /* a watched run waiting for its writer says so in the state label: nothing is wrong */
  const char *error = snap->status.watch == LAB_WATCH_WAITING ? NULL : lab_snapshot_error (snap);

  if (error == NULL)
    {
      g_clear_pointer (&self->last_error, g_free);
      return;
    }
  if (g_strcmp0 (error, self->last_error) == 0)
    return;
  g_free (self->last_error);
  self->last_error = g_strdup (error);
  lab_window_show_error (self, error);
}

/* What only a session's snapshot says: the play button, the data's kind, a scripted pruning. */
static void
session_applied (LabWindow   *self,
                 LabSnapshot *snap)
{
  gboolean plane;

  if (self->bench != NULL)
    _lab_window_benchmark_add_rows (self, snap);

  /* The button follows the engine once it has seen our last play/pause/step. */
  if (snap->status.acked >= self->play_serial)
    {
      self->running = snap->status.state == LAB_SESSION_RUNNING;
      _lab_window_update_play_button (self);
    }

  plane = lab_data_source_is_plane (snap->config.data.source);
  if (plane != self->plane)
    _lab_window_set_plane (self, plane);
  if (plane != self->speed_plane)
    set_speed_plane (self, plane);

  if (self->prune_at_step > 0 && snap->status.step >= self->prune_at_step)
    {
      self->prune_at_step = 0;
      prune_now (self);
    }
}

/* The producer's waiting snapshot: the watched run's while watching, else the session's. */
static LabSnapshot *
take_snapshot (LabWindow *self)
{
  if (self->watch != NULL)
    return lab_watch_take (self->watch);
  return lab_session_take (self->session);
}

static void
apply_snapshot (LabWindow *self)
{
  g_autoptr(LabSnapshot) snap = take_snapshot (self);

  if (snap == NULL)
    return;

  lab_plot_model_apply (self->model, snap);
  if (snap->run_id != lab_plot_model_get_run_id (self->model))
    return;   /* a snapshot of a run that was replaced */

  if (self->watch != NULL)
    _lab_window_watch_applied (self, snap);
  else
    session_applied (self, snap);
  _lab_window_update_status (self, snap);
  show_snapshot_error (self, snap);
  /* after the run's error: a --sweep that cannot start on a failed run says so over it */
  if (self->watch == NULL)
    _lab_window_experiment_update (self, snap);
}

/* Snapshots are applied at most APPLY_PERIOD apart: the plots then redraw at ~30 Hz instead of
 * on every frame, which halves the main thread's share of a 2-core machine (measured: the
 * gradients page cost a third of the training speed when every frame repainted). Nothing is
 * lost: rows wait in the session's mailbox until the deferred apply takes them. */
#define APPLY_PERIOD (33 * 1000)

static void
apply_deferred (gpointer user_data)
{
  LabWindow *self = user_data;

  self->apply_source = 0;
  self->last_apply = g_get_monotonic_time ();
  apply_snapshot (self);
}

void
_lab_window_snapshot_ready (LabWindow *self)
{
  gint64 now = g_get_monotonic_time ();

  if (self->apply_source != 0)
    return;
  if (now - self->last_apply < APPLY_PERIOD)
    {
      guint ms = (guint) ((APPLY_PERIOD - (now - self->last_apply)) / 1000) + 1;
      self->apply_source = g_timeout_add_once (ms, apply_deferred, self);
      return;
    }
  self->last_apply = now;
  apply_snapshot (self);
}

static void
on_snapshot (LabSession *session,
             gpointer    user_data)
{
  _lab_window_snapshot_ready (user_data);
}

void
_lab_window_hear_session (LabWindow *self,
                          gboolean   hear)
{
  g_clear_handle_id (&self->apply_source, g_source_remove);
  if (hear)
    {
      /* what the session sent before it stopped being heard belongs to its old run */
      g_autoptr(LabSnapshot) stale = lab_session_take (self->session);

      lab_session_set_consumer (self->session, NULL, on_snapshot, self);
    }
  else
    lab_session_set_consumer (self->session, NULL, NULL, NULL);
}

/* ------------------------------------------------------------------------------------------ */
/* Transport                                                                                  */

static void
do_play (LabWindow *self)
{
  self->play_serial = self->last_serial = lab_session_play (self->session);
  self->running = TRUE;
  _lab_window_update_play_button (self);
}

void
_lab_window_sent_pause (LabWindow *self,
                        guint64    serial)
{
  self->play_serial = self->last_serial = serial;
  self->running = FALSE;
  _lab_window_update_play_button (self);
}

static void
play_pause_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *param)
{
  LabWindow *self = LAB_WINDOW (widget);

  if (self->running)
    _lab_window_sent_pause (self, lab_session_pause (self->session));
  else
    do_play (self);
}

static void
play_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  do_play (LAB_WINDOW (widget));
}

static void
pause_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *param)
{
  LabWindow *self = LAB_WINDOW (widget);

  _lab_window_sent_pause (self, lab_session_pause (self->session));
}

static void
step_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  LabWindow *self = LAB_WINDOW (widget);

  _lab_window_sent_pause (self, lab_session_step (self->session, 1));
}

/* Reset applies the sidebar: a rebuild if a setting waits for it, else the same seed again. */
static void
reset_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *param)
{
  LabWindow *self = LAB_WINDOW (widget);
  gboolean was_running = self->running;
  guint64 serial;

  if (lab_settings_panel_get_pending (self->settings_panel))
    {
      LabConfig cfg;
      g_autoptr(GError) error = NULL;

      lab_settings_panel_get_config (self->settings_panel, &cfg);
      if (!lab_config_validate (&cfg, &error))
        {
          lab_window_show_error (self, error->message);
          lab_config_clear (&cfg);
          return;
        }
      serial = lab_session_set_config (self->session, &cfg);
      lab_config_clear (&cfg);
      lab_settings_panel_mark_applied (self->settings_panel);
    }
  else
    serial = lab_session_reset (self->session, -1);

  _lab_window_sent_pause (self, serial);
  if (was_running)
    do_play (self);
}

static void
prune_now_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *param)
{
  prune_now (LAB_WINDOW (widget));
}

static void
on_prune_now (LabWindow *self)
{
  /* through the action, so the sidebar's button is off when the toolbar's is (an experiment) */
  gtk_widget_activate_action (GTK_WIDGET (self), "win.prune-now", NULL);
}

static void
on_live_changed (LabSettingsPanel *panel,
                 guint             what,
                 LabWindow        *self)
{
  switch ((LabLiveSetting) what)
    {
    case LAB_LIVE_LR:
      self->last_serial = lab_session_set_lr (self->session, lab_settings_panel_get_lr (panel));
      break;
    case LAB_LIVE_BATCH:
      self->last_serial = lab_session_set_batch (self->session,
                                                 lab_settings_panel_get_batch (panel));
      break;
    case LAB_LIVE_CLIP:
      {
        LabClipMode mode;
        double value;
        lab_settings_panel_get_clip (panel, &mode, &value);
        self->last_serial = lab_session_set_clip (self->session, mode, value);
      }
      break;
    default:
      g_assert_not_reached ();
    }
}

/* ------------------------------------------------------------------------------------------ */
/* Configs                                                                                    */

void
lab_window_apply_config (LabWindow       *self,
                         const LabConfig *cfg)
{
  gboolean was_running;

  g_return_if_fail (LAB_IS_WINDOW (self));
  g_return_if_fail (cfg != NULL);

  /* the new run replaces whatever a run file still being read would have brought, and a
   * watched run: the window trains again */
  _lab_window_cancel_open (self);
  _lab_window_leave_watch (self);
  was_running = self->running;
  lab_settings_panel_set_config (self->settings_panel, cfg);
  /* before the new run's first steps, not after its first snapshot */
  set_speed_plane (self, lab_data_source_is_plane (cfg->data.source));
  _lab_window_sent_pause (self, lab_session_set_config (self->session, cfg));
  if (was_running)
    do_play (self);
}

/* ------------------------------------------------------------------------------------------ */
/* Pages and layout                                                                           */

void
lab_window_set_page (LabWindow  *self,
                     const char *page)
{
  g_return_if_fail (LAB_IS_WINDOW (self));
  g_return_if_fail (page != NULL);

  if (gtk_stack_get_child_by_name (GTK_STACK (self->stack), page) != NULL)
    gtk_stack_set_visible_child_name (GTK_STACK (self->stack), page);
}

static void
show_page_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *param)
{
  lab_window_set_page (LAB_WINDOW (widget), g_variant_get_string (param, NULL));
}

static void
fullscreen_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *param)
{
  if (gtk_window_is_fullscreen (GTK_WINDOW (widget)))
    gtk_window_unfullscreen (GTK_WINDOW (widget));
  else
    gtk_window_fullscreen (GTK_WINDOW (widget));
}

static void
export_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  gtk_menu_button_popup (GTK_MENU_BUTTON (LAB_WINDOW (widget)->export_button));
}

static void
on_weights_mode_toggled (GtkToggleButton *button,
                         LabWindow       *self)
{
  lab_weights_view_set_mode (LAB_WEIGHTS_VIEW (self->weights_view),
                             gtk_toggle_button_get_active (button) ? LAB_WEIGHTS_MODE_HEATMAPS
                                                                   : LAB_WEIGHTS_MODE_PIXELS);
}

/* The panes get proportional positions once the window has its first size. */
static gboolean
layout_tick (GtkWidget     *widget,
             GdkFrameClock *clock,
             gpointer       user_data)
{
  LabWindow *self = LAB_WINDOW (widget);
  int w = gtk_widget_get_width (self->stack);
  int h = gtk_widget_get_height (self->stack);

  if (w < 100 || h < 100)
    return G_SOURCE_CONTINUE;

  gtk_paned_set_position (GTK_PANED (self->grad_vpaned), (int) (h * 0.56));
  gtk_paned_set_position (GTK_PANED (self->grad_top_paned), (int) (w * 0.62));
  gtk_paned_set_position (GTK_PANED (self->grad_bottom_paned), (int) (w * 0.34));
  gtk_paned_set_position (GTK_PANED (self->grad_bottom_right_paned), (int) (w * 0.66 * 0.5));
  gtk_paned_set_position (GTK_PANED (self->prune_paned), (int) (w * 0.60));
  gtk_paned_set_position (GTK_PANED (self->prune_right_paned), (int) (h * 0.5));
  self->layout_tick = 0;
  return G_SOURCE_REMOVE;
}

/* ------------------------------------------------------------------------------------------ */
/* GObject                                                                                    */

double
lab_window_get_max_rate (LabWindow *self)
{
  g_return_val_if_fail (LAB_IS_WINDOW (self), 0);
  return self->max_rate;
}

LabSession *
lab_window_get_session (LabWindow *self)
{
  g_return_val_if_fail (LAB_IS_WINDOW (self), NULL);
  return self->session;
}

LabPlotModel *
lab_window_get_plot_model (LabWindow *self)
{
  g_return_val_if_fail (LAB_IS_WINDOW (self), NULL);
  return self->model;
}

LabSettingsPanel *
lab_window_get_settings_panel (LabWindow *self)
{
  g_return_val_if_fail (LAB_IS_WINDOW (self), NULL);
  return self->settings_panel;
}

guint64
lab_window_get_last_serial (LabWindow *self)
{
  g_return_val_if_fail (LAB_IS_WINDOW (self), 0);
  return self->last_serial;
}

void
lab_window_set_prune_at_step (LabWindow *self,
                              guint64    step)
{
  g_return_if_fail (LAB_IS_WINDOW (self));
  self->prune_at_step = step;
}

gboolean
_lab_window_is_closed (LabWindow *self)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  if (self->closed)
    return TRUE;
  /* gtk_window_destroy() takes a window off this list; dispose waits for the last reference */
  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);
      if (window == G_OBJECT (self))
        return FALSE;
    }
  return TRUE;
}

/* Stops the engine and a watch (joins their threads) before any widget the snapshots feed goes
 * away. */
static void
stop_session (LabWindow *self)
{
  _lab_window_watch_dispose (self);
  if (self->session == NULL)
    return;
  lab_session_set_consumer (self->session, NULL, NULL, NULL);
  g_clear_handle_id (&self->apply_source, g_source_remove);
  g_clear_pointer (&self->session, lab_session_free);
}

static gboolean
lab_window_close_request (GtkWindow *window)
{
  stop_session (LAB_WINDOW (window));
  return GTK_WINDOW_CLASS (lab_window_parent_class)->close_request (window);
}

static void
lab_window_dispose (GObject *object)
{
  LabWindow *self = LAB_WINDOW (object);

  self->closed = TRUE;
  stop_session (self);
  _lab_window_benchmark_dispose (self);
  _lab_window_runfile_dispose (self);
  _lab_window_files_dispose (self);
  _lab_window_experiment_dispose (self);
  if (self->layout_tick != 0)
    {
      gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->layout_tick);
      self->layout_tick = 0;
    }

  gtk_widget_dispose_template (GTK_WIDGET (self), LAB_TYPE_WINDOW);

  G_OBJECT_CLASS (lab_window_parent_class)->dispose (object);
}

static void
lab_window_finalize (GObject *object)
{
  LabWindow *self = LAB_WINDOW (object);

  g_strfreev (self->preset_names);
  g_free (self->last_error);

  G_OBJECT_CLASS (lab_window_parent_class)->finalize (object);
}

static void
bind_template (GtkWidgetClass *widget_class)
{
  /* Referencing the bundle keeps it (and its auto-registration) in the static library's link. */
  if (lab_ui_get_resource () == NULL)
    g_error ("The window's resources are missing");
  /* the template's own types */
  g_type_ensure (LAB_TYPE_PLOT_MODEL);
  g_type_ensure (LAB_TYPE_SETTINGS_PANEL);
  g_type_ensure (LAB_TYPE_LESSON_PANEL);
  g_type_ensure (LAB_TYPE_GRAD_PLOT);
  g_type_ensure (LAB_TYPE_FLOW_PLOT);
  g_type_ensure (LAB_TYPE_LOSS_PLOT);
  g_type_ensure (LAB_TYPE_ACT_PLOT);
  g_type_ensure (LAB_TYPE_BOUNDARY_PLOT);
  g_type_ensure (LAB_TYPE_WEIGHTS_VIEW);
  g_type_ensure (LAB_TYPE_SPARSITY_PLOT);
  g_type_ensure (LAB_TYPE_NETWORK_VIEW);
  g_type_ensure (LAB_TYPE_LOTTERY_PLOT);
  g_type_ensure (LAB_TYPE_LAYER_MENU);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/gradlab/GradientLab/ui/lab-window.ui");
#define CHILD(name) gtk_widget_class_bind_template_child (widget_class, LabWindow, name)
  CHILD (play_button);
  CHILD (speed_dropdown);
  CHILD (presets_popover);
  CHILD (presets_list);
  CHILD (export_button);
  CHILD (error_revealer);
  CHILD (error_label);
  CHILD (sidebar_stack);
  CHILD (settings_panel);
  CHILD (manifest_panel);
  CHILD (lesson_paned);
  CHILD (lesson_panel);
  CHILD (stack);
  CHILD (grad_vpaned);
  CHILD (grad_top_paned);
  CHILD (grad_bottom_paned);
  CHILD (grad_bottom_right_paned);
  CHILD (prune_paned);
  CHILD (prune_right_paned);
  CHILD (prune_summary);
  CHILD (boundary_plot);
  CHILD (weights_view);
  CHILD (state_label);
  CHILD (step_label);
  CHILD (speed_label);
  CHILD (train_label);
  CHILD (test_label);
  CHILD (data_label);
  CHILD (busy_label);
  CHILD (model);
  CHILD (lessons_section);
#undef CHILD
  gtk_widget_class_bind_template_callback (widget_class, on_speed_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_live_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_prune_now);
  gtk_widget_class_bind_template_callback (widget_class, on_weights_mode_toggled);
}

static void
lab_window_class_init (LabWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = lab_window_dispose;
  object_class->finalize = lab_window_finalize;
  window_class->close_request = lab_window_close_request;

  bind_template (widget_class);

  gtk_widget_class_install_action (widget_class, "win.play-pause", NULL, play_pause_action);
  gtk_widget_class_install_action (widget_class, "win.play", NULL, play_action);
  gtk_widget_class_install_action (widget_class, "win.pause", NULL, pause_action);
  gtk_widget_class_install_action (widget_class, "win.step", NULL, step_action);
  gtk_widget_class_install_action (widget_class, "win.reset", NULL, reset_action);
  gtk_widget_class_install_action (widget_class, "win.prune-now", NULL, prune_now_action);
  gtk_widget_class_install_action (widget_class, "win.show-page", "s", show_page_action);
  gtk_widget_class_install_action (widget_class, "win.export", NULL, export_action);
  gtk_widget_class_install_action (widget_class, "win.fullscreen", NULL, fullscreen_action);
  _lab_window_status_class_init (widget_class);      /* dismiss-error */
  _lab_window_presets_class_init (widget_class);     /* load-preset, the Presets menu */
  _lab_window_files_class_init (widget_class);       /* open, save-config, save-weights … */
  _lab_window_runfile_class_init (widget_class);     /* save-run */
  _lab_window_export_class_init (widget_class);      /* export-plot, export-metrics */
  _lab_window_classroom_class_init (widget_class);   /* lessons, presenter, compare */
  _lab_window_network_class_init (widget_class);     /* the Network page's controls */
  _lab_window_experiment_class_init (widget_class);  /* sweep, lottery, cancel-experiment */
  _lab_window_watch_class_init (widget_class);       /* watch-run */

  lab_transport_keys_class_init (widget_class);      /* Ctrl+R, F11 */
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_e, GDK_CONTROL_MASK, "win.export", NULL);
  /* F11 is presenter mode (fullscreen and more); Shift+F11 plain fullscreen */
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F11, GDK_SHIFT_MASK,
                                       "win.fullscreen", NULL);
}

static void
lab_window_init (LabWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  _lab_window_export_init (self);      /* right-click "Export Plot…" on each plot */
  _lab_window_classroom_init (self);   /* the Lessons menu */
  _lab_window_dnd_init (self);         /* files and run directories dropped on the window */
  _lab_window_presets_init (self);     /* the Presets menu */
  _lab_window_update_play_button (self);
  lab_transport_keys_attach (GTK_WIDGET (self));   /* Space, ".", Right */

  gtk_label_set_text (GTK_LABEL (self->state_label), _("Starting…"));
  gtk_label_set_text (GTK_LABEL (self->prune_summary), _("Not pruned yet"));
  self->layout_tick = gtk_widget_add_tick_callback (GTK_WIDGET (self), layout_tick, NULL, NULL);
  self->plane = TRUE;
  _lab_window_network_data_changed (self);
}

LabWindow *
lab_window_new (GtkApplication  *app,
                const LabConfig *cfg)
{
  LabWindow *self;
  LabConfig preset;

  self = g_object_new (LAB_TYPE_WINDOW, "application", app, NULL);

  lab_config_init_defaults (&preset);
  if (cfg == NULL)
    {
      g_autoptr(GError) error = NULL;
      if (!lab_config_load_preset (&preset, DEFAULT_PRESET, &error))
        g_warning ("The built-in preset “%s” does not load: %s", DEFAULT_PRESET, error->message);
      cfg = &preset;
    }

  lab_settings_panel_set_config (self->settings_panel, cfg);
  self->session = lab_session_new (cfg);
  set_speed_plane (self, lab_data_source_is_plane (cfg->data.source));
  lab_session_set_consumer (self->session, NULL, on_snapshot, self);
  lab_config_clear (&preset);

  return self;
}
