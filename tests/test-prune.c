/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * test-prune.c: the pruning lab: exact sparsity per scope and structure, deterministic ties,
 * the output layer's rate, thresholds, masks that stay zero through every optimiser, compaction
 * that keeps the function, gradient and saliency scores against a hand computation, the
 * gradual and iterative schedules, lottery-ticket rewinding and the errors for bad settings.
 */
#define G_LOG_DOMAIN "lab-test"
#include "config.h"

#include <math.h>
#include <string.h>

#include "lab-config.h"
#include "lab-error.h"
#include "lab-prune.h"
#include "lab-test-utils.h"
#include "lab-trainer-private.h"

/* ------------------------------------------------------------------------------------------ */
/* helpers                                                                                    */

static LabMlp *
new_mlp (gsize          n_in,
         const gsize   *hidden,
         guint          n_hidden,
         gsize          n_out,
         LabActivation  act,
         guint64        seed)
{
  g_autoptr(GError) error = NULL;
  LabMlpShape shape = { 0 };
  LabMlp *mlp;
  LabRng rng;

  shape.n_in = n_in;
  shape.n_out = n_out;
  shape.n_hidden = n_hidden;
  for (guint l = 0; l < n_hidden; l++)
    {
      shape.hidden[l] = hidden[l];
      shape.act[l] = act;
    }
  shape.init = LAB_INIT_HE_NORMAL;
  shape.init_scale = 1.0;
  shape.bias_init = 0.1;
  shape.max_batch = 8;
  mlp = lab_mlp_new (&shape, &error);
  g_assert_no_error (error);
  lab_rng_init (&rng, seed);
  lab_mlp_init_params (mlp, &rng);
  return mlp;
}

static LabPruneSpec
spec_target (LabPruneScope     scope,
             LabPruneStructure structure,
             double            target)
{
  return (LabPruneSpec) {
    .criterion = LAB_PRUNE_MAGNITUDE, .scope = scope, .structure = structure,
    .output = LAB_PRUNE_OUTPUT_SAME, .target = target,
    .threshold_mode = LAB_PRUNE_THRESHOLD_NONE, .seed = 1,
  };
}

static void
prune_magnitude (LabMlp             *mlp,
                 const LabPruneSpec *spec,
                 LabPruneReport     *report)
{
  g_autoptr(GError) error = NULL;
  g_autofree float *scores = g_new (float, mlp->n_params);

  g_assert_true (lab_prune_scores (mlp, spec->criterion, NULL, spec->seed, scores, &error));
  g_assert_no_error (error);
  lab_prune_apply (mlp, spec, scores, report, &error);
  g_assert_no_error (error);
}

static gsize
layer_pruned (const LabMlp *mlp,
              guint         l)
{
  gsize n = mlp->sizes[l] * mlp->sizes[l + 1], z = 0;

  if (mlp->mask == NULL)
    return 0;
  for (gsize i = 0; i < n; i++)
    z += mlp->mask[mlp->w_off[l] + i] == 0.0f;
  return z;
}

/* Hidden neurons of layer l whose row and bias are masked. */
static gsize
neurons_pruned (const LabMlp *mlp,
                guint         l)
{
  gsize K = mlp->sizes[l], N = mlp->sizes[l + 1], n = 0;

  for (gsize j = 0; mlp->mask && j < N; j++)
    {
      gboolean all = mlp->mask[mlp->b_off[l] + j] == 0.0f;
      for (gsize i = 0; all && i < K; i++)
        all = mlp->mask[mlp->w_off[l] + j * K + i] == 0.0f;
      n += all;
    }
  return n;
}

/* Every masked parameter is exactly zero. */
static void
assert_masked_zero (const LabMlp *mlp)
{
  g_assert_nonnull (mlp->mask);
  for (gsize i = 0; i < mlp->n_params; i++)
    if (mlp->mask[i] == 0.0f)
      g_assert_cmpfloat (mlp->params[i], ==, 0.0f);
}

static gsize
round_half (double x)
{
  return (gsize) floor (x + 0.5);
}

static LabTrainer *
new_trainer (const char *const *sets)
{
  g_autoptr(GError) error = NULL;
  LabConfig cfg;
  LabTrainer *tr;

  lab_config_init_defaults (&cfg);
  lab_config_load_preset (&cfg, "spiral", &error);
  g_assert_no_error (error);
  lab_config_set_assignment (&cfg, "data.n_train=200", &error);
  g_assert_no_error (error);
  lab_config_set_assignment (&cfg, "data.n_test=100", &error);
  g_assert_no_error (error);
  lab_config_set_assignment (&cfg, "model.hidden=16,12", &error);
  g_assert_no_error (error);
  for (guint i = 0; sets && sets[i]; i++)
    {
      lab_config_set_assignment (&cfg, sets[i], &error);
      g_assert_no_error (error);
    }
  tr = lab_trainer_new (&cfg, NULL, &error);
  g_assert_no_error (error);
  lab_config_clear (&cfg);
  return tr;
}

/* ------------------------------------------------------------------------------------------ */
/* sparsity                                                                                   */

