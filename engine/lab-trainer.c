/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-trainer.c: the training loop, one step at a time, so that the session thread can apply
 * commands between steps. A step: gather a shuffled batch (uint8 → float into a reused buffer),
 * forward, loss, backward, statistics, clip, optimiser update. Nothing is allocated per step.
 */
#define G_LOG_DOMAIN "lab-engine"
#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <inttypes.h>
#include <math.h>
#include <string.h>

#include "lab-error.h"
#include "lab-loss.h"
#include "lab-npy.h"
#include "lab-ops.h"
#include "lab-rng.h"
#include "lab-trainer-private.h"


static void
trainer_new_epoch (LabTrainer *tr)
{
  gsize n = tr->data->train.n;

  for (gsize i = 0; i < n; i++)
    tr->order[i] = (guint32) i;
  if (tr->cfg.data.shuffle)
    lab_rng_shuffle (&tr->order_rng, tr->order, n);
  tr->pos = 0;
}

static void
trainer_alloc_batch (LabTrainer *tr)
{
  gsize B = tr->mlp->ws_batch;

  g_free (tr->xb);
  g_free (tr->yb);
  g_free (tr->dlogits);
  tr->xb = g_new (float, B * tr->data->dim);
  tr->yb = g_new (guint32, B);
  tr->dlogits = g_new (float, B * tr->mlp->sizes[tr->mlp->n_layers]);
}

/* train.threads = 0 (auto): every core (but those the window keeps for its UI thread) once a
 * step's GEMMs are big enough to split. Measured on 2 cores (bench/run): 784-256-128-10 at
 * batch 64, 90 MFLOP a step, trains at 64k samples/s headless on one thread and 100k on two.
 * (Before snapshots were announced at most every 8 ms, the woken consumer took the second core
 * and one thread was faster.) In the window, two threads fell to 28–33k: a split GEMM waits for
 * whichever half the UI thread preempted (bench/window), hence lab_blas_reserve_cores(). The 2-D
 * presets' steps are under 1 MFLOP: OpenBLAS would not split them, so they keep one thread. */
#define AUTO_THREADS_MIN_FLOP 8e6

static void
trainer_set_threads (LabTrainer *tr)
{
  guint n = tr->cfg.train.threads;

  if (n == 0)
    n = 6.0 * (double) tr->mlp->n_params * (double) tr->batch >= AUTO_THREADS_MIN_FLOP
        ? lab_blas_auto_threads () : 1;
  lab_blas_set_threads (n);
}

LabTrainer *
lab_trainer_new (const LabConfig *cfg,
                 LabDataset      *data,
                 GError         **error)
{
  g_autoptr(LabTrainer) tr = NULL;
  LabMlpShape shape;
  LabOptimSpec ospec;
  LabRng init_rng;

  g_return_val_if_fail (cfg != NULL, NULL);

  tr = g_new0 (LabTrainer, 1);
  lab_config_copy (&tr->cfg, cfg);

  if (!lab_config_validate (&tr->cfg, error))
    {
      lab_dataset_free (data);
      return NULL;
    }

  if (data == NULL && (data = lab_config_load_dataset (&tr->cfg, error)) == NULL)
    return NULL;
  tr->data = data;
  if (data->train.n == 0)
    {
      g_set_error (error, LAB_ENGINE_ERROR, LAB_ENGINE_ERROR_INVALID,
                   _("%s: the training split is empty"), data->name);
      return NULL;
    }

  lab_config_mlp_shape (&tr->cfg, data->dim, data->n_classes, &shape);
  if ((tr->mlp = lab_mlp_new (&shape, error)) == NULL)
    return NULL;

  /* init and data order draw from separate streams, so changing one never shifts the other */
  lab_rng_init (&init_rng, tr->cfg.train.seed);
  lab_mlp_init_params (tr->mlp, &init_rng);
  lab_rng_init (&tr->order_rng, tr->cfg.train.seed ^ 0x5DEECE66Dull);

  ospec = (LabOptimSpec) {
    .kind = tr->cfg.train.optimizer,
    .momentum = tr->cfg.train.momentum,
    .beta1 = tr->cfg.train.beta1,
    .beta2 = tr->cfg.train.beta2,
    .eps = tr->cfg.train.eps,
    .weight_decay = tr->cfg.train.weight_decay,
  };
  tr->opt = lab_optim_new (&ospec, tr->mlp->n_params);

  tr->batch = tr->cfg.train.batch;
  tr->lr = tr->cfg.train.lr;
  tr->clip_mode = tr->cfg.clip.mode;
  tr->clip_value = tr->cfg.clip.value;
  tr->order = g_new (guint32, data->train.n);
  trainer_alloc_batch (tr);
  trainer_new_epoch (tr);
  tr->epoch = 1;
  tr->t0 = g_get_monotonic_time ();
  _lab_trainer_prune_init (tr);

  trainer_set_threads (tr);

  return g_steal_pointer (&tr);
}

