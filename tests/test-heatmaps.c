/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * test-heatmaps.c: renders the weight heatmaps, the activation strips and the decision boundary
 * offscreen (snapshot → GskCairoRenderer → texture) from hand-made snapshots and checks pixels:
 * a fully pruned layer is all the pruned colour, positive weights are red and negative blue, the
 * surviving-pixels view lights exactly the one input pixel that keeps weights, and the boundary
 * map has the grid's class colour where the grid says so. PNGs land in the build directory.
 */
#define G_LOG_DOMAIN "test-heatmaps"

#include "config.h"

#include <math.h>
#include <string.h>

#include <gtk/gtk.h>

#include "lab-act-plot.h"
#include "lab-boundary-plot.h"
#include "lab-palette.h"
#include "lab-plot-model.h"
#include "lab-plot-style.h"
#include "lab-test-ui.h"
#include "lab-test-utils.h"
#include "lab-weights-view.h"

#define WIDTH  800
#define HEIGHT 500

/* --- rendering ------------------------------------------------------------------------------ */

typedef struct
{
  int     width, height;
  gsize   stride;
  guint8 *data;   /* B8G8R8A8 premultiplied (cairo ARGB32, little endian) */
} Image;

static void
image_free (Image *img)
{
  g_free (img->data);
  g_free (img);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Image, image_free)

static Image *
render_sized (GtkWidget  *widget,
              int         width,
              int         height,
              const char *png_name)
{
  GtkSnapshot *snapshot;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GskRenderer) renderer = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  Image *img;
  LabPlotStyle style;
  int min;

  gtk_widget_measure (widget, GTK_ORIENTATION_HORIZONTAL, -1, &min, NULL, NULL, NULL);
  gtk_widget_measure (widget, GTK_ORIENTATION_VERTICAL, width, &min, NULL, NULL, NULL);
  gtk_widget_size_allocate (widget, &(GtkAllocation) { 0, 0, width, height }, -1);

  /* the plots draw a translucent card: put them on the window background, as in the app */
  lab_plot_style_init (widget, &style);
  snapshot = gtk_snapshot_new ();
  gtk_snapshot_append_color (snapshot, &style.background,
                             &GRAPHENE_RECT_INIT (0, 0, width, height));
  GTK_WIDGET_GET_CLASS (widget)->snapshot (widget, snapshot);
  node = gtk_snapshot_free_to_node (snapshot);
  g_assert_nonnull (node);

  renderer = gsk_cairo_renderer_new ();
  g_assert_true (gsk_renderer_realize (renderer, NULL, &error));
  g_assert_no_error (error);
  texture = gsk_renderer_render_texture (renderer, node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  gsk_renderer_unrealize (renderer);

  path = g_test_build_filename (G_TEST_BUILT, png_name, NULL);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("saved %s", path);

  img = g_new0 (Image, 1);
  img->width = gdk_texture_get_width (texture);
  img->height = gdk_texture_get_height (texture);
  img->stride = (gsize) img->width * 4;
  img->data = g_malloc (img->stride * img->height);
  gdk_texture_download (texture, img->data, img->stride);
  return img;
}

static Image *
render (GtkWidget  *widget,
        const char *png_name)
{
  return render_sized (widget, WIDTH, HEIGHT, png_name);
}

/* Un-premultiplied 0..255 components of the pixel at (x, y). */
static void
pixel (const Image *img,
       int          x,
       int          y,
       int          rgb[3])
{
  const guint8 *p;
  int a;

  g_assert_cmpint (x, >=, 0);
  g_assert_cmpint (y, >=, 0);
  g_assert_cmpint (x, <, img->width);
  g_assert_cmpint (y, <, img->height);
  p = img->data + (gsize) y * img->stride + (gsize) x * 4;
  a = p[3];
  g_assert_cmpint (a, ==, 255);   /* the plot background is opaque */
  rgb[0] = p[2];
  rgb[1] = p[1];
  rgb[2] = p[0];
}

static int
color_distance (const int      rgb[3],
                const GdkRGBA *c)
{
  int d = 0;

  d = MAX (d, abs (rgb[0] - (int) lrint (c->red * 255)));
  d = MAX (d, abs (rgb[1] - (int) lrint (c->green * 255)));
  d = MAX (d, abs (rgb[2] - (int) lrint (c->blue * 255)));
  return d;
}

/* Not blank: many distinct colours. */
static void
assert_not_blank (const Image *img)
{
  g_autoptr(GHashTable) colors = g_hash_table_new (NULL, NULL);

  for (int y = 0; y < img->height; y += 3)
    for (int x = 0; x < img->width; x += 3)
      {
        guint32 v;

        memcpy (&v, img->data + (gsize) y * img->stride + (gsize) x * 4, 4);
        g_hash_table_add (colors, GUINT_TO_POINTER (v));
      }
  g_assert_cmpuint (g_hash_table_size (colors), >, 20);
}

