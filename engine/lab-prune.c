/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-prune.c: pruning criteria, targets, scopes and structures. A criterion gives every
 * parameter a score (already pruned ones -∞); a spec turns the scores into a growing mask by
 * sorting (score, index) pairs, so a sparsity target is met exactly (round(target · n) per
 * layer, or over all layers) and ties go to the lower index whatever the sort does. Neuron
 * pruning masks whole hidden units (incoming row, bias, outgoing column) and compaction then
 * removes them from the matrices. The trainer (lab-trainer-prune.c) drives the schedules.
 */
#define G_LOG_DOMAIN "lab-engine"
#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "lab-enum-private.h"
#include "lab-error.h"
#include "lab-prune.h"
#include "lab-rng.h"

const LabEnumNick lab_prune_criterion_nicks[] = {
  { LAB_PRUNE_MAGNITUDE, "magnitude" },
  { LAB_PRUNE_GRADIENT, "gradient" },
  { LAB_PRUNE_SALIENCY, "saliency" },
  { LAB_PRUNE_RANDOM, "random" },
  { 0, NULL },
};
const LabEnumNick lab_prune_scope_nicks[] = {
  { LAB_PRUNE_SCOPE_LAYER, "layer" },
  { LAB_PRUNE_SCOPE_GLOBAL, "global" },
  { 0, NULL },
};
const LabEnumNick lab_prune_structure_nicks[] = {
  { LAB_PRUNE_WEIGHT, "weight" },
  { LAB_PRUNE_NEURON, "neuron" },
  { 0, NULL },
};
const LabEnumNick lab_prune_threshold_mode_nicks[] = {
  { LAB_PRUNE_THRESHOLD_NONE, "none" },
  { LAB_PRUNE_THRESHOLD_ABSOLUTE, "absolute" },
  { LAB_PRUNE_THRESHOLD_MEAN, "mean" },
  { LAB_PRUNE_THRESHOLD_STD, "std" },
  { 0, NULL },
};
const LabEnumNick lab_prune_schedule_nicks[] = {
  { LAB_PRUNE_SCHEDULE_NONE, "none" },
  { LAB_PRUNE_SCHEDULE_ONESHOT, "oneshot" },
  { LAB_PRUNE_SCHEDULE_ITERATIVE, "iterative" },
  { LAB_PRUNE_SCHEDULE_GRADUAL, "gradual" },
  { 0, NULL },
};
const LabEnumNick lab_prune_output_nicks[] = {
  { LAB_PRUNE_OUTPUT_SAME, "same" },
  { LAB_PRUNE_OUTPUT_HALF, "half" },
  { LAB_PRUNE_OUTPUT_SPARE, "spare" },
  { 0, NULL },
};

LAB_DEFINE_ENUM_STRINGS (LabPruneCriterion, lab_prune_criterion, lab_prune_criterion_nicks)
LAB_DEFINE_ENUM_STRINGS (LabPruneScope, lab_prune_scope, lab_prune_scope_nicks)
LAB_DEFINE_ENUM_STRINGS (LabPruneStructure, lab_prune_structure, lab_prune_structure_nicks)
LAB_DEFINE_ENUM_STRINGS (LabPruneThresholdMode, lab_prune_threshold_mode,
                         lab_prune_threshold_mode_nicks)
LAB_DEFINE_ENUM_STRINGS (LabPruneSchedule, lab_prune_schedule, lab_prune_schedule_nicks)
LAB_DEFINE_ENUM_STRINGS (LabPruneOutput, lab_prune_output, lab_prune_output_nicks)

/* ------------------------------------------------------------------------------------------ */
/* checks                                                                                     */