void
lab_trainer_free (LabTrainer *tr)
{
  if (tr == NULL)
    return;
  _lab_trainer_prune_free (tr);
  lab_mlp_free (tr->mlp);
  lab_optim_free (tr->opt);
  lab_dataset_free (tr->data);
  lab_config_clear (&tr->cfg);
  g_free (tr->order);
  g_free (tr->xb);
  g_free (tr->yb);
  g_free (tr->dlogits);
  g_free (tr);
}

guint64
lab_trainer_steps_per_epoch (LabTrainer *tr)
{
  return (tr->data->train.n + tr->batch - 1) / tr->batch;
}

guint64
lab_trainer_total_steps (LabTrainer *tr)
{
  if (tr->cfg.train.steps > 0)
    return tr->cfg.train.steps;
  return lab_trainer_steps_per_epoch (tr) * tr->cfg.train.epochs;
}

gsize
lab_trainer_last_rows (LabTrainer *tr)
{
  return tr->last_rows;
}

void
lab_trainer_restart_schedule (LabTrainer *tr,
                              guint64     n_steps)
{
  g_return_if_fail (tr != NULL && n_steps > 0);

  tr->sched_origin = tr->step;
  tr->sched_steps = n_steps;
}

gboolean
lab_trainer_finished (LabTrainer *tr)
{
  return tr->step >= lab_trainer_total_steps (tr);
}

guint64 lab_trainer_get_step (LabTrainer *tr) { return tr->step; }
guint lab_trainer_get_epoch (LabTrainer *tr) { return tr->epoch; }
gsize lab_trainer_samples_seen (LabTrainer *tr) { return tr->seen; }
LabMlp *lab_trainer_get_mlp (LabTrainer *tr) { return tr->mlp; }
LabDataset *lab_trainer_get_dataset (LabTrainer *tr) { return tr->data; }
const LabConfig *lab_trainer_get_config (LabTrainer *tr) { return &tr->cfg; }

LabDataset *
lab_trainer_take_dataset (LabTrainer *tr)
{
  return g_steal_pointer (&tr->data);
}

void
lab_trainer_set_lr (LabTrainer *tr,
                    double      lr)
{
  g_return_if_fail (lr > 0 && isfinite (lr));
  tr->lr = lr;
  tr->cfg.train.lr = lr;
}

void
lab_trainer_set_clip (LabTrainer  *tr,
                      LabClipMode  mode,
                      double       value)
{
  tr->clip_mode = mode;
  tr->clip_value = value;
  tr->cfg.clip.mode = mode;
  tr->cfg.clip.value = value;
}

gboolean
lab_trainer_set_batch (LabTrainer *tr,
                       guint       batch,
                       GError    **error)
{
  if (batch < 1 || batch > LAB_MAX_BATCH)
    {
      g_set_error (error, LAB_ENGINE_ERROR, LAB_ENGINE_ERROR_INVALID,
                   _("batch size %u is out of range 1 to %d"), batch, LAB_MAX_BATCH);
      return FALSE;
    }
  if (batch > tr->mlp->ws_batch)
    {
      /* grow the workspace: a copy keeps parameters and mask, then swap */
      LabMlpShape shape = tr->mlp->shape;
      LabMlp *bigger;

      shape.max_batch = batch;
      bigger = lab_mlp_new (&shape, error);
      if (bigger == NULL)
        return FALSE;
      memcpy (bigger->params, tr->mlp->params, tr->mlp->n_params * sizeof (float));
      if (tr->mlp->mask != NULL)
        memcpy (lab_mlp_ensure_mask (bigger), tr->mlp->mask, tr->mlp->n_params * sizeof (float));
      lab_mlp_free (tr->mlp);
      tr->mlp = bigger;
      trainer_alloc_batch (tr);
    }
  tr->batch = batch;
  tr->cfg.train.batch = batch;
  trainer_set_threads (tr);
  return TRUE;
}

