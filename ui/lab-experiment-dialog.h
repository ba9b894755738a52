/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-experiment-dialog.h: the Sweep… and Lottery… dialogs of the main window: the choices of
 * gradlab-cli sweep and gradlab-cli lottery (lab-experiment-params.h), filled with the run's
 * defaults. Run starts the experiment in the window's session and closes the dialog; a choice
 * that is wrong (a sparsity of 1.5) is said in the dialog, which stays open.
 */
#pragma once

#include <gtk/gtk.h>

#include "lab-window.h"

G_BEGIN_DECLS

#define LAB_TYPE_EXPERIMENT_DIALOG (lab_experiment_dialog_get_type ())
G_DECLARE_FINAL_TYPE (LabExperimentDialog, lab_experiment_dialog, LAB, EXPERIMENT_DIALOG,
                      GtkWindow)

/* Modal over @window, for a sweep or a lottery (@kind), its controls set from @defaults (an
 * a{sv} with every key); @step and @total_steps say where the live run stands. Destroyed with
 * @window. */
LabExperimentDialog *lab_experiment_dialog_new        (LabWindow           *window,
                                                       LabExperimentKind    kind,
                                                       GVariant            *defaults,
                                                       guint64              step,
                                                       guint64              total_steps);
/* What the controls say now (a floating a{sv}). */
GVariant            *lab_experiment_dialog_get_params (LabExperimentDialog *self);
/* Presses Run: TRUE if the experiment started (the dialog is then destroyed). */
gboolean             lab_experiment_dialog_run        (LabExperimentDialog *self);
/* The message the dialog shows about a wrong choice, or NULL. */
const char          *lab_experiment_dialog_get_error  (LabExperimentDialog *self);

G_END_DECLS
