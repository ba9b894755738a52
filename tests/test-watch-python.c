/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * test-watch-python.c: the Python writer of run directories (python/gradlab_watch) under meson.
 * Each case runs one check script of tests/python with Debian's /usr/bin/python3 and the
 * module on PYTHONPATH, and passes when it exits 0 (77: skipped, with its reason); the
 * script's output is kept as test messages. One case reads a run directory the Python writer
 * made with the C side's own readers, GKeyFile for run.ini and heavy.ini and lab_npy_load()
 * for the weights, so a manifest only configparser could read would fail here. Every case is
 * skipped when /usr/bin/python3 cannot import torch.
 */
#define G_LOG_DOMAIN "lab-test"
#include "config.h"

#include <sys/wait.h>

#include <glib.h>

#include "lab-npy.h"
#include "lab-test-utils.h"

static const char * const scripts[] = {
  "stats", "prune", "amp_clip", "cadence", "schema", "heavy_atomic", "failures", "ddp",
  "examples", "like_gradlab", "install",
};

/* Logs a child's output line by line (one TAP comment each). */
static void
message_lines (const char *text)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    if (lines[i][0] != '\0')
      g_test_message ("%s", lines[i]);
}

/* Runs /usr/bin/python3 @argv with the module and the examples on PYTHONPATH; returns its
 * wait status and its output in @out. */
static int
run_python (const char * const *argv,
            char              **out)
{
  g_auto(GStrv) envp = lab_test_python_environ ();
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;
  int status = 0;

  g_ptr_array_add (args, (char *) LAB_TEST_PYTHON);
  for (guint i = 0; argv[i] != NULL; i++)
    g_ptr_array_add (args, (char *) argv[i]);
  g_ptr_array_add (args, NULL);
  g_spawn_sync (NULL, (char **) args->pdata, envp, G_SPAWN_DEFAULT, NULL, NULL, out, &err,
                &status, &error);
  g_assert_no_error (error);
  message_lines (*out);
  message_lines (err);
  if (!WIFEXITED (status) || (WEXITSTATUS (status) != 0 && WEXITSTATUS (status) != 77))
    g_error ("%s failed:\n%s%s", argv[0], *out, err);
  return status;
}

static void
test_script (gconstpointer data)
{
  const char *name = data;
  g_autofree char *file = g_strconcat ("check_", name, ".py", NULL);
  g_autofree char *script = g_build_filename (g_test_get_dir (G_TEST_DIST), "python", file,
                                              NULL);
  const char *argv[] = { script, NULL };
  g_autofree char *out = NULL;

  if (!lab_test_have_torch ())
    {
      g_test_skip (LAB_TEST_PYTHON " cannot import torch");
      return;
    }
  if (WEXITSTATUS (run_python (argv, &out)) == 77)
    g_test_skip (out);
}

/* Layer @l's matrix in @folder (W or M) through the engine's .npy reader, of @shape. */
static void
assert_npy (const char *folder,
            const char *prefix,
            guint       l,
            const gint *shape)
{
  g_autofree char *name = g_strdup_printf ("%s%u.npy", prefix, l);
  g_autofree char *path = g_build_filename (folder, name, NULL);
  g_autoptr(GError) error = NULL;
  g_autofree float *data = NULL;
  gsize rows = 0, cols = 0;

  data = lab_npy_load (path, &rows, &cols, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows, ==, (gsize) shape[0]);
  g_assert_cmpuint (cols, ==, (gsize) shape[1]);
}

