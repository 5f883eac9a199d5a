"""The bootstrap story, offline: fletching needs nothing but itself, even to build packaging.

fletching carries packaging, tomli and trove-classifiers in ``fletching/_vendor/``, its
wheel declares no dependencies and its own ``[build-system] requires`` is empty. So:

- pip installs fletching's wheel from a local folder (``--no-index``) into a venv that
  holds only pip, and nothing comes with it; fletching works there with its vendored
  libraries, top-level ``packaging`` being not even importable;
- from a folder holding nothing but sdists, fletching's and that of a project *named*
  ``packaging`` that is built by fletching, pip builds (``--no-binary :all:``) fletching
  from its own sdist, and the ``packaging`` project with a fletching it builds from
  source for the build environment. Before vendoring this was a cycle (fletching's
  build needed packaging, whose build needs fletching), which pip refuses with
  "... is already being built"; a control test keeps that failure reproducible, so the
  bootstrap test cannot pass for a reason other than the empty ``requires``;
- ``fletching/_vendor/`` is exactly what ``tests/vendoring/vendor.py`` makes from the
  pins (this one downloads the pinned wheels, hence it lives with the e2e tests).

Everything but the vendoring check runs with ``--no-index``, no pip configuration file,
none of the user's ``PIP_*`` settings and a fresh pip cache per command, so that no
wheel built or downloaded elsewhere can stand in for a build from source.
"""

from __future__ import annotations

import email.parser
import hashlib
import importlib.util
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tarfile
from dataclasses import dataclass
from pathlib import Path

import pytest

from e2e_support import (
    COMMAND_TIMEOUT,
    Artefacts,
    CommandFailed,
    StrPath,
    Venv,
    Workspace,
    frontend_env,
    run,
    unpack_sdist,
)
from helpers import (
    REPO,
    build_sdist,
    build_wheel,
    copy_tree,
    validate_sdist,
    validate_wheel,
    wheel_members,
    wheel_metadata_text,
    write_project,
)

pytestmark = pytest.mark.e2e

VENDOR = REPO / "fletching" / "_vendor"
VENDOR_TOOL = REPO / "tests" / "vendoring" / "vendor.py"
LIBRARIES = ("packaging", "tomli", "trove_classifiers")
SEEDED_EXTRAS = ("setuptools", "wheel")  # what older virtualenvs seed next to pip

# The project that plays packaging's part: the same distribution and import name, built
# by fletching from source. Version and description come from the module, as with flit.
SAMPLE_VERSION = "0.1.0"
SAMPLE_DOC = "A stand-in for packaging, built from source by fletching."
SAMPLE_PACKAGING = {
    "pyproject.toml": """\
[build-system]
requires = ["fletching"]
build-backend = "fletching.buildapi"

[project]
name = "packaging"
dynamic = ["version", "description"]
requires-python = ">=3.9"
license = "MIT"
""",
    "packaging/__init__.py": f'"""{SAMPLE_DOC}"""\n\n__version__ = "{SAMPLE_VERSION}"\n',
}

# A project for fletching to build in the pip-only venv: its metadata goes through each
# vendored library (requirement markers, the SPDX expression, the classifier list).
PROBE_PROJECT = {
    "pyproject.toml": """\
[build-system]
requires = ["fletching"]
build-backend = "fletching.buildapi"

[project]
name = "bootstrap-probe"
version = "1.0"
description = "Built by a fletching that has nothing else installed."
license = "MIT OR Apache-2.0"
dependencies = ["attrs>=22; python_version >= '3.9'", "idna[all]<4; os_name == 'nt'"]
classifiers = ["Programming Language :: Python :: 3", "Typing :: Typed"]
""",
    "bootstrap_probe.py": '"""Probe."""\n',
}

# Run in the pip-only venv, from the probe project: build it, then tell where fletching
# and its libraries came from and which top-level libraries exist or were imported.
INSPECT_FLETCHING = r"""
import importlib, importlib.util, json, sys
import fletching, fletching.buildapi
from fletching import buildapi
libraries = sys.argv[2:]
wheel = buildapi.build_wheel(sys.argv[1])
vendored = {name: importlib.import_module("fletching._vendor." + name) for name in libraries}
print(json.dumps({
    "fletching": fletching.__file__,
    "version": fletching.__version__,
    "hooks": [hook for hook in ("build_wheel", "build_sdist", "build_editable")
              if callable(getattr(buildapi, hook, None))],
    "wheel": wheel,
    "vendored": {name: module.__file__ for name, module in vendored.items()},
    "packaging_version": vendored["packaging"].__version__,
    "importable": [name for name in libraries if importlib.util.find_spec(name) is not None],
    "imported": [name for name in libraries if name in sys.modules],
}))
"""


