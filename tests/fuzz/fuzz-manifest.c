/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * fuzz-manifest.c: libFuzzer entry for a run directory's run.ini parser; the work is
 * lab_fuzz_manifest() in lab-fuzz-targets.h, which test-fuzz-regressions.c replays on the corpus
 * and regressions.
 * Build: CC=clang meson setup _build-fuzz -Dfuzz=true -Dgui=disabled \
 *          -Db_sanitize=address,undefined -Db_lundef=false; run: scripts/fuzz.
 */
#define G_LOG_DOMAIN "lab-fuzz"
#include "config.h"

#include <stddef.h>
#include <stdint.h>

#include "lab-fuzz-targets.h"

int LLVMFuzzerInitialize (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  lab_fuzz_init ();
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  lab_fuzz_manifest (data, size);
  return 0;
}
