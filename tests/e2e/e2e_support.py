"""Machinery shared by the end-to-end tests: commands, virtual environments, the examples.

Only the standard library, pytest and the shared helpers are imported at module
level: the test suite run from fletching's own sdist collects these modules (and
deselects them) in an environment that has no frontends installed.
"""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys
import tarfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Union

import pytest

from helpers import EXAMPLES, build_wheel, copy_tree, validate_wheel

StrPath = Union[str, "os.PathLike[str]"]

BIN = "Scripts" if os.name == "nt" else "bin"
EXE = ".exe" if os.name == "nt" else ""
COMMAND_TIMEOUT = 900.0

# Settings that would make the frontends test something else than asked.
_DROPPED_ENV = (
    "PYTHONPATH",
    "PYTHONHOME",
    "PYTHONSAFEPATH",
    "VIRTUAL_ENV",
    "CONDA_PREFIX",
    "PIP_NO_BUILD_ISOLATION",
    "PIP_USER",
    "PIP_TARGET",
    "PIP_PREFIX",
    "UV_NO_BUILD_ISOLATION",
    "UV_SYSTEM_PYTHON",
    "UV_PYTHON",
)


class CommandFailed(AssertionError):
    """A command exited with a non-zero status; the message shows its output."""

    def __init__(self, message: str, returncode: int) -> None:
        super().__init__(message)
        self.returncode = returncode


def run(
    cmd: Sequence[StrPath],
    *,
    cwd: StrPath | None = None,
    env: Mapping[str, str] | None = None,
    timeout: float = COMMAND_TIMEOUT,
) -> subprocess.CompletedProcess[str]:
    """Run a command, capturing its output; fail with the command, stdout and stderr."""
    args = [os.fspath(arg) for arg in cmd]
    shown = shlex.join(args)
    where = f"\n(in {os.fspath(cwd)})" if cwd is not None else ""
    try:
        return subprocess.run(
            args,
            cwd=cwd,
            env=None if env is None else dict(env),
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            encoding="utf-8",
            errors="replace",
            timeout=timeout,
            check=True,
        )
    except subprocess.CalledProcessError as exc:
        raise CommandFailed(
            f"command failed with exit status {exc.returncode}: {shown}{where}\n"
            f"--- stdout ---\n{exc.stdout}\n--- stderr ---\n{exc.stderr}",
            exc.returncode,
        ) from None
    except subprocess.TimeoutExpired as exc:
        raise AssertionError(
            f"command timed out after {timeout:.0f}s: {shown}{where}\n"
            f"--- stdout ---\n{_text(exc.stdout)}\n--- stderr ---\n{_text(exc.stderr)}"
        ) from None


def _text(output: str | bytes | None) -> str:
    if isinstance(output, bytes):
        return output.decode("utf-8", "replace")
    return output or ""


@dataclass(frozen=True)
class Venv:
    """A virtual environment created for one check."""

    path: Path

    @property
    def python(self) -> Path:
        return self.path / BIN / f"python{EXE}"

    def script(self, name: str) -> Path:
        return self.path / BIN / f"{name}{EXE}"


