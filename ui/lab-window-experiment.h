/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-window-experiment.h: sweeps and lotteries from the main window. They run in the window's
 * session (lab_session_run_sweep(), the code gradlab-cli runs) on a copy of the run, which
 * pauses and is left as it was; the plots gain each point or round as it finishes, the
 * experiment bar shows the progress, and commands that would wait for the end (play, step,
 * reset, Prune Now, another experiment, Save Run) are switched off meanwhile.
 *
 * Window actions:
 *   win.sweep, win.lottery           the Sweep… (Ctrl+Shift+S) and Lottery… (Ctrl+Shift+T)
 *                                    dialogs, with the run's defaults
 *   win.run-sweep, win.run-lottery   start one: an a{sv} of choices (lab-experiment-params.h);
 *                                    a key left out takes the run's default
 *   win.cancel-experiment            stop within one training step, keeping what it finished
 *   win.export-sweep                 the sweep's points as gradlab-cli sweep's CSV
 *   win.export-lottery               the lottery's rounds as gradlab-cli lottery prints them
 */
#pragma once

#include "lab-window.h"

G_BEGIN_DECLS

/* Starts a sweep or a lottery (@params: an a{sv}, may be NULL: the defaults; sunk if floating)
 * once the run's data is loaded: gradlab --sweep and --lottery. A run that fails to load says
 * so in the error banner instead. */
void     lab_window_start_experiment_when_ready (LabWindow          *self,
                                                 LabExperimentKind   kind,
                                                 GVariant           *params);
/* TRUE from the moment an experiment is sent until the engine says it ended. */
gboolean lab_window_experiment_running          (LabWindow          *self);
/* The latest sweep's points as a CSV, or its lottery's rounds as text; an error when there are
 * none. */
gboolean lab_window_export_sweep                (LabWindow          *self,
                                                 const char         *path,
                                                 GError            **error);
gboolean lab_window_export_lottery              (LabWindow          *self,
                                                 const char         *path,
                                                 GError            **error);

G_END_DECLS
