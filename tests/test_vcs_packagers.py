"""What distribution packagers do with a project whose version comes from git: set the
version in the environment (as with setuptools-scm and hatch-vcs), build from an
unpacked sdist put under git of their own (``git init``, or gbp's ``upstream/`` and
``debian/`` tags), or from a tarball of the repository without ``.git``."""

from __future__ import annotations

import ast
import shutil
from pathlib import Path

import pytest

from fletching.errors import BuildError
from fletching.vcs import VcsVersion, vcs_version
from git_repos import EPOCH, Repo
from helpers import (
    MINIMAL_PYPROJECT,
    build_sdist,
    build_wheel,
    sdist_members,
    unpack_sdist,
    wheel_members,
    write_project,
)

PYPROJECT = (
    MINIMAL_PYPROJECT.replace('name = "demo"', 'name = "Demo.Pkg"')
    .replace('version = "1.0"\n', 'dynamic = ["version"]\n')
    .replace("[project]\n", '[tool.fletching.module]\nname = "demo"\n\n[project]\n')
    + '\n[tool.fletching.version]\nsource = "vcs"\nfile = "demo/_version.py"\n'
)
FILES = {"pyproject.toml": PYPROJECT, "demo/__init__.py": "", "README.md": "Demo.\n"}
NAMED = "SETUPTOOLS_SCM_PRETEND_VERSION_FOR_DEMO_PKG"
GENERAL = "SETUPTOOLS_SCM_PRETEND_VERSION"

pytestmark = pytest.mark.usefixtures("isolated_git")


@pytest.fixture(autouse=True)
def _no_pretend_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    for variable in list(os.environ):
        if variable.startswith(GENERAL):
            monkeypatch.delenv(variable)


@pytest.fixture
def repo(tmp_path: Path) -> Repo:
    if shutil.which("git") is None:
        pytest.skip("needs the git program")
    repo = Repo(tmp_path / "repo")
    write_project(repo.path, FILES)
    repo.git("add", ".")
    repo.commit()
    repo.tag("v1.1")
    return repo


def _pretend(tmp_path: Path, **environ: str) -> VcsVersion:
    return vcs_version(tmp_path, name="Demo.Pkg", epoch=EPOCH, environ=environ)


# The variables


def test_the_general_variable_gives_the_version(tmp_path: Path) -> None:
    version, source, warnings = _pretend(tmp_path, **{GENERAL: "2.0.0"})
    assert (version, source) == ("2.0.0", f"the environment ({GENERAL})")
    assert warnings == (
        f"environment: {GENERAL}: version 2.0.0 taken from the environment, not from git",
    )


def test_the_variable_named_for_the_project_beats_the_general_one(tmp_path: Path) -> None:
    version, source, _ = _pretend(tmp_path, **{GENERAL: "2.0", NAMED: "3.0rc1"})
    assert (version, source) == ("3.0rc1", f"the environment ({NAMED})")


def test_a_variable_named_for_another_project_is_not_read(repo: Repo) -> None:
    environ = {"SETUPTOOLS_SCM_PRETEND_VERSION_FOR_OTHER": "9.0"}
    found = vcs_version(repo.path, name="Demo.Pkg", epoch=EPOCH, environ=environ)
    assert found.version == "1.1"


def test_another_spelling_of_the_name_is_read_with_advice(tmp_path: Path) -> None:
    version, _, warnings = _pretend(
        tmp_path, **{"SETUPTOOLS_SCM_PRETEND_VERSION_FOR_demo-PKG": "4"}
    )
    assert version == "4"
    assert warnings[0].endswith(f"; the spelling setuptools-scm documents is {NAMED}")


def test_an_empty_variable_is_unset(repo: Repo) -> None:
    found = vcs_version(repo.path, name="Demo.Pkg", epoch=EPOCH, environ={NAMED: "", GENERAL: " "})
    assert found.version == "1.1"


@pytest.mark.parametrize("variable", [GENERAL, NAMED])
def test_an_invalid_version_names_the_variable(tmp_path: Path, variable: str) -> None:
    with pytest.raises(BuildError) as info:
        _pretend(tmp_path, **{variable: "1.0-debian-patched"})
    assert str(info.value) == (
        f"environment: {variable}: '1.0-debian-patched' is not a valid version (PEP 440); "
        "give one such as 1.2.3, or unset it to take the version from git"
    )


def test_the_version_is_normalised(tmp_path: Path) -> None:
    assert _pretend(tmp_path, **{GENERAL: "v2.0-RC1"})[0] == "2.0rc1"


def _generated_version(module: bytes) -> object:
    tree = ast.parse(module)
    for node in tree.body:
        if isinstance(node, ast.Assign) and ast.unparse(node.targets[0]) == "__version__":
            return ast.literal_eval(node.value)
    raise AssertionError("no __version__")


