"""tox as a frontend: a project's own tox.ini, run by ``python -m tox -e py``.

tox builds the package in its ``.pkg`` environment, into which pip installs the
``[build-system]`` requires (fletching, found in the wheelhouse through
PIP_FIND_LINKS, which tox passes on), and it calls the hooks through
pyproject-api: several hooks in one long-lived backend process, unlike pip and
build. The tox that runs is the one installed next to these tests (the e2e
dependency group); its work dir is in the workspace, not in the project.
"""

from __future__ import annotations

import shlex
import sys
from pathlib import Path

import pytest

from e2e_support import (
    SPECS,
    Check,
    Example,
    Venv,
    Workspace,
    check_after_edits,
    check_installation,
    python_c,
    run,
    tree_listing,
)

pytestmark = pytest.mark.e2e

TOX_INI = """\
[tox]
env_list = py

[testenv]
package = {package}
# Not the project folder: python -c would import the module from there.
change_dir = {{env_tmp_dir}}
commands =
{commands}
"""


@pytest.fixture(scope="module")
def ws(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    return Workspace.with_fletching_wheelhouse(tmp_path_factory)


def spec(folder: str) -> Example:
    (found,) = [example for example in SPECS if example.folder == folder]
    return found


def where_check(example: Example) -> Check:
    """Prints the installed version and the module's file; the output starts with the version."""
    code = (
        f"import importlib.metadata as md, {example.module}; "
        f"print(md.version({example.file_name!r}), {example.module}.__file__)"
    )
    return Check(python_c(code), example.version)


def tox_command(argv: tuple[str, ...]) -> str:
    line = shlex.join(argv)  # tox splits commands as a POSIX shell does
    # Characters tox's ini reader would substitute, treat as a comment or join lines on.
    assert not set(line) & set("{}#\\"), f"cannot write {line!r} into tox.ini as it is"
    return line


def tox_env(ws: Workspace, home: Path) -> dict[str, str]:
    """The frontends' environment, without what would configure the tox under test.

    tox reads TOX_* variables as option defaults (TOX_WORK_DIR is the --workdir
    of the tox that runs these tests), and a user-level tox config file.
    """
    env = {k: v for k, v in ws.env.items() if not k.lstrip("_").startswith("TOX_")}
    env["TOX_USER_CONFIG_FILE"] = str(home / "no-user-config.ini")
    return env


def run_tox(ws: Workspace, example: Example, package: str) -> tuple[Path, Venv, Path]:
    """``python -m tox -e py`` on a copy of the example with a tiny tox.ini.

    The commands are the example's checks, whose output must show, and one that
    prints where the module was imported from. Returns the project copy, tox's
    ``py`` environment and that module file.
    """
    project = ws.copy(example, f"tox-{package}")
    checks = (*example.checks, where_check(example))
    commands = "\n".join(f"    {tox_command(check.argv)}" for check in checks)
    ini = TOX_INI.format(package=package, commands=commands)
    (project / "tox.ini").write_text(ini, encoding="utf-8")
    before = tree_listing(project)
    work_dir = ws.mkdir(f"{example.folder}-tox-{package}-work")
    env = tox_env(ws, work_dir)
    proc = run(
        [sys.executable, "-m", "tox", "-e", "py", "--workdir", work_dir], cwd=project, env=env
    )
    output = proc.stdout + proc.stderr
    # Running the commands may write __pycache__ into an editable project, and tox
    # (4.52 and later) points a PEP 832 .venv file at an editable environment.
    after = [p for p in tree_listing(project) if "__pycache__" not in p.split("/") and p != ".venv"]
    assert after == before, f"tox -e py (package = {package}) wrote into {project}\n{output}"
    assert "fletching.buildapi" in output, f"tox did not build with fletching:\n{output}"
    lines = proc.stdout.splitlines()
    for check in example.checks:
        assert check.stdout in lines, f"tox printed no {check.stdout!r} for {check.argv}:\n{output}"
    where = [line for line in lines if line.startswith(f"{example.version} ")]
    assert len(where) == 1, f"tox printed no single '{example.version} <module file>':\n{output}"
    return project, Venv(work_dir / "py"), Path(where[0].split(" ", 1)[1]).resolve()


@pytest.mark.parametrize("folder", ["classic-flit", "src-layout"])
def test_tox_wheel_package_runs_commands_against_installed_wheel(
    ws: Workspace, folder: str
) -> None:
    example = spec(folder)
    _, venv, module_file = run_tox(ws, example, "wheel")
    assert venv.path.resolve() in module_file.parents, (
        f"tox's commands imported {example.module} from {module_file}, not from {venv.path}"
    )
    check_installation(ws, venv, example, source=None)


@pytest.mark.parametrize("folder", ["src-layout"])
def test_tox_editable_package_sees_source_edits(ws: Workspace, folder: str) -> None:
    example = spec(folder)
    project, venv, module_file = run_tox(ws, example, "editable")
    assert project.resolve() in module_file.parents, (
        f"tox's commands imported {example.module} from {module_file}, not from {project}"
    )
    check_installation(ws, venv, example, source=project)
    check_after_edits(ws, venv, example, project)
