/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-run-reader.h: follows one run directory (docs/run-directory.md) while it is written, or
 * reads a finished one, by polling: each lab_run_reader_poll() looks at the directory once and
 * returns what is new. It never shows half of anything: run.ini and status are replaced whole by
 * their writer, rows are taken only up to the last '\n', a heavy snapshot only once its folder
 * has been renamed into place (dot-folders are ignored) and every file of it checks out against
 * the manifest (otherwise the previous one stays, with a message).
 *
 * It reports, and keeps what it has read: a manifest that cannot be used (WAITING, with why), a
 * second writer (run.ini's writer_id changed, or rows.jsonl shrank or was replaced: reading
 * stops, never mixing two runs), the directory disappearing or rows.jsonl deleted with it (GONE:
 * reading stops; rm -r takes the files one by one), the writer's
 * status (running, finished, failed: MESSAGE; none = running), rows or heavy snapshots that
 * could not be used (counted; the latest problem is kept).
 *
 * Not thread-safe: one thread polls (LabWatch's, or a test's).
 */
#pragma once

#include "lab-run-manifest.h"

G_BEGIN_DECLS

typedef struct _LabRunReader LabRunReader;

/* What the reader knows about the directory, after the latest poll. */
typedef struct
{
  LabWatchState    watch;          /* WAITING, LIVE, ENDED, GONE or SECOND_WRITER (a LabWatch
                                    * turns LIVE into STALLED when rows stop coming) */
  LabSessionState  state;          /* RUNNING, FINISHED or FAILED, from the status file */
  const char      *message;        /* the writer's failure, or why the directory cannot be
                                    * read (waiting, gone, second writer); NULL if none */
  const char      *problem;        /* the latest row or heavy snapshot that was skipped, and
                                    * why; NULL if none */
  guint64          rows_read;
  guint64          rows_skipped;
  gint64           last_row_time;  /* g_get_monotonic_time () when rows.jsonl last grew: for
                                    * the first look, estimated from its modification time */
  gboolean         more;           /* complete rows wait that the last poll did not take */
} LabRunReaderState;

/* What one poll brought. */
typedef struct
{
  gboolean   manifest;   /* the manifest is new or changed (lab_run_reader_manifest()) */
  gboolean   changed;    /* the state changed (watch, state, message, problem, counts) */
  guint      n_rows;     /* rows appended to the caller's array */
  LabHeavy  *heavy;      /* a newer heavy snapshot, the caller's to free; NULL if none */
} LabRunPoll;

LabRunReader            *lab_run_reader_new      (const char        *dir);
void                     lab_run_reader_free     (LabRunReader      *reader);

/* Looks at the directory once: reads the manifest if it changed, at most @max_rows new rows
 * (appended to @rows, of the manifest's depth or 0), the status and the newest heavy
 * snapshot. */
void                     lab_run_reader_poll     (LabRunReader      *reader,
                                                  guint              max_rows,
                                                  LabRowLog         *rows,
                                                  LabRunPoll        *poll);
/* The manifest in use, NULL while WAITING. */
const LabRunManifest    *lab_run_reader_manifest (LabRunReader      *reader);
const LabRunReaderState *lab_run_reader_state    (LabRunReader      *reader);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LabRunReader, lab_run_reader_free)

G_END_DECLS
