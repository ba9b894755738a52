/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * test-plots.c: the plot model and the plot widgets of issue 5 (plots 1, 2, 3 and 7), fed with
 * synthetic snapshots in which layer 1's gradient norm is 1e-6 and the last layer's 1e-1 (a
 * vanishing-gradient picture), rendered offscreen with the Cairo renderer. Each render is saved
 * as a PNG in the build directory (plot-*.png) for a person to look at.
 */
#define G_LOG_DOMAIN "test-plots"

#include "config.h"

#include <math.h>
#include <string.h>

#include <gtk/gtk.h>

#include "lab-act-plot.h"
#include "lab-axis.h"
#include "lab-boundary-plot.h"
#include "lab-flow-plot.h"
#include "lab-grad-plot.h"
#include "lab-loss-plot.h"
#include "lab-number-format.h"
#include "lab-palette.h"
#include "lab-plot-area.h"
#include "lab-plot-legend.h"
#include "lab-plot-model.h"
#include "lab-plot-style.h"
#include "lab-plot-text.h"
#include "lab-scale.h"
#include "lab-sparsity-plot.h"
#include "lab-test-ui.h"
#include "lab-test-utils.h"
#include "lab-weights-view.h"

#define N_LAYERS 4
/* render size (changed by the presenter and small-size tests) */
static int W = 640;
static int H = 400;

/* --- synthetic data ------------------------------------------------------------------------ */

/* Layer l's gradient norm at step t: 1e-6 … 1e-1 from input to output, with a small wobble. */
static double
grad_of (guint l,
         guint n_layers,
         guint64 t)
{
  double e = -6.0 + 5.0 * l / (n_layers - 1);

  return pow (10.0, e) * (1.0 + 0.3 * sin (0.05 * (double) t + l));
}

static LabSnapshot *
make_snapshot (guint    run_id,
               guint64  first,
               guint64  count,
               guint    n_layers,
               gboolean heavy)
{
  LabSnapshot *snap = lab_snapshot_new ();

  snap->run_id = run_id;
  snap->status.state = LAB_SESSION_RUNNING;
  for (guint64 t = first; t < first + count; t++)
    {
      LabStepStats st = { 0 };

      st.step = t;
      st.epoch = 1 + (guint) (t / 500);
      st.n_layers = n_layers;
      st.loss = 2.3 * exp (-(double) t / 600.0) + 0.05 + 0.05 * sin ((double) t);
      st.accuracy = 1.0 - 0.9 * exp (-(double) t / 500.0);
      for (guint l = 0; l < n_layers; l++)
        {
          st.layer[l].grad_norm = (float) grad_of (l, n_layers, t);
          st.layer[l].delta_norm = (float) (grad_of (l, n_layers, t) * 3);
          st.layer[l].sparsity = (float) (0.2 + 0.6 * l / MAX (1, n_layers - 1));
        }
      st.sparsity = 0.5;
      lab_row_log_append (snap->rows, &st);
      snap->status.step = t;
    }
  if ((first + count) / 100 > first / 100)
    {
      snap->status.eval_step = ((first + count - 1) / 100) * 100;
      snap->status.test_loss = 2.3 * exp (-(double) snap->status.eval_step / 600.0) + 0.1;
      snap->status.test_accuracy = 0.95 - 0.9 * exp (-(double) snap->status.eval_step / 500.0);
    }
  if (heavy)
    {
      snap->heavy = lab_heavy_new (n_layers, 0, FALSE);
      snap->heavy->step = snap->status.step;
    }
  return snap;
}

/* Feeds steps 1 … n_steps in snapshots of 37 rows, the way a session would. */
static LabPlotModel *
make_model (guint64 n_steps,
            guint   n_layers)
{
  LabPlotModel *model = lab_plot_model_new ();

  for (guint64 t = 1; t <= n_steps; t += 37)
    {
      g_autoptr (LabSnapshot) snap = make_snapshot (7, t, MIN (37, n_steps + 1 - t), n_layers,
                                                    t % 370 == 1);
      lab_plot_model_apply (model, snap);
    }
  return model;
}

/* --- offscreen rendering ------------------------------------------------------------------- */

typedef struct
{
  int     width;
  int     height;
  guchar *data;     /* Cairo ARGB32 (premultiplied), stride width·4 */
} Image;

static void
image_free (Image *img)
{
  g_free (img->data);
  g_free (img);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Image, image_free)

/* Plots take their colours from CSS, which needs a root: a window, never presented. */
static GtkWidget *
host (GtkWidget *plot)
{
  GtkWidget *window = gtk_window_new ();

  gtk_window_set_child (GTK_WINDOW (window), plot);
  return window;
}

/* Closes @win and checks that @plot, its child, goes with it (nothing else holds a reference). */
static void
unhost (GtkWidget *plot,
        GtkWidget *win)
{
  gtk_window_destroy (GTK_WINDOW (win));
  g_assert_finalize_object (plot);
}

static void
set_dark (gboolean dark)
{
  g_object_set (gtk_settings_get_default (), "gtk-application-prefer-dark-theme", dark, NULL);
}

static gboolean presenter;
static gboolean vector;   /* render as lab_export_plot() does: "export" on the window */

/* Allocates @widget at W×H, snapshots it over an opaque theme-like background, renders with
 * the Cairo renderer, saves build/plot-NAME.png and returns the pixels. */
static Image *
render (GtkWidget  *widget,
        const char *name,
        gboolean    dark)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GskRenderer) renderer = NULL;
  g_autoptr (GdkTexture) texture = NULL;
  GskRenderNode *node;
  GtkSnapshot *snapshot;
  g_autofree char *path = NULL;
  Image *img;
  int min_w, min_h;
  GdkRGBA bg = dark ? (GdkRGBA) { 0.14f, 0.14f, 0.14f, 1.f } : (GdkRGBA) { 1.f, 1.f, 1.f, 1.f };

  GtkWidget *old = gtk_widget_get_ancestor (widget, GTK_TYPE_WINDOW);
  GtkWidget *win;

  /* A theme switch restyles existing widgets only on the next frame; a fresh window picks the
   * new theme up at once. */
  set_dark (dark);
  if (old != NULL)
    gtk_window_set_child (GTK_WINDOW (old), NULL);
  win = host (widget);
  if (presenter)
    gtk_widget_add_css_class (win, "presenter");
  if (vector)
    gtk_widget_add_css_class (win, "export");

  gtk_widget_measure (widget, GTK_ORIENTATION_HORIZONTAL, -1, &min_w, NULL, NULL, NULL);
  gtk_widget_measure (widget, GTK_ORIENTATION_VERTICAL, W, &min_h, NULL, NULL, NULL);
  g_assert_cmpint (min_w, >=, 200);
  g_assert_cmpint (min_w, <=, MAX (W, 240));
  g_assert_cmpint (min_h, >=, 120);
  g_assert_cmpint (min_h, <=, MAX (H, 160));
  gtk_widget_size_allocate (widget, &(GtkAllocation) { 0, 0, W, H }, -1);

  snapshot = gtk_snapshot_new ();
  gtk_snapshot_append_color (snapshot, &bg, &GRAPHENE_RECT_INIT (0, 0, W, H));
  GTK_WIDGET_GET_CLASS (widget)->snapshot (widget, snapshot);
  node = gtk_snapshot_free_to_node (snapshot);
  g_assert_nonnull (node);

  renderer = gsk_cairo_renderer_new ();
  g_assert_true (gsk_renderer_realize (renderer, NULL, &error));
  g_assert_no_error (error);
  texture = gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, W, H));
  gsk_render_node_unref (node);
  gsk_renderer_unrealize (renderer);

  gtk_window_set_child (GTK_WINDOW (win), NULL);
  gtk_window_destroy (GTK_WINDOW (win));
  set_dark (FALSE);
  if (old != NULL)
    gtk_window_set_child (GTK_WINDOW (old), widget);
  path = g_build_filename (g_getenv ("G_TEST_BUILDDIR") ? g_getenv ("G_TEST_BUILDDIR") : ".",
                           name, NULL);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("saved %s", path);

  img = g_new0 (Image, 1);
  img->width = gdk_texture_get_width (texture);
  img->height = gdk_texture_get_height (texture);
  img->data = g_malloc (img->width * 4 * img->height);
  gdk_texture_download (texture, img->data, img->width * 4);
  return img;
}

static inline void
pixel (const Image *img,
       int          x,
       int          y,
       double      *r,
       double      *g,
       double      *b)
{
  const guint32 p = ((const guint32 *) (const void *) img->data)[y * img->width + x];

  *r = ((p >> 16) & 0xff) / 255.0;
  *g = ((p >> 8) & 0xff) / 255.0;
  *b = (p & 0xff) / 255.0;
}

static guint
count_colours (const Image *img)
{
  g_autoptr (GHashTable) seen = g_hash_table_new (NULL, NULL);
  const guint32 *px = (const guint32 *) (const void *) img->data;

  for (int i = 0; i < img->width * img->height; i++)
    g_hash_table_add (seen, GUINT_TO_POINTER (px[i]));
  return g_hash_table_size (seen);
}

