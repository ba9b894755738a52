/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-lesson.h: a lesson is a preset plus a short explanation, in a plain text file a teacher
 * can write (resources/lessons/NN-name.lesson). The file is a GKeyFile-like header, a line
 * `---`, then the text in a lightweight markup:
 *
 *   # comments start with '#'
 *   [lesson]
 *   title = Vanishing gradients            (required)
 *   preset = vanishing-sigmoid              (optional: a shipped preset to start from)
 *   page = gradients                        (optional: gradients or pruning)
 *   summary = One sentence for the menu.    (optional)
 *
 *   [train]                                 (optional settings sections, applied on top of
 *   epochs = 3                               the preset: [data] [model] [train] [clip] [prune])
 *   ---
 *   Paragraphs are separated by blank lines; **bold** inside them.
 *
 *   ## A heading
 *   $$ δ_l = (W_{l+1}ᵀ δ_{l+1}) ⊙ σ'(z_l)     (one formula, shown large)
 *   - a bullet ("what to look at")
 *   $ gradlab-cli sweep …                   (a command to type in a terminal)
 *
 * Every problem (unknown key or section, missing title, unknown preset, bad page, a setting
 * the config rejects, unbalanced **) is a GError naming the file and the line. No GTK here:
 * the window turns the blocks into labels (ui/lab-lesson-panel.c).
 */
#pragma once

#include "lab-config.h"

G_BEGIN_DECLS

typedef struct _LabLesson LabLesson;

typedef enum
{
  LAB_LESSON_PARAGRAPH,   /* text, may hold **bold** */
  LAB_LESSON_HEADING,     /* "## text" */
  LAB_LESSON_FORMULA,     /* "$$ text": one line of maths, shown large and centred */
  LAB_LESSON_BULLET,      /* "- text" (continuation lines indented) */
  LAB_LESSON_COMMAND,     /* "$ gradlab-cli …": a command to type, shown monospace */
} LabLessonBlockKind;

typedef struct
{
  LabLessonBlockKind  kind;
  char               *text;   /* lines joined with single spaces, markers removed */
  guint               line;   /* 1-based line of the block's first line in the file */
} LabLessonBlock;

/* Parses a lesson; @file_name (may be NULL) names it in error messages and is kept. */
LabLesson   *lab_lesson_load_data    (const char   *text,
                                      gsize         length,
                                      const char   *file_name,
                                      GError      **error);
LabLesson   *lab_lesson_load_file    (const char   *path,
                                      GError      **error);
/* A shipped lesson by name (see lab_lesson_list()), e.g. "02-vanishing-sigmoid", in the first
 * of g_get_language_names() it is translated into (resources/lessons/de/…), else in English. */
LabLesson   *lab_lesson_load_shipped (const char   *name,
                                      GError      **error);
/* The shipped lesson in @language exactly ("de", "es"; NULL or "en": English), whatever the
 * user's language; an error if it has no such translation. */
LabLesson   *lab_lesson_load_translated (const char  *name,
                                         const char  *language,
                                         GError     **error);
/* The lesson's own settings sections as .ini text ("[train]\nepochs=100\n…"), in file order;
 * free with g_free(). */
char        *lab_lesson_dup_settings (const LabLesson *lesson);
/* NULL-terminated, sorted names of the shipped lessons; free with g_strfreev(). */
char       **lab_lesson_list         (void);
void         lab_lesson_free         (LabLesson    *lesson);

/* The run's settings: defaults, then the preset (if any), then the lesson's own sections.
 * @cfg is replaced on success (it must hold an initialised or cleared config). */
gboolean     lab_lesson_config       (const LabLesson *lesson,
                                      LabConfig       *cfg,
                                      GError         **error);

const char  *lab_lesson_get_title     (const LabLesson *lesson);
const char  *lab_lesson_get_summary   (const LabLesson *lesson);   /* "" if none */
const char  *lab_lesson_get_preset    (const LabLesson *lesson);   /* NULL if none */
const char  *lab_lesson_get_page      (const LabLesson *lesson);   /* "gradients" by default */
const char  *lab_lesson_get_file_name (const LabLesson *lesson);   /* NULL if none */
const char  *lab_lesson_get_body      (const LabLesson *lesson);   /* the raw text after --- */
guint        lab_lesson_get_n_blocks  (const LabLesson *lesson);
const LabLessonBlock *lab_lesson_get_block (const LabLesson *lesson,
                                            guint            i);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LabLesson, lab_lesson_free)

G_END_DECLS
