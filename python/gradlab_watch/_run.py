# SPDX-License-Identifier: GPL-3.0-or-later
"""Run: what watch() returns to the writer (rank 0), and NullRun for every other rank. A Run
counts optimizer steps, arms the collector the step before a logged one, turns what it gathered
into a row (handed to the writer thread at the next call, so that a GPU's copy has finished by
then) and a heavy snapshot (copied to the host at once, written by the writer thread), and
writes the manifest at the end of the model's first forward pass, when the layers' forward
order and the input's shape are known. Any error in any of this (a full disk, a deleted
directory, a bug of ours) stops logging with one warning on stderr; training goes on and every
later call returns at once."""

import atexit
import datetime
import os
import sys
import time
import weakref

import torch

from . import _heavy, _rows
from ._collect import Collector
from ._files import FORMAT, RunFiles
from ._layers import other_parameters
from ._writer import Writer

VERSION = "0.1"


def _number(v):
    """A Python float from a number or a one-element tensor (syncs: only for rare calls)."""
    if v is None:
        return None
    return float(v.detach().reshape(-1)[0]) if isinstance(v, torch.Tensor) else float(v)


def _tensor(v):
    """A 0-d float tensor of a loss given as a tensor or a number (no sync either way)."""
    if not isinstance(v, torch.Tensor):
        return torch.tensor(float(v))
    v = v.detach()
    if v.dim():
        v = v.reshape(-1)[0]
    return v if v.dtype == torch.float32 else v.float()


def correct_tensor(outputs, targets):
    """How many rows' arg max over dim 1 is the target class, as a 0-d tensor, and out of how
    many; None when @outputs/@targets are not class scores and class indices (or one-hot
    rows)."""
    if not isinstance(outputs, torch.Tensor) or not isinstance(targets, torch.Tensor):
        return None
    if outputs.dim() < 2 or outputs.shape[1] < 2 or targets.numel() == 0:
        return None   # one output column: a regression or a logistic unit, no arg max
    if targets.dim() == outputs.dim() - 1 and not targets.is_floating_point():
        want = targets
    elif targets.shape == outputs.shape:
        want = targets.argmax(1)
    else:
        return None
    if want.device != outputs.device:
        want = want.to(outputs.device)
    hits = outputs.detach().argmax(1) == want
    # counted as integers (exact): cheaper than a float32 sum of bools
    return torch.count_nonzero(hits), hits.numel()


def _accuracy(outputs, targets):
    """The batch accuracy as a Python float (syncs: for the rare eval calls), or None."""
    c = correct_tensor(outputs, targets)
    return None if c is None else float(c[0]) / c[1]


class _Row:
    """A logged step's row until it is written (by the writer thread, which reads its values
    from the Pack; a heavy step's are read at once, for the scale of its histograms)."""

    def __init__(self, step, epoch, t, lr, pack, fin, loss, acc):
        self.step, self.epoch, self.time, self.lr = step, epoch, t, lr
        self.pack, self.fin, self.loss, self.acc = pack, fin, loss, acc
        self.values = None
        self.test = None

    def resolve(self):
        if self.values is None:
            self.values = self.pack.values()
            self.pack = None
        return self.values

    def get(self, index):
        return None if index is None else self.values[index]

    def inv_scale(self):
        inv = self.get(self.fin["inv_scale"])
        return 1.0 if inv is None else inv


