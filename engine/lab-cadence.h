/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-cadence.h: how often a live session does what, kept apart from the thread that does it:
 * pacing steps under a rate cap (a small 2-D run watched at 300 steps/s), metering samples/s
 * over a sliding window, and when a test evaluation is due. Plain state and arithmetic on
 * monotonic microseconds (g_get_monotonic_time()), so each rule can be read and tested alone.
 */
#pragma once

#include "lab-trainer.h"

G_BEGIN_DECLS

/* Steps at most max_rate per second, counted from the last restart. */
typedef struct
{
  gint64  t0;
  guint64 steps;
} LabPacer;

/* Starts counting from @now: steps taken at full speed must not buy a long wait at a slow rate. */
void     lab_pacer_restart      (LabPacer       *pacer,
                                 gint64          now);
/* Microseconds to wait before the next step at @max_rate steps/s (≤ 0: go now; 0 rate: never
 * wait). */
gint64   lab_pacer_wait         (const LabPacer *pacer,
                                 double          max_rate,
                                 gint64          now);
/* A step was taken. */
void     lab_pacer_count        (LabPacer       *pacer);

/* Samples per second over windows of LAB_RATE_WINDOW µs. */
#define LAB_RATE_WINDOW (250 * 1000)

typedef struct
{
  gint64 t;        /* start of the current window, 0 = not started */
  gsize  seen;     /* samples seen at its start */
  double rate;     /* the last full window's samples/s (0 until one is full) */
} LabRateMeter;

void     lab_rate_meter_reset   (LabRateMeter   *meter);
/* @seen samples have been trained on by @now; returns the current rate. */
double   lab_rate_meter_update  (LabRateMeter   *meter,
                                 gsize           seen,
                                 gint64          now);

/* Test evaluations on cheap data (2-D sets, small CSVs) are refreshed this often while running,
 * to keep the window's test curve live. */
#define LAB_EVAL_PERIOD_SMALL (250 * 1000)

/* Whether the step just taken (@st) should be followed by a test evaluation: at each epoch's
 * end and the configured run's last step, every train.eval_every steps, and on small data
 * every LAB_EVAL_PERIOD_SMALL µs (@since_last: µs since the last evaluation). Never past the
 * configured run at every step: play after "finished" goes on training, and a test pass per
 * step would cost ~100 steps each. */
gboolean lab_eval_due           (LabTrainer         *trainer,
                                 const LabStepStats *st,
                                 gint64              since_last);

G_END_DECLS
