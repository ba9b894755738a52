/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * test-rundir-reader.c: LabRunReader over time, on directories written by LabRunWriter and by
 * gradlab-cli: every row once and in order, a heavy snapshot only after its folder was renamed
 * into place (a reader polling while a writer thread writes and deletes many never sees a
 * partial one), a truncated snapshot leaving the previous one, the writer's status, waiting
 * for run.ini, a second writer (new writer_id, a shrunk or replaced rows file) and the
 * directory disappearing, each reported with its message while what was read stays; and
 * `gradlab-cli train --run-dir` read back: the same rows as its --metrics file, heavy
 * snapshots, finished, failed on divergence and on SIGTERM.
 */
#define G_LOG_DOMAIN "lab-test"
#include "config.h"

#include <math.h>
#include <signal.h>
#include <string.h>
#include <gio/gio.h>
#include <glib/gstdio.h>

#include "lab-error.h"
#include "lab-record.h"
#include "lab-run-heavy.h"
#include "lab-run-reader.h"
#include "lab-run-rows.h"
#include "lab-run-writer.h"
#include "lab-test-utils.h"

static LabStepStats
make_row (guint64 step)
{
  LabStepStats st = { .step = step, .epoch = 1, .n_layers = 2, .loss = 1.0 / (double) step,
                      .test_loss = NAN, .test_accuracy = NAN };

  st.layer[0].grad_norm = 0.5f;
  st.layer[1].grad_norm = (float) step;
  return st;
}

static LabRunWriter *
new_writer (const char *dir)
{
  g_autoptr(LabRunManifest) m = lab_test_run_manifest ();
  g_autoptr(GError) error = NULL;
  LabRunWriter *writer = lab_run_writer_new (dir, m, 0, &error);

  g_assert_no_error (error);
  return writer;
}

static void
append_rows (LabRunWriter *writer,
             guint64       from,
             guint64       to)
{
  for (guint64 s = from; s <= to; s++)
    {
      LabStepStats st = make_row (s);
      g_assert_true (lab_run_writer_append (writer, &st, NULL));
    }
}

/* One poll; its rows are appended to @rows, its heavy snapshot freed; returns the poll. */
static LabRunPoll
poll_once (LabRunReader *reader,
           LabRowLog    *rows)
{
  LabRunPoll poll;

  lab_run_reader_poll (reader, G_MAXUINT, rows, &poll);
  lab_heavy_free (g_steal_pointer (&poll.heavy));
  return poll;
}

static void
assert_steps (LabRowLog *rows,
              guint64    first,
              guint64    last)
{
  g_assert_cmpuint (lab_row_log_len (rows), ==, last - first + 1);
  for (guint i = 0; i < lab_row_log_len (rows); i++)
    g_assert_cmpuint (lab_test_row (rows, i)->step, ==, first + i);
}

/* ------------------------------------------------------------------------------------------ */

