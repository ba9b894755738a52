/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * test-limits.c: absurd sizes are refused before anything is allocated, with a message that says
 * the limit. A config asking for a layer or a batch of 10⁹, a network of billions of parameters
 * or gigabytes of activations, an IDX header claiming 10⁶×10⁶ images, a CSV line of 10⁷
 * columns, an .npy header claiming 10¹⁸ floats, a live batch change to 10⁹. Outside the
 * sanitizer builds (whose shadow memory needs terabytes of address space), the refusals run
 * under a 1 GiB address-space limit, so an attempt to allocate first would abort the child.
 */
#define G_LOG_DOMAIN "lab-test"
#include "config.h"

#include <string.h>
#include <sys/resource.h>

#include "lab-config.h"
#include "lab-dataset.h"
#include "lab-error.h"
#include "lab-mlp.h"
#include "lab-npy.h"
#include "lab-session.h"
#include "lab-test-utils.h"

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define UNDER_SANITIZER 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer) || \
    __has_feature(memory_sanitizer)
#define UNDER_SANITIZER 1
#endif
#endif

static void
assert_error (const GError *error,
              int           code,
              const char   *must_contain)
{
  g_assert_nonnull (error);
  g_test_message ("%s", error->message);
  g_assert_error (error, LAB_ENGINE_ERROR, code);
  if (strstr (error->message, must_contain) == NULL)
    g_error ("message '%s' lacks '%s'", error->message, must_contain);
}

