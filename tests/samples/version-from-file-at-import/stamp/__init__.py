"""Stamp documents with the package version."""

import os as _os

with open(_os.path.join(_os.path.dirname(__file__), "VERSION"), encoding="utf-8") as _f:
    __version__ = _f.read().strip()
