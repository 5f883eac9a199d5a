"""The one writer interface (archive.Writer): each writer that implements it, the wrappers
around it, and what each build adds through it, seen in memory without unpacking."""

from __future__ import annotations

import base64
import hashlib
import io
import os
import stat
import tarfile
import zipfile
from pathlib import Path

import pytest

from fletching import archive, compress, sdist, wheel
from fletching.config import Project, load_project
from fletching.errors import BuildError
from fletching.tree import Tree
from helpers import (
    MINIMAL_PYPROJECT,
    SAMPLES,
    build_sdist,
    build_wheel,
    call_hook,
    copy_tree,
    sdist_members,
    wheel_members,
    write_project,
)


class MemoryWriter:
    """Keeps each member's bytes and executable bit, by name, in the order added."""

    def __init__(self) -> None:
        self.members: dict[str, tuple[bytes, bool]] = {}

    def add(self, name: str, data: bytes | compress.Deflated, *, executable: bool = False) -> None:
        assert name not in self.members, name
        self.members[name] = (compress.contents(data), executable)


MEMBERS: dict[str, tuple[bytes, bool]] = {
    "pkg/__init__.py": (b"", False),
    "pkg/mod.py": (b"def f():\n    return 1\n" * 200, False),
    "pkg/run.sh": (b"#!/bin/sh\necho hi\n", True),
    "pkg/d\u00e9j\u00e0.txt": ("d\u00e9j\u00e0 vu".encode(), False),
    "pkg/noise.bin": (os.urandom(3000), False),  # deflate does not help: stored as it is
}


def add_all(writer: archive.Writer, *, deflated: bool) -> None:
    """Add MEMBERS, as bytes or as deflated on a worker thread."""
    for name, (data, executable) in MEMBERS.items():
        writer.add(name, compress.deflate_member(data) if deflated else data, executable=executable)


def zip_written(deflated: bool) -> bytes:
    out = io.BytesIO()
    with archive.ZipWriter(out, archive.ZIP_EPOCH) as writer:
        add_all(writer, deflated=deflated)
    return out.getvalue()


def tar_written(deflated: bool) -> bytes:
    out = io.BytesIO()
    with archive.TarWriter(out, 1700000000) as writer:
        add_all(writer, deflated=deflated)
    return out.getvalue()


def read_zip(raw: bytes) -> dict[str, tuple[bytes, bool]]:
    with zipfile.ZipFile(io.BytesIO(raw)) as zf:
        return {
            info.filename: (zf.read(info), bool((info.external_attr >> 16) & stat.S_IXUSR))
            for info in zf.infolist()
        }


def read_tar(raw: bytes) -> dict[str, tuple[bytes, bool]]:
    members = {}
    with tarfile.open(fileobj=io.BytesIO(raw)) as tf:
        for info in tf.getmembers():
            fileobj = tf.extractfile(info)
            assert fileobj is not None
            members[info.name] = (fileobj.read(), bool(info.mode & stat.S_IXUSR))
    return members


@pytest.mark.parametrize("deflated", [False, True], ids=["bytes", "deflated"])
def test_zip_writer_stores_what_was_added(deflated: bool) -> None:
    assert read_zip(zip_written(deflated)) == MEMBERS


@pytest.mark.parametrize("deflated", [False, True], ids=["bytes", "deflated"])
def test_tar_writer_stores_what_was_added(deflated: bool) -> None:
    assert read_tar(tar_written(deflated)) == MEMBERS


@pytest.mark.parametrize("deflated", [False, True], ids=["bytes", "deflated"])
def test_dir_writer_stores_what_was_added(tmp_path: Path, deflated: bool) -> None:
    add_all(archive.DirWriter(tmp_path), deflated=deflated)
    found = {
        path.relative_to(tmp_path).as_posix(): path.read_bytes()
        for path in tmp_path.rglob("*")
        if path.is_file()
    }
    # A metadata folder holds no executables: only the bytes are kept.
    assert found == {name: data for name, (data, _) in MEMBERS.items()}


@pytest.mark.parametrize("deflated", [False, True], ids=["bytes", "deflated"])
def test_memory_writer_stores_what_was_added_in_order(deflated: bool) -> None:
    writer = MemoryWriter()
    add_all(writer, deflated=deflated)
    assert list(writer.members.items()) == list(MEMBERS.items())


def test_a_member_is_the_same_archive_bytes_whether_added_as_bytes_or_deflated() -> None:
    # The wheel deflates its files on worker threads, its metadata on the way in.
    assert zip_written(deflated=True) == zip_written(deflated=False)
    assert tar_written(deflated=True) == tar_written(deflated=False)


