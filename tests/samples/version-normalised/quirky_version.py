"""Its version is not written in canonical form."""

__version__ = "v1.0.0-RC1"
