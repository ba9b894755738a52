/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-net-edges.c: the connections of the network view's model (see lab-net-graph.h). Between
 * two columns of shown units, every connection is drawn one by one while the layer's share of
 * the budget allows, else the shown units are grouped (g × g bundles). Connections that touch
 * units not shown ("+N more") or the input image are bundles too, so every weight is in exactly
 * one line of the picture and every line says how many it stands for. A single connection's
 * colour is the sign of its weight (or its |∂L/∂w|), its width and opacity |w| relative to the
 * layer's largest; a bundle's width and opacity are the share of its connections still kept.
 */
#define G_LOG_DOMAIN "lab-net-graph"

#include "config.h"

#include <glib/gi18n.h>

#include <math.h>
#include <string.h>

#include "lab-colormap.h"
#include "lab-net-graph-private.h"
#include "lab-number-format.h"

#define DEFAULT_MAX_EDGES 4000
#define MIN_PER_LAYER     1024   /* 32 × 32 shown units: one by one */

/* What a bundle aggregates (signed: whole rows or columns are added and their shown parts
 * taken away again). */
typedef struct
{
  gint64 n, kept, kept_before;
  double sum_w, sum_g;
} Acc;

/* One layer being connected: its weights now and (same shape) before a pruning, or NULL. */
typedef struct
{
  LabNetGraph         *g;
  guint                l;
  const LabHeavyLayer *now;
  const LabHeavyLayer *before;
  const LabNetColumn  *a, *b;    /* from, to */
  const LabNetLayerStats *st;
  double               s;        /* unit scale */
} Layer;

static gboolean
kept (const LabHeavyLayer *layer,
      gsize                i)
{
  return layer->mask == NULL || layer->mask[i] != 0.0f;
}

/* W[row, col] added (@sign 1) or taken away (−1). */
static void
acc_add (Acc         *acc,
         const Layer *L,
         gsize        row,
         gsize        col,
         int          sign)
{
  gsize i = row * L->now->cols + col;

  acc->n += sign;
  if (L->before != NULL && kept (L->before, i))
    acc->kept_before += sign;
  if (!kept (L->now, i))
    return;
  acc->kept += sign;
  acc->sum_w += sign * L->now->weight[i];
  if (L->now->weight_grad != NULL)
    acc->sum_g += sign * fabs (L->now->weight_grad[i]);
}

/* Row @k (@row) or column @k of the layer, whole, added or taken away. */
static void
acc_line (Acc         *acc,
          const Layer *L,
          gboolean     row,
          gsize        k,
          int          sign)
{
  const LabNetLayerStats *st = L->st;

  acc->n += sign * (gint64) (row ? L->now->cols : L->now->rows);
  acc->kept += sign * (gint64) (row ? st->row_kept[k] : st->col_kept[k]);
  if (st->row_before != NULL)
    acc->kept_before += sign * (gint64) (row ? st->row_before[k] : st->col_before[k]);
  acc->sum_w += sign * (row ? st->row_w[k] : st->col_w[k]);
  if (st->row_g != NULL)
    acc->sum_g += sign * (row ? st->row_g[k] : st->col_g[k]);
}

static const LabNetNeuron *
neuron (const LabNetGraph *g,
        guint              i)
{
  return &g_array_index (g->neurons, LabNetNeuron, i);
}

/* Where a bundle or single ends on the side of @col: the mean centre of its neurons, the
 * marker, or the image's edge level with @y_other. */
static void
end_point (const Layer        *L,
           const LabNetColumn *col,
           gint                first,
           gint                count,
           gboolean            right_side,
           double              y_other,
           double             *x,
           double             *y)
{
  double sy = 0, r = 0;

  if (first == LAB_NET_IMAGE)
    {
      *x = col->image_x + col->image_side;
      *y = CLAMP (y_other, col->image_y, col->image_y + col->image_side);
      return;
    }
  if (first == LAB_NET_MORE)
    {
      *x = col->x;
      *y = col->more_y;
      return;
    }
  for (gint k = 0; k < count; k++)
    {
      sy += neuron (L->g, first + k)->y;
      r = neuron (L->g, first + k)->r;
    }
  *x = col->x + (right_side ? r : -r);
  *y = sy / count;
}

