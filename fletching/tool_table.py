"""The tool table: flit's ``[tool.flit.*]`` keys, also accepted as ``[tool.fletching.*]``."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, NamedTuple

from ._validate import (
    Collector,
    control_character,
    describe,
    is_import_name,
    toml_string,
)
from .names import split_stubs
from .own_keys import with_own_keys

if TYPE_CHECKING:
    from .own_keys import VersionSettings

TOOL_KEYS = ("module", "sdist", "external-data")
# Keys only [tool.fletching] takes (flit_core has no such setting): they may sit beside a
# [tool.flit] table, which then keeps meaning exactly what it means to flit_core.
OWN_KEYS = ("sbom-files", "editable", "version", "wheel")
LEGACY_FLIT_KEYS = ("metadata", "scripts", "entrypoints")


class ToolSettings(NamedTuple):
    """``[tool.flit.*]`` or ``[tool.fletching.*]``, whichever the project uses."""

    table: str = "tool.fletching"
    module: str | None = None
    include: tuple[tuple[str, str], ...] = ()  # (key for messages, pattern)
    exclude: tuple[tuple[str, str], ...] = ()
    external_data: str | None = None  # flit's directory: the data scheme
    # (scheme, folder) of [tool.fletching.external-data] scripts and headers.
    external_schemes: tuple[tuple[str, str], ...] = ()
    # (key for messages, pattern) of [tool.fletching] sbom-files (PEP 770).
    sbom_files: tuple[tuple[str, str], ...] = ()
    # [tool.fletching.editable] mode: "lenient" (flit's .pth) or "strict".
    editable_mode: str = "lenient"
    version: VersionSettings | None = None
    # (key for messages, pattern) of [tool.fletching.wheel] exclude: out of the wheel only.
    wheel_exclude: tuple[tuple[str, str], ...] = ()


def parse_tool(c: Collector, tool: object) -> ToolSettings:
    if not isinstance(tool, dict):
        c.error("[tool]", f"expected a table, got {describe(tool)}")
        return ToolSettings()
    flit, ours = tool.get("flit"), tool.get("fletching")
    if flit is not None and ours is not None:
        return _parse_both(c, flit, ours)
    name = "tool.flit" if flit is not None else "tool.fletching"
    given = flit if flit is not None else ours
    table = c.typed({} if given is None else given, dict, f"[{name}]")
    if table is None:
        return ToolSettings(name)
    return _parse_table(c, name, table)


def _parse_both(c: Collector, flit: object, ours: object) -> ToolSettings:
    """[tool.flit] beside a [tool.fletching] holding only fletching's own keys: the
    flit table is read as flit_core reads it, [tool.fletching] adds the rest. A flit
    key in [tool.fletching] too would leave two places saying the same thing."""
    own = c.typed(ours, dict, "[tool.fletching]")
    shared = [k for k in TOOL_KEYS if own is not None and k in own]
    if shared:
        c.error(
            f"[tool.fletching] {shared[0]}",
            "both [tool.flit] and [tool.fletching] are present; keep one of them "
            "(they take the same keys); beside [tool.flit], [tool.fletching] may hold only "
            f"fletching's own keys ({', '.join(OWN_KEYS)})",
        )
        return ToolSettings()
    table = c.typed(flit, dict, "[tool.flit]")
    settings = ToolSettings("tool.flit") if table is None else _parse_table(c, "tool.flit", table)
    if own is not None:
        c.unknown_keys(own, OWN_KEYS, "[tool.fletching]")
        settings = with_own_keys(c, settings, own)
    return settings


def _parse_table(c: Collector, name: str, table: dict[str, object]) -> ToolSettings:
    if name == "tool.flit" and any(k in table for k in LEGACY_FLIT_KEYS):
        c.error(
            "[tool.flit.metadata]",
            "the old flit metadata tables are not read; describe the project in [project] instead"
            + legacy_hint(table),
        )
        table = {k: v for k, v in table.items() if k not in LEGACY_FLIT_KEYS}
    # flit_core skips [tool.flit.x-*] (in any case) on purpose: room for other tools.
    extra = [k for k in table if k.lower().startswith("x-")]
    for key in extra:
        c.warn(
            f"[{name}] {key}",
            f"fletching does not read it (flit_core ignores"
            " [tool.flit.x-*] too); keep such settings in a table of your own tool, e.g."
            f" [tool.{key[2:] or 'mytool'}]",
        )
    table = {k: v for k, v in table.items() if k not in extra}
    # [tool.flit] takes flit_core's keys only, so that it means what it means to flit_core.
    ours = name == "tool.fletching"
    if not ours and "wheel" in table:
        # flit_core refuses the table too; the wheel-only excludes are fletching's own.
        c.error(
            "[tool.flit.wheel]",
            "flit_core has no such table; wheel-only excludes are fletching's own setting:"
            " write [tool.fletching.wheel] exclude = [...], which may sit beside [tool.flit]",
        )
        table = {k: v for k, v in table.items() if k != "wheel"}
    c.unknown_keys(table, TOOL_KEYS + OWN_KEYS if ours else TOOL_KEYS, f"[{name}]")
    settings = ToolSettings(
        name,
        _parse_module(c, name, table.get("module")),
        *_parse_sdist(c, name, table.get("sdist")),
        _parse_external_data(c, name, table.get("external-data")),
    )
    if not ours:
        return settings
    schemes = _parse_external_schemes(c, settings.external_data, table.get("external-data"))
    return with_own_keys(c, settings._replace(external_schemes=schemes), table)


def _parse_module(c: Collector, name: str, module: object) -> str | None:
    """``[tool.flit.module] name``: the module's import name, when it differs from the
    one flit derives from the distribution name."""
    if module is not None and (module := c.typed(module, dict, f"[{name}.module]")) is not None:
        c.unknown_keys(module, ("name",), f"[{name}.module]", ignored=True)
        if "name" in module:
            mod_name = c.typed(module["name"], str, f"[{name}.module] name")
            if mod_name is not None and mod_name.endswith("/") and mod_name.strip("/"):
                # flit_core finds the folder all the same.
                fixed = mod_name.rstrip("/")
                c.warn(
                    f"[{name}.module] name",
                    f"{mod_name!r} is read as {fixed!r}; write name = {toml_string(fixed)}",
                )
                mod_name = fixed
            if mod_name is not None:
                base = split_stubs(mod_name)[0]
                if is_import_name(base):
                    return mod_name
                if all(_plain_part(part) for part in base.split(".")):
                    # flit_core packs such a folder; it just cannot be imported by name.
                    fixed = ".".join(_importable(p) for p in base.split("."))
                    c.warn(
                        f"[{name}.module] name",
                        f"{mod_name!r} is not an importable"
                        f" module name ('import {base}' cannot work); it is packed as it is,"
                        f" with no Import-Name: rename it, e.g. name = {toml_string(fixed)}",
                    )
                    return mod_name
                c.error(
                    f"[{name}.module] name",
                    f"{mod_name!r} is not an importable module name, and not a folder or file"
                    " name every system can store (an empty part, or one of the characters"
                    ' / \\ : * ? " < > | or a control character); rename the module',
                )
    return None


Globs = tuple[tuple[str, str], ...]


def _parse_sdist(c: Collector, name: str, sdist: object) -> tuple[Globs, Globs]:
    """(include, exclude) of ``[tool.flit.sdist]``: (key for messages, pattern) pairs."""
    found: dict[str, Globs] = {"include": (), "exclude": ()}
    if sdist is not None and (sdist := c.typed(sdist, dict, f"[{name}.sdist]")) is not None:
        c.unknown_keys(sdist, ("include", "exclude"), f"[{name}.sdist]")
        for which in found:
            if which in sdist:
                found[which] = tuple(c.globs(sdist[which], f"[{name}.sdist] {which}"))
    return found["include"], found["exclude"]


# Install schemes besides flit's data (its 'directory'), [tool.fletching.external-data] only.
EXTERNAL_SCHEMES = ("scripts", "headers")


def _parse_external_data(c: Collector, name: str, data: object) -> str | None:
    """``[tool.flit.external-data] directory``, normalised."""
    if data is not None and (data := c.typed(data, dict, f"[{name}.external-data]")) is not None:
        ours = name == "tool.fletching"
        known = ("directory", *EXTERNAL_SCHEMES) if ours else ("directory",)
        for scheme in [k for k in EXTERNAL_SCHEMES if k in data and not ours]:
            c.warn(
                f"[{name}.external-data]",
                f"{scheme} is ignored, as flit_core ignores"
                f" it; only [tool.fletching.external-data] installs {scheme}: rename the"
                " [tool.flit.*] tables to [tool.fletching.*] (they take the same keys)",
            )
        extra = {k: v for k, v in data.items() if k not in EXTERNAL_SCHEMES or ours}
        c.unknown_keys(extra, known, f"[{name}.external-data]", ignored=True)
        key = f"[{name}.external-data] directory"
        if "directory" not in data:
            if not (ours and any(k in data for k in EXTERNAL_SCHEMES)):
                # flit_core packs no external data then; say so rather than refuse.
                c.warn(
                    f"[{name}.external-data]",
                    "the table has no directory key, so no"
                    ' external data is packed; write directory = "data", or remove the table',
                )
        else:
            directory = c.typed(data["directory"], str, key)
            # './data' and 'data/' name the same folder as 'data'.
            directory = None if directory is None else c.relative_path(directory, key)
            if directory is not None:
                if directory == ".":
                    c.error(
                        key,
                        "'.' is the whole project, which would install every file of it"
                        ' under the environment\'s prefix; name a folder, e.g. directory = "data"',
                    )
                else:
                    return directory
    return None


def _parse_external_schemes(
    c: Collector, data_folder: str | None, data: object
) -> tuple[tuple[str, str], ...]:
    """(scheme, folder) of ``[tool.fletching.external-data] scripts / headers``: each a
    folder of the project, none inside another (a file would be installed twice)."""
    if not isinstance(data, dict):
        return ()
    taken = {"directory": data_folder} if data_folder is not None else {}
    found = []
    for scheme in EXTERNAL_SCHEMES:
        key = f"[tool.fletching.external-data] {scheme}"
        folder = c.typed(data[scheme], str, key) if scheme in data else None
        folder = None if folder is None else c.relative_path(folder, key)
        if folder is None:
            continue
        if folder == ".":
            c.error(key, f"'.' is the whole project; name a folder, e.g. {scheme} = \"bin\"")
            continue
        other = next(
            (
                (k, f)
                for k, f in taken.items()
                if folder == f or folder.startswith(f + "/") or f.startswith(folder + "/")
            ),
            None,
        )
        if other is not None:
            c.error(
                key,
                f"{folder!r} overlaps {other[1]!r} ({other[0]}), so its files would be"
                " installed twice; name separate folders",
            )
            continue
        taken[scheme] = folder
        found.append((scheme, folder))
    return tuple(found)


def _plain_part(part: str) -> bool:
    """A folder or file name that is the same on every system: no separators or
    control characters, not '.' or '..', nothing Windows cannot store. A space is
    fine: flit_core packs 'my pkg', and every system stores it."""
    return (
        bool(part)
        and part not in (".", "..")
        and control_character(part) is None
        and not re.search(r'[/\\:*?"<>|]|[^\S ]', part)
    )


def _importable(part: str) -> str:
    """A part of a module name made importable, for a suggestion: 'my-pkg' -> 'my_pkg',
    '2fast' -> '_2fast', 'class' -> 'class_'."""
    import keyword

    fixed = re.sub(r"\W", "_", part)
    if fixed[:1].isdigit():
        fixed = "_" + fixed
    return fixed + "_" if keyword.iskeyword(fixed) else fixed


def legacy_hint(flit: Mapping[str, object]) -> str:
    """Show the [project] table equivalent to old-style [tool.flit.metadata]."""
    from ._legacy import convert_legacy

    snippet = convert_legacy(flit)
    return "; the equivalent is:\n\n" + snippet if snippet else ""
