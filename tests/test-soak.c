/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * test-soak.c: thousands of random commands against a live session, as a restless student
 * clicking everything: play, pause, step, reset, new architectures (0–6 hidden layers of 1–64
 * units, random activations, residual on or off), learning rate, batch size, prune now
 * (magnitude or random, any target), evaluate, and now and then a config that cannot load.
 * A consumer takes every snapshot. Checks: nothing crashes or deadlocks, every command is
 * acknowledged, steps rise within a run, and resident memory measured after a warm-up and at
 * the end stays within SOAK_MAX_GROWTH_KB (outside the sanitizer builds, whose own memory
 * grows by design; there the leak checker does that job).
 *
 * Seconds of random commands: GRADLAB_SOAK_SECONDS (default 8, short for CI; bench/soak runs
 * 10 minutes). The seed is printed; GRADLAB_SOAK_SEED replays a run.
 */
#define G_LOG_DOMAIN "lab-test"
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "lab-config.h"
#include "lab-rng.h"
#include "lab-session.h"
#include "lab-test-utils.h"

/* ASan's quarantine and TSan's shadow and history grow by design: there the sanitizers check
 * memory, and the resident-size check is skipped. */
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define UNDER_SANITIZER 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define UNDER_SANITIZER 1
#endif
#endif

#define SOAK_MAX_GROWTH_KB (20 * 1024)

typedef struct
{
  LabSession   *session;
  GMainContext *context;
  guint64       acked;
  guint         run_id;
  guint64       last_step;
  guint64       n_snapshots;
  guint64       n_rows;
  guint64       n_failed;
  guint64       n_heavy;
} Soak;

static gsize
rss_kb (void)
{
  g_autofree char *status = NULL;
  const char *p;

  g_assert_true (g_file_get_contents ("/proc/self/status", &status, NULL, NULL));
  p = strstr (status, "VmRSS:");
  g_assert_nonnull (p);
  return (gsize) g_ascii_strtoull (p + 6, NULL, 10);
}

static void
soak_take (LabSession *session,
           gpointer    user_data)
{
  Soak *s = user_data;
  g_autoptr(LabSnapshot) snap = lab_session_take (session);

  if (snap == NULL)
    return;
  s->n_snapshots++;
  if (snap->run_id != s->run_id)
    {
      s->run_id = snap->run_id;
      s->last_step = 0;
    }
  for (guint i = 0; i < lab_row_log_len (snap->rows); i++)
    {
      const LabStepStats *st = lab_test_row (snap->rows, i);

      /* rows come in order; a reset or new config starts a new run at step 1 */
      g_assert_cmpuint (st->step, >, s->last_step);
      s->last_step = st->step;
    }
  s->n_rows += lab_row_log_len (snap->rows);
  g_assert_cmpuint (snap->status.acked, >=, s->acked);
  s->acked = snap->status.acked;
  if (snap->status.state == LAB_SESSION_FAILED)
    {
      g_assert_nonnull (lab_snapshot_error (snap));
      s->n_failed++;
    }
  if (snap->heavy != NULL)
    {
      /* read the copies through: ASan/TSan see a stale or freed buffer */
      double sum = 0;
      for (gsize i = 0; i < snap->heavy->n_params; i += 7)
        sum += snap->heavy->params[i];
      (void) sum;
      s->n_heavy++;
    }
}

static gboolean
on_timeout (gpointer data)
{
  g_error ("soak: the session did not acknowledge command %" G_GUINT64_FORMAT " within 60 s",
           *(guint64 *) data);
  return G_SOURCE_REMOVE;
}

static void
wait_acked (Soak    *s,
            guint64  serial)
{
  GSource *guard = g_timeout_source_new_seconds (60);

  g_source_set_callback (guard, on_timeout, &serial, NULL);
  g_source_attach (guard, s->context);
  while (s->acked < serial)
    g_main_context_iteration (s->context, TRUE);
  g_source_destroy (guard);
  g_source_unref (guard);
}

