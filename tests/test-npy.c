/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * test-npy.c: the .npy reader and writer and the file replacement (lab-file-replace) under
 * them. Round trips are bit-exact; files are cross-checked against the real NumPy
 * (/usr/bin/python3) in both directions when it is installed; every malformed-file case must fail with the right error
 * code and a message that starts with the path; random corruption must never crash; and a
 * write that fails (a file-size limit standing in for a full disk) must leave the old file and
 * no temporary file behind.
 */
#define G_LOG_DOMAIN "lab-test"
#include "config.h"

#include <math.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "lab-file-replace.h"
#include "lab-error.h"
#include "lab-npy.h"
#include "lab-rng.h"
#include "lab-test-utils.h"

#define PYTHON "/usr/bin/python3"

/* ---------------------------------------------------------------------------------------- */
/* Helpers                                                                                  */

static float *
make_data (gsize    n,
           guint64  seed)
{
  float *data = g_new (float, n);
  LabRng rng;

  lab_rng_init (&rng, seed);
  for (gsize i = 0; i < n; i++)
    data[i] = lab_rng_normal (&rng) * 3.0f;
  return data;
}

/* A .npy file as numpy lays it out: preamble, @header padded with spaces and '\n' to a multiple
 * of 64 bytes, then @data_len bytes of @data. */
static GByteArray *
build_npy (guint8      major,
           guint8      minor,
           const char *header,
           const void *data,
           gsize       data_len)
{
  GByteArray *bytes = g_byte_array_new ();
  g_autoptr(GString) h = g_string_new (header);
  gsize len_size = major == 1 ? 2 : 4;
  guint8 pre[12] = { 0x93, 'N', 'U', 'M', 'P', 'Y', major, minor };

  while ((6 + 2 + len_size + h->len + 1) % 64 != 0)
    g_string_append_c (h, ' ');
  g_string_append_c (h, '\n');
  pre[8] = h->len & 0xff;
  pre[9] = (h->len >> 8) & 0xff;
  pre[10] = (h->len >> 16) & 0xff;
  pre[11] = (h->len >> 24) & 0xff;
  g_byte_array_append (bytes, pre, 8 + len_size);
  g_byte_array_append (bytes, (const guint8 *) h->str, h->len);
  if (data_len > 0)
    g_byte_array_append (bytes, data, data_len);
  return bytes;
}

static char *
write_bytes (const char *dir,
             const char *name,
             const void *data,
             gsize       len)
{
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (dir, name, NULL);

  /* No fsync: the fuzz test writes thousands of these. With that flag GLib 2.74 does not
   * truncate an existing file, hence the unlink. */
  g_unlink (path);
  g_file_set_contents_full (path, data, (gssize) len, G_FILE_SET_CONTENTS_NONE, 0644, &error);
  g_assert_no_error (error);
  return path;
}

static guint
count_entries (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  guint n = 0;

  g_assert_nonnull (d);
  while (g_dir_read_name (d) != NULL)
    n++;
  return n;
}

static void
assert_error_for_path (const GError *error,
                       int           code,
                       const char   *path,
                       const char   *needle)
{
  g_assert_error (error, LAB_ENGINE_ERROR, code);
  g_assert_true (g_str_has_prefix (error->message, path));
  if (needle != NULL && strstr (error->message, needle) == NULL)
    g_error ("message “%s” does not contain “%s”", error->message, needle);
}

/* ---------------------------------------------------------------------------------------- */
/* Round trips and layout                                                                   */

static void
test_roundtrip_2d (void)
{
  g_autofree char *dir = lab_test_mkdtemp ();
  g_autofree char *path = g_build_filename (dir, "w.npy", NULL);
  g_autofree float *data = make_data (300 * 17, 1);
  g_autofree float *back = NULL;
  g_autoptr(GError) error = NULL;
  gsize rows = 0, cols = 0;

  g_assert_true (lab_npy_save (path, data, 300, 17, &error));
  g_assert_no_error (error);
  back = lab_npy_load (path, &rows, &cols, &error);
  g_assert_no_error (error);
  g_assert_nonnull (back);
  g_assert_cmpuint (rows, ==, 300);
  g_assert_cmpuint (cols, ==, 17);
  g_assert_cmpmem (back, 300 * 17 * sizeof (float), data, 300 * 17 * sizeof (float));
  g_assert_cmpuint (count_entries (dir), ==, 1);

  lab_test_rmdir (dir);
}

static void
test_roundtrip_1d (void)
{
  g_autofree char *dir = lab_test_mkdtemp ();
  g_autofree char *path = g_build_filename (dir, "b.npy", NULL);
  g_autofree float *data = make_data (10, 2);
  g_autofree float *back = NULL;
  g_autoptr(GError) error = NULL;
  gsize rows = 0, cols = 99;

  g_assert_true (lab_npy_save (path, data, 10, 0, &error));
  g_assert_no_error (error);
  back = lab_npy_load (path, &rows, &cols, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows, ==, 10);
  g_assert_cmpuint (cols, ==, 0);
  g_assert_cmpmem (back, 10 * sizeof (float), data, 10 * sizeof (float));

  lab_test_rmdir (dir);
}

