"""Only the description comes from the docstring."""
