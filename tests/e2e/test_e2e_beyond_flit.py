"""What fletching does beyond flit_core, driven through real frontends in fresh venvs.

- Several top-level modules in one distribution (``[project] import-names``,
  PEP 794), flat and ``src/`` layouts: ``python -m build`` and ``uv build`` give
  the same valid artefacts, and pip and uv install wheels that import every module.
- Strict editable installs (``editable-mode=strict`` given to pip or uv, or
  ``[tool.fletching.editable] mode``): only the project's own modules import, from
  the source; the default stays flit's ``.pth``.
- Strict editable installs on the oldest and newest Pythons at hand, with PEP 829's
  ``.start`` file beside the ``.pth``.
- SBOM files (PEP 770) in the wheel's ``.dist-info/sboms/`` and in the sdist.
- Wheel-only excludes (``[tool.fletching.wheel] exclude``) and the scripts and headers
  schemes of ``[tool.fletching.external-data]``, installed by pip and uv.
- The version from git tags (``[tool.fletching.version] source = "vcs"``) and the
  version module it generates, in a real repository.

fletching comes from a wheelhouse holding its own wheel, as in test_e2e_frontends.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import pytest

from e2e_support import (
    Artefacts,
    StrPath,
    Venv,
    Workspace,
    assert_same_bytes,
    only_file,
    run,
    tree_listing,
    twine_rejects_metadata_version,
    unpack_sdist,
)
from git_repos import Repo
from helpers import sdist_members, validate_sdist, validate_wheel, wheel_members, write_project

pytestmark = pytest.mark.e2e

BUILD_SYSTEM = """\
[build-system]
requires = ["fletching"]
build-backend = "fletching.buildapi"
"""

MIT = "MIT License\n\nCopyright (c) 2024 The authors\n\nPermission is hereby granted...\n"


@pytest.fixture(scope="module")
def ws(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    return Workspace.with_fletching_wheelhouse(tmp_path_factory)


# --- the projects -----------------------------------------------------------------------


@dataclass(frozen=True)
class Project:
    """A project written from ``files``, and what its artefacts must hold."""

    dist: str  # also the artefacts' file-name form
    version: str
    summary: str
    files: Mapping[str, str]
    import_names: tuple[str, ...]
    code: tuple[str, ...]  # the wheel's members outside .dist-info, sorted
    sources: Mapping[str, str]  # import name: its file, relative to the project
    toplevel: tuple[str, ...]  # the wheel's library entries
    wheel_source: tuple[str, tuple[str, ...]]  # check-wheel-contents option, its paths
    script: tuple[str, str]  # a console script and what it prints
    sbom: tuple[str, ...] = ()  # SBOM files, relative to the project
    executable: tuple[str, ...] = ()  # files written with their execute bits set

    def write(self, ws: Workspace, label: str) -> Path:
        root = write_project(ws.mkdir(f"{self.dist}-{label}") / self.dist, self.files)
        for relpath in self.executable:
            (root / relpath).chmod(0o755)
        return root

    @property
    def dist_info(self) -> str:
        return f"{self.dist}-{self.version}.dist-info"

    @property
    def wheel_name(self) -> str:
        return f"{self.dist}-{self.version}-py3-none-any.whl"

    @property
    def sdist_name(self) -> str:
        return f"{self.dist}-{self.version}.tar.gz"


# Beside the modules: what a flat project's root holds and nothing may import.
BYSTANDERS = ("tests", "conftest", "noxfile")

FLAT = Project(
    dist="twomod",
    version="0.4.0",
    summary="Two modules, one distribution.",
    files={
        "pyproject.toml": BUILD_SYSTEM
        + """
[project]
name = "twomod"
dynamic = ["version", "description"]
readme = "README.rst"
license = "MIT"
license-files = ["LICENSE"]
requires-python = ">=3.9"
import-names = ["twomod", "twomod_cli"]

[project.scripts]
twomod-cli = "twomod_cli:main"
""",
        "README.rst": "twomod\n======\n\nA package and a single-file module, shipped together.\n",
        "LICENSE": MIT,
        "twomod/__init__.py": '"""Two modules, one distribution."""\n\n__version__ = "0.4.0"\n'
        'GREETING = "hello"\n',
        "twomod/__main__.py": 'from twomod import GREETING\n\nprint(f"twomod main: {GREETING}")\n',
        "twomod/data.txt": "payload\n",
        "twomod_cli.py": '"""The command line of twomod."""\n\nimport twomod\n\n\n'
        'def main() -> None:\n    print(f"twomod-cli: {twomod.GREETING}")\n',
        "tests/__init__.py": "",
        "tests/test_twomod.py": "import twomod\n\n\ndef test_greeting():\n"
        '    assert twomod.GREETING == "hello"\n',
        "conftest.py": "CONFTEST = True\n",
        "noxfile.py": "import nox  # noqa: F401\n",
    },
    import_names=("twomod", "twomod_cli"),
    code=("twomod/__init__.py", "twomod/__main__.py", "twomod/data.txt", "twomod_cli.py"),
    sources={"twomod": "twomod/__init__.py", "twomod_cli": "twomod_cli.py"},
    toplevel=("twomod", "twomod_cli.py"),
    wheel_source=("--package", ("twomod", "twomod_cli.py")),
    script=("twomod-cli", "twomod-cli: hello"),
)

SBOM = """\
{
  "bomFormat": "CycloneDX",
  "specVersion": "1.6",
  "version": 1,
  "components": [{"type": "library", "name": "alphabeta", "version": "3.1.0"}]
}
"""

SRC = Project(
    dist="alphabeta",
    version="3.1.0",
    summary="Beta, where the version and the description come from.",
    files={
        "pyproject.toml": BUILD_SYSTEM
        + """
