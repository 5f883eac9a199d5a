"""A single smooth module in a src folder."""

__version__ = "2024.1"
