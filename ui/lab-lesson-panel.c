/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-lesson-panel.c: the lesson panel (see lab-lesson-panel.h). Each block of the lesson is
 * one wrapping GtkLabel with a CSS class (lesson-paragraph, lesson-heading, lesson-formula,
 * lesson-bullet, lesson-command), so style.css decides how it looks, also in presenter mode.
 * The frame around the blocks is lab-lesson-panel.ui.
 */
#define G_LOG_DOMAIN "lab-lesson-panel"

#include "config.h"

#include <string.h>

#include "lab-lesson-panel.h"

struct _LabLessonPanel
{
  GtkWidget  parent_instance;

  /* template widgets */
  GtkWidget *overlay;      /* the child (bound so that dispose unparents it) */
  GtkWidget *title;
  GtkWidget *summary;
  GtkWidget *content;      /* one label per block */

  guint      n_blocks;
};

G_DEFINE_FINAL_TYPE (LabLessonPanel, lab_lesson_panel, GTK_TYPE_WIDGET)

enum
{
  SIGNAL_CLOSE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

char *
lab_lesson_markup (const char *text)
{
  GString *out = g_string_new (NULL);
  gboolean bold = FALSE;

  g_return_val_if_fail (text != NULL, NULL);

  for (const char *p = text; *p != '\0';)
    {
      const char *mark = strstr (p, "**");
      g_autofree char *escaped = g_markup_escape_text (p, mark ? mark - p : -1);

      g_string_append (out, escaped);
      if (mark == NULL)
        break;
      g_string_append (out, bold ? "</b>" : "<b>");
      bold = !bold;
      p = mark + 2;
    }
  if (bold)
    g_string_append (out, "</b>");
  return g_string_free (out, FALSE);
}

static GtkWidget *
block_label (const LabLessonBlock *block)
{
  static const char *classes[] = {
    [LAB_LESSON_PARAGRAPH] = "lesson-paragraph",
    [LAB_LESSON_HEADING] = "lesson-heading",
    [LAB_LESSON_FORMULA] = "lesson-formula",
    [LAB_LESSON_BULLET] = "lesson-bullet",
    [LAB_LESSON_COMMAND] = "lesson-command",
  };
  g_autofree char *markup = lab_lesson_markup (block->text);
  GtkWidget *label = gtk_label_new (NULL);

  if (block->kind == LAB_LESSON_BULLET)
    {
      char *plain = markup;
      markup = g_strconcat ("•  ", plain, NULL);
      g_free (plain);
    }
  gtk_label_set_markup (GTK_LABEL (label), markup);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_xalign (GTK_LABEL (label), block->kind == LAB_LESSON_FORMULA ? 0.5f : 0.0f);
  gtk_label_set_justify (GTK_LABEL (label), block->kind == LAB_LESSON_FORMULA ? GTK_JUSTIFY_CENTER
                                                                            : GTK_JUSTIFY_LEFT);
  /* commands are for copying into a terminal */
  gtk_label_set_selectable (GTK_LABEL (label), block->kind == LAB_LESSON_COMMAND);
  gtk_widget_add_css_class (label, classes[block->kind]);
  return label;
}

void
lab_lesson_panel_set_lesson (LabLessonPanel  *self,
                             const LabLesson *lesson)
{
  GtkWidget *child;

  g_return_if_fail (LAB_IS_LESSON_PANEL (self));

  while ((child = gtk_widget_get_first_child (self->content)) != NULL)
    gtk_box_remove (GTK_BOX (self->content), child);
  self->n_blocks = 0;

  gtk_label_set_text (GTK_LABEL (self->title), lesson ? lab_lesson_get_title (lesson) : "");
  gtk_label_set_text (GTK_LABEL (self->summary), lesson ? lab_lesson_get_summary (lesson) : "");
  gtk_widget_set_visible (self->summary,
                          lesson != NULL && *lab_lesson_get_summary (lesson) != '\0');
  if (lesson == NULL)
    return;

  for (guint i = 0; i < lab_lesson_get_n_blocks (lesson); i++)
    gtk_box_append (GTK_BOX (self->content), block_label (lab_lesson_get_block (lesson, i)));
  self->n_blocks = lab_lesson_get_n_blocks (lesson);
}

const char *
lab_lesson_panel_get_title (LabLessonPanel *self)
{
  g_return_val_if_fail (LAB_IS_LESSON_PANEL (self), NULL);
  return gtk_label_get_text (GTK_LABEL (self->title));
}

guint
lab_lesson_panel_get_n_blocks (LabLessonPanel *self)
{
  g_return_val_if_fail (LAB_IS_LESSON_PANEL (self), 0);
  return self->n_blocks;
}

static void
on_close_clicked (GtkButton      *button,
                  LabLessonPanel *self)
{
  g_signal_emit (self, signals[SIGNAL_CLOSE], 0);
}

static void
lab_lesson_panel_dispose (GObject *object)
{
  /* unparents the overlay, our only child */
  gtk_widget_dispose_template (GTK_WIDGET (object), LAB_TYPE_LESSON_PANEL);

  G_OBJECT_CLASS (lab_lesson_panel_parent_class)->dispose (object);
}

static void
lab_lesson_panel_class_init (LabLessonPanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = lab_lesson_panel_dispose;

  /**
   * LabLessonPanel::close:
   *
   * The close button was pressed; the window hides the panel.
   */
  signals[SIGNAL_CLOSE] = g_signal_new ("close", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                        0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "lessonpanel");
  gtk_widget_class_set_template_from_resource (
    widget_class, "/io/github/gradlab/GradientLab/ui/lab-lesson-panel.ui");
  gtk_widget_class_bind_template_child (widget_class, LabLessonPanel, overlay);
  gtk_widget_class_bind_template_child (widget_class, LabLessonPanel, title);
  gtk_widget_class_bind_template_child (widget_class, LabLessonPanel, summary);
  gtk_widget_class_bind_template_child (widget_class, LabLessonPanel, content);
  gtk_widget_class_bind_template_callback (widget_class, on_close_clicked);
}

static void
lab_lesson_panel_init (LabLessonPanel *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
lab_lesson_panel_new (void)
{
  return g_object_new (LAB_TYPE_LESSON_PANEL, NULL);
}
