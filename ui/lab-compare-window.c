/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-compare-window.c: compare mode (see lab-compare-window.h). The window owns a LabLockstep
 * (engine/lab-lockstep.c, which owns the two sessions and keeps them at equal steps) and one
 * LabPlotModel per side. Each delivery carries the snapshots of both sides up to the same step;
 * the window applies them to the two models in one go, so the two columns never show different
 * steps. The plots of a row share their axes (lab_plot_share_axes()): same scales on both sides.
 */
#define G_LOG_DOMAIN "lab-compare-window"

#include "config.h"

#include <math.h>
#include <string.h>

#include "lab-compare-window.h"
#include "lab-flow-plot.h"
#include "lab-grad-plot.h"
#include "lab-loss-plot.h"

/* steps per lock-step round: small enough for smooth curves, large enough to keep both
 * engines busy between two main-loop round trips */
#define CHUNK 10

struct _LabCompareWindow
{
  GtkApplicationWindow  parent_instance;

  /* owned */
  LabLockstep          *lockstep;
  LabPlotModel         *model[2];
  guint                 deliveries;
  gboolean              presenter;

  /* children */
  GtkWidget            *play_button;
  GtkWidget            *status[2];
  GtkWidget            *step_label;
  GtkWidget            *grad_plot[2];
  GtkWidget            *flow_plot[2];
  GtkWidget            *loss_plot[2];
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

static void
update_status (LabCompareWindow *self)
{
  g_autofree char *step = NULL;

  for (guint s = 0; s < 2; s++)
    {
      const LabStepStats *row = lab_plot_model_get_last_row (self->model[s]);
      LabSnapshot *snap = lab_plot_model_get_latest (self->model[s]);
      g_autofree char *text = NULL;

      if (snap != NULL && snap->status.state == LAB_SESSION_FAILED)
        text = g_strdup_printf ("Stopped at step %" G_GUINT64_FORMAT ": %s", snap->status.step,
                                snap->status.error[0] ? snap->status.error : "unknown error");
      else if (row != NULL && row->step > 0)
        text = g_strdup_printf ("Loss %.4f · accuracy %.1f %%", row->loss, 100.0 * row->accuracy);
      else
        text = g_strdup ("Loss – · accuracy –");
      gtk_label_set_text (GTK_LABEL (self->status[s]), text);
      gtk_widget_set_tooltip_text (self->status[s], text);
    }
  step = g_strdup_printf ("Step %" G_GUINT64_FORMAT " on both sides%s",
                          lab_lockstep_get_step (self->lockstep),
                          lab_lockstep_is_playing (self->lockstep) ? "" : " · paused");
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
  gboolean playing = lab_lockstep_is_playing (self->lockstep);

  gtk_button_set_icon_name (GTK_BUTTON (self->play_button),
                            playing ? "media-playback-pause-symbolic"
                                    : "media-playback-start-symbolic");
  gtk_widget_set_tooltip_text (self->play_button,
                               playing ? "Pause both (Space)" : "Train both in lock-step (Space)");
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

  lab_lockstep_play (self->lockstep);
  update_play_button (self);
  update_status (self);
}

void
lab_compare_window_pause (LabCompareWindow *self)
{
  g_return_if_fail (LAB_IS_COMPARE_WINDOW (self));

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

/* Space and "." work wherever the focus is (nothing in this window edits text). */
static gboolean
on_key (GtkWidget *widget,
        GVariant  *args,
        gpointer   user_data)
{
  return gtk_widget_activate_action (widget, user_data, NULL);
}

static void
add_keys (LabCompareWindow *self)
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
                        gtk_callback_action_new (on_key, (gpointer) keys[i].action, NULL)));
  gtk_widget_add_controller (GTK_WIDGET (self), controller);
}

/* ------------------------------------------------------------------------------------------ */
/* Layout                                                                                     */

static GtkWidget *
framed (GtkWidget *plot)
{
  gtk_widget_add_css_class (plot, "plot-frame");
  gtk_widget_set_size_request (plot, 200, 140);
  gtk_widget_set_hexpand (plot, TRUE);
  gtk_widget_set_vexpand (plot, TRUE);
  return plot;
}

