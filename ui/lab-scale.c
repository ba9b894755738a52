/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-scale.c: the maths of one axis (see lab-scale.h).
 */
#define G_LOG_DOMAIN "lab-scale"

#include "config.h"

#include <math.h>

#include "lab-number-format.h"
#include "lab-scale.h"

#define LOG_MIN 1e-12
#define LOG_MAX 1e12

void
lab_scale_init (LabScale *a,
                double    lo,
                double    hi,
                gboolean  log)
{
  g_return_if_fail (a != NULL);

  a->log = log;
  if (!isfinite (lo) || !isfinite (hi))
    {
      lo = log ? 1e-8 : 0.0;
      hi = 1.0;
    }
  if (lo > hi)
    {
      double t = lo;
      lo = hi;
      hi = t;
    }
  if (log)
    {
      if (hi <= 0)
        {
          lo = 1e-8;
          hi = 1.0;
        }
      else if (lo <= 0)
        lo = hi * 1e-3;
      lo = CLAMP (lo, LOG_MIN, LOG_MAX);
      hi = CLAMP (hi, LOG_MIN, LOG_MAX);
      if (hi <= lo * 1.0001)
        {
          lo /= 3.0;
          hi *= 3.0;
        }
    }
  else if (hi - lo <= 1e-12 * MAX (1.0, fabs (hi)))
    {
      double d = fabs (hi) > 0 ? fabs (hi) * 0.1 : 1.0;
      lo -= d;
      hi += d;
    }
  a->lo = lo;
  a->hi = hi;
}

static double
nice_step (double range,
           guint  target)
{
  double raw = range / MAX (target, 1);
  double mag = pow (10.0, floor (log10 (raw)));
  double f = raw / mag;

  if (f <= 1.0)
    return mag;
  if (f <= 2.0)
    return 2.0 * mag;
  if (f <= 2.5)
    return 2.5 * mag;
  if (f <= 5.0)
    return 5.0 * mag;
  return 10.0 * mag;
}

void
lab_scale_nice (LabScale *a)
{
  g_return_if_fail (a != NULL);

  if (a->log)
    {
      double lo = floor (log10 (a->lo) + 1e-9);
      double hi = ceil (log10 (a->hi) - 1e-9);

      if (hi <= lo)
        hi = lo + 1;
      a->lo = CLAMP (pow (10.0, lo), LOG_MIN, LOG_MAX);
      a->hi = CLAMP (pow (10.0, hi), LOG_MIN, LOG_MAX);
    }
  else
    {
      double step = nice_step (a->hi - a->lo, 5);

      a->lo = floor (a->lo / step + 1e-9) * step;
      a->hi = ceil (a->hi / step - 1e-9) * step;
    }
}

double
lab_scale_map (const LabScale *a,
               double          v)
{
  if (isnan (v))
    return NAN;
  if (a->log)
    {
      if (v <= 0)
        return NAN;
      return (log10 (v) - log10 (a->lo)) / (log10 (a->hi) - log10 (a->lo));
    }
  return (v - a->lo) / (a->hi - a->lo);
}

double
lab_scale_unmap (const LabScale *a,
                 double          t)
{
  if (a->log)
    return pow (10.0, log10 (a->lo) + t * (log10 (a->hi) - log10 (a->lo)));
  return a->lo + t * (a->hi - a->lo);
}

guint
lab_scale_ticks (const LabScale *a,
                 guint           target,
                 double         *ticks,
                 guint           max)
{
  guint n = 0;

  max = MIN (max, LAB_SCALE_MAX_TICKS);
  target = CLAMP (target, 2, max);

  if (a->log)
    {
      int e0 = (int) ceil (log10 (a->lo) - 1e-9);
      int e1 = (int) floor (log10 (a->hi) + 1e-9);
      int stride = 1;

      while ((e1 - e0) / stride + 1 > (int) target)
        stride++;
      /* Keep the ticks on multiples of the stride so they do not jump while the range grows. */
      for (int e = e0; e <= e1 && n < max; e++)
        if (((e % stride) + stride) % stride == 0)
          ticks[n++] = pow (10.0, e);
    }
  else
    {
      double step = nice_step (a->hi - a->lo, target);
      double first = ceil (a->lo / step - 1e-9) * step;

      for (double v = first; v <= a->hi + step * 1e-6 && n < max; v += step)
        ticks[n++] = fabs (v) < step * 1e-9 ? 0.0 : v;
    }

  return n;
}

void
lab_scale_format (const LabScale *a,
                  double          v,
                  char           *buf,
                  gsize           len)
{
  if (a->log)
    lab_number_format_decade (v, buf, len);
  else
    lab_number_format_tick (v, a->hi - a->lo, buf, len);
}

gboolean
lab_scale_equal (const LabScale *a,
                 const LabScale *b)
{
  return a->lo == b->lo && a->hi == b->hi && !a->log == !b->log;
}
