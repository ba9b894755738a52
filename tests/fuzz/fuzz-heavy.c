/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * fuzz-heavy.c: libFuzzer entry for the heavy.ini parser of a run directory's heavy
 * snapshots; the work is lab_fuzz_heavy() in lab-fuzz-targets.h, which test-fuzz-regressions.c
 * replays on the corpus and regressions.
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
  lab_fuzz_heavy (data, size);
  return 0;
}
