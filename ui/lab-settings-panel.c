/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-settings-panel.c: the settings sidebar. The sections mirror the .ini ([data] [model]
 * [train] [clip] [prune]) so what a student sees here is what a saved file says. The panel is
 * built in code rather than from a .ui file because most of it is data-driven: drop-downs are
 * filled from the engine's enum names and the hidden layers are an editable list.
 *
 * One function writes a LabConfig into the controls (lab_settings_panel_set_config) and one reads
 * them back (lab_settings_panel_get_config); keys without a control keep the value of the config
 * last set. Live settings emit ::live-changed; the rest add the "pending" style class to their
 * row and set the panel's "pending" property until the window applies them on reset.
 */
#define G_LOG_DOMAIN "lab-settings-panel"

#include "config.h"

#include <math.h>

#include "lab-settings-panel.h"

typedef struct
{
  GtkWidget *row;
  GtkWidget *label;
  GtkWidget *width;
  GtkWidget *act;
  GtkWidget *remove;
} LayerRow;

struct _LabSettingsPanel
{
  GtkWidget  parent_instance;

  /* owned */
  LabConfig  base;           /* the config last set: keys without a control come from here */
  GPtrArray *layers;         /* LayerRow*, one per hidden layer */
  GtkFileChooserNative *chooser;
  char      *path;           /* data path chosen (idx folder, csv file, fashion-mnist override) */
  guint      updating;       /* > 0 while controls are being set from a config */
  gboolean   pending;

  /* child widgets (owned by the scrolled window) */
  GtkWidget *scroller;
  GtkWidget *pending_revealer;

  GtkWidget *source;
  GtkWidget *path_row;
  GtkWidget *path_button;
  GtkWidget *n_train_row;
  GtkWidget *n_train;
  GtkWidget *n_classes_row;
  GtkWidget *n_classes;
  GtkWidget *noise_row;
  GtkWidget *noise;
  GtkWidget *train_limit_row;
  GtkWidget *train_limit;
  GtkWidget *batch;

