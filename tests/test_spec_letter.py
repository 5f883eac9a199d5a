"""Issue 18: what the specifications say to the letter, where flit_core 4.2 agrees
(a readme's byte-order mark, extras inside a requirement's brackets, PEP 794 names,
glob patterns with spaces). The refusals are in test_error_catalogue.py."""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers import MINIMAL_PYPROJECT, build_wheel, validate_wheel, write_project

W = "fletching: warning: "


def test_a_readme_byte_order_mark_is_dropped_with_a_warning(
    tmp_path: Path, out: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # With the mark, the title's underline is one character short to docutils, and
    # `twine check --strict` fails.
    files: dict[str, str | bytes] = {
        "pyproject.toml": MINIMAL_PYPROJECT + 'readme = "README.rst"\n',
        "README.rst": "\ufeffDemo\n====\n\nText.\n".encode(),
        "demo.py": "",
    }
    project = write_project(tmp_path / "p", files)
    meta = validate_wheel(build_wheel(project, out))
    assert meta.description == "Demo\n====\n\nText.\n"
    assert (
        capsys.readouterr().err.count(
            f"{W}pyproject.toml: [project] readme: README.rst starts with a UTF-8 byte-order mark,"
            " which is left out of the description; save the file without it"
        )
        == 1
    )


def test_extras_in_a_requirement_are_normalised_as_flit_core_does(
    tmp_path: Path, out: Path
) -> None:
    pyproject = MINIMAL_PYPROJECT + (
        'dependencies = ["other[Array_Types, X.Y] >=1"]\n'
        "[project.optional-dependencies]\nDev_X = [\"c[Z__z]; python_version > '3'\"]\n"
    )
    project = write_project(tmp_path / "p", {"pyproject.toml": pyproject, "demo.py": ""})
    meta = validate_wheel(build_wheel(project, out))
    assert [str(r) for r in meta.requires_dist] == [
        "other[array-types,x-y]>=1",
        'c[z-z]; python_version > "3" and extra == "dev-x"',
    ]
