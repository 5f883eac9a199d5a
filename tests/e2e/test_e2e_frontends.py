"""Real frontends (build, pip, uv, installer) on every example, in fresh virtual environments.

fletching is not on the package index, so a wheel of it built from this
repository is offered to every isolated build through a local wheelhouse
(PIP_FIND_LINKS for pip and build, --find-links for uv); everything else the
builds and installs need comes from the index. pip also builds without
isolation, in a venv that has fletching installed; installer installs the
wheels that build made. (tox drives fletching in test_e2e_tox.py.)

Artefacts are checked as their consumers check them: packaging's metadata
validation and installer's RECORD validation (helpers.validate_wheel and
validate_sdist), ``twine check --strict`` and ``check-wheel-contents``.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import pytest

from e2e_support import (
    SPECS,
    Artefacts,
    Example,
    StrPath,
    Venv,
    Workspace,
    assert_same_bytes,
    check_after_edits,
    check_installation,
    check_wheel_contents,
    example_ids,
    only_file,
    tree_listing,
    twine_check,
    twine_rejects_metadata_version,
)
from helpers import EXAMPLES, validate_sdist, validate_wheel

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="session")
def ws(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    return Workspace.with_fletching_wheelhouse(tmp_path_factory)


@pytest.fixture(scope="session", params=SPECS, ids=example_ids())
def example(request: pytest.FixtureRequest) -> Example:
    spec: Example = request.param
    return spec


def python_build(ws: Workspace, example: Example, label: str, *flags: str) -> Path:
    """``python -m build`` on a fresh copy of the example; the folder holding the artefacts."""
    project = ws.copy(example, label)
    before = tree_listing(project)
    out = ws.mkdir(f"{example.folder}-{label}-dist")
    ws.python("-m", "build", *flags, "--outdir", out, project)
    assert tree_listing(project) == before, f"python -m build {flags} wrote into {project}"
    return out


@pytest.fixture(scope="session")
def from_tree(ws: Workspace, example: Example) -> Artefacts:
    """``python -m build --sdist --wheel``: both built straight from the project."""
    return Artefacts.collect(python_build(ws, example, "tree", "--sdist", "--wheel"))


@pytest.fixture(scope="session")
def via_sdist(ws: Workspace, example: Example) -> Artefacts:
    """``python -m build``: the sdist from the project, then the wheel from the sdist."""
    return Artefacts.collect(python_build(ws, example, "default"))


@pytest.fixture(scope="session")
def wheel_only(ws: Workspace, example: Example) -> Path:
    """``python -m build --wheel``: the wheel straight from the project."""
    return only_file(python_build(ws, example, "wheel-only", "--wheel"), ".whl")


@pytest.fixture(scope="session")
def pip_frontend(ws: Workspace) -> Venv:
    """A venv whose pip runs ``pip wheel`` (which installs nothing into it)."""
    return ws.virtualenv("pip-frontend")


def test_every_example_is_covered() -> None:
    folders = sorted(p.name for p in EXAMPLES.iterdir() if (p / "pyproject.toml").is_file())
    assert folders == sorted(example_ids())


def test_build_isolated_produces_valid_artefacts(
    ws: Workspace, example: Example, from_tree: Artefacts
) -> None:
    wheel_meta = validate_wheel(from_tree.wheel)
    sdist_meta = validate_sdist(from_tree.sdist)
    for meta in (wheel_meta, sdist_meta):
        assert meta.name == example.dist
        assert str(meta.version) == example.version
    assert from_tree.wheel.name == f"{example.file_name}-{example.version}-py3-none-any.whl"
    assert from_tree.sdist.name == f"{example.file_name}-{example.version}.tar.gz"
    check_wheel_contents(ws, example, from_tree.wheel, example.path)


def test_twine_check_accepts_artefacts(
    ws: Workspace, example: Example, from_tree: Artefacts
) -> None:
    metadata_version = validate_wheel(from_tree.wheel).metadata_version
    reason = twine_rejects_metadata_version(metadata_version)
    if reason is not None:
        pytest.skip(reason)
    twine_check(ws, example, from_tree.sdist, from_tree.wheel)


def test_build_wheel_via_sdist_equals_wheel_from_tree(
    via_sdist: Artefacts, wheel_only: Path
) -> None:
    assert_same_bytes(via_sdist.wheel, wheel_only, "wheel built from the sdist vs from the tree")


def test_build_is_reproducible(
    from_tree: Artefacts, via_sdist: Artefacts, wheel_only: Path
) -> None:
    # Each pair: two builds of the same input, from copies made at different
    # times in different folders.
    assert_same_bytes(via_sdist.sdist, from_tree.sdist, "sdists of two builds")
    assert_same_bytes(wheel_only, from_tree.wheel, "wheels of two builds from the tree")


def test_build_without_isolation_matches_isolated_build(
    ws: Workspace, example: Example, from_tree: Artefacts
) -> None:
    # The interpreter under test already has fletching (the tox env installs it);
    # build checks that [build-system] requires is satisfied before building.
    project = ws.copy(example, "no-isolation")
    out = ws.mkdir(f"{example.folder}-no-isolation-dist")
    ws.python("-m", "build", "--no-isolation", "--sdist", "--wheel", "--outdir", out, project)
    built = Artefacts.collect(out)
    assert_same_bytes(built.sdist, from_tree.sdist, "sdist without isolation")
    assert_same_bytes(built.wheel, from_tree.wheel, "wheel without isolation")


@pytest.fixture(scope="session")
def pip_wheel(ws: Workspace, example: Example, pip_frontend: Venv) -> Path:
    """``pip wheel`` with build isolation (fletching from the wheelhouse) on a fresh copy."""
    project = ws.copy(example, "pip-wheel")
    out = ws.mkdir(f"{example.folder}-pip-wheel-dist")
    ws.in_venv(
        pip_frontend, "python", "-m", "pip", "wheel", "--no-deps", "-w", out, ".", cwd=project
    )
    return only_file(out, ".whl")


def test_pip_wheel_matches_build(pip_wheel: Path, from_tree: Artefacts) -> None:
    assert_same_bytes(pip_wheel, from_tree.wheel, "pip wheel vs python -m build")


def test_pip_install_gives_working_installation(ws: Workspace, example: Example) -> None:
    venv = ws.virtualenv(f"{example.folder}-pip-install")
    project = ws.copy(example, "pip-install")
    ws.in_venv(venv, "python", "-m", "pip", "install", ".", cwd=project)
    check_installation(ws, venv, example, source=None)


def test_pip_editable_install_sees_source_edits(ws: Workspace, example: Example) -> None:
    venv = ws.virtualenv(f"{example.folder}-pip-editable")
    project = ws.copy(example, "editable")
    ws.in_venv(venv, "python", "-m", "pip", "install", "-e", ".", cwd=project)
    check_installation(ws, venv, example, source=project)
    check_after_edits(ws, venv, example, project)


@pytest.fixture(scope="session")
def uv_built(ws: Workspace, example: Example) -> Artefacts:
    """``uv build``: the sdist from the project, then the wheel from the sdist."""
    project = ws.copy(example, "uv-build")
    out = ws.mkdir(f"{example.folder}-uv-dist")
    ws.uv(
        "build",
        "--python",
        sys.executable,
        "--find-links",
        ws.wheelhouse,
        "--out-dir",
        out,
        project,
    )
    return Artefacts.collect(out)


def test_uv_build_produces_valid_artefacts_identical_to_build(
    example: Example, uv_built: Artefacts, from_tree: Artefacts
) -> None:
    assert validate_wheel(uv_built.wheel).name == example.dist
    assert validate_sdist(uv_built.sdist).name == example.dist
    assert_same_bytes(uv_built.sdist, from_tree.sdist, "uv build sdist vs python -m build")
    assert_same_bytes(uv_built.wheel, from_tree.wheel, "uv build wheel vs python -m build")


def test_uv_pip_install_of_built_wheel_works(
    ws: Workspace, example: Example, uv_built: Artefacts
) -> None:
    venv = ws.uv_venv(f"{example.folder}-uv-install")
    ws.uv("pip", "install", "--python", venv.python, uv_built.wheel)
    check_installation(ws, venv, example, source=None)


# --- pip without build isolation ------------------------------------------------------
#
# The frontend's own venv is the build environment: it gets fletching's wheel (and
# whatever else the examples' [build-system] requires, today nothing), and pip
# checks with --check-build-dependencies that this is enough. To keep the run
# short, one pip command handles all the examples at once, into one venv: the
# examples share no distribution or top-level name, so they cannot disturb each
# other, and each test then checks its own example.


def build_requirements(example: Example) -> list[str]:
    """The example's ``[build-system] requires``."""
    if sys.version_info >= (3, 11):
        import tomllib
    else:
        import tomli as tomllib
    pyproject = tomllib.loads((example.path / "pyproject.toml").read_text(encoding="utf-8"))
    requires: list[str] = pyproject["build-system"]["requires"]
    return requires


