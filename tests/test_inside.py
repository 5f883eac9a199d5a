"""Nothing from outside the project reaches an artefact: one reader, and it checks."""

from __future__ import annotations

import ast
import os
from pathlib import Path

import pytest

from fletching.errors import FletchingError
from helpers import (
    MINIMAL_PYPROJECT,
    REPO,
    build_sdist,
    build_wheel,
    call_hook,
    write_project,
)

# Calls that read a file's bytes. Every one in fletching must be in READERS.
_READING_CALLS = {"open", "read_bytes", "read_text", "fdopen", "scandir"}
# The places allowed to make them, and why.
READERS = {
    # The choke point itself.
    ("inside.py", "read_inside"): {"open"},
    # The frontend's prepared .dist-info folder (PEP 517), outside the project by design;
    # it must hold only regular files, and a link is refused.
    ("prepared.py", "_read_folder"): {"scandir", "open"},
    # Writing the artefact (os.open with O_CREAT | O_EXCL, then fdopen), not reading.
    ("archive.py", "atomic_output"): {"open", "fdopen"},
    # Listing folders to walk, which refuses links out of the project.
    ("tree.py", "_walk"): {"scandir"},
    ("tree.py", "top_level_files"): {"scandir"},
    # Names only, for a "did you mean" hint.
    ("discovery.py", "_similar_module"): {"scandir"},
    # fletching's own list of vendored versions, not a project file.
    ("_vendoring.py", "library_version"): {"open"},
    # git's own files (HEAD, refs, tag objects) when the git program is not there; the
    # repository may be a parent's, outside the project. Nothing read is packed.
    ("gitfiles.py", "read_file"): {"open"},
}


def _calls(path: Path) -> set[tuple[str, str, str]]:
    """(file, enclosing function, called name) for every reading call in a module."""
    found = set()
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for func in ast.walk(tree):
        if not isinstance(func, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        for node in ast.walk(func):
            if isinstance(node, ast.Call):
                callee = node.func
                name = (
                    callee.attr if isinstance(callee, ast.Attribute) else getattr(callee, "id", "")
                )
                if name in _READING_CALLS:
                    found.add((path.name, func.name, name))
    return found


def test_every_file_read_goes_through_the_one_reader() -> None:
    found = set()
    for path in sorted((REPO / "fletching").glob("*.py")):
        found |= _calls(path)
    unexpected = sorted(
        (file, func, name)
        for file, func, name in found
        if name not in READERS.get((file, func), set())
    )
    assert unexpected == []
    # The list is exact: a reader that no longer exists is taken off it.
    assert {(f, fn) for f, fn, _ in found} == set(READERS)


@pytest.fixture
def outside_file(tmp_path: Path) -> Path:
    secret = tmp_path / "secret.toml"
    secret.write_text(MINIMAL_PYPROJECT + "# a secret that must not leave the machine\n")
    return secret


@pytest.mark.parametrize("hook", ["build_sdist", "build_wheel", "prepare_metadata_for_build_wheel"])
def test_a_pyproject_linked_from_outside_is_refused(
    tmp_path: Path, outside_file: Path, hook: str
) -> None:
    project = write_project(tmp_path / "p", {"demo.py": '"""Demo."""\n'})
    os.symlink(outside_file, project / "pyproject.toml")
    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(FletchingError) as info:
        call_hook(project, hook, str(out))
    assert str(info.value).startswith(
        f"pyproject.toml: is a symbolic link to {str(outside_file)!r}, outside the project"
    )
    assert list(out.iterdir()) == []


def test_a_pyproject_linked_from_inside_is_read(tmp_path: Path) -> None:
    project = write_project(
        tmp_path / "p", {"demo.py": '"""Demo."""\n', "conf/pyproject.toml": MINIMAL_PYPROJECT}
    )
    os.symlink("conf/pyproject.toml", project / "pyproject.toml")
    assert build_wheel(project, tmp_path / "out").name == "demo-1.0-py3-none-any.whl"
    assert build_sdist(project, tmp_path / "out").name == "demo-1.0.tar.gz"


def test_a_module_linked_from_outside_is_not_imported(tmp_path: Path) -> None:
    """Its version must be imported (read from a file at import time), which would run
    code from outside the project."""
    elsewhere = write_project(
        tmp_path / "elsewhere",
        {"demo.py": '"""Demo."""\nimport os\n__version__ = os.environ.get("X", "1.0")\n'},
    )
    project = write_project(
        tmp_path / "p",
        {"pyproject.toml": MINIMAL_PYPROJECT.replace('version = "1.0"', 'dynamic = ["version"]')},
    )
    os.symlink(elsewhere / "demo.py", project / "demo.py")
    with pytest.raises(FletchingError) as info:
        build_wheel(project, tmp_path / "out")
    assert str(info.value).startswith("demo.py: is a symbolic link to ")


def test_a_link_into_a_sibling_folder_with_the_same_prefix_is_refused(tmp_path: Path) -> None:
    # '<root>2/secret' starts with the text '<root>' but lies outside it.
    project = write_project(
        tmp_path / "p", {"pyproject.toml": MINIMAL_PYPROJECT, "demo/__init__.py": ""}
    )
    sibling = write_project(tmp_path / "p2", {"secret.txt": "s"})
    os.symlink(sibling / "secret.txt", project / "demo" / "leak.txt")
    with pytest.raises(FletchingError) as info:
        build_wheel(project, tmp_path / "out")
    assert str(info.value).startswith("demo/leak.txt: is a symbolic link to ")
