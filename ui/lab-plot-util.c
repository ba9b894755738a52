/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-plot-util.c: the drawing helpers shared by every plot (see lab-plot-util.h). Text goes
 * through the widget's Pango context and gtk_snapshot_append_layout(), rectangles through
 * gtk_snapshot_append_color(), lines through gtk_snapshot_append_cairo() bounded by the data
 * rectangle, so each plot is a handful of render nodes per frame. On screen, the envelopes and
 * solid lines of series go into coverage masks instead of paths (see "Series masks" below).
 */
#define G_LOG_DOMAIN "lab-plot"

#include "config.h"

#include <math.h>
#include <string.h>

#include "lab-plot-util.h"

#define MIN_TEXT_PX   11.0   /* no label smaller than this, ever */
#define PAD           8.0

/* --- style ------------------------------------------------------------------------------- */

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

GdkRGBA
lab_plot_rgba_alpha (const GdkRGBA *c,
                     double         alpha)
{
  GdkRGBA r = *c;

  r.alpha = (float) (c->alpha * alpha);
  return r;
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

  s->muted = lab_plot_rgba_alpha (&s->fg, 0.72);
  s->grid = lab_plot_rgba_alpha (&s->fg, 0.11);

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
      s->muted = lab_plot_rgba_alpha (&s->fg, 0.92);
      s->grid = lab_plot_rgba_alpha (&s->fg, 0.22);
    }
}

/* --- axes -------------------------------------------------------------------------------- */

#define LOG_MIN 1e-12
#define LOG_MAX 1e12

void
lab_plot_axis_init (LabPlotAxis *a,
                    double       lo,
                    double       hi,
                    gboolean     log)
{
  g_return_if_fail (a != NULL);

  a->log = log;
  if (!isfinite (lo) || !isfinite (hi))
    {
      lo = log ? 1e-8 : 0.0;
      hi = 1.0;
    }
  if (lo > hi)
    {
      double t = lo;
      lo = hi;
      hi = t;
    }
  if (log)
    {
      if (hi <= 0)
        {
          lo = 1e-8;
          hi = 1.0;
        }
      else if (lo <= 0)
        lo = hi * 1e-3;
      lo = CLAMP (lo, LOG_MIN, LOG_MAX);
      hi = CLAMP (hi, LOG_MIN, LOG_MAX);
      if (hi <= lo * 1.0001)
        {
          lo /= 3.0;
          hi *= 3.0;
        }
    }
  else if (hi - lo <= 1e-12 * MAX (1.0, fabs (hi)))
    {
      double d = fabs (hi) > 0 ? fabs (hi) * 0.1 : 1.0;
      lo -= d;
      hi += d;
    }
  a->lo = lo;
  a->hi = hi;
}

static double
nice_step (double range,
           guint  target)
{
  double raw = range / MAX (target, 1);
  double mag = pow (10.0, floor (log10 (raw)));
  double f = raw / mag;

  if (f <= 1.0)
    return mag;
  if (f <= 2.0)
    return 2.0 * mag;
  if (f <= 2.5)
    return 2.5 * mag;
  if (f <= 5.0)
    return 5.0 * mag;
  return 10.0 * mag;
}

void
lab_plot_axis_nice (LabPlotAxis *a)
{
  g_return_if_fail (a != NULL);

  if (a->log)
    {
      double lo = floor (log10 (a->lo) + 1e-9);
      double hi = ceil (log10 (a->hi) - 1e-9);

      if (hi <= lo)
        hi = lo + 1;
      a->lo = CLAMP (pow (10.0, lo), LOG_MIN, LOG_MAX);
      a->hi = CLAMP (pow (10.0, hi), LOG_MIN, LOG_MAX);
    }
  else
    {
      double step = nice_step (a->hi - a->lo, 5);

      a->lo = floor (a->lo / step + 1e-9) * step;
      a->hi = ceil (a->hi / step - 1e-9) * step;
    }
}

double
lab_plot_axis_map (const LabPlotAxis *a,
                   double             v)
{
  if (isnan (v))
    return NAN;
  if (a->log)
    {
      if (v <= 0)
        return NAN;
      return (log10 (v) - log10 (a->lo)) / (log10 (a->hi) - log10 (a->lo));
    }
  return (v - a->lo) / (a->hi - a->lo);
}

double
lab_plot_axis_unmap (const LabPlotAxis *a,
                     double             t)
{
  if (a->log)
    return pow (10.0, log10 (a->lo) + t * (log10 (a->hi) - log10 (a->lo)));
  return a->lo + t * (a->hi - a->lo);
}

guint
lab_plot_axis_ticks (const LabPlotAxis *a,
                     guint              target,
                     double            *ticks,
                     guint              max)
{
  guint n = 0;

  max = MIN (max, LAB_PLOT_MAX_TICKS);
  target = CLAMP (target, 2, max);

  if (a->log)
    {
      int e0 = (int) ceil (log10 (a->lo) - 1e-9);
      int e1 = (int) floor (log10 (a->hi) + 1e-9);
      int stride = 1;

      while ((e1 - e0) / stride + 1 > (int) target)
        stride++;
      /* Keep the ticks on multiples of the stride so they do not jump while the range grows. */
      for (int e = e0; e <= e1 && n < max; e++)
        if (((e % stride) + stride) % stride == 0)
          ticks[n++] = pow (10.0, e);
    }
  else
    {
      double step = nice_step (a->hi - a->lo, target);
      double first = ceil (a->lo / step - 1e-9) * step;

      for (double v = first; v <= a->hi + step * 1e-6 && n < max; v += step)
        ticks[n++] = fabs (v) < step * 1e-9 ? 0.0 : v;
    }

  return n;
}

void
lab_plot_append_superscript (GString *str,
                             int      e)
{
  static const char *const digits[] = {
    "⁰", "¹", "²", "³", "⁴", "⁵", "⁶", "⁷", "⁸", "⁹",
  };
  char buf[16];

  if (e < 0)
    g_string_append (str, "⁻");
  g_snprintf (buf, sizeof buf, "%d", ABS (e));
  for (const char *p = buf; *p; p++)
    g_string_append (str, digits[*p - '0']);
}

void
lab_plot_format_sci (double  v,
                     char   *buf,
                     gsize   len)
{
  GString *str;
  double m;
  int e;

  if (isnan (v))
    {
      g_strlcpy (buf, "NaN", len);
      return;
    }
  if (isinf (v))
    {
      g_strlcpy (buf, v > 0 ? "∞" : "−∞", len);
      return;
    }
  if (v == 0)
    {
      g_strlcpy (buf, "0", len);
      return;
    }
  if (fabs (v) >= 0.01 && fabs (v) < 1000)
    {
      g_snprintf (buf, len, fabs (v) >= 100 ? "%.0f" : fabs (v) >= 10 ? "%.1f" : "%.3g", v);
      return;
    }

  e = (int) floor (log10 (fabs (v)));
  m = v / pow (10.0, e);
  if (fabs (m) >= 9.95)
    {
      m /= 10;
      e++;
    }
  str = g_string_new (NULL);
  if (fabs (fabs (m) - 1.0) < 0.05)
    g_string_append (str, m < 0 ? "−10" : "10");
  else
    g_string_append_printf (str, "%.1f×10", m);
  lab_plot_append_superscript (str, e);
  g_strlcpy (buf, str->str, len);
  g_string_free (str, TRUE);
}

