/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * test-colours.c: colours a person with a colour-vision deficiency, or a class looking at a
 * projector, can tell apart.
 *
 * Colour-vision deficiencies are simulated with the matrices of Machado, Oliveira & Fernandes
 * (2009, "A physiologically-based model for simulation of color vision deficiency"), severity
 * 1.0, applied to linear RGB; differences are CIEDE2000 (Sharma, Wu & Dalal 2005), checked here
 * against that paper's test pairs. Thresholds, on the scale of Mokrzycki & Tatol (2011) where
 * ΔE 3.5–5 is a clear difference and ΔE > 5 reads as two colours: neighbouring layers differ by
 * ≥ 10 (two colours at a glance) for networks of up to 6 layers and by ≥ 4.5 up to 12 layers
 * (the most a 12-step sequential ramp reaches for every deficiency: viridis and plasma, built
 * for it, fall to 3.8 and 2.2), first and last layer by ≥ 30; the weight map's two ends by
 * ≥ 30, and every colour of the map by ≥ 10 from the pruned colour.
 *
 * Presenter mode: every label of the window, rendered in the light and the dark theme, meets
 * WCAG 2.1 AA contrast against what is behind it (4.5:1, or 3:1 for large text: 18 pt, or
 * 14 pt bold), and so does the plots' text.
 */
#define G_LOG_DOMAIN "test-colours"

#include "config.h"

#include <math.h>

#include <gtk/gtk.h>

#include "lab-colormap.h"
#include "lab-palette.h"
#include "lab-plot-style.h"
#include "lab-test-ui.h"
#include "lab-test-utils.h"
#include "lab-weights-view.h"
#include "lab-window-classroom.h"
#include "lab-window.h"

/* --- colour science ----------------------------------------------------------------------- */

typedef struct
{
  double L, a, b;
} Lab;

typedef enum
{
  VISION_NORMAL,
  VISION_PROTANOPIA,
  VISION_DEUTERANOPIA,
  VISION_TRITANOPIA,
  N_VISIONS
} Vision;

static const char *const vision_names[N_VISIONS] = {
  "normal", "protanopia", "deuteranopia", "tritanopia",
};

/* Machado et al. (2009), table for severity 1.0; rows act on linear (R, G, B). */
static const double machado[N_VISIONS][3][3] = {
  { { 1, 0, 0 }, { 0, 1, 0 }, { 0, 0, 1 } },
  { { 0.152286, 1.052583, -0.204868 },
    { 0.114503, 0.786281, 0.099216 },
    { -0.003882, -0.048116, 1.051998 } },
  { { 0.367322, 0.860646, -0.227968 },
    { 0.280085, 0.672501, 0.047413 },
    { -0.011820, 0.042940, 0.968881 } },
  { { 1.255528, -0.076749, -0.178779 },
    { -0.078411, 0.930809, 0.147602 },
    { 0.004733, 0.691367, 0.303900 } },
};

static double
srgb_to_linear (double c)
{
  return c <= 0.04045 ? c / 12.92 : pow ((c + 0.055) / 1.055, 2.4);
}

static double
lab_f (double t)
{
  return t > 216.0 / 24389 ? cbrt (t) : (24389.0 / 27 * t + 16) / 116;
}

/* sRGB @rgb as seen with @vision, in CIELAB (D65). */
static Lab
to_lab (const double rgb[3],
        Vision       vision)
{
  double lin[3], s[3], X, Y, Z;

  for (guint i = 0; i < 3; i++)
    lin[i] = srgb_to_linear (rgb[i]);
  for (guint i = 0; i < 3; i++)
    s[i] = CLAMP (machado[vision][i][0] * lin[0] + machado[vision][i][1] * lin[1] +
                  machado[vision][i][2] * lin[2], 0.0, 1.0);
  X = 0.4124564 * s[0] + 0.3575761 * s[1] + 0.1804375 * s[2];
  Y = 0.2126729 * s[0] + 0.7151522 * s[1] + 0.0721750 * s[2];
  Z = 0.0193339 * s[0] + 0.1191920 * s[1] + 0.9503041 * s[2];
  return (Lab) { 116 * lab_f (Y) - 16, 500 * (lab_f (X / 0.95047) - lab_f (Y)),
                 200 * (lab_f (Y) - lab_f (Z / 1.08883)) };
}

