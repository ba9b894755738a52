/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-extent.c: the range a set of values spans (see lab-extent.h).
 */
#define G_LOG_DOMAIN "lab-extent"

#include "config.h"

#include <math.h>

#include "lab-extent.h"

void
lab_extent_init (LabExtent *e)
{
  e->lo = e->pos_lo = G_MAXDOUBLE;
  e->hi = -G_MAXDOUBLE;
  e->n_nonfinite = 0;
}

void
lab_extent_add (LabExtent *e,
                double     v)
{
  if (!isfinite (v))
    {
      e->n_nonfinite++;
      return;
    }
  e->lo = MIN (e->lo, v);
  e->hi = MAX (e->hi, v);
  if (v > 0)
    e->pos_lo = MIN (e->pos_lo, v);
}

void
lab_extent_union (LabExtent       *e,
                  const LabExtent *other)
{
  e->lo = MIN (e->lo, other->lo);
  e->hi = MAX (e->hi, other->hi);
  e->pos_lo = MIN (e->pos_lo, other->pos_lo);
  e->n_nonfinite += other->n_nonfinite;
}

gboolean
lab_extent_is_empty (const LabExtent *e,
                     gboolean         log)
{
  return log ? e->pos_lo > e->hi : e->lo > e->hi;
}

gboolean
lab_extent_equal (const LabExtent *a,
                  const LabExtent *b)
{
  return a->lo == b->lo && a->hi == b->hi && a->pos_lo == b->pos_lo &&
         a->n_nonfinite == b->n_nonfinite;
}
