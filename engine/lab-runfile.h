/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-runfile.h: a whole run in one file (.gradlab): its settings (.ini text), the weights and
 * mask (flat buffers in the model's layout), every metrics row, and the latest evaluation, so a
 * run can be closed and reopened where it was.
 *
 * Format (version 1), all integers little-endian:
 *
 *   "GRADLAB\0"              8 bytes magic
 *   u32 version              1
 *   u32 n_sections
 *   n_sections × section:
 *     char tag[4]            "CONF", "LAYT", "STAT", "PARM", "MASK", "ROWS"
 *     u32  flags             bit 0: optional (a reader that does not know the tag skips it)
 *     u64  length            payload bytes
 *     payload
 *     u32  crc32             of the payload (IEEE 802.3, as zlib's crc32)
 *   end of file (nothing may follow the last section)
 *
 * Payloads:
 *   CONF  the settings as lab_config_to_data() writes them (UTF-8 .ini text)
 *   LAYT  u32 n_layers, u32 0, (n_layers + 1) × u64 sizes: n_in, hidden widths …, n_out
 *   STAT  u64 step (the weights are those after this step), u32 epoch, u32 0, u64 eval_step,
 *         f64 test_loss, f64 test_accuracy (NaN: none)
 *   PARM  n_params × f32: W_1, b_1, W_2, b_2 … (W_l row-major (n_l, n_{l-1})), as lab-mlp
 *   MASK  n_params × f32 of 0 or 1 (absent: dense)
 *   ROWS  u32 n_layers, u32 stride, u64 n_rows, u64 seen, then n_rows records of
 *         u64 step, u32 epoch, u32 samples, 10 × f64 (time, step_time, lr, loss, accuracy,
 *         grad_norm, sparsity, test_loss, test_accuracy, 0 reserved), n_layers × 10 × f32
 *         (grad_norm … act_dead): lab-record's step and layer tables in their order, which
 *         version 1 fixes (the writer asserts the tables still add up to these 96 + 40 bytes)
 *   SWEP  (optional) the latest sweep: f64 dense test accuracy, f64 dense test loss (NaN: not
 *         known), u32 n_points, u32 0, then n_points records of char criterion[32],
 *         char scope[16] (NUL-padded), f64 sparsity, u32 finetune_epochs, u32 0,
 *         f64 test_accuracy, f64 test_loss, f64 achieved_sparsity (88 bytes)
 *   LOTT  (optional) the latest lottery: f64 dense test accuracy, f64 dense test loss,
 *         u32 n_rounds, u32 0, then n_rounds records of u32 round, u32 0, f64 sparsity,
 *         f64 test_accuracy, f64 test_loss, f64 control_accuracy, f64 control_loss (NaN: no
 *         control) (48 bytes)
 *
 * CONF, LAYT, STAT, PARM and ROWS are required, each at most once. SWEP and LOTT came later
 * and carry the optional flag, so a reader that predates them skips them, and a file without
 * them (every file written before) simply has no experiment results. The reader checks every
 * length against the file size and the layout, every CRC, that the settings load and validate,
 * that the layout fits the settings (depth, input/output and widths), that weights are finite
 * and mask values 0 or 1, that row steps increase, and that experiment results name known
 * criteria and scopes and hold numbers in range; any failure is a GError that names the file
 * and the problem. The file is written to a temporary name and renamed into place.
 */
#pragma once

#include "lab-config.h"
#include "lab-experiment-results.h"
#include "lab-rowlog.h"

G_BEGIN_DECLS

#define LAB_RUN_FILE_VERSION 1

typedef struct
{
  LabConfig  config;
  char      *config_text;                  /* exactly as saved */
  guint      n_layers;
  gsize      sizes[LAB_MAX_LAYERS + 1];
  gsize      n_params;
  float     *params;                       /* (n_params) */
  float     *mask;                         /* (n_params) or NULL: dense */
  guint64    step;                         /* the weights are those after this step */
  guint      epoch;
  guint64    eval_step;                    /* 0: never evaluated */
  double     test_loss;
  double     test_accuracy;
  LabRowLog *rows;                         /* every metrics row (see lab-rowlog.h) */
  LabExperimentResults results;            /* the latest sweep and lottery (may be empty) */
} LabRun;

/* An empty run with config defaults; fill the fields (the run owns its pointers). */
LabRun   *lab_run_new     (void);
void      lab_run_free    (LabRun        *run);

/* Number of parameters of a layout (sizes[0 … n_layers]); 0 if it overflows. */
gsize     lab_run_count_params (guint         n_layers,
                                const gsize  *sizes);

/* The file's bytes; @run->config_text is written as is if set, else generated from config. */
GBytes   *lab_run_to_bytes (const LabRun *run);
gboolean  lab_run_save    (const LabRun  *run,
                           const char    *path,
                           GError       **error);

LabRun   *lab_run_load    (const char    *path,
                           GError       **error);
/* lab_run_load() on bytes in memory; @name stands for the file in messages. */
LabRun   *lab_run_parse   (const char    *name,
                           const guint8  *bytes,
                           gsize          len,
                           GError       **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LabRun, lab_run_free)

G_END_DECLS