static void
test_exact_sparsity (void)
{
  const gsize hidden[] = { 13, 11 };
  const double targets[] = { 0.0, 0.1, 0.37, 0.5, 0.8, 0.95 };

  for (guint t = 0; t < G_N_ELEMENTS (targets); t++)
    {
      double target = targets[t];

      /* weights, per layer: round(target · n_l) in every layer */
      {
        g_autoptr(LabMlp) mlp = new_mlp (7, hidden, 2, 5, LAB_ACT_RELU, 3);
        LabPruneSpec spec = spec_target (LAB_PRUNE_SCOPE_LAYER, LAB_PRUNE_WEIGHT, target);
        LabPruneReport rep;
        gsize total = 0;

        prune_magnitude (mlp, &spec, &rep);
        g_assert_cmpuint (rep.n_layers, ==, 3);
        for (guint l = 0; l < 3; l++)
          {
            gsize n = mlp->sizes[l] * mlp->sizes[l + 1];
            g_assert_cmpuint (layer_pruned (mlp, l), ==, round_half (target * n));
            g_assert_cmpuint (rep.pruned[l], ==, layer_pruned (mlp, l));
            g_assert_cmpuint (rep.removed[l], ==, rep.pruned[l]);
            g_assert_cmpuint (rep.total[l], ==, n);
            /* biases untouched */
            for (gsize j = 0; j < mlp->sizes[l + 1]; j++)
              g_assert_cmpfloat (mlp->mask[mlp->b_off[l] + j], ==, 1.0f);
            total += rep.pruned[l];
          }
        lab_assert_close (rep.sparsity, (double) total / mlp->n_weights, 1e-12, 0);
        lab_assert_close (lab_mlp_total_sparsity (mlp), rep.sparsity, 1e-9, 0);
        assert_masked_zero (mlp);
      }

      /* weights, global: round(target · N) over all layers */
      {
        g_autoptr(LabMlp) mlp = new_mlp (7, hidden, 2, 5, LAB_ACT_RELU, 3);
        LabPruneSpec spec = spec_target (LAB_PRUNE_SCOPE_GLOBAL, LAB_PRUNE_WEIGHT, target);
        gsize total = 0;

        prune_magnitude (mlp, &spec, NULL);
        for (guint l = 0; l < 3; l++)
          total += layer_pruned (mlp, l);
        g_assert_cmpuint (total, ==, round_half (target * mlp->n_weights));
      }

      /* neurons, per layer and global */
      {
        g_autoptr(LabMlp) mlp = new_mlp (7, hidden, 2, 5, LAB_ACT_RELU, 3);
        g_autoptr(LabMlp) glob = new_mlp (7, hidden, 2, 5, LAB_ACT_RELU, 3);
        LabPruneSpec spec = spec_target (LAB_PRUNE_SCOPE_LAYER, LAB_PRUNE_NEURON, target);
        LabPruneSpec gspec = spec_target (LAB_PRUNE_SCOPE_GLOBAL, LAB_PRUNE_NEURON, target);
        LabPruneReport rep;

        prune_magnitude (mlp, &spec, &rep);
        for (guint l = 0; l < 2; l++)
          {
            gsize N = mlp->sizes[l + 1], O = mlp->sizes[l + 2];
            g_assert_cmpuint (neurons_pruned (mlp, l), ==, round_half (target * N));
            g_assert_cmpuint (rep.neurons_removed[l], ==, neurons_pruned (mlp, l));
            /* a pruned neuron's outgoing column is masked too */
            for (gsize j = 0; j < N; j++)
              if (mlp->mask[mlp->b_off[l] + j] == 0.0f)
                for (gsize o = 0; o < O; o++)
                  g_assert_cmpfloat (mlp->mask[mlp->w_off[l + 1] + o * N + j], ==, 0.0f);
          }
        g_assert_cmpuint (rep.neurons_removed[2], ==, 0);
        assert_masked_zero (mlp);

        /* (at 0.95 one global ranking would empty a layer: see test_errors) */
        if (target > 0.9)
          continue;
        prune_magnitude (glob, &gspec, NULL);
        g_assert_cmpuint (neurons_pruned (glob, 0) + neurons_pruned (glob, 1), ==,
                          round_half (target * 24));
      }
    }
}

/* A target is cumulative: 0.5 then 0.8 gives 0.8, and the first mask is kept. */
static void
test_cumulative (void)
{
  const gsize hidden[] = { 10 };
  g_autoptr(LabMlp) mlp = new_mlp (6, hidden, 1, 4, LAB_ACT_TANH, 5);
  LabPruneSpec spec = spec_target (LAB_PRUNE_SCOPE_LAYER, LAB_PRUNE_WEIGHT, 0.5);
  g_autofree float *first = NULL;
  LabPruneReport rep;

  prune_magnitude (mlp, &spec, NULL);
  first = g_memdup2 (mlp->mask, mlp->n_params * sizeof (float));
  spec.target = 0.8;
  prune_magnitude (mlp, &spec, &rep);
  g_assert_cmpuint (layer_pruned (mlp, 0), ==, 48);
  g_assert_cmpuint (layer_pruned (mlp, 1), ==, 32);
  g_assert_cmpuint (rep.removed[0], ==, 18);
  g_assert_cmpuint (rep.removed[1], ==, 12);
  for (gsize i = 0; i < mlp->n_params; i++)
    if (first[i] == 0.0f)
      g_assert_cmpfloat (mlp->mask[i], ==, 0.0f);
  /* a lower target prunes nothing more and restores nothing */
  spec.target = 0.3;
  prune_magnitude (mlp, &spec, &rep);
  g_assert_cmpuint (rep.removed[0] + rep.removed[1], ==, 0);
  g_assert_cmpuint (layer_pruned (mlp, 0), ==, 48);
}

/* Layer 1 has large weights and layer 2 small ones: one global threshold takes layer 2 first,
 * per-layer pruning takes half of each. */
