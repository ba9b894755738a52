/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * test-i18n-window.c: the window speaks German, every string of it. The same window (with the
 * sweep and lottery dialogs, the export dialog and a compare window) is built twice, in English
 * and under LANGUAGE=de with the de_DE.UTF-8 locale, from the catalogues of the build tree (as
 * lab-i18n.c finds them), after the same few training steps. A walk over each widget tree
 * collects what a user reads or hears: labels, button and check button labels, tooltips,
 * window titles, the menus' items, accessible labels, and each plot's title, subtitle, empty
 * message and description (what a screen reader says). Every English text that comes out the
 * same in German must be on the short allow-list below (names, symbols, setting values, which
 * stay in English everywhere: po/GLOSSARY.md), so a string left unmarked, or marked and not
 * translated, fails here with its text. The German numbers on screen write a decimal comma,
 * and group thousands with a point. gradlab --help comes out in German and Spanish.
 */
#define G_LOG_DOMAIN "test-i18n-window"

#include "config.h"

#include <locale.h>
#include <string.h>

#include <glib/gi18n.h>
#include <gtk/gtk.h>

#include "lab-compare-window.h"
#include "lab-experiment-dialog.h"
#include "lab-export-dialog.h"
#include "lab-i18n.h"
#include "lab-loss-plot.h"
#include "lab-number-format.h"
#include "lab-plot.h"
#include "lab-test-ui.h"

#define N_STEPS 5

/* Texts that are the same in English and German, and why. */
static const char * const same_in_german[] = {
  /* names */
  "Gradient Lab", "Fashion-MNIST", "MNIST", "OpenBLAS", "PyTorch",
  /* terms po/GLOSSARY.md keeps in German */
  "Bias", "Batch", "Sweep", "Sweep…", "S_weep…", "Momentum", "Heatmap", "Heatmaps",
  "Backpropagation",
  /* the names of activations, optimisers, initialisations, criteria: setting values */
  "sigmoid", "tanh", "ReLU", "leaky ReLU", "ELU", "linear", "GELU", "softmax",
  "_magnitude |w|", "_gradient |g|", "sa_liency |w·g|", "_random",
  "magnitude |w|", "gradient |g|", "saliency |w·g|", "random",
  /* words German spells as English does */
  "global", "Live", "Start", "Name", "Training", "Rate", "Format",
  NULL
};

/* TRUE if @text may read the same in both languages: on the allow-list, or with no word in it
 * (numbers, symbols such as ‖δ‖, units, formulas like "W1 784×256"), or a setting's value as a
 * file writes it (a lone lowercase word with '-' or '_': he-normal, fashion-mnist), or a
 * lesson's title ("2. Vanishing gradients"), which comes from the lesson's own file
 * (resources/lessons/), not from po/, or a preset's name (what --preset takes). */
static gboolean
may_be_same (const char *text)
{
  static GRegex *wordless, *value, *lesson;
  g_auto(GStrv) presets = lab_config_list_presets ();

  if (g_once_init_enter (&wordless))
    {
      value = g_regex_new ("^[a-z0-9]+([-_.][a-z0-9]+)+$", 0, 0, NULL);
      lesson = g_regex_new ("^[1-9][0-9]?\\. \\p{Lu}", 0, 0, NULL);
      /* no run of three letters, or only capitals and digits (L1, W12, H3, x₁, |δ|) */
      g_once_init_leave (&wordless, g_regex_new ("^([^\\p{L}]|\\p{L}{1,2}(?!\\p{L}))*$", 0, 0,
                                                 NULL));
    }
  return g_strv_contains (same_in_german, text) || g_regex_match (wordless, text, 0, NULL) ||
         g_regex_match (value, text, 0, NULL) || g_regex_match (lesson, text, 0, NULL) ||
         g_strv_contains ((const char * const *) presets, text);
}

/* --- the walk ------------------------------------------------------------------------------ */

static void
add (GPtrArray  *out,
     const char *kind,
     const char *text)
{
  if (text != NULL && *text != '\0')
    g_ptr_array_add (out, g_strdup_printf ("%s\t%s", kind, text));
}

/* The labels of a menu's items, its sections' and submenus' too. */
static void
collect_menu (GMenuModel *menu,
              GPtrArray  *out)
{
  for (int i = 0; i < g_menu_model_get_n_items (menu); i++)
    {
      g_autofree char *label = NULL;
      g_autoptr(GMenuModel) section = g_menu_model_get_item_link (menu, i, G_MENU_LINK_SECTION);
      g_autoptr(GMenuModel) submenu = g_menu_model_get_item_link (menu, i, G_MENU_LINK_SUBMENU);

      if (g_menu_model_get_item_attribute (menu, i, G_MENU_ATTRIBUTE_LABEL, "s", &label))
        add (out, "menu item", label);
      if (section != NULL)
        collect_menu (section, out);
      if (submenu != NULL)
        collect_menu (submenu, out);
    }
}

