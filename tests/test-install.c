/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * test-install.c: a real install. `meson install --destdir TMP` of the build under test
 * (GRADLAB_BUILD_ROOT), then the installed programs run from TMP/PREFIX with a fresh temporary
 * folder as their working directory: gradlab-cli trains and prints a valid JSON summary, gradlab
 * opens, trains and quits by itself on the test's display. The installed desktop file and
 * metainfo must pass desktop-file-validate and appstreamcli (--no-net), the icons must be where
 * GNOME looks for them (hicolor scalable and symbolic), and each man page must render without a
 * groff warning and name every option its program's --help lists; the German and Spanish
 * message catalogues must be in LOCALEDIR and translate. Every installed file must lie under the
 * configured prefix, so any --prefix works. Suite `install`: `meson test --suite
 * install` runs it alone.
 */
#define G_LOG_DOMAIN "test-install"

#include "config.h"

#include <libintl.h>
#include <math.h>
#include <string.h>
#include <sys/wait.h>

#include <json-glib/json-glib.h>

#include "lab-test-utils.h"

/* The temporary DESTDIR; NULL until /install/meson-install has succeeded. */
static char *destdir;

/* DESTDIR + an absolute installation directory from the environment (e.g. GRADLAB_BINDIR) +
 * the remaining path elements. */
static char *
installed (const char *dir_variable,
           ...)
{
  const char *dir = g_getenv (dir_variable);
  g_autoptr(GPtrArray) parts = g_ptr_array_new ();
  const char *part;
  va_list ap;

  g_assert_nonnull (dir);
  g_assert_true (g_path_is_absolute (dir));
  g_ptr_array_add (parts, destdir);
  g_ptr_array_add (parts, (char *) dir);
  va_start (ap, dir_variable);
  while ((part = va_arg (ap, const char *)) != NULL)
    g_ptr_array_add (parts, (char *) part);
  va_end (ap);
  g_ptr_array_add (parts, NULL);
  return g_build_filenamev ((char **) parts->pdata);
}

/* Runs the NULL-terminated command line (a program looked up in PATH unless it is a path) in
 * @cwd and returns its exit status; stdout and stderr are logged and handed back. */
static int
run (const char  *cwd,
     char       **out,
     char       **err,
     const char  *program,
     ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *own_out = NULL, *own_err = NULL;
  const char *arg;
  int status = 0;
  va_list ap;

  /* always captured: a program writing to the test's stdout would break its TAP stream */
  if (out == NULL)
    out = &own_out;
  if (err == NULL)
    err = &own_err;
  g_ptr_array_add (argv, (char *) program);
  va_start (ap, program);
  while ((arg = va_arg (ap, const char *)) != NULL)
    g_ptr_array_add (argv, (char *) arg);
  va_end (ap);
  g_ptr_array_add (argv, NULL);

  g_spawn_sync (cwd, (char **) argv->pdata, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                out, err, &status, &error);
  g_assert_no_error (error);
  g_test_message ("%s: status %d\nstdout: %s\nstderr: %s", program, status,
                  out && *out ? *out : "", err && *err ? *err : "");
  g_assert_true (WIFEXITED (status));
  return WEXITSTATUS (status);
}

static gboolean
have_gui (void)
{
  return g_strcmp0 (g_getenv ("GRADLAB_GUI"), "true") == 0;
}

/* Skips the test (TRUE) when nothing was installed, when it needs the window and this build has
 * none, or when @tool is missing. */
static gboolean
skip_unless (gboolean    needs_window,
             const char *tool)
{
  g_autofree char *path = tool ? g_find_program_in_path (tool) : NULL;

  if (destdir == NULL)
    g_test_skip ("nothing installed");
  else if (needs_window && !have_gui ())
    g_test_skip ("built without the window");
  else if (tool != NULL && path == NULL)
    g_test_skip_printf ("%s is not installed (scripts/install-deps installs it)", tool);
  else
    return FALSE;
  return TRUE;
}

/* Every regular file below @dir starts with @prefix; returns how many there are. */
static guint
assert_all_under (const char *dir,
                  const char *prefix)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;
  guint n = 0;

  g_assert_nonnull (d);
  while ((name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      if (g_file_test (path, G_FILE_TEST_IS_DIR) && !g_file_test (path, G_FILE_TEST_IS_SYMLINK))
        n += assert_all_under (path, prefix);
      else if (!g_str_has_prefix (path, prefix))
        g_error ("%s was installed outside the prefix %s", path, prefix);
      else
        n++;
    }
  return n;
}

