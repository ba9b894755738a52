/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-act-plot.h: activation distributions. One histogram strip per layer, input side at
 * the top, with the fraction of saturated (sigmoid/tanh) or dead (ReLU) units beside it, as in
 * Glorot & Bengio (2010). Can show the log10 |∂L/∂W_l| histograms instead.
 *
 * It shows the layers of the model's selection (lab-layer-selection.h). A strip is never lower
 * than its label: when they do not all fit, the strips scroll under the fixed title and x axis
 * (lab-plot-scroll.h). A layer that overflowed (inf or NaN among its values, or finite ones
 * beyond √FLT_MAX) is left off the shared x axis and counted ("3 layers overflowed").
 */
#pragma once

#include <gtk/gtk.h>

#include "lab-plot.h"
#include "lab-plot-scroll.h"

G_BEGIN_DECLS

typedef enum
{
  LAB_ACT_PLOT_ACTIVATIONS,   /* a_l of the last batch, hidden layers */
  LAB_ACT_PLOT_GRADIENTS,     /* log10 |∂L/∂W_l| of the last step, every layer */
} LabActPlotQuantity;

#define LAB_TYPE_ACT_PLOT_QUANTITY (lab_act_plot_quantity_get_type ())
GType lab_act_plot_quantity_get_type (void) G_GNUC_CONST;

#define LAB_TYPE_ACT_PLOT (lab_act_plot_get_type ())
G_DECLARE_FINAL_TYPE (LabActPlot, lab_act_plot, LAB, ACT_PLOT, LabPlot)

GtkWidget          *lab_act_plot_new          (void);
void                lab_act_plot_set_quantity (LabActPlot         *self,
                                               LabActPlotQuantity  quantity);
LabActPlotQuantity  lab_act_plot_get_quantity (LabActPlot         *self);

/* The note beside the strip of layer @l as last drawn ("dead 7 %", "inf/NaN 3.0 %"), or NULL. */
const char         *lab_act_plot_get_note       (LabActPlot       *self,
                                                 guint             l);
/* The strip of layer @l (0-based) as last drawn, in widget coordinates (where scrolling put
 * it, maybe out of view); FALSE if not shown. */
gboolean            lab_act_plot_get_strip_rect (LabActPlot       *self,
                                                 guint             l,
                                                 graphene_rect_t  *rect);
/* Strips of the last frame whose layer overflowed (left off the x axis). */
guint               lab_act_plot_get_n_overflowed (LabActPlot     *self);
/* The strips' scrolling (transfer none). */
LabPlotScroll      *lab_act_plot_get_scroll     (LabActPlot       *self);

G_END_DECLS
