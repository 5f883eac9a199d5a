"""External data's install schemes: flit's ``directory`` (the ``data`` scheme) and
fletching's ``scripts`` and ``headers``, each a folder of the project whose files go to
``{name}-{version}.data/{scheme}/`` in the wheel; installers put them under the
environment's prefix, its scripts folder (``bin/``) and its include folder."""

from __future__ import annotations

import posixpath
from collections.abc import Iterable
from typing import TYPE_CHECKING

from .errors import ConfigError, raise_all

if TYPE_CHECKING:
    from .config import Project
    from .tool_table import ToolSettings

# Files an installer writes for a [project.scripts] name on Windows, beside the bare name.
_SCRIPT_SUFFIXES = (".exe", "-script.py", "-script.pyw")


def scheme_folders(tool: ToolSettings) -> list[tuple[str, str, str]]:
    """(scheme, key in the external-data table, folder) for each folder given."""
    found = [("data", "directory", tool.external_data)] if tool.external_data else []
    return found + [(scheme, scheme, folder) for scheme, folder in tool.external_schemes]


def script_names(project: Project) -> dict[str, str]:
    """The lower-cased names of the project's [project.scripts] and gui-scripts entries,
    each with its table; from the prepared entry_points.txt when the frontend handed
    back the .dist-info folder (the metadata then holds no entry points)."""
    tables = {"console_scripts": "[project.scripts]", "gui_scripts": "[project.gui-scripts]"}
    if project.prepared is None:
        pairs = [
            (group, name) for group, entries in project.metadata.entry_points for name, _ in entries
        ]
    else:
        text = dict(project.prepared.files).get("entry_points.txt", b"").decode("utf-8")
        pairs, group = [], ""
        for line in text.splitlines():
            if line.startswith("["):
                group = line.strip().strip("[]")
            elif "=" in line:
                pairs.append((group, line.split("=", 1)[0].strip()))
    return {name.lower(): tables[group] for group, name in pairs if group in tables}


def refuse_script_collisions(project: Project, folder: str, paths: Iterable[str]) -> None:
    """A file of the scripts folder named like a [project.scripts] or gui-scripts entry
    would be overwritten by the installer's launcher, or overwrite it: refused."""
    names = script_names(project)
    errors = []
    for path in paths:
        name = posixpath.relpath(path, folder)
        bare = name.lower()
        for suffix in _SCRIPT_SUFFIXES:
            bare = bare[: -len(suffix)] if bare.endswith(suffix) else bare
        if bare in names:
            errors.append(
                ConfigError(
                    f"{path!r} would be installed where the script {bare!r} of {names[bare]}"
                    " goes, and one would overwrite the other; rename the file or the script",
                    file="pyproject.toml",
                    key=f"[{project.config.tool.table}.external-data] scripts",
                )
            )
    raise_all(errors)
