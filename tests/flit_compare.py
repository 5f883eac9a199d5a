"""Reduce wheels and sdists to comparable facts, and compare flit_core's with fletching's.

Shared by tests/test_flit_compat.py (the samples and examples) and the real-world
corpus in tests/e2e/test_e2e_corpus.py. A fact is a key such as
``"METADATA:Summary"`` or ``"wheel:member:pkg/__init__.py"`` and a comparable value;
the deliberate differences between the two backends are in tests/flit_differences.py.
"""

from __future__ import annotations

import collections
import configparser
import csv
import email.parser
import email.utils
import importlib
import io
import sys
import tarfile
import zipfile
from pathlib import Path
from typing import Any, Callable

from packaging.markers import Marker
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name

from flit_differences import DIFFERENCES, Case, Facts
from helpers import chdir, install_with_installer

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python < 3.11
    import tomli as tomllib


def load_toml(text: str) -> dict[str, Any]:
    return tomllib.loads(text)


def flit_hook(project: Path, name: str, out: Path) -> Path:
    """Call a flit_core.buildapi hook in this process, from the project folder."""
    hook: Callable[[str], str] = getattr(importlib.import_module("flit_core.buildapi"), name)
    out.mkdir(parents=True, exist_ok=True)
    with chdir(project):
        return out / hook(str(out))


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
        tuple(sorted(req.extras)),  # as written: flit_core normalises them (PEP 685)
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
            # A multiset: order carries no meaning, and sorting by repr would not do,
            # since two equal frozensets may list their items in different orders.
            facts[key] = collections.Counter(map(canonical_requirement, items))
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
    # The wheel's own .dist-info is a top-level folder; a package may ship others as data.
    (dist_info,) = {
        name.split("/")[0] for name in members if name.split("/")[0].endswith(".dist-info")
    }
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
        links: dict[str, str] = {}
        modes = set()
        for info in infos:
            rel = info.name[len(top) + 1 :]
            modes.add((rel, info.mode))
            if info.issym():
                links[rel] = info.linkname
                continue
            assert info.isfile(), info.name
            fileobj = tf.extractfile(info)
            assert fileobj is not None
            members[rel] = fileobj.read()
    facts: Facts = {
        "sdist:filename": path.name,
        "sdist:top": top,
        "sdist:order": tuple(info.name[len(top) + 1 :] for info in infos),
        "sdist:members": frozenset(members) | frozenset(links),
        "sdist:modes": frozenset(modes),
    }
    facts.update({f"sdist:link:{rel}": target for rel, target in links.items()})
    for rel, data in members.items():
        if rel == "PKG-INFO":
            facts.update(metadata_facts("PKG-INFO", data.decode("utf-8")))
        elif rel == "pyproject.toml":
            table = load_toml(data.decode("utf-8"))
            table.pop("build-system", None)
            facts["sdist:pyproject.toml"] = table
        else:
            facts[f"sdist:member:{rel}"] = data
    return facts


def installed_facts(wheel: Path, target: Path) -> Facts:
    """Install with `installer` and record every file outside .dist-info, byte for byte."""
    install_with_installer(wheel, target)
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


def _show(value: object) -> str:
    text = repr(value)
    return text if len(text) < 600 else text[:600] + "..."


def compare(case: Case, kind: str, flit: Facts, ours: Facts) -> list[str]:
    """Apply the listed differences, then fail on any other; return the names applied."""
    applied = [d.name for d in DIFFERENCES if d.adjust(case, flit, ours)]
    problems = []
    for key in sorted(flit.keys() | ours.keys()):
        theirs, mine = flit.get(key, "<absent>"), ours.get(key, "<absent>")
        if theirs != mine:
            problems.append(f"{key}:\n    flit_core: {_show(theirs)}\n    fletching: {_show(mine)}")
    assert not problems, f"{case.name}: {kind} differs from flit_core's:\n" + "\n".join(problems)
    return applied
