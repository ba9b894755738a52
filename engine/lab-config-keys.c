/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-config-keys.c: the settings' key table and everything about one key. Each key is a row
 * (section, name, kind, offset in LabConfig, allowed range, or a custom parser and printer);
 * loading, lab_config_set(), validation and saving all walk this table, so they cannot drift
 * apart. Values are parsed strictly: no trailing garbage, no NaN or infinity, no silent
 * overflow; a wrong key gets a suggestion ("did you mean 'seed'?").
 */
#define G_LOG_DOMAIN "lab-engine"
#include "config.h"

#include <glib/gi18n-lib.h>
#include <inttypes.h>
#include <math.h>
#include <string.h>

#include "lab-config-private.h"
#include "lab-enum-private.h"
#include "lab-error.h"
#include "lab-keyfile.h"

/* Enums and gbooleans are stored through an int pointer. */
G_STATIC_ASSERT (sizeof (LabDataSource) == sizeof (int));
G_STATIC_ASSERT (sizeof (LabActivation) == sizeof (int));
G_STATIC_ASSERT (sizeof (LabInit) == sizeof (int));
G_STATIC_ASSERT (sizeof (LabLoss) == sizeof (int));
G_STATIC_ASSERT (sizeof (LabOptimKind) == sizeof (int));
G_STATIC_ASSERT (sizeof (LabScheduleKind) == sizeof (int));
G_STATIC_ASSERT (sizeof (LabClipMode) == sizeof (int));
G_STATIC_ASSERT (sizeof (LabPruneCriterion) == sizeof (int));
G_STATIC_ASSERT (sizeof (LabPruneSchedule) == sizeof (int));
G_STATIC_ASSERT (sizeof (gboolean) == sizeof (int));

/* ------------------------------------------------------------------------------------------ */
/* The key table                                                                              */

typedef enum
{
  KIND_BOOL,
  KIND_UINT,       /* guint */
  KIND_UINT64,     /* guint64 */
  KIND_INT,        /* int */
  KIND_DOUBLE,
  KIND_ENUM,       /* int-sized enum, spelled as in .nicks */
  KIND_STRING,     /* char *, "" = NULL */
  KIND_CUSTOM,     /* .parse / .print */
} KeyKind;

/* Open ends of a double range. */
enum
{
  MIN_OPEN = 1 << 0,
  MAX_OPEN = 1 << 1,
};

typedef struct _Key Key;

struct _Key
{
  const char        *section;
  const char        *name;
  KeyKind            kind;
  gsize              offset;
  const LabEnumNick *nicks;
  double             min;          /* KIND_DOUBLE, KIND_INT */
  double             max;
  guint              flags;
  guint64            umin;         /* KIND_UINT, KIND_UINT64 */
  guint64            umax;
  /* KIND_CUSTOM: parse @value into ap->cfg, or return FALSE with *why set. */
  gboolean         (*parse) (const Key       *key,
                             LabConfigApply  *ap,
                             const char      *value,
                             char           **why);
  char            *(*print) (const Key       *key,
                             const LabConfig *cfg);
  /* Side effect after a successful parse (e.g. train.seed also seeds pruning). */
  void             (*after) (LabConfig *cfg);
};

static gboolean parse_hidden      (const Key *, LabConfigApply *, const char *, char **);
static char    *print_hidden      (const Key *, const LabConfig *);
static gboolean parse_activation  (const Key *, LabConfigApply *, const char *, char **);
static char    *print_activation  (const Key *, const LabConfig *);
static gboolean parse_activations (const Key *, LabConfigApply *, const char *, char **);
static char    *print_activations (const Key *, const LabConfig *);
static gboolean parse_rewind      (const Key *, LabConfigApply *, const char *, char **);
static char    *print_rewind      (const Key *, const LabConfig *);
static void     after_seed        (LabConfig *);
static void     after_threshold   (LabConfig *);
static void     after_schedule    (LabConfig *);

#define OFF(field) G_STRUCT_OFFSET (LabConfig, field)