[project]
name = "alphabeta"
dynamic = ["version", "description"]
readme = "README.rst"
license = "MIT"
license-files = ["LICENSE"]
requires-python = ">=3.9"
import-names = ["alpha", "beta"]

[project.scripts]
beta-double = "beta.cli:main"

[tool.fletching]
sbom-files = ["sbom/*.cdx.json"]

[tool.fletching.module]
name = "beta"
""",
        "README.rst": "alphabeta\n=========\n\nTwo packages below src/.\n",
        "LICENSE": MIT,
        # Listed first, so the default module: a version read from here would be wrong.
        "src/alpha/__init__.py": '"""Alpha, listed first."""\n\n__version__ = "9.9.9"\n',
        "src/alpha/util.py": "def double(x: int) -> int:\n    return 2 * x\n",
        "src/beta/__init__.py": '"""Beta, where the version and the description come from."""\n'
        '\n__version__ = "3.1.0"\n',
        "src/beta/cli.py": "from alpha.util import double\n\n\ndef main() -> None:\n"
        '    print(f"double: {double(21)}")\n',
        "sbom/alphabeta.cdx.json": SBOM,
        "tests/__init__.py": "",
        "tests/test_alpha.py": "from alpha.util import double\n\n\ndef test_double():\n"
        "    assert double(2) == 4\n",
        "conftest.py": "CONFTEST = True\n",
    },
    import_names=("alpha", "beta"),
    code=("alpha/__init__.py", "alpha/util.py", "beta/__init__.py", "beta/cli.py"),
    sources={"alpha": "src/alpha/__init__.py", "beta": "src/beta/__init__.py"},
    toplevel=("alpha", "beta"),
    wheel_source=("--src-dir", ("src",)),
    script=("beta-double", "double: 42"),
    sbom=("sbom/alphabeta.cdx.json",),
)


class Builds:
    """Artefacts and installations, made once for this module's tests and shared."""

    def __init__(self, ws: Workspace) -> None:
        self.ws = ws
        self._artefacts: dict[tuple[str, str], Artefacts] = {}
        self._wheels: dict[str, Path] = {}
        self._venvs: dict[tuple[str, str], Venv] = {}

    def python_build(self, project: Project) -> Artefacts:
        """``python -m build``: the sdist from the project, then the wheel from the sdist."""
        key = (project.dist, "build")
        if key not in self._artefacts:
            self._artefacts[key] = Artefacts.collect(self._build(project, "build"))
        return self._artefacts[key]

    def wheel_only(self, project: Project) -> Path:
        """``python -m build --wheel``: the wheel straight from the project."""
        if project.dist not in self._wheels:
            out = self._build(project, "wheel-only", "--wheel")
            self._wheels[project.dist] = only_file(out, ".whl")
        return self._wheels[project.dist]

    def uv_build(self, project: Project) -> Artefacts:
        """``uv build``: the sdist from the project, then the wheel from the sdist."""
        key = (project.dist, "uv")
        if key not in self._artefacts:
            source = project.write(self.ws, "uv-build")
            out = self.ws.mkdir(f"{project.dist}-uv-dist")
            self.ws.uv(
                "build",
                "--python",
                sys.executable,
                "--find-links",
                self.ws.wheelhouse,
                "--out-dir",
                out,
                source,
            )
            self._artefacts[key] = Artefacts.collect(out)
        return self._artefacts[key]

    def pip_installed(self, project: Project) -> Venv:
        """A venv into which pip installed the wheel of ``python -m build``."""
        key = (project.dist, "pip")
        if key not in self._venvs:
            venv = self.ws.virtualenv(f"{project.dist}-pip-install")
            wheel = self.python_build(project).wheel
            self.ws.in_venv(venv, "python", "-m", "pip", "install", "--no-deps", wheel)
            self._venvs[key] = venv
        return self._venvs[key]

    def _build(self, project: Project, label: str, *flags: str) -> Path:
        source = project.write(self.ws, label)
        before = tree_listing(source)
        out = self.ws.mkdir(f"{project.dist}-{label}-dist")
        self.ws.python("-m", "build", *flags, "--outdir", out, source)
        assert tree_listing(source) == before, f"python -m build {flags} wrote into {source}"
        return out


