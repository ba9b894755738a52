/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-sweep.c: the sweep's CSV, written as the sweep goes and read back. The reader is strict:
 * every row must have the header's columns, a known criterion and scope, and finite numbers in
 * range, or the file is refused whole.
 */
#define G_LOG_DOMAIN "lab-engine"
#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "lab-error.h"
#include "lab-file-replace.h"
#include "lab-prune.h"
#include "lab-sweep.h"

#define HEADER "criterion,scope,sparsity,finetune_epochs,test_accuracy,test_loss"

gboolean
lab_sweep_is_header (const char *header)
{
  return header != NULL && g_str_has_prefix (header, HEADER);
}

static gboolean
parse_number (const char *s,
              double      lo,
              double      hi,
              double     *out)
{
  char *end = NULL;
  double v;

  if (*s == '\0')
    return FALSE;
  v = g_ascii_strtod (s, &end);
  if (end == s || *end != '\0' || !isfinite (v) || v < lo || v > hi)
    return FALSE;
  *out = v;
  return TRUE;
}

/* One data line (line @line of the file), split into its @n_cols fields, into @row. */
static gboolean
parse_row (const char   *path,
           guint         line,
           char        **f,
           guint         n_cols,
           LabSweepRow  *row,
           GError      **error)
{
  LabPruneCriterion crit;
  LabPruneScope scope;
  double ft;

  if (g_strv_length (f) != n_cols)
    return lab_format_error (error, path, _("line %u: expected %u columns, found %u"), line, n_cols,
                             g_strv_length (f));
  if (!lab_prune_criterion_from_string (f[0], &crit) ||
      !lab_prune_scope_from_string (f[1], &scope))
    return lab_format_error (error, path, _("line %u: unknown criterion “%s” or scope “%s”"), line,
                             f[0], f[1]);
  g_strlcpy (row->criterion, lab_prune_criterion_to_string (crit), sizeof row->criterion);
  g_strlcpy (row->scope, lab_prune_scope_to_string (scope), sizeof row->scope);
  row->achieved_sparsity = NAN;
  if (!parse_number (f[2], 0, 1, &row->sparsity) ||
      !parse_number (f[3], 0, 100000, &ft) || ft != floor (ft) ||
      !parse_number (f[4], 0, 1, &row->test_accuracy) ||
      !parse_number (f[5], 0, G_MAXDOUBLE, &row->test_loss) ||
      (n_cols > 6 && !parse_number (f[6], 0, 1, &row->achieved_sparsity)))
    return lab_format_error (error, path, _("line %u: a number is missing, not finite or out of "
                                            "range"), line);
  row->finetune_epochs = (guint) ft;
  return TRUE;
}

GArray *
lab_sweep_load_csv (const char *path,
                    GError    **error)
{
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL, header = NULL;
  g_autoptr(GArray) rows = g_array_new (FALSE, TRUE, sizeof (LabSweepRow));
  g_autoptr(GError) local = NULL;
  gsize len;

  if (!g_file_get_contents (path, &text, &len, &local))
    {
      g_set_error (error, LAB_ENGINE_ERROR, LAB_ENGINE_ERROR_IO, "%s", local->message);
      return NULL;
    }
  if (len > 64 * 1024 * 1024 || memchr (text, '\0', len) != NULL)
    {
      lab_format_error (error, path, _("not a sweep CSV (binary or larger than 64 MiB)"));
      return NULL;
    }
  lines = g_strsplit (text, "\n", -1);
  g_strchomp (lines[0]);
  if (!lab_sweep_is_header (lines[0]))
    {
      lab_format_error (error, path, _("line 1: not a sweep CSV (expected the header %s)"), HEADER);
      return NULL;
    }
  header = g_strsplit (lines[0], ",", -1);

  for (guint i = 1; lines[i] != NULL; i++)
    {
      g_auto(GStrv) f = NULL;
      LabSweepRow row = { 0 };

      g_strchomp (lines[i]);
      if (lines[i][0] == '\0')
        continue;
      f = g_strsplit (lines[i], ",", -1);
      if (!parse_row (path, i + 1, f, g_strv_length (header), &row, error))
        return NULL;
      g_array_append_val (rows, row);
    }
  if (rows->len == 0)
    {
      lab_format_error (error, path, _("the sweep has no rows"));
      return NULL;
    }
  return g_steal_pointer (&rows);
}

/* ------------------------------------------------------------------------------------------ */
/* writing */

struct _LabSweepWriter
{
  LabFileReplace *file;
  FILE           *fp;
};

const char *
lab_sweep_format_number (char   buf[G_ASCII_DTOSTR_BUF_SIZE],
                         double v)
{
  if (!isfinite (v))
    return "nan";
  return g_ascii_formatd (buf, G_ASCII_DTOSTR_BUF_SIZE, "%.6g", v);
}

LabSweepWriter *
lab_sweep_writer_new (const char *path,
                      GError    **error)
{
  LabFileReplace *file = lab_file_replace_new (path, error);
  LabSweepWriter *w;

  if (file == NULL)
    return NULL;
  w = g_new0 (LabSweepWriter, 1);
  w->file = file;
  w->fp = lab_file_replace_stream (file);
  fputs (HEADER ",achieved_sparsity\n", w->fp);
  return w;
}

void
lab_sweep_writer_append (LabSweepWriter    *w,
                         const LabSweepRow *row)
{
  char sp[G_ASCII_DTOSTR_BUF_SIZE], acc[G_ASCII_DTOSTR_BUF_SIZE], loss[G_ASCII_DTOSTR_BUF_SIZE];
  char ach[G_ASCII_DTOSTR_BUF_SIZE];

  fprintf (w->fp, "%s,%s,%s,%u,%s,%s,%s\n", row->criterion, row->scope,
           lab_sweep_format_number (sp, row->sparsity), row->finetune_epochs,
           lab_sweep_format_number (acc, row->test_accuracy),
           lab_sweep_format_number (loss, row->test_loss),
           lab_sweep_format_number (ach, row->achieved_sparsity));
}

gboolean
lab_sweep_writer_commit (LabSweepWriter *w,
                         GError        **error)
{
  gboolean ok = lab_file_replace_commit (w->file, error);

  g_free (w);
  return ok;
}

void
lab_sweep_writer_abort (LabSweepWriter *w)
{
  if (w == NULL)
    return;
  lab_file_replace_abort (w->file);
  g_free (w);
}

gboolean
lab_sweep_write_csv (const char        *path,
                     const LabSweepRow *rows,
                     guint              n_rows,
                     GError           **error)
{
  LabSweepWriter *w = lab_sweep_writer_new (path, error);

  if (w == NULL)
    return FALSE;
  for (guint i = 0; i < n_rows; i++)
    lab_sweep_writer_append (w, &rows[i]);
  return lab_sweep_writer_commit (w, error);
}
