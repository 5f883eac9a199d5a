"""Old timer."""
