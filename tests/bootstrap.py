"""Build fletching from its own source tree through the PEP 517 hooks, as a frontend would.

Run by ``tox -e bootstrap`` in an environment that has nothing but pyproject-hooks:
neither fletching nor the libraries it carries in ``fletching/_vendor/`` are
installed, so the build works only if ``backend-path``, the self-hosted backend and
the vendored libraries do.
"""

from __future__ import annotations

import importlib.util
import sys
import tarfile
import zipfile
from pathlib import Path

from pyproject_hooks import BuildBackendHookCaller

REPO = Path(__file__).resolve().parent.parent


def main(out: str) -> int:
    for library in ("fletching", "packaging", "trove_classifiers", "tomli"):
        if importlib.util.find_spec(library) is not None:
            raise SystemExit(f"bootstrap: {library} is installed, so this proves nothing")
    caller = BuildBackendHookCaller(str(REPO), "fletching.buildapi", backend_path=["."])
    wheel = Path(out) / caller.build_wheel(out)
    sdist = Path(out) / caller.build_sdist(out)
    with zipfile.ZipFile(wheel) as zf:
        names = set(zf.namelist())
    assert "fletching/buildapi.py" in names, sorted(names)
    assert "fletching/py.typed" in names, sorted(names)
    assert "fletching/_vendor/packaging/requirements.py" in names, sorted(names)
    with tarfile.open(sdist) as tf:
        members = set(tf.getnames())
    top = sdist.name[: -len(".tar.gz")]
    for needed in ("pyproject.toml", "PKG-INFO", "fletching/buildapi.py", "tests/helpers.py"):
        assert f"{top}/{needed}" in members, needed
    print(f"bootstrap: built {wheel.name} ({len(names)} files)")
    print(f"bootstrap: built {sdist.name} ({len(members)} files)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
