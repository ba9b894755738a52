#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Trains, in PyTorch, the MLP Gradient Lab's engine trains, from the engine's own initial
weights, logging every step with gradlab_watch, so that the two writers' run directories can
be held against each other (grad_norm, delta_norm, weight_norm to 1e-4 relative).

    gradlab-cli train --preset fashion-mlp --steps 1 --save-weights W
    PYTHONPATH=python tests/python/train_like_gradlab.py --weights W --samples 640 \\
        --batch 64 --steps 10 RUN_DIR
    gradlab-cli train --preset fashion-mlp --load-weights W --set data.shuffle=false \\
        --set data.train_limit=640 --steps 10 --run-dir RUN_DIR2      (or --metrics m.csv)

W holds W1.npy (out × in), b1.npy, W2.npy, … as --save-weights writes them; the widths come
from their shapes. The engine's conventions: Fashion-MNIST in file order (no shuffle), the
first --samples training images, pixels / 255, ReLU between layers (--activation), softmax
cross-entropy averaged over the batch, plain SGD, batches wrapping around the --samples."""
import argparse
import os
import sys

import numpy as np
import torch
from torch import nn

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..",
                                "examples", "pytorch"))
import fashion_mnist   # noqa: E402
import gradlab_watch   # noqa: E402

ACTIVATIONS = {"relu": nn.ReLU, "sigmoid": nn.Sigmoid, "tanh": nn.Tanh}


def load_mlp(folder, activation):
    """nn.Sequential of Linear layers with the weights W1.npy, b1.npy, … in @folder."""
    layers = []
    l = 1
    while os.path.exists(os.path.join(folder, "W%d.npy" % l)):
        w = np.load(os.path.join(folder, "W%d.npy" % l)).astype(np.float32)
        b = np.load(os.path.join(folder, "b%d.npy" % l)).astype(np.float32).reshape(-1)
        lin = nn.Linear(w.shape[1], w.shape[0])
        with torch.no_grad():
            lin.weight.copy_(torch.from_numpy(w))
            lin.bias.copy_(torch.from_numpy(b))
        layers += [lin, ACTIVATIONS[activation]()]
        l += 1
    if not layers:
        raise SystemExit("%s: no W1.npy" % folder)
    return nn.Sequential(*layers[:-1])


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("run_dir")
    p.add_argument("--weights", required=True, help="folder of W1.npy, b1.npy, …")
    p.add_argument("--samples", type=int, default=640)
    p.add_argument("--batch", type=int, default=64)
    p.add_argument("--steps", type=int, default=10)
    p.add_argument("--lr", type=float, default=0.1)
    p.add_argument("--activation", choices=sorted(ACTIVATIONS), default="relu")
    a = p.parse_args()
    torch.set_num_threads(1)
    x, y = fashion_mnist.load("train", a.samples)
    model = load_mlp(a.weights, a.activation)
    optimizer = torch.optim.SGD(model.parameters(), lr=a.lr)
    run = gradlab_watch.watch(model, a.run_dir, optimizer=optimizer, log_every=1,
                              heavy_every=0)
    pos = 0
    for _ in range(a.steps):
        if pos + a.batch > len(x):
            pos = 0
        xb, yb = x[pos:pos + a.batch], y[pos:pos + a.batch]
        pos += a.batch
        outputs = model(xb)
        loss = nn.functional.cross_entropy(outputs, yb)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        run.step(loss=loss, outputs=outputs, targets=yb)
    run.close()


if __name__ == "__main__":
    main()
