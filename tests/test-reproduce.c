/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * test-reproduce.c: a saved .ini reproduces its run exactly (DESIGN.md *Files a user touches*).
 * A LabSession (what the window runs) trains N steps from a config; the config is saved with
 * lab_config_save_file(), loaded back into a fresh config and trained again: every row must be
 * the same bit for bit (the wall-clock columns and the time-driven test evaluations aside).
 * Then `gradlab-cli train --config saved.ini --steps N --metrics m.csv` must print the same
 * batch losses as the session, to the 7 significant digits the CSV keeps.
 */
#define G_LOG_DOMAIN "lab-test"
#include "config.h"

#include <math.h>
#include <string.h>
#include <sys/wait.h>

#include "lab-config.h"
#include "lab-session.h"
#include "lab-test-utils.h"

#define N_STEPS 150

/* Trains @cfg for @n steps in a LabSession and returns every row. */
static GArray *
session_rows (const LabConfig *cfg,
              guint64          n)
{
  GArray *rows = g_array_new (FALSE, FALSE, sizeof (LabStepStats));
  LabSession *s = lab_session_new (cfg);
  guint64 serial = lab_session_step (s, n);
  gint64 deadline = g_get_monotonic_time () + 100 * G_USEC_PER_SEC;

  for (;;)
    {
      g_autoptr(LabSnapshot) snap = lab_session_take (s);

      if (snap == NULL)
        {
          g_assert_cmpint (g_get_monotonic_time (), <, deadline);
          g_usleep (500);
          continue;
        }
      if (lab_snapshot_error (snap) != NULL)
        g_error ("the session failed: %s", lab_snapshot_error (snap));
      lab_test_append_rows (rows, snap->rows);
      if (snap->status.acked >= serial && snap->status.step == n &&
          snap->status.state != LAB_SESSION_RUNNING)
        break;
    }
  lab_session_free (s);
  g_assert_cmpuint (rows->len, ==, n);
  return rows;
}

static void
assert_same_rows (GArray *a,
                  GArray *b)
{
  g_assert_cmpuint (a->len, ==, b->len);
  for (guint i = 0; i < a->len; i++)
    {
      const LabStepStats *x = &g_array_index (a, LabStepStats, i);
      const LabStepStats *y = &g_array_index (b, LabStepStats, i);

      g_assert_cmpuint (x->step, ==, i + 1);
      g_assert_cmpuint (x->step, ==, y->step);
      g_assert_cmpuint (x->epoch, ==, y->epoch);
      g_assert_cmpuint (x->samples, ==, y->samples);
      g_assert_cmpuint (x->n_layers, ==, y->n_layers);
      if (memcmp (&x->loss, &y->loss, sizeof (double)) != 0)
        g_error ("step %u: loss %.17g then %.17g", i + 1, x->loss, y->loss);
      g_assert_true (memcmp (&x->lr, &y->lr, sizeof (double)) == 0);
      g_assert_true (memcmp (&x->accuracy, &y->accuracy, sizeof (double)) == 0);
      g_assert_true (memcmp (&x->grad_norm, &y->grad_norm, sizeof (double)) == 0);
      g_assert_true (memcmp (&x->sparsity, &y->sparsity, sizeof (double)) == 0);
      g_assert_true (memcmp (x->layer, y->layer, x->n_layers * sizeof (LabLayerStats)) == 0);
    }
}

static void
run_cli_train (const char *ini,
               const char *csv,
               guint64     n)
{
  const char *cli = g_getenv ("GRADLAB_CLI");
  g_autofree char *steps = g_strdup_printf ("%" G_GUINT64_FORMAT, n);
  const char *argv[] = { cli, "train", "--config", ini, "--steps", steps, "--metrics", csv,
                         "--quiet", NULL };
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int status;

  g_assert_nonnull (cli);
  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err, &status,
                &error);
  g_assert_no_error (error);
  if (!WIFEXITED (status) || WEXITSTATUS (status) != 0)
    g_error ("gradlab-cli failed: %s", err);
}

