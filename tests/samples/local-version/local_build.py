"""Local build."""
