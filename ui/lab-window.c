/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-window.c: the main window. It owns the LabSession (engine thread) and the LabPlotModel all
 * plots share. Snapshots arrive through the session's consumer hook in the main context: the
 * window takes the waiting one, hands it to the plot model (which starts over on a new run
 * and queues the redraws), and updates the status line, the play button and the error banner.
 * It never waits for the engine.
 *
 * Window actions (win.*) are installed on the class with their key bindings, so they work in
 * tests without a GtkApplication; app.* actions (about, quit) live in lab-application.c.
 * Space, "." and Right are caught before the focused widget, except in text fields, sliders and
 * popovers, which keep their own use of those keys.
 */
#define G_LOG_DOMAIN "lab-window"

#include "config.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "lab-act-plot.h"
#include "lab-blas-core.h"
#include "lab-boundary-plot.h"
#include "lab-flow-plot.h"
#include "lab-grad-plot.h"
#include "lab-loss-plot.h"
#include "lab-ops.h"
#include "lab-ui-resources.h"
#include "lab-sparsity-plot.h"
#include "lab-sweep.h"
#include "lab-weights-view.h"
#include "lab-window.h"
#include "lab-window-export.h"
#include "lab-window-classroom.h"

#define DEFAULT_PRESET "spiral"

/* --benchmark: training throughput from the rows received, paint time from the frame clock */
typedef struct
{
  LabWindow     *window;
  guint          seconds;
  guint          timeout;        /* 0 until the first frame is painted */
  guint64        steps;
  double         samples;
  double         train_time;     /* Σ step_time: training only, as gradlab-cli's summary */
  GdkFrameClock *clock;          /* owned, once the window is realized */
  gulong         before_paint;
  gulong         after_paint;
  gint64         paint_start;    /* 0 = not inside a frame's paint */
  GArray        *paint_ms;       /* double, one per frame */
  gint64         first_frame;    /* wall clock (µs since 1970) when the first frame was painted,
                                  * for bench/startup, which notes the time before exec */
} Benchmark;

struct _LabWindow
{
  GtkApplicationWindow  parent_instance;

  /* owned */
  LabSession           *session;
  LabPlotModel         *model;
  GtkFileChooserNative *chooser;
  char                 *last_error;     /* the message last shown, so it is not shown again */
  guint64               last_serial;    /* last command sent */
  guint64               play_serial;    /* last play/pause/step sent */
  guint64               prune_at_step;
  gint64                last_apply;     /* when a snapshot was last applied (µs) */
  guint                 apply_source;   /* a deferred apply, when snapshots come too fast */
  guint                 layout_tick;
  gboolean              running;        /* what the play button shows */
  gboolean              plane;          /* the current run's data is 2-D */
  gboolean              speed_plane;   /* the data "Auto speed" was decided for */
  double                max_rate;      /* steps/s asked of the session, 0 = unlimited */
  Benchmark            *bench;          /* --benchmark, else NULL */

  /* template widgets */
  GtkWidget            *play_button;
  GtkWidget            *presets_button;
  GtkWidget            *presets_popover;
  GtkWidget            *presets_list;
  GtkWidget            *export_button;
  GtkWidget            *error_revealer;
  GtkWidget            *error_label;
  GtkWidget            *outer_paned;
  LabSettingsPanel     *settings_panel;
  GtkWidget            *stack;
  GtkWidget            *grad_w_button;
  GtkAdjustment        *smoothing_adjustment;
  GtkWidget            *grad_vpaned;
  GtkWidget            *grad_top_paned;
  GtkWidget            *grad_bottom_paned;
  GtkWidget            *grad_bottom_right_paned;
  GtkWidget            *heatmaps_button;
  GtkWidget            *prune_summary;
  GtkWidget            *prune_paned;
  GtkWidget            *prune_right_paned;
  GtkWidget            *state_label;
  GtkWidget            *step_label;
  GtkWidget            *speed_label;
  GtkWidget            *speed_dropdown;
  GtkWidget            *train_label;
  GtkWidget            *test_label;
  GtkWidget            *data_label;

  /* plots (children of the panes) */
  GtkWidget            *grad_plot;
  GtkWidget            *flow_plot;
  GtkWidget            *loss_plot;
  GtkWidget            *act_plot;
  GtkWidget            *boundary_plot;
  GtkWidget            *weights_view;
  GtkWidget            *sparsity_plot;
  GtkWidget            *prune_loss_plot;
};

G_DEFINE_FINAL_TYPE (LabWindow, lab_window, GTK_TYPE_APPLICATION_WINDOW)

static void update_actions (LabWindow *self);

/* ------------------------------------------------------------------------------------------ */
/* Status line                                                                                */

static const char *state_classes[] = { "paused", "running", "finished", "failed" };

