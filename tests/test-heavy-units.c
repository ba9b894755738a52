/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * test-heavy-units.c: the per-neuron parts of heavy snapshots (lab-heavy-units.h) against
 * independent computations: each unit's ‖δ_j‖ against per-sample bias gradients (and the step's
 * ‖δ_l‖), the probe sample's activations against a naive double-precision forward pass, the
 * unit maps against single forward passes at the four grid points of each cell, the gradient
 * copy against the network's; and a session that carries them, asks for gradients while
 * paused, and records δ on the steps it publishes, also at full speed.
 */
#define G_LOG_DOMAIN "test-heavy-units"
#include "config.h"

#include <math.h>
#include <string.h>

#include "lab-heavy-units.h"
#include "lab-loss.h"
#include "lab-session.h"
#include "lab-test-utils.h"

#define B 6

static LabMlp *
make_mlp (void)
{
  return lab_test_small_mlp (TRUE, 11);
}

static void
fill_batch (float   *x,
            guint32 *y)
{
  for (guint i = 0; i < B; i++)
    {
      x[2 * i] = (float) sin (1.3 * i + 0.2);
      x[2 * i + 1] = (float) cos (0.9 * i) * 0.8f;
      y[i] = i % 3;
    }
}

/* ‖δ_j‖ over a batch of B: the batch loss is the mean of the samples' losses, so δ of sample i
 * is 1/B of the δ its own loss gives, which a backward pass over that sample alone returns as
 * the bias gradient (G_b = Σ_B δ over one row). */
static void
test_unit_delta (void)
{
  g_autoptr(LabMlp) mlp = make_mlp ();
  float x[2 * B], dlogits[3 * B], d1[3];
  guint32 y[B];
  double ref[3][5] = { { 0 } };
  LabHeavy *hv;

  fill_batch (x, y);
  for (guint i = 0; i < B; i++)
    {
      lab_mlp_forward (mlp, x + 2 * i, 1);
      lab_loss_forward (LAB_LOSS_SOFTMAX_CE, mlp->z[2], y + i, 1, 3, d1, NULL);
      lab_mlp_backward (mlp, x + 2 * i, d1, 1, FALSE);
      for (guint l = 0; l < 3; l++)
        {
          LabView gb = lab_mlp_bias_grad (mlp, l);
          for (gsize j = 0; j < gb.rows; j++)
            ref[l][j] += ((double) gb.data[j] / B) * ((double) gb.data[j] / B);
        }
    }
  g_assert_false (mlp->unit_delta_filled);   /* off by default: nothing recorded yet */

  lab_mlp_forward (mlp, x, B);
  lab_loss_forward (LAB_LOSS_SOFTMAX_CE, mlp->z[2], y, B, 3, dlogits, NULL);
  lab_mlp_set_unit_delta (mlp, TRUE);
  lab_mlp_backward (mlp, x, dlogits, B, FALSE);
  g_assert_true (mlp->unit_delta_filled);

  hv = lab_heavy_new_from_mlp (mlp, &(LabDataset) { .dim = 2 }, B, 5);
  g_assert_true (lab_heavy_set_unit_delta (hv, mlp, 5));
  g_assert_cmpuint (hv->delta_step, ==, 5);
  for (guint l = 0; l < 3; l++)
    {
      const LabHeavyLayer *layer = lab_heavy_layer (hv, l);
      double sum_sq = 0;

      g_assert_nonnull (layer->unit_delta);
      for (gsize j = 0; j < layer->rows; j++)
        {
          lab_assert_close (layer->unit_delta[j], sqrt (ref[l][j]), 1e-4, 1e-9);
          sum_sq += (double) layer->unit_delta[j] * layer->unit_delta[j];
        }
      /* the units' shares make up the layer's ‖δ_l‖ */
      lab_assert_close (sqrt (sum_sq), mlp->delta_norm[l], 1e-5, 1e-12);
    }
  lab_heavy_free (hv);

  /* a network of other layer sizes is refused, and leaves no views */
  {
    static const gsize sizes[] = { 2, 4, 3 };
    LabHeavy *other = lab_heavy_new_chain (2, sizes, FALSE);

    g_assert_false (lab_heavy_set_unit_delta (other, mlp, 5));
    g_assert_null (other->layers[0].unit_delta);
    lab_heavy_free (other);
  }
}

