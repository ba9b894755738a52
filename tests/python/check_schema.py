#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The files' form, as docs/run-directory.md states it: every row has exactly the document's
keys in its order (test keys only after an evaluation), one value per key, per-layer keys as
arrays of n_layers, numbers or null and nothing else, null where a value is not finite (a step
that diverges to NaN), every line complete; pandas.read_json(lines=True) reads the file when
pandas is installed. run.ini and heavy.ini are what GLib's GKeyFile reads: only [section],
'key = value' lines, lists separated by ';', no quotes, no inline comments, the required keys
with values of the right type, sections in order."""
import json
import math
import os
import re

import torch
from torch import nn

from watchtest import (LAYER_KEYS, ROW_KEYS, check, ini, ints, run_check,  # sets the path
                       tempdir, train_step)

import gradlab_watch  # noqa: E402

RUN_KEYS = ("format", "writer", "writer_id", "started", "model", "input_shape", "classes",
            "rank", "world_size", "log_every", "heavy_every", "local_batch")
LAYER_SECTION_KEYS = ("name", "kind", "shape", "bias", "activation")
HEAVY_KEYS = ("act_lo", "act_hi", "act_counts", "act_nonfinite", "grad_lo", "grad_hi",
              "grad_counts", "grad_nonfinite")


def keyfile_lines(path):
    """Checks the GKeyFile form line by line; returns the section names in order."""
    sections = []
    with open(path, encoding="utf-8") as f:
        text = f.read()
    check(text.endswith("\n"), "%s: no final newline" % path)
    for n, line in enumerate(text.split("\n")[:-1], 1):
        where = "%s:%d: %r" % (path, n, line)
        if line == "" or line.startswith("#"):
            continue
        m = re.match(r"^\[([A-Za-z0-9_]+)\]$", line)
        if m:
            sections.append(m.group(1))
            continue
        m = re.match(r"^([a-z_]+) = ?(.*)$", line)
        check(m is not None, "%s is neither a section nor key = value" % where)
        value = m.group(2)
        check(value == value.strip(), "%s: blanks around the value" % where)
        check('"' not in value and "'" not in value, "%s: quotes" % where)
        check(" #" not in value, "%s: an inline comment" % where)
    return sections


def check_manifest(path, n_layers):
    sections = keyfile_lines(path)
    want = ["run"] + ["layer%d" % l for l in range(n_layers)] + ["other"]
    check(sections == want, "run.ini sections %s, want %s" % (sections, want))
    man = ini(path)
    run = man["run"]
    check(tuple(run.keys()) == RUN_KEYS, "[run] keys %s" % list(run.keys()))
    check(run["format"] == "1", "format %s" % run["format"])
    check(re.match(r"^gradlab_watch [0-9.]+ \(torch [^)]+\)$", run["writer"]), "writer")
    check(re.match(r"^[0-9a-f]{16}$", run["writer_id"]), "writer_id %s" % run["writer_id"])
    check(re.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$", run["started"]), "started")
    for key in ("classes", "rank", "world_size", "log_every", "heavy_every"):
        check(run[key].isdigit(), "[run] %s = %s is not a whole number" % (key, run[key]))
    check(run["local_batch"] in ("true", "false"), "local_batch %s" % run["local_batch"])
    ints(run["input_shape"])
    for l in range(n_layers):
        sec = man["layer%d" % l]
        keys = [k for k in sec.keys() if k != "kernel"]
        check(tuple(keys) == LAYER_SECTION_KEYS, "[layer%d] keys %s" % (l, list(sec.keys())))
        check(sec["kind"] in ("linear", "conv1d", "conv2d", "conv3d"), "kind %s" % sec["kind"])
        check(len(ints(sec["shape"])) == 2, "shape %s" % sec["shape"])
        check(("kernel" in sec) == sec["kind"].startswith("conv"), "kernel of a %s" % sec["kind"])
        check(sec["bias"] in ("true", "false"), "bias %s" % sec["bias"])
    params = man["other"]["parameters"].split(";")
    check(all(re.match(r"^[\w.]+ \([0-9,]+\)$", p) for p in params),
          "[other] parameters = %s" % man["other"]["parameters"])


def check_rows(path, n_layers):
    with open(path, encoding="utf-8") as f:
        text = f.read()
    check(text.endswith("\n"), "rows.jsonl: last line incomplete")
    rows = []
    for n, line in enumerate(text.split("\n")[:-1], 1):
        pairs = json.loads(line, object_pairs_hook=lambda p: p)
        keys = [k for k, _ in pairs]
        check(len(keys) == len(set(keys)), "line %d: a key twice: %s" % (n, keys))
        row = dict(pairs)
        test = ("test_loss", "test_accuracy") if "test_loss" in row else ()
        want = list(ROW_KEYS) + list(test) + list(LAYER_KEYS)
        check(keys == want, "line %d keys %s, want %s" % (n, keys, want))
        check(isinstance(row["step"], int) and isinstance(row["epoch"], int), "line %d step" % n)
        for k in keys:
            vals = row[k] if k in LAYER_KEYS else [row[k]]
            if k in LAYER_KEYS:
                check(isinstance(row[k], list) and len(row[k]) == n_layers,
                      "line %d: %s is not an array of %d" % (n, k, n_layers))
            for v in vals:
                check(v is None or (isinstance(v, (int, float)) and not isinstance(v, bool)
                                    and math.isfinite(v)), "line %d: %s holds %r" % (n, k, v))
        rows.append(row)
    return rows


def read_with_pandas(path, n_rows):
    try:
        import pandas
    except ImportError:
        print("pandas is not installed: rows.jsonl was read with the json module only")
        return
    frame = pandas.read_json(path, lines=True)
    check(len(frame) == n_rows, "pandas read %d rows, want %d" % (len(frame), n_rows))


def main():
    torch.manual_seed(6)
    model = nn.Sequential(nn.Conv1d(2, 4, 3), nn.Tanh(), nn.Flatten(), nn.BatchNorm1d(24),
                          nn.Linear(24, 5))
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    with tempdir() as t:
        run = gradlab_watch.watch(model, t, optimizer=opt, log_every=2, heavy_every=4)
        for s in range(1, 9):
            x, y = torch.randn(16, 2, 8), torch.randint(0, 5, (16,))
            if s == 8:
                with torch.no_grad():
                    model[4].weight[0, 0] = math.nan   # this step diverges
            train_step(model, opt, run, x, y)
            if s in (3, 4):
                run.eval(loss=1.0, accuracy=0.5)
        run.close()
        check_manifest(os.path.join(t, "run.ini"), 2)
        rows = check_rows(os.path.join(t, "rows.jsonl"), 2)
        check([r["step"] for r in rows] == [2, 3, 4, 6, 8], "steps %s" % [r["step"] for r in rows])
        check(rows[-1]["loss"] is None and rows[-1]["grad_norm"][1] is None,
              "a NaN step must write null: %s" % rows[-1])
        check(rows[-2]["loss"] is not None, "a finite step wrote null")
        read_with_pandas(os.path.join(t, "rows.jsonl"), len(rows))
        path = os.path.join(t, "heavy", "000004", "heavy.ini")
        check(keyfile_lines(path) == ["heavy", "layer0", "layer1"], "heavy.ini sections")
        h = ini(path)
        for l in range(2):
            sec = h["layer%d" % l]
            check(tuple(sec.keys()) == HEAVY_KEYS, "heavy.ini layer%d keys %s" % (l, list(sec)))
            for k in ("act_counts", "grad_counts"):
                check(len(ints(sec[k])) == 48, "%s has %d bins" % (k, len(ints(sec[k]))))
            check(float(sec["act_lo"]) < float(sec["act_hi"]), "act range")
        check(float(h["layer0"]["act_lo"]) == -1.0, "tanh's fixed range")
    print("rows, run.ini and heavy.ini have the documented form")


if __name__ == "__main__":
    run_check(main)
