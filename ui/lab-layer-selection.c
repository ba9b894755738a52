/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-layer-selection.c: which layers the plots show and what they call them (see
 * lab-layer-selection.h). The names and groups are worked out once per network; the visible
 * set again whenever the mode, k or the chosen subset change.
 */
#define G_LOG_DOMAIN "lab-layer-selection"

#include "config.h"

#include <glib/gi18n.h>

#include <string.h>

#include "lab-layer-selection.h"

/* Module names are grouped by their first 1 … MAX_DEPTH dot-separated parts. */
#define MAX_DEPTH 4

G_DEFINE_ENUM_TYPE (LabLayerSelectionMode, lab_layer_selection_mode,
  G_DEFINE_ENUM_VALUE (LAB_LAYER_SELECTION_AUTO, "auto"),
  G_DEFINE_ENUM_VALUE (LAB_LAYER_SELECTION_ALL, "all"),
  G_DEFINE_ENUM_VALUE (LAB_LAYER_SELECTION_EVERY, "every"),
  G_DEFINE_ENUM_VALUE (LAB_LAYER_SELECTION_CHOSEN, "chosen"))

struct _LabLayerSelection
{
  GObject                parent_instance;

  /* the network */
  guint                  n_layers;
  char                 **raw;          /* (n_layers) the names as given, NULL: ours */
  char                 **names;        /* (n_layers) unique display names */
  char                 **short_names;  /* (n_layers) within the group */
  gboolean               numbered;
  guint                 *group;        /* (n_layers) */
  GPtrArray             *group_names;  /* char*, in order of their first layer */

  /* the choice */
  LabLayerSelectionMode  mode;
  guint                  every;        /* k of EVERY */
  gboolean              *chosen;       /* (n_layers) for CHOSEN */
  GArray                *visible;      /* guint, input to output */
};

G_DEFINE_FINAL_TYPE (LabLayerSelection, lab_layer_selection, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_MODE,
  PROP_EVERY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum
{
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* --- the visible set ------------------------------------------------------------------------ */

/* How many layers every @k-th of @n shows, the last one included. */
static guint
count_every (guint n,
             guint k)
{
  return n == 0 ? 0 : (n - 1) / k + 1 + ((n - 1) % k != 0);
}

/* AUTO's k: 1 while every layer fits, else the smallest k within the limit. */
static guint
auto_every (guint n)
{
  guint k = 1;

  while (count_every (n, k) > LAB_LAYER_SELECTION_AUTO_MAX)
    k++;
  return k;
}

static guint
effective_every (LabLayerSelection *self)
{
  switch (self->mode)
    {
    case LAB_LAYER_SELECTION_AUTO:
      return auto_every (self->n_layers);
    case LAB_LAYER_SELECTION_EVERY:
      return self->every;
    case LAB_LAYER_SELECTION_ALL:
      return 1;
    case LAB_LAYER_SELECTION_CHOSEN:
    default:
      return 0;
    }
}

/* Recomputes the visible layers; emits ::changed when they are not what they were (or when
 * @force: the names or what the selection is called changed). */
static void
update_visible (LabLayerSelection *self,
                gboolean           force)
{
  g_autoptr(GArray) old = g_array_copy (self->visible);
  guint k = effective_every (self);

  g_array_set_size (self->visible, 0);
  for (guint l = 0; l < self->n_layers; l++)
    {
      gboolean shown = l == 0 || l + 1 == self->n_layers ||
                       (k > 0 ? l % k == 0 : self->chosen[l]);

      if (shown)
        g_array_append_val (self->visible, l);
    }
  if (force || old->len != self->visible->len ||
      memcmp (old->data, self->visible->data, old->len * sizeof (guint)) != 0)
    g_signal_emit (self, signals[CHANGED], 0);
}

/* --- names and groups ----------------------------------------------------------------------- */

/* The first @depth dot-separated parts of @name (all of it when it has fewer). */
static char *
prefix_at (const char *name,
           guint       depth)
{
  const char *p = name;

  for (guint d = 0; d < depth; d++)
    {
      p = strchr (p, '.');
      if (p == NULL)
        return g_strdup (name);
      if (d + 1 < depth)
        p++;
    }
  return g_strndup (name, p - name);
}

static guint
count_prefixes (char  **names,
                guint   n,
                guint   depth)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint l = 0; l < n; l++)
    g_hash_table_add (seen, prefix_at (names[l], depth));
  return g_hash_table_size (seen);
}

