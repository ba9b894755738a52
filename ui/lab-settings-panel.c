/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-settings-panel.c: the settings sidebar. The sections mirror the .ini ([data] [model]
 * [train] [clip] [prune]) so what a student sees here is what a saved file says. The rows are
 * in lab-settings-panel.ui; here the drop-downs get the engine's enum names (one table below).
 * The hidden layers are a LabLayerList (lab-layer-list.c).
 *
 * One function writes a LabConfig into the controls (lab_settings_panel_set_config) and one reads
 * them back (lab_settings_panel_get_config); keys without a control keep the value of the config
 * last set. Live settings emit ::live-changed; the rest add the "pending" style class to their
 * row and set the panel's "pending" property until the window applies them on reset.
 */
#define G_LOG_DOMAIN "lab-settings-panel"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "lab-enum-strings.h"
#include "lab-file-chooser.h"
#include "lab-layer-list.h"
#include "lab-settings-panel.h"

struct _LabSettingsPanel
{
  GtkWidget  parent_instance;

  /* template widgets (lab-settings-panel.ui) */
  GtkWidget *scroller;       /* the child (bound so that dispose unparents it) */
  GtkWidget *pending_revealer;

  GtkWidget *source;
  GtkWidget *path_row;
  GtkWidget *path_button;
  GtkWidget *path_label;
  GtkWidget *n_train_row;
  GtkWidget *n_train;
  GtkWidget *n_classes_row;
  GtkWidget *n_classes;
  GtkWidget *noise_row;
  GtkWidget *noise;
  GtkWidget *train_limit_row;
  GtkWidget *train_limit;
  GtkWidget *batch;

  LabLayerList *layers;
  GtkWidget *all_act;
  GtkWidget *init;
  GtkWidget *init_scale_row;
  GtkWidget *init_scale;
  GtkWidget *residual;
  GtkWidget *loss;

  GtkWidget *optimizer;
  GtkWidget *lr;
  GtkWidget *lr_label;
  GtkWidget *momentum_row;
  GtkWidget *momentum;
  GtkWidget *weight_decay;
  GtkWidget *schedule;
  GtkWidget *epochs;
  GtkWidget *seed;

  GtkWidget *clip_mode;
  GtkWidget *clip_value_row;
  GtkWidget *clip_value;

  GtkWidget *criterion;
  GtkWidget *scope;
  GtkWidget *structure;
  GtkWidget *target;
  GtkWidget *target_label;
  GtkWidget *prune_schedule;
  GtkWidget *prune_now;

  /* owned */
  LabConfig  base;           /* the config last set: keys without a control come from here */
  GtkFileChooserNative *chooser;
  char      *path;           /* data path chosen (idx folder, csv file, fashion-mnist override) */
  guint      updating;       /* > 0 while controls are being set from a config */
  gboolean   pending;
};

G_DEFINE_FINAL_TYPE (LabSettingsPanel, lab_settings_panel, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_PENDING,
  N_PROPS
};

