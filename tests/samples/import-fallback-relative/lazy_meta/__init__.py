from ._meta import DOC as __doc__, VERSION as __version__

__all__ = ["__version__"]
