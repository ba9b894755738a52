/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-snapshot.h: what the engine thread publishes to a consumer (the window, the CLI, a test).
 * A snapshot is refcounted and frozen once taken: the consumer reads it on its own thread
 * without locks. It carries:
 *  - the run's status (LabRunStatus: state, step, error, latest evaluation …), the same struct
 *    the session keeps, copied whole;
 *  - rows: every step's metrics since the previous take, none lost, in order;
 *  - heavy parts (LabHeavy: weights, masks, histograms, the decision-boundary grid), refreshed
 *    at most every ~16–33 ms, NULL in a snapshot that only carries rows;
 *  - the run's settings and data description, and for 2-D data its training points.
 *
 * A heavy snapshot describes its layers one by one (LabHeavyLayer): name, kind, matrix shape,
 * weights, mask. Plots ask for layer l (lab_heavy_layer()); they never compute offsets, and the
 * layers need not chain (a watched convolutional net, skips, branches).
 */
#pragma once

#include "lab-experiment.h"
#include "lab-histogram.h"
#include "lab-rowlog.h"
#include "lab-trainer.h"

G_BEGIN_DECLS

typedef enum
{
  LAB_SESSION_PAUSED,
  LAB_SESSION_RUNNING,
  LAB_SESSION_FINISHED,   /* the configured epochs/steps are done; play continues past them */
  LAB_SESSION_FAILED,     /* diverged or a command failed; see error */
} LabSessionState;

/* Where a watched run directory stands (lab-watch.h); NONE for a session's own run. */
typedef enum
{
  LAB_WATCH_NONE,            /* not a watched run */
  LAB_WATCH_WAITING,         /* no usable run.ini yet (error says why when it was refused) */
  LAB_WATCH_LIVE,            /* the writer's status is running and rows arrive */
  LAB_WATCH_STALLED,         /* the status says running, but no row came for a long while */
  LAB_WATCH_ENDED,           /* the writer finished or failed (state says which) */
  LAB_WATCH_GONE,            /* the directory disappeared; what was read stays */
  LAB_WATCH_SECOND_WRITER,   /* another writer took the directory over; what was read stays */
} LabWatchState;

#define LAB_STATUS_ERROR_MAX 512

typedef enum
{
  LAB_EXPERIMENT_NONE,
  LAB_EXPERIMENT_SWEEP,
  LAB_EXPERIMENT_LOTTERY,
} LabExperimentKind;

/* A sweep or lottery a session runs on a copy of its run (lab_session_run_sweep()). */
typedef struct
{
  LabExperimentKind     kind;        /* NONE: no experiment has run in this run */
  guint64               serial;      /* the command that started it */
  gboolean              running;
  gboolean              cancelled;   /* stopped by lab_session_cancel_experiment(): the points
                                      * and rounds finished before it stay */
  gboolean              failed;      /* the message is the status's error (error_serial = serial) */
  LabExperimentProgress progress;
  double                elapsed;     /* seconds since it started */
  double                remaining;   /* estimated seconds left, NaN until it can be told */
  double                dense_accuracy;  /* the unpruned network's test numbers, NaN until known */
  double                dense_loss;
} LabExperimentStatus;

/* Where a run stands. The session keeps one and copies it whole into every snapshot. */
typedef struct
{
  LabSessionState state;
  char            error[LAB_STATUS_ERROR_MAX];  /* when FAILED or a command failed, else "" */
  int             error_code;      /* its LabEngineError code */
  guint64         error_serial;    /* serial of the command that failed, 0 = the run failed */
  guint64         acked;           /* serial of the last command applied */
  guint64         step;
  guint           epoch;
  guint64         total_steps;
  double          samples_per_sec;
  double          worker_cpu;      /* CPU seconds the engine thread had used when announced */
  guint64         eval_step;       /* step of the latest test evaluation (0 = none yet) */
  double          test_loss;
  double          test_accuracy;
  LabPruneReport  prune;           /* the latest pruning (n_layers 0 = none) */
  guint           prune_serial;    /* changes whenever a pruning happened */
  LabExperimentStatus experiment;

  /* a watched run directory only (lab-watch.h); a session leaves these zero */
  LabWatchState   watch;
  gint64          last_row_time;   /* g_get_monotonic_time () when the newest row was written
                                    * (estimated from the file), 0 = no row yet */
  guint           rank;            /* the writer's rank of world_size (DDP: 0 of 1 otherwise) */
  guint           world_size;
  guint64         rows_skipped;    /* lines of rows.jsonl that could not be used (error: why) */
} LabRunStatus;

/* Keeps @message (with its LabEngineError @code and the serial of the command that failed, 0
 * for the run) in @status; a long message is cut at a character boundary. */
