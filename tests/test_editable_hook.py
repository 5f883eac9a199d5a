"""The strict editable hook, run for real: the generated files go into the
site-packages folder of a virtual environment, whose interpreter reads the .pth as
it reads any other, and a fresh process imports the project."""

from __future__ import annotations

import ast
import json
import os
import random
import shutil
import subprocess
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, NamedTuple

import pytest

from fletching.editable import strict_files
from fletching.errors import InternalError
from helpers import write_project

# Variables that would put something on sys.path, or take the current folder off it.
_ISOLATING = ("PYTHONPATH", "PYTHONHOME", "PYTHONSTARTUP", "PYTHONSAFEPATH", "PYTHONUSERBASE")

# Prints, for each name on the command line, the imported module's __file__ or the
# name of the error importing it raised.
PROBE = """\
import importlib, json, sys
found = {}
for name in sys.argv[1:]:
    try:
        found[name] = importlib.import_module(name).__file__
    except ImportError as error:
        found[name] = type(error).__name__
print(json.dumps(found))
"""

FLAT: dict[str, str | bytes] = {
    "pkg/__init__.py": "VALUE = 1\n",
    "pkg/data.txt": "some data\n",
    "pkg/__main__.py": "print('pkg.__main__ ran as', __name__)\n",
    "pkg/sub.py": "if __name__ == '__main__':\n    print('pkg.sub ran as', __name__)\n",
    "helper.py": "if __name__ == '__main__':\n    print('helper ran as', __name__)\n",
    "tests/__init__.py": "",
    "conftest.py": "",
    "setup.py": "",
    "noxfile.py": "",
}
BESIDE = ["tests", "conftest", "noxfile", "setup"]


class Venv(NamedTuple):
    python: Path
    site_packages: Path


@pytest.fixture(scope="module")
def venv(tmp_path_factory: pytest.TempPathFactory) -> Venv:
    """One virtual environment for the whole module: creating one is slow."""
    root = tmp_path_factory.mktemp("venv")
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(root)], check=True)
    bin_dir = "Scripts" if os.name == "nt" else "bin"
    python = root / bin_dir / ("python.exe" if os.name == "nt" else "python")
    code = "import sysconfig; print(sysconfig.get_path('purelib'))"
    site = run(python, ["-c", code], cwd=root).strip()
    return Venv(python, Path(site))


@pytest.fixture
def site_packages(venv: Venv) -> Iterator[Path]:
    """The environment's site-packages folder, emptied again of what the test added."""
    before = set(os.listdir(venv.site_packages))
    yield venv.site_packages
    for name in set(os.listdir(venv.site_packages)) - before:
        remove(venv.site_packages / name)


@pytest.fixture
def elsewhere(tmp_path: Path) -> Path:
    """A current folder holding nothing importable."""
    path = tmp_path / "elsewhere"
    path.mkdir()
    return path


def remove(path: Path) -> None:
    if path.is_dir():
        shutil.rmtree(path)
    else:
        path.unlink()


def run(python: Path, args: Sequence[str], *, cwd: Path, env: dict[str, str] | None = None) -> str:
    environ = {k: v for k, v in os.environ.items() if k not in _ISOLATING}
    result = subprocess.run(
        [str(python), *args],
        cwd=cwd,
        env={**environ, **(env or {})},
        capture_output=True,
        check=False,
    )
    out = result.stdout.decode("utf-8", "replace")
    err = result.stderr.decode("utf-8", "replace")
    assert result.returncode == 0, f"{args}: exit {result.returncode}\n{out}\n{err}"
    # site.py reports a failing .pth line on stderr and carries on.
    assert "Error processing line" not in err, err
    return out


def probe(venv: Venv, *names: str, cwd: Path, env: dict[str, str] | None = None) -> Any:
    return json.loads(run(venv.python, ["-c", PROBE, *names], cwd=cwd, env=env))


def python_code(venv: Venv, code: str, *, cwd: Path) -> Any:
    """Run ``code``, which prints one JSON value, and return that value."""
    return json.loads(run(venv.python, ["-c", code], cwd=cwd))


def install(site_packages: Path, dist: str, modules: Sequence[tuple[str, Path, bool]]) -> None:
    for name, data in strict_files(dist, [(n, str(p), f) for n, p, f in modules]):
        (site_packages / name).write_bytes(data)


def flat(root: Path) -> list[tuple[str, Path, bool]]:
    """A flat project with a package, a second module and the usual files beside them."""
    write_project(root, FLAT)
    return [("pkg", root / "pkg", True), ("helper", root / "helper.py", False)]


