/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-sweep.c: parser of sweep results. Strict: every row must have the header's columns, a
 * known criterion and scope, and finite numbers in range, or the file is refused whole.
 */
#define G_LOG_DOMAIN "lab-engine"
#include "config.h"

#include <math.h>
#include <string.h>

#include "lab-error.h"
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

GArray *
lab_sweep_load_csv (const char *path,
                    GError    **error)
{
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GArray) rows = g_array_new (FALSE, TRUE, sizeof (LabSweepRow));
  g_autoptr(GError) local = NULL;
  gsize len;
  guint n_cols;

  if (!g_file_get_contents (path, &text, &len, &local))
    {
      g_set_error (error, LAB_ENGINE_ERROR, LAB_ENGINE_ERROR_IO, "%s", local->message);
      return NULL;
    }
  if (len > 64 * 1024 * 1024 || memchr (text, '\0', len) != NULL)
    {
      g_set_error (error, LAB_ENGINE_ERROR, LAB_ENGINE_ERROR_FORMAT,
                   "%s: not a sweep CSV (binary or larger than 64 MiB)", path);
      return NULL;
    }
  lines = g_strsplit (text, "\n", -1);
  g_strchomp (lines[0]);
  if (!lab_sweep_is_header (lines[0]))
    {
      g_set_error (error, LAB_ENGINE_ERROR, LAB_ENGINE_ERROR_FORMAT,
                   "%s: line 1: not a sweep CSV (expected the header %s)", path, HEADER);
      return NULL;
    }
  {
    g_auto(GStrv) h = g_strsplit (lines[0], ",", -1);
    n_cols = g_strv_length (h);
  }

  for (guint i = 1; lines[i] != NULL; i++)
    {
      g_auto(GStrv) f = NULL;
      LabSweepRow row = { 0 };
      LabPruneCriterion crit;
      LabPruneScope scope;
      double ft;

      g_strchomp (lines[i]);
      if (lines[i][0] == '\0')
        continue;
      f = g_strsplit (lines[i], ",", -1);
      if (g_strv_length (f) != n_cols)
        {
          g_set_error (error, LAB_ENGINE_ERROR, LAB_ENGINE_ERROR_FORMAT,
                       "%s: line %u: expected %u columns, found %u", path, i + 1, n_cols,
                       g_strv_length (f));
          return NULL;
        }
      if (!lab_prune_criterion_from_string (f[0], &crit) ||
          !lab_prune_scope_from_string (f[1], &scope))
        {
          g_set_error (error, LAB_ENGINE_ERROR, LAB_ENGINE_ERROR_FORMAT,
                       "%s: line %u: unknown criterion “%s” or scope “%s”", path, i + 1, f[0],
                       f[1]);
          return NULL;
        }
      g_strlcpy (row.criterion, lab_prune_criterion_to_string (crit), sizeof row.criterion);
      g_strlcpy (row.scope, lab_prune_scope_to_string (scope), sizeof row.scope);
      row.achieved_sparsity = NAN;
      if (!parse_number (f[2], 0, 1, &row.sparsity) ||
          !parse_number (f[3], 0, 100000, &ft) || ft != floor (ft) ||
          !parse_number (f[4], 0, 1, &row.test_accuracy) ||
          !parse_number (f[5], 0, G_MAXDOUBLE, &row.test_loss) ||
          (n_cols > 6 && !parse_number (f[6], 0, 1, &row.achieved_sparsity)))
        {
          g_set_error (error, LAB_ENGINE_ERROR, LAB_ENGINE_ERROR_FORMAT,
                       "%s: line %u: a number is missing, not finite or out of range", path,
                       i + 1);
          return NULL;
        }
      row.finetune_epochs = (guint) ft;
      g_array_append_val (rows, row);
    }
  if (rows->len == 0)
    {
      g_set_error (error, LAB_ENGINE_ERROR, LAB_ENGINE_ERROR_FORMAT,
                   "%s: the sweep has no rows", path);
      return NULL;
    }
  return g_steal_pointer (&rows);
}
