/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-net-graph.c: the network view's model (see lab-net-graph.h): its columns of units, which
 * units each shows and why, where they go, what colour they are; hit tests and the sentence a
 * screen reader says. The connections are lab-net-edges.c's.
 */
#define G_LOG_DOMAIN "lab-net-graph"

#include "config.h"

#include <glib/gi18n.h>

#include <inttypes.h>
#include <math.h>
#include <string.h>

#include "lab-colormap.h"
#include "lab-net-graph-private.h"
#include "lab-number-format.h"

#define DEFAULT_PER_COLUMN 32
#define THUMBS_TOP         16     /* thumbnails of a column too wide for them all */
#define THUMB_PITCH        1.25   /* a thumbnail's pitch per side */
#define CIRCLE_PITCH       2.6    /* a circle's pitch per radius */

static const char *const rank_names[] = { "|δ|", N_("outgoing weight norm"), N_("|activation|") };

/* Inputs of the whole chain, one per column, and what each needs to be built. */
typedef struct
{
  LabNetGraph    *g;
  const LabHeavy *hv;
  const LabConfig *cfg;
  LabNetLayerStats *stats;        /* one per layer */
  double          top, bottom;     /* where units go */
  double          col_w;
} Build;

/* --- measures -------------------------------------------------------------------------------- */

/* The norm of each column of a layer's kept weights (how strongly each input feeds the next
 * layer), or with @incoming of each row. */
static void
weight_norms (const LabNetLayerStats *st,
              gsize                   n,
              gboolean                incoming,
              double                 *out)
{
  for (gsize k = 0; k < n; k++)
    out[k] = sqrt (incoming ? st->row_sq[k] : st->col_sq[k]);
}

/* The signed output of unit @j of column @c on the probe, or its mean over the plane; NAN. */
static double
unit_act (const LabHeavy *hv,
          guint           c,
          gsize           j,
          gboolean        absolute)
{
  const LabHeavyLayer *layer;
  gsize cells;
  double sum = 0;

  if (c == 0)
    {
      if (hv->probe_input == NULL)
        return NAN;
      return absolute ? fabs (hv->probe_input[j]) : hv->probe_input[j];
    }
  layer = &hv->layers[c - 1];
  if (layer->probe_act != NULL)
    return absolute ? fabs (layer->probe_act[j]) : layer->probe_act[j];
  if (layer->unit_maps == NULL)
    return NAN;
  cells = (gsize) hv->map_n * hv->map_n;
  for (gsize k = 0; k < cells; k++)
    sum += absolute ? fabs (layer->unit_maps[j * cells + k]) : layer->unit_maps[j * cells + k];
  return sum / cells;
}

/* Fills @m (@n values) with the measure the column's units are chosen by: @want, or the
 * outgoing weight norm when the data for it is missing. Returns the measure used. */
static LabNetRank
column_measure (const Build    *b,
                guint           c,
                gsize           n,
                LabNetRank      want,
                double         *m)
{
  const LabHeavy *hv = b->hv;

  if (want == LAB_NET_RANK_DELTA && c > 0 && hv->layers[c - 1].unit_delta != NULL)
    {
      for (gsize j = 0; j < n; j++)
        m[j] = hv->layers[c - 1].unit_delta[j];
      return want;
    }
  if (want == LAB_NET_RANK_ACTIVATION && !isnan (unit_act (hv, c, 0, TRUE)))
    {
      for (gsize j = 0; j < n; j++)
        m[j] = unit_act (hv, c, j, TRUE);
      return want;
    }
  weight_norms (&b->stats[c < hv->n_layers ? c : c - 1], n, c == hv->n_layers, m);
  return LAB_NET_RANK_WEIGHT;
}

/* dead[j]: every weight of row j (@rows_dead) or column j of the layer pruned. */
static void
dead_units (const LabHeavyLayer    *layer,
            const LabNetLayerStats *st,
            gboolean                rows_dead,
            guint8                 *dead)
{
  gsize n = rows_dead ? layer->rows : layer->cols;

  for (gsize j = 0; j < n; j++)
    dead[j] = layer->mask != NULL && (rows_dead ? st->row_kept[j] : st->col_kept[j]) == 0;
}

