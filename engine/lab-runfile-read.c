/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-runfile-read.c: the reader of .gradlab run files (format in lab-runfile.h). It works on
 * the file's bytes in memory and trusts nothing: every length is checked against what is left
 * before anything is read or allocated, one parser per section, and any failure is a
 * LAB_ENGINE_ERROR_FORMAT that names the file and the problem.
 */
#define G_LOG_DOMAIN "lab-engine"
#include "config.h"

#include <glib/gi18n-lib.h>
#include <inttypes.h>
#include <math.h>
#include <string.h>

#include "lab-error.h"
#include "lab-record.h"
#include "lab-rowlog-private.h"
#include "lab-runfile-private.h"

typedef struct
{
  const guint8 *p;
  gsize         len;
  gsize         pos;
} Reader;

static guint32
get_u32 (Reader *r)
{
  guint32 v;
  g_assert (r->pos + 4 <= r->len);
  memcpy (&v, r->p + r->pos, 4);
  r->pos += 4;
  return GUINT32_FROM_LE (v);
}

static guint64
get_u64 (Reader *r)
{
  guint64 v;
  g_assert (r->pos + 8 <= r->len);
  memcpy (&v, r->p + r->pos, 8);
  r->pos += 8;
  return GUINT64_FROM_LE (v);
}

static double
get_f64 (Reader *r)
{
  guint64 bits = get_u64 (r);
  double v;
  memcpy (&v, &bits, 8);
  return v;
}

static float
get_f32 (Reader *r)
{
  guint32 bits = get_u32 (r);
  float v;
  memcpy (&v, &bits, 4);
  return v;
}

typedef struct
{
  const guint8 *data;
  gsize         len;
  gboolean      found;
} Section;

enum { SEC_CONF, SEC_LAYT, SEC_STAT, SEC_PARM, SEC_MASK, SEC_ROWS, SEC_SWEP, SEC_LOTT, N_SEC };
static const char *sec_tags[N_SEC] = {
  "CONF", "LAYT", "STAT", "PARM", "MASK", "ROWS", "SWEP", "LOTT",
};

/* the sections a file may lack */
static gboolean
sec_optional (int k)
{
  return k == SEC_MASK || k == SEC_SWEP || k == SEC_LOTT;
}

static char *
printable_tag (const guint8 *t)
{
  char s[5];
  for (int i = 0; i < 4; i++)
    s[i] = g_ascii_isprint (t[i]) ? (char) t[i] : '?';
  s[4] = 0;
  return g_strdup (s);
}

static float *
read_floats (const Section *s,
             gsize          n)
{
  Reader r = { s->data, s->len, 0 };
  float *v = g_new (float, n);

  for (gsize i = 0; i < n; i++)
    v[i] = get_f32 (&r);
  return v;
}

/* One section at r->pos (section @i of @n): checks its length and CRC and files it in @sec. */
static gboolean
read_section (Reader      *r,
              guint        i,
              guint        n,
              Section      sec[N_SEC],
              const char  *name,
              GError     **error)
{
  const guint8 *tag;
  g_autofree char *shown = NULL;
  guint32 flags, crc;
  guint64 length;
  int which = -1;

  if (r->len - r->pos < SECTION_HEAD)
    return lab_format_error (error, name, _("truncated: section %u of %u is missing (file ends "
                                            "at byte %zu)"), i + 1, n, r->len);
  tag = r->p + r->pos;
  shown = printable_tag (tag);
  r->pos += 4;
  flags = get_u32 (r);
  length = get_u64 (r);
  if (length > r->len - r->pos || r->len - r->pos - length < 4)
    return lab_format_error (error, name, _("truncated: section “%s” claims %" PRIu64 " bytes "
                                            "but %zu are left"), shown, length,
                             r->len - r->pos);
  for (int k = 0; k < N_SEC; k++)
    if (memcmp (tag, sec_tags[k], 4) == 0)
      which = k;
  {
    Reader c = { r->p, r->len, r->pos + (gsize) length };
    crc = get_u32 (&c);
  }
  if (crc != _lab_run_crc_update (0, r->p + r->pos, (gsize) length))
    return lab_format_error (error, name, _("section “%s” is corrupt (checksum mismatch)"), shown);
  if (which < 0 && !(flags & FLAG_OPTIONAL))
    return lab_format_error (error, name, _("unknown section “%s” (written by a newer version?)"),
                             shown);
  if (which >= 0)
    {
      if (sec[which].found)
        return lab_format_error (error, name, _("section “%s” appears twice"), sec_tags[which]);
      sec[which] = (Section) { r->p + r->pos, (gsize) length, TRUE };
    }
  r->pos += (gsize) length + 4;
  return TRUE;
}