/* Mean row of the pixels within @tol of @c (or -1 if none), in x ≥ @x0. */
static double
mean_row_of_colour (const Image   *img,
                    const GdkRGBA *c,
                    double         tol,
                    int            x0,
                    guint         *n_out)
{
  double sum = 0;
  guint n = 0;

  for (int y = 0; y < img->height; y++)
    for (int x = x0; x < img->width; x++)
      {
        double r, g, b;

        pixel (img, x, y, &r, &g, &b);
        if (fabs (r - c->red) < tol && fabs (g - c->green) < tol && fabs (b - c->blue) < tol)
          {
            sum += y;
            n++;
          }
      }
  if (n_out != NULL)
    *n_out = n;
  return n > 0 ? sum / n : -1;
}

static void
assert_not_blank (const Image *img,
                  guint        min_colours)
{
  guint n = count_colours (img);

  g_test_message ("%u distinct colours", n);
  g_assert_cmpuint (n, >=, min_colours);
}

/* --- model --------------------------------------------------------------------------------- */

static void
count_changed (LabPlotModel *model,
               guint        *n)
{
  (*n)++;
}

/* A reopened run's rows go to the run its config command starts, not to a run that began
 * before it (a new window's first snapshot arriving late): the race test-export hit. */
static void
test_model_restore (void)
{
  g_autoptr (LabPlotModel) model = lab_plot_model_new ();
  LabRowLog *saved = lab_row_log_new (N_LAYERS);

  for (guint64 t = 1; t <= 30; t++)
    {
      LabStepStats st = { .step = t, .epoch = 1, .n_layers = N_LAYERS, .loss = 1.0,
                          .test_loss = NAN, .test_accuracy = NAN };

      lab_row_log_append (saved, &st);
    }
  lab_plot_model_restore_run (model, 7, saved, 30, 0.5, 0.8);
  {
    /* the window's first run, from before the command */
    g_autoptr (LabSnapshot) snap = make_snapshot (1, 1, 0, N_LAYERS, FALSE);

    snap->status.acked = 2;
    lab_plot_model_apply (model, snap);
  }
  g_assert_null (lab_plot_model_get_row_log (model));
  {
    /* the config command's run: the saved rows, then its own */
    g_autoptr (LabSnapshot) snap = make_snapshot (2, 31, 5, N_LAYERS, FALSE);

    snap->status.acked = 7;
    lab_plot_model_apply (model, snap);
  }
  g_assert_cmpuint (lab_row_log_len (lab_plot_model_get_row_log (model)), ==, 35);
  g_assert_cmpuint (lab_history_len (lab_plot_model_get_history (model)), ==, 35);
  g_assert_cmpuint (lab_plot_model_get_evals (model)->len, >=, 1);
  g_assert_cmpuint (g_array_index (lab_plot_model_get_evals (model), LabEvalPoint, 0).step, ==,
                    30);
  {
    /* taken once: a later run starts empty */
    g_autoptr (LabSnapshot) snap = make_snapshot (3, 1, 2, N_LAYERS, FALSE);

    snap->status.acked = 9;
    lab_plot_model_apply (model, snap);
  }
  g_assert_cmpuint (lab_row_log_len (lab_plot_model_get_row_log (model)), ==, 2);
}

static void
test_model_apply (void)
{
  g_autoptr (LabPlotModel) model = lab_plot_model_new ();
  guint n_changed = 0;
  LabHistory *h;
  GArray *evals;

  g_signal_connect (model, "changed", G_CALLBACK (count_changed), &n_changed);
  g_assert_null (lab_plot_model_get_history (model));
  g_assert_null (lab_plot_model_get_latest (model));
  g_assert_cmpuint (lab_plot_model_get_last_row (model)->step, ==, 0);

  for (guint64 t = 1; t <= 500; t += 50)
    {
      g_autoptr (LabSnapshot) snap = make_snapshot (3, t, 50, N_LAYERS, t == 1);
      lab_plot_model_apply (model, snap);
    }
  g_assert_cmpuint (n_changed, ==, 10);
  g_assert_cmpuint (lab_plot_model_get_run_id (model), ==, 3);
  h = lab_plot_model_get_history (model);
  g_assert_nonnull (h);
  g_assert_cmpuint (lab_history_n_layers (h), ==, N_LAYERS);
  g_assert_cmpuint (lab_history_len (h), ==, 500);
  g_assert_cmpuint (lab_history_get (h, 499, LAB_HISTORY_LOSS, 0).step_last, ==, 500);
  g_assert_cmpuint (lab_plot_model_get_last_row (model)->step, ==, 500);
  g_assert_nonnull (lab_plot_model_get_heavy (model));
  g_assert_cmpuint (lab_plot_model_get_heavy (model)->heavy->step, ==, 50);
  g_assert_cmpuint (lab_plot_model_get_latest (model)->status.step, ==, 500);

  /* evals: one per new eval_step (100, 200, 300, 400, 500 via snapshots ending past them) */
  evals = lab_plot_model_get_evals (model);
  g_assert_cmpuint (evals->len, >=, 4);
  for (guint i = 1; i < evals->len; i++)
    g_assert_cmpuint (g_array_index (evals, LabEvalPoint, i).step, >,
                      g_array_index (evals, LabEvalPoint, i - 1).step);

  /* the same eval step again is not recorded twice */
  {
    guint before = evals->len;
    g_autoptr (LabSnapshot) snap = make_snapshot (3, 501, 1, N_LAYERS, FALSE);

    snap->status.eval_step = g_array_index (evals, LabEvalPoint, evals->len - 1).step;
    lab_plot_model_apply (model, snap);
    g_assert_cmpuint (evals->len, ==, before);
  }

  /* sweep points survive a new run; run data does not */
  lab_plot_model_add_sweep_point (model, "magnitude", 0.5, 0.9);
  {
    g_autoptr (LabSnapshot) snap = make_snapshot (4, 1, 10, 3, FALSE);
    lab_plot_model_apply (model, snap);
  }
  g_assert_cmpuint (lab_plot_model_get_run_id (model), ==, 4);
  g_assert_cmpuint (lab_history_len (lab_plot_model_get_history (model)), ==, 10);
  g_assert_cmpuint (lab_history_n_layers (lab_plot_model_get_history (model)), ==, 3);
  g_assert_null (lab_plot_model_get_heavy (model));
  g_assert_cmpuint (lab_plot_model_get_evals (model)->len, ==, 0);
  g_assert_cmpuint (lab_plot_model_get_sweep (model)->len, ==, 1);

  /* 2-D points are copied */
  {
    g_autoptr (LabSnapshot) snap = make_snapshot (4, 11, 1, 3, FALSE);
    const float *xy;
    const guint8 *labels;

    snap->n_points = 2;
    snap->points = g_new (float, 4);
    snap->point_labels = g_new (guint8, 2);
    snap->points[0] = 0.5f;
    snap->points[3] = -1.f;
    snap->point_labels[0] = 0;
    snap->point_labels[1] = 1;
    lab_plot_model_apply (model, snap);
    g_assert_cmpuint (lab_plot_model_get_points (model, &xy, &labels), ==, 2);
    g_assert_cmpfloat (xy[0], ==, 0.5f);
    g_assert_cmpfloat (xy[3], ==, -1.f);
    g_assert_cmpuint (labels[1], ==, 1);
  }

  lab_plot_model_clear (model);
  g_assert_cmpuint (lab_plot_model_get_sweep (model)->len, ==, 0);
  g_assert_cmpuint (lab_plot_model_get_points (model, NULL, NULL), ==, 0);
  g_assert_null (lab_plot_model_get_latest (model));
}

static void
test_layer_colors (void)
{
  /* distinct neighbours for every depth up to LAB_MAX_LAYERS */
  for (guint n = 1; n <= LAB_MAX_LAYERS; n++)
    for (guint l = 0; l + 1 < n; l++)
      {
        GdkRGBA a, b;

        lab_palette_layer_color (l, n, &a);
        lab_palette_layer_color (l + 1, n, &b);
        g_assert_cmpfloat (fabs (a.red - b.red) + fabs (a.green - b.green) + fabs (a.blue - b.blue),
                           >, 0.02);
        g_assert_cmpfloat (a.alpha, ==, 1.f);
      }
}

