/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-watch-describe.c: a watched run's state and the age of its last row in words (see
 * lab-watch-describe.h).
 */
#define G_LOG_DOMAIN "lab-window"

#include "config.h"

#include <glib/gi18n.h>

#include <inttypes.h>

#include "lab-error.h"
#include "lab-watch-describe.h"

LabSessionState
lab_watch_describe_style (const LabRunStatus *st)
{
  g_return_val_if_fail (st != NULL, LAB_SESSION_PAUSED);

  switch (st->watch)
    {
    case LAB_WATCH_LIVE:
      return LAB_SESSION_RUNNING;
    case LAB_WATCH_ENDED:
      return st->state == LAB_SESSION_FAILED ? LAB_SESSION_FAILED : LAB_SESSION_FINISHED;
    case LAB_WATCH_GONE:
    case LAB_WATCH_SECOND_WRITER:
      return LAB_SESSION_FAILED;
    case LAB_WATCH_NONE:
    case LAB_WATCH_WAITING:
    case LAB_WATCH_STALLED:
    default:
      return LAB_SESSION_PAUSED;
    }
}

char *
lab_watch_describe_span (gint64 then,
                         gint64 now)
{
  gint64 s = MAX (now - then, 0) / G_USEC_PER_SEC;

  if (s < 60)
    return g_strdup_printf ("%" PRId64 " s", s);
  if (s < 3600)
    return g_strdup_printf ("%" PRId64 " min", s / 60);
  if (s < 2 * 86400)
    return g_strdup_printf ("%" PRId64 " h", s / 3600);
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%" PRId64 " day", "%" PRId64 " days",
                                       s / 86400), s / 86400);
}

char *
lab_watch_describe_age (const LabRunStatus *st,
                        gint64              now)
{
  g_autofree char *span = NULL;

  g_return_val_if_fail (st != NULL, NULL);

  if (st->last_row_time == 0)
    return g_strdup (_("no row yet"));
  span = lab_watch_describe_span (st->last_row_time, now);
  return g_strdup_printf (_("last row %s ago"), span);
}

/* The state's own message (not a skipped row's: the watch keeps that there too, as a FORMAT
 * error, when the state has none). */
static gboolean
has_state_message (const LabRunStatus *st)
{
  return st->error[0] != '\0' && st->error_code != LAB_ENGINE_ERROR_FORMAT;
}

/* "WHAT: MESSAGE", or WHAT alone when the state has no message. */
static char *
with_message (const char         *what,
              const LabRunStatus *st)
{
  if (!has_state_message (st))
    return g_strdup (what);
  return g_strdup_printf ("%s: %s", what, st->error);
}

char *
lab_watch_describe_state (const LabRunStatus *st,
                          gint64              now)
{
  g_autofree char *span = NULL;

  g_return_val_if_fail (st != NULL, NULL);

  switch (st->watch)
    {
    case LAB_WATCH_LIVE:
      return g_strdup (_("Live"));
    case LAB_WATCH_STALLED:
      if (st->last_row_time == 0)
        return g_strdup (_("Stalled: no row yet"));
      span = lab_watch_describe_span (st->last_row_time, now);
      return g_strdup_printf (_("Stalled: no row for %s"), span);
    case LAB_WATCH_ENDED:
      if (st->state == LAB_SESSION_FAILED)
        return with_message (_("Failed"), st);
      return g_strdup (_("Finished"));
    case LAB_WATCH_GONE:
      return with_message (_("Gone"), st);
    case LAB_WATCH_SECOND_WRITER:
      return with_message (_("Second writer"), st);
    case LAB_WATCH_WAITING:
      /* a refused run.ini says why; else the writer has not written one yet */
      return has_state_message (st) ? with_message (_("Waiting"), st)
                                  : g_strdup (_("Waiting for the writer"));
    case LAB_WATCH_NONE:
    default:
      return g_strdup (_("Not watching"));
    }
}

char *
lab_watch_describe_manifest (const LabRunManifest *m)
{
  GString *s = g_string_new (NULL);

  g_return_val_if_fail (m != NULL, NULL);

  /* Translators: the model's name (or “model”) · its number of layers */
  g_string_printf (s, g_dngettext (GETTEXT_PACKAGE, "%s · %u layer", "%s · %u layers",
                                   m->n_layers),
                   *m->model ? m->model : _("model"), m->n_layers);
  if (m->classes > 0)
    g_string_append_printf (s, g_dngettext (GETTEXT_PACKAGE, " · %u class", " · %u classes",
                                            m->classes), m->classes);
  g_string_append_printf (s, " · %s", *m->writer ? m->writer : _("unknown writer"));
  return g_string_free (s, FALSE);
}