static void
test_reader_states (void)
{
  g_autofree char *tmp = lab_test_mkdtemp ();
  g_autofree char *dir = g_build_filename (tmp, "run", NULL);
  g_autofree char *status = g_build_filename (dir, "status", NULL);
  g_autoptr(LabRunReader) reader = lab_run_reader_new (dir);
  g_autoptr(LabRowLog) rows = lab_row_log_new (0);
  const LabRunReaderState *rs = lab_run_reader_state (reader);
  LabRunWriter *writer;
  LabRunPoll poll;

  /* no directory yet: waiting, and saying so */
  poll = poll_once (reader, rows);
  g_assert_true (poll.changed);
  g_assert_cmpint (rs->watch, ==, LAB_WATCH_WAITING);
  g_assert_nonnull (strstr (rs->message, "waiting for the run directory to be created"));
  g_assert_cmpint (g_mkdir (dir, 0777), ==, 0);
  poll_once (reader, rows);
  g_assert_nonnull (strstr (rs->message, "waiting for run.ini"));
  g_assert_null (lab_run_reader_manifest (reader));

  /* the writer starts (in the empty folder): the manifest, then rows as they come */
  writer = new_writer (dir);
  append_rows (writer, 1, 5);
  poll = poll_once (reader, rows);
  g_assert_true (poll.manifest);
  g_assert_cmpuint (poll.n_rows, ==, 5);
  g_assert_cmpint (rs->watch, ==, LAB_WATCH_LIVE);
  g_assert_cmpint (rs->state, ==, LAB_SESSION_RUNNING);
  g_assert_null (rs->message);
  g_assert_cmpint (rs->last_row_time, >, 0);
  g_assert_cmpuint (lab_run_reader_manifest (reader)->n_layers, ==, 2);
  poll = poll_once (reader, rows);
  g_assert_false (poll.changed);
  g_assert_false (poll.manifest);
  g_assert_cmpuint (poll.n_rows, ==, 0);
  append_rows (writer, 6, 9);
  poll_once (reader, rows);
  assert_steps (rows, 1, 9);
  g_assert_false (rs->more);

  /* at most max_rows a poll; more says there are others */
  append_rows (writer, 10, 20);
  lab_run_reader_poll (reader, 4, rows, &poll);
  g_assert_cmpuint (poll.n_rows, ==, 4);
  g_assert_true (rs->more);
  poll_once (reader, rows);
  assert_steps (rows, 1, 20);
  g_assert_false (rs->more);

  /* no status file: running (an old or crashed writer); an unknown one is a problem */
  g_unlink (status);
  poll_once (reader, rows);
  g_assert_cmpint (rs->state, ==, LAB_SESSION_RUNNING);
  g_assert_true (g_file_set_contents (status, "paused\n", -1, NULL));
  poll_once (reader, rows);
  g_assert_cmpint (rs->state, ==, LAB_SESSION_RUNNING);
  g_assert_nonnull (strstr (rs->problem, "status: not running, finished or failed: MESSAGE"));

  /* the end */
  g_assert_true (lab_run_writer_finish (writer, "CUDA out of memory", NULL));
  poll = poll_once (reader, rows);
  g_assert_true (poll.changed);
  g_assert_cmpint (rs->state, ==, LAB_SESSION_FAILED);
  g_assert_cmpint (rs->watch, ==, LAB_WATCH_ENDED);
  g_assert_cmpstr (rs->message, ==, "CUDA out of memory");
  g_assert_true (g_file_set_contents (status, "finished\n", -1, NULL));
  poll_once (reader, rows);
  g_assert_cmpint (rs->state, ==, LAB_SESSION_FINISHED);
  g_assert_null (rs->message);
  lab_run_writer_free (writer);

  /* the directory goes: GONE, with what was read kept */
  lab_test_rmdir (dir);
  poll = poll_once (reader, rows);
  g_assert_true (poll.changed);
  g_assert_cmpint (rs->watch, ==, LAB_WATCH_GONE);
  g_assert_nonnull (strstr (rs->message, "the run directory disappeared; showing the 20 rows "
                                         "read before"));
  g_assert_nonnull (lab_run_reader_manifest (reader));
  g_assert_cmpuint (rs->rows_read, ==, 20);
  /* and stays gone even if a folder of that name comes back */
  writer = new_writer (dir);
  poll = poll_once (reader, rows);
  g_assert_false (poll.changed);
  g_assert_cmpint (rs->watch, ==, LAB_WATCH_GONE);
  lab_run_writer_free (writer);
  lab_test_rmdir (tmp);
}

/* rm -r takes rows.jsonl before the directory: gone, not a second writer (one replaces run.ini
 * first), and the message follows the directory when it goes too. */
static void
test_reader_rows_deleted (void)
{
  g_autofree char *tmp = lab_test_mkdtemp ();
  g_autofree char *dir = g_build_filename (tmp, "run", NULL);
  g_autofree char *path = g_build_filename (dir, "rows.jsonl", NULL);
  g_autoptr(LabRunReader) reader = lab_run_reader_new (dir);
  g_autoptr(LabRowLog) rows = lab_row_log_new (0);
  const LabRunReaderState *rs = lab_run_reader_state (reader);
  LabRunWriter *writer = new_writer (dir);
  LabRunPoll poll;

  append_rows (writer, 1, 6);
  poll_once (reader, rows);
  g_assert_cmpint (rs->watch, ==, LAB_WATCH_LIVE);
  g_assert_cmpint (g_unlink (path), ==, 0);
  poll = poll_once (reader, rows);
  g_assert_true (poll.changed);
  g_assert_cmpint (rs->watch, ==, LAB_WATCH_GONE);
  g_assert_nonnull (strstr (rs->message, "rows.jsonl was deleted; showing the 6 rows read "
                                         "before"));
  poll = poll_once (reader, rows);
  g_assert_false (poll.changed);
  lab_run_writer_free (writer);
  lab_test_rmdir (dir);
  poll = poll_once (reader, rows);
  g_assert_true (poll.changed);
  g_assert_cmpint (rs->watch, ==, LAB_WATCH_GONE);
  g_assert_nonnull (strstr (rs->message, "the run directory disappeared; showing the 6 rows "
                                         "read before"));
  assert_steps (rows, 1, 6);
  lab_test_rmdir (tmp);
}

