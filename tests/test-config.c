/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * test-config.c: the settings file. Defaults and every shipped preset are valid; a config
 * written with lab_config_to_data() loads back equal field by field; lab_config_set() goes
 * through the same per-key code; each kind of bad input is refused with an error that names
 * the key, and a refused load leaves the config as it was.
 */
#define G_LOG_DOMAIN "lab-test"
#include "config.h"

#include <math.h>
#include <string.h>

#include "lab-config.h"
#include "lab-error.h"
#include "lab-test-utils.h"

static const char * const preset_names[] = {
  "spiral", "vanishing-sigmoid", "relu-he", "tanh-xavier", "residual-sigmoid",
  "exploding", "exploding-clipped", "seed-example", "fashion-mlp",
};

/* Field-by-field equality; activations compared over the hidden layers that exist. */
static void
assert_config_equal (const LabConfig *a,
                     const LabConfig *b)
{
  const LabDataConfig *da = &a->data, *db = &b->data;
  const LabModelConfig *ma = &a->model, *mb = &b->model;
  const LabTrainConfig *ta = &a->train, *tb = &b->train;
  const LabPruneConfig *pa = &a->prune, *pb = &b->prune;

  g_assert_cmpint (da->source, ==, db->source);
  g_assert_cmpstr (da->path, ==, db->path);
  g_assert_cmpint (da->shuffle, ==, db->shuffle);
  g_assert_cmpuint (da->train_limit, ==, db->train_limit);
  g_assert_cmpuint (da->test_limit, ==, db->test_limit);
  g_assert_cmpuint (da->n_train, ==, db->n_train);
  g_assert_cmpuint (da->n_test, ==, db->n_test);
  g_assert_cmpuint (da->n_classes, ==, db->n_classes);
  g_assert_cmpfloat (da->noise, ==, db->noise);
  g_assert_cmpfloat (da->test_fraction, ==, db->test_fraction);
  g_assert_cmpint (da->csv_header, ==, db->csv_header);
  g_assert_cmpint (da->csv_label_column, ==, db->csv_label_column);

  g_assert_cmpuint (ma->n_hidden, ==, mb->n_hidden);
  for (guint i = 0; i < ma->n_hidden; i++)
    {
      g_assert_cmpuint (ma->hidden[i], ==, mb->hidden[i]);
      g_assert_cmpint (ma->act[i], ==, mb->act[i]);
    }
  g_assert_cmpint (ma->init, ==, mb->init);
  g_assert_cmpfloat (ma->init_scale, ==, mb->init_scale);
  g_assert_cmpfloat (ma->bias_init, ==, mb->bias_init);
  g_assert_cmpint (ma->residual, ==, mb->residual);
  g_assert_cmpint (ma->loss, ==, mb->loss);

  g_assert_cmpint (ta->optimizer, ==, tb->optimizer);
  g_assert_cmpfloat (ta->lr, ==, tb->lr);
  g_assert_cmpfloat (ta->momentum, ==, tb->momentum);
  g_assert_cmpfloat (ta->beta1, ==, tb->beta1);
  g_assert_cmpfloat (ta->beta2, ==, tb->beta2);
  g_assert_cmpfloat (ta->eps, ==, tb->eps);
  g_assert_cmpfloat (ta->weight_decay, ==, tb->weight_decay);
  g_assert_cmpint (ta->schedule, ==, tb->schedule);
  g_assert_cmpfloat (ta->gamma, ==, tb->gamma);
  g_assert_cmpuint (ta->step_epochs, ==, tb->step_epochs);
  g_assert_cmpfloat (ta->lr_min, ==, tb->lr_min);
  g_assert_cmpuint (ta->batch, ==, tb->batch);
  g_assert_cmpuint (ta->epochs, ==, tb->epochs);
  g_assert_cmpuint (ta->steps, ==, tb->steps);
  g_assert_cmpuint (ta->seed, ==, tb->seed);
  g_assert_cmpuint (ta->threads, ==, tb->threads);
  g_assert_cmpuint (ta->eval_every, ==, tb->eval_every);

  g_assert_cmpint (a->clip.mode, ==, b->clip.mode);
  g_assert_cmpfloat (a->clip.value, ==, b->clip.value);

  g_assert_cmpint (pa->enabled, ==, pb->enabled);
  g_assert_cmpint (pa->spec.criterion, ==, pb->spec.criterion);
  g_assert_cmpint (pa->spec.scope, ==, pb->spec.scope);
  g_assert_cmpint (pa->spec.structure, ==, pb->spec.structure);
  g_assert_cmpint (pa->spec.output, ==, pb->spec.output);
  g_assert_cmpfloat (pa->spec.target, ==, pb->spec.target);
  g_assert_cmpint (pa->spec.threshold_mode, ==, pb->spec.threshold_mode);
  g_assert_cmpfloat (pa->spec.threshold, ==, pb->spec.threshold);
  g_assert_cmpint (pa->spec.prune_biases, ==, pb->spec.prune_biases);
  g_assert_cmpuint (pa->spec.seed, ==, pb->spec.seed);
  g_assert_cmpint (pa->schedule, ==, pb->schedule);
  g_assert_cmpuint (pa->at_step, ==, pb->at_step);
  g_assert_cmpuint (pa->rounds, ==, pb->rounds);
  g_assert_cmpfloat (pa->rate, ==, pb->rate);
  g_assert_cmpuint (pa->retrain_epochs, ==, pb->retrain_epochs);
  g_assert_cmpuint (pa->begin_step, ==, pb->begin_step);
  g_assert_cmpuint (pa->end_step, ==, pb->end_step);
  g_assert_cmpuint (pa->frequency, ==, pb->frequency);
  g_assert_cmpfloat (pa->initial, ==, pb->initial);
  g_assert_cmpint (pa->rewind, ==, pb->rewind);
  g_assert_cmpuint (pa->rewind_step, ==, pb->rewind_step);
  g_assert_cmpint (pa->compact, ==, pb->compact);
  g_assert_cmpuint (pa->score_batches, ==, pb->score_batches);
}

