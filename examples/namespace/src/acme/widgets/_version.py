__version__ = "5.1"
