/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-application.c: the GtkApplication of gradlab. It parses the command line (a FILE, or
 * --preset/--config/--set to choose the run, --page, --paused, --prune-at-step for scripted
 * screenshots, --benchmark SECONDS to measure the window, --lesson FILE, --compare A B,
 * --sweep CRITERIA and --lottery ROUNDS to start an experiment once the run is ready, --watch
 * DIR or --watch A B), opens one LabWindow (or a compare window), owns the app actions (about,
 * quit) and their accelerators, loads style.css, and turns SIGINT/SIGTERM into an orderly quit:
 * every window is destroyed in shutdown, which stops and joins its engine thread, so the process
 * exits with status 0.
 *
 * The application is not unique: each gradlab process trains its own network, so a second
 * launch opens a second, independent process rather than a window in the first.
 */
#define G_LOG_DOMAIN "gradlab"

#include "config.h"

#include <glib/gi18n.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <glib-unix.h>

#include "lab-about.h"
#include "lab-application.h"
#include "lab-blas-core.h"
#include "lab-compare-window.h"
#include "lab-config.h"
#include "lab-experiment.h"
#include "lab-lesson.h"
#include "lab-ops.h"
#include "lab-window.h"
#include "lab-window-benchmark.h"
#include "lab-window-classroom.h"
#include "lab-window-experiment.h"
#include "lab-window-watch.h"

struct _LabApplication
{
  GtkApplication  parent_instance;

  /* from the command line */
  LabConfig       cfg;
  gboolean        have_cfg;
  char           *page;
  guint64         prune_at_step;
  gboolean        paused;
  int             width, height;
  LabLesson      *lesson;       /* --lesson */
  gboolean        compare;      /* --compare: the two FILE arguments side by side */
  gboolean        watch;        /* --watch: the FILE arguments are run directories to watch */
  gboolean        presenter;    /* --presenter */
  int             benchmark;    /* --benchmark SECONDS, 0 = none */
  char          **sets;         /* --set, also applied to both sides of --compare */
  char           *sweep;        /* --sweep CRITERIA, checked */
  int             lottery;      /* --lottery ROUNDS, checked; 0 = none */
  int             exit_status;  /* a failure found after option parsing (bad --compare) */

  /* owned: the desktop's light/dark preference (XDG Settings portal), if there is one */
  GDBusProxy     *portal;
  GCancellable   *cancellable;

  /* owned */
  GtkCssProvider *css;
  guint           sigint_source;
  guint           sigterm_source;
};

G_DEFINE_FINAL_TYPE (LabApplication, lab_application, GTK_TYPE_APPLICATION)

