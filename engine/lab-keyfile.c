/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-keyfile.c: strict values of a GKeyFile (lab-keyfile.h), shared by every .ini reader so
 * that they accept and refuse the same things.
 */
#define G_LOG_DOMAIN "lab-engine"
#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <inttypes.h>
#include <math.h>
#include <string.h>

#include "lab-error.h"
#include "lab-keyfile.h"

gboolean
lab_parse_double (const char *s,
                  double     *out)
{
  char *end = NULL;
  double v;

  if (s == NULL || *s == '\0' || g_ascii_isspace (*s))
    return FALSE;
  errno = 0;
  v = g_ascii_strtod (s, &end);
  if (end == s || *end != '\0' || errno == ERANGE || !isfinite (v))
    return FALSE;
  *out = v;
  return TRUE;
}

gboolean
lab_parse_u64 (const char *s,
               guint64    *out)
{
  if (s == NULL || !g_ascii_isdigit (*s))
    return FALSE;
  return g_ascii_string_to_unsigned (s, 10, 0, G_MAXUINT64, out, NULL);
}

gboolean
lab_parse_bool (const char *s,
                gboolean   *out)
{
  static const char * const yes[] = { "true", "yes", "on", "1" };
  static const char * const no[] = { "false", "no", "off", "0" };

  for (guint i = 0; i < G_N_ELEMENTS (yes); i++)
    if (g_ascii_strcasecmp (s, yes[i]) == 0)
      {
        *out = TRUE;
        return TRUE;
      }
  for (guint i = 0; i < G_N_ELEMENTS (no); i++)
    if (g_ascii_strcasecmp (s, no[i]) == 0)
      {
        *out = FALSE;
        return TRUE;
      }
  return FALSE;
}

/* GKeyFile's escapes in a string value (\s \n \t \r \\), checked before
 * g_key_file_get_string(): GLib 2.74 sets its GError twice (a GLib warning, fatal under
 * G_DEBUG=fatal-warnings) for an invalid escape followed by a trailing backslash. Found by
 * fuzzing (tests/fuzz/regressions/config/). Returns the problem, or NULL. */
static char *
check_escapes (const char *raw)
{
  for (const char *p = raw; *p != '\0'; p++)
    {
      if (*p != '\\')
        continue;
      p++;
      if (*p == '\0')
        return g_strdup (_("the value ends in a backslash (write \\\\ for a backslash)"));
      if (strchr ("sntr\\", *p) == NULL)
        {
          g_autofree char *shown = g_strescape ((char[]) { *p, '\0' }, NULL);
          return g_strdup_printf (_("'\\%s' is not a valid escape (use \\s \\n \\t \\r or "
                                    "\\\\)"), shown);
        }
    }
  return NULL;
}

char *
lab_key_file_get_string (GKeyFile    *kf,
                         const char  *group,
                         const char  *key,
                         char       **why)
{
  g_autoptr(GError) local = NULL;
  g_autofree char *raw = g_key_file_get_value (kf, group, key, NULL);
  char *value;

  *why = NULL;
  if (raw == NULL)
    return NULL;
  if ((*why = check_escapes (raw)) != NULL)
    return NULL;
  value = g_key_file_get_string (kf, group, key, &local);
  if (value == NULL)
    *why = g_strdup (local->message);
  return value;
}

/* ------------------------------------------------------------------------------------------ */
/* LabIni */

#define SHOWN_MAX 64   /* bytes of a bad value quoted in a message */

gboolean
lab_ini_load (LabIni      *ini,
              const char  *data,
              gsize        len,
              const char  *name,
              GError     **error)
{
  g_autoptr(GError) local = NULL;

  ini->kf = g_key_file_new ();
  ini->name = name;
  if (!g_key_file_load_from_data (ini->kf, data, len, G_KEY_FILE_NONE, &local))
    return lab_format_error (error, name, _("not a valid .ini file: %s"), local->message);
  return TRUE;
}

void
lab_ini_clear (LabIni *ini)
{
  g_clear_pointer (&ini->kf, g_key_file_unref);
}

gboolean
lab_ini_fail (const LabIni *ini,
              const char   *group,
              const char   *key,
              const char   *value,
              GError      **error,
              const char   *format,
              ...)
{
  g_autofree char *why = NULL;
  g_autofree char *shown = NULL;
  va_list args;

  va_start (args, format);
  why = g_strdup_vprintf (format, args);
  va_end (args);
  if (value != NULL && strlen (value) > SHOWN_MAX)
    {
      /* a long value is cut at a character boundary: the message is for a person */
      const char *end = g_utf8_find_prev_char (value, value + SHOWN_MAX);
      shown = g_strdup_printf ("%.*s…", end ? (int) (end - value) : 0, value);
    }
  if (value == NULL)
    return lab_format_error (error, ini->name, "[%s] %s: %s", group, key, why);
  return lab_format_error (error, ini->name, "[%s] %s = '%s': %s", group, key,
                           shown ? shown : value, why);
}

