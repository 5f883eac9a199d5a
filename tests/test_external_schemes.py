"""``[tool.fletching.external-data] scripts / headers``: the wheel's other install schemes."""

from __future__ import annotations

import os
import stat
import zipfile
from pathlib import Path

import pytest

from fletching.errors import BuildError, ConfigError
from helpers import (
    MINIMAL_PYPROJECT,
    build_editable,
    build_sdist,
    build_wheel,
    build_wheel_after_prepare,
    call_hook,
    install_with_installer,
    sdist_members,
    unpack_sdist,
    wheel_members,
    write_project,
)

PYPROJECT = (
    MINIMAL_PYPROJECT
    + '\n[project.scripts]\ndemo-cli = "demo:main"\n'
    + '\n[tool.fletching.external-data]\ndirectory = "share"\nscripts = "bin"\n'
    + 'headers = "include/"\n'
)
FILES = {
    "pyproject.toml": PYPROJECT,
    "demo.py": '"""Demo."""\n\n\ndef main():\n    pass\n',
    "share/man/demo.1": ".TH DEMO 1\n",
    "bin/demo-hello": "#!/bin/sh\necho hello from sh\n",
    "bin/demo-py": "#!python\nprint('hello from python')\n",
    "include/demo.h": "int demo(void);\n",
}
EXPECTED = [
    "demo-1.0.data/data/man/demo.1",
    "demo-1.0.data/headers/demo.h",
    "demo-1.0.data/scripts/demo-hello",
    "demo-1.0.data/scripts/demo-py",
    "demo.py",
]


def _project(tmp_path: Path, **changes: str) -> Path:
    project = write_project(tmp_path / "p", {**FILES, **changes})
    os.chmod(project / "bin" / "demo-hello", 0o755)
    return project


def test_the_wheel_holds_every_scheme_and_the_sdist_their_folders(
    tmp_path: Path, out: Path
) -> None:
    project = _project(tmp_path)
    wheel = build_wheel(project, out)
    assert sorted(n for n in wheel_members(wheel) if ".dist-info/" not in n) == EXPECTED
    with zipfile.ZipFile(wheel) as zf:
        modes = {i.filename: i.external_attr >> 16 for i in zf.infolist()}
    assert stat.S_IMODE(modes["demo-1.0.data/scripts/demo-hello"]) == 0o755
    # Executable in the wheel although not in the project: a program for bin/.
    assert not os.stat(project / "bin" / "demo-py").st_mode & 0o111
    assert stat.S_IMODE(modes["demo-1.0.data/scripts/demo-py"]) == 0o755
    assert stat.S_IMODE(modes["demo-1.0.data/headers/demo.h"]) == 0o644
    sdist = build_sdist(project, out)
    in_sdist = sdist_members(sdist)
    for path in ("bin/demo-hello", "bin/demo-py", "include/demo.h", "share/man/demo.1"):
        assert f"demo-1.0/{path}" in in_sdist, sorted(in_sdist)
    from_sdist = build_wheel(unpack_sdist(sdist, tmp_path / "unpacked"), tmp_path / "again")
    assert from_sdist.read_bytes() == wheel.read_bytes()


def test_an_installer_puts_each_file_in_its_scheme(tmp_path: Path, out: Path) -> None:
    target = tmp_path / "env"
    install_with_installer(build_wheel(_project(tmp_path), out), target, "/env/bin/python")
    assert (target / "headers" / "demo.h").read_text() == "int demo(void);\n"
    assert (target / "data" / "man" / "demo.1").is_file()
    hello = target / "scripts" / "demo-hello"
    assert hello.read_text() == "#!/bin/sh\necho hello from sh\n"
    assert hello.stat().st_mode & stat.S_IXUSR
    # An installer rewrites a '#!python' line to the environment's interpreter.
    assert (target / "scripts" / "demo-py").read_text().startswith("#!/env/bin/python\n")
    assert (target / "scripts" / "demo-py").stat().st_mode & stat.S_IXUSR
    assert (target / "scripts" / "demo-cli").is_file()


