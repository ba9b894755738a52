/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-layer-menu.h: the control on the plot toolbars that chooses which layers the plots show
 * (lab-layer-selection.h): a menu button that says what is shown ("Layers: every 4th of 120")
 * and opens a popover with Automatic / All / Every k-th (a spin button) / Choose…, the last with
 * a checklist of the layers under their groups, each group with a check of its own. Every menu
 * of a window works on its plot model's one selection, so they agree. It hides itself for a
 * network of up to LAB_LAYER_MENU_MIN_LAYERS layers, whose plots show them all as they always
 * did.
 */
#pragma once

#include <gtk/gtk.h>

#include "lab-plot-model.h"

G_BEGIN_DECLS

#define LAB_LAYER_MENU_MIN_LAYERS 12

#define LAB_TYPE_LAYER_MENU (lab_layer_menu_get_type ())
G_DECLARE_FINAL_TYPE (LabLayerMenu, lab_layer_menu, LAB, LAYER_MENU, GtkWidget)

GtkWidget    *lab_layer_menu_new       (void);
void          lab_layer_menu_set_model (LabLayerMenu *self,
                                        LabPlotModel *model);
LabPlotModel *lab_layer_menu_get_model (LabLayerMenu *self);
/* Its parts, for tests: the menu button (its label says what is shown), the radio button of
 * @mode, the spin button of k, and the checklist's check of layer @l or of group @g (the list is
 * built when first needed; NULL past its end). */
GtkWidget    *lab_layer_menu_get_button      (LabLayerMenu          *self);
GtkWidget    *lab_layer_menu_get_mode_button (LabLayerMenu          *self,
                                              LabLayerSelectionMode  mode);
GtkWidget    *lab_layer_menu_get_spin        (LabLayerMenu          *self);
GtkWidget    *lab_layer_menu_get_check       (LabLayerMenu          *self,
                                              guint                  l);
GtkWidget    *lab_layer_menu_get_group_check (LabLayerMenu          *self,
                                              guint                  g);

G_END_DECLS
