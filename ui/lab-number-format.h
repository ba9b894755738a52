/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-number-format.h: numbers as the plots write them. Values that span decades (gradient
 * norms, ratios) read as "3.2×10⁻⁵" with Unicode superscripts, tick labels of a log axis as
 * "10⁻⁶", tick labels of a linear axis with the fewest decimals that show them exactly ("0.25",
 * "87.5") and k/M suffixes ("1.5k", "3M"). Negative numbers get a real minus sign.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* "3.2×10⁻⁵"; plain "0.42" for 0.01 ≤ |v| < 1000; "0"; "NaN"; "∞". */
void lab_number_format_sci         (double   v,
                                    char    *buf,
                                    gsize    len);
/* As lab_number_format_sci(), for a sentence a screen reader says (a plot's accessible
 * description): a value that is not finite reads as words, "overflowed" (±∞) or "not a number"
 * (NaN), not as a symbol. */
void lab_number_format_spoken      (double   v,
                                    char    *buf,
                                    gsize    len);
/* A log axis' tick: "10⁻⁶", "1", "10³"; a value between decades as lab_number_format_sci(). */
void lab_number_format_decade      (double   v,
                                    char    *buf,
                                    gsize    len);
/* A linear axis' tick @v on an axis spanning @range: "500", "0.25", "1.5k", "3M", and beyond
 * what that shows (≥ 10⁹, or non-zero below 10⁻⁴) as lab_number_format_sci(). */
void lab_number_format_tick        (double   v,
                                    double   range,
                                    char    *buf,
                                    gsize    len);
/* A count with its thousands grouped as the locale groups them: "235,200" (English, and the "C"
 * locale), "235.200" (German, Spanish). */
void lab_number_format_count       (guint64  n,
                                    char    *buf,
                                    gsize    len);
/* Appends the superscript form of @e ("⁻¹²") to @str. */
void lab_number_format_superscript (GString *str,
                                    int      e);

G_END_DECLS
