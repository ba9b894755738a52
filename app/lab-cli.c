/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-cli.c: gradlab-cli, the headless front end that tests, benchmarks and scripts drive.
 * It links only the engine. Exit status: 0 success, 1 the run failed (diverged, could not save),
 * 2 bad usage or bad input; every failure is one line on stderr.
 */
#define G_LOG_DOMAIN "gradlab-cli"
#include "config.h"

#include <glib/gi18n.h>
#include <inttypes.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <unistd.h>

#include "lab-blas-core.h"
#include "lab-config.h"
#include "lab-error.h"
#include "lab-i18n.h"
#include "lab-metrics.h"
#include "lab-mlp.h"
#include "lab-ops.h"
#include "lab-run-writer.h"
#include "lab-session.h"
#include "lab-trainer.h"
#include "lab-cli-private.h"

gint _lab_cli_interrupted = 0;

void
_lab_cli_on_signal (int sig)
{
  /* a lock-free atomic store: safe in a signal handler */
  g_atomic_int_set (&_lab_cli_interrupted, 1);
}

void
_lab_cli_run_options_clear (CliRunOptions *o)
{
  g_free (o->preset);
  g_free (o->config);
  g_strfreev (o->sets);
  g_free (o->metrics);
  g_free (o->save_weights);
  g_free (o->load_weights);
}

GOptionEntry *
_lab_cli_run_entries (CliRunOptions *o)
{
  /* Translators: in the options of gradlab-cli, the words in capitals (NAME, FILE, DIR, N,
   * SECTION.KEY=VALUE) are placeholders the user replaces and may be translated, as long as the
   * same word is used in the description; option names, file names and setting names
   * (train.epochs) stay as they are. */
  GOptionEntry entries[] = {
    { "preset", 'p', 0, G_OPTION_ARG_STRING, &o->preset,
      N_("Start from a shipped preset (see `gradlab-cli presets`)"), N_("NAME") },
    { "config", 'c', 0, G_OPTION_ARG_FILENAME, &o->config,
      N_("Start from an .ini settings file (applied after --preset)"), N_("FILE") },
    { "set", 's', 0, G_OPTION_ARG_STRING_ARRAY, &o->sets,
      N_("Override one setting, e.g. --set train.lr=0.01 (repeatable, applied last)"),
      N_("SECTION.KEY=VALUE") },
    { "epochs", 'e', 0, G_OPTION_ARG_INT, &o->epochs,
      N_("Epochs to train (default: train.epochs, 10)"), N_("N") },
    { "steps", 0, 0, G_OPTION_ARG_INT64, &o->steps,
      N_("Stop after N steps (default: train.steps, 0 = by epochs)"), N_("N") },
    { "seed", 0, 0, G_OPTION_ARG_INT64, &o->seed,
      N_("Random seed for init, data order and 2-D data (default: train.seed, 1)"), N_("N") },
    { "threads", 't', 0, G_OPTION_ARG_INT, &o->threads,
      N_("OpenBLAS threads (default: train.threads, 0 = all cores once the net is big enough)"),
      N_("N") },
    { "metrics", 'm', 0, G_OPTION_ARG_FILENAME, &o->metrics,
      N_("Write one row per step to FILE.csv or FILE.jsonl (default: none)"), N_("FILE") },
    { "save-weights", 0, 0, G_OPTION_ARG_FILENAME, &o->save_weights,
      N_("Save W1.npy, b1.npy, … (and mask1.npy … if pruned) into DIR (default: none)"),
      N_("DIR") },
    { "load-weights", 0, 0, G_OPTION_ARG_FILENAME, &o->load_weights,
      N_("Start from the weights in DIR instead of a fresh initialisation (default: none)"),
      N_("DIR") },
    { "quiet", 'q', 0, G_OPTION_ARG_NONE, &o->quiet,
      N_("No progress on stderr"), NULL },
    { NULL },
  };
  return g_memdup2 (entries, sizeof entries);
}

