"""Generate the benchmark's projects: the same files for every backend, only the config differs.

Everything comes from a seeded ``random.Random``, so two runs (and every backend)
see byte-identical sources. Each project is a package (uv_build cannot ship a
single-file module), with static metadata only, so no backend has to import
anything to learn the version.
"""

from __future__ import annotations

import json
import random
import shutil
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

# Bump when the generated content changes, so that projects left by an older run
# are regenerated instead of reused.
GENERATOR_VERSION = 2
SEED = 20251122

SIZES = ("tiny", "medium", "large")

# Large projects: 85% of the bytes Python-like source (deflates about 4:1, like
# real code), 10% random bytes (incompressible, like images or compiled data), 5%
# numeric JSON (deflates about 2:1). Deflate cost then resembles a real package.
_PYTHON_SHARE = 0.85
_BINARY_SHARE = 0.10
_MODULES_PER_PACKAGE = 40
_PACKAGES_PER_PARENT = 5

_SYLLABLES = (
    "ar", "be", "co", "da", "el", "fi", "go", "ha", "in", "jo", "ka", "lu", "me",
    "no", "or", "pa", "qu", "ri", "so", "ta", "ul", "ve", "wi", "xa", "yo", "ze",
)  # fmt: skip
_PROSE = (
    "the", "value", "of", "a", "to", "is", "returns", "list", "when", "given", "and",
    "for", "each", "item", "in", "this", "object", "raise", "if", "not", "found",
    "default", "option", "path", "name", "context", "string", "number", "result",
)  # fmt: skip
_STDLIB = ("os", "re", "sys", "json", "typing", "functools", "itertools", "collections")


@dataclass(frozen=True)
class ProjectSpec:
    """What to generate for one size."""

    size: str
    modules: int  # Python files in the package, __init__.py files included
    total_bytes: int  # approximate size of everything generated

    @property
    def distribution(self) -> str:
        return f"bench-{self.size}"

    @property
    def module(self) -> str:
        return f"bench_{self.size}"


@dataclass(frozen=True)
class ProjectInfo:
    """What was generated: reported next to the results."""

    size: str
    module: str
    python_files: int
    files: int
    bytes: int


def specs(large_modules: int, large_mb: float) -> list[ProjectSpec]:
    return [
        ProjectSpec("tiny", 1, 2_000),
        # About the size of click: ~60 modules, ~1 MB of source over a few subpackages.
        ProjectSpec("medium", 60, 1_000_000),
        ProjectSpec("large", large_modules, int(large_mb * 1_000_000)),
    ]


# --- Python-like source -------------------------------------------------------------


class _SourceWriter:
    """Writes plausible Python: docstrings, functions, classes, from a fixed vocabulary."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        words: set[str] = set()
        while len(words) < 600:
            words.add("".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 4))))
        self.words = sorted(words)

    def name(self) -> str:
        return "_".join(self.rng.choice(self.words) for _ in range(self.rng.randint(1, 3)))

    def sentence(self) -> str:
        pool = self.words if self.rng.random() < 0.3 else _PROSE
        text = " ".join(self.rng.choice(pool) for _ in range(self.rng.randint(5, 12)))
        return text.capitalize() + "."

    def function(self, indent: str = "", method: bool = False) -> str:
        rng = self.rng
        args = [self.name() for _ in range(rng.randint(1, 3))]
        params = ", ".join((["self"] if method else []) + [f"{a}: int" for a in args])
        var, item = self.name(), self.name()
        body = (
            f'def {self.name()}({params}) -> int:\n    """{self.sentence()}\n\n'
            f'    {self.sentence()} {self.sentence()}\n    """\n'
            f"    {var} = {args[0]} * {rng.randint(2, 999)} + {rng.randint(0, 99)}\n"
            f"    if {var} > {rng.randint(100, 99_999)}:\n"
            f"        return {self.name()}({var}, {args[-1]})\n"
            f"    for {item} in range({args[-1]}):\n"
            f'        {var} += len(str({item})) or len("{self.name()}")\n'
            f"    return {var}\n"
        )
        return "".join(indent + line if line.strip() else line for line in body.splitlines(True))

    def klass(self) -> str:
        parts = [f'class {self.name().title().replace("_", "")}:\n    """{self.sentence()}"""\n']
        parts.extend(
            "\n" + self.function("    ", method=True) for _ in range(self.rng.randint(2, 4))
        )
        return "".join(parts)

    def module(self, target_bytes: int) -> str:
        rng = self.rng
        imports = sorted(rng.sample(_STDLIB, 3))
        parts = [f'"""{self.sentence()}"""\n\n', *(f"import {m}\n" for m in imports), "\n"]
        parts.append(f"{self.name().upper()} = {rng.randint(0, 10**6)}\n")
        size = sum(map(len, parts))
        while size < target_bytes:
            chunk = "\n\n" + (self.klass() if rng.random() < 0.3 else self.function())
            parts.append(chunk)
            size += len(chunk)
        return "".join(parts)


