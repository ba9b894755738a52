/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-net-paint.c: the network view's pictures (see lab-net-paint.h). Into an image, connections
 * are drawn by lab-net-lines.c, many times faster than cairo's stroker; as vectors (export) they
 * are grouped by their look (colour, width, opacity, dashes, each quantised) and every group is
 * one path and one stroke.
 */
#define G_LOG_DOMAIN "lab-net-paint"

#include "config.h"

#include <math.h>

#include "lab-colormap.h"
#include "lab-net-lines.h"
#include "lab-net-paint.h"

/* --- connections ------------------------------------------------------------------------------ */

/* The look of an edge, quantised: 4 bits a colour channel, half pixels of width, 1/20 of
 * opacity, dashed or not. */
static guint32
edge_key (const LabNetEdge *e,
          double            alpha)
{
  guint32 r = (guint32) lrint (e->rgb[0] * 15), g = (guint32) lrint (e->rgb[1] * 15);
  guint32 b = (guint32) lrint (e->rgb[2] * 15);
  guint32 w = (guint32) MIN (63, lrint (e->width * 2)), a = (guint32) MIN (31, lrint (alpha * 20));

  return (r << 20) | (g << 16) | (b << 12) | (w << 6) | (a << 1) | (e->pruned && !e->fading);
}

static void
stroke_key (cairo_t *cr,
            guint32  key,
            GArray  *segments)
{
  double dash[] = { 3, 3 };

  cairo_set_source_rgba (cr, ((key >> 20) & 15) / 15.0, ((key >> 16) & 15) / 15.0,
                         ((key >> 12) & 15) / 15.0, ((key >> 1) & 31) / 20.0);
  cairo_set_line_width (cr, MAX (0.5, ((key >> 6) & 63) / 2.0));
  cairo_set_dash (cr, dash, (key & 1) ? 2 : 0, 0);
  for (guint i = 0; i < segments->len; i++)
    {
      const LabNetEdge *e = g_array_index (segments, const LabNetEdge *, i);

      cairo_move_to (cr, e->x0, e->y0);
      cairo_line_to (cr, e->x1, e->y1);
    }
  cairo_stroke (cr);
}

/* Whether the picture (@fading FALSE) or the fading layer (TRUE) has @e. */
static gboolean
wanted (const LabNetGraph *graph,
        const LabNetEdge  *e,
        gboolean           fading)
{
  if (fading)
    return e->fading;
  if (e->bundle)
    return e->n_kept > 0 || graph->opts.show_pruned;   /* a thinner bundle stays */
  return !e->fading && (!e->pruned || graph->opts.show_pruned);
}

/* The canvas of @cr's target when it is an image that @cr only scales, so lines can be drawn
 * into its pixels (lab-net-lines.h); FALSE for vector output. */
static gboolean
raster_canvas (cairo_t      *cr,
               LabNetCanvas *canvas)
{
  cairo_surface_t *target = cairo_get_target (cr);
  cairo_matrix_t m;

  cairo_get_matrix (cr, &m);
  if (cairo_surface_get_type (target) != CAIRO_SURFACE_TYPE_IMAGE ||
      cairo_image_surface_get_format (target) != CAIRO_FORMAT_ARGB32 ||
      m.xy != 0 || m.yx != 0 || m.x0 != 0 || m.y0 != 0 || m.xx != m.yy)
    return FALSE;
  cairo_surface_flush (target);
  *canvas = (LabNetCanvas) {
    cairo_image_surface_get_data (target), cairo_image_surface_get_width (target),
    cairo_image_surface_get_height (target), cairo_image_surface_get_stride (target), m.xx,
  };
  return TRUE;
}

/* Draws @graph's edges that @fading selects (TRUE: the fading ones, as they were before), into
 * the pixels of an image, or as cairo strokes grouped by look. */
