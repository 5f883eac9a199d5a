"""Module layouts and member names that flit_core 4.2 packs: fletching packs them too.

Each was a refusal (audit rows A13, A15, A16, A17); the rule is to refuse only what
the standards forbid and the index refuses or what would make an invalid or unsafe
artefact. These are none of that, so they are built as flit_core builds them, with a
warning on stderr naming the file, the key and the fix. What would be unsafe stays
an error.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path
from typing import Any

import pytest

from fletching import archive
from fletching.errors import BuildError, FletchingError
from flit_compare import flit_hook, wheel_facts
from helpers import (
    MINIMAL_PYPROJECT,
    build_sdist,
    build_wheel,
    copy_tree,
    sdist_members,
    validate_sdist,
    validate_wheel,
    wheel_members,
    wheel_metadata_text,
    write_project,
)

DOTTED = MINIMAL_PYPROJECT.replace('name = "demo"', 'name = "a.b"')
DIST_INFO = ("METADATA", "WHEEL", "RECORD")
W = "fletching: warning: "


def build_both(
    project: Path, out: Path, capsys: pytest.CaptureFixture[str]
) -> tuple[Path, str, Path, str]:
    """The wheel and the sdist, each with what its build wrote to stderr."""
    wheel = build_wheel(project, out)
    wheel_err = capsys.readouterr().err
    sdist = build_sdist(project, out)
    sdist_err = capsys.readouterr().err
    return wheel, wheel_err, sdist, sdist_err


def wheel_names(wheel: Path) -> set[str]:
    facts: dict[str, Any] = wheel_facts(wheel)
    return set(facts["wheel:members"])


def packed_files(wheel: Path) -> dict[str, Any]:
    """Every member name, and the bytes of each member the build did not generate."""
    facts = wheel_facts(wheel)
    return {k: v for k, v in facts.items() if k == "wheel:members" or k.startswith("wheel:member:")}


def assert_packs_as_flit_core(
    project: Path, tmp_path: Path, wheel: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The wheel holds the same files, byte for byte, as flit_core 4.2's."""
    pyproject = (project / "pyproject.toml").read_text(encoding="utf-8")
    if "[tool.fletching." in pyproject:  # flit_core reads [tool.flit.*] only
        project = copy_tree(project, tmp_path / "for-flit")
        write_project(
            project, {"pyproject.toml": pyproject.replace("[tool.fletching.", "[tool.flit.")}
        )
    flit_wheel = flit_hook(project, "build_wheel", tmp_path / "flit-out")
    capsys.readouterr()
    assert packed_files(wheel) == packed_files(flit_wheel)


def dist_info(stem: str) -> set[str]:
    return {f"{stem}.dist-info/{name}" for name in DIST_INFO}


# ---------------------------------------------------------------------------
# A13: a [tool.flit.module] name that is a plain folder name but no identifier


NOT_VALID = MINIMAL_PYPROJECT + '\n[tool.flit.module]\nname = "not-valid"\n'
NOT_VALID_WARNING = (
    f"{W}pyproject.toml: [tool.flit.module] name: 'not-valid' is not an importable module name"
    " ('import not-valid' cannot work); it is packed as it is, with no Import-Name: rename it,"
    ' e.g. name = "not_valid"\n'
)


