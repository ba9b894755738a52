/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-csv.c: a small CSV reader for tabular data sets. One sample per line, one integer class
 * label column and numeric features; comma separated, or ';' / tab when the first line clearly
 * uses one of those instead. Blank lines, CRLF and a header row (when asked for) are accepted;
 * anything else that is not a finite number is an error naming the file, line, column and the
 * offending text. Quoted fields with embedded delimiters are not supported on purpose: data
 * files for an MLP are plain numbers. The rows are shuffled with the seeded project RNG and
 * split into train and test.
 */
#define G_LOG_DOMAIN "lab-engine"
#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "lab-dataset.h"
#include "lab-error.h"
#include "lab-rng.h"

#define CSV_MAX_TEST_FRACTION 0.9

typedef struct
{
  const char *path;
  char        delim;
  guint       n_cols;      /* 0 until the first row is seen */
  guint       label_col;
  GArray     *x;           /* float, (n, n_cols - 1) */
  GArray     *y;           /* guint8, (n) */
  guint       max_label;
  GPtrArray  *cells;       /* borrowed pointers into the current line, at most CSV_MAX_CELLS */
  guint       n_fields;    /* fields on the current line, counted past CSV_MAX_CELLS */
} CsvReader;

/* A label and LAB_MAX_INPUT features, plus one so "too many" is still seen as such. A line of
 * 10⁷ commas is counted, never split into 10⁷ cells. */
#define CSV_MAX_CELLS (LAB_MAX_INPUT + 2)

/* Guess the delimiter from the first non-blank line: the most frequent of , ; and tab. */
static char
guess_delimiter (const char *line,
                 gsize       len)
{
  gsize commas = 0, semis = 0, tabs = 0;

  for (gsize i = 0; i < len; i++)
    {
      if (line[i] == ',')
        commas++;
      else if (line[i] == ';')
        semis++;
      else if (line[i] == '\t')
        tabs++;
    }
  if (semis > commas && semis >= tabs)
    return ';';
  if (tabs > commas && tabs > semis)
    return '\t';
  return ',';
}

static char *
trim_cell (char *s)
{
  char *end;

  while (*s == ' ' || *s == '\t')
    s++;
  end = s + strlen (s);
  while (end > s && (end[-1] == ' ' || end[-1] == '\t'))
    *--end = '\0';
  /* "3.5" → 3.5: spreadsheets like to quote everything. */
  if (end - s >= 2 && s[0] == '"' && end[-1] == '"')
    {
      end[-1] = '\0';
      s++;
    }
  return s;
}

/* Splits a NUL-terminated line in place into reader->cells (the first CSV_MAX_CELLS fields)
 * and counts all its fields in reader->n_fields. */
static void
split_line (CsvReader *reader,
            char      *line)
{
  g_ptr_array_set_size (reader->cells, 0);
  reader->n_fields = 0;
  for (;;)
    {
      char *d = strchr (line, reader->delim);

      if (reader->cells->len == CSV_MAX_CELLS)
        {
          /* Past any sane width: count the rest (this field and one per delimiter after it),
           * the error message will say how many. */
          reader->n_fields++;
          for (; d != NULL; d = strchr (d + 1, reader->delim))
            if (reader->n_fields < G_MAXUINT)
              reader->n_fields++;
          break;
        }
      if (d != NULL)
        *d = '\0';
      g_ptr_array_add (reader->cells, trim_cell (line));
      reader->n_fields++;
      if (d == NULL)
        break;
      line = d + 1;
    }
}

static gboolean
parse_double (const char *s,
              double     *out)
{
  char *end = NULL;

  if (*s == '\0')
    return FALSE;
  *out = g_ascii_strtod (s, &end);
  return end != s && *end == '\0';
}

static gboolean
row_is_numeric (CsvReader *reader)
{
  for (guint j = 0; j < reader->cells->len; j++)
    {
      double v;
      if (!parse_double (g_ptr_array_index (reader->cells, j), &v))
        return FALSE;
    }
  return TRUE;
}

/* Fixes the column count (from the first row, header or data) and resolves the label column. */
static gboolean
set_columns (CsvReader  *reader,
             guint       line_no,
             int         label_column,
             GError    **error)
{
  guint n = reader->n_fields;
  gint64 lc;

  if (n < 2)
    {
      g_set_error (error, LAB_ENGINE_ERROR, LAB_ENGINE_ERROR_FORMAT,
                   _("%s: line %u: need at least 2 columns (a label and a feature), found %u"),
                   reader->path, line_no, n);
      return FALSE;
    }
  if (n - 1 > LAB_MAX_INPUT)
    {
      g_set_error (error, LAB_ENGINE_ERROR, LAB_ENGINE_ERROR_FORMAT,
                   _("%s: line %u: %u feature columns exceed the limit of %d"),
                   reader->path, line_no, n - 1, LAB_MAX_INPUT);
      return FALSE;
    }
  lc = label_column < 0 ? (gint64) n + label_column : label_column;
  if (lc < 0 || lc >= n)
    {
      g_set_error (error, LAB_ENGINE_ERROR, LAB_ENGINE_ERROR_INVALID,
                   _("%s: label column %d is out of range for %u columns (allowed %d..%u)"),
                   reader->path, label_column, n, -(int) n, n - 1);
      return FALSE;
    }
  reader->n_cols = n;
  reader->label_col = (guint) lc;
  return TRUE;
}