static const GOptionEntry option_entries[] = {
  { "preset", 'p', 0, G_OPTION_ARG_STRING, NULL,
    N_("Start with a shipped preset (e.g. spiral, vanishing-sigmoid, relu-he)"), N_("NAME") },
  { "config", 'c', 0, G_OPTION_ARG_FILENAME, NULL, N_("Start with the settings of an .ini file"),
    N_("FILE") },
  { "set", 's', 0, G_OPTION_ARG_STRING_ARRAY, NULL,
    N_("Change one setting, e.g. --set train.lr=0.05 (repeatable)"), N_("SECTION.KEY=VALUE") },
  /* Translators: gradients, pruning and network are what --page takes: keep them in English */
  { "page", 0, 0, G_OPTION_ARG_STRING, NULL,
    N_("Show this page first: gradients, pruning or network"), N_("PAGE") },
  { "paused", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Do not start training right away"), NULL },
  { "geometry", 0, 0, G_OPTION_ARG_STRING, NULL, N_("Initial window size, e.g. 1920x1080"),
    N_("WIDTHxHEIGHT") },
  { "prune-at-step", 0, 0, G_OPTION_ARG_INT64, NULL,
    N_("Prune with the sidebar's settings once the run reaches this step"), N_("N") },
  { "lesson", 'l', 0, G_OPTION_ARG_FILENAME, NULL,
    N_("Open a lesson: a .lesson file or a shipped lesson (e.g. 02-vanishing-gradients)"),
    N_("FILE") },
  { "compare", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_("Train two settings side by side in lock-step: gradlab --compare A.ini B.ini "
       "(A and B may be preset names)"), NULL },
  { "watch", 'w', 0, G_OPTION_ARG_NONE, NULL,
    N_("Show a run directory live while another program writes it: gradlab --watch DIR; "
       "two side by side: gradlab --watch A B"), NULL },
  { "presenter", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_("Start in presenter mode (F11): fullscreen, large text, no sidebar"), NULL },
  { "sweep", 0, 0, G_OPTION_ARG_STRING, NULL,
    N_("Once the run is ready, sweep these pruning criteria (e.g. magnitude,random) with the "
       "run's other defaults, as Sweep… would; the run itself stays paused"), N_("CRITERIA") },
  /* a string: GApplication leaves an integer option of 0 out of the dictionary, so
   * --lottery 0 would pass unseen */
  { "lottery", 0, 0, G_OPTION_ARG_STRING, NULL,
    N_("Once the run is ready, run the lottery-ticket experiment for this many rounds, as "
       "Lottery… would; the run itself stays paused"), N_("ROUNDS") },
  { "benchmark", 0, 0, G_OPTION_ARG_INT, NULL,
    N_("Play for SECONDS, print training and paint timings on one line, and quit"),
    N_("SECONDS") },
  { "version", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Print the version and exit"), NULL },
  { NULL }
};

/* ------------------------------------------------------------------------------------------ */
/* App actions                                                                                */

static void
about_action (GSimpleAction *action,
              GVariant      *param,
              gpointer       user_data)
{
  GtkApplication *app = user_data;

  gtk_window_present (lab_about_new (gtk_application_get_active_window (app)));
}

static void
quit_action (GSimpleAction *action,
             GVariant      *param,
             gpointer       user_data)
{
  g_application_quit (G_APPLICATION (user_data));
}

static const GActionEntry app_actions[] = {
  { "about", about_action },
  { "quit", quit_action },
};

static const struct
{
  const char *action;
  const char *accels[3];
} app_accels[] = {
  { "app.quit", { "<Control>q", NULL } },
};

/* ------------------------------------------------------------------------------------------ */
/* Signals                                                                                    */

static gboolean
on_unix_signal (gpointer user_data)
{
  g_application_quit (G_APPLICATION (user_data));
  return G_SOURCE_CONTINUE;
}

/* ------------------------------------------------------------------------------------------ */
/* Light or dark                                                                              */

/* GTK 4.8 on its own does not follow the desktop's colour scheme (libadwaita does). Ask the XDG
 * Settings portal, as libadwaita does, and map "prefer dark" to gtk-application-prefer-dark-theme.
 * Without a session bus or a portal nothing happens and the theme's default stays. */

static void
apply_color_scheme (GVariant *value)
{
  GtkSettings *settings = gtk_settings_get_default ();

  /* Older portals wrap the value in one more variant. */
  while (value != NULL && g_variant_is_of_type (value, G_VARIANT_TYPE_VARIANT))
    {
      GVariant *inner = g_variant_get_variant (value);
      g_variant_unref (value);
      value = inner;
    }
  if (value != NULL && g_variant_is_of_type (value, G_VARIANT_TYPE_UINT32) && settings != NULL)
    g_object_set (settings, "gtk-application-prefer-dark-theme",
                  g_variant_get_uint32 (value) == 1, NULL);
  g_clear_pointer (&value, g_variant_unref);
}

static void
on_portal_signal (GDBusProxy *proxy,
                  const char *sender,
                  const char *signal,
                  GVariant   *params,
                  gpointer    user_data)
{
  const char *ns, *key;
  GVariant *value = NULL;

  if (g_strcmp0 (signal, "SettingChanged") != 0 ||
      !g_variant_is_of_type (params, G_VARIANT_TYPE ("(ssv)")))
    return;
  g_variant_get (params, "(&s&sv)", &ns, &key, &value);
  if (g_strcmp0 (ns, "org.freedesktop.appearance") == 0 && g_strcmp0 (key, "color-scheme") == 0)
    apply_color_scheme (g_steal_pointer (&value));
  g_clear_pointer (&value, g_variant_unref);
}

static void
on_portal_read (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GVariant) ret = g_dbus_proxy_call_finish (G_DBUS_PROXY (source), result, NULL);
  GVariant *value = NULL;

  if (ret == NULL)
    return;   /* no portal, or it does not know the key: keep the default */
  g_variant_get (ret, "(v)", &value);
  apply_color_scheme (value);
}

static void
on_portal_proxy (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  GDBusProxy *proxy = g_dbus_proxy_new_for_bus_finish (result, &error);
  LabApplication *self;

  if (proxy == NULL)
    return;   /* cancelled, or no session bus */
  self = LAB_APPLICATION (user_data);
  self->portal = proxy;
  g_signal_connect (proxy, "g-signal", G_CALLBACK (on_portal_signal), NULL);
  g_dbus_proxy_call (proxy, "Read",
                     g_variant_new ("(ss)", "org.freedesktop.appearance", "color-scheme"),
                     G_DBUS_CALL_FLAGS_NONE, 2000, self->cancellable, on_portal_read, NULL);
}

static void
follow_color_scheme (LabApplication *self)
{
  /* Only where a session bus exists: never autolaunch one. */
  if (g_getenv ("DBUS_SESSION_BUS_ADDRESS") == NULL)
    return;
  self->cancellable = g_cancellable_new ();
  g_dbus_proxy_new_for_bus (G_BUS_TYPE_SESSION,
                            G_DBUS_PROXY_FLAGS_DO_NOT_LOAD_PROPERTIES,
                            NULL,
                            "org.freedesktop.portal.Desktop",
                            "/org/freedesktop/portal/desktop",
                            "org.freedesktop.portal.Settings",
                            self->cancellable, on_portal_proxy, self);
}

/* ------------------------------------------------------------------------------------------ */
/* GApplication                                                                               */

/* The options that name no file: a message and FALSE when one is out of range. */
static gboolean
check_options (LabApplication *self,
               GVariantDict   *options,
               const char     *geometry,
               gint64          prune_at,
               const char     *lottery)
{
  if (geometry != NULL &&
      (sscanf (geometry, "%dx%d", &self->width, &self->height) != 2 ||
       self->width < 320 || self->height < 240))
    {
      g_printerr (_("gradlab: --geometry must be WIDTHxHEIGHT, e.g. 1920x1080, not “%s”\n"),
                  geometry);
      return FALSE;
    }
  if (self->page != NULL && g_strcmp0 (self->page, "gradients") != 0 &&
      g_strcmp0 (self->page, "pruning") != 0 && g_strcmp0 (self->page, "network") != 0)
    {
      g_printerr (_("gradlab: --page must be gradients, pruning or network, not “%s”\n"),
                  self->page);
      return FALSE;
    }
  if (g_variant_dict_contains (options, "benchmark") && self->benchmark <= 0)
    {
      g_printerr (_("gradlab: --benchmark must be a number of seconds above 0\n"));
      return FALSE;
    }
  if (prune_at < 0)
    {
      g_printerr (_("gradlab: --prune-at-step must not be negative\n"));
      return FALSE;
    }
  if (lottery != NULL)
    {
      guint64 rounds = 0;

      if (!g_ascii_string_to_unsigned (lottery, 10, 1, 100, &rounds, NULL))
        {
          g_printerr (_("gradlab: --lottery must be a number of rounds from 1 to 100, "
                        "not “%s”\n"), lottery);
          return FALSE;
        }
      self->lottery = (int) rounds;
    }
  if (self->sweep != NULL)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GArray) criteria = lab_experiment_parse_criteria (self->sweep, &error);

      if (criteria == NULL)
        {
          g_printerr ("gradlab: --sweep: %s\n", error->message);
          return FALSE;
        }
    }
  if (self->sweep != NULL && self->lottery > 0)
    {
      g_printerr (_("gradlab: --sweep and --lottery cannot both run: choose one\n"));
      return FALSE;
    }
  self->prune_at_step = (guint64) prune_at;
  return TRUE;
}

