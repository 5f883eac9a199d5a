"""Wheels: contents, RECORD, dist-info, editable installs, reproducibility."""

from __future__ import annotations

import hashlib
import os
import stat
import time
import zipfile
from pathlib import Path
from typing import Any

import pytest

from fletching import inside
from fletching.errors import BuildError, ConfigError
from helpers import (
    MINIMAL_PYPROJECT,
    build_editable,
    build_sdist,
    build_wheel,
    call_hook,
    sdist_members,
    validate_wheel,
    wheel_members,
    write_project,
)

PACKAGE: dict[str, str | bytes] = {
    "pyproject.toml": MINIMAL_PYPROJECT
    + 'license = "MIT"\n\n[project.scripts]\ndemo = "demo.cli:main"\n',
    "LICENSE": "MIT",
    "demo/__init__.py": '"""Demo."""\n',
    "demo/cli.py": "def main() -> None:\n    print('hi')\n",
    "demo/py.typed": "",
    "demo/data/table.json": "{}",
    "demo/.hidden": "kept, as flit keeps it",
    "demo/__pycache__/cli.cpython-311.pyc": b"\x00",
    "demo/stale.pyc": b"\x00",
    "tests/test_demo.py": "",
}


def test_wheel_contents(tmp_path: Path, out: Path) -> None:
    project = write_project(tmp_path / "p", PACKAGE)
    wheel = build_wheel(project, out)
    assert wheel.name == "demo-1.0-py3-none-any.whl"
    assert list(wheel_members(wheel)) == [
        "demo/.hidden",
        "demo/__init__.py",
        "demo/cli.py",
        "demo/data/table.json",
        "demo/py.typed",
        "demo-1.0.dist-info/METADATA",
        "demo-1.0.dist-info/WHEEL",
        "demo-1.0.dist-info/entry_points.txt",
        "demo-1.0.dist-info/licenses/LICENSE",
        "demo-1.0.dist-info/RECORD",
    ]
    metadata = validate_wheel(wheel)
    assert metadata.license_files == ["LICENSE"]


def test_record_lists_every_member_with_its_hash(tmp_path: Path, out: Path) -> None:
    wheel = build_wheel(write_project(tmp_path / "p", PACKAGE), out)
    members = wheel_members(wheel)
    record = members.pop("demo-1.0.dist-info/RECORD").decode().splitlines()
    assert record[-1] == "demo-1.0.dist-info/RECORD,,"
    for line in record[:-1]:
        path, digest, size = line.split(",")
        data = members.pop(path)
        assert size == str(len(data))
        expected = hashlib.sha256(data).digest()
        import base64

        assert digest == "sha256=" + base64.urlsafe_b64encode(expected).rstrip(b"=").decode()
    assert members == {}


def test_zip_entries_are_normalised(tmp_path: Path, out: Path) -> None:
    project = write_project(tmp_path / "p", PACKAGE)
    script = project / "demo" / "cli.py"
    script.chmod(script.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP)
    (project / "demo" / "py.typed").chmod(0o600)
    with zipfile.ZipFile(build_wheel(project, out)) as zf:
        for info in zf.infolist():
            assert info.date_time == (1980, 1, 1, 0, 0, 0)
            assert info.create_system == 3
            # Deflated unless that would make the member bigger (tiny files).
            deflated = info.compress_type == zipfile.ZIP_DEFLATED
            assert deflated or info.compress_type == zipfile.ZIP_STORED
            assert deflated == (info.compress_size < info.file_size), info.filename
            mode = info.external_attr >> 16
            expected = 0o100755 if info.filename == "demo/cli.py" else 0o100644
            assert mode == expected, info.filename


