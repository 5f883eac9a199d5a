"""Measurements: hooks in fresh subprocesses, backend import time, and the I/O + deflate floors.

A hook runs exactly as a frontend runs it: ``pyproject_hooks`` starts
``<env python> _in_process.py <hook> <tmpdir>`` in the project folder. The runner
below hands that command to the launcher (bench_launcher.py), which forks it and
reads its own resource usage with ``os.wait4``: CPU (user + system) and peak RSS,
which include any process the child started and waited for (uv_build's
``uv-build`` binary). The interpreter start-up and the ``_in_process`` script are
part of what a frontend pays, so they are part of every figure.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
import zlib
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from pyproject_hooks import BuildBackendHookCaller

from bench_envs import AFTER_PREPARE, Env


@dataclass(frozen=True)
class Sample:
    wall: float  # seconds
    cpu: float  # seconds, user + system, of the child and its waited-for descendants
    peak_rss: int  # bytes, the largest resident set of the child or of one descendant


class HookFailed(RuntimeError):
    pass


LAUNCHER = Path(__file__).with_name("bench_launcher.py")


class Launcher:
    """The small process (bench_launcher.py) that starts each hook's subprocess, so that
    the hook's peak RSS is not inflated by the benchmark's own memory."""

    def __init__(self) -> None:
        self._process = subprocess.Popen(
            [sys.executable, "-I", "-S", str(LAUNCHER)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        self.own_peak_rss = int(self._receive()["own_peak_rss"])

    def _receive(self) -> dict[str, float]:
        assert self._process.stdout is not None
        line = self._process.stdout.readline()
        if not line:
            raise RuntimeError(f"{LAUNCHER.name} stopped (exit code {self._process.wait()})")
        reply: dict[str, float] = json.loads(line)
        return reply

    def run(self, cmd: Sequence[str], cwd: str, env: Mapping[str, str], log: Path) -> Sample:
        assert self._process.stdin is not None
        request = {"cmd": list(cmd), "cwd": cwd, "env": dict(env), "log": str(log)}
        self._process.stdin.write(json.dumps(request) + "\n")
        self._process.stdin.flush()
        reply = self._receive()
        if reply["exit_code"] != 0:
            output = log.read_text(errors="replace")[-4000:]
            raise HookFailed(f"{' '.join(cmd)} exited {reply['exit_code']:.0f}:\n{output}")
        return Sample(reply["wall"], reply["cpu"], int(reply["peak_rss"]))

    def close(self) -> None:
        assert self._process.stdin is not None
        self._process.stdin.close()
        self._process.wait()

    def __enter__(self) -> Launcher:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


class MeasuringRunner:
    """A pyproject_hooks subprocess runner that has the launcher start the hook's process
    and keeps its wall time, CPU time and peak RSS."""

    def __init__(self, launcher: Launcher, environ: Mapping[str, str], log_path: Path) -> None:
        self.launcher = launcher
        self.environ = environ
        self.log_path = log_path
        self.sample: Sample | None = None

    def __call__(
        self,
        cmd: Sequence[str],
        cwd: str | None = None,
        extra_environ: Mapping[str, str] | None = None,
    ) -> None:
        environ = {**self.environ, **(extra_environ or {})}
        self.sample = self.launcher.run(cmd, cwd or os.getcwd(), environ, self.log_path)


HookCall = Callable[[BuildBackendHookCaller, str], object]

HOOK_CALLS: dict[str, HookCall] = {
    "get_requires_for_build_wheel": lambda caller, _out: caller.get_requires_for_build_wheel(),
    "get_requires_for_build_sdist": lambda caller, _out: caller.get_requires_for_build_sdist(),
    "get_requires_for_build_editable": lambda caller, _out: (
        caller.get_requires_for_build_editable()
    ),
    # No fallback: without the hook, pyproject_hooks would build a whole wheel instead.
    "prepare_metadata_for_build_wheel": lambda caller, out: caller.prepare_metadata_for_build_wheel(
        out, _allow_fallback=False
    ),
    "build_wheel": lambda caller, out: caller.build_wheel(out),
    "build_sdist": lambda caller, out: caller.build_sdist(out),
    "build_editable": lambda caller, out: caller.build_editable(out),
    AFTER_PREPARE: lambda caller, out: _build_after_prepare(caller, out),
}


def _build_after_prepare(caller: BuildBackendHookCaller, out: str) -> object:
    """prepare_metadata_for_build_wheel, then build_wheel with its folder; the runner
    keeps the sample of the last process it started, the build_wheel one."""
    metadata = os.path.join(out, "metadata")
    os.mkdir(metadata)  # frontends create it; uv_build relies on that
    name = caller.prepare_metadata_for_build_wheel(metadata, _allow_fallback=False)
    return caller.build_wheel(out, metadata_directory=os.path.join(metadata, name))


def run_hook(
    launcher: Launcher, env: Env, project: Path, hook: str, out_dir: Path
) -> tuple[Sample, object]:
    """Run one hook in a fresh subprocess, into a fresh empty ``out_dir``."""
    shutil.rmtree(out_dir, ignore_errors=True)
    out_dir.mkdir(parents=True)
    log = out_dir.with_name(out_dir.name + ".log")
    runner = MeasuringRunner(launcher, env.child_environ(), log)
    caller = BuildBackendHookCaller(
        str(project), env.backend.module, runner=runner, python_executable=str(env.python)
    )
    result = HOOK_CALLS[hook](caller, str(out_dir))
    assert runner.sample is not None, "the hook caller did not start a subprocess"
    return runner.sample, result


# --- Where a small build's time goes ------------------------------------------------

# Each step adds its imports to those of the steps above; the CPU of a fresh process
# running them all, minus that of the step above, is what the step costs a hook.
_RUNNER_IMPORTS = "import json, os, re, shutil, sys, traceback, warnings, glob, importlib.machinery"
# fletching vendors packaging, tomli and trove_classifiers under fletching._vendor (which
# serves the installed ones where a distribution removed the copies).
_VENDOR = "fletching._vendor"
_TOML = "import tomllib" if sys.version_info >= (3, 11) else f"from {_VENDOR} import tomli"
STARTUP_STEPS = (
    ("interpreter start-up", "pass"),
    ("+ the imports of pyproject_hooks' hook runner", _RUNNER_IMPORTS),
    (f"+ `{_TOML}`: reading pyproject.toml", _TOML),
    (
        "+ packaging and trove_classifiers (vendored): validating [project]",
        f"import {_VENDOR}.packaging.requirements, {_VENDOR}.packaging.licenses, "
        f"{_VENDOR}.trove_classifiers",
    ),
    ("+ fletching's builders", "import fletching.wheel, fletching.sdist"),
)


def startup_round(launcher: Launcher, env: Env, log: Path) -> list[float]:
    """The CPU seconds of each cumulative step of STARTUP_STEPS, once, in fletching's env."""
    cpus, code = [], ""
    for _, statement in STARTUP_STEPS:
        code = statement if code in ("", "pass") else f"{code}; {statement}"
        # cwd is the environment: ``-c`` puts the cwd first on sys.path.
        command = [str(env.python), "-c", code]
        cpus.append(launcher.run(command, str(env.root), env.child_environ(), log).cpu)
    return cpus