# --- Project layouts ----------------------------------------------------------------

Files = dict[str, bytes]


def _readme(spec: ProjectSpec) -> bytes:
    return f"# {spec.distribution}\n\nGenerated by the fletching benchmark.\n".encode()


_LICENSE = b"MIT License\n\nCopyright (c) the fletching benchmark\n\nPermission is granted.\n"


def _tiny(spec: ProjectSpec, rng: random.Random) -> Files:
    return {f"{spec.module}/__init__.py": _SourceWriter(rng).module(spec.total_bytes).encode()}


def _medium(spec: ProjectSpec, rng: random.Random) -> Files:
    writer = _SourceWriter(rng)
    subpackages = ("core", "formatting", "parsing", "_compat")
    per_module = spec.total_bytes * 0.95 / spec.modules
    paths = [f"{spec.module}/__init__.py", f"{spec.module}/cli.py"]
    paths += [f"{spec.module}/{sub}/__init__.py" for sub in subpackages]
    index = 0
    while len(paths) < spec.modules:
        paths.append(f"{spec.module}/{subpackages[index % 4]}/{writer.name()}_{index}.py")
        index += 1
    files: Files = {
        p: writer.module(int(per_module * rng.uniform(0.4, 1.6))).encode() for p in paths
    }
    files[f"{spec.module}/py.typed"] = b""
    for n in range(3):
        files[f"{spec.module}/templates/page_{n}.txt"] = writer.sentence().encode() * 40
    files[f"{spec.module}/data/table.json"] = _json_table(rng, 20_000)
    return files


def _large_paths(spec: ProjectSpec) -> Iterator[str]:
    """``N`` module paths in nested subpackages: parent packages of leaf packages."""
    top = spec.module
    yield f"{top}/__init__.py"
    yield f"{top}/cli.py"
    made, leaf = 2, 0
    while made < spec.modules:
        package = f"{top}/group_{leaf // _PACKAGES_PER_PARENT:02d}/part_{leaf:03d}"
        if leaf % _PACKAGES_PER_PARENT == 0:
            yield f"{package.rsplit('/', 1)[0]}/__init__.py"
            made += 1
        yield f"{package}/__init__.py"
        made += 1
        for number in range(min(_MODULES_PER_PACKAGE, spec.modules - made)):
            yield f"{package}/mod_{number:02d}.py"
            made += 1
        leaf += 1