def fletching_venv(ws: Workspace, label: str) -> Venv:
    """A venv with pip, fletching and the examples' other build requirements, nothing else."""
    from packaging.requirements import Requirement
    from packaging.utils import canonicalize_name

    others = {
        requirement
        for example in SPECS
        for requirement in build_requirements(example)
        if canonicalize_name(Requirement(requirement).name) != "fletching"
    }
    venv = ws.virtualenv(label, "--no-setuptools")
    fletching = only_file(ws.wheelhouse, ".whl")
    ws.in_venv(venv, "python", "-m", "pip", "install", fletching, *sorted(others))
    return venv


@dataclass(frozen=True)
class Installed:
    venv: Venv
    projects: Mapping[str, Path]  # the copy installed from, by example folder


def pip_no_isolation(
    ws: Workspace, venv: Venv, label: str, *args: StrPath, editable: bool = False
) -> Installed:
    """``pip <args> --no-build-isolation`` with a fresh copy of every example, in one command.

    pip must leave the copies as they were.
    """
    projects = {example.folder: ws.copy(example, label) for example in SPECS}
    before = {folder: tree_listing(project) for folder, project in projects.items()}
    targets: list[StrPath] = []
    for project in projects.values():
        targets += ["-e", project] if editable else [project]
    ws.in_venv(
        venv,
        "python",
        "-m",
        "pip",
        *args,
        "--no-build-isolation",
        "--check-build-dependencies",
        *targets,
    )
    for folder, project in projects.items():
        assert tree_listing(project) == before[folder], f"pip {args[0]} wrote into {project}"
    return Installed(venv, projects)


