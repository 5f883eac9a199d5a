"""The one exception family: ``FletchingError`` and its subclasses for problems a user
can fix (shown under frontends as a message, without a traceback), ``InternalError``
for fletching's own bugs (shown with one)."""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:  # every hook imports this module: annotations only
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


class NotPrepared(FletchingError):
    """The .dist-info folder a frontend handed to build_wheel is not one this fletching
    wrote. Never shown as an error: buildapi warns and builds the metadata afresh."""


class InternalError(Exception):
    """A bug in fletching, never a user's mistake.

    Deliberately not a FletchingError: buildapi shows those as a one-line message, and
    a bug needs its traceback. Raised explicitly (never by ``assert``), so ``python -O``
    does not remove the check.
    """


class HeaderInjection(InternalError):
    """A value with a line break reached the metadata renderer: validation let it
    through, which is a bug (every value is checked to be a single line)."""


def warn(message: str) -> None:
    """Tell the user on stderr (a frontend reads stdout), as ``fletching: warning: ...``;
    every warning of a build goes out here."""
    import sys

    sys.stderr.write(f"fletching: warning: {message}\n")


def raise_all(errors: Iterable[FletchingError]) -> None:
    """Raise the errors together, or do nothing if there are none."""
    found = list(errors)
    if len(found) == 1:
        raise found[0]
    if found:
        raise ConfigErrors(found)
