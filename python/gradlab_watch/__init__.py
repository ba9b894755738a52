# SPDX-License-Identifier: GPL-3.0-or-later
"""gradlab_watch: let Gradient Lab's window (`gradlab --watch DIR`) show a PyTorch run live.

    import gradlab_watch
    run = gradlab_watch.watch(model, "runs/exp1", optimizer=optimizer)
    ...                      # in the loop, right after optimizer.step():
    run.step(loss=loss, outputs=outputs, targets=targets)
    run.eval(loss=test_loss, accuracy=test_accuracy)    # after a test pass, optional
    run.close()

It writes a run directory (docs/run-directory.md): per-layer ‖∂L/∂W‖, ‖δ‖, weight norms,
update ratios, sparsity and activation statistics of every nn.Linear and nn.ConvNd every
log_every optimizer steps, and the weights with histograms every heavy_every steps. Pure Python
on torch ≥ 1.13 and numpy."""

from ._layers import find_layers
from ._run import VERSION, NullRun, Run

__all__ = ["watch", "Run", "NullRun", "__version__"]
__version__ = VERSION


def _rank_and_world():
    """This process's rank and the world size under torch.distributed (no collective call:
    both are local facts once the process group exists)."""
    import torch.distributed as dist
    if dist.is_available() and dist.is_initialized():
        return dist.get_rank(), dist.get_world_size()
    return 0, 1


def _unwrap(model):
    # DDP and DataParallel wrap the real model in .module; layers are named as it names them
    from torch import nn
    while isinstance(model, (nn.parallel.DistributedDataParallel, nn.DataParallel)):
        model = model.module
    return model


def watch(model, directory, *, log_every=10, heavy_every=500, optimizer=None, scaler=None,
          update_ratio=True, heavy_keep=2, input_shape=None, classes=None, description=None):
    """Starts watching @model (an nn.Module, or a DDP wrapper of one) into @directory, which
    is created and, if it holds an earlier run, started afresh.

    log_every:    a row every this many optimizer steps (steps log_every, 2·log_every, …).
    heavy_every:  weights, masks and histograms every this many steps (0: never).
    optimizer:    read the learning rate from its first parameter group.
    scaler:       the torch.cuda.amp.GradScaler in use, so that gradients and δ are logged
                  unscaled.
    update_ratio: keep a copy of the watched weights, taken the step before a logged one, for
                  ‖ΔW‖/‖W‖ (memory: one more copy of those weights on their device); False
                  writes null instead.
    heavy_keep:   keep only the newest this many heavy snapshots (0: all).
    input_shape, classes, description: for the manifest; by default the shape of one sample
                  and the number of output columns seen in the first forward pass, and the
                  model's class name.

    Under torch.distributed, every rank but 0 gets a NullRun, whose methods do nothing.
    Returns a Run: call run.step(...) once per optimizer step, run.eval(...) after a test
    pass, run.close() at the end (or use it as a context manager)."""
    if isinstance(log_every, bool) or not isinstance(log_every, int) or log_every < 1:
        raise ValueError("log_every must be a whole number ≥ 1, not %r" % (log_every,))
    if isinstance(heavy_every, bool) or not isinstance(heavy_every, int) or heavy_every < 0:
        raise ValueError("heavy_every must be a whole number ≥ 0, not %r" % (heavy_every,))
    rank, world = _rank_and_world()
    if rank != 0:
        return NullRun()
    model = _unwrap(model)
    options = {"log_every": log_every, "heavy_every": heavy_every, "optimizer": optimizer,
               "scaler": scaler, "update_ratio": bool(update_ratio),
               "heavy_keep": int(heavy_keep), "input_shape": input_shape, "classes": classes,
               "description": description, "rank": rank, "world_size": world}
    return Run(model, directory, find_layers(model), options)
