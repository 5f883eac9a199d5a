"""Nothing a repository chooses runs during a build: the commands that a project's own
``.git`` configuration names (fsmonitor, filters, hooks, a submodule's settings, a
fetch's ssh command), and a program called ``git`` in the project folder.

Each case first shows, with the plain git program, that the repository really would
run the command (the marker file is written), then that fletching does not run it.
"""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from fletching import git_program
from fletching.errors import BuildError
from fletching.git_program import Git, find_program
from fletching.vcs import vcs_version
from git_repos import EPOCH, GIT_ISOLATION, Repo
from helpers import MINIMAL_PYPROJECT, build_sdist, build_wheel, wheel_members, write_project

pytestmark = [
    pytest.mark.usefixtures("isolated_git"),
    pytest.mark.skipif(shutil.which("git") is None, reason="needs the git program"),
    pytest.mark.skipif(os.name == "nt", reason="the marker scripts are POSIX shell"),
]

PYPROJECT = (
    MINIMAL_PYPROJECT.replace('version = "1.0"\n', 'dynamic = ["version"]\n')
    + '\n[tool.fletching.version]\nsource = "vcs"\n'
)


class Trap:
    """A repository with a tag at HEAD and a script that records each time it runs."""

    def __init__(self, tmp_path: Path) -> None:
        self.repo = Repo(tmp_path / "repo")
        self.marker = tmp_path / "ran.txt"
        self.touched = 0
        self.script = self.write_script(tmp_path / "evil.sh")
        write_project(
            self.repo.path,
            {"pyproject.toml": PYPROJECT, "src/demo/__init__.py": "", "README.md": "Demo.\n"},
        )
        self.repo.git("add", ".")
        self.repo.commit()
        self.repo.tag("v1.0")

    def write_script(self, path: Path) -> Path:
        path.parent.mkdir(parents=True, exist_ok=True)
        # A filter that passes its input through unchanged, so that nothing looks changed.
        path.write_text(f'#!/bin/sh\necho "$0 $*" >> "{self.marker}"\ncat\n')
        path.chmod(0o755)
        return path

    def touch(self) -> None:
        """Make git hash the files again, a submodule's too: their times no longer
        match the index."""
        self.touched += 1
        when = EPOCH + 10**6 * self.touched
        for folder, folders, files in os.walk(self.repo.path):
            folders[:] = [name for name in folders if name != ".git"]
            for name in files:
                os.utime(os.path.join(folder, name), (when, when))

    def ran(self) -> str:
        text = self.marker.read_text() if self.marker.exists() else ""
        self.marker.unlink(missing_ok=True)
        return text

    def filter_all(self, driver: str, where: Path | None = None) -> None:
        where = where or self.repo.path / ".git" / "info" / "attributes"
        where.parent.mkdir(parents=True, exist_ok=True)
        where.write_text(f"* filter={driver}\n")


@pytest.fixture
def trap(tmp_path: Path) -> Trap:
    return Trap(tmp_path)


def _fsmonitor(trap: Trap) -> None:
    trap.repo.git("config", "core.fsmonitor", str(trap.script))


def _clean_filter(trap: Trap) -> None:
    trap.repo.git("config", "filter.evil.clean", f"{trap.script} clean")
    trap.repo.git("config", "filter.evil.required", "true")
    trap.filter_all("evil")


def _process_filter(trap: Trap) -> None:
    trap.repo.git("config", "filter.evil.process", f"{trap.script} process")
    trap.filter_all("evil")


def _filter_named_oddly(trap: Trap) -> None:
    # An attribute's value cannot hold a space: capitals and dots are what can be odd.
    trap.repo.git("config", "filter.Evil.v2.clean", f"{trap.script} clean")
    trap.filter_all("Evil.v2")


def _filter_from_an_include(trap: Trap) -> None:
    included = trap.repo.path / "tools" / "git.config"
    included.parent.mkdir()
    included.write_text(f'[filter "evil"]\n\tclean = {trap.script} clean\n')
    trap.repo.git("config", "include.path", str(included))
    trap.filter_all("evil", trap.repo.path / ".gitattributes")


def _filter_in_worktree_config(trap: Trap) -> None:
    trap.repo.git("config", "extensions.worktreeConfig", "true")
    trap.repo.git("config", "--worktree", "filter.evil.clean", f"{trap.script} clean")
    trap.filter_all("evil")


def _hook(trap: Trap) -> None:
    trap.write_script(trap.repo.path / ".git" / "hooks" / "post-index-change")


