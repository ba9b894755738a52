/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * test-network.c: the Network page. Its model (lab-net-graph.h) from hand-made heavy snapshots:
 * connections present while kept and gone once pruned (dashed only when asked), hollow units
 * for all-pruned rows and columns, units removed by compaction counted, every weight in exactly
 * one line (single or bundle), top-k selections against an independent sort and stated, the
 * |δ| colouring of a real sigmoid net ordered as its measured per-layer ‖δ‖, fading after a
 * pruning. Then the view: rendered pixels (no line where a weight is pruned, units in their
 * |δ| colour), the fade running out, the screen-reader sentence, presenter sizes, hover words;
 * the window's page, its controls reaching the session, and the compare window's shared scale.
 */
#define G_LOG_DOMAIN "test-network"

#include "config.h"

#include <math.h>
#include <string.h>

#include <gtk/gtk.h>

#include "lab-colormap.h"
#include "lab-compare-window.h"
#include "lab-heavy-units.h"
#include "lab-loss.h"
#include "lab-net-hover.h"
#include "lab-network-view.h"
#include "lab-number-format.h"
#include "lab-plot-style.h"
#include "lab-test-ui.h"
#include "lab-test-utils.h"
#include "lab-window-export.h"
#include "lab-window.h"

#define TIMEOUT_MS 30000

/* --- heavy snapshots by hand ------------------------------------------------------------------ */

/* A chain of layers over @sizes with weights of both signs, never 0, and a mask of ones. */
static LabHeavy *
make_heavy (guint        n_layers,
            const gsize *sizes)
{
  LabHeavy *hv = lab_heavy_new_chain (n_layers, sizes, TRUE);

  for (guint l = 0; l < n_layers; l++)
    {
      LabHeavyLayer *layer = &hv->layers[l];

      for (gsize i = 0; i < layer->rows * layer->cols; i++)
        layer->weight[i] = (float) (0.05 + 0.5 * fabs (sin (1.7 * i + l))) *
                           (i % 3 == 1 ? -1.0f : 1.0f);
    }
  return hv;
}

static void
prune (LabHeavy *hv,
       guint     l,
       gsize     row,
       gsize     col)
{
  LabHeavyLayer *layer = &hv->layers[l];
  gsize n = layer->rows * layer->cols, pruned = 0;

  layer->mask[row * layer->cols + col] = 0.0f;
  layer->weight[row * layer->cols + col] = 0.0f;
  for (gsize i = 0; i < n; i++)
    pruned += layer->mask[i] == 0.0f;
  layer->sparsity = (double) pruned / n;
}

/* Per-unit |δ| of every layer, from @f (layer, unit). */
static void
set_unit_delta (LabHeavy *hv,
                double  (*f) (guint l, gsize j))
{
  gsize n = 0, off = 0;

  for (guint l = 0; l < hv->n_layers; l++)
    n += hv->layers[l].rows;
  hv->delta_block = g_new (float, n);
  for (guint l = 0; l < hv->n_layers; l++)
    {
      hv->layers[l].unit_delta = hv->delta_block + off;
      for (gsize j = 0; j < hv->layers[l].rows; j++)
        hv->layers[l].unit_delta[j] = (float) f (l, j);
      off += hv->layers[l].rows;
    }
  hv->delta_step = 7;
}

static LabNetOptions
options (LabNetColor color)
{
  return (LabNetOptions) {
    .color = color, .rank = LAB_NET_RANK_DELTA, .thumbnails = TRUE,
    .x = 0, .y = 0, .width = 1200, .height = 800, .line_h = 16, .unit_scale = 1,
    .scale_lo = NAN, .scale_hi = NAN,
  };
}

static const LabNetEdge *
edge (const LabNetGraph *g,
      guint              i)
{
  return &g_array_index (g->edges, LabNetEdge, i);
}

static const LabNetNeuron *
neuron (const LabNetGraph *g,
        guint              i)
{
  return &g_array_index (g->neurons, LabNetNeuron, i);
}

/* The single edge of layer @l for W[row, col], or NULL. */
static const LabNetEdge *
find_single (const LabNetGraph *g,
             guint              l,
             gsize              row,
             gsize              col)
{
  for (guint i = 0; i < g->edges->len; i++)
    {
      const LabNetEdge *e = edge (g, i);
      if (!e->bundle && e->layer == l && e->row == row && e->col == col)
        return e;
    }
  return NULL;
}

/* --- the model -------------------------------------------------------------------------------- */