static void
set_single_style (const Layer *L,
                  LabNetEdge  *e)
{
  LabNetGraph *g = L->g;
  double a = g->w_max[L->l] > 0 ? MIN (1.0, fabs (e->w) / g->w_max[L->l]) : 0;

  e->width = (0.4 + 2.4 * a) * L->s;
  e->alpha = 0.12 + 0.78 * a;
  if (e->pruned && !e->fading)
    {
      e->width = 0.8 * L->s;
      e->alpha = 0.3;
      _lab_net_neutral (e->rgb);
      return;
    }
  switch (g->opts.color)
    {
    case LAB_NET_COLOR_WEIGHT:
      lab_colormap_diverging (e->w >= 0 ? 1 : -1, 1, e->rgb);
      break;
    case LAB_NET_COLOR_GRAD:
      if (!isnan (e->grad))
        {
          lab_colormap_sequential (_lab_net_graph_scale_t (g, e->grad), e->rgb);
          break;
        }
      G_GNUC_FALLTHROUGH;
    case LAB_NET_COLOR_DELTA:
    default:
      /* grey, and fainter: the units carry the colour */
      _lab_net_neutral (e->rgb);
      e->alpha *= 0.45;
      break;
    }
}

static void
add_single (Layer *L,
            guint  ia,
            guint  ib)
{
  const LabNetNeuron *na = neuron (L->g, ia), *nb = neuron (L->g, ib);
  gsize i = nb->unit * L->now->cols + na->unit;
  gboolean k = kept (L->now, i), was = L->before != NULL && kept (L->before, i);
  LabNetEdge e = {
    .layer = L->l, .from = (gint) ia, .from_n = 1, .to = (gint) ib, .to_n = 1,
    .row = nb->unit, .col = na->unit, .n = 1, .n_kept = k,
  };

  e.pruned = !k;
  e.fading = !k && was;
  if (!k && !e.fading && !L->g->opts.show_pruned)
    return;   /* a pruned connection is gone */
  e.n_kept_before = e.fading ? 1 : e.n_kept;
  e.w = e.fading ? L->before->weight[i] : L->now->weight[i];
  e.grad = L->now->weight_grad != NULL && k ? fabs (L->now->weight_grad[i]) : NAN;
  end_point (L, L->a, (gint) ia, 1, TRUE, 0, &e.x0, &e.y0);
  end_point (L, L->b, (gint) ib, 1, FALSE, 0, &e.x1, &e.y1);
  set_single_style (L, &e);
  e.width_before = e.width;
  L->g->n_single += !e.fading;
  L->g->n_fading += e.fading;
  g_array_append_val (L->g->edges, e);
}

/* A bundle's width for the share @frac of its connections kept: bundles between groups of
 * shown units are many and thin, those of the units not shown or of the image few and wide. */
static double
bundle_width (const Layer *L,
              gboolean     group,
              double       frac)
{
  return (group ? 0.4 + 2.0 * sqrt (frac) : 0.6 + 3.4 * sqrt (frac)) * L->s;
}

/* A bundle from (@from, @from_n) to (@to, @to_n) of what @acc holds; none when it holds no
 * connection kept now or before (pruned bundles are drawn only with show_pruned). */
