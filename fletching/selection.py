"""Which files go into the wheel and the sdist, and which rule decided each one.

The builders take the chosen files from here; with explaining switched on the
same choices are printed to stderr, so what is shown is what is built.
"""

from __future__ import annotations

import posixpath
import sys
from typing import NamedTuple, TextIO

from .config import Project
from .discovery import DEFAULT_LICENSE_GLOBS, TOOL_FOLDER, VIRTUAL_ENV, Tree, module_files
from .errors import ConfigError, raise_all
from .globs import matching, pattern_matches


class Choice(NamedTuple):
    """One file of the project: where it goes (None: left out) and why."""

    path: str
    arcname: str | None
    rule: str


def _license_rule(project: Project, path: str) -> str:
    config = project.config
    if path == config.legacy_license_file:
        return "[project] license.file"
    patterns = config.license_file_patterns
    if patterns is None:
        patterns = tuple(("default license glob", p) for p in DEFAULT_LICENSE_GLOBS)
    for key, pattern in patterns:
        if pattern_matches(pattern, path):
            return f"{key} {pattern!r}"
    return "license file"  # pragma: no cover - every license file matched a pattern


def external_data(project: Project, tree: Tree) -> list[Choice]:
    """The [tool.flit.external-data] files, bound for ``{name}-{version}.data/data/``."""
    tool = project.config.tool
    directory = tool.external_data
    if directory is None:
        return []
    prefix = f"{project.metadata.stem}.data/data/"
    rule = f"[{tool.table}.external-data] directory {directory!r}"
    return [
        Choice(rel, prefix + rel[len(directory) + 1 :], rule) for rel in tree.files_under(directory)
    ]


def module_choices(project: Project, tree: Tree) -> list[Choice]:
    choices = []
    for module in project.modules:
        rule = f"module {module.name!r} ({module.path})"
        choices += [Choice(rel, module.arcname(rel), rule) for rel in module_files(tree, module)]
    return choices


def license_choices(project: Project) -> list[Choice]:
    di = project.dist_info
    return [
        Choice(path, f"{di}/licenses/{path}", _license_rule(project, path))
        for path in project.metadata.license_files
    ]


def sbom_choices(project: Project) -> list[Choice]:
    """The SBOM files (PEP 770), flat under ``.dist-info/sboms/`` by their file names."""
    di = project.dist_info
    return [
        Choice(path, f"{di}/sboms/{posixpath.basename(path)}", _sbom_rule(project, path))
        for path in project.sbom_files
    ]


def _sbom_rule(project: Project, path: str) -> str:
    for key, pattern in project.config.tool.sbom_files:
        if pattern_matches(pattern, path):
            return f"{key} {pattern!r}"
    return "SBOM file"  # pragma: no cover - every SBOM file matched a pattern


def wheel_choices(project: Project, tree: Tree, *, editable: bool = False) -> list[Choice]:
    """The project files a wheel holds (generated metadata aside)."""
    choices = [] if editable else module_choices(project, tree)
    return choices + external_data(project, tree) + license_choices(project) + sbom_choices(project)


def _shown(paths: list[str]) -> str:
    return ", ".join(paths[:5]) + (", ..." if len(paths) > 5 else "")


def sdist_choices(project: Project, tree: Tree) -> list[Choice]:
    """Every file considered for the sdist, kept or excluded, sorted by path.

    The sdist should hold what a wheel build needs, so that a wheel built from it equals
    one built from the tree. An exclude pattern that drops a file no wheel can be built
    without (pyproject.toml, the module's entry file, the readme, a licence) is an error,
    as in flit_core; one that drops other package data or external data is a warning.
    """
    meta = project.metadata
    tool = project.config.tool
    # What no wheel can be built without: an exclude may not drop it.
    crucial: dict[str, str] = {"pyproject.toml": "the project's pyproject.toml"}
    for choice in license_choices(project) + sbom_choices(project):
        crucial[choice.path] = choice.rule
    if meta.readme is not None and meta.readme.file is not None:
        crucial[meta.readme.file] = "[project] readme"
    # What the wheel holds besides: an exclude that drops it gets a warning.
    data = module_choices(project, tree) + external_data(project, tree)
    required = {**{c.path: c.rule for c in data}, **crucial}
    for module in project.modules:
        if module.entry_file in required:
            crucial[module.entry_file] = required[module.entry_file]
    selected = dict(required)
    for key, pattern in tool.include:
        for rel in tree.glob(pattern):
            selected.setdefault(rel, f"{key} {pattern!r}")
    dropped: dict[str, str] = {}
    errors = []
    for key, pattern in tool.exclude:
        matched = set(matching(pattern, selected))
        needed = sorted(matched & crucial.keys())
        if needed:
            errors.append(
                ConfigError(
                    f"{pattern!r} excludes files the build needs ({_shown(needed)}); no wheel"
                    " could be built from the sdist. Narrow the pattern",
                    file="pyproject.toml",
                    key=key,
                )
            )
            continue
        wheel_files = sorted(matched & required.keys())
        if wheel_files:
            # flit_core drops them from the sdist only; say what that costs.
            tree.warn(
                f"pyproject.toml: {key}: {pattern!r} leaves files the wheel holds"
                f" ({_shown(wheel_files)}) out of the sdist, so a wheel built from the sdist"
                " will lack them; narrow the pattern, or move the files out of the package"
            )
        for rel in matched:
            dropped[rel] = f"excluded by {key} {pattern!r}"
            del selected[rel]
    raise_all(errors)
    if "PKG-INFO" in selected:
        dropped["PKG-INFO"] = "replaced by the generated PKG-INFO"
        del selected["PKG-INFO"]
    choices = [Choice(rel, rel, rule) for rel, rule in selected.items()]
    choices += [Choice(rel, None, rule) for rel, rule in dropped.items()]
    return sorted(choices, key=lambda c: c.path)


def warn_left_out(project: Project, tree: Tree) -> None:
    """Say which folders inside the package are left out although flit_core packs them
    (a tool's cache, node_modules, a virtual environment): never drop a file silently."""
    inside = tuple(m.path + "/" for m in project.modules)
    for path, reason in sorted(set(tree.skipped)):
        if (
            reason in (TOOL_FOLDER, VIRTUAL_ENV)
            and path.startswith(inside)
            and not path.endswith("/__pycache__/")  # flit_core leaves these out too
        ):
            tree.warn(
                f"{path}: left out of the package ({reason}), although flit_core packs it;"
                " delete it, or move what the package needs out of it"
            )


def explain(
    what: str, choices: list[Choice], skipped: list[tuple[str, str]], stream: TextIO | None = None
) -> None:
    """Write the decisions to stderr (never stdout, which frontends may read)."""
    out = stream or sys.stderr
    lines = [f"fletching: files for {what}:"]
    for choice in choices:
        if choice.arcname is None:
            lines.append(f"  - {choice.path}  [{choice.rule}]")
        else:
            target = "" if choice.arcname == choice.path else f" -> {choice.arcname}"
            lines.append(f"  + {choice.path}{target}  [{choice.rule}]")
    lines += [f"  - {path}  [{reason}]" for path, reason in sorted(set(skipped))]
    out.write("\n".join(lines) + "\n")
