"""Nothing lost, nothing half-written: failures in the middle of writing an artefact."""

from __future__ import annotations

import contextlib
import errno
import os
import random
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any, Callable

import pytest

from fletching.errors import BuildError
from helpers import MINIMAL_PYPROJECT, build_sdist, build_wheel, write_project

Builder = Callable[[Path, Path], Path]
BUILDERS = [pytest.param(build_wheel, id="wheel"), pytest.param(build_sdist, id="sdist")]


def big_project(root: Path) -> Path:
    noise = random.Random(0).randbytes(256 * 1024)  # does not compress
    return write_project(
        root,
        {
            "pyproject.toml": MINIMAL_PYPROJECT,
            "demo/__init__.py": '"""Demo."""\n',
            "demo/blob.bin": noise,
        },
    )


class FailingFile:
    """A file object that fails like a full disk once ``budget`` bytes are written."""

    def __init__(self, real: IO[bytes], budget: int) -> None:
        self._real = real
        self._budget = budget

    def write(self, data: Any) -> int:
        self._budget -= len(data)
        if self._budget < 0:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return self._real.write(data)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._real, name)

    def __enter__(self) -> FailingFile:
        return self

    def __exit__(self, *exc: object) -> None:
        self._real.close()


@pytest.mark.parametrize("budget", [0, 100, 40_000])
@pytest.mark.parametrize("build", BUILDERS)
def test_full_disk_while_writing_leaves_the_old_artefact_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, build: Builder, budget: int
) -> None:
    project = big_project(tmp_path / "p")
    out = tmp_path / "out"
    good = build(project, out)
    before = good.read_bytes()
    (project / "demo" / "__init__.py").write_text('"""Changed."""\n')
    real_fdopen = os.fdopen
    monkeypatch.setattr(
        "fletching.archive.os.fdopen", lambda fd, _mode: FailingFile(real_fdopen(fd, "wb"), budget)
    )
    with pytest.raises(BuildError) as info:
        build(project, out)
    assert str(info.value) == f"{out}: cannot write {good.name}: No space left on device"
    assert [p.name for p in out.iterdir()] == [good.name]
    assert good.read_bytes() == before


@contextlib.contextmanager
def small_tmpfs(path: Path, size: str) -> Iterator[Path]:
    path.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path)],
        capture_output=True,
        check=False,
    )
    if mounted.returncode != 0:
        pytest.skip("cannot mount a tmpfs here (needs root)")
    try:
        yield path
    finally:
        subprocess.run(["umount", str(path)], check=False)


@pytest.mark.skipif(os.name != "posix", reason="tmpfs is Linux")
@pytest.mark.parametrize("build", BUILDERS)
def test_real_full_disk(tmp_path: Path, build: Builder) -> None:
    project = big_project(tmp_path / "p")
    with small_tmpfs(tmp_path / "small", "64k") as out:
        with pytest.raises(BuildError, match="No space left on device"):
            build(project, out)
        assert list(out.iterdir()) == []


@pytest.mark.parametrize("build", BUILDERS)
def test_error_after_writing_started_removes_the_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, build: Builder
) -> None:
    project = big_project(tmp_path / "p")
    out = tmp_path / "out"
    out.mkdir()

    def exploding_replace(src: Any, dst: Any) -> None:
        raise RuntimeError("simulated crash just before the rename")

    monkeypatch.setattr("fletching.archive.os.replace", exploding_replace)
    with pytest.raises(RuntimeError, match="simulated crash"):
        build(project, out)
    assert list(out.iterdir()) == []


@pytest.fixture
def locked_folder(tmp_path: Path) -> Iterator[Path]:
    """A folder nobody can write into, root included (CI runs as root)."""
    out = tmp_path / "locked"
    out.mkdir()
    if os.name != "posix":
        pytest.skip("POSIX permissions")
    if os.geteuid() != 0:
        out.chmod(0o500)
        yield out
        out.chmod(0o700)
        return
    # Root ignores permission bits, but not the immutable attribute.
    if shutil.which("chattr") is None:
        pytest.skip("root, and no chattr to make a folder immutable")
    made = subprocess.run(["chattr", "+i", str(out)], capture_output=True, check=False)
    if made.returncode != 0:
        pytest.skip(f"root, and chattr +i is not possible here: {made.stderr.decode().strip()}")
    try:
        yield out
    finally:
        subprocess.run(["chattr", "-i", str(out)], check=True)


def test_unwritable_output_folder(tmp_path: Path, locked_folder: Path) -> None:
    project = big_project(tmp_path / "p")
    with pytest.raises(BuildError, match="locked: the output folder is not writable"):
        build_wheel(project, locked_folder)
    assert list(locked_folder.iterdir()) == []


def test_artefact_gets_the_usual_file_mode(tmp_path: Path) -> None:
    project = big_project(tmp_path / "p")
    old = os.umask(0o022)
    try:
        wheel = build_wheel(project, tmp_path / "out")
    finally:
        os.umask(old)
    assert wheel.stat().st_mode & 0o777 == 0o644


def test_prepare_metadata_that_cannot_write_is_a_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from helpers import call_hook

    project = big_project(tmp_path / "p")

    def full_disk(self: Path, data: bytes) -> int:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(Path, "write_bytes", full_disk)
    with pytest.raises(BuildError) as info:
        call_hook(project, "prepare_metadata_for_build_wheel", str(tmp_path / "meta"))
    assert str(info.value) == (
        f"{tmp_path / 'meta'}: cannot write demo-1.0.dist-info/METADATA: No space left on device"
    )
