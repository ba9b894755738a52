# SPDX-License-Identifier: GPL-3.0-or-later
"""The files of a run directory (docs/run-directory.md), written so that a reader can watch
them while they are written: run.ini and status replaced atomically (NAME.tmp, then rename),
rows.jsonl appended one whole line per write, heavy snapshots built in heavy/.tmp-NNNNNN/ and
renamed. Every method may raise OSError; the caller (Run) turns the first one into a warning
and stops logging. Nothing is fsync'd: readers need each file to appear whole, which rename
gives, not durability across a power cut, and an fsync per row would stall training."""

import math
import os
import shutil

import numpy as np

FORMAT = 1


def _ini_escape(value, in_list=False):
    """A GKeyFile value: backslash, newline, tab and a leading space escaped (and ';' in a
    list element). Plain names and numbers come out unchanged, so configparser reads them."""
    s = str(value).replace("\\", "\\\\").replace("\n", "\\n").replace("\t", "\\t")
    s = s.replace("\r", "\\r")
    if in_list:
        s = s.replace(";", "\\;")
    if s.startswith(" "):
        s = "\\s" + s[1:]
    return s


def ini_value(value):
    """One INI value: booleans as true/false, floats in the C locale with float32 precision,
    lists and tuples joined by ';' (GKeyFile's list separator; no quotes anywhere)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return "%.9g" % value
    if isinstance(value, (list, tuple)):
        return ";".join(_ini_escape(ini_value(v) if not isinstance(v, str) else v, True)
                        for v in value)
    return _ini_escape(value)


def ini_text(sections):
    """The text of an INI file from [(section, [(key, value), …]), …]."""
    out = []
    for name, items in sections:
        if out:
            out.append("")
        out.append("[%s]" % name)
        out.extend(("%s = %s" % (k, ini_value(v))).rstrip(" ") for k, v in items)
    return "\n".join(out) + "\n"


def json_number(v):
    """A row value: %.7g (float32's precision, the engine's format), null when not finite or
    not known."""
    if v is None or not math.isfinite(v):
        return "null"
    if isinstance(v, int):
        return str(v)
    return "%.7g" % v


class RunFiles:
    """The open run directory of one writer."""

    def __init__(self, directory):
        self.dir = os.path.abspath(directory)
        self.heavy_dir = os.path.join(self.dir, "heavy")
        self._rows = None

    def _replace(self, name, text):
        path = os.path.join(self.dir, name)
        tmp = path + ".tmp"
        with open(tmp, "w", encoding="utf-8") as f:
            f.write(text)
        os.replace(tmp, path)

    def start(self, manifest_sections):
        """A fresh run: the manifest first (a reader sees the new writer_id), then an empty
        rows.jsonl, no heavy snapshots of an earlier run, and status 'running'."""
        os.makedirs(self.heavy_dir, exist_ok=True)
        self._replace("run.ini", ini_text(manifest_sections))
        fd = os.open(os.path.join(self.dir, "rows.jsonl"),
                     os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_APPEND | os.O_CLOEXEC, 0o644)
        self._rows = fd
        for name in os.listdir(self.heavy_dir):
            if name.isdigit() or name.startswith(".tmp-") or name.startswith(".old-"):
                shutil.rmtree(os.path.join(self.heavy_dir, name))
        self.set_status("running")

    def set_status(self, text):
        self._replace("status", text.replace("\n", " ") + "\n")

    def append_row(self, line):
        """Appends one complete line. A rows.jsonl that is no longer in the directory (the
        directory or the file was deleted) is an error, not a write into an unlinked file."""
        if os.fstat(self._rows).st_nlink == 0:
            raise FileNotFoundError(2, "the run directory or its rows.jsonl was deleted",
                                    os.path.join(self.dir, "rows.jsonl"))
        data = memoryview(line.encode("utf-8"))
        while data:
            n = os.write(self._rows, data)
            data = data[n:]

    def write_heavy(self, step, ini_sections, arrays, keep):
        """Writes heavy/NNNNNN/ (heavy.ini and the named float32 arrays) through a dot-folder,
        then deletes all but the newest @keep snapshots (0 keeps every one)."""
        name = "%06d" % step
        tmp = os.path.join(self.heavy_dir, ".tmp-" + name)
        final = os.path.join(self.heavy_dir, name)
        if os.path.exists(tmp):
            shutil.rmtree(tmp)
        os.mkdir(tmp)
        for fname, array in arrays:
            with open(os.path.join(tmp, fname), "wb") as f:
                np.lib.format.write_array(f, np.ascontiguousarray(array, dtype=np.float32),
                                          allow_pickle=False)
        with open(os.path.join(tmp, "heavy.ini"), "w", encoding="utf-8") as f:
            f.write(ini_text(ini_sections))
        if os.path.exists(final):
            self._remove_snapshot(name)
        os.rename(tmp, final)
        if keep > 0:
            done = sorted((n for n in os.listdir(self.heavy_dir) if n.isdigit()), key=int)
            for old in done[:-keep]:
                self._remove_snapshot(old)

    def _remove_snapshot(self, name):
        """Renames heavy/NAME to a dot-folder first, atomically, then deletes it: a reader that
        listed it finds it gone, never half deleted (as gradlab-cli's writer does)."""
        gone = os.path.join(self.heavy_dir, ".old-" + name)
        if os.path.exists(gone):
            shutil.rmtree(gone)
        os.rename(os.path.join(self.heavy_dir, name), gone)
        shutil.rmtree(gone)

    def close(self):
        if self._rows is not None:
            fd, self._rows = self._rows, None
            os.close(fd)
