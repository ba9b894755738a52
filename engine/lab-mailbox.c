/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-mailbox.c: the one-slot snapshot mailbox between a producer thread and a consumer's main
 * context (see lab-mailbox.h).
 */
#define G_LOG_DOMAIN "lab-engine"
#include "config.h"

#include <pthread.h>

#include "lab-mailbox.h"

typedef struct
{
  GSource     source;
  LabMailbox *mailbox;
} NotifySource;

struct _LabMailbox
{
  /* guarded by lock */
  pthread_mutex_t   lock;
  LabSnapshot      *slot;
  GMainContext     *context;      /* the consumer's, while one is set */
  gboolean          unannounced;  /* the slot's snapshot has not been announced yet */

  gint              pending;      /* atomic: a snapshot waits */

  /* consumer side (its thread only) */
  GSource          *source;
  LabMailboxNotify  notify;
  gpointer          notify_data;
};

static gboolean
notify_prepare (GSource *source,
                gint    *timeout)
{
  NotifySource *ns = (NotifySource *) source;

  *timeout = -1;
  return g_atomic_int_get (&ns->mailbox->pending) != 0;
}

static gboolean
notify_check (GSource *source)
{
  NotifySource *ns = (NotifySource *) source;

  return g_atomic_int_get (&ns->mailbox->pending) != 0;
}

static gboolean
notify_dispatch (GSource     *source,
                 GSourceFunc  callback,
                 gpointer     user_data)
{
  LabMailbox *mailbox = ((NotifySource *) source)->mailbox;

  g_atomic_int_set (&mailbox->pending, 0);
  if (mailbox->notify)
    mailbox->notify (mailbox->notify_data);
  return G_SOURCE_CONTINUE;
}

static GSourceFuncs notify_funcs = {
  notify_prepare, notify_check, notify_dispatch, NULL, NULL, NULL,
};

LabMailbox *
lab_mailbox_new (void)
{
  LabMailbox *mailbox = g_new0 (LabMailbox, 1);

  pthread_mutex_init (&mailbox->lock, NULL);
  return mailbox;
}

void
lab_mailbox_free (LabMailbox *mailbox)
{
  if (mailbox == NULL)
    return;
  if (mailbox->source)
    {
      g_source_destroy (mailbox->source);
      g_source_unref (mailbox->source);
    }
  if (mailbox->context)
    g_main_context_unref (mailbox->context);
  g_clear_pointer (&mailbox->slot, lab_snapshot_unref);
  pthread_mutex_destroy (&mailbox->lock);
  g_free (mailbox);
}

void
lab_mailbox_set_consumer (LabMailbox       *mailbox,
                          GMainContext     *context,
                          LabMailboxNotify  notify,
                          gpointer          user_data,
                          const char       *name)
{
  GMainContext *old;

  if (mailbox->source)
    {
      g_source_destroy (mailbox->source);
      g_clear_pointer (&mailbox->source, g_source_unref);
    }
  if (context == NULL)
    context = g_main_context_ref_thread_default ();
  else
    g_main_context_ref (context);

  mailbox->notify = notify;
  mailbox->notify_data = user_data;
  if (notify != NULL)
    {
      NotifySource *ns = (NotifySource *) g_source_new (&notify_funcs, sizeof (NotifySource));

      ns->mailbox = mailbox;
      g_source_set_name ((GSource *) ns, name);
      /* above GTK's redraw (G_PRIORITY_HIGH_IDLE + 20), below input: at the idle priority a
       * window that animates (a spinner, a fading network) redrew every frame and applied no
       * snapshot at all until it stopped. Posts come at most every 8 ms, so redraw never
       * starves. */
      g_source_set_priority ((GSource *) ns, G_PRIORITY_HIGH_IDLE + 10);
      g_source_attach ((GSource *) ns, context);
      mailbox->source = (GSource *) ns;
    }

  pthread_mutex_lock (&mailbox->lock);
  old = mailbox->context;
  mailbox->context = notify ? g_main_context_ref (context) : NULL;
  pthread_mutex_unlock (&mailbox->lock);

  if (old)
    g_main_context_unref (old);
  g_main_context_unref (context);

  /* a snapshot may already be waiting */
  if (notify && g_atomic_int_get (&mailbox->pending))
    g_main_context_wakeup (context);
}