/* The container: signature, version, every section whole, nothing after them. */
static gboolean
read_sections (const char   *name,
               const guint8 *bytes,
               gsize         len,
               Section       sec[N_SEC],
               GError      **error)
{
  Reader r = { bytes, len, 8 };
  guint32 version, n_sections;

  if (len < 16 || memcmp (bytes, LAB_RUN_MAGIC, 8) != 0)
    return lab_format_error (error, name, _("not a Gradient Lab run file (no GRADLAB signature)"));
  version = get_u32 (&r);
  n_sections = get_u32 (&r);
  if (version != LAB_RUN_FILE_VERSION)
    return lab_format_error (error, name, _("run file version %u is not supported (this program "
                                            "reads version %u)"), version, LAB_RUN_FILE_VERSION);
  if (n_sections > 64)
    return lab_format_error (error, name, _("%u sections is implausible (corrupt header)"),
                             n_sections);
  for (guint i = 0; i < n_sections; i++)
    if (!read_section (&r, i, n_sections, sec, name, error))
      return FALSE;
  if (r.pos != len)
    return lab_format_error (error, name, _("%zu unexpected bytes after the last section"),
                             len - r.pos);
  for (int k = 0; k < N_SEC; k++)
    if (!sec_optional (k) && !sec[k].found)
      return lab_format_error (error, name, _("the required section “%s” is missing"),
                               sec_tags[k]);
  return TRUE;
}

static gboolean
parse_settings (LabRun        *run,
                const Section *s,
                const char    *name,
                GError       **error)
{
  g_autoptr(GError) cfg_error = NULL;

  if (memchr (s->data, 0, s->len) != NULL ||
      !g_utf8_validate ((const char *) s->data, (gssize) s->len, NULL))
    return lab_format_error (error, name, _("the settings are not UTF-8 text"));
  run->config_text = g_strndup ((const char *) s->data, s->len);
  if (!lab_config_load_data (&run->config, run->config_text, s->len, NULL, &cfg_error) ||
      !lab_config_validate (&run->config, &cfg_error))
    return lab_format_error (error, name, _("the saved settings are invalid: %s"),
                             cfg_error->message);
  return TRUE;
}

/* The layer sizes against the settings: depth, widths (narrower only if compacted), outputs. */
static gboolean
check_layout_fits (const LabRun *run,
                   const char   *name,
                   GError      **error)
{
  const LabConfig *cfg = &run->config;
  gsize n_out = run->sizes[run->n_layers];

  if (run->n_layers != cfg->model.n_hidden + 1)
    return lab_format_error (error, name, _("the weights have %u layers but the settings "
                                            "describe %u"),
                             run->n_layers, cfg->model.n_hidden + 1);
  for (guint k = 1; k < run->n_layers; k++)
    {
      gsize want = cfg->model.hidden[k - 1];
      /* a compacted network (prune.compact) has lost pruned neurons: narrower, never wider */
      if (run->sizes[k] != want && !(cfg->prune.compact && run->sizes[k] < want))
        return lab_format_error (error, name, _("hidden layer %u has %zu units but the settings "
                                                "say %zu"), k, run->sizes[k], want);
    }
  if (n_out < 2 || n_out > LAB_MAX_CLASSES)
    return lab_format_error (error, name, _("%zu outputs is out of range 2 to %d"),
                             n_out, LAB_MAX_CLASSES);
  if (lab_data_source_is_plane (cfg->data.source) &&
      (run->sizes[0] != 2 || n_out != cfg->data.n_classes))
    return lab_format_error (error, name, _("the weights are for %zu inputs and %zu classes, "
                                            "the 2-D data has 2 and %u"), run->sizes[0],
                             n_out, cfg->data.n_classes);
  return TRUE;
}

