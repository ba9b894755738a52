/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-plot-model.c: the data every plot draws from. The window feeds it the session's
 * snapshots on the main thread; it keeps a decimating LabHistory of every row, the test
 * evaluations, the newest snapshot and the newest one carrying heavy parts, the 2-D training
 * points, and the experiment results (sweep points, lottery rounds), and emits ::changed once
 * per applied snapshot.
 */
#define G_LOG_DOMAIN "lab-plot-model"

#include "config.h"

#include <math.h>
#include <string.h>

#include "lab-plot-model.h"
#include "lab-run-manifest.h"

#define HISTORY_RECENT 2000
#define HISTORY_BUDGET 8000

struct _LabPlotModel
{
  GObject       parent_instance;

  guint         run_id;
  gboolean      have_run;
  LabHistory   *history;       /* NULL until the first row */
  LabRowLog    *row_log;       /* every row of the run; NULL until the first */
  LabRowLog    *restore_rows;  /* lab_plot_model_restore_run(): waits for the run that */
  guint64       restore_serial;  /* acks this serial */
  LabEvalPoint  restore_eval;
  GArray       *evals;         /* LabEvalPoint */
  LabSnapshot  *latest;
  LabSnapshot  *heavy;
  float        *points;        /* (n_points, 2) */
  guint8       *point_labels;  /* (n_points) */
  gsize         n_points;
  LabExperimentResults results;
  guint64       experiment;    /* serial of the experiment whose results these are */
  LabStepStats *last_row;      /* the latest row of training statistics (step 0: none) */
  LabStepStats *next_row;      /* where the next row is read; it becomes last_row unless it only
                                * carries a test evaluation */
  LabLayerSelection *selection;
  gboolean      names_from_manifest;  /* a watched run's full names: heavy ones are cut short */
};

G_DEFINE_FINAL_TYPE (LabPlotModel, lab_plot_model, G_TYPE_OBJECT)

