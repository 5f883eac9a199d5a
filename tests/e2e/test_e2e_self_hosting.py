"""fletching builds itself with a real frontend, and its sdist's tests pass against the wheel.

``python -m build`` on the repository uses backend-path, so no wheelhouse is
needed: the isolated build environment installs nothing (fletching's
``requires`` is empty; its libraries are vendored) and imports fletching from
the source tree (and then from the unpacked sdist, for the wheel).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

from e2e_support import (
    SPECS,
    Artefacts,
    CommandFailed,
    StrPath,
    Workspace,
    frontend_env,
    run,
    unpack_sdist,
)
from helpers import REPO, build_wheel, validate_sdist, validate_wheel

pytestmark = pytest.mark.e2e

# A pytest plugin put on PYTHONPATH for the sdist's test run: it records where
# fletching is imported from in that very run.
PROBE = '''\
"""Records where the tests imported fletching from."""
import os
import sys


def pytest_sessionfinish(session, exitstatus):
    import fletching

    with open(os.environ["FLETCHING_ORIGIN"], "w", encoding="utf-8") as out:
        out.write(fletching.__file__ + "\\n" + sys.path[0])
'''


@pytest.fixture(scope="module")
def ws(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    empty = tmp_path_factory.mktemp("no-wheelhouse")
    return Workspace(tmp_path_factory, empty, frontend_env(empty, tmp_path_factory.mktemp("uv")))


@pytest.fixture(scope="module")
def self_built(ws: Workspace) -> Artefacts:
    """``python -m build`` on the repository: the sdist, then the wheel from the sdist."""
    out = ws.mkdir("fletching-dist")
    ws.python("-m", "build", "--outdir", out, REPO)
    return Artefacts.collect(out)


def test_fletching_builds_itself_into_valid_artefacts(ws: Workspace, self_built: Artefacts) -> None:
    import fletching

    for meta in (validate_wheel(self_built.wheel), validate_sdist(self_built.sdist)):
        assert meta.name == "fletching"
        assert str(meta.version) == fletching.__version__
    ws.python("-m", "twine", "check", "--strict", self_built.sdist, self_built.wheel)
    ws.python(
        "-m",
        "check_wheel_contents",
        "--no-config",
        # The vendored libraries' licences stand beside their code and, as PEP 639 asks,
        # in .dist-info/licenses/: the one duplication there is on purpose.
        "--ignore",
        "W002",
        "--toplevel",
        "fletching",
        "--package",
        REPO / "fletching",
        self_built.wheel,
    )
    # The wheel built (in the build env) from the sdist equals one built here from the tree.
    here = build_wheel(REPO, ws.mkdir("fletching-in-process"))
    assert here.name == self_built.wheel.name
    assert here.read_bytes() == self_built.wheel.read_bytes(), "wheel from sdist != from tree"


def _test_requirements(pyproject: Path) -> list[str]:
    """The [dependency-groups] test group of the unpacked sdist (include-group resolved)."""
    if sys.version_info >= (3, 11):
        import tomllib
    else:
        import tomli as tomllib
    groups: dict[str, list[Any]] = tomllib.loads(pyproject.read_text(encoding="utf-8"))[
        "dependency-groups"
    ]

    def resolve(name: str) -> list[str]:
        out: list[str] = []
        for item in groups[name]:
            out += [item] if isinstance(item, str) else resolve(item["include-group"])
        return out

    return resolve("test")


def test_fletching_sdist_test_suite_passes_against_installed_wheel(
    ws: Workspace, self_built: Artefacts
) -> None:
    source = unpack_sdist(self_built.sdist, ws.mkdir("fletching-sdist"))
    tests = source / "tests"
    missing = (
        f"fletching's sdist {self_built.sdist.name} has no unit tests below tests/ "
        "([tool.fletching.sdist] include should list tests/); its top folder holds "
        f"{sorted(p.name for p in source.iterdir())}"
    )
    assert tests.is_dir(), missing
    assert (tests / "conftest.py").is_file(), missing
    assert [p for p in tests.glob("**/test_*.py") if "e2e" not in p.parts], missing
    assert all((source / "examples" / example.folder).is_dir() for example in SPECS)

    venv = ws.virtualenv("fletching-test-venv")
    requirements = _test_requirements(source / "pyproject.toml")
    ws.in_venv(venv, "python", "-m", "pip", "install", self_built.wheel, *requirements)

    probe_dir = ws.mkdir("probe")
    (probe_dir / "fletching_origin_probe.py").write_text(PROBE, encoding="utf-8")
    origin = probe_dir / "origin.txt"
    env = dict(ws.env, PYTHONPATH=str(probe_dir), FLETCHING_ORIGIN=str(origin))
    # The venv's pytest script, not ``python -m pytest``: -m would put the working
    # folder, the unpacked sdist with its fletching/ source, first on sys.path.
    command: list[StrPath] = [
        venv.script("pytest"),
        "-m",
        "not e2e",
        "-q",
        "-p",
        "no:cacheprovider",
    ]
    command += ["-p", "fletching_origin_probe"]
    try:
        run(command, cwd=source, env=env)
    except CommandFailed as exc:
        if exc.returncode == 5:
            raise AssertionError(f"pytest collected no tests from the sdist\n{exc}") from None
        raise
    imported, first_on_path = origin.read_text(encoding="utf-8").splitlines()
    assert venv.path.resolve() in Path(imported).resolve().parents, (
        f"the sdist's tests imported fletching from {imported}, not from the installed wheel "
        f"(sys.path[0] was {first_on_path})"
    )
