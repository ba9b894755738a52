/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-test-ui.h: helpers the UI tests share (lab-test-utils.h holds those without GTK).
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* The first widget of @type at or under @root, in tree order (depth first, children in order),
 * or NULL. */
GtkWidget *lab_test_find_widget (GtkWidget *root,
                                 GType      type);

G_END_DECLS
