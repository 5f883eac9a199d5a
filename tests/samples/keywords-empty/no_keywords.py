"""No keywords."""