/* The gradient copy: every layer's view is ∂L/∂W of the network, in a block of its own. */
static void
test_weight_grads (void)
{
  g_autoptr(LabMlp) mlp = make_mlp ();
  float x[2 * B], dlogits[3 * B];
  guint32 y[B];
  LabHeavy *hv;

  fill_batch (x, y);
  lab_mlp_forward (mlp, x, B);
  lab_loss_forward (LAB_LOSS_SOFTMAX_CE, mlp->z[2], y, B, 3, dlogits, NULL);
  lab_mlp_backward (mlp, x, dlogits, B, FALSE);
  hv = lab_heavy_new_from_mlp (mlp, &(LabDataset) { .dim = 2 }, B, 1);
  g_assert_null (hv->layers[0].weight_grad);   /* only when asked */
  lab_heavy_set_weight_grads (hv, mlp);
  for (guint l = 0; l < 3; l++)
    {
      LabView g = lab_mlp_weight_grad (mlp, l);
      const float *hg = lab_heavy_layer (hv, l)->weight_grad;

      g_assert_true (hg != g.data);
      g_assert_cmpmem (hg, g.rows * g.cols * sizeof (float), g.data,
                       g.rows * g.cols * sizeof (float));
    }
  lab_heavy_free (hv);
}

static double
act_ref (LabActivation act,
         double        z)
{
  switch (act)
    {
    case LAB_ACT_TANH:
      return tanh (z);
    case LAB_ACT_RELU:
      return z > 0 ? z : 0;
    case LAB_ACT_LINEAR:
      return z;
    default:
      g_assert_not_reached ();
    }
}

/* The probe sample's activations against a forward pass written out here in double. */
static void
test_probe (void)
{
  g_autoptr(LabMlp) mlp = make_mlp ();
  float xs[3 * 2] = { 0.3f, -0.4f, 0.9f, 0.1f, -0.6f, 0.7f };
  guint8 ys[3] = { 2, 0, 1 };
  LabSplit split = { .n = 3, .dim = 2, .x_f32 = xs, .y = ys };
  double a[3][5], in[5] = { xs[2], xs[3] };
  LabHeavy *hv = lab_heavy_new_from_mlp (mlp, &(LabDataset) { .dim = 2 }, 0, 0);

  g_assert_cmpint (hv->probe_index, ==, -1);
  g_assert_false (lab_heavy_set_probe (hv, mlp, &split, 3));   /* out of range */
  g_assert_null (hv->layers[0].probe_act);
  g_assert_true (lab_heavy_set_probe (hv, mlp, &split, 1));
  g_assert_cmpint (hv->probe_index, ==, 1);
  g_assert_cmpuint (hv->probe_label, ==, 0);
  g_assert_cmpfloat (hv->probe_input[0], ==, 0.9f);
  g_assert_cmpfloat (hv->probe_input[1], ==, 0.1f);

  for (guint l = 0; l < 3; l++)
    {
      LabView w = lab_mlp_weight (mlp, l), b = lab_mlp_bias (mlp, l);

      for (gsize j = 0; j < w.rows; j++)
        {
          double z = b.data[j];
          for (gsize k = 0; k < w.cols; k++)
            z += (double) w.data[j * w.cols + k] * in[k];
          a[l][j] = act_ref (mlp->act[l], z) + (mlp->skip[l] ? in[j] : 0);
        }
      for (gsize j = 0; j < w.rows; j++)
        {
          lab_assert_close (lab_heavy_layer (hv, l)->probe_act[j], a[l][j], 1e-5, 1e-6);
          in[j] = a[l][j];
        }
    }
  lab_heavy_free (hv);
}

/* Maps: cell (r, c) is the mean output at the grid points (2r … 2r+1, 2c … 2c+1), each run
 * through the network on its own; the grid's classes and confidences are lab_mlp_predict()'s. */
