"""setuptools-scm's default version scheme, with no repository in sight.

``guess-next-dev`` with the ``node-and-date`` local part, as in setuptools-scm 10
(and so hatch-vcs): which tag names are versions, and the version for HEAD's
position relative to the nearest one. Pure: a tag, a distance, a commit and a
state in, a version out; nothing here starts a process or reads a file.

- HEAD at a tag, clean: the tag's version (``v1.2.3`` gives ``1.2.3``).
- N commits after the nearest tag: the next version, ``.devN``, and the commit
  (``1.2.4.dev3+g1a2b3c4d5``; 9 hexadecimal digits, as setuptools-scm writes
  since 9.0, so the version does not depend on the clone). The next version adds
  one to the last number (``1.0rc1`` gives ``1.0rc2``, ``1.0.post1`` gives
  ``1.0.post2``); a tag ending in ``.dev0`` gives itself (``1.0.dev0`` gives
  ``1.0.devN``); another ``.devN`` tag cannot number later commits.
- Uncommitted changes add the date, in UTC, from SOURCE_DATE_EPOCH when set:
  ``+g1a2b3c4d5.d20240131``, also at a tag (``1.2.4.dev0+g...``).
- No tag: ``0.1.devN+g...`` with N the number of commits; no commit at all:
  ``0.1.dev0+d<date>``.
- A local part in the tag (``v1.0+abc``) is kept in front of the commit.
"""

from __future__ import annotations

import fnmatch
import re
from typing import TYPE_CHECKING, NamedTuple

from .errors import BuildError

if TYPE_CHECKING:
    from ._vendor.packaging.version import Version

# An optional "word-" prefix, an optional v, a version with at least one digit in
# front, and an optional "+local" part: the tags setuptools-scm's default accepts.
DEFAULT_TAG_PATTERN = r"^(?:[-\w]+-)?(?P<version>[vV]?[0-9]+(?:\.[0-9]+){0,2}[^+]*)(?:\+.*)?$"
NODE_DIGITS = 9


class TagRules(NamedTuple):
    """Which tags are versions: a name must match ``glob`` (what ``git describe
    --match`` is given) and ``regex`` (whose ``version`` group is the version)."""

    regex: re.Pattern[str]
    glob: str


class Tag(NamedTuple):
    name: str
    version: Version
    warnings: tuple[str, ...]


class Position(NamedTuple):
    """HEAD relative to the nearest version tag (``tag`` None: there is none)."""

    tag: Tag | None
    distance: int
    node: str | None  # the commit hash (full, or as abbreviated as known); None before the first
    dirty: bool


class VcsVersion(NamedTuple):
    version: str
    """Normalised PEP 440 version, such as ``1.2.4.dev3+g1a2b3c4d5``."""
    source: str
    """Where it came from, for messages: ``git tag v1.2.3``, ``PKG-INFO (an sdist)``..."""
    warnings: tuple[str, ...] = ()


def tag_rules(tag_pattern: str | None) -> TagRules:
    from .own_keys import compile_tag_pattern

    pattern = DEFAULT_TAG_PATTERN if tag_pattern is None else tag_pattern
    return TagRules(compile_tag_pattern(pattern), literal_prefix(pattern) + "*[0-9]*")


def literal_prefix(pattern: str) -> str:
    """The plain text every tag the pattern matches starts with (``^release-`` gives
    ``release-``), so that ``git describe`` looks only at those tags."""
    if "|" in pattern:
        return ""
    prefix: list[str] = []
    i = 1 if pattern.startswith("^") else 0
    while i < len(pattern):
        char = pattern[i]
        if char == "\\" and i + 1 < len(pattern) and pattern[i + 1] in ".-/_":
            char, i = pattern[i + 1], i + 1
        elif not (char.isalnum() or char in "-_/") or not char.isascii():
            break
        prefix.append(char)
        i += 1
    if i < len(pattern) and pattern[i] in "?*{" and prefix:
        prefix.pop()  # the last character is optional or repeated
    return "".join(prefix)