gboolean
lab_prune_spec_validate (const LabPruneSpec *spec,
                         GError            **error)
{
  g_return_val_if_fail (spec != NULL, FALSE);

  if ((guint) spec->criterion > LAB_PRUNE_RANDOM)
    {
      g_set_error (error, LAB_ENGINE_ERROR, LAB_ENGINE_ERROR_INVALID,
                   _("unknown pruning criterion %d: use magnitude, gradient, saliency or random"),
                   (int) spec->criterion);
      return FALSE;
    }
  if ((guint) spec->scope > LAB_PRUNE_SCOPE_GLOBAL
      || (guint) spec->structure > LAB_PRUNE_NEURON
      || (guint) spec->output > LAB_PRUNE_OUTPUT_SPARE
      || (guint) spec->threshold_mode > LAB_PRUNE_THRESHOLD_STD)
    {
      g_set_error (error, LAB_ENGINE_ERROR, LAB_ENGINE_ERROR_INVALID,
                   _("unknown pruning scope, structure, output or threshold mode"));
      return FALSE;
    }
  if (spec->threshold_mode == LAB_PRUNE_THRESHOLD_NONE)
    {
      if (!(spec->target >= 0.0 && spec->target < 1.0))
        {
          g_set_error (error, LAB_ENGINE_ERROR, LAB_ENGINE_ERROR_INVALID,
                       _("pruning target sparsity %g is outside [0, 1): 0 prunes nothing, 0.9 "
                         "keeps one weight in ten; 1 would remove the whole network"),
                       spec->target);
          return FALSE;
        }
    }
  else if (!(isfinite (spec->threshold) && spec->threshold >= 0.0))
    {
      g_set_error (error, LAB_ENGINE_ERROR, LAB_ENGINE_ERROR_INVALID,
                   _("pruning threshold %g must be finite and at least 0 (entries whose score "
                     "is below it are removed)"), spec->threshold);
      return FALSE;
    }
  return TRUE;
}

/* ------------------------------------------------------------------------------------------ */
/* scores                                                                                     */

gboolean
lab_prune_scores (const LabMlp      *mlp,
                  LabPruneCriterion  criterion,
                  const float       *grad_abs,
                  guint64            seed,
                  float             *scores,
                  GError           **error)
{
  const float *w = mlp->params, *m = mlp->mask;
  gsize n = mlp->n_params;

  g_return_val_if_fail (mlp != NULL && scores != NULL, FALSE);

  switch (criterion)
    {
    case LAB_PRUNE_MAGNITUDE:
      for (gsize i = 0; i < n; i++)
        scores[i] = fabsf (w[i]);
      break;

    case LAB_PRUNE_GRADIENT:
    case LAB_PRUNE_SALIENCY:
      if (grad_abs == NULL)
        {
          g_set_error (error, LAB_ENGINE_ERROR, LAB_ENGINE_ERROR_INVALID,
                       _("the %s criterion needs gradient scores (mean |∂L/∂w| over some "
                         "batches, see lab_trainer_score_gradients()), and none were given"),
                       lab_prune_criterion_to_string (criterion));
          return FALSE;
        }
      if (criterion == LAB_PRUNE_GRADIENT)
        memcpy (scores, grad_abs, n * sizeof (float));
      else
        /* SNIP's connection sensitivity |w · g| (Lee et al. 2019), with g averaged as |g| */
        for (gsize i = 0; i < n; i++)
          scores[i] = fabsf (w[i]) * grad_abs[i];
      break;

    case LAB_PRUNE_RANDOM:
      {
        LabRng rng;

        lab_rng_init (&rng, seed);
        for (gsize i = 0; i < n; i++)
          scores[i] = lab_rng_uniform (&rng);
      }
      break;

    default:
      g_set_error (error, LAB_ENGINE_ERROR, LAB_ENGINE_ERROR_INVALID,
                   _("unknown pruning criterion %d: use magnitude, gradient, saliency or random"),
                   (int) criterion);
      return FALSE;
    }

  /* already pruned: lowest of all, so a mask only ever grows */
  if (m != NULL)
    for (gsize i = 0; i < n; i++)
      if (m[i] == 0.0f)
        scores[i] = -INFINITY;
  return TRUE;
}

/* ------------------------------------------------------------------------------------------ */
/* selection                                                                                  */

/* One candidate for pruning: its score and a tie-breaking index (a parameter index, or
 * layer · LAB_MAX_WIDTH + neuron), so equal scores go lower index first and the result never
 * depends on the sort. */
typedef struct
{
  float  score;
  gsize  index;
} Cand;

static int
cand_compare (const void *a,
              const void *b)
{
  const Cand *x = a, *y = b;

  if (x->score < y->score)
    return -1;
  if (x->score > y->score)
    return 1;
  return (x->index > y->index) - (x->index < y->index);
}

static void
cand_push (GArray *c,
           float   score,
           gsize   index)
{
  Cand e = { isnan (score) ? -INFINITY : score, index };
  g_array_append_val (c, e);
}

