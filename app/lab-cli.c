/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-cli.c: gradlab-cli, the headless front end that tests, benchmarks and scripts drive.
 * It links only the engine. Exit status: 0 success, 1 the run failed (diverged, could not save),
 * 2 bad usage or bad input; every failure is one line on stderr.
 */
#define G_LOG_DOMAIN "gradlab-cli"
#include "config.h"

#include <locale.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <unistd.h>

#include "lab-config.h"
#include "lab-error.h"
#include "lab-metrics.h"
#include "lab-mlp.h"
#include "lab-trainer.h"
#include "lab-cli-private.h"

volatile sig_atomic_t _lab_cli_interrupted = 0;

void
_lab_cli_on_signal (int sig)
{
  _lab_cli_interrupted = 1;
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
  GOptionEntry entries[] = {
    { "preset", 'p', 0, G_OPTION_ARG_STRING, &o->preset,
      "Start from a shipped preset (see `gradlab-cli presets`)", "NAME" },
    { "config", 'c', 0, G_OPTION_ARG_FILENAME, &o->config,
      "Start from an .ini settings file (applied after --preset)", "FILE" },
    { "set", 's', 0, G_OPTION_ARG_STRING_ARRAY, &o->sets,
      "Override one setting, e.g. --set train.lr=0.01 (repeatable, applied last)",
      "SECTION.KEY=VALUE" },
    { "epochs", 'e', 0, G_OPTION_ARG_INT, &o->epochs,
      "Epochs to train (default: train.epochs, 10)", "N" },
    { "steps", 0, 0, G_OPTION_ARG_INT64, &o->steps,
      "Stop after N steps (default: train.steps, 0 = by epochs)", "N" },
    { "seed", 0, 0, G_OPTION_ARG_INT64, &o->seed,
      "Random seed for init, data order and 2-D data (default: train.seed, 1)", "N" },
    { "threads", 't', 0, G_OPTION_ARG_INT, &o->threads,
      "OpenBLAS threads (default: train.threads, 0 = all cores)", "N" },
    { "metrics", 'm', 0, G_OPTION_ARG_FILENAME, &o->metrics,
      "Write one row per step to FILE.csv or FILE.jsonl (default: none)", "FILE" },
    { "save-weights", 0, 0, G_OPTION_ARG_FILENAME, &o->save_weights,
      "Save W1.npy, b1.npy, … (and mask1.npy … if pruned) into DIR (default: none)", "DIR" },
    { "load-weights", 0, 0, G_OPTION_ARG_FILENAME, &o->load_weights,
      "Start from the weights in DIR instead of a fresh initialisation (default: none)", "DIR" },
    { "quiet", 'q', 0, G_OPTION_ARG_NONE, &o->quiet,
      "No progress on stderr", NULL },
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
                 LabTrainer         *tr,
                 const LabStepStats *st,
                 double              samples_per_sec,
                 gboolean            force)
{
  gint64 now = g_get_monotonic_time ();
  guint64 total = lab_trainer_total_steps (tr);
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
    fprintf (stderr, "\r[%s] %5.1f%% epoch %u step %" G_GUINT64_FORMAT "/%" G_GUINT64_FORMAT
             "  loss %.4f  acc %.3f  %.0f samples/s ", bar, 100 * frac, st->epoch, st->step, total,
             st->loss, st->accuracy, samples_per_sec);
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
            guint               which)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  g_string_append_printf (s, ",\"%s\":[", key);
  for (guint l = 0; st && l < st->n_layers; l++)
    {
      double v = lab_layer_stats_get (&st->layer[l], which);
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

/* ------------------------------------------------------------------------------------------ */
/* train */

static int
cmd_train (int    argc,
           char **argv)
{
  CliRunOptions o = { .epochs = -1, .steps = -1, .seed = -1, .threads = -1 };
  g_autoptr(GOptionContext) ctx = g_option_context_new ("- train a network");
  g_autofree GOptionEntry *entries = _lab_cli_run_entries (&o);
  g_autoptr(GError) error = NULL;
  g_autoptr(LabTrainer) tr = NULL;
  LabMetricsWriter *mw = NULL;
  LabConfig cfg;
  LabStepStats st, first = { 0 }, last = { 0 };
  Progress prog = { 0 };
  double train_time = 0, epoch_loss = 0, epoch_acc = 0;
  gsize epoch_n = 0;
  guint cur_epoch = 1;
  gboolean failed = FALSE;
  char *run_error = NULL;
  LabEval test_ev;

  g_option_context_add_main_entries (ctx, entries, NULL);
  g_option_context_set_summary (ctx, "Trains a multilayer perceptron headless and prints a JSON "
                                     "summary as the last line of stdout.");
  if (!g_option_context_parse (ctx, &argc, &argv, &error))
    _lab_cli_die (EXIT_BAD_INPUT, "%s (see gradlab-cli train --help)", error->message);
  if (argc > 1)
    _lab_cli_die (EXIT_BAD_INPUT, "unexpected argument '%s' (see gradlab-cli train --help)", argv[1]);

  _lab_cli_build_config (&o, &cfg);
  prog.tty = isatty (STDERR_FILENO);
  prog.quiet = o.quiet;

  tr = lab_trainer_new (&cfg, NULL, &error);
  if (tr == NULL)
    _lab_cli_die (EXIT_BAD_INPUT, "%s", error->message);
  if (o.load_weights && !lab_trainer_load_weights (tr, o.load_weights, &error))
    _lab_cli_die (EXIT_BAD_INPUT, "%s", error->message);

  {
    LabMlp *mlp = lab_trainer_get_mlp (tr);
    LabDataset *data = lab_trainer_get_dataset (tr);
    g_autoptr(GString) arch = g_string_new (NULL);
    for (guint l = 0; l <= mlp->n_layers; l++)
      g_string_append_printf (arch, "%s%zu", l ? "-" : "", mlp->sizes[l]);
    progress_line (&prog, "%s: %zu train / %zu test samples; network %s (%zu parameters); "
                   "%" G_GUINT64_FORMAT " steps", data->name, data->train.n, data->test.n,
                   arch->str, mlp->n_params, lab_trainer_total_steps (tr));
  }

  if (o.metrics)
    {
      mw = lab_metrics_writer_new (o.metrics, lab_trainer_get_mlp (tr)->n_layers, &error);
      if (mw == NULL)
        _lab_cli_die (EXIT_BAD_INPUT, "%s", error->message);
    }

  signal (SIGINT, _lab_cli_on_signal);
  signal (SIGTERM, _lab_cli_on_signal);

  while (!lab_trainer_finished (tr) && !_lab_cli_interrupted)
    {
      gint64 t = g_get_monotonic_time ();
      double tl = NAN, ta = NAN;
      gboolean ok = lab_trainer_step (tr, &st, &error);

      train_time += (double) (g_get_monotonic_time () - t) / G_USEC_PER_SEC;
      if (!ok)
        {
          run_error = g_strdup (error->message);
          g_clear_error (&error);
          failed = TRUE;
          break;
        }
      if (st.step == 1)
        first = st;
      last = st;

      if (st.epoch != cur_epoch)
        {
          cur_epoch = st.epoch;
          epoch_loss = epoch_acc = 0;
          epoch_n = 0;
        }
      epoch_loss += st.loss;
      epoch_acc += st.accuracy;
      epoch_n++;

      /* evaluate at epoch ends and every eval_every steps */
      {
        gboolean epoch_end = st.step % lab_trainer_steps_per_epoch (tr) == 0;
        gboolean periodic = cfg.train.eval_every && st.step % cfg.train.eval_every == 0;
        if (epoch_end || periodic || lab_trainer_finished (tr))
          {
            LabEval ev = lab_trainer_evaluate (tr, TRUE);
            tl = ev.loss;
            ta = ev.accuracy;
            if (epoch_end)
              progress_line (&prog, "epoch %u: train loss %.4f acc %.4f, test loss %.4f acc %.4f, "
                             "%.0f samples/s", st.epoch, epoch_loss / epoch_n,
                             epoch_acc / epoch_n, tl, ta,
                             lab_trainer_samples_seen (tr) / MAX (train_time, 1e-9));
          }
      }
      if (mw && !lab_metrics_writer_append (mw, &st, tl, ta, &error))
        {
          lab_metrics_writer_abort (mw);
          _lab_cli_die (EXIT_RUN_FAILED, "%s", error->message);
        }
      progress_update (&prog, tr, &st, lab_trainer_samples_seen (tr) / MAX (train_time, 1e-9),
                       FALSE);
    }
  if (prog.tty && !prog.quiet)
    fputs ("\r\033[K", stderr);

  if (mw && !lab_metrics_writer_close (mw, &error))
    _lab_cli_die (EXIT_RUN_FAILED, "%s", error->message);
  if (o.save_weights && !failed && !lab_trainer_save_weights (tr, o.save_weights, &error))
    _lab_cli_die (EXIT_RUN_FAILED, "%s", error->message);

  test_ev = failed ? (LabEval) { NAN, NAN, 0 } : lab_trainer_evaluate (tr, TRUE);

  {
    LabMlp *mlp = lab_trainer_get_mlp (tr);
    g_autoptr(GString) s = g_string_new ("{\"status\":");
    g_string_append (s, failed ? "\"diverged\"" : _lab_cli_interrupted ? "\"interrupted\"" : "\"ok\"");
    json_num (s, "train_loss", epoch_n ? epoch_loss / epoch_n : NAN);
    json_num (s, "train_accuracy", epoch_n ? epoch_acc / epoch_n : NAN);
    json_num (s, "test_loss", test_ev.loss);
    json_num (s, "test_accuracy", test_ev.accuracy);
    g_string_append_printf (s, ",\"steps\":%" G_GUINT64_FORMAT ",\"epochs\":%u",
                            lab_trainer_get_step (tr), last.epoch);
    json_num (s, "samples_per_sec", lab_trainer_samples_seen (tr) / MAX (train_time, 1e-9));
    json_num (s, "train_seconds", train_time);
    g_string_append_printf (s, ",\"params\":%zu", mlp->n_params);
    json_array (s, "grad_norm_first", first.step ? &first : NULL, 0);
    json_array (s, "grad_norm_last", last.step ? &last : NULL, 0);
    json_array (s, "delta_norm_first", first.step ? &first : NULL, 2);
    json_array (s, "delta_norm_last", last.step ? &last : NULL, 2);
    {
      LabStepStats sp = last;
      sp.n_layers = mlp->n_layers;
      for (guint l = 0; l < mlp->n_layers; l++)
        sp.layer[l].sparsity = (float) lab_mlp_layer_sparsity (mlp, l);
      json_array (s, "sparsity", &sp, 5);
    }
    json_num (s, "total_sparsity", lab_mlp_total_sparsity (mlp));
    if (run_error)
      {
        g_autofree char *esc = g_strescape (run_error, NULL);
        g_string_append_printf (s, ",\"error\":\"%s\"", esc);
      }
    g_string_append_c (s, '}');
    puts (s->str);
  }

  lab_config_clear (&cfg);
  _lab_cli_run_options_clear (&o);
  if (failed)
    {
      fprintf (stderr, "gradlab-cli: %s\n", run_error);
      g_free (run_error);
      return EXIT_RUN_FAILED;
    }
  if (_lab_cli_interrupted)
    {
      fprintf (stderr, "gradlab-cli: interrupted at step %" G_GUINT64_FORMAT "\n",
               lab_trainer_get_step (tr));
      return EXIT_RUN_FAILED;
    }
  return EXIT_SUCCESS;
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

  fprintf (fp,
           "Usage: gradlab-cli COMMAND [OPTIONS]\n"
           "\n"
           "Gradient Lab's headless engine: train multilayer perceptrons on real data and\n"
           "measure how gradients flow through them.\n"
           "\n"
           "Commands:\n"
           "  train      Train a network; prints a JSON summary as the last line of stdout\n"
           "  sweep      Prune copies of one trained network by several criteria and\n"
           "             sparsities; writes the accuracy-versus-sparsity curve as CSV\n"
           "  lottery    Iterative magnitude pruning with rewinding (the lottery ticket)\n"
           "  presets    List the shipped presets\n"
           "  help       Show this help (also --help)\n"
           "\n"
           "Run `gradlab-cli COMMAND --help` for the options of a command.\n"
           "\n"
           "Exit status: 0 success, 1 the run failed (e.g. diverged), 2 bad usage or input.\n"
           "\n"
           "Every setting, with its default (override with --set section.key=value):\n"
           "\n%s", defaults);
}

int
main (int    argc,
      char **argv)
{
  const char *cmd;

  setlocale (LC_ALL, "");
  /* numbers in files and on stdout always use '.', whatever the locale */
  setlocale (LC_NUMERIC, "C");

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
  if (g_str_equal (cmd, "help") || g_str_equal (cmd, "--help") || g_str_equal (cmd, "-h"))
    {
      usage (stdout);
      return EXIT_SUCCESS;
    }
  fprintf (stderr, "gradlab-cli: unknown command '%s' (try gradlab-cli --help)\n", cmd);
  return EXIT_BAD_INPUT;
}