static void
add_bundle (Layer     *L,
            gint       from,
            gint       from_n,
            gint       to,
            gint       to_n,
            const Acc *acc)
{
  LabNetGraph *g = L->g;
  LabNetEdge e = {
    .layer = L->l, .bundle = TRUE, .from = from, .from_n = from_n, .to = to, .to_n = to_n,
    .n = (gsize) acc->n, .n_kept = (gsize) acc->kept,
    .n_kept_before = (gsize) (L->before != NULL ? acc->kept_before : acc->kept),
    .w = acc->kept ? (float) (acc->sum_w / acc->kept) : 0.0f,
    .grad = acc->kept && L->now->weight_grad != NULL ? acc->sum_g / acc->kept : NAN,
  };
  gboolean group;
  double frac, y_to;

  if (acc->n == 0 || (acc->kept == 0 && e.n_kept_before == 0 && !g->opts.show_pruned))
    return;
  e.pruned = acc->kept == 0;
  e.fading = e.n_kept_before > e.n_kept;
  end_point (L, L->b, to, to_n, FALSE, 0, &e.x1, &e.y1);
  y_to = e.y1;
  end_point (L, L->a, from, from_n, TRUE, y_to, &e.x0, &e.y0);
  group = from >= 0 && to >= 0;
  frac = (double) acc->kept / (double) acc->n;
  e.width = bundle_width (L, group, frac);
  e.width_before = bundle_width (L, group, (double) e.n_kept_before / (double) acc->n);
  e.alpha = group ? 0.08 + 0.4 * frac : 0.10 + 0.35 * frac;
  if (g->opts.color == LAB_NET_COLOR_DELTA)
    e.alpha *= 0.4;
  if (g->opts.color == LAB_NET_COLOR_GRAD && !isnan (e.grad))
    lab_colormap_sequential (_lab_net_graph_scale_t (g, e.grad), e.rgb);
  else
    _lab_net_neutral (e.rgb);
  g->n_bundles++;
  g->n_fading += e.fading;
  g_array_append_val (g->edges, e);
}

/* Aggregates W[rows, cols], rows over the shown neurons @b_first … (@b_n of them) or, with
 * @b_first = MORE, the units not shown; cols likewise with @a_first, or every input with
 * IMAGE. Sums of whole rows and columns come from the layer's stats, less the shown block, so
 * this costs the shown block, never the matrix. */
static void
gather (const Layer *L,
        gint         a_first,
        gint         a_n,
        gint         b_first,
        gint         b_n,
        Acc         *acc)
{
  const LabNetColumn *a = L->a, *b = L->b;

  memset (acc, 0, sizeof *acc);
  if (a_first >= 0 && b_first >= 0)
    {
      for (gint jb = 0; jb < b_n; jb++)
        for (gint ja = 0; ja < a_n; ja++)
          acc_add (acc, L, neuron (L->g, b_first + jb)->unit, neuron (L->g, a_first + ja)->unit,
                   1);
      return;
    }
  if (b_first >= 0)
    {
      /* rows of the group, less what the shown inputs take */
      for (gint jb = 0; jb < b_n; jb++)
        {
          gsize r = neuron (L->g, b_first + jb)->unit;

          acc_line (acc, L, TRUE, r, 1);
          for (guint ia = 0; a_first == LAB_NET_MORE && ia < a->n_shown; ia++)
            acc_add (acc, L, r, neuron (L->g, a->first + ia)->unit, -1);
        }
      return;
    }
  if (a_first >= 0)
    {
      /* columns of the group, less what the shown units take */
      for (gint ja = 0; ja < a_n; ja++)
        {
          gsize c = neuron (L->g, a_first + ja)->unit;

          acc_line (acc, L, FALSE, c, 1);
          for (guint ib = 0; ib < b->n_shown; ib++)
            acc_add (acc, L, neuron (L->g, b->first + ib)->unit, c, -1);
        }
      return;
    }
  /* everything, less the shown rows and (not for the image) the shown columns, whose shared
   * block was taken away twice */
  acc->n = (gint64) (L->now->rows * L->now->cols);
  acc->kept = (gint64) L->st->kept;
  acc->kept_before = (gint64) L->st->before;
  acc->sum_w = L->st->w;
  acc->sum_g = L->st->g;
  for (guint ib = 0; ib < b->n_shown; ib++)
    acc_line (acc, L, TRUE, neuron (L->g, b->first + ib)->unit, -1);
  for (guint ia = 0; a_first == LAB_NET_MORE && ia < a->n_shown; ia++)
    {
      gsize c = neuron (L->g, a->first + ia)->unit;

      acc_line (acc, L, FALSE, c, -1);
      for (guint ib = 0; ib < b->n_shown; ib++)
        acc_add (acc, L, neuron (L->g, b->first + ib)->unit, c, 1);
    }
}

