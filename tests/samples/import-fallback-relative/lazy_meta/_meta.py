DOC = """Docstring and version computed at import time.

Nothing here can be read without running the code.
"""
VERSION = ".".join(str(p) for p in (3, 1, 4))
