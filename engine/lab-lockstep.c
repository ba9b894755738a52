/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-lockstep.c: two sessions trained in lock-step (see lab-lockstep.h).
 *
 * The protocol, per round: the controller raises `target` by K and sends `step K` to both
 * sessions, remembering each command's serial. A side is *settled* when its latest snapshot has
 * acked that serial and reached `target` (or its run failed). Snapshots are only collected until
 * both sides are settled; then they are delivered together and, while playing, the next round
 * goes out. So the consumer never sees one side ahead of the other by more than zero steps.
 *
 * One wrinkle: a session stops at the configured end of its run (FINISHED) and drops the rest
 * of a `step` command; the controller then re-sends the missing steps once, so both sides can
 * be stepped past the end together.
 */
#define G_LOG_DOMAIN "lab-engine"
#include "config.h"

#include "lab-lockstep.h"

typedef struct
{
  LabLockstep     *owner;
  LabSession      *session;
  LabConfig        cfg;
  GPtrArray       *pending;      /* LabSnapshot*, since the previous delivery */
  guint64          serial;       /* last command sent */
  guint64          acked;        /* from the latest snapshot */
  guint64          step;
  guint64          total_steps;
  guint64          resent_at;    /* step at which missing steps were re-sent (G_MAXUINT64: never) */
  LabSessionState  state;
  gboolean         seen;         /* a snapshot arrived since the session started */
} Side;

struct _LabLockstep
{
  Side               side[2];
  guint              chunk;
  guint64            target;     /* the step the round in flight aims at */
  guint64            delivered;  /* the step of the last delivery */
  guint64            extra;      /* steps asked for while a round was in flight */
  gboolean           playing;

  LabLockstepDeliver deliver;
  gpointer           user_data;
  GSource           *watchdog;   /* polls both mailboxes every 100 ms (see set_consumer) */
};

static void
side_configure (Side            *side,
                const LabConfig *cfg)
{
  lab_config_clear (&side->cfg);
  lab_config_copy (&side->cfg, cfg);
  /* two engines on a two-core machine: one BLAS thread each */
  side->cfg.train.threads = 1;
}

/* The side's last command is applied and its rows up to the target are here. */
static gboolean
side_settled (LabLockstep *self,
              Side        *side)
{
  if (!side->seen || side->acked < side->serial)
    return FALSE;
  if (side->state == LAB_SESSION_FAILED || side->step >= self->target)
    return TRUE;

  /* stopped at the configured end of the run with steps of the round left: send them again */
  if (side->state == LAB_SESSION_FINISHED && side->step == side->total_steps &&
      side->resent_at != side->step)
    {
      side->resent_at = side->step;
      side->serial = lab_session_step (side->session, self->target - side->step);
    }
  return FALSE;
}

static void
send_round (LabLockstep *self,
            guint64      n)
{
  self->target += n;
  for (guint i = 0; i < 2; i++)
    if (self->side[i].state != LAB_SESSION_FAILED)
      self->side[i].serial = lab_session_step (self->side[i].session, n);
}

static void
advance (LabLockstep *self)
{
  guint64 n;

  /* evaluate both: side_settled() may re-send steps */
  gboolean s0 = side_settled (self, &self->side[0]);
  gboolean s1 = side_settled (self, &self->side[1]);

  if (!s0 || !s1)
    return;

  self->delivered = self->target;
  if (self->deliver != NULL && (self->side[0].pending->len > 0 || self->side[1].pending->len > 0))
    {
      g_autoptr(GPtrArray) p0 = self->side[0].pending;
      g_autoptr(GPtrArray) p1 = self->side[1].pending;

      self->side[0].pending = g_ptr_array_new_with_free_func ((GDestroyNotify) lab_snapshot_unref);
      self->side[1].pending = g_ptr_array_new_with_free_func ((GDestroyNotify) lab_snapshot_unref);
      self->deliver (self, p0, p1, self->user_data);
    }

  n = self->extra;
  self->extra = 0;
  if (n == 0 && self->playing)
    n = self->chunk;
  if (n > 0 && (self->side[0].state != LAB_SESSION_FAILED ||
                self->side[1].state != LAB_SESSION_FAILED))
    send_round (self, n);
}

static void
on_snapshot (LabSession *session,
             gpointer    user_data)
{
  Side *side = user_data;
  LabSnapshot *snap = lab_session_take (session);

  if (snap == NULL)
    return;
  side->seen = TRUE;
  side->acked = snap->status.acked;
  side->step = snap->status.step;
  side->total_steps = snap->status.total_steps;
  side->state = snap->status.state;
  g_ptr_array_add (side->pending, snap);
  advance (side->owner);
}

/* ------------------------------------------------------------------------------------------ */
/* public                                                                                     */

