"""Versions from git tags: real repositories made with the git program in tmp_path."""

from __future__ import annotations

import io
import os
import re
import shutil
import stat
import subprocess
import tarfile
import warnings
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable

import pytest

from fletching.errors import BuildError, ConfigError
from fletching.own_keys import TAG_PATTERN_KEY as PATTERN_KEY
from fletching.vcs import VcsVersion, vcs_version
from fletching.version_scheme import DEFAULT_TAG_PATTERN
from git_repos import EPOCH, GIT_ISOLATION, STATES, Repo, build, g

DAY = "20231114"
KEY = "[tool.fletching.version] source"
ARCHIVAL_TEMPLATE = """\
node: $Format:%H$
node-date: $Format:%cI$
describe-name: $Format:%(describe:tags=true,match=*[0-9]*)$
ref-names: $Format:%D$
"""
needs_git = pytest.mark.skipif(shutil.which("git") is None, reason="needs the git program")


pytestmark = pytest.mark.usefixtures("isolated_git")


@pytest.fixture
def repo(tmp_path: Path) -> Repo:
    if shutil.which("git") is None:
        pytest.skip("needs the git program")
    return Repo(tmp_path / "repo")


def version(root: Path, **kwargs: object) -> str:
    return vcs_version(root, epoch=EPOCH, **kwargs).version  # type: ignore[arg-type]


def _archive(repo: Repo, target: Path) -> Path:
    """Unpack ``git archive HEAD`` into ``target``, as a release tarball would be."""
    data = subprocess.run(
        ["git", "archive", "--format=tar", "HEAD"],
        cwd=repo.path,
        env=dict(os.environ, **GIT_ISOLATION),
        capture_output=True,
        check=True,
    ).stdout
    target.mkdir()
    with tarfile.open(fileobj=io.BytesIO(data)) as tar:
        if hasattr(tarfile, "data_filter"):
            tar.extractall(target, filter="data")
        else:  # pragma: no cover - Python without the extraction filters
            tar.extractall(target)
    return target


def _with_archival(repo: Repo) -> None:
    (repo.path / ".gitattributes").write_text(".git_archival.txt export-subst\n")
    (repo.path / ".git_archival.txt").write_text(ARCHIVAL_TEMPLATE)
    repo.git("add", ".gitattributes", ".git_archival.txt")


# Tags at HEAD


@pytest.mark.parametrize("annotated", [False, True], ids=["lightweight", "annotated"])
@pytest.mark.parametrize("git", ["git", None], ids=["git", "no-git"])
def test_head_at_a_tag_gives_its_version(repo: Repo, annotated: bool, git: str | None) -> None:
    repo.commit()
    repo.tag("v1.2.3", annotated=annotated)
    found = vcs_version(repo.path, epoch=EPOCH, git=git)
    assert found.version == "1.2.3"
    assert found.source.startswith("git tag v1.2.3")
    # Only without git is there something to warn about: changes it cannot see.
    assert bool(found.warnings) == (git is None)


@pytest.mark.parametrize(
    ("tag", "expected"),
    [
        ("1.2.3", "1.2.3"),
        ("v1.2.3", "1.2.3"),
        ("V1.2.3", "1.2.3"),
        ("release-1.2.3", "1.2.3"),
        ("my-pkg-v1.2.3", "1.2.3"),
        ("v1.2.3-rc.1", "1.2.3rc1"),
        ("1!2.0", "1!2.0"),
        ("v2024.01.15", "2024.1.15"),
        ("v1.0+build.5", "1.0+build.5"),
    ],
)
def test_tag_names_to_versions(repo: Repo, tag: str, expected: str) -> None:
    repo.commit()
    repo.tag(tag)
    assert version(repo.path) == expected


