/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * test-lesson.c: lesson files. Every shipped lesson loads, has a title and text, and its
 * settings make a valid run; the files in resources/lessons/ are exactly the shipped ones; the
 * body splits into the right blocks; broken lessons fail with a message that names the file,
 * the line and the problem; and the translations: the user's language picks one (English when
 * there is none), and every English lesson has a German and a Spanish one with the same
 * machine-read parts (preset, page, settings, kinds of blocks, commands, preset names).
 */
#define G_LOG_DOMAIN "test-lesson"

#include "config.h"

#include <string.h>

#include "lab-error.h"
#include "lab-lesson.h"

static void
test_shipped (void)
{
  g_auto(GStrv) names = lab_lesson_list ();
  guint n = g_strv_length (names);

  /* the seven lessons of the issue, at least */
  g_assert_cmpuint (n, >=, 7);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(LabLesson) lesson = lab_lesson_load_shipped (names[i], &error);
      gboolean formula = FALSE, bullet = FALSE;
      LabConfig cfg;

      g_test_message ("lesson %s", names[i]);
      g_assert_no_error (error);
      g_assert_nonnull (lesson);
      g_assert_cmpstr (lab_lesson_get_title (lesson), !=, "");
      g_assert_cmpstr (lab_lesson_get_summary (lesson), !=, "");
      g_assert_nonnull (lab_lesson_get_preset (lesson));
      g_assert_true (g_str_equal (lab_lesson_get_page (lesson), "gradients") ||
                     g_str_equal (lab_lesson_get_page (lesson), "pruning"));
      g_assert_cmpuint (lab_lesson_get_n_blocks (lesson), >=, 4);
      for (guint b = 0; b < lab_lesson_get_n_blocks (lesson); b++)
        {
          const LabLessonBlock *block = lab_lesson_get_block (lesson, b);
          g_assert_cmpstr (block->text, !=, "");
          formula |= block->kind == LAB_LESSON_FORMULA;
          bullet |= block->kind == LAB_LESSON_BULLET;
        }
      /* the one formula that matters, and what to look at */
      g_assert_true (formula);
      g_assert_true (bullet);

      lab_config_init_defaults (&cfg);
      g_assert_true (lab_lesson_config (lesson, &cfg, &error));
      g_assert_no_error (error);
      g_assert_true (lab_config_validate (&cfg, &error));
      g_assert_no_error (error);
      lab_config_clear (&cfg);
    }
}

/* The translations every English lesson has (resources/lessons/<language>/). */
static const char * const translations[] = { "de", "es" };

/* The lessons a teacher sees in resources/lessons/ and in each translation's folder there are
 * the ones compiled in, one for each English lesson, and no other. */
static void
test_files_match_resources (void)
{
  g_auto(GStrv) names = lab_lesson_list ();

  for (guint l = 0; l <= G_N_ELEMENTS (translations); l++)
    {
      const char *language = l == 0 ? "" : translations[l - 1];
      g_autofree char *dir = g_test_build_filename (G_TEST_DIST, "..", "resources", "lessons",
                                                    language, NULL);
      g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
      const char *entry;
      guint n = 0;

      g_assert_nonnull (d);
      while ((entry = g_dir_read_name (d)) != NULL)
        {
          g_autofree char *name = NULL;
          g_autofree char *path = NULL;
          g_autoptr(GError) error = NULL;
          g_autoptr(LabLesson) lesson = NULL;

          if (!g_str_has_suffix (entry, ".lesson"))
            continue;
          n++;
          name = g_strndup (entry, strlen (entry) - strlen (".lesson"));
          g_assert_true (g_strv_contains ((const char * const *) names, name));
          path = g_build_filename (dir, entry, NULL);
          lesson = lab_lesson_load_file (path, &error);
          g_assert_no_error (error);
          g_assert_cmpstr (lab_lesson_get_file_name (lesson), ==, path);
        }
      g_assert_cmpuint (n, ==, g_strv_length (names));
    }
}