#define K_BOOL(s, n, f)        { s, n, KIND_BOOL, OFF (f) }
#define K_ENUM(s, n, f, t)     { s, n, KIND_ENUM, OFF (f), .nicks = t }
#define K_UINT(s, n, f, a, b)  { s, n, KIND_UINT, OFF (f), .umin = a, .umax = b }
#define K_UINT64(s, n, f, a, b) { s, n, KIND_UINT64, OFF (f), .umin = a, .umax = b }
#define K_INT(s, n, f, a, b)   { s, n, KIND_INT, OFF (f), .min = a, .max = b }
#define K_DOUBLE(s, n, f, a, b, fl) { s, n, KIND_DOUBLE, OFF (f), .min = a, .max = b, .flags = fl }
#define K_CUSTOM(s, n, p)      { s, n, KIND_CUSTOM, 0, .parse = parse_##p, .print = print_##p }

/* The order here is the order of lab_config_to_data(). Where one key has a side effect on
 * another (prune.schedule turns pruning on, prune.threshold picks the absolute mode), the key
 * with the side effect comes first so a saved file loads back to the same config. */
static const Key keys[] = {
  K_ENUM   ("data", "source", data.source, lab_data_source_nicks),
  { "data", "path", KIND_STRING, OFF (data.path) },
  K_BOOL   ("data", "shuffle", data.shuffle),
  K_UINT   ("data", "train_limit", data.train_limit, 0, G_MAXUINT),
  K_UINT   ("data", "test_limit", data.test_limit, 0, G_MAXUINT),
  K_UINT   ("data", "n_train", data.n_train, 1, 1000000),
  K_UINT   ("data", "n_test", data.n_test, 1, 1000000),
  K_UINT   ("data", "n_classes", data.n_classes, 2, 8),
  K_DOUBLE ("data", "noise", data.noise, 0, 10, 0),
  K_DOUBLE ("data", "test_fraction", data.test_fraction, 0, 0.9, 0),
  K_BOOL   ("data", "csv_header", data.csv_header),
  K_INT    ("data", "csv_label_column", data.csv_label_column, -LAB_MAX_INPUT, LAB_MAX_INPUT),

  K_CUSTOM ("model", "hidden", hidden),
  K_CUSTOM ("model", "activation", activation),
  K_CUSTOM ("model", "activations", activations),
  K_ENUM   ("model", "init", model.init, lab_init_nicks),
  K_DOUBLE ("model", "init_scale", model.init_scale, 0, 100, MIN_OPEN),
  K_DOUBLE ("model", "bias_init", model.bias_init, -100, 100, 0),
  K_BOOL   ("model", "residual", model.residual),
  K_ENUM   ("model", "loss", model.loss, lab_loss_nicks),

  K_ENUM   ("train", "optimizer", train.optimizer, lab_optim_kind_nicks),
  K_DOUBLE ("train", "lr", train.lr, 0, 100, MIN_OPEN),
  K_DOUBLE ("train", "momentum", train.momentum, 0, 1, MAX_OPEN),
  K_DOUBLE ("train", "beta1", train.beta1, 0, 1, MAX_OPEN),
  K_DOUBLE ("train", "beta2", train.beta2, 0, 1, MAX_OPEN),
  K_DOUBLE ("train", "eps", train.eps, 0, 1, MIN_OPEN),
  K_DOUBLE ("train", "weight_decay", train.weight_decay, 0, 1, 0),
  K_ENUM   ("train", "schedule", train.schedule, lab_schedule_kind_nicks),
  K_DOUBLE ("train", "gamma", train.gamma, 0, 1, MIN_OPEN),
  K_UINT   ("train", "step_epochs", train.step_epochs, 1, G_MAXUINT),
  K_DOUBLE ("train", "lr_min", train.lr_min, 0, 100, 0),
  K_UINT   ("train", "batch", train.batch, 1, LAB_MAX_BATCH),
  K_UINT   ("train", "epochs", train.epochs, 0, 100000),
  K_UINT64 ("train", "steps", train.steps, 0, G_MAXUINT64),
  { "train", "seed", KIND_UINT64, OFF (train.seed), .umin = 0, .umax = G_MAXUINT64,
    .after = after_seed },
  K_UINT   ("train", "threads", train.threads, 0, 256),
  K_UINT   ("train", "eval_every", train.eval_every, 0, G_MAXUINT),

  K_ENUM   ("clip", "mode", clip.mode, lab_clip_mode_nicks),
  K_DOUBLE ("clip", "value", clip.value, 0, INFINITY, MIN_OPEN),

  { "prune", "schedule", KIND_ENUM, OFF (prune.schedule), .nicks = lab_prune_schedule_nicks,
    .after = after_schedule },
  K_BOOL   ("prune", "enabled", prune.enabled),
  K_ENUM   ("prune", "criterion", prune.spec.criterion, lab_prune_criterion_nicks),
  K_ENUM   ("prune", "scope", prune.spec.scope, lab_prune_scope_nicks),
  K_ENUM   ("prune", "structure", prune.spec.structure, lab_prune_structure_nicks),
  K_ENUM   ("prune", "output", prune.spec.output, lab_prune_output_nicks),
  K_DOUBLE ("prune", "target", prune.spec.target, 0, 1, MAX_OPEN),
  { "prune", "threshold", KIND_DOUBLE, OFF (prune.spec.threshold), .min = 0, .max = INFINITY,
    .after = after_threshold },
  K_ENUM   ("prune", "threshold_mode", prune.spec.threshold_mode, lab_prune_threshold_mode_nicks),
  K_BOOL   ("prune", "prune_biases", prune.spec.prune_biases),
  K_UINT64 ("prune", "at_step", prune.at_step, 0, G_MAXUINT64),
  K_UINT   ("prune", "rounds", prune.rounds, 1, 100),
  K_DOUBLE ("prune", "rate", prune.rate, 0, 1, MIN_OPEN | MAX_OPEN),
  K_UINT   ("prune", "retrain_epochs", prune.retrain_epochs, 0, 100000),
  K_UINT64 ("prune", "begin_step", prune.begin_step, 0, G_MAXUINT64),
  K_UINT64 ("prune", "end_step", prune.end_step, 0, G_MAXUINT64),
  K_UINT64 ("prune", "frequency", prune.frequency, 1, G_MAXUINT64),
  K_DOUBLE ("prune", "initial", prune.initial, 0, 1, MAX_OPEN),
  K_CUSTOM ("prune", "rewind", rewind),
  K_BOOL   ("prune", "compact", prune.compact),
  K_UINT   ("prune", "score_batches", prune.score_batches, 1, 10000),
};

