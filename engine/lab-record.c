/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-record.c: the tables of a metrics row (lab-record.h) and the two text forms of a row.
 * Numbers are written with "%.7g" in the C locale (a float's 7 significant digits; doubles as
 * written before the tables existed), integers exactly.
 */
#define G_LOG_DOMAIN "lab-engine"
#include "config.h"

#include <math.h>

#include "lab-record.h"

#define STEP(name, type) LAB_RECORD_##type, G_STRUCT_OFFSET (LabStepStats, name)
#define LAYER(name)      G_STRUCT_OFFSET (LabLayerStats, name)

/* Run-file order; the order of the TEXT ones is the CSV's and the JSON's. */
static const LabRecordField step_table[] = {
  { "step", "step", STEP (step, U64), LAB_RECORD_TEXT,
    "1-based number of the step" },
  { "epoch", "epoch", STEP (epoch, U32), LAB_RECORD_TEXT,
    "1-based epoch the step belongs to" },
  { "samples", "samples", STEP (samples, U32), 0,
    "samples in the step's batch (run files only)" },
  { "time", "time", STEP (time, F64), LAB_RECORD_TEXT,
    "seconds since the run started" },
  { "step_time", "step_time", STEP (step_time, F64), 0,
    "seconds the step took (run files only)" },
  { "lr", "lr", STEP (lr, F64), LAB_RECORD_TEXT,
    "learning rate of the step's update" },
  { "loss", "loss", STEP (loss, F64), LAB_RECORD_TEXT,
    "loss on the step's batch" },
  { "accuracy", "accuracy", STEP (accuracy, F64), LAB_RECORD_TEXT,
    "accuracy on the step's batch" },
  /* CSV keeps "grad_norm" and "sparsity": its per-layer columns carry a suffix, so they never
   * collided there, and old readers keep working */
  { "global_grad_norm", "grad_norm", STEP (grad_norm, F64), LAB_RECORD_TEXT,
    "‖∂L/∂θ‖₂ over every weight and bias, before clipping" },
  { "total_sparsity", "sparsity", STEP (sparsity, F64), LAB_RECORD_TEXT,
    "fraction of all weights (not biases) that are pruned" },
  { "test_loss", "test_loss", STEP (test_loss, F64), LAB_RECORD_TEXT,
    "loss on the test split right after the step; null when not evaluated" },
  { "test_accuracy", "test_accuracy", STEP (test_accuracy, F64), LAB_RECORD_TEXT,
    "accuracy on the test split right after the step; null when not evaluated" },
};

static const LabRecordLayerField layer_table[] = {
  { "grad_norm", LAYER (grad_norm), "‖∂L/∂W_l‖₂ of the layer's weights, before clipping" },
  { "grad_mean_abs", LAYER (grad_mean_abs), "mean |∂L/∂W_l|" },
  { "delta_norm", LAYER (delta_norm),
    "‖δ_l‖₂ = ‖∂L/∂z_l‖₂ over the batch: the back-propagated error signal" },
  { "weight_norm", LAYER (weight_norm), "‖W_l‖₂ (Frobenius) after the update" },
  { "update_ratio", LAYER (update_ratio), "‖ΔW_l‖ / ‖W_l‖ of the update" },
  { "sparsity", LAYER (sparsity), "fraction of W_l that is pruned" },
  { "act_mean", LAYER (act_mean), "mean of the activations a_l over batch and units" },
  { "act_std", LAYER (act_std), "standard deviation of a_l" },
  { "act_saturated", LAYER (act_saturated),
    "sigmoid/tanh: fraction of a_l within 1 % of an asymptote" },
  { "act_dead", LAYER (act_dead), "ReLU family: fraction of units zero for the whole batch" },
};

const LabRecordField *
lab_record_step_fields (guint *n)
{
  *n = G_N_ELEMENTS (step_table);
  return step_table;
}

const LabRecordLayerField *
lab_record_layer_fields (guint *n)
{
  *n = G_N_ELEMENTS (layer_table);
  return layer_table;
}

