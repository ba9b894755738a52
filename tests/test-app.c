/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * test-app.c: the real gradlab binary (GRADLAB_APP) on the test's display: it trains for a few
 * seconds, gets SIGTERM or SIGINT, and must exit with status 0 and nothing on stderr that says
 * CRITICAL or WARNING (the test environment also makes warnings fatal). A screenshot of the
 * running window is saved as app-screenshot.png in the build directory when ImageMagick's
 * `import` is installed. `--benchmark 2` must quit by itself and print a parseable line (not a
 * timed assertion). A sweep started with --sweep and interrupted by SIGTERM exits 0 too and
 * leaves nothing behind. Also validates the desktop file and the AppStream metainfo.
 */
#define G_LOG_DOMAIN "test-app"

#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>

#include <gio/gio.h>
#include <glib/gstdio.h>

#include "lab-renderer.h"
#include "lab-test-utils.h"

typedef struct
{
  GSubprocess *proc;
  GMainLoop   *loop;
  char        *out;
  char        *err;
  int          signum;
  gboolean     killed;
  gboolean     done;
} Run;

static void
on_communicated (GObject      *source,
                 GAsyncResult *result,
                 gpointer      data)
{
  Run *run = data;
  g_autoptr(GError) error = NULL;

  g_subprocess_communicate_utf8_finish (G_SUBPROCESS (source), result,
                                        &run->out, &run->err, &error);
  g_assert_no_error (error);
  run->done = TRUE;
  g_main_loop_quit (run->loop);
}

static void
take_screenshot (void)
{
  g_autofree char *import = g_find_program_in_path ("import");
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;
  int status = 0;
  const char *argv[] = { NULL, "-window", "root", NULL, NULL };

  if (import == NULL || g_getenv ("DISPLAY") == NULL)
    return;
  path = g_test_build_filename (G_TEST_BUILT, "app-screenshot.png", NULL);
  argv[0] = import;
  argv[3] = path;
  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL |
                     G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, NULL, NULL, &status, &error))
    {
      g_test_message ("no screenshot: %s", error->message);
      return;
    }
  if (g_spawn_check_wait_status (status, NULL))
    g_test_message ("screenshot: %s", path);
}

static gboolean
on_signal_time (gpointer data)
{
  Run *run = data;

  if (run->signum == SIGTERM)
    take_screenshot ();
  g_subprocess_send_signal (run->proc, run->signum);
  return G_SOURCE_REMOVE;
}

static gboolean
on_deadline (gpointer data)
{
  Run *run = data;

  run->killed = TRUE;
  g_subprocess_force_exit (run->proc);
  return G_SOURCE_REMOVE;
}

/* Runs gradlab with @args (NULL-terminated) in folder @cwd (NULL: this one), signals it after
 * 3 s, expects a clean exit. */
static void
run_argv_and_signal (int                 signum,
                     const char * const *args,
                     const char         *cwd)
{
  const char *app = g_getenv ("GRADLAB_APP");
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  Run run = { 0 };
  guint deadline;

  if (app == NULL || g_getenv ("DISPLAY") == NULL)
    {
      g_test_skip ("needs GRADLAB_APP and a display");
      return;
    }

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_set_cwd (launcher, cwd);
  {
    g_autoptr(GPtrArray) argv = g_ptr_array_new ();

    g_ptr_array_add (argv, (gpointer) app);
    for (guint i = 0; args[i] != NULL; i++)
      g_ptr_array_add (argv, (gpointer) args[i]);
    g_ptr_array_add (argv, NULL);
    run.proc = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  }
  g_assert_no_error (error);
  run.loop = g_main_loop_new (NULL, FALSE);
  run.signum = signum;

  g_subprocess_communicate_utf8_async (run.proc, NULL, NULL, on_communicated, &run);
  g_timeout_add (3000, on_signal_time, &run);
  deadline = g_timeout_add (30000, on_deadline, &run);
  g_main_loop_run (run.loop);
  g_source_remove (deadline);

  g_test_message ("stderr: %s", run.err ? run.err : "");
  g_assert_false (run.killed);
  g_assert_true (g_subprocess_get_if_exited (run.proc));
  g_assert_cmpint (g_subprocess_get_exit_status (run.proc), ==, 0);
  g_assert_null (strstr (run.err, "CRITICAL"));
  g_assert_null (strstr (run.err, "WARNING"));
  g_assert_null (strstr (run.err, "Gtk-WARNING"));

  g_free (run.out);
  g_free (run.err);
  g_main_loop_unref (run.loop);
  g_object_unref (run.proc);
}

