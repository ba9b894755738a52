/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-lesson-panel.c: the lesson panel (see lab-lesson-panel.h). Each block of the lesson is
 * one wrapping GtkLabel with a CSS class (lesson-paragraph, lesson-heading, lesson-formula,
 * lesson-bullet, lesson-command), so style.css decides how it looks, also in presenter mode.
 */
#define G_LOG_DOMAIN "lab-lesson-panel"

#include "config.h"

#include <string.h>

#include "lab-lesson-panel.h"

struct _LabLessonPanel
{
  GtkWidget  parent_instance;

  /* owned (children) */
  GtkWidget *box;         /* GtkOverlay */
  GtkWidget *title;
  GtkWidget *summary;
  GtkWidget *content;

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
  LabLessonPanel *self = LAB_LESSON_PANEL (object);

  g_clear_pointer (&self->box, gtk_widget_unparent);

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
}

static void
lab_lesson_panel_init (LabLessonPanel *self)
{
  GtkWidget *header, *close, *scroller, *column;

  /* Everything that wraps lives inside the scrolled window, so the panel's minimum height does
   * not depend on its width (a GtkPaned child must not); the close button floats on top. */
  self->box = gtk_overlay_new ();
  gtk_widget_set_parent (self->box, GTK_WIDGET (self));

  scroller = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller), GTK_POLICY_NEVER,
                                  GTK_POLICY_AUTOMATIC);
  gtk_widget_set_vexpand (scroller, TRUE);
  gtk_overlay_set_child (GTK_OVERLAY (self->box), scroller);
  column = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), column);

  header = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  gtk_widget_add_css_class (header, "lesson-header");
  self->title = gtk_label_new ("");
  gtk_label_set_wrap (GTK_LABEL (self->title), TRUE);
  gtk_label_set_xalign (GTK_LABEL (self->title), 0);
  gtk_widget_set_margin_end (self->title, 30);   /* room for the close button */
  gtk_widget_add_css_class (self->title, "lesson-title");
  self->summary = gtk_label_new ("");
  gtk_label_set_wrap (GTK_LABEL (self->summary), TRUE);
  gtk_label_set_xalign (GTK_LABEL (self->summary), 0);
  gtk_widget_add_css_class (self->summary, "lesson-summary");
  gtk_widget_add_css_class (self->summary, "dim-label");
  gtk_box_append (GTK_BOX (header), self->title);
  gtk_box_append (GTK_BOX (header), self->summary);
  gtk_box_append (GTK_BOX (column), header);

  self->content = gtk_box_new (GTK_ORIENTATION_VERTICAL, 10);
  gtk_widget_add_css_class (self->content, "lesson-content");
  gtk_box_append (GTK_BOX (column), self->content);

  close = gtk_button_new_from_icon_name ("window-close-symbolic");
  gtk_widget_set_halign (close, GTK_ALIGN_END);
  gtk_widget_set_valign (close, GTK_ALIGN_START);
  gtk_widget_set_margin_top (close, 8);
  gtk_widget_set_margin_end (close, 8);
  gtk_widget_set_tooltip_text (close, "Hide the lesson (Ctrl+L shows it again)");
  gtk_widget_add_css_class (close, "flat");
  gtk_widget_add_css_class (close, "circular");
  g_signal_connect (close, "clicked", G_CALLBACK (on_close_clicked), self);
  gtk_overlay_add_overlay (GTK_OVERLAY (self->box), close);
}

GtkWidget *
lab_lesson_panel_new (void)
{
  return g_object_new (LAB_TYPE_LESSON_PANEL, NULL);
}
