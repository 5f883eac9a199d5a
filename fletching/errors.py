"""The one exception family for problems a user can fix."""

from __future__ import annotations

from collections.abc import Iterable, Sequence


class FletchingError(Exception):
    """Base of every error fletching raises for a user's mistake.

    ``file`` is the file the problem is in (relative to the project when
    possible) and ``key`` the place inside it, such as
    ``[project] dependencies[2]``.
    """

    def __init__(self, message: str, *, file: str | None = None, key: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.file = file
        self.key = key

    def __str__(self) -> str:
        prefix = "".join(f"{part}: " for part in (self.file, self.key) if part)
        return prefix + self.message


class ConfigError(FletchingError, ValueError):
    """A value in the project's configuration is wrong."""


class ConfigErrors(ConfigError):
    """Several configuration errors found in one pass, reported together."""

    def __init__(self, errors: Sequence[FletchingError]) -> None:
        self.errors = tuple(errors)
        count = len(self.errors)
        lines = [f"{count} problems in the project configuration:"] if count > 1 else []
        lines += [f"  - {e}" if count > 1 else str(e) for e in self.errors]
        super().__init__("\n".join(lines))

    def __str__(self) -> str:
        return self.message


class BuildError(FletchingError):
    """The project cannot be built as configured (missing files, unsafe paths...)."""


def raise_all(errors: Iterable[FletchingError]) -> None:
    """Raise the errors together, or do nothing if there are none."""
    found = list(errors)
    if len(found) == 1:
        raise found[0]
    if found:
        raise ConfigErrors(found)
