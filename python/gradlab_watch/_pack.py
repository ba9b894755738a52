# SPDX-License-Identifier: GPL-3.0-or-later
"""The scalars of one row, gathered as 0-d device tensors while the step runs and brought to
the host together: one stack and one copy, so that a GPU run is not synchronised once per
value. They are float32 on the host (a row prints 7 digits), each reduced in its own dtype
first. The copy starts when the step is finished and is read at the next call, by when it has
long completed."""

import torch


class Pack:
    def __init__(self, device):
        self.device = device
        self.items = []
        self.stacked = None
        self.event = None

    def put(self, t):
        """Adds a one-element tensor (one of ours, the user's loss, a GradScaler's scale) and
        returns its index."""
        if t.dtype != torch.float32 or t.device != self.device:
            t = t.to(self.device, torch.float32)
        self.items.append(t.reshape(()) if t.dim() else t)
        return len(self.items) - 1

    def start_copy(self):
        """Stacks the scalars and starts their copy to the host: on a GPU into pinned memory
        without waiting."""
        self.stacked = torch.stack(self.items) if self.items else torch.zeros(0)
        self.items = []
        if self.device.type != "cuda":
            return
        try:
            host = torch.empty(self.stacked.shape, pin_memory=True)
            host.copy_(self.stacked, non_blocking=True)
            self.event = torch.cuda.Event()
            self.event.record()
            self.stacked = host
        except Exception:   # noqa: BLE001 (no pinned memory: values() copies and waits)
            self.event = None

    def values(self):
        """[Python floats] of everything put, by index."""
        if self.event is not None:
            self.event.synchronize()
        return self.stacked.tolist()
