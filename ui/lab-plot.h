/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-plot.h: LabPlot, the abstract base of every plot widget (Sysprof's SysprofChart with its
 * layers). It owns what every plot does the same way: the "model" property and its "changed"
 * signal, the pointer hover, the size request, the label layout cache, the axes a plot shares
 * with others (lab-axis.h), and the whole snapshot frame:
 *
 *   update (when the model or a setting changed: gather the data, give the axes its extent)
 *   → style and area → damage → background → title → empty message, or draw → hover tooltip
 *
 * A subclass fills in class fields and small vfuncs for the parts that are its own. All
 * drawing happens in snapshot, on the main thread.
 */
#pragma once

#include <gtk/gtk.h>

#include "lab-axis.h"
#include "lab-extent.h"
#include "lab-plot-area.h"
#include "lab-plot-model.h"
#include "lab-plot-series.h"
#include "lab-plot-style.h"
#include "lab-plot-tooltip.h"
#include "lab-scale.h"

G_BEGIN_DECLS

/* One frame of a plot, as snapshot draws it. */
typedef struct
{
  LabPlotStyle   style;   /* this frame's look */
  LabPlotArea    area;    /* laid out with the class' area_flags; draw may change it */
  LabScale       x;       /* the scales draw drew the data on (0 … 1 unless it set them), */
  LabScale       y;       /* kept for hover and for lab_plot_get_frame() */
  LabPlotCanvas *canvas;  /* the plot's canvas for its series (lab-plot-series.h) */
} LabPlotFrame;

#define LAB_TYPE_PLOT (lab_plot_get_type ())
G_DECLARE_DERIVABLE_TYPE (LabPlot, lab_plot, LAB, PLOT, GtkWidget)

struct _LabPlotClass
{
  GtkWidgetClass   parent_class;

  /* The size request, in logical pixels. */
  int              min_width;
  int              natural_width;
  int              min_height;
  int              natural_height;
  /* The margins of a frame's area (lab_plot_area_init()). */
  LabPlotAreaFlags area_flags;
  /* Each frame damages the whole plot as one rectangle. GSK finds what to repaint by comparing
   * the frame's render nodes with the last frame's, and gives up once that takes more than 30
   * rectangles: it then repaints the enclosing container's bounds instead, and its
   * container's, up to the whole window. A plot whose new data moves its ticks and labels (the
   * x axis grows with every snapshot: ~30 small rectangles per plot on the Gradients page)
   * sets this: its frame then starts with an invisible node that differs from the last
   * frame's, which damages the widget's bounds, and its other changes fall inside them. */
  gboolean         damage_all;

  /* The model emitted "changed" (@replaced FALSE), or another model (or NULL) took its place
   * (@replaced TRUE). The default calls lab_plot_invalidate(). */
  void     (*model_changed)     (LabPlot            *self,
                                 gboolean            replaced);
  /* The model or a setting changed since the last frame (lab_plot_invalidate()): gather what
   * to draw from the model and widen @x and @y (given empty) to the data's extent on the x and
   * y axes. Runs when the plot is next drawn (or asked, lab_plot_update()), so a hidden plot
   * costs nothing; a plot sharing an axis runs it at once. */
  void     (*update)            (LabPlot            *self,
                                 LabExtent          *x,
                                 LabExtent          *y);
  /* The title line (either may be NULL); NULL vfunc: no title. */
  void     (*get_title)         (LabPlot            *self,
                                 const char        **title,
                                 const char        **subtitle);
  /* TRUE when there is nothing to draw, with the message to show instead in @buf (see
   * lab_plot_empty_message()). NULL vfunc: never empty. */
  gboolean (*get_empty_message) (LabPlot            *self,
                                 char               *buf,
                                 gsize               len);
  /* What an empty plot shows under its message, such as its axes. May be NULL. */
  void     (*draw_empty)        (LabPlot            *self,
                                 GtkSnapshot        *snapshot,
                                 LabPlotFrame       *frame);
  /* The plot itself: axes, data, legend. It may lay out its own data area in @frame, and sets
   * the scales it drew on in frame->x and frame->y. */
  void     (*draw)              (LabPlot            *self,
                                 GtkSnapshot        *snapshot,
                                 LabPlotFrame       *frame);
  /* The tooltip for the pointer at (tip->x, tip->y) over the frame just drawn: a newly
   * allocated text (NULL: none), and in @tip the point it describes and how it reads. A plot
   * without it does not redraw when the pointer moves. */
  char    *(*get_hover_text)    (LabPlot            *self,
                                 const LabPlotFrame *frame,
                                 LabPlotTooltip     *tip);
  /* For screen readers: what a sighted user reads off the plot now, in a sentence or two with
   * its numbers ("Gradient flow across depth: first layer 1.2×10⁻⁸, last layer 0.71, …"),
   * appended to @out. Called after update, only when the plot is not empty (an empty plot
   * says its empty message). NULL vfunc: the title says it all. */
  void     (*describe)          (LabPlot            *self,
                                 GString            *out);
};