/* A random but valid architecture on the small spiral data, sometimes with a bad data path. */
static void
random_config (LabRng    *rng,
               LabConfig *cfg,
               gboolean  *bad)
{
  static const LabActivation acts[] = {
    LAB_ACT_SIGMOID, LAB_ACT_TANH, LAB_ACT_RELU, LAB_ACT_LEAKY_RELU, LAB_ACT_ELU, LAB_ACT_LINEAR,
  };
  static const char *sources[] = { "spiral", "circles", "xor", "gaussians" };
  g_autoptr(GError) error = NULL;
  g_autofree char *src = g_strdup_printf ("data.source=%s", sources[lab_rng_below (rng, 4)]);

  g_assert_true (lab_config_load_preset (cfg, "spiral", &error));
  g_assert_true (lab_config_set_assignment (cfg, src, &error));
  g_assert_true (lab_config_set_assignment (cfg, "data.n_classes=2", &error));
  g_assert_true (lab_config_set_assignment (cfg, "data.n_train=200", &error));
  g_assert_true (lab_config_set_assignment (cfg, "data.n_test=100", &error));
  cfg->model.n_hidden = lab_rng_below (rng, 7);
  for (guint i = 0; i < cfg->model.n_hidden; i++)
    {
      cfg->model.hidden[i] = 1 + lab_rng_below (rng, 64);
      cfg->model.act[i] = acts[lab_rng_below (rng, G_N_ELEMENTS (acts))];
    }
  cfg->model.residual = lab_rng_below (rng, 2);
  cfg->train.batch = 1 + lab_rng_below (rng, 64);
  cfg->train.seed = lab_rng_u32 (rng);
  cfg->prune.spec.seed = cfg->train.seed;
  g_assert_true (lab_config_validate (cfg, &error));

  *bad = lab_rng_below (rng, 20) == 0;
  if (*bad)
    {
      /* valid settings, but the data cannot load: the session must fail and recover */
      g_assert_true (lab_config_set_assignment (cfg, "data.source=csv", &error));
      g_assert_true (lab_config_set_assignment (cfg, "data.path=/nonexistent/soak.csv", &error));
    }
}