def test_an_editable_wheel_installs_them_too(tmp_path: Path, out: Path) -> None:
    members = wheel_members(build_editable(_project(tmp_path), out))
    assert sorted(n for n in members if ".data/" in n) == EXPECTED[:-1]


def test_explain_names_the_key(
    tmp_path: Path, out: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    call_hook(_project(tmp_path), "build_wheel", str(out), {"explain": "true"})
    lines = capsys.readouterr().err.splitlines()
    assert (
        "  + bin/demo-hello -> demo-1.0.data/scripts/demo-hello  [[tool.fletching.external-data]"
        " scripts 'bin']" in lines
    )
    assert (
        "  + include/demo.h -> demo-1.0.data/headers/demo.h  [[tool.fletching.external-data]"
        " headers 'include']" in lines
    )


def test_a_scheme_needs_no_data_directory(tmp_path: Path, out: Path) -> None:
    pyproject = MINIMAL_PYPROJECT + '\n[tool.fletching.external-data]\nscripts = "bin"\n'
    project = _project(tmp_path, **{"pyproject.toml": pyproject})
    members = wheel_members(build_wheel(project, out))
    assert sorted(n for n in members if ".data/" in n) == EXPECTED[2:4]


@pytest.mark.parametrize(
    ("name", "table"),
    [
        ("tool", "[project.scripts]"),
        ("Tool.exe", "[project.scripts]"),
        ("gui-tool", "[project.gui-scripts]"),
    ],
)
def test_a_file_named_like_a_script_is_refused(
    tmp_path: Path, out: Path, name: str, table: str
) -> None:
    group = table.strip("[]")
    pyproject = PYPROJECT.replace("[project.scripts]\n", f"[{group}]\n").replace(
        "demo-cli", name.lower().removesuffix(".exe")
    )
    files = {"pyproject.toml": pyproject, f"bin/{name}": "#!/bin/sh\n"}
    project = _project(tmp_path, **files)
    # As pip builds too: the wheel from the .dist-info folder prepare_metadata wrote.
    builds = (build_wheel, build_sdist, lambda p, o: build_wheel_after_prepare(p, o / "ws"))
    for build in builds:
        with pytest.raises(ConfigError) as info:
            build(project, out)
        assert info.value.key == "[tool.fletching.external-data] scripts"
        bare = name.lower().removesuffix(".exe")
        assert str(info.value) == (
            f"pyproject.toml: [tool.fletching.external-data] scripts: 'bin/{name}' would be"
            f" installed where the script {bare!r} of {table} goes, and one would overwrite"
            " the other; rename the file or the script"
        )


@pytest.mark.skipif(os.name != "posix", reason="needs symbolic links")
def test_a_scripts_folder_that_links_out_is_refused(tmp_path: Path, out: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "tool").write_text("#!/bin/sh\n", encoding="utf-8")
    project = _project(tmp_path)
    os.rename(project / "bin", tmp_path / "old-bin")
    os.symlink(outside, project / "bin")
    with pytest.raises(BuildError) as info:
        build_wheel(project, out)
    assert str(info.value).startswith(f"bin: is a symbolic link to {str(outside)!r}, outside")
    assert list(out.iterdir()) == []


@pytest.mark.parametrize("folder", ["pkg", "pkg/include", "src"])
def test_a_scheme_folder_overlapping_the_package_is_refused(
    tmp_path: Path, out: Path, folder: str
) -> None:
    pyproject = (
        MINIMAL_PYPROJECT.replace('name = "demo"', 'name = "pkg"')
        + f'\n[tool.fletching.external-data]\nheaders = "{folder}"\n'
    )
    project = write_project(
        tmp_path / "p",
        {"pyproject.toml": pyproject, "src/pkg/__init__.py": "", "src/pkg/include/x.h": ""}
        if folder == "src"
        else {"pyproject.toml": pyproject, "pkg/__init__.py": "", "pkg/include/x.h": ""},
    )
    with pytest.raises(ConfigError, match=r"\[tool.fletching.external-data\] headers: .* overlaps"):
        build_wheel(project, out)
