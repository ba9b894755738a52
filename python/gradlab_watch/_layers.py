# SPDX-License-Identifier: GPL-3.0-or-later
"""Which modules of a model are drawn, and how: every nn.Linear and nn.Conv1d/2d/3d becomes a
watched layer (named as model.named_modules() names it) with its weight seen as a matrix
(out × in·k), the activation that follows it when it can be identified, and accessors for the
effective weight, mask and bias, so that torch.nn.utils.prune's weight_orig · weight_mask is
what is shown. Every other parameter is listed for the manifest but not drawn."""

import torch
from torch import nn

# The run directory's activation names (the engine's, plus a few torch has and it has not).
ACTIVATIONS = (
    (nn.ReLU, "relu"), (nn.LeakyReLU, "leaky-relu"), (nn.ELU, "elu"),
    (nn.Sigmoid, "sigmoid"), (nn.Tanh, "tanh"), (nn.Identity, "linear"),
    (nn.GELU, "gelu"), (nn.SiLU, "silu"), (nn.Softplus, "softplus"),
)
# act_dead is counted for these (the engine's ReLU-like set) ...
RELU_LIKE = frozenset(("relu", "leaky-relu", "elu"))
# ... and act_saturated for these: |z| beyond logit(0.99) or atanh(0.99) is within 1 % of an
# asymptote.
SATURATION = {"sigmoid": 4.59512, "tanh": 2.64665}

KINDS = ((nn.Linear, "linear"), (nn.Conv1d, "conv1d"), (nn.Conv2d, "conv2d"),
         (nn.Conv3d, "conv3d"))


def _kind(module):
    for cls, kind in KINDS:
        if isinstance(module, cls):
            return kind
    return None


def _activation_name(module):
    for cls, name in ACTIVATIONS:
        if isinstance(module, cls):
            return name
    return None


class Layer:
    """One watched layer: its module, how the manifest describes it, and (set by the collector)
    what one armed step has gathered about it."""

    def __init__(self, name, module, kind, act_name, act_module):
        self.name = name
        self.module = module
        self.kind = kind
        self.act_name = act_name          # the manifest's activation, "unknown" when not seen
        self.act_module = act_module      # the module whose output is a_l, or None: a_l = z_l
        w = self.weight_and_mask()[0]
        self.rows = int(w.shape[0])
        self.cols = int(w[0].numel()) if w.shape[0] else 0
        self.kernel = tuple(int(k) for k in w.shape[2:]) if kind != "linear" else ()
        # the dimension of z_l that indexes units (a Linear's features, a conv's channels)
        self.unit_dim = -1 if kind == "linear" else -(len(self.kernel) + 1)
        self.saturation = SATURATION.get(act_name)
        self.relu_like = act_name in RELU_LIKE
        self._unit_dims = {}

    def unit_dims(self, ndim):
        """(every other dimension, the unit dimension) of a z_l with @ndim dimensions."""
        dims = self._unit_dims.get(ndim)
        if dims is None:
            unit = self.unit_dim % ndim
            dims = self._unit_dims[ndim] = ([d for d in range(ndim) if d != unit], unit)
        return dims

    def weight_and_mask(self):
        """(the parameter whose .grad is the weight gradient, its pruning mask or None)."""
        m = self.module
        orig = m._parameters.get("weight_orig")
        mask = m._buffers.get("weight_mask")
        if orig is not None and mask is not None:
            return orig, mask
        return m.weight, None

    def bias(self):
        """The effective bias (bias_orig · bias_mask when the bias is pruned), or None."""
        m = self.module
        orig = m._parameters.get("bias_orig")
        mask = m._buffers.get("bias_mask")
        if orig is not None and mask is not None:
            return orig.detach() * mask
        b = getattr(m, "bias", None)
        return b.detach() if isinstance(b, torch.Tensor) else None

    def has_bias(self):
        m = self.module
        return m._parameters.get("bias_orig") is not None or \
            isinstance(getattr(m, "bias", None), torch.Tensor)

    def parameters(self):
        """The parameters that belong to this layer (weight or weight_orig, bias or bias_orig)."""
        return [p for p in self.module._parameters.values() if p is not None]


def _last_leaf(module):
    """The module a Sequential model's output comes from (None unless the model is a chain of
    Sequentials): a layer there has nothing after it, its activation is the identity."""
    while isinstance(module, nn.Sequential) and len(module):
        module = module[-1]
    return module


def find_layers(model):
    """The watched layers of @model in named_modules() order, each with the activation module
    that follows it in its nn.Sequential when that is one (see docs/run-directory.md)."""
    follows = {}
    for parent in model.modules():
        if isinstance(parent, nn.Sequential):
            children = list(parent)
            for a, b in zip(children, children[1:]):
                if _activation_name(b) is not None:
                    follows[id(a)] = b
    last = _last_leaf(model)
    layers = []
    for name, module in model.named_modules():
        kind = _kind(module)
        if kind is None or isinstance(module.weight, nn.parameter.UninitializedParameter):
            continue   # not drawn, or a lazy layer that has not seen its input yet
        act = follows.get(id(module))
        if act is not None:
            act_name = _activation_name(act)
        elif module is last:
            act_name = "linear"
        else:
            act_name = "unknown"
        layers.append(Layer(name or type(module).__name__, module, kind, act_name, act))
    return layers


def other_parameters(model, layers):
    """'name (d0,d1,…)' of every parameter that is not a watched layer's weight or bias."""
    mine = {id(p) for layer in layers for p in layer.parameters()}
    return ["%s (%s)" % (name, ",".join(str(d) for d in p.shape))
            for name, p in model.named_parameters() if id(p) not in mine]
