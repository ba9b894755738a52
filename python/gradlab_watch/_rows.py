# SPDX-License-Identifier: GPL-3.0-or-later
"""One rows.jsonl line from the sums a logged step gathered (docs/run-directory.md): the
arithmetic that is cheaper on the host (square roots, means, ratios, the sums of a layer that
ran more than once) and the JSON text, keys in the document's order, one value per key."""

import math

from ._files import json_number

GLOBAL_KEYS = ("step", "epoch", "time", "lr", "loss", "accuracy", "global_grad_norm",
               "total_sparsity")
TEST_KEYS = ("test_loss", "test_accuracy")
LAYER_KEYS = ("grad_norm", "grad_mean_abs", "delta_norm", "weight_norm", "update_ratio",
              "sparsity", "act_mean", "act_std", "act_saturated", "act_dead")


def sqrt0(x):
    """√x, with a rounding error below zero read as 0, and None or NaN kept as they are."""
    if x is None:
        return None
    return math.sqrt(x) if x >= 0 else (0.0 if x < 0 else math.nan)


def _mul(a, b):
    return None if a is None or b is None else a * b


def _act_stats(slots, get):
    """(mean, std) of a_l over every call, from Σa and Σa² (population variance, as the
    engine's)."""
    if not slots["act"]:
        return None, None
    n = slots["a_n"]
    s1 = sum(get(s) for s, _ in slots["act"])
    s2 = sum(get(s) for _, s in slots["act"])
    mean = s1 / n
    return mean, sqrt0(s2 / n - mean * mean)


def _update_ratio(slots, get, wn):
    if "update_sq" not in slots:
        return None
    if not math.isfinite(wn):
        return math.nan
    return sqrt0(get(slots["update_sq"])) / wn if wn > 0 else 0.0


def layer_values(slots, get, inv):
    """The LAYER_KEYS values of one layer (None where not known); @inv undoes a GradScaler."""
    numel = slots["numel"]
    wn = sqrt0(get(slots["weight_sq"]))
    grad_abs = _mul(get(slots.get("grad_abs")), inv)
    delta = None
    if slots["delta"]:
        delta = sqrt0(sum(get(d) for d in slots["delta"])) * inv
    sparsity = 1.0 - get(slots["kept"]) / numel if "kept" in slots else 0.0
    ran = bool(slots["act"]) or "alive" in slots or "sat" in slots
    act_mean, act_std = _act_stats(slots, get)
    saturated = dead = None
    if ran:
        saturated = 0.0
        if "sat" in slots and slots["z_n"]:
            saturated = sum(get(s) for s in slots["sat"]) / slots["z_n"]
        dead = 0.0
        if "alive" in slots and slots["units"]:
            dead = (slots["units"] - get(slots["alive"])) / slots["units"]
    return (_mul(sqrt0(get(slots.get("grad_sq"))), inv),
            None if grad_abs is None else grad_abs / numel, delta, wn,
            _update_ratio(slots, get, wn), sparsity, act_mean, act_std, saturated, dead)


def global_grad_norm(fin, get, inv):
    """‖∂L/∂θ‖ over every parameter: the watched weights' and the other parameters' Σg² (None
    when no gradient was seen)."""
    squares = [get(s["grad_sq"]) for s in fin["layers"] if "grad_sq" in s]
    squares += [get(sq) for sq in fin["rest_sq"]]
    return _mul(sqrt0(sum(squares)), inv) if squares else None


def sparsity_counts(layer_slots, get):
    """(pruned, all) weights of the watched layers."""
    pruned = total = 0
    for slots in layer_slots:
        total += slots["numel"]
        if "kept" in slots:
            pruned += slots["numel"] - get(slots["kept"])
    return pruned, total


def line(values, per_layer, test=None):
    """The JSON text of a row: @values maps GLOBAL_KEYS to numbers or None, @per_layer is one
    LAYER_KEYS tuple per layer, @test (test_loss, test_accuracy) or None."""
    parts = ['"step":%d' % values["step"], '"epoch":%d' % values["epoch"]]
    parts += ['"%s":%s' % (k, json_number(values.get(k))) for k in GLOBAL_KEYS[2:]]
    if test is not None:
        parts += ['"%s":%s' % (k, json_number(v)) for k, v in zip(TEST_KEYS, test)]
    for i, k in enumerate(LAYER_KEYS):
        parts.append('"%s":[%s]' % (k, ",".join(json_number(lv[i]) for lv in per_layer)))
    return "{" + ",".join(parts) + "}\n"
