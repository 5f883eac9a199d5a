"""The glob rules: the README's table, and each of its rows run on a real folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from fletching.tree import Tree
from glob_rules import EXAMPLE_TREE, RULES, Rule, render_rst
from helpers import REPO, write_project


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
