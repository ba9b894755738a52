/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * test-i18n.c: the translations (po/).
 * - programs run from the build tree read the catalogues compiled into it (lab-i18n.c);
 * - po/POTFILES.in lists every file with a marked string, and only files that exist;
 * - every string xgettext finds (with the arguments of `meson compile gradlab-pot`) has a
 *   translation in every language of po/LINGUAS, none fuzzy, and msgfmt --check accepts them:
 *   a string marked but not translated fails here, naming it;
 * - engine messages and the presets' summaries come out translated in the process;
 * - `gradlab-cli --help`, a bad setting and an unknown command come out in German and Spanish,
 *   while the settings it prints, the JSON summary and the metrics stay as they are in English,
 *   and its progress shows numbers as the locale writes them.
 */
#define G_LOG_DOMAIN "lab-test"
#include "config.h"

#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include "lab-config.h"
#include "lab-i18n.h"
#include "lab-test-utils.h"

/* The catalogues a program of this build tree reads. */
static char *
build_localedir (void)
{
  return lab_i18n_localedir_for (g_getenv ("GRADLAB_CLI"));
}

static char **
read_lines (const char *path)
{
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;

  g_file_get_contents (path, &text, NULL, &error);
  g_assert_no_error (error);
  return g_strsplit (text, "\n", -1);
}

/* The languages of po/LINGUAS. */
static GPtrArray *
linguas (void)
{
  g_autofree char *path = g_build_filename (LAB_SOURCE_DIR, "po", "LINGUAS", NULL);
  g_auto(GStrv) lines = read_lines (path);
  GPtrArray *out = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; lines[i] != NULL; i++)
    if (*g_strstrip (lines[i]) != '\0' && lines[i][0] != '#')
      g_ptr_array_add (out, g_strdup (lines[i]));
  g_assert_cmpuint (out->len, >=, 2);
  return out;
}

/* ------------------------------------------------------------------------------------------ */

static void
test_localedir (void)
{
  g_autofree char *root = realpath (LAB_BUILD_ROOT, NULL);
  g_autofree char *in_tree = build_localedir ();
  g_autofree char *expected = g_build_filename (root, "po", NULL);
  g_autofree char *mo = g_build_filename (in_tree, "de", "LC_MESSAGES", "gradlab.mo", NULL);
  g_autofree char *next_door = g_strconcat (root, "-other/app/gradlab-cli", NULL);
  g_autofree char *installed = lab_i18n_localedir_for ("/usr/bin/gradlab-cli");
  g_autofree char *unknown = lab_i18n_localedir_for (NULL);
  g_autofree char *beside = lab_i18n_localedir_for (next_door);

  g_assert_cmpstr (in_tree, ==, expected);
  g_assert_true (g_file_test (mo, G_FILE_TEST_IS_REGULAR));
  g_assert_cmpstr (installed, ==, LOCALEDIR);
  g_assert_cmpstr (unknown, ==, LOCALEDIR);
  g_assert_cmpstr (beside, ==, LOCALEDIR);
}

/* TRUE if the file holds a string marked for translation. */
static gboolean
has_marks (const char *path)
{
  static GRegex *c_mark, *ui_mark;
  g_autofree char *text = NULL;

  if (g_once_init_enter (&c_mark))
    {
      ui_mark = g_regex_new ("translatable=\"yes\"", 0, 0, NULL);
      g_once_init_leave (&c_mark, g_regex_new ("(?<![A-Za-z0-9_])(N?C?_\\s*\\(|ngettext\\s*\\(|"
                                               "g_dngettext\\s*\\(\\s*GETTEXT_PACKAGE\\s*,)\\s*\"",
                                               0, 0, NULL));
    }
  if (g_str_has_suffix (path, ".desktop.in") || g_str_has_suffix (path, ".metainfo.xml.in"))
    return TRUE;
  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  return g_regex_match (g_str_has_suffix (path, ".ui") ? ui_mark : c_mark, text, 0, NULL);
}

