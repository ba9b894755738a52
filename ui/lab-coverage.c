/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-coverage.c: coverage masks of envelopes and lines (see lab-coverage.h).
 *
 * A mask spans the data rectangle's columns and the rows the series reaches, in device pixels
 * (sharp on HiDPI), and is placed at whole logical pixels; the Cairo clip to the data rectangle
 * still applies when it is composited. The envelope is sampled at BAND_SAMPLES sub-columns per
 * device pixel column, each covering the rows between the envelope's edges there, so it is the
 * polygon the Cairo path would fill; a line is the set of pixels within half its width of its
 * segments, with the coverage of a box filter.
 */
#define G_LOG_DOMAIN "lab-coverage"

#include "config.h"

#include <math.h>

#include "lab-coverage.h"
#include "lab-palette.h"

typedef struct
{
  cairo_surface_t *surface;
  guint8          *data;
  int              stride;
  int              scale;
  double           x0;      /* top-left, logical px (whole) */
  double           y0;
  int              width;   /* device px */
  int              height;
} Mask;

static gboolean
mask_init (Mask                  *m,
           const LabPlotStyle    *s,
           const graphene_rect_t *d,
           double                 top,
           double                 bottom)
{
  m->scale = MAX (1, s->scale);
  m->x0 = floor (d->origin.x);
  m->y0 = floor (MAX (top, d->origin.y));
  m->width = ((int) (ceil (d->origin.x + d->size.width) - m->x0) + 1) * m->scale;
  m->height = (int) (ceil (MIN (bottom, d->origin.y + d->size.height)) - m->y0) * m->scale;
  if (m->width <= 0 || m->height <= 0)
    return FALSE;
  m->surface = cairo_image_surface_create (CAIRO_FORMAT_A8, m->width, m->height);
  if (cairo_surface_status (m->surface) != CAIRO_STATUS_SUCCESS)
    {
      cairo_surface_destroy (m->surface);
      return FALSE;
    }
  cairo_surface_flush (m->surface);
  m->data = cairo_image_surface_get_data (m->surface);   /* zeroed by Cairo */
  m->stride = cairo_image_surface_get_stride (m->surface);
  return TRUE;
}

/* Composites the mask with @cr's source and frees it. */
static void
mask_paint (Mask    *m,
            cairo_t *cr)
{
  cairo_surface_mark_dirty (m->surface);
  cairo_surface_set_device_scale (m->surface, m->scale, m->scale);
  cairo_mask_surface (cr, m->surface, m->x0, m->y0);
  cairo_surface_destroy (m->surface);
  m->surface = NULL;
}

/* The rows (logical px) the non-empty columns reach, widened by @pad. */
static gboolean
columns_y_range (const LabPlotColumn *cols,
                 guint                n,
                 double               pad,
                 double              *top,
                 double              *bottom)
{
  *top = G_MAXDOUBLE;
  *bottom = -G_MAXDOUBLE;
  for (guint i = 0; i < n; i++)
    if (cols[i].n > 0)
      {
        *top = MIN (*top, MIN (cols[i].hi, cols[i].sum / cols[i].n));
        *bottom = MAX (*bottom, MAX (cols[i].lo, cols[i].sum / cols[i].n));
      }
  *top -= pad;
  *bottom += pad;
  return *bottom >= *top;
}

#define BAND_SAMPLES 4   /* sub-columns per device pixel column */

/* One device pixel column of a band mask being summed: each sample adds the rows between its
 * edges, +1 in @step where its whole rows begin and −1 where they end, its fractional end rows
 * in @part; band_flush() sums and writes them. So a row costs the same however many samples
 * cross it: a spiky envelope has few rows that every sample covers. */
typedef struct
{
  int      q;           /* device column, −1: none yet */
  int      r0, r1;      /* rows touched */
  float   *step;        /* (mask rows + 1) */
  float   *part;        /* (mask rows + 1) */
  gboolean over_line;   /* the mask holds a line: add the band under it, at a quarter */
} BandColumn;