def _large(spec: ProjectSpec, rng: random.Random) -> Files:
    writer = _SourceWriter(rng)
    paths = list(_large_paths(spec))
    per_module = spec.total_bytes * _PYTHON_SHARE / len(paths)
    files: Files = {
        p: writer.module(int(per_module * rng.uniform(0.3, 1.7))).encode() for p in paths
    }
    data_files = max(2, len(paths) // 25)
    binary_each = spec.total_bytes * _BINARY_SHARE / data_files
    json_each = spec.total_bytes * (1 - _PYTHON_SHARE - _BINARY_SHARE) / data_files
    for n in range(data_files):
        files[f"{spec.module}/data/blob_{n:03d}.bin"] = rng.randbytes(int(binary_each))
        files[f"{spec.module}/data/table_{n:03d}.json"] = _json_table(rng, int(json_each))
    files[f"{spec.module}/py.typed"] = b""
    return files


def _json_table(rng: random.Random, target_bytes: int) -> bytes:
    rows = max(1, target_bytes // 60)
    table = [
        [rng.randint(0, 10**6), round(rng.random(), 6), rng.choice(_PROSE)] for _ in range(rows)
    ]
    return json.dumps(table).encode()


_LAYOUTS = {"tiny": _tiny, "medium": _medium, "large": _large}


def generate(spec: ProjectSpec) -> Files:
    """Every file of the project except pyproject.toml, which differs by backend."""
    rng = random.Random(SEED + SIZES.index(spec.size))
    files = _LAYOUTS[spec.size](spec, rng)
    files["README.md"] = _readme(spec)
    files["LICENSE"] = _LICENSE
    # Its own .gitignore, as real projects have: otherwise hatchling walks up to the
    # repository around --out and packs that one's into its sdist.
    files[".gitignore"] = b"__pycache__/\n*.py[cod]\n/dist/\n"
    return files


# --- pyproject.toml -----------------------------------------------------------------


def pyproject_toml(spec: ProjectSpec, backend_module: str, requirement: str) -> str:
    """The same static [project] table for every backend; only what it needs to find the
    package differs (flit_core and fletching derive it from the project name)."""
    scripts = (
        ""
        if spec.size == "tiny"
        else f'[project.scripts]\n{spec.distribution} = "{spec.module}.cli:main"\n'
    )
    text = f"""\
[build-system]
requires = ["{requirement}"]
build-backend = "{backend_module}"

[project]
name = "{spec.distribution}"
version = "1.0.0"
description = "A generated project for the fletching benchmark ({spec.size})."
readme = "README.md"
requires-python = ">=3.9"
license = "MIT"
license-files = ["LICENSE"]
authors = [{{ name = "Bench Mark", email = "bench@example.org" }}]
keywords = ["benchmark"]
classifiers = ["Programming Language :: Python :: 3", "Operating System :: OS Independent"]
dependencies = ["packaging>=24"]

[project.optional-dependencies]
test = ["pytest>=8"]

[project.urls]
Homepage = "https://example.org/bench"

{scripts}"""
    if backend_module.startswith("hatchling"):
        text += f'\n[tool.hatch.build.targets.wheel]\npackages = ["{spec.module}"]\n'
    elif backend_module.startswith("uv_build"):
        text += f'\n[tool.uv.build-backend]\nmodule-name = "{spec.module}"\nmodule-root = ""\n'
    return text


# --- Writing to disk ----------------------------------------------------------------


def project_dir(projects_root: Path, spec: ProjectSpec, backend: str) -> Path:
    return projects_root / spec.size / backend


def write_projects(
    projects_root: Path,
    spec: ProjectSpec,
    backends: Sequence[tuple[str, str, str]],
) -> ProjectInfo:
    """Write one copy per backend (name, module, requirement); reuse copies left by a run
    with the same parameters, since generating and writing 60 MB four times takes a while."""
    stamp_path = projects_root / f"{spec.size}.json"
    key = {"generator": GENERATOR_VERSION, "seed": SEED, "spec": asdict(spec)}
    size_root = projects_root / spec.size
    info = _reusable(stamp_path, key)
    if info is None or not all((size_root / name).is_dir() for name, _, _ in backends):
        shutil.rmtree(size_root, ignore_errors=True)
        files = generate(spec)
        for name, _, _ in backends:
            _write_files(size_root / name, files)
        python_files = sum(path.endswith(".py") for path in files)
        total = sum(map(len, files.values()))
        info = ProjectInfo(spec.size, spec.module, python_files, len(files), total)
        stamp_path.parent.mkdir(parents=True, exist_ok=True)
        stamp_path.write_text(json.dumps({"key": key, "info": asdict(info)}, indent=2))
    for name, module, requirement in backends:
        (size_root / name / "pyproject.toml").write_text(pyproject_toml(spec, module, requirement))
    return info


def _reusable(stamp_path: Path, key: dict[str, object]) -> ProjectInfo | None:
    """The info of projects generated earlier with the same parameters, if any."""
    try:
        stamp = json.loads(stamp_path.read_text())
        return ProjectInfo(**stamp["info"]) if stamp["key"] == key else None
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _write_files(root: Path, files: Files) -> None:
    for relative, content in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
