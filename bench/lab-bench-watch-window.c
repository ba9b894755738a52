/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-bench-watch-window.c: how long the window takes to show a finished run directory whole
 * (the window side of lab-bench-rundir). A fake finished run of N rows
 * (lab-bench-rundir-common.c) is watched by a LabWindow at 1920×1080 on the Gradients page,
 * and two times are taken from lab_window_watch(): until the plot model holds every row and
 * the run's end (the LabWatch hands the rows over in chunks, the window applies a snapshot at
 * most every 33 ms), and until the frame after that has been painted. Each repeat is a new
 * window, drawn by the renderer gradlab chooses (app/lab-renderer.c: cairo without a GPU).
 * Needs a display (xvfb-run); never a timed test.
 *
 *   xvfb-run -a -s '-screen 0 1920x1080x24' lab-bench-watch-window --rows 100000 --repeats 3
 *
 * Prints rows_seconds_median=… rows_seconds_min=… painted_seconds_median=…
 * main_cpu_seconds_median=… (the window thread's CPU time until painted) rows=… bytes=…
 */
#define G_LOG_DOMAIN "lab-bench"
#include "config.h"

#include <stdio.h>
#include <time.h>

#include <gtk/gtk.h>

#include "lab-bench-rundir-common.h"
#include "lab-renderer.h"
#include "lab-window.h"
#include "lab-window-watch.h"

typedef struct
{
  LabWindow *win;
  guint64    n_rows;
  gboolean   painted;
} Open;

static gboolean
all_rows (Open *o)
{
  LabPlotModel *model = lab_window_get_plot_model (o->win);
  LabRowLog *log = lab_plot_model_get_row_log (model);
  LabSnapshot *latest = lab_plot_model_get_latest (model);

  return log != NULL && lab_row_log_len (log) == o->n_rows && latest != NULL &&
         latest->status.watch == LAB_WATCH_ENDED;
}

static void
on_after_paint (GdkFrameClock *clock,
                Open          *o)
{
  o->painted = TRUE;
}

static double
thread_cpu_seconds (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return (double) ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* Seconds until the plot model holds the run (*@rows) and until a frame is painted after, and
 * the CPU seconds the window's own thread spent until then (*@main_cpu: applying and drawing;
 * the rows are parsed on the watch's threads). */
static void
time_open (const char *dir,
           guint64     n_rows,
           double     *rows,
           double     *painted,
           double     *main_cpu)
{
  Open o = { g_object_ref (lab_window_new (NULL, NULL)), n_rows, FALSE };
  GdkFrameClock *clock;
  gulong id;
  gint64 t0;
  double c0;

  gtk_window_set_default_size (GTK_WINDOW (o.win), 1920, 1080);
  gtk_window_present (GTK_WINDOW (o.win));
  while (!gtk_widget_get_mapped (GTK_WIDGET (o.win)))
    g_main_context_iteration (NULL, TRUE);

  t0 = g_get_monotonic_time ();
  c0 = thread_cpu_seconds ();
  lab_window_watch (o.win, dir);
  while (!all_rows (&o))
    g_main_context_iteration (NULL, TRUE);
  *rows = (double) (g_get_monotonic_time () - t0) / G_USEC_PER_SEC;

  clock = gtk_widget_get_frame_clock (GTK_WIDGET (o.win));
  id = g_signal_connect (clock, "after-paint", G_CALLBACK (on_after_paint), &o);
  gtk_widget_queue_draw (GTK_WIDGET (o.win));
  while (!o.painted)
    g_main_context_iteration (NULL, TRUE);
  *painted = (double) (g_get_monotonic_time () - t0) / G_USEC_PER_SEC;
  *main_cpu = thread_cpu_seconds () - c0;
  g_signal_handler_disconnect (clock, id);

  gtk_window_destroy (GTK_WINDOW (o.win));
  g_object_unref (o.win);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) ctx = g_option_context_new ("- time the window opening a run");
  g_autoptr(GError) error = NULL;
  gint64 n_rows = 100000;
  int repeats = 3;
  GOptionEntry entries[] = {
    { "rows", 0, 0, G_OPTION_ARG_INT64, &n_rows, "Rows in the run (default 100000)", "N" },
    { "repeats", 0, 0, G_OPTION_ARG_INT, &repeats, "Windows to open (median reported)", "N" },
    { NULL },
  };
  g_autofree double *rows = NULL;
  g_autofree double *painted = NULL;
  g_autofree double *main_cpu = NULL;
  g_autofree char *dir = NULL;
  double rows_median;
  gsize bytes = 0;

  /* the renderer gradlab would choose here (cairo without a GPU), before any thread */
  lab_renderer_apply ();
  g_option_context_add_main_entries (ctx, entries, NULL);
  if (!g_option_context_parse (ctx, &argc, &argv, &error) || repeats < 1 || n_rows < 1)
    {
      g_printerr ("lab-bench-watch-window: %s\n",
                  error ? error->message : "--rows, --repeats ≥ 1");
      return 2;
    }
  if (!gtk_init_check ())
    {
      g_printerr ("lab-bench-watch-window: needs a display (xvfb-run -a)\n");
      return 2;
    }
  dir = lab_bench_write_fake_run ((guint64) n_rows, &bytes);
  rows = g_new (double, repeats);
  painted = g_new (double, repeats);
  main_cpu = g_new (double, repeats);
  for (int r = 0; r < repeats; r++)
    time_open (dir, (guint64) n_rows, &rows[r], &painted[r], &main_cpu[r]);
  rows_median = lab_bench_median (rows, repeats);   /* sorts: rows[0] is the minimum */
  printf ("rows_seconds_median=%.3f rows_seconds_min=%.3f painted_seconds_median=%.3f "
          "main_cpu_seconds_median=%.3f rows=%" G_GINT64_FORMAT " bytes=%zu\n", rows_median,
          rows[0], lab_bench_median (painted, repeats), lab_bench_median (main_cpu, repeats),
          n_rows, bytes);
  lab_bench_remove_fake_run (dir);
  return 0;
}
