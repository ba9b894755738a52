/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * test-snapshot.c: what a heavy snapshot tells a plot, checked against the network it was taken
 * from (layer views, masks, sparsity, histograms), the model's grid prediction against softmax
 * by hand, and the session's cadence rules (pacing, the samples/s meter, when to evaluate).
 */
#define G_LOG_DOMAIN "test-snapshot"
#include "config.h"

#include <math.h>
#include <string.h>

#include "lab-cadence.h"
#include "lab-loss.h"
#include "lab-snapshot.h"
#include "lab-test-utils.h"

static LabMlp *
make_mlp (gboolean residual)
{
  return lab_test_small_mlp (residual, 7);
}

/* Layer l of the heavy snapshot is W_l of the network: same shape, values, mask and bias, its
 * activation, and the sparsity its mask says. */
static void
test_heavy_from_mlp (void)
{
  g_autoptr(LabMlp) mlp = make_mlp (TRUE);
  LabDataset data = { .dim = 2, .img_w = 0, .img_h = 0 };
  float x[4 * 2] = { 0.1f, -0.2f, 0.5f, 0.3f, -0.7f, 0.9f, 0.0f, 0.0f };
  float *mask = lab_mlp_ensure_mask (mlp);
  LabHeavy *hv;

  /* prune 3 of the 10 weights of W2's first two rows, and the first bias (not a weight) */
  mask[mlp->w_off[1] + 0] = mask[mlp->w_off[1] + 4] = mask[mlp->w_off[1] + 7] = 0;
  mask[mlp->b_off[0]] = 0;
  lab_mlp_apply_mask (mlp);
  lab_mlp_forward (mlp, x, 4);

  hv = lab_heavy_new_from_mlp (mlp, &data, 4, 42);
  g_assert_cmpuint (hv->step, ==, 42);
  g_assert_cmpuint (hv->n_layers, ==, 3);
  for (guint l = 0; l < 3; l++)
    {
      const LabHeavyLayer *layer = lab_heavy_layer (hv, l);
      LabView w = lab_mlp_weight (mlp, l), b = lab_mlp_bias (mlp, l);
      LabView hw = lab_heavy_weight (hv, l), hm = lab_heavy_mask (hv, l);
      g_autofree char *name = g_strdup_printf ("W%u", l + 1);

      g_assert_cmpstr (layer->name, ==, name);
      g_assert_cmpint (layer->kind, ==, LAB_LAYER_LINEAR);
      g_assert_cmpuint (hw.rows, ==, w.rows);
      g_assert_cmpuint (hw.cols, ==, w.cols);
      g_assert_true (hw.data != w.data);   /* a copy: the engine goes on training */
      g_assert_cmpmem (hw.data, hw.rows * hw.cols * sizeof (float), w.data,
                       w.rows * w.cols * sizeof (float));
      g_assert_cmpmem (layer->bias, w.rows * sizeof (float), b.data, b.rows * sizeof (float));
      g_assert_nonnull (hm.data);
      g_assert_cmpmem (hm.data, hm.rows * hm.cols * sizeof (float), mask + mlp->w_off[l],
                       w.rows * w.cols * sizeof (float));
      g_assert_cmpint (layer->act, ==, mlp->act[l]);
      g_assert_true (layer->act_known);
      g_assert_cmpint (layer->skip, ==, mlp->skip[l]);
    }
  /* sparsity counts weights only: the pruned bias does not count */
  g_assert_cmpfloat (lab_heavy_layer (hv, 0)->sparsity, ==, 0.0);
  g_assert_cmpfloat_with_epsilon (lab_heavy_layer (hv, 1)->sparsity, 3.0 / 25.0, 1e-12);
  g_assert_cmpfloat (lab_heavy_layer (hv, 2)->sparsity, ==, 0.0);
  g_assert_true (lab_heavy_layer (hv, 1)->skip);

  /* histograms: tanh over its fixed range, every activation of the batch counted once */
  {
    const LabHistogram *h = &lab_heavy_layer (hv, 0)->act_hist;
    guint total = 0;

    g_assert_cmpfloat (h->lo, ==, -1.0f);
    for (guint i = 0; i < LAB_HIST_BINS; i++)
      total += h->count[i];
    g_assert_cmpuint (total + h->nonfinite, ==, 4 * 5);
  }
  lab_heavy_free (hv);
}

/* The chain layout is LabMlp's: the engine-only flat block copies whole. */
static void
test_heavy_chain_layout (void)
{
  static const gsize sizes[] = { 4, 3, 2 };
  LabHeavy *hv = lab_heavy_new_chain (2, sizes, TRUE);

  g_assert_cmpuint (hv->n_params, ==, 4 * 3 + 3 + 3 * 2 + 2);
  g_assert_true (hv->layers[0].weight == hv->params);
  g_assert_true (hv->layers[0].bias == hv->params + 12);
  g_assert_true (hv->layers[1].weight == hv->params + 15);
  g_assert_true (hv->layers[1].bias == hv->params + 21);
  g_assert_true (hv->layers[1].mask == hv->mask + 15);
  for (gsize i = 0; i < hv->n_params; i++)
    g_assert_cmpfloat (hv->mask[i], ==, 1.0f);
  g_assert_cmpstr (hv->layers[1].name, ==, "W2");
  g_assert_cmpuint (lab_heavy_weight (hv, 1).rows, ==, 2);
  g_assert_cmpuint (lab_heavy_weight (hv, 1).cols, ==, 3);
  lab_heavy_free (hv);

  hv = lab_heavy_new_chain (2, sizes, FALSE);
  g_assert_null (lab_heavy_mask (hv, 0).data);
  lab_heavy_free (hv);
}

