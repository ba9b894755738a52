#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""An MLP on Fashion-MNIST pruned with torch.nn.utils.prune, watched by gradlab_watch: one
epoch dense, then 80 % of the weights removed by global magnitude pruning, then fine-tuning
with the masks in place. The window's heatmaps show the pruned weights gone (the effective
weight_orig · weight_mask, with weight_mask as the mask) and each layer's sparsity.

    PYTHONPATH=python /usr/bin/python3 examples/pytorch/pruned.py runs/pruned
"""
import os

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

import torch
from torch import nn
from torch.nn.utils import prune

import fashion_mnist
import gradlab_watch


def build_model():
    return nn.Sequential(nn.Linear(784, 300), nn.ReLU(), nn.Linear(300, 100), nn.ReLU(),
                         nn.Linear(100, 10))


def prune_globally(model, amount):
    """Global magnitude pruning of every Linear's weight (torch's weight_orig / weight_mask)."""
    weights = [(m, "weight") for m in model if isinstance(m, nn.Linear)]
    prune.global_unstructured(weights, pruning_method=prune.L1Unstructured, amount=amount)


def main():
    p = fashion_mnist.arguments(__doc__.split("\n")[0])
    p.add_argument("--amount", type=float, default=0.8, help="fraction of weights pruned")
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    x, y = fashion_mnist.load("train", a.samples)
    xt, yt = fashion_mnist.load("t10k", 1000)
    model = build_model()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    loss_fn = nn.CrossEntropyLoss()
    run = gradlab_watch.watch(model, a.run_dir, optimizer=optimizer,
                              log_every=a.log_every, heavy_every=a.heavy_every)
    for epoch in range(1, a.epochs + 1):
        if epoch == 2:
            # the parameter becomes weight_orig, so the optimizer keeps working on it
            prune_globally(model, a.amount)
        for xb, yb in fashion_mnist.batches(x, y, a.batch):
            outputs = model(xb)
            loss = loss_fn(outputs, yb)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            run.step(loss=loss, outputs=outputs, targets=yb, epoch=epoch)
        test_loss, test_accuracy = fashion_mnist.evaluate(model, xt, yt, loss_fn)
        run.eval(loss=test_loss, accuracy=test_accuracy)
        print("epoch %d: test loss %.4f, accuracy %.4f" % (epoch, test_loss, test_accuracy))
    run.close()


if __name__ == "__main__":
    main()