static void
band_flush (Mask       *m,
            BandColumn *c)
{
  float run = 0;

  for (int r = c->r0; r < c->r1; r++)
    {
      guint8 *px = m->data + (gsize) r * m->stride + c->q;
      float cover;

      run += c->step[r];
      cover = MIN (run + c->part[r], (float) BAND_SAMPLES) * (1.f / BAND_SAMPLES);
      if (c->over_line)
        {
          /* the band at a quarter, then the line over it: 1 − (1 − band/4)(1 − line) */
          float line = *px * (1.f / 255);

          *px = (guint8) ((line + 0.25f * cover * (1 - line)) * 255.f + 0.5f);
        }
      else
        *px = (guint8) (cover * 255.f + 0.5f);
      c->step[r] = c->part[r] = 0;
    }
  if (c->r1 > c->r0)
    c->step[c->r1] = c->part[c->r1] = 0;
  c->r0 = m->height;
  c->r1 = 0;
}

/* Sample @g (at device x (g + ½) / BAND_SAMPLES) covers device rows @hi … @lo. */
static inline void
band_add (Mask       *m,
          BandColumn *c,
          gint64      g,
          double      hi,
          double      lo)
{
  int q = (int) (g / BAND_SAMPLES), a, b;

  /* columns are written once, in order: a lone bar's samples reaching back into the column
   * just written (points under 1.5 px apart) are dropped */
  if (g < 0 || q >= m->width || q < c->q)
    return;
  if (q != c->q)
    {
      if (c->q >= 0)
        band_flush (m, c);
      c->q = q;
    }
  hi = CLAMP (hi, 0, m->height);
  lo = CLAMP (lo, 0, m->height);
  if (!(lo > hi))
    return;
  a = (int) hi;   /* ≥ 0: floor */
  b = (int) lo;
  if (a == b)
    c->part[a] += (float) (lo - hi);
  else
    {
      c->part[a] += (float) (a + 1 - hi);
      c->part[b] += (float) (lo - b);   /* row b may be m->height: never written out */
      c->step[a + 1] += 1;
      c->step[b] -= 1;
    }
  c->r0 = MIN (c->r0, a);
  c->r1 = MAX (c->r1, MIN (b + 1, m->height));
}

/* The envelope, as the polygon series_path_band() would fill: its top and bottom edges run
 * straight from column to column (however far apart), a run of columns ends at its outer
 * ones, and a lone column is a bar 1.5 px wide. Each device pixel column is sampled at
 * BAND_SAMPLES sub-columns, each covering the rows between the edges there. */
static void
band_into (Mask                *mp,
           const LabPlotColumn *cols,
           guint                n,
           gboolean             over_line)
{
  Mask m = *mp;
  BandColumn c = { -1, 0, 0, NULL, NULL, over_line };
  guint i = 0, start, end;

  c.step = g_new0 (float, m.height + 1);
  c.part = g_new0 (float, m.height + 1);
  c.r0 = m.height;

  /* in device px from the mask's corner; samples in increasing x, so each column is summed
   * before the next begins */
#define DX(v) (((v) - m.x0) * m.scale)
#define DY(v) (((v) - m.y0) * m.scale)
  while (lab_plot_columns_next_run (cols, n, &i, &start, &end))
    {
      if (end - start == 1)
        {
          double x = DX (cols[start].x), w = 0.75 * m.scale;

          for (gint64 g = (gint64) ceil ((x - w) * BAND_SAMPLES - 0.5);
               (g + 0.5) / BAND_SAMPLES <= x + w; g++)
            band_add (&m, &c, g, DY (cols[start].hi),
                      DY (MAX (cols[start].lo, cols[start].hi + 0.5)));
          continue;
        }

      for (guint j = start; j + 1 < end; j++)
        {
          double xa = DX (cols[j].x), xb = DX (cols[j + 1].x);
          double hi_a = DY (cols[j].hi), lo_a = DY (cols[j].lo), hi_slope, lo_slope;
          gint64 g0, g1;

          if (!(xb > xa))
            continue;
          hi_slope = (DY (cols[j + 1].hi) - hi_a) / (xb - xa);
          lo_slope = (DY (cols[j + 1].lo) - lo_a) / (xb - xa);
          /* the samples in [xa, xb) */
          g0 = (gint64) ceil (xa * BAND_SAMPLES - 0.5);
          g1 = (gint64) ceil (xb * BAND_SAMPLES - 0.5);
          for (gint64 g = g0; g < g1; g++)
            {
              double u = (g + 0.5) * (1.0 / BAND_SAMPLES) - xa;

              band_add (&m, &c, g, hi_a + u * hi_slope, lo_a + u * lo_slope);
            }
        }
    }
#undef DX
#undef DY
  if (c.q >= 0)
    band_flush (&m, &c);

  g_free (c.step);
  g_free (c.part);
}