def test_the_highest_of_several_tags_at_head(repo: Repo) -> None:
    repo.commit()
    # git describe prefers the annotated tag; the highest version wins here.
    repo.tag("1.0", annotated=True)
    repo.tag("2.0")
    repo.tag("1.5")
    repo.tag("2.0rc1", annotated=True)
    assert version(repo.path) == "2.0"
    assert version(repo.path, git=None) == "2.0"


def test_the_highest_of_several_tags_on_the_last_tagged_commit(repo: Repo) -> None:
    repo.commit()
    repo.tag("1.0", annotated=True)
    repo.tag("2.0")
    head = repo.commit()
    assert version(repo.path) == f"2.1.dev1+{g(head)}"


def test_tags_without_a_digit_are_not_versions(repo: Repo) -> None:
    repo.commit()
    repo.tag("v1.0")
    head = repo.commit()
    repo.tag("latest")
    assert version(repo.path) == f"1.1.dev1+{g(head)}"
    # Without git only a version tag at HEAD counts, and "latest" is none.
    with pytest.raises(BuildError, match="has no version tag"):
        version(repo.path, git=None)


# Distance, changes, no tag


def test_commits_after_a_tag(repo: Repo) -> None:
    repo.commit()
    repo.tag("v1.2.3")
    head = repo.commit(2)
    found = vcs_version(repo.path, epoch=EPOCH)
    assert found.version == f"1.2.4.dev2+{g(head)}"
    assert found.source == f"git describe v1.2.3-2-{g(head)}"
    assert head.startswith(repo.git("rev-parse", "--short", "HEAD"))


def test_uncommitted_changes_add_the_date_from_the_epoch(repo: Repo) -> None:
    repo.commit()
    repo.tag("v1.2.3")
    head = repo.commit(2)
    repo.dirty()
    found = vcs_version(repo.path, epoch=EPOCH)
    assert found.version == f"1.2.4.dev2+{g(head)}.d{DAY}"
    assert found.source.endswith("-dirty")


def test_uncommitted_changes_without_an_epoch_add_today(repo: Repo) -> None:
    repo.commit()
    repo.tag("v1.2.3")
    head = repo.commit()
    repo.dirty()
    before = datetime.now(timezone.utc).strftime("%Y%m%d")
    found = vcs_version(repo.path).version
    after = datetime.now(timezone.utc).strftime("%Y%m%d")
    assert found in {f"1.2.4.dev1+{g(head)}.d{day}" for day in (before, after)}


def test_uncommitted_changes_at_a_tag(repo: Repo) -> None:
    head = repo.commit()
    repo.tag("v1.2.3", annotated=True)
    repo.dirty()
    assert version(repo.path) == f"1.2.4.dev0+{g(head)}.d{DAY}"


def test_staged_changes_count(repo: Repo) -> None:
    head = repo.commit()
    repo.tag("v1.2.3")
    (repo.path / "new.txt").write_text("new\n")
    repo.git("add", "new.txt")
    assert version(repo.path) == f"1.2.4.dev0+{g(head)}.d{DAY}"


def test_untracked_files_do_not_count(repo: Repo) -> None:
    repo.commit()
    repo.tag("v1.2.3")
    (repo.path / "untracked.txt").write_text("not added\n")
    assert version(repo.path) == "1.2.3"


def test_no_tag_counts_every_commit(repo: Repo) -> None:
    head = repo.commit(3)
    found = vcs_version(repo.path, epoch=EPOCH)
    assert found.version == f"0.1.dev3+{g(head)}"
    repo.dirty()
    assert version(repo.path) == f"0.1.dev3+{g(head)}.d{DAY}"


@pytest.mark.parametrize("git", ["git", None], ids=["git", "no-git"])
def test_no_commit_yet(repo: Repo, git: str | None) -> None:
    found = vcs_version(repo.path, epoch=EPOCH, git=git)
    assert found == VcsVersion(f"0.1.dev0+d{DAY}", "git (no commit yet)")


