/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-plot-util.h: drawing helpers shared by every plot widget, so that all plots look the same
 * and stay readable on a projector: a style (colours from the widget's CSS, font and line scale,
 * the "presenter" class on an ancestor), axes with linear or log10 mapping and nice ticks, a plot
 * area with frame, grid, tick labels and axis titles, legends, a "no data yet" message, a hover
 * tooltip box, and a line + min–max envelope reduced to one column per pixel.
 *
 * Everything here is called from a widget's snapshot vfunc, on the main thread. Nothing keeps
 * state between frames except the caller-owned scratch array of lab_plot_draw_series().
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* --- style ------------------------------------------------------------------------------- */

typedef struct
{
  GdkRGBA  fg;          /* text, frame: the widget's CSS `color` */
  GdkRGBA  muted;       /* tick labels, secondary text */
  GdkRGBA  grid;        /* grid lines */
  GdkRGBA  background;  /* the card behind the plot (theme view background) */
  GdkRGBA  accent;      /* a highlight (theme accent colour) */
  GdkRGBA  tooltip_bg;  /* hover box */
  gboolean dark;        /* fg is light, i.e. a dark theme */
  gboolean presenter;   /* an ancestor has the CSS class "presenter" */
  double   font_scale;  /* 1.0, or 1.6 in presenter mode */
  double   line_width;  /* data lines in px: 1.5, or 3.0 in presenter mode */
  int      scale;       /* device pixels per logical pixel: the widget's scale factor */
  gboolean vector;      /* an ancestor has the CSS class "export": drawing for SVG/PDF/PNG
                         * export at any scale, so nothing is pre-rasterised */
} LabPlotStyle;

/* Fills @s from @widget's style context; checks @widget and its ancestors for "presenter"
 * and "export". */
void         lab_plot_style_init      (GtkWidget          *widget,
                                       LabPlotStyle       *s);

/* --- axes -------------------------------------------------------------------------------- */

typedef struct
{
  double   lo;          /* data range shown (for log: both > 0) */
  double   hi;
  gboolean log;         /* log10 mapping */
} LabPlotAxis;

#define LAB_PLOT_MAX_TICKS 16

/* A linear axis over [lo, hi], or log over [lo, hi] (lo, hi > 0; non-positive → 1e-8 … 1).
 * lo == hi is widened. */
void         lab_plot_axis_init       (LabPlotAxis        *a,
                                       double              lo,
                                       double              hi,
                                       gboolean            log);
/* Widens the range to nice tick values (whole decades for log, clamped to 1e-12 … 1e12). */
void         lab_plot_axis_nice       (LabPlotAxis        *a);
/* Maps @v to [0, 1] (may fall outside for values out of range); NAN for NaN, and for v ≤ 0 on
 * a log axis. */
double       lab_plot_axis_map        (const LabPlotAxis  *a,
                                       double              v);
/* The inverse of lab_plot_axis_map(). */
double       lab_plot_axis_unmap      (const LabPlotAxis  *a,
                                       double              t);
/* Tick values inside the range (at most @max, ≤ LAB_PLOT_MAX_TICKS); about @target of them
 * for a linear axis; every decade (or every 2nd, 3rd … if too many) for log. */
guint        lab_plot_axis_ticks      (const LabPlotAxis  *a,
                                       guint               target,
                                       double             *ticks,
                                       guint               max);
/* A tick label: "10⁻⁶" on log axes, "0.25", "1.5k", "20 %" style on linear ones. */
void         lab_plot_axis_format     (const LabPlotAxis  *a,
                                       double              v,
                                       char               *buf,
                                       gsize               len);

/* "3.2×10⁻⁵" (Unicode superscripts); plain "0.42" for 0.01 ≤ |v| < 1000; "0"; "NaN". */
void         lab_plot_format_sci      (double              v,
                                       char               *buf,
                                       gsize               len);
/* Appends the superscript form of @e ("⁻¹²") to @str. */
void         lab_plot_append_superscript (GString         *str,
                                          int              e);

/* --- plot area --------------------------------------------------------------------------- */

typedef enum
{
  LAB_PLOT_AREA_RIGHT_AXIS = 1 << 0,  /* leave room for a second y axis on the right */
  LAB_PLOT_AREA_NO_X_AXIS  = 1 << 1,  /* no x tick labels/title (category bars draw their own) */
} LabPlotAreaFlags;

/* Where things go, in widget coordinates. */
typedef struct
{
  double          width;     /* the whole widget */
  double          height;
  graphene_rect_t data;      /* the data rectangle inside the frame */
  double          title_y;   /* baseline area of the title (top of the title line) */
  double          x_title_y; /* bottom of the x-axis title: below the ticks under data */
  double          legend_x;  /* a TITLE_LINE legend's row (lab_plot_area_reserve_title_legend), */
  double          legend_y;  /* on the title line or just under it; legend_y < 0 = none */
} LabPlotArea;

