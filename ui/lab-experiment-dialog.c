/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-experiment-dialog.c: the Sweep… and Lottery… dialogs (see lab-experiment-dialog.h); the
 * widgets are in lab-experiment-dialog.ui, one stack page per kind. The controls are set from
 * and read back into the a{sv} of the window's actions, so the dialog knows nothing of the
 * engine's specs: lab-window-experiment.c checks and starts what it is given.
 */
#define G_LOG_DOMAIN "lab-experiment-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include <inttypes.h>

#include "lab-experiment-dialog.h"
#include "lab-window-private.h"

/* the drop-downs' entries, in their .ui order */
static const char * const scopes[] = { "layer", "global" };
static const char * const structures[] = { "weight", "neuron" };
static const char * const criteria[] = { "magnitude", "gradient", "saliency", "random" };

struct _LabExperimentDialog
{
  GtkWindow          parent_instance;

  /* template widgets */
  GtkWidget         *intro_label;
  GtkWidget         *stack;
  GtkWidget         *crit_magnitude;
  GtkWidget         *crit_gradient;
  GtkWidget         *crit_saliency;
  GtkWidget         *crit_random;
  GtkWidget         *sparsities_entry;
  GtkWidget         *sweep_scope;
  GtkWidget         *structure;
  GtkWidget         *finetune_spin;
  GtkWidget         *net_now;
  GtkWidget         *net_fresh;
  GtkWidget         *rounds_spin;
  GtkWidget         *rate_spin;
  GtkWidget         *rewind_dropdown;
  GtkWidget         *rewind_step_spin;
  GtkWidget         *lottery_scope;
  GtkWidget         *control_check;
  GtkWidget         *note_label;
  GtkWidget         *error_label;
  GtkWidget         *run_button;

  /* borrowed: the transient parent, which destroys this dialog with itself */
  LabWindow         *window;

  LabExperimentKind  kind;
  guint64            total_steps;
};

G_DEFINE_FINAL_TYPE (LabExperimentDialog, lab_experiment_dialog, GTK_TYPE_WINDOW)

static GtkWidget *
criterion_check (LabExperimentDialog *self,
                 guint                i)
{
  GtkWidget *checks[] = { self->crit_magnitude, self->crit_gradient, self->crit_saliency,
                          self->crit_random };

  return checks[i];
}

/* The entry of @value in @names (0 when it is none of them). */
static guint
index_of (const char * const *names,
          guint               n,
          const char         *value)
{
  for (guint i = 0; i < n; i++)
    if (g_strcmp0 (names[i], value) == 0)
      return i;
  return 0;
}

static const char *
dict_string (GVariantDict *dict,
             const char   *key)
{
  const char *s = NULL;

  g_variant_dict_lookup (dict, key, "&s", &s);
  return s != NULL ? s : "";
}

static void
set_sweep (LabExperimentDialog *self,
           GVariantDict        *d)
{
  g_auto(GStrv) names = g_strsplit (dict_string (d, "criteria"), ",", -1);
  g_auto(GStrv) sparsities = g_strsplit (dict_string (d, "sparsities"), ",", -1);
  g_autofree char *shown = g_strjoinv (", ", sparsities);
  guint32 finetune = 0;
  gboolean train = TRUE;

  for (guint i = 0; i < G_N_ELEMENTS (criteria); i++)
    gtk_check_button_set_active (GTK_CHECK_BUTTON (criterion_check (self, i)),
                                 g_strv_contains ((const char * const *) names, criteria[i]));
  gtk_editable_set_text (GTK_EDITABLE (self->sparsities_entry), shown);
  gtk_drop_down_set_selected (GTK_DROP_DOWN (self->sweep_scope),
                              index_of (scopes, G_N_ELEMENTS (scopes), dict_string (d, "scope")));
  gtk_drop_down_set_selected (GTK_DROP_DOWN (self->structure),
                              index_of (structures, G_N_ELEMENTS (structures),
                                        dict_string (d, "structure")));
  g_variant_dict_lookup (d, "finetune-epochs", "u", &finetune);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (self->finetune_spin), finetune);
  g_variant_dict_lookup (d, "train", "b", &train);
  gtk_check_button_set_active (GTK_CHECK_BUTTON (train ? self->net_fresh : self->net_now), TRUE);
}

