/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-error.c: the engine's error domain and the one helper its file parsers fail with.
 */
#define G_LOG_DOMAIN "lab-engine"
#include "config.h"

#include "lab-error.h"

G_DEFINE_QUARK (lab-engine-error-quark, lab_engine_error)

gboolean
lab_format_error (GError     **error,
                  const char  *name,
                  const char  *format,
                  ...)
{
  g_autofree char *msg = NULL;
  va_list args;

  va_start (args, format);
  msg = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (error, LAB_ENGINE_ERROR, LAB_ENGINE_ERROR_FORMAT, "%s: %s", name, msg);
  return FALSE;
}