static gboolean
add_row (CsvReader  *reader,
         guint       line_no,
         GError    **error)
{
  guint n = reader->n_fields;

  if (n != reader->n_cols)
    {
      g_set_error (error, LAB_ENGINE_ERROR, LAB_ENGINE_ERROR_FORMAT,
                   _("%s: line %u: expected %u columns, found %u"),
                   reader->path, line_no, reader->n_cols, n);
      return FALSE;
    }

  for (guint j = 0; j < n; j++)
    {
      const char *cell = g_ptr_array_index (reader->cells, j);
      double v;

      if (j == reader->label_col)
        {
          guint8 label;

          if (!parse_double (cell, &v) || !isfinite (v) || v != floor (v) ||
              v < 0 || v >= LAB_MAX_CLASSES)
            {
              g_set_error (error, LAB_ENGINE_ERROR, LAB_ENGINE_ERROR_FORMAT,
                           _("%s: line %u, column %u: label “%.40s” is not an integer class in "
                             "0..%d"), reader->path, line_no, j + 1, cell, LAB_MAX_CLASSES - 1);
              return FALSE;
            }
          label = (guint8) v;
          reader->max_label = MAX (reader->max_label, label);
          g_array_append_val (reader->y, label);
        }
      else
        {
          float f;

          if (!parse_double (cell, &v))
            {
              g_set_error (error, LAB_ENGINE_ERROR, LAB_ENGINE_ERROR_FORMAT,
                           _("%s: line %u, column %u: “%.40s” is not a number"),
                           reader->path, line_no, j + 1, cell);
              return FALSE;
            }
          f = (float) v;
          if (!isfinite (f))
            {
              g_set_error (error, LAB_ENGINE_ERROR, LAB_ENGINE_ERROR_FORMAT,
                           _("%s: line %u, column %u: “%.40s” is not a finite number"),
                           reader->path, line_no, j + 1, cell);
              return FALSE;
            }
          g_array_append_val (reader->x, f);
        }
    }
  return TRUE;
}

static gboolean
csv_parse (CsvReader  *reader,
           char       *buf,
           gsize       len,
           gboolean    header,
           int         label_column,
           GError    **error)
{
  char *p = buf;
  char *end = buf + len;
  guint line_no = 0;

  while (p < end)
    {
      char *eol = memchr (p, '\n', (gsize) (end - p));
      char *next = eol != NULL ? eol + 1 : end;
      char *line = p;
      gsize line_len;
      gboolean looks_like_header;

      line_no++;
      p = next;
      if (eol == NULL)
        eol = end;          /* buf[len] is the NUL g_file_get_contents() adds */
      *eol = '\0';
      line_len = (gsize) (eol - line);
      if (line_len > 0 && line[line_len - 1] == '\r')
        line[--line_len] = '\0';
      if (line[strspn (line, " \t")] == '\0')
        continue;           /* blank */

      if (reader->delim == '\0')
        reader->delim = guess_delimiter (line, line_len);
      split_line (reader, line);

      /* Only the first row may be a header: a row that is not all numbers. */
      looks_like_header = reader->n_cols == 0 && !row_is_numeric (reader);
      if (reader->n_cols == 0)
        {
          if (!set_columns (reader, line_no, label_column, error))
            return FALSE;
          if (header && looks_like_header)
            continue;
        }
      if (!add_row (reader, line_no, error))
        {
          if (looks_like_header && error != NULL && *error != NULL)
            {
              /* Translators: %s is what is wrong with the line, e.g. "“x” is not a number" */
              char *msg = g_strdup_printf (_("%s (if line %u is a header, load with header = "
                                             "true)"), (*error)->message, line_no);
              g_free ((*error)->message);
              (*error)->message = msg;
            }
          return FALSE;
        }
    }
  return TRUE;
}

/* The rows of @x and @y, shuffled with @seed: the first round(f·n) are the test split, the
 * rest (at least one) the training split. */