# Importing: only the project's modules, from the source


def test_only_the_projects_modules_import(site_packages: Path, venv: Venv, tmp_path: Path) -> None:
    root = tmp_path / "project"
    install(site_packages, "project", flat(root))
    found = probe(venv, "pkg", "helper", *BESIDE, cwd=tmp_path)
    assert found == {
        "pkg": str(root / "pkg" / "__init__.py"),
        "helper": str(root / "helper.py"),
        **dict.fromkeys(BESIDE, "ModuleNotFoundError"),
    }


def test_sys_path_and_sys_modules_are_untouched(
    site_packages: Path, venv: Venv, tmp_path: Path, elsewhere: Path
) -> None:
    code = "import json, sys; print(json.dumps([sys.path, sorted(sys.modules)]))"
    # Reading any .pth file imports a little (_bootlocale on 3.9).
    (site_packages / "other.pth").write_text("# a comment\n", encoding="utf-8")
    path_before, modules_before = python_code(venv, code, cwd=elsewhere)
    install(site_packages, "project", flat(tmp_path / "project"))
    path_after, modules_after = python_code(venv, code, cwd=elsewhere)
    assert path_after == path_before
    # Only the finder module itself, and nothing of fletching's.
    assert set(modules_after) - set(modules_before) == {"_fletching_editable_project"}


def test_the_finder_sits_once_just_before_path_finder(
    site_packages: Path, venv: Venv, tmp_path: Path, elsewhere: Path
) -> None:
    install(site_packages, "project", flat(tmp_path / "project"))
    # Adding the folder again makes site.py run the .pth again.
    code = (
        f"import json, site, sys; site.addsitedir({str(site_packages)!r}); "
        "print(json.dumps([getattr(f, '__name__', repr(f)) for f in sys.meta_path]))"
    )
    names = python_code(venv, code, cwd=elsewhere)
    assert names.count("StrictEditableFinder") == 1
    assert names[names.index("StrictEditableFinder") + 1] == "PathFinder"


# Python 3.15 and PEP 829. No such interpreter is at hand: the start-up below does what
# PEP 829 says site does, run with -S so that the real site.py does nothing.
# Per folder, in file-name order: path lines of the .pth files are added to sys.path;
# then the .start files' entry points are read (comment and blank lines ignored, the
# file decoded as utf-8-sig), the "import" lines of a .pth whose name matches a .start
# file are dropped, and each entry point is resolved by pkgutil.resolve_name and called
# with no arguments. 3.15 resolves with strict=True, which takes only "pkg.mod:callable";
# the pattern checks that form here. Mode "3.18": import lines are ignored altogether, as
# PEP 829 plans from 3.18. Mode "pth-first": the .pth import lines run first, as on
# Python 3.14 and before, and the .start file after them.
PEP_829_SITE = r"""
import json, os, pkgutil, re, sys
site_dir, mode = sys.argv[1:]
names = sorted(n for n in os.listdir(site_dir) if not n.startswith("."))
starts = {n[: -len(".start")] for n in names if n.endswith(".start")}
word = r"[^\W\d]\w*"
strict = re.compile(rf"{word}(\.{word})*:{word}(\.{word})*")
sys.path.append(site_dir)
import_lines = []
for name in names:
    if not name.endswith(".pth"):
        continue
    with open(os.path.join(site_dir, name), encoding="utf-8-sig") as f:
        for line in f.read().splitlines():
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            if line.startswith(("import ", "import\t")):
                if mode == "pth-first" or (
                    mode == "3.15" and name[: -len(".pth")] not in starts
                ):
                    import_lines.append(line)
            else:
                sys.path.append(os.path.join(site_dir, line.rstrip()))
if mode == "pth-first":
    for line in import_lines:
        exec(line)
    import_lines = []
entry_points = []
for name in names:
    if name.endswith(".start"):
        with open(os.path.join(site_dir, name), encoding="utf-8-sig") as f:
            for line in f.read().splitlines():
                line = line.strip()
                if line and not line.startswith("#"):
                    entry_points.append(line)
for line in import_lines:
    exec(line)
for entry_point in entry_points:
    assert strict.fullmatch(entry_point), entry_point
    pkgutil.resolve_name(entry_point)()
import importlib
found = {}
for module in ("pkg", "helper", "tests"):
    try:
        found[module] = importlib.import_module(module).__file__
    except ModuleNotFoundError:
        found[module] = "ModuleNotFoundError"
meta_path = [getattr(f, "__name__", repr(f)) for f in sys.meta_path]
print(json.dumps([entry_points, meta_path, found]))
"""