static void
test_settings_on_preset (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LabLesson) lesson = lab_lesson_load_shipped ("05-magnitude-pruning", &error);
  LabConfig cfg;

  g_assert_no_error (error);
  g_assert_cmpstr (lab_lesson_get_preset (lesson), ==, "fashion-mlp");
  g_assert_cmpstr (lab_lesson_get_page (lesson), ==, "pruning");
  lab_config_init_defaults (&cfg);
  g_assert_true (lab_lesson_config (lesson, &cfg, &error));
  /* from the preset */
  g_assert_cmpint (cfg.data.source, ==, LAB_DATA_FASHION_MNIST);
  g_assert_cmpuint (cfg.model.n_hidden, ==, 2);
  g_assert_cmpuint (cfg.model.hidden[0], ==, 256);
  /* from the lesson */
  g_assert_cmpuint (cfg.data.train_limit, ==, 10000);
  g_assert_true (cfg.prune.enabled);
  g_assert_cmpint (cfg.prune.schedule, ==, LAB_PRUNE_SCHEDULE_ONESHOT);
  g_assert_cmpint (cfg.prune.spec.scope, ==, LAB_PRUNE_SCOPE_GLOBAL);
  g_assert_cmpfloat (cfg.prune.spec.target, ==, 0.9);
  g_assert_cmpuint (cfg.prune.at_step, ==, 470);
  lab_config_clear (&cfg);
}

static void
test_blocks (void)
{
  static const char text[] =
    "[lesson]\n"
    "title = T\n"
    "---\n"
    "First paragraph,\n"
    "two lines with **bold**.\n"
    "\n"
    "## Heading\n"
    "$$ a = b\n"
    "- one\n"
    "  continued\n"
    "- two\n"
    "After.\n"
    "$ gradlab-cli train\n";
  g_autoptr(GError) error = NULL;
  g_autoptr(LabLesson) lesson = lab_lesson_load_data (text, strlen (text), "t.lesson", &error);
  static const struct { LabLessonBlockKind kind; const char *text; guint line; } want[] = {
    { LAB_LESSON_PARAGRAPH, "First paragraph, two lines with **bold**.", 4 },
    { LAB_LESSON_HEADING, "Heading", 7 },
    { LAB_LESSON_FORMULA, "a = b", 8 },
    { LAB_LESSON_BULLET, "one continued", 9 },
    { LAB_LESSON_BULLET, "two", 11 },
    { LAB_LESSON_PARAGRAPH, "After.", 12 },
    { LAB_LESSON_COMMAND, "gradlab-cli train", 13 },
  };

  g_assert_no_error (error);
  g_assert_cmpstr (lab_lesson_get_title (lesson), ==, "T");
  g_assert_null (lab_lesson_get_preset (lesson));
  g_assert_cmpstr (lab_lesson_get_page (lesson), ==, "gradients");
  g_assert_cmpstr (lab_lesson_get_summary (lesson), ==, "");
  g_assert_cmpuint (lab_lesson_get_n_blocks (lesson), ==, G_N_ELEMENTS (want));
  for (guint i = 0; i < G_N_ELEMENTS (want); i++)
    {
      const LabLessonBlock *b = lab_lesson_get_block (lesson, i);
      g_assert_cmpint (b->kind, ==, want[i].kind);
      g_assert_cmpstr (b->text, ==, want[i].text);
      g_assert_cmpuint (b->line, ==, want[i].line);
    }
}