void
_lab_cli_die (int         status,
     const char *fmt,
     ...)
{
  va_list ap;
  va_start (ap, fmt);
  fputs ("gradlab-cli: ", stderr);
  vfprintf (stderr, fmt, ap);
  fputc ('\n', stderr);
  va_end (ap);
  exit (status);
}

/* Builds the config from preset, file, flags and --set, in that order. */
void
_lab_cli_parse (const char   *command,
                const char   *title,
                const char   *summary,
                GOptionEntry *run_entries,
                GOptionEntry *extra,
                int          *argc,
                char       ***argv)
{
  g_autoptr(GOptionContext) ctx = g_option_context_new (title);
  g_autoptr(GError) error = NULL;

  /* the entries' descriptions are N_() strings, translated as the help is printed */
  g_option_context_add_main_entries (ctx, run_entries, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (ctx, extra, GETTEXT_PACKAGE);
  g_option_context_set_summary (ctx, summary);
  if (!g_option_context_parse (ctx, argc, argv, &error))
    /* Translators: the first %s is what went wrong, the second a command (train, sweep…) */
    _lab_cli_die (EXIT_BAD_INPUT, _("%s (see gradlab-cli %s --help)"), error->message, command);
  if (*argc > 1)
    _lab_cli_die (EXIT_BAD_INPUT, _("unexpected argument '%s' (see gradlab-cli %s --help)"),
                  (*argv)[1], command);
}

void
_lab_cli_build_config (const CliRunOptions *o,
                  LabConfig           *cfg)
{
  g_autoptr(GError) error = NULL;

  lab_config_init_defaults (cfg);
  if (o->preset && !lab_config_load_preset (cfg, o->preset, &error))
    _lab_cli_die (EXIT_BAD_INPUT, "%s", error->message);
  if (o->config && !lab_config_load_file (cfg, o->config, &error))
    _lab_cli_die (EXIT_BAD_INPUT, "%s", error->message);
  if (o->epochs >= 0)
    {
      g_autofree char *v = g_strdup_printf ("%d", o->epochs);
      if (!lab_config_set (cfg, "train.epochs", v, &error))
        _lab_cli_die (EXIT_BAD_INPUT, "--epochs: %s", error->message);
    }
  if (o->steps >= 0)
    {
      g_autofree char *v = g_strdup_printf ("%" G_GINT64_FORMAT, o->steps);
      if (!lab_config_set (cfg, "train.steps", v, &error))
        _lab_cli_die (EXIT_BAD_INPUT, "--steps: %s", error->message);
    }
  if (o->seed >= 0)
    {
      g_autofree char *v = g_strdup_printf ("%" G_GINT64_FORMAT, o->seed);
      if (!lab_config_set (cfg, "train.seed", v, &error))
        _lab_cli_die (EXIT_BAD_INPUT, "--seed: %s", error->message);
    }
  if (o->threads >= 0)
    {
      g_autofree char *v = g_strdup_printf ("%d", o->threads);
      if (!lab_config_set (cfg, "train.threads", v, &error))
        _lab_cli_die (EXIT_BAD_INPUT, "--threads: %s", error->message);
    }
  for (guint i = 0; o->sets && o->sets[i]; i++)
    if (!lab_config_set_assignment (cfg, o->sets[i], &error))
      _lab_cli_die (EXIT_BAD_INPUT, "--set %s: %s", o->sets[i], error->message);
  if (!lab_config_validate (cfg, &error))
    _lab_cli_die (EXIT_BAD_INPUT, "%s", error->message);
}

/* ------------------------------------------------------------------------------------------ */
/* progress */

typedef struct
{
  gboolean tty;
  gboolean quiet;
  gint64   last;
  guint    width;
} Progress;

static void
progress_update (Progress           *p,
                 guint64             total,
                 const LabStepStats *st,
                 double              samples_per_sec,
                 gboolean            force)
{
  gint64 now = g_get_monotonic_time ();
  double frac = total ? (double) st->step / (double) total : 0;

  if (p->quiet || !p->tty)
    return;
  if (!force && now - p->last < 100 * 1000)
    return;
  p->last = now;

  {
    char bar[31];
    guint filled = (guint) (frac * 30);
    for (guint i = 0; i < 30; i++)
      bar[i] = i < filled ? '=' : (i == filled ? '>' : ' ');
    bar[30] = 0;
    fprintf (stderr, "\r[%s] ", bar);
    /* Translators: the progress line of gradlab-cli train, redrawn in place: percent done,
     * epoch, step/total steps, the batch's loss and accuracy ("acc"), speed */
    fprintf (stderr, _("%5.1f%% epoch %u step %" PRIu64 "/%" PRIu64 "  loss %.4f  acc %.3f  "
                       "%.0f samples/s "), 100 * frac, st->epoch, st->step, total, st->loss,
             st->accuracy, samples_per_sec);
  }
}

static void
progress_line (Progress   *p,
               const char *fmt,
               ...) G_GNUC_PRINTF (2, 3);

static void
progress_line (Progress   *p,
               const char *fmt,
               ...)
{
  va_list ap;

  if (p->quiet)
    return;
  if (p->tty)
    fputs ("\r\033[K", stderr);
  va_start (ap, fmt);
  vfprintf (stderr, fmt, ap);
  va_end (ap);
  fputc ('\n', stderr);
}

/* ------------------------------------------------------------------------------------------ */
/* summary */

static void
json_array (GString            *s,
            const char         *key,
            const LabStepStats *st,
            gsize               offset)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  g_string_append_printf (s, ",\"%s\":[", key);
  for (guint l = 0; st && l < st->n_layers; l++)
    {
      double v = G_STRUCT_MEMBER (float, &st->layer[l], offset);
      if (l)
        g_string_append_c (s, ',');
      g_string_append (s, isfinite (v) ? g_ascii_formatd (buf, sizeof buf, "%.6g", v) : "null");
    }
  g_string_append_c (s, ']');
}

