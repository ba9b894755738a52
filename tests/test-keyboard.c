/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * test-keyboard.c: the main window driven by the keyboard alone. GTK 4.8 has no public way to
 * make a key event (GTK 3's gtk_test_widget_send_key() is gone; GdkEvent constructors are
 * private), so the keys are pressed in the X server: the XTEST extension of Xvfb makes real
 * key presses and releases, which reach the window as any typed key does (X11 → GDK → the
 * window's shortcut and key controllers → the focused widget). Nothing here calls an action or
 * moves the focus itself.
 *
 * Checked: Tab and Shift+Tab move the focus, with a visible focus ring in the light and dark
 * themes and in presenter mode; the sidebar is walked top to bottom; Space starts and pauses
 * training (the session's state); Up in the batch size spin button changes the batch and the
 * engine acknowledges it; F10 opens the main menu; F1 opens the lessons index and Enter there
 * opens a lesson; Ctrl+? opens the shortcuts window and Escape closes it; and the shortcuts
 * window lists every key the window has. Also what the About dialog says (/ui/help/about).
 */
#define G_LOG_DOMAIN "test-keyboard"

#include "config.h"

#include <math.h>

#include <gtk/gtk.h>
#include <gdk/x11/gdkx.h>
#include <X11/extensions/XTest.h>
#include <X11/keysym.h>

#include "lab-about.h"
#include "lab-lesson-panel.h"
#include "lab-lessons-index.h"
#include "lab-test-ui.h"
#include "lab-test-utils.h"
#include "lab-window-classroom.h"
#include "lab-window.h"

#define TIMEOUT_US (20 * G_USEC_PER_SEC)

typedef struct
{
  GtkApplication *app;
  LabWindow      *win;
  Display        *xdpy;
} Fixture;

typedef gboolean (*Condition) (Fixture *f, gpointer data);

/* Runs the main loop until @cond holds; fails the test after TIMEOUT_US. */
static void
wait_for (Fixture    *f,
          Condition   cond,
          gpointer    data,
          const char *what)
{
  gint64 end = g_get_monotonic_time () + TIMEOUT_US;

  while (!cond (f, data))
    {
      if (g_get_monotonic_time () > end)
        g_error ("timed out waiting for %s", what);
      g_main_context_iteration (NULL, FALSE);
      g_usleep (2000);
    }
}

/* Lets GTK take and handle what the X server sent, for @ms. */
static void
pump (guint ms)
{
  gint64 end = g_get_monotonic_time () + ms * 1000;

  /* a running session always has something to dispatch: mind the clock between sources */
  while (g_get_monotonic_time () < end)
    if (!g_main_context_iteration (NULL, FALSE))
      g_usleep (1000);
}

/* Presses and releases @sym with Control and/or Shift held, in the X server (XTEST). */
static void
press (Fixture *f,
       KeySym   sym,
       gboolean ctrl,
       gboolean shift)
{
  KeyCode key = XKeysymToKeycode (f->xdpy, sym);
  KeyCode ctrl_key = XKeysymToKeycode (f->xdpy, XK_Control_L);
  KeyCode shift_key = XKeysymToKeycode (f->xdpy, XK_Shift_L);

  g_assert_cmpuint (key, !=, 0);
  if (ctrl)
    XTestFakeKeyEvent (f->xdpy, ctrl_key, True, CurrentTime);
  if (shift)
    XTestFakeKeyEvent (f->xdpy, shift_key, True, CurrentTime);
  XTestFakeKeyEvent (f->xdpy, key, True, CurrentTime);
  XTestFakeKeyEvent (f->xdpy, key, False, CurrentTime);
  if (shift)
    XTestFakeKeyEvent (f->xdpy, shift_key, False, CurrentTime);
  if (ctrl)
    XTestFakeKeyEvent (f->xdpy, ctrl_key, False, CurrentTime);
  XSync (f->xdpy, False);
  pump (60);
}

static GtkWidget *
focus (Fixture *f)
{
  return gtk_root_get_focus (GTK_ROOT (f->win));
}

static gboolean
is_active (Fixture  *f,
           gpointer  window)
{
  return gtk_window_is_active (GTK_WINDOW (window));
}

/* The widget of @root's tree with the id @id in its .ui file. */
static GtkWidget *
find_id (GtkWidget  *root,
         const char *id)
{
  if (g_strcmp0 (gtk_buildable_get_buildable_id (GTK_BUILDABLE (root)), id) == 0)
    return root;
  for (GtkWidget *c = gtk_widget_get_first_child (root); c != NULL;
       c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_id (c, id);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static GtkWidget *
child (Fixture    *f,
       const char *id)
{
  GtkWidget *w = find_id (GTK_WIDGET (f->win), id);

  g_assert_nonnull (w);
  return w;
}

/* @w or its ancestor @ancestor. */
static gboolean
within (GtkWidget *w,
        GtkWidget *ancestor)
{
  return w != NULL && (w == ancestor || gtk_widget_is_ancestor (w, ancestor));
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  LabConfig cfg;

  /* an application, so the window gets GtkApplication's shortcuts window (Ctrl+?) */
  f->app = gtk_application_new (APP_ID, G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (f->app), NULL, NULL));
  lab_config_init_defaults (&cfg);
  g_assert_true (lab_config_load_preset (&cfg, "spiral", NULL));
  g_assert_true (lab_config_set (&cfg, "train.epochs", "100000", NULL));
  f->win = g_object_ref (lab_window_new (f->app, &cfg));
  lab_config_clear (&cfg);
  gtk_window_set_default_size (GTK_WINDOW (f->win), 1500, 940);
  gtk_window_present (GTK_WINDOW (f->win));
  f->xdpy = gdk_x11_display_get_xdisplay (gtk_widget_get_display (GTK_WIDGET (f->win)));
  wait_for (f, is_active, f->win, "the window to have the keyboard");
  pump (200);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  gtk_window_destroy (GTK_WINDOW (f->win));
  g_assert_finalize_object (f->win);
  g_object_unref (f->app);
}

/* --- focus ---------------------------------------------------------------------------------- */

/* The control a focus widget belongs to: a spin button for its text, a drop-down for its
 * button, else the widget itself. */
static GtkWidget *
control_of (GtkWidget *w)
{
  GtkWidget *c;

  if ((c = gtk_widget_get_ancestor (w, GTK_TYPE_SPIN_BUTTON)) != NULL ||
      (c = gtk_widget_get_ancestor (w, GTK_TYPE_DROP_DOWN)) != NULL)
    return c;
  return w;
}

/* Pixels of the window around @w, rendered as shown. */
static GdkTexture *
render_window (Fixture *f)
{
  GtkWidget *widget = GTK_WIDGET (f->win);
  g_autoptr (GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  g_autoptr (GskRenderer) renderer = gsk_cairo_renderer_new ();
  int w = gtk_widget_get_width (widget), h = gtk_widget_get_height (widget);
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  GskRenderNode *node;
  GdkTexture *texture;

  gtk_test_widget_wait_for_draw (widget);
  gdk_paintable_snapshot (paintable, snapshot, w, h);
  node = gtk_snapshot_free_to_node (snapshot);
  g_assert_true (gsk_renderer_realize (renderer, NULL, NULL));
  texture = gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, w, h));
  gsk_render_node_unref (node);
  gsk_renderer_unrealize (renderer);
  return texture;
}

/* Lets a style change reach a frame, and its transitions run out. */
static void
settle (Fixture *f)
{
  gtk_test_widget_wait_for_draw (GTK_WIDGET (f->win));
  pump (400);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (f->win));
}

/* Pixels within 6 px of @w's bounds that differ between @a and @b by more than 0.1 in a
 * channel. */
static guint
ring_pixels (Fixture    *f,
             GtkWidget  *w,
             GdkTexture *a,
             GdkTexture *b)
{
  int tw = gdk_texture_get_width (a), th = gdk_texture_get_height (a);
  g_autofree guchar *pa = g_malloc ((gsize) tw * th * 4);
  g_autofree guchar *pb = g_malloc ((gsize) tw * th * 4);
  graphene_rect_t r;
  guint n = 0;

  g_assert_true (gtk_widget_compute_bounds (w, GTK_WIDGET (f->win), &r));
  gdk_texture_download (a, pa, tw * 4);
  gdk_texture_download (b, pb, tw * 4);
  for (int y = MAX (0, (int) r.origin.y - 6); y < MIN (th, (int) (r.origin.y + r.size.height) + 6); y++)
    for (int x = MAX (0, (int) r.origin.x - 6); x < MIN (tw, (int) (r.origin.x + r.size.width) + 6); x++)
      for (int c = 0; c < 3; c++)
        if (abs (pa[(y * tw + x) * 4 + c] - pb[(y * tw + x) * 4 + c]) > 25)
          {
            n++;
            break;
          }
  return n;
}

/* The focused control shows a ring a user can see: its pixels change when the focus is shown
 * and when it is not (the window hides the ring after a pointer click, for instance). */
static void
assert_visible_ring (Fixture    *f,
                     const char *theme)
{
  GtkWidget *w = focus (f);
  g_autoptr (GdkTexture) shown = NULL;
  g_autoptr (GdkTexture) hidden = NULL;
  guint n;

  g_assert_true (gtk_window_get_focus_visible (GTK_WINDOW (f->win)));
  /* the theme fades the ring in and out (a 200 ms transition from the frame that first
   * draws the change): render each state well after it */
  settle (f);
  shown = render_window (f);
  gtk_window_set_focus_visible (GTK_WINDOW (f->win), FALSE);
  settle (f);
  hidden = render_window (f);
  gtk_window_set_focus_visible (GTK_WINDOW (f->win), TRUE);
  if (g_getenv ("GRADLAB_TEST_SAVE_RING") != NULL)
    {
      g_autofree char *a = g_strdup_printf ("ring-%s-shown.png", theme);
      g_autofree char *b = g_strdup_printf ("ring-%s-hidden.png", theme);
      gdk_texture_save_to_png (shown, a);
      gdk_texture_save_to_png (hidden, b);
    }
  n = ring_pixels (f, w, shown, hidden);
  g_test_message ("%s: the focus ring of %s changes %u pixels", theme, G_OBJECT_TYPE_NAME (w), n);
  /* at least a one-pixel line around a small button */
  g_assert_cmpuint (n, >=, 60);
}

static void
test_focus (Fixture       *f,
            gconstpointer  data)
{
  GtkWidget *sidebar = GTK_WIDGET (lab_window_get_settings_panel (f->win));
  GtkWidget *toggle = child (f, "grad_w_button");
  GtkWidget *scroller = GTK_WIDGET (gtk_widget_get_template_child (sidebar, LAB_TYPE_SETTINGS_PANEL,
                                                                   "scroller"));
  /* the scrolled window's viewport, and in it the sidebar's column */
  GtkWidget *content = gtk_widget_get_first_child (
    gtk_scrolled_window_get_child (GTK_SCROLLED_WINDOW (scroller)));
  GtkWidget *first = NULL, *prev, *last_sidebar = NULL;
  double last_y = -1;
  guint n_sidebar = 0, n_moves = 0;
  gboolean saw_play = FALSE, saw_toggle = FALSE;

  /* Tab round the whole window: every press moves the focus */
  for (guint i = 0; i < 120; i++)
    {
      prev = focus (f);
      press (f, XK_Tab, FALSE, FALSE);
      g_assert_true (focus (f) != NULL && focus (f) != prev);
      n_moves++;
      saw_play |= focus (f) == child (f, "play_button");
      saw_toggle |= focus (f) == toggle;
      if (within (focus (f), sidebar))
        {
          GtkWidget *c = control_of (focus (f));
          graphene_rect_t r;

          /* the sidebar reads top to bottom, as the .ini is grouped (in the scrolled content's
           * coordinates: the focus scrolls the sidebar) */
          g_assert_true (gtk_widget_compute_bounds (c, content, &r));
          if (c != last_sidebar)
            {

              if (last_sidebar != NULL)
                g_assert_cmpfloat (r.origin.y, >=, last_y - 1);
              last_y = r.origin.y;
              last_sidebar = c;
              n_sidebar++;
            }
        }
      else
        last_sidebar = NULL;   /* one pass through the sidebar at a time */
      if (first == NULL)
        first = focus (f);
      else if (focus (f) == first)
        break;   /* round once */
    }
  g_test_message ("%u focus stops, %u in the sidebar", n_moves, n_sidebar);
  g_assert_true (saw_play);
  g_assert_true (saw_toggle);
  g_assert_cmpuint (n_sidebar, >=, 20);
  g_assert_true (gtk_window_get_focus_visible (GTK_WINDOW (f->win)));

  /* Shift+Tab goes back where Tab came from */
  prev = focus (f);
  press (f, XK_Tab, FALSE, FALSE);
  g_assert_true (focus (f) != prev);
  press (f, XK_Tab, FALSE, TRUE);
  g_assert_true (focus (f) == prev);

  /* a visible focus ring, in every theme: Tab to a toolbar button and look */
  while (focus (f) != toggle)
    press (f, XK_Tab, FALSE, FALSE);
  assert_visible_ring (f, "light");
  g_object_set (gtk_settings_get_default (), "gtk-application-prefer-dark-theme", TRUE, NULL);
  pump (100);
  assert_visible_ring (f, "dark");
  lab_window_set_presenter (f->win, TRUE);
  /* presenter mode drops the focus (Space must play): Tab brings it back */
  while (focus (f) != toggle)
    press (f, XK_Tab, FALSE, FALSE);
  assert_visible_ring (f, "presenter, dark");
  g_object_set (gtk_settings_get_default (), "gtk-application-prefer-dark-theme", FALSE, NULL);
  pump (100);
  assert_visible_ring (f, "presenter, light");
  lab_window_set_presenter (f->win, FALSE);
}

/* --- training by keyboard ------------------------------------------------------------------ */

static LabSnapshot *
latest (Fixture *f)
{
  return lab_plot_model_get_latest (lab_window_get_plot_model (f->win));
}

static gboolean
in_state (Fixture  *f,
          gpointer  state)
{
  LabSnapshot *snap = latest (f);

  return snap != NULL && snap->status.acked >= lab_window_get_last_serial (f->win) &&
         snap->status.state == (LabSessionState) GPOINTER_TO_INT (state);
}

static gboolean
has_batch (Fixture  *f,
           gpointer  batch)
{
  LabSnapshot *snap = latest (f);

  return snap != NULL && snap->status.acked >= lab_window_get_last_serial (f->win) &&
         snap->config.train.batch == GPOINTER_TO_UINT (batch);
}

static gboolean
at_step (Fixture  *f,
         gpointer  step)
{
  LabSnapshot *snap = latest (f);

  return snap != NULL && snap->status.step == *(guint64 *) step;
}

static void
test_space_and_settings (Fixture       *f,
                         gconstpointer  data)
{
  LabSettingsPanel *panel = lab_window_get_settings_panel (f->win);
  guint batch = lab_settings_panel_get_batch (panel);
  GtkWidget *spin;
  guint64 step;

  wait_for (f, in_state, GINT_TO_POINTER (LAB_SESSION_PAUSED), "the paused session");
  /* Space plays wherever the focus is, unless it edits text: here on a header button */
  while (focus (f) != child (f, "play_button"))
    press (f, XK_Tab, FALSE, FALSE);
  press (f, XK_space, FALSE, FALSE);
  wait_for (f, in_state, GINT_TO_POINTER (LAB_SESSION_RUNNING), "Space to start training");
  press (f, XK_space, FALSE, FALSE);
  wait_for (f, in_state, GINT_TO_POINTER (LAB_SESSION_PAUSED), "Space to pause training");
  step = latest (f)->status.step;
  g_assert_cmpuint (step, >, 0);
  /* "." takes exactly one step */
  press (f, XK_period, FALSE, FALSE);
  step++;
  wait_for (f, at_step, &step, "one step");

  /* Tab to the batch size; Up adds one, live, and the engine takes it */
  spin = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (panel), LAB_TYPE_SETTINGS_PANEL,
                                                    "batch"));
  while (control_of (focus (f)) != spin)
    press (f, XK_Tab, FALSE, FALSE);
  press (f, XK_Up, FALSE, FALSE);
  g_assert_cmpuint (lab_settings_panel_get_batch (panel), ==, batch + 1);
  wait_for (f, in_state, GINT_TO_POINTER (LAB_SESSION_PAUSED), "the engine to take it");
  g_assert_cmpuint (latest (f)->status.error_serial, !=, lab_window_get_last_serial (f->win));
  /* Space and "." in a number field edit it; they do not play or step */
  press (f, XK_space, FALSE, FALSE);
  press (f, XK_period, FALSE, FALSE);
  pump (300);
  g_assert_cmpint (latest (f)->status.state, ==, LAB_SESSION_PAUSED);
  g_assert_cmpuint (latest (f)->status.step, ==, step);
  press (f, XK_BackSpace, FALSE, FALSE);
  press (f, XK_BackSpace, FALSE, FALSE);
  /* out of the number fields, "." steps again: that step's snapshot carries the engine's settings,
   * with the new batch size */
  do
    press (f, XK_Tab, FALSE, FALSE);
  while (GTK_IS_EDITABLE (focus (f)));
  g_assert_cmpuint (lab_settings_panel_get_batch (panel), ==, batch + 1);
  press (f, XK_period, FALSE, FALSE);
  step++;
  wait_for (f, at_step, &step, "the second step");
  wait_for (f, has_batch, GUINT_TO_POINTER (batch + 1), "a snapshot with the new batch size");
}

