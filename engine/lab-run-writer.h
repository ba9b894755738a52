/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-run-writer.h: writes a run directory (docs/run-directory.md) as a run goes: run.ini and
 * status replaced atomically, rows appended to rows.jsonl one complete line per write(2) (so a
 * watcher sees each row as soon as it is written), heavy snapshots written into
 * heavy/.tmp-NNNNNN/ and renamed to heavy/NNNNNN/ when complete, of which the newest
 * LAB_RUN_HEAVY_KEEP are kept. Every failure is a GError naming the path.
 *
 * A directory is taken when it does not exist (it is created, with its parents) or is empty.
 * One that holds a run directory already (run.ini) is replaced only with
 * LAB_RUN_WRITER_REPLACE, and then only if it holds nothing but a run directory's files; any
 * other directory is refused, so a mistyped path never loses someone's files.
 */
#pragma once

#include "lab-run-manifest.h"

G_BEGIN_DECLS

typedef enum
{
  LAB_RUN_WRITER_REPLACE = 1 << 0,   /* a previous run directory at the path is replaced */
} LabRunWriterFlags;

typedef struct _LabRunWriter LabRunWriter;

/* Takes @dir for a run described by @m (copied; an empty writer_id gets a random one), writes
 * run.ini, an empty rows.jsonl and status "running". */
LabRunWriter *lab_run_writer_new    (const char            *dir,
                                     const LabRunManifest  *m,
                                     LabRunWriterFlags      flags,
                                     GError               **error);
/* Appends one row (@st has the manifest's layer count). */
gboolean      lab_run_writer_append (LabRunWriter          *writer,
                                     const LabStepStats    *st,
                                     GError               **error);
/* Writes a heavy snapshot (its step names the folder; a step already written is skipped).
 * LAB_ENGINE_ERROR_MISMATCH when its layers are not the manifest's (a compacted network). */
gboolean      lab_run_writer_heavy  (LabRunWriter          *writer,
                                     const LabHeavy        *heavy,
                                     GError               **error);
/* Ends the run: status "finished", or "failed: @failure" when @failure is not NULL (one line:
 * line breaks become spaces). Nothing may be written afterwards. */
gboolean      lab_run_writer_finish (LabRunWriter          *writer,
                                     const char            *failure,
                                     GError               **error);
/* Frees @writer; a run not finished keeps status "running" (as after a crash). */
void          lab_run_writer_free   (LabRunWriter          *writer);

const LabRunManifest *lab_run_writer_manifest (LabRunWriter *writer);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LabRunWriter, lab_run_writer_free)

G_END_DECLS
