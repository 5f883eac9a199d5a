"""Widgets, in the acme namespace package."""

from ._version import __version__

__all__ = ["__version__", "spin"]


def spin() -> str:
    return "whirr"
