/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-types.h: forward declarations and the limits every engine module shares.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* 0–32 hidden layers plus the output layer. */
#define LAB_MAX_HIDDEN 32
#define LAB_MAX_LAYERS (LAB_MAX_HIDDEN + 1)
/* Per-layer values a metrics row (LabStepStats) holds: our networks' layers, and the most
 * layers a watched run directory may describe (its run.ini is refused above this): a ResNet or
 * a transformer has 50–200 weight layers. Rows are stored packed to their run's depth
 * (LabRowLog), so the limit costs nothing to a 4-layer run. */
#define LAB_MAX_ROW_LAYERS 256
#define LAB_MAX_WIDTH  4096
#define LAB_MAX_BATCH  65536
/* Largest input dimension accepted from a data file (e.g. 28×28 = 784; CIFAR-like 3072). */
#define LAB_MAX_INPUT  65536
#define LAB_MAX_CLASSES 256
/* Largest network built, counting weights and biases (each float buffer ≤ 800 MB). */
#define LAB_MAX_PARAMS  200000000
/* Largest activation workspace, in floats (1 GiB): batch × (inputs + every layer's z, a, and the
 * backward scratch). A batch of 65536 fits a 784-256-128-10 network; 65536 × 4096-wide does not. */
#define LAB_MAX_WORKSPACE (1 << 28)

typedef struct _LabConfig    LabConfig;
typedef struct _LabDataset   LabDataset;
typedef struct _LabSplit     LabSplit;
typedef struct _LabMlp       LabMlp;
typedef struct _LabOptim     LabOptim;
typedef struct _LabTrainer   LabTrainer;
typedef struct _LabStepStats LabStepStats;
typedef struct _LabRng       LabRng;
typedef struct _LabRunManifest LabRunManifest;

G_END_DECLS
