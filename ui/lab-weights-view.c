/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-weights-view.c: plot 4, weight heatmaps and surviving input pixels.
 *
 * Each layer's W_l (out × in, row-major) is reduced to at most one cell per device pixel of its
 * panel: a cell covers a by × bx block and shows the mean (or the max-abs) of the block's kept
 * weights. The cell's colour is the diverging map of that value, blended toward the pruned
 * colour by the block's pruned fraction, so a 90 %-pruned block looks 90 % grey and an
 * all-pruned block is exactly the pruned colour: nothing is hidden by the reduction.
 *
 * Rendering: the cells and one image per layer are rebuilt only when a new heavy snapshot
 * arrives, the size changes or a setting/colour changes. The image is made at the panel's
 * device resolution (nearest-neighbour expansion of the cells), so it is drawn 1:1 and no
 * renderer filtering blurs the cells. It is kept as a render node (a Cairo node painting the
 * image) rather than a GdkTexture: GTK 4.8's Cairo renderer converts a texture's every pixel
 * each time it draws it (~2.5 ns a pixel, measured), on every frame that repaints the panel,
 * whereas a Cairo image is composited as is. snapshot() only appends these nodes and text.
 */
#define G_LOG_DOMAIN "lab-weights-view"

#include "config.h"

#include <math.h>
#include <string.h>

#include "lab-plot-util.h"
#include "lab-weights-view.h"

G_DEFINE_ENUM_TYPE (LabWeightsMode, lab_weights_mode,
  G_DEFINE_ENUM_VALUE (LAB_WEIGHTS_MODE_HEATMAPS, "heatmaps"),
  G_DEFINE_ENUM_VALUE (LAB_WEIGHTS_MODE_PIXELS, "pixels"))

G_DEFINE_ENUM_TYPE (LabWeightsReduce, lab_weights_reduce,
  G_DEFINE_ENUM_VALUE (LAB_WEIGHTS_REDUCE_MEAN, "mean"),
  G_DEFINE_ENUM_VALUE (LAB_WEIGHTS_REDUCE_MAX_ABS, "max-abs"))

G_DEFINE_ENUM_TYPE (LabWeightsPixels, lab_weights_pixels,
  G_DEFINE_ENUM_VALUE (LAB_WEIGHTS_PIXELS_KEPT, "kept"),
  G_DEFINE_ENUM_VALUE (LAB_WEIGHTS_PIXELS_ABS_SUM, "abs-sum"))

/* One drawn heatmap (a layer, or the pixel image). */
typedef struct
{
  graphene_rect_t  rect;        /* image area, widget coordinates */
  graphene_rect_t  bar;         /* colour bar */
  char            *title;
  char            *note;        /* "cell = mean of a 4×4 block" or NULL */
  gsize            rows, cols;  /* of the matrix (pixel view: img_h, img_w) */
  gsize            by, bx;      /* block size */
  gsize            ch, cw;      /* cells */
  float           *val;         /* (ch, cw) reduced value of the kept weights */
  float           *pruned;      /* (ch, cw) pruned fraction of the block */
  guint           *kept;        /* (ch, cw) kept weights in the block */
  float            lo, hi;      /* colour range (heatmaps: -r..r) */
  double           layer_pruned;
  gboolean         all_pruned;  /* no colour bar: there is no value to read */
  GskRenderNode   *image;       /* the cells at device resolution, drawn over rect */
} Panel;

struct _LabWeightsView
{
  LabPlot           parent_instance;

  /* owned */
  LabSnapshot      *built_from;   /* the heavy snapshot the panels were built from (ref) */
  Panel            *panels;
  guint             n_panels;
  int               built_w, built_h, built_scale;
  guint             built_serial;
  guint             style_serial;
  gint64            next_build;     /* throttle: no data-only rebuild before this time */
  guint             throttle_id;    /* timeout that redraws when the throttle ends */
  char             *message;      /* "no data" text when nothing can be drawn */
  LabPlotArea       area;

  /* settings */
  LabWeightsMode    mode;
  LabWeightsReduce  reduce;
  LabWeightsPixels  pixels;
  gboolean          robust;
};

G_DEFINE_FINAL_TYPE (LabWeightsView, lab_weights_view, LAB_TYPE_PLOT)

