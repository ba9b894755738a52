/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lab-test"
#include "config.h"

#include <libintl.h>
#include <locale.h>
#include <math.h>
#include <string.h>
#include <sys/wait.h>
#include <gio/gio.h>
#include <glib/gstdio.h>

#include "lab-blas-core.h"
#include "lab-test-utils.h"

/* Every test program runs the OpenBLAS kernels gradlab and gradlab-cli run (lab_blas_core_init(),
 * before main(): glibc hands constructors argc, argv and envp), so a test that compares its own
 * numbers with gradlab-cli's bit for bit (test-reproduce) holds on a CPU where OpenBLAS falls
 * back too. tests/meson.build links this file whole, so each test has it. */
__attribute__ ((constructor)) static void
choose_blas_core (int    argc,
                  char **argv,
                  char **envp)
{
  lab_blas_core_init (argv);
}

char *
lab_test_mkdtemp (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("gradlab-test-XXXXXX", &error);
  g_assert_no_error (error);
  return dir;
}

void
lab_test_rmdir (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  if (d == NULL)
    return;
  while ((name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        lab_test_rmdir (path);
      else
        g_unlink (path);
    }
  g_rmdir (dir);
}

char *
lab_test_write_file (const char *dir,
                     const char *name,
                     const void *data,
                     gsize       len)
{
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (dir, name, NULL);
  g_file_set_contents (path, data, (gssize) len, &error);
  g_assert_no_error (error);
  return path;
}

char *
lab_test_write_gzip (const char *dir,
                     const char *name,
                     const void *data,
                     gsize       len)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GZlibCompressor) comp = g_zlib_compressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP, -1);
  g_autoptr(GOutputStream) mem = g_memory_output_stream_new_resizable ();
  g_autoptr(GOutputStream) conv = g_converter_output_stream_new (mem, G_CONVERTER (comp));
  gsize written;

  g_output_stream_write_all (conv, data, len, &written, NULL, &error);
  g_assert_no_error (error);
  g_output_stream_close (conv, NULL, &error);
  g_assert_no_error (error);
  return lab_test_write_file (dir, name,
                              g_memory_output_stream_get_data (G_MEMORY_OUTPUT_STREAM (mem)),
                              g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (mem)));
}

gboolean
lab_test_close (double a,
                double b,
                double rtol,
                double atol)
{
  if (!isfinite (a) || !isfinite (b))
    return FALSE;
  return fabs (a - b) <= rtol * fmax (fabs (a), fabs (b)) + atol;
}

char *
lab_test_data_path (const char *name)
{
  return g_test_build_filename (G_TEST_DIST, "data", name, NULL);
}

gboolean
lab_test_have_fashion_mnist (void)
{
  return g_file_test (LAB_FASHION_MNIST_DIR "/train-images-idx3-ubyte.gz", G_FILE_TEST_EXISTS);
}

