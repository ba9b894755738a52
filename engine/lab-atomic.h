/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-atomic.h: every file the program writes goes to a temporary file in the same folder and
 * is renamed into place only when complete, so a crash, a kill or a full disk leaves the old
 * file intact. Write errors are reported, never ignored.
 */
#pragma once

#include <stdio.h>

#include "lab-types.h"

G_BEGIN_DECLS

typedef struct _LabAtomicFile LabAtomicFile;

LabAtomicFile *lab_atomic_file_new    (const char     *path,
                                       GError        **error);
/* The stream to write to. */
FILE          *lab_atomic_file_stream (LabAtomicFile  *file);
/* Flushes, syncs, closes and renames into place; frees @file whatever happens. */
gboolean       lab_atomic_file_commit (LabAtomicFile  *file,
                                       GError        **error);
/* Removes the temporary file; frees @file. */
void           lab_atomic_file_abort  (LabAtomicFile  *file);

/* Whole-buffer convenience. */
gboolean       lab_atomic_write       (const char     *path,
                                       const void     *data,
                                       gsize           length,
                                       GError        **error);

G_END_DECLS