@pytest.fixture(scope="session")
def pip_no_isolation_installed(ws: Workspace) -> Installed:
    """``pip install --no-build-isolation`` of every example into the frontend's venv."""
    venv = fletching_venv(ws, "pip-no-isolation")
    return pip_no_isolation(ws, venv, "pip-no-isolation-install", "install")


@pytest.fixture(scope="session")
def pip_no_isolation_wheels(ws: Workspace, pip_no_isolation_installed: Installed) -> Path:
    """``pip wheel --no-build-isolation`` of every example: the folder holding the wheels.

    The examples installed in the frontend's venv do not matter to their builds.
    """
    out = ws.mkdir("pip-no-isolation-wheels")
    venv = pip_no_isolation_installed.venv
    pip_no_isolation(ws, venv, "pip-no-isolation-wheel", "wheel", "--no-deps", "-w", out)
    return out


@pytest.fixture(scope="session")
def pip_no_isolation_editables(ws: Workspace) -> Installed:
    """``pip install --no-build-isolation -e`` of every example into a venv of its own."""
    venv = fletching_venv(ws, "pip-no-isolation-editable")
    return pip_no_isolation(ws, venv, "pip-no-isolation-editable", "install", editable=True)


def test_pip_no_isolation_install_gives_working_installation(
    ws: Workspace, example: Example, pip_no_isolation_installed: Installed
) -> None:
    check_installation(ws, pip_no_isolation_installed.venv, example, source=None)


def test_pip_no_isolation_editable_install_sees_source_edits(
    ws: Workspace, example: Example, pip_no_isolation_editables: Installed
) -> None:
    venv = pip_no_isolation_editables.venv
    project = pip_no_isolation_editables.projects[example.folder]
    check_installation(ws, venv, example, source=project)
    check_after_edits(ws, venv, example, project)


def test_pip_no_isolation_wheel_matches_isolated_pip_wheel(
    example: Example, pip_no_isolation_wheels: Path, pip_wheel: Path
) -> None:
    built = sorted(p.name for p in pip_no_isolation_wheels.iterdir())
    assert built == sorted(spec.wheel_name for spec in SPECS)
    assert_same_bytes(
        pip_no_isolation_wheels / example.wheel_name,
        pip_wheel,
        "pip wheel --no-build-isolation vs pip wheel",
    )


# --- installer ------------------------------------------------------------------------


@pytest.fixture(scope="session")
def installer_venv(ws: Workspace) -> Venv:
    """A venv with installer and the examples' dependencies, which installer does not install.

    Each example's wheel goes into this one venv: they share no files.
    """
    venv = ws.uv_venv("installer")
    requires = sorted({name for example in SPECS for name in example.requires})
    ws.uv("pip", "install", "--python", venv.python, "installer", *requires)
    return venv


def test_installer_install_of_built_wheel_works(
    ws: Workspace, example: Example, from_tree: Artefacts, installer_venv: Venv
) -> None:
    # installer writes the console and GUI scripts with its own code.
    ws.in_venv(installer_venv, "python", "-m", "installer", from_tree.wheel)
    for group, name, _ in sorted(example.entry_points):
        if group not in ("console_scripts", "gui_scripts"):
            continue
        script = installer_venv.script(name)
        assert script.is_file(), f"installer wrote no {group} script {name} at {script}"
        if os.name != "nt":
            head = script.read_text(encoding="utf-8").splitlines()[:3]
            assert any(str(installer_venv.python) in line for line in head), (
                f"{script} does not run the venv's python: {head}"
            )
    check_installation(ws, installer_venv, example, source=None)
