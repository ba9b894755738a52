/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-manifest-panel.c: a watched run's manifest, read-only (see lab-manifest-panel.h). The
 * widgets are in lab-manifest-panel.ui; the run's properties and the layer table are rows of
 * labels rebuilt whenever the manifest changes (a writer may rewrite run.ini, e.g. to fill in
 * the input shape after its first batch), which is rare, so nothing is kept between two.
 */
#define G_LOG_DOMAIN "lab-manifest-panel"

#include "config.h"

#include <glib/gi18n.h>
#include <inttypes.h>

#include "lab-manifest-panel.h"
#include "lab-mlp.h"

#define N_COLUMNS 5

struct _LabManifestPanel
{
  GtkWidget       parent_instance;

  /* template widgets */
  GtkWidget      *scroller;
  GtkWidget      *title_label;
  GtkWidget      *dir_label;
  GtkWidget      *run_grid;
  GtkWidget      *local_batch_label;
  GtkWidget      *layer_grid;
  GtkWidget      *other_heading;
  GtkWidget      *other_label;

  /* owned */
  LabRunManifest *manifest;
};

G_DEFINE_FINAL_TYPE (LabManifestPanel, lab_manifest_panel, GTK_TYPE_WIDGET)

static void
clear_grid (GtkWidget *grid)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (grid)) != NULL)
    gtk_grid_remove (GTK_GRID (grid), child);
}

static GtkWidget *
cell_new (const char *text,
          gboolean    dim)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  if (dim)
    gtk_widget_add_css_class (label, "dim-label");
  return label;
}

/* ------------------------------------------------------------------------------------------ */
/* The run's properties                                                                       */

static char *
describe_input (const LabRunManifest *m)
{
  GString *s;

  if (m->n_input == 0)
    return g_strdup (_("not known"));
  s = g_string_new (NULL);
  for (guint i = 0; i < m->n_input; i++)
    g_string_append_printf (s, "%s%zu", i > 0 ? " × " : "", m->input_shape[i]);
  return g_string_free (s, FALSE);
}

static char *
describe_every (guint64     n,
                const char *none)
{
  if (n == 0)
    return g_strdup (none);
  if (n == 1)
    return g_strdup (_("every step"));
  return g_strdup_printf (_("every %" PRIu64 " steps"), n);
}

static void
add_property (LabManifestPanel *self,
              int               row,
              const char       *name,
              const char       *value)
{
  GtkWidget *key = cell_new (name, TRUE);
  GtkWidget *val = cell_new (value, FALSE);

  gtk_label_set_wrap (GTK_LABEL (val), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (val), PANGO_WRAP_WORD_CHAR);
  gtk_widget_set_hexpand (val, TRUE);
  gtk_label_set_yalign (GTK_LABEL (key), 0);
  gtk_grid_attach (GTK_GRID (self->run_grid), key, 0, row, 1, 1);
  gtk_grid_attach (GTK_GRID (self->run_grid), val, 1, row, 1, 1);
  gtk_accessible_update_relation (GTK_ACCESSIBLE (val), GTK_ACCESSIBLE_RELATION_LABELLED_BY,
                                  key, NULL, -1);
}

static void
fill_properties (LabManifestPanel     *self,
                 const LabRunManifest *m)
{
  g_autofree char *input = describe_input (m);
  g_autofree char *classes = m->classes > 0 ? g_strdup_printf ("%u", m->classes)
                                            : g_strdup (_("not known, or not a classifier"));
  g_autofree char *rank = m->world_size > 1
    ? g_strdup_printf (_("%u of %u processes"), m->rank, m->world_size)
    : g_strdup (_("one process"));
  g_autofree char *rows = describe_every (m->log_every, _("every step"));
  g_autofree char *heavy = describe_every (m->heavy_every, _("never"));
  const struct { const char *name, *value; } props[] = {
    { _("Writer"), *m->writer ? m->writer : _("not given") },
    { _("Model"), *m->model ? m->model : _("not given") },
    { _("Input"), input },
    { _("Classes"), classes },
    { _("Rank"), rank },
    /* Translators: a row of metrics is written “every step”, “every 10 steps” */
    { _("A row"), rows },
    /* Translators: weights are written “every 100 steps” or “never” */
    { _("Weights"), heavy },
    { _("Started"), *m->started ? m->started : _("not given") },
  };

  for (guint i = 0; i < G_N_ELEMENTS (props); i++)
    add_property (self, (int) i, props[i].name, props[i].value);
  gtk_widget_set_visible (self->local_batch_label, m->local_batch);
}

/* ------------------------------------------------------------------------------------------ */
/* The layers                                                                                 */

static char *
describe_kind (const LabRunLayer *layer)
{
  GString *s;

  if (layer->kind == LAB_LAYER_LINEAR)
    return g_strdup ("linear");
  s = g_string_new (NULL);
  g_string_append_printf (s, "conv%ud ", layer->n_kernel);
  for (guint i = 0; i < layer->n_kernel; i++)
    g_string_append_printf (s, "%s%u", i > 0 ? "×" : "", layer->kernel[i]);
  return g_string_free (s, FALSE);
}

