/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-config-validate.c: whether a whole config makes a run: every value in range (checked by
 * printing each key and parsing it back through the key table, the same code as a file), the
 * settings that depend on each other, and a size estimate of the network before anything is
 * allocated. Every message names the key, the value and what is allowed.
 */
#define G_LOG_DOMAIN "lab-engine"
#include "config.h"

#include <glib/gi18n-lib.h>
#include <inttypes.h>

#include "lab-config-private.h"
#include "lab-error.h"

/* Every single value, through the same code as a file: print it, parse it back. */
static gboolean
check_values (const LabConfig *cfg,
              GError         **error)
{
  LabConfig scratch;
  LabConfigApply ap;
  gboolean ok = TRUE;

  lab_config_copy (&scratch, cfg);
  _lab_config_apply_init (&ap, &scratch);
  for (guint i = 0; ok && i < _lab_config_n_keys (); i++)
    {
      g_autofree char *value = _lab_config_key_print (i, cfg);
      ok = _lab_config_apply_key (&ap, _lab_config_key_section (i), _lab_config_key_name (i),
                                  value, "", error);
    }
  _lab_config_apply_clear (&ap);
  lab_config_clear (&scratch);
  return ok;
}

static gboolean
check_data (const LabDataConfig *d,
            GError             **error)
{
  if ((d->source == LAB_DATA_IDX || d->source == LAB_DATA_CSV)
      && (d->path == NULL || *d->path == '\0'))
    {
      if (d->source == LAB_DATA_IDX)
        g_set_error (error, LAB_ENGINE_ERROR, LAB_ENGINE_ERROR_INVALID,
                     _("[data] source = idx needs [data] path, a folder with "
                       "train-images-idx3-ubyte(.gz), train-labels-idx1-ubyte(.gz), "
                       "t10k-images-idx3-ubyte(.gz) and t10k-labels-idx1-ubyte(.gz)"));
      else
        g_set_error (error, LAB_ENGINE_ERROR, LAB_ENGINE_ERROR_INVALID,
                     _("[data] source = csv needs [data] path, a .csv file with one sample per "
                       "row (a label column and numeric features)"));
      return FALSE;
    }
  if (d->source == LAB_DATA_XOR && d->n_classes != 2)
    {
      g_set_error (error, LAB_ENGINE_ERROR, LAB_ENGINE_ERROR_INVALID,
                   _("[data] source = xor has 2 classes, but n_classes = %u; set n_classes = 2"),
                   d->n_classes);
      return FALSE;
    }
  return TRUE;
}

static gboolean
check_train (const LabTrainConfig *t,
             GError              **error)
{
  if (t->epochs == 0 && t->steps == 0)
    {
      g_set_error (error, LAB_ENGINE_ERROR, LAB_ENGINE_ERROR_INVALID,
                   _("[train] epochs = 0 and steps = 0: the run would never stop; set epochs or "
                     "steps"));
      return FALSE;
    }
  if (t->schedule == LAB_SCHEDULE_COSINE && t->lr_min > t->lr)
    {
      g_autofree char *lo = _lab_config_format_double (t->lr_min);
      g_autofree char *lr = _lab_config_format_double (t->lr);
      g_set_error (error, LAB_ENGINE_ERROR, LAB_ENGINE_ERROR_INVALID,
                   _("[train] lr_min = '%s': the cosine floor must not exceed lr = %s"), lo, lr);
      return FALSE;
    }
  return TRUE;
}

static gboolean
check_prune (const LabPruneConfig *p,
             GError              **error)
{
  if (p->schedule != LAB_PRUNE_SCHEDULE_GRADUAL)
    return TRUE;
  if (p->begin_step >= p->end_step)
    {
      g_set_error (error, LAB_ENGINE_ERROR, LAB_ENGINE_ERROR_INVALID,
                   _("[prune] schedule = gradual needs begin_step < end_step (they are %" PRIu64
                     " and %" PRIu64 ")"), p->begin_step, p->end_step);
      return FALSE;
    }
  if (p->spec.threshold_mode == LAB_PRUNE_THRESHOLD_NONE && p->initial > p->spec.target)
    {
      g_autofree char *ini = _lab_config_format_double (p->initial);
      g_autofree char *tgt = _lab_config_format_double (p->spec.target);
      g_set_error (error, LAB_ENGINE_ERROR, LAB_ENGINE_ERROR_INVALID,
                   _("[prune] initial = '%s': the gradual ramp starts above its target = %s"),
                   ini, tgt);
      return FALSE;
    }
  return TRUE;
}

/* The input size we expect a source to have, for the size estimate before loading. IDX and
 * CSV files are not known yet; 784 (28×28) is the common case, lab_mlp_new() checks the rest. */
static gsize
guess_inputs (const LabConfig *cfg,
              gsize           *n_out)
{
  if (lab_data_source_is_plane (cfg->data.source))
    {
      *n_out = cfg->data.source == LAB_DATA_XOR ? 2 : cfg->data.n_classes;
      return 2;
    }
  *n_out = 10;
  return 784;
}

/* Size estimate, before anything is allocated: the largest network we agree to build, counting
 * weights and biases (lab_mlp_new() checks it again with the real input size). */
static gboolean
check_size (const LabConfig *cfg,
            GError         **error)
{
  const LabModelConfig *m = &cfg->model;
  gsize n_out, prev = guess_inputs (cfg, &n_out);
  double n_params = 0;

  for (guint i = 0; i < m->n_hidden; i++)
    {
      n_params += (double) prev * m->hidden[i] + m->hidden[i];
      prev = m->hidden[i];
    }
  n_params += (double) prev * n_out + n_out;
  if (n_params > LAB_MAX_PARAMS)
    {
      g_autofree char *hidden = _lab_config_print_hidden (cfg);
      g_set_error (error, LAB_ENGINE_ERROR, LAB_ENGINE_ERROR_INVALID,
                   _("[model] hidden = '%s': about %.0f parameters; the limit is %d (200 "
                     "million)"),
                   hidden, n_params, LAB_MAX_PARAMS);
      return FALSE;
    }
  return TRUE;
}

gboolean
lab_config_validate (const LabConfig *cfg,
                     GError         **error)
{
  g_return_val_if_fail (cfg != NULL, FALSE);

  if (cfg->model.n_hidden > LAB_MAX_HIDDEN)
    {
      g_set_error (error, LAB_ENGINE_ERROR, LAB_ENGINE_ERROR_INVALID,
                   _("[model] hidden: %u hidden layers: the limit is %d"), cfg->model.n_hidden,
                   LAB_MAX_HIDDEN);
      return FALSE;
    }
  return check_values (cfg, error) &&
         check_data (&cfg->data, error) &&
         check_train (&cfg->train, error) &&
         check_prune (&cfg->prune, error) &&
         check_size (cfg, error);
}
