# SPDX-License-Identifier: GPL-3.0-or-later
"""The heavy snapshot's per-layer histograms, counted exactly as the engine counts them
(engine/lab-histogram.c): 48 bins over [lo, hi), an evenly strided sample of the values (stride
max(1, n // 4096)), values outside [lo, hi) in the end bins, inf and NaN counted apart, and for
gradients log10 |g| with exact zeros (pruned weights) skipped."""

import numpy as np
import torch

BINS = 48
SAMPLES = 4096
GRAD_LO, GRAD_HI = -10.0, 1.0


def stride(n):
    return max(1, n // SAMPLES)


def sample(t):
    """The strided sample of a tensor's values, still on its device (a small copy)."""
    flat = t.detach().reshape(-1)
    return flat[::stride(flat.numel())].float().clone()


def finite_range(t):
    """(lo, hi) of the finite values of @t as 0-d device tensors (inf/NaN excluded)."""
    t = t.detach()
    fin = torch.isfinite(t)
    inf = torch.tensor(float("inf"), dtype=t.dtype, device=t.device)
    return torch.where(fin, t, inf).amin().float(), torch.where(fin, t, -inf).amax().float()


def widen(lo, hi):
    """The engine's finishing of a range: nothing finite → [0, 1); a single value v → [v, v+1);
    then hi is nudged up so that the largest value lands in the last bin."""
    lo, hi = np.float32(lo), np.float32(hi)
    if not (np.isfinite(lo) and np.isfinite(hi)) or lo > hi:
        lo = hi = np.float32(0)
    if not hi > lo:
        hi = lo + np.float32(1)
    return float(lo), float(hi * np.float32(1.0001) + np.float32(1e-6))


def count(values, lo, hi, log_abs):
    """(counts[48], nonfinite) of a sample (numpy float32) over [lo, hi)."""
    v = np.asarray(values, dtype=np.float32)
    with np.errstate(divide="ignore", invalid="ignore"):
        if log_abs:
            v = v[v != 0]
            v = np.log10(np.abs(v))
        fin = np.isfinite(v)
        nonfinite = int(v.size - np.count_nonzero(fin))
        lo32, hi32 = np.float32(lo), np.float32(hi)
        scale = np.float32(BINS) / (hi32 - lo32)
        # float32 like the engine; truncation toward zero as C's (int) cast
        b = np.trunc((v[fin] - lo32) * scale)
    b = np.clip(b, 0, BINS - 1).astype(np.int64)
    return np.bincount(b, minlength=BINS).tolist(), nonfinite
