/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * test-record.c: the metrics row schema (lab-record) as a reader sees it. JSON Lines rows are
 * parsed with json-glib, a real JSON parser: every key appears once, the keys are exactly the
 * documented ones in the documented order, and every value equals the trainer's statistics
 * (to the 7 significant digits written), null where a value is unknown. The CSV header is
 * the documented one, and every row has its columns. The README's schema table lists the same
 * keys as the code, so the documentation cannot drift from the files.
 */
#define G_LOG_DOMAIN "lab-test"
#include "config.h"

#include <math.h>
#include <string.h>
#include <json-glib/json-glib.h>

#include "lab-metrics.h"
#include "lab-record.h"
#include "lab-test-utils.h"
#include "lab-trainer.h"

#define N_STEPS  6
#define N_LAYERS 3

/* The documented schema (README "Metrics rows"), written out here as the reference. */
static const char * const json_keys[] = {
  "step", "epoch", "time", "lr", "loss", "accuracy", "global_grad_norm", "total_sparsity",
  "test_loss", "test_accuracy",
  "grad_norm", "grad_mean_abs", "delta_norm", "weight_norm", "update_ratio", "sparsity",
  "act_mean", "act_std", "act_saturated", "act_dead",
};
#define N_STEP_KEYS 10

/* The CSV's step-level columns, unchanged since the first metrics files. */
static const char csv_head[] =
  "step,epoch,time,lr,loss,accuracy,grad_norm,sparsity,test_loss,test_accuracy";

typedef struct
{
  LabStepStats st[N_STEPS];
  char        *dir;
} Rows;

/* Six steps of a pruned spiral net; steps 3 and 6 carry a test evaluation. */
static void
rows_init (Rows *rows)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LabTrainer) tr = NULL;
  LabPruneSpec spec;
  LabConfig cfg;

  lab_config_init_defaults (&cfg);
  g_assert_true (lab_config_load_preset (&cfg, "spiral", &error));
  g_assert_true (lab_config_set (&cfg, "model.hidden", "8,6", &error));
  tr = lab_trainer_new (&cfg, NULL, &error);
  g_assert_no_error (error);
  spec = cfg.prune.spec;
  spec.criterion = LAB_PRUNE_MAGNITUDE;
  spec.threshold_mode = LAB_PRUNE_THRESHOLD_NONE;
  spec.target = 0.5;
  g_assert_true (lab_trainer_prune_now (tr, &spec, NULL, &error));
  for (guint i = 0; i < N_STEPS; i++)
    {
      g_assert_true (lab_trainer_step (tr, &rows->st[i], &error));
      if (i % 3 == 2)
        {
          LabEval ev = lab_trainer_evaluate (tr, TRUE);
          rows->st[i].test_loss = ev.loss;
          rows->st[i].test_accuracy = ev.accuracy;
        }
    }
  g_assert_cmpuint (rows->st[0].n_layers, ==, N_LAYERS);
  g_assert_cmpfloat (rows->st[0].sparsity, >, 0.4);
  lab_config_clear (&cfg);
  rows->dir = lab_test_mkdtemp ();
}

static void
rows_clear (Rows *rows)
{
  lab_test_rmdir (rows->dir);
  g_free (rows->dir);
}