/* --preset or --config (else the spiral preset), then each --set; validated. */
static gboolean
load_config (LabApplication     *self,
             const char         *preset,
             const char         *config,
             const char * const *sets,
             GError            **error)
{
  lab_config_clear (&self->cfg);
  lab_config_init_defaults (&self->cfg);
  if (preset == NULL && config == NULL && !lab_config_load_preset (&self->cfg, "spiral", error))
    return FALSE;
  if (preset != NULL && !lab_config_load_preset (&self->cfg, preset, error))
    return FALSE;
  if (config != NULL && !lab_config_load_file (&self->cfg, config, error))
    return FALSE;
  for (guint i = 0; sets != NULL && sets[i] != NULL; i++)
    if (!lab_config_set_assignment (&self->cfg, sets[i], error))
      return FALSE;
  if (!lab_config_validate (&self->cfg, error))
    return FALSE;
  self->have_cfg = TRUE;
  return TRUE;
}

static int
lab_application_handle_local_options (GApplication *application,
                                      GVariantDict *options)
{
  LabApplication *self = LAB_APPLICATION (application);
  g_autoptr(GError) error = NULL;
  g_autofree char *preset = NULL;
  g_autofree char *config = NULL;
  g_autofree const char **sets = NULL;
  g_autofree char *geometry = NULL;
  g_autofree char *lesson = NULL;
  g_autofree char *lottery = NULL;
  gint64 prune_at = 0;

  if (g_variant_dict_contains (options, "version"))
    {
      g_autofree char *blas = lab_blas_core_describe ();
      g_print ("gradlab %s\nBLAS: %s\n", PACKAGE_VERSION, blas);
      return 0;
    }

  g_variant_dict_lookup (options, "preset", "s", &preset);
  g_variant_dict_lookup (options, "config", "^ay", &config);
  g_variant_dict_lookup (options, "set", "^a&s", &sets);
  g_variant_dict_lookup (options, "page", "s", &self->page);
  g_variant_dict_lookup (options, "prune-at-step", "x", &prune_at);
  self->paused = g_variant_dict_contains (options, "paused");
  g_variant_dict_lookup (options, "geometry", "s", &geometry);
  g_variant_dict_lookup (options, "lesson", "^ay", &lesson);
  self->compare = g_variant_dict_contains (options, "compare");
  self->watch = g_variant_dict_contains (options, "watch");
  self->presenter = g_variant_dict_contains (options, "presenter");
  g_variant_dict_lookup (options, "benchmark", "i", &self->benchmark);
  g_variant_dict_lookup (options, "sweep", "s", &self->sweep);
  g_variant_dict_lookup (options, "lottery", "s", &lottery);
  /* the experiment is what runs; the run it copies waits */
  self->paused |= self->sweep != NULL || lottery != NULL;
  self->sets = g_strdupv ((char **) sets);

  if (lesson != NULL)
    {
      if (g_file_test (lesson, G_FILE_TEST_EXISTS))
        self->lesson = lab_lesson_load_file (lesson, &error);
      else
        self->lesson = lab_lesson_load_shipped (lesson, &error);
      if (self->lesson == NULL)
        {
          g_printerr ("gradlab: %s\n", error->message);
          return 2;
        }
    }
  if (!check_options (self, options, geometry, prune_at, lottery))
    return 2;
  if (self->watch && self->compare)
    {
      g_printerr (_("gradlab: --watch and --compare do not go together: --watch A B compares two "
                    "watched runs\n"));
      return 2;
    }
  if ((preset != NULL || config != NULL || sets != NULL) &&
      !load_config (self, preset, config, sets, &error))
    {
      g_printerr ("gradlab: %s\n", error->message);
      return 2;
    }
  return -1;
}