static void
run_and_signal (int          signum,
                const char  *extra_arg)
{
  const char *args[] = { "--preset", "spiral", extra_arg, NULL };

  run_argv_and_signal (signum, args, NULL);
}

/* Compare mode (two engines) and a lesson also quit cleanly on a signal. */
static void
test_sigterm_compare (void)
{
  const char *args[] = { "--compare", "spiral", "spiral", "--set", "model.activation=tanh", NULL };

  run_argv_and_signal (SIGTERM, args, NULL);
}

/* Watching one run directory, two side by side (their writers have not begun: they wait), and
 * a folder holding run.ini named as a FILE. */
static void
test_sigterm_watch (void)
{
  g_autofree char *tmp = lab_test_mkdtemp ();
  g_autofree char *a = g_build_filename (tmp, "a", NULL);
  g_autofree char *b = g_build_filename (tmp, "b", NULL);
  g_autofree char *c = g_build_filename (tmp, "c", NULL);
  g_autoptr(LabRunManifest) m = lab_test_run_manifest ();
  g_autofree char *ini = NULL;
  g_autofree char *text = NULL;
  gsize len = 0;
  const char *one[] = { "--watch", a, NULL };
  const char *two[] = { "--watch", a, b, NULL };
  const char *dir[] = { c, NULL };

  run_argv_and_signal (SIGTERM, one, NULL);
  run_argv_and_signal (SIGTERM, two, NULL);
  g_assert_cmpint (g_mkdir (c, 0700), ==, 0);
  text = lab_run_manifest_to_data (m, &len);
  ini = lab_test_write_file (c, "run.ini", text, len);
  run_argv_and_signal (SIGTERM, dir, NULL);
  lab_test_rmdir (tmp);
}

static void
test_sigint_lesson (void)
{
  const char *args[] = { "--lesson", "01-gradient-descent", "--presenter", NULL };

  run_argv_and_signal (SIGINT, args, NULL);
}

/* SIGTERM in the middle of a sweep started by --sweep: the sweep's copy trains far longer than
 * the test waits (a wide net, 400 epochs before its first point), so the signal lands while
 * it runs; the window cancels it within a step and exits 0 within the deadline, and nothing
 * is left in the folder it ran in (no half-written file, no temporary). */
static void
test_sigterm_mid_sweep (void)
{
  const char *args[] = { "--preset", "spiral", "--page", "pruning", "--set", "model.hidden=384,384",
                         "--set", "data.n_train=3000", "--set", "train.epochs=400",
                         "--sweep", "magnitude,random", NULL };
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("gradlab-sweep-XXXXXX", &error);
  g_autoptr(GDir) listing = NULL;

  g_assert_no_error (error);
  run_argv_and_signal (SIGTERM, args, dir);
  listing = g_dir_open (dir, 0, &error);
  g_assert_no_error (error);
  g_assert_null (g_dir_read_name (listing));
  g_rmdir (dir);
}

/* gradlab @args (NULL-terminated) exits 2 with @message on stderr. */
static void
assert_usage_error (const char *app,
                    const char * const *args,
                    const char *message)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autofree char *err = NULL;

  g_ptr_array_add (argv, (gpointer) app);
  for (guint a = 0; args[a] != NULL; a++)
    g_ptr_array_add (argv, (gpointer) args[a]);
  g_ptr_array_add (argv, NULL);
  proc = g_subprocess_newv ((const char * const *) argv->pdata,
                            G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                            &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (proc, NULL, NULL, NULL, &err, &error);
  g_assert_no_error (error);
  g_test_message ("stderr: %s", err);
  g_assert_true (g_subprocess_get_if_exited (proc));
  g_assert_cmpint (g_subprocess_get_exit_status (proc), ==, 2);
  g_assert_nonnull (strstr (err, message));
}