@dataclass(frozen=True)
class Workspace:
    """Where the tests put copies, venvs and artefacts, and the frontends' environment."""

    factory: pytest.TempPathFactory
    wheelhouse: Path  # holds fletching's own wheel, which is not on the package index
    env: Mapping[str, str]

    @classmethod
    def with_fletching_wheelhouse(cls, factory: pytest.TempPathFactory) -> Workspace:
        """A workspace whose wheelhouse holds fletching's wheel, built here in-process."""
        wheelhouse = factory.mktemp("wheelhouse")
        validate_wheel(build_wheel(EXAMPLES.parent, wheelhouse))
        return cls(factory, wheelhouse, frontend_env(wheelhouse, factory.mktemp("uv-cache")))

    def mkdir(self, label: str) -> Path:
        return self.factory.mktemp(label)

    def copy(self, example: Example, label: str) -> Path:
        """A fresh copy of the example, so that no build writes into the repository."""
        return copy_tree(example.path, self.mkdir(f"{example.folder}-{label}") / example.folder)

    def python(
        self, *args: StrPath, cwd: StrPath | None = None
    ) -> subprocess.CompletedProcess[str]:
        """Run the interpreter under test (the tox environment's) with the frontends' env."""
        return run([sys.executable, *args], cwd=cwd, env=self.env)

    def uv(self, *args: StrPath, cwd: StrPath | None = None) -> subprocess.CompletedProcess[str]:
        return self.python("-m", "uv", *args, cwd=cwd)

    def virtualenv(self, label: str, *options: str) -> Venv:
        """A fresh venv of the current interpreter, with pip (seeded by virtualenv).

        ``options`` go to virtualenv, for instance ``--no-setuptools``.
        """
        venv = Venv(self.mkdir(label) / "venv")
        self.python("-m", "virtualenv", "--quiet", *options, "--python", sys.executable, venv.path)
        return venv

    def uv_venv(self, label: str) -> Venv:
        """A fresh venv of the current interpreter made by uv (no pip in it)."""
        venv = Venv(self.mkdir(label) / "venv")
        self.uv("venv", "--quiet", "--python", sys.executable, venv.path)
        return venv

    def in_venv(
        self, venv: Venv, *args: StrPath, cwd: StrPath | None = None
    ) -> subprocess.CompletedProcess[str]:
        """Run a venv's python (first argument 'python') or one of its scripts.

        The working directory defaults to the venv itself, so that nothing is
        imported from a project folder by accident.
        """
        program = venv.python if args[0] == "python" else venv.script(os.fspath(args[0]))
        return run([program, *args[1:]], cwd=venv.path if cwd is None else cwd, env=self.env)


def frontend_env(wheelhouse: Path, uv_cache: Path) -> dict[str, str]:
    """os.environ for the frontends: fletching from the wheelhouse, the rest from the index."""
    env = {k: v for k, v in os.environ.items() if k not in _DROPPED_ENV}
    # pip reads PIP_FIND_LINKS in the frontends and in the build environments it
    # creates; keep any locations the user configured after ours.
    env["PIP_FIND_LINKS"] = " ".join(filter(None, [wheelhouse.as_uri(), env.get("PIP_FIND_LINKS")]))
    env.update(
        PIP_DISABLE_PIP_VERSION_CHECK="1",
        PIP_NO_INPUT="1",
        PYTHONDONTWRITEBYTECODE="1",
        PYTHONIOENCODING="utf-8",
        NO_COLOR="1",
        # A cache of our own, so that no fletching wheel cached by an earlier
        # session (same name and version, other code) is reused by uv.
        UV_CACHE_DIR=str(uv_cache),
        UV_PYTHON_DOWNLOADS="never",
        UV_NO_PROGRESS="1",
    )
    return env


# --- artefacts ------------------------------------------------------------------------


def only_file(folder: Path, suffix: str) -> Path:
    """The one file in ``folder`` whose name ends with ``suffix``."""
    found = sorted(p for p in folder.iterdir() if p.name.endswith(suffix))
    assert len(found) == 1, f"expected one *{suffix} in {folder}, found {[p.name for p in found]}"
    return found[0]


@dataclass(frozen=True)
class Artefacts:
    sdist: Path
    wheel: Path

    @classmethod
    def collect(cls, folder: Path) -> Artefacts:
        # uv also writes a .gitignore into its output folder.
        names = sorted(p.name for p in folder.iterdir() if not p.name.startswith("."))
        assert len(names) == 2, f"expected an sdist and a wheel in {folder}, found {names}"
        return cls(only_file(folder, ".tar.gz"), only_file(folder, ".whl"))


def tree_listing(root: Path) -> list[str]:
    """Every file and folder below ``root``, to tell whether a build wrote into the project."""
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*"))


def assert_same_bytes(actual: Path, expected: Path, what: str) -> None:
    assert actual.name == expected.name, f"{what}: {actual.name} != {expected.name}"
    assert actual.read_bytes() == expected.read_bytes(), (
        f"{what}: {actual} differs from {expected} (same name, different bytes)"
    )


def twine_check(ws: Workspace, example: Example, *dists: Path) -> None:
    """``twine check --strict``; an example without a readme may only lack the long description."""
    if not example.allowed_twine_warnings:
        ws.python("-m", "twine", "check", "--strict", *dists)
        return
    # twine warns, and --strict fails, when there is no long description at all;
    # such an example is checked without --strict and only those warnings may show.
    proc = ws.python("-m", "twine", "check", *dists)
    output = proc.stdout + proc.stderr
    for line in output.splitlines():
        if "WARNING" in line or "ERROR" in line:
            assert any(w in line for w in example.allowed_twine_warnings), output
    assert output.count("PASSED") == len(dists), output