def test_a_module_name_that_is_no_identifier_is_packed_without_import_name(
    tmp_path: Path, out: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = write_project(
        tmp_path / "p", {"pyproject.toml": NOT_VALID, "not-valid/__init__.py": '"""D."""\n'}
    )
    wheel, wheel_err, sdist, sdist_err = build_both(project, out, capsys)
    assert wheel_names(wheel) == {"not-valid/__init__.py"} | dist_info("demo-1.0")
    assert set(sdist_members(sdist)) == {
        "demo-1.0/not-valid/__init__.py",
        "demo-1.0/pyproject.toml",
        "demo-1.0/PKG-INFO",
    }
    assert wheel_err == sdist_err == NOT_VALID_WARNING
    assert "Import-Name" not in wheel_metadata_text(wheel)
    validate_wheel(wheel)
    validate_sdist(sdist)
    assert_packs_as_flit_core(project, tmp_path, wheel, capsys)


def test_dynamic_import_names_of_a_module_that_cannot_be_imported_is_an_error(
    tmp_path: Path, out: Path
) -> None:
    pyproject = NOT_VALID.replace("[tool.flit", 'dynamic = ["import-names"]\n\n[tool.flit', 1)
    project = write_project(
        tmp_path / "p", {"pyproject.toml": pyproject, "not-valid/__init__.py": '"""D."""\n'}
    )
    for build in (build_wheel, build_sdist):
        with pytest.raises(FletchingError) as info:
            build(project, out)
        assert str(info.value) == (
            "pyproject.toml: [project] dynamic: 'not-valid' is not an importable module name,"
            ' so it cannot be written as an Import-Name; remove "import-names" from dynamic'
        )


def test_a_module_that_cannot_be_imported_declares_no_import_name(
    tmp_path: Path, out: Path
) -> None:
    pyproject = NOT_VALID.replace("[tool.flit", "import-names = []\n\n[tool.flit", 1)
    project = write_project(
        tmp_path / "p", {"pyproject.toml": pyproject, "not-valid/__init__.py": '"""D."""\n'}
    )
    assert validate_wheel(build_wheel(project, out)).import_names == []


def assert_packed_with_warning(
    tmp_path: Path,
    out: Path,
    capsys: pytest.CaptureFixture[str],
    files: dict[str, str],
    stem: str,
    packed: dict[str, str],
    warning: str,
) -> None:
    """Wheel and sdist hold exactly ``packed`` (wheel path -> project path), each build
    warns once on stderr (frontends read stdout), and the wheel's files are flit_core's."""
    project = write_project(tmp_path / "p", files)
    wheel, wheel_err, sdist, sdist_err = build_both(project, out, capsys)
    assert wheel_names(wheel) == set(packed) | dist_info(stem)
    assert set(sdist_members(sdist)) == {
        f"{stem}/{path}" for path in [*packed.values(), "pyproject.toml", "PKG-INFO"]
    }
    assert wheel_err == sdist_err == warning
    validate_wheel(wheel)
    validate_sdist(sdist)
    assert_packs_as_flit_core(project, tmp_path, wheel, capsys)


@pytest.mark.parametrize(
    ("name", "message"),
    [
        pytest.param(
            "a..b",
            "pyproject.toml: [project] name: 'a..b' is not a module name: a part between dots is"
            " empty; write the import name with '.' between its parts, e.g. [tool.flit.module]"
            ' name = "pkg.sub"',
            id="empty-part",
        ),
        pytest.param(
            "a..b-stubs",
            "pyproject.toml: [project] name: 'a..b-stubs' is not a module name: a part between"
            " dots is empty; write the import name with '.' between its parts, e.g."
            ' [tool.flit.module] name = "pkg.sub"',
            id="empty-part-stubs",
        ),
    ],
)
def test_a_module_name_that_is_no_path_inside_the_project_stays_an_error(
    tmp_path: Path, out: Path, name: str, message: str
) -> None:
    """flit maps '.' to '/': 'a..b' would be 'a//b'. ([tool.flit.module] name is refused
    when pyproject.toml is read; a [project] name can still have an empty part.)"""
    project = write_project(
        tmp_path / "p",
        {
            "pyproject.toml": MINIMAL_PYPROJECT.replace('"demo"', f'"{name}"'),
            "a/b/__init__.py": "",
            "a/b-stubs/__init__.pyi": "",
        },
    )
    for build in (build_wheel, build_sdist):
        with pytest.raises(FletchingError) as info:
            build(project, out)
        assert str(info.value) == message
    assert list(out.iterdir()) == []


@pytest.mark.parametrize(
    "name",
    ["not/valid", "not\\\\valid", ".x", "x.", "..x", "a\\u0000b", "a\\nb"],
)
def test_a_tool_module_name_that_is_no_plain_folder_name_stays_an_error(
    tmp_path: Path, out: Path, name: str
) -> None:
    pyproject = MINIMAL_PYPROJECT + f'\n[tool.flit.module]\nname = "{name}"\n'
    project = write_project(tmp_path / "p", {"pyproject.toml": pyproject, "demo.py": ""})
    with pytest.raises(FletchingError) as info:
        build_wheel(project, out)
    shown = name.encode().decode("unicode_escape")
    assert str(info.value) == (
        f"pyproject.toml: [tool.flit.module] name: {shown!r} is not an importable module name,"
        " and not a folder or file name every system can store (an empty part, or one of the"
        ' characters / \\ : * ? " < > | or a control character); rename the module'
    )


@pytest.mark.parametrize(("name", "read_as"), [("my pkg", "my pkg"), ("demo/", "demo")])
def test_a_tool_module_name_flit_core_packs_is_packed_with_a_warning(
    tmp_path: Path, out: Path, name: str, read_as: str, capsys: pytest.CaptureFixture[str]
) -> None:
    pyproject = MINIMAL_PYPROJECT + f'\n[tool.flit.module]\nname = "{name}"\n'
    files = {"pyproject.toml": pyproject, f"{read_as}/__init__.py": ""}
    wheel = build_wheel(write_project(tmp_path / "p", files), out)
    assert f"{read_as}/__init__.py" in wheel_members(wheel)
    assert f"pyproject.toml: [tool.flit.module] name: {name!r}" in capsys.readouterr().err


# ---------------------------------------------------------------------------
# A15: a package folder without __init__.py is a namespace package (PEP 420)


def namespace_warning(key: str, folder: str, init: str = "__init__.py") -> str:
    return (
        f"{W}pyproject.toml: {key}: the folder {folder!r} has no {init}, so it is packed as a"
        f" namespace package (PEP 420); add {folder}/{init} for a regular package\n"
    )


# A folder without __init__.py: a namespace package (PEP 420), as flit_core packs it.
NAMESPACE_CASES = [
    pytest.param(
        MINIMAL_PYPROJECT,
        {"demo/mod.py": "X = 1\n", "demo/x.txt": ""},
        "demo-1.0",
        {"demo/mod.py": "demo/mod.py", "demo/x.txt": "demo/x.txt"},
        namespace_warning("[project] name", "demo"),
        id="package",
    ),
    pytest.param(
        DOTTED,
        {"a/b/c.py": "X = 1\n"},
        "a_b-1.0",
        {"a/b/c.py": "a/b/c.py"},
        namespace_warning("[project] name", "a/b"),
        id="dotted",
    ),
    pytest.param(
        MINIMAL_PYPROJECT + '\n[tool.fletching.module]\nname = "pkg"\n',
        {"src/pkg/sub/mod.py": "", "src/pkg/data.json": "{}"},
        "demo-1.0",
        {"pkg/data.json": "src/pkg/data.json", "pkg/sub/mod.py": "src/pkg/sub/mod.py"},
        namespace_warning("[tool.fletching.module] name", "src/pkg"),
        id="src-layout",
    ),
    pytest.param(
        MINIMAL_PYPROJECT.replace('"demo"', '"demo-stubs"'),
        {"demo-stubs/mod.pyi": ""},
        "demo_stubs-1.0",
        {"demo-stubs/mod.pyi": "demo-stubs/mod.pyi"},
        namespace_warning("[project] name", "demo-stubs", "__init__.pyi"),
        id="stubs",
    ),
]


def test_a_namespace_package_gives_no_version_or_description(tmp_path: Path, out: Path) -> None:
    """There is no __init__.py to read them from: an error naming the key, not a crash."""
    pyproject = MINIMAL_PYPROJECT.replace('version = "1.0"\n', 'dynamic = ["version"]\n')
    project = write_project(tmp_path / "p", {"pyproject.toml": pyproject, "demo/mod.py": ""})
    for build in (build_wheel, build_sdist):
        with pytest.raises(FletchingError) as info:
            build(project, out)
        assert str(info.value) == (
            "pyproject.toml: [project] dynamic: 'demo' is a namespace package (it has no"
            " demo/__init__.py), so there is no module file to read the version from; set"
            " [project] version, or add demo/__init__.py"
        )
    assert list(out.iterdir()) == []


def test_a_namespace_package_never_takes_the_version_of_an_installed_package(
    tmp_path: Path, out: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = write_project(
        tmp_path / "site", {"demo/__init__.py": '"""Installed."""\n__version__ = "9.9"\n'}
    )
    monkeypatch.setenv("PYTHONPATH", str(site))
    pyproject = MINIMAL_PYPROJECT.replace('version = "1.0"\n', 'dynamic = ["version"]\n')
    project = write_project(tmp_path / "p", {"pyproject.toml": pyproject, "demo/mod.py": ""})
    with pytest.raises(FletchingError) as info:
        build_wheel(project, out)
    assert str(info.value) == (
        "pyproject.toml: [project] dynamic: 'demo' is a namespace package (it has no"
        " demo/__init__.py), so there is no module file to read the version from; set"
        " [project] version, or add demo/__init__.py"
    )


@pytest.mark.parametrize(
    ("pyproject", "files", "message"),
    [
        pytest.param(
            MINIMAL_PYPROJECT,
            {"demo.py": "", "demo/x.txt": ""},
            "pyproject.toml: [project] name: the folder 'demo' has no __init__.py; add one, or"
            " for a namespace package give the dotted name of the portion, e.g."
            ' [tool.flit.module] name = "demo.sub"',
            id="beside-a-module-file",
        ),
        pytest.param(
            MINIMAL_PYPROJECT,
            {"demo/x.txt": "", "src/demo/__init__.py": ""},
            "pyproject.toml: [project] name: the folder 'demo' has no __init__.py; add one, or"
            " for a namespace package give the dotted name of the portion, e.g."
            ' [tool.flit.module] name = "demo.sub"',
            id="beside-a-src-package",
        ),
        pytest.param(
            DOTTED,
            {"a/b/c.py": "", "a/b.py": ""},
            "pyproject.toml: [project] name: the module 'a.b' is ambiguous: found 'a/b' and"
            " 'a/b.py'; remove or rename all but one",
            id="dotted-beside-a-module-file",
        ),
    ],
)
def test_a_folder_without_init_beside_another_candidate_stays_an_error(
    tmp_path: Path, out: Path, pyproject: str, files: dict[str, str], message: str
) -> None:
    """flit_core refuses these too ('Multiple files or folders could be module')."""
    project = write_project(tmp_path / "p", {"pyproject.toml": pyproject, **files})
    for build in (build_wheel, build_sdist):
        with pytest.raises(FletchingError) as info:
            build(project, out)
        assert str(info.value) == message


# ---------------------------------------------------------------------------
# A16: a namespace portion whose parent folder has an __init__.py


def parent_warning(key: str, name: str, parent: str, whole: str, table: str) -> str:
    return (
        f"{W}pyproject.toml: {key}: {name!r} is packed as a namespace package portion, so"
        f" {parent}/__init__.py is left out although it exists; remove {parent}/__init__.py,"
        f' or set {table} name = "{whole}" to ship the whole package\n'
    )


# A dotted name whose parent has an __init__.py: flit_core leaves that file out.
PARENT_INIT_CASES = [
    pytest.param(
        DOTTED,
        {"a/__init__.py": "", "a/b.py": '"""D."""\n'},
        "a_b-1.0",
        {"a/b.py": "a/b.py"},
        parent_warning("[project] name", "a.b", "a", "a", "[tool.flit.module]"),
        id="module",
    ),
    pytest.param(
        MINIMAL_PYPROJECT + '\n[tool.fletching.module]\nname = "a.b"\n',
        {"src/a/__init__.py": "", "src/a/b/__init__.py": "", "src/a/b/x.txt": ""},
        "demo-1.0",
        {"a/b/__init__.py": "src/a/b/__init__.py", "a/b/x.txt": "src/a/b/x.txt"},
        parent_warning(
            "[tool.fletching.module] name", "a.b", "src/a", "a", "[tool.fletching.module]"
        ),
        id="src-package",
    ),
    pytest.param(
        MINIMAL_PYPROJECT + '\n[tool.flit.module]\nname = "a.b.c"\n',
        {"a/__init__.py": "", "a/b/__init__.py": "", "a/b/c.py": ""},
        "demo-1.0",
        {"a/b/c.py": "a/b/c.py"},
        parent_warning("[tool.flit.module] name", "a.b.c", "a", "a", "[tool.flit.module]")
        + parent_warning("[tool.flit.module] name", "a.b.c", "a/b", "a.b", "[tool.flit.module]"),
        id="two-parents",
    ),
]


@pytest.mark.parametrize(
    ("pyproject", "files", "stem", "packed", "warning"),
    NAMESPACE_CASES + PARENT_INIT_CASES,
)
def test_a_module_flit_core_packs_is_packed_with_a_warning(
    tmp_path: Path,
    out: Path,
    capsys: pytest.CaptureFixture[str],
    pyproject: str,
    files: dict[str, str],
    stem: str,
    packed: dict[str, str],
    warning: str,
) -> None:
    assert_packed_with_warning(
        tmp_path, out, capsys, {"pyproject.toml": pyproject, **files}, stem, packed, warning
    )


# ---------------------------------------------------------------------------
# A17: member names that differ only in case or Unicode normalisation


def collision_warning(first: str, second: str) -> str:
    return (
        f"{W}{second}: {first!r} and {second!r} differ only in case or Unicode normalisation;"
        " both are packed, but they overwrite each other when installed on Windows or macOS:"
        " rename one\n"
    )


NFC = unicodedata.normalize("NFC", "demo/café.txt")
NFD = unicodedata.normalize("NFD", "demo/café.txt")


@pytest.mark.parametrize(
    "names",
    [
        pytest.param(["demo/Data.txt", "demo/data.txt"], id="case"),
        pytest.param([NFC, NFD], id="normalisation"),
        pytest.param(["demo/DATA.txt", "demo/Data.txt", "demo/data.txt"], id="three"),
    ],
)
def test_names_that_collide_when_folded_are_packed_with_a_warning(
    tmp_path: Path, out: Path, capsys: pytest.CaptureFixture[str], names: list[str]
) -> None:
    files = {
        "pyproject.toml": MINIMAL_PYPROJECT,
        "demo/__init__.py": "",
        **dict.fromkeys(names, "x"),
    }
    project = write_project(tmp_path / "p", files)
    if len(list((project / "demo").iterdir())) < len(names) + 1:
        pytest.skip("this file system folds the names itself")
    wheel, wheel_err, sdist, sdist_err = build_both(project, out, capsys)
    # Both the wheel and the sdist add their members in sorted order.
    ordered = sorted(names)
    assert wheel_names(wheel) == {"demo/__init__.py", *names} | dist_info("demo-1.0")
    assert set(sdist_members(sdist)) == {
        f"demo-1.0/{path}" for path in ["demo/__init__.py", *names, "pyproject.toml", "PKG-INFO"]
    }
    expected = "".join(collision_warning(ordered[0], other) for other in ordered[1:])
    assert wheel_err == sdist_err == expected
    validate_wheel(wheel)
    validate_sdist(sdist)


def test_the_same_member_name_twice_stays_an_error() -> None:
    names = archive.MemberNames()
    names.add("demo/x.py")
    with pytest.raises(BuildError) as info:
        names.add("demo/x.py")
    assert str(info.value) == "demo/x.py: would be stored twice in the archive"


def test_an_exclude_of_a_stubs_package_s_init_file_is_a_warning(
    tmp_path: Path, out: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # flit_core builds this sdist; a wheel can still be built from it (other .pyi files).
    pyproject = MINIMAL_PYPROJECT.replace('"demo"', '"demo-stubs"', 1) + (
        '\n[tool.flit.sdist]\nexclude = ["demo-stubs/__init__.pyi"]\n'
    )
    files = {"pyproject.toml": pyproject, "demo-stubs/__init__.pyi": "", "demo-stubs/a.pyi": ""}
    sdist = sdist_members(build_sdist(write_project(tmp_path / "p", files), out))
    assert "demo_stubs-1.0/demo-stubs/__init__.pyi" not in sdist
    assert "leaves files the wheel holds (demo-stubs/__init__.pyi)" in capsys.readouterr().err


def test_the_fix_suggested_for_a_module_name_is_importable(
    tmp_path: Path, out: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for name, fixed in (("2fast", "_2fast"), ("class", "class_"), ("my-pkg", "my_pkg")):
        pyproject = MINIMAL_PYPROJECT + f'\n[tool.flit.module]\nname = "{name}"\n'
        project = write_project(tmp_path / name, {"pyproject.toml": pyproject, f"{name}.py": ""})
        build_wheel(project, out)
        assert f'rename it, e.g. name = "{fixed}"' in capsys.readouterr().err


def test_license_globs_reach_hidden_files_as_flit_core_s_do_but_no_tool_folder(
    tmp_path: Path, out: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # flit_core globs licence files with pathlib, which matches dotfiles and walks
    # into every folder: none of the project's may be dropped. A tool folder's licence
    # is another project's (issue 17): left out, with a warning.
    pyproject = MINIMAL_PYPROJECT + 'license-files = ["LICENSES/*", "**/COPYING*"]\n'
    files = {
        "pyproject.toml": pyproject,
        "demo.py": "",
        "LICENSES/MIT.txt": "MIT",
        "LICENSES/.hidden.txt": "x",
        "node_modules/lib/COPYING": "y",
        ".vendored/COPYING.txt": "z",
    }
    meta = validate_wheel(build_wheel(write_project(tmp_path / "p", files), out))
    assert meta.license_files == [
        ".vendored/COPYING.txt",
        "LICENSES/.hidden.txt",
        "LICENSES/MIT.txt",
    ]
    assert "license-files[1]: node_modules/lib/COPYING: left out" in capsys.readouterr().err
