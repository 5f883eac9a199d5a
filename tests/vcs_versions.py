"""Print, for each repository state in git_repos.STATES, the version fletching gives
and the version setuptools-scm gives, measured on the same real git repository.

    python tests/vcs_versions.py     # needs git and setuptools-scm installed

The test suite asserts that the two agree (test_vcs.py); this shows the values.
"""

from __future__ import annotations

import os
import sys
import tempfile
import warnings
from pathlib import Path

sys.path[:0] = [str(Path(__file__).resolve().parent), str(Path(__file__).resolve().parents[1])]

from fletching.vcs import vcs_version  # noqa: E402
from git_repos import EPOCH, GIT_ISOLATION, STATES, Repo, build  # noqa: E402


def main() -> None:
    from importlib.metadata import version

    import setuptools_scm

    os.environ.update(GIT_ISOLATION, SOURCE_DATE_EPOCH=str(EPOCH))
    print(f"| repository state | fletching | setuptools-scm {version('setuptools-scm')} |")
    print("|---|---|---|")
    with tempfile.TemporaryDirectory() as tmp:
        for i, (state, steps) in enumerate(STATES.items()):
            repo = Repo(Path(tmp) / str(i))
            build(repo, steps)
            ours = vcs_version(repo.path, epoch=EPOCH).version
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                theirs = setuptools_scm.get_version(root=str(repo.path))
            mark = "" if ours == theirs else "  **differs**"
            print(f"| {state} (`{steps or 'git init'}`) | {ours} | {theirs}{mark} |")


if __name__ == "__main__":
    main()
