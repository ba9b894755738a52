/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-session.c: the engine thread.
 *
 * In:  a GQueue of LabCommand under `lock` + `cond`. The worker drains it between steps; it
 *      blocks on `cond` only while paused with nothing to do (or until a capped rate's next step
 *      is due).
 * Out: a LabMailbox (lab-mailbox.c). After every step the worker posts that step's row; heavy
 *      parts are rebuilt at most every heavy_interval and posted with it. While steps stream, a
 *      new snapshot is announced at most every WAKE_PERIOD (rows just gather until then): a
 *      consumer that took every snapshot at once cost one eventfd write per step, 2 % of a
 *      batch-64 step (perf), plus a wake-up of the consumer's thread. Commands, heavy parts,
 *      errors and coming to rest are announced at once.
 *
 * When to evaluate, how fast to step and the samples/s meter are lab-cadence.c's rules; what a
 * heavy snapshot holds is lab-snapshot.c's.
 */
#define G_LOG_DOMAIN "lab-engine"
#include "config.h"

#include <math.h>
#include <pthread.h>
#include <string.h>
#include <time.h>

#include "lab-cadence.h"
#include "lab-error.h"
#include "lab-mailbox.h"
#include "lab-session-private.h"
#include "lab-trainer.h"

#define GRID_N            64
#define GRID_LO           -1.5f
#define GRID_HI           1.5f
#define GRID_PERIOD       (100 * 1000)   /* µs between decision-grid refreshes (4096 forwards) */
#define WAKE_PERIOD       (8 * 1000)     /* µs between announcements of step rows alone */

/* ------------------------------------------------------------------------------------------ */
/* consumer */

static void
notify_consumer (gpointer data)
{
  LabSession *session = data;

  if (session->notify)
    session->notify (session, session->notify_data);
}

void
lab_session_set_consumer (LabSession       *session,
                          GMainContext     *context,
                          LabSessionNotify  notify,
                          gpointer          user_data)
{
  session->notify = notify;
  session->notify_data = user_data;
  lab_mailbox_set_consumer (session->mailbox, context, notify ? notify_consumer : NULL, session,
                            "LabSession snapshots");
}

LabSnapshot *
lab_session_take (LabSession *session)
{
  return lab_mailbox_take (session->mailbox);
}

/* ------------------------------------------------------------------------------------------ */
/* publishing (worker) */

/* The model's prediction over the plane, refreshed at most every GRID_PERIOD (4096 forward
 * passes), or at once when @force (reset, prune, pause). */
static void
refresh_grid (LabSession *session,
              LabMlp     *mlp,
              gint64      now,
              gboolean    force)
{
  gsize n = (gsize) GRID_N * GRID_N;

  if (session->grid_class != NULL && !force && now - session->last_grid < GRID_PERIOD)
    return;
  if (session->grid_xy == NULL)
    {
      session->grid_xy = g_new (float, 2 * n);
      for (gsize k = 0; k < n; k++)
        {
          gsize row = k / GRID_N, col = k % GRID_N;
          session->grid_xy[2 * k] = GRID_LO + (GRID_HI - GRID_LO) * (col + 0.5f) / GRID_N;
          session->grid_xy[2 * k + 1] = GRID_LO + (GRID_HI - GRID_LO) * (row + 0.5f) / GRID_N;
        }
    }
  if (session->grid_class == NULL)
    {
      session->grid_class = g_new (guint8, n);
      session->grid_conf = g_new (float, n);
    }
  if (session->unit_maps == NULL)
    session->unit_maps = lab_unit_maps_new ();
  lab_unit_maps_predict (session->unit_maps, mlp, session->grid_xy, GRID_N, session->grid_class,
                         session->grid_conf);
  session->last_grid = now;
}

