/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * test-fuzz-regressions.c: replays the fuzz seed corpora (tests/fuzz/corpus/<target>/) and every
 * input that ever crashed a fuzzer (tests/fuzz/regressions/<target>/) through the same calls as
 * the libFuzzer programs (tests/fuzz/lab-fuzz-targets.h). Each input must come back cleanly: a
 * result, or an error in LAB_ENGINE_ERROR that names the input; never a crash, a sanitizer
 * report, a critical or an inconsistent result. One test case per file, so a failure names it.
 */
#define G_LOG_DOMAIN "test-fuzz-regressions"
#include "config.h"

#include "fuzz/lab-fuzz-targets.h"

typedef void (*FuzzFunc) (const guint8 *data,
                          gsize         len);

static const struct
{
  const char *name;
  FuzzFunc    func;
} targets[] = {
  { "idx", lab_fuzz_idx },
  { "csv", lab_fuzz_csv },
  { "config", lab_fuzz_config },
  { "npy", lab_fuzz_npy },
  { "runfile", lab_fuzz_runfile },
  { "manifest", lab_fuzz_manifest },
  { "rows", lab_fuzz_rows },
  { "heavy", lab_fuzz_heavy },
};

typedef struct
{
  FuzzFunc  func;
  char     *path;
} Case;

static void
case_free (gpointer data)
{
  Case *c = data;

  g_free (c->path);
  g_free (c);
}

static void
test_replay (gconstpointer data)
{
  const Case *c = data;
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  gsize len = 0;

  g_assert_true (g_file_get_contents (c->path, &contents, &len, &error));
  g_assert_no_error (error);
  g_test_message ("%s: %" G_GSIZE_FORMAT " bytes", c->path, len);
  c->func ((const guint8 *) contents, len);
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/* Adds one case per regular file in DIR (which may not exist: regressions are optional). */
static void
add_dir (const char *kind,
         const char *target,
         FuzzFunc    func)
{
  g_autofree char *dir = g_test_build_filename (G_TEST_DIST, "fuzz", kind, target, NULL);
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  if (d == NULL)
    return;
  while ((name = g_dir_read_name (d)) != NULL)
    g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_names);
  for (guint i = 0; i < names->len; i++)
    {
      const char *file = g_ptr_array_index (names, i);
      g_autofree char *path = g_build_filename (dir, file, NULL);
      g_autofree char *test_path = NULL;
      Case *c;

      if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
        continue;
      c = g_new0 (Case, 1);
      c->func = func;
      c->path = g_steal_pointer (&path);
      test_path = g_strdup_printf ("/fuzz/%s/%s/%s", kind, target, file);
      g_test_add_data_func_full (test_path, c, test_replay, case_free);
    }
}

/* The seed corpora exist and are small (they are committed and replayed on every run). */
static void
test_corpus_present (void)
{
  for (guint t = 0; t < G_N_ELEMENTS (targets); t++)
    {
      g_autofree char *dir = g_test_build_filename (G_TEST_DIST, "fuzz", "corpus",
                                                    targets[t].name, NULL);
      g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
      const char *name;
      guint n = 0;

      g_assert_nonnull (d);
      while ((name = g_dir_read_name (d)) != NULL)
        n++;
      g_assert_cmpuint (n, >=, 3);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/fuzz/corpus-present", test_corpus_present);
  for (guint t = 0; t < G_N_ELEMENTS (targets); t++)
    {
      add_dir ("corpus", targets[t].name, targets[t].func);
      add_dir ("regressions", targets[t].name, targets[t].func);
    }

  return g_test_run ();
}