void                lab_plot_set_model     (LabPlot            *self,
                                            LabPlotModel       *model);
LabPlotModel       *lab_plot_get_model     (LabPlot            *self);
/* The model's layer selection (lab-layer-selection.h), or NULL without a model. */
LabLayerSelection  *lab_plot_get_layer_selection (LabPlot      *self);
/* TRUE while the pointer is over the plot, with its widget coordinates in @x, @y (each may be
 * NULL; left untouched when FALSE). */
gboolean            lab_plot_get_hover     (LabPlot            *self,
                                            double             *x,
                                            double             *y);
/* What an empty plot says, from the run's state: "No @what yet: press Play or Step", or, when
 * the run has stopped on an error, that the banner above says why (Play would not help). */
void                lab_plot_empty_message (LabPlot            *self,
                                            const char         *what,
                                            char               *buf,
                                            gsize               len);

/* The data to draw changed (a setting, the model): update before the next frame, and queue it.
 * A plot sharing an axis with another updates at once, so both draw that frame on one scale. */
void                lab_plot_invalidate    (LabPlot            *self);
/* Runs the update vfunc now if the plot is invalid (for getters that read the gathered data). */
void                lab_plot_update        (LabPlot            *self);
/* The frame the plot last drew its data in, or NULL when that frame showed the empty message
 * or the data changed since. */
const LabPlotFrame *lab_plot_get_frame     (LabPlot            *self);

/* The axes the plot draws on (NULL where it has none: its scale is its own business). A plot
 * given another axis takes its data off the old one and puts it on the new one. */
LabAxis            *lab_plot_get_x_axis    (LabPlot            *self);
void                lab_plot_set_x_axis    (LabPlot            *self,
                                            LabAxis            *axis);
LabAxis            *lab_plot_get_y_axis    (LabPlot            *self);
void                lab_plot_set_y_axis    (LabPlot            *self,
                                            LabAxis            *axis);
/* Compare mode: @self draws on @other's axes (each one @other has), so both show the same
 * scales. */
void                lab_plot_share_axes    (LabPlot            *self,
                                            LabPlot            *other);

/* Accessibility: the plot's accessible label is its title, and its description what describe
 * (or the empty message) says. Both follow the data at a calm rate — at most once every
 * LAB_PLOT_A11Y_PERIOD ms while it changes — so a screen reader is not flooded by a plot that
 * redraws 30 times a second. */
#define LAB_PLOT_A11Y_PERIOD 1000

/* Brings the accessible label and description up to date now; returns the description
 * (transfer none, valid until the next change). For tests and for a caller that wants it said
 * now (a new page shown). */
const char         *lab_plot_refresh_accessible (LabPlot          *self);

/* The ink box of every text the last frame drew (the tooltip aside), in widget coordinates, as
 * the text functions (lab-plot-text.h) record them: tests check that no two overprint. */
const graphene_rect_t *lab_plot_get_label_rects (LabPlot               *self,
                                                 guint                 *n_rects);
/* Records the ink of @layout drawn with its top left at (@x, @y) in this frame (lab-plot-text.h
 * does it for every text it draws; a plot drawing text another way calls it). */
void                lab_plot_add_label      (LabPlot               *self,
                                             PangoLayout           *layout,
                                             double                 x,
                                             double                 y);
/* Records a text's ink box @rect (turned text: its turned box). */
void                lab_plot_add_label_rect (LabPlot               *self,
                                             const graphene_rect_t *rect);

/* A layout of a plain label in this plot's font (lab-layout-cache.h); (transfer none): the
 * caller must not change it, and it is valid until the next call. */
PangoLayout        *lab_plot_get_layout    (LabPlot            *self,
                                            const LabPlotStyle *s,
                                            const char         *text,
                                            double              rel,
                                            gboolean            bold);

/* @text cut in the middle to fit @max_w (lab_plot_cut_text()), remembered by the plot: (transfer
 * none) @text itself when it fits, else valid until the next call. */
const char         *lab_plot_fit_text      (LabPlot            *self,
                                            const LabPlotStyle *s,
                                            const char         *text,
                                            double              rel,
                                            gboolean            bold,
                                            double              max_w);

G_END_DECLS