/* Lays out the margins for a plot of @width × @height: title line on top, tick labels and
 * axis titles on the left, bottom (and right with LAB_PLOT_AREA_RIGHT_AXIS). */
void         lab_plot_area_init       (LabPlotArea        *area,
                                       GtkWidget          *widget,
                                       const LabPlotStyle *s,
                                       int                 width,
                                       int                 height,
                                       LabPlotAreaFlags    flags);
/* Data → widget coordinates (NAN when unmappable). */
double       lab_plot_area_x          (const LabPlotArea  *area,
                                       const LabPlotAxis  *xa,
                                       double              v);
double       lab_plot_area_y          (const LabPlotArea  *area,
                                       const LabPlotAxis  *ya,
                                       double              v);
gboolean     lab_plot_area_contains   (const LabPlotArea  *area,
                                       double              x,
                                       double              y);

/* --- text -------------------------------------------------------------------------------- */

/* A layout in the widget's font scaled by @rel × s->font_scale (1.0 = body, 0.9 = ticks). */
PangoLayout *lab_plot_layout_new      (GtkWidget          *widget,
                                       const LabPlotStyle *s,
                                       const char         *text,
                                       double              rel,
                                       gboolean            bold);
/* Draws @text with its box anchored at (@x, @y): @xalign/@yalign 0 = left/top, 0.5 = centre,
 * 1 = right/bottom. Returns the text's logical size in @w/@h if non-NULL. */
void         lab_plot_draw_text       (GtkSnapshot        *snapshot,
                                       GtkWidget          *widget,
                                       const LabPlotStyle *s,
                                       const char         *text,
                                       double              rel,
                                       gboolean            bold,
                                       const GdkRGBA      *color,
                                       double              x,
                                       double              y,
                                       double              xalign,
                                       double              yalign,
                                       double             *w,
                                       double             *h);
/* Logical size of @text without drawing it. */
void         lab_plot_text_size       (GtkWidget          *widget,
                                       const LabPlotStyle *s,
                                       const char         *text,
                                       double              rel,
                                       gboolean            bold,
                                       double             *w,
                                       double             *h);

/* --- decorations ------------------------------------------------------------------------- */

/* Makes GSK repaint all of @widget in this frame, as one rectangle. GSK finds what to repaint
 * by comparing the frame's render nodes with the last frame's, and gives up once that takes
 * more than 30 rectangles: it then repaints the enclosing container's bounds instead, and its
 * container's, up to the whole window. A plot whose update moves its ticks and labels (the x
 * axis grows with every snapshot: ~30 small rectangles per plot on the Gradients page) calls
 * this first in its snapshot: an invisible node that differs from the last frame's damages the
 * widget's bounds, and the plot's other changes then fall inside that one rectangle. */
void         lab_plot_damage_all      (GtkSnapshot        *snapshot,
                                       GtkWidget          *widget);
/* The subtle card behind the whole widget. */
void         lab_plot_draw_background (GtkSnapshot        *snapshot,
                                       const LabPlotStyle *s,
                                       const LabPlotArea  *area);
/* Title at the top left (bold); @subtitle (may be NULL) follows it in the muted colour. */
void         lab_plot_draw_title      (GtkSnapshot        *snapshot,
                                       GtkWidget          *widget,
                                       const LabPlotStyle *s,
                                       const LabPlotArea  *area,
                                       const char         *title,
                                       const char         *subtitle);
/* Frame, grid, tick labels and axis titles. @xa may be NULL (no x axis), @y2 may be NULL. */
void         lab_plot_draw_axes       (GtkSnapshot        *snapshot,
                                       GtkWidget          *widget,
                                       const LabPlotStyle *s,
                                       const LabPlotArea  *area,
                                       const LabPlotAxis  *xa,
                                       const char         *x_title,
                                       const LabPlotAxis  *ya,
                                       const char         *y_title,
                                       const LabPlotAxis  *y2,
                                       const char         *y2_title);

typedef enum
{
  LAB_PLOT_LEGEND_TOP_RIGHT,   /* inside the data area */
  LAB_PLOT_LEGEND_TOP_LEFT,
  LAB_PLOT_LEGEND_BOTTOM_RIGHT,
  LAB_PLOT_LEGEND_BOTTOM_LEFT,
  LAB_PLOT_LEGEND_TITLE_LINE,  /* one row at the top: lab_plot_area_reserve_title_legend() */
  LAB_PLOT_LEGEND_OUTSIDE_RIGHT, /* right of the data area: call lab_plot_area_reserve_legend() */
} LabPlotLegendPos;

typedef enum
{
  LAB_PLOT_SWATCH_BOX,
  LAB_PLOT_SWATCH_LINE,
  LAB_PLOT_SWATCH_MARKER,      /* line with a dot */
  LAB_PLOT_SWATCH_DASH,
} LabPlotSwatch;

typedef struct
{
  const char    *name;
  GdkRGBA        color;
  LabPlotSwatch  swatch;
} LabPlotLegendItem;

