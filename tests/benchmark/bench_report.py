"""The results of a run, and their Markdown rendering: hook tables, imports, floors, targets.

Two kinds of ratio, both spelt out in the tables' headings:

* in the per-project tables, ``÷ fletching`` is another backend's figure divided by
  fletching's: above 1 means fletching is faster (or smaller);
* in the end-to-end table and the targets table, the ratio is fletching's figure
  divided by the other one's (below 1 means fletching is faster); in the targets table,
  next to the limit it must not exceed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from bench_e2e import CONDITIONS, USERS
from bench_envs import HOOKS
from bench_measure import FLOORS, FloorSample, Sample, median
from bench_phases import FRONTEND, HOOK_NAMES, INSTALL, TOTAL
from bench_projects import ProjectInfo

BASE = "fletching"
BACKEND_MODULE = "fletching.buildapi"
TIMES = "\N{MULTIPLICATION SIGN}"  # spelt by name: ruff flags the literal as ambiguous
TWO_THREAD_FLOOR = FLOORS[2]


@dataclass(frozen=True)
class ContentRow:
    """What one backend put in its artefacts for one project (checked before timing)."""

    size: str
    backend: str
    wheel_files: int  # outside .dist-info; the same for every backend
    dist_info_files: int
    sdist_files: int
    wheel_bytes: int
    sdist_bytes: int


@dataclass(frozen=True)
class HookResult:
    size: str
    hook: str
    backend: str
    samples: list[Sample]


@dataclass(frozen=True)
class ImportResult:
    backend: str
    module: str
    seconds: list[float]
    modules: list[int]


@dataclass(frozen=True)
class E2EResult:
    """The runs of one frontend command with one backend (wall is what a user waits for)."""

    command: str
    backend: str
    samples: list[Sample]
    condition: str = USERS  # one of bench_e2e.CONDITIONS


@dataclass(frozen=True)
class E2EPhases:
    """The traced runs of one command with one backend: seconds by phase, one dict a run."""

    condition: str
    command: str
    backend: str
    runs: list[dict[str, float]]

    def median(self, phase: str) -> float | None:
        values = [run[phase] for run in self.runs if phase in run]
        return median(values) if values else None


@dataclass
class Results:
    meta: dict[str, str]
    versions: dict[str, str]
    backends: list[str]
    projects: list[ProjectInfo]
    build_requirements: dict[str, list[str]] = field(default_factory=dict)
    contents: list[ContentRow] = field(default_factory=list)
    hooks: list[HookResult] = field(default_factory=list)
    imports: list[ImportResult] = field(default_factory=list)
    floors: dict[str, list[FloorSample]] = field(default_factory=dict)
    startup: dict[str, list[float]] = field(default_factory=dict)  # step: CPU seconds
    large_deflated_bytes: int = 0
    e2e: list[E2EResult] = field(default_factory=list)
    e2e_phases: list[E2EPhases] = field(default_factory=list)
    e2e_setup: dict[str, str] = field(default_factory=dict)  # how the step ran, for the report

    def samples(self, size: str, hook: str, backend: str) -> list[Sample] | None:
        for result in self.hooks:
            if (result.size, result.hook, result.backend) == (size, hook, backend):
                return result.samples
        return None

    def median_of(self, size: str, hook: str, backend: str, metric: str) -> float | None:
        samples = self.samples(size, hook, backend)
        if not samples:
            return None
        return median([float(getattr(sample, metric)) for sample in samples])

    def e2e_wall(self, command: str, backend: str, condition: str = USERS) -> float | None:
        """The median wall seconds of one command with one backend."""
        for result in self.e2e:
            key = (result.condition, result.command, result.backend)
            if key == (condition, command, backend) and result.samples:
                return median([sample.wall for sample in result.samples])
        return None

    def e2e_commands(self) -> list[str]:
        return list(dict.fromkeys(result.command for result in self.e2e))

    def import_result(self, backend: str) -> ImportResult | None:
        return next((r for r in self.imports if r.backend == backend), None)


# --- Formatting -------------------------------------------------------------------


def _ms(seconds: float) -> str:
    value = seconds * 1000
    return f"{value:.0f}" if value >= 100 else f"{value:.1f}"


def _mib(size: float) -> str:
    return f"{size / 2**20:.1f}"


def _seconds(value: float | None) -> str:
    if value is None:
        return "n/a"
    return f"{value:.2f}" if value >= 1 else f"{value:.3f}"


def _ratio(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.2f}{TIMES}"


def _divide(numerator: float | None, denominator: float | None) -> float | None:
    if numerator is None or not denominator:
        return None
    return numerator / denominator


def _table(header: Sequence[str], rows: Sequence[Sequence[str]], align: str = "") -> str:
    """A Markdown table; ``align`` gives l or r per column (default: first left, rest right)."""
    align = align or "l" + "r" * (len(header) - 1)
    rule = ["---:" if a == "r" else ":---" for a in align]
    lines = [header, rule, *rows]
    return "\n".join("| " + " | ".join(line) + " |" for line in lines)


# --- Sections ---------------------------------------------------------------------


def _header(results: Results) -> str:
    meta = results.meta
    versions = ", ".join(f"{name} {results.versions[name]}" for name in results.backends)
    requirements = ", ".join(
        f"{name}: {' '.join(reqs) or 'nothing'}"
        for name, reqs in results.build_requirements.items()
    )
    projects = "; ".join(
        f"{p.size}: {p.python_files} module(s) in {p.files} files, {p.bytes / 1e6:.2f} MB"
        for p in results.projects
    )
    lines = [
        "# fletching benchmark",
        "",
        f"- Date: {meta['date']}",
        f"- Command: `{meta['command']}`",
        f"- Machine: {meta['platform']}, {meta['cpus']}",
        f"- Load average (1 / 5 / 15 min): {meta['load']}",
        f"- Python: {meta['python']}",
        f"- Backends: {versions}",
    ]
    if results.build_requirements:
        lines.append(
            f"- Installed from the backends' get_requires_for_build_* hooks: {requirements}"
        )
    lines += [
        f"- fletching source: {meta['fletching_source']}",
        f"- Projects: {projects}",
        f"- Runs: {meta['runs']}",
    ]
    if results.hooks:
        lines.append(
            f"- Peak memory cannot read below {meta['rss_floor']}, the peak of the process"
            " that starts the hooks (a bare interpreter)"
        )
    return "\n".join(lines)


def _contents(results: Results) -> str:
    rows = [
        [
            row.size,
            row.backend,
            str(row.wheel_files),
            str(row.dist_info_files),
            str(row.sdist_files),
            f"{row.wheel_bytes / 1e6:.2f}",
            f"{row.sdist_bytes / 1e6:.2f}",
        ]
        for row in results.contents
    ]
    header = ["project", "backend", "wheel files", ".dist-info files", "sdist files"]
    header += ["wheel MB", "sdist MB"]
    intro = (
        "## Artefacts\n\nChecked before timing: every backend's wheel holds the same files "
        "outside `.dist-info/` (directory entries ignored).\n\n"
    )
    return intro + _table(header, rows, "llrrrrr")


def _hook_rows(results: Results, size: str, hook: str) -> list[list[str]]:
    rows = []
    base = {m: results.median_of(size, hook, BASE, m) for m in ("wall", "cpu", "peak_rss")}
    for backend in results.backends:
        samples = results.samples(size, hook, backend)
        if not samples:
            rows.append([hook, backend, *["n/a"] * 6])
            continue
        walls, cpus = [s.wall for s in samples], [s.cpu for s in samples]
        peak = median([float(s.peak_rss) for s in samples])
        rows.append(
            [
                hook,
                backend,
                f"{_ms(median(walls))} ({_ms(min(walls))})",
                f"{_ms(median(cpus))} ({_ms(min(cpus))})",
                _mib(peak),
                _ratio(_divide(median(walls), base["wall"])),
                _ratio(_divide(median(cpus), base["cpu"])),
                _ratio(_divide(peak, base["peak_rss"])),
            ]
        )
    return rows


def _hooks(results: Results, size: str) -> str:
    header = ["hook", "backend", "wall ms", "CPU ms", "peak MiB"]
    header += ["wall ÷ fletching", "CPU ÷ fletching", "peak ÷ fletching"]
    rows = [row for hook in HOOKS for row in _hook_rows(results, size, hook)]
    project = next(p for p in results.projects if p.size == size)
    intro = (
        f"## Hooks: {size} project ({project.python_files} module(s), "
        f"{project.bytes / 1e6:.2f} MB)\n\n"
        "Median (min) per hook call in a fresh subprocess; CPU is user + system. "
        "`÷ fletching` = backend ÷ fletching: above 1 means fletching is faster or smaller.\n\n"
    )
    return intro + _table(header, rows, "llrrrrrr")


def _imports(results: Results) -> str:
    base = results.import_result(BASE)
    base_time = median(base.seconds) if base else None
    rows = []
    for result in results.imports:
        rows.append(
            [
                result.backend,
                f"`{result.module}`",
                f"{median(result.seconds) * 1000:.1f} ({min(result.seconds) * 1000:.1f})",
                f"{median([float(m) for m in result.modules]):.0f} ({min(result.modules)})",
                _ratio(_divide(median(result.seconds), base_time)),
            ]
        )
    intro = (
        "## Import\n\nMedian (min) cumulative `-X importtime` of the backend's top-level "
        "imports in a fresh interpreter, and modules added beyond a bare interpreter.\n\n"
    )
    header = ["backend", "module", "import ms", "modules", "time ÷ fletching"]
    return intro + _table(header, rows, "llrrr")


def _startup(results: Results) -> str:
    rows: list[list[str]] = []
    before = 0.0
    for label, cpus in results.startup.items():
        # The least of the runs is the step's own cost; the rest is the machine's noise.
        least = min(cpus)
        added = "" if not rows else f"{(least - before) * 1000:+.1f}"
        rows.append([label, f"{_ms(median(cpus))} ({_ms(least)})", added])
        before = least
    uv = results.median_of("tiny", "build_wheel", "uv_build", "cpu")
    flit = results.median_of("tiny", "build_wheel", "flit_core", "cpu")
    compare = []
    if uv is not None:
        compare.append(f"uv_build's whole tiny build_wheel hook took {_ms(uv)} ms")
    if flit is not None:
        compare.append(f"half of flit_core's is {_ms(flit / 2)} ms")
    intro = (
        "## Where a small build's time goes\n\n"
        "Median (min) CPU ms of a fresh process in fletching's environment that imports "
        "what each step adds to the steps above it, and what the step adds (difference of "
        "the mins, the least disturbed by a busy machine). On the tiny and medium "
        "projects every hook that validates [project] needs every step (all but "
        "get_requires and fletching's build_wheel given prepare_metadata's folder): "
        "their [project] tables have requirements, a license and classifiers."
        + (" For comparison, " + "; ".join(compare) + "." if compare else "")
        + "\n\n"
    )
    return intro + _table(["step", "CPU ms", "added ms (min)"], rows)


def _floors(results: Results) -> str:
    large = next(p for p in results.projects if p.size == "large")
    rows, walls = [], {}
    for name, samples in results.floors.items():
        wall = [s.wall for s in samples]
        walls[name] = median(wall)
        rows.append(
            [name, f"{_ms(median(wall))} ({_ms(min(wall))})", _ms(median([s.cpu for s in samples]))]
        )
    ratio = large.bytes / results.large_deflated_bytes if results.large_deflated_bytes else 0.0
    speedup = _divide(walls.get(FLOORS[1]), walls.get(TWO_THREAD_FLOOR))
    intro = (
        f"## Floors (large project: {large.files} files, {large.bytes / 1e6:.1f} MB; "
        f"deflate level 6 gives {results.large_deflated_bytes / 1e6:.1f} MB, {ratio:.2f}:1)\n\n"
        "Measured in the benchmark's own interpreter, files read from the page cache. "
        f"Two threads deflated {_ratio(speedup)} as fast as one: near 2{TIMES} on an idle "
        "machine with two free cores, less when other work holds a core. The targets use "
        "the two-thread deflate floor for both archives; the last row is what one gzip "
        "stream over the same files costs by the pigz technique, an sdist's own floor.\n\n"
    )
    return intro + _table(["floor", "wall ms", "CPU ms"], rows)


def _e2e_rows(results: Results, condition: str) -> list[list[str]]:
    others = [name for name in results.backends if name != BASE]
    rows = []
    for command in results.e2e_commands():
        mine = results.e2e_wall(command, BASE, condition)
        row = [f"`{command}`", _seconds(mine)]
        for other in others:
            theirs = results.e2e_wall(command, other, condition)
            row += [_seconds(theirs), _ratio(_divide(mine, theirs))]
        rows.append(row)
    return rows


def _e2e(results: Results) -> str:
    others = [name for name in results.backends if name != BASE]
    header = ["command", f"{BASE} s"]
    for other in others:
        header += [f"{other} s", f"{BASE} ÷ {other}"]
    setup = results.e2e_setup
    notes = [
        ("Frontends", "frontends"),
        ("Wheelhouse", "wheelhouse"),
        ("uv cache (one for the whole step)", "uv_cache"),
        ("uv and uv_build", "uv_build"),
        ("Runs", "rounds"),
        ("Phases", "phases"),
    ]
    bullets = "".join(f"- {title}: {setup[key]}\n" for title, key in notes if key in setup)
    intro = (
        "## End to end: tiny project\n\n"
        "Median wall seconds of the whole command, what a user waits for. Each frontend "
        "installs the backend the normal way, into an isolated build environment of its own, "
        "from a local wheelhouse with no index (`PIP_NO_INDEX=1 PIP_FIND_LINKS=...` for "
        "build's pip, `--no-index --find-links ...` for uv) and no user configuration; each "
        "run on a fresh copy of the project, with its output in a new temporary folder. "
        "`python -m build` makes an sdist, then a wheel from it, each in its own isolated "
        "environment. uv uses one cache for the whole step, emptied when it starts and "
        "warmed by the warm-up, the same for every backend. In each round the backends "
        f"take turns in a seeded shuffled order. `{BASE} ÷ backend` below 1 means {BASE} "
        "is faster. First as users have it (bytecode written: the first hook in an "
        "environment compiles what it imports, the next one reuses it), then with "
        "`PYTHONDONTWRITEBYTECODE=1`, as on machines that set it (every hook compiles "
        "everything it imports).\n\n" + bullets
    )
    tables = []
    for condition, _ in CONDITIONS:
        rows = _e2e_rows(results, condition)
        if any(row[1] != "n/a" for row in rows):
            tables.append(f"\n### {condition}\n\n" + _table(header, rows))
    return intro + "\n".join(tables) + _phases(results)


def _phases(results: Results) -> str:
    """One table for each condition and command: each backend's run split into phases."""
    if not results.e2e_phases:
        return ""
    found = {phase for entry in results.e2e_phases for run in entry.runs for phase in run}
    columns = [TOTAL, FRONTEND, INSTALL, *HOOK_NAMES]
    columns = [phase for phase in columns if phase in found]
    sections = [
        "\n\n## End to end, phase by phase\n\n"
        "Median ms of each phase of a traced run (bench_phases.py): `install` is pip "
        "installing the backend (build; uv installs in its own process, part of "
        "`frontend`), a hook's column its interpreter's process, `frontend` the rest "
        "(the frontend's own start-up and work, the environments, the gaps). The traced "
        "runs are separate from the timed ones above."
    ]
    for condition, _ in CONDITIONS:
        for command in results.e2e_commands():
            rows = []
            for backend in results.backends:
                entry = next(
                    (
                        e
                        for e in results.e2e_phases
                        if (e.condition, e.command, e.backend) == (condition, command, backend)
                    ),
                    None,
                )
                if entry is not None:
                    cells = [entry.median(phase) for phase in columns]
                    rows.append([backend, *("" if c is None else _ms(c) for c in cells)])
            if rows:
                header = ["backend", *(f"{phase} ms" for phase in columns)]
                sections.append(f"### `{command}`, {condition}\n\n" + _table(header, rows))
    return "\n\n".join(sections)


