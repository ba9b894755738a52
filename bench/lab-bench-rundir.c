/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-bench-rundir.c: how long a finished run directory takes to open. Writes a run of N rows
 * of a 4-layer MLP (784-256-128-64-10, rows as lab_record_json_row() writes them, numbers that
 * vary like a real run's) into a temporary folder, then times
 *  - load:  a LabRunReader reading every row (what opening a finished run costs the engine);
 *  - watch: a LabWatch delivering every row to a consumer in its main loop, chunk by chunk, as
 *           the window receives them.
 *   lab-bench-rundir --rows 100000 --repeats 5
 * Prints load_seconds_median=… load_cpu_seconds_median=… watch_seconds_median=… threads=…
 * rows=… bytes=… (threads: the cores the reader may parse on, g_get_num_processors ()).
 */
#define G_LOG_DOMAIN "lab-bench"
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <glib/gstdio.h>

#include "lab-run-reader.h"
#include "lab-run-writer.h"
#include "lab-watch.h"

#define N_LAYERS 4

static const gsize sizes[N_LAYERS + 1] = { 784, 256, 128, 64, 10 };

static int
cmp_double (const void *a,
            const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

/* A row whose numbers have all their digits, as a real run's do. */
static void
fake_row (LabStepStats *st,
          guint64       step)
{
  double t = (double) step;

  memset (st, 0, sizeof *st);
  st->step = step;
  st->epoch = (guint) (step / 938) + 1;
  st->n_layers = N_LAYERS;
  st->time = t * 0.0123457;
  st->lr = 0.1 * cos (t * 1e-5);
  st->loss = 2.3 / sqrt (t) + 0.01 * sin (t);
  st->accuracy = 1.0 - 0.9 / sqrt (t);
  st->grad_norm = 1.3 / pow (t, 0.3);
  st->sparsity = 0;
  st->test_loss = step % 938 == 0 ? st->loss * 1.1 : NAN;
  st->test_accuracy = step % 938 == 0 ? st->accuracy * 0.98 : NAN;
  for (guint l = 0; l < N_LAYERS; l++)
    {
      LabLayerStats *ls = &st->layer[l];
      float k = (float) (l + 1);

      ls->grad_norm = 0.31f * k / sqrtf ((float) t);
      ls->grad_mean_abs = 1.7e-4f * k / sqrtf ((float) t);
      ls->delta_norm = 0.217f * k * (1.0f + 0.1f * sinf ((float) t));
      ls->weight_norm = 9.87f + 1e-5f * (float) t * k;
      ls->update_ratio = 1.37e-3f / k;
      ls->act_mean = 0.3141f * k;
      ls->act_std = 0.2718f * k;
      ls->act_dead = 0.0123f * k;
    }
}

static char *
write_run (guint64  n_rows,
           gsize   *bytes)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LabRunManifest) m = NULL;
  g_autoptr(LabRunWriter) writer = NULL;
  g_autofree char *rows = NULL;
  LabHeavy *heavy = lab_heavy_new_chain (N_LAYERS, sizes, FALSE);
  char *dir = g_dir_make_tmp ("gradlab-bench-XXXXXX", &error);
  LabStepStats st;
  GStatBuf sb;

  g_assert_no_error (error);
  m = lab_run_manifest_new_from_heavy (heavy, 10, 1, 0);
  writer = lab_run_writer_new (dir, m, 0, &error);
  g_assert_no_error (error);
  for (guint64 s = 1; s <= n_rows; s++)
    {
      fake_row (&st, s);
      if (!lab_run_writer_append (writer, &st, &error))
        g_error ("%s", error->message);
    }
  if (!lab_run_writer_finish (writer, NULL, &error))
    g_error ("%s", error->message);
  rows = g_build_filename (dir, "rows.jsonl", NULL);
  *bytes = g_stat (rows, &sb) == 0 ? (gsize) sb.st_size : 0;
  lab_heavy_free (heavy);
  return dir;
}

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

static void
remove_run (const char *dir)
{
  static const char * const files[] = { "run.ini", "rows.jsonl", "status" };

  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autofree char *path = g_build_filename (dir, files[i], NULL);
      g_remove (path);
    }
  g_rmdir (dir);
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
  gsize bytes = 0;

  g_option_context_add_main_entries (ctx, entries, NULL);
  if (!g_option_context_parse (ctx, &argc, &argv, &error) || repeats < 1 || n_rows < 1)
    {
      g_printerr ("lab-bench-rundir: %s\n", error ? error->message : "--rows, --repeats ≥ 1");
      return 2;
    }
  dir = write_run ((guint64) n_rows, &bytes);
  load = g_new (double, repeats);
  load_cpu = g_new (double, repeats);
  watch = g_new (double, repeats);
  for (int r = 0; r < repeats; r++)
    {
      load[r] = time_load (dir, (guint64) n_rows, &load_cpu[r]);
      watch[r] = time_watch (dir, (guint64) n_rows);
    }
  qsort (load, repeats, sizeof (double), cmp_double);
  qsort (load_cpu, repeats, sizeof (double), cmp_double);
  qsort (watch, repeats, sizeof (double), cmp_double);
  printf ("load_seconds_median=%.3f load_seconds_min=%.3f load_cpu_seconds_median=%.3f "
          "watch_seconds_median=%.3f watch_seconds_min=%.3f threads=%u rows=%" G_GINT64_FORMAT
          " bytes=%zu\n", load[repeats / 2], load[0], load_cpu[repeats / 2], watch[repeats / 2],
          watch[0], g_get_num_processors (), n_rows, bytes);
  remove_run (dir);
  return 0;
}