/* A pruned connection has no edge; asked for, it is there, marked pruned (dashed). */
static void
test_graph_pruned_edges (void)
{
  static const gsize sizes[] = { 3, 4, 2 };
  LabHeavy *hv = make_heavy (2, sizes);
  LabNetOptions o = options (LAB_NET_COLOR_WEIGHT);
  LabNetGraph *g;

  prune (hv, 0, 2, 1);
  prune (hv, 1, 0, 3);
  g = lab_net_graph_new (hv, NULL, NULL, &o);
  g_assert_cmpuint (g->n_columns, ==, 3);
  g_assert_cmpuint (g->n_single, ==, 3 * 4 + 4 * 2 - 2);
  g_assert_cmpuint (g->n_bundles, ==, 0);
  g_assert_null (find_single (g, 0, 2, 1));
  g_assert_null (find_single (g, 1, 0, 3));
  for (guint i = 0; i < g->edges->len; i++)
    {
      const LabNetEdge *e = edge (g, i);
      const LabHeavyLayer *layer = &hv->layers[e->layer];
      float rgb[3];

      /* every edge drawn is a kept weight, coloured by its sign, as wide as |w| says */
      g_assert_cmpfloat (layer->mask[e->row * layer->cols + e->col], ==, 1.0f);
      g_assert_cmpfloat (e->w, ==, layer->weight[e->row * layer->cols + e->col]);
      lab_colormap_diverging (e->w > 0 ? 1 : -1, 1, rgb);
      g_assert_cmpmem (e->rgb, sizeof rgb, rgb, sizeof rgb);
      g_assert_cmpfloat_with_epsilon (e->width, 0.4 + 2.4 * fabs (e->w) / g->w_max[e->layer],
                                      1e-9);
    }
  lab_net_graph_free (g);

  o.show_pruned = TRUE;
  g = lab_net_graph_new (hv, NULL, NULL, &o);
  g_assert_nonnull (find_single (g, 0, 2, 1));
  g_assert_true (find_single (g, 0, 2, 1)->pruned);
  g_assert_false (find_single (g, 0, 2, 2)->pruned);
  g_assert_cmpuint (g->edges->len, ==, 3 * 4 + 4 * 2);
  lab_net_graph_free (g);
  lab_heavy_free (hv);
}

/* Hollow: all incoming (a row) or all outgoing (a column) pruned; an input whose outgoing
 * weights are all pruned is dead. Units removed by compaction are counted, not drawn. */
static void
test_graph_hollow_and_removed (void)
{
  static const gsize sizes[] = { 3, 4, 2 };
  LabHeavy *hv = make_heavy (2, sizes);
  LabNetOptions o = options (LAB_NET_COLOR_WEIGHT);
  LabConfig cfg;
  g_autoptr(GString) words = g_string_new (NULL);
  LabNetGraph *g;

  for (gsize c = 0; c < 3; c++)
    prune (hv, 0, 1, c);          /* hidden unit 1: nothing comes in */
  for (gsize r = 0; r < 2; r++)
    prune (hv, 1, r, 2);          /* hidden unit 2: nothing goes out */
  for (gsize r = 0; r < 4; r++)
    prune (hv, 0, r, 0);          /* input 0: nothing goes out */
  lab_config_init_defaults (&cfg);
  cfg.model.n_hidden = 1;
  cfg.model.hidden[0] = 6;        /* compacted from 6 to 4 */
  g = lab_net_graph_new (hv, &cfg, NULL, &o);

  g_assert_cmpuint (g->columns[0].n_hollow, ==, 1);
  g_assert_cmpuint (g->columns[1].n_hollow, ==, 2);
  g_assert_cmpuint (g->columns[2].n_hollow, ==, 0);
  g_assert_nonnull (g->input_dead);
  g_assert_cmpuint (g->input_dead[0], ==, 1);
  g_assert_cmpuint (g->input_dead[1], ==, 0);
  for (guint i = 0; i < g->neurons->len; i++)
    {
      const LabNetNeuron *nn = neuron (g, i);
      gboolean want_in = nn->column == 1 && nn->unit == 1;
      gboolean want_out = (nn->column == 1 && nn->unit == 2) || (nn->column == 0 && nn->unit == 0);

      g_assert_cmpint (nn->dead_in, ==, want_in);
      g_assert_cmpint (nn->dead_out, ==, want_out);
      g_assert_cmpint (nn->hollow, ==, want_in || want_out);
    }
  g_assert_cmpuint (g->columns[1].units, ==, 4);
  g_assert_cmpuint (g->columns[1].removed, ==, 2);
  g_assert_nonnull (strstr (g->columns[1].note, "2 of 6 removed"));
  lab_net_graph_describe (g, words);
  g_assert_nonnull (strstr (words->str, "3 units hollow"));
  g_assert_nonnull (strstr (words->str, "2 units removed by compaction"));
  lab_net_graph_free (g);
  lab_config_clear (&cfg);
  lab_heavy_free (hv);
}

static double
delta_by_unit (guint l,
               gsize j)
{
  return 1e-3 * (1 + ((j * 7919) % 300)) * pow (10, -(double) l);
}

