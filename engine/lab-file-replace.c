/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-file-replace.c: atomic file replacement. Data goes to "PATH.XXXXXX" in the target's folder
 * (same file system, so rename(2) is atomic); commit is fflush + ferror + fsync + fclose +
 * rename, each checked. On any failure the temporary file is unlinked and the old file is
 * left untouched, and the GError names the target and the errno text. A file-size limit
 * (RLIMIT_FSIZE) would kill the process with SIGXFSZ; we ignore that signal once, so such a
 * write fails with EFBIG and is reported like a full disk.
 *
 * The stream is a glibc/musl fopencookie() stream over the file descriptor rather than a plain
 * fdopen(): when write(2) fails inside stdio, glibc sets the error flag but later calls may
 * clobber errno, so commit would only know "something failed". The cookie's write function
 * records the first errno, and commit reports that one.
 */
#define G_LOG_DOMAIN "lab-engine"
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "lab-file-replace.h"
#include "lab-error.h"

struct _LabFileReplace
{
  char *path;        /* the target */
  char *tmp_path;    /* PATH.XXXXXX, same folder */
  FILE *stream;      /* NULL once closed */
  int   fd;          /* owned by the stream: closed by its close function */
  int   saved_errno; /* first write(2)/close(2) failure, 0 if none */
};

/* Turn SIGXFSZ into EFBIG, unless the application installed its own handler. Done once per
 * process; it never runs concurrently with itself thanks to g_once. */
static gpointer
ignore_sigxfsz (gpointer data)
{
  struct sigaction old;

  if (sigaction (SIGXFSZ, NULL, &old) == 0 &&
      !(old.sa_flags & SA_SIGINFO) &&
      old.sa_handler == SIG_DFL)
    {
      struct sigaction sa;

      memset (&sa, 0, sizeof sa);
      sa.sa_handler = SIG_IGN;
      sigemptyset (&sa.sa_mask);
      sigaction (SIGXFSZ, &sa, NULL);
    }
  return NULL;
}

/* The system's reason for a failed write; 0 (none recorded) reads as EIO. */
static const char *
io_reason (int saved_errno)
{
  return g_strerror (saved_errno ? saved_errno : EIO);
}

/* --- fopencookie() functions: the stream's view of the file descriptor --- */

static ssize_t
cookie_write (void       *cookie,
              const char *buf,
              size_t      size)
{
  LabFileReplace *file = cookie;
  size_t done = 0;

  while (done < size)
    {
      ssize_t n = write (file->fd, buf + done, size - done);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        {
          if (file->saved_errno == 0)
            file->saved_errno = n < 0 ? errno : EIO;
          /* A short count sets the stream's error flag. */
          return (ssize_t) done;
        }
      done += (size_t) n;
    }
  return (ssize_t) done;
}

static int
cookie_seek (void    *cookie,
             off64_t *offset,
             int      whence)
{
  LabFileReplace *file = cookie;
  off64_t pos = lseek64 (file->fd, *offset, whence);

  if (pos < 0)
    return -1;
  *offset = pos;
  return 0;
}

static int
cookie_close (void *cookie)
{
  LabFileReplace *file = cookie;
  int fd = file->fd;

  file->fd = -1;
  if (fd >= 0 && close (fd) != 0)
    {
      if (file->saved_errno == 0)
        file->saved_errno = errno;
      return -1;
    }
  return 0;
}

static void
file_replace_free (LabFileReplace *file)
{
  g_free (file->path);
  g_free (file->tmp_path);
  g_free (file);
}

