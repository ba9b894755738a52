/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-boundary-plot.c: plot 6, the decision boundary of a 2-D dataset. The engine evaluates the
 * model on a grid_n × grid_n grid of cell centres over [grid_lo, grid_hi]² (row 0 at the bottom,
 * y up); each cell is drawn in its predicted class's colour, mixed into the background the more
 * the less confident the prediction is, and the training points go on top in full colour with a
 * dark outline. Equal scales on both axes, so a circle stays a circle.
 *
 * The grid image is a GdkMemoryTexture made at the data rectangle's device resolution (each
 * cell a block of identical pixels: nearest neighbour, no renderer blur) and rebuilt only when a
 * new heavy snapshot arrives or the size or colours change.
 */
#define G_LOG_DOMAIN "lab-boundary-plot"

#include "config.h"

#include <glib/gi18n.h>

#include <inttypes.h>
#include <math.h>

#include "lab-boundary-plot.h"
#include "lab-cell-image.h"
#include "lab-palette.h"
#include "lab-plot-axes.h"
#include "lab-plot-paint.h"
#include "lab-plot-text.h"

struct _LabBoundaryPlot
{
  LabPlot       parent_instance;

  /* owned */
  LabSnapshot  *built_from;    /* heavy snapshot of the texture (ref) */
  GdkTexture   *texture;
  int           built_w, built_h, built_scale;
  guint         built_serial;
  guint         style_serial;

  /* settings */
  gboolean      show_points;

  /* last layout */
  gboolean      legend_below;   /* else on the right of the square */
  double        legend_x, legend_y, legend_w;
};

G_DEFINE_FINAL_TYPE (LabBoundaryPlot, lab_boundary_plot, LAB_TYPE_PLOT)