/* Files below SOURCE/@dir whose names end in @suffix, as paths relative to SOURCE. */
static void
find_files (const char *dir,
            const char *suffix,
            GPtrArray  *out)
{
  g_autofree char *full = g_build_filename (LAB_SOURCE_DIR, dir, NULL);
  g_autoptr(GPtrArray) files = lab_test_list_files (full);

  for (guint i = 0; i < files->len; i++)
    if (g_str_has_suffix (g_ptr_array_index (files, i), suffix))
      g_ptr_array_add (out, g_build_filename (dir, g_ptr_array_index (files, i), NULL));
}

static void
test_potfiles (void)
{
  g_autofree char *path = g_build_filename (LAB_SOURCE_DIR, "po", "POTFILES.in", NULL);
  g_auto(GStrv) lines = read_lines (path);
  g_autoptr(GPtrArray) listed = g_ptr_array_new ();
  g_autoptr(GPtrArray) candidates = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) missing = g_string_new (NULL);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autofree char *file = NULL;

      if (*g_strstrip (lines[i]) == '\0' || lines[i][0] == '#')
        continue;
      file = g_build_filename (LAB_SOURCE_DIR, lines[i], NULL);
      if (!g_file_test (file, G_FILE_TEST_IS_REGULAR))
        g_error ("po/POTFILES.in lists %s, which does not exist", lines[i]);
      g_ptr_array_add (listed, lines[i]);
    }

  find_files ("engine", ".c", candidates);
  find_files ("app", ".c", candidates);
  find_files ("ui", ".c", candidates);
  find_files ("resources", ".ui", candidates);
  find_files ("resources", ".in", candidates);
  g_assert_cmpuint (candidates->len, >, 100);
  for (guint i = 0; i < candidates->len; i++)
    {
      const char *rel = g_ptr_array_index (candidates, i);
      g_autofree char *file = g_build_filename (LAB_SOURCE_DIR, rel, NULL);

      if (has_marks (file) && !g_ptr_array_find_with_equal_func (listed, rel, g_str_equal, NULL))
        g_string_append_printf (missing, " %s", rel);
    }
  if (missing->len > 0)
    g_error ("files with strings marked for translation missing from po/POTFILES.in:%s",
             missing->str);
}

/* Runs @argv (a NULL-terminated array) in @cwd; returns its exit status and its stderr. */
static int
run_tool (const char  *cwd,
          char       **argv,
          char       **err)
{
  g_autoptr(GError) error = NULL;
  int status;

  g_spawn_sync (cwd, argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL,
                NULL, err, &status, &error);
  g_assert_no_error (error);
  return g_spawn_check_wait_status (status, NULL) ? 0 : 1;
}

/* The untranslated and fuzzy entries of @po, for a failure message. */
static char *
not_translated (const char *dir,
                const char *po)
{
  char *untranslated[] = { "msgattrib", "--untranslated", "--no-wrap", "--no-location",
                           (char *) po, NULL };
  char *fuzzy[] = { "msgattrib", "--only-fuzzy", "--no-wrap", "--no-location", (char *) po,
                    NULL };
  g_autofree char *a = NULL, *b = NULL;
  g_autoptr(GError) error = NULL;

  g_spawn_sync (dir, untranslated, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &a, NULL, NULL,
                &error);
  g_assert_no_error (error);
  g_spawn_sync (dir, fuzzy, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &b, NULL, NULL, &error);
  g_assert_no_error (error);
  return g_strconcat (a, b, NULL);
}