/* Plots take their colours and fonts from CSS, which needs a root: a window, never presented.
 * Returns @plot with a reference of its own; unhost() destroys the window and checks that the
 * plot is finalized. */
static void
attach_window (GtkWidget *plot)
{
  GtkWidget *window = gtk_window_new ();

  gtk_window_set_child (GTK_WINDOW (window), plot);
  g_object_set_data (G_OBJECT (plot), "test-window", window);
}

static GtkWidget *
host (GtkWidget *plot)
{
  g_object_ref_sink (plot);
  attach_window (plot);
  return plot;
}

static void
unhost (GtkWidget *plot)
{
  GtkWidget *window = g_object_get_data (G_OBJECT (plot), "test-window");

  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_finalize_object (plot);
}

/* Moves the pointer over @widget at (x, y) by emitting its motion controller's signal. */
static void
hover (GtkWidget *widget,
       double     x,
       double     y)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);
  gboolean found = FALSE;

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GObject) c = g_list_model_get_item (controllers, i);

      if (GTK_IS_EVENT_CONTROLLER_MOTION (c))
        {
          g_signal_emit_by_name (c, "motion", x, y);
          found = TRUE;
        }
    }
  g_assert_true (found);
}

/* A theme switch restyles existing widgets only on their next frame, which an unmapped window
 * never gets; a fresh window picks the new theme up at once. */
static void
set_dark (GtkWidget *plot,
          gboolean   dark)
{
  GtkWidget *old = g_object_get_data (G_OBJECT (plot), "test-window");

  g_object_set (gtk_settings_get_default (), "gtk-application-prefer-dark-theme", dark, NULL);
  gtk_window_set_child (GTK_WINDOW (old), NULL);
  gtk_window_destroy (GTK_WINDOW (old));
  attach_window (plot);
}

/* --- data ----------------------------------------------------------------------------------- */

/* A 784 → 64 → 32 → 10 network on 28×28 images, step @step. */
static LabSnapshot *
make_mnist_snapshot (guint64 step)
{
  static const gsize sizes[] = { 784, 64, 32, 10 };
  LabSnapshot *snap = lab_snapshot_new ();
  LabHeavy *hv = lab_heavy_new_chain (3, sizes, TRUE);
  LabStepStats row = { 0 };
  guint32 seed = 12345;

  snap->run_id = 1;
  snap->status.step = step;
  snap->n_classes = 10;
  snap->heavy = hv;
  hv->step = step;
  hv->img_w = 28;
  hv->img_h = 28;
  for (guint l = 0; l < 3; l++)
    hv->layers[l].act = l == 2 ? LAB_ACT_LINEAR : LAB_ACT_TANH;
  hv->layers[1].act = LAB_ACT_RELU;
  for (gsize i = 0; i < hv->n_params; i++)
    {
      seed ^= seed << 13;
      seed ^= seed >> 17;
      seed ^= seed << 5;
      hv->params[i] = ((seed >> 8) / 16777216.0f - 0.5f) * 0.2f;
    }

  /* layer 2 (index 1): pruned entirely */
  for (gsize i = 0; i < sizes[1] * sizes[2]; i++)
    {
      hv->layers[1].mask[i] = 0.0f;
      hv->layers[1].weight[i] = 0.0f;
    }
  hv->layers[1].sparsity = 1.0;
  /* layer 3 (index 2), 10 × 32: rows 0–4 +0.5, rows 5–9 −0.5 */
  for (gsize r = 0; r < 10; r++)
    for (gsize c = 0; c < 32; c++)
      hv->layers[2].weight[r * 32 + c] = r < 5 ? 0.5f : -0.5f;

  /* histograms: a bump per layer */
  for (guint l = 0; l < 3; l++)
    {
      LabHistogram *a = &hv->layers[l].act_hist, *g = &hv->layers[l].grad_hist;

      a->lo = l == 1 ? 0.0f : -1.0f;
      a->hi = 1.0f;
      g->lo = -10.0f;
      g->hi = 1.0f;
      for (guint b = 0; b < LAB_HIST_BINS; b++)
        {
          double t = (b + 0.5) / LAB_HIST_BINS;
          a->count[b] = (guint) (1000 * exp (-pow ((t - 0.3 - 0.2 * l) / 0.12, 2)));
          g->count[b] = (guint) (500 * exp (-pow ((t - 0.7 + 0.15 * l) / 0.08, 2)));
        }
    }

  row.step = step;
  row.n_layers = 3;
  row.layer[0].act_saturated = 0.42f;
  row.layer[1].act_dead = 0.07f;
  lab_row_log_append (snap->rows, &row);
  return snap;
}

