"""Finding the module and selecting files: layouts, globs, links."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from fletching.discovery import Module, find_module
from fletching.errors import BuildError, ConfigError, FletchingError
from fletching.glob_keys import license_files
from fletching.globs import pattern_matches
from fletching.model import parse_pyproject
from fletching.names import import_name_for
from fletching.tree import Tree
from helpers import MINIMAL_PYPROJECT, call_hook, sdist_members, write_project

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python < 3.11
    import tomli as tomllib


@pytest.mark.parametrize(
    ("dist", "module"),
    [
        ("demo", "demo"),
        ("my-pkg", "my_pkg"),
        ("My_Pkg", "My_Pkg"),
        ("acme.widgets", "acme.widgets"),
        ("foo-bar-stubs", "foo_bar-stubs"),
    ],
)
def test_import_name_from_distribution_name(dist: str, module: str) -> None:
    assert import_name_for(dist) == module


@pytest.mark.parametrize(
    ("files", "name", "expected"),
    [
        pytest.param({"demo/__init__.py": ""}, "demo", Module("demo", "demo", True), id="package"),
        pytest.param({"demo.py": ""}, "demo", Module("demo", "demo.py", False), id="module"),
        pytest.param(
            {"src/demo/__init__.py": ""}, "demo", Module("demo", "src/demo", True), id="src"
        ),
        pytest.param(
            {"src/demo.py": ""}, "demo", Module("demo", "src/demo.py", False), id="src-py"
        ),
        pytest.param(
            {"a/b/__init__.py": ""}, "a.b", Module("a.b", "a/b", True), id="namespace-package"
        ),
        pytest.param(
            {"src/a/b/c.py": ""},
            "a.b.c",
            Module("a.b.c", "src/a/b/c.py", False),
            id="namespace-mod",
        ),
        pytest.param(
            {"foo-stubs/__init__.pyi": ""},
            "foo-stubs",
            Module("foo-stubs", "foo-stubs", True),
            id="stubs",
        ),
    ],
)
def test_module_layouts(tmp_path: Path, files: dict[str, str], name: str, expected: Module) -> None:
    write_project(tmp_path, files)
    assert find_module(tmp_path, name, "[project] name") == expected


def test_module_source_dir_and_arcname() -> None:
    module = Module("a.b", "src/a/b", True)
    assert module.source_dir == "src"
    assert module.arcname("src/a/b/x.py") == "a/b/x.py"
    assert Module("demo", "demo.py", False).source_dir == ""


def test_missing_module_lists_where_it_looked(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as info:
        find_module(tmp_path, "demo", "[project] name")
    assert str(info.value) == (
        "pyproject.toml: [project] name: cannot find the module 'demo': looked for "
        "demo/__init__.py, demo.py, src/demo/__init__.py, src/demo.py. Set [tool.flit.module] "
        "name if the import name differs from the distribution name"
    )


def test_ambiguous_module(tmp_path: Path) -> None:
    write_project(tmp_path, {"demo/__init__.py": "", "src/demo.py": ""})
    with pytest.raises(ConfigError, match="the module 'demo' is ambiguous: found 'demo' and"):
        find_module(tmp_path, "demo", "[project] name")


def test_folder_without_init_is_a_namespace_package(tmp_path: Path) -> None:
    write_project(tmp_path, {"demo/x.py": ""})
    module = find_module(tmp_path, "demo", "[project] name")
    assert module == Module("demo", "demo", True, module.warnings)
    assert module.warnings == (
        "pyproject.toml: [project] name: the folder 'demo' has no __init__.py, so it is packed"
        " as a namespace package (PEP 420); add demo/__init__.py for a regular package",
    )


def test_namespace_parent_with_init_is_left_out_with_a_warning(tmp_path: Path) -> None:
    write_project(tmp_path, {"a/__init__.py": "", "a/b/__init__.py": ""})
    module = find_module(tmp_path, "a.b", "[tool.flit.module] name")
    assert module == Module("a.b", "a/b", True, module.warnings)
    assert module.warnings == (
        "pyproject.toml: [tool.flit.module] name: 'a.b' is packed as a namespace package"
        " portion, so a/__init__.py is left out although it exists; remove a/__init__.py, or"
        ' set [tool.flit.module] name = "a" to ship the whole package',
    )


@pytest.mark.parametrize(
    ("pattern", "path", "matches"),
    [
        ("docs/*", "docs/a.txt", True),
        ("a[!x]b", "a/b", False),  # a negated class never matches '/'
        ("a[!x]b", "ayb", True),
        ("docs/*", "docs/.hidden", False),
        ("docs/*", "docs/sub/deep.txt", True),
        ("docs", "docs/.hidden", True),
        ("docs/", "docs/x", True),
        ("./docs/../top.txt", "top.txt", True),
        ("docs/**", "docs/.nojekyll", True),
        ("docs/drafts/**", "docs/drafts/.notes", True),
        ("docs/**", "docsx/a", False),
        ("**/*.txt", "a.txt", True),
        ("**/*.txt", "x/y/a.txt", True),
        ("**/*.txt", ".git/a.txt", False),
        (".*", ".env", True),
        ("*", ".env", False),
        ("**.pyc", "a.pyc", True),
        ("LICEN[CS]E*", "LICENSE.txt", True),
        ("LICEN[CS]E*", "sub/LICENSE", False),
        ("a/[!b]*", "a/c", True),
        ("a/[!b]*", "a/b", False),
        ("a?c", "abc", True),
        ("a?c", "a/c", False),
    ],
)
def test_glob_semantics(pattern: str, path: str, matches: bool) -> None:
    assert pattern_matches(pattern, path) is matches


def test_glob_walks_once_and_prunes_caches(tmp_path: Path) -> None:
    write_project(
        tmp_path,
        {
            "docs/a.txt": "",
            "docs/sub/b.txt": "",
            "docs/__pycache__/c.txt": "",
            "docs/x.pyc": "",
            ".git/config.txt": "",
            "venv/pyvenv.cfg": "",
            "venv/lib/d.txt": "",
        },
    )
    tree = Tree(tmp_path)
    assert tree.glob("**/*.txt") == ["docs/a.txt", "docs/sub/b.txt"]
    assert tree.glob("docs") == ["docs/__pycache__/c.txt", "docs/a.txt", "docs/sub/b.txt"]
    assert tree.glob("nothing/*") == []


def _count_scandir(root: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The folders os.scandir lists from now on, relative to ``root``, in order."""
    scanned: list[str] = []
    real_scandir = os.scandir

    def counting_scandir(path: str | os.PathLike[str]) -> object:
        scanned.append(os.path.relpath(path, root))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", counting_scandir)
    return scanned