void
lab_plot_axis_format (const LabPlotAxis *a,
                      double             v,
                      char              *buf,
                      gsize              len)
{
  if (a->log)
    {
      GString *str = g_string_new ("10");
      int e = (int) lround (log10 (v));

      if (fabs (log10 (v) - e) > 1e-6)
        {
          lab_plot_format_sci (v, buf, len);
          g_string_free (str, TRUE);
          return;
        }
      if (e == 0)
        g_strlcpy (buf, "1", len);
      else
        {
          lab_plot_append_superscript (str, e);
          g_strlcpy (buf, str->str, len);
        }
      g_string_free (str, TRUE);
      return;
    }
  else
    {
      double range = fabs (a->hi - a->lo);
      double av = fabs (v);
      const char *suffix = "";
      double div = 1.0;
      int decimals;

      if (av >= 1e9 || (av > 0 && av < 1e-4))
        {
          /* beyond M, or below what six decimals show: 2.5×10¹², as the log axes write it */
          lab_plot_format_sci (v, buf, len);
          return;
        }
      if (av >= 1e6 || (av >= 1e4 && range >= 1e4))
        {
          suffix = av >= 1e6 ? "M" : "k";
          div = av >= 1e6 ? 1e6 : 1e3;
        }
      /* the fewest decimals that show the tick value exactly (87.5, 90, 0.25, 1.5k) */
      for (decimals = 0; decimals < 6; decimals++)
        {
          double scaled = v / div * pow (10.0, decimals);

          if (fabs (scaled - round (scaled)) < 1e-6 * MAX (1.0, fabs (scaled)))
            break;
        }
      g_snprintf (buf, len, "%.*f%s", decimals, v / div, suffix);
      if (buf[0] == '-')
        {
          /* a real minus sign reads better than a hyphen */
          char tmp[64];
          g_snprintf (tmp, sizeof tmp, "−%s", buf + 1);
          g_strlcpy (buf, tmp, len);
        }
    }
}

/* --- text -------------------------------------------------------------------------------- */

PangoLayout *
lab_plot_layout_new (GtkWidget          *widget,
                     const LabPlotStyle *s,
                     const char         *text,
                     double              rel,
                     gboolean            bold)
{
  PangoContext *pctx = gtk_widget_get_pango_context (widget);
  const PangoFontDescription *base = pango_context_get_font_description (pctx);
  PangoFontDescription *desc;
  PangoLayout *layout;
  double px = 13.0;

  if (base != NULL && pango_font_description_get_size (base) > 0)
    {
      px = (double) pango_font_description_get_size (base) / PANGO_SCALE;
      if (!pango_font_description_get_size_is_absolute (base))
        px *= 96.0 / 72.0;
    }
  px = MAX (px * rel, MIN_TEXT_PX) * s->font_scale;

  desc = base != NULL ? pango_font_description_copy (base) : pango_font_description_new ();
  pango_font_description_set_absolute_size (desc, px * PANGO_SCALE);
  if (bold)
    pango_font_description_set_weight (desc, PANGO_WEIGHT_BOLD);

  layout = gtk_widget_create_pango_layout (widget, NULL);
  pango_layout_set_font_description (layout, desc);
  if (text != NULL)
    pango_layout_set_text (layout, text, -1);
  pango_font_description_free (desc);

  return layout;
}

/* Layouts of plain labels, cached per widget (and its Pango context). A plot measures and draws the same
 * strings ("step", tick labels, legend names, the probes of lab_plot_area_init()) on every
 * frame, and creating and shaping them again each time was ~7 % of the Gradients page's
 * main-thread time (perf). A context's serial changes with its font, font options or
 * resolution, which empties its cache; so does reaching LAYOUT_CACHE_MAX entries, as tick
 * labels come and go while a run's ranges grow. */
#define LAYOUT_CACHE_MAX 512

typedef struct
{
  PangoContext *context; /* the layouts' context: compared, not owned */
  guint         serial;  /* of the context when the layouts were made */
  GHashTable   *layouts; /* "rel|bold|font_scale|text" → PangoLayout (owned) */
} LayoutCache;

static void
layout_cache_free (gpointer data)
{
  LayoutCache *cache = data;

  g_hash_table_unref (cache->layouts);
  g_free (cache);
}

/* A layout of @text that the caller must not change; (transfer none): valid until the next
 * call. */
static PangoLayout *
cached_layout (GtkWidget          *widget,
               const LabPlotStyle *s,
               const char         *text,
               double              rel,
               gboolean            bold)
{
  PangoContext *pctx = gtk_widget_get_pango_context (widget);
  /* kept on the widget, not on the context: each layout holds a reference to its context, so
   * a cache stored on the context kept it (and itself) alive for ever (LeakSanitizer) */
  LayoutCache *cache = g_object_get_data (G_OBJECT (widget), "lab-plot-layouts");
  PangoLayout *layout;
  char key[256];

  if (g_snprintf (key, sizeof key, "%g|%d|%g|%s", rel, bold, s->font_scale, text) >=
      (int) sizeof key)
    {
      /* too long to be a label: not worth keeping */
      layout = lab_plot_layout_new (widget, s, text, rel, bold);
      g_object_set_data_full (G_OBJECT (widget), "lab-plot-long-layout", layout, g_object_unref);
      return layout;
    }
  if (cache == NULL)
    {
      cache = g_new0 (LayoutCache, 1);
      cache->layouts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
      cache->context = pctx;
      cache->serial = pango_context_get_serial (pctx);
      g_object_set_data_full (G_OBJECT (widget), "lab-plot-layouts", cache, layout_cache_free);
    }
  if (cache->context != pctx || cache->serial != pango_context_get_serial (pctx) ||
      g_hash_table_size (cache->layouts) >= LAYOUT_CACHE_MAX)
    {
      g_hash_table_remove_all (cache->layouts);
      cache->context = pctx;
      cache->serial = pango_context_get_serial (pctx);
    }
  layout = g_hash_table_lookup (cache->layouts, key);
  if (layout == NULL)
    {
      layout = lab_plot_layout_new (widget, s, text, rel, bold);
      g_hash_table_insert (cache->layouts, g_strdup (key), layout);
    }
  return layout;
}

void
lab_plot_text_size (GtkWidget          *widget,
                    const LabPlotStyle *s,
                    const char         *text,
                    double              rel,
                    gboolean            bold,
                    double             *w,
                    double             *h)
{
  PangoLayout *layout = cached_layout (widget, s, text, rel, bold);
  int lw, lh;

  pango_layout_get_pixel_size (layout, &lw, &lh);
  if (w != NULL)
    *w = lw;
  if (h != NULL)
    *h = lh;
}

static void
append_layout_at (GtkSnapshot   *snapshot,
                  PangoLayout   *layout,
                  const GdkRGBA *color,
                  double         x,
                  double         y)
{
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (round (x), round (y)));
  gtk_snapshot_append_layout (snapshot, layout, color);
  gtk_snapshot_restore (snapshot);
}

void
lab_plot_draw_text (GtkSnapshot        *snapshot,
                    GtkWidget          *widget,
                    const LabPlotStyle *s,
                    const char         *text,
                    double              rel,
                    gboolean            bold,
                    const GdkRGBA      *color,
                    double              x,
                    double              y,
                    double              xalign,
                    double              yalign,
                    double             *w,
                    double             *h)
{
  PangoLayout *layout = cached_layout (widget, s, text, rel, bold);
  int lw, lh;

  pango_layout_get_pixel_size (layout, &lw, &lh);
  append_layout_at (snapshot, layout, color != NULL ? color : &s->fg,
                    x - xalign * lw, y - yalign * lh);
  if (w != NULL)
    *w = lw;
  if (h != NULL)
    *h = lh;
}

/* --- plot area --------------------------------------------------------------------------- */

#define TITLE_REL 1.05
#define TICK_REL  0.9
#define AXIS_REL  0.9

void
lab_plot_area_init (LabPlotArea        *area,
                    GtkWidget          *widget,
                    const LabPlotStyle *s,
                    int                 width,
                    int                 height,
                    LabPlotAreaFlags    flags)
{
  double title_h, tick_w, tick_h, axis_h;
  double left, right, top, bottom;

  g_return_if_fail (area != NULL);

  lab_plot_text_size (widget, s, "Title", TITLE_REL, TRUE, NULL, &title_h);
  lab_plot_text_size (widget, s, "−0.000", TICK_REL, FALSE, &tick_w, &tick_h);
  lab_plot_text_size (widget, s, "step", AXIS_REL, FALSE, NULL, &axis_h);

  area->width = width;
  area->height = height;
  area->title_y = PAD * 0.75;

  top = area->title_y + title_h + PAD;
  left = PAD + axis_h + PAD * 0.5 + tick_w + PAD * 0.5;
  right = (flags & LAB_PLOT_AREA_RIGHT_AXIS) ? PAD * 0.5 + tick_w + PAD * 0.5 + axis_h + PAD
                                              : PAD * 2;
  bottom = (flags & LAB_PLOT_AREA_NO_X_AXIS) ? PAD * 2 + tick_h
                                              : PAD * 0.5 + tick_h + PAD * 0.25 + axis_h + PAD;

  area->data = GRAPHENE_RECT_INIT ((float) left, (float) top,
                                   (float) MAX (1.0, width - left - right),
                                   (float) MAX (1.0, height - top - bottom));
  area->x_title_y = height - PAD * 0.75;
  area->legend_x = 0;
  area->legend_y = -1;
}

