"""Asking fletching to explain which file went where, and why (stderr only)."""

from __future__ import annotations

from pathlib import Path

import pytest

from fletching.buildapi import _explaining
from helpers import MINIMAL_PYPROJECT, call_hook, write_project

FILES = {
    "pyproject.toml": MINIMAL_PYPROJECT
    + 'readme = "README.md"\nlicense-files = ["LICENSES/*"]\n\n[tool.flit.sdist]\n'
    + 'include = ["docs/"]\nexclude = ["docs/_build"]\n\n'
    + '[tool.flit.external-data]\ndirectory = "share"\n',
    "README.md": "# Demo\n",
    "LICENSES/MIT.txt": "MIT",
    "demo/__init__.py": '"""Demo."""\n',
    "demo/__pycache__/x.pyc": "",
    "demo/stale.pyc": "",
    "docs/index.rst": "",
    "docs/_build/index.html": "",
    "share/demo.1": "",
}


@pytest.mark.parametrize(
    ("settings", "env", "expected"),
    [
        ({"explain": "true"}, None, True),
        ({"explain": "1"}, None, True),
        ({"explain": ["false", "yes"]}, None, True),
        ({"explain": "no"}, "1", False),
        (None, "1", True),
        ({}, "on", True),
        (None, None, False),
        ({"explain": ""}, None, False),
    ],
)
def test_how_explaining_is_asked_for(
    monkeypatch: pytest.MonkeyPatch,
    settings: dict[str, object] | None,
    env: str | None,
    expected: bool,
) -> None:
    if env is None:
        monkeypatch.delenv("FLETCHING_EXPLAIN", raising=False)
    else:
        monkeypatch.setenv("FLETCHING_EXPLAIN", env)
    assert _explaining(settings) is expected


def test_sdist_explanation_names_every_rule(
    tmp_path: Path, out: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = write_project(tmp_path / "p", FILES)
    call_hook(project, "build_sdist", str(out), {"explain": "true"})
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.splitlines() == [
        "fletching: files for the sdist demo-1.0.tar.gz:",
        "  + LICENSES/MIT.txt  [[project] license-files[0] 'LICENSES/*']",
        "  + README.md  [[project] readme]",
        "  + demo/__init__.py  [module 'demo' (demo)]",
        "  - docs/_build/index.html  [excluded by [tool.flit.sdist] exclude[0] 'docs/_build']",
        "  + docs/index.rst  [[tool.flit.sdist] include[0] 'docs/']",
        "  + pyproject.toml  [the project's pyproject.toml]",
        "  + share/demo.1  [[tool.flit.external-data] directory 'share']",
        "  - demo/__pycache__/  [cache or tool folder, never packed]",
        "  - demo/stale.pyc  [bytecode, never packed]",
    ]


def test_wheel_explanation_shows_destinations(
    tmp_path: Path, out: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FLETCHING_EXPLAIN", "1")
    project = write_project(tmp_path / "p", FILES)
    call_hook(project, "build_wheel", str(out))
    call_hook(project, "build_editable", str(out / "ed"))
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.splitlines()
    assert lines[:4] == [
        "fletching: files for the wheel demo-1.0-py3-none-any.whl:",
        "  + demo/__init__.py  [module 'demo' (demo)]",
        "  + share/demo.1 -> demo-1.0.data/data/demo.1  [[tool.flit.external-data] directory"
        " 'share']",
        "  + LICENSES/MIT.txt -> demo-1.0.dist-info/licenses/LICENSES/MIT.txt  [[project]"
        " license-files[0] 'LICENSES/*']",
    ]
    assert "fletching: files for the editable wheel demo-1.0-py3-none-any.whl:" in lines
    assert (
        f"  + {project.resolve()} -> demo.pth  [editable install: the .pth adds this folder]"
        in lines
    )


def test_wheel_only_excludes_are_named_in_the_wheel_and_kept_in_the_sdist(
    tmp_path: Path, out: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pyproject = FILES["pyproject.toml"] + '\n[tool.fletching.wheel]\nexclude = ["demo/tests"]\n'
    files = {**FILES, "pyproject.toml": pyproject, "demo/tests/test_demo.py": ""}
    project = write_project(tmp_path / "p", files)
    call_hook(project, "build_wheel", str(out), {"explain": "true"})
    assert (
        "  - demo/tests/test_demo.py  [left out of the wheel by [tool.fletching.wheel]"
        " exclude[0] 'demo/tests']" in capsys.readouterr().err.splitlines()
    )
    call_hook(project, "build_sdist", str(out), {"explain": "true"})
    assert "  + demo/tests/test_demo.py  [module 'demo' (demo)]" in (
        capsys.readouterr().err.splitlines()
    )


def test_nothing_is_printed_unless_asked(
    tmp_path: Path, out: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("FLETCHING_EXPLAIN", raising=False)
    project = write_project(tmp_path / "p", FILES)
    call_hook(project, "build_wheel", str(out))
    call_hook(project, "build_sdist", str(out))
    assert capsys.readouterr() == ("", "")
