"""Widgets in a kit; the distribution is called Py-Widget.Kit."""

__version__ = "4.0.0"
