"""Where an end-to-end run's time goes: each process a frontend starts, from a trace.

A frontend's run is one process tree: build starts pip to install the backend, then one
interpreter per hook (``_in_process.py <hook>``); uv installs in its own process and starts
one interpreter per hook (``python -c <script calling backend.<hook>>``). ``strace``
records when each process executes and exits (``-e trace=execve,exit_group``; with
``--seccomp-bpf`` no other system call stops the process, so the trace costs little), and
the run's wall time splits into:

* ``install``: pip installing the backend (build only; uv's install is part of
  ``frontend``);
* one phase per hook, named by the hook;
* ``frontend``: all the rest, the frontend's own start-up and work (creating the
  environments, uv's resolution and install) and the gaps between processes.

A process inside another of the same phase (pip re-executing itself) counts once. These
traced runs are separate from the timed ones: their totals are a little longer.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Mapping, Sequence
from pathlib import Path

HOOK_NAMES = (
    "get_requires_for_build_wheel",
    "get_requires_for_build_sdist",
    "get_requires_for_build_editable",
    "prepare_metadata_for_build_wheel",
    "prepare_metadata_for_build_editable",
    "build_wheel",
    "build_sdist",
    "build_editable",
)
INSTALL, FRONTEND, TOTAL = "install", "frontend", "total"

_LINE = re.compile(r"^(?P<pid>\d+)\s+(?P<time>\d+\.\d+) (?P<call>execve|exit_group)\((?P<rest>.*)")
_HOOK = re.compile(r"\b(" + "|".join(HOOK_NAMES) + r")\b")


def strace() -> str | None:
    """The strace program, or None: then no phases are measured."""
    return shutil.which("strace")


def traced_argv(program: str, trace: Path, argv: Sequence[str]) -> list[str]:
    options = ["-f", "-qq", "--seccomp-bpf", "-ttt", "-s", "8192"]
    options += ["-e", "trace=execve,exit_group", "-e", "signal=none", "-o", str(trace)]
    return [program, *options, *argv]


def run_traced(
    program: str, argv: Sequence[str], cwd: str, environ: Mapping[str, str], log: Path
) -> dict[str, float]:
    """Run the command under strace and return its phases (seconds)."""
    trace = log.with_suffix(".trace")
    with open(log, "wb") as output:
        subprocess.run(
            traced_argv(program, trace, argv),
            cwd=cwd,
            env=dict(environ),
            stdin=subprocess.DEVNULL,
            stdout=output,
            stderr=subprocess.STDOUT,
            check=True,
        )
    return phases(trace.read_text(encoding="utf-8", errors="replace"))


def _kind(argv: str) -> str | None:
    """The phase of a process, from its execve arguments as strace prints them."""
    if "_in_process" in argv or '"-c"' in argv:
        hook = _HOOK.search(argv)
        if hook:
            return hook.group(1)
    if '"pip"' in argv and '"install"' in argv:
        return INSTALL
    return None


def _union(intervals: list[tuple[float, float]]) -> float:
    total, end = 0.0, float("-inf")
    for start, stop in sorted(intervals):
        if stop > end:
            total += stop - max(start, end)
            end = stop
    return total


def phases(trace: str) -> dict[str, float]:
    """Seconds of each phase, and ``total``, from strace's output (see the module)."""
    started: dict[str, tuple[float, str]] = {}
    ended: dict[str, float] = {}
    root = None
    for line in trace.splitlines():
        match = _LINE.match(line)
        if not match:
            continue
        pid, when = match["pid"], float(match["time"])
        root = root or pid
        if match["call"] == "execve" and pid not in started:
            started[pid] = (when, match["rest"])
        elif match["call"] == "exit_group":
            ended[pid] = when
    if root is None or root not in ended:
        raise ValueError("the trace has no complete run")
    by_kind: dict[str, list[tuple[float, float]]] = {}
    for pid, (start, argv) in started.items():
        kind = _kind(argv)
        if kind is not None and pid in ended:
            by_kind.setdefault(kind, []).append((start, ended[pid]))
    result = {kind: _union(spans) for kind, spans in by_kind.items()}
    total = ended[root] - started[root][0]
    result[FRONTEND] = total - _union([s for spans in by_kind.values() for s in spans])
    result[TOTAL] = total
    return result
