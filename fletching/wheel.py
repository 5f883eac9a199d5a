"""Build wheels (regular and editable) and the .dist-info folder."""

from __future__ import annotations

import base64
import csv
import hashlib
import io

from . import archive, core_metadata
from .archive import Writer
from .config import Project
from .discovery import Tree, read_file
from .selection import Choice, explain, license_choices, wheel_choices


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
    for choice in license_choices(project):
        assert choice.arcname is not None
        files.append((choice.arcname, read_file(project.root, choice.path)[0]))
    return sorted(files)


def write_wheel(
    project: Project, writer: Writer, *, editable: bool = False, explaining: bool = False
) -> None:
    """Add every member of the wheel to ``writer``, RECORD last."""
    out = RecordingWriter(writer)
    tree = Tree(project.root)
    choices = wheel_choices(project, tree, editable=editable)
    module = project.module
    # An editable wheel's .pth (named as flit names it) puts the folder holding the
    # module on sys.path, so edits to the source are live.
    source = project.root / module.source_dir if module.source_dir else project.root
    pth = Choice(str(source), f"{module.name}.pth", "editable install: the .pth adds this folder")
    if explaining:
        kind = "the editable wheel" if editable else "the wheel"
        shown = [pth, *choices] if editable else choices
        explain(f"{kind} {wheel_name(project)}", shown, tree.skipped)
    if editable:
        out.add(f"{module.name}.pth", (str(source) + "\n").encode("utf-8"))
    license_paths = {c.arcname for c in license_choices(project)}
    for choice in sorted(choices, key=lambda c: str(c.arcname)):
        if choice.arcname is not None and choice.arcname not in license_paths:
            out.add(choice.arcname, *read_file(project.root, choice.path))
    for arcname, data in dist_info_files(project):
        out.add(arcname, data)
    record = f"{project.dist_info}/RECORD"
    writer.add(record, out.record(record))


def build_wheel(
    project: Project, output_dir: str, *, editable: bool = False, explaining: bool = False
) -> str:
    """Write the wheel atomically into ``output_dir``; return its file name."""
    directory = archive.ensure_output_dir(output_dir)
    name = wheel_name(project)
    timestamp = archive.build_timestamp()
    with archive.atomic_output(directory, name) as fileobj:
        with archive.ZipWriter(fileobj, timestamp) as writer:
            write_wheel(project, writer, editable=editable, explaining=explaining)
    return name


def prepare_metadata(project: Project, metadata_directory: str) -> str:
    """Write the wheel's .dist-info (without RECORD) into ``metadata_directory``."""
    directory = archive.ensure_output_dir(metadata_directory)
    writer = archive.DirWriter(directory)
    for arcname, data in dist_info_files(project):
        writer.add(arcname, data)
    return project.dist_info
