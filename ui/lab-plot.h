/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-plot.h: LabPlot, the abstract base of every plot widget. It holds what all of them
 * repeated: the "model" property and its "changed" signal, and the pointer hover from a motion
 * controller. Subclasses only say what a model change or a hover move means to them, through
 * the model_changed and hover_changed class vfuncs (the Sysprof chart-layer pattern).
 */
#pragma once

#include <gtk/gtk.h>

#include "lab-plot-model.h"

G_BEGIN_DECLS

#define LAB_TYPE_PLOT (lab_plot_get_type ())
G_DECLARE_DERIVABLE_TYPE (LabPlot, lab_plot, LAB, PLOT, GtkWidget)

struct _LabPlotClass
{
  GtkWidgetClass parent_class;

  /* The model emitted "changed" (@replaced FALSE), or another model took its place, or NULL
   * did (@replaced TRUE). No default. */
  void (*model_changed) (LabPlot  *self,
                         gboolean  replaced);
  /* The pointer entered, moved or left; read it with lab_plot_get_hover(). The default queues
   * a draw; NULL for a plot that ignores the pointer. */
  void (*hover_changed) (LabPlot *self);
};

void          lab_plot_set_model (LabPlot      *self,
                                  LabPlotModel *model);
LabPlotModel *lab_plot_get_model (LabPlot      *self);
/* TRUE while the pointer is over the plot, with its widget coordinates in @x, @y (each may be
 * NULL; left untouched when FALSE). */
gboolean      lab_plot_get_hover (LabPlot      *self,
                                  double       *x,
                                  double       *y);
/* What an empty plot says, from the run's state: "No @what yet: press Play or Step", or, when
 * the run has stopped on an error, that the banner above says why (Play would not help). */
void          lab_plot_empty_message (LabPlot    *self,
                                      const char *what,
                                      char       *buf,
                                      gsize       len);

G_END_DECLS
