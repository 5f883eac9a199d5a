"""Inline."""