/* --- choosing and placing units --------------------------------------------------------------- */

typedef struct
{
  const double *m;
} RankData;

static int
by_measure (gconstpointer a,
            gconstpointer b,
            gpointer      data)
{
  const double *m = ((RankData *) data)->m;
  gsize i = *(const gsize *) a, j = *(const gsize *) b;
  double x = isnan (m[i]) ? -1 : m[i], y = isnan (m[j]) ? -1 : m[j];

  if (x != y)
    return x > y ? -1 : 1;
  return i < j ? -1 : i > j;
}

static int
by_index (gconstpointer a,
          gconstpointer b)
{
  gsize i = *(const gsize *) a, j = *(const gsize *) b;

  return i < j ? -1 : i > j;
}

/* The @k units of largest measure, in index order, in @idx (n values, the first k used). */
static void
select_top (const double *m,
            gsize         n,
            gsize         k,
            gsize        *idx)
{
  RankData data = { m };

  for (gsize i = 0; i < n; i++)
    idx[i] = i;
  if (k < n)
    g_qsort_with_data (idx, (gint) n, sizeof (gsize), by_measure, &data);
  qsort (idx, k, sizeof (gsize), by_index);
}

/* What column @c's units show inside their outline. */
static LabNetThumb
column_thumb (const Build *b,
              guint        c)
{
  const LabHeavy *hv = b->hv;

  if (!b->g->opts.thumbnails)
    return LAB_NET_THUMB_NONE;
  if (c == 0)
    return hv->map_n > 0 && hv->layers[0].cols == 2 ? LAB_NET_THUMB_INPUT_X : LAB_NET_THUMB_NONE;
  if (hv->layers[c - 1].unit_maps != NULL && hv->map_n > 0)
    return LAB_NET_THUMB_MAP;
  if (c == 1 && b->g->columns[0].image)
    return LAB_NET_THUMB_WEIGHTS;
  return LAB_NET_THUMB_NONE;
}

/* How many of @n units fit, their pitch and size (radius or half side). Thumbnails that cannot
 * all be shown at their smallest are shown fewer and larger: a picture needs room. */
static gsize
fit_units (const Build *b,
           gsize        n,
           gboolean     thumb,
           double      *pitch,
           double      *half)
{
  const LabNetOptions *o = &b->g->opts;
  double s = o->unit_scale > 0 ? o->unit_scale : 1;
  double avail = b->bottom - b->top;
  double factor = thumb ? THUMB_PITCH : CIRCLE_PITCH / 2;   /* pitch per full side */
  double side_min = thumb ? 20 * s : 8 * s;
  double side_max = thumb ? MIN (56 * s, b->col_w * 0.45) : MIN (22 * s, b->col_w * 0.24);
  gsize cap = o->max_per_column > 0 ? o->max_per_column : DEFAULT_PER_COLUMN;
  gsize fit = (gsize) MAX (1, floor (avail / (side_min * factor))), k;

  side_max = MAX (side_max, side_min);
  if (n <= MIN (cap, fit))
    k = n;
  else
    {
      if (thumb)
        {
          side_min = MIN (side_max, 40 * s);
          cap = MIN (cap, THUMBS_TOP);
        }
      /* the "+N more" marker takes a line */
      fit = (gsize) MAX (1, floor ((avail - 1.4 * o->line_h) / (side_min * factor)));
      k = MAX (1, MIN (cap, fit));
    }
  *pitch = (avail - (k < n ? 1.4 * o->line_h : 0)) / k;
  *half = MIN (side_max, *pitch / factor) / 2;
  *pitch = MIN (*pitch, 2 * *half * factor * 1.6);   /* a few units stay together */
  return k;
}

