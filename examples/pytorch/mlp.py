#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""A PyTorch MLP (784-256-128-10, ReLU, SGD) on Fashion-MNIST, watched by gradlab_watch: an
ordinary training loop plus the five lines marked "gradlab". Open the run while it trains with
`gradlab --watch RUN_DIR`. Run with PYTHONPATH=python from the source tree:

    PYTHONPATH=python /usr/bin/python3 examples/pytorch/mlp.py runs/mlp
"""
import os

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")   # before torch: see bench/watch

import torch
from torch import nn

import fashion_mnist
import gradlab_watch                                                           # gradlab


def build_model():
    return nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 128), nn.ReLU(),
                         nn.Linear(128, 10))


def main():
    a = fashion_mnist.arguments(__doc__.split("\n")[0], samples=10000).parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    x, y = fashion_mnist.load("train", a.samples)
    xt, yt = fashion_mnist.load("t10k", 1000)
    model = build_model()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    loss_fn = nn.CrossEntropyLoss()
    run = gradlab_watch.watch(model, a.run_dir, optimizer=optimizer,            # gradlab
                              log_every=a.log_every, heavy_every=a.heavy_every)
    for epoch in range(1, a.epochs + 1):
        for xb, yb in fashion_mnist.batches(x, y, a.batch):
            outputs = model(xb)
            loss = loss_fn(outputs, yb)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            run.step(loss=loss, outputs=outputs, targets=yb, epoch=epoch)      # gradlab
        test_loss, test_accuracy = fashion_mnist.evaluate(model, xt, yt, loss_fn)
        run.eval(loss=test_loss, accuracy=test_accuracy)                       # gradlab
        print("epoch %d: test loss %.4f, accuracy %.4f" % (epoch, test_loss, test_accuracy))
    run.close()                                                                # gradlab


if __name__ == "__main__":
    main()