enum {
  PROP_0,
  PROP_MODE,
  PROP_REDUCE,
  PROP_PIXELS,
  PROP_ROBUST_RANGE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* --- colour maps ---------------------------------------------------------------------------- */

/* ColorBrewer RdBu, reversed: blue < 0 < red, near-white at 0. */
static const guint8 diverging[][3] = {
  { 0x21, 0x66, 0xac }, { 0x67, 0xa9, 0xcf }, { 0xd1, 0xe5, 0xf0 }, { 0xf7, 0xf7, 0xf7 },
  { 0xfd, 0xdb, 0xc7 }, { 0xef, 0x8a, 0x62 }, { 0xb2, 0x18, 0x2b },
};

/* viridis, 6 stops (sequential, perceptually uniform). */
static const guint8 sequential[][3] = {
  { 0x44, 0x01, 0x54 }, { 0x41, 0x44, 0x87 }, { 0x2a, 0x78, 0x8e },
  { 0x22, 0xa8, 0x84 }, { 0x7a, 0xd1, 0x51 }, { 0xfd, 0xe7, 0x25 },
};

static void
ramp (const guint8 (*stops)[3],
      guint          n,
      double         t,       /* 0..1 */
      float          rgb[3])
{
  double x;
  guint i;

  if (!(t > 0))
    t = 0;
  if (t > 1)
    t = 1;
  x = t * (n - 1);
  i = MIN ((guint) x, n - 2);
  x -= i;
  for (guint k = 0; k < 3; k++)
    rgb[k] = ((1 - x) * stops[i][k] + x * stops[i + 1][k]) / 255.f;
}

static void
diverging_rgb (double v,
               double r,
               float  rgb[3])
{
  ramp (diverging, G_N_ELEMENTS (diverging), r > 0 ? 0.5 + 0.5 * v / r : 0.5, rgb);
}

static void
sequential_rgb (double t,
                float  rgb[3])
{
  ramp (sequential, G_N_ELEMENTS (sequential), t, rgb);
}

static void
get_pruned_color (LabWeightsView *self,
                  GdkRGBA        *color)
{
  GtkStyleContext *ctx = gtk_widget_get_style_context (GTK_WIDGET (self));

  /* slate: darker than any near-zero weight, unlike either end of the diverging map;
   * style.css may override it with @define-color plot_pruned_color */
  if (!gtk_style_context_lookup_color (ctx, "plot_pruned_color", color))
    gdk_rgba_parse (color, "#4c566a");
}

/* --- building the panels -------------------------------------------------------------------- */

static void
panel_clear (Panel *p)
{
  g_clear_pointer (&p->title, g_free);
  g_clear_pointer (&p->note, g_free);
  g_clear_pointer (&p->val, g_free);
  g_clear_pointer (&p->pruned, g_free);
  g_clear_pointer (&p->kept, g_free);
  g_clear_pointer (&p->image, gsk_render_node_unref);
}

static void
clear_panels (LabWeightsView *self)
{
  for (guint i = 0; i < self->n_panels; i++)
    panel_clear (&self->panels[i]);
  g_clear_pointer (&self->panels, g_free);
  self->n_panels = 0;
  g_clear_pointer (&self->built_from, lab_snapshot_unref);
  g_clear_pointer (&self->message, g_free);
}

/* The k-th smallest of v[0..n) (0-based), reordering v: Hoare's quickselect, O(n) expected. */
static float
select_kth (float *v,
            gsize  n,
            gsize  k)
{
  gsize lo = 0, hi = n - 1;

  while (lo < hi)
    {
      float pivot = v[lo + (hi - lo) / 2];
      gsize i = lo, j = hi;

      while (i <= j)
        {
          while (v[i] < pivot)
            i++;
          while (v[j] > pivot)
            j--;
          if (i <= j)
            {
              float t = v[i];

              v[i] = v[j];
              v[j] = t;
              i++;
              if (j == 0)
                break;
              j--;
            }
        }
      if (k <= j)
        hi = j;
      else if (k >= i)
        lo = i;
      else
        break;
    }
  return v[k];
}

/* Upper end of the colour range of @n values (cells not entirely pruned): max |v|, or the
 * 99th percentile of |v| (robust: one outlier does not wash out the rest). */
static float
range_of (const float *v,
          const float *pruned,
          gsize        n,
          gboolean     robust)
{
  g_autofree float *tmp = g_new (float, MAX (n, 1));
  gsize m = 0;
  float mx = 0, r;

  for (gsize i = 0; i < n; i++)
    if (pruned == NULL || pruned[i] < 1.f)
      {
        tmp[m] = fabsf (v[i]);
        mx = MAX (mx, tmp[m]);
        m++;
      }
  if (m == 0)
    return 0;
  if (!robust)
    return mx;
  r = select_kth (tmp, m, (gsize) ceil (0.99 * (m - 1)));
  return r > 0 ? r : mx;
}

/* Reduces W (rows × cols, row-major) with @mask (or NULL) into the panel's cells. */
static void
reduce_matrix (Panel            *p,
               const float      *w,
               const float      *mask,
               LabWeightsReduce  reduce)
{
  gsize n_cells = p->ch * p->cw;
  gsize pruned_total = 0;
  g_autofree double *sum = g_new0 (double, n_cells);
  g_autofree guint *total = g_new0 (guint, n_cells);

  p->val = g_new0 (float, n_cells);
  p->pruned = g_new0 (float, n_cells);
  p->kept = g_new0 (guint, n_cells);

  for (gsize r = 0; r < p->rows; r++)
    {
      gsize cr = r / p->by;
      const float *wr = w + r * p->cols;
      const float *mr = mask ? mask + r * p->cols : NULL;

      for (gsize c = 0; c < p->cols; c++)
        {
          gsize i = cr * p->cw + c / p->bx;

          total[i]++;
          if (mr != NULL && mr[c] == 0.f)
            {
              pruned_total++;
              continue;
            }
          p->kept[i]++;
          if (reduce == LAB_WEIGHTS_REDUCE_MEAN)
            sum[i] += wr[c];
          else if (fabsf (wr[c]) > fabsf (p->val[i]))
            p->val[i] = wr[c];
        }
    }

  for (gsize i = 0; i < n_cells; i++)
    {
      if (reduce == LAB_WEIGHTS_REDUCE_MEAN && p->kept[i] > 0)
        p->val[i] = sum[i] / p->kept[i];
      p->pruned[i] = total[i] ? 1.f - (float) p->kept[i] / total[i] : 1.f;
    }
  p->layer_pruned = p->rows > 0 && p->cols > 0 ? (double) pruned_total / (p->rows * p->cols) : 0;
}

/* The image of tw × th device pixels showing the cells, nearest neighbour, as p->image. */
static void
build_image (LabWeightsView *self,
             Panel          *p,
             int             tw,
             int             th,
             gboolean        heatmap)
{
  GdkRGBA pr;
  g_autofree gsize *cx = NULL;
  cairo_surface_t *surface;
  cairo_t *cr;
  guint8 *pixels;
  gsize stride;

  tw = MAX (tw, 1);
  th = MAX (th, 1);
  get_pruned_color (self, &pr);
  surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, tw, th);
  if (cairo_surface_status (surface) != CAIRO_STATUS_SUCCESS)
    {
      cairo_surface_destroy (surface);
      return;
    }
  cairo_surface_flush (surface);
  pixels = cairo_image_surface_get_data (surface);
  stride = (gsize) cairo_image_surface_get_stride (surface);
  cx = g_new (gsize, tw);
  for (int x = 0; x < tw; x++)
    cx[x] = MIN ((gsize) x * p->cw / tw, p->cw - 1);