/* ------------------------------------------------------------------------------------------ */
/* one step, in the order lab_trainer_step() calls them */

/* The next batch: a new epoch when the last one is used up, the [prune] schedule, then the
 * rows gathered into the batch buffers. Returns the batch's rows (0 on error). */
static gsize
step_batch (LabTrainer *tr,
            GError    **error)
{
  gsize n = tr->data->train.n, B;

  if (tr->pos >= n)
    {
      trainer_new_epoch (tr);
      tr->epoch++;
    }
  if (!_lab_trainer_prune_schedule (tr, error))
    return 0;
  /* the last batch of an epoch is partial, as PyTorch's DataLoader without drop_last */
  B = MIN ((gsize) tr->batch, n - tr->pos);
  tr->last_rows = B;
  lab_split_gather (&tr->data->train, tr->order + tr->pos, B, tr->xb, tr->yb);
  return B;
}

static gboolean
diverged (LabTrainer *tr,
          GError    **error,
          const char *what)
{
  /* Translators: %s says what went wrong, e.g. "the loss is NaN" */
  g_set_error (error, LAB_ENGINE_ERROR, LAB_ENGINE_ERROR_DIVERGED,
               _("diverged at step %" PRIu64 ": %s; lower the learning rate or clip the "
                 "gradients"), tr->step + 1, what);
  return FALSE;
}

/* Forward and loss (dlogits for backward); the step's row starts here. */
static gboolean
step_forward (LabTrainer   *tr,
              gsize         B,
              LabStepStats *st,
              GError      **error)
{
  LabMlp *mlp = tr->mlp;
  gsize n_correct;
  double loss;

  lab_mlp_forward (mlp, tr->xb, B);
  loss = lab_loss_forward (tr->cfg.model.loss, mlp->z[mlp->n_layers - 1], tr->yb, B,
                           mlp->sizes[mlp->n_layers], tr->dlogits, &n_correct);
  if (!isfinite (loss))
    return diverged (tr, error, isnan (loss) ? _("the loss is NaN") : _("the loss is infinite"));

  memset (st, 0, sizeof *st);
  st->step = tr->step + 1;
  st->epoch = tr->epoch;
  st->n_layers = mlp->n_layers;
  st->samples = (guint) B;
  st->loss = loss;
  st->accuracy = (double) n_correct / (double) B;
  st->test_loss = NAN;
  st->test_accuracy = NAN;
  return TRUE;
}

/* Gradient statistics ride on one pass the step makes anyway: masking the gradients and
 * counting pruned weights when there is a mask, then Σg² and Σ|g| of each layer. Sets the
 * global norm (before clipping) and the sparsities. */