static void
json_num (GString    *s,
          const char *key,
          double      v)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  g_string_append_printf (s, ",\"%s\":%s", key,
                          isfinite (v) ? g_ascii_formatd (buf, sizeof buf, "%.6g", v) : "null");
}

static void
json_str (GString    *s,
          const char *key,
          const char *v)
{
  g_autofree char *esc = v ? g_strescape (v, NULL) : NULL;

  if (esc)
    g_string_append_printf (s, ",\"%s\":\"%s\"", key, esc);
  else
    g_string_append_printf (s, ",\"%s\":null", key);
}

/* ------------------------------------------------------------------------------------------ */
/* train: a LabSession driven from a main loop, the same code path as the window */

typedef struct
{
  GMainLoop          *loop;
  LabSession         *session;
  LabMetricsWriter   *metrics;
  Progress            prog;
  guint               run_id;
  LabSessionState     state;
  char               *error;
  int                 error_code;
  guint64             error_serial;
  guint64             acked;
  guint64             wait_for;      /* serial the main loop waits to be acknowledged */
  gboolean            wait_end;      /* … or the end of the run */
  gboolean            have_info;
  char               *data_name;
  gsize               n_train, n_test;
  guint64             total_steps;
  guint64             steps_per_epoch;
  LabStepStats        first, last;
  LabStepStats        row;           /* the row being taken out of a snapshot */
  double              train_time;
  gsize               samples;
  double              epoch_loss, epoch_acc;
  gsize               epoch_n;
  guint               cur_epoch;
  double              test_loss, test_accuracy;
  GError             *write_error;
  LabHeavy           *heavy;        /* the latest weights (sparsity for the summary) */
  guint               n_classes;
  /* --run-dir */
  LabRunWriter       *rundir;
  guint64             log_every;
  guint64             heavy_every;
  guint64             heavy_written; /* step of the last heavy snapshot written */
  GError             *rundir_error; /* writing stopped here */
} TrainRun;

/* Options of `train` only. */
typedef struct
{
  char    *run_dir;
  int      log_every;
  int      heavy_every;
  gboolean replace;
} TrainOptions;