class Run:
    def __init__(self, model, directory, layers, options):
        self.model = model
        self.layers = layers
        self.o = options
        self._off = False
        self._step = 0
        self._epoch = 1
        self._t0 = time.monotonic()
        self._started = datetime.datetime.now(datetime.timezone.utc).strftime(
            "%Y-%m-%dT%H:%M:%SZ")
        self._writer_id = os.urandom(8).hex()
        self._files = RunFiles(directory)
        self._begun = False
        self._pending = None
        self._last = None
        self._seen_order = []
        self._input_shape = options["input_shape"]
        self._classes = options["classes"]
        p = next(model.parameters(), None)
        self._device = p.device if p is not None else torch.device("cpu")
        self._writer = Writer("gradlab_watch writer: " + self._files.dir)
        self._collector = Collector(model, layers, self._device, options["scaler"],
                                    options["update_ratio"])
        self._collector.on_error = self._fail
        self._first = [model.register_forward_pre_hook(self._first_pre),
                       model.register_forward_hook(self._first_post)]
        self._first += [layer.module.register_forward_hook(self._order_hook(layer))
                        for layer in layers]
        self._next_due = self._due_after(0)
        if self._due(1):
            self._collector.arm(1, self._heavy_due(1))
        atexit.register(_close_at_exit, weakref.ref(self))

    # ------------------------------------------------------------------ public

    @property
    def directory(self):
        return self._files.dir

    @property
    def active(self):
        """False once logging has stopped (after close() or an error)."""
        return not self._off

    def step(self, loss=None, outputs=None, targets=None, lr=None, epoch=None):
        """Call once per optimizer step, right after optimizer.step() (and before a learning-
        rate scheduler's step()): @loss this step's batch loss, @outputs and @targets for the
        batch accuracy, @lr when there is no optimizer to read it from, @epoch (1-based) when
        it changes. Costs a counter increment unless this step or the next is logged."""
        self._step += 1
        if self._off:
            return
        if self._step + 1 < self._next_due and self._pending is None and self._begun:
            # neither this step nor the next is logged: keep what an eval row would need
            if epoch is not None:
                self._epoch = int(epoch)
            self._last = (self._step, self._epoch, time.monotonic() - self._t0, lr, loss,
                          outputs, targets)
            return
        try:
            self._on_step(loss, outputs, targets, lr, epoch)
        except Exception as e:   # noqa: BLE001 (never take the training down)
            self._fail(e)

    def eval(self, loss=None, accuracy=None, outputs=None, targets=None):
        """The test set was evaluated right after the last step: its mean @loss, and its
        @accuracy (or @outputs and @targets over the whole test set to compute it)."""
        if self._off:
            return
        try:
            if accuracy is None:
                accuracy = _accuracy(outputs, targets)
            self._on_eval((_number(loss), _number(accuracy)))
        except Exception as e:   # noqa: BLE001
            self._fail(e)

    def flush(self):
        """Returns once every row and heavy snapshot handed to the writer thread is on disk:
        the heavy snapshots and rows of the steps so far, except the last logged step's row,
        which waits for a run.eval() of that step until the next call (close() writes it)."""
        if self._off:
            return
        try:
            self._writer.flush()
            self._check_writer()
        except Exception as e:   # noqa: BLE001
            self._fail(e)

    def close(self, status="finished"):
        """Writes the last row and the status ("finished", or "failed: MESSAGE") and removes
        every hook. Further calls do nothing."""
        if self._off:
            return
        try:
            self._begin()
            self._flush()
            self._writer.close()   # every row and snapshot is on disk before the status
            self._check_writer()
            self._files.set_status(status)
        except Exception as e:   # noqa: BLE001
            self._fail(e)
            return
        self._stop()

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        self.close("finished" if exc is None else "failed: %s: %s" % (exc_type.__name__, exc))
        return False

    # ------------------------------------------------------------------ steps

    def _due(self, step):
        return step % self.o["log_every"] == 0 or self._heavy_due(step)

    def _due_after(self, step):
        """The first step after @step that is logged or has a heavy snapshot."""
        every, heavy = self.o["log_every"], self.o["heavy_every"]
        due = (step // every + 1) * every
        return min(due, (step // heavy + 1) * heavy) if heavy > 0 else due

    def _heavy_due(self, step):
        return self.o["heavy_every"] > 0 and step % self.o["heavy_every"] == 0

    def _check_writer(self):
        """Raises the writer thread's error, if a write failed."""
        if self._writer.error is not None:
            raise self._writer.error

    def _on_step(self, loss, outputs, targets, lr, epoch):
        self._check_writer()
        if epoch is not None:
            self._epoch = int(epoch)
        self._flush()
        self._begin()
        step = self._step
        if self._collector.armed_step == step:
            self._finish(step, loss, outputs, targets, lr)
            self._last = None
        else:
            self._last = (step, self._epoch, time.monotonic() - self._t0, lr, loss, outputs,
                          targets)
        if self._due(step + 1):
            self._collector.arm(step + 1, self._heavy_due(step + 1))
        self._next_due = self._due_after(step)

    def _lr(self, lr):
        if lr is not None:
            return _number(lr)
        opt = self.o["optimizer"]
        if opt is not None and opt.param_groups:
            return _number(opt.param_groups[0].get("lr"))
        return None

    def _finish(self, step, loss, outputs, targets, lr):
        pack = self._collector.pack
        loss_slot = pack.put(_tensor(loss)) if loss is not None else None
        correct = correct_tensor(outputs, targets)
        acc_slot = (pack.put(correct[0]), correct[1]) if correct is not None else None
        fin = self._collector.finish()
        pack.start_copy()
        row = _Row(step, self._epoch, time.monotonic() - self._t0, self._lr(lr), pack, fin,
                   loss_slot, acc_slot)
        if self._heavy_due(step):
            row.resolve()   # the scale of the gradient samples (a GPU waits once here)
            copies = _heavy.host_copies(self.layers, fin["layers"])
            self._writer.submit(self._write_heavy, step, copies, row.inv_scale(), heavy=True)
        for slots in fin["layers"]:   # the row needs numbers only
            slots["weight"] = slots["mask"] = slots["act_sample"] = slots["grad_sample"] = None
        if step % self.o["log_every"] == 0:
            self._pending = row

    def _write_heavy(self, step, copies, inv):
        """On the writer thread."""
        sections, arrays = _heavy.contents(step, copies, inv)
        self._files.write_heavy(step, sections, arrays, self.o["heavy_keep"])

    def _flush(self):
        row, self._pending = self._pending, None
        if row is not None:
            self._writer.submit(self._write_row, row)

    def _write_row(self, row):
        """On the writer thread: a logged step's row from its values."""
        row.resolve()
        get, inv = row.get, row.inv_scale()
        per_layer = [_rows.layer_values(s, get, inv) for s in row.fin["layers"]]
        pruned, total = _rows.sparsity_counts(row.fin["layers"], get)
        values = {"step": row.step, "epoch": row.epoch, "time": row.time, "lr": row.lr,
                  "loss": get(row.loss),
                  "accuracy": get(row.acc[0]) / row.acc[1] if row.acc is not None else None,
                  "global_grad_norm": _rows.global_grad_norm(row.fin, get, inv),
                  "total_sparsity": pruned / total if total else 0.0}
        self._files.append_row(_rows.line(values, per_layer, row.test))

    def _on_eval(self, test):
        self._check_writer()
        if self._pending is not None and self._pending.step == self._step:
            self._pending.test = test
            self._flush()
            return
        self._flush()
        self._begin()
        # a row for an unlogged step: what is known of it, null for the rest
        values = {"step": self._step, "epoch": self._epoch, "time": time.monotonic() - self._t0}
        if self._last is not None and self._last[0] == self._step:
            _, epoch, t, lr, loss, outputs, targets = self._last
            values.update(epoch=epoch, time=t, lr=self._lr(lr), loss=_number(loss),
                          accuracy=_accuracy(outputs, targets))
        nulls = (None,) * len(_rows.LAYER_KEYS)
        self._writer.submit(self._files.append_row,
                            _rows.line(values, [nulls] * len(self.layers), test))

    # ------------------------------------------------------------------ the manifest

    def _order_hook(self, layer):
        def hook(module, inputs, out):
            if layer not in self._seen_order:
                self._seen_order.append(layer)
        return hook

    def _first_pre(self, module, inputs):
        try:
            if self._input_shape is None and inputs and isinstance(inputs[0], torch.Tensor):
                x = inputs[0]
                self._input_shape = list(x.shape[1:]) if x.dim() > 1 else list(x.shape)
        except Exception as e:   # noqa: BLE001
            self._fail(e)

    def _first_post(self, module, inputs, out):
        try:
            if self._classes is None and isinstance(out, torch.Tensor) and out.dim() == 2:
                self._classes = int(out.shape[1]) if out.shape[1] > 1 else 0
            seen = self._seen_order
            self.layers[:] = seen + [layer for layer in self.layers if layer not in seen]
            self._begin()
        except Exception as e:   # noqa: BLE001
            self._fail(e)

    def _begin(self):
        """The manifest, an empty rows.jsonl and status 'running', once."""
        if self._begun:
            return
        self._begun = True
        self._remove_first_hooks()
        self._files.start(self._manifest())

    def _remove_first_hooks(self):
        for h in self._first:
            h.remove()
        self._first = []

    def _manifest(self):
        o = self.o
        shape = self._input_shape
        if shape is None:
            shape = [self.layers[0].cols if self.layers else 0]
        run = [("format", FORMAT),
               ("writer", "gradlab_watch %s (torch %s)" % (VERSION, torch.__version__)),
               ("writer_id", self._writer_id), ("started", self._started),
               ("model", o["description"] or type(self.model).__name__),
               ("input_shape", [int(d) for d in shape]),
               ("classes", self._classes or 0),
               ("rank", o["rank"]), ("world_size", o["world_size"]),
               ("log_every", o["log_every"]), ("heavy_every", o["heavy_every"]),
               ("local_batch", o["world_size"] > 1)]
        sections = [("run", run)]
        for l, layer in enumerate(self.layers):
            items = [("name", layer.name), ("kind", layer.kind),
                     ("shape", [layer.rows, layer.cols])]
            if layer.kernel:
                items.append(("kernel", list(layer.kernel)))
            items += [("bias", layer.has_bias()), ("activation", layer.act_name)]
            sections.append(("layer%d" % l, items))
        sections.append(("other", [("parameters", other_parameters(self.model, self.layers))]))
        return sections

    # ------------------------------------------------------------------ stopping

    def _stop(self):
        self._off = True
        self._collector.disarm()
        self._remove_first_hooks()
        self._pending = self._last = None
        self._writer.close()
        try:
            self._files.close()
        except OSError:
            pass

    def _fail(self, e):
        if self._off:
            return
        if isinstance(e, OSError) and e.filename:
            msg = "%s: %s" % (e.filename, e.strerror or e)
        else:
            msg = "%s: %s" % (type(e).__name__, e)
        sys.stderr.write("gradlab_watch: logging to %s stopped (%s); training goes on\n"
                         % (self._files.dir, msg))
        sys.stderr.flush()
        self._stop()
        try:   # the reader learns why the rows stopped, if the directory still takes a write
            if self._begun and os.path.isdir(self._files.dir):
                self._files.set_status("failed: logging stopped: " + msg)
        except OSError:
            pass


def _close_at_exit(ref):
    """A run the script did not close: its last row and a status, as close() would write them
    (failed when the interpreter is exiting on an uncaught exception)."""
    run = ref()
    if run is None:
        return
    exc = getattr(sys, "last_value", None)
    run.close("finished" if exc is None else "failed: %s: %s" % (type(exc).__name__, exc))


class NullRun:
    """What watch() returns on a rank other than 0 under DDP: every method does nothing, so
    the same training script runs on every rank."""

    directory = None
    active = False

    def step(self, *args, **kwargs):
        pass

    def eval(self, *args, **kwargs):
        pass

    def close(self, *args, **kwargs):
        pass

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        return False
