/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-run-writer.c: a run directory written as a run goes (lab-run-writer.h). The rows file is
 * a plain O_APPEND descriptor written one whole line per write(2), no stdio buffer: a row is
 * visible to a watcher when the call returns, and never half of one unless the disk fills (the
 * reader ignores an unfinished last line).
 */
#define G_LOG_DOMAIN "lab-engine"
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "lab-error.h"
#include "lab-file-replace.h"
#include "lab-record.h"
#include "lab-run-heavy.h"
#include "lab-run-writer.h"

struct _LabRunWriter
{
  char           *dir;
  char           *rows_path;
  char           *status_path;
  char           *heavy_dir;
  LabRunManifest *manifest;
  int             rows_fd;     /* -1 once finished */
  GString        *line;
};

/* Removes @path and, for a folder, everything in it; symbolic links are removed, not followed. */
static gboolean
remove_tree (const char  *path,
             GError     **error)
{
  GStatBuf st;

  if (g_lstat (path, &st) != 0)
    return errno == ENOENT ? TRUE : lab_io_error (error, _("%s: could not remove: %s"),
                                                  path, g_strerror (errno));
  if (S_ISDIR (st.st_mode))
    {
      g_autoptr(GDir) d = g_dir_open (path, 0, NULL);
      const char *name;

      while (d != NULL && (name = g_dir_read_name (d)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);

          if (!remove_tree (child, error))
            return FALSE;
        }
    }
  if (g_remove (path) != 0 && errno != ENOENT)
    return lab_io_error (error, _("%s: could not remove: %s"), path, g_strerror (errno));
  return TRUE;
}

/* ------------------------------------------------------------------------------------------ */
/* taking the directory */

/* A file a run directory holds: its four names, or a temporary file of an atomic replacement
 * ("run.ini.XXXXXX") that a killed writer left. */
static gboolean
is_run_file (const char *name)
{
  static const char * const names[] = { "run.ini", "rows.jsonl", "status", "heavy" };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      gsize n = strlen (names[i]);

      if (strncmp (name, names[i], n) == 0 &&
          (name[n] == '\0' || (name[n] == '.' && strlen (name + n) == 7)))
        return TRUE;
    }
  return FALSE;
}

static gboolean
take_dir (const char         *dir,
          LabRunWriterFlags   flags,
          GError            **error)
{
  g_autoptr(GError) local = NULL;
  g_autoptr(GDir) d = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *manifest = g_build_filename (dir, "run.ini", NULL);
  const char *name;

  if (g_mkdir_with_parents (dir, 0777) != 0)
    return lab_io_error (error, _("%s: could not create the run directory: %s"),
                         dir, g_strerror (errno));
  d = g_dir_open (dir, 0, &local);
  if (d == NULL)
    {
      g_set_error (error, LAB_ENGINE_ERROR, LAB_ENGINE_ERROR_IO, "%s", local->message);
      return FALSE;
    }
  while ((name = g_dir_read_name (d)) != NULL)
    g_ptr_array_add (names, g_strdup (name));
  if (names->len == 0)
    return TRUE;
  if (!g_file_test (manifest, G_FILE_TEST_EXISTS))
    return lab_format_error (error, dir, _("the folder is not empty and holds no run directory "
                                           "(no run.ini): not writing a run into it"));
  if (!(flags & LAB_RUN_WRITER_REPLACE))
    {
      g_set_error (error, LAB_ENGINE_ERROR, LAB_ENGINE_ERROR_INVALID,
                   _("%s: holds a run already (run.ini); it is replaced only when asked to"),
                   dir);
      return FALSE;
    }
  for (guint i = 0; i < names->len; i++)
    if (!is_run_file (g_ptr_array_index (names, i)))
      return lab_format_error (error, dir, _("holds '%s', which is not part of a run directory: "
                                             "not replacing it"),
                               (char *) g_ptr_array_index (names, i));
  /* run.ini first: a watcher of the old run sees its files go, and a second writer */
  if (!remove_tree (manifest, error))
    return FALSE;
  for (guint i = 0; i < names->len; i++)
    {
      g_autofree char *path = g_build_filename (dir, g_ptr_array_index (names, i), NULL);

      if (!remove_tree (path, error))
        return FALSE;
    }
  return TRUE;
}

