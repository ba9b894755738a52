/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-scale.h: LabScale, the maths of one axis of a plot: a range of data values [lo, hi],
 * linear or log10, mapped to [0, 1]; nice ticks inside it and their labels. A plain struct that
 * a plot fills for each frame (from a LabAxis, or with fixed numbers such as 0 … 100 %).
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  double   lo;          /* data range shown (for log: both > 0) */
  double   hi;
  gboolean log;         /* log10 mapping */
} LabScale;

#define LAB_SCALE_MAX_TICKS 16

/* A linear scale over [lo, hi], or log over [lo, hi] (lo, hi > 0; non-positive → 1e-8 … 1).
 * lo == hi is widened. */
void         lab_scale_init   (LabScale       *s,
                               double          lo,
                               double          hi,
                               gboolean        log);
/* Widens the range to nice tick values (whole decades for log, clamped to 1e-12 … 1e12). */
void         lab_scale_nice   (LabScale       *s);
/* Maps @v to [0, 1] (may fall outside for values out of range); NAN for NaN, and for v ≤ 0 on
 * a log scale. */
double       lab_scale_map    (const LabScale *s,
                               double          v);
/* The inverse of lab_scale_map(). */
double       lab_scale_unmap  (const LabScale *s,
                               double          t);
/* Tick values inside the range (at most @max, ≤ LAB_SCALE_MAX_TICKS); about @target of them
 * for a linear scale; every decade (or every 2nd, 3rd … if too many) for log. */
guint        lab_scale_ticks  (const LabScale *s,
                               guint           target,
                               double         *ticks,
                               guint           max);
/* A tick label: "10⁻⁶" on log scales, "0.25", "1.5k", "20" style on linear ones
 * (lab-number-format.h). */
void         lab_scale_format (const LabScale *s,
                               double          v,
                               char           *buf,
                               gsize           len);
gboolean     lab_scale_equal  (const LabScale *a,
                               const LabScale *b);

G_END_DECLS