/* Mean and standard deviation of the finite scores (the unmasked entries). */
static void
cand_stats (const Cand *c,
            gsize       n,
            double     *mean,
            double     *std)
{
  double s = 0, s2 = 0;
  gsize k = 0;

  for (gsize i = 0; i < n; i++)
    if (isfinite (c[i].score))
      {
        s += c[i].score;
        s2 += (double) c[i].score * c[i].score;
        k++;
      }
  *mean = k ? s / (double) k : 0.0;
  *std = k ? sqrt (MAX (0.0, s2 / (double) k - *mean * *mean)) : 0.0;
}

/* How many of c[0..n), sorted ascending, are pruned: round(target · n) with a sparsity target,
 * or all below the threshold. @rate_scale is 1, or ½ for the output layer under
 * LAB_PRUNE_OUTPUT_HALF. */
static gsize
cand_count (const LabPruneSpec *spec,
            Cand               *c,
            gsize               n,
            double              rate_scale)
{
  double tau, mean, std;
  gsize k = 0;

  if (n == 0)
    return 0;
  qsort (c, n, sizeof (Cand), cand_compare);
  if (spec->threshold_mode == LAB_PRUNE_THRESHOLD_NONE)
    return (gsize) MIN ((double) n, floor (spec->target * rate_scale * (double) n + 0.5));

  cand_stats (c, n, &mean, &std);
  switch (spec->threshold_mode)
    {
    case LAB_PRUNE_THRESHOLD_MEAN:
      tau = spec->threshold * mean;
      break;
    case LAB_PRUNE_THRESHOLD_STD:
      /* Han et al. 2015: a quality parameter times the standard deviation */
      tau = spec->threshold * std;
      break;
    case LAB_PRUNE_THRESHOLD_ABSOLUTE:
    default:
      tau = spec->threshold;
      break;
    }
  tau *= rate_scale;
  while (k < n && c[k].score < tau)
    k++;
  return k;
}

static gsize
count_zeros (const float *m,
             gsize        n)
{
  gsize z = 0;

  if (m == NULL)
    return 0;
  for (gsize i = 0; i < n; i++)
    z += m[i] == 0.0f;
  return z;
}

static gboolean
neuron_is_pruned (const LabMlp *mlp,
                  guint         l,
                  gsize         j)
{
  gsize K = mlp->sizes[l];
  const float *row;

  if (mlp->mask == NULL)
    return FALSE;
  row = mlp->mask + mlp->w_off[l] + j * K;
  if (mlp->mask[mlp->b_off[l] + j] != 0.0f)
    return FALSE;
  for (gsize i = 0; i < K; i++)
    if (row[i] != 0.0f)
      return FALSE;
  return TRUE;
}

/* Masks hidden neuron j of layer l: its incoming row, its bias and its outgoing column. */
static void
mask_neuron (LabMlp *mlp,
             guint   l,
             gsize   j)
{
  gsize K = mlp->sizes[l], N = mlp->sizes[l + 1], O = mlp->sizes[l + 2];
  float *m = mlp->mask;

  for (gsize i = 0; i < K; i++)
    m[mlp->w_off[l] + j * K + i] = 0.0f;
  m[mlp->b_off[l] + j] = 0.0f;
  for (gsize o = 0; o < O; o++)
    m[mlp->w_off[l + 1] + o * N + j] = 0.0f;
}

static double
output_scale (const LabPruneSpec *spec,
              const LabMlp       *mlp,
              guint               l)
{
  if (l + 1 < mlp->n_layers)
    return 1.0;
  switch (spec->output)
    {
    case LAB_PRUNE_OUTPUT_SPARE:
      return 0.0;
    case LAB_PRUNE_OUTPUT_HALF:
      /* half the rate per layer (Frankle & Carbin 2019); one threshold over all layers has no
       * "rate" to halve, so global scope treats HALF as SAME */
      return spec->scope == LAB_PRUNE_SCOPE_GLOBAL ? 1.0 : 0.5;
    case LAB_PRUNE_OUTPUT_SAME:
    default:
      return 1.0;
    }
}