/* Runs @func in a child process with at most 1 GiB of address space (if we can). */
static void
run_limited (void (*func) (void))
{
  if (g_test_subprocess ())
    {
#ifndef UNDER_SANITIZER
      struct rlimit rl = { .rlim_cur = (rlim_t) 1 << 30, .rlim_max = (rlim_t) 1 << 30 };
      struct rlimit old;

      g_assert_cmpint (getrlimit (RLIMIT_AS, &old), ==, 0);
      if (old.rlim_max == RLIM_INFINITY || old.rlim_max >= rl.rlim_max)
        g_assert_cmpint (setrlimit (RLIMIT_AS, &rl), ==, 0);
#endif
      func ();
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
}

/* --- config ------------------------------------------------------------------------------- */

static void
config_cases (void)
{
  static const struct { const char *ini; const char *msg; } cases[] = {
    { "[model]\nhidden = 1000000000\n", "the limit is 4096 units per layer" },
    { "[model]\nhidden = 64,1000000000\n", "layer 2 has 1000000000 units" },
    { "[train]\nbatch = 1000000000\n", "from 1 to 65536" },
    { "[data]\nn_train = 1000000000\n", "from 1 to 1000000" },
    { "[model]\nhidden = 1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1\n",
      "33 hidden layers: the limit is 32" },
    /* 16 × 4096² ≈ 268 M parameters, every layer within its own limit */
    { "[model]\nhidden = 4096,4096,4096,4096,4096,4096,4096,4096,4096,4096,4096,4096,4096,"
      "4096,4096,4096,4096\n", "the limit is 200000000 (200 million)" },
    { "[train]\nsteps = 99999999999999999999999\n", "whole number" },
    { "[train]\nlr = 1e999\n", "[train] lr" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      LabConfig cfg;

      lab_config_init_defaults (&cfg);
      g_assert_false (lab_config_load_data (&cfg, cases[i].ini, strlen (cases[i].ini),
                                            "limits.ini", &error));
      assert_error (error, LAB_ENGINE_ERROR_INVALID, cases[i].msg);
      g_assert_nonnull (strstr (error->message, "limits.ini"));
      lab_config_clear (&cfg);
    }
}

static void
test_config (void)
{
  run_limited (config_cases);
}

/* --- the network itself: the real input size is only known once the data is loaded -------- */

static void
mlp_cases (void)
{
  g_autoptr(GError) error = NULL;
  LabMlpShape shape = { 0 };

  shape.n_in = LAB_MAX_INPUT;     /* a CSV of 65536 features */
  shape.n_out = 10;
  shape.n_hidden = 2;
  shape.hidden[0] = shape.hidden[1] = LAB_MAX_WIDTH;
  shape.init = LAB_INIT_LECUN;
  shape.init_scale = 1;
  shape.max_batch = 64;
  g_assert_null (lab_mlp_new (&shape, &error));
  assert_error (error, LAB_ENGINE_ERROR_INVALID, "the limit is 200000000");
  g_clear_error (&error);

  /* 65536 × (2 + 2·(4·4096 + 2) + 3·4096) floats ≈ 11 GiB of activations */
  shape.n_in = 2;
  shape.n_out = 2;
  shape.n_hidden = 4;
  for (guint l = 0; l < 4; l++)
    shape.hidden[l] = LAB_MAX_WIDTH;
  shape.max_batch = LAB_MAX_BATCH;
  g_assert_null (lab_mlp_new (&shape, &error));
  assert_error (error, LAB_ENGINE_ERROR_INVALID, "the limit is 1024 MiB");
  g_clear_error (&error);

  shape.max_batch = 1000000000;
  g_assert_null (lab_mlp_new (&shape, &error));
  assert_error (error, LAB_ENGINE_ERROR_INVALID, "out of range 1 to 65536");
  g_clear_error (&error);

  shape.max_batch = 64;
  shape.hidden[2] = 1000000000;
  g_assert_null (lab_mlp_new (&shape, &error));
  assert_error (error, LAB_ENGINE_ERROR_INVALID, "the limit is 1 to 4096 units per layer");
}

static void
test_mlp (void)
{
  run_limited (mlp_cases);
}

/* --- data files ----------------------------------------------------------------------------- */

static GByteArray *
idx_header (guint8        ndim,
            const guint32 *dims)
{
  GByteArray *b = g_byte_array_new ();
  guint8 magic[4] = { 0, 0, 8, ndim };

  g_byte_array_append (b, magic, 4);
  for (guint d = 0; d < ndim; d++)
    {
      guint32 be = GUINT32_TO_BE (dims[d]);
      g_byte_array_append (b, (guint8 *) &be, 4);
    }
  return b;
}

static void
idx_cases (void)
{
  static const struct { guint8 ndim; guint32 dims[3]; const char *msg; } cases[] = {
    { 3, { 1000000, 1000000, 1000000 }, "exceed the limit of 65536 inputs per sample" },
    { 3, { 1, 1000000, 1000000 }, "exceed the limit of 65536 inputs per sample" },
    { 3, { 4000000000u, 28, 28 }, "truncated: header says 3136000000000 bytes" },
    { 1, { 4000000000u }, "truncated: header says 4000000000 bytes" },
  };
  g_autofree char *dir = lab_test_mkdtemp ();

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GByteArray) b = idx_header (cases[i].ndim, cases[i].dims);
      g_autoptr(GError) error = NULL;
      g_autofree char *name = g_strdup_printf ("case%u-idx%u-ubyte", i, cases[i].ndim);
      g_autofree char *path = NULL;
      g_autofree char *gz = NULL;
      guint8 *data;
      guint8 pad[64] = { 0 };

      g_byte_array_append (b, pad, sizeof pad);
      data = lab_idx_parse (name, b->data, b->len, FALSE, cases[i].ndim, NULL, &error);
      g_assert_null (data);
      assert_error (error, LAB_ENGINE_ERROR_FORMAT, cases[i].msg);
      g_clear_error (&error);

      /* the same through the file loader, raw and gzip-compressed */
      path = lab_test_write_file (dir, name, b->data, b->len);
      gz = lab_test_write_gzip (dir, "x.gz", b->data, b->len);
      for (guint k = 0; k < 2; k++)
        {
          const char *p = k == 0 ? path : gz;
          LabSplit s;

          if (cases[i].ndim == 3)
            {
              guint32 one = 1;
              g_autoptr(GByteArray) lb = idx_header (1, &one);
              g_autofree char *lp = NULL;

              g_byte_array_append (lb, pad, 1);
              lp = lab_test_write_file (dir, "labels", lb->data, lb->len);
              g_assert_false (lab_idx_load_split (p, lp, &s, NULL, NULL, &error));
            }
          else
            {
              guint32 ones[3] = { 1, 1, 1 };
              g_autoptr(GByteArray) ib = idx_header (3, ones);
              g_autofree char *ip = NULL;

              g_byte_array_append (ib, pad, 1);
              ip = lab_test_write_file (dir, "images", ib->data, ib->len);
              g_assert_false (lab_idx_load_split (ip, p, &s, NULL, NULL, &error));
            }
          assert_error (error, LAB_ENGINE_ERROR_FORMAT, cases[i].msg);
          g_assert_nonnull (strstr (error->message, p));
          g_clear_error (&error);
        }
    }

  /* A gzip trailer claiming 4 GiB does not size the buffer (it is a lie for 100 bytes). */
  {
    guint32 dims[3] = { 1, 2, 2 };
    g_autoptr(GByteArray) b = idx_header (3, dims);
    g_autoptr(GError) error = NULL;
    g_autofree char *gz = NULL;
    g_autofree char *contents = NULL;
    g_autofree guint8 *pixels = NULL;
    guint8 px[4] = { 1, 2, 3, 4 };
    gsize len;

    g_byte_array_append (b, px, 4);
    gz = lab_test_write_gzip (dir, "lie.gz", b->data, b->len);
    g_assert_true (g_file_get_contents (gz, &contents, &len, NULL));
    memset (contents + len - 4, 0xff, 4);    /* ISIZE = 2^32 - 1 */
    pixels = lab_idx_parse ("lie.gz", (guint8 *) contents, len, TRUE, 3, NULL, &error);
    /* zlib checks ISIZE against what it inflated: a clean error, never a 4 GiB buffer */
    g_assert_null (pixels);
    g_assert_nonnull (error);
    g_assert_nonnull (strstr (error->message, "lie.gz"));
  }

  lab_test_rmdir (dir);
}

