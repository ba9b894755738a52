/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * test-torch-ref.c: the engine against PyTorch, tensor by tensor (llm.c's test_gpt2.c idea).
 * tests/data/torch-ref.txt was written by tests/data/make-torch-ref.py (see its header for
 * how): two 6-5-4-3 nets (tanh-relu and sigmoid-sigmoid) with weights drawn by torch, a batch
 * of 4, the logits, the cross-entropy and MSE losses with every gradient, and the parameters
 * after 3 Adam (weight decay) and 3 Nesterov SGD steps. The engine is float32 and the
 * reference float64, so values must agree to 1e-5 relative plus a 1e-6 floor.
 */
#define G_LOG_DOMAIN "lab-test"
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "lab-loss.h"
#include "lab-mlp.h"
#include "lab-optim.h"
#include "lab-test-utils.h"

#define RTOL 1e-5
#define ATOL 1e-6

typedef struct
{
  gsize   rows;
  gsize   cols;
  double *v;      /* (rows, cols) */
} Tensor;

typedef struct
{
  GHashTable *tensors;   /* name → Tensor */
  gsize       B;
  float      *x;         /* (B, n_in) */
  guint32    *y;         /* (B) */
} RefFixture;

/* ------------------------------------------------------------------------------------------ */
/* the fixture file */

static void
tensor_free (gpointer p)
{
  Tensor *t = p;
  g_free (t->v);
  g_free (t);
}

/* Parses "name rows cols v…" lines; any malformed line fails the test. */
static GHashTable *
parse_ref (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  GHashTable *tensors = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, tensor_free);

  g_file_get_contents (path, &text, NULL, &error);
  g_assert_no_error (error);
  lines = g_strsplit (text, "\n", -1);

  for (guint n = 0; lines[n] != NULL; n++)
    {
      g_auto(GStrv) tok = NULL;
      Tensor *t;
      guint64 rows, cols;

      g_strstrip (lines[n]);
      if (lines[n][0] == '\0')
        continue;
      tok = g_strsplit (lines[n], " ", -1);
      g_assert_cmpuint (g_strv_length (tok), >=, 3);
      g_assert_true (g_ascii_string_to_unsigned (tok[1], 10, 1, 10000, &rows, NULL));
      g_assert_true (g_ascii_string_to_unsigned (tok[2], 10, 1, 10000, &cols, NULL));
      if (g_strv_length (tok) != 3 + rows * cols)
        g_error ("%s:%u: %s has %u values, expected %" G_GUINT64_FORMAT,
                 path, n + 1, tok[0], g_strv_length (tok) - 3, rows * cols);

      t = g_new0 (Tensor, 1);
      t->rows = rows;
      t->cols = cols;
      t->v = g_new (double, rows * cols);
      for (gsize i = 0; i < rows * cols; i++)
        {
          char *end = NULL;
          t->v[i] = g_ascii_strtod (tok[3 + i], &end);
          g_assert_true (end != tok[3 + i] && *end == '\0');
          g_assert_true (isfinite (t->v[i]));
        }
      g_assert_false (g_hash_table_contains (tensors, tok[0]));
      g_hash_table_insert (tensors, g_strdup (tok[0]), t);
    }
  return tensors;
}

static const Tensor *
get (RefFixture *fix,
     const char *name)
{
  const Tensor *t = g_hash_table_lookup (fix->tensors, name);
  if (t == NULL)
    g_error ("torch-ref.txt has no tensor %s", name);
  return t;
}

static const Tensor *
getf (RefFixture *fix,
      const char *format,
      ...) G_GNUC_PRINTF (2, 3);

static const Tensor *
getf (RefFixture *fix,
      const char *format,
      ...)
{
  g_autofree char *name = NULL;
  va_list args;

  va_start (args, format);
  name = g_strdup_vprintf (format, args);
  va_end (args);
  return get (fix, name);
}

static void
ref_setup (RefFixture    *fix,
           gconstpointer  data)
{
  g_autofree char *path = lab_test_data_path ("torch-ref.txt");
  const Tensor *x, *y;

  (void) data;
  fix->tensors = parse_ref (path);
  x = get (fix, "x");
  y = get (fix, "y");
  g_assert_cmpuint (y->rows, ==, x->rows);
  g_assert_cmpuint (y->cols, ==, 1);
  fix->B = x->rows;
  fix->x = g_new (float, x->rows * x->cols);
  fix->y = g_new (guint32, fix->B);
  for (gsize i = 0; i < x->rows * x->cols; i++)
    fix->x[i] = (float) x->v[i];
  for (gsize r = 0; r < fix->B; r++)
    fix->y[r] = (guint32) y->v[r];
}

static void
ref_teardown (RefFixture    *fix,
              gconstpointer  data)
{
  (void) data;
  g_hash_table_unref (fix->tensors);
  g_free (fix->x);
  g_free (fix->y);
}