static void
set_lottery (LabExperimentDialog *self,
             GVariantDict        *d)
{
  const char *rewind = dict_string (d, "rewind");
  guint32 rounds = 1;
  double rate = 0.2;
  gboolean control = TRUE;
  guint64 step = 0;

  g_variant_dict_lookup (d, "rounds", "u", &rounds);
  g_variant_dict_lookup (d, "rate", "d", &rate);
  g_variant_dict_lookup (d, "control", "b", &control);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (self->rounds_spin), rounds);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (self->rate_spin), rate);
  gtk_check_button_set_active (GTK_CHECK_BUTTON (self->control_check), control);
  gtk_drop_down_set_selected (GTK_DROP_DOWN (self->lottery_scope),
                              index_of (scopes, G_N_ELEMENTS (scopes), dict_string (d, "scope")));
  if (g_str_has_prefix (rewind, "step:"))
    step = g_ascii_strtoull (rewind + 5, NULL, 10);
  gtk_drop_down_set_selected (GTK_DROP_DOWN (self->rewind_dropdown),
                              g_str_has_prefix (rewind, "step:"));
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (self->rewind_step_spin), (double) step);
}

static GVariant *
get_sweep (LabExperimentDialog *self)
{
  g_auto(GVariantDict) d = G_VARIANT_DICT_INIT (NULL);
  g_autoptr(GString) crits = g_string_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (criteria); i++)
    if (gtk_check_button_get_active (GTK_CHECK_BUTTON (criterion_check (self, i))))
      g_string_append_printf (crits, "%s%s", crits->len ? "," : "", criteria[i]);
  g_variant_dict_insert (&d, "criteria", "s", crits->str);
  g_variant_dict_insert (&d, "sparsities", "s",
                         gtk_editable_get_text (GTK_EDITABLE (self->sparsities_entry)));
  g_variant_dict_insert (&d, "scope", "s",
                         scopes[gtk_drop_down_get_selected (GTK_DROP_DOWN (self->sweep_scope)) %
                                G_N_ELEMENTS (scopes)]);
  g_variant_dict_insert (&d, "structure", "s",
                         structures[gtk_drop_down_get_selected (GTK_DROP_DOWN (self->structure)) %
                                    G_N_ELEMENTS (structures)]);
  g_variant_dict_insert (&d, "finetune-epochs", "u", (guint32)
                         gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (self->finetune_spin)));
  g_variant_dict_insert (&d, "train", "b",
                         gtk_check_button_get_active (GTK_CHECK_BUTTON (self->net_fresh)));
  return g_variant_dict_end (&d);
}

static GVariant *
get_lottery (LabExperimentDialog *self)
{
  g_auto(GVariantDict) d = G_VARIANT_DICT_INIT (NULL);
  g_autofree char *rewind = NULL;
  guint scope = gtk_drop_down_get_selected (GTK_DROP_DOWN (self->lottery_scope));

  if (gtk_drop_down_get_selected (GTK_DROP_DOWN (self->rewind_dropdown)) == 1)
    rewind = g_strdup_printf ("step:%.0f",
                              gtk_spin_button_get_value (GTK_SPIN_BUTTON (self->rewind_step_spin)));
  else
    rewind = g_strdup ("init");
  g_variant_dict_insert (&d, "rounds", "u", (guint32)
                         gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (self->rounds_spin)));
  g_variant_dict_insert (&d, "rate", "d",
                         gtk_spin_button_get_value (GTK_SPIN_BUTTON (self->rate_spin)));
  g_variant_dict_insert (&d, "rewind", "s", rewind);
  g_variant_dict_insert (&d, "scope", "s", scopes[scope % G_N_ELEMENTS (scopes)]);
  g_variant_dict_insert (&d, "control", "b",
                         gtk_check_button_get_active (GTK_CHECK_BUTTON (self->control_check)));
  return g_variant_dict_end (&d);
}

