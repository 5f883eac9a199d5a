"""``[project] scripts``, ``gui-scripts`` and ``entry-points``, checked against the
entry points specification and gathered into the groups of entry_points.txt."""

from __future__ import annotations

import re

from ._validate import Collector, quote_key
from .metadata import EntryPoints

# Patterns are compiled on first use (re caches them): importing stays cheap.
_OBJECT_REF = (
    r"^(?P<module>[A-Za-z_]\w*(\.[A-Za-z_]\w*)*)(\s*:\s*(?P<attr>[A-Za-z_]\w*(\.[A-Za-z_]\w*)*))?$"
)
_GROUP = r"^\w+([.-]\w+)*$"
# A trailing "[extra, ...]" on an object reference (entry points specification).
_EXTRAS = r"\s*\[\s*\w+([.-]\w+)*(\s*,\s*\w+([.-]\w+)*)*\s*\]$"

Points = tuple[tuple[str, str], ...]
# The tables whose names become files in the scripts folder.
_SCRIPT_KEYS = ("[project] scripts", "[project] gui-scripts")


def parse_scripts(c: Collector, value: object, key: str) -> Points:
    """A table of entry points: ``[project.scripts]``, ``gui-scripts`` or one group."""
    points = []
    for item_key, name, ref in c.string_table(value, key) or []:
        if (
            not name.strip()
            or "=" in name
            or name.startswith("[")
            or not c.single_line(name, item_key)
        ):
            c.error(item_key, f"{name!r} is not a valid entry point name")
        elif key in _SCRIPT_KEYS and (fix := _not_a_file_name(name)) is not None:
            # Not a name but a path: '..' and absolute ones leave the scripts folder (pip
            # and installer refuse or fail on them), 'a/b' lands as bin/b with pip and as
            # scripts/a/b with installer, and 'C:x' is a drive on Windows. An invalid
            # artefact whatever flit_core 4.2 builds: refused, as the trust issue asked.
            c.error(
                item_key,
                f"{name!r} is not a file name, which a script's name must be (installers make"
                f" a file of it in the scripts folder): {fix}",
            )
        elif re.fullmatch(_OBJECT_REF, ref.strip()):
            points.append((name, ref.strip()))
        elif re.fullmatch(_OBJECT_REF, re.sub(_EXTRAS, "", ref.strip())):
            # Deprecated by the entry points specification, which still has every consumer
            # parse it; flit_core writes it as it is, and so does fletching.
            plain = re.sub(_EXTRAS, "", ref.strip())
            c.warn(
                item_key,
                f"extras in an object reference are deprecated (entry "
                f"points specification); write {plain!r} and require the extra's dependencies "
                "where the entry point is used",
            )
            points.append((name, ref.strip()))
        else:
            c.error(
                item_key,
                f"{ref!r} is not an object reference; write 'package.module:function'",
            )
    return tuple(points)


def _not_a_file_name(name: str) -> str | None:
    """How to make ``name`` a plain file name, if it is not one."""
    if "/" in name or "\\" in name:
        return "write it without '/' or '\\'"
    if name in (".", ".."):
        return "write another name"
    if re.match(r"[A-Za-z]:", name):
        return f"write it without the drive {name[:2]!r}"
    return None


def parse_entry_points(c: Collector, value: object, key: str) -> EntryPoints | None:
    """``[project.entry-points]``: the groups other than the two kinds of scripts."""
    table = c.typed(value, dict, key)
    if table is None:
        return None
    groups = []
    for group, points in table.items():
        group_key = f"{key}.{quote_key(group)}"
        if group in ("console_scripts", "gui_scripts"):
            where = "scripts" if group == "console_scripts" else "gui-scripts"
            c.error(group_key, f"write these in [project.{where}] instead")
        elif not re.fullmatch(_GROUP, group):
            c.error(group_key, f"{group!r} is not a valid entry point group name")
        else:
            groups.append((group, parse_scripts(c, points, group_key)))
    return tuple(groups)


def entry_point_groups(
    scripts: Points | None, gui_scripts: Points | None, groups: EntryPoints | None
) -> EntryPoints:
    """Every group sorted by name, its entry points sorted, empty groups left out."""
    found = dict(groups or ())
    for group, points in (("console_scripts", scripts), ("gui_scripts", gui_scripts)):
        if points:
            found[group] = points
    return tuple(sorted((g, tuple(sorted(p))) for g, p in found.items() if p))