double
lab_plot_area_x (const LabPlotArea *area,
                 const LabPlotAxis *xa,
                 double             v)
{
  double t = lab_plot_axis_map (xa, v);

  return area->data.origin.x + t * area->data.size.width;
}

double
lab_plot_area_y (const LabPlotArea *area,
                 const LabPlotAxis *ya,
                 double             v)
{
  double t = lab_plot_axis_map (ya, v);

  return area->data.origin.y + (1.0 - t) * area->data.size.height;
}

gboolean
lab_plot_area_contains (const LabPlotArea *area,
                        double             x,
                        double             y)
{
  return graphene_rect_contains_point (&area->data, &GRAPHENE_POINT_INIT ((float) x, (float) y));
}

/* --- decorations ------------------------------------------------------------------------- */

void
lab_plot_fill_rect (GtkSnapshot   *snapshot,
                    const GdkRGBA *color,
                    double         x,
                    double         y,
                    double         w,
                    double         h)
{
  if (w <= 0 || h <= 0)
    return;
  gtk_snapshot_append_color (snapshot, color,
                             &GRAPHENE_RECT_INIT ((float) x, (float) y, (float) w, (float) h));
}

void
lab_plot_damage_all (GtkSnapshot *snapshot,
                     GtkWidget   *widget)
{
  static GQuark quark;
  guint frame;
  GdkRGBA invisible;

  g_return_if_fail (GTK_IS_WIDGET (widget));

  if (quark == 0)
    quark = g_quark_from_static_string ("lab-plot-damage-frame");
  frame = GPOINTER_TO_UINT (g_object_get_qdata (G_OBJECT (widget), quark)) + 1;
  g_object_set_qdata (G_OBJECT (widget), quark, GUINT_TO_POINTER (frame));
  /* fully transparent, so it draws nothing; its colour alternates, so it never equals the
   * last frame's node */
  invisible = (GdkRGBA) { (float) (frame % 2), 0.f, 0.f, 0.f };
  gtk_snapshot_append_color (snapshot, &invisible,
                             &GRAPHENE_RECT_INIT (0, 0, (float) gtk_widget_get_width (widget),
                                                  (float) gtk_widget_get_height (widget)));
}

void
lab_plot_draw_background (GtkSnapshot        *snapshot,
                          const LabPlotStyle *s,
                          const LabPlotArea  *area)
{
  GskRoundedRect rr;
  GdkRGBA card = lab_plot_rgba_alpha (&s->fg, 0.035);

  gsk_rounded_rect_init_from_rect (&rr,
                                   &GRAPHENE_RECT_INIT (0, 0, (float) area->width,
                                                        (float) area->height),
                                   8.f);
  gtk_snapshot_push_rounded_clip (snapshot, &rr);
  gtk_snapshot_append_color (snapshot, &card, &rr.bounds);
  gtk_snapshot_pop (snapshot);
}

void
lab_plot_draw_title (GtkSnapshot        *snapshot,
                     GtkWidget          *widget,
                     const LabPlotStyle *s,
                     const LabPlotArea  *area,
                     const char         *title,
                     const char         *subtitle)
{
  double avail = area->width - PAD * 3;
  int w = 0, h = 0;

  if (title != NULL)
    {
      /* ellipsized to the widget width; a narrow plot keeps its title readable and unclipped */
      PangoLayout *layout = lab_plot_layout_new (widget, s, title, TITLE_REL, TRUE);

      pango_layout_set_width (layout, (int) MAX (1.0, avail) * PANGO_SCALE);
      pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
      pango_layout_get_pixel_size (layout, &w, &h);
      append_layout_at (snapshot, layout, &s->fg, PAD * 1.5, area->title_y);
      g_object_unref (layout);
    }
  if (subtitle != NULL)
    {
      double sw, sh;

      lab_plot_text_size (widget, s, subtitle, AXIS_REL, FALSE, &sw, &sh);
      if (w + PAD + sw <= avail)
        lab_plot_draw_text (snapshot, widget, s, subtitle, AXIS_REL, FALSE, &s->muted,
                            PAD * 1.5 + w + PAD, area->title_y + (h - sh) * 0.7, 0, 0,
                            NULL, NULL);
    }
}

static void
draw_y_ticks (GtkSnapshot        *snapshot,
              GtkWidget          *widget,
              const LabPlotStyle *s,
              const LabPlotArea  *area,
              const LabPlotAxis  *ya,
              gboolean            right,
              gboolean            grid)
{
  const graphene_rect_t *d = &area->data;
  double ticks[LAB_PLOT_MAX_TICKS];
  double tick_h;
  guint target, n;

  lab_plot_text_size (widget, s, "0", TICK_REL, FALSE, NULL, &tick_h);
  target = (guint) CLAMP (d->size.height / (tick_h * 2.2), 2, 8);
  n = lab_plot_axis_ticks (ya, target, ticks, G_N_ELEMENTS (ticks));

  for (guint i = 0; i < n; i++)
    {
      double y = round (lab_plot_area_y (area, ya, ticks[i]));
      char label[64];

      if (y < d->origin.y - 0.5 || y > d->origin.y + d->size.height + 0.5)
        continue;
      if (grid)
        lab_plot_fill_rect (snapshot, &s->grid, d->origin.x, y - 0.5, d->size.width, 1);
      /* a short tick mark outside the frame */
      lab_plot_fill_rect (snapshot, &s->muted,
                          right ? d->origin.x + d->size.width : d->origin.x - 4, y - 0.5, 4, 1);
      lab_plot_axis_format (ya, ticks[i], label, sizeof label);
      if (right)
        lab_plot_draw_text (snapshot, widget, s, label, TICK_REL, FALSE, &s->muted,
                            d->origin.x + d->size.width + PAD * 0.75, y, 0, 0.5, NULL, NULL);
      else
        lab_plot_draw_text (snapshot, widget, s, label, TICK_REL, FALSE, &s->muted,
                            d->origin.x - PAD * 0.75, y, 1, 0.5, NULL, NULL);
    }
}

static void
draw_rotated_title (GtkSnapshot        *snapshot,
                    GtkWidget          *widget,
                    const LabPlotStyle *s,
                    const char         *text,
                    double              cx,
                    double              cy,
                    double              angle,
                    double              max_len)
{
  PangoLayout *layout = lab_plot_layout_new (widget, s, text, AXIS_REL, FALSE);
  PangoRectangle logical;

  pango_layout_set_width (layout, (int) MAX (1.0, max_len) * PANGO_SCALE);
  pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
  pango_layout_set_alignment (layout, PANGO_ALIGN_CENTER);

  /* centred on (cx, cy): the text sits at logical.x inside the max_len-wide layout, so centre
   * the text's own extent, not a box starting at 0 (which put every title at the axis's end) */
  pango_layout_get_pixel_extents (layout, NULL, &logical);
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (round (cx), round (cy)));
  gtk_snapshot_rotate (snapshot, (float) angle);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (-(logical.x + logical.width / 2.f),
                                                          -(logical.y + logical.height / 2.f)));
  gtk_snapshot_append_layout (snapshot, layout, &s->muted);
  gtk_snapshot_restore (snapshot);
  g_object_unref (layout);
}

/* Centred under the data, but kept inside the widget, and ellipsized when wider than it (large
 * presenter type on a narrow plot would otherwise cut both ends off). */
