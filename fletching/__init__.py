"""A fast, reproducible PEP 517 build backend for pure-Python projects."""

__version__ = "0.1.0"