# --- Targets ----------------------------------------------------------------------

RATIO = "ratio"


@dataclass(frozen=True)
class Target:
    """One goal: ``value`` (a ratio, or an absolute figure in ``unit``) at most ``limit``."""

    label: str
    fletching: str  # fletching's figure, formatted
    other: str  # what it is compared with, formatted ("—" for an absolute limit)
    value: float | None  # None when either side was not measured
    limit: float
    unit: str = RATIO

    @property
    def passed(self) -> bool | None:
        return None if self.value is None else self.value <= self.limit


_METRIC_LABELS = {"cpu": "CPU", "wall": "wall", "peak_rss": "peak memory"}


def _shown(metric: str, value: float | None) -> str:
    if value is None:
        return "n/a"
    return f"{_mib(value)} MiB" if metric == "peak_rss" else f"{_ms(value)} ms"


def _vs_backend(
    results: Results, size: str, hook: str, metric: str, other: str, limit: float
) -> Target:
    mine = results.median_of(size, hook, BASE, metric)
    theirs = results.median_of(size, hook, other, metric)
    label = f"{size} {hook} {_METRIC_LABELS[metric]} vs {other}"
    return Target(label, _shown(metric, mine), _shown(metric, theirs), _divide(mine, theirs), limit)


def _vs_floor(results: Results, hook: str) -> Target:
    mine = results.median_of("large", hook, BASE, "wall")
    floor_samples = results.floors.get(TWO_THREAD_FLOOR)
    floor = median([s.wall for s in floor_samples]) if floor_samples else None
    label = f"large {hook} wall vs two-thread deflate floor"
    return Target(label, _shown("wall", mine), _shown("wall", floor), _divide(mine, floor), 1.3)