@pytest.mark.parametrize(
    ("tag", "expected"),
    [
        ("v1.0rc1", "1.0rc2.dev1"),
        ("v1.0.0-beta.2", "1.0.0b3.dev1"),
        ("1.0.dev0", "1.0.dev1"),
        ("1.0rc1.dev0", "1.0rc1.dev1"),
        ("1.0.post1", "1.0.post2.dev1"),
        ("1!2.0", "1!2.1.dev1"),
        ("v1", "2.dev1"),
    ],
)
def test_the_next_version_after_a_tag(repo: Repo, tag: str, expected: str) -> None:
    repo.commit()
    repo.tag(tag)
    head = repo.commit()
    assert version(repo.path) == f"{expected}+{g(head)}"


def test_a_local_part_in_the_tag_comes_first(repo: Repo) -> None:
    repo.commit()
    repo.tag("v1.0+abc")
    head = repo.commit()
    assert version(repo.path) == f"1.1.dev1+abc.{g(head)}"


def test_an_invalid_local_part_is_left_out_with_a_warning(repo: Repo) -> None:
    repo.commit()
    repo.tag("v1.0+bad+local")
    found = vcs_version(repo.path, epoch=EPOCH)
    assert found.version == "1.0"
    assert found.warnings == (
        f"pyproject.toml: {KEY}: git tag v1.0+bad+local: '+bad+local' is not a valid local"
        " version, left out",
    )


def test_a_dev_tag_other_than_dev0_cannot_number_later_commits(repo: Repo) -> None:
    repo.commit()
    repo.tag("1.0.dev3")
    assert version(repo.path) == "1.0.dev3"
    repo.commit()
    with pytest.raises(BuildError, match=r"git tag 1\.0\.dev3 is a \.dev3 version") as info:
        version(repo.path)
    assert info.value.file == "pyproject.toml"
    assert info.value.key == KEY


def test_the_nearest_tag_with_a_digit_must_be_a_version(repo: Repo) -> None:
    repo.commit()
    repo.tag("v1.0")
    repo.commit()
    repo.tag("build42")
    repo.commit()
    with pytest.raises(BuildError) as info:
        version(repo.path)
    message = str(info.value)
    assert message.startswith(f"pyproject.toml: {KEY}: git tag build42")
    assert "tag-pattern" in message


# Tag patterns


def test_a_custom_tag_pattern_with_a_prefix_looks_only_at_its_tags(repo: Repo) -> None:
    repo.commit()
    repo.tag("release-2.0")
    assert version(repo.path, tag_pattern=r"^release-(?P<version>.*)$") == "2.0"
    head = repo.commit()
    repo.tag("v9.0")  # a newer tag, not this project's
    assert version(repo.path, tag_pattern=r"^release-(?P<version>.*)$") == f"2.1.dev1+{g(head)}"
    assert version(repo.path) == "9.0"


def test_a_monorepo_project_with_its_own_tags(repo: Repo) -> None:
    repo.commit()
    repo.tag("pkg-a-v1.0")
    repo.tag("pkg-b-v3.0")
    head = repo.commit()
    repo.tag("pkg-b-v3.1")
    pattern = r"^pkg-a-v(?P<version>[0-9.]+)$"
    assert version(repo.path, tag_pattern=pattern) == f"1.1.dev1+{g(head)}"
    # With the default pattern, both projects' tags are versions.
    assert version(repo.path) == "3.1"


@pytest.mark.parametrize(
    ("pattern", "message"),
    [
        ("(?P<version>[0-9.]+", "is not a regular expression"),
        (r"^v(.*)$", "has no group named 'version'"),
        (r"^v(?P<ver>.*)$", "has no group named 'version'"),
        # re raises OverflowError and RecursionError for these, not re.error.
        (r"^v(?P<version>.{4294967296})$", "is not a regular expression"),
        ("(" * 2000 + "?P<version>x" + ")" * 2000, "is not a regular expression"),
    ],
)
def test_an_invalid_tag_pattern_is_a_config_error(
    tmp_path: Path, pattern: str, message: str
) -> None:
    # Checked first, before anything is read.
    with pytest.raises(ConfigError, match=message) as info:
        vcs_version(tmp_path, tag_pattern=pattern, git=None)
    assert info.value.file == "pyproject.toml"
    assert info.value.key == PATTERN_KEY
    assert str(info.value).startswith(f"pyproject.toml: {PATTERN_KEY}: ")