/* to_data → load on top of the defaults gives @cfg back. */
static void
assert_round_trip (const LabConfig *cfg)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *again = NULL;
  LabConfig back;
  gsize length;

  text = lab_config_to_data (cfg, &length);
  g_assert_nonnull (text);
  g_assert_cmpuint (length, ==, strlen (text));
  g_assert_true (g_str_has_prefix (text, "# Gradient Lab settings\n"));

  lab_config_init_defaults (&back);
  g_assert_true (lab_config_load_data (&back, text, length, "round-trip.ini", &error));
  g_assert_no_error (error);
  assert_config_equal (cfg, &back);

  /* And the text is stable. */
  again = lab_config_to_data (&back, NULL);
  g_assert_cmpstr (text, ==, again);
  lab_config_clear (&back);
}

/* Loads @text on top of the defaults, expects @code and every needle in the message, and
 * checks that the config was left untouched. */
static void
assert_load_fails (const char *text,
                   int         code,
                   const char *needle1,
                   const char *needle2)
{
  g_autoptr(GError) error = NULL;
  LabConfig cfg, before;

  lab_config_init_defaults (&cfg);
  g_assert_true (lab_config_set (&cfg, "data.path", "/some/where", NULL));
  lab_config_copy (&before, &cfg);

  g_assert_false (lab_config_load_data (&cfg, text, strlen (text), "bad.ini", &error));
  g_assert_error (error, LAB_ENGINE_ERROR, code);
  if (g_test_verbose ())
    g_test_message ("%s", error->message);
  g_assert_true (g_str_has_prefix (error->message, "bad.ini: "));
  if (needle1 != NULL && strstr (error->message, needle1) == NULL)
    g_error ("'%s' not in \"%s\"", needle1, error->message);
  if (needle2 != NULL && strstr (error->message, needle2) == NULL)
    g_error ("'%s' not in \"%s\"", needle2, error->message);

  assert_config_equal (&before, &cfg);
  lab_config_clear (&before);
  lab_config_clear (&cfg);
}

static void
test_defaults (void)
{
  g_autoptr(GError) error = NULL;
  LabConfig cfg;

  lab_config_init_defaults (&cfg);
  g_assert_true (lab_config_validate (&cfg, &error));
  g_assert_no_error (error);

  g_assert_cmpint (cfg.data.source, ==, LAB_DATA_SPIRAL);
  g_assert_null (cfg.data.path);
  g_assert_cmpuint (cfg.data.n_train, ==, 1000);
  g_assert_cmpuint (cfg.data.n_classes, ==, 3);
  g_assert_cmpuint (cfg.model.n_hidden, ==, 2);
  g_assert_cmpuint (cfg.model.hidden[0], ==, 16);
  g_assert_cmpint (cfg.model.act[1], ==, LAB_ACT_RELU);
  g_assert_cmpint (cfg.model.init, ==, LAB_INIT_HE_NORMAL);
  g_assert_cmpint (cfg.model.loss, ==, LAB_LOSS_SOFTMAX_CE);
  g_assert_cmpint (cfg.train.optimizer, ==, LAB_OPTIM_SGD);
  g_assert_cmpfloat (cfg.train.lr, ==, 0.1);
  g_assert_cmpuint (cfg.train.batch, ==, 64);
  g_assert_cmpuint (cfg.train.seed, ==, 1);
  g_assert_cmpuint (cfg.prune.spec.seed, ==, 1);
  g_assert_cmpfloat (cfg.prune.spec.target, ==, 0.9);
  g_assert_cmpuint (cfg.prune.rounds, ==, 5);
  g_assert_false (cfg.prune.enabled);

  assert_round_trip (&cfg);
  lab_config_clear (&cfg);
}