def tail(text: str, lines: int = 25) -> str:
    return "\n".join(text.strip().splitlines()[-lines:])


def shown(proc: subprocess.CompletedProcess[str]) -> str:
    """The end of a command's output, for assertion messages."""
    return (
        f"\n--- stdout (tail) ---\n{tail(proc.stdout)}\n--- stderr (tail) ---\n{tail(proc.stderr)}"
    )


def offline_env(factory: pytest.TempPathFactory) -> dict[str, str]:
    """The frontends' environment without any of the user's pip settings.

    No ``PIP_*`` variable (an index, find-links, a shared cache, a build tracker ...),
    no configuration file, no SOURCE_DATE_EPOCH (the wheels are compared with ones built
    here without it). Every pip command then gets its own fresh cache.
    """
    base = frontend_env(factory.mktemp("no-wheelhouse"), factory.mktemp("uv-cache"))
    env = {k: v for k, v in base.items() if not k.startswith("PIP_") and k != "SOURCE_DATE_EPOCH"}
    env.update(PIP_CONFIG_FILE=os.devnull, PIP_DISABLE_PIP_VERSION_CHECK="1", PIP_NO_INPUT="1")
    return env


def pip(
    ws: Workspace, venv: Venv, *args: StrPath, timeout: float = COMMAND_TIMEOUT
) -> subprocess.CompletedProcess[str]:
    """``python -m pip ...`` in the venv, with a pip cache of its own (empty)."""
    env = dict(ws.env, PIP_CACHE_DIR=str(ws.mkdir("pip-cache")))
    return run([venv.python, "-m", "pip", *args], cwd=venv.path, env=env, timeout=timeout)


def installed(ws: Workspace, venv: Venv) -> dict[str, str]:
    """What ``pip list`` says is in the venv: normalised name -> version."""
    proc = pip(ws, venv, "list", "--format=json")
    return {
        re.sub(r"[-_.]+", "-", item["name"]).lower(): item["version"]
        for item in json.loads(proc.stdout)
    }


def pip_only_venv(ws: Workspace, label: str) -> Venv:
    """A fresh venv of the interpreter under test in which pip is the only distribution."""
    venv = ws.virtualenv(label, "--no-setuptools")
    seeded = [name for name in installed(ws, venv) if name in SEEDED_EXTRAS]
    if seeded:  # a virtualenv that still seeds wheel for this Python
        pip(ws, venv, "uninstall", "--yes", *seeded)
    have = installed(ws, venv)
    assert sorted(have) == ["pip"], f"the venv at {venv.path} is not pip-only: {have}"
    return venv


def folder_with(folder: Path, *files: Path) -> Path:
    """``folder`` holding copies of ``files`` and nothing else."""
    for file in files:
        shutil.copy2(file, folder / file.name)
    names = sorted(p.name for p in folder.iterdir())
    assert names == sorted(f.name for f in files), names
    return folder


