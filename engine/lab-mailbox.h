/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-mailbox.h: the one-slot mailbox through which a producer thread (a training session, a
 * watched run directory) hands LabSnapshots to a consumer (DESIGN.md *Threading contract*).
 *
 * The producer posts: the step's row is appended to the snapshot waiting in the slot (or the
 * slot gets a new one), the status is copied, heavy parts are swapped in. The consumer takes the
 * whole snapshot, leaving the slot empty. A pthread mutex guards the slot, so ThreadSanitizer
 * can check it; the lock covers a pointer swap, an append and a status copy, never I/O or
 * allocation of snapshot contents (the producer prepares those before posting).
 *
 * Wake-up: when a post makes a new snapshot worth announcing, an atomic flag is set and the
 * consumer's GMainContext is woken; a GSource there sees the flag and calls the consumer.
 * Nothing passes through GLib's (TSan-invisible) locks.
 *
 * If a consumer stops taking, the slot keeps at most LAB_MAILBOX_MAX_ROWS rows; older ones are
 * dropped (half at a time) and counted in rows_dropped, so memory stays bounded.
 */
#pragma once

#include "lab-rowlog.h"
#include "lab-snapshot.h"

G_BEGIN_DECLS

#define LAB_MAILBOX_MAX_ROWS 16384

typedef struct _LabMailbox LabMailbox;

/* Called in the consumer's GMainContext when a snapshot is waiting. */
typedef void (*LabMailboxNotify) (gpointer user_data);

/* What one post brings. Pointers marked (inout) are taken when used and set to NULL; what is
 * left in them afterwards (an unused spare, the heavy parts that were replaced, unused points)
 * is the producer's to free, after the lock is released. */
typedef struct
{
  guint                run_id;
  LabSnapshot         *spare;     /* (inout) a snapshot of this run for an empty or stale slot */
  const LabStepStats  *row;       /* may be NULL */
  const LabSweepRow   *sweep_point;    /* an experiment's finished point, or NULL */
  const LabLotteryRound *lottery_round;  /* an experiment's finished round, or NULL */
  LabRowLog           *rows;      /* (inout) more rows, after @row, or NULL; ≤ MAX_ROWS / 2 of
                                   * them. Swapped with the slot's when that holds none yet */
  const LabRunStatus  *status;
  LabHeavy            *heavy;     /* (inout) new heavy parts, or NULL; gets the replaced ones */
  LabSnapshot         *points;    /* (inout) the run's 2-D training points, or NULL */
  LabRunManifest      *manifest;  /* (inout) a watched run's new manifest, or NULL: it goes with
                                   * the waiting snapshot (gets the one it replaced, if any) */
  gboolean             announce;  /* wake the consumer now (else the rows wait for a later post) */
  gboolean             announced; /* (out) the consumer was told of a new snapshot */
} LabMailboxPost;

LabMailbox  *lab_mailbox_new          (void);
/* Detaches the consumer and frees the waiting snapshot. */
void         lab_mailbox_free         (LabMailbox       *mailbox);

/* Sets the consumer: @notify runs in @context (NULL = the thread-default context of the caller)
 * whenever a snapshot is waiting; NULL @notify detaches. Call from the consumer's thread. */
void         lab_mailbox_set_consumer (LabMailbox       *mailbox,
                                       GMainContext     *context,
                                       LabMailboxNotify  notify,
                                       gpointer          user_data,
                                       const char       *name);
/* The waiting snapshot (leaving the slot empty), or NULL. Any thread. */
LabSnapshot *lab_mailbox_take         (LabMailbox       *mailbox);

/* TRUE when no snapshot waits (the consumer took the last one). Any thread. */
gboolean     lab_mailbox_is_empty     (LabMailbox       *mailbox);

/* Producer side. Returns TRUE if the post started a new snapshot (the spare was used). */
gboolean     lab_mailbox_post         (LabMailbox       *mailbox,
                                       LabMailboxPost   *post);

G_END_DECLS
