/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-act-plot.c: plot 5, per-layer histogram strips of the activations a_l of the last batch
 * (or of log10 |∂L/∂W_l|), stacked from the input side (top) to the output (bottom) on one
 * shared x axis, like Glorot & Bengio (2010), figs. 3–5: a deep sigmoid net's top hidden layer
 * piles up at 0 (saturated) while a ReLU net shows its dead units as a spike at 0.
 *
 * Each strip is scaled to its own tallest bin (stated in the legend): the shape matters, and the
 * fraction saturated or dead from the last metrics row is printed beside the strip. The data is
 * 48 bins per layer, so snapshot draws it directly. The strips are the layers of the model's
 * selection, at least a label high, scrolling when they do not fit; the names take the width
 * of the longest (at most MAX_LABEL_SHARE of the plot, cut in the middle beyond).
 */
#define G_LOG_DOMAIN "lab-act-plot"

#include "config.h"

#include <glib/gi18n.h>

#include <inttypes.h>
#include <math.h>
#include <string.h>

#include "lab-act-plot.h"
#include "lab-act-strip.h"
#include "lab-layer-selection.h"
#include "lab-number-format.h"
#include "lab-palette.h"
#include "lab-plot-axes.h"
#include "lab-plot-paint.h"
#include "lab-plot-text.h"

G_DEFINE_ENUM_TYPE (LabActPlotQuantity, lab_act_plot_quantity,
  G_DEFINE_ENUM_VALUE (LAB_ACT_PLOT_ACTIVATIONS, "activations"),
  G_DEFINE_ENUM_VALUE (LAB_ACT_PLOT_GRADIENTS, "gradients"))

#define MAX_STRIPS      LAB_MAX_ROW_LAYERS
#define LABEL_REL       0.9
#define MAX_LABEL_SHARE 0.3

/* Everything the plot shows that comes from the model. The heavy part (histograms) arrives
 * every ~100 ms, rows every ~33 ms: a model change that leaves this as it was drawn queues no
 * redraw, so GTK keeps the plot's last render node and repaints nothing of it. */
typedef struct
{
  guint         n_layers;                   /* of the heavy snapshot; 0: none */
  guint         n_strips;
  guint         layer[MAX_STRIPS];          /* each strip's layer, input to output */
  LabActivation act[MAX_STRIPS];
  LabHistogram  hist[MAX_STRIPS];
  char          note[MAX_STRIPS][48];       /* "dead 7 %" beside each strip */
} Content;

struct _LabActPlot
{
  LabPlot             parent_instance;

  /* settings */
  LabActPlotQuantity  quantity;

  /* last layout (for hover and tests) */
  LabPlotScroll       scroll;
  graphene_rect_t    *strips;               /* (MAX_STRIPS) widget coordinates, scrolled */
  guint               n_overflowed;
  double              label_w;              /* the names' column */
  char                subtitle[160];

  /* what the last snapshot drew (on the heap: 66 kB, more than a GObject instance may be) */
  Content            *shown;
};

G_DEFINE_FINAL_TYPE (LabActPlot, lab_act_plot, LAB_TYPE_PLOT)