enum {
  PROP_0,
  PROP_SHOW_POINTS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static guint
n_classes_of (const LabSnapshot *snap)
{
  const LabHeavy *hv = snap->heavy;
  guint k = snap->n_classes;

  if (k < 2 && hv != NULL && hv->n_layers > 0)
    k = (guint) lab_heavy_layer (hv, hv->n_layers - 1)->rows;
  return MAX (k, 2);
}

/* The legend's notes under the class swatches: five short lines in a column on the right, or
 * three longer ones when the legend sits below the plot. Translators: each array is one sentence
 * broken into lines: keep the lines short and break where the English does. */
static const char *const notes_right[] = {
  N_("dots: training"), N_("points"), N_("shade: predicted"), N_("class; paler ="),
  N_("less confident"),
};
static const char *const notes_below[] = {
  N_("dots: training points"), N_("shade: predicted class;"), N_("paler = less confident"),
};

#define LEGEND_GAP 16   /* between the square and the legend */

typedef struct
{
  double line_h;    /* one line of class names */
  double item_w;    /* one swatch and "class NN" */
  double right_w;   /* the column on the right */
  double below_w;   /* the widest line below */
} LegendSize;

static void
legend_size (GtkWidget          *widget,
             const LabPlotStyle *s,
             LegendSize         *ls)
{
  double w;

  /* Translators: the widest name of a class, “class %u” with two digits */
  lab_plot_text_size (widget, s, _("class 00"), 0.9, FALSE, &w, &ls->line_h);
  ls->item_w = w + ls->line_h;
  ls->right_w = ls->item_w;
  for (guint i = 0; i < G_N_ELEMENTS (notes_right); i++)
    {
      lab_plot_text_size (widget, s, _(notes_right[i]), 0.85, FALSE, &w, NULL);
      ls->right_w = MAX (ls->right_w, w);
    }
  ls->below_w = ls->item_w;
  for (guint i = 0; i < G_N_ELEMENTS (notes_below); i++)
    {
      lab_plot_text_size (widget, s, _(notes_below[i]), 0.85, FALSE, &w, NULL);
      ls->below_w = MAX (ls->below_w, w);
    }
}

/* Class swatches per row when the legend is below, in @width. */
static guint
items_per_row (const LegendSize *ls,
               double            width)
{
  return (guint) MAX (1.0, floor ((width + 12) / (ls->item_w + 12)));
}

/* A square data rectangle inside the frame's area, the legend on its right or below it,
 * whichever leaves the larger square (a narrow, tall panel gets the legend below). */
static void
compute_layout (LabBoundaryPlot *self,
                LabPlotFrame    *f,
                const LabHeavy  *hv,
                guint            k)
{
  graphene_rect_t *d = &f->area.data;
  double x0 = d->origin.x, w0 = d->size.width;
  double below = f->area.height - (d->origin.y + d->size.height);   /* ticks and the x title */
  double title_drop = f->area.height - f->area.x_title_y;
  double side_right, side_below, side, legend_h;
  LegendSize ls;
  guint rows;

  legend_size (GTK_WIDGET (self), &f->style, &ls);
  rows = (MIN (k, 16u) + items_per_row (&ls, w0) - 1) / items_per_row (&ls, w0);
  legend_h = rows * ls.line_h * 1.2 + ls.line_h * 0.3 + G_N_ELEMENTS (notes_below) * ls.line_h;
  side_right = MIN (w0 - ls.right_w - LEGEND_GAP - 8, d->size.height);
  side_below = ls.below_w <= w0 ? MIN (w0, d->size.height - legend_h - 8) : 0;

  self->legend_below = side_below > side_right;
  side = floor (MAX (1, self->legend_below ? side_below : side_right));
  if (self->legend_below)
    d->origin.x = round (x0 + (w0 - side) / 2);
  else
    d->origin.x = round (x0 + MAX (0, (w0 - ls.right_w - LEGEND_GAP - side) / 2));
  d->size.width = side;
  d->size.height = side;
  /* the x title stays with the square, not at the widget's bottom edge */
  f->area.x_title_y = d->origin.y + side + below - title_drop;
  self->legend_x = self->legend_below ? x0 : d->origin.x + side + LEGEND_GAP;
  self->legend_y = self->legend_below ? f->area.x_title_y + 6 : d->origin.y;
  self->legend_w = self->legend_below ? w0 : ls.right_w;
  lab_scale_init (&f->x, hv->grid_lo, hv->grid_hi, FALSE);
  lab_scale_init (&f->y, hv->grid_lo, hv->grid_hi, FALSE);
}

/* One colour per cell: the class colour over the background, stronger when more confident
 * (confidence 1/K = a coin toss → faint, 1 → strong); R8G8B8A8 in memory order. */
static guint32 *
cell_colors (const LabHeavy     *hv,
             guint               k,
             const LabPlotStyle *s)
{
  gsize n = (gsize) hv->grid_n * hv->grid_n;
  guint8 *cells = g_malloc (n * 4);

  for (gsize i = 0; i < n; i++)
    {
      GdkRGBA c;
      double t = (hv->grid_conf[i] - 1.0 / k) / (1 - 1.0 / k);
      double a = 0.12 + 0.5 * CLAMP (t, 0, 1);

      lab_palette_class_color (hv->grid_class[i], &c);
      cells[4 * i + 0] = (guint8) lrint (255 * (a * c.red + (1 - a) * s->background.red));
      cells[4 * i + 1] = (guint8) lrint (255 * (a * c.green + (1 - a) * s->background.green));
      cells[4 * i + 2] = (guint8) lrint (255 * (a * c.blue + (1 - a) * s->background.blue));
      cells[4 * i + 3] = 255;
    }
  return (guint32 *) (void *) cells;
}

/* The grid as a texture at the data area's device resolution, rebuilt only for a new heavy
 * snapshot, size, scale or style. */
static void
ensure_texture (LabBoundaryPlot    *self,
                const LabPlotFrame *f,
                LabSnapshot        *snap)
{
  const LabHeavy *hv = snap->heavy;
  int scale = gtk_widget_get_scale_factor (GTK_WIDGET (self));
  int tw = (int) ceil (f->area.data.size.width * scale);
  int th = (int) ceil (f->area.data.size.height * scale);
  gsize stride = (gsize) tw * 4;
  g_autofree guint32 *cells = NULL;
  guint8 *rgba;
  g_autoptr(GBytes) bytes = NULL;

  if (snap == self->built_from && tw == self->built_w && th == self->built_h &&
      scale == self->built_scale && self->built_serial == self->style_serial)
    return;

  g_clear_object (&self->texture);
  g_clear_pointer (&self->built_from, lab_snapshot_unref);
  self->built_from = lab_snapshot_ref (snap);
  self->built_w = tw;
  self->built_h = th;
  self->built_scale = scale;
  self->built_serial = self->style_serial;

  cells = cell_colors (hv, n_classes_of (snap), &f->style);
  rgba = g_malloc ((gsize) th * stride);
  /* texture row 0 is the top, grid row 0 the bottom (y up) */
  lab_cell_image_expand (cells, hv->grid_n, hv->grid_n, TRUE, rgba, stride, tw, th);
  bytes = g_bytes_new_take (rgba, (gsize) th * stride);
  self->texture = gdk_memory_texture_new (tw, th, GDK_MEMORY_R8G8B8A8, bytes, stride);
}

static void
draw_points (LabBoundaryPlot    *self,
             GtkSnapshot        *snapshot,
             const LabPlotFrame *f)
{
  const float *xy;
  const guint8 *labels;
  gsize n = lab_plot_model_get_points (lab_plot_get_model (LAB_PLOT (self)), &xy, &labels);
  const graphene_rect_t *d = &f->area.data;
  double r = f->style.presenter ? 4.5 : 3.0;
  cairo_t *cr;
  GdkRGBA outline = { 0.1f, 0.1f, 0.12f, 0.85f };

  if (n == 0)
    return;

  cr = gtk_snapshot_append_cairo (snapshot, d);
  cairo_rectangle (cr, d->origin.x, d->origin.y, d->size.width, d->size.height);
  cairo_clip (cr);
  cairo_set_line_width (cr, 1.0);
  /* one path per class: few state changes even for thousands of points */
  for (guint k = 0; k < LAB_PALETTE_N_CLASSES; k++)
    {
      gboolean any = FALSE;
      GdkRGBA c;

      for (gsize i = 0; i < n; i++)
        {
          if (labels[i] % LAB_PALETTE_N_CLASSES != k)
            continue;
          cairo_new_sub_path (cr);
          cairo_arc (cr, lab_plot_area_x (&f->area, &f->x, xy[2 * i]),
                     lab_plot_area_y (&f->area, &f->y, xy[2 * i + 1]), r, 0, 2 * G_PI);
          any = TRUE;
        }
      if (!any)
        continue;
      lab_palette_class_color (k, &c);
      gdk_cairo_set_source_rgba (cr, &c);
      cairo_fill_preserve (cr);
      gdk_cairo_set_source_rgba (cr, &outline);
      cairo_stroke (cr);
    }
  cairo_destroy (cr);
}

static void
draw_legend (LabBoundaryPlot    *self,
             GtkSnapshot        *snapshot,
             const LabPlotStyle *s,
             guint               k)
{
  GtkWidget *widget = GTK_WIDGET (self);
  LegendSize ls;
  double x = self->legend_x, y = self->legend_y, h;
  guint per_row;

  legend_size (widget, s, &ls);
  h = ls.line_h;
  per_row = self->legend_below ? items_per_row (&ls, self->legend_w) : 1;
  k = MIN (k, 16u);
  for (guint c = 0; c < k; c++)
    {
      double cx = x + (c % per_row) * (ls.item_w + 12);
      double cy = y + (c / per_row) * h * 1.2;
      GdkRGBA col;
      char name[32];

      lab_palette_class_color (c, &col);
      lab_plot_fill_rect (snapshot, &col, cx, cy + h * 0.2, h * 0.7, h * 0.7);
      g_snprintf (name, sizeof name, _("class %u"), c);
      lab_plot_draw_text (snapshot, widget, s, name, 0.9, FALSE, &s->fg, cx + h, cy, 0, 0,
                          NULL, NULL);
    }
  y += ((k + per_row - 1) / per_row) * h * 1.2;
  if (self->legend_below)
    {
      y += h * 0.3;
      for (guint i = 0; i < G_N_ELEMENTS (notes_below); i++)
        lab_plot_draw_text (snapshot, widget, s, _(notes_below[i]), 0.85, FALSE, &s->muted, x,
                            y + i * h, 0, 0, NULL, NULL);
    }
  else
    {
      y += h * 0.5;
      for (guint i = 0; i < G_N_ELEMENTS (notes_right); i++)
        {
          /* two notes: "dots …" on lines 0–1, "shade …" on 2–4 after half a line of space */
          double dy = i < 2 ? i * h : (i + 0.5) * h;

          lab_plot_draw_text (snapshot, widget, s, _(notes_right[i]), 0.85, FALSE, &s->muted, x,
                              y + dy, 0, 0, NULL, NULL);
        }
    }
}

/* The model's heavy snapshot if it holds a decision grid, else NULL. */
static LabSnapshot *
grid_snapshot (LabBoundaryPlot *self)
{
  LabPlotModel *model = lab_plot_get_model (LAB_PLOT (self));
  LabSnapshot *snap = model ? lab_plot_model_get_heavy (model) : NULL;

  if (snap == NULL || snap->heavy == NULL || snap->heavy->grid_n == 0 ||
      snap->heavy->grid_class == NULL || snap->heavy->grid_conf == NULL)
    return NULL;
  return snap;
}

static void
lab_boundary_plot_get_title (LabPlot     *plot,
                             const char **title,
                             const char **subtitle)
{
  *title = _("Decision boundary");
  *subtitle = grid_snapshot (LAB_BOUNDARY_PLOT (plot)) != NULL
                ? _("model's prediction over the plane, training points on top") : NULL;
}

static gboolean
lab_boundary_plot_get_empty_message (LabPlot *plot,
                                     char    *buf,
                                     gsize    len)
{
  LabPlotModel *model = lab_plot_get_model (plot);
  LabSnapshot *snap = model ? lab_plot_model_get_heavy (model) : NULL;

  if (grid_snapshot (LAB_BOUNDARY_PLOT (plot)) != NULL)
    return FALSE;
  if (snap == NULL || snap->heavy == NULL)
    lab_plot_empty_message (plot, C_("no data yet", "prediction"), buf, len);
  else
    g_strlcpy (buf, _("Decision boundary is shown for 2-D datasets only"), len);
  return TRUE;
}

static void
lab_boundary_plot_draw (LabPlot      *plot,
                        GtkSnapshot  *snapshot,
                        LabPlotFrame *f)
{
  LabBoundaryPlot *self = LAB_BOUNDARY_PLOT (plot);
  LabSnapshot *snap = grid_snapshot (self);

  compute_layout (self, f, snap->heavy, n_classes_of (snap));
  ensure_texture (self, f, snap);
  if (self->texture != NULL)
    gtk_snapshot_append_texture (snapshot, self->texture, &f->area.data);
  lab_plot_draw_axes (snapshot, GTK_WIDGET (plot), &f->style, &f->area, &f->x, "x₁", &f->y, "x₂",
                      NULL, NULL);
  if (self->show_points)
    draw_points (self, snapshot, f);
  draw_legend (self, snapshot, &f->style, n_classes_of (snap));
}

static char *
lab_boundary_plot_get_hover_text (LabPlot            *plot,
                                  const LabPlotFrame *f,
                                  LabPlotTooltip     *tip)
{
  const LabHeavy *hv = grid_snapshot (LAB_BOUNDARY_PLOT (plot))->heavy;
  const graphene_rect_t *d = &f->area.data;
  double x1, x2, cell;
  guint col, row;
  gsize i;

  if (!lab_plot_area_contains (&f->area, tip->x, tip->y))
    return NULL;
  x1 = lab_scale_unmap (&f->x, (tip->x - d->origin.x) / d->size.width);
  x2 = lab_scale_unmap (&f->y, 1 - (tip->y - d->origin.y) / d->size.height);
  cell = (hv->grid_hi - hv->grid_lo) / hv->grid_n;
  col = (guint) CLAMP ((x1 - hv->grid_lo) / cell, 0, hv->grid_n - 1);
  row = (guint) CLAMP ((x2 - hv->grid_lo) / cell, 0, hv->grid_n - 1);
  i = (gsize) row * hv->grid_n + col;
  tip->dot = TRUE;
  lab_palette_class_color (hv->grid_class[i], &tip->dot_color);
  return g_strdup_printf (_("x₁ = %.2f, x₂ = %.2f\nclass %u, p = %.2f"), x1, x2, hv->grid_class[i],
                          hv->grid_conf[i]);
}

/* How much of the plane each class holds, the training points and the latest test accuracy. */
static void
lab_boundary_plot_describe (LabPlot *plot,
                            GString *out)
{
  LabSnapshot *snap = grid_snapshot (LAB_BOUNDARY_PLOT (plot));
  const LabHeavy *hv = snap->heavy;
  guint k = MIN (n_classes_of (snap), 256u);
  gsize n_cells = (gsize) hv->grid_n * hv->grid_n;
  gsize n_points = lab_plot_model_get_points (lab_plot_get_model (plot), NULL, NULL);
  GArray *evals = lab_plot_model_get_evals (lab_plot_get_model (plot));
  g_autofree gsize *cells = g_new0 (gsize, 256);

  for (gsize i = 0; i < n_cells; i++)
    cells[hv->grid_class[i]]++;
  g_string_append_printf (out, _("The model's predicted class over the plane, %u classes: "), k);
  for (guint c = 0; c < k; c++)
    g_string_append_printf (out, _("%sclass %u holds %.0f %%"), c > 0 ? ", " : "", c,
                            100.0 * cells[c] / n_cells);
  g_string_append_c (out, '.');
  if (n_points > 0)
    g_string_append_printf (out, _(" %zu training points are drawn on top."),
                            n_points);
  if (evals != NULL && evals->len > 0)
    {
      const LabEvalPoint *e = &g_array_index (evals, LabEvalPoint, evals->len - 1);

      if (isfinite (e->accuracy))
        g_string_append_printf (out, _(" Test accuracy at step %" PRIu64 ": %.1f %%."),
                                e->step, 100 * e->accuracy);
    }
}

/* --- GObject -------------------------------------------------------------------------------- */

static void
lab_boundary_plot_css_changed (GtkWidget         *widget,
                               GtkCssStyleChange *change)
{
  LabBoundaryPlot *self = LAB_BOUNDARY_PLOT (widget);

  GTK_WIDGET_CLASS (lab_boundary_plot_parent_class)->css_changed (widget, change);
  self->style_serial++;   /* the background colour is mixed into the texture */
}

static void
lab_boundary_plot_dispose (GObject *object)
{
  LabBoundaryPlot *self = LAB_BOUNDARY_PLOT (object);

  g_clear_object (&self->texture);
  g_clear_pointer (&self->built_from, lab_snapshot_unref);
  G_OBJECT_CLASS (lab_boundary_plot_parent_class)->dispose (object);
}

static void
lab_boundary_plot_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  LabBoundaryPlot *self = LAB_BOUNDARY_PLOT (object);