/* The depth whose groups are best: several groups of several layers each, i.e. the largest
 * min (groups, layers per group): a ResNet's "layer1" … "layer4" rather than its 16 blocks, a
 * transformer's 12 "encoder.layers.N" rather than "encoder" alone. 0: no grouping helps (flat
 * names, or too few layers). */
static guint
best_depth (char  **names,
            guint   n)
{
  double best = 0;
  guint depth = 0;

  for (guint d = 1; d <= MAX_DEPTH; d++)
    {
      guint g = count_prefixes (names, n, d);
      double score = MIN ((double) g, (double) n / g);

      if (score > best)
        {
          best = score;
          depth = d;
        }
    }
  return best >= 2 ? depth : 0;
}

static void
clear_names (LabLayerSelection *self)
{
  g_clear_pointer (&self->raw, g_strfreev);
  g_clear_pointer (&self->names, g_strfreev);
  g_clear_pointer (&self->short_names, g_strfreev);
  g_clear_pointer (&self->group, g_free);
  g_ptr_array_set_size (self->group_names, 0);
}

/* Display names: ours by number; a watched model's as given, made unique (a name cut to fit a
 * heavy snapshot, or a model that repeats one, gets its number). */
static void
make_names (LabLayerSelection  *self,
            const char * const *names)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  self->numbered = names == NULL;
  self->names = g_new0 (char *, self->n_layers + 1);
  for (guint l = 0; l < self->n_layers; l++)
    {
      const char *name = names != NULL ? names[l] : NULL;

      if (self->numbered)
        self->names[l] = g_strdup_printf ("L%u", l + 1);
      else if (name == NULL || name[0] == '\0' || g_hash_table_contains (seen, name))
        self->names[l] = g_strdup_printf ("%s#%u", name != NULL ? name : "", l + 1);
      else
        self->names[l] = g_strdup (name);
      g_hash_table_add (seen, self->names[l]);
    }
}

static void
make_groups (LabLayerSelection *self)
{
  g_autoptr(GHashTable) index = g_hash_table_new (g_str_hash, g_str_equal);
  guint depth = self->numbered ? 0 : best_depth (self->names, self->n_layers);

  self->group = g_new0 (guint, MAX (self->n_layers, 1));
  self->short_names = g_new0 (char *, self->n_layers + 1);
  for (guint l = 0; l < self->n_layers; l++)
    {
      char *prefix = depth > 0 ? prefix_at (self->names[l], depth) : g_strdup ("");
      gpointer g;
      gsize len = strlen (prefix);

      if (!g_hash_table_lookup_extended (index, prefix, NULL, &g))
        {
          g = GUINT_TO_POINTER (self->group_names->len);
          g_ptr_array_add (self->group_names, prefix);
          g_hash_table_insert (index, prefix, g);
        }
      else
        g_free (prefix);
      self->group[l] = GPOINTER_TO_UINT (g);
      /* "layer1.0.conv1" is "0.conv1" under "layer1"; "conv1", its own group, stays */
      if (len > 0 && self->names[l][len] == '.')
        self->short_names[l] = g_strdup (self->names[l] + len + 1);
      else
        self->short_names[l] = g_strdup (self->names[l]);
    }
}

/* Whether @names are ours: W1 … Wn (or none at all: a heavy snapshot made without names). */
static gboolean
names_are_ours (guint               n_layers,
                const char * const *names)
{
  for (guint l = 0; names != NULL && l < n_layers; l++)
    {
      char own[16];

      g_snprintf (own, sizeof own, "W%u", l + 1);
      if (names[l] != NULL && names[l][0] != '\0' && g_strcmp0 (names[l], own) != 0)
        return FALSE;
    }
  return TRUE;
}