/* One segment a–b of a line of half-width @r (all in device px) into the mask: each pixel
 * within r + ½ of the segment gets the coverage of a box filter, max-combined with what is
 * there so joins are not drawn twice. Round caps and joins come for free. */
static void
mask_segment (Mask   *m,
              double  ax,
              double  ay,
              double  bx,
              double  by,
              double  r)
{
  double dx = bx - ax, dy = by - ay;
  double len2 = dx * dx + dy * dy;
  int c0 = MAX (0, (int) floor (MIN (ax, bx) - r - 0.5));
  int c1 = MIN (m->width, (int) ceil (MAX (ax, bx) + r + 0.5));
  int r0 = MAX (0, (int) floor (MIN (ay, by) - r - 0.5));
  int r1 = MIN (m->height, (int) ceil (MAX (ay, by) + r + 0.5));

  for (int row = r0; row < r1; row++)
    {
      guint8 *line = m->data + (gsize) row * m->stride;
      double py = row + 0.5;

      for (int col = c0; col < c1; col++)
        {
          double px = col + 0.5;
          double t = len2 > 0 ? CLAMP (((px - ax) * dx + (py - ay) * dy) / len2, 0.0, 1.0) : 0.0;
          double ex = ax + t * dx - px, ey = ay + t * dy - py;
          double cover = r + 0.5 - sqrt (ex * ex + ey * ey);

          if (cover > 0)
            {
              guint8 a = (guint8) (MIN (cover, 1.0) * 255.0 + 0.5);

              if (a > line[col])
                line[col] = a;
            }
        }
    }
}

/* The line of half-width @r (logical px) through the columns' means, broken where a column is
 * empty; a lone column is a dot. */
static void
line_into (Mask                *mp,
           const LabPlotColumn *cols,
           guint                n,
           double               r)
{
  Mask m = *mp;

  for (guint i = 0; i < n; i++)
    {
      gboolean next = i + 1 < n && cols[i + 1].n > 0;
      double ax, ay;

      if (cols[i].n == 0 || (!next && i > 0 && cols[i - 1].n > 0))
        continue;
      ax = (cols[i].x - m.x0) * m.scale;
      ay = (cols[i].sum / cols[i].n - m.y0) * m.scale;
      if (next)
        mask_segment (&m, ax, ay, (cols[i + 1].x - m.x0) * m.scale,
                      (cols[i + 1].sum / cols[i + 1].n - m.y0) * m.scale, r * m.scale);
      else
        mask_segment (&m, ax, ay, ax, ay, r * m.scale);
    }
}

/* The envelope (drawn in @color at a quarter of its alpha) and/or the solid line of a series,
 * as coverage masks composited onto @cr. With both and an opaque colour they share one mask:
 * the band then the line, composited in the same colour, equal the colour composited once
 * with coverage 1 − (1 − band/4)(1 − line), which saves a composite over the data area. The
 * line goes in first, as its segments combine by max; the band is then added under it. */
void
lab_coverage_paint_series (cairo_t               *cr,
                           const LabPlotStyle    *s,
                           const graphene_rect_t *d,
                           const LabPlotColumn   *cols,
                           guint                  n,
                           const GdkRGBA         *color,
                           gboolean               band,
                           gboolean               line)
{
  double r = s->line_width / 2, top, bottom;
  Mask m;

  if (!columns_y_range (cols, n, r + 1, &top, &bottom) || !mask_init (&m, s, d, top, bottom))
    return;

  if (band && line && color->alpha >= 1.f)
    {
      line_into (&m, cols, n, r);
      band_into (&m, cols, n, TRUE);
      gdk_cairo_set_source_rgba (cr, color);
      mask_paint (&m, cr);
      return;
    }

  if (band)
    {
      GdkRGBA quarter = lab_palette_alpha (color, 0.25);

      band_into (&m, cols, n, FALSE);
      gdk_cairo_set_source_rgba (cr, &quarter);
      mask_paint (&m, cr);
      if (line && !mask_init (&m, s, d, top, bottom))
        return;
    }
  if (line)
    {
      line_into (&m, cols, n, r);
      gdk_cairo_set_source_rgba (cr, color);
      mask_paint (&m, cr);
    }
}
