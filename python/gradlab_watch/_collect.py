# SPDX-License-Identifier: GPL-3.0-or-later
"""What one logged step gathers, on the device, with hooks that exist only while that step
runs. arm() (called at the step before) copies the weights for ‖ΔW‖ and registers forward
hooks on the watched layers and their activations; in the forward they reduce z_l and a_l to a
few sums and put a tensor hook on z_l for ‖δ_l‖ (never register_full_backward_hook, which
breaks on an in-place ReLU in torch 1.13); at the end of that backward pass a callback reduces
every .grad, before the user can clip it. finish() adds the weights after the optimizer step.
Every value is a 0-d device tensor put into the step's Pack the moment it is taken, and known
by its index there; sums of squares are dot products, the fastest reduction torch has on the
CPU. Between logged steps nothing is registered: no hook fires."""

import torch
from torch.autograd import Variable

from . import _histogram
from ._pack import Pack

# Up to this many other parameters (an MLP's biases), each Σg² is a dot product of its own: the
# code every other sum of squares runs is warm by then, while one _foreach_norm over three
# biases cost 33 us in a logged step (a path run once per cycle, cold). Beyond, one
# _foreach_norm call beats a Python call per parameter.
FEW_PARAMETERS = 8


def sum_sq(t):
    """Σ t² as a 0-d float tensor (of a tensor that needs no grad, or under no_grad)."""
    flat = t if t.dim() == 1 else t.reshape(-1)
    if flat.dtype in (torch.float32, torch.float64):
        return torch.dot(flat, flat)
    return torch.linalg.vector_norm(flat, dtype=torch.float32).square()   # half: no overflow


class Gather:
    """One layer's findings in one armed step: indices into the step's Pack (lists: a layer
    may run more than once)."""

    __slots__ = ("zmax", "units", "sat", "z_n", "act", "a_n", "delta", "pending_z",
                 "act_sample", "grad_sample")

    def __init__(self):
        self.zmax = []          # per call: max of z over everything but the unit dimension
        self.units = 0
        self.sat = []           # per call: count of |z| past the saturation point
        self.z_n = 0
        self.act = []           # per call: (Σa, Σa²)
        self.a_n = 0
        self.delta = []         # per backward call: Σ(∂L/∂z_l)²
        self.pending_z = None   # z_l waiting for its activation module's hook
        self.act_sample = None  # heavy steps: (sample, lo, hi) of the last call's a_l
        self.grad_sample = None