@pytest.mark.parametrize(
    ("tag", "expected"),
    [("v1.2", "v1.2"), ("x-y-1.2+z", "1.2"), ("1.2-beta", "1.2-beta"), ("foo", None), ("a1", None)],
)
def test_the_default_tag_pattern(tag: str, expected: str | None) -> None:
    match = re.match(DEFAULT_TAG_PATTERN, tag)
    assert (match.group("version") if match else None) == expected


# Reading .git without the git program


@pytest.mark.parametrize("annotated", [False, True], ids=["lightweight", "annotated"])
@pytest.mark.parametrize("pack", [["pack-refs", "--all"], ["gc", "-q"]], ids=["pack-refs", "gc"])
def test_packed_tags_without_git(repo: Repo, annotated: bool, pack: list[str]) -> None:
    repo.commit()
    repo.tag("v1.0")
    repo.commit()
    repo.tag("v1.1", annotated=annotated)
    repo.git(*pack)
    assert not (repo.path / ".git/refs/tags/v1.1").exists()
    assert "refs/tags/v1.1" in (repo.path / ".git/packed-refs").read_text()
    found = vcs_version(repo.path, epoch=EPOCH, git=None)
    assert found.version == "1.1"
    assert found.source == "git tag v1.1 (read from .git without git)"


def test_a_loose_annotated_tag_without_git(repo: Repo) -> None:
    repo.commit()
    repo.tag("v1.0", annotated=True)
    tag_object = repo.git("rev-parse", "refs/tags/v1.0")
    assert tag_object != repo.head()
    assert (repo.path / ".git/objects" / tag_object[:2] / tag_object[2:]).is_file()
    assert version(repo.path, git=None) == "1.0"


def test_a_packed_tag_object_behind_a_loose_ref_without_git(repo: Repo) -> None:
    repo.commit()
    repo.tag("v1.0", annotated=True)
    repo.git("repack", "-a", "-d", "-q")
    repo.git("prune-packed")
    assert (repo.path / ".git/refs/tags/v1.0").is_file()
    with pytest.raises(BuildError, match="pack file") as info:
        version(repo.path, git=None)
    assert "install git" in str(info.value)
    # The git program reads it.
    assert version(repo.path) == "1.0"


def test_a_lightweight_loose_tag_of_a_packed_commit_without_git(repo: Repo) -> None:
    repo.commit()
    repo.git("gc", "-q")
    repo.tag("v1.0")
    assert version(repo.path, git=None) == "1.0"


@pytest.mark.parametrize("header", ["", "# pack-refs with: sorted \n"], ids=["none", "sorted"])
def test_packed_refs_without_the_peeled_header(repo: Repo, header: str) -> None:
    """Without ``# pack-refs with: peeled`` (an old git's file), a packed ref may name
    a tag object whose commit is not written beside it: the tag object is read."""
    repo.commit()
    repo.tag("v1.0", annotated=True)
    repo.git("pack-refs", "--all")
    packed = repo.path / ".git/packed-refs"
    lines = packed.read_text().splitlines()
    packed.write_text(header + "".join(f"{line}\n" for line in lines if line[0] not in "#^"))
    assert not (repo.path / ".git/refs/tags/v1.0").exists()
    assert version(repo.path, git=None) == "1.0"