static void
train_on_row (TrainRun           *run,
              const LabStepStats *st)
{
  if (st->step == 1)
    run->first = *st;
  run->last = *st;
  run->train_time += st->step_time;
  run->samples += st->samples;

  if (st->epoch != run->cur_epoch)
    {
      run->cur_epoch = st->epoch;
      run->epoch_loss = run->epoch_acc = 0;
      run->epoch_n = 0;
    }
  run->epoch_loss += st->loss;
  run->epoch_acc += st->accuracy;
  run->epoch_n++;

  if (isfinite (st->test_loss))
    {
      run->test_loss = st->test_loss;
      run->test_accuracy = st->test_accuracy;
      if (run->steps_per_epoch && st->step % run->steps_per_epoch == 0)
        /* Translators: one line per epoch; "acc" is the accuracy */
        progress_line (&run->prog, _("epoch %u: train loss %.4f acc %.4f, test loss %.4f acc "
                                     "%.4f, %.0f samples/s"), st->epoch,
                       run->epoch_loss / run->epoch_n,
                       run->epoch_acc / run->epoch_n, st->test_loss, st->test_accuracy,
                       run->samples / MAX (run->train_time, 1e-9));
    }
  if (run->metrics && run->write_error == NULL)
    lab_metrics_writer_append (run->metrics, st, st->test_loss, st->test_accuracy,
                               &run->write_error);
  if (run->rundir && run->rundir_error == NULL && st->step % run->log_every == 0)
    lab_run_writer_append (run->rundir, st, &run->rundir_error);
}

/* A heavy snapshot into the run directory, if it is one of those asked for (@last: the end of
 * the run, whatever its step). A network whose shape changed (compaction) is noted once on
 * stderr and writes no more heavy snapshots; the rows go on. */
static void
train_write_heavy (TrainRun       *run,
                   const LabHeavy *heavy,
                   gboolean        last)
{
  g_autoptr(GError) error = NULL;

  if (run->rundir == NULL || run->rundir_error != NULL || run->heavy_every == 0 ||
      heavy->step == 0 || heavy->step <= run->heavy_written ||
      (!last && heavy->step % run->heavy_every != 0))
    return;
  if (lab_run_writer_heavy (run->rundir, heavy, &error))
    run->heavy_written = heavy->step;
  else if (g_error_matches (error, LAB_ENGINE_ERROR, LAB_ENGINE_ERROR_MISMATCH))
    {
      /* Translators: %s says why the network no longer fits the run directory */
      progress_line (&run->prog, _("gradlab-cli: %s; no more heavy snapshots"), error->message);
      run->heavy_every = 0;
    }
  else
    run->rundir_error = g_steal_pointer (&error);
}

static void
train_on_snapshot (LabSession *session,
                   gpointer    user_data)
{
  TrainRun *run = user_data;
  g_autoptr(LabSnapshot) snap = lab_session_take (session);

  if (snap == NULL)
    return;
  if (!run->have_info && snap->data_name)
    {
      run->have_info = TRUE;
      run->run_id = snap->run_id;
      run->data_name = g_strdup (snap->data_name);
      run->n_train = snap->n_train;
      run->n_test = snap->n_test;
      run->steps_per_epoch = (snap->n_train + snap->config.train.batch - 1) /
                             snap->config.train.batch;
      run->n_classes = snap->n_classes;
    }
  run->total_steps = snap->status.total_steps;
  for (gsize i = 0; i < lab_row_log_len (snap->rows); i++)
    {
      lab_row_log_get (snap->rows, i, &run->row);
      train_on_row (run, &run->row);
    }
  if (snap->heavy)
    {
      train_write_heavy (run, snap->heavy, FALSE);
      lab_heavy_free (run->heavy);
      run->heavy = g_steal_pointer (&snap->heavy);
    }
  if (run->last.step)
    progress_update (&run->prog, run->total_steps, &run->last,
                     run->samples / MAX (run->train_time, 1e-9), FALSE);

  run->state = snap->status.state;
  run->acked = snap->status.acked;
  g_free (run->error);
  run->error = g_strdup (lab_snapshot_error (snap));
  run->error_code = snap->status.error_code;
  run->error_serial = snap->status.error_serial;

  if ((run->wait_for && run->acked >= run->wait_for) ||
      (run->wait_end && (run->state == LAB_SESSION_FINISHED ||
                         run->state == LAB_SESSION_FAILED)) ||
      (run->state == LAB_SESSION_FAILED && run->error_serial == 0) ||
      g_atomic_int_get (&_lab_cli_interrupted))
    g_main_loop_quit (run->loop);
}

