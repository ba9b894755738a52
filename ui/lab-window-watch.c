/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-window-watch.c: watch mode of the main window (see lab-window-watch.h). This file makes a
 * LabWatch the window's producer of snapshots in place of the session (set_producer), which
 * lab-window.c then takes and applies as it does a session's; it turns the window's controls to
 * a watched run and back, keeps the manifest panel on the run's manifest, and writes the status
 * line:
 *
 *   [Live]  Watching cnn · step 120 · last row 2 s ago · rank 0 of 2    …    Net · 10 classes
 *
 * The state takes the colours of the session state it resembles (lab-watch-describe.c). The
 * age of the last row is measured here against the row's arrival time that came with the
 * latest snapshot, on a one-second timer, so a watch that has nothing new to post still shows
 * time passing.
 *
 * While watching, the window actions that act on its own training (play, step, reset, prune,
 * save weights or settings or the run, compare, and any added later) are disabled: only the
 * ones listed in watch_actions stay. The play/step/reset group, the speed control and the
 * samples/s label are hidden, as they say nothing about another program's run.
 */
#define G_LOG_DOMAIN "lab-window"

#include "config.h"

#include <glib/gi18n.h>
#include <inttypes.h>
#include <math.h>

#include "lab-watch-describe.h"
#include "lab-window-private.h"
#include "lab-window-watch.h"

/* The window actions that still make sense while another program's run is shown. */
static const char * const watch_actions[] = {
  "win.open", "win.watch-run", "win.load-preset", "win.show-page", "win.export",
  "win.export-plot", "win.export-metrics", "win.fullscreen", "win.presenter",
  "win.dismiss-error", "win.help", "win.open-lesson", "win.open-lesson-file", "win.show-lesson",
  NULL,
};

#define WINDOW_TITLE "Gradient Lab"

/* ------------------------------------------------------------------------------------------ */
/* The controls                                                                               */

static void
show_watch_mode (LabWindow *self,
                 gboolean   watching)
{
  GtkWidgetClass *klass = GTK_WIDGET_GET_CLASS (self);
  const GVariantType *param;
  const char *name, *property;
  GType owner;

  /* GTK 4.8 writes every out-argument */
  for (guint i = 0; gtk_widget_class_query_action (klass, i, &owner, &name, &param, &property); i++)
    if (g_str_has_prefix (name, "win.") && !g_strv_contains (watch_actions, name))
      gtk_widget_action_set_enabled (GTK_WIDGET (self), name, !watching);

  gtk_stack_set_visible_child_name (GTK_STACK (self->sidebar_stack),
                                    watching ? "manifest" : "settings");
  /* the linked play, step and reset buttons */
  gtk_widget_set_visible (gtk_widget_get_parent (self->play_button), !watching);
  gtk_widget_set_visible (self->speed_dropdown, !watching);
  gtk_widget_set_visible (self->speed_label, !watching);
}

/* ------------------------------------------------------------------------------------------ */
/* The status line                                                                            */

static const char *
watched_dir (LabWindow *self)
{
  return lab_watch_get_dir (self->watch);
}

/* State, step, age and rank of @snap (NULL: nothing came from the watch yet). */
static void
update_run_line (LabWindow   *self,
                 LabSnapshot *snap)
{
  static const LabRunStatus waiting = { .watch = LAB_WATCH_WAITING };
  const LabRunStatus *st = snap != NULL ? &snap->status : &waiting;
  gint64 now = g_get_monotonic_time ();
  g_autofree char *name = g_path_get_basename (watched_dir (self));
  g_autofree char *state = lab_watch_describe_state (st, now);
  g_autofree char *age = lab_watch_describe_age (st, now);
  GString *line = g_string_new (NULL);

  _lab_window_set_state_label (self, lab_watch_describe_style (st), state);
  g_string_printf (line, _("Watching %s · step %" PRIu64 " · %s"), name, st->step, age);
  if (st->world_size > 1)
    g_string_append_printf (line, _(" · rank %u of %u"), st->rank, st->world_size);
  gtk_label_set_text (GTK_LABEL (self->step_label), line->str);
  g_string_free (line, TRUE);
}

static gboolean
on_watch_tick (gpointer data)
{
  LabWindow *self = data;

  update_run_line (self, lab_plot_model_get_latest (self->model));
  return G_SOURCE_CONTINUE;
}

/* The model, its classes and its writer, from the manifest (if one was read). */
static void
update_data_label (LabWindow *self)
{
  const LabRunManifest *m = lab_manifest_panel_get_manifest (self->manifest_panel);
  g_autofree char *text = m != NULL ? lab_watch_describe_manifest (m) : g_strdup ("");

  gtk_label_set_text (GTK_LABEL (self->data_label), text);
}

void
_lab_window_watch_update_status (LabWindow   *self,
                                 LabSnapshot *snap)
{
  const LabStepStats *row = lab_plot_model_get_last_row (self->model);

  update_run_line (self, snap);
  update_data_label (self);
  /* the writer's own pruning (torch.nn.utils.prune) shows in its rows */
  if (row->step > 0 && isfinite (row->sparsity) && row->sparsity > 0)
    {
      g_autofree char *p = g_strdup_printf (_("Pruned: %.1f %% of all weights are zero"),
                                            100.0 * row->sparsity);
      gtk_label_set_text (GTK_LABEL (self->prune_summary), p);
    }
  else
    gtk_label_set_text (GTK_LABEL (self->prune_summary), _("Not pruned"));
}

