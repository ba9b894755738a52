/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-flow-bars.c: which layers stand in which bar of a per-layer bar plot, and their names
 * (see lab-flow-bars.h).
 */
#define G_LOG_DOMAIN "lab-flow-bars"

#include "config.h"

#include <math.h>

#include "lab-flow-bars.h"
#include "lab-snapshot.h"

typedef struct
{
  GArray            *bars;
  const guint       *shown;
  LabFlowBarsMean    mean;
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
  gboolean geometric = o->mean == LAB_FLOW_BARS_GEOMETRIC;
  double sum = 0;
  guint n_sum = 0;

  for (guint i = a; i <= b; i++)
    {
      double v = o->value[o->shown[i]];

      bar.lo = MIN (bar.lo, o->lo[o->shown[i]]);
      bar.hi = MAX (bar.hi, o->hi[o->shown[i]]);
      if (isfinite (v) && (!geometric || v > 0))
        {
          sum += geometric ? log (v) : v;
          n_sum++;
        }
    }
  if (bar.n == 1)
    bar.value = o->value[o->shown[a]];
  else if (n_sum > 0)
    bar.value = geometric ? exp (sum / n_sum) : sum / n_sum;
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
                      LabFlowBarsMean    mean,
                      const double      *value,
                      const double      *lo,
                      const double      *hi,
                      LabLayerSelection *sel)
{
  Layout o = { bars, shown, mean, value, lo, hi, sel };

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
lab_flow_bars_layout_shown (GArray            *bars,
                            LabLayerSelection *sel,
                            guint              n_layers,
                            guint              max_bars,
                            LabFlowBarsMean    mean,
                            const double      *value,
                            const double      *lo,
                            const double      *hi)
{
  g_autofree guint *all = NULL;
  const guint *shown;
  guint n_shown;

  if (sel != NULL)
    shown = lab_layer_selection_get_visible (sel, &n_shown);
  else
    {
      all = g_new (guint, MAX (n_layers, 1));
      for (guint l = 0; l < n_layers; l++)
        all[l] = l;
      shown = all;
      n_shown = n_layers;
    }
  lab_flow_bars_layout (bars, shown, n_shown, max_bars, mean, value, lo, hi, sel);
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

void
lab_flow_bars_draw_labels (GtkSnapshot        *snapshot,
                           GtkWidget          *plot,
                           const LabPlotStyle *s,
                           const LabPlotBars  *layout,
                           GArray             *bars,
                           LabLayerSelection  *sel)
{
  guint n_bars = bars->len, n = 0;
  gboolean groups = sel != NULL && lab_layer_selection_get_n_groups (sel) > 1;
  g_autoptr(GPtrArray) labels = g_ptr_array_new_with_free_func (g_free);
  g_autofree guint *first = g_new (guint, MAX (n_bars, 1));
  g_autofree guint *last = g_new (guint, MAX (n_bars, 1));

  for (guint i = 0; i < n_bars; i++)
    {
      const LabFlowBar *bar = &g_array_index (bars, LabFlowBar, i);
      guint g = groups ? lab_layer_selection_get_group (sel, bar->first) : 0;
      char name[LAB_LAYER_NAME_MAX + 16];

      /* the bars of one group under one name */
      if (groups && bar->group == G_MAXUINT && bar->n == 1 && n > 0 &&
          lab_layer_selection_get_group (sel, g_array_index (bars, LabFlowBar,
                                                             i - 1).last) == g &&
          g_array_index (bars, LabFlowBar, i - 1).group == G_MAXUINT)
        {
          last[n - 1] = i;
          continue;
        }
      if (groups && bar->group == G_MAXUINT && bar->n == 1)
        g_strlcpy (name, lab_layer_selection_get_group_name (sel, g), sizeof name);
      else
        lab_flow_bars_name (bar, sel, name, sizeof name);
      g_ptr_array_add (labels, g_strdup (name));
      first[n] = last[n] = i;
      n++;
    }
  lab_plot_bars_draw_spans (snapshot, plot, s, layout, (const char * const *) labels->pdata,
                            first, last, n);
}