static void
step_grad_stats (LabTrainer   *tr,
                 gsize         B,
                 LabStepStats *st)
{
  LabMlp *mlp = tr->mlp;
  gsize n_pruned = 0;
  double g_sq = 0;

  for (guint l = 0; l < mlp->n_layers; l++)
    {
      LabLayerStats *ls = &st->layer[l];
      gsize nw = mlp->sizes[l] * mlp->sizes[l + 1], nb = mlp->sizes[l + 1];
      float *g = mlp->grads + mlp->w_off[l], *gb = mlp->grads + mlp->b_off[l];
      double sq, ab;

      if (mlp->mask != NULL)
        {
          const float *m = mlp->mask + mlp->w_off[l], *mb = mlp->mask + mlp->b_off[l];
          gsize pruned = 0;
          for (gsize i = 0; i < nw; i++)
            {
              g[i] *= m[i];
              pruned += m[i] == 0.0f;
            }
          for (gsize i = 0; i < nb; i++)
            gb[i] *= mb[i];
          ls->sparsity = (float) ((double) pruned / (double) nw);
          n_pruned += pruned;
        }
      lab_sum_sq_abs (g, nw, &sq, &ab);
      g_sq += sq + lab_sum_squares (gb, nb);
      ls->grad_norm = (float) sqrt (sq);
      ls->grad_mean_abs = (float) (ab / (double) nw);
      ls->delta_norm = mlp->delta_norm[l];
      lab_mlp_activation_stats (mlp, l, B, ls);
    }
  st->sparsity = (double) n_pruned / (double) mlp->n_weights;
  st->grad_norm = sqrt (g_sq);
}

static void
step_clip (LabTrainer *tr,
           double      grad_norm)
{
  LabMlp *mlp = tr->mlp;

  if (tr->clip_mode == LAB_CLIP_NORM && grad_norm > tr->clip_value)
    lab_clip_scale (mlp->grads, mlp->n_params, tr->clip_value, grad_norm);
  else if (tr->clip_mode == LAB_CLIP_VALUE)
    lab_clip (LAB_CLIP_VALUE, tr->clip_value, mlp->grads, mlp->n_params);
}

/* The scheduled learning rate and the optimiser's update; the same pass returns ‖ΔW‖² and
 * ‖W‖² per layer. FALSE when a layer's weights are no longer finite. */
static gboolean
step_update (LabTrainer   *tr,
             LabStepStats *st,
             GError      **error)
{
  LabMlp *mlp = tr->mlp;
  gsize w_len[LAB_MAX_LAYERS];
  double dsq[LAB_MAX_LAYERS], wsq[LAB_MAX_LAYERS];

  for (guint l = 0; l < mlp->n_layers; l++)
    w_len[l] = mlp->sizes[l] * mlp->sizes[l + 1];
  st->lr = lab_schedule_lr (tr->cfg.train.schedule, tr->lr, tr->cfg.train.gamma,
                            tr->cfg.train.step_epochs, tr->cfg.train.lr_min,
                            tr->step - tr->sched_origin, lab_trainer_steps_per_epoch (tr),
                            tr->sched_steps ? tr->sched_steps : lab_trainer_total_steps (tr));
  lab_optim_step (tr->opt, mlp->params, mlp->grads, mlp->mask, st->lr,
                  mlp->w_off, w_len, mlp->n_layers, dsq, wsq);

  for (guint l = 0; l < mlp->n_layers; l++)
    {
      LabLayerStats *ls = &st->layer[l];
      double wn = sqrt (wsq[l]);

      ls->weight_norm = (float) wn;
      ls->update_ratio = wn > 0 ? (float) (sqrt (dsq[l]) / wn) : 0.0f;
      if (!isfinite (wn))
        {
          g_autofree char *what = g_strdup_printf (_("the weights of layer %u are no longer "
                                                     "finite"), l + 1);
          return diverged (tr, error, what);
        }
    }
  return TRUE;
}

static void
step_advance (LabTrainer   *tr,
              gsize         B,
              gint64        t_start,
              LabStepStats *st)
{
  gint64 now = g_get_monotonic_time ();

  tr->pos += B;
  tr->seen += B;
  tr->step++;
  st->time = (double) (now - tr->t0) / G_USEC_PER_SEC;
  st->step_time = (double) (now - t_start) / G_USEC_PER_SEC;
}

gboolean
lab_trainer_step (LabTrainer   *tr,
                  LabStepStats *st,
                  GError      **error)
{
  gint64 t_start = g_get_monotonic_time ();
  gsize B;

  if ((B = step_batch (tr, error)) == 0)
    return FALSE;
  if (!step_forward (tr, B, st, error))
    return FALSE;
  lab_mlp_backward (tr->mlp, tr->xb, tr->dlogits, B, FALSE);
  step_grad_stats (tr, B, st);
  if (!isfinite (st->grad_norm))
    return diverged (tr, error, _("the gradients are not finite (exploding gradients)"));
  step_clip (tr, st->grad_norm);
  if (!step_update (tr, st, error))
    return FALSE;
  step_advance (tr, B, t_start, st);
  return TRUE;
}

