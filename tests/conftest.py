from __future__ import annotations

from pathlib import Path

import pytest

from git_repos import GIT_ISOLATION
from helpers import MINIMAL_PYPROJECT, write_project


@pytest.fixture(autouse=True)
def _no_source_date_epoch(monkeypatch: pytest.MonkeyPatch) -> None:
    """Distribution builds often export SOURCE_DATE_EPOCH; tests that want it set it."""
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A minimal valid single-module project, for tests to modify."""
    return write_project(
        tmp_path / "project",
        {"pyproject.toml": MINIMAL_PYPROJECT, "demo.py": '"""Demo."""\n'},
    )


@pytest.fixture
def out(tmp_path: Path) -> Path:
    path = tmp_path / "out"
    path.mkdir()
    return path


@pytest.fixture
def isolated_git(monkeypatch: pytest.MonkeyPatch) -> None:
    """The git that tests and fletching run reads no user or system configuration."""
    for name, value in GIT_ISOLATION.items():
        monkeypatch.setenv(name, value)