class Collector:
    def __init__(self, model, layers, device, scaler, keep_prev):
        self.model = model
        self.layers = layers    # Run reorders this list in place after the first forward
        self.device = device
        self.scaler = scaler
        self.keep_prev = keep_prev
        self.by_act = {}
        for layer in layers:
            if layer.act_module is not None:
                self.by_act.setdefault(id(layer.act_module), []).append(layer)
        # the hooks, made once: per layer the tensor hook its z_l gets, and (module, key, forward
        # hook) for arm() to put into the module's _forward_hooks under a key torch handed out
        # once: three times cheaper cold than register_forward_hook() and handle.remove()
        pairs = []
        for layer in layers:
            layer.delta_hook = self._delta_hook(layer)
            pairs.append((layer.module, self._layer_hook(layer)))
        for act in {id(m): m for m in (l.act_module for l in layers) if m is not None}.values():
            pairs.append((act, self._act_hook))
        self.hooks = []
        for module, hook in pairs:
            handle = module.register_forward_hook(hook)
            handle.remove()
            self.hooks.append((module, handle.id, hook))
        self.hooked = False
        self.prev = {}
        self.armed_step = 0
        self.heavy = False
        self.pack = None
        self.grads = None
        self.cb_queued = False
        self.on_error = None   # set by Run: called with the exception of a failing hook

    # ------------------------------------------------------------------ arming

    def arm(self, step, heavy):
        for layer in self.layers:
            layer.gather = Gather()
        self.pack = Pack(self.device)
        self.grads = None
        self.cb_queued = False
        self.armed_step = step
        self.heavy = heavy
        if self.keep_prev:
            self._copy_weights()
        for module, key, hook in self.hooks:
            module._forward_hooks[key] = hook
        self.hooked = True

    def disarm(self):
        if self.hooked:
            for module, key, _ in self.hooks:
                module._forward_hooks.pop(key, None)
            self.hooked = False
        self.armed_step = 0
        for layer in self.layers:
            if hasattr(layer, "gather"):
                layer.gather.pending_z = None

    def _copy_weights(self):
        # the parameter itself (weight_orig when pruned): pruning between here and the step
        # changes the mask, not the parameter, and is no part of the step's update
        with torch.no_grad():
            for layer in self.layers:
                w = layer.weight_and_mask()[0]
                buf = self.prev.get(layer)
                if buf is None or buf.shape != w.shape or buf.device != w.device \
                        or buf.dtype != w.dtype:
                    buf = torch.empty_like(w, memory_format=torch.contiguous_format)
                    self.prev[layer] = buf
                buf.copy_(w)

    # ------------------------------------------------------------------ forward

    def _layer_hook(self, layer):
        def hook(module, inputs, out):
            try:
                if module.training and torch.is_grad_enabled() and isinstance(out, torch.Tensor):
                    self._on_layer(layer, out)
                # else an evaluation pass between steps: not this step's batch
            except Exception as e:   # noqa: BLE001 (a hook must never break training)
                self.on_error(e)
        return hook

    def _on_layer(self, layer, out):
        g = layer.gather
        z = out.detach()
        if layer.relu_like:
            dims, unit = layer.unit_dims(z.dim())
            g.zmax.append(torch.amax(z, dim=dims) if dims else z)
            g.units = z.shape[unit]
        if layer.saturation is not None:
            g.sat.append(self.pack.put((z.abs() > layer.saturation).sum(dtype=torch.float32)))
            g.z_n += z.numel()
        if layer.act_module is None:
            self._record_act(layer, z)
        else:
            g.pending_z = out
        if out.requires_grad:
            out.register_hook(layer.delta_hook)

    def _act_hook(self, module, inputs, out):
        try:
            if not inputs or not isinstance(out, torch.Tensor):
                return
            for layer in self.by_act.get(id(module), ()):
                if layer.gather.pending_z is not None and inputs[0] is layer.gather.pending_z:
                    layer.gather.pending_z = None
                    self._record_act(layer, out.detach())
                    return
        except Exception as e:   # noqa: BLE001
            self.on_error(e)

    def _record_act(self, layer, a):
        g, put = layer.gather, self.pack.put
        g.act.append((put(a.sum(dtype=torch.float32)), put(sum_sq(a))))
        g.a_n += a.numel()
        if self.heavy:
            if layer.act_name == "sigmoid":
                lo, hi = 0.0, 1.0
            elif layer.act_name == "tanh":
                lo, hi = -1.0, 1.0
            else:
                lo, hi = _histogram.finite_range(a)
            g.act_sample = (_histogram.sample(a), lo, hi)

    # ------------------------------------------------------------------ backward

    def _delta_hook(self, layer):
        def hook(grad):
            if not self.armed_step:
                return   # a backward pass after the step was finished (or logging stopped)
            try:
                layer.gather.delta.append(self.pack.put(sum_sq(grad.detach())))
                if not self.cb_queued:
                    self.cb_queued = True
                    Variable._execution_engine.queue_callback(self._after_backward)
            except Exception as e:   # noqa: BLE001
                self.on_error(e)
        return hook

    def _after_backward(self):
        # Queued during the backward pass, this runs before callbacks queued later in it, such
        # as DDP's, which averages the gradients across ranks: queue once more to run after.
        try:
            Variable._execution_engine.queue_callback(self._grads_done)
        except Exception as e:   # noqa: BLE001
            self.on_error(e)

    def _grads_done(self):
        try:
            self.cb_queued = False
            if self.armed_step:
                with torch.no_grad():   # .grad needs grad itself under create_graph=True
                    self.grads = self._grad_stats() + (self._inv_scale(),)
        except Exception as e:   # noqa: BLE001
            self.on_error(e)

    def _inv_scale(self):
        """The Pack index of 1/S of a GradScaler (or a compatible object) that scaled this
        backward pass (a device tensor: no sync), or None."""
        s = self.scaler
        if s is None or not s.is_enabled():
            return None
        scale = getattr(s, "_scale", None)
        if isinstance(scale, torch.Tensor):
            return self.pack.put(scale.double().reciprocal().float())
        return self.pack.put(torch.tensor(1.0 / float(s.get_scale())))

    def _grad_stats(self):
        """Per watched layer the Pack indices of (Σg², Σ|g|) of its weight's gradient, and of
        Σg² of every other parameter (for the global norm, summed on the host), from .grad as
        it is now: right after the backward pass, the whole accumulated gradient before
        clipping (and before GradScaler's unscale)."""
        put, per_layer, mine = self.pack.put, [], set()
        for layer in self.layers:
            w = layer.weight_and_mask()[0]
            mine.add(id(w))
            g = w.grad
            if g is None:
                per_layer.append(None)
                continue
            if g.is_sparse:
                g = g.coalesce().values()
            flat = g.reshape(-1)
            # a fresh |g| (the allocator hands back the block the backward pass just freed,
            # still in the cache) is cheaper than one kept from step to step
            per_layer.append((put(sum_sq(flat)), put(flat.abs().sum(dtype=torch.float32))))
            if self.heavy:
                layer.gather.grad_sample = _histogram.sample(g)
        # every other parameter (biases, norms, embeddings …) counts in the global gradient
        # norm only; weight_orig stays the same object when a layer is pruned
        rest = [p.grad for p in self.model.parameters()
                if p.grad is not None and p.requires_grad and id(p) not in mine]
        rest = [g.coalesce().values() if g.is_sparse else g for g in rest]
        if len(rest) <= FEW_PARAMETERS:
            return per_layer, [put(sum_sq(g)) for g in rest]
        norms = torch._foreach_norm(rest)
        return per_layer, [put(sq) for sq in torch._foreach_mul(norms, norms)]

    # ------------------------------------------------------------------ after the step

    def finish(self):
        """Puts the weights' values into the Pack and returns how to read this step's values
        back: per layer a dict of Pack indices and counts, plus the heavy samples. Disarms."""
        grads = self.grads
        if grads is None:
            # no backward pass reached a watched layer's output: read .grad as it is now
            # (after GradScaler's unscale and after any clipping)
            with torch.no_grad():
                grads = self._grad_stats() + (None,)
        per_layer, rest_sq, inv = grads
        out = {"rest_sq": rest_sq, "inv_scale": inv, "layers": []}
        with torch.no_grad():
            for layer, gstat in zip(self.layers, per_layer):
                out["layers"].append(self._finish_layer(layer, gstat))
        self.disarm()
        return out

    def _finish_layer(self, layer, gstat):
        g, put = layer.gather, self.pack.put
        w, mask = layer.weight_and_mask()   # under no_grad: no detach needed
        weff = w if mask is None else w * mask
        slots = {"numel": w.numel(), "weight": weff, "mask": mask,
                 "weight_sq": put(sum_sq(weff))}
        prev = self.prev.get(layer) if self.keep_prev else None
        if prev is not None and prev.shape == w.shape:
            # ‖ΔW‖ of the effective weights: the parameter's change, masked (prev is
            # recopied at the next arm, so it can hold the difference)
            diff = prev.sub_(w)
            if mask is not None:
                diff.mul_(mask)
            slots["update_sq"] = put(sum_sq(diff))
        if mask is not None:
            slots["kept"] = put(mask.sum(dtype=torch.float32))
        if gstat is not None:
            slots["grad_sq"], slots["grad_abs"] = gstat
        slots["delta"] = g.delta
        slots["act"] = g.act
        slots["a_n"] = g.a_n
        if g.zmax:
            zmax = g.zmax[0] if len(g.zmax) == 1 else torch.stack(g.zmax).amax(0)
            # units with some z > 0 (or NaN, which is no dead unit either): the non-zeros of
            # relu(zmax), two kernels a ReLU net keeps warm (relu, and count_nonzero, which the
            # accuracy shares), where zmax <= 0 summed as float32 costs twice as much cold
            slots["alive"] = put(torch.count_nonzero(torch.relu(zmax)))
            slots["units"] = g.units
        if g.sat:
            slots["sat"] = g.sat
            slots["z_n"] = g.z_n
        slots["act_sample"] = g.act_sample
        slots["grad_sample"] = g.grad_sample
        return slots
