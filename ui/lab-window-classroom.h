/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-window-classroom.h: the window's classroom side: lessons (a Lessons menu in the header
 * bar, the lesson panel beside the plots), presenter mode (F11: fullscreen, large text and
 * lines, high contrast, no sidebar; Space, "." and Ctrl+R still drive training) and opening
 * compare mode from the window. Kept apart from lab-window.c, which only installs these
 * actions and routes .lesson files here.
 */
#pragma once

#include <gtk/gtk.h>

#include "lab-compare-window.h"
#include "lab-lesson.h"
#include "lab-lesson-panel.h"
#include "lab-window.h"

G_BEGIN_DECLS

/* Loads the lesson's settings into the session (keeps playing if it was), shows its page and
 * its text in the lesson panel. */
gboolean          lab_window_open_lesson       (LabWindow       *self,
                                                const LabLesson *lesson,
                                                GError         **error);
/* A lesson file, or the name of a shipped lesson (e.g. "02-vanishing-gradients"). */
gboolean          lab_window_open_lesson_file  (LabWindow       *self,
                                                const char      *path_or_name,
                                                GError         **error);
LabLessonPanel   *lab_window_get_lesson_panel  (LabWindow       *self);

/* Presenter mode: fullscreen + the "presenter" CSS class (plots scale their fonts and lines,
 * style.css its labels) + the sidebar hidden. Leaving it restores the previous state. */
void              lab_window_set_presenter     (LabWindow       *self,
                                                gboolean         presenter);
gboolean          lab_window_get_presenter     (LabWindow       *self);

/* Opens compare mode: the sidebar's settings beside the same settings with another activation
 * (ReLU + He for a sigmoid/tanh/linear net, sigmoid + Xavier for a ReLU-like one). */
LabCompareWindow *lab_window_compare           (LabWindow       *self);
/* The config compare mode puts beside @cfg (initialised here). */
void              lab_compare_other_activation (const LabConfig *cfg,
                                                LabConfig       *other);

G_END_DECLS