static void
set_state_label (LabWindow       *self,
                 LabSessionState  state,
                 const char      *error)
{
  g_autofree char *text = NULL, *blas = NULL, *tooltip = NULL;

  switch (state)
    {
    case LAB_SESSION_PAUSED:
      text = g_strdup ("Paused");
      break;
    case LAB_SESSION_RUNNING:
      text = g_strdup ("Running");
      break;
    case LAB_SESSION_FINISHED:
      text = g_strdup ("Finished");
      break;
    case LAB_SESSION_FAILED:
    default:
      state = LAB_SESSION_FAILED;
      text = g_strdup_printf ("Stopped: %s", error ? error : "unknown error");
      break;
    }
  /* Called for every snapshot (30 Hz): re-setting the tooltip and the state classes restyles
   * the label each time, which cost a second, empty frame after every real one. */
  if (g_strcmp0 (gtk_label_get_text (GTK_LABEL (self->state_label)), text) == 0 &&
      gtk_widget_has_css_class (self->state_label, state_classes[state]))
    return;
  blas = lab_blas_core_describe ();
  tooltip = g_strdup_printf ("%s\n%s", text, blas);
  gtk_label_set_text (GTK_LABEL (self->state_label), text);
  gtk_widget_set_tooltip_text (self->state_label, tooltip);
  for (guint i = 0; i < G_N_ELEMENTS (state_classes); i++)
    gtk_widget_remove_css_class (self->state_label, state_classes[i]);
  gtk_widget_add_css_class (self->state_label, state_classes[state]);
}

static void
update_play_button (LabWindow *self)
{
  const char *icon = self->running ? "media-playback-pause-symbolic"
                                   : "media-playback-start-symbolic";

  /* Called for every snapshot: setting even the same icon name replaces the button's image,
   * which redraws the header bar and so stretched every frame's repaint to the whole window. */
  if (g_strcmp0 (gtk_button_get_icon_name (GTK_BUTTON (self->play_button)), icon) == 0)
    return;
  gtk_button_set_icon_name (GTK_BUTTON (self->play_button), icon);
  gtk_widget_set_tooltip_text (self->play_button,
                               self->running ? "Pause training (Space)"
                                             : "Start training (Space)");
}

static void
update_status (LabWindow   *self,
               LabSnapshot *snap)
{
  const LabStepStats *row = lab_plot_model_get_last_row (self->model);
  g_autofree char *step = NULL;
  g_autofree char *speed = NULL;
  g_autofree char *train = NULL;
  g_autofree char *test = NULL;
  g_autofree char *data = NULL;

  set_state_label (self, snap->status.state, lab_snapshot_error (snap));

  if (snap->status.total_steps > 0)
    step = g_strdup_printf ("Step %" G_GUINT64_FORMAT " of %" G_GUINT64_FORMAT " · epoch %u",
                            snap->status.step, snap->status.total_steps,
                            MAX (snap->status.epoch, 1));
  else
    step = g_strdup_printf ("Step %" G_GUINT64_FORMAT " · epoch %u",
                            snap->status.step, MAX (snap->status.epoch, 1));
  gtk_label_set_text (GTK_LABEL (self->step_label), step);

  if (snap->status.state == LAB_SESSION_RUNNING && snap->status.samples_per_sec > 0 &&
      self->max_rate > 0)
    speed = g_strdup_printf ("%.0f samples/s (at most %.0f steps/s)", snap->status.samples_per_sec,
                             self->max_rate);
  else if (snap->status.state == LAB_SESSION_RUNNING && snap->status.samples_per_sec > 0)
    speed = g_strdup_printf ("%.0f samples/s", snap->status.samples_per_sec);
  else
    speed = g_strdup ("– samples/s");
  gtk_label_set_text (GTK_LABEL (self->speed_label), speed);

  if (row != NULL && row->step > 0)
    train = g_strdup_printf ("Train loss %.4f · acc %.1f %%", row->loss, 100.0 * row->accuracy);
  else
    train = g_strdup ("Train loss – · acc –");
  gtk_label_set_text (GTK_LABEL (self->train_label), train);

  if (snap->status.eval_step > 0 && isfinite (snap->status.test_loss))
    test = g_strdup_printf ("Test loss %.4f · acc %.1f %% (step %" G_GUINT64_FORMAT ")",
                            snap->status.test_loss, 100.0 * snap->status.test_accuracy,
                            snap->status.eval_step);
  else
    test = g_strdup ("Test loss – · acc –");
  gtk_label_set_text (GTK_LABEL (self->test_label), test);

  if (snap->data_name != NULL)
    data = g_strdup_printf ("%s · %" G_GSIZE_FORMAT " train / %" G_GSIZE_FORMAT " test · %u classes",
                            snap->data_name, snap->n_train, snap->n_test, snap->n_classes);
  gtk_label_set_text (GTK_LABEL (self->data_label), data ? data : "");

  if (snap->status.prune.n_layers > 0)
    {
      g_autofree char *p = g_strdup_printf ("Pruned: %.1f %% of all weights are zero",
                                            100.0 * snap->status.prune.sparsity);
      gtk_label_set_text (GTK_LABEL (self->prune_summary), p);
    }
  else
    gtk_label_set_text (GTK_LABEL (self->prune_summary), "Not pruned yet");
}

/* ------------------------------------------------------------------------------------------ */
/* Error banner                                                                               */

void
lab_window_show_error (LabWindow  *self,
                       const char *message)
{
  g_return_if_fail (LAB_IS_WINDOW (self));
  g_return_if_fail (message != NULL);

  gtk_label_set_text (GTK_LABEL (self->error_label), message);
  gtk_revealer_set_reveal_child (GTK_REVEALER (self->error_revealer), TRUE);
}

static void
dismiss_error_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *param)
{
  LabWindow *self = LAB_WINDOW (widget);

  gtk_revealer_set_reveal_child (GTK_REVEALER (self->error_revealer), FALSE);
}

/* ------------------------------------------------------------------------------------------ */
/* Snapshots                                                                                  */