static int
by_value_desc (gconstpointer a,
               gconstpointer b,
               gpointer      data)
{
  const double *v = data;
  gsize i = *(const gsize *) a, j = *(const gsize *) b;

  return v[i] > v[j] ? -1 : v[i] < v[j] ? 1 : (i > j) - (i < j);
}

/* The k units of largest @v (n values), as a set. */
static guint8 *
top_set (const double *v,
         gsize         n,
         gsize         k)
{
  g_autofree gsize *idx = g_new (gsize, n);
  guint8 *set = g_new0 (guint8, n);

  for (gsize i = 0; i < n; i++)
    idx[i] = i;
  g_qsort_with_data (idx, (gint) n, sizeof (gsize), by_value_desc, (gpointer) v);
  for (gsize i = 0; i < k; i++)
    set[idx[i]] = 1;
  return set;
}

/* A 300-wide layer shows its top units by |δ| or by outgoing weight norm, exactly those, says
 * so, and its other units are bundles ("+N more"). */
static void
test_graph_top_k (void)
{
  static const gsize sizes[] = { 4, 300, 5 };
  LabHeavy *hv = make_heavy (2, sizes);
  LabNetOptions o = options (LAB_NET_COLOR_WEIGHT);
  double delta[300], norm[300] = { 0 };
  g_autoptr(GString) words = g_string_new (NULL);
  LabNetGraph *g;

  set_unit_delta (hv, delta_by_unit);
  for (gsize j = 0; j < 300; j++)
    {
      delta[j] = hv->layers[0].unit_delta[j];
      for (gsize r = 0; r < 5; r++)
        norm[j] += pow (hv->layers[1].weight[r * 300 + j], 2);
    }

  for (LabNetRank rank = LAB_NET_RANK_DELTA; rank <= LAB_NET_RANK_WEIGHT; rank++)
    {
      const LabNetColumn *col;
      g_autofree guint8 *want = NULL;
      g_autofree char *note = NULL;
      gsize last = 0;

      o.rank = rank;
      g = lab_net_graph_new (hv, NULL, NULL, &o);
      col = &g->columns[1];
      g_assert_cmpuint (col->n_shown, >, 4);
      g_assert_cmpuint (col->n_shown, <, 300);
      g_assert_cmpuint (col->n_shown + col->n_more, ==, 300);
      g_assert_cmpint (col->rank, ==, rank);
      want = top_set (rank == LAB_NET_RANK_DELTA ? delta : norm, 300, col->n_shown);
      for (guint i = 0; i < col->n_shown; i++)
        {
          const LabNetNeuron *nn = neuron (g, col->first + i);

          g_assert_true (want[nn->unit]);
          g_assert_true (i == 0 || nn->unit > last);   /* drawn in index order */
          last = nn->unit;
        }
      note = g_strdup_printf ("top %u of 300 by %s", col->n_shown,
                              rank == LAB_NET_RANK_DELTA ? "|δ|" : "outgoing weight norm");
      g_assert_cmpstr (col->note, ==, note);
      g_string_truncate (words, 0);
      lab_net_graph_describe (g, words);
      g_assert_nonnull (strstr (words->str, "shows the top"));
      lab_net_graph_free (g);
    }

  /* counts in the notes are grouped */
  {
    char buf[32];

    lab_number_format_count (235200, buf, sizeof buf);
    g_assert_cmpstr (buf, ==, "235,200");
    lab_number_format_count (1000, buf, sizeof buf);
    g_assert_cmpstr (buf, ==, "1,000");
    lab_number_format_count (999, buf, sizeof buf);
    g_assert_cmpstr (buf, ==, "999");
  }

  /* no activations recorded: the selection says it fell back to weights */
  o.rank = LAB_NET_RANK_ACTIVATION;
  g = lab_net_graph_new (hv, NULL, NULL, &o);
  g_assert_cmpint (g->columns[1].rank, ==, LAB_NET_RANK_WEIGHT);
  g_assert_nonnull (strstr (g->columns[1].note, "outgoing weight norm"));
  lab_net_graph_free (g);
  lab_heavy_free (hv);
}

/* Every weight is in exactly one line: per layer, the connections of all edges (singles,
 * group bundles, bundles of units not shown, of the input image) add up to rows × cols, and
 * the kept ones to the mask's. */
static void
assert_every_weight_once (const LabNetGraph *g,
                          const LabHeavy    *hv)
{
  for (guint l = 0; l < hv->n_layers; l++)
    {
      const LabHeavyLayer *layer = &hv->layers[l];
      gsize n = 0, kept = 0, want_kept = 0;

      for (guint i = 0; i < g->edges->len; i++)
        if (edge (g, i)->layer == l)
          {
            n += edge (g, i)->n;
            kept += edge (g, i)->n_kept;
          }
      for (gsize i = 0; i < layer->rows * layer->cols; i++)
        want_kept += layer->mask[i] != 0.0f;
      g_assert_cmpuint (n, ==, layer->rows * layer->cols);
      g_assert_cmpuint (kept, ==, want_kept);
    }
}

