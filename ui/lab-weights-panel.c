/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-weights-panel.c: one heatmap of the weights view (see lab-weights-panel.h). The image is
 * made at the panel's device resolution (nearest-neighbour expansion of the cells), so it is
 * drawn 1:1 and no renderer filtering blurs the cells. It is kept as a render node (a Cairo
 * node painting the image) rather than a GdkTexture: GTK 4.8's Cairo renderer converts a
 * texture's every pixel each time it draws it (~2.5 ns a pixel, measured), on every frame that
 * repaints the panel, whereas a Cairo image is composited as is.
 */
#define G_LOG_DOMAIN "lab-weights-panel"

#include "config.h"

#include <math.h>

#include "lab-cell-image.h"
#include "lab-colormap.h"
#include "lab-weights-panel.h"

void
lab_weights_panel_clear (LabWeightsPanel *p)
{
  g_clear_pointer (&p->title, g_free);
  g_clear_pointer (&p->title_short, g_free);
  g_clear_pointer (&p->name, g_free);
  g_clear_pointer (&p->note, g_free);
  g_clear_pointer (&p->note_short, g_free);
  g_clear_pointer (&p->val, g_free);
  g_clear_pointer (&p->pruned, g_free);
  g_clear_pointer (&p->kept, g_free);
  g_clear_pointer (&p->image, gsk_render_node_unref);
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

/* Sums W into the cells: kept weights counted, their mean (or the one of largest |w|) and the
 * block's pruned fraction. */
static void
reduce_cells (LabWeightsPanel  *p,
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

void
lab_weights_panel_reduce_matrix (LabWeightsPanel  *p,
                                 const float      *w,
                                 const float      *mask,
                                 gsize             rows,
                                 gsize             cols,
                                 int               tw,
                                 int               th,
                                 LabWeightsReduce  reduce,
                                 gboolean          robust)
{
  float r;

  p->rows = rows;
  p->cols = cols;
  /* at most one cell per device pixel */
  p->by = MAX (1, (p->rows + th - 1) / MAX (th, 1));
  p->bx = MAX (1, (p->cols + tw - 1) / MAX (tw, 1));
  p->ch = (p->rows + p->by - 1) / p->by;
  p->cw = (p->cols + p->bx - 1) / p->bx;
  reduce_cells (p, w, mask, reduce);
  r = range_of (p->val, p->pruned, p->ch * p->cw, robust);
  if (!(r > 0))
    r = 1;
  p->lo = -r;
  p->hi = r;
}

void
lab_weights_panel_reduce_pixels (LabWeightsPanel  *p,
                                 const float      *w,
                                 const float      *mask,
                                 gsize             rows,
                                 gsize             cols,
                                 guint             img_w,
                                 guint             img_h,
                                 LabWeightsPixels  pixels)
{
  gsize n_pix = (gsize) img_w * img_h;

  p->rows = img_h;
  p->cols = img_w;
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

        if (mask != NULL && mask[r * cols + c] == 0.f)
          continue;
        p->kept[i]++;
        p->val[i] += pixels == LAB_WEIGHTS_PIXELS_KEPT ? 1.f : fabsf (w[r * cols + c]);
      }
  p->lo = 0;
  p->hi = pixels == LAB_WEIGHTS_PIXELS_KEPT ? (float) (rows * (cols / n_pix))
                                            : range_of (p->val, NULL, n_pix, FALSE);
  if (!(p->hi > 0))
    p->hi = 1;
}

/* One colour per cell: Cairo's RGB24, a native-endian 0xXXRRGGBB word, the top byte unused. */
static guint32 *
cell_colors (const LabWeightsPanel *p,
             gboolean               heatmap,
             const GdkRGBA         *pr)
{
  guint32 *cell_px = g_new (guint32, p->ch * p->cw);

  for (gsize i = 0; i < p->ch * p->cw; i++)
    {
      float rgb[3];
      float f;

      if (heatmap)
        {
          lab_colormap_diverging (CLAMP (p->val[i], p->lo, p->hi), p->hi, rgb);
          f = p->pruned[i];
        }
      else
        {
          lab_colormap_sequential (p->hi > p->lo ? (p->val[i] - p->lo) / (p->hi - p->lo) : 1,
                                   rgb);
          f = p->kept[i] == 0 ? 1.f : 0.f;   /* an input with nothing left is "pruned" */
        }
      cell_px[i] = (guint32) lrintf (255 * ((1 - f) * rgb[0] + f * pr->red)) << 16 |
                   (guint32) lrintf (255 * ((1 - f) * rgb[1] + f * pr->green)) << 8 |
                   (guint32) lrintf (255 * ((1 - f) * rgb[2] + f * pr->blue)) |
                   0xff000000u;
    }
  return cell_px;
}

void
lab_weights_panel_build_image (LabWeightsPanel *p,
                               int              tw,
                               int              th,
                               gboolean         heatmap,
                               const GdkRGBA   *pruned_color)
{
  g_autofree guint32 *cells = NULL;
  cairo_surface_t *surface;
  cairo_t *cr;

  tw = MAX (tw, 1);
  th = MAX (th, 1);
  surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, tw, th);
  if (cairo_surface_status (surface) != CAIRO_STATUS_SUCCESS)
    {
      cairo_surface_destroy (surface);
      return;
    }
  cairo_surface_flush (surface);
  cells = cell_colors (p, heatmap, pruned_color);
  /* row 0 of the matrix at the top (as a matrix is printed) */
  lab_cell_image_expand (cells, p->cw, p->ch, FALSE, cairo_image_surface_get_data (surface),
                         (gsize) cairo_image_surface_get_stride (surface), tw, th);
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

gboolean
lab_weights_panel_cell_at (const LabWeightsPanel *p,
                           double                 x,
                           double                 y,
                           gsize                 *cy,
                           gsize                 *cx)
{
  if (!graphene_rect_contains_point (&p->rect, &GRAPHENE_POINT_INIT ((float) x, (float) y)))
    return FALSE;
  *cx = MIN ((gsize) ((x - p->rect.origin.x) / p->rect.size.width * p->cw), p->cw - 1);
  *cy = MIN ((gsize) ((y - p->rect.origin.y) / p->rect.size.height * p->ch), p->ch - 1);
  return TRUE;
}