/* ------------------------------------------------------------------------------------------ */
/* helpers */

static void
assert_matches (const char   *what,
                const float  *got,
                const Tensor *want,
                gsize         rows,
                gsize         cols)
{
  g_assert_cmpuint (want->rows, ==, rows);
  g_assert_cmpuint (want->cols, ==, cols);
  for (gsize i = 0; i < rows * cols; i++)
    if (!lab_test_close (got[i], want->v[i], RTOL, ATOL))
      g_error ("%s[%zu, %zu] = %.9g, PyTorch says %.9g", what, i / cols, i % cols,
               got[i], want->v[i]);
}

/* A net shaped and filled from "<net>.W0" … in the file; "tr" is tanh-relu, "sg" sigmoid. */
static LabMlp *
load_net (RefFixture *fix,
          const char *net,
          const char *prefix)
{
  LabMlpShape s = { 0 };
  g_autoptr(GError) error = NULL;
  LabMlp *mlp;
  guint n_layers = 0;

  for (;; n_layers++)
    {
      g_autofree char *name = g_strdup_printf ("%s.W%u", net, n_layers);
      if (!g_hash_table_contains (fix->tensors, name))
        break;
    }
  g_assert_cmpuint (n_layers, ==, 3);

  s.n_in = get (fix, "x")->cols;
  s.n_out = getf (fix, "%s.W%u", net, n_layers - 1)->rows;
  s.n_hidden = n_layers - 1;
  for (guint l = 0; l < s.n_hidden; l++)
    {
      s.hidden[l] = getf (fix, "%s.W%u", net, l)->rows;
      s.act[l] = g_str_equal (net, "sg") ? LAB_ACT_SIGMOID
                 : (l == 0 ? LAB_ACT_TANH : LAB_ACT_RELU);
    }
  s.init = LAB_INIT_UNIFORM;
  s.init_scale = 1.0;
  s.max_batch = fix->B;

  mlp = lab_mlp_new (&s, &error);
  g_assert_no_error (error);
  for (guint l = 0; l < mlp->n_layers; l++)
    {
      const Tensor *w = getf (fix, "%s.W%u", prefix, l), *b = getf (fix, "%s.b%u", prefix, l);
      LabView wv = lab_mlp_weight (mlp, l), bv = lab_mlp_bias (mlp, l);

      g_assert_cmpuint (w->rows, ==, wv.rows);
      g_assert_cmpuint (w->cols, ==, wv.cols);
      g_assert_cmpuint (b->rows, ==, bv.rows);
      for (gsize i = 0; i < wv.rows * wv.cols; i++)
        {
          wv.data[i] = (float) w->v[i];
          g_assert_cmpfloat (wv.data[i], ==, w->v[i]);   /* drawn in float32: exact */
        }
      for (gsize i = 0; i < bv.rows; i++)
        bv.data[i] = (float) b->v[i];
    }
  return mlp;
}

/* forward + loss + backward; returns the loss */
static double
compute_grads (RefFixture *fix,
               LabMlp     *mlp,
               LabLoss     loss)
{
  g_autofree float *dl = g_new (float, fix->B * mlp->shape.n_out);
  const float *logits = lab_mlp_forward (mlp, fix->x, fix->B);
  double value = lab_loss_forward (loss, logits, fix->y, fix->B, mlp->shape.n_out, dl, NULL);

  lab_mlp_zero_grad (mlp);
  lab_mlp_backward (mlp, fix->x, dl, fix->B, TRUE);
  return value;
}

/* ------------------------------------------------------------------------------------------ */
/* tests */

static void
test_torch_ref_fixture (RefFixture    *fix,
                        gconstpointer  data)
{
  (void) data;
  g_assert_cmpuint (fix->B, ==, 4);
  g_assert_cmpuint (get (fix, "x")->cols, ==, 6);
  for (gsize r = 0; r < fix->B; r++)
    g_assert_cmpuint (fix->y[r], <, 3);
  g_assert_nonnull (get (fix, "seed"));
}

static void
check_net (RefFixture *fix,
           const char *net)
{
  g_autoptr(LabMlp) mlp = load_net (fix, net, net);
  const float *logits = lab_mlp_forward (mlp, fix->x, fix->B);
  g_autofree char *what = g_strdup_printf ("%s.logits", net);

  assert_matches (what, logits, get (fix, what), fix->B, mlp->shape.n_out);

  for (int loss = LAB_LOSS_SOFTMAX_CE; loss <= LAB_LOSS_MSE; loss++)
    {
      const char *kind = loss == LAB_LOSS_SOFTMAX_CE ? "ce" : "mse";
      double value = compute_grads (fix, mlp, loss);

      lab_assert_close (value, getf (fix, "%s.%s.loss", net, kind)->v[0], RTOL, ATOL);
      for (guint l = 0; l < mlp->n_layers; l++)
        {
          g_autofree char *wn = g_strdup_printf ("%s.%s.dW%u", net, kind, l);
          g_autofree char *bn = g_strdup_printf ("%s.%s.db%u", net, kind, l);
          LabView gw = lab_mlp_weight_grad (mlp, l), gb = lab_mlp_bias_grad (mlp, l);

          assert_matches (wn, gw.data, get (fix, wn), gw.rows, gw.cols);
          assert_matches (bn, gb.data, get (fix, bn), gb.rows, 1);
        }
    }
}

