/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-export.c: offscreen rendering of a plot to PNG, SVG or PDF. The plots draw only in their
 * snapshot vfunc (STYLE.md 2.6), so the same render node that GTK shows is drawn here with
 * gsk_render_node_draw() on a Cairo surface: lines and text stay vectors in SVG and PDF.
 *
 * A fresh widget is used rather than the one on screen: resizing the visible plot would make it
 * flicker and fight the window's layout. It lives in a never-presented GtkWindow because plots
 * take their colours from CSS, which needs a root.
 */
#define G_LOG_DOMAIN "lab-export"

#include "config.h"

#include <glib/gi18n.h>
#include <errno.h>
#include <string.h>

#include <cairo.h>
#include <cairo-pdf.h>
#include <cairo-svg.h>

#include "lab-file-replace.h"
#include "lab-error.h"
#include "lab-export.h"
#include "lab-plot-style.h"

static const char *extensions[] = { "png", "svg", "pdf" };

const char *
lab_export_format_extension (LabExportFormat format)
{
  g_return_val_if_fail (format <= LAB_EXPORT_PDF, "png");
  return extensions[format];
}

gboolean
lab_export_format_from_path (const char      *path,
                             LabExportFormat *format)
{
  g_autofree char *lower = NULL;

  g_return_val_if_fail (path != NULL, FALSE);

  lower = g_ascii_strdown (path, -1);
  for (guint i = 0; i < G_N_ELEMENTS (extensions); i++)
    {
      g_autofree char *suffix = g_strconcat (".", extensions[i], NULL);
      if (g_str_has_suffix (lower, suffix))
        {
          if (format != NULL)
            *format = (LabExportFormat) i;
          return TRUE;
        }
    }
  return FALSE;
}

const char *
lab_export_plot_title (GType plot_type)
{
  static const struct { const char *type; const char *title; } titles[] = {
    { "LabGradPlot", N_("Gradient norms") },
    { "LabFlowPlot", N_("Gradient flow across depth") },
    { "LabLossPlot", N_("Loss and accuracy") },
    { "LabActPlot", N_("Activations") },
    { "LabBoundaryPlot", N_("Decision boundary") },
    { "LabWeightsView", N_("Weights") },
    { "LabSparsityPlot", N_("Sparsity") },
    { "LabNetworkView", N_("Network") },
    { "LabLotteryPlot", N_("Lottery ticket") },
  };
  const char *name = g_type_name (plot_type);

  for (guint i = 0; i < G_N_ELEMENTS (titles); i++)
    if (g_strcmp0 (name, titles[i].type) == 0)
      return titles[i].title;
  return name;
}

/* The settings of a plot are its own properties (delta, smoothing, log-scale, mode …). */
static void
copy_settings (GtkWidget *dst,
               GtkWidget *src)
{
  GType type = G_OBJECT_TYPE (dst);
  g_autofree GParamSpec **specs = NULL;
  guint n;

  specs = g_object_class_list_properties (G_OBJECT_GET_CLASS (dst), &n);
  for (guint i = 0; i < n; i++)
    {
      GParamSpec *p = specs[i];
      g_auto(GValue) value = G_VALUE_INIT;

      if (p->owner_type != type || (p->flags & G_PARAM_CONSTRUCT_ONLY) ||
          (p->flags & G_PARAM_READWRITE) != G_PARAM_READWRITE ||
          g_strcmp0 (p->name, "model") == 0)
        continue;
      g_value_init (&value, p->value_type);
      g_object_get_property (G_OBJECT (src), p->name, &value);
      g_object_set_property (G_OBJECT (dst), p->name, &value);
    }
}

static cairo_status_t
write_to_file (void                *closure,
               const unsigned char *data,
               unsigned int         length)
{
  FILE *fp = closure;

  return fwrite (data, 1, length, fp) == length ? CAIRO_STATUS_SUCCESS
                                                : CAIRO_STATUS_WRITE_ERROR;
}

/* The plot's render node at the logical size @lw × @lh, over an opaque background. */
static GskRenderNode *
render_node (GtkWidget *plot,
             int        lw,
             int        lh)
{
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  LabPlotStyle style;

  gtk_widget_size_allocate (plot, &(GtkAllocation) { 0, 0, lw, lh }, -1);
  lab_plot_style_init (plot, &style);
  style.background.alpha = 1.f;
  gtk_snapshot_append_color (snapshot, &style.background, &GRAPHENE_RECT_INIT (0, 0, lw, lh));
  GTK_WIDGET_GET_CLASS (plot)->snapshot (plot, snapshot);
  return gtk_snapshot_free_to_node (snapshot);
}

/* A fresh @plot_type plot of @model with the settings of @like, laid out at @width × @height
 * image pixels over *@scale, but never below the plot's minimum size (a smaller *@scale then
 * makes the drawing fit the image): its render node at the logical size @lw × @lh. */
