/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-watch.h: a run directory watched live, the window's producer for `gradlab --watch DIR`.
 * A LabWatch owns one thread running its own GMainContext; there a LabRunReader is polled and
 * what it reads goes out as LabSnapshots through a LabMailbox, exactly as a LabSession's do, so
 * every plot works on a watched run without knowing where it came from:
 *  - status.state RUNNING while the writer runs (and while rows of an ended run are still being
 *    delivered), then FINISHED, or FAILED with the writer's message in status.error;
 *  - status.watch says more (lab-snapshot.h: waiting, live, stalled, ended, gone, second
 *    writer), with last_row_time, rank and world_size for the status line; status.error holds
 *    the message of the state, else the latest row or heavy snapshot that was skipped;
 *  - rows: every row, in order, none twice; heavy: the newest heavy snapshot when it changes;
 *  - a copy of the manifest comes with the first rows read under it (in the snapshot the
 *    consumer takes next, even one that was waiting already), and again whenever it changes;
 *    data_name is the manifest's model (else the folder's name), n_classes its classes.
 *
 * Polling: every LAB_WATCH_FAST_MS while rows arrive, backing off when nothing changes to
 * LAB_WATCH_SLOW_MS, so a row is shown within half a second also where no change notification
 * exists (NFS, sshfs); a GFileMonitor on the directory and on rows.jsonl only wakes a poll
 * early. Back-pressure: rows are read only while the mailbox is empty, at most LAB_WATCH_CHUNK
 * per snapshot, so a long finished run arrives in chunks as fast as the consumer takes them and
 * the mailbox never drops rows. A running writer that sends no row for
 * MAX (LAB_WATCH_STALL_MIN_S, 4 × the longest gap between rows so far) is shown as STALLED.
 */
#pragma once

#include "lab-snapshot.h"

G_BEGIN_DECLS

#define LAB_WATCH_FAST_MS      50
#define LAB_WATCH_SLOW_MS      300
#define LAB_WATCH_CHUNK        8192
#define LAB_WATCH_STALL_MIN_S  30

typedef struct _LabWatch LabWatch;

/* Called in the consumer's GMainContext when a snapshot is waiting; call lab_watch_take(). */
typedef void (*LabWatchNotify) (LabWatch *watch,
                                gpointer  user_data);

/* Starts watching @dir (which need not exist yet: the watch waits for it). */
LabWatch    *lab_watch_new          (const char     *dir);
/* Stops and joins the thread (within one poll), frees everything. */
void         lab_watch_free         (LabWatch       *watch);

/* Sets the consumer: @notify runs in @context (NULL = the thread-default context of the
 * caller) whenever a snapshot is waiting. Call from the consumer's thread. */
void         lab_watch_set_consumer (LabWatch       *watch,
                                     GMainContext   *context,
                                     LabWatchNotify  notify,
                                     gpointer        user_data);
/* The waiting snapshot (leaving the slot empty), or NULL. Any thread. */
LabSnapshot *lab_watch_take         (LabWatch       *watch);

const char  *lab_watch_get_dir      (LabWatch       *watch);

G_END_DECLS
