/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-plot-style.c: how a plot looks this frame, from its CSS (see lab-plot-style.h).
 */
#define G_LOG_DOMAIN "lab-plot-style"

#include "config.h"

#include <string.h>

#include "lab-palette.h"
#include "lab-plot-style.h"

static gboolean
lookup_color (GtkStyleContext *ctx,
              const char      *const *names,
              GdkRGBA         *out)
{
  for (guint i = 0; names[i] != NULL; i++)
    if (gtk_style_context_lookup_color (ctx, names[i], out))
      return TRUE;
  return FALSE;
}

void
lab_plot_style_init (GtkWidget    *widget,
                     LabPlotStyle *s)
{
  static const char *const bg_names[] = { "view_bg_color", "theme_base_color", NULL };
  static const char *const accent_names[] = { "accent_color", "theme_selected_bg_color", NULL };
  GtkStyleContext *ctx;
  double lum;

  g_return_if_fail (GTK_IS_WIDGET (widget));
  g_return_if_fail (s != NULL);

  memset (s, 0, sizeof *s);
  ctx = gtk_widget_get_style_context (widget);
  gtk_style_context_get_color (ctx, &s->fg);

  lum = 0.2126 * s->fg.red + 0.7152 * s->fg.green + 0.0722 * s->fg.blue;
  s->dark = lum > 0.5;

  s->muted = lab_palette_alpha (&s->fg, 0.72);
  s->grid = lab_palette_alpha (&s->fg, 0.11);

  if (!lookup_color (ctx, bg_names, &s->background))
    s->background = s->dark ? (GdkRGBA) { 0.14f, 0.14f, 0.14f, 1.f }
                            : (GdkRGBA) { 1.f, 1.f, 1.f, 1.f };
  if (!lookup_color (ctx, accent_names, &s->accent))
    s->accent = (GdkRGBA) { 0.21f, 0.52f, 0.89f, 1.f };

  s->tooltip_bg = s->dark ? (GdkRGBA) { 0.10f, 0.10f, 0.10f, 0.94f }
                          : (GdkRGBA) { 1.f, 1.f, 1.f, 0.96f };

  for (GtkWidget *w = widget; w != NULL; w = gtk_widget_get_parent (w))
    {
      s->presenter |= gtk_widget_has_css_class (w, "presenter");
      s->vector |= gtk_widget_has_css_class (w, "export");
    }
  s->scale = MAX (1, gtk_widget_get_scale_factor (widget));

  s->font_scale = s->presenter ? 1.6 : 1.0;
  s->line_width = s->presenter ? 3.0 : 1.5;

  /* presenter mode: high contrast for a projector (pure black on white, or white on black) */
  if (s->presenter)
    {
      s->fg = s->dark ? (GdkRGBA) { 1.f, 1.f, 1.f, 1.f } : (GdkRGBA) { 0.f, 0.f, 0.f, 1.f };
      s->background = s->dark ? (GdkRGBA) { 0.f, 0.f, 0.f, 1.f } : (GdkRGBA) { 1.f, 1.f, 1.f, 1.f };
      s->muted = lab_palette_alpha (&s->fg, 0.92);
      s->grid = lab_palette_alpha (&s->fg, 0.22);
    }
}
