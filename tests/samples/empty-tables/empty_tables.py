"""Empty tables."""
