/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-layer-list.c: the hidden-layer rows of the settings sidebar (see lab-layer-list.h).
 * ::changed (control) tells the sidebar which control the user changed (a width, an activation),
 * or the list itself when a layer was added or removed, so it can mark what waits for a reset.
 */
#define G_LOG_DOMAIN "lab-settings-panel"

#include "config.h"

#include <glib/gi18n.h>

#include "lab-layer-list.h"

typedef struct
{
  GtkWidget *row;
  GtkWidget *label;
  GtkWidget *width;
  GtkWidget *act;
  GtkWidget *remove;
} LayerRow;

struct _LabLayerList
{
  GtkWidget   parent_instance;

  /* children */
  GtkWidget  *rows;         /* one LayerRow.row per layer */
  GtkWidget  *add_button;

  /* owned */
  GPtrArray  *layers;       /* LayerRow*, input to output */
  GListModel *names;        /* activation names, shared by the rows' drop-downs */
  guint       updating;     /* > 0 while set from a config: nothing is emitted */
};

G_DEFINE_FINAL_TYPE (LabLayerList, lab_layer_list, GTK_TYPE_WIDGET)

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
emit_changed (LabLayerList *self,
              GtkWidget    *control)
{
  if (!self->updating)
    g_signal_emit (self, signals[CHANGED], 0, control);
}

static guint
act_of (LayerRow *lr)
{
  guint i = gtk_drop_down_get_selected (GTK_DROP_DOWN (lr->act));

  return i == GTK_INVALID_LIST_POSITION ? 0 : i;
}

static void
renumber (LabLayerList *self)
{
  for (guint i = 0; i < self->layers->len; i++)
    {
      LayerRow *lr = g_ptr_array_index (self->layers, i);
      g_autofree char *text = g_strdup_printf ("%u", i + 1);
      g_autofree char *width = g_strdup_printf (_("Units in hidden layer %u"), i + 1);
      g_autofree char *act = g_strdup_printf (_("Activation of hidden layer %u"), i + 1);
      g_autofree char *remove = g_strdup_printf (_("Remove hidden layer %u"), i + 1);

      gtk_label_set_text (GTK_LABEL (lr->label), text);
      /* the row's number is only a digit on screen: a screen reader says what each control is */
      gtk_accessible_update_property (GTK_ACCESSIBLE (lr->width), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      width, -1);
      gtk_accessible_update_property (GTK_ACCESSIBLE (lr->act), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      act, -1);
      gtk_accessible_update_property (GTK_ACCESSIBLE (lr->remove), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      remove, -1);
    }
  gtk_widget_set_sensitive (self->add_button, self->layers->len < LAB_MAX_HIDDEN);
}

static void
on_remove_clicked (GtkButton    *button,
                   LabLayerList *self)
{
  for (guint i = 0; i < self->layers->len; i++)
    {
      LayerRow *lr = g_ptr_array_index (self->layers, i);
      if (lr->remove == GTK_WIDGET (button))
        {
          gtk_box_remove (GTK_BOX (self->rows), lr->row);
          g_ptr_array_remove_index (self->layers, i);
          break;
        }
    }
  renumber (self);
  emit_changed (self, GTK_WIDGET (self));
}

static void
on_width_changed (GtkSpinButton *spin,
                  LabLayerList  *self)
{
  emit_changed (self, GTK_WIDGET (spin));
}

static void
on_act_changed (GtkDropDown  *drop,
                GParamSpec   *pspec,
                LabLayerList *self)
{
  emit_changed (self, GTK_WIDGET (drop));
}

static void
append_layer (LabLayerList  *self,
              guint          width,
              LabActivation  act)
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

  lr->width = gtk_spin_button_new_with_range (1, LAB_MAX_WIDTH, 1);
  gtk_spin_button_set_numeric (GTK_SPIN_BUTTON (lr->width), TRUE);
  gtk_widget_set_valign (lr->width, GTK_ALIGN_CENTER);
  gtk_editable_set_width_chars (GTK_EDITABLE (lr->width), 4);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (lr->width), width);
  gtk_widget_set_tooltip_text (lr->width, _("How many neurons this hidden layer has."));

  lr->act = gtk_drop_down_new (self->names ? g_object_ref (self->names) : NULL, NULL);
  gtk_widget_set_valign (lr->act, GTK_ALIGN_CENTER);
  gtk_drop_down_set_selected (GTK_DROP_DOWN (lr->act), act);
  gtk_widget_set_hexpand (lr->act, TRUE);
  gtk_widget_set_tooltip_text (lr->act,
                               _("The function this layer applies to its sums: sigmoid and tanh "
                                 "saturate and let gradients fade, ReLU does not."));

  lr->remove = gtk_button_new_from_icon_name ("list-remove-symbolic");
  gtk_widget_add_css_class (lr->remove, "flat");
  gtk_widget_set_valign (lr->remove, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (lr->remove, _("Remove this hidden layer."));

  gtk_box_append (GTK_BOX (lr->row), lr->label);
  gtk_box_append (GTK_BOX (lr->row), lr->width);
  gtk_box_append (GTK_BOX (lr->row), lr->act);
  gtk_box_append (GTK_BOX (lr->row), lr->remove);
  gtk_box_append (GTK_BOX (self->rows), lr->row);

  g_signal_connect (lr->width, "value-changed", G_CALLBACK (on_width_changed), self);
  g_signal_connect (lr->act, "notify::selected", G_CALLBACK (on_act_changed), self);
  g_signal_connect (lr->remove, "clicked", G_CALLBACK (on_remove_clicked), self);

  g_ptr_array_add (self->layers, lr);
  renumber (self);
}

