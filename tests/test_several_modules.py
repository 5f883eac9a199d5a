"""Several top-level modules in one distribution: [project] import-names (PEP 794)."""

from __future__ import annotations

from pathlib import Path

import pytest

from fletching.errors import ConfigError
from helpers import (
    MINIMAL_PYPROJECT,
    build_editable,
    build_sdist,
    build_wheel,
    build_wheel_after_prepare,
    sdist_members,
    unpack_sdist,
    validate_sdist,
    validate_wheel,
    wheel_members,
    write_project,
)

DYNAMIC = MINIMAL_PYPROJECT.replace('version = "1.0"\ndescription = "A demo project."\n', "")
DYNAMIC += 'dynamic = ["version", "description"]\n'

FLAT = {
    "pyproject.toml": DYNAMIC + 'import-names = ["demo", "demo_plugins"]\n',
    "demo/__init__.py": '"""The demo package."""\n__version__ = "2.0"\n',
    "demo/data.txt": "data\n",
    "demo_plugins.py": '"""Plugins."""\n__version__ = "9.9"\n',
    "tests/test_demo.py": "",
    "conftest.py": "",
}
SRC = {
    "pyproject.toml": DYNAMIC + 'import-names = ["demo", "demo_extra; private"]\n',
    "src/demo/__init__.py": '"""The demo package."""\n__version__ = "2.0"\n',
    "src/demo_extra/__init__.py": "",
    "src/demo_extra/sub/__init__.py": "",
    "src/demo_extra/sub/mod.py": "X = 1\n",
}
# Two portions of one namespace package, and a flat module beside them.
PORTIONS = {
    "pyproject.toml": MINIMAL_PYPROJECT
    + 'import-names = ["ns.a", "ns.b", "tool"]\nimport-namespaces = ["ns"]\n',
    "ns/a/__init__.py": "",
    "ns/b.py": "",
    "tool.py": "",
}
DI = "demo-2.0.dist-info"


def _code(members: dict[str, bytes]) -> list[str]:
    return sorted(n for n in members if ".dist-info/" not in n)


def _import_names(wheel: Path) -> list[str]:
    return validate_wheel(wheel).import_names  # type: ignore[no-any-return]


def test_a_flat_project_ships_every_listed_module(tmp_path: Path, out: Path) -> None:
    wheel = build_wheel(write_project(tmp_path / "p", FLAT), out)
    assert _code(wheel_members(wheel)) == ["demo/__init__.py", "demo/data.txt", "demo_plugins.py"]
    assert _import_names(wheel) == ["demo", "demo_plugins"]


def test_a_src_project_ships_every_listed_module(tmp_path: Path, out: Path) -> None:
    wheel = build_wheel(write_project(tmp_path / "p", SRC), out)
    assert _code(wheel_members(wheel)) == [
        "demo/__init__.py",
        "demo_extra/__init__.py",
        "demo_extra/sub/__init__.py",
        "demo_extra/sub/mod.py",
    ]
    assert _import_names(wheel) == ["demo", "demo_extra; private"]


def test_namespace_portions_and_a_module_go_together(tmp_path: Path, out: Path) -> None:
    wheel = build_wheel(write_project(tmp_path / "p", PORTIONS), out)
    assert _code(wheel_members(wheel)) == ["ns/a/__init__.py", "ns/b.py", "tool.py"]
    meta = validate_wheel(wheel)
    assert meta.import_names == ["ns.a", "ns.b", "tool"]
    assert meta.import_namespaces == ["ns"]


def test_the_namespaces_around_several_portions_are_checked(tmp_path: Path, out: Path) -> None:
    files = dict(PORTIONS)
    files["pyproject.toml"] = files["pyproject.toml"].replace('["ns"]', "[]")
    project = write_project(tmp_path / "p", files)
    with pytest.raises(ConfigError) as info:
        build_wheel(project, out)
    assert str(info.value) == (
        "pyproject.toml: [project] import-namespaces: [] does not match the namespace packages"
        " around 'ns.a', 'ns.b', 'tool'; write import-namespaces = ['ns']"
    )


def test_the_version_comes_from_the_first_name_listed(tmp_path: Path, out: Path) -> None:
    files = dict(FLAT)
    files["pyproject.toml"] = DYNAMIC + 'import-names = ["demo_plugins", "demo"]\n'
    wheel = build_wheel(write_project(tmp_path / "p", files), out)
    meta = validate_wheel(wheel)
    assert (str(meta.version), meta.summary) == ("9.9", "Plugins.")
    # The order of the list is kept: it is the project's own statement.
    assert meta.import_names == ["demo_plugins", "demo"]


