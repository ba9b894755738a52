/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-bench-rundir.c: how long a finished run directory takes to open. Writes a run of N rows
 * (lab-bench-rundir-common.c) into a temporary folder, then times
 *  - load:  a LabRunReader reading every row (what opening a finished run costs the engine);
 *  - watch: a LabWatch delivering every row to a consumer in its main loop, chunk by chunk, as
 *           the window receives them.
 *   lab-bench-rundir --rows 100000 --repeats 5
 * Prints load_seconds_median=… load_cpu_seconds_median=… watch_seconds_median=… threads=…
 * rows=… bytes=… (threads: the cores the reader may parse on, g_get_num_processors ()).
 */
#define G_LOG_DOMAIN "lab-bench"
#include "config.h"

#include <stdio.h>
#include <time.h>

#include "lab-bench-rundir-common.h"
#include "lab-run-reader.h"
#include "lab-watch.h"

static double
cpu_seconds (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &ts);
  return (double) ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* Wall seconds; *@cpu gets the CPU seconds of every thread (the machine's other load shows in
 * the wall time, much less in this). */
static double
time_load (const char *dir,
           guint64     n_rows,
           double     *cpu)
{
  g_autoptr(LabRunReader) reader = lab_run_reader_new (dir);
  g_autoptr(LabRowLog) rows = lab_row_log_new (0);
  gint64 t0 = g_get_monotonic_time ();
  double c0 = cpu_seconds ();
  LabRunPoll poll;

  do
    lab_run_reader_poll (reader, G_MAXUINT, rows, &poll);
  while (lab_run_reader_state (reader)->more);
  if (lab_row_log_len (rows) != n_rows)
    g_error ("read %zu rows of %" G_GUINT64_FORMAT, lab_row_log_len (rows), n_rows);
  *cpu = cpu_seconds () - c0;
  return (double) (g_get_monotonic_time () - t0) / G_USEC_PER_SEC;
}

typedef struct
{
  guint64 rows;
  guint64 want;
} Consumer;

static void
on_snapshot (LabWatch *watch,
             gpointer  data)
{
  Consumer *c = data;
  g_autoptr(LabSnapshot) snap = lab_watch_take (watch);

  if (snap != NULL)
    c->rows += lab_row_log_len (snap->rows);
}

static double
time_watch (const char *dir,
            guint64     n_rows)
{
  Consumer c = { 0, n_rows };
  gint64 t0 = g_get_monotonic_time ();
  LabWatch *watch = lab_watch_new (dir);

  lab_watch_set_consumer (watch, NULL, on_snapshot, &c);
  while (c.rows < c.want)
    g_main_context_iteration (NULL, TRUE);
  lab_watch_free (watch);
  return (double) (g_get_monotonic_time () - t0) / G_USEC_PER_SEC;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) ctx = g_option_context_new ("- time opening a finished run");
  g_autoptr(GError) error = NULL;
  gint64 n_rows = 100000;
  int repeats = 5;
  GOptionEntry entries[] = {
    { "rows", 0, 0, G_OPTION_ARG_INT64, &n_rows, "Rows in the run (default 100000)", "N" },
    { "repeats", 0, 0, G_OPTION_ARG_INT, &repeats, "Times to open it (median reported)", "N" },
    { NULL },
  };
  g_autofree double *load = NULL;
  g_autofree double *load_cpu = NULL;
  g_autofree double *watch = NULL;
  g_autofree char *dir = NULL;
  double load_median, watch_median;
  gsize bytes = 0;

  g_option_context_add_main_entries (ctx, entries, NULL);
  if (!g_option_context_parse (ctx, &argc, &argv, &error) || repeats < 1 || n_rows < 1)
    {
      g_printerr ("lab-bench-rundir: %s\n", error ? error->message : "--rows, --repeats ≥ 1");
      return 2;
    }
  dir = lab_bench_write_fake_run ((guint64) n_rows, &bytes);
  load = g_new (double, repeats);
  load_cpu = g_new (double, repeats);
  watch = g_new (double, repeats);
  for (int r = 0; r < repeats; r++)
    {
      load[r] = time_load (dir, (guint64) n_rows, &load_cpu[r]);
      watch[r] = time_watch (dir, (guint64) n_rows);
    }
  /* lab_bench_median() sorts: [0] is then the minimum */
  load_median = lab_bench_median (load, repeats);
  watch_median = lab_bench_median (watch, repeats);
  printf ("load_seconds_median=%.3f load_seconds_min=%.3f load_cpu_seconds_median=%.3f "
          "watch_seconds_median=%.3f watch_seconds_min=%.3f threads=%u rows=%" G_GINT64_FORMAT
          " bytes=%zu\n", load_median, load[0], lab_bench_median (load_cpu, repeats),
          watch_median, watch[0], g_get_num_processors (), n_rows, bytes);
  lab_bench_remove_fake_run (dir);
  return 0;
}
