#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Gradients as the model really has them: before clipping, and unscaled under AMP.

1. Clipping: torch.nn.utils.clip_grad_norm_ (to a tenth of the norm) and clip_grad_value_
   after backward; the rows must hold the pre-clip gradient norms computed here by autograd
   on a functional copy, global_grad_norm must be what clip_grad_norm_ returned, and the
   update ratio must be that of the clipped step actually taken.
2. AMP: this machine has no GPU and torch 1.13's GradScaler disables itself on the CPU, so a
   test double with GradScaler's semantics stands in (the loss multiplied by S, unscale_()
   dividing .grad in place once per step, step() unscaling if the user did not and skipping
   the optimizer on inf, update() changing S after the step). The rows must hold the
   unscaled, pre-clip gradient and δ norms, under a scale that changes every step; a step
   whose gradients overflow must log null gradients and a zero update.
3. A real GradScaler on the CPU (disabled) changes nothing."""
import math
import warnings

import torch
import torch.nn.functional as F
from torch import nn

from watchtest import check, close, rows, run_check, tempdir  # sets the path

import fashion_mnist  # noqa: E402
import gradlab_watch  # noqa: E402


class FakeScaler:
    """torch.cuda.amp.GradScaler's contract, on the CPU."""

    def __init__(self, scale):
        self._scale = torch.tensor(float(scale))
        self.unscaled = False
        self.found_inf = False

    def is_enabled(self):
        return True

    def get_scale(self):
        return float(self._scale)

    def scale(self, loss):
        return loss * self._scale

    def unscale_(self, optimizer):
        check(not self.unscaled, "unscale_ twice in one step")
        self.unscaled = True
        inv = 1.0 / self._scale
        for group in optimizer.param_groups:
            for p in group["params"]:
                if p.grad is not None:
                    p.grad.mul_(inv)
                    self.found_inf |= not bool(torch.isfinite(p.grad).all())

    def step(self, optimizer):
        if not self.unscaled:
            self.unscale_(optimizer)
        if not self.found_inf:
            optimizer.step()

    def update(self):
        # in place, as GradScaler does: grow after a good step, back off after inf
        self._scale.mul_(0.5 if self.found_inf else 2.0)
        self.unscaled = self.found_inf = False


def model_and_data():
    torch.manual_seed(4)
    x, y = fashion_mnist.load("train", 256)
    model = nn.Sequential(nn.Linear(784, 32), nn.ReLU(), nn.Linear(32, 10))
    return model, x, y


def reference(model, xb, yb):
    """(per-layer ‖∂L/∂W‖, per-layer ‖∂L/∂z‖, global ‖∂L/∂θ‖) before any clipping."""
    p = [t.detach().clone().requires_grad_(True) for t in model.parameters()]
    z0 = F.linear(xb, p[0], p[1])
    z1 = F.linear(torch.relu(z0), p[2], p[3])
    g = torch.autograd.grad(F.cross_entropy(z1, yb), [p[0], p[2], z0, z1] + p)
    return ([float(g[0].norm()), float(g[1].norm())], [float(g[2].norm()), float(g[3].norm())],
            math.sqrt(sum(float(t.double().pow(2).sum()) for t in g[4:])))


def clip_case(mode):
    model, x, y = model_and_data()
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    returned = []
    with tempdir() as t:
        run = gradlab_watch.watch(model, t, optimizer=opt, log_every=1, heavy_every=0)
        refs = []
        for s in range(4):
            xb, yb = x[s * 64:(s + 1) * 64], y[s * 64:(s + 1) * 64]
            refs.append(reference(model, xb, yb))
            before = [model[0].weight.detach().clone(), model[2].weight.detach().clone()]
            out = model(xb)
            loss = F.cross_entropy(out, yb)
            opt.zero_grad()
            loss.backward()
            if mode == "norm":
                returned.append(float(nn.utils.clip_grad_norm_(model.parameters(),
                                                               refs[-1][2] / 10)))
            else:
                nn.utils.clip_grad_value_(model.parameters(), 1e-3)
            clipped = [float(model[0].weight.grad.norm()), float(model[2].weight.grad.norm())]
            opt.step()
            run.step(loss=loss, outputs=out, targets=yb)
            refs[-1] += ([float((m.weight.detach() - b).norm() / m.weight.detach().norm())
                          for m, b in zip((model[0], model[2]), before)], clipped)
        run.close()
        for s, (row, (gn, dn, glob, upd, clipped)) in enumerate(zip(rows(t), refs), 1):
            what = "clip %s step %d" % (mode, s)
            for l in range(2):
                check(clipped[l] < 0.5 * gn[l], "%s: the clipping did not clip" % what)
                close(row["grad_norm"][l], gn[l], "%s grad_norm[%d] (pre-clip)" % (what, l))
                close(row["delta_norm"][l], dn[l], "%s delta_norm[%d]" % (what, l))
                close(row["update_ratio"][l], upd[l], "%s update_ratio[%d]" % (what, l), 1e-4)
            close(row["global_grad_norm"], glob, "%s global_grad_norm" % what)
            if mode == "norm":
                close(row["global_grad_norm"], returned[s - 1],
                      "%s global_grad_norm against clip_grad_norm_'s return" % what)


