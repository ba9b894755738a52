/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-palette.c: the fixed colours of the plots (see lab-palette.h).
 */
#define G_LOG_DOMAIN "lab-palette"

#include "config.h"

#include <math.h>

#include "lab-palette.h"

/* A sequential ramp blue → violet → lilac → salmon → gold that rises in lightness from input
 * to output (CIELAB L* 28 → 82) as its hue walks, so neighbouring layers differ in lightness
 * too and stay apart for colour-vision deficiencies: at every depth of 2 to 12 layers,
 * neighbours differ by CIEDE2000 ≥ 10 up to 6 layers and ≥ 4.5 up to 12, for protanopia,
 * deuteranopia and tritanopia as simulated by Machado et al. (2009) (tests/test-colours.c).
 * The earlier equal-lightness ramp fell to 0.4 for deuteranopia. No wrap-around, so 33 layers
 * stay an ordered walk. */
void
lab_palette_layer_color (guint    layer,
                         guint    n_layers,
                         GdkRGBA *color)
{
  static const float stops[][3] = {
    { 0x05 / 255.f, 0x42 / 255.f, 0x81 / 255.f },   /* #054281 dark blue */
    { 0x5a / 255.f, 0x00 / 255.f, 0xe6 / 255.f },   /* #5a00e6 violet */
    { 0xc4 / 255.f, 0x60 / 255.f, 0xf6 / 255.f },   /* #c460f6 lilac */
    { 0xe2 / 255.f, 0x82 / 255.f, 0x6e / 255.f },   /* #e2826e salmon */
    { 0xff / 255.f, 0xc3 / 255.f, 0x00 / 255.f },   /* #ffc300 gold */
  };
  const guint n_stops = G_N_ELEMENTS (stops);
  double t, f;
  guint i;

  g_return_if_fail (color != NULL);

  t = n_layers > 1 ? (double) MIN (layer, n_layers - 1) / (n_layers - 1) : 0.0;
  f = t * (n_stops - 1);
  i = MIN ((guint) f, n_stops - 2);
  f -= i;

  color->red = stops[i][0] + (stops[i + 1][0] - stops[i][0]) * f;
  color->green = stops[i][1] + (stops[i + 1][1] - stops[i][1]) * f;
  color->blue = stops[i][2] + (stops[i + 1][2] - stops[i][2]) * f;
  color->alpha = 1.0f;
}

void
lab_palette_layer_color_in (LabLayerSelection *sel,
                            guint              layer,
                            guint              n_layers,
                            GdkRGBA           *color)
{
  guint g, first = G_MAXUINT, last = 0;
  GdkRGBA base;

  if (sel == NULL || lab_layer_selection_get_n_layers (sel) != n_layers ||
      lab_layer_selection_get_n_groups (sel) < 2 || layer >= n_layers)
    {
      lab_palette_layer_color (layer, n_layers, color);
      return;
    }
  /* its depth in its group: where it stands between the group's first and last layer */
  g = lab_layer_selection_get_group (sel, layer);
  for (guint l = 0; l < n_layers; l++)
    if (lab_layer_selection_get_group (sel, l) == g)
      {
        first = MIN (first, l);
        last = l;
      }
  lab_palette_group_color (g, &base);
  lab_palette_shade (&base, last > first ? (double) (layer - first) / (last - first) : 0.5,
                     color);
}

void
lab_palette_group_color (guint    g,
                         GdkRGBA *color)
{
  /* yellow and grey left out: shaded lighter they vanish into a light background */
  static const guint classes[] = { 0, 1, 2, 3, 4, 5 };

  lab_palette_class_color (classes[g % G_N_ELEMENTS (classes)], color);
}

void
lab_palette_shade (const GdkRGBA *base,
                   double         t,
                   GdkRGBA       *color)
{
  /* ±40 %: the two ends of a group stay its hue and apart from each other */
  double k = 0.8 * (CLAMP (t, 0.0, 1.0) - 0.5);
  float to = k < 0 ? 0.f : 1.f;

  k = fabs (k);
  color->red = (float) (base->red + (to - base->red) * k);
  color->green = (float) (base->green + (to - base->green) * k);
  color->blue = (float) (base->blue + (to - base->blue) * k);
  color->alpha = base->alpha;
}

/* Okabe & Ito's colour-blind-safe palette (black replaced by grey-blue for the points' outline
 * contrast). */
void
lab_palette_class_color (guint    k,
                         GdkRGBA *color)
{
  static const guint8 palette[LAB_PALETTE_N_CLASSES][3] = {
    { 0x00, 0x72, 0xb2 },   /* blue */
    { 0xe6, 0x9f, 0x00 },   /* orange */
    { 0x00, 0x9e, 0x73 },   /* bluish green */
    { 0xcc, 0x79, 0xa7 },   /* reddish purple */
    { 0xd5, 0x5e, 0x00 },   /* vermillion */
    { 0x56, 0xb4, 0xe9 },   /* sky blue */
    { 0xf0, 0xe4, 0x42 },   /* yellow */
    { 0x8c, 0x8c, 0xa0 },   /* grey */
  };

  g_return_if_fail (color != NULL);

  k %= LAB_PALETTE_N_CLASSES;
  *color = (GdkRGBA) { palette[k][0] / 255.f, palette[k][1] / 255.f, palette[k][2] / 255.f, 1 };
}

/* A categorical set for criteria: magnitude, gradient, saliency, random … */
void
lab_palette_criterion_color (guint    i,
                             GdkRGBA *color)
{
  static const GdkRGBA colors[] = {
    { 0.16f, 0.48f, 0.89f, 1.f },
    { 0.90f, 0.45f, 0.05f, 1.f },
    { 0.15f, 0.64f, 0.41f, 1.f },
    { 0.55f, 0.35f, 0.85f, 1.f },
    { 0.85f, 0.20f, 0.25f, 1.f },
    { 0.10f, 0.65f, 0.70f, 1.f },
    { 0.75f, 0.60f, 0.10f, 1.f },
    { 0.55f, 0.55f, 0.55f, 1.f },
  };

  g_return_if_fail (color != NULL);

  *color = colors[i % G_N_ELEMENTS (colors)];
}

GdkRGBA
lab_palette_alpha (const GdkRGBA *c,
                   double         alpha)
{
  GdkRGBA r = *c;

  r.alpha = (float) (c->alpha * alpha);
  return r;
}

void
lab_palette_pruned_color (GtkWidget *widget,
                          GdkRGBA   *color)
{
  GtkStyleContext *ctx = gtk_widget_get_style_context (widget);

  if (!gtk_style_context_lookup_color (ctx, "plot_pruned_color", color))
    gdk_rgba_parse (color, "#4c566a");
}