static void
draw_x_title (GtkSnapshot        *snapshot,
              GtkWidget          *widget,
              const LabPlotStyle *s,
              const LabPlotArea  *area,
              const char         *text)
{
  const graphene_rect_t *d = &area->data;
  double avail = MAX (1.0, area->width - 2 * PAD);
  double lw, lh, x;
  PangoLayout *layout = NULL;

  lab_plot_text_size (widget, s, text, AXIS_REL, FALSE, &lw, &lh);
  if (lw > avail)
    {
      int w, h;

      layout = lab_plot_layout_new (widget, s, text, AXIS_REL, FALSE);
      pango_layout_set_width (layout, (int) avail * PANGO_SCALE);
      pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
      pango_layout_get_pixel_size (layout, &w, &h);
      lw = w;
      lh = h;
    }
  x = CLAMP (d->origin.x + d->size.width / 2 - lw / 2, PAD, MAX (PAD, area->width - PAD - lw));
  if (layout != NULL)
    {
      append_layout_at (snapshot, layout, &s->muted, x, area->x_title_y - lh);
      g_object_unref (layout);
    }
  else
    lab_plot_draw_text (snapshot, widget, s, text, AXIS_REL, FALSE, &s->muted, x,
                        area->x_title_y, 0, 1, NULL, NULL);
}

void
lab_plot_draw_axes (GtkSnapshot        *snapshot,
                    GtkWidget          *widget,
                    const LabPlotStyle *s,
                    const LabPlotArea  *area,
                    const LabPlotAxis  *xa,
                    const char         *x_title,
                    const LabPlotAxis  *ya,
                    const char         *y_title,
                    const LabPlotAxis  *y2,
                    const char         *y2_title)
{
  const graphene_rect_t *d = &area->data;
  GdkRGBA frame = lab_plot_rgba_alpha (&s->fg, 0.35);
  double axis_h;

  lab_plot_text_size (widget, s, "step", AXIS_REL, FALSE, NULL, &axis_h);

  if (ya != NULL)
    draw_y_ticks (snapshot, widget, s, area, ya, FALSE, TRUE);
  if (y2 != NULL)
    draw_y_ticks (snapshot, widget, s, area, y2, TRUE, ya == NULL);

  if (xa != NULL)
    {
      double ticks[LAB_PLOT_MAX_TICKS];
      double label_w;
      guint target, n;
      double last_right = -G_MAXDOUBLE;

      lab_plot_text_size (widget, s, "00.0k", TICK_REL, FALSE, &label_w, NULL);
      target = (guint) CLAMP (d->size.width / (label_w * 2.0), 2, 10);
      n = lab_plot_axis_ticks (xa, target, ticks, G_N_ELEMENTS (ticks));

      for (guint i = 0; i < n; i++)
        {
          double x = round (lab_plot_area_x (area, xa, ticks[i]));
          char label[64];
          double tw;

          if (x < d->origin.x - 0.5 || x > d->origin.x + d->size.width + 0.5)
            continue;
          lab_plot_fill_rect (snapshot, &s->grid, x - 0.5, d->origin.y, 1, d->size.height);
          lab_plot_fill_rect (snapshot, &s->muted, x - 0.5, d->origin.y + d->size.height, 1, 4);
          lab_plot_axis_format (xa, ticks[i], label, sizeof label);
          lab_plot_text_size (widget, s, label, TICK_REL, FALSE, &tw, NULL);
          /* never let two labels touch, and keep the last one inside the widget */
          if (x - tw / 2 < last_right + PAD || x + tw / 2 > area->width - 2)
            continue;
          lab_plot_draw_text (snapshot, widget, s, label, TICK_REL, FALSE, &s->muted,
                              x, d->origin.y + d->size.height + PAD * 0.5, 0.5, 0, NULL, NULL);
          last_right = x + tw / 2;
        }
    }

  /* frame: left and bottom axis lines stronger, the other two faint */
  lab_plot_fill_rect (snapshot, &frame, d->origin.x - 0.5, d->origin.y, 1, d->size.height);
  lab_plot_fill_rect (snapshot, &frame, d->origin.x - 0.5, d->origin.y + d->size.height - 0.5,
                      d->size.width + 1, 1);
  if (y2 != NULL)
    lab_plot_fill_rect (snapshot, &frame, d->origin.x + d->size.width - 0.5, d->origin.y,
                        1, d->size.height);
  else
    lab_plot_fill_rect (snapshot, &s->grid, d->origin.x + d->size.width - 0.5, d->origin.y,
                        1, d->size.height);
  lab_plot_fill_rect (snapshot, &s->grid, d->origin.x - 0.5, d->origin.y - 0.5,
                      d->size.width + 1, 1);

  if (x_title != NULL && xa != NULL)
    draw_x_title (snapshot, widget, s, area, x_title);
  if (y_title != NULL)
    draw_rotated_title (snapshot, widget, s, y_title, PAD + axis_h / 2,
                        d->origin.y + d->size.height / 2, -90, d->size.height + PAD * 2);
  if (y2_title != NULL)
    draw_rotated_title (snapshot, widget, s, y2_title, area->width - PAD - axis_h / 2,
                        d->origin.y + d->size.height / 2, 90, d->size.height + PAD * 2);
}

static void
draw_swatch (GtkSnapshot             *snapshot,
             const LabPlotStyle      *s,
             const LabPlotLegendItem *item,
             double                   x,
             double                   y,
             double                   w,
             double                   h)
{
  double cy = y + h / 2;
  double lw = MAX (2.0, s->line_width);

  switch (item->swatch)
    {
    case LAB_PLOT_SWATCH_BOX:
      lab_plot_fill_rect (snapshot, &item->color, x + 2, y + h * 0.2, w - 4, h * 0.6);
      break;
    case LAB_PLOT_SWATCH_DASH:
      for (double dx = 0; dx < w; dx += w / 3)
        lab_plot_fill_rect (snapshot, &item->color, x + dx, cy - lw / 2, w / 5, lw);
      break;
    case LAB_PLOT_SWATCH_MARKER:
      {
        GskRoundedRect rr;
        double r = lw * 1.6;

        lab_plot_fill_rect (snapshot, &item->color, x, cy - lw / 2, w, lw);
        gsk_rounded_rect_init_from_rect (&rr, &GRAPHENE_RECT_INIT ((float) (x + w / 2 - r),
                                                                   (float) (cy - r),
                                                                   (float) (2 * r),
                                                                   (float) (2 * r)),
                                         (float) r);
        gtk_snapshot_push_rounded_clip (snapshot, &rr);
        gtk_snapshot_append_color (snapshot, &item->color, &rr.bounds);
        gtk_snapshot_pop (snapshot);
      }
      break;
    case LAB_PLOT_SWATCH_LINE:
    default:
      lab_plot_fill_rect (snapshot, &item->color, x, cy - lw / 2, w, lw);
      break;
    }
}

static void
legend_item_size (GtkWidget               *widget,
                  const LabPlotStyle      *s,
                  const LabPlotLegendItem *items,
                  guint                    n_items,
                  double                  *item_w,
                  double                  *item_h,
                  double                  *sw_w)
{
  *item_w = 0;
  *item_h = 0;
  for (guint i = 0; i < n_items; i++)
    {
      double w, h;

      lab_plot_text_size (widget, s, items[i].name, TICK_REL, FALSE, &w, &h);
      *item_w = MAX (*item_w, w);
      *item_h = MAX (*item_h, h);
    }
  *sw_w = *item_h * 1.4;
  *item_w += *sw_w + PAD * 0.5 + PAD;
}

static void
legend_grid (double  avail_h,
             double  item_h,
             guint   n_items,
             guint  *n_cols,
             guint  *n_rows)
{
  guint rows = (guint) MAX (1.0, floor ((avail_h - PAD) / item_h));

  rows = MIN (rows, n_items);
  *n_cols = (n_items + rows - 1) / rows;
  *n_rows = (n_items + *n_cols - 1) / *n_cols;
}

gboolean
lab_plot_area_reserve_legend (LabPlotArea             *area,
                              GtkWidget               *widget,
                              const LabPlotStyle      *s,
                              const LabPlotLegendItem *items,
                              guint                    n_items)
{
  double item_w, item_h, sw_w, box_w;
  guint n_cols, n_rows;

  if (n_items == 0)
    return FALSE;
  legend_item_size (widget, s, items, n_items, &item_w, &item_h, &sw_w);
  legend_grid (area->data.size.height, item_h, n_items, &n_cols, &n_rows);
  box_w = n_cols * item_w + PAD * 0.5 + PAD;
  if (area->data.size.width - box_w < 0.6 * area->width)
    return FALSE;
  area->data.size.width -= (float) box_w;
  return TRUE;
}