@pytest.mark.parametrize("mode", ["3.15", "3.18", "pth-first"])
def test_pep_829_start_file_installs_the_finder_once(
    site_packages: Path, venv: Venv, tmp_path: Path, elsewhere: Path, mode: str
) -> None:
    root = tmp_path / "project"
    install(site_packages, "project", flat(root))
    out = run(venv.python, ["-S", "-c", PEP_829_SITE, str(site_packages), mode], cwd=elsewhere)
    entry_points, meta_path, found = json.loads(out)
    assert entry_points == ["_fletching_editable_project:install"]
    assert meta_path.count("StrictEditableFinder") == 1
    assert meta_path[meta_path.index("StrictEditableFinder") + 1] == "PathFinder"
    assert found == {
        "pkg": str(root / "pkg" / "__init__.py"),
        "helper": str(root / "helper.py"),
        "tests": "ModuleNotFoundError",
    }


def test_an_edit_is_seen_by_a_new_process(site_packages: Path, venv: Venv, tmp_path: Path) -> None:
    root = tmp_path / "project"
    install(site_packages, "project", flat(root))
    code = "import json, pkg; print(json.dumps(pkg.VALUE))"
    assert python_code(venv, code, cwd=tmp_path) == 1
    # Another size: a .pyc written in the same second would otherwise pass for fresh.
    (root / "pkg" / "__init__.py").write_text("VALUE = 22\n", encoding="utf-8")
    assert python_code(venv, code, cwd=tmp_path) == 22


def test_a_new_submodule_imports(site_packages: Path, venv: Venv, tmp_path: Path) -> None:
    root = tmp_path / "project"
    install(site_packages, "project", flat(root))
    # In the running process once the import caches are invalidated, as for any package:
    # importing pkg.sub first makes the path machinery list the folder.
    code = (
        "import importlib, json, pathlib, pkg.sub\n"
        "pathlib.Path(pkg.__path__[0], 'late.py').write_text('VALUE = 3')\n"
        "importlib.invalidate_caches()\n"
        "import pkg.late\n"
        "print(json.dumps(pkg.late.VALUE))\n"
    )
    assert python_code(venv, code, cwd=tmp_path) == 3
    (root / "pkg" / "new_sub.py").write_text("", encoding="utf-8")
    found = probe(venv, "pkg.new_sub", cwd=tmp_path)
    assert found == {"pkg.new_sub": str(root / "pkg" / "new_sub.py")}


def test_a_deleted_module_is_not_found(site_packages: Path, venv: Venv, tmp_path: Path) -> None:
    root = tmp_path / "project"
    install(site_packages, "project", flat(root))
    (root / "helper.py").unlink()
    remove(root / "pkg")
    found = probe(venv, "pkg", "helper", cwd=tmp_path)
    assert found == {"pkg": "ModuleNotFoundError", "helper": "ModuleNotFoundError"}


def test_resources(site_packages: Path, venv: Venv, tmp_path: Path) -> None:
    install(site_packages, "project", flat(tmp_path / "project"))
    code = (
        "import importlib.resources as r, json, warnings\n"
        "warnings.simplefilter('ignore', DeprecationWarning)\n"  # read_text, 3.11 and 3.12
        "with r.as_file(r.files('pkg') / 'data.txt') as path:\n"
        "    from_file = path.read_text()\n"
        "print(json.dumps([\n"
        "    r.files('pkg').joinpath('data.txt').read_text(),\n"
        "    r.read_text('pkg', 'data.txt'),\n"
        "    from_file,\n"
        "]))\n"
    )
    assert python_code(venv, code, cwd=tmp_path) == ["some data\n"] * 3


@pytest.mark.parametrize(
    ("module", "expected"),
    [
        ("pkg", "pkg.__main__ ran as __main__\n"),
        ("pkg.sub", "pkg.sub ran as __main__\n"),
        ("helper", "helper ran as __main__\n"),
    ],
    ids=["package", "submodule", "module"],
)
def test_python_m(
    site_packages: Path, venv: Venv, tmp_path: Path, module: str, expected: str
) -> None:
    install(site_packages, "project", flat(tmp_path / "project"))
    assert run(venv.python, ["-m", module], cwd=tmp_path) == expected


