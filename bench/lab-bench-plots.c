/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-bench-plots.c: what one frame of the Gradients page costs in the plots alone, without a
 * window manager, a training thread or a frame clock in the way. The four plots (gradient
 * norms, gradient flow, loss and accuracy, activation histograms) are allocated at the sizes
 * they get in a 1920×1080 window and fed a synthetic run (noisy like a real Fashion-MNIST
 * MLP: log-normal gradient norms, a spiky batch loss); then, per frame, one snapshot of new rows
 * is applied (with histograms every third frame, as the engine sends them every 100 ms) and
 * every plot is snapshotted and rendered with the Cairo renderer, as GSK_RENDERER=cairo does.
 * With "pruning" as third argument it does the same for the Pruning page's plots (the weight
 * heatmaps of a 784-300-100-10 network, rebuilt from new weights every frame as the window
 * does, the sparsity bars, loss and accuracy); with "network", the Network page's view of the
 * same network with its probe activations, new every frame. A fourth argument, a number of
 * layers (e.g. 200), makes the run a watched transformer's instead: its layers named
 * "encoder.layers.N.mlp.fc2", 64 × 64 each, shown as the default layer selection shows them
 * (every 7th of 200) on the Gradients or Pruning page.
 *
 * The times are wall clock and therefore noisy on a shared machine; under
 * `valgrind --tool=callgrind` the instruction counts per frame are repeatable, which is what to
 * compare before and after a change. Needs a display (xvfb-run) for the plots' CSS.
 *
 *   xvfb-run -a lab-bench-plots [FRAMES] [STEPS_BEFORE] [gradients|pruning|network] [LAYERS]
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include <gtk/gtk.h>

#include "lab-act-plot.h"
#include "lab-blas-core.h"
#include "lab-flow-plot.h"
#include "lab-grad-plot.h"
#include "lab-loss-plot.h"
#include "lab-network-view.h"
#include "lab-plot-model.h"
#include "lab-rng.h"
#include "lab-sparsity-plot.h"
#include "lab-weights-view.h"

#define ROWS_PER_FRAME 26     /* ~780 steps/s applied at 30 Hz */
#define EVAL_EVERY     938    /* one epoch of Fashion-MNIST at batch 64 */

typedef struct
{
  const char *name;
  GtkWidget  *widget;
  int         width;   /* the plot's allocation in a 1920×1080 window, Gradients page */
  int         height;
  double      snapshot_ms;
  double      render_ms;
} Plot;

static LabRng rng;
static guint64 next_step = 1;
static gboolean weights;   /* heavy snapshots carry the network's weights (Pruning page) */
static guint n_layers = 3; /* 784-300-100-10, or a deep watched run's */

static double
lognormal (double sigma)
{
  return exp (sigma * lab_rng_normal (&rng));
}

/* A test image and each unit's output on it, as a session sends them for image data. */
static void
add_probe (LabHeavy *hv)
{
  gsize n = 0, off = 0;

  for (guint l = 0; l < hv->n_layers; l++)
    n += hv->layers[l].rows;
  hv->probe_index = 0;
  hv->probe_input = g_new (float, hv->layers[0].cols);
  for (gsize i = 0; i < hv->layers[0].cols; i++)
    hv->probe_input[i] = (float) lab_rng_uniform (&rng);
  hv->probe_block = g_new (float, n);
  for (guint l = 0; l < hv->n_layers; l++)
    {
      hv->layers[l].probe_act = hv->probe_block + off;
      for (gsize j = 0; j < hv->layers[l].rows; j++)
        hv->layers[l].probe_act[j] = (float) MAX (0.0, lab_rng_normal (&rng));
      off += hv->layers[l].rows;
    }
}

/* The heavy part of a deep watched run: transformer blocks of six 64 × 64 layers. */
static LabHeavy *
make_deep_heavy (void)
{
  static const char *const parts[] = { "attn.q", "attn.k", "attn.v", "attn.out", "mlp.fc1",
                                       "mlp.fc2" };
  LabHeavy *hv = lab_heavy_new (n_layers, (gsize) n_layers * 64 * 64, FALSE);

  for (guint l = 0; l < n_layers; l++)
    {
      g_autofree char *name = g_strdup_printf ("encoder.layers.%u.%s", l / 6, parts[l % 6]);

      lab_heavy_set_layer (hv, l, name, 64, 64, (gsize) l * 64 * 64, -1);
    }
  return hv;
}

