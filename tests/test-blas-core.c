/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * test-blas-core.c: choosing OpenBLAS's kernels (engine/lab-blas-core.c). The decision over a
 * table of CPUs; the CPU features against /proc/cpuinfo; every candidate core this OpenBLAS has
 * really loading by name; and gradlab-cli end to end: a fallback OpenBLAS really loaded
 * (GRADLAB_TEST_BLAS_FALLBACK) is replaced by the best core after one re-exec, a re-exec'd
 * program never runs again, and an OPENBLAS_CORETYPE the user set is left alone.
 */
#define G_LOG_DOMAIN "lab-test"
#include "config.h"

#include <cblas.h>
#include <string.h>

#include "lab-blas-core.h"
#include "lab-test-utils.h"

#define SKX (LAB_CPU_AVX | LAB_CPU_AVX2 | LAB_CPU_FMA | LAB_CPU_AVX512F | LAB_CPU_AVX512BW \
             | LAB_CPU_AVX512DQ | LAB_CPU_AVX512VL | LAB_CPU_AVX512CD)
#define AVX2 (LAB_CPU_AVX | LAB_CPU_AVX2 | LAB_CPU_FMA)

static void
test_choose (void)
{
  /* what OpenBLAS 0.3.21 (Debian 12, DYNAMIC_ARCH) has, and smaller builds */
  static const char *const all[] = { "SkylakeX", "Zen", "Haswell", "Sandybridge", NULL };
  static const char *const no_skx[] = { "Zen", "Haswell", "Sandybridge", NULL };
  static const char *const no_zen[] = { "SkylakeX", "Haswell", "Sandybridge", NULL };
  static const char *const none[] = { NULL };
  static const struct
  {
    const char        *cpu;
    guint              features;
    const char        *core;        /* what OpenBLAS chose */
    const char *const *available;
    gboolean           user_set;
    gboolean           reexeced;
    const char        *expect;      /* NULL: keep OpenBLAS's choice */
  } cases[] = {
    { "Xeon family 6 model 207 (AVX-512)", SKX, "Prescott", all, FALSE, FALSE, "SkylakeX" },
    { "same, an OpenBLAS without SkylakeX", SKX, "Prescott", no_skx, FALSE, FALSE, "Haswell" },
    { "same, OpenBLAS knows it", SKX, "SkylakeX", all, FALSE, FALSE, NULL },
    { "same, OpenBLAS chose Haswell itself", SKX, "Haswell", all, FALSE, FALSE, NULL },
    { "Intel AVX2 only", AVX2, "Prescott", all, FALSE, FALSE, "Haswell" },
    { "Intel AVX2, Core2 fallback", AVX2, "Core2", all, FALSE, FALSE, "Haswell" },
    { "Intel AVX2, Nehalem fallback", AVX2, "Nehalem", all, FALSE, FALSE, "Haswell" },
    { "Intel AVX2, any case", AVX2, "prescott", all, FALSE, FALSE, "Haswell" },
    { "Intel AVX2, known", AVX2, "Haswell", all, FALSE, FALSE, NULL },
    { "AMD Zen 2 (AVX2)", AVX2 | LAB_CPU_AMD, "Prescott", all, FALSE, FALSE, "Zen" },
    { "AMD Zen 2, no Zen kernels", AVX2 | LAB_CPU_AMD, "Prescott", no_zen, FALSE, FALSE,
      "Haswell" },
    { "AMD Zen 2, known", AVX2 | LAB_CPU_AMD, "Zen", all, FALSE, FALSE, NULL },
    { "AMD Zen 4 (AVX-512)", SKX | LAB_CPU_AMD, "Prescott", all, FALSE, FALSE, "SkylakeX" },
    { "AMD Zen 4, known", SKX | LAB_CPU_AMD, "Cooperlake", all, FALSE, FALSE, NULL },
    { "Knights Landing (AVX-512F, no BW/DQ/VL)",
      AVX2 | LAB_CPU_AVX512F | LAB_CPU_AVX512CD, "Prescott", all, FALSE, FALSE, "Haswell" },
    { "Sandy Bridge (AVX)", LAB_CPU_AVX, "Nehalem", all, FALSE, FALSE, "Sandybridge" },
    { "AVX2 without FMA", LAB_CPU_AVX | LAB_CPU_AVX2, "Prescott", all, FALSE, FALSE,
      "Sandybridge" },
    { "SSE only", 0, "Prescott", all, FALSE, FALSE, NULL },
    { "unknown core name (a newer OpenBLAS)", SKX, "SapphireRapids", all, FALSE, FALSE, NULL },
    { "OpenBLAS's Unknown", SKX, "Unknown", all, FALSE, FALSE, "SkylakeX" },
    { "generic kernels", AVX2, "Generic", all, FALSE, FALSE, "Haswell" },
    { "no name", AVX2, NULL, all, FALSE, FALSE, "Haswell" },
    { "empty name", AVX2, "", all, FALSE, FALSE, "Haswell" },
    { "user-set OPENBLAS_CORETYPE", SKX, "Prescott", all, TRUE, FALSE, NULL },
    { "already re-exec'd", SKX, "Prescott", all, FALSE, TRUE, NULL },
    { "not a DYNAMIC_ARCH build", SKX, "Prescott", none, FALSE, FALSE, NULL },
    { "no list", SKX, "Prescott", NULL, FALSE, FALSE, NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const char *got = lab_blas_core_choose (cases[i].features, cases[i].core,
                                              cases[i].available, cases[i].user_set,
                                              cases[i].reexeced);
      if (g_strcmp0 (got, cases[i].expect) != 0)
        g_error ("%s: chose %s, expected %s", cases[i].cpu, got ? got : "(keep)",
                 cases[i].expect ? cases[i].expect : "(keep)");
    }
}

/* The features against the kernel's own list in /proc/cpuinfo (which, like the builtins, leaves
 * out what the OS does not enable). */
static void
test_cpu_features (void)
{
  static const struct { const char *flag; guint bit; } flags[] = {
    { "avx", LAB_CPU_AVX }, { "avx2", LAB_CPU_AVX2 }, { "fma", LAB_CPU_FMA },
    { "avx512f", LAB_CPU_AVX512F }, { "avx512bw", LAB_CPU_AVX512BW },
    { "avx512dq", LAB_CPU_AVX512DQ }, { "avx512vl", LAB_CPU_AVX512VL },
    { "avx512cd", LAB_CPU_AVX512CD },
  };
  g_autofree char *cpuinfo = NULL;
  g_auto(GStrv) lines = NULL;
  g_auto(GStrv) words = NULL;
  gboolean amd = FALSE;
  guint features = lab_blas_core_cpu_features ();

  if (!g_file_get_contents ("/proc/cpuinfo", &cpuinfo, NULL, NULL))
    {
      g_test_skip ("no /proc/cpuinfo");
      return;
    }
  lines = g_strsplit (cpuinfo, "\n", -1);
  for (guint i = 0; lines[i]; i++)
    {
      if (g_str_has_prefix (lines[i], "vendor_id"))
        amd = strstr (lines[i], "AuthenticAMD") != NULL;
      if (words == NULL && g_str_has_prefix (lines[i], "flags") && strchr (lines[i], ':'))
        words = g_strsplit (strchr (lines[i], ':') + 1, " ", -1);
    }
  g_assert_nonnull (words);
  for (guint i = 0; i < G_N_ELEMENTS (flags); i++)
    if (g_strv_contains ((const char *const *) words, flags[i].flag) != !!(features & flags[i].bit))
      g_error ("flag %s: /proc/cpuinfo says %d, lab_blas_core_cpu_features() says %d",
               flags[i].flag, g_strv_contains ((const char *const *) words, flags[i].flag),
               !!(features & flags[i].bit));
  g_assert_cmpint (amd, ==, !!(features & LAB_CPU_AMD));
}

/* ------------------------------------------------------------------------------------------ */
/* gradlab-cli in a chosen environment                                                        */

/* The test's environment minus every variable lab-blas-core reads, plus @set ("NAME=VALUE",
 * NULL-terminated). */
static char **
cli_env (const char *const *set)
{
  static const char *const cleared[] = {
    "OPENBLAS_CORETYPE", "GRADLAB_BLAS_REEXEC", "GRADLAB_TEST_BLAS_FALLBACK", NULL
  };
  char **envp = g_get_environ ();

  for (guint i = 0; cleared[i]; i++)
    envp = g_environ_unsetenv (envp, cleared[i]);
  for (guint i = 0; set && set[i]; i++)
    {
      g_auto(GStrv) kv = g_strsplit (set[i], "=", 2);
      envp = g_environ_setenv (envp, kv[0], kv[1], TRUE);
    }
  return envp;
}

/* gradlab-cli --version in that environment, exit status 0. */
static LabCliResult
run_version (const char *const *set)
{
  g_auto(GStrv) envp = cli_env (set);
  LabCliResult r = lab_test_run_cli (envp, "--version", NULL);

  g_test_message ("%s: %s%s", set && set[0] ? set[0] : "(nothing set)", r.out, r.err);
  g_assert_cmpint (r.status, ==, 0);
  return r;
}

/* The JSON summary of a few steps of training in that environment. */
static char *
train_summary (const char *const *set)
{
  g_auto(GStrv) envp = cli_env (set);
  LabCliResult r = lab_test_run_cli (envp, "train", "--preset", "spiral", "--steps", "3",
                                     "--quiet", NULL);
  const char *last;
  char *summary;

  g_test_message ("%s: %s%s", set && set[0] ? set[0] : "(nothing set)", r.out, r.err);
  g_assert_cmpint (r.status, ==, 0);
  last = strrchr (g_strchomp (r.out), '\n');
  summary = g_strdup (last ? last + 1 : r.out);
  lab_test_cli_result_clear (&r);
  return summary;
}

/* The value of "key":"…" (or NULL for "key":null) in a JSON summary. */
static char *
json_string (const char *json,
             const char *key)
{
  g_autofree char *k = g_strdup_printf ("\"%s\":", key);
  const char *p = strstr (json, k), *end;

  g_assert_nonnull (p);
  p += strlen (k);
  if (g_str_has_prefix (p, "null"))
    return NULL;
  g_assert_true (*p == '"');
  end = strchr (p + 1, '"');
  g_assert_nonnull (end);
  return g_strndup (p + 1, end - p - 1);
}

/* Trains a few steps and checks who chose which kernels, as the JSON summary says. */
static void
assert_train_reports (const char *const *set,
                      const char        *core,
                      const char        *by,
                      const char        *replaced)
{
  g_autofree char *summary = train_summary (set);
  g_autofree char *got_core = json_string (summary, "blas_core");
  g_autofree char *got_by = json_string (summary, "blas_core_by");
  g_autofree char *got_replaced = json_string (summary, "blas_core_replaced");

  g_assert_cmpstr (got_core, ==, core);
  g_assert_cmpstr (got_by, ==, by);
  g_assert_cmpstr (got_replaced, ==, replaced);
  g_assert_nonnull (strstr (summary, "\"blas_threads\":"));
}

/* Each core the chooser may pick loads by name: OpenBLAS 0.3.21 takes "SkylakeX" but not
 * "Cooperlake" (it warns "Core not found" and detects the CPU again). */
static void
test_available_load_by_name (void)
{
  const char *const *available = lab_blas_core_available ();

  if (strstr (openblas_get_config (), "DYNAMIC_ARCH") == NULL)
    {
      g_assert_null (available[0]);
      g_test_skip ("OpenBLAS is not a DYNAMIC_ARCH build");
      return;
    }
  g_assert_true (g_strv_contains (available, "Haswell"));
  for (guint i = 0; available[i]; i++)
    {
      g_autofree char *set = g_strdup_printf ("OPENBLAS_CORETYPE=%s", available[i]);
      g_autofree char *line = g_strdup_printf (", %s kernels, ", available[i]);
      const char *env[] = { set, "OPENBLAS_VERBOSE=2", NULL };
      LabCliResult r = run_version (env);

      g_assert_true (g_str_has_prefix (r.out, "gradlab-cli " PACKAGE_VERSION "\nBLAS: OpenBLAS"));
      g_assert_nonnull (strstr (r.out, line));
      g_assert_nonnull (strstr (r.out, "(set by OPENBLAS_CORETYPE)"));
      g_assert_null (strstr (r.err, "Core not found"));
      lab_test_cli_result_clear (&r);
    }
}

/* OpenBLAS really loads Prescott, as on a CPU newer than it; one re-exec later the best core
 * runs, and the program says which it replaced. */
static void
test_fallback_replaced (void)
{
  const char *best = lab_blas_core_choose (lab_blas_core_cpu_features (), "Prescott",
                                           lab_blas_core_available (), FALSE, FALSE);
  const char *env[] = { "GRADLAB_TEST_BLAS_FALLBACK=Prescott", NULL };
  g_autofree char *line = NULL;
  LabCliResult r;

  if (best == NULL)
    {
      g_test_skip ("neither this CPU nor this OpenBLAS has anything better than Prescott");
      return;
    }
  assert_train_reports (env, best, "gradlab", "Prescott");
  r = run_version (env);
  line = g_strdup_printf (", %s kernels, ", best);
  g_assert_nonnull (strstr (r.out, line));
  g_assert_nonnull (strstr (r.out, "chosen by Gradient Lab: OpenBLAS had fallen back to Prescott"));
  lab_test_cli_result_clear (&r);
}

/* A program that was already re-executed never runs again, even on a fallback core. */
static void
test_reexec_once (void)
{
  const char *env[] = { "OPENBLAS_CORETYPE=Prescott", "GRADLAB_BLAS_REEXEC=Prescott", NULL };

  assert_train_reports (env, "Prescott", "gradlab", "Prescott");
}

/* OPENBLAS_CORETYPE set by the user wins, over a fallback and over the test hook. */
static void
test_user_set (void)
{
  const char *prescott[] = { "OPENBLAS_CORETYPE=Prescott", NULL };
  const char *haswell[] = { "OPENBLAS_CORETYPE=Haswell", "GRADLAB_TEST_BLAS_FALLBACK=Prescott",
                            NULL };

  assert_train_reports (prescott, "Prescott", "user", NULL);
  if (g_strv_contains (lab_blas_core_available (), "Haswell"))
    assert_train_reports (haswell, "Haswell", "user", NULL);
}

/* With nothing set, whatever this machine is: OpenBLAS's own choice when nothing is better,
 * otherwise the better core, with the fallback it replaced. */
static void
test_own_choice (void)
{
  guint features = lab_blas_core_cpu_features ();
  const char *const *available = lab_blas_core_available ();
  g_autofree char *summary = train_summary (NULL);
  g_autofree char *core = json_string (summary, "blas_core");
  g_autofree char *by = json_string (summary, "blas_core_by");
  g_autofree char *replaced = json_string (summary, "blas_core_replaced");

  if (g_str_equal (by, "openblas"))
    {
      g_assert_null (lab_blas_core_choose (features, core, available, FALSE, FALSE));
      g_assert_null (replaced);
    }
  else
    {
      g_assert_cmpstr (by, ==, "gradlab");
      g_assert_cmpstr (core, ==, lab_blas_core_choose (features, replaced, available, FALSE,
                                                       FALSE));
    }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/engine/blas-core/choose", test_choose);
  g_test_add_func ("/engine/blas-core/cpu-features", test_cpu_features);
  g_test_add_func ("/engine/blas-core/available-load-by-name", test_available_load_by_name);
  g_test_add_func ("/engine/blas-core/fallback-replaced", test_fallback_replaced);
  g_test_add_func ("/engine/blas-core/reexec-once", test_reexec_once);
  g_test_add_func ("/engine/blas-core/user-set", test_user_set);
  g_test_add_func ("/engine/blas-core/own-choice", test_own_choice);
  return g_test_run ();
}