static LabDataset *
csv_split (const char   *path,
           const GArray *x,
           const GArray *y,
           gsize         dim,
           guint         n_classes,
           double        test_fraction,
           guint64       seed)
{
  gsize n = y->len, n_test = MIN ((gsize) round (test_fraction * (double) n), n - 1);
  g_autofree guint32 *perm = g_new (guint32, n);
  LabDataset *data = g_new0 (LabDataset, 1);
  LabRng rng;

  for (gsize i = 0; i < n; i++)
    perm[i] = (guint32) i;
  lab_rng_init (&rng, seed);
  lab_rng_shuffle (&rng, perm, n);

  data->name = g_path_get_basename (path);
  data->dim = dim;
  data->n_classes = n_classes;
  for (guint s = 0; s < 2; s++)
    {
      LabSplit *split = s == 0 ? &data->test : &data->train;
      const guint32 *rows = s == 0 ? perm : perm + n_test;
      gsize count = s == 0 ? n_test : n - n_test;

      split->n = count;
      split->dim = dim;
      split->x_f32 = g_new (float, MAX (count * dim, 1));
      split->y = g_new (guint8, MAX (count, 1));
      for (gsize i = 0; i < count; i++)
        {
          memcpy (split->x_f32 + i * dim,
                  &g_array_index (x, float, (gsize) rows[i] * dim),
                  dim * sizeof (float));
          split->y[i] = g_array_index (y, guint8, rows[i]);
        }
    }
  return data;
}

/* Parses @buf (@len bytes plus a NUL at buf[len], modified in place) into a dataset. */
static LabDataset *
csv_load_buffer (const char  *path,
                 char        *buf,
                 gsize        len,
                 gboolean     header,
                 int          label_column,
                 double       test_fraction,
                 guint64      seed,
                 GError     **error)
{
  g_autoptr(GArray) x = g_array_new (FALSE, FALSE, sizeof (float));
  g_autoptr(GArray) y = g_array_new (FALSE, FALSE, sizeof (guint8));
  g_autoptr(GPtrArray) cells = g_ptr_array_new ();
  CsvReader reader = { .path = path, .x = x, .y = y, .cells = cells };

  if (!isfinite (test_fraction) || test_fraction < 0 || test_fraction > CSV_MAX_TEST_FRACTION)
    {
      g_set_error (error, LAB_ENGINE_ERROR, LAB_ENGINE_ERROR_INVALID,
                   _("%s: test fraction must be in [0, %g], got %g"),
                   path, CSV_MAX_TEST_FRACTION, test_fraction);
      return NULL;
    }
  if (memchr (buf, '\0', len) != NULL)
    {
      lab_format_error (error, path, _("contains NUL bytes, not a text CSV file"));
      return NULL;
    }
  if (!csv_parse (&reader, buf, len, header, label_column, error))
    return NULL;
  if (y->len < 2)
    {
      lab_format_error (error, path, _("need at least 2 rows of data, found %u"), y->len);
      return NULL;
    }
  return csv_split (path, x, y, reader.n_cols - 1, MAX (2, reader.max_label + 1), test_fraction,
                    seed);
}

LabDataset *
lab_dataset_parse_csv (const char  *name,
                       const char  *text,
                       gsize        len,
                       gboolean     header,
                       int          label_column,
                       double       test_fraction,
                       guint64      seed,
                       GError     **error)
{
  g_autofree char *buf = NULL;

  g_return_val_if_fail (name != NULL, NULL);
  g_return_val_if_fail (text != NULL || len == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  buf = g_malloc (len + 1);
  if (len > 0)
    memcpy (buf, text, len);
  buf[len] = '\0';
  return csv_load_buffer (name, buf, len, header, label_column, test_fraction, seed, error);
}

LabDataset *
lab_dataset_load_csv (const char  *path,
                      gboolean     header,
                      int          label_column,
                      double       test_fraction,
                      guint64      seed,
                      GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *buf = NULL;
  gsize len = 0;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  /* The fraction is checked before the file is read, as before the split into a parser. */
  if (!isfinite (test_fraction) || test_fraction < 0 || test_fraction > CSV_MAX_TEST_FRACTION)
    {
      g_set_error (error, LAB_ENGINE_ERROR, LAB_ENGINE_ERROR_INVALID,
                   _("%s: test fraction must be in [0, %g], got %g"),
                   path, CSV_MAX_TEST_FRACTION, test_fraction);
      return NULL;
    }
  if (!g_file_get_contents (path, &buf, &len, &local_error))
    {
      g_set_error (error, LAB_ENGINE_ERROR, LAB_ENGINE_ERROR_IO, "%s: %s",
                   path, local_error->message);
      return NULL;
    }
  /* g_file_get_contents() NUL-terminates, as csv_load_buffer() needs. */
  return csv_load_buffer (path, buf, len, header, label_column, test_fraction, seed, error);
}
