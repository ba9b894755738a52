/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-watch-describe.h: what the windows say about a watched run (LabWatch, status.watch set):
 * its state in words with the style of the session state it resembles, and how long ago its
 * last row arrived. The main window's status line and the compare window's columns both use
 * these, so a state reads the same in both. Plain strings from a LabRunStatus and a time: no
 * widget is touched, so they are tested directly.
 */
#pragma once

#include "lab-run-manifest.h"

G_BEGIN_DECLS

/* The session state whose colour @st's watch state takes in the status line: LIVE runs,
 * WAITING and STALLED are paused, a finished run is finished, a failed run, a directory gone
 * and a second writer are failed. */
LabSessionState lab_watch_describe_style (const LabRunStatus *st);

/* "Live", "Waiting for the writer", "Stalled: no row for 45 s", "Finished", "Failed: MESSAGE",
 * "Gone: MESSAGE", "Second writer: MESSAGE"; @now is g_get_monotonic_time (). */
char           *lab_watch_describe_state (const LabRunStatus *st,
                                          gint64              now);

/* "2 s", "3 min", "5 h", "2 days": the time from @then to @now (monotonic µs), whole units. */
char           *lab_watch_describe_span  (gint64              then,
                                          gint64              now);

/* "last row 2 s ago", or "no row yet" when @st has none. */
char           *lab_watch_describe_age   (const LabRunStatus *st,
                                          gint64              now);

/* "Net · 4 layers · 10 classes · gradlab_watch 0.1 (torch 1.13.1)": what the run trains and who
 * writes it (classes left out when not known). */
char           *lab_watch_describe_manifest (const LabRunManifest *m);

G_END_DECLS
