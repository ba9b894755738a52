/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * main.c: the entry point of gradlab, the window. Everything happens in LabApplication.
 */
#define G_LOG_DOMAIN "gradlab"

#include "config.h"

#include "lab-application.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(LabApplication) app = lab_application_new ();

  return g_application_run (G_APPLICATION (app), argc, argv);
}