static gboolean
train_check_signal (gpointer user_data)
{
  TrainRun *run = user_data;
  if (g_atomic_int_get (&_lab_cli_interrupted))
    g_main_loop_quit (run->loop);
  return G_SOURCE_CONTINUE;
}

/* Sends a command and runs the loop until it is acknowledged; dies if it failed. */
static void
train_command (TrainRun   *run,
               guint64     serial,
               int         status)
{
  run->wait_for = serial;
  g_main_loop_run (run->loop);
  run->wait_for = 0;
  if (g_atomic_int_get (&_lab_cli_interrupted))
    return;
  if (run->state == LAB_SESSION_FAILED && run->error_serial == 0)
    _lab_cli_die (EXIT_BAD_INPUT, "%s", run->error);
  if (run->error_serial == serial)
    _lab_cli_die (status, "%s", run->error);
}

/* The run directory, described by the network's first heavy snapshot. */
static void
train_open_rundir (TrainRun           *run,
                   const TrainOptions *t)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LabRunManifest) m = NULL;
  g_autofree char *manifest = NULL;

  g_assert (run->heavy != NULL);
  m = lab_run_manifest_new_from_heavy (run->heavy, run->n_classes, run->log_every,
                                       run->heavy_every);
  run->rundir = lab_run_writer_new (t->run_dir, m, t->replace ? LAB_RUN_WRITER_REPLACE : 0,
                                    &error);
  if (run->rundir != NULL)
    return;
  manifest = g_build_filename (t->run_dir, "run.ini", NULL);
  if (!t->replace && g_file_test (manifest, G_FILE_TEST_EXISTS))
    _lab_cli_die (EXIT_BAD_INPUT, _("--run-dir: %s (add --replace-run-dir to replace it)"),
                  error->message);
  _lab_cli_die (EXIT_BAD_INPUT, "--run-dir: %s", error->message);
}

/* The run directory's last heavy snapshot and status: finished, or failed with the reason. */
static void
train_close_rundir (TrainRun *run,
                    gboolean  failed,
                    gboolean  interrupted)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *failure = NULL;

  if (run->rundir == NULL)
    return;
  if (run->heavy)
    train_write_heavy (run, run->heavy, TRUE);
  if (failed)
    failure = g_strdup (run->error);
  else if (interrupted)
    failure = g_strdup_printf (_("interrupted at step %" PRIu64), run->last.step);
  else if (run->rundir_error)
    failure = g_strdup (run->rundir_error->message);
  if (!lab_run_writer_finish (run->rundir, failure, &error) && run->rundir_error == NULL)
    run->rundir_error = g_steal_pointer (&error);
  if (run->rundir_error)
    _lab_cli_die (EXIT_RUN_FAILED, "%s", run->rundir_error->message);
}

/* The session started, its data loaded (and weights, if asked), the run trained to its end
 * or to an interruption, the metrics written as rows arrive. */
