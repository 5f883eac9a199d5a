"""[tool.fletching.version] file: a generated module holding the version, in the wheel
and the sdist only."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from fletching.errors import ConfigError
from fletching.version_file import render_version_file, version_tuple
from helpers import (
    MINIMAL_PYPROJECT,
    build_editable,
    build_sdist,
    build_wheel,
    build_wheel_after_prepare,
    sdist_members,
    unpack_sdist,
    wheel_members,
    write_project,
)

TABLE = '\n[tool.fletching.version]\nfile = "src/demo/_version.py"\n'
FILES = {
    "pyproject.toml": MINIMAL_PYPROJECT.replace('"1.0"', '"1.2.4.dev3+g1a2b3c4"') + TABLE,
    "src/demo/__init__.py": '"""Demo."""\nfrom ._version import __version__\n',
}
VERSION = "1.2.4.dev3+g1a2b3c4"


def _values(source: bytes) -> dict[str, object]:
    """The names the generated module defines, by evaluating its assignments."""
    found: dict[str, object] = {}
    for node in ast.parse(source).body:
        assert isinstance(node, ast.Assign), ast.dump(node)
        value = ast.literal_eval(node.value)
        for target in node.targets:
            assert isinstance(target, ast.Name)
            found[target.id] = value
    return found


@pytest.mark.parametrize(
    ("version", "expected"),
    [
        ("1.2.3", (1, 2, 3)),
        ("1.2.4.dev3+g1a2b3c4", (1, 2, 4, "dev3", "g1a2b3c4")),
        ("2.0rc1", (2, 0, "rc1")),
        ("1.0.post2.dev1", (1, 0, "post2", "dev1")),
        ("1!3.0+local.7", ("1!", 3, 0, "local.7")),
        ("0.1.dev0+d20261130", (0, 1, "dev0", "d20261130")),
    ],
)
def test_the_version_tuple_is_setuptools_scm_s(version: str, expected: tuple[object]) -> None:
    assert version_tuple(version) == expected


def test_the_generated_module_defines_setuptools_scm_s_names() -> None:
    assert _values(render_version_file(VERSION)) == {
        "__version__": VERSION,
        "version": VERSION,
        "__version_tuple__": (1, 2, 4, "dev3", "g1a2b3c4"),
        "version_tuple": (1, 2, 4, "dev3", "g1a2b3c4"),
    }


def test_the_wheel_and_sdist_hold_it_and_the_source_tree_does_not(
    tmp_path: Path, out: Path
) -> None:
    project = write_project(tmp_path / "p", FILES)
    wheel = wheel_members(build_wheel(project, out))
    assert _values(wheel["demo/_version.py"])["__version__"] == VERSION
    record = wheel[f"demo-{VERSION}.dist-info/RECORD"].decode()
    assert "\ndemo/_version.py,sha256=" in "\n" + record
    sdist = sdist_members(build_sdist(project, out))
    assert sdist[f"demo-{VERSION}/src/demo/_version.py"] == wheel["demo/_version.py"]
    assert not (project / "src/demo/_version.py").exists()


def test_the_wheel_from_the_sdist_is_the_same(tmp_path: Path) -> None:
    project = write_project(tmp_path / "p", FILES)
    direct = build_wheel(project, tmp_path / "direct")
    sdist = build_sdist(project, tmp_path / "sdist")
    unpacked = unpack_sdist(sdist, tmp_path / "unpacked")
    assert build_wheel(unpacked, tmp_path / "again").read_bytes() == direct.read_bytes()
    assert build_sdist(unpacked, tmp_path / "again").read_bytes() == sdist.read_bytes()


def test_the_wheel_from_prepared_metadata_holds_it_too(tmp_path: Path) -> None:
    project = write_project(tmp_path / "p", FILES)
    direct = build_wheel(project, tmp_path / "direct")
    _, wheel = build_wheel_after_prepare(project, tmp_path)
    assert wheel.read_bytes() == direct.read_bytes()


@pytest.mark.parametrize(
    ("path", "content"),
    [
        pytest.param("src/demo/_version.py", '__version__ = "0.0"\n', id="stale-version-file"),
        pytest.param("src/demo/__init__.py", '"""Demo."""\ndef f(): ...\n', id="the-package"),
        pytest.param("src/demo/core.py", "def g(): ...\n", id="a-module"),
    ],
)
def test_a_file_of_the_project_at_its_place_is_refused(
    tmp_path: Path, out: Path, path: str, content: str
) -> None:
    files = dict(FILES, **{path: content})
    files["pyproject.toml"] = FILES["pyproject.toml"].replace("src/demo/_version.py", path)
    project = write_project(tmp_path / "p", files)
    for build in (build_wheel, build_sdist):
        with pytest.raises(ConfigError) as info:
            build(project, out)
        assert str(info.value) == (
            f"pyproject.toml: [tool.fletching.version] file: {path!r} exists in the project,"
            " and the build would pack the generated module in its place; name a file that"
            " does not exist (the build writes it into the wheel and the sdist only), or"
            " delete this one if an earlier tool generated it"
        )


def test_an_sdist_exclude_does_not_touch_it(
    tmp_path: Path, out: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    files = dict(FILES)
    files["pyproject.toml"] += '\n[tool.fletching.sdist]\nexclude = ["src/demo/_version.py"]\n'
    project = write_project(tmp_path / "p", files)
    members = sdist_members(build_sdist(project, out))
    assert f"demo-{VERSION}/src/demo/_version.py" in members
    assert "warning" not in capsys.readouterr().err


def test_an_editable_wheel_does_not_hold_it(tmp_path: Path, out: Path) -> None:
    project = write_project(tmp_path / "p", FILES)
    members = wheel_members(build_editable(project, out))
    assert not [name for name in members if name.endswith("_version.py")]


@pytest.mark.parametrize(
    ("table", "message"),
    [
        pytest.param(
            'file = "other/_version.py"',
            "[tool.fletching.version] file: 'other/_version.py' is not inside the package the"
            " project ships; name a file inside 'src/demo/', e.g. src/demo/_version.py",
            id="outside-the-package",
        ),
        pytest.param(
            'file = "src/demo/_version.txt"',
            "[tool.fletching.version] file: 'src/demo/_version.txt' is not a Python file; name"
            ' a module inside the package, e.g. file = "src/pkg/_version.py"',
            id="not-python",
        ),
        pytest.param(
            'file = "src/demo_extra/_version.py"',
            "[tool.fletching.version] file: 'src/demo_extra/_version.py' is not inside the"
            " package the project ships; name a file inside 'src/demo/', e.g."
            " src/demo/_version.py",
            id="beside-the-package-with-its-name-as-prefix",
        ),
        pytest.param(
            'file = "src/../src/demo/_version.py"',
            "[tool.fletching.version] file: 'src/../src/demo/_version.py' must be a relative"
            " path inside the project, without '..'",
            id="dotdot-inside",
        ),
        pytest.param(
            'file = "../_version.py"',
            "[tool.fletching.version] file: '../_version.py' must be a relative path inside"
            " the project, without '..'",
            id="dotdot",
        ),
        pytest.param(
            'source = "git"',
            "[tool.fletching.version] source: 'git' is not a version source; write source ="
            ' "vcs" to take the version from git tags',
            id="unknown-source",
        ),
        pytest.param(
            'source = "vcs"',
            '[tool.fletching.version] source: "vcs" sets the version, but [project] does not'
            ' list "version" in dynamic; add it there and remove [project] version',
            id="static-version",
        ),
        pytest.param(
            'tag-pattern = "^v(?P<version>.*)$"',
            '[tool.fletching.version] tag-pattern: only applies with source = "vcs"; add it',
            id="pattern-without-source",
        ),
        pytest.param(
            'source = "vcs"\ntag-pattern = "^v(.*)$"',
            "[tool.fletching.version] tag-pattern: '^v(.*)$' has no group named 'version';"
            " write the part that is the version as (?P<version>...), e.g. tag-pattern ="
            ' "^release-(?P<version>.+)$"',
            id="pattern-without-group",
        ),
        pytest.param(
            'flie = "x.py"',
            "[tool.fletching.version]: unknown key 'flie' (did you mean 'file'?); the keys"
            " allowed are: source, tag-pattern, file",
            id="unknown-key",
        ),
    ],
)
def test_a_wrong_version_table_is_refused(
    tmp_path: Path, out: Path, table: str, message: str
) -> None:
    files = dict(FILES)
    files["pyproject.toml"] = MINIMAL_PYPROJECT + f"\n[tool.fletching.version]\n{table}\n"
    project = write_project(tmp_path / "p", files)
    with pytest.raises(ConfigError) as info:
        build_wheel(project, out)
    assert message in str(info.value)


def test_an_older_fletching_s_module_in_an_unpacked_sdist_is_replaced(
    tmp_path: Path, out: Path
) -> None:
    # An sdist on an index holds the module as the fletching of its day wrote it.
    older = b"# Generated by fletching 0.0.9, in other words.\n__version__ = '1.2.4.dev3'\n"
    files: dict[str, str | bytes] = {**FILES, "src/demo/_version.py": older}
    wheel = wheel_members(build_wheel(write_project(tmp_path / "p", files), out))
    assert _values(wheel["demo/_version.py"])["__version__"] == VERSION


def test_a_folder_at_its_place_is_refused(tmp_path: Path, out: Path) -> None:
    files = dict(FILES, **{"src/demo/_version.py/inner.txt": "x"})
    project = write_project(tmp_path / "p", files)
    with pytest.raises(ConfigError) as info:
        build_wheel(project, out)
    assert str(info.value) == (
        "pyproject.toml: [tool.fletching.version] file: 'src/demo/_version.py' cannot be"
        " generated: Is a directory there; name a file that does not exist"
    )


def test_the_path_is_read_normalised(tmp_path: Path, out: Path) -> None:
    files = dict(FILES)
    files["pyproject.toml"] = files["pyproject.toml"].replace(
        'file = "src/demo/_version.py"', 'file = "./src//demo/_version.py"'
    )
    wheel = wheel_members(build_wheel(write_project(tmp_path / "p", files), out))
    assert _values(wheel["demo/_version.py"])["__version__"] == VERSION