static GskRenderNode *
offscreen_node (GType         plot_type,
                GtkWidget    *like,
                LabPlotModel *model,
                int           width,
                int           height,
                double       *scale,
                int          *lw,
                int          *lh)
{
  GtkWidget *host, *plot;
  GskRenderNode *node;
  int min_w, min_h;

  plot = g_object_new (plot_type, "model", model, NULL);
  if (like != NULL)
    copy_settings (plot, like);
  host = gtk_window_new ();
  /* lab_plot_style_init() sees it: every plot draws as vectors (no pre-rasterised envelopes),
   * since the node is drawn at any scale and into SVG or PDF */
  gtk_widget_add_css_class (host, "export");
  gtk_window_set_child (GTK_WINDOW (host), plot);

  gtk_widget_measure (plot, GTK_ORIENTATION_HORIZONTAL, -1, &min_w, NULL, NULL, NULL);
  gtk_widget_measure (plot, GTK_ORIENTATION_VERTICAL, -1, &min_h, NULL, NULL, NULL);
  min_w = MAX (min_w, 1);
  min_h = MAX (min_h, 1);
  if (width / *scale < min_w || height / *scale < min_h)
    *scale = MIN ((double) width / min_w, (double) height / min_h);
  *lw = MAX (min_w, (int) (width / *scale + 0.5));
  *lh = MAX (min_h, (int) (height / *scale + 0.5));
  node = render_node (plot, *lw, *lh);

  gtk_window_destroy (GTK_WINDOW (host));
  return node;
}

/* A Cairo surface of @format writing to @fp (PNG: an image, written out after drawing). */
static cairo_surface_t *
create_surface (LabExportFormat  format,
                FILE            *fp,
                int              width,
                int              height)
{
  cairo_surface_t *surface = NULL;

  switch (format)
    {
    case LAB_EXPORT_PNG:
      surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width, height);
      break;
    case LAB_EXPORT_SVG:
      surface = cairo_svg_surface_create_for_stream (write_to_file, fp, width, height);
      /* width="1600px" rather than points: the size asked for is in pixels */
      if (cairo_surface_status (surface) == CAIRO_STATUS_SUCCESS)
        cairo_svg_surface_set_document_unit (surface, CAIRO_SVG_UNIT_PX);
      break;
    case LAB_EXPORT_PDF:
      surface = cairo_pdf_surface_create_for_stream (write_to_file, fp, width, height);
      if (cairo_surface_status (surface) == CAIRO_STATUS_SUCCESS)
        cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_CREATOR, "Gradient Lab");
      break;
    default:
      g_assert_not_reached ();
    }
  return surface;
}

/* Draws @node, made at @lw × @lh, over the whole @width × @height surface and writes it to
 * @fp; the first failure. */
static cairo_status_t
draw_to_file (GskRenderNode   *node,
              LabExportFormat  format,
              FILE            *fp,
              int              width,
              int              height,
              int              lw,
              int              lh)
{
  cairo_surface_t *surface = create_surface (format, fp, width, height);
  cairo_t *cr = cairo_create (surface);
  cairo_status_t status;

  cairo_scale (cr, (double) width / lw, (double) height / lh);
  if (node != NULL)
    gsk_render_node_draw (node, cr);
  status = cairo_status (cr);
  cairo_destroy (cr);

  if (status == CAIRO_STATUS_SUCCESS && format == LAB_EXPORT_PNG)
    status = cairo_surface_write_to_png_stream (surface, write_to_file, fp);
  cairo_surface_finish (surface);
  if (status == CAIRO_STATUS_SUCCESS)
    status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);
  return status;
}

gboolean
lab_export_plot (GType            plot_type,
                 GtkWidget       *like,
                 LabPlotModel    *model,
                 LabExportFormat  format,
                 int              width,
                 int              height,
                 double           scale,
                 const char      *path,
                 GError         **error)
{
  GskRenderNode *node;
  LabFileReplace *file;
  cairo_status_t status;
  int lw, lh, saved;

  g_return_val_if_fail (g_type_is_a (plot_type, GTK_TYPE_WIDGET), FALSE);
  g_return_val_if_fail (like == NULL || G_TYPE_CHECK_INSTANCE_TYPE (like, plot_type), FALSE);
  g_return_val_if_fail (LAB_IS_PLOT_MODEL (model), FALSE);
  g_return_val_if_fail (format <= LAB_EXPORT_PDF, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  if (width < LAB_EXPORT_MIN_SIZE || width > LAB_EXPORT_MAX_SIZE ||
      height < LAB_EXPORT_MIN_SIZE || height > LAB_EXPORT_MAX_SIZE)
    {
      g_set_error (error, LAB_ENGINE_ERROR, LAB_ENGINE_ERROR_INVALID,
                   _("%s: %d × %d is not a size that can be exported (%d to %d on each side)"),
                   path, width, height, LAB_EXPORT_MIN_SIZE, LAB_EXPORT_MAX_SIZE);
      return FALSE;
    }
  if (!(scale > 0.0) || scale > 16.0)
    scale = 1.0;

  node = offscreen_node (plot_type, like, model, width, height, &scale, &lw, &lh);
  if ((file = lab_file_replace_new (path, error)) == NULL)
    {
      g_clear_pointer (&node, gsk_render_node_unref);
      return FALSE;
    }
  status = draw_to_file (node, format, lab_file_replace_stream (file), width, height, lw, lh);
  saved = errno;   /* of a write that failed */
  g_clear_pointer (&node, gsk_render_node_unref);

  if (status != CAIRO_STATUS_SUCCESS)
    {
      lab_file_replace_abort (file);
      g_set_error (error, LAB_ENGINE_ERROR, LAB_ENGINE_ERROR_IO, _("%s: could not write: %s"),
                   path, status == CAIRO_STATUS_WRITE_ERROR ? g_strerror (saved)
                                                            : cairo_status_to_string (status));
      return FALSE;
    }
  return lab_file_replace_commit (file, error);
}
