/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-window-benchmark.c: the --benchmark harness (see lab-window-benchmark.h). Training
 * throughput comes from the rows the window receives (lab-window.c hands each snapshot here
 * while a benchmark runs), paint time from the window's frame clock. The output line is parsed
 * by bench/window and tests/test-app.c: keep its format.
 */
#define G_LOG_DOMAIN "lab-window"

#include "config.h"

#include <math.h>
#include <stdio.h>

#include "lab-blas-core.h"
#include "lab-ops.h"
#include "lab-window-benchmark.h"
#include "lab-window-private.h"

struct _LabWindowBenchmark
{
  LabWindow     *window;         /* the owner */
  guint          seconds;
  guint          timeout;        /* 0 until the first frame is painted */
  guint64        steps;
  double         samples;
  double         train_time;     /* Σ step_time: training only, as gradlab-cli's summary */
  GdkFrameClock *clock;          /* owned, once the window is realized */
  gulong         before_paint;
  gulong         after_paint;
  gint64         paint_start;    /* 0 = not inside a frame's paint */
  GArray        *paint_ms;       /* double, one per frame */
  gint64         first_frame;    /* wall clock (µs since 1970) when the first frame was painted,
                                  * for bench/startup, which notes the time before exec */
};

static gboolean bench_done (gpointer user_data);

void
_lab_window_benchmark_add_rows (LabWindow   *self,
                                LabSnapshot *snap)
{
  LabWindowBenchmark *bench = self->bench;
  g_autofree LabStepStats *row = NULL;

  if (bench->timeout == 0)
    return;   /* the measured time has not begun */
  row = g_new (LabStepStats, 1);
  for (gsize i = 0; i < lab_row_log_len (snap->rows); i++)
    {
      lab_row_log_get (snap->rows, i, row);
      bench->steps++;
      bench->samples += row->samples;
      bench->train_time += row->step_time;
    }
}

static void
on_before_paint (GdkFrameClock      *clock,
                 LabWindowBenchmark *bench)
{
  bench->paint_start = g_get_monotonic_time ();
}

static void
on_after_paint (GdkFrameClock      *clock,
                LabWindowBenchmark *bench)
{
  double ms;

  if (bench->paint_start == 0)
    return;
  ms = (double) (g_get_monotonic_time () - bench->paint_start) / 1000.0;
  bench->paint_start = 0;
  if (bench->timeout == 0)
    {
      /* The clock starts after the first frame (start-up: CSS, first layout), not counted. */
      bench->first_frame = g_get_real_time ();
      bench->timeout = g_timeout_add_seconds (bench->seconds, bench_done, bench->window);
      return;
    }
  g_array_append_val (bench->paint_ms, ms);
}

static void
on_realize (GtkWidget          *widget,
            LabWindowBenchmark *bench)
{
  if (bench->clock != NULL)
    return;
  /* a reference: the clock can go with the surface before the window's dispose */
  bench->clock = g_object_ref (gtk_widget_get_frame_clock (widget));
  bench->before_paint = g_signal_connect (bench->clock, "before-paint",
                                          G_CALLBACK (on_before_paint), bench);
  bench->after_paint = g_signal_connect (bench->clock, "after-paint",
                                         G_CALLBACK (on_after_paint), bench);
}

static int
cmp_double (gconstpointer a,
            gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

/* Nearest-rank percentile of a sorted array; 0 when empty. */
static double
percentile (GArray *sorted,
            double  p)
{
  guint rank = (guint) ceil (p * sorted->len);

  if (sorted->len == 0)
    return 0.0;
  return g_array_index (sorted, double, MAX (rank, 1) - 1);
}

static gboolean
bench_done (gpointer user_data)
{
  LabWindow *self = user_data;
  LabWindowBenchmark *bench = self->bench;
  char sps[G_ASCII_DTOSTR_BUF_SIZE], med[G_ASCII_DTOSTR_BUF_SIZE], p90[G_ASCII_DTOSTR_BUF_SIZE];

  bench->timeout = 0;
  g_array_sort (bench->paint_ms, cmp_double);
  /* g_ascii_formatd: a "." whatever the locale, so scripts can parse the line */
  g_ascii_formatd (sps, sizeof sps, "%.1f", bench->samples / MAX (bench->train_time, 1e-9));
  g_ascii_formatd (med, sizeof med, "%.2f", percentile (bench->paint_ms, 0.5));
  g_ascii_formatd (p90, sizeof p90, "%.2f", percentile (bench->paint_ms, 0.9));
  printf ("window_benchmark seconds=%u steps=%" G_GUINT64_FORMAT " samples_per_sec=%s "
          "frames=%u paint_ms_median=%s paint_ms_p90=%s "
          "first_frame_unix_us=%" G_GINT64_FORMAT " blas_core=%s blas_threads=%u renderer=%s\n",
          bench->seconds, bench->steps, sps, bench->paint_ms->len, med, p90, bench->first_frame,
          lab_blas_core_name (), lab_blas_threads (),
          G_OBJECT_TYPE_NAME (gtk_native_get_renderer (GTK_NATIVE (self))));
  fflush (stdout);
  /* the last window going away ends the application, with status 0 */
  gtk_window_destroy (GTK_WINDOW (self));
  return G_SOURCE_REMOVE;
}

void
lab_window_benchmark_start (LabWindow *self,
                            guint      seconds)
{
  LabWindowBenchmark *bench;

  g_return_if_fail (LAB_IS_WINDOW (self));
  g_return_if_fail (self->bench == NULL);

  bench = self->bench = g_new0 (LabWindowBenchmark, 1);
  bench->seconds = seconds;
  bench->window = self;
  bench->paint_ms = g_array_new (FALSE, FALSE, sizeof (double));
  if (gtk_widget_get_realized (GTK_WIDGET (self)))
    on_realize (GTK_WIDGET (self), bench);
  else
    g_signal_connect (self, "realize", G_CALLBACK (on_realize), bench);
  _lab_window_update_speed (self);   /* full speed while measured */
}

void
_lab_window_benchmark_dispose (LabWindow *self)
{
  LabWindowBenchmark *bench = g_steal_pointer (&self->bench);

  if (bench == NULL)
    return;
  g_signal_handlers_disconnect_by_func (self, on_realize, bench);
  if (bench->clock != NULL)
    {
      /* a destroyed surface's clock has already dropped its handlers */
      if (g_signal_handler_is_connected (bench->clock, bench->before_paint))
        g_signal_handler_disconnect (bench->clock, bench->before_paint);
      if (g_signal_handler_is_connected (bench->clock, bench->after_paint))
        g_signal_handler_disconnect (bench->clock, bench->after_paint);
      g_clear_object (&bench->clock);
    }
  g_clear_handle_id (&bench->timeout, g_source_remove);
  g_array_unref (bench->paint_ms);
  g_free (bench);
}