/* A row still being written is taken once complete, across polls of the real file. */
static void
test_reader_torn (void)
{
  g_autofree char *dir = lab_test_mkdtemp ();
  g_autofree char *path = g_build_filename (dir, "rows.jsonl", NULL);
  g_autoptr(LabRunReader) reader = lab_run_reader_new (dir);
  g_autoptr(LabRowLog) rows = lab_row_log_new (0);
  g_autoptr(GString) text = g_string_new (NULL);
  LabRunWriter *writer = new_writer (dir);
  LabStepStats st = make_row (1);
  FILE *fp;

  lab_record_json_row (text, &st);
  fp = fopen (path, "ab");
  g_assert_nonnull (fp);
  for (gsize i = 0; i < text->len; i++)
    {
      fputc (text->str[i], fp);
      fflush (fp);
      poll_once (reader, rows);
      g_assert_cmpuint (lab_row_log_len (rows), ==, i + 1 == text->len ? 1 : 0);
    }
  fclose (fp);
  g_assert_cmpfloat (lab_test_row (rows, 0)->layer[0].grad_norm, ==, 0.5f);
  g_assert_null (lab_run_reader_state (reader)->problem);
  lab_run_writer_free (writer);
  lab_test_rmdir (dir);
}

static void
test_reader_second_writer (void)
{
  g_autofree char *dir = lab_test_mkdtemp ();
  g_autofree char *manifest = g_build_filename (dir, "run.ini", NULL);
  g_autofree char *rows_path = g_build_filename (dir, "rows.jsonl", NULL);
  g_autoptr(LabRowLog) rows = lab_row_log_new (0);
  g_autoptr(LabRunManifest) m = lab_test_run_manifest ();
  g_autoptr(GError) error = NULL;
  LabRunWriter *writer = new_writer (dir);
  LabRunReader *reader = lab_run_reader_new (dir);
  const LabRunReaderState *rs = lab_run_reader_state (reader);
  g_autofree char *text = NULL;
  LabRunPoll poll;

  /* the same writer rewrites run.ini (same id, same layers): taken */
  append_rows (writer, 1, 3);
  poll_once (reader, rows);
  g_free (m->model);
  m->model = g_strdup ("Net, described better");
  text = lab_run_manifest_to_data (m, NULL);
  g_assert_true (g_file_set_contents (manifest, text, -1, NULL));
  poll = poll_once (reader, rows);
  g_assert_true (poll.manifest);
  g_assert_cmpstr (lab_run_reader_manifest (reader)->model, ==, "Net, described better");

  /* … with other layers: kept the first, with a problem */
  m->layers[0].rows = 5;
  g_free (text);
  text = lab_run_manifest_to_data (m, NULL);
  g_assert_true (g_file_set_contents (manifest, text, -1, NULL));
  poll = poll_once (reader, rows);
  g_assert_false (poll.manifest);
  g_assert_nonnull (strstr (rs->problem, "the layers changed while the run was watched"));
  g_assert_cmpuint (lab_run_reader_manifest (reader)->layers[0].rows, ==, 4);

  /* … a run.ini that does not parse: the first stays */
  g_assert_true (g_file_set_contents (manifest, "[run]\nformat=7\n", -1, NULL));
  poll_once (reader, rows);
  g_assert_nonnull (strstr (rs->problem, "format 7"));
  g_assert_cmpint (rs->watch, ==, LAB_WATCH_LIVE);

  /* another writer_id: a second writer; its rows are never mixed in */
  g_free (m->writer_id);
  m->writer_id = g_strdup ("intruder");
  m->layers[0].rows = 4;
  g_free (text);
  text = lab_run_manifest_to_data (m, NULL);
  g_assert_true (g_file_set_contents (manifest, text, -1, NULL));
  append_rows (writer, 4, 6);
  poll = poll_once (reader, rows);
  g_assert_true (poll.changed);
  g_assert_cmpint (rs->watch, ==, LAB_WATCH_SECOND_WRITER);
  g_assert_nonnull (strstr (rs->message, "a second writer: run.ini's writer_id changed from "
                                         "'small' to 'intruder'; showing the 3 rows of the first"));
  assert_steps (rows, 1, 3);
  lab_run_reader_free (reader);

  /* rows.jsonl shrinks (truncated, or rewritten from the start) */
  lab_row_log_clear (rows, 0);
  reader = lab_run_reader_new (dir);
  rs = lab_run_reader_state (reader);
  poll_once (reader, rows);
  g_assert_cmpuint (lab_row_log_len (rows), ==, 6);
  g_assert_cmpint (truncate (rows_path, 10), ==, 0);
  poll_once (reader, rows);
  g_assert_cmpint (rs->watch, ==, LAB_WATCH_SECOND_WRITER);
  g_assert_nonnull (strstr (rs->message, "rows.jsonl shrank from"));
  lab_run_reader_free (reader);

  /* a writer replaces the whole directory (the same writer_id, so only the rows can tell: a new
   * file, even if it got the old one's inode number, starts with other rows) */
  lab_row_log_clear (rows, 0);
  lab_run_writer_free (writer);
  writer = lab_run_writer_new (dir, m, LAB_RUN_WRITER_REPLACE, &error);
  g_assert_no_error (error);
  append_rows (writer, 1, 2);
  reader = lab_run_reader_new (dir);
  rs = lab_run_reader_state (reader);
  poll_once (reader, rows);
  g_assert_cmpuint (lab_row_log_len (rows), ==, 2);
  lab_run_writer_free (writer);
  writer = lab_run_writer_new (dir, m, LAB_RUN_WRITER_REPLACE, &error);
  g_assert_no_error (error);
  append_rows (writer, 11, 15);
  poll_once (reader, rows);
  g_assert_cmpint (rs->watch, ==, LAB_WATCH_SECOND_WRITER);
  g_assert_cmpuint (lab_row_log_len (rows), ==, 2);
  lab_run_reader_free (reader);
  lab_run_writer_free (writer);
  lab_test_rmdir (dir);
}

