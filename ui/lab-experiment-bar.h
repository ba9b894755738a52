/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-experiment-bar.h: the progress of a sweep or a lottery the session runs (its
 * LabExperimentStatus, from each snapshot): what runs now, a progress bar, the time it has
 * taken and an estimate of the time left, and Cancel (the action win.cancel-experiment). Once
 * the experiment ends the bar says how (finished, cancelled with what it kept, failed) until it
 * is closed or another experiment starts; it is hidden while no experiment has run.
 */
#pragma once

#include <gtk/gtk.h>

#include "lab-snapshot.h"

G_BEGIN_DECLS

#define LAB_TYPE_EXPERIMENT_BAR (lab_experiment_bar_get_type ())
G_DECLARE_FINAL_TYPE (LabExperimentBar, lab_experiment_bar, LAB, EXPERIMENT_BAR, GtkWidget)

GtkWidget  *lab_experiment_bar_new        (void);
/* Shows @ex; @error is the run's error message when the experiment failed (else NULL). */
void        lab_experiment_bar_update     (LabExperimentBar          *self,
                                           const LabExperimentStatus *ex,
                                           const char                *error);
/* What the bar says (for tests and screen readers): the line above the bar and the times. */
const char *lab_experiment_bar_get_text   (LabExperimentBar          *self);
const char *lab_experiment_bar_get_times  (LabExperimentBar          *self);
double      lab_experiment_bar_get_fraction (LabExperimentBar        *self);

/* "magnitude, 80 %, fine-tuning 1/1 epochs": what @ex is doing, as the bar says it. */
char       *lab_experiment_describe       (const LabExperimentStatus *ex);
/* "1:05": @seconds as minutes and seconds (hours when it takes that long). */
char       *lab_experiment_format_time    (double                     seconds);

G_END_DECLS
