"""Deterministic archive writers behind one small interface, and atomic output.

Every build writes through ``Writer``: the zip (wheel), the tar (sdist) and the
folder (prepare_metadata) implement it, and so do the wrappers that check member
names (Checked), put members below a top folder (InFolder) or keep the wheel's
RECORD (wheel.RecordingWriter).

Reproducibility lives here: every member gets the same timestamp
(SOURCE_DATE_EPOCH, or 1980-01-01 when unset), mode 644 or 755, uid/gid 0 with
empty owner names; the tar is PAX and its gzip header carries no name and a
fixed time. Callers add members in sorted order.
"""

from __future__ import annotations

import contextlib
import os
import struct
import time
import unicodedata
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, TypeVar

from . import compress
from ._validate import control_character
from .errors import BuildError, ConfigError, warn

ZIP_EPOCH = 315532800  # 1980-01-01T00:00:00Z, the earliest time a zip can store
ZIP_LATEST = 4354819198  # 2107-12-31T23:59:58Z, the latest (7 bits of years, 2-second steps)
_ZIP64_LIMIT = 0xFFFFFFFF  # sizes and offsets from here on need ZIP64 records

TYPE_CHECKING = False
if TYPE_CHECKING:  # Protocol classes are slow to create; only the type checker needs them.
    from typing import Protocol

    class Writer(Protocol):
        """Where a build puts its members, in the order they are added.

        ``data`` is a member's bytes, or the member already deflated and hashed on a
        worker thread (compress.deflate_member), which the zip writer stores as it is.
        """

        def add(
            self, name: str, data: bytes | compress.Deflated, *, executable: bool = False
        ) -> None: ...


def build_timestamp() -> int:
    """SOURCE_DATE_EPOCH when set, else a fixed time, so builds are reproducible by default."""
    epoch = source_date_epoch()
    return ZIP_EPOCH if epoch is None else epoch


def source_date_epoch() -> int | None:
    """SOURCE_DATE_EPOCH, checked; None when it is unset or empty."""
    raw = os.environ.get("SOURCE_DATE_EPOCH")
    if raw is None or raw.strip() == "":
        return None
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
    elif control_character(name) is not None:
        problem = "contains a control character"
    else:
        try:
            name.encode("utf-8")
        except UnicodeEncodeError:
            problem = "is not valid UTF-8 (rename the file)"
    if problem:
        raise BuildError(f"cannot be stored in an archive: the name {problem}", file=repr(name))


class MemberNames:
    """Checks each member name of one archive: refuses a name given twice, and warns of
    two that collide where file systems fold names."""

    def __init__(self) -> None:
        self._seen: dict[str, str] = {}
        self._names: set[str] = set()
        self._expected: set[str] = set()

    def expect(self, names: Iterable[str]) -> None:
        """Check ``names`` now, in this order, before any member is read (the sdist knows
        them all at once); each is then added once more without a second check."""
        for name in names:
            self._check(name)
            self._expected.add(name)

    def add(self, name: str) -> None:
        if name in self._expected:
            self._expected.discard(name)
        else:
            self._check(name)

    def _check(self, name: str) -> None:
        check_member_name(name)
        if name in self._names:
            # A zip or tar that holds one name twice is read differently by different tools.
            raise BuildError("would be stored twice in the archive", file=name)
        self._names.add(name)
        folded = unicodedata.normalize("NFC", name).casefold()
        other = self._seen.setdefault(folded, name)
        if other != name:
            # flit_core packs both, and both are valid members; only the installed files
            # clash, and only on file systems that fold case or normalisation.
            warn(
                f"{name}: {other!r} and {name!r} differ only in case or Unicode"
                " normalisation; both are packed, but they overwrite each other when"
                " installed on Windows or macOS: rename one"
            )


class Checked:
    """A writer that passes each member on once its name passes MemberNames: every build
    wraps its writer in one, the one place where member names are checked."""

    def __init__(self, writer: Writer, names: MemberNames | None = None) -> None:
        self._writer = writer
        self._names = MemberNames() if names is None else names

    def add(self, name: str, data: bytes | compress.Deflated, *, executable: bool = False) -> None:
        self._names.add(name)
        self._writer.add(name, data, executable=executable)


class InFolder:
    """A writer that puts each member below ``folder`` in ``writer`` (the sdist's top folder)."""

    def __init__(self, writer: Writer, folder: str) -> None:
        self._writer = writer
        self._prefix = f"{folder}/"

    def add(self, name: str, data: bytes | compress.Deflated, *, executable: bool = False) -> None:
        self._writer.add(self._prefix + name, data, executable=executable)


_W = TypeVar("_W", bound="_Closing")


class _Closing:
    """Finish the archive on the way out; after an error there is nothing to finish,
    since the caller throws the bytes away, and a second error would hide the first."""

    def close(self) -> None:
        raise NotImplementedError

    def __enter__(self: _W) -> _W:
        return self

    def __exit__(self, exc_type: object, *exc_info: object) -> None:
        if exc_type is None:
            self.close()


