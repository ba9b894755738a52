/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-window-benchmark.h: `gradlab --benchmark SECONDS`, a measuring harness for bench/window,
 * bench/startup and scripts/valgrind-check. Not part of the product window: it only watches
 * one (training rows received, the frame clock's paint times) and closes it.
 */
#pragma once

#include "lab-window.h"

G_BEGIN_DECLS

/* Trains at full speed; @seconds after the first frame, prints one line to stdout and destroys
 * the window:
 *
 *   window_benchmark seconds=S steps=N samples_per_sec=X frames=F paint_ms_median=M
 *   paint_ms_p90=P first_frame_unix_us=T blas_core=K blas_threads=B renderer=GskCairoRenderer
 *
 * Samples/s is over the training time (Σ step_time) of the rows received since the first frame;
 * paint time is before-paint to after-paint of each later frame. */
void lab_window_benchmark_start (LabWindow *window,
                                 guint      seconds);

G_END_DECLS
