/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-file-chooser.h: the one way the UI asks for a file or folder. GTK 4.8 has no GtkFileDialog,
 * so this is GtkFileChooserNative (a portal when there is one), modal over its parent. A native
 * dialog holds a reference to its parent: its owner keeps it in a field and clears it with
 * lab_file_chooser_clear() when answered and on dispose.
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* @accept labels the accept button ("_Open"). @filters: pairs of a name and ';'-separated
 * patterns ("Settings (.ini)", "*.ini"), then NULL; may be NULL. @current_name (save only)
 * may be NULL. Connect "response", then show. */
GtkFileChooserNative *lab_file_chooser_new      (GtkWindow             *parent,
                                                 const char            *title,
                                                 GtkFileChooserAction   action,
                                                 const char            *accept,
                                                 const char            *current_name,
                                                 const char * const    *filters);
/* In a "response" handler: the local path chosen, or NULL (cancelled, or not a local file);
 * destroys *@chooser and sets it to NULL. */
char                 *lab_file_chooser_finish   (GtkFileChooserNative **chooser,
                                                 int                    response);
/* Destroys *@chooser (hides it if shown) and sets it to NULL; nothing if already NULL. */
void                  lab_file_chooser_clear    (GtkFileChooserNative **chooser);

G_END_DECLS
