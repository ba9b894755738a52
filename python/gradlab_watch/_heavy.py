# SPDX-License-Identifier: GPL-3.0-or-later
"""The contents of a heavy snapshot (heavy/NNNNNN/): every watched layer's effective weights as
a float32 matrix (a convolution's kernel reshaped to out × in·k), its mask when pruned, its
bias, and heavy.ini with the activation and log10 |∂L/∂W| histograms. host_copies() runs on
the training thread and takes the step's tensors to the host as NumPy arrays of their own
(the next step changes the weights in place); contents() counts the histograms from those on
the writer thread, and _files.RunFiles.write_heavy() writes the files."""

import torch

from . import _histogram


def _host(t, shape=None):
    """A float32 NumPy copy of @t, never a view of it."""
    a = t.detach().to("cpu", torch.float32, copy=True).numpy()
    return a.reshape(shape) if shape is not None else a.reshape(-1)


def _num(v):
    return float(v) if v is not None else None


def host_copies(layers, layer_slots):
    """Per layer (W, M or None, B or None, (act sample, lo, hi) or None, grad sample or
    None), all on the host."""
    out = []
    for layer, slots in zip(layers, layer_slots):
        shape = (layer.rows, layer.cols)
        mask, bias, act = slots["mask"], layer.bias(), slots["act_sample"]
        if act is not None:
            act = (_host(act[0]), _num(act[1]), _num(act[2]))
        grad = slots["grad_sample"]
        out.append((_host(slots["weight"], shape),
                    _host(mask, shape) if mask is not None else None,
                    _host(bias) if bias is not None else None, act,
                    _host(grad) if grad is not None else None))
    return out


def contents(step, copies, inv):
    """(ini sections, [(file name, array)]) of the snapshot after @step from host_copies();
    @inv is the inverse GradScaler scale of the gradient samples (1 without one)."""
    sections = [("heavy", [("step", step)])]
    arrays = []
    for l, (weight, mask, bias, act, grad) in enumerate(copies):
        arrays.append(("W%d.npy" % l, weight))
        if mask is not None:
            arrays.append(("M%d.npy" % l, mask))
        if bias is not None:
            arrays.append(("B%d.npy" % l, bias))
        items = []
        if act is not None:
            sample, lo, hi = act
            lo, hi = _histogram.widen(lo, hi)
            counts, nonfinite = _histogram.count(sample, lo, hi, False)
            items += [("act_lo", lo), ("act_hi", hi), ("act_counts", counts),
                      ("act_nonfinite", nonfinite)]
        if grad is not None:
            counts, nonfinite = _histogram.count(grad * inv, _histogram.GRAD_LO,
                                                 _histogram.GRAD_HI, True)
            items += [("grad_lo", _histogram.GRAD_LO), ("grad_hi", _histogram.GRAD_HI),
                      ("grad_counts", counts), ("grad_nonfinite", nonfinite)]
        sections.append(("layer%d" % l, items))
    return sections, arrays