static void
test_graph_bundles (void)
{
  static const gsize image[] = { 16, 40, 3 };
  static const gsize wide[] = { 2, 60, 60, 2 };
  LabHeavy *hv = make_heavy (2, image);
  LabNetOptions o = options (LAB_NET_COLOR_WEIGHT);
  LabNetGraph *g;

  /* a 4 × 4 image: its connections are one bundle per shown unit, and one to "+N more" */
  hv->img_w = hv->img_h = 4;
  for (gsize c = 0; c < 16; c += 2)
    prune (hv, 0, 5, c);
  o.show_pruned = TRUE;
  g = lab_net_graph_new (hv, NULL, NULL, &o);
  g_assert_true (g->columns[0].image);
  for (guint i = 0; i < g->edges->len; i++)
    if (edge (g, i)->layer == 0)
      {
        g_assert_true (edge (g, i)->bundle);
        g_assert_cmpint (edge (g, i)->from, ==, LAB_NET_IMAGE);
      }
  assert_every_weight_once (g, hv);
  g_assert_nonnull (strstr (g->layer_note[0], "bundles"));
  lab_net_graph_free (g);
  lab_heavy_free (hv);

  /* 60 shown units each side are too many lines: 2 × 2 groups */
  hv = make_heavy (3, wide);
  prune (hv, 1, 3, 4);
  o.max_per_column = 64;
  o.height = 2400;
  g = lab_net_graph_new (hv, NULL, NULL, &o);
  g_assert_cmpuint (g->columns[1].n_shown, ==, 60);
  g_assert_cmpuint (g->group[1], ==, 2);
  g_assert_cmpuint (g->group[0], ==, 1);
  g_assert_nonnull (strstr (g->layer_note[1], "900 bundles of 2×2"));
  assert_every_weight_once (g, hv);
  lab_net_graph_free (g);
  lab_heavy_free (hv);
}

/* After a pruning, connections kept before and pruned now fade; the others do not. */
static void
test_graph_fading (void)
{
  static const gsize sizes[] = { 3, 4, 2 };
  LabHeavy *before = make_heavy (2, sizes), *now = make_heavy (2, sizes);
  LabNetOptions o = options (LAB_NET_COLOR_WEIGHT);
  LabNetGraph *g;

  prune (before, 0, 0, 0);
  prune (now, 0, 0, 0);
  prune (now, 0, 1, 2);
  prune (now, 1, 1, 1);
  g_assert_true (lab_net_graph_pruned_between (before, now));
  g_assert_false (lab_net_graph_pruned_between (now, before));
  g_assert_false (lab_net_graph_pruned_between (now, now));
  g = lab_net_graph_new (now, NULL, before, &o);
  g_assert_cmpuint (g->n_fading, ==, 2);
  g_assert_true (find_single (g, 0, 1, 2)->fading);
  g_assert_true (find_single (g, 1, 1, 1)->fading);
  g_assert_cmpfloat (find_single (g, 0, 1, 2)->w, ==, before->layers[0].weight[1 * 3 + 2]);
  g_assert_null (find_single (g, 0, 0, 0));   /* pruned before already: nothing to fade */
  g_assert_false (find_single (g, 0, 2, 2)->fading);
  lab_net_graph_free (g);

  g = lab_net_graph_new (now, NULL, NULL, &o);
  g_assert_cmpuint (g->n_fading, ==, 0);
  g_assert_null (find_single (g, 0, 1, 2));
  lab_net_graph_free (g);
  lab_heavy_free (before);
  lab_heavy_free (now);
}

/* A deep sigmoid net with naive weights, one real step: the layers' |δ| colours are ordered as
 * the ‖δ_l‖ the backward pass measured, each unit's colour is its |δ| on one log scale. */
