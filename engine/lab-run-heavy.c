/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-run-heavy.c: heavy snapshots of a run directory to and from LabHeavy (lab-run-heavy.h).
 * heavy.ini goes through LabIni like run.ini; the arrays through lab-npy, which checks the
 * header, the length and that every value is finite; this file checks them against the
 * manifest's layers.
 */
#define G_LOG_DOMAIN "lab-engine"
#include "config.h"

#include <float.h>
#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "lab-error.h"
#include "lab-file-replace.h"
#include "lab-keyfile.h"
#include "lab-npy.h"
#include "lab-run-heavy.h"

/* the input image a first linear layer reads whole: H;W or 1;H;W */
static void
set_image (LabHeavy             *heavy,
           const LabRunManifest *m)
{
  const gsize *s = m->input_shape;
  gsize h = 0, w = 0;

  if (m->n_input == 2)
    h = s[0], w = s[1];
  else if (m->n_input == 3 && s[0] == 1)
    h = s[1], w = s[2];
  if (h > 0 && h <= G_MAXUINT && w <= G_MAXUINT && m->layers[0].kind == LAB_LAYER_LINEAR &&
      m->layers[0].cols == h * w)
    {
      heavy->img_h = (guint) h;
      heavy->img_w = (guint) w;
    }
}

LabHeavy *
lab_run_heavy_new (const LabRunManifest *m,
                   gboolean              masked)
{
  LabHeavy *heavy = lab_heavy_new (m->n_layers, lab_run_manifest_n_params (m), masked);
  gsize off = 0;

  for (guint l = 0; l < m->n_layers; l++)
    {
      const LabRunLayer *ml = &m->layers[l];
      gsize n = ml->rows * ml->cols;
      LabHeavyLayer *layer = lab_heavy_set_layer (heavy, l, ml->name, ml->rows, ml->cols, off,
                                                  ml->bias ? (gssize) (off + n) : -1);

      layer->kind = ml->kind;
      memcpy (layer->kernel, ml->kernel, sizeof layer->kernel);
      layer->act = ml->act;
      layer->act_known = ml->act_known;
      off += n + (ml->bias ? ml->rows : 0);
    }
  set_image (heavy, m);
  return heavy;
}

gboolean
lab_run_heavy_parse_name (const char *name,
                          guint64    *step)
{
  return name[0] != '.' && lab_parse_u64 (name, step);
}

/* ------------------------------------------------------------------------------------------ */
/* heavy.ini */

static gboolean
parse_histogram (const LabIni  *ini,
                 const char    *group,
                 const char    *prefix,
                 LabHistogram  *h,
                 GError       **error)
{
  char k_lo[32], k_hi[32], k_counts[32], k_nonfinite[32];
  guint64 counts[LAB_HIST_BINS], nonfinite = 0;
  double lo = 0, hi = 0;
  guint n = 0;

  g_snprintf (k_lo, sizeof k_lo, "%s_lo", prefix);
  g_snprintf (k_hi, sizeof k_hi, "%s_hi", prefix);
  g_snprintf (k_counts, sizeof k_counts, "%s_counts", prefix);
  g_snprintf (k_nonfinite, sizeof k_nonfinite, "%s_nonfinite", prefix);
  if (!g_key_file_has_key (ini->kf, group, k_counts, NULL))
    return TRUE;   /* the writer had no histogram for this layer */
  if (!lab_ini_get_double (ini, group, k_lo, TRUE, &lo, error) ||
      !lab_ini_get_double (ini, group, k_hi, TRUE, &hi, error) ||
      !lab_ini_get_uint_list (ini, group, k_counts, 0, G_MAXUINT32, LAB_HIST_BINS,
                              LAB_HIST_BINS, TRUE, counts, &n, error) ||
      !lab_ini_get_uint (ini, group, k_nonfinite, 0, G_MAXUINT32, FALSE, &nonfinite, error))
    return FALSE;
  if (fabs (lo) > FLT_MAX || fabs (hi) > FLT_MAX || !((float) lo < (float) hi))
    return lab_ini_fail (ini, group, k_hi, NULL, error, _("the range [%s, %s) must have %s < "
                                                          "%s, both within a float's range"),
                         k_lo, k_hi, k_lo, k_hi);
  h->lo = (float) lo;
  h->hi = (float) hi;
  for (guint b = 0; b < LAB_HIST_BINS; b++)
    h->count[b] = (guint) counts[b];
  h->nonfinite = (guint) nonfinite;
  return TRUE;
}