static gboolean
parse_layout (LabRun        *run,
              const Section *s,
              const char    *name,
              GError       **error)
{
  Reader l = { s->data, s->len, 0 };
  gsize want;

  if (l.len < 8)
    return lab_format_error (error, name, _("the layout section is too short"));
  run->n_layers = get_u32 (&l);
  get_u32 (&l);
  if (run->n_layers < 1 || run->n_layers > LAB_MAX_LAYERS)
    return lab_format_error (error, name, _("%u layers is out of range 1 to %d"), run->n_layers,
                             LAB_MAX_LAYERS);
  want = 8 + 8 * ((gsize) run->n_layers + 1);
  if (l.len != want)
    return lab_format_error (error, name, _("the layout section has %zu bytes, expected %zu for "
                                            "%u layers"), l.len, want,
                             run->n_layers);
  for (guint k = 0; k <= run->n_layers; k++)
    {
      guint64 size = get_u64 (&l);
      if (size < 1 || size > LAB_MAX_INPUT)
        return lab_format_error (error, name, _("layer size %" PRIu64 " is out of range"),
                                 size);
      run->sizes[k] = (gsize) size;
    }
  if (!check_layout_fits (run, name, error))
    return FALSE;
  run->n_params = lab_run_count_params (run->n_layers, run->sizes);
  if (run->n_params == 0)
    return lab_format_error (error, name, _("the network is too large (over %d parameters)"),
                             LAB_MAX_PARAMS);
  return TRUE;
}

static gboolean
parse_state (LabRun        *run,
             const Section *s,
             const char    *name,
             GError       **error)
{
  Reader r = { s->data, s->len, 0 };

  if (r.len != 40)
    return lab_format_error (error, name, _("the state section has %zu bytes, expected 40"), r.len);
  run->step = get_u64 (&r);
  run->epoch = get_u32 (&r);
  get_u32 (&r);
  run->eval_step = get_u64 (&r);
  run->test_loss = get_f64 (&r);
  run->test_accuracy = get_f64 (&r);
  if (run->step > G_MAXINT64 || run->eval_step > run->step)
    return lab_format_error (error, name, _("the saved step counters are inconsistent"));
  return TRUE;
}

static gboolean
parse_weights (LabRun        *run,
               const Section *parm,
               const Section *mask,
               const char    *name,
               GError       **error)
{
  if (parm->len / 4 != run->n_params || parm->len % 4 != 0)
    return lab_format_error (error, name, _("the weights section holds %zu bytes but the layout "
                                            "needs %zu parameters (%zu bytes)"),
                             parm->len, run->n_params, run->n_params * 4);
  run->params = read_floats (parm, run->n_params);
  for (gsize i = 0; i < run->n_params; i++)
    if (!isfinite (run->params[i]))
      return isnan (run->params[i]) ? lab_format_error (error, name, _("weight %zu is NaN"), i)
                                    : lab_format_error (error, name, _("weight %zu is infinite"),
                                                        i);
  if (!mask->found)
    return TRUE;
  if (mask->len / 4 != run->n_params || mask->len % 4 != 0)
    return lab_format_error (error, name, _("the mask section holds %zu bytes but the layout "
                                            "needs %zu values"), mask->len,
                             run->n_params);
  run->mask = read_floats (mask, run->n_params);
  for (gsize i = 0; i < run->n_params; i++)
    if (run->mask[i] != 0.0f && run->mask[i] != 1.0f)
      return lab_format_error (error, name, _("mask value %zu is %g, not 0 or 1"), i,
                               run->mask[i]);
  return TRUE;
}

/* One row record (put_row()'s layout) into @st. */
static void
get_row (Reader       *r,
         guint         n_layers,
         LabStepStats *st)
{
  guint n, n_layer;
  const LabRecordField *f = lab_record_step_fields (&n);
  const LabRecordLayerField *lf = lab_record_layer_fields (&n_layer);

  memset (st, 0, sizeof *st);
  st->n_layers = n_layers;
  for (guint i = 0; i < n; i++)
    switch (f[i].type)
      {
      case LAB_RECORD_U64: G_STRUCT_MEMBER (guint64, st, f[i].offset) = get_u64 (r); break;
      case LAB_RECORD_U32: G_STRUCT_MEMBER (guint32, st, f[i].offset) = get_u32 (r); break;
      case LAB_RECORD_F64:
      default: G_STRUCT_MEMBER (double, st, f[i].offset) = get_f64 (r); break;
      }
  get_f64 (r);   /* reserved */
  for (guint l = 0; l < n_layers; l++)
    for (guint k = 0; k < n_layer; k++)
      G_STRUCT_MEMBER (float, &st->layer[l], lf[k].offset) = get_f32 (r);
}

