/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-transport-keys.h: the keys that drive training, the same in every window that trains
 * (the main window and compare mode): Space plays or pauses (win.play-pause), "." or Right
 * takes one step (win.step), Ctrl+R resets (win.reset), F11 toggles presenter mode
 * (win.presenter). The window installs those actions.
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Ctrl+R and F11, as class key bindings (they work wherever the focus is). */
void lab_transport_keys_class_init (GtkWidgetClass *widget_class);
/* Space, "." and Right, caught in the capture phase so a focused button does not take them,
 * except where they edit something: text and numbers, sliders, popovers and lists. */
void lab_transport_keys_attach     (GtkWidget      *window);

G_END_DECLS
