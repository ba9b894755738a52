/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-bench-session.c: what the session costs. Runs the same training (a preset, N steps) three
 * ways: a LabSession whose consumer takes snapshots at 60 Hz (as the window does), the same
 * session with a consumer that looks only once a second (no consumer to speak of), and, for
 * reference, the bare trainer loop (which neither evaluates nor publishes). The consumer's
 * overhead (60 Hz versus 1 Hz) must stay under 5 %. Rates use the worker's own clock; the worker
 * thread's CPU time per step is also compared, since it does not depend on other tenants of a
 * shared machine.
 *
 *   lab-bench-session --preset spiral --steps 20000
 */
#include "config.h"

#include <stdio.h>

#include "lab-blas-core.h"
#include "lab-config.h"
#include "lab-ops.h"
#include "lab-session.h"
#include "lab-trainer.h"

typedef struct
{
  GMainLoop *loop;
  guint64    rows;
  double     t_first;   /* st->time of the first and last rows: the worker's own clock, so */
  double     t_last;    /* neither the play command nor the 60 Hz poll at the end is timed */
  double     cpu_first; /* the worker thread's CPU time: immune to other tenants of the machine */
  double     cpu_last;
  guint64    step_first;
  guint64    step_last;
} Consumer;

static double
thread_cpu (void)
{
  struct timespec ts;
  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static double cpu_per_step_trainer, cpu_per_step_session;

static gboolean
take_at_60hz (gpointer data)
{
  Consumer *c = data;
  extern LabSession *bench_session;
  g_autoptr(LabSnapshot) snap = lab_session_take (bench_session);

  if (snap)
    {
      if (lab_row_log_len (snap->rows) > 0)
        {
          g_autofree LabStepStats *row = g_new (LabStepStats, 1);

          if (c->rows == 0)
            {
              lab_row_log_get (snap->rows, 0, row);
              c->t_first = row->time;
            }
          lab_row_log_get (snap->rows, lab_row_log_len (snap->rows) - 1, row);
          c->t_last = row->time;
          c->cpu_last = snap->status.worker_cpu;
          c->step_last = snap->status.step;
        }
      c->rows += lab_row_log_len (snap->rows);
      if (snap->status.state == LAB_SESSION_FINISHED || snap->status.state == LAB_SESSION_FAILED)
        {
          g_main_loop_quit (c->loop);
          return G_SOURCE_REMOVE;
        }
    }
  return G_SOURCE_CONTINUE;
}

LabSession *bench_session;

static double
run_trainer (const LabConfig *cfg)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LabTrainer) tr = lab_trainer_new (cfg, NULL, &error);
  LabStepStats st;
  double t_first = 0, cpu_first = 0;

  if (tr == NULL)
    g_error ("%s", error->message);
  while (!lab_trainer_finished (tr))
    {
      if (!lab_trainer_step (tr, &st, &error))
        g_error ("%s", error->message);
      if (st.step == 1)
        {
          t_first = st.time;
          cpu_first = thread_cpu ();
        }
    }
  cpu_per_step_trainer = (thread_cpu () - cpu_first) / (double) (st.step - 1);
  /* steps 2…N over the time between the first and the last row, as for the session */
  return (double) (st.step - 1) / (st.time - t_first);
}

static double
run_session (const LabConfig *cfg,
             guint            period_ms)
{
  Consumer c = { 0 };
  guint id;

  c.loop = g_main_loop_new (NULL, FALSE);
  bench_session = lab_session_new (cfg);
  /* wait for the data to load before timing */
  for (;;)
    {
      g_autoptr(LabSnapshot) snap = lab_session_take (bench_session);
      if (snap && snap->data_name)
        {
          /* CPU baseline before the first step: a consumer that takes only once still has one */
          c.cpu_first = snap->status.worker_cpu;
          c.step_first = snap->status.step;
          break;
        }
      g_usleep (1000);
    }
  lab_session_play (bench_session);
  id = g_timeout_add (period_ms, take_at_60hz, &c);
  g_main_loop_run (c.loop);
  {
    double rate = (double) (c.rows - 1) / (c.t_last - c.t_first);
    cpu_per_step_session = (c.cpu_last - c.cpu_first) / (double) (c.step_last - c.step_first);
    lab_session_free (bench_session);
    g_main_loop_unref (c.loop);
    (void) id;
    return rate;
  }
}