/* "Auto speed" on a small 2-D set: its default run (9400 steps) takes a fifth of a second at
 * full speed, over before anyone has seen it; at this rate the boundary forms over half a
 * minute. Image data trains at full speed. Entries match speed_dropdown's in lab-window.ui. */
#define AUTO_PLANE_RATE 300.0
static const double speed_rates[] = { -1, 0, 1000, 300, 100, 30, 10 };

static void
apply_speed (LabWindow *self)
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
set_speed_plane (LabWindow *self,
                 gboolean   plane)
{
  self->speed_plane = plane;
  apply_speed (self);
}

static void
prune_now (LabWindow *self)
{
  LabPruneSpec spec;

  lab_settings_panel_get_prune_spec (self->settings_panel, &spec);
  self->last_serial = lab_session_prune_now (self->session, &spec);
}

static void
apply_snapshot (LabWindow  *self,
                LabSession *session)
{
  g_autoptr(LabSnapshot) snap = lab_session_take (session);
  gboolean plane;

  if (snap == NULL)
    return;

  lab_plot_model_apply (self->model, snap);
  if (snap->run_id != lab_plot_model_get_run_id (self->model))
    return;   /* a snapshot of a run that was replaced */

  for (guint i = 0; self->bench != NULL && self->bench->timeout != 0 && i < snap->rows->len; i++)
    {
      const LabStepStats *row = &g_array_index (snap->rows, LabStepStats, i);
      self->bench->steps++;
      self->bench->samples += row->samples;
      self->bench->train_time += row->step_time;
    }

  /* The button follows the engine once it has seen our last play/pause/step. */
  if (snap->status.acked >= self->play_serial)
    {
      self->running = snap->status.state == LAB_SESSION_RUNNING;
      update_play_button (self);
    }

  update_status (self, snap);

  plane = lab_data_source_is_plane (snap->config.data.source);
  if (plane != self->plane)
    {
      self->plane = plane;
      gtk_widget_set_visible (self->boundary_plot, plane);
    }
  if (plane != self->speed_plane)
    set_speed_plane (self, plane);

  if (lab_snapshot_error (snap) != NULL)
    {
      if (g_strcmp0 (lab_snapshot_error (snap), self->last_error) != 0)
        {
          g_free (self->last_error);
          self->last_error = g_strdup (lab_snapshot_error (snap));
          lab_window_show_error (self, lab_snapshot_error (snap));
        }
    }
  else
    g_clear_pointer (&self->last_error, g_free);

  if (self->prune_at_step > 0 && snap->status.step >= self->prune_at_step)
    {
      self->prune_at_step = 0;
      prune_now (self);
    }
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
  apply_snapshot (self, self->session);
}

static void
on_snapshot (LabSession *session,
             gpointer    user_data)
{
  LabWindow *self = user_data;
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
  apply_snapshot (self, session);
}

/* ------------------------------------------------------------------------------------------ */
/* Transport                                                                                  */

static void
do_play (LabWindow *self)
{
  self->play_serial = self->last_serial = lab_session_play (self->session);
  self->running = TRUE;
  update_play_button (self);
}

static void
do_pause (LabWindow *self)
{
  self->play_serial = self->last_serial = lab_session_pause (self->session);
  self->running = FALSE;
  update_play_button (self);
}

static void
play_pause_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *param)
{
  LabWindow *self = LAB_WINDOW (widget);

  if (self->running)
    do_pause (self);
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
  do_pause (LAB_WINDOW (widget));
}

static void
step_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  LabWindow *self = LAB_WINDOW (widget);

  self->play_serial = self->last_serial = lab_session_step (self->session, 1);
  self->running = FALSE;
  update_play_button (self);
}

/* Reset applies the sidebar: a rebuild if a setting waits for it, else the same seed again. */
static void
reset_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *param)
{
  LabWindow *self = LAB_WINDOW (widget);
  gboolean was_running = self->running;

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
      self->last_serial = lab_session_set_config (self->session, &cfg);
      lab_config_clear (&cfg);
      lab_settings_panel_mark_applied (self->settings_panel);
    }
  else
    self->last_serial = lab_session_reset (self->session, -1);

  self->play_serial = self->last_serial;
  self->running = FALSE;
  if (was_running)
    do_play (self);
  update_play_button (self);
}

static void
prune_now_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *param)
{
  prune_now (LAB_WINDOW (widget));
}

static void
on_prune_now (LabSettingsPanel *panel,
              LabWindow        *self)
{
  prune_now (self);
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
/* Configs, presets and files                                                                 */

void
lab_window_apply_config (LabWindow       *self,
                         const LabConfig *cfg)
{
  gboolean was_running;

  g_return_if_fail (LAB_IS_WINDOW (self));
  g_return_if_fail (cfg != NULL);

  was_running = self->running;
  lab_settings_panel_set_config (self->settings_panel, cfg);
  /* before the new run's first steps, not after its first snapshot */
  set_speed_plane (self, lab_data_source_is_plane (cfg->data.source));
  self->play_serial = self->last_serial = lab_session_set_config (self->session, cfg);
  self->running = FALSE;
  if (was_running)
    do_play (self);
  update_play_button (self);
}

gboolean
lab_window_load_preset (LabWindow   *self,
                        const char  *name,
                        GError     **error)
{
  LabConfig cfg;

  g_return_val_if_fail (LAB_IS_WINDOW (self), FALSE);
  g_return_val_if_fail (name != NULL, FALSE);

  lab_config_init_defaults (&cfg);
  if (!lab_config_load_preset (&cfg, name, error))
    {
      lab_config_clear (&cfg);
      return FALSE;
    }
  lab_window_apply_config (self, &cfg);
  lab_config_clear (&cfg);
  return TRUE;
}

static void
load_preset_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *param)
{
  LabWindow *self = LAB_WINDOW (widget);
  g_autoptr(GError) error = NULL;

  if (!lab_window_load_preset (self, g_variant_get_string (param, NULL), &error))
    lab_window_show_error (self, error->message);
}