/* What a plot shows in words: title, subtitle, empty message, and what a screen reader says. */
static void
collect_plot (LabPlot   *plot,
              GPtrArray *out)
{
  LabPlotClass *klass = LAB_PLOT_GET_CLASS (plot);
  const char *title = NULL, *subtitle = NULL;
  char empty[256];

  lab_plot_update (plot);
  if (klass->get_title != NULL)
    klass->get_title (plot, &title, &subtitle);
  add (out, "plot title", title);
  add (out, "plot subtitle", subtitle);
  if (klass->get_empty_message != NULL && klass->get_empty_message (plot, empty, sizeof empty))
    add (out, "plot empty message", empty);
  add (out, "plot description", lab_plot_refresh_accessible (plot));
}

static void
collect (GtkWidget *w,
         GPtrArray *out)
{
  if (GTK_IS_WINDOW (w))
    add (out, "window title", gtk_window_get_title (GTK_WINDOW (w)));
  if (GTK_IS_LABEL (w))
    add (out, "label", gtk_label_get_text (GTK_LABEL (w)));
  if (GTK_IS_BUTTON (w) && gtk_button_get_label (GTK_BUTTON (w)) != NULL &&
      gtk_button_get_child (GTK_BUTTON (w)) == NULL)
    add (out, "button", gtk_button_get_label (GTK_BUTTON (w)));
  if (GTK_IS_CHECK_BUTTON (w))
    add (out, "check button", gtk_check_button_get_label (GTK_CHECK_BUTTON (w)));
  if (GTK_IS_MENU_BUTTON (w) && gtk_menu_button_get_menu_model (GTK_MENU_BUTTON (w)) != NULL)
    collect_menu (gtk_menu_button_get_menu_model (GTK_MENU_BUTTON (w)), out);
  if (GTK_IS_POPOVER_MENU (w) && gtk_popover_menu_get_menu_model (GTK_POPOVER_MENU (w)) != NULL)
    collect_menu (gtk_popover_menu_get_menu_model (GTK_POPOVER_MENU (w)), out);
  add (out, "tooltip", gtk_widget_get_tooltip_text (w));
  if (LAB_IS_PLOT (w))
    collect_plot (LAB_PLOT (w), out);
  /* a drop-down's items are setting values (sigmoid, adam, magnitude), which stay in English,
   * or the plots' titles (the export dialog's), which the plots themselves are checked for */
  if (GTK_IS_DROP_DOWN (w))
    return;
  for (GtkWidget *c = gtk_widget_get_first_child (w); c; c = gtk_widget_get_next_sibling (c))
    collect (c, out);
}

static gboolean
has_rows (LabWindow *win,
          gpointer   data)
{
  LabSnapshot *latest = lab_test_window_latest (win);

  return latest != NULL && latest->status.step >= N_STEPS && lab_test_history (win) != NULL;
}

static gboolean
has_snapshot (LabWindow *win,
              gpointer   data)
{
  return lab_test_window_latest (win) != NULL;
}

/* Everything the window and its dialogs show in the current language, in tree order, after
 * N_STEPS training steps; @numbers gets the sidebar's learning rate and the loss plot's
 * description, the numbers this test reads. */
static GPtrArray *
walk_window (GString *numbers)
{
  GPtrArray *out = g_ptr_array_new_with_free_func (g_free);
  LabWindow *win = g_object_ref (lab_window_new (NULL, NULL));
  LabConfig cfg;
  GtkWidget *loss;

  gtk_window_set_default_size (GTK_WINDOW (win), 1400, 900);
  gtk_window_present (GTK_WINDOW (win));
  lab_test_window_until (win, has_snapshot, NULL, 10000, "the first snapshot");
  for (guint i = 0; i < N_STEPS; i++)
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (win), "win.step", NULL));
  lab_test_window_until (win, has_rows, NULL, 20000, "five steps");

  collect (GTK_WIDGET (win), out);
  loss = lab_test_find_widget (GTK_WIDGET (win), LAB_TYPE_LOSS_PLOT);
  g_assert_nonnull (loss);
  g_string_append_printf (numbers, "%s\n", lab_plot_refresh_accessible (LAB_PLOT (loss)));

  /* the sweep's and the lottery's dialogs, as their menu items open them */
  for (int k = 0; k < 2; k++)
    {
      GtkWidget *dialog = NULL;
      GList *toplevels;

      g_assert_true (gtk_widget_activate_action (GTK_WIDGET (win), k ? "win.lottery" : "win.sweep",
                                                 NULL));
      toplevels = gtk_window_list_toplevels ();
      for (GList *l = toplevels; l != NULL; l = l->next)
        if (LAB_IS_EXPERIMENT_DIALOG (l->data))
          dialog = l->data;
      g_list_free (toplevels);
      g_assert_nonnull (dialog);
      collect (dialog, out);
      gtk_window_destroy (GTK_WINDOW (dialog));
    }
  {
    GtkWindow *dialog = GTK_WINDOW (lab_export_dialog_new (win, NULL));

    collect (GTK_WIDGET (dialog), out);
    gtk_window_destroy (dialog);
  }
  {
    LabCompareWindow *compare;

    lab_config_init_defaults (&cfg);
    g_assert_true (lab_config_load_preset (&cfg, "spiral", NULL));
    compare = g_object_ref (lab_compare_window_new (NULL, &cfg, "a", &cfg, "b"));
    collect (GTK_WIDGET (compare), out);
    /* gone with its two sessions (their threads joined) before the next window */
    gtk_window_destroy (GTK_WINDOW (compare));
    g_assert_finalize_object (compare);
    lab_config_clear (&cfg);
  }
  lab_test_close_window (win);
  return out;
}

