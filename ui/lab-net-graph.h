/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-net-graph.h: the model of the Network page (LabNetworkView): which neurons and which
 * connections it shows, where, and in what colour, computed from a heavy snapshot in plain C
 * with no drawing, so tests can assert on it; the view only renders it.
 *
 * Columns are the network's unit layers: column 0 the inputs, column c the outputs of weight
 * layer c (W_c, 1-based as the files name it), the last the network's outputs. W_c connects
 * column c − 1 to column c. A column wider than fits shows its top k units by a chosen measure
 * and a "+N more" marker; image inputs are one grid of pixels. A connection is drawn one by one
 * (single) between shown units while there are few enough, else as bundles that aggregate a
 * group (top-k groups of shown units, the "+N more" units, or every input pixel), each with its
 * count. Pruned weights are not drawn unless asked (then dashed and faint). A unit whose incoming
 * or outgoing weights are all pruned is hollow; units removed by compaction are gone (counted).
 */
#pragma once

#include <glib.h>

#include "lab-config.h"
#include "lab-snapshot.h"

G_BEGIN_DECLS

/* What colours the net. */
typedef enum
{
  LAB_NET_COLOR_WEIGHT,   /* connections by the sign of w, width and opacity by |w| */
  LAB_NET_COLOR_DELTA,    /* units by their back-propagated |δ| (log scale) */
  LAB_NET_COLOR_GRAD,     /* connections by |∂L/∂w| (log scale) */
} LabNetColor;

/* How a column wider than fits chooses the units it shows. */
typedef enum
{
  LAB_NET_RANK_DELTA,        /* largest back-propagated |δ| */
  LAB_NET_RANK_WEIGHT,       /* largest outgoing weight norm (output units: incoming) */
  LAB_NET_RANK_ACTIVATION,   /* largest |output| on the probe sample (2-D: mean over the plane) */
} LabNetRank;

/* What a unit shows inside its outline when thumbnails are on. */
typedef enum
{
  LAB_NET_THUMB_NONE,
  LAB_NET_THUMB_MAP,       /* its output over the input plane (layer->unit_maps) */
  LAB_NET_THUMB_WEIGHTS,   /* its incoming weights as an image (first layer of image data) */
  LAB_NET_THUMB_INPUT_X,   /* a 2-D input: the plane's x … */
  LAB_NET_THUMB_INPUT_Y,   /* … or y coordinate */
} LabNetThumb;

/* Where a bundle ends: a range of shown neurons, or one of these. */
#define LAB_NET_MORE  (-1)   /* the column's "+N more" marker */
#define LAB_NET_IMAGE (-2)   /* the input image */

#define LAB_NET_NOTE_MAX 128

typedef struct
{
  LabNetColor color;
  LabNetRank  rank;
  gboolean    show_pruned;   /* pruned single connections as faint dashed lines */
  gboolean    thumbnails;    /* units show what they compute (LabNetThumb) where data allows */
  double      x, y, width, height;   /* the area to lay the net out in */
  double      line_h;        /* one line of text: room for the labels above and notes below */
  double      unit_scale;    /* sizes of units and lines (1, presenter mode larger) */
  guint       max_edges;     /* single connections drawn at most (0: a default) */
  guint       max_per_column;/* units shown per column at most (0: as many as fit) */
  double      scale_lo;      /* the log10 colour scale of |δ| or |∂L/∂w| (DELTA, GRAD); */
  double      scale_hi;      /*   NAN: the graph's own extent */
} LabNetOptions;

typedef struct
{
  guint       column;
  gsize       unit;          /* index in its layer */
  double      x, y;          /* centre */
  double      r;             /* radius, or half the side of a thumbnail */
  LabNetThumb thumb;
  gboolean    hollow;        /* every incoming or every outgoing weight pruned */
  gboolean    dead_in;       /* … incoming */
  gboolean    dead_out;      /* … outgoing */
  double      delta;         /* its back-propagated |δ| (unit_delta), NAN unknown */
  double      act;           /* its output on the probe sample or mean |output| over the plane,
                              * NAN unknown */
  double      rank;          /* the measure it was chosen by */
  double      t;             /* position on the colour scale 0 … 1 (DELTA), NAN: neutral */
  float       rgb[3];        /* its fill */
} LabNetNeuron;

typedef struct
{
  guint       column;
  gsize       units;         /* units of the layer now */
  gsize       removed;       /* units removed by compaction (the configured width − units) */
  guint       first;         /* its shown neurons: neurons[first … first + n_shown) */
  guint       n_shown;
  gsize       n_more;        /* units not shown */
  LabNetRank  rank;          /* the measure the shown ones were chosen by (n_more > 0) */
  double      x;             /* centre line */
  double      more_y;        /* the "+N more" marker's centre */
  gboolean    image;         /* inputs drawn as one img_w × img_h grid in image_rect */
  double      image_x, image_y, image_side;
  double      layer_delta;   /* ‖δ‖ of the layer from its units (√Σ unit_delta²), NAN unknown */
  double      layer_t;       /* its position on the colour scale, NAN unknown */
  gsize       n_hollow;      /* over all its units, shown or not */
  char        label[64];     /* "Input 28×28", "Hidden 2", "Output" */
  char        note[LAB_NET_NOTE_MAX];   /* "top 22 of 300 by |δ|", "150 removed by compaction" */
} LabNetColumn;

