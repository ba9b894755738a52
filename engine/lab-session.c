/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-session.c: the engine thread and its two mailboxes.
 *
 * In:  a GQueue of LabCommand under `lock` + `cond`. The worker drains it between steps; it
 *      blocks on `cond` only while paused with nothing to do.
 * Out: one slot holding the snapshot being filled. After every step the worker appends that
 *      step's row to the snapshot in the slot (creating one if the consumer took the last);
 *      heavy parts are rebuilt at most every heavy_interval and swapped in. A consumer takes the
 *      whole snapshot, leaving the slot empty. The lock covers a pointer swap and an append.
 * Wake-up: when the worker has a new snapshot it sets an atomic flag and wakes the
 *      consumer's GMainContext; a GSource there sees the flag and calls the consumer. No data
 *      passes through GLib's (TSan-invisible) locks. While steps stream, a new snapshot is
 *      announced at most every WAKE_PERIOD (rows just gather until then): a consumer that took
 *      every snapshot at once cost one eventfd write per step, 2 % of a batch-64 step (perf),
 *      plus a wake-up of the consumer's thread. Commands, heavy parts, errors and coming to
 *      rest are announced at once.
 *
 * If a consumer stops taking, the slot keeps at most MAX_PENDING_ROWS rows; older ones are
 * dropped (half at a time) and counted in rows_dropped, so memory stays bounded whatever the
 * consumer does.
 */
#define G_LOG_DOMAIN "lab-engine"
#include "config.h"

#include <math.h>
#include <pthread.h>
#include <string.h>
#include <time.h>

#include "lab-cadence.h"
#include "lab-error.h"
#include "lab-session.h"
#include "lab-trainer.h"

#define MAX_PENDING_ROWS  16384
#define GRID_N            64
#define GRID_LO           -1.5f
#define GRID_HI           1.5f
#define GRID_PERIOD       (100 * 1000)   /* µs between decision-grid refreshes (4096 forwards) */
#define WAKE_PERIOD       (8 * 1000)     /* µs between announcements of step rows alone */

typedef enum
{
  CMD_PLAY,
  CMD_PAUSE,
  CMD_STEP,
  CMD_RESET,
  CMD_SET_CONFIG,
  CMD_SET_LR,
  CMD_SET_CLIP,
  CMD_SET_BATCH,
  CMD_PRUNE,
  CMD_EVALUATE,
  CMD_SAVE_WEIGHTS,
  CMD_LOAD_WEIGHTS,
  CMD_LOAD_PARAMS,
  CMD_QUIT,
} CmdKind;

/* One command; each field has one meaning, used by the commands named beside it. */
typedef struct
{
  CmdKind       kind;
  guint64       serial;
  guint64       n_steps;     /* STEP */
  gint64        seed;        /* RESET: the new seed, < 0 = keep the run's */
  double        lr;          /* SET_LR */
  LabClipMode   clip_mode;   /* SET_CLIP */
  double        clip_value;
  guint         batch;       /* SET_BATCH */
  LabConfig    *config;      /* SET_CONFIG (owned) */
  LabPruneSpec  prune;       /* PRUNE */
  char         *path;        /* SAVE_WEIGHTS, LOAD_WEIGHTS (owned) */
  float        *params;      /* LOAD_PARAMS (owned): n_params floats, */
  float        *mask;        /*   their mask (owned) or NULL, */
  gsize         n_params;
  guint64       at_step;     /*   and the step the run moves to */
} LabCommand;

typedef struct
{
  GSource     source;
  LabSession *session;
} NotifySource;

struct _LabSession
{
  GThread         *thread;

  /* guarded by lock */
  pthread_mutex_t  lock;
  pthread_cond_t   cond;
  GQueue           commands;
  guint64          next_serial;
  LabSnapshot     *slot;
  GMainContext    *context;
  double           max_rate;
  gboolean         pace_restart;   /* max_rate changed: pace from now, not from play */

