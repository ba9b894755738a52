# SPDX-License-Identifier: GPL-3.0-or-later
"""The writer thread: rows and heavy snapshots are formatted and written off the training
thread, in the order they were handed over. The training thread takes the device→host copies
itself (so the values are those of the step, whatever the next step does to the tensors) and
hands over Python objects, NumPy arrays and the step's finished 0-d results; the writer only
reads those. Handing over is an append to a deque: waking a sleeping thread costs the training
thread more than a row does, so the writer wakes by itself every PERIOD seconds and writes
what has come (a reader sees a row at most that late), and is woken at once only when too much
waits, at a flush and at close. A write that fails stops this thread's work and keeps the
exception for the training thread, which reports it at its next call (Run turns it into the
one warning and stops logging)."""

import collections
import threading

PERIOD = 0.1
# Jobs (rows) and heavy snapshots waiting at most; beyond either, the training thread wakes the
# writer and waits (a disk slower than the training), so memory stays bounded.
BACKLOG = 1000
HEAVY_BACKLOG = 2


class Writer:
    def __init__(self, name):
        self._name = name        # of the thread: "gradlab_watch writer: DIRECTORY"
        self._jobs = collections.deque()
        self._cond = threading.Condition()
        self._unfinished = 0     # jobs submitted and not run yet
        self._heavy = 0          # heavy snapshots among them
        self._urgent = False     # the training thread waits for them
        self._thread = None
        self._closing = False
        self.error = None        # the first exception of a job; later jobs are dropped

    def submit(self, fn, *args, heavy=False):
        """Runs fn(*args) on the writer thread, after every job submitted before it; @heavy
        for a heavy snapshot, of which only HEAVY_BACKLOG may wait."""
        if self._thread is None:
            self._closing = False
            self._thread = threading.Thread(target=self._main, name=self._name, daemon=True)
            self._thread.start()
        with self._cond:
            self._unfinished += 1
            self._heavy += heavy
            self._jobs.append((fn, args, heavy))
            if self._unfinished >= BACKLOG or self._heavy >= HEAVY_BACKLOG:
                self._wait_until(lambda: self._unfinished < BACKLOG
                                 and self._heavy < HEAVY_BACKLOG)

    def flush(self):
        """Returns once every job submitted so far has run."""
        if self._thread is not None:
            with self._cond:
                self._wait_until(lambda: self._unfinished == 0)

    def close(self):
        """Runs what is queued, then ends the thread."""
        if self._thread is not None:
            with self._cond:
                self._closing = True
                self._cond.notify_all()
            self._thread.join()
            self._thread = None

    def _wait_until(self, done):
        # under _cond: wakes the writer and waits
        self._urgent = True
        self._cond.notify_all()
        while not done():
            self._cond.wait()
        self._urgent = False

    def _main(self):
        while True:
            with self._cond:
                if not (self._closing or self._urgent):
                    self._cond.wait(PERIOD)
                closing = self._closing
            while self._jobs:
                fn, args, heavy = self._jobs.popleft()
                try:
                    if self.error is None:
                        fn(*args)
                except Exception as e:   # noqa: BLE001 (reported by the training thread)
                    self.error = e
                with self._cond:
                    self._unfinished -= 1
                    self._heavy -= heavy
                    self._cond.notify_all()   # a training thread waiting for room or a flush
            if closing:
                return
