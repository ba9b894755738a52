/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-act-strip.h: what one strip of the activation plot (lab-act-plot.h) says about its
 * layer, from the layer's histogram (of its activations, or of log10 |∂L/∂W|) and its metrics
 * row: whether it overflowed, its median, the note beside it ("dead 7 %", "inf/NaN 3.0 %") and
 * its words in the plot's description.
 */
#pragma once

#include "lab-snapshot.h"

G_BEGIN_DECLS

/* Beyond √FLT_MAX a float32 activation overflows as soon as it is squared (its layer's std,
 * the next layer's sums): such a layer is overflowing, and its range would stretch the axis
 * shared by every strip over thirty decades. */
#define LAB_ACT_STRIP_OVERFLOW 1.8e19

/* What one strip shows: the layer's histogram, and how to read it. */
typedef struct
{
  const LabHistogram  *hist;
  gboolean             gradients;   /* log10 |∂L/∂W| (axis in 10^x), else activations */
  LabActivation        act;
  const LabLayerStats *stats;       /* the layer's last metrics row, NULL when there is none */
} LabActStrip;

/* "sigmoid", "ReLU", … */
const char *lab_act_strip_act_name   (LabActivation      act);
guint64     lab_act_strip_total      (const LabHistogram *h);
/* Inf or NaN among its values, or finite ones beyond LAB_ACT_STRIP_OVERFLOW. */
gboolean    lab_act_strip_overflowed (const LabHistogram *h);
/* The value at @t ∈ [0, 1] of the histogram's range, in axis units. */
double      lab_act_strip_edge       (const LabActStrip  *st,
                                      double              t);
double      lab_act_strip_median     (const LabActStrip  *st);
/* The note beside the strip: what overflowed, else the median gradient or the share of units
 * saturated (sigmoid, tanh) or dead (ReLU); "" when there is nothing to say. */
void        lab_act_strip_note       (const LabActStrip  *st,
                                      char               *note,
                                      gsize               len);
/* Appends layer @l's words, "layer 3 (@name) 12 % dead", to a description; returns the share
 * saturated or dead it said, else -1. */
double      lab_act_strip_describe   (const LabActStrip  *st,
                                      guint               l,
                                      const char         *name,
                                      GString            *out);

G_END_DECLS