@pytest.mark.parametrize("ref", ["refs/bisect/bad", "refs/worktree/current"])
def test_head_on_a_per_worktree_ref_without_git(repo: Repo, tmp_path: Path, ref: str) -> None:
    """refs/bisect/ and refs/worktree/ live in each worktree's own git folder, not in
    the common one."""
    head = repo.commit()
    repo.tag("v1.0")
    repo.commit()
    worktree = tmp_path / "worktree"
    repo.git("worktree", "add", "-q", "--detach", str(worktree), "HEAD")
    gitdir = Path(repo.git("rev-parse", "--absolute-git-dir", cwd=worktree))
    (gitdir / ref).parent.mkdir(parents=True)
    (gitdir / ref).write_text(head + "\n")
    (gitdir / "HEAD").write_text(f"ref: {ref}\n")
    assert version(worktree, git=None) == "1.0"


def test_head_after_a_tag_without_git_names_the_fix(repo: Repo) -> None:
    repo.commit()
    repo.tag("v1.0")
    repo.commit()
    with pytest.raises(BuildError) as info:
        version(repo.path, git=None)
    message = str(info.value)
    assert message.startswith(f"pyproject.toml: {KEY}: ")
    assert "needs the git program" in message
    assert "install git" in message
    assert "tag HEAD" in message
    assert "[project] version" in message


def test_git_not_on_path_reads_git_folder(repo: Repo) -> None:
    repo.commit()
    repo.tag("v1.0")
    found = vcs_version(repo.path, epoch=EPOCH, git="fletching-no-such-git-program")
    assert found.version == "1.0"
    assert found.warnings[0].startswith(
        f"pyproject.toml: {KEY}: the git program (fletching-no-such-git-program) was not found;"
        " without the git program"
    )


@pytest.mark.parametrize("git", ["git", None], ids=["git", "no-git"])
def test_detached_head(repo: Repo, git: str | None) -> None:
    repo.commit()
    repo.tag("v1.0", annotated=True)
    repo.commit()
    repo.git("checkout", "-q", "--detach", "v1.0")
    assert version(repo.path, git=git) == "1.0"


def test_detached_head_after_a_tag(repo: Repo) -> None:
    repo.commit()
    repo.tag("v1.0")
    head = repo.commit(2)
    repo.commit()
    repo.git("checkout", "-q", "--detach", head)
    assert version(repo.path) == f"1.1.dev2+{g(head)}"


@pytest.mark.parametrize("git", ["git", None], ids=["git", "no-git"])
def test_a_worktree(repo: Repo, tmp_path: Path, git: str | None) -> None:
    repo.commit()
    repo.tag("v1.0")
    head = repo.commit()
    repo.tag("v2.0", annotated=True)
    repo.commit()
    worktree = tmp_path / "worktree"
    repo.git("worktree", "add", "-q", "-b", "other", str(worktree), head)
    assert (worktree / ".git").is_file()
    assert version(worktree, git=git) == "2.0"


# Other places the version comes from


def test_an_sdist_pkg_info(tmp_path: Path) -> None:
    (tmp_path / "PKG-INFO").write_text(
        "Metadata-Version: 2.2\nName: demo\nVersion: 1.2.4.dev3+g1a2b3c4d5\n\nBody\n"
    )
    found = vcs_version(tmp_path, git=None)
    assert found == VcsVersion("1.2.4.dev3+g1a2b3c4d5", "PKG-INFO (an sdist)")


def test_pkg_info_wins_over_a_repository_around_the_sdist(repo: Repo) -> None:
    repo.commit()
    repo.tag("v9.0")
    sdist = repo.path / "build" / "demo-1.0"
    sdist.mkdir(parents=True)
    (sdist / "PKG-INFO").write_text("Metadata-Version: 2.2\nName: demo\nVersion: 1.0\n")
    assert version(sdist) == "1.0"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("Metadata-Version: 2.2\nName: demo\n", "PKG-INFO: Version: has no Version field"),
        (
            "Metadata-Version: 2.2\nVersion: one\n",
            "PKG-INFO: Version: 'one' is not a valid version",
        ),
    ],
)
def test_a_bad_pkg_info(tmp_path: Path, text: str, message: str) -> None:
    (tmp_path / "PKG-INFO").write_text(text)
    with pytest.raises(BuildError) as info:
        vcs_version(tmp_path, git=None)
    assert str(info.value).startswith(message)


