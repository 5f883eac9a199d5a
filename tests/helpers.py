"""Shared helpers: sample projects, in-process hook calls and archive readers."""

from __future__ import annotations

import contextlib
import email.parser
import os
import shutil
import tarfile
import zipfile
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any, Callable

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = REPO / "examples"
SAMPLES = Path(__file__).resolve().parent / "samples"

MINIMAL_PYPROJECT = """\
[build-system]
requires = ["fletching"]
build-backend = "fletching.buildapi"

[project]
name = "demo"
version = "1.0"
description = "A demo project."
"""


def write_project(root: Path, files: Mapping[str, str | bytes]) -> Path:
    """Create files below ``root`` (parents made as needed) and return ``root``."""
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return root


def copy_tree(source: Path, target: Path) -> Path:
    shutil.copytree(source, target, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    return target


@contextlib.contextmanager
def chdir(path: Path) -> Iterator[None]:
    old = os.getcwd()
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(old)


def call_hook(project: Path, name: str, *args: Any) -> Any:
    """Call a fletching.buildapi hook in this process, from the project folder."""
    from fletching import buildapi

    hook: Callable[..., Any] = getattr(buildapi, name)
    with chdir(project):
        return hook(*args)


def build_wheel(project: Path, out: Path) -> Path:
    return out / str(call_hook(project, "build_wheel", str(out)))


def build_editable(project: Path, out: Path) -> Path:
    return out / str(call_hook(project, "build_editable", str(out)))


def build_sdist(project: Path, out: Path) -> Path:
    return out / str(call_hook(project, "build_sdist", str(out)))


def build_wheel_after_prepare(project: Path, workspace: Path) -> tuple[str, Path]:
    """As pip does: prepare_metadata_for_build_wheel, then build_wheel given its folder.
    Return the .dist-info folder's name and the wheel."""
    meta = workspace / "meta"
    meta.mkdir(parents=True)
    folder = str(call_hook(project, "prepare_metadata_for_build_wheel", str(meta)))
    out = workspace / "out"
    name = call_hook(project, "build_wheel", str(out), None, str(meta / folder))
    return folder, out / str(name)


def unpack_sdist(sdist: Path, target: Path) -> Path:
    """Unpack an sdist below ``target``; return its top folder, the project to rebuild."""
    with tarfile.open(sdist) as tf:
        tf.extractall(target, filter="data")
    return target / sdist.name[: -len(".tar.gz")]


def wheel_members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        return {info.filename: zf.read(info) for info in zf.infolist()}


def sdist_members(path: Path) -> dict[str, bytes]:
    out = {}
    with tarfile.open(path) as tf:
        for member in tf.getmembers():
            fileobj = tf.extractfile(member)
            assert fileobj is not None, member.name
            out[member.name] = fileobj.read()
    return out


def wheel_metadata_text(path: Path) -> str:
    members = wheel_members(path)
    # The wheel's own .dist-info is at the top; a package may ship others as data.
    (name,) = [n for n in members if n.endswith(".dist-info/METADATA") and n.count("/") == 1]
    return members[name].decode("utf-8")


def validated_metadata(text: str) -> Any:
    """Parse core metadata strictly: no email defects, packaging's validation passes."""
    from packaging.metadata import Metadata

    message = email.parser.Parser().parsestr(text)
    assert not message.defects, message.defects
    return Metadata.from_email(text, validate=True)


def validate_wheel(path: Path) -> Any:
    """Check a wheel as consumers do: file name, RECORD hashes, metadata. Return the metadata."""
    from installer.sources import WheelFile
    from packaging.utils import parse_wheel_filename

    parse_wheel_filename(path.name)
    with WheelFile.open(path) as source:
        source.validate_record()
    return validated_metadata(wheel_metadata_text(path))


def validate_sdist(path: Path) -> Any:
    """Check an sdist's name, layout and PKG-INFO. Return the metadata."""
    from packaging.utils import parse_sdist_filename

    _, version = parse_sdist_filename(path.name)
    top = path.name[: -len(".tar.gz")]
    members = sdist_members(path)
    assert all(m.startswith(top + "/") for m in members), sorted(members)
    with tarfile.open(path) as tf:
        for member in tf.getmembers():
            assert member.isfile(), member.name
            assert member.uid == member.gid == 0
            assert member.uname == member.gname == ""
    metadata = validated_metadata(members[f"{top}/PKG-INFO"].decode("utf-8"))
    assert str(metadata.version) == str(version)
    assert f"{top}/pyproject.toml" in members
    return metadata


def install_with_installer(
    wheel: Path, target: Path, interpreter: str = "/usr/bin/python3"
) -> None:
    """Install ``wheel`` with `installer`, each scheme into a folder of ``target`` named
    after it (purelib, scripts, headers, data...), after checking its RECORD."""
    from installer import install
    from installer.destinations import SchemeDictionaryDestination
    from installer.sources import WheelFile

    schemes = ("purelib", "platlib", "headers", "scripts", "data")
    destination = SchemeDictionaryDestination(
        {scheme: str(target / scheme) for scheme in schemes},
        interpreter=interpreter,
        script_kind="posix",
    )
    with WheelFile.open(wheel) as source:
        source.validate_record()
        install(source, destination, additional_metadata={})
