#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""What meson installs is the whole module: python/meson.build lists every file of
python/gradlab_watch, and those files alone, copied into an empty folder, import and write a
run directory (a file missing from the list would be missing from every installed copy)."""
import os
import re
import shutil

from watchtest import PYTHON_DIR, check, child, run_check, status, tempdir

USE = r"""
import sys, torch
import gradlab_watch
assert gradlab_watch.__file__.startswith(sys.argv[2]), gradlab_watch.__file__
model = torch.nn.Linear(3, 2)
run = gradlab_watch.watch(model, sys.argv[1], log_every=1, heavy_every=1)
model(torch.randn(4, 3)).sum().backward()
run.step()
run.close()
"""


def main():
    with open(os.path.join(PYTHON_DIR, "meson.build"), encoding="utf-8") as f:
        listed = re.findall(r"'gradlab_watch/([^']+\.py)'", f.read())
    present = sorted(n for n in os.listdir(os.path.join(PYTHON_DIR, "gradlab_watch"))
                     if n.endswith(".py"))
    check(sorted(listed) == present,
          "python/meson.build installs %s, the module has %s" % (sorted(listed), present))
    with tempdir() as t:
        site = os.path.join(t, "site")
        os.makedirs(os.path.join(site, "gradlab_watch"))
        for name in listed:
            shutil.copy(os.path.join(PYTHON_DIR, "gradlab_watch", name),
                        os.path.join(site, "gradlab_watch", name))
        code, out, err = child(USE, os.path.join(t, "run"), site, module_dir=site)
        check(code == 0, "the installed files do not work:\n%s%s" % (out, err))
        check(status(os.path.join(t, "run")) == "finished", "no finished run")
    print("meson installs every file of gradlab_watch")


if __name__ == "__main__":
    run_check(main)