enum {
  PROP_0,
  PROP_QUANTITY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const LabHistogram *
strip_hist (LabActPlot     *self,
            const LabHeavy *hv,
            guint           l)
{
  const LabHeavyLayer *layer = lab_heavy_layer (hv, l);

  return self->quantity == LAB_ACT_PLOT_GRADIENTS ? &layer->grad_hist : &layer->act_hist;
}

/* The layers with a strip, into @layers: those the selection shows (all without one), less
 * the output layer for activations (its "activations" are logits). */
static guint
strip_layers (LabActPlot     *self,
              const LabHeavy *hv,
              guint          *layers)
{
  LabLayerSelection *sel = lab_plot_get_layer_selection (LAB_PLOT (self));
  guint n_layers = hv->n_layers, n = 0;

  if (self->quantity == LAB_ACT_PLOT_ACTIVATIONS && hv->n_layers > 1)
    n_layers--;
  if (sel != NULL && lab_layer_selection_get_n_layers (sel) != hv->n_layers)
    sel = NULL;
  for (guint l = 0; l < n_layers && n < MAX_STRIPS; l++)
    if (sel == NULL || lab_layer_selection_is_visible (sel, l))
      layers[n++] = l;
  return n;
}

/* A strip's name: "L3 sigmoid" as always for our networks, a watched layer's name with its
 * activation when known. */
static void
strip_label (LabActPlot     *self,
             const LabHeavy *hv,
             guint           l,
             char           *buf,
             gsize           len)
{
  LabLayerSelection *sel = lab_plot_get_layer_selection (LAB_PLOT (self));
  const LabHeavyLayer *layer = lab_heavy_layer (hv, l);
  gboolean output = self->quantity == LAB_ACT_PLOT_GRADIENTS && l + 1 == hv->n_layers;

  if (sel == NULL || lab_layer_selection_get_n_layers (sel) != hv->n_layers ||
      lab_layer_selection_is_numbered (sel))
    g_snprintf (buf, len, output ? _("L%u output") : "L%u %s", l + 1,
                lab_act_strip_act_name (layer->act));
  else if (output)
    g_snprintf (buf, len, _("%s output"), lab_layer_selection_get_name (sel, l));
  else if (layer->act_known)
    g_snprintf (buf, len, "%s %s", lab_layer_selection_get_name (sel, l),
                lab_act_strip_act_name (layer->act));
  else
    g_strlcpy (buf, lab_layer_selection_get_name (sel, l), len);
}

/* The x scale every strip shares: the range of the strips that did not overflow (counted). */
static void
shared_scale (LabActPlot     *self,
              LabPlotFrame   *f,
              const LabHeavy *hv)
{
  double lo = 0, hi = 1;
  LabExtent range;

  lab_extent_init (&range);
  self->n_overflowed = 0;
  for (guint i = 0; i < self->shown->n_strips; i++)
    {
      const LabHistogram *h = strip_hist (self, hv, self->shown->layer[i]);

      if (lab_act_strip_overflowed (h))
        self->n_overflowed++;
      else if (lab_act_strip_total (h) > 0 && h->hi > h->lo)
        {
          lab_extent_add (&range, h->lo);
          lab_extent_add (&range, h->hi);
        }
    }
  if (!lab_extent_is_empty (&range, FALSE) && range.hi > range.lo)
    {
      lo = range.lo;
      hi = range.hi;
    }
  if (self->quantity == LAB_ACT_PLOT_GRADIENTS)
    lab_scale_init (&f->x, pow (10, lo), pow (10, hi), TRUE);
  else
    lab_scale_init (&f->x, lo, hi, FALSE);
}

/* The strips of the heavy snapshot @hv under one another in the frame's area, narrowed for the
 * labels on their left and the notes on their right, each at least a label high (scrolling
 * when they do not fit), and the x scale every strip shares. */
static void
compute_layout (LabActPlot     *self,
                LabPlotFrame   *f,
                const LabHeavy *hv,
                double          top)
{
  GtkWidget *widget = GTK_WIDGET (self);
  graphene_rect_t *d = &f->area.data;
  guint n = self->shown->n_strips;
  double note_w, label_h, right, sh;

  /* left: "L12 leaky ReLU" labels replace the y axis; right: "dead 100 %" */
  lab_plot_text_size (widget, &f->style, "L00 leaky ReLU", LABEL_REL, FALSE, &self->label_w,
                      &label_h);
  for (guint i = 0; i < n; i++)
    {
      char label[LAB_LAYER_NAME_MAX + 32];
      double w;

      strip_label (self, hv, self->shown->layer[i], label, sizeof label);
      lab_plot_text_size (widget, &f->style, label, LABEL_REL, FALSE, &w, NULL);
      self->label_w = MAX (self->label_w, w);
    }
  self->label_w = MIN (self->label_w, MAX_LABEL_SHARE * f->area.width);
  lab_plot_text_size (widget, &f->style, "median 1.0×10⁻¹⁰", LABEL_REL, FALSE, &note_w, NULL);
  for (guint i = 0; i < n; i++)
    {
      double w;

      lab_plot_text_size (widget, &f->style, self->shown->note[i], LABEL_REL, FALSE, &w, NULL);
      note_w = MAX (note_w, w);
    }
  right = 8 + note_w + 8;
  d->origin.x = 8 + self->label_w + 8;
  d->size.width = MAX (1, f->area.width - d->origin.x - right);
  d->size.height -= top - d->origin.y;
  d->origin.y = top;

  /* a strip is never lower than its label (+2 px between): else they scroll */
  sh = MAX (d->size.height / MAX (n, 1), label_h + 2);
  lab_plot_scroll_set (&self->scroll, d, sh * n);
  for (guint i = 0; i < n; i++)
    self->strips[i] = GRAPHENE_RECT_INIT (d->origin.x, lab_plot_scroll_y (&self->scroll, i * sh),
                                          d->size.width, sh);
  shared_scale (self, f, hv);
}

/* What strip @l's histogram and row say (lab-act-strip.h). */
static LabActStrip
strip_of (LabActPlot         *self,
          const LabHeavy     *hv,
          const LabStepStats *row,
          guint               l)
{
  LabActStrip st = {
    strip_hist (self, hv, l), self->quantity == LAB_ACT_PLOT_GRADIENTS,
    lab_heavy_layer (hv, l)->act,
    row != NULL && row->step > 0 && l < row->n_layers ? &row->layer[l] : NULL,
  };

  return st;
}

/* What the model would make the plot show now. */
static void
content_get (LabActPlot *self,
             Content    *c)
{
  LabPlotModel *model = lab_plot_get_model (LAB_PLOT (self));
  LabSnapshot *snap = model ? lab_plot_model_get_heavy (model) : NULL;
  const LabStepStats *row = model ? lab_plot_model_get_last_row (model) : NULL;

  memset (c, 0, sizeof *c);   /* compared with memcmp: padding and unused strips too */
  if (snap == NULL || snap->heavy == NULL || snap->heavy->n_layers == 0)
    return;
  c->n_layers = snap->heavy->n_layers;
  c->n_strips = strip_layers (self, snap->heavy, c->layer);
  for (guint i = 0; i < c->n_strips; i++)
    {
      guint l = c->layer[i];

      c->act[i] = lab_heavy_layer (snap->heavy, l)->act;
      c->hist[i] = *strip_hist (self, snap->heavy, l);
      {
        LabActStrip st = strip_of (self, snap->heavy, row, l);

        lab_act_strip_note (&st, c->note[i], sizeof c->note[i]);
      }
    }
}

static void
lab_act_plot_model_changed (LabPlot  *plot,
                            gboolean  replaced)
{
  LabActPlot *self = LAB_ACT_PLOT (plot);
  g_autofree Content *now = NULL;

  /* a new model is always drawn; a change only when the plot would show something else */
  if (!replaced)
    {
      now = g_new (Content, 1);
      content_get (self, now);
      if (memcmp (now, self->shown, sizeof *now) == 0)
        return;
    }
  lab_plot_invalidate (plot);
}

/* What the strips are, and which layers when the selection hides some. */
static void
update_subtitle (LabActPlot *self)
{
  LabLayerSelection *sel = lab_plot_get_layer_selection (LAB_PLOT (self));
  gboolean grads = self->quantity == LAB_ACT_PLOT_GRADIENTS;
  char shown[96];

  if (sel == NULL || lab_layer_selection_get_n_layers (sel) != self->shown->n_layers ||
      !lab_layer_selection_is_partial (sel))
    {
      g_strlcpy (self->subtitle, grads ? _("log₁₀ |∂L/∂W_l| per layer, input at top")
                                       : _("per hidden layer, input at top"),
                 sizeof self->subtitle);
      return;
    }
  lab_layer_selection_describe (sel, shown, sizeof shown);
  g_snprintf (self->subtitle, sizeof self->subtitle, _("%s%s; input at top"),
              grads ? _("log₁₀ |∂L/∂W_l| of ") : "", shown);
}

static void
lab_act_plot_update (LabPlot   *plot,
                     LabExtent *x,
                     LabExtent *y)
{
  LabActPlot *self = LAB_ACT_PLOT (plot);

  content_get (self, self->shown);
  update_subtitle (self);
}

static void
lab_act_plot_get_title (LabPlot     *plot,
                        const char **title,
                        const char **subtitle)
{
  LabActPlot *self = LAB_ACT_PLOT (plot);
  gboolean grads = self->quantity == LAB_ACT_PLOT_GRADIENTS;

  *title = grads ? _("Gradient distributions") : _("Activation distributions");
  *subtitle = self->subtitle;
}

static gboolean
lab_act_plot_get_empty_message (LabPlot *plot,
                                char    *buf,
                                gsize    len)
{
  LabActPlot *self = LAB_ACT_PLOT (plot);

  if (self->shown->n_layers > 0)
    return FALSE;
  lab_plot_empty_message (plot, self->quantity == LAB_ACT_PLOT_GRADIENTS
                                ? C_("no data yet", "gradients")
                                : C_("no data yet", "activations"),
                          buf, len);
  return TRUE;
}

/* Text of @rel centred on strip @r's middle at @x (@xalign), if it lies wholly in the view:
 * a strip scrolled half out shows its bars, not a label over the axes. */
static void
draw_strip_text (LabActPlot            *self,
                 GtkSnapshot           *snapshot,
                 const LabPlotStyle    *s,
                 const graphene_rect_t *r,
                 const char            *text,
                 double                 x,
                 double                 xalign)
{
  const graphene_rect_t *v = &self->scroll.view;
  double h, cy = r->origin.y + r->size.height / 2;

  lab_plot_text_size (GTK_WIDGET (self), s, text, LABEL_REL, FALSE, NULL, &h);
  if (cy - h / 2 < v->origin.y - 0.5 || cy + h / 2 > v->origin.y + v->size.height + 0.5)
    return;
  lab_plot_draw_text (snapshot, GTK_WIDGET (self), s, text, LABEL_REL, FALSE, &s->fg, x, cy,
                      xalign, 0.5, NULL, NULL);
}

static void
draw_strip (LabActPlot         *self,
            GtkSnapshot        *snapshot,
            const LabPlotFrame *f,
            const LabHeavy     *hv,
            guint               i)
{
  const LabPlotStyle *s = &f->style;
  guint l = self->shown->layer[i];
  const LabHistogram *h = &self->shown->hist[i];
  LabActStrip st = { h, self->quantity == LAB_ACT_PLOT_GRADIENTS, self->shown->act[i], NULL };
  const graphene_rect_t *r = &self->strips[i];
  guint64 total = lab_act_strip_total (h);
  guint peak = 0;
  GdkRGBA color, fill;
  double base = r->origin.y + r->size.height - 1;
  double bar_h = MAX (1, r->size.height - 4);
  char label[LAB_LAYER_NAME_MAX + 32];

  lab_palette_layer_color_in (lab_plot_get_layer_selection (LAB_PLOT (self)), l, hv->n_layers,
                              &color);
  fill = lab_palette_alpha (&color, 0.85);

  /* baseline of the strip, and the bars, in the view only */
  gtk_snapshot_push_clip (snapshot, &self->scroll.view);
  lab_plot_fill_rect (snapshot, &s->grid, r->origin.x, base, r->size.width, 1);

  for (guint b = 0; b < LAB_HIST_BINS; b++)
    peak = MAX (peak, h->count[b]);

  /* an overflowed layer's range is not on the axis (maybe not even finite): its bins show
   * where they fall on it, cut at its ends */
  if (total > 0 && h->hi > h->lo && isfinite (h->lo) && isfinite (h->hi))
    for (guint b = 0; b < LAB_HIST_BINS; b++)
      {
        double left = f->area.data.origin.x, right = left + f->area.data.size.width;
        double x0, x1, hgt;

        if (h->count[b] == 0)
          continue;
        x0 = lab_plot_area_x (&f->area, &f->x,
                              lab_act_strip_edge (&st, (double) b / LAB_HIST_BINS));
        x1 = lab_plot_area_x (&f->area, &f->x, lab_act_strip_edge (&st, (b + 1.0) / LAB_HIST_BINS));
        if (!(x1 > left && x0 < right))
          continue;
        x0 = MAX (x0, left);
        x1 = MIN (x1, right);
        hgt = MAX (1, bar_h * h->count[b] / peak);
        /* a hair of gap between bins when they are wide enough */
        lab_plot_fill_rect (snapshot, &fill, x0, base - hgt,
                            MAX (1, x1 - x0 - (x1 - x0 > 4 ? 1 : 0)), hgt);
      }
  gtk_snapshot_pop (snapshot);

  /* text in the text colour: the layer colours span light to dark, too little contrast for
   * text on one theme or the other; the strip beside it carries the colour */
  strip_label (self, hv, l, label, sizeof label);
  draw_strip_text (self, snapshot, s, r,
                   lab_plot_fit_text (LAB_PLOT (self), s, label, LABEL_REL, FALSE, self->label_w),
                   r->origin.x - 8, 1);
  if (self->shown->note[i][0] != '\0')
    draw_strip_text (self, snapshot, s, r, self->shown->note[i], r->origin.x + r->size.width + 8,
                     0);
}

/* The width left on the title line right of the title and its subtitle. */
static double
title_line_room (LabActPlot         *self,
                 const LabPlotFrame *f)
{
  GtkWidget *widget = GTK_WIDGET (self);
  const char *title, *subtitle;
  double title_w, sub_w;

  lab_act_plot_get_title (LAB_PLOT (self), &title, &subtitle);
  lab_plot_text_size (widget, &f->style, title, LAB_PLOT_TITLE_REL, TRUE, &title_w, NULL);
  lab_plot_text_size (widget, &f->style, subtitle, LAB_PLOT_AXIS_REL, FALSE, &sub_w, NULL);
  return f->area.width - (title_w + sub_w + 48 * f->style.font_scale);
}

/* "3 layers overflowed: left off the x axis" (inf or NaN among their values, or finite ones
 * beyond LAB_ACT_STRIP_OVERFLOW), or NULL when none did. */
static const char *
overflow_note (LabActPlot *self,
               char       *buf,
               gsize       len)
{
  guint n = 0;

  for (guint i = 0; i < self->shown->n_strips; i++)
    n += lab_act_strip_overflowed (&self->shown->hist[i]);
  if (n == 0)
    return NULL;
  g_snprintf (buf, len, g_dngettext (GETTEXT_PACKAGE, "%u layer overflowed: left off the x axis",
                                     "%u layers overflowed: left off the x axis", n), n);
  return buf;
}

static void
lab_act_plot_draw (LabPlot      *plot,
                   GtkSnapshot  *snapshot,
                   LabPlotFrame *f)
{
  static const char scaling[] = N_("each strip scaled to its own peak; last batch");
  LabActPlot *self = LAB_ACT_PLOT (plot);
  GtkWidget *widget = GTK_WIDGET (plot);
  const LabHeavy *hv = lab_plot_model_get_heavy (lab_plot_get_model (plot))->heavy;
  double room = title_line_room (self, f), top = f->area.data.origin.y, note_w, note_h;
  char buf[96];
  const char *overflow = overflow_note (self, buf, sizeof buf);
  const char *note = overflow != NULL ? overflow : _(scaling);

  /* on the title line if it fits there; an overflow is said anyway, on a line of its own */
  lab_plot_text_size (widget, &f->style, note, 0.85, FALSE, &note_w, &note_h);
  if (note_w < room)
    lab_plot_draw_text (snapshot, widget, &f->style, note, 0.85, FALSE,
                        overflow != NULL ? &f->style.fg : &f->style.muted,
                        f->area.width - 8, f->area.title_y, 1, 0, NULL, NULL);
  else if (overflow != NULL)
    {
      lab_plot_draw_text (snapshot, widget, &f->style,
                          lab_plot_fit_text (plot, &f->style, overflow, 0.85, FALSE,
                                             f->area.width - 16),
                          0.85, FALSE, &f->style.fg, 8, top, 0, 0, NULL, NULL);
      top += note_h + 4;
    }

  compute_layout (self, f, hv, top);
  lab_plot_draw_axes (snapshot, widget, &f->style, &f->area, &f->x,
                      self->quantity == LAB_ACT_PLOT_GRADIENTS
                        ? _("|∂L/∂w| of each weight (log scale; exact zeros left out)")
                        : _("activation value a_l (unitless; sigmoid ∈ [0, 1], tanh ∈ [−1, 1])"),
                      NULL, NULL, NULL, NULL);
  for (guint i = 0; i < self->shown->n_strips; i++)
    {
      const graphene_rect_t *r = &self->strips[i];

      if (r->origin.y + r->size.height >= self->scroll.view.origin.y &&
          r->origin.y <= self->scroll.view.origin.y + self->scroll.view.size.height)
        draw_strip (self, snapshot, f, hv, i);
    }
  lab_plot_scroll_draw (&self->scroll, snapshot, &f->style);
}

static char *
lab_act_plot_get_hover_text (LabPlot            *plot,
                             const LabPlotFrame *f,
                             LabPlotTooltip     *tip)
{
  LabActPlot *self = LAB_ACT_PLOT (plot);
  LabSnapshot *snap = lab_plot_model_get_heavy (lab_plot_get_model (plot));
  const LabHeavy *hv = snap->heavy;
  graphene_point_t at = GRAPHENE_POINT_INIT ((float) tip->x, (float) tip->y);

  if (!graphene_rect_contains_point (&self->scroll.view, &at))
    return NULL;
  for (guint i = 0; i < self->shown->n_strips; i++)
    {
      const graphene_rect_t *r = &self->strips[i];
      guint l = self->shown->layer[i];
      const LabHistogram *h = strip_hist (self, hv, l);
      LabActStrip st = { h, self->quantity == LAB_ACT_PLOT_GRADIENTS, 0, NULL };
      guint64 total = lab_act_strip_total (h);
      char a[48], z[48], label[LAB_LAYER_NAME_MAX + 48];
      double v, t;
      int b;

      if (!graphene_rect_contains_point (r, &at))
        continue;
      if (total == 0 || !(h->hi > h->lo) || lab_act_strip_overflowed (h))
        return NULL;
      v = lab_scale_unmap (&f->x, (tip->x - r->origin.x) / r->size.width);
      if (self->quantity == LAB_ACT_PLOT_GRADIENTS)
        v = log10 (v);
      t = (v - h->lo) / (h->hi - h->lo);
      if (t < 0 || t >= 1)
        return NULL;
      b = CLAMP ((int) (t * LAB_HIST_BINS), 0, LAB_HIST_BINS - 1);
      lab_number_format_sci (lab_act_strip_edge (&st, (double) b / LAB_HIST_BINS), a, sizeof a);
      lab_number_format_sci (lab_act_strip_edge (&st, (b + 1.0) / LAB_HIST_BINS), z, sizeof z);
      /* ours: "layer 3 (sigmoid)"; a watched one by its name too */
      if (lab_layer_selection_is_numbered (lab_plot_get_layer_selection (plot)))
        g_snprintf (label, sizeof label, _("layer %u (%s)"), l + 1,
                    lab_act_strip_act_name (lab_heavy_layer (hv, l)->act));
      else
        {
          char name[LAB_LAYER_NAME_MAX + 16];

          strip_label (self, hv, l, name, sizeof name);
          g_snprintf (label, sizeof label, _("layer %u: %s"), l + 1, name);
        }
      return g_strdup_printf (_("%s\n%s ∈ [%s, %s)\n%u of %" PRIu64 " (%.1f %%)"),
                              label, self->quantity == LAB_ACT_PLOT_GRADIENTS ? "|∂L/∂w|" : "a",
                              a, z, h->count[b], total, 100.0 * h->count[b] / total);
    }
  return NULL;
}

/* One layer's entry in the description (lab_act_strip_describe()): "layer 3 (sigmoid) …" in
 * ours, "layer 3 (layer1.0.conv2 ReLU) …" in a watched model. */
static double
describe_layer (LabActPlot         *self,
                const LabHeavy     *hv,
                const LabStepStats *row,
                guint               l,
                GString            *out)
{
  LabActStrip st = strip_of (self, hv, row, l);
  LabLayerSelection *sel = lab_plot_get_layer_selection (LAB_PLOT (self));
  char name[LAB_LAYER_NAME_MAX + 32];

  if (sel != NULL && !lab_layer_selection_is_numbered (sel))
    strip_label (self, hv, l, name, sizeof name);
  else
    g_strlcpy (name, lab_act_strip_act_name (st.act), sizeof name);
  return lab_act_strip_describe (&st, l, name, out);
}

/* Each strip's share saturated or dead (or median gradient), then the most saturated and the
 * deadest layer. */
static void
lab_act_plot_describe (LabPlot *plot,
                       GString *out)
{
  LabActPlot *self = LAB_ACT_PLOT (plot);
  LabPlotModel *model = lab_plot_get_model (plot);
  const LabHeavy *hv = lab_plot_model_get_heavy (model)->heavy;
  const LabStepStats *row = lab_plot_model_get_last_row (model);
  double saturated = -1, dead = -1;
  guint n = self->shown->n_strips, saturated_layer = 0, dead_layer = 0;
  char buf[96];

  if (self->quantity == LAB_ACT_PLOT_GRADIENTS)
    g_string_append (out, _("Gradient magnitudes of the last step, per layer: "));
  else
    g_string_append (out, _("Activations of the last batch, per hidden layer: "));
  for (guint i = 0; i < n; i++)
    {
      guint l = self->shown->layer[i];
      double share;

      if (i > 0)
        g_string_append (out, "; ");
      share = describe_layer (self, hv, row, l, out);
      if (lab_heavy_layer (hv, l)->act == LAB_ACT_RELU && share > dead)
        {
          dead = share;
          dead_layer = l;
        }
      else if (lab_heavy_layer (hv, l)->act != LAB_ACT_RELU && share > saturated)
        {
          saturated = share;
          saturated_layer = l;
        }
    }
  g_string_append_c (out, '.');
  if (saturated >= 0)
    g_string_append_printf (out, _(" The most saturated is layer %u (%.0f %%)."),
                            saturated_layer + 1, 100 * saturated);
  if (dead >= 0)
    g_string_append_printf (out, _(" The most dead units are in layer %u (%.0f %%)."),
                            dead_layer + 1, 100 * dead);
  if (overflow_note (self, buf, sizeof buf) != NULL)
    g_string_append_printf (out, " %c%s.", g_ascii_toupper (buf[0]), buf + 1);
}

/* --- GObject -------------------------------------------------------------------------------- */

static void
lab_act_plot_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  LabActPlot *self = LAB_ACT_PLOT (object);

