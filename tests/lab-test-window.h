/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-test-window.h: what the UI tests that drive a LabWindow share: running the main context
 * until a condition on the window holds, with a deadline that fails the test.
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

G_END_DECLS