static LabPlotModel *
model_with (LabSnapshot *snap)
{
  LabPlotModel *model = lab_plot_model_new ();

  lab_plot_model_apply (model, snap);
  lab_snapshot_unref (snap);
  return model;
}

static void
assert_rect_all_color (const Image           *img,
                       const graphene_rect_t *r,
                       const GdkRGBA         *c,
                       int                    tol)
{
  int x0 = (int) ceil (r->origin.x) + 1, x1 = (int) floor (r->origin.x + r->size.width) - 1;
  int y0 = (int) ceil (r->origin.y) + 1, y1 = (int) floor (r->origin.y + r->size.height) - 1;
  guint n = 0;

  g_assert_cmpint (x1, >, x0);
  g_assert_cmpint (y1, >, y0);
  for (int y = y0; y < y1; y++)
    for (int x = x0; x < x1; x++)
      {
        int rgb[3];

        pixel (img, x, y, rgb);
        if (color_distance (rgb, c) > tol)
          g_error ("pixel (%d, %d) = #%02x%02x%02x is not the expected colour", x, y,
                   rgb[0], rgb[1], rgb[2]);
        n++;
      }
  g_assert_cmpuint (n, >, 100);
}

/* --- tests ---------------------------------------------------------------------------------- */

static void
test_weights_heatmaps (void)
{
  g_autoptr(LabPlotModel) model = model_with (make_mnist_snapshot (10));
  GtkWidget *view = host (lab_weights_view_new ());
  g_autoptr(Image) img = NULL;
  graphene_rect_t r0, r1, r2;
  GdkRGBA pruned;
  int rgb[3];

  lab_plot_set_model (LAB_PLOT (view), model);
  img = render (view, "heatmaps-weights.png");
  assert_not_blank (img);

  g_assert_true (lab_weights_view_get_layer_rect (LAB_WEIGHTS_VIEW (view), 0, &r0));
  g_assert_true (lab_weights_view_get_layer_rect (LAB_WEIGHTS_VIEW (view), 1, &r1));
  g_assert_true (lab_weights_view_get_layer_rect (LAB_WEIGHTS_VIEW (view), 2, &r2));
  g_assert_false (lab_weights_view_get_layer_rect (LAB_WEIGHTS_VIEW (view), 3, &r2));
  g_assert_false (graphene_rect_intersection (&r0, &r1, NULL));
  g_assert_false (graphene_rect_intersection (&r1, &r2, NULL));

  /* the fully pruned layer is entirely the pruned colour, which is not white (= weight 0) */
  lab_weights_view_get_pruned_color (LAB_WEIGHTS_VIEW (view), &pruned);
  g_assert_cmpfloat (pruned.red + pruned.green + pruned.blue, <, 2.4);
  assert_rect_all_color (img, &r1, &pruned, 2);

  /* layer 3: rows 0–4 positive (red), rows 5–9 negative (blue) */
  pixel (img, (int) (r2.origin.x + r2.size.width / 2), (int) (r2.origin.y + r2.size.height * 0.2), rgb);
  g_assert_cmpint (rgb[0], >, rgb[2] + 60);
  pixel (img, (int) (r2.origin.x + r2.size.width / 2), (int) (r2.origin.y + r2.size.height * 0.8), rgb);
  g_assert_cmpint (rgb[2], >, rgb[0] + 60);

  /* the random first layer is neither pruned colour nor uniform */
  {
    guint not_pruned = 0;

    for (int k = 0; k < 50; k++)
      {
        pixel (img, (int) (r0.origin.x + 2 + (r0.size.width - 4) * k / 50.0),
               (int) (r0.origin.y + r0.size.height / 2), rgb);
        not_pruned += color_distance (rgb, &pruned) > 10;
      }
    g_assert_cmpuint (not_pruned, ==, 50);
  }

  /* hover over a single weight of W3 (10 × 32 cells, no reduction) and a block of W1 */
  hover (view, r2.origin.x + r2.size.width * 0.5, r2.origin.y + r2.size.height * 0.15);
  g_clear_pointer (&img, image_free);
  img = render (view, "heatmaps-weights-hover.png");
  hover (view, r0.origin.x + 20, r0.origin.y + 20);
  g_clear_pointer (&img, image_free);
  img = render (view, "heatmaps-weights-hover-block.png");
  hover (view, 1, 1);

  set_dark (view, TRUE);
  g_clear_pointer (&img, image_free);
  img = render (view, "heatmaps-weights-dark.png");
  assert_rect_all_color (img, &r1, &pruned, 2);
  set_dark (view, FALSE);

  /* max-abs reduction renders too */
  lab_weights_view_set_reduce (LAB_WEIGHTS_VIEW (view), LAB_WEIGHTS_REDUCE_MAX_ABS);
  g_clear_pointer (&img, image_free);
  img = render (view, "heatmaps-weights-maxabs.png");
  assert_not_blank (img);
  g_assert_true (lab_weights_view_get_layer_rect (LAB_WEIGHTS_VIEW (view), 1, &r1));
  assert_rect_all_color (img, &r1, &pruned, 2);

  unhost (view);
}

