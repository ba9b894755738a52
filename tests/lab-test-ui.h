/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-test-ui.h: helpers the UI tests share (lab-test-utils.h holds those without GTK): a
 * widget found by type, and the main window's template children, its plot model and its watch
 * mode as test-watch-window and test-watch-examples drive them; and the start every UI test
 * program makes.
 */
#pragma once

#include <gtk/gtk.h>

#include "lab-test-utils.h"
#include "lab-window.h"

G_BEGIN_DECLS

/* The first widget of @type at or under @root, in tree order (depth first, children in order),
 * or NULL. */
/* Iterates the main context until @cond (@win, @data) holds (lab_test_iterate_until() with the
 * window passed along). */
typedef gboolean (*LabTestWindowCondition) (LabWindow *win,
                                            gpointer   data);
void         lab_test_window_until (LabWindow              *win,
                                    LabTestWindowCondition  cond,
                                    gpointer                data,
                                    guint                   timeout_ms,
                                    const char             *what);
/* The newest snapshot the window's plot model holds. */
LabSnapshot *lab_test_window_latest (LabWindow *win);

GtkWidget   *lab_test_find_widget  (GtkWidget  *root,
                                    GType       type);

/* The window's template child @id (bound by LabWindow) and, for a label, its text. */
GtkWidget   *lab_test_child        (LabWindow  *win,
                                    const char *id);
const char  *lab_test_label_text   (LabWindow  *win,
                                    const char *id);
/* The window's plot model's history (NULL before the first row). */
LabHistory  *lab_test_history      (LabWindow  *win);

/* A new window (a reference of the test's), shown and watching @dir. */
LabWindow   *lab_test_watch_window (const char *dir);
/* Destroys @win and asserts that it and its plot model are finalized; then dispatches what its
 * threads and GIO's worker left queued in the default main context (a test that exits with
 * such sources pending has their data reported by LeakSanitizer). */
void         lab_test_close_window (LabWindow  *win);
/* TRUE once the watched run's end reached the plot model of the LabWindow @win. */
gboolean     lab_test_watch_ended  (gpointer    win);

/* g_test_init(), then GTK on the display. FALSE without a display (said in a test message): the
 * caller then returns g_test_run() with only the tests that need none added. */
gboolean     lab_test_init_ui      (int        *argc,
                                    char     ***argv);

G_END_DECLS
