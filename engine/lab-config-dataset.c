/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-config-dataset.c: what a config builds: the network's shape, and its dataset loaded from
 * the source the [data] section names (a built-in 2-D set, Fashion-MNIST, an IDX folder or a
 * CSV file), cut to the train and test limits.
 */
#define G_LOG_DOMAIN "lab-engine"
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "lab-config.h"
#include "lab-error.h"

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

static LabDataset *
load_plane (const LabConfig *cfg,
            GError         **error)
{
  const LabDataConfig *d = &cfg->data;
  LabPlaneSpec spec = {
    .kind = d->source,
    .n_train = d->n_train,
    .n_test = d->n_test,
    .n_classes = d->source == LAB_DATA_XOR ? 2 : d->n_classes,
    .noise = d->noise,
    .seed = cfg->train.seed,
  };

  return lab_dataset_new_plane (&spec, error);
}

static LabDataset *
load_fashion_mnist (const LabDataConfig *d,
                    GError             **error)
{
  const char *dir = d->path && *d->path ? d->path : LAB_FASHION_MNIST_DIR;
  LabDataset *ds;

  if (!g_file_test (dir, G_FILE_TEST_IS_DIR))
    {
      g_set_error (error, LAB_ENGINE_ERROR, LAB_ENGINE_ERROR_IO,
                   _("Fashion-MNIST not found in %s: install Debian's dataset-fashion-mnist "
                     "(sudo apt install dataset-fashion-mnist) or set [data] path"), dir);
      return NULL;
    }
  ds = lab_dataset_load_idx_dir (dir, error);
  if (ds == NULL)
    g_prefix_error (error, _("Fashion-MNIST in %s: "), dir);
  return ds;
}

/* A file source's path, or NULL with the error that it needs one. */
static const char *
file_path (const LabDataConfig *d,
           const char          *source,
           GError             **error)
{
  if (d->path == NULL || *d->path == '\0')
    {
      g_set_error (error, LAB_ENGINE_ERROR, LAB_ENGINE_ERROR_INVALID,
                   _("[data] source = %s needs [data] path"), source);
      return NULL;
    }
  return d->path;
}

LabDataset *
lab_config_load_dataset (const LabConfig *cfg,
                         GError         **error)
{
  g_autoptr(LabDataset) ds = NULL;
  const LabDataConfig *d;
  const char *path;

  g_return_val_if_fail (cfg != NULL, NULL);

  d = &cfg->data;
  switch (d->source)
    {
    case LAB_DATA_SPIRAL:
    case LAB_DATA_CIRCLES:
    case LAB_DATA_XOR:
    case LAB_DATA_GAUSSIANS:
      ds = load_plane (cfg, error);
      break;
    case LAB_DATA_FASHION_MNIST:
      ds = load_fashion_mnist (d, error);
      break;
    case LAB_DATA_IDX:
      if ((path = file_path (d, "idx", error)) == NULL)
        return NULL;
      ds = lab_dataset_load_idx_dir (path, error);
      break;
    case LAB_DATA_CSV:
      if ((path = file_path (d, "csv", error)) == NULL)
        return NULL;
      ds = lab_dataset_load_csv (path, d->csv_header, d->csv_label_column, d->test_fraction,
                                 cfg->train.seed, error);
      break;
    default:
      g_set_error (error, LAB_ENGINE_ERROR, LAB_ENGINE_ERROR_INVALID,
                   _("[data] source: unknown data source %d"), (int) d->source);
      return NULL;
    }

  if (ds == NULL)
    return NULL;
  lab_split_truncate (&ds->train, d->train_limit);
  lab_split_truncate (&ds->test, d->test_limit);
  return g_steal_pointer (&ds);
}
