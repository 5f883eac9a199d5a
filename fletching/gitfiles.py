"""Reading a git repository's own files, for when the git program is not there.

Only what telling the tag at HEAD needs: the git folders (a ``.git`` folder, or
the ``gitdir:`` file of a worktree or submodule, with its ``commondir``), HEAD,
loose and packed refs with their peeled lines, and loose tag objects. Pack files
are not read: a caller learns that an object may be in one.
"""

from __future__ import annotations

import os
import re
import zlib
from pathlib import Path

from .errors import BuildError

# A full SHA-1 or SHA-256 object name.
HASH = re.compile(r"[0-9a-f]{40}(?:[0-9a-f]{24})?")


def read_file(path: Path) -> bytes | None:
    """A file of the repository (outside the project when the repository is a
    parent's), or None when there is no such file."""
    try:
        with open(path, "rb") as f:
            return f.read()
    except (FileNotFoundError, NotADirectoryError, IsADirectoryError):
        return None
    except (OSError, ValueError) as exc:  # ValueError: a NUL in a path read from a ref
        raise BuildError(
            f"cannot be read: {getattr(exc, 'strerror', None) or exc}", file=str(path)
        ) from None


def text_of(path: Path) -> str | None:
    data = read_file(path)
    return None if data is None else data.decode("utf-8", "replace").strip()


def git_dirs(marker: Path, key: str) -> tuple[Path, Path]:
    """The git folder (per worktree) and the common one (refs, objects) for a
    ``.git`` folder or ``gitdir:`` file."""
    if marker.is_dir():
        gitdir = marker
    else:
        text = text_of(marker) or ""
        if not text.startswith("gitdir:"):
            raise BuildError(
                f"{marker} is neither a git folder nor a 'gitdir:' file",
                file="pyproject.toml",
                key=key,
            )
        gitdir = marker.parent / text[len("gitdir:") :].strip()
    if not (gitdir / "HEAD").is_file():
        # git itself would pass such a folder over and use a repository around the
        # project, which must not lend it a version.
        raise BuildError(
            f"{marker} is not a git repository (there is no {gitdir / 'HEAD'}); remove it,"
            " or make the project a repository of its own (git init)",
            file="pyproject.toml",
            key=key,
        )
    common = text_of(gitdir / "commondir")
    return gitdir, (gitdir / common if common else gitdir)


def packed_refs(common: Path) -> tuple[dict[str, str], dict[str, str], bool]:
    """The packed refs, the commits their annotated tags name, and whether the file
    records those (git has for years: ``# pack-refs with: peeled``)."""
    refs: dict[str, str] = {}
    peeled: dict[str, str] = {}
    complete = False
    last = ""
    for line in (text_of(common / "packed-refs") or "").splitlines():
        if line.startswith("#"):
            complete = " peeled" in line
        elif line.startswith("^"):
            peeled[last] = line[1:].strip()
        elif " " in line:
            sha, _, last = line.partition(" ")
            refs[last] = sha
    return refs, peeled, complete


def head_commit(gitdir: Path, common: Path, packed: dict[str, str], key: str) -> str | None:
    """HEAD's commit, None when there is no commit yet."""
    text = text_of(gitdir / "HEAD")
    for _ in range(10):
        if text is None:
            raise BuildError(
                f"{gitdir} has no HEAD: not a git repository",
                file="pyproject.toml",
                key=key,
            )
        if not text.startswith("ref:"):
            if not HASH.fullmatch(text):
                raise BuildError(
                    f"{gitdir}/HEAD names {text[:80]!r}, not a commit",
                    file="pyproject.toml",
                    key=key,
                )
            return text
        ref = text[len("ref:") :].strip()
        per_worktree = ref == "HEAD" or ref.startswith(("refs/bisect/", "refs/worktree/"))
        text = text_of((gitdir if per_worktree else common) / ref)
        if text is None:
            text = packed.get(ref)
            if text is None:
                return None
    raise BuildError(f"{gitdir}/HEAD: too many symbolic refs", file="pyproject.toml", key=key)


def loose_tags(common: Path) -> dict[str, str]:
    tags: dict[str, str] = {}
    top = common / "refs" / "tags"
    for folder, _, files in os.walk(top):
        for name in files:
            sha = text_of(Path(folder, name))
            if sha and not sha.startswith("ref:"):
                tags[Path(folder, name).relative_to(top).as_posix()] = sha
    return tags


def tagged_object(common: Path, sha: str) -> str | bool | None:
    """What a loose tag object names: the object's hash; False when ``sha`` is a
    loose object but not a tag; None when it is not a loose object (packed)."""
    data = read_file(common / "objects" / sha[:2] / sha[2:])
    if data is None:
        return None
    try:
        head = zlib.decompressobj().decompress(data, 4096)
    except zlib.error:
        return None
    kind, _, body = head.partition(b"\0")
    if not kind.startswith(b"tag "):
        return False
    first = body.split(b"\n", 1)[0].decode("ascii", "replace")
    return first[len("object ") :].strip() if first.startswith("object ") else False


def points_at(common: Path, sha: str, head: str) -> bool | None:
    """Whether a ref to ``sha`` names HEAD's commit (through tag objects); None when
    a tag object is packed, which cannot be read here."""
    for _ in range(10):
        if sha == head:
            return True
        target = tagged_object(common, sha)
        if not isinstance(target, str):
            return None if target is None else False
        sha = target
    return False
