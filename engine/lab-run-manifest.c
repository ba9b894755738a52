/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-run-manifest.c: run.ini of a run directory (lab-run-manifest.h, docs/run-directory.md).
 * Read with GKeyFile through LabIni, so every message names the file, the group and the key;
 * unknown groups and keys are ignored (a writer may say more than this version reads).
 */
#define G_LOG_DOMAIN "lab-engine"
#include "config.h"

#include <glib/gi18n-lib.h>
#include <inttypes.h>
#include <string.h>

#include "lab-enum-private.h"
#include "lab-error.h"
#include "lab-keyfile.h"
#include "lab-run-manifest.h"

#define RUN "run"

static const char * const kind_names[] = { "linear", "conv1d", "conv2d", "conv3d" };

void
lab_run_manifest_free (LabRunManifest *m)
{
  if (m == NULL)
    return;
  for (guint l = 0; m->layers != NULL && l < m->n_layers; l++)
    g_free (m->layers[l].name);
  g_free (m->layers);
  g_free (m->writer);
  g_free (m->writer_id);
  g_free (m->started);
  g_free (m->model);
  g_free (m->other);
  g_free (m);
}

static LabRunManifest *
manifest_new (guint n_layers)
{
  LabRunManifest *m = g_new0 (LabRunManifest, 1);

  m->format = LAB_RUN_FORMAT;
  m->writer = g_strdup ("");
  m->writer_id = g_strdup ("");
  m->started = g_strdup ("");
  m->model = g_strdup ("");
  m->world_size = 1;
  m->log_every = 1;
  m->n_layers = n_layers;
  m->layers = g_new0 (LabRunLayer, MAX (n_layers, 1));
  return m;
}

LabRunManifest *
lab_run_manifest_copy (const LabRunManifest *m)
{
  LabRunManifest *c = g_memdup2 (m, sizeof *m);

  c->writer = g_strdup (m->writer);
  c->writer_id = g_strdup (m->writer_id);
  c->started = g_strdup (m->started);
  c->model = g_strdup (m->model);
  c->other = g_strdup (m->other);
  c->layers = g_memdup2 (m->layers, MAX (m->n_layers, 1) * sizeof (LabRunLayer));
  for (guint l = 0; l < m->n_layers; l++)
    c->layers[l].name = g_strdup (m->layers[l].name);
  return c;
}

gsize
lab_run_manifest_n_params (const LabRunManifest *m)
{
  gsize n = 0;

  for (guint l = 0; l < m->n_layers; l++)
    n += m->layers[l].rows * (m->layers[l].cols + (m->layers[l].bias ? 1 : 0));
  return n;
}

gboolean
lab_run_manifest_same_layers (const LabRunManifest *a,
                              const LabRunManifest *b)
{
  if (a->n_layers != b->n_layers)
    return FALSE;
  for (guint l = 0; l < a->n_layers; l++)
    {
      const LabRunLayer *x = &a->layers[l], *y = &b->layers[l];

      if (strcmp (x->name, y->name) != 0 || x->kind != y->kind || x->n_kernel != y->n_kernel ||
          memcmp (x->kernel, y->kernel, sizeof x->kernel) != 0 || x->rows != y->rows ||
          x->cols != y->cols || x->bias != y->bias)
        return FALSE;
    }
  return TRUE;
}

/* ------------------------------------------------------------------------------------------ */
/* parsing */

/* [run] and its format, before anything else: a newer format may change the rest. */
static gboolean
parse_format (const LabIni  *ini,
              guint         *out,
              GError       **error)
{
  guint64 format = 0;

  if (!g_key_file_has_group (ini->kf, RUN))
    return lab_format_error (error, ini->name, _("no [run] group: not a run directory's run.ini"));
  if (!lab_ini_get_uint (ini, RUN, "format", 1, G_MAXUINT32, TRUE, &format, error))
    return FALSE;
  if (format > LAB_RUN_FORMAT)
    return lab_ini_fail (ini, RUN, "format", NULL, error,
                         _("the run directory has format %" PRIu64 "; this version of Gradient "
                           "Lab reads format %d"), format, LAB_RUN_FORMAT);
  *out = (guint) format;
  return TRUE;
}

