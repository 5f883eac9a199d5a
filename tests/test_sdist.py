"""Sdists: file selection, PKG-INFO, tar format, and the sdist → wheel round trip."""

from __future__ import annotations

import gzip
import tarfile
from pathlib import Path

import pytest

from fletching.errors import ConfigError
from helpers import (
    MINIMAL_PYPROJECT,
    build_sdist,
    build_wheel,
    sdist_members,
    validate_sdist,
    write_project,
)

FILES = {
    "pyproject.toml": MINIMAL_PYPROJECT
    + 'readme = "README.md"\n\n[tool.flit.sdist]\n'
    + 'include = ["docs/", "tests/**/*.py", ".github/", "CHANGES.*"]\n'
    + 'exclude = ["docs/_build", "**/secret.py"]\n',
    "README.md": "# Demo\n",
    "LICENSE": "MIT",
    "COPYING.txt": "copy",
    "demo/__init__.py": '"""Demo."""\n',
    "demo/data.json": "{}",
    "docs/index.rst": "Docs",
    "docs/.nojekyll": "",
    "docs/_build/html/index.html": "<html>",
    "tests/test_a.py": "",
    "tests/unit/test_b.py": "",
    "tests/unit/secret.py": "",
    "tests/fixture.txt": "not matched by *.py",
    ".github/workflows/ci.yml": "on: push",
    "CHANGES.rst": "1.0",
    "setup.py": "not included",
    ".env": "SECRET=1",
}


def test_sdist_file_selection(tmp_path: Path, out: Path) -> None:
    sdist = build_sdist(write_project(tmp_path / "p", FILES), out)
    assert sdist.name == "demo-1.0.tar.gz"
    assert [m.split("/", 1)[1] for m in sdist_members(sdist)] == [
        ".github/workflows/ci.yml",
        "CHANGES.rst",
        "COPYING.txt",
        "LICENSE",
        "PKG-INFO",
        "README.md",
        "demo/__init__.py",
        "demo/data.json",
        "docs/.nojekyll",
        "docs/index.rst",
        "pyproject.toml",
        "tests/test_a.py",
        "tests/unit/test_b.py",
    ]
    metadata = validate_sdist(sdist)
    assert metadata.metadata_version == "2.4"
    assert metadata.license_files == ["COPYING.txt", "LICENSE"]


def test_default_sdist_holds_what_the_wheel_needs(tmp_path: Path, out: Path) -> None:
    files = dict(FILES, **{"pyproject.toml": MINIMAL_PYPROJECT + 'readme = "README.md"\n'})
    sdist = build_sdist(write_project(tmp_path / "p", files), out)
    assert [m.split("/", 1)[1] for m in sdist_members(sdist)] == [
        "COPYING.txt",
        "LICENSE",
        "PKG-INFO",
        "README.md",
        "demo/__init__.py",
        "demo/data.json",
        "pyproject.toml",
    ]


def test_tar_and_gzip_headers_are_clean(tmp_path: Path, out: Path) -> None:
    project = write_project(tmp_path / "p", FILES)
    (project / "demo" / "__init__.py").chmod(0o775)
    sdist = build_sdist(project, out)
    raw = sdist.read_bytes()
    assert raw[:4] == b"\x1f\x8b\x08\x00"  # gzip, deflate, no FNAME flag
    assert raw[4:8] == b"\x00\x00\x00\x00"  # no timestamp
    with tarfile.open(sdist) as tf:
        assert tf.format == tarfile.PAX_FORMAT
        for info in tf.getmembers():
            assert info.isfile()
            assert (info.uid, info.gid, info.uname, info.gname) == (0, 0, "", "")
            assert info.mtime == 315532800
            assert info.mode == (0o755 if info.name.endswith("__init__.py") else 0o644)
    assert gzip.decompress(raw)[:5] == b"demo-"


def test_wheel_from_sdist_equals_wheel_from_tree(tmp_path: Path, out: Path) -> None:
    project = write_project(tmp_path / "p", FILES)
    direct = build_wheel(project, tmp_path / "direct")
    sdist = build_sdist(project, out)
    with tarfile.open(sdist) as tf:
        tf.extractall(tmp_path / "unpacked", filter="data")
    unpacked = tmp_path / "unpacked" / "demo-1.0"
    again = build_wheel(unpacked, tmp_path / "again")
    assert direct.read_bytes() == again.read_bytes()
    # And the sdist rebuilt from its own contents is the same sdist.
    assert build_sdist(unpacked, tmp_path / "sdist2").read_bytes() == sdist.read_bytes()