static void
paint_edges (cairo_t           *cr,
             const LabNetGraph *graph,
             gboolean           fading,
             double             opacity)
{
  g_autoptr(GHashTable) groups = NULL;
  g_autoptr(GList) keys = NULL;
  LabNetCanvas canvas;

  if (raster_canvas (cr, &canvas))
    {
      for (guint i = 0; i < graph->edges->len; i++)
        {
          const LabNetEdge *e = &g_array_index (graph->edges, LabNetEdge, i);

          if (wanted (graph, e, fading))
            lab_net_lines_draw (&canvas, e->x0, e->y0, e->x1, e->y1,
                                fading ? e->width_before : e->width, e->rgb, opacity * e->alpha,
                                e->pruned && !e->fading);
        }
      cairo_surface_mark_dirty (cairo_get_target (cr));
      return;
    }

  groups = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) g_array_unref);
  for (guint i = 0; i < graph->edges->len; i++)
    {
      LabNetEdge *e = &g_array_index (graph->edges, LabNetEdge, i);
      LabNetEdge ghost;
      const LabNetEdge *draw = e;
      guint32 key;
      GArray *list;

      if (!wanted (graph, e, fading))
        continue;
      if (fading && e->bundle)
        {
          /* what was kept before, over the bundle as it is now */
          ghost = *e;
          ghost.width = e->width_before;
          draw = &ghost;
        }
      key = edge_key (draw, opacity * draw->alpha);
      if ((key >> 1 & 31) == 0)
        continue;
      list = g_hash_table_lookup (groups, GUINT_TO_POINTER (key));
      if (list == NULL)
        {
          list = g_array_new (FALSE, FALSE, sizeof (LabNetEdge *));
          g_hash_table_insert (groups, GUINT_TO_POINTER (key), list);
        }
      /* ghosts are copies: keep the width in the key, the coordinates in the edge */
      g_array_append_val (list, e);
    }

  cairo_save (cr);
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_BUTT);
  keys = g_hash_table_get_keys (groups);
  for (GList *k = keys; k != NULL; k = k->next)
    stroke_key (cr, GPOINTER_TO_UINT (k->data), g_hash_table_lookup (groups, k->data));
  cairo_restore (cr);
}

void
lab_net_paint_fading (cairo_t           *cr,
                      const LabNetGraph *graph,
                      double             opacity)
{
  g_return_if_fail (cr != NULL && graph != NULL);

  if (graph->n_fading > 0 && opacity > 0)
    paint_edges (cr, graph, TRUE, CLAMP (opacity, 0, 1));
}

static void
paint_skips (cairo_t            *cr,
             const LabNetGraph  *graph,
             const LabPlotStyle *s)
{
  for (guint i = 0; i < graph->skips->len; i++)
    {
      const LabNetSkip *k = &g_array_index (graph->skips, LabNetSkip, i);
      double lift = graph->opts.line_h * 0.9;

      cairo_set_source_rgba (cr, s->accent.red, s->accent.green, s->accent.blue, 0.9);
      cairo_set_line_width (cr, MAX (1.5, s->line_width));
      cairo_move_to (cr, k->x0, k->y + lift);
      cairo_curve_to (cr, k->x0, k->y, k->x1, k->y, k->x1, k->y + lift);
      cairo_stroke (cr);
      /* the arrow head where the input is added */
      cairo_move_to (cr, k->x1 - 4, k->y + lift - 6);
      cairo_line_to (cr, k->x1, k->y + lift);
      cairo_line_to (cr, k->x1 + 4, k->y + lift - 6);
      cairo_stroke (cr);
    }
}

/* --- thumbnails and fills --------------------------------------------------------------------- */

static guint32
pack (const float rgb[3])
{
  return 0xff000000u | ((guint32) lrint (rgb[0] * 255) << 16) |
         ((guint32) lrint (rgb[1] * 255) << 8) | (guint32) lrint (rgb[2] * 255);
}

