/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-act-strip.c: what one strip of the activation plot says (see lab-act-strip.h).
 */
#define G_LOG_DOMAIN "lab-act-strip"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "lab-act-strip.h"
#include "lab-number-format.h"

const char *
lab_act_strip_act_name (LabActivation act)
{
  switch (act)
    {
    case LAB_ACT_SIGMOID: return "sigmoid";
    case LAB_ACT_TANH: return "tanh";
    case LAB_ACT_RELU: return "ReLU";
    case LAB_ACT_LEAKY_RELU: return "leaky ReLU";
    case LAB_ACT_ELU: return "ELU";
    case LAB_ACT_LINEAR: return "linear";
    default: return "?";
    }
}

guint64
lab_act_strip_total (const LabHistogram *h)
{
  guint64 t = 0;

  for (guint i = 0; i < LAB_HIST_BINS; i++)
    t += h->count[i];
  return t;
}

gboolean
lab_act_strip_overflowed (const LabHistogram *h)
{
  return h->nonfinite > 0 || !isfinite (h->lo) || !isfinite (h->hi) ||
         fabs (h->lo) > LAB_ACT_STRIP_OVERFLOW || fabs (h->hi) > LAB_ACT_STRIP_OVERFLOW;
}

double
lab_act_strip_edge (const LabActStrip *st,
                    double             t)
{
  double x = st->hist->lo + (st->hist->hi - st->hist->lo) * t;

  return st->gradients ? pow (10, x) : x;
}

double
lab_act_strip_median (const LabActStrip *st)
{
  const LabHistogram *h = st->hist;
  guint64 total = lab_act_strip_total (h), acc = 0;

  for (guint i = 0; i < LAB_HIST_BINS; i++)
    {
      if (acc + h->count[i] >= (total + 1) / 2 && h->count[i] > 0)
        {
          double f = ((total + 1) / 2.0 - acc) / h->count[i];

          return lab_act_strip_edge (st, (i + CLAMP (f, 0, 1)) / LAB_HIST_BINS);
        }
      acc += h->count[i];
    }
  return NAN;
}

/* The share of values of @h that are inf or NaN. */
static double
nonfinite_share (const LabHistogram *h)
{
  return h->nonfinite / (double) (h->nonfinite + lab_act_strip_total (h));
}

void
lab_act_strip_note (const LabActStrip *st,
                    char              *note,
                    gsize              len)
{
  const LabHistogram *h = st->hist;

  note[0] = '\0';
  if (lab_act_strip_total (h) == 0)
    g_strlcpy (note, h->nonfinite > 0 ? _("all inf/NaN") : _("no data"), len);
  else if (h->nonfinite > 0)
    /* an overflowing layer: that matters more than its dead or saturated share */
    g_snprintf (note, len, _("inf/NaN %.1f %%"), 100.0 * nonfinite_share (h));
  else if (lab_act_strip_overflowed (h))
    g_strlcpy (note, _("overflowing: > 1.8×10¹⁹"), len);
  else if (st->gradients)
    {
      char v[32];

      lab_number_format_sci (lab_act_strip_median (st), v, sizeof v);
      g_snprintf (note, len, _("median %s"), v);
    }
  else if (st->stats != NULL && (st->act == LAB_ACT_SIGMOID || st->act == LAB_ACT_TANH))
    g_snprintf (note, len, _("saturated %.0f %%"), 100.0 * st->stats->act_saturated);
  else if (st->stats != NULL && st->act == LAB_ACT_RELU)
    g_snprintf (note, len, _("dead %.0f %%"), 100.0 * st->stats->act_dead);
}

double
lab_act_strip_describe (const LabActStrip *st,
                        guint              l,
                        const char        *name,
                        GString           *out)
{
  const LabHistogram *h = st->hist;
  guint64 total = lab_act_strip_total (h);
  char v[64];

  if (total == 0 && h->nonfinite > 0)
    g_string_append_printf (out, _("layer %u (%s) overflowed"), l + 1, name);
  else if (total == 0)
    g_string_append_printf (out, _("layer %u (%s) has no data"), l + 1, name);
  else if (h->nonfinite > 0)
    g_string_append_printf (out, _("layer %u (%s) overflowed in %.1f %% of its values"), l + 1,
                            name, 100.0 * nonfinite_share (h));
  else if (lab_act_strip_overflowed (h))
    g_string_append_printf (out, _("layer %u (%s) is overflowing, its values beyond 1.8×10¹⁹"),
                            l + 1, name);
  else if (st->gradients)
    {
      lab_number_format_spoken (lab_act_strip_median (st), v, sizeof v);
      g_string_append_printf (out, _("layer %u median %s"), l + 1, v);
    }
  else if (st->stats != NULL && (st->act == LAB_ACT_SIGMOID || st->act == LAB_ACT_TANH))
    {
      g_string_append_printf (out, _("layer %u (%s) %.0f %% saturated"), l + 1, name,
                              100.0 * st->stats->act_saturated);
      return st->stats->act_saturated;
    }
  else if (st->stats != NULL && st->act == LAB_ACT_RELU)
    {
      g_string_append_printf (out, _("layer %u (%s) %.0f %% dead"), l + 1, name,
                              100.0 * st->stats->act_dead);
      return st->stats->act_dead;
    }
  else
    g_string_append_printf (out, _("layer %u (%s)"), l + 1, name);
  return -1;
}