gboolean
lab_plot_area_reserve_title_legend (LabPlotArea             *area,
                                    GtkWidget               *widget,
                                    const LabPlotStyle      *s,
                                    const char              *title,
                                    const LabPlotLegendItem *items,
                                    guint                    n_items)
{
  double item_w, item_h, sw_w, total, tw, th, dy;

  area->legend_y = -1;
  if (n_items == 0)
    return FALSE;
  legend_item_size (widget, s, items, n_items, &item_w, &item_h, &sw_w);
  total = n_items * item_w;
  lab_plot_text_size (widget, s, title, TITLE_REL, TRUE, &tw, &th);
  area->legend_x = area->width - PAD - total;
  if (area->legend_x >= PAD * 1.5 + tw + PAD * 2)
    {
      area->legend_y = area->title_y;
      return TRUE;
    }
  if (total > area->width - 2 * PAD)
    return FALSE;
  /* a row under the title: it would otherwise cover the data's top right */
  dy = item_h + PAD * 0.25;
  if (area->data.size.height - dy < 0.6 * (area->data.size.height))
    return FALSE;
  area->legend_y = area->title_y + th + PAD * 0.25;
  area->data.origin.y += (float) dy;
  area->data.size.height -= (float) dy;
  return TRUE;
}

void
lab_plot_draw_legend (GtkSnapshot             *snapshot,
                      GtkWidget               *widget,
                      const LabPlotStyle      *s,
                      const LabPlotArea       *area,
                      const LabPlotLegendItem *items,
                      guint                    n_items,
                      LabPlotLegendPos         pos)
{
  const graphene_rect_t *d = &area->data;
  double item_w = 0, item_h = 0, sw_w, box_w, box_h, x0, y0;
  guint n_cols, n_rows;

  if (n_items == 0)
    return;

  legend_item_size (widget, s, items, n_items, &item_w, &item_h, &sw_w);

  if (pos == LAB_PLOT_LEGEND_TITLE_LINE)
    {
      if (area->legend_y >= 0)
        {
          for (guint i = 0; i < n_items; i++)
            {
              double x = area->legend_x + i * item_w;

              draw_swatch (snapshot, s, &items[i], x, area->legend_y, sw_w, item_h);
              lab_plot_draw_text (snapshot, widget, s, items[i].name, TICK_REL, FALSE, &s->fg,
                                  x + sw_w + PAD * 0.5, area->legend_y, 0, 0, NULL, NULL);
            }
          return;
        }
      pos = LAB_PLOT_LEGEND_TOP_RIGHT;
    }

  /* as many rows as fit in 70 % of the data height (all of it outside), then more columns */
  legend_grid (d->size.height * (pos == LAB_PLOT_LEGEND_OUTSIDE_RIGHT ? 1.0 : 0.7), item_h,
               n_items, &n_cols, &n_rows);
  box_w = n_cols * item_w + PAD * 0.5;
  box_h = n_rows * item_h + PAD;

  /* a legend that would hide most of the data helps nobody: leave it out on tiny plots */
  if (pos != LAB_PLOT_LEGEND_OUTSIDE_RIGHT &&
      (box_w > 0.6 * d->size.width || box_h > 0.6 * d->size.height))
    return;

  switch (pos)
    {
    case LAB_PLOT_LEGEND_TOP_LEFT:
      x0 = d->origin.x + PAD;
      y0 = d->origin.y + PAD;
      break;
    case LAB_PLOT_LEGEND_BOTTOM_RIGHT:
      x0 = d->origin.x + d->size.width - PAD - box_w;
      y0 = d->origin.y + d->size.height - PAD - box_h;
      break;
    case LAB_PLOT_LEGEND_BOTTOM_LEFT:
      x0 = d->origin.x + PAD;
      y0 = d->origin.y + d->size.height - PAD - box_h;
      break;
    case LAB_PLOT_LEGEND_OUTSIDE_RIGHT:
      x0 = d->origin.x + d->size.width + PAD;
      y0 = d->origin.y;
      break;
    case LAB_PLOT_LEGEND_TOP_RIGHT:
    case LAB_PLOT_LEGEND_TITLE_LINE:
    default:
      x0 = d->origin.x + d->size.width - PAD - box_w;
      y0 = d->origin.y + PAD;
      break;
    }

  {
    GskRoundedRect rr;
    GdkRGBA bg = lab_plot_rgba_alpha (&s->tooltip_bg, 0.85);

    gsk_rounded_rect_init_from_rect (&rr, &GRAPHENE_RECT_INIT ((float) x0, (float) y0,
                                                               (float) box_w, (float) box_h),
                                     4.f);
    gtk_snapshot_push_rounded_clip (snapshot, &rr);
    gtk_snapshot_append_color (snapshot, &bg, &rr.bounds);
    gtk_snapshot_pop (snapshot);
  }

  for (guint i = 0; i < n_items; i++)
    {
      guint col = i / n_rows, row = i % n_rows;
      double x = x0 + PAD * 0.5 + col * item_w;
      double y = y0 + PAD * 0.5 + row * item_h;

      draw_swatch (snapshot, s, &items[i], x, y, sw_w, item_h);
      lab_plot_draw_text (snapshot, widget, s, items[i].name, TICK_REL, FALSE, &s->fg,
                          x + sw_w + PAD * 0.5, y, 0, 0, NULL, NULL);
    }
}

void
lab_plot_draw_message (GtkSnapshot        *snapshot,
                       GtkWidget          *widget,
                       const LabPlotStyle *s,
                       const LabPlotArea  *area,
                       const char         *message)
{
  const graphene_rect_t *d = &area->data;
  double avail = MAX (1.0, d->size.width - 2 * PAD);
  double w, h;
  PangoLayout *layout;
  int lw, lh;

  lab_plot_text_size (widget, s, message, 1.1, FALSE, &w, &h);
  if (w <= avail)
    {
      lab_plot_draw_text (snapshot, widget, s, message, 1.1, FALSE, &s->muted,
                          d->origin.x + d->size.width / 2, d->origin.y + d->size.height / 2,
                          0.5, 0.5, NULL, NULL);
      return;
    }
  /* a narrow plot: wrapped to the data area, centred line by line */
  layout = lab_plot_layout_new (widget, s, message, 1.1, FALSE);
  pango_layout_set_width (layout, (int) avail * PANGO_SCALE);
  pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
  pango_layout_set_alignment (layout, PANGO_ALIGN_CENTER);
  pango_layout_get_pixel_size (layout, &lw, &lh);
  append_layout_at (snapshot, layout, &s->muted, d->origin.x + PAD,
                    d->origin.y + (d->size.height - lh) / 2);
  g_object_unref (layout);
}

static void
rounded_path (cairo_t *cr,
              double   x,
              double   y,
              double   w,
              double   h,
              double   r)
{
  cairo_new_sub_path (cr);
  cairo_arc (cr, x + w - r, y + r, r, -G_PI / 2, 0);
  cairo_arc (cr, x + w - r, y + h - r, r, 0, G_PI / 2);
  cairo_arc (cr, x + r, y + h - r, r, G_PI / 2, G_PI);
  cairo_arc (cr, x + r, y + r, r, G_PI, 3 * G_PI / 2);
  cairo_close_path (cr);
}

void
lab_plot_draw_tooltip (GtkSnapshot        *snapshot,
                       GtkWidget          *widget,
                       const LabPlotStyle *s,
                       const LabPlotArea  *area,
                       double              x,
                       double              y,
                       const char         *text,
                       gboolean            markup,
                       const GdkRGBA      *dot_color)
{
  PangoLayout *layout = lab_plot_layout_new (widget, s, NULL, TICK_REL, FALSE);
  double bw, bh, bx, by, off = 12 * s->font_scale;
  GdkRGBA border = lab_plot_rgba_alpha (&s->fg, 0.3);
  cairo_t *cr;
  int lw, lh;

  if (markup)
    pango_layout_set_markup (layout, text, -1);
  else
    pango_layout_set_text (layout, text, -1);
  pango_layout_get_pixel_size (layout, &lw, &lh);

  bw = lw + PAD * 2;
  bh = lh + PAD * 1.5;
  bx = x + off;
  by = y - off - bh;
  if (bx + bw > area->width - 2)
    bx = x - off - bw;
  if (bx < 2)
    bx = 2;
  if (by < 2)
    by = y + off;
  if (by + bh > area->height - 2)
    by = MAX (2, area->height - 2 - bh);

  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, (float) area->width,
                                                                 (float) area->height));
  if (dot_color != NULL)
    {
      double r = 4.0 * s->font_scale;

      cairo_arc (cr, x, y, r + 1.5, 0, 2 * G_PI);
      gdk_cairo_set_source_rgba (cr, &s->tooltip_bg);
      cairo_fill (cr);
      cairo_arc (cr, x, y, r, 0, 2 * G_PI);
      gdk_cairo_set_source_rgba (cr, dot_color);
      cairo_fill (cr);
    }
  rounded_path (cr, bx + 0.5, by + 0.5, bw, bh, 5);
  gdk_cairo_set_source_rgba (cr, &s->tooltip_bg);
  cairo_fill_preserve (cr);
  gdk_cairo_set_source_rgba (cr, &border);
  cairo_set_line_width (cr, 1);
  cairo_stroke (cr);
  cairo_destroy (cr);

  append_layout_at (snapshot, layout, &s->fg, bx + PAD, by + PAD * 0.75);
  g_object_unref (layout);
}

