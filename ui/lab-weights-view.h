/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-weights-view.h: the weight heatmaps. One heatmap per layer (W_l, out × in) on a
 * diverging colour map centred on zero, pruned weights in a neutral colour, large matrices
 * reduced block by block (mean or max-abs, stated in the legend). For image inputs a second
 * mode shows which input pixels still have kept first-layer weights.
 *
 * The heatmaps are the layers of the model's selection (lab-layer-selection.h), none smaller
 * than lab-weights-grid.h allows: a grid taller than the view scrolls. A convolution shows as
 * its out × in·kernel matrix, titled with its name and shape ("layer1.0.conv1 64×64·3×3").
 */
#pragma once

#include <gtk/gtk.h>

#include "lab-plot.h"
#include "lab-plot-scroll.h"

G_BEGIN_DECLS

typedef enum
{
  LAB_WEIGHTS_MODE_HEATMAPS,   /* one heatmap per layer */
  LAB_WEIGHTS_MODE_PIXELS,     /* surviving input pixels of the first layer (image input) */
} LabWeightsMode;

typedef enum
{
  LAB_WEIGHTS_REDUCE_MEAN,     /* a cell shows the mean of the kept weights of its block */
  LAB_WEIGHTS_REDUCE_MAX_ABS,  /* … the kept weight of largest |w| (with its sign) */
} LabWeightsReduce;

typedef enum
{
  LAB_WEIGHTS_PIXELS_KEPT,     /* number of kept first-layer weights per input pixel */
  LAB_WEIGHTS_PIXELS_ABS_SUM,  /* Σ |w| of the kept first-layer weights per input pixel */
} LabWeightsPixels;

#define LAB_TYPE_WEIGHTS_MODE   (lab_weights_mode_get_type ())
#define LAB_TYPE_WEIGHTS_REDUCE (lab_weights_reduce_get_type ())
#define LAB_TYPE_WEIGHTS_PIXELS (lab_weights_pixels_get_type ())
GType lab_weights_mode_get_type   (void) G_GNUC_CONST;
GType lab_weights_reduce_get_type (void) G_GNUC_CONST;
GType lab_weights_pixels_get_type (void) G_GNUC_CONST;

#define LAB_TYPE_WEIGHTS_VIEW (lab_weights_view_get_type ())
G_DECLARE_FINAL_TYPE (LabWeightsView, lab_weights_view, LAB, WEIGHTS_VIEW, LabPlot)

GtkWidget        *lab_weights_view_new              (void);
void              lab_weights_view_set_mode         (LabWeightsView   *self,
                                                     LabWeightsMode    mode);
LabWeightsMode    lab_weights_view_get_mode         (LabWeightsView   *self);
void              lab_weights_view_set_reduce       (LabWeightsView   *self,
                                                     LabWeightsReduce  reduce);
LabWeightsReduce  lab_weights_view_get_reduce       (LabWeightsView   *self);
void              lab_weights_view_set_pixels       (LabWeightsView   *self,
                                                     LabWeightsPixels  pixels);
LabWeightsPixels  lab_weights_view_get_pixels       (LabWeightsView   *self);
/* TRUE: colour range ±99th percentile of |cell| per layer; FALSE: ±max |cell|. */
void              lab_weights_view_set_robust_range (LabWeightsView   *self,
                                                     gboolean          robust);
gboolean          lab_weights_view_get_robust_range (LabWeightsView   *self);

/* Where layer @l's heatmap (or, in pixel mode with l = 0, the pixel image) was last drawn, in
 * widget coordinates (where scrolling put it, maybe out of view). FALSE if it is not shown (the
 * layer selection hides it). For tests and hover. */
gboolean          lab_weights_view_get_layer_rect   (LabWeightsView   *self,
                                                     guint             l,
                                                     graphene_rect_t  *rect);
/* The heatmaps' scrolling (transfer none): 200 layers are more than fit. */
LabPlotScroll    *lab_weights_view_get_scroll       (LabWeightsView   *self);
/* The colour pruned weights are drawn in (from CSS). */
void              lab_weights_view_get_pruned_color (LabWeightsView   *self,
                                                     GdkRGBA          *color);

G_END_DECLS
