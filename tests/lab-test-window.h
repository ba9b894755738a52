/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-test-window.h: what the UI tests that drive a LabWindow share: running the main context
 * until a condition on the window holds, with a deadline that fails the test; the window's
 * newest snapshot and its template widgets.
 */
#pragma once

#include "lab-window.h"

G_BEGIN_DECLS

typedef gboolean (*LabTestCondition) (LabWindow *win,
                                      gpointer   data);

/* Iterates the default main context until @cond (@win, @data) holds; after @timeout_ms the test
 * fails with "timed out waiting for @what". */
void lab_test_iterate_until (LabWindow        *win,
                             LabTestCondition  cond,
                             gpointer          data,
                             guint             timeout_ms,
                             const char       *what);

/* The newest snapshot the window applied, or NULL. */
LabSnapshot *lab_test_window_latest (LabWindow  *win);
/* The widget of the window's template bound as @name. */
GtkWidget   *lab_test_window_child  (LabWindow  *win,
                                     const char *name);

G_END_DECLS
