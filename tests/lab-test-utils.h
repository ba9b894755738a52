/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-test-utils.h: helpers shared by the tests: temporary folders, writing small files,
 * relative float comparison, running gradlab-cli, a small seeded network.
 */
#pragma once

#include <glib.h>

#include "lab-run-manifest.h"
#include "lab-rowlog.h"
#include "lab-trainer.h"

G_BEGIN_DECLS

/* A fresh temporary folder, removed (recursively) by lab_test_rmdir(). */
char    *lab_test_mkdtemp     (void);
void     lab_test_rmdir       (const char  *dir);
/* Every regular file below @dir (recursively), as paths relative to @dir, sorted. */
GPtrArray *lab_test_list_files (const char *dir);
/* Writes @len bytes to DIR/NAME and returns the full path. */
char    *lab_test_write_file  (const char  *dir,
                               const char  *name,
                               const void  *data,
                               gsize        len);
/* gzip-compresses @data into DIR/NAME with GIO's zlib compressor. */
char    *lab_test_write_gzip  (const char  *dir,
                               const char  *name,
                               const void  *data,
                               gsize        len);
/* |a - b| <= rtol · max(|a|, |b|) + atol */
gboolean lab_test_close       (double       a,
                               double       b,
                               double       rtol,
                               double       atol);
/* Path of a committed fixture in tests/data. */
char    *lab_test_data_path   (const char  *name);
/* A trainer from a preset and "section.key=value" settings (NULL-terminated; either may be
 * NULL); asserts that it builds. */
LabTrainer *lab_test_new_trainer (const char         *preset,
                                  const char * const *sets);
/* A run directory's manifest (run.ini) of two linear layers, 3 → 4 → 2: W1 with a bias and
 * tanh, W2 without a bias and linear; writer_id "small". */
LabRunManifest *lab_test_run_manifest (void);

/* Row @i of @rows, in a buffer of the test's (one of four used in turn: valid for the next
 * three calls; change it and put it back with lab_row_log_set()). */
LabStepStats *lab_test_row       (const LabRowLog *rows,
                                  gsize            i);
/* Appends every row of @rows to @array (of LabStepStats). */
void          lab_test_append_rows (GArray        *array,
                                    const LabRowLog *rows);

/* The small network several tests take apart: 2 → 5 (tanh) → 5 (ReLU) → 3, He-normal weights
 * drawn from @seed, residual skips when asked, a workspace for 16 rows. */
LabMlp  *lab_test_small_mlp   (gboolean     residual,
                               guint64      seed);
/* From now on this process's messages are in @language (LANGUAGE, NULL: English again), from
 * the catalogues under @localedir, as gradlab's would be. */
void     lab_test_use_language (const char *localedir,
                                const char *language);

/* TRUE if Debian's Fashion-MNIST is installed. */
gboolean lab_test_have_fashion_mnist (void);

/* Iterates the thread-default main context until @cond (@data) holds; a test waiting longer than
 * @timeout_ms fails with "timed out waiting for @what". */
typedef gboolean (*LabTestCondition) (gpointer data);
void     lab_test_iterate_until (LabTestCondition  cond,
                                 gpointer          data,
                                 guint             timeout_ms,
                                 const char       *what);
/* Iterates the thread-default main context for @ms milliseconds. */
void     lab_test_iterate_for   (guint             ms);

/* Debian's Python, the one with python3-torch: the run directory writer's examples and checks
 * run in it. */
#define LAB_TEST_PYTHON "/usr/bin/python3"
/* TRUE if LAB_TEST_PYTHON can import torch and numpy (asked once). */
gboolean lab_test_have_torch  (void);
/* The test's environment with python/gradlab_watch and examples/pytorch on PYTHONPATH (and no
 * __pycache__ written into the source tree); free with g_strfreev(). */
char   **lab_test_python_environ (void);

/* What a gradlab-cli run left: its exit status, stdout and stderr. */
typedef struct
{
  int   status;
  char *out;
  char *err;
} LabCliResult;

/* Runs $GRADLAB_CLI (set by tests/meson.build) with the arguments from @first on (NULL-
 * terminated) in the environment @envp (NULL: the test's own); asserts that it exited.
 * Free with lab_test_cli_result_clear(). */
LabCliResult lab_test_run_cli          (char *const  *envp,
                                        const char   *first,
                                        ...);
void         lab_test_cli_result_clear (LabCliResult *r);
/* The lines of @text that start with @prefix, each ending in "\n" (e.g. the lottery's
 * "round=" lines among what gradlab-cli lottery prints). */
char        *lab_test_lines_starting   (const char   *text,
                                        const char   *prefix);

#define lab_assert_close(a, b, rtol, atol)                                              \
  G_STMT_START {                                                                        \
    double _a = (a), _b = (b);                                                          \
    if (!lab_test_close (_a, _b, (rtol), (atol)))                                       \
      g_error ("%s:%d: %s = %.9g is not close to %s = %.9g (rtol %g, atol %g)",         \
               __FILE__, __LINE__, #a, _a, #b, _b, (double) (rtol), (double) (atol));   \
  } G_STMT_END

G_END_DECLS