static void
neuron_colour (LabNetGraph  *g,
               LabNetNeuron *nn)
{
  nn->t = NAN;
  if (g->opts.color == LAB_NET_COLOR_DELTA && !isnan (nn->delta))
    {
      nn->t = _lab_net_graph_scale_t (g, nn->delta);
      lab_colormap_sequential (nn->t, nn->rgb);
    }
  else
    _lab_net_neutral (nn->rgb);
}

/* The label and note above column @c. */
static void
column_text (const Build  *b,
             LabNetColumn *col,
             gsize         configured)
{
  const LabNetGraph *g = b->g;
  char units[32], more[32];
  GString *note = g_string_new (NULL);

  lab_net_graph_column_name (g, col->column, col->label, sizeof col->label);
  lab_number_format_count (col->units, units, sizeof units);
  if (col->image)
    g_string_append_printf (note, _("%u×%u = %s pixels"), g->img_w, g->img_h, units);
  else if (col->n_more > 0)
    g_string_append_printf (note, _("top %u of %s by %s"), col->n_shown, units,
                            _(rank_names[col->rank]));
  else
    /* Translators: %s is a number of units (neurons) */
    g_string_append_printf (note, g_dngettext (GETTEXT_PACKAGE, "%s unit", "%s units",
                                               col->units), units);
  if (col->removed > 0)
    {
      lab_number_format_count (col->removed, more, sizeof more);
      g_string_append_printf (note, _(" · %s of %zu removed"), more, configured);
    }
  g_strlcpy (col->note, note->str, sizeof col->note);
  g_string_free (note, TRUE);
}

/* Places the shown units of column @c (their indices in @idx) centred in the column. */
static void
place_column (Build        *b,
              LabNetColumn *col,
              const gsize  *idx,
              const double *m,
              const guint8 *dead_in,
              const guint8 *dead_out,
              double        pitch,
              double        half,
              LabNetThumb   thumb)
{
  LabNetGraph *g = b->g;
  const LabHeavy *hv = b->hv;
  double block = col->n_shown * pitch + (col->n_more > 0 ? 1.4 * g->opts.line_h : 0);
  double start = b->top + (b->bottom - b->top - block) / 2;

  col->first = g->neurons->len;
  for (guint i = 0; i < col->n_shown; i++)
    {
      gsize j = idx[i];
      LabNetNeuron nn = {
        .column = col->column,
        .unit = j,
        .x = col->x,
        .y = start + pitch * (i + 0.5),
        .r = half,
        .thumb = thumb == LAB_NET_THUMB_INPUT_X && j == 1 ? LAB_NET_THUMB_INPUT_Y : thumb,
        .dead_in = dead_in != NULL && dead_in[j],
        .dead_out = dead_out != NULL && dead_out[j],
        .delta = col->column > 0 && hv->layers[col->column - 1].unit_delta != NULL
                   ? hv->layers[col->column - 1].unit_delta[j] : NAN,
        .act = unit_act (hv, col->column, j, FALSE),
        .rank = m[j],
      };

      nn.hollow = nn.dead_in || nn.dead_out;
      neuron_colour (g, &nn);
      g_array_append_val (g->neurons, nn);
    }
  col->more_y = start + col->n_shown * pitch + 0.7 * g->opts.line_h;
}

