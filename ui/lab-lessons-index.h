/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-lessons-index.h: Help (F1): a small window listing the shipped lessons with their
 * one-line summaries, and how to use the window with the keyboard. Activating a lesson opens it
 * in the window the index belongs to (win.open-lesson) and closes the index. Works offline:
 * everything it shows is in the program.
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define LAB_TYPE_LESSONS_INDEX (lab_lessons_index_get_type ())
G_DECLARE_FINAL_TYPE (LabLessonsIndex, lab_lessons_index, LAB, LESSONS_INDEX, GtkWindow)

/* A new index, transient for @parent, whose lessons open in @parent. */
GtkWindow *lab_lessons_index_new          (GtkWindow       *parent);
/* The number of lessons listed, and the name of row @i ("02-vanishing-gradients"). */
guint      lab_lessons_index_get_n_items  (LabLessonsIndex *self);
const char *lab_lessons_index_get_name    (LabLessonsIndex *self,
                                           guint            i);

G_END_DECLS