/* The exact bytes numpy would write for the same array. */
static void
test_layout (void)
{
  static const char header[] = "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }";
  const float data[6] = { 1, 2, 3, 4, 5, -0.5f };
  g_autofree char *dir = lab_test_mkdtemp ();
  g_autofree char *path = g_build_filename (dir, "l.npy", NULL);
  g_autofree char *path1 = g_build_filename (dir, "l1.npy", NULL);
  g_autoptr(GByteArray) expect = build_npy (1, 0, header, data, sizeof data);
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  gsize len;

  g_assert_true (lab_npy_save (path, data, 2, 3, &error));
  g_assert_no_error (error);
  g_file_get_contents (path, &contents, &len, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (contents, len, expect->data, expect->len);
  g_assert_cmpuint ((len - sizeof data) % 64, ==, 0);
  g_assert_cmpint (contents[len - sizeof data - 1], ==, '\n');
  g_clear_pointer (&contents, g_free);

  g_assert_true (lab_npy_save (path1, data, 6, 0, &error));
  g_assert_no_error (error);
  g_file_get_contents (path1, &contents, &len, &error);
  g_assert_no_error (error);
  g_assert_nonnull (memmem (contents, len, "'shape': (6,), }", 16));
  g_assert_cmpuint ((len - sizeof data) % 64, ==, 0);

  lab_test_rmdir (dir);
}

/* Headers numpy (or another writer) could produce that we must accept. */
static void
test_lenient_headers (void)
{
  static const char *headers[] = {
    "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }",
    "{'shape': (2, 3), 'fortran_order': False, 'descr': '<f4'}",
    "{\"descr\": \"<f4\", \"fortran_order\": False, \"shape\": (2,3)}",
    "  {  'descr' :'=f4','fortran_order':False,'shape':( 2 , 3 , ) , }  ",
    "{'descr': 'f4', 'fortran_order': False, 'shape': (2L, 3L), }",
  };
  const float data[6] = { 0.5f, 1, 2, 3, 4, 5 };
  g_autofree char *dir = lab_test_mkdtemp ();

  for (guint v = 1; v <= 3; v++)
    for (guint i = 0; i < G_N_ELEMENTS (headers); i++)
      {
        g_autoptr(GByteArray) bytes = build_npy (v, 0, headers[i], data, sizeof data);
        g_autofree char *path = write_bytes (dir, "ok.npy", bytes->data, bytes->len);
        g_autoptr(GError) error = NULL;
        g_autofree float *back = NULL;
        gsize rows, cols;

        back = lab_npy_load (path, &rows, &cols, &error);
        g_assert_no_error (error);
        g_assert_cmpuint (rows, ==, 2);
        g_assert_cmpuint (cols, ==, 3);
        g_assert_cmpmem (back, sizeof data, data, sizeof data);
      }

  lab_test_rmdir (dir);
}

/* ---------------------------------------------------------------------------------------- */
/* Cross-check with NumPy                                                                   */

static gboolean
have_numpy (void)
{
  const char *argv[] = { PYTHON, "-c", "import numpy", NULL };
  int status = 0;

  if (!g_spawn_sync (NULL, (char **) argv, NULL,
                     G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                     NULL, NULL, NULL, NULL, &status, NULL))
    return FALSE;
  return g_spawn_check_wait_status (status, NULL);
}

static char *
run_python (const char *script,
            const char *arg1,
            const char *arg2)
{
  const char *argv[] = { PYTHON, "-c", script, arg1, arg2, NULL };
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;
  char *out = NULL;
  int status;

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                &out, &err, &status, &error);
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("python failed: %s", err);
  return out;
}

static char *
hex_of (const void *data,
        gsize       len)
{
  GString *s = g_string_sized_new (2 * len);

  for (gsize i = 0; i < len; i++)
    g_string_append_printf (s, "%02x", ((const guint8 *) data)[i]);
  return g_string_free (s, FALSE);
}

