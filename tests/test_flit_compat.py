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
import configparser
import csv
import email.parser
import email.utils
import importlib
import io
import re
import shutil
import sys
import tarfile
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any, Callable, Literal

import pytest
from packaging.markers import Marker
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name

from flit_differences import DIFFERENCES, FLETCHING_ONLY, Case, Facts
from helpers import (
    EXAMPLES,
    SAMPLES,
    build_sdist,
    build_wheel,
    chdir,
    validate_sdist,
    validate_wheel,
)

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python < 3.11
    import tomli as tomllib

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


def _load_toml(text: str) -> dict[str, Any]:
    return tomllib.loads(text)


# ---------------------------------------------------------------------------
# Building


def copy_project(source: Path, target: Path) -> Path:
    shutil.copytree(source, target, ignore=shutil.ignore_patterns("__pycache__"))
    generated = GENERATED_FILES.get(source.name, {}) if source.parent == SAMPLES else {}
    for rel, data in generated.items():
        (target / rel).parent.mkdir(parents=True, exist_ok=True)
        (target / rel).write_bytes(data)
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


def _flit_buildapi() -> ModuleType:
    return importlib.import_module("flit_core.buildapi")


def flit_hook(project: Path, name: str, out: Path) -> Path:
    """Call a flit_core.buildapi hook in this process, from the project folder."""
    hook: Callable[[str], str] = getattr(_flit_buildapi(), name)
    out.mkdir(parents=True, exist_ok=True)
    with chdir(project):
        return out / hook(str(out))


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
    return Case(_case_id(source), _load_toml(text))


# ---------------------------------------------------------------------------
# Facts: what an artefact says, in comparable form


def canonical_marker(marker: Marker | None) -> object:
    """A marker's and/or structure, insensitive to operand order and redundant brackets."""
    if marker is None:
        return None
    return _marker_node(marker._markers)


def _marker_node(node: object) -> frozenset[frozenset[object]]:
    """Return the node as an OR of ANDs (frozensets), flattening nested and/or of one kind."""
    if isinstance(node, tuple):
        atom = tuple((type(part).__name__, str(part.value)) for part in node)
        return frozenset({frozenset({atom})})
    assert isinstance(node, list), node
    groups: list[list[frozenset[frozenset[object]]]] = [[]]
    for item in node:
        if item == "or":
            groups.append([])
        elif item != "and":
            groups[-1].append(_marker_node(item))
    alternatives: set[frozenset[object]] = set()
    for group in groups:
        atoms: set[object] = set()
        for operand in group:
            if len(operand) == 1:
                atoms |= next(iter(operand))  # an AND (or a single atom) merges in
            else:
                atoms.add(operand)  # an OR stays one operand of the AND
        if len(atoms) == 1 and isinstance(only := next(iter(atoms)), frozenset):
            alternatives |= only  # a bracketed OR alone in its group
        else:
            alternatives.add(frozenset(atoms))
    return frozenset(alternatives)


def canonical_requirement(text: str) -> tuple[object, ...]:
    req = Requirement(text)
    return (
        canonicalize_name(req.name),
        tuple(sorted(canonicalize_name(e) for e in req.extras)),
        str(req.specifier),
        req.url,
        canonical_marker(req.marker),
    )


_SET_FIELDS = {"Classifier", "License-File", "Project-URL", "Provides-Extra"}
_ADDRESS_FIELDS = {"Author-email", "Maintainer-email"}
_MULTIPLE_USE = {"Import-Name", "Import-Namespace", "Dynamic", "Platform", "Supported-Platform"}


def metadata_facts(prefix: str, text: str) -> Facts:
    """Core metadata, field by field: sets where order is meaningless, else parsed."""
    message = email.parser.Parser().parsestr(text)
    assert not message.defects, message.defects
    values: dict[str, list[str]] = collections.defaultdict(list)
    for name, value in message.items():
        values[name].append(str(value))
    facts: Facts = {}
    for name, items in values.items():
        key = f"{prefix}:{name}"
        if name in _SET_FIELDS:
            facts[key] = frozenset(items)
            assert len(facts[key]) == len(items), f"{key} repeats a value: {items}"
        elif name in _ADDRESS_FIELDS:
            (value,) = items
            facts[key] = tuple(email.utils.getaddresses([value]))
        elif name == "Requires-Dist":
            facts[key] = tuple(sorted(map(canonical_requirement, items), key=repr))
            facts[f"{key}:text"] = tuple(items)
        elif name == "Requires-Python":
            (value,) = items
            facts[key] = frozenset(SpecifierSet(value))
        elif name in _MULTIPLE_USE:
            facts[key] = tuple(items)
        else:
            assert len(items) == 1, f"{key} appears {len(items)} times"
            facts[key] = items[0]
    payload = message.get_payload()
    facts[f"{prefix}:body"] = payload if isinstance(payload, str) and payload else None
    return facts


class _EntryPointsParser(configparser.ConfigParser):
    """entry_points.txt as packaging tools read it: '=' only, names keep their case."""

    def __init__(self) -> None:
        super().__init__(delimiters=("=",), interpolation=None)

    def optionxform(self, optionstr: str) -> str:
        return optionstr


def _entry_points(text: str) -> frozenset[tuple[str, str, str]]:
    parser = _EntryPointsParser()
    parser.read_string(text)
    return frozenset(
        (group, name, value) for group in parser.sections() for name, value in parser[group].items()
    )


