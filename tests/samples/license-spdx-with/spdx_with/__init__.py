"""SPDX."""
