"""PEP 517 and PEP 660 hooks: load the project once, call one builder, return a basename.

Frontends run these with the project folder as the working directory.
"""

from __future__ import annotations

import os
import sys

# Importing this module must stay cheap (frontends import it in a fresh process for
# every hook), so the typing names exist for the type checker only.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Callable, Optional, TypeVar

    from .config import Project

    ConfigSettings = Optional[dict[str, Any]]
    F = TypeVar("F", bound=Callable[..., Any])


def _report_user_errors(
    kind: type[BaseException], value: BaseException, tb: Any, fallback: Any = sys.excepthook
) -> None:
    from .errors import FletchingError

    if isinstance(value, FletchingError):
        # A mistake in the project, not a bug: the message says all, a traceback only hides it.
        sys.stderr.write(f"\nfletching: error: {value}\n\n")
    else:
        fallback(kind, value, tb)


def _hook(func: F) -> F:
    """Make a frontend's hook subprocess print a user error as a message, not a traceback.

    The exception itself still propagates, so callers in the same process can catch it;
    only an error nobody catches reaches the replaced ``sys.excepthook``.
    """

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if sys.excepthook is sys.__excepthook__:
            sys.excepthook = _report_user_errors
        return func(*args, **kwargs)

    # What functools.wraps would copy, without importing functools.
    for name in ("__module__", "__name__", "__qualname__", "__doc__"):
        setattr(wrapper, name, getattr(func, name))
    wrapper.__wrapped__ = func  # type: ignore[attr-defined]
    return wrapper  # type: ignore[return-value]


_TRUE = ("1", "true", "yes", "on")


def _explaining(config_settings: ConfigSettings) -> bool:
    """``-C explain=true`` (or FLETCHING_EXPLAIN=1 where a frontend cannot pass settings)
    prints which file went where and why, on stderr."""
    value = (config_settings or {}).get("explain", os.environ.get("FLETCHING_EXPLAIN", ""))
    if isinstance(value, list):  # a setting given more than once
        value = value[-1] if value else ""
    return str(value).strip().lower() in _TRUE


def _load(metadata_directory: str | None = None) -> Project:
    from pathlib import Path

    from .config import load_project
    from .errors import NotPrepared, warn

    if metadata_directory is not None:
        from .prepared import load_prepared

        try:
            return load_prepared(Path.cwd(), metadata_directory)
        except NotPrepared as exc:
            # No frontend should get here; say so, and still build a correct wheel.
            warn(
                f"{metadata_directory}: not reusing this metadata folder: {exc}; building the"
                " metadata afresh"
            )
    project = load_project(Path.cwd())
    for warning in project.config.warnings:
        warn(warning)
    return project


def _requires() -> list[str]:
    """Nothing, unless a module must be imported for its version (see requires.py)."""
    from .inside import read_inside

    raw: bytes | None
    try:
        raw = read_inside(".", "pyproject.toml")[0]
    except OSError:
        raw = None  # read_pyproject below reports the problem
    if raw is not None and b"dynamic" not in raw:
        # No [project] dynamic key at all, so nothing is imported and nothing is needed;
        # answering without even parsing the TOML keeps this hook as cheap as it can be.
        return []
    from .requires import build_requires

    return build_requires(os.getcwd(), raw)


@_hook
def get_requires_for_build_wheel(config_settings: ConfigSettings = None) -> list[str]:
    return _requires()


@_hook
def get_requires_for_build_sdist(config_settings: ConfigSettings = None) -> list[str]:
    return _requires()


@_hook
def get_requires_for_build_editable(config_settings: ConfigSettings = None) -> list[str]:
    return _requires()


@_hook
def prepare_metadata_for_build_wheel(
    metadata_directory: str, config_settings: ConfigSettings = None
) -> str:
    from .wheel import prepare_metadata

    return prepare_metadata(_load(), metadata_directory)


prepare_metadata_for_build_editable = prepare_metadata_for_build_wheel


@_hook
def build_wheel(
    wheel_directory: str,
    config_settings: ConfigSettings = None,
    metadata_directory: str | None = None,
) -> str:
    from .wheel import build_wheel as build

    project = _load(metadata_directory)
    return build(project, wheel_directory, explaining=_explaining(config_settings))


@_hook
def build_editable(
    wheel_directory: str,
    config_settings: ConfigSettings = None,
    metadata_directory: str | None = None,
) -> str:
    from .wheel import build_wheel as build

    project = _load(metadata_directory)
    mode, chosen_by = _editable_mode(config_settings, project.config.tool.editable_mode)
    return build(
        project,
        wheel_directory,
        editable=True,
        strict=chosen_by if mode == "strict" else None,
        explaining=_explaining(config_settings),
    )


def _editable_mode(config_settings: ConfigSettings, default: str) -> tuple[str, tuple[str, str]]:
    """``-C editable-mode=strict`` (setuptools' spelling editable_mode too) for one
    install, else [tool.fletching.editable] mode; with the (file, key) that chose it."""
    settings = config_settings or {}
    key = "editable-mode" if "editable-mode" in settings else "editable_mode"
    if key not in settings:
        return default, ("pyproject.toml", "[tool.fletching.editable] mode")
    from ._validate import Collector
    from .errors import raise_all
    from .own_keys import parse_editable_mode

    value = settings[key]
    if isinstance(value, list):  # a setting given more than once: the last one counts
        value = value[-1] if value else ""
    c = Collector("config settings")
    mode = parse_editable_mode(c, value, key)
    raise_all(c.errors)
    return mode or default, ("config settings", key)


@_hook
def build_sdist(sdist_directory: str, config_settings: ConfigSettings = None) -> str:
    from .sdist import build_sdist as build

    return build(_load(), sdist_directory, explaining=_explaining(config_settings))
