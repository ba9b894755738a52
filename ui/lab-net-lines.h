/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-net-lines.h: straight antialiased lines of any width, blended into a premultiplied ARGB32
 * image (cairo's CAIRO_FORMAT_ARGB32) without cairo. The network view draws a thousand or more
 * connections at every new snapshot: cairo's stroker took 35–100 ms for a thousand 400-pixel
 * lines at 1528 × 930 (measured: one path or one stroke each, any antialiasing mode), which is
 * the whole frame budget many times over; this walks each line along its major axis and covers
 * the pixels across it in proportion to how much of the line's width falls on them.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  guint8 *data;     /* premultiplied ARGB32, native endian (cairo's layout) */
  int     width;
  int     height;
  int     stride;   /* bytes per row */
  double  scale;    /* device pixels per unit of the coordinates given below */
} LabNetCanvas;

/* Blends a line from (@x0, @y0) to (@x1, @y1), @width wide, of colour @rgb at opacity @alpha;
 * @dashed: 3 on, 3 off (in coordinate units). Coordinates are logical: times canvas->scale. */
void lab_net_lines_draw (LabNetCanvas *canvas,
                         double        x0,
                         double        y0,
                         double        x1,
                         double        y1,
                         double        width,
                         const float   rgb[3],
                         double        alpha,
                         gboolean      dashed);

G_END_DECLS
