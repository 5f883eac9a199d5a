"""Walk the project's folders for the files that go into the archives.

Every path returned is relative to the project root, uses ``/`` and is sorted,
so that the archives do not depend on the order the file system lists things.
Nothing outside the project root is ever returned: a symlink that resolves
outside it is an error naming the link.
"""

from __future__ import annotations

import os
import posixpath
from collections.abc import Iterable, Iterator
from pathlib import Path

from ._validate import close_match, normal_path
from .errors import BuildError, warn
from .globs import literal_part, matching
from .inside import leads_out, read_packed, refuse_outside

# Folders no build wants: VCS data, caches and tool state. A pattern that names
# one of them explicitly still reaches it.
PRUNED_DIRS = frozenset(
    {".git", ".hg", ".svn", ".bzr", "__pycache__", ".tox", ".nox", ".mypy_cache",
     ".pytest_cache", ".ruff_cache", ".eggs", "node_modules"}
)  # fmt: skip
NEVER_PACKED_SUFFIXES = (".pyc", ".pyo")
# Why a walk passed something over (Tree.skipped). flit_core packs the first two when
# they are inside the package (but __pycache__), so those are worth a warning there.
TOOL_FOLDER = "cache or tool folder, never packed"
VIRTUAL_ENV = "virtual environment, never packed"
BYTECODE = "bytecode, never packed"
OUTPUT_FOLDER = "the build's output folder"
LINK_OUTSIDE = "a link to a folder outside the project, never followed"
LINK_LOOP = "a link to a folder above it, never followed"