# --- Import time ----------------------------------------------------------------


def _top_level_imports(stderr: str) -> dict[str, int]:
    """Cumulative microseconds of each top-level line of ``-X importtime`` output."""
    times: dict[str, int] = {}
    for line in stderr.splitlines():
        if not line.startswith("import time:"):
            continue
        _, cumulative, name = line[len("import time:") :].split("|")
        # Nested imports are indented by two spaces per level after the separator's one.
        if cumulative.strip().isdigit() and not name.startswith("  "):
            times[name.strip()] = int(cumulative)
    return times


def import_time(env: Env) -> float:
    """Seconds to ``import <backend>`` in a fresh interpreter: the cumulative time of the
    top-level import lines that a bare interpreter's start-up does not show."""
    startup = _top_level_imports(env.run_python("-X", "importtime", "-c", "pass").stderr)
    output = env.run_python("-X", "importtime", "-c", f"import {env.backend.module}").stderr
    backend = {k: v for k, v in _top_level_imports(output).items() if k not in startup}
    return sum(backend.values()) / 1e6


_COUNT_MODULES = "import sys; b = set(sys.modules); import {}; print(len(set(sys.modules) - b))"


def modules_imported(env: Env) -> int:
    """Modules that ``import <backend>`` adds to a bare interpreter."""
    return int(env.run_python("-c", _COUNT_MODULES.format(env.backend.module)).stdout)