static void
train_run (TrainRun            *run,
           const CliRunOptions *o,
           const TrainOptions  *t,
           const LabConfig     *cfg)
{
  g_autoptr(GError) error = NULL;

  /* the session loads the data on its thread; the first snapshot says how that went */
  run->session = lab_session_new (cfg);
  lab_session_set_heavy_interval (run->session, G_MAXUINT / 1000);
  if (t->run_dir)
    lab_session_set_heavy_every (run->session, (guint) run->heavy_every);
  lab_session_set_consumer (run->session, NULL, train_on_snapshot, run);
  if (o->load_weights)
    train_command (run, lab_session_load_weights (run->session, o->load_weights), EXIT_BAD_INPUT);
  else
    train_command (run, lab_session_evaluate (run->session), EXIT_BAD_INPUT);
  if (g_atomic_int_get (&_lab_cli_interrupted))
    return;

  /* Translators: the data set's name, its training and test samples, and the steps to train */
  progress_line (&run->prog, ngettext ("%s: %zu train / %zu test samples; %" PRIu64 " step",
                                       "%s: %zu train / %zu test samples; %" PRIu64 " steps",
                                       run->total_steps),
                 run->data_name, run->n_train, run->n_test, run->total_steps);
  if (o->metrics)
    {
      run->metrics = lab_metrics_writer_new (o->metrics, cfg->model.n_hidden + 1, &error);
      if (run->metrics == NULL)
        _lab_cli_die (EXIT_BAD_INPUT, "%s", error->message);
    }
  if (t->run_dir)
    train_open_rundir (run, t);
  run->wait_end = TRUE;
  lab_session_play (run->session);
  g_main_loop_run (run->loop);
  run->wait_end = FALSE;
}

static void
train_close_metrics (TrainRun *run)
{
  g_autoptr(GError) error = NULL;

  if (run->metrics == NULL)
    return;
  if (run->write_error)
    {
      lab_metrics_writer_abort (run->metrics);
      _lab_cli_die (EXIT_RUN_FAILED, "%s", run->write_error->message);
    }
  if (!lab_metrics_writer_close (run->metrics, &error))
    _lab_cli_die (EXIT_RUN_FAILED, "%s", error->message);
}

/* The JSON summary, the last line of stdout. */
static char *
train_summary (const TrainRun *run,
               gboolean        failed,
               gboolean        interrupted)
{
  const LabStepStats *first = run->first.step ? &run->first : NULL;
  const LabStepStats *last = run->last.step ? &run->last : NULL;
  GString *s = g_string_new ("{\"status\":");

  g_string_append (s, failed ? "\"diverged\"" : interrupted ? "\"interrupted\"" : "\"ok\"");
  json_num (s, "train_loss", run->epoch_n ? run->epoch_loss / run->epoch_n : NAN);
  json_num (s, "train_accuracy", run->epoch_n ? run->epoch_acc / run->epoch_n : NAN);
  json_num (s, "test_loss", failed ? NAN : run->test_loss);
  json_num (s, "test_accuracy", failed ? NAN : run->test_accuracy);
  g_string_append_printf (s, ",\"steps\":%" G_GUINT64_FORMAT ",\"epochs\":%u",
                          run->last.step, run->last.epoch);
  json_num (s, "samples_per_sec", run->samples / MAX (run->train_time, 1e-9));
  json_num (s, "train_seconds", run->train_time);
  if (run->heavy)
    g_string_append_printf (s, ",\"params\":%zu", run->heavy->n_params);
  json_array (s, "grad_norm_first", first, G_STRUCT_OFFSET (LabLayerStats, grad_norm));
  json_array (s, "grad_norm_last", last, G_STRUCT_OFFSET (LabLayerStats, grad_norm));
  json_array (s, "delta_norm_first", first, G_STRUCT_OFFSET (LabLayerStats, delta_norm));
  json_array (s, "delta_norm_last", last, G_STRUCT_OFFSET (LabLayerStats, delta_norm));
  json_array (s, "sparsity", last, G_STRUCT_OFFSET (LabLayerStats, sparsity));
  json_num (s, "total_sparsity", last ? run->last.sparsity : 0.0);
  /* which kernels ran, and who chose them (lab-blas-core.h) */
  json_str (s, "blas_core", lab_blas_core_name ());
  g_string_append_printf (s, ",\"blas_threads\":%u", lab_blas_threads ());
  json_str (s, "blas_core_by", lab_blas_core_by_to_string (lab_blas_core_by ()));
  json_str (s, "blas_core_replaced", lab_blas_core_replaced ());
  if (run->error)
    json_str (s, "error", run->error);
  g_string_append_c (s, '}');
  return g_string_free (s, FALSE);
}

