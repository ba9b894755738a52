/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-file-replace.h: replacing a file atomically. Every file the program writes goes to a
 * temporary file in the same folder and is renamed into place only when complete (write, fsync,
 * rename), so a crash, a kill or a full disk leaves the old file intact. Write errors are
 * reported, never ignored. (Named for what it does: nothing here is g_atomic.)
 */
#pragma once

#include <stdio.h>

#include "lab-types.h"

G_BEGIN_DECLS

typedef struct _LabFileReplace LabFileReplace;

LabFileReplace *lab_file_replace_new      (const char      *path,
                                           GError         **error);
/* The stream to write to. */
FILE           *lab_file_replace_stream   (LabFileReplace  *file);
/* Flushes, syncs, closes and renames into place; frees @file whatever happens. */
gboolean        lab_file_replace_commit   (LabFileReplace  *file,
                                           GError         **error);
/* Removes the temporary file; frees @file. */
void            lab_file_replace_abort    (LabFileReplace  *file);

/* Whole-buffer convenience (as g_file_set_contents, with this file's error reporting). */
gboolean        lab_file_replace_contents (const char      *path,
                                           const void      *data,
                                           gsize            length,
                                           GError         **error);

G_END_DECLS