enum {
  LIVE_CHANGED,
  PRUNE_NOW,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* ------------------------------------------------------------------------------------------ */
/* Enum names: every drop-down lists the engine's own spelling, the one the .ini uses.         */

/* The engine's to_string functions as LabEnumName (lab-enum-strings.h). */
LAB_ENUM_NAME (lab_data_source, LabDataSource)
LAB_ENUM_NAME (lab_activation, LabActivation)
LAB_ENUM_NAME (lab_init, LabInit)
LAB_ENUM_NAME (lab_loss, LabLoss)
LAB_ENUM_NAME (lab_optim_kind, LabOptimKind)
LAB_ENUM_NAME (lab_schedule_kind, LabScheduleKind)
LAB_ENUM_NAME (lab_clip_mode, LabClipMode)
LAB_ENUM_NAME (lab_prune_criterion, LabPruneCriterion)
LAB_ENUM_NAME (lab_prune_scope, LabPruneScope)
LAB_ENUM_NAME (lab_prune_structure, LabPruneStructure)
LAB_ENUM_NAME (lab_prune_schedule, LabPruneSchedule)

/* Every drop-down of a setting and its enum; the entries are in enum order (index = value). */
static const struct
{
  gsize        offset;
  LabEnumName  name;
} enum_dropdowns[] = {
  { G_STRUCT_OFFSET (LabSettingsPanel, source), lab_data_source_name },
  { G_STRUCT_OFFSET (LabSettingsPanel, init), lab_init_name },
  { G_STRUCT_OFFSET (LabSettingsPanel, loss), lab_loss_name },
  { G_STRUCT_OFFSET (LabSettingsPanel, optimizer), lab_optim_kind_name },
  { G_STRUCT_OFFSET (LabSettingsPanel, schedule), lab_schedule_kind_name },
  { G_STRUCT_OFFSET (LabSettingsPanel, clip_mode), lab_clip_mode_name },
  { G_STRUCT_OFFSET (LabSettingsPanel, criterion), lab_prune_criterion_name },
  { G_STRUCT_OFFSET (LabSettingsPanel, scope), lab_prune_scope_name },
  { G_STRUCT_OFFSET (LabSettingsPanel, structure), lab_prune_structure_name },
  { G_STRUCT_OFFSET (LabSettingsPanel, prune_schedule), lab_prune_schedule_name },
};

static void
set_enum_model (GtkWidget   *drop,
                LabEnumName  name,
                const char  *first)
{
  g_autoptr(GtkStringList) list = lab_enum_strings_new (name, first);

  gtk_drop_down_set_model (GTK_DROP_DOWN (drop), G_LIST_MODEL (list));
}

static void
fill_enum_dropdowns (LabSettingsPanel *self)
{
  g_autoptr(GtkStringList) acts = lab_enum_strings_new (lab_activation_name, NULL);

  self->updating++;
  for (guint i = 0; i < G_N_ELEMENTS (enum_dropdowns); i++)
    set_enum_model (G_STRUCT_MEMBER (GtkWidget *, self, enum_dropdowns[i].offset),
                    enum_dropdowns[i].name, NULL);
  /* item 0 says the layers differ */
  set_enum_model (self->all_act, lab_activation_name, _("mixed"));
  lab_layer_list_set_names (self->layers, G_LIST_MODEL (acts));
  self->updating--;
}

static guint
dropdown_get (GtkWidget *drop)
{
  guint i = gtk_drop_down_get_selected (GTK_DROP_DOWN (drop));
  return i == GTK_INVALID_LIST_POSITION ? 0 : i;
}

static void
set_pending (LabSettingsPanel *self,
             gboolean          pending)
{
  gtk_revealer_set_reveal_child (GTK_REVEALER (self->pending_revealer), pending);
  if (self->pending == pending)
    return;
  self->pending = pending;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PENDING]);
}

/* A limit of 0 means no limit: say "all" rather than show a 0 that reads as "no images". */
static gboolean
on_limit_output (GtkSpinButton *spin,
                 gpointer       user_data)
{
  if (gtk_spin_button_get_value_as_int (spin) != 0)
    return FALSE;
  /* Translators: no limit on the images used (of a spin button of numbers: keep it short) */
  gtk_editable_set_text (GTK_EDITABLE (spin), C_("image limit", "all"));
  return TRUE;
}

static int
on_limit_input (GtkSpinButton *spin,
                double        *value,
                gpointer       user_data)
{
  g_autofree char *text = g_strdup (gtk_editable_get_text (GTK_EDITABLE (spin)));

  /* what on_limit_output shows, or the English word */
  g_strstrip (text);
  if (g_ascii_strcasecmp (text, "all") != 0 && g_strcmp0 (text, C_("image limit", "all")) != 0)
    return FALSE;
  *value = 0;
  return TRUE;
}

