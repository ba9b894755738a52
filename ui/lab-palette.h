/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-palette.h: the fixed colours of the plots, the same in every plot and legend: one per
 * network layer (an ordered hue walk from input to output), one per class of a dataset (Okabe &
 * Ito's colour-blind-safe set) and one per pruning criterion of a sweep. Colours that follow the
 * theme come from CSS instead (lab-plot-style.h); continuous maps for heatmaps are in
 * lab-colormap.h.
 */
#pragma once

#include <gtk/gtk.h>

#include "lab-layer-selection.h"

G_BEGIN_DECLS

/* The colour of network layer @layer of @n_layers. */
void    lab_palette_layer_color     (guint          layer,
                                     guint          n_layers,
                                     GdkRGBA       *color);
/* The colour of layer @layer of @n_layers where @sel (may be NULL) names the layers: in a
 * network whose layers fall into groups (lab-layer-selection.h) the hue of its group, darker
 * at the group's first layer and lighter at its last (lab_palette_shade()); otherwise, and when
 * @sel describes another network, lab_palette_layer_color(). Either way it depends on the
 * layer's place in the whole network, not on which layers are shown. */
void    lab_palette_layer_color_in  (LabLayerSelection *sel,
                                     guint          layer,
                                     guint          n_layers,
                                     GdkRGBA       *color);
/* The hue of group @g (Okabe & Ito's colours without yellow and grey, repeating). */
void    lab_palette_group_color     (guint          g,
                                     GdkRGBA       *color);
/* @base at depth @t ∈ [0, 1]: mixed toward black at 0, as is at 0.5, toward white at 1. */
void    lab_palette_shade           (const GdkRGBA *base,
                                     double         t,
                                     GdkRGBA       *color);
/* The colour of class @k (8 colours, repeating). */
void    lab_palette_class_color     (guint          k,
                                     GdkRGBA       *color);
#define LAB_PALETTE_N_CLASSES 8
/* The colour of the @i-th criterion of a sweep (8 colours, repeating). */
void    lab_palette_criterion_color (guint          i,
                                     GdkRGBA       *color);
/* The colour of a pruned weight on @widget: slate, darker than any near-zero weight and unlike
 * either end of the diverging map; style.css may override it (@define-color
 * plot_pruned_color). */
void    lab_palette_pruned_color    (GtkWidget     *widget,
                                     GdkRGBA       *color);
/* @c with its alpha multiplied by @alpha. */
GdkRGBA lab_palette_alpha           (const GdkRGBA *c,
                                     double         alpha);

G_END_DECLS
