/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-net-lines.c: antialiased lines into an ARGB32 image (see lab-net-lines.h). A line is
 * walked one pixel at a time along its major axis; at each step the band it covers across the
 * minor axis (its width divided by the cosine of its slope) is intersected with each pixel, and
 * that share of the colour is blended source-over, in integer arithmetic (pixman's). Lines
 * thinner than a pixel are drawn one pixel wide at a proportionally lower opacity, so thin lines
 * keep their weight.
 */
#define G_LOG_DOMAIN "lab-net-lines"

#include "config.h"

#include <math.h>

#include "lab-net-lines.h"

#define DASH 3.0   /* on and off lengths of a dashed line, coordinate units */

/* Each of the four 8-bit channels of @x times @a / 255, rounded (pixman's UN8x4_MUL_UN8). */
static inline guint32
mul_un8x4 (guint32 x,
           guint32 a)
{
  guint32 rb = (x & 0xff00ff) * a + 0x800080, ag = ((x >> 8) & 0xff00ff) * a + 0x800080;

  rb = ((rb + ((rb >> 8) & 0xff00ff)) >> 8) & 0xff00ff;
  ag = (ag + ((ag >> 8) & 0xff00ff)) & 0xff00ff00;
  return rb | ag;
}

/* Source-over of the premultiplied colour @src at coverage @cover (0 … 255). */
static inline void
blend (guint32 *p,
       guint32  src,
       guint32  cover)
{
  guint32 s = mul_un8x4 (src, cover);

  *p = s + mul_un8x4 (*p, 255 - (s >> 24));
}

/* How much of pixel [@p, @p + 1) the band [@lo, @hi] (16.16 fixed point) covers, 0 … 255. */
static inline guint32
coverage (gint64 lo,
          gint64 hi,
          int    p)
{
  gint64 cover = MIN (hi, ((gint64) p + 1) << 16) - MAX (lo, (gint64) p << 16);

  return (guint32) CLAMP ((cover * 255 + 32768) >> 16, 0, 255);
}

/* The pixels @p0 … @p1 across the line from @px on (@p_step bytes apart), under the band
 * [@lo, @hi]: the ends partly covered, the middle fully. */
static inline void
draw_band (guint8  *px,
           gsize    p_step,
           int      p0,
           int      p1,
           gint64   lo,
           gint64   hi,
           guint32  src,
           guint32  inv_a)
{
  blend ((guint32 *) (void *) px, src, coverage (lo, hi, p0));
  if (p0 == p1)
    return;
  for (int p = p0 + 1; p < p1; p++)
    {
      guint32 *q = (guint32 *) (void *) (px += p_step);
      *q = src + mul_un8x4 (*q, inv_a);
    }
  px += p_step;
  blend ((guint32 *) (void *) px, src, coverage (lo, hi, p1));
}

void
lab_net_lines_draw (LabNetCanvas *canvas,
                    double        x0,
                    double        y0,
                    double        x1,
                    double        y1,
                    double        width,
                    const float   rgb[3],
                    double        alpha,
                    gboolean      dashed)
{
  double s = canvas->scale, w = width * s;
  double dx, dy, slope, half, along, start, end;
  gboolean steep;
  guint32 src, a, inv_a;
  gint64 c, c_step, half_fp;
  gsize m_step, p_step;
  int lim_major, lim_minor;

  x0 *= s, y0 *= s, x1 *= s, y1 *= s;
  if (w < 1)
    {
      alpha *= w;
      w = 1;
    }
  a = (guint32) lrint (CLAMP (alpha, 0, 1) * 255);
  src = (a << 24) | ((guint32) lrint (rgb[0] * a) << 16) | ((guint32) lrint (rgb[1] * a) << 8) |
        (guint32) lrint (rgb[2] * a);
  steep = fabs (y1 - y0) > fabs (x1 - x0);
  if (steep)
    {
      double t = x0;
      x0 = y0, y0 = t;
      t = x1;
      x1 = y1, y1 = t;
    }
  if (x1 < x0)
    {
      double t = x0;
      x0 = x1, x1 = t;
      t = y0;
      y0 = y1, y1 = t;
    }
  dx = x1 - x0;
  dy = y1 - y0;
  if (dx < 1e-9 || a == 0)
    return;
  slope = dy / dx;
  half = w / 2 * sqrt (1 + slope * slope);
  along = sqrt (1 + slope * slope) / s;   /* coordinate units per pixel of the major axis */
  lim_major = steep ? canvas->height : canvas->width;
  lim_minor = steep ? canvas->width : canvas->height;
  start = MAX (0, ceil (x0 - 0.5));
  end = MIN (lim_major - 1, floor (x1 - 0.5));

  /* the pixel (major m, minor p) is base + m · m_step + p · p_step; the band's centre moves by
   * the slope each step, in 16.16 fixed point: no floating point per step */
  m_step = steep ? (gsize) canvas->stride : 4;
  p_step = steep ? 4 : (gsize) canvas->stride;
  inv_a = 255 - a;
  c = (gint64) llround ((y0 + (start + 0.5 - x0) * slope) * 65536);
  c_step = (gint64) llround (slope * 65536);
  half_fp = (gint64) llround (half * 65536);
  for (int m = (int) start; m <= (int) end; m++, c += c_step)
    {
      gint64 lo = c - half_fp, hi = c + half_fp;
      int p0 = (int) MAX (0, lo >> 16), p1 = (int) MIN (lim_minor - 1, hi >> 16);
      guint8 *px;

      if (p0 > p1 || (dashed && fmod ((m + 0.5 - x0) * along, 2 * DASH) >= DASH))
        continue;
      px = canvas->data + (gsize) m * m_step + (gsize) p0 * p_step;
      draw_band (px, p_step, p0, p1, lo, hi, src, inv_a);
    }
}
