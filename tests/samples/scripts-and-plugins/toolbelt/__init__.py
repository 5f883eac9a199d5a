"""Toolbelt."""
