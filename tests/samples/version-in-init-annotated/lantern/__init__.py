"""Light up dark corners."""

from __future__ import annotations

__version__: str = "2.1.0"
__author__ = "nobody"
