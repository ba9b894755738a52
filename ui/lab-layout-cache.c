/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-layout-cache.c: label layouts kept between frames (see lab-layout-cache.h). The layouts
 * belong to the widget's Pango context: a context's serial changes with its font, font options
 * or resolution, which empties the cache; so does reaching LAYOUT_CACHE_MAX entries, as tick
 * labels come and go while a run's ranges grow. The cache is owned by the plot, not stored on
 * the context: each layout holds a reference to its context, so a cache kept on the context
 * kept it (and itself) alive for ever (LeakSanitizer).
 */
#define G_LOG_DOMAIN "lab-layout-cache"

#include "config.h"

#include "lab-layout-cache.h"
#include "lab-plot-text.h"

#define LAYOUT_CACHE_MAX 512

struct _LabLayoutCache
{
  PangoContext *context;  /* the layouts' context: compared, not owned */
  guint         serial;   /* of the context when the layouts were made */
  GHashTable   *layouts;  /* "rel|bold|font_scale|text" → PangoLayout (owned) */
  PangoLayout  *long_one; /* the last layout of a text too long to be a label (owned) */
  GHashTable   *fitted;   /* "max_w|rel|bold|font_scale|text" → the text cut to fit (owned) */
  guint         fitted_serial;  /* of the context the fitted texts were measured in */
};

LabLayoutCache *
lab_layout_cache_new (void)
{
  LabLayoutCache *cache = g_new0 (LabLayoutCache, 1);

  cache->layouts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  cache->fitted = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  return cache;
}

void
lab_layout_cache_free (LabLayoutCache *cache)
{
  if (cache == NULL)
    return;
  g_hash_table_unref (cache->layouts);
  g_hash_table_unref (cache->fitted);
  g_clear_object (&cache->long_one);
  g_free (cache);
}

PangoLayout *
lab_layout_cache_get (LabLayoutCache     *cache,
                      GtkWidget          *widget,
                      const LabPlotStyle *s,
                      const char         *text,
                      double              rel,
                      gboolean            bold)
{
  PangoContext *pctx = gtk_widget_get_pango_context (widget);
  PangoLayout *layout;
  char key[256];

  if (g_snprintf (key, sizeof key, "%g|%d|%g|%s", rel, bold, s->font_scale, text) >=
      (int) sizeof key)
    {
      /* too long to be a label: not worth keeping */
      g_clear_object (&cache->long_one);
      cache->long_one = lab_plot_layout_new (widget, s, text, rel, bold);
      return cache->long_one;
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

const char *
lab_layout_cache_fit (LabLayoutCache     *cache,
                      GtkWidget          *widget,
                      const LabPlotStyle *s,
                      const char         *text,
                      double              rel,
                      gboolean            bold,
                      double              max_w)
{
  PangoLayout *layout = lab_layout_cache_get (cache, widget, s, text, rel, bold);
  g_autofree char *key = NULL;
  const char *fitted;
  int w;

  /* the common case: it fits (and the cache is up to date for the context now) */
  pango_layout_get_pixel_size (layout, &w, NULL);
  if (w <= max_w)
    return text;
  /* emptied only here: a text it returned stays valid until the next call */
  if (cache->fitted_serial != cache->serial ||
      g_hash_table_size (cache->fitted) >= LAYOUT_CACHE_MAX)
    {
      g_hash_table_remove_all (cache->fitted);
      cache->fitted_serial = cache->serial;
    }
  key = g_strdup_printf ("%.0f|%g|%d|%g|%s", max_w, rel, bold, s->font_scale, text);
  fitted = g_hash_table_lookup (cache->fitted, key);
  if (fitted == NULL)
    {
      fitted = lab_plot_cut_text (widget, s, text, rel, bold, max_w);
      g_hash_table_insert (cache->fitted, g_steal_pointer (&key), (char *) fitted);
    }
  return fitted;
}
