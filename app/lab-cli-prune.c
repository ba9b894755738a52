/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-cli-prune.c: the pruning commands of gradlab-cli, `sweep` (accuracy versus sparsity, as
 * CSV) and `lottery` (iterative magnitude pruning with rewinding). The experiments themselves
 * are the engine's (lab-experiment.h); this file parses their options, prints what they report
 * as they go, writes the sweep's CSV and maps their errors to exit statuses.
 */
#define G_LOG_DOMAIN "gradlab-cli"
#include "config.h"

#include <glib/gi18n.h>
#include <inttypes.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "lab-config.h"
#include "lab-error.h"
#include "lab-experiment.h"
#include "lab-mlp.h"
#include "lab-cli-private.h"

/* ------------------------------------------------------------------------------------------ */
/* shared                                                                                     */

static void
note (gboolean    quiet,
      const char *fmt,
      ...) G_GNUC_PRINTF (2, 3);

static void
note (gboolean    quiet,
      const char *fmt,
      ...)
{
  va_list ap;

  if (quiet)
    return;
  va_start (ap, fmt);
  vfprintf (stderr, fmt, ap);
  va_end (ap);
  fputc ('\n', stderr);
}

/* "0.5/0.5/0.25" */
static char *
layer_sparsities (LabTrainer *tr)
{
  const LabMlp *mlp = lab_trainer_get_mlp (tr);
  GString *s = g_string_new (NULL);

  for (guint l = 0; l < mlp->n_layers; l++)
    g_string_append_printf (s, "%s%.3f", l ? "/" : "", lab_mlp_layer_sparsity (mlp, l));
  return g_string_free (s, FALSE);
}

static LabTrainer *
new_trainer (const CliRunOptions *o,
             const LabConfig     *cfg)
{
  g_autoptr(GError) error = NULL;
  LabTrainer *tr = lab_trainer_new (cfg, NULL, &error);

  if (tr == NULL)
    _lab_cli_die (EXIT_BAD_INPUT, "%s", error->message);
  if (o->load_weights && !lab_trainer_load_weights (tr, o->load_weights, &error))
    _lab_cli_die (EXIT_BAD_INPUT, "%s", error->message);
  signal (SIGINT, _lab_cli_on_signal);
  signal (SIGTERM, _lab_cli_on_signal);
  return tr;
}

/* An experiment that failed: interrupted or diverged runs exit 1, a pruning it could not do 2. */
static void G_GNUC_NORETURN
die_experiment (LabTrainer   *tr,
                const GError *error)
{
  if (g_error_matches (error, LAB_ENGINE_ERROR, LAB_ENGINE_ERROR_CANCELLED))
    _lab_cli_die (EXIT_RUN_FAILED, _("interrupted at step %" PRIu64), lab_trainer_get_step (tr));
  _lab_cli_die (g_error_matches (error, LAB_ENGINE_ERROR, LAB_ENGINE_ERROR_DIVERGED)
                ? EXIT_RUN_FAILED : EXIT_BAD_INPUT, "%s", error->message);
}

/* What the experiments' hooks print to. */
typedef struct
{
  gboolean              quiet;
  LabSweepWriter       *csv;       /* sweep */
  const LabLotterySpec *lottery;
} Output;

static void
on_dense (LabTrainer    *tr,
          const LabEval *dense,
          gpointer       data)
{
  const Output *out = data;

  /* Translators: the trained network before any pruning */
  note (out->quiet, _("dense: test accuracy %.4f, loss %.4f"), dense->accuracy, dense->loss);
}

/* ------------------------------------------------------------------------------------------ */
/* sweep                                                                                      */

typedef struct
{
  char *criteria;
  char *sparsities;
  char *scope;
  char *structure;
  char *out;
  int   finetune;
} SweepArgs;

static GArray *
parse_list (GArray     *(*parse) (const char *, GError **),
            const char   *option,
            const char   *arg)
{
  g_autoptr(GError) error = NULL;
  GArray *list = parse (arg, &error);

  if (list == NULL)
    _lab_cli_die (EXIT_BAD_INPUT, "%s: %s", option, error->message);
  return list;
}