/* The row containing @control gets the "pending" class (styled in style.css). */
static void
mark_pending (LabSettingsPanel *self,
              GtkWidget        *control)
{
  if (self->updating)
    return;
  for (GtkWidget *w = control; w != NULL && w != GTK_WIDGET (self); w = gtk_widget_get_parent (w))
    if (gtk_widget_has_css_class (w, "setting-row"))
      {
        gtk_widget_add_css_class (w, "pending");
        break;
      }
  set_pending (self, TRUE);
}

static void
clear_marks (GtkWidget *widget)
{
  gtk_widget_remove_css_class (widget, "pending");
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c; c = gtk_widget_get_next_sibling (c))
    clear_marks (c);
}

/* ------------------------------------------------------------------------------------------ */
/* Visibility that depends on other settings                                                  */

static void
update_visibility (LabSettingsPanel *self)
{
  LabDataSource source = dropdown_get (self->source);
  LabInit init = dropdown_get (self->init);
  LabOptimKind optim = dropdown_get (self->optimizer);
  LabClipMode clip = dropdown_get (self->clip_mode);
  gboolean plane = lab_data_source_is_plane (source);
  g_autofree char *label = NULL;

  gtk_widget_set_visible (self->n_train_row, plane);
  gtk_widget_set_visible (self->n_classes_row, plane && source != LAB_DATA_XOR);
  gtk_widget_set_visible (self->noise_row, plane);
  gtk_widget_set_visible (self->train_limit_row, !plane);
  gtk_widget_set_visible (self->path_row, !plane);
  gtk_widget_set_visible (self->init_scale_row,
                          init == LAB_INIT_UNIFORM || init == LAB_INIT_NORMAL);
  gtk_widget_set_visible (self->momentum_row,
                          optim == LAB_OPTIM_MOMENTUM || optim == LAB_OPTIM_NESTEROV);
  gtk_widget_set_sensitive (self->clip_value_row, clip != LAB_CLIP_NONE);

  if (self->path != NULL)
    label = g_path_get_basename (self->path);
  else
    label = g_strdup (source == LAB_DATA_FASHION_MNIST ? _("Built-in") : _("Choose…"));
  gtk_label_set_text (GTK_LABEL (self->path_label), label);
  gtk_widget_set_tooltip_text (self->path_button,
                               self->path ? self->path
                                          : _("The folder (IDX) or file (CSV) to learn from."));
}

/* ------------------------------------------------------------------------------------------ */
/* Hidden layers                                                                              */

/* The "all layers" drop-down shows the common activation, or "mixed" (item 0). */
static void
update_all_act (LabSettingsPanel *self)
{
  LabActivation act;
  guint common = lab_layer_list_get_common_activation (self->layers, &act) ? act + 1 : 0;

  self->updating++;
  gtk_drop_down_set_selected (GTK_DROP_DOWN (self->all_act), common);
  self->updating--;
}

static void
on_layers_changed (LabLayerList     *layers,
                   GtkWidget        *control,
                   LabSettingsPanel *self)
{
  update_all_act (self);
  mark_pending (self, control);
}

static void
on_all_act_changed (GtkDropDown      *drop,
                    GParamSpec       *pspec,
                    LabSettingsPanel *self)
{
  guint sel = dropdown_get (GTK_WIDGET (drop));

  if (self->updating || sel == 0)
    return;
  lab_layer_list_set_all_activations (self->layers, sel - 1);
}

/* ------------------------------------------------------------------------------------------ */
/* Change handlers                                                                            */

/* A setting that applies on reset (its "selected", "value" or "active" changed). */
static void
on_rebuild_notify (GtkWidget        *control,
                   GParamSpec       *pspec,
                   LabSettingsPanel *self)
{
  update_visibility (self);
  mark_pending (self, control);
}

/* Criterion, scope, structure and target are read by Prune now at once; they only wait for a
 * reset when a pruning schedule uses them during the run. */
static void
on_prune_spec_notify (GtkWidget        *control,
                      GParamSpec       *pspec,
                      LabSettingsPanel *self)
{
  if (dropdown_get (self->prune_schedule) != LAB_PRUNE_SCHEDULE_NONE)
    mark_pending (self, control);
}