static void
on_preset_row_activated (GtkListBox    *list,
                         GtkListBoxRow *row,
                         LabWindow     *self)
{
  const char *name = g_object_get_data (G_OBJECT (row), "preset");

  gtk_popover_popdown (GTK_POPOVER (self->presets_popover));
  gtk_widget_activate_action (GTK_WIDGET (self), "win.load-preset", "s", name);
}

static void
fill_presets (LabWindow *self)
{
  g_auto(GStrv) names = lab_config_list_presets ();

  for (guint i = 0; names != NULL && names[i] != NULL; i++)
    {
      g_autofree char *summary = lab_config_preset_summary (names[i]);
      GtkWidget *row = gtk_list_box_row_new ();
      GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
      GtkWidget *title = gtk_label_new (names[i]);
      GtkWidget *sub = gtk_label_new (summary);

      gtk_label_set_xalign (GTK_LABEL (title), 0);
      gtk_widget_add_css_class (title, "heading");
      gtk_label_set_xalign (GTK_LABEL (sub), 0);
      gtk_label_set_wrap (GTK_LABEL (sub), TRUE);
      gtk_label_set_max_width_chars (GTK_LABEL (sub), 50);
      gtk_widget_add_css_class (sub, "dim-label");
      gtk_widget_add_css_class (sub, "caption");
      gtk_box_append (GTK_BOX (box), title);
      if (summary != NULL && *summary != '\0')
        gtk_box_append (GTK_BOX (box), sub);
      else
        g_object_ref_sink (sub), g_object_unref (sub);
      gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
      gtk_widget_set_tooltip_text (row, summary);
      g_object_set_data_full (G_OBJECT (row), "preset", g_strdup (names[i]), g_free);
      gtk_list_box_append (GTK_LIST_BOX (self->presets_list), row);
    }
}

static gboolean
has_suffix_ci (const char *name,
               const char *suffix)
{
  g_autofree char *lower = g_ascii_strdown (name, -1);
  return g_str_has_suffix (lower, suffix);
}

/* A CSV whose first line is a `gradlab-cli sweep` header holds sweep results, not data. */
static gboolean
is_sweep_csv (const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileInputStream) in = g_file_read (file, NULL, NULL);
  char head[128] = { 0 };
  gsize got = 0;

  if (in == NULL)
    return FALSE;
  g_input_stream_read_all (G_INPUT_STREAM (in), head, sizeof head - 1, &got, NULL, NULL);
  return lab_sweep_is_header (head);
}

/* Shows a sweep's accuracy-versus-sparsity curves on the pruning page (one per criterion and
 * fine-tuning length). */
static gboolean
open_sweep (LabWindow   *self,
            const char  *path,
            GError     **error)
{
  g_autoptr(GArray) rows = lab_sweep_load_csv (path, error);
  gboolean several_ft = FALSE;

  if (rows == NULL)
    return FALSE;
  for (guint i = 1; i < rows->len; i++)
    several_ft |= g_array_index (rows, LabSweepRow, i).finetune_epochs !=
                  g_array_index (rows, LabSweepRow, 0).finetune_epochs;
  for (guint i = 0; i < rows->len; i++)
    {
      const LabSweepRow *r = &g_array_index (rows, LabSweepRow, i);
      g_autofree char *name = several_ft
        ? g_strdup_printf ("%s, %u fine-tune epoch%s", r->criterion, r->finetune_epochs,
                           r->finetune_epochs == 1 ? "" : "s")
        : g_strdup (r->criterion);
      lab_plot_model_add_sweep_point (self->model, name,
                                      isfinite (r->achieved_sparsity) ? r->achieved_sparsity
                                                                      : r->sparsity,
                                      r->test_accuracy);
    }
  lab_window_set_page (self, "pruning");
  return TRUE;
}

