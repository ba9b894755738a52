/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-act-plot.c: plot 5, per-layer histogram strips of the activations a_l of the last batch
 * (or of log10 |∂L/∂W_l|), stacked from the input side (top) to the output (bottom) on one
 * shared x axis, like Glorot & Bengio (2010), figs. 3–5: a deep sigmoid net's top hidden layer
 * piles up at 0 (saturated) while a ReLU net shows its dead units as a spike at 0.
 *
 * Each strip is scaled to its own tallest bin (stated in the legend): the shape matters, and the
 * fraction saturated or dead from the last metrics row is printed beside the strip. The data is
 * 48 bins per layer, so snapshot draws it directly.
 */
#define G_LOG_DOMAIN "lab-act-plot"

#include "config.h"

#include <math.h>
#include <string.h>

#include "lab-act-plot.h"
#include "lab-number-format.h"
#include "lab-palette.h"
#include "lab-plot-axes.h"
#include "lab-plot-paint.h"
#include "lab-plot-text.h"

G_DEFINE_ENUM_TYPE (LabActPlotQuantity, lab_act_plot_quantity,
  G_DEFINE_ENUM_VALUE (LAB_ACT_PLOT_ACTIVATIONS, "activations"),
  G_DEFINE_ENUM_VALUE (LAB_ACT_PLOT_GRADIENTS, "gradients"))

#define MAX_STRIPS LAB_MAX_LAYERS
#define LABEL_REL  0.9

/* Everything the plot shows that comes from the model. The heavy part (histograms) arrives
 * every ~100 ms, rows every ~33 ms: a model change that leaves this as it was drawn queues no
 * redraw, so GTK keeps the plot's last render node and repaints nothing of it. */
typedef struct
{
  guint         n_layers;                   /* of the heavy snapshot; 0: none */
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
  guint               n_strips;
  guint               first_layer;        /* layer of strip 0 */
  graphene_rect_t     strips[MAX_STRIPS];

  /* what the last snapshot drew */
  Content             shown;
};

G_DEFINE_FINAL_TYPE (LabActPlot, lab_act_plot, LAB_TYPE_PLOT)