/* The group size that keeps this layer's lines within @budget. */
static guint
group_size (guint  ka,
            guint  kb,
            gsize  budget)
{
  guint gs = 1;

  while ((gsize) ((ka + gs - 1) / gs) * ((kb + gs - 1) / gs) > budget)
    gs++;
  return gs;
}

/* Every connection of layer L: singles or group bundles between shown units, and bundles to and
 * from what is not shown. */
static void
connect_layer (Layer *L,
               gsize  budget)
{
  const LabNetColumn *a = L->a, *b = L->b;
  guint gs = a->image ? 1 : group_size (a->n_shown, b->n_shown, budget);
  guint ga_n = a->image ? 1 : (a->n_shown + gs - 1) / gs, gb_n = (b->n_shown + gs - 1) / gs;
  Acc acc;

  L->g->group[L->l] = gs;
  for (guint gb = 0; gb < gb_n; gb++)
    {
      gint b0 = (gint) (b->first + gb * gs), bn = (gint) MIN (gs, b->n_shown - gb * gs);

      for (guint ga = 0; ga < ga_n && !a->image; ga++)
        {
          gint a0 = (gint) (a->first + ga * gs), an = (gint) MIN (gs, a->n_shown - ga * gs);

          if (gs == 1)
            add_single (L, (guint) a0, (guint) b0);
          else
            {
              gather (L, a0, an, b0, bn, &acc);
              add_bundle (L, a0, an, b0, bn, &acc);
            }
        }
      if (a->image || a->n_more > 0)
        {
          gint from = a->image ? LAB_NET_IMAGE : LAB_NET_MORE;
          gather (L, from, 0, b0, bn, &acc);
          add_bundle (L, from, 0, b0, bn, &acc);
        }
    }
  if (b->n_more == 0)
    return;
  for (guint ga = 0; ga < ga_n && !a->image; ga++)
    {
      gint a0 = (gint) (a->first + ga * gs), an = (gint) MIN (gs, a->n_shown - ga * gs);
      gather (L, a0, an, LAB_NET_MORE, 0, &acc);
      add_bundle (L, a0, an, LAB_NET_MORE, 0, &acc);
    }
  if (a->image || a->n_more > 0)
    {
      gint from = a->image ? LAB_NET_IMAGE : LAB_NET_MORE;
      gather (L, from, 0, LAB_NET_MORE, 0, &acc);
      add_bundle (L, from, 0, LAB_NET_MORE, 0, &acc);
    }
}

static void
layer_note (LabNetGraph         *g,
            guint                l,
            const LabHeavyLayer *layer,
            gsize                singles,
            gsize                bundles)
{
  char n[32];
  GString *s = g_string_new (NULL);

  lab_number_format_count (layer->rows * layer->cols, n, sizeof n);
  /* Translators: the layer's name · its number of weights · the share pruned */
  g_string_append_printf (s, _("%s · %s · %.0f %% pruned\n"), layer->name, n,
                          100 * layer->sparsity);
  lab_number_format_count (singles, n, sizeof n);
  if (singles > 0)
    /* Translators: %s connections drawn one by one */
    g_string_append_printf (s, _("%s one by one"), n);
  if (singles > 0 && bundles > 0)
    g_string_append (s, " + ");
  /* Translators: bundles of connections, each of the given size when there is one */
  if (bundles > 0 && g->group[l] > 1)
    g_string_append_printf (s, _("%zu bundles of %u×%u"), bundles, g->group[l], g->group[l]);
  else if (bundles > 0)
    g_string_append_printf (s, g_dngettext (GETTEXT_PACKAGE, "%zu bundle", "%zu bundles",
                                            bundles), bundles);
  else if (g->group[l] > 1)
    g_string_append_printf (s, _(" of %u×%u"), g->group[l], g->group[l]);
  g_strlcpy (g->layer_note[l], s->str, sizeof g->layer_note[l]);
  g_string_free (s, TRUE);
}

