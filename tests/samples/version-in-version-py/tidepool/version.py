__version__ = "0.9b2"
