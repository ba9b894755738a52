/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * test-a11y.c: what a screen reader is told, read back through GTK's accessibility API. Each
 * plot, fed snapshots with known numbers, is an image whose accessible label is its title and
 * whose description says those numbers as the plot shows them ("1.2×10⁻⁸", "overflowed");
 * the description follows new data at most once per LAB_PLOT_A11Y_PERIOD; and every control of
 * the real window has an accessible name.
 *
 * GTK 4.8 keeps accessible properties only in an AT context, and with GTK_A11Y=none (the other
 * UI tests' setting) a widget has none: gtk_test_accessible_check_property() then warns and
 * reports a match for any value. Checked by experiment, so this test runs with GTK_A11Y=test,
 * GTK's in-process test context (set in main(), before GTK starts).
 */
#define G_LOG_DOMAIN "test-a11y"

#include "config.h"

#include <math.h>

#include <gtk/gtk.h>

#include "lab-act-plot.h"
#include "lab-boundary-plot.h"
#include "lab-compare-window.h"
#include "lab-export-dialog.h"
#include "lab-flow-plot.h"
#include "lab-grad-plot.h"
#include "lab-loss-plot.h"
#include "lab-test-ui.h"
#include "lab-test-utils.h"
#include "lab-weights-view.h"
#include "lab-window.h"

/* --- reading accessible properties ------------------------------------------------------- */

/* The accessible string property @prop of @w. GTK 4.8 has no getter: its checker returns the
 * value it found whenever it differs from the expected one, and no real text is this. */
static char *
accessible_string (GtkWidget             *w,
                   GtkAccessibleProperty  prop)
{
  static const char never[] = "\x01never\x01";
  char *value;

  g_assert_true (gtk_test_accessible_has_property (GTK_ACCESSIBLE (w), prop));
  value = gtk_test_accessible_check_property (GTK_ACCESSIBLE (w), prop, never);
  g_assert_nonnull (value);
  return value;
}

static void
assert_contains (const char *haystack,
                 const char *needle)
{
  if (strstr (haystack, needle) == NULL)
    g_error ("“%s” does not contain “%s”", haystack, needle);
}

/* Checks the image role, the label (the plot's title) and that the description is what
 * lab_plot_refresh_accessible() said; returns the description. */
static char *
check_plot (GtkWidget  *plot,
            const char *title)
{
  const char *said = lab_plot_refresh_accessible (LAB_PLOT (plot));
  char *description;

  gtk_test_accessible_assert_role (plot, GTK_ACCESSIBLE_ROLE_IMG);
  gtk_test_accessible_assert_property (plot, GTK_ACCESSIBLE_PROPERTY_LABEL, title);
  description = accessible_string (plot, GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
  g_assert_cmpstr (description, ==, said);
  g_test_message ("%s: %s", title, description);
  return description;
}

/* --- known data -------------------------------------------------------------------------- */

#define N_LAYERS 4

/* Layer l's gradient norm: the first layer 1.2e-8, the last 0.71 (the example). */
static const double grads[N_LAYERS] = { 1.2e-8, 3e-6, 2e-3, 0.71 };

/* Rows of steps first … first + count - 1 with those norms, the loss 1/step, the accuracy
 * 0.875, and a test evaluation at the last step when @eval. */
static LabSnapshot *
rows_snapshot (guint64  first,
               guint    count,
               gboolean eval)
{
  LabSnapshot *snap = lab_snapshot_new ();

  snap->run_id = 3;
  snap->status.state = LAB_SESSION_RUNNING;
  for (guint64 t = first; t < first + count; t++)
    {
      LabStepStats st = { 0 };

      st.step = t;
      st.epoch = 1;
      st.n_layers = N_LAYERS;
      st.loss = 1.0 / (double) t;
      st.accuracy = 0.875;
      for (guint l = 0; l < N_LAYERS; l++)
        {
          st.layer[l].grad_norm = (float) grads[l];
          st.layer[l].delta_norm = (float) (10 * grads[l]);
        }
      lab_row_log_append (snap->rows, &st);
      snap->status.step = t;
    }
  if (eval)
    {
      snap->status.eval_step = first + count - 1;
      snap->status.test_loss = 0.25;
      snap->status.test_accuracy = 0.8;
    }
  return snap;
}

static GtkWidget *
host (GtkWidget *plot)
{
  GtkWidget *window = gtk_window_new ();

  gtk_window_set_child (GTK_WINDOW (window), plot);
  return window;
}

/* --- plots ------------------------------------------------------------------------------- */

/* The gradient and flow plots in one window, on @model, which then gets @snap. */
static GtkWidget *
host_gradients (GtkWidget    *grad,
                GtkWidget    *flow,
                LabPlotModel *model,
                LabSnapshot  *snap)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *win;

  gtk_box_append (GTK_BOX (box), grad);
  gtk_box_append (GTK_BOX (box), flow);
  win = host (box);
  lab_plot_set_model (LAB_PLOT (grad), model);
  lab_plot_set_model (LAB_PLOT (flow), model);
  lab_plot_model_apply (model, snap);
  return win;
}

static void
test_grad_and_flow (void)
{
  g_autoptr (LabPlotModel) model = lab_plot_model_new ();
  g_autoptr (LabSnapshot) snap = rows_snapshot (1, 10, FALSE);
  GtkWidget *grad = lab_grad_plot_new (), *flow = lab_flow_plot_new ();
  GtkWidget *win = host_gradients (grad, flow, model, snap);
  g_autofree char *g = NULL, *gd = NULL, *gs = NULL, *f = NULL, *fd = NULL;

  /* log10 (0.71 / 1.2e-8) = 7.77 decades; 1.2e-8 / 0.71 = 1.69e-8 */
  g = check_plot (grad, "Weight-gradient norm per layer");
  assert_contains (g, "Weight-gradient norm at step 10: first layer 1.2×10⁻⁸, last layer 0.71.");
  assert_contains (g, "Across 4 layers the norms span 7.8 decades, the smallest in layer 1.");
  g_assert_null (strstr (g, "smoothed"));
  f = check_plot (flow, "Gradient flow across depth");
  g_assert_cmpstr (f, ==, "Weight-gradient norm at step 10: first layer 1.2×10⁻⁸, "
                          "last layer 0.71, ratio 1.7×10⁻⁸.");

  /* the other norm, and smoothing: each plot says what it shows */
  lab_grad_plot_set_delta (LAB_GRAD_PLOT (grad), TRUE);
  lab_flow_plot_set_delta (LAB_FLOW_PLOT (flow), TRUE);
  gd = check_plot (grad, "Back-propagated error per layer");
  assert_contains (gd, "Back-propagated error norm at step 10: first layer 1.2×10⁻⁷, "
                       "last layer 7.1.");
  fd = check_plot (flow, "Gradient flow across depth");
  assert_contains (fd, "Back-propagated error norm at step 10: first layer 1.2×10⁻⁷, "
                       "last layer 7.1, ratio 1.7×10⁻⁸.");
  lab_grad_plot_set_delta (LAB_GRAD_PLOT (grad), FALSE);
  lab_grad_plot_set_smoothing (LAB_GRAD_PLOT (grad), 0.9);
  gs = check_plot (grad, "Weight-gradient norm per layer");
  /* constant norms: smoothing leaves them as they are */
  assert_contains (gs, "first layer 1.2×10⁻⁸, last layer 0.71.");
  assert_contains (gs, "The curves are smoothed (0.90).");

  gtk_window_destroy (GTK_WINDOW (win));
}

/* An overflowing layer reads as a word, never as "∞", "NaN" or a ratio of 0. */
static void
test_overflow (void)
{
  g_autoptr (LabPlotModel) model = lab_plot_model_new ();
  g_autoptr (LabSnapshot) snap = rows_snapshot (1, 3, FALSE);
  GtkWidget *grad = lab_grad_plot_new (), *flow = lab_flow_plot_new ();
  GtkWidget *win;
  g_autofree char *g = NULL, *f = NULL;

  for (guint i = 0; i < lab_row_log_len (snap->rows); i++)
    {
      LabStepStats *st = lab_test_row (snap->rows, i);

      st->layer[N_LAYERS - 1].grad_norm = INFINITY;
      st->layer[N_LAYERS - 2].grad_norm = NAN;
      lab_row_log_set (snap->rows, i, st);
    }
  win = host_gradients (grad, flow, model, snap);

  g = check_plot (grad, "Weight-gradient norm per layer");
  assert_contains (g, "first layer 1.2×10⁻⁸, last layer overflowed.");
  f = check_plot (flow, "Gradient flow across depth");
  assert_contains (f, "first layer 1.2×10⁻⁸, last layer overflowed, ratio not a number.");
  g_assert_null (strstr (f, "∞"));
  g_assert_null (strstr (g, "NaN"));

  gtk_window_destroy (GTK_WINDOW (win));
}

static void
test_loss (void)
{
  g_autoptr (LabPlotModel) model = lab_plot_model_new ();
  g_autoptr (LabSnapshot) snap = rows_snapshot (1, 10, TRUE);
  GtkWidget *loss = lab_loss_plot_new ();
  GtkWidget *win = host (loss);
  g_autofree char *d = NULL;

  lab_plot_set_model (LAB_PLOT (loss), model);
  lab_plot_model_apply (model, snap);
  d = check_plot (loss, "Loss and accuracy");
  /* the loss is 1/step: 0.1 at step 10, 0.125 at step 8 (two points back of ten) */
  g_assert_cmpstr (d, ==, "At step 10 the training loss is 0.1 and the training accuracy 87.5 %. "
                          "The latest test, at step 10, has loss 0.25 and accuracy 80.0 %. "
                          "Since step 8 the training loss fell by 20 %.");
  gtk_window_destroy (GTK_WINDOW (win));
}

/* Histograms with something in them, for layers of @acts; row saturation/dead shares. */
static LabSnapshot *
act_snapshot (const LabActivation *acts,
              guint                n_layers,
              const double        *shares)
{
  LabSnapshot *snap = rows_snapshot (1, 1, FALSE);
  LabStepStats *row = lab_test_row (snap->rows, 0);

  row->n_layers = n_layers;
  snap->heavy = lab_heavy_new (n_layers, 0, FALSE);
  for (guint l = 0; l < n_layers; l++)
    {
      LabHeavyLayer *layer = &snap->heavy->layers[l];

      g_snprintf (layer->name, sizeof layer->name, "W%u", l + 1);
      layer->act = acts[l];
      layer->act_hist.lo = 0;
      layer->act_hist.hi = 1;
      layer->act_hist.count[3] = 10;
      layer->grad_hist = layer->act_hist;
      row->layer[l].act_saturated = (float) shares[l];
      row->layer[l].act_dead = (float) shares[l];
    }
  /* the row has another depth now: the log starts over with it */
  lab_row_log_clear (snap->rows, 0);
  lab_row_log_append (snap->rows, row);
  return snap;
}

static void
test_activations (void)
{
  static const LabActivation acts[] = { LAB_ACT_SIGMOID, LAB_ACT_SIGMOID, LAB_ACT_RELU,
                                        LAB_ACT_LINEAR };
  static const double shares[] = { 0.12, 0.95, 0.07, 0 };
  g_autoptr (LabPlotModel) model = lab_plot_model_new ();
  g_autoptr (LabSnapshot) snap = act_snapshot (acts, 4, shares);
  GtkWidget *act = lab_act_plot_new ();
  GtkWidget *win = host (act);
  g_autofree char *d = NULL, *o = NULL;

  lab_plot_set_model (LAB_PLOT (act), model);
  lab_plot_model_apply (model, snap);
  d = check_plot (act, "Activation distributions");
  /* hidden layers only: the output layer's "activations" are its logits */
  g_assert_cmpstr (d, ==, "Activations of the last batch, per hidden layer: "
                          "layer 1 (sigmoid) 12 % saturated; layer 2 (sigmoid) 95 % saturated; "
                          "layer 3 (ReLU) 7 % dead. The most saturated is layer 2 (95 %). "
                          "The most dead units are in layer 3 (7 %).");

  /* a layer whose activations overflowed */
  {
    g_autoptr (LabSnapshot) bad = act_snapshot (acts, 4, shares);

    bad->heavy->layers[1].act_hist.nonfinite = 30;
    bad->heavy->layers[1].act_hist.count[3] = 0;
    lab_plot_model_apply (model, bad);
    o = check_plot (act, "Activation distributions");
    assert_contains (o, "layer 2 (sigmoid) overflowed;");
  }
  gtk_window_destroy (GTK_WINDOW (win));
}

static void
test_boundary (void)
{
  static const guint8 classes[] = { 0, 0, 1, 2 };
  static const float conf[] = { 0.9f, 0.8f, 0.7f, 0.6f };
  g_autoptr (LabPlotModel) model = lab_plot_model_new ();
  g_autoptr (LabSnapshot) snap = rows_snapshot (1, 10, TRUE);
  GtkWidget *plot = lab_boundary_plot_new ();
  GtkWidget *win = host (plot);
  g_autofree char *d = NULL;

  snap->n_classes = 3;
  snap->heavy = lab_heavy_new (1, 0, FALSE);
  lab_heavy_set_grid (snap->heavy, 2, -1, 1, classes, conf);
  snap->n_points = 2;
  snap->points = g_new0 (float, 4);
  snap->point_labels = g_new0 (guint8, 2);
  lab_plot_set_model (LAB_PLOT (plot), model);
  lab_plot_model_apply (model, snap);
  d = check_plot (plot, "Decision boundary");
  g_assert_cmpstr (d, ==, "The model's predicted class over the plane, 3 classes: class 0 holds "
                          "50 %, class 1 holds 25 %, class 2 holds 25 %. 2 training points are "
                          "drawn on top. Test accuracy at step 10: 80.0 %.");
  gtk_window_destroy (GTK_WINDOW (win));
}

/* A 784 → 256 → 10 network on 28×28 images whose first 100 input pixels lost every weight. */
static void
test_weights (void)
{
  static const gsize sizes[] = { 784, 256, 10 };
  g_autoptr (LabPlotModel) model = lab_plot_model_new ();
  g_autoptr (LabSnapshot) snap = rows_snapshot (1, 1, FALSE);
  GtkWidget *view = lab_weights_view_new ();
  GtkWidget *win = host (view);
  g_autofree char *d = NULL, *p = NULL;
  LabView mv;

  snap->heavy = lab_heavy_new_chain (2, sizes, TRUE);
  snap->heavy->img_w = snap->heavy->img_h = 28;
  mv = lab_heavy_mask (snap->heavy, 0);
  for (gsize r = 0; r < mv.rows; r++)
    for (gsize c = 0; c < 100; c++)
      mv.data[r * mv.cols + c] = 0;
  snap->heavy->layers[0].sparsity = 100.0 / 784;
  lab_plot_set_model (LAB_PLOT (view), model);
  lab_plot_model_apply (model, snap);

  d = check_plot (view, "Weights");
  g_assert_cmpstr (d, ==, "One heatmap per weight matrix, 2 in all: W1 256×784, 13 % pruned; "
                          "W2 10×256, 0 % pruned.");
  lab_weights_view_set_mode (LAB_WEIGHTS_VIEW (view), LAB_WEIGHTS_MODE_PIXELS);
  p = check_plot (view, "Surviving input pixels");
  g_assert_cmpstr (p, ==, "First-layer weights W1 256×784 reading a 28×28 image, 13 % pruned: "
                          "100 of 784 input pixels have no kept weight left.");
  gtk_window_destroy (GTK_WINDOW (win));
}

/* An empty plot says its empty message, in words a screen reader can use. */
static void
test_empty (void)
{
  g_autoptr (LabPlotModel) model = lab_plot_model_new ();
  GtkWidget *flow = lab_flow_plot_new ();
  GtkWidget *win = host (flow);
  g_autofree char *d = NULL;

  lab_plot_set_model (LAB_PLOT (flow), model);
  d = check_plot (flow, "Gradient flow across depth");
  g_assert_cmpstr (d, ==, "No gradients yet");
  gtk_window_destroy (GTK_WINDOW (win));
}

/* --- the calm rate ----------------------------------------------------------------------- */

typedef struct
{
  gint64 t;          /* µs since the test began */
  char  *text;
} Said;

static void
said_clear (Said *s)
{
  g_free (s->text);
}

/* New data every 33 ms for 2.5 s (a session's rate): the description changes at most once per
 * LAB_PLOT_A11Y_PERIOD, keeps changing while the data does, and says the last data within a
 * period of it. Driven by the main loop alone: nothing calls lab_plot_refresh_accessible(). */
static void
test_calm_rate (void)
{
  g_autoptr (LabPlotModel) model = lab_plot_model_new ();
  g_autoptr (GArray) said = g_array_new (FALSE, FALSE, sizeof (Said));
  GtkWidget *flow = lab_flow_plot_new ();
  GtkWidget *win = host (flow);
  gint64 t0 = g_get_monotonic_time (), next_feed = t0, last_feed = 0;
  guint64 step = 1;
  g_autofree char *final = NULL;

  g_array_set_clear_func (said, (GDestroyNotify) said_clear);
  lab_plot_set_model (LAB_PLOT (flow), model);
  while (g_get_monotonic_time () - t0 < 4 * 1000 * LAB_PLOT_A11Y_PERIOD)
    {
      gint64 now = g_get_monotonic_time ();
      g_autofree char *d = NULL;

      if (now - t0 < 2500000 && now >= next_feed)
        {
          g_autoptr (LabSnapshot) snap = rows_snapshot (step++, 1, FALSE);

          lab_plot_model_apply (model, snap);
          next_feed += 33000;
          last_feed = now;
        }
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
      if (!gtk_test_accessible_has_property (GTK_ACCESSIBLE (flow),
                                             GTK_ACCESSIBLE_PROPERTY_DESCRIPTION))
        continue;
      d = accessible_string (flow, GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
      if (said->len == 0 || g_strcmp0 (g_array_index (said, Said, said->len - 1).text, d) != 0)
        {
          Said s = { g_get_monotonic_time () - t0, g_steal_pointer (&d) };
          g_array_append_val (said, s);
        }
    }

  /* ~75 snapshots over 2.5 s, said 4 times: at once, then once a period (1, 2 s), and the
   * data after that once more at 3 s */
  g_test_message ("%" G_GUINT64_FORMAT " snapshots, description changed %u times", step - 1,
                  said->len);
  g_assert_cmpuint (step, >, 40);
  g_assert_cmpuint (said->len, >=, 2);
  g_assert_cmpuint (said->len, <=, 2500 / LAB_PLOT_A11Y_PERIOD + 2);
  for (guint i = 1; i < said->len; i++)
    g_assert_cmpint (g_array_index (said, Said, i).t - g_array_index (said, Said, i - 1).t, >=,
                     1000 * (LAB_PLOT_A11Y_PERIOD - 5));
  /* the last data was said, within a period (and some scheduling slack) of its arrival */
  final = g_strdup_printf ("at step %" G_GUINT64_FORMAT ":", step - 1);
  assert_contains (g_array_index (said, Said, said->len - 1).text, final);
  g_assert_cmpint (g_array_index (said, Said, said->len - 1).t - (last_feed - t0), <=,
                   1000 * (LAB_PLOT_A11Y_PERIOD + 500));
  gtk_window_destroy (GTK_WINDOW (win));
}

/* --- the window's controls --------------------------------------------------------------- */

/* Some label text inside @w (a button's own label, or a label in its child box). */
static gboolean
has_text (GtkWidget *w)
{
  if (GTK_IS_LABEL (w) && *gtk_label_get_text (GTK_LABEL (w)) != '\0')
    return TRUE;
  if (GTK_IS_MENU_BUTTON (w) && gtk_menu_button_get_label (GTK_MENU_BUTTON (w)) != NULL)
    return TRUE;
  for (GtkWidget *c = gtk_widget_get_first_child (w); c != NULL; c = gtk_widget_get_next_sibling (c))
    if (!GTK_IS_POPOVER (c) && has_text (c))
      return TRUE;
  return FALSE;
}

static gboolean
is_control (GtkWidget *w)
{
  return GTK_IS_BUTTON (w) || GTK_IS_MENU_BUTTON (w) || GTK_IS_DROP_DOWN (w) ||
         GTK_IS_SPIN_BUTTON (w) || GTK_IS_RANGE (w) || GTK_IS_SWITCH (w) ||
         GTK_IS_CHECK_BUTTON (w) || GTK_IS_ENTRY (w);
}

/* Every control under @w has a name a screen reader can say: its own label text, an
 * accessible label, or a label that labels it (a mnemonic label sets that relation). The
 * parts of a composite control (a spin button's text, a drop-down's button) are its own. */
static void
check_controls (GtkWidget *w,
                guint     *n_checked)
{
  if (GTK_IS_SCROLLBAR (w))
    return;   /* for the pointer; the keyboard scrolls by moving the focus */
  if (is_control (w))
    {
      gboolean named = gtk_test_accessible_has_property (GTK_ACCESSIBLE (w),
                                                         GTK_ACCESSIBLE_PROPERTY_LABEL) ||
                       gtk_test_accessible_has_relation (GTK_ACCESSIBLE (w),
                                                         GTK_ACCESSIBLE_RELATION_LABELLED_BY);

      /* a button's text names it, unless it is only a symbol (‖δ‖) and has a label too */
      if (!named && (GTK_IS_BUTTON (w) || GTK_IS_MENU_BUTTON (w)))
        named = has_text (w);
      if (!named)
        g_error ("%s (%s, tooltip “%s”) has no accessible name", G_OBJECT_TYPE_NAME (w),
                 gtk_buildable_get_buildable_id (GTK_BUILDABLE (w)),
                 gtk_widget_get_tooltip_text (w));
      (*n_checked)++;
      return;
    }
  for (GtkWidget *c = gtk_widget_get_first_child (w); c != NULL; c = gtk_widget_get_next_sibling (c))
    check_controls (c, n_checked);
}

static void
test_window_controls (void)
{
  LabWindow *win = g_object_ref (lab_window_new (NULL, NULL));
  guint n = 0;

  check_controls (GTK_WIDGET (win), &n);
  /* sidebar (about 30), header bar, toolbars, banner */
  g_test_message ("%u controls named", n);
  g_assert_cmpuint (n, >=, 40);

  /* the icon-only play button says what pressing it does */
  {
    GtkWidget *w = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (win), LAB_TYPE_WINDOW,
                                                              "play_button"));
    gtk_test_accessible_assert_property (w, GTK_ACCESSIBLE_PROPERTY_LABEL, "Start training");
  }
  /* the export dialog and the compare window, built from the same kinds of controls */
  {
    GtkWindow *dialog = GTK_WINDOW (lab_export_dialog_new (win, NULL));

    n = 0;
    check_controls (GTK_WIDGET (dialog), &n);
    g_assert_cmpuint (n, >=, 5);
    gtk_window_destroy (dialog);
  }
  {
    LabConfig cfg;
    LabCompareWindow *compare;

    lab_config_init_defaults (&cfg);
    g_assert_true (lab_config_load_preset (&cfg, "spiral", NULL));
    compare = lab_compare_window_new (NULL, &cfg, "a", &cfg, "b");
    n = 0;
    check_controls (GTK_WIDGET (compare), &n);
    g_assert_cmpuint (n, >=, 4);
    gtk_window_destroy (GTK_WINDOW (compare));
    lab_config_clear (&cfg);
  }
  gtk_window_destroy (GTK_WINDOW (win));
  g_assert_finalize_object (win);
}

int
main (int   argc,
      char *argv[])
{
  /* see the top of the file: the test AT context stores what a screen reader would be told */
  g_setenv ("GTK_A11Y", "test", TRUE);
  if (!lab_test_init_ui (&argc, &argv))
    return g_test_run ();

  g_test_add_func ("/ui/a11y/plots/grad-and-flow", test_grad_and_flow);
  g_test_add_func ("/ui/a11y/plots/overflow", test_overflow);
  g_test_add_func ("/ui/a11y/plots/loss", test_loss);
  g_test_add_func ("/ui/a11y/plots/activations", test_activations);
  g_test_add_func ("/ui/a11y/plots/boundary", test_boundary);
  g_test_add_func ("/ui/a11y/plots/weights", test_weights);
  g_test_add_func ("/ui/a11y/plots/empty", test_empty);
  g_test_add_func ("/ui/a11y/calm-rate", test_calm_rate);
  g_test_add_func ("/ui/a11y/window-controls", test_window_controls);

  return g_test_run ();
}