static double
deg (double r)
{
  return r * 180 / G_PI;
}

static double
rad (double d)
{
  return d * G_PI / 180;
}

/* CIEDE2000 colour difference (Sharma, Wu & Dalal 2005, equations 1–23; kL = kC = kH = 1). */
static double
ciede2000 (Lab x,
           Lab y)
{
  double cb = (hypot (x.a, x.b) + hypot (y.a, y.b)) / 2;
  double g = 0.5 * (1 - sqrt (pow (cb, 7) / (pow (cb, 7) + pow (25, 7))));
  double a1 = (1 + g) * x.a, a2 = (1 + g) * y.a;
  double c1 = hypot (a1, x.b), c2 = hypot (a2, y.b);
  double h1 = c1 == 0 ? 0 : fmod (deg (atan2 (x.b, a1)) + 360, 360);
  double h2 = c2 == 0 ? 0 : fmod (deg (atan2 (y.b, a2)) + 360, 360);
  double dl = y.L - x.L, dc = c2 - c1, dh = 0, hb, lb, cbp, t, sl, sc, sh, rt;

  if (c1 * c2 != 0)
    {
      dh = h2 - h1;
      if (dh > 180)
        dh -= 360;
      else if (dh < -180)
        dh += 360;
    }
  dh = 2 * sqrt (c1 * c2) * sin (rad (dh / 2));
  lb = (x.L + y.L) / 2;
  cbp = (c1 + c2) / 2;
  if (c1 * c2 == 0)
    hb = h1 + h2;
  else if (fabs (h1 - h2) <= 180)
    hb = (h1 + h2) / 2;
  else
    hb = h1 + h2 < 360 ? (h1 + h2 + 360) / 2 : (h1 + h2 - 360) / 2;
  t = 1 - 0.17 * cos (rad (hb - 30)) + 0.24 * cos (rad (2 * hb)) +
      0.32 * cos (rad (3 * hb + 6)) - 0.20 * cos (rad (4 * hb - 63));
  sl = 1 + 0.015 * (lb - 50) * (lb - 50) / sqrt (20 + (lb - 50) * (lb - 50));
  sc = 1 + 0.045 * cbp;
  sh = 1 + 0.015 * cbp * t;
  rt = -sin (rad (2 * 30 * exp (-pow ((hb - 275) / 25, 2)))) *
       2 * sqrt (pow (cbp, 7) / (pow (cbp, 7) + pow (25, 7)));
  return sqrt (pow (dl / sl, 2) + pow (dc / sc, 2) + pow (dh / sh, 2) +
               rt * (dc / sc) * (dh / sh));
}

static double
difference (const double a[3],
            const double b[3],
            Vision       vision)
{
  return ciede2000 (to_lab (a, vision), to_lab (b, vision));
}

/* WCAG 2.1 relative luminance and contrast ratio. */
static double
luminance (const double rgb[3])
{
  return 0.2126 * srgb_to_linear (rgb[0]) + 0.7152 * srgb_to_linear (rgb[1]) +
         0.0722 * srgb_to_linear (rgb[2]);
}

static double
contrast (const double a[3],
          const double b[3])
{
  double la = luminance (a), lb = luminance (b);

  return (MAX (la, lb) + 0.05) / (MIN (la, lb) + 0.05);
}

static void
rgba_to (const GdkRGBA *c,
         double         rgb[3])
{
  rgb[0] = c->red;
  rgb[1] = c->green;
  rgb[2] = c->blue;
}