  /* cross-thread, atomic */
  gint             pending;        /* a snapshot waits */
  guint            heavy_interval_us;

  /* consumer side (its thread only) */
  GSource         *source;
  LabSessionNotify notify;
  gpointer         notify_data;

  /* worker only */
  LabConfig        cfg;
  LabTrainer      *trainer;
  guint            run_id;
  LabRunStatus     status;         /* copied whole into each snapshot */
  guint64          steps_pending;
  gboolean         quit;
  gboolean         send_points;    /* the next snapshot carries the 2-D training points */
  LabSnapshot     *spare;          /* the next new snapshot, prepared outside the lock */
  gboolean         unannounced;    /* the slot's snapshot has not been announced yet */
  gint64           last_heavy;
  gint64           last_wake;
  gint64           last_eval;
  gint64           last_grid;
  float           *grid_xy;        /* (GRID_N², 2) the cell centres, made once */
  guint8          *grid_class;     /* (GRID_N²) the latest decision grid, kept between refreshes */
  float           *grid_conf;
  LabRateMeter     meter;
  LabPacer         pacer;
};

static void
command_free (LabCommand *cmd)
{
  if (cmd->config)
    {
      lab_config_clear (cmd->config);
      g_free (cmd->config);
    }
  g_free (cmd->path);
  g_free (cmd->params);
  g_free (cmd->mask);
  g_free (cmd);
}

/* ------------------------------------------------------------------------------------------ */
/* consumer wake-up */

static gboolean
notify_prepare (GSource *source,
                gint    *timeout)
{
  NotifySource *ns = (NotifySource *) source;
  *timeout = -1;
  return g_atomic_int_get (&ns->session->pending) != 0;
}

static gboolean
notify_check (GSource *source)
{
  NotifySource *ns = (NotifySource *) source;
  return g_atomic_int_get (&ns->session->pending) != 0;
}

static gboolean
notify_dispatch (GSource     *source,
                 GSourceFunc  callback,
                 gpointer     user_data)
{
  NotifySource *ns = (NotifySource *) source;
  LabSession *session = ns->session;

  g_atomic_int_set (&session->pending, 0);
  if (session->notify)
    session->notify (session, session->notify_data);
  return G_SOURCE_CONTINUE;
}

static GSourceFuncs notify_funcs = {
  notify_prepare, notify_check, notify_dispatch, NULL, NULL, NULL,
};

void
lab_session_set_consumer (LabSession       *session,
                          GMainContext     *context,
                          LabSessionNotify  notify,
                          gpointer          user_data)
{
  GMainContext *old;

  if (session->source)
    {
      g_source_destroy (session->source);
      g_clear_pointer (&session->source, g_source_unref);
    }
  if (context == NULL)
    context = g_main_context_ref_thread_default ();
  else
    g_main_context_ref (context);

  session->notify = notify;
  session->notify_data = user_data;
  if (notify != NULL)
    {
      NotifySource *ns = (NotifySource *) g_source_new (&notify_funcs, sizeof (NotifySource));
      ns->session = session;
      g_source_set_name ((GSource *) ns, "LabSession snapshots");
      g_source_set_priority ((GSource *) ns, G_PRIORITY_DEFAULT_IDLE);
      g_source_attach ((GSource *) ns, context);
      session->source = (GSource *) ns;
    }

  pthread_mutex_lock (&session->lock);
  old = session->context;
  session->context = notify ? g_main_context_ref (context) : NULL;
  pthread_mutex_unlock (&session->lock);

  if (old)
    g_main_context_unref (old);
  g_main_context_unref (context);

  /* a snapshot may already be waiting */
  if (notify && g_atomic_int_get (&session->pending))
    g_main_context_wakeup (context);
}