/* --- menus, help and shortcuts -------------------------------------------------------------- */

static GtkWindow *
find_toplevel (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr (GtkWindow) w = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (w, type) && gtk_widget_get_visible (GTK_WIDGET (w)))
        return w;   /* the list of toplevels keeps it */
    }
  return NULL;
}

/* A window of @type is shown and has the keyboard. Without a window manager, X gives a new
 * window the keyboard only if GTK asks when it maps it, which GtkShortcutsWindow does not: present
 * it again, as a window manager would focus a new window. */
static gboolean
toplevel_shown (Fixture  *f,
                gpointer  type)
{
  GtkWindow *w = find_toplevel ((GType) GPOINTER_TO_SIZE (type));

  if (w != NULL && gtk_widget_get_mapped (GTK_WIDGET (w)) && !gtk_window_is_active (w))
    gtk_window_present (w);
  return w != NULL && gtk_window_is_active (w);
}

/* The window of @type closed, and the keyboard is back in the main window. Xvfb has no window
 * manager to give it back (a desktop's does, to the closed window's parent): present it, as
 * the window manager would. */
static gboolean
toplevel_gone (Fixture  *f,
               gpointer  type)
{
  if (find_toplevel ((GType) GPOINTER_TO_SIZE (type)) != NULL)
    return FALSE;
  if (!is_active (f, f->win))
    gtk_window_present (GTK_WINDOW (f->win));
  return is_active (f, f->win);
}

