/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-watch.c: the watch thread (lab-watch.h). Its GMainContext has three sources: a one-shot
 * timer re-armed after every poll with the next interval, a "kick" source that polls at once
 * when an atomic flag is set (the consumer took a snapshot while rows wait, or the watch is
 * stopping), and GFileMonitor callbacks that only move the timer earlier. Nothing but atomics
 * and the mailbox's pthread mutex crosses threads (DESIGN.md *Threading contract*).
 */
#define G_LOG_DOMAIN "lab-engine"
#include "config.h"

#include <gio/gio.h>
#include <math.h>
#include <string.h>

#include "lab-error.h"
#include "lab-mailbox.h"
#include "lab-run-reader.h"
#include "lab-watch.h"

#define EARLY_MS  10   /* a file change polls this soon: a burst of writes settles first */

/* a ThreadSanitizer build (GCC says so with __SANITIZE_THREAD__, clang with __has_feature) */
#if defined(__SANITIZE_THREAD__)
#define LAB_TSAN 1
#elif defined(__has_feature)
#if __has_feature (thread_sanitizer)
#define LAB_TSAN 1
#endif
#endif
#define RUN_ID    1    /* a watch is one run */

struct _LabWatch
{
  char           *dir;
  LabMailbox     *mailbox;
  GMainContext   *context;        /* the watch thread's */
  GThread        *thread;
  gint            quit;           /* atomic */
  gint            kick;           /* atomic: poll now */
  gint            more;           /* atomic: rows wait until the consumer takes a snapshot */
  LabWatchNotify  notify;         /* consumer side */
  gpointer        notify_data;

  /* the watch thread only */
  LabRunReader   *reader;
  GSource        *timer;
  gint64          next_poll;      /* when the timer fires (monotonic µs) */
  guint           interval;       /* ms: the back-off */
  GFileMonitor   *monitors[2];    /* the directory, rows.jsonl */
  LabRunStatus    status;
  LabSnapshot    *spare;
  LabRunManifest *manifest;       /* to go out with the next post, or NULL */
  gint64          started;
  gint64          prev_row_time;
  gint64          longest_gap;    /* µs between two arrivals of rows */
};

typedef struct
{
  GSource   source;
  LabWatch *watch;
} KickSource;

static void poll_now (LabWatch *watch);

/* ------------------------------------------------------------------------------------------ */
/* the status */

/* Running, but no row for a long while (or none since the watch began). */
static gboolean
stalled (LabWatch                *watch,
         const LabRunReaderState *rs)
{
  gint64 now = g_get_monotonic_time ();
  gint64 since = rs->last_row_time ? rs->last_row_time : watch->started;

  if (rs->last_row_time != watch->prev_row_time)
    {
      if (watch->prev_row_time != 0 && rs->last_row_time != 0)
        watch->longest_gap = MAX (watch->longest_gap, rs->last_row_time - watch->prev_row_time);
      watch->prev_row_time = rs->last_row_time;
    }
  return now - since > MAX (LAB_WATCH_STALL_MIN_S * G_USEC_PER_SEC, 4 * watch->longest_gap);
}

/* The status from the reader's state; TRUE when what a consumer shows changed. */
static gboolean
update_status (LabWatch *watch)
{
  const LabRunReaderState *rs = lab_run_reader_state (watch->reader);
  const LabRunManifest *m = lab_run_reader_manifest (watch->reader);
  LabRunStatus *st = &watch->status;
  LabRunStatus old = *st;
  const char *message = rs->message;
  int code = LAB_ENGINE_ERROR_IO;

  st->state = rs->state;
  st->watch = rs->watch;
  if (rs->watch == LAB_WATCH_ENDED && rs->more)
    {
      /* the writer is done, but its last rows are still on their way to the consumer */
      st->state = LAB_SESSION_RUNNING;
      st->watch = LAB_WATCH_LIVE;
      message = NULL;
    }
  else if (rs->watch == LAB_WATCH_ENDED)
    code = LAB_ENGINE_ERROR_INVALID;   /* the writer's own failure, if it failed */
  if (st->watch == LAB_WATCH_LIVE && stalled (watch, rs))
    st->watch = LAB_WATCH_STALLED;
  if (message == NULL && rs->problem != NULL)
    {
      message = rs->problem;
      code = LAB_ENGINE_ERROR_FORMAT;
    }
  if (message != NULL)
    lab_run_status_set_error (st, code, message, 0);
  else
    lab_run_status_set_error (st, 0, "", 0);
  st->last_row_time = rs->last_row_time;
  st->rows_skipped = rs->rows_skipped;
  st->rank = m ? m->rank : 0;
  st->world_size = m ? m->world_size : 0;
  return old.state != st->state || old.watch != st->watch || old.world_size != st->world_size ||
         old.rows_skipped != st->rows_skipped || strcmp (old.error, st->error) != 0;
}

