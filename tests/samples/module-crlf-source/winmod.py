"""Written on Windows, with CRLF line endings.

More text.
"""

__version__ = "1.0.3"
