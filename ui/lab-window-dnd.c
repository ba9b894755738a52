/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-window-dnd.c: files and folders dropped on the main window. A drop opens what Open would
 * open (lab_window_open_file(): settings, a saved run, a lesson, a sweep, data, and a run
 * directory, which is watched), so dragging a run's folder from a file manager shows it live.
 * Of several files dropped at once the first is opened: each kind replaces the window's run.
 */
#define G_LOG_DOMAIN "lab-window"

#include "config.h"

#include "lab-window-private.h"

static gboolean
on_drop (GtkDropTarget *target,
         const GValue  *value,
         double         x,
         double         y,
         LabWindow     *self)
{
  g_autoptr(GError) error = NULL;
  GFile *file = NULL;

  if (G_VALUE_HOLDS (value, GDK_TYPE_FILE_LIST))
    {
      GSList *files = gdk_file_list_get_files (g_value_get_boxed (value));

      file = files != NULL ? files->data : NULL;
      g_slist_free (files);
    }
  else if (G_VALUE_HOLDS (value, G_TYPE_FILE))
    file = g_value_get_object (value);
  if (file == NULL)
    return FALSE;
  if (!lab_window_open_file (self, file, &error))
    lab_window_show_error (self, error->message);
  return TRUE;
}

void
_lab_window_dnd_init (LabWindow *self)
{
  GtkDropTarget *target = gtk_drop_target_new (G_TYPE_INVALID, GDK_ACTION_COPY);
  GType types[] = { GDK_TYPE_FILE_LIST, G_TYPE_FILE };

  gtk_drop_target_set_gtypes (target, types, G_N_ELEMENTS (types));
  g_signal_connect (target, "drop", G_CALLBACK (on_drop), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (target));
}
