"""What the end-to-end step needs: a virtual environment with the frontends, and a wheelhouse.

The frontends (``build`` and ``uv``, pinned) run from one virtual environment created
from the running interpreter and reused, like the backends' (``OUT/frontends/``). The
wheelhouse (``OUT/wheelhouse/``) holds every backend's wheel and its dependencies, so
that each frontend can fill its isolated build environment with no index: fletching's
wheel built from this repository (again whenever its source changes) with whatever its
Requires-Dist asks for, and the other backends at their pins, from the index once.
Wheels only: an sdist there would have to be built, and timed, too.
"""

from __future__ import annotations

import json
import shutil
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from bench_envs import (
    BIN,
    EXE,
    Backend,
    clean_environ,
    interpreter_identity,
    read_stamp,
    run_command,
    source_digest,
)

FRONTENDS = ("build==1.6.1", "uv==0.13.9")
# Reported with the frontends: build fills its isolated environments with this pip.
_REPORTED = ("build", "uv", "pip")
_STAMP = "bench-env.json"


@dataclass(frozen=True)
class Frontends:
    root: Path
    wheelhouse: Path
    versions: dict[str, str]  # distribution: version, of _REPORTED as installed
    wheels: tuple[str, ...]  # the wheelhouse's file names

    @property
    def python(self) -> Path:
        return self.root / BIN / f"python{EXE}"

    @property
    def uv(self) -> Path:
        return self.root / BIN / f"uv{EXE}"

    def backend_version(self, backend: Backend) -> str:
        """The version of the backend's wheel in the wheelhouse."""
        wanted = _normalise(backend.distribution)
        found = [
            name.split("-")[1] for name in self.wheels if _normalise(name.split("-")[0]) == wanted
        ]
        return ", ".join(sorted(found)) or "missing"


def prepare_frontends(out: Path, repo: Path, backends: Sequence[Backend]) -> Frontends:
    """Create (or reuse) the frontends' environment, and fill the wheelhouse."""
    root = out / "frontends"
    base = {"python": interpreter_identity(), "requirements": list(FRONTENDS)}
    if read_stamp(root / _STAMP) != base:
        _log(f"creating the frontends' environment ({', '.join(FRONTENDS)}) in {root}")
        shutil.rmtree(root, ignore_errors=True)
        run_command([sys.executable, "-m", "venv", root], env=clean_environ())
        _pip(root, "install", *FRONTENDS)
        (root / _STAMP).write_text(json.dumps(base, indent=2))
    wheelhouse = out / "wheelhouse"
    _fill_wheelhouse(root, wheelhouse, out / "wheelhouse.json", repo, backends)
    return Frontends(
        root,
        wheelhouse,
        _versions(root),
        tuple(sorted(path.name for path in wheelhouse.glob("*.whl"))),
    )


def _fill_wheelhouse(
    root: Path, wheelhouse: Path, stamp_path: Path, repo: Path, backends: Sequence[Backend]
) -> None:
    """Download what a backend needs unless the stamp says it is there already (fletching:
    built from the same source)."""
    stamp = read_stamp(stamp_path)
    if stamp.get("python") != interpreter_identity():
        shutil.rmtree(wheelhouse, ignore_errors=True)
        stamp = {"python": interpreter_identity(), "backends": {}}
    filled = stamp.get("backends")
    filled = dict(filled) if isinstance(filled, dict) else {}
    wheelhouse.mkdir(parents=True, exist_ok=True)
    for backend in backends:
        key = source_digest(repo) if backend.from_repository else backend.requirement
        if filled.get(backend.name) == key:
            continue
        _log(f"putting {backend.name} and its dependencies in the wheelhouse {wheelhouse}")
        if backend.from_repository:
            _add_fletching(root, wheelhouse, repo)
        else:
            _download(root, wheelhouse, backend.requirement)
        filled[backend.name] = key
        stamp_path.write_text(json.dumps({**stamp, "backends": filled}, indent=2))


def _add_fletching(root: Path, wheelhouse: Path, repo: Path) -> None:
    for old in wheelhouse.glob("fletching-*.whl"):
        old.unlink()
    with tempfile.TemporaryDirectory() as wheels:
        _pip(root, "wheel", "--no-deps", "--wheel-dir", wheels, repo)
        (wheel,) = Path(wheels).glob("fletching-*.whl")
        # pip copies the wheel itself into the wheelhouse, with what it requires.
        _download(root, wheelhouse, wheel)
    if not any(wheelhouse.glob("fletching-*.whl")):
        raise SystemExit(f"bench: pip left no fletching wheel in {wheelhouse}")


def _download(root: Path, wheelhouse: Path, requirement: str | Path) -> None:
    _pip(root, "download", "--only-binary", ":all:", "--dest", wheelhouse, requirement)


_VERSIONS = """\
import importlib.metadata, json, sys
print(json.dumps({name: importlib.metadata.version(name) for name in sys.argv[1:]}))
"""


def _versions(root: Path) -> dict[str, str]:
    python = root / BIN / f"python{EXE}"
    # cwd is the environment: ``-c`` puts the cwd first on sys.path.
    done = run_command([python, "-c", _VERSIONS, *_REPORTED], env=clean_environ(), cwd=root)
    found: dict[str, str] = json.loads(done.stdout)
    return found


def _normalise(name: str) -> str:
    return name.lower().replace("-", "_").replace(".", "_")


def _pip(root: Path, *args: str | Path) -> None:
    python = root / BIN / f"python{EXE}"
    run_command(
        [python, "-m", "pip", "--disable-pip-version-check", "-q", *args], env=clean_environ()
    )


def _log(message: str) -> None:
    print(f"bench: {message}", file=sys.stderr, flush=True)