static void
test_weights_pixels (void)
{
  LabSnapshot *snap = make_mnist_snapshot (20);
  LabHeavy *hv = snap->heavy;
  g_autoptr(LabPlotModel) model = NULL;
  GtkWidget *view = host (lab_weights_view_new ());
  g_autoptr(Image) img = NULL;
  graphene_rect_t r;
  GdkRGBA pruned;
  const gsize keep = 5 * 28 + 3;   /* input pixel x = 3, y = 5 */

  /* first layer: only the inputs of pixel (3, 5) keep weights */
  for (gsize row = 0; row < 64; row++)
    for (gsize col = 0; col < 784; col++)
      if (col != keep)
        {
          hv->layers[0].mask[row * 784 + col] = 0.0f;
          hv->layers[0].weight[row * 784 + col] = 0.0f;
        }
  model = model_with (snap);

  lab_plot_set_model (LAB_PLOT (view), model);
  lab_weights_view_set_mode (LAB_WEIGHTS_VIEW (view), LAB_WEIGHTS_MODE_PIXELS);
  img = render (view, "heatmaps-pixels.png");
  assert_not_blank (img);
  lab_weights_view_get_pruned_color (LAB_WEIGHTS_VIEW (view), &pruned);
  g_assert_true (lab_weights_view_get_layer_rect (LAB_WEIGHTS_VIEW (view), 0, &r));
  g_assert_false (lab_weights_view_get_layer_rect (LAB_WEIGHTS_VIEW (view), 1, &r));
  g_assert_true (lab_weights_view_get_layer_rect (LAB_WEIGHTS_VIEW (view), 0, &r));

  /* square input pixels, at least 4 px each at this size */
  g_assert_cmpfloat_with_epsilon (r.size.width, r.size.height, 0.5);
  g_assert_cmpfloat (r.size.width / 28, >=, 4);

  for (int py = 0; py < 28; py++)
    for (int px = 0; px < 28; px++)
      {
        int rgb[3];

        pixel (img, (int) (r.origin.x + (px + 0.5) * r.size.width / 28),
               (int) (r.origin.y + (py + 0.5) * r.size.height / 28), rgb);
        if (px == 3 && py == 5)
          {
            /* all 64 rows kept: the top of the sequential map (viridis yellow) */
            g_assert_cmpint (rgb[0], >, 200);
            g_assert_cmpint (rgb[1], >, 200);
            g_assert_cmpint (rgb[2], <, 100);
          }
        else if (color_distance (rgb, &pruned) > 2)
          g_error ("input pixel (%d, %d) is lit: #%02x%02x%02x", px, py, rgb[0], rgb[1], rgb[2]);
      }

  /* Σ|w| measure renders too */
  lab_weights_view_set_pixels (LAB_WEIGHTS_VIEW (view), LAB_WEIGHTS_PIXELS_ABS_SUM);
  g_clear_pointer (&img, image_free);
  img = render (view, "heatmaps-pixels-abs.png");
  assert_not_blank (img);

  unhost (view);
}

static void
test_weights_no_data (void)
{
  g_autoptr(LabPlotModel) model = lab_plot_model_new ();
  GtkWidget *view = host (lab_weights_view_new ());
  g_autoptr(Image) img = NULL;
  graphene_rect_t r;

  /* no model, then an empty model: a message, no panels */
  g_clear_pointer (&img, image_free);
  img = render (view, "heatmaps-weights-empty.png");
  lab_plot_set_model (LAB_PLOT (view), model);
  g_clear_pointer (&img, image_free);
  img = render (view, "heatmaps-weights-empty.png");
  g_assert_false (lab_weights_view_get_layer_rect (LAB_WEIGHTS_VIEW (view), 0, &r));
  unhost (view);
}