def test_pkg_info_from_the_tree_is_replaced(tmp_path: Path, out: Path) -> None:
    files = dict(FILES, **{"PKG-INFO": "stale", "pyproject.toml": MINIMAL_PYPROJECT})
    files["pyproject.toml"] += '\n[tool.flit.sdist]\ninclude = ["PKG-INFO"]\n'
    members = sdist_members(build_sdist(write_project(tmp_path / "p", files), out))
    assert members["demo-1.0/PKG-INFO"].startswith(b"Metadata-Version: ")


@pytest.mark.parametrize(
    ("pattern", "needed"),
    [
        ("README.md", "README.md"),
        ("pyproject.toml", "pyproject.toml"),
        ("LICEN*", "LICENSE"),
        ("demo/__init__.py", "demo/__init__.py"),
        ("demo/*", "demo/__init__.py"),
    ],
)
def test_excluding_a_file_the_build_needs_is_an_error(
    tmp_path: Path, out: Path, pattern: str, needed: str
) -> None:
    files = dict(FILES)
    files["pyproject.toml"] = (
        MINIMAL_PYPROJECT + f'readme = "README.md"\n\n[tool.flit.sdist]\nexclude = ["{pattern}"]\n'
    )
    with pytest.raises(ConfigError) as info:
        build_sdist(write_project(tmp_path / "p", files), out)
    assert str(info.value).startswith(
        f"pyproject.toml: [tool.flit.sdist] exclude[0]: {pattern!r} excludes files the build "
        f"needs ({needed})"
    )
    assert list(out.iterdir()) == []


@pytest.mark.parametrize(
    ("pattern", "left_out"),
    [("demo/*.json", "demo/data.json"), ("data", "data/share/x.1")],
)
def test_excluding_package_or_external_data_warns_as_flit_core_drops_it(
    tmp_path: Path, out: Path, capsys: pytest.CaptureFixture[str], pattern: str, left_out: str
) -> None:
    files = dict(FILES, **{"data/share/x.1": ".TH"})
    files["pyproject.toml"] = (
        MINIMAL_PYPROJECT
        + '[tool.flit.external-data]\ndirectory = "data"\n'
        + f'[tool.flit.sdist]\nexclude = ["{pattern}"]\n'
    )
    members = sdist_members(build_sdist(write_project(tmp_path / "p", files), out))
    assert f"demo-1.0/{left_out}" not in members
    assert "demo-1.0/demo/__init__.py" in members
    assert capsys.readouterr().err == (
        f"fletching: warning: pyproject.toml: [tool.flit.sdist] exclude[0]: {pattern!r} leaves"
        f" files the wheel holds ({left_out}) out of the sdist, so a wheel built from the sdist"
        " will lack them; narrow the pattern, or move the files out of the package\n"
    )


def test_include_of_the_output_folder_is_skipped(tmp_path: Path) -> None:
    files = dict(FILES, **{"pyproject.toml": MINIMAL_PYPROJECT})
    files["pyproject.toml"] += '\n[tool.flit.sdist]\ninclude = ["*"]\n'
    project = write_project(tmp_path / "p", files)
    build_sdist(project, project / "dist")
    second = build_sdist(project, project / "dist")
    assert not [m for m in sdist_members(second) if "/dist/" in m]


def test_sdist_is_reproducible(tmp_path: Path) -> None:
    project = write_project(tmp_path / "p", FILES)
    assert build_sdist(project, tmp_path / "a").read_bytes() == (
        build_sdist(project, tmp_path / "b").read_bytes()
    )


def test_a_source_date_epoch_past_2107_is_kept_exactly_in_the_sdist(
    project: Path, out: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Only the wheel's zip must clamp it; a PAX tar holds any time."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "4354819200")
    with tarfile.open(build_sdist(project, out)) as tf:
        assert {member.mtime for member in tf.getmembers()} == {4354819200}
