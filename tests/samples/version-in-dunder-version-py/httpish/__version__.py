__title__ = "httpish"
__version__ = "2.31.0"