def _e2e_target(results: Results, command: str, other: str, limit: float) -> Target:
    mine, theirs = results.e2e_wall(command, BASE), results.e2e_wall(command, other)
    label = f"end to end `{command}` wall vs {other}"
    return Target(label, _shown("wall", mine), _shown("wall", theirs), _divide(mine, theirs), limit)


def _import_targets(results: Results) -> list[Target]:
    base = results.import_result(BASE)
    seconds = median(base.seconds) if base else None
    modules = median([float(m) for m in base.modules]) if base else None
    milliseconds = None if seconds is None else seconds * 1000
    shown_modules = "n/a" if modules is None else f"{modules:.0f}"
    label = f"import {BACKEND_MODULE}"
    return [
        Target(f"{label} time", _shown("wall", seconds), "—", milliseconds, 5.0, "ms"),
        Target(f"{label} modules", shown_modules, "—", modules, 30, "modules"),
    ]


def targets(results: Results) -> list[Target]:
    """The targets of the parts that ran (``--only e2e`` and ``--skip-e2e`` leave some out)."""
    found: list[Target] = []
    if results.hooks:
        for size in ("tiny", "medium"):
            for hook in HOOKS:
                found.append(_vs_backend(results, size, hook, "cpu", "flit_core", 0.5))
                found.append(_vs_backend(results, size, hook, "cpu", "uv_build", 1.0))
        found.append(_vs_backend(results, "large", "build_wheel", "wall", "uv_build", 0.8))
        found.append(_vs_backend(results, "large", "build_sdist", "wall", "uv_build", 1.0))
        found += [_vs_floor(results, "build_wheel"), _vs_floor(results, "build_sdist")]
    if results.imports:
        found += _import_targets(results)
    if results.hooks:
        found += [
            _vs_backend(results, "large", hook, "peak_rss", "flit_core", 1.2) for hook in HOOKS
        ]
    found += [_e2e_target(results, command, "flit_core", 1.0) for command in results.e2e_commands()]
    return found