/* numpy.load reads our files: dtype, shape, C order and every byte of the data. */
static void
test_numpy_reads_ours (void)
{
  static const char script[] =
    "import sys, numpy as np\n"
    "for p in sys.argv[1:]:\n"
    "    a = np.load(p)\n"
    "    print(a.dtype.str, ','.join(map(str, a.shape)), int(a.flags.c_contiguous),\n"
    "          repr(float(a.astype(np.float64).sum())), a.tobytes().hex())\n";
  g_autofree char *dir = NULL;
  g_autofree char *p2 = NULL;
  g_autofree char *p1 = NULL;
  g_autofree float *d2 = make_data (37 * 5, 3);
  g_autofree float *d1 = make_data (11, 4);
  g_autofree char *out = NULL;
  g_autofree char *hex2 = NULL;
  g_autofree char *hex1 = NULL;
  g_auto(GStrv) lines = NULL;
  g_auto(GStrv) f2 = NULL;
  g_auto(GStrv) f1 = NULL;
  g_autoptr(GError) error = NULL;
  double sum = 0;

  if (!have_numpy ())
    {
      g_test_skip (PYTHON " with numpy is not installed");
      return;
    }

  dir = lab_test_mkdtemp ();
  p2 = g_build_filename (dir, "w.npy", NULL);
  p1 = g_build_filename (dir, "b.npy", NULL);
  g_assert_true (lab_npy_save (p2, d2, 37, 5, &error));
  g_assert_no_error (error);
  g_assert_true (lab_npy_save (p1, d1, 11, 0, &error));
  g_assert_no_error (error);

  out = run_python (script, p2, p1);
  lines = g_strsplit (out, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 3);
  f2 = g_strsplit (lines[0], " ", -1);
  f1 = g_strsplit (lines[1], " ", -1);
  g_assert_cmpuint (g_strv_length (f2), ==, 5);
  g_assert_cmpuint (g_strv_length (f1), ==, 5);

  hex2 = hex_of (d2, 37 * 5 * sizeof (float));
  hex1 = hex_of (d1, 11 * sizeof (float));
  g_assert_cmpstr (f2[0], ==, "<f4");
  g_assert_cmpstr (f2[1], ==, "37,5");
  g_assert_cmpstr (f2[2], ==, "1");
  g_assert_cmpstr (f2[4], ==, hex2);
  for (gsize i = 0; i < 37 * 5; i++)
    sum += d2[i];
  lab_assert_close (g_ascii_strtod (f2[3], NULL), sum, 1e-9, 1e-9);

  g_assert_cmpstr (f1[0], ==, "<f4");
  g_assert_cmpstr (f1[1], ==, "11");
  g_assert_cmpstr (f1[4], ==, hex1);

  lab_test_rmdir (dir);
}

/* We read numpy's files, and reject the ones numpy writes for other dtypes and orders. */
static void
test_numpy_writes_theirs (void)
{
  static const char script[] =
    "import sys, numpy as np\n"
    "from numpy.lib import format as fmt\n"
    "d = sys.argv[1]\n"
    "a = np.arange(12, dtype=np.float32).reshape(3, 4) * np.float32(0.25) - np.float32(1.5)\n"
    "np.save(d + '/a2.npy', a)\n"
    "np.save(d + '/a1.npy', a.ravel()[:7].copy())\n"
    "np.save(d + '/row.npy', a.reshape(1, 12))\n"
    "for v in (2, 3):\n"
    "    with open(d + '/v%d.npy' % v, 'wb') as f:\n"
    "        fmt.write_array(f, a, version=(v, 0))\n"
    "np.save(d + '/f8.npy', a.astype(np.float64))\n"
    "np.save(d + '/be.npy', a.astype('>f4'))\n"
    "np.save(d + '/i4.npy', np.arange(3, dtype=np.int32))\n"
    "np.save(d + '/fortran.npy', np.asfortranarray(a))\n"
    "np.save(d + '/scalar.npy', np.float32(1.5))\n"
    "np.save(d + '/cube.npy', np.zeros((2, 3, 4), np.float32))\n"
    "np.save(d + '/nan.npy', np.array([1, 2, 3, np.nan], np.float32))\n"
    "np.save(d + '/inf.npy', np.array([1, -np.inf], np.float32))\n"
    "np.save(d + '/empty.npy', np.zeros((0, 4), np.float32))\n"
    "print('ok')\n";
  static const struct
  {
    const char *name;
    gsize       rows, cols;
  } good[] = {
    { "a2.npy", 3, 4 },
    { "a1.npy", 7, 0 },
    { "row.npy", 1, 12 },
    { "v2.npy", 3, 4 },
    { "v3.npy", 3, 4 },
  };
  static const struct
  {
    const char *name;
    const char *needle;
  } bad[] = {
    { "f8.npy", "dtype '<f8' is not supported: weights must be float32 ('<f4')" },
    { "be.npy", "dtype '>f4' is not supported" },
    { "i4.npy", "dtype '<i4' is not supported" },
    { "fortran.npy", "Fortran order" },
    { "scalar.npy", "scalar" },
    { "cube.npy", "3 dimensions (2, 3, …)" },
    { "nan.npy", "contains NaN at index 3" },
    { "inf.npy", "contains -Inf at index 1" },
    { "empty.npy", "empty" },
  };
  g_autofree char *dir = NULL;
  g_autofree char *out = NULL;
  float expect[12];

  if (!have_numpy ())
    {
      g_test_skip (PYTHON " with numpy is not installed");
      return;
    }

  dir = lab_test_mkdtemp ();
  out = run_python (script, dir, NULL);
  g_assert_cmpstr (out, ==, "ok\n");

  for (guint i = 0; i < 12; i++)
    expect[i] = (float) i * 0.25f - 1.5f;

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autofree char *path = g_build_filename (dir, good[i].name, NULL);
      g_autoptr(GError) error = NULL;
      g_autofree float *data = NULL;
      gsize rows, cols, n;

      data = lab_npy_load (path, &rows, &cols, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (rows, ==, good[i].rows);
      g_assert_cmpuint (cols, ==, good[i].cols);
      n = rows * MAX (cols, 1);
      g_assert_cmpmem (data, n * sizeof (float), expect, n * sizeof (float));
    }

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autofree char *path = g_build_filename (dir, bad[i].name, NULL);
      g_autoptr(GError) error = NULL;
      gsize rows = 77, cols = 77;

      g_assert_null (lab_npy_load (path, &rows, &cols, &error));
      assert_error_for_path (error, LAB_ENGINE_ERROR_FORMAT, path, bad[i].needle);
      g_assert_cmpuint (rows, ==, 77);
      g_assert_cmpuint (cols, ==, 77);
    }

  lab_test_rmdir (dir);
}

