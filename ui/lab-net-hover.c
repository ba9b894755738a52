/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-net-hover.c: the network view's tooltip text (see lab-net-hover.h). Counts of kept
 * weights are read from the heavy snapshot's masks when asked, for the one thing hovered.
 */
#define G_LOG_DOMAIN "lab-net-hover"

#include "config.h"

#include <glib/gi18n.h>
#include <inttypes.h>
#include <math.h>

#include "lab-net-hover.h"
#include "lab-number-format.h"

/* Kept weights of row @j (@rows_of TRUE) or column @j of @layer. */
static gsize
kept_line (const LabHeavyLayer *layer,
           gsize                j,
           gboolean             row)
{
  gsize n = row ? layer->cols : layer->rows, k = 0;

  if (layer->mask == NULL)
    return n;
  for (gsize i = 0; i < n; i++)
    k += layer->mask[row ? j * layer->cols + i : i * layer->cols + j] != 0.0f;
  return k;
}

static char *
neuron_text (const LabNetGraph  *g,
             const LabHeavy     *hv,
             const LabNetNeuron *nn)
{
  GString *out = g_string_new (NULL);
  char name[64], v[48];

  lab_net_graph_column_name (g, nn->column, name, sizeof name);
  g_string_append_printf (out, _("<b>%s · unit %zu</b> of %zu"), name, nn->unit,
                          g->columns[nn->column].units);
  if (!isnan (nn->act))
    {
      lab_number_format_sci (nn->act, v, sizeof v);
      if (hv->map_n > 0 && nn->column > 0)
        g_string_append_printf (out, _("\nmean output over the plane %s"), v);
      else
        g_string_append_printf (out, nn->column == 0 ? _("\ninput %s on test image #%zd")
                                                     : _("\noutput %s on test image #%zd"),
                                v, hv->probe_index);
    }
  if (!isnan (nn->delta))
    {
      lab_number_format_sci (nn->delta, v, sizeof v);
      g_string_append_printf (out, _("\nback-propagated |δ| %s (step %" PRIu64 ")"), v,
                              hv->delta_step);
    }
  else if (nn->column == 0)
    g_string_append (out, _("\nan input: no δ is computed for it"));
  if (nn->column > 0)
    g_string_append_printf (out, _("\nincoming: %zu of %zu kept"),
                            kept_line (&hv->layers[nn->column - 1], nn->unit, TRUE),
                            hv->layers[nn->column - 1].cols);
  if (nn->column < hv->n_layers)
    g_string_append_printf (out, _("\noutgoing: %zu of %zu kept"),
                            kept_line (&hv->layers[nn->column], nn->unit, FALSE),
                            hv->layers[nn->column].rows);
  if (nn->hollow)
    g_string_append (out, nn->dead_in ? _("\n<b>hollow</b>: every incoming weight pruned")
                                      : _("\n<b>hollow</b>: every outgoing weight pruned"));
  return g_string_free (out, FALSE);
}

/* "Hidden 2 unit 17", "the 276 units not shown of Hidden 1", "every input pixel". */
static void
end_words (const LabNetGraph *g,
           guint              column,
           gint               first,
           gint               count,
           GString           *out)
{
  char name[64];

  lab_net_graph_column_name (g, column, name, sizeof name);
  if (first == LAB_NET_IMAGE)
    g_string_append (out, _("every input pixel"));
  else if (first == LAB_NET_MORE)
    g_string_append_printf (out, _("the %zu units of %s not shown"), g->columns[column].n_more,
                            name);
  else if (count == 1)
    g_string_append_printf (out, _("%s unit %zu"), name,
                            g_array_index (g->neurons, LabNetNeuron, first).unit);
  else
    g_string_append_printf (out, _("%d shown units of %s"), count, name);
}

static char *
edge_text (const LabNetGraph *g,
           const LabHeavy    *hv,
           const LabNetEdge  *e)
{
  GString *out = g_string_new (NULL);
  char v[48], n[32], k[32];

  if (e->bundle)
    g_string_append_printf (out, _("<b>%s bundle</b>: "), hv->layers[e->layer].name);
  else
    g_string_append_printf (out, "<b>%s[%zu, %zu]</b>: ", hv->layers[e->layer].name, e->row,
                            e->col);
  end_words (g, e->layer, e->from, e->from_n, out);
  g_string_append (out, " → ");
  end_words (g, e->layer + 1, e->to, e->to_n, out);
  if (e->bundle)
    {
      lab_number_format_count (e->n, n, sizeof n);
      lab_number_format_count (e->n_kept, k, sizeof k);
      g_string_append_printf (out, _("\n%s connections, %s kept (%.0f %% pruned)"), n, k,
                              100.0 * (e->n - e->n_kept) / MAX (e->n, 1));
      if (e->n_kept > 0)
        {
          lab_number_format_sci (e->w, v, sizeof v);
          g_string_append_printf (out, _("\nmean kept w %s"), v);
        }
    }
  else if (e->pruned)
    g_string_append (out, _("\n<b>pruned</b> (its weight is held at 0)"));
  else
    {
      lab_number_format_sci (e->w, v, sizeof v);
      g_string_append_printf (out, "\nw = %s", v);
    }
  if (!isnan (e->grad))
    {
      lab_number_format_sci (e->grad, v, sizeof v);
      g_string_append_printf (out, e->bundle ? _("\nmean |∂L/∂w| %s") : "\n|∂L/∂w| %s", v);
    }
  else if (!e->pruned)
    g_string_append (out, _("\n|∂L/∂w|: colour the connections by it to see it"));
  return g_string_free (out, FALSE);
}

static char *
pixel_text (const LabNetGraph *g,
            const LabHeavy    *hv,
            int                p)
{
  GString *out = g_string_new (NULL);
  char v[48];

  g_string_append_printf (out, _("<b>Input pixel (%u, %u)</b>"), p % g->img_w, p / g->img_w);
  if (hv->probe_input != NULL)
    {
      lab_number_format_sci (hv->probe_input[p], v, sizeof v);
      g_string_append_printf (out, _("\nvalue %s on test image #%zd"), v,
                              hv->probe_index);
    }
  g_string_append_printf (out, _("\noutgoing: %zu of %zu kept"),
                          kept_line (&hv->layers[0], (gsize) p, FALSE), hv->layers[0].rows);
  return g_string_free (out, FALSE);
}

char *
lab_net_hover_text (const LabNetGraph *graph,
                    const LabHeavy    *heavy,
                    LabPlotTooltip    *tip)
{
  int i;

  g_return_val_if_fail (graph != NULL && heavy != NULL && tip != NULL, NULL);

  tip->markup = TRUE;
  if ((i = lab_net_graph_neuron_at (graph, tip->x, tip->y)) >= 0)
    return neuron_text (graph, heavy, &g_array_index (graph->neurons, LabNetNeuron, i));
  if ((i = lab_net_graph_pixel_at (graph, tip->x, tip->y)) >= 0)
    return pixel_text (graph, heavy, i);
  if ((i = lab_net_graph_edge_at (graph, tip->x, tip->y)) >= 0)
    return edge_text (graph, heavy, &g_array_index (graph->edges, LabNetEdge, i));
  return NULL;
}
