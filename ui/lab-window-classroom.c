/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-window-classroom.c: lessons, presenter mode and compare mode in the main window (see
 * lab-window-classroom.h). The lesson panel sits beside the plot pages and the Lessons menu in
 * the header bar (both in lab-window.ui); this file fills the menu with the shipped lessons and
 * keeps the presenter state in the window's struct (lab-window-private.h).
 */
#define G_LOG_DOMAIN "lab-window"

#include "config.h"

#include <glib/gi18n.h>

#include "lab-lessons-index.h"
#include "lab-window-classroom.h"
#include "lab-window-private.h"

/* width of the lesson panel when it opens (presenter mode: larger text, wider panel) */
#define LESSON_WIDTH 440
#define LESSON_WIDTH_PRESENTER 640

/* ------------------------------------------------------------------------------------------ */
/* Lessons                                                                                    */

/* Gives the panel LESSON_WIDTH (at most half) once the paned has its size. */
static gboolean
place_panel (GtkWidget     *paned,
             GdkFrameClock *clock,
             gpointer       user_data)
{
  LabWindow *self = user_data;
  int width = gtk_widget_get_width (paned);
  int panel = self->presenter ? LESSON_WIDTH_PRESENTER : LESSON_WIDTH;

  if (width < 200)
    return G_SOURCE_CONTINUE;
  gtk_paned_set_position (GTK_PANED (paned), width > 2 * panel ? width - panel : width / 2);
  return G_SOURCE_REMOVE;
}

static void
place_panel_soon (LabWindow *self)
{
  gtk_widget_add_tick_callback (self->lesson_paned, place_panel, self, NULL);
}

static void
show_panel (LabWindow *self,
            gboolean   show)
{
  if (show == gtk_widget_get_visible (GTK_WIDGET (self->lesson_panel)))
    return;
  gtk_widget_set_visible (GTK_WIDGET (self->lesson_panel), show);
  if (show)
    place_panel_soon (self);
}

gboolean
lab_window_open_lesson (LabWindow        *self,
                        const LabLesson  *lesson,
                        GError          **error)
{
  LabConfig cfg;

  g_return_val_if_fail (LAB_IS_WINDOW (self), FALSE);
  g_return_val_if_fail (lesson != NULL, FALSE);

  lab_config_init_defaults (&cfg);
  if (!lab_lesson_config (lesson, &cfg, error))
    {
      lab_config_clear (&cfg);
      return FALSE;
    }
  lab_window_apply_config (self, &cfg);
  lab_config_clear (&cfg);
  lab_window_set_page (self, lab_lesson_get_page (lesson));
  lab_lesson_panel_set_lesson (self->lesson_panel, lesson);
  show_panel (self, TRUE);
  return TRUE;
}

gboolean
lab_window_open_lesson_file (LabWindow   *self,
                             const char  *path_or_name,
                             GError     **error)
{
  g_autoptr(LabLesson) lesson = NULL;

  g_return_val_if_fail (LAB_IS_WINDOW (self), FALSE);
  g_return_val_if_fail (path_or_name != NULL, FALSE);

  if (g_file_test (path_or_name, G_FILE_TEST_EXISTS))
    lesson = lab_lesson_load_file (path_or_name, error);
  else
    lesson = lab_lesson_load_shipped (path_or_name, error);
  return lesson != NULL && lab_window_open_lesson (self, lesson, error);
}

LabLessonPanel *
lab_window_get_lesson_panel (LabWindow *self)
{
  g_return_val_if_fail (LAB_IS_WINDOW (self), NULL);
  return self->lesson_panel;
}

static void
open_lesson_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *param)
{
  LabWindow *self = LAB_WINDOW (widget);
  g_autoptr(GError) error = NULL;

  if (!lab_window_open_lesson_file (self, g_variant_get_string (param, NULL), &error))
    lab_window_show_error (self, error->message);
}

static void
on_lesson_path (LabWindow  *self,
                const char *path)
{
  g_autoptr(GError) error = NULL;

  if (!lab_window_open_lesson_file (self, path, &error))
    lab_window_show_error (self, error->message);
}

