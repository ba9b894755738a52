/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-config.c: one run's settings as a struct, read from and written to a GKeyFile .ini. Every
 * key lives in one table (section, name, kind, offset in LabConfig, allowed range), and loading,
 * lab_config_set(), validation and saving all walk that table, so they cannot drift apart.
 * Loading applies keys in file order on top of an existing config (presets are partial files),
 * works on a copy and swaps only when everything parsed and validated. Numbers are parsed
 * strictly: no trailing garbage, no NaN or infinity, no silent overflow. The built-in presets
 * are compiled in as a GResource, so the CLI, the window and the tests need no data folder.
 */
#define G_LOG_DOMAIN "lab-engine"
#include "config.h"

#include <errno.h>
#include <math.h>
#include <string.h>
#include <gio/gio.h>

#include "lab-file-replace.h"
#include "lab-config.h"
#include "lab-enum-private.h"
#include "lab-error.h"
#include "lab-presets-resources.h"

#define PRESET_DIR "/io/github/gradlab/GradientLab/presets/presets/"

/* Largest network we agree to build, counting weights and biases (lab_mlp_new() checks it
 * again with the real input size). */
#define MAX_PARAMS LAB_MAX_PARAMS

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

/* State of one load or set: things checked once all keys are in. */
typedef struct
{
  LabConfig *cfg;
  int        n_activations;    /* names given in `activations`, -1 if not given */
  char      *activations;      /* its text, for the message */
} Apply;

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
  gboolean         (*parse) (const Key  *key,
                             Apply      *ap,
                             const char *value,
                             char      **why);
  char            *(*print) (const Key       *key,
                             const LabConfig *cfg);
  /* Side effect after a successful parse (e.g. train.seed also seeds pruning). */
  void             (*after) (LabConfig *cfg);
};

static gboolean parse_hidden      (const Key *, Apply *, const char *, char **);
static char    *print_hidden      (const Key *, const LabConfig *);
static gboolean parse_activation  (const Key *, Apply *, const char *, char **);
static char    *print_activation  (const Key *, const LabConfig *);
static gboolean parse_activations (const Key *, Apply *, const char *, char **);
static char    *print_activations (const Key *, const LabConfig *);
static gboolean parse_rewind      (const Key *, Apply *, const char *, char **);
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

static const char * const sections[] = { "data", "model", "train", "clip", "prune" };

#define FIELD(cfg, key, type) ((type *) (gpointer) ((guint8 *) (cfg) + (key)->offset))

/* ------------------------------------------------------------------------------------------ */
/* Strict parsing of single values                                                            */

static gboolean
parse_double (const char *s,
              double     *out)
{
  char *end = NULL;
  double v;

  if (s == NULL || *s == '\0' || g_ascii_isspace (*s))
    return FALSE;
  errno = 0;
  v = g_ascii_strtod (s, &end);
  if (end == s || *end != '\0' || errno == ERANGE || !isfinite (v))
    return FALSE;
  *out = v;
  return TRUE;
}

/* Decimal digits only: no sign, no spaces, no trailing text, no overflow. */
static gboolean
parse_u64 (const char *s,
           guint64    *out)
{
  if (s == NULL || !g_ascii_isdigit (*s))
    return FALSE;
  return g_ascii_string_to_unsigned (s, 10, 0, G_MAXUINT64, out, NULL);
}

static gboolean
parse_i64 (const char *s,
           gint64     *out)
{
  if (s == NULL || !(g_ascii_isdigit (*s) || *s == '-' || *s == '+'))
    return FALSE;
  return g_ascii_string_to_signed (s, 10, G_MININT64, G_MAXINT64, out, NULL);
}

static gboolean
parse_bool (const char *s,
            gboolean   *out)
{
  static const char * const yes[] = { "true", "yes", "on", "1" };
  static const char * const no[] = { "false", "no", "off", "0" };

  for (guint i = 0; i < G_N_ELEMENTS (yes); i++)
    if (g_ascii_strcasecmp (s, yes[i]) == 0)
      {
        *out = TRUE;
        return TRUE;
      }
  for (guint i = 0; i < G_N_ELEMENTS (no); i++)
    if (g_ascii_strcasecmp (s, no[i]) == 0)
      {
        *out = FALSE;
        return TRUE;
      }
  return FALSE;
}

/* The shortest of %.15g / %.17g that reads back to the same double. */
static char *
format_double (double v)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  double back;

  g_ascii_formatd (buf, sizeof buf, "%.15g", v);
  if (parse_double (buf, &back) && back == v)
    return g_strdup (buf);
  return g_strdup (g_ascii_dtostr (buf, sizeof buf, v));
}

static char *
format_bound (double v)
{
  if (v == G_MAXUINT)
    return g_strdup ("4294967295");
  return format_double (v);
}

