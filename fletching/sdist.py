"""Build the source distribution: the files a wheel needs, plus includes, minus excludes."""

from __future__ import annotations

import os

from . import archive, compress, core_metadata
from .config import Project
from .selection import explain, sdist_choices, warn_left_out
from .tree import Tree


def sdist_name(project: Project) -> str:
    return f"{project.metadata.stem}.tar.gz"


def sdist_files(project: Project, tree: Tree, *, explaining: bool = False) -> list[str]:
    """The project files the sdist holds, sorted (each one's path is also its member name
    below the top folder); says what is left out, and why each file is in when asked."""
    choices = sdist_choices(project, tree)
    warn_left_out(project, tree, choices)
    if explaining:
        explain(f"the sdist {sdist_name(project)}", choices, tree.skipped)
    return [c.path for c in choices if c.arcname is not None]


def write_sdist(
    project: Project,
    writer: archive.Writer,
    tree: Tree,
    files: list[str],
    pkg_info: bytes,
    names: archive.MemberNames | None = None,
) -> None:
    """Add ``files`` and PKG-INFO to ``writer`` in sorted order, below the top folder.

    ``names`` are the member names when the caller checked them already (build_sdist
    checks them all before it reads a file).
    """
    out = archive.Checked(archive.InFolder(writer, project.metadata.stem), names)
    for arcname in sorted([*files, "PKG-INFO"]):
        if arcname == "PKG-INFO":
            out.add(arcname, pkg_info)
        else:
            data, executable = tree.read(arcname)
            out.add(arcname, data, executable=executable)


def build_sdist(project: Project, output_dir: str, *, explaining: bool = False) -> str:
    """Write the sdist atomically into ``output_dir``; return its file name."""
    directory = archive.ensure_output_dir(output_dir)
    name = sdist_name(project)
    tree = Tree(project.root, skip=(directory,), generated=project.generated)
    files = sdist_files(project, tree, explaining=explaining)
    names = archive.MemberNames()
    names.expect([*files, "PKG-INFO"])
    pkg_info = core_metadata.render_metadata(project.metadata, sdist=True).encode("utf-8")
    timestamp = archive.build_timestamp()
    root = str(project.root)
    size = compress.total_size(os.path.join(root, rel) for rel in files)
    with compress.executor(size) as pool, archive.atomic_output(directory, name) as fileobj:
        with archive.TarWriter(fileobj, timestamp, pool) as writer:
            write_sdist(project, writer, tree, files, pkg_info, names)
    return name
