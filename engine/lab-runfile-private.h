/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-runfile-private.h: what the run file's writer (lab-runfile.c) and reader
 * (lab-runfile-read.c) share: the container's constants, the checksum and the row record's size.
 */
#pragma once

#include "lab-runfile.h"

G_BEGIN_DECLS

#define LAB_RUN_MAGIC   "GRADLAB"   /* with its NUL: 8 bytes */
#define FLAG_OPTIONAL   1u
#define SECTION_HEAD    16          /* tag, flags, length */
/* a row record: lab-record's step fields, one reserved f64, then its layer fields as f32 */
#define ROW_HEAD_BYTES  96
#define ROW_LAYER_BYTES (10 * 4)
/* experiment results: a header (two f64, two u32), then fixed-size records */
#define RESULTS_HEAD_BYTES  24
#define SWEEP_ROW_BYTES     88
#define LOTTERY_ROUND_BYTES 48
#define SWEEP_NAME_BYTES    32   /* LabSweepRow.criterion */
#define SWEEP_SCOPE_BYTES   16   /* LabSweepRow.scope */

/* CRC-32 (IEEE 802.3, reflected, polynomial 0xEDB88320), as zlib's crc32(); init once first. */
void    _lab_run_crc_init            (void);
/* Continues a CRC: start with 0. */
guint32 _lab_run_crc_update          (guint32       crc,
                                      const guint8 *p,
                                      gsize         n);
/* Bytes of one row record of @n_layers layers. */
gsize   _lab_run_row_bytes           (guint         n_layers);
/* Version 1's record is lab-record's tables as they were when it was made: a field added to
 * them needs a new version (and a reader of the old one). Asserts they still add up. */
void    _lab_run_check_record_tables (void);

G_END_DECLS
