/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-number-format.c: numbers as the plots write them (see lab-number-format.h).
 */
#define G_LOG_DOMAIN "lab-number-format"

#include "config.h"

#include <glib/gi18n.h>
#include <inttypes.h>
#include <locale.h>
#include <math.h>
#include <string.h>

#include "lab-number-format.h"

void
lab_number_format_superscript (GString *str,
                               int      e)
{
  static const char *const digits[] = {
    "⁰", "¹", "²", "³", "⁴", "⁵", "⁶", "⁷", "⁸", "⁹",
  };
  char buf[16];

  if (e < 0)
    g_string_append (str, "⁻");
  g_snprintf (buf, sizeof buf, "%d", ABS (e));
  for (const char *p = buf; *p; p++)
    g_string_append (str, digits[*p - '0']);
}

void
lab_number_format_sci (double  v,
                       char   *buf,
                       gsize   len)
{
  GString *str;
  double m;
  int e;

  if (isnan (v))
    {
      g_strlcpy (buf, "NaN", len);
      return;
    }
  if (isinf (v))
    {
      g_strlcpy (buf, v > 0 ? "∞" : "−∞", len);
      return;
    }
  if (v == 0)
    {
      g_strlcpy (buf, "0", len);
      return;
    }
  if (fabs (v) >= 0.01 && fabs (v) < 1000)
    {
      g_snprintf (buf, len, fabs (v) >= 100 ? "%.0f" : fabs (v) >= 10 ? "%.1f" : "%.3g", v);
      return;
    }

  e = (int) floor (log10 (fabs (v)));
  m = v / pow (10.0, e);
  if (fabs (m) >= 9.95)
    {
      m /= 10;
      e++;
    }
  str = g_string_new (NULL);
  if (fabs (fabs (m) - 1.0) < 0.05)
    g_string_append (str, m < 0 ? "−10" : "10");
  else
    g_string_append_printf (str, "%.1f×10", m);
  lab_number_format_superscript (str, e);
  g_strlcpy (buf, str->str, len);
  g_string_free (str, TRUE);
}

void
lab_number_format_spoken (double  v,
                          char   *buf,
                          gsize   len)
{
  if (isnan (v))
    g_strlcpy (buf, _("not a number"), len);
  else if (isinf (v))
    g_strlcpy (buf, _("overflowed"), len);
  else
    lab_number_format_sci (v, buf, len);
}

void
lab_number_format_decade (double  v,
                          char   *buf,
                          gsize   len)
{
  GString *str;
  int e = (int) lround (log10 (v));

  if (fabs (log10 (v) - e) > 1e-6)
    {
      lab_number_format_sci (v, buf, len);
      return;
    }
  if (e == 0)
    {
      g_strlcpy (buf, "1", len);
      return;
    }
  str = g_string_new ("10");
  lab_number_format_superscript (str, e);
  g_strlcpy (buf, str->str, len);
  g_string_free (str, TRUE);
}

void
lab_number_format_tick (double  v,
                        double  range,
                        char   *buf,
                        gsize   len)
{
  double av = fabs (v);
  const char *suffix = "";
  double div = 1.0;
  int decimals;

  if (av >= 1e9 || (av > 0 && av < 1e-4))
    {
      /* beyond M, or below what six decimals show: 2.5×10¹², as the log axes write it */
      lab_number_format_sci (v, buf, len);
      return;
    }
  if (av >= 1e6 || (av >= 1e4 && fabs (range) >= 1e4))
    {
      suffix = av >= 1e6 ? "M" : "k";
      div = av >= 1e6 ? 1e6 : 1e3;
    }
  /* the fewest decimals that show the tick value exactly (87.5, 90, 0.25, 1.5k) */
  for (decimals = 0; decimals < 6; decimals++)
    {
      double scaled = v / div * pow (10.0, decimals);

      if (fabs (scaled - round (scaled)) < 1e-6 * MAX (1.0, fabs (scaled)))
        break;
    }
  g_snprintf (buf, len, "%.*f%s", decimals, v / div, suffix);
  if (buf[0] == '-')
    {
      /* a real minus sign reads better than a hyphen */
      char tmp[64];

      g_snprintf (tmp, sizeof tmp, "−%s", buf + 1);
      g_strlcpy (buf, tmp, len);
    }
}

void
lab_number_format_count (guint64  n,
                         char    *buf,
                         gsize    len)
{
  /* the locale's separator (German and Spanish group with '.', where 1,024 would read as a
   * decimal); "C" has none, and then English's ',' */
  const char *sep = localeconv ()->thousands_sep;
  char digits[32];
  GString *str = g_string_new (NULL);
  gsize nd;

  if (sep == NULL || *sep == '\0')
    sep = ",";
  g_snprintf (digits, sizeof digits, "%" PRIu64, n);
  nd = strlen (digits);
  for (gsize i = 0; i < nd; i++)
    {
      if (i > 0 && (nd - i) % 3 == 0)
        g_string_append (str, sep);
      g_string_append_c (str, digits[i]);
    }
  g_strlcpy (buf, str->str, len);
  g_string_free (str, TRUE);
}