enum
{
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
clear_run_data (LabPlotModel *self)
{
  if (self->history != NULL)
    lab_history_clear (self->history, lab_history_n_layers (self->history));
  if (self->row_log != NULL)
    lab_row_log_clear (self->row_log, lab_row_log_n_layers (self->row_log));
  g_array_set_size (self->evals, 0);
  g_clear_pointer (&self->latest, lab_snapshot_unref);
  g_clear_pointer (&self->heavy, lab_snapshot_unref);
  g_clear_pointer (&self->points, g_free);
  g_clear_pointer (&self->point_labels, g_free);
  self->n_points = 0;
  memset (self->last_row, 0, sizeof *self->last_row);
}

static void
lab_plot_model_finalize (GObject *object)
{
  LabPlotModel *self = LAB_PLOT_MODEL (object);

  clear_run_data (self);
  g_clear_pointer (&self->history, lab_history_free);
  g_clear_pointer (&self->row_log, lab_row_log_free);
  g_clear_pointer (&self->restore_rows, lab_row_log_free);
  g_clear_pointer (&self->evals, g_array_unref);
  lab_experiment_results_clear (&self->results);
  g_clear_object (&self->selection);
  g_free (self->last_row);
  g_free (self->next_row);

  G_OBJECT_CLASS (lab_plot_model_parent_class)->finalize (object);
}

static void
lab_plot_model_class_init (LabPlotModelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = lab_plot_model_finalize;

  /**
   * LabPlotModel::changed:
   *
   * Emitted once after a snapshot was applied, the model was cleared or experiment results
   * were added or set, and when the layer selection changed.
   */
  signals[CHANGED] = g_signal_new ("changed",
                                   G_TYPE_FROM_CLASS (klass),
                                   G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL,
                                   G_TYPE_NONE, 0);
}

static void
on_selection_changed (LabPlotModel *self)
{
  g_signal_emit (self, signals[CHANGED], 0);
}

static void
lab_plot_model_init (LabPlotModel *self)
{
  self->evals = g_array_new (FALSE, FALSE, sizeof (LabEvalPoint));
  lab_experiment_results_init (&self->results);
  self->selection = lab_layer_selection_new ();
  g_signal_connect_swapped (self->selection, "changed", G_CALLBACK (on_selection_changed), self);
  self->last_row = g_new0 (LabStepStats, 1);
  self->next_row = g_new0 (LabStepStats, 1);
}

LabPlotModel *
lab_plot_model_new (void)
{
  return g_object_new (LAB_TYPE_PLOT_MODEL, NULL);
}

/* The history keeps three floats per layer and bucket: in the 8000 buckets of a small network
 * a 200-layer watched run would take 58 MB. A network deeper than ours gets fewer buckets, so
 * that it takes what 33 layers take (9.7 MB): still 1,340 at 200 layers, as many as the
 * gradient plot has pixel columns on a 1920-pixel screen. */
static LabHistory *
history_new (guint n_layers)
{
  guint budget = HISTORY_BUDGET, recent = HISTORY_RECENT;

  if (n_layers > LAB_MAX_LAYERS)
    {
      budget = (guint) ((guint64) HISTORY_BUDGET * (2 + 3 * LAB_MAX_LAYERS) / (2 + 3 * n_layers));
      recent = budget * HISTORY_RECENT / HISTORY_BUDGET;
    }
  return lab_history_new (n_layers, recent, budget);
}

static void
ensure_history (LabPlotModel *self,
                guint         n_layers)
{
  if (n_layers == 0)
    return;
  if (self->history == NULL || lab_history_n_layers (self->history) != n_layers)
    {
      g_clear_pointer (&self->history, lab_history_free);
      self->history = history_new (n_layers);
    }
  if (self->row_log == NULL)
    self->row_log = lab_row_log_new (n_layers);
  else if (lab_row_log_n_layers (self->row_log) != n_layers)
    lab_row_log_clear (self->row_log, n_layers);
}

/* The start of a new run that lab_plot_model_restore_run() announced: its saved rows and
 * evaluations go in first. */
static void
apply_restore (LabPlotModel *self)
{
  g_autoptr(LabRowLog) rows = g_steal_pointer (&self->restore_rows);
  gsize n = lab_row_log_len (rows);
  LabStepStats st;

  ensure_history (self, lab_row_log_n_layers (rows));
  for (gsize i = 0; i < n; i++)
    {
      lab_row_log_get (rows, i, &st);
      lab_history_append (self->history, &st);
      if (isfinite (st.test_loss))
        {
          LabEvalPoint p = { st.step, st.test_loss, st.test_accuracy };
          g_array_append_val (self->evals, p);
        }
      *self->last_row = st;
    }
  if (self->restore_eval.step > 0 &&
      (self->evals->len == 0 ||
       g_array_index (self->evals, LabEvalPoint, self->evals->len - 1).step <
       self->restore_eval.step))
    g_array_append_val (self->evals, self->restore_eval);
  /* the saved log (with its thinning state) becomes the run's log */
  g_clear_pointer (&self->row_log, lab_row_log_free);
  self->row_log = g_steal_pointer (&rows);
}

/* Adds a test evaluation if it is newer than the last one. */
static void
add_eval (LabPlotModel *self,
          guint64       step,
          double        loss,
          double        accuracy)
{
  LabEvalPoint p = { step, loss, accuracy };

  if (step == 0)
    return;
  if (self->evals->len > 0 &&
      step <= g_array_index (self->evals, LabEvalPoint, self->evals->len - 1).step)
    return;
  g_array_append_val (self->evals, p);
}

/* A row of a run directory that only reports a test evaluation after a step that had no row
 * of its own (docs/run-directory.md): its gradient statistics are not known. */
static gboolean
is_eval_only (const LabStepStats *row)
{
  return isfinite (row->test_loss) && isnan (row->grad_norm);
}

/* Appends the snapshot's rows to the history and the run's log. A watched run's rows carry its
 * test evaluations, several in a snapshot of a finished run read in one go: each is recorded
 * (a session's status carries its own). A row that only reports an evaluation goes to the log
 * but not to the plotted history, where it would be a gap in every gradient curve. */
static void
append_rows (LabPlotModel *self,
             LabSnapshot  *snap)
{
  gboolean watched = snap->status.watch != LAB_WATCH_NONE;
  guint n_layers;

  gsize n = snap->rows != NULL ? lab_row_log_len (snap->rows) : 0;

  if (n == 0)
    {
      if (snap->heavy != NULL)
        ensure_history (self, snap->heavy->n_layers);
      return;
    }
  n_layers = lab_row_log_n_layers (snap->rows);
  ensure_history (self, n_layers);

  for (gsize i = 0; i < n; i++)
    {
      /* read once, only its own layers, and kept by swapping the two buffers */
      LabStepStats *row = self->next_row;

      lab_row_log_get (snap->rows, i, row);
      if (watched && isfinite (row->test_loss))
        add_eval (self, row->step, row->test_loss, row->test_accuracy);
      if (self->history == NULL)
        continue;
      lab_row_log_append (self->row_log, row);
      if (is_eval_only (row))
        continue;
      lab_history_append (self->history, row);
      self->next_row = self->last_row;
      self->last_row = row;
    }
}

/* The layer selection follows the network: its depth from the rows, its names from a watched
 * run's manifest (whole) or the heavy snapshot (ours: W1 …, a watched run's cut to fit). */
static void
update_selection (LabPlotModel *self,
                  LabSnapshot  *snap)
{
  g_autofree const char **names = NULL;
  guint n = 0;

  if (snap->manifest != NULL && snap->manifest->n_layers > 0)
    {
      n = snap->manifest->n_layers;
      names = g_new (const char *, n);
      for (guint l = 0; l < n; l++)
        names[l] = snap->manifest->layers[l].name;
      self->names_from_manifest = TRUE;
    }
  else if (snap->heavy != NULL && snap->heavy->n_layers > 0 &&
           !(self->names_from_manifest &&
             snap->heavy->n_layers == lab_layer_selection_get_n_layers (self->selection)))
    {
      n = snap->heavy->n_layers;
      names = g_new (const char *, n);
      for (guint l = 0; l < n; l++)
        names[l] = snap->heavy->layers[l].name;
    }
  else if (snap->rows != NULL && lab_row_log_len (snap->rows) > 0 &&
           lab_row_log_n_layers (snap->rows) != lab_layer_selection_get_n_layers (self->selection))
    n = lab_row_log_n_layers (snap->rows);
  if (n > 0)
    lab_layer_selection_set_layers (self->selection, n, names);
}

/* Records the snapshot's test evaluation if it is a new one. */
static void
record_eval (LabPlotModel       *self,
             const LabRunStatus *st)
{
  add_eval (self, st->eval_step, st->test_loss, st->test_accuracy);
}

/* Keeps the snapshot as the latest (and the latest heavy one), and its 2-D points. */
static void
keep_snapshot (LabPlotModel *self,
               LabSnapshot  *snap)
{
  if (snap != self->latest)
    {
      g_clear_pointer (&self->latest, lab_snapshot_unref);
      self->latest = lab_snapshot_ref (snap);
    }
  if (snap->heavy != NULL && snap != self->heavy)
    {
      g_clear_pointer (&self->heavy, lab_snapshot_unref);
      self->heavy = lab_snapshot_ref (snap);
    }

  if (snap->n_points > 0 && snap->points != NULL)
    {
      g_free (self->points);
      g_free (self->point_labels);
      self->points = g_memdup2 (snap->points, snap->n_points * 2 * sizeof (float));
      self->point_labels = snap->point_labels != NULL
                           ? g_memdup2 (snap->point_labels, snap->n_points)
                           : g_malloc0 (snap->n_points);
      self->n_points = snap->n_points;
    }
}

/* The snapshot's experiment results: a new experiment replaces those of its kind, then its
 * finished points or rounds and the dense network's numbers are added. */
static void
record_experiment (LabPlotModel *self,
                   LabSnapshot  *snap)
{
  const LabExperimentStatus *ex = &snap->status.experiment;
  LabExperimentResults *r = &self->results;

  if (ex->kind == LAB_EXPERIMENT_NONE)
    return;
  if (ex->serial != self->experiment)
    {
      self->experiment = ex->serial;
      if (ex->kind == LAB_EXPERIMENT_SWEEP)
        lab_experiment_results_reset_sweep (r);
      else
        lab_experiment_results_reset_lottery (r);
    }
  g_array_append_vals (r->sweep, snap->sweep_points->data, snap->sweep_points->len);
  g_array_append_vals (r->lottery, snap->lottery_rounds->data, snap->lottery_rounds->len);
  if (ex->kind == LAB_EXPERIMENT_SWEEP && !isnan (ex->dense_accuracy))
    {
      r->sweep_dense_accuracy = ex->dense_accuracy;
      r->sweep_dense_loss = ex->dense_loss;
    }
  else if (ex->kind == LAB_EXPERIMENT_LOTTERY && !isnan (ex->dense_accuracy))
    {
      r->lottery_dense_accuracy = ex->dense_accuracy;
      r->lottery_dense_loss = ex->dense_loss;
    }
}

void
lab_plot_model_apply (LabPlotModel *self,
                      LabSnapshot  *snap)
{
  g_return_if_fail (LAB_IS_PLOT_MODEL (self));
  g_return_if_fail (snap != NULL);

  /* A new run id (reset/rebuild) starts over; sweep results survive, they compare runs. */
  if (!self->have_run || snap->run_id != self->run_id)
    {
      clear_run_data (self);
      self->run_id = snap->run_id;
      self->have_run = TRUE;
      self->names_from_manifest = FALSE;
      if (self->restore_rows != NULL && snap->status.acked >= self->restore_serial)
        apply_restore (self);
    }
  /* quietly: the one ::changed below covers it */
  g_signal_handlers_block_by_func (self->selection, on_selection_changed, self);
  update_selection (self, snap);
  g_signal_handlers_unblock_by_func (self->selection, on_selection_changed, self);
  append_rows (self, snap);
  record_eval (self, &snap->status);
  record_experiment (self, snap);
  keep_snapshot (self, snap);

  g_signal_emit (self, signals[CHANGED], 0);
}

void
lab_plot_model_clear (LabPlotModel *self)
{
  g_return_if_fail (LAB_IS_PLOT_MODEL (self));

  clear_run_data (self);
  lab_experiment_results_reset_sweep (&self->results);
  lab_experiment_results_reset_lottery (&self->results);
  self->have_run = FALSE;
  self->run_id = 0;
  g_signal_emit (self, signals[CHANGED], 0);
}

guint
lab_plot_model_get_run_id (LabPlotModel *self)
{
  g_return_val_if_fail (LAB_IS_PLOT_MODEL (self), 0);

  return self->run_id;
}

/**
 * lab_plot_model_get_history:
 *
 * Returns: (transfer none) (nullable): the metrics history, NULL before the first row.
 */
LabHistory *
lab_plot_model_get_history (LabPlotModel *self)
{
  g_return_val_if_fail (LAB_IS_PLOT_MODEL (self), NULL);

  return self->history;
}

/**
 * lab_plot_model_get_row_log:
 *
 * Returns: (transfer none) (nullable): every row of the current run, NULL before the first.
 */
LabRowLog *
lab_plot_model_get_row_log (LabPlotModel *self)
{
  g_return_val_if_fail (LAB_IS_PLOT_MODEL (self), NULL);

  return self->row_log;
}

void
lab_plot_model_restore_run (LabPlotModel *self,
                            guint64       serial,
                            LabRowLog    *rows,
                            guint64       eval_step,
                            double        test_loss,
                            double        test_accuracy)
{
  g_return_if_fail (LAB_IS_PLOT_MODEL (self));
  g_return_if_fail (rows != NULL);

  g_clear_pointer (&self->restore_rows, lab_row_log_free);
  self->restore_rows = rows;
  self->restore_serial = serial;
  self->restore_eval = (LabEvalPoint) { eval_step, test_loss, test_accuracy };
}

GArray *
lab_plot_model_get_evals (LabPlotModel *self)
{
  g_return_val_if_fail (LAB_IS_PLOT_MODEL (self), NULL);

  return self->evals;
}

LabSnapshot *
lab_plot_model_get_heavy (LabPlotModel *self)
{
  g_return_val_if_fail (LAB_IS_PLOT_MODEL (self), NULL);

  return self->heavy;
}

LabSnapshot *
lab_plot_model_get_latest (LabPlotModel *self)
{
  g_return_val_if_fail (LAB_IS_PLOT_MODEL (self), NULL);

  return self->latest;
}

gsize
lab_plot_model_get_points (LabPlotModel  *self,
                           const float  **xy,
                           const guint8 **labels)
{
  g_return_val_if_fail (LAB_IS_PLOT_MODEL (self), 0);

  if (xy != NULL)
    *xy = self->points;
  if (labels != NULL)
    *labels = self->point_labels;

  return self->n_points;
}

const LabStepStats *
lab_plot_model_get_last_row (LabPlotModel *self)
{
  g_return_val_if_fail (LAB_IS_PLOT_MODEL (self), NULL);

  return self->last_row;
}

void
lab_plot_model_add_sweep_rows (LabPlotModel      *self,
                               const LabSweepRow *rows,
                               guint              n_rows)
{
  g_return_if_fail (LAB_IS_PLOT_MODEL (self));
  g_return_if_fail (rows != NULL || n_rows == 0);

  g_array_append_vals (self->results.sweep, rows, n_rows);
  g_signal_emit (self, signals[CHANGED], 0);
}

void
lab_plot_model_add_sweep_point (LabPlotModel *self,
                                const char   *criterion,
                                double        sparsity,
                                double        accuracy)
{
  LabSweepRow row = { .sparsity = sparsity, .test_accuracy = accuracy, .test_loss = NAN,
                      .achieved_sparsity = NAN };

  g_return_if_fail (criterion != NULL);

  g_strlcpy (row.criterion, criterion, sizeof row.criterion);
  lab_plot_model_add_sweep_rows (self, &row, 1);
}

LabLayerSelection *
lab_plot_model_get_layer_selection (LabPlotModel *self)
{
  g_return_val_if_fail (LAB_IS_PLOT_MODEL (self), NULL);

  return self->selection;
}

GArray *
lab_plot_model_get_sweep (LabPlotModel *self)
{
  g_return_val_if_fail (LAB_IS_PLOT_MODEL (self), NULL);

  return self->results.sweep;
}

GArray *
lab_plot_model_get_lottery (LabPlotModel *self)
{
  g_return_val_if_fail (LAB_IS_PLOT_MODEL (self), NULL);

  return self->results.lottery;
}

const LabExperimentResults *
lab_plot_model_get_results (LabPlotModel *self)
{
  g_return_val_if_fail (LAB_IS_PLOT_MODEL (self), NULL);

  return &self->results;
}

void
lab_plot_model_set_results (LabPlotModel               *self,
                            const LabExperimentResults *results)
{
  g_return_if_fail (LAB_IS_PLOT_MODEL (self));
  g_return_if_fail (results != NULL);

  lab_experiment_results_clear (&self->results);
  lab_experiment_results_copy (&self->results, results);
  g_signal_emit (self, signals[CHANGED], 0);
}