typedef struct
{
  guint       layer;         /* weight layer, 0-based: column layer → column layer + 1 */
  gboolean    bundle;
  gint        from, from_n;  /* shown neurons[from … from + from_n), or LAB_NET_MORE/IMAGE */
  gint        to, to_n;
  gsize       row, col;      /* a single: W[row, col] (row: the unit it feeds, col: its input) */
  float       w;             /* a single's weight; a bundle's mean kept weight */
  double      grad;          /* |∂L/∂w| (a bundle's mean over kept), NAN unknown */
  gboolean    pruned;        /* a single whose mask is 0 (drawn only with show_pruned) */
  gboolean    fading;        /* kept before, pruned now: fades out (draw with the fade) */
  gsize       n, n_kept;     /* connections in it and kept (a single: 1 and 0 or 1) */
  gsize       n_kept_before; /* a bundle's kept count before a pruning being faded (else n_kept) */
  double      x0, y0, x1, y1;
  double      width;         /* line width, px */
  double      width_before;  /* a fading bundle's width before the pruning (else width) */
  double      alpha;
  float       rgb[3];
} LabNetEdge;

typedef struct
{
  guint       layer;         /* W_layer + 1 adds its input: column layer → column layer + 1 */
  double      x0, x1, y;     /* the arc joins the two columns' tops, at height y */
  gsize       units;
} LabNetSkip;

typedef struct
{
  LabNetOptions opts;
  guint         n_columns;
  LabNetColumn  columns[LAB_MAX_LAYERS + 1];
  GArray       *neurons;     /* LabNetNeuron, column after column */
  GArray       *edges;       /* LabNetEdge, layer after layer */
  GArray       *skips;       /* LabNetSkip */
  guint8       *input_dead;  /* (columns[0].units) every outgoing weight of the input pruned */
  guint         img_w, img_h;
  gsize         n_weights, n_pruned;
  gsize         n_single, n_bundles;  /* edges drawn one by one and as bundles */
  gsize         n_fading;
  guint         group[LAB_MAX_LAYERS]; /* layer's shown units are bundled in groups of this */
  double        scale_lo, scale_hi;    /* the log10 colour scale used (DELTA, GRAD), else NAN */
  double        w_max[LAB_MAX_LAYERS]; /* each layer's largest kept |w|: widths are relative */
  char          layer_note[LAB_MAX_LAYERS][LAB_NET_NOTE_MAX];  /* "W2 · 90 % pruned\n1,024
                                                                 * one by one, 64 bundles" */
  gboolean      has_delta, has_grad, has_act;
  guint64       delta_step;
  char          summary[256];          /* one line: shape, pruning, selection */
} LabNetGraph;

/* Builds the graph of @heavy (NULL: nothing to show). @cfg (may be NULL) gives the configured
 * widths, for units removed by compaction. @before (may be NULL): the heavy parts before a
 * pruning that is fading out; connections it kept and @heavy pruned are marked fading. */
LabNetGraph *lab_net_graph_new        (const LabHeavy      *heavy,
                                       const LabConfig     *cfg,
                                       const LabHeavy      *before,
                                       const LabNetOptions *opts);
void         lab_net_graph_free       (LabNetGraph         *graph);

/* The extent, as log10, of the values @color puts on a colour scale (every finite positive
 * unit_delta, or |∂L/∂w| of every kept weight). FALSE when there are none. */
gboolean     lab_net_graph_value_range (const LabHeavy     *heavy,
                                        LabNetColor         color,
                                        double             *lo,
                                        double             *hi);

/* Whether two sets of options give the same graph. */
gboolean     lab_net_options_equal    (const LabNetOptions *a,
                                       const LabNetOptions *b);
/* TRUE when @now keeps fewer weights than @then in some layer and their layers have the same
 * shapes: a pruning (scheduled, Prune Now, a lottery round) came between them, to fade. */
gboolean     lab_net_graph_pruned_between (const LabHeavy  *then,
                                           const LabHeavy  *now);

/* The neuron under (@x, @y) (an index into neurons), or −1. */
int          lab_net_graph_neuron_at  (const LabNetGraph   *graph,
                                       double               x,
                                       double               y);
/* The connection under (@x, @y) (an index into edges), or −1: the nearest drawn within a few
 * pixels. */
int          lab_net_graph_edge_at    (const LabNetGraph   *graph,
                                       double               x,
                                       double               y);
/* The input pixel under (@x, @y) when the inputs are an image, or −1. */
int          lab_net_graph_pixel_at   (const LabNetGraph   *graph,
                                       double               x,
                                       double               y);

/* What a screen reader says of the net: "Network 784-300-100-10: 90 % of connections pruned;
 * back-propagated |δ| from 3.1×10⁻⁸ at layer 1 to 0.42 at the output; …". */
void         lab_net_graph_describe   (const LabNetGraph   *graph,
                                       GString             *out);
/* "Hidden 2" or "Input" or "Output": the column's name. */
void         lab_net_graph_column_name (const LabNetGraph  *graph,
                                        guint               column,
                                        char               *buf,
                                        gsize               len);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LabNetGraph, lab_net_graph_free)

G_END_DECLS
