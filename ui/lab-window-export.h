/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-window-export.h: the window's export and run-file side: plots to PNG/SVG/PDF (a small
 * dialog, the export menu and a right-click "Export Plot…" on every plot), the metrics log to
 * CSV / JSON Lines, and whole runs to and from .gradlab files (lab-runfile.h). Kept apart from
 * lab-window.c, which only installs these actions and routes .gradlab files here.
 */
#pragma once

#include <gtk/gtk.h>

#include "lab-window.h"

G_BEGIN_DECLS

/* The first plot of @plot_type in the window (plots are the widgets bound to its plot model),
 * or NULL. */
GtkWidget *lab_window_find_plot          (LabWindow   *self,
                                          GType        plot_type);
/* Opens the plot export dialog with @plot (NULL: the first plot) selected; returns it. */
GtkWindow *lab_window_show_export_dialog (LabWindow   *self,
                                          GtkWidget   *plot);

/* Every metrics row of the current run to CSV or JSON Lines (by extension). Sets @note (if not
 * NULL) to a sentence for the user when the log had to be thinned, else NULL. */
gboolean   lab_window_export_metrics     (LabWindow   *self,
                                          const char  *path,
                                          char       **note,
                                          GError     **error);

/* TRUE when the engine is paused (or finished) and the window holds the weights of its last
 * step: a run file saved now is consistent. */
gboolean   lab_window_run_at_rest        (LabWindow   *self);
/* Saves the run (settings, weights, mask, metrics, latest evaluation); needs a run at rest
 * (the save action pauses first and waits). */
gboolean   lab_window_save_run           (LabWindow   *self,
                                          const char  *path,
                                          GError     **error);

/* For lab-window.c. */
void       _lab_window_export_class_init (GtkWidgetClass *widget_class);
void       _lab_window_export_init       (LabWindow   *self);
/* Reopens a run file: its settings, then its weights (paused); the plots get its history back.
 * Returns the serial of the last command sent, 0 with @error on failure. */
guint64    _lab_window_open_run          (LabWindow   *self,
                                          const char  *path,
                                          GError     **error);

G_END_DECLS