/* The manifest's text, checked to read back: a writer never writes what readers refuse. */
static char *
manifest_text (const LabRunManifest  *m,
               const char            *path,
               gsize                 *len,
               GError               **error)
{
  g_autoptr(GError) local = NULL;
  g_autoptr(LabRunManifest) back = NULL;
  char *text = lab_run_manifest_to_data (m, len);

  back = lab_run_manifest_parse (text, *len, path, &local);
  if (back == NULL)
    {
      g_set_error (error, LAB_ENGINE_ERROR, LAB_ENGINE_ERROR_INVALID, "%s", local->message);
      g_free (text);
      return NULL;
    }
  return text;
}

static void
writer_free (LabRunWriter *writer)
{
  if (writer->rows_fd >= 0)
    close (writer->rows_fd);
  g_free (writer->dir);
  g_free (writer->rows_path);
  g_free (writer->status_path);
  g_free (writer->heavy_dir);
  lab_run_manifest_free (writer->manifest);
  g_string_free (writer->line, TRUE);
  g_free (writer);
}

LabRunWriter *
lab_run_writer_new (const char            *dir,
                    const LabRunManifest  *m,
                    LabRunWriterFlags      flags,
                    GError               **error)
{
  LabRunWriter *writer;
  g_autofree char *manifest_path = NULL;
  g_autofree char *text = NULL;
  gsize len;

  g_return_val_if_fail (dir != NULL && m != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  writer = g_new0 (LabRunWriter, 1);
  writer->rows_fd = -1;
  writer->dir = g_strdup (dir);
  writer->rows_path = g_build_filename (dir, "rows.jsonl", NULL);
  writer->status_path = g_build_filename (dir, "status", NULL);
  writer->heavy_dir = g_build_filename (dir, "heavy", NULL);
  writer->manifest = lab_run_manifest_copy (m);
  writer->line = g_string_sized_new (1024);
  if (*writer->manifest->writer_id == '\0')
    {
      g_free (writer->manifest->writer_id);
      writer->manifest->writer_id = g_uuid_string_random ();
    }
  manifest_path = g_build_filename (dir, "run.ini", NULL);
  text = manifest_text (writer->manifest, manifest_path, &len, error);
  if (text == NULL || !take_dir (dir, flags, error))
    goto failed;
  writer->rows_fd = open (writer->rows_path, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC,
                          0666);
  if (writer->rows_fd < 0)
    {
      lab_io_error (error, _("%s: could not create: %s"), writer->rows_path, g_strerror (errno));
      goto failed;
    }
  /* run.ini last but one: a watcher that finds it finds rows.jsonl too */
  if (!lab_file_replace_contents (manifest_path, text, len, error) ||
      !lab_file_replace_contents (writer->status_path, "running\n", 8, error))
    goto failed;
  return writer;

failed:
  writer_free (writer);
  return NULL;
}

void
lab_run_writer_free (LabRunWriter *writer)
{
  if (writer != NULL)
    writer_free (writer);
}

const LabRunManifest *
lab_run_writer_manifest (LabRunWriter *writer)
{
  return writer->manifest;
}

/* ------------------------------------------------------------------------------------------ */
/* writing */

gboolean
lab_run_writer_append (LabRunWriter        *writer,
                       const LabStepStats  *st,
                       GError             **error)
{
  gsize done = 0;

  g_return_val_if_fail (writer->rows_fd >= 0, FALSE);
  g_return_val_if_fail (st->n_layers == writer->manifest->n_layers, FALSE);

  g_string_truncate (writer->line, 0);
  lab_record_json_row (writer->line, st);
  while (done < writer->line->len)
    {
      ssize_t n = write (writer->rows_fd, writer->line->str + done, writer->line->len - done);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        return lab_io_error (error, _("%s: could not write: %s"),
                             writer->rows_path, g_strerror (n < 0 ? errno : EIO));
      done += (gsize) n;
    }
  return TRUE;
}

static gboolean
check_layers (LabRunWriter    *writer,
              const LabHeavy  *heavy,
              GError         **error)
{
  const LabRunManifest *m = writer->manifest;

  if (heavy->n_layers != m->n_layers)
    {
      g_set_error (error, LAB_ENGINE_ERROR, LAB_ENGINE_ERROR_MISMATCH,
                   _("%s: a heavy snapshot of %u layers, but run.ini describes %u"),
                   writer->heavy_dir, heavy->n_layers,
                   m->n_layers);
      return FALSE;
    }
  for (guint l = 0; l < m->n_layers; l++)
    {
      const LabHeavyLayer *h = &heavy->layers[l];

      if (h->rows != m->layers[l].rows || h->cols != m->layers[l].cols ||
          (h->bias != NULL) != m->layers[l].bias)
        {
          g_set_error (error, LAB_ENGINE_ERROR, LAB_ENGINE_ERROR_MISMATCH,
                       _("%s: layer %u of the heavy snapshot is %zu×%zu, but run.ini says "
                         "%zu×%zu"),
                       writer->heavy_dir, l, h->rows, h->cols, m->layers[l].rows,
                       m->layers[l].cols);
          return FALSE;
        }
    }
  return TRUE;
}

static int
compare_steps (gconstpointer a,
               gconstpointer b)
{
  guint64 x = *(const guint64 *) a, y = *(const guint64 *) b;

  return (x > y) - (x < y);
}

/* Deletes all but the newest LAB_RUN_HEAVY_KEEP complete snapshots. Each is first renamed to a
 * dot-folder, atomically: a reader that was reading it finds it gone, never half deleted. */
static gboolean
prune_heavy (LabRunWriter  *writer,
             GError       **error)
{
  g_autoptr(GDir) d = g_dir_open (writer->heavy_dir, 0, NULL);
  g_autoptr(GArray) steps = g_array_new (FALSE, FALSE, sizeof (guint64));
  const char *name;
  guint64 step;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    if (lab_run_heavy_parse_name (name, &step))
      g_array_append_val (steps, step);
  g_array_sort (steps, compare_steps);
  for (guint i = 0; i + LAB_RUN_HEAVY_KEEP < steps->len; i++)
    {
      guint64 old = g_array_index (steps, guint64, i);
      g_autofree char *path = g_strdup_printf ("%s/%06" G_GUINT64_FORMAT, writer->heavy_dir, old);
      g_autofree char *gone = g_strdup_printf ("%s/.old-%06" G_GUINT64_FORMAT, writer->heavy_dir,
                                               old);

      if (g_rename (path, gone) != 0)
        return lab_io_error (error, _("%s: could not remove: %s"), path, g_strerror (errno));
      if (!remove_tree (gone, error))
        return FALSE;
    }
  return TRUE;
}

gboolean
lab_run_writer_heavy (LabRunWriter    *writer,
                      const LabHeavy  *heavy,
                      GError         **error)
{
  g_autofree char *final = NULL;
  g_autofree char *tmp = NULL;

  g_return_val_if_fail (writer->rows_fd >= 0, FALSE);

  if (!check_layers (writer, heavy, error))
    return FALSE;
  final = g_strdup_printf ("%s/%06" G_GUINT64_FORMAT, writer->heavy_dir, heavy->step);
  tmp = g_strdup_printf ("%s/.tmp-%06" G_GUINT64_FORMAT, writer->heavy_dir, heavy->step);
  if (g_file_test (final, G_FILE_TEST_EXISTS))
    return TRUE;
  if (g_mkdir_with_parents (writer->heavy_dir, 0777) != 0)
    return lab_io_error (error, _("%s: could not create: %s"),
                         writer->heavy_dir, g_strerror (errno));
  if (!remove_tree (tmp, error))   /* left by a killed writer */
    return FALSE;
  if (g_mkdir (tmp, 0777) != 0)
    return lab_io_error (error, _("%s: could not create: %s"), tmp, g_strerror (errno));
  if (!lab_run_heavy_save (heavy, tmp, error))
    {
      remove_tree (tmp, NULL);
      return FALSE;
    }
  if (g_rename (tmp, final) != 0)
    {
      int saved_errno = errno;

      remove_tree (tmp, NULL);
      return lab_io_error (error, _("%s: could not rename the finished snapshot into place: %s"),
                           final, g_strerror (saved_errno));
    }
  return prune_heavy (writer, error);
}

gboolean
lab_run_writer_finish (LabRunWriter  *writer,
                       const char    *failure,
                       GError       **error)
{
  g_autofree char *text = NULL;
  int fd = writer->rows_fd;

  g_return_val_if_fail (fd >= 0, FALSE);

  writer->rows_fd = -1;
  if (close (fd) != 0)
    return lab_io_error (error, _("%s: could not write: %s"),
                         writer->rows_path, g_strerror (errno));
  if (failure == NULL)
    text = g_strdup ("finished\n");
  else
    {
      text = g_strdup_printf ("failed: %s\n", failure);
      g_strdelimit (text, "\r\n", ' ');
      text[strlen (text) - 1] = '\n';
    }
  return lab_file_replace_contents (writer->status_path, text, strlen (text), error);
}