/* ---------------------------------------------------------------------------------------- */
/* Malformed files                                                                          */

typedef struct
{
  const char *name;
  guint8      major;
  guint8      minor;
  const char *header;
  gsize       n_bytes;    /* data bytes after the header */
  int         code;
  const char *needle;
} BadCase;

#define H(shape) "{'descr': '<f4', 'fortran_order': False, 'shape': " shape ", }"

static const BadCase bad_cases[] = {
  { "version-4.0", 4, 0, H ("(3,)"), 12, LAB_ENGINE_ERROR_FORMAT,
    "unsupported .npy format version 4.0" },
  { "version-1.1", 1, 1, H ("(3,)"), 12, LAB_ENGINE_ERROR_FORMAT, "version 1.1" },
  { "version-0.0", 0, 0, H ("(3,)"), 12, LAB_ENGINE_ERROR_FORMAT, "version 0.0" },
  { "missing-descr", 1, 0, "{'fortran_order': False, 'shape': (3,), }", 12,
    LAB_ENGINE_ERROR_FORMAT, "no 'descr'" },
  { "missing-order", 1, 0, "{'descr': '<f4', 'shape': (3,), }", 12,
    LAB_ENGINE_ERROR_FORMAT, "no 'fortran_order'" },
  { "missing-shape", 1, 0, "{'descr': '<f4', 'fortran_order': False}", 12,
    LAB_ENGINE_ERROR_FORMAT, "no 'shape'" },
  { "unknown-key", 1, 0, "{'descr': '<f4', 'fortran_order': False, 'shape': (3,), 'x': 1}", 12,
    LAB_ENGINE_ERROR_FORMAT, "unexpected or repeated key 'x'" },
  { "repeated-key", 1, 0, "{'descr': '<f4', 'descr': '<f4', 'fortran_order': False, 'shape': (3,)}",
    12, LAB_ENGINE_ERROR_FORMAT, "repeated key 'descr'" },
  { "big-endian", 1, 0, "{'descr': '>f4', 'fortran_order': False, 'shape': (3,), }", 12,
    LAB_ENGINE_ERROR_FORMAT, "dtype '>f4' is not supported: weights must be float32 ('<f4')" },
  { "float64", 1, 0, "{'descr': '<f8', 'fortran_order': False, 'shape': (3,), }", 24,
    LAB_ENGINE_ERROR_FORMAT, "dtype '<f8' is not supported: weights must be float32 ('<f4')" },
  { "pipe-f4", 1, 0, "{'descr': '|f4', 'fortran_order': False, 'shape': (3,), }", 12,
    LAB_ENGINE_ERROR_FORMAT, "dtype '|f4' is not supported" },
  { "structured", 1, 0, "{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (3,), }", 12,
    LAB_ENGINE_ERROR_FORMAT, "not a plain type string" },
  { "fortran", 1, 0, "{'descr': '<f4', 'fortran_order': True, 'shape': (2, 3), }", 24,
    LAB_ENGINE_ERROR_FORMAT, "array (2, 3) is in Fortran order" },
  { "order-not-bool", 1, 0, "{'descr': '<f4', 'fortran_order': Falsey, 'shape': (3,), }", 12,
    LAB_ENGINE_ERROR_FORMAT, "not a bool" },
  { "3-d", 1, 0, H ("(2, 3, 4)"), 96, LAB_ENGINE_ERROR_FORMAT, "array has 3 dimensions" },
  { "scalar", 1, 0, H ("()"), 4, LAB_ENGINE_ERROR_FORMAT, "scalar" },
  { "not-a-tuple", 1, 0, H ("(3)"), 12, LAB_ENGINE_ERROR_FORMAT, "not a tuple" },
  { "negative", 1, 0, H ("(-3,)"), 12, LAB_ENGINE_ERROR_FORMAT, "not a tuple" },
  { "empty-array", 1, 0, H ("(0, 5)"), 0, LAB_ENGINE_ERROR_FORMAT,
    "array is empty (shape (0, 5))" },
  { "product-overflow", 1, 0, H ("(4611686018427387904, 8)"), 12, LAB_ENGINE_ERROR_FORMAT,
    "too large" },
  { "bytes-overflow", 1, 0, H ("(4611686018427387904,)"), 12, LAB_ENGINE_ERROR_FORMAT,
    "too large" },
  { "huge-digits", 1, 0, H ("(123456789012345678901234567890,)"), 12, LAB_ENGINE_ERROR_FORMAT,
    "too large" },
  { "truncated", 1, 0, H ("(300, 784)"), 1000, LAB_ENGINE_ERROR_FORMAT,
    "truncated: shape (300, 784) needs 940800 bytes, file has 1000" },
  { "no-data", 2, 0, H ("(3,)"), 0, LAB_ENGINE_ERROR_FORMAT,
    "truncated: shape (3,) needs 12 bytes, file has 0" },
  { "trailing", 1, 0, H ("(3,)"), 14, LAB_ENGINE_ERROR_FORMAT,
    "2 unexpected bytes after the data of shape (3,)" },
  { "not-a-dict", 1, 0, "[1, 2, 3]", 12, LAB_ENGINE_ERROR_FORMAT, "not a Python dict" },
  { "garbage-after", 1, 0, H ("(3,)") " x", 12, LAB_ENGINE_ERROR_FORMAT, "garbage after" },
  { "unterminated", 1, 0, "{'descr': '<f4", 12, LAB_ENGINE_ERROR_FORMAT, "malformed" },
  { "escape", 1, 0, "{'descr': '<f\\x34', 'fortran_order': False, 'shape': (3,), }", 12,
    LAB_ENGINE_ERROR_FORMAT, "malformed" },
  { "unclosed-dict", 1, 0, "{'descr': '<f4', 'fortran_order': False, 'shape': (3,)", 12,
    LAB_ENGINE_ERROR_FORMAT, "malformed" },
  { "empty-header", 1, 0, "", 12, LAB_ENGINE_ERROR_FORMAT, "not a Python dict" },
};