/* Exit status 2 and a message for --sweep or --lottery out of range, before any window. */
static void
test_bad_experiment_options (void)
{
  const char *app = g_getenv ("GRADLAB_APP");
  static const struct { const char *args[5]; const char *message; } cases[] = {
    { { "--sweep", "magnitude,biggest", NULL }, "--sweep: unknown criterion 'biggest'" },
    { { "--sweep", "", NULL }, "--sweep: no criterion given" },
    { { "--lottery", "0", NULL }, "--lottery must be a number of rounds from 1 to 100, not “0”" },
    { { "--lottery", "many", NULL }, "not “many”" },
    { { "--sweep", "random", "--lottery", "2", NULL }, "cannot both run" },
  };

  if (app == NULL)
    {
      g_test_skip ("needs GRADLAB_APP");
      return;
    }
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    assert_usage_error (app, cases[i].args, cases[i].message);
}

/* Exit status 2 and a message for a bad lesson or bad --compare or --watch arguments. */
static void
test_bad_lesson_and_compare (void)
{
  const char *app = g_getenv ("GRADLAB_APP");
  static const struct { const char *args[5]; const char *message; gboolean display; } cases[] = {
    { { "--lesson", "no-such-lesson", NULL }, "no lesson named 'no-such-lesson'", FALSE },
    { { "--compare", "spiral", NULL }, "--compare needs two", TRUE },
    { { "--compare", "spiral", "no-such-preset", NULL }, "no preset named 'no-such-preset'", TRUE },
    { { "--watch", NULL }, "--watch needs one local run directory, or two", TRUE },
    { { "--watch", "a", "b", "c", NULL }, "--watch needs one local run directory, or two", TRUE },
    { { "--watch", "--compare", "a", "b", NULL }, "--watch and --compare do not go together",
      FALSE },
  };

  if (app == NULL)
    {
      g_test_skip ("needs GRADLAB_APP");
      return;
    }
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    if (!cases[i].display || g_getenv ("DISPLAY") != NULL)
      assert_usage_error (app, cases[i].args, cases[i].message);
}

static void
test_sigterm (void)
{
  run_and_signal (SIGTERM, NULL);
}

static void
test_sigint_on_pruning_page (void)
{
  run_and_signal (SIGINT, "--page=pruning");
}

static void
test_bad_option (void)
{
  const char *app = g_getenv ("GRADLAB_APP");
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) proc = NULL;
  g_autofree char *err = NULL;

  if (app == NULL)
    {
      g_test_skip ("needs GRADLAB_APP");
      return;
    }
  proc = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                           &error, app, "--preset", "no-such-preset", NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (proc, NULL, NULL, NULL, &err, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (proc));
  g_assert_cmpint (g_subprocess_get_exit_status (proc), !=, 0);
  g_assert_nonnull (strstr (err, "no-such-preset"));
}

/* --version also says which OpenBLAS kernels run and who chose them. */
static void
test_version (void)
{
  const char *app = g_getenv ("GRADLAB_APP");
  const char *argv[] = { app, "--version", NULL };
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  int wait_status;

  if (app == NULL)
    {
      g_test_skip ("needs GRADLAB_APP");
      return;
    }
  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, NULL, &wait_status,
                &error);
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (wait_status, NULL));
  g_assert_true (g_str_has_prefix (out, "gradlab " PACKAGE_VERSION "\nBLAS: OpenBLAS"));
  g_assert_nonnull (strstr (out, " kernels, "));
}

