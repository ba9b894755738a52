/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-grad-norms.c: the gradient norms the gradient plots show (see lab-grad-norms.h).
 */
#define G_LOG_DOMAIN "lab-grad-norms"

#include "config.h"

#include <glib/gi18n.h>

#include "lab-grad-norms.h"
#include "lab-palette.h"

/* Per-layer legend entries up to this many; beyond, one entry per group or one for all. */
#define LEGEND_MAX_LAYERS 12

LabHistoryMetric
lab_grad_norms_metric (gboolean delta)
{
  return delta ? LAB_HISTORY_DELTA_NORM : LAB_HISTORY_GRAD_NORM;
}

const char *
lab_grad_norms_symbol (gboolean delta)
{
  return delta ? "‖δ‖" : "‖∂L/∂W‖";
}

const char *
lab_grad_norms_axis_title (gboolean delta)
{
  return delta ? _("‖δ‖ (log scale)") : _("‖∂L/∂W‖ (log scale)");
}

void
lab_grad_norms_layer_name (LabLayerSelection *sel,
                           guint              l,
                           guint              n,
                           char              *buf,
                           gsize              len)
{
  char own[16];
  const char *name = own;

  if (sel != NULL && lab_layer_selection_get_n_layers (sel) == n && l < n)
    name = lab_layer_selection_get_name (sel, l);
  else
    g_snprintf (own, sizeof own, "L%u", l + 1);
  if (l == 0)
    g_snprintf (buf, len, _("%s (input)"), name);
  else if (l + 1 == n)
    g_snprintf (buf, len, _("%s (output)"), name);
  else
    g_strlcpy (buf, name, len);
}

gboolean
lab_grad_norms_empty_message (LabPlot         *plot,
                              gboolean         have_rows,
                              const LabExtent *extent,
                              char            *buf,
                              gsize            len)
{
  if (!have_rows)
    lab_plot_empty_message (plot, C_("no data yet", "gradients"), buf, len);
  else if (lab_extent_is_empty (extent, TRUE))
    g_strlcpy (buf, _("No finite, non-zero gradients yet"), len);
  else
    return FALSE;
  return TRUE;
}

guint
lab_grad_norms_legend (LabLayerSelection  *sel,
                       const guint        *shown,
                       guint               n_shown,
                       guint               n_layers,
                       LabPlotLegendItem **items,
                       GPtrArray          *names)
{
  guint n = 0;
  gboolean grouped = sel != NULL && lab_layer_selection_get_n_layers (sel) == n_layers &&
                     lab_layer_selection_get_n_groups (sel) > 1;
  char buf[128];

  *items = g_new0 (LabPlotLegendItem, MAX (n_shown, 1));
  if (n_shown <= LEGEND_MAX_LAYERS)
    for (guint i = 0; i < n_shown; i++)
      {
        guint l = shown[i];

        lab_grad_norms_layer_name (sel, l, n_layers, buf, sizeof buf);
        g_ptr_array_add (names, g_strdup (buf));
        (*items)[n].swatch = LAB_PLOT_SWATCH_LINE;
        lab_palette_layer_color_in (sel, l, n_layers, &(*items)[n++].color);
      }
  else if (grouped)
    {
      guint n_runs = 0;

      for (guint i = 0; i < n_shown; i++)
        {
          guint l = shown[i];
          guint g = lab_layer_selection_get_group (sel, l);

          /* one entry per run of shown layers of a group, at most LEGEND_MAX_LAYERS */
          if (i > 0 && lab_layer_selection_get_group (sel, shown[i - 1]) == g)
            continue;
          if (++n_runs >= LEGEND_MAX_LAYERS)
            continue;
          g_ptr_array_add (names, g_strdup (lab_layer_selection_get_group_name (sel, g)));
          (*items)[n].swatch = LAB_PLOT_SWATCH_SHADES;
          lab_palette_group_color (g, &(*items)[n++].color);
        }
      if (n_runs >= LEGEND_MAX_LAYERS)
        {
          g_snprintf (buf, sizeof buf, _("+ %u more groups"), n_runs - n);
          g_ptr_array_add (names, g_strdup (buf));
          (*items)[n++].swatch = LAB_PLOT_SWATCH_BOX;   /* no colour: transparent */
        }
    }
  else
    {
      char first[64], last[64];

      lab_grad_norms_layer_name (sel, shown[0], n_layers, first, sizeof first);
      lab_grad_norms_layer_name (sel, shown[n_shown - 1], n_layers, last, sizeof last);
      g_snprintf (buf, sizeof buf, "%s … %s", first, last);
      g_ptr_array_add (names, g_strdup (buf));
      (*items)[n++].swatch = LAB_PLOT_SWATCH_LAYERS;
    }
  for (guint i = 0; i < n; i++)
    (*items)[i].name = g_ptr_array_index (names, i);
  return n;
}
