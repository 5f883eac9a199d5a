"""One virtual environment per backend, created from the running interpreter and reused.

fletching is built from this repository by its own backend (``pip wheel`` honours
``backend-path``); the others come from the package index at pinned versions.
Every environment also gets ``pyproject_hooks``, as a frontend's build env has.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

BIN = "Scripts" if os.name == "nt" else "bin"
EXE = ".exe" if os.name == "nt" else ""

PEP517_HOOKS = (
    "get_requires_for_build_wheel",
    "prepare_metadata_for_build_wheel",
    "build_wheel",
    "build_sdist",
    "build_editable",
)
# pip's way to a wheel: prepare_metadata_for_build_wheel, then build_wheel given the
# folder it wrote (PEP 517's metadata_directory). Only the build_wheel call is timed.
AFTER_PREPARE = "build_wheel (metadata_directory)"
HOOKS = (*PEP517_HOOKS, AFTER_PREPARE)
_NEEDS = {AFTER_PREPARE: ("prepare_metadata_for_build_wheel", "build_wheel")}

# Variables that would change how the child interpreter or a backend behaves, so that
# each backend runs with its defaults (PIP_BUILD_TRACKER hides hatchling's
# prepare_metadata hooks; SOURCE_DATE_EPOCH changes what some backends do).
_DROPPED_PREFIXES = ("PYTHON", "_PYPROJECT_HOOKS_")
_DROPPED = ("VIRTUAL_ENV", "SOURCE_DATE_EPOCH", "FLETCHING_EXPLAIN", "PIP_BUILD_TRACKER")


@dataclass(frozen=True)
class Backend:
    name: str
    module: str  # the build-backend string
    requirement: str  # for [build-system] requires, and for pip when from the index
    distribution: str

    @property
    def from_repository(self) -> bool:
        return self.name == "fletching"


BACKENDS: dict[str, Backend] = {
    backend.name: backend
    for backend in (
        Backend("fletching", "fletching.buildapi", "fletching", "fletching"),
        Backend("flit_core", "flit_core.buildapi", "flit_core==4.2.0", "flit_core"),
        Backend("hatchling", "hatchling.build", "hatchling==1.33.0", "hatchling"),
        Backend("uv_build", "uv_build", "uv_build==0.13.6", "uv_build"),
    )
}


@dataclass(frozen=True)
class Env:
    backend: Backend
    root: Path
    version: str
    hooks: tuple[str, ...]  # the hooks of PEP517_HOOKS that the backend defines

    def supports(self, hook: str) -> bool:
        """Whether the backend defines every hook that ``hook`` (of HOOKS) calls."""
        return all(name in self.hooks for name in _NEEDS.get(hook, (hook,)))

    @property
    def python(self) -> Path:
        return self.root / BIN / f"python{EXE}"

    def child_environ(self) -> dict[str, str]:
        """The environment a frontend gives a hook: the build env's scripts first on PATH
        (uv_build finds its ``uv-build`` binary there), nothing that alters Python."""
        environ = clean_environ()
        environ["PATH"] = os.pathsep.join([str(self.root / BIN), environ.get("PATH", "")])
        return environ

    def run_python(self, *args: str) -> subprocess.CompletedProcess[str]:
        """Run the environment's interpreter in its own folder, so that ``-c`` (which puts
        the working directory first on sys.path) cannot import this repository's fletching."""
        return run_command([self.python, *args], env=self.child_environ(), cwd=self.root)


def clean_environ() -> dict[str, str]:
    """This process's environment less what would change how Python or a backend behaves
    (tox sets PYTHONDONTWRITEBYTECODE, for one, which would leave pip's installs and the
    first imports without bytecode)."""
    return {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(_DROPPED_PREFIXES) and key not in _DROPPED
    }


class SetupFailed(RuntimeError):
    pass


