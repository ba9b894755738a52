/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * test-watch.c: LabWatch's contract, with a writer thread writing a run directory while a
 * nested main loop collects snapshots (as tests/test-session.c does for a session): every row
 * arrives, in order, none lost or twice; the manifest comes with the first rows (also when they
 * join a snapshot the consumer had not taken yet); heavy
 * snapshots arrive newer each time; the writer's end arrives, only after its last row; a new
 * row shows within 0.5 s (the worst delay is measured and printed; the test allows 2 s on a
 * loaded machine); a long finished run arrives in chunks to a slow consumer without a row
 * dropped; a directory that is not there yet, one that disappears, a writer that stopped
 * writing; and freeing the watch joins its thread at once.
 */
#define G_LOG_DOMAIN "lab-test"
#include "config.h"

#include <math.h>
#include <string.h>
#include <utime.h>
#include <glib/gstdio.h>

#include "lab-run-heavy.h"
#include "lab-run-writer.h"
#include "lab-test-utils.h"
#include "lab-watch.h"

static const char manifest_text[] =
  "[run]\nformat=1\nwriter=test-watch\nwriter_id=watch-1\ninput_shape=3\nclasses=2\n"
  "rank=1\nworld_size=4\n"
  "[layer0]\nname=W1\nkind=linear\nshape=4;3\nbias=true\nactivation=relu\n"
  "[layer1]\nname=W2\nkind=linear\nshape=2;4\nbias=true\nactivation=linear\n";

typedef struct
{
  LabWatch       *watch;
  GMainContext   *context;
  gint64          t0;              /* rows carry their write time as seconds since t0 */
  GArray         *rows;
  guint           n_snapshots;
  guint           max_rows_in_one;
  guint64         dropped;
  guint           manifests;
  gboolean        rows_before_manifest;
  gboolean        state_before_manifest;   /* a run's state (past waiting) without its manifest */
  guint64         heavy_step;      /* of the newest heavy snapshot seen */
  guint           heavies;
  gboolean        heavy_went_back;
  guint64         expected;        /* rows the run will have */
  gboolean        ended_early;     /* FINISHED or FAILED before the last row arrived */
  gboolean        step_ahead;      /* a status step past the rows taken (one read ahead) */
  double          worst_delay;     /* seconds between writing a row and taking it */
  guint           sleep_ms;        /* a slow consumer */
  LabRunStatus    status;          /* of the latest snapshot */
  char           *data_name;
} Collector;

static LabRunManifest *
test_manifest (void)
{
  LabRunManifest *m = lab_run_manifest_parse (manifest_text, strlen (manifest_text), "run.ini",
                                              NULL);
  g_assert_nonnull (m);
  return m;
}

static void
collector_take (LabWatch *watch,
                gpointer  user_data)
{
  Collector *c = user_data;
  g_autoptr(LabSnapshot) snap = lab_watch_take (watch);
  gint64 now = g_get_monotonic_time ();

  if (snap == NULL)
    return;
  if (c->sleep_ms)
    g_usleep (c->sleep_ms * 1000);
  c->n_snapshots++;
  if (snap->manifest != NULL)
    {
      c->manifests++;
      g_assert_cmpuint (snap->manifest->n_layers, ==, 2);
      g_free (c->data_name);
      c->data_name = g_strdup (snap->data_name);
    }
  if (lab_row_log_len (snap->rows) > 0 && c->manifests == 0)
    c->rows_before_manifest = TRUE;
  if (snap->status.watch != LAB_WATCH_WAITING && c->manifests == 0)
    c->state_before_manifest = TRUE;
  for (guint i = 0; i < lab_row_log_len (snap->rows); i++)
    {
      const LabStepStats *st = lab_test_row (snap->rows, i);
      double delay = (double) (now - c->t0) / G_USEC_PER_SEC - st->time;

      c->worst_delay = MAX (c->worst_delay, delay);
    }
  lab_test_append_rows (c->rows, snap->rows);
  c->max_rows_in_one = MAX (c->max_rows_in_one, lab_row_log_len (snap->rows));
  c->dropped += snap->rows_dropped;
  if (snap->heavy != NULL)
    {
      c->heavy_went_back |= snap->heavy->step <= c->heavy_step;
      c->heavy_step = snap->heavy->step;
      c->heavies++;
    }
  c->status = snap->status;
  if (c->rows->len > 0 &&
      c->status.step > g_array_index (c->rows, LabStepStats, c->rows->len - 1).step)
    c->step_ahead = TRUE;
  if ((c->status.state == LAB_SESSION_FINISHED || c->status.state == LAB_SESSION_FAILED) &&
      c->rows->len < c->expected)
    c->ended_early = TRUE;
}

