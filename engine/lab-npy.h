/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-npy.h: NumPy .npy files (format 1.0/2.0, little-endian float32, C order), so weights and
 * masks load directly with numpy.load() and into PyTorch. Reads validate the header, dtype,
 * order, shape against the file size, and reject NaN/Inf.
 */
#pragma once

#include "lab-types.h"

G_BEGIN_DECLS

/* Writes a float32 array of 1 or 2 dimensions (cols = 0 for 1-D) atomically. */
gboolean lab_npy_save (const char   *path,
                       const float  *data,
                       gsize         rows,
                       gsize         cols,
                       GError      **error);

/* Reads a float32 array; *rows, *cols receive the shape (cols = 0 for 1-D). A 1-D array of n
 * and a 2-D array (n, 1) or (1, n) are both accepted where a vector is expected by the caller. */
float   *lab_npy_load (const char   *path,
                       gsize        *rows,
                       gsize        *cols,
                       GError      **error);

/* lab_npy_load() on a file held in memory (@len bytes); @name stands for the file in messages.
 * Same reader, same checks: the file loader and this one differ only in where bytes come from. */
float   *lab_npy_parse (const char   *name,
                        const guint8 *bytes,
                        gsize         len,
                        gsize        *rows,
                        gsize        *cols,
                        GError      **error);

G_END_DECLS