  GtkWidget *layers_box;
  GtkWidget *add_layer;
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

typedef const char *(*EnumName) (guint i);

#define ENUM_NAME(fn, type) \
  static const char *fn##_name (guint i) { return fn##_to_string ((type) i); }

ENUM_NAME (lab_data_source, LabDataSource)
ENUM_NAME (lab_activation, LabActivation)
ENUM_NAME (lab_init, LabInit)
ENUM_NAME (lab_loss, LabLoss)
ENUM_NAME (lab_optim_kind, LabOptimKind)
ENUM_NAME (lab_schedule_kind, LabScheduleKind)
ENUM_NAME (lab_clip_mode, LabClipMode)
ENUM_NAME (lab_prune_criterion, LabPruneCriterion)
ENUM_NAME (lab_prune_scope, LabPruneScope)
ENUM_NAME (lab_prune_structure, LabPruneStructure)
ENUM_NAME (lab_prune_schedule, LabPruneSchedule)

static GtkStringList *
enum_strings (EnumName    name,
              const char *first)
{
  GtkStringList *list = gtk_string_list_new (NULL);

  if (first != NULL)
    gtk_string_list_append (list, first);
  for (guint i = 0; i < 64; i++)
    {
      const char *s = name (i);
      if (g_strcmp0 (s, "unknown") == 0)
        break;
      gtk_string_list_append (list, s);
    }
  return list;
}

static GtkWidget *
enum_dropdown (EnumName name)
{
  GtkWidget *drop = gtk_drop_down_new (G_LIST_MODEL (enum_strings (name, NULL)), NULL);

  gtk_widget_set_valign (drop, GTK_ALIGN_CENTER);
  return drop;
}

static gboolean
is_plane (LabDataSource source)
{
  return source == LAB_DATA_SPIRAL || source == LAB_DATA_CIRCLES ||
         source == LAB_DATA_XOR || source == LAB_DATA_GAUSSIANS;
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

/* ------------------------------------------------------------------------------------------ */
/* Rows and sections                                                                          */

static GtkWidget *
add_section (GtkWidget  *content,
             const char *title)
{
  GtkWidget *heading = gtk_label_new (title);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);

  gtk_label_set_xalign (GTK_LABEL (heading), 0);
  gtk_widget_add_css_class (heading, "heading");
  gtk_widget_add_css_class (heading, "section-heading");
  gtk_box_append (GTK_BOX (content), heading);

  gtk_widget_add_css_class (box, "settings-section");
  gtk_box_append (GTK_BOX (content), box);
  return box;
}

/* A row "label ……… control"; returns the row (hide it to hide both). */
static GtkWidget *
add_row (GtkWidget  *section,
         const char *title,
         GtkWidget  *control,
         const char *tooltip)
{
  GtkWidget *row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *label = gtk_label_new_with_mnemonic (title);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_mnemonic_widget (GTK_LABEL (label), control);
  gtk_widget_set_hexpand (label, TRUE);
  gtk_box_append (GTK_BOX (row), label);
  gtk_box_append (GTK_BOX (row), control);
  gtk_widget_add_css_class (row, "setting-row");
  gtk_widget_set_tooltip_text (row, tooltip);
  gtk_widget_set_tooltip_text (control, tooltip);
  gtk_box_append (GTK_BOX (section), row);
  return row;
}

/* A limit of 0 means no limit: say "all" rather than show a 0 that reads as "no images". */
static gboolean
on_limit_output (GtkSpinButton *spin,
                 gpointer       user_data)
{
  if (gtk_spin_button_get_value_as_int (spin) != 0)
    return FALSE;
  gtk_editable_set_text (GTK_EDITABLE (spin), "all");
  return TRUE;
}

static int
on_limit_input (GtkSpinButton *spin,
                double        *value,
                gpointer       user_data)
{
  g_autofree char *text = g_strdup (gtk_editable_get_text (GTK_EDITABLE (spin)));

  if (g_ascii_strcasecmp (g_strstrip (text), "all") != 0)
    return FALSE;
  *value = 0;
  return TRUE;
}

static GtkWidget *
spin_new (double min,
          double max,
          double step,
          guint  digits)
{
  GtkWidget *spin = gtk_spin_button_new_with_range (min, max, step);

  gtk_spin_button_set_digits (GTK_SPIN_BUTTON (spin), digits);
  gtk_spin_button_set_numeric (GTK_SPIN_BUTTON (spin), TRUE);
  gtk_widget_set_valign (spin, GTK_ALIGN_CENTER);
  gtk_editable_set_width_chars (GTK_EDITABLE (spin), 7);
  return spin;
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
  gboolean plane = is_plane (source);
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
    label = g_strdup (source == LAB_DATA_FASHION_MNIST ? "Built-in" : "Choose…");
  gtk_button_set_label (GTK_BUTTON (self->path_button), label);
  gtk_widget_set_tooltip_text (self->path_button,
                               self->path ? self->path
                                          : "The folder (IDX) or file (CSV) to learn from.");
}

/* ------------------------------------------------------------------------------------------ */
/* Hidden layers                                                                              */

static void update_all_act (LabSettingsPanel *self);
static void layer_changed  (LabSettingsPanel *self, GtkWidget *control);

static void
renumber_layers (LabSettingsPanel *self)
{
  for (guint i = 0; i < self->layers->len; i++)
    {
      LayerRow *lr = g_ptr_array_index (self->layers, i);
      g_autofree char *text = g_strdup_printf ("%u", i + 1);
      gtk_label_set_text (GTK_LABEL (lr->label), text);
      gtk_widget_set_sensitive (lr->remove, TRUE);
    }
  gtk_widget_set_sensitive (self->add_layer, self->layers->len < LAB_MAX_HIDDEN);
}

static void
on_layer_remove (GtkButton        *button,
                 LabSettingsPanel *self)
{
  for (guint i = 0; i < self->layers->len; i++)
    {
      LayerRow *lr = g_ptr_array_index (self->layers, i);
      if (lr->remove == GTK_WIDGET (button))
        {
          gtk_box_remove (GTK_BOX (self->layers_box), lr->row);
          g_ptr_array_remove_index (self->layers, i);
          break;
        }
    }
  renumber_layers (self);
  update_all_act (self);
  mark_pending (self, self->layers_box);
}

static void
on_layer_width_changed (GtkSpinButton    *spin,
                        LabSettingsPanel *self)
{
  layer_changed (self, GTK_WIDGET (spin));
}

static void
on_layer_act_changed (GtkDropDown      *drop,
                      GParamSpec       *pspec,
                      LabSettingsPanel *self)
{
  layer_changed (self, GTK_WIDGET (drop));
  update_all_act (self);
}

static void
append_layer (LabSettingsPanel *self,
              guint             width,
              LabActivation     act)
{
  LayerRow *lr = g_new0 (LayerRow, 1);

  lr->row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  gtk_widget_add_css_class (lr->row, "setting-row");
  gtk_widget_add_css_class (lr->row, "layer-row");

  lr->label = gtk_label_new (NULL);
  gtk_label_set_width_chars (GTK_LABEL (lr->label), 2);
  gtk_label_set_xalign (GTK_LABEL (lr->label), 1);
  gtk_widget_add_css_class (lr->label, "dim-label");
  gtk_widget_add_css_class (lr->label, "numeric");

  lr->width = spin_new (1, LAB_MAX_WIDTH, 1, 0);
  gtk_editable_set_width_chars (GTK_EDITABLE (lr->width), 4);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (lr->width), width);
  gtk_widget_set_tooltip_text (lr->width, "How many neurons this hidden layer has.");

