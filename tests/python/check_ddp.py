#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""examples/pytorch/ddp.py, two processes on the CPU with gloo: exactly one run directory
appears, written by rank 0 (no stray files, no second writer), its manifest says rank 0 of 2
with local_batch = true, and its rows hold the gradient every rank applies (the average: here
the whole batch's, recomputed in one process) but δ, loss and accuracy of rank 0's half."""
import math
import os

import torch
import torch.nn.functional as F

from watchtest import EXAMPLES, check, close, ini, python, rows, run_check, status, tempdir

import ddp  # noqa: E402  (examples/pytorch/ddp.py: its model and its split of the batch)
import fashion_mnist  # noqa: E402

SAMPLES, BATCH, STEPS = 1024, 128, 8


def references():
    """Per step: (grad norms of the averaged gradient, global norm, rank 0's δ norms, rank 0's
    loss and accuracy), training the same model on whole batches in this process."""
    torch.set_num_threads(1)
    x, y = fashion_mnist.load("train", SAMPLES)
    model = ddp.build_model()
    lins = [model[0], model[2], model[4]]
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    refs = []
    for s in range(STEPS):
        xb, yb = x[s * BATCH:(s + 1) * BATCH], y[s * BATCH:(s + 1) * BATCH]
        x0, y0 = ddp.shard(x, y, s * BATCH, BATCH, 0)
        p = [t.detach().clone().requires_grad_(True) for t in model.parameters()]
        z = []
        h = x0
        for i in range(3):
            z.append(F.linear(h, p[2 * i], p[2 * i + 1]))
            h = torch.relu(z[-1]) if i < 2 else z[-1]
        loss0 = F.cross_entropy(h, y0)
        deltas = [float(d.norm()) for d in torch.autograd.grad(loss0, z)]
        acc0 = float((h.argmax(1) == y0).float().mean())
        out = model(xb)
        opt.zero_grad()
        F.cross_entropy(out, yb).backward()
        grads = [float(m.weight.grad.norm()) for m in lins]
        glob = math.sqrt(sum(float(q.grad.double().pow(2).sum()) for q in model.parameters()))
        opt.step()
        refs.append((grads, glob, deltas, float(loss0), acc0))
    return refs


def main():
    with tempdir() as t:
        run_dir = os.path.join(t, "run")
        code, out, err = python([os.path.join(EXAMPLES, "ddp.py"), run_dir, "--samples",
                                 str(SAMPLES), "--batch", str(BATCH), "--log-every", "1",
                                 "--heavy-every", "4"], timeout=240)
        check(code == 0, "ddp.py exited with %d:\n%s%s" % (code, out, err))
        check("gradlab_watch" not in err, "ddp.py warned: %s" % err)
        check(os.listdir(t) == ["run"], "the parent folder holds %s" % os.listdir(t))
        check(sorted(os.listdir(run_dir)) == ["heavy", "rows.jsonl", "run.ini", "status"],
              "the run directory holds %s" % sorted(os.listdir(run_dir)))
        check(sorted(os.listdir(os.path.join(run_dir, "heavy"))) == ["000004", "000008"],
              "heavy/ holds %s" % os.listdir(os.path.join(run_dir, "heavy")))
        check(status(run_dir) == "finished", "status: %s" % status(run_dir))
        man = ini(os.path.join(run_dir, "run.ini"))["run"]
        check((man["rank"], man["world_size"], man["local_batch"]) == ("0", "2", "true"),
              "manifest: rank %s, world_size %s, local_batch %s"
              % (man["rank"], man["world_size"], man["local_batch"]))
        got = rows(run_dir)
        check([r["step"] for r in got] == list(range(1, STEPS + 1)),
              "one row per step from one writer: %s" % [r["step"] for r in got])
        for s, (row, (grads, glob, deltas, loss0, acc0)) in enumerate(zip(got, references()), 1):
            for l in range(3):
                close(row["grad_norm"][l], grads[l], "step %d grad_norm[%d] (averaged)" % (s, l),
                      1e-4)
                close(row["delta_norm"][l], deltas[l], "step %d delta_norm[%d] (rank 0)" % (s, l),
                      1e-4)
            close(row["global_grad_norm"], glob, "step %d global_grad_norm" % s, 1e-4)
            close(row["loss"], loss0, "step %d loss (rank 0's half)" % s, 1e-4)
            close(row["accuracy"], acc0, "step %d accuracy (rank 0's half)" % s)
    print("one writer under DDP, averaged gradients, rank 0's delta")


if __name__ == "__main__":
    run_check(main)