static void
sweep_parse (CliRunOptions *o,
             SweepArgs     *a,
             int           *argc,
             char        ***argv)
{
  /* Translators: the values after the colons (magnitude, layer, global, weight, neuron…) are
   * typed as they are: do not translate them */
  GOptionEntry entries[] = {
    { "criteria", 0, 0, G_OPTION_ARG_STRING, &a->criteria,
      N_("Comma-separated criteria: magnitude, gradient, saliency, random (default: magnitude)"),
      N_("LIST") },
    { "sparsities", 0, 0, G_OPTION_ARG_STRING, &a->sparsities,
      N_("Comma-separated target sparsities in [0, 1) (default: 0,0.5,0.8,0.9)"), N_("LIST") },
    { "scope", 0, 0, G_OPTION_ARG_STRING, &a->scope,
      N_("layer or global (default: prune.scope, layer)"), N_("SCOPE") },
    { "structure", 0, 0, G_OPTION_ARG_STRING, &a->structure,
      N_("weight or neuron (default: prune.structure, weight)"), N_("STRUCTURE") },
    { "finetune-epochs", 0, 0, G_OPTION_ARG_INT, &a->finetune,
      N_("Epochs of fine-tuning after each pruning, with the lr schedule run again over them "
         "(default: 0)"), N_("K") },
    { "out", 'o', 0, G_OPTION_ARG_FILENAME, &a->out,
      N_("The CSV to write (required)"), N_("FILE.csv") },
    { NULL },
  };
  g_autofree GOptionEntry *run_entries = _lab_cli_run_entries (o);

  /* Translators: the CSV's column names (criterion,scope,…) are written as they are */
  _lab_cli_parse ("sweep", _("- accuracy versus sparsity"),
                  _("Trains a network once (or loads it), then for each criterion and sparsity "
                    "prunes a copy, optionally fine-tunes it, and evaluates it on the test "
                    "split.\nWrites criterion,scope,sparsity,finetune_epochs,test_accuracy,"
                    "test_loss,achieved_sparsity."), run_entries, entries, argc, argv);
  if (a->out == NULL)
    _lab_cli_die (EXIT_BAD_INPUT, _("sweep needs --out FILE.csv"));
  if (a->finetune < 0)
    _lab_cli_die (EXIT_BAD_INPUT, _("--finetune-epochs %d: must be 0 or more"), a->finetune);
}

static void
on_sweep_point (LabTrainer        *tr,
                const LabSweepRow *row,
                gpointer           data)
{
  Output *out = data;
  g_autofree char *layers = layer_sparsities (tr);

  lab_sweep_writer_append (out->csv, row);
  /* Translators: a pruned copy: its criterion and target sparsity, the sparsity it reached
   * overall and per layer (numbers separated by '/'), its test accuracy and loss */
  note (out->quiet, _("%s %.6g: sparsity %.6g (layers %s), test accuracy %.4f, loss %.4f"),
        row->criterion, row->sparsity, row->achieved_sparsity, layers, row->test_accuracy,
        row->test_loss);
}