static void
test_soak (void)
{
  const char *env_seconds = g_getenv ("GRADLAB_SOAK_SECONDS");
  const char *env_seed = g_getenv ("GRADLAB_SOAK_SEED");
  double seconds = env_seconds ? g_ascii_strtod (env_seconds, NULL) : 8.0;
  guint64 seed = env_seed ? g_ascii_strtoull (env_seed, NULL, 10)
                          : (guint64) g_get_real_time ();
  guint64 counts[11] = { 0 };
  guint64 serial = 0, n_commands = 0;
  gint64 start, warm_at, end;
  gsize rss_warm = 0, rss_end;
  LabConfig cfg;
  LabRng rng;
  Soak s = { 0 };
  gboolean bad = FALSE;

  g_test_message ("soak: %.0f s, GRADLAB_SOAK_SEED=%" G_GUINT64_FORMAT, seconds, seed);
  lab_rng_init (&rng, seed);
  lab_config_init_defaults (&cfg);
  random_config (&rng, &cfg, &bad);

  s.context = g_main_context_new ();
  g_main_context_push_thread_default (s.context);
  s.session = lab_session_new (&cfg);
  lab_session_set_consumer (s.session, s.context, soak_take, &s);
  lab_session_set_heavy_interval (s.session, 5);

  start = g_get_monotonic_time ();
  warm_at = start + (gint64) (seconds * 0.25 * G_USEC_PER_SEC);
  end = start + (gint64) (seconds * G_USEC_PER_SEC);
  while (g_get_monotonic_time () < end)
    {
      guint what = lab_rng_below (&rng, 100);

      if (what < 12)
        serial = lab_session_play (s.session), counts[0]++;
      else if (what < 22)
        serial = lab_session_pause (s.session), counts[1]++;
      else if (what < 37)
        serial = lab_session_step (s.session, 1 + lab_rng_below (&rng, 20)), counts[2]++;
      else if (what < 42)
        serial = lab_session_reset (s.session, lab_rng_below (&rng, 2) ? -1
                                                : (gint64) lab_rng_below (&rng, 1000)),
        counts[3]++;
      else if (what < 50)
        {
          random_config (&rng, &cfg, &bad);
          serial = lab_session_set_config (s.session, &cfg);
          counts[4]++;
        }
      else if (what < 60)
        serial = lab_session_set_lr (s.session, 1e-4 + lab_rng_uniform (&rng)), counts[5]++;
      else if (what < 68)
        serial = lab_session_set_batch (s.session, 1 + lab_rng_below (&rng, 64)), counts[6]++;
      else if (what < 78)
        {
          LabPruneSpec spec = cfg.prune.spec;

          spec.criterion = lab_rng_below (&rng, 2) ? LAB_PRUNE_MAGNITUDE : LAB_PRUNE_RANDOM;
          spec.scope = lab_rng_below (&rng, 2) ? LAB_PRUNE_SCOPE_LAYER : LAB_PRUNE_SCOPE_GLOBAL;
          spec.structure = lab_rng_below (&rng, 4) ? LAB_PRUNE_WEIGHT : LAB_PRUNE_NEURON;
          spec.threshold_mode = LAB_PRUNE_THRESHOLD_NONE;
          spec.target = 0.95 * lab_rng_uniform (&rng);
          spec.seed = lab_rng_u32 (&rng);
          serial = lab_session_prune_now (s.session, &spec);
          counts[7]++;
        }
      else if (what < 86)
        serial = lab_session_evaluate (s.session), counts[8]++;
      else if (what < 88)
        serial = lab_session_set_clip (s.session, lab_rng_below (&rng, 2) ? LAB_CLIP_NORM
                                                                          : LAB_CLIP_NONE,
                                       0.1 + lab_rng_uniform (&rng)),
        counts[9]++;
      else
        {
          /* let the worker run a little between bursts */
          g_usleep (lab_rng_below (&rng, 2000));
          counts[10]++;
        }
      n_commands++;

      while (g_main_context_iteration (s.context, FALSE))
        ;
      /* keep the queue short: at most 64 commands in flight */
      if (n_commands % 64 == 0)
        wait_acked (&s, serial);

      if (rss_warm == 0 && g_get_monotonic_time () >= warm_at)
        {
          wait_acked (&s, serial);
          rss_warm = rss_kb ();
        }
    }

  serial = lab_session_pause (s.session);
  wait_acked (&s, serial);
  while (g_main_context_iteration (s.context, FALSE))
    ;
  rss_end = rss_kb ();

  g_test_message ("soak: %" G_GUINT64_FORMAT " commands (play %" G_GUINT64_FORMAT
                  ", pause %" G_GUINT64_FORMAT ", step %" G_GUINT64_FORMAT
                  ", reset %" G_GUINT64_FORMAT ", config %" G_GUINT64_FORMAT
                  ", lr %" G_GUINT64_FORMAT ", batch %" G_GUINT64_FORMAT
                  ", prune %" G_GUINT64_FORMAT ", evaluate %" G_GUINT64_FORMAT
                  ", clip %" G_GUINT64_FORMAT ", idle %" G_GUINT64_FORMAT ")",
                  n_commands, counts[0], counts[1], counts[2], counts[3], counts[4], counts[5],
                  counts[6], counts[7], counts[8], counts[9], counts[10]);
  g_test_message ("soak: %" G_GUINT64_FORMAT " snapshots, %" G_GUINT64_FORMAT " rows, %"
                  G_GUINT64_FORMAT " heavy, %" G_GUINT64_FORMAT " failed states; "
                  "VmRSS %" G_GSIZE_FORMAT " kB after warm-up, %" G_GSIZE_FORMAT " kB at the end",
                  s.n_snapshots, s.n_rows, s.n_heavy, s.n_failed, rss_warm, rss_end);

  /* thousands in a plain build (about 7500 in 8 s); a TSan build sharing the machine with
   * other tests manages far fewer */
  g_assert_cmpuint (n_commands, >=, 200);
  g_assert_cmpuint (s.n_snapshots, >, 0);
  g_assert_cmpuint (s.acked, ==, serial);
#ifndef UNDER_SANITIZER
  g_assert_cmpuint (rss_warm, >, 0);
  if (rss_end > rss_warm + SOAK_MAX_GROWTH_KB)
    g_error ("soak: resident memory grew from %" G_GSIZE_FORMAT " kB to %" G_GSIZE_FORMAT
             " kB (limit +%d kB)", rss_warm, rss_end, SOAK_MAX_GROWTH_KB);
#endif

  /* the session still works: a known-good config trains */
  {
    LabConfig good;
    guint64 rows_before;

    lab_config_init_defaults (&good);
    g_assert_true (lab_config_load_preset (&good, "spiral", NULL));
    serial = lab_session_set_config (s.session, &good);
    wait_acked (&s, serial);
    rows_before = s.n_rows;
    serial = lab_session_step (s.session, 10);
    wait_acked (&s, serial);
    while (s.n_rows < rows_before + 10)
      g_main_context_iteration (s.context, TRUE);
    lab_config_clear (&good);
  }

  lab_session_free (s.session);
  g_main_context_pop_thread_default (s.context);
  g_main_context_unref (s.context);
  lab_config_clear (&cfg);
}

int
main (int   argc,
      char *argv[])
{
  /* GLib 2.74's GSlice hands freed blocks between threads through its magazine depot, which is
   * locked with GMutex (futexes TSan cannot see, GLib not being instrumented): TSan would report
   * GLib's internals as races. Plain malloc, as GLib ≥ 2.76 always does, keeps reports ours.
   * GLib reads G_SLICE when it loads, before main(): set it and start again. */
  if (g_strcmp0 (g_getenv ("G_SLICE"), "always-malloc") != 0)
    {
      g_setenv ("G_SLICE", "always-malloc", TRUE);
      execv ("/proc/self/exe", argv);   /* on failure, run as we are */
    }
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/session/soak", test_soak);

  return g_test_run ();
}
