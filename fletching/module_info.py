"""Read ``__version__`` and the docstring of the project's module.

Statically first (parsing the source, never running it); only when that fails,
by importing the module in a child interpreter, so that nothing the module does
can touch the backend's own process.
"""

from __future__ import annotations

import ast
import os
import sys
from typing import NamedTuple

from .errors import BuildError
from .inside import read_inside, refuse_outside

# get_requires_for_build_* reads the module statically with none of pathlib or discovery.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from pathlib import Path

    from .discovery import Module

VERSION_FILES = ("version.py", "_version.py", "__version__.py")
_MARKER = "--fletching-module-info--"


class ModuleValues(NamedTuple):
    version: str | None
    docstring: str | None


class ImportFailure(NamedTuple):
    """The module could not be imported; ``missing`` names an absent dependency."""

    message: str
    missing: str | None
    imported: bool = False  # the import worked but gave unusable values


def _parse(root: Path | str, relpath: str) -> ast.Module | None:
    try:
        return ast.parse(read_inside(root, relpath)[0], filename=os.path.join(root, relpath))
    except (SyntaxError, ValueError, OSError):
        return None


def _assigned_string(tree: ast.Module, name: str) -> str | bool | None:
    """The string literal first assigned to ``name`` at top level.

    None when there is no such assignment, False when the value is not a plain
    non-empty string (an expression, a call, a number): only an import can tell.
    """
    for node in tree.body:
        targets: list[ast.expr] = []
        value: ast.expr | None = None
        if isinstance(node, ast.Assign):
            targets, value = node.targets, node.value
        elif isinstance(node, ast.AnnAssign) and node.value is not None:
            targets, value = [node.target], node.value
        if any(isinstance(t, ast.Name) and t.id == name for t in targets):
            # The first top-level assignment wins, as in flit.
            if isinstance(value, ast.Constant) and isinstance(value.value, str) and value.value:
                return value.value
            return False
    return None


def read_static(
    root: Path, module: Module, need_version: bool = True, need_docstring: bool = True
) -> ModuleValues | None:
    """Values read without running code, or None if something must be imported."""
    package = module.path if module.is_package else None
    found = _read_static(root, module.entry_file, package, need_version, need_docstring)
    if found is None:
        return None
    version, docstring = found
    if docstring is not None:
        import inspect  # what ast.get_docstring cleans with, imported only here

        docstring = inspect.cleandoc(docstring)
    return ModuleValues(version, docstring)


def readable_statically(
    root: str, entry_file: str, package: str | None, need_version: bool, need_docstring: bool
) -> bool:
    """Whether ``read_static`` gives the values, for the module whose file is
    ``entry_file`` (in the folder ``package`` for a package)."""
    return _read_static(root, entry_file, package, need_version, need_docstring) is not None


def _read_static(
    root: Path | str,
    entry_file: str,
    package: str | None,
    need_version: bool,
    need_docstring: bool,
) -> tuple[str | None, str | None] | None:
    """(version, docstring as written), or None if something must be imported."""
    entry = _parse(root, entry_file)
    if entry is None:
        return None
    docstring = ast.get_docstring(entry, clean=False)
    if need_docstring and not (docstring and docstring.strip()):
        return None
    version = _assigned_string(entry, "__version__")
    if version in (None, False) and package is not None:
        for name in VERSION_FILES:
            other = f"{package}/{name}"
            tree = _parse(root, other) if os.path.isfile(os.path.join(root, other)) else None
            if tree is not None:
                found = _assigned_string(tree, "__version__")
                if isinstance(found, str):
                    version = found
                    break
    if not isinstance(version, str):
        return None if need_version else (None, docstring)
    return version, docstring


_CHILD = r"""
import json, sys, traceback
root, name, marker = sys.argv[1], sys.argv[2], sys.argv[3]
sys.path.insert(0, root)
try:
    import importlib
    mod = importlib.import_module(name)
    version, doc = getattr(mod, "__version__", None), getattr(mod, "__doc__", None)
    out = {"version": version, "doc": doc if isinstance(doc, str) else None}
    if version is not None and not isinstance(version, str):
        out = {"bad_version": repr(version)[:200]}
except BaseException as exc:
    missing = getattr(exc, "name", None) if isinstance(exc, ModuleNotFoundError) else None
    lines = traceback.format_exception_only(type(exc), exc)
    out = {"error": "".join(lines).strip(), "missing": missing}
sys.stdout.flush()
# A newline first: the module may have printed a line without ending it.
print("\n" + marker + json.dumps(out))
"""


def read_by_import(root: Path, module: Module) -> ModuleValues | ImportFailure:
    """Import the module in a child interpreter and report its values or its error."""
    import json  # only a module whose values cannot be read statically is imported
    import subprocess

    refuse_outside(root, module.path)  # the import reads what the walk would refuse
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1", PYTHONIOENCODING="utf-8")
    source_dir = str(root / module.source_dir) if module.source_dir else str(root)
    try:
        proc = subprocess.run(
            [sys.executable, "-c", _CHILD, source_dir, module.name, _MARKER],
            cwd=root,
            env=env,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            timeout=300,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise BuildError(f"could not import the module to read its version: {exc}") from exc
    stdout = proc.stdout.decode("utf-8", "replace")
    for line in reversed(stdout.splitlines()):
        if line.startswith(_MARKER):
            data = json.loads(line[len(_MARKER) :])
            if "error" in data:
                return ImportFailure(data["error"], data["missing"])
            if "bad_version" in data:
                return ImportFailure(f"__version__ = {data['bad_version']}", None, imported=True)
            return ModuleValues(data["version"], data["doc"])
    stderr = proc.stderr.decode("utf-8", "replace").strip()
    return ImportFailure(
        stderr.splitlines()[-1] if stderr else f"exit code {proc.returncode}", None
    )


def module_values(
    root: Path, module: Module, need_version: bool, need_docstring: bool
) -> ModuleValues:
    """Static values if possible, else imported ones; a clear error if neither works."""
    values = read_static(root, module, need_version, need_docstring)
    if values is not None:
        return values
    result = read_by_import(root, module)
    if isinstance(result, ImportFailure) and result.imported:
        raise BuildError(
            f"importing {module.name!r} gives {result.message}, which is not a string; "
            'write the version as a string, e.g. __version__ = "1.2.3"',
            file=module.entry_file,
        )
    if isinstance(result, ImportFailure):
        raise BuildError(
            "the version or description is read from the module, and the source has no plain "
            f'__version__ = "..." string or docstring, so fletching imported {module.name!r}, '
            "which failed:\n"
            f"    {result.message}\n"
            'Write __version__ = "1.2.3" as a plain string in the module, or give '
            "version and description statically in [project]",
            file=module.entry_file,
        )
    return result
