/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-npy.c: NumPy .npy files, as described in numpy/lib/format.py
 * (https://numpy.org/doc/stable/reference/generated/numpy.lib.format.html). A file is the
 * magic "\x93NUMPY", a major and minor version byte, a header length (2 bytes LE in 1.0,
 * 4 bytes in 2.0 and 3.0), a Python dict literal padded with spaces and ending in '\n' so the
 * data starts at a multiple of 64, then the raw array. We write 1.0, float32 '<f4', C order,
 * 1-D or 2-D, atomically. We read 1.0–3.0 with the same restrictions, and treat every byte as
 * hostile: the header is parsed with explicit bounds, sizes are overflow-checked, the data must
 * be exactly as long as the shape says, and NaN/Inf are rejected. Every message starts with
 * the file's path.
 */
#define G_LOG_DOMAIN "lab-engine"
#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "lab-file-replace.h"
#include "lab-error.h"
#include "lab-npy.h"

#define NPY_MAGIC     "\x93NUMPY"
#define NPY_MAGIC_LEN 6
#define NPY_ALIGN     64
/* numpy itself refuses headers over 10000 bytes unless told otherwise; be a little looser. */
#define NPY_MAX_HEADER (1u << 20)
#define NPY_MAX_DIMS   2

/* ---------------------------------------------------------------------------------------- */
/* Writing                                                                                  */

gboolean
lab_npy_save (const char   *path,
              const float  *data,
              gsize         rows,
              gsize         cols,
              GError      **error)
{
  g_autoptr(GString) header = NULL;
  LabFileReplace *file;
  FILE *stream;
  gsize n, total, pad;
  guint8 preamble[NPY_MAGIC_LEN + 4];

  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (data != NULL, FALSE);
  g_return_val_if_fail (rows > 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  n = rows;
  if (cols > 0 && !g_size_checked_mul (&n, rows, cols))
    {
      g_set_error (error, LAB_ENGINE_ERROR, LAB_ENGINE_ERROR_INVALID,
                   _("%s: shape (%zu, %zu) is too large"),
                   path, rows, cols);
      return FALSE;
    }
  if (n > G_MAXSIZE / sizeof (float))
    {
      g_set_error (error, LAB_ENGINE_ERROR, LAB_ENGINE_ERROR_INVALID,
                   _("%s: array of %zu values is too large"), path, n);
      return FALSE;
    }

  header = g_string_new ("{'descr': '<f4', 'fortran_order': False, 'shape': (");
  if (cols > 0)
    g_string_append_printf (header, "%" G_GSIZE_FORMAT ", %" G_GSIZE_FORMAT "), }", rows, cols);
  else
    g_string_append_printf (header, "%" G_GSIZE_FORMAT ",), }", rows);

  /* Preamble (magic, version, 2-byte length) + header + '\n' is a multiple of 64. Even with
   * two 20-digit dimensions the header is far below 65535 bytes, so version 1.0 always fits. */
  total = NPY_MAGIC_LEN + 2 + 2 + header->len + 1;
  pad = (NPY_ALIGN - total % NPY_ALIGN) % NPY_ALIGN;
  for (gsize i = 0; i < pad; i++)
    g_string_append_c (header, ' ');
  g_string_append_c (header, '\n');
  g_assert (header->len <= G_MAXUINT16);
  g_assert ((NPY_MAGIC_LEN + 4 + header->len) % NPY_ALIGN == 0);

  memcpy (preamble, NPY_MAGIC, NPY_MAGIC_LEN);
  preamble[6] = 1;
  preamble[7] = 0;
  preamble[8] = (guint8) (header->len & 0xff);
  preamble[9] = (guint8) (header->len >> 8);

  file = lab_file_replace_new (path, error);
  if (file == NULL)
    return FALSE;
  stream = lab_file_replace_stream (file);

  /* Write errors stick in the stream's error flag and are reported by commit. */
  fwrite (preamble, 1, sizeof preamble, stream);
  fwrite (header->str, 1, header->len, stream);
#if G_BYTE_ORDER == G_LITTLE_ENDIAN
  fwrite (data, sizeof (float), n, stream);
#else
  for (gsize i = 0; i < n && !ferror (stream); i++)
    {
      guint32 u;

      memcpy (&u, &data[i], sizeof u);
      u = GUINT32_TO_LE (u);
      fwrite (&u, sizeof u, 1, stream);
    }
#endif

  return lab_file_replace_commit (file, error);
}

/* ---------------------------------------------------------------------------------------- */
/* Header parsing: a bounded recursive-descent reader for the one dict shape numpy writes   */

typedef struct
{
  const char *p;
  const char *end;
} Cursor;

static void
skip_space (Cursor *c)
{
  while (c->p < c->end && (*c->p == ' ' || *c->p == '\t' || *c->p == '\n' || *c->p == '\r'))
    c->p++;
}

static gboolean
accept_char (Cursor *c,
             char    ch)
{
  skip_space (c);
  if (c->p < c->end && *c->p == ch)
    {
      c->p++;
      return TRUE;
    }
  return FALSE;
}

/* A Python string literal without escapes, in single or double quotes. */
static char *
parse_string (Cursor *c)
{
  const char *start;
  char quote;

  skip_space (c);
  if (c->p >= c->end || (*c->p != '\'' && *c->p != '"'))
    return NULL;
  quote = *c->p++;
  start = c->p;
  while (c->p < c->end && *c->p != quote)
    {
      if (*c->p == '\\' || *c->p == '\n' || *c->p == '\0')
        return NULL;
      c->p++;
    }
  if (c->p >= c->end)
    return NULL;
  c->p++;
  return g_strndup (start, (gsize) (c->p - 1 - start));
}

static gboolean
parse_word (Cursor     *c,
            const char *word)
{
  gsize len = strlen (word);

  skip_space (c);
  if ((gsize) (c->end - c->p) < len || memcmp (c->p, word, len) != 0)
    return FALSE;
  /* "Falsey" is not False. */
  if ((gsize) (c->end - c->p) > len && (g_ascii_isalnum (c->p[len]) || c->p[len] == '_'))
    return FALSE;
  c->p += len;
  return TRUE;
}

/* A non-negative decimal integer; Python 2 wrote longs as "3L". */
static gboolean
parse_dim (Cursor  *c,
           guint64 *out)
{
  guint64 v = 0;
  const char *start;

  skip_space (c);
  start = c->p;
  while (c->p < c->end && g_ascii_isdigit (*c->p))
    {
      guint d = (guint) (*c->p - '0');

      if (v > (G_MAXUINT64 - d) / 10)
        return FALSE;
      v = v * 10 + d;
      c->p++;
    }
  if (c->p == start)
    return FALSE;
  if (c->p < c->end && (*c->p == 'L' || *c->p == 'l'))
    c->p++;
  *out = v;
  return TRUE;
}

/* "(a, b, …)" with Python's tuple rules: "()" is empty and a 1-tuple needs its comma. Dims
 * past NPY_MAX_DIMS are counted but not stored. */
static gboolean
parse_shape (Cursor  *c,
             guint64  dims[NPY_MAX_DIMS],
             guint   *n_dims,
             gboolean *overflow)
{
  guint n = 0;
  gboolean trailing_comma = FALSE;

  *overflow = FALSE;
  if (!accept_char (c, '('))
    return FALSE;
  if (!accept_char (c, ')'))
    {
      for (;;)
        {
          guint64 d;

          if (!parse_dim (c, &d))
            {
              /* Distinguish "too many digits" from garbage. */
              skip_space (c);
              if (c->p < c->end && g_ascii_isdigit (*c->p))
                *overflow = TRUE;
              return FALSE;
            }
          if (n < NPY_MAX_DIMS)
            dims[n] = d;
          if (n < G_MAXUINT)
            n++;
          trailing_comma = accept_char (c, ',');
          if (accept_char (c, ')'))
            break;
          if (!trailing_comma)
            return FALSE;
        }
      if (n == 1 && !trailing_comma)
        return FALSE;
    }
  *n_dims = n;
  return TRUE;
}

/* A header string as a message shows it: escaped, at most 40 characters. */
static char *
shown_text (const char *text)
{
  char *shown = g_strescape (text, NULL);

  if (strlen (shown) > 40)
    strcpy (shown + 37, "...");
  return shown;
}

typedef struct
{
  char     *descr;
  gboolean  have_fortran;
  gboolean  fortran_order;
  gboolean  have_shape;
  guint     n_dims;
  guint64   dims[NPY_MAX_DIMS];
} NpyHeader;

/* The value of @key at @c into @h; FALSE for an unknown or repeated key or a bad value. */
static gboolean
parse_header_entry (const char  *path,
                    const char  *key,
                    Cursor      *c,
                    NpyHeader   *h,
                    GError     **error)
{
  if (strcmp (key, "descr") == 0 && h->descr == NULL)
    {
      skip_space (c);
      if (c->p >= c->end || (*c->p != '\'' && *c->p != '"'))
        return lab_format_error (error, path, _("dtype is not a plain type string (structured "
                                                "dtypes are not supported): weights must be "
                                                "float32 ('<f4')"));
      h->descr = parse_string (c);
      if (h->descr == NULL)
        return lab_format_error (error, path, _("header dict is malformed"));
    }
  else if (strcmp (key, "fortran_order") == 0 && !h->have_fortran)
    {
      if (parse_word (c, "True"))
        h->fortran_order = TRUE;
      else if (parse_word (c, "False"))
        h->fortran_order = FALSE;
      else
        return lab_format_error (error, path, _("header value of 'fortran_order' is not a bool"));
      h->have_fortran = TRUE;
    }
  else if (strcmp (key, "shape") == 0 && !h->have_shape)
    {
      gboolean overflow;

      if (!parse_shape (c, h->dims, &h->n_dims, &overflow))
        return lab_format_error (error, path, overflow ? _("shape is too large")
                                 : _("header value of 'shape' is not a tuple of integers"));
      h->have_shape = TRUE;
    }
  else
    {
      g_autofree char *shown = shown_text (key);
      return lab_format_error (error, path, _("header has an unexpected or repeated key '%s'"),
                               shown);
    }
  return TRUE;
}

static gboolean
parse_header (const char  *path,
              const char  *text,
              gsize        len,
              NpyHeader   *h,
              GError     **error)
{
  Cursor c = { text, text + len };

  if (!accept_char (&c, '{'))
    return lab_format_error (error, path, _("header is not a Python dict"));

  while (!accept_char (&c, '}'))
    {
      g_autofree char *key = parse_string (&c);

      if (key == NULL || !accept_char (&c, ':'))
        return lab_format_error (error, path, _("header dict is malformed"));
      if (!parse_header_entry (path, key, &c, h, error))
        return FALSE;
      /* Python allows a trailing comma, and numpy writes one. */
      if (!accept_char (&c, ','))
        {
          if (!accept_char (&c, '}'))
            return lab_format_error (error, path, _("header dict is malformed"));
          break;
        }
    }

  skip_space (&c);
  if (c.p != c.end)
    return lab_format_error (error, path, _("header has garbage after the dict"));
  if (h->descr == NULL)
    return lab_format_error (error, path, _("header has no 'descr' key"));
  if (!h->have_fortran)
    return lab_format_error (error, path, _("header has no 'fortran_order' key"));
  if (!h->have_shape)
    return lab_format_error (error, path, _("header has no 'shape' key"));
  return TRUE;
}

static gboolean
descr_is_float32 (const char *descr)
{
  if (strcmp (descr, "<f4") == 0)
    return TRUE;
#if G_BYTE_ORDER == G_LITTLE_ENDIAN
  /* Native order: the same bytes on this host. numpy itself always writes '<f4'. */
  if (strcmp (descr, "=f4") == 0 || strcmp (descr, "f4") == 0)
    return TRUE;
#endif
  return FALSE;
}

static char *
shape_to_string (const NpyHeader *h)
{
  if (h->n_dims == 0)
    return g_strdup ("()");
  if (h->n_dims == 1)
    return g_strdup_printf ("(%" G_GUINT64_FORMAT ",)", h->dims[0]);
  if (h->n_dims == 2)
    return g_strdup_printf ("(%" G_GUINT64_FORMAT ", %" G_GUINT64_FORMAT ")",
                            h->dims[0], h->dims[1]);
  return g_strdup_printf ("(%" G_GUINT64_FORMAT ", %" G_GUINT64_FORMAT ", …)",
                          h->dims[0], h->dims[1]);
}

/* ---------------------------------------------------------------------------------------- */
/* Reading                                                                                  */

/* Reads exactly @len bytes; FALSE on short read, with errno 0 at end of file. */
static gboolean
read_exact (FILE  *stream,
            void  *buf,
            gsize  len,
            gsize *got)
{
  errno = 0;
  *got = fread (buf, 1, len, stream);
  return *got == len;
}

static gboolean
io_error (GError     **error,
          const char  *path,
          int          saved_errno)
{
  g_set_error (error, LAB_ENGINE_ERROR, LAB_ENGINE_ERROR_IO,
               _("%s: could not read: %s"), path, g_strerror (saved_errno ? saved_errno : EIO));
  return FALSE;
}

/* A read that came short: the stream's error if it has one, else the file is too short and
 * @format says how. Returns FALSE. */
static gboolean
short_read (GError     **error,
            const char  *path,
            FILE        *stream,
            const char  *format,
            ...) G_GNUC_PRINTF (4, 5);

static gboolean
short_read (GError     **error,
            const char  *path,
            FILE        *stream,
            const char  *format,
            ...)
{
  g_autofree char *msg = NULL;
  va_list args;

  if (ferror (stream))
    return io_error (error, path, errno);
  va_start (args, format);
  msg = g_strdup_vprintf (format, args);
  va_end (args);
  return lab_format_error (error, path, "%s", msg);
}

/* Magic, version, header length and the header dict; *data_offset is where the data starts. */
static gboolean
read_header (const char  *path,
             FILE        *stream,
             gsize        file_size,
             NpyHeader   *h,
             gsize       *data_offset,
             GError     **error)
{
  g_autofree char *text = NULL;
  guint8 preamble[NPY_MAGIC_LEN + 2], lenbuf[4];
  guint32 header_len;
  gsize len_size, got;

  if (!read_exact (stream, preamble, sizeof preamble, &got))
    return short_read (error, path, stream, _("not a .npy file (only %zu bytes)"),
                       got);
  if (memcmp (preamble, NPY_MAGIC, NPY_MAGIC_LEN) != 0)
    return lab_format_error (error, path, _("not a .npy file (bad magic)"));
  if (preamble[7] != 0 || (preamble[6] != 1 && preamble[6] != 2 && preamble[6] != 3))
    return lab_format_error (error, path, _("unsupported .npy format version %u.%u (expected "
                                            "1.0, 2.0 or 3.0)"), preamble[6], preamble[7]);

  /* Header length: 2 bytes in 1.0, 4 bytes in 2.0 and 3.0, little-endian. */
  len_size = preamble[6] == 1 ? 2 : 4;
  if (!read_exact (stream, lenbuf, len_size, &got))
    return short_read (error, path, stream, _("truncated .npy header"));
  header_len = (guint32) lenbuf[0] | ((guint32) lenbuf[1] << 8);
  if (len_size == 4)
    header_len |= ((guint32) lenbuf[2] << 16) | ((guint32) lenbuf[3] << 24);

  *data_offset = sizeof preamble + len_size;
  if (header_len > file_size - *data_offset)
    return lab_format_error (error, path, _("header length %u goes beyond the end of the file "
                                            "(%zu bytes)"), header_len, file_size);
  if (header_len > NPY_MAX_HEADER)
    return lab_format_error (error, path, _("header of %u bytes is too long"), header_len);

  text = g_malloc (header_len + 1);
  if (!read_exact (stream, text, header_len, &got))
    return short_read (error, path, stream, _("truncated .npy header"));
  text[header_len] = '\0';
  *data_offset += header_len;
  return parse_header (path, text, header_len, h, error);
}

/* What the header describes must be a float32 C-order array of 1 or 2 non-empty dimensions:
 * its number of values and bytes. */
static gboolean
check_header (const char       *path,
              const NpyHeader  *h,
              const char       *shape_str,
              gsize            *n,
              gsize            *nbytes,
              GError          **error)
{
  if (!descr_is_float32 (h->descr))
    {
      g_autofree char *shown = shown_text (h->descr);
      return lab_format_error (error, path, _("dtype '%s' is not supported: weights must be "
                                              "float32 ('<f4')"), shown);
    }
  if (h->fortran_order)
    return lab_format_error (error, path, _("array %s is in Fortran order: only C order is "
                                            "supported (save np.ascontiguousarray(a))"), shape_str);
  if (h->n_dims == 0)
    return lab_format_error (error, path, _("array is a scalar (shape ()): expected 1 or 2 "
                                            "dimensions"));
  if (h->n_dims > NPY_MAX_DIMS)
    return lab_format_error (error, path, _("array has %u dimensions %s: expected 1 or 2"),
                             h->n_dims,
                             shape_str);
  *n = 1;
  for (guint i = 0; i < h->n_dims; i++)
    if (h->dims[i] > G_MAXSIZE || !g_size_checked_mul (n, *n, (gsize) h->dims[i]))
      return lab_format_error (error, path, _("shape %s is too large"), shape_str);
  if (*n == 0)
    return lab_format_error (error, path, _("array is empty (shape %s)"), shape_str);
  if (!g_size_checked_mul (nbytes, *n, sizeof (float)))
    return lab_format_error (error, path, _("shape %s is too large"), shape_str);
  return TRUE;
}

/* @nbytes of data that must end the file (@have bytes are left by its size): compared before
 * allocating, so a lying header cannot make us allocate, and again while reading, as the file
 * may change under us. */
static float *
read_data (const char  *path,
           FILE        *stream,
           gsize        have,
           gsize        nbytes,
           const char  *shape_str,
           GError     **error)
{
  g_autofree float *data = NULL;
  gsize got;

  if (have < nbytes)
    {
      lab_format_error (error, path, _("truncated: shape %s needs %zu bytes, file has %zu"),
                        shape_str, nbytes, have);
      return NULL;
    }
  if (have > nbytes)
    {
      lab_format_error (error, path, _("%zu unexpected bytes after the data of shape %s"),
                        have - nbytes, shape_str);
      return NULL;
    }
  data = g_try_malloc (nbytes);
  if (data == NULL)
    {
      g_set_error (error, LAB_ENGINE_ERROR, LAB_ENGINE_ERROR_IO,
                   _("%s: not enough memory for %zu bytes"), path, nbytes);
      return NULL;
    }
  if (!read_exact (stream, data, nbytes, &got))
    short_read (error, path, stream, _("truncated: shape %s needs %zu bytes, file has %zu"),
                shape_str, nbytes, got);
  else if (fgetc (stream) != EOF)
    lab_format_error (error, path, _("unexpected bytes after the data of shape %s"), shape_str);
  else if (ferror (stream))
    io_error (error, path, errno);
  else
    return g_steal_pointer (&data);
  return NULL;
}

/* Little-endian values to host order, and none of them NaN or infinite. */
static gboolean
check_values (const char  *path,
              float       *data,
              gsize        n,
              GError     **error)
{
#if G_BYTE_ORDER != G_LITTLE_ENDIAN
  for (gsize i = 0; i < n; i++)
    {
      guint32 u;

      memcpy (&u, &data[i], sizeof u);
      u = GUINT32_FROM_LE (u);
      memcpy (&data[i], &u, sizeof u);
    }
#endif
  for (gsize i = 0; i < n; i++)
    if (G_UNLIKELY (!isfinite (data[i])))
      return lab_format_error (error, path, _("contains %s at index %zu"),
                               isnan (data[i]) ? "NaN" : data[i] > 0 ? "Inf" : "-Inf", i);
  return TRUE;
}

/* The whole reader, on a stream of @file_size bytes (> 0) positioned at its start: a file
 * (lab_npy_load()) or a buffer (lab_npy_parse(), through fmemopen()). Does not close @stream. */
static float *
npy_read_stream (const char  *path,
                 FILE        *stream,
                 gsize        file_size,
                 gsize       *rows,
                 gsize       *cols,
                 GError     **error)
{
  g_autofree char *shape_str = NULL;
  g_autofree float *data = NULL;
  NpyHeader h = { 0 };
  gsize data_offset = 0, n = 0, nbytes = 0;

  if (read_header (path, stream, file_size, &h, &data_offset, error) &&
      check_header (path, &h, (shape_str = shape_to_string (&h)), &n, &nbytes, error) &&
      (data = read_data (path, stream, file_size - data_offset, nbytes, shape_str, error)) &&
      check_values (path, data, n, error))
    {
      if (rows != NULL)
        *rows = (gsize) h.dims[0];
      if (cols != NULL)
        *cols = h.n_dims == 2 ? (gsize) h.dims[1] : 0;
    }
  else
    g_clear_pointer (&data, g_free);
  g_free (h.descr);
  return g_steal_pointer (&data);
}

float *
lab_npy_load (const char  *path,
              gsize       *rows,
              gsize       *cols,
              GError     **error)
{
  float *data = NULL;
  FILE *stream;
  struct stat st;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  stream = g_fopen (path, "rb");
  if (stream == NULL)
    {
      int saved_errno = errno;
      g_set_error (error, LAB_ENGINE_ERROR, LAB_ENGINE_ERROR_IO,
                   _("%s: could not open: %s"), path, g_strerror (saved_errno));
      return NULL;
    }

  if (fstat (fileno (stream), &st) != 0)
    io_error (error, path, errno);
  else if (!S_ISREG (st.st_mode))
    g_set_error (error, LAB_ENGINE_ERROR, LAB_ENGINE_ERROR_IO,
                 _("%s: not a regular file"), path);
  else if (st.st_size == 0)
    lab_format_error (error, path, _("file is empty, not a .npy file"));
  else
    data = npy_read_stream (path, stream, (gsize) st.st_size, rows, cols, error);

  fclose (stream);
  return data;
}

float *
lab_npy_parse (const char    *name,
               const guint8  *bytes,
               gsize          len,
               gsize         *rows,
               gsize         *cols,
               GError       **error)
{
  float *data;
  FILE *stream;

  g_return_val_if_fail (name != NULL, NULL);
  g_return_val_if_fail (bytes != NULL || len == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (len == 0)
    {
      lab_format_error (error, name, _("file is empty, not a .npy file"));
      return NULL;
    }
  /* Read-only use: fmemopen() never writes through the pointer in "rb" mode. */
  stream = fmemopen ((void *) bytes, len, "rb");
  if (stream == NULL)
    {
      int saved_errno = errno;
      g_set_error (error, LAB_ENGINE_ERROR, LAB_ENGINE_ERROR_IO,
                   _("%s: could not open: %s"), name, g_strerror (saved_errno));
      return NULL;
    }
  data = npy_read_stream (name, stream, len, rows, cols, error);
  fclose (stream);
  return data;
}
