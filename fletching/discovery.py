"""Find the project's modules, and the files each brings (walked by ``tree.Tree``)."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import NamedTuple

from ._validate import control_character
from .errors import ConfigError
from .inside import refuse_outside
from .names import init_files, is_stubs, namespaces_around, split_stubs
from .tree import Tree


class Module(NamedTuple):
    """The importable module or package the project ships."""

    name: str  # the import name, dotted for a namespace portion
    path: str  # its file or folder, relative to the project root
    is_package: bool  # a folder: with an __init__.py, or a namespace package (PEP 420)
    # What flit_core packs without a word and fletching warns of, "<file>: <key>: ...":
    # module_files gives them, once for each artefact that packs the module.
    warnings: tuple[str, ...] = ()

    @property
    def source_dir(self) -> str:
        """The folder that goes on sys.path ('' for the project root, else e.g. 'src')."""
        depth = self.name.count(".") + 1
        parts = self.path.split("/")
        return "/".join(parts[: len(parts) - depth])

    @property
    def entry_file(self) -> str:
        if not self.is_package:
            return self.path
        return f"{self.path}/{init_files(self.name)[-1]}"

    def arcname(self, relpath: str) -> str:
        """Where a file of the module goes in a wheel."""
        prefix = self.source_dir
        return relpath[len(prefix) + 1 :] if prefix else relpath


def find_module(root: Path, name: str, key: str, *, namespace: bool = False) -> Module:
    """Locate the module ``name`` in the project, in the flat or src layout.

    As in flit_core, a folder is the package whether it has an ``__init__.py`` or
    not (then it is a PEP 420 namespace package), and the parents of a dotted name
    are left out even if they have an ``__init__.py``; fletching says so in
    ``Module.warnings``, unless ``namespace``: [project] import-namespaces lists the
    name, so a folder without one is what the project means.
    """
    _check_module_name(name, key)
    parts = name.split(".")
    init_names = init_files(name)
    found: list[Module] = []
    bare: list[str] = []  # folders without an __init__ file
    looked: list[str] = []
    for base in ("", "src"):
        prefix = f"{base}/" if base else ""
        pkg = prefix + "/".join(parts)
        single = pkg + ".py"
        looked += [f"{pkg}/__init__.py", single]
        if any((root / pkg / init).is_file() for init in init_names):
            found.append(Module(name, pkg, True))
        elif (root / pkg).is_dir():
            found.append(Module(name, pkg, True))
            bare.append(pkg)
        if (root / single).is_file():
            found.append(Module(name, single, False))
    if not found:
        guess = _similar_module(root, name)
        if key.startswith("[project] import-names"):
            # The name is the user's own list entry: the fix is there, not in a tool table.
            advice = (
                f"; found {guess[1]!r}: list {guess[0]!r} instead"
                if guess
                else "; list the module's import name, or create it"
            )
        elif guess:
            advice = f'; found {guess[1]!r}: set [tool.flit.module] name = "{guess[0]}"'
        else:
            advice = (
                ". Set [tool.flit.module] name if the import name differs from the "
                "distribution name"
            )
        raise ConfigError(
            f"cannot find the module {name!r}: looked for {', '.join(looked)}{advice}",
            file="pyproject.toml",
            key=key,
        )
    if len(found) > 1:
        if bare and len(parts) == 1 and not is_stubs(name):
            # Most likely a folder of something else beside the module (flit_core
            # refuses the pair too): say what would make either one the package.
            raise ConfigError(
                f"the folder {bare[0]!r} has no __init__.py; add one, or for a namespace "
                "package give the dotted name of the portion, e.g. "
                + _naming(key, f"{name}.sub", verb=False),
                file="pyproject.toml",
                key=key,
            )
        paths = " and ".join(repr(m.path) for m in found)
        raise ConfigError(
            f"the module {name!r} is ambiguous: found {paths}; remove or rename all but one",
            file="pyproject.toml",
            key=key,
        )
    module = found[0]
    where = f"pyproject.toml: {key}: "
    warnings = []
    if bare and not namespace:
        init = init_names[-1]
        warnings.append(
            f"{where}the folder {module.path!r} has no {init}, so it is packed as a namespace "
            f"package (PEP 420); add {module.path}/{init} for a regular package"
        )
    warnings += [where + w for w in _namespace_parent_warnings(root, module, key)]
    return module._replace(warnings=tuple(warnings))


def _naming(key: str, name: str, *, verb: bool = True) -> str:
    """How to name the module ``name`` instead, where ``key`` names it: the list entry
    of [project] import-names, else the tool table (the one ``key`` is in, if it is)."""
    if key.startswith("[project] import-names"):
        return f'{"list " if verb else ""}"{name}" in [project] import-names'
    table = key.rsplit(" ", 1)[0] if key.startswith("[tool.") else "[tool.flit.module]"
    return f'{"set " if verb else ""}{table} name = "{name}"'


def _check_module_name(name: str, key: str) -> None:
    """Refuse a name that does not map to a path inside the project ('.' becomes '/').

    [tool.flit.module] name is checked when pyproject.toml is read; a name made from
    [project] name can still have an empty part ('a..b' would be 'a//b').
    """
    base = split_stubs(name)[0]
    problem = None
    if (sep := re.search(r"[/\\]", base)) is not None:
        problem = f"it contains {sep.group()!r}"
    elif any(not part for part in base.split(".")):
        problem = "a part between dots is empty"
    elif (bad := control_character(base)) is not None:
        problem = f"it contains the control character {bad!r}"
    if problem:
        raise ConfigError(
            f"{name!r} is not a module name: {problem}; write the import name with '.' between "
            f"its parts, e.g. {_naming(key, 'pkg.sub', verb=False)}",
            file="pyproject.toml",
            key=key,
        )


def _similar_module(root: Path, name: str) -> tuple[str, str] | None:
    """A top-level module whose name differs from ``name`` only in case, '-', '_' or '.'."""
    wanted = re.sub(r"[-_.]", "", name).lower()
    for base in ("", "src"):
        folder = root / base if base else root
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError:
            continue
        for entry in entries:
            stem = entry.name[:-3] if entry.name.endswith(".py") else entry.name
            is_module = entry.name.endswith(".py") or os.path.isfile(
                os.path.join(entry.path, "__init__.py")
            )
            if is_module and stem.isidentifier() and re.sub(r"_", "", stem).lower() == wanted:
                return stem, f"{base}/{entry.name}" if base else entry.name
    return None


def _namespace_parent_warnings(root: Path, module: Module, key: str) -> list[str]:
    """A parent of a dotted name that has an __init__.py: the wheel leaves it out."""
    found = []
    for whole in namespaces_around(module.name):
        parent = "/".join(filter(None, [module.source_dir, *whole.split(".")]))
        if (root / parent / "__init__.py").is_file():
            found.append(
                f"{module.name!r} is packed as a namespace package portion, so "
                f"{parent}/__init__.py is left out although it exists; remove "
                f"{parent}/__init__.py, or {_naming(key, whole)} to ship the whole package"
            )
    return found


def module_files(tree: Tree, module: Module) -> list[str]:
    """The module's files, as project-relative paths: never caches or bytecode.

    The module's warnings (see find_module) are given here, where an artefact
    takes its files: once for each wheel or sdist, none for metadata alone.
    """
    for warning in module.warnings:
        tree.warn(warning)
    if not module.is_package:
        refuse_outside(tree.root, module.path)
        tree.vetted.add(module.path)
        return [module.path]
    return tree.files_under(module.path)