static gboolean
parse_run (const LabIni    *ini,
           LabRunManifest  *m,
           GError         **error)
{
  guint64 classes = 0, rank = 0, world = 1, dims[LAB_RUN_MAX_INPUT_DIMS];

  if (!lab_ini_get_string (ini, RUN, "writer", FALSE, &m->writer, error) ||
      !lab_ini_get_string (ini, RUN, "writer_id", FALSE, &m->writer_id, error) ||
      !lab_ini_get_string (ini, RUN, "started", FALSE, &m->started, error) ||
      !lab_ini_get_string (ini, RUN, "model", FALSE, &m->model, error) ||
      !lab_ini_get_uint_list (ini, RUN, "input_shape", 1, LAB_RUN_MAX_DIM, 0,
                              LAB_RUN_MAX_INPUT_DIMS, FALSE, dims, &m->n_input, error) ||
      !lab_ini_get_uint (ini, RUN, "classes", 0, LAB_RUN_MAX_CLASSES, FALSE, &classes, error) ||
      !lab_ini_get_uint (ini, RUN, "world_size", 1, LAB_RUN_MAX_WORLD, FALSE, &world, error) ||
      !lab_ini_get_uint (ini, RUN, "rank", 0, world - 1, FALSE, &rank, error) ||
      !lab_ini_get_uint (ini, RUN, "log_every", 1, G_MAXUINT32, FALSE, &m->log_every, error) ||
      !lab_ini_get_uint (ini, RUN, "heavy_every", 0, G_MAXUINT32, FALSE, &m->heavy_every,
                         error) ||
      !lab_ini_get_bool (ini, RUN, "local_batch", FALSE, &m->local_batch, error))
    return FALSE;
  for (guint i = 0; i < m->n_input; i++)
    m->input_shape[i] = dims[i];
  m->classes = (guint) classes;
  m->rank = (guint) rank;
  m->world_size = (guint) world;
  return TRUE;
}

/* The number N of groups [layer0] … [layerN-1]; a [layerK] past a gap is an error. */
static gboolean
count_layers (const LabIni  *ini,
              guint         *n_layers,
              GError       **error)
{
  g_auto(GStrv) groups = g_key_file_get_groups (ini->kf, NULL);
  guint n = 0;
  char group[32];

  for (;; n++)
    {
      g_snprintf (group, sizeof group, "layer%u", n);
      if (!g_key_file_has_group (ini->kf, group))
        break;
      if (n == LAB_MAX_ROW_LAYERS)
        return lab_format_error (error, ini->name, _("more than %d layers ([layer0] … [layer%u] "
                                                     "and on): this version of Gradient Lab "
                                                     "watches at most %d"),
                                 LAB_MAX_ROW_LAYERS, n, LAB_MAX_ROW_LAYERS);
    }
  if (n == 0)
    return lab_format_error (error, ini->name, _("no [layer0]: a run directory describes at "
                                                 "least one layer"));
  for (guint g = 0; groups[g] != NULL; g++)
    {
      guint64 k;

      if (g_str_has_prefix (groups[g], "layer") && lab_parse_u64 (groups[g] + 5, &k) && k > n)
        return lab_format_error (error, ini->name, _("[%s] but no [layer%u]: layers are "
                                                     "numbered from 0 without gaps"), groups[g], n);
    }
  *n_layers = n;
  return TRUE;
}

static gboolean
parse_kind (const LabIni  *ini,
            const char    *group,
            LabRunLayer   *layer,
            GError       **error)
{
  g_autofree char *kind = NULL;

  if (!lab_ini_get_string (ini, group, "kind", TRUE, &kind, error))
    return FALSE;
  for (guint k = 0; k < G_N_ELEMENTS (kind_names); k++)
    if (strcmp (kind, kind_names[k]) == 0)
      {
        layer->kind = k == 0 ? LAB_LAYER_LINEAR : LAB_LAYER_CONV;
        layer->n_kernel = k;
        return TRUE;
      }
  return lab_ini_fail (ini, group, "kind", kind, error,
                       _("must be linear, conv1d, conv2d or conv3d"));
}

static gboolean
parse_activation (const LabIni  *ini,
                  const char    *group,
                  LabRunLayer   *layer,
                  GError       **error)
{
  g_autofree char *act = NULL;
  g_autofree char *choices = NULL;

  layer->act = LAB_ACT_LINEAR;
  layer->act_known = FALSE;
  if (!lab_ini_get_string (ini, group, "activation", FALSE, &act, error))
    return FALSE;
  if (act == NULL || strcmp (act, "unknown") == 0)
    return TRUE;
  if (lab_activation_from_string (act, &layer->act))
    {
      layer->act_known = TRUE;
      return TRUE;
    }
  choices = _lab_enum_choices (lab_activation_nicks);
  return lab_ini_fail (ini, group, "activation", act, error, _("must be one of %s or unknown "
                                                               "(write unknown for any other "
                                                               "activation)"), choices);
}