@pytest.fixture(scope="module")
def builds(ws: Workspace) -> Builds:
    return Builds(ws)


@pytest.fixture(params=[FLAT, SRC], ids=["flat", "src"])
def project(request: pytest.FixtureRequest) -> Project:
    chosen: Project = request.param
    return chosen


# --- what an installation imports --------------------------------------------------------

# Run in a venv: each name's __file__, or the error importing it.
_IMPORTS = r"""
import importlib, json, sys
found = {}
for name in sys.argv[1:]:
    try:
        found[name] = importlib.import_module(name).__file__
    except ModuleNotFoundError as exc:
        found[name] = f"ModuleNotFoundError: {exc.name}"
print(json.dumps(found))
"""


def imports(ws: Workspace, venv: Venv, *names: str) -> dict[str, str]:
    """Import each name in a new process of the venv, from the venv's folder (not the
    project's): the module's file, or the ModuleNotFoundError."""
    out = ws.in_venv(venv, "python", "-c", _IMPORTS, *names).stdout
    found: dict[str, str] = json.loads(out.strip().splitlines()[-1])
    return found


def output(ws: Workspace, venv: Venv, *args: StrPath) -> str:
    return ws.in_venv(venv, *args).stdout.strip()


def site_packages(ws: Workspace, venv: Venv) -> Path:
    code = "import sysconfig; print(sysconfig.get_path('purelib'))"
    return Path(output(ws, venv, "python", "-c", code))


def editable_hooks(site: Path, dist: str, *, below: bool = False) -> list[str]:
    """What an editable install of ``dist`` put into site-packages to find the project:
    flit's ``<module>.pth`` or the strict mode's finder and its .pth; ``below``: in
    the folders below too (pip compiles the finder into __pycache__)."""
    found = site.rglob("*") if below else site.iterdir()
    return sorted(
        p.relative_to(site).as_posix()
        for p in found
        if p.name.startswith(f"_fletching_editable_{dist}") or p.name == f"{dist}.pth"
    )


def assert_inside(path: str, folder: Path, what: str) -> None:
    assert not path.startswith("ModuleNotFoundError"), f"{what}: {path}"
    assert folder.resolve() in Path(path).resolve().parents, f"{what} is {path}, not in {folder}"


def check_installed(ws: Workspace, venv: Venv, project: Project) -> None:
    """Every listed module imports from site-packages, the console script runs, and
    nothing beside the modules (tests, conftest) was installed."""
    found = imports(ws, venv, *project.import_names, *BYSTANDERS)
    site = site_packages(ws, venv)
    for name in project.import_names:
        assert_inside(found[name], site, f"the installed {name}")
    for name in BYSTANDERS:
        assert found[name] == f"ModuleNotFoundError: {name}", found
    name, expected = project.script
    assert output(ws, venv, name) == expected


# --- several top-level modules ----------------------------------------------------------


def test_build_gives_valid_artefacts_holding_every_module(
    ws: Workspace, builds: Builds, project: Project
) -> None:
    built = builds.python_build(project)
    assert built.wheel.name == project.wheel_name
    assert built.sdist.name == project.sdist_name
    wheel_meta = validate_wheel(built.wheel)
    sdist_meta = validate_sdist(built.sdist)
    for meta in (wheel_meta, sdist_meta):
        assert meta.name == project.dist
        assert str(meta.version) == project.version
        assert meta.summary == project.summary
        assert meta.import_names == list(project.import_names)
    code = sorted(n for n in wheel_members(built.wheel) if ".dist-info/" not in n)
    assert code == list(project.code)
    top = project.sdist_name[: -len(".tar.gz")]
    in_sdist = sdist_members(built.sdist)
    for relpath in (*project.sources.values(), "pyproject.toml", "README.rst", "LICENSE"):
        assert f"{top}/{relpath}" in in_sdist, sorted(in_sdist)
    # The wheel's library against the project's source, here the unpacked sdist's.
    unpacked = unpack_sdist(built.sdist, ws.mkdir(f"{project.dist}-unpacked"))
    option, paths = project.wheel_source
    ws.python(
        "-m",
        "check_wheel_contents",
        "--no-config",
        "--toplevel",
        ",".join(project.toplevel),
        *[arg for path in paths for arg in (option, unpacked / path)],
        built.wheel,
    )


def test_twine_check_accepts_artefacts(ws: Workspace, builds: Builds, project: Project) -> None:
    built = builds.python_build(project)
    reason = twine_rejects_metadata_version(validate_wheel(built.wheel).metadata_version)
    if reason is not None:
        pytest.skip(reason)
    ws.python("-m", "twine", "check", "--strict", built.sdist, built.wheel)


def test_wheel_from_sdist_equals_wheel_from_tree(builds: Builds, project: Project) -> None:
    assert_same_bytes(
        builds.python_build(project).wheel,
        builds.wheel_only(project),
        "wheel built from the sdist vs from the tree",
    )