static void
test_activations (void)
{
  g_autoptr(LabPlotModel) model = model_with (make_mnist_snapshot (30));
  GtkWidget *plot = host (lab_act_plot_new ());
  g_autoptr(Image) img = NULL;
  graphene_rect_t r;

  lab_plot_set_model (LAB_PLOT (plot), model);
  img = render (plot, "heatmaps-activations.png");
  assert_not_blank (img);

  /* hidden layers only: two strips, input at the top */
  g_assert_true (lab_act_plot_get_strip_rect (LAB_ACT_PLOT (plot), 0, &r));
  {
    graphene_rect_t r1;

    g_assert_true (lab_act_plot_get_strip_rect (LAB_ACT_PLOT (plot), 1, &r1));
    g_assert_cmpfloat (r1.origin.y, >, r.origin.y);
    g_assert_false (lab_act_plot_get_strip_rect (LAB_ACT_PLOT (plot), 2, &r1));
  }

  /* the strip holds bars in the layer colour */
  {
    GdkRGBA c;
    guint hits = 0;

    lab_palette_layer_color (0, 3, &c);
    for (int y = (int) r.origin.y; y < (int) (r.origin.y + r.size.height); y++)
      for (int x = (int) r.origin.x; x < (int) (r.origin.x + r.size.width); x += 2)
        {
          int rgb[3];

          pixel (img, x, y, rgb);
          hits += color_distance (rgb, &c) < 60;
        }
    g_assert_cmpuint (hits, >, 50);
  }

  /* the notes: the row's dead and saturated shares, or the overflow when a layer had any */
  g_assert_cmpstr (lab_act_plot_get_note (LAB_ACT_PLOT (plot), 1), ==, "dead 7 %");
  {
    g_autoptr(LabSnapshot) snap = make_mnist_snapshot (31);
    g_autoptr(LabPlotModel) over = NULL;
    LabHistogram *h1 = &snap->heavy->layers[1].act_hist, *h0 = &snap->heavy->layers[0].act_hist;
    guint64 binned = 0;

    for (guint b = 0; b < LAB_HIST_BINS; b++)
      binned += h1->count[b];
    h1->nonfinite = (guint) binned;   /* half the sampled values inf or NaN */
    memset (h0->count, 0, sizeof h0->count);
    h0->nonfinite = 100;              /* all of them */
    over = model_with (g_steal_pointer (&snap));
    lab_plot_set_model (LAB_PLOT (plot), over);
    g_clear_pointer (&img, image_free);
    img = render (plot, "heatmaps-activations-overflow.png");
    g_assert_cmpstr (lab_act_plot_get_note (LAB_ACT_PLOT (plot), 0), ==, "all inf/NaN");
    g_assert_cmpstr (lab_act_plot_get_note (LAB_ACT_PLOT (plot), 1), ==, "inf/NaN 50.0 %");
    g_assert_null (lab_act_plot_get_note (LAB_ACT_PLOT (plot), 2));
    lab_plot_set_model (LAB_PLOT (plot), model);
  }

  lab_act_plot_set_quantity (LAB_ACT_PLOT (plot), LAB_ACT_PLOT_GRADIENTS);
  g_clear_pointer (&img, image_free);
  img = render (plot, "heatmaps-gradients.png");
  assert_not_blank (img);
  g_assert_true (lab_act_plot_get_strip_rect (LAB_ACT_PLOT (plot), 2, &r));
  hover (plot, r.origin.x + r.size.width * 0.3, r.origin.y + r.size.height * 0.8);
  g_clear_pointer (&img, image_free);
  img = render (plot, "heatmaps-gradients-hover.png");
  set_dark (plot, TRUE);
  g_clear_pointer (&img, image_free);
  img = render (plot, "heatmaps-gradients-dark.png");
  set_dark (plot, FALSE);

  unhost (plot);
}

static void
count_frames (GdkFrameClock *clock,
              guint         *n)
{
  (*n)++;
}

/* A snapshot of rows only (no heavy part) at @step, ReLU layer 2 @dead. */
static LabSnapshot *
make_row_snapshot (guint64 step,
                   float   dead)
{
  LabSnapshot *snap = lab_snapshot_new ();
  LabStepStats row = { 0 };

  snap->run_id = 1;
  snap->status.step = step;
  row.step = step;
  row.n_layers = 3;
  row.layer[0].act_saturated = 0.42f;
  row.layer[1].act_dead = dead;
  lab_row_log_append (snap->rows, &row);
  return snap;
}

/* The strips are redrawn only when what they show changes: rows that leave the notes as they
 * were paint no frame at all (GTK keeps the plot's render node); a new dead fraction or new
 * histograms do. On the Gradients page rows come every ~33 ms, histograms every ~100 ms. */