def test_iter_modules_lists_the_submodules(site_packages: Path, venv: Venv, tmp_path: Path) -> None:
    install(site_packages, "project", flat(tmp_path / "project"))
    code = (
        "import json, pkg, pkgutil\n"
        "print(json.dumps(sorted(m.name for m in pkgutil.iter_modules(pkg.__path__))))\n"
    )
    assert python_code(venv, code, cwd=tmp_path) == ["__main__", "sub"]


def test_tracebacks_source_and_pickling(site_packages: Path, venv: Venv, tmp_path: Path) -> None:
    root = tmp_path / "project"
    install(site_packages, "project", flat(root))
    (root / "pkg" / "__init__.py").write_text(
        "class Thing:\n    pass\n\n\ndef fail():\n    raise ValueError\n", encoding="utf-8"
    )
    code = (
        "import inspect, json, pickle, traceback, pkg\n"
        "try:\n"
        "    pkg.fail()\n"
        "except ValueError as error:\n"
        "    where = traceback.extract_tb(error.__traceback__)[-1]\n"
        "thing = pickle.loads(pickle.dumps(pkg.Thing()))\n"
        "print(json.dumps([where.filename, where.line, inspect.getsource(pkg.Thing),\n"
        "                  type(thing).__module__]))\n"
    )
    filename, line, source, module = python_code(venv, code, cwd=tmp_path)
    assert filename == str(root / "pkg" / "__init__.py")
    assert line == "raise ValueError"
    assert source == "class Thing:\n    pass\n"
    assert module == "pkg"


# Where the finder stands among the other places a module can come from


def test_a_stale_copy_in_site_packages_loses(
    site_packages: Path, venv: Venv, tmp_path: Path
) -> None:
    root = tmp_path / "project"
    write_project(site_packages, {"pkg/__init__.py": "VALUE = 'stale'\n", "helper.py": ""})
    install(site_packages, "project", flat(root))
    found = probe(venv, "pkg", "helper", cwd=tmp_path)
    assert found == {"pkg": str(root / "pkg" / "__init__.py"), "helper": str(root / "helper.py")}


def test_a_module_earlier_on_sys_path_wins_as_it_would_over_a_regular_install(
    site_packages: Path, venv: Venv, tmp_path: Path
) -> None:
    install(site_packages, "project", flat(tmp_path / "project"))
    first = write_project(tmp_path / "first", {"pkg/__init__.py": "", "helper.py": ""})
    found = probe(venv, "pkg", "helper", cwd=tmp_path, env={"PYTHONPATH": str(first)})
    assert found == {"pkg": str(first / "pkg" / "__init__.py"), "helper": str(first / "helper.py")}


def test_a_folder_of_the_same_name_does_not_hide_the_project(
    site_packages: Path, venv: Venv, tmp_path: Path, elsewhere: Path
) -> None:
    # A namespace package would come from it, but a regular package anywhere wins.
    root = tmp_path / "project"
    install(site_packages, "project", flat(root))
    (elsewhere / "pkg").mkdir()
    assert probe(venv, "pkg", cwd=elsewhere) == {"pkg": str(root / "pkg" / "__init__.py")}


def test_run_from_the_project_root_imports_the_same_files(
    site_packages: Path, venv: Venv, tmp_path: Path
) -> None:
    root = tmp_path / "project"
    install(site_packages, "project", flat(root))
    found = probe(venv, "pkg", "helper", cwd=root)
    assert Path(found["pkg"]).samefile(root / "pkg" / "__init__.py")
    assert Path(found["helper"]).samefile(root / "helper.py")


# Layouts and names


def test_src_layout(site_packages: Path, venv: Venv, tmp_path: Path) -> None:
    root = write_project(
        tmp_path / "project",
        {"src/pkg/__init__.py": "", "src/stray.py": "", "tests/__init__.py": "", "setup.py": ""},
    )
    install(site_packages, "project", [("pkg", root / "src" / "pkg", True)])
    found = probe(venv, "pkg", "stray", "tests", "setup", cwd=tmp_path)
    assert found == {
        "pkg": str(root / "src" / "pkg" / "__init__.py"),
        **dict.fromkeys(["stray", "tests", "setup"], "ModuleNotFoundError"),
    }


