/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-idx.c: the IDX format of MNIST and Fashion-MNIST (http://yann.lecun.com/exdb/mnist/):
 * two zero bytes, a data-type byte (only 0x08, unsigned byte, is supported), a dimension count,
 * that many big-endian u32 sizes, then the data. Files may be raw or gzip-compressed (.gz, read
 * through GIO's zlib converter). A file is read whole, checked down to the last byte, and
 * the header is then moved out of the way so the same buffer becomes the split's pixels: one
 * allocation per file, no float copy. Every error message starts with the file's path.
 */
#define G_LOG_DOMAIN "lab-engine"
#include "config.h"

#include <gio/gio.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <string.h>

#include "lab-dataset.h"
#include "lab-error.h"

/* Refuse to hold more than this in memory for one file (guards against gzip bombs). */
#define IDX_MAX_BYTES   ((gsize) 2 << 30)
/* deflate cannot compress better than about 1032:1, so a gzip trailer claiming more is lying. */
#define GZIP_MAX_RATIO  1032
#define IN_CHUNK        ((gsize) 256 << 10)

typedef struct
{
  guint   ndim;
  guint32 dims[3];
  gsize   header;     /* bytes before the data */
  gsize   n_bytes;    /* bytes of data, the product of dims */
} IdxHeader;

static void
set_io_error (GError     **error,
              const char  *path,
              GError      *cause)
{
  int code = LAB_ENGINE_ERROR_IO;

  /* A corrupt or cut-off gzip stream is a malformed file, not an I/O failure. */
  if (g_error_matches (cause, G_IO_ERROR, G_IO_ERROR_INVALID_DATA) ||
      g_error_matches (cause, G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT))
    code = LAB_ENGINE_ERROR_FORMAT;
  if (code == LAB_ENGINE_ERROR_FORMAT)
    g_set_error (error, LAB_ENGINE_ERROR, code, _("%s: corrupt or truncated gzip data (%s)"),
                 path, cause->message);
  else
    g_set_error (error, LAB_ENGINE_ERROR, code, "%s: %s", path, cause->message);
}

/* The output buffer to start with: with a seekable stream of known compressed size @csize the
 * gzip trailer's ISIZE (size mod 2^32), if plausible, so the 47 MB Fashion-MNIST training
 * images are decompressed straight into one allocation. Leaves the stream at its start. */
static gboolean
gzip_capacity (const char    *path,
               GInputStream  *in,
               goffset        csize,
               gsize         *cap,
               GError       **error)
{
  g_autoptr(GError) local_error = NULL;
  guint8 t[4];
  gsize got = 0;

  *cap = 64 * 1024;
  if (csize < 18 || !G_IS_SEEKABLE (in) || !g_seekable_can_seek (G_SEEKABLE (in)))
    return TRUE;
  if (g_seekable_seek (G_SEEKABLE (in), -4, G_SEEK_END, NULL, NULL) &&
      g_input_stream_read_all (in, t, 4, &got, NULL, NULL) && got == 4)
    {
      guint32 isize = t[0] | (t[1] << 8) | (t[2] << 16) | ((guint32) t[3] << 24);
      if (isize <= IDX_MAX_BYTES && isize / GZIP_MAX_RATIO <= (guint64) csize)
        *cap = MAX ((gsize) isize + 1, *cap);   /* +1: the EOF read needs no growth */
    }
  if (!g_seekable_seek (G_SEEKABLE (in), 0, G_SEEK_SET, NULL, &local_error))
    {
      set_io_error (error, path, local_error);
      return FALSE;
    }
  return TRUE;
}

/* Inflates a whole gzip stream; @csize is the compressed size when known (0 otherwise). A file
 * and an in-memory buffer (lab_idx_parse()) both come through here. g_converter_convert()
 * writes straight into the output buffer: about twice as fast as reading through a
 * GConverterInputStream, which inflates into its own buffer and copies. */
static guint8 *
gunzip_stream (const char    *path,
               GInputStream  *in,
               goffset        csize,
               gsize         *out_len,
               GError       **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GZlibDecompressor) dec = g_zlib_decompressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP);
  g_autofree guint8 *data = NULL;
  g_autofree guint8 *inbuf = g_malloc (IN_CHUNK);
  gsize in_pos = 0, in_len = 0, cap, len = 0;
  GConverterResult res = G_CONVERTER_CONVERTED;
  gboolean eof = FALSE;

  if (!gzip_capacity (path, in, csize, &cap, error))
    return NULL;
  data = g_malloc (cap);
  while (res != G_CONVERTER_FINISHED)
    {
      gsize n_read = 0, n_written = 0;

      if (in_pos == in_len && !eof)
        {
          gssize r = g_input_stream_read (in, inbuf, IN_CHUNK, NULL, &local_error);
          if (r < 0)
            break;
          in_pos = 0;
          in_len = (gsize) r;
          eof = r == 0;
        }
      if (len == cap && cap > IDX_MAX_BYTES)
        break;
      if (len == cap)
        {
          cap = MIN (cap * 2, IDX_MAX_BYTES + 1);
          data = g_realloc (data, cap);
        }
      /* zlib consumes all the input it is given, so needing more input before the end of the
       * file does not happen; at the end it means the stream is cut short */
      res = g_converter_convert (G_CONVERTER (dec), inbuf + in_pos, in_len - in_pos,
                                 data + len, cap - len,
                                 eof ? G_CONVERTER_INPUT_AT_END : G_CONVERTER_NO_FLAGS,
                                 &n_read, &n_written, &local_error);
      if (res == G_CONVERTER_ERROR)
        break;
      in_pos += n_read;
      len += n_written;
    }

  if (local_error != NULL)
    set_io_error (error, path, local_error);
  else if (len > IDX_MAX_BYTES || res != G_CONVERTER_FINISHED)
    lab_format_error (error, path, _("decompressed data exceeds the limit of 2 GiB"));
  else
    {
      *out_len = len;
      return g_steal_pointer (&data);
    }
  return NULL;
}