#define FIELD(cfg, key, type) ((type *) (gpointer) ((guint8 *) (cfg) + (key)->offset))

/* ------------------------------------------------------------------------------------------ */
/* Strict parsing of single values (the rest are lab-keyfile.h's)                            */

static gboolean
parse_i64 (const char *s,
           gint64     *out)
{
  if (s == NULL || !(g_ascii_isdigit (*s) || *s == '-' || *s == '+'))
    return FALSE;
  return g_ascii_string_to_signed (s, 10, G_MININT64, G_MAXINT64, out, NULL);
}

/* The shortest of %.15g / %.17g that reads back to the same double. */
char *
_lab_config_format_double (double v)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  double back;

  g_ascii_formatd (buf, sizeof buf, "%.15g", v);
  if (lab_parse_double (buf, &back) && back == v)
    return g_strdup (buf);
  return g_strdup (g_ascii_dtostr (buf, sizeof buf, v));
}

static char *
format_bound (double v)
{
  if (v == G_MAXUINT)
    return g_strdup ("4294967295");
  return _lab_config_format_double (v);
}

static char *
describe_double_range (const Key *key)
{
  g_autofree char *lo = format_bound (key->min);
  g_autofree char *hi = format_bound (key->max);
  const char *lo_op = (key->flags & MIN_OPEN) ? ">" : "≥";
  const char *hi_op = (key->flags & MAX_OPEN) ? "<" : "≤";

  /* Translators: why a setting is refused; the %s pairs are a comparison (> or ≥, < or ≤) and a
   * bound, e.g. "must be a number > 0 and ≤ 100" */
  if (isinf (key->max))
    return g_strdup_printf (_("must be a number %s %s"), lo_op, lo);
  return g_strdup_printf (_("must be a number %s %s and %s %s"), lo_op, lo, hi_op, hi);
}

static char *
describe_uint_range (const Key *key)
{
  guint64 type_max = key->kind == KIND_UINT ? G_MAXUINT : G_MAXUINT64;

  if (key->umax >= type_max && key->umin > 0)
    return g_strdup_printf (_("must be a whole number ≥ %" PRIu64), key->umin);
  return g_strdup_printf (_("must be a whole number from %" PRIu64 " to %" PRIu64), key->umin,
                          key->umax);
}

/* ------------------------------------------------------------------------------------------ */
/* Custom keys                                                                                */

