/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-error.h: the one error domain of the engine. Every recoverable failure (a bad file, a
 * setting out of range, a diverged run) is a GError in this domain with a message a person
 * can act on.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define LAB_ENGINE_ERROR (lab_engine_error_quark ())

typedef enum
{
  LAB_ENGINE_ERROR_INVALID,      /* a setting or argument is out of range */
  LAB_ENGINE_ERROR_IO,           /* a file could not be read or written */
  LAB_ENGINE_ERROR_FORMAT,       /* a file is malformed, truncated or inconsistent */
  LAB_ENGINE_ERROR_DIVERGED,     /* training produced NaN/Inf */
  LAB_ENGINE_ERROR_MISMATCH,     /* a file does not fit the model */
  LAB_ENGINE_ERROR_CANCELLED,    /* the caller asked a long job (an experiment) to stop */
} LabEngineError;

GQuark   lab_engine_error_quark (void);

/* Sets LAB_ENGINE_ERROR_FORMAT, "NAME: message", and returns FALSE: how a file parser fails
 * (`return lab_format_error (error, name, "truncated …", …);`). */
gboolean lab_format_error       (GError     **error,
                                 const char  *name,
                                 const char  *format,
                                 ...) G_GNUC_PRINTF (3, 4);
/* Sets LAB_ENGINE_ERROR_IO with a whole message and returns FALSE: how a write or a folder
 * operation fails (`return lab_io_error (error, _("%s: could not write: %s"), path,
 * g_strerror (errno));`; gettext leaves errno alone, so _() may sit beside it). */
gboolean lab_io_error           (GError     **error,
                                 const char  *format,
                                 ...) G_GNUC_PRINTF (2, 3);

G_END_DECLS
