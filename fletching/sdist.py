"""Build the source distribution: the files a wheel needs, plus includes, minus excludes."""

from __future__ import annotations

from pathlib import Path

from . import archive, core_metadata
from .config import Project
from .discovery import Tree, module_files, pattern_matches, read_file
from .errors import ConfigError, raise_all
from .wheel import external_data_files


def sdist_name(project: Project) -> str:
    return f"{project.metadata.file_name}-{project.metadata.version}.tar.gz"


def required_files(project: Project, tree: Tree) -> set[str]:
    """Files the sdist must hold so that a wheel built from it equals one built from the tree."""
    meta = project.metadata
    files = {"pyproject.toml", *module_files(tree, project.module), *meta.license_files}
    files.update(rel for _, rel in external_data_files(project, tree))
    if meta.readme is not None and meta.readme.file is not None:
        files.add(meta.readme.file)
    return files


def sdist_files(project: Project, skip: tuple[Path, ...] = ()) -> list[str]:
    """Project-relative paths of every file in the sdist, sorted."""
    tree = Tree(project.root, skip)
    tool = project.config.tool
    required = required_files(project, tree)
    selected = set(required)
    for _key, pattern in tool.include:
        selected.update(tree.glob(pattern))
    errors = []
    for key, pattern in tool.exclude:
        dropped = {rel for rel in selected if pattern_matches(pattern, rel)}
        needed = sorted(dropped & required)
        if needed:
            shown = ", ".join(needed[:5]) + (", ..." if len(needed) > 5 else "")
            errors.append(
                ConfigError(
                    f"{pattern!r} excludes files the build needs ({shown}); a wheel built from "
                    "the sdist would differ from one built from the source tree. Narrow the "
                    "pattern, or move the files out of the package",
                    file="pyproject.toml",
                    key=key,
                )
            )
        selected -= dropped - required
    raise_all(errors)
    return sorted(selected)


def build_sdist(project: Project, output_dir: str) -> str:
    """Write the sdist atomically into ``output_dir``; return its file name."""
    directory = archive.ensure_output_dir(output_dir)
    name = sdist_name(project)
    top = f"{project.metadata.file_name}-{project.metadata.version}"
    files = sdist_files(project, skip=(directory,))
    pkg_info = core_metadata.render_metadata(project.metadata, sdist=True).encode("utf-8")
    # The generated PKG-INFO replaces any file of that name at the top.
    members: list[tuple[str, str | None]] = [(rel, rel) for rel in files if rel != "PKG-INFO"]
    members.append(("PKG-INFO", None))
    names = archive.MemberNames()
    for arcname, _ in members:
        names.add(arcname)
    timestamp = archive.build_timestamp()
    with archive.atomic_output(directory, name) as fileobj:
        with archive.TarWriter(fileobj, timestamp) as writer:
            for arcname, rel in sorted(members):
                if rel is None:
                    writer.add(f"{top}/{arcname}", pkg_info)
                else:
                    writer.add(f"{top}/{arcname}", *read_file(project.root, rel))
    return name