/* Step, epoch and the latest evaluation from the rows just read. */
static void
note_rows (LabWatch  *watch,
           LabRowLog *rows)
{
  LabRunStatus *st = &watch->status;
  g_autofree LabStepStats *row = g_new (LabStepStats, 1);

  for (gsize i = 0; i < lab_row_log_len (rows); i++)
    {
      lab_row_log_get (rows, i, row);
      st->step = row->step;
      st->epoch = row->epoch;
      if (isfinite (row->test_loss))
        {
          st->eval_step = row->step;
          st->test_loss = row->test_loss;
          st->test_accuracy = row->test_accuracy;
        }
    }
}

/* ------------------------------------------------------------------------------------------ */
/* publishing */

static LabSnapshot *
prepare_snapshot (LabWatch *watch)
{
  const LabRunManifest *m = lab_run_reader_manifest (watch->reader);
  LabSnapshot *snap = lab_snapshot_new ();

  snap->run_id = RUN_ID;
  if (m != NULL && *m->model != '\0')
    snap->data_name = g_strdup (m->model);
  else
    snap->data_name = g_path_get_basename (watch->dir);
  snap->n_classes = m ? m->classes : 0;
  return snap;
}

static void
publish (LabWatch   *watch,
         LabRowLog **rows,
         LabHeavy   *heavy)
{
  LabMailboxPost post = {
    .run_id = RUN_ID,
    .rows = *rows,
    .status = &watch->status,
    .heavy = heavy,
    .manifest = g_steal_pointer (&watch->manifest),
    .announce = TRUE,
  };

  if (watch->spare == NULL)
    watch->spare = prepare_snapshot (watch);
  post.spare = g_steal_pointer (&watch->spare);
  lab_mailbox_post (watch->mailbox, &post);
  lab_run_manifest_free (post.manifest);   /* one the consumer had not taken yet */
  watch->spare = post.spare;
  *rows = post.rows;             /* the mailbox may have swapped in its empty log */
  lab_heavy_free (post.heavy);   /* the one it replaced */
}

/* ------------------------------------------------------------------------------------------ */
/* polling (the watch thread) */

static gboolean
on_timer (gpointer data)
{
  LabWatch *watch = data;
  GSource *self = g_steal_pointer (&watch->timer);

  poll_now (watch);
  g_source_unref (self);
  return G_SOURCE_REMOVE;
}

static void
schedule (LabWatch *watch,
          guint     ms)
{
  if (watch->timer != NULL)
    {
      g_source_destroy (watch->timer);
      g_source_unref (watch->timer);
    }
  watch->timer = g_timeout_source_new (ms);
  g_source_set_callback (watch->timer, on_timer, watch, NULL);
  g_source_attach (watch->timer, watch->context);
  watch->next_poll = g_get_monotonic_time () + (gint64) ms * 1000;
}

static void
poll_now (LabWatch *watch)
{
  g_autoptr(LabRowLog) rows = lab_row_log_new (0);
  gboolean empty = lab_mailbox_is_empty (watch->mailbox);
  const LabRunReaderState *rs;
  gboolean changed;
  LabRunPoll poll;

  /* back-pressure: rows only into an empty mailbox, so it never has to drop any */
  lab_run_reader_poll (watch->reader, empty ? LAB_WATCH_CHUNK : 0, rows, &poll);
  rs = lab_run_reader_state (watch->reader);
  if (poll.manifest)
    {
      lab_run_manifest_free (watch->manifest);
      watch->manifest = lab_run_manifest_copy (lab_run_reader_manifest (watch->reader));
      g_clear_pointer (&watch->spare, lab_snapshot_unref);
    }
  note_rows (watch, rows);
  changed = update_status (watch) || poll.changed;
  if (changed || lab_row_log_len (rows) > 0 || poll.heavy != NULL || poll.manifest)
    publish (watch, &rows, poll.heavy);
  g_atomic_int_set (&watch->more, rs->more);

  if (rs->more)
    watch->interval = empty ? 0 : LAB_WATCH_FAST_MS;   /* else a take kicks the next poll */
  else if (changed || poll.n_rows > 0 || poll.heavy != NULL)
    watch->interval = LAB_WATCH_FAST_MS;
  else
    watch->interval = CLAMP (watch->interval * 2, LAB_WATCH_FAST_MS, LAB_WATCH_SLOW_MS);
  schedule (watch, watch->interval);
}

static gboolean
kick_prepare (GSource *source,
              gint    *timeout)
{
  *timeout = -1;
  return g_atomic_int_get (&((KickSource *) source)->watch->kick) != 0;
}

static gboolean
kick_check (GSource *source)
{
  return g_atomic_int_get (&((KickSource *) source)->watch->kick) != 0;
}

static gboolean
kick_dispatch (GSource     *source,
               GSourceFunc  callback,
               gpointer     user_data)
{
  LabWatch *watch = ((KickSource *) source)->watch;

  g_atomic_int_set (&watch->kick, 0);
  if (!g_atomic_int_get (&watch->quit))
    poll_now (watch);
  return G_SOURCE_CONTINUE;
}

static GSourceFuncs kick_funcs = {
  kick_prepare, kick_check, kick_dispatch, NULL, NULL, NULL,
};

