/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-weights-paint.h: drawing the weights view (lab-weights-view.h) once its panels are built:
 * each panel's title (the longest form that fits it), its image, its colour bar with the numbers
 * that fit under it, and its note; and the legend of what the colours mean. Panels of a grid
 * that scrolls are drawn where scrolling puts them, their texts only when they show whole.
 */
#pragma once

#include "lab-plot.h"
#include "lab-weights-panel.h"

G_BEGIN_DECLS

typedef struct
{
  LabWeightsMode         mode;
  LabWeightsPixels       pixels;
  LabWeightsReduce       reduce;
  gboolean               robust;
  double                 dy;      /* how far below its built place a panel is drawn */
  const graphene_rect_t *view;    /* where scrolled panels show (texts wholly in it), or NULL */
} LabWeightsPaint;

void   lab_weights_paint_panel   (LabPlot               *plot,
                                  GtkSnapshot           *snapshot,
                                  const LabPlotStyle    *s,
                                  const LabWeightsPanel *p,
                                  const LabWeightsPaint *how);
/* What the colours mean, in two lines at the bottom of @area (in fewer words when narrow). */
void   lab_weights_paint_legend  (LabPlot               *plot,
                                  GtkSnapshot           *snapshot,
                                  const LabPlotStyle    *s,
                                  const LabPlotArea     *area,
                                  const LabWeightsPaint *how);

#define LAB_WEIGHTS_PAINT_SMALL 0.85   /* text size of the colour bars' numbers and the notes */

G_END_DECLS
