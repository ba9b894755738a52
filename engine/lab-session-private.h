/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-session-private.h: the session's struct and its commands, shared by lab-session.c (the
 * worker thread) and lab-session-commands.c (the public calls that queue commands).
 */
#pragma once

#include <pthread.h>

#include "lab-cadence.h"
#include "lab-experiment.h"
#include "lab-heavy-units.h"
#include "lab-mailbox.h"
#include "lab-session.h"

G_BEGIN_DECLS

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
  CMD_SWEEP,
  CMD_LOTTERY,
  CMD_SET_HEAVY_PARTS,
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
  LabSweepSpec  sweep;       /* SWEEP, its arrays pointing at: */
  LabPruneCriterion *criteria;   /*   (owned) */
  double       *sparsities;  /*   (owned) */
  LabLotterySpec lottery;    /* LOTTERY */
  LabHeavyParts heavy_parts; /* SET_HEAVY_PARTS: what heavy parts carry, */
  gssize        probe;       /*   and the probe sample (−1 = none) */
} LabCommand;

struct _LabSession
{
  GThread         *thread;

  LabMailbox      *mailbox;

  /* guarded by lock */
  pthread_mutex_t  lock;
  pthread_cond_t   cond;
  GQueue           commands;
  guint64          next_serial;
  double           max_rate;
  gboolean         pace_restart;   /* max_rate changed: pace from now, not from play */

  /* cross-thread, atomic */
  guint            heavy_interval_us;
  guint            heavy_every;     /* also after every this many steps (0 = by time only) */

  /* consumer side (its thread only) */
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
  gint64           last_heavy;
  gint64           last_wake;
  gint64           last_eval;
  gint64           last_grid;
  float           *grid_xy;        /* (GRID_N², 2) the cell centres, made once */
  guint8          *grid_class;     /* (GRID_N²) the latest decision grid, kept between refreshes */
  float           *grid_conf;
  LabUnitMaps     *unit_maps;      /* each unit's output over the grid (lab-heavy-units.h) */
  LabHeavyParts    heavy_parts;    /* asked for by the consumer (SET_HEAVY_PARTS) */
  gssize           probe;          /* the test sample heavy parts run through the network */
  guint64          delta_step;     /* the last step that recorded each unit's δ */
  LabRateMeter     meter;
  LabPacer         pacer;

  /* experiments (lab-session-experiment.c) */
  gint             cancel_experiment;  /* atomic: any thread sets it, the experiment stops */
  gint64           experiment_t0;
  gint64           experiment_posted;
};

LabCommand *_lab_command_new  (CmdKind     kind);
void        _lab_command_free (LabCommand *cmd);

/* A command that failed: reported (status error with its serial), but the run goes on. */
void        _lab_session_command_error (LabSession   *session,
                                        const GError *error,
                                        guint64       serial);
/* Posts @post with the session's run id and status (a new snapshot from the spare if needed)
 * and frees what the mailbox gives back. Worker thread. */
void        _lab_session_post (LabSession     *session,
                               LabMailboxPost *post,
                               gint64          now);
/* Runs the sweep or lottery of @cmd on a copy of the run, posting progress, points, rounds and
 * the copy being evaluated. Sets a command error when it cannot start or fails. Worker thread. */
void        _lab_session_run_experiment (LabSession *session,
                                         LabCommand *cmd);

G_END_DECLS
