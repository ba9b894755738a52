/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-export-dialog.c: the Export Plot dialog (see lab-export-dialog.h); its widgets are in
 * lab-export-dialog.ui. The plot list is the window's plots, one per type, by their titles
 * (lab_export_plot_title); the size limits are lab-export.h's.
 */
#define G_LOG_DOMAIN "lab-export-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "lab-export.h"
#include "lab-export-dialog.h"
#include "lab-file-chooser.h"
#include "lab-window-export.h"
#include "lab-window-private.h"

struct _LabExportDialog
{
  GtkWindow             parent_instance;

  /* template widgets */
  GtkDropDown          *plot_dropdown;
  GtkDropDown          *format_dropdown;
  GtkSpinButton        *width_spin;
  GtkSpinButton        *height_spin;
  GtkSpinButton        *scale_spin;

  /* borrowed: the transient parent, which destroys this dialog with itself */
  LabWindow            *window;

  /* owned */
  GArray               *types;     /* GType of each entry of plot_dropdown */
  GtkFileChooserNative *chooser;
};

G_DEFINE_FINAL_TYPE (LabExportDialog, lab_export_dialog, GTK_TYPE_WINDOW)

/* A file name from a title: "Loss and accuracy" → "loss-and-accuracy". */
static char *
slug (const char *title)
{
  GString *s = g_string_new (NULL);

  for (const char *p = title; *p; p++)
    {
      if (g_ascii_isalnum (*p))
        g_string_append_c (s, g_ascii_tolower (*p));
      else if (s->len > 0 && s->str[s->len - 1] != '-')
        g_string_append_c (s, '-');
    }
  while (s->len > 0 && s->str[s->len - 1] == '-')
    g_string_truncate (s, s->len - 1);
  return g_string_free (s, FALSE);
}

/* The plot type and format chosen, FALSE if none is. */
static gboolean
get_choice (LabExportDialog *self,
            GType           *type,
            LabExportFormat *format)
{
  guint i = gtk_drop_down_get_selected (self->plot_dropdown);
  guint f = gtk_drop_down_get_selected (self->format_dropdown);

  if (i >= self->types->len || f > LAB_EXPORT_PDF)
    return FALSE;
  *type = g_array_index (self->types, GType, i);
  *format = f;
  return TRUE;
}

static void
on_chooser_response (GtkNativeDialog *dialog,
                     int              response,
                     LabExportDialog *self)
{
  g_autofree char *path = lab_file_chooser_finish (&self->chooser, response);
  g_autofree char *full = NULL;
  g_autoptr(GError) error = NULL;
  LabExportFormat format;
  GType type;

  if (path == NULL || !get_choice (self, &type, &format))
    return;
  /* the chooser may have been given a name without the extension */
  if (!lab_export_format_from_path (path, &format))
    full = g_strconcat (path, ".", lab_export_format_extension (format), NULL);
  else
    full = g_strdup (path);
  if (!lab_export_plot (type, lab_window_find_plot (self->window, type), self->window->model,
                        format, gtk_spin_button_get_value_as_int (self->width_spin),
                        gtk_spin_button_get_value_as_int (self->height_spin),
                        gtk_spin_button_get_value (self->scale_spin), full, &error))
    lab_window_show_error (self->window, error->message);
  else
    gtk_window_destroy (GTK_WINDOW (self));
}

static void
on_export_clicked (LabExportDialog *self)
{
  static const char * const filters[][3] = {
    [LAB_EXPORT_PNG] = { N_("PNG image (.png)"), "*.png", NULL },
    [LAB_EXPORT_SVG] = { N_("SVG drawing (.svg)"), "*.svg", NULL },
    [LAB_EXPORT_PDF] = { N_("PDF document (.pdf)"), "*.pdf", NULL },
  };
  g_autofree char *base = NULL;
  g_autofree char *name = NULL;
  LabExportFormat format;
  GType type;

  if (!get_choice (self, &type, &format))
    return;
  base = slug (lab_export_plot_title (type));
  name = g_strconcat (base, ".", lab_export_format_extension (format), NULL);
  lab_file_chooser_clear (&self->chooser);
  self->chooser = lab_file_chooser_new (GTK_WINDOW (self), _("Export Plot"),
                                        GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"), name,
                                        filters[format]);
  g_signal_connect (self->chooser, "response", G_CALLBACK (on_chooser_response), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static void
lab_export_dialog_dispose (GObject *object)
{
  LabExportDialog *self = LAB_EXPORT_DIALOG (object);

  /* the chooser holds a reference to its parent, this dialog */
  lab_file_chooser_clear (&self->chooser);
  gtk_widget_dispose_template (GTK_WIDGET (self), LAB_TYPE_EXPORT_DIALOG);

  G_OBJECT_CLASS (lab_export_dialog_parent_class)->dispose (object);
}

static void
lab_export_dialog_finalize (GObject *object)
{
  LabExportDialog *self = LAB_EXPORT_DIALOG (object);

  g_array_unref (self->types);

  G_OBJECT_CLASS (lab_export_dialog_parent_class)->finalize (object);
}

static void
lab_export_dialog_class_init (LabExportDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = lab_export_dialog_dispose;
  object_class->finalize = lab_export_dialog_finalize;

  gtk_widget_class_set_template_from_resource (
    widget_class, "/io/github/gradlab/GradientLab/ui/lab-export-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, LabExportDialog, plot_dropdown);
  gtk_widget_class_bind_template_child (widget_class, LabExportDialog, format_dropdown);
  gtk_widget_class_bind_template_child (widget_class, LabExportDialog, width_spin);
  gtk_widget_class_bind_template_child (widget_class, LabExportDialog, height_spin);
  gtk_widget_class_bind_template_child (widget_class, LabExportDialog, scale_spin);
  gtk_widget_class_bind_template_callback (widget_class, on_export_clicked);
  gtk_widget_class_bind_template_callback (widget_class, gtk_window_destroy);
}

static void
lab_export_dialog_init (LabExportDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->types = g_array_new (FALSE, FALSE, sizeof (GType));
  gtk_spin_button_set_range (self->width_spin, LAB_EXPORT_MIN_SIZE, LAB_EXPORT_MAX_SIZE);
  gtk_spin_button_set_value (self->width_spin, 1600);
  gtk_spin_button_set_range (self->height_spin, LAB_EXPORT_MIN_SIZE, LAB_EXPORT_MAX_SIZE);
  gtk_spin_button_set_value (self->height_spin, 1000);
}

LabExportDialog *
lab_export_dialog_new (LabWindow *window,
                       GtkWidget *plot)
{
  g_autoptr(GPtrArray) plots = NULL;
  g_autoptr(GtkStringList) titles = gtk_string_list_new (NULL);
  LabExportDialog *self;
  guint selected = 0;

  g_return_val_if_fail (LAB_IS_WINDOW (window), NULL);

  self = g_object_new (LAB_TYPE_EXPORT_DIALOG, "transient-for", window, NULL);
  self->window = window;
  plots = _lab_window_list_plots (window);
  for (guint i = 0; i < plots->len; i++)
    {
      GType type = G_OBJECT_TYPE (plots->pdata[i]);

      g_array_append_val (self->types, type);
      gtk_string_list_append (titles, _(lab_export_plot_title (type)));
      if (plot != NULL && G_OBJECT_TYPE (plot) == type)
        selected = i;
    }
  gtk_drop_down_set_model (self->plot_dropdown, G_LIST_MODEL (titles));
  gtk_drop_down_set_selected (self->plot_dropdown, selected);
  return self;
}
