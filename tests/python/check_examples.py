#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""examples/pytorch/mlp.py, cnn.py and pruned.py, run as a user runs them (defaults, a run
directory on the command line): each must finish well within a minute, learn (test accuracy
above chance by far), and leave a finished run directory: the CNN's convolutions as
out × in·k matrices in its snapshots, the pruned run's masks and 80 % sparsity after pruning.
(ddp.py is check_ddp.py's.)"""
import os
import time

import numpy as np

from watchtest import EXAMPLES, check, ini, ints, python, rows, run_check, status, tempdir

LIMIT_S = 60


def run_example(name, run_dir):
    t0 = time.monotonic()
    code, out, err = python([os.path.join(EXAMPLES, name), run_dir], timeout=300)
    took = time.monotonic() - t0
    check(code == 0, "%s exited with %d:\n%s%s" % (name, code, out, err))
    check(err.strip() == "", "%s wrote to stderr:\n%s" % (name, err))
    check(took < LIMIT_S, "%s took %.1f s" % (name, took))
    check(status(run_dir) == "finished", "%s: status %s" % (name, status(run_dir)))
    got = rows(run_dir)
    tests = [r for r in got if "test_accuracy" in r]
    check(len(tests) == 2 and tests[-1]["test_accuracy"] > 0.5,
          "%s: test rows %s" % (name, [r.get("test_accuracy") for r in tests]))
    snaps = sorted(os.listdir(os.path.join(run_dir, "heavy")))
    check(snaps, "%s: no heavy snapshot" % name)
    print("%s: %.1f s, %d rows, test accuracy %.3f" % (name, took, len(got),
                                                       tests[-1]["test_accuracy"]))
    return ini(os.path.join(run_dir, "run.ini")), got, os.path.join(run_dir, "heavy", snaps[-1])


def main():
    with tempdir() as t:
        man, _, snap = run_example("mlp.py", os.path.join(t, "mlp"))
        check([ints(man["layer%d" % l]["shape"]) for l in range(3)] ==
              [[256, 784], [128, 256], [10, 128]], "mlp shapes")

        man, got, snap = run_example("cnn.py", os.path.join(t, "cnn"))
        want = [("conv2d", [8, 9]), ("conv2d", [16, 72]), ("linear", [64, 400]),
                ("linear", [10, 64])]
        for l, (kind, shape) in enumerate(want):
            sec = man["layer%d" % l]
            check((sec["kind"], ints(sec["shape"])) == (kind, shape),
                  "cnn layer%d %s" % (l, dict(sec)))
            check(np.load(os.path.join(snap, "W%d.npy" % l)).shape == tuple(shape),
                  "cnn W%d.npy is not %s" % (l, shape))
        check(all(v is not None for v in got[0]["delta_norm"]), "cnn δ missing")

        man, got, snap = run_example("pruned.py", os.path.join(t, "pruned"))
        last = [r for r in got if r["total_sparsity"] is not None][-1]
        check(abs(last["total_sparsity"] - 0.8) < 1e-3, "pruned: total_sparsity %s" % last)
        check(got[0]["total_sparsity"] == 0, "pruned: sparse before pruning")
        for l in range(3):
            w = np.load(os.path.join(snap, "W%d.npy" % l))
            m = np.load(os.path.join(snap, "M%d.npy" % l))
            check(m.shape == w.shape and np.all(w[m == 0] == 0), "pruned layer %d" % l)
    print("the examples run and write their run directories")


if __name__ == "__main__":
    run_check(main)