static void
test_util_format (void)
{
  LabScale a;
  double ticks[LAB_SCALE_MAX_TICKS];
  char buf[64];
  guint n;

  lab_number_format_sci (3.2e-5, buf, sizeof buf);
  g_assert_cmpstr (buf, ==, "3.2×10⁻⁵");
  lab_number_format_sci (1e-6, buf, sizeof buf);
  g_assert_cmpstr (buf, ==, "10⁻⁶");
  lab_number_format_sci (0.5, buf, sizeof buf);
  g_assert_cmpstr (buf, ==, "0.5");
  lab_number_format_sci (0, buf, sizeof buf);
  g_assert_cmpstr (buf, ==, "0");
  lab_number_format_sci (NAN, buf, sizeof buf);
  g_assert_cmpstr (buf, ==, "NaN");
  lab_number_format_sci (12000, buf, sizeof buf);
  g_assert_cmpstr (buf, ==, "1.2×10⁴");

  lab_scale_init (&a, 2e-7, 0.3, TRUE);
  lab_scale_nice (&a);
  g_assert_cmpfloat (a.lo, ==, 1e-7);
  g_assert_cmpfloat (a.hi, ==, 1.0);
  n = lab_scale_ticks (&a, 8, ticks, G_N_ELEMENTS (ticks));
  g_assert_cmpuint (n, ==, 8);
  lab_scale_format (&a, ticks[1], buf, sizeof buf);
  g_assert_cmpstr (buf, ==, "10⁻⁶");
  g_assert_true (isnan (lab_scale_map (&a, 0)));
  g_assert_true (isnan (lab_scale_map (&a, NAN)));
  g_assert_cmpfloat_with_epsilon (lab_scale_map (&a, 1e-3), 4.0 / 7.0, 1e-12);
  g_assert_cmpfloat_with_epsilon (lab_scale_unmap (&a, 4.0 / 7.0), 1e-3, 1e-12);

  lab_scale_init (&a, 0, 2713, FALSE);
  n = lab_scale_ticks (&a, 6, ticks, G_N_ELEMENTS (ticks));
  g_assert_cmpuint (n, >=, 3);
  g_assert_cmpuint (n, <=, 8);
  g_assert_cmpfloat (ticks[0], ==, 0);
  lab_scale_format (&a, 500, buf, sizeof buf);
  g_assert_cmpstr (buf, ==, "500");
  lab_scale_init (&a, 0, 1, FALSE);
  lab_scale_format (&a, 0.25, buf, sizeof buf);
  g_assert_cmpstr (buf, ==, "0.25");
  lab_scale_format (&a, 87.5, buf, sizeof buf);
  g_assert_cmpstr (buf, ==, "87.5");
  /* an overflowing layer's activations: no "1000000000000000M" under the axis */
  lab_scale_init (&a, 0, 2e21, FALSE);
  lab_scale_format (&a, 1e21, buf, sizeof buf);
  g_assert_cmpstr (buf, ==, "10²¹");
  lab_scale_format (&a, 2.5e12, buf, sizeof buf);
  g_assert_cmpstr (buf, ==, "2.5×10¹²");
  lab_scale_format (&a, 3e6, buf, sizeof buf);
  g_assert_cmpstr (buf, ==, "3M");
  lab_scale_init (&a, 0, 1e-4, FALSE);
  lab_scale_format (&a, 2.5e-5, buf, sizeof buf);
  g_assert_cmpstr (buf, ==, "2.5×10⁻⁵");
}

/* Label layouts are cached per Pango context: a font change must not reuse them (nor a
 * presenter font scale), and a cache that overflows still measures right. */
static void
test_util_text_cache (void)
{
  GtkWidget *plot = g_object_ref_sink (lab_grad_plot_new ());
  GtkWidget *win = host (plot);
  PangoContext *pctx = gtk_widget_get_pango_context (plot);
  PangoFontDescription *desc;
  LabPlotStyle st;
  LabPlotArea a1, a2;
  double w1, h1, w, h;

  lab_plot_style_init (plot, &st);
  lab_plot_text_size (plot, &st, "step 1000", 1.0, FALSE, &w1, &h1);
  lab_plot_area_init (&a1, plot, &st, W, H, 0);
  lab_plot_text_size (plot, &st, "step 1000", 1.0, FALSE, &w, &h);
  g_assert_cmpfloat (w, ==, w1);
  g_assert_cmpfloat (h, ==, h1);

  /* many different tick labels: the cache is emptied on the way, sizes stay right */
  for (guint i = 0; i < 2000; i++)
    {
      char label[32];

      g_snprintf (label, sizeof label, "%u", i);
      lab_plot_text_size (plot, &st, label, 0.9, FALSE, NULL, NULL);
    }
  lab_plot_text_size (plot, &st, "step 1000", 1.0, FALSE, &w, &h);
  g_assert_cmpfloat (w, ==, w1);

  /* presenter mode scales the fonts */
  st.font_scale = 1.6;
  lab_plot_text_size (plot, &st, "step 1000", 1.0, FALSE, &w, &h);
  g_assert_cmpfloat (w, >, w1 * 1.4);
  st.font_scale = 1.0;

  /* a font three times the size: measured and laid out anew */
  desc = pango_font_description_copy (pango_context_get_font_description (pctx));
  pango_font_description_set_absolute_size (desc, 3 * h1 * PANGO_SCALE);
  pango_context_set_font_description (pctx, desc);
  pango_font_description_free (desc);
  lab_plot_text_size (plot, &st, "step 1000", 1.0, FALSE, &w, &h);
  g_test_message ("\"step 1000\": %.0f × %.0f, then %.0f × %.0f", w1, h1, w, h);
  g_assert_cmpfloat (w, >, w1 * 2);
  g_assert_cmpfloat (h, >, h1 * 2);
  lab_plot_area_init (&a2, plot, &st, W, H, 0);
  g_assert_cmpfloat (a2.data.origin.x, >, a1.data.origin.x + 10);
  g_assert_cmpfloat (a2.data.origin.y, >, a1.data.origin.y + 10);

  unhost (plot, win);
}

/* The first node of the gradient plot's frame: GskRenderNode of a fresh snapshot. */
static GskRenderNode *
first_node (GtkWidget *plot)
{
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  GskRenderNode *node, *first;

  GTK_WIDGET_GET_CLASS (plot)->snapshot (plot, snapshot);
  node = gtk_snapshot_free_to_node (snapshot);
  g_assert_cmpint (gsk_render_node_get_node_type (node), ==, GSK_CONTAINER_NODE);
  first = gsk_render_node_ref (gsk_container_node_get_child (node, 0));
  gsk_render_node_unref (node);
  return first;
}

/* A title-line legend: beside a short title when there is room, else a row of its own under the
 * title that moves the data down (it used to cover the data's top right), else nowhere. */
static void
test_util_title_legend (void)
{
  GtkWidget *plot = g_object_ref_sink (lab_loss_plot_new ());
  GtkWidget *win = host (plot);
  static const LabPlotLegendItem items[] = {
    { "train loss", { 0, 0, 1, 1 }, LAB_PLOT_SWATCH_LINE },
    { "test loss", { 1, 0, 0, 1 }, LAB_PLOT_SWATCH_MARKER },
    { "train acc.", { 0, 1, 0, 1 }, LAB_PLOT_SWATCH_LINE },
    { "test acc.", { 1, 1, 0, 1 }, LAB_PLOT_SWATCH_MARKER },
  };
  LabPlotStyle s;
  LabPlotArea wide, narrow, tiny;
  float top;

  lab_plot_style_init (plot, &s);
  lab_plot_area_init (&wide, plot, &s, 1200, 400, 0);
  top = wide.data.origin.y;
  g_assert_true (lab_plot_area_reserve_title_legend (&wide, plot, &s, "Loss and accuracy", items,
                                                     G_N_ELEMENTS (items)));
  g_assert_cmpfloat (wide.legend_y, ==, wide.title_y);
  g_assert_cmpfloat (wide.data.origin.y, ==, top);

  lab_plot_area_init (&narrow, plot, &s, 420, 400, 0);
  g_assert_true (lab_plot_area_reserve_title_legend (&narrow, plot, &s, "Loss and accuracy",
                                                     items, G_N_ELEMENTS (items)));
  g_assert_cmpfloat (narrow.legend_y, >, narrow.title_y);
  g_assert_cmpfloat (narrow.data.origin.y, >, top);
  g_assert_cmpfloat (narrow.legend_y, <, narrow.data.origin.y);
  g_assert_cmpfloat (narrow.legend_x, >=, 0);

  lab_plot_area_init (&tiny, plot, &s, 150, 400, 0);
  g_assert_false (lab_plot_area_reserve_title_legend (&tiny, plot, &s, "Loss and accuracy",
                                                      items, G_N_ELEMENTS (items)));
  g_assert_cmpfloat (tiny.legend_y, <, 0);
  g_assert_cmpfloat (tiny.data.origin.y, ==, top);

  unhost (plot, win);
}

/* LabPlotClass.damage_all: each frame of a plot starts with an invisible node covering it that
 * differs from the last frame's, so GSK repaints the plot as one rectangle. */
static void
test_util_damage_all (void)
{
  g_autoptr (LabPlotModel) model = make_model (300, N_LAYERS);
  GtkWidget *plot = g_object_ref_sink (lab_grad_plot_new ());
  GtkWidget *win = host (plot);
  GskRenderNode *a, *b;

  lab_plot_set_model (LAB_PLOT (plot), model);
  gtk_widget_size_allocate (plot, &(GtkAllocation) { 0, 0, W, H }, -1);
  a = first_node (plot);
  b = first_node (plot);
  g_assert_cmpint (gsk_render_node_get_node_type (a), ==, GSK_COLOR_NODE);
  g_assert_cmpint (gsk_render_node_get_node_type (b), ==, GSK_COLOR_NODE);
  g_assert_cmpfloat (gsk_color_node_get_color (a)->alpha, ==, 0);
  g_assert_cmpfloat (gsk_color_node_get_color (b)->alpha, ==, 0);
  g_assert_false (gdk_rgba_equal (gsk_color_node_get_color (a), gsk_color_node_get_color (b)));
  {
    graphene_rect_t bounds;

    gsk_render_node_get_bounds (a, &bounds);
    g_assert_true (graphene_rect_equal (&bounds, &GRAPHENE_RECT_INIT (0, 0, W, H)));
  }
  gsk_render_node_unref (a);
  gsk_render_node_unref (b);

  lab_plot_set_model (LAB_PLOT (plot), NULL);
  unhost (plot, win);
}

/* --- plot 1 -------------------------------------------------------------------------------- */

