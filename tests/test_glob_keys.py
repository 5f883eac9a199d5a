"""license-files and sbom-files (issue 17): their globs never take a virtual
environment's, a JavaScript dependency's or a cache's files; each match keeps the key
that took it."""

from __future__ import annotations

from pathlib import Path

import pytest

from fletching.errors import FletchingError
from helpers import (
    MINIMAL_PYPROJECT,
    build_sdist,
    build_wheel,
    call_hook,
    sdist_members,
    validate_wheel,
    wheel_members,
    write_project,
)

W = "fletching: warning: "
L = "[project] license-files"
S = "[tool.fletching] sbom-files"
SBOM = "{}"
# What a project folder holds beside its own files once a developer has worked in it.
ENVIRONMENTS = {
    ".venv/pyvenv.cfg": "home = /usr/bin\n",
    ".venv/lib/python3.11/site-packages/dep-1.0.dist-info/sboms/dep.cdx.json": SBOM,
    ".venv/lib/python3.11/site-packages/dep-1.0.dist-info/licenses/LICENSE": "dep's licence",
    "env/pyvenv.cfg": "home = /usr/bin\n",
    "env/lib/python3.11/site-packages/other/LICENSE.txt": "other's licence",
    "node_modules/left-pad/package.cdx.json": SBOM,
    "node_modules/left-pad/LICENSE": "left-pad's licence",
    ".tox/py311/LICENSE.md": "a copy",
}


def test_sbom_globs_do_not_reach_into_environments(tmp_path: Path, out: Path) -> None:
    pyproject = MINIMAL_PYPROJECT + '[tool.fletching]\nsbom-files = ["**/*.cdx.json"]\n'
    files = {"pyproject.toml": pyproject, "demo.py": "", "sbom/app.cdx.json": SBOM}
    project = write_project(tmp_path / "p", {**files, **ENVIRONMENTS})
    wheel = [m for m in wheel_members(build_wheel(project, out)) if "/sboms/" in m]
    assert wheel == ["demo-1.0.dist-info/sboms/app.cdx.json"]
    sdist = [m for m in sdist_members(build_sdist(project, out)) if m.endswith(".cdx.json")]
    assert sdist == ["demo-1.0/sbom/app.cdx.json"]


def test_an_sbom_glob_that_matches_only_inside_an_environment_matches_nothing(
    tmp_path: Path, out: Path
) -> None:
    pyproject = MINIMAL_PYPROJECT + '[tool.fletching]\nsbom-files = ["**/*.cdx.json"]\n'
    project = write_project(tmp_path / "p", {"pyproject.toml": pyproject, "demo.py": ""})
    write_project(project, ENVIRONMENTS)
    with pytest.raises(FletchingError) as info:
        build_wheel(project, out)
    assert str(info.value) == (
        "pyproject.toml: [tool.fletching] sbom-files[0]: '**/*.cdx.json' matches no file of the"
        " project; it matches only inside .venv/ (virtual environment, never packed),"
        " node_modules/ (cache or tool folder, never packed), which sbom-files never reaches"
    )


def test_license_globs_leave_environments_out_with_a_warning(
    tmp_path: Path, out: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pyproject = MINIMAL_PYPROJECT + 'license-files = ["LICENSE", "**/LICENSE*"]\n'
    files = {"pyproject.toml": pyproject, "demo.py": "", "LICENSE": "MIT"}
    project = write_project(tmp_path / "p", {**files, **ENVIRONMENTS})
    meta = validate_wheel(build_wheel(project, out))
    assert meta.license_files == ["LICENSE"]
    err = capsys.readouterr().err
    for path, reason in (
        (".tox/py311/LICENSE.md", ".tox/ (cache or tool folder, never packed)"),
        (
            ".venv/lib/python3.11/site-packages/dep-1.0.dist-info/licenses/LICENSE",
            ".venv/ (virtual environment, never packed)",
        ),
        (
            "env/lib/python3.11/site-packages/other/LICENSE.txt",
            "env/ (virtual environment, never packed)",
        ),
        ("node_modules/left-pad/LICENSE", "node_modules/ (cache or tool folder, never packed)"),
    ):
        assert (
            f"{W}pyproject.toml: [project] license-files[1]: {path}: left out, although"
            f" '**/LICENSE*' matches it: it is inside {reason}, so it is not the project's"
            " licence (flit_core packs it); name the file outright to pack it" in err
        )
    sdist = sdist_members(build_sdist(project, out))
    assert not [m for m in sdist if "LICENSE" in m and m != "demo-1.0/LICENSE"]


def test_a_license_file_named_outright_inside_a_tool_folder_is_packed(
    tmp_path: Path, out: Path
) -> None:
    pyproject = MINIMAL_PYPROJECT + 'license-files = ["node_modules/left-pad/LICENSE"]\n'
    project = write_project(tmp_path / "p", {"pyproject.toml": pyproject, "demo.py": ""})
    write_project(project, ENVIRONMENTS)
    meta = validate_wheel(build_wheel(project, out))
    assert meta.license_files == ["node_modules/left-pad/LICENSE"]


def test_each_match_keeps_the_key_that_took_it(
    tmp_path: Path, out: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pyproject = MINIMAL_PYPROJECT + (
        'license-files = ["LICENSES/*.txt", "LICENSES/MIT*"]\n'
        '[tool.fletching]\nsbom-files = ["a.cdx.json", "*.cdx.json"]\n'
    )
    files = {
        "pyproject.toml": pyproject,
        "demo.py": "",
        "LICENSES/MIT.txt": "MIT",
        "LICENSES/MIT.md": "MIT",
        "a.cdx.json": SBOM,
        "b.cdx.json": SBOM,
    }
    project = write_project(tmp_path / "p", files)

    call_hook(project, "build_wheel", str(out), {"explain": "true"})
    lines = {line.strip() for line in capsys.readouterr().err.splitlines()}
    di = "demo-1.0.dist-info"
    assert {
        f"+ LICENSES/MIT.md -> {di}/licenses/LICENSES/MIT.md  [{L}[1] 'LICENSES/MIT*']",
        f"+ LICENSES/MIT.txt -> {di}/licenses/LICENSES/MIT.txt  [{L}[0] 'LICENSES/*.txt']",
        f"+ a.cdx.json -> {di}/sboms/a.cdx.json  [{S}[0] 'a.cdx.json']",
        f"+ b.cdx.json -> {di}/sboms/b.cdx.json  [{S}[1] '*.cdx.json']",
    } <= lines


def test_a_license_glob_takes_the_files_it_matches_not_the_folders(
    tmp_path: Path, out: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # PEP 639: each entry matches files; flit_core's pathlib glob skips the folders it
    # matches, and so the files below them. A trailing '**' takes everything below.
    pyproject = MINIMAL_PYPROJECT + 'license-files = ["licenses/*", "more/**"]\n'
    files = {
        "pyproject.toml": pyproject,
        "demo.py": "",
        "licenses/MIT.txt": "MIT",
        "licenses/vendored/BSD.txt": "BSD",
        "more/a/b.txt": "x",
    }
    meta = validate_wheel(build_wheel(write_project(tmp_path / "p", files), out))
    assert meta.license_files == ["licenses/MIT.txt", "more/a/b.txt"]
    # The folder a wildcard matches is named, since earlier fletchings took its files.
    assert (
        "fletching: warning: pyproject.toml: [project] license-files[0]: 'licenses/*' matches"
        " the folder licenses/vendored/ too, whose files it does not take (PEP 639: an entry"
        ' matches files); add "licenses/vendored/*" to license-files to take them'
    ) in capsys.readouterr().err.splitlines()