static void
update_lr_label (LabSettingsPanel *self)
{
  char buf[32];

  g_snprintf (buf, sizeof buf, "%.2g", lab_settings_panel_get_lr (self));
  gtk_label_set_text (GTK_LABEL (self->lr_label), buf);
}

static void
update_target_label (LabSettingsPanel *self)
{
  char buf[32];

  g_snprintf (buf, sizeof buf, "%.0f %%", gtk_range_get_value (GTK_RANGE (self->target)));
  gtk_label_set_text (GTK_LABEL (self->target_label), buf);
}

static void
emit_live (LabSettingsPanel *self,
           LabLiveSetting    what)
{
  if (!self->updating)
    g_signal_emit (self, signals[LIVE_CHANGED], 0, (guint) what);
}

static void
on_lr_changed (GtkRange         *range,
               LabSettingsPanel *self)
{
  update_lr_label (self);
  emit_live (self, LAB_LIVE_LR);
}

static void
on_batch_changed (GtkSpinButton    *spin,
                  LabSettingsPanel *self)
{
  emit_live (self, LAB_LIVE_BATCH);
}

static void
on_clip_notify (GtkWidget        *control,
                GParamSpec       *pspec,
                LabSettingsPanel *self)
{
  update_visibility (self);
  emit_live (self, LAB_LIVE_CLIP);
}

static void
on_target_changed (GtkRange         *range,
                   LabSettingsPanel *self)
{
  update_target_label (self);
  on_prune_spec_notify (GTK_WIDGET (range), NULL, self);
}

static void
on_prune_now_clicked (GtkButton        *button,
                      LabSettingsPanel *self)
{
  g_signal_emit (self, signals[PRUNE_NOW], 0);
}

static void
on_chooser_response (GtkNativeDialog  *dialog,
                     int               response,
                     LabSettingsPanel *self)
{
  g_autofree char *path = lab_file_chooser_finish (&self->chooser, response);

  if (path == NULL)
    return;
  g_free (self->path);
  self->path = g_steal_pointer (&path);
  update_visibility (self);
  mark_pending (self, self->path_button);
}

