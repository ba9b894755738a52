/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-run-reader.c: one look at a run directory per poll (lab-run-reader.h). Each file is
 * looked at by path every time (stat or open), never through a descriptor kept open, so a file
 * replaced or removed by a writer, or the whole directory disappearing, is seen at once, also
 * on NFS and sshfs where no change notification exists. A poll costs a handful of system calls
 * when nothing changed.
 */
#define G_LOG_DOMAIN "lab-engine"
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <inttypes.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lab-error.h"
#include "lab-run-heavy.h"
#include "lab-run-reader.h"
#include "lab-run-rows.h"

#define READ_CHUNK (4 << 20)   /* bytes of rows.jsonl read ahead of the parser at most */
#define STATUS_MAX 4096        /* a status line longer than this is cut */
#define HEAD_MAX   256         /* bytes of rows.jsonl compared at every look */

/* Enough of a stat to tell that a file was replaced or changed. */
typedef struct
{
  gboolean exists;
  guint64  ino;
  gint64   size;
  gint64   mtime_ns;
} FileId;

struct _LabRunReader
{
  char              *dir;
  char              *manifest_path;
  char              *rows_path;
  char              *status_path;
  char              *heavy_dir;
  LabRunReaderState  state;          /* message and problem point at the two strings below */
  char              *message;
  char              *problem;
  gboolean           changed;        /* during a poll: the state changed */
  gboolean           seen_dir;
  gboolean           rows_deleted;   /* GONE because rows.jsonl went: the directory may follow */

  LabRunManifest    *manifest;
  FileId             manifest_id;    /* of the run.ini last read (also a refused one) */

  LabRunRows        *rows;
  GByteArray        *pending;        /* bytes read and not yet consumed (an unfinished line) */
  guint64            offset;         /* bytes of rows.jsonl read so far */
  FileId             rows_id;        /* at the last look; exists FALSE = never seen */
  guint8             head[HEAD_MAX]; /* its first bytes: another file of the same inode number
                                      * (a freed one is soon reused) does not start the same */
  guint              head_len;
  guint64            rows_skipped;   /* skipped lines already reported */

  gboolean           have_heavy;
  guint64            heavy_step;     /* of the heavy snapshot returned last */
  char              *heavy_failed;   /* the folder that could not be read (not retried) */
};

static FileId
file_id (const char *path)
{
  struct stat st;
  FileId id = { FALSE };

  if (stat (path, &st) == 0)
    {
      id.exists = TRUE;
      id.ino = st.st_ino;
      id.size = st.st_size;
      id.mtime_ns = (gint64) st.st_mtim.tv_sec * G_GINT64_CONSTANT (1000000000) +
                    st.st_mtim.tv_nsec;
    }
  return id;
}

static gboolean
same_file (const FileId *a,
           const FileId *b)
{
  return a->exists == b->exists && a->ino == b->ino && a->size == b->size &&
         a->mtime_ns == b->mtime_ns;
}

LabRunReader *
lab_run_reader_new (const char *dir)
{
  LabRunReader *reader = g_new0 (LabRunReader, 1);

  g_return_val_if_fail (dir != NULL, NULL);

  reader->dir = g_strdup (dir);
  reader->manifest_path = g_build_filename (dir, "run.ini", NULL);
  reader->rows_path = g_build_filename (dir, "rows.jsonl", NULL);
  reader->status_path = g_build_filename (dir, "status", NULL);
  reader->heavy_dir = g_build_filename (dir, "heavy", NULL);
  reader->pending = g_byte_array_new ();
  reader->state.watch = LAB_WATCH_WAITING;
  reader->state.state = LAB_SESSION_RUNNING;
  return reader;
}

void
lab_run_reader_free (LabRunReader *reader)
{
  if (reader == NULL)
    return;
  g_free (reader->dir);
  g_free (reader->manifest_path);
  g_free (reader->rows_path);
  g_free (reader->status_path);
  g_free (reader->heavy_dir);
  g_free (reader->message);
  g_free (reader->problem);
  g_free (reader->heavy_failed);
  lab_run_manifest_free (reader->manifest);
  lab_run_rows_free (reader->rows);
  g_byte_array_unref (reader->pending);
  g_free (reader);
}

const LabRunManifest *
lab_run_reader_manifest (LabRunReader *reader)
{
  return reader->manifest;
}

const LabRunReaderState *
lab_run_reader_state (LabRunReader *reader)
{
  return &reader->state;
}

/* ------------------------------------------------------------------------------------------ */
/* the state */

static void
set_string (LabRunReader  *reader,
            char         **slot,
            const char   **view,
            char          *text)
{
  if (g_strcmp0 (*slot, text) != 0)
    reader->changed = TRUE;
  g_free (*slot);
  *slot = text;
  *view = text;
}