enum {
  PROP_0,
  PROP_QUANTITY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char *
act_name (LabActivation act)
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

static guint64
hist_total (const LabHistogram *h)
{
  guint64 t = 0;

  for (guint i = 0; i < LAB_HIST_BINS; i++)
    t += h->count[i];
  return t;
}

static const LabHistogram *
strip_hist (LabActPlot     *self,
            const LabHeavy *hv,
            guint           l)
{
  const LabHeavyLayer *layer = lab_heavy_layer (hv, l);

  return self->quantity == LAB_ACT_PLOT_GRADIENTS ? &layer->grad_hist : &layer->act_hist;
}

/* Value at the edge t ∈ [0, 1] of a histogram, in axis units (10^x for gradients). */
static double
edge_value (LabActPlot         *self,
            const LabHistogram *h,
            double              t)
{
  double x = h->lo + (h->hi - h->lo) * t;

  return self->quantity == LAB_ACT_PLOT_GRADIENTS ? pow (10, x) : x;
}

/* Strips shown: hidden layers for activations (the output layer's "activations" are logits),
 * every layer for gradients. */
static void
strip_range (LabActPlot     *self,
             const LabHeavy *hv,
             guint          *first,
             guint          *n)
{
  *first = 0;
  *n = hv->n_layers;
  if (self->quantity == LAB_ACT_PLOT_ACTIVATIONS && hv->n_layers > 1)
    *n = hv->n_layers - 1;
  *n = MIN (*n, MAX_STRIPS);
}

/* The strips of the heavy snapshot @hv under one another in the frame's area, narrowed for the
 * labels on their left and the notes on their right, and the x scale every strip shares. */
static void
compute_layout (LabActPlot     *self,
                LabPlotFrame   *f,
                const LabHeavy *hv)
{
  GtkWidget *widget = GTK_WIDGET (self);
  graphene_rect_t *d = &f->area.data;
  double label_w, note_w, left, right, lo = 0, hi = 1;
  LabExtent range;

  strip_range (self, hv, &self->first_layer, &self->n_strips);

  /* left: "L12 leaky ReLU" labels replace the y axis; right: "dead 100 %" */
  lab_plot_text_size (widget, &f->style, "L00 leaky ReLU", LABEL_REL, FALSE, &label_w, NULL);
  lab_plot_text_size (widget, &f->style, "median 1.0×10⁻¹⁰", LABEL_REL, FALSE, &note_w, NULL);
  left = 8 + label_w + 8;
  right = 8 + note_w + 8;
  d->size.width = MAX (1, f->area.width - left - right);
  d->origin.x = left;

  lab_extent_init (&range);
  for (guint i = 0; i < self->n_strips; i++)
    {
      const LabHistogram *h = strip_hist (self, hv, self->first_layer + i);

      if (hist_total (h) == 0 || !(h->hi > h->lo))
        continue;
      lab_extent_add (&range, h->lo);
      lab_extent_add (&range, h->hi);
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

  for (guint i = 0; i < self->n_strips; i++)
    {
      double sh = d->size.height / self->n_strips;

      self->strips[i] = GRAPHENE_RECT_INIT (d->origin.x, d->origin.y + i * sh, d->size.width, sh);
    }
}

/* Median of a histogram, in axis units. */
static double
hist_median (LabActPlot         *self,
             const LabHistogram *h)
{
  guint64 total = hist_total (h), acc = 0;

  for (guint i = 0; i < LAB_HIST_BINS; i++)
    {
      if (acc + h->count[i] >= (total + 1) / 2 && h->count[i] > 0)
        {
          double f = ((total + 1) / 2.0 - acc) / h->count[i];

          return edge_value (self, h, (i + CLAMP (f, 0, 1)) / LAB_HIST_BINS);
        }
      acc += h->count[i];
    }
  return NAN;
}

/* The note beside strip @l: the median, or the fraction dead or saturated (may be ""). */
static void
strip_note (LabActPlot         *self,
            const LabHeavy     *hv,
            const LabStepStats *row,
            guint               l,
            char               *note,
            gsize               len)
{
  const LabHistogram *h = strip_hist (self, hv, l);

  note[0] = '\0';
  if (hist_total (h) == 0)
    g_strlcpy (note, h->nonfinite > 0 ? "all inf/NaN" : "no data", len);
  else if (h->nonfinite > 0)
    /* an overflowing layer: that matters more than its dead or saturated share */
    g_snprintf (note, len, "inf/NaN %.1f %%",
                100.0 * h->nonfinite / (double) (h->nonfinite + hist_total (h)));
  else if (self->quantity == LAB_ACT_PLOT_GRADIENTS)
    {
      char v[32];

      lab_number_format_sci (hist_median (self, h), v, sizeof v);
      g_snprintf (note, len, "median %s", v);
    }
  else if (row != NULL && row->step > 0 && l < row->n_layers)
    {
      LabActivation act = lab_heavy_layer (hv, l)->act;

      if (act == LAB_ACT_SIGMOID || act == LAB_ACT_TANH)
        g_snprintf (note, len, "saturated %.0f %%", 100.0 * row->layer[l].act_saturated);
      else if (act == LAB_ACT_RELU)
        g_snprintf (note, len, "dead %.0f %%", 100.0 * row->layer[l].act_dead);
    }
}

/* What the model would make the plot show now. */
static void
content_get (LabActPlot *self,
             Content    *c)
{
  LabPlotModel *model = lab_plot_get_model (LAB_PLOT (self));
  LabSnapshot *snap = model ? lab_plot_model_get_heavy (model) : NULL;
  const LabStepStats *row = model ? lab_plot_model_get_last_row (model) : NULL;
  guint first, n;

  memset (c, 0, sizeof *c);   /* compared with memcmp: padding and unused strips too */
  if (snap == NULL || snap->heavy == NULL || snap->heavy->n_layers == 0)
    return;
  c->n_layers = snap->heavy->n_layers;
  strip_range (self, snap->heavy, &first, &n);
  for (guint i = 0; i < n; i++)
    {
      c->act[i] = lab_heavy_layer (snap->heavy, first + i)->act;
      c->hist[i] = *strip_hist (self, snap->heavy, first + i);
      strip_note (self, snap->heavy, row, first + i, c->note[i], sizeof c->note[i]);
    }
}

static void
lab_act_plot_model_changed (LabPlot  *plot,
                            gboolean  replaced)
{
  LabActPlot *self = LAB_ACT_PLOT (plot);
  Content now;

  /* a new model is always drawn; a change only when the plot would show something else */
  if (!replaced)
    {
      content_get (self, &now);
      if (memcmp (&now, &self->shown, sizeof now) == 0)
        return;
    }
  lab_plot_invalidate (plot);
}

static void
lab_act_plot_update (LabPlot   *plot,
                     LabExtent *x,
                     LabExtent *y)
{
  LabActPlot *self = LAB_ACT_PLOT (plot);

  content_get (self, &self->shown);
  if (self->shown.n_layers == 0)
    self->n_strips = 0;
}

static void
lab_act_plot_get_title (LabPlot     *plot,
                        const char **title,
                        const char **subtitle)
{
  gboolean grads = LAB_ACT_PLOT (plot)->quantity == LAB_ACT_PLOT_GRADIENTS;

  *title = grads ? "Gradient distributions" : "Activation distributions";
  *subtitle = grads ? "log₁₀ |∂L/∂W_l| per layer, input at top" : "per hidden layer, input at top";
}

static gboolean
lab_act_plot_get_empty_message (LabPlot *plot,
                                char    *buf,
                                gsize    len)
{
  LabActPlot *self = LAB_ACT_PLOT (plot);

  if (self->shown.n_layers > 0)
    return FALSE;
  lab_plot_empty_message (plot, self->quantity == LAB_ACT_PLOT_GRADIENTS ? "gradients"
                                                                         : "activations",
                          buf, len);
  return TRUE;
}

static void
draw_strip (LabActPlot         *self,
            GtkSnapshot        *snapshot,
            const LabPlotFrame *f,
            const LabHeavy     *hv,
            const LabStepStats *row,
            guint               i)
{
  GtkWidget *widget = GTK_WIDGET (self);
  const LabPlotStyle *s = &f->style;
  guint l = self->first_layer + i;
  const LabHistogram *h = strip_hist (self, hv, l);
  const graphene_rect_t *r = &self->strips[i];
  guint64 total = hist_total (h);
  guint peak = 0;
  GdkRGBA color, fill;
  double base = r->origin.y + r->size.height - 1;
  double bar_h = MAX (1, r->size.height - 4);
  char label[64], note[48];

  lab_palette_layer_color (l, hv->n_layers, &color);
  fill = lab_palette_alpha (&color, 0.85);

  /* baseline of the strip */
  lab_plot_fill_rect (snapshot, &s->grid, r->origin.x, base, r->size.width, 1);

  for (guint b = 0; b < LAB_HIST_BINS; b++)
    peak = MAX (peak, h->count[b]);

  if (total > 0 && h->hi > h->lo)
    for (guint b = 0; b < LAB_HIST_BINS; b++)
      {
        double x0, x1, hgt;

        if (h->count[b] == 0)
          continue;
        x0 = lab_plot_area_x (&f->area, &f->x, edge_value (self, h, (double) b / LAB_HIST_BINS));
        x1 = lab_plot_area_x (&f->area, &f->x, edge_value (self, h, (b + 1.0) / LAB_HIST_BINS));
        hgt = MAX (1, bar_h * h->count[b] / peak);
        /* a hair of gap between bins when they are wide enough */
        lab_plot_fill_rect (snapshot, &fill, x0, base - hgt,
                            MAX (1, x1 - x0 - (x1 - x0 > 4 ? 1 : 0)), hgt);
      }

  g_snprintf (label, sizeof label, "L%u %s", l + 1, act_name (lab_heavy_layer (hv, l)->act));
  if (self->quantity == LAB_ACT_PLOT_GRADIENTS && l + 1 == hv->n_layers)
    g_snprintf (label, sizeof label, "L%u output", l + 1);
  /* text in the text colour: the layer colours span light to dark, too little contrast for
   * text on one theme or the other; the strip beside it carries the colour */
  lab_plot_draw_text (snapshot, widget, s, label, LABEL_REL, FALSE, &s->fg,
                      r->origin.x - 8, r->origin.y + r->size.height / 2, 1, 0.5, NULL, NULL);

  strip_note (self, hv, row, l, note, sizeof note);
  if (note[0] != '\0')
    lab_plot_draw_text (snapshot, widget, s, note, LABEL_REL, FALSE, &s->fg,
                        r->origin.x + r->size.width + 8, r->origin.y + r->size.height / 2, 0, 0.5,
                        NULL, NULL);
}

/* A note on scaling, in the title line's right end, if it fits beside the title. */
static void
draw_scaling_note (LabActPlot         *self,
                   GtkSnapshot        *snapshot,
                   const LabPlotFrame *f)
{
  static const char note[] = "each strip scaled to its own peak; last batch";
  GtkWidget *widget = GTK_WIDGET (self);
  const char *title, *subtitle;
  double title_w, sub_w, note_w, h;

  lab_act_plot_get_title (LAB_PLOT (self), &title, &subtitle);
  lab_plot_text_size (widget, &f->style, title, LAB_PLOT_TITLE_REL, TRUE, &title_w, &h);
  lab_plot_text_size (widget, &f->style, subtitle, LAB_PLOT_AXIS_REL, FALSE, &sub_w, &h);
  lab_plot_text_size (widget, &f->style, note, 0.85, FALSE, &note_w, &h);
  if (title_w + sub_w + note_w + 48 * f->style.font_scale < f->area.width)
    lab_plot_draw_text (snapshot, widget, &f->style, note, 0.85, FALSE, &f->style.muted,
                        f->area.width - 8, f->area.title_y, 1, 0, NULL, NULL);
}

static void
lab_act_plot_draw (LabPlot      *plot,
                   GtkSnapshot  *snapshot,
                   LabPlotFrame *f)
{
  LabActPlot *self = LAB_ACT_PLOT (plot);
  LabPlotModel *model = lab_plot_get_model (plot);
  const LabHeavy *hv = lab_plot_model_get_heavy (model)->heavy;
  const LabStepStats *row = lab_plot_model_get_last_row (model);

  compute_layout (self, f, hv);
  lab_plot_draw_axes (snapshot, GTK_WIDGET (plot), &f->style, &f->area, &f->x,
                      self->quantity == LAB_ACT_PLOT_GRADIENTS
                        ? "|∂L/∂w| of each weight (log scale; exact zeros left out)"
                        : "activation value a_l (unitless; sigmoid ∈ [0, 1], tanh ∈ [−1, 1])",
                      NULL, NULL, NULL, NULL);
  for (guint i = 0; i < self->n_strips; i++)
    draw_strip (self, snapshot, f, hv, row, i);
  draw_scaling_note (self, snapshot, f);
}

static char *
lab_act_plot_get_hover_text (LabPlot            *plot,
                             const LabPlotFrame *f,
                             LabPlotTooltip     *tip)
{
  LabActPlot *self = LAB_ACT_PLOT (plot);
  LabSnapshot *snap = lab_plot_model_get_heavy (lab_plot_get_model (plot));
  const LabHeavy *hv = snap->heavy;
  double hover_x = tip->x, hover_y = tip->y;

  for (guint i = 0; i < self->n_strips; i++)
    {
      const graphene_rect_t *r = &self->strips[i];
      guint l = self->first_layer + i;
      const LabHistogram *h = strip_hist (self, hv, l);
      guint64 total = hist_total (h);
      double v, t;
      int b;
      char a[48], z[48];

      if (!graphene_rect_contains_point (r, &GRAPHENE_POINT_INIT ((float) hover_x,
                                                                  (float) hover_y)))
        continue;
      if (total == 0 || !(h->hi > h->lo))
        return NULL;
      v = lab_scale_unmap (&f->x, (hover_x - r->origin.x) / r->size.width);
      if (self->quantity == LAB_ACT_PLOT_GRADIENTS)
        v = log10 (v);
      t = (v - h->lo) / (h->hi - h->lo);
      if (t < 0 || t >= 1)
        return NULL;
      b = CLAMP ((int) (t * LAB_HIST_BINS), 0, LAB_HIST_BINS - 1);
      lab_number_format_sci (edge_value (self, h, (double) b / LAB_HIST_BINS), a, sizeof a);
      lab_number_format_sci (edge_value (self, h, (b + 1.0) / LAB_HIST_BINS), z, sizeof z);
      return g_strdup_printf ("layer %u (%s)\n%s ∈ [%s, %s)\n%u of %" G_GUINT64_FORMAT
                              " (%.1f %%)",
                              l + 1, act_name (lab_heavy_layer (hv, l)->act),
                              self->quantity == LAB_ACT_PLOT_GRADIENTS ? "|∂L/∂w|" : "a",
                              a, z, h->count[b], total, 100.0 * h->count[b] / total);
    }
  return NULL;
}

/* One layer's entry in the description: its share saturated or dead, its median gradient, or
 * that it overflowed. Returns the share saturated (sigmoid, tanh) or dead (ReLU), else -1. */
static double
describe_layer (LabActPlot         *self,
                const LabHeavy     *hv,
                const LabStepStats *row,
                guint               l,
                GString            *out)
{
  const LabHistogram *h = strip_hist (self, hv, l);
  LabActivation act = lab_heavy_layer (hv, l)->act;
  const char *name = act_name (act);
  guint64 total = hist_total (h);
  char v[64];

  if (total == 0 && h->nonfinite > 0)
    g_string_append_printf (out, "layer %u (%s) overflowed", l + 1, name);
  else if (total == 0)
    g_string_append_printf (out, "layer %u (%s) has no data", l + 1, name);
  else if (h->nonfinite > 0)
    g_string_append_printf (out, "layer %u (%s) overflowed in %.1f %% of its values", l + 1, name,
                            100.0 * h->nonfinite / (double) (h->nonfinite + total));
  else if (self->quantity == LAB_ACT_PLOT_GRADIENTS)
    {
      lab_number_format_spoken (hist_median (self, h), v, sizeof v);
      g_string_append_printf (out, "layer %u median %s", l + 1, v);
    }
  else if (row == NULL || row->step == 0 || l >= row->n_layers)
    g_string_append_printf (out, "layer %u (%s)", l + 1, name);
  else if (act == LAB_ACT_SIGMOID || act == LAB_ACT_TANH)
    {
      g_string_append_printf (out, "layer %u (%s) %.0f %% saturated", l + 1, name,
                              100.0 * row->layer[l].act_saturated);
      return row->layer[l].act_saturated;
    }
  else if (act == LAB_ACT_RELU)
    {
      g_string_append_printf (out, "layer %u (%s) %.0f %% dead", l + 1, name,
                              100.0 * row->layer[l].act_dead);
      return row->layer[l].act_dead;
    }
  else
    g_string_append_printf (out, "layer %u (%s)", l + 1, name);
  return -1;
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
  guint first, n, saturated_layer = 0, dead_layer = 0;

  strip_range (self, hv, &first, &n);
  if (self->quantity == LAB_ACT_PLOT_GRADIENTS)
    g_string_append (out, "Gradient magnitudes of the last step, per layer: ");
  else
    g_string_append (out, "Activations of the last batch, per hidden layer: ");
  for (guint i = 0; i < n; i++)
    {
      guint l = first + i;
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
    g_string_append_printf (out, " The most saturated is layer %u (%.0f %%).",
                            saturated_layer + 1, 100 * saturated);
  if (dead >= 0)
    g_string_append_printf (out, " The most dead units are in layer %u (%.0f %%).",
                            dead_layer + 1, 100 * dead);
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
lab_act_plot_class_init (LabActPlotClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  LabPlotClass *plot_class = LAB_PLOT_CLASS (klass);

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

  if (l < self->first_layer || l - self->first_layer >= self->n_strips)
    return NULL;
  return self->shown.note[l - self->first_layer];
}

gboolean
lab_act_plot_get_strip_rect (LabActPlot      *self,
                             guint            l,
                             graphene_rect_t *rect)
{
  g_return_val_if_fail (LAB_IS_ACT_PLOT (self), FALSE);
  g_return_val_if_fail (rect != NULL, FALSE);

  if (l < self->first_layer || l - self->first_layer >= self->n_strips)
    return FALSE;
  *rect = self->strips[l - self->first_layer];
  return TRUE;
}