/* One more layer like the last one (32 ReLU units in an empty list). */
static void
on_add_clicked (GtkButton    *button,
                LabLayerList *self)
{
  guint width = 32;
  LabActivation act = LAB_ACT_RELU;

  if (self->layers->len >= LAB_MAX_HIDDEN)
    return;
  if (self->layers->len > 0)
    {
      LayerRow *last = g_ptr_array_index (self->layers, self->layers->len - 1);
      width = gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (last->width));
      act = act_of (last);
    }
  append_layer (self, width, act);
  emit_changed (self, GTK_WIDGET (self));
}

void
lab_layer_list_set_names (LabLayerList *self,
                          GListModel   *names)
{
  g_return_if_fail (LAB_IS_LAYER_LIST (self));
  g_return_if_fail (G_IS_LIST_MODEL (names));

  g_set_object (&self->names, names);
}

void
lab_layer_list_set (LabLayerList        *self,
                    guint                n,
                    const guint         *widths,
                    const LabActivation *acts)
{
  g_return_if_fail (LAB_IS_LAYER_LIST (self));
  g_return_if_fail (n <= LAB_MAX_HIDDEN);

  self->updating++;
  while (self->layers->len > 0)
    {
      LayerRow *lr = g_ptr_array_index (self->layers, self->layers->len - 1);
      gtk_box_remove (GTK_BOX (self->rows), lr->row);
      g_ptr_array_remove_index (self->layers, self->layers->len - 1);
    }
  for (guint i = 0; i < n; i++)
    append_layer (self, widths[i], acts[i]);
  renumber (self);
  self->updating--;
}

guint
lab_layer_list_get (LabLayerList  *self,
                    guint         *widths,
                    LabActivation *acts)
{
  g_return_val_if_fail (LAB_IS_LAYER_LIST (self), 0);

  for (guint i = 0; i < self->layers->len; i++)
    {
      LayerRow *lr = g_ptr_array_index (self->layers, i);
      widths[i] = gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (lr->width));
      acts[i] = act_of (lr);
    }
  return self->layers->len;
}

gboolean
lab_layer_list_get_common_activation (LabLayerList  *self,
                                      LabActivation *act)
{
  g_return_val_if_fail (LAB_IS_LAYER_LIST (self), FALSE);

  for (guint i = 0; i < self->layers->len; i++)
    if (act_of (g_ptr_array_index (self->layers, i)) !=
        act_of (g_ptr_array_index (self->layers, 0)))
      return FALSE;
  if (self->layers->len == 0)
    return FALSE;
  *act = act_of (g_ptr_array_index (self->layers, 0));
  return TRUE;
}

void
lab_layer_list_set_all_activations (LabLayerList  *self,
                                    LabActivation  act)
{
  g_return_if_fail (LAB_IS_LAYER_LIST (self));

  for (guint i = 0; i < self->layers->len; i++)
    {
      LayerRow *lr = g_ptr_array_index (self->layers, i);
      gtk_drop_down_set_selected (GTK_DROP_DOWN (lr->act), act);
    }
}

static void
lab_layer_list_dispose (GObject *object)
{
  LabLayerList *self = LAB_LAYER_LIST (object);

  g_clear_pointer (&self->rows, gtk_widget_unparent);
  g_clear_pointer (&self->add_button, gtk_widget_unparent);
  g_clear_object (&self->names);

  G_OBJECT_CLASS (lab_layer_list_parent_class)->dispose (object);
}

static void
lab_layer_list_finalize (GObject *object)
{
  LabLayerList *self = LAB_LAYER_LIST (object);

  g_ptr_array_unref (self->layers);

  G_OBJECT_CLASS (lab_layer_list_parent_class)->finalize (object);
}

static void
lab_layer_list_class_init (LabLayerListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = lab_layer_list_dispose;
  object_class->finalize = lab_layer_list_finalize;

  /**
   * LabLayerList::changed:
   * @control: the width or activation control the user changed, or the list itself when a
   *   layer was added or removed
   */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 1, GTK_TYPE_WIDGET);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
}

static void
lab_layer_list_init (LabLayerList *self)
{
  GtkLayoutManager *layout = gtk_widget_get_layout_manager (GTK_WIDGET (self));
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);

  /* the spacing of the sidebar's sections */
  gtk_orientable_set_orientation (GTK_ORIENTABLE (layout), GTK_ORIENTATION_VERTICAL);
  gtk_box_layout_set_spacing (GTK_BOX_LAYOUT (layout), 6);
  self->layers = g_ptr_array_new_with_free_func (g_free);

  self->rows = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  gtk_widget_set_parent (self->rows, GTK_WIDGET (self));

  gtk_box_append (GTK_BOX (box), gtk_image_new_from_icon_name ("list-add-symbolic"));
  gtk_box_append (GTK_BOX (box), gtk_label_new_with_mnemonic (_("_Add Layer")));
  self->add_button = gtk_button_new ();
  gtk_button_set_child (GTK_BUTTON (self->add_button), box);
  gtk_widget_set_halign (self->add_button, GTK_ALIGN_START);
  gtk_widget_add_css_class (self->add_button, "flat");
  gtk_widget_set_tooltip_text (self->add_button,
                               _("Add one more hidden layer like the last one, making the network "
                                 "deeper. Applies on reset."));
  g_signal_connect (self->add_button, "clicked", G_CALLBACK (on_add_clicked), self);
  gtk_widget_set_parent (self->add_button, GTK_WIDGET (self));
}