static void
set_watch (LabRunReader  *reader,
           LabWatchState  watch,
           char          *message)
{
  if (reader->state.watch != watch)
    reader->changed = TRUE;
  reader->state.watch = watch;
  set_string (reader, &reader->message, &reader->state.message, message);
}

static void
set_problem (LabRunReader *reader,
             char         *problem)
{
  set_string (reader, &reader->problem, &reader->state.problem, problem);
}

/* Reading stops here; what was read stays. */
static void
second_writer (LabRunReader *reader,
               char         *why)
{
  /* Translators: the run directory, what showed a second writer (e.g. "rows.jsonl was
   * removed"), and the rows read from the first writer */
  set_watch (reader, LAB_WATCH_SECOND_WRITER,
             g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           "%s: a second writer: %s; showing the %" PRIu64
                                           " row of the first",
                                           "%s: a second writer: %s; showing the %" PRIu64
                                           " rows of the first", reader->state.rows_read),
                              reader->dir, why, reader->state.rows_read));
  g_free (why);
}

static gboolean
is_terminal (const LabRunReader *reader)
{
  return reader->state.watch == LAB_WATCH_GONE || reader->state.watch == LAB_WATCH_SECOND_WRITER;
}

/* ------------------------------------------------------------------------------------------ */
/* the directory and run.ini */

static gboolean
check_dir (LabRunReader *reader)
{
  struct stat st;
  int rc = stat (reader->dir, &st);

  if (rc == 0 && S_ISDIR (st.st_mode))
    {
      reader->seen_dir = TRUE;
      return TRUE;
    }
  if (!reader->seen_dir)
    set_watch (reader, LAB_WATCH_WAITING,
               g_strdup_printf (_("%s: waiting for the run directory to be created"),
                                reader->dir));
  else if (rc == 0 || errno == ENOENT || errno == ENOTDIR)
    set_watch (reader, LAB_WATCH_GONE,
               g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                             "%s: the run directory disappeared; showing the %"
                                             PRIu64 " row read before",
                                             "%s: the run directory disappeared; showing the %"
                                             PRIu64 " rows read before", reader->state.rows_read),
                                reader->dir, reader->state.rows_read));
  else
    set_problem (reader, g_strdup_printf ("%s: %s", reader->dir, g_strerror (errno)));
  return FALSE;
}

/* Reads run.ini when it is new or changed; TRUE when a manifest was taken. */
static gboolean
read_manifest (LabRunReader *reader)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LabRunManifest) m = NULL;
  FileId id = file_id (reader->manifest_path);

  if (!id.exists)
    {
      if (reader->manifest == NULL)
        set_watch (reader, LAB_WATCH_WAITING,
                   g_strdup_printf (_("%s: waiting for run.ini"), reader->dir));
      return FALSE;
    }
  if (same_file (&id, &reader->manifest_id))
    return FALSE;
  reader->manifest_id = id;   /* a refused file is not read again until it changes */
  m = lab_run_manifest_load (reader->manifest_path, &error);
  if (m == NULL)
    {
      if (reader->manifest == NULL)
        set_watch (reader, LAB_WATCH_WAITING, g_strdup (error->message));
      else
        /* Translators: %s says what is wrong with the new run.ini */
        set_problem (reader, g_strdup_printf (_("%s (still using the run.ini read before)"),
                                              error->message));
      return FALSE;
    }
  if (reader->manifest == NULL)
    {
      reader->rows = lab_run_rows_new (reader->rows_path, m->n_layers);
      reader->manifest = g_steal_pointer (&m);
      set_watch (reader, LAB_WATCH_LIVE, NULL);
      return TRUE;
    }
  if (strcmp (m->writer_id, reader->manifest->writer_id) != 0)
    {
      second_writer (reader, g_strdup_printf (_("run.ini's writer_id changed from '%s' to '%s'"),
                                              reader->manifest->writer_id, m->writer_id));
      return FALSE;
    }
  if (!lab_run_manifest_same_layers (m, reader->manifest))
    {
      set_problem (reader, g_strdup_printf (_("%s: the layers changed while the run was watched; "
                                              "still using the run.ini read before"),
                                            reader->manifest_path));
      return FALSE;
    }
  lab_run_manifest_free (reader->manifest);
  reader->manifest = g_steal_pointer (&m);
  return TRUE;
}

/* ------------------------------------------------------------------------------------------ */
/* rows.jsonl */

/* TRUE if the file at @fd still starts as it did (and notes more of its start). */
static gboolean
same_head (LabRunReader *reader,
           int           fd)
{
  guint8 buf[HEAD_MAX];
  ssize_t n = pread (fd, buf, HEAD_MAX, 0);

  if (n < 0)
    return TRUE;   /* cannot tell: the other checks stand */
  if ((guint) n < reader->head_len || memcmp (buf, reader->head, reader->head_len) != 0)
    return FALSE;
  memcpy (reader->head, buf, (gsize) n);
  reader->head_len = (guint) n;
  return TRUE;
}