@pytest.mark.parametrize(
    ("epoch", "date_time"),
    [
        ("1700000000", (2023, 11, 14, 22, 13, 20)),
        ("0", (1980, 1, 1, 0, 0, 0)),
        # Past what a zip's DOS date can hold: the latest time it can.
        ("4354819200", (2107, 12, 31, 23, 59, 58)),
        ("253402300799", (2107, 12, 31, 23, 59, 58)),
    ],
)
def test_source_date_epoch_sets_every_timestamp(
    tmp_path: Path,
    out: Path,
    monkeypatch: pytest.MonkeyPatch,
    epoch: str,
    date_time: tuple[int, ...],
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch)
    with zipfile.ZipFile(build_wheel(write_project(tmp_path / "p", PACKAGE), out)) as zf:
        assert {info.date_time for info in zf.infolist()} == {date_time}


@pytest.mark.parametrize("epoch", ["yesterday", "-5", "1.5"])
def test_invalid_source_date_epoch_is_rejected(
    project: Path, out: Path, monkeypatch: pytest.MonkeyPatch, epoch: str
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch)
    with pytest.raises(ConfigError) as info:
        build_wheel(project, out)
    assert str(info.value).startswith(f"environment: SOURCE_DATE_EPOCH: {epoch!r} is not a Unix")
    assert list(out.iterdir()) == []


def test_same_tree_gives_the_same_bytes_whatever_the_mtimes(tmp_path: Path) -> None:
    project = write_project(tmp_path / "p", PACKAGE)
    first = build_wheel(project, tmp_path / "a").read_bytes()
    for path in project.rglob("*"):
        os.utime(path, (time.time() - 86400 * 400, time.time() - 86400 * 400))
    second = build_wheel(project, tmp_path / "b").read_bytes()
    assert first == second


def test_prepare_metadata_writes_the_wheels_dist_info(tmp_path: Path, out: Path) -> None:
    project = write_project(tmp_path / "p", PACKAGE)
    wheel = build_wheel(project, out)
    metadata_dir = tmp_path / "meta"
    name = call_hook(project, "prepare_metadata_for_build_wheel", str(metadata_dir))
    assert name == "demo-1.0.dist-info"
    prepared = {
        p.relative_to(metadata_dir).as_posix(): p.read_bytes()
        for p in metadata_dir.rglob("*")
        if p.is_file()
    }
    in_wheel = {
        k: v for k, v in wheel_members(wheel).items() if ".dist-info/" in k and "RECORD" not in k
    }
    assert prepared == in_wheel
    assert call_hook(project, "prepare_metadata_for_build_editable", str(tmp_path / "m2")) == name


def test_output_folder_is_created(project: Path, tmp_path: Path) -> None:
    assert build_wheel(project, tmp_path / "new" / "dir").is_file()


def test_editable_wheel_points_at_the_source(tmp_path: Path, out: Path) -> None:
    project = write_project(tmp_path / "p", PACKAGE)
    wheel = build_editable(project, out)
    members = wheel_members(wheel)
    assert members["demo.pth"].decode() == f"{project.resolve()}\n"
    assert "demo/__init__.py" not in members
    assert "demo-1.0.dist-info/entry_points.txt" in members
    validate_wheel(wheel)


def test_editable_src_layout_exposes_only_src(tmp_path: Path, out: Path) -> None:
    project = write_project(
        tmp_path / "p", {"pyproject.toml": MINIMAL_PYPROJECT, "src/demo/__init__.py": ""}
    )
    members = wheel_members(build_editable(project, out))
    assert members["demo.pth"].decode() == f"{(project / 'src').resolve()}\n"


@pytest.mark.parametrize("directory", ["share", "./share/"])
def test_external_data(tmp_path: Path, out: Path, directory: str) -> None:
    project = write_project(
        tmp_path / "p",
        {
            "pyproject.toml": MINIMAL_PYPROJECT
            + f'\n[tool.flit.external-data]\ndirectory = "{directory}"\n',
            "demo.py": "",
            "share/man/man1/demo.1": ".TH DEMO 1",
            "share/applications/demo.desktop": "[Desktop Entry]",
        },
    )
    for wheel in (build_wheel(project, out), build_editable(project, tmp_path / "ed")):
        names = list(wheel_members(wheel))
        assert "demo-1.0.data/data/man/man1/demo.1" in names
        assert "demo-1.0.data/data/applications/demo.desktop" in names
    # The sdist keeps the folder, which a wheel built from it needs.
    assert "demo-1.0/share/man/man1/demo.1" in sdist_members(build_sdist(project, out))


