# SPDX-License-Identifier: GPL-3.0-or-later
"""Fashion-MNIST for the PyTorch examples, the tests and bench/watch: read with numpy from
Debian's gzipped IDX files (package dataset-fashion-mnist), pixels scaled to [0, 1] by /255 as
Gradient Lab's engine does, in file order. Also what the examples share around their training
loops: the command line, shuffled batches, a test pass."""

import argparse
import gzip
import os
import struct

import numpy as np

DATA = os.environ.get("GRADLAB_FASHION_MNIST", "/usr/share/datasets/fashion-mnist")


def _idx(path):
    with gzip.open(path, "rb") as f:
        buf = f.read()
    zero, dtype, ndim = struct.unpack(">HBB", buf[:4])
    if zero != 0 or dtype != 0x08:
        raise ValueError("%s: not an unsigned-byte IDX file" % path)
    dims = struct.unpack(">" + "I" * ndim, buf[4:4 + 4 * ndim])
    return np.frombuffer(buf, dtype=np.uint8, offset=4 + 4 * ndim).reshape(dims)


def load(split="train", limit=0, flat=True):
    """(x float32 tensor [N, 784] or [N, 1, 28, 28], y int64 tensor [N]): the first @limit
    samples (0: all) of "train" or "t10k"."""
    import torch
    x = _idx(os.path.join(DATA, "%s-images-idx3-ubyte.gz" % split))
    y = _idx(os.path.join(DATA, "%s-labels-idx1-ubyte.gz" % split))
    if limit:
        x, y = x[:limit], y[:limit]
    x = x.astype(np.float32) / np.float32(255)
    x = x.reshape(len(x), -1) if flat else x.reshape(len(x), 1, 28, 28)
    return torch.from_numpy(x), torch.from_numpy(y.astype(np.int64))


def batches(x, y, batch):
    """One epoch of shuffled mini-batches (x, y)."""
    import torch
    order = torch.randperm(len(x))
    for i in range(0, len(x), batch):
        idx = order[i:i + batch]
        yield x[idx], y[idx]


def evaluate(model, x, y, loss_fn):
    """(mean loss, accuracy) of @model on a test set, in eval mode and without gradients."""
    import torch
    model.eval()
    with torch.no_grad():
        out = model(x)
    model.train()
    return loss_fn(out, y), (out.argmax(1) == y).float().mean()


def arguments(description, samples=6000, epochs=2, batch=64):
    """The examples' common command line: a run directory and how much to train."""
    p = argparse.ArgumentParser(description=description)
    p.add_argument("run_dir", help="the run directory to write (gradlab --watch RUN_DIR)")
    p.add_argument("--samples", type=int, default=samples, help="training samples used")
    p.add_argument("--batch", type=int, default=batch)
    p.add_argument("--epochs", type=int, default=epochs)
    p.add_argument("--log-every", type=int, default=10)
    p.add_argument("--heavy-every", type=int, default=50)
    p.add_argument("--threads", type=int, default=2)
    return p