static void
open_lesson_file_action (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *param)
{
  static const char * const filters[] = { N_("Lessons (.lesson)"), "*.lesson", NULL };

  _lab_window_choose_file (LAB_WINDOW (widget), _("Open a Lesson"), GTK_FILE_CHOOSER_ACTION_OPEN,
                           NULL, filters, on_lesson_path);
}

static void
show_lesson_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *param)
{
  LabWindow *self = LAB_WINDOW (widget);

  if (lab_lesson_panel_get_n_blocks (self->lesson_panel) == 0)
    {
      g_autoptr(GError) error = NULL;
      g_auto(GStrv) names = lab_lesson_list ();

      /* nothing opened yet: start with the first lesson */
      if (names[0] != NULL && !lab_window_open_lesson_file (self, names[0], &error))
        lab_window_show_error (self, error->message);
      return;
    }
  show_panel (self, !gtk_widget_get_visible (GTK_WIDGET (self->lesson_panel)));
}

/* Help (F1): the lessons index, one per window (shown again if it is open already). */
static void
help_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  GListModel *toplevels = gtk_window_get_toplevels ();   /* (transfer none) */
  GtkWindow *index = NULL;

  for (guint i = 0; index == NULL && i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) w = g_list_model_get_item (toplevels, i);

      /* the list of toplevels keeps it alive */
      if (LAB_IS_LESSONS_INDEX (w) && gtk_window_get_transient_for (w) == GTK_WINDOW (widget))
        index = w;
    }
  if (index == NULL)
    index = lab_lessons_index_new (GTK_WINDOW (widget));
  gtk_window_present (index);
}

static void
on_lesson_panel_close (LabWindow *self)
{
  show_panel (self, FALSE);
}

/* The shipped lessons, numbered, into the Lessons menu's first section. */
static void
fill_lessons_menu (LabWindow *self)
{
  g_auto(GStrv) names = lab_lesson_list ();

  for (guint i = 0; names[i] != NULL; i++)
    {
      g_autoptr(LabLesson) lesson = lab_lesson_load_shipped (names[i], NULL);
      g_autoptr(GMenuItem) item = NULL;
      g_autofree char *label = NULL;

      if (lesson == NULL)
        continue;   /* the engine test catches a broken shipped lesson */
      label = g_strdup_printf ("%u. %s", i + 1, lab_lesson_get_title (lesson));
      item = g_menu_item_new (label, NULL);
      g_menu_item_set_action_and_target (item, "win.open-lesson", "s", names[i]);
      g_menu_append_item (self->lessons_section, item);
    }
}

/* ------------------------------------------------------------------------------------------ */
/* Presenter mode                                                                             */

void
lab_window_set_presenter (LabWindow *self,
                          gboolean   presenter)
{
  GtkWidget *sidebar;

  g_return_if_fail (LAB_IS_WINDOW (self));

  presenter = !!presenter;
  if (presenter == self->presenter)
    return;
  self->presenter = presenter;
  sidebar = GTK_WIDGET (self->settings_panel);

  /* The settings go, and the stack they are a page of (it holds a watched run's manifest
   * instead), which on losing its shown page shows the other: back to the mode's page after. */
  if (presenter)
    {
      self->was_fullscreen = gtk_window_is_fullscreen (GTK_WINDOW (self));
      self->had_sidebar = gtk_widget_get_visible (sidebar);
      gtk_widget_add_css_class (GTK_WIDGET (self), "presenter");
      gtk_widget_set_visible (sidebar, FALSE);
      gtk_widget_set_visible (self->sidebar_stack, FALSE);
      gtk_window_fullscreen (GTK_WINDOW (self));
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self), "presenter");
      gtk_widget_set_visible (sidebar, self->had_sidebar);
      gtk_stack_set_visible_child_name (GTK_STACK (self->sidebar_stack),
                                        self->watch != NULL ? "manifest" : "settings");
      gtk_widget_set_visible (self->sidebar_stack, self->had_sidebar);
      if (!self->was_fullscreen)
        gtk_window_unfullscreen (GTK_WINDOW (self));
    }
  /* the focus may have been in the sidebar: keep Space for play/pause */
  if (presenter)
    gtk_window_set_focus (GTK_WINDOW (self), NULL);
  if (gtk_widget_get_visible (GTK_WIDGET (self->lesson_panel)))
    place_panel_soon (self);
}

