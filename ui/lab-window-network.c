/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-window-network.c: the Network page's controls (network_toolbar in lab-window.ui). The
 * colour toggles and the top-k measure set the view's properties (the check buttons are bound
 * in the template); the session is told what heavy parts the view then needs: ∂L/∂W when the
 * connections are coloured by their gradients, and the test image the neurons show their output
 * on, which only image-like data has.
 */
#define G_LOG_DOMAIN "lab-window"

#include "config.h"

#include "lab-network-view.h"
#include "lab-window-private.h"

static LabNetworkView *
view (LabWindow *self)
{
  return LAB_NETWORK_VIEW (self->network_view);
}

/* What the session's heavy snapshots carry for the view. */
static void
send_heavy_parts (LabWindow *self)
{
  LabHeavyParts parts = 0;
  gssize probe = gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (self->net_probe_spin));

  if (lab_network_view_get_color (view (self)) == LAB_NET_COLOR_GRAD)
    parts |= LAB_HEAVY_PART_WEIGHT_GRADS;
  if (self->session != NULL)
    self->last_serial = lab_session_set_heavy_parts (self->session, parts, probe);
}

static void
on_net_color_toggled (LabWindow       *self,
                      GtkToggleButton *button)
{
  LabNetColor color;

  if (!gtk_toggle_button_get_active (button))
    return;   /* the other button of the group says */
  if (GTK_WIDGET (button) == self->net_delta_button)
    color = LAB_NET_COLOR_DELTA;
  else if (GTK_WIDGET (button) == self->net_grad_button)
    color = LAB_NET_COLOR_GRAD;
  else
    color = LAB_NET_COLOR_WEIGHT;
  if (color == lab_network_view_get_color (view (self)))
    return;
  lab_network_view_set_color (view (self), color);
  send_heavy_parts (self);
}

static void
on_net_rank_changed (LabWindow *self)
{
  guint i = gtk_drop_down_get_selected (GTK_DROP_DOWN (self->net_rank_dropdown));

  /* the entries are in LabNetRank's order */
  if (i <= LAB_NET_RANK_ACTIVATION)
    lab_network_view_set_rank (view (self), (LabNetRank) i);
}

static void
on_net_probe_changed (LabWindow *self)
{
  send_heavy_parts (self);
}

void
_lab_window_network_data_changed (LabWindow *self)
{
  /* 2-D data shows maps over the plane instead of one test sample's outputs; a watched run
   * has no test samples here */
  gboolean probe = !self->plane && self->watch == NULL;

  gtk_widget_set_visible (self->net_probe_label, probe);
  gtk_widget_set_visible (self->net_probe_spin, probe);
}

void
_lab_window_network_class_init (GtkWidgetClass *widget_class)
{
#define CHILD(name) gtk_widget_class_bind_template_child (widget_class, LabWindow, name)
  CHILD (network_view);
  CHILD (net_weight_button);
  CHILD (net_delta_button);
  CHILD (net_grad_button);
  CHILD (net_rank_dropdown);
  CHILD (net_probe_label);
  CHILD (net_probe_spin);
#undef CHILD
  gtk_widget_class_bind_template_callback (widget_class, on_net_color_toggled);
  gtk_widget_class_bind_template_callback (widget_class, on_net_rank_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_net_probe_changed);
}