def run_command(
    cmd: Sequence[str | Path], env: Mapping[str, str] | None = None, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    """Run a command; on failure show it with its output."""
    args = [os.fspath(arg) for arg in cmd]
    result = subprocess.run(
        args,
        cwd=cwd,
        env=None if env is None else dict(env),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise SetupFailed(f"{' '.join(args)} exited {result.returncode}:\n{result.stderr[-4000:]}")
    return result


def interpreter_identity() -> str:
    return f"{os.path.realpath(sys.executable)} {sys.version}"


def source_digest(repo: Path) -> str:
    """What fletching's wheel is built from: a changed source means a reinstall."""
    digest = hashlib.sha256()
    paths = [repo / "pyproject.toml", *sorted((repo / "fletching").rglob("*"))]
    for path in paths:
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(path.relative_to(repo).as_posix().encode() + b"\0")
            digest.update(path.read_bytes())
    return digest.hexdigest()


_STAMP = "bench-env.json"


def prepare(backend: Backend, envs_root: Path, repo: Path) -> Env:
    """Create (or reuse) the backend's environment and probe it."""
    root = envs_root / backend.name
    base = {"python": interpreter_identity(), "requirement": backend.requirement}
    source = source_digest(repo) if backend.from_repository else ""
    stamp = read_stamp(root / _STAMP)
    if stamp.get("base") != base:
        _log(f"creating the {backend.name} environment in {root}")
        _create(root, backend)
        stamp = {"base": base, "source": "", "build_requirements": []}
    if backend.from_repository and stamp.get("source") != source:
        _log("building fletching's wheel from the repository and installing it")
        _install_fletching(root, repo)
    _write_stamp(root, {**stamp, "source": source})
    return _probe(backend, root)


def install_build_requirements(env: Env, requirements: Sequence[str]) -> None:
    """Install what the backend's get_requires_for_build_* hooks asked for, as a frontend
    would (hatchling needs ``editables`` for an editable wheel)."""
    if not requirements:
        return
    stamp = read_stamp(env.root / _STAMP)
    installed = stamp.get("build_requirements")
    if not isinstance(installed, list) or set(requirements) - set(installed):
        _log(f"installing {', '.join(requirements)} for {env.backend.name}")
        _pip(env.root, "install", *requirements)
        _write_stamp(env.root, {**stamp, "build_requirements": sorted(requirements)})


def _write_stamp(root: Path, stamp: Mapping[str, object]) -> None:
    (root / _STAMP).write_text(json.dumps(stamp, indent=2))


def read_stamp(path: Path) -> dict[str, object]:
    try:
        stamp = json.loads(path.read_text())
    except (OSError, ValueError):
        return {}
    return stamp if isinstance(stamp, dict) else {}


def _pip(root: Path, *args: str | Path) -> str:
    python = root / BIN / f"python{EXE}"
    command = [python, "-m", "pip", "--disable-pip-version-check", "-q", *args]
    return run_command(command, env=clean_environ()).stdout


def _create(root: Path, backend: Backend) -> None:
    shutil.rmtree(root, ignore_errors=True)
    run_command([sys.executable, "-m", "venv", root], env=clean_environ())
    requirements = ["pyproject_hooks"]
    if not backend.from_repository:
        requirements.append(backend.requirement)
    _pip(root, "install", *requirements)


def _install_fletching(root: Path, repo: Path) -> None:
    with tempfile.TemporaryDirectory() as wheels:
        _pip(root, "wheel", "--no-deps", "--wheel-dir", wheels, repo)
        (wheel,) = Path(wheels).glob("fletching-*.whl")
        _pip(root, "install", "--force-reinstall", wheel)


_PROBE = """\
import importlib, importlib.metadata, json, sys
module = importlib.import_module(sys.argv[1])
hooks = [name for name in sys.argv[3:] if callable(getattr(module, name, None))]
print(json.dumps({"version": importlib.metadata.version(sys.argv[2]), "hooks": hooks}))
"""


def _probe(backend: Backend, root: Path) -> Env:
    """Which hooks the backend defines, and its version, as installed."""
    env = Env(backend, root, "", ())
    # cwd is the environment, not the repository: ``-c`` puts the cwd first on sys.path.
    out = env.run_python("-c", _PROBE, backend.module, backend.distribution, *PEP517_HOOKS)
    found = json.loads(out.stdout)
    return Env(backend, root, str(found["version"]), tuple(found["hooks"]))


def _log(message: str) -> None:
    print(f"bench: {message}", file=sys.stderr, flush=True)