def test_namespace_package_wheel(tmp_path: Path, out: Path) -> None:
    project = write_project(
        tmp_path / "p",
        {
            "pyproject.toml": MINIMAL_PYPROJECT.replace('"demo"', '"acme.tools"'),
            "src/acme/tools/__init__.py": "",
            "src/acme/other.py": "not ours",
        },
    )
    wheel = build_wheel(project, out)
    assert wheel.name == "acme_tools-1.0-py3-none-any.whl"
    assert [n for n in wheel_members(wheel) if not n.startswith("acme_tools-")] == [
        "acme/tools/__init__.py"
    ]


def test_stubs_package_wheel(tmp_path: Path, out: Path) -> None:
    project = write_project(
        tmp_path / "p",
        {
            "pyproject.toml": MINIMAL_PYPROJECT.replace('"demo"', '"demo-stubs"'),
            "demo-stubs/__init__.pyi": "def f() -> int: ...\n",
        },
    )
    wheel = build_wheel(project, out)
    assert wheel.name == "demo_stubs-1.0-py3-none-any.whl"
    assert "demo-stubs/__init__.pyi" in wheel_members(wheel)
    validate_wheel(wheel)


def test_failed_build_leaves_nothing_behind(
    tmp_path: Path, out: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = write_project(tmp_path / "p", PACKAGE)
    good = build_wheel(project, out)
    before = good.read_bytes()
    real_open = open

    def failing_open(path: str, *args: Any, **kwargs: Any) -> Any:
        if path.endswith("table.json"):  # halfway through the package
            raise OSError(5, "Input/output error")
        return real_open(path, *args, **kwargs)

    # inside.read_inside reads every packed file; the name shadows the builtin there.
    monkeypatch.setattr(inside, "open", failing_open, raising=False)
    with pytest.raises(BuildError) as info:
        build_wheel(project, out)
    assert str(info.value) == "demo/data/table.json: cannot be read: Input/output error"
    assert sorted(p.name for p in out.iterdir()) == [good.name]
    assert good.read_bytes() == before


def test_crlf_readme_gives_the_same_metadata_as_lf(tmp_path: Path) -> None:
    files: dict[str, str | bytes] = {
        "pyproject.toml": MINIMAL_PYPROJECT + 'readme = "README.txt"\n',
        "demo.py": "",
    }
    lf = write_project(tmp_path / "lf", {**files, "README.txt": b"Title\n=====\n\nBody\n"})
    crlf = write_project(
        tmp_path / "crlf", {**files, "README.txt": b"Title\r\n=====\r\n\r\nBody\r\n"}
    )
    one = build_wheel(lf, tmp_path / "a").read_bytes()
    assert one == build_wheel(crlf, tmp_path / "b").read_bytes()


def test_an_output_folder_inside_the_package_is_not_packed(tmp_path: Path) -> None:
    # Like the sdist: the folder would hold the wheel's own temporary file and the
    # wheels of earlier builds.
    project = write_project(tmp_path / "p", PACKAGE)
    build_wheel(project, project / "demo" / "dist")
    second = build_wheel(project, project / "demo" / "dist")
    assert not [name for name in wheel_members(second) if "dist/" in name.split(".dist-info")[0]]


@pytest.mark.parametrize(
    "keys",
    [
        "readme = 'docs\\README.md'",
        "readme = {file = 'docs\\README.md', content-type = 'text/markdown'}",
        "readme = './docs//README.md'",
    ],
)
def test_a_windows_or_unnormalised_readme_path_is_the_same_file(tmp_path: Path, keys: str) -> None:
    """A backslash works in every path key, as it already did in license-files."""
    files: dict[str, str | bytes] = {"demo.py": '"""Demo."""\n', "docs/README.md": "# Demo\n"}
    plain = MINIMAL_PYPROJECT + "readme = 'docs/README.md'\n"
    expected = build_wheel(
        write_project(tmp_path / "a", {**files, "pyproject.toml": plain}), tmp_path / "wa"
    )
    project = write_project(
        tmp_path / "b", {**files, "pyproject.toml": MINIMAL_PYPROJECT + keys + "\n"}
    )
    assert build_wheel(project, tmp_path / "wb").read_bytes() == expected.read_bytes()
    sdist = sdist_members(build_sdist(project, tmp_path / "sb"))
    assert "demo-1.0/docs/README.md" in sdist


def test_a_tool_folder_inside_the_package_is_left_out_with_a_warning(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """flit_core packs them (all but __pycache__): leaving them out is never silent."""
    project = write_project(
        tmp_path / "p",
        {
            **PACKAGE,
            "demo/.mypy_cache/3.11/demo.json": "{}",
            "demo/static/node_modules/lib/index.js": "",
            "demo/env/pyvenv.cfg": "home = /usr\n",
            "demo/__pycache__/x.cpython-311.pyc": b"",
            ".mypy_cache/top.json": "{}",  # outside the package: flit_core skips it too
        },
    )
    wheel = wheel_members(build_wheel(project, tmp_path / "w"))
    sdist = sdist_members(build_sdist(project, tmp_path / "s"))
    for members in (wheel, sdist):
        assert not [n for n in members if "_cache" in n or "node_modules" in n or "env/" in n]
    warnings = [line for line in capsys.readouterr().err.splitlines() if "warning" in line]
    expected = [
        "fletching: warning: demo/.mypy_cache/: left out of the package (cache or tool folder,"
        " never packed), although flit_core packs it; delete it, or move what the package"
        " needs out of it",
        "fletching: warning: demo/env/: left out of the package (virtual environment, never"
        " packed), although flit_core packs it; delete it, or move what the package needs out"
        " of it",
        "fletching: warning: demo/static/node_modules/: left out of the package (cache or tool"
        " folder, never packed), although flit_core packs it; delete it, or move what the"
        " package needs out of it",
    ]
    assert warnings == expected * 2  # once for the wheel, once for the sdist


def test_bytecode_and_tool_folders_flit_core_packs_are_left_out_aloud(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """flit_core packs .pyo files of the package, and everything of the external data
    but __pycache__: left out by fletching, never silently."""
    pyproject = MINIMAL_PYPROJECT + '\n[tool.flit.external-data]\ndirectory = "data"\n'
    files: dict[str, str | bytes] = {
        "pyproject.toml": pyproject,
        "demo/__init__.py": "",
        "demo/old.pyo": b"",
        "demo/new.pyc": b"",  # flit_core leaves .pyc out of the package too
        "data/share/x.pyc": b"",
        "data/share/.git/config": "",
        "data/share/__pycache__/y.pyc": b"",  # and __pycache__ everywhere
        "data/share/doc.txt": "",
    }
    project = write_project(tmp_path / "p", files)
    build_wheel(project, tmp_path / "w")
    warnings = [line for line in capsys.readouterr().err.splitlines() if "warning" in line]
    assert warnings == [
        "fletching: warning: data/share/.git/: left out of the external data (cache or tool"
        " folder, never packed), although flit_core packs it; delete it, or move the files"
        " to install out of it",
        "fletching: warning: data/share/x.pyc: left out of the external data (bytecode, never"
        " packed), although flit_core packs it; delete it, or move the files to install out"
        " of it",
        "fletching: warning: demo/old.pyo: left out of the package (bytecode, never packed),"
        " although flit_core packs it; delete it, or move what the package needs out of it",
    ]


def test_no_warning_for_a_folder_an_sdist_include_brings_back(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pyproject = MINIMAL_PYPROJECT + '\n[tool.flit.sdist]\ninclude = ["demo"]\n'
    files = {"pyproject.toml": pyproject, "demo/__init__.py": "", "demo/.mypy_cache/x": "{}"}
    sdist = sdist_members(build_sdist(write_project(tmp_path / "p", files), tmp_path / "s"))
    assert "demo-1.0/demo/.mypy_cache/x" in sdist
    assert "warning" not in capsys.readouterr().err
