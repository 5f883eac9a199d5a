"""The one way fletching reads a project's files: never through a link leading out of it.

Everything that goes into an artefact or into metadata (pyproject.toml, the module,
the readme, licence files, external data, sdist includes) is read by ``read_inside``.
"""

from __future__ import annotations

import os
import stat

from .errors import BuildError

# get_requires_for_build_* reads pyproject.toml through here: pathlib (with re and
# urllib.parse) would double that hook's time, for annotations only.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Container
    from pathlib import Path


def leads_out(root: Path | str, relpath: str) -> bool:
    """Whether a path of the project is, or lies below, a link leading out of it."""
    real_root = os.path.realpath(root)
    # realpath never raises on a link loop; reading the file then reports it.
    real = os.path.realpath(os.path.join(root, relpath))
    return not (real == real_root or real.startswith(real_root.rstrip(os.sep) + os.sep))


def refuse_outside(root: Path | str, relpath: str) -> None:
    """Refuse a file or folder that is, or lies below, a symbolic link leading out of
    the project: fletching packs and reads nothing from outside it."""
    if not leads_out(root, relpath):
        return
    link = os.path.join(root, relpath)
    target = f" to {os.readlink(link)!r}" if os.path.islink(link) else " (through a linked folder)"
    raise BuildError(
        f"is a symbolic link{target}, outside the project; fletching never packs or reads "
        "files from outside the project directory: copy the file in instead",
        file=relpath,
    )


def read_inside(root: Path | str, relpath: str, vetted: Container[str] = ()) -> tuple[bytes, bool]:
    """A project file's bytes and whether any execute bit is set (archives store only 644
    or 755). ``vetted`` holds paths a walk of the project has already found inside it;
    any other path is checked first."""
    if relpath not in vetted:
        refuse_outside(root, relpath)
    # Plain os calls on a str path: this runs once per packed file, and pathlib's
    # parsing and a second lookup by name for the mode were a visible share of it.
    path = os.path.join(root, relpath)
    with open(path, "rb", buffering=0) as f:
        # Windows' stat (not fstat) marks .exe, .bat and .cmd files executable.
        mode = (os.stat(path) if os.name == "nt" else os.fstat(f.fileno())).st_mode
        data = f.read()
    return data, bool(mode & (stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH))


def read_packed(root: Path | str, relpath: str, vetted: Container[str] = ()) -> tuple[bytes, bool]:
    """``read_inside`` for a file being packed: an OS error names the file."""
    try:
        return read_inside(root, relpath, vetted)
    except OSError as exc:
        raise BuildError(f"cannot be read: {exc.strerror or exc}", file=relpath) from exc