static void
on_path_clicked (GtkButton        *button,
                 LabSettingsPanel *self)
{
  static const char * const csv[] = { N_("CSV files"), "*.csv", NULL };
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  gboolean folder = dropdown_get (self->source) != LAB_DATA_CSV;

  if (self->chooser != NULL)
    return;
  self->chooser = lab_file_chooser_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                        folder ? _("Choose a Data Folder") : _("Choose a CSV File"),
                                        folder ? GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER
                                               : GTK_FILE_CHOOSER_ACTION_OPEN,
                                        _("_Select"), NULL, folder ? NULL : csv);
  g_signal_connect (self->chooser, "response", G_CALLBACK (on_chooser_response), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

/* ------------------------------------------------------------------------------------------ */
/* Config in and out                                                                          */

void
lab_settings_panel_set_config (LabSettingsPanel *self,
                               const LabConfig  *cfg)
{
  g_return_if_fail (LAB_IS_SETTINGS_PANEL (self));
  g_return_if_fail (cfg != NULL);

  self->updating++;

  lab_config_clear (&self->base);
  lab_config_copy (&self->base, cfg);
  g_free (self->path);
  self->path = g_strdup (cfg->data.path);

  gtk_drop_down_set_selected (GTK_DROP_DOWN (self->source), cfg->data.source);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (self->n_train), cfg->data.n_train);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (self->n_classes), cfg->data.n_classes);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (self->noise), cfg->data.noise);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (self->train_limit), cfg->data.train_limit);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (self->batch), cfg->train.batch);

  lab_layer_list_set (self->layers, cfg->model.n_hidden, cfg->model.hidden, cfg->model.act);
  gtk_drop_down_set_selected (GTK_DROP_DOWN (self->init), cfg->model.init);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (self->init_scale), cfg->model.init_scale);
  gtk_switch_set_active (GTK_SWITCH (self->residual), cfg->model.residual);
  gtk_drop_down_set_selected (GTK_DROP_DOWN (self->loss), cfg->model.loss);

  gtk_drop_down_set_selected (GTK_DROP_DOWN (self->optimizer), cfg->train.optimizer);
  gtk_range_set_value (GTK_RANGE (self->lr), log10 (cfg->train.lr));
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (self->momentum), cfg->train.momentum);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (self->weight_decay), cfg->train.weight_decay);
  gtk_drop_down_set_selected (GTK_DROP_DOWN (self->schedule), cfg->train.schedule);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (self->epochs), cfg->train.epochs);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (self->seed), (double) cfg->train.seed);

  gtk_drop_down_set_selected (GTK_DROP_DOWN (self->clip_mode), cfg->clip.mode);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (self->clip_value),
                             cfg->clip.mode == LAB_CLIP_NONE && cfg->clip.value <= 0
                               ? 1.0 : cfg->clip.value);

  gtk_drop_down_set_selected (GTK_DROP_DOWN (self->criterion), cfg->prune.spec.criterion);
  gtk_drop_down_set_selected (GTK_DROP_DOWN (self->scope), cfg->prune.spec.scope);
  gtk_drop_down_set_selected (GTK_DROP_DOWN (self->structure), cfg->prune.spec.structure);
  gtk_range_set_value (GTK_RANGE (self->target), round (cfg->prune.spec.target * 100));
  gtk_drop_down_set_selected (GTK_DROP_DOWN (self->prune_schedule), cfg->prune.schedule);

  update_all_act (self);
  update_lr_label (self);
  update_target_label (self);
  update_visibility (self);

  self->updating--;

  lab_settings_panel_mark_applied (self);
}

void
lab_settings_panel_get_config (LabSettingsPanel *self,
                               LabConfig        *cfg)
{
  g_return_if_fail (LAB_IS_SETTINGS_PANEL (self));
  g_return_if_fail (cfg != NULL);

  lab_config_copy (cfg, &self->base);

  cfg->data.source = dropdown_get (self->source);
  g_free (cfg->data.path);
  cfg->data.path = g_strdup (self->path);
  if (lab_data_source_is_plane (cfg->data.source))
    {
      cfg->data.n_train = gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (self->n_train));
      cfg->data.n_classes = gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (self->n_classes));
      cfg->data.noise = gtk_spin_button_get_value (GTK_SPIN_BUTTON (self->noise));
    }
  cfg->data.train_limit = gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (self->train_limit));
  cfg->train.batch = lab_settings_panel_get_batch (self);

  cfg->model.n_hidden = lab_layer_list_get (self->layers, cfg->model.hidden, cfg->model.act);
  cfg->model.init = dropdown_get (self->init);
  cfg->model.init_scale = gtk_spin_button_get_value (GTK_SPIN_BUTTON (self->init_scale));
  cfg->model.residual = gtk_switch_get_active (GTK_SWITCH (self->residual));
  cfg->model.loss = dropdown_get (self->loss);

  cfg->train.optimizer = dropdown_get (self->optimizer);
  cfg->train.lr = lab_settings_panel_get_lr (self);
  cfg->train.momentum = gtk_spin_button_get_value (GTK_SPIN_BUTTON (self->momentum));
  cfg->train.weight_decay = gtk_spin_button_get_value (GTK_SPIN_BUTTON (self->weight_decay));
  cfg->train.schedule = dropdown_get (self->schedule);
  cfg->train.epochs = gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (self->epochs));
  cfg->train.seed = (guint64) gtk_spin_button_get_value (GTK_SPIN_BUTTON (self->seed));
  cfg->prune.spec.seed = cfg->train.seed;   /* as the .ini's train.seed does */

  lab_settings_panel_get_clip (self, &cfg->clip.mode, &cfg->clip.value);

  lab_settings_panel_get_prune_spec (self, &cfg->prune.spec);
  cfg->prune.schedule = dropdown_get (self->prune_schedule);
  cfg->prune.enabled = cfg->prune.schedule != LAB_PRUNE_SCHEDULE_NONE;
}

