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

#include "lab-error.h"
#include "lab-loss.h"
#include "lab-session.h"
#include "lab-trainer.h"

#define MAX_PENDING_ROWS  16384
#define GRID_N            64
#define GRID_LO           -1.5f
#define GRID_HI           1.5f
#define EVAL_PERIOD_PLANE (250 * 1000)   /* µs between test evaluations on cheap 2-D data */
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

typedef struct
{
  CmdKind      kind;
  guint64      serial;
  guint64      n;
  gint64       seed;
  double       value;
  int          mode;
  LabConfig   *config;
  LabPruneSpec prune;
  char        *path;
  float       *params;   /* CMD_LOAD_PARAMS: (n) copies */
  float       *mask;
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
  guint            heavy_interval_us;
  double           max_rate;
  gboolean         pace_restart;   /* max_rate changed: pace from now, not from play */

  /* consumer side (its thread only) */
  GSource         *source;
  LabSessionNotify notify;
  gpointer         notify_data;

  /* cross-thread flags */
  gint             pending;      /* atomic: a snapshot waits */

  /* worker only */
  LabConfig        cfg;
  LabTrainer      *trainer;
  LabSessionState  state;
  char            *error;
  int              error_code;
  guint64          error_serial;
  guint            run_id;
  guint64          acked;
  guint64          steps_pending;
  gboolean         quit;
  gboolean         send_points;
  gint64           last_heavy;
  gint64           last_wake;
  gboolean         unannounced;  /* the slot's snapshot has not been announced yet */
  guint8          *grid_class;   /* (GRID_N²) the latest decision grid, reused between refreshes */
  float           *grid_conf;
  gint64           last_grid;
  gint64           last_eval;
  guint64          eval_step;
  double           test_loss;
  double           test_accuracy;
  guint            prune_serial;
  LabPruneReport   prune;
  guint64          rate_step;    /* samples/s over a sliding window */
  gsize            rate_seen;
  gint64           rate_t;
  double           samples_per_sec;
  gint64           pace_t0;      /* max_rate pacing */
  guint64          pace_steps;
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

/* Histogram of v[0..n) over [lo, hi). At most HIST_SAMPLES values are looked at, evenly
 * strided, so a 784×300 layer costs the same as a small one every 33 ms (log10 per value is
 * what made it expensive); the snapshot says how many were counted. */
#define HIST_SAMPLES 4096

static void
histogram_fill (LabHistogram *h,
                const float  *v,
                gsize         n,
                float         lo,
                float         hi,
                gboolean      log_abs)
{
  gsize stride = MAX ((gsize) 1, n / HIST_SAMPLES);
  float scale;

  h->lo = lo;
  h->hi = hi;
  memset (h->count, 0, sizeof h->count);
  h->nonfinite = 0;
  scale = LAB_HIST_BINS / (hi - lo);
  for (gsize i = 0; i < n; i += stride)
    {
      float x = v[i];
      int b;
      if (log_abs)
        {
          if (x == 0.0f)
            continue;   /* pruned or exactly-zero gradients have no logarithm */
          x = log10f (fabsf (x));
        }
      if (!isfinite (x))
        {
          h->nonfinite++;
          continue;
        }
      b = (int) ((x - lo) * scale);
      h->count[CLAMP (b, 0, LAB_HIST_BINS - 1)]++;
    }
}

static LabHeavy *
build_heavy (LabSession *session,
             gsize       last_batch,
             gboolean    force)
{
  gint64 now = g_get_monotonic_time ();
  LabMlp *mlp = lab_trainer_get_mlp (session->trainer);
  LabDataset *data = lab_trainer_get_dataset (session->trainer);
  LabHeavy *hv = lab_heavy_new ();

  /* never more rows than the workspace has (it is rebuilt smaller by compaction) */
  last_batch = MIN (last_batch, mlp->ws_batch);
  hv->step = lab_trainer_get_step (session->trainer);
  hv->n_layers = mlp->n_layers;
  memcpy (hv->sizes, mlp->sizes, sizeof hv->sizes);
  memcpy (hv->w_off, mlp->w_off, sizeof hv->w_off);
  memcpy (hv->b_off, mlp->b_off, sizeof hv->b_off);
  memcpy (hv->act, mlp->act, sizeof hv->act);
  hv->n_params = mlp->n_params;
  hv->params = g_memdup2 (mlp->params, mlp->n_params * sizeof (float));
  hv->mask = mlp->mask ? g_memdup2 (mlp->mask, mlp->n_params * sizeof (float)) : NULL;
  hv->img_w = data->img_w;
  hv->img_h = data->img_h;

  /* the workspace still holds the last training batch's activations */
  for (guint l = 0; l < mlp->n_layers && last_batch > 0; l++)
    {
      gsize n = last_batch * mlp->sizes[l + 1];
      const float *a = mlp->a[l];
      float lo, hi;

      if (mlp->act[l] == LAB_ACT_SIGMOID && !mlp->skip[l])
        lo = 0, hi = 1;
      else if (mlp->act[l] == LAB_ACT_TANH && !mlp->skip[l])
        lo = -1, hi = 1;
      else
        {
          /* the finite range: an overflowing layer's inf and NaN are counted apart */
          lo = G_MAXFLOAT;
          hi = -G_MAXFLOAT;
          for (gsize i = 0; i < n; i++)
            if (isfinite (a[i]))
              {
                lo = MIN (lo, a[i]);
                hi = MAX (hi, a[i]);
              }
          if (lo > hi)
            lo = hi = 0;
          if (!(hi > lo))
            hi = lo + 1;
        }
      histogram_fill (&hv->act_hist[l], a, n, lo, hi * 1.0001f + 1e-6f, FALSE);
      histogram_fill (&hv->grad_hist[l], mlp->grads + mlp->w_off[l],
                      mlp->sizes[l] * mlp->sizes[l + 1], -10.0f, 1.0f, TRUE);
    }

  /* 2-D data: the model's prediction over the plane (after the histograms: this reuses the
   * workspace) */
  if (data->dim == 2)
    {
      gsize n = (gsize) GRID_N * GRID_N;

      /* the grid costs 4096 forward passes: refresh it at most every GRID_PERIOD, and at once
       * when asked (reset, prune, pause) */
      if (force || session->grid_class == NULL || now - session->last_grid >= GRID_PERIOD)
        {
          gsize chunk = mlp->ws_batch, C = mlp->sizes[mlp->n_layers];
          g_autofree float *xy = g_new (float, 2 * chunk);

          if (session->grid_class == NULL)
            {
              session->grid_class = g_new (guint8, n);
              session->grid_conf = g_new (float, n);
            }
          for (gsize start = 0; start < n; start += chunk)
            {
              gsize B = MIN (chunk, n - start);
              const float *logits;

              for (gsize i = 0; i < B; i++)
                {
                  gsize k = start + i, row = k / GRID_N, col = k % GRID_N;
                  xy[2 * i] = GRID_LO + (GRID_HI - GRID_LO) * (col + 0.5f) / GRID_N;
                  xy[2 * i + 1] = GRID_LO + (GRID_HI - GRID_LO) * (row + 0.5f) / GRID_N;
                }
              logits = lab_mlp_forward (mlp, xy, B);
              for (gsize i = 0; i < B; i++)
                {
                  const float *z = logits + i * C;
                  gsize best = lab_argmax (z, C);
                  double sum = 0;
                  for (gsize c = 0; c < C; c++)
                    sum += exp ((double) z[c] - z[best]);
                  session->grid_class[start + i] = (guint8) best;
                  session->grid_conf[start + i] = (float) (1.0 / sum);
                }
            }
          session->last_grid = now;
        }
      hv->grid_n = GRID_N;
      hv->grid_lo = GRID_LO;
      hv->grid_hi = GRID_HI;
      hv->grid_class = g_memdup2 (session->grid_class, n);
      hv->grid_conf = g_memdup2 (session->grid_conf, n * sizeof (float));
    }
  return hv;
}

static void
fill_points (LabSession  *session,
             LabSnapshot *snap)
{
  LabDataset *data = lab_trainer_get_dataset (session->trainer);
  gsize n = MIN (data->train.n, (gsize) 4000);

  if (data->dim != 2 || data->train.x_f32 == NULL)
    return;
  snap->n_points = n;
  snap->points = g_memdup2 (data->train.x_f32, n * 2 * sizeof (float));
  snap->point_labels = g_memdup2 (data->train.y, n);
}

/* Appends @row (may be NULL) and the current state to the slot; heavy parts when due. */
static void
publish (LabSession         *session,
         const LabStepStats *row,
         gsize               last_batch,
         gboolean            force_heavy)
{
  gint64 now = g_get_monotonic_time ();
  LabHeavy *heavy = NULL, *old_heavy = NULL;
  LabSnapshot *snap;
  GMainContext *ctx = NULL;
  gboolean created = FALSE, due, announce;
  guint interval;
  double cpu = 0;

  pthread_mutex_lock (&session->lock);
  interval = session->heavy_interval_us;
  pthread_mutex_unlock (&session->lock);

  if (session->trainer && (force_heavy || now - session->last_heavy >= (gint64) interval))
    {
      heavy = build_heavy (session, last_batch, force_heavy);
      session->last_heavy = now;
    }
  /* a row alone waits for WAKE_PERIOD; anything else is announced now */
  due = row == NULL || force_heavy || heavy != NULL || now - session->last_wake >= WAKE_PERIOD;
  if (due)
    {
      struct timespec ts;
      clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
      cpu = ts.tv_sec + ts.tv_nsec * 1e-9;
    }

  pthread_mutex_lock (&session->lock);
  snap = session->slot;
  if (snap == NULL || snap->run_id != session->run_id)
    {
      /* a snapshot of a previous run still waiting is replaced: its run is gone */
      if (snap)
        lab_snapshot_unref (snap);
      snap = session->slot = lab_snapshot_new ();
      snap->run_id = session->run_id;
      created = TRUE;
    }
  if (row)
    {
      if (snap->rows->len >= MAX_PENDING_ROWS)
        {
          /* drop the older half at once: one memmove per MAX_PENDING_ROWS / 2 steps, not one
           * per step (measured: per-row removal cut the spiral preset from 60k to 18k steps/s) */
          guint half = MAX_PENDING_ROWS / 2;
          g_array_remove_range (snap->rows, 0, half);
          snap->rows_dropped += half;
        }
      g_array_append_vals (snap->rows, row, 1);
    }
  snap->state = session->state;
  if (g_strcmp0 (snap->error, session->error) != 0)
    {
      g_free (snap->error);
      snap->error = g_strdup (session->error);
    }
  snap->error_code = session->error_code;
  snap->error_serial = session->error_serial;
  snap->acked = session->acked;
  snap->eval_step = session->eval_step;
  snap->test_loss = session->test_loss;
  snap->test_accuracy = session->test_accuracy;
  snap->prune = session->prune;
  snap->prune_serial = session->prune_serial;
  snap->samples_per_sec = session->samples_per_sec;
  if (due)
    snap->worker_cpu = cpu;
  if (session->trainer)
    {
      snap->step = lab_trainer_get_step (session->trainer);
      snap->epoch = lab_trainer_get_epoch (session->trainer);
      snap->total_steps = lab_trainer_total_steps (session->trainer);
    }
  if (heavy)
    {
      old_heavy = snap->heavy;
      snap->heavy = heavy;
    }
  if (created)
    {
      LabDataset *data = session->trainer ? lab_trainer_get_dataset (session->trainer) : NULL;
      lab_config_clear (&snap->config);
      lab_config_copy (&snap->config, &session->cfg);
      if (data)
        {
          snap->data_name = g_strdup (data->name);
          snap->n_train = data->train.n;
          snap->n_test = data->test.n;
          snap->n_classes = data->n_classes;
        }
    }
  if (session->send_points && session->trainer)
    {
      fill_points (session, snap);
      session->send_points = FALSE;
    }
  if (created)
    session->unannounced = TRUE;
  announce = session->unannounced && due;
  if (announce && session->context)
    ctx = g_main_context_ref (session->context);
  pthread_mutex_unlock (&session->lock);

  lab_heavy_free (old_heavy);
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

static void
set_failed (LabSession *session,
            int         code,
            const char *message)
{
  g_free (session->error);
  session->error = g_strdup (message);
  session->error_code = code;
  session->error_serial = 0;
  session->state = LAB_SESSION_FAILED;
  session->steps_pending = 0;
}

/* A command that failed: reported, but the run goes on. */
static void
set_command_error (LabSession   *session,
                   const GError *error,
                   guint64       serial)
{
  g_free (session->error);
  session->error = g_strdup (error->message);
  session->error_code = error->code;
  session->error_serial = serial;
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

/* (Re)builds the trainer from session->cfg, reusing the loaded data when it is the same. */
static void
rebuild (LabSession      *session,
         const LabConfig *old_cfg)
{
  g_autoptr(GError) error = NULL;
  LabDataset *data = NULL;

  if (session->trainer)
    {
      if (old_cfg && same_data (old_cfg, &session->cfg))
        data = lab_trainer_take_dataset (session->trainer);
      g_clear_pointer (&session->trainer, lab_trainer_free);
    }

  session->run_id++;
  session->state = LAB_SESSION_PAUSED;
  g_clear_pointer (&session->error, g_free);
  session->error_code = 0;
  session->error_serial = 0;
  session->steps_pending = 0;
  session->eval_step = 0;
  session->test_loss = session->test_accuracy = NAN;
  session->prune = (LabPruneReport) { 0 };
  session->samples_per_sec = 0;
  session->rate_t = 0;
  session->send_points = TRUE;
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

  session->eval_step = lab_trainer_get_step (session->trainer);
  session->test_loss = ev.loss;
  session->test_accuracy = ev.accuracy;
  session->last_eval = g_get_monotonic_time ();
}

/* Applies one command; returns TRUE if the heavy parts should be refreshed at once. */
static gboolean
apply_command (LabSession *session,
               LabCommand *cmd)
{
  g_autoptr(GError) error = NULL;
  gboolean heavy = FALSE;

  switch (cmd->kind)
    {
    case CMD_PLAY:
      if (session->trainer && session->state != LAB_SESSION_FAILED)
        {
          session->state = LAB_SESSION_RUNNING;
          session->pace_t0 = g_get_monotonic_time ();
          session->pace_steps = 0;
        }
      break;
    case CMD_PAUSE:
      if (session->state == LAB_SESSION_RUNNING)
        session->state = LAB_SESSION_PAUSED;
      session->steps_pending = 0;
      /* at rest the heavy parts must be those of the last step (views, saved runs) */
      heavy = session->trainer != NULL;
      break;
    case CMD_STEP:
      if (session->trainer && session->state != LAB_SESSION_FAILED)
        {
          if (session->state == LAB_SESSION_RUNNING)
            session->state = LAB_SESSION_PAUSED;
          session->steps_pending += cmd->n;
        }
      break;
    case CMD_RESET:
      {
        LabConfig old;
        lab_config_copy (&old, &session->cfg);
        if (cmd->seed >= 0)
          {
            session->cfg.train.seed = (guint64) cmd->seed;
            session->cfg.prune.spec.seed = (guint64) cmd->seed;
          }
        rebuild (session, &old);
        lab_config_clear (&old);
        heavy = TRUE;
      }
      break;
    case CMD_SET_CONFIG:
      {
        LabConfig old = session->cfg;
        lab_config_copy (&session->cfg, cmd->config);
        rebuild (session, &old);
        lab_config_clear (&old);
        heavy = TRUE;
      }
      break;
    case CMD_SET_LR:
      session->cfg.train.lr = cmd->value;
      if (session->trainer)
        lab_trainer_set_lr (session->trainer, cmd->value);
      break;
    case CMD_SET_CLIP:
      session->cfg.clip.mode = cmd->mode;
      session->cfg.clip.value = cmd->value;
      if (session->trainer)
        lab_trainer_set_clip (session->trainer, cmd->mode, cmd->value);
      break;
    case CMD_SET_BATCH:
      if (session->trainer && !lab_trainer_set_batch (session->trainer, (guint) cmd->n, &error))
        set_command_error (session, error, cmd->serial);
      else
        session->cfg.train.batch = (guint) cmd->n;
      break;
    case CMD_PRUNE:
      if (session->trainer)
        {
          if (lab_trainer_prune_now (session->trainer, &cmd->prune, &session->prune, &error))
            session->prune_serial++;
          else
            set_command_error (session, error, cmd->serial);   /* refused: the run goes on */
          heavy = TRUE;
        }
      break;
    case CMD_EVALUATE:
      if (session->trainer)
        evaluate (session);
      break;
    case CMD_SAVE_WEIGHTS:
      if (session->trainer && !lab_trainer_save_weights (session->trainer, cmd->path, &error))
        set_command_error (session, error, cmd->serial);
      break;
    case CMD_LOAD_WEIGHTS:
      if (session->trainer && !lab_trainer_load_weights (session->trainer, cmd->path, &error))
        set_command_error (session, error, cmd->serial);
      heavy = TRUE;
      break;
    case CMD_LOAD_PARAMS:
      if (session->trainer)
        {
          if (lab_trainer_load_params (session->trainer, cmd->params, cmd->mask, cmd->n,
                                       (guint64) cmd->seed, &error))
            {
              /* a reopened run: show where it stands (and where it stood when saved) */
              if (lab_trainer_get_dataset (session->trainer)->test.n > 0)
                evaluate (session);
              if (lab_trainer_finished (session->trainer) && session->state != LAB_SESSION_FAILED)
                session->state = LAB_SESSION_FINISHED;
            }
          else
            set_command_error (session, error, cmd->serial);
        }
      heavy = TRUE;
      break;
    case CMD_QUIT:
      session->quit = TRUE;
      break;
    default:
      g_assert_not_reached ();
    }
  session->acked = cmd->serial;
  return heavy;
}

static gboolean
should_evaluate (LabSession         *session,
                 const LabStepStats *st)
{
  LabTrainer *tr = session->trainer;
  const LabConfig *cfg = lab_trainer_get_config (tr);
  LabDataset *data = lab_trainer_get_dataset (tr);

  if (data->test.n == 0)
    return FALSE;
  /* the epoch ends and the configured run's last step; not every step past it (play after
   * "finished" goes on training, and a test pass per step would cost ~100 steps each) */
  if (st->step % lab_trainer_steps_per_epoch (tr) == 0 || st->step == lab_trainer_total_steps (tr))
    return TRUE;
  if (cfg->train.eval_every && st->step % cfg->train.eval_every == 0)
    return TRUE;
  /* small data: keep the test curve live for the window */
  return data->dim * data->test.n <= 200000 &&
         g_get_monotonic_time () - session->last_eval >= EVAL_PERIOD_PLANE;
}

static void
update_rate (LabSession *session)
{
  gint64 now = g_get_monotonic_time ();
  gsize seen = lab_trainer_samples_seen (session->trainer);

  if (session->rate_t == 0)
    {
      session->rate_t = now;
      session->rate_seen = seen;
      return;
    }
  if (now - session->rate_t >= 250 * 1000)
    {
      session->samples_per_sec = (double) (seen - session->rate_seen) * G_USEC_PER_SEC /
                                 (double) (now - session->rate_t);
      session->rate_t = now;
      session->rate_seen = seen;
    }
}

static gpointer
worker_main (gpointer data)
{
  LabSession *session = data;

  rebuild (session, NULL);
  publish (session, NULL, 0, TRUE);

  while (!session->quit)
    {
      GQueue todo = G_QUEUE_INIT;
      gboolean busy, heavy = FALSE;
      LabCommand *cmd;

      pthread_mutex_lock (&session->lock);
      for (;;)
        {
          busy = session->state == LAB_SESSION_RUNNING || session->steps_pending > 0;
          if (session->commands.length > 0 || busy)
            break;
          pthread_cond_wait (&session->cond, &session->lock);
        }
      /* pacing: a capped step rate waits here, but any command wakes it. A new rate counts from
       * now: steps taken at full speed must not buy a long wait at a slow one. */
      if (session->pace_restart)
        {
          session->pace_restart = FALSE;
          session->pace_t0 = g_get_monotonic_time ();
          session->pace_steps = 0;
        }
      if (busy && session->commands.length == 0 && session->max_rate > 0 &&
          session->state == LAB_SESSION_RUNNING)
        {
          gint64 due = session->pace_t0 +
                       (gint64) (session->pace_steps * G_USEC_PER_SEC / session->max_rate);
          gint64 wait = due - g_get_monotonic_time ();
          if (wait > 0)
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
        }
      todo = session->commands;
      g_queue_init (&session->commands);
      pthread_mutex_unlock (&session->lock);

      if (todo.length > 0)
        {
          while ((cmd = g_queue_pop_head (&todo)) != NULL)
            {
              heavy |= apply_command (session, cmd);
              command_free (cmd);
            }
          publish (session, NULL, 0, heavy);
          continue;
        }

      if (session->trainer && session->state != LAB_SESSION_FAILED &&
          (session->state == LAB_SESSION_RUNNING || session->steps_pending > 0))
        {
          g_autoptr(GError) error = NULL;
          LabStepStats st;
          gsize before = lab_trainer_samples_seen (session->trainer);

          if (!lab_trainer_step (session->trainer, &st, &error))
            {
              set_failed (session, error->code, error->message);
              /* the failing batch's activations, inf or NaN where the net overflowed */
              publish (session, NULL, lab_trainer_last_rows (session->trainer), TRUE);
              continue;
            }
          if (session->steps_pending > 0)
            session->steps_pending--;
          session->pace_steps++;
          if (should_evaluate (session, &st))
            {
              evaluate (session);
              st.test_loss = session->test_loss;
              st.test_accuracy = session->test_accuracy;
            }
          update_rate (session);
          if (lab_trainer_finished (session->trainer) &&
              st.step == lab_trainer_total_steps (session->trainer))
            {
              /* the configured run is done: stop here; play continues past it */
              session->state = LAB_SESSION_FINISHED;
              session->steps_pending = 0;
            }
          /* coming to rest (finished, or the last of N single steps): heavy parts now */
          publish (session, &st, lab_trainer_samples_seen (session->trainer) - before,
                   session->state == LAB_SESSION_FINISHED ||
                   (session->state != LAB_SESSION_RUNNING && session->steps_pending == 0));
        }
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
  session->test_loss = session->test_accuracy = NAN;
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
  cmd->n = n;
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
  cmd->value = lr;
  return send (session, cmd);
}

guint64
lab_session_set_clip (LabSession  *session,
                      LabClipMode  mode,
                      double       value)
{
  LabCommand *cmd = cmd_new (CMD_SET_CLIP);
  cmd->mode = mode;
  cmd->value = value;
  return send (session, cmd);
}

guint64
lab_session_set_batch (LabSession *session,
                       guint       batch)
{
  LabCommand *cmd = cmd_new (CMD_SET_BATCH);
  cmd->n = batch;
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
  cmd->n = n_params;
  cmd->seed = (gint64) step;
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
  pthread_mutex_lock (&session->lock);
  session->heavy_interval_us = msec * 1000;
  pthread_mutex_unlock (&session->lock);
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
  lab_trainer_free (session->trainer);
  lab_config_clear (&session->cfg);
  g_free (session->error);
  g_free (session->grid_class);
  g_free (session->grid_conf);
  pthread_mutex_destroy (&session->lock);
  pthread_cond_destroy (&session->cond);
  g_free (session);
}
