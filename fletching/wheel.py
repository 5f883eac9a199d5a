"""Build wheels (regular and editable) and the .dist-info folder."""

from __future__ import annotations

import base64
import os

from . import archive, compress, core_metadata
from .config import Project
from .inside import read_packed
from .selection import (
    Choice,
    explain,
    license_choices,
    sbom_choices,
    warn_left_out,
    wheel_choices,
)
from .tree import Tree


class RecordingWriter:
    """A writer around any other that keeps each member's RECORD line (path, sha256, size)
    as it passes the member on; ``close`` adds RECORD, the last member."""

    def __init__(self, writer: archive.Writer, record_name: str) -> None:
        self._writer = writer
        self._record_name = record_name
        self._rows: list[str] = []

    def add(self, name: str, data: bytes | compress.Deflated, *, executable: bool = False) -> None:
        if not isinstance(data, compress.Deflated):
            # Deflated here, hashed once: the zip writer would otherwise do both again.
            data = compress.deflate_member(data)
        digest = base64.urlsafe_b64encode(data.sha256).rstrip(b"=").decode()
        self._rows.append(f"{_csv_field(name)},sha256={digest},{data.size}\n")
        self._writer.add(name, data, executable=executable)

    def close(self) -> None:
        rows = [*self._rows, f"{_csv_field(self._record_name)},,\n"]
        self._writer.add(self._record_name, "".join(rows).encode("utf-8"))


def _csv_field(value: str) -> str:
    """Quote a RECORD path the way the csv module would, without importing it."""
    if any(ch in value for ch in ',"\r\n'):
        return '"' + value.replace('"', '""') + '"'
    return value


def wheel_name(project: Project) -> str:
    return f"{project.metadata.stem}-{core_metadata.WHEEL_TAG}.whl"


def dist_info_files(project: Project) -> list[tuple[str, bytes]]:
    """Every file of the .dist-info folder but RECORD, sorted by path."""
    di = project.dist_info
    if project.prepared is not None:
        return [(f"{di}/{rel}", data) for rel, data in project.prepared.files]
    meta = project.metadata
    files = [
        (f"{di}/METADATA", core_metadata.render_metadata(meta).encode("utf-8")),
        (f"{di}/WHEEL", core_metadata.render_wheel_file().encode("utf-8")),
    ]
    entry_points = core_metadata.render_entry_points(meta)
    if entry_points is not None:
        files.append((f"{di}/entry_points.txt", entry_points.encode("utf-8")))
    for choice in license_choices(project) + sbom_choices(project):
        assert choice.arcname is not None
        files.append((choice.arcname, read_packed(project.root, choice.path)[0]))
    return sorted(files)


def write_metadata(project: Project, writer: archive.Writer) -> None:
    """Add the .dist-info folder but RECORD: the wheel's, and prepare_metadata's."""
    for arcname, data in dist_info_files(project):
        writer.add(arcname, data)


def write_wheel(
    project: Project,
    writer: archive.Writer,
    tree: Tree,
    *,
    editable: bool = False,
    strict: tuple[str, str] | None = None,
    explaining: bool = False,
) -> None:
    """Add every member of the wheel to ``writer``, RECORD last.

    Files are read, hashed and deflated on the pool's threads and written in order.
    An editable wheel holds a .pth instead of the modules: flit's, putting the folders
    that hold them on sys.path, or with ``strict`` (the file and key that chose it) an
    import hook that finds only them.
    """
    recording = RecordingWriter(writer, f"{project.dist_info}/RECORD")
    out = archive.Checked(recording)
    choices = wheel_choices(project, tree, editable=editable)
    if not editable:
        warn_left_out(project, tree, choices)
    shown = choices
    if editable:
        hook_choices, hook_files = (
            _strict_hook(project, strict) if strict else _lenient_pth(project)
        )
        shown = [*hook_choices, *choices]
        for arcname, data in hook_files:
            out.add(arcname, data)
    if explaining:
        kind = "the editable wheel" if editable else "the wheel"
        rule = "from the .dist-info folder prepare_metadata wrote (PEP 517)"
        if project.prepared is not None:
            folder, prepared = project.prepared
            shown = [
                *shown,
                *(
                    Choice(f"{folder}/{rel}", f"{project.dist_info}/{rel}", rule)
                    for rel, _ in prepared
                ),
            ]
        explain(f"{kind} {wheel_name(project)}", shown, tree.skipped)
    # License and SBOM files go in with the rest of the .dist-info folder, below.
    dist_info = f"{project.dist_info}/"
    files = sorted(
        (c.arcname, c.path)
        for c in choices
        if c.arcname is not None and not c.arcname.startswith(dist_info)
    )

    root = str(project.root)
    # Every file of the scripts scheme is a program for bin/: executable, as setuptools
    # makes its scripts, whatever a checkout (on Windows, say) left of the mode.
    scripts = f"{project.metadata.stem}.data/scripts/"

    def prepare(item: tuple[str, str]) -> tuple[str, compress.Deflated, bool]:
        data, executable = tree.read(item[1])
        return item[0], compress.deflate_member(data), executable or item[0].startswith(scripts)

    size = compress.total_size(os.path.join(root, rel) for _, rel in files)
    with compress.executor(size) as pool:
        for arcname, member, executable in compress.ordered_map(pool, prepare, files):
            out.add(arcname, member, executable=executable)
    write_metadata(project, out)
    recording.close()