/* The value's text into *@out (NULL when absent); FALSE only for a value that cannot be read
 * or a required key that is absent. */
static gboolean
ini_text (const LabIni  *ini,
          const char    *group,
          const char    *key,
          gboolean       required,
          char         **out,
          GError       **error)
{
  g_autofree char *why = NULL;

  *out = lab_key_file_get_string (ini->kf, group, key, &why);
  if (*out != NULL)
    return TRUE;
  if (why != NULL)
    return lab_ini_fail (ini, group, key, NULL, error, "%s", why);
  if (required)
    return lab_ini_fail (ini, group, key, NULL, error, _("missing (this key is required)"));
  return TRUE;
}

gboolean
lab_ini_get_string (const LabIni  *ini,
                    const char    *group,
                    const char    *key,
                    gboolean       required,
                    char         **out,
                    GError       **error)
{
  char *text;

  if (!ini_text (ini, group, key, required, &text, error))
    return FALSE;
  if (text != NULL)
    {
      g_free (*out);
      *out = text;
    }
  return TRUE;
}

static gboolean
fail_uint (const LabIni *ini,
           const char   *group,
           const char   *key,
           const char   *value,
           guint64       min,
           guint64       max,
           GError      **error)
{
  return lab_ini_fail (ini, group, key, value, error,
                       _("must be a whole number from %" PRIu64 " to %" PRIu64), min, max);
}

gboolean
lab_ini_get_uint (const LabIni *ini,
                  const char   *group,
                  const char   *key,
                  guint64       min,
                  guint64       max,
                  gboolean      required,
                  guint64      *out,
                  GError      **error)
{
  g_autofree char *text = NULL;
  guint64 v;

  if (!ini_text (ini, group, key, required, &text, error))
    return FALSE;
  if (text == NULL)
    return TRUE;
  if (!lab_parse_u64 (text, &v) || v < min || v > max)
    return fail_uint (ini, group, key, text, min, max, error);
  *out = v;
  return TRUE;
}

gboolean
lab_ini_get_double (const LabIni *ini,
                    const char   *group,
                    const char   *key,
                    gboolean      required,
                    double       *out,
                    GError      **error)
{
  g_autofree char *text = NULL;

  if (!ini_text (ini, group, key, required, &text, error))
    return FALSE;
  if (text != NULL && !lab_parse_double (text, out))
    return lab_ini_fail (ini, group, key, text, error,
                         _("must be a finite number written with a decimal point"));
  return TRUE;
}

gboolean
lab_ini_get_bool (const LabIni *ini,
                  const char   *group,
                  const char   *key,
                  gboolean      required,
                  gboolean     *out,
                  GError      **error)
{
  g_autofree char *text = NULL;

  if (!ini_text (ini, group, key, required, &text, error))
    return FALSE;
  if (text != NULL && !lab_parse_bool (text, out))
    return lab_ini_fail (ini, group, key, text, error, _("must be true or false"));
  return TRUE;
}

gboolean
lab_ini_get_uint_list (const LabIni *ini,
                       const char   *group,
                       const char   *key,
                       guint64       min,
                       guint64       max,
                       guint         min_n,
                       guint         max_n,
                       gboolean      required,
                       guint64      *out,
                       guint        *n,
                       GError      **error)
{
  g_autofree char *text = NULL;
  g_auto(GStrv) items = NULL;
  guint count;

  if (!ini_text (ini, group, key, required, &text, error))
    return FALSE;
  if (text == NULL)
    return TRUE;
  items = g_strsplit (text, ";", -1);
  count = g_strv_length (items);
  /* "a;b;" is GKeyFile's own list style; "" is the empty list */
  if (count > 0 && *g_strstrip (items[count - 1]) == '\0')
    count--;
  if (count < min_n || count > max_n)
    {
      if (min_n == max_n)
        return lab_ini_fail (ini, group, key, text, error, _("must be a list of %u numbers "
                                                             "separated by ';' (it has %u)"),
                             min_n, count);
      return lab_ini_fail (ini, group, key, text, error, _("must be a list of %u to %u numbers "
                                                           "separated by ';' (it has %u)"),
                           min_n, max_n, count);
    }
  for (guint i = 0; i < count; i++)
    if (!lab_parse_u64 (g_strstrip (items[i]), &out[i]) || out[i] < min || out[i] > max)
      return lab_ini_fail (ini, group, key, text, error,
                           _("item %u must be a whole number from %" PRIu64 " to %" PRIu64),
                           i + 1, min, max);
  *n = count;
  return TRUE;
}
