"""SBOM files (PEP 770): [tool.fletching] sbom-files into .dist-info/sboms/."""

from __future__ import annotations

from pathlib import Path

import pytest

from fletching.errors import ConfigError
from helpers import (
    MINIMAL_PYPROJECT,
    build_editable,
    build_sdist,
    build_wheel,
    call_hook,
    sdist_members,
    unpack_sdist,
    validate_wheel,
    wheel_members,
    write_project,
)

SBOM = '{"bomFormat": "CycloneDX", "specVersion": "1.6"}\n'
FILES = {
    "pyproject.toml": MINIMAL_PYPROJECT
    + '\n[tool.fletching]\nsbom-files = ["sbom/*.cdx.json", "vendor.spdx.json"]\n',
    "demo/__init__.py": '"""Demo."""\n',
    "sbom/demo.cdx.json": SBOM,
    "sbom/extra.cdx.json": SBOM.replace("1.6", "1.5"),
    "vendor.spdx.json": '{"spdxVersion": "SPDX-2.3"}\n',
}
DI = "demo-1.0.dist-info"
IN_WHEEL = {
    f"{DI}/sboms/demo.cdx.json": "sbom/demo.cdx.json",
    f"{DI}/sboms/extra.cdx.json": "sbom/extra.cdx.json",
    f"{DI}/sboms/vendor.spdx.json": "vendor.spdx.json",
}


def _sboms(members: dict[str, bytes], prefix: str) -> dict[str, bytes]:
    return {name: data for name, data in members.items() if name.startswith(prefix)}


def _project(tmp_path: Path, pyproject: str | None = None) -> Path:
    files = dict(FILES) if pyproject is None else dict(FILES, **{"pyproject.toml": pyproject})
    return write_project(tmp_path / "p", files)


@pytest.mark.parametrize("build", [build_wheel, build_editable])
def test_the_wheel_holds_the_sboms_under_dist_info(
    tmp_path: Path, out: Path, build: object
) -> None:
    project = _project(tmp_path)
    wheel = build(project, out)  # type: ignore[operator]
    members = wheel_members(wheel)
    assert _sboms(members, f"{DI}/sboms/") == {
        arc: FILES[rel].encode() for arc, rel in IN_WHEEL.items()
    }
    # In RECORD like every member, and no core metadata field names them (PEP 770).
    record = members[f"{DI}/RECORD"].decode()
    assert all(f"{arc},sha256=" in record for arc in IN_WHEEL)
    assert "sbom" not in members[f"{DI}/METADATA"].decode().lower()
    assert not any(n.startswith("sbom/") or n == "vendor.spdx.json" for n in members)
    validate_wheel(wheel)


def test_prepare_metadata_writes_the_sboms_and_the_wheel_keeps_them(
    tmp_path: Path, out: Path
) -> None:
    project = _project(tmp_path)
    meta = tmp_path / "meta"
    meta.mkdir()
    name = call_hook(project, "prepare_metadata_for_build_wheel", str(meta))
    assert name == DI
    written = {
        p.relative_to(meta).as_posix(): p.read_bytes()
        for p in (meta / DI / "sboms").rglob("*")
        if p.is_file()
    }
    assert written == {arc: FILES[rel].encode() for arc, rel in IN_WHEEL.items()}
    wheel = out / call_hook(project, "build_wheel", str(out), None, str(meta / DI))
    assert wheel.read_bytes() == build_wheel(project, tmp_path / "direct").read_bytes()


def test_the_sdist_holds_them_at_their_paths_and_rebuilds_the_same_wheel(
    tmp_path: Path, out: Path
) -> None:
    project = _project(tmp_path)
    sdist = build_sdist(project, out)
    members = sdist_members(sdist)
    for rel in IN_WHEEL.values():
        assert members[f"demo-1.0/{rel}"] == FILES[rel].encode()
    unpacked = unpack_sdist(sdist, tmp_path / "unpacked")
    direct = build_wheel(project, tmp_path / "direct")
    assert build_wheel(unpacked, tmp_path / "again").read_bytes() == direct.read_bytes()
    assert build_sdist(unpacked, tmp_path / "sdist2").read_bytes() == sdist.read_bytes()


def test_builds_are_reproducible(tmp_path: Path) -> None:
    project = _project(tmp_path)
    for build in (build_wheel, build_editable, build_sdist):
        first = build(project, tmp_path / "a")
        (project / "sbom" / "demo.cdx.json").touch()  # a newer mtime changes nothing
        assert build(project, tmp_path / "b").read_bytes() == first.read_bytes()