def test_globs_from_one_folder_share_one_walk(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # flit's four default license globs each start at the top of the tree; on a large
    # project, walking it once per glob was a visible share of every build.
    write_project(tmp_path, {"LICENSE": "", "pkg/a.py": "", "pkg/sub/b.py": "", "COPYING": ""})
    scanned = _count_scandir(tmp_path, monkeypatch)
    tree = Tree(tmp_path)
    found = [tree.glob(p) for p in ("COPYING*", "LICEN[CS]E*", "NOTICE*", "AUTHORS*")]
    assert found == [["COPYING"], ["LICENSE"], [], []]
    assert sorted(scanned) == [".", "pkg", "pkg/sub"]


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symlinks")
def test_link_out_of_the_project_is_refused(tmp_path: Path) -> None:
    outside = tmp_path / "secret.txt"
    outside.write_text("secret")
    project = write_project(tmp_path / "p", {"demo/__init__.py": ""})
    (project / "demo" / "leak.txt").symlink_to(outside)
    with pytest.raises(BuildError) as info:
        Tree(project).files_under("demo")
    assert str(info.value).startswith("demo/leak.txt: is a symbolic link to ")
    assert "outside the project" in str(info.value)


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symlinks")
def test_link_inside_the_project_is_followed(tmp_path: Path) -> None:
    project = write_project(tmp_path, {"demo/__init__.py": "", "shared/data.txt": "x"})
    (project / "demo" / "data").symlink_to(project / "shared")
    assert Tree(project).files_under("demo") == ["demo/__init__.py", "demo/data/data.txt"]


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symlinks")
def test_link_loop_terminates(tmp_path: Path) -> None:
    project = write_project(tmp_path, {"demo/__init__.py": ""})
    (project / "demo" / "loop").symlink_to(project / "demo")
    assert Tree(project).files_under("demo") == ["demo/__init__.py"]


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symlinks")
def test_broken_link_is_an_error(tmp_path: Path) -> None:
    project = write_project(tmp_path, {"demo/__init__.py": ""})
    (project / "demo" / "gone").symlink_to(project / "nowhere")
    with pytest.raises(BuildError, match="demo/gone: is a broken symbolic link"):
        Tree(project).files_under("demo")


def _outside_folder(tmp_path: Path) -> Path:
    return write_project(tmp_path / "elsewhere", {"__init__.py": "", "secret.txt": "s"})


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symlinks")
@pytest.mark.parametrize(
    ("link", "pyproject_extra", "hook"),
    [
        ("demo", "", "build_wheel"),  # the package folder itself
        ("data", '\n[tool.flit.external-data]\ndirectory = "data"\n', "build_wheel"),
        ("ext", '\n[tool.flit.sdist]\ninclude = ["ext/secret.txt"]\n', "build_sdist"),
        ("ext", 'license-files = ["ext/secret.txt"]\n', "build_wheel"),
    ],
    ids=["package-folder", "external-data", "include-below-a-link", "license-below-a-link"],
)
def test_a_linked_folder_leading_outside_is_refused(
    tmp_path: Path, link: str, pyproject_extra: str, hook: str
) -> None:
    # Only the entries of a walked folder used to be checked, not the folder a walk
    # starts from nor the folders above a named file: these packed outside files.
    files = {"pyproject.toml": MINIMAL_PYPROJECT + pyproject_extra}
    if link != "demo":
        files["demo/__init__.py"] = ""
    project = write_project(tmp_path / "p", files)
    (project / link).symlink_to(_outside_folder(tmp_path), target_is_directory=True)
    with pytest.raises(BuildError) as info:
        call_hook(project, hook, str(tmp_path / "out"))
    assert str(info.value).startswith(f"{link}")
    assert "outside the project" in str(info.value)


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symlinks")
def test_a_link_elsewhere_in_the_tree_does_not_stop_the_build(tmp_path: Path) -> None:
    # flit's default license globs name top-level files; they used to walk the whole
    # tree, so an outside link in docs/ failed builds that never pack docs/.
    project = write_project(tmp_path / "p", {"pyproject.toml": MINIMAL_PYPROJECT, "demo.py": ""})
    (project / "docs").mkdir()
    (project / "docs" / "passwd").symlink_to(_outside_folder(tmp_path) / "secret.txt")
    assert call_hook(project, "build_wheel", str(tmp_path / "out")).endswith(".whl")


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symlinks")
@pytest.mark.parametrize("where", ["demo/loop.py", "README.md"])
def test_a_link_loop_is_a_message_not_a_traceback(tmp_path: Path, where: str) -> None:
    pyproject = MINIMAL_PYPROJECT + ('readme = "README.md"\n' if where == "README.md" else "")
    project = write_project(tmp_path / "p", {"pyproject.toml": pyproject, "demo/__init__.py": ""})
    (project / where).symlink_to(project / where)
    with pytest.raises(FletchingError) as info:
        call_hook(project, "build_wheel", str(tmp_path / "out"))
    assert where in str(info.value)


def test_default_license_globs_read_only_the_top_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_project(tmp_path, {"LICENSE": "", "COPYING.txt": "", "pkg/LICENSE": "", "a/b/c.py": ""})
    scanned = _count_scandir(tmp_path, monkeypatch)
    config = parse_pyproject(tomllib.loads(MINIMAL_PYPROJECT))
    assert [m.path for m in license_files(Tree(tmp_path), config)] == ["COPYING.txt", "LICENSE"]
    assert scanned == ["."]


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symlinks")
@pytest.mark.parametrize("name", ["alink", "zlink"])
def test_a_folder_and_a_link_to_it_are_both_walked(tmp_path: Path, name: str) -> None:
    # The walk used to skip a folder it had reached by another path, so whichever of
    # the two the stack popped first won: a real subpackage could vanish.
    project = write_project(tmp_path, {"demo/__init__.py": "", "demo/real/__init__.py": ""})
    (project / "demo" / name).symlink_to("real", target_is_directory=True)
    assert Tree(project).files_under("demo") == sorted(
        ["demo/__init__.py", "demo/real/__init__.py", f"demo/{name}/__init__.py"]
    )


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symlinks")
def test_a_linked_folder_outside_inside_the_package_is_left_out_with_a_warning(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # flit_core never follows a link to a folder, and builds; so does fletching, aloud.
    project = write_project(
        tmp_path / "p", {"pyproject.toml": MINIMAL_PYPROJECT, "demo/__init__.py": ""}
    )
    (project / "demo" / "ext").symlink_to(_outside_folder(tmp_path), target_is_directory=True)
    out = tmp_path / "out"
    for hook in ("build_wheel", "build_sdist"):
        call_hook(project, hook, str(out))
    assert (
        capsys.readouterr().err.count(
            "fletching: warning: demo/ext/: left out (a link to a folder outside the project,"
            " never followed); copy in what the build needs\n"
        )
        == 2
    )


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symlinks")
def test_links_a_glob_cannot_match_do_not_stop_it(tmp_path: Path) -> None:
    pyproject = MINIMAL_PYPROJECT + 'license-files = ["LICEN[CS]E*"]\n'
    files = {"pyproject.toml": pyproject, "demo.py": "", "LICENSE": "MIT"}
    project = write_project(tmp_path / "p", files)
    (project / ".venv").symlink_to(_outside_folder(tmp_path), target_is_directory=True)
    (project / "notes").mkdir()
    (project / "notes" / "stale").symlink_to(project / "nowhere")
    assert call_hook(project, "build_wheel", str(tmp_path / "out")).endswith(".whl")
    # A pattern that does match the broken link still refuses it.
    (project / "LICENSE.old").symlink_to(project / "nowhere")
    with pytest.raises(BuildError, match=r"LICENSE\.old: is a broken symbolic link"):
        call_hook(project, "build_wheel", str(tmp_path / "out"))


def test_an_sdist_written_into_the_project_folder_keeps_its_includes(tmp_path: Path) -> None:
    pyproject = MINIMAL_PYPROJECT + '\n[tool.flit.sdist]\ninclude = ["*.md"]\n'
    project = write_project(
        tmp_path / "p", {"pyproject.toml": pyproject, "demo.py": "", "NOTES.md": "n"}
    )
    name = call_hook(project, "build_sdist", ".")
    assert "demo-1.0/NOTES.md" in sdist_members(project / name)
