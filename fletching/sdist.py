"""Build the source distribution: the files a wheel needs, plus includes, minus excludes."""

from __future__ import annotations

import os

from . import archive, compress, core_metadata
from .config import Project
from .discovery import Tree
from .inside import read_packed
from .selection import explain, sdist_choices, warn_left_out


def sdist_name(project: Project) -> str:
    return f"{project.metadata.stem}.tar.gz"


def build_sdist(project: Project, output_dir: str, *, explaining: bool = False) -> str:
    """Write the sdist atomically into ``output_dir``; return its file name."""
    directory = archive.ensure_output_dir(output_dir)
    name = sdist_name(project)
    top = project.metadata.stem
    tree = Tree(project.root, skip=(directory,))
    choices = sdist_choices(project, tree)
    warn_left_out(project, tree.skipped)
    if explaining:
        explain(f"the sdist {name}", choices, tree.skipped)
    members: list[tuple[str, str | None]] = [
        (c.path, c.path) for c in choices if c.arcname is not None
    ]
    members.append(("PKG-INFO", None))
    names = archive.MemberNames()
    for arcname, _ in members:
        names.add(arcname)
    pkg_info = core_metadata.render_metadata(project.metadata, sdist=True).encode("utf-8")
    timestamp = archive.build_timestamp()
    root = str(project.root)
    size = compress.total_size(os.path.join(root, rel) for _, rel in members if rel is not None)
    with compress.executor(size) as pool, archive.atomic_output(directory, name) as fileobj:
        with archive.TarWriter(fileobj, timestamp, pool) as writer:
            for arcname, rel in sorted(members):
                if rel is None:
                    writer.add(f"{top}/{arcname}", pkg_info)
                else:
                    writer.add(f"{top}/{arcname}", *read_packed(root, rel, tree.vetted))
    return name