static void
test_grad_plot (void)
{
  g_autoptr (LabPlotModel) model = make_model (3000, N_LAYERS);
  GtkWidget *plot = g_object_ref_sink (lab_grad_plot_new ());
  GtkWidget *win = host (plot);
  g_autoptr (Image) img = NULL;
  GdkRGBA c_first, c_last;
  double y_first, y_last, mean_first, mean_last, value;
  guint n_first, n_last, layer;
  guint64 step;

  lab_plot_set_model (LAB_PLOT (plot), model);
  img = render (plot, "plot-grad.png", FALSE);
  assert_not_blank (img, 200);

  /* log scale: layer 1 (1e-6) is drawn far below the last layer (1e-1) */
  y_first = lab_grad_plot_get_last_y (LAB_GRAD_PLOT (plot), 0);
  y_last = lab_grad_plot_get_last_y (LAB_GRAD_PLOT (plot), N_LAYERS - 1);
  g_assert_false (isnan (y_first));
  g_assert_cmpfloat (y_first, >, y_last + 100);

  /* and so are the pixels of the two layer colours (right of the y axis labels) */
  lab_palette_layer_color (0, N_LAYERS, &c_first);
  lab_palette_layer_color (N_LAYERS - 1, N_LAYERS, &c_last);
  mean_first = mean_row_of_colour (img, &c_first, 0.04, 90, &n_first);
  mean_last = mean_row_of_colour (img, &c_last, 0.04, 90, &n_last);
  g_test_message ("layer 1: %u px at mean row %.0f; layer %u: %u px at mean row %.0f",
                  n_first, mean_first, N_LAYERS, n_last, mean_last);
  g_assert_cmpuint (n_first, >, 100);
  g_assert_cmpuint (n_last, >, 100);
  g_assert_cmpfloat (mean_first, >, mean_last + 50);

  /* hover: the nearest point to the end of layer 1's line is layer 1 at 1e-6-ish */
  {
    double x_end;

    /* the last point is at the right edge of the data area: search leftwards from it */
    x_end = -1;
    for (double x = W - 1; x > 0 && x_end < 0; x -= 1)
      if (lab_grad_plot_pick (LAB_GRAD_PLOT (plot), x, y_first, &step, &layer, &value))
        x_end = x;
    g_assert_cmpfloat (x_end, >, 0);
    g_assert_true (lab_grad_plot_pick (LAB_GRAD_PLOT (plot), x_end - 20, y_first, &step, &layer,
                                       &value));
    g_assert_cmpuint (layer, ==, 0);
    g_assert_cmpfloat (value, >, 0.5e-6);
    g_assert_cmpfloat (value, <, 1.5e-6);
    g_assert_cmpuint (step, >, 2500);
    g_assert_cmpuint (step, <=, 3000);

    g_assert_true (lab_grad_plot_pick (LAB_GRAD_PLOT (plot), x_end - 20, y_last, &step, &layer,
                                       &value));
    g_assert_cmpuint (layer, ==, N_LAYERS - 1);
    g_assert_cmpfloat (value, >, 0.05);

    /* far from every line: nothing */
    g_assert_false (lab_grad_plot_pick (LAB_GRAD_PLOT (plot), 0, 0, &step, &layer, &value));
  }

  /* the δ view and smoothing */
  lab_grad_plot_set_delta (LAB_GRAD_PLOT (plot), TRUE);
  lab_grad_plot_set_smoothing (LAB_GRAD_PLOT (plot), 0.9);
  g_assert_true (lab_grad_plot_get_delta (LAB_GRAD_PLOT (plot)));
  g_clear_pointer (&img, image_free);
  img = render (plot, "plot-grad-delta.png", TRUE);
  assert_not_blank (img, 200);
  g_assert_cmpfloat (lab_grad_plot_get_last_y (LAB_GRAD_PLOT (plot), 0), >,
                     lab_grad_plot_get_last_y (LAB_GRAD_PLOT (plot), N_LAYERS - 1) + 100);

  lab_plot_set_model (LAB_PLOT (plot), NULL);
  unhost (plot, win);
}

/* Per channel: the mean absolute difference and the count of pixels differing by more than
 * @tol, between two renders of the same size. */
static double
image_diff (const Image *a,
            const Image *b,
            double       tol,
            guint       *n_over)
{
  const guint8 *pa = a->data, *pb = b->data;
  gsize n = (gsize) a->width * a->height * 4;
  double sum = 0;

  g_assert_cmpint (a->width, ==, b->width);
  g_assert_cmpint (a->height, ==, b->height);
  *n_over = 0;
  for (gsize i = 0; i < n; i += 4)
    {
      double d = 0;

      for (guint k = 0; k < 3; k++)
        d = MAX (d, fabs ((double) pa[i + k] - pb[i + k]) / 255.0);
      sum += d;
      if (d > tol)
        (*n_over)++;
    }
  return sum / (n / 4);
}

/* Steps 1 … n_steps where every layer's gradient norm is multiplied or divided by up to 10 at
 * random: a spiky envelope and line over most of the data area. */
static LabPlotModel *
make_spiky_model (guint64 n_steps)
{
  LabPlotModel *model = lab_plot_model_new ();
  guint64 seed = 1;

  for (guint64 t = 1; t <= n_steps; t += 50)
    {
      g_autoptr (LabSnapshot) snap = make_snapshot (7, t, MIN (50, n_steps + 1 - t), N_LAYERS,
                                                    FALSE);

      for (guint i = 0; i < lab_row_log_len (snap->rows); i++)
        {
          LabStepStats *st = lab_test_row (snap->rows, i);

          for (guint l = 0; l < N_LAYERS; l++)
            {
              seed = seed * 6364136223846793005ull + 1442695040888963407ull;
              st->layer[l].grad_norm *= (float) pow (10.0, (double) (seed >> 11) / (1ull << 53)
                                                           * 2.0 - 1.0);
            }
          lab_row_log_set (snap->rows, i, st);
        }
      lab_plot_model_apply (model, snap);
    }
  return model;
}

/* Solid series are drawn through coverage masks on screen and as Cairo paths for export: both
 * must show the same picture, for a dense run (more points than pixel columns, reduced to one
 * column per pixel) and a short one (a point every two pixels or so). */
static void
test_grad_plot_masks (void)
{
  static const guint64 runs[] = { 6000, 250 };

  for (guint k = 0; k < G_N_ELEMENTS (runs); k++)
    {
      g_autoptr (LabPlotModel) model = make_spiky_model (runs[k]);
      GtkWidget *plot = g_object_ref_sink (lab_grad_plot_new ());
      GtkWidget *win = host (plot);
      g_autofree char *name = g_strdup_printf ("plot-grad-masks-%" G_GUINT64_FORMAT ".png",
                                               runs[k]);
      g_autofree char *name_vector = g_strdup_printf ("plot-grad-paths-%" G_GUINT64_FORMAT ".png",
                                                      runs[k]);
      g_autoptr (Image) raster = NULL;
      g_autoptr (Image) paths = NULL;
      guint n_over;
      double mean;

      lab_plot_set_model (LAB_PLOT (plot), model);
      lab_grad_plot_set_smoothing (LAB_GRAD_PLOT (plot), 0.9);

      raster = render (plot, name, FALSE);
      vector = TRUE;
      paths = render (plot, name_vector, FALSE);
      vector = FALSE;
      assert_not_blank (raster, 200);

      mean = image_diff (raster, paths, 0.25, &n_over);
      g_test_message ("%" G_GUINT64_FORMAT " steps, masks versus paths: mean difference %.4f, "
                      "%u px differ by > 25 %%", runs[k], mean, n_over);
      /* antialiasing differs in the last bit; a misplaced or missing band or line would not */
      g_assert_cmpfloat (mean, <, 0.004);
      g_assert_cmpuint (n_over, <, (guint) (W * H / 500));

      lab_plot_set_model (LAB_PLOT (plot), NULL);
      unhost (plot, win);
    }
}

/* The gradient plot extends its cached points when rows are only appended, and recomputes
 * them all after the history compacts (at 8000 buckets it merges all but the last 2000
 * pairwise) or a new run starts: at every stage it draws exactly what a plot built from
 * scratch on the same model draws. Drawn at 5000 steps and next at 8600, the history has
 * compacted to 5000 buckets in between and grown to 5600: longer than what was cached, so
 * only the cached last point tells that it moved. */