  lr->act = enum_dropdown (lab_activation_name);
  gtk_drop_down_set_selected (GTK_DROP_DOWN (lr->act), act);
  gtk_widget_set_hexpand (lr->act, TRUE);
  gtk_widget_set_tooltip_text (lr->act,
                               "The function this layer applies to its sums: sigmoid and tanh "
                               "saturate and let gradients fade, ReLU does not.");

  lr->remove = gtk_button_new_from_icon_name ("list-remove-symbolic");
  gtk_widget_add_css_class (lr->remove, "flat");
  gtk_widget_set_valign (lr->remove, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (lr->remove, "Remove this hidden layer.");

  gtk_box_append (GTK_BOX (lr->row), lr->label);
  gtk_box_append (GTK_BOX (lr->row), lr->width);
  gtk_box_append (GTK_BOX (lr->row), lr->act);
  gtk_box_append (GTK_BOX (lr->row), lr->remove);
  gtk_box_append (GTK_BOX (self->layers_box), lr->row);

  g_signal_connect (lr->width, "value-changed", G_CALLBACK (on_layer_width_changed), self);
  g_signal_connect (lr->act, "notify::selected", G_CALLBACK (on_layer_act_changed), self);
  g_signal_connect (lr->remove, "clicked", G_CALLBACK (on_layer_remove), self);

  g_ptr_array_add (self->layers, lr);
  renumber_layers (self);
}

static void
on_add_layer (GtkButton        *button,
              LabSettingsPanel *self)
{
  guint width = 32;
  LabActivation act = LAB_ACT_RELU;

  if (self->layers->len >= LAB_MAX_HIDDEN)
    return;
  if (self->layers->len > 0)
    {
      LayerRow *last = g_ptr_array_index (self->layers, self->layers->len - 1);
      width = gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (last->width));
      act = dropdown_get (last->act);
    }
  append_layer (self, width, act);
  update_all_act (self);
  mark_pending (self, self->layers_box);
}

static void
layer_changed (LabSettingsPanel *self,
               GtkWidget        *control)
{
  mark_pending (self, control);
}

