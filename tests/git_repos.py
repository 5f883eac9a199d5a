"""Real git repositories for the tests, made with the git program: commits at fixed
dates, no user or system git configuration."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

EPOCH = 1_700_000_000  # 2023-11-14 UTC
# The tests' git ignores the user's and the system's configuration, and so does the
# git that fletching runs (it keeps GIT_CONFIG_* from the environment).
GIT_ISOLATION = {"GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}


class Repo:
    """A git repository in a folder, with commits at fixed dates."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.commits = 0
        path.mkdir(parents=True, exist_ok=True)
        self.git("-c", "init.defaultBranch=main", "init", "-q")
        self.git("config", "commit.gpgsign", "false")
        self.git("config", "tag.gpgsign", "false")

    def git(self, *args: str, cwd: Path | None = None) -> str:
        when = f"{EPOCH + self.commits * 60} +0000"
        env = dict(
            os.environ,
            **GIT_ISOLATION,
            GIT_AUTHOR_NAME="A U Thor",
            GIT_AUTHOR_EMAIL="author@example.org",
            GIT_COMMITTER_NAME="C O Mitter",
            GIT_COMMITTER_EMAIL="committer@example.org",
            GIT_AUTHOR_DATE=when,
            GIT_COMMITTER_DATE=when,
        )
        done = subprocess.run(
            ["git", *args],
            cwd=cwd or self.path,
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        return done.stdout.strip()

    def commit(self, count: int = 1, name: str = "file.txt") -> str:
        for _ in range(count):
            self.commits += 1
            (self.path / name).write_text(f"change {self.commits}\n")
            self.git("add", name)
            self.git("commit", "-q", "-m", f"change {self.commits}")
        return self.head()

    def head(self) -> str:
        return self.git("rev-parse", "HEAD")

    def tag(self, name: str, *, annotated: bool = False) -> None:
        if annotated:
            self.git("tag", "-a", "-m", f"release {name}", name)
        else:
            self.git("tag", name)

    def dirty(self) -> None:
        (self.path / "file.txt").write_text("uncommitted\n")


def g(commit: str) -> str:
    """The commit as the version's local part names it: g and 9 digits."""
    return "g" + commit[:9]


# Each state as steps: "commit N", "tag NAME", "annotated NAME", "dirty", "untracked",
# "detach REVISION".
STATES = {
    "exact tag": "commit 1; tag v1.2.3",
    "exact annotated tag": "commit 1; annotated 1.2.3",
    "distance 2": "commit 1; tag v1.2.3; commit 2",
    "dirty after tag": "commit 1; tag v1.2.3; commit 1; dirty",
    "dirty at tag": "commit 1; tag v1.2.3; dirty",
    "untracked file at tag": "commit 1; tag v1.2.3; untracked",
    "no tag": "commit 3",
    "no tag, dirty": "commit 3; dirty",
    "no commit": "",
    "prerelease tag": "commit 1; tag v1.0rc1; commit 1",
    "dev0 tag": "commit 1; tag 1.0.dev0; commit 1",
    "post tag": "commit 1; tag 1.0.post1; commit 1",
    "epoch tag": "commit 1; tag 1!2.0; commit 1",
    "local tag": "commit 1; tag v1.0+abc; commit 1",
    "prefixed tag": "commit 1; tag my-pkg-v1.2; commit 1",
    "tag without a digit after": "commit 1; tag v1.0; commit 1; tag latest",
    "detached at a tag": "commit 1; tag v1.0; commit 1; detach v1.0",
}


def build(repo: Repo, steps: str) -> None:
    for step in filter(None, steps.split("; ")):
        action, _, argument = step.partition(" ")
        if action == "commit":
            repo.commit(int(argument))
        elif action in ("tag", "annotated"):
            repo.tag(argument, annotated=action == "annotated")
        elif action == "dirty":
            repo.dirty()
        elif action == "untracked":
            (repo.path / "untracked.txt").write_text("not added\n")
        elif action == "detach":
            repo.git("checkout", "-q", "--detach", argument)
        else:
            raise ValueError(step)