LabEval
lab_trainer_evaluate (LabTrainer *tr,
                      gboolean    test)
{
  const LabSplit *split = test ? &tr->data->test : &tr->data->train;
  LabMlp *mlp = tr->mlp;
  gsize C = mlp->sizes[mlp->n_layers], chunk = mlp->ws_batch;
  g_autofree guint32 *idx = g_new (guint32, chunk);
  LabEval ev = { 0, 0, split->n };
  double loss_sum = 0;
  gsize correct = 0;

  if (split->n == 0)
    return (LabEval) { NAN, NAN, 0 };

  for (gsize start = 0; start < split->n; start += chunk)
    {
      gsize B = MIN (chunk, split->n - start), c;

      for (gsize i = 0; i < B; i++)
        idx[i] = (guint32) (start + i);
      lab_split_gather (split, idx, B, tr->xb, tr->yb);
      lab_mlp_forward (mlp, tr->xb, B);
      loss_sum += lab_loss_forward (tr->cfg.model.loss, mlp->z[mlp->n_layers - 1], tr->yb, B, C,
                                    NULL, &c) * (double) B;
      correct += c;
    }
  ev.loss = loss_sum / (double) split->n;
  ev.accuracy = (double) correct / (double) split->n;
  return ev;
}

/* ------------------------------------------------------------------------------------------ */
/* parameters from memory (run files) */

gboolean
lab_trainer_load_params (LabTrainer  *tr,
                         const float *params,
                         const float *mask,
                         gsize        n_params,
                         guint64      step,
                         GError     **error)
{
  LabMlp *mlp = tr->mlp;
  gsize n = tr->data->train.n;
  guint64 spe = lab_trainer_steps_per_epoch (tr);
  guint64 epoch, in_epoch;

  g_return_val_if_fail (params != NULL, FALSE);

  if (n_params != mlp->n_params)
    {
      g_set_error (error, LAB_ENGINE_ERROR, LAB_ENGINE_ERROR_MISMATCH,
                   _("the saved weights hold %zu parameters but the model has %zu"),
                   n_params, mlp->n_params);
      return FALSE;
    }
  for (gsize i = 0; i < n_params; i++)
    {
      if (!isfinite (params[i]))
        {
          g_set_error (error, LAB_ENGINE_ERROR, LAB_ENGINE_ERROR_FORMAT,
                       _("the saved weights are not finite (parameter %zu)"), i);
          return FALSE;
        }
      if (mask != NULL && mask[i] != 0.0f && mask[i] != 1.0f)
        {
          g_set_error (error, LAB_ENGINE_ERROR, LAB_ENGINE_ERROR_FORMAT,
                       _("mask values must be 0 or 1, found %g"), mask[i]);
          return FALSE;
        }
    }

  /* After step s = (e − 1)·spe + k (1 ≤ k ≤ spe) the run is in epoch e with k batches of that
   * epoch's order used; the order of epoch e is the e-th shuffle of the order stream. */
  epoch = step == 0 ? 1 : (step - 1) / spe + 1;
  in_epoch = step - (epoch - 1) * spe;
  if (epoch > G_MAXUINT || (double) epoch * (double) n > 4e9)
    {
      /* replaying the shuffles would take minutes: such a step is not a real run's */
      g_set_error (error, LAB_ENGINE_ERROR, LAB_ENGINE_ERROR_INVALID,
                   _("step %" PRIu64 " is too far into the run to resume (epoch %" PRIu64 ")"),
                   step, epoch);
      return FALSE;
    }
  memcpy (mlp->params, params, n_params * sizeof (float));
  g_clear_pointer (&mlp->mask, g_aligned_free);
  if (mask != NULL)
    {
      memcpy (lab_mlp_ensure_mask (mlp), mask, n_params * sizeof (float));
      lab_mlp_apply_mask (mlp);
    }
  lab_optim_reset (tr->opt);

  lab_rng_init (&tr->order_rng, tr->cfg.train.seed ^ 0x5DEECE66Dull);
  for (guint64 e = 0; e < epoch; e++)
    trainer_new_epoch (tr);
  tr->pos = (gsize) MIN ((guint64) n, in_epoch * tr->batch);
  tr->epoch = (guint) epoch;
  tr->step = step;
  tr->seen = (gsize) MIN (step * tr->batch, (guint64) G_MAXSIZE / 2);
  tr->sched_origin = 0;   /* a loaded run resumes the configured schedule */
  tr->sched_steps = 0;
  _lab_trainer_prune_init (tr);
  return TRUE;
}

