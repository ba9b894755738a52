/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-export.h: plots to image files for slides and papers. A fresh widget of the plot's type,
 * bound to the same LabPlotModel and given the same settings (properties) as the one on screen,
 * is laid out offscreen at the asked size, snapshotted, and its render node drawn with Cairo on
 * a PNG image, SVG or PDF surface. The file is written to a temporary name and renamed into
 * place (lab-file-replace.h). Main thread only.
 */
#pragma once

#include <gtk/gtk.h>

#include "lab-plot-model.h"

G_BEGIN_DECLS

typedef enum
{
  LAB_EXPORT_PNG,
  LAB_EXPORT_SVG,
  LAB_EXPORT_PDF,
} LabExportFormat;

#define LAB_EXPORT_MIN_SIZE 16
#define LAB_EXPORT_MAX_SIZE 8192

/* "png", "svg", "pdf". */
const char *lab_export_format_extension (LabExportFormat  format);
/* The format of a file name by its extension (case-insensitive); FALSE if none fits. */
gboolean    lab_export_format_from_path (const char      *path,
                                         LabExportFormat *format);

/* A person's name for a plot type ("Gradient norms" …), or the type name: in English, marked
 * with N_() (the file name is made from it), so a label shows it through _(). */
const char *lab_export_plot_title       (GType            plot_type);

/**
 * lab_export_plot:
 * @plot_type: a GtkWidget type with a "model" property of type LabPlotModel
 * @like: (nullable): a widget of @plot_type whose settings (its own readable and writable
 *   properties) the exported plot takes
 * @model: the data to draw
 * @width, @height: the image size in pixels (PNG) or points (SVG: px units; PDF: the page)
 * @scale: how many image pixels one widget pixel takes (2 makes text and lines twice as large
 *   as on a normal screen); lowered if the plot would be laid out below its minimum size
 *
 * Returns: FALSE with @error (naming @path) if the size is out of range or writing fails.
 */
gboolean    lab_export_plot             (GType            plot_type,
                                         GtkWidget       *like,
                                         LabPlotModel    *model,
                                         LabExportFormat  format,
                                         int              width,
                                         int              height,
                                         double           scale,
                                         const char      *path,
                                         GError         **error);

G_END_DECLS