static LabHeavy *
build_heavy (LabSession *session,
             gsize       last_batch,
             gint64      now,
             gboolean    force)
{
  LabMlp *mlp = lab_trainer_get_mlp (session->trainer);
  LabDataset *data = lab_trainer_get_dataset (session->trainer);
  LabHeavy *heavy;

  /* the histograms read the workspace's last batch: before the grid or the probe overwrite it */
  heavy = lab_heavy_new_from_mlp (mlp, data, last_batch, lab_trainer_get_step (session->trainer));
  lab_heavy_set_unit_delta (heavy, mlp, session->delta_step);
  if (session->heavy_parts & LAB_HEAVY_PART_WEIGHT_GRADS)
    lab_heavy_set_weight_grads (heavy, mlp);
  if (data->dim == 2)
    {
      refresh_grid (session, mlp, now, force);
      lab_heavy_set_grid (heavy, GRID_N, GRID_LO, GRID_HI, session->grid_class,
                          session->grid_conf);
      lab_heavy_set_unit_maps (heavy, session->unit_maps, GRID_LO, GRID_HI);
    }
  else if (session->probe >= 0)
    lab_heavy_set_probe (heavy, mlp, data->test.n > 0 ? &data->test : &data->train,
                         (gsize) session->probe);
  return heavy;
}

/* A new snapshot of the current run with its constant parts (settings, data description),
 * made outside the lock for the moment the consumer has taken the last one. */
static LabSnapshot *
prepare_snapshot (LabSession *session)
{
  LabSnapshot *snap = lab_snapshot_new ();
  LabDataset *data = session->trainer ? lab_trainer_get_dataset (session->trainer) : NULL;

  snap->run_id = session->run_id;
  lab_config_clear (&snap->config);
  lab_config_copy (&snap->config, &session->cfg);
  if (data)
    {
      snap->data_name = g_strdup (data->name);
      snap->n_train = data->train.n;
      snap->n_test = data->test.n;
      snap->n_classes = data->n_classes;
    }
  return snap;
}

/* The training points of a 2-D set (at most 4000), sent once per run. */
static LabSnapshot *
prepare_points (LabSession *session)
{
  LabDataset *data = lab_trainer_get_dataset (session->trainer);
  gsize n = MIN (data->train.n, (gsize) 4000);
  LabSnapshot *points;

  if (data->dim != 2 || data->train.x_f32 == NULL)
    return NULL;
  points = lab_snapshot_new ();
  points->n_points = n;
  points->points = g_memdup2 (data->train.x_f32, n * 2 * sizeof (float));
  points->point_labels = g_memdup2 (data->train.y, n);
  return points;
}

