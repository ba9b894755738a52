/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-layer-menu.c: the layers control of the plot toolbars (see lab-layer-menu.h). Built in
 * code rather than from a .ui file because its checklist follows the network. It only ever
 * changes the selection; what it shows follows the selection's ::changed (another toolbar's
 * menu may have changed it), with a guard so that showing a state does not set it again.
 */
#define G_LOG_DOMAIN "lab-layer-menu"

#include "config.h"

#include <glib/gi18n.h>

#include "lab-grad-norms.h"
#include "lab-layer-menu.h"

#define N_MODES 4   /* LabLayerSelectionMode */

struct _LabLayerMenu
{
  GtkWidget          parent_instance;

  /* children */
  GtkWidget         *button;
  GtkWidget         *summary;              /* "every 4th of 120 layers, first and last always" */
  GtkWidget         *modes[N_MODES];       /* radio buttons, by LabLayerSelectionMode */
  GtkWidget         *spin;
  GtkWidget         *choices;              /* the checklist's scrolled window */
  GtkWidget         *list;

  /* the checklist as built */
  GPtrArray         *checks;               /* GtkCheckButton per layer (borrowed) */
  GPtrArray         *group_checks;         /* per group (borrowed) */

  /* owned */
  LabPlotModel      *model;
  LabLayerSelection *sel;                  /* the model's (ref) */
  gulong             changed_id;
  guint              updating;             /* > 0 while the widgets are set to the selection */
};

G_DEFINE_FINAL_TYPE (LabLayerMenu, lab_layer_menu, GTK_TYPE_WIDGET)

enum
{
  PROP_0,
  PROP_MODEL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* --- showing the selection ------------------------------------------------------------------ */

/* "Layers: every 4th of 120", with the whole sentence as its tooltip and in the popover. */
static void
update_label (LabLayerMenu *self)
{
  char text[128], brief[64], label[80];

  lab_layer_selection_describe (self->sel, text, sizeof text);
  lab_layer_selection_describe_briefly (self->sel, brief, sizeof brief);
  g_snprintf (label, sizeof label, _("Layers: %s"), brief);
  gtk_menu_button_set_label (GTK_MENU_BUTTON (self->button), label);
  gtk_widget_set_tooltip_text (self->button, text);
  gtk_label_set_text (GTK_LABEL (self->summary), text);
}

/* Each check as the selection has it; a group's check on when all of its layers are shown,
 * mixed when some are. */
static void
update_checks (LabLayerMenu *self)
{
  guint n_groups = self->group_checks->len;
  g_autofree guint *shown = g_new0 (guint, MAX (n_groups, 1));
  g_autofree guint *total = g_new0 (guint, MAX (n_groups, 1));

  if (self->checks->len != lab_layer_selection_get_n_layers (self->sel))
    return;
  for (guint l = 0; l < self->checks->len; l++)
    {
      gboolean on = lab_layer_selection_is_visible (self->sel, l);
      guint g = lab_layer_selection_get_group (self->sel, l);

      gtk_check_button_set_active (g_ptr_array_index (self->checks, l), on);
      if (g < n_groups)
        {
          shown[g] += on;
          total[g]++;
        }
    }
  for (guint g = 0; g < n_groups; g++)
    {
      GtkCheckButton *check = g_ptr_array_index (self->group_checks, g);

      if (check == NULL)
        continue;
      gtk_check_button_set_active (check, shown[g] == total[g]);
      gtk_check_button_set_inconsistent (check, shown[g] > 0 && shown[g] < total[g]);
    }
}

static void
show_selection (LabLayerMenu *self)
{
  LabLayerSelectionMode mode = lab_layer_selection_get_mode (self->sel);
  guint n = lab_layer_selection_get_n_layers (self->sel);
  guint k = lab_layer_selection_get_every (self->sel);

  self->updating++;
  /* a small network shows every layer, as its plots always did: nothing to choose */
  gtk_widget_set_visible (GTK_WIDGET (self), n > LAB_LAYER_MENU_MIN_LAYERS);
  update_label (self);
  gtk_check_button_set_active (GTK_CHECK_BUTTON (self->modes[mode]), TRUE);
  gtk_spin_button_set_range (GTK_SPIN_BUTTON (self->spin), 2, MAX (2, n - 1));
  if (k >= 2)
    gtk_spin_button_set_value (GTK_SPIN_BUTTON (self->spin), k);
  gtk_widget_set_visible (self->choices, mode == LAB_LAYER_SELECTION_CHOSEN);
  update_checks (self);
  self->updating--;
}

/* --- the checklist -------------------------------------------------------------------------- */

static void
on_check_toggled (GtkCheckButton *check,
                  LabLayerMenu   *self)
{
  guint l = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (check), "layer"));

  if (!self->updating)
    lab_layer_selection_set_chosen (self->sel, l, gtk_check_button_get_active (check));
}