static void
test_malformed (gconstpointer user_data)
{
  const BadCase *bc = user_data;
  g_autofree char *dir = lab_test_mkdtemp ();
  g_autofree guint8 *payload = g_malloc0 (MAX (bc->n_bytes, 1));
  g_autoptr(GByteArray) bytes = build_npy (bc->major, bc->minor, bc->header,
                                           payload, bc->n_bytes);
  g_autofree char *path = write_bytes (dir, "bad.npy", bytes->data, bytes->len);
  g_autoptr(GError) error = NULL;

  g_assert_null (lab_npy_load (path, NULL, NULL, &error));
  assert_error_for_path (error, bc->code, path, bc->needle);

  lab_test_rmdir (dir);
}

/* Cases that need hand-made bytes rather than a header. */
static void
test_malformed_bytes (void)
{
  static const char header[] = H ("(4, 5)");
  float data[20] = { 0 };
  g_autofree char *dir = lab_test_mkdtemp ();
  g_autoptr(GByteArray) good = build_npy (1, 0, header, data, sizeof data);
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  /* Bad magic. */
  {
    g_autoptr(GByteArray) b = g_byte_array_new ();
    g_byte_array_append (b, good->data, good->len);
    b->data[1] = 'X';
    path = write_bytes (dir, "magic.npy", b->data, b->len);
    g_assert_null (lab_npy_load (path, NULL, NULL, &error));
    assert_error_for_path (error, LAB_ENGINE_ERROR_FORMAT, path, "bad magic");
    g_clear_error (&error);
    g_clear_pointer (&path, g_free);
  }

  /* A text file. */
  path = write_bytes (dir, "text.npy", "hello, world\n", 13);
  g_assert_null (lab_npy_load (path, NULL, NULL, &error));
  assert_error_for_path (error, LAB_ENGINE_ERROR_FORMAT, path, "bad magic");
  g_clear_error (&error);
  g_clear_pointer (&path, g_free);

  /* Shorter than the preamble. */
  path = write_bytes (dir, "short.npy", "\x93NUMPY\x01", 7);
  g_assert_null (lab_npy_load (path, NULL, NULL, &error));
  assert_error_for_path (error, LAB_ENGINE_ERROR_FORMAT, path, "not a .npy file");
  g_clear_error (&error);
  g_clear_pointer (&path, g_free);

  /* No header length. */
  path = write_bytes (dir, "nolen.npy", "\x93NUMPY\x02\x00\x10", 9);
  g_assert_null (lab_npy_load (path, NULL, NULL, &error));
  assert_error_for_path (error, LAB_ENGINE_ERROR_FORMAT, path, "truncated .npy header");
  g_clear_error (&error);
  g_clear_pointer (&path, g_free);

  /* Header length beyond the end of the file, 1.0 and 2.0. */
  {
    g_autoptr(GByteArray) b = g_byte_array_new ();
    g_byte_array_append (b, good->data, good->len);
    b->data[8] = 0xff;
    b->data[9] = 0xff;
    path = write_bytes (dir, "hlen.npy", b->data, b->len);
    g_assert_null (lab_npy_load (path, NULL, NULL, &error));
    assert_error_for_path (error, LAB_ENGINE_ERROR_FORMAT, path,
                           "header length 65535 goes beyond the end of the file");
    g_clear_error (&error);
    g_clear_pointer (&path, g_free);
  }
  {
    g_autoptr(GByteArray) b = build_npy (2, 0, header, data, sizeof data);
    b->data[8] = b->data[9] = b->data[10] = b->data[11] = 0xff;
    path = write_bytes (dir, "hlen2.npy", b->data, b->len);
    g_assert_null (lab_npy_load (path, NULL, NULL, &error));
    assert_error_for_path (error, LAB_ENGINE_ERROR_FORMAT, path, "goes beyond the end");
    g_clear_error (&error);
    g_clear_pointer (&path, g_free);
  }

  /* A NUL inside the header must not end it early. */
  {
    g_autoptr(GByteArray) b = g_byte_array_new ();
    g_byte_array_append (b, good->data, good->len);
    b->data[10 + sizeof header - 1] = '\0';
    path = write_bytes (dir, "nul.npy", b->data, b->len);
    g_assert_null (lab_npy_load (path, NULL, NULL, &error));
    assert_error_for_path (error, LAB_ENGINE_ERROR_FORMAT, path, "garbage after");
    g_clear_error (&error);
    g_clear_pointer (&path, g_free);
  }

  /* NaN and Inf, reported at the first bad flat index. */
  data[17] = NAN;
  data[19] = INFINITY;
  {
    g_autoptr(GByteArray) b = build_npy (1, 0, header, data, sizeof data);
    path = write_bytes (dir, "nan.npy", b->data, b->len);
    g_assert_null (lab_npy_load (path, NULL, NULL, &error));
    assert_error_for_path (error, LAB_ENGINE_ERROR_FORMAT, path, "contains NaN at index 17");
    g_clear_error (&error);
    g_clear_pointer (&path, g_free);
  }
  data[17] = 0;
  {
    g_autoptr(GByteArray) b = build_npy (1, 0, header, data, sizeof data);
    path = write_bytes (dir, "inf.npy", b->data, b->len);
    g_assert_null (lab_npy_load (path, NULL, NULL, &error));
    assert_error_for_path (error, LAB_ENGINE_ERROR_FORMAT, path, "contains Inf at index 19");
    g_clear_error (&error);
    g_clear_pointer (&path, g_free);
  }

  lab_test_rmdir (dir);
}