gboolean
lab_window_open_file (LabWindow  *self,
                      GFile      *file,
                      GError    **error)
{
  g_autofree char *path = NULL;
  g_autofree char *base = NULL;
  LabConfig cfg;

  g_return_val_if_fail (LAB_IS_WINDOW (self), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  path = g_file_get_path (file);
  if (path == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                   "Cannot open “%s”: only local files are supported", g_file_peek_path (file));
      return FALSE;
    }
  base = g_path_get_basename (path);

  if (has_suffix_ci (base, ".gradlab"))
    {
      /* a whole run (lab-window-export.c) */
      guint64 serial = _lab_window_open_run (self, path, error);
      if (serial == 0)
        return FALSE;
      self->play_serial = self->last_serial = serial;
      self->running = FALSE;
      update_play_button (self);
      return TRUE;
    }

  if (has_suffix_ci (base, ".lesson"))
    return lab_window_open_lesson_file (self, path, error);   /* lab-window-classroom.c */

  if (has_suffix_ci (base, ".ini"))
    {
      lab_config_init_defaults (&cfg);
      if (!lab_config_load_file (&cfg, path, error))
        {
          lab_config_clear (&cfg);
          return FALSE;
        }
      lab_window_apply_config (self, &cfg);
      lab_config_clear (&cfg);
      return TRUE;
    }

  lab_settings_panel_get_config (self->settings_panel, &cfg);
  g_clear_pointer (&cfg.data.path, g_free);
  if (g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      cfg.data.source = LAB_DATA_IDX;
      cfg.data.path = g_strdup (path);
    }
  else if (has_suffix_ci (base, ".csv") && is_sweep_csv (path))
    {
      lab_config_clear (&cfg);
      return open_sweep (self, path, error);
    }
  else if (has_suffix_ci (base, ".csv"))
    {
      cfg.data.source = LAB_DATA_CSV;
      cfg.data.path = g_strdup (path);
    }
  else if (strstr (base, "idx") != NULL)
    {
      cfg.data.source = LAB_DATA_IDX;
      cfg.data.path = g_path_get_dirname (path);
    }
  else
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                   "Cannot open “%s”: expected settings (.ini), a saved run (.gradlab), a CSV "
                   "file (.csv), or an IDX data folder", base);
      lab_config_clear (&cfg);
      return FALSE;
    }
  lab_window_apply_config (self, &cfg);
  lab_config_clear (&cfg);
  return TRUE;
}

static GtkFileChooserNative *
chooser_new (LabWindow            *self,
             const char           *title,
             GtkFileChooserAction  action,
             const char           *accept)
{
  GtkFileChooserNative *chooser;

  if (self->chooser != NULL)
    {
      gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
      g_clear_object (&self->chooser);
    }
  chooser = gtk_file_chooser_native_new (title, GTK_WINDOW (self), action, accept, "_Cancel");
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  self->chooser = chooser;
  return chooser;
}

static void
add_filter (GtkFileChooserNative *chooser,
            const char           *name,
            const char * const   *patterns)
{
  GtkFileFilter *filter = gtk_file_filter_new ();

  gtk_file_filter_set_name (filter, name);
  for (guint i = 0; patterns[i] != NULL; i++)
    gtk_file_filter_add_pattern (filter, patterns[i]);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  g_object_unref (filter);
}

static GFile *
chooser_take_file (LabWindow *self,
                   int        response)
{
  GFile *file = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (self->chooser));
  g_clear_object (&self->chooser);
  return file;
}

static void
on_open_response (GtkNativeDialog *dialog,
                  int              response,
                  LabWindow       *self)
{
  g_autoptr(GFile) file = chooser_take_file (self, response);
  g_autoptr(GError) error = NULL;

  if (file != NULL && !lab_window_open_file (self, file, &error))
    lab_window_show_error (self, error->message);
}

static void
open_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  LabWindow *self = LAB_WINDOW (widget);
  GtkFileChooserNative *chooser = chooser_new (self, "Open Data or Settings",
                                               GTK_FILE_CHOOSER_ACTION_OPEN, "_Open");
  static const char * const all[] = { "*.ini", "*.gradlab", "*.csv", "*idx*", NULL };
  static const char * const ini[] = { "*.ini", NULL };
  static const char * const run[] = { "*.gradlab", NULL };
  static const char * const csv[] = { "*.csv", NULL };
  static const char * const idx[] = { "*idx*", NULL };

  add_filter (chooser, "Settings and data", all);
  add_filter (chooser, "Settings (.ini)", ini);
  add_filter (chooser, "Saved runs (.gradlab)", run);
  add_filter (chooser, "CSV data (.csv)", csv);
  add_filter (chooser, "IDX data (MNIST layout)", idx);
  g_signal_connect (chooser, "response", G_CALLBACK (on_open_response), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
on_save_config_response (GtkNativeDialog *dialog,
                         int              response,
                         LabWindow       *self)
{
  g_autoptr(GFile) file = chooser_take_file (self, response);
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  LabConfig cfg;

  if (file == NULL || (path = g_file_get_path (file)) == NULL)
    return;
  lab_settings_panel_get_config (self->settings_panel, &cfg);
  if (!lab_config_save_file (&cfg, path, &error))
    lab_window_show_error (self, error->message);
  lab_config_clear (&cfg);
}

static void
save_config_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *param)
{
  LabWindow *self = LAB_WINDOW (widget);
  GtkFileChooserNative *chooser = chooser_new (self, "Save Settings",
                                               GTK_FILE_CHOOSER_ACTION_SAVE, "_Save");
  static const char * const ini[] = { "*.ini", NULL };

  add_filter (chooser, "Settings (.ini)", ini);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), "gradlab.ini");
  g_signal_connect (chooser, "response", G_CALLBACK (on_save_config_response), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
on_save_weights_response (GtkNativeDialog *dialog,
                          int              response,
                          LabWindow       *self)
{
  g_autoptr(GFile) file = chooser_take_file (self, response);
  g_autofree char *path = NULL;

  if (file == NULL || (path = g_file_get_path (file)) == NULL)
    return;
  /* A failure comes back as the error of a later snapshot. */
  self->last_serial = lab_session_save_weights (self->session, path);
}

static void
save_weights_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *param)
{
  LabWindow *self = LAB_WINDOW (widget);
  GtkFileChooserNative *chooser = chooser_new (self, "Save Weights as NumPy Files to a Folder",
                                               GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER, "_Save");

  g_signal_connect (chooser, "response", G_CALLBACK (on_save_weights_response), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
copy_config_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *param)
{
  LabWindow *self = LAB_WINDOW (widget);
  g_autofree char *text = NULL;
  LabConfig cfg;

  lab_settings_panel_get_config (self->settings_panel, &cfg);
  text = lab_config_to_data (&cfg, NULL);
  lab_config_clear (&cfg);
  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), text);
}

