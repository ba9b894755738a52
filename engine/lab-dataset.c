/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-dataset.c: the built-in 2-D sets (spiral, circles, xor, gaussian blobs), the IDX folder
 * loader (MNIST layout), and the batch gather that turns stored samples into the float rows
 * the network eats. 2-D points live in roughly [-1, 1]² so the window can draw them on a fixed
 * plane. Pixels stay u8 and are scaled on the fly by exactly (float) v / 255.0f, the value
 * PyTorch's `x.astype(float32) / 255.0` gives, so both see bit-identical inputs. File parsing
 * is in lab-idx.c and lab-csv.c.
 */
#define G_LOG_DOMAIN "lab-engine"
#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "lab-dataset.h"
#include "lab-enum-private.h"
#include "lab-error.h"
#include "lab-rng.h"

#define PLANE_MAX_SAMPLES 10000000u
#define PLANE_MAX_NOISE   10.0

const LabEnumNick lab_data_source_nicks[] = {
  { LAB_DATA_SPIRAL, "spiral" },
  { LAB_DATA_CIRCLES, "circles" },
  { LAB_DATA_XOR, "xor" },
  { LAB_DATA_GAUSSIANS, "gaussians" },
  { LAB_DATA_FASHION_MNIST, "fashion-mnist" },
  { LAB_DATA_IDX, "idx" },
  { LAB_DATA_CSV, "csv" },
  { 0, NULL },
};

LAB_DEFINE_ENUM_STRINGS (LabDataSource, lab_data_source, lab_data_source_nicks)

gboolean
lab_data_source_is_plane (LabDataSource source)
{
  switch (source)
    {
    case LAB_DATA_SPIRAL:
    case LAB_DATA_CIRCLES:
    case LAB_DATA_XOR:
    case LAB_DATA_GAUSSIANS:
      return TRUE;
    case LAB_DATA_FASHION_MNIST:
    case LAB_DATA_IDX:
    case LAB_DATA_CSV:
    default:
      return FALSE;
    }
}

/* --- 2-D sets ------------------------------------------------------------------------------ */

/* One point of class k (of K) before noise, in roughly [-1, 1]². */
static void
plane_point (LabDataSource  kind,
             guint          k,
             guint          K,
             LabRng        *rng,
             float         *px,
             float         *py)
{
  const float two_pi = 2.0f * (float) G_PI;

  switch (kind)
    {
    case LAB_DATA_SPIRAL:
      {
        /* cs231n's spiral: arm k starts at angle k·2π/K and turns ~4 rad as r goes 0 → 1. */
        float r = lab_rng_uniform (rng);
        float t = (float) k * two_pi / (float) K + 4.0f * r;
        *px = r * cosf (t);
        *py = r * sinf (t);
      }
      break;

    case LAB_DATA_CIRCLES:
      {
        /* Concentric rings, class k at radius 0.9·(k+1)/K. */
        float r = 0.9f * (float) (k + 1) / (float) K;
        float t = two_pi * lab_rng_uniform (rng);
        *px = r * cosf (t);
        *py = r * sinf (t);
      }
      break;

    case LAB_DATA_XOR:
      {
        /* Class 0 where x·y > 0 (quadrants I and III), class 1 where x·y < 0. */
        float a = lab_rng_uniform (rng);
        float b = lab_rng_uniform (rng);
        gboolean flip = lab_rng_u32 (rng) & 1;
        float sx = flip ? -1.0f : 1.0f;
        float sy = (k == 0) ? sx : -sx;
        *px = sx * a;
        *py = sy * b;
      }
      break;

    case LAB_DATA_GAUSSIANS:
      {
        /* Blobs of std 0.1 centred on a circle of radius 0.6. */
        float t = (float) k * two_pi / (float) K + (float) G_PI / 4.0f;
        *px = 0.6f * cosf (t) + 0.1f * lab_rng_normal (rng);
        *py = 0.6f * sinf (t) + 0.1f * lab_rng_normal (rng);
      }
      break;

    case LAB_DATA_FASHION_MNIST:
    case LAB_DATA_IDX:
    case LAB_DATA_CSV:
    default:
      g_assert_not_reached ();
    }
}

/* Fills @split with @n balanced samples (sample i has class i % K), then shuffles it. */
static void
plane_fill (LabSplit           *split,
            const LabPlaneSpec *spec,
            guint               n,
            LabRng             *rng)
{
  g_autofree float *x = g_new (float, (gsize) n * 2);    /* (n, 2) */
  g_autofree guint8 *y = g_new (guint8, n);              /* (n) */
  g_autofree guint32 *perm = g_new (guint32, n);
  const float noise = (float) spec->noise;

  for (guint i = 0; i < n; i++)
    {
      guint k = i % spec->n_classes;
      float px, py;

      plane_point (spec->kind, k, spec->n_classes, rng, &px, &py);
      /* Always draw the noise so noise=0 and noise>0 share the same clean points. */
      px += noise * lab_rng_normal (rng);
      py += noise * lab_rng_normal (rng);
      x[2 * i] = px;
      x[2 * i + 1] = py;
      y[i] = (guint8) k;
      perm[i] = i;
    }

  lab_rng_shuffle (rng, perm, n);

  split->n = n;
  split->dim = 2;
  split->x_u8 = NULL;
  split->x_f32 = g_new (float, MAX ((gsize) n * 2, 1));
  split->y = g_new (guint8, MAX (n, 1));
  for (guint i = 0; i < n; i++)
    {
      split->x_f32[2 * i] = x[2 * perm[i]];
      split->x_f32[2 * i + 1] = x[2 * perm[i] + 1];
      split->y[i] = y[perm[i]];
    }
}