/* The "all layers" drop-down shows the common activation, or "mixed" (item 0). */
static void
update_all_act (LabSettingsPanel *self)
{
  guint common = 0;

  for (guint i = 0; i < self->layers->len; i++)
    {
      LayerRow *lr = g_ptr_array_index (self->layers, i);
      guint a = dropdown_get (lr->act) + 1;
      if (i == 0)
        common = a;
      else if (a != common)
        common = 0;
    }
  self->updating++;
  gtk_drop_down_set_selected (GTK_DROP_DOWN (self->all_act), common);
  self->updating--;
}

static void
on_all_act_changed (GtkDropDown      *drop,
                    GParamSpec       *pspec,
                    LabSettingsPanel *self)
{
  guint sel = dropdown_get (GTK_WIDGET (drop));

  if (self->updating || sel == 0)
    return;
  for (guint i = 0; i < self->layers->len; i++)
    {
      LayerRow *lr = g_ptr_array_index (self->layers, i);
      gtk_drop_down_set_selected (GTK_DROP_DOWN (lr->act), sel - 1);
    }
}

/* ------------------------------------------------------------------------------------------ */
/* Change handlers                                                                            */

static void
on_rebuild_changed (GtkWidget        *control,
                    LabSettingsPanel *self)
{
  update_visibility (self);
  mark_pending (self, control);
}

static void
on_rebuild_notify (GtkWidget        *control,
                   GParamSpec       *pspec,
                   LabSettingsPanel *self)
{
  on_rebuild_changed (control, self);
}

/* Criterion, scope, structure and target are read by Prune now at once; they only wait for a
 * reset when a pruning schedule uses them during the run. */
static void
on_prune_spec_changed (GtkWidget        *control,
                       LabSettingsPanel *self)
{
  if (dropdown_get (self->prune_schedule) != LAB_PRUNE_SCHEDULE_NONE)
    mark_pending (self, control);
}

static void
on_prune_spec_notify (GtkWidget        *control,
                      GParamSpec       *pspec,
                      LabSettingsPanel *self)
{
  on_prune_spec_changed (control, self);
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
on_clip_changed (GtkWidget        *control,
                 LabSettingsPanel *self)
{
  update_visibility (self);
  emit_live (self, LAB_LIVE_CLIP);
}

static void
on_clip_notify (GtkWidget        *control,
                GParamSpec       *pspec,
                LabSettingsPanel *self)
{
  on_clip_changed (control, self);
}

static void
on_target_changed (GtkRange         *range,
                   LabSettingsPanel *self)
{
  update_target_label (self);
  on_prune_spec_changed (GTK_WIDGET (range), self);
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
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      if (file != NULL)
        {
          g_free (self->path);
          self->path = g_file_get_path (file);
          update_visibility (self);
          mark_pending (self, self->path_button);
        }
    }
  g_clear_object (&self->chooser);
}

