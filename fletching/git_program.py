"""The one place that starts the git program.

git runs in the project folder, with the environment and configuration this
module gives it, and its failures become messages naming the file and the key.

Nothing a repository chooses runs: a project folder can carry its own ``.git``
(an sdist or a CI artefact that ships one, a vendored checkout), whose config
names commands that git's read-only commands would start. The program is found on
PATH only, never in the project folder nor through a relative PATH entry (on
Windows, CreateProcess would look in the current folder first); and every
command git could start for the repository is switched off:

- ``core.fsmonitor``: a command run whenever the index is read;
- hooks (``post-index-change`` runs when a refresh writes the index): the hooks
  folder is the null device, and optional locks are off, so nothing is written;
- the clean and process filters that the repository's own config (local or
  worktree scope, includes too) defines, which a refresh of the index would run
  on changed files; the user's own filters (git-lfs in ~/.gitconfig) still run;
- submodules' working trees are not looked into (git would start a ``git
  status`` there, under the submodule's own config);
- fetching: a partial clone would fetch missing objects, through whatever
  ``core.sshCommand`` or remote helper the repository names;
- the pager (``--no-pager``) and terminal prompts.
"""

from __future__ import annotations

import os
import re
from typing import TYPE_CHECKING

from .errors import BuildError

if TYPE_CHECKING:
    import subprocess
    from pathlib import Path

KEY = "[tool.fletching.version] source"
TIMEOUT = 120
# Given to every git command, above any config file (see the docstring).
_SAFE_CONFIG = (
    "core.fsmonitor=false",
    f"core.hooksPath={os.devnull}",
    "protocol.allow=never",
)
_SAFE_ENV = {"GIT_OPTIONAL_LOCKS": "0", "GIT_TERMINAL_PROMPT": "0", "GIT_NO_LAZY_FETCH": "1"}
_FILTER_COMMANDS = ("clean", "smudge", "process")
# The GIT_* variables a build keeps; the others (GIT_DIR, GIT_INDEX_FILE... set when
# a build runs inside a git hook) would point git at another repository.
_KEEP_GIT_ENV = ("GIT_CEILING_DIRECTORIES", "GIT_EXEC_PATH", "GIT_DISCOVERY_ACROSS_FILESYSTEM")


class Git:
    """The git program ``program`` (a name looked up on PATH, or a path), run in ``root``."""

    def __init__(self, program: str, root: Path, config_files: tuple[Path, ...] = ()) -> None:
        self.program = program
        self.root = root
        self.executable = find_program(program, root)
        # The repository's own config files (.git/config, config.worktree): when none
        # mentions a filter or an include, git need not be asked for its filters.
        self.config_files = config_files

    def run(
        self, args: list[str], *, extra_config: tuple[str, ...] = ()
    ) -> subprocess.CompletedProcess[str] | None:
        """Run ``git args``; None when the program is not there."""
        import subprocess  # only a project whose version comes from git runs a program

        if self.executable is None:
            return None
        options = [part for value in _SAFE_CONFIG + extra_config for part in ("-c", value)]
        try:
            return subprocess.run(
                [self.executable, "--no-pager", *options, *args],
                cwd=self.root,
                env=_environment(),
                stdin=subprocess.DEVNULL,
                capture_output=True,
                encoding="utf-8",
                errors="replace",
                timeout=TIMEOUT,
                check=False,
            )
        except FileNotFoundError:
            return None
        except subprocess.TimeoutExpired:
            raise BuildError(
                f"git {args[0]} did not finish in {TIMEOUT} seconds in {self.root}",
                file="pyproject.toml",
                key=KEY,
            ) from None
        except OSError as exc:
            raise BuildError(
                f"cannot run {self.program}: {exc.strerror or exc}", file="pyproject.toml", key=KEY
            ) from None

    def changed(self) -> bool | None:
        """Whether tracked files differ from HEAD (untracked files do not count); None
        when the program is not there."""
        args = ["status", "--porcelain", "--untracked-files=no", "--ignore-submodules=dirty"]
        args.append("--no-renames")
        result = self.run(args, extra_config=self._repository_filters_off())
        if result is None:
            return None
        if result.returncode:
            raise self.failed(args, result)
        return bool(result.stdout.strip())

    def _repository_filters_off(self) -> tuple[str, ...]:
        """Settings that switch off every filter driver the repository's own config
        defines; all that are defined, with a git too old to tell the scopes apart."""
        if self.config_files and not any(map(_may_define_filters, self.config_files)):
            return ()
        args = ["config", "-z", "--show-scope", "--get-regexp", r"^filter\."]
        found = self.run(args)
        scoped = found is not None and found.returncode in (0, 1)
        if not scoped:
            found = self.run(args[:2] + args[3:])
        if found is None:
            return ()
        if found.returncode not in (0, 1):  # 1: no such setting
            raise self.failed(args, found)
        items = found.stdout.split("\0")
        if scoped:  # "scope\0key\nvalue\0" each
            pairs = zip(items[0::2], items[1::2])
            items = [entry for scope, entry in pairs if scope in ("local", "worktree")]
        # "filter.<name>.<key>": git lower-cases the section and the key, not the name.
        keys = (entry.partition("\n")[0] for entry in items)
        names = {key[len("filter.") :].rpartition(".")[0] for key in keys if "." in key}
        settings: list[str] = []
        for name in sorted(n for n in names if n):
            if "=" in name:
                raise BuildError(
                    f"the repository's config defines a filter driver {name!r}, which cannot "
                    "be switched off for the build (a '=' in its name); rename it, or give the "
                    "version in SETUPTOOLS_SCM_PRETEND_VERSION",
                    file="pyproject.toml",
                    key=KEY,
                )
            settings += [f"filter.{name}.{command}=" for command in _FILTER_COMMANDS]
            settings.append(f"filter.{name}.required=false")
        return tuple(settings)

    def failed(self, args: list[str], result: subprocess.CompletedProcess[str]) -> BuildError:
        """The message for a git command that exited with an error."""
        stderr = result.stderr.strip()
        if "dubious ownership" in stderr or "safe.directory" in stderr:
            found = re.search(r"repository at '([^']*)'", stderr)
            where = found.group(1) if found else str(self.root)
            return BuildError(
                f"git refuses to read the repository at {where}, which belongs to another user "
                f'("detected dubious ownership"); if you trust it, run: git config --global '
                f"--add safe.directory {where}",
                file="pyproject.toml",
                key=KEY,
            )
        first = stderr.splitlines()[0] if stderr else f"exit status {result.returncode}"
        return BuildError(
            f"git {args[0]} failed in {self.root}: {first}", file="pyproject.toml", key=KEY
        )