static LabWindow *
new_window (LabApplication *self)
{
  LabWindow *window = lab_window_new (GTK_APPLICATION (self), self->have_cfg ? &self->cfg : NULL);

  if (self->width > 0)
    gtk_window_set_default_size (GTK_WINDOW (window), self->width, self->height);
  if (self->lesson != NULL)
    {
      g_autoptr(GError) error = NULL;
      if (!lab_window_open_lesson (window, self->lesson, &error))
        lab_window_show_error (window, error->message);
    }
  if (self->page != NULL)
    lab_window_set_page (window, self->page);
  if (self->prune_at_step > 0)
    lab_window_set_prune_at_step (window, self->prune_at_step);
  if (self->presenter)
    lab_window_set_presenter (window, TRUE);
  if (self->benchmark > 0)
    lab_window_benchmark_start (window, (guint) self->benchmark);
  if (self->sweep != NULL)
    lab_window_start_experiment_when_ready (window, LAB_EXPERIMENT_SWEEP,
                                            g_variant_new_parsed ("{'criteria': <%s>}",
                                                                  self->sweep));
  if (self->lottery > 0)
    lab_window_start_experiment_when_ready (window, LAB_EXPERIMENT_LOTTERY,
                                            g_variant_new_parsed ("{'rounds': <%u>}",
                                                                  (guint32) self->lottery));
  return window;
}

static void
start (LabApplication *self,
       LabWindow      *window)
{
  if (!self->paused)
    gtk_widget_activate_action (GTK_WIDGET (window), "win.play", NULL);
  gtk_window_present (GTK_WINDOW (window));
}

