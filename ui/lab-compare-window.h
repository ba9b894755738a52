/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-compare-window.h: compare mode. Two runs side by side (e.g. sigmoid versus ReLU on the
 * same data and seed), trained in lock-step by a LabLockstep, each with its own plot model and
 * plots (gradient norms, gradient flow, loss), and each pair of plots on a shared scale so the
 * difference is visible at a glance; or the two networks drawn as neurons and connections
 * (LabNetworkView), coloured by |δ| on one scale. Space plays and pauses, "." steps, Ctrl+R
 * resets, F11 toggles presenter mode.
 */
#pragma once

#include <gtk/gtk.h>

#include "lab-config.h"
#include "lab-lockstep.h"
#include "lab-plot-model.h"
#include "lab-watch.h"

G_BEGIN_DECLS

#define LAB_TYPE_COMPARE_WINDOW (lab_compare_window_get_type ())
G_DECLARE_FINAL_TYPE (LabCompareWindow, lab_compare_window, LAB, COMPARE_WINDOW,
                      GtkApplicationWindow)

/* Starts both runs paused. @name0/@name1 (may be NULL) head the columns; the settings in which
 * the two differ are listed under them. @app may be NULL (tests). */
LabCompareWindow *lab_compare_window_new           (GtkApplication   *app,
                                                    const LabConfig  *cfg0,
                                                    const char       *name0,
                                                    const LabConfig  *cfg1,
                                                    const char       *name1);
/* Two run directories watched side by side (`gradlab --watch A B`), each at its own step, on
 * shared scales; no training controls. @app may be NULL (tests). */
LabCompareWindow *lab_compare_window_new_watch     (GtkApplication   *app,
                                                    const char       *dir0,
                                                    const char       *dir1);
/* NULL for two watched runs. */
LabLockstep      *lab_compare_window_get_lockstep  (LabCompareWindow *self);
/* The watch of @side, or NULL for two trainings in lock-step. */
LabWatch         *lab_compare_window_get_watch     (LabCompareWindow *self,
                                                    guint             side);
LabPlotModel     *lab_compare_window_get_model     (LabCompareWindow *self,
                                                    guint             side);
/* Starts (or pauses) both runs, as the play button does (not for watched runs). */
void              lab_compare_window_play          (LabCompareWindow *self);
void              lab_compare_window_pause         (LabCompareWindow *self);
/* Number of lock-step deliveries so far. */
guint             lab_compare_window_get_deliveries (LabCompareWindow *self);
/* Shows the two networks as neurons and connections (LabNetworkView) side by side on one
 * colour scale instead of the plots, or the plots again. */
void              lab_compare_window_show_network  (LabCompareWindow *self,
                                                    gboolean          network);
gboolean          lab_compare_window_get_network   (LabCompareWindow *self);
void              lab_compare_window_set_presenter (LabCompareWindow *self,
                                                    gboolean          presenter);
gboolean          lab_compare_window_get_presenter (LabCompareWindow *self);

/* The settings in which @a and @b differ, as "key = value" of @a (@b_side FALSE) or @b, joined
 * by ", " (train.threads ignored); "" when they are the same. */
char             *lab_compare_describe_difference  (const LabConfig  *a,
                                                    const LabConfig  *b,
                                                    gboolean          b_side);

G_END_DECLS
