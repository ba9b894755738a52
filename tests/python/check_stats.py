#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Every per-layer statistic gradlab_watch writes, against torch computed directly: before
each step a functional copy of the forward pass (F.linear, F.conv2d, … on the same weights,
no modules, no hooks) gives z_l and a_l, and torch.autograd.grad(loss, [z_l, W_l, b_l]) gives
δ_l and the gradients; after the step the weights give ‖W‖ and ‖ΔW‖/‖W‖. Two models: an MLP
with an in-place ReLU (dead units forced), a sigmoid and a tanh layer (saturation forced), and
a CNN whose convolutions must appear as out × in·k matrices (one grouped Conv1d, one followed
by a functional activation: 'unknown', statistics of z itself). Heavy snapshots: the weights
after the step and both histograms, recounted here by a plain loop."""
import math
import os

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from watchtest import (LAYER_KEYS, check, close, ini, ints, rows, run_check,  # sets the path
                       tempdir, train_step)

import fashion_mnist  # noqa: E402
import gradlab_watch  # noqa: E402

SAT = {"sigmoid": 4.59512, "tanh": 2.64665}


def reference(forward, params, x, y):
    """The step's statistics computed by hand from a functional forward pass."""
    leaves = [p.detach().clone().requires_grad_(True) for p in params]
    zs, acts, kinds, out = forward(leaves, x)
    loss = F.cross_entropy(out, y)
    grads = torch.autograd.grad(loss, zs + leaves)
    dz, dp = grads[:len(zs)], grads[len(zs):]
    ref = {"loss": loss.item(), "accuracy": (out.argmax(1) == y).float().mean().item(),
           "global_grad_norm": math.sqrt(sum(float(g.double().pow(2).sum()) for g in dp)),
           "layers": []}
    for l, (z, a, kind) in enumerate(zip(zs, acts, kinds)):
        gw = dp[2 * l].double()
        z, a = z.detach().double(), a.detach().double()
        unit_dim = 1 if z.dim() > 2 else -1
        dims = [d for d in range(z.dim()) if d != unit_dim % z.dim()]
        layer = {"grad_norm": float(gw.norm()), "grad_mean_abs": float(gw.abs().mean()),
                 "delta_norm": float(dz[l].double().norm()),
                 "act_mean": float(a.mean()), "act_std": float(a.std(unbiased=False)),
                 "act_saturated": float((z.abs() > SAT[kind]).double().mean())
                 if kind in SAT else 0.0,
                 "act_dead": float((z.amax(dim=dims) <= 0).double().mean())
                 if kind == "relu" else 0.0,
                 "a": a.float().reshape(-1).numpy(), "g": dp[2 * l].reshape(-1).numpy()}
        ref["layers"].append(layer)
    return ref