/* --compare: a settings file, else a preset name; then the --set overrides. */
static gboolean
load_side (LabApplication  *self,
           GFile           *file,
           LabConfig       *cfg,
           char           **name,
           GError         **error)
{
  g_autofree char *path = g_file_get_path (file);
  g_autofree char *base = g_file_get_basename (file);

  lab_config_init_defaults (cfg);
  if (path != NULL && g_file_test (path, G_FILE_TEST_EXISTS))
    {
      if (!lab_config_load_file (cfg, path, error))
        return FALSE;
    }
  else if (!lab_config_load_preset (cfg, base, error))
    return FALSE;
  for (guint i = 0; self->sets != NULL && self->sets[i] != NULL; i++)
    if (!lab_config_set_assignment (cfg, self->sets[i], error))
      return FALSE;
  if (!lab_config_validate (cfg, error))
    return FALSE;
  *name = g_str_has_suffix (base, ".ini") ? g_strndup (base, strlen (base) - 4)
                                          : g_strdup (base);
  return TRUE;
}

static void
open_compare (LabApplication  *self,
              GFile          **files,
              int              n_files)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *name0 = NULL;
  g_autofree char *name1 = NULL;
  LabCompareWindow *window;
  LabConfig cfg[2];
  gboolean ok;

  if (n_files != 2)
    {
      g_printerr (_("gradlab: --compare needs two settings files or preset names, "
                    "e.g. gradlab --compare vanishing-sigmoid relu-he\n"));
      self->exit_status = 2;
      return;
    }
  ok = load_side (self, files[0], &cfg[0], &name0, &error) &&
       load_side (self, files[1], &cfg[1], &name1, &error);
  if (ok)
    {
      window = lab_compare_window_new (GTK_APPLICATION (self), &cfg[0], name0, &cfg[1], name1);
      if (self->width > 0)
        gtk_window_set_default_size (GTK_WINDOW (window), self->width, self->height);
      if (!self->paused)
        lab_compare_window_play (window);
      if (self->presenter)
        lab_compare_window_set_presenter (window, TRUE);
      lab_compare_window_show_network (window, g_strcmp0 (self->page, "network") == 0);
      gtk_window_present (GTK_WINDOW (window));
    }
  else
    {
      g_printerr ("gradlab: %s\n", error->message);
      self->exit_status = 2;
    }
  lab_config_clear (&cfg[0]);
  lab_config_clear (&cfg[1]);
}

/* --watch DIR in a window, --watch A B side by side. */
static void
open_watch (LabApplication  *self,
            GFile          **files,
            int              n_files)
{
  g_autofree char *dir0 = n_files > 0 ? g_file_get_path (files[0]) : NULL;
  g_autofree char *dir1 = n_files > 1 ? g_file_get_path (files[1]) : NULL;
  LabCompareWindow *compare;
  LabWindow *window;

  if (n_files < 1 || n_files > 2 || dir0 == NULL || (n_files == 2 && dir1 == NULL))
    {
      g_printerr (_("gradlab: --watch needs one local run directory, or two to compare, e.g. "
                    "gradlab --watch runs/exp1 or gradlab --watch runs/a runs/b\n"));
      self->exit_status = 2;
      return;
    }
  if (n_files == 1)
    {
      window = new_window (self);
      lab_window_watch (window, dir0);
      gtk_window_present (GTK_WINDOW (window));
      return;
    }
  compare = lab_compare_window_new_watch (GTK_APPLICATION (self), dir0, dir1);
  if (self->width > 0)
    gtk_window_set_default_size (GTK_WINDOW (compare), self->width, self->height);
  if (self->presenter)
    lab_compare_window_set_presenter (compare, TRUE);
  lab_compare_window_show_network (compare, g_strcmp0 (self->page, "network") == 0);
  gtk_window_present (GTK_WINDOW (compare));
}

int
lab_application_get_exit_status (LabApplication *self)
{
  g_return_val_if_fail (LAB_IS_APPLICATION (self), 1);
  return self->exit_status;
}

static void
lab_application_activate (GApplication *application)
{
  LabApplication *self = LAB_APPLICATION (application);
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (self->compare && window == NULL)
    {
      open_compare (self, NULL, 0);
      return;
    }
  if (self->watch && window == NULL)
    {
      open_watch (self, NULL, 0);
      return;
    }

  if (window != NULL)
    {
      gtk_window_present (window);
      return;
    }
  start (self, new_window (self));
}