/* Checks that the file only grew; notes when it last grew. FALSE after a second writer. */
static gboolean
check_rows_file (LabRunReader *reader,
                 int           fd,
                 const FileId *id)
{
  gint64 now = g_get_monotonic_time ();

  if ((guint64) id->size < reader->offset)
    {
      second_writer (reader, g_strdup_printf (_("rows.jsonl shrank from %" PRIu64 " to %" PRId64
                                                " bytes"), reader->offset, id->size));
      return FALSE;
    }
  if ((reader->rows_id.exists && id->ino != reader->rows_id.ino) || !same_head (reader, fd))
    {
      second_writer (reader, g_strdup (_("rows.jsonl was replaced by another file")));
      return FALSE;
    }
  if (id->size > 0 && (!reader->rows_id.exists || id->size != reader->rows_id.size))
    {
      if (reader->rows_id.exists)
        reader->state.last_row_time = now;
      else
        {
          /* the first look: the file is as old as its last change (clocks of a remote writer
           * may differ: never in the future) */
          gint64 age = g_get_real_time () - id->mtime_ns / 1000;
          reader->state.last_row_time = now - CLAMP (age, 0, now);
        }
    }
  reader->rows_id = *id;
  return TRUE;
}

/* Appends to pending what the file has past offset, up to READ_CHUNK pending bytes. */
static void
read_ahead (LabRunReader *reader,
            int           fd,
            gint64        size)
{
  while (reader->pending->len < READ_CHUNK && reader->offset < (guint64) size)
    {
      guint old = reader->pending->len;
      gsize want = MIN ((guint64) size - reader->offset, (guint64) (READ_CHUNK - old));
      ssize_t n;

      g_byte_array_set_size (reader->pending, old + want);
      n = pread (fd, reader->pending->data + old, want, (off_t) reader->offset);
      if (n < 0 && errno == EINTR)
        n = 0;
      g_byte_array_set_size (reader->pending, old + (n > 0 ? (guint) n : 0));
      if (n <= 0)
        break;
      reader->offset += (guint64) n;
    }
}

static guint
read_rows (LabRunReader *reader,
           guint         max_rows,
           LabRowLog    *out)
{
  int fd = open (reader->rows_path, O_RDONLY | O_CLOEXEC);
  guint before = lab_row_log_len (out);
  const char *problem;
  struct stat st;
  FileId id;

  if (fd < 0)
    {
      /* run.ini did not change, so this is no new writer (one replaces run.ini first): most
       * often the whole directory on its way out, rm -r removing its files one by one */
      if (reader->rows_id.exists)
        {
          reader->rows_deleted = TRUE;
          set_watch (reader, LAB_WATCH_GONE,
                     g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                   "%s: rows.jsonl was deleted; showing the %"
                                                   PRIu64 " row read before",
                                                   "%s: rows.jsonl was deleted; showing the %"
                                                   PRIu64 " rows read before",
                                                   reader->state.rows_read),
                                      reader->dir, reader->state.rows_read));
        }
      return 0;
    }
  if (fstat (fd, &st) != 0)
    {
      close (fd);
      return 0;
    }
  id = (FileId) { TRUE, st.st_ino, st.st_size,
                  (gint64) st.st_mtim.tv_sec * G_GINT64_CONSTANT (1000000000) +
                  st.st_mtim.tv_nsec };
  if (check_rows_file (reader, fd, &id))
    for (;;)
      {
        guint n = lab_row_log_len (out) - before;
        gsize used;

        read_ahead (reader, fd, st.st_size);
        used = lab_run_rows_feed (reader->rows, (const char *) reader->pending->data,
                                  reader->pending->len, max_rows - n, out);
        g_byte_array_remove_range (reader->pending, 0, (guint) used);
        if (used == 0 || lab_row_log_len (out) - before >= max_rows)
          break;
      }
  close (fd);

  reader->state.rows_read += lab_row_log_len (out) - before;
  reader->state.more = reader->offset < (guint64) st.st_size ||
                       (reader->pending->len > 0 &&
                        memchr (reader->pending->data, '\n', reader->pending->len) != NULL);
  reader->state.rows_skipped = lab_run_rows_skipped (reader->rows, &problem);
  if (reader->state.rows_skipped != reader->rows_skipped)
    {
      reader->rows_skipped = reader->state.rows_skipped;
      set_problem (reader, g_strdup (problem));
    }
  return lab_row_log_len (out) - before;
}

/* ------------------------------------------------------------------------------------------ */
/* status and heavy snapshots */

