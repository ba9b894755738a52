/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-window-export.h: the window's export side: any plot to PNG/SVG/PDF (the export menu and a
 * right-click "Export Plot…" on every plot open lab-export-dialog.c), and the metrics log to
 * CSV / JSON Lines. Run files are lab-window-runfile.h.
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

G_END_DECLS
