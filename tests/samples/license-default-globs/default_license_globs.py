"""Default license globs."""