def _target_row(target: Target) -> list[str]:
    if target.unit == RATIO:
        value, limit = _ratio(target.value), f"≤ {target.limit:g}{TIMES}"
    else:
        value = "n/a" if target.value is None else f"{target.value:.1f} {target.unit}"
        limit = f"≤ {target.limit:g} {target.unit}"
    verdict = {True: "pass", False: "**FAIL**", None: "n/a"}[target.passed]
    return [target.label, target.fletching, target.other, value, limit, verdict]


def _targets(results: Results) -> str:
    found = targets(results)
    verdicts = [target.passed for target in found]
    summary = (
        f"{verdicts.count(True)} of {len(verdicts)} targets met, "
        f"{verdicts.count(False)} missed, {verdicts.count(None)} not measured."
    )
    intro = (
        "## Targets\n\nMedians. A ratio is fletching's figure ÷ the other one's "
        "(below 1: fletching is faster or smaller); it must not exceed the limit.\n\n"
    )
    header = ["target", "fletching", "compared with", "ratio or value", "limit", "result"]
    rows = [_target_row(target) for target in found]
    return intro + _table(header, rows, "lrrrrl") + "\n\n" + summary


def render(results: Results) -> str:
    """The sections of the parts that ran."""
    sections = [_header(results)]
    if results.contents:
        sections.append(_contents(results))
    if results.hooks:
        sections += [_hooks(results, p.size) for p in results.projects]
    if results.imports:
        sections.append(_imports(results))
    if results.startup:
        sections.append(_startup(results))
    if results.floors:
        sections.append(_floors(results))
    if results.e2e:
        sections.append(_e2e(results))
    sections.append(_targets(results))
    return "\n\n".join(sections) + "\n"
