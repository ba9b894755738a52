/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-file-chooser.c: file choosers for the window, the export dialog and the settings panel
 * (see lab-file-chooser.h).
 */
#define G_LOG_DOMAIN "lab-file-chooser"

#include "config.h"

#include <glib/gi18n.h>

#include "lab-file-chooser.h"

GtkFileChooserNative *
lab_file_chooser_new (GtkWindow            *parent,
                      const char           *title,
                      GtkFileChooserAction  action,
                      const char           *accept,
                      const char           *current_name,
                      const char * const   *filters)
{
  GtkFileChooserNative *chooser;

  chooser = gtk_file_chooser_native_new (title, parent, action, accept, _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  for (guint i = 0; filters != NULL && filters[i] != NULL && filters[i + 1] != NULL; i += 2)
    {
      g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
      g_auto(GStrv) patterns = g_strsplit (filters[i + 1], ";", -1);

      gtk_file_filter_set_name (filter, _(filters[i]));
      for (guint p = 0; patterns[p] != NULL; p++)
        gtk_file_filter_add_pattern (filter, patterns[p]);
      gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
    }
  if (current_name != NULL)
    gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), current_name);
  return chooser;
}

char *
lab_file_chooser_finish (GtkFileChooserNative **chooser,
                         int                    response)
{
  g_autoptr(GFile) file = NULL;

  g_return_val_if_fail (chooser != NULL && GTK_IS_FILE_CHOOSER_NATIVE (*chooser), NULL);

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (*chooser));
  lab_file_chooser_clear (chooser);
  return file != NULL ? g_file_get_path (file) : NULL;
}

void
lab_file_chooser_clear (GtkFileChooserNative **chooser)
{
  g_return_if_fail (chooser != NULL);

  if (*chooser == NULL)
    return;
  gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (*chooser));
  g_clear_object (chooser);
}
