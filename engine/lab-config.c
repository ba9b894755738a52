/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-config.c: one run's settings as a struct, read from and written to a GKeyFile .ini, set one
 * key at a time, and the built-in presets. Every key goes through the table of
 * lab-config-keys.c. Loading applies keys in file order on top of an existing config (presets
 * are partial files), works on a copy and swaps only when everything parsed and validated. The
 * presets are compiled in as a GResource, so the CLI, the window and the tests need no data
 * folder.
 */
#define G_LOG_DOMAIN "lab-engine"
#include "config.h"

#include <gio/gio.h>
#include <glib/gi18n-lib.h>
#include <string.h>

#include "lab-config-private.h"
#include "lab-error.h"
#include "lab-file-replace.h"
#include "lab-keyfile.h"
#include "lab-presets-resources.h"

#define PRESET_DIR "/io/github/gradlab/GradientLab/presets/presets/"

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

/* The end of a load or set, which worked on the copy @tmp: on success it replaces @cfg, else
 * @cfg stays as it was. Returns @ok. */
static gboolean
finish (LabConfig      *cfg,
        LabConfig      *tmp,
        LabConfigApply *ap,
        gboolean        ok)
{
  _lab_config_apply_clear (ap);
  if (!ok)
    {
      lab_config_clear (tmp);
      return FALSE;
    }
  lab_config_clear (cfg);
  *cfg = *tmp;
  return TRUE;
}

/* The keys of one group of @kf, applied in file order. */
static gboolean
load_group (LabConfigApply *ap,
            GKeyFile       *kf,
            const char     *group,
            const char     *prefix,
            GError        **error)
{
  g_auto(GStrv) names = g_key_file_get_keys (kf, group, NULL, NULL);

  if (!_lab_config_is_section (group))
    return _lab_config_apply_key (ap, group, "", "", prefix, error);
  for (guint k = 0; names != NULL && names[k] != NULL; k++)
    {
      g_autofree char *why = NULL;
      g_autofree char *value = lab_key_file_get_string (kf, group, names[k], &why);

      if (value == NULL)
        {
          g_set_error (error, LAB_ENGINE_ERROR, LAB_ENGINE_ERROR_FORMAT,
                       "%s[%s] %s: %s", prefix, group, names[k], why ? why : _("no value"));
          return FALSE;
        }
      if (!_lab_config_apply_key (ap, group, names[k], value, prefix, error))
        return FALSE;
    }
  return TRUE;
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
  LabConfigApply ap;
  gboolean ok = TRUE;

  g_return_val_if_fail (cfg != NULL, FALSE);
  g_return_val_if_fail (text != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!g_key_file_load_from_data (kf, text, length, G_KEY_FILE_NONE, &local))
    {
      g_set_error (error, LAB_ENGINE_ERROR, LAB_ENGINE_ERROR_FORMAT,
                   _("%snot a valid settings file: %s"), prefix, local->message);
      return FALSE;
    }

  lab_config_copy (&tmp, cfg);
  _lab_config_apply_init (&ap, &tmp);
  groups = g_key_file_get_groups (kf, NULL);
  for (guint g = 0; ok && groups[g] != NULL; g++)
    ok = load_group (&ap, kf, groups[g], prefix, error);
  if (ok)
    ok = _lab_config_apply_finish (&ap, prefix, error);
  if (ok && !lab_config_validate (&tmp, &local))
    {
      g_set_error (error, LAB_ENGINE_ERROR, local->code, "%s%s", prefix, local->message);
      ok = FALSE;
    }
  return finish (cfg, &tmp, &ap, ok);
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
                   _("%s: cannot read the settings file: %s"), path, local->message);
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
                   _("no preset named '%s'; the presets are: %s"), name, list);
      return FALSE;
    }
  text = g_bytes_get_data (bytes, &length);
  /* Translators: names a preset where messages name a file ("preset spiral: [train] …") */
  label = g_strdup_printf (_("preset %s"), name);
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

/* The presets' summaries, the first "# " line of each resources/presets/NAME.ini, repeated here
 * only so that xgettext finds them (it cannot read .ini comments): the summary is translated by
 * its text, whatever this list holds, and tests/test-i18n.c checks that each shipped one has a
 * translation. */
static const char * const preset_summaries[] G_GNUC_UNUSED = {
  N_("The exploding net with gradient-norm clipping at 1: the steps stay bounded."),
  N_("Ten ReLU layers with oversized normal weights: activations and gradients blow up."),
  N_("The 784-256-128-10 ReLU benchmark net on Fashion-MNIST with plain SGD."),
  N_("The same ten-layer net with ReLU and He initialisation: the gradient reaches every layer."),
  N_("The vanishing sigmoid net with skip connections: residual paths carry the gradient back."),
  N_("A 784-64-32-10 ReLU net trained with Adam on Fashion-MNIST: the seed example."),
  N_("Three interleaved spirals in the plane: a small ReLU net with Adam learns them in seconds."),
  N_("The same ten-layer net with tanh and Xavier (Glorot) initialisation, the 2010 fix."),
  N_("Ten sigmoid layers with naive uniform weights: the gradient fades layer by layer toward "
     "the input."),
};

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
      return g_strdup (_(g_strstrip (lines[i] + 2)));
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
  LabConfigApply ap;
  gboolean ok;

  g_return_val_if_fail (cfg != NULL, FALSE);
  g_return_val_if_fail (section_dot_key != NULL, FALSE);
  g_return_val_if_fail (value != NULL, FALSE);

  dot = strchr (section_dot_key, '.');
  if (dot == NULL || dot == section_dot_key || dot[1] == '\0')
    {
      g_set_error (error, LAB_ENGINE_ERROR, LAB_ENGINE_ERROR_INVALID,
                   _("'%s': a setting is named section.key, e.g. train.lr"), section_dot_key);
      return FALSE;
    }
  section = g_strndup (section_dot_key, dot - section_dot_key);
  stripped = g_strstrip (g_strdup (value));

  lab_config_copy (&tmp, cfg);
  _lab_config_apply_init (&ap, &tmp);
  ok = _lab_config_apply_key (&ap, section, dot + 1, stripped, "", error) &&
       _lab_config_apply_finish (&ap, "", error);
  return finish (cfg, &tmp, &ap, ok);
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
                   _("'%s': expected section.key=value, e.g. train.lr=0.01"), assignment);
      return FALSE;
    }
  name = g_strstrip (g_strndup (assignment, eq - assignment));
  return lab_config_set (cfg, name, eq + 1, error);
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
  for (guint i = 0; i < _lab_config_n_keys (); i++)
    {
      const char *key_section = _lab_config_key_section (i), *name = _lab_config_key_name (i);
      g_autofree char *value = _lab_config_key_print (i, cfg);
      g_autofree char *escaped = NULL;

      g_key_file_set_string (kf, key_section, name, value);
      escaped = g_key_file_get_value (kf, key_section, name, NULL);
      if (section == NULL || strcmp (section, key_section) != 0)
        {
          section = key_section;
          g_string_append_printf (out, "\n[%s]\n", section);
        }
      g_string_append_printf (out, "%s =%s%s\n", name, *escaped ? " " : "", escaped);
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
