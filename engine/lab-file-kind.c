/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-file-kind.c: tells the kinds of file apart (see lab-file-kind.h). Only a CSV is looked
 * into: sweep results and data share the suffix, and a sweep's header says which it is; a
 * folder is a run directory when it holds run.ini, else IDX data.
 */
#define G_LOG_DOMAIN "lab-engine"
#include "config.h"

#include <string.h>

#include <gio/gio.h>

#include "lab-file-kind.h"
#include "lab-sweep.h"

static gboolean
has_suffix_ci (const char *name,
               const char *suffix)
{
  g_autofree char *lower = g_ascii_strdown (name, -1);

  return g_str_has_suffix (lower, suffix);
}

/* A CSV whose first line is a `gradlab-cli sweep` header holds sweep results, not data. */
static gboolean
is_sweep_csv (const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileInputStream) in = g_file_read (file, NULL, NULL);
  char head[128] = { 0 };
  gsize got = 0;

  if (in == NULL)
    return FALSE;
  g_input_stream_read_all (G_INPUT_STREAM (in), head, sizeof head - 1, &got, NULL, NULL);
  return lab_sweep_is_header (head);
}

LabFileKind
lab_file_kind_guess (const char *path)
{
  g_autofree char *base = NULL;

  g_return_val_if_fail (path != NULL, LAB_FILE_UNKNOWN);

  base = g_path_get_basename (path);
  if (has_suffix_ci (base, ".gradlab"))
    return LAB_FILE_RUN;
  if (has_suffix_ci (base, ".lesson"))
    return LAB_FILE_LESSON;
  if (has_suffix_ci (base, ".ini"))
    return LAB_FILE_SETTINGS;
  if (g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      g_autofree char *manifest = g_build_filename (path, "run.ini", NULL);

      /* run.ini is the first file a writer puts there (docs/run-directory.md) */
      return g_file_test (manifest, G_FILE_TEST_IS_REGULAR) ? LAB_FILE_RUN_DIR
                                                            : LAB_FILE_IDX_FOLDER;
    }
  if (has_suffix_ci (base, ".csv"))
    return is_sweep_csv (path) ? LAB_FILE_SWEEP : LAB_FILE_CSV_DATA;
  if (strstr (base, "idx") != NULL)
    return LAB_FILE_IDX_MEMBER;
  return LAB_FILE_UNKNOWN;
}
