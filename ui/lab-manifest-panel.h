/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-manifest-panel.h: the sidebar of a watched run, in place of the settings sidebar. It
 * shows, read-only, what the run directory's run.ini says (LabRunManifest): the writer, the
 * model, the input shape, the classes, rank and world size, how often rows and weights are
 * written, the local-batch note of a DDP run, the watched layers as a table (name, kind and
 * kernel, matrix shape, activation, bias) and the other parameters, which are listed but not
 * drawn. Nothing in it can be changed: the run belongs to the program writing it.
 */
#pragma once

#include <gtk/gtk.h>

#include "lab-run-manifest.h"

G_BEGIN_DECLS

#define LAB_TYPE_MANIFEST_PANEL (lab_manifest_panel_get_type ())
G_DECLARE_FINAL_TYPE (LabManifestPanel, lab_manifest_panel, LAB, MANIFEST_PANEL, GtkWidget)

GtkWidget            *lab_manifest_panel_new          (void);

/* Shows the run directory @dir and its manifest @m (copied; NULL while the watch waits for a
 * usable run.ini, and then @why, the reason a run.ini was refused, or NULL). */
void                  lab_manifest_panel_set_run      (LabManifestPanel     *self,
                                                       const char           *dir,
                                                       const LabRunManifest *m,
                                                       const char           *why);
/* The manifest shown, or NULL. */
const LabRunManifest *lab_manifest_panel_get_manifest (LabManifestPanel     *self);
/* The text of the layer table's cell (@row 0 is the first layer; @column 0 … 4: name, kind,
 * shape, activation, bias), or NULL past its end: what a user reads there. */
const char           *lab_manifest_panel_get_cell     (LabManifestPanel     *self,
                                                       guint                 row,
                                                       guint                 column);

G_END_DECLS