/* Rows the manifest does not describe: skipped with the line, the others read. */
static void
test_reader_lying_rows (void)
{
  g_autofree char *dir = lab_test_mkdtemp ();
  g_autofree char *path = g_build_filename (dir, "rows.jsonl", NULL);
  g_autoptr(LabRunReader) reader = lab_run_reader_new (dir);
  g_autoptr(LabRowLog) rows = lab_row_log_new (0);
  LabRunWriter *writer = new_writer (dir);
  const LabRunReaderState *rs = lab_run_reader_state (reader);
  FILE *fp;

  append_rows (writer, 1, 2);
  fp = fopen (path, "ab");
  fputs ("{\"step\":3,\"grad_norm\":[1,2,3]}\n", fp);
  fclose (fp);
  append_rows (writer, 4, 4);
  poll_once (reader, rows);
  g_assert_cmpuint (lab_row_log_len (rows), ==, 3);
  g_assert_cmpuint (rs->rows_skipped, ==, 1);
  g_assert_nonnull (strstr (rs->problem, "rows.jsonl: line 3: \"grad_norm\" has 3 values, but "
                                         "run.ini describes 2 layers"));
  lab_run_writer_free (writer);
  lab_test_rmdir (dir);
}

/* ------------------------------------------------------------------------------------------ */
/* heavy snapshots */

typedef struct
{
  char    *dir;
  guint    n;
  gint     done;   /* atomic */
} HeavyWriter;

/* Writes n snapshots whose every number is its step. */
static gpointer
write_heavies (gpointer data)
{
  HeavyWriter *hw = data;
  g_autoptr(LabRunManifest) m = lab_test_run_manifest ();
  g_autoptr(GError) error = NULL;
  LabRunWriter *writer = lab_run_writer_new (hw->dir, m, LAB_RUN_WRITER_REPLACE, &error);
  LabHeavy *heavy = lab_run_heavy_new (m, TRUE);

  g_assert_no_error (error);
  for (guint i = 1; i <= hw->n; i++)
    {
      heavy->step = i;
      for (gsize k = 0; k < heavy->n_params; k++)
        {
          heavy->params[k] = (float) i;
          heavy->mask[k] = (float) (i % 2);
        }
      lab_histogram_fill (&heavy->layers[1].grad_hist, heavy->params, 4, 0, (float) i + 1,
                          FALSE);
      g_assert_true (lab_run_writer_heavy (writer, heavy, &error));
      g_assert_no_error (error);
    }
  lab_heavy_free (heavy);
  lab_run_writer_free (writer);
  g_atomic_int_set (&hw->done, 1);
  return NULL;
}