static void
test_grad_plot_incremental (void)
{
  g_autoptr (LabPlotModel) model = lab_plot_model_new ();
  GtkWidget *plot = g_object_ref_sink (lab_grad_plot_new ());
  GtkWidget *win = host (plot);
  guint checks = 0;

  lab_plot_set_model (LAB_PLOT (plot), model);
  lab_grad_plot_set_smoothing (LAB_GRAD_PLOT (plot), 0.9);
  for (guint64 t = 1; t <= 9000 + 37 * 3; t += 37)
    {
      g_autoptr (LabSnapshot) snap = NULL;
      guint run = t > 9000 ? 8 : 7;   /* the last snapshots: a new run */
      guint64 first = run == 8 ? t - 9000 : t;

      snap = make_snapshot (run, first, 37, N_LAYERS, FALSE);
      lab_plot_model_apply (model, snap);
      if (t == 1 + 37 * 30 || t == 1 + 37 * 81 || t == 1 + 37 * 135 || t == 1 + 37 * 232 ||
          run == 8)
        {
          GtkWidget *fresh = g_object_ref_sink (lab_grad_plot_new ());
          GtkWidget *fresh_win = host (fresh);
          g_autoptr (Image) a = NULL;
          g_autoptr (Image) b = NULL;
          guint n_over;

          lab_plot_set_model (LAB_PLOT (fresh), model);
          lab_grad_plot_set_smoothing (LAB_GRAD_PLOT (fresh), 0.9);
          a = render (plot, "plot-grad-incremental.png", FALSE);
          b = render (fresh, "plot-grad-fresh.png", FALSE);
          g_assert_cmpfloat (image_diff (a, b, 0, &n_over), ==, 0);
          g_assert_cmpuint (n_over, ==, 0);
          g_assert_cmpfloat (lab_grad_plot_get_last_y (LAB_GRAD_PLOT (plot), 0), ==,
                             lab_grad_plot_get_last_y (LAB_GRAD_PLOT (fresh), 0));
          checks++;

          lab_plot_set_model (LAB_PLOT (fresh), NULL);
          unhost (fresh, fresh_win);
        }
    }
  g_test_message ("%u comparisons", checks);
  g_assert_cmpuint (checks, ==, 7);

  /* a setting changes everything that was cached */
  lab_grad_plot_set_smoothing (LAB_GRAD_PLOT (plot), 0.0);
  {
    GtkWidget *fresh = g_object_ref_sink (lab_grad_plot_new ());
    GtkWidget *fresh_win = host (fresh);
    g_autoptr (Image) a = NULL;
    g_autoptr (Image) b = NULL;
    guint n_over;

    lab_plot_set_model (LAB_PLOT (fresh), model);
    a = render (plot, "plot-grad-incremental.png", FALSE);
    b = render (fresh, "plot-grad-fresh.png", FALSE);
    g_assert_cmpfloat (image_diff (a, b, 0, &n_over), ==, 0);
    lab_plot_set_model (LAB_PLOT (fresh), NULL);
    unhost (fresh, fresh_win);
  }

  lab_plot_set_model (LAB_PLOT (plot), NULL);
  unhost (plot, win);
}

/* Zeros and NaNs in the data do not break the log scale. */
static void
test_grad_plot_zero_nan (void)
{
  g_autoptr (LabPlotModel) model = lab_plot_model_new ();
  GtkWidget *plot = g_object_ref_sink (lab_grad_plot_new ());
  GtkWidget *win = host (plot);
  g_autoptr (LabSnapshot) snap = make_snapshot (1, 1, 200, N_LAYERS, FALSE);
  g_autoptr (Image) img = NULL;

  for (guint i = 0; i < lab_row_log_len (snap->rows); i++)
    {
      LabStepStats *st = lab_test_row (snap->rows, i);

      st->layer[0].grad_norm = 0.f;
      if (i % 7 == 0)
        st->layer[1].grad_norm = NAN;
      lab_row_log_set (snap->rows, i, st);
    }
  lab_plot_model_apply (model, snap);
  lab_plot_set_model (LAB_PLOT (plot), model);
  img = render (plot, "plot-grad-zero-nan.png", FALSE);
  assert_not_blank (img, 100);
  g_assert_true (isnan (lab_grad_plot_get_last_y (LAB_GRAD_PLOT (plot), 0)));
  g_assert_false (isnan (lab_grad_plot_get_last_y (LAB_GRAD_PLOT (plot), 2)));

  lab_plot_set_model (LAB_PLOT (plot), NULL);
  unhost (plot, win);
}

/* --- plot 2 -------------------------------------------------------------------------------- */

static void
test_flow_plot (void)
{
  g_autoptr (LabPlotModel) model = make_model (1000, N_LAYERS);
  GtkWidget *plot = g_object_ref_sink (lab_flow_plot_new ());
  GtkWidget *win = host (plot);
  g_autoptr (Image) img = NULL;
  double expected = grad_of (0, N_LAYERS, 1000) / grad_of (N_LAYERS - 1, N_LAYERS, 1000);
  GdkRGBA c_first, c_last;
  double row_first, row_last;
  guint n_first, n_last;

  g_assert_null (lab_flow_plot_get_ratio_text (LAB_FLOW_PLOT (plot)));
  g_assert_true (isnan (lab_flow_plot_get_ratio (LAB_FLOW_PLOT (plot))));

  lab_plot_set_model (LAB_PLOT (plot), model);
  lab_assert_close (lab_flow_plot_get_ratio (LAB_FLOW_PLOT (plot)), expected, 1e-5, 0);
  g_assert_cmpfloat (expected, >, 1e-6);
  g_assert_cmpfloat (expected, <, 1e-4);
  g_test_message ("%s", lab_flow_plot_get_ratio_text (LAB_FLOW_PLOT (plot)));
  g_assert_true (g_str_has_prefix (lab_flow_plot_get_ratio_text (LAB_FLOW_PLOT (plot)),
                                   "first/last layer ratio: "));
  g_assert_nonnull (strstr (lab_flow_plot_get_ratio_text (LAB_FLOW_PLOT (plot)), "×10⁻"));
  lab_assert_close (lab_flow_plot_get_value (LAB_FLOW_PLOT (plot), 0), grad_of (0, N_LAYERS, 1000),
                    1e-5, 0);

  img = render (plot, "plot-flow.png", FALSE);
  assert_not_blank (img, 100);

  /* the input layer's bar is much shorter: its top (first row of its colour) is lower */
  lab_palette_layer_color (0, N_LAYERS, &c_first);
  lab_palette_layer_color (N_LAYERS - 1, N_LAYERS, &c_last);
  row_first = mean_row_of_colour (img, &c_first, 0.03, 0, &n_first);
  row_last = mean_row_of_colour (img, &c_last, 0.03, 0, &n_last);
  g_assert_cmpuint (n_first, >, 200);
  g_assert_cmpuint (n_last, >, n_first * 2);
  g_assert_cmpfloat (row_first, >, row_last);

  lab_flow_plot_set_delta (LAB_FLOW_PLOT (plot), TRUE);
  lab_assert_close (lab_flow_plot_get_value (LAB_FLOW_PLOT (plot), 0),
                    3 * grad_of (0, N_LAYERS, 1000), 1e-5, 0);
  g_clear_pointer (&img, image_free);
  img = render (plot, "plot-flow-dark.png", TRUE);
  assert_not_blank (img, 100);

  unhost (plot, win);
}

/* A deep net: 33 layers (32 hidden) still gets distinct, labelled bars. */
static void
test_flow_plot_deep (void)
{
  g_autoptr (LabPlotModel) model = make_model (200, LAB_MAX_LAYERS);
  GtkWidget *plot = g_object_ref_sink (lab_flow_plot_new ());
  GtkWidget *win = host (plot);
  g_autoptr (Image) img = NULL;

  lab_plot_set_model (LAB_PLOT (plot), model);
  img = render (plot, "plot-flow-deep.png", FALSE);
  assert_not_blank (img, 100);
  g_assert_cmpfloat (lab_flow_plot_get_ratio (LAB_FLOW_PLOT (plot)), <, 1e-4);

  unhost (plot, win);
}

/* --- plot 3 -------------------------------------------------------------------------------- */

static void
test_loss_plot (void)
{
  g_autoptr (LabPlotModel) model = make_model (3000, N_LAYERS);
  GtkWidget *plot = g_object_ref_sink (lab_loss_plot_new ());
  GtkWidget *win = host (plot);
  g_autoptr (Image) img = NULL;
  double y_lin, y_log;

  lab_plot_set_model (LAB_PLOT (plot), model);
  img = render (plot, "plot-loss.png", FALSE);
  assert_not_blank (img, 200);
  y_lin = lab_loss_plot_get_last_loss_y (LAB_LOSS_PLOT (plot));
  g_assert_false (isnan (y_lin));

  /* the final loss (~0.05) sits near the bottom on a linear axis, higher up on a log axis */
  lab_loss_plot_set_log_scale (LAB_LOSS_PLOT (plot), TRUE);
  g_clear_pointer (&img, image_free);
  img = render (plot, "plot-loss-log.png", TRUE);
  assert_not_blank (img, 200);
  y_log = lab_loss_plot_get_last_loss_y (LAB_LOSS_PLOT (plot));
  g_assert_cmpfloat (y_log, <, y_lin - 20);

  unhost (plot, win);
}

/* --- plot 7 -------------------------------------------------------------------------------- */

static void
test_sparsity_plot (void)
{
  g_autoptr (LabPlotModel) model = make_model (300, N_LAYERS);
  GtkWidget *plot = g_object_ref_sink (lab_sparsity_plot_new ());
  GtkWidget *win = host (plot);
  g_autoptr (Image) img = NULL;
  static const char *const criteria[] = { "magnitude", "random", "saliency" };

  lab_plot_set_model (LAB_PLOT (plot), model);
  img = render (plot, "plot-sparsity.png", FALSE);
  assert_not_blank (img, 50);
  g_assert_cmpuint (lab_sparsity_plot_get_n_curves (LAB_SPARSITY_PLOT (plot)), ==, 0);
  lab_assert_close (lab_sparsity_plot_get_layer_sparsity (LAB_SPARSITY_PLOT (plot), 0), 0.2,
                    1e-6, 0);
  lab_assert_close (lab_sparsity_plot_get_layer_sparsity (LAB_SPARSITY_PLOT (plot), N_LAYERS - 1),
                    0.8, 1e-6, 0);

  /* a sweep, points added out of order */
  for (guint c = 0; c < G_N_ELEMENTS (criteria); c++)
    for (int k = 9; k >= 0; k--)
      {
        double sp = k / 10.0;
        double acc = c == 1 ? 0.95 - 0.8 * sp * sp : 0.95 - 0.6 * pow (sp, 6.0 - c);

        lab_plot_model_add_sweep_point (model, criteria[c], sp, acc);
      }
  g_clear_pointer (&img, image_free);
  img = render (plot, "plot-sparsity-sweep.png", FALSE);
  assert_not_blank (img, 200);
  g_assert_cmpuint (lab_sparsity_plot_get_n_curves (LAB_SPARSITY_PLOT (plot)), ==, 3);

  unhost (plot, win);
}

