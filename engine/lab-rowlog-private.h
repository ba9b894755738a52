/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-rowlog-private.h: what the run-file reader needs to rebuild a LabRowLog from saved rows
 * without re-applying the thinning (the rows were thinned when they were logged).
 */
#pragma once

#include "lab-rowlog.h"

G_BEGIN_DECLS

/* Appends @st as it is, whatever the stride and the cap. */
void _lab_row_log_push      (LabRowLog          *log,
                             const LabStepStats *st);
/* Sets the thinning state: @stride (a power of two) and the rows @seen in all. */
void _lab_row_log_set_state (LabRowLog          *log,
                             guint               stride,
                             guint64             seen);

G_END_DECLS
