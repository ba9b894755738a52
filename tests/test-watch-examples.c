/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * test-watch-examples.c: the window watching the PyTorch examples, offscreen under Xvfb. Each
 * of examples/pytorch/{mlp,cnn,pruned,ddp}.py runs as a subprocess while a window watches its
 * run directory from before it exists; the window must see the run live (rows while the writer
 * still writes), then finished; a second window opens the finished directory. In both, every
 * plot the data feeds draws it, checked against the run directory read independently by the
 * engine's LabRunReader: the history holds every training row and the evaluations every test
 * row; the gradient-norm plot has a last point per layer, the flow plot a bar per layer, the
 * loss plot a last point, the activation plot a note per hidden layer; the heatmaps a
 * rectangle per layer and the sparsity plot the heavy snapshot's sparsity (the pruned model's
 * masks), the network view its graph (the CNN is no chain: none); the manifest panel lists the
 * layers; the status line says finished (and a DDP run's rank). Skipped when /usr/bin/python3
 * cannot import torch or Fashion-MNIST is missing. (test-watch-window: the states and controls
 * on hand-written run directories.)
 */
#define G_LOG_DOMAIN "test-watch-examples"

#include "config.h"

#include <math.h>
#include <string.h>
#include <gtk/gtk.h>

#include "lab-act-plot.h"
#include "lab-flow-plot.h"
#include "lab-grad-plot.h"
#include "lab-loss-plot.h"
#include "lab-net-graph.h"
#include "lab-network-view.h"
#include "lab-run-reader.h"
#include "lab-sparsity-plot.h"
#include "lab-test-ui.h"
#include "lab-test-utils.h"
#include "lab-weights-view.h"
#include "lab-window-watch.h"

#define TIMEOUT_MS (120 * 1000)

/* The window's plot of @type (the first in tree order: the Gradients page's plots come before
 * the Pruning page's). */
static GtkWidget *
plot (LabWindow *win,
      GType      type)
{
  GtkWidget *w = lab_test_find_widget (GTK_WIDGET (win), type);

  g_assert_nonnull (w);
  return w;
}

/* ------------------------------------------------------------------------------------------ */
/* What the run directory holds, read by the engine alone                                      */

typedef struct
{
  LabRunManifest *manifest;
  guint64         rows;
  guint64         train_rows;   /* rows with gradient statistics */
  guint64         eval_rows;    /* rows with a test evaluation */
  guint64         last_step;
  double          last_sparsity;
  LabHeavy       *heavy;        /* the newest heavy snapshot */
} RunFacts;

static void
run_facts_read (RunFacts   *facts,
                const char *dir)
{
  g_autoptr(LabRunReader) reader = lab_run_reader_new (dir);
  g_autoptr(LabRowLog) rows = lab_row_log_new (0);
  LabStepStats *st = g_new0 (LabStepStats, 1);
  LabRunPoll poll;

  memset (facts, 0, sizeof *facts);
  do
    {
      lab_run_reader_poll (reader, G_MAXUINT, rows, &poll);
      if (poll.heavy != NULL)
        {
          lab_heavy_free (facts->heavy);
          facts->heavy = poll.heavy;
        }
    }
  while (lab_run_reader_state (reader)->more);
  g_assert_cmpint (lab_run_reader_state (reader)->watch, ==, LAB_WATCH_ENDED);
  g_assert_cmpint (lab_run_reader_state (reader)->state, ==, LAB_SESSION_FINISHED);
  facts->manifest = lab_run_manifest_copy (lab_run_reader_manifest (reader));
  for (gsize i = 0; i < lab_row_log_len (rows); i++)
    {
      lab_row_log_get (rows, i, st);
      facts->eval_rows += isfinite (st->test_loss);
      if (isfinite (st->grad_norm))
        {
          facts->train_rows++;
          facts->last_sparsity = st->sparsity;
        }
      facts->last_step = st->step;
      facts->rows++;
    }
  g_free (st);
  g_assert_nonnull (facts->heavy);
}

static void
run_facts_clear (RunFacts *facts)
{
  g_clear_pointer (&facts->manifest, lab_run_manifest_free);
  g_clear_pointer (&facts->heavy, lab_heavy_free);
}

/* ------------------------------------------------------------------------------------------ */
/* Every fed plot draws                                                                       */

typedef struct
{
  LabWindow      *win;
  const RunFacts *facts;
} Drawn;

static gboolean
gradients_drawn (gpointer data)
{
  Drawn *d = data;
  guint n = d->facts->manifest->n_layers;
  LabGradPlot *grad = LAB_GRAD_PLOT (plot (d->win, LAB_TYPE_GRAD_PLOT));
  LabFlowPlot *flow = LAB_FLOW_PLOT (plot (d->win, LAB_TYPE_FLOW_PLOT));
  LabActPlot *act = LAB_ACT_PLOT (plot (d->win, LAB_TYPE_ACT_PLOT));
  LabLossPlot *loss = LAB_LOSS_PLOT (plot (d->win, LAB_TYPE_LOSS_PLOT));

  for (guint l = 0; l < n; l++)
    if (!isfinite (lab_grad_plot_get_last_y (grad, l)) ||
        !isfinite (lab_flow_plot_get_value (flow, l)))
      return FALSE;
  /* the activation plot has a strip per hidden layer */
  for (guint l = 0; l + 1 < n; l++)
    if (lab_act_plot_get_note (act, l) == NULL)
      return FALSE;
  return isfinite (lab_flow_plot_get_ratio (flow)) &&
         isfinite (lab_loss_plot_get_last_loss_y (loss));
}

static gboolean
pruning_drawn (gpointer data)
{
  Drawn *d = data;
  LabWeightsView *weights = LAB_WEIGHTS_VIEW (lab_test_child (d->win, "weights_view"));
  LabSparsityPlot *sparsity = LAB_SPARSITY_PLOT (plot (d->win, LAB_TYPE_SPARSITY_PLOT));
  const LabHeavy *heavy = d->facts->heavy;
  graphene_rect_t rect;

  for (guint l = 0; l < heavy->n_layers; l++)
    if (!lab_weights_view_get_layer_rect (weights, l, &rect) ||
        !lab_test_close (lab_sparsity_plot_get_layer_sparsity (sparsity, l),
                         lab_heavy_layer (heavy, l)->sparsity, 1e-6, 1e-9))
      return FALSE;
  return TRUE;
}

static gboolean
network_drawn (gpointer data)
{
  Drawn *d = data;
  const LabNetGraph *g = lab_network_view_get_graph (LAB_NETWORK_VIEW (lab_test_child (d->win,
                                                                            "network_view")));

  return g != NULL && g->n_columns == d->facts->manifest->n_layers + 1;
}

static guint64
histogram_total (const LabHistogram *h)
{
  guint64 n = 0;

  for (guint i = 0; i < LAB_HIST_BINS; i++)
    n += h->count[i];
  return n;
}

/* The plot model against the run directory, then each page drawn from it. */
static void
assert_fed (LabWindow      *win,
            const RunFacts *facts,
            gboolean        chain)
{
  LabPlotModel *model = lab_window_get_plot_model (win);
  LabManifestPanel *panel = lab_window_get_manifest_panel (win);
  const LabRunManifest *m = facts->manifest;
  const LabStepStats *row = lab_plot_model_get_last_row (model);
  LabSnapshot *heavy = lab_plot_model_get_heavy (model);
  g_autofree char *line = NULL;
  Drawn drawn = { win, facts };

  g_assert_cmpuint (lab_history_n_layers (lab_plot_model_get_history (model)), ==, m->n_layers);
  /* every row in the log (for export), only the training rows in the plotted history */
  g_assert_cmpuint (lab_row_log_len (lab_plot_model_get_row_log (model)), ==, facts->rows);
  g_assert_cmpuint (lab_history_len (lab_plot_model_get_history (model)), ==, facts->train_rows);
  g_assert_cmpuint (lab_plot_model_get_evals (model)->len, ==, facts->eval_rows);
  g_assert_cmpuint (lab_plot_model_get_latest (model)->status.step, ==, facts->last_step);
  for (guint l = 0; l < m->n_layers; l++)
    {
      g_assert_cmpfloat (row->layer[l].grad_norm, >, 0);
      g_assert_true (isfinite (row->layer[l].delta_norm));
      g_assert_cmpfloat (row->layer[l].weight_norm, >, 0);
      g_assert_cmpstr (lab_manifest_panel_get_cell (panel, l, 0), ==, m->layers[l].name);
    }
  g_assert_null (lab_manifest_panel_get_cell (panel, m->n_layers, 0));

  /* the newest heavy snapshot: weights, masks and histograms as written */
  g_assert_nonnull (heavy);
  g_assert_cmpuint (heavy->heavy->step, ==, facts->heavy->step);
  g_assert_cmpuint (heavy->heavy->n_layers, ==, m->n_layers);
  for (guint l = 0; l < m->n_layers; l++)
    {
      const LabHeavyLayer *got = lab_heavy_layer (heavy->heavy, l);
      const LabHeavyLayer *want = lab_heavy_layer (facts->heavy, l);

      g_assert_cmpuint (got->rows, ==, m->layers[l].rows);
      g_assert_cmpuint (got->cols, ==, m->layers[l].cols);
      g_assert_cmpmem (got->weight, got->rows * got->cols * sizeof (float),
                       want->weight, want->rows * want->cols * sizeof (float));
      g_assert_true ((got->mask == NULL) == (want->mask == NULL));
      g_assert_cmpfloat (got->sparsity, ==, want->sparsity);
      g_assert_cmpuint (histogram_total (&got->act_hist), >, 0);
    }

  g_assert_cmpstr (lab_test_label_text (win, "state_label"), ==, "Finished");
  g_assert_true (gtk_widget_has_css_class (lab_test_child (win, "state_label"), "finished"));
  line = g_strdup_printf ("Watching run · step %" G_GUINT64_FORMAT " · last row ",
                          facts->last_step);
  g_assert_true (g_str_has_prefix (lab_test_label_text (win, "step_label"), line));

  lab_window_set_page (win, "gradients");
  lab_test_iterate_until (gradients_drawn, &drawn, TIMEOUT_MS, "the gradients page drawn");
  lab_window_set_page (win, "pruning");
  lab_test_iterate_until (pruning_drawn, &drawn, TIMEOUT_MS, "the pruning page drawn");
  lab_window_set_page (win, "network");
  if (chain)
    lab_test_iterate_until (network_drawn, &drawn, TIMEOUT_MS, "the network page drawn");
  else
    {
      /* a convolution does not chain to the next layer's units: no columns, the view says so */
      const LabNetGraph *g;

      lab_test_iterate_for (200);
      g = lab_network_view_get_graph (LAB_NETWORK_VIEW (lab_test_child (win, "network_view")));
      g_assert_true (g == NULL || g->n_columns == 0);
    }
  lab_window_set_page (win, "gradients");
}

/* ------------------------------------------------------------------------------------------ */
/* The PyTorch examples, live and finished                                                    */

typedef struct
{
  const char *script;
  guint       n_layers;
  gboolean    chain;      /* the network view draws it */
  gboolean    pruned;
  guint       world_size;
  const char *samples;      /* NULL: its default. ddp's 4096 are 32 steps, over before a watch
                             * sees them come, and short of its first heavy snapshot at 50 */
} Example;

static const Example examples[] = {
  { "mlp.py", 3, TRUE, FALSE, 1, NULL },
  { "cnn.py", 4, FALSE, FALSE, 1, NULL },
  { "pruned.py", 3, TRUE, TRUE, 1, NULL },
  { "ddp.py", 3, TRUE, FALSE, 2, "16384" },
};

typedef struct
{
  LabWindow *win;
  guint      live_changes;    /* snapshots applied while the writer wrote, with rows */
  gboolean   exited;
  gboolean   ok;
  GError    *error;
} Live;

static void
on_live_changed (LabPlotModel *model,
                 Live         *live)
{
  LabSnapshot *snap = lab_plot_model_get_latest (model);
  LabHistory *h = lab_plot_model_get_history (model);

  if (snap != NULL && snap->status.watch == LAB_WATCH_LIVE && h != NULL &&
      lab_history_len (h) > 0 && !live->exited)
    live->live_changes++;
}

static void
on_exited (GObject      *source,
           GAsyncResult *result,
           gpointer      data)
{
  Live *live = data;

  live->ok = g_subprocess_wait_check_finish (G_SUBPROCESS (source), result, &live->error);
  live->exited = TRUE;
}

static gboolean
live_done (gpointer data)
{
  Live *live = data;

  return live->exited && (!live->ok || lab_test_watch_ended (live->win));
}

/* Runs @ex writing @dir while @win watches it, until both are done; fails with the example's
 * output if it fails. Returns how many snapshots with rows the window applied while the run
 * was live. */
static guint
run_watched (const Example *ex,
             const char    *dir,
             LabWindow     *win)
{
  g_autofree char *log_path = g_strconcat (dir, ".log", NULL);
  g_autofree char *script = g_build_filename (g_test_get_dir (G_TEST_DIST), "..", "examples",
                                              "pytorch", ex->script, NULL);
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) proc = NULL;
  g_auto(GStrv) envp = lab_test_python_environ ();
  g_autoptr(GError) error = NULL;
  Live live = { win };

  g_signal_connect (lab_window_get_plot_model (win), "changed", G_CALLBACK (on_live_changed),
                    &live);
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDERR_MERGE);
  g_subprocess_launcher_set_environ (launcher, envp);
  g_subprocess_launcher_set_stdout_file_path (launcher, log_path);
  /* one torch thread: the suite runs two tests at a time on what may be two cores */
  proc = g_subprocess_launcher_spawn (launcher, &error, LAB_TEST_PYTHON, script, dir,
                                      "--threads", "1", ex->samples ? "--samples" : NULL,
                                      ex->samples, NULL);
  g_assert_no_error (error);
  g_subprocess_wait_check_async (proc, NULL, on_exited, &live);
  lab_test_iterate_until (live_done, &live, TIMEOUT_MS,
                          "the example to finish and the window to see it end");
  if (!live.ok)
    {
      g_autofree char *log = NULL;

      g_file_get_contents (log_path, &log, NULL, NULL);
      g_error ("%s failed: %s\n%s", ex->script, live.error->message, log ? log : "");
    }
  g_signal_handlers_disconnect_by_data (lab_window_get_plot_model (win), &live);
  g_clear_error (&live.error);
  return live.live_changes;
}

