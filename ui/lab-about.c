/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-about.c: the About dialog (see lab-about.h). GTK's own licence text for the GPL carries
 * a link; ours says the same without one and names the files that hold the full text.
 */
#define G_LOG_DOMAIN "lab-about"

#include "config.h"

#include <glib/gi18n.h>

#include "lab-about.h"
#include "lab-blas-core.h"

static const char licence[] =
  N_("Gradient Lab is free software: you can redistribute it and/or modify it under the terms of "
     "the GNU General Public License as published by the Free Software Foundation, either version "
     "3 of the License, or (at your option) any later version (GPL-3.0-or-later).\n\n"
     "It is distributed in the hope that it will be useful, but WITHOUT ANY WARRANTY; without even "
     "the implied warranty of MERCHANTABILITY or FITNESS FOR A PARTICULAR PURPOSE. See the GNU "
     "General Public License for more details.\n\n"
     "The full text of the licence is in the file COPYING that comes with Gradient Lab's source, "
     "and on Debian in /usr/share/common-licenses/GPL-3.");

gboolean
lab_about_has_fashion_mnist (const char *dir)
{
  g_autofree char *plain = g_build_filename (dir, "train-images-idx3-ubyte", NULL);
  g_autofree char *gz = g_build_filename (dir, "train-images-idx3-ubyte.gz", NULL);

  g_return_val_if_fail (dir != NULL, FALSE);

  return g_file_test (plain, G_FILE_TEST_IS_REGULAR) || g_file_test (gz, G_FILE_TEST_IS_REGULAR);
}

char *
lab_about_system_information (void)
{
  g_autofree char *blas = lab_blas_core_describe ();
  GString *info = g_string_new (NULL);

  g_string_append_printf (info, "Gradient Lab %s\n", PACKAGE_VERSION);
  g_string_append_printf (info, "GTK %u.%u.%u, GLib %u.%u.%u, cairo %s, Pango %s\n",
                          gtk_get_major_version (), gtk_get_minor_version (),
                          gtk_get_micro_version (), glib_major_version, glib_minor_version,
                          glib_micro_version, cairo_version_string (), pango_version_string ());
  g_string_append_printf (info, "BLAS: %s\n", blas);
  if (lab_about_has_fashion_mnist (LAB_FASHION_MNIST_DIR))
    g_string_append_printf (info, _("Fashion-MNIST: installed in %s\n"), LAB_FASHION_MNIST_DIR);
  else
    g_string_append_printf (info, _("Fashion-MNIST: not installed (looked in %s; the Debian "
                                    "package dataset-fashion-mnist provides it)\n"),
                            LAB_FASHION_MNIST_DIR);
  return g_string_free (info, FALSE);
}

GtkWindow *
lab_about_new (GtkWindow *parent)
{
  const char *authors[] = { _("The Gradient Lab authors"), NULL };
  static const char *made_with[] = { "GTK", "GLib", "cairo", "Pango", "OpenBLAS", "json-glib",
                                     NULL };
  const char *data[] = { _("Fashion-MNIST by Zalando Research (© 2017 Zalando SE, MIT licence)"),
                         NULL };
  GtkAboutDialog *about = GTK_ABOUT_DIALOG (gtk_about_dialog_new ());
  g_autofree char *info = lab_about_system_information ();

  gtk_window_set_transient_for (GTK_WINDOW (about), parent);
  gtk_window_set_modal (GTK_WINDOW (about), TRUE);
  /* room for the credits and the system information without scrolling */
  gtk_window_set_default_size (GTK_WINDOW (about), 560, 520);
  gtk_about_dialog_set_program_name (about, "Gradient Lab");
  gtk_about_dialog_set_logo_icon_name (about, APP_ID);
  gtk_about_dialog_set_version (about, PACKAGE_VERSION);
  gtk_about_dialog_set_comments (about, _("Train small neural networks live and watch gradients "
                                          "vanish, and prune them and watch what survives."));
  gtk_about_dialog_set_authors (about, authors);
  gtk_about_dialog_add_credit_section (about, _("Made with"), made_with);
  gtk_about_dialog_add_credit_section (about, _("Data"), data);
  gtk_about_dialog_set_license (about, _(licence));
  gtk_about_dialog_set_wrap_license (about, TRUE);
  gtk_about_dialog_set_system_information (about, info);
  return GTK_WINDOW (about);
}