/* --benchmark plays, prints one parseable line and quits by itself with status 0. */
static void
test_benchmark (void)
{
  const char *app = g_getenv ("GRADLAB_APP");
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) proc = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  unsigned seconds = 0, frames = 0;
  guint64 steps = 0;
  char sps[32], median[32], p90[32];

  if (app == NULL || g_getenv ("DISPLAY") == NULL)
    {
      g_test_skip ("needs GRADLAB_APP and a display");
      return;
    }
  proc = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                           &error, app, "--benchmark", "2", "--preset", "spiral", NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (proc, NULL, NULL, &out, &err, &error);
  g_assert_no_error (error);
  g_test_message ("stdout: %s\nstderr: %s", out, err);
  g_assert_true (g_subprocess_get_if_exited (proc));
  g_assert_cmpint (g_subprocess_get_exit_status (proc), ==, 0);
  g_assert_null (strstr (err, "CRITICAL"));
  g_assert_null (strstr (err, "WARNING"));
  g_assert_cmpint (sscanf (out, "window_benchmark seconds=%u steps=%" G_GUINT64_FORMAT
                           " samples_per_sec=%31s frames=%u paint_ms_median=%31s"
                           " paint_ms_p90=%31s", &seconds, &steps, sps, &frames, median, p90),
                   ==, 6);
  g_assert_cmpuint (seconds, ==, 2);
  g_assert_cmpuint (steps, >, 0);
  g_assert_cmpuint (frames, >, 0);
  g_assert_cmpfloat (g_ascii_strtod (sps, NULL), >, 0.0);
  /* the window reports the renderer it got; with no GPU and nothing set, that is cairo */
  g_assert_nonnull (strstr (out, " renderer=Gsk"));
  g_assert_nonnull (strstr (out, " blas_core="));
  g_assert_nonnull (strstr (out, " blas_threads="));
  if (g_getenv ("GSK_RENDERER") == NULL && !lab_renderer_have_gpu ("/dev/dri"))
    g_assert_nonnull (strstr (out, " renderer=GskCairoRenderer\n"));
}

/* The choice itself: cairo and no GL probing only without a GPU, and never over the user's word. */
static void
test_renderer_choice (void)
{
  LabRendererChoice c;

  c = lab_renderer_choose (FALSE, NULL, NULL);
  g_assert_cmpstr (c.gsk_renderer, ==, "cairo");
  g_assert_cmpstr (c.gdk_debug, ==, "gl-disable");
  c = lab_renderer_choose (FALSE, "", "");
  g_assert_cmpstr (c.gsk_renderer, ==, "cairo");
  g_assert_cmpstr (c.gdk_debug, ==, "gl-disable");
  /* the user asked for a renderer: leave both alone, GL may be what they want */
  c = lab_renderer_choose (FALSE, "gl", NULL);
  g_assert_null (c.gsk_renderer);
  g_assert_null (c.gdk_debug);
  /* the user set GDK_DEBUG for their own reasons: don't overwrite it */
  c = lab_renderer_choose (FALSE, NULL, "nograbs");
  g_assert_cmpstr (c.gsk_renderer, ==, "cairo");
  g_assert_null (c.gdk_debug);
  /* a GPU: GTK's own default */
  c = lab_renderer_choose (TRUE, NULL, NULL);
  g_assert_null (c.gsk_renderer);
  g_assert_null (c.gdk_debug);
}

/* A GPU is a DRM render node; a card node alone (a display controller) or no /dev/dri is not. */
static void
test_renderer_gpu_detection (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("gradlab-dri-XXXXXX", &error);
  g_autofree char *card = NULL, *render = NULL, *missing = NULL;

  g_assert_no_error (error);
  card = g_build_filename (dir, "card0", NULL);
  render = g_build_filename (dir, "renderD128", NULL);
  missing = g_build_filename (dir, "no-such-dir", NULL);
  g_assert_false (lab_renderer_have_gpu (missing));
  g_assert_false (lab_renderer_have_gpu (dir));
  g_assert_true (g_file_set_contents (card, "", 0, NULL));
  g_assert_false (lab_renderer_have_gpu (dir));
  g_assert_true (g_file_set_contents (render, "", 0, NULL));
  g_assert_true (lab_renderer_have_gpu (dir));
  g_remove (card);
  g_remove (render);
  g_rmdir (dir);
}

/* Runs TOOL ARGS… FILE (a file built into resources/ of the build tree: the desktop file and
 * the metainfo with their translations merged in) and fails on a non-zero status. */
