"""How fletching finds its libraries: the copies in _vendor/, or the installed ones.

Distributions that package each library once remove ``fletching/_vendor/`` (as they do
with pip's). fletching's code always imports ``fletching._vendor.packaging...``; this
finder then answers those names with the installed modules themselves, so that one
module object serves both names and no copy of a library is loaded twice.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Sequence
from importlib.machinery import ModuleSpec
from types import ModuleType

PREFIX = "fletching._vendor"


class _Alias:
    """Finder and loader in one: ``fletching._vendor`` is an empty package and
    ``fletching._vendor.a.b`` is the installed ``a.b``."""

    @classmethod
    def find_spec(
        cls, name: str, path: Sequence[str] | None = None, target: ModuleType | None = None
    ) -> ModuleSpec | None:
        if name == PREFIX:
            return ModuleSpec(name, cls, is_package=True)  # type: ignore[arg-type]
        if name.startswith(PREFIX + "."):
            try:
                real = importlib.import_module(name[len(PREFIX) + 1 :])
            except ModuleNotFoundError as exc:
                missing = exc.name or name[len(PREFIX) + 1 :]
                raise ModuleNotFoundError(
                    f"No module named {missing!r}: fletching's _vendor folder was removed,"
                    f" so it needs {missing} installed",
                    name=missing,
                ) from exc
            spec = ModuleSpec(name, cls, is_package=hasattr(real, "__path__"))  # type: ignore[arg-type]
            spec.loader_state = real.__spec__
            return spec
        return None

    @staticmethod
    def create_module(spec: ModuleSpec) -> ModuleType | None:
        if spec.name == PREFIX:
            return None  # a plain, empty package
        return sys.modules[spec.name[len(PREFIX) + 1 :]]

    @staticmethod
    def exec_module(module: ModuleType) -> None:
        spec = module.__spec__
        if spec is not None and spec.name == PREFIX:
            module.__path__ = []
        elif spec is not None:
            # The import system stamps the alias's spec on the module it is handed; give
            # the installed module its own back, so it stays importable as itself.
            module.__spec__ = spec.loader_state


def install() -> None:
    if _Alias not in sys.meta_path:
        # First, so that a submodule of an aliased package is never found again, and
        # loaded a second time, through the package's __path__.
        sys.meta_path.insert(0, _Alias)


def library_version(project: str) -> str:
    """The version of a library fletching uses: the pinned one, or the installed one
    where the distribution removed _vendor/."""
    import os

    pins = os.path.join(os.path.dirname(__file__), "_vendor", "vendor.txt")
    try:
        with open(pins, encoding="utf-8") as f:
            for line in f:
                name, sep, rest = line.partition("==")
                if sep and name.strip() == project:
                    return rest.split()[0]
    except OSError:
        pass
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(project)
    except PackageNotFoundError:  # pragma: no cover - neither vendored nor installed
        return "unknown"
