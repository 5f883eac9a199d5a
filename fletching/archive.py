"""Deterministic archive writers behind one small interface, and atomic output.

Reproducibility lives here: every member gets the same timestamp
(SOURCE_DATE_EPOCH, or 1980-01-01 when unset), mode 644 or 755, uid/gid 0 with
empty owner names; the tar is PAX and its gzip header carries no name and a
fixed time. Callers add members in sorted order.
"""

from __future__ import annotations

import contextlib
import gzip
import io
import os
import tarfile
import time
import unicodedata
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Protocol, TypeVar

from .errors import BuildError, ConfigError

ZIP_EPOCH = 315532800  # 1980-01-01T00:00:00Z, the earliest time a zip can store
DEFAULT_EPOCH = ZIP_EPOCH


def build_timestamp(environ: dict[str, str] | os._Environ[str] = os.environ) -> int:
    """SOURCE_DATE_EPOCH when set, else a fixed time, so builds are reproducible by default."""
    raw = environ.get("SOURCE_DATE_EPOCH")
    if raw is None or raw.strip() == "":
        return DEFAULT_EPOCH
    try:
        value = int(raw.strip())
    except ValueError:
        value = -1
    if value < 0 or value > 253402300799:
        raise ConfigError(
            f"{raw!r} is not a Unix timestamp (a whole number of seconds, e.g. 1700000000)",
            file="environment",
            key="SOURCE_DATE_EPOCH",
        )
    return value


def check_member_name(name: str) -> None:
    """Refuse member names that could escape the archive root or not round-trip."""
    problem = None
    parts = name.split("/")
    if not name or name.startswith("/") or "\\" in name or any(p in ("", ".", "..") for p in parts):
        problem = "is not a plain relative path"
    elif any(ord(ch) < 32 or ord(ch) == 127 for ch in name):
        problem = "contains a control character"
    else:
        try:
            name.encode("utf-8")
        except UnicodeEncodeError:
            problem = "is not valid UTF-8 (rename the file)"
    if problem:
        raise BuildError(f"cannot be stored in an archive: the name {problem}", file=repr(name))


class MemberNames:
    """Checks each member name, and that no two collide where file systems fold names."""

    def __init__(self) -> None:
        self._seen: dict[str, str] = {}

    def add(self, name: str) -> None:
        check_member_name(name)
        folded = unicodedata.normalize("NFC", name).casefold()
        other = self._seen.setdefault(folded, name)
        if other != name:
            raise BuildError(
                f"{other!r} and {name!r} differ only in case or Unicode normalisation; "
                "they would overwrite each other when installed on Windows or macOS: rename one",
                file=name,
            )


class Writer(Protocol):
    """Where builders put archive members (the path is relative to the archive root)."""

    def add(self, arcname: str, data: bytes, executable: bool = False) -> None: ...


class _Closing:
    """Close the archive on the way out, error or not, so no half-open object is left
    for the garbage collector; on error the caller throws the bytes away anyway."""

    def close(self) -> None:
        raise NotImplementedError

    def __enter__(self: _W) -> _W:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


_W = TypeVar("_W", bound=_Closing)


class ZipWriter(_Closing):
    def __init__(self, fileobj: IO[bytes], timestamp: int) -> None:
        self._zip = zipfile.ZipFile(fileobj, "w", compression=zipfile.ZIP_DEFLATED)
        self._date_time = time.gmtime(max(timestamp, ZIP_EPOCH))[:6]

    def add(self, arcname: str, data: bytes, executable: bool = False) -> None:
        info = zipfile.ZipInfo(arcname, date_time=self._date_time)
        info.compress_type = zipfile.ZIP_DEFLATED
        info.create_system = 3  # Unix, so that the mode below is honoured
        info.external_attr = (0o100755 if executable else 0o100644) << 16
        self._zip.writestr(info, data)

    def close(self) -> None:
        self._zip.close()


class TarWriter(_Closing):
    def __init__(self, fileobj: IO[bytes], timestamp: int) -> None:
        self._gzip = gzip.GzipFile(
            filename="", mode="wb", fileobj=fileobj, compresslevel=6, mtime=0
        )
        self._tar = tarfile.open(fileobj=self._gzip, mode="w", format=tarfile.PAX_FORMAT)  # noqa: SIM115
        self._timestamp = timestamp

    def add(self, arcname: str, data: bytes, executable: bool = False) -> None:
        info = tarfile.TarInfo(arcname)
        info.size = len(data)
        info.mtime = self._timestamp
        info.mode = 0o755 if executable else 0o644
        info.uid = info.gid = 0
        info.uname = info.gname = ""
        self._tar.addfile(info, io.BytesIO(data))

    def close(self) -> None:
        self._tar.close()
        self._gzip.close()


class DirWriter:
    """Writes members as files below a folder (for prepare_metadata_*)."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def add(self, arcname: str, data: bytes, executable: bool = False) -> None:
        target = self.root / arcname
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)


def ensure_output_dir(directory: str | os.PathLike[str]) -> Path:
    path = Path(directory)
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise BuildError(
            f"cannot create the output folder: {exc.strerror}", file=str(path)
        ) from exc
    if not os.access(path, os.W_OK):
        raise BuildError("the output folder is not writable", file=str(path))
    return path


@contextlib.contextmanager
def atomic_output(directory: Path, basename: str) -> Iterator[IO[bytes]]:
    """A temporary file in ``directory`` that replaces ``basename`` only on success.

    On any error the temporary file is removed and an existing ``basename`` is left
    as it was; an OS error (a full disk, a vanished folder) becomes a BuildError.
    """
    target = directory / basename
    tmp = directory / f".{basename}.{os.urandom(6).hex()}.part"
    try:
        # Created like any new file (0666 less the umask), unlike mkstemp's 0600.
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)
    except OSError as exc:
        raise BuildError(
            f"cannot write in the output folder: {exc.strerror}", file=str(directory)
        ) from exc
    try:
        with os.fdopen(fd, "wb") as fileobj:
            yield fileobj
        os.replace(tmp, target)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(exc, OSError):
            raise BuildError(
                f"cannot write {basename}: {exc.strerror or exc}", file=str(directory)
            ) from exc
        raise
