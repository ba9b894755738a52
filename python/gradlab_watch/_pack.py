# SPDX-License-Identifier: GPL-3.0-or-later
"""The scalars of one row, gathered as one-element tensors while the step runs and read as
Python floats later, by the writer thread. On a GPU they are stacked (as float32: a row prints
7 digits; each value is reduced in its own dtype first) and copied to pinned host memory when
the step is finished, without waiting, so that a run is not synchronised once per value; the
writer waits for that copy, long complete by then. On the CPU each result is read where it
lies: stacking some 40 of them would cost the training thread more than reading them costs the
writer."""

import torch


class Pack:
    def __init__(self, device):
        self.device = device
        self.items = []
        self.event = None

    def put(self, t):
        """Adds a one-element tensor (one of ours, the user's loss, a GradScaler's scale) that
        nothing changes any more, and returns its index."""
        self.items.append(t)
        return len(self.items) - 1

    def start_copy(self):
        """On a GPU: stacks the scalars and starts their copy into pinned host memory."""
        if self.device.type != "cuda" or not self.items:
            return
        try:
            host = torch.empty(len(self.items), pin_memory=True)
            host.copy_(torch.stack([t.reshape(()).to(self.device, torch.float32)
                                    for t in self.items]), non_blocking=True)
            self.event = torch.cuda.Event()
            self.event.record()
            self.items = host
        except Exception:   # noqa: BLE001 (no pinned memory: values() copies and waits)
            self.event = None

    def values(self):
        """[Python floats] of everything put, by index."""
        if self.event is not None:
            self.event.synchronize()
            return self.items.tolist()
        return [t.item() for t in self.items]