/* shape and, for a convolution, kernel: cols must hold whole kernels. */
static gboolean
parse_shape (const LabIni  *ini,
             const char    *group,
             LabRunLayer   *layer,
             GError       **error)
{
  guint64 shape[2], kernel[3] = { 0, 0, 0 }, size = 1;
  guint n = 0;

  if (!lab_ini_get_uint_list (ini, group, "shape", 1, LAB_RUN_MAX_DIM, 2, 2, TRUE, shape, &n,
                              error))
    return FALSE;
  layer->rows = shape[0];
  layer->cols = shape[1];
  if (layer->kind == LAB_LAYER_LINEAR)
    {
      if (g_key_file_has_key (ini->kf, group, "kernel", NULL))
        return lab_ini_fail (ini, group, "kernel", NULL, error,
                             _("only a convolution has a kernel (kind is linear)"));
      return TRUE;
    }
  if (!lab_ini_get_uint_list (ini, group, "kernel", 1, LAB_RUN_MAX_KERNEL, layer->n_kernel,
                              layer->n_kernel, TRUE, kernel, &n, error))
    return FALSE;
  for (guint i = 0; i < n; i++)
    {
      layer->kernel[i] = (guint) kernel[i];
      size *= kernel[i];
    }
  if (layer->cols % size != 0)
    return lab_ini_fail (ini, group, "shape", NULL, error,
                         _("%zu columns are not a whole number of kernels of %" PRIu64
                           " (columns are input channels × kernel size)"), layer->cols, size);
  return TRUE;
}

static gboolean
parse_layer (const LabIni  *ini,
             guint          l,
             LabRunLayer   *layer,
             GError       **error)
{
  char group[32];

  g_snprintf (group, sizeof group, "layer%u", l);
  if (!lab_ini_get_string (ini, group, "name", TRUE, &layer->name, error) ||
      !parse_kind (ini, group, layer, error) ||
      !parse_shape (ini, group, layer, error) ||
      !lab_ini_get_bool (ini, group, "bias", FALSE, &layer->bias, error) ||
      !parse_activation (ini, group, layer, error))
    return FALSE;
  if (*layer->name == '\0' || strlen (layer->name) > LAB_RUN_NAME_MAX)
    return lab_ini_fail (ini, group, "name", NULL, error, _("must be 1 to %d bytes long"),
                         LAB_RUN_NAME_MAX);
  return TRUE;
}

static gboolean
parse_manifest (const LabIni    *ini,
                LabRunManifest **out,
                GError         **error)
{
  g_autoptr(LabRunManifest) m = NULL;
  guint format = 0, n_layers = 0;
  gsize total = 0;

  if (!parse_format (ini, &format, error) || !count_layers (ini, &n_layers, error))
    return FALSE;
  m = manifest_new (n_layers);
  m->format = format;
  if (!parse_run (ini, m, error))
    return FALSE;
  for (guint l = 0; l < n_layers; l++)
    {
      LabRunLayer *layer = &m->layers[l];

      if (!parse_layer (ini, l, layer, error))
        return FALSE;
      /* each term is below 2^48: no overflow before the limit trips */
      total += layer->rows * (layer->cols + 1);
      if (total > LAB_MAX_PARAMS)
        return lab_format_error (error, ini->name, _("[layer0] … [layer%u] hold more than %d "
                                                     "weights and biases: the limit is %d"),
                                 l, LAB_MAX_PARAMS,
                                 LAB_MAX_PARAMS);
    }
  if (!lab_ini_get_string (ini, "other", "parameters", FALSE, &m->other, error))
    return FALSE;
  *out = g_steal_pointer (&m);
  return TRUE;
}

LabRunManifest *
lab_run_manifest_parse (const char  *data,
                        gsize        len,
                        const char  *name,
                        GError     **error)
{
  LabIni ini = { NULL };
  LabRunManifest *m = NULL;

  g_return_val_if_fail (data != NULL || len == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (lab_ini_load (&ini, data ? data : "", len, name, error))
    parse_manifest (&ini, &m, error);
  lab_ini_clear (&ini);
  return m;
}

LabRunManifest *
lab_run_manifest_load (const char  *path,
                       GError     **error)
{
  g_autoptr(GError) local = NULL;
  g_autofree char *data = NULL;
  gsize len = 0;

  if (!g_file_get_contents (path, &data, &len, &local))
    {
      g_set_error (error, LAB_ENGINE_ERROR, LAB_ENGINE_ERROR_IO, "%s", local->message);
      return NULL;
    }
  return lab_run_manifest_parse (data, len, path, error);
}

/* ------------------------------------------------------------------------------------------ */
/* writing */

static void
set_list (GKeyFile    *kf,
          const char  *group,
          const char  *key,
          const gsize *v,
          guint        n)
{
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < n; i++)
    g_string_append_printf (s, "%s%zu", i ? ";" : "", v[i]);
  g_key_file_set_string (kf, group, key, s->str);
  g_string_free (s, TRUE);
}

