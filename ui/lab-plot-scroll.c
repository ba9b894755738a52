/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-plot-scroll.c: a scrolling part of a plot (see lab-plot-scroll.h). No GtkScrolledWindow:
 * it would scroll the plot's title and axes away with the strips, and a plot is one image to
 * assistive tools, whose description already lists every layer shown.
 */
#define G_LOG_DOMAIN "lab-plot-scroll"

#include "config.h"

#include <math.h>

#include "lab-palette.h"
#include "lab-plot-paint.h"
#include "lab-plot-scroll.h"

#define BAR_W    6.0    /* the thumb's width, just right of the view */
#define BAR_GRAB 4.0    /* how far into the view a drag still takes the bar */
#define WHEEL    60.0   /* pixels per wheel notch */

static double
max_offset (const LabPlotScroll *sc)
{
  return MAX (0.0, sc->content - sc->view.size.height);
}

/* The thumb: as tall as the view is of the content, where the offset puts it. */
static void
thumb (const LabPlotScroll *sc,
       double              *y,
       double              *h)
{
  double vh = sc->view.size.height;

  *h = MAX (16.0, vh * vh / MAX (sc->content, 1.0));
  *y = sc->view.origin.y + (vh - *h) * (max_offset (sc) > 0 ? sc->offset / max_offset (sc) : 0);
}

static gboolean
on_scroll (GtkEventControllerScroll *controller,
           double                    dx,
           double                    dy,
           LabPlotScroll            *sc)
{
  double step = gtk_event_controller_scroll_get_unit (controller) == GDK_SCROLL_UNIT_WHEEL
                ? WHEEL : 1.0;

  if (!lab_plot_scroll_active (sc))
    return FALSE;
  lab_plot_scroll_to (sc, sc->offset + dy * step);
  return TRUE;
}

static void
on_drag_begin (GtkGestureDrag *gesture,
               double          x,
               double          y,
               LabPlotScroll  *sc)
{
  const graphene_rect_t *v = &sc->view;
  double ty, th;

  if (!lab_plot_scroll_active (sc) || x < v->origin.x + v->size.width - BAR_GRAB ||
      x > v->origin.x + v->size.width + BAR_W + 3 || y < v->origin.y ||
      y > v->origin.y + v->size.height)
    {
      gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_DENIED);
      return;
    }
  /* a press beside the thumb first brings the thumb's middle there */
  thumb (sc, &ty, &th);
  if (y < ty || y > ty + th)
    lab_plot_scroll_to (sc, (y - v->origin.y - th / 2) / (v->size.height - th) *
                            max_offset (sc));
  sc->drag_from = sc->offset;
  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
}

static void
on_drag_update (GtkGestureDrag *gesture,
                double          dx,
                double          dy,
                LabPlotScroll  *sc)
{
  double ty, th;

  thumb (sc, &ty, &th);
  if (sc->view.size.height > th)
    lab_plot_scroll_to (sc, sc->drag_from + dy / (sc->view.size.height - th) * max_offset (sc));
}

void
lab_plot_scroll_init (LabPlotScroll *sc,
                      GtkWidget     *widget)
{
  GtkEventController *scroll = gtk_event_controller_scroll_new (
    GTK_EVENT_CONTROLLER_SCROLL_VERTICAL);
  GtkGesture *drag = gtk_gesture_drag_new ();

  sc->widget = widget;
  sc->offset = 0;
  sc->content = 0;
  sc->view = GRAPHENE_RECT_INIT (0, 0, 0, 0);
  g_signal_connect (scroll, "scroll", G_CALLBACK (on_scroll), sc);
  gtk_widget_add_controller (widget, scroll);
  g_signal_connect (drag, "drag-begin", G_CALLBACK (on_drag_begin), sc);
  g_signal_connect (drag, "drag-update", G_CALLBACK (on_drag_update), sc);
  gtk_widget_add_controller (widget, GTK_EVENT_CONTROLLER (drag));
}

void
lab_plot_scroll_set (LabPlotScroll         *sc,
                     const graphene_rect_t *view,
                     double                 content)
{
  sc->view = *view;
  sc->content = content;
  sc->offset = CLAMP (sc->offset, 0.0, max_offset (sc));
}

gboolean
lab_plot_scroll_active (const LabPlotScroll *sc)
{
  return sc->content > sc->view.size.height + 0.5;
}

double
lab_plot_scroll_y (const LabPlotScroll *sc,
                   double               y)
{
  return sc->view.origin.y + y - sc->offset;
}

gboolean
lab_plot_scroll_to (LabPlotScroll *sc,
                    double         offset)
{
  offset = round (CLAMP (offset, 0.0, max_offset (sc)));
  if (offset == sc->offset)
    return FALSE;
  sc->offset = offset;
  gtk_widget_queue_draw (sc->widget);
  return TRUE;
}

void
lab_plot_scroll_draw (const LabPlotScroll *sc,
                      GtkSnapshot         *snapshot,
                      const LabPlotStyle  *s)
{
  const graphene_rect_t *v = &sc->view;
  GdkRGBA trough = lab_palette_alpha (&s->fg, 0.08), bar = lab_palette_alpha (&s->fg, 0.45);
  double x = v->origin.x + v->size.width + 1, ty, th;

  if (!lab_plot_scroll_active (sc))
    return;
  thumb (sc, &ty, &th);
  lab_plot_fill_rounded_rect (snapshot, &trough, x, v->origin.y, BAR_W, v->size.height,
                              BAR_W / 2);
  lab_plot_fill_rounded_rect (snapshot, &bar, x, ty, BAR_W, th, BAR_W / 2);
}
