"""Building a project whose version comes from git: the hooks, the sdist carrying the
version, the generated version module. How each repository state maps to a version is
in test_vcs.py."""

from __future__ import annotations

import ast
import shutil
import sys
from pathlib import Path

import pytest

from fletching.errors import BuildError, ConfigError
from git_repos import Repo, g
from helpers import (
    MINIMAL_PYPROJECT,
    build_editable,
    build_sdist,
    build_wheel,
    build_wheel_after_prepare,
    call_hook,
    sdist_members,
    unpack_sdist,
    validate_sdist,
    validate_wheel,
    wheel_members,
    write_project,
)

PYPROJECT = (
    MINIMAL_PYPROJECT.replace('version = "1.0"\n', 'dynamic = ["version"]\n')
    + '\n[tool.fletching.version]\nsource = "vcs"\nfile = "src/demo/_version.py"\n'
)
FILES = {
    "pyproject.toml": PYPROJECT,
    # No __version__: nothing may import or read the module for the version.
    "src/demo/__init__.py": "raise ImportError('the build must not import the project')\n",
    "README.md": "Demo.\n",
}


pytestmark = pytest.mark.usefixtures("isolated_git")


@pytest.fixture
def repo(tmp_path: Path) -> Repo:
    if shutil.which("git") is None:
        pytest.skip("needs the git program")
    repo = Repo(tmp_path / "repo")
    write_project(repo.path, FILES)
    repo.git("add", ".")
    repo.git("commit", "-q", "-m", "first")
    repo.commits += 1
    return repo


def _version_in(module: bytes) -> object:
    for node in ast.parse(module).body:
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == "__version__" for t in node.targets
        ):
            return ast.literal_eval(node.value)
    raise AssertionError("no __version__")


def test_a_tagged_commit_builds_with_the_tag_s_version(repo: Repo, out: Path) -> None:
    repo.tag("v1.2.3")
    wheel = build_wheel(repo.path, out)
    sdist = build_sdist(repo.path, out)
    assert (wheel.name, sdist.name) == ("demo-1.2.3-py3-none-any.whl", "demo-1.2.3.tar.gz")
    assert str(validate_wheel(wheel).version) == "1.2.3"
    assert str(validate_sdist(sdist).version) == "1.2.3"
    assert _version_in(wheel_members(wheel)["demo/_version.py"]) == "1.2.3"
    assert _version_in(sdist_members(sdist)["demo-1.2.3/src/demo/_version.py"]) == "1.2.3"
    assert not (repo.path / "src/demo/_version.py").exists()


def test_the_sdist_carries_the_version_to_the_wheel_built_from_it(
    repo: Repo, tmp_path: Path
) -> None:
    repo.tag("v1.2.3")
    head = repo.commit(2)
    expected = f"1.2.4.dev2+{g(head)}"
    direct = build_wheel(repo.path, tmp_path / "direct")
    sdist = build_sdist(repo.path, tmp_path / "sdist")
    assert sdist.name == f"demo-{expected}.tar.gz"
    # The PKG-INFO holds the version as a plain field: nothing is left dynamic.
    pkg_info = sdist_members(sdist)[f"demo-{expected}/PKG-INFO"].decode()
    assert f"\nVersion: {expected}\n" in pkg_info
    assert "Dynamic:" not in pkg_info
    unpacked = unpack_sdist(sdist, tmp_path / "unpacked")
    assert not (unpacked / ".git").exists()
    again = build_wheel(unpacked, tmp_path / "again")
    assert again.read_bytes() == direct.read_bytes()
    assert build_sdist(unpacked, tmp_path / "sdist2").read_bytes() == sdist.read_bytes()


def test_prepared_metadata_and_the_wheel_agree(repo: Repo, tmp_path: Path) -> None:
    repo.tag("2.0")
    folder, wheel = build_wheel_after_prepare(repo.path, tmp_path)
    assert (folder, wheel.name) == ("demo-2.0.dist-info", "demo-2.0-py3-none-any.whl")
    assert _version_in(wheel_members(wheel)["demo/_version.py"]) == "2.0"


