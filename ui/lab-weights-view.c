/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-weights-view.c: plot 4, weight heatmaps and surviving input pixels. One panel per layer
 * shown (lab-weights-panel.h: reduction to cells, colour range, image), laid out in a grid that
 * keeps the panels large and not too distorted and scrolls when they would be too small
 * (lab-weights-grid.h); or one panel of the input image in the pixel view. Each panel has its
 * title above, its colour bar and a note on the reduction below, and a legend at the bottom
 * says what the colours mean (drawn by lab-weights-paint.c).
 *
 * The cells and one image per panel are rebuilt only when a new heavy snapshot arrives, the
 * size changes or a setting or colour changes, and for huge matrices no more often than keeps
 * the main thread ~80 % free; snapshot only appends the images and text.
 */
#define G_LOG_DOMAIN "lab-weights-view"

#include "config.h"

#include <glib/gi18n.h>

#include <math.h>
#include <string.h>

#include "lab-number-format.h"
#include "lab-palette.h"
#include "lab-plot-scroll.h"
#include "lab-plot-text.h"
#include "lab-weights-describe.h"
#include "lab-weights-grid.h"
#include "lab-weights-paint.h"
#include "lab-weights-panel.h"
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


struct _LabWeightsView
{
  LabPlot           parent_instance;

  /* owned */
  LabSnapshot      *built_from;   /* the heavy snapshot the panels were built from (ref) */
  LabWeightsPanel  *panels;
  guint             n_panels;
  GArray           *built_layers;   /* guint: the layers of the panels, input to output */
  graphene_rect_t   grid;           /* where the panels show (they scroll there) */
  double            grid_h;         /* the panels' height, maybe more than the grid's */
  LabPlotScroll     scroll;
  int               built_w, built_h, built_scale;
  double            built_font;     /* the style's font scale (presenter mode: larger) */
  guint             built_serial;
  guint             style_serial;
  gint64            next_build;     /* throttle: no data-only rebuild before this time */
  guint             throttle_id;    /* timeout that redraws when the throttle ends */

  /* settings */
  LabWeightsMode    mode;
  LabWeightsReduce  reduce;
  LabWeightsPixels  pixels;
  gboolean          robust;

  char              subtitle[160];  /* names the pruned copy an experiment shows, or the
                                     * layers shown when not all are */
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

#define SMALL LAB_WEIGHTS_PAINT_SMALL

static void
get_pruned_color (LabWeightsView *self,
                  GdkRGBA        *color)
{
  lab_palette_pruned_color (GTK_WIDGET (self), color);
}

/* The pixel view needs image input: the first layer's inputs are whole images. */
static gboolean
pixels_supported (const LabHeavy *hv)
{
  gsize n_pix = (gsize) hv->img_w * hv->img_h;

  return n_pix > 0 && lab_heavy_weight (hv, 0).cols % n_pix == 0;
}

/* --- building the panels -------------------------------------------------------------------- */

static void
clear_panels (LabWeightsView *self)
{
  for (guint i = 0; i < self->n_panels; i++)
    lab_weights_panel_clear (&self->panels[i]);
  g_clear_pointer (&self->panels, g_free);
  self->n_panels = 0;
  g_clear_pointer (&self->built_from, lab_snapshot_unref);
}

/* The surviving input pixels: one panel of the first layer's weights per input pixel. */
static void
build_pixel_panel (LabWeightsView        *self,
                   const LabHeavy        *hv,
                   const graphene_rect_t *area,
                   double                 line_h,
                   int                    scale)
{
  LabView wv = lab_heavy_weight (hv, 0), mv = lab_heavy_mask (hv, 0);
  GdkRGBA pr;
  LabWeightsPanel *p;

  self->panels = g_new0 (LabWeightsPanel, 1);
  self->n_panels = 1;
  p = &self->panels[0];
  lab_weights_panel_reduce_pixels (p, wv.data, mv.data, wv.rows, wv.cols, hv->img_w, hv->img_h,
                                   self->pixels);
  /* Translators: W1 rows×columns, the image's width×height */
  p->title = g_strdup_printf (self->pixels == LAB_WEIGHTS_PIXELS_KEPT
                              ? _("Kept first-layer weights per input pixel (W1 %zu×%zu, %u×%u "
                                  "image)")
                              : _("Σ |w| of kept first-layer weights per input pixel (W1 %zu×%zu, "
                                  "%u×%u image)"),
                              wv.rows, wv.cols, hv->img_w, hv->img_h);
  lab_weights_grid_layout_pixels (p, area, line_h);
  get_pruned_color (self, &pr);
  lab_weights_panel_build_image (p, (int) ceil (p->rect.size.width * scale),
                                 (int) ceil (p->rect.size.height * scale), FALSE, &pr);
}

/* "16×72", or a convolution's "16×8·3×3": outputs × inputs·kernel. */
static void
layer_shape (const LabHeavyLayer *layer,
             char                *buf,
             gsize                len)
{
  gsize k = 1;
  GString *kernel = g_string_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (layer->kernel) && layer->kernel[i] > 0; i++)
    {
      k *= layer->kernel[i];
      g_string_append_printf (kernel, i > 0 ? "×%u" : "%u", layer->kernel[i]);
    }
  if (layer->kind == LAB_LAYER_CONV && kernel->len > 0 && layer->cols % k == 0)
    g_snprintf (buf, len, "%zu×%zu·%s", layer->rows, layer->cols / k, kernel->str);
  else
    g_snprintf (buf, len, "%zu×%zu", layer->rows, layer->cols);
  g_string_free (kernel, TRUE);
}

