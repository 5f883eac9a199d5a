"""Ring a small bell from Python code."""

__version__ = "0.4.2"


def ring(times: int = 1) -> str:
    return "ding " * times