static void
test_graph_delta_order (void)
{
  LabMlpShape s = { .n_in = 2, .n_out = 3, .n_hidden = 6, .init = LAB_INIT_UNIFORM,
                    .init_scale = 1, .max_batch = 32 };
  g_autoptr(LabMlp) mlp = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) words = g_string_new (NULL);
  LabNetOptions o = options (LAB_NET_COLOR_DELTA);
  float x[2 * 32], dlogits[3 * 32];
  guint32 y[32];
  double mean_t[8] = { 0 }, lo = G_MAXDOUBLE, hi = 0;
  LabHeavy *hv;
  LabNetGraph *g;
  LabRng rng;

  for (guint l = 0; l < 6; l++)
    {
      s.hidden[l] = 8;
      s.act[l] = LAB_ACT_SIGMOID;
    }
  mlp = lab_mlp_new (&s, &error);
  g_assert_no_error (error);
  lab_rng_init (&rng, 3);
  lab_mlp_init_params (mlp, &rng);
  for (guint i = 0; i < 32; i++)
    {
      x[2 * i] = (float) sin (i);
      x[2 * i + 1] = (float) cos (2.1 * i);
      y[i] = i % 3;
    }
  lab_mlp_forward (mlp, x, 32);
  lab_loss_forward (LAB_LOSS_SOFTMAX_CE, mlp->z[6], y, 32, 3, dlogits, NULL);
  lab_mlp_set_unit_delta (mlp, TRUE);
  lab_mlp_backward (mlp, x, dlogits, 32, FALSE);
  hv = lab_heavy_new_from_mlp (mlp, &(LabDataset) { .dim = 2 }, 32, 1);
  g_assert_true (lab_heavy_set_unit_delta (hv, mlp, 1));
  for (guint l = 0; l < 7; l++)
    for (gsize j = 0; j < mlp->sizes[l + 1]; j++)
      {
        lo = MIN (lo, hv->layers[l].unit_delta[j]);
        hi = MAX (hi, hv->layers[l].unit_delta[j]);
      }

  g = lab_net_graph_new (hv, NULL, NULL, &o);
  lab_assert_close (g->scale_lo, log10 (lo), 1e-9, 1e-12);
  lab_assert_close (g->scale_hi, log10 (hi), 1e-9, 1e-12);
  for (guint i = 0; i < g->neurons->len; i++)
    {
      const LabNetNeuron *nn = neuron (g, i);
      float rgb[3];

      if (nn->column == 0)
        {
          g_assert_true (isnan (nn->t));   /* inputs have no δ */
          continue;
        }
      lab_assert_close (nn->t, (log10 (nn->delta) - log10 (lo)) / (log10 (hi) - log10 (lo)),
                        1e-9, 1e-12);
      lab_colormap_sequential (nn->t, rgb);
      g_assert_cmpmem (nn->rgb, sizeof rgb, rgb, sizeof rgb);
      mean_t[nn->column] += nn->t / g->columns[nn->column].units;
    }
  /* the order of the measured ‖δ_l‖ (column c shows layer c − 1's δ) */
  for (guint a = 1; a <= 7; a++)
    for (guint b = 1; b <= 7; b++)
      if (mlp->delta_norm[a - 1] > 2 * mlp->delta_norm[b - 1])
        {
          g_assert_cmpfloat (mean_t[a], >, mean_t[b]);
          g_assert_cmpfloat (g->columns[a].layer_t, >, g->columns[b].layer_t);
          lab_assert_close (g->columns[a].layer_delta, mlp->delta_norm[a - 1], 1e-4, 0);
        }
  /* vanishing: the signal at the first hidden layer is far below the output's */
  g_assert_cmpfloat (mlp->delta_norm[0] * 10, <, mlp->delta_norm[6]);
  g_assert_cmpfloat (mean_t[1], <, mean_t[7]);

  lab_net_graph_describe (g, words);
  g_assert_true (g_str_has_prefix (words->str, "Network 2-8-8-8-8-8-8-3: 0 % of connections "
                                               "pruned; back-propagated |δ| from "));
  g_assert_nonnull (strstr (words->str, "at layer 1 to "));
  g_assert_nonnull (strstr (words->str, "at the output"));

  /* a shared scale (compare mode) is used as given */
  lab_net_graph_free (g);
  o.scale_lo = -12;
  o.scale_hi = 2;
  g = lab_net_graph_new (hv, NULL, NULL, &o);
  g_assert_cmpfloat (g->scale_lo, ==, -12);
  g_assert_cmpfloat (g->scale_hi, ==, 2);
  lab_net_graph_free (g);
  lab_heavy_free (hv);
}

/* --- the view --------------------------------------------------------------------------------- */

static GtkWidget *
host (GtkWidget *plot)
{
  GtkWidget *window = gtk_window_new ();

  g_object_ref_sink (plot);
  gtk_window_set_child (GTK_WINDOW (window), plot);
  g_object_set_data (G_OBJECT (plot), "test-window", window);
  return plot;
}

static void
unhost (GtkWidget *plot)
{
  gtk_window_destroy (GTK_WINDOW (g_object_get_data (G_OBJECT (plot), "test-window")));
  g_assert_finalize_object (plot);
}