/* The layers with a heatmap: those the model's selection shows (every one without it). */
static void
wanted_layers (LabWeightsView *self,
               const LabHeavy *hv,
               GArray         *out)
{
  LabLayerSelection *sel = lab_plot_get_layer_selection (LAB_PLOT (self));

  g_array_set_size (out, 0);
  for (guint l = 0; l < hv->n_layers; l++)
    if (sel == NULL || lab_layer_selection_get_n_layers (sel) != hv->n_layers ||
        lab_layer_selection_is_visible (sel, l))
      g_array_append_val (out, l);
}

/* One heatmap per layer shown. */
static void
build_layer_panels (LabWeightsView        *self,
                    const LabHeavy        *hv,
                    const graphene_rect_t *area,
                    double                 line_h,
                    int                    scale)
{
  const char *reduce = self->reduce == LAB_WEIGHTS_REDUCE_MEAN ? _("mean") : _("max-abs");
  GdkRGBA pr;

  get_pruned_color (self, &pr);
  self->n_panels = self->built_layers->len;
  self->panels = g_new0 (LabWeightsPanel, MAX (self->n_panels, 1));
  self->grid_h = lab_weights_grid_layout (self->panels, self->n_panels, area, line_h);

  for (guint i = 0; i < self->n_panels; i++)
    {
      LabWeightsPanel *p = &self->panels[i];
      guint l = g_array_index (self->built_layers, guint, i);
      const LabHeavyLayer *layer = lab_heavy_layer (hv, l);
      LabView wv = lab_heavy_weight (hv, l), mv = lab_heavy_mask (hv, l);
      int tw = (int) ceil (p->rect.size.width * scale);
      int th = (int) ceil (p->rect.size.height * scale);
      char shape[64];

      p->layer = l;
      lab_weights_panel_reduce_matrix (p, wv.data, mv.data, wv.rows, wv.cols, tw, th,
                                       self->reduce, self->robust);
      layer_shape (layer, shape, sizeof shape);
      p->title = g_strdup_printf (_("%s %s · %.0f %% pruned"), layer->name, shape,
                                  100 * p->layer_pruned);
      p->title_short = g_strdup_printf ("%s %s", layer->name, shape);
      p->name = g_strdup (layer->name);
      p->all_pruned = p->layer_pruned >= 1.0;
      if (p->all_pruned)
        {
          p->note = g_strdup (_("every weight of this layer is pruned"));
          p->note_short = g_strdup (_("all pruned"));
        }
      else if (p->by > 1 || p->bx > 1)
        {
          p->note = g_strdup_printf (_("cell = %s of a %zu×%zu block"), reduce, p->by, p->bx);
          p->note_short = g_strdup_printf (_("%zu×%zu %s"), p->by, p->bx, reduce);
        }
      lab_weights_panel_build_image (p, tw, th, TRUE, &pr);
    }
}

