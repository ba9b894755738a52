/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * test-lesson.c: lesson files. Every shipped lesson loads, has a title and text, and its
 * settings make a valid run; the files in resources/lessons/ are exactly the shipped ones; the
 * body splits into the right blocks; and broken lessons fail with a message that names the file,
 * the line and the problem.
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

/* The lessons a teacher sees in resources/lessons/ are the ones compiled in. */
static void
test_files_match_resources (void)
{
  g_autofree char *dir = g_test_build_filename (G_TEST_DIST, "..", "resources", "lessons", NULL);
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  g_auto(GStrv) names = lab_lesson_list ();
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

  return g_test_run ();
}
