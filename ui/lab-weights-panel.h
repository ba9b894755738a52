/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-weights-panel.h: one heatmap of the weights view: a weight matrix (or, in the pixel
 * view, the first layer's weights summed per input pixel) reduced to cells, its colour range,
 * and its image at device resolution.
 *
 * Each layer's W_l (out × in, row-major) is reduced to at most one cell per device pixel of
 * its panel: a cell covers a by × bx block and shows the mean (or the max-abs) of the block's
 * kept weights. The cell's colour is the diverging map of that value, blended toward the
 * pruned colour by the block's pruned fraction, so a 90 %-pruned block looks 90 % grey and an
 * all-pruned block is exactly the pruned colour: nothing is hidden by the reduction.
 */
#pragma once

#include <gtk/gtk.h>

#include "lab-weights-view.h"

G_BEGIN_DECLS

typedef struct
{
  guint            layer;       /* the heavy snapshot's layer it shows */
  graphene_rect_t  rect;        /* image area, widget coordinates (before scrolling) */
  graphene_rect_t  bar;         /* colour bar */
  char            *title;       /* "W1 784×300 · 12 % pruned" */
  char            *title_short; /* "W1 784×300", for a narrow panel */
  char            *name;        /* "W1", for a narrower one */
  char            *note;        /* "cell = mean of a 4×4 block" or NULL */
  char            *note_short;  /* "4×4 mean", for a narrow panel, or NULL */
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
} LabWeightsPanel;

void   lab_weights_panel_clear         (LabWeightsPanel  *p);
/* Reduces W (rows × cols, row-major) with @mask (NULL: dense) into cells of at most one per
 * device pixel of a @tw × @th image, and sets the colour range ±max |cell| or, @robust, ±99th
 * percentile of |cell| (of cells not entirely pruned). */
void   lab_weights_panel_reduce_matrix (LabWeightsPanel  *p,
                                        const float      *w,
                                        const float      *mask,
                                        gsize             rows,
                                        gsize             cols,
                                        int               tw,
                                        int               th,
                                        LabWeightsReduce  reduce,
                                        gboolean          robust);
/* The pixel view: the first layer's W (rows × cols, @mask or NULL) on an image of @img_w ×
 * @img_h pixels (input c is pixel c mod img_w·img_h: channels are summed), one cell per pixel:
 * its kept weights counted, or their Σ |w|. */
void   lab_weights_panel_reduce_pixels (LabWeightsPanel  *p,
                                        const float      *w,
                                        const float      *mask,
                                        gsize             rows,
                                        gsize             cols,
                                        guint             img_w,
                                        guint             img_h,
                                        LabWeightsPixels  pixels);
/* The image of @tw × @th device pixels showing the cells over p->rect, nearest neighbour, as
 * p->image: a @heatmap on the diverging map, else the pixel view on viridis; blended toward
 * @pruned_color by what is pruned. */
void   lab_weights_panel_build_image   (LabWeightsPanel  *p,
                                        int               tw,
                                        int               th,
                                        gboolean          heatmap,
                                        const GdkRGBA    *pruned_color);
/* The cell of @p under widget (@x, @y): FALSE when the point is not on it. */
gboolean lab_weights_panel_cell_at     (const LabWeightsPanel *p,
                                        double                 x,
                                        double                 y,
                                        gsize                 *cy,
                                        gsize                 *cx);

G_END_DECLS
