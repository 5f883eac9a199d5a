"""Curated."""