def test_a_git_archive_of_a_tag(repo: Repo, tmp_path: Path) -> None:
    _with_archival(repo)
    repo.commit()
    repo.tag("v1.2.2", annotated=True)
    repo.tag("v1.2.3")
    unpacked = _archive(repo, tmp_path / "unpacked")
    text = (unpacked / ".git_archival.txt").read_text()
    # git describe prefers the annotated tag; the highest of ref-names wins.
    assert "describe-name: v1.2.2\n" in text
    assert "tag: v1.2.3" in text
    found = vcs_version(unpacked, epoch=EPOCH, git=None)
    assert found.version == "1.2.3"
    assert found.source == ".git_archival.txt (git tag v1.2.3)"


def test_a_git_archive_after_a_tag(
    repo: Repo, tmp_path: Path, setuptools_scm_version: Callable[[Path], str]
) -> None:
    _with_archival(repo)
    repo.commit()
    repo.tag("v1.2.3")
    head = repo.commit(2)
    unpacked = _archive(repo, tmp_path / "unpacked")
    # The commit as describe-name abbreviates it, as setuptools-scm gives it; the
    # checkout has 9 digits.
    expected = f"1.2.4.dev2+g{head[:7]}"
    assert version(unpacked, git=None) == expected == setuptools_scm_version(unpacked)
    assert version(repo.path) == f"1.2.4.dev2+{g(head)}"


def test_a_git_archive_with_a_longer_abbreviation_keeps_nine_digits(tmp_path: Path) -> None:
    node = "1a2b3c4d5e6f" + "0" * 28
    (tmp_path / ".git_archival.txt").write_text(
        f"node: {node}\ndescribe-name: v1.0-3-g{node[:12]}\nref-names: HEAD -> main\n"
    )
    assert version(tmp_path, git=None) == "1.1.dev3+g1a2b3c4d5"


def test_an_archive_s_ref_names_count_only_at_the_described_commit(tmp_path: Path) -> None:
    """A tag in ref-names names the archived commit; when describe-name is an older
    tag at a distance, that tag did not match describe's pattern, and is not used."""
    node = "1a2b3c4d5e" + "0" * 30
    (tmp_path / ".git_archival.txt").write_text(
        f"node: {node}\ndescribe-name: v1.0-2-g1a2b3c4\nref-names: HEAD -> main, tag: v9.0\n"
    )
    assert version(tmp_path, git=None) == "1.1.dev2+g1a2b3c4"


def test_a_git_archive_without_a_tag(repo: Repo, tmp_path: Path) -> None:
    _with_archival(repo)
    head = repo.commit()
    found = vcs_version(_archive(repo, tmp_path / "unpacked"), git=None)
    # What setuptools-scm gives, with a warning.
    assert found.version == "0.0"
    assert found.source == f".git_archival.txt (node {head[:9]}, no tag)"
    assert "no version tag" in found.warnings[0]


def test_an_unexpanded_git_archival_file(tmp_path: Path) -> None:
    (tmp_path / ".git_archival.txt").write_text(ARCHIVAL_TEMPLATE)
    if any((folder / ".git").exists() for folder in tmp_path.parents):
        pytest.skip("tmp_path is inside a git repository")
    with pytest.raises(BuildError, match=r"\.git_archival\.txt is not expanded") as info:
        vcs_version(tmp_path, git=None)
    assert "not in a git repository" in str(info.value)