int
_lab_cli_sweep (int    argc,
                char **argv)
{
  CliRunOptions o = { .epochs = -1, .steps = -1, .seed = -1, .threads = -1 };
  SweepArgs a = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(LabTrainer) tr = NULL;
  g_autoptr(GArray) crits = NULL, sps = NULL;
  g_autoptr(GArray) points = g_array_new (FALSE, FALSE, sizeof (LabSweepRow));
  Output out;
  LabExperimentHooks hooks = { &_lab_cli_interrupted, NULL, on_dense, on_sweep_point };
  LabSweepSpec spec = { 0 };
  LabConfig cfg;
  LabEval dense;
  gint64 t_start = g_get_monotonic_time ();

  sweep_parse (&o, &a, &argc, &argv);
  _lab_cli_build_config (&o, &cfg);
  lab_experiment_prepare_config (&cfg);
  spec.prune = cfg.prune.spec;
  spec.prune.threshold_mode = LAB_PRUNE_THRESHOLD_NONE;
  if (a.scope && !lab_prune_scope_from_string (a.scope, &spec.prune.scope))
    _lab_cli_die (EXIT_BAD_INPUT, _("--scope '%s': must be layer or global"), a.scope);
  if (a.structure && !lab_prune_structure_from_string (a.structure, &spec.prune.structure))
    _lab_cli_die (EXIT_BAD_INPUT, _("--structure '%s': must be weight or neuron"), a.structure);
  crits = parse_list (lab_experiment_parse_criteria, "--criteria",
                      a.criteria ? a.criteria : "magnitude");
  sps = parse_list (lab_experiment_parse_sparsities, "--sparsities",
                    a.sparsities ? a.sparsities : "0,0.5,0.8,0.9");
  spec.criteria = (LabPruneCriterion *) crits->data;
  spec.n_criteria = crits->len;
  spec.sparsities = (double *) sps->data;
  spec.n_sparsities = sps->len;
  spec.finetune_epochs = (guint) a.finetune;

  tr = new_trainer (&o, &cfg);
  spec.train = o.load_weights == NULL;
  if (spec.train)
    note (o.quiet, ngettext ("training %" PRIu64 " step …", "training %" PRIu64 " steps …",
                             lab_trainer_total_steps (tr)), lab_trainer_total_steps (tr));
  out = (Output) { o.quiet, lab_sweep_writer_new (a.out, &error), NULL };
  if (out.csv == NULL)
    _lab_cli_die (EXIT_BAD_INPUT, "%s", error->message);
  hooks.user_data = &out;
  if (!lab_sweep_run (tr, &spec, &hooks, &dense, points, &error))
    {
      lab_sweep_writer_abort (out.csv);
      die_experiment (tr, error);
    }
  if (!lab_sweep_writer_commit (out.csv, &error))
    _lab_cli_die (EXIT_RUN_FAILED, "%s", error->message);
  /* Translators: the CSV written, its rows, and the seconds the sweep took */
  note (o.quiet, ngettext ("wrote %s (%u row) in %.1f s", "wrote %s (%u rows) in %.1f s",
                           points->len),
        a.out, points->len, (double) (g_get_monotonic_time () - t_start) / G_USEC_PER_SEC);

  g_free (a.criteria);
  g_free (a.sparsities);
  g_free (a.scope);
  g_free (a.structure);
  g_free (a.out);
  lab_config_clear (&cfg);
  _lab_cli_run_options_clear (&o);
  return EXIT_SUCCESS;
}

/* ------------------------------------------------------------------------------------------ */
/* lottery                                                                                    */

typedef struct
{
  int    rounds;
  double rate;
  char  *rewind;
  char  *scope;
  char  *control;
} LotteryArgs;

static void
lottery_parse (CliRunOptions *o,
               LotteryArgs   *a,
               int           *argc,
               char        ***argv)
{
  /* Translators: init, step:K, layer, global and reinit are typed as they are */
  GOptionEntry entries[] = {
    { "rounds", 0, 0, G_OPTION_ARG_INT, &a->rounds,
      N_("Pruning rounds (default: 5)"), N_("N") },
    { "rate", 0, 0, G_OPTION_ARG_DOUBLE, &a->rate,
      N_("Fraction of the remaining weights pruned per round (default: 0.2)"), N_("P") },
    { "rewind", 0, 0, G_OPTION_ARG_STRING, &a->rewind,
      N_("Where survivors go back to: init or step:K (default: init)"), N_("POINT") },
    { "scope", 0, 0, G_OPTION_ARG_STRING, &a->scope,
      N_("layer or global magnitude pruning (default: global)"), N_("SCOPE") },
    { "control", 0, 0, G_OPTION_ARG_STRING, &a->control,
      N_("reinit: also train each mask on fresh random weights (default: none)"), N_("KIND") },
    { NULL },
  };
  g_autofree GOptionEntry *run_entries = _lab_cli_run_entries (o);

  /* Translators: round=R sparsity=S test_accuracy=A [control_accuracy=C] is the line printed
   * as it is (only R, S, A and C vary) */
  _lab_cli_parse ("lottery", _("- the lottery-ticket experiment"),
                  _("Iterative magnitude pruning with rewinding: prints round=R sparsity=S "
                    "test_accuracy=A [control_accuracy=C] per round and a JSON summary as the "
                    "last line."), run_entries, entries, argc, argv);
  if (a->rounds < 1 || a->rounds > 100)
    _lab_cli_die (EXIT_BAD_INPUT, _("--rounds %d: must be 1 to 100"), a->rounds);
  if (!(a->rate > 0.0 && a->rate < 1.0))
    _lab_cli_die (EXIT_BAD_INPUT, _("--rate %g: must be in (0, 1), the fraction pruned per round"),
                  a->rate);
  if (a->control && g_strcmp0 (a->control, "reinit") != 0)
    _lab_cli_die (EXIT_BAD_INPUT, _("--control '%s': the only control is reinit"), a->control);
}