# --- Floors ----------------------------------------------------------------------


@dataclass(frozen=True)
class FloorSample:
    wall: float
    cpu: float  # this process's CPU time: both threads in the two-thread floor


def _sha256(path: Path) -> bytes:
    """What a wheel writer does per member for RECORD."""
    return hashlib.sha256(path.read_bytes()).digest()


def _deflate(path: Path) -> int:
    """What a zip writer does per member at the default level: raw deflate, level 6."""
    compressor = zlib.compressobj(6, zlib.DEFLATED, -15)
    return len(compressor.compress(path.read_bytes()) + compressor.flush())


def _timed(work: Callable[[], object]) -> FloorSample:
    start_wall, start_cpu = time.perf_counter(), time.process_time()
    work()
    return FloorSample(time.perf_counter() - start_wall, time.process_time() - start_cpu)


_BLOCK, _WINDOW = 256 * 1024, 32 * 1024


def _stream_block(job: tuple[bytes, bytes]) -> int:
    """One block of a pigz-style stream: primed with the 32 KiB before it, sync-flushed."""
    block, history = job
    if history:
        compressor = zlib.compressobj(6, zlib.DEFLATED, -15, zdict=history)
    else:
        compressor = zlib.compressobj(6, zlib.DEFLATED, -15)
    return len(compressor.compress(block) + compressor.flush(zlib.Z_SYNC_FLUSH))


def _stream_blocks(files: Sequence[Path]) -> Iterator[tuple[bytes, bytes]]:
    """The files one after another, as a tar.gz must compress them, cut into blocks."""
    pending, history = bytearray(), b""
    for path in files:
        pending += path.read_bytes()
        while len(pending) >= _BLOCK:
            block = bytes(pending[:_BLOCK])
            del pending[:_BLOCK]
            yield block, history
            history = block[-_WINDOW:]
    if pending:
        yield bytes(pending), history


FLOORS = (
    "read + sha256, 1 thread",
    "read + deflate, 1 thread",
    "read + deflate, 2 threads",
    "read + one deflate stream in 256 KiB blocks, 2 threads",
)


def floor_round(files: Sequence[Path], pool: ThreadPoolExecutor) -> dict[str, FloorSample]:
    """One timing of each floor over all the files. zlib releases the GIL while it
    compresses, so two threads can use both cores, as a parallel zip writer could."""
    return {
        FLOORS[0]: _timed(lambda: [_sha256(path) for path in files]),
        FLOORS[1]: _timed(lambda: [_deflate(path) for path in files]),
        FLOORS[2]: _timed(lambda: list(pool.map(_deflate, files))),
        # What an sdist's gzip stream needs at the least, by the technique the zip floor
        # cannot use: one stream has matches across files, and finds them at a cost.
        FLOORS[3]: _timed(lambda: list(pool.map(_stream_block, _stream_blocks(files)))),
    }


def deflated_size(files: Sequence[Path]) -> int:
    return sum(map(_deflate, files))


def median(values: Sequence[float]) -> float:
    return statistics.median(values)