static gboolean
parse_hidden (const Key       *key,
              LabConfigApply  *ap,
              const char      *value,
              char           **why)
{
  g_auto(GStrv) parts = NULL;
  guint widths[LAB_MAX_HIDDEN];
  guint n = 0;
  g_autofree char *stripped = g_strstrip (g_strdup (value));

  if (*stripped != '\0')
    {
      parts = g_strsplit (stripped, ",", -1);
      if (g_strv_length (parts) > LAB_MAX_HIDDEN)
        {
          *why = g_strdup_printf (_("%u hidden layers: the limit is %d"),
                                  g_strv_length (parts), LAB_MAX_HIDDEN);
          return FALSE;
        }
      for (guint i = 0; parts[i] != NULL; i++)
        {
          char *p = g_strstrip (parts[i]);
          guint64 w;

          if (!lab_parse_u64 (p, &w) || w == 0)
            {
              *why = g_strdup_printf (_("layer %u width '%s' must be a whole number from 1 to "
                                        "%d (a comma list of widths, e.g. 256,128)"),
                                      i + 1, p, LAB_MAX_WIDTH);
              return FALSE;
            }
          if (w > LAB_MAX_WIDTH)
            {
              *why = g_strdup_printf (_("layer %u has %s units: the limit is %d units per "
                                        "layer"), i + 1, p, LAB_MAX_WIDTH);
              return FALSE;
            }
          widths[n++] = (guint) w;
        }
    }

  ap->cfg->model.n_hidden = n;
  memcpy (ap->cfg->model.hidden, widths, n * sizeof widths[0]);
  return TRUE;
}

static char *
print_hidden (const Key       *key,
              const LabConfig *cfg)
{
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < cfg->model.n_hidden && i < LAB_MAX_HIDDEN; i++)
    g_string_append_printf (s, "%s%u", i ? "," : "", cfg->model.hidden[i]);
  return g_string_free (s, FALSE);
}

/* @layer: 1-based, for the message of `activations`; 0 for `activation` */
static gboolean
activation_from_string (const char     *s,
                        guint           layer,
                        LabActivation  *act,
                        char          **why)
{
  g_autofree char *choices = NULL;

  if (lab_activation_from_string (s, act))
    return TRUE;
  choices = _lab_enum_choices (lab_activation_nicks);
  /* Translators: %s lists the allowed values, "sigmoid|tanh|relu…", written as they are */
  if (layer == 0)
    *why = g_strdup_printf (_("must be one of %s"), choices);
  else
    *why = g_strdup_printf (_("layer %u '%s' must be one of %s"), layer, s, choices);
  return FALSE;
}

/* `activation` sets every layer, so layers added later by `hidden` get it too. */
static gboolean
parse_activation (const Key       *key,
                  LabConfigApply  *ap,
                  const char      *value,
                  char           **why)
{
  LabActivation act;

  if (!activation_from_string (value, 0, &act, why))
    return FALSE;
  for (guint i = 0; i < LAB_MAX_HIDDEN; i++)
    ap->cfg->model.act[i] = act;
  return TRUE;
}

static gboolean
activations_uniform (const LabConfig *cfg)
{
  for (guint i = 1; i < cfg->model.n_hidden && i < LAB_MAX_HIDDEN; i++)
    if (cfg->model.act[i] != cfg->model.act[0])
      return FALSE;
  return TRUE;
}

static char *
print_activation (const Key       *key,
                  const LabConfig *cfg)
{
  return g_strdup (lab_activation_to_string (cfg->model.act[0]));
}

/* `activations` is one name per hidden layer; empty means "all as `activation`". The count is
 * checked once all keys are in, so `hidden` may come after it in a file. */
static gboolean
parse_activations (const Key       *key,
                   LabConfigApply  *ap,
                   const char      *value,
                   char           **why)
{
  g_autofree char *stripped = g_strstrip (g_strdup (value));
  g_auto(GStrv) parts = NULL;
  LabActivation acts[LAB_MAX_HIDDEN];
  guint n;

  if (*stripped == '\0')
    return TRUE;

  parts = g_strsplit (stripped, ",", -1);
  n = g_strv_length (parts);
  if (n > LAB_MAX_HIDDEN)
    {
      *why = g_strdup_printf (_("%u names: there are at most %d hidden layers"), n,
                              LAB_MAX_HIDDEN);
      return FALSE;
    }
  for (guint i = 0; i < n; i++)
    {
      const char *p = g_strstrip (parts[i]);

      if (!activation_from_string (p, i + 1, &acts[i], why))
        return FALSE;
    }
  memcpy (ap->cfg->model.act, acts, n * sizeof acts[0]);
  ap->n_activations = (int) n;
  g_free (ap->activations);
  ap->activations = g_strdup (value);
  return TRUE;
}

