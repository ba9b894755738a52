/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-weights-grid.h: where the weights view (lab-weights-view.h) puts its panels: a grid of
 * heatmaps, each with its title above and its colour bar and note below, as large and as little
 * distorted as the view allows; or the one image of the pixel view. A heatmap is never smaller
 * than LAB_WEIGHTS_GRID_MIN_W × LAB_WEIGHTS_GRID_MIN_H lines of text: 200 layers make a grid
 * taller than the view, which then scrolls (lab-plot-scroll.h).
 */
#pragma once

#include "lab-weights-panel.h"

G_BEGIN_DECLS

#define LAB_WEIGHTS_GRID_MIN_W 9.0   /* a heatmap's least width, in line heights: its title */
#define LAB_WEIGHTS_GRID_MIN_H 3.5   /* and height */

/* Sets rect and bar of @n panels in a grid in @area, the heatmap filling what the title above
 * and the colour bar and note below leave. Returns the grid's height: more than @area's when
 * the panels would otherwise be smaller than the least size. */
double lab_weights_grid_layout        (LabWeightsPanel       *panels,
                                       guint                  n,
                                       const graphene_rect_t *area,
                                       double                 line_h);
/* The pixel view's one panel (its rows and cols set): whole device pixels per input pixel when
 * they fit, centred, the colour bar upright on its right. */
void   lab_weights_grid_layout_pixels (LabWeightsPanel       *p,
                                       const graphene_rect_t *area,
                                       double                 line_h);

G_END_DECLS