/* The units of column @c: measures, hollow units, the shown ones and where they go. */
static void
build_column (Build *b,
              guint  c)
{
  LabNetGraph *g = b->g;
  const LabHeavy *hv = b->hv;
  LabNetColumn *col = &g->columns[c];
  gsize n = col->units;
  g_autofree double *m = g_new (double, MAX (n, 1));
  g_autofree gsize *idx = g_new (gsize, MAX (n, 1));
  g_autofree guint8 *dead_in = c > 0 ? g_new (guint8, n) : NULL;
  g_autofree guint8 *dead_out = c < hv->n_layers ? g_new (guint8, n) : NULL;
  LabNetThumb thumb = column_thumb (b, c);
  double pitch, half;
  gsize configured = n;

  if (dead_in != NULL)
    dead_units (&hv->layers[c - 1], &b->stats[c - 1], TRUE, dead_in);
  if (dead_out != NULL)
    dead_units (&hv->layers[c], &b->stats[c], FALSE, dead_out);
  for (gsize j = 0; j < n; j++)
    col->n_hollow += (dead_in != NULL && dead_in[j]) || (dead_out != NULL && dead_out[j]);
  if (c == 0 && dead_out != NULL)
    g->input_dead = g_memdup2 (dead_out, n);
  if (b->cfg != NULL && c > 0 && c < hv->n_layers && c <= b->cfg->model.n_hidden &&
      b->cfg->model.hidden[c - 1] > n)
    {
      configured = b->cfg->model.hidden[c - 1];
      col->removed = configured - n;
    }

  col->layer_delta = NAN;
  if (c > 0 && hv->layers[c - 1].unit_delta != NULL)
    {
      double sq = 0;
      for (gsize j = 0; j < n; j++)
        sq += (double) hv->layers[c - 1].unit_delta[j] * hv->layers[c - 1].unit_delta[j];
      col->layer_delta = sqrt (sq);
    }
  col->layer_t = _lab_net_graph_scale_t (g, col->layer_delta);

  if (col->image)
    {
      col->first = g->neurons->len;
      col->n_shown = 0;
      col->image_side = MIN (MIN ((b->bottom - b->top) * 0.5, b->col_w * 0.7),
                             MAX (g->img_w, g->img_h) * 6.0 * MAX (g->opts.unit_scale, 1));
      col->image_x = col->x - col->image_side / 2;
      col->image_y = (b->top + b->bottom - col->image_side) / 2;
      column_text (b, col, configured);
      return;
    }
  col->n_shown = (guint) fit_units (b, n, thumb != LAB_NET_THUMB_NONE, &pitch, &half);
  col->n_more = n - col->n_shown;
  /* the measure is needed only to choose */
  col->rank = g->opts.rank;
  if (col->n_more > 0)
    col->rank = column_measure (b, c, n, g->opts.rank, m);
  else
    for (gsize j = 0; j < n; j++)
      m[j] = NAN;
  select_top (m, n, col->n_shown, idx);
  place_column (b, col, idx, m, dead_in, dead_out, pitch, half, thumb);
  column_text (b, col, configured);
}

/* --- the graph -------------------------------------------------------------------------------- */

double
_lab_net_graph_scale_t (const LabNetGraph *graph,
                        double             value)
{
  double span = graph->scale_hi - graph->scale_lo;

  if (isnan (value) || isnan (span))
    return NAN;
  if (value <= 0)
    return 0;
  return CLAMP ((log10 (value) - graph->scale_lo) / (span > 0 ? span : 1), 0, 1);
}

gboolean
lab_net_graph_value_range (const LabHeavy *heavy,
                           LabNetColor     color,
                           double         *lo,
                           double         *hi)
{
  double vmin = G_MAXDOUBLE, vmax = 0;

  g_return_val_if_fail (lo != NULL && hi != NULL, FALSE);

  for (guint l = 0; heavy != NULL && l < heavy->n_layers; l++)
    {
      const LabHeavyLayer *layer = &heavy->layers[l];
      const float *v = color == LAB_NET_COLOR_DELTA ? layer->unit_delta : layer->weight_grad;
      gsize n = color == LAB_NET_COLOR_DELTA ? layer->rows : layer->rows * layer->cols;

      if (color == LAB_NET_COLOR_WEIGHT || v == NULL)
        continue;
      for (gsize i = 0; i < n; i++)
        {
          double x = fabs (v[i]);

          if (color == LAB_NET_COLOR_GRAD && layer->mask != NULL && layer->mask[i] == 0.0f)
            continue;
          if (isfinite (x) && x > 0)
            {
              vmin = MIN (vmin, x);
              vmax = MAX (vmax, x);
            }
        }
    }
  if (vmax <= 0)
    return FALSE;
  *lo = log10 (vmin);
  *hi = log10 (vmax);
  return TRUE;
}

/* The colour scale: the options' (a shared one), else the graph's own; NAN when the colouring
 * needs none. A single value gets a decade around it. */