static char *
print_activations (const Key       *key,
                   const LabConfig *cfg)
{
  GString *s = g_string_new (NULL);

  if (activations_uniform (cfg))
    return g_string_free (s, FALSE);
  for (guint i = 0; i < cfg->model.n_hidden && i < LAB_MAX_HIDDEN; i++)
    g_string_append_printf (s, "%s%s", i ? "," : "", lab_activation_to_string (cfg->model.act[i]));
  return g_string_free (s, FALSE);
}

static gboolean
parse_rewind (const Key       *key,
              LabConfigApply  *ap,
              const char      *value,
              char           **why)
{
  guint64 step;

  if (g_ascii_strcasecmp (value, "none") == 0)
    {
      ap->cfg->prune.rewind = LAB_REWIND_NONE;
      ap->cfg->prune.rewind_step = 0;
      return TRUE;
    }
  if (g_ascii_strcasecmp (value, "init") == 0)
    {
      ap->cfg->prune.rewind = LAB_REWIND_INIT;
      ap->cfg->prune.rewind_step = 0;
      return TRUE;
    }
  if (g_ascii_strncasecmp (value, "step:", 5) == 0 && lab_parse_u64 (value + 5, &step))
    {
      ap->cfg->prune.rewind = LAB_REWIND_STEP;
      ap->cfg->prune.rewind_step = step;
      return TRUE;
    }
  *why = g_strdup (_("must be none, init or step:K (K the step to rewind to, e.g. step:100)"));
  return FALSE;
}

static char *
print_rewind (const Key       *key,
              const LabConfig *cfg)
{
  switch (cfg->prune.rewind)
    {
    case LAB_REWIND_NONE:
      return g_strdup ("none");
    case LAB_REWIND_INIT:
      return g_strdup ("init");
    case LAB_REWIND_STEP:
      return g_strdup_printf ("step:%" G_GUINT64_FORMAT, cfg->prune.rewind_step);
    default:
      return g_strdup ("unknown");
    }
}

static void
after_seed (LabConfig *cfg)
{
  cfg->prune.spec.seed = cfg->train.seed;
}

/* A threshold given without a mode means an absolute one. */
static void
after_threshold (LabConfig *cfg)
{
  if (cfg->prune.spec.threshold_mode == LAB_PRUNE_THRESHOLD_NONE)
    cfg->prune.spec.threshold_mode = LAB_PRUNE_THRESHOLD_ABSOLUTE;
}

/* Choosing a schedule turns pruning on. */
static void
after_schedule (LabConfig *cfg)
{
  if (cfg->prune.schedule != LAB_PRUNE_SCHEDULE_NONE)
    cfg->prune.enabled = TRUE;
}

/* ------------------------------------------------------------------------------------------ */
/* One key: parse, print                                                                      */

static gboolean
parse_uint_key (const Key   *key,
                LabConfig   *cfg,
                const char  *value,
                char       **why)
{
  guint64 v;

  if (!lab_parse_u64 (value, &v) || v < key->umin || v > key->umax)
    {
      *why = describe_uint_range (key);
      return FALSE;
    }
  if (key->kind == KIND_UINT)
    *FIELD (cfg, key, guint) = (guint) v;
  else
    *FIELD (cfg, key, guint64) = v;
  return TRUE;
}

static gboolean
parse_int_key (const Key   *key,
               LabConfig   *cfg,
               const char  *value,
               char       **why)
{
  gint64 v;

  if (!parse_i64 (value, &v) || v < key->min || v > key->max)
    {
      g_autofree char *lo = _lab_config_format_double (key->min);
      g_autofree char *hi = _lab_config_format_double (key->max);
      *why = g_strdup_printf (_("must be a whole number from %s to %s"), lo, hi);
      return FALSE;
    }
  *FIELD (cfg, key, int) = (int) v;
  return TRUE;
}

static gboolean
parse_double_key (const Key   *key,
                  LabConfig   *cfg,
                  const char  *value,
                  char       **why)
{
  double v;
  gboolean ok = lab_parse_double (value, &v);

  if (ok)
    ok = ((key->flags & MIN_OPEN) ? v > key->min : v >= key->min)
         && ((key->flags & MAX_OPEN) ? v < key->max : v <= key->max);
  if (!ok)
    {
      *why = describe_double_range (key);
      return FALSE;
    }
  *FIELD (cfg, key, double) = v;
  return TRUE;
}