def test_the_sdist_the_wheel_and_the_version_file_carry_the_variable_s_version(
    repo: Repo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv(NAMED, "2.5.post1")
    sdist = sdist_members(build_sdist(repo.path, tmp_path / "dist"))
    assert b"\nVersion: 2.5.post1\n" in sdist["demo_pkg-2.5.post1/PKG-INFO"]
    assert _generated_version(sdist["demo_pkg-2.5.post1/demo/_version.py"]) == "2.5.post1"
    wheel = wheel_members(build_wheel(repo.path, tmp_path / "dist"))
    assert b"\nVersion: 2.5.post1\n" in wheel["demo_pkg-2.5.post1.dist-info/METADATA"]
    assert _generated_version(wheel["demo/_version.py"]) == "2.5.post1"
    assert f"fletching: warning: environment: {NAMED}: version 2.5.post1" in capfd.readouterr().err


# Distribution workflows, with no variable set


def _sdist_tree(repo: Repo, tmp_path: Path) -> Path:
    sdist = build_sdist(repo.path, tmp_path / "dist")
    return unpack_sdist(sdist, tmp_path / "unpacked")


def test_an_unpacked_sdist_put_under_git_keeps_the_sdist_s_version(
    repo: Repo, tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    tree = _sdist_tree(repo, tmp_path)
    packager = Repo(tree)  # git init in the unpacked sdist, and one commit
    packager.git("add", ".")
    packager.commit()
    wheel = wheel_members(build_wheel(tree, tmp_path / "out"))
    assert "demo_pkg-1.1.dist-info/METADATA" in wheel
    assert "not from the git repository beside it" in capfd.readouterr().err


def _import_with_gbp(tree: Path) -> Repo:
    """Put ``tree`` under git as gbp does: the upstream import tagged upstream/1.1, a
    packaging commit tagged debian/1.1-1."""
    packager = Repo(tree)
    packager.git("add", ".")
    packager.commit()
    packager.tag("upstream/1.1")
    (tree / "debian").mkdir()
    packager.commit(name="debian/changelog")
    packager.tag("debian/1.1-1")
    return packager


def test_an_sdist_imported_by_gbp_keeps_the_sdist_s_version(repo: Repo, tmp_path: Path) -> None:
    tree = _sdist_tree(repo, tmp_path)
    packager = _import_with_gbp(tree)
    packager.commit(name="debian/changelog")  # an unreleased packaging change
    assert vcs_version(tree, name="Demo.Pkg").version == "1.1"


def test_pkg_info_comes_before_the_repository_in_the_same_folder(repo: Repo) -> None:
    """The precedence, pinned: git says 1.1, the sdist's metadata says 0.9."""
    (repo.path / "PKG-INFO").write_text("Metadata-Version: 2.4\nName: demo.pkg\nVersion: 0.9\n")
    found = vcs_version(repo.path, name="Demo.Pkg", epoch=EPOCH)
    assert (found.version, found.source) == ("0.9", "PKG-INFO (an sdist)")
    assert "delete PKG-INFO, or set SETUPTOOLS_SCM_PRETEND_VERSION" in found.warnings[0]


def test_the_variable_comes_before_pkg_info(repo: Repo) -> None:
    (repo.path / "PKG-INFO").write_text("Metadata-Version: 2.4\nName: demo.pkg\nVersion: 0.9\n")
    found = vcs_version(repo.path, name="Demo.Pkg", environ={GENERAL: "5.0"})
    assert found.version == "5.0"


def test_another_project_s_pkg_info_is_refused_with_the_override(tmp_path: Path) -> None:
    (tmp_path / "PKG-INFO").write_text("Metadata-Version: 2.4\nName: other\nVersion: 0.9\n")
    with pytest.raises(BuildError) as info:
        vcs_version(tmp_path, name="Demo.Pkg")
    assert str(info.value) == (
        "PKG-INFO: Name: names the project 'other', not 'Demo.Pkg': it is not this project's "
        f"sdist metadata, and cannot give its version; remove it, or set {NAMED}"
    )


def test_a_repository_tarball_under_gbp_names_the_override(repo: Repo, tmp_path: Path) -> None:
    """No PKG-INFO (a tarball of the repository), a distribution's own tags: no version
    can be told safely, and the message says how to give it."""
    tree = tmp_path / "tarball"
    shutil.copytree(repo.path, tree, ignore=shutil.ignore_patterns(".git"))
    _import_with_gbp(tree)
    with pytest.raises(BuildError, match="give its version in SETUPTOOLS_SCM_PRETEND_VERSION"):
        vcs_version(tree, name="Demo.Pkg")
    assert vcs_version(tree, name="Demo.Pkg", environ={NAMED: "1.1"}).version == "1.1"