/* Shrinks area->data from the right to make room for an OUTSIDE_RIGHT legend of these items,
 * if the data area stays at least 60 % of the width; returns FALSE (area unchanged) otherwise,
 * then draw the legend inside (e.g. TOP_RIGHT). */
gboolean     lab_plot_area_reserve_legend (LabPlotArea             *area,
                                           GtkWidget               *widget,
                                           const LabPlotStyle      *s,
                                           const LabPlotLegendItem *items,
                                           guint                    n_items);
/* Finds a TITLE_LINE legend its row: right-aligned on the title line beside @title if it fits,
 * else a row of its own under the title (area->data moves down by a line). FALSE when even that
 * is too narrow: the legend then draws inside, top right. Call before drawing the axes. */
gboolean     lab_plot_area_reserve_title_legend (LabPlotArea             *area,
                                                 GtkWidget               *widget,
                                                 const LabPlotStyle      *s,
                                                 const char              *title,
                                                 const LabPlotLegendItem *items,
                                                 guint                    n_items);
/* A legend box of swatches + names. Wraps into columns when there are many items. */
void         lab_plot_draw_legend     (GtkSnapshot             *snapshot,
                                       GtkWidget               *widget,
                                       const LabPlotStyle      *s,
                                       const LabPlotArea       *area,
                                       const LabPlotLegendItem *items,
                                       guint                    n_items,
                                       LabPlotLegendPos         pos);
/* A centred muted message ("No data yet — press Play") over the whole widget. */
void         lab_plot_draw_message    (GtkSnapshot        *snapshot,
                                       GtkWidget          *widget,
                                       const LabPlotStyle *s,
                                       const LabPlotArea  *area,
                                       const char         *message);
/* A hover box with @text (may hold newlines; Pango markup if @markup) placed next to (@x, @y),
 * kept inside the widget, with a dot marking the point in @dot_color (NULL = no dot). */
void         lab_plot_draw_tooltip    (GtkSnapshot        *snapshot,
                                       GtkWidget          *widget,
                                       const LabPlotStyle *s,
                                       const LabPlotArea  *area,
                                       double              x,
                                       double              y,
                                       const char         *text,
                                       gboolean            markup,
                                       const GdkRGBA      *dot_color);
/* A filled rectangle (thin wrapper over gtk_snapshot_append_color). */
void         lab_plot_fill_rect       (GtkSnapshot        *snapshot,
                                       const GdkRGBA      *color,
                                       double              x,
                                       double              y,
                                       double              w,
                                       double              h);

/* --- series ------------------------------------------------------------------------------ */

/* One data point: a line value @y and an envelope @lo … @hi (set both to @y if none).
 * Points must be sorted by @x. NaN values (and ≤ 0 on a log axis) are skipped, breaking the
 * line. */
typedef struct
{
  double x;
  double lo;
  double y;
  double hi;
} LabPlotPoint;

typedef enum
{
  LAB_PLOT_SERIES_LINE     = 1 << 0,
  LAB_PLOT_SERIES_ENVELOPE = 1 << 1,   /* translucent band lo … hi */
  LAB_PLOT_SERIES_MARKERS  = 1 << 2,   /* a dot at each point (when not reduced) */
  LAB_PLOT_SERIES_DASHED   = 1 << 3,
} LabPlotSeriesFlags;

/* The series of a plot are drawn into one layer: a single Cairo node over its data area,
 * clipped to it, begun after the axes and ended before the legend. The Cairo renderer replays
 * each Cairo node through an image of its own size (cleared, drawn, composited), so one node
 * per plot rather than one per series saves two full passes over the data area per series.
 * (A texture node would be worse in GTK 4.8: it is converted pixel by pixel every frame.) */
typedef struct _LabPlotLayer LabPlotLayer;

LabPlotLayer *lab_plot_layer_begin    (GtkSnapshot        *snapshot,
                                       const LabPlotStyle *s,
                                       const LabPlotArea  *area);
void         lab_plot_layer_end       (LabPlotLayer       *layer);

/* Draws a series into @layer. When there are more points than pixel columns, they
 * are first reduced to one column per pixel (min of lo, max of hi, mean of y), so the envelope of
 * every spike stays visible. The envelope and a solid line are rasterised into coverage masks
 * at the device scale rather than filled and stroked by Cairo (unless s->vector), which looks
 * the same and costs a fraction. @scratch is a caller-owned GArray (element size ≥ 40
 * bytes, made by lab_plot_scratch_new()) reused between frames. */
void         lab_plot_draw_series     (LabPlotLayer       *layer,
                                       const LabPlotAxis  *xa,
                                       const LabPlotAxis  *ya,
                                       const LabPlotPoint *points,
                                       guint               n_points,
                                       const GdkRGBA      *color,
                                       LabPlotSeriesFlags  flags,
                                       GArray             *scratch);
GArray      *lab_plot_scratch_new     (void);

/* A colour with alpha multiplied by @alpha. */
GdkRGBA      lab_plot_rgba_alpha      (const GdkRGBA      *c,
                                       double              alpha);

G_END_DECLS
