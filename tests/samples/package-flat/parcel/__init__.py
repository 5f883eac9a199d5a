"""Parcels."""

from .core import wrap