static double
thread_cpu_seconds (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* Whether heavy_interval has passed since the last heavy parts. */
static gboolean
heavy_due (LabSession *session)
{
  guint interval = g_atomic_int_get (&session->heavy_interval_us);

  return g_get_monotonic_time () - session->last_heavy >= (gint64) interval;
}

/* Posts @row (may be NULL) and the current status to the mailbox; heavy parts when @due (by
 * time: heavy_due(), told before a step so that the step can record what they carry) or
 * forced. Everything is built here, before the mailbox takes its lock. */
static void
publish (LabSession         *session,
         const LabStepStats *row,
         gsize               last_batch,
         gboolean            force_heavy,
         gboolean            due)
{
  gint64 now = g_get_monotonic_time ();
  LabMailboxPost post = { .row = row };

  if (session->trainer)
    {
      session->status.step = lab_trainer_get_step (session->trainer);
      session->status.epoch = lab_trainer_get_epoch (session->trainer);
      session->status.total_steps = lab_trainer_total_steps (session->trainer);
      if (force_heavy || due)
        {
          post.heavy = build_heavy (session, last_batch, now, force_heavy);
          session->last_heavy = now;
        }
      if (session->send_points)
        {
          post.points = prepare_points (session);
          session->send_points = FALSE;
        }
    }
  /* a row alone waits for WAKE_PERIOD; anything else is announced now */
  post.announce = row == NULL || force_heavy || post.heavy != NULL ||
                  now - session->last_wake >= WAKE_PERIOD;
  _lab_session_post (session, &post, now);
}

void
_lab_session_post (LabSession     *session,
                   LabMailboxPost *post,
                   gint64          now)
{
  if (post->announce)
    session->status.worker_cpu = thread_cpu_seconds ();
  if (session->spare == NULL || session->spare->run_id != session->run_id)
    {
      g_clear_pointer (&session->spare, lab_snapshot_unref);
      session->spare = prepare_snapshot (session);
    }

  post->run_id = session->run_id;
  post->status = &session->status;
  post->spare = g_steal_pointer (&session->spare);
  lab_mailbox_post (session->mailbox, post);
  session->spare = post->spare;   /* unused: kept for the next new snapshot */

  lab_heavy_free (post->heavy);   /* the one it replaced */
  g_clear_pointer (&post->points, lab_snapshot_unref);
  if (post->announced)
    session->last_wake = now;
}

/* ------------------------------------------------------------------------------------------ */
/* worker */

static void
set_failed (LabSession *session,
            int         code,
            const char *message)
{
  lab_run_status_set_error (&session->status, code, message, 0);
  session->status.state = LAB_SESSION_FAILED;
  session->steps_pending = 0;
}

void
_lab_session_command_error (LabSession   *session,
                            const GError *error,
                            guint64       serial)
{
  lab_run_status_set_error (&session->status, error->code, error->message, serial);
}

static gboolean
same_data (const LabConfig *a,
           const LabConfig *b)
{
  const LabDataConfig *x = &a->data, *y = &b->data;

  if (x->source != y->source || g_strcmp0 (x->path, y->path) != 0 ||
      x->train_limit != y->train_limit || x->test_limit != y->test_limit)
    return FALSE;
  if (lab_data_source_is_plane (x->source))
    return x->n_train == y->n_train && x->n_test == y->n_test && x->n_classes == y->n_classes &&
           x->noise == y->noise && a->train.seed == b->train.seed;
  if (x->source == LAB_DATA_CSV)
    return x->test_fraction == y->test_fraction && x->csv_header == y->csv_header &&
           x->csv_label_column == y->csv_label_column && a->train.seed == b->train.seed;
  return TRUE;
}

/* (Re)builds the trainer from session->cfg, reusing the loaded data when it is the same. A new
 * run: new run id, a fresh status (only the command acknowledgements carry over). */
static void
rebuild (LabSession      *session,
         const LabConfig *old_cfg)
{
  g_autoptr(GError) error = NULL;
  LabDataset *data = NULL;
  LabRunStatus kept = session->status;

  if (session->trainer)
    {
      if (old_cfg && same_data (old_cfg, &session->cfg))
        data = lab_trainer_take_dataset (session->trainer);
      g_clear_pointer (&session->trainer, lab_trainer_free);
    }

  session->run_id++;
  session->status = (LabRunStatus) {
    .state = LAB_SESSION_PAUSED,
    .acked = kept.acked,                 /* serials count across runs */
    .prune_serial = kept.prune_serial,
    .worker_cpu = kept.worker_cpu,       /* the thread's CPU time so far */
    .test_loss = NAN,
    .test_accuracy = NAN,
  };
  session->steps_pending = 0;
  session->send_points = TRUE;
  session->delta_step = 0;
  lab_rate_meter_reset (&session->meter);
  g_clear_pointer (&session->grid_class, g_free);
  g_clear_pointer (&session->grid_conf, g_free);

  session->trainer = lab_trainer_new (&session->cfg, data, &error);
  if (session->trainer == NULL)
    set_failed (session, error->code, error->message);
}

static void
evaluate (LabSession *session)
{
  LabEval ev = lab_trainer_evaluate (session->trainer, TRUE);

  session->status.eval_step = lab_trainer_get_step (session->trainer);
  session->status.test_loss = ev.loss;
  session->status.test_accuracy = ev.accuracy;
  session->last_eval = g_get_monotonic_time ();
}

static gboolean
can_train (LabSession *session)
{
  return session->trainer != NULL && session->status.state != LAB_SESSION_FAILED;
}

static void
cmd_reset (LabSession *session,
           gint64      seed)
{
  LabConfig old;

  lab_config_copy (&old, &session->cfg);
  if (seed >= 0)
    {
      session->cfg.train.seed = (guint64) seed;
      session->cfg.prune.spec.seed = (guint64) seed;
    }
  rebuild (session, &old);
  lab_config_clear (&old);
}

static void
cmd_set_config (LabSession      *session,
                const LabConfig *cfg)
{
  LabConfig old = session->cfg;

  lab_config_copy (&session->cfg, cfg);
  rebuild (session, &old);
  lab_config_clear (&old);
}

static void
cmd_prune (LabSession *session,
           LabCommand *cmd)
{
  g_autoptr(GError) error = NULL;

  if (lab_trainer_prune_now (session->trainer, &cmd->prune, &session->status.prune, &error))
    session->status.prune_serial++;
  else
    _lab_session_command_error (session, error, cmd->serial);   /* refused: the run goes on */
}

/* A reopened run: its weights, then where it stands (and where it stood when saved). */
static void
cmd_load_params (LabSession *session,
                 LabCommand *cmd)
{
  g_autoptr(GError) error = NULL;

  if (!lab_trainer_load_params (session->trainer, cmd->params, cmd->mask, cmd->n_params,
                                cmd->at_step, &error))
    {
      _lab_session_command_error (session, error, cmd->serial);
      return;
    }
  if (lab_trainer_get_dataset (session->trainer)->test.n > 0)
    evaluate (session);
  if (lab_trainer_finished (session->trainer) && session->status.state != LAB_SESSION_FAILED)
    session->status.state = LAB_SESSION_FINISHED;
}

/* Commands that need a trainer; returns TRUE if the heavy parts should be refreshed at once. */
static gboolean
apply_to_trainer (LabSession *session,
                  LabCommand *cmd)
{
  g_autoptr(GError) error = NULL;
  LabTrainer *tr = session->trainer;

  switch (cmd->kind)
    {
    case CMD_SET_LR:
      lab_trainer_set_lr (tr, cmd->lr);
      return FALSE;
    case CMD_SET_CLIP:
      lab_trainer_set_clip (tr, cmd->clip_mode, cmd->clip_value);
      return FALSE;
    case CMD_SET_BATCH:
      if (!lab_trainer_set_batch (tr, cmd->batch, &error))
        _lab_session_command_error (session, error, cmd->serial);
      else
        session->cfg.train.batch = cmd->batch;
      return FALSE;
    case CMD_PRUNE:
      cmd_prune (session, cmd);
      return TRUE;
    case CMD_EVALUATE:
      evaluate (session);
      return FALSE;
    case CMD_SAVE_WEIGHTS:
      if (!lab_trainer_save_weights (tr, cmd->path, &error))
        _lab_session_command_error (session, error, cmd->serial);
      return FALSE;
    case CMD_LOAD_WEIGHTS:
      if (!lab_trainer_load_weights (tr, cmd->path, &error))
        _lab_session_command_error (session, error, cmd->serial);
      return TRUE;
    case CMD_LOAD_PARAMS:
      cmd_load_params (session, cmd);
      return TRUE;
    case CMD_SWEEP:
    case CMD_LOTTERY:
      _lab_session_run_experiment (session, cmd);
      return TRUE;   /* the run's own network again, after the copies */
    default:
      g_assert_not_reached ();
    }
}

/* Applies one command; returns TRUE if the heavy parts should be refreshed at once. */
static gboolean
apply_command (LabSession *session,
               LabCommand *cmd)
{
  gboolean heavy = FALSE;

  /* live settings are kept for the next rebuild even without a trainer */
  if (cmd->kind == CMD_SET_LR)
    session->cfg.train.lr = cmd->lr;
  else if (cmd->kind == CMD_SET_CLIP)
    {
      session->cfg.clip.mode = cmd->clip_mode;
      session->cfg.clip.value = cmd->clip_value;
    }
  else if (cmd->kind == CMD_SET_BATCH && session->trainer == NULL)
    session->cfg.train.batch = cmd->batch;

  switch (cmd->kind)
    {
    case CMD_PLAY:
      if (can_train (session))
        {
          session->status.state = LAB_SESSION_RUNNING;
          lab_pacer_restart (&session->pacer, g_get_monotonic_time ());
        }
      break;
    case CMD_PAUSE:
      if (session->status.state == LAB_SESSION_RUNNING)
        session->status.state = LAB_SESSION_PAUSED;
      session->steps_pending = 0;
      /* at rest the heavy parts must be those of the last step (views, saved runs) */
      heavy = session->trainer != NULL;
      break;
    case CMD_STEP:
      if (can_train (session))
        {
          if (session->status.state == LAB_SESSION_RUNNING)
            session->status.state = LAB_SESSION_PAUSED;
          session->steps_pending += cmd->n_steps;
        }
      break;
    case CMD_RESET:
      cmd_reset (session, cmd->seed);
      heavy = TRUE;
      break;
    case CMD_SET_CONFIG:
      cmd_set_config (session, cmd->config);
      heavy = TRUE;
      break;
    case CMD_SET_HEAVY_PARTS:
      session->heavy_parts = cmd->heavy_parts;
      session->probe = cmd->probe;
      heavy = session->trainer != NULL;
      break;
    case CMD_QUIT:
      session->quit = TRUE;
      break;
    default:
      if (session->trainer)
        heavy = apply_to_trainer (session, cmd);
      break;
    }
  session->status.acked = cmd->serial;
  return heavy;
}

/* Waits (under the lock) until there is a command or a step to take, then, for a step under a
 * rate cap, until it is due; any command cuts the wait short. Returns the commands to apply
 * (possibly none). */
static GQueue
wait_for_work (LabSession *session)
{
  GQueue todo;
  gboolean busy;
  gint64 wait;

  pthread_mutex_lock (&session->lock);
  for (;;)
    {
      busy = session->status.state == LAB_SESSION_RUNNING || session->steps_pending > 0;
      if (session->commands.length > 0 || busy)
        break;
      pthread_cond_wait (&session->cond, &session->lock);
    }
  if (session->pace_restart)
    {
      session->pace_restart = FALSE;
      lab_pacer_restart (&session->pacer, g_get_monotonic_time ());
    }
  if (busy && session->commands.length == 0 && session->status.state == LAB_SESSION_RUNNING &&
      (wait = lab_pacer_wait (&session->pacer, session->max_rate, g_get_monotonic_time ())) > 0)
    {
      struct timespec ts;

      clock_gettime (CLOCK_MONOTONIC, &ts);
      ts.tv_sec += wait / G_USEC_PER_SEC;
      ts.tv_nsec += (wait % G_USEC_PER_SEC) * 1000;
      if (ts.tv_nsec >= 1000000000)
        {
          ts.tv_sec++;
          ts.tv_nsec -= 1000000000;
        }
      pthread_cond_timedwait (&session->cond, &session->lock, &ts);
    }
  todo = session->commands;
  g_queue_init (&session->commands);
  pthread_mutex_unlock (&session->lock);
  return todo;
}

/* Whether the coming step should record each unit's δ (lab_mlp_set_unit_delta()): when its
 * heavy parts will be published. Heavy parts due by time (@due, decided before the step) are
 * published after it; the last of N steps by hand comes to rest and publishes, and so does the
 * run's last step. A snapshot forced in between (a pause) shows the last recorded step's, which
 * it says (delta_step). */
static gboolean
wants_unit_delta (LabSession *session,
                  gboolean    due)
{
  return due || (session->status.state != LAB_SESSION_RUNNING && session->steps_pending <= 1) ||
         lab_trainer_get_step (session->trainer) + 1 >= lab_trainer_total_steps (session->trainer);
}

/* One training step with what follows it: evaluation when due, the rate, coming to rest. */
static void
train_step (LabSession *session)
{
  g_autoptr(GError) error = NULL;
  LabStepStats st;
  gsize before = lab_trainer_samples_seen (session->trainer);
  gboolean due = heavy_due (session);
  gboolean unit_delta = wants_unit_delta (session, due);
  gboolean ok;
  gint64 now;
  guint every;

  lab_mlp_set_unit_delta (lab_trainer_get_mlp (session->trainer), unit_delta);
  ok = lab_trainer_step (session->trainer, &st, &error);
  /* the network may be a new one (compaction): the flag is for this step only */
  lab_mlp_set_unit_delta (lab_trainer_get_mlp (session->trainer), FALSE);
  if (ok && unit_delta)
    session->delta_step = st.step;
  if (!ok)
    {
      set_failed (session, error->code, error->message);
      /* the failing batch's activations, inf or NaN where the net overflowed */
      publish (session, NULL, lab_trainer_last_rows (session->trainer), TRUE, due);
      return;
    }
  if (session->steps_pending > 0)
    session->steps_pending--;
  lab_pacer_count (&session->pacer);
  now = g_get_monotonic_time ();
  if (lab_eval_due (session->trainer, &st, now - session->last_eval))
    {
      evaluate (session);
      st.test_loss = session->status.test_loss;
      st.test_accuracy = session->status.test_accuracy;
    }
  session->status.samples_per_sec =
    lab_rate_meter_update (&session->meter, lab_trainer_samples_seen (session->trainer), now);
  if (lab_trainer_finished (session->trainer) &&
      st.step == lab_trainer_total_steps (session->trainer))
    {
      /* the configured run is done: stop here; play continues past it */
      session->status.state = LAB_SESSION_FINISHED;
      session->steps_pending = 0;
    }
  every = g_atomic_int_get (&session->heavy_every);
  /* coming to rest (finished, or the last of N single steps), or a step asked for: heavy now */
  publish (session, &st, lab_trainer_samples_seen (session->trainer) - before,
           session->status.state == LAB_SESSION_FINISHED ||
           (session->status.state != LAB_SESSION_RUNNING && session->steps_pending == 0) ||
           (every > 0 && st.step % every == 0), due);
}

static gpointer
worker_main (gpointer data)
{
  LabSession *session = data;

  rebuild (session, NULL);
  publish (session, NULL, 0, TRUE, TRUE);

  while (!session->quit)
    {
      GQueue todo = wait_for_work (session);
      LabCommand *cmd;

      if (todo.length > 0)
        {
          gboolean heavy = FALSE;

          while ((cmd = g_queue_pop_head (&todo)) != NULL)
            {
              heavy |= apply_command (session, cmd);
              _lab_command_free (cmd);
            }
          publish (session, NULL, 0, heavy, heavy_due (session));
        }
      else if (can_train (session) &&
               (session->status.state == LAB_SESSION_RUNNING || session->steps_pending > 0))
        train_step (session);
    }

  return NULL;
}

/* ------------------------------------------------------------------------------------------ */
/* public */

LabSession *
lab_session_new (const LabConfig *cfg)
{
  LabSession *session = g_new0 (LabSession, 1);
  pthread_condattr_t attr;

  pthread_mutex_init (&session->lock, NULL);
  pthread_condattr_init (&attr);
  pthread_condattr_setclock (&attr, CLOCK_MONOTONIC);
  pthread_cond_init (&session->cond, &attr);
  pthread_condattr_destroy (&attr);
  g_queue_init (&session->commands);
  session->mailbox = lab_mailbox_new ();
  session->heavy_interval_us = 33 * 1000;
  session->probe = 0;
  session->status.test_loss = session->status.test_accuracy = NAN;
  lab_config_copy (&session->cfg, cfg);

  session->thread = g_thread_new ("lab-session", worker_main, session);
  return session;
}

void
lab_session_free (LabSession *session)
{
  LabCommand *cmd;

  if (session == NULL)
    return;

  /* the quit command jumps the queue: nothing queued after it would run anyway; an experiment
   * in progress stops within a step */
  lab_session_cancel_experiment (session);
  pthread_mutex_lock (&session->lock);
  cmd = _lab_command_new (CMD_QUIT);
  cmd->serial = ++session->next_serial;
  g_queue_push_head (&session->commands, cmd);
  pthread_cond_signal (&session->cond);
  pthread_mutex_unlock (&session->lock);
  g_thread_join (session->thread);

  lab_mailbox_free (session->mailbox);
  while ((cmd = g_queue_pop_head (&session->commands)) != NULL)
    _lab_command_free (cmd);
  g_clear_pointer (&session->spare, lab_snapshot_unref);
  lab_trainer_free (session->trainer);
  lab_config_clear (&session->cfg);
  g_free (session->grid_xy);
  g_free (session->grid_class);
  g_free (session->grid_conf);
  lab_unit_maps_free (session->unit_maps);
  pthread_mutex_destroy (&session->lock);
  pthread_cond_destroy (&session->cond);
  g_free (session);
}
