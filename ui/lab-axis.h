/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-axis.h: LabAxis, one axis that any number of plots draw on (Sysprof's SysprofValueAxis).
 * Each plot on it is a contributor: it gives the axis the extent of its data
 * (lab_axis_set_extent()), and the axis spans the union of all of them, linear or log10,
 * optionally widened to nice ticks and to 0. When that span changes the axis emits ::changed,
 * and every plot on it redraws. Compare mode gives one axis to the two plots of a row, so both
 * draw the same scale; a plot on its own has an axis of its own.
 *
 * Values that are not finite never reach the span (lab-extent.h). Main thread only.
 */
#pragma once

#include <glib-object.h>

#include "lab-extent.h"
#include "lab-scale.h"

G_BEGIN_DECLS

typedef enum
{
  LAB_AXIS_LINEAR = 0,
  LAB_AXIS_LOG    = 1 << 0,   /* log10; lab_axis_set_log() changes it later */
  LAB_AXIS_NICE   = 1 << 1,   /* widened to nice ticks (whole decades on a log axis) */
  LAB_AXIS_ZERO   = 1 << 2,   /* a linear axis always shows 0 */
} LabAxisFlags;

#define LAB_TYPE_AXIS (lab_axis_get_type ())
G_DECLARE_FINAL_TYPE (LabAxis, lab_axis, LAB, AXIS, GObject)

LabAxis  *lab_axis_new                (LabAxisFlags     flags);
void      lab_axis_set_log            (LabAxis         *self,
                                       gboolean         log);
gboolean  lab_axis_get_log            (LabAxis         *self);
/* Sets what @contributor (any pointer that names it, usually the plot) shows on this axis,
 * replacing what it gave before; NULL takes it off the axis. */
void      lab_axis_set_extent         (LabAxis         *self,
                                       gconstpointer    contributor,
                                       const LabExtent *extent);
guint     lab_axis_get_n_contributors (LabAxis         *self);
/* The union of every contributor's extent. */
void      lab_axis_get_extent         (LabAxis         *self,
                                       LabExtent       *extent);
/* The scale to draw: the union's span (from its smallest positive value on a log axis), a
 * single value on a linear axis centred in a span of 2, then as the flags say. FALSE when the
 * union holds nothing the axis can show; @scale is then a default (0 … 1, or 10⁻⁸ … 1). */
gboolean  lab_axis_get_scale          (LabAxis         *self,
                                       LabScale        *scale);

G_END_DECLS