static void
on_group_toggled (GtkCheckButton *check,
                  LabLayerMenu   *self)
{
  guint g = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (check), "group"));

  if (!self->updating)
    lab_layer_selection_set_group_chosen (self->sel, g, gtk_check_button_get_active (check));
}

static GtkWidget *
add_check (LabLayerMenu *self,
           const char   *label,
           const char   *key,
           guint         value,
           int           indent,
           GCallback     toggled)
{
  GtkWidget *check = gtk_check_button_new_with_label (label);

  g_object_set_data (G_OBJECT (check), key, GUINT_TO_POINTER (value));
  gtk_widget_set_margin_start (check, indent);
  g_signal_connect (check, "toggled", toggled, self);
  gtk_box_append (GTK_BOX (self->list), check);
  return check;
}

/* The checklist of the selection's network: each group's check (when there are groups), its
 * layers under it; a group of one layer is just that layer (a ResNet's conv1 and fc); the first
 * and the last layer checked for good. */
static void
build_checklist (LabLayerMenu *self)
{
  guint n = lab_layer_selection_get_n_layers (self->sel);
  guint n_groups = lab_layer_selection_get_n_groups (self->sel);
  gboolean groups = n_groups > 1;
  g_autofree guint *size = g_new0 (guint, n_groups);
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (self->list)) != NULL)
    gtk_box_remove (GTK_BOX (self->list), child);
  g_ptr_array_set_size (self->checks, 0);
  g_ptr_array_set_size (self->group_checks, 0);
  for (guint l = 0; l < n; l++)
    size[lab_layer_selection_get_group (self->sel, l)]++;
  for (guint l = 0; l < n; l++)
    {
      guint g = lab_layer_selection_get_group (self->sel, l);
      gboolean alone = size[g] == 1;
      char name[LAB_LAYER_NAME_MAX + 32];
      GtkWidget *check;

      if (groups && g == self->group_checks->len)
        g_ptr_array_add (self->group_checks,
                         alone ? NULL
                               : add_check (self, lab_layer_selection_get_group_name (self->sel,
                                                                                      g),
                                            "group", g, 0, G_CALLBACK (on_group_toggled)));
      if (groups)
        g_strlcpy (name, lab_layer_selection_get_short_name (self->sel, l), sizeof name);
      else
        lab_grad_norms_layer_name (self->sel, l, n, name, sizeof name);
      check = add_check (self, name, "layer", l, groups && !alone ? 24 : 0,
                         G_CALLBACK (on_check_toggled));
      if (l == 0 || l + 1 == n)
        {
          gtk_widget_set_sensitive (check, FALSE);
          gtk_widget_set_tooltip_text (check, _("The first and the last layer are always shown"));
        }
      g_ptr_array_add (self->checks, check);
    }
  self->updating++;
  update_checks (self);
  self->updating--;
}

/* Built when it is first shown, and again for another network. */
static void
ensure_checklist (LabLayerMenu *self)
{
  guint n = lab_layer_selection_get_n_layers (self->sel);
  GtkWidget *last = self->checks->len > 0 ? g_ptr_array_index (self->checks,
                                                               self->checks->len - 1) : NULL;
  char name[LAB_LAYER_NAME_MAX + 32];

  if (n == 0)
    return;
  if (lab_layer_selection_get_n_groups (self->sel) > 1)
    g_strlcpy (name, lab_layer_selection_get_short_name (self->sel, n - 1), sizeof name);
  else
    lab_grad_norms_layer_name (self->sel, n - 1, n, name, sizeof name);
  if (self->checks->len != n || g_strcmp0 (gtk_check_button_get_label (GTK_CHECK_BUTTON (last)),
                                           name) != 0)
    build_checklist (self);
}

/* --- changing the selection ----------------------------------------------------------------- */

