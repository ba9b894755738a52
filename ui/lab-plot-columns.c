/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-plot-columns.c: a series mapped to pixel columns (see lab-plot-columns.h).
 */
#define G_LOG_DOMAIN "lab-plot-columns"

#include "config.h"

#include <math.h>

#include "lab-plot-columns.h"

/* v → pixel as a + b·v (or a + b·log10 v on a log axis): the axis' constants computed once per
 * series rather than per point (three log10 per lab_plot_area_y() call add up over 8000
 * points × 3 values × several series per frame). */
typedef struct
{
  double   a;
  double   b;
  gboolean log;
} PixelMap;

static PixelMap
pixel_map (const LabScale *axis,
           double          origin,
           double          length,
           gboolean        flip)
{
  double lo = axis->log ? log10 (axis->lo) : axis->lo;
  double hi = axis->log ? log10 (axis->hi) : axis->hi;
  double b = length / (hi - lo);

  /* x: origin + (v − lo)·b; y grows down: origin + length − (v − lo)·b */
  if (flip)
    return (PixelMap) { origin + length + lo * b, -b, axis->log };
  return (PixelMap) { origin - lo * b, b, axis->log };
}

static inline double
pixel_map_apply (const PixelMap *m,
                 double          v)
{
  if (isnan (v))
    return NAN;
  if (m->log)
    {
      if (v <= 0)
        return NAN;
      v = log10 (v);
    }
  return m->a + m->b * v;
}

/* Far outside the data area but finite, so Cairo and the masks never see huge coordinates. */
static inline double
clamp_px (double v)
{
  return CLAMP (v, -1e5, 1e5);
}

/* Adds a point @t pixels right of the data's left edge, its line at pixel row @py and its
 * envelope at @plo … @phi, to the column of its pixel. */
static inline void
reduce_into (LabPlotColumn *cols,
             guint          n_px,
             double         t,
             double         py,
             double         plo,
             double         phi)
{
  guint c;

  if (t < -0.5 || t > n_px + 0.5)
    return;
  c = MIN ((guint) (t + 0.5), n_px);   /* t ≥ −0.5: rounds as lround() */
  if (isnan (py))
    return;
  cols[c].lo = MAX (cols[c].lo, clamp_px (MAX (plo, py)));  /* pixel y grows down */
  cols[c].hi = MIN (cols[c].hi, clamp_px (MIN (phi, py)));
  cols[c].sum += clamp_px (py);
  cols[c].n++;
}

gboolean
lab_plot_columns_map (GArray                *scratch,
                      const graphene_rect_t *d,
                      const LabScale        *xs,
                      const LabScale        *ys,
                      const LabPlotPoint    *points,
                      guint                  n_points)
{
  guint n_px = (guint) MAX (1.0, ceil (d->size.width));
  gboolean reduce = n_points > n_px;
  guint n_cols = 0;
  LabPlotColumn *cols;
  PixelMap xm, ym;

  g_return_val_if_fail (g_array_get_element_size (scratch) == sizeof (LabPlotColumn), FALSE);

  /* with more points than columns keep one column per pixel holding the min/max envelope and
   * the mean of the line */
  g_array_set_size (scratch, reduce ? n_px + 1 : n_points);
  cols = (LabPlotColumn *) (void *) scratch->data;
  if (reduce)
    {
      for (guint c = 0; c <= n_px; c++)
        cols[c] = (LabPlotColumn) { d->origin.x + c, -G_MAXDOUBLE, G_MAXDOUBLE, 0, 0, 0 };
      n_cols = n_px + 1;
    }

  xm = pixel_map (xs, d->origin.x, d->size.width, FALSE);
  ym = pixel_map (ys, d->origin.y, d->size.height, TRUE);
  for (guint i = 0; i < n_points; i++)
    {
      const LabPlotPoint *p = &points[i];
      double px = pixel_map_apply (&xm, p->x);
      double py = pixel_map_apply (&ym, p->y);
      double plo = p->lo == p->y ? py : pixel_map_apply (&ym, p->lo);
      double phi = p->hi == p->y ? py : pixel_map_apply (&ym, p->hi);

      if (isnan (px))
        continue;
      if (isnan (plo))
        plo = py;
      if (isnan (phi))
        phi = py;

      if (reduce)
        reduce_into (cols, n_px, px - d->origin.x, py, plo, phi);
      else
        {
          LabPlotColumn c = { clamp_px (px), 0, 0, 0, 0, 0 };

          if (!isnan (py))
            {
              c.lo = clamp_px (MAX (plo, py));
              c.hi = clamp_px (MIN (phi, py));
              c.sum = clamp_px (py);
              c.n = 1;
            }
          cols[n_cols++] = c;
        }
    }
  g_array_set_size (scratch, n_cols);
  return reduce;
}

gboolean
lab_plot_columns_next_run (const LabPlotColumn *cols,
                           guint                n,
                           guint               *i,
                           guint               *start,
                           guint               *end)
{
  while (*i < n && cols[*i].n == 0)
    (*i)++;
  if (*i >= n)
    return FALSE;
  *start = *i;
  while (*i < n && cols[*i].n > 0)
    (*i)++;
  *end = *i;   /* exclusive */
  return TRUE;
}