# What an editable wheel's hook is made from (for explaining), and its members.
HookFiles = tuple[list[Choice], list[tuple[str, bytes]]]


def _lenient_pth(project: Project) -> HookFiles:
    """flit's .pth (named as flit names it): the folders holding the modules go on
    sys.path, so edits are live, and anything else in those folders is importable too."""
    # Several modules in different layouts (flat and src) need each folder.
    sources = dict.fromkeys(
        str(project.root / m.source_dir if m.source_dir else project.root) for m in project.modules
    )
    pth = f"{project.module.name}.pth"
    rule = "editable install: the .pth adds this folder"
    data = "".join(f"{source}\n" for source in sources).encode()
    return [Choice(source, pth, rule) for source in sources], [(pth, data)]


def _strict_hook(project: Project, chosen_by: tuple[str, str]) -> HookFiles:
    """A generated import hook that maps each module's name to its source and nothing
    else: the folders around the modules stay off sys.path."""
    from ._validate import is_import_name
    from .editable import strict_files
    from .errors import ConfigError
    from .names import is_stubs

    for m in project.modules:
        if not is_stubs(m.name) and not is_import_name(m.name):
            # flit_core packs such a folder, but a finder can only map import names.
            raise ConfigError(
                f"{m.name!r} ({m.path}) is not an importable module name, so a strict editable"
                " install cannot make it importable; rename the module, or install it in the"
                ' lenient mode (the default: editable-mode = "lenient")',
                file=chosen_by[0],
                key=chosen_by[1],
            )
    modules = [(m.name, str(project.root / m.path), m.is_package) for m in project.modules]
    files = strict_files(project.metadata.file_name, modules)
    rule = "strict editable install: only this module is importable"
    hook = ", ".join(arcname for arcname, _ in files)
    return [Choice(str(project.root / m.path), hook, rule) for m in project.modules], files


def build_wheel(
    project: Project,
    output_dir: str,
    *,
    editable: bool = False,
    strict: tuple[str, str] | None = None,
    explaining: bool = False,
) -> str:
    """Write the wheel atomically into ``output_dir``; return its file name."""
    directory = archive.ensure_output_dir(output_dir)
    name = wheel_name(project)
    timestamp = archive.build_timestamp()
    with archive.atomic_output(directory, name) as fileobj:
        with archive.ZipWriter(fileobj, timestamp) as writer:
            # As for the sdist: an output folder inside the project is never packed
            # (it would hold this wheel's own temporary file, and older wheels).
            tree = Tree(project.root, skip=(directory,), generated=project.generated)
            write_wheel(
                project, writer, tree, editable=editable, strict=strict, explaining=explaining
            )
    return name


def prepare_metadata(project: Project, metadata_directory: str) -> str:
    """Write the wheel's .dist-info (without RECORD) into ``metadata_directory``."""
    directory = archive.ensure_output_dir(metadata_directory)
    write_metadata(project, archive.Checked(archive.DirWriter(directory)))
    return project.dist_info