static void
test_example (gconstpointer data)
{
  const Example *ex = data;
  g_autofree char *tmp = NULL;
  g_autofree char *dir = NULL;
  LabWindow *win;
  RunFacts facts;
  guint64 rows_live;
  guint live_changes;

  if (!lab_test_have_torch ())
    {
      g_test_skip (LAB_TEST_PYTHON " cannot import torch");
      return;
    }
  if (!lab_test_have_fashion_mnist ())
    {
      g_test_skip ("the examples train on Fashion-MNIST, which is not installed");
      return;
    }
  tmp = lab_test_mkdtemp ();
  dir = g_build_filename (tmp, "run", NULL);

  /* the window first, on a directory that is not there yet: it waits for the writer */
  win = lab_test_watch_window (dir);
  g_assert_cmpstr (lab_test_label_text (win, "state_label"), ==, "Waiting for the writer");
  live_changes = run_watched (ex, dir, win);
  g_test_message ("%s: %u snapshots with rows applied while the writer wrote", ex->script,
                  live_changes);
  /* seen while being written, not only once finished */
  g_assert_cmpuint (live_changes, >, 0);

  run_facts_read (&facts, dir);
  g_assert_cmpuint (facts.manifest->n_layers, ==, ex->n_layers);
  g_assert_cmpuint (facts.manifest->world_size, ==, ex->world_size);
  assert_fed (win, &facts, ex->chain);
  if (ex->world_size > 1)
    {
      g_autofree char *rank = g_strdup_printf ("rank 0 of %u", ex->world_size);
      g_assert_nonnull (strstr (lab_test_label_text (win, "step_label"), rank));
    }
  if (ex->pruned)
    {
      /* torch.nn.utils.prune's masks reach the heatmaps: 80 % of the weights pruned */
      g_assert_cmpfloat_with_epsilon (facts.last_sparsity, 0.8, 1e-3);
      for (guint l = 0; l < facts.heavy->n_layers; l++)
        g_assert_nonnull (lab_heavy_layer (facts.heavy, l)->mask);
      g_assert_cmpstr (lab_test_label_text (win, "prune_summary"), ==,
                       "Pruned: 80.0 % of all weights are zero");
    }
  rows_live = lab_history_len (lab_test_history (win));
  lab_test_close_window (win);

  /* the same directory opened once finished */
  win = lab_test_watch_window (dir);
  lab_test_iterate_until (lab_test_watch_ended, win, TIMEOUT_MS, "the finished run read");
  assert_fed (win, &facts, ex->chain);
  g_assert_cmpuint (lab_history_len (lab_test_history (win)), ==, rows_live);
  lab_test_close_window (win);

  run_facts_clear (&facts);
  lab_test_rmdir (tmp);
}

int
main (int   argc,
      char *argv[])
{
  if (!lab_test_init_ui (&argc, &argv))
    return g_test_run ();
  for (guint i = 0; i < G_N_ELEMENTS (examples); i++)
    {
      g_autofree char *name = g_strndup (examples[i].script, strlen (examples[i].script) - 3);
      g_autofree char *path = g_strdup_printf ("/ui/watch-examples/%s", name);

      g_test_add_data_func (path, &examples[i], test_example);
    }
  return g_test_run ();
}