static void
test_torch_ref_tanh_relu (RefFixture    *fix,
                          gconstpointer  data)
{
  (void) data;
  check_net (fix, "tr");
}

static void
test_torch_ref_sigmoid (RefFixture    *fix,
                        gconstpointer  data)
{
  (void) data;
  check_net (fix, "sg");
}

/* Three optimiser steps on the cross-entropy loss, from the "tr" weights. */
static void
check_run (RefFixture         *fix,
           const char         *run,
           const LabOptimSpec *spec,
           double              lr)
{
  g_autoptr(LabMlp) mlp = load_net (fix, "tr", "tr");
  g_autoptr(LabOptim) opt = lab_optim_new (spec, mlp->n_params);
  const Tensor *losses = getf (fix, "tr.%s.loss", run);
  gsize off[LAB_MAX_LAYERS], len[LAB_MAX_LAYERS];
  double delta_sq[LAB_MAX_LAYERS];

  /* one range per weight matrix, as the trainer does; the biases between are updated too */
  for (guint l = 0; l < mlp->n_layers; l++)
    {
      off[l] = mlp->w_off[l];
      len[l] = mlp->sizes[l] * mlp->sizes[l + 1];
    }
  g_assert_cmpuint (losses->rows, ==, 3);

  for (guint step = 1; step <= 3; step++)
    {
      g_autofree float *before = NULL;
      double loss = compute_grads (fix, mlp, LAB_LOSS_SOFTMAX_CE);

      lab_assert_close (loss, losses->v[step - 1], RTOL, ATOL);
      before = g_memdup2 (mlp->params, mlp->n_params * sizeof (float));
      lab_optim_step (opt, mlp->params, mlp->grads, NULL, lr, off, len, mlp->n_layers, delta_sq, NULL);

      for (guint l = 0; l < mlp->n_layers; l++)
        {
          g_autofree char *wn = g_strdup_printf ("tr.%s.%u.W%u", run, step, l);
          g_autofree char *bn = g_strdup_printf ("tr.%s.%u.b%u", run, step, l);
          LabView w = lab_mlp_weight (mlp, l), b = lab_mlp_bias (mlp, l);
          double dsq = 0;

          assert_matches (wn, w.data, get (fix, wn), w.rows, w.cols);
          assert_matches (bn, b.data, get (fix, bn), b.rows, 1);

          /* ‖ΔW_l‖² as reported (float rounding of θ − Δ costs ~1e-4 relative here) */
          for (gsize i = off[l]; i < off[l] + len[l]; i++)
            dsq += ((double) mlp->params[i] - before[i]) * ((double) mlp->params[i] - before[i]);
          lab_assert_close (delta_sq[l], dsq, 1e-3, 1e-12);
          g_assert_cmpfloat (dsq, >, 0.0);
        }
    }
  g_assert_cmpuint (opt->t, ==, 3);
}

static void
test_torch_ref_adam (RefFixture    *fix,
                     gconstpointer  data)
{
  const LabOptimSpec spec = {
    .kind = LAB_OPTIM_ADAM, .beta1 = 0.9, .beta2 = 0.999, .eps = 1e-8, .weight_decay = 0.01,
  };
  (void) data;
  check_run (fix, "adam", &spec, 0.01);
}

static void
test_torch_ref_nesterov (RefFixture    *fix,
                         gconstpointer  data)
{
  const LabOptimSpec spec = { .kind = LAB_OPTIM_NESTEROV, .momentum = 0.9 };
  (void) data;
  check_run (fix, "nesterov", &spec, 0.1);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/engine/torch-ref/fixture", RefFixture, NULL,
              ref_setup, test_torch_ref_fixture, ref_teardown);
  g_test_add ("/engine/torch-ref/tanh-relu", RefFixture, NULL,
              ref_setup, test_torch_ref_tanh_relu, ref_teardown);
  g_test_add ("/engine/torch-ref/sigmoid", RefFixture, NULL,
              ref_setup, test_torch_ref_sigmoid, ref_teardown);
  g_test_add ("/engine/torch-ref/adam", RefFixture, NULL,
              ref_setup, test_torch_ref_adam, ref_teardown);
  g_test_add ("/engine/torch-ref/nesterov", RefFixture, NULL,
              ref_setup, test_torch_ref_nesterov, ref_teardown);

  return g_test_run ();
}
