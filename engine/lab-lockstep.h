/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-lockstep.h: compare mode's controller. It drives two LabSessions (side 0 and side 1, e.g.
 * sigmoid versus ReLU on the same data and seed) so that they reach the same step counts: it
 * only ever sends `step K` to both, and sends the next chunk after both sessions have applied
 * the command and published the rows up to the target step. Then it hands the consumer every
 * snapshot of both sides at once, so whatever the consumer draws is always at equal steps.
 *
 * Each session trains with train.threads = 1, so two sessions use two cores at most.
 * Everything runs in the consumer's GMainContext; no GTK here, so tests drive it directly.
 */
#pragma once

#include "lab-session.h"

G_BEGIN_DECLS

typedef struct _LabLockstep LabLockstep;

/* @snaps: the snapshots (LabSnapshot*, in order) of side 0 and side 1 since the previous
 * delivery; borrowed for the call. After each delivery both sides are at lab_lockstep_get_step()
 * (a side whose run failed stays where it failed). */
typedef void (*LabLockstepDeliver) (LabLockstep *lockstep,
                                    GPtrArray   *snaps0,
                                    GPtrArray   *snaps1,
                                    gpointer     user_data);

#define LAB_LOCKSTEP_DEFAULT_CHUNK 10

/* Starts both sessions, paused, on copies of @cfg0 and @cfg1 (train.threads forced to 1).
 * @chunk steps are sent per round (0 = LAB_LOCKSTEP_DEFAULT_CHUNK). */
LabLockstep *lab_lockstep_new          (const LabConfig    *cfg0,
                                        const LabConfig    *cfg1,
                                        guint               chunk);
/* Stops and joins both engine threads. */
void         lab_lockstep_free         (LabLockstep        *lockstep);

/* @deliver runs in @context (NULL = the caller's thread-default context). */
void         lab_lockstep_set_consumer (LabLockstep        *lockstep,
                                        GMainContext       *context,
                                        LabLockstepDeliver  deliver,
                                        gpointer            user_data);

void         lab_lockstep_play         (LabLockstep        *lockstep);
/* Stops after the chunk in flight (both sides still end at the same step). */
void         lab_lockstep_pause        (LabLockstep        *lockstep);
gboolean     lab_lockstep_is_playing   (LabLockstep        *lockstep);
/* @n more steps on both sides (after the chunk in flight). */
void         lab_lockstep_step         (LabLockstep        *lockstep,
                                        guint64             n);
/* Both runs start over from step 0 (same seeds); keeps playing if it was. */
void         lab_lockstep_reset        (LabLockstep        *lockstep);
/* Replaces both configs (threads forced to 1) and starts over. */
void         lab_lockstep_set_configs  (LabLockstep        *lockstep,
                                        const LabConfig    *cfg0,
                                        const LabConfig    *cfg1);

/* The step both sides have reached and delivered. */
guint64      lab_lockstep_get_step     (LabLockstep        *lockstep);
/* The step the chunk in flight aims at (== get_step when idle). */
guint64      lab_lockstep_get_target   (LabLockstep        *lockstep);
guint        lab_lockstep_get_chunk    (LabLockstep        *lockstep);
void         lab_lockstep_set_chunk    (LabLockstep        *lockstep,
                                        guint               chunk);
/* The session of side 0 or 1 (owned by the lockstep; for heavy-interval and such). */
LabSession  *lab_lockstep_get_session  (LabLockstep        *lockstep,
                                        guint               side);
const LabConfig *lab_lockstep_get_config (LabLockstep      *lockstep,
                                          guint             side);

G_END_DECLS