/* --- series ------------------------------------------------------------------------------ */

typedef struct
{
  double x;      /* pixel x of the column */
  double lo;     /* pixel y of min (bottom) */
  double hi;     /* pixel y of max (top) */
  double sum;    /* sum of pixel y of the line */
  guint  n;
  guint  pad;
} Column;

GArray *
lab_plot_scratch_new (void)
{
  return g_array_new (FALSE, FALSE, sizeof (Column));
}

static inline double
clamp_px (double v)
{
  return CLAMP (v, -1e5, 1e5);
}

static void
series_path_line (cairo_t      *cr,
                  const Column *cols,
                  guint         n)
{
  gboolean pen = FALSE;

  for (guint i = 0; i < n; i++)
    {
      if (cols[i].n == 0)
        {
          pen = FALSE;
          continue;
        }
      if (pen)
        cairo_line_to (cr, cols[i].x, cols[i].sum / cols[i].n);
      else
        cairo_move_to (cr, cols[i].x, cols[i].sum / cols[i].n);
      pen = TRUE;
    }
}

/* The next run of filled columns at or after *@i: columns [*@start, *@end), with *@i moved past
 * it; FALSE when none is left. An empty column breaks the envelope, so it is drawn run by run,
 * the same way by the path and by the mask. */
static gboolean
next_column_run (const Column *cols,
                 guint         n,
                 guint        *i,
                 guint        *start,
                 guint        *end)
{
  while (*i < n && cols[*i].n == 0)
    (*i)++;
  if (*i >= n)
    return FALSE;
  *start = *i;
  while (*i < n && cols[*i].n > 0)
    (*i)++;
  *end = *i;   /* exclusive */
  return TRUE;
}

static void
series_path_band (cairo_t      *cr,
                  const Column *cols,
                  guint         n)
{
  guint i = 0, start, end;

  while (next_column_run (cols, n, &i, &start, &end))
    {
      if (end - start == 1)
        {
          /* a lone column: a thin vertical bar */
          cairo_rectangle (cr, cols[start].x - 0.75, cols[start].hi, 1.5,
                           MAX (0.5, cols[start].lo - cols[start].hi));
          continue;
        }
      cairo_move_to (cr, cols[start].x, cols[start].hi);
      for (guint j = start + 1; j < end; j++)
        cairo_line_to (cr, cols[j].x, cols[j].hi);
      for (guint j = end; j-- > start;)
        cairo_line_to (cr, cols[j].x, cols[j].lo);
      cairo_close_path (cr);
    }
}

/* Series masks. On screen, envelopes and solid lines are not drawn as Cairo paths: filling a
 * spiky envelope or stroking a 750-vertex line costs Cairo's scan converter time in proportion
 * to the total height of every edge (by callgrind, the bands were ~60 % and the lines ~25 % of
 * the Gradients page's render time), both for a series reduced to one column per pixel and for
 * a shorter one a few pixels apart (the first seconds of a run). Instead their coverage is
 * written into an A8 mask, touching only the pixels they cover, and composited with the series
 * colour in one pixman call. Dashed lines and markers (test evaluations: a few points) stay
 * Cairo paths.
 *
 * A mask spans the data rectangle's columns and the rows the series reaches, in device pixels
 * (sharp on HiDPI), and is placed at whole logical pixels; the Cairo clip to the data rectangle
 * still applies when it is composited. */
typedef struct
{
  cairo_surface_t *surface;
  guint8          *data;
  int              stride;
  int              scale;
  double           x0;      /* top-left, logical px (whole) */
  double           y0;
  int              width;   /* device px */
  int              height;
} Mask;

static gboolean
mask_init (Mask                  *m,
           const LabPlotStyle    *s,
           const graphene_rect_t *d,
           double                 top,
           double                 bottom)
{
  m->scale = MAX (1, s->scale);
  m->x0 = floor (d->origin.x);
  m->y0 = floor (MAX (top, d->origin.y));
  m->width = ((int) (ceil (d->origin.x + d->size.width) - m->x0) + 1) * m->scale;
  m->height = (int) (ceil (MIN (bottom, d->origin.y + d->size.height)) - m->y0) * m->scale;
  if (m->width <= 0 || m->height <= 0)
    return FALSE;
  m->surface = cairo_image_surface_create (CAIRO_FORMAT_A8, m->width, m->height);
  if (cairo_surface_status (m->surface) != CAIRO_STATUS_SUCCESS)
    {
      cairo_surface_destroy (m->surface);
      return FALSE;
    }
  cairo_surface_flush (m->surface);
  m->data = cairo_image_surface_get_data (m->surface);   /* zeroed by Cairo */
  m->stride = cairo_image_surface_get_stride (m->surface);
  return TRUE;
}

/* Composites the mask with @cr's source and frees it. */
static void
mask_paint (Mask    *m,
            cairo_t *cr)
{
  cairo_surface_mark_dirty (m->surface);
  cairo_surface_set_device_scale (m->surface, m->scale, m->scale);
  cairo_mask_surface (cr, m->surface, m->x0, m->y0);
  cairo_surface_destroy (m->surface);
  m->surface = NULL;
}

/* The rows (logical px) the non-empty columns reach, widened by @pad. */
static gboolean
columns_y_range (const Column *cols,
                 guint         n,
                 double        pad,
                 double       *top,
                 double       *bottom)
{
  *top = G_MAXDOUBLE;
  *bottom = -G_MAXDOUBLE;
  for (guint i = 0; i < n; i++)
    if (cols[i].n > 0)
      {
        *top = MIN (*top, MIN (cols[i].hi, cols[i].sum / cols[i].n));
        *bottom = MAX (*bottom, MAX (cols[i].lo, cols[i].sum / cols[i].n));
      }
  *top -= pad;
  *bottom += pad;
  return *bottom >= *top;
}

#define BAND_SAMPLES 4   /* sub-columns per device pixel column */

/* One device pixel column of a band mask being summed: each sample adds the rows between its
 * edges, +1 in @step where its whole rows begin and −1 where they end, its fractional end rows
 * in @part; band_flush() sums and writes them. So a row costs the same however many samples
 * cross it: a spiky envelope has few rows that every sample covers. */
typedef struct
{
  int      q;           /* device column, −1: none yet */
  int      r0, r1;      /* rows touched */
  float   *step;        /* (mask rows + 1) */
  float   *part;        /* (mask rows + 1) */
  gboolean over_line;   /* the mask holds a line: add the band under it, at a quarter */
} BandColumn;

static void
band_flush (Mask       *m,
            BandColumn *c)
{
  float run = 0;

  for (int r = c->r0; r < c->r1; r++)
    {
      guint8 *px = m->data + (gsize) r * m->stride + c->q;
      float cover;

      run += c->step[r];
      cover = MIN (run + c->part[r], (float) BAND_SAMPLES) * (1.f / BAND_SAMPLES);
      if (c->over_line)
        {
          /* the band at a quarter, then the line over it: 1 − (1 − band/4)(1 − line) */
          float line = *px * (1.f / 255);

          *px = (guint8) ((line + 0.25f * cover * (1 - line)) * 255.f + 0.5f);
        }
      else
        *px = (guint8) (cover * 255.f + 0.5f);
      c->step[r] = c->part[r] = 0;
    }
  if (c->r1 > c->r0)
    c->step[c->r1] = c->part[c->r1] = 0;
  c->r0 = m->height;
  c->r1 = 0;
}

