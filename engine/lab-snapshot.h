/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-snapshot.h: what the engine thread publishes to a consumer (the window, the CLI, a test).
 * A snapshot is refcounted and frozen once taken: the consumer reads it on its own thread
 * without locks. Rows: every step's metrics since the previous take, none lost, in order.
 * Heavy parts (weights, masks, histograms, the decision-boundary grid) are refreshed at most
 * every ~16–33 ms and may be NULL in a snapshot that only carries rows.
 */
#pragma once

#include "lab-trainer.h"

G_BEGIN_DECLS

typedef enum
{
  LAB_SESSION_PAUSED,
  LAB_SESSION_RUNNING,
  LAB_SESSION_FINISHED,   /* the configured epochs/steps are done; play continues past them */
  LAB_SESSION_FAILED,     /* diverged or a command failed; see error */
} LabSessionState;

#define LAB_HIST_BINS 48

/* A histogram over [lo, hi) in LAB_HIST_BINS bins. Of a large layer only an evenly strided
 * sample of 4096 values is counted (the shape is what the plot shows). */
typedef struct
{
  float lo;
  float hi;
  guint count[LAB_HIST_BINS];
  guint nonfinite;   /* sampled values that were inf or NaN (an overflowing layer), not binned */
} LabHistogram;

typedef struct _LabHeavy LabHeavy;

struct _LabHeavy
{
  guint64       step;                        /* the step these were taken after */
  guint         n_layers;
  gsize         sizes[LAB_MAX_LAYERS + 1];
  gsize         w_off[LAB_MAX_LAYERS];
  gsize         b_off[LAB_MAX_LAYERS];
  gsize         n_params;
  float        *params;                      /* (n_params) copy */
  float        *mask;                        /* (n_params) copy, NULL = dense */
  LabHistogram  act_hist[LAB_MAX_LAYERS];    /* activations a_l of the last batch */
  LabHistogram  grad_hist[LAB_MAX_LAYERS];   /* log10 |∂L/∂W_l| of the last step */
  LabActivation act[LAB_MAX_LAYERS];
  guint         img_w, img_h;                /* input is an image of this size, else 0 */

  /* 2-D data only (grid_n = 0 otherwise): the model's prediction over [-1.5,1.5]² */
  guint         grid_n;                      /* grid is grid_n × grid_n */
  float         grid_lo, grid_hi;
  guint8       *grid_class;                  /* (grid_n²) argmax class, row-major, y up */
  float        *grid_conf;                   /* (grid_n²) max softmax probability */
};

typedef struct
{
  guint           run_id;        /* changes on reset / rebuild: drop data of other runs */
  LabSessionState state;
  char           *error;         /* message when FAILED (or a failed command), else NULL */
  int             error_code;    /* its LabEngineError code */
  guint64         error_serial;  /* serial of the command that failed, 0 = the run failed */
  guint64         acked;         /* serial of the last command applied */
  guint64         step;
  guint           epoch;
  guint64         total_steps;
  double          samples_per_sec;
  double          worker_cpu;    /* CPU seconds the engine thread had used when announced */
  GArray         *rows;          /* LabStepStats since the previous take, in order */
  guint64         rows_dropped;  /* rows a consumer that stopped taking never saw (see session) */
  guint64         eval_step;     /* step of the latest test evaluation (0 = none yet) */
  double          test_loss;
  double          test_accuracy;
  LabPruneReport  prune;         /* the latest pruning (n_layers 0 = none) */
  guint           prune_serial;  /* changes whenever a pruning happened */
  LabHeavy       *heavy;         /* may be NULL */
  LabConfig       config;        /* settings of this run (for the UI to show) */
  char           *data_name;
  gsize           n_train, n_test;
  guint           n_classes;
  /* 2-D data only: the training points (x, y, label), sent with the first snapshot of a run */
  gsize           n_points;
  float          *points;        /* (n_points, 2) */
  guint8         *point_labels;  /* (n_points) */
} LabSnapshot;

/* An empty snapshot (rows allocated, everything else zero/NULL); the session fills it. */
LabSnapshot *lab_snapshot_new   (void);
LabSnapshot *lab_snapshot_ref   (LabSnapshot *snap);
void         lab_snapshot_unref (LabSnapshot *snap);

LabHeavy    *lab_heavy_new      (void);
void         lab_heavy_free     (LabHeavy    *heavy);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LabSnapshot, lab_snapshot_unref)

G_END_DECLS
