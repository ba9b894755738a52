/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-flow-bars.c: which layers stand in which bar of the gradient flow plot (see
 * lab-flow-bars.h).
 */
#define G_LOG_DOMAIN "lab-flow-bars"

#include "config.h"

#include <math.h>

#include "lab-flow-bars.h"

typedef struct
{
  GArray            *bars;
  const guint       *shown;
  const double      *value, *lo, *hi;
  LabLayerSelection *sel;
} Layout;

/* A bar for shown layers shown[a … b] (inclusive). */
static void
add_bar (Layout *o,
         guint   a,
         guint   b,
         guint   group)
{
  LabFlowBar bar = { o->shown[a], o->shown[b], b - a + 1, group, NAN, G_MAXDOUBLE, -G_MAXDOUBLE };
  double log_sum = 0;
  guint n_pos = 0;

  for (guint i = a; i <= b; i++)
    {
      double v = o->value[o->shown[i]];

      bar.lo = MIN (bar.lo, o->lo[o->shown[i]]);
      bar.hi = MAX (bar.hi, o->hi[o->shown[i]]);
      if (isfinite (v) && v > 0)
        {
          log_sum += log (v);
          n_pos++;
        }
    }
  if (bar.n == 1)
    bar.value = o->value[o->shown[a]];
  else if (n_pos > 0)
    bar.value = exp (log_sum / n_pos);
  g_array_append_val (o->bars, bar);
}

static guint
group_of (Layout *o,
          guint   i)
{
  return lab_layer_selection_get_group (o->sel, o->shown[i]);
}

/* The groups of the shown layers between the first and the last, a bar each, when they fit. */
static gboolean
bars_by_group (Layout *o,
               guint   n_shown,
               guint   max_bars)
{
  guint runs = 0;

  if (o->sel == NULL || lab_layer_selection_get_n_groups (o->sel) < 2)
    return FALSE;
  for (guint i = 1; i + 1 < n_shown; i++)
    runs += i == 1 || group_of (o, i) != group_of (o, i - 1);
  if (runs + 2 > max_bars)
    return FALSE;
  for (guint i = 1, a = 1; i + 1 < n_shown; i++)
    if (i + 2 == n_shown || group_of (o, i + 1) != group_of (o, i))
      {
        add_bar (o, a, i, group_of (o, i));
        a = i + 1;
      }
  return TRUE;
}

void
lab_flow_bars_layout (GArray            *bars,
                      const guint       *shown,
                      guint              n_shown,
                      guint              max_bars,
                      const double      *value,
                      const double      *lo,
                      const double      *hi,
                      LabLayerSelection *sel)
{
  Layout o = { bars, shown, value, lo, hi, sel };

  g_return_if_fail (max_bars >= 3);

  g_array_set_size (bars, 0);
  if (n_shown <= max_bars)
    {
      for (guint i = 0; i < n_shown; i++)
        add_bar (&o, i, i, G_MAXUINT);
      return;
    }
  add_bar (&o, 0, 0, G_MAXUINT);
  if (!bars_by_group (&o, n_shown, max_bars))
    {
      guint middle = n_shown - 2, n_bars = max_bars - 2;

      for (guint k = 0; k < n_bars; k++)
        add_bar (&o, 1 + k * middle / n_bars, (k + 1) * middle / n_bars, G_MAXUINT);
    }
  add_bar (&o, n_shown - 1, n_shown - 1, G_MAXUINT);
}

void
lab_flow_bars_name (const LabFlowBar  *bar,
                    LabLayerSelection *sel,
                    char              *buf,
                    gsize              len)
{
  if (bar->group != G_MAXUINT && sel != NULL)
    g_strlcpy (buf, lab_layer_selection_get_group_name (sel, bar->group), len);
  else if (bar->n == 1 && sel != NULL)
    g_strlcpy (buf, lab_layer_selection_get_name (sel, bar->first), len);
  else if (bar->n == 1)
    g_snprintf (buf, len, "L%u", bar->first + 1);
  else
    g_snprintf (buf, len, "L%u–L%u", bar->first + 1, bar->last + 1);
}
