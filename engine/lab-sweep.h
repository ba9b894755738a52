/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-sweep.h: reading back the accuracy-versus-sparsity CSV that `gradlab-cli sweep` writes
 * (criterion,scope,sparsity,finetune_epochs,test_accuracy,test_loss[,achieved_sparsity]), so the
 * window can draw the curve of a sweep run elsewhere.
 */
#pragma once

#include "lab-types.h"

G_BEGIN_DECLS

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

G_END_DECLS