/* Presenter mode (a "presenter" class on an ancestor) at a projector-ish size, and every plot at
 * its minimum size: still drawn, and the font really is bigger. */
static void
test_sizes (void)
{
  g_autoptr (LabPlotModel) model = make_model (2000, N_LAYERS);
  GtkWidget *plots[] = {
    g_object_ref_sink (lab_grad_plot_new ()),
    g_object_ref_sink (lab_flow_plot_new ()),
    g_object_ref_sink (lab_loss_plot_new ()),
    g_object_ref_sink (lab_sparsity_plot_new ()),
  };

  lab_plot_model_add_sweep_point (model, "magnitude", 0.5, 0.9);
  lab_plot_model_add_sweep_point (model, "magnitude", 0.9, 0.7);
  for (guint i = 0; i < G_N_ELEMENTS (plots); i++)
    {
      GtkWidget *win = host (plots[i]);
      g_autofree char *big = g_strdup_printf ("plot-presenter-%u.png", i);
      g_autofree char *small = g_strdup_printf ("plot-small-%u.png", i);
      LabPlotStyle st;

      g_object_set (plots[i], "model", model, NULL);

      W = 960, H = 600;
      presenter = TRUE;
      {
        g_autoptr (Image) img = render (plots[i], big, FALSE);
        assert_not_blank (img, 100);
      }
      presenter = FALSE;
      lab_plot_style_init (plots[i], &st);
      g_assert_false (st.presenter);
      gtk_widget_add_css_class (win, "presenter");
      lab_plot_style_init (plots[i], &st);
      g_assert_true (st.presenter);
      g_assert_cmpfloat (st.font_scale, >, 1.5);
      gtk_widget_remove_css_class (win, "presenter");

      W = 240, H = 160;
      {
        g_autoptr (Image) img = render (plots[i], small, TRUE);
        assert_not_blank (img, 50);
      }
      W = 640, H = 400;

      g_object_set (plots[i], "model", NULL, NULL);
      unhost (plots[i], win);
    }
}

/* --- no data ------------------------------------------------------------------------------- */

static void
test_no_data (void)
{
  g_autoptr (LabPlotModel) empty = lab_plot_model_new ();
  GtkWidget *plots[] = {
    g_object_ref_sink (lab_grad_plot_new ()),
    g_object_ref_sink (lab_flow_plot_new ()),
    g_object_ref_sink (lab_loss_plot_new ()),
    g_object_ref_sink (lab_sparsity_plot_new ()),
  };

  for (guint i = 0; i < G_N_ELEMENTS (plots); i++)
    {
      g_autofree char *name = g_strdup_printf ("plot-empty-%u.png", i);
      g_autofree char *name_dark = g_strdup_printf ("plot-empty-%u-dark.png", i);
      GtkWidget *win = host (plots[i]);
      g_autoptr (Image) a = render (plots[i], name, FALSE);

      assert_not_blank (a, 20);   /* frame, ticks and the message */
      g_object_set (plots[i], "model", empty, NULL);
      {
        g_autoptr (Image) b = render (plots[i], name_dark, TRUE);
        assert_not_blank (b, 20);
      }
      g_object_set (plots[i], "model", NULL, NULL);
      unhost (plots[i], win);
    }
}

/* --- shared axes ---------------------------------------------------------------------------- */

static void
count_axis_changed (LabAxis *axis,
                    guint   *n)
{
  (*n)++;
}

/* LabExtent leaves out what is not finite and counts it; LabAxis spans the union of its
 * contributors and says so (::changed) only when its scale moves. */
static void
test_axis_extents (void)
{
  g_autoptr (LabAxis) axis = lab_axis_new (LAB_AXIS_LINEAR);
  int a, b;   /* two contributors: any pointers that name them */
  LabExtent e, u;
  LabScale sc;
  guint changed = 0;

  lab_extent_init (&e);
  g_assert_true (lab_extent_is_empty (&e, FALSE));
  lab_extent_add (&e, 2.0);
  lab_extent_add (&e, NAN);
  lab_extent_add (&e, INFINITY);
  lab_extent_add (&e, -0.5);
  lab_extent_add (&e, -INFINITY);
  g_assert_cmpfloat (e.lo, ==, -0.5);
  g_assert_cmpfloat (e.hi, ==, 2.0);
  g_assert_cmpfloat (e.pos_lo, ==, 2.0);
  g_assert_cmpuint (e.n_nonfinite, ==, 3);
  g_assert_false (lab_extent_is_empty (&e, TRUE));

  /* no contributor: nothing to show, a default scale */
  g_assert_false (lab_axis_get_scale (axis, &sc));
  g_signal_connect (axis, "changed", G_CALLBACK (count_axis_changed), &changed);

  lab_axis_set_extent (axis, &a, &e);
  g_assert_cmpuint (changed, ==, 1);
  g_assert_true (lab_axis_get_scale (axis, &sc));
  g_assert_cmpfloat (sc.lo, ==, -0.5);
  g_assert_cmpfloat (sc.hi, ==, 2.0);

  /* a second contributor inside the span changes nothing; outside it, the union grows */
  lab_extent_init (&e);
  lab_extent_add (&e, 1.0);
  lab_axis_set_extent (axis, &b, &e);
  g_assert_cmpuint (changed, ==, 1);
  g_assert_cmpuint (lab_axis_get_n_contributors (axis), ==, 2);
  lab_extent_add (&e, 7.0);
  lab_extent_add (&e, NAN);
  lab_axis_set_extent (axis, &b, &e);
  g_assert_cmpuint (changed, ==, 2);
  g_assert_true (lab_axis_get_scale (axis, &sc));
  g_assert_cmpfloat (sc.lo, ==, -0.5);
  g_assert_cmpfloat (sc.hi, ==, 7.0);
  lab_axis_get_extent (axis, &u);
  g_assert_cmpuint (u.n_nonfinite, ==, 4);

  /* the first leaves: the span shrinks to the second's */
  lab_axis_set_extent (axis, &a, NULL);
  g_assert_cmpuint (changed, ==, 3);
  g_assert_cmpuint (lab_axis_get_n_contributors (axis), ==, 1);
  g_assert_true (lab_axis_get_scale (axis, &sc));
  g_assert_cmpfloat (sc.lo, ==, 1.0);
  g_assert_cmpfloat (sc.hi, ==, 7.0);

  /* only overflows: nothing a linear or log axis could show */
  lab_extent_init (&e);
  lab_extent_add (&e, INFINITY);
  lab_extent_add (&e, NAN);
  lab_axis_set_extent (axis, &b, &e);
  g_assert_cmpuint (changed, ==, 4);
  g_assert_false (lab_axis_get_scale (axis, &sc));
  g_assert_true (isfinite (sc.lo) && isfinite (sc.hi));
}

/* A log axis widened to nice ticks spans whole decades from its smallest positive value;
 * turning it linear is a change; a linear axis with ZERO starts at 0; one value is centred. */
static void
test_axis_scales (void)
{
  g_autoptr (LabAxis) log_axis = lab_axis_new (LAB_AXIS_LOG | LAB_AXIS_NICE);
  g_autoptr (LabAxis) zero_axis = lab_axis_new (LAB_AXIS_ZERO);
  g_autoptr (LabAxis) steps = lab_axis_new (LAB_AXIS_LINEAR);
  double ticks[LAB_SCALE_MAX_TICKS];
  guint changed = 0;
  char buf[32];
  LabExtent e;
  LabScale sc;
  int c;

  lab_extent_init (&e);
  lab_extent_add (&e, 0.0);        /* not on a log axis */
  lab_extent_add (&e, 2e-7);
  lab_extent_add (&e, 0.3);
  lab_extent_add (&e, INFINITY);   /* an overflow: left out, never 3×10³⁸ */
  lab_axis_set_extent (log_axis, &c, &e);
  g_assert_true (lab_axis_get_scale (log_axis, &sc));
  g_assert_true (sc.log);
  g_assert_cmpfloat (sc.lo, ==, 1e-7);
  g_assert_cmpfloat (sc.hi, ==, 1.0);
  g_assert_cmpuint (lab_scale_ticks (&sc, 8, ticks, G_N_ELEMENTS (ticks)), ==, 8);
  for (guint i = 0; i < 8; i++)
    g_assert_cmpfloat_with_epsilon (ticks[i], pow (10.0, -7.0 + i), 1e-9 * pow (10.0, -7.0 + i));
  lab_scale_format (&sc, ticks[1], buf, sizeof buf);
  g_assert_cmpstr (buf, ==, "10⁻⁶");

  g_signal_connect (log_axis, "changed", G_CALLBACK (count_axis_changed), &changed);
  lab_axis_set_log (log_axis, FALSE);
  g_assert_cmpuint (changed, ==, 1);
  g_assert_true (lab_axis_get_scale (log_axis, &sc));
  g_assert_false (sc.log);
  g_assert_cmpfloat (sc.lo, ==, 0.0);
  g_assert_cmpfloat (sc.hi, <, 1.0);
  lab_axis_set_log (log_axis, FALSE);
  g_assert_cmpuint (changed, ==, 1);

  lab_extent_init (&e);
  lab_extent_add (&e, 0.4);
  lab_extent_add (&e, 2.3);
  lab_axis_set_extent (zero_axis, &c, &e);
  g_assert_true (lab_axis_get_scale (zero_axis, &sc));
  g_assert_cmpfloat (sc.lo, ==, 0.0);
  g_assert_cmpfloat (sc.hi, ==, 2.3);

  lab_extent_init (&e);
  lab_extent_add (&e, 500);
  lab_axis_set_extent (steps, &c, &e);
  g_assert_true (lab_axis_get_scale (steps, &sc));
  g_assert_cmpfloat (sc.lo, ==, 499);
  g_assert_cmpfloat (sc.hi, ==, 501);
}

