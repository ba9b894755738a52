/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-colormap.c: the continuous colour maps of the heatmaps (see lab-colormap.h), each a few
 * stops interpolated linearly in sRGB.
 */
#define G_LOG_DOMAIN "lab-colormap"

#include "config.h"

#include "lab-colormap.h"

/* ColorBrewer RdBu, reversed: blue < 0 < red, near-white at 0. */
static const guint8 diverging[][3] = {
  { 0x21, 0x66, 0xac }, { 0x67, 0xa9, 0xcf }, { 0xd1, 0xe5, 0xf0 }, { 0xf7, 0xf7, 0xf7 },
  { 0xfd, 0xdb, 0xc7 }, { 0xef, 0x8a, 0x62 }, { 0xb2, 0x18, 0x2b },
};

/* viridis, 6 stops (sequential, perceptually uniform). */
static const guint8 sequential[][3] = {
  { 0x44, 0x01, 0x54 }, { 0x41, 0x44, 0x87 }, { 0x2a, 0x78, 0x8e },
  { 0x22, 0xa8, 0x84 }, { 0x7a, 0xd1, 0x51 }, { 0xfd, 0xe7, 0x25 },
};

static void
ramp (const guint8 (*stops)[3],
      guint          n,
      double         t,       /* 0..1 */
      float          rgb[3])
{
  double x;
  guint i;

  if (!(t > 0))
    t = 0;
  if (t > 1)
    t = 1;
  x = t * (n - 1);
  i = MIN ((guint) x, n - 2);
  x -= i;
  for (guint k = 0; k < 3; k++)
    rgb[k] = ((1 - x) * stops[i][k] + x * stops[i + 1][k]) / 255.f;
}

void
lab_colormap_diverging (double v,
                        double r,
                        float  rgb[3])
{
  ramp (diverging, G_N_ELEMENTS (diverging), r > 0 ? 0.5 + 0.5 * v / r : 0.5, rgb);
}

void
lab_colormap_sequential (double t,
                         float  rgb[3])
{
  ramp (sequential, G_N_ELEMENTS (sequential), t, rgb);
}