def tag_version(name: str, rules: TagRules) -> Tag | None:
    """The tag's version, or None when the name is not a version under the rules."""
    from ._vendor.packaging.version import Version

    if not fnmatch.fnmatchcase(name, rules.glob):
        return None
    match = rules.regex.match(name)
    text = match.group("version") if match else None
    if match is None or not text:
        return None
    suffix = match.group(0)[match.end("version") :]
    try:
        version = Version(text)
    except ValueError:  # InvalidVersion, or a part too long for int()
        return None
    if suffix:
        try:
            return Tag(name, Version(text + suffix), ())
        except ValueError:
            if suffix.startswith("+"):
                note = f"git tag {name}: {suffix!r} is not a valid local version, left out"
                return Tag(name, version, (note,))
    return Tag(name, version, ())


def highest(names: list[str], rules: TagRules) -> Tag | None:
    tags = [tag for tag in (tag_version(name, rules) for name in names) if tag is not None]
    return max(tags, key=lambda tag: tag.version, default=None)


def not_a_version(
    name: str, rules: TagRules, key: str | None, file: str = "pyproject.toml"
) -> BuildError:
    return BuildError(
        f"git tag {name}, the nearest tag to HEAD with a digit in its name, is not a "
        f"version by the tag-pattern {rules.regex.pattern!r}; rename or delete the tag, "
        "set [tool.fletching.version] tag-pattern to a pattern that tells versions apart, "
        "or, building a release of someone else's (a distribution's tags such as "
        "debian/1.0-1), give its version in SETUPTOOLS_SCM_PRETEND_VERSION",
        file=file,
        key=key,
    )


def describe(
    position: Position, epoch: int | None, *, file: str = "pyproject.toml", key: str | None = None
) -> VcsVersion:
    """The version for HEAD's position, with the position as ``git describe`` names it
    for its source, and the tag's warnings.

    ``epoch`` is SOURCE_DATE_EPOCH (None when unset) for the date of a changed
    working tree; ``file`` and ``key`` name where a tag that cannot number the
    commits after it came from.
    """
    tag = position.tag
    try:
        version = _format(position, epoch)
    except _Unnumbered as exc:
        raise BuildError(str(exc), file=file, key=key) from None
    dirty = "-dirty" if position.dirty else ""
    node = (position.node or "")[:NODE_DIGITS]
    if position.node is None:
        source = "git (no commit yet)"
    elif tag is None:
        source = f"git describe g{node}{dirty} (no version tag; {position.distance} commits)"
    elif position.distance == 0 and not position.dirty:
        source = f"git tag {tag.name}"
    else:
        source = f"git describe {tag.name}-{position.distance}-g{node}{dirty}"
    return VcsVersion(version, source, tag.warnings if tag else ())


def _format(position: Position, epoch: int | None) -> str:
    from ._vendor.packaging.version import Version

    tag = position.tag.version if position.tag else Version("0.0")
    exact = position.distance == 0 and not position.dirty
    if exact:
        public = tag.public
    else:
        name = position.tag.name if position.tag else "0.0"
        public = f"{_next(tag.public, name)}.dev{position.distance}"
    local = tag.local.split(".") if tag.local else []
    if not exact and position.node:
        local.append("g" + position.node[:NODE_DIGITS])
    if position.dirty:
        local.append("d" + _date(epoch))
    parts = list(dict.fromkeys(local))  # once each, in order
    return str(Version(public + ("+" + ".".join(parts) if parts else "")))


class _Unnumbered(Exception):
    """The commits after a tag cannot be numbered from it (the caller names the file)."""


def _next(public: str, tag: str) -> str:
    """The release after a tag's public version: ``1.2.3`` gives ``1.2.4``."""
    if ".dev" in public:
        head, _, number = public.rpartition(".dev")
        if number != "0":
            raise _Unnumbered(
                f"git tag {tag} is a .dev{number} version, and the commits after it cannot "
                f"be numbered from it; tag a release, or {head}.dev0 to number them "
                f"{head}.devN"
            )
        return head
    # A normalised version always ends with a number.
    head, number = re.fullmatch(r"(.*?)([0-9]+)", public).groups()  # type: ignore[union-attr]
    return f"{head}{int(number) + 1}"


def _date(epoch: int | None) -> str:
    from datetime import datetime, timezone

    try:
        now = (
            datetime.now(timezone.utc)
            if epoch is None
            else datetime.fromtimestamp(epoch, timezone.utc)
        )
    except (OverflowError, OSError, ValueError):
        raise BuildError(
            f"{epoch} is out of range for a date; unset it or give seconds since 1970",
            file="environment",
            key="SOURCE_DATE_EPOCH",
        ) from None
    return now.strftime("%Y%m%d")
