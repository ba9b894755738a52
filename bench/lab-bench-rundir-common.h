/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-bench-rundir-common.h: what the benchmarks of opening a run directory share: a finished
 * run of N rows written into a temporary folder (a 4-layer MLP, 784-256-128-64-10, rows as
 * lab_record_json_row() writes them, numbers that vary like a real run's, a test evaluation
 * every 938 steps), and the median of a set of timings.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define LAB_BENCH_FAKE_LAYERS 4

/* Writes a finished run of @n_rows rows into a new temporary folder; returns its path and the
 * size of its rows.jsonl in *@bytes. */
char   *lab_bench_write_fake_run  (guint64     n_rows,
                                   gsize      *bytes);
/* Removes what lab_bench_write_fake_run() wrote, and the folder. */
void    lab_bench_remove_fake_run (const char *dir);

/* Sorts @v (@n values) in place and returns its median (v[0] is then the minimum). */
double  lab_bench_median          (double     *v,
                                   int         n);

G_END_DECLS
