/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-layer-selection.h: which layers of the network the plots of a window show, and under
 * what names. A watched ResNet or transformer has 50–200 weight layers; every plot drawing all
 * of them would draw slivers and labels on top of each other. The selection is all layers,
 * every k-th, or a chosen subset, and the first and the last layer are always in it (where a
 * vanishing or exploding gradient shows). The default (AUTO) shows every layer of a network of
 * up to LAB_LAYER_SELECTION_AUTO_MAX layers, which covers every network Gradient Lab trains
 * itself, and every k-th of a deeper one, with k the smallest that keeps the count within it.
 *
 * It also names the layers: our own networks' W1 … Wn are "L1" … "Ln", as the plots always
 * called them; a watched model's layers keep their module names ("layer1.0.conv1") and are
 * grouped by a prefix of them ("layer1", "encoder.layers.11"), chosen so that groups are
 * neither single layers nor the whole network. A layer keeps its position in the whole network
 * for its colour (lab_palette_layer_color (l, n_layers)), whatever is hidden.
 *
 * One selection belongs to a LabPlotModel (lab_plot_model_get_layer_selection()), so every plot
 * of a window shows the same layers; it emits ::changed when the visible set, the names or the
 * mode (what lab_layer_selection_describe() says) change.
 */
#pragma once

#include <glib-object.h>

#include "lab-types.h"

G_BEGIN_DECLS

typedef enum
{
  LAB_LAYER_SELECTION_AUTO,     /* all up to LAB_LAYER_SELECTION_AUTO_MAX, else every k-th */
  LAB_LAYER_SELECTION_ALL,
  LAB_LAYER_SELECTION_EVERY,    /* every k-th (lab_layer_selection_set_every()) */
  LAB_LAYER_SELECTION_CHOSEN,   /* a chosen subset (lab_layer_selection_set_chosen()) */
} LabLayerSelectionMode;

/* AUTO shows every layer of a network this deep: all of ours (32 hidden + the output). */
#define LAB_LAYER_SELECTION_AUTO_MAX LAB_MAX_LAYERS

#define LAB_TYPE_LAYER_SELECTION_MODE (lab_layer_selection_mode_get_type ())
GType lab_layer_selection_mode_get_type (void) G_GNUC_CONST;

#define LAB_TYPE_LAYER_SELECTION (lab_layer_selection_get_type ())
G_DECLARE_FINAL_TYPE (LabLayerSelection, lab_layer_selection, LAB, LAYER_SELECTION, GObject)

LabLayerSelection    *lab_layer_selection_new             (void);

/* The network's @n_layers layers (≤ LAB_MAX_ROW_LAYERS) by name (@names NULL: W1 … Wn, our
 * own). The mode and k stay; a chosen subset stays only when the names are the same (a reset
 * of the same network), else the selection goes back to AUTO. */
void                  lab_layer_selection_set_layers      (LabLayerSelection     *self,
                                                           guint                  n_layers,
                                                           const char * const    *names);
guint                 lab_layer_selection_get_n_layers    (LabLayerSelection     *self);

void                  lab_layer_selection_set_mode        (LabLayerSelection     *self,
                                                           LabLayerSelectionMode  mode);
LabLayerSelectionMode lab_layer_selection_get_mode        (LabLayerSelection     *self);
/* k of EVERY (≥ 1); setting it does not change the mode. */
void                  lab_layer_selection_set_every       (LabLayerSelection     *self,
                                                           guint                  k);
/* The k in use: EVERY's, AUTO's own (1 when it shows all), 0 for ALL and CHOSEN. */
guint                 lab_layer_selection_get_every       (LabLayerSelection     *self);
/* Chooses layer @l or not, and switches to CHOSEN, starting from the layers visible until
 * then. The first and last layer stay visible whatever is chosen. */
void                  lab_layer_selection_set_chosen      (LabLayerSelection     *self,
                                                           guint                  l,
                                                           gboolean               chosen);
/* The same for every layer of group @g. */
void                  lab_layer_selection_set_group_chosen (LabLayerSelection    *self,
                                                           guint                  g,
                                                           gboolean               chosen);

/* The visible layers, input to output. */
guint                 lab_layer_selection_get_n_visible   (LabLayerSelection     *self);
const guint          *lab_layer_selection_get_visible     (LabLayerSelection     *self,
                                                           guint                 *n_visible);
gboolean              lab_layer_selection_is_visible      (LabLayerSelection     *self,
                                                           guint                  l);

/* TRUE for our own networks (W1 … Wn): layers go by number, there are no groups. */
gboolean              lab_layer_selection_is_numbered     (LabLayerSelection     *self);
/* Layer @l's name, unique in the network: "L3", or "layer1.0.conv1". */
const char           *lab_layer_selection_get_name        (LabLayerSelection     *self,
                                                           guint                  l);
/* Its name where its group is said beside it: "0.conv1" in "layer1"; the name when it is its
 * own group or there are none. Unique within the group. */
const char           *lab_layer_selection_get_short_name  (LabLayerSelection     *self,
                                                           guint                  l);

/* Groups, input to output by their first layer; 1 (named "") when the names give none. */
guint                 lab_layer_selection_get_n_groups    (LabLayerSelection     *self);
guint                 lab_layer_selection_get_group       (LabLayerSelection     *self,
                                                           guint                  l);
const char           *lab_layer_selection_get_group_name  (LabLayerSelection     *self,
                                                           guint                  g);

/* What is shown, in words: "all 12 layers", "every 4th of 120 layers, first and last always",
 * "9 chosen of 120 layers, first and last always". */
void                  lab_layer_selection_describe        (LabLayerSelection     *self,
                                                           char                  *buf,
                                                           gsize                  len);
/* The same in a few words, for a button: "all 12", "every 4th of 120", "9 of 120". */
void                  lab_layer_selection_describe_briefly (LabLayerSelection    *self,
                                                           char                  *buf,
                                                           gsize                  len);
/* TRUE when some layer is hidden. */
gboolean              lab_layer_selection_is_partial      (LabLayerSelection     *self);

G_END_DECLS
