/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-run-rows.c: rows.jsonl into LabStepStats (lab-run-rows.h). Each line goes through one
 * reused JsonParser (json-glib); the keys come from lab-record's tables, the same ones
 * lab_record_json_row() writes, so the reader and our writer cannot drift apart.
 *
 * A line is first scanned for its shape, because of two bugs of json-glib 1.6: it parses
 * recursively and overflows the stack on deep nesting (a line of 100000 '[' crashes it; a row is
 * never nested deeper than two, an object of arrays), and it takes several values in a row as
 * one document and leaks all but one of them (found by fuzzing: `true{"step":4}`). So a line
 * must be one object, nested at most MAX_DEPTH deep, before json-glib sees it.
 *
 * json-glib is nearly all the cost of reading (perf: its parser, and libc's strtod and the
 * allocator under it; this file's own code is about 3 %): some 19 µs of CPU per 650-byte row of
 * 4 layers on the development VM. Batching lines into one array per call was measured and is no
 * faster. So many lines at once are parsed by several threads, each with its own JsonParser, and
 * put in order afterwards on the caller's thread (bench/lab-bench-rundir times 100k rows). They
 * do not scale fully: json-glib emits 84 GObject signals a row, each under GLib's one global
 * signal lock, and allocates its nodes from GSlice, so two threads spend 25 % more CPU than one.
 */
#define G_LOG_DOMAIN "lab-engine"
#include "config.h"

#include <glib/gi18n-lib.h>
#include <inttypes.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>

#include "lab-error.h"
#include "lab-record.h"
#include "lab-run-rows.h"

#define MAX_DEPTH       8
#define MAX_THREADS     8
#define LINES_PER_THREAD 1024   /* fewer lines are not worth another thread */

/* What parsing one line needs; one per thread. */
typedef struct
{
  JsonParser *json;         /* reused; mutable: sealing the nodes costs 6 % and buys nothing */
  const char *name;
  guint       n_layers;
} LineParser;

struct _LabRunRows
{
  char       *name;
  guint       n_layers;
  LineParser  parsers[MAX_THREADS];   /* [0] for the caller's thread; json NULL until used */
  guint64     lines;
  guint64     skipped;
  char       *problem;
  gboolean    have_step;
  guint64     last_step;
  gboolean    discarding;   /* inside a line longer than LAB_RUN_MAX_LINE, skipped unread */
};

LabRunRows *
lab_run_rows_new (const char *name,
                  guint       n_layers)
{
  LabRunRows *rows = g_new0 (LabRunRows, 1);

  g_return_val_if_fail (n_layers <= LAB_MAX_ROW_LAYERS, NULL);

  rows->name = g_strdup (name);
  rows->n_layers = n_layers;
  for (guint t = 0; t < MAX_THREADS; t++)
    rows->parsers[t] = (LineParser) { NULL, rows->name, n_layers };
  rows->parsers[0].json = json_parser_new ();
  return rows;
}

void
lab_run_rows_free (LabRunRows *rows)
{
  if (rows == NULL)
    return;
  for (guint t = 0; t < MAX_THREADS; t++)
    g_clear_object (&rows->parsers[t].json);
  g_free (rows->name);
  g_free (rows->problem);
  g_free (rows);
}

guint64
lab_run_rows_lines (const LabRunRows *rows)
{
  return rows->lines;
}

guint64
lab_run_rows_skipped (const LabRunRows  *rows,
                      const char       **problem)
{
  if (problem != NULL)
    *problem = rows->problem;
  return rows->skipped;
}

/* ------------------------------------------------------------------------------------------ */
/* one line */

static gboolean
line_error (GError     **error,
            LineParser  *p,
            guint64      line_no,
            const char  *format,
            ...) G_GNUC_PRINTF (4, 5);

static gboolean
line_error (GError     **error,
            LineParser  *p,
            guint64      line_no,
            const char  *format,
            ...)
{
  g_autofree char *msg = NULL;
  va_list args;

  va_start (args, format);
  msg = g_strdup_vprintf (format, args);
  va_end (args);
  return lab_format_error (error, p->name, _("line %" PRIu64 ": %s"), line_no, msg);
}

/* FALSE with the reason when the line is not one JSON object nested at most MAX_DEPTH deep;
 * TRUE when it may be (json-glib then checks the rest). Brackets inside strings do not count. */
static gboolean
check_shape (LineParser  *p,
             guint64      line_no,
             const char  *s,
             gsize        len,
             GError     **error)
{
  gboolean in_string = FALSE, closed = FALSE;
  int depth = 0;
  gsize i = 0;

  while (i < len && g_ascii_isspace (s[i]))
    i++;
  if (i == len || s[i] != '{')
    return line_error (error, p, line_no, _("not a JSON object"));
  for (; i < len; i++)
    {
      char c = s[i];

      if (in_string)
        {
          if (c == '\\')
            i++;
          else if (c == '"')
            in_string = FALSE;
        }
      else if (closed)
        {
          if (!g_ascii_isspace (c))
            return line_error (error, p, line_no, _("more than one JSON value on the line"));
        }
      else if (c == '"')
        in_string = TRUE;
      else if ((c == '[' || c == '{') && ++depth > MAX_DEPTH)
        return line_error (error, p, line_no, _("nested deeper than %d levels: not a row"),
                           MAX_DEPTH);
      else if ((c == ']' || c == '}') && --depth == 0)
        closed = TRUE;
    }
  return TRUE;
}

/* A number or null (NaN). Integers are exact below 2^53, as JSON readers keep them. */
static gboolean
node_number (JsonNode *node,
             double   *v)
{
  if (JSON_NODE_HOLDS_NULL (node))
    {
      *v = NAN;
      return TRUE;
    }
  if (!JSON_NODE_HOLDS_VALUE (node))
    return FALSE;
  switch (json_node_get_value_type (node))
    {
    case G_TYPE_INT64:
      *v = (double) json_node_get_int (node);
      return TRUE;
    case G_TYPE_DOUBLE:
      *v = json_node_get_double (node);   /* 1e400 reads as inf: not finite, so NaN below */
      return TRUE;
    default:
      return FALSE;
    }
}

static gboolean
read_step_field (LineParser            *p,
                 guint64                line_no,
                 const LabRecordField  *f,
                 JsonNode              *node,
                 LabStepStats          *st,
                 GError               **error)
{
  double v;
  gint64 i;

  if (f->type == LAB_RECORD_F64)
    {
      if (!node_number (node, &v))
        return line_error (error, p, line_no, _("\"%s\" must be a number or null"), f->key);
      G_STRUCT_MEMBER (double, st, f->offset) = isfinite (v) ? v : NAN;
      return TRUE;
    }
  if (f->type == LAB_RECORD_U32 && JSON_NODE_HOLDS_NULL (node))
    return TRUE;   /* an epoch not known */
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64 ||
      (i = json_node_get_int (node)) < 0 || (f->type == LAB_RECORD_U32 && i > G_MAXUINT32))
    return line_error (error, p, line_no, _("\"%s\" must be a whole number from 0 to %s"),
                       f->key, f->type == LAB_RECORD_U32 ? "4294967295" : "2^63");
  if (f->type == LAB_RECORD_U32)
    G_STRUCT_MEMBER (guint32, st, f->offset) = (guint32) i;
  else
    G_STRUCT_MEMBER (guint64, st, f->offset) = (guint64) i;
  return TRUE;
}

