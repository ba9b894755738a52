/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-window-status.c: what the main window says about its run: the status line (state, step,
 * speed, losses, data, the pruned share; a watched run's are lab-window-watch.c's), the play
 * button's icon, the error banner, and what the window is doing while a run file is read or
 * written. lab-window.c calls these for every
 * snapshot applied (~30 Hz), so each setter leaves a widget alone when nothing changed.
 */
#define G_LOG_DOMAIN "lab-window"

#include "config.h"

#include <glib/gi18n.h>
#include <inttypes.h>
#include <math.h>

#include "lab-blas-core.h"
#include "lab-window-private.h"

static const char *state_classes[] = { "paused", "running", "finished", "failed" };

void
_lab_window_set_state_label (LabWindow       *self,
                             LabSessionState  style,
                             const char      *text)
{
  g_autofree char *blas = NULL, *tooltip = NULL;

  /* Called for every snapshot (30 Hz): re-setting the tooltip and the state classes restyles
   * the label each time, which cost a second, empty frame after every real one. */
  if (g_strcmp0 (gtk_label_get_text (GTK_LABEL (self->state_label)), text) == 0 &&
      gtk_widget_has_css_class (self->state_label, state_classes[style]))
    return;
  gtk_label_set_text (GTK_LABEL (self->state_label), text);
  blas = lab_blas_core_describe ();
  tooltip = g_strdup_printf ("%s\n%s", text, blas);
  gtk_widget_set_tooltip_text (self->state_label, tooltip);
  for (guint i = 0; i < G_N_ELEMENTS (state_classes); i++)
    gtk_widget_remove_css_class (self->state_label, state_classes[i]);
  gtk_widget_add_css_class (self->state_label, state_classes[style]);
}

static void
set_state_label (LabWindow       *self,
                 LabSessionState  state,
                 const char      *error)
{
  g_autofree char *text = NULL;

  switch (state)
    {
    case LAB_SESSION_PAUSED:
      text = g_strdup (_("Paused"));
      break;
    case LAB_SESSION_RUNNING:
      text = g_strdup (_("Running"));
      break;
    case LAB_SESSION_FINISHED:
      text = g_strdup (_("Finished"));
      break;
    case LAB_SESSION_FAILED:
    default:
      state = LAB_SESSION_FAILED;
      text = g_strdup_printf (_("Stopped: %s"), error ? error : _("unknown error"));
      break;
    }
  _lab_window_set_state_label (self, state, text);
}

void
_lab_window_update_play_button (LabWindow *self)
{
  const char *icon = self->running ? "media-playback-pause-symbolic"
                                   : "media-playback-start-symbolic";

  /* Called for every snapshot: setting even the same icon name replaces the button's image,
   * which redraws the header bar and so stretched every frame's repaint to the whole window. */
  if (g_strcmp0 (gtk_button_get_icon_name (GTK_BUTTON (self->play_button)), icon) == 0)
    return;
  gtk_button_set_icon_name (GTK_BUTTON (self->play_button), icon);
  gtk_widget_set_tooltip_text (self->play_button,
                               self->running ? _("Pause training (Space)")
                                             : _("Start training (Space)"));
  /* an icon-only button: its accessible name says what pressing it does now */
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->play_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  self->running ? _("Pause training") : _("Start training"), -1);
}

/* State, step, speed, data and pruning of the session's own run. */
static void
update_session_status (LabWindow   *self,
                       LabSnapshot *snap)
{
  const LabRunStatus *st = &snap->status;
  g_autofree char *step = NULL;
  g_autofree char *speed = NULL;
  g_autofree char *data = NULL;

  set_state_label (self, st->state, lab_snapshot_error (snap));

  if (st->total_steps > 0)
    step = g_strdup_printf (_("Step %" PRIu64 " of %" PRIu64 " · epoch %u"),
                            st->step, st->total_steps, MAX (st->epoch, 1));
  else
    step = g_strdup_printf (_("Step %" PRIu64 " · epoch %u"),
                            st->step, MAX (st->epoch, 1));
  gtk_label_set_text (GTK_LABEL (self->step_label), step);

  if (st->state == LAB_SESSION_RUNNING && st->samples_per_sec > 0 && self->max_rate > 0)
    speed = g_strdup_printf (_("%.0f samples/s (at most %.0f steps/s)"), st->samples_per_sec,
                             self->max_rate);
  else if (st->state == LAB_SESSION_RUNNING && st->samples_per_sec > 0)
    speed = g_strdup_printf (_("%.0f samples/s"), st->samples_per_sec);
  else
    speed = g_strdup (_("– samples/s"));
  gtk_label_set_text (GTK_LABEL (self->speed_label), speed);

  if (snap->data_name != NULL)
    data = g_strdup_printf (_("%s · %zu train / %zu test · %u classes"), snap->data_name,
                            snap->n_train, snap->n_test, snap->n_classes);
  gtk_label_set_text (GTK_LABEL (self->data_label), data ? data : "");

  if (st->prune.n_layers > 0)
    {
      g_autofree char *p = g_strdup_printf (_("Pruned: %.1f %% of all weights are zero"),
                                            100.0 * st->prune.sparsity);
      gtk_label_set_text (GTK_LABEL (self->prune_summary), p);
    }
  else
    gtk_label_set_text (GTK_LABEL (self->prune_summary), _("Not pruned yet"));
}

void
_lab_window_update_status (LabWindow   *self,
                           LabSnapshot *snap)
{
  const LabStepStats *row = lab_plot_model_get_last_row (self->model);
  const LabRunStatus *st = &snap->status;
  g_autofree char *train = NULL;
  g_autofree char *test = NULL;

  if (self->watch != NULL)
    _lab_window_watch_update_status (self, snap);
  else
    update_session_status (self, snap);

  if (row != NULL && row->step > 0)
    {
      /* a watched model that is not a classifier has no accuracy */
      g_autofree char *acc = isfinite (row->accuracy)
                               ? g_strdup_printf ("%.1f %%", 100.0 * row->accuracy)
                               : g_strdup ("–");
      train = g_strdup_printf (_("Train loss %.4f · acc %s"), row->loss, acc);
    }
  else
    train = g_strdup (_("Train loss – · acc –"));
  gtk_label_set_text (GTK_LABEL (self->train_label), train);

  if (st->eval_step > 0 && isfinite (st->test_loss))
    test = g_strdup_printf (_("Test loss %.4f · acc %.1f %% (step %" PRIu64 ")"),
                            st->test_loss, 100.0 * st->test_accuracy, st->eval_step);
  else
    test = g_strdup (_("Test loss – · acc –"));
  gtk_label_set_text (GTK_LABEL (self->test_label), test);
}

void
_lab_window_begin_busy (LabWindow  *self,
                        const char *what)
{
  self->busy++;
  gtk_label_set_text (GTK_LABEL (self->busy_label), what);
  gtk_widget_set_visible (self->busy_label, TRUE);
}

void
_lab_window_end_busy (LabWindow *self)
{
  g_return_if_fail (self->busy > 0);

  if (--self->busy == 0 && !self->closed)
    gtk_widget_set_visible (self->busy_label, FALSE);
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

void
_lab_window_status_class_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.dismiss-error", NULL, dismiss_error_action);
}
