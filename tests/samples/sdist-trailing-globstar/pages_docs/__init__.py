"""Pages docs."""