static void
export_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  gtk_menu_button_popup (GTK_MENU_BUTTON (LAB_WINDOW (widget)->export_button));
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
update_actions (LabWindow *self)
{
  gboolean have = self->session != NULL;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.play-pause", have);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.step", have);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.reset", have);
}

/* ------------------------------------------------------------------------------------------ */
/* Transport keys                                                                             */

/* Space, "." and Right drive training wherever the focus is (a teacher presses Space without
 * looking where the focus went), except where those keys edit something: text and numbers,
 * sliders, and popovers (menus, drop-down lists). So they are handled in the capture phase and
 * passed on in those places. */
static gboolean
focus_wants_keys (LabWindow *self)
{
  for (GtkWidget *w = gtk_root_get_focus (GTK_ROOT (self)); w != NULL; w = gtk_widget_get_parent (w))
    if (GTK_IS_EDITABLE (w) || GTK_IS_RANGE (w) || GTK_IS_POPOVER (w) || GTK_IS_LIST_BOX (w))
      return TRUE;
  return FALSE;
}

static gboolean
on_transport_key (GtkWidget *widget,
                  GVariant  *args,
                  gpointer   user_data)
{
  LabWindow *self = LAB_WINDOW (widget);

  if (focus_wants_keys (self))
    return FALSE;
  return gtk_widget_activate_action (widget, user_data, NULL);
}

static void
add_transport_keys (LabWindow *self)
{
  static const struct { guint key; const char *action; } keys[] = {
    { GDK_KEY_space, "win.play-pause" },
    { GDK_KEY_KP_Space, "win.play-pause" },
    { GDK_KEY_period, "win.step" },
    { GDK_KEY_KP_Decimal, "win.step" },
    { GDK_KEY_Right, "win.step" },
  };
  GtkEventController *controller = gtk_shortcut_controller_new ();

  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    gtk_shortcut_controller_add_shortcut (
      GTK_SHORTCUT_CONTROLLER (controller),
      gtk_shortcut_new (gtk_keyval_trigger_new (keys[i].key, 0),
                        gtk_callback_action_new (on_transport_key, (gpointer) keys[i].action,
                                                 NULL)));
  gtk_widget_add_controller (GTK_WIDGET (self), controller);
}

/* ------------------------------------------------------------------------------------------ */
/* Layout                                                                                     */

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

static GtkWidget *
framed (GtkWidget *plot)
{
  gtk_widget_add_css_class (plot, "plot-frame");
  gtk_widget_set_size_request (plot, 200, 160);
  return plot;
}

static void
create_plots (LabWindow *self)
{
  self->grad_plot = framed (lab_grad_plot_new ());
  lab_plot_set_model (LAB_PLOT (self->grad_plot), self->model);
  self->flow_plot = framed (lab_flow_plot_new ());
  lab_plot_set_model (LAB_PLOT (self->flow_plot), self->model);
  self->loss_plot = framed (lab_loss_plot_new ());
  lab_plot_set_model (LAB_PLOT (self->loss_plot), self->model);
  self->act_plot = framed (lab_act_plot_new ());
  lab_plot_set_model (LAB_PLOT (self->act_plot), self->model);
  self->boundary_plot = framed (lab_boundary_plot_new ());
  lab_plot_set_model (LAB_PLOT (self->boundary_plot), self->model);
  self->weights_view = framed (lab_weights_view_new ());
  lab_plot_set_model (LAB_PLOT (self->weights_view), self->model);
  self->sparsity_plot = framed (lab_sparsity_plot_new ());
  lab_plot_set_model (LAB_PLOT (self->sparsity_plot), self->model);
  self->prune_loss_plot = framed (lab_loss_plot_new ());
  lab_plot_set_model (LAB_PLOT (self->prune_loss_plot), self->model);

  /* Gradients page: norms over time (large) | flow across depth;
   *                 loss and accuracy | activations | decision boundary */
  gtk_paned_set_start_child (GTK_PANED (self->grad_top_paned), self->grad_plot);
  gtk_paned_set_end_child (GTK_PANED (self->grad_top_paned), self->flow_plot);
  gtk_paned_set_start_child (GTK_PANED (self->grad_bottom_paned), self->loss_plot);
  gtk_paned_set_start_child (GTK_PANED (self->grad_bottom_right_paned), self->act_plot);
  gtk_paned_set_end_child (GTK_PANED (self->grad_bottom_right_paned), self->boundary_plot);

  /* Pruning page: weight heatmaps (large) | sparsity; loss and accuracy */
  gtk_paned_set_start_child (GTK_PANED (self->prune_paned), self->weights_view);
  gtk_paned_set_start_child (GTK_PANED (self->prune_right_paned), self->sparsity_plot);
  gtk_paned_set_end_child (GTK_PANED (self->prune_right_paned), self->prune_loss_plot);

  /* ‖∂L/∂W‖ versus ‖δ‖ and the smoothing apply to the plots that show gradients. */
  g_object_bind_property (self->grad_w_button, "active", self->grad_plot, "delta",
                          G_BINDING_SYNC_CREATE | G_BINDING_INVERT_BOOLEAN);
  g_object_bind_property (self->grad_w_button, "active", self->flow_plot, "delta",
                          G_BINDING_SYNC_CREATE | G_BINDING_INVERT_BOOLEAN);
  g_object_bind_property (self->smoothing_adjustment, "value", self->grad_plot, "smoothing",
                          G_BINDING_SYNC_CREATE);
}