static gboolean
on_timeout (gpointer data)
{
  g_error ("timed out waiting for the watch");
  return G_SOURCE_REMOVE;
}

typedef gboolean (*Until) (Collector *c);

/* Iterates the test's context until @until holds; a 60 s guard fails the test. */
static void
run_until (Collector *c,
           Until      until)
{
  GSource *guard = g_timeout_source_new_seconds (60);

  g_source_set_callback (guard, on_timeout, NULL, NULL);
  g_source_attach (guard, c->context);
  while (!until (c))
    g_main_context_iteration (c->context, TRUE);
  g_source_destroy (guard);
  g_source_unref (guard);
}

static gboolean
until_ended (Collector *c)
{
  return c->status.watch == LAB_WATCH_ENDED;
}

static gboolean
until_gone (Collector *c)
{
  return c->status.watch == LAB_WATCH_GONE;
}

static gboolean
until_stalled (Collector *c)
{
  return c->status.watch == LAB_WATCH_STALLED;
}

static gboolean
until_live (Collector *c)
{
  return c->status.watch == LAB_WATCH_LIVE;
}

static gboolean
until_waiting (Collector *c)
{
  return c->status.watch == LAB_WATCH_WAITING && c->status.error[0] != '\0';
}

static gboolean
until_all_rows (Collector *c)
{
  return c->rows->len >= c->expected;
}

static void
collector_init (Collector  *c,
                const char *dir)
{
  memset (c, 0, sizeof *c);
  c->context = g_main_context_new ();
  g_main_context_push_thread_default (c->context);
  c->rows = g_array_new (FALSE, FALSE, sizeof (LabStepStats));
  c->t0 = g_get_monotonic_time ();
  c->watch = lab_watch_new (dir);
  lab_watch_set_consumer (c->watch, c->context, collector_take, c);
}

/* Frees the watch, which must take well under a second; then the collector. */
static void
collector_clear (Collector *c)
{
  gint64 t = g_get_monotonic_time ();

  lab_watch_free (c->watch);
  t = g_get_monotonic_time () - t;
  g_test_message ("lab_watch_free took %.1f ms", t / 1000.0);
  g_assert_cmpint (t, <, G_USEC_PER_SEC);
  g_main_context_pop_thread_default (c->context);
  g_main_context_unref (c->context);
  g_array_unref (c->rows);
  g_free (c->data_name);
}

static void
assert_all_rows (Collector *c)
{
  g_assert_cmpuint (c->rows->len, ==, c->expected);
  for (guint i = 0; i < c->rows->len; i++)
    g_assert_cmpuint (g_array_index (c->rows, LabStepStats, i).step, ==, i + 1);
  g_assert_cmpuint (c->dropped, ==, 0);
  g_assert_false (c->rows_before_manifest);
  g_assert_false (c->ended_early);
  g_assert_false (c->step_ahead);
}

static LabStepStats
make_row (guint64 step,
          gint64  t0)
{
  LabStepStats st = { .step = step, .epoch = 1, .n_layers = 2, .loss = 1.0 / (double) step,
                      .test_loss = NAN, .test_accuracy = NAN };

  st.time = (double) (g_get_monotonic_time () - t0) / G_USEC_PER_SEC;
  st.layer[0].grad_norm = (float) step;
  st.layer[1].grad_norm = 0.25f;
  return st;
}

/* ------------------------------------------------------------------------------------------ */
/* a live run */

typedef struct
{
  const char *dir;
  gint64      t0;
  guint       n_rows;
} LiveRun;

/* Bursts of rows with short pauses, and now and then a pause long enough for the watch to back
 * off to its slowest poll, after which a single row comes: the case that sets the latency. */