static void
test_meson_install (void)
{
  const char *build = g_getenv ("GRADLAB_BUILD_ROOT");
  const char *meson = g_getenv ("GRADLAB_MESON");
  g_autofree char *dir = NULL;
  g_autofree char *root = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  if (build == NULL || meson == NULL)
    {
      g_test_skip ("needs GRADLAB_BUILD_ROOT and GRADLAB_MESON (run it with meson test)");
      return;
    }
  dir = lab_test_mkdtemp ();
  g_assert_cmpint (run (NULL, &out, &err, meson, "install", "-C", build, "--no-rebuild",
                        "--destdir", dir, NULL), ==, 0);
  /* nothing lands outside the prefix: the programs and data move with any --prefix */
  root = g_strconcat (dir, g_getenv ("GRADLAB_PREFIX"), G_DIR_SEPARATOR_S, NULL);
  g_assert_cmpuint (assert_all_under (dir, root), >=, have_gui () ? 8 : 2);
  destdir = g_steal_pointer (&dir);
}

/* The last non-empty line of @text. */
static const char *
last_line (char *text)
{
  char *end = text + strlen (text);

  while (end > text && end[-1] == '\n')
    *--end = '\0';
  return strrchr (text, '\n') ? strrchr (text, '\n') + 1 : text;
}

static void
assert_positive_array (JsonObject *summary,
                       const char *member)
{
  JsonArray *a = json_object_get_array_member (summary, member);

  g_assert_nonnull (a);
  g_assert_cmpuint (json_array_get_length (a), ==, 3);   /* two hidden layers and the output */
  for (guint i = 0; i < json_array_get_length (a); i++)
    {
      double v = json_array_get_double_element (a, i);
      g_assert_true (isfinite (v) && v > 0);
    }
}

/* The installed CLI finds its compiled-in presets and trains, from a folder of its own. */
static void
test_cli (void)
{
  g_autofree char *cli = NULL;
  g_autofree char *cwd = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *presets = NULL;
  g_autofree char *lines = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *summary;

  if (skip_unless (FALSE, NULL))
    return;
  cli = installed ("GRADLAB_BINDIR", "gradlab-cli", NULL);
  g_assert_true (g_file_test (cli, G_FILE_TEST_IS_EXECUTABLE));
  cwd = lab_test_mkdtemp ();

  g_assert_cmpint (run (cwd, &presets, NULL, cli, "presets", NULL), ==, 0);
  lines = g_strconcat ("\n", presets, NULL);
  g_assert_nonnull (strstr (lines, "\nspiral "));

  g_assert_cmpint (run (cwd, &out, &err, cli, "train", "--preset", "spiral", "--steps", "50",
                        "--set", "model.hidden=16,16", "--quiet", NULL), ==, 0);
  g_assert_cmpstr (err, ==, "");
  json_parser_load_from_data (parser, last_line (out), -1, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));
  summary = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (summary, "status"), ==, "ok");
  g_assert_cmpint (json_object_get_int_member (summary, "steps"), ==, 50);
  /* 2-16-16-3: (2·16 + 16) + (16·16 + 16) + (16·3 + 3) parameters */
  g_assert_cmpint (json_object_get_int_member (summary, "params"), ==, 371);
  g_assert_true (isfinite (json_object_get_double_member (summary, "train_loss")));
  g_assert_cmpfloat (json_object_get_double_member (summary, "test_accuracy"), >, 0.0);
  g_assert_cmpfloat (json_object_get_double_member (summary, "test_accuracy"), <=, 1.0);
  assert_positive_array (summary, "grad_norm_first");
  assert_positive_array (summary, "delta_norm_last");
  lab_test_rmdir (cwd);
}

/* The installed window opens on the test's display, trains, and quits by itself with 0. */
static void
test_window (void)
{
  g_autofree char *app = NULL;
  g_autofree char *cwd = NULL;
  g_autofree char *out = NULL;
  g_autofree char *version = NULL;
  g_autofree char *expected = g_strdup_printf ("gradlab %s\n", PACKAGE_VERSION);

  if (skip_unless (TRUE, NULL))
    return;
  app = installed ("GRADLAB_BINDIR", "gradlab", NULL);
  cwd = lab_test_mkdtemp ();
  g_assert_cmpint (run (cwd, &version, NULL, app, "--version", NULL), ==, 0);
  /* the version, then the BLAS kernels it runs (lab-blas-core.h) */
  g_assert_true (g_str_has_prefix (version, expected));
  g_assert_true (g_str_has_prefix (version + strlen (expected), "BLAS: OpenBLAS "));
  if (g_getenv ("DISPLAY") == NULL)
    {
      lab_test_rmdir (cwd);
      g_test_skip ("needs a display (run under xvfb-run)");
      return;
    }
  g_assert_cmpint (run (cwd, &out, NULL, app, "--benchmark", "2", "--preset", "spiral", NULL),
                   ==, 0);
  g_assert_true (g_str_has_prefix (out, "window_benchmark seconds=2 "));
  lab_test_rmdir (cwd);
}

