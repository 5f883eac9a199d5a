"""Templated."""
