"""``[tool.fletching.wheel] exclude``: out of the wheel, kept in the sdist."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from fletching.errors import ConfigError, FletchingError
from git_repos import Repo
from helpers import (
    MINIMAL_PYPROJECT,
    build_editable,
    build_sdist,
    build_wheel,
    sdist_members,
    unpack_sdist,
    wheel_members,
    write_project,
)

PYPROJECT = (
    MINIMAL_PYPROJECT
    + 'license-files = ["LICENSE"]\n\n[tool.fletching.module]\nname = "demo"\n\n'
    + '[tool.fletching.external-data]\ndirectory = "share"\n\n'
    + '[tool.fletching.wheel]\nexclude = ["src/demo/tests", "**/*.draft", "share/docs/**"]\n'
)
FILES = {
    "pyproject.toml": PYPROJECT,
    "LICENSE": "MIT",
    "src/demo/__init__.py": '"""Demo."""\n',
    "src/demo/core.py": "",
    "src/demo/notes.draft": "",
    "src/demo/tests/__init__.py": "",
    "src/demo/tests/test_core.py": "def test(): pass\n",
    "share/man/demo.1": "",
    "share/docs/guide.txt": "",
    "share/docs/.hidden": "",
}
LEFT_OUT = [
    "src/demo/notes.draft",
    "src/demo/tests/__init__.py",
    "src/demo/tests/test_core.py",
    "share/docs/.hidden",
    "share/docs/guide.txt",
]


def _code(wheel: Path) -> list[str]:
    return sorted(n for n in wheel_members(wheel) if ".dist-info/" not in n)


def test_the_wheel_leaves_out_what_the_sdist_keeps(tmp_path: Path, out: Path) -> None:
    project = write_project(tmp_path / "p", FILES)
    wheel = build_wheel(project, out)
    assert _code(wheel) == [
        "demo-1.0.data/data/man/demo.1",
        "demo/__init__.py",
        "demo/core.py",
    ]
    # The .dist-info folder is not subject to it.
    assert "demo-1.0.dist-info/licenses/LICENSE" in wheel_members(wheel)
    sdist = build_sdist(project, out)
    in_sdist = sdist_members(sdist)
    for path in LEFT_OUT:
        assert f"demo-1.0/{path}" in in_sdist, sorted(in_sdist)
    # The sdist carries the setting: the wheel built from it is the same wheel.
    from_sdist = build_wheel(unpack_sdist(sdist, tmp_path / "unpacked"), tmp_path / "again")
    assert from_sdist.read_bytes() == wheel.read_bytes()


def test_an_editable_wheel_serves_the_modules_whole_and_leaves_out_external_data(
    tmp_path: Path, out: Path
) -> None:
    project = write_project(tmp_path / "p", FILES)
    members = wheel_members(build_editable(project, out))
    assert sorted(n for n in members if ".dist-info/" not in n) == [
        "demo-1.0.data/data/man/demo.1",
        "demo.pth",
    ]
    assert members["demo.pth"].decode().strip() == str(project / "src")


def test_an_sdist_exclude_may_drop_what_the_wheel_leaves_out_unwarned(
    tmp_path: Path, out: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pyproject = PYPROJECT + '\n[tool.fletching.sdist]\nexclude = ["src/demo/tests/test_*"]\n'
    project = write_project(tmp_path / "p", {**FILES, "pyproject.toml": pyproject})
    sdist = sdist_members(build_sdist(project, out))
    assert "demo-1.0/src/demo/tests/test_core.py" not in sdist
    assert "warning" not in capsys.readouterr().err


def test_an_sdist_exclude_that_leaves_a_wheel_exclude_nothing_is_refused(
    tmp_path: Path, out: Path
) -> None:
    pyproject = PYPROJECT + '\n[tool.fletching.sdist]\nexclude = ["src/demo/tests"]\n'
    project = write_project(tmp_path / "p", {**FILES, "pyproject.toml": pyproject})
    build_wheel(project, out)  # from the tree, the pattern matches
    with pytest.raises(ConfigError) as info:
        build_sdist(project, out)
    assert info.value.key == "[tool.fletching.wheel] exclude[0]"
    assert "so a wheel built from the sdist would find none" in str(info.value)


def test_it_may_sit_beside_tool_flit(tmp_path: Path, out: Path) -> None:
    pyproject = (
        MINIMAL_PYPROJECT + '\n[tool.flit.module]\nname = "demo"\n\n'
        '[tool.fletching.wheel]\nexclude = ["src/demo/tests"]\n'
    )
    project = write_project(tmp_path / "p", {**FILES, "pyproject.toml": pyproject})
    assert "demo/tests/test_core.py" not in wheel_members(build_wheel(project, out))


@pytest.mark.usefixtures("isolated_git")
def test_the_generated_version_module_cannot_be_excluded(tmp_path: Path, out: Path) -> None:
    if shutil.which("git") is None:
        pytest.skip("needs the git program")
    pyproject = (
        MINIMAL_PYPROJECT.replace('version = "1.0"\n', 'dynamic = ["version"]\n')
        + '\n[tool.fletching.version]\nsource = "vcs"\nfile = "src/demo/_version.py"\n'
        + '\n[tool.fletching.wheel]\nexclude = ["src/demo/_v*.py"]\n'
    )
    repo = Repo(tmp_path / "repo")
    write_project(repo.path, {"pyproject.toml": pyproject, "src/demo/__init__.py": ""})
    repo.git("add", ".")
    repo.git("commit", "-q", "-m", "first")
    repo.git("tag", "v1.0")
    for build in (build_wheel, build_sdist):
        with pytest.raises(FletchingError) as info:
            build(repo.path, out)
        assert str(info.value) == (
            "pyproject.toml: [tool.fletching.wheel] exclude[0]: 'src/demo/_v*.py' excludes"
            " src/demo/_version.py (the generated version module), without which the"
            " installed package cannot be imported; narrow the pattern"
        )
