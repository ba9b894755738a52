#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""gradlab_watch never takes the training down. Each case trains in a child process while
logging fails: the run directory deleted mid-run, a read-only directory (as user 'nobody'
when the tests run as root, since root writes anywhere), a path through a regular file, a
full disk (RLIMIT_FSIZE: writes fail with EFBIG), and an error of our own inside a forward
hook and inside a heavy snapshot. Every time the child must finish all its steps with exit
status 0, print exactly one 'gradlab_watch:' warning on stderr and no traceback, and be left
with no hook on the model and an inactive Run."""
import os
import stat

from watchtest import check, child, run_check, status, tempdir

TRAIN = r"""
import os, resource, sys
import torch
from torch import nn
import gradlab_watch

case, run_dir, steps = sys.argv[1], sys.argv[2], int(sys.argv[3])
if case == "readonly" and os.geteuid() == 0:
    os.setgid(65534)
    os.setuid(65534)
if case == "fsize":
    resource.setrlimit(resource.RLIMIT_FSIZE, (32768, 32768))
if case == "hook-error":
    works, calls = gradlab_watch._collect.Collector._on_layer, []
    def broken(*args):
        calls.append(1)
        if len(calls) > 8:
            raise RuntimeError("a bug in a forward hook")
        return works(*args)
    gradlab_watch._collect.Collector._on_layer = broken
if case == "heavy-error":
    def broken(*args):
        raise RuntimeError("a bug in a heavy snapshot")
    gradlab_watch._histogram.count = broken
torch.manual_seed(0)
model = nn.Sequential(nn.Linear(100, 64), nn.ReLU(), nn.Linear(64, 10))
opt = torch.optim.SGD(model.parameters(), lr=0.05)
run = gradlab_watch.watch(model, run_dir, optimizer=opt, log_every=1, heavy_every=3)
x, y = torch.randn(512, 100), torch.randint(0, 10, (512,))
for s in range(1, steps + 1):
    i = (s * 32) % 512
    out = model(x[i:i + 32])
    loss = nn.functional.cross_entropy(out, y[i:i + 32])
    opt.zero_grad()
    loss.backward()
    opt.step()
    run.step(loss=loss, outputs=out, targets=y[i:i + 32])
    if case == "deleted" and s == 10:
        # as "rm -rf" from a shell would: the writer thread may be renaming a snapshot in
        # it meanwhile, so delete until it is gone
        import shutil
        while os.path.exists(run_dir):
            shutil.rmtree(run_dir, ignore_errors=True)
run.close()
hooks = sum(len(m._forward_hooks) + len(m._forward_pre_hooks) for m in model.modules())
assert hooks == 0, "%d hooks left on the model" % hooks
assert not run.active, "the Run is still active"
print("trained", s, float(loss))
"""


def run_case(case, run_dir, steps=30):
    code, out, err = child(TRAIN, case, run_dir, str(steps))
    what = "case %s" % case
    check(code == 0, "%s: the training died (status %d):\n%s%s" % (what, code, out, err))
    check(out.startswith("trained %d " % steps),
          "%s: the training did not finish: %s" % (what, out))
    warnings = [line for line in err.splitlines() if line.startswith("gradlab_watch:")]
    check(len(warnings) == 1, "%s: %d warnings, want 1:\n%s" % (what, len(warnings), err))
    check("Traceback" not in err, "%s: a traceback:\n%s" % (what, err))
    check("training goes on" in warnings[0], "%s: the warning: %s" % (what, warnings[0]))
    return warnings[0]


def main():
    with tempdir() as t:
        os.chmod(t, 0o755)   # 'nobody' must reach the read-only folder inside

        d = os.path.join(t, "deleted")
        w = run_case("deleted", d)
        check("deleted" in w, "deleted: the warning does not say so: %s" % w)
        check(not os.path.exists(d), "deleted: the directory was made again")

        d = os.path.join(t, "ro")
        os.mkdir(d)
        os.chmod(d, stat.S_IRUSR | stat.S_IXUSR | stat.S_IRGRP | stat.S_IXGRP | stat.S_IROTH
                 | stat.S_IXOTH)
        w = run_case("readonly", d)
        check("Permission denied" in w, "readonly: %s" % w)
        check(os.listdir(d) == [], "readonly: files appeared in a read-only folder")

        f = os.path.join(t, "a-file")
        open(f, "w").close()
        w = run_case("not-a-directory", os.path.join(f, "run"))
        check("Not a directory" in w, "not-a-directory: %s" % w)

        d = os.path.join(t, "fsize")
        w = run_case("fsize", d, steps=120)
        check("File too large" in w, "fsize: %s" % w)
        check(status(d).startswith("failed: logging stopped: ") and "File too large" in status(d),
              "fsize: status %r" % status(d))
        with open(os.path.join(d, "rows.jsonl"), encoding="utf-8") as fh:
            lines = fh.read().split("\n")
        check(len(lines) > 10, "fsize: only %d rows before the limit" % len(lines))

        for case in ("hook-error", "heavy-error"):
            d = os.path.join(t, case)
            w = run_case(case, d)
            check("RuntimeError: a bug in" in w, "%s: %s" % (case, w))
            check(status(d).startswith("failed: logging stopped: RuntimeError"),
                  "%s: status %r" % (case, status(d)))
    print("logging failures stop logging, never the training")


if __name__ == "__main__":
    run_check(main)
