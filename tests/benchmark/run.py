"""Benchmark fletching against flit_core, hatchling and uv_build: hook by hook, and end to end.

Usage (from anywhere; needs ``pyproject_hooks`` in the running interpreter, and the
package index to fill the environments on the first run)::

    python tests/benchmark/run.py [--size-large-mb 60] [--large-modules 2000]
        [--repeat 5] [--out bench-results] [--backends fletching,flit_core,hatchling,uv_build]
        [--quick] [--only e2e | --skip-e2e]

What it does, in order:

1. One virtual environment per backend under ``OUT/envs/``, created from the running
   interpreter and reused while the interpreter, the pinned version and (for
   fletching) the source are unchanged. fletching's wheel is built from this
   repository by its own backend; the others come pinned from the index.
2. A tiny, a medium (click-sized) and a large project, generated from a fixed seed
   into ``OUT/projects/``: identical files for every backend, only the build config
   differs. Each environment gets what its backend's ``get_requires_for_build_*``
   hooks ask for (hatchling: ``editables``), as a frontend would install it. Then a
   wheel and an sdist from each backend, and a wheel built after prepare_metadata: the
   run stops unless every wheel holds the same files outside ``.dist-info/`` (this is
   also the warm-up).
3. Import time and module count of each backend in a fresh interpreter; then, in
   fletching's environment, the CPU of each start-up step a small build pays
   (interpreter, hook runner, tomllib, packaging, fletching's builders).
4. The floors for the large project, in this interpreter: read + sha256, read +
   deflate on one thread and on two threads, and one deflate stream in pigz-style
   blocks on two threads (an sdist's own floor).
5. Each hook, each project, each backend in a fresh subprocess through
   ``pyproject_hooks``, ``--repeat`` rounds, backends in a shuffled (seeded) order
   within each round; wall, CPU (user + system) and peak RSS of the hook's process,
   started by a small launcher process (see bench_launcher.py for why).
6. End to end, what a user waits for (bench_e2e.py): ``python -m build`` (an sdist,
   then a wheel from it), ``python -m build --wheel`` and ``uv build --wheel`` on the
   tiny project with each backend, each frontend installing the backend into its own
   isolated build environment from a local wheelhouse with no index. The frontends
   (pinned ``build`` and ``uv``) get an environment of their own under ``OUT/frontends/``;
   the wheelhouse ``OUT/wheelhouse/`` holds fletching's wheel built from this repository
   and every backend's pinned wheel, with their dependencies (bench_frontends.py). Each
   run on a fresh copy of the project, one warm-up run of each command with each
   backend, then ``--repeat`` rounds, backends in a shuffled (seeded) order; wall time
   of the whole command, which must exit 0 and leave the artefacts it should. uv uses
   one cache, ``OUT/e2e/uv-cache/``, emptied when the step starts and warmed by the
   warm-up, the same for every backend. All of it twice: with bytecode written, as
   users have it, and with ``PYTHONDONTWRITEBYTECODE=1``; and, where ``strace`` is
   installed, a traced run after each timed one gives the phases of the run (installing
   the backend, each hook's process, the frontend's own part; bench_phases.py).

``--only e2e`` runs step 6 alone (the tiny project, the frontends and the wheelhouse
are all it needs); ``--skip-e2e`` leaves it out.

The Markdown report goes to stdout and ``OUT/report.md``, every sample to
``OUT/results.json``; progress goes to stderr. In the per-project tables
``÷ fletching`` is the backend's figure divided by fletching's (above 1: fletching is
faster); the targets table shows fletching's figure divided by the other one's next
to the limit it must not exceed, and so does the end-to-end table (below 1: fletching
is faster). ``--quick`` (a 6 MB, 200-module large project, 2 rounds, and 1 round end to
end unless ``--repeat`` is given) is for checking that it runs, not for figures.
Unix only: the child's resource usage comes from ``os.wait4``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import shlex
import subprocess
import sys
import tarfile
import time
import zipfile
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict
from datetime import datetime, timezone
from pathlib import Path

from bench_e2e import measure_e2e, setup_notes
from bench_envs import (
    AFTER_PREPARE,
    BACKENDS,
    HOOKS,
    Backend,
    Env,
    install_build_requirements,
    prepare,
)
from bench_frontends import prepare_frontends
from bench_measure import (
    FLOORS,
    STARTUP_STEPS,
    FloorSample,
    Launcher,
    Sample,
    deflated_size,
    floor_round,
    import_time,
    modules_imported,
    run_hook,
    startup_round,
)
from bench_projects import ProjectSpec, project_dir, specs, write_projects
from bench_report import (
    ContentRow,
    E2EPhases,
    E2EResult,
    HookResult,
    ImportResult,
    Results,
    render,
    targets,
)

REPO = Path(__file__).resolve().parent.parent.parent
ORDER_SEED = 517
IMPORT_RUNS = 9
# The start-up steps are told apart by differences of minima: more runs, steadier minima.
STARTUP_RUNS = 21
E2E_SIZE = "tiny"  # the project the end-to-end step builds


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size-large-mb", type=float, help="large project size (default 60)")
    parser.add_argument("--large-modules", type=int, help="large project modules (default 2000)")
    parser.add_argument("--repeat", type=int, help="rounds of every hook (default 5)")
    parser.add_argument(
        "--out", default="bench-results", help="output folder (default %(default)s)"
    )
    parser.add_argument("--backends", default=",".join(BACKENDS), help="default %(default)s")
    parser.add_argument(
        "--quick", action="store_true", help="small large project, 2 rounds (end to end: 1)"
    )
    parts = parser.add_mutually_exclusive_group()
    parts.add_argument("--only", choices=["e2e"], help="run only the end-to-end step")
    parts.add_argument("--skip-e2e", action="store_true", help="leave out the end-to-end step")
    args = parser.parse_args(argv)
    # The end-to-end rounds follow --repeat; --quick alone makes them 1.
    args.e2e_repeat = args.repeat or (1 if args.quick else 5)
    quick = {"size_large_mb": 6.0, "large_modules": 200, "repeat": 2}
    full = {"size_large_mb": 60.0, "large_modules": 2000, "repeat": 5}
    for name, value in (quick if args.quick else full).items():
        if getattr(args, name) is None:
            setattr(args, name, value)
    args.backends = [name.strip() for name in args.backends.split(",") if name.strip()]
    unknown = sorted(set(args.backends) - set(BACKENDS))
    if unknown or "fletching" not in args.backends:
        parser.error(f"--backends takes fletching and any of {', '.join(BACKENDS)}")
    if args.repeat < 1 or args.large_modules < 4 or args.size_large_mb <= 0:
        parser.error("--repeat must be at least 1, --large-modules at least 4, the size positive")
    return args


def log(message: str) -> None:
    print(f"bench: {message}", file=sys.stderr, flush=True)


# --- Checking that the comparison is fair -------------------------------------------

_REQUIRES_HOOKS = (
    "get_requires_for_build_wheel",
    "get_requires_for_build_sdist",
    "get_requires_for_build_editable",
)


def build_requirements(
    launcher: Launcher, env: Env, projects: Sequence[Path], out: Path
) -> list[str]:
    """What the backend asks a frontend to install for any of the projects (pyproject_hooks
    answers [] for a hook the backend lacks)."""
    wanted: set[str] = set()
    for project in projects:
        for hook in _REQUIRES_HOOKS:
            _, requires = run_hook(launcher, env, project, hook, out / "check" / "requires")
            wanted.update(map(str, requires) if isinstance(requires, list) else ())
    return sorted(wanted)


def _wheel_files(wheel: Path) -> tuple[set[str], int]:
    """Files outside .dist-info, and how many inside (zip directory entries skipped)."""
    with zipfile.ZipFile(wheel) as archive:
        names = [name for name in archive.namelist() if not name.endswith("/")]
    dist_info = {name for name in names if name.split("/", 1)[0].endswith(".dist-info")}
    return set(names) - dist_info, len(dist_info)


def _sdist_files(sdist: Path) -> int:
    with tarfile.open(sdist) as archive:
        return sum(member.isfile() for member in archive.getmembers())


def check_contents(
    launcher: Launcher, envs: Sequence[Env], spec: ProjectSpec, out: Path
) -> list[ContentRow]:
    """Build a wheel and an sdist with every backend; stop unless the wheels match."""
    rows, expected = [], None
    for env in envs:
        name = env.backend.name
        work = out / "check" / spec.size / name
        project = project_dir(out / "projects", spec, name)
        _, wheel_name = run_hook(launcher, env, project, "build_wheel", work / "wheel")
        _, sdist_name = run_hook(launcher, env, project, "build_sdist", work / "sdist")
        wheel, sdist = work / "wheel" / str(wheel_name), work / "sdist" / str(sdist_name)
        files, dist_info = _wheel_files(wheel)
        if env.supports(AFTER_PREPARE):
            # The wheel made from prepare_metadata's folder must hold the same files.
            _, after_name = run_hook(launcher, env, project, AFTER_PREPARE, work / "after")
            after = _wheel_files(work / "after" / str(after_name))
            if after != (files, dist_info):
                raise SystemExit(
                    f"bench: {name}'s {spec.size} wheel built after prepare_metadata differs"
                    " from its plain build_wheel wheel"
                )
        if expected is None:
            expected = (name, files)
        elif files != expected[1]:
            raise SystemExit(_mismatch(spec.size, expected[0], expected[1], name, files))
        sizes = (wheel.stat().st_size, sdist.stat().st_size)
        rows.append(ContentRow(spec.size, name, len(files), dist_info, _sdist_files(sdist), *sizes))
    return rows


def _mismatch(size: str, first: str, theirs: set[str], second: str, ours: set[str]) -> str:
    only_first = sorted(theirs - ours)[:10]
    only_second = sorted(ours - theirs)[:10]
    return (
        f"bench: the {size} wheels differ, so the comparison would not be fair:\n"
        f"  only from {first}: {only_first}\n  only from {second}: {only_second}"
    )


# --- Measuring ----------------------------------------------------------------------


def measure_imports(envs: Sequence[Env], runs: int, rng: random.Random) -> list[ImportResult]:
    results = {
        env.backend.name: ImportResult(env.backend.name, env.backend.module, [], []) for env in envs
    }
    for env in envs:  # warm-up: the first import after install may still write bytecode
        import_time(env)
    for _ in range(runs):
        for env in rng.sample(list(envs), len(envs)):
            results[env.backend.name].seconds.append(import_time(env))
            results[env.backend.name].modules.append(modules_imported(env))
    return list(results.values())


def measure_startup(launcher: Launcher, env: Env, runs: int, log: Path) -> dict[str, list[float]]:
    startup: dict[str, list[float]] = {label: [] for label, _ in STARTUP_STEPS}
    startup_round(launcher, env, log)  # warm-up
    for _ in range(runs):
        for (label, _), cpu in zip(STARTUP_STEPS, startup_round(launcher, env, log)):
            startup[label].append(cpu)
    return startup


def measure_floors(project: Path, repeat: int) -> tuple[dict[str, list[FloorSample]], int]:
    files = sorted(path for path in project.rglob("*") if path.is_file())
    deflated = deflated_size(files)  # also the warm-up: every file in the page cache
    floors: dict[str, list[FloorSample]] = {name: [] for name in FLOORS}
    with ThreadPoolExecutor(max_workers=2) as pool:
        for _ in range(repeat):
            for name, sample in floor_round(files, pool).items():
                floors[name].append(sample)
    return floors, deflated


def measure_hooks(
    launcher: Launcher,
    envs: Sequence[Env],
    project_specs: Sequence[ProjectSpec],
    out: Path,
    repeat: int,
    rng: random.Random,
) -> list[HookResult]:
    """Every hook ``repeat`` times; in each round the backends take turns in a shuffled
    order, so that a slow spell of a shared machine does not fall on one backend."""
    samples: dict[tuple[str, str, str], list[Sample]] = {}
    for round_number in range(1, repeat + 1):
        started = time.perf_counter()
        for spec in project_specs:
            for hook in HOOKS:
                supported = [env for env in envs if env.supports(hook)]
                for env in rng.sample(supported, len(supported)):
                    name = env.backend.name
                    project = project_dir(out / "projects", spec, name)
                    work = out / "runs" / spec.size / name / hook
                    sample, _ = run_hook(launcher, env, project, hook, work)
                    samples.setdefault((spec.size, hook, name), []).append(sample)
        log(f"round {round_number}/{repeat} took {time.perf_counter() - started:.1f} s")
    return [HookResult(size, hook, name, values) for (size, hook, name), values in samples.items()]


# --- The report's context -----------------------------------------------------------


def _git(*args: str) -> str:
    try:
        done = subprocess.run(
            ["git", "-C", str(REPO), *args], capture_output=True, text=True, check=False
        )
    except OSError:
        return ""
    return done.stdout.strip() if done.returncode == 0 else ""


def _fletching_source() -> str:
    revision = _git("rev-parse", "--short", "HEAD")
    if not revision:
        return f"{REPO} (not a git checkout)"
    modified = _git("status", "--porcelain", "--", "fletching", "pyproject.toml")
    return f"{REPO} at {revision}" + (" with uncommitted changes" if modified else "")


def _load_average() -> str:
    """A busy machine slows everything and hides the two-thread speed-up: say how busy."""
    if not hasattr(os, "getloadavg"):
        return "unknown"
    return " / ".join(f"{value:.2f}" for value in os.getloadavg())


def _meta(args: argparse.Namespace) -> dict[str, str]:
    command = getattr(sys, "orig_argv", [sys.executable, *sys.argv])
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return {
        "date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "command": shlex.join(command),
        "platform": platform.platform(),
        "cpus": f"{os.cpu_count()} CPUs ({usable} usable)",
        "load": _load_average(),
        "python": f"{platform.python_implementation()} {platform.python_version()}"
        f" ({sys.executable})",
        "fletching_source": _fletching_source(),
        "runs": _runs(args),
    }


def _runs(args: argparse.Namespace) -> str:
    parts = []
    if args.only != "e2e":
        parts.append(
            f"{args.repeat} rounds of every hook, backends in a seeded shuffled order "
            f"(seed {ORDER_SEED}); imports {IMPORT_RUNS} runs; start-up steps {STARTUP_RUNS} "
            f"runs; floors {args.repeat} runs"
        )
    if not args.skip_e2e:
        parts.append(
            f"end to end {args.e2e_repeat} round(s) after a warm-up, backends in a seeded "
            f"shuffled order (seed {ORDER_SEED})"
        )
    return "; ".join(parts)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    out = Path(args.out).resolve()
    started = time.perf_counter()
    backends = [BACKENDS[name] for name in args.backends]
    project_specs = specs(args.large_modules, args.size_large_mb)
    if args.only == "e2e":
        project_specs = [spec for spec in project_specs if spec.size == E2E_SIZE]
    results = Results(meta=_meta(args), versions={}, backends=list(args.backends), projects=[])
    configs = [(backend.name, backend.module, backend.requirement) for backend in backends]
    for spec in project_specs:
        log(f"preparing the {spec.size} project (generated unless an earlier run left it)")
        results.projects.append(write_projects(out / "projects", spec, configs))
    with Launcher() as launcher:
        results.meta["rss_floor"] = f"{launcher.own_peak_rss / 2**20:.1f} MiB"
        if args.only != "e2e":
            measure_backends(launcher, args, project_specs, out, results)
        if not args.skip_e2e:
            tiny = next(spec for spec in project_specs if spec.size == E2E_SIZE)
            measure_end_to_end(launcher, backends, tiny, out, args.e2e_repeat, results)
    results.meta["load"] += f" at the start, {_load_average()} at the end"
    write_report(results, out)
    log(f"done in {time.perf_counter() - started:.0f} s; report in {out / 'report.md'}")
    return 0


def measure_backends(
    launcher: Launcher,
    args: argparse.Namespace,
    project_specs: Sequence[ProjectSpec],
    out: Path,
    results: Results,
) -> None:
    """Steps 1 to 5 of the module's docstring (the projects are written already)."""
    envs = [prepare(BACKENDS[name], out / "envs", REPO) for name in args.backends]
    results.versions = {env.backend.name: env.version for env in envs}
    prepare_and_check(launcher, envs, project_specs, out, results)
    rng = random.Random(ORDER_SEED)
    log("timing imports")
    results.imports = measure_imports(envs, IMPORT_RUNS, rng)
    log("timing the start-up steps")
    base_env = next(env for env in envs if env.backend.name == "fletching")
    results.startup = measure_startup(launcher, base_env, STARTUP_RUNS, out / "startup.log")
    log("timing the floors")
    large = project_dir(out / "projects", project_specs[-1], "fletching")
    results.floors, results.large_deflated_bytes = measure_floors(large, args.repeat)
    log("timing the hooks")
    results.hooks = measure_hooks(launcher, envs, project_specs, out, args.repeat, rng)