/* A .gz file is streamed through the decompressor rather than read whole first, so the
 * compressed bytes are never held in memory next to the pixels. */
static guint8 *
read_gzip (const char  *path,
           gsize       *out_len,
           GError     **error)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GFileInputStream) fin = NULL;
  g_autoptr(GFileInfo) info = NULL;
  goffset csize = 0;

  fin = g_file_read (file, NULL, &local_error);
  if (fin == NULL)
    {
      set_io_error (error, path, local_error);
      return NULL;
    }

  info = g_file_input_stream_query_info (fin, G_FILE_ATTRIBUTE_STANDARD_SIZE, NULL, NULL);
  if (info != NULL && g_file_info_has_attribute (info, G_FILE_ATTRIBUTE_STANDARD_SIZE))
    csize = g_file_info_get_size (info);

  return gunzip_stream (path, G_INPUT_STREAM (fin), csize, out_len, error);
}

static guint8 *
read_raw (const char  *path,
          gsize       *out_len,
          GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  GStatBuf st;
  char *contents = NULL;

  if (g_stat (path, &st) == 0 && S_ISREG (st.st_mode) && (guint64) st.st_size > IDX_MAX_BYTES)
    {
      lab_format_error (error, path, _("file is larger than the limit of 2 GiB"));
      return NULL;
    }
  if (!g_file_get_contents (path, &contents, out_len, &local_error))
    {
      g_set_error (error, LAB_ENGINE_ERROR, LAB_ENGINE_ERROR_IO, "%s: %s", path,
                   local_error->message);
      return NULL;
    }
  return (guint8 *) contents;
}

static inline guint32
read_be32 (const guint8 *p)
{
  return ((guint32) p[0] << 24) | ((guint32) p[1] << 16) | ((guint32) p[2] << 8) | p[3];
}

/* Checks everything the header claims against the bytes actually present. */
static gboolean
idx_parse_header (const char    *path,
                  const guint8  *data,
                  gsize          len,
                  guint          want_ndim,
                  IdxHeader     *h,
                  GError       **error)
{
  gsize product = 1;
  gsize expected;

  if (len == 0)
    return lab_format_error (error, path, _("file is empty"));
  if (len < 4)
    return lab_format_error (error, path, _("too short for an IDX header (%zu bytes)"),
                             len);
  if (data[0] != 0 || data[1] != 0)
    return lab_format_error (error, path, _("not an IDX file (magic %02X %02X %02X %02X, "
                                            "expected 00 00 08 %02X)"),
                             data[0], data[1], data[2], data[3], want_ndim);
  if (data[2] != 0x08)
    return lab_format_error (error, path, _("unsupported IDX data type 0x%02X (only unsigned "
                                            "bytes, 0x08, are supported)"), data[2]);
  if (data[3] != want_ndim)
    return lab_format_error (error, path, _("expected %u dimensions (%s), found %u"), want_ndim,
                             /* Translators: the dimensions of an IDX file of images, or of
                              * labels */
                             want_ndim == 3 ? _("count, rows, columns") : _("count"), data[3]);

  h->ndim = want_ndim;
  h->header = 4 + 4 * (gsize) want_ndim;
  if (len < h->header)
    return lab_format_error (error, path, _("truncated header (%zu bytes, need %zu)"),
                             len, h->header);

  for (guint d = 0; d < want_ndim; d++)
    {
      h->dims[d] = read_be32 (data + 4 + 4 * d);
      if (h->dims[d] == 0)
        return lab_format_error (error, path, _("dimension %u is zero"), d);
    }
  for (guint d = 0; d < want_ndim; d++)
    if (!g_size_checked_mul (&product, product, h->dims[d]))
      return lab_format_error (error, path, _("dimensions are too large (their product "
                                              "overflows)"));
  if (want_ndim == 3 && (guint64) h->dims[1] * h->dims[2] > LAB_MAX_INPUT)
    return lab_format_error (error, path, _("images of %u×%u pixels exceed the limit of %d "
                                            "inputs per sample"),
                             h->dims[1], h->dims[2], LAB_MAX_INPUT);

  h->n_bytes = product;
  if (!g_size_checked_add (&expected, h->header, product) || len < expected)
    return lab_format_error (error, path, _("truncated: header says %zu bytes of data, file has "
                                            "%zu"), product, len - h->header);
  if (len > expected)
    return lab_format_error (error, path, _("%zu trailing bytes after the %zu bytes of data the "
                                            "header describes"), len - expected,
                             product);
  return TRUE;
}