static void
write_layer (GKeyFile          *kf,
             guint              l,
             const LabRunLayer *layer)
{
  char group[32];
  gsize shape[2] = { layer->rows, layer->cols }, kernel[3];

  g_snprintf (group, sizeof group, "layer%u", l);
  g_key_file_set_string (kf, group, "name", layer->name);
  g_key_file_set_string (kf, group, "kind", kind_names[layer->kind == LAB_LAYER_LINEAR ? 0 :
                                                       layer->n_kernel]);
  set_list (kf, group, "shape", shape, 2);
  for (guint i = 0; i < layer->n_kernel; i++)
    kernel[i] = layer->kernel[i];
  if (layer->kind == LAB_LAYER_CONV)
    set_list (kf, group, "kernel", kernel, layer->n_kernel);
  g_key_file_set_boolean (kf, group, "bias", layer->bias);
  g_key_file_set_string (kf, group, "activation",
                         layer->act_known ? lab_activation_to_string (layer->act) : "unknown");
}

char *
lab_run_manifest_to_data (const LabRunManifest *m,
                          gsize                *len)
{
  g_autoptr(GKeyFile) kf = g_key_file_new ();

  g_return_val_if_fail (m != NULL, NULL);

  /* integers, strings and booleans only: nothing here depends on the locale */
  g_key_file_set_uint64 (kf, RUN, "format", m->format);
  g_key_file_set_comment (kf, NULL, NULL, " A Gradient Lab run directory (docs/run-directory.md)",
                          NULL);
  g_key_file_set_string (kf, RUN, "writer", m->writer);
  g_key_file_set_string (kf, RUN, "writer_id", m->writer_id);
  g_key_file_set_string (kf, RUN, "started", m->started);
  g_key_file_set_string (kf, RUN, "model", m->model);
  set_list (kf, RUN, "input_shape", m->input_shape, m->n_input);
  g_key_file_set_uint64 (kf, RUN, "classes", m->classes);
  g_key_file_set_uint64 (kf, RUN, "rank", m->rank);
  g_key_file_set_uint64 (kf, RUN, "world_size", m->world_size);
  g_key_file_set_uint64 (kf, RUN, "log_every", m->log_every);
  g_key_file_set_uint64 (kf, RUN, "heavy_every", m->heavy_every);
  g_key_file_set_boolean (kf, RUN, "local_batch", m->local_batch);
  for (guint l = 0; l < m->n_layers; l++)
    write_layer (kf, l, &m->layers[l]);
  if (m->other != NULL)
    g_key_file_set_string (kf, "other", "parameters", m->other);
  return g_key_file_to_data (kf, len, NULL);
}

/* ------------------------------------------------------------------------------------------ */
/* our own runs */

LabRunManifest *
lab_run_manifest_new_from_heavy (const LabHeavy *heavy,
                                 guint           classes,
                                 guint64         log_every,
                                 guint64         heavy_every)
{
  LabRunManifest *m;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  GString *model = g_string_new ("MLP ");

  g_return_val_if_fail (heavy != NULL && heavy->n_layers >= 1, NULL);
  g_return_val_if_fail (heavy->n_layers <= LAB_MAX_ROW_LAYERS, NULL);

  m = manifest_new (heavy->n_layers);
  g_free (m->writer);
  m->writer = g_strdup ("gradlab " PACKAGE_VERSION);
  g_free (m->writer_id);
  m->writer_id = g_uuid_string_random ();
  g_free (m->started);
  m->started = g_date_time_format (now, "%Y-%m-%dT%H:%M:%SZ");
  if (heavy->img_w > 0 && heavy->img_h > 0)
    {
      m->n_input = 2;
      m->input_shape[0] = heavy->img_h;
      m->input_shape[1] = heavy->img_w;
    }
  else
    {
      m->n_input = 1;
      m->input_shape[0] = heavy->layers[0].cols;
    }
  m->classes = classes;
  m->log_every = log_every;
  m->heavy_every = heavy_every;
  g_string_append_printf (model, "%zu", heavy->layers[0].cols);
  for (guint l = 0; l < heavy->n_layers; l++)
    {
      const LabHeavyLayer *h = &heavy->layers[l];
      LabRunLayer *layer = &m->layers[l];

      layer->name = g_strdup (h->name);
      layer->kind = h->kind;
      layer->n_kernel = 0;
      for (guint i = 0; i < G_N_ELEMENTS (h->kernel) && h->kernel[i] > 0; i++)
        layer->kernel[layer->n_kernel++] = h->kernel[i];
      layer->rows = h->rows;
      layer->cols = h->cols;
      layer->bias = h->bias != NULL;
      layer->act = h->act;
      layer->act_known = h->act_known;
      g_string_append_printf (model, "-%zu", h->rows);
    }
  g_free (m->model);
  m->model = g_string_free (model, FALSE);
  return m;
}
