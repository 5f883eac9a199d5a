"""The end-to-end step: what a user waits for, ``python -m build`` or ``uv build``, per backend.

Each frontend installs the backend the normal way, into an isolated build environment of
its own, but from the wheelhouse alone (bench_frontends.py): build's pip is given
``PIP_NO_INDEX`` and ``PIP_FIND_LINKS``, uv ``--no-index --find-links``, and neither
reads a user's configuration (``PIP_CONFIG_FILE`` is the null device, ``UV_NO_CONFIG``
is set). Every run gets a fresh copy of the project in a new temporary folder, with its
output folder there too, so that nothing a run leaves behind reaches the next one.

uv keeps one cache (``OUT/e2e/uv-cache``) for the whole step: emptied when the step
starts, warmed by the warm-up, then the same for every backend. The warm-up is one run
of each command with each backend; then, in each round, every command with the backends
in a shuffled (seeded) order. The launcher (bench_launcher.py) starts each command and
gives its wall time, what a user waits for; a command that exits with an error, or does
not leave exactly the artefacts it should, stops the benchmark.

Everything runs twice, under each of ``CONDITIONS``: as users have it (Python writes
bytecode, so a hook compiles what it imports once and the next hook in the same
environment reuses it), and with ``PYTHONDONTWRITEBYTECODE=1``, as on machines that set
it (every hook compiles every module it imports). Where ``strace`` is installed, each
timed run is followed by a traced one that splits the run into its phases
(bench_phases.py): installing the backend, each hook's process, the frontend's own part.
"""

from __future__ import annotations

import contextlib
import os
import random
import shutil
import sys
import tarfile
import tempfile
import time
import zipfile
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from bench_envs import BIN, Backend, clean_environ
from bench_frontends import Frontends
from bench_measure import Launcher, Sample
from bench_phases import run_traced, strace

WHEEL, SDIST = ".whl", ".tar.gz"


@dataclass(frozen=True)
class Command:
    label: str  # as a user types it, less the paths
    frontend: str  # "build" or "uv"
    flags: tuple[str, ...]
    artefacts: tuple[str, ...]  # the suffixes of what it must leave, one file each

    def argv(self, frontends: Frontends, source: Path, out: Path) -> list[str]:
        if self.frontend == "build":
            build = [str(frontends.python), "-m", "build", *self.flags]
            return [*build, "--outdir", str(out), str(source)]
        # Python for the build environment: the one build's come from.
        uv = [str(frontends.uv), "build", *self.flags, "--python", str(frontends.python)]
        index = ["--no-index", "--find-links", str(frontends.wheelhouse)]
        return [*uv, *index, "--out-dir", str(out), str(source)]


COMMANDS = (
    # An sdist, then a wheel built from it, each in an isolated environment of its own.
    Command("python -m build", "build", (), (SDIST, WHEEL)),
    Command("python -m build --wheel", "build", ("--wheel",), (WHEEL,)),
    Command("uv build --wheel", "uv", ("--wheel",), (WHEEL,)),
)


# (label, what it adds to the frontends' environment); the first is what users have.
CONDITIONS: tuple[tuple[str, dict[str, str]], ...] = (
    ("bytecode written", {}),
    ("PYTHONDONTWRITEBYTECODE=1", {"PYTHONDONTWRITEBYTECODE": "1"}),
)
USERS = CONDITIONS[0][0]

Key = tuple[str, str, str]  # (condition, command label, backend)


class E2EFailed(RuntimeError):
    pass


def frontend_environ(frontends: Frontends, uv_cache: Path) -> dict[str, str]:
    """The benchmark's clean environment, with no PIP_ or UV_ setting of the user's, and
    the frontends' folder first on PATH as in an activated virtual environment."""
    environ = {
        key: value for key, value in clean_environ().items() if not key.startswith(("PIP_", "UV_"))
    }
    environ["PATH"] = os.pathsep.join([str(frontends.root / BIN), environ.get("PATH", "")])
    environ.update(
        PIP_NO_INDEX="1",
        PIP_FIND_LINKS=str(frontends.wheelhouse),
        PIP_CONFIG_FILE=os.devnull,  # pip then reads no configuration file at all
        PIP_DISABLE_PIP_VERSION_CHECK="1",
        UV_CACHE_DIR=str(uv_cache),
        UV_NO_CONFIG="1",
        UV_PYTHON_DOWNLOADS="never",
    )
    return environ


def setup_notes(
    frontends: Frontends, backends: Sequence[Backend], uv_cache: Path, repeat: int
) -> dict[str, str]:
    """How the step ran, for the report."""
    versions = frontends.versions
    notes = {
        "frontends": f"build {versions['build']} (its isolated environments filled by pip "
        f"{versions['pip']}), uv {versions['uv']}",
        "wheelhouse": f"{frontends.wheelhouse}: {', '.join(frontends.wheels)}",
        "uv_cache": str(uv_cache),
        "rounds": f"{repeat} round(s) after one warm-up run of each command with each backend,"
        f" under each condition ({', '.join(label for label, _ in CONDITIONS)})",
        "phases": "from a traced run after each timed one (strace -f, execve and exit_group)"
        if strace()
        else "not measured: strace is not installed",
    }
    for backend in backends:
        if backend.name == "uv_build":
            notes["uv_build"] = _uv_direct_build(backend.requirement)
    return notes