static gboolean
parse_rows (LabRun        *run,
            const Section *s,
            const char    *name,
            GError       **error)
{
  Reader w = { s->data, s->len, 0 };
  guint n_layers, stride;
  guint64 n_rows, seen, prev = 0;
  gsize rb;

  if (w.len < 24)
    return lab_format_error (error, name, _("the metrics section is too short"));
  n_layers = get_u32 (&w);
  stride = get_u32 (&w);
  n_rows = get_u64 (&w);
  seen = get_u64 (&w);
  if (n_layers != run->n_layers)
    return lab_format_error (error, name, _("the metrics rows have %u layers but the weights %u"),
                             n_layers, run->n_layers);
  if (stride == 0 || (stride & (stride - 1)) != 0)
    return lab_format_error (error, name, _("the metrics stride %u is not a power of two"), stride);
  rb = _lab_run_row_bytes (n_layers);
  if (n_rows > LAB_ROW_LOG_MAX_ROWS || n_rows > (w.len - 24) / rb || w.len - 24 != n_rows * rb)
    return lab_format_error (error, name, _("the metrics section holds %zu bytes, which is not "
                                            "%" PRIu64 " rows of %zu bytes"), w.len, n_rows, rb);
  if (seen < n_rows)
    return lab_format_error (error, name, _("the metrics counters are inconsistent"));

  run->rows = lab_row_log_new (n_layers);
  for (guint64 i = 0; i < n_rows; i++)
    {
      LabStepStats st;

      get_row (&w, n_layers, &st);
      if (st.step <= prev || st.step > run->step)
        return lab_format_error (error, name, _("metrics row %" PRIu64 " has step %" PRIu64 ", "
                                                "out of order (previous %" PRIu64 ", run at "
                                                "step %" PRIu64 ")"), i + 1, st.step, prev,
                                 run->step);
      prev = st.step;
      _lab_row_log_push (run->rows, &st);
    }
  _lab_row_log_set_state (run->rows, stride, seen);
  return TRUE;
}

/* ------------------------------------------------------------------------------------------ */
/* experiment results */

/* Results never hold more than this many points or rounds (a sweep of 4 criteria × 100
 * sparsities is 400; the CLI allows 100 lottery rounds). */
#define MAX_RESULTS 100000

static gboolean
is_fraction (double v)
{
  return v >= 0.0 && v <= 1.0;
}

/* NaN (not known) or a fraction. */
static gboolean
is_fraction_or_nan (double v)
{
  return isnan (v) || is_fraction (v);
}

/* NaN (not known, or diverged) or ≥ 0, +inf included. */
static gboolean
is_loss (double v)
{
  return isnan (v) || v >= 0.0;
}

/* The header of SWEP or LOTT: the dense numbers into @accuracy and @loss, the record count
 * checked against the section's length. */
static gboolean
get_results_head (Reader     *r,
                  const char *tag,
                  gsize       record,
                  double     *accuracy,
                  double     *loss,
                  guint      *n,
                  const char *name,
                  GError    **error)
{
  if (r->len < RESULTS_HEAD_BYTES)
    return lab_format_error (error, name, "section “%s” is too short", tag);
  *accuracy = get_f64 (r);
  *loss = get_f64 (r);
  *n = get_u32 (r);
  get_u32 (r);
  if (*n > MAX_RESULTS || r->len - RESULTS_HEAD_BYTES != (gsize) *n * record)
    return lab_format_error (error, name, "section “%s” holds %" G_GSIZE_FORMAT " bytes, which "
                             "is not %u records of %" G_GSIZE_FORMAT " bytes", tag, r->len, *n,
                             record);
  if (!is_fraction_or_nan (*accuracy) || !is_loss (*loss))
    return lab_format_error (error, name, "section “%s”: the dense test numbers are out of range",
                             tag);
  return TRUE;
}

/* A NUL-padded name of @n bytes into @out (as many bytes); FALSE if it has no NUL. */
static gboolean
get_name (Reader *r,
          char   *out,
          gsize   n)
{
  g_assert (r->pos + n <= r->len);
  memcpy (out, r->p + r->pos, n);
  r->pos += n;
  return memchr (out, '\0', n) != NULL;
}