def amp_case(user_unscales):
    model, x, y = model_and_data()
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    scaler = FakeScaler(2.0 ** 10)
    with tempdir() as t:
        run = gradlab_watch.watch(model, t, optimizer=opt, scaler=scaler, log_every=1,
                                  heavy_every=0)
        refs = []
        for s in range(5):
            xb, yb = x[s * 48:(s + 1) * 48], y[s * 48:(s + 1) * 48]
            refs.append(reference(model, xb, yb))
            if s == 3:
                scaler._scale.fill_(math.inf)   # this step's scaled gradients overflow
            elif s == 4:
                scaler._scale.fill_(2.0 ** 12)
            before = model[0].weight.detach().clone()
            out = model(xb)
            loss = F.cross_entropy(out, yb)
            opt.zero_grad()
            scaler.scale(loss).backward()
            if user_unscales:
                scaler.unscale_(opt)
                nn.utils.clip_grad_norm_(model.parameters(), refs[-1][2] / 4)
            scaler.step(opt)
            scaler.update()
            run.step(loss=loss, outputs=out, targets=yb)
            refs[-1] += (bool(torch.equal(before, model[0].weight.detach())),)
        run.close()
        for s, (row, (gn, dn, glob, unchanged)) in enumerate(zip(rows(t), refs), 1):
            what = "amp (user unscales: %s) step %d" % (user_unscales, s)
            if s == 4:
                check(unchanged, "%s: the overflowing step was not skipped" % what)
                check(row["grad_norm"] == [None, None] and row["global_grad_norm"] is None,
                      "%s: overflowing gradients must be null: %s" % (what, row["grad_norm"]))
                check(row["update_ratio"] == [0, 0], "%s: a skipped step has no update" % what)
                continue
            check(not unchanged, "%s: the step was skipped" % what)
            for l in range(2):
                close(row["grad_norm"][l], gn[l], "%s grad_norm[%d] unscaled" % (what, l))
                close(row["delta_norm"][l], dn[l], "%s delta_norm[%d] unscaled" % (what, l))
            close(row["global_grad_norm"], glob, "%s global_grad_norm" % what)


def disabled_scaler_case():
    model, x, y = model_and_data()
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")   # "CUDA is not available. Disabling"
        scaler = torch.cuda.amp.GradScaler()
    check(not scaler.is_enabled(), "a GradScaler is enabled without CUDA")
    with tempdir() as t:
        run = gradlab_watch.watch(model, t, optimizer=opt, scaler=scaler, log_every=1)
        gn = reference(model, x[:64], y[:64])[0]
        out = model(x[:64])
        loss = F.cross_entropy(out, y[:64])
        scaler.scale(loss).backward()
        scaler.step(opt)
        scaler.update()
        run.step(loss=loss, outputs=out, targets=y[:64])
        run.close()
        close(rows(t)[0]["grad_norm"][0], gn[0], "grad_norm under a disabled GradScaler")


def main():
    torch.set_num_threads(1)
    clip_case("norm")
    clip_case("value")
    amp_case(user_unscales=False)
    amp_case(user_unscales=True)
    disabled_scaler_case()
    print("pre-clip and unscaled gradients are logged")


if __name__ == "__main__":
    run_check(main)
