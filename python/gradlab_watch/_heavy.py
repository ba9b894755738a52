# SPDX-License-Identifier: GPL-3.0-or-later
"""The contents of a heavy snapshot (heavy/NNNNNN/): every watched layer's effective weights as
a float32 matrix (a convolution's kernel reshaped to out × in·k), its mask when pruned, its
bias, and heavy.ini with the activation and log10 |∂L/∂W| histograms. The files themselves are
written by _files.RunFiles.write_heavy()."""

from . import _histogram


def _host(t, shape=None):
    a = t.detach().float().cpu().numpy()
    return a.reshape(shape) if shape is not None else a.reshape(-1)


def _num(v):
    return float(v) if v is not None else None


def contents(step, layers, layer_slots, inv):
    """(ini sections, [(file name, array)]) of the snapshot after @step; @inv is the inverse
    GradScaler scale of the gradient samples (1 without one)."""
    sections = [("heavy", [("step", step)])]
    arrays = []
    for l, (layer, slots) in enumerate(zip(layers, layer_slots)):
        shape = (layer.rows, layer.cols)
        arrays.append(("W%d.npy" % l, _host(slots["weight"], shape)))
        if slots["mask"] is not None:
            arrays.append(("M%d.npy" % l, _host(slots["mask"], shape)))
        bias = layer.bias()
        if bias is not None:
            arrays.append(("B%d.npy" % l, _host(bias)))
        items = []
        if slots["act_sample"] is not None:
            sample, lo, hi = slots["act_sample"]
            lo, hi = _histogram.widen(_num(lo), _num(hi))
            counts, nonfinite = _histogram.count(_host(sample), lo, hi, False)
            items += [("act_lo", lo), ("act_hi", hi), ("act_counts", counts),
                      ("act_nonfinite", nonfinite)]
        if slots["grad_sample"] is not None:
            g = _host(slots["grad_sample"]) * inv
            counts, nonfinite = _histogram.count(g, _histogram.GRAD_LO, _histogram.GRAD_HI, True)
            items += [("grad_lo", _histogram.GRAD_LO), ("grad_hi", _histogram.GRAD_HI),
                      ("grad_counts", counts), ("grad_nonfinite", nonfinite)]
        sections.append(("layer%d" % l, items))
    return sections, arrays
