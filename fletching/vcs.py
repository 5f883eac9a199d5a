"""The version from git tags (``[tool.fletching.version] source = "vcs"``).

Where the version comes from, first match wins:

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

The scheme is setuptools-scm's default (``guess-next-dev`` with the
``node-and-date`` local part, as in setuptools-scm 10), so a project moving from
setuptools-scm or hatch-vcs keeps its versions:

- HEAD at a tag, clean: the tag's version (``v1.2.3`` gives ``1.2.3``).
- N commits after the nearest tag: the next version, ``.devN``, and the commit
  (``1.2.4.dev3+g1a2b3c4d5``; always 9 hexadecimal digits, as setuptools-scm
  does since 9.0, so the version does not depend on the clone). The next version
  adds one to the last number (``1.0rc1`` gives ``1.0rc2``, ``1.0.post1`` gives
  ``1.0.post2``); a tag ending in ``.dev0`` gives itself (``1.0.dev0`` gives
  ``1.0.devN``); another ``.devN`` tag is an error.
- Uncommitted changes to tracked files (untracked files do not count) add the
  date, from SOURCE_DATE_EPOCH when set, in UTC: ``+g1a2b3c4d5.d20240131``, also
  at a tag (``1.2.4.dev0+g...``).
- No tag: ``0.1.devN+g...`` with N the number of commits; no commit at all:
  ``0.1.dev0+d<date>``.
- A local part in the tag (``v1.0+abc``) is kept in front of the commit.
- The nearest tag whose name holds a digit (``git describe --match``) must be a
  version: a tag such as ``build42`` there is an error, as in setuptools-scm.
  When a ``tag-pattern`` starts with a literal prefix (``^pkg-a-v(?P<version>.*)``),
  only tags with that prefix are looked at, which lets projects of one
  repository have their own tags.
- Several version tags on one commit: the highest version (git itself, and so
  setuptools-scm, prefers an annotated tag, then the newest).

Without the git program (``git=None``, or not found), ``.git`` is read directly:
HEAD, loose and packed refs, and loose tag objects. That is enough to tell
whether HEAD carries a version tag, but not how far it is from an older one, nor
whether the working tree has changes: a tag at HEAD gives its version with a
warning saying so; anything else is an error that names the fix.
"""

from __future__ import annotations

import fnmatch
import os
import re
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from . import gitfiles
from .errors import BuildError
from .inside import read_packed

if TYPE_CHECKING:
    import subprocess

    from ._vendor.packaging.version import Version

# An optional "word-" prefix, an optional v, a version with at least one digit in
# front, and an optional "+local" part: the tags setuptools-scm's default accepts.
DEFAULT_TAG_PATTERN = r"^(?:[-\w]+-)?(?P<version>[vV]?[0-9]+(?:\.[0-9]+){0,2}[^+]*)(?:\+.*)?$"

ARCHIVAL = ".git_archival.txt"
_NODE_DIGITS = 9
_GIT_TIMEOUT = 120
# The GIT_* variables a build keeps; the others (GIT_DIR, GIT_INDEX_FILE... set when
# a build runs inside a git hook) would point git at another repository.
_KEEP_GIT_ENV = ("GIT_CEILING_DIRECTORIES", "GIT_EXEC_PATH", "GIT_DISCOVERY_ACROSS_FILESYSTEM")
_DESCRIBED = re.compile(r"(?P<tag>.+)-(?P<distance>[0-9]+)-g(?P<node>[0-9a-f]{4,64})")
_NO_GIT = (
    "without the git program, fletching reads the tag at HEAD from .git but cannot see "
    "uncommitted changes: a build from a changed working tree gets the tag's version"
)


class VcsVersion(NamedTuple):
    version: str
    """Normalised PEP 440 version, such as ``1.2.4.dev3+g1a2b3c4d5``."""
    source: str
    """Where it came from, for messages: ``git tag v1.2.3``, ``PKG-INFO (an sdist)``..."""
    warnings: tuple[str, ...] = ()


class _Rules(NamedTuple):
    """Which tags are versions: a name must match ``glob`` (what ``git describe
    --match`` is given) and ``regex`` (whose ``version`` group is the version)."""

    regex: re.Pattern[str]
    glob: str


class _Tag(NamedTuple):
    name: str
    version: Version
    warnings: tuple[str, ...]


class _Position(NamedTuple):
    """HEAD relative to the nearest version tag (``tag`` None: there is none)."""

    tag: _Tag | None
    distance: int
    node: str | None  # the full commit hash; None before the first commit
    dirty: bool


