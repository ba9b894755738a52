/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-i18n.h: the locale and the message catalogue of a Gradient Lab program. gradlab and
 * gradlab-cli call lab_i18n_init() first thing in main() (after lab_blas_core_init(), which may
 * run the program again), before anything is printed. Strings are marked in the engine with
 * <glib/gi18n-lib.h> (the "gradlab" domain), in the programs with <glib/gi18n.h>.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The user's locale for everything (messages, and numbers on screen: files never depend on it),
 * and the "gradlab" catalogue, in UTF-8, from lab_i18n_localedir_for() of this program. */
void   lab_i18n_init           (void);
/* Where the catalogues (LANG/LC_MESSAGES/gradlab.mo) are for the program file @exe: the build
 * tree's po/ when @exe lies in the build tree (tests, scripts/run: translations work without
 * installing), else the installed LOCALEDIR. */
char  *lab_i18n_localedir_for  (const char *exe);

G_END_DECLS
