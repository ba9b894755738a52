/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-window-watch.h: the main window in watch mode. Instead of training its own network the
 * window shows a run directory (docs/run-directory.md) live while another program writes it:
 * a LabWatch feeds the same plots the session feeds, the settings sidebar gives way to the
 * run's manifest (LabManifestPanel, read-only), the controls that act on the window's own
 * training are hidden or insensitive, and the status line tells the watched run's state, step,
 * the age of its last row (updated once a second) and its rank. Choosing a preset, settings,
 * data or a lesson leaves watch mode and trains again.
 *
 * A run directory is opened by `gradlab --watch DIR`, by `gradlab DIR` or Open when DIR holds
 * run.ini (lab_file_kind_guess()), by the menu's Watch a Run… and by dropping its folder on the
 * window.
 */
#pragma once

#include <gtk/gtk.h>

#include "lab-manifest-panel.h"
#include "lab-watch.h"
#include "lab-window.h"

G_BEGIN_DECLS

/* Watches @dir (it need not exist yet: the window waits for its writer) in place of the
 * window's own training, which pauses; a run watched before is let go. */
void              lab_window_watch              (LabWindow  *self,
                                                 const char *dir);
/* The watch feeding the plots, or NULL while the window trains. */
LabWatch         *lab_window_get_watch          (LabWindow  *self);
LabManifestPanel *lab_window_get_manifest_panel (LabWindow  *self);

G_END_DECLS