def test_uv_build_gives_the_same_artefacts_as_build(builds: Builds, project: Project) -> None:
    uv_built = builds.uv_build(project)
    built = builds.python_build(project)
    assert_same_bytes(uv_built.sdist, built.sdist, "uv build sdist vs python -m build")
    assert_same_bytes(uv_built.wheel, built.wheel, "uv build wheel vs python -m build")


def test_pip_install_of_wheel_imports_every_module(
    ws: Workspace, builds: Builds, project: Project
) -> None:
    check_installed(ws, builds.pip_installed(project), project)


def test_uv_pip_install_of_wheel_imports_every_module(
    ws: Workspace, builds: Builds, project: Project
) -> None:
    venv = ws.uv_venv(f"{project.dist}-uv-install")
    ws.uv("pip", "install", "--python", venv.python, "--no-deps", builds.uv_build(project).wheel)
    check_installed(ws, venv, project)


# --- strict editable installs -----------------------------------------------------------

STRICT_TABLE = '\n[tool.fletching.editable]\nmode = "strict"\n'
# The finder, the .pth that installs it up to Python 3.14, the .start file (PEP 829) after.
STRICT_HOOKS = [
    "_fletching_editable_twomod.pth",
    "_fletching_editable_twomod.py",
    "_fletching_editable_twomod.start",
]


def install_editable(
    ws: Workspace, how: str, python: Path = Path(sys.executable)
) -> tuple[Venv, Path]:
    """An editable install of a fresh copy of the flat project; the venv and the copy.

    ``how``: pip or uv given ``editable-mode=strict``, pip with the strict mode in
    ``[tool.fletching.editable]`` ("table"), or pip with no setting ("pip-default");
    ``python``: the venv's interpreter.
    """
    label = f"{how}-py{python.name}"
    if how == "table":
        files = dict(FLAT.files, **{"pyproject.toml": FLAT.files["pyproject.toml"] + STRICT_TABLE})
        source = write_project(ws.mkdir(f"twomod-editable-{label}") / "twomod", files)
    else:
        source = FLAT.write(ws, f"editable-{label}")
    venv = Venv(ws.mkdir(f"twomod-editable-{label}") / "venv")
    if how == "uv-config-settings":
        ws.uv("venv", "--quiet", "--python", python, venv.path)
        ws.uv(
            "pip",
            "install",
            "--python",
            venv.python,
            "--find-links",
            ws.wheelhouse,
            "-C",
            "editable-mode=strict",
            "-e",
            source,
        )
        return venv, source
    ws.python("-m", "virtualenv", "--quiet", "--python", python, venv.path)
    settings = ["--config-settings", "editable-mode=strict"] if how == "pip-config-settings" else []
    ws.in_venv(venv, "python", "-m", "pip", "install", *settings, "-e", ".", cwd=source)
    return venv, source


def check_only_the_project_imports(ws: Workspace, venv: Venv, source: Path) -> None:
    """The two modules come from the source; what lies beside them does not import."""
    found = imports(ws, venv, "twomod", "twomod_cli", *BYSTANDERS)
    for name, relpath in FLAT.sources.items():
        assert Path(found[name]).resolve() == (source / relpath).resolve(), found
    for name in BYSTANDERS:
        assert found[name] == f"ModuleNotFoundError: {name}", found


@pytest.mark.parametrize("how", ["pip-config-settings", "uv-config-settings", "table"])
def test_strict_editable_install_imports_only_the_project(ws: Workspace, how: str) -> None:
    venv, source = install_editable(ws, how)
    site = site_packages(ws, venv)
    assert editable_hooks(site, "twomod") == STRICT_HOOKS
    start = (site / "_fletching_editable_twomod.start").read_text(encoding="utf-8")
    assert start.splitlines()[-1] == "_fletching_editable_twomod:install"
    check_only_the_project_imports(ws, venv, source)

    read = (
        "import importlib.resources as r; print(r.files('twomod').joinpath('data.txt').read_text())"
    )
    assert output(ws, venv, "python", "-c", read) == "payload"
    assert output(ws, venv, "python", "-m", "twomod") == "twomod main: hello"
    assert output(ws, venv, "twomod-cli") == "twomod-cli: hello"

    # Edits and new submodules are seen by a new process.
    init = source / "twomod" / "__init__.py"
    init.write_text(init.read_text(encoding="utf-8").replace('"hello"', '"edited"'), "utf-8")
    (source / "twomod" / "added.py").write_text('VALUE = "added later"\n', encoding="utf-8")
    assert output(ws, venv, "python", "-m", "twomod") == "twomod main: edited"
    assert output(ws, venv, "twomod-cli") == "twomod-cli: edited"
    added = "from twomod.added import VALUE; print(VALUE)"
    assert output(ws, venv, "python", "-c", added) == "added later"
    assert_inside(imports(ws, venv, "twomod.added")["twomod.added"], source, "twomod.added")

    if how.startswith("uv"):
        ws.uv("pip", "uninstall", "--python", venv.python, "twomod")
    else:
        ws.in_venv(venv, "python", "-m", "pip", "uninstall", "-y", "twomod")
    assert editable_hooks(site, "twomod", below=True) == []
    after = imports(ws, venv, "twomod", "twomod_cli")
    assert after == {
        "twomod": "ModuleNotFoundError: twomod",
        "twomod_cli": "ModuleNotFoundError: twomod_cli",
    }