/* Sample @g (at device x (g + ½) / BAND_SAMPLES) covers device rows @hi … @lo. */
static inline void
band_add (Mask       *m,
          BandColumn *c,
          gint64      g,
          double      hi,
          double      lo)
{
  int q = (int) (g / BAND_SAMPLES), a, b;

  /* columns are written once, in order: a lone bar's samples reaching back into the column
   * just written (points under 1.5 px apart) are dropped */
  if (g < 0 || q >= m->width || q < c->q)
    return;
  if (q != c->q)
    {
      if (c->q >= 0)
        band_flush (m, c);
      c->q = q;
    }
  hi = CLAMP (hi, 0, m->height);
  lo = CLAMP (lo, 0, m->height);
  if (!(lo > hi))
    return;
  a = (int) hi;   /* ≥ 0: floor */
  b = (int) lo;
  if (a == b)
    c->part[a] += (float) (lo - hi);
  else
    {
      c->part[a] += (float) (a + 1 - hi);
      c->part[b] += (float) (lo - b);   /* row b may be m->height: never written out */
      c->step[a + 1] += 1;
      c->step[b] -= 1;
    }
  c->r0 = MIN (c->r0, a);
  c->r1 = MAX (c->r1, MIN (b + 1, m->height));
}

/* The envelope, as the polygon series_path_band() would fill: its top and bottom edges run
 * straight from column to column (however far apart), a run of columns ends at its outer
 * ones, and a lone column is a bar 1.5 px wide. Each device pixel column is sampled at
 * BAND_SAMPLES sub-columns, each covering the rows between the edges there. */
static void
band_into (Mask         *mp,
           const Column *cols,
           guint         n,
           gboolean      over_line)
{
  Mask m = *mp;
  BandColumn c = { -1, 0, 0, NULL, NULL, over_line };
  guint i = 0, start, end;

  c.step = g_new0 (float, m.height + 1);
  c.part = g_new0 (float, m.height + 1);
  c.r0 = m.height;

  /* in device px from the mask's corner; samples in increasing x, so each column is summed
   * before the next begins */
#define DX(v) (((v) - m.x0) * m.scale)
#define DY(v) (((v) - m.y0) * m.scale)
  while (next_column_run (cols, n, &i, &start, &end))
    {
      if (end - start == 1)
        {
          double x = DX (cols[start].x), w = 0.75 * m.scale;

          for (gint64 g = (gint64) ceil ((x - w) * BAND_SAMPLES - 0.5);
               (g + 0.5) / BAND_SAMPLES <= x + w; g++)
            band_add (&m, &c, g, DY (cols[start].hi),
                      DY (MAX (cols[start].lo, cols[start].hi + 0.5)));
          continue;
        }

      for (guint j = start; j + 1 < end; j++)
        {
          double xa = DX (cols[j].x), xb = DX (cols[j + 1].x);
          double hi_a = DY (cols[j].hi), lo_a = DY (cols[j].lo), hi_slope, lo_slope;
          gint64 g0, g1;

          if (!(xb > xa))
            continue;
          hi_slope = (DY (cols[j + 1].hi) - hi_a) / (xb - xa);
          lo_slope = (DY (cols[j + 1].lo) - lo_a) / (xb - xa);
          /* the samples in [xa, xb) */
          g0 = (gint64) ceil (xa * BAND_SAMPLES - 0.5);
          g1 = (gint64) ceil (xb * BAND_SAMPLES - 0.5);
          for (gint64 g = g0; g < g1; g++)
            {
              double u = (g + 0.5) * (1.0 / BAND_SAMPLES) - xa;

              band_add (&m, &c, g, hi_a + u * hi_slope, lo_a + u * lo_slope);
            }
        }
    }
#undef DX
#undef DY
  if (c.q >= 0)
    band_flush (&m, &c);

  g_free (c.step);
  g_free (c.part);
}

/* One segment a–b of a line of half-width @r (all in device px) into the mask: each pixel
 * within r + ½ of the segment gets the coverage of a box filter, max-combined with what is
 * there so joins are not drawn twice. Round caps and joins come for free. */
static void
mask_segment (Mask   *m,
              double  ax,
              double  ay,
              double  bx,
              double  by,
              double  r)
{
  double dx = bx - ax, dy = by - ay;
  double len2 = dx * dx + dy * dy;
  int c0 = MAX (0, (int) floor (MIN (ax, bx) - r - 0.5));
  int c1 = MIN (m->width, (int) ceil (MAX (ax, bx) + r + 0.5));
  int r0 = MAX (0, (int) floor (MIN (ay, by) - r - 0.5));
  int r1 = MIN (m->height, (int) ceil (MAX (ay, by) + r + 0.5));

  for (int row = r0; row < r1; row++)
    {
      guint8 *line = m->data + (gsize) row * m->stride;
      double py = row + 0.5;

      for (int col = c0; col < c1; col++)
        {
          double px = col + 0.5;
          double t = len2 > 0 ? CLAMP (((px - ax) * dx + (py - ay) * dy) / len2, 0.0, 1.0) : 0.0;
          double ex = ax + t * dx - px, ey = ay + t * dy - py;
          double cover = r + 0.5 - sqrt (ex * ex + ey * ey);

          if (cover > 0)
            {
              guint8 a = (guint8) (MIN (cover, 1.0) * 255.0 + 0.5);

              if (a > line[col])
                line[col] = a;
            }
        }
    }
}

/* The line of half-width @r (logical px) through the columns' means, broken where a column is
 * empty; a lone column is a dot. */
static void
line_into (Mask         *mp,
           const Column *cols,
           guint         n,
           double        r)
{
  Mask m = *mp;

  for (guint i = 0; i < n; i++)
    {
      gboolean next = i + 1 < n && cols[i + 1].n > 0;
      double ax, ay;

      if (cols[i].n == 0 || (!next && i > 0 && cols[i - 1].n > 0))
        continue;
      ax = (cols[i].x - m.x0) * m.scale;
      ay = (cols[i].sum / cols[i].n - m.y0) * m.scale;
      if (next)
        mask_segment (&m, ax, ay, (cols[i + 1].x - m.x0) * m.scale,
                      (cols[i + 1].sum / cols[i + 1].n - m.y0) * m.scale, r * m.scale);
      else
        mask_segment (&m, ax, ay, ax, ay, r * m.scale);
    }
}

/* The envelope (drawn in @color at a quarter of its alpha) and/or the solid line of a series,
 * as coverage masks composited onto @cr. With both and an opaque colour they share one mask:
 * the band then the line, composited in the same colour, equal the colour composited once
 * with coverage 1 − (1 − band/4)(1 − line), which saves a composite over the data area. The
 * line goes in first, as its segments combine by max; the band is then added under it. */
static void
series_masks (cairo_t               *cr,
              const LabPlotStyle    *s,
              const graphene_rect_t *d,
              const Column          *cols,
              guint                  n,
              const GdkRGBA         *color,
              gboolean               band,
              gboolean               line)
{
  double r = s->line_width / 2, top, bottom;
  Mask m;

  if (!columns_y_range (cols, n, r + 1, &top, &bottom) || !mask_init (&m, s, d, top, bottom))
    return;

  if (band && line && color->alpha >= 1.f)
    {
      line_into (&m, cols, n, r);
      band_into (&m, cols, n, TRUE);
      gdk_cairo_set_source_rgba (cr, color);
      mask_paint (&m, cr);
      return;
    }

  if (band)
    {
      GdkRGBA quarter = lab_plot_rgba_alpha (color, 0.25);

      band_into (&m, cols, n, FALSE);
      gdk_cairo_set_source_rgba (cr, &quarter);
      mask_paint (&m, cr);
      if (line && !mask_init (&m, s, d, top, bottom))
        return;
    }
  if (line)
    {
      line_into (&m, cols, n, r);
      gdk_cairo_set_source_rgba (cr, color);
      mask_paint (&m, cr);
    }
}

/* v → pixel as a + b·v (or a + b·log10 v on a log axis): the axis' constants computed once per
 * series rather than per point (three log10 per lab_plot_area_y() call add up over 8000
 * points × 3 values × several series per frame). */