/* Each broken file fails with "file:line:" and a word of the problem. */
static void
test_errors (void)
{
  static const struct { const char *text; const char *where; const char *what; } cases[] = {
    { "[lesson]\ntitle = T\nauthor = me\n---\nx\n", "bad.lesson:3:", "unknown key 'author'" },
    { "[lesson]\nsummary = s\n---\nx\n", "bad.lesson:1:", "no title" },
    { "# c\n[lesson]\ntitle = T\npreset = no-such\n---\nx\n", "bad.lesson:4:", "no-such" },
    { "[lesson]\ntitle = T\npage = weights\n---\nx\n", "bad.lesson:3:", "gradients or pruning" },
    { "[lesson]\ntitle = T\n[extra]\na = 1\n---\nx\n", "bad.lesson:3:", "unknown section [extra]" },
    { "[lesson]\ntitle = T\n\n[train]\nbatch = 64\nlr = -1\n---\nx\n", "bad.lesson:6:", "lr" },
    { "[lesson]\ntitle = T\n[model]\nactivaton = relu\n---\nx\n", "bad.lesson:4:",
      "unknown key 'activaton'" },
    { "[lesson]\ntitle = T\njust words\n---\nx\n", "bad.lesson:3:", "expected key = value" },
    { "title = T\n[lesson]\n---\nx\n", "bad.lesson:1:", "before any section" },
    { "[lesson]\ntitle = T\nno body\n", "bad.lesson:3:", "key = value" },
    { "[lesson]\ntitle = T\n", "bad.lesson:", "no line ---" },
    { "[lesson]\ntitle = T\n---\n\n\n", "bad.lesson:4:", "no text" },
    { "[lesson]\ntitle = T\n---\nok\n\nsome **bold\nhere\n", "bad.lesson:6:", "unbalanced **" },
    { "[lesson\ntitle = T\n---\nx\n", "bad.lesson:1:", "section header" },
    { "[lesson]\ntitle = T\n---\n$$\n", "bad.lesson:4:", "not followed by any text" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(LabLesson) lesson = lab_lesson_load_data (cases[i].text, strlen (cases[i].text),
                                                          "bad.lesson", &error);

      g_test_message ("case %u: %s", i, error ? error->message : "(no error)");
      g_assert_null (lesson);
      g_assert_error (error, LAB_ENGINE_ERROR, LAB_ENGINE_ERROR_FORMAT);
      g_assert_true (g_str_has_prefix (error->message, cases[i].where));
      g_assert_nonnull (strstr (error->message, cases[i].what));
    }
}

static void
test_io_errors (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LabLesson) a = lab_lesson_load_file ("/nonexistent/x.lesson", &error);
  g_autoptr(LabLesson) b = NULL;
  static const char binary[] = "[lesson]\ntitle = T\n---\n\xff\xfe\n";

  g_assert_null (a);
  g_assert_error (error, LAB_ENGINE_ERROR, LAB_ENGINE_ERROR_IO);
  g_assert_nonnull (strstr (error->message, "/nonexistent/x.lesson"));
  g_clear_error (&error);

  b = lab_lesson_load_data (binary, sizeof binary - 1, "bin.lesson", &error);
  g_assert_null (b);
  g_assert_error (error, LAB_ENGINE_ERROR, LAB_ENGINE_ERROR_FORMAT);
  g_assert_true (g_str_has_prefix (error->message, "bin.lesson:1:"));
  g_clear_error (&error);

  b = lab_lesson_load_shipped ("../etc/passwd", &error);
  g_assert_null (b);
  g_assert_error (error, LAB_ENGINE_ERROR, LAB_ENGINE_ERROR_INVALID);
}

/* ------------------------------------------------------------------------------------------ */
/* Translations                                                                               */

/* The shipped lesson for the language names of @language (LANGUAGE wins over LC_ALL, and
 * g_get_language_names() reads it again whenever it changes). */
static LabLesson *
load_in_language (const char *language,
                  const char *name)
{
  g_autoptr(GError) error = NULL;
  LabLesson *lesson;

  g_assert_true (g_setenv ("LANGUAGE", language, TRUE));
  lesson = lab_lesson_load_shipped (name, &error);
  g_assert_no_error (error);
  return lesson;
}

static void
test_language_choice (void)
{
  static const struct { const char *language, *title, *file_name; } cases[] = {
    { "de", "Gradientenabstieg auf einer Spirale", "de/01-gradient-descent.lesson" },
    { "es", "Descenso de gradiente en una espiral", "es/01-gradient-descent.lesson" },
    /* a country falls back to its language; the first language with a translation wins */
    { "de_AT", "Gradientenabstieg auf einer Spirale", "de/01-gradient-descent.lesson" },
    { "es_MX.UTF-8", "Descenso de gradiente en una espiral", "es/01-gradient-descent.lesson" },
    { "fr:es", "Descenso de gradiente en una espiral", "es/01-gradient-descent.lesson" },
    /* no translation, or English first: English */
    { "fr", "Gradient descent on a spiral", "01-gradient-descent.lesson" },
    { "C", "Gradient descent on a spiral", "01-gradient-descent.lesson" },
    { "en_GB:de", "Gradient descent on a spiral", "01-gradient-descent.lesson" },
    { "", "Gradient descent on a spiral", "01-gradient-descent.lesson" },
  };
  g_autofree char *saved = g_strdup (g_getenv ("LANGUAGE"));

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(LabLesson) lesson = load_in_language (cases[i].language, "01-gradient-descent");

      g_test_message ("LANGUAGE=%s", cases[i].language);
      g_assert_cmpstr (lab_lesson_get_title (lesson), ==, cases[i].title);
      g_assert_cmpstr (lab_lesson_get_file_name (lesson), ==, cases[i].file_name);
    }

  /* the text too, not only the title */
  {
    g_autoptr(LabLesson) de = load_in_language ("de", "05-magnitude-pruning");
    g_autoptr(LabLesson) es = load_in_language ("es", "05-magnitude-pruning");

    g_assert_nonnull (strstr (lab_lesson_get_body (de), "Ausdünnen nach Betrag"));
    g_assert_nonnull (strstr (lab_lesson_get_body (es), "poda por magnitud"));
  }
  /* and a name that is no lesson stays an error in every language */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(LabLesson) none = NULL;

    g_assert_true (g_setenv ("LANGUAGE", "de", TRUE));
    none = lab_lesson_load_shipped ("no-such-lesson", &error);
    g_assert_null (none);
    g_assert_error (error, LAB_ENGINE_ERROR, LAB_ENGINE_ERROR_INVALID);
    g_clear_error (&error);
    none = lab_lesson_load_translated ("01-gradient-descent", "fr", &error);
    g_assert_null (none);
    g_assert_error (error, LAB_ENGINE_ERROR, LAB_ENGINE_ERROR_INVALID);
    g_assert_nonnull (strstr (error->message, "fr/01-gradient-descent"));
  }

  if (saved != NULL)
    g_setenv ("LANGUAGE", saved, TRUE);
  else
    g_unsetenv ("LANGUAGE");
}

