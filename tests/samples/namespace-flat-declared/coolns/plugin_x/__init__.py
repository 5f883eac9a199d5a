"""Plugin X."""
