/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-i18n.c: the locale and where the message catalogues are (lab-i18n.h). meson compiles each
 * po/LANG.po to BUILD/po/LANG/LC_MESSAGES/gradlab.mo, a directory bindtextdomain() can use as it
 * is, so a program that finds itself inside the build tree reads those and needs no
 * installation and no environment variable.
 */
#define G_LOG_DOMAIN "lab-engine"
#include "config.h"

#include <libintl.h>
#include <locale.h>
#include <stdlib.h>

#include "lab-i18n.h"

char *
lab_i18n_localedir_for (const char *exe)
{
  /* the real path: /proc/self/exe has every symbolic link resolved, the build root may not */
  g_autofree char *root = realpath (LAB_BUILD_ROOT, NULL);
  g_autofree char *prefix = root ? g_strconcat (root, G_DIR_SEPARATOR_S, NULL) : NULL;

  if (exe != NULL && prefix != NULL && g_str_has_prefix (exe, prefix))
    return g_build_filename (root, "po", NULL);
  return g_strdup (LOCALEDIR);
}

void
lab_i18n_init (void)
{
  g_autofree char *exe = g_file_read_link ("/proc/self/exe", NULL);
  g_autofree char *dir = lab_i18n_localedir_for (exe);

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, dir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
}
