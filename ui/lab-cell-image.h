/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-cell-image.h: a grid of cells, one 32-bit colour each, expanded to an image of device
 * pixels, each cell a block of identical pixels (nearest neighbour). Heatmaps and the decision
 * boundary are drawn 1:1 from such images, so no renderer filtering blurs their cells.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Fills @pixels (@th rows of @stride bytes, @tw pixels of 32 bits each) from the @cw × @ch
 * @cells (row-major); cell row 0 at the top, or at the bottom when @y_up. */
void lab_cell_image_expand (const guint32 *cells,
                            gsize          cw,
                            gsize          ch,
                            gboolean       y_up,
                            guint8        *pixels,
                            gsize          stride,
                            int            tw,
                            int            th);

G_END_DECLS