static void
on_mode_toggled (GtkCheckButton *radio,
                 LabLayerMenu   *self)
{
  LabLayerSelectionMode mode = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (radio), "mode"));

  if (self->updating || !gtk_check_button_get_active (radio))
    return;
  /* every k-th starts from the k shown */
  if (mode == LAB_LAYER_SELECTION_EVERY)
    lab_layer_selection_set_every (self->sel,
                                   gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (self->spin)));
  if (mode == LAB_LAYER_SELECTION_CHOSEN)
    ensure_checklist (self);
  lab_layer_selection_set_mode (self->sel, mode);
}

static void
on_spin_changed (GtkSpinButton *spin,
                 LabLayerMenu  *self)
{
  if (self->updating)
    return;
  lab_layer_selection_set_every (self->sel, gtk_spin_button_get_value_as_int (spin));
  lab_layer_selection_set_mode (self->sel, LAB_LAYER_SELECTION_EVERY);
}

static void
on_popover_show (LabLayerMenu *self)
{
  if (lab_layer_selection_get_mode (self->sel) == LAB_LAYER_SELECTION_CHOSEN)
    ensure_checklist (self);
}

static void
on_selection_changed (LabLayerMenu *self)
{
  if (gtk_widget_get_visible (self->choices))
    ensure_checklist (self);
  show_selection (self);
}

/* --- building ------------------------------------------------------------------------------- */

static void
add_mode (LabLayerMenu          *self,
          GtkWidget             *box,
          LabLayerSelectionMode  mode,
          const char            *label,
          const char            *tooltip)
{
  GtkWidget *radio = gtk_check_button_new_with_mnemonic (label);

  g_object_set_data (G_OBJECT (radio), "mode", GUINT_TO_POINTER (mode));
  gtk_widget_set_tooltip_text (radio, tooltip);
  if (mode != LAB_LAYER_SELECTION_AUTO)
    gtk_check_button_set_group (GTK_CHECK_BUTTON (radio),
                                GTK_CHECK_BUTTON (self->modes[LAB_LAYER_SELECTION_AUTO]));
  g_signal_connect (radio, "toggled", G_CALLBACK (on_mode_toggled), self);
  self->modes[mode] = radio;
  gtk_box_append (GTK_BOX (box), radio);
}

static GtkWidget *
build_popover (LabLayerMenu *self)
{
  GtkWidget *popover = gtk_popover_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *every = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);

  self->summary = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (self->summary), 0);
  gtk_label_set_wrap (GTK_LABEL (self->summary), TRUE);
  gtk_label_set_max_width_chars (GTK_LABEL (self->summary), 36);
  gtk_widget_add_css_class (self->summary, "dim-label");
  gtk_box_append (GTK_BOX (box), self->summary);

  add_mode (self, box, LAB_LAYER_SELECTION_AUTO, _("_Automatic"),
            _("Every layer of a network of up to 33, every k-th of a deeper one"));
  add_mode (self, box, LAB_LAYER_SELECTION_ALL, _("_All layers"), _("Every layer, however many"));
  add_mode (self, every, LAB_LAYER_SELECTION_EVERY, _("_Every"),
            _("Every k-th layer; the first and the last always"));
  self->spin = gtk_spin_button_new_with_range (2, 2, 1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->spin), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Show every k-th layer: k"), -1);
  g_signal_connect (self->spin, "value-changed", G_CALLBACK (on_spin_changed), self);
  gtk_box_append (GTK_BOX (every), self->spin);
  /* Translators: the row reads “Every [k] th layer”, k a spin button: the end of the phrase */
  gtk_box_append (GTK_BOX (every), gtk_label_new (_("th layer")));
  gtk_box_append (GTK_BOX (box), every);
  add_mode (self, box, LAB_LAYER_SELECTION_CHOSEN, _("_Choose…"),
            _("Tick the layers to show, one by one or a group at a time"));

  self->list = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  self->choices = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (self->choices), GTK_POLICY_NEVER,
                                  GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (self->choices), TRUE);
  gtk_scrolled_window_set_max_content_height (GTK_SCROLLED_WINDOW (self->choices), 360);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (self->choices), self->list);
  gtk_widget_set_visible (self->choices, FALSE);
  gtk_box_append (GTK_BOX (box), self->choices);

  gtk_popover_set_child (GTK_POPOVER (popover), box);
  g_signal_connect_swapped (popover, "show", G_CALLBACK (on_popover_show), self);
  return popover;
}

