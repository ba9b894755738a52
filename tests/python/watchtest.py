# SPDX-License-Identifier: GPL-3.0-or-later
"""What the gradlab_watch checks share: paths into the source tree, failing with a clear
message (exit status 1), relative comparisons, reading a run directory, and running a child
Python with the module on its path. Each check_*.py script imports this and exits 0 when
every check held."""

import configparser
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
PYTHON_DIR = os.path.join(ROOT, "python")
EXAMPLES = os.path.join(ROOT, "examples", "pytorch")
for _p in (PYTHON_DIR, EXAMPLES):
    if _p not in sys.path:
        sys.path.insert(0, _p)
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

LAYER_KEYS = ("grad_norm", "grad_mean_abs", "delta_norm", "weight_norm", "update_ratio",
              "sparsity", "act_mean", "act_std", "act_saturated", "act_dead")
ROW_KEYS = ("step", "epoch", "time", "lr", "loss", "accuracy", "global_grad_norm",
            "total_sparsity")


def run_check(main):
    """Runs a check's main(); an AssertionError (from torch or numpy) fails it like check()."""
    try:
        main()
    except AssertionError as e:
        fail(str(e) or "an assertion failed")


def train_step(model, opt, run, x, y):
    """One cross-entropy SGD step on (x, y), then run.step(); returns the step's loss."""
    import torch.nn.functional as F
    out = model(x)
    loss = F.cross_entropy(out, y)
    opt.zero_grad()
    loss.backward()
    opt.step()
    run.step(loss=loss, outputs=out, targets=y)
    return loss


def fail(msg):
    sys.stderr.write("FAIL: %s\n" % msg)
    sys.exit(1)


def check(cond, msg):
    if not cond:
        fail(msg)


def close(got, want, what, rtol=1e-5, atol=1e-7):
    """Fails unless |got - want| ≤ rtol·max(|got|, |want|) + atol."""
    got, want = float(got), float(want)
    if not abs(got - want) <= rtol * max(abs(got), abs(want)) + atol:
        fail("%s: got %.9g, want %.9g (rtol %g, atol %g)" % (what, got, want, rtol, atol))


def rows(run_dir):
    """Every complete line of rows.jsonl, parsed with the json module."""
    with open(os.path.join(run_dir, "rows.jsonl"), encoding="utf-8") as f:
        text = f.read()
    check(text == "" or text.endswith("\n"), "rows.jsonl ends in a partial line")
    return [json.loads(line) for line in text.splitlines()]


def ini(path):
    """A parsed INI file (configparser: no interpolation, duplicate keys refused)."""
    p = configparser.RawConfigParser(strict=True, interpolation=None, comment_prefixes=("#",),
                                     inline_comment_prefixes=None, delimiters=("=",))
    p.optionxform = str
    with open(path, encoding="utf-8") as f:
        p.read_file(f, path)
    return p


def ints(value):
    return [int(v) for v in value.split(";")] if value else []


def status(run_dir):
    with open(os.path.join(run_dir, "status"), encoding="utf-8") as f:
        return f.read().rstrip("\n")


def tempdir():
    return tempfile.TemporaryDirectory(prefix="gradlab-watch-")


def python(args, timeout=300, module_dir=PYTHON_DIR):
    """Runs /usr/bin/python3 ARGS with the module (from @module_dir), the examples and this
    folder on its path; returns (exit status, stdout, stderr)."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([module_dir, EXAMPLES, HERE]
                                        + ([env["PYTHONPATH"]] if env.get("PYTHONPATH") else []))
    p = subprocess.run(["/usr/bin/python3"] + list(args), env=env, capture_output=True,
                       text=True, timeout=timeout)
    return p.returncode, p.stdout, p.stderr


def child(code, *args, timeout=300, module_dir=PYTHON_DIR):
    """Runs Python @code in a child process, as python() does."""
    return python(["-c", code] + list(args), timeout=timeout, module_dir=module_dir)