/* A file changed: poll soon (the timer alone would also see it, later). */
static void
on_file_changed (GFileMonitor      *monitor,
                 GFile             *file,
                 GFile             *other,
                 GFileMonitorEvent  event,
                 gpointer           data)
{
  LabWatch *watch = data;

  if (watch->next_poll - g_get_monotonic_time () > EARLY_MS * 1000)
    schedule (watch, EARLY_MS);
}

static void
start_monitors (LabWatch *watch)
{
  g_autoptr(GFile) dir = g_file_new_for_path (watch->dir);
  g_autoptr(GFile) rows = g_file_get_child (dir, "rows.jsonl");

#ifdef LAB_TSAN
  /* GIO delivers inotify events from GLib's worker thread, synchronised by GMutex, which
   * ThreadSanitizer cannot see (DESIGN.md): a TSan build polls only, which is what the watch
   * must get right anyway (on NFS or sshfs no monitor reports anything) */
  return;
#endif
  /* either may fail (no inotify, a remote file system): polling alone then */
  watch->monitors[0] = g_file_monitor_directory (dir, G_FILE_MONITOR_NONE, NULL, NULL);
  watch->monitors[1] = g_file_monitor_file (rows, G_FILE_MONITOR_NONE, NULL, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (watch->monitors); i++)
    if (watch->monitors[i] != NULL)
      g_signal_connect (watch->monitors[i], "changed", G_CALLBACK (on_file_changed), watch);
}

static gpointer
watch_main (gpointer data)
{
  LabWatch *watch = data;
  GSource *kick;

  g_main_context_push_thread_default (watch->context);
  kick = g_source_new (&kick_funcs, sizeof (KickSource));
  ((KickSource *) kick)->watch = watch;
  g_source_set_name (kick, "LabWatch kick");
  g_source_attach (kick, watch->context);
  start_monitors (watch);
  watch->started = g_get_monotonic_time ();
  schedule (watch, 0);

  while (!g_atomic_int_get (&watch->quit))
    g_main_context_iteration (watch->context, TRUE);

  for (guint i = 0; i < G_N_ELEMENTS (watch->monitors); i++)
    if (watch->monitors[i] != NULL)
      {
        g_file_monitor_cancel (watch->monitors[i]);
        g_clear_object (&watch->monitors[i]);
      }
  if (watch->timer != NULL)
    g_source_destroy (watch->timer);
  g_clear_pointer (&watch->timer, g_source_unref);
  g_source_destroy (kick);
  g_source_unref (kick);
  /* let the monitors' cancelled sources go before the context is left */
  while (g_main_context_iteration (watch->context, FALSE))
    ;
  g_main_context_pop_thread_default (watch->context);
  return NULL;
}

/* ------------------------------------------------------------------------------------------ */
/* public */

LabWatch *
lab_watch_new (const char *dir)
{
  LabWatch *watch = g_new0 (LabWatch, 1);

  g_return_val_if_fail (dir != NULL, NULL);

  watch->dir = g_strdup (dir);
  watch->mailbox = lab_mailbox_new ();
  watch->context = g_main_context_new ();
  watch->reader = lab_run_reader_new (dir);
  watch->status.state = LAB_SESSION_RUNNING;
  watch->status.test_loss = watch->status.test_accuracy = NAN;
  watch->interval = LAB_WATCH_FAST_MS;
  watch->thread = g_thread_new ("lab-watch", watch_main, watch);
  return watch;
}

void
lab_watch_free (LabWatch *watch)
{
  if (watch == NULL)
    return;
  g_atomic_int_set (&watch->quit, 1);
  g_atomic_int_set (&watch->kick, 1);
  g_main_context_wakeup (watch->context);
  g_thread_join (watch->thread);

  lab_mailbox_free (watch->mailbox);
  g_main_context_unref (watch->context);
  lab_run_reader_free (watch->reader);
  g_clear_pointer (&watch->spare, lab_snapshot_unref);
  lab_run_manifest_free (watch->manifest);
  g_free (watch->dir);
  g_free (watch);
}

static void
notify_consumer (gpointer data)
{
  LabWatch *watch = data;

  if (watch->notify)
    watch->notify (watch, watch->notify_data);
}

void
lab_watch_set_consumer (LabWatch       *watch,
                        GMainContext   *context,
                        LabWatchNotify  notify,
                        gpointer        user_data)
{
  watch->notify = notify;
  watch->notify_data = user_data;
  lab_mailbox_set_consumer (watch->mailbox, context, notify ? notify_consumer : NULL, watch,
                            "LabWatch snapshots");
}

LabSnapshot *
lab_watch_take (LabWatch *watch)
{
  LabSnapshot *snap = lab_mailbox_take (watch->mailbox);

  /* rows wait for this: read the next chunk now rather than at the next tick */
  if (snap != NULL && g_atomic_int_get (&watch->more))
    {
      g_atomic_int_set (&watch->kick, 1);
      g_main_context_wakeup (watch->context);
    }
  return snap;
}

const char *
lab_watch_get_dir (LabWatch *watch)
{
  return watch->dir;
}