/* The references the checks below stand on. */
static void
test_references (void)
{
  static const struct { Lab x, y; double de; } sharma[] = {
    /* Sharma, Wu & Dalal (2005), table 1: pairs 1, 2, 3, 7 and 25 */
    { { 50.0000, 2.6772, -79.7751 }, { 50.0000, 0.0000, -82.7485 }, 2.0425 },
    { { 50.0000, 3.1571, -77.2803 }, { 50.0000, 0.0000, -82.7485 }, 2.8615 },
    { { 50.0000, 2.8361, -74.0200 }, { 50.0000, 0.0000, -82.7485 }, 3.4412 },
    { { 50.0000, 0.0000, 0.0000 }, { 50.0000, -1.0000, 2.0000 }, 2.3669 },
    { { 60.2574, -34.0099, 36.2677 }, { 60.4626, -34.1751, 39.4387 }, 1.2644 },
  };
  static const double white[3] = { 1, 1, 1 }, black[3] = { 0, 0, 0 };
  static const double grey[3] = { 0x76 / 255.0, 0x76 / 255.0, 0x76 / 255.0 };

  for (guint i = 0; i < G_N_ELEMENTS (sharma); i++)
    {
      g_assert_cmpfloat_with_epsilon (ciede2000 (sharma[i].x, sharma[i].y), sharma[i].de, 1e-4);
      g_assert_cmpfloat_with_epsilon (ciede2000 (sharma[i].y, sharma[i].x), sharma[i].de, 1e-4);
    }
  /* each simulation keeps white white (the rows sum to 1: the matrices are typed right) */
  for (guint v = 0; v < N_VISIONS; v++)
    for (guint i = 0; i < 3; i++)
      g_assert_cmpfloat_with_epsilon (machado[v][i][0] + machado[v][i][1] + machado[v][i][2], 1.0,
                                      1e-5);
  /* sRGB white is L* 100, and a deuteranope cannot tell pure red from a dark yellow-green as a
   * trichromat can */
  g_assert_cmpfloat_with_epsilon (to_lab (white, VISION_NORMAL).L, 100, 0.01);
  {
    static const double red[3] = { 1, 0, 0 }, olive[3] = { 0.55, 0.47, 0.0 };

    g_assert_cmpfloat (difference (red, olive, VISION_NORMAL), >, 20);
    g_assert_cmpfloat (difference (red, olive, VISION_DEUTERANOPIA), <, 10);
  }
  /* WCAG: black on white is 21:1; #767676 on white is the lightest grey at 4.5:1 (4.54) */
  g_assert_cmpfloat_with_epsilon (contrast (black, white), 21, 1e-9);
  g_assert_cmpfloat_with_epsilon (contrast (grey, white), 4.54, 0.01);
}

/* --- the layer palette and the weight map -------------------------------------------------- */

static void
layer_rgb (guint   l,
           guint   n,
           double  rgb[3])
{
  GdkRGBA c;

  lab_palette_layer_color (l, n, &c);
  rgba_to (&c, rgb);
}

static void
test_layers (void)
{
  for (guint v = 0; v < N_VISIONS; v++)
    {
      double worst_small = G_MAXDOUBLE, worst_deep = G_MAXDOUBLE, worst_ends = G_MAXDOUBLE;

      for (guint n = 2; n <= 12; n++)
        {
          double first[3], last[3];

          for (guint l = 0; l + 1 < n; l++)
            {
              double a[3], b[3], de;

              layer_rgb (l, n, a);
              layer_rgb (l + 1, n, b);
              de = difference (a, b, v);
              if (n <= 6)
                worst_small = MIN (worst_small, de);
              worst_deep = MIN (worst_deep, de);
            }
          layer_rgb (0, n, first);
          layer_rgb (n - 1, n, last);
          worst_ends = MIN (worst_ends, difference (first, last, v));
        }
      g_test_message ("layers, %s: neighbours ΔE00 ≥ %.1f (2–6 layers), ≥ %.1f (2–12 layers); "
                      "first and last ≥ %.1f", vision_names[v], worst_small, worst_deep,
                      worst_ends);
      g_assert_cmpfloat (worst_small, >=, 10);
      g_assert_cmpfloat (worst_deep, >=, 4.5);
      g_assert_cmpfloat (worst_ends, >=, 30);
    }
}