static gboolean
apply_weights (LabMlp             *mlp,
               const LabPruneSpec *spec,
               const float        *scores)
{
  g_autoptr(GArray) c = g_array_new (FALSE, FALSE, sizeof (Cand));
  float *m = mlp->mask;

  for (guint l = 0; l < mlp->n_layers; l++)
    {
      double scale = output_scale (spec, mlp, l);
      gsize nw = mlp->sizes[l] * mlp->sizes[l + 1], nb = mlp->sizes[l + 1];

      if (scale == 0.0)
        continue;
      for (gsize i = 0; i < nw; i++)
        cand_push (c, scores[mlp->w_off[l] + i], mlp->w_off[l] + i);
      if (spec->prune_biases)
        for (gsize i = 0; i < nb; i++)
          cand_push (c, scores[mlp->b_off[l] + i], mlp->b_off[l] + i);

      if (spec->scope == LAB_PRUNE_SCOPE_LAYER)
        {
          gsize k = cand_count (spec, (Cand *) c->data, c->len, scale);
          for (gsize i = 0; i < k; i++)
            m[g_array_index (c, Cand, i).index] = 0.0f;
          g_array_set_size (c, 0);
        }
    }
  if (spec->scope == LAB_PRUNE_SCOPE_GLOBAL)
    {
      gsize k = cand_count (spec, (Cand *) c->data, c->len, 1.0);
      for (gsize i = 0; i < k; i++)
        m[g_array_index (c, Cand, i).index] = 0.0f;
    }
  return TRUE;
}

/* Neuron score: the L2 norm of the scores of its incoming weights (masked ones count 0); an
 * already pruned neuron scores -∞ so it is counted first and a target stays cumulative. */
static float
neuron_score (const LabMlp *mlp,
              const float  *scores,
              guint         l,
              gsize         j)
{
  gsize K = mlp->sizes[l];
  const float *row = scores + mlp->w_off[l] + j * K;
  double s2 = 0;

  if (neuron_is_pruned (mlp, l, j))
    return -INFINITY;
  for (gsize i = 0; i < K; i++)
    if (isfinite (row[i]))
      s2 += (double) row[i] * row[i];
  return (float) sqrt (s2);
}

static gboolean
apply_neurons (LabMlp             *mlp,
               const LabPruneSpec *spec,
               const float        *scores,
               gsize              *neurons_removed,
               GError            **error)
{
  g_autoptr(GArray) c = g_array_new (FALSE, FALSE, sizeof (Cand));
  g_autoptr(GArray) chosen = g_array_new (FALSE, FALSE, sizeof (Cand));
  guint n_hidden = mlp->n_layers - 1;
  gsize lost[LAB_MAX_LAYERS] = { 0 };

  for (guint l = 0; l < n_hidden; l++)
    {
      for (gsize j = 0; j < mlp->sizes[l + 1]; j++)
        cand_push (c, neuron_score (mlp, scores, l, j), (gsize) l * LAB_MAX_WIDTH + j);
      if (spec->scope == LAB_PRUNE_SCOPE_LAYER)
        {
          gsize k = cand_count (spec, (Cand *) c->data, c->len, 1.0);
          g_array_append_vals (chosen, c->data, k);
          g_array_set_size (c, 0);
        }
    }
  if (spec->scope == LAB_PRUNE_SCOPE_GLOBAL)
    {
      gsize k = cand_count (spec, (Cand *) c->data, c->len, 1.0);
      g_array_append_vals (chosen, c->data, k);
    }

  /* check before touching the mask: a layer with no neuron left cuts the network in two */
  for (guint i = 0; i < chosen->len; i++)
    lost[g_array_index (chosen, Cand, i).index / LAB_MAX_WIDTH]++;
  for (guint l = 0; l < n_hidden; l++)
    if (lost[l] >= mlp->sizes[l + 1])
      {
        g_set_error (error, LAB_ENGINE_ERROR, LAB_ENGINE_ERROR_INVALID,
                     _("neuron pruning would empty a hidden layer: layer %u would lose all %zu "
                       "neurons; lower the target or the threshold"), l + 1, mlp->sizes[l + 1]);
        return FALSE;
      }

  for (guint i = 0; i < chosen->len; i++)
    {
      gsize idx = g_array_index (chosen, Cand, i).index;
      guint l = (guint) (idx / LAB_MAX_WIDTH);
      gsize j = idx % LAB_MAX_WIDTH;

      if (!neuron_is_pruned (mlp, l, j))
        neurons_removed[l]++;
      mask_neuron (mlp, l, j);
    }
  return TRUE;
}