/* The view drawn by cairo on an opaque background (what export does). */
static cairo_surface_t *
render (GtkWidget *widget,
        int        width,
        int        height)
{
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width, height);
  cairo_t *cr = cairo_create (surface);
  LabPlotStyle style;
  int min;

  gtk_widget_measure (widget, GTK_ORIENTATION_HORIZONTAL, -1, &min, NULL, NULL, NULL);
  gtk_widget_size_allocate (widget, &(GtkAllocation) { 0, 0, width, height }, -1);
  lab_plot_style_init (widget, &style);
  gdk_cairo_set_source_rgba (cr, &style.background);
  cairo_paint (cr);
  cairo_set_source_rgb (cr, 1, 1, 1);
  GTK_WIDGET_GET_CLASS (widget)->snapshot (widget, snapshot);
  node = gtk_snapshot_free_to_node (snapshot);
  gsk_render_node_draw (node, cr);
  cairo_destroy (cr);
  cairo_surface_flush (surface);
  return surface;
}

/* The colour at (x, y), 0 … 255. */
static void
pixel_at (cairo_surface_t *surface,
          double           x,
          double           y,
          int              rgb[3])
{
  const guint8 *data = cairo_image_surface_get_data (surface);
  int stride = cairo_image_surface_get_stride (surface);
  guint32 p;

  memcpy (&p, data + (int) y * stride + (int) x * 4, 4);
  rgb[0] = (p >> 16) & 255;
  rgb[1] = (p >> 8) & 255;
  rgb[2] = p & 255;
}

static int
distance (const int rgb[3],
          double    r,
          double    g,
          double    b)
{
  return MAX (abs (rgb[0] - (int) lrint (r * 255)),
              MAX (abs (rgb[1] - (int) lrint (g * 255)), abs (rgb[2] - (int) lrint (b * 255))));
}

static LabSnapshot *
snapshot_of (LabHeavy *hv,
             guint64   step)
{
  LabSnapshot *snap = lab_snapshot_new ();

  snap->run_id = 1;
  snap->status.step = step;
  snap->heavy = hv;
  hv->step = step;
  return snap;
}

static void
apply (LabPlotModel *model,
       LabSnapshot  *snap)
{
  lab_plot_model_apply (model, snap);
  lab_snapshot_unref (snap);
}

/* Two inputs feed one output; the pruned connection leaves no line where it would run, the
 * kept one is drawn; in |δ| colouring a unit's middle has its colour. */
static void
test_view_pixels (void)
{
  static const gsize sizes[] = { 2, 1 };
  g_autoptr(LabPlotModel) model = lab_plot_model_new ();
  GtkWidget *view = host (lab_network_view_new ());
  LabHeavy *hv = make_heavy (1, sizes);
  const LabNetGraph *g;
  const LabNetNeuron *in0, *in1, *out;
  cairo_surface_t *img;
  LabPlotStyle style;
  int rgb[3];

  hv->layers[0].weight[1] = 0.8f;
  prune (hv, 0, 0, 0);
  set_unit_delta (hv, delta_by_unit);
  apply (model, snapshot_of (hv, 3));
  lab_plot_set_model (LAB_PLOT (view), model);
  img = render (view, 900, 600);
  g = lab_network_view_get_graph (LAB_NETWORK_VIEW (view));
  g_assert_cmpuint (g->n_single, ==, 1);
  in0 = neuron (g, 0);
  in1 = neuron (g, 1);
  out = neuron (g, 2);
  g_assert_cmpuint (in0->unit, ==, 0);
  g_assert_true (in0->hollow);   /* its one outgoing weight is pruned */
  lab_plot_style_init (view, &style);

  /* the middle of where W[0, 0] would run: the background */
  pixel_at (img, (in0->x + in0->r + out->x - out->r) / 2, (in0->y + out->y) / 2, rgb);
  g_assert_cmpint (distance (rgb, style.background.red, style.background.green,
                             style.background.blue), <=, 12);
  /* the middle of W[0, 1], +0.8: red */
  pixel_at (img, (in1->x + in1->r + out->x - out->r) / 2, (in1->y + out->y) / 2, rgb);
  g_assert_cmpint (rgb[0], >, rgb[2] + 40);
  cairo_surface_destroy (img);

  lab_network_view_set_color (LAB_NETWORK_VIEW (view), LAB_NET_COLOR_DELTA);
  img = render (view, 900, 600);
  g = lab_network_view_get_graph (LAB_NETWORK_VIEW (view));
  out = neuron (g, 2);
  pixel_at (img, out->x, out->y, rgb);
  g_assert_cmpint (distance (rgb, out->rgb[0], out->rgb[1], out->rgb[2]), <=, 3);
  cairo_surface_destroy (img);
  unhost (view);
}