LabSnapshot *
lab_session_take (LabSession *session)
{
  LabSnapshot *snap;

  pthread_mutex_lock (&session->lock);
  snap = g_steal_pointer (&session->slot);
  pthread_mutex_unlock (&session->lock);
  return snap;
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
  lab_mlp_predict (mlp, session->grid_xy, n, session->grid_class, session->grid_conf);
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

  /* the histograms read the workspace's last batch: before the grid overwrites it */
  heavy = lab_heavy_new_from_mlp (mlp, data, last_batch, lab_trainer_get_step (session->trainer));
  if (data->dim == 2)
    {
      refresh_grid (session, mlp, now, force);
      lab_heavy_set_grid (heavy, GRID_N, GRID_LO, GRID_HI, session->grid_class,
                          session->grid_conf);
    }
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

/* Appends @row to the slot's rows, dropping the older half when a consumer stopped taking:
 * one memmove per MAX_PENDING_ROWS / 2 steps, not one per step (measured: per-row removal cut
 * the spiral preset from 60k to 18k steps/s). Under the lock. */
static void
append_row (LabSnapshot        *snap,
            const LabStepStats *row)
{
  if (snap->rows->len >= MAX_PENDING_ROWS)
    {
      guint half = MAX_PENDING_ROWS / 2;
      g_array_remove_range (snap->rows, 0, half);
      snap->rows_dropped += half;
    }
  g_array_append_vals (snap->rows, row, 1);
}

/* Appends @row (may be NULL) and the current status to the slot; heavy parts when due.
 * Everything is built before the lock is taken; under it, the slot gets a pointer swap, a
 * row appended and the status copied. */
static void
publish (LabSession         *session,
         const LabStepStats *row,
         gsize               last_batch,
         gboolean            force_heavy)
{
  gint64 now = g_get_monotonic_time ();
  guint interval = g_atomic_int_get (&session->heavy_interval_us);
  LabHeavy *heavy = NULL;
  LabSnapshot *snap, *stale = NULL, *points = NULL;
  GMainContext *ctx = NULL;
  gboolean due, announce;

  if (session->trainer)
    {
      session->status.step = lab_trainer_get_step (session->trainer);
      session->status.epoch = lab_trainer_get_epoch (session->trainer);
      session->status.total_steps = lab_trainer_total_steps (session->trainer);
      if (force_heavy || now - session->last_heavy >= (gint64) interval)
        {
          heavy = build_heavy (session, last_batch, now, force_heavy);
          session->last_heavy = now;
        }
      if (session->send_points)
        {
          points = prepare_points (session);
          session->send_points = FALSE;
        }
    }
  /* a row alone waits for WAKE_PERIOD; anything else is announced now */
  due = row == NULL || force_heavy || heavy != NULL || now - session->last_wake >= WAKE_PERIOD;
  if (due)
    session->status.worker_cpu = thread_cpu_seconds ();
  if (session->spare == NULL || session->spare->run_id != session->run_id)
    {
      g_clear_pointer (&session->spare, lab_snapshot_unref);
      session->spare = prepare_snapshot (session);
    }

  pthread_mutex_lock (&session->lock);
  snap = session->slot;
  if (snap == NULL || snap->run_id != session->run_id)
    {
      /* a snapshot of a previous run still waiting is replaced: its run is gone */
      stale = snap;
      snap = session->slot = g_steal_pointer (&session->spare);
      session->unannounced = TRUE;
    }
  if (row)
    append_row (snap, row);
  snap->status = session->status;
  if (heavy)
    {
      LabHeavy *old = snap->heavy;
      snap->heavy = heavy;
      heavy = old;
    }
  if (points && snap->points == NULL)
    {
      snap->n_points = points->n_points;
      snap->points = g_steal_pointer (&points->points);
      snap->point_labels = g_steal_pointer (&points->point_labels);
    }
  announce = session->unannounced && due;
  if (announce && session->context)
    ctx = g_main_context_ref (session->context);
  pthread_mutex_unlock (&session->lock);

  lab_heavy_free (heavy);   /* the one it replaced */
  g_clear_pointer (&stale, lab_snapshot_unref);
  g_clear_pointer (&points, lab_snapshot_unref);
  if (announce)
    {
      session->unannounced = FALSE;
      session->last_wake = now;
      /* the flag is set even with no consumer yet: lab_session_set_consumer() checks it */
      g_atomic_int_set (&session->pending, 1);
    }
  if (ctx)
    {
      g_main_context_wakeup (ctx);
      g_main_context_unref (ctx);
    }
}

/* ------------------------------------------------------------------------------------------ */
/* worker */

/* Keeps @message in the status (it has a fixed size: truncated at a character boundary). */
static void
status_set_error (LabRunStatus *status,
                  int           code,
                  const char   *message,
                  guint64       serial)
{
  gsize len = strlen (message);

  if (len >= sizeof status->error)
    {
      const char *end = g_utf8_find_prev_char (message, message + sizeof status->error - 1);
      len = end ? (gsize) (end - message) : 0;
    }
  memcpy (status->error, message, len);
  status->error[len] = '\0';
  status->error_code = code;
  status->error_serial = serial;
}

static void
set_failed (LabSession *session,
            int         code,
            const char *message)
{
  status_set_error (&session->status, code, message, 0);
  session->status.state = LAB_SESSION_FAILED;
  session->steps_pending = 0;
}

/* A command that failed: reported, but the run goes on. */
static void
set_command_error (LabSession   *session,
                   const GError *error,
                   guint64       serial)
{
  status_set_error (&session->status, error->code, error->message, serial);
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
    set_command_error (session, error, cmd->serial);   /* refused: the run goes on */
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
      set_command_error (session, error, cmd->serial);
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
        set_command_error (session, error, cmd->serial);
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
        set_command_error (session, error, cmd->serial);
      return FALSE;
    case CMD_LOAD_WEIGHTS:
      if (!lab_trainer_load_weights (tr, cmd->path, &error))
        set_command_error (session, error, cmd->serial);
      return TRUE;
    case CMD_LOAD_PARAMS:
      cmd_load_params (session, cmd);
      return TRUE;
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

/* One training step with what follows it: evaluation when due, the rate, coming to rest. */
static void
train_step (LabSession *session)
{
  g_autoptr(GError) error = NULL;
  LabStepStats st;
  gsize before = lab_trainer_samples_seen (session->trainer);
  gint64 now;

  if (!lab_trainer_step (session->trainer, &st, &error))
    {
      set_failed (session, error->code, error->message);
      /* the failing batch's activations, inf or NaN where the net overflowed */
      publish (session, NULL, lab_trainer_last_rows (session->trainer), TRUE);
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
  /* coming to rest (finished, or the last of N single steps): heavy parts now */
  publish (session, &st, lab_trainer_samples_seen (session->trainer) - before,
           session->status.state == LAB_SESSION_FINISHED ||
           (session->status.state != LAB_SESSION_RUNNING && session->steps_pending == 0));
}

static gpointer
worker_main (gpointer data)
{
  LabSession *session = data;

  rebuild (session, NULL);
  publish (session, NULL, 0, TRUE);

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
              command_free (cmd);
            }
          publish (session, NULL, 0, heavy);
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
  session->heavy_interval_us = 33 * 1000;
  session->status.test_loss = session->status.test_accuracy = NAN;
  lab_config_copy (&session->cfg, cfg);

  session->thread = g_thread_new ("lab-session", worker_main, session);
  return session;
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

static LabCommand *
cmd_new (CmdKind kind)
{
  LabCommand *cmd = g_new0 (LabCommand, 1);
  cmd->kind = kind;
  return cmd;
}

guint64
lab_session_play (LabSession *session)
{
  return send (session, cmd_new (CMD_PLAY));
}

guint64
lab_session_pause (LabSession *session)
{
  return send (session, cmd_new (CMD_PAUSE));
}

guint64
lab_session_step (LabSession *session,
                  guint64     n)
{
  LabCommand *cmd = cmd_new (CMD_STEP);
  cmd->n_steps = n;
  return send (session, cmd);
}

guint64
lab_session_reset (LabSession *session,
                   gint64      seed)
{
  LabCommand *cmd = cmd_new (CMD_RESET);
  cmd->seed = seed;
  return send (session, cmd);
}

guint64
lab_session_set_config (LabSession      *session,
                        const LabConfig *cfg)
{
  LabCommand *cmd = cmd_new (CMD_SET_CONFIG);
  cmd->config = g_new0 (LabConfig, 1);
  lab_config_copy (cmd->config, cfg);
  return send (session, cmd);
}

guint64
lab_session_set_lr (LabSession *session,
                    double      lr)
{
  LabCommand *cmd = cmd_new (CMD_SET_LR);
  g_return_val_if_fail (lr > 0 && isfinite (lr), 0);
  cmd->lr = lr;
  return send (session, cmd);
}

guint64
lab_session_set_clip (LabSession  *session,
                      LabClipMode  mode,
                      double       value)
{
  LabCommand *cmd = cmd_new (CMD_SET_CLIP);
  cmd->clip_mode = mode;
  cmd->clip_value = value;
  return send (session, cmd);
}

guint64
lab_session_set_batch (LabSession *session,
                       guint       batch)
{
  LabCommand *cmd = cmd_new (CMD_SET_BATCH);
  cmd->batch = batch;
  return send (session, cmd);
}

guint64
lab_session_prune_now (LabSession         *session,
                       const LabPruneSpec *spec)
{
  LabCommand *cmd = cmd_new (CMD_PRUNE);
  cmd->prune = *spec;
  return send (session, cmd);
}

guint64
lab_session_evaluate (LabSession *session)
{
  return send (session, cmd_new (CMD_EVALUATE));
}

guint64
lab_session_save_weights (LabSession *session,
                          const char *dir)
{
  LabCommand *cmd = cmd_new (CMD_SAVE_WEIGHTS);
  cmd->path = g_strdup (dir);
  return send (session, cmd);
}

guint64
lab_session_load_weights (LabSession *session,
                          const char *dir)
{
  LabCommand *cmd = cmd_new (CMD_LOAD_WEIGHTS);
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

  cmd = cmd_new (CMD_LOAD_PARAMS);
  cmd->params = g_memdup2 (params, n_params * sizeof (float));
  cmd->mask = mask ? g_memdup2 (mask, n_params * sizeof (float)) : NULL;
  cmd->n_params = n_params;
  cmd->at_step = step;
  return send (session, cmd);
}

guint64
lab_session_quit (LabSession *session)
{
  return send (session, cmd_new (CMD_QUIT));
}

void
lab_session_set_heavy_interval (LabSession *session,
                                guint       msec)
{
  g_atomic_int_set (&session->heavy_interval_us, msec * 1000);
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

void
lab_session_free (LabSession *session)
{
  LabCommand *cmd;

  if (session == NULL)
    return;

  /* the quit command jumps the queue: nothing queued after it would run anyway */
  pthread_mutex_lock (&session->lock);
  cmd = cmd_new (CMD_QUIT);
  cmd->serial = ++session->next_serial;
  g_queue_push_head (&session->commands, cmd);
  pthread_cond_signal (&session->cond);
  pthread_mutex_unlock (&session->lock);
  g_thread_join (session->thread);

  if (session->source)
    {
      g_source_destroy (session->source);
      g_source_unref (session->source);
    }
  if (session->context)
    g_main_context_unref (session->context);
  while ((cmd = g_queue_pop_head (&session->commands)) != NULL)
    command_free (cmd);
  g_clear_pointer (&session->slot, lab_snapshot_unref);
  g_clear_pointer (&session->spare, lab_snapshot_unref);
  lab_trainer_free (session->trainer);
  lab_config_clear (&session->cfg);
  g_free (session->grid_xy);
  g_free (session->grid_class);
  g_free (session->grid_conf);
  pthread_mutex_destroy (&session->lock);
  pthread_cond_destroy (&session->cond);
  g_free (session);
}
