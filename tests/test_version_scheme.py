"""setuptools-scm's default scheme as a table: a position in, a version out, with no
repository and no process (test_vcs.py checks the same against real repositories and
against setuptools-scm itself)."""

from __future__ import annotations

import pytest

from fletching.errors import BuildError
from fletching.version_scheme import (
    DEFAULT_TAG_PATTERN,
    Position,
    VcsVersion,
    describe,
    literal_prefix,
    tag_rules,
    tag_version,
)

EPOCH = 1_700_000_000  # 2023-11-14 UTC
NODE = "1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b"
RULES = tag_rules(None)


def _at(
    tag: str | None, distance: int = 0, *, dirty: bool = False, node: str | None = NODE
) -> Position:
    found = tag_version(tag, RULES) if tag else None
    assert tag is None or found is not None, tag
    return Position(found, distance, node, dirty)


# (tag at or before HEAD, commits since, uncommitted changes) -> version
SCHEME = [
    ("v1.2.3", 0, False, "1.2.3"),
    ("1.2.3", 2, False, "1.2.4.dev2+g1a2b3c4d5"),
    ("v1.2.3", 2, True, "1.2.4.dev2+g1a2b3c4d5.d20231114"),
    ("v1.2.3", 0, True, "1.2.4.dev0+g1a2b3c4d5.d20231114"),
    (None, 3, False, "0.1.dev3+g1a2b3c4d5"),
    ("v1.0rc1", 1, False, "1.0rc2.dev1+g1a2b3c4d5"),
    ("1.0.post1", 4, False, "1.0.post2.dev4+g1a2b3c4d5"),
    ("1.0.dev0", 5, False, "1.0.dev5+g1a2b3c4d5"),
    ("1!2.0", 1, False, "1!2.1.dev1+g1a2b3c4d5"),
    ("v1.0+abc", 1, False, "1.1.dev1+abc.g1a2b3c4d5"),
    ("v1.0+abc", 0, False, "1.0+abc"),
    ("my-pkg-v1.2", 0, False, "1.2"),
]


@pytest.mark.parametrize(("tag", "distance", "dirty", "expected"), SCHEME)
def test_positions_to_versions(tag: str | None, distance: int, dirty: bool, expected: str) -> None:
    assert describe(_at(tag, distance, dirty=dirty), EPOCH).version == expected


@pytest.mark.parametrize(
    ("position", "source"),
    [
        (_at("v1.2.3"), "git tag v1.2.3"),
        (_at("v1.2.3", 2, dirty=True), "git describe v1.2.3-2-g1a2b3c4d5-dirty"),
        (_at(None, 3), "git describe g1a2b3c4d5 (no version tag; 3 commits)"),
        (_at("v1.0", 1, node="1a2b3c4"), "git describe v1.0-1-g1a2b3c4"),
    ],
)
def test_the_source_names_the_position_as_git_describe_would(
    position: Position, source: str
) -> None:
    assert describe(position, EPOCH).source == source


def test_no_commit_yet() -> None:
    found = describe(_at(None, dirty=True, node=None), EPOCH)
    assert found == VcsVersion("0.1.dev0+d20231114", "git (no commit yet)")


def test_an_abbreviated_commit_is_kept_as_it_is() -> None:
    assert describe(_at("v1.0", 1, node="1a2b3c4"), EPOCH).version == "1.1.dev1+g1a2b3c4"


def test_a_dev_tag_other_than_dev0_cannot_number_the_commits_after_it() -> None:
    with pytest.raises(BuildError) as info:
        describe(_at("1.0.dev3", 1), EPOCH, key="K")
    assert str(info.value) == (
        "pyproject.toml: K: git tag 1.0.dev3 is a .dev3 version, and the commits after it "
        "cannot be numbered from it; tag a release, or 1.0.dev0 to number them 1.0.devN"
    )
    assert describe(_at("1.0.dev3"), EPOCH).version == "1.0.dev3"  # at the tag itself


def test_an_epoch_out_of_range_names_the_variable() -> None:
    with pytest.raises(BuildError, match=r"^environment: SOURCE_DATE_EPOCH: "):
        describe(_at("v1.0", dirty=True), 10**20)


def test_an_invalid_local_part_is_left_out_with_a_warning() -> None:
    found = describe(_at("v1.0+bad_local!"), EPOCH)
    assert found.version == "1.0"
    note = "git tag v1.0+bad_local!: '+bad_local!' is not a valid local version, left out"
    assert found.warnings == (note,)


@pytest.mark.parametrize(
    ("name", "version"),
    [("v1.2.3", "1.2.3"), ("V2", "2"), ("pkg-1.0", "1.0"), ("latest", None), ("v", None)],
)
def test_tag_names(name: str, version: str | None) -> None:
    found = tag_version(name, RULES)
    assert (str(found.version) if found else None) == version


@pytest.mark.parametrize(
    ("pattern", "prefix"),
    [
        (DEFAULT_TAG_PATTERN, ""),
        (r"^release-(?P<version>.+)$", "release-"),
        (r"^pkg\.a-v?(?P<version>.+)$", "pkg.a-"),
        (r"^a|b(?P<version>.+)$", ""),
    ],
)
def test_the_literal_prefix_narrows_git_describe(pattern: str, prefix: str) -> None:
    assert literal_prefix(pattern) == prefix