/* A pruning between two snapshots of a run fades its connections out within the fade time. */
static void
test_view_fade (void)
{
  static const gsize sizes[] = { 3, 4, 2 };
  g_autoptr(LabPlotModel) model = lab_plot_model_new ();
  GtkWidget *view = host (lab_network_view_new ());
  LabNetworkView *nv = LAB_NETWORK_VIEW (view);
  LabHeavy *dense = make_heavy (2, sizes), *pruned = make_heavy (2, sizes);
  gint64 end;

  prune (pruned, 0, 1, 1);
  prune (pruned, 1, 0, 2);
  lab_plot_set_model (LAB_PLOT (view), model);
  apply (model, snapshot_of (dense, 10));
  g_assert_cmpfloat (lab_network_view_get_fade (nv), ==, 1);
  g_assert_cmpuint (lab_network_view_get_graph (nv)->n_fading, ==, 0);
  apply (model, snapshot_of (pruned, 11));
  g_assert_cmpfloat (lab_network_view_get_fade (nv), <, 1);
  g_assert_true (lab_network_view_is_animating (nv));
  g_assert_cmpuint (lab_network_view_get_graph (nv)->n_fading, ==, 2);
  cairo_surface_destroy (render (view, 900, 600));   /* draws the fading lines */

  end = g_get_monotonic_time () + (LAB_NETWORK_FADE_MS + 200) * 1000;
  while (g_get_monotonic_time () < end)
    g_usleep (20000);
  g_assert_cmpfloat (lab_network_view_get_fade (nv), ==, 1);
  g_assert_cmpuint (lab_network_view_get_graph (nv)->n_fading, ==, 0);
  g_assert_cmpuint (lab_network_view_get_graph (nv)->n_single, ==, 3 * 4 + 4 * 2 - 2);
  unhost (view);
}

/* What a screen reader hears; the hover's words; presenter mode's larger units; a thumbnail
 * enlarged and closed. */
static void
test_view_words (void)
{
  static const gsize sizes[] = { 16, 40, 3 };
  g_autoptr(LabPlotModel) model = lab_plot_model_new ();
  GtkWidget *view = host (lab_network_view_new ());
  LabNetworkView *nv = LAB_NETWORK_VIEW (view);
  GtkWidget *window = g_object_get_data (G_OBJECT (view), "test-window");
  LabHeavy *hv = make_heavy (2, sizes);
  const LabNetGraph *g;
  const LabNetNeuron *nn;
  LabPlotTooltip tip = { 0 };
  g_autofree char *tooltip = NULL;
  const char *said;
  double r;

  hv->img_w = hv->img_h = 4;
  for (gsize c = 0; c < 16; c++)
    prune (hv, 0, 3, c);
  set_unit_delta (hv, delta_by_unit);
  apply (model, snapshot_of (hv, 5));
  lab_plot_set_model (LAB_PLOT (view), model);
  cairo_surface_destroy (render (view, 1000, 700));

  said = lab_plot_refresh_accessible (LAB_PLOT (view));
  g_assert_true (g_str_has_prefix (said, "Network 16-40-3: "));
  g_assert_nonnull (strstr (said, "back-propagated |δ| from "));
  g_assert_nonnull (strstr (said, "1 unit hollow"));

  g = lab_network_view_get_graph (nv);
  nn = neuron (g, g->columns[1].first);
  g_assert_cmpint (nn->thumb, ==, LAB_NET_THUMB_WEIGHTS);   /* first layer of image data */
  tip.x = nn->x;
  tip.y = nn->y;
  tooltip = lab_net_hover_text (g, hv, &tip);
  g_assert_nonnull (strstr (tooltip, "Hidden 1 · unit "));
  g_assert_nonnull (strstr (tooltip, "back-propagated |δ|"));
  g_assert_nonnull (strstr (tooltip, "(step 7)"));
  g_assert_nonnull (strstr (tooltip, "incoming: "));

  lab_network_view_set_enlarged (nv, (int) g->columns[1].first);
  g_assert_cmpint (lab_network_view_get_enlarged (nv), ==, (int) g->columns[1].first);
  cairo_surface_destroy (render (view, 1000, 700));
  lab_network_view_set_enlarged (nv, -1);
  g_assert_cmpint (lab_network_view_get_enlarged (nv), ==, -1);

  r = neuron (lab_network_view_get_graph (nv), 0)->r;
  gtk_widget_add_css_class (window, "presenter");
  g = lab_network_view_get_graph (nv);
  g_assert_cmpfloat (g->opts.unit_scale, ==, 1.5);
  g_assert_cmpfloat (neuron (g, 0)->r, >=, r);
  unhost (view);
}

/* --- the windows ------------------------------------------------------------------------------ */

static gboolean
heavy_has_grads (gpointer data)
{
  LabSnapshot *snap = lab_plot_model_get_heavy (lab_window_get_plot_model (data));

  return snap != NULL && snap->heavy->layers[0].weight_grad != NULL;
}