static LabSnapshot *
make_snapshot (guint    n_rows,
               gboolean heavy)
{
  static const double shallow[] = { 1.2, 0.55, 0.4 };
  LabSnapshot *snap = lab_snapshot_new ();

  snap->run_id = 1;
  snap->status.state = LAB_SESSION_RUNNING;
  for (guint i = 0; i < n_rows; i++, next_step++)
    {
      double t = (double) next_step;
      LabStepStats st = { 0 };

      st.step = next_step;
      st.epoch = 1 + (guint) (next_step / EVAL_EVERY);
      st.n_layers = n_layers;
      st.samples = 64;
      st.loss = (0.3 + 2.0 * exp (-t / 200.0)) * lognormal (0.35);
      st.accuracy = CLAMP (0.88 - 0.6 * exp (-t / 200.0) + 0.06 * lab_rng_normal (&rng), 0, 1);
      st.test_loss = st.test_accuracy = NAN;
      for (guint l = 0; l < n_layers; l++)
        {
          double level = n_layers == 3 ? shallow[l] : pow (10.0, -6.0 + 6.0 * l / (n_layers - 1));
          double g = level * (1.0 + 2.0 * exp (-t / 300.0)) * lognormal (0.45);

          st.layer[l].grad_norm = (float) g;
          st.layer[l].delta_norm = (float) (g * 0.3);
        }
      lab_row_log_append (snap->rows, &st);
      snap->status.step = next_step;
      if (next_step % EVAL_EVERY == 0)
        {
          snap->status.eval_step = next_step;
          snap->status.test_loss = 0.45 + 2.0 * exp (-t / 200.0);
          snap->status.test_accuracy = 0.84;
        }
    }
  if (heavy)
    {
      static const gsize sizes[] = { 784, 300, 100, 10 };

      snap->heavy = n_layers != 3 ? make_deep_heavy ()
                    : weights ? lab_heavy_new_chain (n_layers, sizes, FALSE)
                    : lab_heavy_new (n_layers, 0, FALSE);
      snap->heavy->step = snap->status.step;
      if (weights)
        {
          LabHeavy *hv = snap->heavy;

          /* W1, b1, W2, b2 …: the order the flat block of a chain holds them in, so the numbers
           * are the ones this bench always drew */
          for (guint l = 0; l < hv->n_layers; l++)
            {
              LabHeavyLayer *layer = &hv->layers[l];

              for (gsize i = 0; i < layer->rows * layer->cols; i++)
                layer->weight[i] = 0.05f * lab_rng_normal (&rng);
              for (gsize i = 0; layer->bias != NULL && i < layer->rows; i++)
                layer->bias[i] = 0.05f * lab_rng_normal (&rng);
            }
          if (n_layers == 3)
            {
              hv->img_w = hv->img_h = 28;
              add_probe (hv);
            }
        }
      for (guint l = 0; l < n_layers; l++)
        {
          LabHistogram *h = &snap->heavy->layers[l].act_hist;

          snap->heavy->layers[l].act = l + 1 < n_layers ? LAB_ACT_RELU : LAB_ACT_LINEAR;
          h->lo = 0;
          h->hi = 6;
          for (guint b = 0; b < LAB_HIST_BINS; b++)
            h->count[b] = (guint) (4000.0 * exp (-0.15 * b) * lognormal (0.2)) + (b == 0) * 9000;
        }
    }
  return snap;
}

static void
apply (LabPlotModel *model,
       guint         n_rows,
       gboolean      heavy)
{
  g_autoptr (LabSnapshot) snap = make_snapshot (n_rows, heavy);

  lab_plot_model_apply (model, snap);
}

static double
now_ms (void)
{
  return g_get_monotonic_time () / 1000.0;
}

