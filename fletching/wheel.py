"""Build wheels (regular and editable) and the .dist-info folder."""

from __future__ import annotations

import base64
import csv
import hashlib
import io
from collections.abc import Iterable
from pathlib import Path

from . import archive, core_metadata
from .archive import Writer
from .config import Project
from .discovery import Tree, module_files, read_file


class RecordingWriter:
    """Passes members on to a writer and keeps their RECORD lines."""

    def __init__(self, writer: Writer) -> None:
        self.writer = writer
        self.rows: list[tuple[str, str, str]] = []
        self.names = archive.MemberNames()

    def add(self, arcname: str, data: bytes, executable: bool = False) -> None:
        self.names.add(arcname)
        digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
        self.rows.append((arcname, f"sha256={digest}", str(len(data))))
        self.writer.add(arcname, data, executable)

    def record(self, record_name: str) -> bytes:
        out = io.StringIO()
        rows = [*self.rows, (record_name, "", "")]
        csv.writer(out, lineterminator="\n").writerows(rows)
        return out.getvalue().encode("utf-8")


def wheel_name(project: Project) -> str:
    meta = project.metadata
    return f"{meta.file_name}-{meta.version}-{core_metadata.WHEEL_TAG}.whl"


def dist_info_files(project: Project) -> list[tuple[str, bytes]]:
    """Every file of the .dist-info folder but RECORD, sorted by path."""
    meta = project.metadata
    di = project.dist_info
    files = [
        (f"{di}/METADATA", core_metadata.render_metadata(meta).encode("utf-8")),
        (f"{di}/WHEEL", core_metadata.render_wheel_file().encode("utf-8")),
    ]
    entry_points = core_metadata.render_entry_points(meta)
    if entry_points is not None:
        files.append((f"{di}/entry_points.txt", entry_points.encode("utf-8")))
    for path in meta.license_files:
        files.append((f"{di}/licenses/{path}", read_file(project.root, path)[0]))
    return sorted(files)


def external_data_files(project: Project, tree: Tree) -> list[tuple[str, str]]:
    """(arcname, project-relative path) of [tool.flit.external-data] files."""
    directory = project.config.tool.external_data
    if directory is None:
        return []
    from .errors import ConfigError

    if not (project.root / directory).is_dir():
        raise ConfigError(
            f"{directory!r} is not a folder in the project",
            file="pyproject.toml",
            key=f"[{project.config.tool.table}.external-data] directory",
        )
    meta = project.metadata
    prefix = f"{meta.file_name}-{meta.version}.data/data/"
    return [(prefix + rel[len(directory) + 1 :], rel) for rel in tree.files_under(directory)]


def _write_files(out: RecordingWriter, root: Path, files: Iterable[tuple[str, str]]) -> None:
    for arcname, rel in sorted(files):
        out.add(arcname, *read_file(root, rel))


def write_wheel(project: Project, writer: Writer, *, editable: bool = False) -> None:
    """Add every member of the wheel to ``writer``, RECORD last."""
    out = RecordingWriter(writer)
    tree = Tree(project.root)
    module = project.module
    if editable:
        # The .pth puts the folder holding the module on sys.path, so edits are live.
        source = project.root / module.source_dir if module.source_dir else project.root
        pth_name = f"{module.name}.pth"  # named as flit names it
        out.add(pth_name, (str(source) + "\n").encode("utf-8"))
    else:
        _write_files(
            out, project.root, ((module.arcname(r), r) for r in module_files(tree, module))
        )
    _write_files(out, project.root, external_data_files(project, tree))
    for arcname, data in dist_info_files(project):
        out.add(arcname, data)
    record = f"{project.dist_info}/RECORD"
    writer.add(record, out.record(record))


def build_wheel(project: Project, output_dir: str, *, editable: bool = False) -> str:
    """Write the wheel atomically into ``output_dir``; return its file name."""
    directory = archive.ensure_output_dir(output_dir)
    name = wheel_name(project)
    timestamp = archive.build_timestamp()
    with archive.atomic_output(directory, name) as fileobj:
        with archive.ZipWriter(fileobj, timestamp) as writer:
            write_wheel(project, writer, editable=editable)
    return name


def prepare_metadata(project: Project, metadata_directory: str) -> str:
    """Write the wheel's .dist-info (without RECORD) into ``metadata_directory``."""
    directory = archive.ensure_output_dir(metadata_directory)
    writer = archive.DirWriter(directory)
    for arcname, data in dist_info_files(project):
        writer.add(arcname, data)
    return project.dist_info