GVariant *
lab_experiment_dialog_get_params (LabExperimentDialog *self)
{
  g_return_val_if_fail (LAB_IS_EXPERIMENT_DIALOG (self), NULL);

  return self->kind == LAB_EXPERIMENT_SWEEP ? get_sweep (self) : get_lottery (self);
}

/* What the choices will train, kept up to date as they change. */
static void
update_note (LabExperimentDialog *self)
{
  g_autofree char *note = NULL;

  if (self->kind == LAB_EXPERIMENT_SWEEP)
    {
      guint n = 0;
      int ft = gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (self->finetune_spin));

      for (guint i = 0; i < G_N_ELEMENTS (criteria); i++)
        n += gtk_check_button_get_active (GTK_CHECK_BUTTON (criterion_check (self, i)));
      /* Translators: the note under the sweep's choices; the singular names no number */
      note = g_strdup_printf (ft > 0
                              ? g_dngettext (GETTEXT_PACKAGE,
                                             "The criterion prunes a copy to each sparsity, then "
                                             "fine-tunes it. The run itself pauses and stays as "
                                             "it is; Cancel keeps the points made.",
                                             "Each of the %u criteria prunes a copy to each "
                                             "sparsity, then fine-tunes it. The run itself "
                                             "pauses and stays as it is; Cancel keeps the points "
                                             "made.", n)
                              : g_dngettext (GETTEXT_PACKAGE,
                                             "The criterion prunes a copy to each sparsity and "
                                             "tests it at once. The run itself pauses and stays "
                                             "as it is; Cancel keeps the points made.",
                                             "Each of the %u criteria prunes a copy to each "
                                             "sparsity and tests it at once. The run itself "
                                             "pauses and stays as it is; Cancel keeps the points "
                                             "made.", n), n);
    }
  else
    {
      int rounds = gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (self->rounds_spin));
      gboolean control = gtk_check_button_get_active (GTK_CHECK_BUTTON (self->control_check));

      /* Translators: the note under the lottery's choices: the run's steps, then how many
       * times they are trained */
      note = g_strdup_printf (control
                              ? _("Trains the run's %" PRIu64 " steps from the start %d times "
                                  "(the dense network, then each round's ticket and its "
                                  "control). The run itself pauses and stays as it is; Cancel "
                                  "keeps the rounds made.")
                              : _("Trains the run's %" PRIu64 " steps from the start %d times "
                                  "(the dense network, then each round's ticket). The run "
                                  "itself pauses and stays as it is; Cancel keeps the rounds "
                                  "made."),
                              self->total_steps, 1 + rounds * (control ? 2 : 1));
      gtk_widget_set_sensitive (self->rewind_step_spin,
                                gtk_drop_down_get_selected (GTK_DROP_DOWN (self->rewind_dropdown))
                                == 1);
    }
  gtk_label_set_text (GTK_LABEL (self->note_label), note);
}

gboolean
lab_experiment_dialog_run (LabExperimentDialog *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) params = NULL;

  g_return_val_if_fail (LAB_IS_EXPERIMENT_DIALOG (self), FALSE);

  params = g_variant_ref_sink (lab_experiment_dialog_get_params (self));
  if (!_lab_window_start_experiment (self->window, self->kind, params, &error))
    {
      gtk_label_set_text (GTK_LABEL (self->error_label), error->message);
      gtk_widget_set_visible (self->error_label, TRUE);
      return FALSE;
    }
  gtk_window_destroy (GTK_WINDOW (self));
  return TRUE;
}

const char *
lab_experiment_dialog_get_error (LabExperimentDialog *self)
{
  g_return_val_if_fail (LAB_IS_EXPERIMENT_DIALOG (self), NULL);

  return gtk_widget_get_visible (self->error_label)
         ? gtk_label_get_text (GTK_LABEL (self->error_label)) : NULL;
}

static void
on_run_clicked (LabExperimentDialog *self)
{
  lab_experiment_dialog_run (self);
}

static void
lab_experiment_dialog_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), LAB_TYPE_EXPERIMENT_DIALOG);

  G_OBJECT_CLASS (lab_experiment_dialog_parent_class)->dispose (object);
}