/* ------------------------------------------------------------------------------------------ */
/* weights on disk: DIR/W1.npy (out × in), b1.npy, mask1.npy … as numpy and PyTorch expect */

gboolean
lab_trainer_save_weights (LabTrainer *tr,
                          const char *dir,
                          GError    **error)
{
  LabMlp *mlp = tr->mlp;

  if (g_mkdir_with_parents (dir, 0755) != 0)
    {
      int saved = errno;
      g_set_error (error, LAB_ENGINE_ERROR, LAB_ENGINE_ERROR_IO,
                   _("%s: could not create the folder: %s"), dir, g_strerror (saved));
      return FALSE;
    }

  /* Every file is written into a staging folder inside DIR first and moved into place only
   * when all of them are complete: a full disk half-way leaves the previous set intact instead
   * of a mix of old and new layers (which would load back silently if the shapes match). */
  {
    g_autofree char *stage = g_build_filename (dir, ".saving-XXXXXX", NULL);
    g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
    gboolean ok = TRUE;

    if (g_mkdtemp (stage) == NULL)
      {
        int saved = errno;
        g_set_error (error, LAB_ENGINE_ERROR, LAB_ENGINE_ERROR_IO,
                     _("%s: could not write: %s"), dir, g_strerror (saved));
        return FALSE;
      }

    for (guint l = 0; l < mlp->n_layers && ok; l++)
      {
        LabView w = lab_mlp_weight (mlp, l), b = lab_mlp_bias (mlp, l);
        struct { char *name; const float *data; gsize rows, cols; } files[4] = {
          { g_strdup_printf ("W%u.npy", l + 1), w.data, w.rows, w.cols },
          { g_strdup_printf ("b%u.npy", l + 1), b.data, b.rows, 0 },
          /* bias masks matter after neuron pruning: a pruned neuron's bias must stay 0 */
          { g_strdup_printf ("mask%u.npy", l + 1),
            mlp->mask ? mlp->mask + mlp->w_off[l] : NULL, w.rows, w.cols },
          { g_strdup_printf ("bmask%u.npy", l + 1),
            mlp->mask ? mlp->mask + mlp->b_off[l] : NULL, b.rows, 0 },
        };

        for (guint k = 0; k < G_N_ELEMENTS (files); k++)
          {
            g_autofree char *path = g_build_filename (stage, files[k].name, NULL);
            if (ok && files[k].data != NULL)
              ok = lab_npy_save (path, files[k].data, files[k].rows, files[k].cols, error);
            g_ptr_array_add (names, files[k].name);
          }
      }

    for (guint k = 0; k < names->len; k++)
      {
        const char *name = g_ptr_array_index (names, k);
        g_autofree char *from = g_build_filename (stage, name, NULL);
        g_autofree char *to = g_build_filename (dir, name, NULL);

        if (ok && g_file_test (from, G_FILE_TEST_EXISTS))
          {
            if (g_rename (from, to) != 0)
              {
                int saved = errno;
                g_set_error (error, LAB_ENGINE_ERROR, LAB_ENGINE_ERROR_IO,
                             _("%s: could not write: %s"), to, g_strerror (saved));
                ok = FALSE;
              }
          }
        else if (ok)
          g_unlink (to);   /* a stale mask from an earlier run would be read back */
        g_unlink (from);
      }
    g_rmdir (stage);
    return ok;
  }
}

