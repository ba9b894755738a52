/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-application.h: the GtkApplication of the gradlab window (io.github.gradlab.GradientLab).
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define LAB_TYPE_APPLICATION (lab_application_get_type ())
G_DECLARE_FINAL_TYPE (LabApplication, lab_application, LAB, APPLICATION, GtkApplication)

LabApplication *lab_application_new (void);
/* Non-zero when the command line asked for something that failed after option parsing (a bad
 * --compare); main() returns it. */
int             lab_application_get_exit_status (LabApplication *self);

G_END_DECLS
