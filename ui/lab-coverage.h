/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-coverage.h: the rasteriser that draws a series' envelope and solid line on screen. On
 * screen, envelopes and solid lines are not drawn as Cairo paths: filling a spiky envelope or
 * stroking a 750-vertex line costs Cairo's scan converter time in proportion to the total
 * height of every edge (by callgrind, the bands were ~60 % and the lines ~25 % of the Gradients
 * page's render time), both for a series reduced to one column per pixel and for a shorter one
 * a few pixels apart (the first seconds of a run). Instead their coverage is written into an A8
 * mask, touching only the pixels they cover, and composited with the series colour in one
 * pixman call. Dashed lines and markers (test evaluations: a few points) stay Cairo paths, and
 * so does everything in vector export.
 */
#pragma once

#include <gtk/gtk.h>

#include "lab-plot-columns.h"
#include "lab-plot-style.h"

G_BEGIN_DECLS

/* The envelope (@band, drawn in @color at a quarter of its alpha) and/or the solid line
 * (@line, s->line_width wide) through @cols, composited onto @cr within the data rectangle
 * @d. */
void lab_coverage_paint_series (cairo_t               *cr,
                                const LabPlotStyle    *s,
                                const graphene_rect_t *d,
                                const LabPlotColumn   *cols,
                                guint                  n,
                                const GdkRGBA         *color,
                                gboolean               band,
                                gboolean               line);

G_END_DECLS