/* --- GObject -------------------------------------------------------------------------------- */

static void
lab_layer_menu_dispose (GObject *object)
{
  LabLayerMenu *self = LAB_LAYER_MENU (object);

  lab_layer_menu_set_model (self, NULL);
  g_clear_pointer (&self->button, gtk_widget_unparent);
  g_clear_pointer (&self->checks, g_ptr_array_unref);
  g_clear_pointer (&self->group_checks, g_ptr_array_unref);

  G_OBJECT_CLASS (lab_layer_menu_parent_class)->dispose (object);
}

static void
lab_layer_menu_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  LabLayerMenu *self = LAB_LAYER_MENU (object);

  switch (prop_id)
    {
    case PROP_MODEL:
      g_value_set_object (value, self->model);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lab_layer_menu_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  LabLayerMenu *self = LAB_LAYER_MENU (object);

  switch (prop_id)
    {
    case PROP_MODEL:
      lab_layer_menu_set_model (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lab_layer_menu_class_init (LabLayerMenuClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = lab_layer_menu_dispose;
  object_class->get_property = lab_layer_menu_get_property;
  object_class->set_property = lab_layer_menu_set_property;

  properties[PROP_MODEL] =
    g_param_spec_object ("model", NULL, NULL, LAB_TYPE_PLOT_MODEL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
lab_layer_menu_init (LabLayerMenu *self)
{
  self->checks = g_ptr_array_new ();
  self->group_checks = g_ptr_array_new ();
  self->button = gtk_menu_button_new ();
  gtk_menu_button_set_popover (GTK_MENU_BUTTON (self->button), build_popover (self));
  gtk_widget_set_parent (self->button, GTK_WIDGET (self));
  gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
}

GtkWidget *
lab_layer_menu_new (void)
{
  return g_object_new (LAB_TYPE_LAYER_MENU, NULL);
}

void
lab_layer_menu_set_model (LabLayerMenu *self,
                          LabPlotModel *model)
{
  g_return_if_fail (LAB_IS_LAYER_MENU (self));
  g_return_if_fail (model == NULL || LAB_IS_PLOT_MODEL (model));

  if (self->model == model)
    return;
  if (self->sel != NULL)
    {
      g_clear_signal_handler (&self->changed_id, self->sel);
      g_clear_object (&self->sel);
    }
  g_clear_object (&self->model);
  if (model != NULL)
    {
      self->model = g_object_ref (model);
      self->sel = g_object_ref (lab_plot_model_get_layer_selection (model));
      self->changed_id = g_signal_connect_swapped (self->sel, "changed",
                                                   G_CALLBACK (on_selection_changed), self);
      show_selection (self);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MODEL]);
}

LabPlotModel *
lab_layer_menu_get_model (LabLayerMenu *self)
{
  g_return_val_if_fail (LAB_IS_LAYER_MENU (self), NULL);

  return self->model;
}

GtkWidget *
lab_layer_menu_get_button (LabLayerMenu *self)
{
  g_return_val_if_fail (LAB_IS_LAYER_MENU (self), NULL);

  return self->button;
}

GtkWidget *
lab_layer_menu_get_mode_button (LabLayerMenu          *self,
                                LabLayerSelectionMode  mode)
{
  g_return_val_if_fail (LAB_IS_LAYER_MENU (self), NULL);
  g_return_val_if_fail (mode < N_MODES, NULL);

  return self->modes[mode];
}

GtkWidget *
lab_layer_menu_get_spin (LabLayerMenu *self)
{
  g_return_val_if_fail (LAB_IS_LAYER_MENU (self), NULL);

  return self->spin;
}

GtkWidget *
lab_layer_menu_get_check (LabLayerMenu *self,
                          guint         l)
{
  g_return_val_if_fail (LAB_IS_LAYER_MENU (self), NULL);

  if (self->sel != NULL)
    ensure_checklist (self);
  return l < self->checks->len ? g_ptr_array_index (self->checks, l) : NULL;
}

GtkWidget *
lab_layer_menu_get_group_check (LabLayerMenu *self,
                                guint         g)
{
  g_return_val_if_fail (LAB_IS_LAYER_MENU (self), NULL);

  if (self->sel != NULL)
    ensure_checklist (self);
  /* NULL too for a group of one layer: it has no check of its own */
  return g < self->group_checks->len ? g_ptr_array_index (self->group_checks, g) : NULL;
}