static gint
cmp_double (gconstpointer a,
            gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return (x > y) - (x < y);
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *preset = g_strdup ("spiral");
  gint64 steps = 20000;
  int threads = 1, repeats = 3, reserve = 1;
  char **sets = NULL;
  GOptionEntry entries[] = {
    { "preset", 0, 0, G_OPTION_ARG_STRING, &preset, "Preset", "NAME" },
    { "steps", 0, 0, G_OPTION_ARG_INT64, &steps, "Steps per run", "N" },
    { "threads", 0, 0, G_OPTION_ARG_INT, &threads, "OpenBLAS threads", "T" },
    { "repeats", 0, 0, G_OPTION_ARG_INT, &repeats, "Alternating repeats", "R" },
    { "reserve-cores", 0, 0, G_OPTION_ARG_INT, &reserve,
      "Cores --threads 0 leaves to the consumer, as the window does (default 1)", "N" },
    { "set", 0, 0, G_OPTION_ARG_STRING_ARRAY, &sets, "section.key=value", "KV" },
    { NULL },
  };
  g_autoptr(GOptionContext) ctx = g_option_context_new ("- session overhead");
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) bare = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) live = g_array_new (FALSE, FALSE, sizeof (double));
  LabConfig cfg;

  lab_blas_core_init (argv);
  g_option_context_add_main_entries (ctx, entries, NULL);
  if (!g_option_context_parse (ctx, &argc, &argv, &error))
    g_error ("%s", error->message);
  lab_config_init_defaults (&cfg);
  if (!lab_config_load_preset (&cfg, preset, &error))
    g_error ("%s", error->message);
  cfg.train.steps = steps;
  cfg.train.threads = threads;
  /* the 60 Hz consumer stands in for the window, which keeps a core for itself */
  lab_blas_reserve_cores ((guint) MAX (reserve, 0));
  for (guint i = 0; sets && sets[i]; i++)
    if (!lab_config_set_assignment (&cfg, sets[i], &error))
      g_error ("%s", error->message);

  g_autoptr(GArray) idle = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) cpu_idle = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) cpu_live = g_array_new (FALSE, FALSE, sizeof (double));

  for (int r = 0; r < repeats; r++)
    {
      double a = run_trainer (&cfg), c_idle, c_live, b, c;

      c = run_session (&cfg, 1000);
      c_idle = cpu_per_step_session;
      b = run_session (&cfg, 16);
      c_live = cpu_per_step_session;
      g_array_append_val (bare, a);
      g_array_append_val (idle, c);
      g_array_append_val (live, b);
      g_array_append_val (cpu_idle, c_idle);
      g_array_append_val (cpu_live, c_live);
      fprintf (stderr, "run %d: steps/s: trainer %.0f, session at 1 Hz %.0f, at 60 Hz %.0f; "
               "worker CPU per step: trainer %.1f µs, 1 Hz %.1f µs, 60 Hz %.1f µs\n", r + 1, a, c, b,
               cpu_per_step_trainer * 1e6, c_idle * 1e6, c_live * 1e6);
    }
  {
    double med_a, med_b, med_c, med_ci, med_cl;
    g_array_sort (bare, cmp_double);
    g_array_sort (idle, cmp_double);
    g_array_sort (live, cmp_double);
    g_array_sort (cpu_idle, cmp_double);
    g_array_sort (cpu_live, cmp_double);
    med_a = g_array_index (bare, double, bare->len / 2);
    med_c = g_array_index (idle, double, idle->len / 2);
    med_b = g_array_index (live, double, live->len / 2);
    med_ci = g_array_index (cpu_idle, double, cpu_idle->len / 2);
    med_cl = g_array_index (cpu_live, double, cpu_live->len / 2);
    printf ("preset=%s steps=%" G_GINT64_FORMAT " trainer_steps_per_sec=%.0f "
            "session_1hz_steps_per_sec=%.0f session_60hz_steps_per_sec=%.0f "
            "overhead_percent=%.2f cpu_overhead_percent=%.2f blas_core=%s blas_threads=%u\n",
            preset, steps, med_a, med_c, med_b, 100.0 * (1.0 - med_b / med_c),
            100.0 * (med_cl / med_ci - 1.0), lab_blas_core_name (), lab_blas_threads ());
  }
  lab_config_clear (&cfg);
  g_strfreev (sets);
  return 0;
}