static gpointer
write_live (gpointer data)
{
  LiveRun *run = data;
  g_autoptr(LabRunManifest) m = test_manifest ();
  g_autoptr(GError) error = NULL;
  LabRunWriter *writer = lab_run_writer_new (run->dir, m, 0, &error);
  LabHeavy *heavy = lab_run_heavy_new (m, FALSE);

  g_assert_no_error (error);
  for (guint s = 1; s <= run->n_rows; s++)
    {
      LabStepStats st = make_row (s, run->t0);

      g_assert_true (lab_run_writer_append (writer, &st, &error));
      if (s % 400 == 0 || s == run->n_rows)
        {
          heavy->step = s;
          g_assert_true (lab_run_writer_heavy (writer, heavy, &error));
        }
      if (s % 100 == 0)
        g_usleep (10 * 1000);
      if (s % 500 == 250)
        g_usleep (800 * 1000);
    }
  g_assert_true (lab_run_writer_finish (writer, NULL, &error));
  lab_heavy_free (heavy);
  lab_run_writer_free (writer);
  return NULL;
}

static void
test_live (void)
{
  g_autofree char *tmp = lab_test_mkdtemp ();
  g_autofree char *dir = g_build_filename (tmp, "run", NULL);
  Collector c;
  LiveRun run = { dir, 0, 1600 };
  GThread *thread;

  collector_init (&c, dir);
  c.expected = run.n_rows;
  run.t0 = c.t0;
  thread = g_thread_new ("writer", write_live, &run);
  run_until (&c, until_ended);
  g_thread_join (thread);

  assert_all_rows (&c);
  g_assert_cmpint (c.status.state, ==, LAB_SESSION_FINISHED);
  g_assert_cmpstr (c.status.error, ==, "");
  g_assert_cmpuint (c.status.step, ==, run.n_rows);
  g_assert_cmpuint (c.status.rank, ==, 1);
  g_assert_cmpuint (c.status.world_size, ==, 4);
  g_assert_cmpint (c.status.last_row_time, >, 0);
  g_assert_cmpuint (c.manifests, ==, 1);
  g_assert_cmpstr (c.data_name, ==, "run");
  g_assert_cmpuint (c.heavies, >=, 2);
  g_assert_false (c.heavy_went_back);
  g_assert_cmpuint (c.heavy_step, ==, run.n_rows);
  g_test_message ("worst delay from writing a row to the consumer taking it: %.3f s "
                  "(%u snapshots)", c.worst_delay, c.n_snapshots);
  g_assert_cmpfloat (c.worst_delay, <, 2.0);
  collector_clear (&c);
  lab_test_rmdir (tmp);
}

/* ------------------------------------------------------------------------------------------ */
/* a long finished run, a slow consumer */

static void
write_finished (const char *dir,
                guint       n_rows,
                const char *failure)
{
  g_autoptr(LabRunManifest) m = test_manifest ();
  g_autoptr(GError) error = NULL;
  LabRunWriter *writer = lab_run_writer_new (dir, m, 0, &error);

  g_assert_no_error (error);
  for (guint s = 1; s <= n_rows; s++)
    {
      LabStepStats st = make_row (s, 0);
      g_assert_true (lab_run_writer_append (writer, &st, &error));
    }
  g_assert_true (lab_run_writer_finish (writer, failure, &error));
  lab_run_writer_free (writer);
}

static void
test_catch_up (void)
{
  g_autofree char *dir = lab_test_mkdtemp ();
  Collector c;

  write_finished (dir, 20000, NULL);
  collector_init (&c, dir);
  c.expected = 20000;
  c.sleep_ms = 20;
  run_until (&c, until_ended);
  assert_all_rows (&c);
  g_test_message ("%u snapshots, at most %u rows in one", c.n_snapshots, c.max_rows_in_one);
  g_assert_cmpuint (c.max_rows_in_one, <=, LAB_WATCH_CHUNK);
  g_assert_cmpuint (c.n_snapshots, >=, 20000 / LAB_WATCH_CHUNK + 1);
  g_assert_cmpint (c.status.state, ==, LAB_SESSION_FINISHED);
  collector_clear (&c);
  lab_test_rmdir (dir);
}

/* ------------------------------------------------------------------------------------------ */
/* states */

/* Not there yet: waiting, with why; then a run that fails, with the writer's message. */
static void
test_waiting_then_failed (void)
{
  g_autofree char *tmp = lab_test_mkdtemp ();
  g_autofree char *dir = g_build_filename (tmp, "later", NULL);
  Collector c;

  collector_init (&c, dir);
  run_until (&c, until_waiting);
  g_assert_nonnull (strstr (c.status.error, "waiting for the run directory to be created"));
  g_assert_cmpuint (c.status.world_size, ==, 0);
  c.expected = 30;
  write_finished (dir, 30, "loss is NaN at step 31");
  run_until (&c, until_ended);
  assert_all_rows (&c);
  g_assert_cmpint (c.status.state, ==, LAB_SESSION_FAILED);
  g_assert_cmpstr (c.status.error, ==, "loss is NaN at step 31");
  collector_clear (&c);
  lab_test_rmdir (tmp);
}

