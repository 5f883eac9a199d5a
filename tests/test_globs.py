"""The glob rules: the README's table, and each of its rows run on a real folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from fletching.globs import pattern_matches
from fletching.tree import Tree
from glob_rules import EXAMPLE_TREE, RULES, Rule, render_rst
from helpers import MINIMAL_PYPROJECT, REPO, build_sdist, sdist_members, write_project


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_project(tmp_path_factory.mktemp("globs"), dict.fromkeys(EXAMPLE_TREE, ""))


@pytest.mark.parametrize("rule", RULES, ids=[r.pattern for r in RULES])
def test_each_rule_takes_what_the_table_says(example: Path, rule: Rule) -> None:
    found = Tree(example).glob(rule.pattern)
    assert found == list(rule.matched)
    # Bytecode is never taken, by any pattern.
    assert not [f for f in found if f.endswith(".pyc")]
    touched = [f for f in found if f.startswith(("docs/__pycache__", "node_modules", "venv"))]
    assert bool(touched) == (rule.tool_folders == "taken")


def test_the_readme_shows_the_table() -> None:
    readme = (REPO / "README.rst").read_text(encoding="utf-8")
    assert render_rst() in readme


@pytest.mark.parametrize(
    ("pattern", "path", "matched"),
    [
        ("pkg/[z-a]", "pkg/b", False),
        ("pkg/[z-a]", "pkg/z", False),
        ("pkg/[!z-a]", "pkg/b", True),
        ("pkg/[xz-a]", "pkg/x", True),
        ("pkg/[a-c]", "pkg/b", True),
    ],
)
def test_a_reversed_range_matches_nothing_as_in_fnmatch(
    pattern: str, path: str, matched: bool
) -> None:
    """It was a regex error, a traceback for any key that takes globs."""
    assert pattern_matches(pattern, path) is matched


def test_a_reversed_range_in_an_exclude_builds(tmp_path: Path) -> None:
    pyproject = MINIMAL_PYPROJECT + '\n[tool.fletching.sdist]\nexclude = ["[z-a]*"]\n'
    project = write_project(tmp_path / "p", {"pyproject.toml": pyproject, "demo.py": ""})
    assert "demo-1.0/demo.py" in sdist_members(build_sdist(project, tmp_path / "out"))