def _hooks_path_in_the_project(trap: Trap) -> None:
    trap.write_script(trap.repo.path / "githooks" / "post-index-change")
    trap.repo.git("config", "core.hooksPath", "githooks")


def _submodule(trap: Trap) -> None:
    inner = Repo(trap.repo.path.parent / "inner")
    inner.commit()
    allow = ("-c", "protocol.file.allow=always")
    trap.repo.git(*allow, "submodule", "add", "-q", str(inner.path), "sub")
    trap.repo.commit()
    trap.repo.git("tag", "-f", "v1.0")
    sub = trap.repo.path / "sub"
    # Named unlike any driver of the superproject, whose switches git passes down.
    Repo.git(inner, "config", "filter.inner.clean", f"{trap.script} clean", cwd=sub)
    Repo.git(inner, "config", "core.fsmonitor", str(trap.script), cwd=sub)
    gitdir = Repo.git(inner, "rev-parse", "--absolute-git-dir", cwd=sub)
    trap.filter_all("inner", Path(gitdir) / "info" / "attributes")


VECTORS: dict[str, Callable[[Trap], None]] = {
    "core.fsmonitor": _fsmonitor,
    "a clean filter": _clean_filter,
    "a process filter": _process_filter,
    "a filter with dots and capitals in its name": _filter_named_oddly,
    "a filter from an included config file": _filter_from_an_include,
    "a filter in the worktree's config": _filter_in_worktree_config,
    "the post-index-change hook": _hook,
    "core.hooksPath into the project": _hooks_path_in_the_project,
    "a submodule's filter and fsmonitor": _submodule,
}


def _plain_git_status(trap: Trap) -> None:
    subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=no"],
        cwd=trap.repo.path,
        env=dict(os.environ, **GIT_ISOLATION),
        capture_output=True,
        check=False,
    )


@pytest.mark.parametrize("arm", list(VECTORS.values()), ids=list(VECTORS))
def test_a_repository_s_commands_never_run(trap: Trap, arm: Callable[[Trap], None]) -> None:
    arm(trap)
    trap.touch()
    _plain_git_status(trap)
    assert trap.ran(), "the control: the repository does run the command under git"
    trap.touch()
    assert vcs_version(trap.repo.path, epoch=EPOCH).version == "1.0"
    assert trap.ran() == ""


def test_a_build_runs_none_of_them(trap: Trap, tmp_path: Path) -> None:
    for arm in (_fsmonitor, _clean_filter, _hook):
        arm(trap)
    trap.touch()
    wheel = build_wheel(trap.repo.path, tmp_path / "dist")
    build_sdist(trap.repo.path, tmp_path / "dist")
    assert "demo-1.0.dist-info/METADATA" in wheel_members(wheel)
    assert trap.ran() == ""


def test_a_changed_file_still_counts_with_the_filters_off(trap: Trap) -> None:
    _clean_filter(trap)
    (trap.repo.path / "file.txt").write_text("changed, not committed\n")
    assert vcs_version(trap.repo.path, epoch=EPOCH).version.startswith("1.1.dev0+g")
    assert trap.ran() == ""


def test_a_partial_clone_does_not_fetch(trap: Trap, tmp_path: Path) -> None:
    """A lazy fetch would run the clone's ``core.sshCommand``; fletching refuses to fetch."""
    trap.repo.git("config", "uploadpack.allowFilter", "true")
    clone = tmp_path / "clone"
    trap.repo.git(
        "-c", "protocol.file.allow=always", "clone", "-q", "--no-checkout", "--filter=tree:0",
        f"file://{trap.repo.path}", str(clone),
    )  # fmt: skip
    trap.repo.git("remote", "set-url", "origin", "ssh://example.invalid/repo", cwd=clone)
    trap.repo.git("config", "core.sshCommand", str(trap.script), cwd=clone)
    with pytest.raises(BuildError, match=r"\[tool.fletching.version\] source: git"):
        vcs_version(clone, epoch=EPOCH)
    assert trap.ran() == ""


def test_a_filter_named_with_an_equals_sign_is_refused(trap: Trap) -> None:
    trap.repo.git("config", "filter.a=b.clean", f"{trap.script} clean")
    with pytest.raises(BuildError, match="SETUPTOOLS_SCM_PRETEND_VERSION"):
        vcs_version(trap.repo.path, epoch=EPOCH)
    assert trap.ran() == ""


# The program itself


def _fake_git(folder: Path, trap: Trap) -> None:
    trap.write_script(folder / "git")