typedef struct
{
  double   a;
  double   b;
  gboolean log;
} PixelMap;

static PixelMap
pixel_map (const LabPlotAxis *axis,
           double             origin,
           double             length,
           gboolean           flip)
{
  double lo = axis->log ? log10 (axis->lo) : axis->lo;
  double hi = axis->log ? log10 (axis->hi) : axis->hi;
  double b = length / (hi - lo);

  /* x: origin + (v − lo)·b; y grows down: origin + length − (v − lo)·b */
  if (flip)
    return (PixelMap) { origin + length + lo * b, -b, axis->log };
  return (PixelMap) { origin - lo * b, b, axis->log };
}

static inline double
pixel_map_apply (const PixelMap *m,
                 double          v)
{
  if (isnan (v))
    return NAN;
  if (m->log)
    {
      if (v <= 0)
        return NAN;
      v = log10 (v);
    }
  return m->a + m->b * v;
}

struct _LabPlotLayer
{
  LabPlotStyle  style;
  LabPlotArea   area;
  cairo_t      *cr;       /* a Cairo node's, in widget coordinates, clipped to area.data */
};

LabPlotLayer *
lab_plot_layer_begin (GtkSnapshot        *snapshot,
                      const LabPlotStyle *s,
                      const LabPlotArea  *area)
{
  LabPlotLayer *layer = g_new0 (LabPlotLayer, 1);
  const graphene_rect_t *d = &area->data;

  layer->style = *s;
  layer->area = *area;
  layer->cr = gtk_snapshot_append_cairo (snapshot, d);
  cairo_rectangle (layer->cr, d->origin.x, d->origin.y, d->size.width, d->size.height);
  cairo_clip (layer->cr);
  cairo_set_line_join (layer->cr, CAIRO_LINE_JOIN_ROUND);
  cairo_set_line_cap (layer->cr, CAIRO_LINE_CAP_ROUND);
  return layer;
}

void
lab_plot_layer_end (LabPlotLayer *layer)
{
  cairo_destroy (layer->cr);
  g_free (layer);
}

/* A point with no neighbour in its series (a run of one step, or one step between gaps) has no
 * segment to draw: give it a dot a few line widths across, or the plot looks empty. */
static void
draw_isolated_points (cairo_t       *cr,
                      const Column  *cols,
                      guint          n,
                      double         r,
                      const GdkRGBA *color)
{
  gboolean any = FALSE;

  for (guint i = 0; i < n; i++)
    if (cols[i].n > 0 && (i == 0 || cols[i - 1].n == 0) && (i + 1 == n || cols[i + 1].n == 0))
      {
        cairo_new_sub_path (cr);
        cairo_arc (cr, cols[i].x, cols[i].sum / cols[i].n, r, 0, 2 * G_PI);
        any = TRUE;
      }
  if (any)
    {
      gdk_cairo_set_source_rgba (cr, color);
      cairo_fill (cr);
    }
}

void
lab_plot_draw_series (LabPlotLayer       *layer,
                      const LabPlotAxis  *xa,
                      const LabPlotAxis  *ya,
                      const LabPlotPoint *points,
                      guint               n_points,
                      const GdkRGBA      *color,
                      LabPlotSeriesFlags  flags,
                      GArray             *scratch)
{
  const LabPlotStyle *s;
  const graphene_rect_t *d;
  guint n_px, n_cols = 0;
  gboolean reduce;
  Column *cols;
  PixelMap xm, ym;
  cairo_t *cr;

  g_return_if_fail (layer != NULL);
  g_return_if_fail (scratch != NULL && g_array_get_element_size (scratch) == sizeof (Column));

  if (n_points == 0)
    return;

  s = &layer->style;
  d = &layer->area.data;
  cr = layer->cr;
  n_px = (guint) MAX (1.0, ceil (d->size.width));
  reduce = n_points > n_px;

  /* Map to pixels once; with more points than columns keep one column per pixel holding the
   * min/max envelope and the mean of the line. */
  g_array_set_size (scratch, reduce ? n_px + 1 : n_points);
  cols = (Column *) (void *) scratch->data;
  if (reduce)
    {
      for (guint c = 0; c <= n_px; c++)
        cols[c] = (Column) { d->origin.x + c, -G_MAXDOUBLE, G_MAXDOUBLE, 0, 0, 0 };
      n_cols = n_px + 1;
    }

  xm = pixel_map (xa, d->origin.x, d->size.width, FALSE);
  ym = pixel_map (ya, d->origin.y, d->size.height, TRUE);
  for (guint i = 0; i < n_points; i++)
    {
      const LabPlotPoint *p = &points[i];
      double px = pixel_map_apply (&xm, p->x);
      double py = pixel_map_apply (&ym, p->y);
      double plo = p->lo == p->y ? py : pixel_map_apply (&ym, p->lo);
      double phi = p->hi == p->y ? py : pixel_map_apply (&ym, p->hi);

      if (isnan (px))
        continue;
      if (isnan (plo))
        plo = py;
      if (isnan (phi))
        phi = py;

      if (reduce)
        {
          double t = (px - d->origin.x);
          guint c;

          if (t < -0.5 || t > n_px + 0.5)
            continue;
          c = MIN ((guint) (t + 0.5), n_px);   /* t ≥ −0.5: rounds as lround() */
          if (isnan (py))
            continue;
          cols[c].lo = MAX (cols[c].lo, clamp_px (MAX (plo, py)));  /* pixel y grows down */
          cols[c].hi = MIN (cols[c].hi, clamp_px (MIN (phi, py)));
          cols[c].sum += clamp_px (py);
          cols[c].n++;
        }
      else
        {
          Column c = { clamp_px (px), 0, 0, 0, 0, 0 };

          if (!isnan (py))
            {
              c.lo = clamp_px (MAX (plo, py));
              c.hi = clamp_px (MIN (phi, py));
              c.sum = clamp_px (py);
              c.n = 1;
            }
          cols[n_cols++] = c;
        }
    }

  cairo_save (cr);   /* line width, dash: nothing leaks into the layer's next series */

  if (flags & (LAB_PLOT_SERIES_LINE | LAB_PLOT_SERIES_DASHED))
    draw_isolated_points (cr, cols, n_cols, s->line_width * 1.6, color);

  if (!s->vector)
    {
      gboolean solid = (flags & LAB_PLOT_SERIES_LINE) && !(flags & LAB_PLOT_SERIES_DASHED);

      if (solid || (flags & LAB_PLOT_SERIES_ENVELOPE))
        series_masks (cr, s, d, cols, n_cols, color, flags & LAB_PLOT_SERIES_ENVELOPE, solid);
      if (solid)
        flags &= ~LAB_PLOT_SERIES_LINE;
    }
  else if (flags & LAB_PLOT_SERIES_ENVELOPE)
    {
      GdkRGBA band = lab_plot_rgba_alpha (color, 0.25);

      gdk_cairo_set_source_rgba (cr, &band);
      series_path_band (cr, cols, n_cols);
      cairo_fill (cr);
    }

  if (flags & (LAB_PLOT_SERIES_LINE | LAB_PLOT_SERIES_DASHED))
    {
      series_path_line (cr, cols, n_cols);
      gdk_cairo_set_source_rgba (cr, color);
      cairo_set_line_width (cr, s->line_width);
      if (flags & LAB_PLOT_SERIES_DASHED)
        {
          double dash[] = { 6 * s->line_width / 1.5, 4 * s->line_width / 1.5 };
          cairo_set_dash (cr, dash, 2, 0);
        }
      cairo_stroke (cr);
      cairo_set_dash (cr, NULL, 0, 0);
    }

  if ((flags & LAB_PLOT_SERIES_MARKERS) && !reduce)
    {
      double r = s->line_width * 1.8;

      for (guint i = 0; i < n_cols; i++)
        if (cols[i].n > 0)
          {
            cairo_new_sub_path (cr);
            cairo_arc (cr, cols[i].x, cols[i].sum, r, 0, 2 * G_PI);
          }
      gdk_cairo_set_source_rgba (cr, color);
      cairo_fill_preserve (cr);
      gdk_cairo_set_source_rgba (cr, &s->background);
      cairo_set_line_width (cr, 1.0);
      cairo_stroke (cr);
    }

  cairo_restore (cr);
}