static gboolean
read_layer_field (LineParser                 *p,
                  guint64                     line_no,
                  const LabRecordLayerField  *f,
                  JsonNode                   *node,
                  LabStepStats               *st,
                  GError                    **error)
{
  JsonArray *array;
  guint n;

  if (!JSON_NODE_HOLDS_ARRAY (node))
    return line_error (error, p, line_no, _("\"%s\" must be an array of one number (or null) "
                                            "per layer"), f->key);
  array = json_node_get_array (node);
  n = json_array_get_length (array);
  if (n != p->n_layers)
    return line_error (error, p, line_no, _("\"%s\" has %u values, but run.ini describes %u "
                                            "layers"), f->key, n, p->n_layers);
  for (guint l = 0; l < n; l++)
    {
      double v;
      float x;

      if (!node_number (json_array_get_element (array, l), &v))
        return line_error (error, p, line_no, _("\"%s\" value %u must be a number or null"),
                           f->key, l + 1);
      x = (float) v;
      G_STRUCT_MEMBER (float, &st->layer[l], f->offset) = isfinite (x) ? x : NAN;
    }
  return TRUE;
}

/* Everything a key that is absent leaves: NaN for values, 0 for counters. */
static void
row_init (LabStepStats *st,
          guint         n_layers)
{
  guint n_step, n_layer;
  const LabRecordField *step = lab_record_step_fields (&n_step);
  const LabRecordLayerField *layer = lab_record_layer_fields (&n_layer);

  memset (st, 0, G_STRUCT_OFFSET (LabStepStats, layer));
  st->n_layers = n_layers;
  for (guint i = 0; i < n_step; i++)
    if (step[i].type == LAB_RECORD_F64 && (step[i].flags & LAB_RECORD_TEXT))
      G_STRUCT_MEMBER (double, st, step[i].offset) = NAN;
  for (guint l = 0; l < n_layers; l++)
    {
      memset (&st->layer[l], 0, sizeof st->layer[l]);
      for (guint i = 0; i < n_layer; i++)
        G_STRUCT_MEMBER (float, &st->layer[l], layer[i].offset) = NAN;
    }
}