static gboolean
parse_sweep (LabExperimentResults *results,
             const Section        *s,
             const char           *name,
             GError              **error)
{
  Reader r = { s->data, s->len, 0 };
  guint n;

  if (!get_results_head (&r, "SWEP", SWEEP_ROW_BYTES, &results->sweep_dense_accuracy,
                         &results->sweep_dense_loss, &n, name, error))
    return FALSE;
  for (guint i = 0; i < n; i++)
    {
      LabSweepRow p = { 0 };
      LabPruneCriterion crit;
      LabPruneScope scope;
      gboolean named = get_name (&r, p.criterion, sizeof p.criterion) &&
                       get_name (&r, p.scope, sizeof p.scope);

      p.sparsity = get_f64 (&r);
      p.finetune_epochs = get_u32 (&r);
      get_u32 (&r);
      p.test_accuracy = get_f64 (&r);
      p.test_loss = get_f64 (&r);
      p.achieved_sparsity = get_f64 (&r);
      if (!named || !lab_prune_criterion_from_string (p.criterion, &crit) ||
          !lab_prune_scope_from_string (p.scope, &scope))
        return lab_format_error (error, name, "sweep point %u: unknown criterion or scope", i + 1);
      if (!is_fraction (p.sparsity) || !is_fraction (p.test_accuracy) || !is_loss (p.test_loss) ||
          !is_fraction_or_nan (p.achieved_sparsity))
        return lab_format_error (error, name, "sweep point %u: a number is out of range", i + 1);
      g_array_append_val (results->sweep, p);
    }
  return TRUE;
}

static gboolean
parse_lottery (LabExperimentResults *results,
               const Section        *s,
               const char           *name,
               GError              **error)
{
  Reader r = { s->data, s->len, 0 };
  guint n;

  if (!get_results_head (&r, "LOTT", LOTTERY_ROUND_BYTES, &results->lottery_dense_accuracy,
                         &results->lottery_dense_loss, &n, name, error))
    return FALSE;
  for (guint i = 0; i < n; i++)
    {
      LabLotteryRound p = { 0 };

      p.round = get_u32 (&r);
      get_u32 (&r);
      p.sparsity = get_f64 (&r);
      p.test_accuracy = get_f64 (&r);
      p.test_loss = get_f64 (&r);
      p.control_accuracy = get_f64 (&r);
      p.control_loss = get_f64 (&r);
      if (p.round != i + 1)
        return lab_format_error (error, name, "lottery round %u is numbered %u", i + 1, p.round);
      if (!is_fraction (p.sparsity) || !is_fraction (p.test_accuracy) || !is_loss (p.test_loss) ||
          !is_fraction_or_nan (p.control_accuracy) || !is_loss (p.control_loss))
        return lab_format_error (error, name, "lottery round %u: a number is out of range", i + 1);
      g_array_append_val (results->lottery, p);
    }
  return TRUE;
}

LabRun *
lab_run_parse (const char   *name,
               const guint8 *bytes,
               gsize         len,
               GError      **error)
{
  g_autoptr(LabRun) run = NULL;
  Section sec[N_SEC] = { { 0 } };

  g_return_val_if_fail (name != NULL, NULL);
  g_return_val_if_fail (bytes != NULL || len == 0, NULL);

  _lab_run_crc_init ();
  _lab_run_check_record_tables ();
  if (!read_sections (name, bytes, len, sec, error))
    return NULL;
  run = lab_run_new ();
  if (!parse_settings (run, &sec[SEC_CONF], name, error) ||
      !parse_layout (run, &sec[SEC_LAYT], name, error) ||
      !parse_state (run, &sec[SEC_STAT], name, error) ||
      !parse_weights (run, &sec[SEC_PARM], &sec[SEC_MASK], name, error) ||
      !parse_rows (run, &sec[SEC_ROWS], name, error) ||
      (sec[SEC_SWEP].found && !parse_sweep (&run->results, &sec[SEC_SWEP], name, error)) ||
      (sec[SEC_LOTT].found && !parse_lottery (&run->results, &sec[SEC_LOTT], name, error)))
    return NULL;
  return g_steal_pointer (&run);
}

LabRun *
lab_run_load (const char *path,
              GError    **error)
{
  g_autoptr(GMappedFile) map = NULL;
  g_autoptr(GError) local = NULL;

  g_return_val_if_fail (path != NULL, NULL);

  map = g_mapped_file_new (path, FALSE, &local);
  if (map == NULL)
    {
      g_set_error (error, LAB_ENGINE_ERROR, LAB_ENGINE_ERROR_IO, _("%s: could not open: %s"),
                   path, local->message);
      return NULL;
    }
  return lab_run_parse (path, (const guint8 *) g_mapped_file_get_contents (map),
                        g_mapped_file_get_length (map), error);
}
