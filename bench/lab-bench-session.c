/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-bench-session.c: what the session costs. Runs the same training (a preset, N steps) three
 * ways and prints steps/s for each: the bare trainer loop, a LabSession whose consumer takes
 * snapshots at 60 Hz (as the window does), and a LabSession whose consumer never takes. The
 * overhead of publishing must stay under 5 %.
 *
 *   lab-bench-session --preset spiral --steps 20000
 */
#include "config.h"

#include <stdio.h>

#include "lab-config.h"
#include "lab-session.h"
#include "lab-trainer.h"

typedef struct
{
  GMainLoop *loop;
  guint64    rows;
  double     t_first;   /* st->time of the first and last rows: the worker's own clock, so */
  double     t_last;    /* neither the play command nor the 60 Hz poll at the end is timed */
} Consumer;

static gboolean
take_at_60hz (gpointer data)
{
  Consumer *c = data;
  extern LabSession *bench_session;
  g_autoptr(LabSnapshot) snap = lab_session_take (bench_session);

  if (snap)
    {
      if (snap->rows->len > 0)
        {
          if (c->rows == 0)
            c->t_first = g_array_index (snap->rows, LabStepStats, 0).time;
          c->t_last = g_array_index (snap->rows, LabStepStats, snap->rows->len - 1).time;
        }
      c->rows += snap->rows->len;
      if (snap->state == LAB_SESSION_FINISHED || snap->state == LAB_SESSION_FAILED)
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
  double t_first = 0;

  if (tr == NULL)
    g_error ("%s", error->message);
  while (!lab_trainer_finished (tr))
    {
      if (!lab_trainer_step (tr, &st, &error))
        g_error ("%s", error->message);
      if (st.step == 1)
        t_first = st.time;
    }
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
        break;
      g_usleep (1000);
    }
  lab_session_play (bench_session);
  id = g_timeout_add (period_ms, take_at_60hz, &c);
  g_main_loop_run (c.loop);
  {
    double rate = (double) (c.rows - 1) / (c.t_last - c.t_first);
    lab_session_free (bench_session);
    g_main_loop_unref (c.loop);
    (void) id;
    return rate;
  }
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *preset = g_strdup ("spiral");
  gint64 steps = 20000;
  int threads = 1, repeats = 3;
  char **sets = NULL;
  GOptionEntry entries[] = {
    { "preset", 0, 0, G_OPTION_ARG_STRING, &preset, "Preset", "NAME" },
    { "steps", 0, 0, G_OPTION_ARG_INT64, &steps, "Steps per run", "N" },
    { "threads", 0, 0, G_OPTION_ARG_INT, &threads, "OpenBLAS threads", "T" },
    { "repeats", 0, 0, G_OPTION_ARG_INT, &repeats, "Alternating repeats", "R" },
    { "set", 0, 0, G_OPTION_ARG_STRING_ARRAY, &sets, "section.key=value", "KV" },
    { NULL },
  };
  g_autoptr(GOptionContext) ctx = g_option_context_new ("- session overhead");
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) bare = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) live = g_array_new (FALSE, FALSE, sizeof (double));
  LabConfig cfg;

  g_option_context_add_main_entries (ctx, entries, NULL);
  if (!g_option_context_parse (ctx, &argc, &argv, &error))
    g_error ("%s", error->message);
  lab_config_init_defaults (&cfg);
  if (!lab_config_load_preset (&cfg, preset, &error))
    g_error ("%s", error->message);
  cfg.train.steps = steps;
  cfg.train.threads = threads;
  for (guint i = 0; sets && sets[i]; i++)
    if (!lab_config_set_assignment (&cfg, sets[i], &error))
      g_error ("%s", error->message);

  for (int r = 0; r < repeats; r++)
    {
      double a = run_trainer (&cfg), b = run_session (&cfg, 16);
      g_array_append_val (bare, a);
      g_array_append_val (live, b);
      fprintf (stderr, "run %d: trainer %.0f steps/s, session+60Hz consumer %.0f steps/s\n",
               r + 1, a, b);
    }
  {
    double best_a = 0, best_b = 0;
    for (guint i = 0; i < bare->len; i++)
      {
        best_a = MAX (best_a, g_array_index (bare, double, i));
        best_b = MAX (best_b, g_array_index (live, double, i));
      }
    printf ("preset=%s steps=%" G_GINT64_FORMAT " trainer_steps_per_sec=%.0f "
            "session_60hz_steps_per_sec=%.0f overhead_percent=%.2f\n",
            preset, steps, best_a, best_b, 100.0 * (1.0 - best_b / best_a));
  }
  lab_config_clear (&cfg);
  g_strfreev (sets);
  return 0;
}