static void
test_activations_redraw (void)
{
  g_autoptr(LabPlotModel) model = model_with (make_mnist_snapshot (30));
  GtkWidget *window = gtk_window_new ();
  GtkWidget *plot = lab_act_plot_new ();
  GdkFrameClock *clock;
  LabSnapshot *snap;
  guint frames = 0;
  gulong id;

  lab_plot_set_model (LAB_PLOT (plot), model);
  gtk_window_set_child (GTK_WINDOW (window), plot);
  gtk_window_set_default_size (GTK_WINDOW (window), WIDTH, HEIGHT);
  gtk_window_present (GTK_WINDOW (window));
  lab_test_iterate_for (500);   /* mapped, first frames painted */
  clock = gtk_widget_get_frame_clock (window);
  g_assert_nonnull (clock);
  id = g_signal_connect (clock, "after-paint", G_CALLBACK (count_frames), &frames);

  /* same histograms (no heavy part), same "dead 7 %": nothing to paint */
  snap = make_row_snapshot (31, 0.07f);
  lab_plot_model_apply (model, snap);
  lab_snapshot_unref (snap);
  lab_test_iterate_for (300);
  g_assert_cmpuint (frames, ==, 0);

  /* "dead 8 %" */
  snap = make_row_snapshot (32, 0.08f);
  lab_plot_model_apply (model, snap);
  lab_snapshot_unref (snap);
  lab_test_iterate_for (300);
  g_assert_cmpuint (frames, >, 0);

  /* new histograms, same notes */
  frames = 0;
  snap = make_mnist_snapshot (40);
  {
    LabStepStats *st = lab_test_row (snap->rows, 0);

    st->layer[1].act_dead = 0.08f;
    lab_row_log_set (snap->rows, 0, st);
  }
  snap->heavy->layers[0].act_hist.count[5] += 500;
  lab_plot_model_apply (model, snap);
  lab_snapshot_unref (snap);
  lab_test_iterate_for (300);
  g_assert_cmpuint (frames, >, 0);

  g_signal_handler_disconnect (clock, id);
  lab_plot_set_model (LAB_PLOT (plot), NULL);
  gtk_window_destroy (GTK_WINDOW (window));
}

static LabSnapshot *
make_2d_snapshot (guint grid_n)
{
  LabSnapshot *snap = lab_snapshot_new ();
  static const gsize sizes[] = { 2, 8, 3 };
  LabHeavy *hv = lab_heavy_new_chain (2, sizes, FALSE);

  snap->run_id = 2;
  snap->status.step = 5;
  snap->n_classes = 3;
  snap->heavy = hv;
  hv->step = 5;
  hv->layers[0].act = LAB_ACT_RELU;
  hv->grid_n = grid_n;
  hv->grid_lo = -1.5f;
  hv->grid_hi = 1.5f;
  if (grid_n > 0)
    {
      hv->grid_class = g_new (guint8, grid_n * grid_n);
      hv->grid_conf = g_new (float, grid_n * grid_n);
      /* bottom quarter (row 0 = bottom) class 2; above it, left half 0, right half 1 */
      for (guint row = 0; row < grid_n; row++)
        for (guint col = 0; col < grid_n; col++)
          {
            gsize i = (gsize) row * grid_n + col;

            hv->grid_class[i] = row < grid_n / 4 ? 2 : col < grid_n / 2 ? 0 : 1;
            hv->grid_conf[i] = 0.95f;
          }
    }

  /* training points on the cell corners of an 8×8 lattice, away from the sampled centres */
  snap->n_points = 49;
  snap->points = g_new (float, 2 * 49);
  snap->point_labels = g_new (guint8, 49);
  for (guint k = 0; k < 49; k++)
    {
      snap->points[2 * k] = -1.5f + 3.0f * (k % 7 + 1) / 8;
      snap->points[2 * k + 1] = -1.5f + 3.0f * (k / 7 + 1) / 8;
      snap->point_labels[k] = k % 3;
    }
  return snap;
}