/* The largest |output| of unit @j of layer @l over the plane: its thumbnail's colour range, so
 * each shows where it is on and off however strongly (its tooltip says how strongly). */
static double
map_range (const LabHeavy *hv,
           guint           l,
           gsize           j)
{
  gsize cells = (gsize) hv->map_n * hv->map_n;
  const float *map = hv->layers[l].unit_maps + j * cells;
  double r = 0;

  for (gsize i = 0; i < cells; i++)
    r = MAX (r, fabs (map[i]));
  return r;
}

/* The largest kept |w| of row @j of @layer: a weight thumbnail's colour range. */
static double
row_range (const LabHeavyLayer *layer,
           gsize                j)
{
  double r = 0;

  for (gsize i = j * layer->cols; i < (j + 1) * layer->cols; i++)
    if (layer->mask == NULL || layer->mask[i] != 0.0f)
      r = MAX (r, fabs (layer->weight[i]));
  return r;
}

/* The cells of @nn's thumbnail as an image (row 0 the top); NULL when it has none. */
static cairo_surface_t *
thumb_surface (const LabNetGraph  *graph,
               const LabNetNeuron *nn,
               const LabHeavy     *hv,
               const GdkRGBA      *pruned)
{
  guint n = nn->thumb == LAB_NET_THUMB_WEIGHTS ? graph->img_w : hv->map_n;
  guint h = nn->thumb == LAB_NET_THUMB_WEIGHTS ? graph->img_h : hv->map_n;
  float pr[3] = { pruned->red, pruned->green, pruned->blue };
  cairo_surface_t *surface;
  guint32 *px;
  int stride;
  double r = 1;

  if (nn->thumb == LAB_NET_THUMB_NONE || n == 0 || h == 0)
    return NULL;
  surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, (int) n, (int) h);
  cairo_surface_flush (surface);
  px = (guint32 *) (void *) cairo_image_surface_get_data (surface);
  stride = cairo_image_surface_get_stride (surface) / 4;
  if (nn->thumb == LAB_NET_THUMB_MAP)
    r = map_range (hv, nn->column - 1, nn->unit);
  else if (nn->thumb == LAB_NET_THUMB_WEIGHTS)
    r = row_range (&hv->layers[0], nn->unit);
  else
    r = MAX (fabs (hv->map_lo), fabs (hv->map_hi));

  for (guint y = 0; y < h; y++)
    for (guint x = 0; x < n; x++)
      {
        float rgb[3];
        guint cell_row = nn->thumb == LAB_NET_THUMB_WEIGHTS ? y : h - 1 - y;   /* maps: y up */
        double coord = hv->map_lo + (hv->map_hi - hv->map_lo) *
                       ((nn->thumb == LAB_NET_THUMB_INPUT_X ? x : cell_row) + 0.5) / n;

        if (nn->thumb == LAB_NET_THUMB_MAP)
          lab_colormap_diverging (hv->layers[nn->column - 1].unit_maps[
                                    (nn->unit * h + cell_row) * n + x], r, rgb);
        else if (nn->thumb == LAB_NET_THUMB_WEIGHTS)
          {
            const LabHeavyLayer *w1 = &hv->layers[0];
            gsize i = nn->unit * w1->cols + y * n + x;

            if (w1->mask != NULL && w1->mask[i] == 0.0f)
              rgb[0] = pr[0], rgb[1] = pr[1], rgb[2] = pr[2];
            else
              lab_colormap_diverging (w1->weight[i], r, rgb);
          }
        else
          lab_colormap_diverging (coord, r, rgb);
        px[y * stride + x] = pack (rgb);
      }
  cairo_surface_mark_dirty (surface);
  return surface;
}

