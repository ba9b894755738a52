/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-lottery-plot.c: the lottery plot (see lab-lottery-plot.h). The rounds are gathered into
 * two point series when the model changes; the panel itself is lab-plot-accuracy.c's, as the
 * sweep's curves are, so both experiments read the same way. Hovering near a round tells its
 * numbers.
 */
#define G_LOG_DOMAIN "lab-lottery-plot"

#include "config.h"

#include <glib/gi18n.h>

#include <math.h>

#include "lab-palette.h"
#include "lab-plot-accuracy.h"
#include "lab-lottery-plot.h"

/* the ticket in the first criterion colour (magnitude: tickets are pruned by magnitude), the
 * control in the colour random pruning has in a sweep: both are "random" weights */
#define TICKET_COLOR  0
#define CONTROL_COLOR 1
#define HOVER_RADIUS  24.0   /* px from a round's x that still picks it */

struct _LabLotteryPlot
{
  LabPlot       parent_instance;

  /* gathered data */
  GArray       *rounds;    /* LabLotteryRound, a copy of the model's */
  GArray       *ticket;    /* LabPlotPoint (x = sparsity %, y = accuracy %) */
  GArray       *control;   /* LabPlotPoint of the rounds that have a control */
  double        dense;     /* the unpruned network's accuracy in %, NaN: not known */
};

G_DEFINE_FINAL_TYPE (LabLotteryPlot, lab_lottery_plot, LAB_TYPE_PLOT)

static void
lab_lottery_plot_update (LabPlot   *plot,
                         LabExtent *x,
                         LabExtent *y)
{
  LabLotteryPlot *self = LAB_LOTTERY_PLOT (plot);
  LabPlotModel *model = lab_plot_get_model (plot);
  GArray *rounds = model != NULL ? lab_plot_model_get_lottery (model) : NULL;

  g_array_set_size (self->rounds, 0);
  g_array_set_size (self->ticket, 0);
  g_array_set_size (self->control, 0);
  self->dense = model != NULL
                ? 100.0 * lab_plot_model_get_results (model)->lottery_dense_accuracy : NAN;
  if (rounds == NULL)
    return;
  g_array_append_vals (self->rounds, rounds->data, rounds->len);
  /* rounds come in order of rising sparsity, so the series are sorted by x */
  for (guint i = 0; i < rounds->len; i++)
    {
      const LabLotteryRound *r = &g_array_index (rounds, LabLotteryRound, i);
      double sx = 100.0 * r->sparsity, t = 100.0 * r->test_accuracy;
      double c = 100.0 * r->control_accuracy;

      g_array_append_val (self->ticket, ((LabPlotPoint) { sx, t, t, t }));
      if (!isnan (c))
        g_array_append_val (self->control, ((LabPlotPoint) { sx, c, c, c }));
    }
}

static guint
curves (LabLotteryPlot   *self,
        LabAccuracyCurve  out[2])
{
  guint n = 0;

  out[n] = (LabAccuracyCurve) { _("ticket"),
                                (const LabPlotPoint *) self->ticket->data, self->ticket->len };
  lab_palette_criterion_color (TICKET_COLOR, &out[n++].color);
  if (self->control->len > 0)
    {
      out[n] = (LabAccuracyCurve) { _("fresh weights"),
                                    (const LabPlotPoint *) self->control->data,
                                    self->control->len };
      lab_palette_criterion_color (CONTROL_COLOR, &out[n++].color);
    }
  return n;
}

static void
lab_lottery_plot_get_title (LabPlot     *plot,
                            const char **title,
                            const char **subtitle)
{
  *title = _("Lottery ticket");
  *subtitle = _("each round's ticket against the same mask on fresh random weights");
}

static gboolean
lab_lottery_plot_get_empty_message (LabPlot *plot,
                                    char    *buf,
                                    gsize    len)
{
  LabLotteryPlot *self = LAB_LOTTERY_PLOT (plot);
  LabPlotModel *model = lab_plot_get_model (plot);
  LabSnapshot *latest = model != NULL ? lab_plot_model_get_latest (model) : NULL;

  if (self->rounds->len > 0 || isfinite (self->dense))
    return FALSE;
  if (latest != NULL && latest->status.experiment.running &&
      latest->status.experiment.kind == LAB_EXPERIMENT_LOTTERY)
    g_strlcpy (buf, _("Training the dense network: the rounds follow"), len);
  else
    g_strlcpy (buf, _("No lottery yet: press Lottery… on the Pruning page"), len);
  return TRUE;
}

static void
lab_lottery_plot_draw (LabPlot      *plot,
                       GtkSnapshot  *snapshot,
                       LabPlotFrame *f)
{
  LabLotteryPlot *self = LAB_LOTTERY_PLOT (plot);
  LabAccuracyCurve c[2];
  guint n = curves (self, c);

  lab_plot_draw_accuracy (snapshot, GTK_WIDGET (plot), &f->style, f->canvas, &f->area, c, n,
                          self->dense, &f->x, &f->y);
}

