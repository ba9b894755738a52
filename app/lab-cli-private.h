/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-cli-private.h: what the commands of gradlab-cli share: the run options (preset, config,
 * --set …), building a config from them, and one-line fatal errors with the exit codes.
 */
#pragma once

#include <signal.h>
#include <glib.h>

#include "lab-config.h"

#define EXIT_RUN_FAILED 1
#define EXIT_BAD_INPUT  2

/* Options shared by every command that builds a run. */
typedef struct
{
  char    *preset;
  char    *config;
  char   **sets;
  int      epochs;
  gint64   steps;
  gint64   seed;
  int      threads;
  char    *metrics;
  char    *save_weights;
  char    *load_weights;
  gboolean quiet;
} CliRunOptions;


GOptionEntry *_lab_cli_run_entries       (CliRunOptions       *o);
void          _lab_cli_run_options_clear (CliRunOptions       *o);
/* Parses the command line of @command (run options plus @extra, both NULL-terminated);
 * exits 2 on bad usage. */
void          _lab_cli_parse             (const char          *command,
                                          const char          *title,
                                          const char          *summary,
                                          GOptionEntry        *run_entries,
                                          GOptionEntry        *extra,
                                          int                 *argc,
                                          char              ***argv);
/* Builds the config from preset, file, flags and --set, in that order; exits 2 on error. */
void          _lab_cli_build_config      (const CliRunOptions *o,
                                          LabConfig           *cfg);
/* Prints "gradlab-cli: MESSAGE" and exits with @status. */
void          _lab_cli_die               (int                  status,
                                          const char          *fmt,
                                          ...) G_GNUC_PRINTF (2, 3) G_GNUC_NORETURN;

/* Set by SIGINT/SIGTERM (read with g_atomic_int_get): also the experiments' cancel flag. */
extern gint   _lab_cli_interrupted;
void          _lab_cli_on_signal         (int                  sig);

/* lab-cli-prune.c */
int           _lab_cli_sweep             (int                  argc,
                                          char               **argv);
int           _lab_cli_lottery           (int                  argc,
                                          char               **argv);
