"""Configured through [tool.fletching] tables."""

__version__ = "0.1.0"