static void
test_global_vs_layer (void)
{
  const gsize hidden[] = { 4 };
  g_autoptr(LabMlp) a = new_mlp (4, hidden, 1, 2, LAB_ACT_RELU, 1);
  g_autoptr(LabMlp) b = NULL;
  LabPruneSpec spec = spec_target (LAB_PRUNE_SCOPE_GLOBAL, LAB_PRUNE_WEIGHT, 0.5);

  for (gsize i = 0; i < 16; i++)
    a->params[a->w_off[0] + i] = (i % 2 ? -1.0f : 1.0f) * (10.0f + (float) i);
  for (gsize i = 0; i < 8; i++)
    a->params[a->w_off[1] + i] = 0.1f + 0.01f * (float) i;
  b = lab_mlp_copy (a);

  /* 24 weights, 12 pruned: all 8 of layer 2 and the 4 smallest of layer 1 (10, -11, 12, -13) */
  prune_magnitude (a, &spec, NULL);
  g_assert_cmpuint (layer_pruned (a, 1), ==, 8);
  g_assert_cmpuint (layer_pruned (a, 0), ==, 4);
  for (gsize i = 0; i < 4; i++)
    g_assert_cmpfloat (a->mask[a->w_off[0] + i], ==, 0.0f);

  spec.scope = LAB_PRUNE_SCOPE_LAYER;
  prune_magnitude (b, &spec, NULL);
  g_assert_cmpuint (layer_pruned (b, 0), ==, 8);
  g_assert_cmpuint (layer_pruned (b, 1), ==, 4);
}

/* All scores equal: the lowest indices of each layer go first, every time. */
static void
test_ties (void)
{
  const gsize hidden[] = { 5 };
  g_autoptr(LabMlp) mlp = new_mlp (4, hidden, 1, 3, LAB_ACT_RELU, 1);
  LabPruneSpec spec = spec_target (LAB_PRUNE_SCOPE_LAYER, LAB_PRUNE_WEIGHT, 0.25);

  for (gsize i = 0; i < mlp->n_params; i++)
    mlp->params[i] = 0.5f;
  prune_magnitude (mlp, &spec, NULL);
  /* layer 1: 20 weights, 5 pruned; layer 2: 15 weights, round(3.75) = 4 pruned */
  for (gsize i = 0; i < 20; i++)
    g_assert_cmpfloat (mlp->mask[mlp->w_off[0] + i], ==, i < 5 ? 0.0f : 1.0f);
  for (gsize i = 0; i < 15; i++)
    g_assert_cmpfloat (mlp->mask[mlp->w_off[1] + i], ==, i < 4 ? 0.0f : 1.0f);

  /* neurons with equal norms: neuron 0 then 1 */
  {
    g_autoptr(LabMlp) n = new_mlp (4, hidden, 1, 3, LAB_ACT_RELU, 1);
    LabPruneSpec ns = spec_target (LAB_PRUNE_SCOPE_LAYER, LAB_PRUNE_NEURON, 0.4);

    for (gsize i = 0; i < n->n_params; i++)
      n->params[i] = -2.0f;
    prune_magnitude (n, &ns, NULL);
    for (gsize j = 0; j < 5; j++)
      g_assert_cmpfloat (n->mask[n->b_off[0] + j], ==, j < 2 ? 0.0f : 1.0f);
  }
}

static void
test_output_layer (void)
{
  const gsize hidden[] = { 8 };

  /* per layer at 0.5: same prunes 10 of the 20 output weights, half 5, spare none */
  for (LabPruneOutput o = LAB_PRUNE_OUTPUT_SAME; o <= LAB_PRUNE_OUTPUT_SPARE; o++)
    {
      g_autoptr(LabMlp) mlp = new_mlp (6, hidden, 1, 2, LAB_ACT_RELU, 2);
      LabPruneSpec spec = spec_target (LAB_PRUNE_SCOPE_LAYER, LAB_PRUNE_WEIGHT, 0.5);
      const gsize expect[] = { 8, 4, 0 };

      spec.output = o;
      prune_magnitude (mlp, &spec, NULL);
      g_assert_cmpuint (layer_pruned (mlp, 0), ==, 24);
      g_assert_cmpuint (layer_pruned (mlp, 1), ==, expect[o]);
    }

  /* global with spare: round(0.5 · 48) = 24, all from layer 1 */
  {
    g_autoptr(LabMlp) mlp = new_mlp (6, hidden, 1, 2, LAB_ACT_RELU, 2);
    LabPruneSpec spec = spec_target (LAB_PRUNE_SCOPE_GLOBAL, LAB_PRUNE_WEIGHT, 0.5);

    spec.output = LAB_PRUNE_OUTPUT_SPARE;
    prune_magnitude (mlp, &spec, NULL);
    g_assert_cmpuint (layer_pruned (mlp, 0), ==, 24);
    g_assert_cmpuint (layer_pruned (mlp, 1), ==, 0);
  }
}

/* |w| = 0.1 … 0.8 in one 2 × 4 layer: mean 0.45, population std 0.229129. */
static void
test_thresholds (void)
{
  struct { LabPruneThresholdMode mode; double tau; gsize expect; } cases[] = {
    { LAB_PRUNE_THRESHOLD_ABSOLUTE, 0.35, 3 },
    { LAB_PRUNE_THRESHOLD_ABSOLUTE, 0.0, 0 },
    { LAB_PRUNE_THRESHOLD_MEAN, 1.0, 4 },     /* below 0.45 */
    { LAB_PRUNE_THRESHOLD_MEAN, 1.5, 6 },     /* below 0.675 */
    { LAB_PRUNE_THRESHOLD_STD, 1.0, 2 },      /* below 0.229 */
    { LAB_PRUNE_THRESHOLD_STD, 2.0, 4 },      /* below 0.458 */
  };

  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      g_autoptr(LabMlp) mlp = new_mlp (4, NULL, 0, 2, LAB_ACT_RELU, 1);
      LabPruneSpec spec = spec_target (LAB_PRUNE_SCOPE_LAYER, LAB_PRUNE_WEIGHT, 0);
      const float w[8] = { 0.5f, -0.1f, 0.8f, 0.3f, -0.7f, 0.2f, -0.4f, 0.6f };

      memcpy (mlp->params + mlp->w_off[0], w, sizeof w);
      spec.threshold_mode = cases[c].mode;
      spec.threshold = cases[c].tau;
      prune_magnitude (mlp, &spec, NULL);
      g_assert_cmpuint (layer_pruned (mlp, 0), ==, cases[c].expect);
      for (gsize i = 0; i < 8; i++)
        {
          gboolean small = fabsf (w[i]) < 0.1f * (float) cases[c].expect + 0.05f;
          g_assert_cmpfloat (mlp->mask[mlp->w_off[0] + i], ==, small ? 0.0f : 1.0f);
        }
    }

  /* global statistics: over both layers at once */
  {
    const gsize hidden[] = { 2 };
    g_autoptr(LabMlp) mlp = new_mlp (2, hidden, 1, 2, LAB_ACT_RELU, 1);
    LabPruneSpec spec = spec_target (LAB_PRUNE_SCOPE_GLOBAL, LAB_PRUNE_WEIGHT, 0);
    const float w1[4] = { 1, 2, 3, 4 }, w2[4] = { 5, 6, 7, 8 };

    memcpy (mlp->params + mlp->w_off[0], w1, sizeof w1);
    memcpy (mlp->params + mlp->w_off[1], w2, sizeof w2);
    spec.threshold_mode = LAB_PRUNE_THRESHOLD_MEAN;
    spec.threshold = 1.0;   /* mean 4.5: 1, 2, 3, 4 go; per layer it would be 2 and 2 */
    prune_magnitude (mlp, &spec, NULL);
    g_assert_cmpuint (layer_pruned (mlp, 0), ==, 4);
    g_assert_cmpuint (layer_pruned (mlp, 1), ==, 0);
  }
}