static void
test_idx (void)
{
  run_limited (idx_cases);
}

static void
csv_cases (void)
{
  g_autoptr(GError) error = NULL;
  GString *line = g_string_sized_new (20000010);
  LabDataset *ds;

  /* 10⁷ columns: counted, never split into 10⁷ cells */
  for (guint i = 0; i < 10000000; i++)
    g_string_append (line, i ? ",1" : "1");
  g_string_append_c (line, '\n');
  ds = lab_dataset_parse_csv ("wide.csv", line->str, line->len, FALSE, -1, 0.2, 1, &error);
  g_assert_null (ds);
  assert_error (error, LAB_ENGINE_ERROR_FORMAT,
                "line 1: 9999999 feature columns exceed the limit of 65536");
  g_string_free (line, TRUE);
  g_clear_error (&error);

  /* exactly at the limit is fine: 65536 features and a label, twice */
  line = g_string_new (NULL);
  for (guint r = 0; r < 2; r++)
    {
      for (guint i = 0; i < LAB_MAX_INPUT; i++)
        g_string_append (line, "0.5,");
      g_string_append_printf (line, "%u\n", r);
    }
  ds = lab_dataset_parse_csv ("edge.csv", line->str, line->len, FALSE, -1, 0, 1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ds->dim, ==, LAB_MAX_INPUT);
  lab_dataset_free (ds);
  g_string_free (line, TRUE);

  /* one column too many on a later row is a ragged row */
  line = g_string_new ("1,2,0\n");
  for (guint i = 0; i < LAB_MAX_INPUT + 10; i++)
    g_string_append (line, "1,");
  g_string_append (line, "0\n");
  ds = lab_dataset_parse_csv ("ragged.csv", line->str, line->len, FALSE, -1, 0, 1, &error);
  g_assert_null (ds);
  assert_error (error, LAB_ENGINE_ERROR_FORMAT, "line 2: expected 3 columns, found 65547");
  g_string_free (line, TRUE);
}

static void
test_csv (void)
{
  run_limited (csv_cases);
}