void         lab_run_status_set_error (LabRunStatus *status,
                                       int           code,
                                       const char   *message,
                                       guint64       serial);

typedef enum
{
  LAB_LAYER_LINEAR,   /* z = x·Wᵀ + b, W (out, in) */
  LAB_LAYER_CONV,     /* a convolution; W is its (out, in·k…) matrix, as im2col sees it */
} LabLayerKind;

#define LAB_LAYER_NAME_MAX 64

/* One weight layer of a heavy snapshot: everything a plot may know about it. */
typedef struct
{
  char           name[LAB_LAYER_NAME_MAX];  /* "W1" … for our MLP; a watched model's module name */
  LabLayerKind   kind;
  gsize          rows;          /* outputs (conv: output channels) */
  gsize          cols;          /* inputs (conv: input channels × kernel size) */
  guint          kernel[3];     /* conv: the kernel's extent per spatial axis, 0 = unused */
  LabActivation  act;           /* the activation after this layer (LINEAR: none) */
  gboolean       act_known;     /* FALSE for a watched layer whose activation is not known */
  gboolean       skip;          /* a residual connection adds this layer's input to its output */
  float         *weight;        /* (rows, cols) row-major */
  float         *mask;          /* (rows, cols): 1 kept, 0 pruned; NULL = dense */
  float         *bias;          /* (rows), NULL = none */
  double         sparsity;      /* fraction of the weights that are pruned */
  LabHistogram   act_hist;      /* activations of the last batch */
  LabHistogram   grad_hist;     /* log10 |∂L/∂W| of the last step */

  /* Per-unit parts (lab-heavy-units.h), for the Network page; each NULL when not recorded
   * (a watched run, a step that did not record it, the wrong kind of data). */
  float         *unit_delta;    /* (rows) ‖δ_j‖₂ = √(Σ_b (∂L/∂z_bj)²) over the batch of step
                                 * heavy->delta_step: the back-propagated error signal reaching
                                 * output unit j. Σ_j unit_delta² = ‖δ_l‖² of that step's row */
  float         *weight_grad;   /* (rows, cols) ∂L/∂W of the last step as the optimiser applied
                                 * it (masked, clipped); only when asked
                                 * (LAB_HEAVY_PART_WEIGHT_GRADS) */
  float         *unit_maps;     /* 2-D data: (rows, map_n, map_n) each unit's output a_j over the
                                 * plane (see heavy->map_n) */
  float         *probe_act;     /* other data: (rows) each unit's output a_j on the probe sample
                                 * (heavy->probe_index) */
} LabHeavyLayer;

typedef struct _LabHeavy LabHeavy;

#define LAB_HEAVY_CAPTION_MAX 96

struct _LabHeavy
{
  guint64        step;          /* the step these were taken after */
  char           caption[LAB_HEAVY_CAPTION_MAX];  /* "" for the run's own network; else what
                                                   * this is ("magnitude, 80 % (a pruned copy)") */
  guint          n_layers;
  LabHeavyLayer *layers;        /* (n_layers): use lab_heavy_layer() */
  guint          img_w, img_h;  /* the input is an image of this size, else 0 */

  /* 2-D data only (grid_n = 0 otherwise): the model's prediction over [grid_lo, grid_hi]² */
  guint          grid_n;        /* grid is grid_n × grid_n */
  float          grid_lo, grid_hi;
  guint8        *grid_class;    /* (grid_n²) argmax class, row-major, y up */
  float         *grid_conf;     /* (grid_n²) max softmax probability */

  /* Per-unit parts beside the layers' views (lab-heavy-units.h) */
  guint64        delta_step;    /* the step whose backward pass gave unit_delta (0: none) */
  guint          map_n;         /* 2-D data: unit maps are map_n × map_n cells over */
  float          map_lo, map_hi;/* [map_lo, map_hi]², row-major, y up; cell (r, c) is the mean
                                 * of the decision grid's cells (2r … 2r+1, 2c … 2c+1) */
  gssize         probe_index;   /* the test sample probe_act is measured on, −1 = none */
  guint          probe_label;   /* its class */
  float         *probe_input;   /* (layers[0].cols) its input as the network sees it */

  /* Engine only (saving a run): the flat blocks the layer views point into, in the layout of
   * the network that made them (LabMlp's for our own runs). Plots never read these. */
  gsize          n_params;
  float         *params;        /* (n_params) */
  float         *mask;          /* (n_params), NULL = dense */
  gsize          sizes[LAB_MAX_LAYERS + 1];  /* our MLP's widths, n_layers + 1 of them */
  float         *grads;         /* (n_params) the block the weight_grad views point into */
  float         *delta_block;   /* (Σ rows) the unit_delta views' block */
  float         *maps_block;    /* (Σ rows × map_n²) the unit_maps views' block */
  float         *probe_block;   /* (Σ rows) the probe_act views' block */
};

