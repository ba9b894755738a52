/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * main.c: the entry point of gradlab, the window. Everything happens in LabApplication.
 */
#define G_LOG_DOMAIN "gradlab"

#include "config.h"

#include "lab-application.h"
#include "lab-blas-core.h"
#include "lab-i18n.h"
#include "lab-renderer.h"

int
main (int   argc,
      char *argv[])
{
  /* first: it may run the program again, which must not find our own GSK_RENDERER set */
  lab_blas_core_init (argv);
  lab_i18n_init ();
  lab_renderer_apply ();

  g_autoptr(LabApplication) app = lab_application_new ();

  int status = g_application_run (G_APPLICATION (app), argc, argv);

  return status != 0 ? status : lab_application_get_exit_status (app);
}
