"""The one place that starts the git program.

git runs in the project folder, with the environment and configuration this
module gives it, and its failures become messages naming the file and the key.
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
# The GIT_* variables a build keeps; the others (GIT_DIR, GIT_INDEX_FILE... set when
# a build runs inside a git hook) would point git at another repository.
_KEEP_GIT_ENV = ("GIT_CEILING_DIRECTORIES", "GIT_EXEC_PATH", "GIT_DISCOVERY_ACROSS_FILESYSTEM")


class Git:
    """The git program ``program``, run in ``root``."""

    def __init__(self, program: str, root: Path) -> None:
        self.program = program
        self.root = root

    def run(self, args: list[str]) -> subprocess.CompletedProcess[str] | None:
        """Run ``git args``; None when the program is not there."""
        import subprocess  # only a project whose version comes from git runs a program

        try:
            return subprocess.run(
                [self.program, "--no-pager", *args],
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


def _environment() -> dict[str, str]:
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith("GIT_") or name in _KEEP_GIT_ENV or name.startswith("GIT_CONFIG")
    }
    env.update(LC_ALL="C", LANGUAGE="C")  # messages in English, to be recognised
    return env