/* Sets the language of messages and the locale of numbers (NULL: English and "C.UTF-8"). */
static gboolean
use_language (const char *language,
              const char *locale)
{
  g_autofree char *dir = lab_i18n_localedir_for (g_getenv ("GRADLAB_CLI"));

  lab_test_use_language (dir, language);
  return locale == NULL || setlocale (LC_ALL, locale) != NULL;
}

static void
test_german (void)
{
  g_autoptr(GString) en_numbers = g_string_new (NULL);
  g_autoptr(GString) de_numbers = g_string_new (NULL);
  g_autoptr(GPtrArray) en = NULL;
  g_autoptr(GPtrArray) de = NULL;
  g_autoptr(GString) untranslated = g_string_new (NULL);
  guint n_same = 0;
  char grouped[32];

  if (!use_language ("de", "de_DE.UTF-8"))
    {
      use_language (NULL, NULL);
      g_test_skip ("locale de_DE.UTF-8 is not installed (locales-all)");
      return;
    }
  use_language (NULL, NULL);
  en = walk_window (en_numbers);
  g_assert_true (use_language ("de", "de_DE.UTF-8"));
  de = walk_window (de_numbers);
  /* counts group their thousands as German does: 1,024 would read as a decimal there */
  lab_number_format_count (235200, grouped, sizeof grouped);
  g_assert_cmpstr (grouped, ==, "235.200");
  use_language (NULL, NULL);
  lab_number_format_count (235200, grouped, sizeof grouped);
  g_assert_cmpstr (grouped, ==, "235,200");

  g_test_message ("%u texts in English, %u in German", en->len, de->len);
  g_assert_cmpuint (en->len, >, 300);
  g_assert_cmpuint (de->len, ==, en->len);
  for (guint i = 0; i < en->len; i++)
    {
      const char *e = g_ptr_array_index (en, i), *d = g_ptr_array_index (de, i);

      if (g_str_equal (e, d))
        {
          n_same++;
          if (!may_be_same (strchr (e, '\t') + 1))
            g_string_append_printf (untranslated, "\n  %s", e);
        }
    }
  g_test_message ("%u texts the same in both", n_same);
  if (untranslated->len > 0)
    g_error ("English in the German window:%s", untranslated->str);

  /* the loss plot says its numbers as each language writes them */
  if (!g_regex_match_simple ("loss is [0-9]+\\.[0-9]+", en_numbers->str, 0, 0))
    g_error ("no English loss with a decimal point in: %s", en_numbers->str);
  if (!g_regex_match_simple ("Trainingsverlust [0-9]+,[0-9]+", de_numbers->str, 0, 0))
    g_error ("no German loss with a decimal comma in: %s", de_numbers->str);
}

/* gradlab --help, whose options GApplication lists, in German and Spanish. */
static void
test_help (void)
{
  const char *langs[][3] = {
    { "de", "Das Training nicht sofort starten", "--geometry=BREITExHÖHE" },
    { "es", "No empezar el entrenamiento enseguida", "--geometry=ANCHOxALTO" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (langs); i++)
    {
      char *argv[] = { (char *) g_getenv ("GRADLAB_APP"), "--help", NULL };
      g_auto(GStrv) env = g_environ_setenv (g_get_environ (), "LANGUAGE", langs[i][0], TRUE);
      g_autofree char *out = NULL;
      g_autoptr(GError) error = NULL;
      int status;

      g_assert_nonnull (argv[0]);
      env = g_environ_setenv (env, "LC_ALL", "C.UTF-8", TRUE);
      g_spawn_sync (NULL, argv, env, G_SPAWN_DEFAULT, NULL, NULL, &out, NULL, &status, &error);
      g_assert_no_error (error);
      g_assert_true (g_spawn_check_wait_status (status, NULL));
      if (strstr (out, langs[i][1]) == NULL || strstr (out, langs[i][2]) == NULL)
        g_error ("gradlab --help in %s lacks “%s” or “%s”:\n%s", langs[i][0], langs[i][1],
                 langs[i][2], out);
    }
}

int
main (int   argc,
      char *argv[])
{
  if (!lab_test_init_ui (&argc, &argv))
    return g_test_run ();
  /* as lab_i18n_init() does: the window's _() and its .ui files read the "gradlab" domain */
  textdomain (GETTEXT_PACKAGE);

  g_test_add_func ("/ui/i18n-window/german", test_german);
  g_test_add_func ("/ui/i18n-window/help", test_help);

  return g_test_run ();
}
