/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-experiment-bar.c: the progress of a sweep or lottery (see lab-experiment-bar.h); its
 * widgets are in lab-experiment-bar.ui. The window calls lab_experiment_bar_update() for every
 * snapshot it applies (~30 Hz), so the labels are only set when their text changed.
 */
#define G_LOG_DOMAIN "lab-experiment-bar"

#include "config.h"

#include <glib/gi18n.h>

#include <inttypes.h>
#include <math.h>

#include "lab-experiment-bar.h"

struct _LabExperimentBar
{
  GtkWidget       parent_instance;

  /* template widgets */
  GtkWidget      *what_label;
  GtkWidget      *time_label;
  GtkWidget      *cancel_button;
  GtkWidget      *close_button;
  GtkWidget      *progress_bar;

  guint64         shown;       /* serial of the experiment shown */
  guint64         dismissed;   /* serial of the experiment whose bar was closed */
};

G_DEFINE_FINAL_TYPE (LabExperimentBar, lab_experiment_bar, GTK_TYPE_WIDGET)

char *
lab_experiment_format_time (double seconds)
{
  guint64 s = isfinite (seconds) && seconds > 0 ? (guint64) (seconds + 0.5) : 0;

  if (s >= 3600)
    return g_strdup_printf ("%" PRIu64 ":%02u:%02u", s / 3600, (guint) (s / 60 % 60),
                            (guint) (s % 60));
  return g_strdup_printf ("%u:%02u", (guint) (s / 60), (guint) (s % 60));
}

/* ", epoch 2/5", or "" for a phase that trains no epochs. */
static char *
epochs (const LabExperimentProgress *p)
{
  if (p->n_epochs == 0)
    return g_strdup ("");
  /* Translators: appended to a progress text: the epoch being trained of all */
  return g_strdup_printf (_(", epoch %u/%u"), p->epoch, p->n_epochs);
}

static char *
describe_sweep (const LabExperimentProgress *p)
{
  g_autofree char *ep = NULL;
  const char *crit = lab_prune_criterion_to_string (p->criterion);
  double s = 100.0 * p->sparsity;

  if (p->point == 0)
    {
      if (p->phase == LAB_EXPERIMENT_TRAINING)
        {
          ep = epochs (p);
          /* Translators: %s is ", epoch 2/5" or nothing */
          return g_strdup_printf (_("Sweep: training the network first%s"), ep);
        }
      return g_strdup (_("Sweep: evaluating the unpruned network"));
    }
  switch (p->phase)
    {
    case LAB_EXPERIMENT_FINE_TUNING:
      /* Translators: point 2 of 12 · the criterion (a setting's value, kept in English), the
       * sparsity in percent, then the epoch fine-tuned of all */
      return g_strdup_printf (_("Sweep: point %u of %u · %s, %.0f %%, fine-tuning %u/%u epochs"),
                              p->point, p->n_points, crit, s, p->epoch, p->n_epochs);
    case LAB_EXPERIMENT_EVALUATING:
      return g_strdup_printf (_("Sweep: point %u of %u · %s, %.0f %%, evaluating"), p->point,
                              p->n_points, crit, s);
    default:
      return g_strdup_printf (_("Sweep: point %u of %u · %s, %.0f %%, pruning"), p->point,
                              p->n_points, crit, s);
    }
}

static char *
describe_lottery (const LabExperimentProgress *p)
{
  g_autofree char *ep = epochs (p);
  const char *what;

  if (p->point == 0)
    return p->phase == LAB_EXPERIMENT_TRAINING
           /* Translators: %s is ", epoch 2/5" or nothing */
           ? g_strdup_printf (_("Lottery: training the dense network%s"), ep)
           : g_strdup (_("Lottery: evaluating the dense network"));
  switch (p->phase)
    {
    case LAB_EXPERIMENT_RETRAINING: what = _("retraining the rewound ticket"); break;
    case LAB_EXPERIMENT_CONTROL:    what = _("training the control (fresh weights)"); break;
    case LAB_EXPERIMENT_EVALUATING: what = _("evaluating"); break;
    default:                        what = _("pruning"); break;
    }
  /* Translators: round 2 of 5 · the share pruned, what it does (“pruning”, “evaluating” …), then
   * ", epoch 2/5" or nothing */
  return g_strdup_printf (_("Lottery: round %u of %u · %.1f %% pruned, %s%s"), p->point,
                          p->n_points, 100.0 * p->sparsity, what, ep);
}

char *
lab_experiment_describe (const LabExperimentStatus *ex)
{
  g_return_val_if_fail (ex != NULL, NULL);

  switch (ex->kind)
    {
    case LAB_EXPERIMENT_SWEEP:
      return describe_sweep (&ex->progress);
    case LAB_EXPERIMENT_LOTTERY:
      return describe_lottery (&ex->progress);
    case LAB_EXPERIMENT_NONE:
    default:
      return g_strdup ("");
    }
}

