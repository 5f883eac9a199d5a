"""
    Ünïcode summary line with two trailing spaces.  

    The rest of the docstring is not part of the summary: it can be
    long, indented and spread over several paragraphs.
"""

__version__ = "0.0.1"