static void
assert_whole (const LabHeavy *heavy)
{
  float v = (float) heavy->step;

  for (guint l = 0; l < heavy->n_layers; l++)
    {
      const LabHeavyLayer *layer = &heavy->layers[l];

      for (gsize k = 0; k < layer->rows * layer->cols; k++)
        {
          g_assert_cmpfloat (layer->weight[k], ==, v);
          if (layer->mask != NULL)
            g_assert_cmpfloat (layer->mask[k], ==, (float) (heavy->step % 2));
        }
      if (layer->bias != NULL)
        g_assert_cmpfloat (layer->bias[layer->rows - 1], ==, v);
    }
  g_assert_cmpfloat (heavy->layers[1].grad_hist.hi, ==, v + 1);
}

/* A reader polling while a writer thread writes (and deletes) many heavy snapshots only ever
 * gets whole ones, newer each time. */
static void
test_reader_heavy_rename (void)
{
  g_autofree char *dir = lab_test_mkdtemp ();
  HeavyWriter hw = { dir, 300, 0 };
  g_autoptr(LabRowLog) rows = lab_row_log_new (0);
  LabRunReader *reader = lab_run_reader_new (dir);
  GThread *thread;
  guint64 last = 0;
  guint seen = 0;
  gboolean done;

  thread = g_thread_new ("heavy-writer", write_heavies, &hw);
  do
    {
      LabRunPoll poll;

      done = g_atomic_int_get (&hw.done);
      lab_run_reader_poll (reader, G_MAXUINT, rows, &poll);
      if (poll.heavy != NULL)
        {
          g_assert_cmpuint (poll.heavy->step, >, last);
          assert_whole (poll.heavy);
          last = poll.heavy->step;
          seen++;
          lab_heavy_free (poll.heavy);
        }
      g_assert_null (lab_run_reader_state (reader)->problem);
    }
  while (!done);
  g_thread_join (thread);
  g_test_message ("the reader saw %u of %u heavy snapshots, the last %" G_GUINT64_FORMAT, seen,
                  hw.n, last);
  g_assert_cmpuint (last, ==, hw.n);   /* the poll after the writer ended saw the last */
  g_assert_cmpuint (seen, >=, 2);
  lab_run_reader_free (reader);
  lab_test_rmdir (dir);
}

/* A truncated snapshot: a message, the previous one stays; the next good one is taken. */
static void
test_reader_heavy_truncated (void)
{
  g_autofree char *dir = lab_test_mkdtemp ();
  g_autoptr(LabRunManifest) m = lab_test_run_manifest ();
  g_autoptr(LabRunReader) reader = lab_run_reader_new (dir);
  g_autoptr(LabRowLog) rows = lab_row_log_new (0);
  const LabRunReaderState *rs = lab_run_reader_state (reader);
  LabRunWriter *writer = new_writer (dir);
  LabHeavy *heavy = lab_run_heavy_new (m, FALSE);
  g_autofree char *w1 = g_build_filename (dir, "heavy", "000020", "W1.npy", NULL);
  g_autofree char *bytes = NULL;
  LabRunPoll poll;
  gsize len;

  heavy->step = 10;
  g_assert_true (lab_run_writer_heavy (writer, heavy, NULL));
  lab_run_reader_poll (reader, G_MAXUINT, rows, &poll);
  g_assert_nonnull (poll.heavy);
  g_assert_cmpuint (poll.heavy->step, ==, 10);
  lab_heavy_free (poll.heavy);

  heavy->step = 20;
  g_assert_true (lab_run_writer_heavy (writer, heavy, NULL));
  g_assert_true (g_file_get_contents (w1, &bytes, &len, NULL));
  g_assert_true (g_file_set_contents (w1, bytes, (gssize) len - 4, NULL));
  lab_run_reader_poll (reader, G_MAXUINT, rows, &poll);
  g_assert_null (poll.heavy);
  g_assert_true (poll.changed);
  g_assert_nonnull (strstr (rs->problem, "W1.npy: truncated"));
  g_assert_nonnull (strstr (rs->problem, "(the heavy snapshot before it stays)"));
  lab_run_reader_poll (reader, G_MAXUINT, rows, &poll);   /* not retried */
  g_assert_null (poll.heavy);
  g_assert_false (poll.changed);

  heavy->step = 30;
  g_assert_true (lab_run_writer_heavy (writer, heavy, NULL));
  lab_run_reader_poll (reader, G_MAXUINT, rows, &poll);
  g_assert_nonnull (poll.heavy);
  g_assert_cmpuint (poll.heavy->step, ==, 30);
  lab_heavy_free (poll.heavy);
  lab_heavy_free (heavy);
  lab_run_writer_free (writer);
  lab_test_rmdir (dir);
}