/* The round nearest the pointer on x (within HOVER_RADIUS). */
static char *
lab_lottery_plot_get_hover_text (LabPlot            *plot,
                                 const LabPlotFrame *f,
                                 LabPlotTooltip     *tip)
{
  LabLotteryPlot *self = LAB_LOTTERY_PLOT (plot);
  const LabLotteryRound *best = NULL;
  double best_d = HOVER_RADIUS;
  GString *text;

  if (!lab_plot_area_contains (&f->area, tip->x, tip->y))
    return NULL;
  for (guint i = 0; i < self->rounds->len; i++)
    {
      const LabLotteryRound *r = &g_array_index (self->rounds, LabLotteryRound, i);
      double d = fabs (lab_plot_area_x (&f->area, &f->x, 100.0 * r->sparsity) - tip->x);

      if (d < best_d)
        {
          best_d = d;
          best = r;
        }
    }
  if (best == NULL)
    return NULL;
  tip->x = lab_plot_area_x (&f->area, &f->x, 100.0 * best->sparsity);
  tip->y = lab_plot_area_y (&f->area, &f->y, 100.0 * best->test_accuracy);
  tip->markup = TRUE;
  tip->dot = TRUE;
  lab_palette_criterion_color (TICKET_COLOR, &tip->dot_color);
  text = g_string_new (NULL);
  g_string_append_printf (text, _("<b>round %u</b>: %.1f %% of weights pruned\nticket %.2f %%"),
                          best->round, 100.0 * best->sparsity, 100.0 * best->test_accuracy);
  if (!isnan (best->control_accuracy))
    g_string_append_printf (text, _("\nthe same mask on fresh weights %.2f %%"),
                            100.0 * best->control_accuracy);
  return g_string_free (text, FALSE);
}

/* "Lottery ticket after round 3: ticket keeps 86.1 % at 48.8 % sparsity, fresh weights
 * 84.4 %; dense 87.5 %. The ticket beats its control in 3 of 3 rounds." */
static void
lab_lottery_plot_describe (LabPlot *plot,
                           GString *out)
{
  LabLotteryPlot *self = LAB_LOTTERY_PLOT (plot);
  LabAccuracyCurve c[2];
  guint n = curves (self, c), ahead = 0, with_control = 0;

  if (self->rounds->len == 0)
    {
      g_string_append_printf (out, _("Lottery ticket: no round yet; dense %.1f %%."), self->dense);
      return;
    }
  g_string_append_printf (out, _("Lottery ticket after round %u: "),
                          g_array_index (self->rounds, LabLotteryRound,
                                         self->rounds->len - 1).round);
  lab_plot_describe_accuracy (out, c, n, self->dense);
  g_string_append (out, ".");
  for (guint i = 0; i < self->rounds->len; i++)
    {
      const LabLotteryRound *r = &g_array_index (self->rounds, LabLotteryRound, i);

      if (isnan (r->control_accuracy))
        continue;
      with_control++;
      ahead += r->test_accuracy > r->control_accuracy;
    }
  if (with_control > 0)
    g_string_append_printf (out, g_dngettext (GETTEXT_PACKAGE,
                                              " The ticket beats its control in %u of %u round.",
                                              " The ticket beats its control in %u of %u rounds.",
                                              with_control), ahead, with_control);
}

static void
lab_lottery_plot_finalize (GObject *object)
{
  LabLotteryPlot *self = LAB_LOTTERY_PLOT (object);

  g_clear_pointer (&self->rounds, g_array_unref);
  g_clear_pointer (&self->ticket, g_array_unref);
  g_clear_pointer (&self->control, g_array_unref);

  G_OBJECT_CLASS (lab_lottery_plot_parent_class)->finalize (object);
}

static void
lab_lottery_plot_class_init (LabLotteryPlotClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  LabPlotClass *plot_class = LAB_PLOT_CLASS (klass);

  object_class->finalize = lab_lottery_plot_finalize;

  plot_class->natural_width = 480;
  plot_class->natural_height = 260;
  plot_class->update = lab_lottery_plot_update;
  plot_class->get_title = lab_lottery_plot_get_title;
  plot_class->get_empty_message = lab_lottery_plot_get_empty_message;
  plot_class->draw = lab_lottery_plot_draw;
  plot_class->get_hover_text = lab_lottery_plot_get_hover_text;
  plot_class->describe = lab_lottery_plot_describe;
}

static void
lab_lottery_plot_init (LabLotteryPlot *self)
{
  self->rounds = g_array_new (FALSE, FALSE, sizeof (LabLotteryRound));
  self->ticket = g_array_new (FALSE, FALSE, sizeof (LabPlotPoint));
  self->control = g_array_new (FALSE, FALSE, sizeof (LabPlotPoint));
  self->dense = NAN;

  gtk_widget_add_css_class (GTK_WIDGET (self), "lottery-plot");
}

GtkWidget *
lab_lottery_plot_new (void)
{
  return g_object_new (LAB_TYPE_LOTTERY_PLOT, NULL);
}

guint
lab_lottery_plot_get_n_rounds (LabLotteryPlot *self)
{
  g_return_val_if_fail (LAB_IS_LOTTERY_PLOT (self), 0);

  lab_plot_update (LAB_PLOT (self));
  return self->rounds->len;
}
