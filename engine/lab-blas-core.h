/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-blas-core.h: which OpenBLAS kernels (its "core": Haswell, SkylakeX, Zen, …) run, and a
 * better choice at start-up when OpenBLAS does not know the CPU. OpenBLAS picks its kernels once,
 * when it is loaded; 0.3.21 (Debian 12) falls back to its SSE3 kernels (Prescott) on CPUs newer
 * than itself, at a third of the speed on an AVX-512 Xeon. Every program (gradlab, gradlab-cli,
 * the benchmarks) calls lab_blas_core_init() first thing in main(), which then runs the program
 * once more with OPENBLAS_CORETYPE set to the best core both the CPU and this OpenBLAS have.
 *
 * The environment it reads:
 *   OPENBLAS_CORETYPE           OpenBLAS's own override. Set by the user, it is never replaced.
 *   GRADLAB_BLAS_REEXEC         Set by lab_blas_core_init() on its one re-exec, to the core
 *                               OpenBLAS had chosen by itself. While it is set, no program
 *                               re-executes itself again (so never a loop), and
 *                               OPENBLAS_CORETYPE counts as Gradient Lab's, not the user's.
 *   GRADLAB_TEST_BLAS_FALLBACK  Tests only: CORE simulates OpenBLAS falling back to CORE by
 *                               itself. When neither variable above is set, the program first
 *                               re-executes itself with OPENBLAS_CORETYPE=CORE, which then counts
 *                               as OpenBLAS's own choice (not the user's), so the real library
 *                               loads CORE and the choice above runs on it as on a new CPU.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* What a CPU (and its operating system) supports, as far as choosing kernels goes. */
typedef enum
{
  LAB_CPU_AVX        = 1 << 0,
  LAB_CPU_AVX2       = 1 << 1,
  LAB_CPU_FMA        = 1 << 2,
  LAB_CPU_AVX512F    = 1 << 3,
  LAB_CPU_AVX512BW   = 1 << 4,
  LAB_CPU_AVX512DQ   = 1 << 5,
  LAB_CPU_AVX512VL   = 1 << 6,
  LAB_CPU_AVX512CD   = 1 << 7,
  LAB_CPU_AMD        = 1 << 8,   /* the vendor, not a feature: Zen kernels are AMD's */
} LabCpuFeature;

/* Who chose the kernels that run. */
typedef enum
{
  LAB_BLAS_CORE_BY_OPENBLAS,     /* OpenBLAS, for this CPU (also when it ignored a name it does
                                  * not know in OPENBLAS_CORETYPE) */
  LAB_BLAS_CORE_BY_GRADLAB,      /* lab_blas_core_init(), replacing OpenBLAS's fallback */
  LAB_BLAS_CORE_BY_USER,         /* the user, through OPENBLAS_CORETYPE */
} LabBlasCoreBy;

/* Re-executes the program (/proc/self/exe, same @argv and environment plus OPENBLAS_CORETYPE)
 * when OpenBLAS fell back and a better core exists; otherwise returns. Call it first in main(),
 * before anything touches BLAS or sets an environment variable, with main()'s own @argv. */
void               lab_blas_core_init          (char              **argv);

/* The decision alone: the core to run instead of @core (the one OpenBLAS chose), or NULL to keep
 * it. Only a fallback (Prescott, Core2, Nehalem, Generic, Unknown, NULL or "") is replaced, and
 * only by a core in @available (NULL-terminated) that every bit of @features supports; never
 * when @user_set (OPENBLAS_CORETYPE is the user's) or @reexeced (this is the re-exec). */
const char        *lab_blas_core_choose        (guint               features,
                                                const char         *core,
                                                const char *const  *available,
                                                gboolean            user_set,
                                                gboolean            reexeced);
/* This CPU's LabCpuFeature bits (0 off x86). */
guint              lab_blas_core_cpu_features  (void);
/* The candidate cores this OpenBLAS has kernels for (NULL-terminated; empty unless it is a
 * DYNAMIC_ARCH build). */
const char *const *lab_blas_core_available     (void);

/* The kernels that run: openblas_get_corename(). */
const char        *lab_blas_core_name          (void);
LabBlasCoreBy      lab_blas_core_by            (void);
/* "openblas", "gradlab" or "user", for the CLI's JSON summary. */
const char        *lab_blas_core_by_to_string  (LabBlasCoreBy       by);
/* The fallback OpenBLAS had chosen by itself when Gradient Lab replaced it, else NULL. */
const char        *lab_blas_core_replaced      (void);
/* One line for people: "OpenBLAS 0.3.21, SkylakeX kernels, 2 threads (chosen by Gradient Lab:
 * OpenBLAS had fallen back to Prescott on this CPU)". Free with g_free(). */
char              *lab_blas_core_describe      (void);

G_END_DECLS