gboolean
lab_net_paint_thumb (cairo_t            *cr,
                     const LabNetGraph  *graph,
                     const LabNetNeuron *nn,
                     const LabHeavy     *heavy,
                     const GdkRGBA      *pruned,
                     double              x,
                     double              y,
                     double              side)
{
  cairo_surface_t *surface = thumb_surface (graph, nn, heavy, pruned);
  int w, h;

  if (surface == NULL)
    return FALSE;
  w = cairo_image_surface_get_width (surface);
  h = cairo_image_surface_get_height (surface);
  cairo_save (cr);
  cairo_rectangle (cr, x, y, side, side);
  cairo_clip (cr);
  cairo_translate (cr, x, y);
  cairo_scale (cr, side / w, side / h);
  cairo_set_source_surface (cr, surface, 0, 0);
  /* weights are pixels; maps are samples of a smooth function */
  cairo_pattern_set_filter (cairo_get_source (cr), nn->thumb == LAB_NET_THUMB_WEIGHTS
                                                     ? CAIRO_FILTER_NEAREST : CAIRO_FILTER_GOOD);
  cairo_pattern_set_extend (cairo_get_source (cr), CAIRO_EXTEND_PAD);
  cairo_paint (cr);
  cairo_restore (cr);
  cairo_surface_destroy (surface);
  return TRUE;
}

/* The fill of a unit that shows its output on the probe (diverging, relative to the largest
 * |output| of its column's shown units), or FALSE when it has none. */
static gboolean
act_rgb (const LabNetGraph  *graph,
         const LabNetNeuron *nn,
         float               rgb[3])
{
  const LabNetColumn *col = &graph->columns[nn->column];
  double r = 0;

  if (isnan (nn->act))
    return FALSE;
  for (guint i = 0; i < col->n_shown; i++)
    r = MAX (r, fabs (g_array_index (graph->neurons, LabNetNeuron, col->first + i).act));
  lab_colormap_diverging (nn->act, r, rgb);
  return TRUE;
}

static void
paint_neuron (cairo_t            *cr,
              const LabNetGraph  *graph,
              const LabNetNeuron *nn,
              const LabHeavy     *hv,
              const LabPlotStyle *s,
              const GdkRGBA      *pruned)
{
  gboolean square = nn->thumb != LAB_NET_THUMB_NONE;
  gboolean delta = graph->opts.color == LAB_NET_COLOR_DELTA && !isnan (nn->t);
  double r = nn->r;
  float rgb[3];

  cairo_new_path (cr);
  if (square)
    cairo_rectangle (cr, nn->x - r, nn->y - r, 2 * r, 2 * r);
  else
    cairo_arc (cr, nn->x, nn->y, r, 0, 2 * G_PI);

  if (nn->hollow)
    {
      /* hollow: nothing flows in or out; its outline in the pruned colour */
      gdk_cairo_set_source_rgba (cr, &s->background);
      cairo_fill_preserve (cr);
      gdk_cairo_set_source_rgba (cr, pruned);
      cairo_set_line_width (cr, 1.5 * MAX (1, graph->opts.unit_scale));
      cairo_stroke (cr);
      return;
    }
  if (delta)
    cairo_set_source_rgb (cr, nn->rgb[0], nn->rgb[1], nn->rgb[2]);
  else if (!square && act_rgb (graph, nn, rgb))
    cairo_set_source_rgb (cr, rgb[0], rgb[1], rgb[2]);
  else
    gdk_cairo_set_source_rgba (cr, &s->background);
  cairo_fill_preserve (cr);
  if (square && !delta)
    {
      cairo_new_path (cr);
      lab_net_paint_thumb (cr, graph, nn, hv, pruned, nn->x - r, nn->y - r, 2 * r);
      cairo_rectangle (cr, nn->x - r, nn->y - r, 2 * r, 2 * r);
    }
  cairo_set_source_rgba (cr, s->fg.red, s->fg.green, s->fg.blue, 0.6);
  cairo_set_line_width (cr, 1);
  cairo_stroke (cr);
}

/* The inputs as one image: the probe sample's pixels (grey) or a plain grid, every pixel whose
 * outgoing weights are all pruned in the pruned colour. */