static void
validate (const char *file,
          const char *tool,
          ...)
{
  g_autofree char *path = g_find_program_in_path (tool);
  g_autofree char *target = g_test_build_filename (G_TEST_BUILT, "..", "resources", file, NULL);
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  const char *arg;
  int status = 0;
  va_list ap;

  if (path == NULL)
    {
      g_test_skip ("the validator is not installed");
      return;
    }
  g_ptr_array_add (argv, path);
  va_start (ap, tool);
  while ((arg = va_arg (ap, const char *)) != NULL)
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (ap);
  g_ptr_array_add (argv, target);
  g_ptr_array_add (argv, NULL);

  g_assert_true (g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                               &out, &err, &status, &error));
  g_assert_no_error (error);
  g_test_message ("%s: %s%s", tool, out, err);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("%s %s failed:\n%s%s", tool, file, out, err);
}

static void
test_metainfo (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_BUILT, "..", "resources",
                                                 "io.github.gradlab.GradientLab.metainfo.xml",
                                                 NULL);
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;

  validate ("io.github.gradlab.GradientLab.metainfo.xml",
            "appstreamcli", "validate", "--no-net", NULL);

  /* i18n.merge_file put each language's summary beside the English one */
  g_file_get_contents (path, &text, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (text, "<summary xml:lang=\"de\">Zusehen, wie neuronale Netze"));
  g_assert_nonnull (strstr (text, "<summary xml:lang=\"es\">Vea cómo las redes neuronales"));
}

static void
test_desktop_file (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_BUILT, "..", "resources",
                                                 "io.github.gradlab.GradientLab.desktop", NULL);
  g_autoptr(GKeyFile) kf = g_key_file_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *en = NULL, *de = NULL, *es = NULL;

  validate ("io.github.gradlab.GradientLab.desktop", "desktop-file-validate", NULL);

  /* the comment is translated (Comment[de], Comment[es]), the English one stays the default */
  g_key_file_load_from_file (kf, path, G_KEY_FILE_KEEP_TRANSLATIONS, &error);
  g_assert_no_error (error);
  en = g_key_file_get_string (kf, G_KEY_FILE_DESKTOP_GROUP, "Comment", &error);
  g_assert_no_error (error);
  de = g_key_file_get_locale_string (kf, G_KEY_FILE_DESKTOP_GROUP, "Comment", "de", &error);
  g_assert_no_error (error);
  es = g_key_file_get_locale_string (kf, G_KEY_FILE_DESKTOP_GROUP, "Comment", "es", &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (en, "Train small neural networks"));
  g_assert_true (g_str_has_prefix (de, "Kleine neuronale Netze"));
  g_assert_true (g_str_has_prefix (es, "Entrene redes neuronales"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/ui/app/sigterm", test_sigterm);
  g_test_add_func ("/ui/app/sigint", test_sigint_on_pruning_page);
  g_test_add_func ("/ui/app/bad-option", test_bad_option);
  g_test_add_func ("/ui/app/benchmark", test_benchmark);
  g_test_add_func ("/ui/app/version", test_version);
  g_test_add_func ("/ui/app/renderer-choice", test_renderer_choice);
  g_test_add_func ("/ui/app/renderer-gpu-detection", test_renderer_gpu_detection);
  g_test_add_func ("/ui/app/sigterm-compare", test_sigterm_compare);
  g_test_add_func ("/ui/app/sigterm-watch", test_sigterm_watch);
  g_test_add_func ("/ui/app/sigint-lesson", test_sigint_lesson);
  g_test_add_func ("/ui/app/bad-lesson-and-compare", test_bad_lesson_and_compare);
  g_test_add_func ("/ui/app/sigterm-mid-sweep", test_sigterm_mid_sweep);
  g_test_add_func ("/ui/app/bad-experiment-options", test_bad_experiment_options);
  g_test_add_func ("/ui/app/metainfo", test_metainfo);
  g_test_add_func ("/ui/app/desktop-file", test_desktop_file);

  return g_test_run ();
}