LabSnapshot *
lab_mailbox_take (LabMailbox *mailbox)
{
  LabSnapshot *snap;

  pthread_mutex_lock (&mailbox->lock);
  snap = g_steal_pointer (&mailbox->slot);
  pthread_mutex_unlock (&mailbox->lock);
  return snap;
}

gboolean
lab_mailbox_is_empty (LabMailbox *mailbox)
{
  gboolean empty;

  pthread_mutex_lock (&mailbox->lock);
  empty = mailbox->slot == NULL;
  pthread_mutex_unlock (&mailbox->lock);
  return empty;
}

/* Appends @n rows, dropping the older half when a consumer stopped taking: one memmove per
 * LAB_MAILBOX_MAX_ROWS / 2 rows, not one per row (measured: per-row removal cut the spiral
 * preset from 60k to 18k steps/s). */
static void
make_room (LabSnapshot *snap,
           gsize        n)
{
  if (lab_row_log_len (snap->rows) + n > LAB_MAILBOX_MAX_ROWS)
    {
      guint half = LAB_MAILBOX_MAX_ROWS / 2;

      lab_row_log_drop_front (snap->rows, half);
      snap->rows_dropped += half;
    }
}

/* Appends the post's rows: a pointer swap when the slot holds none yet (a watched run's chunk
 * of thousands), else a copy of each. */
static void
append_rows (LabSnapshot    *snap,
             LabMailboxPost *post)
{
  if (post->row)
    {
      make_room (snap, 1);
      lab_row_log_append (snap->rows, post->row);
    }
  if (post->rows == NULL || lab_row_log_len (post->rows) == 0)
    return;
  if (lab_row_log_len (snap->rows) == 0)
    {
      LabRowLog *empty = snap->rows;

      snap->rows = post->rows;
      post->rows = empty;
      return;
    }
  make_room (snap, lab_row_log_len (post->rows));
  lab_row_log_append_log (snap->rows, post->rows);
}

gboolean
lab_mailbox_post (LabMailbox     *mailbox,
                  LabMailboxPost *post)
{
  LabSnapshot *snap, *stale = NULL;
  GMainContext *ctx = NULL;
  gboolean created = FALSE, announce;

  g_return_val_if_fail (post->rows == NULL ||
                        lab_row_log_len (post->rows) <= LAB_MAILBOX_MAX_ROWS / 2, FALSE);

  pthread_mutex_lock (&mailbox->lock);
  snap = mailbox->slot;
  if (snap == NULL || snap->run_id != post->run_id)
    {
      /* a snapshot of a previous run still waiting is replaced: its run is gone */
      g_assert (post->spare != NULL && post->spare->run_id == post->run_id);
      stale = snap;
      snap = mailbox->slot = g_steal_pointer (&post->spare);
      mailbox->unannounced = created = TRUE;
    }
  append_rows (snap, post);
  if (post->sweep_point)
    g_array_append_vals (snap->sweep_points, post->sweep_point, 1);
  if (post->lottery_round)
    g_array_append_vals (snap->lottery_rounds, post->lottery_round, 1);
  snap->status = *post->status;
  if (post->heavy)
    {
      LabHeavy *old = snap->heavy;

      snap->heavy = post->heavy;
      post->heavy = old;
    }
  if (post->points && snap->points == NULL)
    {
      snap->n_points = post->points->n_points;
      snap->points = g_steal_pointer (&post->points->points);
      snap->point_labels = g_steal_pointer (&post->points->point_labels);
    }
  if (post->manifest)
    {
      /* with the rows it describes, even when they join a snapshot that was waiting already */
      LabRunManifest *old = snap->manifest;

      snap->manifest = post->manifest;
      post->manifest = old;
    }
  announce = mailbox->unannounced && post->announce;
  if (announce)
    {
      mailbox->unannounced = FALSE;
      if (mailbox->context)
        ctx = g_main_context_ref (mailbox->context);
    }
  pthread_mutex_unlock (&mailbox->lock);

  post->announced = announce;
  g_clear_pointer (&stale, lab_snapshot_unref);
  if (announce)
    {
      /* the flag is set even with no consumer yet: lab_mailbox_set_consumer() checks it */
      g_atomic_int_set (&mailbox->pending, 1);
      if (ctx)
        {
          g_main_context_wakeup (ctx);
          g_main_context_unref (ctx);
        }
    }
  return created;
}
