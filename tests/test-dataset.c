/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * test-dataset.c: the data loaders. The 2-D generators (counts, balance, determinism, noise,
 * validation), the IDX reader on small hand-written files (raw and gzip, every pixel checked)
 * and on every kind of malformed file we could think of, the CSV reader, the batch gather
 * (bit-identical to PyTorch's x / 255), and the real Fashion-MNIST when it is installed.
 */
#define G_LOG_DOMAIN "lab-test"
#include "config.h"

#include <math.h>
#include <string.h>
#include <glib/gstdio.h>

#include "lab-dataset.h"
#include "lab-error.h"
#include "lab-test-utils.h"

/* --- Helpers ------------------------------------------------------------------------------- */

static void
put_be32 (GByteArray *b,
          guint32     v)
{
  guint8 p[4] = { v >> 24, (v >> 16) & 0xff, (v >> 8) & 0xff, v & 0xff };
  g_byte_array_append (b, p, 4);
}

/* An IDX header: 00 00 dtype ndim, dims… */
static GByteArray *
idx_header (guint8         dtype,
            guint          ndim,
            const guint32 *dims)
{
  GByteArray *b = g_byte_array_new ();
  guint8 magic[4] = { 0, 0, dtype, (guint8) ndim };

  g_byte_array_append (b, magic, 4);
  for (guint i = 0; i < ndim; i++)
    put_be32 (b, dims[i]);
  return b;
}

#define N_IMG  5
#define IMG_H  3
#define IMG_W  4

static guint8
pixel (guint i,
       guint j)
{
  return (guint8) ((i * 53 + j * 29 + 7) % 256);
}

static const guint8 small_labels[N_IMG] = { 3, 1, 4, 1, 5 };

/* N images of IMG_H×IMG_W with pixel(i, j). */
static GByteArray *
make_images (guint n,
             guint h,
             guint w)
{
  guint32 dims[3] = { n, h, w };
  GByteArray *b = idx_header (0x08, 3, dims);

  for (guint i = 0; i < n; i++)
    for (guint j = 0; j < h * w; j++)
      {
        guint8 v = pixel (i, j);
        g_byte_array_append (b, &v, 1);
      }
  return b;
}

static GByteArray *
make_labels (guint n)
{
  guint32 dims[1] = { n };
  GByteArray *b = idx_header (0x08, 1, dims);

  for (guint i = 0; i < n; i++)
    {
      guint8 v = small_labels[i % N_IMG];
      g_byte_array_append (b, &v, 1);
    }
  return b;
}

static char *
write_bytes (const char *dir,
             const char *name,
             GByteArray *b,
             gboolean    gz)
{
  if (gz)
    return lab_test_write_gzip (dir, name, b->data, b->len);
  return lab_test_write_file (dir, name, b->data, b->len);
}

static void
assert_split_empty (const LabSplit *s)
{
  g_assert_cmpuint (s->n, ==, 0);
  g_assert_null (s->x_u8);
  g_assert_null (s->x_f32);
  g_assert_null (s->y);
}

static void
assert_message_has (const GError *error,
                    const char   *needle)
{
  g_assert_nonnull (error);
  if (strstr (error->message, needle) == NULL)
    g_error ("error message “%s” does not contain “%s”", error->message, needle);
}

/* --- Enum ---------------------------------------------------------------------------------- */

static void
test_enum (void)
{
  static const char *nicks[] = {
    "spiral", "circles", "xor", "gaussians", "fashion-mnist", "idx", "csv",
  };
  LabDataSource s;

  for (guint i = 0; i < G_N_ELEMENTS (nicks); i++)
    {
      g_assert_true (lab_data_source_from_string (nicks[i], &s));
      g_assert_cmpint (s, ==, (int) i);
      g_assert_cmpstr (lab_data_source_to_string (s), ==, nicks[i]);
      g_assert_cmpint (lab_data_source_is_plane (s), ==, i < 4);
    }
  g_assert_false (lab_data_source_from_string ("mnist-ish", &s));
  g_assert_false (lab_data_source_from_string (NULL, &s));
}

/* --- 2-D sets ------------------------------------------------------------------------------ */

static LabDataset *
plane (LabDataSource kind,
       guint         n_train,
       guint         n_test,
       guint         n_classes,
       double        noise,
       guint64       seed)
{
  g_autoptr(GError) error = NULL;
  LabPlaneSpec spec = { kind, n_train, n_test, n_classes, noise, seed };
  LabDataset *data = lab_dataset_new_plane (&spec, &error);

  g_assert_no_error (error);
  g_assert_nonnull (data);
  return data;
}

static void
assert_balanced (const LabSplit *s,
                 guint           K)
{
  gsize counts[8] = { 0 };

  for (gsize i = 0; i < s->n; i++)
    {
      g_assert_cmpuint (s->y[i], <, K);
      counts[s->y[i]]++;
    }
  for (guint k = 0; k < K; k++)
    {
      g_assert_cmpuint (counts[k], >=, s->n / K);
      g_assert_cmpuint (counts[k], <=, s->n / K + 1);
    }
}

static void
test_plane_counts (void)
{
  const LabDataSource kinds[] = { LAB_DATA_SPIRAL, LAB_DATA_CIRCLES, LAB_DATA_XOR,
                                  LAB_DATA_GAUSSIANS };

  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    for (guint K = 2; K <= 8; K++)
      {
        g_autoptr(LabDataset) data = NULL;
        float lim = kinds[i] == LAB_DATA_GAUSSIANS ? 1.2f : 1.0f;

        if (kinds[i] == LAB_DATA_XOR && K != 2)
          continue;
        data = plane (kinds[i], 101, 37, K, 0.0, 42);
        g_assert_cmpstr (data->name, ==, lab_data_source_to_string (kinds[i]));
        g_assert_cmpuint (data->dim, ==, 2);
        g_assert_cmpuint (data->n_classes, ==, K);
        g_assert_cmpuint (data->img_w, ==, 0);
        g_assert_cmpuint (data->img_h, ==, 0);
        g_assert_cmpuint (data->train.n, ==, 101);
        g_assert_cmpuint (data->test.n, ==, 37);
        g_assert_cmpuint (data->train.dim, ==, 2);
        g_assert_cmpuint (data->test.dim, ==, 2);
        g_assert_null (data->train.x_u8);
        g_assert_nonnull (data->train.x_f32);
        g_assert_null (data->test.x_u8);
        g_assert_nonnull (data->test.x_f32);
        assert_balanced (&data->train, K);
        assert_balanced (&data->test, K);
        for (gsize j = 0; j < data->train.n * 2; j++)
          {
            g_assert_true (isfinite (data->train.x_f32[j]));
            g_assert_cmpfloat (fabsf (data->train.x_f32[j]), <=, lim);
          }
      }
}

static void
test_plane_shape (void)
{
  /* Clean circles: class k sits exactly on radius 0.9·(k+1)/K. */
  g_autoptr(LabDataset) c = plane (LAB_DATA_CIRCLES, 300, 0, 3, 0.0, 7);
  g_autoptr(LabDataset) x = plane (LAB_DATA_XOR, 300, 0, 2, 0.0, 7);
  g_autoptr(LabDataset) s = plane (LAB_DATA_SPIRAL, 300, 0, 4, 0.0, 7);

  for (gsize i = 0; i < c->train.n; i++)
    {
      float px = c->train.x_f32[2 * i], py = c->train.x_f32[2 * i + 1];
      lab_assert_close (hypot (px, py), 0.9 * (c->train.y[i] + 1) / 3.0, 1e-5, 1e-6);
    }
  /* Clean xor: class 0 where x·y > 0. */
  for (gsize i = 0; i < x->train.n; i++)
    {
      float p = x->train.x_f32[2 * i] * x->train.x_f32[2 * i + 1];
      g_assert_cmpint (p >= 0 ? 0 : 1, ==, x->train.y[i]);
    }
  /* Spiral: radius in [0, 1]. */
  for (gsize i = 0; i < s->train.n; i++)
    g_assert_cmpfloat (hypot (s->train.x_f32[2 * i], s->train.x_f32[2 * i + 1]), <=, 1.0 + 1e-6);
}

static void
test_plane_seed (void)
{
  const LabDataSource kinds[] = { LAB_DATA_SPIRAL, LAB_DATA_CIRCLES, LAB_DATA_XOR,
                                  LAB_DATA_GAUSSIANS };

  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    {
      g_autoptr(LabDataset) a = plane (kinds[i], 200, 50, 2, 0.1, 1234);
      g_autoptr(LabDataset) b = plane (kinds[i], 200, 50, 2, 0.1, 1234);
      g_autoptr(LabDataset) c = plane (kinds[i], 200, 50, 2, 0.1, 1235);

      g_assert_cmpmem (a->train.x_f32, 400 * sizeof (float), b->train.x_f32, 400 * sizeof (float));
      g_assert_cmpmem (a->train.y, 200, b->train.y, 200);
      g_assert_cmpmem (a->test.x_f32, 100 * sizeof (float), b->test.x_f32, 100 * sizeof (float));
      g_assert_cmpmem (a->test.y, 50, b->test.y, 50);
      g_assert_true (memcmp (a->train.x_f32, c->train.x_f32, 400 * sizeof (float)) != 0);
      g_assert_true (memcmp (a->test.x_f32, c->test.x_f32, 100 * sizeof (float)) != 0);
      /* The test split is new draws, not a copy of the start of train. */
      g_assert_true (memcmp (a->train.x_f32, a->test.x_f32, 100 * sizeof (float)) != 0);
    }
}

static void
test_plane_noise (void)
{
  g_autoptr(LabDataset) clean = plane (LAB_DATA_SPIRAL, 500, 0, 3, 0.0, 9);
  g_autoptr(LabDataset) noisy = plane (LAB_DATA_SPIRAL, 500, 0, 3, 0.3, 9);
  double sq = 0;
  gsize n = 1000;

  g_assert_cmpuint (noisy->test.n, ==, 0);
  g_assert_true (memcmp (clean->train.x_f32, noisy->train.x_f32, n * sizeof (float)) != 0);
  /* Same seed: the same clean points, displaced by N(0, 0.3²) per coordinate. */
  g_assert_cmpmem (clean->train.y, 500, noisy->train.y, 500);
  for (gsize j = 0; j < n; j++)
    {
      double d = noisy->train.x_f32[j] - clean->train.x_f32[j];
      sq += d * d;
    }
  lab_assert_close (sqrt (sq / n), 0.3, 0.15, 0);
}

static void
test_plane_invalid (void)
{
  struct {
    LabPlaneSpec spec;
    const char  *needle;
  } cases[] = {
    { { LAB_DATA_XOR, 100, 10, 3, 0.0, 1 }, "xor" },
    { { LAB_DATA_SPIRAL, 0, 10, 2, 0.0, 1 }, "n_train" },
    { { LAB_DATA_SPIRAL, 100, 10, 1, 0.0, 1 }, "n_classes" },
    { { LAB_DATA_SPIRAL, 100, 10, 9, 0.0, 1 }, "2..8" },
    { { LAB_DATA_CIRCLES, 100, 10, 2, -0.1, 1 }, "noise" },
    { { LAB_DATA_CIRCLES, 100, 10, 2, 10.5, 1 }, "noise" },
    { { LAB_DATA_CIRCLES, 100, 10, 2, NAN, 1 }, "noise" },
    { { LAB_DATA_CIRCLES, 100, 10, 2, INFINITY, 1 }, "noise" },
    { { LAB_DATA_GAUSSIANS, 9000000, 1000001, 2, 0.0, 1 }, "10000000" },
    { { LAB_DATA_GAUSSIANS, G_MAXUINT, G_MAXUINT, 2, 0.0, 1 }, "10000000" },
    { { LAB_DATA_CSV, 100, 10, 2, 0.0, 1 }, "csv" },
    { { LAB_DATA_FASHION_MNIST, 100, 10, 2, 0.0, 1 }, "fashion-mnist" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      LabDataset *data = lab_dataset_new_plane (&cases[i].spec, &error);

      g_assert_null (data);
      g_assert_error (error, LAB_ENGINE_ERROR, LAB_ENGINE_ERROR_INVALID);
      assert_message_has (error, cases[i].needle);
    }

  /* Limits themselves are fine. */
  {
    g_autoptr(LabDataset) a = plane (LAB_DATA_SPIRAL, 1, 0, 8, 10.0, 1);
    g_assert_cmpuint (a->train.n, ==, 1);
    g_assert_cmpuint (a->test.n, ==, 0);
  }
}

/* --- Gather / truncate --------------------------------------------------------------------- */

static void
test_gather_u8 (void)
{
  guint8 px[256 * 3];
  guint8 y[256];
  guint32 idx[256];
  g_autofree float *x = g_new (float, 256 * 3);
  guint32 yy[256];
  LabSplit s = { 256, 3, px, NULL, y };

  for (guint i = 0; i < 256; i++)
    {
      px[3 * i] = (guint8) i;
      px[3 * i + 1] = (guint8) (255 - i);
      px[3 * i + 2] = (guint8) (i * 7);
      y[i] = (guint8) (i % 10);
      idx[i] = (i * 97 + 13) % 256;    /* a permutation */
    }

  lab_split_gather (&s, idx, 256, x, yy);
  for (guint r = 0; r < 256; r++)
    {
      g_assert_cmpuint (yy[r], ==, idx[r] % 10);
      for (guint j = 0; j < 3; j++)
        {
          /* volatile: computed at run time by the FPU, as numpy does. */
          volatile float v = (float) px[3 * idx[r] + j];
          float want = v / 255.0f;
          g_assert_true (memcmp (&x[3 * r + j], &want, sizeof (float)) == 0);
        }
    }
  g_assert_cmpfloat (x[0], ==, (float) idx[0] / 255.0f);
  /* The ends are exact. */
  for (guint r = 0; r < 256; r++)
    if (idx[r] == 255)
      {
        g_assert_cmpfloat (x[3 * r], ==, 1.0f);
        g_assert_cmpfloat (x[3 * r + 1], ==, 0.0f);
      }
}

static void
test_gather_f32 (void)
{
  float feat[5 * 2] = { 0.5f, -1.f, 2.f, 3.25f, -7.f, 1e-3f, 4.f, 5.f, 6.f, -0.f };
  guint8 y[5] = { 0, 1, 2, 1, 0 };
  LabSplit s = { 5, 2, NULL, feat, y };
  guint32 idx[4] = { 4, 0, 2, 2 };
  float x[8];
  guint32 yy[4];

  lab_split_gather (&s, idx, 4, x, yy);
  for (guint r = 0; r < 4; r++)
    {
      g_assert_cmpmem (&x[2 * r], 2 * sizeof (float), &feat[2 * idx[r]], 2 * sizeof (float));
      g_assert_cmpuint (yy[r], ==, y[idx[r]]);
    }
}

static void
test_truncate (void)
{
  g_autoptr(LabDataset) d = plane (LAB_DATA_SPIRAL, 100, 20, 2, 0.0, 1);

  lab_split_truncate (&d->train, 0);
  g_assert_cmpuint (d->train.n, ==, 100);
  lab_split_truncate (&d->train, 500);
  g_assert_cmpuint (d->train.n, ==, 100);
  lab_split_truncate (&d->train, 100);
  g_assert_cmpuint (d->train.n, ==, 100);
  lab_split_truncate (&d->train, 30);
  g_assert_cmpuint (d->train.n, ==, 30);
  lab_split_truncate (&d->test, 1);
  g_assert_cmpuint (d->test.n, ==, 1);
  lab_dataset_free (NULL);
}

/* --- IDX ----------------------------------------------------------------------------------- */

static void
assert_small_split (const LabSplit *s,
                    guint           n)
{
  g_assert_cmpuint (s->n, ==, n);
  g_assert_cmpuint (s->dim, ==, IMG_H * IMG_W);
  g_assert_nonnull (s->x_u8);
  g_assert_null (s->x_f32);
  for (guint i = 0; i < n; i++)
    {
      g_assert_cmpuint (s->y[i], ==, small_labels[i % N_IMG]);
      for (guint j = 0; j < IMG_H * IMG_W; j++)
        g_assert_cmpuint (s->x_u8[i * IMG_H * IMG_W + j], ==, pixel (i, j));
    }
}

static void
load_small (gboolean gz_images,
            gboolean gz_labels)
{
  g_autofree char *dir = lab_test_mkdtemp ();
  g_autoptr(GByteArray) img = make_images (N_IMG, IMG_H, IMG_W);
  g_autoptr(GByteArray) lbl = make_labels (N_IMG);
  g_autofree char *ip = write_bytes (dir, gz_images ? "i.gz" : "i", img, gz_images);
  g_autofree char *lp = write_bytes (dir, gz_labels ? "l.gz" : "l", lbl, gz_labels);
  g_autoptr(GError) error = NULL;
  LabSplit s = { 0 };
  guint h = 0, w = 0;

  g_assert_true (lab_idx_load_split (ip, lp, &s, &h, &w, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (h, ==, IMG_H);
  g_assert_cmpuint (w, ==, IMG_W);
  assert_small_split (&s, N_IMG);
  g_free (s.x_u8);
  g_free (s.y);
  lab_test_rmdir (dir);
}

static void
test_idx_raw (void)
{
  load_small (FALSE, FALSE);
}

static void
test_idx_gz (void)
{
  load_small (TRUE, TRUE);
  load_small (TRUE, FALSE);
}

static void
test_idx_dir (void)
{
  g_autofree char *root = lab_test_mkdtemp ();
  g_autofree char *dir = g_build_filename (root, "tiny-mnist", NULL);
  g_autoptr(GByteArray) tri = make_images (N_IMG, IMG_H, IMG_W);
  g_autoptr(GByteArray) trl = make_labels (N_IMG);
  g_autoptr(GByteArray) tei = make_images (2, IMG_H, IMG_W);
  g_autoptr(GByteArray) tel = make_labels (2);
  g_autoptr(GError) error = NULL;
  g_autoptr(LabDataset) data = NULL;
  g_autofree char *p1 = NULL, *p2 = NULL, *p3 = NULL, *p4 = NULL;

  g_assert_cmpint (g_mkdir (dir, 0700), ==, 0);

  /* Missing everything: names the folder and the first missing file. */
  data = lab_dataset_load_idx_dir (dir, &error);
  g_assert_null (data);
  g_assert_error (error, LAB_ENGINE_ERROR, LAB_ENGINE_ERROR_IO);
  assert_message_has (error, dir);
  assert_message_has (error, "train-images-idx3-ubyte");
  g_clear_error (&error);

  p1 = write_bytes (dir, "train-images-idx3-ubyte", tri, FALSE);
  p2 = write_bytes (dir, "train-labels-idx1-ubyte.gz", trl, TRUE);
  p3 = write_bytes (dir, "t10k-images-idx3-ubyte.gz", tei, TRUE);

  data = lab_dataset_load_idx_dir (dir, &error);
  g_assert_null (data);
  g_assert_error (error, LAB_ENGINE_ERROR, LAB_ENGINE_ERROR_IO);
  assert_message_has (error, "t10k-labels-idx1-ubyte");
  g_clear_error (&error);

  /* The dotted spelling of some mirrors. */
  p4 = write_bytes (dir, "t10k-labels.idx1-ubyte", tel, FALSE);

  data = lab_dataset_load_idx_dir (dir, &error);
  g_assert_no_error (error);
  g_assert_nonnull (data);
  g_assert_cmpstr (data->name, ==, "tiny-mnist");
  g_assert_cmpuint (data->dim, ==, IMG_H * IMG_W);
  g_assert_cmpuint (data->img_h, ==, IMG_H);
  g_assert_cmpuint (data->img_w, ==, IMG_W);
  g_assert_cmpuint (data->n_classes, ==, 6);    /* max label 5 */
  assert_small_split (&data->train, N_IMG);
  assert_small_split (&data->test, 2);
  g_clear_pointer (&data, lab_dataset_free);

  /* Test images of another size. */
  {
    g_autoptr(GByteArray) odd = make_images (2, IMG_W, IMG_H);
    g_autofree char *p = write_bytes (dir, "t10k-images-idx3-ubyte.gz", odd, TRUE);

    g_assert_nonnull (p);
    data = lab_dataset_load_idx_dir (dir, &error);
    g_assert_null (data);
    g_assert_error (error, LAB_ENGINE_ERROR, LAB_ENGINE_ERROR_FORMAT);
    assert_message_has (error, "tiny-mnist");
    g_clear_error (&error);
  }

  /* Not a folder. */
  data = lab_dataset_load_idx_dir (p1, &error);
  g_assert_null (data);
  g_assert_error (error, LAB_ENGINE_ERROR, LAB_ENGINE_ERROR_IO);
  g_clear_error (&error);

  lab_test_rmdir (root);
}

/* A malformed-file case: which file is broken, how, and what the error must say. */
typedef struct
{
  const char *name;
  gboolean    bad_labels;  /* else the images file is the broken one */
  int         code;
  const char *needle;
} IdxCase;

static GByteArray *
broken_bytes (const char *name)
{
  GByteArray *b;

  if (g_str_equal (name, "magic"))
    {
      b = make_images (N_IMG, IMG_H, IMG_W);
      b->data[0] = 0x1f;
    }
  else if (g_str_equal (name, "dtype"))
    {
      b = make_images (N_IMG, IMG_H, IMG_W);
      b->data[2] = 0x0D;
    }
  else if (g_str_equal (name, "ndim"))
    {
      guint32 dims[2] = { N_IMG, IMG_H * IMG_W };
      b = idx_header (0x08, 2, dims);
      for (guint i = 0; i < N_IMG * IMG_H * IMG_W; i++)
        g_byte_array_append (b, (guint8 *) "x", 1);
    }
  else if (g_str_equal (name, "truncated"))
    {
      b = make_images (N_IMG, IMG_H, IMG_W);
      g_byte_array_set_size (b, b->len - 1);
    }
  else if (g_str_equal (name, "trailing"))
    {
      b = make_images (N_IMG, IMG_H, IMG_W);
      g_byte_array_append (b, (guint8 *) "\0\0", 2);
    }
  else if (g_str_equal (name, "count"))
    b = make_labels (N_IMG - 1);
  else if (g_str_equal (name, "label-ndim"))
    {
      guint32 dims[3] = { N_IMG, 1, 1 };
      b = idx_header (0x08, 3, dims);
      g_byte_array_append (b, small_labels, N_IMG);
    }
  else if (g_str_equal (name, "zero-dim"))
    {
      guint32 dims[3] = { N_IMG, 0, IMG_W };
      b = idx_header (0x08, 3, dims);
    }
  else if (g_str_equal (name, "zero-count"))
    {
      guint32 dims[3] = { 0, IMG_H, IMG_W };
      b = idx_header (0x08, 3, dims);
    }
  else if (g_str_equal (name, "overflow"))
    {
      guint32 dims[3] = { 0xFFFFFFFF, 0xFFFFFFFF, 0xFFFFFFFF };
      b = idx_header (0x08, 3, dims);
    }
  else if (g_str_equal (name, "huge-image"))
    {
      guint32 dims[3] = { 1, 1000, 1000 };
      b = idx_header (0x08, 3, dims);
    }
  else if (g_str_equal (name, "huge-count"))
    {
      /* 2^32-1 images claimed, 5 present: refused on length, nothing allocated. */
      guint32 dims[3] = { 0xFFFFFFFF, IMG_H, IMG_W };
      b = idx_header (0x08, 3, dims);
      g_byte_array_append (b, small_labels, N_IMG);
    }
  else if (g_str_equal (name, "short"))
    {
      b = g_byte_array_new ();
      g_byte_array_append (b, (guint8 *) "\0\0\x08", 3);
    }
  else if (g_str_equal (name, "short-header"))
    {
      b = make_images (N_IMG, IMG_H, IMG_W);
      g_byte_array_set_size (b, 9);
    }
  else if (g_str_equal (name, "empty"))
    b = g_byte_array_new ();
  else
    g_assert_not_reached ();
  return b;
}

static void
test_idx_malformed (void)
{
  static const IdxCase cases[] = {
    { "magic", FALSE, LAB_ENGINE_ERROR_FORMAT, "not an IDX file" },
    { "dtype", FALSE, LAB_ENGINE_ERROR_FORMAT,
      "unsupported IDX data type 0x0D (only unsigned bytes, 0x08, are supported)" },
    { "ndim", FALSE, LAB_ENGINE_ERROR_FORMAT, "expected 3 dimensions" },
    { "truncated", FALSE, LAB_ENGINE_ERROR_FORMAT,
      "truncated: header says 60 bytes of data, file has 59" },
    { "trailing", FALSE, LAB_ENGINE_ERROR_FORMAT, "2 trailing bytes" },
    { "count", TRUE, LAB_ENGINE_ERROR_FORMAT, "4 labels" },
    { "label-ndim", TRUE, LAB_ENGINE_ERROR_FORMAT, "expected 1 dimensions" },
    { "zero-dim", FALSE, LAB_ENGINE_ERROR_FORMAT, "dimension 1 is zero" },
    { "zero-count", FALSE, LAB_ENGINE_ERROR_FORMAT, "dimension 0 is zero" },
    { "overflow", FALSE, LAB_ENGINE_ERROR_FORMAT, "overflow" },
    { "huge-image", FALSE, LAB_ENGINE_ERROR_FORMAT, "1000×1000" },
    { "huge-count", FALSE, LAB_ENGINE_ERROR_FORMAT, "truncated" },
    { "short", FALSE, LAB_ENGINE_ERROR_FORMAT, "too short" },
    { "short-header", FALSE, LAB_ENGINE_ERROR_FORMAT, "truncated header" },
    { "empty", TRUE, LAB_ENGINE_ERROR_FORMAT, "empty" },
  };
  g_autofree char *dir = lab_test_mkdtemp ();
  g_autoptr(GByteArray) good_img = make_images (N_IMG, IMG_H, IMG_W);
  g_autoptr(GByteArray) good_lbl = make_labels (N_IMG);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    for (guint gz = 0; gz < 2; gz++)
      {
        g_autoptr(GByteArray) bad = broken_bytes (cases[i].name);
        g_autofree char *bad_name = g_strdup_printf ("bad-%s%s", cases[i].name,
                                                     gz ? ".gz" : "");
        g_autofree char *bad_path = write_bytes (dir, bad_name, bad, gz);
        g_autofree char *ok_path = write_bytes (dir, cases[i].bad_labels ? "ok-img" : "ok-lbl",
                                                cases[i].bad_labels ? good_img : good_lbl,
                                                FALSE);
        g_autoptr(GError) error = NULL;
        LabSplit s = { 7, 7, (guint8 *) "junk", NULL, NULL };
        guint h = 99, w = 99;
        gboolean ok;

        if (cases[i].bad_labels)
          ok = lab_idx_load_split (ok_path, bad_path, &s, &h, &w, &error);
        else
          ok = lab_idx_load_split (bad_path, ok_path, &s, &h, &w, &error);

        g_test_message ("%s: %s", bad_name, error ? error->message : "(no error)");
        g_assert_false (ok);
        g_assert_error (error, LAB_ENGINE_ERROR, cases[i].code);
        /* Every message starts with the broken file's path. */
        g_assert_true (g_str_has_prefix (error->message, bad_path));
        assert_message_has (error, bad_name);
        assert_message_has (error, cases[i].needle);
        assert_split_empty (&s);
        g_assert_cmpuint (h, ==, 0);
        g_assert_cmpuint (w, ==, 0);
      }

  lab_test_rmdir (dir);
}

static void
test_idx_gzip_corrupt (void)
{
  g_autofree char *dir = lab_test_mkdtemp ();
  g_autoptr(GByteArray) img = make_images (N_IMG, IMG_H, IMG_W);
  g_autoptr(GByteArray) lbl = make_labels (N_IMG);
  g_autofree char *lp = write_bytes (dir, "l", lbl, FALSE);
  /* A valid gzip member header (magic, deflate, no flags, mtime, xfl, OS), then garbage. */
  static const guint8 garbage[] = {
    0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03,
    0xff, 0xfe, 0xfd, 0xfc, 0x13, 0x37, 0xde, 0xad, 0xbe, 0xef, 0x00, 0x11, 0x22,
    0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb,
  };
  g_autofree char *corrupt = lab_test_write_file (dir, "corrupt.gz", garbage, sizeof garbage);
  g_autofree char *notgz = lab_test_write_file (dir, "plain.gz", img->data, img->len);
  g_autofree char *full = write_bytes (dir, "full.gz", img, TRUE);
  g_autofree char *cut = NULL;
  g_autofree char *missing = g_build_filename (dir, "missing.gz", NULL);
  g_autofree char *missing_raw = g_build_filename (dir, "missing", NULL);
  struct { const char *path; int code; } cases[4] = {
    { corrupt, LAB_ENGINE_ERROR_FORMAT },
    { notgz, LAB_ENGINE_ERROR_FORMAT },
    { NULL, LAB_ENGINE_ERROR_FORMAT },
    { missing, LAB_ENGINE_ERROR_IO },
  };
  char *contents = NULL;
  gsize len = 0;

  /* A gzip file cut in half. */
  g_assert_true (g_file_get_contents (full, &contents, &len, NULL));
  cut = lab_test_write_file (dir, "cut.gz", contents, len / 2);
  g_free (contents);
  cases[2].path = cut;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      LabSplit s = { 0 };

      g_assert_false (lab_idx_load_split (cases[i].path, lp, &s, NULL, NULL, &error));
      g_test_message ("%s", error ? error->message : "(no error)");
      g_assert_error (error, LAB_ENGINE_ERROR, cases[i].code);
      g_assert_true (g_str_has_prefix (error->message, cases[i].path));
      assert_split_empty (&s);
    }

  {
    g_autoptr(GError) error = NULL;
    LabSplit s = { 0 };

    g_assert_false (lab_idx_load_split (full, missing_raw, &s, NULL, NULL, &error));
    g_assert_error (error, LAB_ENGINE_ERROR, LAB_ENGINE_ERROR_IO);
    g_assert_true (g_str_has_prefix (error->message, missing_raw));
    assert_split_empty (&s);
  }

  lab_test_rmdir (dir);
}

/* --- CSV ----------------------------------------------------------------------------------- */

static LabDataset *
csv_load (const char *text,
          gboolean    header,
          int         label_column,
          double      test_fraction,
          guint64     seed,
          GError    **error)
{
  g_autofree char *dir = lab_test_mkdtemp ();
  g_autofree char *path = lab_test_write_file (dir, "data.csv", text, strlen (text));
  LabDataset *data = lab_dataset_load_csv (path, header, label_column, test_fraction, seed,
                                           error);

  if (error != NULL && *error != NULL)
    {
      g_test_message ("%s", (*error)->message);
      g_assert_true (g_str_has_prefix ((*error)->message, path));
    }
  lab_test_rmdir (dir);
  return data;
}

/* Row r has features (r, 2r + 0.5) and label r % 3. Checks both splits hold each row once. */
static void
assert_rows (const LabDataset *d,
             gsize             n_rows,
             gsize             n_test)
{
  g_autofree guint *seen = g_new0 (guint, n_rows);

  g_assert_cmpuint (d->dim, ==, 2);
  g_assert_cmpuint (d->n_classes, ==, MAX (2, MIN (n_rows, 3)));   /* max label + 1 */
  g_assert_cmpstr (d->name, ==, "data.csv");
  g_assert_cmpuint (d->img_w, ==, 0);
  g_assert_cmpuint (d->test.n, ==, n_test);
  g_assert_cmpuint (d->train.n, ==, n_rows - n_test);
  for (guint s = 0; s < 2; s++)
    {
      const LabSplit *sp = s ? &d->test : &d->train;

      g_assert_cmpuint (sp->dim, ==, 2);
      g_assert_null (sp->x_u8);
      g_assert_nonnull (sp->x_f32);
      for (gsize i = 0; i < sp->n; i++)
        {
          float a = sp->x_f32[2 * i], b = sp->x_f32[2 * i + 1];
          guint r = (guint) a;

          g_assert_cmpfloat (a, ==, (float) r);
          g_assert_cmpuint (r, <, n_rows);
          g_assert_cmpfloat (b, ==, 2.0f * r + 0.5f);
          g_assert_cmpuint (sp->y[i], ==, r % 3);
          seen[r]++;
        }
    }
  for (gsize r = 0; r < n_rows; r++)
    g_assert_cmpuint (seen[r], ==, 1);
}

static char *
csv_text (gsize       n,
          int         label_pos,   /* 0 first, 1 last */
          const char *sep,
          const char *eol,
          const char *header)
{
  GString *s = g_string_new (header);

  for (gsize r = 0; r < n; r++)
    {
      char a[G_ASCII_DTOSTR_BUF_SIZE], b[G_ASCII_DTOSTR_BUF_SIZE];

      g_ascii_dtostr (a, sizeof a, (double) r);
      g_ascii_dtostr (b, sizeof b, 2.0 * r + 0.5);
      if (label_pos == 0)
        g_string_append_printf (s, "%u%s%s%s%s%s", (guint) (r % 3), sep, a, sep, b, eol);
      else
        g_string_append_printf (s, "%s%s%s%s%u%s", a, sep, b, sep, (guint) (r % 3), eol);
    }
  return g_string_free (s, FALSE);
}

static void
test_csv_basic (void)
{
  g_autoptr(GError) error = NULL;

  {
    g_autofree char *t = csv_text (20, 1, ",", "\n", "x,y,label\n");
    g_autoptr(LabDataset) d = csv_load (t, TRUE, -1, 0.25, 5, &error);
    g_assert_no_error (error);
    assert_rows (d, 20, 5);
  }
  {
    /* No header, label first, CRLF. */
    g_autofree char *t = csv_text (10, 0, ",", "\r\n", "");
    g_autoptr(LabDataset) d = csv_load (t, FALSE, 0, 0.0, 5, &error);
    g_assert_no_error (error);
    assert_rows (d, 10, 0);
    g_assert_nonnull (d->test.x_f32);
  }
  {
    /* header = TRUE but no header row: the numeric first row is data. */
    g_autofree char *t = csv_text (10, 0, ",", "\n", "");
    g_autoptr(LabDataset) d = csv_load (t, TRUE, -3, 0.1, 5, &error);
    g_assert_no_error (error);
    assert_rows (d, 10, 1);
  }
  {
    /* Blank lines, spaces, no final newline, CRLF header. */
    const char *t = "\n  \nf1 , f2 , class\r\n0, 0.5, 0\r\n\r\n1 ,2.5,1\n\n2,4.5,2\n3,6.5 ,0";
    g_autoptr(LabDataset) d = csv_load (t, TRUE, 2, 0.0, 5, &error);
    g_assert_no_error (error);
    assert_rows (d, 4, 0);
  }
  {
    /* Semicolons and tabs. */
    g_autofree char *t1 = csv_text (6, 1, ";", "\n", "a;b;c\n");
    g_autofree char *t2 = csv_text (6, 1, "\t", "\n", "");
    g_autoptr(LabDataset) d1 = csv_load (t1, TRUE, -1, 0.5, 1, &error);
    g_assert_no_error (error);
    assert_rows (d1, 6, 3);
    {
      g_autoptr(LabDataset) d2 = csv_load (t2, FALSE, -1, 0.5, 1, &error);
      g_assert_no_error (error);
      assert_rows (d2, 6, 3);
    }
  }
  {
    /* A large test fraction still leaves one training row. */
    g_autofree char *t = csv_text (2, 1, ",", "\n", "");
    g_autoptr(LabDataset) d = csv_load (t, FALSE, -1, 0.9, 1, &error);
    g_assert_no_error (error);
    assert_rows (d, 2, 1);
  }
  {
    /* Labels 0 and 1 only: n_classes from max label, at least 2. Label "1.0" is an integer. */
    g_autoptr(LabDataset) d = csv_load ("1,0\n2,0\n3,1.0\n", FALSE, -1, 0.0, 1, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (d->n_classes, ==, 2);
    g_assert_cmpuint (d->dim, ==, 1);
  }
}

static void
test_csv_seed (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *t = csv_text (50, 1, ",", "\n", "");
  g_autoptr(LabDataset) a = csv_load (t, FALSE, -1, 0.2, 11, &error);
  g_autoptr(LabDataset) b = csv_load (t, FALSE, -1, 0.2, 11, &error);
  g_autoptr(LabDataset) c = csv_load (t, FALSE, -1, 0.2, 12, &error);

  g_assert_no_error (error);
  g_assert_cmpmem (a->train.x_f32, 80 * sizeof (float), b->train.x_f32, 80 * sizeof (float));
  g_assert_cmpmem (a->test.y, 10, b->test.y, 10);
  g_assert_true (memcmp (a->train.x_f32, c->train.x_f32, 80 * sizeof (float)) != 0);
  /* Shuffled: not in file order. */
  {
    gboolean in_order = TRUE;
    for (gsize i = 1; i < a->train.n; i++)
      if (a->train.x_f32[2 * i] < a->train.x_f32[2 * (i - 1)])
        in_order = FALSE;
    g_assert_false (in_order);
  }
}

static void
test_csv_errors (void)
{
  static const struct {
    const char *text;
    gboolean    header;
    int         label_column;
    double      test_fraction;
    int         code;
    const char *needle;
  } cases[] = {
    { "1,2,0\n3,4,1\n\n5,6\n", FALSE, -1, 0, LAB_ENGINE_ERROR_FORMAT,
      "line 4: expected 3 columns, found 2" },
    { "a,b,c\n1,2,0\n3,4,1,9\n", TRUE, -1, 0, LAB_ENGINE_ERROR_FORMAT,
      "line 3: expected 3 columns, found 4" },
    { "1,2,0\n3,abc,1\n", FALSE, -1, 0, LAB_ENGINE_ERROR_FORMAT,
      "line 2, column 2: “abc” is not a number" },
    { "1,2,0\n3,,1\n", FALSE, -1, 0, LAB_ENGINE_ERROR_FORMAT, "line 2, column 2" },
    { "1,2,0\n3,4x,1\n", FALSE, -1, 0, LAB_ENGINE_ERROR_FORMAT, "“4x” is not a number" },
    { "1,nan,0\n3,4,1\n", FALSE, -1, 0, LAB_ENGINE_ERROR_FORMAT, "“nan” is not a finite" },
    { "1,2,0\n-inf,4,1\n", FALSE, -1, 0, LAB_ENGINE_ERROR_FORMAT,
      "line 2, column 1: “-inf” is not a finite" },
    { "1,1e39,0\n3,4,1\n", FALSE, -1, 0, LAB_ENGINE_ERROR_FORMAT, "not a finite" },
    { "1,2,-1\n3,4,1\n", FALSE, -1, 0, LAB_ENGINE_ERROR_FORMAT,
      "line 1, column 3: label “-1”" },
    { "1,2,0\n3,4,2.5\n", FALSE, -1, 0, LAB_ENGINE_ERROR_FORMAT, "label “2.5”" },
    { "1,2,0\n3,4,256\n", FALSE, -1, 0, LAB_ENGINE_ERROR_FORMAT, "label “256”" },
    { "1,2,0\n3,4,one\n", FALSE, -1, 0, LAB_ENGINE_ERROR_FORMAT, "label “one”" },
    { "1,2,0\n", FALSE, -1, 0, LAB_ENGINE_ERROR_FORMAT, "at least 2 rows" },
    { "x,y,label\n1,2,0\n", TRUE, -1, 0, LAB_ENGINE_ERROR_FORMAT, "at least 2 rows" },
    { "", FALSE, -1, 0, LAB_ENGINE_ERROR_FORMAT, "at least 2 rows" },
    { "\n\r\n\n", FALSE, -1, 0, LAB_ENGINE_ERROR_FORMAT, "at least 2 rows" },
    { "x,y,label\n1,2,0\n3,4,1\n", FALSE, -1, 0, LAB_ENGINE_ERROR_FORMAT,
      "line 1, column 1: “x” is not a number" },
    { "x,y,label\n1,2,0\n3,4,1\n", FALSE, -1, 0, LAB_ENGINE_ERROR_FORMAT, "header = true" },
    { "x,y,label\n1,2,0\ny,4,1\n", TRUE, -1, 0, LAB_ENGINE_ERROR_FORMAT, "line 3, column 1" },
    { "1\n2\n", FALSE, -1, 0, LAB_ENGINE_ERROR_FORMAT, "at least 2 columns" },
    { "1,2,0\n3,4,1\n", FALSE, 3, 0, LAB_ENGINE_ERROR_INVALID, "label column 3" },
    { "1,2,0\n3,4,1\n", FALSE, -4, 0, LAB_ENGINE_ERROR_INVALID, "label column -4" },
    { "1,2\0,0\n3,4,1\n", FALSE, -1, 0, LAB_ENGINE_ERROR_FORMAT, "NUL" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      /* The NUL case needs its real length. */
      gsize len = strlen (cases[i].text);
      g_autofree char *dir = lab_test_mkdtemp ();
      g_autofree char *path = NULL;
      LabDataset *d;

      if (strstr (cases[i].needle, "NUL") != NULL)
        len = 13;
      path = lab_test_write_file (dir, "bad.csv", cases[i].text, len);
      d = lab_dataset_load_csv (path, cases[i].header, cases[i].label_column,
                                cases[i].test_fraction, 1, &error);
      g_test_message ("case %u: %s", i, error ? error->message : "(no error)");
      g_assert_null (d);
      g_assert_error (error, LAB_ENGINE_ERROR, cases[i].code);
      g_assert_true (g_str_has_prefix (error->message, path));
      assert_message_has (error, cases[i].needle);
      lab_test_rmdir (dir);
    }

  /* Bad settings and missing files. */
  {
    g_autoptr(GError) error = NULL;
    g_autofree char *t = csv_text (10, 1, ",", "\n", "");
    g_assert_null (csv_load (t, FALSE, -1, 0.95, 1, &error));
    g_assert_error (error, LAB_ENGINE_ERROR, LAB_ENGINE_ERROR_INVALID);
    assert_message_has (error, "test fraction");
    g_clear_error (&error);
    g_assert_null (csv_load (t, FALSE, -1, -0.1, 1, &error));
    g_assert_error (error, LAB_ENGINE_ERROR, LAB_ENGINE_ERROR_INVALID);
    g_clear_error (&error);
    g_assert_null (csv_load (t, FALSE, -1, NAN, 1, &error));
    g_assert_error (error, LAB_ENGINE_ERROR, LAB_ENGINE_ERROR_INVALID);
    g_clear_error (&error);
    g_assert_null (lab_dataset_load_csv ("/nonexistent/gradlab/x.csv", FALSE, -1, 0, 1, &error));
    g_assert_error (error, LAB_ENGINE_ERROR, LAB_ENGINE_ERROR_IO);
    assert_message_has (error, "/nonexistent/gradlab/x.csv");
  }
}

/* --- Fashion-MNIST ------------------------------------------------------------------------- */

static void
test_fashion_mnist (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LabDataset) d = NULL;
  gint64 t0;
  guint64 sum = 0;
  gsize counts[10] = { 0 };

  if (!lab_test_have_fashion_mnist ())
    {
      g_test_skip ("Fashion-MNIST is not installed in " LAB_FASHION_MNIST_DIR);
      return;
    }

  t0 = g_get_monotonic_time ();
  d = lab_dataset_load_idx_dir (LAB_FASHION_MNIST_DIR, &error);
  g_test_message ("Fashion-MNIST loaded in %.0f ms",
                  (g_get_monotonic_time () - t0) / 1000.0);
  g_assert_no_error (error);
  g_assert_nonnull (d);
  g_assert_cmpstr (d->name, ==, "fashion-mnist");
  g_assert_cmpuint (d->train.n, ==, 60000);
  g_assert_cmpuint (d->test.n, ==, 10000);
  g_assert_cmpuint (d->dim, ==, 784);
  g_assert_cmpuint (d->train.dim, ==, 784);
  g_assert_cmpuint (d->test.dim, ==, 784);
  g_assert_cmpuint (d->img_w, ==, 28);
  g_assert_cmpuint (d->img_h, ==, 28);
  g_assert_cmpuint (d->n_classes, ==, 10);
  g_assert_nonnull (d->train.x_u8);
  g_assert_null (d->train.x_f32);
  /* Checked with python3 gzip: the first training and test items are both class 9 (ankle
   * boot), and the first training image's pixels sum to 76247. */
  g_assert_cmpuint (d->train.y[0], ==, 9);
  g_assert_cmpuint (d->train.y[1], ==, 0);
  g_assert_cmpuint (d->train.y[3], ==, 3);
  g_assert_cmpuint (d->test.y[0], ==, 9);
  g_assert_cmpuint (d->test.y[1], ==, 2);
  for (guint j = 0; j < 784; j++)
    sum += d->train.x_u8[j];
  g_assert_cmpuint (sum, ==, 76247);
  /* Fashion-MNIST is exactly balanced: 6000 per class in train. */
  for (gsize i = 0; i < d->train.n; i++)
    counts[d->train.y[i]]++;
  for (guint k = 0; k < 10; k++)
    g_assert_cmpuint (counts[k], ==, 6000);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/engine/dataset/enum", test_enum);
  g_test_add_func ("/engine/dataset/plane/counts", test_plane_counts);
  g_test_add_func ("/engine/dataset/plane/shape", test_plane_shape);
  g_test_add_func ("/engine/dataset/plane/seed", test_plane_seed);
  g_test_add_func ("/engine/dataset/plane/noise", test_plane_noise);
  g_test_add_func ("/engine/dataset/plane/invalid", test_plane_invalid);
  g_test_add_func ("/engine/dataset/gather/u8", test_gather_u8);
  g_test_add_func ("/engine/dataset/gather/f32", test_gather_f32);
  g_test_add_func ("/engine/dataset/truncate", test_truncate);
  g_test_add_func ("/engine/dataset/idx/raw", test_idx_raw);
  g_test_add_func ("/engine/dataset/idx/gz", test_idx_gz);
  g_test_add_func ("/engine/dataset/idx/dir", test_idx_dir);
  g_test_add_func ("/engine/dataset/idx/malformed", test_idx_malformed);
  g_test_add_func ("/engine/dataset/idx/gzip-corrupt", test_idx_gzip_corrupt);
  g_test_add_func ("/engine/dataset/csv/basic", test_csv_basic);
  g_test_add_func ("/engine/dataset/csv/seed", test_csv_seed);
  g_test_add_func ("/engine/dataset/csv/errors", test_csv_errors);
  g_test_add_func ("/engine/dataset/fashion-mnist", test_fashion_mnist);

  return g_test_run ();
}