static gboolean
same_names (LabLayerSelection  *self,
            guint               n_layers,
            const char * const *names)
{
  if (n_layers != self->n_layers || (names == NULL) != (self->raw == NULL))
    return FALSE;
  for (guint l = 0; names != NULL && l < n_layers; l++)
    if (g_strcmp0 (names[l], self->raw[l]) != 0)
      return FALSE;
  return TRUE;
}

/* --- GObject -------------------------------------------------------------------------------- */

static void
lab_layer_selection_finalize (GObject *object)
{
  LabLayerSelection *self = LAB_LAYER_SELECTION (object);

  clear_names (self);
  g_clear_pointer (&self->group_names, g_ptr_array_unref);
  g_clear_pointer (&self->chosen, g_free);
  g_clear_pointer (&self->visible, g_array_unref);

  G_OBJECT_CLASS (lab_layer_selection_parent_class)->finalize (object);
}

static void
lab_layer_selection_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  LabLayerSelection *self = LAB_LAYER_SELECTION (object);

  switch (prop_id)
    {
    case PROP_MODE:
      g_value_set_enum (value, self->mode);
      break;
    case PROP_EVERY:
      g_value_set_uint (value, self->every);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lab_layer_selection_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  LabLayerSelection *self = LAB_LAYER_SELECTION (object);

  switch (prop_id)
    {
    case PROP_MODE:
      lab_layer_selection_set_mode (self, g_value_get_enum (value));
      break;
    case PROP_EVERY:
      lab_layer_selection_set_every (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lab_layer_selection_class_init (LabLayerSelectionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = lab_layer_selection_finalize;
  object_class->get_property = lab_layer_selection_get_property;
  object_class->set_property = lab_layer_selection_set_property;

  properties[PROP_MODE] =
    g_param_spec_enum ("mode", NULL, NULL, LAB_TYPE_LAYER_SELECTION_MODE,
                       LAB_LAYER_SELECTION_AUTO,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_EVERY] =
    g_param_spec_uint ("every", NULL, NULL, 1, LAB_MAX_ROW_LAYERS, 2,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * LabLayerSelection::changed:
   *
   * The visible layers or the names changed.
   */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
lab_layer_selection_init (LabLayerSelection *self)
{
  self->every = 2;
  self->group_names = g_ptr_array_new_with_free_func (g_free);
  self->visible = g_array_new (FALSE, FALSE, sizeof (guint));
  self->chosen = g_new0 (gboolean, 1);
  self->names = g_new0 (char *, 1);
  self->short_names = g_new0 (char *, 1);
  self->group = g_new0 (guint, 1);
  self->numbered = TRUE;
}

LabLayerSelection *
lab_layer_selection_new (void)
{
  return g_object_new (LAB_TYPE_LAYER_SELECTION, NULL);
}

/* --- API ------------------------------------------------------------------------------------ */

void
lab_layer_selection_set_layers (LabLayerSelection  *self,
                                guint               n_layers,
                                const char * const *names)
{
  g_return_if_fail (LAB_IS_LAYER_SELECTION (self));
  g_return_if_fail (n_layers <= LAB_MAX_ROW_LAYERS);

  if (names_are_ours (n_layers, names))
    names = NULL;
  if (same_names (self, n_layers, names))
    return;
  clear_names (self);
  self->n_layers = n_layers;
  if (names != NULL)
    {
      /* exactly n_layers of them, NULL-terminated */
      self->raw = g_new0 (char *, n_layers + 1);
      for (guint l = 0; l < n_layers; l++)
        self->raw[l] = g_strdup (names[l]);
    }
  make_names (self, names);
  make_groups (self);

  g_free (self->chosen);
  self->chosen = g_new (gboolean, MAX (n_layers, 1));
  for (guint l = 0; l < MAX (n_layers, 1); l++)
    self->chosen[l] = TRUE;
  if (self->mode == LAB_LAYER_SELECTION_CHOSEN)
    {
      self->mode = LAB_LAYER_SELECTION_AUTO;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MODE]);
    }
  update_visible (self, TRUE);
}

guint
lab_layer_selection_get_n_layers (LabLayerSelection *self)
{
  g_return_val_if_fail (LAB_IS_LAYER_SELECTION (self), 0);

  return self->n_layers;
}

void
lab_layer_selection_set_mode (LabLayerSelection     *self,
                              LabLayerSelectionMode  mode)
{
  g_return_if_fail (LAB_IS_LAYER_SELECTION (self));

  if (self->mode == mode)
    return;
  /* a subset starts from what was shown */
  if (mode == LAB_LAYER_SELECTION_CHOSEN)
    for (guint l = 0; l < self->n_layers; l++)
      self->chosen[l] = lab_layer_selection_is_visible (self, l);
  self->mode = mode;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MODE]);
  /* what is shown may be the same, what it is called is not ("9 chosen of 120") */
  update_visible (self, TRUE);
}

LabLayerSelectionMode
lab_layer_selection_get_mode (LabLayerSelection *self)
{
  g_return_val_if_fail (LAB_IS_LAYER_SELECTION (self), LAB_LAYER_SELECTION_AUTO);

  return self->mode;
}

void
lab_layer_selection_set_every (LabLayerSelection *self,
                               guint              k)
{
  g_return_if_fail (LAB_IS_LAYER_SELECTION (self));

  k = CLAMP (k, 1, LAB_MAX_ROW_LAYERS);
  if (self->every == k)
    return;
  self->every = k;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EVERY]);
  update_visible (self, self->mode == LAB_LAYER_SELECTION_EVERY);
}

