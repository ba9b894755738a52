/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * test-rundir.c: a run directory's run.ini and rows.jsonl (docs/run-directory.md). run.ini
 * round trips and every refusal with the message a user sees; rows.jsonl lines from the
 * trainer read back within the text's precision, lines still being written never read half,
 * bad lines skipped with a message naming the line, many lines on several threads read as one
 * at a time. (Heavy snapshots and the writer are test-rundir-heavy.c's; the reader's states
 * over time and gradlab-cli test-rundir-reader.c's.)
 */
#define G_LOG_DOMAIN "lab-test"
#include "config.h"

#include <math.h>
#include <string.h>

#include "lab-error.h"
#include "lab-record.h"
#include "lab-run-rows.h"
#include "lab-test-utils.h"

/* A manifest with every kind of layer and key. */
static const char manifest_text[] =
  "[run]\n"
  "format = 1\n"
  "writer = test 1.0 (torch 1.13.1)\n"
  "writer_id = 3f2a-test\n"
  "started = 2026-12-06T16:00:00Z\n"
  "model = Net\n"
  "input_shape = 1;28;28\n"
  "classes = 10\n"
  "rank = 1\n"
  "world_size = 2\n"
  "log_every = 10\n"
  "heavy_every = 500\n"
  "local_batch = true\n"
  "\n"
  "[layer0]\n"
  "name = features.0\n"
  "kind = conv2d\n"
  "shape = 32;9\n"
  "kernel = 3;3\n"
  "bias = true\n"
  "activation = relu\n"
  "\n"
  "[layer1]\n"
  "name = \\sa name; with a leading space\n"
  "kind = conv1d\n"
  "shape = 8;160\n"
  "kernel = 5\n"
  "bias = false\n"
  "activation = unknown\n"
  "\n"
  "[layer2]\n"
  "name = fc\n"
  "kind = linear\n"
  "shape = 10;400\n"
  "bias = true\n"
  "activation = LINEAR\n"
  "\n"
  "[other]\n"
  "parameters = bn1.weight (64);bn1.bias (64)\n";

static LabRunManifest *
parse_ok (const char *text)
{
  g_autoptr(GError) error = NULL;
  LabRunManifest *m = lab_run_manifest_parse (text, strlen (text), "run.ini", &error);

  g_assert_no_error (error);
  g_assert_nonnull (m);
  return m;
}

/* ------------------------------------------------------------------------------------------ */
/* run.ini */

static void
test_manifest_fields (void)
{
  g_autoptr(LabRunManifest) m = parse_ok (manifest_text);

  g_assert_cmpuint (m->format, ==, 1);
  g_assert_cmpstr (m->writer, ==, "test 1.0 (torch 1.13.1)");
  g_assert_cmpstr (m->writer_id, ==, "3f2a-test");
  g_assert_cmpstr (m->model, ==, "Net");
  g_assert_cmpuint (m->n_input, ==, 3);
  g_assert_cmpuint (m->input_shape[0], ==, 1);
  g_assert_cmpuint (m->input_shape[2], ==, 28);
  g_assert_cmpuint (m->classes, ==, 10);
  g_assert_cmpuint (m->rank, ==, 1);
  g_assert_cmpuint (m->world_size, ==, 2);
  g_assert_cmpuint (m->log_every, ==, 10);
  g_assert_cmpuint (m->heavy_every, ==, 500);
  g_assert_true (m->local_batch);
  g_assert_cmpuint (m->n_layers, ==, 3);

  g_assert_cmpstr (m->layers[0].name, ==, "features.0");
  g_assert_cmpint (m->layers[0].kind, ==, LAB_LAYER_CONV);
  g_assert_cmpuint (m->layers[0].n_kernel, ==, 2);
  g_assert_cmpuint (m->layers[0].kernel[0], ==, 3);
  g_assert_cmpuint (m->layers[0].kernel[1], ==, 3);
  g_assert_cmpuint (m->layers[0].kernel[2], ==, 0);
  g_assert_cmpuint (m->layers[0].rows, ==, 32);
  g_assert_cmpuint (m->layers[0].cols, ==, 9);
  g_assert_true (m->layers[0].bias);
  g_assert_true (m->layers[0].act_known);
  g_assert_cmpint (m->layers[0].act, ==, LAB_ACT_RELU);

  g_assert_cmpstr (m->layers[1].name, ==, " a name; with a leading space");
  g_assert_cmpuint (m->layers[1].n_kernel, ==, 1);
  g_assert_cmpuint (m->layers[1].kernel[0], ==, 5);
  g_assert_false (m->layers[1].bias);
  g_assert_false (m->layers[1].act_known);

  g_assert_cmpint (m->layers[2].kind, ==, LAB_LAYER_LINEAR);
  g_assert_cmpuint (m->layers[2].n_kernel, ==, 0);
  g_assert_true (m->layers[2].act_known);
  g_assert_cmpint (m->layers[2].act, ==, LAB_ACT_LINEAR);
  g_assert_cmpstr (m->other, ==, "bn1.weight (64);bn1.bias (64)");
  g_assert_cmpuint (lab_run_manifest_n_params (m), ==, 32 * 10 + 8 * 160 + 10 * 401);

  /* the defaults of the optional keys */
  {
    g_autoptr(LabRunManifest) d = parse_ok ("[run]\nformat=1\n[layer0]\nname=a\nkind=linear\n"
                                            "shape=1;1\n");

    g_assert_cmpstr (d->writer_id, ==, "");
    g_assert_cmpuint (d->n_input, ==, 0);
    g_assert_cmpuint (d->world_size, ==, 1);
    g_assert_cmpuint (d->log_every, ==, 1);
    g_assert_cmpuint (d->heavy_every, ==, 0);
    g_assert_false (d->layers[0].bias);
    g_assert_false (d->layers[0].act_known);
    g_assert_null (d->other);
  }
}

/* Written text reads back to the same manifest, and is a fixed point. */
static void
test_manifest_round_trip (void)
{
  g_autoptr(LabRunManifest) m = parse_ok (manifest_text);
  g_autoptr(LabRunManifest) back = NULL;
  g_autoptr(LabRunManifest) copy = lab_run_manifest_copy (m);
  g_autofree char *text = NULL;
  g_autofree char *again = NULL;

  text = lab_run_manifest_to_data (m, NULL);
  back = parse_ok (text);
  again = lab_run_manifest_to_data (back, NULL);
  g_assert_cmpstr (text, ==, again);
  g_assert_true (lab_run_manifest_same_layers (m, back));
  g_assert_true (lab_run_manifest_same_layers (m, copy));
  g_assert_cmpstr (back->layers[1].name, ==, m->layers[1].name);
  g_assert_cmpstr (back->other, ==, m->other);
  g_assert_cmpstr (back->started, ==, m->started);
  g_assert_cmpuint (back->rank, ==, 1);
  g_assert_true (back->layers[2].act_known);
  g_assert_false (back->layers[1].act_known);

  copy->layers[2].cols++;
  g_assert_false (lab_run_manifest_same_layers (m, copy));
}

/* Each refusal: the manifest text and a part of the message, which names run.ini. A text that
 * only tests [run] gets a valid [layer0] appended (+), so its own key is what fails. */
static void
test_manifest_refusals (void)
{
  static const char layer[] = "[layer0]\nname=a\nkind=linear\nshape=2;2\n";
  static const struct { gboolean add_layer; const char *text; const char *msg; } cases[] = {
    { FALSE, "not an ini file", "run.ini: not a valid .ini file" },
    { FALSE, "[layer0]\nname=a\n", "no [run] group" },
    { TRUE, "[run]\nwriter=x\n", "[run] format: missing (this key is required)" },
    { TRUE, "[run]\nformat=2\n", "[run] format: the run directory has format 2; this version "
      "of Gradient Lab reads format 1" },
    { TRUE, "[run]\nformat=one\n", "[run] format = 'one': must be a whole number from 1" },
    { FALSE, "[run]\nformat=1\n", "no [layer0]: a run directory describes at least one layer" },
    { TRUE, "[run]\nformat=1\n[layer2]\n",
      "[layer2] but no [layer1]: layers are numbered from 0 without gaps" },
    { FALSE, "[run]\nformat=1\n[layer0]\nkind=linear\nshape=2;2\n", "[layer0] name: missing" },
    { FALSE, "[run]\nformat=1\n[layer0]\nname=\nkind=linear\nshape=2;2\n",
      "[layer0] name: must be 1 to 256 bytes long" },
    { FALSE, "[run]\nformat=1\n[layer0]\nname=a\\x\nkind=linear\nshape=2;2\n",
      "[layer0] name: '\\x' is not a valid escape" },
    { FALSE, "[run]\nformat=1\n[layer0]\nname=a\nkind=dense\nshape=2;2\n",
      "[layer0] kind = 'dense': must be linear, conv1d, conv2d or conv3d" },
    { FALSE, "[run]\nformat=1\n[layer0]\nname=a\nkind=linear\n", "[layer0] shape: missing" },
    { FALSE, "[run]\nformat=1\n[layer0]\nname=a\nkind=linear\nshape=4\n",
      "[layer0] shape = '4': must be a list of 2 numbers separated by ';' (it has 1)" },
    { FALSE, "[run]\nformat=1\n[layer0]\nname=a\nkind=linear\nshape=0;4\n",
      "[layer0] shape = '0;4': item 1 must be a whole number from 1 to 16777216" },
    { FALSE, "[run]\nformat=1\n[layer0]\nname=a\nkind=linear\nshape=4;-1\n",
      "item 2 must be a whole number" },
    { FALSE, "[run]\nformat=1\n[layer0]\nname=a\nkind=linear\nshape=4;99999999\n",
      "item 2 must be a whole number from 1 to 16777216" },
    { FALSE, "[run]\nformat=1\n[layer0]\nname=a\nkind=linear\nshape=16000000;16\n",
      "hold more than 200000000 weights and biases" },
    { FALSE, "[run]\nformat=1\n[layer0]\nname=a\nkind=conv2d\nshape=4;18\n",
      "[layer0] kernel: missing (this key is required)" },
    { FALSE, "[run]\nformat=1\n[layer0]\nname=a\nkind=conv2d\nshape=4;18\nkernel=3\n",
      "[layer0] kernel = '3': must be a list of 2 numbers" },
    { FALSE, "[run]\nformat=1\n[layer0]\nname=a\nkind=conv2d\nshape=32;10\nkernel=3;3\n",
      "[layer0] shape: 10 columns are not a whole number of kernels of 9" },
    { FALSE, "[run]\nformat=1\n[layer0]\nname=a\nkind=linear\nshape=2;2\nkernel=3\n",
      "[layer0] kernel: only a convolution has a kernel" },
    { FALSE, "[run]\nformat=1\n[layer0]\nname=a\nkind=linear\nshape=2;2\nactivation=gelu\n",
      "[layer0] activation = 'gelu': must be one of sigmoid|tanh|relu|leaky-relu|elu|linear or "
      "unknown" },
    { FALSE, "[run]\nformat=1\n[layer0]\nname=a\nkind=linear\nshape=2;2\nbias=maybe\n",
      "[layer0] bias = 'maybe': must be true or false" },
    { TRUE, "[run]\nformat=1\nworld_size=2\nrank=2\n", "[run] rank = '2': must be a whole "
      "number from 0 to 1" },
    { TRUE, "[run]\nformat=1\nworld_size=0\n", "[run] world_size = '0'" },
    { TRUE, "[run]\nformat=1\nlog_every=0\n", "[run] log_every = '0'" },
    { TRUE, "[run]\nformat=1\ninput_shape=1;2;3;4;5\n", "[run] input_shape = '1;2;3;4;5': "
      "must be a list of 0 to 4 numbers" },
    { TRUE, "[run]\nformat=1\nlocal_batch=2\n", "[run] local_batch = '2': must be true or "
      "false" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(LabRunManifest) m = NULL;
      g_autofree char *text = g_strconcat (cases[i].text, cases[i].add_layer ? layer : "", NULL);

      m = lab_run_manifest_parse (text, strlen (text), "run.ini", &error);
      g_test_message ("%s → %s", cases[i].text, error ? error->message : "(accepted)");
      g_assert_null (m);
      g_assert_error (error, LAB_ENGINE_ERROR, LAB_ENGINE_ERROR_FORMAT);
      g_assert_true (g_str_has_prefix (error->message, "run.ini: "));
      g_assert_nonnull (strstr (error->message, cases[i].msg));
    }
}

/* More layers than a row holds: refused with the limit. */
static void
test_manifest_too_many_layers (void)
{
  g_autoptr(GString) text = g_string_new ("[run]\nformat=1\n");
  g_autoptr(GError) error = NULL;
  g_autoptr(LabRunManifest) m = NULL;
  g_autofree char *msg = g_strdup_printf ("more than %d layers", LAB_MAX_ROW_LAYERS);

  for (guint l = 0; l <= LAB_MAX_ROW_LAYERS; l++)
    g_string_append_printf (text, "[layer%u]\nname=l%u\nkind=linear\nshape=2;2\n", l, l);
  m = lab_run_manifest_parse (text->str, text->len, "run.ini", &error);
  g_assert_null (m);
  g_assert_nonnull (strstr (error->message, msg));

  /* exactly the limit is fine */
  {
    g_autofree char *past = g_strdup_printf ("[layer%u]", LAB_MAX_ROW_LAYERS);

    g_string_truncate (text, strstr (text->str, past) - text->str);
  }
  m = lab_run_manifest_parse (text->str, text->len, "run.ini", NULL);
  g_assert_nonnull (m);
  g_assert_cmpuint (m->n_layers, ==, LAB_MAX_ROW_LAYERS);
}

/* Our own runs: the layers of the network, input as image or vector. */
static void
test_manifest_from_heavy (void)
{
  const gsize sizes[] = { 784, 32, 10 };
  g_autoptr(LabRunManifest) m = NULL;
  g_autoptr(LabRunManifest) again = NULL;
  LabHeavy *heavy = lab_heavy_new_chain (2, sizes, FALSE);

  heavy->img_w = heavy->img_h = 28;
  heavy->layers[0].act = LAB_ACT_SIGMOID;
  heavy->layers[0].act_known = heavy->layers[1].act_known = TRUE;
  m = lab_run_manifest_new_from_heavy (heavy, 10, 5, 100);
  g_assert_cmpstr (m->model, ==, "MLP 784-32-10");
  g_assert_true (g_str_has_prefix (m->writer, "gradlab "));
  g_assert_cmpuint (strlen (m->writer_id), ==, 36);
  g_assert_cmpuint (m->n_input, ==, 2);
  g_assert_cmpuint (m->input_shape[0], ==, 28);
  g_assert_cmpuint (m->classes, ==, 10);
  g_assert_cmpuint (m->log_every, ==, 5);
  g_assert_cmpuint (m->heavy_every, ==, 100);
  g_assert_cmpstr (m->layers[1].name, ==, "W2");
  g_assert_cmpuint (m->layers[0].rows, ==, 32);
  g_assert_cmpuint (m->layers[0].cols, ==, 784);
  g_assert_true (m->layers[0].bias);
  g_assert_cmpint (m->layers[0].act, ==, LAB_ACT_SIGMOID);
  g_assert_cmpint (m->layers[1].act, ==, LAB_ACT_LINEAR);

  /* a new writer id every time: two runs are two writers */
  again = lab_run_manifest_new_from_heavy (heavy, 10, 5, 100);
  g_assert_cmpstr (again->writer_id, !=, m->writer_id);

  heavy->img_w = heavy->img_h = 0;
  lab_run_manifest_free (g_steal_pointer (&again));
  again = lab_run_manifest_new_from_heavy (heavy, 0, 1, 0);
  g_assert_cmpuint (again->n_input, ==, 1);
  g_assert_cmpuint (again->input_shape[0], ==, 784);
  lab_heavy_free (heavy);
}

/* ------------------------------------------------------------------------------------------ */
/* rows.jsonl */

/* A row of the trainer: real statistics, with NaN test metrics on most steps. */
static GArray *
trainer_rows (guint n)
{
  static const char * const sets[] = { "model.hidden=8,8", "data.n_train=200", NULL };
  g_autoptr(LabTrainer) tr = lab_test_new_trainer ("spiral", sets);
  GArray *rows = g_array_new (FALSE, FALSE, sizeof (LabStepStats));

  for (guint i = 0; i < n; i++)
    {
      LabStepStats st;

      g_assert_true (lab_trainer_step (tr, &st, NULL));
      if (i % 7 == 6)
        {
          LabEval ev = lab_trainer_evaluate (tr, TRUE);
          st.test_loss = ev.loss;
          st.test_accuracy = ev.accuracy;
        }
      g_array_append_val (rows, st);
    }
  return rows;
}

/* JSON rows carry 7 significant digits (lab_record_json_row's %.7g, as --metrics writes them):
 * a double comes back within half a unit of the 7th digit, 5e-7 of its value; a per-layer
 * float also picks up its own rounding (2^-24 ≈ 6e-8), hence 6e-7. Integers are exact; NaN
 * (null) stays NaN. */
static void
assert_row_close (const LabStepStats *a,
                  const LabStepStats *b)
{
  guint n_step, n_layer;
  const LabRecordField *sf = lab_record_step_fields (&n_step);
  const LabRecordLayerField *lf = lab_record_layer_fields (&n_layer);

  g_assert_cmpuint (a->step, ==, b->step);
  g_assert_cmpuint (a->epoch, ==, b->epoch);
  g_assert_cmpuint (a->n_layers, ==, b->n_layers);
  for (guint i = 0; i < n_step; i++)
    {
      double x = lab_record_get (a, &sf[i]), y = lab_record_get (b, &sf[i]);

      if (!(sf[i].flags & LAB_RECORD_TEXT))
        continue;
      if (isnan (x))
        g_assert_true (isnan (y));
      else
        g_assert_cmpfloat (fabs (x - y), <=, 5e-7 * fabs (x));
    }
  for (guint l = 0; l < a->n_layers; l++)
    for (guint i = 0; i < n_layer; i++)
      {
        double x = lab_record_layer_get (&a->layer[l], &lf[i]);
        double y = lab_record_layer_get (&b->layer[l], &lf[i]);

        if (isnan (x))
          g_assert_true (isnan (y));
        else
          g_assert_cmpfloat (fabs (x - y), <=, 6e-7 * fabs (x));
      }
}

static void
test_rows_round_trip (void)
{
  g_autoptr(GArray) rows = trainer_rows (60);
  g_autoptr(LabRowLog) back = lab_row_log_new (0);
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(LabRunRows) parser = lab_run_rows_new ("rows.jsonl", 3);
  guint evaluated = 0;

  for (guint i = 0; i < rows->len; i++)
    lab_record_json_row (text, &g_array_index (rows, LabStepStats, i));
  g_assert_cmpuint (lab_run_rows_feed (parser, text->str, text->len, G_MAXUINT, back), ==,
                    text->len);
  g_assert_cmpuint (lab_row_log_len (back), ==, rows->len);
  g_assert_cmpuint (lab_run_rows_skipped (parser, NULL), ==, 0);
  for (guint i = 0; i < rows->len; i++)
    {
      assert_row_close (&g_array_index (rows, LabStepStats, i),
                        lab_test_row (back, i));
      evaluated += isfinite (lab_test_row (back, i)->test_loss);
    }
  g_assert_cmpuint (evaluated, ==, 60 / 7);
}

/* A line is taken only once its '\n' is there, wherever it was cut. */
static void
test_rows_torn (void)
{
  static const char line[] =
    "{\"step\":7,\"loss\":1.234567,\"grad_norm\":[0.5,null],\"delta_norm\":[1e-3,2]}\n";
  gsize len = strlen (line);

  for (gsize cut = 0; cut < len; cut++)
    {
      g_autoptr(LabRunRows) parser = lab_run_rows_new ("rows.jsonl", 2);
      g_autoptr(LabRowLog) out = lab_row_log_new (0);
      g_autofree char *buf = g_strdup (line);
      gsize used = lab_run_rows_feed (parser, buf, cut, 10, out);
      const LabStepStats *st;

      g_assert_cmpuint (used, ==, 0);
      g_assert_cmpuint (lab_row_log_len (out), ==, 0);
      used = lab_run_rows_feed (parser, buf, len, 10, out);
      g_assert_cmpuint (used, ==, len);
      g_assert_cmpuint (lab_row_log_len (out), ==, 1);
      st = lab_test_row (out, 0);
      g_assert_cmpuint (st->step, ==, 7);
      g_assert_cmpfloat (st->loss, ==, 1.234567);
      g_assert_cmpfloat (st->layer[0].grad_norm, ==, 0.5f);
      g_assert_true (isnan (st->layer[1].grad_norm));
      g_assert_cmpfloat (st->layer[1].delta_norm, ==, 2.0f);
      g_assert_true (isnan (st->layer[0].weight_norm));   /* absent: NaN */
      g_assert_true (isnan (st->test_loss));
      g_assert_cmpuint (lab_run_rows_skipped (parser, NULL), ==, 0);
    }
}

/* Lines that cannot be used are skipped with a message naming the line; the others are read. */
static void
test_rows_bad (void)
{
  static const struct { const char *line; const char *msg; } cases[] = {
    { "{\"step\":2,\"grad_norm\":[1,2,3]}", "line 2: \"grad_norm\" has 3 values, but run.ini "
      "describes 2 layers" },
    { "{\"step\":3,\"loss\":NaN}", "identifier `NaN', expected value); JSON has no NaN or "
      "Infinity: write null" },
    { "[1,2]", "line 4: not a JSON object" },
    { "{\"loss\":1}", "line 5: no \"step\": every row has one" },
    { "{\"step\":1}", "line 6: step 1 after step 1: steps must increase" },
    { "{\"step\":-4}", "line 7: \"step\" must be a whole number from 0" },
    { "{\"step\":8.5}", "line 8: \"step\" must be a whole number from 0" },
    { "{\"step\":9,\"loss\":\"low\"}", "line 9: \"loss\" must be a number or null" },
    { "{\"step\":10,\"act_std\":{\"a\":1}}", "line 10: \"act_std\" must be an array" },
    { "{\"step\":11,\"act_std\":[1,true]}", "line 11: \"act_std\" value 2 must be a number or "
      "null" },
    { "{\"step\":12,\"epoch\":99999999999}", "line 12: \"epoch\" must be a whole number from 0 "
      "to 4294967295" },
    { "{\"step\":13,\"x\":[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]}", "line 13: nested deeper "
      "than 8 levels: not a row" },
    { "{\"step\":14", "line 14: not valid JSON" },
    { "{\"step\":15}{\"step\":16}", "line 15: more than one JSON value on the line" },
    { "true{\"step\":16}", "line 16: not a JSON object" },
    { "{\"step\":17,\"s\":\"}{[\\\"\"} 5", "line 17: more than one JSON value on the line" },
  };
  g_autoptr(LabRunRows) parser = lab_run_rows_new ("rows.jsonl", 2);
  g_autoptr(LabRowLog) out = lab_row_log_new (0);
  g_autoptr(GString) text = g_string_new ("{\"step\":1,\"x-unknown\":[1,2,3]}\n");
  const char *problem;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_string_append_printf (text, "%s\n", cases[i].line);
      g_assert_cmpuint (lab_run_rows_feed (parser, text->str, text->len, 100, out), ==,
                        text->len);
      g_string_truncate (text, 0);
      g_assert_cmpuint (lab_run_rows_skipped (parser, &problem), ==, i + 1);
      g_test_message ("%s", problem);
      g_assert_true (g_str_has_prefix (problem, "rows.jsonl: "));
      g_assert_nonnull (strstr (problem, cases[i].msg));
    }
  /* blank lines count as lines and are nothing else; good rows go on being read */
  g_string_append (text, "\n  \n{\"step\":20,\"loss\":1e400,\"act_mean\":[1e39,-2],"
                         "\"epoch\":null}  \n");
  lab_run_rows_feed (parser, text->str, text->len, 100, out);
  g_assert_cmpuint (lab_row_log_len (out), ==, 2);
  g_assert_cmpuint (lab_test_row (out, 0)->step, ==, 1);
  g_assert_cmpuint (lab_test_row (out, 1)->step, ==, 20);
  g_assert_true (isnan (lab_test_row (out, 1)->loss));            /* inf */
  g_assert_true (isnan (lab_test_row (out, 1)->layer[0].act_mean));  /* > FLT_MAX */
  g_assert_cmpfloat (lab_test_row (out, 1)->layer[1].act_mean, ==, -2.0f);
  g_assert_cmpuint (lab_run_rows_lines (parser), ==, G_N_ELEMENTS (cases) + 4);
}

/* A line longer than LAB_RUN_MAX_LINE is skipped unread, also before its end arrives. */
static void
test_rows_long_line (void)
{
  g_autoptr(LabRunRows) parser = lab_run_rows_new ("rows.jsonl", 1);
  g_autoptr(LabRowLog) out = lab_row_log_new (0);
  gsize n = LAB_RUN_MAX_LINE + 10;
  g_autofree char *junk = g_malloc (n);
  const char *problem;
  static const char next[] = "xyz\n{\"step\":5}\n";

  memset (junk, ' ', n);
  junk[0] = '{';
  g_assert_cmpuint (lab_run_rows_feed (parser, junk, n, 10, out), ==, n);
  g_assert_cmpuint (lab_run_rows_skipped (parser, &problem), ==, 1);
  g_assert_nonnull (strstr (problem, "line 1: longer than 1048576 bytes: not a row"));
  g_assert_cmpuint (lab_run_rows_feed (parser, next, strlen (next), 10, out), ==,
                    strlen (next));
  g_assert_cmpuint (lab_row_log_len (out), ==, 1);
  g_assert_cmpuint (lab_test_row (out, 0)->step, ==, 5);
  g_assert_cmpuint (lab_run_rows_lines (parser), ==, 2);
}

/* At most max_rows per feed; the rest waits. */
static void
test_rows_max (void)
{
  g_autoptr(LabRunRows) parser = lab_run_rows_new ("rows.jsonl", 1);
  g_autoptr(LabRowLog) out = lab_row_log_new (0);
  static const char text[] = "{\"step\":1}\n{\"step\":2}\n{\"step\":3}\n";
  gsize used;

  used = lab_run_rows_feed (parser, text, strlen (text), 2, out);
  g_assert_cmpuint (lab_row_log_len (out), ==, 2);
  g_assert_cmpuint (used, ==, 22);
  used += lab_run_rows_feed (parser, text + used, strlen (text) - used, 2, out);
  g_assert_cmpuint (lab_row_log_len (out), ==, 3);
  g_assert_cmpuint (used, ==, strlen (text));
}

/* Many lines in one feed (parsed on several threads) give what the same lines fed one at a
 * time give: the same rows in order, the same lines skipped, the same last message. */
static void
test_rows_parallel (void)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(LabRunRows) one = lab_run_rows_new ("rows.jsonl", 2);
  g_autoptr(LabRunRows) many = lab_run_rows_new ("rows.jsonl", 2);
  g_autoptr(LabRowLog) a = lab_row_log_new (0);
  g_autoptr(LabRowLog) b = lab_row_log_new (0);
  const char *pa, *pb;
  gsize pos = 0;

  for (guint s = 1; s <= 6000; s++)
    {
      if (s % 997 == 0)
        g_string_append (text, "{\"step\":1}\n");             /* a step that goes back */
      else if (s % 1009 == 0)
        g_string_append (text, "{\"step\":5,\"loss\":[1]}\n");  /* not a number */
      else if (s % 1013 == 0)
        g_string_append (text, "\n");
      g_string_append_printf (text, "{\"step\":%u,\"loss\":%u.5,\"grad_norm\":[%u,null]}\n", s,
                              s, s % 7);
    }
  g_assert_cmpuint (lab_run_rows_feed (many, text->str, text->len, G_MAXUINT, b), ==, text->len);
  while (pos < text->len)
    pos += lab_run_rows_feed (one, text->str + pos, text->len - pos, 1, a);
  g_assert_cmpuint (lab_row_log_len (a), ==, 6000);
  g_assert_cmpuint (lab_row_log_len (b), ==, lab_row_log_len (a));
  for (guint i = 0; i < lab_row_log_len (a); i++)
    {
      const LabStepStats *x = lab_test_row (a, i);
      const LabStepStats *y = lab_test_row (b, i);

      g_assert_cmpuint (x->step, ==, i + 1);
      g_assert_cmpuint (y->step, ==, x->step);
      g_assert_cmpfloat (y->loss, ==, x->loss);
      g_assert_cmpfloat (y->layer[0].grad_norm, ==, x->layer[0].grad_norm);
      g_assert_true (isnan (y->layer[1].grad_norm));
    }
  g_assert_cmpuint (lab_run_rows_skipped (one, &pa), ==, 6 + 5);
  g_assert_cmpuint (lab_run_rows_skipped (many, &pb), ==, 6 + 5);
  g_assert_cmpstr (pa, ==, pb);
  g_assert_cmpuint (lab_run_rows_lines (one), ==, lab_run_rows_lines (many));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/rundir/manifest/fields", test_manifest_fields);
  g_test_add_func ("/rundir/manifest/round-trip", test_manifest_round_trip);
  g_test_add_func ("/rundir/manifest/refusals", test_manifest_refusals);
  g_test_add_func ("/rundir/manifest/too-many-layers", test_manifest_too_many_layers);
  g_test_add_func ("/rundir/manifest/from-heavy", test_manifest_from_heavy);
  g_test_add_func ("/rundir/rows/round-trip", test_rows_round_trip);
  g_test_add_func ("/rundir/rows/torn", test_rows_torn);
  g_test_add_func ("/rundir/rows/bad", test_rows_bad);
  g_test_add_func ("/rundir/rows/long-line", test_rows_long_line);
  g_test_add_func ("/rundir/rows/max", test_rows_max);
  g_test_add_func ("/rundir/rows/parallel", test_rows_parallel);

  return g_test_run ();
}