static void
test_empty_file (void)
{
  g_autofree char *dir = lab_test_mkdtemp ();
  g_autofree char *path = write_bytes (dir, "empty.npy", "", 0);
  g_autoptr(GError) error = NULL;

  g_assert_null (lab_npy_load (path, NULL, NULL, &error));
  assert_error_for_path (error, LAB_ENGINE_ERROR_FORMAT, path, "empty");

  lab_test_rmdir (dir);
}

static void
test_missing_file (void)
{
  g_autofree char *dir = lab_test_mkdtemp ();
  g_autofree char *path = g_build_filename (dir, "nope.npy", NULL);
  g_autoptr(GError) error = NULL;

  g_assert_null (lab_npy_load (path, NULL, NULL, &error));
  assert_error_for_path (error, LAB_ENGINE_ERROR_IO, path, g_strerror (ENOENT));
  g_clear_error (&error);

  /* A folder is not a file. */
  g_assert_null (lab_npy_load (dir, NULL, NULL, &error));
  assert_error_for_path (error, LAB_ENGINE_ERROR_IO, dir, "not a regular file");

  lab_test_rmdir (dir);
}

/* Random corruption of a valid file: every outcome is data or a GError, never a crash (run
 * under ASan/UBSan to make this mean something). */
static void
test_fuzz (void)
{
  g_autofree char *dir = lab_test_mkdtemp ();
  g_autofree float *data = make_data (6, 5);
  g_autoptr(GByteArray) good = build_npy (1, 0, H ("(2, 3)"), data, 6 * sizeof (float));
  g_autofree guint8 *buf = g_malloc (good->len + 16);
  LabRng rng;
  guint n_ok = 0;

  lab_rng_init (&rng, 42);
  for (guint iter = 0; iter < 3000; iter++)
    {
      g_autofree char *path = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree float *back = NULL;
      gsize len = good->len, rows, cols;
      guint n_flips = 1 + lab_rng_below (&rng, 4);

      memcpy (buf, good->data, good->len);
      /* A quarter of the time, one byte of the data only: loads, or fails on NaN/Inf. */
      if (lab_rng_below (&rng, 4) == 0)
        {
          buf[good->len - 24 + lab_rng_below (&rng, 24)] = (guint8) lab_rng_u32 (&rng);
          n_flips = 0;
        }
      for (guint k = 0; k < n_flips; k++)
        {
          /* Mostly the preamble and header, where the parsing is. */
          gsize at = lab_rng_below (&rng, 4) ? lab_rng_below (&rng, 72) : lab_rng_below (&rng, len);
          static const char interesting[] = "(),: '\"{}0123456789TFL\n\0\xff";

          if (lab_rng_below (&rng, 2))
            buf[at] = (guint8) lab_rng_u32 (&rng);
          else
            buf[at] = (guint8) interesting[lab_rng_below (&rng, sizeof interesting)];
        }
      if (lab_rng_below (&rng, 8) == 0)
        len = lab_rng_below (&rng, (guint32) good->len + 16);
      if (len > good->len)
        memset (buf + good->len, 0, len - good->len);

      path = write_bytes (dir, "fuzz.npy", buf, len);
      back = lab_npy_load (path, &rows, &cols, &error);
      if (back != NULL)
        {
          g_assert_no_error (error);
          g_assert_cmpuint (rows * MAX (cols, 1), >, 0);
          n_ok++;
        }
      else
        {
          g_assert_nonnull (error);
          g_assert_true (error->code == LAB_ENGINE_ERROR_FORMAT);
          g_assert_true (g_str_has_prefix (error->message, path));
        }
    }
  g_test_message ("%u of 3000 mutated files still loaded", n_ok);

  lab_test_rmdir (dir);
}