static GtkWidget *
transport_button (const char *icon,
                  const char *action,
                  const char *tooltip)
{
  GtkWidget *button = gtk_button_new_from_icon_name (icon);

  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), action);
  gtk_widget_set_tooltip_text (button, tooltip);
  gtk_widget_set_focus_on_click (button, FALSE);
  return button;
}

static void
build (LabCompareWindow *self)
{
  GtkWidget *header = gtk_header_bar_new ();
  GtkWidget *transport = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  GtkWidget *presenter = transport_button ("view-fullscreen-symbolic", "win.presenter",
                                           "Presenter mode: fullscreen, large text (F11)");
  GtkWidget *outer = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *grid = gtk_grid_new ();
  GtkWidget *bar = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 18);

  self->play_button = transport_button ("media-playback-start-symbolic", "win.play-pause",
                                        "Train both in lock-step (Space)");
  gtk_widget_add_css_class (self->play_button, "suggested-action");
  gtk_widget_add_css_class (transport, "linked");
  gtk_box_append (GTK_BOX (transport), self->play_button);
  gtk_box_append (GTK_BOX (transport),
                  transport_button ("media-skip-forward-symbolic", "win.step",
                                    "One step on both sides (. or →)"));
  gtk_box_append (GTK_BOX (transport),
                  transport_button ("view-refresh-symbolic", "win.reset",
                                    "Start both over with the same seeds (Ctrl+R)"));
  gtk_header_bar_pack_start (GTK_HEADER_BAR (header), transport);
  gtk_header_bar_pack_end (GTK_HEADER_BAR (header), presenter);
  gtk_window_set_titlebar (GTK_WINDOW (self), header);

  gtk_grid_set_column_homogeneous (GTK_GRID (grid), TRUE);
  gtk_grid_set_column_spacing (GTK_GRID (grid), 12);
  gtk_widget_add_css_class (grid, "compare-grid");
  gtk_widget_set_vexpand (grid, TRUE);
  for (guint s = 0; s < 2; s++)
    {
      self->grad_plot[s] = framed (lab_grad_plot_new ());
      lab_plot_set_model (LAB_PLOT (self->grad_plot[s]), self->model[s]);
      lab_grad_plot_set_smoothing (LAB_GRAD_PLOT (self->grad_plot[s]), 0.9);
      self->flow_plot[s] = framed (lab_flow_plot_new ());
      lab_plot_set_model (LAB_PLOT (self->flow_plot[s]), self->model[s]);
      self->loss_plot[s] = framed (lab_loss_plot_new ());
      lab_plot_set_model (LAB_PLOT (self->loss_plot[s]), self->model[s]);
      self->status[s] = gtk_label_new (NULL);
      gtk_label_set_xalign (GTK_LABEL (self->status[s]), 0);
      gtk_label_set_ellipsize (GTK_LABEL (self->status[s]), PANGO_ELLIPSIZE_END);
      gtk_widget_add_css_class (self->status[s], "numeric");
      gtk_widget_add_css_class (self->status[s], "compare-status");

      gtk_grid_attach (GTK_GRID (grid), self->grad_plot[s], s, 1, 1, 1);
      gtk_grid_attach (GTK_GRID (grid), self->flow_plot[s], s, 2, 1, 1);
      gtk_grid_attach (GTK_GRID (grid), self->loss_plot[s], s, 3, 1, 1);
      gtk_grid_attach (GTK_GRID (grid), self->status[s], s, 4, 1, 1);
    }
  /* each row shares its scales across the two sides: the right plot draws on the left one's
   * axes, which span the data of both */
  lab_plot_share_axes (LAB_PLOT (self->grad_plot[1]), LAB_PLOT (self->grad_plot[0]));
  lab_plot_share_axes (LAB_PLOT (self->flow_plot[1]), LAB_PLOT (self->flow_plot[0]));
  lab_plot_share_axes (LAB_PLOT (self->loss_plot[1]), LAB_PLOT (self->loss_plot[0]));

  self->step_label = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (self->step_label), 0);
  gtk_widget_add_css_class (self->step_label, "numeric");
  gtk_box_append (GTK_BOX (bar), self->step_label);
  gtk_widget_add_css_class (bar, "status-bar");

  gtk_box_append (GTK_BOX (outer), grid);
  gtk_box_append (GTK_BOX (outer), bar);
  gtk_window_set_child (GTK_WINDOW (self), outer);
}