LabFileReplace *
lab_file_replace_new (const char  *path,
                      GError     **error)
{
  static GOnce sigxfsz_once = G_ONCE_INIT;
  LabFileReplace *file;
  int fd;

  g_return_val_if_fail (path != NULL && *path != '\0', NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  g_once (&sigxfsz_once, ignore_sigxfsz, NULL);

  file = g_new0 (LabFileReplace, 1);
  file->path = g_strdup (path);
  file->tmp_path = g_strconcat (path, ".XXXXXX", NULL);

  /* open(2) applies the umask to 0666, so the result has the mode of any new file. */
  fd = g_mkstemp_full (file->tmp_path, O_RDWR | O_CLOEXEC, 0666);
  if (fd < 0)
    {
      lab_io_error (error, _("%s: could not write: %s"), path, io_reason (errno));
      file_replace_free (file);
      return NULL;
    }

  file->fd = fd;
  file->stream = fopencookie (file, "wb", (cookie_io_functions_t) {
                                .write = cookie_write,
                                .seek = cookie_seek,
                                .close = cookie_close,
                              });
  if (file->stream == NULL)
    {
      int saved_errno = errno;

      close (fd);
      g_unlink (file->tmp_path);
      lab_io_error (error, _("%s: could not write: %s"), path, io_reason (saved_errno));
      file_replace_free (file);
      return NULL;
    }

  return file;
}

FILE *
lab_file_replace_stream (LabFileReplace *file)
{
  g_return_val_if_fail (file != NULL, NULL);

  return file->stream;
}

void
lab_file_replace_abort (LabFileReplace *file)
{
  if (file == NULL)
    return;

  if (file->stream != NULL)
    fclose (file->stream);
  g_unlink (file->tmp_path);
  file_replace_free (file);
}

/* Makes the rename itself durable; failures here cannot lose the data, so they are ignored. */
static void
sync_parent_dir (const char *path)
{
  g_autofree char *dir = g_path_get_dirname (path);
  int fd = open (dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

  if (fd >= 0)
    {
      (void) fsync (fd);
      close (fd);
    }
}

gboolean
lab_file_replace_commit (LabFileReplace  *file,
                         GError         **error)
{
  FILE *stream;
  int saved_errno;

  g_return_val_if_fail (file != NULL, FALSE);
  g_return_val_if_fail (file->stream != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  stream = g_steal_pointer (&file->stream);

  /* The first failed write(2) is remembered by cookie_write(); its errno wins (EFBIG, ENOSPC,
   * EIO …) over whatever errno says now. */
  errno = 0;
  if (fflush (stream) != 0 || ferror (stream) || file->saved_errno != 0)
    {
      saved_errno = file->saved_errno ? file->saved_errno : errno;
      fclose (stream);
      goto failed_write;
    }

  if (fsync (file->fd) != 0)
    {
      saved_errno = errno;
      fclose (stream);
      goto failed_write;
    }

  /* Some file systems (NFS) only report errors at close. */
  errno = 0;
  if (fclose (stream) != 0 || file->saved_errno != 0)
    {
      saved_errno = file->saved_errno ? file->saved_errno : errno;
      goto failed_write;
    }

  if (g_rename (file->tmp_path, file->path) != 0)
    {
      saved_errno = errno;
      g_unlink (file->tmp_path);
      lab_io_error (error, _("%s: could not replace the file: %s"),
                    file->path, io_reason (saved_errno));
      file_replace_free (file);
      return FALSE;
    }

  sync_parent_dir (file->path);
  file_replace_free (file);
  return TRUE;

failed_write:
  g_unlink (file->tmp_path);
  lab_io_error (error, _("%s: could not write: %s"), file->path, io_reason (saved_errno));
  file_replace_free (file);
  return FALSE;
}

gboolean
lab_file_replace_contents (const char  *path,
                           const void  *data,
                           gsize        length,
                           GError     **error)
{
  LabFileReplace *file;

  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (data != NULL || length == 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  file = lab_file_replace_new (path, error);
  if (file == NULL)
    return FALSE;

  /* A short write is reported by commit, with its errno. */
  if (length > 0)
    fwrite (data, 1, length, file->stream);

  return lab_file_replace_commit (file, error);
}
