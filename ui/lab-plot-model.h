/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-plot-model.h: what every plot draws from, fed by the window from the session's snapshots
 * on the main thread. It keeps the decimating metrics history, the test evaluations, the latest
 * heavy snapshot (weights, masks, histograms, decision grid), the 2-D training points, the
 * results of sweeps and lotteries and the layers the plots show (a LabLayerSelection,
 * following the network), and emits ::changed so plots queue a redraw. Plots never touch the
 * engine.
 */
#pragma once

#include <gtk/gtk.h>

#include "lab-experiment-results.h"
#include "lab-history.h"
#include "lab-layer-selection.h"
#include "lab-rowlog.h"
#include "lab-snapshot.h"

G_BEGIN_DECLS

#define LAB_TYPE_PLOT_MODEL (lab_plot_model_get_type ())
G_DECLARE_FINAL_TYPE (LabPlotModel, lab_plot_model, LAB, PLOT_MODEL, GObject)

/* One test evaluation. */
typedef struct
{
  guint64 step;
  double  loss;
  double  accuracy;
} LabEvalPoint;

LabPlotModel    *lab_plot_model_new             (void);

/* Applies a snapshot: one with a new run id (reset, rebuild) first clears the previous run's
 * data (sweep results stay: they compare runs); then appends its rows, records its evaluation
 * (a watched run's: every evaluation its rows carry), keeps its heavy part. The session never
 * sends an older run after a newer one, so there is nothing stale to drop. Emits ::changed
 * once. */
void             lab_plot_model_apply           (LabPlotModel *self,
                                                 LabSnapshot  *snap);
void             lab_plot_model_clear           (LabPlotModel *self);

guint            lab_plot_model_get_run_id      (LabPlotModel *self);
LabHistory      *lab_plot_model_get_history     (LabPlotModel *self);
/* Every row of the current run, unmerged (for export and run files); NULL before the first. */
LabRowLog       *lab_plot_model_get_row_log     (LabPlotModel *self);
/* A reopened run: the first new run (a snapshot with another run id) whose snapshot acks
 * command @serial (the one that starts it) starts with these rows (taken) and this evaluation
 * (eval_step 0: none) already in the history, as if it had produced them itself. A run that
 * began before the command (a new window's first run, late) does not take them. */
void             lab_plot_model_restore_run     (LabPlotModel *self,
                                                 guint64       serial,
                                                 LabRowLog    *rows,
                                                 guint64       eval_step,
                                                 double        test_loss,
                                                 double        test_accuracy);
/* Test evaluations so far (LabEvalPoint). */
GArray          *lab_plot_model_get_evals       (LabPlotModel *self);
/* The latest snapshot that carried heavy parts (or NULL); its ->heavy is set. */
LabSnapshot     *lab_plot_model_get_heavy       (LabPlotModel *self);
/* The newest snapshot of any kind (status line: state, step, samples/s …), or NULL. */
LabSnapshot     *lab_plot_model_get_latest      (LabPlotModel *self);
/* Training points of a 2-D set of the current run (or 0). */
gsize            lab_plot_model_get_points      (LabPlotModel *self,
                                                 const float  **xy,
                                                 const guint8 **labels);
/* Last row of training statistics received (step 0 if none): a watched run's rows that only
 * report a test evaluation are in the row log and the evaluations, not here or in the history. */
const LabStepStats *lab_plot_model_get_last_row (LabPlotModel *self);

/* Experiment results: a session's sweeps and lotteries arrive in its snapshots (a new
 * experiment replaces the results of its kind as it starts), a sweep CSV opened adds its rows,
 * a reopened run sets its own. They survive new runs: they compare runs. */
void             lab_plot_model_add_sweep_rows  (LabPlotModel      *self,
                                                 const LabSweepRow *rows,
                                                 guint              n_rows);
/* One point of a curve named @criterion: at @sparsity, test accuracy @accuracy. */
void             lab_plot_model_add_sweep_point (LabPlotModel *self,
                                                 const char   *criterion,
                                                 double        sparsity,
                                                 double        accuracy);
GArray          *lab_plot_model_get_sweep       (LabPlotModel *self);  /* of LabSweepRow */
GArray          *lab_plot_model_get_lottery     (LabPlotModel *self);  /* of LabLotteryRound */
const LabExperimentResults *lab_plot_model_get_results (LabPlotModel *self);
/* Replaces every result by a copy of @results (a reopened run's). */
void             lab_plot_model_set_results     (LabPlotModel               *self,
                                                 const LabExperimentResults *results);
/* The layers every plot of the model shows (transfer none; the model's for its lifetime). */
LabLayerSelection *lab_plot_model_get_layer_selection (LabPlotModel *self);

G_END_DECLS