static gboolean
load_matrix (const char *dir,
             const char *name,
             float      *dst,
             gsize       rows,
             gsize       cols,
             gboolean    optional,
             gboolean   *found,
             GError    **error)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autofree float *data = NULL;
  gsize r, c;

  if (found)
    *found = FALSE;
  if (optional && !g_file_test (path, G_FILE_TEST_EXISTS))
    return TRUE;
  if ((data = lab_npy_load (path, &r, &c, error)) == NULL)
    return FALSE;
  /* vectors may be stored (n,), (n, 1) or (1, n) */
  if (cols == 0 && ((c == 0 && r == rows) || (c == 1 && r == rows) || (r == 1 && c == rows)))
    ;
  else if (r != rows || c != cols)
    {
      g_set_error (error, LAB_ENGINE_ERROR, LAB_ENGINE_ERROR_MISMATCH,
                   _("%s: shape (%zu, %zu) does not fit the model, which needs (%zu, %zu)"),
                   path, r, c, rows, cols);
      return FALSE;
    }
  memcpy (dst, data, rows * MAX (cols, 1) * sizeof (float));
  if (found)
    *found = TRUE;
  return TRUE;
}

gboolean
lab_trainer_load_weights (LabTrainer *tr,
                          const char *dir,
                          GError    **error)
{
  LabMlp *mlp = tr->mlp;
  g_autofree float *params = g_new (float, mlp->n_params);
  g_autofree float *mask = g_new (float, mlp->n_params);
  gboolean any_mask = FALSE;

  /* read into scratch buffers: a failure half-way leaves the model untouched */
  for (gsize i = 0; i < mlp->n_params; i++)
    mask[i] = 1.0f;
  for (guint l = 0; l < mlp->n_layers; l++)
    {
      g_autofree char *wname = g_strdup_printf ("W%u.npy", l + 1);
      g_autofree char *bname = g_strdup_printf ("b%u.npy", l + 1);
      g_autofree char *mname = g_strdup_printf ("mask%u.npy", l + 1);
      gsize rows = mlp->sizes[l + 1], cols = mlp->sizes[l];
      gboolean found;

      g_autofree char *bmname = g_strdup_printf ("bmask%u.npy", l + 1);
      gboolean bfound;

      if (!load_matrix (dir, wname, params + mlp->w_off[l], rows, cols, FALSE, NULL, error) ||
          !load_matrix (dir, bname, params + mlp->b_off[l], rows, 0, FALSE, NULL, error) ||
          !load_matrix (dir, mname, mask + mlp->w_off[l], rows, cols, TRUE, &found, error) ||
          !load_matrix (dir, bmname, mask + mlp->b_off[l], rows, 0, TRUE, &bfound, error))
        return FALSE;
      any_mask |= found || bfound;
    }
  /* a W(L+1).npy would mean the files belong to a deeper network */
  {
    g_autofree char *extra = g_strdup_printf ("W%u.npy", mlp->n_layers + 1);
    g_autofree char *path = g_build_filename (dir, extra, NULL);
    if (g_file_test (path, G_FILE_TEST_EXISTS))
      {
        g_set_error (error, LAB_ENGINE_ERROR, LAB_ENGINE_ERROR_MISMATCH,
                     _("%s: the folder holds more layers than the model's %u"), dir, mlp->n_layers);
        return FALSE;
      }
  }
  if (any_mask)
    for (gsize i = 0; i < mlp->n_params; i++)
      if (mask[i] != 0.0f && mask[i] != 1.0f)
        {
          g_set_error (error, LAB_ENGINE_ERROR, LAB_ENGINE_ERROR_FORMAT,
                       _("%s: mask values must be 0 or 1, found %g"), dir, mask[i]);
          return FALSE;
        }

  memcpy (mlp->params, params, mlp->n_params * sizeof (float));
  g_clear_pointer (&mlp->mask, g_aligned_free);
  if (any_mask)
    {
      memcpy (lab_mlp_ensure_mask (mlp), mask, mlp->n_params * sizeof (float));
      lab_mlp_apply_mask (mlp);
    }
  lab_optim_reset (tr->opt);
  _lab_trainer_prune_init (tr);
  return TRUE;
}
