/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-sparsity-plot.h: pruning. Per-layer sparsity bars (0–100 %) and, once a sweep has
 * been run (lab_plot_model_add_sweep_point()), the accuracy-versus-sparsity curve of each
 * criterion beside them.
 */
#pragma once

#include <gtk/gtk.h>

#include "lab-plot.h"

G_BEGIN_DECLS

#define LAB_TYPE_SPARSITY_PLOT (lab_sparsity_plot_get_type ())
G_DECLARE_FINAL_TYPE (LabSparsityPlot, lab_sparsity_plot, LAB, SPARSITY_PLOT, LabPlot)

GtkWidget    *lab_sparsity_plot_new       (void);
/* Sparsity (0–1) of layer @layer's bar as drawn (NAN if none). */
double        lab_sparsity_plot_get_layer_sparsity (LabSparsityPlot *self,
                                                    guint            layer);
/* Number of criteria drawn in the sweep panel of the last frame (0 = no sweep panel). */
guint         lab_sparsity_plot_get_n_curves      (LabSparsityPlot *self);
/* The bars of the last frame: how many, and bar @i's height (a fraction; the mean of its
 * layers when it stands for several) and the first and last layer it stands for. For tests. */
guint         lab_sparsity_plot_get_n_bars        (LabSparsityPlot *self);
gboolean      lab_sparsity_plot_get_bar           (LabSparsityPlot *self,
                                                   guint            i,
                                                   double          *value,
                                                   guint           *first,
                                                   guint           *last);

G_END_DECLS
