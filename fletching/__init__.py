"""A fast, reproducible PEP 517 build backend for pure-Python projects."""

__version__ = "0.1.0"

import os as _os

# A distribution that unvendors removes _vendor/: then the installed libraries serve.
if not _os.path.isdir(_os.path.join(_os.path.dirname(__file__), "_vendor")):
    from ._vendoring import install

    install()
