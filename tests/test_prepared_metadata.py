"""build_wheel and build_editable given the folder prepare_metadata_for_build_* wrote.

PEP 517: when a frontend passes ``metadata_directory``, the wheel must carry exactly
that metadata. pip always does so; fletching then skips validating [project] again.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from fletching import config, prepared
from fletching.errors import BuildError, FletchingError, NotPrepared
from helpers import EXAMPLES, REPO, SAMPLES, call_hook, copy_tree, wheel_members

PROJECTS = sorted([*SAMPLES.iterdir(), *EXAMPLES.iterdir()], key=lambda p: p.name)


def _prepare(project: Path, out: Path, hook: str = "prepare_metadata_for_build_wheel") -> Path:
    return out / str(call_hook(project, hook, str(out)))


def _no_full_load(*args: object) -> None:
    raise AssertionError("the project was loaded in full: the folder was not reused")


@pytest.mark.parametrize("source", PROJECTS, ids=[p.name for p in PROJECTS])
def test_wheel_from_prepared_metadata_is_byte_identical(
    source: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = copy_tree(source, tmp_path / "project")
    for build, prepare in (
        ("build_wheel", "prepare_metadata_for_build_wheel"),
        ("build_editable", "prepare_metadata_for_build_editable"),
    ):
        meta = _prepare(project, tmp_path / f"{prepare}-meta", prepare)
        plain = call_hook(project, build, str(tmp_path / f"{build}-plain"))
        with monkeypatch.context() as patch:
            patch.setattr(config, "load_project", _no_full_load)
            reused = call_hook(project, build, str(tmp_path / f"{build}-reused"), None, str(meta))
        assert reused == plain
        first = (tmp_path / f"{build}-plain" / plain).read_bytes()
        assert (tmp_path / f"{build}-reused" / reused).read_bytes() == first


_NO_PACKAGING = """
import json, os, sys
sys.path.insert(0, sys.argv[4])
os.chdir(sys.argv[1])
import fletching.buildapi as hooks
name = hooks.build_wheel(sys.argv[2], None, sys.argv[3])
loaded = sorted(m for m in sys.modules if m.split(".")[0] in ("packaging", "trove_classifiers"))
print(json.dumps([name, loaded]))
"""


def test_building_from_prepared_metadata_does_not_import_packaging(tmp_path: Path) -> None:
    # pip's sequence: prepare_metadata_for_build_wheel, then build_wheel in a new process.
    project = copy_tree(EXAMPLES / "pep639-licensed", tmp_path / "project")
    meta = _prepare(project, tmp_path / "meta")
    out = subprocess.run(
        [
            sys.executable,
            "-c",
            _NO_PACKAGING,
            str(project),
            str(tmp_path / "out"),
            str(meta),
            str(REPO),
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    name, loaded = json.loads(out)
    assert name.endswith("-py3-none-any.whl")
    assert loaded == []


def test_the_wheel_carries_the_prepared_metadata(tmp_path: Path) -> None:
    project = copy_tree(EXAMPLES / "single-module", tmp_path / "project")
    meta = _prepare(project, tmp_path / "meta")
    prepared = (meta / "METADATA").read_bytes()
    pyproject = project / "pyproject.toml"
    # A change after prepare_metadata (which no frontend makes) does not reach the wheel,
    # though a build without the folder shows it.
    pyproject.write_text(pyproject.read_text().replace('license = "0BSD"', 'license = "MIT"'))
    name = call_hook(project, "build_wheel", str(tmp_path / "out"), None, str(meta))
    members = wheel_members(tmp_path / "out" / name)
    assert members[f"{meta.name}/METADATA"] == prepared
    assert b"License-Expression: 0BSD" in prepared
    fresh = call_hook(project, "build_wheel", str(tmp_path / "fresh"))
    fresh_metadata = wheel_members(tmp_path / "fresh" / fresh)[f"{meta.name}/METADATA"]
    assert b"License-Expression: MIT" in fresh_metadata
    record = members[f"{meta.name}/RECORD"].decode()
    assert f"{meta.name}/METADATA,sha256=" in record


def test_explain_shows_what_came_from_the_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = copy_tree(EXAMPLES / "pep639-licensed", tmp_path / "project")
    meta = _prepare(project, tmp_path / "meta")
    call_hook(project, "build_wheel", str(tmp_path / "out"), {"explain": "true"}, str(meta))
    err = capsys.readouterr().err
    rule = "[from the .dist-info folder prepare_metadata wrote (PEP 517)]"
    assert f"  + {meta}/METADATA -> {meta.name}/METADATA  {rule}" in err
    files = [p.relative_to(meta).as_posix() for p in meta.rglob("*") if p.is_file()]
    assert any(rel.startswith("licenses/") for rel in files)
    for rel in files:
        assert f"  + {meta}/{rel} -> {meta.name}/{rel}  {rule}" in err


def test_a_stale_record_in_the_folder_is_not_copied(tmp_path: Path) -> None:
    project = copy_tree(EXAMPLES / "single-module", tmp_path / "project")
    meta = _prepare(project, tmp_path / "meta")
    (meta / "RECORD").write_text("bogus,,\n")
    plain = call_hook(project, "build_wheel", str(tmp_path / "plain"))
    reused = call_hook(project, "build_wheel", str(tmp_path / "reused"), None, str(meta))
    assert (tmp_path / "reused" / reused).read_bytes() == (tmp_path / "plain" / plain).read_bytes()


@pytest.mark.parametrize(
    ("damage", "reason"),
    [
        ("foreign-generator", "fletching 0.1.0 did not write it"),
        ("no-metadata", "fletching 0.1.0 did not write it"),
        ("not-dist-info", "its name is not <name>-<version>.dist-info"),
        ("gone", "it cannot be read"),
        ("symlink", "'METADATA' is a symbolic link"),
        ("record-folder", "'RECORD' is not a regular file"),
    ],
)
def test_a_folder_fletching_did_not_write_means_a_full_build(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], damage: str, reason: str
) -> None:
    project = copy_tree(EXAMPLES / "single-module", tmp_path / "project")
    meta = _prepare(project, tmp_path / "meta")
    if damage == "foreign-generator":
        wheel_file = meta / "WHEEL"
        wheel_file.write_text(wheel_file.read_text().replace("fletching", "other-backend"))
        (meta / "METADATA").write_text("Metadata-Version: 2.1\nName: other\nVersion: 9\n")
    elif damage == "no-metadata":
        (meta / "METADATA").unlink()
    elif damage == "not-dist-info":
        meta = meta.rename(meta.with_name("metadata"))
    elif damage == "gone":
        meta = tmp_path / "missing" / meta.name
    elif damage == "symlink":
        (meta / "METADATA").rename(tmp_path / "METADATA")
        (meta / "METADATA").symlink_to(tmp_path / "METADATA")
    else:
        (meta / "RECORD").mkdir()
    plain = call_hook(project, "build_wheel", str(tmp_path / "plain"))
    capsys.readouterr()
    reused = call_hook(project, "build_wheel", str(tmp_path / "reused"), None, str(meta))
    assert (tmp_path / "reused" / reused).read_bytes() == (tmp_path / "plain" / plain).read_bytes()
    err = capsys.readouterr().err
    assert err.startswith(f"fletching: warning: {meta}: not reusing this metadata folder: {reason}")
    assert err.endswith("; building the metadata afresh\n")


def test_a_folder_for_another_project_is_an_error(tmp_path: Path) -> None:
    one = copy_tree(EXAMPLES / "single-module", tmp_path / "one")
    other = copy_tree(EXAMPLES / "classic-flit", tmp_path / "other")
    meta = _prepare(other, tmp_path / "meta")
    with pytest.raises(BuildError) as info:
        call_hook(one, "build_wheel", str(tmp_path / "out"), None, str(meta))
    assert str(info.value).startswith(
        f"{meta}: the metadata folder the frontend passed is for 'classic-greeter' '1.4.0', "
        "not for this project ('lonely')"
    )
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").iterdir())


def test_files_a_frontend_keeps_in_the_folder_go_into_the_wheel(tmp_path: Path) -> None:
    # PEP 517: the folder handed back is the one prepare wrote, "including any
    # unrecognized files it created"; the wheel carries them all but RECORD.
    project = copy_tree(EXAMPLES / "single-module", tmp_path / "project")
    meta = _prepare(project, tmp_path / "meta")
    (meta / "extra").mkdir()
    (meta / "extra" / "note.txt").write_text("kept\n")
    name = call_hook(project, "build_wheel", str(tmp_path / "out"), None, str(meta))
    members = wheel_members(tmp_path / "out" / name)
    assert members[f"{meta.name}/extra/note.txt"] == b"kept\n"
    assert f"{meta.name}/extra/note.txt,sha256=" in members[f"{meta.name}/RECORD"].decode()


def test_a_broken_tool_table_is_still_reported(tmp_path: Path) -> None:
    from fletching.errors import ConfigError

    project = copy_tree(EXAMPLES / "single-module", tmp_path / "project")
    meta = _prepare(project, tmp_path / "meta")
    pyproject = project / "pyproject.toml"
    pyproject.write_text(pyproject.read_text() + '\n[tool.flit.module]\nname = "no:such"\n')
    with pytest.raises(ConfigError, match=r"\[tool.flit.module\] name: 'no:such' is not"):
        call_hook(project, "build_wheel", str(tmp_path / "out"), None, str(meta))


def test_not_prepared_is_in_the_one_family(tmp_path: Path) -> None:
    assert issubclass(NotPrepared, FletchingError)
    with pytest.raises(NotPrepared, match=r"^its name is not <name>-<version>\.dist-info$"):
        prepared.load_prepared(tmp_path, str(tmp_path / "demo.dist-info"))