static gboolean
parse_heavy_ini (const LabIni  *ini,
                 LabHeavy      *heavy,
                 GError       **error)
{
  g_auto(GStrv) groups = g_key_file_get_groups (ini->kf, NULL);

  if (!g_key_file_has_group (ini->kf, "heavy"))
    return lab_format_error (error, ini->name, _("no [heavy] group"));
  if (!lab_ini_get_uint (ini, "heavy", "step", 0, G_MAXINT64, TRUE, &heavy->step, error))
    return FALSE;
  for (guint g = 0; groups[g] != NULL; g++)
    {
      guint64 l;

      if (!g_str_has_prefix (groups[g], "layer") || !lab_parse_u64 (groups[g] + 5, &l))
        continue;
      if (l >= heavy->n_layers)
        return lab_format_error (error, ini->name, _("[%s]: the run has %u layers (run.ini)"),
                                 groups[g], heavy->n_layers);
      if (!parse_histogram (ini, groups[g], "act", &heavy->layers[l].act_hist, error) ||
          !parse_histogram (ini, groups[g], "grad", &heavy->layers[l].grad_hist, error))
        return FALSE;
    }
  return TRUE;
}

gboolean
lab_run_heavy_parse_ini (LabHeavy    *heavy,
                         const char  *data,
                         gsize        len,
                         const char  *name,
                         GError     **error)
{
  LabIni ini = { NULL };
  gboolean ok;

  g_return_val_if_fail (heavy != NULL, FALSE);
  g_return_val_if_fail (data != NULL || len == 0, FALSE);

  ok = lab_ini_load (&ini, data ? data : "", len, name, error) &&
       parse_heavy_ini (&ini, heavy, error);
  lab_ini_clear (&ini);
  return ok;
}

static void
put_float (GString *s,
           float    v)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  /* 9 significant digits read back to the same float */
  g_string_append (s, g_ascii_formatd (buf, sizeof buf, "%.9g", v));
}

static void
put_histogram (GString            *s,
               const char         *prefix,
               const LabHistogram *h)
{
  g_string_append_printf (s, "%s_lo=", prefix);
  put_float (s, h->lo);
  g_string_append_printf (s, "\n%s_hi=", prefix);
  put_float (s, h->hi);
  g_string_append_printf (s, "\n%s_counts=", prefix);
  for (guint b = 0; b < LAB_HIST_BINS; b++)
    g_string_append_printf (s, "%s%u", b ? ";" : "", h->count[b]);
  g_string_append_printf (s, "\n%s_nonfinite=%u\n", prefix, h->nonfinite);
}

char *
lab_run_heavy_ini_to_data (const LabHeavy *heavy,
                           gsize          *len)
{
  GString *s = g_string_new (NULL);

  g_string_append_printf (s, "[heavy]\nstep=%" G_GUINT64_FORMAT "\n", heavy->step);
  for (guint l = 0; l < heavy->n_layers; l++)
    {
      const LabHeavyLayer *layer = &heavy->layers[l];

      g_string_append_printf (s, "\n[layer%u]\n", l);
      /* an empty histogram (never filled) is left out, as a writer without one does */
      if (layer->act_hist.lo < layer->act_hist.hi)
        put_histogram (s, "act", &layer->act_hist);
      if (layer->grad_hist.lo < layer->grad_hist.hi)
        put_histogram (s, "grad", &layer->grad_hist);
    }
  if (len != NULL)
    *len = s->len;
  return g_string_free (s, FALSE);
}

/* ------------------------------------------------------------------------------------------ */
/* the arrays */

/* What an array of a heavy snapshot holds, for the messages. */
typedef enum
{
  ARRAY_WEIGHTS,
  ARRAY_BIAS,
  ARRAY_MASK,
} ArrayKind;

static gboolean
shape_error (GError     **error,
             const char  *path,
             ArrayKind    kind,
             gsize        rows,
             gsize        cols,
             guint        l,
             const char  *expected)
{
  g_autofree char *got = cols ? g_strdup_printf ("%zu×%zu", rows, cols)
                              : g_strdup_printf ("%zu", rows);

  /* Translators: a shape found ("3×4"), the layer's number, the shape expected ("4×3", or "a
   * vector of 4") */
  if (kind == ARRAY_WEIGHTS)
    return lab_format_error (error, path, _("weights of shape %s, but run.ini says [layer%u] is "
                                            "%s"), got, l, expected);
  if (kind == ARRAY_BIAS)
    return lab_format_error (error, path, _("bias of shape %s, but run.ini says [layer%u] is %s"),
                             got, l, expected);
  return lab_format_error (error, path, _("mask of shape %s, but run.ini says [layer%u] is %s"),
                           got, l, expected);
}