static void
on_path_clicked (GtkButton        *button,
                 LabSettingsPanel *self)
{
  LabDataSource source = dropdown_get (self->source);
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  gboolean folder = source != LAB_DATA_CSV;

  if (self->chooser != NULL)
    return;
  self->chooser = gtk_file_chooser_native_new (folder ? "Choose a Data Folder" : "Choose a CSV File",
                                               GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                               folder ? GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER
                                                      : GTK_FILE_CHOOSER_ACTION_OPEN,
                                               "_Select", "_Cancel");
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  if (!folder)
    {
      GtkFileFilter *filter = gtk_file_filter_new ();
      gtk_file_filter_set_name (filter, "CSV files");
      gtk_file_filter_add_pattern (filter, "*.csv");
      gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), filter);
      g_object_unref (filter);
    }
  g_signal_connect (self->chooser, "response", G_CALLBACK (on_chooser_response), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

/* ------------------------------------------------------------------------------------------ */
/* Building the panel                                                                         */

static void
connect_rebuild (LabSettingsPanel *self,
                 GtkWidget        *control)
{
  if (GTK_IS_DROP_DOWN (control))
    g_signal_connect (control, "notify::selected", G_CALLBACK (on_rebuild_notify), self);
  else if (GTK_IS_SWITCH (control))
    g_signal_connect (control, "notify::active", G_CALLBACK (on_rebuild_notify), self);
  else if (GTK_IS_SPIN_BUTTON (control))
    g_signal_connect (control, "value-changed", G_CALLBACK (on_rebuild_changed), self);
  else
    g_assert_not_reached ();
}

static void
build (LabSettingsPanel *self)
{
  GtkWidget *content, *sec, *box, *button, *label, *all_row;

  self->scroller = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (self->scroller),
                                  GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_widget_set_parent (self->scroller, GTK_WIDGET (self));

  content = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  gtk_widget_add_css_class (content, "settings-content");
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (self->scroller), content);

  /* What is waiting for a reset */
  self->pending_revealer = gtk_revealer_new ();
  box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  gtk_widget_add_css_class (box, "pending-note");
  label = gtk_label_new ("Marked changes apply on reset.");
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_set_hexpand (label, TRUE);
  button = gtk_button_new_with_mnemonic ("_Reset");
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "win.reset");
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (button, "Rebuild the network with these settings and start over.");
  gtk_box_append (GTK_BOX (box), label);
  gtk_box_append (GTK_BOX (box), button);
  gtk_revealer_set_child (GTK_REVEALER (self->pending_revealer), box);
  gtk_box_append (GTK_BOX (content), self->pending_revealer);

  /* [data] */
  sec = add_section (content, "Data");
  self->source = enum_dropdown (lab_data_source_name);
  add_row (sec, "_Source", self->source,
           "What the network learns: a 2-D point set you can see, or images such as "
           "Fashion-MNIST. Applies on reset.");
  connect_rebuild (self, self->source);

  self->path_button = gtk_button_new_with_label ("Choose…");
  gtk_widget_set_valign (self->path_button, GTK_ALIGN_CENTER);
  gtk_widget_set_size_request (self->path_button, 120, -1);
  gtk_label_set_ellipsize (GTK_LABEL (gtk_button_get_child (GTK_BUTTON (self->path_button))),
                           PANGO_ELLIPSIZE_MIDDLE);
  self->path_row = add_row (sec, "_Path", self->path_button,
                            "The folder (IDX) or file (CSV) to learn from. Applies on reset.");
  g_signal_connect (self->path_button, "clicked", G_CALLBACK (on_path_clicked), self);

  self->n_train = spin_new (10, 100000, 100, 0);
  self->n_train_row = add_row (sec, "Training _points", self->n_train,
                               "How many points the network trains on. Applies on reset.");
  connect_rebuild (self, self->n_train);

  self->n_classes = spin_new (2, 8, 1, 0);
  self->n_classes_row = add_row (sec, "_Classes", self->n_classes,
                                 "How many coloured groups of points there are. Applies on reset.");
  connect_rebuild (self, self->n_classes);

  self->noise = spin_new (0, 2, 0.01, 2);
  self->noise_row = add_row (sec, "_Noise", self->noise,
                             "How much the points are scattered around their ideal shape. "
                             "Applies on reset.");
  connect_rebuild (self, self->noise);

  self->train_limit = spin_new (0, 1000000, 1000, 0);
  gtk_spin_button_set_numeric (GTK_SPIN_BUTTON (self->train_limit), FALSE);   /* "all" */
  g_signal_connect (self->train_limit, "output", G_CALLBACK (on_limit_output), NULL);
  g_signal_connect (self->train_limit, "input", G_CALLBACK (on_limit_input), NULL);
  self->train_limit_row = add_row (sec, "Training _limit", self->train_limit,
                                   "Use only this many training images (0 = all) so an epoch is "
                                   "quicker. Applies on reset.");
  connect_rebuild (self, self->train_limit);

  self->batch = spin_new (1, 4096, 1, 0);
  add_row (sec, "_Batch size", self->batch,
           "How many examples are averaged for each step; changes at once.");
  g_signal_connect (self->batch, "value-changed", G_CALLBACK (on_batch_changed), self);

  /* [model] */
  sec = add_section (content, "Model");
  label = gtk_label_new ("Hidden layers, input to output: width and activation");
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_widget_add_css_class (label, "dim-label");
  gtk_widget_add_css_class (label, "caption");
  gtk_box_append (GTK_BOX (sec), label);

  self->layers_box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  gtk_widget_set_tooltip_text (self->layers_box,
                               "The hidden layers between input and output. Applies on reset.");
  gtk_box_append (GTK_BOX (sec), self->layers_box);

  self->add_layer = gtk_button_new ();
  gtk_button_set_child (GTK_BUTTON (self->add_layer),
                        g_object_new (GTK_TYPE_BOX, "spacing", 6, NULL));
  box = gtk_button_get_child (GTK_BUTTON (self->add_layer));
  gtk_box_append (GTK_BOX (box), gtk_image_new_from_icon_name ("list-add-symbolic"));
  gtk_box_append (GTK_BOX (box), gtk_label_new_with_mnemonic ("_Add Layer"));
  gtk_widget_set_halign (self->add_layer, GTK_ALIGN_START);
  gtk_widget_add_css_class (self->add_layer, "flat");
  gtk_widget_set_tooltip_text (self->add_layer,
                               "Add one more hidden layer like the last one, making the network "
                               "deeper. Applies on reset.");
  g_signal_connect (self->add_layer, "clicked", G_CALLBACK (on_add_layer), self);
  gtk_box_append (GTK_BOX (sec), self->add_layer);

  self->all_act = gtk_drop_down_new (G_LIST_MODEL (enum_strings (lab_activation_name, "mixed")),
                                     NULL);
  gtk_widget_set_valign (self->all_act, GTK_ALIGN_CENTER);
  all_row = add_row (sec, "Acti_vation (all)", self->all_act,
                     "Give every hidden layer this activation at once. Applies on reset.");
  g_signal_connect (self->all_act, "notify::selected", G_CALLBACK (on_all_act_changed), self);
  (void) all_row;

  self->init = enum_dropdown (lab_init_name);
  add_row (sec, "_Initialisation", self->init,
           "How the starting weights are drawn; Xavier suits tanh, He suits ReLU. "
           "Applies on reset.");
  connect_rebuild (self, self->init);

  self->init_scale = spin_new (0.001, 100, 0.1, 3);
  self->init_scale_row = add_row (sec, "Init _scale", self->init_scale,
                                  "Multiplies the spread of the starting weights. "
                                  "Applies on reset.");
  connect_rebuild (self, self->init_scale);

  self->residual = gtk_switch_new ();
  gtk_widget_set_valign (self->residual, GTK_ALIGN_CENTER);
  add_row (sec, "_Residual connections", self->residual,
           "Let each layer's input skip past it, a classic cure for vanishing gradients. "
           "Applies on reset.");
  connect_rebuild (self, self->residual);

  self->loss = enum_dropdown (lab_loss_name);
  add_row (sec, "_Loss", self->loss,
           "What the network is punished for: cross-entropy for classes, or squared error. "
           "Applies on reset.");
  connect_rebuild (self, self->loss);

  /* [train] */
  sec = add_section (content, "Training");
  self->optimizer = enum_dropdown (lab_optim_kind_name);
  add_row (sec, "_Optimiser", self->optimizer,
           "The rule that turns gradients into weight updates. Applies on reset.");
  connect_rebuild (self, self->optimizer);

  box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  self->lr = gtk_scale_new_with_range (GTK_ORIENTATION_HORIZONTAL, -5, 1, 0.05);
  gtk_scale_set_draw_value (GTK_SCALE (self->lr), FALSE);
  gtk_widget_set_size_request (self->lr, 130, -1);
  for (int e = -5; e <= 1; e++)
    gtk_scale_add_mark (GTK_SCALE (self->lr), e, GTK_POS_BOTTOM, NULL);
  self->lr_label = gtk_label_new (NULL);
  gtk_label_set_width_chars (GTK_LABEL (self->lr_label), 7);
  gtk_label_set_xalign (GTK_LABEL (self->lr_label), 1);
  gtk_widget_add_css_class (self->lr_label, "numeric");
  gtk_box_append (GTK_BOX (box), self->lr);
  gtk_box_append (GTK_BOX (box), self->lr_label);
  add_row (sec, "Learning _rate", box,
           "How big each step is, on a log scale from 0.00001 to 10; changes at once.");
  gtk_widget_set_tooltip_text (self->lr,
                               "How big each step is, on a log scale from 0.00001 to 10; "
                               "changes at once.");
  g_signal_connect (self->lr, "value-changed", G_CALLBACK (on_lr_changed), self);

  self->momentum = spin_new (0, 0.999, 0.01, 3);
  self->momentum_row = add_row (sec, "_Momentum", self->momentum,
                                "How much of the previous update carries into the next one. "
                                "Applies on reset.");
  connect_rebuild (self, self->momentum);

  self->weight_decay = spin_new (0, 1, 0.0001, 5);
  add_row (sec, "_Weight decay", self->weight_decay,
           "Pulls every weight a little toward zero each step. Applies on reset.");
  connect_rebuild (self, self->weight_decay);

  self->schedule = enum_dropdown (lab_schedule_kind_name);
  add_row (sec, "Sc_hedule", self->schedule,
           "How the learning rate changes over the run: constant, in steps, or a cosine curve. "
           "Applies on reset.");
  connect_rebuild (self, self->schedule);

  self->epochs = spin_new (0, 100000, 1, 0);
  add_row (sec, "_Epochs", self->epochs,
           "How many passes over the training data make a full run. Applies on reset.");
  connect_rebuild (self, self->epochs);

  self->seed = spin_new (0, G_MAXUINT32, 1, 0);
  gtk_editable_set_width_chars (GTK_EDITABLE (self->seed), 10);
  add_row (sec, "See_d", self->seed,
           "The random number that fixes the starting weights and data order, so a run can be "
           "repeated. Applies on reset.");
  connect_rebuild (self, self->seed);

  /* [clip] */
  sec = add_section (content, "Clipping");
  self->clip_mode = enum_dropdown (lab_clip_mode_name);
  add_row (sec, "_Mode", self->clip_mode,
           "Limit huge gradients by their total length (norm) or each entry (value); "
           "changes at once.");
  g_signal_connect (self->clip_mode, "notify::selected", G_CALLBACK (on_clip_notify), self);

  self->clip_value = spin_new (0.001, 1000, 0.1, 3);
  self->clip_value_row = add_row (sec, "_Limit", self->clip_value,
                                  "The largest gradient norm or value allowed; changes at once.");
  g_signal_connect (self->clip_value, "value-changed", G_CALLBACK (on_clip_changed), self);

  /* [prune] */
  sec = add_section (content, "Pruning");
  self->criterion = enum_dropdown (lab_prune_criterion_name);
  add_row (sec, "C_riterion", self->criterion,
           "Which weights count as unimportant: small |w|, small gradient, small |w·g|, "
           "or random as a control.");
  g_signal_connect (self->criterion, "notify::selected", G_CALLBACK (on_prune_spec_notify), self);

  self->scope = enum_dropdown (lab_prune_scope_name);
  add_row (sec, "Sco_pe", self->scope,
           "Prune the same fraction in every layer, or compare all weights with one "
           "global threshold.");
  g_signal_connect (self->scope, "notify::selected", G_CALLBACK (on_prune_spec_notify), self);

  self->structure = enum_dropdown (lab_prune_structure_name);
  add_row (sec, "S_tructure", self->structure,
           "Remove single weights, or whole neurons with all their connections.");
  g_signal_connect (self->structure, "notify::selected", G_CALLBACK (on_prune_spec_notify), self);

  box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  self->target = gtk_scale_new_with_range (GTK_ORIENTATION_HORIZONTAL, 0, 99, 1);
  gtk_scale_set_draw_value (GTK_SCALE (self->target), FALSE);
  gtk_widget_set_size_request (self->target, 130, -1);
  for (int m = 0; m <= 90; m += 30)
    gtk_scale_add_mark (GTK_SCALE (self->target), m, GTK_POS_BOTTOM, NULL);
  self->target_label = gtk_label_new (NULL);
  gtk_label_set_width_chars (GTK_LABEL (self->target_label), 5);
  gtk_label_set_xalign (GTK_LABEL (self->target_label), 1);
  gtk_widget_add_css_class (self->target_label, "numeric");
  gtk_box_append (GTK_BOX (box), self->target);
  gtk_box_append (GTK_BOX (box), self->target_label);
  add_row (sec, "Tar_get", box, "The share of weights to remove, from 0 to 99 %.");
  gtk_widget_set_tooltip_text (self->target, "The share of weights to remove, from 0 to 99 %.");
  g_signal_connect (self->target, "value-changed", G_CALLBACK (on_target_changed), self);

  self->prune_schedule = enum_dropdown (lab_prune_schedule_name);
  add_row (sec, "Sche_dule", self->prune_schedule,
           "When the run prunes by itself: never, once, in rounds, or gradually. "
           "Applies on reset.");
  connect_rebuild (self, self->prune_schedule);

  self->prune_now = gtk_button_new_with_mnemonic ("_Prune Now");
  gtk_widget_add_css_class (self->prune_now, "suggested-action");
  gtk_widget_add_css_class (self->prune_now, "prune-now");
  gtk_widget_set_tooltip_text (self->prune_now,
                               "Remove the chosen share of weights right now and keep training.");
  g_signal_connect (self->prune_now, "clicked", G_CALLBACK (on_prune_now_clicked), self);
  gtk_box_append (GTK_BOX (sec), self->prune_now);
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

  while (self->layers->len > 0)
    {
      LayerRow *lr = g_ptr_array_index (self->layers, self->layers->len - 1);
      gtk_box_remove (GTK_BOX (self->layers_box), lr->row);
      g_ptr_array_remove_index (self->layers, self->layers->len - 1);
    }
  for (guint i = 0; i < cfg->model.n_hidden; i++)
    append_layer (self, cfg->model.hidden[i], cfg->model.act[i]);
  renumber_layers (self);
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
  if (is_plane (cfg->data.source))
    {
      cfg->data.n_train = gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (self->n_train));
      cfg->data.n_classes = gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (self->n_classes));
      cfg->data.noise = gtk_spin_button_get_value (GTK_SPIN_BUTTON (self->noise));
    }
  cfg->data.train_limit = gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (self->train_limit));
  cfg->train.batch = lab_settings_panel_get_batch (self);

  cfg->model.n_hidden = self->layers->len;
  for (guint i = 0; i < self->layers->len; i++)
    {
      LayerRow *lr = g_ptr_array_index (self->layers, i);
      cfg->model.hidden[i] = gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (lr->width));
      cfg->model.act[i] = dropdown_get (lr->act);
    }
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
layer_row_free (gpointer data)
{
  g_free (data);
}

static void
lab_settings_panel_dispose (GObject *object)
{
  LabSettingsPanel *self = LAB_SETTINGS_PANEL (object);

  if (self->chooser != NULL)
    {
      gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
      g_clear_object (&self->chooser);
    }
  g_clear_pointer (&self->scroller, gtk_widget_unparent);

  G_OBJECT_CLASS (lab_settings_panel_parent_class)->dispose (object);
}

static void
lab_settings_panel_finalize (GObject *object)
{
  LabSettingsPanel *self = LAB_SETTINGS_PANEL (object);

  g_ptr_array_unref (self->layers);
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
}

static void
lab_settings_panel_init (LabSettingsPanel *self)
{
  LabConfig cfg;

  self->layers = g_ptr_array_new_with_free_func (layer_row_free);
  lab_config_init_defaults (&self->base);
  build (self);

  lab_config_init_defaults (&cfg);
  lab_settings_panel_set_config (self, &cfg);
  lab_config_clear (&cfg);
}

GtkWidget *
lab_settings_panel_new (void)
{
  return g_object_new (LAB_TYPE_SETTINGS_PANEL, NULL);
}