/* make_model() with every gradient norm, δ and loss multiplied by @factor. */
static LabPlotModel *
make_scaled_model (guint64 n_steps,
                   double  factor)
{
  LabPlotModel *model = lab_plot_model_new ();

  for (guint64 t = 1; t <= n_steps; t += 37)
    {
      g_autoptr (LabSnapshot) snap = make_snapshot (7, t, MIN (37, n_steps + 1 - t), N_LAYERS,
                                                    FALSE);

      for (guint i = 0; i < lab_row_log_len (snap->rows); i++)
        {
          LabStepStats *st = lab_test_row (snap->rows, i);

          st->loss *= factor;
          for (guint l = 0; l < N_LAYERS; l++)
            {
              st->layer[l].grad_norm *= (float) factor;
              st->layer[l].delta_norm *= (float) factor;
            }
          lab_row_log_set (snap->rows, i, st);
        }
      lab_plot_model_apply (model, snap);
    }
  return model;
}

/* The smallest and largest positive gradient norm in @model's history, from the history
 * itself: what a log axis of its gradient plot must span. */
static void
history_grad_range (LabPlotModel *model,
                    double       *lo,
                    double       *hi)
{
  LabHistory *h = lab_plot_model_get_history (model);

  *lo = G_MAXDOUBLE;
  *hi = 0;
  for (guint i = 0; i < lab_history_len (h); i++)
    for (guint l = 0; l < N_LAYERS; l++)
      {
        LabHistoryPoint p = lab_history_get (h, i, LAB_HISTORY_GRAD_NORM, l);

        *lo = MIN (*lo, p.min);
        *hi = MAX (*hi, p.max);
      }
}

/* Renders @plot and returns its frame, which must show data. */
static const LabPlotFrame *
drawn_frame (GtkWidget  *plot,
             const char *name)
{
  g_autoptr (Image) img = render (plot, name, FALSE);

  g_assert_nonnull (lab_plot_get_frame (LAB_PLOT (plot)));
  return lab_plot_get_frame (LAB_PLOT (plot));
}

/* Compare mode: a plot given another's axes (lab_plot_share_axes(), as the compare window does)
 * draws the same scales as it, spanning the data of both; the plot's own data left alone would
 * have spanned less. When one of the two goes away, the axes forget its data. */
static void
test_axis_shared (void)
{
  g_autoptr (LabPlotModel) ma = make_scaled_model (3000, 1.0);      /* 1e-6 … 1e-1 */
  g_autoptr (LabPlotModel) mb = make_scaled_model (1000, 1000.0);   /* 1e-3 … 1e2 */
  GtkWidget *a = g_object_ref_sink (lab_grad_plot_new ());
  GtkWidget *b = g_object_ref_sink (lab_grad_plot_new ());
  GtkWidget *win_a = host (a), *win_b = host (b);
  LabAxis *ys = lab_plot_get_y_axis (LAB_PLOT (a));
  double lo_a, hi_a, lo_b, hi_b;
  LabScale alone, xa, ya;
  guint changed = 0;

  lab_plot_set_model (LAB_PLOT (a), ma);
  lab_plot_set_model (LAB_PLOT (b), mb);
  history_grad_range (ma, &lo_a, &hi_a);
  history_grad_range (mb, &lo_b, &hi_b);
  g_test_message ("a: %g … %g, b: %g … %g", lo_a, hi_a, lo_b, hi_b);

  alone = drawn_frame (a, "plot-shared-alone.png")->y;
  g_assert_cmpfloat (alone.lo, ==, pow (10.0, floor (log10 (lo_a))));
  g_assert_cmpfloat (alone.hi, ==, pow (10.0, ceil (log10 (hi_a))));

  lab_plot_share_axes (LAB_PLOT (b), LAB_PLOT (a));
  g_assert_true (lab_plot_get_y_axis (LAB_PLOT (b)) == ys);
  g_assert_true (lab_plot_get_x_axis (LAB_PLOT (b)) == lab_plot_get_x_axis (LAB_PLOT (a)));
  g_signal_connect (ys, "changed", G_CALLBACK (count_axis_changed), &changed);

  /* b's data reaches the axis when b is drawn; a is told to redraw (::changed) */
  drawn_frame (b, "plot-shared-b.png");
  g_assert_cmpuint (changed, >=, 1);
  g_assert_cmpuint (lab_axis_get_n_contributors (ys), ==, 2);
  xa = drawn_frame (a, "plot-shared-a.png")->x;
  ya = drawn_frame (a, "plot-shared-a.png")->y;
  g_assert_true (lab_scale_equal (&ya, &lab_plot_get_frame (LAB_PLOT (b))->y));
  g_assert_true (lab_scale_equal (&xa, &lab_plot_get_frame (LAB_PLOT (b))->x));
  g_assert_cmpfloat (ya.lo, ==, pow (10.0, floor (log10 (MIN (lo_a, lo_b)))));
  g_assert_cmpfloat (ya.hi, ==, pow (10.0, ceil (log10 (MAX (hi_a, hi_b)))));
  g_assert_cmpfloat (ya.hi, >, alone.hi);
  g_assert_cmpfloat (xa.lo, ==, 1);
  g_assert_cmpfloat (xa.hi, ==, 3000);
  /* the same value is drawn at the same height in both plots */
  g_assert_cmpfloat (lab_plot_area_y (&lab_plot_get_frame (LAB_PLOT (a))->area, &ya, 1e-3), ==,
                     lab_plot_area_y (&lab_plot_get_frame (LAB_PLOT (b))->area, &ya, 1e-3));

  /* b's run goes on with larger norms: the axis moves as soon as b's model changes, so a's
   * next frame shows them, whichever plot is drawn first */
  {
    g_autoptr (LabSnapshot) more = make_snapshot (7, 1001, 37, N_LAYERS, FALSE);

    for (guint i = 0; i < lab_row_log_len (more->rows); i++)
      {
        LabStepStats *st = lab_test_row (more->rows, i);

        st->layer[N_LAYERS - 1].grad_norm = 5e4f;
        lab_row_log_set (more->rows, i, st);
      }
    changed = 0;
    lab_plot_model_apply (mb, more);
    g_assert_cmpuint (changed, ==, 1);
    ya = drawn_frame (a, "plot-shared-a-more.png")->y;
    g_assert_cmpfloat (ya.hi, ==, 1e5);
    g_assert_true (lab_scale_equal (&ya, &drawn_frame (b, "plot-shared-b-more.png")->y));
  }

  /* b goes: a's scale is its own again */
  changed = 0;
  lab_plot_set_model (LAB_PLOT (b), NULL);
  unhost (b, win_b);
  g_assert_cmpuint (changed, ==, 1);
  g_assert_cmpuint (lab_axis_get_n_contributors (ys), ==, 1);
  ya = drawn_frame (a, "plot-shared-alone-again.png")->y;
  g_assert_true (lab_scale_equal (&ya, &alone));

  lab_plot_set_model (LAB_PLOT (a), NULL);
  unhost (a, win_a);
}

/* The flow and loss plots of a compare row share their scales the same way: bars of both runs
 * on one log axis (with the same headroom), losses and steps of both on one pair of axes. */
