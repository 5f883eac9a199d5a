"""Same source, same bytes: whatever the environment of the build varies in."""

from __future__ import annotations

import hashlib
import os
import random
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path
from typing import Any

import pytest

from helpers import EXAMPLES, REPO, build_sdist, build_wheel, write_project

FILES: dict[str, str | bytes] = {
    "pyproject.toml": (EXAMPLES / "src-layout" / "pyproject.toml").read_text(),
    "README.md": "# Tally\n\nÜnïcode.\n",
    "src/tallyho/__init__.py": '"""Count."""\n',
    "src/tallyho/cli.py": "def main() -> None: ...\ndef gui() -> None: ...\n",
    "src/tallyho/counters.py": "def count_words(): ...\ndef count_lines(): ...\n",
    "src/tallyho/data/b.txt": "b",
    "src/tallyho/data/a.txt": "a",
    "src/tallyho/data/sub/z.json": "{}",
    "src/tallyho/Ωmega.txt": "non-ASCII file name",
    "data/share/man/man1/tallyho.1": ".TH",
}

BUILD = (
    "import sys, fletching.buildapi as b; "
    "print(b.build_wheel(sys.argv[1])); print(b.build_sdist(sys.argv[1]))"
)


def build_in_subprocess(
    project: Path, out: Path, env: dict[str, str] | None = None, umask: int | None = None
) -> dict[str, str]:
    """Build wheel and sdist in a fresh interpreter; return file name -> sha256."""
    full_env = dict(os.environ, PYTHONPATH=str(REPO), **(env or {}))
    full_env.pop("SOURCE_DATE_EPOCH", None)
    full_env.update(env or {})

    def set_umask() -> None:
        if umask is not None:
            os.umask(umask)

    proc = subprocess.run(
        [sys.executable, "-c", BUILD, str(out)],
        cwd=project,
        env=full_env,
        check=False,
        capture_output=True,
        text=True,
        preexec_fn=set_umask if os.name == "posix" else None,
    )
    assert proc.returncode == 0, proc.stderr
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(out.iterdir())}


def make(root: Path, order_seed: int | None = None, mode: int | None = None) -> Path:
    items = list(FILES.items())
    if order_seed is not None:
        random.Random(order_seed).shuffle(items)
    write_project(root, dict(items))
    if mode is not None:
        for path in root.rglob("*"):
            if path.is_file():
                path.chmod(mode)
    return root


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    base = tmp_path_factory.mktemp("reference")
    return build_in_subprocess(make(base / "project"), base / "out")


VARIATIONS = [
    pytest.param({"PYTHONHASHSEED": "1"}, None, id="hash-seed-1"),
    pytest.param({"PYTHONHASHSEED": "4242"}, None, id="hash-seed-4242"),
    pytest.param({"LC_ALL": "C", "LANG": "C"}, None, id="locale-C"),
    pytest.param({"LC_ALL": "C.UTF-8", "LANG": "C.UTF-8"}, None, id="locale-C-UTF-8"),
    pytest.param({"TZ": "Pacific/Kiritimati"}, None, id="timezone"),
    pytest.param({}, 0o077, id="umask-077"),
    pytest.param({}, 0o000, id="umask-000"),
]


@pytest.mark.parametrize(("env", "umask"), VARIATIONS)
def test_environment_does_not_change_the_bytes(
    tmp_path: Path, reference: dict[str, str], env: dict[str, str], umask: int | None
) -> None:
    assert build_in_subprocess(make(tmp_path / "p"), tmp_path / "out", env, umask) == reference


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_file_creation_order_does_not_change_the_bytes(
    tmp_path: Path, reference: dict[str, str], seed: int
) -> None:
    assert build_in_subprocess(make(tmp_path / "p", order_seed=seed), tmp_path / "o") == reference


def test_project_location_does_not_change_the_bytes(
    tmp_path: Path, reference: dict[str, str]
) -> None:
    deep = tmp_path / "some" / "other place" / "ünïcode"
    assert build_in_subprocess(make(deep), tmp_path / "out") == reference


def test_file_times_and_permissions_do_not_change_the_bytes(
    tmp_path: Path, reference: dict[str, str]
) -> None:
    project = make(tmp_path / "p", mode=0o600)
    for index, path in enumerate(sorted(project.rglob("*"))):
        os.utime(path, (1_000_000 + index * 7919, 2_000_000_000 - index * 104729))
    assert build_in_subprocess(project, tmp_path / "out") == reference