static void
set_scale (LabNetGraph    *g,
           const LabHeavy *hv)
{
  g->scale_lo = g->scale_hi = NAN;
  if (g->opts.color == LAB_NET_COLOR_WEIGHT)
    return;
  if (isfinite (g->opts.scale_lo) && isfinite (g->opts.scale_hi))
    {
      g->scale_lo = g->opts.scale_lo;
      g->scale_hi = g->opts.scale_hi;
    }
  else if (!lab_net_graph_value_range (hv, g->opts.color, &g->scale_lo, &g->scale_hi))
    return;
  if (g->scale_hi - g->scale_lo < 1e-9)
    {
      g->scale_lo -= 0.5;
      g->scale_hi += 0.5;
    }
}

const LabHeavyLayer *
_lab_net_before_layer (const LabHeavy *heavy,
                       const LabHeavy *before,
                       guint           l)
{
  if (before == NULL || before->n_layers != heavy->n_layers ||
      before->layers[l].rows != heavy->layers[l].rows ||
      before->layers[l].cols != heavy->layers[l].cols)
    return NULL;
  return &before->layers[l];
}

/* A chain: each layer reads the one before, as the graph draws them. */
static gboolean
is_chain (const LabHeavy *hv)
{
  for (guint l = 1; l < hv->n_layers; l++)
    if (hv->layers[l].cols != hv->layers[l - 1].rows)
      return FALSE;
  return hv->n_layers > 0 && hv->n_layers <= LAB_MAX_LAYERS;
}

static void
write_summary (LabNetGraph    *g,
               const LabHeavy *hv)
{
  GString *s = g_string_new (NULL);

  for (guint c = 0; c < g->n_columns; c++)
    g_string_append_printf (s, c ? "-%zu" : "%zu", g->columns[c].units);
  g_string_append_printf (s, _(" · %.1f %% of weights pruned"),
                          g->n_weights ? 100.0 * g->n_pruned / g->n_weights : 0.0);
  if (g->has_delta && hv->delta_step > 0)
    g_string_append_printf (s, _(" · |δ| of step %" PRIu64), hv->delta_step);
  g_strlcpy (g->summary, s->str, sizeof g->summary);
  g_string_free (s, TRUE);
}

LabNetGraph *
lab_net_graph_new (const LabHeavy      *heavy,
                   const LabConfig     *cfg,
                   const LabHeavy      *before,
                   const LabNetOptions *opts)
{
  LabNetGraph *g = g_new0 (LabNetGraph, 1);
  Build b = { g, heavy, cfg };

  g_return_val_if_fail (opts != NULL, g);

  g->opts = *opts;
  g->neurons = g_array_new (FALSE, TRUE, sizeof (LabNetNeuron));
  g->edges = g_array_new (FALSE, TRUE, sizeof (LabNetEdge));
  g->skips = g_array_new (FALSE, TRUE, sizeof (LabNetSkip));
  if (heavy == NULL || !is_chain (heavy))
    return g;

  g->n_columns = heavy->n_layers + 1;
  g->img_w = heavy->img_w;
  g->img_h = heavy->img_h;
  g->delta_step = heavy->delta_step;
  set_scale (g, heavy);
  for (guint l = 0; l < heavy->n_layers; l++)
    {
      const LabHeavyLayer *layer = &heavy->layers[l];
      gsize nw = layer->rows * layer->cols;

      g->n_weights += nw;
      g->n_pruned += (gsize) llround (layer->sparsity * nw);
      g->has_delta |= layer->unit_delta != NULL;
      g->has_grad |= layer->weight_grad != NULL;
      g->has_act |= layer->probe_act != NULL || layer->unit_maps != NULL;
    }

  b.stats = g_new0 (LabNetLayerStats, heavy->n_layers);
  for (guint l = 0; l < heavy->n_layers; l++)
    _lab_net_layer_stats_init (&b.stats[l], &heavy->layers[l],
                               _lab_net_before_layer (heavy, before, l));
  b.top = opts->y + 2.3 * opts->line_h;
  b.bottom = opts->y + opts->height - 1.8 * opts->line_h;
  b.col_w = opts->width / g->n_columns;
  for (guint c = 0; c < g->n_columns; c++)
    {
      LabNetColumn *col = &g->columns[c];

      col->column = c;
      col->units = c == 0 ? heavy->layers[0].cols : heavy->layers[c - 1].rows;
      col->x = opts->x + b.col_w * (c + 0.5);
      col->image = c == 0 && g->img_w > 0 && (gsize) g->img_w * g->img_h == col->units;
      build_column (&b, c);
    }
  _lab_net_graph_add_edges (g, heavy, before, b.stats);
  write_summary (g, heavy);
  for (guint l = 0; l < heavy->n_layers; l++)
    _lab_net_layer_stats_clear (&b.stats[l]);
  g_free (b.stats);
  return g;
}

