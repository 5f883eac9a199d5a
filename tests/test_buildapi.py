"""The PEP 517/660 hooks as a frontend calls them: in a subprocess, via pyproject-hooks."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

import pytest
from pyproject_hooks import BuildBackendHookCaller

from fletching import buildapi
from helpers import EXAMPLES, REPO, copy_tree, wheel_members


def checkout_environ(extra: Mapping[str, str] | None) -> dict[str, str]:
    """A hook subprocess's environment that imports this checkout's fletching, not
    whichever one the environment has installed."""
    env = dict(os.environ, **(extra or {}))
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    return env


def quiet_runner(
    cmd: Sequence[str], cwd: str | None = None, extra_environ: Mapping[str, str] | None = None
) -> None:
    """Run the hook and fail if the backend writes anything to stdout."""
    proc = subprocess.run(
        cmd, cwd=cwd, env=checkout_environ(extra_environ), capture_output=True, text=True
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == "", proc.stdout


def caller(project: Path) -> BuildBackendHookCaller:
    # The backend is the checkout's (quiet_runner puts it first on the path).
    return BuildBackendHookCaller(
        str(project), "fletching.buildapi", runner=quiet_runner, python_executable=sys.executable
    )


def test_all_hooks_exist_with_pep_517_signatures() -> None:
    import inspect

    for name in (
        "build_wheel",
        "build_editable",
        "build_sdist",
        "prepare_metadata_for_build_wheel",
        "prepare_metadata_for_build_editable",
        "get_requires_for_build_wheel",
        "get_requires_for_build_sdist",
        "get_requires_for_build_editable",
    ):
        params = list(inspect.signature(getattr(buildapi, name)).parameters)
        assert "config_settings" in params, name


def test_hooks_through_a_frontend_subprocess(tmp_path: Path) -> None:
    project = copy_tree(EXAMPLES / "src-layout", tmp_path / "src-layout")
    hooks = caller(project)
    settings = {"some-frontend-option": "ignored"}
    assert hooks.get_requires_for_build_wheel(settings) == []
    assert hooks.get_requires_for_build_sdist(settings) == []
    assert hooks.get_requires_for_build_editable(settings) == []
    out = tmp_path / "out"
    meta = hooks.prepare_metadata_for_build_wheel(str(tmp_path / "meta"), settings)
    assert meta == "tallyho-2.0.0rc1.dist-info"
    wheel = hooks.build_wheel(str(out), settings, metadata_directory=str(tmp_path / "meta" / meta))
    assert wheel == "tallyho-2.0.0rc1-py3-none-any.whl"
    assert hooks.build_sdist(str(out), settings) == "tallyho-2.0.0rc1.tar.gz"
    editable = hooks.build_editable(str(tmp_path / "ed"), settings)
    assert "tallyho.pth" in wheel_members(tmp_path / "ed" / editable)
    meta_ed = hooks.prepare_metadata_for_build_editable(str(tmp_path / "meta-ed"), settings)
    assert meta_ed == meta


def test_importing_the_backend_is_light() -> None:
    code = (
        "import sys; before = set(sys.modules); import fletching.buildapi; "
        "print(sorted(set(sys.modules) - before))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    loaded = eval(out)
    # The hooks import what they need when they run; importing the backend is free.
    # (__future__ is new only where the interpreter has not loaded it at start-up.)
    assert set(loaded) - {"__future__"} == {"fletching", "fletching.buildapi"}
    heavy = {"packaging", "email", "logging", "trove_classifiers", "zipfile", "tarfile"}
    assert not heavy & {name.split(".")[0] for name in loaded}, loaded


_LOADS_HASHLIB = """
import os, sys
sys.path.insert(0, sys.argv[1])
os.chdir(sys.argv[2])
import fletching.buildapi as hooks
getattr(hooks, sys.argv[3])(sys.argv[4])
print("hashlib" in sys.modules)
"""


@pytest.mark.parametrize(
    ("hook", "loads"),
    [("prepare_metadata_for_build_wheel", False), ("build_sdist", False), ("build_wheel", True)],
)
def test_only_wheels_load_hashlib(tmp_path: Path, hook: str, loads: bool) -> None:
    # OpenSSL takes milliseconds to load, and only RECORD needs SHA-256.
    project = copy_tree(EXAMPLES / "pep639-licensed", tmp_path / "project")
    args = [str(REPO), str(project), hook, str(tmp_path / "out")]
    out = subprocess.run(
        [sys.executable, "-c", _LOADS_HASHLIB, *args], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == str(loads)


@pytest.mark.parametrize("hook", ["build_wheel", "build_sdist"])
def test_self_build_through_backend_path(tmp_path: Path, hook: str) -> None:
    hooks = BuildBackendHookCaller(
        str(REPO), "fletching.buildapi", backend_path=["."], python_executable=sys.executable
    )
    name = getattr(hooks, hook)(str(tmp_path))
    assert name.startswith("fletching-")


def test_frontend_shows_a_user_error_as_a_message_not_a_traceback(tmp_path: Path) -> None:
    project = copy_tree(EXAMPLES / "single-module", tmp_path / "bad")
    pyproject = project / "pyproject.toml"
    pyproject.write_text(pyproject.read_text() + 'dependencies = ["requests >="]\n')
    seen: dict[str, str] = {}

    def runner(
        cmd: Sequence[str], cwd: str | None = None, extra_environ: Mapping[str, str] | None = None
    ) -> None:
        env = checkout_environ(extra_environ)
        proc = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, check=False)
        seen["stderr"] = proc.stderr
        if proc.returncode:
            raise subprocess.CalledProcessError(proc.returncode, cmd)

    hooks = BuildBackendHookCaller(
        str(project), "fletching.buildapi", runner=runner, python_executable=sys.executable
    )
    with pytest.raises(subprocess.CalledProcessError):
        hooks.build_wheel(str(tmp_path / "out"))
    assert "Traceback" not in seen["stderr"]
    assert (
        seen["stderr"]
        .strip()
        .startswith(
            "fletching: error: pyproject.toml: [project] dependencies[0]: 'requests >=' is not a"
            " valid requirement (PEP 508): "
        )
    )


def test_an_internal_error_keeps_its_traceback(monkeypatch: pytest.MonkeyPatch) -> None:
    import io

    stderr = io.StringIO()
    monkeypatch.setattr(sys, "stderr", stderr)
    fallback: list[type[BaseException]] = []
    buildapi._report_user_errors(
        KeyError, KeyError("x"), None, fallback=lambda kind, *_: fallback.append(kind)
    )
    assert fallback == [KeyError]
    assert stderr.getvalue() == ""


def test_config_warnings_go_to_stderr(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from helpers import MINIMAL_PYPROJECT, call_hook, write_project

    project = write_project(
        tmp_path / "p",
        {
            "pyproject.toml": MINIMAL_PYPROJECT + 'readme = "README"\n',
            "README": "Plain text.",
            "demo.py": "",
        },
    )
    call_hook(project, "build_wheel", str(tmp_path / "out"))
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith(
        "fletching: warning: pyproject.toml: [project] readme: cannot tell the content type of"
        " 'README'"
    )
