/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-error.c: the engine's error domain and the helpers its file parsers and writers fail with.
 */
#define G_LOG_DOMAIN "lab-engine"
#include "config.h"

#include "lab-error.h"

G_DEFINE_QUARK (lab-engine-error-quark, lab_engine_error)

/* Sets @code with the message @format makes of @args, after "NAME: " when @name is given. */
static gboolean G_GNUC_PRINTF (4, 0)
set_error_va (GError         **error,
              LabEngineError   code,
              const char      *name,
              const char      *format,
              va_list          args)
{
  g_autofree char *msg = g_strdup_vprintf (format, args);

  if (name != NULL)
    g_set_error (error, LAB_ENGINE_ERROR, code, "%s: %s", name, msg);
  else
    g_set_error_literal (error, LAB_ENGINE_ERROR, code, msg);
  return FALSE;
}

gboolean
lab_format_error (GError     **error,
                  const char  *name,
                  const char  *format,
                  ...)
{
  va_list args;

  va_start (args, format);
  set_error_va (error, LAB_ENGINE_ERROR_FORMAT, name, format, args);
  va_end (args);
  return FALSE;
}

gboolean
lab_io_error (GError     **error,
              const char  *format,
              ...)
{
  va_list args;

  va_start (args, format);
  set_error_va (error, LAB_ENGINE_ERROR_IO, NULL, format, args);
  va_end (args);
  return FALSE;
}