static gboolean
menu_open (Fixture  *f,
           gpointer  data)
{
  GtkPopover *popover = gtk_menu_button_get_popover (GTK_MENU_BUTTON (child (f, "menu_button")));

  return popover != NULL && gtk_widget_get_visible (GTK_WIDGET (popover)) == GPOINTER_TO_INT (data);
}

static gboolean
lesson_shown (Fixture  *f,
              gpointer  title)
{
  LabLessonPanel *panel = lab_window_get_lesson_panel (f->win);

  return gtk_widget_get_visible (GTK_WIDGET (panel)) &&
         g_strcmp0 (lab_lesson_panel_get_title (panel), title) == 0;
}

static void
test_help (Fixture       *f,
           gconstpointer  data)
{
  GtkWindow *index;
  g_autoptr (LabLesson) first = NULL;

  /* F10: the main menu (every window action is in a menu or has a key); Escape closes it */
  press (f, XK_F10, FALSE, FALSE);
  wait_for (f, menu_open, GINT_TO_POINTER (TRUE), "F10 to open the main menu");
  press (f, XK_Escape, FALSE, FALSE);
  wait_for (f, menu_open, GINT_TO_POINTER (FALSE), "Escape to close the menu");

  /* F1: the lessons index; Tab to the first lesson, Enter opens it in the window */
  press (f, XK_F1, FALSE, FALSE);
  wait_for (f, toplevel_shown, GSIZE_TO_POINTER (LAB_TYPE_LESSONS_INDEX), "F1 to open Help");
  index = find_toplevel (LAB_TYPE_LESSONS_INDEX);
  g_assert_cmpuint (lab_lessons_index_get_n_items (LAB_LESSONS_INDEX (index)), ==, 7);
  while (!GTK_IS_LIST_BOX_ROW (gtk_root_get_focus (GTK_ROOT (index))))
    press (f, XK_Tab, FALSE, FALSE);
  g_assert_cmpint (gtk_list_box_row_get_index (GTK_LIST_BOX_ROW (
                     gtk_root_get_focus (GTK_ROOT (index)))), ==, 0);
  first = lab_lesson_load_shipped (lab_lessons_index_get_name (LAB_LESSONS_INDEX (index), 0),
                                   NULL);
  press (f, XK_Return, FALSE, FALSE);   /* the index closes and goes */
  wait_for (f, toplevel_gone, GSIZE_TO_POINTER (LAB_TYPE_LESSONS_INDEX), "the index to close");
  wait_for (f, lesson_shown, (gpointer) lab_lesson_get_title (first), "the lesson to open");

  /* F1 again, and Escape closes the index */
  press (f, XK_F1, FALSE, FALSE);
  wait_for (f, toplevel_shown, GSIZE_TO_POINTER (LAB_TYPE_LESSONS_INDEX), "F1 again");
  press (f, XK_Escape, FALSE, FALSE);
  wait_for (f, toplevel_gone, GSIZE_TO_POINTER (LAB_TYPE_LESSONS_INDEX), "Escape to close Help");

  /* Ctrl+? (Ctrl+Shift+/ on this keyboard): the shortcuts window; Escape closes it */
  press (f, XK_question, TRUE, TRUE);
  wait_for (f, toplevel_shown, GSIZE_TO_POINTER (GTK_TYPE_SHORTCUTS_WINDOW), "Ctrl+?");
  press (f, XK_Escape, FALSE, FALSE);
  wait_for (f, toplevel_gone, GSIZE_TO_POINTER (GTK_TYPE_SHORTCUTS_WINDOW),
            "Escape to close the shortcuts");
}