@pytest.mark.parametrize("table", ["tool.flit.module", "tool.fletching.module"])
def test_the_module_table_picks_the_module_the_version_comes_from(
    tmp_path: Path, out: Path, table: str
) -> None:
    files = dict(FLAT)
    files["pyproject.toml"] = (
        DYNAMIC + f'import-names = ["demo_plugins", "demo"]\n[{table}]\nname = "demo"\n'
    )
    wheel = build_wheel(write_project(tmp_path / "p", files), out)
    meta = validate_wheel(wheel)
    assert (str(meta.version), meta.summary) == ("2.0", "The demo package.")
    assert _code(wheel_members(wheel)) == ["demo/__init__.py", "demo/data.txt", "demo_plugins.py"]


@pytest.mark.parametrize("files", [FLAT, SRC, PORTIONS], ids=["flat", "src", "portions"])
def test_the_sdist_holds_every_module_and_rebuilds_the_same_wheel(
    tmp_path: Path, files: dict[str, str]
) -> None:
    project = write_project(tmp_path / "p", files)
    sdist = build_sdist(project, tmp_path / "sdist")
    validate_sdist(sdist)
    top = sdist.name[: -len(".tar.gz")]
    members = sdist_members(sdist)
    for rel in files:
        if not rel.startswith("tests/") and rel != "conftest.py":
            assert f"{top}/{rel}" in members
    unpacked = unpack_sdist(sdist, tmp_path / "unpacked")
    direct = build_wheel(project, tmp_path / "direct")
    assert build_wheel(unpacked, tmp_path / "again").read_bytes() == direct.read_bytes()
    assert build_sdist(unpacked, tmp_path / "sdist2").read_bytes() == sdist.read_bytes()


def test_building_twice_gives_the_same_bytes(tmp_path: Path) -> None:
    project = write_project(tmp_path / "p", SRC)
    first = [build_wheel(project, tmp_path / "a"), build_sdist(project, tmp_path / "a")]
    second = [build_wheel(project, tmp_path / "b"), build_sdist(project, tmp_path / "b")]
    for one, two in zip(first, second):
        assert one.read_bytes() == two.read_bytes(), one.name


def test_the_wheel_from_prepared_metadata_is_the_same(tmp_path: Path) -> None:
    project = write_project(tmp_path / "p", FLAT)
    direct = build_wheel(project, tmp_path / "direct")
    _, wheel = build_wheel_after_prepare(project, tmp_path)
    assert wheel.read_bytes() == direct.read_bytes()


def test_the_default_editable_wheel_adds_each_folder_once(tmp_path: Path, out: Path) -> None:
    files = dict(SRC)
    files["pyproject.toml"] = DYNAMIC + 'import-names = ["demo", "demo_extra", "flat_helper"]\n'
    files["flat_helper.py"] = ""
    project = write_project(tmp_path / "p", files)
    members = wheel_members(build_editable(project, out))
    root = project.resolve()
    assert members["demo.pth"].decode() == f"{root / 'src'}\n{root}\n"
    assert _code(members) == ["demo.pth"]


@pytest.mark.parametrize(
    ("listed", "module_table", "message"),
    [
        pytest.param(
            '["demo", "nowhere"]',
            None,
            "[project] import-names[1]: cannot find the module 'nowhere': looked for"
            " nowhere/__init__.py, nowhere.py, src/nowhere/__init__.py, src/nowhere.py;"
            " list the module's import name, or create it",
            id="not-found",
        ),
        pytest.param(
            '["demo_plugins", "demo"]',
            '"demo.sub"',
            "[tool.fletching.module] name: 'demo.sub' is not one of the modules [project]"
            " import-names lists ('demo_plugins', 'demo'); with several modules this name only"
            " picks the one a dynamic version or description is read from: name one of them,"
            " or add it to import-names",
            id="module-table-not-listed",
        ),
    ],
)
def test_a_list_that_does_not_fit_the_files_is_refused(
    tmp_path: Path, out: Path, listed: str, module_table: str | None, message: str
) -> None:
    files = dict(FLAT, **{"demo/data/x.txt": ""})
    del files["demo/data.txt"]
    text = DYNAMIC + f"import-names = {listed}\n"
    if module_table is not None:
        text += f"[tool.fletching.module]\nname = {module_table}\n"
    files["pyproject.toml"] = text
    project = write_project(tmp_path / "p", files)
    for build in (build_wheel, build_sdist, build_editable):
        with pytest.raises(ConfigError) as info:
            build(project, out)
        assert str(info.value) == f"pyproject.toml: {message}"