/* "<data>:1:8: Parse error: …" names json-glib's buffer; the line is ours to name. */
static gboolean
json_error (GError      **error,
            LineParser   *p,
            guint64       line_no,
            const char   *line,
            gsize         len,
            const GError *local)
{
  const char *msg = local->message;
  gboolean nonfinite = g_strstr_len (line, len, "NaN") || g_strstr_len (line, len, "Infinity");

  if (g_str_has_prefix (msg, "<data>:1:"))
    msg += strlen ("<data>:1:");
  /* Translators: %s is json-glib's message, a column number and what it found */
  if (nonfinite)
    return line_error (error, p, line_no, _("not valid JSON (column %s); JSON has no NaN or "
                                            "Infinity: write null"), msg);
  return line_error (error, p, line_no, _("not valid JSON (column %s)"), msg);
}

static gboolean
parse_line (LineParser    *p,
            const char    *line,
            gsize          len,
            guint64        line_no,
            LabStepStats  *st,
            GError       **error)
{
  g_autoptr(GError) local = NULL;
  guint n_step, n_layer;
  const LabRecordField *step = lab_record_step_fields (&n_step);
  const LabRecordLayerField *layer = lab_record_layer_fields (&n_layer);
  JsonObject *obj;
  JsonNode *root;

  if (!check_shape (p, line_no, line, len, error))
    return FALSE;
  if (!json_parser_load_from_data (p->json, line, len, &local))
    return json_error (error, p, line_no, line, len, local);
  root = json_parser_get_root (p->json);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return line_error (error, p, line_no, _("not a JSON object"));
  obj = json_node_get_object (root);
  if (!json_object_has_member (obj, "step"))
    return line_error (error, p, line_no, _("no \"step\": every row has one"));
  row_init (st, p->n_layers);
  for (guint i = 0; i < n_step; i++)
    {
      JsonNode *node;

      if ((step[i].flags & LAB_RECORD_TEXT) &&
          (node = json_object_get_member (obj, step[i].key)) != NULL &&
          !read_step_field (p, line_no, &step[i], node, st, error))
        return FALSE;
    }
  for (guint i = 0; i < n_layer; i++)
    {
      JsonNode *node = json_object_get_member (obj, layer[i].key);

      if (node != NULL && !read_layer_field (p, line_no, &layer[i], node, st, error))
        return FALSE;
    }
  return TRUE;
}

gboolean
lab_run_rows_parse_line (LabRunRows    *rows,
                         const char    *line,
                         gsize          len,
                         guint64        line_no,
                         LabStepStats  *st,
                         GError       **error)
{
  return parse_line (&rows->parsers[0], line, len, line_no, st, error);
}

/* ------------------------------------------------------------------------------------------ */
/* a growing file */

/* One complete line to take, and what became of it. */
typedef struct
{
  const char *start;
  gsize       len;          /* may exceed LAB_RUN_MAX_LINE: then skipped unread */
  gboolean    blank;
  GError     *error;        /* the line cannot be used */
} Line;

/* A run of lines one thread parses, packing the good ones into its own log (rows are packed
 * to the run's depth: a slot of LAB_MAX_ROW_LAYERS for each of thousands of lines would cost
 * tens of MB). */
typedef struct
{
  LineParser   *parser;
  Line         *lines;
  guint         n;
  guint64       first_no;   /* the number of lines[0] */
  LabRowLog    *parsed;     /* the lines without error, in order */
} Job;

static gboolean
is_blank (const char *s,
          gsize       len)
{
  for (gsize i = 0; i < len; i++)
    if (!g_ascii_isspace (s[i]))
      return FALSE;
  return TRUE;
}

static gpointer
run_job (gpointer data)
{
  Job *job = data;
  LabStepStats *st = g_new (LabStepStats, 1);

  for (guint i = 0; i < job->n; i++)
    {
      Line *line = &job->lines[i];
      guint64 no = job->first_no + i;

      if (line->len > LAB_RUN_MAX_LINE)
        line_error (&line->error, job->parser, no, _("longer than %d bytes: not a row"),
                    LAB_RUN_MAX_LINE);
      else if (is_blank (line->start, line->len))
        line->blank = TRUE;
      else if (parse_line (job->parser, line->start, line->len, no, st, &line->error))
        lab_row_log_append (job->parsed, st);
    }
  g_free (st);
  return NULL;
}