  switch (prop_id)
    {
    case PROP_SHOW_POINTS:
      g_value_set_boolean (value, self->show_points);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lab_boundary_plot_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  LabBoundaryPlot *self = LAB_BOUNDARY_PLOT (object);

  switch (prop_id)
    {
    case PROP_SHOW_POINTS:
      lab_boundary_plot_set_show_points (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lab_boundary_plot_class_init (LabBoundaryPlotClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  LabPlotClass *plot_class = LAB_PLOT_CLASS (klass);

  object_class->dispose = lab_boundary_plot_dispose;
  object_class->get_property = lab_boundary_plot_get_property;
  object_class->set_property = lab_boundary_plot_set_property;

  widget_class->css_changed = lab_boundary_plot_css_changed;

  plot_class->min_height = 200;
  plot_class->natural_height = 420;
  plot_class->get_title = lab_boundary_plot_get_title;
  plot_class->get_empty_message = lab_boundary_plot_get_empty_message;
  plot_class->draw = lab_boundary_plot_draw;
  plot_class->get_hover_text = lab_boundary_plot_get_hover_text;
  plot_class->describe = lab_boundary_plot_describe;

  properties[PROP_SHOW_POINTS] =
    g_param_spec_boolean ("show-points", NULL, NULL, TRUE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

}

static void
lab_boundary_plot_init (LabBoundaryPlot *self)
{
  self->show_points = TRUE;
  gtk_widget_add_css_class (GTK_WIDGET (self), "boundary");
}

GtkWidget *
lab_boundary_plot_new (void)
{
  return g_object_new (LAB_TYPE_BOUNDARY_PLOT, NULL);
}

void
lab_boundary_plot_set_show_points (LabBoundaryPlot *self,
                                   gboolean         show)
{
  g_return_if_fail (LAB_IS_BOUNDARY_PLOT (self));

  show = !!show;
  if (self->show_points == show)
    return;
  self->show_points = show;
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SHOW_POINTS]);
}

gboolean
lab_boundary_plot_get_show_points (LabBoundaryPlot *self)
{
  g_return_val_if_fail (LAB_IS_BOUNDARY_PLOT (self), FALSE);
  return self->show_points;
}

gboolean
lab_boundary_plot_to_widget (LabBoundaryPlot *self,
                             double           x1,
                             double           x2,
                             double          *wx,
                             double          *wy)
{
  const LabPlotFrame *f;

  g_return_val_if_fail (LAB_IS_BOUNDARY_PLOT (self), FALSE);

  if ((f = lab_plot_get_frame (LAB_PLOT (self))) == NULL)
    return FALSE;
  if (wx != NULL)
    *wx = lab_plot_area_x (&f->area, &f->x, x1);
  if (wy != NULL)
    *wy = lab_plot_area_y (&f->area, &f->y, x2);
  return TRUE;
}
