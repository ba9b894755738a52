/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-run-manifest.h: run.ini, the manifest of a run directory (docs/run-directory.md): who
 * writes the run, what model it trains, and the watched layers (name, kind, matrix shape,
 * kernel, bias, activation). Every reader of a run directory starts from it: a row must have one
 * value per layer, and a heavy snapshot's arrays the layers' shapes.
 *
 * Parsing validates everything and fails with a message naming the file, the group and the
 * key; writing gives text that parses back to the same manifest.
 */
#pragma once

#include "lab-snapshot.h"

G_BEGIN_DECLS

#define LAB_RUN_FORMAT          1         /* the format this version reads and writes */
#define LAB_RUN_MAX_DIM         (1 << 24) /* a matrix's rows or cols, an input dimension */
#define LAB_RUN_MAX_INPUT_DIMS  4         /* input_shape has at most this many numbers */
#define LAB_RUN_MAX_KERNEL      1024      /* a convolution kernel's extent along one axis */
#define LAB_RUN_MAX_CLASSES     (1 << 20)
#define LAB_RUN_MAX_WORLD       65536     /* world_size */
#define LAB_RUN_NAME_MAX        256       /* bytes of a layer's name */

/* One watched layer, [layerN] of run.ini. */
typedef struct
{
  char          *name;        /* as the model names it ("features.0"; ours: "W1" …) */
  LabLayerKind   kind;
  guint          n_kernel;    /* conv1d … conv3d: 1 … 3 kernel axes; linear: 0 */
  guint          kernel[3];   /* the kernel's extent per axis, 0 past n_kernel */
  gsize          rows;        /* outputs (conv: output channels) */
  gsize          cols;        /* inputs (conv: input channels × kernel size) */
  gboolean       bias;
  LabActivation  act;         /* the activation that follows (LINEAR when not known) */
  gboolean       act_known;
} LabRunLayer;

struct _LabRunManifest
{
  guint        format;
  char        *writer;                              /* "" when not given */
  char        *writer_id;                           /* "" when not given */
  char        *started;
  char        *model;
  guint        n_input;                             /* numbers in input_shape, 0 = not known */
  gsize        input_shape[LAB_RUN_MAX_INPUT_DIMS];
  guint        classes;                             /* 0 = not known or not a classifier */
  guint        rank;
  guint        world_size;
  guint64      log_every;
  guint64      heavy_every;                         /* 0 = no heavy snapshots */
  gboolean     local_batch;
  guint        n_layers;                            /* 1 … LAB_MAX_ROW_LAYERS */
  LabRunLayer *layers;                              /* (n_layers) */
  char        *other;                               /* [other] parameters, NULL = none */
};

/* Parses run.ini held in memory; @name stands for the file in messages. */
LabRunManifest *lab_run_manifest_parse      (const char           *data,
                                             gsize                 len,
                                             const char           *name,
                                             GError              **error);
/* Reads and parses the file at @path (messages name the path). */
LabRunManifest *lab_run_manifest_load       (const char           *path,
                                             GError              **error);
/* The text of run.ini (C locale), which parses back to the same manifest. */
char           *lab_run_manifest_to_data    (const LabRunManifest *m,
                                             gsize                *len);
LabRunManifest *lab_run_manifest_copy       (const LabRunManifest *m);
void            lab_run_manifest_free       (LabRunManifest       *m);

/* TRUE when both describe the same layers (names, kinds, shapes, kernels, biases). */
gboolean        lab_run_manifest_same_layers (const LabRunManifest *a,
                                              const LabRunManifest *b);
/* Floats of every layer's weights and biases: the size of a heavy snapshot's flat block. */
gsize           lab_run_manifest_n_params   (const LabRunManifest *m);

/* The manifest of one of our own runs, from its heavy parts (the layers of the network, their
 * activations and the input image size; what a consumer of a session has): layers W1 …,
 * linear with biases, input shape H;W for images or the input dimension, a new writer_id,
 * started now. */
LabRunManifest *lab_run_manifest_new_from_heavy (const LabHeavy   *heavy,
                                                 guint             classes,
                                                 guint64           log_every,
                                                 guint64           heavy_every);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LabRunManifest, lab_run_manifest_free)

G_END_DECLS