int
main (int    argc,
      char **argv)
{
  guint frames = argc > 1 ? (guint) atoi (argv[1]) : 60;
  guint64 before = argc > 2 ? (guint64) atoll (argv[2]) : 8000;
  gboolean pruning = argc > 3 && g_str_equal (argv[3], "pruning");
  gboolean network = argc > 3 && g_str_equal (argv[3], "network");
  guint layers = argc > 4 ? (guint) atoi (argv[4]) : 3;
  g_autoptr (LabPlotModel) model = NULL;
  g_autoptr (GskRenderer) renderer = NULL;
  g_autoptr (GError) error = NULL;
  Plot gradients_page[] = {
    { "grad", NULL, 944, 550 },
    { "flow", NULL, 582, 550 },
    { "loss", NULL, 516, 388 },
    { "act",  NULL, 1010, 388 },
  };
  Plot pruning_page[] = {
    { "weights",  NULL, 919, 953 },
    { "sparsity", NULL, 611, 452 },
    { "loss",     NULL, 611, 452 },
  };
  Plot network_page[] = {
    { "network", NULL, 1528, 930 },
  };
  Plot *plots = network ? network_page : pruning ? pruning_page : gradients_page;
  guint n_plots = network ? G_N_ELEMENTS (network_page)
                : pruning ? G_N_ELEMENTS (pruning_page) : G_N_ELEMENTS (gradients_page);
  double total = 0;

  lab_blas_core_init (argv);
  gtk_init ();
  if (layers < 2 || layers > LAB_MAX_ROW_LAYERS)
    g_error ("LAYERS: 2 … %u", LAB_MAX_ROW_LAYERS);
  n_layers = layers;
  weights = pruning || network;
  if (network)
    plots[0].widget = lab_network_view_new ();
  else if (pruning)
    {
      plots[0].widget = lab_weights_view_new ();
      plots[1].widget = lab_sparsity_plot_new ();
      plots[2].widget = lab_loss_plot_new ();
    }
  else
    {
      plots[0].widget = lab_grad_plot_new ();
      plots[1].widget = lab_flow_plot_new ();
      plots[2].widget = lab_loss_plot_new ();
      plots[3].widget = lab_act_plot_new ();
    }
  lab_rng_init (&rng, 42);
  model = lab_plot_model_new ();

  for (guint64 t = 0; t < before; t += ROWS_PER_FRAME)
    apply (model, ROWS_PER_FRAME, t + ROWS_PER_FRAME >= before);

  renderer = gsk_cairo_renderer_new ();
  if (!gsk_renderer_realize (renderer, NULL, &error))
    g_error ("%s", error->message);

  for (guint i = 0; i < n_plots; i++)
    {
      /* a window, never presented: the plots take their colours from CSS */
      GtkWidget *window = gtk_window_new ();

      gtk_window_set_child (GTK_WINDOW (window), plots[i].widget);
      g_object_set (plots[i].widget, "model", model, NULL);
      if (LAB_IS_GRAD_PLOT (plots[i].widget))
        lab_grad_plot_set_smoothing (LAB_GRAD_PLOT (plots[i].widget), 0.9);
      gtk_widget_measure (plots[i].widget, GTK_ORIENTATION_HORIZONTAL, -1, NULL, NULL, NULL, NULL);
      gtk_widget_size_allocate (plots[i].widget,
                                &(GtkAllocation) { 0, 0, plots[i].width, plots[i].height }, -1);
    }

  for (guint f = 0; f < frames; f++)
    {
      /* the window gets new weights with every snapshot */
      apply (model, ROWS_PER_FRAME, weights || f % 3 == 0);
      for (guint i = 0; i < n_plots; i++)
        {
          Plot *p = &plots[i];
          GtkSnapshot *snapshot = gtk_snapshot_new ();
          GskRenderNode *node;
          GdkTexture *texture;
          double t0 = now_ms (), t1;

          GTK_WIDGET_GET_CLASS (p->widget)->snapshot (p->widget, snapshot);
          node = gtk_snapshot_free_to_node (snapshot);
          t1 = now_ms ();
          texture = gsk_renderer_render_texture (renderer, node,
                                                 &GRAPHENE_RECT_INIT (0, 0, p->width, p->height));
          p->snapshot_ms += t1 - t0;
          p->render_ms += now_ms () - t1;
          g_object_unref (texture);
          gsk_render_node_unref (node);
        }
    }

  for (guint i = 0; i < n_plots; i++)
    {
      printf ("%-8s %4d×%-4d snapshot %6.2f ms  render %6.2f ms  per frame\n", plots[i].name,
              plots[i].width, plots[i].height, plots[i].snapshot_ms / frames,
              plots[i].render_ms / frames);
      total += (plots[i].snapshot_ms + plots[i].render_ms) / frames;
    }
  printf ("plots_benchmark frames=%u steps=%" G_GUINT64_FORMAT " layers=%u ms_per_frame=%.2f\n",
          frames, next_step - 1, n_layers, total);

  gsk_renderer_unrealize (renderer);
  return 0;
}