/* ------------------------------------------------------------------------------------------ */
/* Benchmark                                                                                  */

static gboolean bench_done (gpointer user_data);

static void
bench_on_before_paint (GdkFrameClock *clock,
                       Benchmark     *bench)
{
  bench->paint_start = g_get_monotonic_time ();
}

static void
bench_on_after_paint (GdkFrameClock *clock,
                      Benchmark     *bench)
{
  double ms;

  if (bench->paint_start == 0)
    return;
  ms = (double) (g_get_monotonic_time () - bench->paint_start) / 1000.0;
  bench->paint_start = 0;
  if (bench->timeout == 0)
    {
      /* The clock starts after the first frame (start-up: CSS, first layout), not counted. */
      bench->first_frame = g_get_real_time ();
      bench->timeout = g_timeout_add_seconds (bench->seconds, bench_done, bench->window);
      return;
    }
  g_array_append_val (bench->paint_ms, ms);
}

static void
bench_on_realize (GtkWidget *widget,
                  Benchmark *bench)
{
  if (bench->clock != NULL)
    return;
  /* a reference: the clock can go with the surface before the window's dispose */
  bench->clock = g_object_ref (gtk_widget_get_frame_clock (widget));
  bench->before_paint = g_signal_connect (bench->clock, "before-paint",
                                          G_CALLBACK (bench_on_before_paint), bench);
  bench->after_paint = g_signal_connect (bench->clock, "after-paint",
                                         G_CALLBACK (bench_on_after_paint), bench);
}

static void
bench_free (Benchmark *bench)
{
  if (bench->clock != NULL)
    {
      /* a destroyed surface's clock has already dropped its handlers */
      if (g_signal_handler_is_connected (bench->clock, bench->before_paint))
        g_signal_handler_disconnect (bench->clock, bench->before_paint);
      if (g_signal_handler_is_connected (bench->clock, bench->after_paint))
        g_signal_handler_disconnect (bench->clock, bench->after_paint);
      g_clear_object (&bench->clock);
    }
  g_clear_handle_id (&bench->timeout, g_source_remove);
  g_array_unref (bench->paint_ms);
  g_free (bench);
}