static void
npy_cases (void)
{
  static const char *shapes[] = {
    "(1000000000, 1000000000)", "(4611686018427387904,)", "(99999999999999999999999,)",
  };
  static const char *msgs[] = { "truncated: shape (1000000000, 1000000000) needs", "too large",
                                "too large" };

  for (guint i = 0; i < G_N_ELEMENTS (shapes); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GString) h = g_string_new (NULL);
      g_autoptr(GByteArray) file = g_byte_array_new ();
      guint8 pre[10] = { 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, 0, 0 };
      float *data;

      g_string_printf (h, "{'descr': '<f4', 'fortran_order': False, 'shape': %s, }", shapes[i]);
      while ((10 + h->len + 1) % 64)
        g_string_append_c (h, ' ');
      g_string_append_c (h, '\n');
      pre[8] = h->len & 0xff;
      pre[9] = h->len >> 8;
      g_byte_array_append (file, pre, 10);
      g_byte_array_append (file, (guint8 *) h->str, h->len);
      g_byte_array_append (file, (guint8 *) "\0\0\0\0", 4);
      data = lab_npy_parse ("huge.npy", file->data, file->len, NULL, NULL, &error);
      g_assert_null (data);
      assert_error (error, LAB_ENGINE_ERROR_FORMAT, msgs[i]);
    }
}

static void
test_npy (void)
{
  run_limited (npy_cases);
}

/* --- a live session: a batch of 10⁹ is a refused command, the run goes on ------------------ */

static void
session_cases (void)
{
  LabConfig cfg;
  LabSession *session;
  guint64 serial;
  gboolean seen = FALSE;
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  lab_config_init_defaults (&cfg);
  g_assert_true (lab_config_load_preset (&cfg, "spiral", NULL));
  session = lab_session_new (&cfg);
  serial = lab_session_set_batch (session, 1000000000);
  while (!seen)
    {
      g_autoptr(LabSnapshot) snap = lab_session_take (session);

      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      if (snap == NULL)
        {
          g_usleep (1000);
          continue;
        }
      if (snap->status.acked >= serial)
        {
          g_assert_cmpuint (snap->status.error_serial, ==, serial);
          g_assert_nonnull (lab_snapshot_error (snap));
          g_test_message ("%s", lab_snapshot_error (snap));
          g_assert_nonnull (strstr (lab_snapshot_error (snap), "out of range 1 to 65536"));
          g_assert_cmpint (snap->status.state, !=, LAB_SESSION_FAILED);
          g_assert_cmpuint (snap->config.train.batch, ==, cfg.train.batch);
          seen = TRUE;
        }
    }
  lab_session_free (session);
  lab_config_clear (&cfg);
}

static void
test_session (void)
{
  run_limited (session_cases);
}

/* --- the CLI: exit status 2 and one line naming the limit ----------------------------------- */

static void
test_cli (void)
{
  const char *cli = g_getenv ("GRADLAB_CLI");
  static const struct { const char *set[2]; const char *msg; } cases[] = {
    { { "model.hidden=1000000000", NULL }, "the limit is 4096 units per layer" },
    { { "train.batch=1000000000", NULL }, "from 1 to 65536" },
    { { "model.hidden=4096,4096,4096,4096", "train.batch=65536" }, "the limit is 1024 MiB" },
  };

  if (cli == NULL)
    {
      g_test_skip ("GRADLAB_CLI is not set");
      return;
    }
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *out = NULL;
      g_autofree char *err = NULL;
      const char *argv[] = { cli, "train", "--preset", "spiral", "--steps", "5", "--quiet",
                             "--set", cases[i].set[0], cases[i].set[1] ? "--set" : NULL,
                             cases[i].set[1], NULL };
      int status;

      g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                                   &out, &err, &status, &error));
      g_test_message ("%s", err);
      g_assert_true (WIFEXITED (status));
      g_assert_cmpint (WEXITSTATUS (status), ==, 2);
      g_assert_true (g_str_has_prefix (err, "gradlab-cli: "));
      g_assert_cmpstr (strchr (err, '\n') + 1, ==, "");
      g_assert_nonnull (strstr (err, cases[i].msg));
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/limits/config", test_config);
  g_test_add_func ("/limits/mlp", test_mlp);
  g_test_add_func ("/limits/idx", test_idx);
  g_test_add_func ("/limits/csv", test_csv);
  g_test_add_func ("/limits/npy", test_npy);
  g_test_add_func ("/limits/session", test_session);
  g_test_add_func ("/limits/cli", test_cli);

  return g_test_run ();
}