def twine_rejects_metadata_version(metadata_version: str) -> str | None:
    """Why the installed twine cannot check this Metadata-Version, or None if it can.

    twine 6, the last release for Python 3.9, caps the metadata versions it accepts
    at 2.4; twine 7 accepts whatever its packaging accepts (2.5 with packaging 26).
    """
    import importlib.metadata

    from packaging.version import Version

    twine = Version(importlib.metadata.version("twine"))
    if twine < Version("7") and Version(metadata_version) > Version("2.4"):
        return f"twine {twine} predates Metadata-Version {metadata_version} (twine>=7 needs 3.10+)"
    return None


def check_wheel_contents(ws: Workspace, example: Example, wheel: Path, project: Path) -> None:
    """check-wheel-contents, also comparing the wheel's library with the project's source."""
    option, relpath = example.wheel_source
    args: list[StrPath] = ["-m", "check_wheel_contents", "--no-config"]
    args += ["--toplevel", ",".join(example.toplevel), option, project / relpath]
    if example.wheel_check_ignores:
        args += ["--ignore", ",".join(example.wheel_check_ignores)]
    ws.python(*args, wheel)


def unpack_sdist(sdist: Path, into: Path) -> Path:
    """Extract an sdist (safely) into an empty folder and return its one top folder
    (named as the file is, by the sdist specification; older sdists may differ in case)."""
    with tarfile.open(sdist) as tf:
        if hasattr(tarfile, "data_filter"):
            tf.extractall(into, filter="data")
        else:  # pragma: no cover - Pythons without PEP 706
            tf.extractall(into)
    (top,) = [p for p in into.iterdir() if p.is_dir()]
    return top


# --- what each example is and does once installed ------------------------------------


@dataclass(frozen=True)
class Check:
    """A command run in a venv (``python ...`` or a script) and its expected output."""

    argv: tuple[str, ...]
    stdout: str


@dataclass(frozen=True)
class Edit:
    """A change to a source file of an editable install; ``old=""`` appends (or creates)."""

    path: str
    old: str
    new: str

    def apply(self, root: Path) -> None:
        target = root / self.path
        if not self.old:
            before = target.read_text(encoding="utf-8") if target.exists() else ""
            target.write_text(before + self.new, encoding="utf-8")
            return
        text = target.read_text(encoding="utf-8")
        assert self.old in text, f"{self.old!r} is not in {target}"
        target.write_text(text.replace(self.old, self.new, 1), encoding="utf-8")


@dataclass(frozen=True)
class Example:
    folder: str  # below examples/
    dist: str  # [project] name
    version: str  # normalised, as it appears in file names and metadata
    module: str  # import name
    license_expression: str
    toplevel: tuple[str, ...]  # the wheel's library entries
    wheel_source: tuple[str, str]  # check-wheel-contents --package/--src-dir and its path
    checks: tuple[Check, ...]
    edits: tuple[Edit, ...]
    checks_after_edit: tuple[Check, ...]
    entry_points: frozenset[tuple[str, str, str]] = frozenset()  # (group, name, value)
    license_files: frozenset[str] = frozenset()  # below .dist-info/licenses/
    # (where it lands below the venv's prefix, the file in the project) of external data
    data_files: tuple[tuple[str, str], ...] = ()
    allowed_twine_warnings: tuple[str, ...] = ()
    wheel_check_ignores: tuple[str, ...] = ()
    requires: tuple[str, ...] = ()  # distributions that must be installed as dependencies

    @property
    def path(self) -> Path:
        return EXAMPLES / self.folder

    @property
    def file_name(self) -> str:
        """The normalised name of artefacts and .dist-info folders (``acme_widgets``)."""
        from packaging.utils import canonicalize_name

        return canonicalize_name(self.dist).replace("-", "_")

    @property
    def wheel_name(self) -> str:
        return f"{self.file_name}-{self.version}-py3-none-any.whl"


def python_c(code: str) -> tuple[str, ...]:
    return ("python", "-c", code)