def other_python(version: str) -> Path:
    """The interpreter of another CPython version on PATH (``python3.9``), else a skip."""
    found = shutil.which(f"python{version}")
    if found is not None:
        code = "import sys; print(sys.executable); print('%d.%d' % sys.version_info[:2])"
        proc = subprocess.run([found, "-c", code], capture_output=True, text=True, check=False)
        lines = proc.stdout.split()
        if proc.returncode == 0 and lines[-1:] == [version]:
            return Path(lines[0])
    pytest.skip(f"no Python {version} on PATH")


@pytest.mark.parametrize("frontend", ["pip", "uv"])
@pytest.mark.parametrize("version", ["3.9", "3.13"])
def test_strict_editable_install_works_on_older_pythons(
    ws: Workspace, version: str, frontend: str
) -> None:
    """PEP 829's .start file beside the .pth changes nothing before Python 3.15: the
    .pth's import line installs the finder, once."""
    how = "uv-config-settings" if frontend == "uv" else "pip-config-settings"
    venv, source = install_editable(ws, how, other_python(version))
    version_code = "import sys; print('%d.%d' % sys.version_info[:2])"
    assert output(ws, venv, "python", "-c", version_code) == version
    assert editable_hooks(site_packages(ws, venv), "twomod") == STRICT_HOOKS
    check_only_the_project_imports(ws, venv, source)
    finders = (
        "import sys; print([getattr(f, '__name__', '') for f in sys.meta_path]"
        ".count('StrictEditableFinder'))"
    )
    assert output(ws, venv, "python", "-c", finders) == "1"
    assert output(ws, venv, "twomod-cli") == "twomod-cli: hello"


def test_default_editable_install_is_flits_pth(ws: Workspace) -> None:
    venv, source = install_editable(ws, "pip-default")
    site = site_packages(ws, venv)
    assert editable_hooks(site, "twomod") == ["twomod.pth"]
    lines = (site / "twomod.pth").read_text(encoding="utf-8").splitlines()
    assert [Path(line).resolve() for line in lines] == [source.resolve()]
    # The project folder is on sys.path: what lies beside the modules imports, as with flit.
    found = imports(ws, venv, "twomod", "twomod_cli", "conftest", "noxfile")
    for name, relpath in {**FLAT.sources, "conftest": "conftest.py"}.items():
        assert Path(found[name]).resolve() == (source / relpath).resolve(), found
    # noxfile.py is found too; importing it fails on its own import of nox.
    assert found["noxfile"] == "ModuleNotFoundError: nox", found


# --- SBOM files (PEP 770) ----------------------------------------------------------------


def test_sbom_files_are_in_the_sdist_and_the_wheel_built_from_it(builds: Builds) -> None:
    built = builds.python_build(SRC)
    top = SRC.sdist_name[: -len(".tar.gz")]
    in_sdist = sdist_members(built.sdist)
    in_wheel = wheel_members(built.wheel)  # built from the sdist
    for relpath in SRC.sbom:
        expected = SRC.files[relpath].encode()
        assert in_sdist.get(f"{top}/{relpath}") == expected, sorted(in_sdist)
        name = f"{SRC.dist_info}/sboms/{Path(relpath).name}"
        assert in_wheel.get(name) == expected, sorted(in_wheel)
    with zipfile.ZipFile(built.wheel) as zf:
        record = zf.read(f"{SRC.dist_info}/RECORD").decode()
    assert f"{SRC.dist_info}/sboms/alphabeta.cdx.json," in record


def test_pip_installed_distribution_lists_its_sbom_files(ws: Workspace, builds: Builds) -> None:
    venv = builds.pip_installed(SRC)
    code = (
        "import importlib.metadata as md, json, os, sys\n"
        "files = md.distribution(sys.argv[1]).files or []\n"
        "print(json.dumps({f.as_posix(): os.path.isfile(str(f.locate())) for f in files"
        " if '/sboms/' in f.as_posix()}))\n"
    )
    listed = json.loads(output(ws, venv, "python", "-c", code, SRC.dist))
    assert listed == {f"{SRC.dist_info}/sboms/alphabeta.cdx.json": True}
    installed = site_packages(ws, venv) / SRC.dist_info / "sboms" / "alphabeta.cdx.json"
    assert installed.read_text(encoding="utf-8") == SBOM