def test_a_package_without_init_is_a_namespace_of_its_folder(
    site_packages: Path, venv: Venv, tmp_path: Path
) -> None:
    root = write_project(tmp_path / "project", {"pkg/mod.py": "", "other.py": ""})
    install(site_packages, "project", [("pkg", root / "pkg", True)])
    code = "import json, pkg; print(json.dumps([pkg.__file__, list(pkg.__path__)]))"
    assert python_code(venv, code, cwd=tmp_path) == [None, [str(root / "pkg")]]
    found = probe(venv, "pkg.mod", "other", cwd=tmp_path)
    assert found == {"pkg.mod": str(root / "pkg" / "mod.py"), "other": "ModuleNotFoundError"}


def test_a_namespace_portion_alone(site_packages: Path, venv: Venv, tmp_path: Path) -> None:
    files = {"src/sphinxcontrib/foo/__init__.py": "", "src/sphinxcontrib/stray.py": ""}
    root = write_project(tmp_path / "project", files)
    install(site_packages, "project", [("sphinxcontrib.foo", root / "src/sphinxcontrib/foo", True)])
    found = probe(venv, "sphinxcontrib", "sphinxcontrib.foo", "sphinxcontrib.stray", cwd=tmp_path)
    assert found == {
        "sphinxcontrib": None,  # a namespace package
        "sphinxcontrib.foo": str(root / "src" / "sphinxcontrib" / "foo" / "__init__.py"),
        "sphinxcontrib.stray": "ModuleNotFoundError",
    }


def test_a_namespace_portion_beside_an_installed_one(
    site_packages: Path, venv: Venv, tmp_path: Path
) -> None:
    write_project(site_packages, {"sphinxcontrib/bar/__init__.py": ""})
    root = write_project(tmp_path / "project", {"sphinxcontrib/foo/__init__.py": ""})
    install(site_packages, "project", [("sphinxcontrib.foo", root / "sphinxcontrib/foo", True)])
    found = probe(venv, "sphinxcontrib.foo", "sphinxcontrib.bar", cwd=tmp_path)
    assert found == {
        "sphinxcontrib.foo": str(root / "sphinxcontrib" / "foo" / "__init__.py"),
        "sphinxcontrib.bar": str(site_packages / "sphinxcontrib" / "bar" / "__init__.py"),
    }


def test_a_single_file_portion_two_levels_down(
    site_packages: Path, venv: Venv, tmp_path: Path
) -> None:
    root = write_project(tmp_path / "project", {"ns/sub/mod.py": "", "ns/sub/stray.py": ""})
    install(site_packages, "project", [("ns.sub.mod", root / "ns/sub/mod.py", False)])
    found = probe(venv, "ns.sub.mod", "ns.sub.stray", cwd=tmp_path)
    assert found == {
        "ns.sub.mod": str(root / "ns" / "sub" / "mod.py"),
        "ns.sub.stray": "ModuleNotFoundError",
    }


def test_two_projects_side_by_side(site_packages: Path, venv: Venv, tmp_path: Path) -> None:
    # Each project holds an old copy of the other's package, which must not be used.
    a = write_project(
        tmp_path / "a", {"alpha/__init__.py": "", "beta/__init__.py": "", "tests/__init__.py": ""}
    )
    b = write_project(
        tmp_path / "b", {"beta/__init__.py": "", "alpha/__init__.py": "", "conftest.py": ""}
    )
    install(site_packages, "a", [("alpha", a / "alpha", True)])
    install(site_packages, "b", [("beta", b / "beta", True)])
    found = probe(venv, "alpha", "beta", "tests", "conftest", cwd=tmp_path)
    assert found == {
        "alpha": str(a / "alpha" / "__init__.py"),
        "beta": str(b / "beta" / "__init__.py"),
        "tests": "ModuleNotFoundError",
        "conftest": "ModuleNotFoundError",
    }


def test_paths_with_unusual_characters(site_packages: Path, venv: Venv, tmp_path: Path) -> None:
    name = 'it\'s a "project" — été\\x' if os.name != "nt" else "it's a project — été"
    root = tmp_path / name
    install(site_packages, "project", flat(root))
    found = probe(venv, "pkg", "helper", cwd=tmp_path)
    assert found == {
        "pkg": str(root / "pkg" / "__init__.py"),
        "helper": str(root / "helper.py"),
    }


# The generated files themselves

P = os.path.abspath("/p")  # absolute on Windows too, where it gets a drive
A = os.path.join(P, "a")
MODULES = [
    ("pkg", os.path.join(P, "pkg"), True),
    ("helper", os.path.join(P, "helper.py"), False),
    ("sphinxcontrib.foo", os.path.join(P, "src", "sphinxcontrib", "foo"), True),
]