def test_a_project_in_a_subfolder(repo: Repo) -> None:
    repo.commit()
    repo.tag("v1.0")
    project = repo.path / "packages" / "demo"
    project.mkdir(parents=True)
    (project / "pyproject.toml").write_text("[project]\n")
    repo.git("add", ".")
    repo.git("commit", "-q", "-m", "a project")
    head = repo.head()
    found = vcs_version(project, epoch=EPOCH)
    assert found.version == f"1.1.dev1+{g(head)}"
    assert found.source.endswith(f" in the repository at {repo.path}")
    repo.tag("v1.1")
    assert version(project, git=None) == "1.1"


def test_a_subfolder_not_tracked_in_the_repository_around_it(repo: Repo) -> None:
    repo.commit()
    repo.tag("v1.0")
    project = repo.path / "elsewhere"
    project.mkdir()
    (project / "pyproject.toml").write_text("[project]\n")
    with pytest.raises(BuildError, match="is not tracked in the git repository at"):
        version(project)


def test_no_repository_names_the_file_and_the_key(tmp_path: Path) -> None:
    if any((folder / ".git").exists() for folder in tmp_path.parents):
        pytest.skip("tmp_path is inside a git repository")
    with pytest.raises(BuildError) as info:
        vcs_version(tmp_path)
    assert str(info.value) == (
        f'pyproject.toml: [tool.fletching.version] source: "vcs" but {tmp_path} is not in a git '
        "repository, and there is no PKG-INFO (an sdist) or expanded .git_archival.txt; "
        "tag a commit in a git checkout, or set [project] version"
    )


# The git program's surroundings


def test_git_variables_from_a_hook_are_ignored(
    repo: Repo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    other = Repo(tmp_path / "other")
    other.commit()
    other.tag("v9.0")
    repo.commit()
    repo.tag("v1.0")
    monkeypatch.setenv("GIT_DIR", str(other.path / ".git"))
    monkeypatch.setenv("GIT_WORK_TREE", str(other.path))
    assert version(repo.path) == "1.0"


def test_a_shallow_clone_warns(repo: Repo, tmp_path: Path) -> None:
    repo.commit()
    repo.tag("v1.0")
    repo.commit(2)
    clone = tmp_path / "clone"
    repo.git("clone", "-q", "--depth", "1", f"file://{repo.path}", str(clone))
    found = vcs_version(clone, epoch=EPOCH)
    assert found.version.startswith("0.1.dev1+")
    assert "shallow clone" in found.warnings[0]


def test_a_shallow_clone_at_a_tag_does_not_warn(repo: Repo, tmp_path: Path) -> None:
    """Exactly at a tag, the missing history changes nothing."""
    repo.commit(3)
    repo.tag("v1.0")
    clone = tmp_path / "clone"
    repo.git("clone", "-q", "--depth", "1", f"file://{repo.path}", str(clone))
    assert (clone / ".git/shallow").is_file()
    found = vcs_version(clone, epoch=EPOCH)
    assert (found.version, found.warnings) == ("1.0", ())


def _fake_git(tmp_path: Path, stderr: str) -> str:
    script = tmp_path / "fake-git"
    script.write_text(f"#!/bin/sh\nprintf '%s' '{stderr}' >&2\nexit 128\n")
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return str(script)


@pytest.mark.skipif(os.name == "nt", reason="a shell script as the git program")
def test_dubious_ownership_names_the_fix(repo: Repo, tmp_path: Path) -> None:
    repo.commit()
    fake = _fake_git(
        tmp_path,
        f"fatal: detected dubious ownership in repository at '{repo.path}'\n"
        "To add an exception for this directory, call:\n\n"
        f"\tgit config --global --add safe.directory {repo.path}\n",
    )
    with pytest.raises(BuildError) as info:
        version(repo.path, git=fake)
    assert str(info.value) == (
        f"pyproject.toml: {KEY}: git refuses to read the repository at {repo.path}, which "
        'belongs to another user ("detected dubious ownership"); if you trust it, run: '
        f"git config --global --add safe.directory {repo.path}"
    )


@pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() != 0,
    reason="needs root to own files as another user",
)
def test_dubious_ownership_with_the_real_git(repo: Repo) -> None:
    repo.commit()
    repo.tag("v1.0")
    for folder, _, files in os.walk(repo.path):
        for name in [".", *files]:
            os.chown(os.path.join(folder, name), 65534, 65534)
    with pytest.raises(BuildError, match=r"safe\.directory"):
        version(repo.path)