static void
test_weights (void)
{
  GtkWidget *view = lab_weights_view_new ();
  GtkWidget *win = gtk_window_new ();
  GdkRGBA pruned_rgba;
  double neg[3], pos[3], pruned[3];
  float f[3];

  /* the pruned colour as the view finds it (style.css may override it) */
  gtk_window_set_child (GTK_WINDOW (win), view);
  lab_weights_view_get_pruned_color (LAB_WEIGHTS_VIEW (view), &pruned_rgba);
  rgba_to (&pruned_rgba, pruned);
  gtk_window_destroy (GTK_WINDOW (win));

  lab_colormap_diverging (-1, 1, f);
  neg[0] = f[0], neg[1] = f[1], neg[2] = f[2];
  lab_colormap_diverging (1, 1, f);
  pos[0] = f[0], pos[1] = f[1], pos[2] = f[2];
  for (guint v = 0; v < N_VISIONS; v++)
    {
      double ends = difference (neg, pos, v), nearest = G_MAXDOUBLE;

      /* every colour a kept weight can have, against the pruned colour */
      for (int i = -100; i <= 100; i++)
        {
          double c[3];

          lab_colormap_diverging (i / 100.0, 1, f);
          c[0] = f[0], c[1] = f[1], c[2] = f[2];
          nearest = MIN (nearest, difference (c, pruned, v));
        }
      g_test_message ("weights, %s: negative vs positive end ΔE00 %.1f; nearest colour to the "
                      "pruned colour %.1f", vision_names[v], ends, nearest);
      g_assert_cmpfloat (ends, >=, 30);
      g_assert_cmpfloat (nearest, >=, 10);
    }
}

/* --- presenter-mode contrast -------------------------------------------------------------- */

/* The window as drawn, read back as RGBA bytes. */
static guchar *
render (GtkWidget *widget,
        int       *w,
        int       *h)
{
  g_autoptr (GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  g_autoptr (GskRenderer) renderer = gsk_cairo_renderer_new ();
  g_autoptr (GdkTexture) texture = NULL;
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  GskRenderNode *node;
  guchar *pixels;

  *w = gtk_widget_get_width (widget);
  *h = gtk_widget_get_height (widget);
  gdk_paintable_snapshot (paintable, snapshot, *w, *h);
  node = gtk_snapshot_free_to_node (snapshot);
  g_assert_true (gsk_renderer_realize (renderer, NULL, NULL));
  texture = gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, *w, *h));
  gsk_render_node_unref (node);
  gsk_renderer_unrealize (renderer);
  pixels = g_malloc ((gsize) *w * *h * 4);
  gdk_texture_download (texture, pixels, *w * 4);   /* Cairo ARGB32, opaque: B, G, R, A */
  return pixels;
}

static void
pixel_rgb (const guchar *p,
           double        rgb[3])
{
  rgb[0] = p[2] / 255.0;
  rgb[1] = p[1] / 255.0;
  rgb[2] = p[0] / 255.0;
}

/* Large text in WCAG's sense: 18 pt, or 14 pt bold. */
static gboolean
is_large (GtkWidget *label)
{
  const PangoFontDescription *font =
    pango_context_get_font_description (gtk_widget_get_pango_context (label));
  double pt = pango_font_description_get_size (font) / (double) PANGO_SCALE;

  if (pango_font_description_get_size_is_absolute (font))
    pt *= 0.75;   /* px to pt at 96 dpi */
  return pt >= 18 || (pt >= 14 && pango_font_description_get_weight (font) >= PANGO_WEIGHT_BOLD);
}

/* The contrast of @label's text as drawn: its background is the commonest colour in its
 * bounds, its text colour the one farthest from that (the cores of the glyphs); -1 when it is
 * scrolled out of sight. */