static void
test_unit_maps (void)
{
  g_autoptr(LabMlp) mlp = make_mlp ();
  g_autoptr(LabUnitMaps) maps = lab_unit_maps_new ();
  const guint n = 8, m = 4;
  float xy[8 * 8 * 2], conf[64], conf_ref[64];
  guint8 cls[64], cls_ref[64];
  LabHeavy *hv = lab_heavy_new_from_mlp (mlp, &(LabDataset) { .dim = 2 }, 0, 0);

  g_assert_false (lab_heavy_set_unit_maps (hv, maps, -1, 1));   /* none captured yet */
  for (guint k = 0; k < n * n; k++)
    {
      xy[2 * k] = -1.5f + 3.0f * ((k % n) + 0.5f) / n;
      xy[2 * k + 1] = -1.5f + 3.0f * ((k / n) + 0.5f) / n;
    }
  lab_unit_maps_predict (maps, mlp, xy, n, cls, conf);
  lab_mlp_predict (mlp, xy, n * n, cls_ref, conf_ref);
  g_assert_cmpmem (cls, sizeof cls, cls_ref, sizeof cls_ref);
  g_assert_cmpmem (conf, sizeof conf, conf_ref, sizeof conf_ref);

  g_assert_true (lab_heavy_set_unit_maps (hv, maps, -1.5f, 1.5f));
  g_assert_cmpuint (hv->map_n, ==, m);
  g_assert_cmpfloat (hv->map_lo, ==, -1.5f);
  for (guint r = 0; r < m; r++)
    for (guint c = 0; c < m; c++)
      {
        double sum[3][5] = { { 0 } };

        for (guint dr = 0; dr < 2; dr++)
          for (guint dc = 0; dc < 2; dc++)
            {
              lab_mlp_forward (mlp, xy + 2 * ((2 * r + dr) * n + 2 * c + dc), 1);
              for (guint l = 0; l < 3; l++)
                for (gsize j = 0; j < mlp->sizes[l + 1]; j++)
                  sum[l][j] += mlp->a[l][j] / 4.0;
            }
        for (guint l = 0; l < 3; l++)
          for (gsize j = 0; j < mlp->sizes[l + 1]; j++)
            lab_assert_close (lab_heavy_layer (hv, l)->unit_maps[(j * m + r) * m + c],
                              sum[l][j], 1e-5, 1e-6);
      }
  lab_heavy_free (hv);
}

/* --- through a session ---------------------------------------------------------------------- */

typedef gboolean (*Until) (LabSnapshot *snap,
                           gpointer     data);

/* Takes snapshots until @until holds for one that carries heavy parts; returns it. */
static LabSnapshot *
take_until (LabSession *session,
            Until       until,
            gpointer    data)
{
  gint64 end = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  while (g_get_monotonic_time () < end)
    {
      LabSnapshot *snap = lab_session_take (session);

      if (snap != NULL && snap->heavy != NULL && until (snap, data))
        return snap;
      g_clear_pointer (&snap, lab_snapshot_unref);
      g_usleep (1000);
    }
  g_error ("timed out waiting for the session");
}

static gboolean
at_step (LabSnapshot *snap,
         gpointer     data)
{
  return snap->status.step == GPOINTER_TO_UINT (data) &&
         snap->status.state != LAB_SESSION_RUNNING;
}

static gboolean
has_grads (LabSnapshot *snap,
           gpointer     data)
{
  return snap->heavy->layers[0].weight_grad != NULL;
}

static gboolean
probe_is (LabSnapshot *snap,
          gpointer     data)
{
  return snap->heavy->probe_index == GPOINTER_TO_INT (data);
}

/* A 2-D run: a step by hand publishes its own δ (delta_step is the step, and the units' shares
 * make up the row's ‖δ_l‖), the unit maps come with the decision grid, gradients come when
 * asked, also while paused, and go when no longer asked. */
static void
test_session_plane (void)
{
  LabConfig cfg;
  LabSession *session;
  LabSnapshot *snap;
  const LabHeavy *hv;

  lab_config_init_defaults (&cfg);
  cfg.data.n_train = 200;
  cfg.data.n_test = 50;
  session = lab_session_new (&cfg);
  lab_session_set_heavy_interval (session, 0);
  lab_session_step (session, 3);
  snap = take_until (session, at_step, GUINT_TO_POINTER (3));
  hv = snap->heavy;
  g_assert_cmpuint (hv->delta_step, ==, 3);
  g_assert_cmpuint (hv->map_n, ==, 32);
  g_assert_cmpint (hv->probe_index, ==, -1);   /* 2-D data has maps instead */
  g_assert_cmpuint (lab_row_log_len (snap->rows), >, 0);
  for (guint l = 0; l < hv->n_layers; l++)
    {
      const LabStepStats *row = lab_test_row (snap->rows, lab_row_log_len (snap->rows) - 1);
      const LabHeavyLayer *layer = lab_heavy_layer (hv, l);
      double sum_sq = 0;

      g_assert_cmpuint (row->step, ==, 3);
      g_assert_nonnull (layer->unit_maps);
      g_assert_null (layer->weight_grad);
      for (gsize j = 0; j < layer->rows; j++)
        sum_sq += (double) layer->unit_delta[j] * layer->unit_delta[j];
      lab_assert_close (sqrt (sum_sq), row->layer[l].delta_norm, 1e-4, 1e-12);
    }
  lab_snapshot_unref (snap);

  lab_session_set_heavy_parts (session, LAB_HEAVY_PART_WEIGHT_GRADS, 0);
  snap = take_until (session, has_grads, NULL);
  g_assert_cmpuint (snap->status.step, ==, 3);   /* still paused: sent at once */
  lab_snapshot_unref (snap);
  lab_session_set_heavy_parts (session, 0, 0);
  lab_session_step (session, 1);
  snap = take_until (session, at_step, GUINT_TO_POINTER (4));
  g_assert_null (snap->heavy->layers[0].weight_grad);
  lab_snapshot_unref (snap);

  lab_session_free (session);
  lab_config_clear (&cfg);
}

