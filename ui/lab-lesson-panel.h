/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-lesson-panel.h: the lesson beside the plots: its title, its text (paragraphs, headings,
 * the formula shown large, "what to look at" bullets, commands to type) and a close button that
 * emits ::close. It shows a copy of the lesson's text and keeps no reference to the lesson.
 */
#pragma once

#include <gtk/gtk.h>

#include "lab-lesson.h"

G_BEGIN_DECLS

#define LAB_TYPE_LESSON_PANEL (lab_lesson_panel_get_type ())
G_DECLARE_FINAL_TYPE (LabLessonPanel, lab_lesson_panel, LAB, LESSON_PANEL, GtkWidget)

GtkWidget  *lab_lesson_panel_new        (void);
/* Shows @lesson (NULL: empty). */
void        lab_lesson_panel_set_lesson (LabLessonPanel  *self,
                                         const LabLesson *lesson);
/* The title shown ("" when empty). */
const char *lab_lesson_panel_get_title  (LabLessonPanel  *self);
/* Number of text blocks shown. */
guint       lab_lesson_panel_get_n_blocks (LabLessonPanel *self);

/* Pango markup for one block's text: escapes <, >, & and turns **bold** into <b>bold</b>. */
char       *lab_lesson_markup           (const char      *text);

G_END_DECLS