static void
test_presets (void)
{
  g_auto(GStrv) names = lab_config_list_presets ();

  g_assert_nonnull (names);
  g_assert_cmpuint (g_strv_length (names), >=, G_N_ELEMENTS (preset_names));
  for (guint i = 0; i < G_N_ELEMENTS (preset_names); i++)
    g_assert_true (g_strv_contains ((const char * const *) names, preset_names[i]));
  for (guint i = 1; names[i] != NULL; i++)
    g_assert_cmpint (strcmp (names[i - 1], names[i]), <, 0);

  for (guint i = 0; names[i] != NULL; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *summary = lab_config_preset_summary (names[i]);
      LabConfig cfg;

      g_assert_nonnull (summary);
      g_assert_cmpuint (strlen (summary), >, 10);
      g_assert_false (g_str_has_prefix (summary, "#"));

      lab_config_init_defaults (&cfg);
      if (!lab_config_load_preset (&cfg, names[i], &error))
        g_error ("preset %s: %s", names[i], error->message);
      g_assert_true (lab_config_validate (&cfg, &error));
      g_assert_no_error (error);
      assert_round_trip (&cfg);
      lab_config_clear (&cfg);
    }

  g_assert_null (lab_config_preset_summary ("no-such-preset"));
}

static void
test_preset_contents (void)
{
  g_autoptr(GError) error = NULL;
  LabConfig cfg;

  lab_config_init_defaults (&cfg);
  g_assert_true (lab_config_load_preset (&cfg, "vanishing-sigmoid", &error));
  g_assert_no_error (error);
  g_assert_cmpint (cfg.data.source, ==, LAB_DATA_FASHION_MNIST);
  g_assert_cmpuint (cfg.model.n_hidden, ==, 10);
  for (guint i = 0; i < 10; i++)
    {
      g_assert_cmpuint (cfg.model.hidden[i], ==, 64);
      g_assert_cmpint (cfg.model.act[i], ==, LAB_ACT_SIGMOID);
    }
  g_assert_cmpint (cfg.model.init, ==, LAB_INIT_UNIFORM);
  g_assert_false (cfg.model.residual);

  /* Presets are partial: loading another one on top changes only what it names. */
  g_assert_true (lab_config_load_preset (&cfg, "exploding-clipped", &error));
  g_assert_no_error (error);
  g_assert_cmpint (cfg.clip.mode, ==, LAB_CLIP_NORM);
  g_assert_cmpfloat (cfg.model.init_scale, ==, 3.0);
  g_assert_cmpint (cfg.model.act[9], ==, LAB_ACT_RELU);

  g_assert_true (lab_config_load_preset (&cfg, "residual-sigmoid", &error));
  g_assert_no_error (error);
  g_assert_true (cfg.model.residual);

  g_assert_true (lab_config_load_preset (&cfg, "fashion-mlp", &error));
  g_assert_no_error (error);
  g_assert_cmpuint (cfg.model.n_hidden, ==, 2);
  g_assert_cmpuint (cfg.model.hidden[0], ==, 256);
  g_assert_cmpuint (cfg.model.hidden[1], ==, 128);

  /* Unknown preset: INVALID, listing the ones there are; cfg untouched. */
  g_assert_false (lab_config_load_preset (&cfg, "spiarl", &error));
  g_assert_error (error, LAB_ENGINE_ERROR, LAB_ENGINE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "spiarl"));
  g_assert_nonnull (strstr (error->message, "spiral"));
  g_assert_nonnull (strstr (error->message, "fashion-mlp"));
  g_assert_cmpuint (cfg.model.hidden[0], ==, 256);
  lab_config_clear (&cfg);
}

