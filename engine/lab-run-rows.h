/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-run-rows.h: rows.jsonl of a run directory into LabStepStats. One JSON object per line,
 * the schema of lab_record_json_row() (docs/run-directory.md), read with json-glib: step-level
 * keys and per-layer arrays of exactly the manifest's layer count; null (and anything that is
 * not finite as a float or double) becomes NaN; unknown keys are ignored.
 *
 * A LabRunRows follows one file as it grows: it is fed the bytes after those it consumed, takes
 * complete ('\n'-terminated) lines only, so a line still being written is never read half, and
 * numbers lines across feeds for its messages. A line that cannot be used (not JSON, a wrong
 * layer count, a step that does not increase …) is skipped and counted; the latest problem is
 * kept as a message naming the file and the line.
 */
#pragma once

#include "lab-rowlog.h"
#include "lab-trainer.h"

G_BEGIN_DECLS

/* A longer line is skipped unread (a row of LAB_MAX_ROW_LAYERS layers is a few kB). */
#define LAB_RUN_MAX_LINE (1 << 20)

typedef struct _LabRunRows LabRunRows;

/* Rows of @n_layers layers from the file @name (as messages name it). */
LabRunRows *lab_run_rows_new      (const char        *name,
                                   guint              n_layers);
void        lab_run_rows_free     (LabRunRows        *rows);

/* Parses the complete lines at the start of @data (@len bytes, the file's bytes after those
 * consumed so far), appending at most @max_rows rows to @out (of the run's depth, or 0). Returns the bytes
 * consumed; the rest (an unfinished line, or lines past @max_rows) is for the next feed. */
gsize       lab_run_rows_feed     (LabRunRows        *rows,
                                   const char        *data,
                                   gsize              len,
                                   guint              max_rows,
                                   LabRowLog         *out);
/* Lines consumed so far. */
guint64     lab_run_rows_lines    (const LabRunRows  *rows);
/* Lines skipped so far and the latest problem ("rows.jsonl: line 17: …"), NULL if none. */
guint64     lab_run_rows_skipped  (const LabRunRows  *rows,
                                   const char       **problem);

/* One line (without its '\n') into @st: the contract every fed line goes through, and the
 * fuzz target's entry point. @line_no names the line in messages. */
gboolean    lab_run_rows_parse_line (LabRunRows      *rows,
                                     const char      *line,
                                     gsize            len,
                                     guint64          line_no,
                                     LabStepStats    *st,
                                     GError         **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LabRunRows, lab_run_rows_free)

G_END_DECLS