/* The run's error, or where an interrupt stopped it, on stderr. */
static void
train_say_why_stopped (const TrainRun *run,
                       gboolean        failed)
{
  if (failed)
    {
      fprintf (stderr, "gradlab-cli: %s\n", run->error);
      return;
    }
  fputs ("gradlab-cli: ", stderr);
  fprintf (stderr, _("interrupted at step %" PRIu64), run->last.step);
  fputc ('\n', stderr);
}

static int
cmd_train (int    argc,
           char **argv)
{
  CliRunOptions o = { .epochs = -1, .steps = -1, .seed = -1, .threads = -1 };
  TrainOptions t = { .log_every = 1, .heavy_every = 500 };
  GOptionEntry extra[] = {
    { "run-dir", 0, 0, G_OPTION_ARG_FILENAME, &t.run_dir,
      N_("Also write the run as a run directory that `gradlab --watch DIR` shows live "
         "(docs/run-directory.md; default: none)"), N_("DIR") },
    { "log-every", 0, 0, G_OPTION_ARG_INT, &t.log_every,
      N_("With --run-dir: a row every N steps (default: 1, every step)"), N_("N") },
    { "heavy-every", 0, 0, G_OPTION_ARG_INT, &t.heavy_every,
      N_("With --run-dir: weights, masks and histograms every N steps and at the end "
         "(default: 500; 0 = none)"), N_("N") },
    { "replace-run-dir", 0, 0, G_OPTION_ARG_NONE, &t.replace,
      N_("With --run-dir: replace a run directory already there (default: refuse)"), NULL },
    { NULL },
  };
  g_autofree GOptionEntry *entries = _lab_cli_run_entries (&o);
  g_autofree char *summary = NULL;
  TrainRun run = { 0 };
  LabConfig cfg;
  guint signal_poll;
  gboolean failed, interrupted;
  int status = EXIT_SUCCESS;

  /* Translators: the title of `gradlab-cli train --help`, after "gradlab-cli [OPTION…]" */
  _lab_cli_parse ("train", _("- train a network"), _("Trains a multilayer perceptron headless "
                  "and prints a JSON summary as the last line of stdout."), entries, extra, &argc,
                  &argv);
  if (t.log_every < 1 || t.heavy_every < 0)
    _lab_cli_die (EXIT_BAD_INPUT, _("--log-every must be at least 1 and --heavy-every at least 0"));
  _lab_cli_build_config (&o, &cfg);
  run.log_every = (guint64) t.log_every;
  run.heavy_every = (guint64) t.heavy_every;
  run.prog.tty = isatty (STDERR_FILENO);
  run.prog.quiet = o.quiet;
  run.test_loss = run.test_accuracy = NAN;
  run.loop = g_main_loop_new (NULL, FALSE);
  signal (SIGINT, _lab_cli_on_signal);
  signal (SIGTERM, _lab_cli_on_signal);
  signal_poll = g_timeout_add (100, train_check_signal, &run);

  train_run (&run, &o, &t, &cfg);
  if (run.prog.tty && !run.prog.quiet)
    fputs ("\r\033[K", stderr);
  failed = run.state == LAB_SESSION_FAILED;
  interrupted = g_atomic_int_get (&_lab_cli_interrupted);
  train_close_metrics (&run);
  train_close_rundir (&run, failed, interrupted);
  if (o.save_weights && !failed && !interrupted)
    train_command (&run, lab_session_save_weights (run.session, o.save_weights),
                   EXIT_RUN_FAILED);
  summary = train_summary (&run, failed, interrupted);
  puts (summary);
  fflush (stdout);

  if (failed || interrupted)
    {
      train_say_why_stopped (&run, failed);
      status = EXIT_RUN_FAILED;
    }

  g_source_remove (signal_poll);
  lab_session_free (run.session);
  g_main_loop_unref (run.loop);
  lab_heavy_free (run.heavy);
  lab_config_clear (&cfg);
  _lab_cli_run_options_clear (&o);
  g_free (run.data_name);
  g_free (run.error);
  lab_run_writer_free (run.rundir);
  g_clear_error (&run.rundir_error);
  g_free (t.run_dir);
  return status;
}

