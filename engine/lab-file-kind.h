/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-file-kind.h: what a path given to Gradient Lab is, from its name and (for a CSV) its first
 * line: settings, a saved run, a lesson, a `gradlab-cli sweep` result, a run directory to watch,
 * or training data. The window's Open and its command line dispatch on this, so no UI code reads
 * a file to decide.
 */
#pragma once

#include "lab-types.h"

G_BEGIN_DECLS

typedef enum
{
  LAB_FILE_UNKNOWN,
  LAB_FILE_SETTINGS,      /* *.ini */
  LAB_FILE_RUN,           /* *.gradlab (lab-runfile.h) */
  LAB_FILE_LESSON,        /* *.lesson (lab-lesson.h) */
  LAB_FILE_SWEEP,         /* *.csv whose first line is a sweep header (lab-sweep.h) */
  LAB_FILE_CSV_DATA,      /* any other *.csv */
  LAB_FILE_RUN_DIR,       /* a folder holding run.ini: a run directory (docs/run-directory.md) */
  LAB_FILE_IDX_FOLDER,    /* any other folder: MNIST-layout IDX data */
  LAB_FILE_IDX_MEMBER,    /* a file with "idx" in its name: its folder holds the data */
} LabFileKind;

/* Suffixes are matched without regard to case. Reads at most the first 128 bytes of a CSV. */
LabFileKind lab_file_kind_guess (const char *path);

G_END_DECLS