def finder(dist: str, modules: Sequence[tuple[str, str, bool]]) -> str:
    (source,) = (data for name, data in strict_files(dist, modules) if name.endswith(".py"))
    return source.decode()


def run_finder(dist: str, modules: Sequence[tuple[str, str, bool]]) -> dict[str, Any]:
    """The finder module's globals, once run (without installing it)."""
    namespace: dict[str, Any] = {"__file__": "finder.py"}
    exec(compile(finder(dist, modules), "finder.py", "exec"), namespace)
    return namespace


def test_the_members() -> None:
    files = dict(strict_files("my_project", MODULES))
    assert list(files) == [
        "_fletching_editable_my_project.pth",
        "_fletching_editable_my_project.py",
        "_fletching_editable_my_project.start",
    ]
    pth = files["_fletching_editable_my_project.pth"].decode()
    # site.py runs a line that starts with "import".
    assert (
        pth == "import _fletching_editable_my_project; _fletching_editable_my_project.install()\n"
    )
    # PEP 829: the same name as the .pth (which makes 3.15 skip its import line), utf-8,
    # a comment, and one entry point in the "pkg.mod:callable" form naming install().
    start = files["_fletching_editable_my_project.start"].decode("utf-8")
    assert start.splitlines() == [
        "# The strict editable install of my_project, for Python 3.15 on.",
        "_fletching_editable_my_project:install",
    ]
    namespace = run_finder("my_project", MODULES)
    assert callable(namespace["install"])
    source = files["_fletching_editable_my_project.py"].decode()
    assert source.startswith("# Generated by fletching for the editable install of my_project")
    assert "pip uninstall my_project" in source


def test_the_same_input_gives_the_same_bytes() -> None:
    shuffled = MODULES[:]
    random.Random(3).shuffle(shuffled)
    assert shuffled != MODULES
    assert strict_files("my_project", MODULES) == strict_files("my_project", shuffled)


def test_the_finder_compiles_and_uses_only_the_standard_library() -> None:
    tree = ast.parse(finder("my_project", MODULES))
    compile(tree, "finder.py", "exec")
    imported = {
        alias.name if isinstance(node, ast.Import) else str(node.module)
        for node in ast.walk(tree)
        if isinstance(node, (ast.Import, ast.ImportFrom))
        for alias in node.names
    }
    assert imported == {"os", "sys", "importlib.machinery"}


def test_the_paths_read_back_exactly() -> None:
    odd = [
        ("a", os.path.join(P, 'it\'s "odd"\\ été\udcff\u2028', "a"), True),
        ("b", os.path.join(os.path.abspath("C:\\Users"), "b.py"), False),
    ]
    namespace = run_finder("d", odd)
    assert namespace["MODULES"] == {"a": odd[0][1], "b": odd[1][1]}
    assert namespace["NAMESPACES"] == frozenset()


def test_namespace_parents() -> None:
    modules = [("a.b.c", os.path.join(P, "c"), True), ("a.d", os.path.join(P, "d.py"), False)]
    assert run_finder("d", modules)["NAMESPACES"] == {"a", "a.b"}


def test_stub_only_packages_are_left_out() -> None:
    with_stubs = [*MODULES, ("foo-stubs", os.path.join(P, "foo-stubs"), True)]
    assert strict_files("my_project", with_stubs) == strict_files("my_project", MODULES)
    assert strict_files("my_project", [("foo-stubs", os.path.join(P, "foo-stubs"), True)]) == []


@pytest.mark.parametrize(
    ("dist", "modules", "message"),
    [
        pytest.param("My-Project", MODULES, "file-name form", id="dist-not-normalised"),
        pytest.param("", MODULES, "file-name form", id="dist-empty"),
        pytest.param("d", [("a b", P, True)], "not an import name", id="name"),
        pytest.param("d", [("a.", P, True)], "not an import name", id="dotted-name"),
        pytest.param("d", [("a", A, True), ("a", A, True)], "twice", id="twice"),
        pytest.param("d", [("a", "p/a", True)], "absolute", id="relative-path"),
        pytest.param("d", [("b", A, True)], "another name", id="other-folder"),
        pytest.param("d", [("a", A, False)], "another name", id="file-without-py"),
        pytest.param("d", [("a", A + ".py", True)], "another name", id="folder-with-py"),
    ],
)
def test_wrong_input_is_a_bug(
    dist: str, modules: list[tuple[str, str, bool]], message: str
) -> None:
    with pytest.raises(InternalError, match=message):
        strict_files(dist, modules)
