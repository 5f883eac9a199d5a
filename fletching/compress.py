"""Deflate on every core, with output that does not depend on how many there are.

zlib and hashlib release the GIL, so threads give real parallelism here. Each
unit of work (a zip member, a block of the sdist's gzip stream) is compressed
independently and the results are written in their original order, so the
bytes are the same with one thread or sixteen.
"""

from __future__ import annotations

import contextlib
import os
import zlib
from collections import deque
from collections.abc import Iterable, Iterator
from typing import IO, Any, Callable, NamedTuple, TypeVar

LEVEL = 6
GZIP_BLOCK = 256 * 1024  # twice pigz's default: half the 32 KiB priming per byte
WINDOW = 32 * 1024  # deflate's window: each block is primed with this much history
PARALLEL_THRESHOLD = 1024 * 1024  # below this, starting threads costs more than it saves

T = TypeVar("T")
R = TypeVar("R")
R_co = TypeVar("R_co", covariant=True)

TYPE_CHECKING = False
if TYPE_CHECKING:  # Protocol classes are slow to create; only the type checker needs them.
    from typing import Protocol

    class Result(Protocol[R_co]):
        def result(self) -> R_co: ...

    class Pool(Protocol):
        """What the builders need of an executor (concurrent.futures' is one)."""

        def submit(self, fn: Callable[[T], R], arg: T, /) -> Result[R]: ...


def thread_count() -> int:
    """Threads to use: FLETCHING_THREADS when set, else one per available core."""
    configured = os.environ.get("FLETCHING_THREADS", "").strip()
    if configured.isdigit() and int(configured) > 0:
        return int(configured)
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return max(1, os.cpu_count() or 1)  # pragma: no cover - platforms without affinity


class _Done:
    """A result computed at once, shaped like a finished Future."""

    def __init__(self, fn: Callable[[Any], Any], arg: Any) -> None:
        self._error: BaseException | None = None
        try:
            self._value = fn(arg)
        except BaseException as exc:
            self._error = exc

    def result(self) -> Any:
        if self._error is not None:
            raise self._error
        return self._value


class _Inline:
    """Runs work at once in the calling thread: the single-core and small-input case,
    which then never imports concurrent.futures (and threading) at all."""

    def submit(self, fn: Callable[[T], R], arg: T, /) -> Result[R]:
        return _Done(fn, arg)


INLINE: Pool = _Inline()


def total_size(paths: Iterable[str]) -> int:
    """The files' total size, counted only until it reaches PARALLEL_THRESHOLD: enough to choose
    between threads and none without a stat per file of a large project."""
    total = 0
    for path in paths:
        try:
            total += os.stat(path).st_size
        except OSError:
            continue  # reading it reports the problem, with the file's name
        if total >= PARALLEL_THRESHOLD:
            break
    return total


@contextlib.contextmanager
def executor(total_bytes: int) -> Iterator[Pool]:
    """A thread pool when the input is big enough and there are cores to use."""
    threads = thread_count()
    if threads > 1 and total_bytes >= PARALLEL_THRESHOLD:
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(max_workers=threads, thread_name_prefix="fletching") as pool:
            yield pool
    else:
        yield INLINE


def ordered_map(pool: Pool, fn: Callable[[T], R], items: Iterable[T]) -> Iterator[R]:
    """``map`` that keeps a few results per thread pending, so memory stays bounded."""
    ahead = 4 * thread_count()
    pending: deque[Result[R]] = deque()
    for item in items:
        pending.append(pool.submit(fn, item))
        if len(pending) >= ahead:
            yield pending.popleft().result()
    while pending:
        yield pending.popleft().result()


class Deflated(NamedTuple):
    """A zip member's data, ready to write: compressed once, hashed once."""

    size: int
    crc: int
    sha256: bytes
    data: bytes  # raw deflate, or the original bytes when deflate does not help
    deflated: bool


def deflate_member(data: bytes) -> Deflated:
    # Only wheels hash their members (for RECORD): prepare_metadata and sdists never
    # load OpenSSL, which is a few milliseconds of every hook that imports hashlib.
    import hashlib

    compressor = zlib.compressobj(LEVEL, zlib.DEFLATED, -15)
    packed = compressor.compress(data) + compressor.flush()
    digest = hashlib.sha256(data).digest()
    crc = zlib.crc32(data)
    if len(packed) < len(data):
        return Deflated(len(data), crc, digest, packed, True)
    return Deflated(len(data), crc, digest, data, False)


def contents(data: bytes | Deflated) -> bytes:
    """A member's bytes, whether it comes as they are or deflated (for writers that
    store members uncompressed)."""
    if not isinstance(data, Deflated):
        return data
    return zlib.decompress(data.data, -15) if data.deflated else data.data


def _deflate_block(job: tuple[bytes, bytes]) -> bytes:
    block, history = job
    if history:
        compressor = zlib.compressobj(LEVEL, zlib.DEFLATED, -15, zdict=history)
    else:
        compressor = zlib.compressobj(LEVEL, zlib.DEFLATED, -15)
    # A sync flush ends the block on a byte boundary, so blocks can be concatenated.
    return compressor.compress(block) + compressor.flush(zlib.Z_SYNC_FLUSH)


class ParallelGzip:
    """A gzip stream compressed in independent blocks, as pigz does.

    Each 256 KiB block is deflated on its own, primed with the 32 KiB before it, and
    ended with a sync flush; the header has no name and no time, and one CRC covers
    the whole input. Feed it with ``write`` and finish with ``close``.
    """

    def __init__(self, out: IO[bytes], pool: Pool) -> None:
        self._out = out
        self._pool = pool
        self._buffer = bytearray()
        self._history = b""
        self._crc = 0
        self._size = 0
        self._pending: deque[Result[bytes]] = deque()
        self._ahead = thread_count() + 1  # keeps every thread busy, and memory low
        # ID1 ID2, deflate, no flags, no time, no extra flags, OS unknown.
        out.write(b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff")

    def write(self, data: bytes) -> None:
        self._crc = zlib.crc32(data, self._crc)
        self._size += len(data)
        view = memoryview(data)
        if self._buffer:
            # Top up the partial block first; whole blocks then go straight from ``data``
            # (appending a big file to the buffer would copy it over and over).
            taken = GZIP_BLOCK - len(self._buffer)
            self._buffer += view[:taken]
            view = view[taken:]
            if len(self._buffer) < GZIP_BLOCK:
                return
            self._submit(bytes(self._buffer))
            self._buffer.clear()
        while len(view) >= GZIP_BLOCK:
            self._submit(bytes(view[:GZIP_BLOCK]))
            view = view[GZIP_BLOCK:]
        self._buffer += view

    def _submit(self, block: bytes) -> None:
        self._pending.append(self._pool.submit(_deflate_block, (block, self._history)))
        self._history = (self._history + block)[-WINDOW:]
        while len(self._pending) >= self._ahead:
            self._out.write(self._pending.popleft().result())

    def close(self) -> None:
        if self._buffer:
            self._submit(bytes(self._buffer))
            self._buffer.clear()
        while self._pending:
            self._out.write(self._pending.popleft().result())
        # An empty final block closes the deflate stream.
        end = zlib.compressobj(LEVEL, zlib.DEFLATED, -15)
        self._out.write(end.flush(zlib.Z_FINISH))
        self._out.write(self._crc.to_bytes(4, "little"))
        self._out.write((self._size & 0xFFFFFFFF).to_bytes(4, "little"))
