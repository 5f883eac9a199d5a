"""Vendored bits."""