double
lab_record_get (const LabStepStats   *st,
                const LabRecordField *f)
{
  switch (f->type)
    {
    case LAB_RECORD_U64: return (double) G_STRUCT_MEMBER (guint64, st, f->offset);
    case LAB_RECORD_U32: return (double) G_STRUCT_MEMBER (guint32, st, f->offset);
    case LAB_RECORD_F64:
    default: return G_STRUCT_MEMBER (double, st, f->offset);
    }
}

float
lab_record_layer_get (const LabLayerStats       *ls,
                      const LabRecordLayerField *f)
{
  return G_STRUCT_MEMBER (float, ls, f->offset);
}

/* ------------------------------------------------------------------------------------------ */
/* text */

static void
put_num (GString    *out,
         double      v,
         const char *missing)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  g_string_append (out, isfinite (v) ? g_ascii_formatd (buf, sizeof buf, "%.7g", v) : missing);
}

static void
put_field (GString              *out,
           const LabStepStats   *st,
           const LabRecordField *f,
           const char           *missing)
{
  switch (f->type)
    {
    case LAB_RECORD_U64:
      g_string_append_printf (out, "%" G_GUINT64_FORMAT, G_STRUCT_MEMBER (guint64, st, f->offset));
      break;
    case LAB_RECORD_U32:
      g_string_append_printf (out, "%u", G_STRUCT_MEMBER (guint32, st, f->offset));
      break;
    case LAB_RECORD_F64:
    default:
      put_num (out, G_STRUCT_MEMBER (double, st, f->offset), missing);
      break;
    }
}

void
lab_record_csv_header (GString *out,
                       guint    n_layers)
{
  const char *sep = "";
  const LabRecordField *f = step_table;
  const guint n = G_N_ELEMENTS (step_table);

  for (guint i = 0; i < n; i++)
    if (f[i].flags & LAB_RECORD_TEXT)
      {
        g_string_append_printf (out, "%s%s", sep, f[i].column);
        sep = ",";
      }
  for (guint l = 1; l <= n_layers; l++)
    for (guint i = 0; i < G_N_ELEMENTS (layer_table); i++)
      g_string_append_printf (out, ",%s_%u", layer_table[i].key, l);
  g_string_append_c (out, '\n');
}

void
lab_record_csv_row (GString            *out,
                    const LabStepStats *st,
                    guint               n_layers)
{
  const char *sep = "";
  const LabRecordField *f = step_table;
  const guint n = G_N_ELEMENTS (step_table);

  for (guint i = 0; i < n; i++)
    if (f[i].flags & LAB_RECORD_TEXT)
      {
        g_string_append (out, sep);
        put_field (out, st, &f[i], "");
        sep = ",";
      }
  for (guint l = 0; l < n_layers; l++)
    for (guint i = 0; i < G_N_ELEMENTS (layer_table); i++)
      {
        g_string_append_c (out, ',');
        if (l < st->n_layers)
          put_num (out, lab_record_layer_get (&st->layer[l], &layer_table[i]), "");
      }
  g_string_append_c (out, '\n');
}

void
lab_record_json_row (GString            *out,
                     const LabStepStats *st)
{
  char sep = '{';
  const LabRecordField *f = step_table;
  const guint n = G_N_ELEMENTS (step_table);

  for (guint i = 0; i < n; i++)
    if (f[i].flags & LAB_RECORD_TEXT)
      {
        g_string_append_printf (out, "%c\"%s\":", sep, f[i].key);
        put_field (out, st, &f[i], "null");
        sep = ',';
      }
  for (guint i = 0; i < G_N_ELEMENTS (layer_table); i++)
    {
      g_string_append_printf (out, ",\"%s\":[", layer_table[i].key);
      for (guint l = 0; l < st->n_layers; l++)
        {
          if (l)
            g_string_append_c (out, ',');
          put_num (out, lab_record_layer_get (&st->layer[l], &layer_table[i]), "null");
        }
      g_string_append_c (out, ']');
    }
  g_string_append (out, "}\n");
}
