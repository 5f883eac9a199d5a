"""HEAD's position in a git repository: through the git program, or, without it,
from the files in ``.git`` (only a tag at HEAD can be told that way)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from . import gitfiles
from .errors import BuildError
from .git_program import KEY, Git
from .version_scheme import (
    NODE_DIGITS,
    Position,
    VcsVersion,
    describe,
    highest,
    not_a_version,
    tag_version,
)

if TYPE_CHECKING:
    from pathlib import Path

    from .version_scheme import TagRules

_DESCRIBED = re.compile(r"(?P<tag>.+)-(?P<distance>[0-9]+)-g(?P<node>[0-9a-f]{4,64})")
_NO_GIT = (
    "without the git program, fletching reads the tag at HEAD from .git but cannot see "
    "uncommitted changes: a build from a changed working tree gets the tag's version"
)


def split_described(text: str) -> tuple[str, int, str] | None:
    """``TAG-N-gNODE`` as ``git describe --long`` writes it, as (tag, N, node)."""
    found = _DESCRIBED.fullmatch(text)
    if found is None:
        return None
    return found.group("tag"), int(found.group("distance")), found.group("node")


def from_repository(
    root: Path,
    marker: Path,
    rules: TagRules,
    epoch: int | None,
    git: str | None,
    *,
    parent: bool,
) -> VcsVersion:
    """The version of HEAD in the repository whose ``.git`` is ``marker``."""
    where = f" in the repository at {marker.parent}" if parent else ""
    gitdir, common = gitfiles.git_dirs(marker, KEY)
    if git is not None:
        program = Git(git, root, (common / "config", gitdir / "config.worktree"))
        position = _describe(program, rules)
        if position is not None:
            if parent:
                _check_tracked(program, marker.parent)
            warnings: tuple[str, ...] = ()
            if (common / "shallow").is_file() and (position.distance or position.tag is None):
                warnings = (
                    f"{marker.parent} is a shallow clone: the commits since the last tag may "
                    "be missing, and the version wrong; fetch the history (git fetch "
                    "--unshallow, or fetch-depth: 0 in CI)",
                )
            return _found(position, epoch, where, warnings)
    return _read_repository(gitdir, common, rules, epoch, git, where)


def _found(
    position: Position, epoch: int | None, where: str, warnings: tuple[str, ...] = ()
) -> VcsVersion:
    version, source, tag_warnings = describe(position, epoch, key=KEY)
    return VcsVersion(version, source + where, tag_warnings + warnings)


def _describe(git: Git, rules: TagRules) -> Position | None:
    """HEAD's position with the git program: ``git describe``, the tags at the
    described commit (or the number of commits when no tag), and ``git status``.

    Not ``describe --dirty``: it looks into submodules' working trees, under
    their own config (see git_program)."""
    args = ["describe", "--tags", "--long", "--always", "--abbrev=40", "--match", rules.glob]
    described = git.run(args)
    if described is None:
        return None
    if described.returncode:
        head = git.run(["rev-parse", "--verify", "--quiet", "HEAD"])
        if head is not None and head.returncode == 1 and not head.stderr.strip():
            return Position(None, 0, None, dirty=True)  # no commit yet
        raise git.failed(args, described)
    text = described.stdout.strip()
    found = split_described(text)
    if found:
        name, distance, node = found
        listed = git.run(
            [
                "for-each-ref",
                f"--points-at=refs/tags/{name}^{{commit}}",
                "--format=%(refname)",
                "refs/tags",
            ]
        )
        names = [name]
        if listed is not None and not listed.returncode:
            names += [line[len("refs/tags/") :] for line in listed.stdout.splitlines()]
        tag = highest(names, rules)
        if tag is None:
            raise not_a_version(name, rules, KEY)
    elif gitfiles.HASH.fullmatch(text):
        args = ["rev-list", "--count", "HEAD"]
        counted = git.run(args)
        if counted is None:
            return None
        if counted.returncode or not counted.stdout.strip().isdigit():
            raise git.failed(args, counted)
        tag, distance, node = None, int(counted.stdout), text
    else:
        raise BuildError(
            f"git describe gave {text!r} in {git.root}, not a tag or a commit",
            file="pyproject.toml",
            key=KEY,
        )
    dirty = git.changed()
    return None if dirty is None else Position(tag, distance, node, dirty)


def _check_tracked(git: Git, repository: Path) -> None:
    listed = git.run(["ls-files", "--", "pyproject.toml"])
    if listed is not None and not listed.returncode and not listed.stdout.strip():
        raise BuildError(
            f'"vcs" but {git.root / "pyproject.toml"} is not tracked in the git repository at '
            f"{repository}, which would lend the project its tags; add it there (git add), "
            "or set [project] version",
            file="pyproject.toml",
            key=KEY,
        )


def _read_repository(
    gitdir: Path,
    common: Path,
    rules: TagRules,
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
            key=KEY,
        )
    packed, peeled, complete = gitfiles.packed_refs(common)
    head = gitfiles.head_commit(gitdir, common, packed, KEY)
    if head is None:
        return _found(Position(None, 0, None, dirty=True), epoch, where)
    tags = {
        ref[len("refs/tags/") :]: sha for ref, sha in packed.items() if ref.startswith("refs/tags/")
    }
    loose = gitfiles.loose_tags(common)
    tags.update(loose)
    found = [tag for tag in (tag_version(name, rules) for name in tags) if tag is not None]
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
                key=KEY,
            )
        if at_head:
            position = Position(tag, 0, head, dirty=False)
            version = _found(position, epoch, where, (missing + _NO_GIT,))
            return version._replace(source=version.source + " (read from .git without git)")
    raise BuildError(
        f'"vcs" but HEAD ({head[:NODE_DIGITS]}) has no version tag, and {missing}counting the '
        "commits since the last tag needs the git program; install git (or put it on PATH), "
        "tag HEAD, or set [project] version",
        file="pyproject.toml",
        key=KEY,
    )
