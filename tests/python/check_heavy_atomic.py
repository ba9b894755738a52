#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""A reader polling a run directory while gradlab_watch writes it never sees a partial file:
a child trains a 784-512-512-10 MLP writing a heavy snapshot every step (keeping the newest
three) and a row every step, while this process lists heavy/ as fast as it can and reads
every snapshot folder that is not a dot-folder (heavy.ini complete, every W/B .npy whole, of
the manifest's shape) and every complete line of rows.jsonl. A snapshot may vanish while it is
read (the writer deletes old ones); a read that fails on a folder still there is a failure."""
import configparser
import json
import os
import subprocess
import time

import numpy as np

from watchtest import EXAMPLES, HERE, PYTHON_DIR, check, ini, ints, run_check, status, tempdir

WRITER = r"""
import sys
import torch
from torch import nn
import gradlab_watch
torch.manual_seed(0)
torch.set_num_threads(1)
model = nn.Sequential(nn.Linear(784, 512), nn.ReLU(), nn.Linear(512, 512), nn.ReLU(),
                      nn.Linear(512, 10))
opt = torch.optim.SGD(model.parameters(), lr=0.01)
run = gradlab_watch.watch(model, sys.argv[1], log_every=1, heavy_every=1, heavy_keep=3)
for s in range(int(sys.argv[2])):
    x, y = torch.rand(64, 784), torch.randint(0, 10, (64,))
    out = model(x)
    loss = nn.functional.cross_entropy(out, y)
    opt.zero_grad()
    loss.backward()
    opt.step()
    run.step(loss=loss, outputs=out, targets=y)
run.close()
"""


def read_snapshot(folder, shapes):
    """Reads one snapshot whole; raises on anything partial."""
    h = ini(os.path.join(folder, "heavy.ini"))
    check(h.getint("heavy", "step") == int(os.path.basename(folder)), "%s: wrong step" % folder)
    for l, shape in enumerate(shapes):
        check(len(ints(h["layer%d" % l]["grad_counts"])) == 48, "%s: grad_counts" % folder)
        w = np.load(os.path.join(folder, "W%d.npy" % l))
        check(w.shape == shape, "%s: W%d.npy has shape %s" % (folder, l, w.shape))
        b = np.load(os.path.join(folder, "B%d.npy" % l))
        check(b.shape == (shape[0],), "%s: B%d.npy has shape %s" % (folder, l, b.shape))


def main():
    with tempdir() as t:
        env = dict(os.environ, PYTHONPATH=os.pathsep.join([PYTHON_DIR, EXAMPLES, HERE]))
        writer = subprocess.Popen(["/usr/bin/python3", "-c", WRITER, t, "80"], env=env,
                                  stderr=subprocess.PIPE, text=True)
        try:
            seen, rows_seen = poll(t, writer)
        finally:
            if writer.poll() is None:
                writer.kill()
            writer.wait()
        err = writer.stderr.read()
        check(writer.returncode == 0, "the writer failed:\n%s" % err)
        check(len(seen) >= 10, "only %d snapshots were read while written" % len(seen))
        check(rows_seen == 80, "%d rows" % rows_seen)
        left = sorted(os.listdir(os.path.join(t, "heavy")))
        check(left == ["000078", "000079", "000080"], "heavy/ keeps %s" % left)
        check(status(t) == "finished", "status %s" % status(t))
    print("%d snapshots read whole while being written" % len(seen))


def read_new(heavy, shapes, seen):
    """Reads every snapshot folder not read yet; a failure counts only if the folder stays."""
    for name in os.listdir(heavy) if os.path.isdir(heavy) else []:
        if name.startswith(".") or name in seen:
            continue
        folder = os.path.join(heavy, name)
        try:
            read_snapshot(folder, shapes)
            seen.add(name)
        except (OSError, ValueError, KeyError, configparser.Error) as e:
            check(not os.path.isdir(folder), "%s read while complete: %s" % (folder, e))


def complete_rows(path):
    """How many complete lines rows.jsonl has, each parsed (a last line without its newline is
    still being written and is left alone, as a reader must)."""
    if not os.path.exists(path):
        return 0
    with open(path, encoding="utf-8") as f:
        text = f.read()
    return len([json.loads(line) for line in text[:text.rfind("\n") + 1].splitlines()])


def poll(t, writer):
    """Reads everything the writer makes until it exits: (snapshot names read, rows read)."""
    shapes, seen, rows_seen, deadline = None, set(), 0, time.monotonic() + 240
    while True:
        done = writer.poll() is not None
        check(time.monotonic() < deadline, "the writer took too long")
        if shapes is None and os.path.exists(os.path.join(t, "run.ini")):
            man = ini(os.path.join(t, "run.ini"))
            shapes = [tuple(ints(man["layer%d" % l]["shape"])) for l in range(3)]
        if shapes is not None:
            read_new(os.path.join(t, "heavy"), shapes, seen)
        rows_seen = max(rows_seen, complete_rows(os.path.join(t, "rows.jsonl")))
        if done:
            return seen, rows_seen


if __name__ == "__main__":
    run_check(main)
