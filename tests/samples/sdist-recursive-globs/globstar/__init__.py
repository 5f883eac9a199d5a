"""Globstar."""