guint
lab_layer_selection_get_every (LabLayerSelection *self)
{
  g_return_val_if_fail (LAB_IS_LAYER_SELECTION (self), 0);

  return self->mode == LAB_LAYER_SELECTION_ALL ? 0 : effective_every (self);
}

void
lab_layer_selection_set_chosen (LabLayerSelection *self,
                                guint              l,
                                gboolean           chosen)
{
  g_return_if_fail (LAB_IS_LAYER_SELECTION (self));
  g_return_if_fail (l < self->n_layers);

  lab_layer_selection_set_mode (self, LAB_LAYER_SELECTION_CHOSEN);
  self->chosen[l] = !!chosen;
  update_visible (self, FALSE);
}

void
lab_layer_selection_set_group_chosen (LabLayerSelection *self,
                                      guint              g,
                                      gboolean           chosen)
{
  g_return_if_fail (LAB_IS_LAYER_SELECTION (self));
  g_return_if_fail (g < self->group_names->len);

  lab_layer_selection_set_mode (self, LAB_LAYER_SELECTION_CHOSEN);
  for (guint l = 0; l < self->n_layers; l++)
    if (self->group[l] == g)
      self->chosen[l] = !!chosen;
  update_visible (self, FALSE);
}

guint
lab_layer_selection_get_n_visible (LabLayerSelection *self)
{
  g_return_val_if_fail (LAB_IS_LAYER_SELECTION (self), 0);

  return self->visible->len;
}

const guint *
lab_layer_selection_get_visible (LabLayerSelection *self,
                                 guint             *n_visible)
{
  g_return_val_if_fail (LAB_IS_LAYER_SELECTION (self), NULL);

  if (n_visible != NULL)
    *n_visible = self->visible->len;
  return (const guint *) (const void *) self->visible->data;
}

gboolean
lab_layer_selection_is_visible (LabLayerSelection *self,
                                guint              l)
{
  guint k;

  g_return_val_if_fail (LAB_IS_LAYER_SELECTION (self), FALSE);

  if (l >= self->n_layers)
    return FALSE;
  k = effective_every (self);
  return l == 0 || l + 1 == self->n_layers || (k > 0 ? l % k == 0 : self->chosen[l]);
}