SPECS: tuple[Example, ...] = (
    Example(
        folder="classic-flit",
        dist="classic-greeter",
        version="1.4.0",
        module="greeting",
        license_expression="MIT",
        toplevel=("greeting",),
        wheel_source=("--package", "greeting"),
        entry_points=frozenset({("console_scripts", "greet", "greeting:main")}),
        license_files=frozenset({"LICENSE"}),
        checks=(
            Check(python_c("import greeting; print(greeting.__version__)"), "1.4.0"),
            Check(("greet", "Ada"), "Hello, Ada!"),
        ),
        edits=(Edit("greeting/__init__.py", 'f"Hello, {name}!"', 'f"Howdy, {name}!"'),),
        checks_after_edit=(
            Check(("greet", "Ada"), "Howdy, Ada!"),
            Check(python_c("from greeting import greeting; print(greeting('Bo'))"), "Howdy, Bo!"),
        ),
    ),
    Example(
        folder="namespace",
        dist="acme.widgets",
        version="5.1",
        module="acme.widgets",
        license_expression="MIT",
        toplevel=("acme",),
        wheel_source=("--src-dir", "src"),
        license_files=frozenset({"LICENSE.txt"}),
        checks=(
            Check(
                python_c("import acme.widgets as w; print(w.__version__, w.spin())"), "5.1 whirr"
            ),
        ),
        edits=(Edit("src/acme/widgets/__init__.py", 'return "whirr"', 'return "vroom"'),),
        checks_after_edit=(
            Check(python_c("from acme.widgets import spin; print(spin())"), "vroom"),
        ),
        # No readme: twine has no long description to render.
        allowed_twine_warnings=(
            "`long_description` missing",
            "`long_description_content_type` missing",
        ),
    ),
    Example(
        folder="pep639-licensed",
        dist="licensed_thing",
        version="1.0.post2",
        module="licensed_thing",
        license_expression="(MIT OR Apache-2.0) AND LicenseRef-Acme-Font",
        toplevel=("licensed_thing",),
        wheel_source=("--package", "licensed_thing"),
        license_files=frozenset(
            {
                "LICENSES/Apache-2.0.txt",
                "LICENSES/LicenseRef-Acme-Font.txt",
                "LICENSES/MIT.txt",
                "NOTICE",
                "licensed_thing/fonts/FONT-LICENSE",
            }
        ),
        checks=(
            Check(
                python_c(
                    "import importlib.resources as r, licensed_thing as m; "
                    "print(m.FONT, (r.files(m) / 'fonts' / 'acme-sans.txt').read_text().strip())"
                ),
                "acme-sans pretend this is a font",
            ),
        ),
        edits=(
            Edit("licensed_thing/__init__.py", "", '\n\ndef shine() -> str:\n    return "new"\n'),
        ),
        checks_after_edit=(
            Check(python_c("import licensed_thing; print(licensed_thing.shine())"), "new"),
        ),
        # W002 (duplicate files): fonts/FONT-LICENSE is package data and, as PEP 639
        # asks, also a license file in .dist-info/licenses/: two copies are intended.
        wheel_check_ignores=("W002",),
    ),
    Example(
        folder="single-module",
        dist="lonely",
        version="0.3.1",
        module="lonely",
        license_expression="0BSD",
        toplevel=("lonely.py",),
        wheel_source=("--package", "lonely.py"),
        checks=(
            Check(
                python_c("import lonely; print(lonely.__version__, lonely.answer())"), "0.3.1 42"
            ),
        ),
        edits=(
            Edit("lonely.py", "return 42", "return 43"),
            Edit("lonely.py", "", '\n\ndef question() -> str:\n    return "six by nine"\n'),
        ),
        checks_after_edit=(
            Check(
                python_c("import lonely; print(lonely.answer(), lonely.question())"),
                "43 six by nine",
            ),
        ),
    ),
    Example(
        folder="src-layout",
        dist="TallyHo",
        version="2.0.0rc1",
        module="tallyho",
        license_expression="Apache-2.0",
        toplevel=("tallyho",),
        wheel_source=("--src-dir", "src"),
        entry_points=frozenset(
            {
                ("console_scripts", "tallyho", "tallyho.cli:main"),
                ("gui_scripts", "tallyho-gui", "tallyho.cli:gui"),
                ("tallyho.counters", "words", "tallyho.counters:count_words"),
                ("tallyho.counters", "lines", "tallyho.counters:count_lines"),
            }
        ),
        # As with flit, what is *in* the external-data folder ("data") goes to the
        # prefix: data/share/man/man1/tallyho.1 becomes <prefix>/share/man/man1/tallyho.1.
        data_files=(("share/man/man1/tallyho.1", "data/share/man/man1/tallyho.1"),),
        checks=(
            Check(("tallyho", "a", "b"), "words=2 lines=1"),
            Check(("tallyho-gui", "one"), "words=1 lines=1"),
            Check(
                python_c(
                    "import importlib.resources as r; "
                    "print(r.files('tallyho').joinpath('words.txt').read_text().split())"
                ),
                "['alpha', 'beta']",
            ),
        ),
        edits=(
            Edit("src/tallyho/cli.py", 'f"words=', 'f"WORDS='),
            Edit("src/tallyho/extra.py", "", 'VALUE = "added after install"\n'),
        ),
        checks_after_edit=(
            Check(("tallyho", "a", "b"), "WORDS=2 lines=1"),
            Check(python_c("from tallyho.extra import VALUE; print(VALUE)"), "added after install"),
        ),
        requires=("packaging",),
    ),
)


