/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-blas-core.c: choosing OpenBLAS's kernels when OpenBLAS itself falls back, and saying which
 * ones run. OpenBLAS reads OPENBLAS_CORETYPE only when it is loaded, before main(), so choosing
 * means running the program again: once, marked by GRADLAB_BLAS_REEXEC, and never over a
 * variable the user set (see lab-blas-core.h for the environment and the test hook).
 */
#define G_LOG_DOMAIN "lab-engine"
#include "config.h"

#include <cblas.h>
#include <dlfcn.h>
#include <errno.h>
#include <glib/gi18n-lib.h>
#include <string.h>
#include <unistd.h>

#include "lab-blas-core.h"
#include "lab-ops.h"

#define CORETYPE_ENV "OPENBLAS_CORETYPE"
#define REEXEC_ENV   "GRADLAB_BLAS_REEXEC"
#define TEST_ENV     "GRADLAB_TEST_BLAS_FALLBACK"

/* AVX-512 as SkylakeX's kernels use it; they also use AVX2 and FMA. */
#define CPU_SKYLAKEX (LAB_CPU_AVX | LAB_CPU_AVX2 | LAB_CPU_FMA | LAB_CPU_AVX512F \
                      | LAB_CPU_AVX512BW | LAB_CPU_AVX512DQ | LAB_CPU_AVX512VL | LAB_CPU_AVX512CD)

/* What OpenBLAS runs when it does not know the CPU: generic SSE kernels ("Unknown" when it could
 * not even name one). A core it chose on purpose, even one we do not know, is left alone. */
static const char *const fallback_cores[] = {
  "Prescott", "Core2", "Nehalem", "Generic", "Unknown", NULL
};

/* Best first; the first the CPU supports and OpenBLAS has wins. Zen is Haswell's instructions
 * with AMD's blocking sizes. Not Cooperlake: 0.3.21's OPENBLAS_CORETYPE does not accept that
 * name ("Core not found: Cooperlake", then its own detection, i.e. the fallback again), and its
 * sgemm is SkylakeX's. */
static const struct
{
  const char *name;
  const char *symbol;   /* a DYNAMIC_ARCH OpenBLAS's table of that core's kernels */
  guint       needs;    /* LabCpuFeature bits */
} candidates[] = {
  { "SkylakeX",    "gotoblas_SKYLAKEX",    CPU_SKYLAKEX },
  { "Zen",         "gotoblas_ZEN",         LAB_CPU_AVX | LAB_CPU_AVX2 | LAB_CPU_FMA | LAB_CPU_AMD },
  { "Haswell",     "gotoblas_HASWELL",     LAB_CPU_AVX | LAB_CPU_AVX2 | LAB_CPU_FMA },
  { "Sandybridge", "gotoblas_SANDYBRIDGE", LAB_CPU_AVX },
};

static gboolean
is_set (const char *value)
{
  return value != NULL && *value != '\0';
}

static gboolean
is_fallback (const char *core)
{
  if (!is_set (core))
    return TRUE;
  for (guint i = 0; fallback_cores[i]; i++)
    if (g_ascii_strcasecmp (core, fallback_cores[i]) == 0)
      return TRUE;
  return FALSE;
}

const char *
lab_blas_core_choose (guint              features,
                      const char        *core,
                      const char *const *available,
                      gboolean           user_set,
                      gboolean           reexeced)
{
  if (user_set || reexeced || available == NULL || !is_fallback (core))
    return NULL;
  for (guint i = 0; i < G_N_ELEMENTS (candidates); i++)
    if ((features & candidates[i].needs) == candidates[i].needs
        && g_strv_contains (available, candidates[i].name))
      return candidates[i].name;
  return NULL;
}

guint
lab_blas_core_cpu_features (void)
{
  guint f = 0;

#if defined(__x86_64__) || defined(__i386__)
  /* __builtin_cpu_supports also asks the OS (XGETBV) whether it saves the AVX/AVX-512 state */
  __builtin_cpu_init ();
  f |= __builtin_cpu_supports ("avx") ? LAB_CPU_AVX : 0;
  f |= __builtin_cpu_supports ("avx2") ? LAB_CPU_AVX2 : 0;
  f |= __builtin_cpu_supports ("fma") ? LAB_CPU_FMA : 0;
  f |= __builtin_cpu_supports ("avx512f") ? LAB_CPU_AVX512F : 0;
  f |= __builtin_cpu_supports ("avx512bw") ? LAB_CPU_AVX512BW : 0;
  f |= __builtin_cpu_supports ("avx512dq") ? LAB_CPU_AVX512DQ : 0;
  f |= __builtin_cpu_supports ("avx512vl") ? LAB_CPU_AVX512VL : 0;
  f |= __builtin_cpu_supports ("avx512cd") ? LAB_CPU_AVX512CD : 0;
  f |= __builtin_cpu_is ("amd") ? LAB_CPU_AMD : 0;
#endif
  return f;
}

const char *const *
lab_blas_core_available (void)
{
  static const char *available[G_N_ELEMENTS (candidates) + 1];
  static gsize done = 0;

  if (g_once_init_enter (&done))
    {
      guint n = 0;

      /* the program links OpenBLAS, so its symbols are in the global scope */
      for (guint i = 0; i < G_N_ELEMENTS (candidates); i++)
        if (dlsym (RTLD_DEFAULT, candidates[i].symbol) != NULL)
          available[n++] = candidates[i].name;
      available[n] = NULL;
      g_once_init_leave (&done, 1);
    }
  return available;
}

/* ------------------------------------------------------------------------------------------ */
/* Who chose: read from the environment once                                                 */