def measure_end_to_end(
    launcher: Launcher,
    backends: Sequence[Backend],
    spec: ProjectSpec,
    out: Path,
    repeat: int,
    results: Results,
) -> None:
    """Step 6 of the module's docstring: each frontend command with each backend."""
    frontends = prepare_frontends(out, REPO, backends)
    for backend in backends:  # the hook steps' figures, when they ran, from the same pins
        results.versions.setdefault(backend.name, frontends.backend_version(backend))
    projects = {b.name: project_dir(out / "projects", spec, b.name) for b in backends}
    log(f"timing the frontends end to end, {repeat} round(s)")
    # Its own generator: the order is the same whether or not the other steps ran.
    rng = random.Random(ORDER_SEED)
    samples, phases = measure_e2e(launcher, frontends, projects, out / "e2e", repeat, rng)
    results.e2e = [
        E2EResult(command, name, values, condition)
        for (condition, command, name), values in samples.items()
    ]
    results.e2e_phases = [
        E2EPhases(condition, command, name, runs)
        for (condition, command, name), runs in phases.items()
    ]
    results.e2e_setup = setup_notes(frontends, backends, out / "e2e" / "uv-cache", repeat)


def prepare_and_check(
    launcher: Launcher,
    envs: Sequence[Env],
    project_specs: Sequence[ProjectSpec],
    out: Path,
    results: Results,
) -> None:
    """Install what each backend asks for, then check (and warm up) every backend."""
    for env in envs:
        projects = [project_dir(out / "projects", spec, env.backend.name) for spec in project_specs]
        requirements = build_requirements(launcher, env, projects, out)
        install_build_requirements(env, requirements)
        results.build_requirements[env.backend.name] = requirements
    for spec in project_specs:
        log(f"checking every backend's artefacts for the {spec.size} project")
        results.contents += check_contents(launcher, envs, spec, out)


def write_report(results: Results, out: Path) -> None:
    report = render(results)
    print(report)
    (out / "report.md").write_text(report, encoding="utf-8")
    found = [{**asdict(target), "passed": target.passed} for target in targets(results)]
    raw = {**asdict(results), "targets": found}
    (out / "results.json").write_text(json.dumps(raw, indent=2), encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