/* The accelerators the shortcuts window lists, as "<mods>keyval" strings. */
static GHashTable *
listed_accels (void)
{
  g_autoptr (GtkBuilder) builder =
    gtk_builder_new_from_resource ("/io/github/gradlab/GradientLab/gtk/help-overlay.ui");
  GHashTable *listed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  GSList *objects = gtk_builder_get_objects (builder);

  for (GSList *o = objects; o != NULL; o = o->next)
    {
      g_autofree char *accels = NULL;
      g_auto (GStrv) each = NULL;

      if (!GTK_IS_SHORTCUTS_SHORTCUT (o->data))
        continue;
      g_object_get (o->data, "accelerator", &accels, NULL);
      each = g_strsplit (accels, " ", -1);
      for (guint i = 0; each[i] != NULL; i++)
        {
          guint key;
          GdkModifierType mods;

          g_assert_true (gtk_accelerator_parse (each[i], &key, &mods));
          g_hash_table_add (listed, gtk_accelerator_name (key, mods));
        }
    }
  g_slist_free (objects);
  gtk_window_destroy (GTK_WINDOW (gtk_builder_get_object (builder, "help_overlay")));
  return listed;
}

/* Every key of the window that runs one of its actions (a class binding or a shortcut of the
 * window's own controllers, named "win.…") is in the shortcuts window; keypad twins of listed
 * keys (KP_Space, KP_Decimal) need no line of their own. */
