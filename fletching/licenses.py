"""The licence of a project: ``[project] license`` (an SPDX expression, PEP 639, or the
deprecated table), ``license-files``, and how they agree with the classifiers."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import NamedTuple

from ._validate import Collector, close_match
from .metadata import Metadata


class License(NamedTuple):
    """``[project] license``, parsed once: an SPDX expression (PEP 639), or the
    deprecated table's text or file."""

    expression: str | None = None
    text: str | None = None
    file: str | None = None  # normalised; config reads it
    table: bool = False


def parse_license(c: Collector, value: object, key: str) -> License:
    if isinstance(value, str):
        return License(expression=parse_license_expression(c, value, key))
    table = c.typed(value, dict, key)
    if table is None:
        return License()
    c.warn(
        key,
        "the license table is deprecated (PEP 639); write "
        'license = "<SPDX expression>", e.g. license = "MIT", and list the files in '
        "license-files",
    )
    c.unknown_keys(table, ("file", "text"), key)
    if ("file" in table) == ("text" in table):
        c.error(key, "give exactly one of 'file' or 'text', or better an SPDX expression (PEP 639)")
        return License(table=True)
    if "file" in table:
        path = c.typed(table["file"], str, f"{key}.file")
        file = None if path is None else c.relative_path(path, f"{key}.file")
        return License(file=file, table=True)
    return License(text=c.typed(table["text"], str, f"{key}.text"), table=True)


def parse_license_expression(c: Collector, text: str, key: str) -> str | None:
    from ._vendor.packaging.licenses import (
        InvalidLicenseExpression,
        canonicalize_license_expression,
    )

    try:
        return canonicalize_license_expression(text)
    except InvalidLicenseExpression as exc:
        hint = ""
        try:
            from ._vendor.packaging.licenses._spdx import EXCEPTIONS, LICENSES

            ids = [v["id"] for v in LICENSES.values()] + [v["id"] for v in EXCEPTIONS.values()]
            for token in re.split(r"[\s()]+", text):
                if (
                    token
                    and token.upper() not in ("AND", "OR", "WITH")
                    and token.lower() not in LICENSES
                ):
                    hint = close_match(token, ids)
                    if hint:
                        break
        except ImportError:  # pragma: no cover - packaging's private table moved
            pass
        c.error(key, f"{text!r} is not a valid SPDX license expression{hint}: {exc}")
        return None


# What the PyPA glob pattern specification lets a pattern hold (\w: letters, digits and
# '_'); it asks tools to refuse the rest, and flit_core 4.2 does.
_GLOB_CHARACTERS = r"[\w\-./*?\[\] ]"


def _glob_characters_allowed(c: Collector, key: str, pattern: str) -> bool:
    bad = re.sub(_GLOB_CHARACTERS, "", pattern)
    if not bad:
        return True
    c.error(
        key,
        f"{pattern!r} holds {bad[0]!r}, which a glob pattern may not (PyPA glob patterns:"
        " letters, digits, spaces, '_', '-', '.', '/', '*', '?' and [...] of those; flit_core"
        " refuses it too)",
    )
    return False


def parse_license_files(
    c: Collector, project: Mapping[str, object], metadata: Metadata | None, license: License
) -> tuple[tuple[str, str], ...] | None:
    """(key, pattern) of ``[project] license-files``, or None for the defaults; a license
    table with license-files, or a license classifier beside an SPDX expression, is an
    error."""
    patterns = None
    if "license-files" in project:
        patterns = tuple(
            (key, pattern)
            for key, pattern in c.globs(
                project["license-files"], "[project] license-files", dotdot=False
            )
            if _glob_characters_allowed(c, key, pattern)
        )
    if license.table and patterns is not None:
        c.error(
            "[project] license",
            "a license table cannot be combined with [project] license-files (PEP 639); "
            'write license = "<SPDX expression>" instead',
        )
    if metadata is not None and metadata.license_expression:
        for index, classifier in enumerate(metadata.classifiers):
            if classifier.startswith("License ::"):
                c.error(
                    f"[project] classifiers[{index}]",
                    f"the license classifier {classifier!r} conflicts with [project] license = "
                    f"{metadata.license_expression!r} (PEP 639); remove the classifier",
                )
    return patterns
