/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-extent.h: LabExtent, the range a set of values spans, as a plot gives it to its axes
 * (lab-axis.h). Values that are not finite (a loss that overflowed, a NaN gradient) never widen
 * it: they are counted apart, so an overflow cannot stretch an axis to 3×10³⁸. The smallest
 * positive value is kept too, which is where a log axis starts.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  double lo;            /* smallest finite value (G_MAXDOUBLE when there is none) */
  double hi;            /* largest finite value (−G_MAXDOUBLE when there is none) */
  double pos_lo;        /* smallest finite value > 0 (G_MAXDOUBLE when there is none) */
  guint  n_nonfinite;   /* NaN and ±∞ left out */
} LabExtent;

/* An extent of no values. */
void     lab_extent_init     (LabExtent       *e);
/* Widens @e to @v, or counts it apart when it is not finite. */
void     lab_extent_add      (LabExtent       *e,
                              double           v);
/* Widens @e to everything @other spans. */
void     lab_extent_union    (LabExtent       *e,
                              const LabExtent *other);
/* TRUE when @e holds no value a linear (@log FALSE) or log (@log TRUE) axis could show. */
gboolean lab_extent_is_empty (const LabExtent *e,
                              gboolean         log);
gboolean lab_extent_equal    (const LabExtent *a,
                              const LabExtent *b);

G_END_DECLS
