"""Print the sha256 of the wheel and sdist fletching builds for every known project.

For refactors that must not change a byte: run it on a checkout before and after,
and compare the two outputs (``diff`` or a JSON comparison)::

    python tests/snapshot.py /path/to/checkout > before.json

It builds every sample (tests/samples/), every example (examples/) and every
corpus sdist already in the corpus cache (``FLETCHING_CORPUS_CACHE``, else
``~/.cache/fletching-corpus``; the end-to-end corpus test fills it), each in a
fresh subprocess importing the checkout's fletching, with no SOURCE_DATE_EPOCH.
A project that fails to build is recorded with the last line of its error.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

_BUILD = """
import json, os, sys
sys.path.insert(0, sys.argv[1])
os.chdir(sys.argv[2])
from fletching import buildapi
print(json.dumps([buildapi.build_wheel(sys.argv[3]), buildapi.build_sdist(sys.argv[3])]))
"""


def projects(checkout: Path, unpacked: Path) -> dict[str, Path]:
    found = {}
    for kind, folder in (
        ("sample", checkout / "tests" / "samples"),
        ("example", checkout / "examples"),
    ):
        for path in sorted(folder.iterdir()):
            if (path / "pyproject.toml").is_file():
                found[f"{kind}:{path.name}"] = path
    cache = Path(
        os.environ.get("FLETCHING_CORPUS_CACHE") or Path.home() / ".cache/fletching-corpus"
    )
    for sdist in sorted(cache.glob("*.tar.gz")):
        target = unpacked / sdist.name
        target.mkdir(parents=True)
        with tarfile.open(sdist) as tf:
            if hasattr(tarfile, "data_filter"):
                tf.extractall(target, filter="data")
            else:  # pragma: no cover - Pythons without PEP 706
                tf.extractall(target)
        (top,) = [p for p in target.iterdir() if p.is_dir()]
        found[f"corpus:{sdist.name}"] = top
    return found


def build(checkout: Path, source: Path, work: Path) -> dict[str, str]:
    project = work / "project"
    shutil.copytree(source, project, symlinks=True, ignore=shutil.ignore_patterns("__pycache__"))
    out = work / "out"
    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    command = [sys.executable, "-c", _BUILD, str(checkout), str(project), str(out)]
    result = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    if result.returncode:
        lines = result.stderr.strip().splitlines()
        return {"error": lines[-1] if lines else f"exit status {result.returncode}"}
    names = json.loads(result.stdout.strip().splitlines()[-1])
    return {name: hashlib.sha256((out / name).read_bytes()).hexdigest() for name in names}


def main(checkout: str) -> int:
    root = Path(checkout).resolve()
    with tempfile.TemporaryDirectory() as tmp:
        found = projects(root, Path(tmp) / "unpacked")
        result = {
            name: build(root, source, Path(tmp) / "builds" / str(index))
            for index, (name, source) in enumerate(found.items())
        }
    print(json.dumps(result, indent=1, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "."))