static gboolean
parse_enum_key (const Key   *key,
                LabConfig   *cfg,
                const char  *value,
                char       **why)
{
  int v;

  if (!_lab_enum_from_string (key->nicks, value, &v))
    {
      g_autofree char *choices = _lab_enum_choices (key->nicks);
      *why = g_strdup_printf (_("must be one of %s"), choices);
      return FALSE;
    }
  *FIELD (cfg, key, int) = v;
  return TRUE;
}

static void
set_string_key (const Key  *key,
                LabConfig  *cfg,
                const char *value)
{
  char **field = FIELD (cfg, key, char *);

  g_free (*field);
  *field = *value ? g_strdup (value) : NULL;
}

/* Parses @value into ap->cfg. On failure returns FALSE and *why says what is allowed. */
static gboolean
key_parse (const Key       *key,
           LabConfigApply  *ap,
           const char      *value,
           char           **why)
{
  LabConfig *cfg = ap->cfg;
  gboolean ok = TRUE;

  switch (key->kind)
    {
    case KIND_BOOL:
      if (!(ok = lab_parse_bool (value, FIELD (cfg, key, gboolean))))
        *why = g_strdup (_("must be true or false"));
      break;
    case KIND_UINT:
    case KIND_UINT64:
      ok = parse_uint_key (key, cfg, value, why);
      break;
    case KIND_INT:
      ok = parse_int_key (key, cfg, value, why);
      break;
    case KIND_DOUBLE:
      ok = parse_double_key (key, cfg, value, why);
      break;
    case KIND_ENUM:
      ok = parse_enum_key (key, cfg, value, why);
      break;
    case KIND_STRING:
      set_string_key (key, cfg, value);
      break;
    case KIND_CUSTOM:
      ok = key->parse (key, ap, value, why);
      break;
    default:
      g_assert_not_reached ();
    }

  if (ok && key->after != NULL)
    key->after (cfg);
  return ok;
}

static char *
key_print (const Key       *key,
           const LabConfig *cfg)
{
  switch (key->kind)
    {
    case KIND_BOOL:
      return g_strdup (*FIELD (cfg, key, gboolean) ? "true" : "false");
    case KIND_UINT:
      return g_strdup_printf ("%u", *FIELD (cfg, key, guint));
    case KIND_UINT64:
      return g_strdup_printf ("%" G_GUINT64_FORMAT, *FIELD (cfg, key, guint64));
    case KIND_INT:
      return g_strdup_printf ("%d", *FIELD (cfg, key, int));
    case KIND_DOUBLE:
      return _lab_config_format_double (*FIELD (cfg, key, double));
    case KIND_ENUM:
      return g_strdup (_lab_enum_to_string (key->nicks, *FIELD (cfg, key, int)));
    case KIND_STRING:
      {
        const char *s = *FIELD (cfg, key, char *);
        return g_strdup (s ? s : "");
      }
    case KIND_CUSTOM:
      return key->print (key, cfg);
    default:
      g_assert_not_reached ();
    }
}

/* ------------------------------------------------------------------------------------------ */
/* The table to the other files of the module                                                 */

guint
_lab_config_n_keys (void)
{
  return G_N_ELEMENTS (keys);
}

const char *
_lab_config_key_section (guint i)
{
  g_return_val_if_fail (i < G_N_ELEMENTS (keys), NULL);
  return keys[i].section;
}

const char *
_lab_config_key_name (guint i)
{
  g_return_val_if_fail (i < G_N_ELEMENTS (keys), NULL);
  return keys[i].name;
}

gboolean
_lab_config_key_parse (guint           i,
                       LabConfigApply *ap,
                       const char     *value,
                       char          **why)
{
  g_return_val_if_fail (i < G_N_ELEMENTS (keys), FALSE);
  return key_parse (&keys[i], ap, value, why);
}

char *
_lab_config_key_print (guint            i,
                       const LabConfig *cfg)
{
  g_return_val_if_fail (i < G_N_ELEMENTS (keys), NULL);
  return key_print (&keys[i], cfg);
}

char *
_lab_config_print_hidden (const LabConfig *cfg)
{
  return print_hidden (NULL, cfg);
}
