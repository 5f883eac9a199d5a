"""Where a ``source = "vcs"`` project's version comes from.

First match wins:

1. ``.git`` at the project folder (a folder, or a ``gitdir:`` file for a worktree
   or a submodule): the repository, through the git program.
2. ``PKG-INFO`` at the project folder: an unpacked sdist, whose ``Version:`` is
   the one the sdist was built with. It comes before the two below so that a wheel
   built from an sdist always has the sdist's version, even when the sdist was
   unpacked inside some other checkout, or carries a ``.git_archival.txt``.
3. ``.git_archival.txt`` at the project folder, expanded by ``git archive``
   (``export-subst`` in ``.gitattributes``): ``describe-name``, else a
   ``tag: X`` in ``ref-names``, else ``node`` alone, which gives ``0.0`` (what
   setuptools-scm gives, with a warning). An unexpanded file is passed over.
4. ``.git`` in a parent folder (a project in a subfolder of a repository): the
   repository, with git run in the project folder, and only if the project's
   ``pyproject.toml`` is tracked there, so that an unrelated repository around the
   project (a home folder under git, an sdist unpacked in a checkout) never lends
   its version (without the git program this is not checked). setuptools-scm and
   hatch-vcs look here only when told to (``search_parent_directories``).
5. Otherwise an error saying what was looked for and how to fix it.

The scheme is in ``version_scheme``, running git in ``git_program``, reading a
repository in ``git_repository``.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from . import gitfiles
from .errors import BuildError
from .git_program import KEY
from .git_repository import from_repository, split_described
from .inside import read_packed
from .version_scheme import (
    NODE_DIGITS,
    Position,
    TagRules,
    VcsVersion,
    describe,
    highest,
    not_a_version,
    tag_rules,
)

ARCHIVAL = ".git_archival.txt"


__all__ = ["VcsVersion", "vcs_version"]


def vcs_version(
    root: Path,
    *,
    tag_pattern: str | None = None,
    epoch: int | None = None,
    git: str | None = "git",
) -> VcsVersion:
    """The project's version from git, an sdist's PKG-INFO or a git archive.

    ``epoch`` is SOURCE_DATE_EPOCH (None when unset), for the date of a build from
    a changed working tree; ``git`` the program to run, None to read ``.git``
    without it. Raises ConfigError for a bad ``tag_pattern`` and BuildError when
    there is no version to be had. Its warnings name the file and the key.
    """
    found = _find(Path(root), tag_pattern, epoch, git)
    where = f"pyproject.toml: {KEY}: "
    return VcsVersion(found.version, found.source, tuple(where + w for w in found.warnings))


def _find(root: Path, tag_pattern: str | None, epoch: int | None, git: str | None) -> VcsVersion:
    rules = tag_rules(tag_pattern)
    marker = root / ".git"
    if os.path.lexists(marker):
        return from_repository(root, marker, rules, epoch, git, parent=False)
    pkg_info = _from_pkg_info(root)
    if pkg_info is not None:
        return pkg_info
    archival = _from_archival(root, rules, epoch)
    if isinstance(archival, VcsVersion):
        return archival
    for folder in root.resolve().parents:
        if os.path.lexists(folder / ".git"):
            return from_repository(root, folder / ".git", rules, epoch, git, parent=True)
    why = "" if archival is None else f" ({archival})"
    raise BuildError(
        f'"vcs" but {root} is not in a git repository, and there is no PKG-INFO (an sdist) '
        f"or expanded {ARCHIVAL}{why}; tag a commit in a git checkout, or set [project] version",
        file="pyproject.toml",
        key=KEY,
    )


# An sdist's PKG-INFO and a git archive's .git_archival.txt


def _project_text(root: Path, name: str) -> str | None:
    if not os.path.isfile(root / name):
        return None
    return read_packed(root, name)[0].decode("utf-8", "replace")


def _from_pkg_info(root: Path) -> VcsVersion | None:
    if not os.path.isfile(root / "PKG-INFO"):
        return None
    from ._vendor.packaging.version import Version
    from .core_metadata import read_headers

    value = read_headers(read_packed(root, "PKG-INFO")[0]).get("Version")
    if not value or not value.strip():
        raise BuildError(
            "has no Version field: not an sdist's metadata; remove it, or set [project] version",
            file="PKG-INFO",
            key="Version",
        )
    try:
        version = Version(value.strip())
    except ValueError:
        raise BuildError(
            f"{value.strip()!r} is not a valid version (PEP 440)", file="PKG-INFO", key="Version"
        ) from None
    return VcsVersion(str(version), "PKG-INFO (an sdist)")


def _from_archival(root: Path, rules: TagRules, epoch: int | None) -> VcsVersion | str | None:
    """The version from an expanded ``.git_archival.txt``; a reason when the file is
    there but gives none; None when there is no such file."""
    text = _project_text(root, ARCHIVAL)
    if text is None:
        return None
    fields: dict[str, str] = {}
    for line in text.splitlines():
        name, colon, value = line.partition(":")
        if colon:
            fields[name.strip().lower()] = value.strip()
    if "$Format:" in text:
        return (
            f"{ARCHIVAL} is not expanded: it is expanded only in a 'git archive' of a "
            f"commit whose .gitattributes has '{ARCHIVAL} export-subst'"
        )
    node = fields.get("node", "").lower()
    node = node if gitfiles.HASH.fullmatch(node) else ""
    ref_tags = re.findall(r"(?:^|, )tag: ([^,]+)", fields.get("ref-names", ""))
    described = fields.get("describe-name", "")
    if described and "%(describe" not in described:
        found = split_described(described)
        name, distance, short = found if found else (described, 0, "")
        tag = highest([name, *ref_tags] if distance == 0 else [name], rules)
        if tag is None:
            raise not_a_version(name, rules, "describe-name", file=ARCHIVAL)
        # The full commit when it agrees, for the same 9 digits as in a checkout.
        commit = node if node.startswith(short) else short
        position = Position(tag, distance, commit or None, dirty=False)
        return _archived(position, epoch, key="describe-name")
    tag = highest(ref_tags, rules)
    if tag is not None:
        return _archived(Position(tag, 0, node or None, dirty=False), epoch, key="ref-names")
    if node:
        note = (
            f"{ARCHIVAL}: the archived commit has no version tag before it; version 0.0, "
            "as setuptools-scm gives"
        )
        return VcsVersion("0.0", f"{ARCHIVAL} (node {node[:NODE_DIGITS]}, no tag)", (note,))
    return f"{ARCHIVAL} has no describe-name, tag or node"


def _archived(position: Position, epoch: int | None, *, key: str) -> VcsVersion:
    found = describe(position, epoch, file=ARCHIVAL, key=key)
    return found._replace(source=f"{ARCHIVAL} ({found.source})")