# --- wheel-only excludes and the scripts and headers schemes (issue 18) -----------------

GEARBOX = Project(
    dist="gearbox",
    version="1.2.0",
    summary="Tests in the sdist only; a shell script and a header installed.",
    files={
        "pyproject.toml": BUILD_SYSTEM
        + """
[project]
name = "gearbox"
version = "1.2.0"
description = "Tests in the sdist only; a shell script and a header installed."
requires-python = ">=3.9"

[project.scripts]
gearbox = "gearbox:main"

[tool.fletching.wheel]
exclude = ["src/gearbox/tests"]

[tool.fletching.external-data]
scripts = "bin"
headers = "include"
""",
        "src/gearbox/__init__.py": 'def main() -> None:\n    print("gearbox main")\n',
        "src/gearbox/tests/__init__.py": "",
        "src/gearbox/tests/test_gearbox.py": "import gearbox\n\n\ndef test():\n    pass\n",
        "bin/gearbox-hello": "#!/bin/sh\necho hello from sh\n",
        "bin/gearbox-py": "#!python\nimport sys\nprint('python script', sys.prefix)\n",
        "include/gearbox.h": "int gearbox(void);\n",
    },
    import_names=("gearbox",),
    code=(
        "gearbox-1.2.0.data/headers/gearbox.h",
        "gearbox-1.2.0.data/scripts/gearbox-hello",
        "gearbox-1.2.0.data/scripts/gearbox-py",
        "gearbox/__init__.py",
    ),
    sources={"gearbox": "src/gearbox/__init__.py"},
    toplevel=("gearbox",),
    wheel_source=("--src-dir", ("src",)),
    script=("gearbox", "gearbox main"),
    executable=("bin/gearbox-hello",),
)
KEPT_IN_SDIST = (
    "src/gearbox/tests/__init__.py",
    "src/gearbox/tests/test_gearbox.py",
    "bin/gearbox-hello",
    "bin/gearbox-py",
    "include/gearbox.h",
)


def test_wheel_excludes_and_schemes_in_the_artefacts(builds: Builds) -> None:
    built = builds.python_build(GEARBOX)  # the wheel built from the sdist
    validate_wheel(built.wheel)
    code = sorted(n for n in wheel_members(built.wheel) if ".dist-info/" not in n)
    assert code == list(GEARBOX.code)
    with zipfile.ZipFile(built.wheel) as zf:
        mode = zf.getinfo("gearbox-1.2.0.data/scripts/gearbox-hello").external_attr >> 16
    assert mode & 0o777 == 0o755
    in_sdist = sdist_members(built.sdist)
    for relpath in KEPT_IN_SDIST:
        assert f"gearbox-1.2.0/{relpath}" in in_sdist, sorted(in_sdist)
    assert_same_bytes(built.wheel, builds.wheel_only(GEARBOX), "wheel from sdist vs tree")
    uv_built = builds.uv_build(GEARBOX)
    assert_same_bytes(uv_built.sdist, built.sdist, "uv build sdist vs python -m build")
    assert_same_bytes(uv_built.wheel, built.wheel, "uv build wheel vs python -m build")


def check_schemes_installed(ws: Workspace, venv: Venv) -> None:
    """The shell script in the venv's bin with its execute bit, the #!python script
    pointed at the venv, the header in the include folder, the tests not installed."""
    hello = venv.script("gearbox-hello")
    assert hello.stat().st_mode & 0o111 == 0o111, oct(hello.stat().st_mode)
    assert output(ws, venv, "gearbox-hello") == "hello from sh"
    prefix = output(ws, venv, "python", "-c", "import sys; print(sys.prefix)")
    assert output(ws, venv, "gearbox-py") == f"python script {prefix}"
    (header,) = venv.path.rglob("gearbox.h")
    # pip and uv: include/site/pythonX.Y/<name>/
    where = header.relative_to(venv.path).parts
    assert (where[:2], where[3:]) == (("include", "site"), ("gearbox", "gearbox.h")), where
    assert header.read_text(encoding="utf-8") == "int gearbox(void);\n"
    found = imports(ws, venv, "gearbox", "gearbox.tests")
    assert_inside(found["gearbox"], site_packages(ws, venv), "the installed gearbox")
    assert found["gearbox.tests"] == "ModuleNotFoundError: gearbox.tests", found
    assert output(ws, venv, "gearbox") == "gearbox main"


def test_pip_installs_every_scheme_and_no_tests(ws: Workspace, builds: Builds) -> None:
    check_schemes_installed(ws, builds.pip_installed(GEARBOX))


def test_uv_installs_every_scheme_and_no_tests(ws: Workspace, builds: Builds) -> None:
    venv = ws.uv_venv("gearbox-uv-install")
    ws.uv("pip", "install", "--python", venv.python, "--no-deps", builds.uv_build(GEARBOX).wheel)
    check_schemes_installed(ws, venv)


# --- the version from git tags (issue 13) -------------------------------------------------