@pytest.mark.parametrize(
    "hook",
    [
        "get_requires_for_build_wheel",
        "get_requires_for_build_sdist",
        "get_requires_for_build_editable",
    ],
)
def test_the_build_requires_nothing_more(repo: Repo, hook: str) -> None:
    # The module has no __version__ and needs a dependency to import: were it imported
    # for its version, the hook would ask for the dependency.
    files = dict(FILES)
    files["pyproject.toml"] = PYPROJECT.replace(
        'description = "A demo project."\n', 'dependencies = ["not-installed-anywhere"]\n'
    )
    files["src/demo/__init__.py"] = "import not_installed_anywhere\n"
    write_project(repo.path, files)
    assert call_hook(repo.path, hook) == []
    # A description from the module is read statically: still nothing to import.
    files["pyproject.toml"] = files["pyproject.toml"].replace(
        'dynamic = ["version"]', 'dynamic = ["version", "description"]'
    )
    files["src/demo/__init__.py"] = '"""Demo."""\nimport not_installed_anywhere\n'
    write_project(repo.path, files)
    assert call_hook(repo.path, hook) == []
    # The control: the same module, its version read from it, makes the build ask.
    text = files["pyproject.toml"].split("[tool.fletching.version]")[0]
    files["pyproject.toml"] = text
    files["src/demo/__init__.py"] = "import not_installed_anywhere\n__version__ = VERSION\n"
    write_project(repo.path, files)
    (repo.path / "pyproject.toml").write_text(text, encoding="utf-8")
    assert call_hook(repo.path, hook) == ["not-installed-anywhere"]


def test_a_dirty_tree_is_dated_from_source_date_epoch(
    repo: Repo, out: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo.tag("v1.0")
    (repo.path / "README.md").write_text("Changed.\n")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    wheel = build_wheel(repo.path, out)
    assert wheel.name == f"demo-1.1.dev0+{g(repo.head())}.d20231114-py3-none-any.whl"


def test_an_editable_install_gets_the_version_too(repo: Repo, out: Path) -> None:
    repo.tag("v3.1")
    wheel = build_editable(repo.path, out)
    assert str(validate_wheel(wheel).version) == "3.1"


def test_no_repository_is_an_error_naming_the_key(tmp_path: Path, out: Path) -> None:
    project = write_project(tmp_path / "p", FILES)
    with pytest.raises(BuildError) as info:
        build_wheel(project, out)
    message = str(info.value)
    assert message.startswith('pyproject.toml: [tool.fletching.version] source: "vcs" but ')
    assert message.endswith("tag a commit in a git checkout, or set [project] version")


def test_a_bad_tag_pattern_is_a_config_error(repo: Repo, out: Path) -> None:
    text = PYPROJECT + 'tag-pattern = "^v(.*"\n'
    write_project(repo.path, {"pyproject.toml": text})
    with pytest.raises(ConfigError) as info:
        build_wheel(repo.path, out)
    assert str(info.value).startswith(
        "pyproject.toml: [tool.fletching.version] tag-pattern: '^v(.*' is not a regular expression"
    )


def test_a_custom_tag_pattern_is_used(repo: Repo, out: Path) -> None:
    text = PYPROJECT + 'tag-pattern = "^release-(?P<version>.+)$"\n'
    write_project(repo.path, {"pyproject.toml": text})
    repo.git("commit", "-q", "-am", "pattern")
    repo.tag("release-4.5")
    repo.tag("v9.0")  # not a release by the pattern
    assert build_wheel(repo.path, out).name == "demo-4.5-py3-none-any.whl"


def test_without_git_a_tag_at_head_still_builds_with_a_warning(
    repo: Repo, out: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    repo.tag("v1.2.3", annotated=True)
    repo.git("gc", "-q")
    monkeypatch.setenv("PATH", str(Path(sys.executable).parent))  # no git there
    assert build_wheel(repo.path, out).name == "demo-1.2.3-py3-none-any.whl"
    assert (
        "fletching: warning: pyproject.toml: [tool.fletching.version] source: the git program"
        " (git) was not found; without the git program, fletching reads the tag at HEAD from"
        " .git but cannot see uncommitted changes"
    ) in capsys.readouterr().err
