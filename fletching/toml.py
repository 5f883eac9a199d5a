"""TOML: the standard library's tomllib, or the vendored tomli before Python 3.11."""

from __future__ import annotations

import sys


def loads(text: str) -> dict[str, object]:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - exercised on Python < 3.11
        from ._vendor import tomli as tomllib
    return tomllib.loads(text)
