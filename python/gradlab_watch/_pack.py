# SPDX-License-Identifier: GPL-3.0-or-later
"""The scalars of one row, gathered as 0-d device tensors and brought to the host together:
one stack and one copy per dtype, so that a GPU run is not synchronised once per value. The
copy starts when the step is finished and is read at the next call, by when it has long
completed."""

import torch


class Pack:
    def __init__(self, device):
        self.device = device
        self.items = {}
        self.stacked = {}
        self.event = None

    def put(self, t):
        """Adds a 0-d tensor (one of ours, or the user's loss) and returns its slot."""
        if t.device != self.device:
            t = t.to(self.device)
        lst = self.items.setdefault(t.dtype, [])
        lst.append(t if t.dim() == 0 else t.reshape(()))
        return (t.dtype, len(lst) - 1)

    def start_copy(self):
        """Stacks the scalars (one tensor per dtype) and starts their copy to the host: on a
        GPU into pinned memory without waiting."""
        self.stacked = {dt: torch.stack(lst) for dt, lst in self.items.items()}
        self.items = {}
        if self.device.type != "cuda":
            return
        try:
            host = {dt: torch.empty(t.shape, dtype=dt, pin_memory=True)
                    for dt, t in self.stacked.items()}
            for dt, t in self.stacked.items():
                host[dt].copy_(t, non_blocking=True)
            self.event = torch.cuda.Event()
            self.event.record()
            self.stacked = host
        except Exception:   # noqa: BLE001 (no pinned memory: values() copies and waits)
            self.event = None

    def values(self):
        """{dtype: [Python numbers]} of everything put; index with a slot's second part."""
        if self.event is not None:
            self.event.synchronize()
        return {dt: t.tolist() for dt, t in self.stacked.items()}