def vcs_version(
    root: Path,
    *,
    tag_pattern: str | None = None,
    key: str = "[tool.fletching.version] source",
    epoch: int | None = None,
    git: str | None = "git",
) -> VcsVersion:
    """The project's version from git, an sdist's PKG-INFO or a git archive.

    ``epoch`` is SOURCE_DATE_EPOCH (None when unset), for the date of a build from
    a changed working tree; ``git`` the program to run, None to read ``.git``
    without it. Raises ConfigError for a bad ``tag_pattern`` and BuildError when
    there is no version to be had. Its warnings name the file and ``key``.
    """
    found = _find(root, tag_pattern, key, epoch, git)
    where = f"pyproject.toml: {key}: "
    return found._replace(warnings=tuple(where + w for w in found.warnings))


def _find(
    root: Path, tag_pattern: str | None, key: str, epoch: int | None, git: str | None
) -> VcsVersion:
    rules = _rules(tag_pattern)
    root = Path(root)
    marker = root / ".git"
    if os.path.lexists(marker):
        return _from_repository(root, marker, rules, key, epoch, git, parent=False)
    pkg_info = _from_pkg_info(root)
    if pkg_info is not None:
        return pkg_info
    archival = _from_archival(root, rules, epoch)
    if isinstance(archival, VcsVersion):
        return archival
    for folder in root.resolve().parents:
        if os.path.lexists(folder / ".git"):
            return _from_repository(root, folder / ".git", rules, key, epoch, git, parent=True)
    why = "" if archival is None else f" ({archival})"
    raise BuildError(
        f'"vcs" but {root} is not in a git repository, and there is no PKG-INFO (an sdist) '
        f"or expanded {ARCHIVAL}{why}; tag a commit in a git checkout, or set [project] version",
        file="pyproject.toml",
        key=key,
    )


# Tags and the scheme


def _rules(tag_pattern: str | None) -> _Rules:
    from .tool_table import compile_tag_pattern

    pattern = DEFAULT_TAG_PATTERN if tag_pattern is None else tag_pattern
    return _Rules(compile_tag_pattern(pattern), _literal_prefix(pattern) + "*[0-9]*")


def _literal_prefix(pattern: str) -> str:
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


def _tag(name: str, rules: _Rules) -> _Tag | None:
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
            return _Tag(name, Version(text + suffix), ())
        except ValueError:
            if suffix.startswith("+"):
                note = f"git tag {name}: {suffix!r} is not a valid local version, left out"
                return _Tag(name, version, (note,))
    return _Tag(name, version, ())


def _highest(names: list[str], rules: _Rules) -> _Tag | None:
    tags = [tag for tag in (_tag(name, rules) for name in names) if tag is not None]
    return max(tags, key=lambda tag: tag.version, default=None)


def _format(position: _Position, epoch: int | None) -> str:
    """The version for HEAD's position, by setuptools-scm's default scheme."""
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
        local.append("g" + position.node[:_NODE_DIGITS])
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


def _result(
    position: _Position,
    epoch: int | None,
    where: str,
    warnings: tuple[str, ...] = (),
    *,
    file: str = "pyproject.toml",
    key: str | None = None,
) -> VcsVersion:
    tag = position.tag
    try:
        version = _format(position, epoch)
    except _Unnumbered as exc:
        raise BuildError(str(exc), file=file, key=key) from None
    dirty = "-dirty" if position.dirty else ""
    if position.node is None:
        source = "git (no commit yet)"
    elif tag is None:
        node = position.node[:_NODE_DIGITS]
        source = f"git describe g{node}{dirty} (no version tag; {position.distance} commits)"
    elif position.distance == 0 and not position.dirty:
        source = f"git tag {tag.name}"
    else:
        node = position.node[:_NODE_DIGITS]
        source = f"git describe {tag.name}-{position.distance}-g{node}{dirty}"
    tag_warnings = tag.warnings if tag else ()
    return VcsVersion(version, source + where, tag_warnings + warnings)


def _not_a_version(
    name: str, rules: _Rules, key: str | None, file: str = "pyproject.toml"
) -> BuildError:
    return BuildError(
        f"git tag {name}, the nearest tag to HEAD with a digit in its name, is not a "
        f"version by the tag-pattern {rules.regex.pattern!r}; rename or delete the tag, "
        "or set [tool.fletching.version] tag-pattern to a pattern that tells versions apart",
        file=file,
        key=key,
    )


# The repository, through the git program or not