static const char *
kind_name (LabLessonBlockKind kind)
{
  static const char * const names[] = { "paragraph", "heading", "formula", "bullet", "command" };

  g_assert_cmpuint (kind, <, G_N_ELEMENTS (names));
  return names[kind];
}

/* The preset names in @text, in order ("**tanh-xavier**" in lesson 3): they stay English. */
static char *
preset_names_in (const char *text)
{
  g_auto(GStrv) presets = lab_config_list_presets ();
  GString *found = g_string_new (NULL);

  for (guint i = 0; presets[i] != NULL; i++)
    {
      g_autofree char *bold = g_strdup_printf ("**%s**", presets[i]);

      if (strstr (text, bold) != NULL)
        g_string_append_printf (found, "%s ", presets[i]);
    }
  return g_string_free (found, FALSE);
}

/* NULL if @tr says the same to the program as @en, else the first difference, naming the
 * translation's file and the block ("de/x.lesson:23: block 5 is a paragraph, in English a
 * bullet"). */
static char *
structure_difference (const LabLesson *en,
                      const LabLesson *tr)
{
  const char *file = lab_lesson_get_file_name (tr);
  g_autofree char *en_settings = lab_lesson_dup_settings (en);
  g_autofree char *tr_settings = lab_lesson_dup_settings (tr);
  g_autofree char *en_presets = preset_names_in (lab_lesson_get_body (en));
  g_autofree char *tr_presets = preset_names_in (lab_lesson_get_body (tr));
  guint n_en = lab_lesson_get_n_blocks (en), n_tr = lab_lesson_get_n_blocks (tr);

  if (g_strcmp0 (lab_lesson_get_preset (tr), lab_lesson_get_preset (en)) != 0)
    return g_strdup_printf ("%s: preset = %s, in English %s", file, lab_lesson_get_preset (tr),
                            lab_lesson_get_preset (en));
  if (!g_str_equal (lab_lesson_get_page (tr), lab_lesson_get_page (en)))
    return g_strdup_printf ("%s: page = %s, in English %s", file, lab_lesson_get_page (tr),
                            lab_lesson_get_page (en));
  if (!g_str_equal (tr_settings, en_settings))
    return g_strdup_printf ("%s: the settings are\n%sin English\n%s", file, tr_settings,
                            en_settings);
  if (!g_str_equal (tr_presets, en_presets))
    return g_strdup_printf ("%s: the text names the presets '%s', in English '%s'", file,
                            tr_presets, en_presets);
  for (guint i = 0; i < MIN (n_en, n_tr); i++)
    {
      const LabLessonBlock *a = lab_lesson_get_block (en, i);
      const LabLessonBlock *b = lab_lesson_get_block (tr, i);

      if (a->kind != b->kind)
        return g_strdup_printf ("%s:%u: block %u is a %s, in English a %s", file, b->line, i + 1,
                                kind_name (b->kind), kind_name (a->kind));
      /* a command is typed as it stands */
      if (a->kind == LAB_LESSON_COMMAND && !g_str_equal (a->text, b->text))
        return g_strdup_printf ("%s:%u: block %u is the command '%s', in English '%s'", file,
                                b->line, i + 1, b->text, a->text);
    }
  if (n_en != n_tr)
    return g_strdup_printf ("%s: %u blocks, in English %u", file, n_tr, n_en);
  return NULL;
}