void
lab_net_graph_free (LabNetGraph *graph)
{
  if (graph == NULL)
    return;
  g_array_unref (graph->neurons);
  g_array_unref (graph->edges);
  g_array_unref (graph->skips);
  g_free (graph->input_dead);
  g_free (graph);
}

gboolean
lab_net_options_equal (const LabNetOptions *a,
                       const LabNetOptions *b)
{
  g_return_val_if_fail (a != NULL && b != NULL, FALSE);

  return a->color == b->color && a->rank == b->rank && a->show_pruned == b->show_pruned &&
         a->thumbnails == b->thumbnails && a->x == b->x && a->y == b->y &&
         a->width == b->width && a->height == b->height && a->line_h == b->line_h &&
         a->unit_scale == b->unit_scale && a->max_edges == b->max_edges &&
         a->max_per_column == b->max_per_column &&
         (a->scale_lo == b->scale_lo || (isnan (a->scale_lo) && isnan (b->scale_lo))) &&
         (a->scale_hi == b->scale_hi || (isnan (a->scale_hi) && isnan (b->scale_hi)));
}

gboolean
lab_net_graph_pruned_between (const LabHeavy *then,
                              const LabHeavy *now)
{
  gboolean more = FALSE;

  g_return_val_if_fail (then != NULL && now != NULL, FALSE);

  if (then->n_layers != now->n_layers)
    return FALSE;
  for (guint l = 0; l < then->n_layers; l++)
    {
      if (then->layers[l].rows != now->layers[l].rows ||
          then->layers[l].cols != now->layers[l].cols)
        return FALSE;
      more |= now->layers[l].sparsity > then->layers[l].sparsity;
    }
  return more;
}

/* --- hit tests and words ---------------------------------------------------------------------- */

int
lab_net_graph_neuron_at (const LabNetGraph *graph,
                         double             x,
                         double             y)
{
  g_return_val_if_fail (graph != NULL, -1);

  for (guint i = 0; i < graph->neurons->len; i++)
    {
      const LabNetNeuron *nn = &g_array_index (graph->neurons, LabNetNeuron, i);
      double reach = nn->r + 2;

      if (nn->thumb != LAB_NET_THUMB_NONE ? fabs (x - nn->x) <= reach && fabs (y - nn->y) <= reach
                                          : hypot (x - nn->x, y - nn->y) <= reach)
        return (int) i;
    }
  return -1;
}

int
lab_net_graph_edge_at (const LabNetGraph *graph,
                       double             x,
                       double             y)
{
  double best = G_MAXDOUBLE;
  int found = -1;

  g_return_val_if_fail (graph != NULL, -1);

  for (guint i = 0; i < graph->edges->len; i++)
    {
      const LabNetEdge *e = &g_array_index (graph->edges, LabNetEdge, i);
      double dx = e->x1 - e->x0, dy = e->y1 - e->y0, len2 = dx * dx + dy * dy;
      double t = len2 > 0 ? CLAMP (((x - e->x0) * dx + (y - e->y0) * dy) / len2, 0, 1) : 0;
      double d = hypot (x - (e->x0 + t * dx), y - (e->y0 + t * dy));

      if ((e->pruned && !graph->opts.show_pruned) || e->fading)
        continue;
      if (d <= MAX (3.0, e->width / 2 + 1.5) && d < best)
        {
          best = d;
          found = (int) i;
        }
    }
  return found;
}