static void
test_boundary (void)
{
  g_autoptr(LabPlotModel) model = model_with (make_2d_snapshot (16));
  GtkWidget *plot = host (lab_boundary_plot_new ());
  g_autoptr(Image) img = NULL;
  LabPlotStyle s;
  struct { double x1, x2; guint k; } probes[] = {
    { -1.15, -1.3, 2 }, { 1.15, -1.3, 2 },   /* bottom band (off the grid lines) */
    { -1.15, 1.15, 0 }, { -0.4, 0.2, 0 },    /* upper left */
    { 1.15, 1.15, 1 }, { 0.4, 0.2, 1 },      /* upper right */
  };

  lab_plot_set_model (LAB_PLOT (plot), model);
  img = render (plot, "heatmaps-boundary.png");
  assert_not_blank (img);
  lab_plot_style_init (plot, &s);

  for (guint p = 0; p < G_N_ELEMENTS (probes); p++)
    {
      double wx, wy;
      int rgb[3];
      guint best = 0;
      int best_d = G_MAXINT;

      g_assert_true (lab_boundary_plot_to_widget (LAB_BOUNDARY_PLOT (plot), probes[p].x1,
                                                  probes[p].x2, &wx, &wy));
      pixel (img, (int) wx, (int) wy, rgb);
      /* nearest of the three class tints */
      for (guint k = 0; k < 3; k++)
        {
          GdkRGBA c;
          int d = 0;

          lab_palette_class_color (k, &c);
          for (int ch = 0; ch < 3; ch++)
            {
              double bg = ch == 0 ? s.background.red : ch == 1 ? s.background.green : s.background.blue;
              double fg = ch == 0 ? c.red : ch == 1 ? c.green : c.blue;
              double a = 0.12 + 0.5 * (0.95 - 1.0 / 3) / (1 - 1.0 / 3);

              d += abs (rgb[ch] - (int) lrint (255 * (a * fg + (1 - a) * bg)));
            }
          if (d < best_d)
            {
              best_d = d;
              best = k;
            }
        }
      g_assert_cmpuint (best, ==, probes[p].k);
      g_assert_cmpint (best_d, <=, 6);
    }

  /* a point is drawn in its class colour */
  {
    double wx, wy;
    int rgb[3];
    GdkRGBA c;

    /* k = 0: (-1.5 + 3/8, -1.5 + 3/8), label 0 */
    g_assert_true (lab_boundary_plot_to_widget (LAB_BOUNDARY_PLOT (plot), -1.5 + 3.0 / 8,
                                                -1.5 + 3.0 / 8, &wx, &wy));
    pixel (img, (int) round (wx), (int) round (wy), rgb);
    lab_palette_class_color (0, &c);
    g_assert_cmpint (color_distance (rgb, &c), <=, 40);
  }

  {
    double wx, wy;

    g_assert_true (lab_boundary_plot_to_widget (LAB_BOUNDARY_PLOT (plot), 0.3, 0.3, &wx, &wy));
    hover (plot, wx, wy);
    g_clear_pointer (&img, image_free);
    img = render (plot, "heatmaps-boundary-hover.png");
    hover (plot, 1, 1);
  }
  set_dark (plot, TRUE);
  g_clear_pointer (&img, image_free);
  img = render (plot, "heatmaps-boundary-dark.png");
  set_dark (plot, FALSE);

  unhost (plot);
}

/* Counts pixels of class 0's full colour (the legend swatch; the map itself is a paler tint and
 * the training points are outlined) inside [x0, x1) × [y0, y1). */
static guint
count_swatch (const Image *img,
              int          x0,
              int          y0,
              int          x1,
              int          y1)
{
  GdkRGBA c;
  guint n = 0;

  lab_palette_class_color (0, &c);
  for (int y = MAX (y0, 0); y < MIN (y1, img->height); y++)
    for (int x = MAX (x0, 0); x < MIN (x1, img->width); x++)
      {
        int rgb[3];

        pixel (img, x, y, rgb);
        if (color_distance (rgb, &c) <= 12)
          n++;
      }
  return n;
}

/* The square and its legend share the panel: beside a wide panel's square, below a narrow tall
 * one's (where a legend on the right left a square a third of the width), and the x title under
 * the square rather than at the widget's bottom edge. */
