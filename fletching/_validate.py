"""Small, typed readers for TOML values that collect errors instead of raising.

Every reader takes the key path for messages (``[project] dependencies[2]``)
and returns ``None`` after recording an error, so that one pass over a table
reports every mistake in it.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable, Mapping
from typing import TypeVar

from .errors import ConfigError

T = TypeVar("T")

_TYPE_NAMES: dict[type, str] = {
    str: "a string",
    list: "an array",
    dict: "a table",
    bool: "a boolean",
    int: "an integer",
    float: "a float",
}


def is_import_name(name: str) -> bool:
    """Whether ``import name`` can work: dotted identifiers (PEP 3131: not only ASCII),
    none of them a keyword."""
    import keyword

    return all(part.isidentifier() and not keyword.iskeyword(part) for part in name.split("."))


# What no header line, file name or archive member may hold: C0 controls, DEL, and the
# line breaks str.splitlines() knows beyond them. One set, so that a name every earlier
# check lets through can never be refused by the metadata renderer.
_LINE_BREAKERS = "\x7f\x85\u2028\u2029"


def control_character(text: str, *, tab: bool = False) -> str | None:
    """The first character of ``text`` that would break a line or a header, if any;
    ``tab`` allows the tab (a header value may hold one, a file name may not)."""
    return next(
        (ch for ch in text if (ord(ch) < 32 and not (tab and ch == "\t")) or ch in _LINE_BREAKERS),
        None,
    )


def describe(value: object) -> str:
    """Name a TOML value's type the way the TOML spec does, for messages."""
    if isinstance(value, bool):
        return "a boolean"
    import datetime  # only messages need it

    if isinstance(value, (datetime.datetime, datetime.date, datetime.time)):
        return "a date/time"
    for kind, name in _TYPE_NAMES.items():
        if isinstance(value, kind):
            return name
    return type(value).__name__


def close_match(word: str, candidates: Iterable[str], cutoff: float = 0.6) -> str:
    """Return " (did you mean 'x'?)" for a near-miss, or an empty string."""
    import difflib  # only messages need it

    options = list(candidates)
    found = difflib.get_close_matches(word, options, n=1, cutoff=cutoff)
    if not found and len(word) >= 3:
        # An abbreviation ('dir' for 'directory') is as telling as a typo.
        found = [o for o in options if o.startswith(word)][:1]
    return f" (did you mean {found[0]!r}?)" if found else ""


class Collector:
    """Accumulates the errors of one configuration file."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.errors: list[ConfigError] = []
        self.warnings: list[str] = []

    def error(self, key: str, message: str) -> None:
        self.errors.append(ConfigError(message, file=self.file, key=key))

    def warn(self, key: str, message: str) -> None:
        """A warning about ``key``, with the file and the key in front, as errors have."""
        self.warnings.append(f"{self.file}: {key}: {message}")

    def typed(self, value: object, kind: type[T], key: str) -> T | None:
        """Return ``value`` if it has type ``kind``, else record an error."""
        if isinstance(value, kind) and not (kind is int and isinstance(value, bool)):
            return value
        self.error(key, f"expected {_TYPE_NAMES.get(kind, kind.__name__)}, got {describe(value)}")
        return None

    def string_list(self, value: object, key: str) -> list[tuple[str, str]] | None:
        """Check an array of strings; return (item key, item) pairs."""
        items = self.typed(value, list, key)
        if items is None:
            return None
        out = []
        for index, item in enumerate(items):
            item_key = f"{key}[{index}]"
            text = self.typed(item, str, item_key)
            if text is not None:
                out.append((item_key, text))
        return out

    def string_table(self, value: object, key: str) -> list[tuple[str, str, str]] | None:
        """Check a table of strings; return (item key, name, value) triples."""
        table = self.typed(value, dict, key)
        if table is None:
            return None
        out = []
        for name, item in table.items():
            item_key = f"{key}.{quote_key(name)}"
            text = self.typed(item, str, item_key)
            if text is not None:
                out.append((item_key, name, text))
        return out

    def unknown_keys(
        self,
        table: Mapping[str, object],
        known: Iterable[str],
        where: str,
        *,
        ignored: bool = False,
    ) -> None:
        """Refuse keys not in ``known``; or, where flit_core ignores them (``ignored``),
        warn that they are ignored."""
        known = list(known)
        for name in table:
            if name not in known:
                hint = close_match(name, known)
                expected = ", ".join(known)
                if ignored:
                    self.warn(
                        where,
                        f"unknown key {name!r}{hint} is ignored, as"
                        f" flit_core ignores it; the keys allowed are: {expected}",
                    )
                else:
                    self.error(
                        where, f"unknown key {name!r}{hint}; the keys allowed are: {expected}"
                    )

    def single_line(self, text: str, key: str) -> bool:
        """Refuse line breaks and control characters, which could forge headers."""
        bad = control_character(text, tab=True)
        if bad is None:
            return True
        self.error(
            key, f"{text!r} contains the control character {bad!r}; it must be a single line"
        )
        return False

    def relative_path(self, path: str, key: str, *, dotdot: bool = True) -> str | None:
        """``path`` normalised (``normal_path``), or None after an error: a path named in
        the config must stay inside the project. A '..' that stays inside it
        (docs/../README.md) is taken with a warning, as flit_core takes it, unless
        ``dotdot`` is False (PEP 639 forbids it in license-files)."""
        parts = path.replace("\\", "/").split("/")
        normal = normal_path(path) if path else ""
        if (
            not path
            or path.startswith(("/", "\\"))
            or re.match(r"^[A-Za-z]:", path)
            or (".." in parts and (not dotdot or normal == ".." or normal.startswith("../")))
        ):
            self.error(key, f"{path!r} must be a relative path inside the project, without '..'")
            return None
        if control_character(path) is not None:
            self.error(key, f"{path!r} contains a control character; no file can be named so")
            return None
        if ".." in parts:
            self.warn(
                key,
                f"{path!r} contains '..'; it is read as {normal!r}:"
                f" write {toml_string(normal)} instead",
            )
        return normal

    def globs(self, value: object, key: str, *, dotdot: bool = True) -> list[tuple[str, str]]:
        """(item key, pattern) of an array of relative glob patterns."""
        items = self.string_list(value, key) or []
        return [(k, g) for k, g in items if self.relative_path(g, k, dotdot=dotdot) is not None]


def normal_path(path: str) -> str:
    """A path from the config as the archives name it: '/' between parts (a Windows
    user's '\\' too), no '.' parts, no trailing '/'."""
    return posixpath.normpath(path.replace("\\", "/"))


_TOML_ESCAPES = {
    "\\": "\\\\",
    '"': '\\"',
    "\b": "\\b",
    "\t": "\\t",
    "\n": "\\n",
    "\f": "\\f",
    "\r": "\\r",
}


def toml_string(text: str) -> str:
    """A basic TOML string holding ``text`` (for the keys and fixes that messages show):
    control characters escaped, so a message stays on one line."""
    return '"' + "".join(_toml_escape(ch) for ch in text) + '"'


def _toml_escape(ch: str) -> str:
    if ch in _TOML_ESCAPES:
        return _TOML_ESCAPES[ch]
    return f"\\u{ord(ch):04x}" if ord(ch) < 32 or ch == "\x7f" else ch


def quote_key(name: str) -> str:
    """Write a table key as TOML would need it written in a dotted key."""
    if name and all(c.isascii() and (c.isalnum() or c in "-_") for c in name):
        return name
    return toml_string(name)
