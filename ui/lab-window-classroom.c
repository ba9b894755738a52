/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-window-classroom.c: lessons, presenter mode and compare mode in the main window (see
 * lab-window-classroom.h). It only uses the window's public API: the lesson panel is added
 * beside the plot pages at init (the pages move into a new GtkPaned), the Lessons menu button
 * goes into the header bar, and its state lives in a struct attached to the window.
 */
#define G_LOG_DOMAIN "lab-window"

#include "config.h"

#include "lab-window-classroom.h"

/* width of the lesson panel when it opens (presenter mode: larger text, wider panel) */
#define LESSON_WIDTH 440
#define LESSON_WIDTH_PRESENTER 640

typedef struct
{
  GtkWidget *paned;       /* pages | lesson panel (owned by the widget tree) */
  GtkWidget *panel;
  gboolean   presenter;
  gboolean   was_fullscreen;
  gboolean   had_sidebar;
} Classroom;

static GQuark
classroom_quark (void)
{
  return g_quark_from_static_string ("lab-window-classroom");
}

static Classroom *
classroom (LabWindow *self)
{
  return g_object_get_qdata (G_OBJECT (self), classroom_quark ());
}

/* ------------------------------------------------------------------------------------------ */
/* Lessons                                                                                    */

/* Gives the panel LESSON_WIDTH (at most half) once the paned has its size. */
static gboolean
place_panel (GtkWidget     *paned,
             GdkFrameClock *clock,
             gpointer       user_data)
{
  Classroom *c = user_data;
  int width = gtk_widget_get_width (paned);
  int panel = c->presenter ? LESSON_WIDTH_PRESENTER : LESSON_WIDTH;

  if (width < 200)
    return G_SOURCE_CONTINUE;
  gtk_paned_set_position (GTK_PANED (paned), width > 2 * panel ? width - panel : width / 2);
  return G_SOURCE_REMOVE;
}

static void
show_panel (LabWindow *self,
            gboolean   show)
{
  Classroom *c = classroom (self);

  if (show == gtk_widget_get_visible (c->panel))
    return;
  gtk_widget_set_visible (c->panel, show);
  if (show)
    gtk_widget_add_tick_callback (c->paned, place_panel, c, NULL);
}

gboolean
lab_window_open_lesson (LabWindow        *self,
                        const LabLesson  *lesson,
                        GError          **error)
{
  Classroom *c;
  LabConfig cfg;

  g_return_val_if_fail (LAB_IS_WINDOW (self), FALSE);
  g_return_val_if_fail (lesson != NULL, FALSE);

  c = classroom (self);
  lab_config_init_defaults (&cfg);
  if (!lab_lesson_config (lesson, &cfg, error))
    {
      lab_config_clear (&cfg);
      return FALSE;
    }
  lab_window_apply_config (self, &cfg);
  lab_config_clear (&cfg);
  lab_window_set_page (self, lab_lesson_get_page (lesson));
  lab_lesson_panel_set_lesson (LAB_LESSON_PANEL (c->panel), lesson);
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
  return LAB_LESSON_PANEL (classroom (self)->panel);
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
on_lesson_file_response (GtkNativeDialog *dialog,
                         int              response,
                         LabWindow       *self)
{
  g_autoptr(GFile) file = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
  gtk_native_dialog_destroy (dialog);
  g_object_unref (dialog);
  if (file == NULL || (path = g_file_get_path (file)) == NULL)
    return;
  if (!lab_window_open_lesson_file (self, path, &error))
    lab_window_show_error (self, error->message);
}

static void
open_lesson_file_action (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *param)
{
  GtkFileChooserNative *chooser;
  GtkFileFilter *filter = gtk_file_filter_new ();

  chooser = gtk_file_chooser_native_new ("Open a Lesson", GTK_WINDOW (widget),
                                         GTK_FILE_CHOOSER_ACTION_OPEN, "_Open", "_Cancel");
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  gtk_file_filter_set_name (filter, "Lessons (.lesson)");
  gtk_file_filter_add_pattern (filter, "*.lesson");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  g_object_unref (filter);
  g_signal_connect (chooser, "response", G_CALLBACK (on_lesson_file_response), widget);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
show_lesson_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *param)
{
  LabWindow *self = LAB_WINDOW (widget);
  Classroom *c = classroom (self);

  if (lab_lesson_panel_get_n_blocks (LAB_LESSON_PANEL (c->panel)) == 0)
    {
      g_autoptr(GError) error = NULL;
      g_auto(GStrv) names = lab_lesson_list ();

      /* nothing opened yet: start with the first lesson */
      if (names[0] != NULL && !lab_window_open_lesson_file (self, names[0], &error))
        lab_window_show_error (self, error->message);
      return;
    }
  show_panel (self, !gtk_widget_get_visible (c->panel));
}

static void
on_panel_close (LabLessonPanel *panel,
                LabWindow      *self)
{
  show_panel (self, FALSE);
}

static GMenuModel *
lessons_menu (void)
{
  GMenu *menu = g_menu_new ();
  g_autoptr(GMenu) list = g_menu_new ();
  g_autoptr(GMenu) more = g_menu_new ();
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
      g_menu_append_item (list, item);
    }
  g_menu_append_section (menu, NULL, G_MENU_MODEL (list));
  g_menu_append (more, "Open Lesson _File…", "win.open-lesson-file");
  g_menu_append (more, "Show or Hide the _Lesson", "win.show-lesson");
  g_menu_append (more, "_Compare with Another Activation…", "win.compare");
  g_menu_append (more, "_Presenter Mode", "win.presenter");
  g_menu_append_section (menu, NULL, G_MENU_MODEL (more));
  return G_MENU_MODEL (menu);
}

