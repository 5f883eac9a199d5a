"""The keys whose globs name files for the .dist-info folder: ``[project] license-files``
(PEP 639, or flit's default globs) and ``[tool.fletching] sbom-files`` (PEP 770).

One resolver for both: it returns each file with the rule that took it (the first
pattern that matches it), so that explaining a build never matches a glob again.
Their wildcards reach hidden files, as flit_core's pathlib globs do, but not into
what a walk leaves out of the sdist (a virtual environment, node_modules, caches,
version-control data): a licence or an SBOM there describes another project.
"""

from __future__ import annotations

import posixpath
from typing import TYPE_CHECKING, NamedTuple

from ._validate import normal_path, toml_string
from .errors import ConfigError, FletchingError, raise_all
from .globs import literal_part, matching, names_itself
from .tree import Tree, similar_file

if TYPE_CHECKING:
    from .metadata import Config


# flit_core's defaults when [project] license-files is absent.
DEFAULT_LICENSE_GLOBS = ("COPYING*", "LICEN[CS]E*", "NOTICE*", "AUTHORS*")


class Match(NamedTuple):
    """A file a glob key took, with the key and the pattern that took it."""

    path: str
    key: str
    pattern: str | None = None  # None: the key names the file itself

    @property
    def rule(self) -> str:
        """What explaining a build shows: ``<key> '<pattern>'``."""
        return self.key if self.pattern is None else f"{self.key} {self.pattern!r}"


def license_files(tree: Tree, config: Config) -> tuple[Match, ...]:
    """[project] license-files (each glob must match a file), or flit's default globs."""
    if config.license_file_patterns is not None:
        return _storable(_resolve(tree, config.license_file_patterns, license=True))
    found: dict[str, Match] = {}
    legacy = config.legacy_license_file
    if legacy is not None:
        if not (tree.root / legacy).is_file():
            raise ConfigError(
                f"the file {legacy!r} does not exist",
                file="pyproject.toml",
                key="[project] license.file",
            )
        found[legacy] = Match(legacy, "[project] license.file")
    # flit's defaults name files at the top of the project only: list that folder,
    # rather than walk the whole tree and keep its top.
    top = tree.top_level_files()
    for pattern in DEFAULT_LICENSE_GLOBS:
        for path in matching(pattern, top):
            found.setdefault(path, Match(path, "default license glob", pattern))
    return _storable(list(found.values()))


def sbom_files(tree: Tree, config: Config) -> tuple[Match, ...]:
    """[tool.fletching] sbom-files: each glob must match, and no two files may share a
    name, since all of them land flat in .dist-info/sboms/."""
    matches = _resolve(tree, config.tool.sbom_files, license=False)
    by_name: dict[str, Match] = {}
    errors = []
    for match in matches:
        name = posixpath.basename(match.path)
        other = by_name.setdefault(name, match)
        if other != match:
            errors.append(
                ConfigError(
                    f"{other.path!r} and {match.path!r} would both be .dist-info/sboms/{name};"
                    " rename one, or match only one of them",
                    file="pyproject.toml",
                    key=match.key,
                )
            )
    raise_all(errors)
    return _storable(matches)


def _resolve(tree: Tree, patterns: tuple[tuple[str, str], ...], *, license: bool) -> list[Match]:
    """Every file the patterns take, with the first rule that takes it, in the order
    the patterns take them."""
    found: dict[str, Match] = {}
    errors: list[FletchingError] = []
    for key, pattern in patterns:
        base, literal = literal_part(normal_path(pattern.strip()))
        if license:
            matched, problem = _license_entry(tree, key, pattern, base, literal)
        else:
            matched, problem = tree.glob(pattern, everything=True), None
        if problem is not None:
            errors.append(ConfigError(problem, file="pyproject.toml", key=key))
            continue
        taken, walled = [], []
        for path in matched:
            # What the pattern names before its first wildcard is reached, as in every key.
            wall = tree.walled(path, below=base)
            if wall is None:
                taken.append(path)
            else:
                walled.append((path, wall))
        if license:
            for path, wall in walled:
                tree.warn(
                    f"pyproject.toml: {key}: {path}: left out, although {pattern!r} matches it:"
                    f" it is inside {wall}, so it is not the project's licence (flit_core packs"
                    " it); name the file outright to pack it"
                )
        if not taken and not (license and walled):
            errors.append(
                ConfigError(_no_match(tree, pattern, walled), file="pyproject.toml", key=key)
            )
        for path in taken:
            found.setdefault(path, Match(path, key, pattern))
    raise_all(errors)
    return list(found.values())


def _license_entry(
    tree: Tree, key: str, pattern: str, base: str, literal: bool
) -> tuple[list[str], str | None]:
    """(the files a license-files entry takes, or why it takes none). PEP 639: an entry
    is a glob that must match files. flit_core's pathlib glob skips a folder it
    matches, so neither a folder named outright nor the files below a folder a
    wildcard matches are taken; 'docs/**' names everything below, as in every key."""
    if literal and (tree.root / base).is_dir():
        return [], _folder_advice(pattern, repr(base))
    matched = tree.glob(pattern, everything=True)
    if literal or _takes_whole_folders(pattern):
        return matched, None
    files = [p for p in matched if names_itself(pattern, p, hidden=True)]
    folders = sorted({_matched_folder(pattern, p) for p in matched if p not in files})
    if matched and not files:
        return [], _folder_advice(pattern, ", ".join(map(repr, folders)), only=True)
    for folder in folders:
        # Earlier fletchings took them: never leave a file out without a word.
        tree.warn(
            f"pyproject.toml: {key}: {pattern!r} matches the folder {folder}/ too, whose files"
            f" it does not take (PEP 639: an entry matches files); add"
            f" {toml_string(folder + '/*')} to license-files to take them"
        )
    return files, None


def _folder_advice(pattern: str, folders: str, *, only: bool = False) -> str:
    found = f"matches no file, only the folder {folders}" if only else "is a folder"
    return (
        f"{pattern!r} {found}; each entry is a glob that must match files (PEP 639):"
        f" write {toml_string(pattern.rstrip('/') + '/*')} (or"
        f" {toml_string(pattern.rstrip('/') + '/**/*')} to take its subfolders too)"
    )


def _takes_whole_folders(pattern: str) -> bool:
    """'docs/**' names everything below the folder (globs.py), as its user means."""
    return normal_path(pattern.strip()).split("/")[-1] == "**"


def _matched_folder(pattern: str, path: str) -> str:
    """The folder above ``path`` that ``pattern`` matches."""
    parts = path.split("/")
    for end in range(1, len(parts)):
        if names_itself(pattern, "/".join(parts[:end]), hidden=True):
            return "/".join(parts[:end])
    return path  # pragma: no cover - a match that is no file lies in a matched folder


def _no_match(tree: Tree, pattern: str, walled: list[tuple[str, str]]) -> str:
    if not walled:
        return f"{pattern!r} matches no file{similar_file(tree.root, pattern)}"
    walls = ", ".join(sorted({wall for _, wall in walled}))
    return (
        f"{pattern!r} matches no file of the project; it matches only inside {walls},"
        " which sbom-files never reaches"
    )


def _storable(matches: list[Match]) -> tuple[Match, ...]:
    """The matches sorted by path, each name checked as an archive member name now:
    they reach METADATA's License-File before any archive is written."""
    from .archive import check_member_name

    for match in matches:
        check_member_name(match.path)
    return tuple(sorted(matches))