static char *
describe_double_range (const Key *key)
{
  g_autofree char *lo = format_bound (key->min);
  g_autofree char *hi = format_bound (key->max);
  const char *lo_op = (key->flags & MIN_OPEN) ? ">" : "≥";
  const char *hi_op = (key->flags & MAX_OPEN) ? "<" : "≤";

  if (isinf (key->max))
    return g_strdup_printf ("must be a number %s %s", lo_op, lo);
  return g_strdup_printf ("must be a number %s %s and %s %s", lo_op, lo, hi_op, hi);
}

static char *
describe_uint_range (const Key *key)
{
  guint64 type_max = key->kind == KIND_UINT ? G_MAXUINT : G_MAXUINT64;

  if (key->umax >= type_max && key->umin > 0)
    return g_strdup_printf ("must be a whole number ≥ %" G_GUINT64_FORMAT, key->umin);
  return g_strdup_printf ("must be a whole number from %" G_GUINT64_FORMAT " to %" G_GUINT64_FORMAT,
                          key->umin, key->umax);
}

/* ------------------------------------------------------------------------------------------ */
/* Custom keys                                                                                */

static gboolean
parse_hidden (const Key  *key,
              Apply      *ap,
              const char *value,
              char      **why)
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
          *why = g_strdup_printf ("%u hidden layers: the limit is %d",
                                  g_strv_length (parts), LAB_MAX_HIDDEN);
          return FALSE;
        }
      for (guint i = 0; parts[i] != NULL; i++)
        {
          char *p = g_strstrip (parts[i]);
          guint64 w;

          if (!parse_u64 (p, &w) || w == 0)
            {
              *why = g_strdup_printf ("layer %u width '%s' must be a whole number from 1 to %d "
                                      "(a comma list of widths, e.g. 256,128)",
                                      i + 1, p, LAB_MAX_WIDTH);
              return FALSE;
            }
          if (w > LAB_MAX_WIDTH)
            {
              *why = g_strdup_printf ("layer %u has %s units: the limit is %d units per layer",
                                      i + 1, p, LAB_MAX_WIDTH);
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

static gboolean
activation_from_string (const char    *s,
                        LabActivation *act,
                        char         **why)
{
  if (lab_activation_from_string (s, act))
    return TRUE;
  {
    g_autofree char *choices = _lab_enum_choices (lab_activation_nicks);
    *why = g_strdup_printf ("must be one of %s", choices);
  }
  return FALSE;
}

/* `activation` sets every layer, so layers added later by `hidden` get it too. */
static gboolean
parse_activation (const Key  *key,
                  Apply      *ap,
                  const char *value,
                  char      **why)
{
  LabActivation act;

  if (!activation_from_string (value, &act, why))
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
parse_activations (const Key  *key,
                   Apply      *ap,
                   const char *value,
                   char      **why)
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
      *why = g_strdup_printf ("%u names: there are at most %d hidden layers", n, LAB_MAX_HIDDEN);
      return FALSE;
    }
  for (guint i = 0; i < n; i++)
    {
      const char *p = g_strstrip (parts[i]);
      g_autofree char *inner = NULL;

      if (!activation_from_string (p, &acts[i], &inner))
        {
          *why = g_strdup_printf ("layer %u '%s' %s", i + 1, p, inner);
          return FALSE;
        }
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
parse_rewind (const Key  *key,
              Apply      *ap,
              const char *value,
              char      **why)
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
  if (g_ascii_strncasecmp (value, "step:", 5) == 0 && parse_u64 (value + 5, &step))
    {
      ap->cfg->prune.rewind = LAB_REWIND_STEP;
      ap->cfg->prune.rewind_step = step;
      return TRUE;
    }
  *why = g_strdup ("must be none, init or step:K (K the step to rewind to, e.g. step:100)");
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

/* Parses @value into ap->cfg. On failure returns FALSE and *why says what is allowed. */
static gboolean
key_parse (const Key  *key,
           Apply      *ap,
           const char *value,
           char      **why)
{
  LabConfig *cfg = ap->cfg;

  switch (key->kind)
    {
    case KIND_BOOL:
      if (!parse_bool (value, FIELD (cfg, key, gboolean)))
        {
          *why = g_strdup ("must be true or false");
          return FALSE;
        }
      break;

    case KIND_UINT:
    case KIND_UINT64:
      {
        guint64 v;

        if (!parse_u64 (value, &v) || v < key->umin || v > key->umax)
          {
            *why = describe_uint_range (key);
            return FALSE;
          }
        if (key->kind == KIND_UINT)
          *FIELD (cfg, key, guint) = (guint) v;
        else
          *FIELD (cfg, key, guint64) = v;
      }
      break;

    case KIND_INT:
      {
        gint64 v;

        if (!parse_i64 (value, &v) || v < key->min || v > key->max)
          {
            g_autofree char *lo = format_double (key->min);
            g_autofree char *hi = format_double (key->max);
            *why = g_strdup_printf ("must be a whole number from %s to %s", lo, hi);
            return FALSE;
          }
        *FIELD (cfg, key, int) = (int) v;
      }
      break;

    case KIND_DOUBLE:
      {
        double v;
        gboolean ok = parse_double (value, &v);

        if (ok)
          ok = ((key->flags & MIN_OPEN) ? v > key->min : v >= key->min)
               && ((key->flags & MAX_OPEN) ? v < key->max : v <= key->max);
        if (!ok)
          {
            *why = describe_double_range (key);
            return FALSE;
          }
        *FIELD (cfg, key, double) = v;
      }
      break;

    case KIND_ENUM:
      {
        int v;

        if (!_lab_enum_from_string (key->nicks, value, &v))
          {
            g_autofree char *choices = _lab_enum_choices (key->nicks);
            *why = g_strdup_printf ("must be one of %s", choices);
            return FALSE;
          }
        *FIELD (cfg, key, int) = v;
      }
      break;

    case KIND_STRING:
      {
        char **field = FIELD (cfg, key, char *);

        g_free (*field);
        *field = *value ? g_strdup (value) : NULL;
      }
      break;

    case KIND_CUSTOM:
      if (!key->parse (key, ap, value, why))
        return FALSE;
      break;

    default:
      g_assert_not_reached ();
    }

  if (key->after != NULL)
    key->after (cfg);
  return TRUE;
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
      return format_double (*FIELD (cfg, key, double));
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
/* Looking keys up, with a suggestion for typos                                               */

static guint
edit_distance (const char *a,
               const char *b)
{
  gsize la = strlen (a), lb = strlen (b);
  g_autofree guint *row = g_new (guint, lb + 1);

  for (gsize j = 0; j <= lb; j++)
    row[j] = j;
  for (gsize i = 1; i <= la; i++)
    {
      guint diag = row[0];
      row[0] = i;
      for (gsize j = 1; j <= lb; j++)
        {
          guint up = row[j];
          guint cost = g_ascii_tolower (a[i - 1]) == g_ascii_tolower (b[j - 1]) ? 0 : 1;
          row[j] = MIN (MIN (row[j] + 1, row[j - 1] + 1), diag + cost);
          diag = up;
        }
    }
  return row[lb];
}

static const Key *
find_key (const char *section,
          const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    if (strcmp (keys[i].section, section) == 0 && strcmp (keys[i].name, name) == 0)
      return &keys[i];
  return NULL;
}

static gboolean
is_section (const char *section)
{
  for (guint i = 0; i < G_N_ELEMENTS (sections); i++)
    if (strcmp (sections[i], section) == 0)
      return TRUE;
  return FALSE;
}

/* "; did you mean 'x'?" or "". */
static char *
suggest_section (const char *section)
{
  const char *best = NULL;
  guint best_d = 3;

  for (guint i = 0; i < G_N_ELEMENTS (sections); i++)
    {
      guint d = edit_distance (section, sections[i]);
      if (d < best_d)
        best_d = d, best = sections[i];
    }
  if (best != NULL)
    return g_strdup_printf ("; did you mean [%s]?", best);
  return g_strdup_printf ("; the sections are [data] [model] [train] [clip] [prune]");
}

static char *
suggest_key (const char *section,
             const char *name)
{
  const Key *best = NULL;
  guint best_d = 3;

  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    {
      guint d;

      if (strcmp (keys[i].section, section) != 0)
        continue;
      d = edit_distance (name, keys[i].name);
      if (d < best_d)
        best_d = d, best = &keys[i];
    }
  if (best != NULL)
    return g_strdup_printf ("; did you mean '%s'?", best->name);

  /* The right key in the wrong section. */
  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    if (strcmp (keys[i].name, name) == 0)
      return g_strdup_printf ("; it belongs in [%s]", keys[i].section);
  return g_strdup ("");
}

/* ------------------------------------------------------------------------------------------ */
/* Applying keys                                                                              */

static void
apply_init (Apply     *ap,
            LabConfig *cfg)
{
  ap->cfg = cfg;
  ap->n_activations = -1;
  ap->activations = NULL;
}

static void
apply_clear (Apply *ap)
{
  g_clear_pointer (&ap->activations, g_free);
}

/* Sets one key; @prefix ("FILE: " or "") starts the message. */
static gboolean
apply_key (Apply      *ap,
           const char *section,
           const char *name,
           const char *value,
           const char *prefix,
           GError    **error)
{
  const Key *key;
  g_autofree char *why = NULL;

  if (!is_section (section))
    {
      g_autofree char *hint = suggest_section (section);
      g_set_error (error, LAB_ENGINE_ERROR, LAB_ENGINE_ERROR_INVALID,
                   "%sunknown section [%s]%s", prefix, section, hint);
      return FALSE;
    }
  key = find_key (section, name);
  if (key == NULL)
    {
      g_autofree char *hint = suggest_key (section, name);
      g_set_error (error, LAB_ENGINE_ERROR, LAB_ENGINE_ERROR_INVALID,
                   "%s[%s] unknown key '%s'%s", prefix, section, name, hint);
      return FALSE;
    }
  if (!key_parse (key, ap, value, &why))
    {
      g_set_error (error, LAB_ENGINE_ERROR, LAB_ENGINE_ERROR_INVALID,
                   "%s[%s] %s = '%s': %s", prefix, section, name, value, why);
      return FALSE;
    }
  return TRUE;
}

/* Checks that need all keys of one load or set. */
static gboolean
apply_finish (Apply      *ap,
              const char *prefix,
              GError    **error)
{
  if (ap->n_activations >= 0 && (guint) ap->n_activations != ap->cfg->model.n_hidden)
    {
      g_autofree char *hidden = print_hidden (NULL, ap->cfg);
      g_set_error (error, LAB_ENGINE_ERROR, LAB_ENGINE_ERROR_INVALID,
                   "%s[model] activations = '%s': %d names for %u hidden layers "
                   "(hidden = '%s'); give one per layer",
                   prefix, ap->activations, ap->n_activations, ap->cfg->model.n_hidden, hidden);
      return FALSE;
    }
  return TRUE;
}

/* ------------------------------------------------------------------------------------------ */
/* Public API                                                                                 */

void
lab_config_init_defaults (LabConfig *cfg)
{
  g_return_if_fail (cfg != NULL);

  memset (cfg, 0, sizeof *cfg);

  cfg->data.source = LAB_DATA_SPIRAL;
  cfg->data.path = NULL;
  cfg->data.shuffle = TRUE;
  cfg->data.train_limit = 0;
  cfg->data.test_limit = 0;
  cfg->data.n_train = 1000;
  cfg->data.n_test = 500;
  cfg->data.n_classes = 3;
  cfg->data.noise = 0.1;
  cfg->data.test_fraction = 0.2;
  cfg->data.csv_header = TRUE;
  cfg->data.csv_label_column = 0;

  cfg->model.n_hidden = 2;
  cfg->model.hidden[0] = 16;
  cfg->model.hidden[1] = 16;
  for (guint i = 0; i < LAB_MAX_HIDDEN; i++)
    cfg->model.act[i] = LAB_ACT_RELU;
  cfg->model.init = LAB_INIT_HE_NORMAL;
  cfg->model.init_scale = 1.0;
  cfg->model.bias_init = 0.0;
  cfg->model.residual = FALSE;
  cfg->model.loss = LAB_LOSS_SOFTMAX_CE;

  cfg->train.optimizer = LAB_OPTIM_SGD;
  cfg->train.lr = 0.1;
  cfg->train.momentum = 0.9;
  cfg->train.beta1 = 0.9;
  cfg->train.beta2 = 0.999;
  cfg->train.eps = 1e-8;
  cfg->train.weight_decay = 0.0;
  cfg->train.schedule = LAB_SCHEDULE_CONSTANT;
  cfg->train.gamma = 0.1;
  cfg->train.step_epochs = 10;
  cfg->train.lr_min = 0.0;
  cfg->train.batch = 64;
  cfg->train.epochs = 10;
  cfg->train.steps = 0;
  cfg->train.seed = 1;
  cfg->train.threads = 0;
  cfg->train.eval_every = 0;

  cfg->clip.mode = LAB_CLIP_NONE;
  cfg->clip.value = 1.0;

  cfg->prune.enabled = FALSE;
  cfg->prune.spec.criterion = LAB_PRUNE_MAGNITUDE;
  cfg->prune.spec.scope = LAB_PRUNE_SCOPE_LAYER;
  cfg->prune.spec.structure = LAB_PRUNE_WEIGHT;
  cfg->prune.spec.output = LAB_PRUNE_OUTPUT_SAME;
  cfg->prune.spec.target = 0.9;
  cfg->prune.spec.threshold_mode = LAB_PRUNE_THRESHOLD_NONE;
  cfg->prune.spec.threshold = 0.0;
  cfg->prune.spec.prune_biases = FALSE;
  cfg->prune.spec.seed = cfg->train.seed;
  cfg->prune.schedule = LAB_PRUNE_SCHEDULE_NONE;
  cfg->prune.at_step = 0;
  cfg->prune.rounds = 5;
  cfg->prune.rate = 0.2;
  cfg->prune.retrain_epochs = 1;
  cfg->prune.begin_step = 0;
  cfg->prune.end_step = 1000;
  cfg->prune.frequency = 100;
  cfg->prune.initial = 0.0;
  cfg->prune.rewind = LAB_REWIND_NONE;
  cfg->prune.rewind_step = 0;
  cfg->prune.compact = FALSE;
  cfg->prune.score_batches = 10;
}

void
lab_config_clear (LabConfig *cfg)
{
  g_return_if_fail (cfg != NULL);

  g_clear_pointer (&cfg->data.path, g_free);
}

void
lab_config_copy (LabConfig       *dst,
                 const LabConfig *src)
{
  g_return_if_fail (dst != NULL);
  g_return_if_fail (src != NULL);

  if (dst == src)
    return;
  *dst = *src;
  dst->data.path = g_strdup (src->data.path);
}

/* GKeyFile's escapes in a string value (\s \n \t \r \\), checked before
 * g_key_file_get_string(): GLib 2.74 sets its GError twice (a GLib warning, fatal under
 * G_DEBUG=fatal-warnings) for an invalid escape followed by a trailing backslash. Found by
 * fuzzing (tests/fuzz/regressions/config/). Returns the problem, or NULL. */
static char *
check_escapes (const char *raw)
{
  for (const char *p = raw; *p != '\0'; p++)
    {
      if (*p != '\\')
        continue;
      p++;
      if (*p == '\0')
        return g_strdup ("the value ends in a backslash (write \\\\ for a backslash)");
      if (strchr ("sntr\\", *p) == NULL)
        {
          g_autofree char *shown = g_strescape ((char[]) { *p, '\0' }, NULL);
          return g_strdup_printf ("'\\%s' is not a valid escape (use \\s \\n \\t \\r or "
                                  "\\\\)", shown);
        }
    }
  return NULL;
}

gboolean
lab_config_load_data (LabConfig   *cfg,
                      const char  *text,
                      gsize        length,
                      const char  *file_name,
                      GError     **error)
{
  g_autoptr(GKeyFile) kf = g_key_file_new ();
  g_autoptr(GError) local = NULL;
  g_auto(GStrv) groups = NULL;
  g_autofree char *prefix = file_name ? g_strdup_printf ("%s: ", file_name) : g_strdup ("");
  LabConfig tmp;
  Apply ap;
  gboolean ok = TRUE;

  g_return_val_if_fail (cfg != NULL, FALSE);
  g_return_val_if_fail (text != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!g_key_file_load_from_data (kf, text, length, G_KEY_FILE_NONE, &local))
    {
      g_set_error (error, LAB_ENGINE_ERROR, LAB_ENGINE_ERROR_FORMAT,
                   "%snot a valid settings file: %s", prefix, local->message);
      return FALSE;
    }

  lab_config_copy (&tmp, cfg);
  apply_init (&ap, &tmp);

  groups = g_key_file_get_groups (kf, NULL);
  for (guint g = 0; ok && groups[g] != NULL; g++)
    {
      g_auto(GStrv) names = g_key_file_get_keys (kf, groups[g], NULL, NULL);

      if (!is_section (groups[g]))
        {
          ok = apply_key (&ap, groups[g], "", "", prefix, error);
          break;
        }
      for (guint k = 0; ok && names != NULL && names[k] != NULL; k++)
        {
          g_autofree char *raw = g_key_file_get_value (kf, groups[g], names[k], NULL);
          g_autofree char *value = NULL;
          g_autofree char *bad = raw ? check_escapes (raw) : NULL;

          if (bad != NULL)
            {
              g_set_error (error, LAB_ENGINE_ERROR, LAB_ENGINE_ERROR_FORMAT,
                           "%s[%s] %s: %s", prefix, groups[g], names[k], bad);
              ok = FALSE;
              break;
            }
          value = g_key_file_get_string (kf, groups[g], names[k], &local);
          if (value == NULL)
            {
              g_set_error (error, LAB_ENGINE_ERROR, LAB_ENGINE_ERROR_FORMAT,
                           "%s[%s] %s: %s", prefix, groups[g], names[k], local->message);
              ok = FALSE;
              break;
            }
          ok = apply_key (&ap, groups[g], names[k], value, prefix, error);
        }
    }

  if (ok)
    ok = apply_finish (&ap, prefix, error);
  if (ok && !lab_config_validate (&tmp, &local))
    {
      g_set_error (error, LAB_ENGINE_ERROR, local->code, "%s%s", prefix, local->message);
      ok = FALSE;
    }
  apply_clear (&ap);

  if (!ok)
    {
      lab_config_clear (&tmp);
      return FALSE;
    }
  lab_config_clear (cfg);
  *cfg = tmp;
  return TRUE;
}

gboolean
lab_config_load_file (LabConfig   *cfg,
                      const char  *path,
                      GError     **error)
{
  g_autofree char *text = NULL;
  g_autoptr(GError) local = NULL;
  gsize length;

  g_return_val_if_fail (cfg != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  if (!g_file_get_contents (path, &text, &length, &local))
    {
      g_set_error (error, LAB_ENGINE_ERROR, LAB_ENGINE_ERROR_IO,
                   "%s: cannot read the settings file: %s", path, local->message);
      return FALSE;
    }
  return lab_config_load_data (cfg, text, length, path, error);
}

static GBytes *
preset_bytes (const char *name)
{
  g_autofree char *path = NULL;

  if (name == NULL || strchr (name, '/') != NULL)
    return NULL;
  path = g_strconcat (PRESET_DIR, name, ".ini", NULL);
  return g_resource_lookup_data (lab_presets_get_resource (), path,
                                 G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);
}

gboolean
lab_config_load_preset (LabConfig   *cfg,
                        const char  *name,
                        GError     **error)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *label = NULL;
  gsize length;
  const char *text;

  g_return_val_if_fail (cfg != NULL, FALSE);
  g_return_val_if_fail (name != NULL, FALSE);

  bytes = preset_bytes (name);
  if (bytes == NULL)
    {
      g_auto(GStrv) names = lab_config_list_presets ();
      g_autofree char *list = g_strjoinv (", ", names);
      g_set_error (error, LAB_ENGINE_ERROR, LAB_ENGINE_ERROR_INVALID,
                   "no preset named '%s'; the presets are: %s", name, list);
      return FALSE;
    }
  text = g_bytes_get_data (bytes, &length);
  label = g_strdup_printf ("preset %s", name);
  return lab_config_load_data (cfg, text, length, label, error);
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

char **
lab_config_list_presets (void)
{
  g_auto(GStrv) children = g_resource_enumerate_children (lab_presets_get_resource (), PRESET_DIR,
                                                          G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);
  GPtrArray *names = g_ptr_array_new ();

  for (guint i = 0; children != NULL && children[i] != NULL; i++)
    if (g_str_has_suffix (children[i], ".ini"))
      g_ptr_array_add (names, g_strndup (children[i], strlen (children[i]) - 4));
  g_ptr_array_sort (names, compare_strings);
  g_ptr_array_add (names, NULL);
  return (char **) g_ptr_array_free (names, FALSE);
}

char *
lab_config_preset_summary (const char *name)
{
  g_autoptr(GBytes) bytes = preset_bytes (name);
  g_auto(GStrv) lines = NULL;
  g_autofree char *text = NULL;
  gsize length;
  const char *data;

  if (bytes == NULL)
    return NULL;
  data = g_bytes_get_data (bytes, &length);
  text = g_strndup (data, length);
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (g_str_has_prefix (lines[i], "# "))
      return g_strstrip (g_strdup (lines[i] + 2));
  return NULL;
}

gboolean
lab_config_set (LabConfig   *cfg,
                const char  *section_dot_key,
                const char  *value,
                GError     **error)
{
  g_autofree char *section = NULL;
  g_autofree char *stripped = NULL;
  const char *dot;
  LabConfig tmp;
  Apply ap;
  gboolean ok;

  g_return_val_if_fail (cfg != NULL, FALSE);
  g_return_val_if_fail (section_dot_key != NULL, FALSE);
  g_return_val_if_fail (value != NULL, FALSE);

  dot = strchr (section_dot_key, '.');
  if (dot == NULL || dot == section_dot_key || dot[1] == '\0')
    {
      g_set_error (error, LAB_ENGINE_ERROR, LAB_ENGINE_ERROR_INVALID,
                   "'%s': a setting is named section.key, e.g. train.lr", section_dot_key);
      return FALSE;
    }
  section = g_strndup (section_dot_key, dot - section_dot_key);
  stripped = g_strstrip (g_strdup (value));

  lab_config_copy (&tmp, cfg);
  apply_init (&ap, &tmp);
  ok = apply_key (&ap, section, dot + 1, stripped, "", error) && apply_finish (&ap, "", error);
  apply_clear (&ap);
  if (!ok)
    {
      lab_config_clear (&tmp);
      return FALSE;
    }
  lab_config_clear (cfg);
  *cfg = tmp;
  return TRUE;
}

gboolean
lab_config_set_assignment (LabConfig   *cfg,
                           const char  *assignment,
                           GError     **error)
{
  g_autofree char *name = NULL;
  const char *eq;

  g_return_val_if_fail (cfg != NULL, FALSE);
  g_return_val_if_fail (assignment != NULL, FALSE);

  eq = strchr (assignment, '=');
  if (eq == NULL)
    {
      g_set_error (error, LAB_ENGINE_ERROR, LAB_ENGINE_ERROR_INVALID,
                   "'%s': expected section.key=value, e.g. train.lr=0.01", assignment);
      return FALSE;
    }
  name = g_strstrip (g_strndup (assignment, eq - assignment));
  return lab_config_set (cfg, name, eq + 1, error);
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

gboolean
lab_config_validate (const LabConfig *cfg,
                     GError         **error)
{
  const LabModelConfig *m;
  const LabPruneConfig *p;
  gsize n_in, n_out, prev;
  double n_params = 0;

  g_return_val_if_fail (cfg != NULL, FALSE);

  m = &cfg->model;
  p = &cfg->prune;

  if (m->n_hidden > LAB_MAX_HIDDEN)
    {
      g_set_error (error, LAB_ENGINE_ERROR, LAB_ENGINE_ERROR_INVALID,
                   "[model] hidden: %u hidden layers: the limit is %d", m->n_hidden,
                   LAB_MAX_HIDDEN);
      return FALSE;
    }

  /* Every single value, through the same code as a file: print it, parse it back. */
  {
    LabConfig scratch;
    Apply ap;
    gboolean ok = TRUE;

    lab_config_copy (&scratch, cfg);
    apply_init (&ap, &scratch);
    for (guint i = 0; ok && i < G_N_ELEMENTS (keys); i++)
      {
        g_autofree char *value = key_print (&keys[i], cfg);
        ok = apply_key (&ap, keys[i].section, keys[i].name, value, "", error);
      }
    apply_clear (&ap);
    lab_config_clear (&scratch);
    if (!ok)
      return FALSE;
  }

  if ((cfg->data.source == LAB_DATA_IDX || cfg->data.source == LAB_DATA_CSV)
      && (cfg->data.path == NULL || *cfg->data.path == '\0'))
    {
      if (cfg->data.source == LAB_DATA_IDX)
        g_set_error (error, LAB_ENGINE_ERROR, LAB_ENGINE_ERROR_INVALID,
                     "[data] source = idx needs [data] path, a folder with "
                     "train-images-idx3-ubyte(.gz), train-labels-idx1-ubyte(.gz), "
                     "t10k-images-idx3-ubyte(.gz) and t10k-labels-idx1-ubyte(.gz)");
      else
        g_set_error (error, LAB_ENGINE_ERROR, LAB_ENGINE_ERROR_INVALID,
                     "[data] source = csv needs [data] path, a .csv file with one sample per "
                     "row (a label column and numeric features)");
      return FALSE;
    }

  if (cfg->data.source == LAB_DATA_XOR && cfg->data.n_classes != 2)
    {
      g_set_error (error, LAB_ENGINE_ERROR, LAB_ENGINE_ERROR_INVALID,
                   "[data] source = xor has 2 classes, but n_classes = %u; set n_classes = 2",
                   cfg->data.n_classes);
      return FALSE;
    }

  if (cfg->train.epochs == 0 && cfg->train.steps == 0)
    {
      g_set_error (error, LAB_ENGINE_ERROR, LAB_ENGINE_ERROR_INVALID,
                   "[train] epochs = 0 and steps = 0: the run would never stop; "
                   "set epochs or steps");
      return FALSE;
    }

  if (cfg->train.schedule == LAB_SCHEDULE_COSINE && cfg->train.lr_min > cfg->train.lr)
    {
      g_autofree char *lo = format_double (cfg->train.lr_min);
      g_autofree char *lr = format_double (cfg->train.lr);
      g_set_error (error, LAB_ENGINE_ERROR, LAB_ENGINE_ERROR_INVALID,
                   "[train] lr_min = '%s': the cosine floor must not exceed lr = %s", lo, lr);
      return FALSE;
    }

  if (p->schedule == LAB_PRUNE_SCHEDULE_GRADUAL)
    {
      if (p->begin_step >= p->end_step)
        {
          g_set_error (error, LAB_ENGINE_ERROR, LAB_ENGINE_ERROR_INVALID,
                       "[prune] schedule = gradual needs begin_step < end_step (they are %"
                       G_GUINT64_FORMAT " and %" G_GUINT64_FORMAT ")",
                       p->begin_step, p->end_step);
          return FALSE;
        }
      if (p->spec.threshold_mode == LAB_PRUNE_THRESHOLD_NONE && p->initial > p->spec.target)
        {
          g_autofree char *ini = format_double (p->initial);
          g_autofree char *tgt = format_double (p->spec.target);
          g_set_error (error, LAB_ENGINE_ERROR, LAB_ENGINE_ERROR_INVALID,
                       "[prune] initial = '%s': the gradual ramp starts above its target = %s",
                       ini, tgt);
          return FALSE;
        }
    }

  /* Size estimate, before anything is allocated. */
  n_in = guess_inputs (cfg, &n_out);
  prev = n_in;
  for (guint i = 0; i < m->n_hidden; i++)
    {
      n_params += (double) prev * m->hidden[i] + m->hidden[i];
      prev = m->hidden[i];
    }
  n_params += (double) prev * n_out + n_out;
  if (n_params > MAX_PARAMS)
    {
      g_autofree char *hidden = print_hidden (NULL, cfg);
      g_set_error (error, LAB_ENGINE_ERROR, LAB_ENGINE_ERROR_INVALID,
                   "[model] hidden = '%s': about %.0f parameters; the limit is %d (200 million)",
                   hidden, n_params, MAX_PARAMS);
      return FALSE;
    }

  return TRUE;
}

char *
lab_config_to_data (const LabConfig *cfg,
                    gsize           *length)
{
  g_autoptr(GKeyFile) kf = g_key_file_new ();
  GString *out = g_string_new ("# Gradient Lab settings\n");
  const char *section = NULL;

  g_return_val_if_fail (cfg != NULL, NULL);

  /* GKeyFile escapes the values (a leading space, a backslash, a newline in a path); the
   * lines are written here so they read "key = value", like the presets. */
  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    {
      g_autofree char *value = key_print (&keys[i], cfg);
      g_autofree char *escaped = NULL;

      g_key_file_set_string (kf, keys[i].section, keys[i].name, value);
      escaped = g_key_file_get_value (kf, keys[i].section, keys[i].name, NULL);
      if (section == NULL || strcmp (section, keys[i].section) != 0)
        {
          section = keys[i].section;
          g_string_append_printf (out, "\n[%s]\n", section);
        }
      g_string_append_printf (out, "%s =%s%s\n", keys[i].name, *escaped ? " " : "", escaped);
    }
  if (length != NULL)
    *length = out->len;
  return g_string_free (out, FALSE);
}

gboolean
lab_config_save_file (const LabConfig *cfg,
                      const char      *path,
                      GError         **error)
{
  g_autofree char *text = NULL;
  gsize length;

  g_return_val_if_fail (cfg != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  text = lab_config_to_data (cfg, &length);
  return lab_file_replace_contents (path, text, length, error);
}

void
lab_config_mlp_shape (const LabConfig *cfg,
                      gsize            n_in,
                      gsize            n_out,
                      LabMlpShape     *shape)
{
  g_return_if_fail (cfg != NULL);
  g_return_if_fail (shape != NULL);

  memset (shape, 0, sizeof *shape);
  shape->n_in = n_in;
  shape->n_out = n_out;
  shape->n_hidden = MIN (cfg->model.n_hidden, LAB_MAX_HIDDEN);
  for (guint i = 0; i < shape->n_hidden; i++)
    {
      shape->hidden[i] = cfg->model.hidden[i];
      shape->act[i] = cfg->model.act[i];
    }
  shape->residual = cfg->model.residual;
  shape->init = cfg->model.init;
  shape->init_scale = cfg->model.init_scale;
  shape->bias_init = cfg->model.bias_init;
  /* Evaluation runs over the test set in chunks of up to 1000. */
  shape->max_batch = MAX (cfg->train.batch, 1000);
}

LabDataset *
lab_config_load_dataset (const LabConfig *cfg,
                         GError         **error)
{
  g_autoptr(LabDataset) ds = NULL;
  const LabDataConfig *d;

  g_return_val_if_fail (cfg != NULL, NULL);

  d = &cfg->data;
  switch (d->source)
    {
    case LAB_DATA_SPIRAL:
    case LAB_DATA_CIRCLES:
    case LAB_DATA_XOR:
    case LAB_DATA_GAUSSIANS:
      {
        LabPlaneSpec spec = {
          .kind = d->source,
          .n_train = d->n_train,
          .n_test = d->n_test,
          .n_classes = d->source == LAB_DATA_XOR ? 2 : d->n_classes,
          .noise = d->noise,
          .seed = cfg->train.seed,
        };
        ds = lab_dataset_new_plane (&spec, error);
      }
      break;

    case LAB_DATA_FASHION_MNIST:
      {
        const char *dir = d->path && *d->path ? d->path : LAB_FASHION_MNIST_DIR;

        if (!g_file_test (dir, G_FILE_TEST_IS_DIR))
          {
            g_set_error (error, LAB_ENGINE_ERROR, LAB_ENGINE_ERROR_IO,
                         "Fashion-MNIST not found in %s: install Debian's dataset-fashion-mnist "
                         "(sudo apt install dataset-fashion-mnist) or set [data] path", dir);
            return NULL;
          }
        ds = lab_dataset_load_idx_dir (dir, error);
        if (ds == NULL)
          g_prefix_error (error, "Fashion-MNIST in %s: ", dir);
      }
      break;

    case LAB_DATA_IDX:
      if (d->path == NULL || *d->path == '\0')
        {
          g_set_error (error, LAB_ENGINE_ERROR, LAB_ENGINE_ERROR_INVALID,
                       "[data] source = idx needs [data] path");
          return NULL;
        }
      ds = lab_dataset_load_idx_dir (d->path, error);
      break;

    case LAB_DATA_CSV:
      if (d->path == NULL || *d->path == '\0')
        {
          g_set_error (error, LAB_ENGINE_ERROR, LAB_ENGINE_ERROR_INVALID,
                       "[data] source = csv needs [data] path");
          return NULL;
        }
      ds = lab_dataset_load_csv (d->path, d->csv_header, d->csv_label_column, d->test_fraction,
                                 cfg->train.seed, error);
      break;

    default:
      g_set_error (error, LAB_ENGINE_ERROR, LAB_ENGINE_ERROR_INVALID,
                   "[data] source: unknown data source %d", (int) d->source);
      return NULL;
    }

  if (ds == NULL)
    return NULL;

  lab_split_truncate (&ds->train, d->train_limit);
  lab_split_truncate (&ds->test, d->test_limit);
  return g_steal_pointer (&ds);
}