@pytest.fixture(scope="module")
def ws(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    """No wheelhouse: each test says which folder pip may look in."""
    empty = tmp_path_factory.mktemp("no-wheelhouse")
    return Workspace(tmp_path_factory, empty, offline_env(tmp_path_factory))


@pytest.fixture(scope="module")
def fletching_dists(ws: Workspace) -> Artefacts:
    """fletching's sdist and wheel, built from this repository by fletching, in-process."""
    import fletching

    with pytest.MonkeyPatch.context() as mp:
        mp.delenv("SOURCE_DATE_EPOCH", raising=False)
        sdist = build_sdist(REPO, ws.mkdir("fletching-sdist"))
        wheel = build_wheel(REPO, ws.mkdir("fletching-wheel"))
    assert sdist.name == f"fletching-{fletching.__version__}.tar.gz"
    assert wheel.name == f"fletching-{fletching.__version__}-py3-none-any.whl"
    validate_sdist(sdist)
    validate_wheel(wheel)
    return Artefacts(sdist, wheel)


@pytest.fixture(scope="module")
def sample_sdist(ws: Workspace) -> Path:
    """The sdist of the project named ``packaging``, built by fletching."""
    project = write_project(ws.mkdir("sample") / "packaging", SAMPLE_PACKAGING)
    with pytest.MonkeyPatch.context() as mp:
        mp.delenv("SOURCE_DATE_EPOCH", raising=False)
        sdist = build_sdist(project, ws.mkdir("sample-sdist"))
    assert sdist.name == f"packaging-{SAMPLE_VERSION}.tar.gz"
    meta = validate_sdist(sdist)
    assert (meta.name, str(meta.version), meta.summary) == ("packaging", SAMPLE_VERSION, SAMPLE_DOC)
    return sdist


@pytest.fixture(scope="module")
def sdists_only(ws: Workspace, fletching_dists: Artefacts, sample_sdist: Path) -> Path:
    """The one folder pip may look in for the source bootstrap: the two sdists, no wheel."""
    return folder_with(ws.mkdir("sdists-only"), fletching_dists.sdist, sample_sdist)


@pytest.fixture(scope="module")
def frontend(ws: Workspace) -> Venv:
    """The pip-only venv whose pip builds the wheels (``pip wheel`` installs nothing here)."""
    return pip_only_venv(ws, "bootstrap-frontend")


# What to pick out of pip's debug log for a failure message (the tracebacks are pip's own).
_NOTABLE = re.compile(
    r"error|already being built|no matching distribution|could not find|successfully", re.I
)


def notable_lines(log: str, limit: int = 40) -> str:
    lines = (re.sub(r"^\d{4}-\d\d-\d\dT[\d:,.]+ ", "", line) for line in log.splitlines())
    picked = [line for line in lines if _NOTABLE.search(line)]
    return "\n".join(picked[-limit:])


@dataclass(frozen=True)
class PipWheel:
    out: Path  # the --wheel-dir
    returncode: int
    output: str  # the command, its stdout and its stderr
    log_path: Path  # pip's --log: its debug log, with the output of the build subprocesses

    @property
    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def shown(self) -> str:
        """The output and the telling lines of the log, for assertion messages."""
        return (
            f"{self.output}\n--- pip's log {self.log_path}, notable lines ---\n"
            f"{notable_lines(self.log)}"
        )


def pip_wheel_from_source(
    ws: Workspace,
    frontend: Venv,
    links: Path,
    name: str,
    *,
    check: bool = True,
    timeout: float = COMMAND_TIMEOUT,
) -> PipWheel:
    """``pip wheel --no-binary :all: --no-index --find-links LINKS --wheel-dir OUT NAME``.

    With ``--log``, pip keeps what the build subprocesses print (the build environment's
    own ``pip install``, the backend's hooks) in the log rather than on stderr.
    """
    out = ws.mkdir(f"{name}-wheels")
    log = ws.mkdir(f"{name}-log") / "pip.log"
    args: list[StrPath] = ["wheel", "--no-binary", ":all:", "--no-index", "--find-links", links]
    args += ["--wheel-dir", out, "--log", log, name]
    try:
        proc = pip(ws, frontend, *args, timeout=timeout)
        returncode, output = 0, f"pip {shlex.join([os.fspath(a) for a in args])}{shown(proc)}"
    except CommandFailed as exc:
        returncode, output = exc.returncode, str(exc)
    built = PipWheel(out, returncode, output, log)
    if check and returncode:
        raise CommandFailed(built.shown(), returncode)
    return built


# --- (a) installing fletching installs fletching ---------------------------------------


def test_pip_installs_fletching_alone_and_it_works_with_its_vendored_libraries(
    ws: Workspace, fletching_dists: Artefacts
) -> None:
    import fletching

    metadata = email.parser.Parser().parsestr(wheel_metadata_text(fletching_dists.wheel))
    assert metadata.get_all("Requires-Dist") is None, metadata.get_all("Requires-Dist")

    links = folder_with(ws.mkdir("fletching-wheel-only"), fletching_dists.wheel)
    venv = pip_only_venv(ws, "fletching-alone")
    proc = pip(ws, venv, "install", "--no-index", "--find-links", links, "fletching")
    have = installed(ws, venv)
    assert have == {"pip": have.get("pip"), "fletching": fletching.__version__}, (
        f"pip install fletching left {have} in a venv that held only pip{shown(proc)}"
    )

    project = write_project(ws.mkdir("probe") / "bootstrap-probe", PROBE_PROJECT)
    out = ws.mkdir("probe-dist")
    inspect = run([venv.python, "-c", INSPECT_FLETCHING, out, *LIBRARIES], cwd=project, env=ws.env)
    facts = json.loads(inspect.stdout.strip().splitlines()[-1])
    package = Path(facts["fletching"]).resolve().parent
    assert venv.path.resolve() in package.parents, f"fletching imported from {package}"
    assert facts["version"] == fletching.__version__
    assert facts["hooks"] == ["build_wheel", "build_sdist", "build_editable"], facts
    for name, file in facts["vendored"].items():
        assert package / "_vendor" / name in Path(file).resolve().parents, (
            f"fletching._vendor.{name} is {file}, not the copy inside the installed fletching"
        )
    pins = (VENDOR / "vendor.txt").read_text(encoding="utf-8")
    assert f"packaging=={facts['packaging_version']} " in pins, facts["packaging_version"]
    assert facts["importable"] == [], (
        f"top-level {facts['importable']} importable in a venv with only pip and fletching"
    )
    assert facts["imported"] == [], f"building imported top-level {facts['imported']}"

    # What fletching built there is a valid wheel whose metadata went through packaging.
    meta = validate_wheel(out / facts["wheel"])
    assert meta.name == "bootstrap-probe"
    assert [str(r) for r in meta.requires_dist] == [
        'attrs>=22; python_version >= "3.9"',
        'idna[all]<4; os_name == "nt"',
    ]
    assert str(meta.license_expression) == "MIT OR Apache-2.0"


# --- (b) everything from source: fletching, then packaging -----------------------------


def test_pip_builds_fletching_from_its_own_sdist_with_nothing_else(
    ws: Workspace, frontend: Venv, sdists_only: Path, fletching_dists: Artefacts
) -> None:
    built = pip_wheel_from_source(ws, frontend, sdists_only, "fletching")
    names = sorted(p.name for p in built.out.iterdir())
    assert names == [fletching_dists.wheel.name], f"pip wheel wrote {names}\n{built.shown()}"
    assert (built.out / names[0]).read_bytes() == fletching_dists.wheel.read_bytes(), (
        "the wheel pip built from fletching's sdist differs from the one built from the tree"
    )
    have = installed(ws, frontend)
    assert sorted(have) == ["pip"], f"pip wheel installed into the frontend's venv: {have}"


def test_pip_builds_packaging_from_source_with_fletching_built_from_source(
    ws: Workspace, frontend: Venv, sdists_only: Path, fletching_dists: Artefacts
) -> None:
    built = pip_wheel_from_source(ws, frontend, sdists_only, "packaging")
    wheel_name = f"packaging-{SAMPLE_VERSION}-py3-none-any.whl"
    names = sorted(p.name for p in built.out.iterdir())
    assert names == [wheel_name], f"pip wheel packaging wrote {names}\n{built.shown()}"
    # The build environment's fletching: pip built it from the sdist, into the very
    # wheel that the tree gives (its sha256 is in the log of the build subprocess).
    digest = hashlib.sha256(fletching_dists.wheel.read_bytes()).hexdigest()
    assert fletching_dists.sdist.name in built.log, built.shown()
    assert f"sha256={digest}" in built.log, (
        f"pip's log shows no build of {fletching_dists.wheel.name} (sha256 {digest}) from "
        f"{fletching_dists.sdist.name} for the build environment\n{built.shown()}"
    )
    wheel = built.out / wheel_name
    meta = validate_wheel(wheel)
    assert (meta.name, str(meta.version), meta.summary) == ("packaging", SAMPLE_VERSION, SAMPLE_DOC)
    members = wheel_members(wheel)
    assert members["packaging/__init__.py"] == SAMPLE_PACKAGING["packaging/__init__.py"].encode()

    venv = pip_only_venv(ws, "packaging-from-source")
    pip(ws, venv, "install", "--no-index", wheel)
    have = installed(ws, venv)
    assert have == {"pip": have.get("pip"), "packaging": SAMPLE_VERSION}, have
    proc = run(
        [venv.python, "-c", "import packaging; print(packaging.__version__, packaging.__file__)"],
        cwd=venv.path,
        env=ws.env,
    )
    version, file = proc.stdout.split(maxsplit=1)
    assert version == SAMPLE_VERSION, proc.stdout
    assert venv.path.resolve() in Path(file.strip()).resolve().parents, proc.stdout


def test_control_a_fletching_that_requires_packaging_cannot_bootstrap_it(
    ws: Workspace, frontend: Venv, fletching_dists: Artefacts, sample_sdist: Path
) -> None:
    """What the two tests above would meet if fletching's build needed packaging."""
    if sys.version_info >= (3, 11):
        import tomllib
    else:
        import tomli as tomllib

    source = unpack_sdist(fletching_dists.sdist, ws.mkdir("cyclic-fletching"))
    pyproject = source / "pyproject.toml"
    text, count = re.subn(
        r"(?m)^requires = \[\]$",
        'requires = ["packaging"]',
        pyproject.read_text(encoding="utf-8"),
        count=1,
    )
    assert count == 1, "fletching's sdist has no 'requires = []' line to change"
    pyproject.write_text(text, encoding="utf-8")
    assert tomllib.loads(text)["build-system"]["requires"] == ["packaging"]
    cyclic = ws.mkdir("cyclic-sdist") / fletching_dists.sdist.name
    with tarfile.open(cyclic, "w:gz") as tf:
        tf.add(source, arcname=source.name)
    links = folder_with(ws.mkdir("cyclic-links"), cyclic, sample_sdist)

    # pip would recurse (fletching, packaging, fletching ...) but for its build tracker;
    # should it ever stop noticing, the timeout ends the recursion.
    built = pip_wheel_from_source(ws, frontend, links, "fletching", check=False, timeout=300)
    assert built.returncode != 0, f"pip built the cyclic fletching\n{built.shown()}"
    assert re.search(r"fletching-[^ ]*\.tar\.gz is already being built", built.log), built.shown()
    assert sorted(built.out.iterdir()) == [], built.shown()


# --- (c) the vendored tree is what the pins make -----------------------------------------


def vendoring_python(ws: Workspace) -> Path:
    """An interpreter with pip, which the vendoring tool downloads with."""
    if importlib.util.find_spec("pip") is not None:
        return Path(sys.executable)
    return ws.virtualenv("vendoring").python


def vendor_check(ws: Workspace, *args: StrPath) -> subprocess.CompletedProcess[str]:
    """``vendor.py --check`` with the user's pip settings (an index mirror, say)."""
    env = frontend_env(ws.mkdir("no-wheelhouse"), ws.mkdir("uv-cache"))
    env.pop("SOURCE_DATE_EPOCH", None)
    python = vendoring_python(ws)
    return subprocess.run(
        [os.fspath(a) for a in (python, VENDOR_TOOL, "--check", *args)],
        cwd=REPO,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="replace",
        timeout=600,
        check=False,
    )


def test_vendored_tree_is_what_the_vendoring_tool_makes_from_the_pins(ws: Workspace) -> None:
    proc = vendor_check(ws)
    assert proc.returncode == 0, f"vendor.py --check exited {proc.returncode}{shown(proc)}"


def test_control_the_vendoring_check_sees_a_changed_a_missing_and_an_extra_file(
    ws: Workspace,
) -> None:
    copy = copy_tree(VENDOR, ws.mkdir("vendor-copy") / "_vendor")
    changed = copy / "packaging" / "version.py"
    changed.write_bytes(changed.read_bytes() + b"\n")
    (copy / "tomli" / "_re.py").unlink()
    (copy / "trove_classifiers" / "extra.py").write_text("", encoding="utf-8")
    proc = vendor_check(ws, "--vendor", copy)
    assert proc.returncode == 1, f"vendor.py --check exited {proc.returncode}{shown(proc)}"
    reported = sorted(line for line in proc.stderr.splitlines() if line.startswith("vendor: "))
    assert reported == [
        "vendor: packaging/version.py: changed",
        "vendor: tomli/_re.py: missing",
        "vendor: trove_classifiers/extra.py: extra",
    ], shown(proc)