static void
build_panels (LabWeightsView     *self,
              const LabPlotStyle *s,
              const LabPlotArea  *area,
              LabSnapshot        *snap)
{
  int scale = gtk_widget_get_scale_factor (GTK_WIDGET (self));
  double line_h = lab_plot_line_height (GTK_WIDGET (self), s, 1.0);
  /* below the title line, above the two legend lines */
  double top = area->title_y + line_h * 1.6;
  double bottom = area->height - line_h * 2.6;
  graphene_rect_t panels = GRAPHENE_RECT_INIT (line_h * 0.8, top, area->width - line_h * 1.6,
                                               bottom - top);

  clear_panels (self);
  self->grid = panels;
  self->grid_h = panels.size.height;
  self->built_w = (int) area->width;
  self->built_h = (int) area->height;
  self->built_scale = scale;
  self->built_font = s->font_scale;
  self->built_serial = self->style_serial;

  /* nothing to build: get_empty_message says why */
  if (snap == NULL || snap->heavy == NULL || snap->heavy->n_layers == 0)
    return;
  self->built_from = lab_snapshot_ref (snap);
  wanted_layers (self, snap->heavy, self->built_layers);
  if (panels.size.width < 20 || panels.size.height < 20)
    return;
  if (self->mode == LAB_WEIGHTS_MODE_HEATMAPS)
    build_layer_panels (self, snap->heavy, &panels, line_h, scale);
  else if (pixels_supported (snap->heavy))
    build_pixel_panel (self, snap->heavy, &panels, line_h, scale);
}