/* ------------------------------------------------------------------------------------------ */
/* Presenter mode                                                                             */

void
lab_window_set_presenter (LabWindow *self,
                          gboolean   presenter)
{
  Classroom *c;
  GtkWidget *sidebar;

  g_return_if_fail (LAB_IS_WINDOW (self));

  c = classroom (self);
  presenter = !!presenter;
  if (presenter == c->presenter)
    return;
  c->presenter = presenter;
  sidebar = GTK_WIDGET (lab_window_get_settings_panel (self));

  if (presenter)
    {
      c->was_fullscreen = gtk_window_is_fullscreen (GTK_WINDOW (self));
      c->had_sidebar = gtk_widget_get_visible (sidebar);
      gtk_widget_add_css_class (GTK_WIDGET (self), "presenter");
      gtk_widget_set_visible (sidebar, FALSE);
      gtk_window_fullscreen (GTK_WINDOW (self));
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self), "presenter");
      gtk_widget_set_visible (sidebar, c->had_sidebar);
      if (!c->was_fullscreen)
        gtk_window_unfullscreen (GTK_WINDOW (self));
    }
  /* the focus may have been in the sidebar: keep Space for play/pause */
  if (presenter)
    gtk_window_set_focus (GTK_WINDOW (self), NULL);
  if (gtk_widget_get_visible (c->panel))
    gtk_widget_add_tick_callback (c->paned, place_panel, c, NULL);
}

gboolean
lab_window_get_presenter (LabWindow *self)
{
  g_return_val_if_fail (LAB_IS_WINDOW (self), FALSE);
  return classroom (self)->presenter;
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

  lab_settings_panel_get_config (lab_window_get_settings_panel (self), &cfg);
  lab_compare_other_activation (&cfg, &other);
  name0 = g_strdup_printf ("%s (this window's settings)",
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
  g_type_ensure (LAB_TYPE_LESSON_PANEL);

  gtk_widget_class_install_action (widget_class, "win.open-lesson", "s", open_lesson_action);
  gtk_widget_class_install_action (widget_class, "win.open-lesson-file", NULL,
                                   open_lesson_file_action);
  gtk_widget_class_install_action (widget_class, "win.show-lesson", NULL, show_lesson_action);
  gtk_widget_class_install_action (widget_class, "win.presenter", NULL, presenter_action);
  gtk_widget_class_install_action (widget_class, "win.compare", NULL, compare_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_l, GDK_CONTROL_MASK,
                                       "win.show-lesson", NULL);
  /* the page switcher is in the header bar, which fullscreen (presenter mode) hides */
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_1, GDK_CONTROL_MASK,
                                       "win.show-page", "s", "gradients");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_2, GDK_CONTROL_MASK,
                                       "win.show-page", "s", "pruning");
}

void
_lab_window_classroom_init (LabWindow *self)
{
  Classroom *c = g_new0 (Classroom, 1);
  GtkWidget *sidebar = GTK_WIDGET (lab_window_get_settings_panel (self));
  GtkWidget *outer = gtk_widget_get_parent (sidebar);
  GtkWidget *header = gtk_window_get_titlebar (GTK_WINDOW (self));
  GtkWidget *pages, *button;
  g_autoptr(GMenuModel) menu = lessons_menu ();

  g_object_set_qdata_full (G_OBJECT (self), classroom_quark (), c, g_free);
  g_return_if_fail (GTK_IS_PANED (outer));

  /* sidebar | pages  →  sidebar | (pages | lesson) */
  pages = g_object_ref (gtk_paned_get_end_child (GTK_PANED (outer)));
  gtk_paned_set_end_child (GTK_PANED (outer), NULL);
  c->paned = gtk_paned_new (GTK_ORIENTATION_HORIZONTAL);
  gtk_paned_set_start_child (GTK_PANED (c->paned), pages);
  gtk_paned_set_resize_end_child (GTK_PANED (c->paned), FALSE);
  gtk_paned_set_shrink_end_child (GTK_PANED (c->paned), FALSE);
  g_object_unref (pages);
  c->panel = lab_lesson_panel_new ();
  gtk_widget_set_size_request (c->panel, 280, -1);
  gtk_widget_set_visible (c->panel, FALSE);
  gtk_paned_set_end_child (GTK_PANED (c->paned), c->panel);
  gtk_paned_set_end_child (GTK_PANED (outer), c->paned);
  g_signal_connect (c->panel, "close", G_CALLBACK (on_panel_close), self);

  button = gtk_menu_button_new ();
  gtk_menu_button_set_label (GTK_MENU_BUTTON (button), "Lessons");
  gtk_menu_button_set_menu_model (GTK_MENU_BUTTON (button), menu);
  gtk_widget_set_tooltip_text (button, "Guided experiments with an explanation beside the plots");
  if (GTK_IS_HEADER_BAR (header))
    gtk_header_bar_pack_start (GTK_HEADER_BAR (header), button);
  else
    g_object_ref_sink (button), g_object_unref (button);
}