static GtkWidget *
side_heading (const char *name,
              const char *difference)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *title = gtk_label_new (name);
  GtkWidget *diff = gtk_label_new (*difference ? difference : "the same settings");

  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_label_set_ellipsize (GTK_LABEL (title), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (title, "compare-title");
  gtk_label_set_xalign (GTK_LABEL (diff), 0);
  gtk_label_set_wrap (GTK_LABEL (diff), TRUE);
  gtk_widget_add_css_class (diff, "compare-difference");
  gtk_box_append (GTK_BOX (box), title);
  gtk_box_append (GTK_BOX (box), diff);
  gtk_widget_add_css_class (box, "compare-heading");
  return box;
}

/* ------------------------------------------------------------------------------------------ */
/* GObject                                                                                    */

static void
stop (LabCompareWindow *self)
{
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

  G_OBJECT_CLASS (lab_compare_window_parent_class)->dispose (object);
}

static void
lab_compare_window_finalize (GObject *object)
{
  LabCompareWindow *self = LAB_COMPARE_WINDOW (object);

  g_clear_object (&self->model[0]);
  g_clear_object (&self->model[1]);

  G_OBJECT_CLASS (lab_compare_window_parent_class)->finalize (object);
}

static void
lab_compare_window_class_init (LabCompareWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = lab_compare_window_dispose;
  object_class->finalize = lab_compare_window_finalize;
  window_class->close_request = lab_compare_window_close_request;

  gtk_widget_class_install_action (widget_class, "win.play-pause", NULL, play_pause_action);
  gtk_widget_class_install_action (widget_class, "win.step", NULL, step_action);
  gtk_widget_class_install_action (widget_class, "win.reset", NULL, reset_action);
  gtk_widget_class_install_action (widget_class, "win.presenter", NULL, presenter_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_r, GDK_CONTROL_MASK, "win.reset", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F11, 0, "win.presenter", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_w, GDK_CONTROL_MASK,
                                       "window.close", NULL);
}

static void
lab_compare_window_init (LabCompareWindow *self)
{
  self->model[0] = lab_plot_model_new ();
  self->model[1] = lab_plot_model_new ();
  gtk_window_set_title (GTK_WINDOW (self), "Compare — Gradient Lab");
  gtk_window_set_default_size (GTK_WINDOW (self), 1500, 940);
  gtk_widget_add_css_class (GTK_WIDGET (self), "compare");
  build (self);
  add_keys (self);
}

LabCompareWindow *
lab_compare_window_new (GtkApplication  *app,
                        const LabConfig *cfg0,
                        const char      *name0,
                        const LabConfig *cfg1,
                        const char      *name1)
{
  LabCompareWindow *self;
  GtkGrid *grid;
  g_autofree char *d0 = NULL;
  g_autofree char *d1 = NULL;
  g_autofree char *title = NULL;

  g_return_val_if_fail (cfg0 != NULL && cfg1 != NULL, NULL);

  self = g_object_new (LAB_TYPE_COMPARE_WINDOW, "application", app, NULL);
  d0 = lab_compare_describe_difference (cfg0, cfg1, FALSE);
  d1 = lab_compare_describe_difference (cfg0, cfg1, TRUE);
  grid = GTK_GRID (gtk_widget_get_parent (self->grad_plot[0]));
  gtk_grid_attach (grid, side_heading (name0 ? name0 : "A", d0), 0, 0, 1, 1);
  gtk_grid_attach (grid, side_heading (name1 ? name1 : "B", d1), 1, 0, 1, 1);
  title = g_strdup_printf ("Compare %s with %s", name0 ? name0 : "A", name1 ? name1 : "B");
  gtk_window_set_title (GTK_WINDOW (self), title);

  self->lockstep = lab_lockstep_new (cfg0, cfg1, CHUNK);
  lab_lockstep_set_consumer (self->lockstep, NULL, on_deliver, self);
  update_play_button (self);
  update_status (self);
  return self;
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