@pytest.mark.skipif(os.name == "nt", reason="a shell script as the git program")
def test_other_git_failures_are_messages(repo: Repo, tmp_path: Path) -> None:
    repo.commit()
    fake = _fake_git(tmp_path, "fatal: something broke\n")
    with pytest.raises(BuildError, match=r"git describe failed in .*: fatal: something broke$"):
        version(repo.path, git=fake)


# The same versions as setuptools-scm


@pytest.fixture
def setuptools_scm_version(monkeypatch: pytest.MonkeyPatch) -> Callable[[Path], str]:
    scm = pytest.importorskip("setuptools_scm")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(EPOCH))

    def get(root: Path) -> str:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return str(scm.get_version(root=str(root)))

    return get


@pytest.mark.parametrize("state", list(STATES))
def test_the_same_version_as_setuptools_scm(
    repo: Repo, state: str, setuptools_scm_version: Callable[[Path], str]
) -> None:
    build(repo, STATES[state])
    assert version(repo.path) == setuptools_scm_version(repo.path)


def test_an_empty_git_folder_in_a_repository_does_not_lend_its_version(repo: Repo) -> None:
    repo.commit()
    repo.tag("v2.0")
    project = repo.path / "other"
    (project / ".git").mkdir(parents=True)
    with pytest.raises(BuildError) as info:
        version(project)
    assert str(info.value).startswith(
        f"pyproject.toml: {KEY}: {project / '.git'} is not a git repository (there is no"
    )


def test_a_nul_in_a_ref_without_git_is_a_message(repo: Repo) -> None:
    repo.commit()
    (repo.path / ".git" / "HEAD").write_bytes(b"ref: refs/heads/ma\x00in\n")
    with pytest.raises(BuildError, match="cannot be read: embedded null"):
        version(repo.path, git=None)


def test_an_sdist_s_pkg_info_comes_before_its_archival_file(tmp_path: Path) -> None:
    (tmp_path / "PKG-INFO").write_text("Metadata-Version: 2.4\nName: demo\nVersion: 2.0\n\n")
    (tmp_path / ".git_archival.txt").write_text("node: " + "a" * 40 + "\ndescribe-name: v1.0\n")
    found = vcs_version(tmp_path, epoch=EPOCH, git=None)
    assert (found.version, found.source) == ("2.0", "PKG-INFO (an sdist)")


@pytest.mark.parametrize(
    ("pattern", "tag"),
    [
        # An alternative: no prefix can narrow git's search.
        (r"^old$|^v(?P<version>.+)$", "v1.0"),
        # An optional first character is no prefix either.
        (r"^v?(?P<version>[0-9.]+)$", "1.0"),
    ],
)
def test_a_tag_pattern_s_prefix_narrows_the_search_only_when_it_is_certain(
    repo: Repo, pattern: str, tag: str
) -> None:
    repo.commit()
    repo.tag(tag)
    assert version(repo.path, tag_pattern=pattern) == "1.0"


def test_a_reftable_repository_without_git_is_a_message(repo: Repo) -> None:
    repo.commit()
    (repo.path / ".git" / "reftable").mkdir()
    with pytest.raises(BuildError, match="keeps its refs in a reftable"):
        version(repo.path, git=None)


def test_a_git_file_that_is_no_gitdir_is_a_message(tmp_path: Path) -> None:
    (tmp_path / ".git").write_text("something else\n")
    with pytest.raises(BuildError, match="neither a git folder nor a 'gitdir:' file"):
        version(tmp_path, git=None)