LabDataset *
lab_dataset_new_plane (const LabPlaneSpec  *spec,
                       GError             **error)
{
  LabDataset *data;
  LabRng rng;

  g_return_val_if_fail (spec != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!lab_data_source_is_plane (spec->kind))
    {
      g_set_error (error, LAB_ENGINE_ERROR, LAB_ENGINE_ERROR_INVALID,
                   _("data source “%s” is not a built-in 2-D set (spiral|circles|xor|gaussians)"),
                   lab_data_source_to_string (spec->kind));
      return NULL;
    }
  if (spec->n_train < 1)
    {
      g_set_error (error, LAB_ENGINE_ERROR, LAB_ENGINE_ERROR_INVALID,
                   _("n_train must be at least 1 (allowed 1..%u), got %u"),
                   PLANE_MAX_SAMPLES, spec->n_train);
      return NULL;
    }
  if ((guint64) spec->n_train + spec->n_test > PLANE_MAX_SAMPLES)
    {
      g_set_error (error, LAB_ENGINE_ERROR, LAB_ENGINE_ERROR_INVALID,
                   _("n_train + n_test must be at most %u, got %u + %u"),
                   PLANE_MAX_SAMPLES, spec->n_train, spec->n_test);
      return NULL;
    }
  if (spec->n_classes < 2 || spec->n_classes > 8)
    {
      g_set_error (error, LAB_ENGINE_ERROR, LAB_ENGINE_ERROR_INVALID,
                   _("n_classes must be in 2..8 for the 2-D sets, got %u"), spec->n_classes);
      return NULL;
    }
  if (spec->kind == LAB_DATA_XOR && spec->n_classes != 2)
    {
      g_set_error (error, LAB_ENGINE_ERROR, LAB_ENGINE_ERROR_INVALID,
                   _("n_classes must be 2 for xor, got %u"), spec->n_classes);
      return NULL;
    }
  if (!isfinite (spec->noise) || spec->noise < 0 || spec->noise > PLANE_MAX_NOISE)
    {
      g_set_error (error, LAB_ENGINE_ERROR, LAB_ENGINE_ERROR_INVALID,
                   _("noise must be a number in [0, %g], got %g"), PLANE_MAX_NOISE, spec->noise);
      return NULL;
    }

  data = g_new0 (LabDataset, 1);
  data->name = g_strdup (lab_data_source_to_string (spec->kind));
  data->dim = 2;
  data->n_classes = spec->n_classes;
  data->img_w = 0;
  data->img_h = 0;

  /* One generator for both splits, train first: the test set is new draws of the same law. */
  lab_rng_init (&rng, spec->seed);
  plane_fill (&data->train, spec, spec->n_train, &rng);
  plane_fill (&data->test, spec, spec->n_test, &rng);

  return data;
}

/* --- IDX folders --------------------------------------------------------------------------- */

/* DIR/BASE, DIR/BASE.gz, or the dotted spelling some mirrors use ("train-images.idx3-ubyte"). */
static char *
find_idx_file (const char  *dir,
               const char  *base,
               GError     **error)
{
  g_autofree char *dotted = NULL;
  const char *dash = strstr (base, "-idx");
  const char *names[4] = { base, NULL, NULL, NULL };
  g_autofree char *gz = g_strconcat (base, ".gz", NULL);
  g_autofree char *dotted_gz = NULL;

  names[1] = gz;
  if (dash != NULL)
    {
      dotted = g_strdup (base);
      dotted[dash - base] = '.';
      dotted_gz = g_strconcat (dotted, ".gz", NULL);
      names[2] = dotted;
      names[3] = dotted_gz;
    }

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *path = NULL;

      if (names[i] == NULL)
        continue;
      path = g_build_filename (dir, names[i], NULL);
      if (g_file_test (path, G_FILE_TEST_IS_REGULAR))
        return g_steal_pointer (&path);
    }

  g_set_error (error, LAB_ENGINE_ERROR, LAB_ENGINE_ERROR_IO,
               _("%s: missing %s (or %s.gz)"), dir, base, base);
  return NULL;
}

static guint
split_max_label (const LabSplit *split)
{
  guint m = 0;
  for (gsize i = 0; i < split->n; i++)
    m = MAX (m, split->y[i]);
  return m;
}