/* ---------------------------------------------------------------------------------------- */
/* Atomic writes                                                                            */

static void
assert_contents (const char *path,
                 const char *expect)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  gsize len;

  g_file_get_contents (path, &contents, &len, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (contents, len, expect, strlen (expect));
}

static void
test_file_replace_replace (void)
{
  g_autofree char *dir = lab_test_mkdtemp ();
  g_autofree char *path = lab_test_write_file (dir, "m.csv", "old\n", 4);
  g_autoptr(GError) error = NULL;
  LabFileReplace *file;
  struct stat st;
  mode_t mask;

  g_assert_true (lab_file_replace_contents (path, "new contents\n", 13, &error));
  g_assert_no_error (error);
  assert_contents (path, "new contents\n");
  g_assert_cmpuint (count_entries (dir), ==, 1);

  /* A new file gets the mode of any new file: 0666 minus the umask. */
  mask = umask (022);
  umask (mask);
  g_clear_pointer (&path, g_free);
  path = g_build_filename (dir, "fresh.txt", NULL);
  file = lab_file_replace_new (path, &error);
  g_assert_no_error (error);
  g_assert_true (fprintf (lab_file_replace_stream (file), "%d\n", 42) == 3);
  /* Nothing visible under the final name before commit. */
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  g_assert_true (lab_file_replace_commit (file, &error));
  g_assert_no_error (error);
  assert_contents (path, "42\n");
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpuint (st.st_mode & 0777, ==, 0666 & ~mask);
  g_assert_cmpuint (count_entries (dir), ==, 2);

  /* Empty buffer. */
  g_assert_true (lab_file_replace_contents (path, NULL, 0, &error));
  g_assert_no_error (error);
  assert_contents (path, "");

  lab_test_rmdir (dir);
}

static void
test_file_replace_abort (void)
{
  g_autofree char *dir = lab_test_mkdtemp ();
  g_autofree char *path = lab_test_write_file (dir, "keep.txt", "keep\n", 5);
  g_autoptr(GError) error = NULL;
  LabFileReplace *file;

  file = lab_file_replace_new (path, &error);
  g_assert_no_error (error);
  fputs ("half-written", lab_file_replace_stream (file));
  g_assert_cmpuint (count_entries (dir), ==, 2);
  lab_file_replace_abort (file);
  assert_contents (path, "keep\n");
  g_assert_cmpuint (count_entries (dir), ==, 1);

  lab_test_rmdir (dir);
}