gboolean
lab_layer_selection_is_numbered (LabLayerSelection *self)
{
  g_return_val_if_fail (LAB_IS_LAYER_SELECTION (self), TRUE);

  return self->numbered;
}

const char *
lab_layer_selection_get_name (LabLayerSelection *self,
                              guint              l)
{
  g_return_val_if_fail (LAB_IS_LAYER_SELECTION (self), NULL);
  g_return_val_if_fail (l < self->n_layers, NULL);

  return self->names[l];
}

const char *
lab_layer_selection_get_short_name (LabLayerSelection *self,
                                    guint              l)
{
  g_return_val_if_fail (LAB_IS_LAYER_SELECTION (self), NULL);
  g_return_val_if_fail (l < self->n_layers, NULL);

  return self->short_names[l];
}

guint
lab_layer_selection_get_n_groups (LabLayerSelection *self)
{
  g_return_val_if_fail (LAB_IS_LAYER_SELECTION (self), 1);

  return MAX (self->group_names->len, 1);
}

guint
lab_layer_selection_get_group (LabLayerSelection *self,
                               guint              l)
{
  g_return_val_if_fail (LAB_IS_LAYER_SELECTION (self), 0);
  g_return_val_if_fail (l < self->n_layers, 0);

  return self->group[l];
}

const char *
lab_layer_selection_get_group_name (LabLayerSelection *self,
                                    guint              g)
{
  g_return_val_if_fail (LAB_IS_LAYER_SELECTION (self), "");

  return g < self->group_names->len ? g_ptr_array_index (self->group_names, g) : "";
}

/* "2nd", "3rd", "4th", "11th", "21st" */
static const char *
ordinal_suffix (guint k)
{
  /* Translators: the ordinal suffixes of English (1st, 2nd, 3rd, 4th); a language with one
   * suffix for all (3. in German) gives the same to each */
  if (k % 100 >= 11 && k % 100 <= 13)
    return C_("ordinal suffix", "th");
  switch (k % 10)
    {
    case 1: return C_("ordinal suffix", "st");
    case 2: return C_("ordinal suffix", "nd");
    case 3: return C_("ordinal suffix", "rd");
    default: return C_("ordinal suffix", "th");
    }
}

void
lab_layer_selection_describe (LabLayerSelection *self,
                              char              *buf,
                              gsize              len)
{
  guint k;

  g_return_if_fail (LAB_IS_LAYER_SELECTION (self));

  k = effective_every (self);
  if (self->n_layers == 1)
    g_strlcpy (buf, _("the only layer"), len);
  else if (!lab_layer_selection_is_partial (self))
    g_snprintf (buf, len, _("all %u layers"), self->n_layers);
  else if (k > 0)
    g_snprintf (buf, len, _("every %u%s of %u layers, first and last always"), k,
                ordinal_suffix (k), self->n_layers);
  else
    g_snprintf (buf, len, _("%u chosen of %u layers, first and last always"), self->visible->len,
                self->n_layers);
}

void
lab_layer_selection_describe_briefly (LabLayerSelection *self,
                                      char              *buf,
                                      gsize              len)
{
  guint k;

  g_return_if_fail (LAB_IS_LAYER_SELECTION (self));

  k = effective_every (self);
  if (!lab_layer_selection_is_partial (self))
    g_snprintf (buf, len, _("all %u"), self->n_layers);
  else if (k > 0)
    g_snprintf (buf, len, _("every %u%s of %u"), k, ordinal_suffix (k), self->n_layers);
  else
    g_snprintf (buf, len, _("%u of %u"), self->visible->len, self->n_layers);
}

gboolean
lab_layer_selection_is_partial (LabLayerSelection *self)
{
  g_return_val_if_fail (LAB_IS_LAYER_SELECTION (self), FALSE);

  return self->visible->len < self->n_layers;
}
