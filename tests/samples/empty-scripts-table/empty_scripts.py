"""Empty scripts table."""