/* ------------------------------------------------------------------------------------------ */
/* gradlab-cli train --run-dir */

static LabRowLog *
read_all (const char    *dir,
          LabHeavy     **heavy)
{
  g_autoptr(LabRunReader) reader = lab_run_reader_new (dir);
  LabRowLog *rows = lab_row_log_new (0);
  LabRunPoll poll;

  *heavy = NULL;
  do
    {
      lab_run_reader_poll (reader, G_MAXUINT, rows, &poll);
      if (poll.heavy)
        {
          lab_heavy_free (*heavy);
          *heavy = poll.heavy;
        }
    }
  while (lab_run_reader_state (reader)->more);
  g_assert_cmpuint (lab_run_reader_state (reader)->rows_skipped, ==, 0);
  return rows;
}

static void
test_cli (void)
{
  g_autofree char *tmp = lab_test_mkdtemp ();
  g_autofree char *dir = g_build_filename (tmp, "run", NULL);
  g_autofree char *metrics = g_build_filename (tmp, "m.jsonl", NULL);
  g_autofree char *rows_path = g_build_filename (dir, "rows.jsonl", NULL);
  g_autofree char *status = NULL;
  g_autofree char *ours = NULL;
  g_autofree char *theirs = NULL;
  g_auto(GStrv) our_lines = NULL;
  g_auto(GStrv) their_lines = NULL;
  g_autoptr(LabRunManifest) m = NULL;
  g_autoptr(LabRowLog) rows = NULL;
  g_autofree char *run_ini = g_build_filename (dir, "run.ini", NULL);
  LabHeavy *heavy = NULL;
  LabCliResult r;

  r = lab_test_run_cli (NULL, "train", "--preset", "spiral", "--steps", "300", "--run-dir", dir,
                        "--log-every", "2", "--heavy-every", "100", "--metrics", metrics,
                        "--quiet", NULL);
  g_assert_cmpint (r.status, ==, 0);
  lab_test_cli_result_clear (&r);

  m = lab_run_manifest_load (run_ini, NULL);
  g_assert_nonnull (m);
  g_assert_cmpuint (m->n_layers, ==, 3);
  g_assert_cmpstr (m->layers[2].name, ==, "W3");
  g_assert_cmpuint (m->classes, ==, 3);
  g_assert_cmpuint (m->log_every, ==, 2);
  g_assert_cmpuint (m->heavy_every, ==, 100);
  rows = read_all (dir, &heavy);
  g_assert_cmpuint (lab_row_log_len (rows), ==, 150);
  for (guint i = 0; i < lab_row_log_len (rows); i++)
    g_assert_cmpuint (lab_test_row (rows, i)->step, ==, 2 * (i + 1));
  g_assert_nonnull (heavy);
  g_assert_cmpuint (heavy->step, ==, 300);
  g_assert_cmpuint (heavy->layers[0].rows, ==, m->layers[0].rows);
  lab_heavy_free (heavy);
  status = g_build_filename (dir, "status", NULL);
  g_assert_true (g_file_get_contents (status, &ours, NULL, NULL));
  g_assert_cmpstr (ours, ==, "finished\n");
  g_clear_pointer (&ours, g_free);

  /* the run directory's rows are the --metrics rows (every second one), byte for byte */
  g_assert_true (g_file_get_contents (rows_path, &ours, NULL, NULL));
  g_assert_true (g_file_get_contents (metrics, &theirs, NULL, NULL));
  our_lines = g_strsplit (ours, "\n", -1);
  their_lines = g_strsplit (theirs, "\n", -1);
  g_assert_cmpuint (g_strv_length (their_lines), ==, 301);
  for (guint i = 0; i < 150; i++)
    g_assert_cmpstr (our_lines[i], ==, their_lines[2 * i + 1]);

  /* a second run into it is refused, with the way out */
  r = lab_test_run_cli (NULL, "train", "--preset", "spiral", "--steps", "5", "--run-dir", dir,
                        "--quiet", NULL);
  g_assert_cmpint (r.status, ==, 2);
  g_assert_nonnull (strstr (r.err, "holds a run already (run.ini)"));
  g_assert_nonnull (strstr (r.err, "--replace-run-dir"));
  lab_test_cli_result_clear (&r);

  /* a diverging run: failed, with the reason; exit 1 */
  r = lab_test_run_cli (NULL, "train", "--preset", "exploding", "--run-dir", dir, "--replace-run-dir",
                        "--quiet", NULL);
  g_assert_cmpint (r.status, ==, 1);
  lab_test_cli_result_clear (&r);
  g_clear_pointer (&ours, g_free);
  g_assert_true (g_file_get_contents (status, &ours, NULL, NULL));
  g_test_message ("%s", ours);
  g_assert_true (g_str_has_prefix (ours, "failed: "));
  g_assert_nonnull (strstr (ours, "diverged"));

  r = lab_test_run_cli (NULL, "train", "--preset", "spiral", "--log-every", "0", "--quiet", NULL);
  g_assert_cmpint (r.status, ==, 2);
  g_assert_nonnull (strstr (r.err, "--log-every must be at least 1"));
  lab_test_cli_result_clear (&r);
  lab_test_rmdir (tmp);
}