/* The lottery's spec from its arguments and the run's settings (prune.rewind is parsed as the
 * settings parse it). */
static void
lottery_spec (const LotteryArgs *a,
              LabConfig         *cfg,
              LabLotterySpec    *spec)
{
  g_autoptr(GError) error = NULL;

  if (!lab_config_set (cfg, "prune.rewind", a->rewind ? a->rewind : "init", &error))
    _lab_cli_die (EXIT_BAD_INPUT, "--rewind: %s", error->message);
  if (cfg->prune.rewind == LAB_REWIND_NONE)
    _lab_cli_die (EXIT_BAD_INPUT, _("--rewind none: the lottery rewinds; use init or step:K"));
  *spec = (LabLotterySpec) {
    .rounds = (guint) a->rounds,
    .rate = a->rate,
    .rewind = cfg->prune.rewind,
    .rewind_step = cfg->prune.rewind == LAB_REWIND_STEP ? cfg->prune.rewind_step : 0,
    .scope = LAB_PRUNE_SCOPE_GLOBAL,
    .control = a->control != NULL,
  };
  if (a->scope && !lab_prune_scope_from_string (a->scope, &spec->scope))
    _lab_cli_die (EXIT_BAD_INPUT, _("--scope '%s': must be layer or global"), a->scope);
}

static void
on_lottery_round (LabTrainer            *tr,
                  const LabLotteryRound *round,
                  gpointer               data)
{
  const Output *out = data;
  g_autofree char *line = lab_lottery_format_round (round, out->lottery->control);
  g_autofree char *layers = layer_sparsities (tr);

  puts (line);
  fflush (stdout);
  note (out->quiet, _("round %u: sparsity %.6g (layers %s)"), round->round, round->sparsity,
        layers);
}

int
_lab_cli_lottery (int    argc,
                  char **argv)
{
  CliRunOptions o = { .epochs = -1, .steps = -1, .seed = -1, .threads = -1 };
  LotteryArgs a = { .rounds = 5, .rate = 0.2 };
  g_autoptr(GError) error = NULL;
  g_autoptr(LabTrainer) tr = NULL;
  g_autoptr(GArray) rounds = g_array_new (FALSE, FALSE, sizeof (LabLotteryRound));
  g_autofree char *summary = NULL;
  LabExperimentHooks hooks = { &_lab_cli_interrupted, NULL, on_dense, NULL, on_lottery_round };
  LabLotterySpec spec;
  Output out;
  LabConfig cfg;
  LabEval dense;

  lottery_parse (&o, &a, &argc, &argv);
  _lab_cli_build_config (&o, &cfg);
  lab_experiment_prepare_config (&cfg);
  lottery_spec (&a, &cfg, &spec);

  tr = new_trainer (&o, &cfg);
  if (spec.rewind_step > lab_trainer_total_steps (tr))
    _lab_cli_die (EXIT_BAD_INPUT, ngettext ("--rewind step:%" PRIu64 ": the run has only %" PRIu64
                                            " step",
                                            "--rewind step:%" PRIu64 ": the run has only %" PRIu64
                                            " steps", lab_trainer_total_steps (tr)),
                  spec.rewind_step, lab_trainer_total_steps (tr));
  note (o.quiet, ngettext ("training the dense network, %" PRIu64 " step …",
                           "training the dense network, %" PRIu64 " steps …",
                           lab_trainer_total_steps (tr)), lab_trainer_total_steps (tr));
  out = (Output) { o.quiet, NULL, &spec };
  hooks.user_data = &out;
  if (!lab_lottery_run (tr, &spec, &hooks, &dense, rounds, &error))
    die_experiment (tr, error);
  summary = lab_lottery_format_summary (&spec, &dense, (LabLotteryRound *) rounds->data,
                                        rounds->len);
  puts (summary);

  g_free (a.rewind);
  g_free (a.scope);
  g_free (a.control);
  lab_config_clear (&cfg);
  _lab_cli_run_options_clear (&o);
  return EXIT_SUCCESS;
}
