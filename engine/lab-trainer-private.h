/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-trainer-private.h: the trainer's state, shared by lab-trainer.c (the loop) and
 * lab-trainer-prune.c (the pruning schedule and lottery-ticket rewinding).
 */
#pragma once

#include "lab-prune.h"
#include "lab-rng.h"
#include "lab-trainer.h"

struct _LabTrainer
{
  LabConfig    cfg;
  LabDataset  *data;
  LabMlp      *mlp;
  LabOptim    *opt;

  LabRng       order_rng;
  guint32     *order;        /* (n_train) sample order of the current epoch */
  gsize        pos;          /* next position in order */
  guint        epoch;        /* 1-based current epoch */
  guint64      step;         /* steps taken */
  gsize        seen;         /* samples trained on */
  gint64       t0;

  guint        batch;
  gsize        last_rows;    /* rows of the last batch run forward (the workspace holds them) */
  double       lr;
  guint64      sched_origin; /* the step the lr schedule counts from (0, or a fine-tune's start) */
  guint64      sched_steps;  /* the steps it spans; 0 = the configured run */
  LabClipMode  clip_mode;
  double       clip_value;

  float       *xb;           /* (max_batch, dim) */
  guint32     *yb;           /* (max_batch) */
  float       *dlogits;      /* (max_batch, n_out) */

  /* pruning schedule (lab-trainer-prune.c) */
  float       *init_params;  /* (n_params) weights at step 0, for lottery-ticket rewinding */
  float       *rewind_params;/* (n_params) weights at prune.rewind_step, or NULL */
  guint        prune_round;  /* iterative rounds done */
  guint64      next_prune;   /* step at which the schedule prunes next, G_MAXUINT64 = never */
  LabPruneReport last_prune; /* what the last pruning removed */
};

/* Called before each step: prunes when the [prune] schedule says so. */
gboolean _lab_trainer_prune_schedule (LabTrainer *tr,
                                      GError    **error);
/* Sets up the schedule's state for a fresh run (after init or load). */
void     _lab_trainer_prune_init     (LabTrainer *tr);
void     _lab_trainer_prune_free     (LabTrainer *tr);