def test_a_folder_holding_another_listed_module_is_refused(tmp_path: Path, out: Path) -> None:
    files = {
        "pyproject.toml": MINIMAL_PYPROJECT + 'import-names = ["demo", "src"]\n',
        "src/demo/__init__.py": "",
    }
    project = write_project(tmp_path / "p", files)
    with pytest.raises(ConfigError) as info:
        build_wheel(project, out)
    assert str(info.value) == (
        "pyproject.toml: [project] import-names[1]: 'src' (src) is the folder holding 'demo'"
        " (src/demo), which [project] import-names[0] names already; list each top-level"
        " module once, by its shortest import name"
    )


def test_every_missing_module_is_reported_at_once(tmp_path: Path, out: Path) -> None:
    files = {"pyproject.toml": MINIMAL_PYPROJECT + 'import-names = ["one", "two"]\n'}
    project = write_project(tmp_path / "p", files)
    with pytest.raises(ConfigError) as info:
        build_wheel(project, out)
    text = str(info.value)
    assert text.startswith("2 problems in the project configuration:")
    assert "import-names[0]: cannot find the module 'one'" in text
    assert "import-names[1]: cannot find the module 'two'" in text


def test_one_module_still_needs_no_configuration(tmp_path: Path, out: Path) -> None:
    files = {"pyproject.toml": MINIMAL_PYPROJECT, "demo.py": "", "helper.py": ""}
    wheel = build_wheel(write_project(tmp_path / "p", files), out)
    # helper.py is beside the module, not listed: flit_core leaves it out too.
    assert _code(wheel_members(wheel)) == ["demo.py"]


def test_advice_about_a_listed_name_points_at_the_list(
    tmp_path: Path, out: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    files = {
        "pyproject.toml": MINIMAL_PYPROJECT + 'import-names = ["ns.a", "b"]\n',
        "ns/__init__.py": "",
        "ns/a.py": "",
        "b.py": "",
    }
    project = write_project(tmp_path / "p", files)
    build_wheel(project, out)
    assert (
        "fletching: warning: pyproject.toml: [project] import-names[0]: 'ns.a' is packed as a"
        " namespace package portion, so ns/__init__.py is left out although it exists; remove"
        ' ns/__init__.py, or list "ns" in [project] import-names to ship the whole package\n'
    ) in capsys.readouterr().err
    files = {
        "pyproject.toml": MINIMAL_PYPROJECT + 'import-names = ["a", "b"]\n',
        "a.py": "",
        "b.py": "",
        "b/data.txt": "",
    }
    project = write_project(tmp_path / "q", files)
    with pytest.raises(ConfigError) as info:
        build_wheel(project, out)
    assert str(info.value) == (
        "pyproject.toml: [project] import-names[1]: the folder 'b' has no __init__.py; add"
        " one, or for a namespace package give the dotted name of the portion, e.g."
        ' "b.sub" in [project] import-names'
    )


def test_the_version_module_goes_into_its_own_package_once(tmp_path: Path, out: Path) -> None:
    files = dict(SRC)
    files["pyproject.toml"] += '\n[tool.fletching.version]\nfile = "src/demo_extra/_version.py"\n'
    members = wheel_members(build_wheel(write_project(tmp_path / "p", files), out))
    assert [n for n in members if n.endswith("_version.py")] == ["demo_extra/_version.py"]


def test_excluding_the_second_module_s_entry_file_is_refused(tmp_path: Path, out: Path) -> None:
    files = dict(SRC)
    files["pyproject.toml"] += (
        '\n[tool.fletching.sdist]\nexclude = ["src/demo_extra/__init__.py"]\n'
    )
    with pytest.raises(ConfigError, match="excludes files the build needs"):
        build_sdist(write_project(tmp_path / "p", files), out)


def test_a_tool_folder_in_the_second_module_is_left_out_aloud(
    tmp_path: Path, out: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    files = dict(SRC, **{"src/demo_extra/.mypy_cache/x.json": "{}"})
    build_wheel(write_project(tmp_path / "p", files), out)
    assert "src/demo_extra/.mypy_cache/: left out of the package" in capsys.readouterr().err