typedef struct
{
  guint           run_id;        /* changes on reset / rebuild: data of other runs is stale */
  LabRunStatus    status;
  LabRowLog      *rows;          /* the rows since the previous take, in order (packed to the
                                  * run's depth: lab_row_log_get () each) */
  guint64         rows_dropped;  /* rows a consumer that stopped taking never saw (see session) */
  GArray         *sweep_points;  /* LabSweepRow an experiment finished since the previous take */
  GArray         *lottery_rounds;  /* LabLotteryRound, likewise */
  LabHeavy       *heavy;         /* may be NULL */
  LabConfig       config;        /* settings of this run (for the UI to show) */
  char           *data_name;
  gsize           n_train, n_test;
  guint           n_classes;
  /* 2-D data only: the training points (x, y, label), sent with the first snapshot of a run */
  gsize           n_points;
  float          *points;        /* (n_points, 2) */
  guint8         *point_labels;  /* (n_points) */
  /* a watched run: its manifest, in the first snapshot of the watch and again whenever it
   * changes; NULL otherwise */
  LabRunManifest *manifest;
} LabSnapshot;

/* An empty snapshot (rows allocated, status and everything else zero/NULL). */
LabSnapshot *lab_snapshot_new   (void);
LabSnapshot *lab_snapshot_ref   (LabSnapshot *snap);
void         lab_snapshot_unref (LabSnapshot *snap);
/* The status's error message, or NULL when there is none. */
const char  *lab_snapshot_error (const LabSnapshot *snap);

/* A heavy snapshot of @n_layers layers over flat blocks of @n_params floats (and a mask of as
 * many when @masked), all zero; fill the layers with lab_heavy_set_layer(). */
LabHeavy    *lab_heavy_new      (guint        n_layers,
                                 gsize        n_params,
                                 gboolean     masked);
void         lab_heavy_free     (LabHeavy    *heavy);
/* Points layer @l at its weights (rows × cols at @w_off in the flat blocks) and its bias (rows
 * at @b_off, or none when @b_off is -1), and names it. Shape, kind and activation: the caller
 * fills the rest of the returned layer. */
LabHeavyLayer *lab_heavy_set_layer (LabHeavy   *heavy,
                                    guint       l,
                                    const char *name,
                                    gsize       rows,
                                    gsize       cols,
                                    gsize       w_off,
                                    gssize      b_off);
/* A heavy snapshot of a chain of @n_layers linear layers, sizes[0] → sizes[1] → … →
 * sizes[n_layers], laid out as LabMlp lays out its parameters (W_l then b_l, layer by layer):
 * layers named W1, W2 …, all zero, a mask of ones when @masked, no activations. */
LabHeavy    *lab_heavy_new_chain (guint        n_layers,
                                  const gsize *sizes,
                                  gboolean     masked);
/* Layer @l (< n_layers). */
const LabHeavyLayer *lab_heavy_layer (const LabHeavy *heavy,
                                      guint           l);
/* The weights of layer @l as a view (rows, cols), as lab_mlp_weight() gives them. */
LabView      lab_heavy_weight   (const LabHeavy *heavy,
                                 guint           l);
/* The mask of layer @l as a view; data NULL when the layer is dense. */
LabView      lab_heavy_mask     (const LabHeavy *heavy,
                                 guint           l);

/* The heavy parts of a training run right after a step: copies of @mlp's parameters and mask,
 * per-layer histograms of the workspace's activations for the last @last_batch rows and of the
 * gradients, the input image size of @data. No decision grid (see lab_heavy_set_grid()).
 * Reads @mlp's workspace, so call it before anything else runs the network. */
LabHeavy    *lab_heavy_new_from_mlp (const LabMlp     *mlp,
                                     const LabDataset *data,
                                     gsize             last_batch,
                                     guint64           step);
/* The fraction of zeros in mask[0..n) (0 for a NULL mask): a layer's sparsity. */
double       lab_mask_sparsity  (const float  *mask,
                                 gsize         n);
/* Attaches a copy of a decision grid of @n × @n cells over [lo, hi]². */
void         lab_heavy_set_grid (LabHeavy     *heavy,
                                 guint         n,
                                 float         lo,
                                 float         hi,
                                 const guint8 *grid_class,
                                 const float  *grid_conf);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LabSnapshot, lab_snapshot_unref)

G_END_DECLS