/* The consumer has not taken the "waiting" snapshot when the run appears: the manifest joins
 * that snapshot, which says the run is there, never a later one. */
static void
test_manifest_with_rows (void)
{
  g_autofree char *tmp = lab_test_mkdtemp ();
  g_autofree char *dir = g_build_filename (tmp, "later", NULL);
  Collector c;

  collector_init (&c, dir);
  g_usleep (300 * 1000);   /* the watch posts "waiting"; nobody takes it */
  c.expected = 12;
  write_finished (dir, 12, NULL);
  g_usleep (700 * 1000);   /* it polls (at least once) and reads the manifest into the slot */
  run_until (&c, until_ended);
  assert_all_rows (&c);
  g_assert_cmpuint (c.manifests, ==, 1);
  g_assert_false (c.state_before_manifest);
  collector_clear (&c);
  lab_test_rmdir (tmp);
}

/* The directory deleted mid-watch: GONE with a message; the rows stay with the consumer. */
static void
test_gone (void)
{
  g_autofree char *dir = lab_test_mkdtemp ();
  g_autoptr(LabRunManifest) m = test_manifest ();
  LabRunWriter *writer = lab_run_writer_new (dir, m, 0, NULL);
  Collector c;

  for (guint s = 1; s <= 10; s++)
    {
      LabStepStats st = make_row (s, 0);
      g_assert_true (lab_run_writer_append (writer, &st, NULL));
    }
  collector_init (&c, dir);
  c.expected = 10;
  run_until (&c, until_all_rows);
  lab_run_writer_free (writer);
  lab_test_rmdir (dir);
  run_until (&c, until_gone);
  g_assert_nonnull (strstr (c.status.error, "the run directory disappeared; showing the 10 rows "
                                            "read before"));
  g_assert_cmpint (c.status.state, ==, LAB_SESSION_RUNNING);
  assert_all_rows (&c);
  collector_clear (&c);
}

/* Running, but its last row is an hour old: stalled; a new row makes it live again. */
static void
test_stalled (void)
{
  g_autofree char *dir = lab_test_mkdtemp ();
  g_autofree char *rows = g_build_filename (dir, "rows.jsonl", NULL);
  g_autoptr(LabRunManifest) m = test_manifest ();
  LabRunWriter *writer = lab_run_writer_new (dir, m, 0, NULL);
  struct utimbuf old = { time (NULL) - 3600, time (NULL) - 3600 };
  LabStepStats st = make_row (1, 0);
  Collector c;

  g_assert_true (lab_run_writer_append (writer, &st, NULL));
  g_assert_cmpint (g_utime (rows, &old), ==, 0);
  collector_init (&c, dir);
  run_until (&c, until_stalled);
  g_assert_cmpint (c.status.state, ==, LAB_SESSION_RUNNING);
  g_assert_cmpint (g_get_monotonic_time () - c.status.last_row_time, >,
                   3000 * (gint64) G_USEC_PER_SEC);
  st = make_row (2, 0);
  g_assert_true (lab_run_writer_append (writer, &st, NULL));
  run_until (&c, until_live);
  g_assert_cmpuint (c.rows->len, ==, 2);
  collector_clear (&c);
  lab_run_writer_free (writer);
  lab_test_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  /* GLib (not built for ThreadSanitizer) creates the lock of its error-domain table on the first
   * GError, publishing it with atomics TSan cannot see; made here, before any thread, every
   * thread's later GErrors are ordered after it */
  g_error_free (g_error_new_literal (G_FILE_ERROR, G_FILE_ERROR_FAILED, "first"));

  g_test_add_func ("/watch/live", test_live);
  g_test_add_func ("/watch/catch-up", test_catch_up);
  g_test_add_func ("/watch/waiting-then-failed", test_waiting_then_failed);
  g_test_add_func ("/watch/manifest-with-rows", test_manifest_with_rows);
  g_test_add_func ("/watch/gone", test_gone);
  g_test_add_func ("/watch/stalled", test_stalled);

  return g_test_run ();
}
