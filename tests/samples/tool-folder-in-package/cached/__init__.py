"""A package someone ran mypy and npm in."""