def _may_define_filters(path: Path) -> bool:
    from .gitfiles import read_file

    text = (read_file(path) or b"").lower()
    return b"filter" in text or b"include" in text


def find_program(
    name: str,
    root: Path,
    *,
    path: str | None = None,
    windows: bool = os.name == "nt",
    pathext: str | None = None,
) -> str | None:
    """The program to run for ``name``: a path as given; a bare name from the absolute
    folders of PATH outside the project folder, never from the current folder.

    ``path``, ``windows`` and ``pathext`` default to this machine's (PATH, the
    platform, PATHEXT), so that Windows' lookup can be tested anywhere.
    """
    import ntpath
    import posixpath

    flavour = ntpath if windows else posixpath
    if flavour.sep in name or "/" in name:
        return name
    search = os.environ.get("PATH", os.defpath) if path is None else path
    if windows:
        exts = os.environ.get("PATHEXT", "") if pathext is None else pathext
        suffixes = [e for e in (exts or ".COM;.EXE;.BAT;.CMD").split(";") if e]
        has_suffix = any(name.lower().endswith(e.lower()) for e in suffixes)
        candidates = [name] if has_suffix else [name + e for e in suffixes]
    else:
        candidates = [name]

    def canonical(folder: str) -> str:
        real = os.path.realpath(folder) if flavour is os.path else flavour.normpath(folder)
        return str(flavour.normcase(real))

    project = canonical(str(root))
    for folder in search.split(flavour.pathsep):
        folder = folder.strip('"') if windows else folder
        # "", "." and "bin" name the current folder (the project's); so, on Windows,
        # does "\\bin" without a drive, relative to the current drive.
        absolute = flavour.isabs(folder) and (not windows or bool(flavour.splitdrive(folder)[0]))
        if not absolute:
            continue
        real = canonical(folder)
        if real == project or real.startswith(project.rstrip(flavour.sep) + flavour.sep):
            continue
        for candidate in candidates:
            full = str(flavour.join(folder, candidate))
            if os.path.isfile(full) and (windows or os.access(full, os.X_OK)):
                return full
    return None


def _environment() -> dict[str, str]:
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith("GIT_") or name in _KEEP_GIT_ENV or name.startswith("GIT_CONFIG")
    }
    env.update(_SAFE_ENV)
    env.update(LC_ALL="C", LANGUAGE="C")  # messages in English, to be recognised
    return env
