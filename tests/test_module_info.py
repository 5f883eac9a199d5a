"""Reading __version__ and the docstring: statically first, by a child import last."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from fletching import buildapi
from fletching.config import load_project
from fletching.discovery import Module
from fletching.errors import BuildError, ConfigErrors, FletchingError
from fletching.module_info import (
    ImportFailure,
    ModuleValues,
    read_by_import,
    read_static,
)
from helpers import chdir, write_project

DYNAMIC = """\
[build-system]
requires = ["fletching"]
build-backend = "fletching.buildapi"

[project]
name = "demo"
dynamic = ["version", "description"]
dependencies = ["definitely-not-installed-dep>=1"]
"""

PKG = Module("demo", "demo", True)
SINGLE = Module("demo", "demo.py", False)


@pytest.mark.parametrize(
    "source",
    [
        '"""Doc."""\n__version__ = "1.2"\n',
        '"""Doc."""\n__version__: str = "1.2"\n',
        '"""Doc."""\nx = __version__ = "1.2"\n',
        '"""Doc."""\n__version__ = "1.2"\n__version__ = "9.9"\n',
        '# -*- coding: latin-1 -*-\n"""Doc."""\n__version__ = "1.2"\nx = "\xe9"\n',
    ],
)
def test_static_forms_of_version(tmp_path: Path, source: str) -> None:
    (tmp_path / "demo.py").write_bytes(source.encode("latin-1"))
    assert read_static(tmp_path, SINGLE) == ModuleValues("1.2", "Doc.")


@pytest.mark.parametrize(
    "files",
    [
        {
            "demo/__init__.py": '"""Doc."""\nfrom .version import __version__\n',
            "demo/version.py": '__version__ = "1.2"',
        },
        {"demo/__init__.py": '"""Doc."""\n', "demo/version.py": '__version__ = "1.2"'},
        {"demo/__init__.py": '"""Doc."""\n', "demo/_version.py": '__version__ = "1.2"'},
        {"demo/__init__.py": '"""Doc."""\n', "demo/__version__.py": '__version__ = "1.2"'},
    ],
)
def test_version_files_of_a_package(tmp_path: Path, files: dict[str, str]) -> None:
    # Each case has only the file it names: version.py, looked at first, must not be
    # what answers for _version.py or __version__.py.
    write_project(tmp_path, files)
    assert read_static(tmp_path, PKG) == ModuleValues("1.2", "Doc.")


def test_init_wins_over_version_files(tmp_path: Path) -> None:
    write_project(
        tmp_path,
        {
            "demo/__init__.py": '"""D."""\n__version__ = "1"\n',
            "demo/_version.py": '__version__ = "2"',
        },
    )
    values = read_static(tmp_path, PKG)
    assert values is not None
    assert values.version == "1"


@pytest.mark.parametrize(
    "source",
    [
        '"""Doc."""\n__version__ = get_version()\n',
        '"""Doc."""\n__version__ = 1.2\n',
        '"""Doc."""\nif True:\n    __version__ = "1"\n',
        "__version__ = '1'\n",  # no docstring, and one is needed
        "def broken(:\n",
    ],
)
def test_static_read_gives_up_when_only_running_code_can_tell(tmp_path: Path, source: str) -> None:
    (tmp_path / "demo.py").write_text(source)
    assert read_static(tmp_path, SINGLE) is None


def test_docstring_alone_when_version_is_static(tmp_path: Path) -> None:
    (tmp_path / "demo.py").write_text('"""Doc."""\n')
    assert read_static(tmp_path, SINGLE, need_version=False) == ModuleValues(None, "Doc.")


def test_import_reads_a_version_file_at_import_time(tmp_path: Path) -> None:
    write_project(
        tmp_path,
        {
            "demo/__init__.py": (
                '"""Read VERSION."""\nfrom pathlib import Path\n'
                '__version__ = Path(__file__).with_name("VERSION").read_text().strip()\n'
            ),
            "demo/VERSION": "3.1.4\n",
        },
    )
    assert read_by_import(tmp_path, PKG) == ModuleValues("3.1.4", "Read VERSION.")


def test_output_the_module_leaves_unfinished_does_not_hide_its_values(tmp_path: Path) -> None:
    source = '"""D."""\nimport sys\nsys.stdout.write("loading")\n__version__ = "%d" % 3\n'
    write_project(tmp_path, {"demo.py": source})
    assert read_by_import(tmp_path, SINGLE) == ModuleValues("3", "D.")


def test_import_runs_in_a_child_and_leaves_this_process_alone(tmp_path: Path) -> None:
    write_project(
        tmp_path,
        {"demo.py": '"""D."""\nimport sys\nsys.modules["os"] = None\n__version__ = str(1 + 1)\n'},
    )
    assert read_by_import(tmp_path, SINGLE) == ModuleValues("2", "D.")
    assert "demo" not in sys.modules
    assert sys.modules["os"] is not None


def test_import_failure_names_the_missing_module(tmp_path: Path) -> None:
    (tmp_path / "demo.py").write_text('import numpy_not_here\n__version__ = "1"\n')
    result = read_by_import(tmp_path, SINGLE)
    assert isinstance(result, ImportFailure)
    assert result.missing == "numpy_not_here"
    assert "No module named 'numpy_not_here'" in result.message


def test_import_failure_shows_the_modules_own_error(tmp_path: Path) -> None:
    (tmp_path / "demo.py").write_text('raise RuntimeError("configure me first")\n')
    result = read_by_import(tmp_path, SINGLE)
    assert result == ImportFailure("RuntimeError: configure me first", None)


def test_stdout_noise_from_the_module_is_ignored(tmp_path: Path) -> None:
    (tmp_path / "demo.py").write_text('"""D."""\nprint("hello {}")\n__version__ = "1" + ".0"\n')
    assert read_by_import(tmp_path, SINGLE) == ModuleValues("1.0", "D.")


def test_failed_import_is_a_clear_build_error(tmp_path: Path) -> None:
    write_project(tmp_path, {"pyproject.toml": DYNAMIC, "demo.py": "import not_installed_x\n"})
    with pytest.raises(BuildError) as info:
        load_project(tmp_path)
    message = str(info.value)
    assert message.startswith("demo.py: the version or description is read from the module")
    assert "ModuleNotFoundError: No module named 'not_installed_x'" in message


def test_missing_version_and_docstring_are_reported_together(tmp_path: Path) -> None:
    write_project(tmp_path, {"pyproject.toml": DYNAMIC, "demo.py": "x = 1\n"})
    with pytest.raises(ConfigErrors) as info:
        load_project(tmp_path)
    assert [e.message.split(";")[0] for e in info.value.errors] == [
        '[project] dynamic lists "version" but the module has no __version__',
        '[project] dynamic lists "description" but the module has no docstring',
    ]


def test_summary_is_the_first_docstring_line(tmp_path: Path) -> None:
    write_project(
        tmp_path,
        {
            "pyproject.toml": DYNAMIC,
            "demo.py": '"""\n  First line.  \n\nMore.\n"""\n__version__ = "1"',
        },
    )
    assert load_project(tmp_path).metadata.description == "First line."


class TestGetRequires:
    """The build needs the project's dependencies, as written, only when the module must
    be imported for its version or description (as flit_core 4.2 answers)."""

    def requires(self, root: Path) -> list[str]:
        with chdir(root):
            results = {
                tuple(hook())
                for hook in (
                    buildapi.get_requires_for_build_wheel,
                    buildapi.get_requires_for_build_sdist,
                    buildapi.get_requires_for_build_editable,
                )
            }
        assert len(results) == 1
        return list(results.pop())

    def test_static_values_need_nothing(self, tmp_path: Path) -> None:
        write_project(
            tmp_path, {"pyproject.toml": DYNAMIC, "demo.py": '"""D."""\n__version__ = "1"'}
        )
        assert self.requires(tmp_path) == []

    @pytest.mark.parametrize(
        "files",
        [
            pytest.param(
                {
                    "demo/__init__.py": '"""D."""\nfrom pathlib import Path\n'
                    '__version__ = Path(__file__).with_name("VERSION").read_text()\n',
                    "demo/VERSION": "1.0",
                },
                id="version-file",
            ),
            pytest.param(
                {"demo.py": '"""D."""\nimport definitely_not_installed_dep\n__version__ = f"1"\n'},
                id="needs-a-dependency",
            ),
            pytest.param(
                {"src/demo/__init__.py": '"""D."""\n__version__ = ".".join(["1", "0"])\n'},
                id="src-layout",
            ),
        ],
    )
    def test_a_module_that_must_be_imported_asks_for_the_dependencies(
        self, tmp_path: Path, files: dict[str, str]
    ) -> None:
        write_project(tmp_path, {"pyproject.toml": DYNAMIC, **files})
        assert self.requires(tmp_path) == ["definitely-not-installed-dep>=1"]

    def test_the_dependencies_are_answered_as_written(self, tmp_path: Path) -> None:
        # Not normalised by packaging: this hook does not import it.
        written = ["Some_Dep >= 1.0 ; python_version < '4'", "other[x]"]
        pyproject = DYNAMIC.replace('["definitely-not-installed-dep>=1"]', repr(written))
        write_project(tmp_path, {"pyproject.toml": pyproject, "demo.py": "import os\n"})
        assert self.requires(tmp_path) == written

    def test_static_metadata_needs_nothing(self, project: Path) -> None:
        assert self.requires(project) == []

    def test_config_errors_surface_when_the_module_must_be_read(self, tmp_path: Path) -> None:
        pyproject = '[project]\nname = 1\ndynamic = ["version"]\n'
        write_project(tmp_path, {"pyproject.toml": pyproject})
        with pytest.raises(FletchingError, match=r"\[project\] name: expected a string"):
            self.requires(tmp_path)


def test_static_project_needs_no_validation_to_answer(tmp_path: Path) -> None:
    # The build hook reports this; get_requires only decides what to install.
    write_project(tmp_path, {"pyproject.toml": '[project]\nname = 1\nversion = "1"\n'})
    with chdir(tmp_path):
        assert buildapi.get_requires_for_build_wheel() == []
        with pytest.raises(FletchingError, match=r"\[project\] name: expected a string"):
            buildapi.build_wheel(str(tmp_path / "out"))


def test_toml_errors_surface_when_the_toml_must_be_read(tmp_path: Path) -> None:
    write_project(tmp_path, {"pyproject.toml": '[project\ndynamic = ["version"]\n'})
    with chdir(tmp_path), pytest.raises(FletchingError, match="invalid TOML"):
        buildapi.get_requires_for_build_sdist()


def test_missing_pyproject_is_reported_by_get_requires(tmp_path: Path) -> None:
    with chdir(tmp_path), pytest.raises(FletchingError, match=r"there is no pyproject\.toml"):
        buildapi.get_requires_for_build_wheel()
