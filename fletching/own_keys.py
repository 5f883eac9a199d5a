"""The keys only ``[tool.fletching]`` takes, which flit_core has no setting for:
``sbom-files``, ``[tool.fletching.editable]``, ``[tool.fletching.version]`` and
``[tool.fletching.wheel]``."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, NamedTuple

from ._validate import Collector, close_match
from .errors import ConfigError

if TYPE_CHECKING:
    from .tool_table import ToolSettings

EDITABLE_MODES = ("lenient", "strict")
VERSION_SOURCES = ("vcs",)
TAG_PATTERN_KEY = "[tool.fletching.version] tag-pattern"


class VersionSettings(NamedTuple):
    """``[tool.fletching.version]``: where a dynamic version comes from."""

    source: str | None = None  # "vcs": git tags
    tag_pattern: str | None = None  # a regex with a 'version' group
    file: str | None = None  # a module to generate, holding __version__


def with_own_keys(
    c: Collector, settings: ToolSettings, table: Mapping[str, object]
) -> ToolSettings:
    """``settings`` with the keys only [tool.fletching] has."""
    return settings._replace(
        sbom_files=_parse_sbom_files(c, table.get("sbom-files")),
        editable_mode=_parse_editable(c, table.get("editable")),
        version=_parse_version(c, table.get("version")),
        wheel_exclude=_parse_wheel(c, table.get("wheel")),
    )


def _parse_wheel(c: Collector, value: object) -> tuple[tuple[str, str], ...]:
    """(key, pattern) of ``[tool.fletching.wheel] exclude``: files the sdist keeps and the
    wheel leaves out (tests inside the package, say)."""
    key = "[tool.fletching.wheel]"
    table = c.typed(value, dict, key) if value is not None else None
    if table is None:
        return ()
    c.unknown_keys(table, ("exclude",), key)
    return tuple(c.globs(table.get("exclude", []), f"{key} exclude"))


def _parse_editable(c: Collector, value: object) -> str:
    """``[tool.fletching.editable] mode``: how an editable install finds the modules."""
    key = "[tool.fletching.editable]"
    table = c.typed(value, dict, key) if value is not None else None
    if table is None:
        return "lenient"
    c.unknown_keys(table, ("mode",), key)
    return parse_editable_mode(c, table.get("mode", "lenient"), f"{key} mode") or "lenient"


def parse_editable_mode(c: Collector, value: object, key: str) -> str | None:
    """One of EDITABLE_MODES, from the table or the ``editable-mode`` config setting."""
    mode = c.typed(value, str, key)
    if mode is not None and mode not in EDITABLE_MODES:
        c.error(
            key,
            f"{mode!r} is not an editable mode{close_match(mode, EDITABLE_MODES)}; write "
            '"strict" (only the project\'s modules importable) or "lenient" (the default:'
            " the folder holding them goes on sys.path, as with flit)",
        )
        return None
    return mode


def _parse_version(c: Collector, value: object) -> VersionSettings | None:
    """``[tool.fletching.version]``: source = "vcs", tag-pattern, file."""
    key = "[tool.fletching.version]"
    table = c.typed(value, dict, key) if value is not None else None
    if table is None:
        return None
    c.unknown_keys(table, ("source", "tag-pattern", "file"), key)
    found = {}
    for name in ("source", "tag-pattern", "file"):
        if name in table:
            found[name] = c.typed(table[name], str, f"{key} {name}")
    source = found.get("source")
    if source is not None and source not in VERSION_SOURCES:
        c.error(
            f"{key} source",
            f"{source!r} is not a version source{close_match(source, VERSION_SOURCES)};"
            ' write source = "vcs" to take the version from git tags',
        )
        source = None
    pattern = found.get("tag-pattern")
    if pattern is not None:
        if "source" not in table:
            c.error(f"{key} tag-pattern", 'only applies with source = "vcs"; add it')
        try:
            compile_tag_pattern(pattern)
        except ConfigError as exc:
            c.errors.append(exc)
    file = found.get("file")
    if file is not None:
        file = c.relative_path(file, f"{key} file", dotdot=False)
    if file is not None and not file.endswith(".py"):
        c.error(
            f"{key} file",
            f"{file!r} is not a Python file; name a module inside the package,"
            ' e.g. file = "src/pkg/_version.py"',
        )
    return VersionSettings(source, pattern, file)


def compile_tag_pattern(pattern: str) -> re.Pattern[str]:
    """``[tool.fletching.version] tag-pattern``, compiled: a regular expression with a
    group named 'version'."""
    try:
        compiled = re.compile(pattern)
    except (re.error, OverflowError, RecursionError) as exc:
        # re reports a huge repetition count or very deep nesting as these two.
        raise ConfigError(
            f"{pattern!r} is not a regular expression: {exc}",
            file="pyproject.toml",
            key=TAG_PATTERN_KEY,
        ) from None
    if "version" not in compiled.groupindex:
        raise ConfigError(
            f"{pattern!r} has no group named 'version'; write the part that is the version as"
            ' (?P<version>...), e.g. tag-pattern = "^release-(?P<version>.+)$"',
            file="pyproject.toml",
            key=TAG_PATTERN_KEY,
        )
    return compiled


def _parse_sbom_files(c: Collector, value: object) -> tuple[tuple[str, str], ...]:
    """(key, pattern) of ``[tool.fletching] sbom-files`` (PEP 770); like license-files,
    no '..' at all: the files land in the .dist-info folder under their own names."""
    if value is None:
        return ()
    return tuple(c.globs(value, "[tool.fletching] sbom-files", dotdot=False))
