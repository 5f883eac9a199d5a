"""No license files."""
