/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-run-heavy.h: a run directory's heavy snapshots (heavy/NNNNNN/: heavy.ini with the step
 * and per-layer histograms, W<l>.npy, M<l>.npy, B<l>.npy; docs/run-directory.md) to and from a
 * LabHeavy. Reading checks every array against the manifest's layers, so a manifest that lies
 * about shapes, a truncated or corrupt .npy, or a mask that is not 0/1 is a message, never a
 * wrong picture.
 */
#pragma once

#include "lab-run-manifest.h"

G_BEGIN_DECLS

/* How many heavy snapshots a writer keeps (older ones are deleted). */
#define LAB_RUN_HEAVY_KEEP 3

/* A heavy snapshot of @m's layers, all zero: weights then bias, layer by layer, in one flat
 * block (and a mask block when @masked); names, kinds, kernels and activations from @m; the
 * input image size when input_shape is an image (H;W or 1;H;W) that layer 0 reads whole. */
LabHeavy *lab_run_heavy_new          (const LabRunManifest *m,
                                      gboolean              masked);
/* heavy.ini held in memory into @heavy (from lab_run_heavy_new()): the step and each layer's
 * histograms (a layer without them keeps empty ones). @name stands for the file in messages. */
gboolean  lab_run_heavy_parse_ini    (LabHeavy             *heavy,
                                      const char           *data,
                                      gsize                 len,
                                      const char           *name,
                                      GError              **error);
/* The text of heavy.ini for @heavy (C locale; floats read back exactly). */
char     *lab_run_heavy_ini_to_data  (const LabHeavy       *heavy,
                                      gsize                *len);

/* Reads the snapshot folder @dir against @m. */
LabHeavy *lab_run_heavy_load         (const LabRunManifest *m,
                                      const char           *dir,
                                      GError              **error);
/* Writes @heavy into the existing folder @dir: heavy.ini, W<l>.npy, B<l>.npy for layers with a
 * bias and M<l>.npy for layers with a mask. */
gboolean  lab_run_heavy_save         (const LabHeavy       *heavy,
                                      const char           *dir,
                                      GError              **error);

/* The step of a snapshot folder's name ("000500"), FALSE for anything else (dot-folders). */
gboolean  lab_run_heavy_parse_name   (const char           *name,
                                      guint64              *step);

G_END_DECLS