/* Predicted class and confidence: argmax and top softmax probability of the logits, worked out
 * here in double precision, for more inputs than the workspace holds at once. */
static void
test_predict (void)
{
  g_autoptr(LabMlp) mlp = make_mlp (FALSE);
  gsize n = 37;
  g_autofree float *x = g_new (float, 2 * n);
  g_autofree guint8 *cls = g_new (guint8, n);
  g_autofree float *conf = g_new (float, n);

  for (gsize i = 0; i < 2 * n; i++)
    x[i] = (float) sin (0.7 * i) * 1.5f;
  lab_mlp_predict (mlp, x, n, cls, conf);
  for (gsize i = 0; i < n; i++)
    {
      const float *z = lab_mlp_forward (mlp, x + 2 * i, 1);
      double m = MAX (z[0], MAX (z[1], z[2])), sum = 0;
      guint best = z[0] >= z[1] && z[0] >= z[2] ? 0 : z[1] >= z[2] ? 1 : 2;

      for (guint c = 0; c < 3; c++)
        sum += exp (z[c] - m);
      g_assert_cmpuint (cls[i], ==, best);
      lab_assert_close (conf[i], 1.0 / sum, 1e-6, 0);
    }
}

static void
test_softmax_top (void)
{
  float z[3] = { 1.0f, 3.0f, 2.0f };
  gsize best = 99;
  double p = lab_softmax_top (z, 3, &best);

  g_assert_cmpuint (best, ==, 1);
  lab_assert_close (p, exp (3.0) / (exp (1.0) + exp (3.0) + exp (2.0)), 1e-12, 0);
  /* huge logits: stable */
  z[0] = 1000.0f, z[1] = 999.0f, z[2] = -1000.0f;
  lab_assert_close (lab_softmax_top (z, 3, NULL), 1.0 / (1.0 + exp (-1.0)), 1e-12, 0);
}

/* 10 steps/s: the 5th step is due 0.5 s after the start; a restart forgets the earlier steps. */
static void
test_pacer (void)
{
  LabPacer p;

  lab_pacer_restart (&p, 1000000);
  g_assert_cmpint (lab_pacer_wait (&p, 10, 1000000), ==, 0);
  for (int i = 0; i < 5; i++)
    lab_pacer_count (&p);
  g_assert_cmpint (lab_pacer_wait (&p, 10, 1200000), ==, 300000);
  g_assert_cmpint (lab_pacer_wait (&p, 10, 1600000), ==, -100000);
  g_assert_cmpint (lab_pacer_wait (&p, 0, 1200000), ==, 0);   /* no cap */
  lab_pacer_restart (&p, 2000000);
  g_assert_cmpint (lab_pacer_wait (&p, 10, 2000000), ==, 0);
}

static void
test_rate_meter (void)
{
  LabRateMeter m;

  lab_rate_meter_reset (&m);
  g_assert_cmpfloat (lab_rate_meter_update (&m, 100, 1000000), ==, 0);
  /* not a full window yet */
  g_assert_cmpfloat (lab_rate_meter_update (&m, 200, 1100000), ==, 0);
  /* 1000 samples in 0.25 s */
  g_assert_cmpfloat (lab_rate_meter_update (&m, 1100, 1250000), ==, 4000);
  g_assert_cmpfloat (lab_rate_meter_update (&m, 1200, 1300000), ==, 4000);
  g_assert_cmpfloat (lab_rate_meter_update (&m, 1600, 1750000), ==, 1000);
}

/* Evaluation: epoch ends, the run's last step, eval_every, and on small data a time period. */
static void
test_eval_due (void)
{
  g_autoptr(GError) error = NULL;
  LabConfig cfg;
  LabTrainer *tr;
  LabStepStats st = { 0 };
  guint64 per_epoch;

  lab_config_init_defaults (&cfg);
  cfg.data.n_train = 640;
  cfg.data.n_test = 100;
  cfg.train.batch = 64;
  cfg.train.epochs = 2;
  cfg.train.eval_every = 3;
  tr = lab_trainer_new (&cfg, NULL, &error);
  g_assert_no_error (error);
  per_epoch = lab_trainer_steps_per_epoch (tr);
  g_assert_cmpuint (per_epoch, ==, 10);

  st.step = 1;
  g_assert_false (lab_eval_due (tr, &st, 0));
  g_assert_true (lab_eval_due (tr, &st, LAB_EVAL_PERIOD_SMALL));   /* small data: by time */
  st.step = 3;
  g_assert_true (lab_eval_due (tr, &st, 0));                       /* eval_every */
  st.step = 10;
  g_assert_true (lab_eval_due (tr, &st, 0));                       /* epoch end */
  st.step = 20;
  g_assert_true (lab_eval_due (tr, &st, 0));                       /* the last step */
  st.step = 22;
  g_assert_false (lab_eval_due (tr, &st, 0));                      /* past it: not every step */
  lab_trainer_free (tr);
  lab_config_clear (&cfg);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/engine/snapshot/heavy-from-mlp", test_heavy_from_mlp);
  g_test_add_func ("/engine/snapshot/heavy-chain-layout", test_heavy_chain_layout);
  g_test_add_func ("/engine/mlp/predict", test_predict);
  g_test_add_func ("/engine/loss/softmax-top", test_softmax_top);
  g_test_add_func ("/engine/cadence/pacer", test_pacer);
  g_test_add_func ("/engine/cadence/rate-meter", test_rate_meter);
  g_test_add_func ("/engine/cadence/eval-due", test_eval_due);
  return g_test_run ();
}
