/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-layout-cache.h: the Pango layouts of one plot's plain labels, kept between frames. A plot
 * measures and draws the same strings ("step", tick labels, legend names, the probes of
 * lab_plot_area_init()) on every frame, and creating and shaping them again each time was ~7 %
 * of the Gradients page's main-thread time (perf). LabPlot owns one (lab_plot_get_layout()).
 */
#pragma once

#include <gtk/gtk.h>

#include "lab-plot-style.h"

G_BEGIN_DECLS

typedef struct _LabLayoutCache LabLayoutCache;

LabLayoutCache *lab_layout_cache_new  (void);
void            lab_layout_cache_free (LabLayoutCache     *cache);
/* A layout of @text in @widget's font at @rel × s->font_scale (lab_plot_layout_new()), which
 * the caller must not change; (transfer none): valid until the next call. */
PangoLayout    *lab_layout_cache_get  (LabLayoutCache     *cache,
                                       GtkWidget          *widget,
                                       const LabPlotStyle *s,
                                       const char         *text,
                                       double              rel,
                                       gboolean            bold);
/* @text as lab_plot_cut_text() fits it into @max_w, remembered: (transfer none) @text itself
 * when it fits, else valid until the next call. */
const char     *lab_layout_cache_fit  (LabLayoutCache     *cache,
                                       GtkWidget          *widget,
                                       const LabPlotStyle *s,
                                       const char         *text,
                                       double              rel,
                                       gboolean            bold,
                                       double              max_w);

G_END_DECLS
