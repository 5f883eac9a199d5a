"""Issue 18: what the specifications say to the letter, where flit_core 4.2 agrees
(a readme's byte-order mark, extras inside a requirement's brackets, PEP 794 names,
glob patterns with spaces). The refusals are in test_error_catalogue.py."""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers import (
    MINIMAL_PYPROJECT,
    build_editable,
    build_sdist,
    build_wheel,
    build_wheel_after_prepare,
    sdist_members,
    validate_wheel,
    wheel_members,
    write_project,
)

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


def test_a_submodule_listed_with_its_package_is_packed_once(
    tmp_path: Path, out: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # PEP 794 lets a project list a submodule whose parent it lists too.
    files = {
        "pyproject.toml": MINIMAL_PYPROJECT + 'import-names = ["demo", "demo.sub", "demo.data"]\n',
        "demo/__init__.py": "",
        "demo/sub.py": "",
        "demo/data/x.txt": "",
    }
    project = write_project(tmp_path / "p", files)
    wheel = build_wheel(project, out)
    assert validate_wheel(wheel).import_names == ["demo", "demo.sub", "demo.data"]
    assert sorted(m for m in wheel_members(wheel) if not m.startswith("demo-1.0.")) == [
        "demo/__init__.py",
        "demo/data/x.txt",
        "demo/sub.py",
    ]
    assert sorted(sdist_members(build_sdist(project, out))) == [
        "demo-1.0/PKG-INFO",
        "demo-1.0/demo/__init__.py",
        "demo-1.0/demo/data/x.txt",
        "demo-1.0/demo/sub.py",
        "demo-1.0/pyproject.toml",
    ]
    build_editable(project, out)
    assert "warning" not in capsys.readouterr().err


@pytest.mark.parametrize(
    ("listed", "missing"),
    [
        pytest.param('import-names = ["ns.a"]', "'ns'", id="parent"),
        pytest.param('import-names = ["a.b.c", "a"]', "'a.b'", id="middle"),
    ],
)
def test_a_dotted_name_without_the_names_above_it_is_built_with_a_warning(
    tmp_path: Path, out: Path, capsys: pytest.CaptureFixture[str], listed: str, missing: str
) -> None:
    files = {
        "pyproject.toml": MINIMAL_PYPROJECT + listed + "\n",
        "ns/a.py": "",
        "a/__init__.py": "",
        "a/b/c.py": "",
    }
    project = write_project(tmp_path / "p", files)
    build_wheel(project, out)
    name = listed.split('"')[1]
    assert (
        f"{W}pyproject.toml: [project] import-names[0]: {name!r} is listed without {missing};"
        " PEP 794 asks for every name above a dotted one: add it to [project] import-namespaces"
        " if other projects share it, or to import-names if this project alone provides it"
        " (the whole folder is then packed)"
    ) in capsys.readouterr().err


def test_a_project_whose_own_folder_is_a_namespace_package_may_declare_it(
    tmp_path: Path, out: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # PEP 794: Import-Namespace lists what the project provides, but not alone. A
    # PEP 420 folder is exactly that: other distributions may add their modules to it.
    pyproject = MINIMAL_PYPROJECT.replace('"demo"', '"acme"') + 'import-namespaces = ["acme"]\n'
    files = {"pyproject.toml": pyproject, "acme/sub.py": ""}
    project = write_project(tmp_path / "p", files)
    wheel = build_wheel(project, out)
    meta = validate_wheel(wheel)
    assert (meta.import_names, meta.import_namespaces) == (None, ["acme"])
    assert "acme/sub.py" in wheel_members(wheel)
    prepared = build_wheel_after_prepare(project, tmp_path / "pip")[1]
    assert wheel_members(prepared) == wheel_members(wheel)
    assert "no __init__.py" not in capsys.readouterr().err


def test_glob_patterns_with_spaces_take_the_files_they_name(tmp_path: Path, out: Path) -> None:
    # The pyproject specification allows spaces in license-files patterns; fletching's
    # other glob keys take them alike.
    pyproject = MINIMAL_PYPROJECT + (
        'license-files = ["LICENSES/Apache License 2.0.txt", "LICENSES/MIT *.txt"]\n'
        '[tool.fletching]\nsbom-files = ["sbom/my app.cdx.json", "sbom/vendored ?ibs/*.json"]\n'
        '[tool.fletching.sdist]\ninclude = ["docs/user guide.md", "docs/how to/*"]\n'
        'exclude = ["docs/how to/draft notes.md"]\n'
    )
    files = {
        "pyproject.toml": pyproject,
        "demo.py": "",
        "LICENSES/Apache License 2.0.txt": "Apache",
        "LICENSES/MIT License.txt": "MIT",
        "sbom/my app.cdx.json": "{}",
        "sbom/vendored libs/dep.json": "{}",
        "docs/user guide.md": "",
        "docs/how to/install it.md": "",
        "docs/how to/draft notes.md": "",
    }
    project = write_project(tmp_path / "p", files)
    wheel = build_wheel(project, out)
    assert validate_wheel(wheel).license_files == [
        "LICENSES/Apache License 2.0.txt",
        "LICENSES/MIT License.txt",
    ]
    assert sorted(m for m in wheel_members(wheel) if "/sboms/" in m) == [
        "demo-1.0.dist-info/sboms/dep.json",
        "demo-1.0.dist-info/sboms/my app.cdx.json",
    ]
    assert sorted(sdist_members(build_sdist(project, out))) == [
        f"demo-1.0/{path}" for path in sorted({*files, "PKG-INFO"} - {"docs/how to/draft notes.md"})
    ]
