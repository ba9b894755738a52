/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-about.h: the About dialog (app.about): version, the BLAS kernels and threads, whether
 * Fashion-MNIST is installed and where, the licence (GPL-3.0-or-later) and a credits list.
 * Nothing in it is a link: a classroom may have no network and no browser.
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* The dialog, transient for @parent (may be NULL); not yet shown. */
GtkWindow *lab_about_new                (GtkWindow  *parent);
/* Its "system information": one line each for the version, the libraries, BLAS and the data. */
char      *lab_about_system_information (void);
/* Whether Fashion-MNIST's training images are in @dir (plain or .gz). */
gboolean   lab_about_has_fashion_mnist  (const char *dir);

G_END_DECLS
