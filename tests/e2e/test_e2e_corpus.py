"""Real projects from the package index that flit_core 4.2 builds: fletching builds them too.

tests/e2e/corpus.txt pins each project's sdist (name==version and its sha256). The
sdists are fetched once with pip into a cache (``FLETCHING_CORPUS_CACHE``, else
``~/.cache/fletching-corpus``) and checked against the pins. Each one is unpacked and
built, from separate copies, with flit_core 4.2 and with fletching; the wheels, the
sdists and the files the wheels install are reduced to facts and compared with the
same list of deliberate differences as the samples (tests/flit_differences.py).
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from e2e_support import unpack_sdist
from flit_compare import compare, installed_facts, load_toml, sdist_facts, wheel_facts
from flit_differences import Case
from helpers import build_sdist, build_wheel, validate_sdist, validate_wheel

pytestmark = pytest.mark.e2e

CORPUS = Path(__file__).with_name("corpus.txt")
_PIN = re.compile(
    r"^(?P<name>[A-Za-z0-9._-]+)==(?P<version>\S+)\s+--hash=sha256:(?P<hash>[0-9a-f]{64})"
)


def _pins() -> list[tuple[str, str, str]]:
    pins = []
    for line in CORPUS.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            match = _PIN.match(line)
            assert match, f"corpus.txt: cannot read {line!r}"
            pins.append((match["name"], match["version"], match["hash"]))
    return pins


PINS = _pins()


def _cache() -> Path:
    folder = os.environ.get("FLETCHING_CORPUS_CACHE") or Path.home() / ".cache/fletching-corpus"
    path = Path(folder)
    path.mkdir(parents=True, exist_ok=True)
    return path


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def sdists() -> dict[str, Path]:
    """Every pinned sdist, fetched once (pip checks the hashes) and reused."""
    cache = _cache()
    known = {_sha256(p): p for p in cache.glob("*.tar.gz")}
    missing = [(n, v, h) for n, v, h in PINS if h not in known]
    if missing:
        # Into a folder of this process's own, then moved in file by file: the two
        # end-to-end environments may fill the same cache at the same time.
        with tempfile.TemporaryDirectory(dir=cache) as tmp:
            requirements = Path(tmp) / "requirements.txt"
            requirements.write_text("".join(f"{n}=={v} --hash=sha256:{h}\n" for n, v, h in missing))
            # No build isolation: pip reads each sdist's metadata with the flit_core this
            # environment already has, instead of installing it 140 times from the index.
            command = [sys.executable, "-m", "pip", "download", "--no-deps", "--no-binary", ":all:"]
            # Pinned files, whatever Python runs the tests: building them needs no
            # particular Python, and the pins are what pip checks.
            command += ["--no-build-isolation", "--require-hashes", "--ignore-requires-python"]
            command += ["--disable-pip-version-check", "--dest", tmp, "-r", str(requirements)]
            result = subprocess.run(command, capture_output=True, text=True, check=False)
            assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
            for sdist in Path(tmp).glob("*.tar.gz"):
                os.replace(sdist, cache / sdist.name)
        known = {_sha256(p): p for p in cache.glob("*.tar.gz")}
    return {f"{n}=={v}": known[h] for n, v, h in PINS}


def _flit_build(project: Path, kind: str, out: Path) -> Path:
    """flit_core's hook in a subprocess, as a frontend calls it: where flit_core imports
    the module for its version, it must not import it into the test process."""
    from pyproject_hooks import BuildBackendHookCaller, quiet_subprocess_runner

    out.mkdir(parents=True)
    hooks = BuildBackendHookCaller(
        str(project),
        "flit_core.buildapi",
        runner=quiet_subprocess_runner,
        python_executable=sys.executable,
    )
    name = hooks.build_wheel(str(out)) if kind == "wheel" else hooks.build_sdist(str(out))
    return out / name


@pytest.mark.parametrize("pin", [f"{n}=={v}" for n, v, _ in PINS])
def test_a_real_project_builds_as_flit_core_builds_it(
    pin: str, sdists: dict[str, Path], tmp_path: Path
) -> None:
    source = unpack_sdist(sdists[pin], tmp_path / "unpacked")
    case = Case(pin, load_toml((source / "pyproject.toml").read_text(encoding="utf-8")))
    # Separate copies: flit_core may import the module in-process and write bytecode.
    for kind in ("wheel", "sdist"):
        # symlinks=True: links stay links, as they are in the sdist.
        theirs = shutil.copytree(source, tmp_path / kind / "flit", symlinks=True)
        ours = shutil.copytree(source, tmp_path / kind / "fletching", symlinks=True)
        flit = _flit_build(theirs, kind, tmp_path / kind / "flit-out")
        (tmp_path / kind / "out").mkdir()
        if kind == "wheel":
            mine = build_wheel(ours, tmp_path / kind / "out")
            validate_wheel(mine)
            compare(case, "wheel", wheel_facts(flit), wheel_facts(mine))
            installed = tmp_path / "installed"
            compare(
                case,
                "install",
                installed_facts(flit, installed / "flit"),
                installed_facts(mine, installed / "fletching"),
            )
        else:
            mine = build_sdist(ours, tmp_path / kind / "out")
            validate_sdist(mine)
            compare(case, "sdist", sdist_facts(flit), sdist_facts(mine))


def test_the_corpus_is_large_and_each_project_pinned_once() -> None:
    names = [name.lower() for name, _, _ in PINS]
    assert len(names) >= 60
    assert len(set(names)) == len(names)
