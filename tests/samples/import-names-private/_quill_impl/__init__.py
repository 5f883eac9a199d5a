"""Private implementation of quill."""