def engine_histogram(values, lo, hi, log_abs):
    """engine/lab-histogram.c's lab_histogram_fill() as a plain loop over float32 values."""
    n = len(values)
    stride = max(1, n // 4096)
    counts, nonfinite = [0] * 48, 0
    lo32, hi32 = np.float32(lo), np.float32(hi)
    scale = np.float32(48) / (hi32 - lo32)
    for i in range(0, n, stride):
        v = np.float32(values[i])
        if log_abs:
            if v == 0:
                continue
            v = np.log10(np.abs(v))
        if not np.isfinite(v):
            nonfinite += 1
            continue
        b = int((v - lo32) * scale)
        counts[min(max(b, 0), 47)] += 1
    return counts, nonfinite


def check_heavy(run_dir, step, model_layers, ref, acts):
    d = os.path.join(run_dir, "heavy", "%06d" % step)
    h = ini(os.path.join(d, "heavy.ini"))
    check(h.getint("heavy", "step") == step, "heavy.ini step")
    for l, lin in enumerate(model_layers):
        w = np.load(os.path.join(d, "W%d.npy" % l))
        want = lin.weight.detach().reshape(lin.weight.shape[0], -1).numpy()
        check(w.dtype == np.float32 and w.shape == want.shape,
              "W%d.npy: %s %s, want float32 %s" % (l, w.dtype, w.shape, want.shape))
        check(np.array_equal(w, want), "W%d.npy differs from the weights after step %d" % (l, step))
        check(np.array_equal(np.load(os.path.join(d, "B%d.npy" % l)), lin.bias.detach().numpy()),
              "B%d.npy differs from the bias" % l)
        check(not os.path.exists(os.path.join(d, "M%d.npy" % l)), "M%d.npy of a dense layer" % l)
        sec = h["layer%d" % l]
        a = ref["layers"][l]["a"]
        if acts[l] == "sigmoid":
            lo, hi = 0.0, 1.0
        elif acts[l] == "tanh":
            lo, hi = -1.0, 1.0
        else:
            lo, hi = float(a.min()), float(a.max())
        hi = float(np.float32(hi) * np.float32(1.0001) + np.float32(1e-6))
        close(float(sec["act_lo"]), lo, "heavy layer %d act_lo" % l, 1e-7, 0)
        close(float(sec["act_hi"]), hi, "heavy layer %d act_hi" % l, 1e-7, 0)
        counts, nonfinite = engine_histogram(a, lo, hi, False)
        check(ints(sec["act_counts"]) == counts,
              "layer %d act_counts %s, want %s" % (l, sec["act_counts"], counts))
        check(int(sec["act_nonfinite"]) == nonfinite, "layer %d act_nonfinite" % l)
        counts, nonfinite = engine_histogram(ref["layers"][l]["g"], -10, 1, True)
        check((float(sec["grad_lo"]), float(sec["grad_hi"])) == (-10.0, 1.0), "grad range")
        check(ints(sec["grad_counts"]) == counts,
              "layer %d grad_counts %s, want %s" % (l, sec["grad_counts"], counts))


def train_and_compare(model, layers, forward, acts, x, y, steps, run_dir, heavy_every):
    params = [t for lin in layers for t in (lin.weight, lin.bias)]
    opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
    run = gradlab_watch.watch(model, run_dir, optimizer=opt, log_every=1,
                              heavy_every=heavy_every, heavy_keep=0)
    refs = []
    for s in range(steps):
        xb, yb = x[s * 32:(s + 1) * 32], y[s * 32:(s + 1) * 32]
        ref = reference(forward, params, xb, yb)
        before = [lin.weight.detach().clone().double() for lin in layers]
        train_step(model, opt, run, xb, yb)
        for l, lin in enumerate(layers):
            w = lin.weight.detach().double()
            ref["layers"][l]["weight_norm"] = float(w.norm())
            ref["layers"][l]["update_ratio"] = float((w - before[l]).norm() / w.norm())
            ref["layers"][l]["sparsity"] = 0.0
        if heavy_every and (s + 1) % heavy_every == 0:
            run.close("running")   # writes the row; the heavy snapshot is on disk already
            check_heavy(run_dir, s + 1, layers, ref, acts)
            return refs + [ref], run
        refs.append(ref)
    run.close()
    return refs, run


def compare_rows(run_dir, refs, n_layers, what):
    got = rows(run_dir)
    check(len(got) == len(refs), "%s: %d rows, want %d" % (what, len(got), len(refs)))
    for s, (row, ref) in enumerate(zip(got, refs), 1):
        check(row["step"] == s and row["epoch"] == 1,
              "%s: row %d is step %s" % (what, s, row["step"]))
        close(row["lr"], 0.05, "%s step %d lr" % (what, s))
        close(row["loss"], ref["loss"], "%s step %d loss" % (what, s))
        close(row["accuracy"], ref["accuracy"], "%s step %d accuracy" % (what, s))
        close(row["global_grad_norm"], ref["global_grad_norm"],
              "%s step %d global_grad_norm" % (what, s))
        check(row["total_sparsity"] == 0, "%s: total_sparsity of a dense model" % what)
        for key in LAYER_KEYS:
            check(len(row[key]) == n_layers, "%s: %s has %d values" % (what, key, len(row[key])))
            for l in range(n_layers):
                atol = 1e-6 if key.startswith("act_") else 1e-9
                close(row[key][l], ref["layers"][l][key], "%s step %d %s[%d]" % (what, s, key, l),
                      1e-5, atol)


def mlp_case(x, y):
    torch.manual_seed(1)
    model = nn.Sequential(nn.Linear(784, 32), nn.ReLU(inplace=True), nn.Linear(32, 24),
                          nn.Sigmoid(), nn.Linear(24, 16), nn.Tanh(), nn.Linear(16, 10))
    lins = [model[0], model[2], model[4], model[6]]
    with torch.no_grad():
        model[0].bias[:5] = -50.0   # five units that no sample switches on
        model[2].weight.mul_(60.0)  # sigmoid saturation
        model[4].weight.mul_(10.0)  # tanh saturation
    acts = ["relu", "sigmoid", "tanh", "linear"]

    def forward(p, xb):
        z0 = F.linear(xb, p[0], p[1])
        a0 = torch.relu(z0)
        z1 = F.linear(a0, p[2], p[3])
        a1 = torch.sigmoid(z1)
        z2 = F.linear(a1, p[4], p[5])
        a2 = torch.tanh(z2)
        z3 = F.linear(a2, p[6], p[7])
        return [z0, z1, z2, z3], [a0, a1, a2, z3], acts, z3

    with tempdir() as t:
        d = os.path.join(t, "mlp")
        refs, _ = train_and_compare(model, lins, forward, acts, x, y, 5, d, 0)
        compare_rows(d, refs, 4, "mlp")
        man = ini(os.path.join(d, "run.ini"))
        want = [("0", "relu", [32, 784]), ("2", "sigmoid", [24, 32]), ("4", "tanh", [16, 24]),
                ("6", "linear", [10, 16])]
        for l, (name, act, shape) in enumerate(want):
            sec = man["layer%d" % l]
            check((sec["name"], sec["kind"], sec["activation"], ints(sec["shape"])) ==
                  (name, "linear", act, shape), "mlp manifest layer%d: %s" % (l, dict(sec)))
        got = rows(d)
        check(got[0]["act_dead"][0] >= 5 / 32, "the forced dead units are not counted")
        check(got[0]["act_saturated"][1] > 0.05 and got[0]["act_saturated"][2] > 0.05,
              "no saturation counted where it was forced: %s" % got[0]["act_saturated"])
        # a heavy snapshot of the same model: weights, bias and both histograms
        d = os.path.join(t, "mlp-heavy")
        train_and_compare(model, lins, forward, acts, x, y, 3, d, 3)


class Cnn(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(nn.Conv2d(1, 4, 3), nn.ReLU())
        self.mix = nn.Conv1d(4, 4, 3, groups=2)
        self.head = nn.Linear(4 * 167, 10)

    def forward(self, x):
        h = F.max_pool2d(self.features(x), 2).flatten(2)   # B, 4, 169
        h = torch.tanh(self.mix(h))                         # a functional activation: unknown
        return self.head(h.flatten(1))


def cnn_case(x, y):
    torch.manual_seed(2)
    model = Cnn()
    layers = [model.features[0], model.mix, model.head]
    with torch.no_grad():
        model.features[0].bias[0] = -20.0   # one channel dead everywhere
    acts = ["relu", "unknown", "unknown"]

    def forward(p, xb):
        z0 = F.conv2d(xb, p[0], p[1])
        a0 = torch.relu(z0)
        z1 = F.conv1d(F.max_pool2d(a0, 2).flatten(2), p[2], p[3], groups=2)
        z2 = F.linear(torch.tanh(z1).flatten(1), p[4], p[5])
        return [z0, z1, z2], [a0, z1, z2], acts, z2

    x = x.reshape(-1, 1, 28, 28)
    with tempdir() as t:
        d = os.path.join(t, "cnn")
        refs, _ = train_and_compare(model, layers, forward, acts, x, y, 4, d, 0)
        compare_rows(d, refs, 3, "cnn")
        check(rows(d)[0]["act_dead"][0] >= 0.25, "the dead channel is not counted")
        man = ini(os.path.join(d, "run.ini"))
        want = [("features.0", "conv2d", [4, 9], [3, 3], "relu"),
                ("mix", "conv1d", [4, 6], [3], "unknown"),
                ("head", "linear", [10, 668], [], "unknown")]
        for l, (name, kind, shape, kernel, act) in enumerate(want):
            sec = man["layer%d" % l]
            got = (sec["name"], sec["kind"], ints(sec["shape"]), ints(sec.get("kernel", "")),
                   sec["activation"])
            check(got == (name, kind, shape, kernel, act), "cnn layer%d: %s" % (l, got))
        check(ints(man["run"]["input_shape"]) == [1, 28, 28], "input_shape of the CNN")
        check(man["run"]["classes"] == "10", "classes of the CNN")
        d = os.path.join(t, "cnn-heavy")
        train_and_compare(model, layers, forward, acts, x, y, 2, d, 2)


def conv3d_case():
    model = nn.Sequential(nn.Conv3d(2, 3, (2, 3, 1)), nn.ELU(), nn.Flatten(),
                          nn.Linear(3 * 3 * 2 * 4, 5))
    with tempdir() as t:
        run = gradlab_watch.watch(model, t)
        model(torch.randn(2, 2, 4, 4, 4)).sum().backward()
        run.close()
        sec = ini(os.path.join(t, "run.ini"))["layer0"]
        got = (sec["kind"], ints(sec["shape"]), ints(sec["kernel"]), sec["activation"])
        check(got == ("conv3d", [3, 12], [2, 3, 1], "elu"), "conv3d layer: %s" % (got,))
        check(ints(ini(os.path.join(t, "run.ini"))["run"]["input_shape"]) == [2, 4, 4, 4],
              "input_shape of the conv3d model")


def many_parameters_case():
    """global_grad_norm when more parameters than the watched weights' are many (normalising
    layers): their Σg² are taken together, not one dot product each."""
    torch.manual_seed(4)
    model = nn.Sequential(nn.Linear(20, 16), nn.BatchNorm1d(16), nn.ReLU(), nn.Linear(16, 16),
                          nn.BatchNorm1d(16), nn.ReLU(), nn.Linear(16, 16), nn.LayerNorm(16),
                          nn.ReLU(), nn.Linear(16, 4))
    watched = {id(model[i].weight) for i in (0, 3, 6, 9)}
    others = [p for p in model.parameters() if id(p) not in watched]
    check(len(others) > gradlab_watch._collect.FEW_PARAMETERS,
          "only %d other parameters" % len(others))
    opt = torch.optim.SGD(model.parameters(), lr=0.05)
    with tempdir() as t:
        run = gradlab_watch.watch(model, t, optimizer=opt, log_every=1, heavy_every=0)
        want = []
        for _ in range(3):
            x, y = torch.randn(32, 20), torch.randint(0, 4, (32,))
            out = model(x)
            loss = F.cross_entropy(out, y)
            opt.zero_grad()
            loss.backward()
            want.append(math.sqrt(sum(float(p.grad.double().pow(2).sum())
                                      for p in model.parameters())))
            opt.step()
            run.step(loss=loss, outputs=out, targets=y)
        run.close()
        got = rows(t)
        check(len(got) == 3, "%d rows" % len(got))
        for s, (row, ref) in enumerate(zip(got, want), 1):
            close(row["global_grad_norm"], ref, "many parameters: step %d global_grad_norm" % s)


def main():
    torch.manual_seed(0)
    torch.set_num_threads(1)
    x, y = fashion_mnist.load("train", 256)
    mlp_case(x, y)
    cnn_case(x, y)
    conv3d_case()
    many_parameters_case()
    print("statistics match torch computed directly")


if __name__ == "__main__":
    run_check(main)