  /* one colour per cell, then expanded */
  g_autofree guint32 *cell_px = g_new (guint32, p->ch * p->cw);
  for (gsize i = 0; i < p->ch * p->cw; i++)
    {
      float rgb[3];
      float f;

      if (heatmap)
        {
          diverging_rgb (CLAMP (p->val[i], p->lo, p->hi), p->hi, rgb);
          f = p->pruned[i];
        }
      else
        {
          sequential_rgb (p->hi > p->lo ? (p->val[i] - p->lo) / (p->hi - p->lo) : 1, rgb);
          f = p->kept[i] == 0 ? 1.f : 0.f;   /* an input with nothing left is "pruned" */
        }
      /* Cairo's RGB24: a native-endian 0xXXRRGGBB word, the top byte unused */
      cell_px[i] = (guint32) lrintf (255 * ((1 - f) * rgb[0] + f * pr.red)) << 16 |
                   (guint32) lrintf (255 * ((1 - f) * rgb[1] + f * pr.green)) << 8 |
                   (guint32) lrintf (255 * ((1 - f) * rgb[2] + f * pr.blue)) |
                   0xff000000u;
    }

  for (int y = 0; y < th; y++)
    {
      /* row 0 of the matrix at the top (as a matrix is printed) */
      gsize cy = MIN ((gsize) y * p->ch / th, p->ch - 1);
      guint32 *dst = (guint32 *) (void *) (pixels + y * stride);
      const guint32 *src = cell_px + cy * p->cw;

      for (int x = 0; x < tw; x++)
        dst[x] = src[cx[x]];
    }
  cairo_surface_mark_dirty (surface);

  /* tw × th device pixels over p->rect (whole logical pixels): 1:1 */
  g_clear_pointer (&p->image, gsk_render_node_unref);
  p->image = gsk_cairo_node_new (&p->rect);
  cr = gsk_cairo_node_get_draw_context (p->image);
  cairo_translate (cr, p->rect.origin.x, p->rect.origin.y);
  cairo_scale (cr, p->rect.size.width / tw, p->rect.size.height / th);
  cairo_set_source_surface (cr, surface, 0, 0);
  cairo_pattern_set_filter (cairo_get_source (cr), CAIRO_FILTER_NEAREST);
  cairo_paint (cr);
  cairo_destroy (cr);
  cairo_surface_destroy (surface);
}

static void
set_message (LabWeightsView *self,
             const char     *message)
{
  g_free (self->message);
  self->message = g_strdup (message);
}

/* Panel rectangles for @n panels in a grid within @area; heatmap fills what is left below the
 * title and above the colour bar. */
static void
layout_grid (LabWeightsView        *self,
             const graphene_rect_t *area,
             double                 line_h)
{
  guint n = self->n_panels;
  guint best_cols = 1;
  double best_score = -1;
  const double gap = line_h;
  const double above = line_h * 1.3;            /* title */
  const double below = 8 + 2 + line_h * 2.2;    /* bar + numbers + note */

  for (guint cols = 1; cols <= n; cols++)
    {
      guint rows = (n + cols - 1) / cols;
      double pw = (area->size.width - gap * (cols - 1)) / cols;
      double ph = (area->size.height - gap * (rows - 1)) / rows - above - below;
      /* prefer big and not too distorted */
      double score = MIN (pw, 2.5 * ph);

      if (pw > 0 && ph > 0 && score > best_score)
        {
          best_score = score;
          best_cols = cols;
        }
    }

  guint rows = (n + best_cols - 1) / best_cols;
  double pw = (area->size.width - gap * (best_cols - 1)) / best_cols;
  double ph = (area->size.height - gap * (rows - 1)) / rows;

  for (guint i = 0; i < n; i++)
    {
      Panel *p = &self->panels[i];
      double x = area->origin.x + (i % best_cols) * (pw + gap);
      double y = area->origin.y + (i / best_cols) * (ph + gap);
      double hw = floor (pw), hh = floor (MAX (1, ph - above - below));

      p->rect = GRAPHENE_RECT_INIT (round (x), round (y + above), MAX (1, hw), hh);
      p->bar = GRAPHENE_RECT_INIT (round (x), round (y + above + hh + 4),
                                   MIN (hw, 12 * line_h), 8);
    }
}

