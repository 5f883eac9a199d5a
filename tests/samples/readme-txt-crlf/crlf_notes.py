"""CRLF."""