def _from_repository(
    root: Path,
    marker: Path,
    rules: _Rules,
    key: str,
    epoch: int | None,
    git: str | None,
    *,
    parent: bool,
) -> VcsVersion:
    where = f" in the repository at {marker.parent}" if parent else ""
    gitdir, common = gitfiles.git_dirs(marker, key)
    if git is not None:
        position = _describe(root, git, rules, key)
        if position is not None:
            if parent:
                _check_tracked(root, git, marker.parent, key)
            warnings: tuple[str, ...] = ()
            if (common / "shallow").is_file() and (position.distance or position.tag is None):
                warnings = (
                    f"{marker.parent} is a shallow clone: the commits since the last tag may "
                    "be missing, and the version wrong; fetch the history (git fetch "
                    "--unshallow, or fetch-depth: 0 in CI)",
                )
            return _result(position, epoch, where, warnings, key=key)
    return _read_repository(gitdir, common, rules, key, epoch, git, where)


def _git_env() -> dict[str, str]:
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith("GIT_") or name in _KEEP_GIT_ENV or name.startswith("GIT_CONFIG")
    }
    env.update(LC_ALL="C", LANGUAGE="C")  # messages in English, to be recognised
    return env


def _run_git(
    git: str, root: Path, args: list[str], key: str
) -> subprocess.CompletedProcess[str] | None:
    """Run git in the project folder; None when the program is not there."""
    import subprocess  # only a project whose version comes from git runs a program

    try:
        return subprocess.run(
            [git, "--no-pager", *args],
            cwd=root,
            env=_git_env(),
            stdin=subprocess.DEVNULL,
            capture_output=True,
            encoding="utf-8",
            errors="replace",
            timeout=_GIT_TIMEOUT,
            check=False,
        )
    except FileNotFoundError:
        return None
    except subprocess.TimeoutExpired:
        raise BuildError(
            f"git {args[0]} did not finish in {_GIT_TIMEOUT} seconds in {root}",
            file="pyproject.toml",
            key=key,
        ) from None
    except OSError as exc:
        raise BuildError(
            f"cannot run {git}: {exc.strerror or exc}", file="pyproject.toml", key=key
        ) from None


def _git_failed(
    root: Path, args: list[str], result: subprocess.CompletedProcess[str], key: str
) -> BuildError:
    stderr = result.stderr.strip()
    if "dubious ownership" in stderr or "safe.directory" in stderr:
        found = re.search(r"repository at '([^']*)'", stderr)
        where = found.group(1) if found else str(root)
        return BuildError(
            f"git refuses to read the repository at {where}, which belongs to another user "
            f'("detected dubious ownership"); if you trust it, run: git config --global '
            f"--add safe.directory {where}",
            file="pyproject.toml",
            key=key,
        )
    first = stderr.splitlines()[0] if stderr else f"exit status {result.returncode}"
    return BuildError(f"git {args[0]} failed in {root}: {first}", file="pyproject.toml", key=key)


def _describe(root: Path, git: str, rules: _Rules, key: str) -> _Position | None:
    """HEAD's position with the git program: one ``git describe``, then one more call
    (the tags at the described commit, or the number of commits when no tag)."""
    args = ["describe", "--tags", "--long", "--dirty", "--always", "--abbrev=40"]
    args += ["--match", rules.glob]
    described = _run_git(git, root, args, key)
    if described is None:
        return None
    if described.returncode:
        head = _run_git(git, root, ["rev-parse", "--verify", "--quiet", "HEAD"], key)
        if head is not None and head.returncode == 1 and not head.stderr.strip():
            return _Position(None, 0, None, dirty=True)  # no commit yet
        raise _git_failed(root, args, described, key)
    text = described.stdout.strip()
    dirty = text.endswith("-dirty")
    text = text[: -len("-dirty")] if dirty else text
    found = _DESCRIBED.fullmatch(text)
    if found:
        name, node = found.group("tag"), found.group("node")
        listed = _run_git(
            git,
            root,
            [
                "for-each-ref",
                f"--points-at=refs/tags/{name}^{{commit}}",
                "--format=%(refname)",
                "refs/tags",
            ],
            key,
        )
        names = [name]
        if listed is not None and not listed.returncode:
            names += [line[len("refs/tags/") :] for line in listed.stdout.splitlines()]
        tag = _highest(names, rules)
        if tag is None:
            raise _not_a_version(name, rules, key)
        return _Position(tag, int(found.group("distance")), node, dirty)
    if not gitfiles.HASH.fullmatch(text):
        raise BuildError(
            f"git describe gave {text!r} in {root}, not a tag or a commit",
            file="pyproject.toml",
            key=key,
        )
    args = ["rev-list", "--count", "HEAD"]
    counted = _run_git(git, root, args, key)
    if counted is None:
        return None
    if counted.returncode or not counted.stdout.strip().isdigit():
        raise _git_failed(root, args, counted, key)
    return _Position(None, int(counted.stdout), text, dirty)


