/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-weights-describe.h: what the weights view (lab-weights-view.h) shows, in sentences for a
 * screen reader: each weight matrix's name, shape and pruned share, or the first layer's
 * surviving input pixels. Read from the heavy snapshot alone, so it does not depend on the
 * view's size or on how its panels are reduced to cells.
 */
#pragma once

#include "lab-snapshot.h"
#include "lab-weights-view.h"

G_BEGIN_DECLS

/* Appends the description of @hv shown in @mode to @out. In LAB_WEIGHTS_MODE_PIXELS @hv must
 * have image input whose pixels divide the first layer's inputs (the view says otherwise). */
void lab_weights_describe (const LabHeavy *hv,
                           LabWeightsMode  mode,
                           GString        *out);

G_END_DECLS