static void
add_layer (LabManifestPanel  *self,
           int                row,
           const LabRunLayer *layer)
{
  g_autofree char *kind = describe_kind (layer);
  g_autofree char *shape = g_strdup_printf ("%zu × %zu", layer->rows, layer->cols);
  const char *texts[N_COLUMNS] = {
    layer->name, kind, shape,
    layer->act_known ? lab_activation_to_string (layer->act) : _("unknown"),
    layer->bias ? _("yes") : _("no"),
  };

  for (int c = 0; c < N_COLUMNS; c++)
    {
      GtkWidget *cell = cell_new (texts[c], FALSE);

      if (c == 0)
        {
          /* long module names ("encoder.layers.11.mlp.fc2") keep both ends */
          gtk_label_set_ellipsize (GTK_LABEL (cell), PANGO_ELLIPSIZE_MIDDLE);
          gtk_label_set_max_width_chars (GTK_LABEL (cell), 16);
          gtk_widget_set_tooltip_text (cell, layer->name);
        }
      gtk_grid_attach (GTK_GRID (self->layer_grid), cell, c, row, 1, 1);
    }
}

static void
fill_layers (LabManifestPanel     *self,
             const LabRunManifest *m)
{
  static const char * const heads[N_COLUMNS] = {
    N_("Layer"), N_("Kind"), N_("Shape"), N_("Activation"), N_("Bias"),
  };

  for (int c = 0; c < N_COLUMNS; c++)
    gtk_grid_attach (GTK_GRID (self->layer_grid), cell_new (_(heads[c]), TRUE), c, 0, 1, 1);
  for (guint l = 0; l < m->n_layers; l++)
    add_layer (self, (int) l + 1, &m->layers[l]);
}

/* [other] parameters = "bn1.weight (64);bn1.bias (64)": one a line. */
static char *
describe_other (const LabRunManifest *m)
{
  g_auto(GStrv) items = g_strsplit (m->other != NULL ? m->other : "", ";", -1);
  GString *s = g_string_new (NULL);

  for (guint i = 0; items[i] != NULL; i++)
    {
      g_strstrip (items[i]);
      if (*items[i] != '\0')
        g_string_append_printf (s, "%s%s", s->len > 0 ? "\n" : "", items[i]);
    }
  if (s->len == 0)
    g_string_append (s, _("none"));
  return g_string_free (s, FALSE);
}

/* ------------------------------------------------------------------------------------------ */
/* Public                                                                                     */

void
lab_manifest_panel_set_run (LabManifestPanel     *self,
                            const char           *dir,
                            const LabRunManifest *m,
                            const char           *why)
{
  g_autofree char *base = NULL;
  g_autofree char *other = NULL;

  g_return_if_fail (LAB_IS_MANIFEST_PANEL (self));
  g_return_if_fail (dir != NULL);

  base = g_path_get_basename (dir);
  gtk_label_set_text (GTK_LABEL (self->title_label), base);
  gtk_label_set_text (GTK_LABEL (self->dir_label), dir);

  g_clear_pointer (&self->manifest, lab_run_manifest_free);
  clear_grid (self->run_grid);
  clear_grid (self->layer_grid);
  gtk_widget_set_visible (self->local_batch_label, FALSE);
  if (m == NULL)
    {
      add_property (self, 0, _("Run"), why != NULL ? why : _("waiting for the writer's run.ini"));
      gtk_widget_set_visible (self->other_heading, FALSE);
      gtk_widget_set_visible (self->other_label, FALSE);
      return;
    }
  self->manifest = lab_run_manifest_copy (m);
  fill_properties (self, m);
  fill_layers (self, m);
  other = describe_other (m);
  gtk_label_set_text (GTK_LABEL (self->other_label), other);
  gtk_widget_set_visible (self->other_heading, TRUE);
  gtk_widget_set_visible (self->other_label, TRUE);
}

const LabRunManifest *
lab_manifest_panel_get_manifest (LabManifestPanel *self)
{
  g_return_val_if_fail (LAB_IS_MANIFEST_PANEL (self), NULL);
  return self->manifest;
}

const char *
lab_manifest_panel_get_cell (LabManifestPanel *self,
                             guint             row,
                             guint             column)
{
  GtkWidget *cell;

  g_return_val_if_fail (LAB_IS_MANIFEST_PANEL (self), NULL);
  g_return_val_if_fail (column < N_COLUMNS, NULL);

  cell = gtk_grid_get_child_at (GTK_GRID (self->layer_grid), (int) column, (int) row + 1);
  return cell != NULL ? gtk_label_get_text (GTK_LABEL (cell)) : NULL;
}

GtkWidget *
lab_manifest_panel_new (void)
{
  return g_object_new (LAB_TYPE_MANIFEST_PANEL, NULL);
}

/* ------------------------------------------------------------------------------------------ */
/* GObject                                                                                    */

static void
lab_manifest_panel_dispose (GObject *object)
{
  LabManifestPanel *self = LAB_MANIFEST_PANEL (object);

  g_clear_pointer (&self->manifest, lab_run_manifest_free);
  gtk_widget_dispose_template (GTK_WIDGET (self), LAB_TYPE_MANIFEST_PANEL);

  G_OBJECT_CLASS (lab_manifest_panel_parent_class)->dispose (object);
}

static void
lab_manifest_panel_class_init (LabManifestPanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = lab_manifest_panel_dispose;

  gtk_widget_class_set_template_from_resource (
    widget_class, "/io/github/gradlab/GradientLab/ui/lab-manifest-panel.ui");
#define CHILD(name) gtk_widget_class_bind_template_child (widget_class, LabManifestPanel, name)
  CHILD (scroller);
  CHILD (title_label);
  CHILD (dir_label);
  CHILD (run_grid);
  CHILD (local_batch_label);
  CHILD (layer_grid);
  CHILD (other_heading);
  CHILD (other_label);
#undef CHILD
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "manifestpanel");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
lab_manifest_panel_init (LabManifestPanel *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