static struct
{
  gboolean      reexeced;   /* GRADLAB_BLAS_REEXEC is set */
  gboolean      user_set;   /* OPENBLAS_CORETYPE is the user's */
  LabBlasCoreBy by;         /* who chose the kernels that run */
  char         *replaced;   /* for LAB_BLAS_CORE_BY_GRADLAB: the core OpenBLAS had chosen */
} env;

static void
read_env (void)
{
  static gsize done = 0;

  if (g_once_init_enter (&done))
    {
      const char *coretype = g_getenv (CORETYPE_ENV);
      const char *reexec = g_getenv (REEXEC_ENV);
      const char *test = g_getenv (TEST_ENV);
      /* the test hook's OPENBLAS_CORETYPE stands for OpenBLAS's own choice */
      gboolean simulated = is_set (test) && is_set (coretype)
                           && g_ascii_strcasecmp (test, coretype) == 0;

      /* OpenBLAS ignores a name it does not know and detects the CPU as if it were unset */
      gboolean took = is_set (coretype)
                      && g_ascii_strcasecmp (coretype, lab_blas_core_name ()) == 0;

      env.reexeced = is_set (reexec);
      env.user_set = is_set (coretype) && !env.reexeced && !simulated;
      env.by = !took ? LAB_BLAS_CORE_BY_OPENBLAS
               : env.reexeced ? LAB_BLAS_CORE_BY_GRADLAB
               : env.user_set ? LAB_BLAS_CORE_BY_USER : LAB_BLAS_CORE_BY_OPENBLAS;
      env.replaced = env.by == LAB_BLAS_CORE_BY_GRADLAB ? g_strdup (reexec) : NULL;
      g_once_init_leave (&done, 1);
    }
}

/* Runs the program again with OPENBLAS_CORETYPE=@core; returns only if that fails, with the
 * environment as it was. @replaced (the marker's value) is NULL for the test hook's first step. */
static void
reexec (char       **argv,
        const char  *core,
        const char  *replaced)
{
  int err;

  g_setenv (CORETYPE_ENV, core, TRUE);
  if (replaced)
    g_setenv (REEXEC_ENV, replaced, TRUE);
  execv ("/proc/self/exe", argv);
  err = errno;
  g_unsetenv (CORETYPE_ENV);
  g_unsetenv (REEXEC_ENV);
  g_message ("could not restart with %s=%s to use faster kernels: %s", CORETYPE_ENV, core,
             g_strerror (err));
}

void
lab_blas_core_init (char **argv)
{
  const char *test = g_getenv (TEST_ENV);
  const char *better;

  g_return_if_fail (argv != NULL && argv[0] != NULL);

  if (is_set (test) && !is_set (g_getenv (CORETYPE_ENV)) && !is_set (g_getenv (REEXEC_ENV)))
    reexec (argv, test, NULL);

  read_env ();
  better = lab_blas_core_choose (lab_blas_core_cpu_features (), lab_blas_core_name (),
                                 lab_blas_core_available (), env.user_set, env.reexeced);
  if (better)
    reexec (argv, better, lab_blas_core_name ());
}

/* ------------------------------------------------------------------------------------------ */
/* Saying which kernels run                                                                   */

const char *
lab_blas_core_name (void)
{
  const char *name = openblas_get_corename ();

  return is_set (name) ? name : "Unknown";
}

LabBlasCoreBy
lab_blas_core_by (void)
{
  read_env ();
  return env.by;
}

const char *
lab_blas_core_by_to_string (LabBlasCoreBy by)
{
  switch (by)
    {
    case LAB_BLAS_CORE_BY_GRADLAB:
      return "gradlab";
    case LAB_BLAS_CORE_BY_USER:
      return "user";
    case LAB_BLAS_CORE_BY_OPENBLAS:
    default:
      return "openblas";
    }
}

const char *
lab_blas_core_replaced (void)
{
  read_env ();
  return env.replaced;
}

char *
lab_blas_core_describe (void)
{
  /* openblas_get_config(): "OpenBLAS 0.3.21 NO_LAPACKE DYNAMIC_ARCH …"; keep name and version */
  g_auto(GStrv) config = g_strsplit (openblas_get_config (), " ", 3);
  const char *version = config[0] && config[1] ? config[1] : "";
  guint threads = lab_blas_threads ();
  g_autofree char *why = NULL;
  g_autofree char *name = NULL;

  switch (lab_blas_core_by ())
    {
    case LAB_BLAS_CORE_BY_GRADLAB:
      /* Translators: %s is the name of OpenBLAS's kernels, e.g. Prescott */
      why = g_strdup_printf (_("chosen by Gradient Lab: OpenBLAS had fallen back to %s on this "
                               "CPU"), lab_blas_core_replaced ());
      break;
    case LAB_BLAS_CORE_BY_USER:
      /* Translators: %s is an environment variable, OPENBLAS_CORETYPE */
      why = g_strdup_printf (_("set by %s"), CORETYPE_ENV);
      break;
    case LAB_BLAS_CORE_BY_OPENBLAS:
    default:
      why = g_strdup (_("OpenBLAS's own choice for this CPU"));
      break;
    }
  name = *version ? g_strconcat ("OpenBLAS ", version, NULL) : g_strdup ("OpenBLAS");
  /* Translators: "OpenBLAS 0.3.21, SkylakeX kernels, 2 threads (why those kernels)": the
   * library and its version, the name of the kernels in use (a CPU family), the threads */
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s, %s kernels, %u thread (%s)",
                                       "%s, %s kernels, %u threads (%s)", threads),
                          name, lab_blas_core_name (), threads, why);
}
