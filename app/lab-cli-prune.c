/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-cli-prune.c: the pruning commands of gradlab-cli. `sweep` trains (or loads) one network,
 * then prunes copies of it by each criterion to each sparsity, optionally fine-tunes, and writes
 * the accuracy-versus-sparsity curve as CSV. `lottery` is iterative magnitude pruning with
 * rewinding (Frankle & Carbin 2019): train, prune a fraction of what remains, rewind the
 * survivors to their initial (or step-K) values, retrain on the same data order, repeat; with
 * `--control reinit` each ticket is compared with the same mask on fresh random weights.
 * Every case starts from an in-memory copy of the trainer's state, so cases differ only in
 * what they are meant to compare.
 */
#define G_LOG_DOMAIN "gradlab-cli"
#include "config.h"

#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "lab-file-replace.h"
#include "lab-config.h"
#include "lab-error.h"
#include "lab-mlp.h"
#include "lab-rng.h"
#include "lab-trainer.h"
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

static char *
fmt_num (double v)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  if (!isfinite (v))
    return g_strdup ("nan");
  return g_strdup (g_ascii_formatd (buf, sizeof buf, "%.6g", v));
}

/* "0.5/0.5/0.25" */
static char *
layer_sparsities (const LabMlp *mlp)
{
  GString *s = g_string_new (NULL);

  for (guint l = 0; l < mlp->n_layers; l++)
    g_string_append_printf (s, "%s%.3f", l ? "/" : "", lab_mlp_layer_sparsity (mlp, l));
  return g_string_free (s, FALSE);
}

/* Runs @n_steps steps (or until the configured end when @n_steps is 0); exits 1 with the
 * engine's message on divergence or interruption. */
static void
train_steps (LabTrainer *tr,
             guint64     n_steps)
{
  g_autoptr(GError) error = NULL;
  LabStepStats st;

  for (guint64 i = 0; n_steps ? i < n_steps : !lab_trainer_finished (tr); i++)
    {
      if (_lab_cli_interrupted)
        _lab_cli_die (EXIT_RUN_FAILED, "interrupted at step %" G_GUINT64_FORMAT,
                      lab_trainer_get_step (tr));
      if (!lab_trainer_step (tr, &st, &error))
        _lab_cli_die (EXIT_RUN_FAILED, "%s", error->message);
    }
}

