"""Greet people by name, politely."""

from pathlib import Path

__version__ = Path(__file__).with_name("VERSION").read_text(encoding="utf-8").strip()


def greeting(name: str) -> str:
    return f"Hello, {name}!"


def main() -> None:
    import sys

    print(greeting(sys.argv[1] if len(sys.argv) > 1 else "world"))
