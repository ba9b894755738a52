#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""When gradlab_watch does what: rows at steps log_every, 2·log_every, …; heavy snapshots at
multiples of heavy_every; no hook registered (so none fires) and no tensor hook on a layer's
output during the steps in between; an evaluation after a logged step lands in that step's
row, after an unlogged one in a row of its own with null statistics; update_ratio=False writes
null; a run never closed is closed at exit; the manifest is written by the first forward pass
(forward order, input shape, classes) and a second run in the same directory starts it afresh
(new writer_id, no old rows or snapshots); bad arguments are refused at watch()."""
import os

import torch
import torch.nn.functional as F
from torch import nn

from watchtest import check, child, fail, ini, rows, run_check, status, tempdir  # sets the path

import gradlab_watch  # noqa: E402


class Reordered(nn.Module):
    """Layers registered in one order and run in another."""

    def __init__(self):
        super().__init__()
        self.late = nn.Linear(8, 3)
        self.early = nn.Linear(6, 8)

    def forward(self, x):
        return self.late(torch.relu(self.early(x)))


def our_hooks(model):
    return sum(len(m._forward_hooks) + len(m._forward_pre_hooks) for m in model.modules())


def cadence_case():
    torch.manual_seed(5)
    model = Reordered()
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    armed = {3, 4, 6, 8, 9}            # log_every 3, heavy_every 4, 10 steps
    with tempdir() as t:
        check(our_hooks(model) == 0, "the model has hooks before watch()")
        run = gradlab_watch.watch(model, t, optimizer=opt, log_every=3, heavy_every=4,
                                  heavy_keep=0, update_ratio=False)
        check(not os.path.exists(os.path.join(t, "run.ini")), "run.ini before any forward")
        for s in range(1, 11):
            x, y = torch.randn(16, 6), torch.randint(0, 3, (16,))
            out = model(x)
            if s == 1:
                check(os.path.exists(os.path.join(t, "run.ini")),
                      "no run.ini after the first forward")
            hooked = model.early(x)._backward_hooks is not None
            check(hooked == (s in armed), "step %d: output tensor hook %s" % (s, hooked))
            loss = F.cross_entropy(out, y)
            opt.zero_grad()
            loss.backward()
            opt.step()
            run.step(loss=loss, outputs=out, targets=y, epoch=1 + s // 6)
            n = our_hooks(model)
            check((n > 0) == (s + 1 in armed),
                  "after step %d: %d hooks on the model, next step armed: %s"
                  % (s, n, s + 1 in armed))
            if s in (5, 6):
                run.eval(loss=0.25 * s, accuracy=torch.tensor(0.5))
        run.close()
        check(our_hooks(model) == 0, "hooks left after close()")
        got = rows(t)
        check([r["step"] for r in got] == [3, 5, 6, 9], "row steps %s" % [r["step"] for r in got])
        check([r["epoch"] for r in got] == [1, 1, 2, 2], "epochs %s" % [r["epoch"] for r in got])
        check("test_loss" not in got[0] and "test_loss" not in got[3],
              "test keys in a training row")
        check(got[1]["test_loss"] == 1.25 and got[1]["test_accuracy"] == 0.5,
              "eval row %s" % got[1])
        check(got[1]["grad_norm"] == [None, None] and got[1]["act_mean"] == [None, None],
              "an unlogged step's eval row must hold null statistics: %s" % got[1])
        check(got[1]["loss"] is not None and got[1]["lr"] == 0.1, "eval row lost loss or lr")
        check(got[2]["test_loss"] == 1.5 and got[2]["grad_norm"][0] is not None,
              "the eval after logged step 6 must join its row: %s" % got[2])
        check(all(r["update_ratio"] == [None, None] for r in got),
              "update_ratio=False must be null")
        check(sorted(os.listdir(os.path.join(t, "heavy"))) == ["000004", "000008"],
              "heavy snapshots %s" % os.listdir(os.path.join(t, "heavy")))
        man = ini(os.path.join(t, "run.ini"))
        check([man["layer0"]["name"], man["layer1"]["name"]] == ["early", "late"],
              "layers not in forward order")
        check(man["run"]["input_shape"] == "6" and man["run"]["classes"] == "3", "input/classes")
        check(man["layer0"]["activation"] == "unknown", "a functional relu is 'unknown'")
        check(status(t) == "finished", "status %s" % status(t))
        first_id = man["run"]["writer_id"]

        # the same directory again: a fresh run
        run = gradlab_watch.watch(model, t, log_every=1, heavy_every=0)
        model(torch.randn(4, 6)).sum().backward()
        run.step()
        check(status(t) == "running", "a second run's status: %s" % status(t))
        run.close()
        check(ini(os.path.join(t, "run.ini"))["run"]["writer_id"] != first_id, "same writer_id")
        check([r["step"] for r in rows(t)] == [1], "old rows kept: %s" % rows(t))
        check(os.listdir(os.path.join(t, "heavy")) == [], "old heavy snapshots kept")
        check(rows(t)[0]["loss"] is None and rows(t)[0]["lr"] is None,
              "unknown loss and lr must be null")


def flush_case():
    """run.flush() returns once what the writer thread was handed is on disk: the heavy
    snapshot of the step just taken and the rows of the steps before it (the last logged
    step's row waits for a possible run.eval() until the next call)."""
    torch.manual_seed(6)
    model = nn.Linear(6, 3)
    with tempdir() as t:
        run = gradlab_watch.watch(model, t, log_every=1, heavy_every=2, heavy_keep=0)
        for s in range(1, 6):
            model(torch.randn(4, 6)).sum().backward()
            run.step()
            run.flush()
            check([r["step"] for r in rows(t)] == list(range(1, s)),
                  "after step %d and a flush: rows %s" % (s, [r["step"] for r in rows(t)]))
            want = ["%06d" % k for k in range(2, s + 1, 2)]
            got = sorted(os.listdir(os.path.join(t, "heavy")))
            check(got == want, "after step %d and a flush: heavy/ holds %s" % (s, got))
        run.close()
        check([r["step"] for r in rows(t)] == [1, 2, 3, 4, 5], "rows after close")


UNCLOSED = r"""
import sys, torch
from torch import nn
import gradlab_watch
model = nn.Linear(4, 3)
run = gradlab_watch.watch(model, sys.argv[1], log_every=1)
model(torch.randn(2, 4)).sum().backward()
run.step()
if sys.argv[2] == "raise":
    raise RuntimeError("the training failed")
"""


def unclosed_case():
    """A script that never calls close(): its last row and status are written at exit."""
    with tempdir() as t:
        for how, want in (("return", "finished"),
                          ("raise", "failed: RuntimeError: the training failed")):
            d = os.path.join(t, how)
            code, out, err = child(UNCLOSED, d, how)
            check((code == 0) == (how == "return"), "unclosed %s: exit %d %s" % (how, code, err))
            check(status(d) == want, "unclosed %s: status %r" % (how, status(d)))
            check([r["step"] for r in rows(d)] == [1], "unclosed %s: the last row is lost" % how)


def arguments_case():
    model = nn.Linear(2, 2)
    for kwargs in ({"log_every": 0}, {"log_every": 2.5}, {"heavy_every": -1},
                   {"log_every": True}):
        try:
            gradlab_watch.watch(model, "/nonexistent/never-created", **kwargs)
        except ValueError:
            continue
        fail("watch(%s) was accepted" % kwargs)
    check(not os.path.exists("/nonexistent"), "a refused watch() created its directory")


def main():
    cadence_case()
    flush_case()
    unclosed_case()
    arguments_case()
    print("rows, snapshots and hooks come exactly when due")


if __name__ == "__main__":
    run_check(main)