int
lab_net_graph_pixel_at (const LabNetGraph *graph,
                        double             x,
                        double             y)
{
  const LabNetColumn *col;
  int px, py;

  g_return_val_if_fail (graph != NULL, -1);

  if (graph->n_columns == 0 || !graph->columns[0].image)
    return -1;
  col = &graph->columns[0];
  px = (int) floor ((x - col->image_x) / col->image_side * graph->img_w);
  py = (int) floor ((y - col->image_y) / col->image_side * graph->img_h);
  if (px < 0 || py < 0 || px >= (int) graph->img_w || py >= (int) graph->img_h)
    return -1;
  return py * (int) graph->img_w + px;
}

void
lab_net_graph_column_name (const LabNetGraph *graph,
                           guint              column,
                           char              *buf,
                           gsize              len)
{
  g_return_if_fail (graph != NULL);

  if (column == 0)
    g_strlcpy (buf, _("Input"), len);
  else if (column + 1 == graph->n_columns)
    g_strlcpy (buf, _("Output"), len);
  else
    g_snprintf (buf, len, _("Hidden %u"), column);
}

void
lab_net_graph_describe (const LabNetGraph *graph,
                        GString           *out)
{
  const LabNetColumn *first = NULL, *last = NULL;
  gsize hollow = 0, removed = 0;
  char a[64], b[64];

  g_return_if_fail (graph != NULL && out != NULL);

  if (graph->n_columns == 0)
    return;
  g_string_append (out, _("Network "));
  for (guint c = 0; c < graph->n_columns; c++)
    {
      const LabNetColumn *col = &graph->columns[c];

      g_string_append_printf (out, c ? "-%zu" : "%zu", col->units);
      hollow += col->n_hollow;
      removed += col->removed;
      if (!isnan (col->layer_delta) && col->layer_delta > 0)
        {
          first = first ? first : col;
          last = col;
        }
    }
  g_string_append_printf (out, _(": %.0f %% of connections pruned"),
                          graph->n_weights ? 100.0 * graph->n_pruned / graph->n_weights : 0.0);
  if (first != NULL && last != first)
    {
      lab_number_format_sci (first->layer_delta, a, sizeof a);
      lab_number_format_sci (last->layer_delta, b, sizeof b);
      /* Translators: |δ| from a value at layer N to a value at the output (or at the last
       * layer that has one) */
      g_string_append_printf (out, last->column + 1 == graph->n_columns
                                   ? _("; back-propagated |δ| from %s at layer %u to %s at the "
                                       "output")
                                   : _("; back-propagated |δ| from %s at layer %u to %s at its "
                                       "last"),
                              a, first->column, b);
    }
  else if (!graph->has_delta)
    g_string_append (out, _("; no back-propagated |δ| recorded yet"));
  for (guint c = 0; c < graph->n_columns; c++)
    if (graph->columns[c].n_more > 0)
      {
        g_string_append_printf (out, _("; %s shows the top %u of %zu units by %s"),
                                graph->columns[c].label, graph->columns[c].n_shown,
                                graph->columns[c].units, _(rank_names[graph->columns[c].rank]));
      }
  if (hollow > 0)
    g_string_append_printf (out, g_dngettext (GETTEXT_PACKAGE,
                                              "; %zu unit hollow (every incoming or outgoing "
                                              "weight pruned)",
                                              "; %zu units hollow (every incoming or outgoing "
                                              "weight pruned)", hollow), hollow);
  if (removed > 0)
    g_string_append_printf (out, g_dngettext (GETTEXT_PACKAGE,
                                              "; %zu units removed by compaction",
                                              "; %zu units removed by compaction", removed),
                            removed);
  g_string_append_c (out, '.');
}
