/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-config.h: one run's settings, loaded from and saved to a GKeyFile .ini with sections
 * [data] [model] [train] [clip] [prune]. The same file drives the window and the CLI; a run is
 * reproducible from it. Every key is validated with a message that names the key, the value and
 * what is allowed.
 */
#pragma once

#include "lab-dataset.h"
#include "lab-mlp.h"
#include "lab-optim.h"
#include "lab-prune.h"

G_BEGIN_DECLS

typedef struct
{
  LabDataSource source;
  char         *path;            /* idx: folder; csv: file; fashion-mnist: optional override */
  gboolean      shuffle;
  guint         train_limit;     /* 0 = all */
  guint         test_limit;      /* 0 = all */
  guint         n_train;         /* 2-D sets */
  guint         n_test;
  guint         n_classes;       /* 2-D sets */
  double        noise;           /* 2-D sets */
  double        test_fraction;   /* csv */
  gboolean      csv_header;
  int           csv_label_column;
} LabDataConfig;

typedef struct
{
  guint         n_hidden;
  guint         hidden[LAB_MAX_HIDDEN];
  LabActivation act[LAB_MAX_HIDDEN];  /* per layer; `activation` sets all, `activations` each */
  LabInit       init;
  double        init_scale;
  double        bias_init;
  gboolean      residual;
  LabLoss       loss;
} LabModelConfig;

typedef struct
{
  LabOptimKind    optimizer;
  double          lr;
  double          momentum;
  double          beta1;
  double          beta2;
  double          eps;
  double          weight_decay;
  LabScheduleKind schedule;
  double          gamma;         /* step schedule factor */
  guint           step_epochs;   /* step schedule period */
  double          lr_min;        /* cosine floor */
  guint           batch;
  guint           epochs;
  guint64         steps;         /* 0 = epochs decide */
  guint64         seed;
  guint           threads;       /* OpenBLAS threads, 0 = all cores */
  guint           eval_every;    /* steps between test evaluations, 0 = each epoch only */
} LabTrainConfig;

typedef struct
{
  LabClipMode mode;
  double      value;
} LabClipConfig;

struct _LabConfig
{
  LabDataConfig  data;
  LabModelConfig model;
  LabTrainConfig train;
  LabClipConfig  clip;
  LabPruneConfig prune;
};

void       lab_config_init_defaults (LabConfig       *cfg);
void       lab_config_clear         (LabConfig       *cfg);
void       lab_config_copy          (LabConfig       *dst,
                                     const LabConfig *src);

/* Applies the keys present in an .ini text/file on top of @cfg (unknown sections or keys are
 * errors). The file name, if any, is used in messages. */
gboolean   lab_config_load_data     (LabConfig       *cfg,
                                     const char      *text,
                                     gsize            length,
                                     const char      *file_name,
                                     GError         **error);
gboolean   lab_config_load_file     (LabConfig       *cfg,
                                     const char      *path,
                                     GError         **error);
/* A shipped preset by name (see lab_config_list_presets()). */
gboolean   lab_config_load_preset   (LabConfig       *cfg,
                                     const char      *name,
                                     GError         **error);
/* NULL-terminated list of preset names; free with g_strfreev(). */
char     **lab_config_list_presets  (void);
/* The preset's first comment line, its one-sentence description, translated. */
char      *lab_config_preset_summary (const char     *name);

/* "section.key=value" or separately; same validation as the file. */
gboolean   lab_config_set           (LabConfig       *cfg,
                                     const char      *section_dot_key,
                                     const char      *value,
                                     GError         **error);
gboolean   lab_config_set_assignment (LabConfig      *cfg,
                                      const char     *assignment,
                                      GError        **error);

/* Cross-key checks (e.g. residual with no equal widths is fine; batch > 0; prune settings). */
gboolean   lab_config_validate      (const LabConfig *cfg,
                                     GError         **error);

/* The full .ini text (every key), which loads back to an identical config. */
char      *lab_config_to_data       (const LabConfig *cfg,
                                     gsize           *length);
gboolean   lab_config_save_file     (const LabConfig *cfg,
                                     const char      *path,
                                     GError         **error);

/* Builds the network shape for a dataset of dim inputs and n_classes outputs. */
void       lab_config_mlp_shape     (const LabConfig *cfg,
                                     gsize            n_in,
                                     gsize            n_out,
                                     LabMlpShape     *shape);

/* Loads the dataset the config names (2-D, Fashion-MNIST, IDX, CSV), applies limits. */
LabDataset *lab_config_load_dataset (const LabConfig *cfg,
                                     GError         **error);

G_END_DECLS