@pytest.mark.parametrize(
    "entry",
    [".", "", "bin", "{project}", "{project}/bin"],
    ids=["dot", "empty entry", "relative folder", "the project folder", "inside the project"],
)
def test_a_git_in_the_project_folder_never_runs(
    trap: Trap, monkeypatch: pytest.MonkeyPatch, entry: str
) -> None:
    project = trap.repo.path
    _fake_git(project, trap)
    _fake_git(project / "bin", trap)
    real = os.path.dirname(shutil.which("git") or "")
    path = entry.format(project=project) + os.pathsep + real
    monkeypatch.chdir(project)
    monkeypatch.setenv("PATH", path)
    # The control: a plain lookup from the project folder runs the project's git.
    subprocess.run(["git", "--version"], capture_output=True, check=False)
    assert trap.ran(), "the control: PATH leads to the project's git"
    assert vcs_version(project, epoch=EPOCH).version == "1.0"
    assert trap.ran() == ""
    assert find_program("git", project) == os.path.join(real, "git")


def test_git_is_run_by_its_full_path(trap: Trap, monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[str] = []
    run = subprocess.run

    def spy(args: list[str], **kwargs: object) -> object:
        seen.append(args[0])
        return run(args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr(subprocess, "run", spy)
    vcs_version(trap.repo.path, epoch=EPOCH)
    assert seen
    assert set(seen) == {shutil.which("git")}


def test_no_git_on_path_reads_the_git_folder(trap: Trap, monkeypatch: pytest.MonkeyPatch) -> None:
    _fake_git(trap.repo.path, trap)
    monkeypatch.chdir(trap.repo.path)
    monkeypatch.setenv("PATH", ".")
    assert Git("git", trap.repo.path).executable is None
    found = vcs_version(trap.repo.path, epoch=EPOCH)
    assert (found.version, found.source) == ("1.0", "git tag v1.0 (read from .git without git)")
    assert trap.ran() == ""


@pytest.mark.parametrize(
    ("path", "pathext", "expected"),
    [
        (r".;C:\proj;C:\proj\tools;bin;\nodrive;C:\Git\cmd", None, r"C:\Git\cmd\git.exe"),
        (r"C:\PROJ\Tools;C:\Git\cmd", None, r"C:\Git\cmd\git.exe"),
        (r'"C:\Git\cmd";C:\Other', None, r"C:\Git\cmd\git.exe"),
        (r"C:\Other;C:\Git\cmd", ".COM;.EXE", r"C:\Other\git.com"),
        (r"C:\Other;C:\Git\cmd", ".EXE", r"C:\Git\cmd\git.exe"),
        (r"C:\proj", None, None),
    ],
)
def test_windows_lookup_skips_the_current_and_the_project_folder(
    monkeypatch: pytest.MonkeyPatch, path: str, pathext: str | None, expected: str | None
) -> None:
    """CreateProcess would look in the current folder first (GitPython's CVE-2024-22190):
    the lookup gives it a full path from PATH's absolute folders outside the project."""
    files = {
        r"c:\proj\git.exe",
        r"c:\proj\tools\git.exe",
        r"c:\git\cmd\git.exe",
        r"c:\other\git.com",
        r"bin\git.exe",
        r"\nodrive\git.exe",
    }
    monkeypatch.setattr("fletching.git_program.os.path.isfile", lambda p: p.lower() in files)
    found = find_program("git", Path(r"C:\proj"), path=path, windows=True, pathext=pathext)
    assert (found.lower() if found else None) == (expected.lower() if expected else None)


def test_a_path_given_by_the_caller_is_used_as_it_is(tmp_path: Path) -> None:
    program = tmp_path / "tools" / "git"
    assert find_program(str(program), tmp_path) == str(program)
    assert find_program(r"C:\Git\git.exe", tmp_path, windows=True) == r"C:\Git\git.exe"


def test_a_file_without_the_execute_bit_is_passed_over(tmp_path: Path) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    for folder in (first, second):
        folder.mkdir()
        (folder / "git").write_text("#!/bin/sh\n")
    (second / "git").chmod(stat.S_IRWXU)
    path = f"{first}{os.pathsep}{second}"
    found = find_program("git", tmp_path / "project", path=path, windows=False)
    assert found == str(second / "git")


def test_the_runner_s_environment_keeps_git_from_writing_and_prompting(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("GIT_DIR", "/elsewhere")
    monkeypatch.setenv("GIT_SSH_COMMAND", "evil")
    env = git_program._environment()
    assert "GIT_DIR" not in env
    assert "GIT_SSH_COMMAND" not in env
    assert env["GIT_OPTIONAL_LOCKS"] == "0"
    assert env["GIT_TERMINAL_PROMPT"] == "0"