/* The sweep and the lottery do their own pruning: the [prune] schedule stays off. */
static void
schedule_off (LabConfig *cfg)
{
  cfg->prune.enabled = FALSE;
  cfg->prune.schedule = LAB_PRUNE_SCHEDULE_NONE;
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

/* ------------------------------------------------------------------------------------------ */
/* sweep                                                                                      */

int
_lab_cli_sweep (int    argc,
                char **argv)
{
  CliRunOptions o = { .epochs = -1, .steps = -1, .seed = -1, .threads = -1 };
  g_autofree char *criteria_arg = NULL, *sparsities_arg = NULL, *scope_arg = NULL;
  g_autofree char *structure_arg = NULL, *out = NULL;
  int finetune = 0;
  GOptionEntry sweep_entries[] = {
    { "criteria", 0, 0, G_OPTION_ARG_STRING, &criteria_arg,
      "Comma-separated criteria: magnitude, gradient, saliency, random (default: magnitude)",
      "LIST" },
    { "sparsities", 0, 0, G_OPTION_ARG_STRING, &sparsities_arg,
      "Comma-separated target sparsities in [0, 1) (default: 0,0.5,0.8,0.9)", "LIST" },
    { "scope", 0, 0, G_OPTION_ARG_STRING, &scope_arg,
      "layer or global (default: prune.scope, layer)", "SCOPE" },
    { "structure", 0, 0, G_OPTION_ARG_STRING, &structure_arg,
      "weight or neuron (default: prune.structure, weight)", "STRUCTURE" },
    { "finetune-epochs", 0, 0, G_OPTION_ARG_INT, &finetune,
      "Epochs of fine-tuning after each pruning, with the lr schedule run again over them "
      "(default: 0)", "K" },
    { "out", 'o', 0, G_OPTION_ARG_FILENAME, &out,
      "The CSV to write (required)", "FILE.csv" },
    { NULL },
  };
  g_autoptr(GOptionContext) ctx = g_option_context_new ("- accuracy versus sparsity");
  g_autofree GOptionEntry *entries = _lab_cli_run_entries (&o);
  g_autoptr(GError) error = NULL;
  g_autoptr(LabTrainer) tr = NULL;
  g_autoptr(LabTrainerState) trained = NULL;
  g_auto(GStrv) crit_names = NULL;
  g_auto(GStrv) sp_names = NULL;
  g_autoptr(GArray) crits = g_array_new (FALSE, FALSE, sizeof (LabPruneCriterion));
  g_autoptr(GArray) sps = g_array_new (FALSE, FALSE, sizeof (double));
  LabFileReplace *csv;
  LabConfig cfg;
  LabPruneSpec base;
  LabEval dense;
  gint64 t_start = g_get_monotonic_time ();
  FILE *fp;

  g_option_context_add_main_entries (ctx, entries, NULL);
  g_option_context_add_main_entries (ctx, sweep_entries, NULL);
  g_option_context_set_summary (ctx, "Trains a network once (or loads it), then for each "
                                     "criterion and sparsity prunes a copy, optionally "
                                     "fine-tunes it, and evaluates it on the test split.\n"
                                     "Writes criterion,scope,sparsity,finetune_epochs,"
                                     "test_accuracy,test_loss,achieved_sparsity.");
  if (!g_option_context_parse (ctx, &argc, &argv, &error))
    _lab_cli_die (EXIT_BAD_INPUT, "%s (see gradlab-cli sweep --help)", error->message);
  if (argc > 1)
    _lab_cli_die (EXIT_BAD_INPUT, "unexpected argument '%s' (see gradlab-cli sweep --help)",
                  argv[1]);
  if (out == NULL)
    _lab_cli_die (EXIT_BAD_INPUT, "sweep needs --out FILE.csv");
  if (finetune < 0)
    _lab_cli_die (EXIT_BAD_INPUT, "--finetune-epochs %d: must be 0 or more", finetune);

  _lab_cli_build_config (&o, &cfg);
  schedule_off (&cfg);
  base = cfg.prune.spec;
  base.threshold_mode = LAB_PRUNE_THRESHOLD_NONE;
  if (scope_arg && !lab_prune_scope_from_string (scope_arg, &base.scope))
    _lab_cli_die (EXIT_BAD_INPUT, "--scope '%s': must be layer or global", scope_arg);
  if (structure_arg && !lab_prune_structure_from_string (structure_arg, &base.structure))
    _lab_cli_die (EXIT_BAD_INPUT, "--structure '%s': must be weight or neuron", structure_arg);

  crit_names = g_strsplit (criteria_arg ? criteria_arg : "magnitude", ",", -1);
  for (guint i = 0; crit_names[i]; i++)
    {
      LabPruneCriterion c;
      if (!lab_prune_criterion_from_string (g_strstrip (crit_names[i]), &c))
        _lab_cli_die (EXIT_BAD_INPUT, "--criteria: unknown criterion '%s': use magnitude, "
                      "gradient, saliency or random", crit_names[i]);
      g_array_append_val (crits, c);
    }
  sp_names = g_strsplit (sparsities_arg ? sparsities_arg : "0,0.5,0.8,0.9", ",", -1);
  for (guint i = 0; sp_names[i]; i++)
    {
      char *end = NULL;
      const char *s = g_strstrip (sp_names[i]);
      double v = g_ascii_strtod (s, &end);
      if (*s == '\0' || end == NULL || *end != '\0' || !(v >= 0.0 && v < 1.0))
        _lab_cli_die (EXIT_BAD_INPUT, "--sparsities: '%s' is not a sparsity in [0, 1)", s);
      g_array_append_val (sps, v);
    }

  tr = new_trainer (&o, &cfg);
  if (o.load_weights == NULL)
    {
      note (o.quiet, "training %" G_GUINT64_FORMAT " steps …", lab_trainer_total_steps (tr));
      train_steps (tr, 0);
    }
  dense = lab_trainer_evaluate (tr, TRUE);
  note (o.quiet, "dense: test accuracy %.4f, loss %.4f", dense.accuracy, dense.loss);
  trained = lab_trainer_save_state (tr);

  if ((csv = lab_file_replace_new (out, &error)) == NULL)
    _lab_cli_die (EXIT_BAD_INPUT, "%s", error->message);
  fp = lab_file_replace_stream (csv);
  fputs ("criterion,scope,sparsity,finetune_epochs,test_accuracy,test_loss,achieved_sparsity\n",
         fp);

  for (guint c = 0; c < crits->len; c++)
    for (guint s = 0; s < sps->len; s++)
      {
        LabPruneSpec spec = base;
        LabPruneReport rep;
        LabEval ev;
        LabMlp *mlp;
        g_autofree char *a = NULL, *l = NULL, *sp = NULL, *ach = NULL, *layers = NULL;

        spec.criterion = g_array_index (crits, LabPruneCriterion, c);
        spec.target = g_array_index (sps, double, s);
        lab_trainer_restore_state (tr, trained);
        if (!lab_trainer_prune_now (tr, &spec, &rep, &error))
          {
            lab_file_replace_abort (csv);
            _lab_cli_die (EXIT_BAD_INPUT, "%s at sparsity %g: %s",
                          lab_prune_criterion_to_string (spec.criterion), spec.target,
                          error->message);
          }
        if (finetune > 0)
          {
            guint64 n = (guint64) finetune * lab_trainer_steps_per_epoch (tr);

            lab_trainer_restart_schedule (tr, n);
            train_steps (tr, n);
          }
        ev = lab_trainer_evaluate (tr, TRUE);
        mlp = lab_trainer_get_mlp (tr);
        a = fmt_num (ev.accuracy);
        l = fmt_num (ev.loss);
        sp = fmt_num (spec.target);
        ach = fmt_num (lab_mlp_total_sparsity (mlp));
        layers = layer_sparsities (mlp);
        fprintf (fp, "%s,%s,%s,%d,%s,%s,%s\n", lab_prune_criterion_to_string (spec.criterion),
                 lab_prune_scope_to_string (spec.scope), sp, finetune, a, l, ach);
        note (o.quiet, "%s %s: sparsity %s (layers %s), test accuracy %.4f, loss %.4f",
              lab_prune_criterion_to_string (spec.criterion), sp, ach, layers, ev.accuracy,
              ev.loss);
      }

  if (!lab_file_replace_commit (csv, &error))
    _lab_cli_die (EXIT_RUN_FAILED, "%s", error->message);
  note (o.quiet, "wrote %s (%u rows) in %.1f s", out, crits->len * sps->len,
        (double) (g_get_monotonic_time () - t_start) / G_USEC_PER_SEC);

  lab_config_clear (&cfg);
  _lab_cli_run_options_clear (&o);
  return EXIT_SUCCESS;
}

/* ------------------------------------------------------------------------------------------ */
/* lottery                                                                                    */

int
_lab_cli_lottery (int    argc,
                  char **argv)
{
  CliRunOptions o = { .epochs = -1, .steps = -1, .seed = -1, .threads = -1 };
  g_autofree char *rewind_arg = NULL, *control_arg = NULL, *scope_arg = NULL;
  int rounds = 5;
  double rate = 0.2;
  GOptionEntry lottery_entries[] = {
    { "rounds", 0, 0, G_OPTION_ARG_INT, &rounds,
      "Pruning rounds (default: 5)", "N" },
    { "rate", 0, 0, G_OPTION_ARG_DOUBLE, &rate,
      "Fraction of the remaining weights pruned per round (default: 0.2)", "P" },
    { "rewind", 0, 0, G_OPTION_ARG_STRING, &rewind_arg,
      "Where survivors go back to: init or step:K (default: init)", "POINT" },
    { "scope", 0, 0, G_OPTION_ARG_STRING, &scope_arg,
      "layer or global magnitude pruning (default: global)", "SCOPE" },
    { "control", 0, 0, G_OPTION_ARG_STRING, &control_arg,
      "reinit: also train each mask on fresh random weights (default: none)", "KIND" },
    { NULL },
  };
  g_autoptr(GOptionContext) ctx = g_option_context_new ("- the lottery-ticket experiment");
  g_autofree GOptionEntry *entries = _lab_cli_run_entries (&o);
  g_autoptr(GError) error = NULL;
  g_autoptr(LabTrainer) tr = NULL;
  g_autoptr(LabTrainerState) rewind_point = NULL;
  g_autoptr(GString) json = g_string_new (NULL);
  gboolean control = FALSE;
  LabConfig cfg;
  LabPruneSpec spec;
  LabEval dense;
  guint64 rewind_step = 0;
  g_autofree char *dense_acc = NULL;

  g_option_context_add_main_entries (ctx, entries, NULL);
  g_option_context_add_main_entries (ctx, lottery_entries, NULL);
  g_option_context_set_summary (ctx, "Iterative magnitude pruning with rewinding: prints "
                                     "round=R sparsity=S test_accuracy=A [control_accuracy=C] "
                                     "per round and a JSON summary as the last line.");
  if (!g_option_context_parse (ctx, &argc, &argv, &error))
    _lab_cli_die (EXIT_BAD_INPUT, "%s (see gradlab-cli lottery --help)", error->message);
  if (argc > 1)
    _lab_cli_die (EXIT_BAD_INPUT, "unexpected argument '%s' (see gradlab-cli lottery --help)",
                  argv[1]);
  if (rounds < 1 || rounds > 100)
    _lab_cli_die (EXIT_BAD_INPUT, "--rounds %d: must be 1 to 100", rounds);
  if (!(rate > 0.0 && rate < 1.0))
    _lab_cli_die (EXIT_BAD_INPUT, "--rate %g: must be in (0, 1), the fraction pruned per round",
                  rate);
  if (control_arg && g_strcmp0 (control_arg, "reinit") != 0)
    _lab_cli_die (EXIT_BAD_INPUT, "--control '%s': the only control is reinit", control_arg);
  control = control_arg != NULL;

  _lab_cli_build_config (&o, &cfg);
  schedule_off (&cfg);
  if (!lab_config_set (&cfg, "prune.rewind", rewind_arg ? rewind_arg : "init", &error))
    _lab_cli_die (EXIT_BAD_INPUT, "--rewind: %s", error->message);
  if (cfg.prune.rewind == LAB_REWIND_NONE)
    _lab_cli_die (EXIT_BAD_INPUT, "--rewind none: the lottery rewinds; use init or step:K");
  spec = cfg.prune.spec;
  spec.criterion = LAB_PRUNE_MAGNITUDE;
  spec.structure = LAB_PRUNE_WEIGHT;
  spec.threshold_mode = LAB_PRUNE_THRESHOLD_NONE;
  spec.scope = LAB_PRUNE_SCOPE_GLOBAL;
  if (scope_arg && !lab_prune_scope_from_string (scope_arg, &spec.scope))
    _lab_cli_die (EXIT_BAD_INPUT, "--scope '%s': must be layer or global", scope_arg);

  tr = new_trainer (&o, &cfg);
  if (cfg.prune.rewind == LAB_REWIND_STEP)
    {
      rewind_step = cfg.prune.rewind_step;
      if (rewind_step > lab_trainer_total_steps (tr))
        _lab_cli_die (EXIT_BAD_INPUT, "--rewind step:%" G_GUINT64_FORMAT ": the run has only %"
                      G_GUINT64_FORMAT " steps", rewind_step, lab_trainer_total_steps (tr));
    }

  /* dense training; the rewind point is the whole state (weights, data order, step), so every
   * ticket retrains from there exactly as the dense network trained */
  note (o.quiet, "training the dense network, %" G_GUINT64_FORMAT " steps …",
        lab_trainer_total_steps (tr));
  if (rewind_step > 0)
    train_steps (tr, rewind_step);
  rewind_point = lab_trainer_save_state (tr);
  train_steps (tr, 0);
  dense = lab_trainer_evaluate (tr, TRUE);
  dense_acc = fmt_num (dense.accuracy);
  note (o.quiet, "dense: test accuracy %.4f, loss %.4f", dense.accuracy, dense.loss);
  g_string_append_printf (json, "{\"status\":\"ok\",\"rewind\":\"%s\",\"dense_test_accuracy\":%s,"
                          "\"rounds\":[", rewind_arg ? rewind_arg : "init", dense_acc);

  for (int r = 1; r <= rounds; r++)
    {
      LabMlp *mlp;
      g_autofree float *mask = NULL;
      g_autofree char *s = NULL, *a = NULL, *ca = NULL;
      g_autoptr(LabTrainerState) ticket = NULL;
      LabEval ev, cev = { NAN, NAN, 0 };
      double sparsity;

      spec.target = lab_prune_iterative_target (rate, (guint) r);
      if (!lab_trainer_prune_now (tr, &spec, NULL, &error))
        _lab_cli_die (EXIT_BAD_INPUT, "round %d: %s", r, error->message);
      mlp = lab_trainer_get_mlp (tr);
      mask = g_memdup2 (mlp->mask, mlp->n_params * sizeof (float));

      /* rewind: the survivors (and the data order) back to the rewind point */
      lab_trainer_restore_state (tr, rewind_point);
      mlp = lab_trainer_get_mlp (tr);
      memcpy (lab_mlp_ensure_mask (mlp), mask, mlp->n_params * sizeof (float));
      lab_mlp_apply_mask (mlp);
      sparsity = lab_mlp_total_sparsity (mlp);
      if (control)
        ticket = lab_trainer_save_state (tr);

      train_steps (tr, 0);
      ev = lab_trainer_evaluate (tr, TRUE);

      if (control)
        {
          g_autoptr(LabTrainerState) trained = lab_trainer_save_state (tr);
          LabRng rng;

          /* the same mask and data order on fresh weights from another seed */
          lab_trainer_restore_state (tr, ticket);
          mlp = lab_trainer_get_mlp (tr);
          lab_rng_init (&rng, cfg.train.seed + 0x1000193ull * (guint64) r);
          lab_mlp_init_params (mlp, &rng);
          memcpy (lab_mlp_ensure_mask (mlp), mask, mlp->n_params * sizeof (float));
          lab_mlp_apply_mask (mlp);
          train_steps (tr, 0);
          cev = lab_trainer_evaluate (tr, TRUE);
          lab_trainer_restore_state (tr, trained);
        }

      s = fmt_num (sparsity);
      a = fmt_num (ev.accuracy);
      ca = fmt_num (cev.accuracy);
      if (control)
        printf ("round=%d sparsity=%s test_accuracy=%s control_accuracy=%s\n", r, s, a, ca);
      else
        printf ("round=%d sparsity=%s test_accuracy=%s\n", r, s, a);
      fflush (stdout);
      {
        g_autofree char *layers = layer_sparsities (lab_trainer_get_mlp (tr));
        note (o.quiet, "round %d: sparsity %s (layers %s)", r, s, layers);
      }
      g_string_append_printf (json, "%s{\"round\":%d,\"sparsity\":%s,\"test_accuracy\":%s",
                              r > 1 ? "," : "", r, s, isfinite (ev.accuracy) ? a : "null");
      if (control)
        g_string_append_printf (json, ",\"control_accuracy\":%s",
                                isfinite (cev.accuracy) ? ca : "null");
      g_string_append_c (json, '}');
    }
  g_string_append (json, "]}");
  puts (json->str);

  lab_config_clear (&cfg);
  _lab_cli_run_options_clear (&o);
  return EXIT_SUCCESS;
}