/* SIGTERM in the middle: failed: interrupted at step N, with the rows up to there. */
static void
test_cli_interrupted (void)
{
  g_autofree char *tmp = lab_test_mkdtemp ();
  g_autofree char *dir = g_build_filename (tmp, "run", NULL);
  g_autofree char *status = g_build_filename (dir, "status", NULL);
  g_autofree char *heavy_path = g_build_filename (dir, "heavy", "000500", NULL);
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(LabRowLog) rows = NULL;
  LabHeavy *heavy = NULL;
  guint64 step = 0;

  proc = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_SILENCE,
                           &error, g_getenv ("GRADLAB_CLI"), "train", "--preset", "spiral",
                           "--epochs", "100000", "--run-dir", dir, "--quiet", NULL);
  g_assert_no_error (error);
  /* past the first heavy snapshot (step 500), so one is there at the end */
  for (guint i = 0; i < 600 && !g_file_test (heavy_path, G_FILE_TEST_IS_DIR); i++)
    g_usleep (50 * 1000);
  g_subprocess_send_signal (proc, SIGTERM);
  g_subprocess_wait (proc, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_subprocess_get_exit_status (proc), ==, 1);
  g_assert_true (g_file_get_contents (status, &text, NULL, NULL));
  g_assert_true (sscanf (text, "failed: interrupted at step %" G_GUINT64_FORMAT, &step) == 1);
  rows = read_all (dir, &heavy);
  g_assert_cmpuint (lab_row_log_len (rows), >, 0);
  g_assert_cmpuint (lab_test_row (rows, lab_row_log_len (rows) - 1)->step, ==, step);
  g_assert_nonnull (heavy);   /* the last one, written at the end */
  lab_heavy_free (heavy);
  lab_test_rmdir (tmp);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/rundir/reader/states", test_reader_states);
  g_test_add_func ("/rundir/reader/rows-deleted", test_reader_rows_deleted);
  g_test_add_func ("/rundir/reader/torn", test_reader_torn);
  g_test_add_func ("/rundir/reader/second-writer", test_reader_second_writer);
  g_test_add_func ("/rundir/reader/lying-rows", test_reader_lying_rows);
  g_test_add_func ("/rundir/reader/heavy-rename", test_reader_heavy_rename);
  g_test_add_func ("/rundir/reader/heavy-truncated", test_reader_heavy_truncated);
  g_test_add_func ("/rundir/cli/train", test_cli);
  g_test_add_func ("/rundir/cli/interrupted", test_cli_interrupted);

  return g_test_run ();
}
