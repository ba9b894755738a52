/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-histogram.c: per-layer histograms for heavy snapshots (see lab-histogram.h).
 */
#define G_LOG_DOMAIN "lab-engine"
#include "config.h"

#include <math.h>
#include <string.h>

#include "lab-histogram.h"

void
lab_histogram_fill (LabHistogram *h,
                    const float  *v,
                    gsize         n,
                    float         lo,
                    float         hi,
                    gboolean      log_abs)
{
  /* log10 per value is what made a full pass expensive every 33 ms */
  gsize stride = MAX ((gsize) 1, n / LAB_HIST_SAMPLES);
  float scale;

  h->lo = lo;
  h->hi = hi;
  memset (h->count, 0, sizeof h->count);
  h->nonfinite = 0;
  scale = LAB_HIST_BINS / (hi - lo);
  for (gsize i = 0; i < n; i += stride)
    {
      float x = v[i];
      int b;

      if (log_abs)
        {
          if (x == 0.0f)
            continue;
          x = log10f (fabsf (x));
        }
      if (!isfinite (x))
        {
          h->nonfinite++;
          continue;
        }
      b = (int) ((x - lo) * scale);
      h->count[CLAMP (b, 0, LAB_HIST_BINS - 1)]++;
    }
}

void
lab_histogram_range (const float *v,
                     gsize        n,
                     float       *lo,
                     float       *hi)
{
  float a = G_MAXFLOAT, b = -G_MAXFLOAT;

  for (gsize i = 0; i < n; i++)
    if (isfinite (v[i]))
      {
        a = MIN (a, v[i]);
        b = MAX (b, v[i]);
      }
  if (a > b)
    a = b = 0;
  if (!(b > a))
    b = a + 1;
  *lo = a;
  *hi = b;
}