/* ------------------------------------------------------------------------------------------ */
/* masks through training                                                                     */

static void
test_masks_stay_zero (void)
{
  const char *opts[] = { "sgd", "momentum", "nesterov", "adam" };

  for (guint o = 0; o < G_N_ELEMENTS (opts); o++)
    {
      g_autofree char *opt = g_strdup_printf ("train.optimizer=%s", opts[o]);
      const char *sets[] = { opt, "train.weight_decay=0.01", "train.lr=0.01",
                             "prune.schedule=oneshot", "prune.at_step=0", "prune.target=0.7",
                             NULL };
      g_autoptr(LabTrainer) tr = new_trainer (sets);
      LabStepStats st;
      LabMlp *mlp;

      for (int i = 0; i < 100; i++)
        g_assert_true (lab_trainer_step (tr, &st, NULL));
      mlp = lab_trainer_get_mlp (tr);
      assert_masked_zero (mlp);
      for (gsize i = 0; i < mlp->n_params; i++)
        if (mlp->mask[i] == 0.0f)
          {
            if (tr->opt->m)
              g_assert_cmpfloat (tr->opt->m[i], ==, 0.0f);
            if (tr->opt->v)
              g_assert_cmpfloat (tr->opt->v[i], ==, 0.0f);
          }
      for (guint l = 0; l < mlp->n_layers; l++)
        {
          gsize n = mlp->sizes[l] * mlp->sizes[l + 1];
          g_assert_cmpuint (layer_pruned (mlp, l), ==, round_half (0.7 * n));
          lab_assert_close (st.layer[l].sparsity, (double) round_half (0.7 * n) / n, 1e-6, 0);
        }
      /* the survivors did train */
      g_assert_cmpuint (lab_trainer_last_prune (tr)->n_layers, ==, 3);
      g_assert_cmpfloat (st.sparsity, >, 0.69);
    }
}

/* ------------------------------------------------------------------------------------------ */
/* compaction                                                                                 */

static void
assert_same_logits (LabMlp *a,
                    LabMlp *b)
{
  float x[8 * 9];
  LabRng rng;
  g_autofree float *za = NULL;
  const float *zb;

  lab_rng_init (&rng, 77);
  for (gsize i = 0; i < G_N_ELEMENTS (x); i++)
    x[i] = lab_rng_normal (&rng);
  za = g_memdup2 (lab_mlp_forward (a, x, 8), 8 * a->sizes[a->n_layers] * sizeof (float));
  zb = lab_mlp_forward (b, x, 8);
  for (gsize i = 0; i < 8 * a->sizes[a->n_layers]; i++)
    lab_assert_close (zb[i], za[i], 0, 1e-5);
}