static void
lab_experiment_dialog_class_init (LabExperimentDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = lab_experiment_dialog_dispose;

  gtk_widget_class_set_template_from_resource (
    widget_class, "/io/github/gradlab/GradientLab/ui/lab-experiment-dialog.ui");
#define CHILD(name) gtk_widget_class_bind_template_child (widget_class, LabExperimentDialog, name)
  CHILD (intro_label);
  CHILD (stack);
  CHILD (crit_magnitude);
  CHILD (crit_gradient);
  CHILD (crit_saliency);
  CHILD (crit_random);
  CHILD (sparsities_entry);
  CHILD (sweep_scope);
  CHILD (structure);
  CHILD (finetune_spin);
  CHILD (net_now);
  CHILD (net_fresh);
  CHILD (rounds_spin);
  CHILD (rate_spin);
  CHILD (rewind_dropdown);
  CHILD (rewind_step_spin);
  CHILD (lottery_scope);
  CHILD (control_check);
  CHILD (note_label);
  CHILD (error_label);
  CHILD (run_button);
#undef CHILD
  gtk_widget_class_bind_template_callback (widget_class, on_run_clicked);
  gtk_widget_class_bind_template_callback (widget_class, gtk_window_destroy);
}

static void
lab_experiment_dialog_init (LabExperimentDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/* The note follows every control that changes what will train. */
static void
watch_controls (LabExperimentDialog *self)
{
  for (guint i = 0; i < G_N_ELEMENTS (criteria); i++)
    g_signal_connect_swapped (criterion_check (self, i), "toggled", G_CALLBACK (update_note),
                              self);
  g_signal_connect_swapped (self->finetune_spin, "value-changed", G_CALLBACK (update_note), self);
  g_signal_connect_swapped (self->rounds_spin, "value-changed", G_CALLBACK (update_note), self);
  g_signal_connect_swapped (self->control_check, "toggled", G_CALLBACK (update_note), self);
  g_signal_connect_swapped (self->rewind_dropdown, "notify::selected", G_CALLBACK (update_note),
                            self);
}

LabExperimentDialog *
lab_experiment_dialog_new (LabWindow         *window,
                           LabExperimentKind  kind,
                           GVariant          *defaults,
                           guint64            step,
                           guint64            total_steps)
{
  g_auto(GVariantDict) dict = G_VARIANT_DICT_INIT (defaults);
  g_autofree char *now = NULL;
  LabExperimentDialog *self;
  gboolean sweep = kind == LAB_EXPERIMENT_SWEEP;

  g_return_val_if_fail (LAB_IS_WINDOW (window), NULL);
  g_return_val_if_fail (kind == LAB_EXPERIMENT_SWEEP || kind == LAB_EXPERIMENT_LOTTERY, NULL);

  self = g_object_new (LAB_TYPE_EXPERIMENT_DIALOG, "transient-for", window,
                       "title", sweep ? _("Sweep") : _("Lottery Ticket"), NULL);
  self->window = window;
  self->kind = kind;
  self->total_steps = total_steps;
  gtk_stack_set_visible_child_name (GTK_STACK (self->stack), sweep ? "sweep" : "lottery");
  gtk_button_set_label (GTK_BUTTON (self->run_button), sweep ? _("_Run Sweep")
                                                             : _("_Run Lottery"));
  gtk_label_set_text (GTK_LABEL (self->intro_label), sweep
    ? _("Prune copies of one trained network by each criterion to each sparsity and test them: "
        "test accuracy against sparsity, one curve per criterion, drawn as the points come.")
    : _("Train, prune the smallest weights, rewind the survivors to the values they started "
        "from, and train again, round after round: does the pruned network, rewound, learn as "
        "well as the dense one, and better than the same mask on fresh random weights?"));
  now = g_strdup_printf (_("The network as it is now (step %" PRIu64 " of %" PRIu64 ")"), step,
                         total_steps);
  gtk_check_button_set_label (GTK_CHECK_BUTTON (self->net_now), now);
  gtk_adjustment_set_upper (gtk_spin_button_get_adjustment (
                              GTK_SPIN_BUTTON (self->rewind_step_spin)), (double) total_steps);
  if (sweep)
    set_sweep (self, &dict);
  else
    set_lottery (self, &dict);
  watch_controls (self);
  update_note (self);
  return self;
}