/* Validates a whole IDX file in @data (owned, g_free()) and returns it with the header
 * stripped. Reuses the buffer: a 47 MB memmove costs a few ms, a second allocation 47 MB. */
static guint8 *
idx_finish (const char  *path,
            guint8      *data,
            gsize        len,
            guint        want_ndim,
            IdxHeader   *h,
            GError     **error)
{
  g_autofree guint8 *owned = data;

  if (!idx_parse_header (path, owned, len, want_ndim, h, error))
    return NULL;
  memmove (owned, owned + h->header, h->n_bytes);
  return g_steal_pointer (&owned);
}

/* Reads and validates one IDX file; returns its data (header stripped, g_free()). */
static guint8 *
idx_read (const char  *path,
          guint        want_ndim,
          IdxHeader   *h,
          GError     **error)
{
  guint8 *data;
  gsize len = 0;

  if (g_str_has_suffix (path, ".gz"))
    data = read_gzip (path, &len, error);
  else
    data = read_raw (path, &len, error);
  if (data == NULL)
    return NULL;

  return idx_finish (path, data, len, want_ndim, h, error);
}

guint8 *
lab_idx_parse (const char    *name,
               const guint8  *data,
               gsize          len,
               gboolean       gzip,
               guint          ndim,
               guint32       *dims,
               GError       **error)
{
  IdxHeader h = { 0 };
  guint8 *buf;
  gsize buf_len = 0;

  g_return_val_if_fail (name != NULL, NULL);
  g_return_val_if_fail (data != NULL || len == 0, NULL);
  g_return_val_if_fail (ndim == 1 || ndim == 3, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (gzip)
    {
      g_autoptr(GInputStream) in = g_memory_input_stream_new_from_data (data, len, NULL);

      buf = gunzip_stream (name, in, len, &buf_len, error);
    }
  else
    {
      if (len > IDX_MAX_BYTES)
        {
          lab_format_error (error, name, _("file is larger than the limit of 2 GiB"));
          return NULL;
        }
      /* A copy: the header is moved out of the way in place. 1 byte for an empty input,
       * which the header check then reports as empty. */
      buf = g_malloc (MAX (len, 1));
      if (len > 0)
        memcpy (buf, data, len);
      buf_len = len;
    }
  if (buf == NULL)
    return NULL;

  buf = idx_finish (name, buf, buf_len, ndim, &h, error);
  if (buf != NULL && dims != NULL)
    memcpy (dims, h.dims, ndim * sizeof (guint32));
  return buf;
}

gboolean
lab_idx_load_split (const char  *images_path,
                    const char  *labels_path,
                    LabSplit    *split,
                    guint       *img_h,
                    guint       *img_w,
                    GError     **error)
{
  g_autofree guint8 *images = NULL;
  g_autofree guint8 *labels = NULL;
  IdxHeader ih = { 0 };
  IdxHeader lh = { 0 };

  g_return_val_if_fail (images_path != NULL, FALSE);
  g_return_val_if_fail (labels_path != NULL, FALSE);
  g_return_val_if_fail (split != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  memset (split, 0, sizeof *split);
  if (img_h != NULL)
    *img_h = 0;
  if (img_w != NULL)
    *img_w = 0;

  images = idx_read (images_path, 3, &ih, error);
  if (images == NULL)
    return FALSE;
  labels = idx_read (labels_path, 1, &lh, error);
  if (labels == NULL)
    return FALSE;

  if (lh.dims[0] != ih.dims[0])
    return lab_format_error (error, labels_path, _("holds %u labels, but %s holds %u images"),
                             lh.dims[0], images_path, ih.dims[0]);
  /* Labels are u8, so every value is already < LAB_MAX_CLASSES (256). */
  G_STATIC_ASSERT (LAB_MAX_CLASSES >= 256);

  split->n = ih.dims[0];
  split->dim = (gsize) ih.dims[1] * ih.dims[2];
  split->x_u8 = g_steal_pointer (&images);
  split->x_f32 = NULL;
  split->y = g_steal_pointer (&labels);
  if (img_h != NULL)
    *img_h = ih.dims[1];
  if (img_w != NULL)
    *img_w = ih.dims[2];
  return TRUE;
}
