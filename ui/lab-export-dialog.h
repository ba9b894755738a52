/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-export-dialog.h: the Export Plot dialog of the main window: which of its plots, PNG, SVG
 * or PDF, the size and scale; then a file chooser, and lab_export_plot() writes the file. A
 * failure shows in the window's error banner and leaves the dialog open.
 */
#pragma once

#include <gtk/gtk.h>

#include "lab-window.h"

G_BEGIN_DECLS

#define LAB_TYPE_EXPORT_DIALOG (lab_export_dialog_get_type ())
G_DECLARE_FINAL_TYPE (LabExportDialog, lab_export_dialog, LAB, EXPORT_DIALOG, GtkWindow)

/* Modal over @window, with @plot (NULL: the first plot) selected; destroyed with @window. */
LabExportDialog *lab_export_dialog_new (LabWindow *window,
                                        GtkWidget *plot);

G_END_DECLS