static void
read_status (LabRunReader *reader)
{
  char buf[STATUS_MAX + 1];
  int fd = open (reader->status_path, O_RDONLY | O_CLOEXEC);
  ssize_t n;

  if (fd < 0)
    return;   /* no status: running (an old or a crashed writer) */
  n = read (fd, buf, STATUS_MAX);
  close (fd);
  buf[MAX (n, 0)] = '\0';
  g_strchomp (buf);
  if (strcmp (buf, "running") == 0)
    reader->state.state = LAB_SESSION_RUNNING;
  else if (strcmp (buf, "finished") == 0)
    reader->state.state = LAB_SESSION_FINISHED;
  else if (g_str_has_prefix (buf, "failed") && g_utf8_validate (buf, -1, NULL))
    {
      const char *why = g_strchug (buf + strlen ("failed") + (buf[6] == ':'));

      reader->state.state = LAB_SESSION_FAILED;
      set_watch (reader, LAB_WATCH_ENDED,
                 g_strdup (*why ? why : _("the writer reported a failure without a message")));
      return;
    }
  else
    {
      /* Translators: running, finished and failed: MESSAGE are what the status file may hold,
       * written as they are */
      set_problem (reader, g_strdup_printf (_("%s: not running, finished or failed: MESSAGE"),
                                            reader->status_path));
      return;
    }
  set_watch (reader, reader->state.state == LAB_SESSION_RUNNING ? LAB_WATCH_LIVE
                                                                 : LAB_WATCH_ENDED, NULL);
}

/* The name of the newest complete snapshot folder, NULL if none. */
static char *
newest_heavy (LabRunReader *reader,
              guint64      *step)
{
  g_autoptr(GDir) d = g_dir_open (reader->heavy_dir, 0, NULL);
  char *best = NULL;
  const char *name;
  guint64 s;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    if (lab_run_heavy_parse_name (name, &s) && (best == NULL || s > *step))
      {
        g_free (best);
        best = g_strdup (name);
        *step = s;
      }
  return best;
}

static LabHeavy *
read_heavy (LabRunReader *reader)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autofree char *name = NULL;
  LabHeavy *heavy;
  guint64 step = 0;

  name = newest_heavy (reader, &step);
  if (name == NULL || (reader->have_heavy && step <= reader->heavy_step) ||
      g_strcmp0 (name, reader->heavy_failed) == 0)
    return NULL;
  path = g_build_filename (reader->heavy_dir, name, NULL);
  heavy = lab_run_heavy_load (reader->manifest, path, &error);
  if (heavy == NULL && !g_file_test (path, G_FILE_TEST_IS_DIR))
    return NULL;   /* deleted by the writer while we read it: look again */
  if (heavy != NULL && heavy->step != step)
    g_set_error (&error, LAB_ENGINE_ERROR, LAB_ENGINE_ERROR_FORMAT,
                 _("%s/heavy.ini: [heavy] step = %" PRIu64 ", but the folder is named for step %"
                   PRIu64), path, heavy->step, step);
  if (error != NULL)
    {
      lab_heavy_free (heavy);
      g_free (reader->heavy_failed);
      reader->heavy_failed = g_steal_pointer (&name);
      /* Translators: %s says what is wrong with the newest heavy snapshot */
      set_problem (reader, g_strdup_printf (_("%s (the heavy snapshot before it stays)"),
                                            error->message));
      return NULL;
    }
  reader->have_heavy = TRUE;
  reader->heavy_step = step;
  return heavy;
}

/* ------------------------------------------------------------------------------------------ */

void
lab_run_reader_poll (LabRunReader *reader,
                     guint         max_rows,
                     LabRowLog    *rows,
                     LabRunPoll   *poll)
{
  guint64 skipped = reader->state.rows_skipped;
  LabSessionState state = reader->state.state;

  memset (poll, 0, sizeof *poll);
  reader->changed = FALSE;
  if (is_terminal (reader))
    {
      /* rows.jsonl went first: the message says so when the directory follows */
      if (reader->rows_deleted)
        check_dir (reader);
      goto out;
    }
  if (!check_dir (reader))
    goto out;
  poll->manifest = read_manifest (reader);
  if (reader->manifest == NULL || is_terminal (reader))
    goto out;
  /* the status before the rows: a writer appends its last row before it says "finished", so
   * the rows read after a "finished" are all there will be; read the other way round, rows
   * appended between the two reads were left behind by a watch that took the run as ended */
  read_status (reader);
  poll->n_rows = read_rows (reader, max_rows, rows);
  if (is_terminal (reader))
    goto out;
  poll->heavy = read_heavy (reader);
out:
  poll->changed = reader->changed || state != reader->state.state ||
                  skipped != reader->state.rows_skipped;
}