void
_lab_net_layer_stats_init (LabNetLayerStats    *st,
                           const LabHeavyLayer *now,
                           const LabHeavyLayer *before)
{
  gsize rows = now->rows, cols = now->cols;
  const float *grad = now->weight_grad;

  memset (st, 0, sizeof *st);
  st->row_kept = g_new0 (gsize, rows);
  st->col_kept = g_new0 (gsize, cols);
  st->row_w = g_new0 (double, rows);
  st->col_w = g_new0 (double, cols);
  st->row_sq = g_new0 (double, rows);
  st->col_sq = g_new0 (double, cols);
  if (grad != NULL)
    {
      st->row_g = g_new0 (double, rows);
      st->col_g = g_new0 (double, cols);
    }
  if (before != NULL)
    {
      st->row_before = g_new0 (gsize, rows);
      st->col_before = g_new0 (gsize, cols);
    }
  for (gsize r = 0; r < rows; r++)
    for (gsize c = 0; c < cols; c++)
      {
        gsize i = r * cols + c;
        double w = now->weight[i];

        if (before != NULL && kept (before, i))
          {
            st->row_before[r]++;
            st->col_before[c]++;
            st->before++;
          }
        if (!kept (now, i))
          continue;
        st->row_kept[r]++;
        st->col_kept[c]++;
        st->row_w[r] += w;
        st->col_w[c] += w;
        st->row_sq[r] += w * w;
        st->col_sq[c] += w * w;
        st->w_max = MAX (st->w_max, fabs (w));
        if (grad != NULL)
          {
            st->row_g[r] += fabs (grad[i]);
            st->col_g[c] += fabs (grad[i]);
          }
      }
  for (gsize r = 0; r < rows; r++)
    {
      st->kept += st->row_kept[r];
      st->w += st->row_w[r];
      st->g += grad != NULL ? st->row_g[r] : 0;
    }
}

void
_lab_net_layer_stats_clear (LabNetLayerStats *st)
{
  g_free (st->row_kept);
  g_free (st->col_kept);
  g_free (st->row_before);
  g_free (st->col_before);
  g_free (st->row_w);
  g_free (st->col_w);
  g_free (st->row_sq);
  g_free (st->col_sq);
  g_free (st->row_g);
  g_free (st->col_g);
}

void
_lab_net_graph_add_edges (LabNetGraph            *g,
                          const LabHeavy         *hv,
                          const LabHeavy         *before,
                          const LabNetLayerStats *stats)
{
  guint pairs = 0;
  gsize budget;

  for (guint l = 0; l < hv->n_layers; l++)
    {
      g->w_max[l] = stats[l].w_max;
      pairs += !g->columns[l].image;
    }
  budget = MAX (MIN_PER_LAYER, (g->opts.max_edges ? g->opts.max_edges : DEFAULT_MAX_EDGES) /
                                 MAX (pairs, 1));

  for (guint l = 0; l < hv->n_layers; l++)
    {
      const LabHeavyLayer *now = &hv->layers[l];
      gsize singles = g->n_single, bundles = g->n_bundles;
      Layer L = {
        g, l, now, _lab_net_before_layer (hv, before, l),
        &g->columns[l], &g->columns[l + 1], &stats[l],
        g->opts.unit_scale > 0 ? g->opts.unit_scale : 1,
      };

      connect_layer (&L, budget);
      layer_note (g, l, now, g->n_single - singles, g->n_bundles - bundles);

      if (now->skip)
        {
          LabNetSkip skip = { l, L.a->x, L.b->x, g->opts.y + 2.0 * g->opts.line_h, now->rows };
          g_array_append_val (g->skips, skip);
        }
    }
}