static void
test_desktop_file (void)
{
  g_autofree char *file = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *exec = NULL;
  g_autofree char *icon = NULL;
  g_autofree char *program = NULL;
  g_auto(GStrv) words = NULL;
  g_autoptr(GKeyFile) kf = g_key_file_new ();
  g_autoptr(GError) error = NULL;

  if (skip_unless (TRUE, "desktop-file-validate"))
    return;
  file = installed ("GRADLAB_DATADIR", "applications", APP_ID ".desktop", NULL);
  /* no errors, and no warnings or hints either */
  g_assert_cmpint (run (NULL, &out, &err, "desktop-file-validate", file, NULL), ==, 0);
  g_assert_cmpstr (out, ==, "");
  g_assert_cmpstr (err, ==, "");

  /* it starts the installed program and names the installed icon */
  g_key_file_load_from_file (kf, file, G_KEY_FILE_NONE, &error);
  g_assert_no_error (error);
  exec = g_key_file_get_string (kf, G_KEY_FILE_DESKTOP_GROUP, G_KEY_FILE_DESKTOP_KEY_EXEC, &error);
  g_assert_no_error (error);
  words = g_strsplit (exec, " ", -1);
  program = installed ("GRADLAB_BINDIR", words[0], NULL);
  g_assert_true (g_file_test (program, G_FILE_TEST_IS_EXECUTABLE));
  icon = g_key_file_get_string (kf, G_KEY_FILE_DESKTOP_GROUP, G_KEY_FILE_DESKTOP_KEY_ICON, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (icon, ==, APP_ID);
}

static void
test_metainfo (void)
{
  g_autofree char *file = NULL;
  g_autofree char *tree = NULL;

  if (skip_unless (TRUE, "appstreamcli"))
    return;
  file = installed ("GRADLAB_DATADIR", "metainfo", APP_ID ".metainfo.xml", NULL);
  tree = g_build_filename (destdir, g_getenv ("GRADLAB_PREFIX"), NULL);
  g_assert_cmpint (run (NULL, NULL, NULL, "appstreamcli", "validate", "--no-net", file, NULL),
                   ==, 0);
  /* the installed tree as a whole: the metainfo's launchable desktop file is really there */
  g_assert_cmpint (run (NULL, NULL, NULL, "appstreamcli", "validate-tree", "--no-net", tree,
                        NULL), ==, 0);
}

static void
svg_start (GMarkupParseContext  *context,
           const char           *element,
           const char          **names,
           const char          **values,
           gpointer              user_data,
           GError              **error)
{
  guint *depth_and_svg = user_data;

  if (depth_and_svg[0]++ == 0 && g_str_equal (element, "svg"))
    depth_and_svg[1] = TRUE;
}

static void
svg_end (GMarkupParseContext  *context,
         const char           *element,
         gpointer              user_data,
         GError              **error)
{
  ((guint *) user_data)[0]--;
}

/* The file is well-formed XML whose root element is <svg>. */
static void
assert_svg (const char *path)
{
  static const GMarkupParser parser = { svg_start, svg_end, NULL, NULL, NULL };
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autoptr(GMarkupParseContext) context = NULL;
  guint depth_and_svg[2] = { 0, FALSE };

  g_file_get_contents (path, &text, NULL, &error);
  g_assert_no_error (error);
  context = g_markup_parse_context_new (&parser, 0, depth_and_svg, NULL);
  g_markup_parse_context_parse (context, text, -1, &error);
  g_assert_no_error (error);
  g_markup_parse_context_end_parse (context, &error);
  g_assert_no_error (error);
  g_assert_true (depth_and_svg[1]);
}

/* Where GNOME looks for an app's icons: hicolor/scalable/apps/APPID.svg and
 * hicolor/symbolic/apps/APPID-symbolic.svg, each a well-formed SVG. */
static void
test_icons (void)
{
  g_autofree char *scalable = NULL;
  g_autofree char *symbolic = NULL;

  if (skip_unless (TRUE, NULL))
    return;
  scalable = installed ("GRADLAB_DATADIR", "icons", "hicolor", "scalable", "apps",
                        APP_ID ".svg", NULL);
  symbolic = installed ("GRADLAB_DATADIR", "icons", "hicolor", "symbolic", "apps",
                        APP_ID "-symbolic.svg", NULL);
  assert_svg (scalable);
  assert_svg (symbolic);
}

/* The message catalogues, installed where LOCALEDIR says, translate. */
static void
test_translations (void)
{
  g_autofree char *localedir = NULL;
  const char *langs[] = { "de", "es" };
  const char *expected[] = { "Labor für neuronale Netze", "Laboratorio de redes neuronales" };

  if (skip_unless (FALSE, NULL))
    return;
  localedir = installed ("GRADLAB_LOCALEDIR", NULL);
  for (guint i = 0; i < G_N_ELEMENTS (langs); i++)
    {
      g_autofree char *mo = g_build_filename (localedir, langs[i], "LC_MESSAGES", "gradlab.mo",
                                              NULL);

      g_assert_true (g_file_test (mo, G_FILE_TEST_IS_REGULAR));
      lab_test_use_language (localedir, langs[i]);
      g_assert_cmpstr (dgettext (GETTEXT_PACKAGE, "Neural Network Laboratory"), ==, expected[i]);
    }
  lab_test_use_language (localedir, NULL);
}

/* TRUE if @text has @option (e.g. "--set") not followed by more of an option name. */
static gboolean
mentions_option (const char *text,
                 const char *option)
{
  gsize len = strlen (option);

  for (const char *p = strstr (text, option); p != NULL; p = strstr (p + 1, option))
    if (!g_ascii_isalnum (p[len]) && p[len] != '-' && p[len] != '_')
      return TRUE;
  return FALSE;
}

/* Every --option in @help appears in @page (troff source, "\-" already turned into "-"). */
static void
assert_page_has_options (const char *page,
                         const char *help,
                         const char *name)
{
  g_autoptr(GRegex) re = g_regex_new ("--[a-z][a-z-]*[a-z]", 0, 0, NULL);
  g_autoptr(GMatchInfo) match = NULL;
  guint n = 0;

  for (g_regex_match (re, help, 0, &match); g_match_info_matches (match);
       g_match_info_next (match, NULL), n++)
    {
      g_autofree char *option = g_match_info_fetch (match, 0);
      if (!mentions_option (page, option))
        g_error ("%s.1 does not mention %s", name, option);
    }
  g_assert_cmpuint (n, >, 0);
}

/* The installed page renders without a groff warning and carries this build's version; its
 * text (troff source with "\-" as "-") is returned. */
static char *
read_man_page (const char *name)
{
  g_autofree char *file_name = g_strconcat (name, ".1", NULL);
  g_autofree char *path = installed ("GRADLAB_MANDIR", "man1", file_name, NULL);
  g_autofree char *th = g_strdup_printf ("\"Gradient Lab %s\"", PACKAGE_VERSION);
  g_autoptr(GError) error = NULL;
  g_autofree char *source = NULL;
  g_auto(GStrv) pieces = NULL;
  g_autofree char *groff = g_find_program_in_path ("groff");

  g_file_get_contents (path, &source, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (source, th));
  if (groff != NULL)
    {
      g_autofree char *err = NULL;
      g_assert_cmpint (run (NULL, NULL, &err, "groff", "-man", "-Tutf8", "-ww", "-z", path, NULL),
                       ==, 0);
      g_assert_cmpstr (err, ==, "");
    }
  pieces = g_strsplit (source, "\\-", -1);
  return g_strjoinv ("-", pieces);
}

static void
test_man_pages (void)
{
  g_autofree char *cli = NULL;
  g_autofree char *page = NULL;
  g_autofree char *help = NULL;
  const char *commands[] = { "train", "sweep", "lottery" };

  if (skip_unless (FALSE, NULL))
    return;
  cli = installed ("GRADLAB_BINDIR", "gradlab-cli", NULL);
  page = read_man_page ("gradlab-cli");
  g_assert_cmpint (run (NULL, &help, NULL, cli, "--help", NULL), ==, 0);
  assert_page_has_options (page, help, "gradlab-cli");
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      g_autofree char *command_help = NULL;
      g_autofree char *heading = g_strdup_printf ("\n.B %s\n", commands[i]);

      g_assert_nonnull (strstr (page, heading));
      g_assert_cmpint (run (NULL, &command_help, NULL, cli, commands[i], "--help", NULL), ==, 0);
      assert_page_has_options (page, command_help, "gradlab-cli");
    }

  if (have_gui ())
    {
      g_autofree char *app = installed ("GRADLAB_BINDIR", "gradlab", NULL);
      g_autofree char *app_page = read_man_page ("gradlab");
      g_autofree char *app_help = NULL;

      g_assert_cmpint (run (NULL, &app_help, NULL, app, "--help-all", NULL), ==, 0);
      assert_page_has_options (app_page, app_help, "gradlab");
    }
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);

  /* first: the others use what it installed, and skip if it failed */
  g_test_add_func ("/install/meson-install", test_meson_install);
  g_test_add_func ("/install/cli", test_cli);
  g_test_add_func ("/install/window", test_window);
  g_test_add_func ("/install/desktop-file", test_desktop_file);
  g_test_add_func ("/install/metainfo", test_metainfo);
  g_test_add_func ("/install/icons", test_icons);
  g_test_add_func ("/install/man-pages", test_man_pages);
  g_test_add_func ("/install/translations", test_translations);

  status = g_test_run ();
  if (destdir != NULL)
    lab_test_rmdir (destdir);
  g_free (destdir);
  return status;
}