  switch (prop_id)
    {
    case PROP_QUANTITY:
      g_value_set_enum (value, self->quantity);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lab_act_plot_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  LabActPlot *self = LAB_ACT_PLOT (object);

  switch (prop_id)
    {
    case PROP_QUANTITY:
      lab_act_plot_set_quantity (self, g_value_get_enum (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lab_act_plot_finalize (GObject *object)
{
  LabActPlot *self = LAB_ACT_PLOT (object);

  g_clear_pointer (&self->shown, g_free);
  g_clear_pointer (&self->strips, g_free);

  G_OBJECT_CLASS (lab_act_plot_parent_class)->finalize (object);
}

static void
lab_act_plot_class_init (LabActPlotClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  LabPlotClass *plot_class = LAB_PLOT_CLASS (klass);

  object_class->finalize = lab_act_plot_finalize;
  object_class->get_property = lab_act_plot_get_property;
  object_class->set_property = lab_act_plot_set_property;

  plot_class->natural_width = 560;
  plot_class->natural_height = 360;
  plot_class->damage_all = TRUE;   /* redrawn for new histograms: bars and x axis */
  plot_class->model_changed = lab_act_plot_model_changed;
  plot_class->update = lab_act_plot_update;
  plot_class->get_title = lab_act_plot_get_title;
  plot_class->get_empty_message = lab_act_plot_get_empty_message;
  plot_class->draw = lab_act_plot_draw;
  plot_class->get_hover_text = lab_act_plot_get_hover_text;
  plot_class->describe = lab_act_plot_describe;

  properties[PROP_QUANTITY] =
    g_param_spec_enum ("quantity", NULL, NULL, LAB_TYPE_ACT_PLOT_QUANTITY,
                       LAB_ACT_PLOT_ACTIVATIONS,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

}

static void
lab_act_plot_init (LabActPlot *self)
{
  self->shown = g_new0 (Content, 1);
  update_subtitle (self);
  self->strips = g_new0 (graphene_rect_t, MAX_STRIPS);
  lab_plot_scroll_init (&self->scroll, GTK_WIDGET (self));
  gtk_widget_add_css_class (GTK_WIDGET (self), "activations");
}

GtkWidget *
lab_act_plot_new (void)
{
  return g_object_new (LAB_TYPE_ACT_PLOT, NULL);
}

void
lab_act_plot_set_quantity (LabActPlot         *self,
                           LabActPlotQuantity  quantity)
{
  g_return_if_fail (LAB_IS_ACT_PLOT (self));

  if (self->quantity == quantity)
    return;
  self->quantity = quantity;
  lab_plot_invalidate (LAB_PLOT (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_QUANTITY]);
}

LabActPlotQuantity
lab_act_plot_get_quantity (LabActPlot *self)
{
  g_return_val_if_fail (LAB_IS_ACT_PLOT (self), LAB_ACT_PLOT_ACTIVATIONS);
  return self->quantity;
}

const char *
lab_act_plot_get_note (LabActPlot *self,
                       guint       l)
{
  g_return_val_if_fail (LAB_IS_ACT_PLOT (self), NULL);

  for (guint i = 0; i < self->shown->n_strips; i++)
    if (self->shown->layer[i] == l)
      return self->shown->note[i];
  return NULL;
}

gboolean
lab_act_plot_get_strip_rect (LabActPlot      *self,
                             guint            l,
                             graphene_rect_t *rect)
{
  g_return_val_if_fail (LAB_IS_ACT_PLOT (self), FALSE);
  g_return_val_if_fail (rect != NULL, FALSE);

  for (guint i = 0; i < self->shown->n_strips; i++)
    if (self->shown->layer[i] == l)
      {
        *rect = self->strips[i];
        return TRUE;
      }
  return FALSE;
}

guint
lab_act_plot_get_n_overflowed (LabActPlot *self)
{
  g_return_val_if_fail (LAB_IS_ACT_PLOT (self), 0);

  return self->n_overflowed;
}

LabPlotScroll *
lab_act_plot_get_scroll (LabActPlot *self)
{
  g_return_val_if_fail (LAB_IS_ACT_PLOT (self), NULL);

  return &self->scroll;
}
