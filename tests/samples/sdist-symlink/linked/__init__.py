"""Linked."""