static int
cmp_double (gconstpointer a,
            gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

/* Nearest-rank percentile of a sorted array; 0 when empty. */
static double
percentile (GArray *sorted,
            double  p)
{
  guint rank = (guint) ceil (p * sorted->len);

  if (sorted->len == 0)
    return 0.0;
  return g_array_index (sorted, double, MAX (rank, 1) - 1);
}

static gboolean
bench_done (gpointer user_data)
{
  LabWindow *self = user_data;
  Benchmark *bench = self->bench;
  char sps[G_ASCII_DTOSTR_BUF_SIZE], med[G_ASCII_DTOSTR_BUF_SIZE], p90[G_ASCII_DTOSTR_BUF_SIZE];

  bench->timeout = 0;
  g_array_sort (bench->paint_ms, cmp_double);
  /* g_ascii_formatd: a "." whatever the locale, so scripts can parse the line */
  g_ascii_formatd (sps, sizeof sps, "%.1f", bench->samples / MAX (bench->train_time, 1e-9));
  g_ascii_formatd (med, sizeof med, "%.2f", percentile (bench->paint_ms, 0.5));
  g_ascii_formatd (p90, sizeof p90, "%.2f", percentile (bench->paint_ms, 0.9));
  printf ("window_benchmark seconds=%u steps=%" G_GUINT64_FORMAT " samples_per_sec=%s "
          "frames=%u paint_ms_median=%s paint_ms_p90=%s "
          "first_frame_unix_us=%" G_GINT64_FORMAT " blas_core=%s blas_threads=%u renderer=%s\n",
          bench->seconds, bench->steps, sps, bench->paint_ms->len, med, p90, bench->first_frame,
          lab_blas_core_name (), lab_blas_threads (),
          G_OBJECT_TYPE_NAME (gtk_native_get_renderer (GTK_NATIVE (self))));
  fflush (stdout);
  /* the last window going away ends the application, with status 0 */
  gtk_window_destroy (GTK_WINDOW (self));
  return G_SOURCE_REMOVE;
}

void
lab_window_run_benchmark (LabWindow *self,
                          guint      seconds)
{
  g_return_if_fail (LAB_IS_WINDOW (self));
  g_return_if_fail (self->bench == NULL);

  self->bench = g_new0 (Benchmark, 1);
  self->bench->seconds = seconds;
  self->bench->window = self;
  self->bench->paint_ms = g_array_new (FALSE, FALSE, sizeof (double));
  if (gtk_widget_get_realized (GTK_WIDGET (self)))
    bench_on_realize (GTK_WIDGET (self), self->bench);
  else
    g_signal_connect (self, "realize", G_CALLBACK (bench_on_realize), self->bench);
  apply_speed (self);
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

/* Stops the engine (joins its thread) before any widget the snapshots feed goes away. */
static void
stop_session (LabWindow *self)
{
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

  stop_session (self);
  if (self->bench != NULL)
    {
      g_signal_handlers_disconnect_by_func (self, bench_on_realize, self->bench);
      g_clear_pointer (&self->bench, bench_free);
    }
  if (self->layout_tick != 0)
    {
      gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->layout_tick);
      self->layout_tick = 0;
    }
  if (self->chooser != NULL)
    {
      gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
      g_clear_object (&self->chooser);
    }

  gtk_widget_dispose_template (GTK_WIDGET (self), LAB_TYPE_WINDOW);

  G_OBJECT_CLASS (lab_window_parent_class)->dispose (object);
}

static void
lab_window_finalize (GObject *object)
{
  LabWindow *self = LAB_WINDOW (object);

  g_clear_object (&self->model);
  g_free (self->last_error);

  G_OBJECT_CLASS (lab_window_parent_class)->finalize (object);
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

  /* Referencing the bundle keeps it (and its auto-registration) in the static library's link. */
  if (lab_ui_get_resource () == NULL)
    g_error ("The window's resources are missing");
  g_type_ensure (LAB_TYPE_SETTINGS_PANEL);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/gradlab/GradientLab/ui/lab-window.ui");
#define CHILD(name) gtk_widget_class_bind_template_child (widget_class, LabWindow, name)
  CHILD (play_button);
  CHILD (speed_dropdown);
  CHILD (presets_button);
  CHILD (presets_popover);
  CHILD (presets_list);
  CHILD (export_button);
  CHILD (error_revealer);
  CHILD (error_label);
  CHILD (outer_paned);
  CHILD (settings_panel);
  CHILD (stack);
  CHILD (grad_w_button);
  CHILD (smoothing_adjustment);
  CHILD (grad_vpaned);
  CHILD (grad_top_paned);
  CHILD (grad_bottom_paned);
  CHILD (grad_bottom_right_paned);
  CHILD (heatmaps_button);
  CHILD (prune_summary);
  CHILD (prune_paned);
  CHILD (prune_right_paned);
  CHILD (state_label);
  CHILD (step_label);
  CHILD (speed_label);
  CHILD (train_label);
  CHILD (test_label);
  CHILD (data_label);
#undef CHILD

  gtk_widget_class_install_action (widget_class, "win.play-pause", NULL, play_pause_action);
  gtk_widget_class_install_action (widget_class, "win.play", NULL, play_action);
  gtk_widget_class_install_action (widget_class, "win.pause", NULL, pause_action);
  gtk_widget_class_install_action (widget_class, "win.step", NULL, step_action);
  gtk_widget_class_install_action (widget_class, "win.reset", NULL, reset_action);
  gtk_widget_class_install_action (widget_class, "win.prune-now", NULL, prune_now_action);
  gtk_widget_class_install_action (widget_class, "win.load-preset", "s", load_preset_action);
  gtk_widget_class_install_action (widget_class, "win.show-page", "s", show_page_action);
  gtk_widget_class_install_action (widget_class, "win.open", NULL, open_action);
  gtk_widget_class_install_action (widget_class, "win.save-config", NULL, save_config_action);
  gtk_widget_class_install_action (widget_class, "win.save-weights", NULL, save_weights_action);
  gtk_widget_class_install_action (widget_class, "win.copy-config", NULL, copy_config_action);
  gtk_widget_class_install_action (widget_class, "win.export", NULL, export_action);
  gtk_widget_class_install_action (widget_class, "win.fullscreen", NULL, fullscreen_action);
  gtk_widget_class_install_action (widget_class, "win.dismiss-error", NULL, dismiss_error_action);
  _lab_window_export_class_init (widget_class);   /* export-plot, export-metrics, save-run */
  _lab_window_classroom_class_init (widget_class);   /* lessons, presenter, compare */

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_r, GDK_CONTROL_MASK, "win.reset", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_o, GDK_CONTROL_MASK, "win.open", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK,
                                       "win.save-config", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_e, GDK_CONTROL_MASK, "win.export", NULL);
  /* F11 is presenter mode (fullscreen and more); Shift+F11 plain fullscreen */
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F11, 0, "win.presenter", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F11, GDK_SHIFT_MASK,
                                       "win.fullscreen", NULL);
}

static void
lab_window_init (LabWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->model = lab_plot_model_new ();
  create_plots (self);
  _lab_window_export_init (self);   /* right-click "Export Plot…" on each plot */
  _lab_window_classroom_init (self);   /* lesson panel and Lessons menu */
  fill_presets (self);
  update_play_button (self);
  add_transport_keys (self);

  g_signal_connect (self->presets_list, "row-activated",
                    G_CALLBACK (on_preset_row_activated), self);
  g_signal_connect (self->heatmaps_button, "toggled", G_CALLBACK (on_weights_mode_toggled), self);
  g_signal_connect (self->settings_panel, "live-changed", G_CALLBACK (on_live_changed), self);
  g_signal_connect (self->settings_panel, "prune-now", G_CALLBACK (on_prune_now), self);
  g_signal_connect_swapped (self->speed_dropdown, "notify::selected", G_CALLBACK (apply_speed),
                            self);

  gtk_label_set_text (GTK_LABEL (self->state_label), "Starting…");
  gtk_label_set_text (GTK_LABEL (self->prune_summary), "Not pruned yet");
  self->layout_tick = gtk_widget_add_tick_callback (GTK_WIDGET (self), layout_tick, NULL, NULL);
  self->plane = TRUE;
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
  update_actions (self);

  return self;
}
