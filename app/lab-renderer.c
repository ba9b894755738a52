/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-renderer.c: picks GTK's renderer before GTK starts. Every plot and heatmap of gradlab is
 * drawn with cairo, so a GL renderer only composites finished images. On a machine without a
 * GPU render node, GL would be Mesa's llvmpipe: the GL renderer then compiles its shaders in
 * software (0.8–1.8 s before the first frame here, against 0.3–0.8 s with cairo) and paints no
 * faster, and GDK probes GL when it opens the display (~100 ms) even for the cairo renderer. So
 * without a GPU the cairo renderer is chosen and GL is switched off. Whatever the user set in
 * GSK_RENDERER or GDK_DEBUG wins.
 */
#define G_LOG_DOMAIN "gradlab"

#include "config.h"

#include <stdlib.h>

#include "lab-renderer.h"

/* A GPU that Mesa can drive shows up as a DRM render node, /dev/dri/renderD128 and on. */
gboolean
lab_renderer_have_gpu (const char *dri_dir)
{
  g_autoptr(GDir) dir = g_dir_open (dri_dir, 0, NULL);
  const char *name;

  if (dir == NULL)
    return FALSE;
  while ((name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_prefix (name, "renderD"))
      return TRUE;
  return FALSE;
}

LabRendererChoice
lab_renderer_choose (gboolean    have_gpu,
                     const char *gsk_renderer_env,
                     const char *gdk_debug_env)
{
  LabRendererChoice c = { NULL, NULL };

  if (have_gpu || (gsk_renderer_env != NULL && *gsk_renderer_env != '\0'))
    return c;
  c.gsk_renderer = "cairo";
  if (gdk_debug_env == NULL || *gdk_debug_env == '\0')
    c.gdk_debug = "gl-disable";
  return c;
}

void
lab_renderer_apply (void)
{
  LabRendererChoice c = lab_renderer_choose (lab_renderer_have_gpu ("/dev/dri"),
                                             g_getenv ("GSK_RENDERER"),
                                             g_getenv ("GDK_DEBUG"));

  /* main() calls this before any thread exists, so setenv is safe */
  if (c.gsk_renderer != NULL)
    g_setenv ("GSK_RENDERER", c.gsk_renderer, TRUE);
  if (c.gdk_debug != NULL)
    g_setenv ("GDK_DEBUG", c.gdk_debug, TRUE);
}