static void
test_file_replace_no_dir (void)
{
  g_autofree char *dir = lab_test_mkdtemp ();
  g_autofree char *path = g_build_filename (dir, "missing", "w.npy", NULL);
  const float x[2] = { 1, 2 };
  g_autoptr(GError) error = NULL;

  g_assert_false (lab_npy_save (path, x, 2, 0, &error));
  assert_error_for_path (error, LAB_ENGINE_ERROR_IO, path, g_strerror (ENOENT));
  g_clear_error (&error);

  g_assert_false (lab_file_replace_contents (path, "x", 1, &error));
  assert_error_for_path (error, LAB_ENGINE_ERROR_IO, path, "could not write");
  g_assert_cmpuint (count_entries (dir), ==, 0);

  lab_test_rmdir (dir);
}

/* rename(2) over a non-empty folder fails: the temporary file must go. */
static void
test_file_replace_rename_fails (void)
{
  g_autofree char *dir = lab_test_mkdtemp ();
  g_autofree char *target = g_build_filename (dir, "sub", NULL);
  g_autofree char *inner = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_mkdir (target, 0755), ==, 0);
  inner = lab_test_write_file (target, "x", "x", 1);
  g_assert_false (lab_file_replace_contents (target, "data", 4, &error));
  assert_error_for_path (error, LAB_ENGINE_ERROR_IO, target, "could not replace");
  g_assert_cmpuint (count_entries (dir), ==, 1);
  g_assert_true (g_file_test (inner, G_FILE_TEST_IS_REGULAR));

  lab_test_rmdir (dir);
}

/* A full disk, simulated with RLIMIT_FSIZE: without the SIGXFSZ handling the child would be
 * killed; with it, the save fails with EFBIG and the old file is untouched. */
static void
test_file_replace_fsize_limit (void)
{
  if (g_test_subprocess ())
    {
      g_autofree char *dir = lab_test_mkdtemp ();
      g_autofree char *path = lab_test_write_file (dir, "w.npy", "old weights\n", 12);
      g_autofree float *big = make_data (25600, 6);   /* 100 KiB */
      g_autoptr(GError) error = NULL;
      struct rlimit rl;

      g_assert_cmpint (getrlimit (RLIMIT_FSIZE, &rl), ==, 0);
      rl.rlim_cur = 4096;
      g_assert_cmpint (setrlimit (RLIMIT_FSIZE, &rl), ==, 0);

      g_assert_false (lab_npy_save (path, big, 25600, 0, &error));
      assert_error_for_path (error, LAB_ENGINE_ERROR_IO, path, g_strerror (EFBIG));
      g_assert_nonnull (strstr (error->message, "could not write"));
      g_test_message ("%s", error->message);
      g_clear_error (&error);

      g_assert_false (lab_file_replace_contents (path, big, 25600 * sizeof (float), &error));
      assert_error_for_path (error, LAB_ENGINE_ERROR_IO, path, g_strerror (EFBIG));

      assert_contents (path, "old weights\n");
      g_assert_cmpuint (count_entries (dir), ==, 1);

      /* Small writes still work under the limit. */
      g_assert_true (lab_npy_save (path, big, 100, 0, NULL));
      g_assert_cmpuint (count_entries (dir), ==, 1);

      lab_test_rmdir (dir);
      return;
    }

  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/engine/npy/roundtrip-2d", test_roundtrip_2d);
  g_test_add_func ("/engine/npy/roundtrip-1d", test_roundtrip_1d);
  g_test_add_func ("/engine/npy/layout", test_layout);
  g_test_add_func ("/engine/npy/lenient-headers", test_lenient_headers);
  g_test_add_func ("/engine/npy/numpy/reads-ours", test_numpy_reads_ours);
  g_test_add_func ("/engine/npy/numpy/writes-theirs", test_numpy_writes_theirs);
  for (guint i = 0; i < G_N_ELEMENTS (bad_cases); i++)
    {
      g_autofree char *name = g_strconcat ("/engine/npy/malformed/", bad_cases[i].name, NULL);
      g_test_add_data_func (name, &bad_cases[i], test_malformed);
    }
  g_test_add_func ("/engine/npy/malformed/bytes", test_malformed_bytes);
  g_test_add_func ("/engine/npy/malformed/empty-file", test_empty_file);
  g_test_add_func ("/engine/npy/malformed/missing-file", test_missing_file);
  g_test_add_func ("/engine/npy/fuzz", test_fuzz);
  g_test_add_func ("/engine/file-replace/replace", test_file_replace_replace);
  g_test_add_func ("/engine/file-replace/abort", test_file_replace_abort);
  g_test_add_func ("/engine/file-replace/no-dir", test_file_replace_no_dir);
  g_test_add_func ("/engine/file-replace/rename-fails", test_file_replace_rename_fails);
  g_test_add_func ("/engine/file-replace/fsize-limit", test_file_replace_fsize_limit);

  return g_test_run ();
}