static double
label_contrast (GtkWidget    *label,
                GtkWidget    *window,
                const guchar *pixels,
                int           w,
                int           h)
{
  g_autoptr (GHashTable) counts = g_hash_table_new (NULL, NULL);
  guint32 bg_key = 0, best_count = 0;
  double bg[3], ratio = 1;
  graphene_rect_t r;
  int x0, y0, x1, y1;

  g_assert_true (gtk_widget_compute_bounds (label, window, &r));
  /* only what a scrolled window shows of it */
  for (GtkWidget *a = label; a != NULL; a = gtk_widget_get_parent (a))
    {
      graphene_rect_t view;

      if (GTK_IS_SCROLLED_WINDOW (a) && gtk_widget_compute_bounds (a, window, &view) &&
          !graphene_rect_intersection (&r, &view, &r))
        return -1;
    }
  if (r.size.height < 8)
    return -1;
  x0 = MAX (0, (int) r.origin.x);
  y0 = MAX (0, (int) r.origin.y);
  x1 = MIN (w, (int) (r.origin.x + r.size.width));
  y1 = MIN (h, (int) (r.origin.y + r.size.height));
  for (int y = y0; y < y1; y++)
    for (int x = x0; x < x1; x++)
      {
        guint32 key = *(const guint32 *) (const void *) &pixels[(y * w + x) * 4] & 0xffffff;
        guint32 n = GPOINTER_TO_UINT (g_hash_table_lookup (counts, GUINT_TO_POINTER (key))) + 1;

        g_hash_table_insert (counts, GUINT_TO_POINTER (key), GUINT_TO_POINTER (n));
        if (n > best_count)
          {
            best_count = n;
            bg_key = key;
          }
      }
  pixel_rgb ((const guchar *) &bg_key, bg);
  for (int y = y0; y < y1; y++)
    for (int x = x0; x < x1; x++)
      {
        double c[3];

        pixel_rgb (&pixels[(y * w + x) * 4], c);
        ratio = MAX (ratio, contrast (c, bg));
      }
  return ratio;
}

/* Checks every label under @w; the ones that fail go into @failed. */
static void
check_labels (GtkWidget    *w,
              GtkWidget    *window,
              const guchar *pixels,
              int           width,
              int           height,
              GString      *failed,
              guint        *n,
              GString      *worst)
{
  if (GTK_IS_LABEL (w) && gtk_widget_is_drawable (w) &&
      *gtk_label_get_text (GTK_LABEL (w)) != '\0' && gtk_widget_get_width (w) > 0)
    {
      double ratio = label_contrast (w, window, pixels, width, height);
      double need = is_large (w) ? 3.0 : 4.5;

      if (ratio < 0)
        return;
      if (ratio < need)
        g_string_append_printf (failed, " “%s” (%s) %.2f:1 < %.1f:1;",
                                gtk_label_get_text (GTK_LABEL (w)),
                                G_OBJECT_TYPE_NAME (gtk_widget_get_parent (w)), ratio, need);
      if (worst->len == 0 || ratio / need < g_ascii_strtod (worst->str, NULL))
        g_string_printf (worst, "%.4f “%s” %.2f:1 (needs %.1f:1)", ratio / need,
                         gtk_label_get_text (GTK_LABEL (w)), ratio, need);
      (*n)++;
    }
  for (GtkWidget *c = gtk_widget_get_first_child (w); c != NULL; c = gtk_widget_get_next_sibling (c))
    check_labels (c, window, pixels, width, height, failed, n, worst);
}