static void
test_round_trip_odd (void)
{
  g_autoptr(GError) error = NULL;
  const char *odd =
    "[data]\n"
    "source = csv\n"
    "path =  \\s/tmp/some dir/with \\\\ backslash and ; semicolon.csv\n"
    "shuffle = false\n"
    "train_limit = 123\n"
    "test_fraction = 0.30000000000000004\n"
    "csv_header = no\n"
    "csv_label_column = -1\n"
    "[model]\n"
    "hidden = 7, 5 ,3\n"
    "activations = tanh,elu,leaky-relu\n"
    "init = lecun\n"
    "init_scale = 0.1\n"
    "bias_init = -0.01\n"
    "loss = mse\n"
    "[train]\n"
    "optimizer = nesterov\n"
    "lr = 3.0000000000000004e-05\n"
    "momentum = 0.95\n"
    "eps = 1e-300\n"
    "weight_decay = 5e-4\n"
    "schedule = cosine\n"
    "lr_min = 1e-7\n"
    "batch = 65536\n"
    "epochs = 0\n"
    "steps = 18446744073709551615\n"
    "seed = 18446744073709551615\n"
    "threads = 3\n"
    "eval_every = 250\n"
    "[clip]\n"
    "mode = value\n"
    "value = 0.5\n"
    "[prune]\n"
    "criterion = saliency\n"
    "scope = global\n"
    "structure = neuron\n"
    "output = half\n"
    "target = 0.8\n"
    "schedule = gradual\n"
    "begin_step = 10\n"
    "end_step = 20\n"
    "frequency = 2\n"
    "initial = 0.1\n"
    "rewind = step:7\n"
    "compact = true\n"
    "score_batches = 3\n"
    "prune_biases = true\n";
  LabConfig cfg;

  lab_config_init_defaults (&cfg);
  if (!lab_config_load_data (&cfg, odd, strlen (odd), "odd.ini", &error))
    g_error ("%s", error->message);

  g_assert_cmpstr (cfg.data.path, ==, " /tmp/some dir/with \\ backslash and ; semicolon.csv");
  g_assert_cmpint (cfg.data.csv_label_column, ==, -1);
  g_assert_false (cfg.data.csv_header);
  g_assert_cmpuint (cfg.model.n_hidden, ==, 3);
  g_assert_cmpuint (cfg.model.hidden[1], ==, 5);
  g_assert_cmpint (cfg.model.act[0], ==, LAB_ACT_TANH);
  g_assert_cmpint (cfg.model.act[1], ==, LAB_ACT_ELU);
  g_assert_cmpint (cfg.model.act[2], ==, LAB_ACT_LEAKY_RELU);
  g_assert_cmpfloat (cfg.train.lr, ==, 3.0000000000000004e-05);
  g_assert_cmpfloat (cfg.train.lr, !=, 3e-05);
  g_assert_cmpuint (cfg.train.seed, ==, G_MAXUINT64);
  g_assert_cmpuint (cfg.prune.spec.seed, ==, G_MAXUINT64);
  g_assert_true (cfg.prune.enabled);   /* a schedule turns pruning on */
  g_assert_cmpint (cfg.prune.rewind, ==, LAB_REWIND_STEP);
  g_assert_cmpuint (cfg.prune.rewind_step, ==, 7);
  assert_round_trip (&cfg);

  /* A threshold without a mode is absolute; a mode given wins; pruning can be turned off. */
  g_assert_true (lab_config_set (&cfg, "prune.threshold", "0.25", &error));
  g_assert_cmpint (cfg.prune.spec.threshold_mode, ==, LAB_PRUNE_THRESHOLD_ABSOLUTE);
  g_assert_true (lab_config_set (&cfg, "prune.threshold_mode", "std", &error));
  g_assert_true (lab_config_set (&cfg, "prune.threshold", "1.5", &error));
  g_assert_cmpint (cfg.prune.spec.threshold_mode, ==, LAB_PRUNE_THRESHOLD_STD);
  g_assert_true (lab_config_set (&cfg, "prune.enabled", "false", &error));
  g_assert_true (lab_config_set (&cfg, "prune.rewind", "init", &error));
  g_assert_true (lab_config_set (&cfg, "model.hidden", "", &error));
  g_assert_no_error (error);
  g_assert_cmpuint (cfg.model.n_hidden, ==, 0);
  assert_round_trip (&cfg);

  lab_config_clear (&cfg);
}

