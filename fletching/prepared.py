"""A project built from the ``.dist-info`` folder that prepare_metadata_for_build_*
wrote: the wheel carries exactly that metadata (PEP 517), and [project] is not
validated a second time."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, NamedTuple

from . import __version__
from .config import Project, check_external_data, generate, read_pyproject
from .errors import BuildError, NotPrepared
from .locate import locate_modules
from .version_file import version_file_path

if TYPE_CHECKING:
    from pathlib import Path


class Prepared(NamedTuple):
    """The .dist-info folder prepare_metadata_for_build_* wrote, handed back by a frontend."""

    folder: str
    files: tuple[tuple[str, bytes], ...]  # (path inside the folder, bytes), sorted


def load_prepared(root: Path, metadata_directory: str) -> Project:
    """The project for build_wheel/build_editable from the .dist-info folder that
    prepare_metadata_for_build_* wrote earlier in the same build.

    PEP 517 requires the wheel to carry exactly that metadata. Reusing it also skips
    validating [project] a second time, which (importing packaging) is most of the
    time a small build takes. Only what choosing the files needs is read here: the
    tool table and the name the module is found by. Raises NotPrepared when this
    version of fletching did not write the folder.
    """
    folder = os.fspath(metadata_directory)
    stem, _, suffix = os.path.basename(os.path.normpath(folder)).rpartition(".")
    # Neither the normalised name nor the normal-form version contains '-'.
    file_name, _, version = stem.rpartition("-")
    if suffix != "dist-info" or not file_name or not version:
        raise NotPrepared("its name is not <name>-<version>.dist-info")
    try:
        files = _read_folder(folder, "")
    except (OSError, ValueError) as exc:  # ValueError: a NUL in the path
        raise NotPrepared(f"it cannot be read ({exc})") from exc
    found = dict(files)
    from .core_metadata import read_headers, render_wheel_file

    if found.get("WHEEL") != render_wheel_file().encode("utf-8") or "METADATA" not in found:
        raise NotPrepared(f"fletching {__version__} did not write it")
    headers = read_headers(found["METADATA"])
    root = root.resolve()
    data = read_pyproject(root)
    project = data.get("project")
    if not isinstance(project, dict) or not isinstance(name := project.get("name"), str):
        raise NotPrepared("pyproject.toml has no [project] name to check it against")
    if (headers.get("Name"), headers.get("Version")) != (name, version):
        raise BuildError(
            f"the metadata folder the frontend passed is for {headers.get('Name')!r} "
            f"{headers.get('Version')!r}, not for this project ({name!r}); it must be the "
            "folder prepare_metadata_for_build_wheel wrote for it (PEP 517)",
            file=folder,
        )
    from .partial import prepared_config

    config = prepared_config(name, file_name, version, data.get("tool", {}), project)
    check_external_data(root, config)
    modules = locate_modules(root, config)
    return Project(
        root,
        config,
        modules,
        config.metadata,
        Prepared(folder, files),
        generated=generate(root, version_file_path(config, modules), version),
    )


def _read_folder(folder: str, prefix: str) -> tuple[tuple[str, bytes], ...]:
    """Every file below ``folder`` but RECORD (the wheel gets its own), sorted by path.

    fletching writes only regular files and folders there; anything else means
    somebody else's folder."""
    files: list[tuple[str, bytes]] = []
    with os.scandir(folder) as entries:
        for entry in entries:
            rel = prefix + entry.name
            if entry.is_symlink():
                raise NotPrepared(f"{rel!r} is a symbolic link")
            if entry.is_dir() and rel != "RECORD":
                files += _read_folder(entry.path, rel + "/")
            elif entry.is_file():
                if rel != "RECORD":
                    with open(entry.path, "rb") as f:
                        files.append((rel, f.read()))
            else:
                raise NotPrepared(f"{rel!r} is not a regular file")
    return tuple(sorted(files))