static void
test_complete (void)
{
  const char *tools[] = { "xgettext", "msgmerge", "msgfmt", "msgattrib" };
  g_autofree char *tmp = NULL;
  g_autofree char *potfiles = g_build_filename (LAB_SOURCE_DIR, "po", "POTFILES.in", NULL);
  g_autofree char *pot = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GPtrArray) langs = linguas ();
  g_auto(GStrv) args = NULL;
  g_auto(GStrv) pot_lines = NULL;
  guint n_messages = 0;

  for (guint i = 0; i < G_N_ELEMENTS (tools); i++)
    {
      g_autofree char *found = g_find_program_in_path (tools[i]);
      if (found == NULL)
        {
          g_test_skip ("gettext's tools are not installed (scripts/install-deps)");
          return;
        }
    }
  g_assert_nonnull (g_getenv ("GRADLAB_XGETTEXT_ARGS"));
  args = g_strsplit (g_getenv ("GRADLAB_XGETTEXT_ARGS"), "\n", -1);
  tmp = lab_test_mkdtemp ();
  pot = g_build_filename (tmp, "gradlab.pot", NULL);

  /* as meson's `gettext pot` runs it */
  g_ptr_array_add (argv, "xgettext");
  g_ptr_array_add (argv, "--package-name=gradlab");
  g_ptr_array_add (argv, "-f");
  g_ptr_array_add (argv, potfiles);
  g_ptr_array_add (argv, "-D");
  g_ptr_array_add (argv, LAB_SOURCE_DIR);
  g_ptr_array_add (argv, "-k_");
  g_ptr_array_add (argv, "-o");
  g_ptr_array_add (argv, pot);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, args[i]);
  g_ptr_array_add (argv, NULL);
  g_assert_cmpint (run_tool (tmp, (char **) argv->pdata, NULL), ==, 0);

  pot_lines = read_lines (pot);
  for (guint i = 0; pot_lines[i] != NULL; i++)
    if (g_str_has_prefix (pot_lines[i], "msgid "))
      n_messages++;
  n_messages--;   /* the header */
  g_assert_cmpuint (n_messages, >, 500);

  for (guint l = 0; l < langs->len; l++)
    {
      const char *lang = g_ptr_array_index (langs, l);
      g_autofree char *source_po = g_strdup_printf ("%s/po/%s.po", LAB_SOURCE_DIR, lang);
      g_autofree char *merged = g_strdup_printf ("%s/%s.po", tmp, lang);
      g_autofree char *expected = g_strdup_printf ("%u translated messages.\n", n_messages);
      g_autofree char *stats = NULL;
      char *merge[] = { "msgmerge", "--quiet", "--no-fuzzy-matching", "-o", merged, source_po,
                        pot, NULL };
      char *check[] = { "msgfmt", "--check", "--statistics", "-o", "/dev/null", merged, NULL };

      g_assert_cmpint (run_tool (tmp, merge, NULL), ==, 0);
      g_assert_cmpint (run_tool (tmp, check, &stats), ==, 0);
      if (!g_str_equal (stats, expected))
        {
          g_autofree char *which = not_translated (tmp, merged);
          g_error ("po/%s.po: %s(expected %s)\n%s", lang, stats, expected, which);
        }
    }
  lab_test_rmdir (tmp);
}

/* ------------------------------------------------------------------------------------------ */

static void
test_engine_messages (void)
{
  g_autofree char *dir = build_localedir ();
  const char *langs[] = { "de", "es" };
  const char *lr_messages[] = {
    "[train] lr = 'fast': muss eine Zahl > 0 und ≤ 100 sein",
    "[train] lr = 'fast': debe ser un número > 0 y ≤ 100",
  };
  g_auto(GStrv) presets = lab_config_list_presets ();
  g_autoptr(GPtrArray) english = g_ptr_array_new_with_free_func (g_free);

  lab_test_use_language (dir, NULL);
  for (guint i = 0; presets[i] != NULL; i++)
    g_ptr_array_add (english, lab_config_preset_summary (presets[i]));

  for (guint k = 0; k < G_N_ELEMENTS (langs); k++)
    {
      g_autoptr(GError) error = NULL;
      LabConfig cfg;

      lab_test_use_language (dir, langs[k]);
      lab_config_init_defaults (&cfg);
      g_assert_false (lab_config_set (&cfg, "train.lr", "fast", &error));
      g_assert_cmpstr (error->message, ==, lr_messages[k]);
      lab_config_clear (&cfg);
      /* every preset's summary, which comes from its .ini file, has a translation */
      for (guint i = 0; presets[i] != NULL; i++)
        {
          g_autofree char *summary = lab_config_preset_summary (presets[i]);

          g_assert_cmpuint (strlen (summary), >, 10);
          if (g_str_equal (summary, g_ptr_array_index (english, i)))
            g_error ("preset %s: the summary has no %s translation: %s", presets[i], langs[k],
                     summary);
        }
    }
  lab_test_use_language (dir, NULL);
}