/* ------------------------------------------------------------------------------------------ */

static int
cmd_presets (int    argc,
             char **argv)
{
  g_auto(GStrv) names = lab_config_list_presets ();

  for (guint i = 0; names[i]; i++)
    {
      g_autofree char *summary = lab_config_preset_summary (names[i]);
      printf ("%-20s %s\n", names[i], summary ? summary : "");
    }
  return EXIT_SUCCESS;
}

static void
usage (FILE *fp)
{
  LabConfig cfg;
  g_autofree char *defaults = NULL;

  lab_config_init_defaults (&cfg);
  defaults = lab_config_to_data (&cfg, NULL);
  lab_config_clear (&cfg);

  /* Translators: the help of gradlab-cli, in three parts; keep the lines under 80 columns. The
   * command names (train, sweep, lottery, presets, version, help) and COMMAND in the usage line
   * are typed by the user: keep them, and keep the command column aligned. */
  fputs (_("Usage: gradlab-cli COMMAND [OPTIONS]\n"
           "\n"
           "Gradient Lab's headless engine: train multilayer perceptrons on real data and\n"
           "measure how gradients flow through them.\n"), fp);
  fputs (_("\n"
           "Commands:\n"
           "  train      Train a network; prints a JSON summary as the last line of stdout\n"
           "  sweep      Prune copies of one trained network by several criteria and\n"
           "             sparsities; writes the accuracy-versus-sparsity curve as CSV\n"
           "  lottery    Iterative magnitude pruning with rewinding (the lottery ticket)\n"
           "  presets    List the shipped presets\n"
           "  version    Show the version and the OpenBLAS kernels in use (also --version)\n"
           "  help       Show this help (also --help)\n"), fp);
  /* Translators: the settings file that follows is printed as it is (its names are not
   * translated) */
  fputs (_("\n"
           "Run `gradlab-cli COMMAND --help` for the options of a command.\n"
           "\n"
           "Exit status: 0 success, 1 the run failed (e.g. diverged), 2 bad usage or input.\n"
           "\n"
           "Every setting, with its default (override with --set section.key=value):\n"
           "\n"), fp);
  fputs (defaults, fp);
}

int
main (int    argc,
      char **argv)
{
  const char *cmd;

  lab_blas_core_init (argv);
  /* the user's locale, numbers included: messages and progress follow it, while the files and
   * the JSON on stdout are written with '.' whatever it is (tests/test-locale.c) */
  lab_i18n_init ();

  if (argc < 2)
    {
      usage (stderr);
      return EXIT_BAD_INPUT;
    }
  cmd = argv[1];
  if (g_str_equal (cmd, "train"))
    return cmd_train (argc - 1, argv + 1);
  if (g_str_equal (cmd, "sweep"))
    return _lab_cli_sweep (argc - 1, argv + 1);
  if (g_str_equal (cmd, "lottery"))
    return _lab_cli_lottery (argc - 1, argv + 1);
  if (g_str_equal (cmd, "presets"))
    return cmd_presets (argc - 1, argv + 1);
  if (g_str_equal (cmd, "--version") || g_str_equal (cmd, "version"))
    {
      g_autofree char *blas = lab_blas_core_describe ();
      printf ("gradlab-cli %s\nBLAS: %s\n", PACKAGE_VERSION, blas);
      return EXIT_SUCCESS;
    }
  if (g_str_equal (cmd, "help") || g_str_equal (cmd, "--help") || g_str_equal (cmd, "-h"))
    {
      usage (stdout);
      return EXIT_SUCCESS;
    }
  fprintf (stderr, _("gradlab-cli: unknown command '%s' (try gradlab-cli --help)\n"), cmd);
  return EXIT_BAD_INPUT;
}
