/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-metrics.h: writes one row per training step to CSV (one column per metric and layer) or
 * JSON Lines (one object per step, per-layer metrics as arrays); lab-record.h says what a row
 * holds. The file is written to a temporary name and renamed into place on close, so an
 * interrupted run never leaves half a file where a good one was.
 */
#pragma once

#include "lab-trainer.h"

G_BEGIN_DECLS

typedef struct _LabMetricsWriter LabMetricsWriter;

/* The format follows the extension: .csv or .jsonl / .json. */
LabMetricsWriter *lab_metrics_writer_new    (const char          *path,
                                             guint                n_layers,
                                             GError             **error);
/* test_loss / test_accuracy are NaN when the step was not evaluated (written empty / null). */
gboolean          lab_metrics_writer_append (LabMetricsWriter    *w,
                                             const LabStepStats  *st,
                                             double               test_loss,
                                             double               test_accuracy,
                                             GError             **error);
gboolean          lab_metrics_writer_close  (LabMetricsWriter    *w,
                                             GError             **error);
void              lab_metrics_writer_abort  (LabMetricsWriter    *w);

G_END_DECLS