static void
test_shortcuts_listed (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr (GHashTable) listed = listed_accels ();
  g_autoptr (GListModel) controllers = gtk_widget_observe_controllers (GTK_WIDGET (f->win));
  guint n_keys = 0;

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr (GObject) c = g_list_model_get_item (controllers, i);

      if (!GTK_IS_SHORTCUT_CONTROLLER (c))
        continue;
      for (guint j = 0; j < g_list_model_get_n_items (G_LIST_MODEL (c)); j++)
        {
          g_autoptr (GtkShortcut) s = g_list_model_get_item (G_LIST_MODEL (c), j);
          GtkShortcutTrigger *t = gtk_shortcut_get_trigger (s);
          GtkShortcutAction *a = gtk_shortcut_get_action (s);
          g_autofree char *name = NULL;
          guint key;

          if (!GTK_IS_KEYVAL_TRIGGER (t))
            continue;
          if (GTK_IS_NAMED_ACTION (a) &&
              !g_str_has_prefix (gtk_named_action_get_action_name (GTK_NAMED_ACTION (a)), "win."))
            continue;   /* GTK's own (window.close, the inspector …) */
          if (!GTK_IS_NAMED_ACTION (a) && !GTK_IS_CALLBACK_ACTION (a))
            continue;
          key = gtk_keyval_trigger_get_keyval (GTK_KEYVAL_TRIGGER (t));
          if (key == GDK_KEY_KP_Space || key == GDK_KEY_KP_Decimal)
            continue;
          name = gtk_accelerator_name (key, gtk_keyval_trigger_get_modifiers (
                                              GTK_KEYVAL_TRIGGER (t)));
          if (!g_hash_table_contains (listed, name))
            g_error ("%s is not in the shortcuts window", name);
          n_keys++;
        }
    }
  g_test_message ("%u keys, all listed", n_keys);
  /* Space, ".", Right, Ctrl+R, F11, Shift+F11, Ctrl+E, Ctrl+O, Ctrl+S, Ctrl+L, Ctrl+1, Ctrl+2,
   * F1 */
  g_assert_cmpuint (n_keys, >=, 13);
  /* and the application's */
  {
    g_auto (GStrv) accels = gtk_application_get_accels_for_action (f->app,
                                                                   "win.show-help-overlay");

    g_assert_nonnull (accels[0]);
    for (guint i = 0; accels[i] != NULL; i++)
      {
        guint key;
        GdkModifierType mods;
        g_autofree char *name = NULL;

        g_assert_true (gtk_accelerator_parse (accels[i], &key, &mods));
        name = gtk_accelerator_name (key, mods);
        g_assert_true (g_hash_table_contains (listed, name));
      }
  }
}

