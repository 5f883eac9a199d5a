"""The archive writers and the parallel compressor, below the builders."""

from __future__ import annotations

import gzip
import io
import os
import random
import tarfile
import zipfile
import zlib
from concurrent.futures import ThreadPoolExecutor

import pytest

from fletching import archive, compress
from fletching.errors import BuildError


def zip_bytes(members: dict[str, bytes], timestamp: int = archive.ZIP_EPOCH) -> bytes:
    out = io.BytesIO()
    with archive.ZipWriter(out, timestamp) as writer:
        for name, data in members.items():
            writer.add(name, data, executable=name.endswith(".sh"))
    return out.getvalue()


MEMBERS = {
    "pkg/__init__.py": b"",
    "pkg/mod.py": b"def f():\n    return 1\n" * 200,
    "pkg/run.sh": b"#!/bin/sh\necho hi\n",
    "pkg/d\u00e9j\u00e0.txt": b"non-ASCII name",
    "pkg/noise.bin": random.Random(1).randbytes(5000),
}


def test_zip_round_trips_through_zipfile() -> None:
    with zipfile.ZipFile(io.BytesIO(zip_bytes(MEMBERS))) as zf:
        assert zf.testzip() is None
        assert zf.namelist() == list(MEMBERS)
        for info in zf.infolist():
            assert zf.read(info) == MEMBERS[info.filename]
            assert info.date_time == (1980, 1, 1, 0, 0, 0)
            mode = 0o100755 if info.filename.endswith(".sh") else 0o100644
            assert info.external_attr >> 16 == mode
            assert info.create_system == 3
        assert zf.getinfo("pkg/noise.bin").compress_type == zipfile.ZIP_STORED
        assert zf.getinfo("pkg/mod.py").compress_type == zipfile.ZIP_DEFLATED


def test_zip_timestamp_is_utc_and_even_seconds() -> None:
    data = zip_bytes({"a": b"x"}, timestamp=1700000001)
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        assert zf.getinfo("a").date_time == (2023, 11, 14, 22, 13, 20)


def test_zip64_records_are_written_when_needed(monkeypatch: pytest.MonkeyPatch) -> None:
    # Sizes and offsets past 4 GiB cannot be made in a test; lower the limit instead.
    monkeypatch.setattr(archive, "_ZIP64_LIMIT", 100)
    data = zip_bytes(MEMBERS)
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        assert zf.testzip() is None
        assert {n: zf.read(n) for n in zf.namelist()} == MEMBERS


def test_zip64_for_many_members() -> None:
    names = {f"pkg/m{i}.py": b"" for i in range(70_000)}
    with zipfile.ZipFile(io.BytesIO(zip_bytes(names))) as zf:
        assert len(zf.infolist()) == 70_000


@pytest.mark.parametrize("size", [0, 1, compress.GZIP_BLOCK - 1, compress.GZIP_BLOCK * 3 + 17])
@pytest.mark.parametrize("threads", [0, 1, 3])
def test_parallel_gzip_round_trips(size: int, threads: int) -> None:
    rng = random.Random(size)
    words = [rng.randbytes(rng.randint(1, 8)) for _ in range(50)]
    data = b" ".join(rng.choice(words) for _ in range(size))[:size]
    out = io.BytesIO()
    with ThreadPoolExecutor(threads or 1) as executor:
        pool = executor if threads else compress.INLINE
        stream = compress.ParallelGzip(out, pool)
        for start in range(0, len(data), 10_000):
            stream.write(data[start : start + 10_000])
        stream.close()
    raw = out.getvalue()
    assert raw[:10] == b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff"
    assert gzip.decompress(raw) == data
    assert zlib.crc32(data) == int.from_bytes(raw[-8:-4], "little")


def test_parallel_gzip_is_the_same_whatever_the_threads() -> None:
    data = random.Random(7).randbytes(200_000) * 3
    results = set()
    for threads in (1, 2, 5):
        out = io.BytesIO()
        with ThreadPoolExecutor(threads) as pool:
            stream = compress.ParallelGzip(out, pool)
            stream.write(data)
            stream.close()
        results.add(out.getvalue())
    assert len(results) == 1
    assert gzip.decompress(results.pop()) == data


def test_tar_stream_matches_what_tarfile_reads() -> None:
    out = io.BytesIO()
    with archive.TarWriter(out, 1700000000) as writer:
        writer.add("top/a.txt", b"hello")
        writer.add("top/" + "long/" * 30 + "name.txt", b"x" * 600, executable=True)
        writer.add("top/\u00fcnicode.txt", b"")
    raw = gzip.decompress(out.getvalue())
    assert len(raw) % tarfile.RECORDSIZE == 0
    with tarfile.open(fileobj=io.BytesIO(out.getvalue())) as tf:
        members = tf.getmembers()
        assert [m.name for m in members] == [
            "top/a.txt",
            "top/" + "long/" * 30 + "name.txt",
            "top/\u00fcnicode.txt",
        ]
        assert [m.mode for m in members] == [0o644, 0o755, 0o644]
        assert {m.mtime for m in members} == {1700000000}
        extracted = tf.extractfile(members[1])
        assert extracted is not None
        assert extracted.read() == b"x" * 600


def test_thread_count_can_be_set(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FLETCHING_THREADS", "3")
    assert compress.thread_count() == 3
    monkeypatch.setenv("FLETCHING_THREADS", "zero")  # ignored: one thread per usable core
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    assert compress.thread_count() == cores


@pytest.mark.parametrize(
    "name",
    [
        "../evil.py",
        "demo/../../evil.py",
        "demo/..",
        "./demo.py",
        "demo//x.py",
        "/etc/passwd",
        "demo\\x.py",
        "",
        "demo/\nx.py",
    ],
)
def test_a_member_name_that_could_escape_or_not_round_trip_is_refused(name: str) -> None:
    with pytest.raises(BuildError) as info:
        archive.MemberNames().add(name)
    assert "cannot be stored in an archive: the name" in str(info.value)


@pytest.mark.parametrize("name", ["demo/x.py", "Ωmega/..x", "demo/.hidden", "a..b/c"])
def test_a_plain_member_name_is_taken(name: str) -> None:
    archive.MemberNames().add(name)
