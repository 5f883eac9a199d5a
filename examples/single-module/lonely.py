"""A single-module project: one file, a version and a docstring."""

__version__ = "0.3.1"


def answer() -> int:
    return 42