LabDataset *
lab_dataset_load_idx_dir (const char  *dir,
                          GError     **error)
{
  static const char *const bases[4] = {
    "train-images-idx3-ubyte", "train-labels-idx1-ubyte",
    "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte",
  };
  g_autoptr(LabDataset) data = NULL;
  char *paths[4] = { NULL, NULL, NULL, NULL };
  guint train_h = 0, train_w = 0, test_h = 0, test_w = 0;
  gboolean ok = FALSE;

  g_return_val_if_fail (dir != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!g_file_test (dir, G_FILE_TEST_IS_DIR))
    {
      g_set_error (error, LAB_ENGINE_ERROR, LAB_ENGINE_ERROR_IO,
                   _("%s: not a folder"), dir);
      return NULL;
    }

  for (guint i = 0; i < 4; i++)
    if ((paths[i] = find_idx_file (dir, bases[i], error)) == NULL)
      goto out;

  data = g_new0 (LabDataset, 1);
  if (!lab_idx_load_split (paths[0], paths[1], &data->train, &train_h, &train_w, error) ||
      !lab_idx_load_split (paths[2], paths[3], &data->test, &test_h, &test_w, error))
    goto out;

  if (train_h != test_h || train_w != test_w)
    {
      g_set_error (error, LAB_ENGINE_ERROR, LAB_ENGINE_ERROR_FORMAT,
                   _("%s: training images are %u×%u but test images are %u×%u"),
                   dir, train_h, train_w, test_h, test_w);
      goto out;
    }

  data->name = g_path_get_basename (dir);
  data->dim = data->train.dim;
  data->img_h = train_h;
  data->img_w = train_w;
  data->n_classes = MAX (2, MAX (split_max_label (&data->train),
                                 split_max_label (&data->test)) + 1);
  ok = TRUE;

out:
  for (guint i = 0; i < 4; i++)
    g_free (paths[i]);
  return ok ? g_steal_pointer (&data) : NULL;
}

/* --- Splits -------------------------------------------------------------------------------- */

void
lab_dataset_free (LabDataset *data)
{
  if (data == NULL)
    return;
  g_free (data->name);
  g_free (data->train.x_u8);
  g_free (data->train.x_f32);
  g_free (data->train.y);
  g_free (data->test.x_u8);
  g_free (data->test.x_f32);
  g_free (data->test.y);
  g_free (data);
}

static void
split_copy (LabSplit       *dst,
            const LabSplit *src)
{
  dst->n = src->n;
  dst->dim = src->dim;
  dst->x_u8 = src->x_u8 ? g_memdup2 (src->x_u8, src->n * src->dim) : NULL;
  dst->x_f32 = src->x_f32 ? g_memdup2 (src->x_f32, src->n * src->dim * sizeof (float)) : NULL;
  dst->y = src->y ? g_memdup2 (src->y, src->n) : NULL;
}

LabDataset *
lab_dataset_copy (const LabDataset *data)
{
  LabDataset *copy = g_new0 (LabDataset, 1);

  *copy = *data;
  copy->name = g_strdup (data->name);
  split_copy (&copy->train, &data->train);
  split_copy (&copy->test, &data->test);
  return copy;
}

void
lab_split_truncate (LabSplit *split,
                    gsize     limit)
{
  g_return_if_fail (split != NULL);

  if (limit > 0 && limit < split->n)
    split->n = limit;
}


void
lab_split_gather (const LabSplit *split,
                  const guint32  *idx,    /* (count) */
                  gsize           count,
                  float          *x,      /* (count, dim) */
                  guint32        *y)      /* (count) */
{
  gsize dim;

  g_return_if_fail (split != NULL);
  g_return_if_fail (count == 0 || (idx != NULL && x != NULL && y != NULL));

  dim = split->dim;

  if (split->x_u8 != NULL)
    {
      for (gsize r = 0; r < count; r++)
        {
          const guint8 *src = split->x_u8 + (gsize) idx[r] * dim;
          float *dst = x + r * dim;

          g_assert (idx[r] < split->n);
          /* rows are picked at random from tens of MB: start loading the one after next, or
           * each row's first load waits for memory (60 % of this loop's samples in perf) */
          if (r + 2 < count && idx[r + 2] < split->n)
            {
              const guint8 *ahead = split->x_u8 + (gsize) idx[r + 2] * dim;
              for (gsize j = 0; j < dim; j += 64)
                __builtin_prefetch (ahead + j);
            }
          /* exactly PyTorch's x / 255.0 in float32; as a division it vectorises (divps), where a
           * 256-entry table lookup per pixel cost 5 % of a batch-64 step (perf) */
          for (gsize j = 0; j < dim; j++)
            dst[j] = (float) src[j] / 255.0f;
          y[r] = split->y[idx[r]];
        }
    }
  else
    {
      for (gsize r = 0; r < count; r++)
        {
          g_assert (idx[r] < split->n);
          memcpy (x + r * dim, split->x_f32 + (gsize) idx[r] * dim, dim * sizeof (float));
          y[r] = split->y[idx[r]];
        }
    }
}