/* Training at full speed: every heavy snapshot published by time carries the δ of its own step
 * (the session decides before a step that its heavy parts are due, and records δ on it). */
static void
test_session_running (void)
{
  LabConfig cfg;
  LabSession *session;
  guint heavies = 0;
  gint64 end;

  lab_config_init_defaults (&cfg);
  cfg.train.epochs = 100000;
  session = lab_session_new (&cfg);
  lab_session_set_heavy_interval (session, 5);
  lab_session_play (session);
  end = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
  while (heavies < 10 && g_get_monotonic_time () < end)
    {
      g_autoptr(LabSnapshot) snap = lab_session_take (session);

      g_usleep (2000);
      if (snap == NULL || snap->heavy == NULL || snap->status.state != LAB_SESSION_RUNNING ||
          snap->heavy->step == 0)
        continue;
      g_assert_cmpuint (snap->heavy->delta_step, ==, snap->heavy->step);
      g_assert_nonnull (snap->heavy->layers[0].unit_delta);
      heavies++;
    }
  g_assert_cmpuint (heavies, ==, 10);
  lab_session_free (session);
  lab_config_clear (&cfg);
}

/* Other data: heavy parts carry the probe sample the consumer chose. */
static void
test_session_probe (void)
{
  g_autofree char *dir = lab_test_mkdtemp ();
  GString *csv = g_string_new (NULL);
  g_autofree char *path = NULL;
  LabConfig cfg;
  LabSession *session;
  LabSnapshot *snap;

  for (guint i = 0; i < 40; i++)
    g_string_append_printf (csv, "%u,%g,%g,%g\n", i % 2, sin (i), cos (i), 0.1 * i);
  path = lab_test_write_file (dir, "d.csv", csv->str, csv->len);
  g_string_free (csv, TRUE);
  lab_config_init_defaults (&cfg);
  cfg.data.source = LAB_DATA_CSV;
  cfg.data.path = g_strdup (path);
  cfg.data.csv_header = FALSE;
  session = lab_session_new (&cfg);
  lab_session_set_heavy_interval (session, 0);
  lab_session_step (session, 1);
  snap = take_until (session, probe_is, GINT_TO_POINTER (0));
  g_assert_null (snap->heavy->layers[0].unit_maps);
  g_assert_nonnull (snap->heavy->layers[0].probe_act);
  g_assert_nonnull (snap->heavy->probe_input);
  lab_snapshot_unref (snap);
  lab_session_set_heavy_parts (session, 0, 2);
  snap = take_until (session, probe_is, GINT_TO_POINTER (2));
  g_assert_nonnull (snap->heavy->layers[1].probe_act);
  lab_snapshot_unref (snap);
  lab_session_set_heavy_parts (session, 0, -1);
  snap = take_until (session, probe_is, GINT_TO_POINTER (-1));
  g_assert_null (snap->heavy->layers[0].probe_act);
  lab_snapshot_unref (snap);

  lab_session_free (session);
  lab_config_clear (&cfg);
  lab_test_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/engine/heavy-units/unit-delta", test_unit_delta);
  g_test_add_func ("/engine/heavy-units/weight-grads", test_weight_grads);
  g_test_add_func ("/engine/heavy-units/probe", test_probe);
  g_test_add_func ("/engine/heavy-units/unit-maps", test_unit_maps);
  g_test_add_func ("/engine/heavy-units/session-plane", test_session_plane);
  g_test_add_func ("/engine/heavy-units/session-running", test_session_running);
  g_test_add_func ("/engine/heavy-units/session-probe", test_session_probe);
  return g_test_run ();
}