LabLockstep *
lab_lockstep_new (const LabConfig *cfg0,
                  const LabConfig *cfg1,
                  guint            chunk)
{
  LabLockstep *self;

  g_return_val_if_fail (cfg0 != NULL && cfg1 != NULL, NULL);

  self = g_new0 (LabLockstep, 1);
  self->chunk = chunk > 0 ? chunk : LAB_LOCKSTEP_DEFAULT_CHUNK;
  for (guint i = 0; i < 2; i++)
    {
      Side *side = &self->side[i];

      side->owner = self;
      lab_config_init_defaults (&side->cfg);
      side_configure (side, i == 0 ? cfg0 : cfg1);
      side->pending = g_ptr_array_new_with_free_func ((GDestroyNotify) lab_snapshot_unref);
      side->resent_at = G_MAXUINT64;
      side->state = LAB_SESSION_PAUSED;
      side->session = lab_session_new (&side->cfg);
    }
  return self;
}

void
lab_lockstep_free (LabLockstep *self)
{
  if (self == NULL)
    return;
  if (self->watchdog)
    {
      g_source_destroy (self->watchdog);
      g_source_unref (self->watchdog);
    }
  for (guint i = 0; i < 2; i++)
    {
      Side *side = &self->side[i];

      lab_session_set_consumer (side->session, NULL, NULL, NULL);
      g_clear_pointer (&side->session, lab_session_free);
      g_clear_pointer (&side->pending, g_ptr_array_unref);
      lab_config_clear (&side->cfg);
    }
  g_free (self);
}

static gboolean
watchdog_poll (gpointer user_data)
{
  LabLockstep *self = user_data;

  for (guint i = 0; i < 2; i++)
    on_snapshot (self->side[i].session, &self->side[i]);
  return G_SOURCE_CONTINUE;
}

void
lab_lockstep_set_consumer (LabLockstep        *self,
                           GMainContext       *context,
                           LabLockstepDeliver  deliver,
                           gpointer            user_data)
{
  g_return_if_fail (self != NULL);

  self->deliver = deliver;
  self->user_data = user_data;
  for (guint i = 0; i < 2; i++)
    lab_session_set_consumer (self->side[i].session, context,
                              deliver != NULL ? on_snapshot : NULL, &self->side[i]);

  /* A round only advances when both sides have reported. Taking from both mailboxes every
   * 100 ms as well as on each wake-up means a wake-up lost anywhere (one CI run of
   * test-compare stalled once under load and could not be reproduced) costs 100 ms, not the
   * whole comparison. Taking is cheap and never blocks. */
  if (self->watchdog)
    {
      g_source_destroy (self->watchdog);
      g_clear_pointer (&self->watchdog, g_source_unref);
    }
  if (deliver != NULL)
    {
      self->watchdog = g_timeout_source_new (100);
      g_source_set_callback (self->watchdog, watchdog_poll, self, NULL);
      g_source_attach (self->watchdog, context);
    }
}

void
lab_lockstep_play (LabLockstep *self)
{
  g_return_if_fail (self != NULL);

  self->playing = TRUE;
  advance (self);
}

void
lab_lockstep_pause (LabLockstep *self)
{
  g_return_if_fail (self != NULL);

  self->playing = FALSE;
}

gboolean
lab_lockstep_is_playing (LabLockstep *self)
{
  g_return_val_if_fail (self != NULL, FALSE);
  return self->playing;
}

void
lab_lockstep_step (LabLockstep *self,
                   guint64      n)
{
  g_return_if_fail (self != NULL);

  self->extra += n;
  advance (self);
}

static void
restart (LabLockstep *self,
         gboolean     new_configs)
{
  self->target = 0;
  self->delivered = 0;
  self->extra = 0;
  for (guint i = 0; i < 2; i++)
    {
      Side *side = &self->side[i];

      side->resent_at = G_MAXUINT64;
      /* the state of the new run is not known until the command is acked */
      side->state = LAB_SESSION_PAUSED;
      side->serial = new_configs ? lab_session_set_config (side->session, &side->cfg)
                                 : lab_session_reset (side->session, -1);
    }
}

void
lab_lockstep_reset (LabLockstep *self)
{
  g_return_if_fail (self != NULL);

  restart (self, FALSE);
}

void
lab_lockstep_set_configs (LabLockstep     *self,
                          const LabConfig *cfg0,
                          const LabConfig *cfg1)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (cfg0 != NULL && cfg1 != NULL);

  side_configure (&self->side[0], cfg0);
  side_configure (&self->side[1], cfg1);
  restart (self, TRUE);
}

guint64
lab_lockstep_get_step (LabLockstep *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->delivered;
}

guint64
lab_lockstep_get_target (LabLockstep *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->target;
}

guint
lab_lockstep_get_chunk (LabLockstep *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->chunk;
}

void
lab_lockstep_set_chunk (LabLockstep *self,
                        guint        chunk)
{
  g_return_if_fail (self != NULL);
  self->chunk = chunk > 0 ? chunk : LAB_LOCKSTEP_DEFAULT_CHUNK;
}

LabSession *
lab_lockstep_get_session (LabLockstep *self,
                          guint        side)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (side < 2, NULL);
  return self->side[side].session;
}

const LabConfig *
lab_lockstep_get_config (LabLockstep *self,
                         guint        side)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (side < 2, NULL);
  return &self->side[side].cfg;
}
