/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-session-experiment.c: a sweep or a lottery run inside a session's engine thread, for the
 * window. The experiment itself is lab-experiment.c's, the code gradlab-cli runs; this file gives
 * it a trainer of its own (a copy of the run's settings and data, so the same seed and threads
 * give the CLI's numbers) and turns what it reports into snapshots: progress at most every
 * PROGRESS_PERIOD, each finished point or round at once with the heavy parts of the copy that
 * made it. The live run is left as it was (paused); Cancel (an atomic flag, read before every
 * training step) stops it within one step and keeps what was finished.
 */
#define G_LOG_DOMAIN "lab-engine"
#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>

#include "lab-error.h"
#include "lab-session-private.h"

#define PROGRESS_PERIOD (33 * 1000)   /* µs between progress snapshots */

typedef struct
{
  LabSession *session;
  LabDataset *data;   /* the copy's (owned by its trainer): the input image size for heavy parts */
} Run;

static void
post_status (LabSession *session,
             gint64      now)
{
  LabMailboxPost post = { .announce = TRUE };

  session->experiment_posted = now;
  _lab_session_post (session, &post, now);
}

static void
on_progress (const LabExperimentProgress *progress,
             gpointer                     data)
{
  Run *run = data;
  LabExperimentStatus *ex = &run->session->status.experiment;
  gint64 now = g_get_monotonic_time ();

  ex->progress = *progress;
  ex->elapsed = (double) (now - run->session->experiment_t0) / G_USEC_PER_SEC;
  /* by training steps done: the phases are steps of one network size, so this is fair */
  ex->remaining = progress->fraction > 0.01
                  ? ex->elapsed * (1.0 - progress->fraction) / progress->fraction : NAN;
  if (now - run->session->experiment_posted >= PROGRESS_PERIOD)
    post_status (run->session, now);
}

static void
on_dense (LabTrainer    *tr,
          const LabEval *dense,
          gpointer       data)
{
  Run *run = data;

  run->session->status.experiment.dense_accuracy = dense->accuracy;
  run->session->status.experiment.dense_loss = dense->loss;
  post_status (run->session, g_get_monotonic_time ());
}

/* The copy that made a point or round, for the heatmaps, named for what it is. */
static LabHeavy *
copy_heavy (Run        *run,
            LabTrainer *tr,
            const char *caption)
{
  LabHeavy *heavy = lab_heavy_new_from_mlp (lab_trainer_get_mlp (tr), run->data, 0,
                                            lab_trainer_get_step (tr));

  g_strlcpy (heavy->caption, caption, sizeof heavy->caption);
  return heavy;
}

static void
on_point (LabTrainer        *tr,
          const LabSweepRow *point,
          gpointer           data)
{
  Run *run = data;
  /* Translators: the caption of a sweep's pruned copy: its criterion (magnitude, gradient,
   * saliency or random, as written in settings) and the percentage pruned */
  g_autofree char *caption = g_strdup_printf (_("%s, %.0f %% (a pruned copy)"), point->criterion,
                                              100.0 * point->sparsity);
  LabMailboxPost post = { .sweep_point = point, .announce = TRUE };

  post.heavy = copy_heavy (run, tr, caption);
  run->session->experiment_posted = g_get_monotonic_time ();
  _lab_session_post (run->session, &post, run->session->experiment_posted);
}

static void
on_round (LabTrainer            *tr,
          const LabLotteryRound *round,
          gpointer               data)
{
  Run *run = data;
  /* Translators: the caption of the lottery ticket of a round, and the percentage pruned */
  g_autofree char *caption = g_strdup_printf (_("ticket of round %u, %.1f %% pruned"),
                                              round->round, 100.0 * round->sparsity);
  LabMailboxPost post = { .lottery_round = round, .announce = TRUE };

  post.heavy = copy_heavy (run, tr, caption);
  run->session->experiment_posted = g_get_monotonic_time ();
  _lab_session_post (run->session, &post, run->session->experiment_posted);
}

/* The experiment's own trainer: the run's settings with the [prune] schedule off, and a copy of
 * its data; for a sweep of the network as it is, the live weights and mask at the live step. */
static LabTrainer *
new_trainer (LabSession *session,
             LabCommand *cmd,
             GError    **error)
{
  LabTrainer *live = session->trainer;
  LabMlp *mlp = lab_trainer_get_mlp (live);
  LabConfig cfg;
  LabTrainer *tr;

  lab_config_copy (&cfg, &session->cfg);
  lab_experiment_prepare_config (&cfg);
  tr = lab_trainer_new (&cfg, lab_dataset_copy (lab_trainer_get_dataset (live)), error);
  lab_config_clear (&cfg);
  if (tr != NULL && cmd->kind == CMD_SWEEP && !cmd->sweep.train &&
      !lab_trainer_load_params (tr, mlp->params, mlp->mask, mlp->n_params,
                                lab_trainer_get_step (live), error))
    g_clear_pointer (&tr, lab_trainer_free);
  return tr;
}

void
_lab_session_run_experiment (LabSession *session,
                             LabCommand *cmd)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) points = g_array_new (FALSE, FALSE, sizeof (LabSweepRow));
  g_autoptr(GArray) rounds = g_array_new (FALSE, FALSE, sizeof (LabLotteryRound));
  LabExperimentStatus *ex = &session->status.experiment;
  LabExperimentHooks hooks = {
    &session->cancel_experiment, on_progress, on_dense, on_point, on_round, NULL,
  };
  LabTrainer *tr;
  LabEval dense;
  Run run = { session, NULL };
  gboolean ok;

  if (session->status.state == LAB_SESSION_FAILED)
    {
      g_set_error (&error, LAB_ENGINE_ERROR, LAB_ENGINE_ERROR_INVALID,
                   _("this run has failed: reset it before running an experiment on it"));
      _lab_session_command_error (session, error, cmd->serial);
      return;
    }
  if (session->status.state == LAB_SESSION_RUNNING)
    session->status.state = LAB_SESSION_PAUSED;
  session->steps_pending = 0;
  g_atomic_int_set (&session->cancel_experiment, 0);

  tr = new_trainer (session, cmd, &error);
  if (tr == NULL)
    {
      _lab_session_command_error (session, error, cmd->serial);
      return;
    }
  run.data = lab_trainer_get_dataset (tr);
  hooks.user_data = &run;
  *ex = (LabExperimentStatus) {
    .kind = cmd->kind == CMD_SWEEP ? LAB_EXPERIMENT_SWEEP : LAB_EXPERIMENT_LOTTERY,
    .serial = cmd->serial,
    .running = TRUE,
    .remaining = NAN,
    .dense_accuracy = NAN,
    .dense_loss = NAN,
  };
  session->experiment_t0 = g_get_monotonic_time ();
  post_status (session, session->experiment_t0);

  if (cmd->kind == CMD_SWEEP)
    ok = lab_sweep_run (tr, &cmd->sweep, &hooks, &dense, points, &error);
  else
    ok = lab_lottery_run (tr, &cmd->lottery, &hooks, &dense, rounds, &error);

  ex->running = FALSE;
  ex->elapsed = (double) (g_get_monotonic_time () - session->experiment_t0) / G_USEC_PER_SEC;
  ex->remaining = 0;
  if (!ok && g_error_matches (error, LAB_ENGINE_ERROR, LAB_ENGINE_ERROR_CANCELLED))
    ex->cancelled = TRUE;
  else if (!ok)
    {
      ex->failed = TRUE;
      _lab_session_command_error (session, error, cmd->serial);
    }
  lab_trainer_free (tr);
}