gboolean
lab_window_get_presenter (LabWindow *self)
{
  g_return_val_if_fail (LAB_IS_WINDOW (self), FALSE);
  return self->presenter;
}

static void
presenter_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *param)
{
  LabWindow *self = LAB_WINDOW (widget);

  lab_window_set_presenter (self, !lab_window_get_presenter (self));
}

/* ------------------------------------------------------------------------------------------ */
/* Compare mode                                                                               */

static gboolean
relu_like (LabActivation act)
{
  return act == LAB_ACT_RELU || act == LAB_ACT_LEAKY_RELU || act == LAB_ACT_ELU;
}

void
lab_compare_other_activation (const LabConfig *cfg,
                              LabConfig       *other)
{
  gboolean relu;

  g_return_if_fail (cfg != NULL && other != NULL);

  lab_config_copy (other, cfg);
  relu = cfg->model.n_hidden > 0 && relu_like (cfg->model.act[0]);
  for (guint l = 0; l < LAB_MAX_HIDDEN; l++)
    other->model.act[l] = relu ? LAB_ACT_SIGMOID : LAB_ACT_RELU;
  other->model.init = relu ? LAB_INIT_XAVIER_UNIFORM : LAB_INIT_HE_NORMAL;
}

LabCompareWindow *
lab_window_compare (LabWindow *self)
{
  LabCompareWindow *compare;
  g_autofree char *name0 = NULL;
  g_autofree char *name1 = NULL;
  LabConfig cfg, other;

  g_return_val_if_fail (LAB_IS_WINDOW (self), NULL);

  lab_settings_panel_get_config (self->settings_panel, &cfg);
  lab_compare_other_activation (&cfg, &other);
  name0 = g_strdup_printf (_("%s (this window's settings)"),
                           lab_activation_to_string (cfg.model.act[0]));
  name1 = g_strdup (lab_activation_to_string (other.model.act[0]));
  compare = lab_compare_window_new (gtk_window_get_application (GTK_WINDOW (self)),
                                    &cfg, name0, &other, name1);
  lab_config_clear (&cfg);
  lab_config_clear (&other);
  return compare;
}

static void
compare_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *param)
{
  LabCompareWindow *compare = lab_window_compare (LAB_WINDOW (widget));

  lab_compare_window_play (compare);
  gtk_window_present (GTK_WINDOW (compare));
}

/* ------------------------------------------------------------------------------------------ */
/* Hooks                                                                                      */

void
_lab_window_classroom_class_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_bind_template_callback (widget_class, on_lesson_panel_close);
  gtk_widget_class_install_action (widget_class, "win.open-lesson", "s", open_lesson_action);
  gtk_widget_class_install_action (widget_class, "win.open-lesson-file", NULL,
                                   open_lesson_file_action);
  gtk_widget_class_install_action (widget_class, "win.show-lesson", NULL, show_lesson_action);
  gtk_widget_class_install_action (widget_class, "win.presenter", NULL, presenter_action);
  gtk_widget_class_install_action (widget_class, "win.compare", NULL, compare_action);
  gtk_widget_class_install_action (widget_class, "win.help", NULL, help_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F1, 0, "win.help", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_l, GDK_CONTROL_MASK,
                                       "win.show-lesson", NULL);
  /* the page switcher is in the header bar, which fullscreen (presenter mode) hides */
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_1, GDK_CONTROL_MASK,
                                       "win.show-page", "s", "gradients");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_2, GDK_CONTROL_MASK,
                                       "win.show-page", "s", "pruning");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_3, GDK_CONTROL_MASK,
                                       "win.show-page", "s", "network");
}

void
_lab_window_classroom_init (LabWindow *self)
{
  fill_lessons_menu (self);
}
