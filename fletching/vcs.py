"""Where a ``source = "vcs"`` project's version comes from.

First match wins:

1. ``SETUPTOOLS_SCM_PRETEND_VERSION_FOR_<NAME>``, then
   ``SETUPTOOLS_SCM_PRETEND_VERSION``, in the environment: a packager's word,
   read as setuptools-scm and hatch-vcs read them.
2. ``PKG-INFO`` at the project folder, naming this project: an unpacked sdist,
   whose ``Version:`` is the one the sdist was built with. It comes first so that
   a wheel built from an sdist always has the sdist's version: when the sdist was
   unpacked inside some other checkout, carries a ``.git_archival.txt``, or was
   put under git by a distribution (``git init``, gbp's ``upstream/1.1`` and
   ``debian/1.1-1`` tags), which a warning says. A developer's checkout has no
   PKG-INFO at its top.
3. ``.git`` at the project folder (a folder, or a ``gitdir:`` file for a worktree
   or a submodule): the repository, through the git program.
4. ``.git_archival.txt`` at the project folder, expanded by ``git archive``
   (``export-subst`` in ``.gitattributes``): ``describe-name``, else a
   ``tag: X`` in ``ref-names``, else ``node`` alone, which gives ``0.0`` (what
   setuptools-scm gives, with a warning). An unexpanded file is passed over.
5. ``.git`` in a parent folder (a project in a subfolder of a repository): the
   repository, with git run in the project folder, and only if the project's
   ``pyproject.toml`` is tracked there, so that an unrelated repository around the
   project (a home folder under git, an sdist unpacked in a checkout) never lends
   its version (without the git program this is not checked). setuptools-scm and
   hatch-vcs look here only when told to (``search_parent_directories``).
6. Otherwise an error saying what was looked for and how to fix it.

The scheme is in ``version_scheme``, running git in ``git_program``, reading a
repository in ``git_repository``.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
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
PRETEND = "SETUPTOOLS_SCM_PRETEND_VERSION"
_SDIST_IN_GIT = (
    "the version is the sdist's, from PKG-INFO, not from the git repository beside it (an "
    "unpacked sdist put under git, as distributions do); to take git's, delete PKG-INFO, "
    f"or set {PRETEND}"
)

__all__ = ["VcsVersion", "vcs_version"]


def vcs_version(
    root: Path,
    *,
    name: str | None = None,
    tag_pattern: str | None = None,
    epoch: int | None = None,
    git: str | None = "git",
    environ: Mapping[str, str] | None = None,
) -> VcsVersion:
    """The project's version: from the packager's environment, an sdist's PKG-INFO,
    git, or a git archive.

    ``name`` is the project's (for the variable named after it, and to tell its
    PKG-INFO); ``epoch`` is SOURCE_DATE_EPOCH (None when unset), for the date of a
    build from a changed working tree; ``git`` the program to run, None to read
    ``.git`` without it; ``environ`` the environment (os.environ). Raises
    ConfigError for a bad ``tag_pattern`` and BuildError when there is no version
    to be had. Its warnings name the file and the key.
    """
    pretended = _from_environment(os.environ if environ is None else environ, name)
    if pretended is not None:
        return pretended
    found = _find(Path(root), name, tag_pattern, epoch, git)
    where = f"pyproject.toml: {KEY}: "
    return VcsVersion(found.version, found.source, tuple(where + w for w in found.warnings))


def _from_environment(environ: Mapping[str, str], name: str | None) -> VcsVersion | None:
    """SETUPTOOLS_SCM_PRETEND_VERSION_FOR_<NAME>, else SETUPTOOLS_SCM_PRETEND_VERSION, as
    setuptools-scm and hatch-vcs read them: the packager's word beats every source."""
    candidates: list[tuple[str, str]] = []
    if name is not None:
        from ._vendor.packaging.utils import canonicalize_name

        canonical = canonicalize_name(name)
        variable = named_variable(name)
        candidates.append((variable, ""))
        prefix = f"{PRETEND}_FOR_"
        for other in sorted(environ):
            suffix = other[len(prefix) :]
            if (
                other.startswith(prefix)
                and other != variable
                and canonicalize_name(suffix.lower().replace("_", "-")) == canonical
            ):
                candidates.append((other, f"; the spelling setuptools-scm documents is {variable}"))
    candidates.append((PRETEND, ""))
    for variable, advice in candidates:
        value = environ.get(variable, "").strip()
        if not value:
            continue  # unset or empty, as setuptools-scm takes it
        from ._vendor.packaging.version import Version

        try:
            version = str(Version(value))
        except ValueError:
            raise BuildError(
                f"{value!r} is not a valid version (PEP 440); give one such as 1.2.3, or unset "
                "it to take the version from git",
                file="environment",
                key=variable,
            ) from None
        note = (
            f"environment: {variable}: version {version} taken from the environment, not "
            f"from git{advice}"
        )
        return VcsVersion(version, f"the environment ({variable})", (note,))
    return None


def named_variable(name: str) -> str:
    """The variable setuptools-scm reads for this project: ``my.Pkg`` gives
    ``SETUPTOOLS_SCM_PRETEND_VERSION_FOR_MY_PKG``."""
    from ._vendor.packaging.utils import canonicalize_name

    return f"{PRETEND}_FOR_{canonicalize_name(name).replace('-', '_').upper()}"


def _find(
    root: Path, name: str | None, tag_pattern: str | None, epoch: int | None, git: str | None
) -> VcsVersion:
    rules = tag_rules(tag_pattern)
    marker = root / ".git"
    pkg_info = _from_pkg_info(root, name)
    if pkg_info is not None:
        if os.path.lexists(marker):
            return pkg_info._replace(warnings=(_SDIST_IN_GIT,))
        return pkg_info
    if os.path.lexists(marker):
        return from_repository(root, marker, rules, epoch, git, parent=False)
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


def _from_pkg_info(root: Path, name: str | None) -> VcsVersion | None:
    if not os.path.isfile(root / "PKG-INFO"):
        return None
    from ._vendor.packaging.utils import canonicalize_name
    from ._vendor.packaging.version import Version
    from .core_metadata import read_headers

    headers = read_headers(read_packed(root, "PKG-INFO")[0])
    named = headers.get("Name", "").strip()
    if name is not None and canonicalize_name(named) != canonicalize_name(name):
        variable = named_variable(name)
        raise BuildError(
            f"names the project {named!r}, not {name!r}: it is not this project's sdist "
            f"metadata, and cannot give its version; remove it, or set {variable}",
            file="PKG-INFO",
            key="Name",
        )
    value = headers.get("Version")
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
        # The commit as describe-name abbreviates it (7 digits by git's default), not the
        # full node: setuptools-scm does so, and a project moving from it keeps its
        # versions; a checkout of the same commit gives 9.
        position = Position(tag, distance, short or node or None, dirty=False)
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
