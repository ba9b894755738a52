/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-history.h: a bounded store of metrics over a whole run. The last `recent` steps stay at
 * full resolution; older ones are merged pairwise into buckets keeping min, max and mean of each
 * channel, so a run of hours stays within a fixed memory budget while a plot still shows the
 * envelope of every spike.
 *
 * Channels per row: loss, accuracy, then for each layer grad_norm and delta_norm, then sparsity
 * (see lab_history_channel()).
 */
#pragma once

#include "lab-trainer.h"

G_BEGIN_DECLS

typedef struct _LabHistory LabHistory;

typedef enum
{
  LAB_HISTORY_LOSS,
  LAB_HISTORY_ACCURACY,
  LAB_HISTORY_GRAD_NORM,     /* per layer */
  LAB_HISTORY_DELTA_NORM,    /* per layer */
  LAB_HISTORY_SPARSITY,      /* per layer */
} LabHistoryMetric;

typedef struct
{
  guint64 step_first;
  guint64 step_last;
  float   min;
  float   mean;
  float   max;
} LabHistoryPoint;

/* @budget: maximum number of buckets kept (≥ 2·recent). */
LabHistory *lab_history_new      (guint               n_layers,
                                  guint               recent,
                                  guint               budget);
void        lab_history_free     (LabHistory         *h);
void        lab_history_clear    (LabHistory         *h,
                                  guint               n_layers);
void        lab_history_append   (LabHistory         *h,
                                  const LabStepStats *st);
guint       lab_history_len      (const LabHistory   *h);
guint       lab_history_n_layers (const LabHistory   *h);
/* The point at index i (0 = oldest) of one metric (layer ignored for loss/accuracy). */
LabHistoryPoint lab_history_get  (const LabHistory   *h,
                                  guint               i,
                                  LabHistoryMetric    metric,
                                  guint               layer);
/* Bytes in use (for the memory-bound test). */
gsize       lab_history_bytes    (const LabHistory   *h);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LabHistory, lab_history_free)

G_END_DECLS