static gboolean
heavy_has_maps (gpointer data)
{
  LabSnapshot *snap = lab_plot_model_get_heavy (lab_window_get_plot_model (data));

  return snap != NULL && snap->heavy->layers[0].unit_maps != NULL &&
         snap->heavy->layers[0].unit_delta != NULL;
}

/* The window's Network page: shown by name, exportable, and its |∂L/∂w| button makes the
 * session send gradients, which the view then colours by. */
static void
test_window_page (void)
{
  LabConfig cfg;
  LabWindow *win;
  GtkWidget *stack, *button, *view;

  lab_config_init_defaults (&cfg);
  g_assert_true (lab_config_load_preset (&cfg, "spiral", NULL));
  win = g_object_ref (lab_window_new (NULL, &cfg));
  lab_config_clear (&cfg);
  gtk_window_present (GTK_WINDOW (win));
  lab_window_set_page (win, "network");
  stack = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (win), LAB_TYPE_WINDOW, "stack"));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (stack)), ==, "network");
  view = lab_window_find_plot (win, LAB_TYPE_NETWORK_VIEW);
  g_assert_nonnull (view);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (win), "win.step", NULL));
  lab_test_iterate_until (heavy_has_maps, win, TIMEOUT_MS,
                          "maps and δ in the heavy parts after a step");
  g_assert_false (heavy_has_grads (win));
  button = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (win), LAB_TYPE_WINDOW,
                                                      "net_grad_button"));
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (button), TRUE);
  g_assert_cmpint (lab_network_view_get_color (LAB_NETWORK_VIEW (view)), ==, LAB_NET_COLOR_GRAD);
  lab_test_iterate_until (heavy_has_grads, win, TIMEOUT_MS,
                          "gradients in the heavy parts while paused");
  g_assert_true (lab_network_view_get_graph (LAB_NETWORK_VIEW (view))->has_grad);

  gtk_window_destroy (GTK_WINDOW (win));
  g_assert_finalize_object (win);
}

/* Compare mode: the two networks side by side on one colour scale. */
static void
test_compare_network (void)
{
  LabConfig cfg0, cfg1;
  LabCompareWindow *win;
  GtkWidget *v0, *v1;

  lab_config_init_defaults (&cfg0);
  lab_config_init_defaults (&cfg1);
  cfg1.model.act[0] = LAB_ACT_TANH;
  win = g_object_ref (lab_compare_window_new (NULL, &cfg0, "a", &cfg1, "b"));
  g_assert_false (lab_compare_window_get_network (win));
  lab_compare_window_show_network (win, TRUE);
  g_assert_true (lab_compare_window_get_network (win));
  v0 = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (win), LAB_TYPE_COMPARE_WINDOW,
                                                  "network_view_0"));
  v1 = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (win), LAB_TYPE_COMPARE_WINDOW,
                                                  "network_view_1"));
  g_assert_true (LAB_IS_NETWORK_VIEW (v0) && LAB_IS_NETWORK_VIEW (v1));
  g_assert_true (lab_plot_get_y_axis (LAB_PLOT (v0)) == lab_plot_get_y_axis (LAB_PLOT (v1)));
  g_assert_cmpint (lab_network_view_get_color (LAB_NETWORK_VIEW (v0)), ==, LAB_NET_COLOR_DELTA);
  g_assert_true (lab_plot_get_model (LAB_PLOT (v0)) == lab_compare_window_get_model (win, 0));
  g_assert_true (lab_plot_get_model (LAB_PLOT (v1)) == lab_compare_window_get_model (win, 1));
  lab_compare_window_show_network (win, FALSE);
  g_assert_false (lab_compare_window_get_network (win));
  gtk_window_destroy (GTK_WINDOW (win));
  g_assert_finalize_object (win);
  lab_config_clear (&cfg0);
  lab_config_clear (&cfg1);
}

int
main (int   argc,
      char *argv[])
{
  gboolean display = lab_test_init_ui (&argc, &argv);

  g_test_add_func ("/network/graph/pruned-edges", test_graph_pruned_edges);
  g_test_add_func ("/network/graph/hollow-and-removed", test_graph_hollow_and_removed);
  g_test_add_func ("/network/graph/top-k", test_graph_top_k);
  g_test_add_func ("/network/graph/bundles", test_graph_bundles);
  g_test_add_func ("/network/graph/fading", test_graph_fading);
  g_test_add_func ("/network/graph/delta-order", test_graph_delta_order);
  if (!display)
    return g_test_run ();
  g_test_add_func ("/network/view/pixels", test_view_pixels);
  g_test_add_func ("/network/view/fade", test_view_fade);
  g_test_add_func ("/network/view/words", test_view_words);
  g_test_add_func ("/network/window/page", test_window_page);
  g_test_add_func ("/network/compare", test_compare_network);
  return g_test_run ();
}