static void
paint_image (cairo_t            *cr,
             const LabNetGraph  *graph,
             const LabHeavy     *hv,
             const LabPlotStyle *s,
             const GdkRGBA      *pruned)
{
  const LabNetColumn *col = &graph->columns[0];
  guint w = graph->img_w, h = graph->img_h;
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, (int) w, (int) h);
  guint32 *px;
  int stride;

  cairo_surface_flush (surface);
  px = (guint32 *) (void *) cairo_image_surface_get_data (surface);
  stride = cairo_image_surface_get_stride (surface) / 4;
  for (guint i = 0; i < w * h; i++)
    {
      float rgb[3] = { 0.85f, 0.87f, 0.9f };

      if (graph->input_dead != NULL && graph->input_dead[i])
        rgb[0] = pruned->red, rgb[1] = pruned->green, rgb[2] = pruned->blue;
      else if (hv->probe_input != NULL)
        rgb[0] = rgb[1] = rgb[2] = 0.1f + 0.9f * CLAMP (hv->probe_input[i], 0, 1);
      px[(i / w) * stride + i % w] = pack (rgb);
    }
  cairo_surface_mark_dirty (surface);

  cairo_save (cr);
  cairo_translate (cr, col->image_x, col->image_y);
  cairo_scale (cr, col->image_side / w, col->image_side / h);
  cairo_set_source_surface (cr, surface, 0, 0);
  cairo_pattern_set_filter (cairo_get_source (cr), CAIRO_FILTER_NEAREST);
  cairo_paint (cr);
  cairo_restore (cr);
  cairo_surface_destroy (surface);
  cairo_rectangle (cr, col->image_x, col->image_y, col->image_side, col->image_side);
  cairo_set_source_rgba (cr, s->fg.red, s->fg.green, s->fg.blue, 0.6);
  cairo_set_line_width (cr, 1);
  cairo_stroke (cr);
}

void
lab_net_paint_graph (cairo_t            *cr,
                     const LabNetGraph  *graph,
                     const LabHeavy     *heavy,
                     const LabPlotStyle *s,
                     const GdkRGBA      *pruned)
{
  g_return_if_fail (cr != NULL && graph != NULL);

  if (graph->n_columns == 0)
    return;
  paint_edges (cr, graph, FALSE, 1);
  paint_skips (cr, graph, s);
  if (graph->columns[0].image)
    paint_image (cr, graph, heavy, s, pruned);
  for (guint i = 0; i < graph->neurons->len; i++)
    paint_neuron (cr, graph, &g_array_index (graph->neurons, LabNetNeuron, i), heavy, s, pruned);
}

GskRenderNode *
lab_net_paint_picture (const LabNetGraph  *graph,
                       const LabHeavy     *heavy,
                       const LabPlotStyle *s,
                       const GdkRGBA      *pruned,
                       double              width,
                       double              height,
                       int                 scale,
                       gboolean            fading)
{
  graphene_rect_t bounds = GRAPHENE_RECT_INIT (0, 0, (float) width, (float) height);
  cairo_surface_t *surface;
  GskRenderNode *node;
  cairo_t *cr;

  g_return_val_if_fail (graph != NULL && scale >= 1, NULL);

  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, (int) ceil (width * scale),
                                        (int) ceil (height * scale));
  cr = cairo_create (surface);
  cairo_scale (cr, scale, scale);
  if (fading)
    lab_net_paint_fading (cr, graph, 1);
  else
    lab_net_paint_graph (cr, graph, heavy, s, pruned);
  cairo_destroy (cr);

  node = gsk_cairo_node_new (&bounds);
  cr = gsk_cairo_node_get_draw_context (node);
  cairo_scale (cr, 1.0 / scale, 1.0 / scale);
  cairo_set_source_surface (cr, surface, 0, 0);
  cairo_paint (cr);
  cairo_destroy (cr);
  cairo_surface_destroy (surface);
  return node;
}