/* Every English lesson in each translation, parsed without error and matching it. */
static void
test_translations_complete (void)
{
  g_auto(GStrv) names = lab_lesson_list ();

  for (guint l = 0; l < G_N_ELEMENTS (translations); l++)
    for (guint i = 0; names[i] != NULL; i++)
      {
        g_autoptr(GError) error = NULL;
        g_autoptr(LabLesson) en = lab_lesson_load_translated (names[i], NULL, &error);
        g_autoptr(LabLesson) tr = NULL;
        g_autofree char *file = g_strdup_printf ("%s/%s.lesson", translations[l], names[i]);
        g_autofree char *difference = NULL;

        g_assert_no_error (error);
        tr = lab_lesson_load_translated (names[i], translations[l], &error);
        g_assert_no_error (error);
        g_assert_cmpstr (lab_lesson_get_file_name (tr), ==, file);
        g_assert_cmpstr (lab_lesson_get_title (tr), !=, lab_lesson_get_title (en));
        g_assert_cmpstr (lab_lesson_get_summary (tr), !=, lab_lesson_get_summary (en));
        difference = structure_difference (en, tr);
        g_assert_cmpstr (difference, ==, NULL);
      }
}

/* A translation that drifts from its English lesson is caught, and the message says where. */
static void
test_drift_detected (void)
{
  static const char english[] =
    "[lesson]\ntitle = T\npreset = spiral\n[train]\nepochs = 3\n---\nText, **tanh-xavier**.\n"
    "\n- a\n$ gradlab-cli train\n";
  static const struct { const char *text, *difference; } drifted[] = {
    { "[lesson]\ntitle = U\npreset = spiral\n[train]\nepochs = 4\n---\nT, **tanh-xavier**.\n\n"
      "- a\n$ gradlab-cli train\n", "de/t.lesson: the settings are\n[train]\nepochs=4\n" },
    { "[lesson]\ntitle = U\npreset = relu-he\n[train]\nepochs = 3\n---\nT, **tanh-xavier**.\n\n"
      "- a\n$ gradlab-cli train\n", "de/t.lesson: preset = relu-he, in English spiral" },
    { "[lesson]\ntitle = U\npreset = spiral\n[train]\nepochs = 3\n---\nT, **tanh-Xavier**.\n\n"
      "- a\n$ gradlab-cli train\n", "de/t.lesson: the text names the presets '', in English "
      "'tanh-xavier '" },
    { "[lesson]\ntitle = U\npreset = spiral\n[train]\nepochs = 3\n---\nT, **tanh-xavier**.\n\n"
      "b\n$ gradlab-cli train\n", "de/t.lesson:9: block 2 is a paragraph, in English a bullet" },
    { "[lesson]\ntitle = U\npreset = spiral\n[train]\nepochs = 3\n---\nT, **tanh-xavier**.\n\n"
      "- a\n$ gradlab-cli entrenar\n", "de/t.lesson:10: block 3 is the command 'gradlab-cli "
      "entrenar', in English 'gradlab-cli train'" },
    { "[lesson]\ntitle = U\npreset = spiral\n[train]\nepochs = 3\n---\nT, **tanh-xavier**.\n\n"
      "- a\n$ gradlab-cli train\n- b\n", "de/t.lesson: 4 blocks, in English 3" },
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(LabLesson) en = lab_lesson_load_data (english, strlen (english), "t.lesson", &error);

  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (drifted); i++)
    {
      g_autoptr(LabLesson) tr = lab_lesson_load_data (drifted[i].text, strlen (drifted[i].text),
                                                      "de/t.lesson", &error);
      g_autofree char *difference = NULL;

      g_assert_no_error (error);
      difference = structure_difference (en, tr);
      g_assert_nonnull (difference);
      g_assert_true (g_str_has_prefix (difference, drifted[i].difference));
    }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/engine/lesson/shipped", test_shipped);
  g_test_add_func ("/engine/lesson/files-match-resources", test_files_match_resources);
  g_test_add_func ("/engine/lesson/settings-on-preset", test_settings_on_preset);
  g_test_add_func ("/engine/lesson/blocks", test_blocks);
  g_test_add_func ("/engine/lesson/errors", test_errors);
  g_test_add_func ("/engine/lesson/io-errors", test_io_errors);
  g_test_add_func ("/engine/lesson/language-choice", test_language_choice);
  g_test_add_func ("/engine/lesson/translations-complete", test_translations_complete);
  g_test_add_func ("/engine/lesson/drift-detected", test_drift_detected);

  return g_test_run ();
}