/* How an experiment that is over ended; @done points or rounds were finished. */
static char *
describe_end (const LabExperimentStatus *ex,
              const char                *error,
              guint                      done)
{
  gboolean sweep = ex->kind == LAB_EXPERIMENT_SWEEP;
  guint n = ex->progress.n_points;
  g_autofree char *took = lab_experiment_format_time (ex->elapsed);

  if (!error)
    error = _("unknown error");
  /* Translators: the plural follows the second number, all points; the last %s is the error */
  if (ex->failed && sweep)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Sweep failed after %u of %u point: %s",
                                         "Sweep failed after %u of %u points: %s", n),
                            done, n, error);
  if (ex->failed)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Lottery failed after %u of %u round: %s",
                                         "Lottery failed after %u of %u rounds: %s", n),
                            done, n, error);
  /* Translators: the plural follows the second number; %s is the time it took, as 1:05 */
  if (ex->cancelled && sweep)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "Sweep cancelled after %u of %u point (%s): the plots "
                                         "keep them",
                                         "Sweep cancelled after %u of %u points (%s): the plots "
                                         "keep them", n),
                            done, n, took);
  if (ex->cancelled)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "Lottery cancelled after %u of %u round (%s): the plots "
                                         "keep them",
                                         "Lottery cancelled after %u of %u rounds (%s): the plots "
                                         "keep them", n),
                            done, n, took);
  /* Translators: %s is the time it took, as 1:05 */
  if (sweep)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Sweep finished: %u point in %s",
                                         "Sweep finished: %u points in %s", done),
                            done, took);
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Lottery finished: %u round in %s",
                                       "Lottery finished: %u rounds in %s", done),
                          done, took);
}

static void
set_label (GtkWidget  *label,
           const char *text)
{
  if (g_strcmp0 (gtk_label_get_text (GTK_LABEL (label)), text) != 0)
    gtk_label_set_text (GTK_LABEL (label), text);
}

void
lab_experiment_bar_update (LabExperimentBar          *self,
                           const LabExperimentStatus *ex,
                           const char                *error)
{
  g_autofree char *what = NULL, *times = NULL;
  double fraction;

  g_return_if_fail (LAB_IS_EXPERIMENT_BAR (self));
  g_return_if_fail (ex != NULL);

  if (ex->kind == LAB_EXPERIMENT_NONE || ex->serial == self->dismissed)
    {
      gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
      return;
    }
  self->shown = ex->serial;
  fraction = ex->running || ex->failed || ex->cancelled ? CLAMP (ex->progress.fraction, 0, 1)
                                                        : 1.0;
  if (ex->running)
    {
      g_autofree char *elapsed = lab_experiment_format_time (ex->elapsed);
      g_autofree char *left = lab_experiment_format_time (ex->remaining);

      what = lab_experiment_describe (ex);
      times = isfinite (ex->remaining)
              /* Translators: done in percent · the time since it started · the time left (1:05) */
              ? g_strdup_printf (_("%.0f %% · %s elapsed · about %s left"), 100.0 * fraction,
                                 elapsed, left)
              : g_strdup_printf (_("%.0f %% · %s elapsed · estimating the time left"),
                                 100.0 * fraction, elapsed);
    }
  else
    {
      /* points finished: the point being made when it stopped was not */
      guint done = ex->cancelled || ex->failed ? (ex->progress.point ? ex->progress.point - 1 : 0)
                                               : ex->progress.n_points;

      what = describe_end (ex, error, done);
      times = g_strdup ("");
    }
  set_label (self->what_label, what);
  set_label (self->time_label, times);
  gtk_widget_set_tooltip_text (self->what_label, what);
  if (gtk_progress_bar_get_fraction (GTK_PROGRESS_BAR (self->progress_bar)) != fraction)
    gtk_progress_bar_set_fraction (GTK_PROGRESS_BAR (self->progress_bar), fraction);
  gtk_widget_set_visible (self->cancel_button, ex->running);
  gtk_widget_set_visible (self->close_button, !ex->running);
  gtk_widget_set_visible (GTK_WIDGET (self), TRUE);
}

static void
on_close_clicked (LabExperimentBar *self)
{
  self->dismissed = self->shown;
  gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
}

const char *
lab_experiment_bar_get_text (LabExperimentBar *self)
{
  g_return_val_if_fail (LAB_IS_EXPERIMENT_BAR (self), NULL);
  return gtk_label_get_text (GTK_LABEL (self->what_label));
}

const char *
lab_experiment_bar_get_times (LabExperimentBar *self)
{
  g_return_val_if_fail (LAB_IS_EXPERIMENT_BAR (self), NULL);
  return gtk_label_get_text (GTK_LABEL (self->time_label));
}

double
lab_experiment_bar_get_fraction (LabExperimentBar *self)
{
  g_return_val_if_fail (LAB_IS_EXPERIMENT_BAR (self), 0);
  return gtk_progress_bar_get_fraction (GTK_PROGRESS_BAR (self->progress_bar));
}

static void
lab_experiment_bar_dispose (GObject *object)
{
  GtkWidget *child;

  gtk_widget_dispose_template (GTK_WIDGET (object), LAB_TYPE_EXPERIMENT_BAR);
  /* the template's box, which holds the bound widgets but is not bound itself */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (object))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (lab_experiment_bar_parent_class)->dispose (object);
}

static void
lab_experiment_bar_class_init (LabExperimentBarClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = lab_experiment_bar_dispose;

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "experimentbar");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
  gtk_widget_class_set_template_from_resource (
    widget_class, "/io/github/gradlab/GradientLab/ui/lab-experiment-bar.ui");
  gtk_widget_class_bind_template_child (widget_class, LabExperimentBar, what_label);
  gtk_widget_class_bind_template_child (widget_class, LabExperimentBar, time_label);
  gtk_widget_class_bind_template_child (widget_class, LabExperimentBar, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, LabExperimentBar, close_button);
  gtk_widget_class_bind_template_child (widget_class, LabExperimentBar, progress_bar);
  gtk_widget_class_bind_template_callback (widget_class, on_close_clicked);
}

static void
lab_experiment_bar_init (LabExperimentBar *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
lab_experiment_bar_new (void)
{
  return g_object_new (LAB_TYPE_EXPERIMENT_BAR, NULL);
}