# Run in an installed environment: what importlib.metadata says about the distribution.
_INSPECT = r"""
import importlib, importlib.metadata as md, json, os, sys
dist = md.distribution(sys.argv[1])
for ep in dist.entry_points:
    ep.load()
licenses = {}
for f in dist.files or []:
    parts = f.parts
    if len(parts) > 2 and parts[0].endswith(".dist-info") and parts[1] == "licenses":
        licenses["/".join(parts[2:])] = os.path.isfile(str(f.locate()))
module = importlib.import_module(sys.argv[2])
requires = {}
for name in sys.argv[3:]:
    requires[name] = md.version(name)
print(json.dumps({
    "name": dist.metadata["Name"],
    "version": dist.version,
    "license_expression": dist.metadata["License-Expression"],
    "entry_points": sorted([ep.group, ep.name, ep.value] for ep in dist.entry_points),
    "licenses": licenses,
    "module_file": module.__file__,
    "requires": requires,
}))
"""


def check_installation(ws: Workspace, venv: Venv, example: Example, source: Path | None) -> None:
    """The example works in ``venv``; ``source`` is the project folder of an editable install.

    Imports and scripts give the expected output, importlib.metadata sees the
    distribution with its version, entry points (all loadable) and license files,
    and external data lands below the venv's prefix.
    """
    for check in example.checks:
        out = ws.in_venv(venv, *check.argv).stdout.strip()
        assert out == check.stdout, f"{check.argv}: printed {out!r}, expected {check.stdout!r}"
    # The .dist-info name, not the project name: Python 3.9's importlib.metadata
    # does not normalise "acme.widgets" to find acme_widgets-5.1.dist-info.
    proc = ws.in_venv(
        venv, "python", "-c", _INSPECT, example.file_name, example.module, *example.requires
    )
    facts = json.loads(proc.stdout.strip().splitlines()[-1])
    assert facts["name"] == example.dist
    assert facts["version"] == example.version
    assert facts["license_expression"] == example.license_expression
    assert {tuple(ep) for ep in facts["entry_points"]} == example.entry_points
    assert set(facts["licenses"]) == example.license_files, facts["licenses"]
    assert all(facts["licenses"].values()), f"license files missing on disk: {facts['licenses']}"
    module_file = Path(facts["module_file"]).resolve()
    home = (source if source is not None else venv.path).resolve()
    assert home in module_file.parents, f"{example.module} imported from {module_file}, not {home}"
    for name in example.requires:
        assert facts["requires"][name], f"dependency {name} is not installed"
    for target, relpath in example.data_files:
        installed = venv.path / target
        assert installed.is_file(), f"external data {relpath} is not installed at {installed}"
        assert installed.read_bytes() == (example.path / relpath).read_bytes(), installed


def check_after_edits(ws: Workspace, venv: Venv, example: Example, source: Path) -> None:
    for edit in example.edits:
        edit.apply(source)
    for check in example.checks_after_edit:
        out = ws.in_venv(venv, *check.argv).stdout.strip()
        assert out == check.stdout, (
            f"after editing the source, {check.argv} printed {out!r}, expected {check.stdout!r}"
        )


def example_ids() -> list[str]:
    return [example.folder for example in SPECS]