/* Reads @path into @dst: (rows, cols) when @cols > 0, else a vector of @rows. */
static gboolean
load_array (const char  *path,
            ArrayKind    kind,
            guint        l,
            float       *dst,
            gsize        rows,
            gsize        cols,
            GError     **error)
{
  g_autofree float *data = NULL;
  g_autofree char *expected = NULL;
  gsize r = 0, c = 0;

  data = lab_npy_load (path, &r, &c, error);
  if (data == NULL)
    return FALSE;
  if (cols > 0 ? (r != rows || c != cols) : (r * MAX (c, 1) != rows || MIN (r, MAX (c, 1)) != 1))
    {
      expected = cols ? g_strdup_printf ("%zu×%zu", rows, cols)
                      : g_strdup_printf (_("a vector of %zu"), rows);
      return shape_error (error, path, kind, r, c, l, expected);
    }
  memcpy (dst, data, rows * MAX (cols, 1) * sizeof (float));
  return TRUE;
}

static gboolean
load_layer (LabHeavy              *heavy,
            const LabRunManifest  *m,
            const char            *dir,
            guint                  l,
            GError               **error)
{
  LabHeavyLayer *layer = &heavy->layers[l];
  const LabRunLayer *ml = &m->layers[l];
  g_autofree char *w = g_strdup_printf ("%s/W%u.npy", dir, l);
  g_autofree char *b = g_strdup_printf ("%s/B%u.npy", dir, l);
  g_autofree char *mk = g_strdup_printf ("%s/M%u.npy", dir, l);
  gsize n = ml->rows * ml->cols;

  if (!load_array (w, ARRAY_WEIGHTS, l, layer->weight, ml->rows, ml->cols, error))
    return FALSE;
  if (ml->bias && !load_array (b, ARRAY_BIAS, l, layer->bias, ml->rows, 0, error))
    return FALSE;
  if (!ml->bias && g_file_test (b, G_FILE_TEST_EXISTS))
    return lab_format_error (error, b, _("a bias, but run.ini says [layer%u] has none"), l);
  if (layer->mask != NULL && !g_file_test (mk, G_FILE_TEST_EXISTS))
    layer->mask = NULL;   /* dense */
  if (layer->mask == NULL)
    return TRUE;
  if (!load_array (mk, ARRAY_MASK, l, layer->mask, ml->rows, ml->cols, error))
    return FALSE;
  for (gsize i = 0; i < n; i++)
    if (layer->mask[i] != 0.0f && layer->mask[i] != 1.0f)
      return lab_format_error (error, mk, _("value %g at %zu: a mask holds only 0 (pruned) and "
                                            "1 (kept)"), layer->mask[i], i);
  layer->sparsity = lab_mask_sparsity (layer->mask, n);
  return TRUE;
}

static gboolean
any_mask (const LabRunManifest *m,
          const char           *dir)
{
  for (guint l = 0; l < m->n_layers; l++)
    {
      g_autofree char *path = g_strdup_printf ("%s/M%u.npy", dir, l);

      if (g_file_test (path, G_FILE_TEST_EXISTS))
        return TRUE;
    }
  return FALSE;
}

LabHeavy *
lab_run_heavy_load (const LabRunManifest  *m,
                    const char            *dir,
                    GError               **error)
{
  g_autofree char *ini_path = g_build_filename (dir, "heavy.ini", NULL);
  g_autofree char *text = NULL;
  g_autoptr(GError) local = NULL;
  LabHeavy *heavy;
  gsize len = 0;

  if (!g_file_get_contents (ini_path, &text, &len, &local))
    {
      g_set_error (error, LAB_ENGINE_ERROR, LAB_ENGINE_ERROR_IO, "%s", local->message);
      return NULL;
    }
  heavy = lab_run_heavy_new (m, any_mask (m, dir));
  if (!lab_run_heavy_parse_ini (heavy, text, len, ini_path, error))
    goto failed;
  for (guint l = 0; l < m->n_layers; l++)
    if (!load_layer (heavy, m, dir, l, error))
      goto failed;
  return heavy;

failed:
  lab_heavy_free (heavy);
  return NULL;
}

gboolean
lab_run_heavy_save (const LabHeavy  *heavy,
                    const char      *dir,
                    GError         **error)
{
  g_autofree char *ini_path = g_build_filename (dir, "heavy.ini", NULL);
  g_autofree char *text = NULL;
  gsize len;

  text = lab_run_heavy_ini_to_data (heavy, &len);
  if (!lab_file_replace_contents (ini_path, text, len, error))
    return FALSE;
  for (guint l = 0; l < heavy->n_layers; l++)
    {
      const LabHeavyLayer *layer = &heavy->layers[l];
      g_autofree char *w = g_strdup_printf ("%s/W%u.npy", dir, l);
      g_autofree char *b = g_strdup_printf ("%s/B%u.npy", dir, l);
      g_autofree char *mk = g_strdup_printf ("%s/M%u.npy", dir, l);

      if (!lab_npy_save (w, layer->weight, layer->rows, layer->cols, error) ||
          (layer->bias && !lab_npy_save (b, layer->bias, layer->rows, 0, error)) ||
          (layer->mask && !lab_npy_save (mk, layer->mask, layer->rows, layer->cols, error)))
        return FALSE;
    }
  return TRUE;
}