static void
test_compact (void)
{
  const gsize hidden[] = { 12, 10 };
  g_autoptr(GError) error = NULL;

  for (LabActivation act = LAB_ACT_SIGMOID; act <= LAB_ACT_ELU; act++)
    {
      g_autoptr(LabMlp) mlp = new_mlp (9, hidden, 2, 4, act, 8);
      g_autoptr(LabMlp) small = NULL;
      LabPruneSpec spec = spec_target (LAB_PRUNE_SCOPE_LAYER, LAB_PRUNE_NEURON, 0.5);

      prune_magnitude (mlp, &spec, NULL);
      /* and some single weights on top, carried over in the mask */
      spec.structure = LAB_PRUNE_WEIGHT;
      spec.target = 0.6;
      prune_magnitude (mlp, &spec, NULL);

      small = lab_prune_compact (mlp, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (small->sizes[1], ==, 6);
      g_assert_cmpuint (small->sizes[2], ==, 5);
      g_assert_cmpuint (small->n_params, <, mlp->n_params);
      g_assert_nonnull (small->mask);
      assert_same_logits (mlp, small);
    }

  /* a neuron whose row and bias were masked but not its outgoing column still outputs f(0),
   * 0.5 for a sigmoid: compaction folds that into the next bias */
  {
    g_autoptr(LabMlp) mlp = new_mlp (9, hidden, 2, 4, LAB_ACT_SIGMOID, 9);
    g_autoptr(LabMlp) small = NULL;
    float *m = lab_mlp_ensure_mask (mlp);

    for (gsize i = 0; i < 9; i++)
      m[mlp->w_off[0] + 3 * 9 + i] = 0.0f;
    m[mlp->b_off[0] + 3] = 0.0f;
    lab_mlp_apply_mask (mlp);
    small = lab_prune_compact (mlp, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (small->sizes[1], ==, 11);
    assert_same_logits (mlp, small);
  }

  /* a dense network compacts to itself, with no mask */
  {
    g_autoptr(LabMlp) mlp = new_mlp (9, hidden, 2, 4, LAB_ACT_RELU, 9);
    g_autoptr(LabMlp) same = lab_prune_compact (mlp, &error);
    g_assert_no_error (error);
    g_assert_null (same->mask);
    g_assert_cmpmem (same->params, same->n_params * 4, mlp->params, mlp->n_params * 4);
  }

  /* residual skips: refused */
  {
    const gsize eq[] = { 8, 8 };
    LabMlpShape shape;
    g_autoptr(LabMlp) mlp = new_mlp (3, eq, 2, 2, LAB_ACT_RELU, 1);
    g_autoptr(LabMlp) res = NULL;
    LabMlp *none;

    shape = mlp->shape;
    shape.residual = TRUE;
    res = lab_mlp_new (&shape, &error);
    g_assert_no_error (error);
    g_assert_true (res->skip[1]);
    none = lab_prune_compact (res, &error);
    g_assert_null (none);
    g_assert_error (error, LAB_ENGINE_ERROR, LAB_ENGINE_ERROR_INVALID);
    g_assert_nonnull (strstr (error->message, "residual"));
  }
}

/* The trainer swaps in the compacted network and keeps training. */
static void
test_trainer_compact (void)
{
  const char *sets[] = { "prune.schedule=oneshot", "prune.at_step=5", "prune.structure=neuron",
                         "prune.target=0.5", "prune.compact=true", "prune.rewind=init", NULL };
  g_autoptr(LabTrainer) tr = new_trainer (sets);
  LabStepStats st;
  LabMlp *mlp;

  for (int i = 0; i < 20; i++)
    g_assert_true (lab_trainer_step (tr, &st, NULL));
  mlp = lab_trainer_get_mlp (tr);
  g_assert_cmpuint (mlp->sizes[1], ==, 8);
  g_assert_cmpuint (mlp->sizes[2], ==, 6);
  g_assert_cmpuint (tr->opt->n, ==, mlp->n_params);
  g_assert_cmpuint (lab_trainer_last_prune (tr)->neurons_removed[0], ==, 8);
  /* the init copy was compacted with it: rewinding still fits */
  g_assert_true (lab_trainer_rewind (tr, LAB_REWIND_INIT, NULL));
  g_assert_true (isfinite (lab_trainer_evaluate (tr, TRUE).loss));
}

/* ------------------------------------------------------------------------------------------ */
/* gradient and saliency scores, by hand                                                      */

static LabDataset *
one_sample (const float *x,
            guint8       y)
{
  LabDataset *d = g_new0 (LabDataset, 1);

  d->name = g_strdup ("one-sample");
  d->dim = 2;
  d->n_classes = 2;
  for (int s = 0; s < 2; s++)
    {
      LabSplit *sp = s ? &d->test : &d->train;
      sp->n = 1;
      sp->dim = 2;
      sp->x_f32 = g_memdup2 (x, 2 * sizeof (float));
      sp->y = g_memdup2 (&y, 1);
    }
  return d;
}

/* 2-2-2 tanh net, one sample x = (0.5, -1), label 1, softmax cross-entropy:
 * a = tanh(W1 x + b1), z = W2 a + b2, p = softmax(z), δ2 = p − e_y, ∂W2 = δ2 aᵀ,
 * δ1 = (W2ᵀ δ2) ⊙ (1 − a²), ∂W1 = δ1 xᵀ. */
static void
test_gradient_scores (void)
{
  const float x[2] = { 0.5f, -1.0f };
  const double W1[2][2] = { { 0.3, -0.2 }, { 0.8, 0.4 } }, b1[2] = { 0.1, -0.3 };
  const double W2[2][2] = { { -0.5, 0.7 }, { 0.2, 0.6 } }, b2[2] = { 0.05, -0.05 };
  double a[2], z[2], p[2], d2[2], d1[2], g[12], zmax, sum;
  g_autoptr(GError) error = NULL;
  g_autoptr(LabTrainer) tr = NULL;
  g_autofree float *grad_abs = NULL, *scores = NULL;
  LabConfig cfg;
  LabMlp *mlp;

  lab_config_init_defaults (&cfg);
  lab_config_set_assignment (&cfg, "model.hidden=2", &error);
  lab_config_set_assignment (&cfg, "model.activation=tanh", &error);
  lab_config_set_assignment (&cfg, "model.loss=cross-entropy", &error);
  lab_config_set_assignment (&cfg, "train.batch=1", &error);
  g_assert_no_error (error);
  tr = lab_trainer_new (&cfg, one_sample (x, 1), &error);
  g_assert_no_error (error);
  lab_config_clear (&cfg);
  mlp = lab_trainer_get_mlp (tr);
  g_assert_cmpuint (mlp->n_params, ==, 12);
  for (int i = 0; i < 2; i++)
    for (int j = 0; j < 2; j++)
      {
        mlp->params[mlp->w_off[0] + 2 * i + j] = (float) W1[i][j];
        mlp->params[mlp->w_off[1] + 2 * i + j] = (float) W2[i][j];
      }
  for (int i = 0; i < 2; i++)
    {
      mlp->params[mlp->b_off[0] + i] = (float) b1[i];
      mlp->params[mlp->b_off[1] + i] = (float) b2[i];
    }

  for (int i = 0; i < 2; i++)
    a[i] = tanh (W1[i][0] * x[0] + W1[i][1] * x[1] + b1[i]);
  for (int i = 0; i < 2; i++)
    z[i] = W2[i][0] * a[0] + W2[i][1] * a[1] + b2[i];
  zmax = MAX (z[0], z[1]);
  sum = exp (z[0] - zmax) + exp (z[1] - zmax);
  for (int i = 0; i < 2; i++)
    {
      p[i] = exp (z[i] - zmax) / sum;
      d2[i] = p[i] - (i == 1);
    }
  for (int j = 0; j < 2; j++)
    d1[j] = (W2[0][j] * d2[0] + W2[1][j] * d2[1]) * (1 - a[j] * a[j]);
  for (int i = 0; i < 2; i++)
    for (int j = 0; j < 2; j++)
      {
        g[mlp->w_off[0] + 2 * i + j] = d1[i] * x[j];
        g[mlp->w_off[1] + 2 * i + j] = d2[i] * a[j];
      }
  for (int i = 0; i < 2; i++)
    {
      g[mlp->b_off[0] + i] = d1[i];
      g[mlp->b_off[1] + i] = d2[i];
    }

  /* the one sample is every batch: the mean of |g| over 3 batches is |g| */
  grad_abs = g_new (float, 12);
  lab_trainer_score_gradients (tr, 3, grad_abs);
  for (int i = 0; i < 12; i++)
    lab_assert_close (grad_abs[i], fabs (g[i]), 1e-5, 1e-7);

  scores = g_new (float, 12);
  g_assert_true (lab_prune_scores (mlp, LAB_PRUNE_GRADIENT, grad_abs, 0, scores, &error));
  for (int i = 0; i < 12; i++)
    lab_assert_close (scores[i], fabs (g[i]), 1e-5, 1e-7);
  g_assert_true (lab_prune_scores (mlp, LAB_PRUNE_SALIENCY, grad_abs, 0, scores, &error));
  for (int i = 0; i < 12; i++)
    lab_assert_close (scores[i], fabs (g[i] * mlp->params[i]), 1e-5, 1e-7);
  g_assert_true (lab_prune_scores (mlp, LAB_PRUNE_MAGNITUDE, NULL, 0, scores, &error));
  g_assert_cmpfloat (scores[mlp->w_off[1] + 0], ==, 0.5f);

  /* random: reproducible from the seed, in [0, 1) */
  {
    g_autofree float *again = g_new (float, 12);
    g_assert_true (lab_prune_scores (mlp, LAB_PRUNE_RANDOM, NULL, 42, scores, &error));
    g_assert_true (lab_prune_scores (mlp, LAB_PRUNE_RANDOM, NULL, 42, again, &error));
    g_assert_cmpmem (scores, 48, again, 48);
    for (int i = 0; i < 12; i++)
      g_assert_true (scores[i] >= 0 && scores[i] < 1);
  }

  /* masked entries score -∞ */
  lab_mlp_ensure_mask (mlp)[mlp->w_off[0] + 1] = 0.0f;
  g_assert_true (lab_prune_scores (mlp, LAB_PRUNE_SALIENCY, grad_abs, 0, scores, &error));
  g_assert_true (isinf (scores[mlp->w_off[0] + 1]) && scores[mlp->w_off[0] + 1] < 0);

  /* prune-now with the gradient criterion gathers the scores itself */
  {
    LabPruneSpec spec = spec_target (LAB_PRUNE_SCOPE_LAYER, LAB_PRUNE_WEIGHT, 0.5);
    LabPruneReport rep;
    spec.criterion = LAB_PRUNE_GRADIENT;
    g_assert_true (lab_trainer_prune_now (tr, &spec, &rep, &error));
    g_assert_no_error (error);
    g_assert_cmpuint (rep.pruned[0], ==, 2);
    g_assert_cmpuint (rep.removed[0], ==, 1);
    g_assert_cmpuint (rep.pruned[1], ==, 2);
  }
}

/* ------------------------------------------------------------------------------------------ */
/* schedules                                                                                  */

static void
test_gradual_values (void)
{
  lab_assert_close (lab_prune_gradual_target (0.1, 0.9, 100, 100, 500), 0.1, 0, 1e-12);
  lab_assert_close (lab_prune_gradual_target (0.1, 0.9, 0, 100, 500), 0.1, 0, 1e-12);
  lab_assert_close (lab_prune_gradual_target (0.1, 0.9, 500, 100, 500), 0.9, 0, 1e-12);
  lab_assert_close (lab_prune_gradual_target (0.1, 0.9, 900, 100, 500), 0.9, 0, 1e-12);
  /* midpoint: s_f + (s_i − s_f)/8 */
  lab_assert_close (lab_prune_gradual_target (0.1, 0.9, 300, 100, 500), 0.9 - 0.8 / 8, 0, 1e-12);
  lab_assert_close (lab_prune_gradual_target (0.0, 0.8, 200, 100, 500),
                    0.8 - 0.8 * 0.75 * 0.75 * 0.75, 0, 1e-12);

  lab_assert_close (lab_prune_iterative_target (0.2, 1), 0.2, 0, 1e-12);
  lab_assert_close (lab_prune_iterative_target (0.2, 2), 0.36, 0, 1e-12);
  lab_assert_close (lab_prune_iterative_target (0.2, 3), 0.488, 0, 1e-12);
  lab_assert_close (lab_prune_iterative_target (0.5, 4), 0.9375, 0, 1e-12);
}

/* gradual: prunes at 0, 10, 20, 30 and 35 = end_step, to the Zhu–Gupta target of that step */
static void
test_gradual_schedule (void)
{
  const char *sets[] = { "prune.schedule=gradual", "prune.begin_step=0", "prune.end_step=35",
                         "prune.frequency=10", "prune.initial=0.1", "prune.target=0.8",
                         "prune.scope=global", NULL };
  g_autoptr(LabTrainer) tr = new_trainer (sets);
  LabMlp *mlp = lab_trainer_get_mlp (tr);
  LabStepStats st;

  for (guint64 s = 0; s < 40; s++)
    {
      double expect = lab_prune_gradual_target (0.1, 0.8, s < 30 ? s / 10 * 10 : s < 35 ? 30 : 35,
                                                0, 35);
      g_assert_true (lab_trainer_step (tr, &st, NULL));
      /* global: exact to one weight over the network */
      lab_assert_close (st.sparsity, expect, 0, 1.0 / mlp->n_weights);
    }
  lab_assert_close (st.sparsity, 0.8, 0, 1.0 / mlp->n_weights);
}

/* iterative with rewinding: round r after r epochs, to 1 − 0.7^r, survivors at init values */
static void
test_iterative_schedule (void)
{
  const char *sets[] = { "prune.schedule=iterative", "prune.rounds=2", "prune.rate=0.3",
                         "prune.retrain_epochs=1", "prune.rewind=init", "train.batch=50",
                         "prune.output=spare", NULL };
  g_autoptr(LabTrainer) tr = new_trainer (sets);
  g_autofree float *init = NULL;
  LabStepStats st;
  LabMlp *mlp = lab_trainer_get_mlp (tr);

  init = g_memdup2 (mlp->params, mlp->n_params * sizeof (float));
  g_assert_cmpuint (lab_trainer_steps_per_epoch (tr), ==, 4);
  for (int s = 0; s < 12; s++)
    {
      g_assert_true (lab_trainer_step (tr, &st, NULL));
      if (s == 3)
        g_assert_cmpfloat (st.sparsity, ==, 0.0);
    }
  g_assert_cmpuint (tr->prune_round, ==, 2);
  for (guint l = 0; l < 2; l++)
    {
      gsize n = mlp->sizes[l] * mlp->sizes[l + 1];
      g_assert_cmpuint (layer_pruned (mlp, l), ==, round_half (0.51 * n));
    }
  g_assert_cmpuint (layer_pruned (mlp, 2), ==, 0);

  /* right after round 2 (at the start of step 9) the survivors were rewound to init: run a
   * fresh trainer to that point and compare */
  {
    g_autoptr(LabTrainer) t2 = new_trainer (sets);
    LabMlp *m2;
    GError *error = NULL;

    for (int s = 0; s < 8; s++)
      g_assert_true (lab_trainer_step (t2, &st, NULL));
    g_assert_true (_lab_trainer_prune_schedule (t2, &error));
    g_assert_no_error (error);
    m2 = lab_trainer_get_mlp (t2);
    for (gsize i = 0; i < m2->n_params; i++)
      g_assert_cmpfloat (m2->params[i], ==, m2->mask[i] != 0.0f ? init[i] : 0.0f);
  }
}

/* lottery ticket: rewind gives survivors exactly their initial (or step-K) values */
static void
test_rewind (void)
{
  const char *sets[] = { "prune.rewind=step:5", NULL };
  g_autoptr(LabTrainer) tr = new_trainer (sets);
  g_autoptr(GError) error = NULL;
  LabMlp *mlp = lab_trainer_get_mlp (tr);
  g_autofree float *init = g_memdup2 (mlp->params, mlp->n_params * sizeof (float));
  g_autofree float *at5 = NULL;
  LabPruneSpec spec = spec_target (LAB_PRUNE_SCOPE_GLOBAL, LAB_PRUNE_WEIGHT, 0.6);
  LabStepStats st;
  gsize survivors = 0;

  /* not yet recorded */
  g_assert_false (lab_trainer_rewind (tr, LAB_REWIND_STEP, &error));
  g_assert_error (error, LAB_ENGINE_ERROR, LAB_ENGINE_ERROR_INVALID);
  g_clear_error (&error);

  for (int s = 0; s < 30; s++)
    {
      if (s == 5)
        at5 = g_memdup2 (mlp->params, mlp->n_params * sizeof (float));
      g_assert_true (lab_trainer_step (tr, &st, NULL));
    }
  g_assert_true (lab_trainer_prune_now (tr, &spec, NULL, &error));
  g_assert_no_error (error);

  g_assert_true (lab_trainer_rewind (tr, LAB_REWIND_INIT, &error));
  g_assert_no_error (error);
  for (gsize i = 0; i < mlp->n_params; i++)
    {
      g_assert_cmpfloat (mlp->params[i], ==, mlp->mask[i] != 0.0f ? init[i] : 0.0f);
      survivors += mlp->mask[i] != 0.0f;
    }
  g_assert_cmpuint (survivors, <, mlp->n_params);
  for (gsize i = 0; tr->opt->m && i < mlp->n_params; i++)
    g_assert_cmpfloat (tr->opt->m[i], ==, 0.0f);

  g_assert_true (lab_trainer_rewind (tr, LAB_REWIND_STEP, &error));
  g_assert_no_error (error);
  for (gsize i = 0; i < mlp->n_params; i++)
    g_assert_cmpfloat (mlp->params[i], ==, mlp->mask[i] != 0.0f ? at5[i] : 0.0f);
}

/* A saved state replays the same steps. */
static void
test_state (void)
{
  g_autoptr(LabTrainer) tr = new_trainer (NULL);
  g_autoptr(LabTrainerState) s = NULL;
  g_autofree float *after = NULL;
  LabStepStats st;
  LabMlp *mlp;

  for (int i = 0; i < 7; i++)
    g_assert_true (lab_trainer_step (tr, &st, NULL));
  s = lab_trainer_save_state (tr);
  for (int i = 0; i < 10; i++)
    g_assert_true (lab_trainer_step (tr, &st, NULL));
  mlp = lab_trainer_get_mlp (tr);
  after = g_memdup2 (mlp->params, mlp->n_params * sizeof (float));

  lab_trainer_restore_state (tr, s);
  g_assert_cmpuint (lab_trainer_get_step (tr), ==, 7);
  /* Adam restarts from a cleared state in both replays: replay twice and compare */
  for (int i = 0; i < 10; i++)
    g_assert_true (lab_trainer_step (tr, &st, NULL));
  mlp = lab_trainer_get_mlp (tr);
  {
    g_autofree float *first = g_memdup2 (mlp->params, mlp->n_params * sizeof (float));
    lab_trainer_restore_state (tr, s);
    for (int i = 0; i < 10; i++)
      g_assert_true (lab_trainer_step (tr, &st, NULL));
    mlp = lab_trainer_get_mlp (tr);
    g_assert_cmpmem (first, mlp->n_params * 4, mlp->params, mlp->n_params * 4);
  }
  g_assert_cmpuint (lab_trainer_get_step (tr), ==, 17);
}

/* ------------------------------------------------------------------------------------------ */
/* errors                                                                                     */

static void
test_errors (void)
{
  g_autoptr(GError) error = NULL;
  const gsize hidden[] = { 6, 4 };
  g_autoptr(LabMlp) mlp = new_mlp (3, hidden, 2, 2, LAB_ACT_RELU, 1);
  g_autofree float *scores = g_new (float, mlp->n_params);
  LabPruneSpec spec = spec_target (LAB_PRUNE_SCOPE_LAYER, LAB_PRUNE_WEIGHT, 1.0);
  LabConfig cfg;

  g_assert_false (lab_prune_spec_validate (&spec, &error));
  g_assert_error (error, LAB_ENGINE_ERROR, LAB_ENGINE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "[0, 1)"));
  g_clear_error (&error);
  spec.target = -0.1;
  g_assert_false (lab_prune_spec_validate (&spec, &error));
  g_assert_error (error, LAB_ENGINE_ERROR, LAB_ENGINE_ERROR_INVALID);
  g_clear_error (&error);
  spec.target = NAN;
  g_assert_false (lab_prune_spec_validate (&spec, &error));
  g_clear_error (&error);
  spec.target = 0.5;
  spec.threshold_mode = LAB_PRUNE_THRESHOLD_ABSOLUTE;
  spec.threshold = -1;
  g_assert_false (lab_prune_spec_validate (&spec, &error));
  g_clear_error (&error);

  /* and lab_prune_apply refuses them, leaving the model dense */
  lab_prune_scores (mlp, LAB_PRUNE_MAGNITUDE, NULL, 0, scores, NULL);
  spec.threshold_mode = LAB_PRUNE_THRESHOLD_NONE;
  spec.target = 1.0;
  g_assert_false (lab_prune_apply (mlp, &spec, scores, NULL, &error));
  g_assert_error (error, LAB_ENGINE_ERROR, LAB_ENGINE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_null (mlp->mask);

  /* the config says what is wrong */
  lab_config_init_defaults (&cfg);
  g_assert_false (lab_config_set (&cfg, "prune.criterion", "biggest", &error));
  g_assert_error (error, LAB_ENGINE_ERROR, LAB_ENGINE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "magnitude"));
  g_clear_error (&error);
  g_assert_false (lab_config_set (&cfg, "prune.target", "1", &error));
  g_clear_error (&error);
  g_assert_false (lab_config_set (&cfg, "prune.target", "-0.1", &error));
  g_clear_error (&error);
  lab_config_clear (&cfg);

  /* a threshold with the gradient criterion and no gradient scores */
  g_assert_false (lab_prune_scores (mlp, LAB_PRUNE_GRADIENT, NULL, 0, scores, &error));
  g_assert_error (error, LAB_ENGINE_ERROR, LAB_ENGINE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "needs gradient scores"));
  g_clear_error (&error);
  g_assert_false (lab_prune_scores (mlp, LAB_PRUNE_SALIENCY, NULL, 0, scores, &error));
  g_clear_error (&error);

  /* every neuron of a layer: refused, mask untouched */
  lab_prune_scores (mlp, LAB_PRUNE_MAGNITUDE, NULL, 0, scores, NULL);
  spec = spec_target (LAB_PRUNE_SCOPE_LAYER, LAB_PRUNE_NEURON, 0);
  spec.threshold_mode = LAB_PRUNE_THRESHOLD_ABSOLUTE;
  spec.threshold = 1e9;
  g_assert_false (lab_prune_apply (mlp, &spec, scores, NULL, &error));
  g_assert_error (error, LAB_ENGINE_ERROR, LAB_ENGINE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "layer 1 would lose all 6 neurons"));
  g_clear_error (&error);
  g_assert_null (mlp->mask);
  /* 0.9 of 6 rounds to 5, of 4 to 4: all of layer 2 */
  spec = spec_target (LAB_PRUNE_SCOPE_LAYER, LAB_PRUNE_NEURON, 0.9);
  g_assert_false (lab_prune_apply (mlp, &spec, scores, NULL, &error));
  g_assert_nonnull (strstr (error->message, "layer 2 would lose all 4 neurons"));
  g_clear_error (&error);
  g_assert_null (mlp->mask);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/engine/prune/exact-sparsity", test_exact_sparsity);
  g_test_add_func ("/engine/prune/cumulative", test_cumulative);
  g_test_add_func ("/engine/prune/global-vs-layer", test_global_vs_layer);
  g_test_add_func ("/engine/prune/ties", test_ties);
  g_test_add_func ("/engine/prune/output-layer", test_output_layer);
  g_test_add_func ("/engine/prune/thresholds", test_thresholds);
  g_test_add_func ("/engine/prune/masks-stay-zero", test_masks_stay_zero);
  g_test_add_func ("/engine/prune/compact", test_compact);
  g_test_add_func ("/engine/prune/trainer-compact", test_trainer_compact);
  g_test_add_func ("/engine/prune/gradient-scores", test_gradient_scores);
  g_test_add_func ("/engine/prune/gradual-values", test_gradual_values);
  g_test_add_func ("/engine/prune/gradual-schedule", test_gradual_schedule);
  g_test_add_func ("/engine/prune/iterative-schedule", test_iterative_schedule);
  g_test_add_func ("/engine/prune/rewind", test_rewind);
  g_test_add_func ("/engine/prune/state", test_state);
  g_test_add_func ("/engine/prune/errors", test_errors);

  return g_test_run ();
}
