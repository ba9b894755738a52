/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-experiment-params.c: the choices of a sweep or a lottery (see lab-experiment-params.h).
 * The limits are gradlab-cli's (app/lab-cli-prune.c), so a window never runs an experiment the
 * CLI would refuse.
 */
#define G_LOG_DOMAIN "lab-experiment-params"

#include "config.h"

#include <glib/gi18n.h>
#include <inttypes.h>
#include <math.h>

#include "lab-error.h"
#include "lab-experiment-params.h"

#define MAX_FINETUNE_EPOCHS 1000
#define MAX_ROUNDS          100

static const double default_sparsities[] = { 0, 0.5, 0.8, 0.9 };

void
lab_sweep_choice_clear (LabSweepChoice *choice)
{
  g_clear_pointer (&choice->criteria, g_array_unref);
  g_clear_pointer (&choice->sparsities, g_array_unref);
}

/* "0,0.5,0.8,0.9", with @target in its place when it is not one of them. */
static char *
sparsity_list (double target)
{
  GString *s = g_string_new (NULL);
  gboolean placed = FALSE;
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  for (guint i = 0; i <= G_N_ELEMENTS (default_sparsities); i++)
    {
      double v = i < G_N_ELEMENTS (default_sparsities) ? default_sparsities[i] : 2.0;

      if (!placed && target <= v)
        {
          if (target != v && target >= 0 && target < 1)
            g_string_append_printf (s, "%s%s", s->len ? "," : "",
                                    g_ascii_formatd (buf, sizeof buf, "%g", target));
          placed = TRUE;
        }
      if (i < G_N_ELEMENTS (default_sparsities))
        g_string_append_printf (s, "%s%s", s->len ? "," : "",
                                g_ascii_formatd (buf, sizeof buf, "%g", v));
    }
  return g_string_free (s, FALSE);
}

GVariant *
lab_sweep_params_defaults (const LabConfig    *cfg,
                           const LabPruneSpec *prune,
                           gboolean            finished)
{
  g_auto(GVariantDict) dict = G_VARIANT_DICT_INIT (NULL);
  g_autofree char *criteria = NULL;
  g_autofree char *sparsities = sparsity_list (prune->target);
  const char *crit = lab_prune_criterion_to_string (prune->criterion);

  criteria = prune->criterion == LAB_PRUNE_RANDOM ? g_strdup (crit)
                                                  : g_strconcat (crit, ",random", NULL);
  g_variant_dict_insert (&dict, "criteria", "s", criteria);
  g_variant_dict_insert (&dict, "sparsities", "s", sparsities);
  g_variant_dict_insert (&dict, "scope", "s", lab_prune_scope_to_string (prune->scope));
  g_variant_dict_insert (&dict, "structure", "s",
                         lab_prune_structure_to_string (prune->structure));
  g_variant_dict_insert (&dict, "finetune-epochs", "u",
                         MIN (cfg->prune.retrain_epochs, MAX_FINETUNE_EPOCHS));
  g_variant_dict_insert (&dict, "train", "b", !finished);
  return g_variant_dict_end (&dict);
}

GVariant *
lab_lottery_params_defaults (const LabConfig *cfg)
{
  g_auto(GVariantDict) dict = G_VARIANT_DICT_INIT (NULL);
  g_autofree char *rewind = cfg->prune.rewind == LAB_REWIND_STEP
    ? g_strdup_printf ("step:%" PRIu64, cfg->prune.rewind_step)
    : g_strdup ("init");

  g_variant_dict_insert (&dict, "rounds", "u", CLAMP (cfg->prune.rounds, 1, MAX_ROUNDS));
  g_variant_dict_insert (&dict, "rate", "d", cfg->prune.rate);
  g_variant_dict_insert (&dict, "rewind", "s", rewind);
  g_variant_dict_insert (&dict, "scope", "s", lab_prune_scope_to_string (cfg->prune.spec.scope));
  g_variant_dict_insert (&dict, "control", "b", TRUE);
  return g_variant_dict_end (&dict);
}

GVariant *
lab_experiment_params_merge (GVariant *defaults,
                             GVariant *given)
{
  g_autoptr(GVariant) base = g_variant_ref_sink (defaults);
  g_auto(GVariantDict) dict = G_VARIANT_DICT_INIT (base);
  GVariantIter iter;
  const char *key;
  GVariant *value;

  g_return_val_if_fail (g_variant_is_of_type (base, G_VARIANT_TYPE_VARDICT), NULL);

  if (given != NULL && g_variant_is_of_type (given, G_VARIANT_TYPE_VARDICT))
    {
      g_variant_iter_init (&iter, given);
      while (g_variant_iter_next (&iter, "{&sv}", &key, &value))
        {
          g_variant_dict_insert_value (&dict, key, value);
          g_variant_unref (value);
        }
    }
  return g_variant_dict_end (&dict);
}

/* @key of @params with type @type, or FALSE with an error. */
static gboolean
lookup (GVariant    *params,
        const char  *what,
        const char  *key,
        const char  *type,
        gpointer     out,
        GError     **error)
{
  g_auto(GVariantDict) dict = G_VARIANT_DICT_INIT (params);
  g_autoptr(GVariant) v = g_variant_dict_lookup_value (&dict, key, NULL);

  if (v == NULL || !g_variant_is_of_type (v, G_VARIANT_TYPE (type)))
    {
      g_set_error (error, LAB_ENGINE_ERROR, LAB_ENGINE_ERROR_INVALID,
                   _("%s: the choice “%s” is missing or not of type %s"), what, key, type);
      return FALSE;
    }
  g_variant_get (v, type, out);
  return TRUE;
}