def _uv_direct_build(requirement: str) -> str:
    """uv skips PEP 517 (and Python) for uv_build only when the project asks for a uv_build
    range it knows to be compatible with itself, like ``>=0.13,<0.14``; never for a pin."""
    if "==" in requirement:
        return (
            f"uv calls uv_build through PEP 517 like any other backend: `{requirement}` is a pin, "
            "not a range uv knows to be compatible, so uv does not build the project itself"
        )
    return (
        f"uv may build the project itself, without PEP 517 or Python, for `{requirement}`: "
        "the uv_build figures are then not a PEP 517 backend's"
    )


def measure_e2e(
    launcher: Launcher,
    frontends: Frontends,
    projects: Mapping[str, Path],
    work: Path,
    repeat: int,
    rng: random.Random,
) -> tuple[dict[Key, list[Sample]], dict[Key, list[dict[str, float]]]]:
    """Every command with every backend (name: project folder) under each condition,
    ``repeat`` rounds after the warm-up: the timed samples, and the phases of the traced
    runs (none without strace), by (condition, command label, backend)."""
    uv_cache = work / "uv-cache"
    shutil.rmtree(uv_cache, ignore_errors=True)
    logs = work / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    names = list(projects)
    tracer = strace()
    environs = {
        label: {**frontend_environ(frontends, uv_cache), **extra} for label, extra in CONDITIONS
    }

    def log_path(condition: str, command: Command, name: str, kind: str) -> Path:
        slug = "bytecode" if condition == USERS else "no-bytecode"
        return logs / f"{command.label.replace(' ', '_')}.{name}.{slug}.{kind}.log"

    def run(condition: str, command: Command, name: str) -> Sample:
        log = log_path(condition, command, name, "timed")
        with fresh_copy(projects[name]) as (source, out):
            sample = launcher.run(
                command.argv(frontends, source, out), str(source), environs[condition], log
            )
            check_artefacts(command, out, name, log)
        return sample

    def trace(tracer: str, condition: str, command: Command, name: str) -> dict[str, float]:
        log = log_path(condition, command, name, "traced")
        with fresh_copy(projects[name]) as (source, out):
            argv = command.argv(frontends, source, out)
            found = run_traced(tracer, argv, str(source), environs[condition], log)
            check_artefacts(command, out, name, log)
        return found

    _log("end to end: warming up (and the uv cache)")
    for condition, _ in CONDITIONS:
        for command in COMMANDS:
            for name in names:
                run(condition, command, name)
    samples: dict[Key, list[Sample]] = {}
    phases: dict[Key, list[dict[str, float]]] = {}
    for round_number in range(1, repeat + 1):
        started = time.perf_counter()
        for condition, _ in CONDITIONS:
            for command in COMMANDS:
                for name in rng.sample(names, len(names)):
                    key = (condition, command.label, name)
                    samples.setdefault(key, []).append(run(condition, command, name))
                    if tracer:
                        phases.setdefault(key, []).append(trace(tracer, condition, command, name))
        _log(
            f"end to end: round {round_number}/{repeat} took {time.perf_counter() - started:.1f} s"
        )
    return samples, phases


@contextlib.contextmanager
def fresh_copy(folder: Path) -> Iterator[tuple[Path, Path]]:
    """(a fresh copy of the project, its output folder) in a new temporary folder."""
    with tempfile.TemporaryDirectory(prefix="bench-e2e-") as temporary:
        source, out = Path(temporary) / "project", Path(temporary) / "dist"
        shutil.copytree(folder, source)
        yield source, out


def check_artefacts(command: Command, out: Path, backend: str, log: Path) -> None:
    """Exactly one file of each kind the command should make, holding the package."""
    found = sorted(p for p in out.glob("*") if p.name.endswith((WHEEL, SDIST)))
    kinds = sorted(WHEEL if path.name.endswith(WHEEL) else SDIST for path in found)
    if kinds != sorted(command.artefacts):
        names = [path.name for path in found] or "nothing"
        raise E2EFailed(
            f"`{command.label}` with {backend} left {names}, not one each of "
            f"{', '.join(command.artefacts)} (output: {log})"
        )
    for path in found:
        members = _members(path)
        if not any(name.endswith("/__init__.py") for name in members):
            raise E2EFailed(f"`{command.label}` with {backend}: {path.name} holds no package")


def _members(archive: Path) -> list[str]:
    if archive.name.endswith(WHEEL):
        with zipfile.ZipFile(archive) as wheel:
            return wheel.namelist()
    with tarfile.open(archive) as sdist:
        return sdist.getnames()


def _log(message: str) -> None:
    print(f"bench: {message}", file=sys.stderr, flush=True)
