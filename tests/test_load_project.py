"""load_project gathers the errors of every step, the final metadata's too, so that
one failed build shows every mistake."""

from __future__ import annotations

from pathlib import Path

import pytest

from fletching.config import load_project
from fletching.errors import ConfigErrors
from helpers import MINIMAL_PYPROJECT, write_project


def test_the_final_metadata_s_errors_come_with_the_others(tmp_path: Path) -> None:
    pyproject = MINIMAL_PYPROJECT.replace('version = "1.0"\n', 'dynamic = ["version"]\n')
    project = write_project(
        tmp_path,
        {
            "pyproject.toml": pyproject + 'readme = "MISSING.md"\n',
            "demo.py": '"""Demo."""\n__version__ = "not a version"\n',
        },
    )
    with pytest.raises(ConfigErrors) as info:
        load_project(project)
    messages = [str(error) for error in info.value.errors]
    assert messages == [
        "pyproject.toml: [project] readme: the file 'MISSING.md' does not exist",
        "demo.py: __version__: __version__ = 'not a version' is not a valid version (PEP 440)",
    ]


def test_a_version_from_git_is_looked_for_when_the_module_is_not_found(tmp_path: Path) -> None:
    pyproject = MINIMAL_PYPROJECT.replace('version = "1.0"\n', 'dynamic = ["version"]\n')
    pyproject += '\n[tool.fletching.version]\nsource = "vcs"\n'
    (tmp_path / "project").mkdir()
    project = write_project(tmp_path / "project", {"pyproject.toml": pyproject})
    if any((folder / ".git").exists() for folder in project.parents):
        pytest.skip("tmp_path is inside a git repository")
    with pytest.raises(ConfigErrors) as info:
        load_project(project)
    keys = [error.key for error in info.value.errors]
    assert keys == ["[project] name", "[tool.fletching.version] source"]


def test_a_version_file_of_the_project_is_refused_with_the_others(tmp_path: Path) -> None:
    pyproject = MINIMAL_PYPROJECT + 'readme = "MISSING.md"\n'
    pyproject += '\n[tool.fletching.version]\nfile = "demo/_version.py"\n'
    project = write_project(
        tmp_path,
        {
            "pyproject.toml": pyproject,
            "demo/__init__.py": '"""Demo."""\n',
            "demo/_version.py": "__version__ = '1.0'\n",
        },
    )
    with pytest.raises(ConfigErrors) as info:
        load_project(project)
    assert [error.key for error in info.value.errors] == [
        "[project] readme",
        "[tool.fletching.version] file",
    ]


def test_an_invalid_version_does_not_hide_the_import_names_check(tmp_path: Path) -> None:
    pyproject = MINIMAL_PYPROJECT.replace('version = "1.0"\n', 'dynamic = ["version"]\n')
    pyproject += 'import-names = ["wrong"]\n\n[tool.fletching.module]\nname = "demo"\n'
    project = write_project(
        tmp_path, {"pyproject.toml": pyproject, "demo.py": '"""D."""\n__version__ = "bogus"\n'}
    )
    with pytest.raises(ConfigErrors) as info:
        load_project(project)
    assert [error.key for error in info.value.errors] == ["__version__", "[project] import-names"]
