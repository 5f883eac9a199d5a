"""fletching is a drop-in successor of flit_core 4.2: same projects, equivalent artefacts.

Every project under tests/samples/ and examples/ is built twice, in this
process: with fletching, and with flit_core 4.2.0 after swapping only the
``[build-system]`` table. Each artefact is reduced to facts (see
tests/flit_differences.py) and the facts must be equal once the deliberate
differences listed there are applied. Each build gets a fresh copy of the
project, because flit imports the module in-process (and may write bytecode
next to it) when it needs the import fallback.
"""

from __future__ import annotations

import collections
import os
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import pytest

from flit_compare import (
    compare,
    flit_hook,
    installed_facts,
    load_toml,
    sdist_facts,
    wheel_facts,
)
from flit_differences import DIFFERENCES, FLETCHING_ONLY, Case, Facts
from helpers import (
    EXAMPLES,
    SAMPLES,
    build_sdist,
    build_wheel,
    validate_sdist,
    validate_wheel,
)

FLIT_BUILD_SYSTEM = """\
[build-system]
requires = ["flit_core >=4.2,<5"]
build-backend = "flit_core.buildapi"
"""
_BUILD_SYSTEM_TABLE = re.compile(r"^\[build-system\]\n(?:(?!\[).*\n)*", re.MULTILINE)

# Files git does not keep (it ignores *.pyc and __pycache__), written into every copy of a sample.
_PYC = b"\xa7\x0d\x0d\x0a" + bytes(12) + b"\xe3stale"
GENERATED_FILES: dict[str, dict[str, bytes]] = {
    "stray-bytecode": {"legacy/helper.pyc": _PYC},
    # .gitignore keeps .mypy_cache out of git, so the sample's tool folders are made here.
    "tool-folder-in-package": {
        "cached/.mypy_cache/3.11/cached.meta.json": b"{}",
        "cached/static/node_modules/lib/index.js": b"export {};\n",
    },
    "sdist-include-exclude": {
        "tests/__pycache__/test_curated.cpython-311-pytest-8.0.0.pyc": _PYC,
        "curated_sdist/__pycache__/__init__.cpython-311.pyc": _PYC,
    },
}


def _sample_dirs() -> list[Path]:
    return sorted(p for p in SAMPLES.iterdir() if p.is_dir() and p.name != "__pycache__")


def _cases() -> list[Any]:
    samples = [p for p in _sample_dirs() if (p / "pyproject.toml").is_file()]
    examples = sorted(p for p in EXAMPLES.iterdir() if (p / "pyproject.toml").is_file())
    return [pytest.param(p, id=p.name) for p in samples] + [
        pytest.param(p, id=f"example-{p.name}") for p in examples
    ]


CASES = _cases()
CASE_IDS = [str(p.id) for p in CASES]


def _case_id(source: Path) -> str:
    return source.name if source.parent == SAMPLES else f"example-{source.name}"


# ---------------------------------------------------------------------------
# Building


# Symbolic links, made in each copy: fletching's own sdist stores links as files, so a
# sample holding real links would lose them in the sdist's test suite.
GENERATED_LINKS: dict[str, dict[str, str]] = {
    "sdist-symlink": {"linked/schema.txt": "schema-v1.txt", "docs/latest.txt": "v1.txt"},
}


def copy_project(source: Path, target: Path) -> Path:
    shutil.copytree(source, target, symlinks=True, ignore=shutil.ignore_patterns("__pycache__"))
    generated = GENERATED_FILES.get(source.name, {}) if source.parent == SAMPLES else {}
    for rel, data in generated.items():
        (target / rel).parent.mkdir(parents=True, exist_ok=True)
        (target / rel).write_bytes(data)
    links = GENERATED_LINKS.get(source.name, {}) if source.parent == SAMPLES else {}
    for rel, points_to in links.items():
        os.symlink(points_to, target / rel)
    return target


def as_flit_project(project: Path, case_id: str) -> None:
    """Make a project copy build with flit_core: swap [build-system] (and renames, if listed)."""
    pyproject = project / "pyproject.toml"
    text = pyproject.read_text(encoding="utf-8")
    text, count = _BUILD_SYSTEM_TABLE.subn(FLIT_BUILD_SYSTEM, text, count=1)
    assert count == 1, f"{case_id}: pyproject.toml has no [build-system] table"
    if case_id in FLETCHING_ONLY:
        old, new = FLETCHING_ONLY[case_id][1]
        text = text.replace(old, new)
    pyproject.write_text(text, encoding="utf-8")


@dataclass(frozen=True)
class Built:
    flit: Path
    fletching: Path


