"""Every example in examples/ builds, validates and reproduces byte for byte."""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers import (
    EXAMPLES,
    build_editable,
    build_sdist,
    build_wheel,
    copy_tree,
    unpack_sdist,
    validate_sdist,
    validate_wheel,
    wheel_members,
)

NAMES = sorted(p.name for p in EXAMPLES.iterdir() if (p / "pyproject.toml").is_file())

EXPECTED = {
    "classic-flit": ("classic_greeter-1.4.0", "greeting/VERSION"),
    "namespace": ("acme_widgets-5.1", "acme/widgets/_version.py"),
    "pep639-licensed": ("licensed_thing-1.0.post2", "licensed_thing/fonts/FONT-LICENSE"),
    "single-module": ("lonely-0.3.1", "lonely.py"),
    "src-layout": ("tallyho-2.0.0rc1", "tallyho-2.0.0rc1.data/data/share/man/man1/tallyho.1"),
}


def test_every_example_is_listed() -> None:
    assert sorted(EXPECTED) == NAMES


@pytest.fixture(params=NAMES)
def example(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    return copy_tree(EXAMPLES / request.param, tmp_path / request.param)


def test_example_builds_valid_artefacts(example: Path, tmp_path: Path) -> None:
    stem, member = EXPECTED[example.name]
    wheel = build_wheel(example, tmp_path / "dist")
    sdist = build_sdist(example, tmp_path / "dist")
    assert wheel.name == f"{stem}-py3-none-any.whl"
    assert sdist.name == f"{stem}.tar.gz"
    assert member in wheel_members(wheel)
    wheel_meta = validate_wheel(wheel)
    sdist_meta = validate_sdist(sdist)
    assert wheel_meta.version == sdist_meta.version
    validate_wheel(build_editable(example, tmp_path / "editable"))


def test_example_builds_are_byte_identical(example: Path, tmp_path: Path) -> None:
    first = [build_wheel(example, tmp_path / "a"), build_sdist(example, tmp_path / "a")]
    second = [build_wheel(example, tmp_path / "b"), build_sdist(example, tmp_path / "b")]
    for one, two in zip(first, second):
        assert one.read_bytes() == two.read_bytes(), one.name


def test_example_wheel_from_sdist_is_the_same(example: Path, tmp_path: Path) -> None:
    direct = build_wheel(example, tmp_path / "direct")
    sdist = build_sdist(example, tmp_path / "sdist")
    unpacked = unpack_sdist(sdist, tmp_path / "unpacked")
    assert build_wheel(unpacked, tmp_path / "again").read_bytes() == direct.read_bytes()
