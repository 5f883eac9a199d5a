"""The glob rules of include/exclude/license-files, as one table.

README.rst shows it (tests/test_globs.py checks that the README's table is exactly
the one rendered from here), and the glob tests run every row on EXAMPLE_TREE.
"""

from __future__ import annotations

from typing import NamedTuple

# A project folder with the kinds of files the rules tell apart.
EXAMPLE_TREE = (
    ".env",
    ".git/config",
    "LICENSE.txt",
    "README.md",
    "docs/.nojekyll",
    "docs/__pycache__/x.txt",
    "docs/_build/html/index.html",
    "docs/index.rst",
    "docs/sub/deep.txt",
    "docs/y.pyc",
    "node_modules/lib/index.js",
    "src/pkg/data.txt",
    "venv/lib/site.py",
    "venv/pyvenv.cfg",
    "x.pyc",
)


EVERYTHING_IN_DOCS = (
    "docs/.nojekyll",
    "docs/__pycache__/x.txt",
    "docs/_build/html/index.html",
    "docs/index.rst",
    "docs/sub/deep.txt",
)


class Rule(NamedTuple):
    pattern: str
    takes: str  # what it matches, in words
    tool_folders: str  # what happens to caches, VCS folders and virtual environments
    matched: tuple[str, ...]  # from EXAMPLE_TREE


RULES = (
    Rule(
        "docs",
        "a folder named outright: every file below it, hidden ones included",
        "taken",
        EVERYTHING_IN_DOCS,
    ),
    Rule(
        "docs/",
        "the same: a trailing / changes nothing",
        "taken",
        EVERYTHING_IN_DOCS,
    ),
    Rule(
        "docs/**",
        "every file below the folder, hidden ones included",
        "skipped",
        ("docs/.nojekyll", "docs/_build/html/index.html", "docs/index.rst", "docs/sub/deep.txt"),
    ),
    Rule(
        "docs/*",
        "each entry of the folder whose name does not start with '.'; a matched folder"
        " brings every file below it",
        "skipped",
        ("docs/_build/html/index.html", "docs/index.rst", "docs/sub/deep.txt"),
    ),
    Rule(
        "docs/[!_]*",
        "[...] and [!...] choose one character, as in the shell",
        "skipped",
        ("docs/index.rst", "docs/sub/deep.txt"),
    ),
    Rule(
        "**/*.txt",
        "** spans any number of folders, none of them hidden",
        "skipped",
        ("LICENSE.txt", "docs/sub/deep.txt", "src/pkg/data.txt"),
    ),
    Rule(
        "*",
        "every top-level entry whose name does not start with '.', and all below them",
        "skipped",
        (
            "LICENSE.txt",
            "README.md",
            "docs/.nojekyll",
            "docs/_build/html/index.html",
            "docs/index.rst",
            "docs/sub/deep.txt",
            "src/pkg/data.txt",
        ),
    ),
    Rule(".*", "hidden entries, named by a pattern that starts with '.'", "skipped", (".env",)),
    Rule(
        "?EADME.md",
        "? is one character, never '/'; * any run of them within one folder",
        "skipped",
        ("README.md",),
    ),
    Rule(
        "node_modules",
        "a tool folder named outright is reached",
        "taken",
        ("node_modules/lib/index.js",),
    ),
    Rule(
        "venv",
        "so is a virtual environment",
        "taken",
        ("venv/lib/site.py", "venv/pyvenv.cfg"),
    ),
)


def render_rst() -> str:
    """The README's table, from RULES."""
    lines = [
        ".. list-table::",
        "   :header-rows: 1",
        "",
        "   * - pattern",
        "     - what it takes",
        "     - caches, VCS folders, virtual environments below",
    ]
    for rule in RULES:
        lines += [
            f"   * - ``{rule.pattern}``",
            f"     - {rule.takes}",
            f"     - {rule.tool_folders}",
        ]
    return "\n".join(lines) + "\n"
