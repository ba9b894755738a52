/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-session-commands.c: the public calls that steer a session from any thread. Each makes a
 * LabCommand, queues it under the session's lock and wakes the worker, which applies it between
 * steps (lab-session.c); the returned serial is acknowledged in a snapshot's status.
 */
#define G_LOG_DOMAIN "lab-engine"
#include "config.h"

#include <math.h>

#include "lab-session-private.h"

LabCommand *
_lab_command_new (CmdKind kind)
{
  LabCommand *cmd = g_new0 (LabCommand, 1);

  cmd->kind = kind;
  return cmd;
}

void
_lab_command_free (LabCommand *cmd)
{
  if (cmd->config)
    {
      lab_config_clear (cmd->config);
      g_free (cmd->config);
    }
  g_free (cmd->path);
  g_free (cmd->params);
  g_free (cmd->mask);
  g_free (cmd->criteria);
  g_free (cmd->sparsities);
  g_free (cmd);
}

static guint64
send (LabSession *session,
      LabCommand *cmd)
{
  guint64 serial;

  pthread_mutex_lock (&session->lock);
  serial = cmd->serial = ++session->next_serial;
  g_queue_push_tail (&session->commands, cmd);
  pthread_cond_signal (&session->cond);
  pthread_mutex_unlock (&session->lock);
  return serial;
}

guint64
lab_session_play (LabSession *session)
{
  return send (session, _lab_command_new (CMD_PLAY));
}

guint64
lab_session_pause (LabSession *session)
{
  return send (session, _lab_command_new (CMD_PAUSE));
}

guint64
lab_session_step (LabSession *session,
                  guint64     n)
{
  LabCommand *cmd = _lab_command_new (CMD_STEP);
  cmd->n_steps = n;
  return send (session, cmd);
}

guint64
lab_session_reset (LabSession *session,
                   gint64      seed)
{
  LabCommand *cmd = _lab_command_new (CMD_RESET);
  cmd->seed = seed;
  return send (session, cmd);
}

guint64
lab_session_set_config (LabSession      *session,
                        const LabConfig *cfg)
{
  LabCommand *cmd = _lab_command_new (CMD_SET_CONFIG);
  cmd->config = g_new0 (LabConfig, 1);
  lab_config_copy (cmd->config, cfg);
  return send (session, cmd);
}

guint64
lab_session_set_lr (LabSession *session,
                    double      lr)
{
  LabCommand *cmd = _lab_command_new (CMD_SET_LR);
  g_return_val_if_fail (lr > 0 && isfinite (lr), 0);
  cmd->lr = lr;
  return send (session, cmd);
}

guint64
lab_session_set_clip (LabSession  *session,
                      LabClipMode  mode,
                      double       value)
{
  LabCommand *cmd = _lab_command_new (CMD_SET_CLIP);
  cmd->clip_mode = mode;
  cmd->clip_value = value;
  return send (session, cmd);
}

guint64
lab_session_set_batch (LabSession *session,
                       guint       batch)
{
  LabCommand *cmd = _lab_command_new (CMD_SET_BATCH);
  cmd->batch = batch;
  return send (session, cmd);
}

guint64
lab_session_prune_now (LabSession         *session,
                       const LabPruneSpec *spec)
{
  LabCommand *cmd = _lab_command_new (CMD_PRUNE);
  cmd->prune = *spec;
  return send (session, cmd);
}

guint64
lab_session_set_heavy_parts (LabSession    *session,
                             LabHeavyParts  parts,
                             gssize         probe)
{
  LabCommand *cmd = _lab_command_new (CMD_SET_HEAVY_PARTS);
  cmd->heavy_parts = parts;
  cmd->probe = probe;
  return send (session, cmd);
}

guint64
lab_session_evaluate (LabSession *session)
{
  return send (session, _lab_command_new (CMD_EVALUATE));
}

guint64
lab_session_save_weights (LabSession *session,
                          const char *dir)
{
  LabCommand *cmd = _lab_command_new (CMD_SAVE_WEIGHTS);
  cmd->path = g_strdup (dir);
  return send (session, cmd);
}

guint64
lab_session_load_weights (LabSession *session,
                          const char *dir)
{
  LabCommand *cmd = _lab_command_new (CMD_LOAD_WEIGHTS);
  cmd->path = g_strdup (dir);
  return send (session, cmd);
}

guint64
lab_session_load_params (LabSession  *session,
                         const float *params,
                         const float *mask,
                         gsize        n_params,
                         guint64      step)
{
  LabCommand *cmd;

  g_return_val_if_fail (params != NULL, 0);
  g_return_val_if_fail (step <= G_MAXINT64, 0);

  cmd = _lab_command_new (CMD_LOAD_PARAMS);
  cmd->params = g_memdup2 (params, n_params * sizeof (float));
  cmd->mask = mask ? g_memdup2 (mask, n_params * sizeof (float)) : NULL;
  cmd->n_params = n_params;
  cmd->at_step = step;
  return send (session, cmd);
}

guint64
lab_session_quit (LabSession *session)
{
  return send (session, _lab_command_new (CMD_QUIT));
}

void
lab_session_set_heavy_interval (LabSession *session,
                                guint       msec)
{
  g_atomic_int_set (&session->heavy_interval_us, msec * 1000);
}

void
lab_session_set_heavy_every (LabSession *session,
                             guint       steps)
{
  g_atomic_int_set (&session->heavy_every, steps);
}

void
lab_session_set_max_rate (LabSession *session,
                          double      steps_per_sec)
{
  pthread_mutex_lock (&session->lock);
  session->max_rate = MAX (0.0, steps_per_sec);
  session->pace_restart = TRUE;
  pthread_cond_signal (&session->cond);
  pthread_mutex_unlock (&session->lock);
}

guint64
lab_session_run_sweep (LabSession         *session,
                       const LabSweepSpec *spec)
{
  LabCommand *cmd;

  g_return_val_if_fail (spec != NULL && spec->n_criteria > 0 && spec->n_sparsities > 0, 0);

  cmd = _lab_command_new (CMD_SWEEP);
  cmd->sweep = *spec;
  cmd->criteria = g_memdup2 (spec->criteria, spec->n_criteria * sizeof *spec->criteria);
  cmd->sparsities = g_memdup2 (spec->sparsities, spec->n_sparsities * sizeof (double));
  cmd->sweep.criteria = cmd->criteria;
  cmd->sweep.sparsities = cmd->sparsities;
  return send (session, cmd);
}

guint64
lab_session_run_lottery (LabSession           *session,
                         const LabLotterySpec *spec)
{
  LabCommand *cmd;

  g_return_val_if_fail (spec != NULL && spec->rounds > 0, 0);

  cmd = _lab_command_new (CMD_LOTTERY);
  cmd->lottery = *spec;
  return send (session, cmd);
}

void
lab_session_cancel_experiment (LabSession *session)
{
  g_atomic_int_set (&session->cancel_experiment, 1);
}
