/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-window-runfile.h: whole runs in the main window: saved to and reopened from .gradlab files
 * (lab-runfile.h) in a worker thread, so the window keeps drawing while a large run is read or
 * written; the status line says so meanwhile. The Save Run action pauses the engine,
 * waits until the window holds the weights of its last step, starts the save, and resumes.
 */
#pragma once

#include <gio/gio.h>

#include "lab-window.h"

G_BEGIN_DECLS

/* TRUE when the engine is paused (or finished) and the window holds the weights of its last
 * step: a run file saved now is consistent. */
gboolean lab_window_run_at_rest      (LabWindow           *self);

/* Saves the run (settings, weights, mask, metrics, latest evaluation, the latest sweep and
 * lottery). The run must be at rest (else LAB_ENGINE_ERROR_INVALID); what is saved is taken at
 * once, so training may go on while the file is written. Closing the window does not stop the
 * save; the application is held until the file is whole. */
void     lab_window_save_run_async   (LabWindow           *self,
                                      GFile               *file,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data);
gboolean lab_window_save_run_finish  (LabWindow           *self,
                                      GAsyncResult        *result,
                                      GError             **error);

/* Reads a run file, then loads its settings and weights (paused, where it was saved) and gives
 * the plots its history and its experiment results (replacing those shown). A newer run
 * (another file, a preset, a lesson) or closing the window drops it: the finish then says
 * G_IO_ERROR_CANCELLED and nothing was applied. */
void     lab_window_open_run_async   (LabWindow           *self,
                                      GFile               *file,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data);
gboolean lab_window_open_run_finish  (LabWindow           *self,
                                      GAsyncResult        *result,
                                      GError             **error);

G_END_DECLS