/* Writes the rows with lab-metrics and returns the file's lines. */
static char **
write_rows (const Rows *rows,
            const char *name)
{
  g_autofree char *path = g_build_filename (rows->dir, name, NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  LabMetricsWriter *w = lab_metrics_writer_new (path, N_LAYERS, &error);

  g_assert_no_error (error);
  for (guint i = 0; i < N_STEPS; i++)
    g_assert_true (lab_metrics_writer_append (w, &rows->st[i], rows->st[i].test_loss,
                                              rows->st[i].test_accuracy, &error));
  g_assert_true (lab_metrics_writer_close (w, &error));
  g_assert_true (g_file_get_contents (path, &text, NULL, &error));
  return g_strsplit (text, "\n", -1);
}

/* A written number against the value it stands for: 7 significant digits, null for unknown. */
static void
assert_json_number (JsonNode   *node,
                    double      want,
                    const char *key)
{
  if (!isfinite (want))
    {
      if (!JSON_NODE_HOLDS_NULL (node))
        g_error ("\"%s\" should be null", key);
      return;
    }
  g_assert_true (JSON_NODE_HOLDS_VALUE (node));
  lab_assert_close (json_node_get_double (node), want, 5e-7, 1e-30);
}

static void
on_member (JsonParser *parser,
           JsonObject *object,
           const char *name,
           GPtrArray  *seen)
{
  g_ptr_array_add (seen, g_strdup (name));
}

static void
test_jsonl (void)
{
  Rows rows;
  g_auto(GStrv) lines = NULL;
  guint n_layer_fields;
  const LabRecordLayerField *lf = lab_record_layer_fields (&n_layer_fields);

  rows_init (&rows);
  lines = write_rows (&rows, "m.jsonl");
  g_assert_cmpuint (g_strv_length (lines), ==, N_STEPS + 1);
  g_assert_cmpstr (lines[N_STEPS], ==, "");
  g_assert_cmpuint (n_layer_fields, ==, G_N_ELEMENTS (json_keys) - N_STEP_KEYS);

  for (guint i = 0; i < N_STEPS; i++)
    {
      const LabStepStats *st = &rows.st[i];
      g_autoptr(JsonParser) parser = json_parser_new ();
      g_autoptr(GPtrArray) seen = g_ptr_array_new_with_free_func (g_free);
      g_autoptr(GError) error = NULL;
      JsonObject *o;

      g_signal_connect (parser, "object-member", G_CALLBACK (on_member), seen);
      g_assert_true (json_parser_load_from_data (parser, lines[i], -1, &error));
      g_assert_no_error (error);
      o = json_node_get_object (json_parser_get_root (parser));

      /* one key per value: a duplicate would show twice here but once in the object */
      g_assert_cmpuint (seen->len, ==, G_N_ELEMENTS (json_keys));
      g_assert_cmpuint (json_object_get_size (o), ==, G_N_ELEMENTS (json_keys));
      for (guint k = 0; k < G_N_ELEMENTS (json_keys); k++)
        g_assert_cmpstr (g_ptr_array_index (seen, k), ==, json_keys[k]);

      g_assert_cmpint (json_object_get_int_member (o, "step"), ==, (gint64) st->step);
      g_assert_cmpint (json_object_get_int_member (o, "epoch"), ==, st->epoch);
      assert_json_number (json_object_get_member (o, "time"), st->time, "time");
      assert_json_number (json_object_get_member (o, "lr"), st->lr, "lr");
      assert_json_number (json_object_get_member (o, "loss"), st->loss, "loss");
      assert_json_number (json_object_get_member (o, "accuracy"), st->accuracy, "accuracy");
      assert_json_number (json_object_get_member (o, "global_grad_norm"), st->grad_norm,
                          "global_grad_norm");
      assert_json_number (json_object_get_member (o, "total_sparsity"), st->sparsity,
                          "total_sparsity");
      assert_json_number (json_object_get_member (o, "test_loss"), st->test_loss, "test_loss");
      assert_json_number (json_object_get_member (o, "test_accuracy"), st->test_accuracy,
                          "test_accuracy");
      g_assert_true (isfinite (st->test_loss) == (i % 3 == 2));

      for (guint k = 0; k < n_layer_fields; k++)
        {
          JsonArray *a = json_object_get_array_member (o, json_keys[N_STEP_KEYS + k]);

          g_assert_cmpstr (lf[k].key, ==, json_keys[N_STEP_KEYS + k]);
          g_assert_nonnull (a);
          g_assert_cmpuint (json_array_get_length (a), ==, N_LAYERS);
          for (guint l = 0; l < N_LAYERS; l++)
            assert_json_number (json_array_get_element (a, l),
                                G_STRUCT_MEMBER (float, &st->layer[l], lf[k].offset),
                                lf[k].key);
        }
      /* the per-layer arrays are the struct's fields, spot-checked by name */
      assert_json_number (json_array_get_element (json_object_get_array_member (o, "grad_norm"),
                                                  1), st->layer[1].grad_norm, "grad_norm");
      assert_json_number (json_array_get_element (json_object_get_array_member (o, "sparsity"),
                                                  0), st->layer[0].sparsity, "sparsity");
      assert_json_number (json_array_get_element (json_object_get_array_member (o, "act_dead"),
                                                  2), st->layer[2].act_dead, "act_dead");
    }
  rows_clear (&rows);
}

static void
test_csv (void)
{
  Rows rows;
  g_auto(GStrv) lines = NULL, header = NULL;
  g_autoptr(GString) want = g_string_new (csv_head);

  rows_init (&rows);
  lines = write_rows (&rows, "m.csv");
  g_assert_cmpuint (g_strv_length (lines), ==, N_STEPS + 2);
  for (guint l = 1; l <= N_LAYERS; l++)
    for (guint k = N_STEP_KEYS; k < G_N_ELEMENTS (json_keys); k++)
      g_string_append_printf (want, ",%s_%u", json_keys[k], l);
  g_assert_cmpstr (lines[0], ==, want->str);
  header = g_strsplit (lines[0], ",", -1);

  for (guint i = 0; i < N_STEPS; i++)
    {
      const LabStepStats *st = &rows.st[i];
      g_auto(GStrv) f = g_strsplit (lines[i + 1], ",", -1);
      const double step_values[] = {
        (double) st->step, st->epoch, st->time, st->lr, st->loss, st->accuracy, st->grad_norm,
        st->sparsity, st->test_loss, st->test_accuracy,
      };

      g_assert_cmpuint (g_strv_length (f), ==, g_strv_length (header));
      for (guint k = 0; k < N_STEP_KEYS; k++)
        {
          if (!isfinite (step_values[k]))
            g_assert_cmpstr (f[k], ==, "");
          else
            lab_assert_close (g_ascii_strtod (f[k], NULL), step_values[k], 5e-7, 1e-30);
        }
      /* act_std of layer 2: column 10 + 10 + 7 */
      g_assert_cmpstr (header[N_STEP_KEYS + 10 + 7], ==, "act_std_2");
      lab_assert_close (g_ascii_strtod (f[N_STEP_KEYS + 10 + 7], NULL), st->layer[1].act_std,
                        5e-7, 1e-30);
    }
  rows_clear (&rows);
}

/* README's "Metrics rows" table names every key of the code's tables, and no other. */
static void
test_readme (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "..", "README.md", NULL);
  g_autofree char *text = NULL;
  g_autoptr(GPtrArray) documented = g_ptr_array_new_with_free_func (g_free);
  g_auto(GStrv) lines = NULL;
  const char *section;
  guint n_step, n_layer;
  const LabRecordField *f = lab_record_step_fields (&n_step);
  const LabRecordLayerField *lf = lab_record_layer_fields (&n_layer);
  guint k = 0;

  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  section = strstr (text, "### Metrics rows");
  g_assert_nonnull (section);
  lines = g_strsplit (section, "\n", -1);
  for (guint i = 1; lines[i] && !g_str_has_prefix (lines[i], "#"); i++)
    if (g_str_has_prefix (lines[i], "| `"))
      {
        const char *start = lines[i] + 3;
        g_ptr_array_add (documented, g_strndup (start, strcspn (start, "`")));
      }

  for (guint i = 0; i < n_step; i++)
    if (f[i].flags & LAB_RECORD_TEXT)
      g_assert_cmpstr (g_ptr_array_index (documented, k++), ==, f[i].key);
  for (guint i = 0; i < n_layer; i++)
    g_assert_cmpstr (g_ptr_array_index (documented, k++), ==, lf[i].key);
  g_assert_cmpuint (documented->len, ==, k);
  g_assert_cmpuint (k, ==, G_N_ELEMENTS (json_keys));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/engine/record/jsonl", test_jsonl);
  g_test_add_func ("/engine/record/csv", test_csv);
  g_test_add_func ("/engine/record/readme", test_readme);
  return g_test_run ();
}
