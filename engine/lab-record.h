/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-record.h: the one description of a metrics row. Two tables, {name, type, offset, meaning},
 * list the step-level values of LabStepStats and the per-layer values of LabLayerStats; the CSV
 * and JSON Lines writers (lab-metrics), the run file's row records (lab-runfile) and anything
 * that needs "the i-th per-layer statistic" read them, so a new statistic is one table line.
 *
 * The JSON Lines row (one object per step, README "Metrics rows") has one key per value: the
 * step-level keys of the step table that are marked LAB_RECORD_TEXT, then one array per
 * per-layer key, layer 1 first. A number that is not finite is written as null (JSON has no
 * NaN), so a step that was not evaluated has "test_loss":null; pandas reads null as NaN.
 * CSV has the same values in the same order, per-layer ones as columns KEY_1 … KEY_L, and
 * keeps its historical column names for the two global values (see LabRecordField.column).
 */
#pragma once

#include "lab-trainer.h"

G_BEGIN_DECLS

typedef enum
{
  LAB_RECORD_U64,
  LAB_RECORD_U32,
  LAB_RECORD_F64,
} LabRecordType;

typedef enum
{
  LAB_RECORD_TEXT = 1 << 0,   /* written to CSV and JSON Lines (run files hold every field) */
} LabRecordFlags;

/* A step-level value of LabStepStats. */
typedef struct
{
  const char    *key;       /* JSON Lines key */
  const char    *column;    /* CSV column */
  LabRecordType  type;
  gsize          offset;    /* in LabStepStats */
  LabRecordFlags flags;
  const char    *meaning;
} LabRecordField;

/* A per-layer value: a float in LabLayerStats. */
typedef struct
{
  const char    *key;       /* JSON Lines key of the array; CSV columns KEY_1 … KEY_L */
  gsize          offset;    /* in LabLayerStats */
  const char    *meaning;
} LabRecordLayerField;

/* The step-level fields in run-file order (the text formats skip those without TEXT). */
const LabRecordField      *lab_record_step_fields  (guint                     *n);
/* The per-layer fields, in column and run-file order. */
const LabRecordLayerField *lab_record_layer_fields (guint                     *n);

/* A step-level value as a double (integers are exact below 2^53). */
double                     lab_record_get          (const LabStepStats        *st,
                                                    const LabRecordField      *f);
float                      lab_record_layer_get    (const LabLayerStats       *ls,
                                                    const LabRecordLayerField *f);

/* The CSV header line for @n_layers layers, with its newline. */
void                       lab_record_csv_header   (GString                   *out,
                                                    guint                      n_layers);
/* One CSV line: @n_layers layer column groups (empty past st->n_layers), with its newline. */
void                       lab_record_csv_row      (GString                   *out,
                                                    const LabStepStats        *st,
                                                    guint                      n_layers);
/* One JSON Lines object, with its newline. */
void                       lab_record_json_row     (GString                   *out,
                                                    const LabStepStats        *st);

G_END_DECLS
