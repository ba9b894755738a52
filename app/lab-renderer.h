/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* What to put in the environment before GTK starts; NULL = leave that variable alone. */
typedef struct
{
  const char *gsk_renderer;
  const char *gdk_debug;
} LabRendererChoice;

gboolean          lab_renderer_have_gpu (const char *dri_dir);
LabRendererChoice lab_renderer_choose   (gboolean    have_gpu,
                                         const char *gsk_renderer_env,
                                         const char *gdk_debug_env);
void              lab_renderer_apply    (void);

G_END_DECLS
