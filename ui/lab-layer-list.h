/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-layer-list.h: the hidden layers in the settings sidebar, input to output: one row each
 * (its number, width, activation and a remove button), then an "Add Layer" button that appends
 * one like the last. The only part of the sidebar built in code, because its rows come and go.
 */
#pragma once

#include <gtk/gtk.h>

#include "lab-config.h"

G_BEGIN_DECLS

#define LAB_TYPE_LAYER_LIST (lab_layer_list_get_type ())
G_DECLARE_FINAL_TYPE (LabLayerList, lab_layer_list, LAB, LAYER_LIST, GtkWidget)

/* @names: the activation names, in LabActivation order, for every row's drop-down. */
void     lab_layer_list_set_names           (LabLayerList        *self,
                                             GListModel          *names);
/* Replaces the rows with @n layers (emits nothing). */
void     lab_layer_list_set                 (LabLayerList        *self,
                                             guint                n,
                                             const guint         *widths,
                                             const LabActivation *acts);
/* The layers into @widths and @acts (LAB_MAX_HIDDEN each); returns how many there are. */
guint    lab_layer_list_get                 (LabLayerList        *self,
                                             guint               *widths,
                                             LabActivation       *acts);
/* TRUE (and @act) when there are layers and all have the same activation. */
gboolean lab_layer_list_get_common_activation (LabLayerList      *self,
                                             LabActivation       *act);
/* As choosing @act in every row (emits ::changed for each). */
void     lab_layer_list_set_all_activations (LabLayerList        *self,
                                             LabActivation        act);

G_END_DECLS