class Builder:
    """Builds a case's artefacts once per session, each build from a fresh copy."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._cache: dict[tuple[str, str], Built] = {}

    def build(self, source: Path, kind: Literal["wheel", "sdist"]) -> Built:
        case_id = _case_id(source)
        key = (case_id, kind)
        if key not in self._cache:
            base = self.root / case_id / kind
            shutil.rmtree(base, ignore_errors=True)  # left over if an earlier attempt raised
            ours = copy_project(source, base / "fletching" / "project")
            theirs = copy_project(source, base / "flit" / "project")
            as_flit_project(theirs, case_id)
            if kind == "wheel":
                built = Built(
                    flit=flit_hook(theirs, "build_wheel", base / "flit" / "out"),
                    fletching=build_wheel(ours, _mkdir(base / "fletching" / "out")),
                )
            else:
                built = Built(
                    flit=flit_hook(theirs, "build_sdist", base / "flit" / "out"),
                    fletching=build_sdist(ours, _mkdir(base / "fletching" / "out")),
                )
            self._cache[key] = built
        return self._cache[key]


def _mkdir(path: Path) -> Path:
    path.mkdir(parents=True)
    return path


@pytest.fixture(scope="module")
def builder(tmp_path_factory: pytest.TempPathFactory) -> Builder:
    return Builder(tmp_path_factory.mktemp("flit-compat"))


def case_for(source: Path) -> Case:
    text = (source / "pyproject.toml").read_text(encoding="utf-8")
    return Case(_case_id(source), load_toml(text))


# ---------------------------------------------------------------------------
# Comparison

DIFFERENCES_SEEN: collections.Counter[str] = collections.Counter()
COMPARISONS_RUN: set[tuple[str, str]] = set()


def assert_equivalent(case: Case, kind: str, flit: Facts, ours: Facts) -> None:
    COMPARISONS_RUN.add((case.name, kind))
    DIFFERENCES_SEEN.update(compare(case, kind, flit, ours))


def _rename_tool_table(facts: Facts, case: Case) -> None:
    """For fletching-only samples flit built a copy whose pyproject.toml was renamed."""
    if case.name in FLETCHING_ONLY and "sdist:pyproject.toml" in facts:
        tool = facts["sdist:pyproject.toml"].get("tool", {})
        if "fletching" in tool:
            tool["flit"] = tool.pop("fletching")


@pytest.mark.parametrize("source", CASES)
def test_wheel_matches_flit_core_build(source: Path, builder: Builder) -> None:
    case = case_for(source)
    built = builder.build(source, "wheel")
    validate_wheel(built.fletching)
    assert_equivalent(case, "wheel", wheel_facts(built.flit), wheel_facts(built.fletching))


@pytest.mark.parametrize("source", CASES)
def test_wheel_installs_same_files_as_flit_core_wheel(
    source: Path, builder: Builder, tmp_path: Path
) -> None:
    case = case_for(source)
    built = builder.build(source, "wheel")
    flit = installed_facts(built.flit, tmp_path / "flit")
    ours = installed_facts(built.fletching, tmp_path / "fletching")
    assert_equivalent(case, "install", flit, ours)


@pytest.mark.parametrize("source", CASES)
def test_sdist_matches_flit_core_build(source: Path, builder: Builder) -> None:
    case = case_for(source)
    built = builder.build(source, "sdist")
    validate_sdist(built.fletching)
    ours = sdist_facts(built.fletching)
    _rename_tool_table(ours, case)
    assert_equivalent(case, "sdist", sdist_facts(built.flit), ours)


def _fletching_only_samples() -> Iterator[str]:
    for path in _sample_dirs():
        tool = load_toml((path / "pyproject.toml").read_text(encoding="utf-8")).get("tool", {})
        if "fletching" in tool:
            yield path.name


def test_samples_configured_for_fletching_only_are_listed_as_such() -> None:
    assert sorted(_fletching_only_samples()) == sorted(FLETCHING_ONLY)


@pytest.mark.parametrize("name", sorted(FLETCHING_ONLY))
def test_flit_core_cannot_build_fletching_only_samples_unchanged(name: str, tmp_path: Path) -> None:
    project = copy_project(SAMPLES / name, tmp_path / "project")
    text = (project / "pyproject.toml").read_text(encoding="utf-8")
    (project / "pyproject.toml").write_text(
        _BUILD_SYSTEM_TABLE.sub(FLIT_BUILD_SYSTEM, text, count=1), encoding="utf-8"
    )
    with pytest.raises(ValueError, match="No file/folder found for module"):
        flit_hook(project, "build_wheel", tmp_path / "out")


def test_every_sample_uses_fletching_as_its_build_backend() -> None:
    samples = _sample_dirs()
    assert len(samples) >= 25
    expected = {"requires": ["fletching"], "build-backend": "fletching.buildapi"}
    for path in samples:
        pyproject = load_toml((path / "pyproject.toml").read_text(encoding="utf-8"))
        assert pyproject["build-system"] == expected, path


def test_every_listed_difference_occurs_in_the_corpus() -> None:
    """Runs last: a listed difference that no sample shows is stale and must go."""
    expected = {(case_id, kind) for case_id in CASE_IDS for kind in ("wheel", "install", "sdist")}
    if not expected <= COMPARISONS_RUN:
        pytest.skip("only meaningful after every comparison in this module has run")
    unseen = [d.name for d in DIFFERENCES if not DIFFERENCES_SEEN[d.name]]
    assert not unseen, f"listed differences that no sample shows: {unseen}"