VCS_FILES = {
    "pyproject.toml": BUILD_SYSTEM
    + """
[project]
name = "vcsdemo"
dynamic = ["version"]
description = "Its version comes from git tags."
requires-python = ">=3.9"
dependencies = ["packaging>=20"]

[tool.fletching.version]
source = "vcs"
file = "src/vcsdemo/_version.py"
""",
    # It imports a dependency: a build that imported it for its version would need it.
    "src/vcsdemo/__init__.py": '"""Versioned by git."""\n\n'
    "from packaging.version import Version as _Version\n\n"
    "try:\n"
    "    from vcsdemo._version import __version__\n"
    "except ImportError:  # an editable install: the module exists in builds only\n"
    "    from importlib.metadata import version\n\n"
    '    __version__ = version("vcsdemo")\n\n'
    "VERSION = _Version(__version__)\n",
    "README.txt": "vcsdemo\n",
}


def make_repo(ws: Workspace, label: str, commits_after_tag: int) -> Repo:
    """A git repository of vcsdemo tagged v1.2.3, with commits after the tag."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    repo = Repo(ws.mkdir(f"vcsdemo-{label}") / "vcsdemo")
    write_project(repo.path, VCS_FILES)
    repo.git("add", "--all")
    repo.git("commit", "--quiet", "-m", "First")
    repo.tag("v1.2.3", annotated=True)
    repo.commit(commits_after_tag, name="README.txt")
    return repo


def assert_untouched(repo: Repo) -> None:
    """The build wrote nothing into the checkout, the version module included."""
    assert not (repo.path / "src" / "vcsdemo" / "_version.py").exists()
    assert repo.git("status", "--porcelain", "--untracked-files=all", "--ignored") == ""


@pytest.fixture(scope="module")
def tagged_repo(ws: Workspace) -> Repo:
    return make_repo(ws, "tagged", 0)


@pytest.fixture(scope="module")
def repo_after_tag(ws: Workspace) -> tuple[Repo, str]:
    """A repository two commits after v1.2.3, and the version it must give."""
    repo = make_repo(ws, "after-tag", 2)
    # setuptools-scm (since 9.0) and fletching write 9 digits of the commit.
    node = repo.git("rev-parse", "--short=9", "HEAD")
    assert repo.head().startswith(node)
    return repo, f"1.2.4.dev2+g{node}"


def test_build_at_a_tag_gives_the_tags_version(ws: Workspace, tagged_repo: Repo) -> None:
    out = ws.mkdir("vcsdemo-tagged-dist")
    proc = ws.python("-m", "build", "--outdir", out, tagged_repo.path)
    names = sorted(p.name for p in out.iterdir())
    assert names == ["vcsdemo-1.2.3-py3-none-any.whl", "vcsdemo-1.2.3.tar.gz"], proc.stdout
    built = Artefacts.collect(out)
    assert str(validate_sdist(built.sdist).version) == "1.2.3"
    assert str(validate_wheel(built.wheel).version) == "1.2.3"
    assert_untouched(tagged_repo)

    # The wheel was built from the unpacked sdist, which has no .git: the version
    # came from its PKG-INFO, and the version module is in both.
    in_sdist = sdist_members(built.sdist)
    assert not [name for name in in_sdist if "/.git" in name], sorted(in_sdist)
    generated = in_sdist["vcsdemo-1.2.3/src/vcsdemo/_version.py"].decode()
    assert "__version__ = version = '1.2.3'\n" in generated
    assert "__version_tuple__ = version_tuple = (1, 2, 3)\n" in generated
    assert wheel_members(built.wheel)["vcsdemo/_version.py"].decode() == generated


def test_a_packager_s_version_variable_through_build(
    ws: Workspace, repo_after_tag: tuple[Repo, str]
) -> None:
    """SETUPTOOLS_SCM_PRETEND_VERSION_FOR_<NAME>, as distributions set it: the sdist,
    the wheel built from it, and the version module carry it; stderr says so."""
    repo, _ = repo_after_tag
    out = ws.mkdir("vcsdemo-pretend-dist")
    env = dict(ws.env, SETUPTOOLS_SCM_PRETEND_VERSION_FOR_VCSDEMO="2.0.1")
    proc = run([sys.executable, "-m", "build", "--outdir", out, repo.path], env=env)
    built = Artefacts.collect(out)
    assert str(validate_sdist(built.sdist).version) == "2.0.1"
    assert str(validate_wheel(built.wheel).version) == "2.0.1"
    module = wheel_members(built.wheel)["vcsdemo/_version.py"].decode()
    assert "__version__ = version = '2.0.1'\n" in module
    note = "environment: SETUPTOOLS_SCM_PRETEND_VERSION_FOR_VCSDEMO: version 2.0.1 taken"
    assert note in proc.stdout + proc.stderr
    assert_untouched(repo)


def test_an_unpacked_sdist_under_a_packager_s_git_builds_the_sdist_s_version(
    ws: Workspace, tagged_repo: Repo
) -> None:
    """Debian's gbp (or any git init in an unpacked sdist) with its own tags and a
    packaging commit: python -m build gives the sdist's version, with no variable."""
    first = ws.mkdir("vcsdemo-gbp-sdist")
    ws.python("-m", "build", "--sdist", "--outdir", first, tagged_repo.path)
    tree = unpack_sdist(only_file(first, ".tar.gz"), ws.mkdir("vcsdemo-gbp"))
    packager = Repo(tree)
    packager.git("add", "--all")
    packager.commit(name="README.txt")
    packager.tag("upstream/1.2.3")
    (tree / "debian").mkdir()
    packager.commit(name="debian/changelog")
    packager.tag("debian/1.2.3-1")
    packager.commit(name="debian/changelog")
    out = ws.mkdir("vcsdemo-gbp-dist")
    proc = ws.python("-m", "build", "--outdir", out, tree)
    names = sorted(p.name for p in out.iterdir())
    assert names == ["vcsdemo-1.2.3-py3-none-any.whl", "vcsdemo-1.2.3.tar.gz"], proc.stdout
    assert "not from the git repository beside it" in proc.stdout + proc.stderr