/* The complete lines at the start of @data, at most @max of them; returns the bytes they take.
 * A line longer than LAB_RUN_MAX_LINE whose end has not come yet is taken as it is and the rest
 * of it skipped as it arrives. */
static gsize
collect_lines (LabRunRows *rows,
               const char *data,
               gsize       len,
               guint       max,
               GArray     *lines)
{
  gsize pos = 0;

  while (pos < len && lines->len < max)
    {
      const char *nl = memchr (data + pos, '\n', len - pos);
      Line line = { data + pos, nl ? (gsize) (nl - (data + pos)) : len - pos, FALSE, NULL };

      if (rows->discarding)
        {
          if (nl == NULL)
            return len;
          rows->discarding = FALSE;
          pos += line.len + 1;
          continue;
        }
      if (nl == NULL)
        {
          if (line.len <= LAB_RUN_MAX_LINE)
            break;   /* still being written */
          rows->discarding = TRUE;
          g_array_append_val (lines, line);
          return len;
        }
      g_array_append_val (lines, line);
      pos += line.len + 1;
    }
  return pos;
}

/* Parses @lines on up to MAX_THREADS threads (this one included), each into its job's log. */
static guint
parse_lines (LabRunRows *rows,
             GArray     *lines,
             Job        *jobs)
{
  guint n = lines->len;
  guint n_threads = CLAMP (n / LINES_PER_THREAD, 1, MIN (MAX_THREADS, g_get_num_processors ()));
  GThread *threads[MAX_THREADS] = { NULL };

  for (guint t = 0; t < n_threads; t++)
    {
      guint from = (guint) ((guint64) n * t / n_threads);
      guint to = (guint) ((guint64) n * (t + 1) / n_threads);

      if (rows->parsers[t].json == NULL)
        rows->parsers[t].json = json_parser_new ();
      jobs[t] = (Job) { &rows->parsers[t], &g_array_index (lines, Line, from), to - from,
                        rows->lines + from + 1, lab_row_log_new (rows->n_layers) };
      if (t > 0)
        threads[t] = g_thread_new ("lab-run-rows", run_job, &jobs[t]);
    }
  run_job (&jobs[0]);
  for (guint t = 1; t < n_threads; t++)
    g_thread_join (threads[t]);
  return n_threads;
}

static void
skip_line (LabRunRows *rows,
           GError     *error)
{
  rows->skipped++;
  g_free (rows->problem);
  rows->problem = g_strdup (error->message);
  g_error_free (error);
}

/* In file order: appends the jobs' rows to @out, skipping what could not be used or does not
 * come after the previous step. */
static void
merge_lines (LabRunRows *rows,
             Job        *jobs,
             guint       n_jobs,
             LabRowLog  *out)
{
  LabStepStats *st = g_new (LabStepStats, 1);

  for (guint t = 0; t < n_jobs; t++)
    {
      gsize next = 0;   /* the job's next parsed row */

      for (guint i = 0; i < jobs[t].n; i++)
        {
          Line *line = &jobs[t].lines[i];

          rows->lines++;
          if (line->error == NULL && !line->blank)
            {
              lab_row_log_get (jobs[t].parsed, next++, st);
              if (rows->have_step && st->step <= rows->last_step)
                line_error (&line->error, &rows->parsers[0], rows->lines,
                            _("step %" PRIu64 " after step %" PRIu64 ": steps must increase"),
                            st->step, rows->last_step);
            }
          if (line->error != NULL)
            skip_line (rows, line->error);
          if (line->error != NULL || line->blank)
            continue;
          rows->have_step = TRUE;
          rows->last_step = st->step;
          lab_row_log_append (out, st);
        }
      lab_row_log_free (jobs[t].parsed);
    }
  g_free (st);
}

gsize
lab_run_rows_feed (LabRunRows *rows,
                   const char *data,
                   gsize       len,
                   guint       max_rows,
                   LabRowLog  *out)
{
  g_autoptr(GArray) lines = g_array_new (FALSE, FALSE, sizeof (Line));
  Job jobs[MAX_THREADS];
  guint n_jobs;
  gsize used;

  used = collect_lines (rows, data, len, max_rows, lines);
  if (lines->len == 0)
    return used;
  n_jobs = parse_lines (rows, lines, jobs);
  merge_lines (rows, jobs, n_jobs, out);
  return used;
}