static gboolean
set_flag (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

void
lab_test_iterate_until (LabTestCondition  cond,
                        gpointer          data,
                        guint             timeout_ms,
                        const char       *what)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add (timeout_ms, set_flag, &timed_out);

  while (!cond (data) && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (timed_out)
    g_error ("timed out waiting for %s", what);
  g_source_remove (id);
}

void
lab_test_iterate_for (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add (ms, set_flag, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

gboolean
lab_test_have_torch (void)
{
  static int have = -1;

  if (have < 0)
    {
      const char *argv[] = { LAB_TEST_PYTHON, "-c", "import torch, numpy", NULL };
      int status = 0;

      have = g_spawn_sync (NULL, (char **) argv, NULL,
                           G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                           NULL, NULL, NULL, NULL, &status, NULL)
             && g_spawn_check_wait_status (status, NULL);
    }
  return have;
}

char **
lab_test_python_environ (void)
{
  const char *src = g_test_get_dir (G_TEST_DIST);
  g_autofree char *module = g_build_filename (src, "..", "python", NULL);
  g_autofree char *examples = g_build_filename (src, "..", "examples", "pytorch", NULL);
  g_autofree char *path = g_strjoin (":", module, examples, NULL);
  char **envp = g_environ_setenv (g_get_environ (), "PYTHONPATH", path, TRUE);

  return g_environ_setenv (envp, "PYTHONDONTWRITEBYTECODE", "1", TRUE);
}

LabTrainer *
lab_test_new_trainer (const char         *preset,
                      const char * const *sets)
{
  g_autoptr(GError) error = NULL;
  LabConfig cfg;
  LabTrainer *tr;

  lab_config_init_defaults (&cfg);
  if (preset)
    {
      lab_config_load_preset (&cfg, preset, &error);
      g_assert_no_error (error);
    }
  for (guint i = 0; sets && sets[i]; i++)
    {
      lab_config_set_assignment (&cfg, sets[i], &error);
      g_assert_no_error (error);
    }
  tr = lab_trainer_new (&cfg, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (tr);
  lab_config_clear (&cfg);
  return tr;
}

static void
list_files (const char *root,
            const char *rel,
            GPtrArray  *out)
{
  g_autofree char *dir = g_build_filename (root, rel, NULL);
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  g_assert_nonnull (d);
  while ((name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *child = *rel ? g_build_filename (rel, name, NULL) : g_strdup (name);
      g_autofree char *full = g_build_filename (root, child, NULL);

      if (g_file_test (full, G_FILE_TEST_IS_DIR))
        list_files (root, child, out);
      else
        g_ptr_array_add (out, g_steal_pointer (&child));
    }
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

GPtrArray *
lab_test_list_files (const char *dir)
{
  GPtrArray *out = g_ptr_array_new_with_free_func (g_free);

  list_files (dir, "", out);
  g_ptr_array_sort (out, compare_names);
  return out;
}

void
lab_test_use_language (const char *localedir,
                       const char *language)
{
  if (language != NULL)
    g_setenv ("LANGUAGE", language, TRUE);
  else
    g_unsetenv ("LANGUAGE");
  /* gettext ignores LANGUAGE in the "C" locale */
  g_assert_nonnull (setlocale (LC_ALL, "C.UTF-8"));
  g_assert_nonnull (bindtextdomain (GETTEXT_PACKAGE, localedir));
  g_assert_nonnull (bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8"));
  /* gettext caches the translations it found; setting the text domain (to the one it is)
   * makes it look them up anew (the gettext manual, "Being a gettext grok") */
  g_assert_nonnull (textdomain (textdomain (NULL)));
}

LabCliResult
lab_test_run_cli (char *const *envp,
                  const char   *first,
                  ...)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  const char *cli = g_getenv ("GRADLAB_CLI");
  LabCliResult r = { 0 };
  int wait_status;
  va_list ap;

  g_assert_nonnull (cli);
  g_ptr_array_add (args, (char *) cli);
  va_start (ap, first);
  for (const char *a = first; a != NULL; a = va_arg (ap, const char *))
    g_ptr_array_add (args, (char *) a);
  va_end (ap);
  g_ptr_array_add (args, NULL);

  g_spawn_sync (NULL, (char **) args->pdata, (char **) envp, G_SPAWN_DEFAULT, NULL, NULL, &r.out,
                &r.err, &wait_status, &error);
  g_assert_no_error (error);
  g_assert_true (WIFEXITED (wait_status));
  r.status = WEXITSTATUS (wait_status);
  return r;
}

void
lab_test_cli_result_clear (LabCliResult *r)
{
  g_clear_pointer (&r->out, g_free);
  g_clear_pointer (&r->err, g_free);
}

LabRunManifest *
lab_test_run_manifest (void)
{
  static const char text[] =
    "[run]\nformat=1\nwriter=test\nwriter_id=small\ninput_shape=3\nclasses=2\n"
    "[layer0]\nname=W1\nkind=linear\nshape=4;3\nbias=true\nactivation=tanh\n"
    "[layer1]\nname=W2\nkind=linear\nshape=2;4\nbias=false\nactivation=linear\n";
  g_autoptr(GError) error = NULL;
  LabRunManifest *m = lab_run_manifest_parse (text, sizeof text - 1, "run.ini", &error);

  g_assert_no_error (error);
  return m;
}

LabStepStats *
lab_test_row (const LabRowLog *rows,
              gsize            i)
{
  /* a few in turn, so that two rows can be compared in one expression */
  static LabStepStats pool[4];
  static guint next;
  LabStepStats *row = &pool[next++ % G_N_ELEMENTS (pool)];

  g_assert_cmpuint (i, <, lab_row_log_len (rows));
  lab_row_log_get (rows, i, row);
  return row;
}

void
lab_test_append_rows (GArray          *array,
                      const LabRowLog *rows)
{
  for (gsize i = 0; i < lab_row_log_len (rows); i++)
    g_array_append_vals (array, lab_test_row (rows, i), 1);
}

LabMlp *
lab_test_small_mlp (gboolean residual,
                    guint64  seed)
{
  LabMlpShape s = { 0 };
  g_autoptr(GError) error = NULL;
  LabRng rng;
  LabMlp *mlp;

  s.n_in = 2;
  s.n_out = 3;
  s.n_hidden = 2;
  s.hidden[0] = s.hidden[1] = 5;
  s.act[0] = LAB_ACT_TANH;
  s.act[1] = LAB_ACT_RELU;
  s.residual = residual;
  s.init = LAB_INIT_HE_NORMAL;
  s.init_scale = 1;
  s.max_batch = 16;
  mlp = lab_mlp_new (&s, &error);
  g_assert_no_error (error);
  lab_rng_init (&rng, seed);
  lab_mlp_init_params (mlp, &rng);
  return mlp;
}

char *
lab_test_lines_starting (const char *text,
                         const char *prefix)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  GString *out = g_string_new (NULL);

  for (guint i = 0; lines[i]; i++)
    if (g_str_has_prefix (lines[i], prefix))
      g_string_append_printf (out, "%s\n", lines[i]);
  return g_string_free (out, FALSE);
}
