"""``[tool.fletching.wheel] exclude``: files of the package or the external data that the
sdist keeps and the wheel leaves out (a package's tests, say).

The patterns are matched against the files the wheel would otherwise hold, never the
``.dist-info`` folder (licences and SBOM files stay). They live in ``pyproject.toml``,
which the sdist carries, so a wheel built from the sdist leaves out the same files.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from .errors import ConfigError, raise_all
from .globs import matching
from .names import is_stubs

if TYPE_CHECKING:
    from .config import Project


def wheel_excluded(
    project: Project, paths: Iterable[str], *, after_sdist_exclude: bool = False
) -> dict[str, str]:
    """``{path: rule}`` for the ``paths`` (the module's files and the external data) that
    the wheel leaves out.

    Refused, each naming its pattern: one that matches none of ``paths`` (with
    ``after_sdist_exclude``, those the sdist keeps), and one that takes a module's entry
    file or the generated version module, without which the installed package breaks.
    """
    patterns = project.config.tool.wheel_exclude
    if not patterns:
        return {}
    candidates = sorted(set(paths))
    protected = {path: "the generated version module" for path, _ in project.generated}
    for module in project.modules:
        if not is_stubs(module.name):
            protected[module.entry_file] = f"the entry file of the module {module.name!r}"
    left_out: dict[str, str] = {}
    errors = []
    for key, pattern in patterns:
        matched = matching(pattern, candidates)
        if not matched:
            where = (
                "the sdist keeps of the package or the external data (its sdist excludes"
                " leave out every file it matches), so a wheel built from the sdist would"
                " find none"
                if after_sdist_exclude
                else "the wheel holds (the package's files and the external data; the"
                " .dist-info folder is not subject to it)"
            )
            errors.append(_error(key, f"{pattern!r} matches no file {where}; fix or remove it"))
            continue
        needed = [path for path in matched if path in protected]
        if needed:
            errors.append(
                _error(
                    key,
                    f"{pattern!r} excludes {needed[0]} ({protected[needed[0]]}), without which"
                    " the installed package cannot be imported; narrow the pattern",
                )
            )
            continue
        for path in matched:
            left_out.setdefault(path, f"left out of the wheel by {key} {pattern!r}")
    raise_all(errors)
    return left_out


def _error(key: str, message: str) -> ConfigError:
    return ConfigError(message, file="pyproject.toml", key=key)
