/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-cell-image.c: cells expanded to device pixels (see lab-cell-image.h). The cell of each
 * pixel column is found once, so a row is a loop of loads and stores.
 */
#define G_LOG_DOMAIN "lab-cell-image"

#include "config.h"

#include "lab-cell-image.h"

void
lab_cell_image_expand (const guint32 *cells,
                       gsize          cw,
                       gsize          ch,
                       gboolean       y_up,
                       guint8        *pixels,
                       gsize          stride,
                       int            tw,
                       int            th)
{
  g_autofree gsize *cx = g_new (gsize, MAX (tw, 1));

  for (int x = 0; x < tw; x++)
    cx[x] = MIN ((gsize) x * cw / tw, cw - 1);
  for (int y = 0; y < th; y++)
    {
      gsize cy = MIN ((gsize) y * ch / th, ch - 1);
      guint32 *dst = (guint32 *) (void *) (pixels + y * stride);
      const guint32 *src = cells + (y_up ? ch - 1 - cy : cy) * cw;

      for (int x = 0; x < tw; x++)
        dst[x] = src[cx[x]];
    }
}