static void
test_set (void)
{
  g_autoptr(GError) error = NULL;
  LabConfig cfg;

  lab_config_init_defaults (&cfg);

  g_assert_true (lab_config_set (&cfg, "train.lr", "0.01", &error));
  g_assert_no_error (error);
  g_assert_cmpfloat (cfg.train.lr, ==, 0.01);

  g_assert_true (lab_config_set_assignment (&cfg, "train.lr=0.02", &error));
  g_assert_no_error (error);
  g_assert_cmpfloat (cfg.train.lr, ==, 0.02);

  g_assert_true (lab_config_set_assignment (&cfg, " model.hidden = 8,4,2 ", &error));
  g_assert_no_error (error);
  g_assert_cmpuint (cfg.model.n_hidden, ==, 3);
  g_assert_true (lab_config_set_assignment (&cfg, "model.activation=tanh", &error));
  g_assert_cmpint (cfg.model.act[2], ==, LAB_ACT_TANH);
  g_assert_true (lab_config_set_assignment (&cfg, "model.activations=relu,sigmoid,elu", &error));
  g_assert_no_error (error);
  g_assert_cmpint (cfg.model.act[1], ==, LAB_ACT_SIGMOID);

  g_assert_true (lab_config_set_assignment (&cfg, "train.seed=42", &error));
  g_assert_cmpuint (cfg.prune.spec.seed, ==, 42);
  g_assert_true (lab_config_set_assignment (&cfg, "data.path=/x/y=z", &error));
  g_assert_cmpstr (cfg.data.path, ==, "/x/y=z");
  g_assert_true (lab_config_set_assignment (&cfg, "data.path=", &error));
  g_assert_null (cfg.data.path);
  g_assert_true (lab_config_set_assignment (&cfg, "prune.schedule=oneshot", &error));
  g_assert_true (cfg.prune.enabled);
  g_assert_true (lab_config_set_assignment (&cfg, "data.source=FASHION-MNIST", &error));
  g_assert_cmpint (cfg.data.source, ==, LAB_DATA_FASHION_MNIST);
  g_assert_no_error (error);

  /* Failures: same messages as the file, config unchanged. */
  g_assert_false (lab_config_set (&cfg, "train.lr", "-1", &error));
  g_assert_error (error, LAB_ENGINE_ERROR, LAB_ENGINE_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==, "[train] lr = '-1': must be a number > 0 and ≤ 100");
  g_clear_error (&error);
  g_assert_cmpfloat (cfg.train.lr, ==, 0.02);

  g_assert_false (lab_config_set_assignment (&cfg, "train.lr", &error));
  g_assert_error (error, LAB_ENGINE_ERROR, LAB_ENGINE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (lab_config_set_assignment (&cfg, "lr=0.1", &error));
  g_assert_error (error, LAB_ENGINE_ERROR, LAB_ENGINE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (lab_config_set_assignment (&cfg, "train.batchh=3", &error));
  g_assert_error (error, LAB_ENGINE_ERROR, LAB_ENGINE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "did you mean 'batch'?"));
  g_clear_error (&error);
  g_assert_false (lab_config_set_assignment (&cfg, "model.lr=3", &error));
  g_assert_nonnull (strstr (error->message, "[train]"));
  g_clear_error (&error);
  g_assert_false (lab_config_set_assignment (&cfg, "model.activations=relu,relu", &error));
  g_assert_error (error, LAB_ENGINE_ERROR, LAB_ENGINE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "activations"));
  g_clear_error (&error);
  g_assert_cmpint (cfg.model.act[1], ==, LAB_ACT_SIGMOID);

  lab_config_clear (&cfg);
}