void
lab_settings_panel_get_prune_spec (LabSettingsPanel *self,
                                   LabPruneSpec     *spec)
{
  g_return_if_fail (LAB_IS_SETTINGS_PANEL (self));
  g_return_if_fail (spec != NULL);

  *spec = self->base.prune.spec;
  spec->criterion = dropdown_get (self->criterion);
  spec->scope = dropdown_get (self->scope);
  spec->structure = dropdown_get (self->structure);
  spec->target = gtk_range_get_value (GTK_RANGE (self->target)) / 100.0;
  spec->seed = (guint64) gtk_spin_button_get_value (GTK_SPIN_BUTTON (self->seed));
  /* The slider is a sparsity target: Prune now uses it, not a threshold. */
  spec->threshold_mode = LAB_PRUNE_THRESHOLD_NONE;
}

double
lab_settings_panel_get_lr (LabSettingsPanel *self)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  double lr;

  g_return_val_if_fail (LAB_IS_SETTINGS_PANEL (self), 0.1);

  lr = pow (10.0, gtk_range_get_value (GTK_RANGE (self->lr)));
  /* Rounded to 3 significant digits so the value matches its label and saves cleanly. */
  g_ascii_formatd (buf, sizeof buf, "%.3g", lr);
  return g_ascii_strtod (buf, NULL);
}

guint
lab_settings_panel_get_batch (LabSettingsPanel *self)
{
  g_return_val_if_fail (LAB_IS_SETTINGS_PANEL (self), 1);

  return gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (self->batch));
}

void
lab_settings_panel_get_clip (LabSettingsPanel *self,
                             LabClipMode      *mode,
                             double           *value)
{
  g_return_if_fail (LAB_IS_SETTINGS_PANEL (self));

  *mode = dropdown_get (self->clip_mode);
  *value = gtk_spin_button_get_value (GTK_SPIN_BUTTON (self->clip_value));
}

gboolean
lab_settings_panel_get_pending (LabSettingsPanel *self)
{
  g_return_val_if_fail (LAB_IS_SETTINGS_PANEL (self), FALSE);

  return self->pending;
}

void
lab_settings_panel_mark_applied (LabSettingsPanel *self)
{
  g_return_if_fail (LAB_IS_SETTINGS_PANEL (self));

  clear_marks (GTK_WIDGET (self));
  set_pending (self, FALSE);
}

void
lab_settings_panel_set_all_activations (LabSettingsPanel *self,
                                        LabActivation     act)
{
  g_return_if_fail (LAB_IS_SETTINGS_PANEL (self));

  gtk_drop_down_set_selected (GTK_DROP_DOWN (self->all_act), act + 1);
}

void
lab_settings_panel_set_prune_target (LabSettingsPanel *self,
                                     double            target)
{
  g_return_if_fail (LAB_IS_SETTINGS_PANEL (self));

  gtk_range_set_value (GTK_RANGE (self->target), round (target * 100));
}

void
lab_settings_panel_set_lr (LabSettingsPanel *self,
                           double            lr)
{
  g_return_if_fail (LAB_IS_SETTINGS_PANEL (self));
  g_return_if_fail (lr > 0);

  gtk_range_set_value (GTK_RANGE (self->lr), log10 (lr));
}

/* ------------------------------------------------------------------------------------------ */
/* GObject                                                                                    */

static void
lab_settings_panel_dispose (GObject *object)
{
  LabSettingsPanel *self = LAB_SETTINGS_PANEL (object);

  lab_file_chooser_clear (&self->chooser);
  gtk_widget_dispose_template (GTK_WIDGET (self), LAB_TYPE_SETTINGS_PANEL);

  G_OBJECT_CLASS (lab_settings_panel_parent_class)->dispose (object);
}

