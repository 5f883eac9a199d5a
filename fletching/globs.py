"""Glob patterns as the shell reads them, matched against project-relative paths.

Used by ``[project] license-files``, ``[tool.flit.sdist]`` include and exclude,
and flit's default license globs (see ``tree.Tree.glob`` for the walk).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from ._validate import normal_path


@lru_cache(maxsize=256)
def _glob_regex(pattern: str, hidden: bool = False) -> re.Pattern[str]:
    """Translate a glob the way the shell reads it.

    ``*``, ``?`` and ``[...]`` stay within one folder and, at the start of a
    name, do not match a leading dot; a whole ``**`` component spans any
    number of folders that are not hidden. Hidden files are reached by naming
    them (``.*``, ``.github/``) or by including a folder that holds them. With
    ``hidden``, wildcards match a leading dot too, as pathlib's glob does.
    """
    dot = "" if hidden else r"(?!\.)"
    parts = pattern.split("/")
    if len(parts) > 1 and parts[-1] == "**":
        # 'docs/**' names the folder itself too, as the shell's globstar does, so it
        # takes (or excludes) everything below it, hidden files included.
        parts = parts[:-1]
    out = []
    for index, part in enumerate(parts):
        last = index == len(parts) - 1
        if part == "**":
            out.append(rf"{dot}[^/]*(?:/{dot}[^/]*)*" if last else rf"(?:{dot}[^/]*/)*")
            continue
        regex = _translate_part(part)
        if part[:1] in ("*", "?", "["):
            regex = dot + regex
        out.append(regex if last else regex + "/")
    return re.compile("".join(out) + r"\Z", re.DOTALL)


def _translate_part(part: str) -> str:
    out = []
    i = 0
    while i < len(part):
        ch = part[i]
        if ch == "*":
            while i + 1 < len(part) and part[i + 1] == "*":
                i += 1
            out.append("[^/]*")
        elif ch == "?":
            out.append("[^/]")
        elif ch == "[" and (end := part.find("]", i + 2)) != -1:
            body = part[i + 1 : end]
            negate = body.startswith("!")
            out.append(_bracket(body[1:] if negate else body, negate))
            i = end
        else:
            out.append(re.escape(ch))
        i += 1
    return "".join(out)


def _bracket(body: str, negate: bool) -> str:
    """A ``[...]`` class as a regex. A reversed range (``z-a``) matches nothing, as in
    fnmatch, instead of being a regex error."""
    items = []
    i = 0
    while i < len(body):
        if i + 2 < len(body) and body[i + 1] == "-":
            first, last = body[i], body[i + 2]
            if first <= last:
                items.append(f"{re.escape(first)}-{re.escape(last)}")
            i += 3
        else:
            items.append(re.escape(body[i]))
            i += 1
    if not items:
        return "[^/]" if negate else "(?!)"
    return "[" + ("^/" if negate else "") + "".join(items) + "]"


def literal_part(pattern: str) -> tuple[str, bool]:
    """(the folders a normalised pattern names before its first wildcard, whether it
    has no wildcard at all: then it names one file or folder outright)."""
    parts = pattern.rstrip("/").split("/")
    literal = []
    for part in parts:
        if any(ch in part for ch in "*?["):
            break
        literal.append(part)
    return "/".join(p for p in literal if p not in ("", ".")), len(literal) == len(parts)


def names_itself(pattern: str, relpath: str, *, hidden: bool = False) -> bool:
    """Whether ``pattern`` matches the path itself, not only a folder above it."""
    return _glob_regex(normal_path(pattern.strip()), hidden).match(relpath) is not None


def pattern_matches(pattern: str, relpath: str, *, hidden: bool = False) -> bool:
    """Whether a file, or a folder above it, is matched by ``pattern``."""
    return bool(matching(pattern, [relpath], hidden=hidden))


def matching(pattern: str, relpaths: Iterable[str], *, hidden: bool = False) -> list[str]:
    """The paths that ``pattern`` matches, or that lie in a folder it matches, in order.

    Paths share their folders, so each folder is tested once (a large tree has
    thousands of files in a few dozen folders)."""
    regex = _glob_regex(normal_path(pattern.strip()), hidden)
    folders: dict[str, bool] = {}
    found = []
    for rel in relpaths:
        end = rel.find("/")
        while end != -1:
            folder = rel[:end]
            hit = folders.get(folder)
            if hit is None:
                hit = folders[folder] = regex.match(folder) is not None
            if hit:
                found.append(rel)
                break
            end = rel.find("/", end + 1)
        else:
            if regex.match(rel):
                found.append(rel)
    return found