static void
layout_pixels (LabWeightsView        *self,
               const graphene_rect_t *area,
               double                 line_h)
{
  Panel *p = &self->panels[0];
  double above = line_h * 1.3;
  double bar_w = 12 + 5 * line_h;    /* vertical bar + numbers on its right */
  double aw = area->size.width - bar_w - line_h;
  double ah = area->size.height - above - line_h * 1.2;
  double s = MIN (aw / p->cols, ah / p->rows);
  double w, h;

  /* whole device pixels per input pixel when they fit, so every input pixel is a square */
  if (s >= 1)
    s = floor (s);
  s = MAX (s, 0.1);
  w = s * p->cols;
  h = s * p->rows;
  p->rect = GRAPHENE_RECT_INIT (round (area->origin.x + (aw - w) / 2),
                                round (area->origin.y + above), w, h);
  p->bar = GRAPHENE_RECT_INIT (p->rect.origin.x + w + line_h, p->rect.origin.y, 12, h);
}

static double
line_height (LabWeightsView     *self,
             const LabPlotStyle *s,
             double              rel)
{
  double h;

  lab_plot_text_size (GTK_WIDGET (self), s, "Ag", rel, FALSE, NULL, &h);
  return h;
}

/* Rebuilds cells and images if the data, size, settings or colours changed. */
static void
throttle_done (gpointer data)
{
  LabWeightsView *self = data;

  self->throttle_id = 0;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void build_panels (LabWeightsView     *self,
                          const LabPlotStyle *s,
                          LabSnapshot        *snap);

static void
ensure_built (LabWeightsView     *self,
              const LabPlotStyle *s)
{
  GtkWidget *widget = GTK_WIDGET (self);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  int scale = gtk_widget_get_scale_factor (widget);
  LabPlotModel *model = lab_plot_get_model (LAB_PLOT (self));
  LabSnapshot *snap = model ? lab_plot_model_get_heavy (model) : NULL;
  gint64 t0, cost;

  lab_plot_area_init (&self->area, widget, s, width, height, LAB_PLOT_AREA_NO_X_AXIS);
  if (width == self->built_w && height == self->built_h && scale == self->built_scale &&
      self->built_serial == self->style_serial && snap != NULL && self->built_from != NULL)
    {
      gint64 now;

      if (snap == self->built_from)
        return;
      /* Only the data changed. Huge matrices cost milliseconds to reduce: keep showing the
       * previous snapshot for a while so the main thread spends at most ~20 % on this. */
      now = g_get_monotonic_time ();
      if (now < self->next_build)
        {
          if (self->throttle_id == 0)
            self->throttle_id = g_timeout_add_once ((self->next_build - now) / 1000 + 1,
                                                    throttle_done, self);
          return;
        }
    }

  t0 = g_get_monotonic_time ();
  build_panels (self, s, snap);
  cost = g_get_monotonic_time () - t0;
  self->next_build = cost > 4000 ? t0 + 5 * cost : 0;
}

static void
build_panels (LabWeightsView     *self,
              const LabPlotStyle *s,
              LabSnapshot        *snap)
{
  GtkWidget *widget = GTK_WIDGET (self);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  int scale = gtk_widget_get_scale_factor (widget);
  const LabHeavy *hv;
  double line_h;
  graphene_rect_t area;

  clear_panels (self);
  self->built_w = width;
  self->built_h = height;
  self->built_scale = scale;
  self->built_serial = self->style_serial;

  if (snap == NULL || snap->heavy == NULL || snap->heavy->n_layers == 0)
    {
      char empty[96];

      lab_plot_empty_message (LAB_PLOT (self), "weights", empty, sizeof empty);
      set_message (self, empty);
      return;
    }
  hv = snap->heavy;
  self->built_from = lab_snapshot_ref (snap);

  line_h = line_height (self, s, 1.0);
  /* below the title line, above the two legend lines */
  {
    double top = self->area.title_y + line_h * 1.6;
    double bottom = height - line_h * 2.6;

    area = GRAPHENE_RECT_INIT (line_h * 0.8, top, width - line_h * 1.6, bottom - top);
  }
  if (area.size.width < 20 || area.size.height < 20)
    return;

  if (self->mode == LAB_WEIGHTS_MODE_PIXELS)
    {
      gsize n_pix = (gsize) hv->img_w * hv->img_h;
      LabView wv = lab_heavy_weight (hv, 0), mv = lab_heavy_mask (hv, 0);
      gsize rows = wv.rows, cols = wv.cols;
      const float *w = wv.data;
      const float *m = mv.data;
      Panel *p;

      if (n_pix == 0 || cols % n_pix != 0)
        {
          set_message (self, "Surviving input pixels are shown for image data only");
          return;
        }

      self->panels = g_new0 (Panel, 1);
      self->n_panels = 1;
      p = &self->panels[0];
      p->rows = hv->img_h;
      p->cols = hv->img_w;
      p->by = p->bx = 1;
      p->ch = p->rows;
      p->cw = p->cols;
      p->val = g_new0 (float, n_pix);
      p->pruned = g_new0 (float, n_pix);
      p->kept = g_new0 (guint, n_pix);

      /* input c belongs to pixel c mod n_pix (channels of one pixel are summed) */
      for (gsize r = 0; r < rows; r++)
        for (gsize c = 0; c < cols; c++)
          {
            gsize i = c % n_pix;

            if (m != NULL && m[r * cols + c] == 0.f)
              continue;
            p->kept[i]++;
            p->val[i] += self->pixels == LAB_WEIGHTS_PIXELS_KEPT ? 1.f : fabsf (w[r * cols + c]);
          }
      p->lo = 0;
      p->hi = self->pixels == LAB_WEIGHTS_PIXELS_KEPT ? (float) (rows * (cols / n_pix))
                                                       : range_of (p->val, NULL, n_pix, FALSE);
      if (!(p->hi > 0))
        p->hi = 1;
      p->title = g_strdup_printf ("%s per input pixel (W1 %zu×%zu, %u×%u image)",
                                  self->pixels == LAB_WEIGHTS_PIXELS_KEPT ? "Kept first-layer weights"
                                                                          : "Σ |w| of kept first-layer weights",
                                  rows, cols, hv->img_w, hv->img_h);
      layout_pixels (self, &area, line_h);
      build_image (self, p, (int) ceil (p->rect.size.width * scale),
                   (int) ceil (p->rect.size.height * scale), FALSE);
      return;
    }

  self->n_panels = hv->n_layers;
  self->panels = g_new0 (Panel, hv->n_layers);
  layout_grid (self, &area, line_h);

  for (guint l = 0; l < hv->n_layers; l++)
    {
      Panel *p = &self->panels[l];
      LabView wv = lab_heavy_weight (hv, l), mv = lab_heavy_mask (hv, l);
      int tw = (int) ceil (p->rect.size.width * scale);
      int th = (int) ceil (p->rect.size.height * scale);
      float r;

      p->rows = wv.rows;
      p->cols = wv.cols;
      /* at most one cell per device pixel */
      p->by = MAX (1, (p->rows + th - 1) / MAX (th, 1));
      p->bx = MAX (1, (p->cols + tw - 1) / MAX (tw, 1));
      p->ch = (p->rows + p->by - 1) / p->by;
      p->cw = (p->cols + p->bx - 1) / p->bx;
      reduce_matrix (p, wv.data, mv.data, self->reduce);
      r = range_of (p->val, p->pruned, p->ch * p->cw, self->robust);
      if (!(r > 0))
        r = 1;
      p->lo = -r;
      p->hi = r;
      p->title = g_strdup_printf ("%s %zu×%zu · %.0f %% pruned", lab_heavy_layer (hv, l)->name,
                                  p->rows, p->cols, 100 * p->layer_pruned);
      p->all_pruned = p->layer_pruned >= 1.0;
      if (p->all_pruned)
        p->note = g_strdup ("every weight of this layer is pruned");
      else if (p->by > 1 || p->bx > 1)
        p->note = g_strdup_printf ("cell = %s of a %zu×%zu block",
                                   self->reduce == LAB_WEIGHTS_REDUCE_MEAN ? "mean" : "max-abs",
                                   p->by, p->bx);
      build_image (self, p, tw, th, TRUE);
    }
}

/* --- drawing -------------------------------------------------------------------------------- */

static void
draw_text (GtkSnapshot        *snapshot,
           GtkWidget          *widget,
           const LabPlotStyle *s,
           const char         *text,
           double              rel,
           double              x,
           double              y,
           double              xalign,      /* 0 left, 0.5 centre, 1 right of x */
           double              yalign,
           const GdkRGBA      *color)
{
  lab_plot_draw_text (snapshot, widget, s, text, rel, FALSE, color,
                      round (x), round (y), xalign, yalign, NULL, NULL);
}

#define SMALL 0.85

static void
draw_bar (LabWeightsView     *self,
          GtkSnapshot        *snapshot,
          const LabPlotStyle *s,
          const Panel        *p,
          gboolean            vertical)
{
  GtkWidget *widget = GTK_WIDGET (self);
  const guint steps = 64;
  char buf[64];

  for (guint i = 0; i < steps; i++)
    {
      float rgb[3];
      double t = (i + 0.5) / steps;
      GdkRGBA c;

      if (vertical)
        sequential_rgb (t, rgb);
      else
        diverging_rgb (2 * t - 1, 1, rgb);
      c = (GdkRGBA) { rgb[0], rgb[1], rgb[2], 1 };
      if (vertical)
        lab_plot_fill_rect (snapshot, &c, p->bar.origin.x,
                            p->bar.origin.y + p->bar.size.height * (1 - (i + 1.0) / steps),
                            p->bar.size.width, p->bar.size.height / steps + 0.5);
      else
        lab_plot_fill_rect (snapshot, &c, p->bar.origin.x + p->bar.size.width * i / steps,
                            p->bar.origin.y, p->bar.size.width / steps + 0.5, p->bar.size.height);
    }

  if (vertical)
    {
      double x = p->bar.origin.x + p->bar.size.width + 4;

      for (guint k = 0; k <= 4; k++)
        {
          double v = p->lo + (p->hi - p->lo) * k / 4;
          double y = p->bar.origin.y + p->bar.size.height * (1 - k / 4.0);

          if (self->pixels == LAB_WEIGHTS_PIXELS_KEPT)
            g_snprintf (buf, sizeof buf, "%.0f", v);
          else
            lab_plot_format_sci (v, buf, sizeof buf);
          draw_text (snapshot, widget, s, buf, SMALL, x, y, 0, 0.5, &s->muted);
        }
    }
  else
    {
      double y = p->bar.origin.y + p->bar.size.height + 1;

      lab_plot_format_sci (p->lo, buf, sizeof buf);
      draw_text (snapshot, widget, s, buf, SMALL, p->bar.origin.x, y, 0, 0, &s->muted);
      draw_text (snapshot, widget, s, "0", SMALL, p->bar.origin.x + p->bar.size.width / 2, y,
                 0.5, 0, &s->muted);
      lab_plot_format_sci (p->hi, buf, sizeof buf);
      draw_text (snapshot, widget, s, buf, SMALL, p->bar.origin.x + p->bar.size.width, y, 1, 0,
                 &s->muted);
    }
}

/* Panel and cell under (x, y), or FALSE. */
static gboolean
hit_test (LabWeightsView *self,
          double          x,
          double          y,
          guint          *panel,
          gsize          *cy,
          gsize          *cx)
{
  for (guint i = 0; i < self->n_panels; i++)
    {
      const Panel *p = &self->panels[i];

      if (graphene_rect_contains_point (&p->rect, &GRAPHENE_POINT_INIT (x, y)))
        {
          *panel = i;
          *cx = MIN ((gsize) ((x - p->rect.origin.x) / p->rect.size.width * p->cw), p->cw - 1);
          *cy = MIN ((gsize) ((y - p->rect.origin.y) / p->rect.size.height * p->ch), p->ch - 1);
          return TRUE;
        }
    }
  return FALSE;
}

static char *
hover_text (LabWeightsView *self,
            guint           pi,
            gsize           cy,
            gsize           cx)
{
  const Panel *p = &self->panels[pi];
  gsize i = cy * p->cw + cx;
  gsize r0 = cy * p->by, r1 = MIN (r0 + p->by, p->rows) - 1;
  gsize c0 = cx * p->bx, c1 = MIN (c0 + p->bx, p->cols) - 1;
  gsize n = (r1 - r0 + 1) * (c1 - c0 + 1);
  char buf[64];

  if (self->mode == LAB_WEIGHTS_MODE_PIXELS)
    {
      lab_plot_format_sci (p->val[i], buf, sizeof buf);
      return g_strdup_printf ("pixel x %zu, y %zu\n%u kept weights\nΣ |w| or count: %s",
                              cx, cy, p->kept[i], buf);
    }

  if (p->kept[i] == 0)
    g_strlcpy (buf, "—", sizeof buf);
  else
    lab_plot_format_sci (p->val[i], buf, sizeof buf);

  if (n == 1)
    return g_strdup_printf ("W%u  row %zu, col %zu\nw = %s\nmask: %s", pi + 1, r0, c0,
                            p->kept[i] ? buf : "0 (pruned)", p->kept[i] ? "kept" : "pruned");
  {
    g_autofree char *rows = r0 == r1 ? g_strdup_printf ("row %zu", r0)
                                     : g_strdup_printf ("rows %zu–%zu", r0, r1);
    g_autofree char *cols = c0 == c1 ? g_strdup_printf ("col %zu", c0)
                                     : g_strdup_printf ("cols %zu–%zu", c0, c1);

    return g_strdup_printf ("W%u  %s, %s\n%s of kept = %s\n%u kept, %zu pruned",
                          pi + 1, rows, cols,
                          self->reduce == LAB_WEIGHTS_REDUCE_MEAN ? "mean" : "max-abs",
                          buf, p->kept[i], n - p->kept[i]);
  }
}

static void
lab_weights_view_snapshot (GtkWidget   *widget,
                           GtkSnapshot *snapshot)
{
  LabWeightsView *self = LAB_WEIGHTS_VIEW (widget);
  int height = gtk_widget_get_height (widget);
  LabPlotStyle s;
  GdkRGBA pr;
  double line_h, small_h;
  double hover_x, hover_y;

  lab_plot_style_init (widget, &s);
  ensure_built (self, &s);
  get_pruned_color (self, &pr);
  lab_plot_draw_background (snapshot, &s, &self->area);
  lab_plot_draw_title (snapshot, widget, &s, &self->area,
                       self->mode == LAB_WEIGHTS_MODE_PIXELS ? "Surviving input pixels"
                                                             : "Weights",
                       self->mode == LAB_WEIGHTS_MODE_PIXELS ? "which inputs the first layer still reads"
                                                             : "one heatmap per layer, W_l is outputs × inputs");

  if (self->n_panels == 0)
    {
      lab_plot_draw_message (snapshot, widget, &s, &self->area,
                             self->message ? self->message : "Too small to draw");
      return;
    }

  line_h = line_height (self, &s, 1.0);
  small_h = line_height (self, &s, SMALL);

  for (guint i = 0; i < self->n_panels; i++)
    {
      Panel *p = &self->panels[i];

      draw_text (snapshot, widget, &s, p->title, 1.0, p->rect.origin.x, p->rect.origin.y - 2,
                 0, 1, &s.fg);
      if (p->image != NULL)
        gtk_snapshot_append_node (snapshot, p->image);
      if (!p->all_pruned)
        draw_bar (self, snapshot, &s, p, self->mode == LAB_WEIGHTS_MODE_PIXELS);
      if (p->note != NULL)
        draw_text (snapshot, widget, &s, p->note, SMALL, p->bar.origin.x,
                   p->all_pruned ? p->bar.origin.y
                                 : p->bar.origin.y + p->bar.size.height + 1 + small_h,
                   0, 0, &s.muted);
    }

  /* legend */
  {
    double y = height - line_h * 2.4;
    double x = line_h * 0.8;
    const char *text;
    const char *detail;

    lab_plot_fill_rect (snapshot, &pr, x, y + line_h * 0.15, line_h * 0.7, line_h * 0.7);
    if (self->mode == LAB_WEIGHTS_MODE_PIXELS)
      {
        text = "no kept weight left from this input pixel";
        detail = self->pixels == LAB_WEIGHTS_PIXELS_KEPT
                   ? "colour = number of kept W1 weights reading the pixel (viridis, 0 … all rows)"
                   : "colour = Σ |w| of the kept W1 weights reading the pixel (viridis, 0 … max)";
      }
    else
      {
        text = self->robust
                 ? "pruned   ·   blue < 0 < red, per-layer range ±99th percentile of |cell| (beyond: clipped)"
                 : "pruned   ·   blue < 0 < red, per-layer range ±max |cell|";
        detail = self->reduce == LAB_WEIGHTS_REDUCE_MEAN
                   ? "a cell = mean of the kept weights of its block, blended toward the pruned colour by the block's pruned fraction"
                   : "a cell = kept weight of largest |w| in its block, blended toward the pruned colour by the block's pruned fraction";
      }
    draw_text (snapshot, widget, &s, text, 1.0, x + line_h, y, 0, 0, &s.fg);
    draw_text (snapshot, widget, &s, detail, SMALL, x + line_h, y + line_h * 1.1, 0, 0, &s.muted);
  }

  /* hover box */
  if (lab_plot_get_hover (LAB_PLOT (self), &hover_x, &hover_y))
    {
      guint pi;
      gsize cy, cx;

      if (hit_test (self, hover_x, hover_y, &pi, &cy, &cx))
        {
          g_autofree char *text = hover_text (self, pi, cy, cx);

          lab_plot_draw_tooltip (snapshot, widget, &s, &self->area, hover_x, hover_y,
                                 text, FALSE, NULL);
        }
    }
}

/* --- GObject -------------------------------------------------------------------------------- */

static void
lab_weights_view_model_changed (LabPlot  *plot,
                                gboolean  replaced)
{
  LabWeightsView *self = LAB_WEIGHTS_VIEW (plot);

  if (replaced)
    self->style_serial++;   /* a new model: rebuild even if its heavy snapshot looks the same */
  /* cells are rebuilt lazily in snapshot, when the heavy snapshot is a new one */
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
lab_weights_view_css_changed (GtkWidget         *widget,
                              GtkCssStyleChange *change)
{
  LabWeightsView *self = LAB_WEIGHTS_VIEW (widget);

  GTK_WIDGET_CLASS (lab_weights_view_parent_class)->css_changed (widget, change);
  /* the pruned colour and the font may have changed: rebuild images and layout */
  self->style_serial++;
}

static void
lab_weights_view_measure (GtkWidget      *widget,
                          GtkOrientation  orientation,
                          int             for_size,
                          int            *minimum,
                          int            *natural,
                          int            *minimum_baseline,
                          int            *natural_baseline)
{
  *minimum = orientation == GTK_ORIENTATION_HORIZONTAL ? 200 : 150;
  *natural = orientation == GTK_ORIENTATION_HORIZONTAL ? 640 : 400;
}

static void
lab_weights_view_dispose (GObject *object)
{
  LabWeightsView *self = LAB_WEIGHTS_VIEW (object);

  g_clear_handle_id (&self->throttle_id, g_source_remove);
  clear_panels (self);
  G_OBJECT_CLASS (lab_weights_view_parent_class)->dispose (object);
}

static void
lab_weights_view_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  LabWeightsView *self = LAB_WEIGHTS_VIEW (object);

  switch (prop_id)
    {
    case PROP_MODE:
      g_value_set_enum (value, self->mode);
      break;
    case PROP_REDUCE:
      g_value_set_enum (value, self->reduce);
      break;
    case PROP_PIXELS:
      g_value_set_enum (value, self->pixels);
      break;
    case PROP_ROBUST_RANGE:
      g_value_set_boolean (value, self->robust);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lab_weights_view_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  LabWeightsView *self = LAB_WEIGHTS_VIEW (object);

  switch (prop_id)
    {
    case PROP_MODE:
      lab_weights_view_set_mode (self, g_value_get_enum (value));
      break;
    case PROP_REDUCE:
      lab_weights_view_set_reduce (self, g_value_get_enum (value));
      break;
    case PROP_PIXELS:
      lab_weights_view_set_pixels (self, g_value_get_enum (value));
      break;
    case PROP_ROBUST_RANGE:
      lab_weights_view_set_robust_range (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lab_weights_view_class_init (LabWeightsViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  LabPlotClass *plot_class = LAB_PLOT_CLASS (klass);

  object_class->dispose = lab_weights_view_dispose;
  object_class->get_property = lab_weights_view_get_property;
  object_class->set_property = lab_weights_view_set_property;

  widget_class->snapshot = lab_weights_view_snapshot;
  widget_class->measure = lab_weights_view_measure;
  widget_class->css_changed = lab_weights_view_css_changed;

  plot_class->model_changed = lab_weights_view_model_changed;

  properties[PROP_MODE] =
    g_param_spec_enum ("mode", NULL, NULL, LAB_TYPE_WEIGHTS_MODE, LAB_WEIGHTS_MODE_HEATMAPS,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_REDUCE] =
    g_param_spec_enum ("reduce", NULL, NULL, LAB_TYPE_WEIGHTS_REDUCE, LAB_WEIGHTS_REDUCE_MEAN,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PIXELS] =
    g_param_spec_enum ("pixels", NULL, NULL, LAB_TYPE_WEIGHTS_PIXELS, LAB_WEIGHTS_PIXELS_KEPT,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ROBUST_RANGE] =
    g_param_spec_boolean ("robust-range", NULL, NULL, TRUE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

}

static void
lab_weights_view_init (LabWeightsView *self)
{

  self->robust = TRUE;
  gtk_widget_add_css_class (GTK_WIDGET (self), "weights");
}

GtkWidget *
lab_weights_view_new (void)
{
  return g_object_new (LAB_TYPE_WEIGHTS_VIEW, NULL);
}

#define DEFINE_SETTER(name, type, field, prop)                          \
  void                                                                  \
  lab_weights_view_set_##name (LabWeightsView *self,                    \
                               type            value)                   \
  {                                                                     \
    g_return_if_fail (LAB_IS_WEIGHTS_VIEW (self));                      \
    if (self->field == value)                                           \
      return;                                                           \
    self->field = value;                                                \
    self->style_serial++;                                               \
    gtk_widget_queue_draw (GTK_WIDGET (self));                          \
    g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);       \
  }                                                                     \
  type                                                                  \
  lab_weights_view_get_##name (LabWeightsView *self)                    \
  {                                                                     \
    g_return_val_if_fail (LAB_IS_WEIGHTS_VIEW (self), 0);               \
    return self->field;                                                 \
  }

DEFINE_SETTER (mode, LabWeightsMode, mode, PROP_MODE)
DEFINE_SETTER (reduce, LabWeightsReduce, reduce, PROP_REDUCE)
DEFINE_SETTER (pixels, LabWeightsPixels, pixels, PROP_PIXELS)

void
lab_weights_view_set_robust_range (LabWeightsView *self,
                                   gboolean        robust)
{
  g_return_if_fail (LAB_IS_WEIGHTS_VIEW (self));

  robust = !!robust;
  if (self->robust == robust)
    return;
  self->robust = robust;
  self->style_serial++;
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ROBUST_RANGE]);
}

gboolean
lab_weights_view_get_robust_range (LabWeightsView *self)
{
  g_return_val_if_fail (LAB_IS_WEIGHTS_VIEW (self), FALSE);
  return self->robust;
}

gboolean
lab_weights_view_get_layer_rect (LabWeightsView  *self,
                                 guint            l,
                                 graphene_rect_t *rect)
{
  LabPlotStyle s;

  g_return_val_if_fail (LAB_IS_WEIGHTS_VIEW (self), FALSE);
  g_return_val_if_fail (rect != NULL, FALSE);

  lab_plot_style_init (GTK_WIDGET (self), &s);
  ensure_built (self, &s);
  if (l >= self->n_panels)
    return FALSE;
  *rect = self->panels[l].rect;
  return TRUE;
}

void
lab_weights_view_get_pruned_color (LabWeightsView *self,
                                   GdkRGBA        *color)
{
  g_return_if_fail (LAB_IS_WEIGHTS_VIEW (self));
  get_pruned_color (self, color);
}
