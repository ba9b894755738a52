/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-keyfile.h: strict reading of the values of a GKeyFile .ini (settings, a run directory's
 * run.ini and heavy.ini). A value is the whole string or nothing: no trailing text, no spaces,
 * no silent overflow, no NaN or infinity, numbers in the C locale whatever the user's locale.
 *
 * LabIni reads typed keys with the message every .ini reader gives, naming the file, the group,
 * the key and the value: "run.ini: [layer2] shape = '32;x': must be … ". A key that is absent
 * leaves the value as it was (the caller's default) unless it is required.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A finite double written in the C locale (no leading space, nothing after it). */
gboolean lab_parse_double        (const char  *s,
                                  double      *out);
/* Decimal digits only: no sign, no spaces, no trailing text, no overflow. */
gboolean lab_parse_u64           (const char  *s,
                                  guint64     *out);
/* true/yes/on/1 or false/no/off/0, any case. */
gboolean lab_parse_bool          (const char  *s,
                                  gboolean    *out);

/* The string value of [@group] @key with GKeyFile's escapes resolved. NULL when it cannot be
 * read: *@why then says why (a bad escape, invalid UTF-8), or is NULL when the key is absent. */
char    *lab_key_file_get_string (GKeyFile    *kf,
                                  const char  *group,
                                  const char  *key,
                                  char       **why);

typedef struct
{
  GKeyFile   *kf;
  const char *name;     /* the file, as messages name it */
} LabIni;

/* Loads @len bytes of @data; a syntax error names @name. Free with lab_ini_clear(). */
gboolean lab_ini_load           (LabIni       *ini,
                                 const char   *data,
                                 gsize         len,
                                 const char   *name,
                                 GError      **error);
void     lab_ini_clear          (LabIni       *ini);
/* Sets "NAME: [group] key = 'value': why" (value NULL: "NAME: [group] key: why") in
 * LAB_ENGINE_ERROR_FORMAT and returns FALSE. */
gboolean lab_ini_fail           (const LabIni *ini,
                                 const char   *group,
                                 const char   *key,
                                 const char   *value,
                                 GError      **error,
                                 const char   *format,
                                 ...) G_GNUC_PRINTF (6, 7);

/* Typed keys. Each returns FALSE with an error for a bad value or a @required key that is
 * absent; an absent optional key leaves *@out alone. */
gboolean lab_ini_get_string     (const LabIni *ini,
                                 const char   *group,
                                 const char   *key,
                                 gboolean      required,
                                 char        **out,
                                 GError      **error);
gboolean lab_ini_get_uint       (const LabIni *ini,
                                 const char   *group,
                                 const char   *key,
                                 guint64       min,
                                 guint64       max,
                                 gboolean      required,
                                 guint64      *out,
                                 GError      **error);
gboolean lab_ini_get_double     (const LabIni *ini,
                                 const char   *group,
                                 const char   *key,
                                 gboolean      required,
                                 double       *out,
                                 GError      **error);
gboolean lab_ini_get_bool       (const LabIni *ini,
                                 const char   *group,
                                 const char   *key,
                                 gboolean      required,
                                 gboolean     *out,
                                 GError      **error);
/* A list "a;b;c" (a trailing ';' and spaces around items allowed) of @min_n to @max_n whole
 * numbers in [@min, @max]; *@n receives the count (0 for an empty value). */
gboolean lab_ini_get_uint_list  (const LabIni *ini,
                                 const char   *group,
                                 const char   *key,
                                 guint64       min,
                                 guint64       max,
                                 guint         min_n,
                                 guint         max_n,
                                 gboolean      required,
                                 guint64      *out,
                                 guint        *n,
                                 GError      **error);

G_END_DECLS