void
_lab_window_watch_applied (LabWindow   *self,
                           LabSnapshot *snap)
{
  if (snap->manifest != NULL)
    lab_manifest_panel_set_run (self->manifest_panel, watched_dir (self), snap->manifest, NULL);
  else if (snap->status.watch == LAB_WATCH_WAITING &&
           lab_manifest_panel_get_manifest (self->manifest_panel) == NULL)
    /* a refused run.ini says why; no run directory yet, or none written, says so */
    lab_manifest_panel_set_run (self->manifest_panel, watched_dir (self), NULL,
                                lab_snapshot_error (snap));
}

/* ------------------------------------------------------------------------------------------ */
/* Entering and leaving                                                                       */

static void
on_watch_snapshot (LabWatch *watch,
                   gpointer  user_data)
{
  _lab_window_snapshot_ready (user_data);
}

/* The window's producer from now on: @watch (taken) while a run directory is watched, or its
 * session (NULL). Nothing of the previous producer's run stays in the plots. */
static void
set_producer (LabWindow *self,
              LabWatch  *watch)
{
  if (self->watch != NULL)
    {
      lab_watch_set_consumer (self->watch, NULL, NULL, NULL);
      g_clear_pointer (&self->watch, lab_watch_free);
    }
  _lab_window_hear_session (self, watch == NULL);
  lab_plot_model_clear (self->model);
  self->watch = watch;
  if (watch != NULL)
    lab_watch_set_consumer (watch, NULL, on_watch_snapshot, self);
}

void
lab_window_watch (LabWindow  *self,
                  const char *dir)
{
  g_autofree char *name = NULL;
  g_autofree char *title = NULL;

  g_return_if_fail (LAB_IS_WINDOW (self));
  g_return_if_fail (dir != NULL);

  /* a run file still being read would replace the session's run, not this one */
  _lab_window_cancel_open (self);
  if (self->watch == NULL)
    {
      /* the session waits, paused, until the window trains again */
      _lab_window_sent_pause (self, lab_session_pause (self->session));
      self->prune_at_step = 0;
      show_watch_mode (self, TRUE);
      self->watch_tick = g_timeout_add_seconds (1, on_watch_tick, self);
    }
  set_producer (self, lab_watch_new (dir));
  /* a run directory carries no decision grid: the boundary plot goes, as for images */
  _lab_window_set_plane (self, FALSE);

  lab_manifest_panel_set_run (self->manifest_panel, dir, NULL, NULL);
  /* the banner is the new run's from now on */
  gtk_revealer_set_reveal_child (GTK_REVEALER (self->error_revealer), FALSE);
  g_clear_pointer (&self->last_error, g_free);
  _lab_window_watch_update_status (self, NULL);
  gtk_label_set_text (GTK_LABEL (self->train_label), _("Train loss – · acc –"));
  gtk_label_set_text (GTK_LABEL (self->test_label), _("Test loss – · acc –"));
  gtk_widget_set_tooltip_text (self->step_label, dir);
  name = g_path_get_basename (dir);
  title = g_strdup_printf ("%s — %s", name, WINDOW_TITLE);
  gtk_window_set_title (GTK_WINDOW (self), title);
}

void
_lab_window_leave_watch (LabWindow *self)
{
  if (self->watch == NULL)
    return;
  g_clear_handle_id (&self->watch_tick, g_source_remove);
  set_producer (self, NULL);
  show_watch_mode (self, FALSE);
  _lab_window_network_data_changed (self);
  gtk_widget_set_tooltip_text (self->step_label, NULL);
  gtk_window_set_title (GTK_WINDOW (self), WINDOW_TITLE);
}

void
_lab_window_watch_dispose (LabWindow *self)
{
  g_clear_handle_id (&self->watch_tick, g_source_remove);
  if (self->watch == NULL)
    return;
  lab_watch_set_consumer (self->watch, NULL, NULL, NULL);
  g_clear_pointer (&self->watch, lab_watch_free);
}

LabWatch *
lab_window_get_watch (LabWindow *self)
{
  g_return_val_if_fail (LAB_IS_WINDOW (self), NULL);
  return self->watch;
}

LabManifestPanel *
lab_window_get_manifest_panel (LabWindow *self)
{
  g_return_val_if_fail (LAB_IS_WINDOW (self), NULL);
  return self->manifest_panel;
}

/* ------------------------------------------------------------------------------------------ */
/* Watch a Run…                                                                               */

static void
on_watch_path (LabWindow  *self,
               const char *path)
{
  lab_window_watch (self, path);
}

static void
watch_run_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *param)
{
  /* any folder: one without run.ini yet is watched until its writer starts */
  _lab_window_choose_file (LAB_WINDOW (widget), _("Watch a Run Directory"),
                           GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER, NULL, NULL, on_watch_path);
}

void
_lab_window_watch_class_init (GtkWidgetClass *widget_class)
{
  g_type_ensure (LAB_TYPE_MANIFEST_PANEL);
  gtk_widget_class_install_action (widget_class, "win.watch-run", NULL, watch_run_action);
}