gboolean
lab_prune_apply (LabMlp             *mlp,
                 const LabPruneSpec *spec,
                 const float        *scores,
                 LabPruneReport     *report,
                 GError            **error)
{
  gsize before[LAB_MAX_LAYERS], neurons[LAB_MAX_LAYERS] = { 0 };
  g_autofree float *old_mask = NULL;
  gboolean had_mask;

  g_return_val_if_fail (mlp != NULL && spec != NULL && scores != NULL, FALSE);

  if (!lab_prune_spec_validate (spec, error))
    return FALSE;
  if (spec->structure == LAB_PRUNE_NEURON && mlp->n_layers < 2)
    {
      g_set_error (error, LAB_ENGINE_ERROR, LAB_ENGINE_ERROR_INVALID,
                   _("neuron pruning needs a hidden layer, and this network has none"));
      return FALSE;
    }

  had_mask = mlp->mask != NULL;
  for (guint l = 0; l < mlp->n_layers; l++)
    before[l] = count_zeros (had_mask ? mlp->mask + mlp->w_off[l] : NULL,
                             mlp->sizes[l] * mlp->sizes[l + 1]);
  if (had_mask)
    old_mask = g_memdup2 (mlp->mask, mlp->n_params * sizeof (float));
  lab_mlp_ensure_mask (mlp);

  if (spec->structure == LAB_PRUNE_WEIGHT)
    apply_weights (mlp, spec, scores);
  else if (!apply_neurons (mlp, spec, scores, neurons, error))
    {
      /* leave the model as it was */
      if (had_mask)
        memcpy (mlp->mask, old_mask, mlp->n_params * sizeof (float));
      else
        g_clear_pointer (&mlp->mask, g_aligned_free);
      return FALSE;
    }
  lab_mlp_apply_mask (mlp);

  if (report != NULL)
    {
      gsize pruned = 0;

      memset (report, 0, sizeof *report);
      report->n_layers = mlp->n_layers;
      for (guint l = 0; l < mlp->n_layers; l++)
        {
          gsize nw = mlp->sizes[l] * mlp->sizes[l + 1];

          report->total[l] = nw;
          report->pruned[l] = count_zeros (mlp->mask + mlp->w_off[l], nw);
          report->removed[l] = report->pruned[l] - before[l];
          report->neurons_removed[l] = neurons[l];
          pruned += report->pruned[l];
        }
      report->sparsity = (double) pruned / (double) mlp->n_weights;
    }
  return TRUE;
}

/* ------------------------------------------------------------------------------------------ */
/* compaction                                                                                 */

/* Which units survive compaction, per layer: keep[l][j] for unit j of layer l (0 = input);
 * input and output units always do. @keep_buf is their storage. */
static void
compact_keep (const LabMlp *mlp,
              gboolean     *keep_buf,
              gboolean     *keep[LAB_MAX_LAYERS + 1])
{
  gsize off = 0;

  for (guint l = 0; l <= mlp->n_layers; l++)
    {
      keep[l] = keep_buf + off;
      for (gsize j = 0; j < mlp->sizes[l]; j++)
        keep[l][j] = l == 0 || l == mlp->n_layers || !neuron_is_pruned (mlp, l - 1, j);
      off += mlp->sizes[l];
    }
}

/* The compacted network's shape: each hidden layer as wide as its surviving neurons. */
static gboolean
compact_shape (const LabMlp  *mlp,
               gboolean      *keep[LAB_MAX_LAYERS + 1],
               LabMlpShape   *shape,
               GError       **error)
{
  *shape = mlp->shape;
  shape->max_batch = mlp->ws_batch;
  /* no skip was active; narrower layers could become equal in width and gain one */
  shape->residual = FALSE;
  for (guint l = 0; l < shape->n_hidden; l++)
    {
      gsize n = 0;
      for (gsize j = 0; j < mlp->sizes[l + 1]; j++)
        n += keep[l + 1][j];
      if (n == 0)
        {
          g_set_error (error, LAB_ENGINE_ERROR, LAB_ENGINE_ERROR_INVALID,
                       _("cannot compact: hidden layer %u has no neuron left"), l + 1);
          return FALSE;
        }
      shape->hidden[l] = n;
    }
  return TRUE;
}