/* The test's environment with LANGUAGE and LC_ALL set. */
static char **
environment (const char *language,
             const char *locale)
{
  char **env = g_get_environ ();

  env = g_environ_setenv (env, "LANGUAGE", language, TRUE);
  return g_environ_setenv (env, "LC_ALL", locale, TRUE);
}

/* What follows the last "):\n\n" of `gradlab-cli --help`: the settings with their defaults. */
static const char *
settings_part (const char *help)
{
  const char *p = g_strrstr (help, "):\n\n");

  g_assert_nonnull (p);
  return p + 4;
}

static void
test_cli_help (void)
{
  g_auto(GStrv) en = environment ("", "C.UTF-8");
  g_auto(GStrv) de = environment ("de", "C.UTF-8");
  g_auto(GStrv) es = environment ("es", "C.UTF-8");
  LabCliResult r_en = lab_test_run_cli (en, "--help", NULL);
  LabCliResult r_de = lab_test_run_cli (de, "--help", NULL);
  LabCliResult r_es = lab_test_run_cli (es, "--help", NULL);
  LabCliResult train = lab_test_run_cli (de, "train", "--help", NULL);

  g_assert_cmpint (r_en.status, ==, 0);
  g_assert_cmpint (r_de.status, ==, 0);
  g_assert_cmpint (r_es.status, ==, 0);
  g_assert_nonnull (strstr (r_en.out, "Commands:\n  train      Train a network"));
  g_assert_nonnull (strstr (r_de.out, "Befehle:\n  train      Ein Netz trainieren"));
  g_assert_nonnull (strstr (r_es.out, "Órdenes:\n  train      Entrenar una red"));
  /* the settings are printed as a file writes them, in every language */
  g_assert_cmpstr (settings_part (r_de.out), ==, settings_part (r_en.out));
  g_assert_cmpstr (settings_part (r_es.out), ==, settings_part (r_en.out));

  g_assert_cmpint (train.status, ==, 0);
  g_assert_nonnull (strstr (train.out, "--preset=NAME"));
  g_assert_nonnull (strstr (train.out, "Mit einer mitgelieferten Vorlage beginnen"));
  g_assert_nonnull (strstr (train.out, "--set=ABSCHNITT.SCHLÜSSEL=WERT"));

  lab_test_cli_result_clear (&r_en);
  lab_test_cli_result_clear (&r_de);
  lab_test_cli_result_clear (&r_es);
  lab_test_cli_result_clear (&train);
}

static void
test_cli_errors (void)
{
  g_auto(GStrv) de = environment ("de", "C.UTF-8");
  g_auto(GStrv) es = environment ("es", "C.UTF-8");
  LabCliResult lr = lab_test_run_cli (es, "train", "--set", "train.lr=fast", NULL);
  LabCliResult cmd = lab_test_run_cli (de, "tarin", NULL);
  LabCliResult arg = lab_test_run_cli (de, "train", "extra", NULL);

  g_assert_cmpint (lr.status, ==, 2);
  g_assert_cmpstr (lr.out, ==, "");
  g_assert_cmpstr (lr.err, ==, "gradlab-cli: --set train.lr=fast: [train] lr = 'fast': debe ser "
                   "un número > 0 y ≤ 100\n");
  g_assert_cmpint (cmd.status, ==, 2);
  g_assert_cmpstr (cmd.err, ==, "gradlab-cli: unbekannter Befehl 'tarin' (siehe gradlab-cli "
                   "--help)\n");
  g_assert_cmpint (arg.status, ==, 2);
  g_assert_cmpstr (arg.err, ==, "gradlab-cli: unerwartetes Argument 'extra' (siehe gradlab-cli "
                   "train --help)\n");

  lab_test_cli_result_clear (&lr);
  lab_test_cli_result_clear (&cmd);
  lab_test_cli_result_clear (&arg);
}