static void
test_axis_shared_rows (void)
{
  g_autoptr (LabPlotModel) ma = make_scaled_model (3000, 1.0);
  g_autoptr (LabPlotModel) mb = make_scaled_model (1000, 1000.0);
  GtkWidget *flow[2] = { g_object_ref_sink (lab_flow_plot_new ()),
                         g_object_ref_sink (lab_flow_plot_new ()) };
  GtkWidget *loss[2] = { g_object_ref_sink (lab_loss_plot_new ()),
                         g_object_ref_sink (lab_loss_plot_new ()) };
  GtkWidget *wins[4] = { host (flow[0]), host (flow[1]), host (loss[0]), host (loss[1]) };
  LabScale fy, lx, ly;

  lab_plot_share_axes (LAB_PLOT (flow[1]), LAB_PLOT (flow[0]));
  lab_plot_share_axes (LAB_PLOT (loss[1]), LAB_PLOT (loss[0]));
  for (guint s = 0; s < 2; s++)
    {
      lab_plot_set_model (LAB_PLOT (flow[s]), s == 0 ? ma : mb);
      lab_plot_set_model (LAB_PLOT (loss[s]), s == 0 ? ma : mb);
    }
  /* each drawn once, then the first again: the second's data reached the axes after it */
  drawn_frame (flow[0], "plot-shared-flow-a.png");
  drawn_frame (loss[0], "plot-shared-loss-a.png");
  drawn_frame (flow[1], "plot-shared-flow-b.png");
  drawn_frame (loss[1], "plot-shared-loss-b.png");
  fy = drawn_frame (flow[0], "plot-shared-flow-a.png")->y;
  lx = drawn_frame (loss[0], "plot-shared-loss-a.png")->x;
  ly = drawn_frame (loss[0], "plot-shared-loss-a.png")->y;

  g_assert_true (lab_scale_equal (&fy, &lab_plot_get_frame (LAB_PLOT (flow[1]))->y));
  g_assert_cmpfloat (fy.lo, <=, lab_flow_plot_get_value (LAB_FLOW_PLOT (flow[0]), 0));
  g_assert_cmpfloat (fy.hi, >=, 10 * lab_flow_plot_get_value (LAB_FLOW_PLOT (flow[1]),
                                                              N_LAYERS - 1));
  g_assert_true (lab_scale_equal (&lx, &lab_plot_get_frame (LAB_PLOT (loss[1]))->x));
  g_assert_true (lab_scale_equal (&ly, &lab_plot_get_frame (LAB_PLOT (loss[1]))->y));
  g_assert_cmpfloat (lx.hi, ==, 3000);
  g_assert_cmpfloat (ly.lo, ==, 0);
  g_assert_cmpfloat (ly.hi, >=, 1000 * 2.3);   /* b's first loss, ~2.3 × 1000 */

  /* one log switch for both (they share the axis) */
  lab_loss_plot_set_log_scale (LAB_LOSS_PLOT (loss[0]), TRUE);
  g_assert_true (lab_loss_plot_get_log_scale (LAB_LOSS_PLOT (loss[1])));
  ly = drawn_frame (loss[1], "plot-shared-loss-log.png")->y;
  g_assert_true (ly.log);

  for (guint i = 0; i < 4; i++)
    {
      GtkWidget *plot = i < 2 ? flow[i] : loss[i - 2];

      lab_plot_set_model (LAB_PLOT (plot), NULL);
      unhost (plot, wins[i]);
    }
}

/* A loss that overflowed (∞ after a divergence) is left out of the loss axis: the finite
 * losses keep their scale instead of one that reaches 3×10³⁸. */
static void
test_axis_overflow (void)
{
  g_autoptr (LabPlotModel) model = lab_plot_model_new ();
  GtkWidget *plot = g_object_ref_sink (lab_loss_plot_new ());
  GtkWidget *win = host (plot);
  g_autoptr (LabSnapshot) snap = make_snapshot (1, 1, 300, N_LAYERS, FALSE);
  const LabPlotFrame *f;
  LabExtent e;

  for (guint i = 250; i < lab_row_log_len (snap->rows); i++)
    {
      LabStepStats *st = lab_test_row (snap->rows, i);

      st->loss = i % 2 ? INFINITY : NAN;
      lab_row_log_set (snap->rows, i, st);
    }
  lab_plot_model_apply (model, snap);
  lab_plot_set_model (LAB_PLOT (plot), model);
  f = drawn_frame (plot, "plot-loss-overflow.png");
  g_assert_cmpfloat (f->y.hi, <=, 3.0);
  lab_axis_get_extent (lab_plot_get_y_axis (LAB_PLOT (plot)), &e);
  g_assert_cmpuint (e.n_nonfinite, >, 0);
  g_assert_cmpfloat (e.hi, <, 3.0);

  lab_plot_set_model (LAB_PLOT (plot), NULL);
  unhost (plot, win);
}

/* --- the LabPlot base -------------------------------------------------------------------- */

static void
on_notify (GObject    *object,
           GParamSpec *pspec,
           guint      *count)
{
  (*count)++;
}

/* Every plot is a LabPlot: the "plot" CSS node that style.css and the colour lookup rely on, an
 * image to assistive tools, and one model property that takes a reference, notifies once per
 * real change and lets go of the model when the plot goes away. */
static void
test_base (void)
{
  GtkWidget *plots[] = {
    g_object_ref_sink (lab_grad_plot_new ()),
    g_object_ref_sink (lab_flow_plot_new ()),
    g_object_ref_sink (lab_loss_plot_new ()),
    g_object_ref_sink (lab_sparsity_plot_new ()),
    g_object_ref_sink (lab_act_plot_new ()),
    g_object_ref_sink (lab_boundary_plot_new ()),
    g_object_ref_sink (lab_weights_view_new ()),
  };

  for (guint i = 0; i < G_N_ELEMENTS (plots); i++)
    {
      LabPlotModel *model = lab_plot_model_new ();
      LabPlotModel *other = lab_plot_model_new ();
      LabPlotModel *got = NULL;
      guint notified = 0;

      g_assert_true (LAB_IS_PLOT (plots[i]));
      g_assert_cmpstr (gtk_widget_get_css_name (plots[i]), ==, "plot");
      g_assert_cmpint (gtk_accessible_get_accessible_role (GTK_ACCESSIBLE (plots[i])), ==,
                       GTK_ACCESSIBLE_ROLE_IMG);
      g_assert_false (lab_plot_get_hover (LAB_PLOT (plots[i]), NULL, NULL));

      g_signal_connect (plots[i], "notify::model", G_CALLBACK (on_notify), &notified);
      lab_plot_set_model (LAB_PLOT (plots[i]), model);
      lab_plot_set_model (LAB_PLOT (plots[i]), model);   /* the same: no notify */
      g_assert_cmpuint (notified, ==, 1);
      g_object_get (plots[i], "model", &got, NULL);
      g_assert_true (got == model);
      g_object_unref (got);
      g_object_set (plots[i], "model", other, NULL);
      g_assert_cmpuint (notified, ==, 2);
      g_assert_true (lab_plot_get_model (LAB_PLOT (plots[i])) == other);
      g_object_unref (other);   /* the plot holds the last reference now */

      /* what an empty plot says follows the run: nothing yet, paused, stopped on an error */
      {
        char msg[128];
        g_autoptr (LabSnapshot) paused = make_snapshot (9, 1, 0, 2, FALSE);
        g_autoptr (LabSnapshot) failed = make_snapshot (9, 1, 0, 2, FALSE);

        lab_plot_empty_message (LAB_PLOT (plots[i]), "weights", msg, sizeof msg);
        g_assert_cmpstr (msg, ==, "No weights yet");
        paused->status.state = LAB_SESSION_PAUSED;
        lab_plot_model_apply (other, paused);
        lab_plot_empty_message (LAB_PLOT (plots[i]), "weights", msg, sizeof msg);
        g_assert_cmpstr (msg, ==, "No weights yet: press Play or Step");
        failed->status.state = LAB_SESSION_FAILED;
        lab_plot_model_apply (other, failed);
        lab_plot_empty_message (LAB_PLOT (plots[i]), "weights", msg, sizeof msg);
        g_assert_cmpstr (msg, ==, "No weights: the run stopped (the message above says why)");
      }

      /* the plot dropped its reference to the first model, and drops the second with itself */
      g_assert_finalize_object (model);
      g_object_add_weak_pointer (G_OBJECT (other), (gpointer *) &other);
      g_assert_finalize_object (plots[i]);
      g_assert_null (other);
    }
}

int
main (int   argc,
      char *argv[])
{
  if (!lab_test_init_ui (&argc, &argv))
    return g_test_run ();

  g_test_add_func ("/ui/plots/model/apply", test_model_apply);
  g_test_add_func ("/ui/plots/model/restore", test_model_restore);
  g_test_add_func ("/ui/plots/layer-colors", test_layer_colors);
  g_test_add_func ("/ui/plots/util/format", test_util_format);
  g_test_add_func ("/ui/plots/util/text-cache", test_util_text_cache);
  g_test_add_func ("/ui/plots/util/damage-all", test_util_damage_all);
  g_test_add_func ("/ui/plots/util/title-legend", test_util_title_legend);
  g_test_add_func ("/ui/plots/axis/extents", test_axis_extents);
  g_test_add_func ("/ui/plots/axis/scales", test_axis_scales);
  g_test_add_func ("/ui/plots/axis/shared", test_axis_shared);
  g_test_add_func ("/ui/plots/axis/shared-rows", test_axis_shared_rows);
  g_test_add_func ("/ui/plots/axis/overflow", test_axis_overflow);
  g_test_add_func ("/ui/plots/no-data", test_no_data);
  g_test_add_func ("/ui/plots/base", test_base);
  g_test_add_func ("/ui/plots/grad", test_grad_plot);
  g_test_add_func ("/ui/plots/grad/zero-nan", test_grad_plot_zero_nan);
  g_test_add_func ("/ui/plots/grad/masks", test_grad_plot_masks);
  g_test_add_func ("/ui/plots/grad/incremental", test_grad_plot_incremental);
  g_test_add_func ("/ui/plots/flow", test_flow_plot);
  g_test_add_func ("/ui/plots/flow/deep", test_flow_plot_deep);
  g_test_add_func ("/ui/plots/loss", test_loss_plot);
  g_test_add_func ("/ui/plots/sparsity", test_sparsity_plot);
  g_test_add_func ("/ui/plots/sizes", test_sizes);

  return g_test_run ();
}
