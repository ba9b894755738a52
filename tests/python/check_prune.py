#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""A model pruned with torch.nn.utils.prune, during the run (after watch() started): the
heavy snapshot's W must be weight_orig · weight_mask, M the mask (absent for the dense
layer), the logged gradient norm that of weight_orig.grad (computed here by autograd on a
functional copy), the weight norm and update ratio those of the effective weights, sparsity the
mask's zeros, total_sparsity over all watched weights; a pruned bias shows as bias_orig ·
bias_mask."""
import math
import os

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn
from torch.nn.utils import prune

from watchtest import check, close, ini, rows, run_check, tempdir, train_step  # sets the path

import fashion_mnist  # noqa: E402
import gradlab_watch  # noqa: E402


def effective(m, name):
    orig = getattr(m, name + "_orig", None)
    return (orig * getattr(m, name + "_mask")) if orig is not None else getattr(m, name)


def main():
    torch.manual_seed(3)
    torch.set_num_threads(1)
    x, y = fashion_mnist.load("train", 320)
    model = nn.Sequential(nn.Linear(784, 40), nn.ReLU(), nn.Linear(40, 20), nn.ReLU(),
                          nn.Linear(20, 10))
    lins = [model[0], model[2], model[4]]
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    steps, pruned_at = 8, 2
    with tempdir() as t:
        run = gradlab_watch.watch(model, t, optimizer=opt, log_every=1, heavy_every=4,
                                  heavy_keep=0)
        refs = []
        for s in range(1, steps + 1):
            if s == pruned_at + 1:
                prune.l1_unstructured(model[0], "weight", amount=0.5)
                prune.random_unstructured(model[2], "weight", amount=0.25)
                prune.l1_unstructured(model[2], "bias", amount=0.5)
            xb, yb = x[(s - 1) * 40:s * 40], y[(s - 1) * 40:s * 40]
            # reference gradients: the pruned forward by hand, differentiated w.r.t. the
            # parameters the optimizer holds (weight_orig where pruned)
            params = [p.detach().clone().requires_grad_(True) for p in model.parameters()]
            names = [n for n, _ in model.named_parameters()]
            by = dict(zip(names, params))
            h = xb
            for i, m in enumerate(lins):
                key = "%d." % (2 * i)
                w = by[key + "weight_orig"] * m.weight_mask if key + "weight_orig" in by \
                    else by[key + "weight"]
                b = by[key + "bias_orig"] * m.bias_mask if key + "bias_orig" in by \
                    else by[key + "bias"]
                h = F.linear(h, w, b)
                if i < 2:
                    h = torch.relu(h)
            loss = F.cross_entropy(h, yb)
            grads = dict(zip(names, torch.autograd.grad(loss, params)))
            ref = {"grad": [], "global": math.sqrt(sum(float(g.double().pow(2).sum())
                                                       for g in grads.values()))}
            for i in range(3):
                key = "%d." % (2 * i)
                ref["grad"].append(float(grads.get(key + "weight_orig",
                                                   grads.get(key + "weight")).double().norm()))
            before = [effective(m, "weight").detach().double().clone() for m in lins]
            train_step(model, opt, run, xb, yb)
            after = [effective(m, "weight").detach().double() for m in lins]
            ref["weight_norm"] = [float(w.norm()) for w in after]
            ref["update"] = [float((w - b).norm() / w.norm()) for w, b in zip(after, before)]
            ref["sparsity"] = [
                float((getattr(m, "weight_mask", torch.ones(1)) == 0).double().mean())
                for m in lins]
            numel = [m.weight.numel() for m in lins]
            ref["total"] = sum(sp * n for sp, n in zip(ref["sparsity"], numel)) / sum(numel)
            refs.append(ref)
            if s in (4, 8):
                run.flush()   # the writer thread has written the snapshot when this returns
                check_snapshot(t, s, lins)
        run.close()
        got = rows(t)
        check(len(got) == steps, "%d rows, want %d" % (len(got), steps))
        for s, (row, ref) in enumerate(zip(got, refs), 1):
            close(row["global_grad_norm"], ref["global"], "step %d global_grad_norm" % s)
            for l in range(3):
                close(row["grad_norm"][l], ref["grad"][l], "step %d grad_norm[%d]" % (s, l))
                close(row["weight_norm"][l], ref["weight_norm"][l],
                      "step %d weight_norm[%d]" % (s, l))
                close(row["update_ratio"][l], ref["update"][l], "step %d update_ratio[%d]" % (s, l),
                      1e-4, 1e-9)
                close(row["sparsity"][l], ref["sparsity"][l], "step %d sparsity[%d]" % (s, l))
            close(row["total_sparsity"], ref["total"], "step %d total_sparsity" % s)
        check(got[-1]["sparsity"][0] == 0.5 and got[-1]["sparsity"][2] == 0,
              "sparsity after pruning: %s" % got[-1]["sparsity"])
    print("pruned layers are shown as weight_orig * weight_mask")


def check_snapshot(run_dir, step, lins):
    d = os.path.join(run_dir, "heavy", "%06d" % step)
    ini(os.path.join(d, "heavy.ini"))
    for l, m in enumerate(lins):
        w = np.load(os.path.join(d, "W%d.npy" % l))
        want = effective(m, "weight").detach().numpy()
        check(np.array_equal(w, want),
              "step %d W%d.npy is not weight_orig · weight_mask" % (step, l))
        mask = getattr(m, "weight_mask", None)
        path = os.path.join(d, "M%d.npy" % l)
        if mask is None:
            check(not os.path.exists(path), "step %d: M%d.npy of a dense layer" % (step, l))
        else:
            check(np.array_equal(np.load(path), mask.numpy()),
                  "step %d M%d.npy is not the mask" % (step, l))
            check(np.all(w[mask.numpy() == 0] == 0),
                  "step %d: pruned weights not zero in W%d" % (step, l))
        b = np.load(os.path.join(d, "B%d.npy" % l))
        check(np.array_equal(b, effective(m, "bias").detach().numpy()),
              "step %d B%d.npy is not the effective bias" % (step, l))


if __name__ == "__main__":
    run_check(main)