/* The manifest of a pruned MLP's run through GKeyFile; returns the layer count. */
static guint
check_manifest (const char *dir,
                gint        shapes[][2])
{
  g_autofree char *path = g_build_filename (dir, "run.ini", NULL);
  g_autoptr(GKeyFile) kf = g_key_file_new ();
  g_autoptr(GError) error = NULL;
  g_autofree gint *input = NULL;
  g_auto(GStrv) other = NULL;
  gsize n = 0;
  guint l = 0;

  g_key_file_load_from_file (kf, path, G_KEY_FILE_NONE, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_key_file_get_integer (kf, "run", "format", &error), ==, 1);
  g_assert_no_error (error);
  input = g_key_file_get_integer_list (kf, "run", "input_shape", &n, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, 1);
  g_assert_cmpint (input[0], ==, 784);
  g_assert_cmpint (g_key_file_get_integer (kf, "run", "classes", &error), ==, 10);
  g_assert_false (g_key_file_get_boolean (kf, "run", "local_batch", &error));
  g_assert_no_error (error);
  for (;; l++)
    {
      g_autofree char *group = g_strdup_printf ("layer%u", l);
      g_autofree gint *shape = NULL;
      g_autofree char *kind = NULL;

      if (!g_key_file_has_group (kf, group))
        break;
      kind = g_key_file_get_string (kf, group, "kind", &error);
      g_assert_cmpstr (kind, ==, "linear");
      shape = g_key_file_get_integer_list (kf, group, "shape", &n, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (n, ==, 2);
      g_assert_cmpuint (l, <, 3);
      shapes[l][0] = shape[0];
      shapes[l][1] = shape[1];
      g_assert_true (g_key_file_get_boolean (kf, group, "bias", &error));
      g_assert_no_error (error);
    }
  other = g_key_file_get_string_list (kf, "other", "parameters", &n, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, 0);
  return l;
}

/* heavy/000040/heavy.ini through GKeyFile, and every W and M through lab_npy_load(). */
static void
check_heavy (const char *dir,
             guint       n_layers,
             gint        shapes[][2])
{
  g_autofree char *folder = g_build_filename (dir, "heavy", "000040", NULL);
  g_autofree char *path = g_build_filename (folder, "heavy.ini", NULL);
  g_autoptr(GKeyFile) kf = g_key_file_new ();
  g_autoptr(GError) error = NULL;

  g_key_file_load_from_file (kf, path, G_KEY_FILE_NONE, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_key_file_get_integer (kf, "heavy", "step", &error), ==, 40);
  for (guint l = 0; l < n_layers; l++)
    {
      g_autofree char *group = g_strdup_printf ("layer%u", l);
      g_autofree gint *counts = NULL;
      gsize n = 0;
      double lo, hi;

      counts = g_key_file_get_integer_list (kf, group, "grad_counts", &n, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (n, ==, 48);
      lo = g_key_file_get_double (kf, group, "act_lo", &error);
      hi = g_key_file_get_double (kf, group, "act_hi", &error);
      g_assert_no_error (error);
      g_assert_cmpfloat (lo, <, hi);
      assert_npy (folder, "W", l, shapes[l]);
      assert_npy (folder, "M", l, shapes[l]);
    }
}

static void
test_c_readers (void)
{
  g_autofree char *tmp = lab_test_mkdtemp ();
  g_autofree char *dir = g_build_filename (tmp, "pruned", NULL);
  g_autofree char *example = g_build_filename (g_test_get_dir (G_TEST_DIST), "..", "examples",
                                               "pytorch", "pruned.py", NULL);
  const char *argv[] = { example, dir, "--samples", "1280", "--epochs", "2", "--log-every",
                         "5", "--heavy-every", "20", NULL };
  g_autofree char *out = NULL;
  g_autofree char *status = NULL;
  gint shapes[3][2];
  guint n_layers;

  if (!lab_test_have_torch ())
    {
      g_test_skip (LAB_TEST_PYTHON " cannot import torch");
      return;
    }
  if (!lab_test_have_fashion_mnist ())
    {
      g_test_skip ("Fashion-MNIST is not installed");
      return;
    }
  run_python (argv, &out);
  n_layers = check_manifest (dir, shapes);
  g_assert_cmpuint (n_layers, ==, 3);
  g_assert_cmpint (shapes[0][0], ==, 300);
  g_assert_cmpint (shapes[0][1], ==, 784);
  check_heavy (dir, n_layers, shapes);
  {
    g_autofree char *path = g_build_filename (dir, "status", NULL);
    g_assert_true (g_file_get_contents (path, &status, NULL, NULL));
    g_assert_cmpstr (status, ==, "finished\n");
  }
  lab_test_rmdir (tmp);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (scripts); i++)
    {
      g_autofree char *path = g_strconcat ("/engine/watch-python/", scripts[i], NULL);
      g_test_add_data_func (path, scripts[i], test_script);
    }
  g_test_add_func ("/engine/watch-python/c-readers", test_c_readers);

  return g_test_run ();
}