static gboolean
invalid (GError    **error,
         const char *fmt,
         ...) G_GNUC_PRINTF (2, 3);

static gboolean
invalid (GError    **error,
         const char *fmt,
         ...)
{
  va_list ap;

  if (error == NULL)
    return FALSE;
  g_return_val_if_fail (*error == NULL, FALSE);
  va_start (ap, fmt);
  *error = g_error_new_valist (LAB_ENGINE_ERROR, LAB_ENGINE_ERROR_INVALID, fmt, ap);
  va_end (ap);
  return FALSE;
}

gboolean
lab_sweep_params_to_choice (GVariant           *params,
                            const LabPruneSpec *prune,
                            LabSweepChoice     *choice,
                            GError            **error)
{
  g_autofree char *criteria = NULL, *sparsities = NULL, *scope = NULL, *structure = NULL;
  g_autoptr(GError) local = NULL;
  LabSweepSpec *spec = &choice->spec;
  guint32 finetune = 0;
  gboolean train = FALSE;

  *choice = (LabSweepChoice) { 0 };
  if (!lookup (params, _("Sweep"), "criteria", "s", &criteria, error) ||
      !lookup (params, _("Sweep"), "sparsities", "s", &sparsities, error) ||
      !lookup (params, _("Sweep"), "scope", "s", &scope, error) ||
      !lookup (params, _("Sweep"), "structure", "s", &structure, error) ||
      !lookup (params, _("Sweep"), "finetune-epochs", "u", &finetune, error) ||
      !lookup (params, _("Sweep"), "train", "b", &train, error))
    return FALSE;

  /* as gradlab-cli sweep builds it: the run's pruning, no threshold, the scope asked */
  spec->prune = *prune;
  spec->prune.threshold_mode = LAB_PRUNE_THRESHOLD_NONE;
  if (!lab_prune_scope_from_string (scope, &spec->prune.scope))
    return invalid (error, _("Sweep: scope “%s” must be layer or global"), scope);
  if (!lab_prune_structure_from_string (structure, &spec->prune.structure))
    return invalid (error, _("Sweep: structure “%s” must be weight or neuron"), structure);
  if (finetune > MAX_FINETUNE_EPOCHS)
    return invalid (error, _("Sweep: %u fine-tune epochs is more than %d"), finetune,
                    MAX_FINETUNE_EPOCHS);
  if ((choice->criteria = lab_experiment_parse_criteria (criteria, &local)) == NULL ||
      (choice->sparsities = lab_experiment_parse_sparsities (sparsities, &local)) == NULL)
    {
      lab_sweep_choice_clear (choice);
      return invalid (error, _("Sweep: %s"), local->message);
    }
  spec->train = train;
  spec->criteria = (const LabPruneCriterion *) choice->criteria->data;
  spec->n_criteria = choice->criteria->len;
  spec->sparsities = (const double *) choice->sparsities->data;
  spec->n_sparsities = choice->sparsities->len;
  spec->finetune_epochs = finetune;
  return TRUE;
}

gboolean
lab_lottery_params_to_spec (GVariant        *params,
                            const LabConfig *cfg,
                            guint64          total_steps,
                            LabLotterySpec  *spec,
                            GError         **error)
{
  g_autofree char *rewind = NULL, *scope = NULL;
  g_autoptr(GError) local = NULL;
  guint32 rounds = 0;
  double rate = 0;
  gboolean control = FALSE;
  LabConfig tmp;
  gboolean ok;

  if (!lookup (params, _("Lottery"), "rounds", "u", &rounds, error) ||
      !lookup (params, _("Lottery"), "rate", "d", &rate, error) ||
      !lookup (params, _("Lottery"), "rewind", "s", &rewind, error) ||
      !lookup (params, _("Lottery"), "scope", "s", &scope, error) ||
      !lookup (params, _("Lottery"), "control", "b", &control, error))
    return FALSE;
  if (rounds < 1 || rounds > MAX_ROUNDS)
    return invalid (error, _("Lottery: %u rounds: must be 1 to %d"), rounds, MAX_ROUNDS);
  if (!(rate > 0.0 && rate < 1.0))
    return invalid (error, _("Lottery: rate %g must be in (0, 1), the fraction pruned per round"),
                    rate);
  *spec = (LabLotterySpec) { .rounds = rounds, .rate = rate, .control = control };
  if (!lab_prune_scope_from_string (scope, &spec->scope))
    return invalid (error, _("Lottery: scope “%s” must be layer or global"), scope);

  /* the rewind point as the settings parse it (and as gradlab-cli lottery does) */
  lab_config_copy (&tmp, cfg);
  ok = lab_config_set (&tmp, "prune.rewind", rewind, &local);
  spec->rewind = tmp.prune.rewind;
  spec->rewind_step = tmp.prune.rewind == LAB_REWIND_STEP ? tmp.prune.rewind_step : 0;
  lab_config_clear (&tmp);
  if (!ok)
    return invalid (error, _("Lottery: %s"), local->message);
  if (spec->rewind == LAB_REWIND_NONE)
    return invalid (error, _("Lottery: the lottery rewinds: use init or step:K, not none"));
  if (spec->rewind_step > total_steps)
    return invalid (error, _("Lottery: rewind to step %" PRIu64 ": the run has only %"
                      PRIu64 " steps"), spec->rewind_step, total_steps);
  return TRUE;
}