static GtkWidget *
find_plot (GtkWidget *w)
{
  if (LAB_IS_PLOT (w) && gtk_widget_is_drawable (w))
    return w;
  for (GtkWidget *c = gtk_widget_get_first_child (w); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_plot (c);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static void
check_presenter (LabWindow  *win,
                 const char *theme)
{
  GtkWidget *window = GTK_WIDGET (win);
  g_autofree guchar *pixels = NULL;
  g_autoptr (GString) failed = g_string_new (NULL);
  g_autoptr (GString) worst = g_string_new (NULL);
  LabPlotStyle s;
  double fg[3], bg[3], muted[3];
  guint n = 0;
  int w, h;

  /* the change reaches a frame, and the theme's transitions (200 ms) run out */
  gtk_test_widget_wait_for_draw (window);
  for (gint64 end = g_get_monotonic_time () + 400000; g_get_monotonic_time () < end;)
    if (!g_main_context_iteration (NULL, FALSE))
      g_usleep (1000);
  gtk_test_widget_wait_for_draw (window);
  pixels = render (window, &w, &h);
  check_labels (window, window, pixels, w, h, failed, &n, worst);
  if (failed->len > 0)
    g_error ("%s presenter mode, under WCAG AA contrast:%s", theme, failed->str);
  /* the label closest to its minimum, after its ratio to it */
  g_test_message ("%s presenter mode: %u labels at WCAG AA contrast; the closest: %s", theme, n,
                  strchr (worst->str, ' ') + 1);
  g_assert_cmpuint (n, >=, 15);

  /* the plots' text: the style's text and secondary text colours on its background */
  lab_plot_style_init (find_plot (window), &s);
  g_assert_true (s.presenter);
  rgba_to (&s.fg, fg);
  rgba_to (&s.background, bg);
  for (guint i = 0; i < 3; i++)
    muted[i] = s.muted.alpha * (&s.muted.red)[i] + (1 - s.muted.alpha) * bg[i];
  g_test_message ("%s presenter mode: plot text %.1f:1, secondary text %.1f:1", theme,
                  contrast (fg, bg), contrast (muted, bg));
  g_assert_cmpfloat (contrast (fg, bg), >=, 4.5);
  g_assert_cmpfloat (contrast (muted, bg), >=, 4.5);
}

/* The window as it is (paused), then with the status line's state in each of its colours
 * (the classes lab-window-status.c gives it; the session stays paused, so no snapshot
 * changes them back meanwhile). */
static void
check_states (LabWindow  *win,
              const char *theme)
{
  static const char *const states[][2] = {
    { "running", "Running" }, { "finished", "Finished" }, { "failed", "Stopped: diverged" },
  };
  GtkWidget *label = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (win),
                                                                LAB_TYPE_WINDOW, "state_label"));
  g_autofree char *paused = g_strdup (gtk_label_get_text (GTK_LABEL (label)));

  check_presenter (win, theme);
  for (guint i = 0; i < G_N_ELEMENTS (states); i++)
    {
      g_autofree char *name = g_strdup_printf ("%s, %s", theme, states[i][0]);

      gtk_widget_add_css_class (label, states[i][0]);
      gtk_label_set_text (GTK_LABEL (label), states[i][1]);
      check_presenter (win, name);
      gtk_widget_remove_css_class (label, states[i][0]);
    }
  gtk_label_set_text (GTK_LABEL (label), paused);
}

static void
test_presenter_contrast (void)
{
  g_autoptr (GtkCssProvider) css = gtk_css_provider_new ();
  g_autoptr (GError) error = NULL;
  LabWindow *win;

  /* the application's style sheet, as gradlab loads it */
  gtk_css_provider_load_from_resource (css, "/io/github/gradlab/GradientLab/style.css");
  gtk_style_context_add_provider_for_display (gdk_display_get_default (),
                                              GTK_STYLE_PROVIDER (css),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  win = g_object_ref (lab_window_new (NULL, NULL));
  gtk_window_set_default_size (GTK_WINDOW (win), 1600, 1000);
  gtk_window_present (GTK_WINDOW (win));
  /* every kind of text presenter mode shows: status line, toolbar, lesson, error banner */
  g_assert_true (lab_window_open_lesson_file (win, "02-vanishing-gradients", &error));
  g_assert_no_error (error);
  lab_window_show_error (win, "An error message, shown in the banner");
  lab_window_set_presenter (win, TRUE);
  gtk_widget_activate_action (GTK_WIDGET (win), "win.step", NULL);
  while (lab_plot_model_get_last_row (lab_window_get_plot_model (win))->step == 0)
    g_main_context_iteration (NULL, TRUE);   /* the status line has its numbers */

  check_states (win, "light");
  g_object_set (gtk_settings_get_default (), "gtk-application-prefer-dark-theme", TRUE, NULL);
  check_states (win, "dark");
  g_object_set (gtk_settings_get_default (), "gtk-application-prefer-dark-theme", FALSE, NULL);

  gtk_window_destroy (GTK_WINDOW (win));
  g_assert_finalize_object (win);
  gtk_style_context_remove_provider_for_display (gdk_display_get_default (),
                                                 GTK_STYLE_PROVIDER (css));
}

int
main (int   argc,
      char *argv[])
{
  if (!lab_test_init_ui (&argc, &argv))
    return g_test_run ();

  g_test_add_func ("/ui/colours/references", test_references);
  g_test_add_func ("/ui/colours/vision/layers", test_layers);
  g_test_add_func ("/ui/colours/vision/weights", test_weights);
  g_test_add_func ("/ui/colours/presenter-contrast", test_presenter_contrast);

  return g_test_run ();
}