static void
throttle_done (gpointer data)
{
  LabWeightsView *self = data;

  self->throttle_id = 0;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* Rebuilds cells and images if the data, size, settings or colours changed. */
static void
ensure_built (LabWeightsView     *self,
              const LabPlotStyle *s,
              const LabPlotArea  *area)
{
  int scale = gtk_widget_get_scale_factor (GTK_WIDGET (self));
  LabPlotModel *model = lab_plot_get_model (LAB_PLOT (self));
  LabSnapshot *snap = model ? lab_plot_model_get_heavy (model) : NULL;
  g_autoptr(GArray) layers = g_array_new (FALSE, FALSE, sizeof (guint));
  gint64 t0, cost;

  if (snap != NULL && snap->heavy != NULL)
    wanted_layers (self, snap->heavy, layers);
  if ((int) area->width == self->built_w && (int) area->height == self->built_h &&
      scale == self->built_scale && s->font_scale == self->built_font &&
      self->built_serial == self->style_serial && snap != NULL &&
      self->built_from != NULL && layers->len == self->built_layers->len &&
      memcmp (layers->data, self->built_layers->data, layers->len * sizeof (guint)) == 0)
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
  build_panels (self, s, area, snap);
  cost = g_get_monotonic_time () - t0;
  self->next_build = cost > 4000 ? t0 + 5 * cost : 0;
}

/* --- drawing: lab-weights-paint.c ------------------------------------------------------------ */

static void
lab_weights_view_get_title (LabPlot     *plot,
                            const char **title,
                            const char **subtitle)
{
  LabWeightsView *self = LAB_WEIGHTS_VIEW (plot);
  gboolean pixels = self->mode == LAB_WEIGHTS_MODE_PIXELS;
  LabPlotModel *model = lab_plot_get_model (plot);
  LabSnapshot *snap = model ? lab_plot_model_get_heavy (model) : NULL;
  LabLayerSelection *sel = lab_plot_get_layer_selection (plot);
  char shown[96];

  *title = pixels ? _("Surviving input pixels") : _("Weights");
  *subtitle = pixels ? _("which inputs the first layer still reads")
                     : _("one heatmap per layer, W_l is outputs × inputs");
  /* a sweep or lottery shows the copy it has just tested, not the run's own network */
  if (snap != NULL && snap->heavy != NULL && snap->heavy->caption[0] != '\0')
    {
      g_snprintf (self->subtitle, sizeof self->subtitle, _("now showing %s, not the run itself"),
                  snap->heavy->caption);
      *subtitle = self->subtitle;
    }
  else if (!pixels && sel != NULL && lab_layer_selection_is_partial (sel))
    {
      lab_layer_selection_describe (sel, shown, sizeof shown);
      g_snprintf (self->subtitle, sizeof self->subtitle,
                  _("one heatmap per layer shown, outputs × inputs: %s"), shown);
      *subtitle = self->subtitle;
    }
}

static gboolean
lab_weights_view_get_empty_message (LabPlot *plot,
                                    char    *buf,
                                    gsize    len)
{
  LabWeightsView *self = LAB_WEIGHTS_VIEW (plot);
  LabPlotModel *model = lab_plot_get_model (plot);
  LabSnapshot *snap = model ? lab_plot_model_get_heavy (model) : NULL;

  if (snap == NULL || snap->heavy == NULL || snap->heavy->n_layers == 0)
    lab_plot_empty_message (plot, C_("no data yet", "weights"), buf, len);
  else if (self->mode == LAB_WEIGHTS_MODE_PIXELS && !pixels_supported (snap->heavy))
    g_strlcpy (buf, _("Surviving input pixels are shown for image data only"), len);
  else
    return FALSE;
  return TRUE;
}

static void
lab_weights_view_describe (LabPlot *plot,
                           GString *out)
{
  LabSnapshot *snap = lab_plot_model_get_heavy (lab_plot_get_model (plot));

  lab_weights_describe (snap->heavy, LAB_WEIGHTS_VIEW (plot)->mode, out);
}

/* Panel @p's title, the longest that fits its width: with its shape and pruned share, with its
 * shape, or its name alone, cut in the middle if need be (the pixel view's has room). */
static void
lab_weights_view_draw (LabPlot      *plot,
                       GtkSnapshot  *snapshot,
                       LabPlotFrame *f)
{
  LabWeightsView *self = LAB_WEIGHTS_VIEW (plot);
  const LabPlotStyle *s = &f->style;
  const graphene_rect_t *g = &self->grid;
  LabWeightsPaint how = { self->mode, self->pixels, self->reduce, self->robust, 0, NULL };
  double notes_h;
  gboolean scrolls;

  ensure_built (self, s, &f->area);
  if (self->n_panels == 0)
    {
      lab_plot_draw_message (snapshot, GTK_WIDGET (plot), s, &f->area, _("Too small to draw"));
      return;
    }

  lab_plot_scroll_set (&self->scroll, g, self->grid_h);
  scrolls = lab_plot_scroll_active (&self->scroll);
  how.dy = -self->scroll.offset;
  how.view = scrolls ? g : NULL;
  if (scrolls)
    gtk_snapshot_push_clip (snapshot, g);
  notes_h = 3 * lab_plot_line_height (GTK_WIDGET (plot), s, SMALL);
  for (guint i = 0; i < self->n_panels; i++)
    {
      LabWeightsPanel *p = &self->panels[i];

      /* only the panels in view: 200 of them are mostly out of it */
      if (p->rect.origin.y + how.dy > g->origin.y + g->size.height ||
          p->bar.origin.y + p->bar.size.height + notes_h + how.dy < g->origin.y)
        continue;
      lab_weights_paint_panel (plot, snapshot, s, p, &how);
    }
  if (scrolls)
    gtk_snapshot_pop (snapshot);
  lab_plot_scroll_draw (&self->scroll, snapshot, s);
  lab_weights_paint_legend (plot, snapshot, s, &f->area, &how);
}

static char *
hover_text (LabWeightsView *self,
            guint           pi,
            gsize           cy,
            gsize           cx)
{
  const LabWeightsPanel *p = &self->panels[pi];
  gsize i = cy * p->cw + cx;
  gsize r0 = cy * p->by, r1 = MIN (r0 + p->by, p->rows) - 1;
  gsize c0 = cx * p->bx, c1 = MIN (c0 + p->bx, p->cols) - 1;
  gsize n = (r1 - r0 + 1) * (c1 - c0 + 1);
  const char *name = lab_heavy_layer (self->built_from->heavy, p->layer)->name;
  char buf[64];

  if (self->mode == LAB_WEIGHTS_MODE_PIXELS)
    {
      lab_number_format_sci (p->val[i], buf, sizeof buf);
      return g_strdup_printf (_("pixel x %zu, y %zu\n%u kept weights\nΣ |w| or count: %s"),
                              cx, cy, p->kept[i], buf);
    }

  if (p->kept[i] == 0)
    g_strlcpy (buf, "—", sizeof buf);
  else
    lab_number_format_sci (p->val[i], buf, sizeof buf);

  if (n == 1)
    return g_strdup_printf (_("%s  row %zu, col %zu\nw = %s\nmask: %s"), name, r0, c0,
                            p->kept[i] ? buf : _("0 (pruned)"),
                            p->kept[i] ? _("kept") : _("pruned"));
  {
    g_autofree char *rows = r0 == r1 ? g_strdup_printf (_("row %zu"), r0)
                                     : g_strdup_printf (_("rows %zu–%zu"), r0, r1);
    g_autofree char *cols = c0 == c1 ? g_strdup_printf (_("col %zu"), c0)
                                     : g_strdup_printf (_("cols %zu–%zu"), c0, c1);

    /* Translators: layer  rows, columns / mean or max-abs of the kept weights / counts */
    return g_strdup_printf (_("%s  %s, %s\n%s of kept = %s\n%u kept, %zu pruned"),
                            name, rows, cols,
                            self->reduce == LAB_WEIGHTS_REDUCE_MEAN ? _("mean") : _("max-abs"),
                            buf, p->kept[i], n - p->kept[i]);
  }
}

static char *
lab_weights_view_get_hover_text (LabPlot            *plot,
                                 const LabPlotFrame *f,
                                 LabPlotTooltip     *tip)
{
  LabWeightsView *self = LAB_WEIGHTS_VIEW (plot);
  const graphene_rect_t *g = &self->grid;
  gsize cy, cx;

  /* the panels lie where they were built, less what is scrolled */
  if (lab_plot_scroll_active (&self->scroll) &&
      (tip->y < g->origin.y || tip->y > g->origin.y + g->size.height))
    return NULL;
  for (guint i = 0; i < self->n_panels; i++)
    if (lab_weights_panel_cell_at (&self->panels[i], tip->x, tip->y + self->scroll.offset, &cy,
                                   &cx))
      return hover_text (self, i, cy, cx);
  return NULL;
}

/* --- GObject -------------------------------------------------------------------------------- */

static void
lab_weights_view_model_changed (LabPlot  *plot,
                                gboolean  replaced)
{
  /* a new model: rebuild even if its heavy snapshot looks the same; otherwise the cells are
   * rebuilt lazily, when the heavy snapshot is a new one */
  if (replaced)
    LAB_WEIGHTS_VIEW (plot)->style_serial++;
  lab_plot_invalidate (plot);
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
lab_weights_view_dispose (GObject *object)
{
  LabWeightsView *self = LAB_WEIGHTS_VIEW (object);

  g_clear_handle_id (&self->throttle_id, g_source_remove);
  clear_panels (self);
  g_clear_pointer (&self->built_layers, g_array_unref);
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

  widget_class->css_changed = lab_weights_view_css_changed;

  plot_class->min_width = 200;
  plot_class->natural_width = 640;
  plot_class->min_height = 150;
  plot_class->natural_height = 400;
  plot_class->area_flags = LAB_PLOT_AREA_NO_X_AXIS;
  plot_class->model_changed = lab_weights_view_model_changed;
  plot_class->get_title = lab_weights_view_get_title;
  plot_class->get_empty_message = lab_weights_view_get_empty_message;
  plot_class->draw = lab_weights_view_draw;
  plot_class->get_hover_text = lab_weights_view_get_hover_text;
  plot_class->describe = lab_weights_view_describe;

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
  self->built_layers = g_array_new (FALSE, FALSE, sizeof (guint));
  lab_plot_scroll_init (&self->scroll, GTK_WIDGET (self));
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
    lab_plot_invalidate (LAB_PLOT (self));   /* and its description */ \
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
  GtkWidget *widget = GTK_WIDGET (self);
  LabPlotStyle s;
  LabPlotArea area;

  g_return_val_if_fail (LAB_IS_WEIGHTS_VIEW (self), FALSE);
  g_return_val_if_fail (rect != NULL, FALSE);

  lab_plot_style_init (widget, &s);
  lab_plot_area_init (&area, widget, &s, gtk_widget_get_width (widget),
                      gtk_widget_get_height (widget), LAB_PLOT_AREA_NO_X_AXIS);
  ensure_built (self, &s, &area);
  for (guint i = 0; i < self->n_panels; i++)
    if (self->panels[i].layer == l)
      {
        *rect = self->panels[i].rect;
        rect->origin.y -= (float) self->scroll.offset;
        return TRUE;
      }
  return FALSE;
}

LabPlotScroll *
lab_weights_view_get_scroll (LabWeightsView *self)
{
  g_return_val_if_fail (LAB_IS_WEIGHTS_VIEW (self), NULL);

  return &self->scroll;
}

void
lab_weights_view_get_pruned_color (LabWeightsView *self,
                                   GdkRGBA        *color)
{
  g_return_if_fail (LAB_IS_WEIGHTS_VIEW (self));
  get_pruned_color (self, color);
}
