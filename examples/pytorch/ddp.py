#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Two-process DistributedDataParallel training on the CPU (torch.distributed, gloo backend),
watched by gradlab_watch: every rank calls watch(), run.step() and run.close() alike; rank 0
writes the run directory and the other ranks' calls do nothing, and gradlab_watch makes no
collective call of its own. Each global batch is split in two halves, one per rank, taken in
file order, so that the run equals single-process SGD on the whole batch.

    PYTHONPATH=python /usr/bin/python3 examples/pytorch/ddp.py runs/ddp
"""
import os

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

import socket

import torch
import torch.distributed as dist
import torch.multiprocessing as mp
from torch import nn

import fashion_mnist
import gradlab_watch

WORLD = 2


def build_model():
    torch.manual_seed(0)   # the same initial weights on every rank (and in the tests)
    return nn.Sequential(nn.Linear(784, 128), nn.ReLU(), nn.Linear(128, 64), nn.ReLU(),
                         nn.Linear(64, 10))


def shard(x, y, i, batch, rank):
    """Rank @rank's half of global batch @i (file order)."""
    xb, yb = x[i:i + batch], y[i:i + batch]
    half = len(xb) // WORLD
    return xb[rank * half:(rank + 1) * half], yb[rank * half:(rank + 1) * half]


def worker(rank, port, a):
    torch.set_num_threads(1)
    dist.init_process_group("gloo", init_method="tcp://127.0.0.1:%d" % port, rank=rank,
                            world_size=WORLD)
    x, y = fashion_mnist.load("train", a.samples)
    model = nn.parallel.DistributedDataParallel(build_model())
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    loss_fn = nn.CrossEntropyLoss()
    run = gradlab_watch.watch(model, a.run_dir, optimizer=optimizer,
                              log_every=a.log_every, heavy_every=a.heavy_every)
    for epoch in range(1, a.epochs + 1):
        for i in range(0, len(x) - a.batch + 1, a.batch):
            xb, yb = shard(x, y, i, a.batch, rank)
            outputs = model(xb)
            loss = loss_fn(outputs, yb)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            run.step(loss=loss, outputs=outputs, targets=yb, epoch=epoch)
    run.close()
    dist.destroy_process_group()


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main():
    a = fashion_mnist.arguments(__doc__.split("\n")[0], samples=4096, epochs=1,
                                batch=128).parse_args()
    mp.spawn(worker, args=(free_port(), a), nprocs=WORLD)


if __name__ == "__main__":
    main()
