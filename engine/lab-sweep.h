/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-sweep.h: the accuracy-versus-sparsity CSV of a sweep (lab-experiment.h runs it):
 * criterion,scope,sparsity,finetune_epochs,test_accuracy,test_loss,achieved_sparsity, one row
 * per point. Written atomically as the points arrive, and read back (also files of older
 * versions, without achieved_sparsity) so the window can draw the curve of a sweep run
 * elsewhere.
 */
#pragma once

#include "lab-types.h"

G_BEGIN_DECLS

/* One point of a sweep: a copy of the trained network pruned by one criterion to one sparsity,
 * fine-tuned or not, on the test split. */
typedef struct
{
  char   criterion[32];
  char   scope[16];
  double sparsity;           /* requested */
  guint  finetune_epochs;
  double test_accuracy;
  double test_loss;
  double achieved_sparsity;  /* NaN if the file has no such column */
} LabSweepRow;

/* TRUE if @header (the first line) is a sweep CSV's header. */
gboolean lab_sweep_is_header   (const char  *header);
/* The rows of a sweep CSV (GArray of LabSweepRow), or NULL with an error naming file and line. */
GArray  *lab_sweep_load_csv    (const char  *path,
                                GError     **error);

typedef struct _LabSweepWriter LabSweepWriter;

/* Opens the file (a temporary beside it until commit) and writes the header. */
LabSweepWriter *lab_sweep_writer_new     (const char        *path,
                                          GError           **error);
void            lab_sweep_writer_append  (LabSweepWriter    *w,
                                          const LabSweepRow *row);
/* Puts the file in place; frees @w whatever happens. */
gboolean        lab_sweep_writer_commit  (LabSweepWriter    *w,
                                          GError           **error);
void            lab_sweep_writer_abort   (LabSweepWriter    *w);
/* The whole CSV of @n_rows rows at once. */
gboolean        lab_sweep_write_csv      (const char        *path,
                                          const LabSweepRow *rows,
                                          guint              n_rows,
                                          GError           **error);

/* How the sweep CSV and the lottery's lines write a number: "%.6g" in the C locale, "nan" when
 * not finite. Returns @buf (or the "nan" literal). */
const char     *lab_sweep_format_number  (char               buf[G_ASCII_DTOSTR_BUF_SIZE],
                                          double             v);

G_END_DECLS
