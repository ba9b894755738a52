/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-colormap.h: the continuous colour maps of the heatmaps. Weights use a diverging map
 * (ColorBrewer RdBu, reversed: blue < 0 < red, near-white at 0) so the sign reads at a glance;
 * counts and sums use viridis, sequential and perceptually uniform.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The colour of @v on a diverging map over −@r … @r (the middle when @r ≤ 0). */
void lab_colormap_diverging  (double v,
                              double r,
                              float  rgb[3]);
/* The colour of @t ∈ [0, 1] on viridis (clamped). */
void lab_colormap_sequential (double t,
                              float  rgb[3]);

G_END_DECLS