static void
lab_application_open (GApplication  *application,
                      GFile        **files,
                      int            n_files,
                      const char    *hint)
{
  LabApplication *self = LAB_APPLICATION (application);
  LabWindow *window;

  if (self->compare)
    {
      open_compare (self, files, n_files);
      return;
    }
  if (self->watch)
    {
      open_watch (self, files, n_files);
      return;
    }
  window = new_window (self);
  for (int i = 0; i < n_files; i++)
    {
      g_autoptr(GError) error = NULL;
      const char *path = g_file_peek_path (files[i]);
      if (!lab_window_open_file (window, files[i], &error))
        lab_window_show_error (window, error->message);
      /* a saved run reopens paused, where it was, to be looked at first */
      else if (path != NULL && g_str_has_suffix (path, ".gradlab"))
        self->paused = TRUE;
    }
  start (self, window);
}

static void
lab_application_startup (GApplication *application)
{
  LabApplication *self = LAB_APPLICATION (application);

  G_APPLICATION_CLASS (lab_application_parent_class)->startup (application);

  /* train.threads = 0 leaves a core to this (UI) thread: OpenBLAS split across both cores of a
   * 2-core machine trained at a third of its headless speed beside the window (bench/window) */
  lab_blas_reserve_cores (1);

  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions,
                                   G_N_ELEMENTS (app_actions), self);
  for (guint i = 0; i < G_N_ELEMENTS (app_accels); i++)
    gtk_application_set_accels_for_action (GTK_APPLICATION (self), app_accels[i].action,
                                           app_accels[i].accels);

  self->css = gtk_css_provider_new ();
  gtk_css_provider_load_from_resource (self->css, "/io/github/gradlab/GradientLab/style.css");
  gtk_style_context_add_provider_for_display (gdk_display_get_default (),
                                              GTK_STYLE_PROVIDER (self->css),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  gtk_window_set_default_icon_name (APP_ID);

  follow_color_scheme (self);

  self->sigint_source = g_unix_signal_add (SIGINT, on_unix_signal, self);
  self->sigterm_source = g_unix_signal_add (SIGTERM, on_unix_signal, self);
}

static void
lab_application_shutdown (GApplication *application)
{
  LabApplication *self = LAB_APPLICATION (application);
  GList *windows;

  g_clear_handle_id (&self->sigint_source, g_source_remove);
  g_clear_handle_id (&self->sigterm_source, g_source_remove);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->portal != NULL)
    g_signal_handlers_disconnect_by_func (self->portal, on_portal_signal, NULL);
  g_clear_object (&self->portal);

  /* Destroying a window stops and joins its engine thread. */
  while ((windows = gtk_application_get_windows (GTK_APPLICATION (self))) != NULL)
    gtk_window_destroy (GTK_WINDOW (windows->data));

  if (self->css != NULL)
    {
      gtk_style_context_remove_provider_for_display (gdk_display_get_default (),
                                                     GTK_STYLE_PROVIDER (self->css));
      g_clear_object (&self->css);
    }

  G_APPLICATION_CLASS (lab_application_parent_class)->shutdown (application);
}

static void
lab_application_finalize (GObject *object)
{
  LabApplication *self = LAB_APPLICATION (object);

  lab_config_clear (&self->cfg);
  g_free (self->page);
  g_clear_pointer (&self->lesson, lab_lesson_free);
  g_strfreev (self->sets);
  g_free (self->sweep);

  G_OBJECT_CLASS (lab_application_parent_class)->finalize (object);
}

static void
lab_application_class_init (LabApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->finalize = lab_application_finalize;
  app_class->handle_local_options = lab_application_handle_local_options;
  app_class->startup = lab_application_startup;
  app_class->shutdown = lab_application_shutdown;
  app_class->activate = lab_application_activate;
  app_class->open = lab_application_open;
}

static void
lab_application_init (LabApplication *self)
{
  lab_config_init_defaults (&self->cfg);
  g_application_add_main_option_entries (G_APPLICATION (self), option_entries);
  g_application_set_option_context_parameter_string (G_APPLICATION (self), _("[FILE…]"));
  g_application_set_option_context_summary (G_APPLICATION (self),
                                            _("Train a neural network live and watch its "
                                              "gradients. FILE is settings (.ini), a saved run "
                                              "(.gradlab), a CSV file, an IDX data folder, or a "
                                              "run directory to watch."));
}

LabApplication *
lab_application_new (void)
{
  return g_object_new (LAB_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_HANDLES_OPEN | G_APPLICATION_NON_UNIQUE,
                       NULL);
}
