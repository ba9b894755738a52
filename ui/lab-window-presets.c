/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-window-presets.c: the Presets menu of the main window. Each built-in preset
 * (lab_config_list_presets()) is a row with its name and one-line summary; choosing one runs
 * win.load-preset, which loads it over the defaults and applies it as a new run
 * (lab_window_apply_config()).
 */
#define G_LOG_DOMAIN "lab-window"

#include "config.h"

#include "lab-window-private.h"

gboolean
lab_window_load_preset (LabWindow   *self,
                        const char  *name,
                        GError     **error)
{
  LabConfig cfg;

  g_return_val_if_fail (LAB_IS_WINDOW (self), FALSE);
  g_return_val_if_fail (name != NULL, FALSE);

  lab_config_init_defaults (&cfg);
  if (!lab_config_load_preset (&cfg, name, error))
    {
      lab_config_clear (&cfg);
      return FALSE;
    }
  lab_window_apply_config (self, &cfg);
  lab_config_clear (&cfg);
  return TRUE;
}

static void
load_preset_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *param)
{
  LabWindow *self = LAB_WINDOW (widget);
  g_autoptr(GError) error = NULL;

  if (!lab_window_load_preset (self, g_variant_get_string (param, NULL), &error))
    lab_window_show_error (self, error->message);
}

static void
on_preset_row_activated (GtkListBox    *list,
                         GtkListBoxRow *row,
                         LabWindow     *self)
{
  int i = gtk_list_box_row_get_index (row);

  gtk_popover_popdown (GTK_POPOVER (self->presets_popover));
  if (i >= 0 && i < (int) g_strv_length (self->preset_names))
    gtk_widget_activate_action (GTK_WIDGET (self), "win.load-preset", "s", self->preset_names[i]);
}

static GtkWidget *
preset_row_new (const char *name)
{
  g_autofree char *summary = lab_config_preset_summary (name);
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *title = gtk_label_new (name);

  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_widget_add_css_class (title, "heading");
  gtk_box_append (GTK_BOX (box), title);
  if (summary != NULL && *summary != '\0')
    {
      GtkWidget *sub = gtk_label_new (summary);

      gtk_label_set_xalign (GTK_LABEL (sub), 0);
      gtk_label_set_wrap (GTK_LABEL (sub), TRUE);
      gtk_label_set_max_width_chars (GTK_LABEL (sub), 50);
      gtk_widget_add_css_class (sub, "dim-label");
      gtk_widget_add_css_class (sub, "caption");
      gtk_box_append (GTK_BOX (box), sub);
    }
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  gtk_widget_set_tooltip_text (row, summary);
  return row;
}

void
_lab_window_presets_init (LabWindow *self)
{
  self->preset_names = lab_config_list_presets ();
  if (self->preset_names == NULL)
    self->preset_names = g_new0 (char *, 1);
  for (guint i = 0; self->preset_names[i] != NULL; i++)
    gtk_list_box_append (GTK_LIST_BOX (self->presets_list), preset_row_new (self->preset_names[i]));
}

void
_lab_window_presets_class_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_bind_template_callback (widget_class, on_preset_row_activated);
  gtk_widget_class_install_action (widget_class, "win.load-preset", "s", load_preset_action);
}
