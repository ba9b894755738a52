/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-session.h: the engine thread. A LabSession owns one worker thread and, on it, the trainer
 * (model, data, optimiser, pruner). Commands come in from any thread and are applied between
 * steps; snapshots go out through a one-slot mailbox (DESIGN.md *Threading contract*). The
 * worker never waits for the consumer and the consumer never waits for the worker.
 *
 * Everything that crosses threads is guarded by the session's pthread mutex, so a
 * ThreadSanitizer build can check it; GLib's main loop is only woken ("look"), it carries no data.
 */
#pragma once

#include "lab-heavy-units.h"
#include "lab-snapshot.h"

G_BEGIN_DECLS

typedef struct _LabSession LabSession;

/* Called in the consumer's GMainContext when a snapshot is waiting; call lab_session_take(). */
typedef void (*LabSessionNotify) (LabSession *session,
                                  gpointer    user_data);

/* Starts the worker, paused, on @cfg (copied). Data loading happens on the worker: a failure
 * arrives as a FAILED snapshot and the session stays usable (set a new config or reset). */
LabSession  *lab_session_new          (const LabConfig   *cfg);
/* Quits and joins the worker (within one step), frees everything. */
void         lab_session_free         (LabSession        *session);

/* Sets the consumer: @notify runs in @context (NULL = the thread-default context of the caller)
 * whenever a snapshot is waiting. Call from the consumer's thread. */
void         lab_session_set_consumer (LabSession        *session,
                                       GMainContext      *context,
                                       LabSessionNotify   notify,
                                       gpointer           user_data);
/* The waiting snapshot (leaving the slot empty), or NULL. Any thread. */
LabSnapshot *lab_session_take         (LabSession        *session);

/* Commands. Each returns its serial; a snapshot's `acked` reaches it once applied. */
guint64      lab_session_play         (LabSession        *session);
guint64      lab_session_pause        (LabSession        *session);
guint64      lab_session_step         (LabSession        *session,
                                       guint64            n);
/* Restarts the run: same seed (@seed < 0) or a new one; new run id. */
guint64      lab_session_reset        (LabSession        *session,
                                       gint64             seed);
/* Replaces all settings (rebuilds model and data; new run id). */
guint64      lab_session_set_config   (LabSession        *session,
                                       const LabConfig   *cfg);
guint64      lab_session_set_lr       (LabSession        *session,
                                       double             lr);
guint64      lab_session_set_clip     (LabSession        *session,
                                       LabClipMode        mode,
                                       double             value);
guint64      lab_session_set_batch    (LabSession        *session,
                                       guint              batch);
guint64      lab_session_prune_now    (LabSession        *session,
                                       const LabPruneSpec *spec);
guint64      lab_session_evaluate     (LabSession        *session);
guint64      lab_session_save_weights (LabSession        *session,
                                       const char        *dir);
guint64      lab_session_load_weights (LabSession        *session,
                                       const char        *dir);
/* Replaces weights (and mask, NULL = dense) by @params of @n_params floats in the model's flat
 * layout (copied), and moves the run to just after @step: what reopening a run file does after
 * lab_session_set_config() with the file's settings. The test set is evaluated at once. A
 * mismatch (count, NaN, mask values) is a command error; the run goes on untouched. */
guint64      lab_session_load_params  (LabSession        *session,
                                       const float       *params,
                                       const float       *mask,
                                       gsize              n_params,
                                       guint64            step);
/* Runs a sweep (accuracy versus sparsity) or a lottery (iterative pruning with rewinding) on a
 * copy of this run, in the engine thread: gradlab-cli's experiments (lab-experiment.h), on the
 * run's settings and data, so the same seed and threads give the CLI's numbers. A sweep with
 * @spec->train trains the copy from the start as the CLI does; without, it prunes the network
 * as it is now. The lottery always starts from the beginning. The live run pauses and is left as
 * it was. Snapshots carry the progress (status.experiment), each finished point or round as it
 * comes (sweep_points, lottery_rounds) and the copy that made it (heavy, with a caption).
 * Commands sent meanwhile wait for the end. The specs are copied. */
guint64      lab_session_run_sweep    (LabSession        *session,
                                       const LabSweepSpec *spec);
guint64      lab_session_run_lottery  (LabSession        *session,
                                       const LabLotterySpec *spec);
/* Stops a running experiment within one training step; what it finished stays. Any thread. */
void         lab_session_cancel_experiment (LabSession   *session);
/* Stops the worker after the current step; lab_session_free() joins it. */
guint64      lab_session_quit         (LabSession        *session);

/* What heavy parts carry beyond the default (LabHeavyParts, 0 = nothing more) and the test
 * sample whose activations they show (@probe, −1 = none; default 0). The heavy parts are
 * refreshed at once, also while paused, so a view that asks sees them. */
guint64      lab_session_set_heavy_parts (LabSession    *session,
                                          LabHeavyParts  parts,
                                          gssize         probe);

/* Publishing period of the heavy parts, default 33 ms (tests use 0 for every step). */
void         lab_session_set_heavy_interval (LabSession  *session,
                                             guint        msec);
/* Heavy parts also right after every @steps-th step (0, the default: by time only): what a run
 * directory's heavy snapshots every N steps need. */
void         lab_session_set_heavy_every    (LabSession  *session,
                                             guint        steps);
/* Steps the worker may run per second at most (0 = unlimited, the default). */
void         lab_session_set_max_rate       (LabSession  *session,
                                             double       steps_per_sec);

G_END_DECLS
