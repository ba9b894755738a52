/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-transport-keys.c: the training keys of lab-window.c and lab-compare-window.c (see
 * lab-transport-keys.h). A teacher presses Space without looking where the focus went, so the
 * keys are handled before the focused widget, and passed on only where they edit something.
 */
#define G_LOG_DOMAIN "lab-transport-keys"

#include "config.h"

#include "lab-transport-keys.h"

static gboolean
focus_wants_keys (GtkWidget *window)
{
  GtkWidget *w;

  for (w = gtk_root_get_focus (GTK_ROOT (window)); w != NULL; w = gtk_widget_get_parent (w))
    if (GTK_IS_EDITABLE (w) || GTK_IS_RANGE (w) || GTK_IS_POPOVER (w) || GTK_IS_LIST_BOX (w))
      return TRUE;
  return FALSE;
}

static gboolean
on_transport_key (GtkWidget *widget,
                  GVariant  *args,
                  gpointer   user_data)
{
  if (focus_wants_keys (widget))
    return FALSE;
  return gtk_widget_activate_action (widget, user_data, NULL);
}

void
lab_transport_keys_attach (GtkWidget *window)
{
  static const struct { guint key; const char *action; } keys[] = {
    { GDK_KEY_space, "win.play-pause" },
    { GDK_KEY_KP_Space, "win.play-pause" },
    { GDK_KEY_period, "win.step" },
    { GDK_KEY_KP_Decimal, "win.step" },
    { GDK_KEY_Right, "win.step" },
  };
  GtkEventController *controller;

  g_return_if_fail (GTK_IS_ROOT (window));

  controller = gtk_shortcut_controller_new ();
  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    gtk_shortcut_controller_add_shortcut (
      GTK_SHORTCUT_CONTROLLER (controller),
      gtk_shortcut_new (gtk_keyval_trigger_new (keys[i].key, 0),
                        gtk_callback_action_new (on_transport_key, (gpointer) keys[i].action,
                                                 NULL)));
  gtk_widget_add_controller (window, controller);
}

void
lab_transport_keys_class_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_r, GDK_CONTROL_MASK, "win.reset",
                                       NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F11, 0, "win.presenter", NULL);
}