static void
lab_settings_panel_finalize (GObject *object)
{
  LabSettingsPanel *self = LAB_SETTINGS_PANEL (object);

  g_free (self->path);
  lab_config_clear (&self->base);

  G_OBJECT_CLASS (lab_settings_panel_parent_class)->finalize (object);
}

static void
lab_settings_panel_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  LabSettingsPanel *self = LAB_SETTINGS_PANEL (object);

  switch (prop_id)
    {
    case PROP_PENDING:
      g_value_set_boolean (value, self->pending);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bind_template (GtkWidgetClass *widget_class)
{
  g_type_ensure (LAB_TYPE_LAYER_LIST);
  gtk_widget_class_set_template_from_resource (
    widget_class, "/io/github/gradlab/GradientLab/ui/lab-settings-panel.ui");
#define CHILD(name) gtk_widget_class_bind_template_child (widget_class, LabSettingsPanel, name)
  CHILD (scroller);
  CHILD (pending_revealer);
  CHILD (source);
  CHILD (path_row);
  CHILD (path_button);
  CHILD (path_label);
  CHILD (n_train_row);
  CHILD (n_train);
  CHILD (n_classes_row);
  CHILD (n_classes);
  CHILD (noise_row);
  CHILD (noise);
  CHILD (train_limit_row);
  CHILD (train_limit);
  CHILD (batch);
  CHILD (layers);
  CHILD (all_act);
  CHILD (init);
  CHILD (init_scale_row);
  CHILD (init_scale);
  CHILD (residual);
  CHILD (loss);
  CHILD (optimizer);
  CHILD (lr);
  CHILD (lr_label);
  CHILD (momentum_row);
  CHILD (momentum);
  CHILD (weight_decay);
  CHILD (schedule);
  CHILD (epochs);
  CHILD (seed);
  CHILD (clip_mode);
  CHILD (clip_value_row);
  CHILD (clip_value);
  CHILD (criterion);
  CHILD (scope);
  CHILD (structure);
  CHILD (target);
  CHILD (target_label);
  CHILD (prune_schedule);
  CHILD (prune_now);
#undef CHILD
#define CALLBACK(name) gtk_widget_class_bind_template_callback (widget_class, name)
  CALLBACK (on_rebuild_notify);
  CALLBACK (on_prune_spec_notify);
  CALLBACK (on_limit_output);
  CALLBACK (on_limit_input);
  CALLBACK (on_batch_changed);
  CALLBACK (on_layers_changed);
  CALLBACK (on_all_act_changed);
  CALLBACK (on_lr_changed);
  CALLBACK (on_clip_notify);
  CALLBACK (on_target_changed);
  CALLBACK (on_path_clicked);
  CALLBACK (on_prune_now_clicked);
#undef CALLBACK
}

static void
lab_settings_panel_class_init (LabSettingsPanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = lab_settings_panel_dispose;
  object_class->finalize = lab_settings_panel_finalize;
  object_class->get_property = lab_settings_panel_get_property;

  properties[PROP_PENDING] =
    g_param_spec_boolean ("pending", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * LabSettingsPanel::live-changed:
   * @what: the LabLiveSetting that changed; read it with the matching getter.
   */
  signals[LIVE_CHANGED] =
    g_signal_new ("live-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_UINT);
  signals[PRUNE_NOW] =
    g_signal_new ("prune-now", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "settingspanel");
  bind_template (widget_class);
}

static void
lab_settings_panel_init (LabSettingsPanel *self)
{
  LabConfig cfg;

  lab_config_init_defaults (&self->base);
  gtk_widget_init_template (GTK_WIDGET (self));
  fill_enum_dropdowns (self);

  lab_config_init_defaults (&cfg);
  lab_settings_panel_set_config (self, &cfg);
  lab_config_clear (&cfg);
}

GtkWidget *
lab_settings_panel_new (void)
{
  return g_object_new (LAB_TYPE_SETTINGS_PANEL, NULL);
}