static void
test_bad_input (void)
{
  int INVALID = LAB_ENGINE_ERROR_INVALID, FORMAT = LAB_ENGINE_ERROR_FORMAT;

  /* Syntax. */
  assert_load_fails ("[model\nhidden = 3\n", FORMAT, NULL, NULL);
  assert_load_fails ("hidden = 3\n", FORMAT, NULL, NULL);
  assert_load_fails ("[model]\njust some words\n", FORMAT, NULL, NULL);

  /* Unknown names. */
  assert_load_fails ("[model]\nactvation = relu\n", INVALID,
                     "[model] unknown key 'actvation'", "did you mean 'activation'?");
  assert_load_fails ("[model]\nzzzzzzzz = relu\n", INVALID, "unknown key 'zzzzzzzz'", NULL);
  assert_load_fails ("[modle]\nhidden = 3\n", INVALID, "unknown section [modle]", "[model]");
  assert_load_fails ("[optimizer]\nlr = 3\n", INVALID, "unknown section [optimizer]", NULL);

  /* Enums. */
  assert_load_fails ("[model]\nactivation = sigmod\n", INVALID,
                     "[model] activation = 'sigmod'",
                     "must be one of sigmoid|tanh|relu|leaky-relu|elu|linear");
  assert_load_fails ("[train]\noptimizer = adamw\n", INVALID, "optimizer = 'adamw'",
                     "sgd|momentum|nesterov|adam");
  assert_load_fails ("[data]\nsource = mnist\n", INVALID, "source = 'mnist'", "fashion-mnist");
  assert_load_fails ("[prune]\nrewind = step:\n", INVALID, "rewind = 'step:'", "step:K");
  assert_load_fails ("[prune]\nrewind = step:-3\n", INVALID, "rewind", NULL);
  assert_load_fails ("[data]\nshuffle = maybe\n", INVALID, "shuffle = 'maybe'", "true or false");

  /* Numbers: not numbers, trailing garbage, empty, NaN/Inf, overflow, range. */
  assert_load_fails ("[train]\nlr = fast\n", INVALID, "[train] lr = 'fast'", "> 0 and ≤ 100");
  assert_load_fails ("[train]\nlr = 0.1x\n", INVALID, "[train] lr = '0.1x'", NULL);
  assert_load_fails ("[train]\nlr =\n", INVALID, "[train] lr = ''", NULL);
  assert_load_fails ("[train]\nlr = nan\n", INVALID, "lr = 'nan'", NULL);
  assert_load_fails ("[train]\nlr = inf\n", INVALID, "lr = 'inf'", NULL);
  assert_load_fails ("[train]\nlr = 1e999\n", INVALID, "lr = '1e999'", NULL);
  assert_load_fails ("[train]\nlr = -1\n", INVALID,
                     "[train] lr = '-1': must be a number > 0 and ≤ 100", NULL);
  assert_load_fails ("[train]\nlr = 0\n", INVALID, "lr = '0'", NULL);
  assert_load_fails ("[train]\nmomentum = 1\n", INVALID, "momentum = '1'", "< 1");
  assert_load_fails ("[train]\nbatch = 99999999999999999999\n", INVALID,
                     "[train] batch = '99999999999999999999'", "from 1 to 65536");
  assert_load_fails ("[train]\nbatch = 65537\n", INVALID, "batch = '65537'", NULL);
  assert_load_fails ("[train]\nbatch = 0\n", INVALID, "batch = '0'", NULL);
  assert_load_fails ("[train]\nbatch = -1\n", INVALID, "batch = '-1'", NULL);
  assert_load_fails ("[train]\nbatch = 3.5\n", INVALID, "batch = '3.5'", NULL);
  assert_load_fails ("[train]\nbatch = 0x10\n", INVALID, "batch = '0x10'", NULL);
  assert_load_fails ("[train]\nseed = 18446744073709551616\n", INVALID, "seed", NULL);
  assert_load_fails ("[train]\nthreads = 257\n", INVALID, "threads = '257'", NULL);
  assert_load_fails ("[data]\nn_classes = 9\n", INVALID, "n_classes = '9'", "from 2 to 8");
  assert_load_fails ("[data]\ncsv_label_column = 1.5\n", INVALID, "csv_label_column", NULL);
  assert_load_fails ("[prune]\ntarget = 1\n", INVALID, "[prune] target = '1'", "< 1");
  assert_load_fails ("[prune]\nrate = 0\n", INVALID, "[prune] rate = '0'", NULL);
  assert_load_fails ("[prune]\nrounds = 101\n", INVALID, "[prune] rounds", NULL);
  assert_load_fails ("[clip]\nvalue = 0\n", INVALID, "[clip] value = '0'", "> 0");

  /* Shapes. */
  assert_load_fails ("[model]\nhidden = 1000000000\n", INVALID, "[model] hidden", "4096");
  assert_load_fails ("[model]\nhidden = 64,0\n", INVALID, "[model] hidden", NULL);
  assert_load_fails ("[model]\nhidden = 64,,8\n", INVALID, "[model] hidden", NULL);
  assert_load_fails ("[model]\nhidden = 64 32\n", INVALID, "[model] hidden", NULL);
  assert_load_fails ("[model]\nhidden = 1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,"
                     "1,1,1,1,1\n", INVALID, "[model] hidden", "32");
  assert_load_fails ("[model]\nhidden = 4096,4096,4096,4096,4096,4096,4096,4096,4096,4096,"
                     "4096,4096,4096,4096,4096\n", INVALID, "[model] hidden", "200 million");
  assert_load_fails ("[model]\nhidden = 8,8\nactivations = relu,tanh,relu\n", INVALID,
                     "[model] activations", "3 names for 2 hidden layers");
  assert_load_fails ("[model]\nactivations = relu,tanh,relu\n", INVALID,
                     "[model] activations", NULL);
  assert_load_fails ("[model]\nactivations = relu,tanhh\n", INVALID,
                     "[model] activations", "tanhh");

  /* Cross-key checks. */
  assert_load_fails ("[data]\nsource = idx\npath =\n", INVALID, "[data] source = idx",
                     "[data] path");
  assert_load_fails ("[data]\npath =\nsource = csv\n", INVALID, "[data] path", NULL);
  assert_load_fails ("[train]\nepochs = 0\n", INVALID, "epochs", "steps");
  assert_load_fails ("[data]\nsource = xor\n", INVALID, "xor", "n_classes");
  assert_load_fails ("[prune]\nschedule = gradual\nbegin_step = 50\nend_step = 50\n", INVALID,
                     "begin_step", NULL);
  assert_load_fails ("[prune]\nschedule = gradual\ninitial = 0.95\n", INVALID, "initial", NULL);
  assert_load_fails ("[train]\nschedule = cosine\nlr = 0.01\nlr_min = 0.1\n", INVALID, "lr_min",
                     NULL);

  /* A later error undoes earlier good keys of the same file. */
  assert_load_fails ("[train]\nlr = 0.5\nbatch = 8\n[model]\nhidden = 3,x\n", INVALID, "hidden",
                     NULL);
}

