"""A single-file portion of the skyline namespace."""

__version__ = "0.0.7"
