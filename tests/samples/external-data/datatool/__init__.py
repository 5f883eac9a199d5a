"""Data tool."""

def main():
    return 0