static void
test_load_order (void)
{
  g_autoptr(GError) error = NULL;
  const char *text =
    "[model]\nactivations = tanh,sigmoid\nhidden = 5,6\n"
    "[data]\nsource = xor\nn_classes = 2\n"
    "[train]\nepochs = 0\nsteps = 10\n";
  LabConfig cfg;

  lab_config_init_defaults (&cfg);
  g_assert_true (lab_config_load_data (&cfg, text, strlen (text), NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (cfg.model.act[1], ==, LAB_ACT_SIGMOID);
  g_assert_cmpint (cfg.data.source, ==, LAB_DATA_XOR);
  /* Later keys win. */
  g_assert_true (lab_config_load_data (&cfg, "[train]\nlr = 1\nlr = 2\n", (gsize) -1, NULL,
                                       &error));
  g_assert_no_error (error);
  g_assert_cmpfloat (cfg.train.lr, ==, 2);
  /* Unnamed data: no file prefix. */
  g_assert_false (lab_config_load_data (&cfg, "[train]\nlr = 0\n", (gsize) -1, NULL, &error));
  g_assert_true (g_str_has_prefix (error->message, "[train] lr"));
  lab_config_clear (&cfg);
}

static void
test_validate_direct (void)
{
  g_autoptr(GError) error = NULL;
  LabConfig cfg;

  /* A struct filled by hand goes through the same checks as a file. */
  lab_config_init_defaults (&cfg);
  cfg.model.hidden[0] = 1000000000;
  g_assert_false (lab_config_validate (&cfg, &error));
  g_assert_error (error, LAB_ENGINE_ERROR, LAB_ENGINE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "4096"));
  g_clear_error (&error);

  lab_config_init_defaults (&cfg);
  cfg.model.n_hidden = 1000;
  g_assert_false (lab_config_validate (&cfg, &error));
  g_assert_error (error, LAB_ENGINE_ERROR, LAB_ENGINE_ERROR_INVALID);
  g_clear_error (&error);

  lab_config_init_defaults (&cfg);
  cfg.train.lr = NAN;
  g_assert_false (lab_config_validate (&cfg, &error));
  g_assert_nonnull (strstr (error->message, "[train] lr"));
  g_clear_error (&error);

  lab_config_init_defaults (&cfg);
  cfg.model.init = 99;
  g_assert_false (lab_config_validate (&cfg, &error));
  g_assert_nonnull (strstr (error->message, "[model] init"));
  g_clear_error (&error);

  lab_config_init_defaults (&cfg);
  cfg.train.batch = 0;
  g_assert_false (lab_config_validate (&cfg, &error));
  g_assert_nonnull (strstr (error->message, "[train] batch"));
  g_clear_error (&error);
}

static void
test_copy_shape (void)
{
  LabConfig a, b;
  LabMlpShape shape;

  lab_config_init_defaults (&a);
  g_assert_true (lab_config_set (&a, "data.path", "/p", NULL));
  g_assert_true (lab_config_set (&a, "model.hidden", "9,8,7", NULL));
  g_assert_true (lab_config_set (&a, "model.activations", "tanh,elu,linear", NULL));
  g_assert_true (lab_config_set (&a, "model.residual", "true", NULL));
  g_assert_true (lab_config_set (&a, "train.batch", "4096", NULL));
  lab_config_copy (&b, &a);
  g_assert_true (a.data.path != b.data.path);
  assert_config_equal (&a, &b);
  lab_config_clear (&a);
  g_assert_null (a.data.path);
  g_assert_cmpstr (b.data.path, ==, "/p");

  lab_config_mlp_shape (&b, 784, 10, &shape);
  g_assert_cmpuint (shape.n_in, ==, 784);
  g_assert_cmpuint (shape.n_out, ==, 10);
  g_assert_cmpuint (shape.n_hidden, ==, 3);
  g_assert_cmpuint (shape.hidden[2], ==, 7);
  g_assert_cmpint (shape.act[2], ==, LAB_ACT_LINEAR);
  g_assert_true (shape.residual);
  g_assert_cmpint (shape.init, ==, LAB_INIT_HE_NORMAL);
  g_assert_cmpuint (shape.max_batch, ==, 4096);
  g_assert_true (lab_config_set (&b, "train.batch", "32", NULL));
  lab_config_mlp_shape (&b, 2, 3, &shape);
  g_assert_cmpuint (shape.max_batch, ==, 1000);
  lab_config_clear (&b);
}

static void
test_files (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = lab_test_mkdtemp ();
  g_autofree char *path = g_build_filename (dir, "run.ini", NULL);
  g_autofree char *missing = g_build_filename (dir, "nope", "missing.ini", NULL);
  g_autofree char *contents = NULL;
  LabConfig cfg, back;

  lab_config_init_defaults (&cfg);
  g_assert_true (lab_config_load_preset (&cfg, "spiral", &error));
  g_assert_true (lab_config_set (&cfg, "train.lr", "0.0123", &error));
  g_assert_no_error (error);

  g_assert_true (lab_config_save_file (&cfg, path, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_true (g_str_has_prefix (contents, "# Gradient Lab settings"));
  g_assert_nonnull (strstr (contents, "\nlr = 0.0123\n"));

  lab_config_init_defaults (&back);
  g_assert_true (lab_config_load_file (&back, path, &error));
  g_assert_no_error (error);
  assert_config_equal (&cfg, &back);

  /* Overwrite in place. */
  g_assert_true (lab_config_set (&cfg, "train.epochs", "3", &error));
  g_assert_true (lab_config_save_file (&cfg, path, &error));
  g_assert_true (lab_config_load_file (&back, path, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (back.train.epochs, ==, 3);

  /* Missing file: IO, naming the path; unparsable file: FORMAT, naming the file. */
  g_assert_false (lab_config_load_file (&back, missing, &error));
  g_assert_error (error, LAB_ENGINE_ERROR, LAB_ENGINE_ERROR_IO);
  g_assert_nonnull (strstr (error->message, missing));
  g_clear_error (&error);

  g_assert_true (g_file_set_contents (path, "[train\n", -1, NULL));
  g_assert_false (lab_config_load_file (&back, path, &error));
  g_assert_error (error, LAB_ENGINE_ERROR, LAB_ENGINE_ERROR_FORMAT);
  g_assert_nonnull (strstr (error->message, path));
  g_clear_error (&error);
  g_assert_cmpuint (back.train.epochs, ==, 3);

  /* Saving into a folder that does not exist fails with an error. */
  g_assert_false (lab_config_save_file (&cfg, missing, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);

  lab_config_clear (&cfg);
  lab_config_clear (&back);
  lab_test_rmdir (dir);
}

static void
test_dataset (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LabDataset) ds = NULL;
  LabConfig cfg;

  lab_config_init_defaults (&cfg);
  g_assert_true (lab_config_set_assignment (&cfg, "data.n_train=200", &error));
  g_assert_true (lab_config_set_assignment (&cfg, "data.n_test=50", &error));
  g_assert_true (lab_config_set_assignment (&cfg, "data.train_limit=120", &error));
  g_assert_no_error (error);

  ds = lab_config_load_dataset (&cfg, &error);
  g_assert_no_error (error);
  g_assert_nonnull (ds);
  g_assert_cmpuint (ds->dim, ==, 2);
  g_assert_cmpuint (ds->n_classes, ==, 3);
  g_assert_cmpuint (ds->train.n, ==, 120);
  g_assert_cmpuint (ds->test.n, ==, 50);
  g_clear_pointer (&ds, lab_dataset_free);

  /* Fashion-MNIST from a folder that is not there: a message that says what to do. */
  g_assert_true (lab_config_set_assignment (&cfg, "data.source=fashion-mnist", &error));
  g_assert_true (lab_config_set_assignment (&cfg, "data.path=/nonexistent/fmnist", &error));
  ds = lab_config_load_dataset (&cfg, &error);
  g_assert_null (ds);
  g_assert_error (error, LAB_ENGINE_ERROR, LAB_ENGINE_ERROR_IO);
  g_assert_nonnull (strstr (error->message, "/nonexistent/fmnist"));
  g_assert_nonnull (strstr (error->message, "dataset-fashion-mnist"));
  g_clear_error (&error);

  /* And the real one when installed, cut to the limits. */
  if (lab_test_have_fashion_mnist ())
    {
      g_assert_true (lab_config_set_assignment (&cfg, "data.path=", &error));
      g_assert_true (lab_config_set_assignment (&cfg, "data.train_limit=1000", &error));
      g_assert_true (lab_config_set_assignment (&cfg, "data.test_limit=100", &error));
      ds = lab_config_load_dataset (&cfg, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (ds->dim, ==, 784);
      g_assert_cmpuint (ds->n_classes, ==, 10);
      g_assert_cmpuint (ds->train.n, ==, 1000);
      g_assert_cmpuint (ds->test.n, ==, 100);
    }
  lab_config_clear (&cfg);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/engine/config/defaults", test_defaults);
  g_test_add_func ("/engine/config/presets", test_presets);
  g_test_add_func ("/engine/config/preset-contents", test_preset_contents);
  g_test_add_func ("/engine/config/round-trip-odd", test_round_trip_odd);
  g_test_add_func ("/engine/config/set", test_set);
  g_test_add_func ("/engine/config/bad-input", test_bad_input);
  g_test_add_func ("/engine/config/load-order", test_load_order);
  g_test_add_func ("/engine/config/validate-direct", test_validate_direct);
  g_test_add_func ("/engine/config/copy-shape", test_copy_shape);
  g_test_add_func ("/engine/config/files", test_files);
  g_test_add_func ("/engine/config/dataset", test_dataset);

  return g_test_run ();
}