/* The About dialog says what a classroom needs to know, with no link: version, BLAS kernels
 * and threads, whether the data is installed (as the engine will find it), the licence. */
static void
test_about (void)
{
  g_autofree char *info = lab_about_system_information ();
  g_autofree char *dir = lab_test_mkdtemp ();
  g_autofree char *file = NULL;
  GtkWindow *about = lab_about_new (NULL);
  GtkAboutDialog *dialog = GTK_ABOUT_DIALOG (about);

  g_assert_cmpstr (gtk_about_dialog_get_version (dialog), ==, PACKAGE_VERSION);
  g_assert_nonnull (strstr (gtk_about_dialog_get_license (dialog), "GPL-3.0-or-later"));
  g_assert_null (strstr (gtk_about_dialog_get_license (dialog), "http"));
  g_assert_null (gtk_about_dialog_get_website (dialog));
  g_assert_cmpstr (gtk_about_dialog_get_system_information (dialog), ==, info);
  g_test_message ("%s", info);
  g_assert_true (g_str_has_prefix (info, "Gradient Lab " PACKAGE_VERSION "\n"));
  g_assert_nonnull (strstr (info, "BLAS: OpenBLAS"));
  g_assert_nonnull (strstr (info, " thread"));
  g_assert_nonnull (strstr (info, lab_test_have_fashion_mnist ()
                                    ? "Fashion-MNIST: installed in " LAB_FASHION_MNIST_DIR
                                    : "Fashion-MNIST: not installed"));
  gtk_window_destroy (about);

  /* found in a folder as the IDX loader finds it: plain or gzip-compressed */
  g_assert_false (lab_about_has_fashion_mnist (dir));
  file = lab_test_write_file (dir, "train-images-idx3-ubyte.gz", "", 0);
  g_assert_true (lab_about_has_fashion_mnist (dir));
  lab_test_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  if (!lab_test_init_ui (&argc, &argv))
    return g_test_run ();
  if (!GDK_IS_X11_DISPLAY (gdk_display_get_default ()))
    {
      g_test_skip ("keys are pressed through X11's XTEST extension: not an X11 display");
      return 0;
    }
  {
    int event, error, major, minor;

    if (!XTestQueryExtension (gdk_x11_display_get_xdisplay (gdk_display_get_default ()),
                              &event, &error, &major, &minor))
      g_error ("the X server has no XTEST extension (Xvfb has it)");
  }

#define ADD(path, fn) g_test_add (path, Fixture, NULL, fixture_setup, fn, fixture_teardown)
  ADD ("/ui/keyboard/focus", test_focus);
  ADD ("/ui/keyboard/space-and-settings", test_space_and_settings);
  ADD ("/ui/keyboard/help", test_help);
  ADD ("/ui/keyboard/shortcuts-listed", test_shortcuts_listed);
#undef ADD
  g_test_add_func ("/ui/help/about", test_about);

  return g_test_run ();
}
