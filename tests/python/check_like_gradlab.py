#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The two writers against each other: Gradient Lab's engine (gradlab-cli, $GRADLAB_CLI)
trains the fashion-mlp preset (784-256-128-10, ReLU, SGD 0.1, batch 64) from weights it saved
itself, in file order on the first 640 images, writing its per-step metrics; PyTorch trains the
same network from the same weights with train_like_gradlab.py, logging with gradlab_watch.
grad_norm, delta_norm and weight_norm of every layer at every step must agree to 1e-4
relative (and loss, global gradient norm, update ratio, activation statistics with them).
Exit status 77 (skipped) without gradlab-cli or Fashion-MNIST."""
import csv
import os
import subprocess
import sys

from watchtest import HERE, check, python, rows, run_check, tempdir

import fashion_mnist  # noqa: E402

STEPS, SAMPLES = 12, 640
HELD = ("grad_norm", "delta_norm", "weight_norm")
ALSO = {"grad_mean_abs": 1e-3, "update_ratio": 1e-4, "act_mean": 1e-3, "act_std": 1e-4,
        "act_dead": 0}


def cli(*args):
    p = subprocess.run([os.environ["GRADLAB_CLI"]] + list(args), capture_output=True, text=True,
                       timeout=120)
    check(p.returncode == 0, "gradlab-cli %s: %s" % (" ".join(args), p.stderr))


def rel(a, b):
    return abs(a - b) / max(abs(a), abs(b), 1e-30)


def main():
    exe = os.environ.get("GRADLAB_CLI", "")
    if not os.access(exe, os.X_OK) or not os.path.isdir(fashion_mnist.DATA):
        print("skipped: needs $GRADLAB_CLI (%r) and %s" % (exe, fashion_mnist.DATA))
        sys.exit(77)
    with tempdir() as t:
        weights, metrics, run_dir = (os.path.join(t, n) for n in ("w", "m.csv", "run"))
        cli("train", "--preset", "fashion-mlp", "--steps", "1", "--save-weights", weights,
            "--quiet")
        cli("train", "--preset", "fashion-mlp", "--load-weights", weights, "--threads", "1",
            "--set", "data.shuffle=false", "--set", "data.train_limit=%d" % SAMPLES,
            "--steps", str(STEPS), "--metrics", metrics, "--quiet")
        code, out, err = python([os.path.join(HERE, "train_like_gradlab.py"), "--weights",
                                 weights, "--samples", str(SAMPLES), "--steps", str(STEPS),
                                 run_dir])
        check(code == 0, "train_like_gradlab.py failed:\n%s%s" % (out, err))
        with open(metrics, encoding="utf-8") as f:
            theirs = list(csv.DictReader(f))
        ours = rows(run_dir)
        check(len(ours) == len(theirs) == STEPS, "%d and %d rows" % (len(ours), len(theirs)))
        worst = {}
        for s, (a, b) in enumerate(zip(ours, theirs), 1):
            check(a["step"] == int(b["step"]) == s, "step %d" % s)
            pairs = [("loss", a["loss"], b["loss"], 1e-4),
                     ("global_grad_norm", a["global_grad_norm"], b["grad_norm"], 1e-4)]
            for key, tol in [(k, 1e-4) for k in HELD] + list(ALSO.items()):
                pairs += [("%s[%d]" % (key, l), a[key][l], b["%s_%d" % (key, l + 1)], tol)
                          for l in range(3)]
            for what, x, y, tol in pairs:
                e = rel(float(x), float(y))
                worst[what.split("[")[0]] = max(worst.get(what.split("[")[0], 0), e)
                check(e <= tol + 1e-7,
                      "step %d %s: gradlab_watch %s, gradlab-cli %s" % (s, what, x, y))
        print("agree over %d steps; worst relative differences: %s"
              % (STEPS, ", ".join("%s %.1e" % kv for kv in sorted(worst.items()))))


if __name__ == "__main__":
    run_check(main)
