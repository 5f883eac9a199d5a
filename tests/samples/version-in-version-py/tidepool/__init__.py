"""Model tides in small pools."""

from .version import __version__