class ZipWriter(_Closing):
    """A minimal zip writer that takes members as bytes or already deflated (compress.py).

    Written by hand rather than with zipfile so that members can be compressed on
    several threads; every header field is fixed, so the bytes are reproducible.
    ZIP64 records are added only when sizes, offsets or the member count need them.
    """

    def __init__(self, fileobj: IO[bytes], timestamp: int) -> None:
        self._out = fileobj
        self._offset = 0
        self._central: list[bytes] = []
        # Clamped to what the DOS date fields can hold, as the sdist's tar need not be.
        clamped = min(max(timestamp, ZIP_EPOCH), ZIP_LATEST)
        year, month, day, hour, minute, second = time.gmtime(clamped)[:6]
        self._dos_time = (hour << 11) | (minute << 5) | (second // 2)
        self._dos_date = ((year - 1980) << 9) | (month << 5) | day

    def add(self, name: str, data: bytes | compress.Deflated, *, executable: bool = False) -> None:
        member = data if isinstance(data, compress.Deflated) else compress.deflate_member(data)
        encoded = name.encode("utf-8")
        flags = 0 if encoded.isascii() else 0x800  # bit 11: the name is UTF-8
        method = 8 if member.deflated else 0
        size, packed, offset = member.size, len(member.data), self._offset
        zip64 = max(size, packed, offset) >= _ZIP64_LIMIT
        version = 45 if zip64 else 20
        local_extra = struct.pack("<HHQQ", 1, 16, size, packed) if zip64 else b""
        sizes = (0xFFFFFFFF, 0xFFFFFFFF) if zip64 else (packed, size)
        local = struct.pack(
            "<IHHHHHIIIHH", 0x04034B50, version, flags, method, self._dos_time, self._dos_date,
            member.crc, *sizes, len(encoded), len(local_extra),
        )  # fmt: skip
        self._out.write(local + encoded + local_extra)
        self._out.write(member.data)
        self._offset += len(local) + len(encoded) + len(local_extra) + packed
        central_extra = struct.pack("<HHQQQ", 1, 24, size, packed, offset) if zip64 else b""
        mode = 0o100755 if executable else 0o100644
        header = struct.pack(
            "<IHHHHHHIIIHHHHHII", 0x02014B50, (3 << 8) | version, version, flags, method,
            self._dos_time, self._dos_date, member.crc, *sizes, len(encoded),
            len(central_extra), 0, 0, 0, mode << 16, 0xFFFFFFFF if zip64 else offset,
        )  # fmt: skip
        self._central.append(header + encoded + central_extra)

    def close(self) -> None:
        start = self._offset
        directory = b"".join(self._central)
        self._out.write(directory)
        count, length = len(self._central), len(directory)
        if max(start, length) >= _ZIP64_LIMIT or count >= 0xFFFF:
            end64 = self._offset + length
            record = struct.pack(
                "<IQHHIIQQQQ", 0x06064B50, 44, 45, 45, 0, 0, count, count, length, start
            )
            self._out.write(record + struct.pack("<IIQI", 0x07064B50, 0, end64, 1))
            count, length, start = 0xFFFF, 0xFFFFFFFF, 0xFFFFFFFF
        self._out.write(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, count, count, length, start, 0))


class TarWriter(_Closing):
    """A PAX tar stream, gzip-compressed in parallel blocks (compress.ParallelGzip)."""

    def __init__(
        self, fileobj: IO[bytes], timestamp: int, pool: compress.Pool = compress.INLINE
    ) -> None:
        self._gzip = compress.ParallelGzip(fileobj, pool)
        self._timestamp = timestamp
        self._length = 0

    def _write(self, data: bytes) -> None:
        self._gzip.write(data)
        self._length += len(data)

    def add(self, name: str, data: bytes | compress.Deflated, *, executable: bool = False) -> None:
        import tarfile  # only sdists need it

        data = compress.contents(data)
        info = tarfile.TarInfo(name)
        info.size = len(data)
        info.mtime = self._timestamp
        info.mode = 0o755 if executable else 0o644
        info.uid = info.gid = 0
        info.uname = info.gname = ""
        self._write(info.tobuf(tarfile.PAX_FORMAT, "utf-8", "surrogateescape"))
        self._write(data)
        padding = -len(data) % 512
        if padding:
            self._write(b"\0" * padding)

    def close(self) -> None:
        # Two empty blocks end the archive; tar pads it to a whole record, as tarfile does.
        end = 2 * 512
        end += -(self._length + end) % (20 * 512)
        self._write(b"\0" * end)
        self._gzip.close()


class DirWriter:
    """Writes members as files below a folder (for prepare_metadata_*); the metadata
    files it gets are never executable, so it leaves modes to the umask."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def add(self, name: str, data: bytes | compress.Deflated, *, executable: bool = False) -> None:
        target = self.root / name
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(compress.contents(data))
        except OSError as exc:
            raise BuildError(
                f"cannot write {name}: {exc.strerror or exc}", file=str(self.root)
            ) from exc


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