def _check_tracked(root: Path, git: str, repository: Path, key: str) -> None:
    listed = _run_git(git, root, ["ls-files", "--", "pyproject.toml"], key)
    if listed is not None and not listed.returncode and not listed.stdout.strip():
        raise BuildError(
            f'"vcs" but {root / "pyproject.toml"} is not tracked in the git repository at '
            f"{repository}, which would lend the project its tags; add it there (git add), "
            "or set [project] version",
            file="pyproject.toml",
            key=key,
        )


def _read_repository(
    gitdir: Path,
    common: Path,
    rules: _Rules,
    key: str,
    epoch: int | None,
    git: str | None,
    where: str,
) -> VcsVersion:
    """The version from ``.git`` read directly: only a tag at HEAD can give one."""
    if (common / "reftable").is_dir():
        raise BuildError(
            f"{common} keeps its refs in a reftable, which only the git program reads; "
            "install git (or put it on PATH), or set [project] version",
            file="pyproject.toml",
            key=key,
        )
    packed, peeled, complete = gitfiles.packed_refs(common)
    head = gitfiles.head_commit(gitdir, common, packed, key)
    if head is None:
        return _result(_Position(None, 0, None, dirty=True), epoch, where)
    tags = {
        ref[len("refs/tags/") :]: sha for ref, sha in packed.items() if ref.startswith("refs/tags/")
    }
    loose = gitfiles.loose_tags(common)
    tags.update(loose)
    found = [tag for tag in (_tag(name, rules) for name in tags) if tag is not None]
    missing = f"the git program ({git}) was not found; " if git else ""
    for tag in sorted(found, key=lambda t: t.version, reverse=True):
        ref = "refs/tags/" + tag.name
        if tag.name not in loose and ref in peeled:
            at_head: bool | None = peeled[ref] == head
        elif tag.name not in loose and complete:
            at_head = tags[tag.name] == head
        else:
            at_head = gitfiles.points_at(common, tags[tag.name], head)
        if at_head is None:
            raise BuildError(
                f"{missing}without git, fletching cannot tell whether git tag {tag.name} names "
                "HEAD: the object it names is in a pack file (a tag object, or a commit other "
                "than HEAD), which only git reads; install git (or put it on PATH), or set "
                "[project] version",
                file="pyproject.toml",
                key=key,
            )
        if at_head:
            position = _Position(tag, 0, head, dirty=False)
            version = _result(position, epoch, where, (missing + _NO_GIT,), key=key)
            return version._replace(source=version.source + " (read from .git without git)")
    raise BuildError(
        f'"vcs" but HEAD ({head[:_NODE_DIGITS]}) has no version tag, and {missing}counting the '
        "commits since the last tag needs the git program; install git (or put it on PATH), "
        "tag HEAD, or set [project] version",
        file="pyproject.toml",
        key=key,
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


def _from_archival(root: Path, rules: _Rules, epoch: int | None) -> VcsVersion | str | None:
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
    describe = fields.get("describe-name", "")
    if describe and "%(describe" not in describe:
        found = _DESCRIBED.fullmatch(describe)
        name = found.group("tag") if found else describe
        distance = int(found.group("distance")) if found else 0
        tag = _highest([name, *ref_tags] if distance == 0 else [name], rules)
        if tag is None:
            raise _not_a_version(name, rules, "describe-name", file=ARCHIVAL)
        short = found.group("node") if found else ""
        # The full commit when it agrees, for the same 9 digits as in a checkout.
        commit = node if node.startswith(short) else short
        position = _Position(tag, distance, commit or None, dirty=False)
        return _archived(_result(position, epoch, "", file=ARCHIVAL, key="describe-name"))
    tag = _highest(ref_tags, rules)
    if tag is not None:
        return _archived(_result(_Position(tag, 0, node or None, dirty=False), epoch, ""))
    if node:
        note = (
            f"{ARCHIVAL}: the archived commit has no version tag before it; version 0.0, "
            "as setuptools-scm gives"
        )
        return VcsVersion("0.0", f"{ARCHIVAL} (node {node[:_NODE_DIGITS]}, no tag)", (note,))
    return f"{ARCHIVAL} has no describe-name, tag or node"


def _archived(found: VcsVersion) -> VcsVersion:
    return found._replace(source=f"{ARCHIVAL} ({found.source})")
