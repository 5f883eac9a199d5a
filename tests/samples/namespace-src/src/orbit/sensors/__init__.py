"""Sensors for the orbit namespace."""

__version__ = "0.2.0"
