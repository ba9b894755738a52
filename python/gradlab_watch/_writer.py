# SPDX-License-Identifier: GPL-3.0-or-later
"""The writer thread: rows and heavy snapshots are formatted and written off the training
thread, in the order they were handed over. The training thread takes the device→host copies
itself (so the values are those of the step, whatever the next step does to the tensors) and
hands over Python numbers and NumPy arrays only; no torch call runs here. A write that fails
stops this thread's work and keeps the exception for the training thread, which reports it at
its next call (Run turns it into the one warning and stops logging)."""

import queue
import threading

# Jobs waiting at most; the training thread blocks beyond that (a disk slower than the
# training), so memory stays bounded.
BACKLOG = 4


class Writer:
    def __init__(self):
        self._jobs = queue.Queue(BACKLOG)
        self._thread = None
        self.error = None   # the first exception of a job; later jobs are dropped

    def submit(self, fn, *args):
        """Runs fn(*args) on the writer thread, after every job submitted before it."""
        if self._thread is None:
            self._thread = threading.Thread(target=self._main, name="gradlab_watch writer",
                                            daemon=True)
            self._thread.start()
        self._jobs.put((fn, args))

    def wait(self):
        """Returns once every submitted job has run (or been dropped after an error)."""
        if self._thread is not None:
            self._jobs.join()

    def close(self):
        """Runs what is queued, then ends the thread."""
        if self._thread is not None:
            self._jobs.put(None)
            self._thread.join()
            self._thread = None

    def _main(self):
        while True:
            job = self._jobs.get()
            try:
                if job is None:
                    return
                if self.error is None:
                    job[0](*job[1])
            except Exception as e:   # noqa: BLE001 (reported by the training thread)
                self.error = e
            finally:
                self._jobs.task_done()