/* @text with every match of @pattern replaced by @by. */
static char *
blank (const char *text,
       const char *pattern,
       const char *by)
{
  g_autoptr(GRegex) re = g_regex_new (pattern, 0, 0, NULL);

  return g_regex_replace (re, text, -1, 0, by, 0, NULL);
}

/* A short training in @language and @locale: the JSON summary without its clock readings, the
 * metrics without their times, and stderr. */
static void
train_in (const char  *language,
          const char  *locale,
          char       **summary,
          char       **metrics,
          char       **progress)
{
  g_auto(GStrv) env = environment (language, locale);
  g_autofree char *dir = lab_test_mkdtemp ();
  g_autofree char *path = g_build_filename (dir, "m.jsonl", NULL);
  g_autofree char *rows = NULL;
  LabCliResult r = lab_test_run_cli (env, "train", "--preset", "spiral", "--epochs", "2",
                                     "--seed", "3", "--set", "data.n_train=320",
                                     "--set", "data.n_test=64", "--set", "train.lr=0.0125",
                                     "--metrics", path, NULL);

  g_assert_cmpint (r.status, ==, 0);
  g_assert_true (g_file_get_contents (path, &rows, NULL, NULL));
  *summary = blank (r.out, "\"(samples_per_sec|train_seconds)\":[^,}]*", "\"\\1\":0");
  *metrics = blank (rows, "\"time\":[^,}]*", "\"time\":0");
  *progress = g_steal_pointer (&r.err);
  lab_test_cli_result_clear (&r);
  lab_test_rmdir (dir);
}

static void
test_cli_numbers (void)
{
  g_autofree char *c_summary = NULL, *c_metrics = NULL, *c_progress = NULL;
  g_autofree char *de_summary = NULL, *de_metrics = NULL, *de_progress = NULL;

  if (setlocale (LC_ALL, "de_DE.UTF-8") == NULL)
    {
      g_test_skip ("locale de_DE.UTF-8 is not installed (locales-all)");
      return;
    }
  setlocale (LC_ALL, "C");
  train_in ("", "C.UTF-8", &c_summary, &c_metrics, &c_progress);
  train_in ("de", "de_DE.UTF-8", &de_summary, &de_metrics, &de_progress);

  /* what programs read stays as it is */
  g_assert_true (g_str_has_prefix (c_summary, "{\"status\":\"ok\",\"train_loss\":0."));
  g_assert_cmpstr (de_summary, ==, c_summary);
  g_assert_cmpstr (de_metrics, ==, c_metrics);
  /* what people read is in their language and writes numbers their way */
  g_assert_true (g_regex_match_simple ("epoch 2: train loss [0-9]+\\.[0-9]{4} ", c_progress, 0,
                                       0));
  if (!g_regex_match_simple ("Epoche 2: Trainingsverlust [0-9]+,[0-9]{4} ", de_progress, 0, 0))
    g_error ("no German progress with a decimal comma in: %s", de_progress);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/i18n/localedir", test_localedir);
  g_test_add_func ("/i18n/potfiles", test_potfiles);
  g_test_add_func ("/i18n/complete", test_complete);
  g_test_add_func ("/i18n/engine-messages", test_engine_messages);
  g_test_add_func ("/i18n/cli/help", test_cli_help);
  g_test_add_func ("/i18n/cli/errors", test_cli_errors);
  g_test_add_func ("/i18n/cli/numbers", test_cli_numbers);

  return g_test_run ();
}
