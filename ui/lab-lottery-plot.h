/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-lottery-plot.h: the lottery-ticket experiment (Frankle & Carbin 2019) round by round:
 * the test accuracy of each round's ticket (the pruned network rewound to its initial weights
 * and retrained) and of its control (the same mask on fresh random weights) against the
 * ticket's sparsity, with the unpruned network's accuracy as a dashed reference line. The
 * rounds come from the plot model (lab_plot_model_get_lottery()) as they finish.
 */
#pragma once

#include <gtk/gtk.h>

#include "lab-plot.h"

G_BEGIN_DECLS

#define LAB_TYPE_LOTTERY_PLOT (lab_lottery_plot_get_type ())
G_DECLARE_FINAL_TYPE (LabLotteryPlot, lab_lottery_plot, LAB, LOTTERY_PLOT, LabPlot)

GtkWidget *lab_lottery_plot_new          (void);
/* Rounds drawn (as of the model now). */
guint      lab_lottery_plot_get_n_rounds (LabLotteryPlot *self);

G_END_DECLS