def test_explain_lists_the_sboms_with_their_rule(
    tmp_path: Path, out: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = _project(tmp_path)
    call_hook(project, "build_wheel", str(out), {"explain": "true"})
    err = capsys.readouterr().err.splitlines()
    assert (
        f"  + sbom/demo.cdx.json -> {DI}/sboms/demo.cdx.json"
        "  [[tool.fletching] sbom-files[0] 'sbom/*.cdx.json']"
    ) in err
    assert (
        f"  + vendor.spdx.json -> {DI}/sboms/vendor.spdx.json"
        "  [[tool.fletching] sbom-files[1] 'vendor.spdx.json']"
    ) in err
    call_hook(project, "build_sdist", str(out), {"explain": "true"})
    err = capsys.readouterr().err.splitlines()
    assert "  + vendor.spdx.json  [[tool.fletching] sbom-files[1] 'vendor.spdx.json']" in err


def test_beside_flit_tables(tmp_path: Path, out: Path) -> None:
    pyproject = (
        MINIMAL_PYPROJECT.replace('name = "demo"', 'name = "demo-dist"')
        + '\n[tool.flit.module]\nname = "demo"\n'
        + '\n[tool.fletching]\nsbom-files = ["vendor.spdx.json"]\n'
    )
    project = _project(tmp_path, pyproject)
    members = wheel_members(build_wheel(project, out))
    di = "demo_dist-1.0.dist-info"
    assert _sboms(members, f"{di}/sboms/") == {
        f"{di}/sboms/vendor.spdx.json": FILES["vendor.spdx.json"].encode()
    }
    assert "demo/__init__.py" in members
    # The flit table itself keeps flit_core's keys only.
    flit_only = MINIMAL_PYPROJECT + '\n[tool.flit]\nsbom-files = ["vendor.spdx.json"]\n'
    assert _error(tmp_path / "flit", flit_only) == (
        "pyproject.toml: [tool.flit]: unknown key 'sbom-files'; the keys allowed are: module,"
        " sdist, external-data"
    )


def _error(tmp_path: Path, pyproject: str, files: dict[str, str] | None = None) -> str:
    project = write_project(
        tmp_path / "p", dict(FILES, **(files or {}), **{"pyproject.toml": pyproject})
    )
    with pytest.raises(ConfigError) as info:
        build_wheel(project, tmp_path / "out")
    return str(info.value)


def test_a_glob_that_matches_nothing(tmp_path: Path) -> None:
    pyproject = MINIMAL_PYPROJECT + '\n[tool.fletching]\nsbom-files = ["vendor.spdx.jsn"]\n'
    assert _error(tmp_path, pyproject) == (
        "pyproject.toml: [tool.fletching] sbom-files[0]: 'vendor.spdx.jsn' matches no file"
        " (did you mean 'vendor.spdx.json'?)"
    )


def test_two_files_of_one_name(tmp_path: Path) -> None:
    pyproject = MINIMAL_PYPROJECT + '\n[tool.fletching]\nsbom-files = ["sbom/", "other/"]\n'
    message = _error(tmp_path, pyproject, {"other/demo.cdx.json": SBOM})
    assert message == (
        "pyproject.toml: [tool.fletching] sbom-files[1]: 'sbom/demo.cdx.json' and"
        " 'other/demo.cdx.json' would both be .dist-info/sboms/demo.cdx.json; rename one,"
        " or match only one of them"
    )


def test_dotdot_is_refused(tmp_path: Path) -> None:
    pyproject = (
        MINIMAL_PYPROJECT + '\n[tool.fletching]\nsbom-files = ["sbom/../vendor.spdx.json"]\n'
    )
    assert _error(tmp_path, pyproject) == (
        "pyproject.toml: [tool.fletching] sbom-files[0]: 'sbom/../vendor.spdx.json' must be a"
        " relative path inside the project, without '..'"
    )


def test_a_flit_key_in_both_tables(tmp_path: Path) -> None:
    pyproject = (
        MINIMAL_PYPROJECT
        + '\n[tool.flit.module]\nname = "demo"\n'
        + '\n[tool.fletching]\nsbom-files = ["vendor.spdx.json"]\nmodule = {name = "demo"}\n'
    )
    assert _error(tmp_path, pyproject) == (
        "pyproject.toml: [tool.fletching] module: both [tool.flit] and [tool.fletching] are"
        " present; keep one of them (they take the same keys); beside [tool.flit],"
        " [tool.fletching] may hold only fletching's own keys (sbom-files, editable, version,"
        " wheel)"
    )


def test_excluding_an_sbom_from_the_sdist_is_an_error(tmp_path: Path, out: Path) -> None:
    """A wheel built from the sdist would lack it, as it would lack a licence."""
    pyproject = FILES["pyproject.toml"] + '\n[tool.fletching.sdist]\nexclude = ["sbom"]\n'
    with pytest.raises(ConfigError) as info:
        build_sdist(_project(tmp_path, pyproject), out)
    assert str(info.value).startswith(
        "pyproject.toml: [tool.fletching.sdist] exclude[0]: 'sbom' excludes files the build"
        " needs (sbom/demo.cdx.json, sbom/extra.cdx.json)"
    )
    assert list(out.iterdir()) == []