def test_pip_install_after_the_tag_gives_a_dev_version(
    ws: Workspace, repo_after_tag: tuple[Repo, str]
) -> None:
    repo, version = repo_after_tag
    venv = ws.virtualenv("vcsdemo-pip-install")
    ws.in_venv(venv, "python", "-m", "pip", "install", ".", cwd=repo.path)
    code = (
        "import vcsdemo, importlib.metadata as m; print(m.version('vcsdemo'))\n"
        "from vcsdemo._version import version, version_tuple; print(version, version_tuple)\n"
        "print(vcsdemo.VERSION)"
    )
    lines = output(ws, venv, "python", "-c", code).splitlines()
    node = version.split("+")[1]
    assert lines == [version, f"{version} (1, 2, 4, 'dev2', '{node}')", version]
    assert_untouched(repo)


def test_pip_editable_install_after_the_tag_gives_the_same_version(
    ws: Workspace, repo_after_tag: tuple[Repo, str]
) -> None:
    repo, version = repo_after_tag
    venv = ws.virtualenv("vcsdemo-pip-editable")
    ws.in_venv(venv, "python", "-m", "pip", "install", "-e", ".", cwd=repo.path)
    code = (
        "import vcsdemo, importlib.metadata as m\n"
        "print(m.version('vcsdemo')); print(vcsdemo.__version__); print(vcsdemo.__file__)"
    )
    found = output(ws, venv, "python", "-c", code).splitlines()
    assert found[:2] == [version, version]
    assert Path(found[2]).resolve() == (repo.path / "src" / "vcsdemo" / "__init__.py").resolve()
    assert_untouched(repo)


# Run by the interpreter under test: fletching's hooks in the given venv's python.
_HOOKS = r"""
import json, os, sys
from pyproject_hooks import BuildBackendHookCaller
caller = BuildBackendHookCaller(sys.argv[1], "fletching.buildapi", python_executable=sys.argv[2])
found = {
    "sdist": caller.get_requires_for_build_sdist(),
    "wheel": caller.get_requires_for_build_wheel(),
    "editable": caller.get_requires_for_build_editable(),
}
found["metadata"] = caller.prepare_metadata_for_build_wheel(sys.argv[3])
print(json.dumps(found))
"""


def test_hooks_need_nothing_and_a_changed_tree_gets_the_date(
    ws: Workspace, repo_after_tag: tuple[Repo, str]
) -> None:
    original, version = repo_after_tag
    repo = ws.mkdir("vcsdemo-dirty") / "vcsdemo"
    shutil.copytree(original.path, repo)
    (repo / "README.txt").write_text("uncommitted\n", encoding="utf-8")
    # A venv with fletching and nothing else: the project's dependency (packaging,
    # which its module imports) is not there, and not asked for.
    venv = ws.uv_venv("vcsdemo-hooks")
    ws.uv("pip", "install", "--python", venv.python, only_file(ws.wheelhouse, ".whl"))
    metadata = ws.mkdir("vcsdemo-metadata")
    env = dict(ws.env, SOURCE_DATE_EPOCH="1706659200")  # 2024-01-31 UTC
    proc = run([sys.executable, "-c", _HOOKS, repo, venv.python, metadata], env=env)
    found = json.loads(proc.stdout.strip().splitlines()[-1])
    assert {k: found[k] for k in ("sdist", "wheel", "editable")} == {
        "sdist": [],
        "wheel": [],
        "editable": [],
    }
    dirty = f"{version}.d20240131"
    assert found["metadata"] == f"vcsdemo-{dirty}.dist-info"
    text = (metadata / found["metadata"] / "METADATA").read_text(encoding="utf-8")
    assert f"\nVersion: {dirty}\n" in text