@pytest.mark.parametrize("data", [b"", b"abc" * 1000, os.urandom(100)])
def test_contents_undoes_deflate_member(data: bytes) -> None:
    assert compress.contents(compress.deflate_member(data)) == data
    assert compress.contents(data) is data


def test_checked_passes_on_a_good_name_and_stops_a_bad_one() -> None:
    inner = MemoryWriter()
    writer = archive.Checked(inner)
    writer.add("demo/x.py", b"x", executable=True)
    for bad in ("../evil.py", "demo/x.py"):
        with pytest.raises(BuildError):
            writer.add(bad, b"y")
    # Nothing of a refused member reaches the writer below.
    assert inner.members == {"demo/x.py": (b"x", True)}


def test_checked_warns_of_names_that_differ_only_in_case(
    capsys: pytest.CaptureFixture[str],
) -> None:
    writer = archive.Checked(MemoryWriter())
    writer.add("demo/Read.txt", b"")
    writer.add("demo/read.txt", b"")
    assert "'demo/Read.txt' and 'demo/read.txt' differ only in case" in capsys.readouterr().err


def test_names_expected_up_front_are_checked_at_once_and_added_once() -> None:
    names = archive.MemberNames()
    names.expect(["a.py", "b.py"])
    writer = archive.Checked(MemoryWriter(), names)
    writer.add("b.py", b"")
    writer.add("a.py", b"")
    with pytest.raises(BuildError, match="would be stored twice"):
        writer.add("a.py", b"")
    with pytest.raises(BuildError, match="would be stored twice"):
        archive.MemberNames().expect(["c.py", "c.py"])
    with pytest.raises(BuildError, match="not a plain relative path"):
        archive.MemberNames().expect(["ok.py", "../no.py"])


def test_in_folder_puts_members_below_the_folder() -> None:
    inner = MemoryWriter()
    archive.InFolder(inner, "demo-1.0").add("demo/x.py", b"x", executable=True)
    assert inner.members == {"demo-1.0/demo/x.py": (b"x", True)}


def record_rows(members: dict[str, tuple[bytes, bool]], record: str) -> list[str]:
    rows = []
    for name, (data, _) in members.items():
        if name == record:
            continue
        digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
        quoted = f'"{name}"' if "," in name else name
        rows.append(f"{quoted},sha256={digest},{len(data)}\n")
    return [*rows, f"{record},,\n"]


def test_recording_writer_records_what_passes_and_writes_record_last() -> None:
    inner = MemoryWriter()
    recording = wheel.RecordingWriter(inner, "demo-1.0.dist-info/RECORD")
    recording.add("demo/a,b.py", b"first", executable=True)
    recording.add("demo/c.py", compress.deflate_member(b"second" * 100))
    assert list(inner.members) == ["demo/a,b.py", "demo/c.py"]
    recording.close()
    record, (text, executable) = list(inner.members.items())[-1]
    assert record == "demo-1.0.dist-info/RECORD"
    assert not executable
    assert text.decode().splitlines(keepends=True) == record_rows(inner.members, record)
    assert inner.members["demo/a,b.py"] == (b"first", True)


def sample(tmp_path: Path, name: str) -> Path:
    return copy_tree(SAMPLES / name, tmp_path / name)


def project_with_executable(tmp_path: Path) -> Path:
    root = write_project(
        tmp_path / "demo",
        {
            "pyproject.toml": MINIMAL_PYPROJECT + '\n[project.scripts]\ndemo = "demo:main"\n',
            "demo/__init__.py": "def main(): pass\n",
            "demo/tool.sh": "#!/bin/sh\n",
            "demo/data/table.csv": "a,b\n" * 50,
            "LICENSE": "MIT\n",
        },
    )
    (root / "demo" / "tool.sh").chmod(0o755)
    return root


PROJECTS = ["scripts-and-plugins", "license-files-subfolders", "external-data", "package-flat"]


def load(root: Path) -> tuple[Project, Tree]:
    project = load_project(root)
    return project, Tree(project.root)


