/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-window.h: the main window. It owns one LabSession (the engine thread) and one LabPlotModel
 * that every plot draws from, takes the session's snapshots on the main thread, and turns the
 * header bar, the settings sidebar and the keyboard into session commands.
 */
#pragma once

#include <gtk/gtk.h>

#include "lab-config.h"
#include "lab-plot-model.h"
#include "lab-session.h"
#include "lab-settings-panel.h"

G_BEGIN_DECLS

#define LAB_TYPE_WINDOW (lab_window_get_type ())
G_DECLARE_FINAL_TYPE (LabWindow, lab_window, LAB, WINDOW, GtkApplicationWindow)

/* Starts a paused session on @cfg (NULL: the "spiral" preset). @app may be NULL (tests). */
LabWindow        *lab_window_new                (GtkApplication   *app,
                                                 const LabConfig  *cfg);

LabSession       *lab_window_get_session        (LabWindow        *self);
/* The step rate asked of the session by the speed control (0 = unlimited). */
double            lab_window_get_max_rate       (LabWindow        *self);
LabPlotModel     *lab_window_get_plot_model     (LabWindow        *self);
LabSettingsPanel *lab_window_get_settings_panel (LabWindow        *self);
/* Serial of the last command the window sent to the session (compare with a snapshot's acked). */
guint64           lab_window_get_last_serial    (LabWindow        *self);

/* Replaces the run's settings (sidebar and session); keeps playing if it was. A run file still
 * being read is dropped. */
void              lab_window_apply_config       (LabWindow        *self,
                                                 const LabConfig  *cfg);
gboolean          lab_window_load_preset        (LabWindow        *self,
                                                 const char       *name,
                                                 GError          **error);
/* An .ini loads settings; a .csv file or an IDX folder (or file in one) becomes the data; a
 * sweep's CSV its curves; a .lesson opens the lesson; a run directory (a folder holding run.ini)
 * is watched (lab-window-watch.h). A saved run (.gradlab) is read in the
 * background (lab-window-runfile.h): this returns TRUE at once and a failure shows in the
 * error banner. */
gboolean          lab_window_open_file          (LabWindow        *self,
                                                 GFile            *file,
                                                 GError          **error);
/* "gradients" or "pruning". */
void              lab_window_set_page           (LabWindow        *self,
                                                 const char       *page);
/* Prunes with the sidebar's settings once the run reaches @step (0 = never). */
void              lab_window_set_prune_at_step  (LabWindow        *self,
                                                 guint64           step);
/* Shows a dismissable message above the plots. */
void              lab_window_show_error         (LabWindow        *self,
                                                 const char       *message);

G_END_DECLS
