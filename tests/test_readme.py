"""The README cannot rot: its TOML snippets, sample outputs and commands are checked."""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

import pytest

from fletching.errors import ConfigError
from fletching.model import parse_pyproject
from helpers import MINIMAL_PYPROJECT, REPO, call_hook, write_project

if sys.version_info >= (3, 11):
    import tomllib
else:
    import tomli as tomllib

README = (REPO / "README.rst").read_text(encoding="utf-8")


def blocks(marker: str) -> list[str]:
    """The indented blocks that follow ``marker`` lines (a directive or a '::' paragraph)."""
    found = []
    lines = README.splitlines()
    for index, line in enumerate(lines):
        if not line.rstrip().endswith(marker):
            continue
        body: list[str] = []
        for following in lines[index + 1 :]:
            if following.strip() and not following.startswith("    "):
                break
            body.append(following[4:])
        found.append("\n".join(body).strip("\n") + "\n")
    return found


TOML_BLOCKS = blocks(".. code-block:: toml")


def test_the_readme_has_toml_snippets() -> None:
    assert len(TOML_BLOCKS) >= 5


@pytest.mark.parametrize("snippet", TOML_BLOCKS, ids=lambda s: s.splitlines()[0][:40])
def test_toml_snippet_is_accepted_by_fletching(snippet: str) -> None:
    data: dict[str, Any] = tomllib.loads(snippet)
    if "build-system" in data:
        assert data["build-system"] == {
            "requires": ["fletching"],
            "build-backend": "fletching.buildapi",
        }
    if "project" not in data and "tool" not in data:
        return
    base = tomllib.loads(MINIMAL_PYPROJECT)
    project = {**base["project"], **data.get("project", {})}
    for key in project.get("dynamic", []):
        project.pop(key, None)
    config = parse_pyproject({"project": project, "tool": data.get("tool", {})})
    assert config.metadata.name == project["name"]


def test_explain_sample_output_is_what_fletching_prints(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (sample,) = [b for b in blocks("::") if b.startswith("fletching: files for")]
    project = write_project(
        tmp_path / "p",
        {
            "pyproject.toml": MINIMAL_PYPROJECT
            + 'readme = "README.md"\nlicense-files = ["LICENSES/*"]\n\n[tool.flit.sdist]\n'
            + 'include = ["docs/"]\nexclude = ["docs/_build"]\n',
            "README.md": "# Demo\n",
            "LICENSES/MIT.txt": "MIT",
            "demo/__init__.py": "",
            "demo/__pycache__/x.pyc": "",
            "docs/index.rst": "",
            "docs/_build/index.html": "",
        },
    )
    call_hook(project, "build_sdist", str(tmp_path / "out"), {"explain": "true"})
    assert capsys.readouterr().err.splitlines() == sample.splitlines()


def test_error_message_samples_are_what_fletching_says() -> None:
    (sample,) = [b for b in blocks("::") if b.startswith("pyproject.toml:")]
    expected = sample.splitlines()
    with pytest.raises(ConfigError) as info:
        parse_pyproject(
            tomllib.loads(
                MINIMAL_PYPROJECT
                + 'dependencies = ["ok", "requests >="]\n'
                + 'classifiers = ["License :: OSI Approved :: MIT Licence"]\n'
            )
        )
    got = [str(e) for e in getattr(info.value, "errors", [info.value])]
    assert len(got) == len(expected)
    for line in expected:
        prefix = line[:-3] if line.endswith("...") else line
        assert any(g == line or (line.endswith("...") and g.startswith(prefix)) for g in got), line


def test_quick_start_commands_are_the_ones_ci_runs() -> None:
    commands = [b.strip() for b in blocks("::") if b.startswith("python3 ")]
    assert len(commands) == 2
    build_example, run_tests = commands
    assert "examples/" in build_example
    ci = (REPO / ".ci" / "run").read_text()
    # .ci/run only adds interpreters to PATH before running the README's test command.
    assert run_tests in ci


def test_every_example_named_in_the_readme_exists() -> None:
    for name in re.findall(r"examples/([\w-]+)", README):
        assert (REPO / "examples" / name / "pyproject.toml").is_file(), name