@pytest.mark.skipif(not hasattr(os, "chown") or os.geteuid() != 0, reason="needs root to chown")
def test_file_owner_does_not_change_the_bytes(tmp_path: Path, reference: dict[str, str]) -> None:
    project = make(tmp_path / "p")
    for path in project.rglob("*"):
        os.chown(path, 4321, 8765)
    assert build_in_subprocess(project, tmp_path / "out") == reference


def test_default_timestamp_is_1980(tmp_path: Path, reference: dict[str, str]) -> None:
    env = {"SOURCE_DATE_EPOCH": "315532800"}  # 1980-01-01T00:00:00Z
    assert build_in_subprocess(make(tmp_path / "p"), tmp_path / "out", env) == reference


def test_source_date_epoch_is_honoured_and_reproducible(
    tmp_path: Path, reference: dict[str, str]
) -> None:
    env = {"SOURCE_DATE_EPOCH": "1700000000"}
    one = build_in_subprocess(make(tmp_path / "p"), tmp_path / "a", env)
    two = build_in_subprocess(make(tmp_path / "q", order_seed=9), tmp_path / "b", env)
    assert one == two
    # Honoured: both the wheel and the sdist differ from the default-time build.
    assert one.keys() == reference.keys()
    assert all(one[name] != reference[name] for name in one)


@pytest.mark.parametrize("threads", ["1", "2", "7"])
def test_thread_count_does_not_change_the_bytes(tmp_path: Path, threads: str) -> None:
    # Big enough (several MB) for the builders to start threads at all.
    rng = random.Random(3)
    files = dict(FILES)
    for index in range(40):
        words = " ".join(str(rng.random()) for _ in range(8000))
        files[f"src/tallyho/gen/m{index}.py"] = f"DATA = {words!r}\n"
    reference = build_in_subprocess(
        write_project(tmp_path / "ref", files), tmp_path / "ref-out", {"FLETCHING_THREADS": "1"}
    )
    project = write_project(tmp_path / "p", files)
    got = build_in_subprocess(project, tmp_path / "out", {"FLETCHING_THREADS": threads})
    assert got == reference


class _Listing(list):  # type: ignore[type-arg]
    """What os.scandir returns, usable with and without ``with``."""

    def __enter__(self) -> _Listing:
        return self

    def __exit__(self, *exc: object) -> None:
        pass


@pytest.mark.parametrize("seed", [1, 2])
def test_the_order_the_file_system_lists_files_does_not_change_the_bytes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, seed: int
) -> None:
    """ext4 lists in hash order whatever the creation order, so the test above alone
    cannot catch an unsorted walk: here every listing comes back shuffled."""
    project = make(tmp_path / "p")
    reference = [build_wheel(project, tmp_path / "a"), build_sdist(project, tmp_path / "a")]
    real_scandir = os.scandir
    rng = random.Random(seed)

    def shuffled(path: Any = ".") -> _Listing:
        with real_scandir(path) as entries:
            listing = _Listing(entries)
        rng.shuffle(listing)
        return listing

    monkeypatch.setattr(os, "scandir", shuffled)
    built = [build_wheel(project, tmp_path / "b"), build_sdist(project, tmp_path / "b")]
    for one, two in zip(reference, built):
        assert one.read_bytes() == two.read_bytes(), one.name


@pytest.mark.parametrize(
    ("mode", "expected"),
    [
        (0o644, 0o644),
        (0o600, 0o644),
        (0o666, 0o644),
        (0o755, 0o755),
        (0o700, 0o755),
        (0o710, 0o755),  # an execute bit for the group only
        (0o641, 0o755),  # for others only
    ],
)
def test_a_file_is_stored_644_unless_any_execute_bit_is_set(
    tmp_path: Path, mode: int, expected: int
) -> None:
    project = make(tmp_path / "p")
    script = project / "src" / "tallyho" / "tool.sh"
    script.write_text("#!/bin/sh\n")
    script.chmod(mode)
    with zipfile.ZipFile(build_wheel(project, tmp_path / "out")) as zf:
        assert zf.getinfo("tallyho/tool.sh").external_attr >> 16 == 0o100000 | expected
    with tarfile.open(build_sdist(project, tmp_path / "out")) as tf:
        assert tf.getmember("tallyho-2.0.0rc1/src/tallyho/tool.sh").mode == expected