def wheel_facts(path: Path) -> Facts:
    with zipfile.ZipFile(path) as zf:
        infos = zf.infolist()
        members = {info.filename: zf.read(info) for info in infos}
        modes = frozenset((info.filename, info.external_attr >> 16) for info in infos)
    (dist_info,) = {name.split("/")[0] for name in members if ".dist-info/" in name}
    generated = {f"{dist_info}/{n}" for n in ("METADATA", "WHEEL", "RECORD", "entry_points.txt")}
    facts: Facts = {
        "wheel:filename": path.name,
        "wheel:members": frozenset(members),
        "wheel:modes": modes,
    }
    for name, data in members.items():
        if name not in generated:
            facts[f"wheel:member:{name}"] = data
    for line in members[f"{dist_info}/WHEEL"].decode("utf-8").splitlines():
        field, _, value = line.partition(": ")
        if field == "Tag":
            facts["WHEEL:Tag"] = (*facts.get("WHEEL:Tag", ()), value)
        else:
            assert f"WHEEL:{field}" not in facts, line
            facts[f"WHEEL:{field}"] = value
    facts["WHEEL:Tag"] = tuple(sorted(facts.get("WHEEL:Tag", ())))
    facts.update(metadata_facts("METADATA", members[f"{dist_info}/METADATA"].decode("utf-8")))
    if f"{dist_info}/entry_points.txt" in members:
        text = members[f"{dist_info}/entry_points.txt"].decode("utf-8")
        facts["entry_points.txt:text"] = text
        facts["entry_points.txt"] = _entry_points(text)
    record = members[f"{dist_info}/RECORD"].decode("utf-8")
    rows = list(csv.reader(io.StringIO(record, newline="")))
    facts["RECORD:line-ending"] = "\r\n" if "\r\n" in record else "\n"
    facts["RECORD:order"] = tuple(row[0] for row in rows)
    facts["RECORD:rows"] = frozenset(
        (row[0], row[1], row[2]) if row[0] not in generated else (row[0],) for row in rows
    )
    return facts


def sdist_facts(path: Path) -> Facts:
    with tarfile.open(path) as tf:
        infos = tf.getmembers()
        tops = {info.name.split("/")[0] for info in infos}
        assert len(tops) == 1, tops
        (top,) = tops
        members: dict[str, bytes] = {}
        modes = set()
        for info in infos:
            assert info.isfile(), info.name
            rel = info.name[len(top) + 1 :]
            fileobj = tf.extractfile(info)
            assert fileobj is not None
            members[rel] = fileobj.read()
            modes.add((rel, info.mode))
    facts: Facts = {
        "sdist:filename": path.name,
        "sdist:top": top,
        "sdist:order": tuple(info.name[len(top) + 1 :] for info in infos),
        "sdist:members": frozenset(members),
        "sdist:modes": frozenset(modes),
    }
    for rel, data in members.items():
        if rel == "PKG-INFO":
            facts.update(metadata_facts("PKG-INFO", data.decode("utf-8")))
        elif rel == "pyproject.toml":
            table = _load_toml(data.decode("utf-8"))
            table.pop("build-system", None)
            facts["sdist:pyproject.toml"] = table
        else:
            facts[f"sdist:member:{rel}"] = data
    return facts


def installed_facts(wheel: Path, target: Path) -> Facts:
    """Install with `installer` and record every file outside .dist-info, byte for byte."""
    from installer import install
    from installer.destinations import SchemeDictionaryDestination
    from installer.sources import WheelFile

    schemes = ("purelib", "platlib", "headers", "scripts", "data")
    destination = SchemeDictionaryDestination(
        {scheme: str(target / scheme) for scheme in schemes},
        interpreter="/usr/bin/python3",
        script_kind="posix",
    )
    with WheelFile.open(wheel) as source:
        source.validate_record()
        install(source, destination, additional_metadata={})
    files = {
        path.relative_to(target).as_posix(): path.read_bytes()
        for path in sorted(target.rglob("*"))
        if path.is_file() and not any(p.endswith(".dist-info") for p in path.parts)
    }
    facts: Facts = {"installed:files": frozenset(files)}
    facts.update({f"installed:{rel}": data for rel, data in files.items()})
    return facts


# ---------------------------------------------------------------------------
# Comparison

DIFFERENCES_SEEN: collections.Counter[str] = collections.Counter()
COMPARISONS_RUN: set[tuple[str, str]] = set()


def _show(value: object) -> str:
    text = repr(value)
    return text if len(text) < 600 else text[:600] + "..."


def assert_equivalent(case: Case, kind: str, flit: Facts, ours: Facts) -> None:
    for difference in DIFFERENCES:
        if difference.adjust(case, flit, ours):
            DIFFERENCES_SEEN[difference.name] += 1
    COMPARISONS_RUN.add((case.name, kind))
    problems = []
    for key in sorted(flit.keys() | ours.keys()):
        theirs, mine = flit.get(key, "<absent>"), ours.get(key, "<absent>")
        if theirs != mine:
            problems.append(f"{key}:\n    flit_core: {_show(theirs)}\n    fletching: {_show(mine)}")
    assert not problems, f"{case.name}: {kind} differs from flit_core's:\n" + "\n".join(problems)


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
        tool = _load_toml((path / "pyproject.toml").read_text(encoding="utf-8")).get("tool", {})
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
        pyproject = _load_toml((path / "pyproject.toml").read_text(encoding="utf-8"))
        assert pyproject["build-system"] == expected, path


def test_every_listed_difference_occurs_in_the_corpus() -> None:
    """Runs last: a listed difference that no sample shows is stale and must go."""
    expected = {(case_id, kind) for case_id in CASE_IDS for kind in ("wheel", "install", "sdist")}
    if not expected <= COMPARISONS_RUN:
        pytest.skip("only meaningful after every comparison in this module has run")
    unseen = [d.name for d in DIFFERENCES if not DIFFERENCES_SEEN[d.name]]
    assert not unseen, f"listed differences that no sample shows: {unseen}"