class Tree:
    """Walks folders of one project once each; never follows a link out of it."""

    def __init__(
        self, root: Path, skip: Iterable[Path] = (), generated: Iterable[tuple[str, bytes]] = ()
    ) -> None:
        self.root = root
        # Files the build makes (the version module): listed and read as if they were
        # in the project, in place of any file of that path there.
        self.generated = dict(generated)
        # An output folder inside the project is never walked; the project folder
        # itself can be the output folder ('--outdir .'), and is walked all the same.
        self._skip = {os.path.realpath(p) for p in skip} - {os.path.realpath(root)}
        # (path, reason) of what a walk passed over, for explaining the selection.
        self.skipped: list[tuple[str, str]] = []
        # Each walk's files, sorted: several globs (flit's four default license globs,
        # say) then share one walk of the tree instead of walking it once each.
        self._walks: dict[tuple[str, bool], list[str]] = {}
        # Links a walk did not follow (path -> whether it names a folder): leading out
        # of the project, or nowhere. Refused (or, for a folder, left out with a
        # warning) only where a build selects them: a stray '.venv' link beside the
        # project's files stops no glob.
        self._unfollowed: dict[str, bool] = {}
        # Files found inside the project (by a walk, or checked when named outright):
        # inside.read_inside need not check them again.
        self.vetted: set[str] = set()
        self._warned: set[str] = set()

    def warn(self, message: str) -> None:
        """Write a warning to stderr (frontends read stdout), once for this tree: each
        artefact is built from a tree of its own, however often a file is chosen."""
        if message not in self._warned:
            self._warned.add(message)
            warn(message)

    def files_under(self, relpath: str, *, prune: bool = True) -> list[str]:
        """Every regular file below ``relpath`` (a folder), sorted: the whole folder is
        selected, so a link in it that leads out of the project or nowhere is refused."""
        files = self._files(relpath, prune)
        prefix = f"{relpath}/" if relpath else ""
        self._select_unfollowed([p for p in self._unfollowed if p.startswith(prefix)])
        return files

    def _files(self, relpath: str, prune: bool) -> list[str]:
        key = (relpath, prune)
        if key not in self._walks:
            prefix = f"{relpath}/" if relpath else ""
            made = {p for p in self.generated if p.startswith(prefix)}
            self._walks[key] = sorted(set(self._walk(relpath, prune)) | made)
        return list(self._walks[key])

    def read(self, relpath: str) -> tuple[bytes, bool]:
        """A file to pack: its bytes and whether any execute bit is set."""
        if relpath in self.generated:
            return self.generated[relpath], False
        return read_packed(self.root, relpath, self.vetted)

    def _select_unfollowed(self, paths: Iterable[str]) -> None:
        """A selected link the walk did not follow: a file (or nothing) is refused, as
        flit_core refuses it; a folder outside the project is left out, as flit_core
        leaves it (it never follows links to folders), but not without a word."""
        for rel in sorted(paths):
            if not self._unfollowed[rel]:
                if os.path.exists(os.path.join(self.root, rel)):
                    refuse_outside(self.root, rel)
                raise BuildError("is a broken symbolic link; remove it or fix its target", file=rel)
            self.skipped.append((rel + "/", LINK_OUTSIDE))
            self.warn(f"{rel}/: left out ({LINK_OUTSIDE}); copy in what the build needs")

    def _walk(self, relpath: str, prune: bool) -> Iterator[str]:
        if relpath:
            refuse_outside(self.root, relpath)  # the folder a walk starts from, too
        # Each folder with the real paths of the folders above it: a link back to one
        # of them would loop. A folder reached by two paths (a link to a sibling) is
        # walked under both, as its files would be found under both names.
        stack: list[tuple[str, frozenset[str]]] = [(relpath, frozenset())]
        while stack:
            current, above = stack.pop()
            folder = os.path.join(self.root, current)
            real = os.path.realpath(folder)
            if real in self._skip:
                self.skipped.append((current, OUTPUT_FOLDER))
                continue
            if real in above:
                self.skipped.append((current + "/", LINK_LOOP))
                continue
            try:
                entries = list(os.scandir(folder))
            except (FileNotFoundError, NotADirectoryError):
                continue  # a pattern's literal folder that does not exist matches nothing
            except OSError as exc:
                raise BuildError(
                    f"cannot read the folder: {exc.strerror}", file=current or "."
                ) from exc
            for entry in entries:
                rel = f"{current}/{entry.name}" if current else entry.name
                is_dir, is_file = _kind(entry)
                if entry.is_symlink() and (not (is_dir or is_file) or leads_out(self.root, rel)):
                    self._unfollowed[rel] = is_dir
                elif is_dir:
                    if prune and entry.name in PRUNED_DIRS:
                        self.skipped.append((rel + "/", TOOL_FOLDER))
                    elif prune and _is_venv(entry.path):
                        self.skipped.append((rel + "/", VIRTUAL_ENV))
                    else:
                        stack.append((rel, above | {real}))
                elif is_file:
                    if entry.name.endswith(NEVER_PACKED_SUFFIXES):
                        self.skipped.append((rel, BYTECODE))
                    else:
                        self.vetted.add(rel)
                        yield rel

    def top_level_files(self) -> list[str]:
        """The regular files directly in the project folder, sorted (no walk below it)."""
        try:
            entries = list(os.scandir(self.root))
        except OSError as exc:
            raise BuildError(f"cannot read the folder: {exc.strerror}", file=".") from exc
        return sorted(
            e.name for e in entries if _kind(e)[1] and not e.name.endswith(NEVER_PACKED_SUFFIXES)
        )

    def glob(self, pattern: str, *, everything: bool = False) -> list[str]:
        """Files matched by a pattern; a matched folder stands for all files below it.

        With ``everything``, wildcards reach hidden files and tool folders too, as
        pathlib's glob does: flit_core finds licence files so."""
        pattern = normal_path(pattern.strip())
        if pattern == ".":
            return self.files_under("")
        base, literal = literal_part(pattern)
        target = self.root / base
        if literal:
            # No wildcard: a file or a folder named outright.
            if os.path.lexists(target):
                refuse_outside(self.root, base)
            if target.is_file():
                self.vetted.add(base)
                return [base]
            if target.is_dir():
                return self.files_under(base, prune=False)
            return []
        # A folder matched by the pattern brings all the files below it.
        found = matching(pattern, self._files(base, not everything), hidden=everything)
        prefix = f"{base}/" if base else ""
        links = [p for p in self._unfollowed if p.startswith(prefix)]
        self._select_unfollowed(matching(pattern, links, hidden=everything))
        return found

    def walled(self, path: str, *, below: str) -> str | None:
        """The folder between ``below`` and ``path`` that a walk leaves out (a cache, a
        tool folder, a virtual environment), as '<folder>/ (<reason>)', or None."""
        parts = path.split("/")
        start = below.count("/") + 1 if below else 0
        for end in range(start + 1, len(parts)):
            folder = "/".join(parts[:end])
            if parts[end - 1] in PRUNED_DIRS:
                return f"{folder}/ ({TOOL_FOLDER})"
            if _is_venv(os.path.join(self.root, folder)):
                return f"{folder}/ ({VIRTUAL_ENV})"
        return None


def _kind(entry: os.DirEntry[str]) -> tuple[bool, bool]:
    """(is a folder, is a file), following links; a link that loops is neither."""
    try:
        return entry.is_dir(), entry.is_file()
    except OSError:
        return False, False


def _is_venv(path: str) -> bool:
    return os.path.isfile(os.path.join(path, "pyvenv.cfg"))


def similar_file(root: Path, relpath: str) -> str:
    """A '(did you mean ...?)' hint from the files beside where ``relpath`` should be."""
    folder = posixpath.dirname(relpath)
    try:
        names = [posixpath.join(folder, p.name) for p in (root / folder).iterdir()]
    except OSError:  # no such folder, or unreadable: no hint, the message stands alone
        return ""
    return close_match(relpath, sorted(names))
