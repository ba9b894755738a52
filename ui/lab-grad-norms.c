/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-grad-norms.c: the gradient norms the gradient plots show (see lab-grad-norms.h).
 */
#define G_LOG_DOMAIN "lab-grad-norms"

#include "config.h"

#include "lab-grad-norms.h"

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
  return delta ? "‖δ‖ (log scale)" : "‖∂L/∂W‖ (log scale)";
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
    g_snprintf (buf, len, "%s (input)", name);
  else if (l + 1 == n)
    g_snprintf (buf, len, "%s (output)", name);
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
    lab_plot_empty_message (plot, "gradients", buf, len);
  else if (lab_extent_is_empty (extent, TRUE))
    g_strlcpy (buf, "No finite, non-zero gradients yet", len);
  else
    return FALSE;
  return TRUE;
}