/* Layer @l's surviving rows and columns (and mask) into @out. A removed input neuron still
 * outputs the constant f(0) (0.5 for a sigmoid): what it sent through a weight is folded into
 * the bias. */
static void
compact_layer (const LabMlp *mlp,
               LabMlp       *out,
               guint         l,
               gboolean     *keep[LAB_MAX_LAYERS + 1])
{
  gsize K = mlp->sizes[l], N = mlp->sizes[l + 1], K2 = out->sizes[l];
  const float *w = mlp->params + mlp->w_off[l], *b = mlp->params + mlp->b_off[l];
  const float *mw = mlp->mask ? mlp->mask + mlp->w_off[l] : NULL;
  const float *mb = mlp->mask ? mlp->mask + mlp->b_off[l] : NULL;
  float *w2 = out->params + out->w_off[l], *b2 = out->params + out->b_off[l];
  float *mw2 = out->mask + out->w_off[l], *mb2 = out->mask + out->b_off[l];
  float zero = 0.0f, f0 = 0.0f;
  gsize r2 = 0;

  if (l > 0)
    lab_activation_forward (mlp->act[l - 1], &zero, &f0, 1);
  for (gsize r = 0; r < N; r++)
    {
      gsize c2 = 0;
      float bias = b[r];

      if (!keep[l + 1][r])
        continue;
      for (gsize c = 0; c < K; c++)
        {
          if (keep[l][c])
            {
              w2[r2 * K2 + c2] = w[r * K + c];
              mw2[r2 * K2 + c2] = mw ? mw[r * K + c] : 1.0f;
              c2++;
            }
          else if (l > 0)
            bias += f0 * w[r * K + c];
        }
      b2[r2] = bias;
      mb2[r2] = mb ? mb[r] : 1.0f;
      r2++;
    }
}

LabMlp *
lab_prune_compact (const LabMlp *mlp,
                   GError      **error)
{
  g_autoptr(LabMlp) out = NULL;
  g_autofree gboolean *keep_buf = NULL;
  gboolean *keep[LAB_MAX_LAYERS + 1];
  LabMlpShape shape;
  gsize total = 0;
  gboolean dense = TRUE;

  g_return_val_if_fail (mlp != NULL, NULL);

  for (guint l = 0; l < mlp->n_layers; l++)
    if (mlp->skip[l])
      {
        g_set_error (error, LAB_ENGINE_ERROR, LAB_ENGINE_ERROR_INVALID,
                     _("cannot compact a network with residual skip connections: a skip adds "
                       "layer %u's units one to one into layer %u, so removing a neuron from "
                       "one would misalign the other; set model.residual = false"), l, l + 1);
        return NULL;
      }
  for (guint l = 0; l <= mlp->n_layers; l++)
    total += mlp->sizes[l];
  keep_buf = g_new (gboolean, total);
  compact_keep (mlp, keep_buf, keep);
  if (!compact_shape (mlp, keep, &shape, error) || (out = lab_mlp_new (&shape, error)) == NULL)
    return NULL;
  lab_mlp_ensure_mask (out);
  for (guint l = 0; l < mlp->n_layers; l++)
    compact_layer (mlp, out, l, keep);

  for (gsize i = 0; i < out->n_params && dense; i++)
    dense = out->mask[i] != 0.0f;
  if (dense)
    g_clear_pointer (&out->mask, g_aligned_free);
  return g_steal_pointer (&out);
}

/* ------------------------------------------------------------------------------------------ */
/* rewinding and schedules                                                                    */

void
lab_prune_rewind (LabMlp      *mlp,
                  const float *saved)
{
  g_return_if_fail (mlp != NULL && saved != NULL);

  memcpy (mlp->params, saved, mlp->n_params * sizeof (float));
  lab_mlp_apply_mask (mlp);
}

double
lab_prune_gradual_target (double  s_i,
                          double  s_f,
                          guint64 t,
                          guint64 t0,
                          guint64 t1)
{
  double p;

  if (t <= t0)
    return s_i;
  if (t >= t1)
    return s_f;
  p = 1.0 - (double) (t - t0) / (double) (t1 - t0);
  return s_f + (s_i - s_f) * p * p * p;
}

double
lab_prune_iterative_target (double rate,
                            guint  round)
{
  return 1.0 - pow (1.0 - rate, (double) round);
}