/* The session's batch losses, as %.7g, against the CLI's metrics file. */
static void
assert_cli_losses (GArray     *rows,
                   const char *csv)
{
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;

  g_assert_true (g_file_get_contents (csv, &text, NULL, NULL));
  lines = g_strsplit (text, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, rows->len + 2);
  g_assert_true (g_str_has_prefix (lines[0], "step,epoch,time,lr,loss,"));
  for (guint i = 0; i < rows->len; i++)
    {
      const LabStepStats *st = &g_array_index (rows, LabStepStats, i);
      g_auto(GStrv) f = g_strsplit (lines[i + 1], ",", 6);
      char want[G_ASCII_DTOSTR_BUF_SIZE];

      g_assert_cmpuint (g_strv_length (f), ==, 6);
      g_assert_cmpuint (g_ascii_strtoull (f[0], NULL, 10), ==, st->step);
      g_ascii_formatd (want, sizeof want, "%.7g", st->loss);
      if (strcmp (f[4], want) != 0)
        g_error ("step %" G_GUINT64_FORMAT ": the CLI's loss is %s, the session's %s",
                 st->step, f[4], want);
    }
}

typedef struct
{
  const char  *preset;
  const char  *sets[10];
  gboolean     fashion;   /* needs Debian's Fashion-MNIST */
} Case;

static const Case cases[] = {
  { "spiral", { NULL }, FALSE },
  /* more of the settings: seed, schedule, clipping, a gradual pruning during the run. The cosine
   * schedule spans the run's length, train.steps, which the CLI's --steps sets: so the .ini
   * must say the same length for the CLI to reproduce it. */
  { "spiral", { "train.steps=150", "train.seed=42", "train.schedule=cosine", "clip.mode=norm",
                "clip.value=0.5",
                "prune.schedule=gradual", "prune.enabled=true", "prune.end_step=120",
                "prune.frequency=30" }, FALSE },
  { "vanishing-sigmoid", { "data.train_limit=3000", "data.test_limit=500" }, TRUE },
};

static void
test_reproduce (gconstpointer data)
{
  const Case *c = data;
  g_autofree char *dir = lab_test_mkdtemp ();
  g_autofree char *ini = g_build_filename (dir, "saved.ini", NULL);
  g_autofree char *csv = g_build_filename (dir, "m.csv", NULL);
  g_autofree char *text1 = NULL;
  g_autofree char *text2 = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) first = NULL;
  g_autoptr(GArray) again = NULL;
  LabConfig cfg, loaded;

  if (c->fashion && !lab_test_have_fashion_mnist ())
    {
      g_test_skip ("Fashion-MNIST is not installed");
      return;
    }

  lab_config_init_defaults (&cfg);
  g_assert_true (lab_config_load_preset (&cfg, c->preset, &error));
  for (guint i = 0; i < G_N_ELEMENTS (c->sets) && c->sets[i] != NULL; i++)
    {
      g_assert_true (lab_config_set_assignment (&cfg, c->sets[i], &error));
      g_assert_no_error (error);
    }
  g_assert_true (lab_config_validate (&cfg, &error));
  first = session_rows (&cfg, N_STEPS);
  if (cfg.prune.enabled)   /* the schedule did prune during the run */
    g_assert_cmpfloat (g_array_index (first, LabStepStats, N_STEPS - 1).sparsity, >, 0.1);

  g_assert_true (lab_config_save_file (&cfg, ini, &error));
  g_assert_no_error (error);
  lab_config_init_defaults (&loaded);
  g_assert_true (lab_config_load_file (&loaded, ini, &error));
  g_assert_no_error (error);
  text1 = lab_config_to_data (&cfg, NULL);
  text2 = lab_config_to_data (&loaded, NULL);
  g_assert_cmpstr (text1, ==, text2);

  again = session_rows (&loaded, N_STEPS);
  assert_same_rows (first, again);

  run_cli_train (ini, csv, N_STEPS);
  assert_cli_losses (first, csv);

  lab_config_clear (&cfg);
  lab_config_clear (&loaded);
  lab_test_rmdir (dir);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_data_func ("/engine/reproduce/spiral", &cases[0], test_reproduce);
  g_test_add_data_func ("/engine/reproduce/spiral-pruned-clipped", &cases[1], test_reproduce);
  g_test_add_data_func ("/engine/reproduce/vanishing-sigmoid", &cases[2], test_reproduce);

  return g_test_run ();
}
