/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-lessons-index.c: the Help window's list of lessons (see lab-lessons-index.h); its frame is
 * lab-lessons-index.ui.
 */
#define G_LOG_DOMAIN "lab-lessons-index"

#include "config.h"

#include "lab-lesson.h"
#include "lab-lessons-index.h"

struct _LabLessonsIndex
{
  GtkWindow  parent_instance;

  /* template widgets */
  GtkWidget *list;

  /* owned */
  char     **names;    /* one per row, in order */
};

G_DEFINE_FINAL_TYPE (LabLessonsIndex, lab_lessons_index, GTK_TYPE_WINDOW)

/* One row: "2. Vanishing gradients" in bold over its summary. */
static GtkWidget *
lesson_row (guint            number,
            const LabLesson *lesson)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  g_autofree char *title = g_strdup_printf ("%u. %s", number, lab_lesson_get_title (lesson));
  GtkWidget *heading = gtk_label_new (title);
  GtkWidget *summary = gtk_label_new (lab_lesson_get_summary (lesson));

  gtk_widget_add_css_class (heading, "heading");
  gtk_label_set_xalign (GTK_LABEL (heading), 0);
  gtk_label_set_wrap (GTK_LABEL (heading), TRUE);
  gtk_label_set_xalign (GTK_LABEL (summary), 0);
  gtk_label_set_wrap (GTK_LABEL (summary), TRUE);
  gtk_box_append (GTK_BOX (box), heading);
  gtk_box_append (GTK_BOX (box), summary);
  gtk_widget_add_css_class (box, "lessons-index-row");
  return box;
}

static void
fill (LabLessonsIndex *self)
{
  g_auto(GStrv) names = lab_lesson_list ();
  GPtrArray *kept = g_ptr_array_new ();

  for (guint i = 0; names[i] != NULL; i++)
    {
      g_autoptr(LabLesson) lesson = lab_lesson_load_shipped (names[i], NULL);

      if (lesson == NULL)
        continue;   /* the engine test catches a broken shipped lesson */
      gtk_list_box_append (GTK_LIST_BOX (self->list), lesson_row (i + 1, lesson));
      g_ptr_array_add (kept, g_strdup (names[i]));
    }
  g_ptr_array_add (kept, NULL);
  self->names = (char **) g_ptr_array_free (kept, FALSE);
}

static void
on_row_activated (LabLessonsIndex *self,
                  GtkListBoxRow   *row)
{
  GtkWindow *parent = gtk_window_get_transient_for (GTK_WINDOW (self));
  int i = gtk_list_box_row_get_index (row);

  if (parent != NULL && i >= 0 && self->names[i] != NULL)
    gtk_widget_activate_action (GTK_WIDGET (parent), "win.open-lesson", "s", self->names[i]);
  gtk_window_close (GTK_WINDOW (self));
}

static void
lab_lessons_index_finalize (GObject *object)
{
  LabLessonsIndex *self = LAB_LESSONS_INDEX (object);

  g_strfreev (self->names);
  G_OBJECT_CLASS (lab_lessons_index_parent_class)->finalize (object);
}

static void
lab_lessons_index_class_init (LabLessonsIndexClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = lab_lessons_index_finalize;
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/gradlab/GradientLab/ui/"
                                               "lab-lessons-index.ui");
  gtk_widget_class_bind_template_child (widget_class, LabLessonsIndex, list);
  gtk_widget_class_bind_template_callback (widget_class, on_row_activated);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
lab_lessons_index_init (LabLessonsIndex *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  fill (self);
}

GtkWindow *
lab_lessons_index_new (GtkWindow *parent)
{
  return g_object_new (LAB_TYPE_LESSONS_INDEX, "transient-for", parent,
                       "destroy-with-parent", TRUE, NULL);
}

guint
lab_lessons_index_get_n_items (LabLessonsIndex *self)
{
  g_return_val_if_fail (LAB_IS_LESSONS_INDEX (self), 0);
  return g_strv_length (self->names);
}

const char *
lab_lessons_index_get_name (LabLessonsIndex *self,
                            guint            i)
{
  g_return_val_if_fail (LAB_IS_LESSONS_INDEX (self), NULL);
  g_return_val_if_fail (i < g_strv_length (self->names), NULL);
  return self->names[i];
}
