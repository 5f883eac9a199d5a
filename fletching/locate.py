"""Which modules a configuration ships, found in the project: the one module flit
derives from the name or ``[tool.flit.module]`` names, or the ``[project]
import-names`` list (PEP 794)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from . import discovery, names
from .errors import ConfigError, FletchingError, raise_all

if TYPE_CHECKING:
    from pathlib import Path

    from .discovery import Module
    from .metadata import Config


def module_names(config: Config) -> list[tuple[str, str]]:
    """(import name, key it comes from) of each module to ship, the one to read a
    dynamic version or description from first.

    One module needs no configuration: flit's name, derived from the distribution
    name, or [tool.flit.module] name. Several are listed in [project] import-names
    (PEP 794); flit_core refuses a list that is not exactly its one module, so a
    project it builds means here what it means there.
    """
    meta, tool = config.metadata, config.tool
    listed = []
    if "import-names" not in meta.dynamic:
        for i, entry in enumerate(meta.import_names or ()):
            listed.append((entry.name, f"[project] import-names[{i}]"))
    if tool.module is not None:
        own = (tool.module, f"[{tool.table}.module] name")
        if len(listed) < 2:
            return [own]  # complete() checks a single listed name against it
        if tool.module not in {name for name, _ in listed}:
            raise ConfigError(
                f"{tool.module!r} is not one of the modules [project] import-names lists"
                f" ({', '.join(repr(n) for n, _ in listed)}); with several modules this"
                " name only picks the one a dynamic version or description is read from:"
                " name one of them, or add it to import-names",
                file="pyproject.toml",
                key=own[1],
            )
        return [own, *((n, k) for n, k in listed if n != tool.module)]
    return listed or [(names.import_name_for(meta.name), "[project] name")]


def locate_module(root: Path, config: Config) -> Module:
    """The module a dynamic version or description is read from."""
    name, key = module_names(config)[0]
    return discovery.find_module(root, name, key)


def locate_modules(root: Path, config: Config) -> tuple[Module, ...]:
    """Every module the project ships, the one ``locate_module`` gives first.

    A listed submodule of a listed package (PEP 794 allows "pkg" and "pkg.sub") is
    shipped with the package's files; the metadata keeps both names."""
    declared = _declared_namespaces(config)
    found: list[tuple[Module, str]] = []
    errors: list[FletchingError] = []
    for name, key in module_names(config):
        try:
            module = discovery.find_module(root, name, key, namespace=name in declared)
            found.append((module, key))
        except FletchingError as exc:
            errors.append(exc)
    raise_all(errors)
    inside: set[str] = set()
    for i, (module, key) in enumerate(found):
        for other, other_key in found[:i]:
            sub = _submodule(module, other)
            if sub is not None:
                inside.add(sub.name)
                continue
            problem = _overlap(module, other)
            if problem:
                errors.append(
                    ConfigError(
                        f"{problem}, which {other_key} names already; list each top-level"
                        " module once, by its shortest import name",
                        file="pyproject.toml",
                        key=key,
                    )
                )
    raise_all(errors)
    return tuple(m for m, _ in found if m.name not in inside)


def _declared_namespaces(config: Config) -> set[str]:
    """The names [project] import-namespaces lists (not filled dynamically)."""
    meta = config.metadata
    if "import-namespaces" in meta.dynamic:
        return set()
    return {entry.name for entry in meta.import_namespaces or ()}


def _submodule(module: Module, other: Module) -> Module | None:
    """The one of two listed modules that is a submodule of the other package, by
    its name and its files: the package's files carry it."""
    for outer, inner in ((other, module), (module, other)):
        if (
            outer.is_package
            and inner.name.startswith(outer.name + ".")
            and inner.path.startswith(outer.path + "/")
        ):
            return inner
    return None


def _overlap(module: Module, other: Module) -> str | None:
    """How ``module`` shares files with ``other``, if it does."""
    if module.path == other.path:
        return f"{module.name!r} is {module.path!r}, the same files as {other.name!r}"
    for outer, inner in ((other, module), (module, other)):
        if outer.is_package and inner.path.startswith(outer.path + "/"):
            return (
                f"{module.name!r} ({module.path}) is "
                + ("inside" if inner is module else "the folder holding")
                + f" {other.name!r} ({other.path})"
            )
    return None