@pytest.mark.parametrize("name", [*PROJECTS, "executable"])
def test_the_wheel_adds_what_the_built_wheel_holds_record_last(tmp_path: Path, name: str) -> None:
    root = project_with_executable(tmp_path) if name == "executable" else sample(tmp_path, name)
    project, tree = load(root)
    writer = MemoryWriter()
    wheel.write_wheel(project, writer, tree)
    record = f"{project.dist_info}/RECORD"
    names = list(writer.members)
    assert names[-1] == record
    in_dist_info = [n for n in names[:-1] if n.startswith(f"{project.dist_info}/")]
    assert names[:-1] == sorted(set(names[:-1]) - set(in_dist_info)) + sorted(in_dist_info)
    assert writer.members[record][0].decode().splitlines(keepends=True) == record_rows(
        writer.members, record
    )
    built = build_wheel(root, tmp_path / "out")
    assert wheel_members(built) == {n: data for n, (data, _) in writer.members.items()}
    with zipfile.ZipFile(built) as zf:
        modes = {i.filename: bool((i.external_attr >> 16) & stat.S_IXUSR) for i in zf.infolist()}
    assert modes == {n: executable for n, (_, executable) in writer.members.items()}
    if name == "executable":
        assert writer.members["demo/tool.sh"] == (b"#!/bin/sh\n", True)


def test_the_editable_wheel_adds_the_pth_first_and_records_it(tmp_path: Path) -> None:
    project, tree = load(project_with_executable(tmp_path))
    writer = MemoryWriter()
    wheel.write_wheel(project, writer, tree, editable=True)
    first, (data, _) = next(iter(writer.members.items()))
    assert first == "demo.pth"
    assert data == f"{project.root}\n".encode()
    record = f"{project.dist_info}/RECORD"
    assert list(writer.members)[-1] == record
    assert "demo.pth,sha256=" in writer.members[record][0].decode()
    assert not any(n.startswith("demo/") for n in writer.members)


@pytest.mark.parametrize("name", [*PROJECTS, "sdist-include-exclude", "executable"])
def test_the_sdist_adds_what_the_built_sdist_holds_in_order(tmp_path: Path, name: str) -> None:
    root = project_with_executable(tmp_path) if name == "executable" else sample(tmp_path, name)
    project, tree = load(root)
    files = sdist.sdist_files(project, tree)
    writer = MemoryWriter()
    sdist.write_sdist(project, writer, tree, files, b"PKG-INFO text")
    top = f"{project.metadata.stem}/"
    names = list(writer.members)
    assert names == sorted(names)
    assert f"{top}PKG-INFO" in names
    assert f"{top}pyproject.toml" in names
    assert all(n.startswith(top) for n in names)
    built = sdist_members(build_sdist(root, tmp_path / "out"))
    assert set(built) == set(names)
    for n, (data, executable) in writer.members.items():
        if n != f"{top}PKG-INFO":
            assert built[n] == data
            assert executable == bool((root / n[len(top) :]).stat().st_mode & 0o111)
    assert writer.members[f"{top}PKG-INFO"] == (b"PKG-INFO text", False)


def test_the_sdist_checks_its_member_names(tmp_path: Path) -> None:
    project, tree = load(project_with_executable(tmp_path))
    files = sdist.sdist_files(project, tree)
    writer = MemoryWriter()
    with pytest.raises(BuildError, match="would be stored twice"):
        sdist.write_sdist(project, writer, tree, [*files, files[0]], b"")


@pytest.mark.parametrize("name", PROJECTS)
def test_prepare_metadata_adds_the_wheel_dist_info_but_record(tmp_path: Path, name: str) -> None:
    root = sample(tmp_path, name)
    project, _ = load(root)
    writer = MemoryWriter()
    wheel.write_metadata(project, writer)
    added = {n: data for n, (data, executable) in writer.members.items() if not executable}
    assert list(added) == sorted(added) == list(writer.members)
    built = wheel_members(build_wheel(root, tmp_path / "out"))
    dist_info = f"{project.dist_info}/"
    assert added == {
        n: data
        for n, data in built.items()
        if n.startswith(dist_info) and n != f"{dist_info}RECORD"
    }
    folder = tmp_path / "metadata"
    folder.mkdir()
    assert call_hook(root, "prepare_metadata_for_build_wheel", str(folder)) == project.dist_info
    written = {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }
    assert written == added


def test_prepare_metadata_checks_names_as_the_wheel_does(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pyproject = MINIMAL_PYPROJECT + 'license-files = ["LICENSE", "license"]\n'
    root = write_project(
        tmp_path / "demo",
        {"pyproject.toml": pyproject, "demo/__init__.py": "", "LICENSE": "a\n", "license": "b\n"},
    )
    if not (root / "license").exists() or (root / "LICENSE").read_text() == "b\n":
        pytest.skip("this file system folds the names itself")
    folder = tmp_path / "metadata"
    folder.mkdir()
    call_hook(root, "prepare_metadata_for_build_wheel", str(folder))
    warning = capsys.readouterr().err
    pair = "'demo-1.0.dist-info/licenses/LICENSE' and 'demo-1.0.dist-info/licenses/license'"
    assert pair in warning
    build_wheel(root, tmp_path / "out")
    assert capsys.readouterr().err == warning