static void
test_boundary_layout (void)
{
  g_autoptr(LabPlotModel) model = model_with (make_2d_snapshot (16));
  GtkWidget *plot = host (lab_boundary_plot_new ());
  struct { int w, h; gboolean below; } cases[] = { { 560, 300, FALSE }, { 260, 360, TRUE } };

  g_object_set (plot, "show-points", FALSE, NULL);
  lab_plot_set_model (LAB_PLOT (plot), model);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *name = g_strdup_printf ("heatmaps-boundary-%dx%d.png", cases[i].w,
                                               cases[i].h);
      g_autoptr(Image) img = render_sized (plot, cases[i].w, cases[i].h, name);
      double x0, y0, x1, y1, side;

      /* the grid spans [-1.5, 1.5]²: its corners are the square's */
      g_assert_true (lab_boundary_plot_to_widget (LAB_BOUNDARY_PLOT (plot), -1.5, -1.5,
                                                  &x0, &y1));
      g_assert_true (lab_boundary_plot_to_widget (LAB_BOUNDARY_PLOT (plot), 1.5, 1.5, &x1, &y0));
      side = x1 - x0;
      g_test_message ("%dx%d: square %.0f px at (%.0f, %.0f)", cases[i].w, cases[i].h, side,
                      x0, y0);
      g_assert_cmpfloat (fabs ((y1 - y0) - side), <=, 1.5);
      g_assert_cmpfloat (side, >=, 0.5 * MIN (cases[i].w, cases[i].h));
      g_assert_cmpfloat (x1, <=, cases[i].w);
      g_assert_cmpfloat (y1, <=, cases[i].h);
      /* the rotated y title ("x₂", far left) is centred on the square */
      {
        LabPlotStyle st;
        int bg[3], rgb[3];
        double sum = 0;
        guint n = 0;

        lab_plot_style_init (plot, &st);
        bg[0] = (int) lrint (255 * st.background.red);
        bg[1] = (int) lrint (255 * st.background.green);
        bg[2] = (int) lrint (255 * st.background.blue);
        for (int y = (int) y0 - 6; y < cases[i].h; y++)   /* below the plot's title */
          for (int x = 0; x < 22; x++)
            {
              pixel (img, x, y, rgb);
              if (abs (rgb[0] - bg[0]) + abs (rgb[1] - bg[1]) + abs (rgb[2] - bg[2]) > 60)
                {
                  sum += y;
                  n++;
                }
            }
        g_assert_cmpuint (n, >, 5);
        g_assert_cmpfloat (fabs (sum / n - (y0 + y1) / 2), <, 0.1 * side);
      }
      if (cases[i].below)
        {
          g_assert_cmpuint (count_swatch (img, 0, (int) y1 + 30, cases[i].w, cases[i].h), >, 20);
          g_assert_cmpuint (count_swatch (img, (int) x1 + 2, 0, cases[i].w, cases[i].h), ==, 0);
        }
      else
        {
          g_assert_cmpuint (count_swatch (img, (int) x1 + 2, 0, cases[i].w, cases[i].h), >, 20);
          g_assert_cmpuint (count_swatch (img, 0, (int) y1 + 2, cases[i].w, cases[i].h), ==, 0);
        }
    }
  unhost (plot);
}

static void
test_boundary_not_2d (void)
{
  g_autoptr(LabPlotModel) model = model_with (make_2d_snapshot (0));
  GtkWidget *plot = host (lab_boundary_plot_new ());
  g_autoptr(Image) img = NULL;

  lab_plot_set_model (LAB_PLOT (plot), model);
  img = render (plot, "heatmaps-boundary-none.png");
  set_dark (plot, TRUE);
  g_clear_pointer (&img, image_free);
  img = render (plot, "heatmaps-boundary-none-dark.png");
  set_dark (plot, FALSE);
  g_assert_false (lab_boundary_plot_to_widget (LAB_BOUNDARY_PLOT (plot), 0, 0, NULL, NULL));
  unhost (plot);
}

/* A new heavy snapshot replaces the cached textures; an unchanged one keeps them. */
static void
test_weights_rebuild (void)
{
  g_autoptr(LabPlotModel) model = model_with (make_mnist_snapshot (40));
  GtkWidget *view = host (lab_weights_view_new ());
  g_autoptr(Image) a = NULL;
  g_autoptr(Image) b = NULL;
  LabSnapshot *next = make_mnist_snapshot (41);
  graphene_rect_t r2;
  int rgb[3];

  lab_plot_set_model (LAB_PLOT (view), model);
  a = render (view, "heatmaps-weights-before.png");

  /* flip the signs of layer 3 */
  for (gsize i = 0; i < 10 * 32; i++)
    next->heavy->layers[2].weight[i] *= -1;
  lab_plot_model_apply (model, next);
  lab_snapshot_unref (next);
  b = render (view, "heatmaps-weights-after.png");
  g_assert_true (lab_weights_view_get_layer_rect (LAB_WEIGHTS_VIEW (view), 2, &r2));
  pixel (b, (int) (r2.origin.x + r2.size.width / 2), (int) (r2.origin.y + r2.size.height * 0.2), rgb);
  g_assert_cmpint (rgb[2], >, rgb[0] + 60);   /* now blue on top */
  unhost (view);
}

int
main (int   argc,
      char *argv[])
{
  if (!lab_test_init_ui (&argc, &argv))
    return g_test_run ();

  g_test_add_func ("/ui/heatmaps/weights", test_weights_heatmaps);
  g_test_add_func ("/ui/heatmaps/weights/pixels", test_weights_pixels);
  g_test_add_func ("/ui/heatmaps/weights/no-data", test_weights_no_data);
  g_test_add_func ("/ui/heatmaps/weights/rebuild", test_weights_rebuild);
  g_test_add_func ("/ui/heatmaps/activations", test_activations);
  g_test_add_func ("/ui/heatmaps/activations/redraw", test_activations_redraw);
  g_test_add_func ("/ui/heatmaps/boundary", test_boundary);
  g_test_add_func ("/ui/heatmaps/boundary/not-2d", test_boundary_not_2d);
  g_test_add_func ("/ui/heatmaps/boundary/layout", test_boundary_layout);

  return g_test_run ();
}
