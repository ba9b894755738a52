/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-rowlog.h: every metrics row of one run, exactly as the trainer produced it, for export
 * (CSV / JSON Lines) and run files. LabHistory (what the plots draw) merges old rows into
 * buckets; this log keeps them whole. A row stores only the run's n_layers per-layer entries
 * (not LAB_MAX_LAYERS), so a 4-layer row takes 256 bytes instead of LabStepStats' ~1.4 kB.
 *
 * Cap: at most LAB_ROW_LOG_MAX_ROWS rows and LAB_ROW_LOG_MAX_BYTES bytes, whichever comes
 * first. A run that reaches the cap is thinned, never cut: every other kept row is dropped and
 * from then on only every stride-th step is kept (stride 2, 4, 8 …), so the log still spans
 * the whole run and every row in it is an exact, unaveraged step. lab_row_log_get_stride()
 * says when that happened (1 = every step is there); exports say so.
 */
#pragma once

#include "lab-trainer.h"

G_BEGIN_DECLS

#define LAB_ROW_LOG_MAX_ROWS  2000000
#define LAB_ROW_LOG_MAX_BYTES ((gsize) 256 << 20)

typedef struct _LabRowLog LabRowLog;

/* A log for rows of @n_layers (1 … LAB_MAX_ROW_LAYERS) layers, or 0: the first row appended
 * sets the depth (a snapshot's rows, before the first step of a run). */
LabRowLog *lab_row_log_new        (guint               n_layers);
/* A log with a smaller cap (tests of the thinning); @max_rows ≥ 2. */
LabRowLog *lab_row_log_new_capped (guint               n_layers,
                                   gsize               max_rows);
void       lab_row_log_free       (LabRowLog          *log);
LabRowLog *lab_row_log_copy       (const LabRowLog    *log);
/* Empties the log, possibly for another depth. */
void       lab_row_log_clear      (LabRowLog          *log,
                                   guint               n_layers);

/* Appends one row (its n_layers must be the log's; others are refused with a critical). */
void       lab_row_log_append     (LabRowLog          *log,
                                   const LabStepStats *st);
guint      lab_row_log_n_layers   (const LabRowLog    *log);
gsize      lab_row_log_len        (const LabRowLog    *log);
/* Rows appended in all (kept or not). */
guint64    lab_row_log_seen       (const LabRowLog    *log);
/* 1 when every appended row is kept; 2^k after k thinnings. */
guint      lab_row_log_get_stride (const LabRowLog    *log);
/* Bytes of row storage in use. */
gsize      lab_row_log_bytes      (const LabRowLog    *log);

/* Row @i (0 = oldest) into @out: its step-level values and its n_layers layers; the layer
 * entries past n_layers are left as they were (a row of 256 layers is 10 kB). */
void       lab_row_log_get        (const LabRowLog    *log,
                                   gsize               i,
                                   LabStepStats       *out);

/* Replaces row @i by @st (of the log's depth). */
void       lab_row_log_set        (LabRowLog          *log,
                                   gsize               i,
                                   const LabStepStats *st);
/* Removes the @n oldest rows (a mailbox whose consumer stopped taking drops the older half). */
void       lab_row_log_drop_front (LabRowLog          *log,
                                   gsize               n);
/* Appends every row of @src (of the same depth, or to an empty log of depth 0). */
void       lab_row_log_append_log (LabRowLog          *log,
                                   const LabRowLog    *src);

/* Writes every row with lab-metrics (CSV or JSON Lines by the extension), atomically. */
gboolean   lab_row_log_write      (const LabRowLog    *log,
                                   const char         *path,
                                   GError            **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LabRowLog, lab_row_log_free)

G_END_DECLS
